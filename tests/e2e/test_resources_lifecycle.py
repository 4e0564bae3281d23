"""Engine lifecycle of the quickstart graph: up → no-change preview → no-drift refresh → destroy.

Asserts on the engine's op counts and on the emulator (state dump and request log).
"""

from __future__ import annotations

from collections import Counter

from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.e2e.harness import (
    CartesiaStackConfig,
    Engine,
    cartesia_resources,
    changes_only,
    op_counts,
    plugin_env,
)
from tests.e2e.programs import (
    NUMBERS_PATH,
    PRODUCTION,
    PROVIDERS_PATH,
    SUPPORT,
    US1_KEY,
    US1_SECRET,
    api_calls,
    both_adapters,
    numbers_in,
    providers_in,
    quickstart,
    sha256_hex,
)


@both_adapters
def test_lifecycle_quickstart_up_preview_refresh_destroy_leaves_emulator_empty(
    adapter: str, emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    control = emulator.control
    stack = engine.stack(
        quickstart().program(adapter), env=plugin_env(adapter), **cartesia.kwargs()
    )

    # up: stack + provider + 2 numbers + 2 assignments.
    up = stack.up()
    assert changes_only(up.summary.resource_changes) == {"create": 6}, up.stdout
    calls = api_calls(control)
    assert Counter(calls)[f"POST {PROVIDERS_PATH}"] == 1, calls
    assert Counter(calls)[f"POST {NUMBERS_PATH}"] == 2, calls

    (provider,) = providers_in(control)
    assert provider["account_sid"] == PRODUCTION
    assert provider["api_key_sid"] == US1_KEY
    assert provider["api_key_secret_sha256"] == sha256_hex(US1_SECRET)
    assert provider["region"] == "us1"
    numbers = numbers_in(control)
    # "+1 (415) 555-0101" was normalised to E.164 before it reached the API.
    assert sorted(numbers) == ["+14155550100", "+14155550101"]
    for e164, n in numbers.items():
        assert n["provider_id"] == provider["id"]
        assert n["agent_id"] == SUPPORT
        assert n["label"] == e164  # default label: the number
    outputs = stack.outputs()
    assert outputs["provider_ids"] == {"twilio": provider["id"]}
    assert sorted(outputs["number_ids"].values()) == sorted(n["id"] for n in numbers.values())
    assert outputs["assignment_agents"] == {"line-0": SUPPORT, "line-1": SUPPORT}

    # preview: no changes and no API request at all (check/diff are offline).
    control.clear_requests()
    stack.assert_no_changes()
    assert control.requests() == [], "a no-change preview must not call the API"

    # refresh: nothing changed, at most one GET per resource, no writes.
    refresh = stack.refresh()
    assert set(op_counts(refresh.summary.resource_changes)) <= {"same"}, refresh.stdout
    calls = api_calls(control)
    assert all(c.startswith("GET ") for c in calls), calls
    assert len(calls) <= 5, f"refresh made more than one GET per resource: {calls}"
    assert Counter(calls)[f"GET {PROVIDERS_PATH}/{provider['id']}"] == 1, calls
    stack.assert_no_drift()
    stack.assert_no_changes()

    destroy = stack.destroy()
    assert changes_only(destroy.summary.resource_changes) == {"delete": 6}, destroy.stdout
    assert providers_in(control) == []
    assert numbers_in(control) == {}
    assert cartesia_resources(stack) == []
