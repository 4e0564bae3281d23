"""Errors from the cartesia plugin under the engine: one sentence each, no Python traceback, no
secret echoed (the dynamic adapter's equivalents: test_errors.py, test_secrets_in_errors.py)."""

from __future__ import annotations

import pulumi

from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.e2e.harness import CartesiaStackConfig, Engine, plugin_env
from tests.e2e.programs import (
    PRODUCTION,
    US1_KEY,
    NativePhoneNumber,
    NativeTwilioProvider,
    engine_fails,
    numbers_in,
    providers_in,
)

#: A Twilio secret the emulator does not know: the provider create is refused.
WRONG_SECRET = "not-the-us1-secret-5d1f0c"


def _no_traceback(text: str) -> None:
    assert "Traceback" not in text, text
    assert 'File "' not in text, text
    assert "cartesia_pulumi/" not in text, text


def test_bad_inputs_fail_at_preview_one_sentence_per_field(
    emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    secret = " padded-secret-value "

    def program() -> None:
        NativeTwilioProvider(
            "bad",
            account_sid="AC123",
            api_key_sid="not-a-key",
            api_key_secret=pulumi.Output.secret(secret),
            region="eu9",
        )

    stack = engine.stack(program, env=plugin_env("native"), **cartesia.kwargs())
    emulator.control.clear_requests()
    with engine_fails() as failed:
        stack.preview()
    message = str(failed.value)
    for fragment in (
        "account_sid must be a Twilio account SID",
        "api_key_sid must be a Twilio API key SID",
        "api_key_secret has leading or trailing whitespace or a newline (value not shown)",
        "region must be one of us1, ie1, au1",
    ):
        assert fragment in message, f"{fragment!r} missing from:\n{message}"
    _no_traceback(message)
    assert secret.strip() not in message and secret.strip() not in stack.output_text()
    assert providers_in(emulator.control) == []


def test_a_refused_create_is_one_sentence_without_the_secret(
    emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    def program() -> None:
        twilio = NativeTwilioProvider(
            "twilio",
            account_sid=PRODUCTION,
            api_key_sid=US1_KEY,
            api_key_secret=WRONG_SECRET,
            region="us1",
        )
        NativePhoneNumber("line", number="+14155550100", provider_id=twilio.id)

    stack = engine.stack(program, env=plugin_env("native"), **cartesia.kwargs())
    with engine_fails() as failed:
        stack.up()
    message = str(failed.value)
    _no_traceback(message)
    errors = [line for line in message.splitlines() if "TwilioProvider" in line and "error" in line]
    assert errors, message
    # The engine prints the plugin's sentence as it is: "error: Creating the Twilio provider ...".
    assert f"error: Creating the Twilio provider for account {PRODUCTION} (us1) failed:" in message
    for text in (message, stack.output_text(), stack.backend_text()):
        assert WRONG_SECRET not in text
    assert providers_in(emulator.control) == [] and numbers_in(emulator.control) == {}


def test_an_unusable_base_url_is_one_sentence_naming_the_config_key(engine: Engine) -> None:
    def program() -> None:
        NativeTwilioProvider(
            "twilio",
            account_sid=PRODUCTION,
            api_key_sid=US1_KEY,
            api_key_secret="any-secret",
            region="us1",
        )

    stack = engine.stack(
        program,
        config={"cartesia:baseUrl": "http://api.example.com"},
        secrets={"cartesia:apiKey": "sk_car_some_key"},
        env=plugin_env("native"),
    )
    with engine_fails() as failed:
        stack.preview()
    message = str(failed.value)
    _no_traceback(message)
    assert "cartesia:baseUrl 'http://api.example.com' would send the Cartesia API key" in message
    assert "sk_car_some_key" not in message and "sk_car_some_key" not in stack.output_text()
