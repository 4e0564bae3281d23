"""Order of API requests under the engine, read back from the emulator's request log."""

from __future__ import annotations

from typing import Any

from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.e2e.harness import (
    CartesiaStackConfig,
    Engine,
    changes_only,
    plugin_env,
)
from tests.e2e.programs import (
    IE1,
    NUMBERS_PATH,
    PROVIDERS_PATH,
    SALES,
    SUPPORT,
    US1,
    Graph,
    NumberSpec,
    both_adapters,
    engine_fails,
    numbers_in,
    providers_in,
    quickstart,
    writes,
)


def _index(log: list[str], entry: str) -> int:
    assert entry in log, f"{entry!r} not in the request log {log}"
    return log.index(entry)


@both_adapters
def test_destroy_assigned_numbers_unassigns_then_deletes_numbers_then_provider(
    adapter: str, emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    control = emulator.control
    stack = engine.stack(
        quickstart().program(adapter), env=plugin_env(adapter), **cartesia.kwargs()
    )
    stack.up()
    (provider,) = providers_in(control)
    numbers = numbers_in(control)

    control.clear_requests()
    destroy = stack.destroy()
    assert changes_only(destroy.summary.resource_changes) == {"delete": 6}, destroy.stdout

    log = writes(control)
    provider_delete = _index(log, f"DELETE {PROVIDERS_PATH}/{provider['id']}")
    assert log.count(f"DELETE {PROVIDERS_PATH}/{provider['id']}") == 1, log
    for n in numbers.values():
        unassign = _index(log, f"PATCH {NUMBERS_PATH}/{n['id']}")
        delete = _index(log, f"DELETE {NUMBERS_PATH}/{n['id']}")
        assert unassign < delete < provider_delete, log
    assert len(log) == 5, f"expected 2 unassigns, 2 number deletes, 1 provider delete: {log}"
    assert providers_in(control) == [] and numbers_in(control) == {}


@both_adapters
def test_replace_number_imports_and_routes_the_new_one_before_unrouting_the_old(
    adapter: str, emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    control = emulator.control
    graph = quickstart(["+14155550100"])
    stack = engine.stack(graph.program(adapter), env=plugin_env(adapter), **cartesia.kwargs())
    stack.up()
    old = numbers_in(control)["+14155550100"]

    changed = graph.with_number(0, number="+14155550102")
    stack.set_program(changed.program(adapter))
    preview = stack.preview()
    # Create-before-delete: the plan shows a replacement that creates first.
    assert changes_only(preview.change_summary) == {"replace": 2}, preview.stdout
    assert "create-replacement" in preview.stdout or "++" in preview.stdout, preview.stdout

    control.clear_requests()
    up = stack.up()
    # PhoneNumber and NumberAssignment are both replaced; the provider is untouched.
    assert changes_only(up.summary.resource_changes) == {"replace": 2}, up.stdout
    new = numbers_in(control)["+14155550102"]
    assert "+14155550100" not in numbers_in(control)
    assert new["id"] != old["id"] and new["agent_id"] == SUPPORT
    assert new["provider_id"] == old["provider_id"]
    # Routing continuity, from the request log: import the new number, route it, and only then
    # unassign and delete the old one. At every moment one of the two numbers reaches the agent.
    assert writes(control) == [
        f"POST {NUMBERS_PATH}",
        f"PATCH {NUMBERS_PATH}/{new['id']}",
        f"PATCH {NUMBERS_PATH}/{old['id']}",
        f"DELETE {NUMBERS_PATH}/{old['id']}",
    ], writes(control)
    stack.assert_no_changes()


@both_adapters
def test_replace_with_unowned_number_fails_and_the_old_number_keeps_routing(
    adapter: str, emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    control = emulator.control
    graph = quickstart(["+14155550100"])
    stack = engine.stack(graph.program(adapter), env=plugin_env(adapter), **cartesia.kwargs())
    stack.up()
    old = numbers_in(control)["+14155550100"]

    control.clear_requests()
    # A number the production Twilio account does not own (it is staging's).
    stack.set_program(graph.with_number(0, number="+14155550200").program(adapter))
    with engine_fails() as failed:
        stack.up()
    assert "+14155550200" in str(failed.value), str(failed.value)
    # The only write was the refused import: the old number is still imported and assigned.
    assert writes(control) == [f"POST {NUMBERS_PATH}"], writes(control)
    assert numbers_in(control) == {"+14155550100": old}
    assert old["agent_id"] == SUPPORT

    stack.set_program(graph.program(adapter))
    stack.assert_no_changes()


def _number(control: Any) -> dict[str, Any]:
    (n,) = numbers_in(control).values()
    return dict(n)


@both_adapters
def test_update_provider_move_and_agent_change_in_place_never_unassigned(
    adapter: str, emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    control = emulator.control
    on_us = Graph({"us": US1, "ie": IE1}, [NumberSpec("+14155550100", provider="us")])
    stack = engine.stack(on_us.program(adapter), env=plugin_env(adapter), **cartesia.kwargs())
    stack.up()
    ids = stack.outputs()["provider_ids"]
    start = _number(control)
    assert start["provider_id"] == ids["us"] and start["agent_id"] == SUPPORT

    # Move to the ie1 provider of the same Twilio account: one PATCH of the number, same id,
    # agent kept.
    control.clear_requests()
    on_ie = on_us.with_number(0, provider="ie")
    stack.set_program(on_ie.program(adapter))
    up = stack.up()
    assert changes_only(up.summary.resource_changes) == {"update": 1}, up.stdout
    assert writes(control) == [f"PATCH {NUMBERS_PATH}/{start['id']}"]
    moved = _number(control)
    assert moved["id"] == start["id"]
    assert moved["provider_id"] == ids["ie"]
    assert moved["agent_id"] == SUPPORT, "the move unassigned the number"
    stack.assert_no_changes()

    # Change the agent: exactly one PATCH straight from Support to Sales.
    control.clear_requests()
    stack.set_program(on_ie.with_number(0, agent_id=SALES).program(adapter))
    up = stack.up()
    assert changes_only(up.summary.resource_changes) == {"update": 1}, up.stdout
    assert writes(control) == [f"PATCH {NUMBERS_PATH}/{start['id']}"], (
        "the agent change must be one PATCH (an unassign first would be a second PATCH)"
    )
    reassigned = _number(control)
    assert reassigned["id"] == start["id"]
    assert reassigned["agent_id"] == SALES
    assert reassigned["provider_id"] == ids["ie"]
    assert stack.outputs()["assignment_agents"] == {"line-0": SALES}
    stack.assert_no_changes()
