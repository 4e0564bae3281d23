"""Through the real engine: after a transient failure a stack never takes another stack's objects.

Each stack has its own file backend, as separate teams' stacks would. Faults are injected on the
exact request that used to let a stack claim another's object (issue 9): one 503 on the import or
on the provider create. Every test asserts the emulator's objects and request log as well as the
engine's result, and that destroying the refused stack leaves the other stack's objects alone.
"""

from __future__ import annotations

from collections.abc import Callable

import pulumi

from cartesia_pulumi.emulator.testing import RunningEmulator
from cartesia_pulumi.resources import NumberAssignment, PhoneNumber, TwilioProvider
from tests.e2e.harness import CartesiaStackConfig, Engine, changes_only
from tests.e2e.programs import (
    NUMBERS_PATH,
    PRODUCTION,
    PROVIDERS_PATH,
    SALES,
    SUPPORT,
    US1,
    US1_KEY,
    US1_SECRET,
    Graph,
    NumberSpec,
    api_calls,
    engine_fails,
    numbers_in,
    providers_in,
)
from tests.support.netdoubles import RecordingProxy

NUMBER = "+14155550100"
TAKEOVER = "CARTESIA_ADOPT_EXISTING=1 pulumi up"


def platform_program() -> None:
    """The platform team's stack: owns the provider, exports its id."""
    twilio = TwilioProvider(
        "twilio", account_sid=PRODUCTION, api_key_sid=US1_KEY, api_key_secret=US1_SECRET
    )
    pulumi.export("provider_id", twilio.id)


def team_program(provider_id: str, agent_id: str) -> Callable[[], None]:
    """A team's stack: one number on the platform's provider, routed to ``agent_id``."""

    def program() -> None:
        line = PhoneNumber("line", number=NUMBER, provider_id=provider_id)
        NumberAssignment("route", phone_number_id=line.id, agent_id=agent_id)
        pulumi.export("number_id", line.id)

    return program


def test_up_after_one_503_never_takes_another_stacks_number(
    emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    control = emulator.control
    platform = engine.stack(platform_program, name="platform", **cartesia.kwargs())
    platform.up()
    provider_id = platform.outputs()["provider_id"]
    stack_a = engine.stack(team_program(provider_id, SUPPORT), name="team-a", **cartesia.kwargs())
    stack_a.up()
    theirs = numbers_in(control)[NUMBER]

    stack_b = engine.stack(team_program(provider_id, SALES), name="team-b", **cartesia.kwargs())
    control.add_fault(route=f"^POST {NUMBERS_PATH}$", kind="status", status=503, count=1)
    with engine_fails() as failed:
        stack_b.up()
    message = str(failed.value)
    assert theirs["id"] in message and TAKEOVER in message, message
    assert "does not take it" in message, message
    assert stack_b.resources("PhoneNumber") == [], "B must not record A's number"

    # B's destroy deletes nothing of A's: same id, agent and label, still assigned.
    control.clear_faults()
    stack_b.destroy()
    assert numbers_in(control)[NUMBER] == theirs
    stack_a.assert_no_changes()


def test_up_never_takes_or_posts_over_another_stacks_provider(
    emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    control = emulator.control
    owner = engine.stack(platform_program, name="owner", **cartesia.kwargs())
    owner.up()
    (theirs,) = providers_in(control)

    other = engine.stack(Graph().program(), name="other", **cartesia.kwargs())
    control.clear_requests()
    control.add_fault(route=f"^POST {PROVIDERS_PATH}$", kind="status", status=503, count=1)
    with engine_fails() as failed:
        other.up()
    message = str(failed.value)
    assert theirs["id"] in message and "StackReference" in message, message
    assert f"POST {PROVIDERS_PATH}" not in api_calls(control), "no POST over an existing link"
    assert other.resources("TwilioProvider") == []

    control.clear_faults()
    other.destroy()
    assert providers_in(control) == [theirs]
    owner.assert_no_changes()


def test_up_lost_import_with_five_failed_lookups_converges_in_one_run(
    emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    control = emulator.control
    graph = Graph({"twilio": US1}, [NumberSpec(NUMBER)])
    stack = engine.stack(graph.program(), **cartesia.kwargs())
    control.clear_requests()
    control.add_fault(route=f"^POST {NUMBERS_PATH}$", kind="apply_then_drop", count=1)
    control.add_fault(route=f"^GET {NUMBERS_PATH}$", kind="status", status=503, count=5)
    result = stack.up()
    assert changes_only(result.summary.resource_changes) == {"create": 4}  # stack + 3
    calls = api_calls(control)
    assert calls.count(f"POST {NUMBERS_PATH}") == 1, calls  # one import, never a duplicate
    (number,) = numbers_in(control).values()
    assert [r["id"] for r in stack.resources("PhoneNumber")] == [number["id"]]
    assert number["agent_id"] == SUPPORT
    stack.assert_no_changes()


def test_up_with_proxy_variables_sends_nothing_through_the_proxy(
    emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    control = emulator.control
    with RecordingProxy() as proxy:
        variables = ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")
        stack = engine.stack(
            Graph({"twilio": US1}, [NumberSpec(NUMBER)]).program(),
            **cartesia.kwargs(),
            env={name: proxy.url for name in variables},
        )
        stack.up()
        stack.destroy()
        assert proxy.connections == 0, proxy.request_lines  # plain http to loopback: direct
    assert f"POST {NUMBERS_PATH}" in api_calls(control)
    assert numbers_in(control) == {}


def test_up_after_503_never_takes_an_older_unassigned_number_with_our_label(
    emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    """The hardest case for the proof: same number, provider and label, unassigned. Only the
    server's clock tells it apart: it was imported (by another stack) before our POST."""
    control = emulator.control
    platform = engine.stack(platform_program, name="platform", **cartesia.kwargs())
    platform.up()
    provider_id = platform.outputs()["provider_id"]

    def bare(name: str) -> Callable[[], None]:
        def program() -> None:
            pulumi.export("id", PhoneNumber("line", number=NUMBER, provider_id=provider_id).id)

        return program

    stack_a = engine.stack(bare("a"), name="team-a", **cartesia.kwargs())
    stack_a.up()
    theirs = numbers_in(control)[NUMBER]
    assert theirs["agent_id"] is None and theirs["label"] == NUMBER  # identical to what B sends
    control.advance_clock(30)  # the wall clock moving on between two teams' deployments

    stack_b = engine.stack(bare("b"), name="team-b", **cartesia.kwargs())
    control.add_fault(route=f"^POST {NUMBERS_PATH}$", kind="status", status=503, count=1)
    with engine_fails() as failed:
        stack_b.up()
    message = str(failed.value)
    assert theirs["id"] in message and "was created before this request" in message, message
    assert stack_b.resources("PhoneNumber") == []
    control.clear_faults()
    stack_b.destroy()
    assert numbers_in(control)[NUMBER] == theirs
