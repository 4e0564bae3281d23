"""Console drift: edits made outside Pulumi are found by refresh and repaired by the next up."""

from __future__ import annotations

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
    SALES,
    SUPPORT,
    US1_KEY,
    US1_SECRET,
    both_adapters,
    numbers_in,
    providers_in,
    quickstart,
    quickstart_n,
    sha256_hex,
    writes,
)


@both_adapters
def test_refresh_console_number_edits_found_and_up_repairs(
    adapter: str, emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    control = emulator.control
    stack = engine.stack(
        quickstart_n(3).program(adapter), env=plugin_env(adapter), **cartesia.kwargs()
    )
    stack.up()
    before = numbers_in(control)
    reassigned, unassigned, deleted = (before[n] for n in sorted(before))

    # Console edits: reassign one number, unassign and relabel another, delete the third.
    control.console_update_number(reassigned["id"], agent_id=SALES)
    control.console_update_number(unassigned["id"], agent_id=None, label="Console label")
    control.console_delete_number(deleted["id"])
    edited = numbers_in(control)
    assert edited[reassigned["number"]]["agent_id"] == SALES
    assert edited[unassigned["number"]]["agent_id"] is None
    assert deleted["number"] not in edited

    # The refresh records exactly what changed in state and writes nothing to Cartesia.
    control.clear_requests()
    refresh = stack.refresh()
    assert writes(control) == [], "a refresh must only read"
    refreshed = changes_only(refresh.summary.resource_changes)
    # Updated in state: the reassigned assignment, the relabelled number. Gone: the unassigned
    # number's assignment, the deleted number and its assignment.
    assert refreshed == {"update": 2, "delete": 3}, refresh.stdout
    by_name = {r["urn"].rsplit("::", 1)[1]: r for r in cartesia_resources(stack)}
    assert by_name["line-0-agent"]["outputs"]["agent_id"] == SALES
    assert by_name["line-1"]["outputs"]["label"] == "Console label"
    assert "line-1-agent" not in by_name
    assert "line-2" not in by_name and "line-2-agent" not in by_name

    # The preview shows the repair: 2 updates (agent back, label back), 3 creates.
    preview = stack.preview()
    assert changes_only(preview.change_summary) == {"update": 2, "create": 3}, preview.stdout

    up = stack.up()
    assert changes_only(up.summary.resource_changes) == {"update": 2, "create": 3}, up.stdout
    after = numbers_in(control)
    assert sorted(after) == sorted(before)
    for number, n in after.items():
        assert n["agent_id"] == SUPPORT, number
        assert n["label"] == number, number
    assert after[reassigned["number"]]["id"] == reassigned["id"]
    assert after[unassigned["number"]]["id"] == unassigned["id"]
    assert after[deleted["number"]]["id"] != deleted["id"]  # re-imported
    stack.assert_no_changes()
    stack.assert_no_drift()


@both_adapters
def test_refresh_console_key_rotation_found_and_up_restores_key(
    adapter: str, emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    control = emulator.control
    stack = engine.stack(
        quickstart(["+14155550100"]).program(adapter), env=plugin_env(adapter), **cartesia.kwargs()
    )
    stack.up()
    (provider,) = providers_in(control)

    # Someone creates a new Twilio key and rotates the provider to it in the Cartesia console.
    new_sid = "SK0123456789abcdef0123456789abc00f"
    control.twilio_add_key(PRODUCTION, new_sid, "console-secret-1", "us1")
    control.console_update_provider(
        provider["id"], api_key_sid=new_sid, api_key_secret="console-secret-1"
    )
    assert providers_in(control)[0]["api_key_sid"] == new_sid

    refresh = stack.refresh()
    assert changes_only(refresh.summary.resource_changes) == {"update": 1}, refresh.stdout
    (state,) = cartesia_resources(stack, "TwilioProvider")
    assert state["outputs"]["api_key_sid"] != US1_KEY, "refresh did not notice the console rotation"

    preview = stack.preview()
    assert changes_only(preview.change_summary) == {"update": 1}, preview.stdout
    assert "TwilioProvider" in preview.stdout

    control.clear_requests()
    up = stack.up()
    assert changes_only(up.summary.resource_changes) == {"update": 1}, up.stdout
    assert writes(control) == [f"PATCH {PROVIDERS_PATH}/{provider['id']}"]
    (restored,) = providers_in(control)
    assert restored["id"] == provider["id"]
    assert restored["api_key_sid"] == US1_KEY
    assert restored["api_key_secret_sha256"] == sha256_hex(US1_SECRET)
    (state,) = cartesia_resources(stack, "TwilioProvider")
    assert state["outputs"]["api_key_sid"] == US1_KEY
    stack.assert_no_changes()
