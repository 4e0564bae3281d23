"""Every write operation converges through every fault kind, with no duplicate and no orphan.

Eight operations (provider create/rotate/delete, number import/rename/delete, assign, unassign) x
five fault kinds, each fault firing once on exactly that operation's request: a 429 with
Retry-After, a 503, a dropped connection, a change applied with its answer lost, and an answer
slower than the client's timeout. The lifecycle call must succeed and leave exactly the expected
objects in the emulator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from unit.support import ACCOUNT, KEY_US1, KEY_US1_B, SECRET_US1, SECRET_US1_B, FakeTime

from cartesia_pulumi.core import phone_number as number_core
from cartesia_pulumi.core import twilio_provider as provider_core
from cartesia_pulumi.core.session import SESSION
from cartesia_pulumi.resources import (
    NumberAssignmentLifecycle,
    PhoneNumberLifecycle,
    TwilioProviderLifecycle,
)

NUMBERS = "/agents/phone-numbers"
PROVIDERS = "/agents/phone-numbers/providers"
NUMBER = "+14155550100"
TIMEOUT_S = 0.2

PROVIDER = TwilioProviderLifecycle()
PHONE = PhoneNumberLifecycle()
ROUTE = NumberAssignmentLifecycle()

FAULTS: dict[str, dict[str, Any]] = {
    "429": {"kind": "status", "status": 429, "retry_after": 0},
    "503": {"kind": "status", "status": 503},
    "drop": {"kind": "drop"},
    "apply_then_drop": {"kind": "apply_then_drop"},
    "timeout": {"kind": "latency", "latency_ms": int(TIMEOUT_S * 1000 * 3)},
}


def org(emulator: Any) -> dict[str, Any]:
    return emulator.control.org()


def provider_props(**over: Any) -> dict[str, Any]:
    base = {"account_sid": ACCOUNT, "api_key_sid": KEY_US1, "api_key_secret": SECRET_US1}
    return provider_core.check({}, {**base, **over}, online=False).inputs


def make_provider() -> tuple[str, dict[str, Any]]:
    result = PROVIDER.create(provider_props())
    assert result.outs is not None
    return result.id, result.outs


def make_number(pid: str, agent: str | None = None) -> tuple[str, dict[str, Any]]:
    result = PHONE.create(number_core.check({}, {"number": NUMBER, "provider_id": pid}, online=False).inputs)
    assert result.outs is not None
    if agent is not None:
        ROUTE.create({"phone_number_id": result.id, "agent_id": agent})
    SESSION.forget(result.id)  # as a later run: nothing is known from this process's writes
    return result.id, result.outs


@dataclass(frozen=True)
class Operation:
    """One write: the route its faulted request takes, how to run it, what must hold after."""

    route: str
    run: Callable[[], object]
    expect: Callable[[dict[str, Any]], None]


def op_provider_create(_em: Any) -> Operation:
    def expect(o: dict[str, Any]) -> None:
        assert [p["api_key_sid"] for p in o["providers"]] == [KEY_US1]

    return Operation(f"POST {PROVIDERS}$", lambda: PROVIDER.create(provider_props()), expect)


def op_provider_rotate(_em: Any) -> Operation:
    pid, outs = make_provider()
    news = provider_props(api_key_sid=KEY_US1_B, api_key_secret=SECRET_US1_B)

    def expect(o: dict[str, Any]) -> None:
        assert [(p["id"], p["api_key_sid"]) for p in o["providers"]] == [(pid, KEY_US1_B)]

    return Operation(f"PATCH {PROVIDERS}/", lambda: PROVIDER.update(pid, outs, news), expect)


def op_provider_delete(_em: Any) -> Operation:
    pid, outs = make_provider()

    def expect(o: dict[str, Any]) -> None:
        assert o["providers"] == []

    return Operation(f"DELETE {PROVIDERS}/", lambda: PROVIDER.delete(pid, outs), expect)


def op_number_import(_em: Any) -> Operation:
    pid, _ = make_provider()
    props = number_core.check({}, {"number": NUMBER, "provider_id": pid}, online=False).inputs

    def expect(o: dict[str, Any]) -> None:
        assert [(n["number"], n["provider_id"]) for n in o["phone_numbers"]] == [(NUMBER, pid)]

    return Operation(f"POST {NUMBERS}$", lambda: PHONE.create(props), expect)


def op_number_rename(_em: Any) -> Operation:
    pid, _ = make_provider()
    nid, outs = make_number(pid)
    news = {**outs, "label": "Renamed"}

    def expect(o: dict[str, Any]) -> None:
        assert [(n["id"], n["label"]) for n in o["phone_numbers"]] == [(nid, "Renamed")]

    return Operation(f"PATCH {NUMBERS}/ap_", lambda: PHONE.update(nid, outs, news), expect)


def op_number_delete(_em: Any) -> Operation:
    pid, _ = make_provider()
    nid, outs = make_number(pid)

    def expect(o: dict[str, Any]) -> None:
        assert o["phone_numbers"] == []

    return Operation(f"DELETE {NUMBERS}/ap_", lambda: PHONE.delete(nid, outs), expect)


def op_assign(_em: Any) -> Operation:
    pid, _ = make_provider()
    nid, _ = make_number(pid)

    def expect(o: dict[str, Any]) -> None:
        assert [(n["id"], n["agent_id"]) for n in o["phone_numbers"]] == [(nid, "agent_support")]

    props = {"phone_number_id": nid, "agent_id": "agent_support"}
    return Operation(f"PATCH {NUMBERS}/ap_", lambda: ROUTE.create(props), expect)


def op_unassign(_em: Any) -> Operation:
    pid, _ = make_provider()
    nid, _ = make_number(pid, agent="agent_support")
    props = {"phone_number_id": nid, "agent_id": "agent_support", "number": NUMBER}

    def expect(o: dict[str, Any]) -> None:
        assert [(n["id"], n["agent_id"]) for n in o["phone_numbers"]] == [(nid, None)]

    return Operation(f"PATCH {NUMBERS}/ap_", lambda: ROUTE.delete(nid, props), expect)


OPERATIONS = {
    "provider-create": op_provider_create,
    "provider-rotate": op_provider_rotate,
    "provider-delete": op_provider_delete,
    "number-import": op_number_import,
    "number-rename": op_number_rename,
    "number-delete": op_number_delete,
    "assign": op_assign,
    "unassign": op_unassign,
}


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_write_through_one_fault_converges_without_duplicates(
    configured: Any, operation: str, fault: str
) -> None:
    control = configured.control
    client = SESSION.client()
    fake = FakeTime()
    client.sleep, client.timeout = fake.sleep, TIMEOUT_S
    op = OPERATIONS[operation](configured)
    control.clear_requests()
    fault_id = control.add_fault(route=op.route, count=1, **FAULTS[fault])
    op.run()
    (fired,) = [f for f in control.faults() if f["id"] == fault_id]
    assert fired["fired"] == 1, f"the {fault} fault never met {op.route}"
    _wait_for_requests_to_finish(control)
    op.expect(org(configured))


def _wait_for_requests_to_finish(control: Any) -> None:
    """Block until every logged request has its outcome (a slow one may still be applying).

    Synchronises on the emulator recording each request's end, so no delayed write can land in
    the next test's state.
    """
    for _ in range(2000):
        requests = control.requests()
        if all(r["status"] is not None or r["fault"] in ("drop", "apply_then_drop") for r in requests):
            return
    raise AssertionError(f"requests still in flight: {control.requests()}")
