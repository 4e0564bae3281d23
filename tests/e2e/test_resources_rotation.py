"""Key rotation of a `TwilioProvider` under the engine: in place, and refused without changes."""

from __future__ import annotations

from typing import Any

from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.e2e.harness import (
    CartesiaStackConfig,
    Engine,
    cartesia_resources,
    changes_only,
    plugin_env,
)
from tests.e2e.programs import (
    PRODUCTION,
    PROVIDERS_PATH,
    US1_KEY,
    US1_KEY_2,
    US1_SECRET,
    US1_SECRET_2,
    api_calls,
    both_adapters,
    engine_fails,
    numbers_in,
    providers_in,
    quickstart,
    sha256_hex,
)

ROTATED = quickstart().with_provider(api_key_sid=US1_KEY_2, api_key_secret=US1_SECRET_2)


def _provider_state(stack: Any) -> dict[str, Any]:
    (res,) = cartesia_resources(stack, "TwilioProvider")
    return dict(res["outputs"])


@both_adapters
def test_update_key_rotation_one_patch_in_place(
    adapter: str, emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    control = emulator.control
    stack = engine.stack(
        quickstart().program(adapter), env=plugin_env(adapter), **cartesia.kwargs()
    )
    stack.up()
    (before,) = providers_in(control)
    numbers_before = {n: v["id"] for n, v in numbers_in(control).items()}

    control.clear_requests()
    stack.set_program(ROTATED.program(adapter))
    up = stack.up()
    assert changes_only(up.summary.resource_changes) == {"update": 1}, up.stdout

    writes = [c for c in api_calls(control) if not c.startswith("GET ")]
    assert writes == [f"PATCH {PROVIDERS_PATH}/{before['id']}"], writes
    (after,) = providers_in(control)
    assert after["id"] == before["id"]
    assert after["account_sid"] == PRODUCTION
    assert after["api_key_sid"] == US1_KEY_2
    assert after["api_key_secret_sha256"] == sha256_hex(US1_SECRET_2)
    assert {n: v["id"] for n, v in numbers_in(control).items()} == numbers_before
    assert _provider_state(stack)["api_key_sid"] == US1_KEY_2

    stack.assert_no_changes()


@both_adapters
def test_update_secret_only_rotation_one_patch_carrying_the_new_secret(
    adapter: str, emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    """Same key SID, new secret: one update, one PATCH, and Cartesia holds the new secret."""
    control = emulator.control
    new_secret = "re-issued-demo-us1-secret"
    stack = engine.stack(
        quickstart().program(adapter), env=plugin_env(adapter), **cartesia.kwargs()
    )
    stack.up()
    (before,) = providers_in(control)
    control.twilio_add_key(PRODUCTION, US1_KEY, new_secret, "us1")  # Twilio re-issued it

    control.clear_requests()
    stack.set_program(quickstart().with_provider(api_key_secret=new_secret).program(adapter))
    up = stack.up()
    assert changes_only(up.summary.resource_changes) == {"update": 1}, up.stdout
    assert [c for c in api_calls(control) if not c.startswith("GET ")] == [
        f"PATCH {PROVIDERS_PATH}/{before['id']}"
    ]
    (after,) = providers_in(control)
    assert (after["id"], after["api_key_sid"]) == (before["id"], US1_KEY)
    assert after["api_key_secret_sha256"] == sha256_hex(new_secret)
    assert new_secret not in stack.backend_text()  # encrypted in state, like the old one
    stack.assert_no_changes()


@both_adapters
def test_update_rotation_with_unreachable_number_fails_and_changes_nothing(
    adapter: str, emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    control = emulator.control
    stack = engine.stack(
        quickstart().program(adapter), env=plugin_env(adapter), **cartesia.kwargs()
    )
    stack.up()
    (before,) = providers_in(control)
    numbers_before = numbers_in(control)
    state_before = _provider_state(stack)

    # The number leaves the Twilio account: Cartesia refuses any key change on the provider (R3).
    control.twilio_remove_number(PRODUCTION, "+14155550101")
    stack.set_program(ROTATED.program(adapter))
    control.clear_requests()
    with engine_fails() as failed:
        stack.up()
    message = str(failed.value)
    assert "+14155550101" in message, message
    assert "unreachable" in message, message
    assert "+14155550100" not in message.split("unreachable", 1)[1].split(".", 1)[0], message

    # Nothing changed in Cartesia (the one PATCH was refused) nor in the state.
    log = control.requests()
    assert [(r["method"], r["status"]) for r in log if r["method"] != "GET"] == [("PATCH", 400)]
    assert providers_in(control) == [before]
    assert numbers_in(control) == numbers_before
    assert _provider_state(stack)["api_key_sid"] == US1_KEY
    assert _provider_state(stack) == state_before

    # The rotation is still pending.
    preview = stack.preview()
    assert changes_only(preview.change_summary) == {"update": 1}, preview.stdout

    # Back in the account: the same up now succeeds with exactly one update.
    control.twilio_add_number(PRODUCTION, "+14155550101")
    up = stack.up()
    assert changes_only(up.summary.resource_changes) == {"update": 1}, up.stdout
    (after,) = providers_in(control)
    assert after["api_key_sid"] == US1_KEY_2
    assert after["api_key_secret_sha256"] == sha256_hex(US1_SECRET_2)
    assert after["api_key_secret_sha256"] != sha256_hex(US1_SECRET)
    stack.assert_no_changes()
