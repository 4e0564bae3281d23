"""Deletes the resources refuse, with a message naming what is in the way."""

from __future__ import annotations

from cartesia_pulumi.client import CartesiaClient
from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.e2e.harness import (
    DEMO_API_KEY,
    CartesiaStackConfig,
    Engine,
    cartesia_resources,
    changes_only,
    plugin_env,
)
from tests.e2e.programs import (
    PROVIDERS_PATH,
    SALES,
    Graph,
    NumberSpec,
    both_adapters,
    engine_fails,
    numbers_in,
    providers_in,
)


@both_adapters
def test_destroy_number_assigned_outside_stack_fails_naming_agent(
    adapter: str, emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    control = emulator.control
    # A number without a NumberAssignment in the stack...
    graph = Graph(numbers=[NumberSpec("+14155550100", agent_id=None)])
    stack = engine.stack(graph.program(adapter), env=plugin_env(adapter), **cartesia.kwargs())
    stack.up()
    number = numbers_in(control)["+14155550100"]
    # ...that someone assigns in the console.
    control.console_update_number(number["id"], agent_id=SALES)

    control.clear_requests()
    with engine_fails() as failed:
        stack.destroy()
    message = str(failed.value)
    assert f"still assigned to agent {SALES} (Sales)" in message, message
    assert "+14155550100" in message, message
    # The provider sends the DELETE and Cartesia refuses it (400, R12): nothing changes.
    refused = [
        (r["method"], r["status"])
        for r in control.requests()
        if r["method"] in ("POST", "PATCH", "DELETE")
    ]
    assert refused == [("DELETE", 400)], refused
    assert numbers_in(control)["+14155550100"]["agent_id"] == SALES
    assert len(providers_in(control)) == 1
    assert len(cartesia_resources(stack, "PhoneNumber")) == 1

    # Once unassigned in the console, destroy goes through.
    control.console_update_number(number["id"], agent_id=None)
    destroy = stack.destroy()
    assert changes_only(destroy.summary.resource_changes) == {"delete": 3}, destroy.stdout
    assert numbers_in(control) == {} and providers_in(control) == []


@both_adapters
def test_destroy_provider_used_by_unmanaged_number_fails_naming_number(
    adapter: str, emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    control = emulator.control
    stack = engine.stack(Graph().program(adapter), env=plugin_env(adapter), **cartesia.kwargs())
    stack.up()
    (provider,) = providers_in(control)
    # A number imported through the stack's provider outside Pulumi.
    with CartesiaClient(DEMO_API_KEY, base_url=emulator.url) as client:
        client.phone_numbers.import_(
            number="+14155550102", label="Unmanaged", provider_id=provider["id"]
        )

    control.clear_requests()
    with engine_fails() as failed:
        stack.destroy()
    message = str(failed.value)
    assert "still used by +14155550102" in message, message
    log = [(r["method"], r["path"], r["status"]) for r in control.requests()]
    assert [e for e in log if e[0] != "GET"] == [
        ("DELETE", f"{PROVIDERS_PATH}/{provider['id']}", 409)
    ], log
    assert providers_in(control) == [provider]
    assert list(numbers_in(control)) == ["+14155550102"]
    assert len(cartesia_resources(stack, "TwilioProvider")) == 1

    # Once the number is gone, destroy goes through.
    number_id = numbers_in(control)["+14155550102"]["id"]
    control.console_delete_number(number_id)
    destroy = stack.destroy()
    assert changes_only(destroy.summary.resource_changes) == {"delete": 2}, destroy.stdout
    assert providers_in(control) == []
