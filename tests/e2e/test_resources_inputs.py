"""Input validation and provider configuration under the engine.

Bad inputs fail at preview (``check``), naming every bad field, without one API request.
The Cartesia API key comes from ``cartesia:apiKey`` before ``CARTESIA_API_KEY``.
"""

from __future__ import annotations

import types
from collections.abc import Callable

from cartesia_pulumi.emulator.testing import RunningEmulator
from cartesia_pulumi.resources import NumberAssignment, PhoneNumber, TwilioProvider
from tests.e2e.harness import (
    DEMO_API_KEY,
    CartesiaStackConfig,
    Engine,
    cartesia_resources,
    changes_only,
    plugin_env,
)
from tests.e2e.programs import (
    CLASSES,
    PROVIDERS_PATH,
    api_calls,
    both_adapters,
    engine_fails,
    numbers_in,
    providers_in,
    quickstart,
)


def _bad_provider() -> None:
    TwilioProvider(
        "bad-provider",
        account_sid="AC123",
        api_key_sid="not-a-key",
        api_key_secret="",
        region="eu9",
        label="   ",
    )


def _bad_number_no_country_code() -> None:
    PhoneNumber("no-country-code", number="4155550100", provider_id="", label="")


def _bad_number_too_short() -> None:
    PhoneNumber("too-short", number="+1 415 555", provider_id="pp_fake", adopt="yes")  # type: ignore[call-overload]


def _bad_assignment() -> None:
    NumberAssignment("no-agent", phone_number_id=" ", agent_id="")


def _hostile_number() -> None:
    # Letters (a capital O for a zero) and a path-like provider id: refused, never rewritten.
    PhoneNumber("letters", number="+1 415 555 O1OO", provider_id="ata_x/../providers")


def _number_with_extension() -> None:
    PhoneNumber("extension", number="+1 415 555 0100 ext. 12", provider_id="ata_x")


def _secret_with_newline() -> None:
    TwilioProvider(
        "pasted-secret",
        account_sid="AC0123456789abcdef0123456789abcdef",
        api_key_sid="SK0123456789abcdef0123456789abc001",
        api_key_secret="demo-us1-secret-1\n",
    )


def _hostile_assignment() -> None:
    NumberAssignment("query", phone_number_id="ap_1?agent_id=x", agent_id="agent support")


# The engine stops at the first resource whose check fails, so one bad resource per program;
# each program must be reported with every one of its bad fields.
BAD_PROGRAMS = [
    (
        _bad_provider,
        [
            "account_sid must be a Twilio account SID",
            "'AC123'",
            "api_key_sid must be a Twilio API key SID",
            "'not-a-key'",
            "api_key_secret must not be empty (value not shown)",
            "region must be one of us1, ie1, au1",
            "'eu9'",
            "TwilioProvider: label must be a non-empty string",
        ],
    ),
    (
        _bad_number_no_country_code,
        [
            "number '4155550100' is not a phone number with a country code",
            "PhoneNumber: provider_id must be a Cartesia id",
            "PhoneNumber: label must be a non-empty string",
        ],
    ),
    (
        _bad_number_too_short,
        [
            "number '+1 415 555' is not a possible phone number",
            "PhoneNumber: adopt must be true or false",
        ],
    ),
    (
        _bad_assignment,
        [
            "NumberAssignment: phone_number_id must be a Cartesia id",
            "NumberAssignment: agent_id must be a Cartesia id",
        ],
    ),
    (
        _hostile_number,
        [
            "number '+1 415 555 O1OO' may contain only digits",
            "provider_id must be a Cartesia id",
            "'ata_x/../providers'",
        ],
    ),
    (_number_with_extension, ["has an extension; give the number without it"]),
    (
        _secret_with_newline,
        ["api_key_secret has leading or trailing whitespace or a newline (value not shown)"],
    ),
    (
        _hostile_assignment,
        ["phone_number_id must be a Cartesia id", "agent_id must be a Cartesia id"],
    ),
]


def _with_classes_of(adapter: str, program: Callable[[], None]) -> Callable[[], None]:
    """``program`` with the resource classes of ``adapter`` (the programs above name the dynamic
    classes; for ``native`` the same code runs with the plugin's)."""
    if adapter == "dynamic":
        return program
    twilio, number, assignment = CLASSES[adapter]
    scope = {
        **program.__globals__,
        "TwilioProvider": twilio,
        "PhoneNumber": number,
        "NumberAssignment": assignment,
    }
    return types.FunctionType(program.__code__, scope, program.__name__)


@both_adapters
def test_preview_bad_inputs_fail_naming_each_field_without_api_requests(
    adapter: str, emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    control = emulator.control
    control.clear_requests()
    stack = engine.stack(
        _with_classes_of(adapter, _bad_provider), env=plugin_env(adapter), **cartesia.kwargs()
    )
    for program, fragments in BAD_PROGRAMS:
        stack.set_program(_with_classes_of(adapter, program))
        with engine_fails() as failed:
            stack.preview()
        message = str(failed.value)
        for fragment in fragments:
            assert fragment in message, f"{program.__name__}: {fragment!r} missing from:\n{message}"
        assert "Traceback" not in message, message

    # Validation itself asks nothing; preview's read-only checks may look an id up, never write.
    assert {c.split()[0] for c in control.api_calls()} <= {"GET"}, control.api_calls()
    assert providers_in(control) == [] and numbers_in(control) == {}
    assert cartesia_resources(stack) == []


@both_adapters
def test_up_config_api_key_wins_over_wrong_env_key(
    adapter: str, emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    control = emulator.control
    stack = engine.stack(
        quickstart(["+14155550100"]).program(adapter),
        **cartesia.kwargs(),
        env={"CARTESIA_API_KEY": "sk_car_wrong_env_key", **plugin_env(adapter)},
    )
    up = stack.up()
    assert changes_only(up.summary.resource_changes) == {"create": 4}, up.stdout
    assert all(r["status"] < 400 for r in control.requests()), control.requests()
    assert len(providers_in(control)) == 1
    assert list(numbers_in(control)) == ["+14155550100"]


@both_adapters
def test_up_wrong_config_api_key_fails_naming_config_key(
    adapter: str, emulator: RunningEmulator, engine: Engine
) -> None:
    control = emulator.control
    wrong = "sk_car_wrong_config_key"
    stack = engine.stack(
        quickstart(["+14155550100"]).program(adapter),
        config={"cartesia:baseUrl": emulator.url},
        secrets={"cartesia:apiKey": wrong},
        # A correct key in the environment must not be used instead of the configured one.
        env={"CARTESIA_API_KEY": DEMO_API_KEY, **plugin_env(adapter)},
    )
    with engine_fails() as failed:
        stack.up()
    message = str(failed.value)
    assert "cartesia:apiKey" in message, message
    assert "401" in message, message
    assert wrong not in message and wrong not in stack.backend_text()

    # The create's first request (the provider list) is refused; nothing is retried or written.
    assert api_calls(control) == [f"GET {PROVIDERS_PATH}"], "one refused request, no retries"
    assert [r["status"] for r in control.requests()] == [401]
    assert providers_in(control) == [] and numbers_in(control) == {}
    assert cartesia_resources(stack, "TwilioProvider") == []
