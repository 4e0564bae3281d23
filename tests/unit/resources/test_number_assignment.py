"""NumberAssignmentLifecycle against the emulator."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.runtime.rpc import UNKNOWN

from cartesia_pulumi.core.session import SESSION
from cartesia_pulumi.resources import (
    CartesiaResourceError,
    NumberAssignmentLifecycle,
    PhoneNumberLifecycle,
    TwilioProviderLifecycle,
)
from unit.support import ACCOUNT, KEY_US1, SECRET_US1, api_requests

LC = NumberAssignmentLifecycle()


def make_number(number: str = "+14155550100") -> str:
    pid = (
        TwilioProviderLifecycle()
        .create(
            {
                "account_sid": ACCOUNT,
                "api_key_sid": KEY_US1,
                "api_key_secret": SECRET_US1,
                "region": "us1",
            }
        )
        .id
    )
    return (
        PhoneNumberLifecycle()
        .create({"number": number, "provider_id": pid, "label": number, "adopt": False})
        .id
    )


def agent_of(emulator: Any, number_id: str) -> str | None:
    (agent,) = [n["agent_id"] for n in emulator.control.numbers().values() if n["id"] == number_id]
    return agent


def test_check_bad_fields_reported_separately() -> None:
    result = LC.check({}, {"phone_number_id": "", "agent_id": None})
    assert sorted(f.property for f in result.failures) == ["agent_id", "phone_number_id"]


def test_check_unknown_skipped() -> None:
    assert LC.check({}, {"phone_number_id": UNKNOWN, "agent_id": "agent_x"}).failures == []


def test_diff_agent_update_number_replace() -> None:
    old = {"phone_number_id": "pn1", "agent_id": "a", "number": "+1", "__provider": "x"}
    assert LC.diff("pn1", old, {"phone_number_id": "pn1", "agent_id": "a"}).changes is False
    d = LC.diff("pn1", old, {"phone_number_id": "pn1", "agent_id": "b"})
    assert (d.changes, d.replaces) == (True, [])
    d = LC.diff("pn1", old, {"phone_number_id": "pn2", "agent_id": "a"})
    assert d.replaces == ["phone_number_id"] and d.delete_before_replace is False  # create first


def test_create_number_this_process_imported_one_patch(configured: Any) -> None:
    nid = make_number()
    configured.control.clear_requests()
    result = LC.create({"phone_number_id": nid, "agent_id": "agent_support"})
    assert result.outs is not None and result.outs["agent_name"] == "Support"
    assert agent_of(configured, nid) == "agent_support"
    # The import's own answer said "unassigned" a moment ago: no GET before the PATCH.
    assert api_requests(configured) == [("PATCH", f"/agents/phone-numbers/{nid}")]


def test_create_assigns_get_then_patch(configured: Any) -> None:
    nid = make_number()
    SESSION.forget(nid)  # as in a later `pulumi up`: this process never saw the number
    configured.control.clear_requests()
    result = LC.create({"phone_number_id": nid, "agent_id": "agent_support"})
    assert result.id == nid
    assert result.outs is not None
    assert result.outs["agent_name"] == "Support" and result.outs["number"] == "+14155550100"
    assert agent_of(configured, nid) == "agent_support"
    assert api_requests(configured) == [
        ("GET", "/agents/phone-numbers"),  # Support's page (shared by every assignment of a run)
        ("GET", f"/agents/phone-numbers/{nid}"),  # not on it: its own GET says it is free
        ("PATCH", f"/agents/phone-numbers/{nid}"),
    ]


def test_create_already_same_agent_no_patch(configured: Any) -> None:
    nid = make_number()
    SESSION.forget(nid)
    configured.control.console_update_number(nid, agent_id="agent_support")
    configured.control.clear_requests()
    LC.create({"phone_number_id": nid, "agent_id": "agent_support"})
    assert [m for m, _ in api_requests(configured)] == ["GET"]


def test_create_other_agent_holds_refused(configured: Any) -> None:
    nid = make_number()
    SESSION.forget(nid)
    configured.control.console_update_number(nid, agent_id="agent_sales")
    with pytest.raises(CartesiaResourceError) as info:
        LC.create({"phone_number_id": nid, "agent_id": "agent_support"})
    assert "agent_sales" in str(info.value) and "+14155550100" in str(info.value)
    assert agent_of(configured, nid) == "agent_sales"


def test_create_missing_number_clear_error(configured: Any) -> None:
    with pytest.raises(CartesiaResourceError) as info:
        LC.create({"phone_number_id": "ap_nope", "agent_id": "agent_support"})
    assert "ap_nope" in str(info.value)


def test_create_unknown_agent_clear_error(configured: Any) -> None:
    nid = make_number()
    with pytest.raises(CartesiaResourceError) as info:
        LC.create({"phone_number_id": nid, "agent_id": "agent_nobody"})
    assert "agent_nobody" in str(info.value)


def assigned(configured: Any, agent: str = "agent_support") -> tuple[str, dict[str, Any]]:
    nid = make_number()
    result = LC.create({"phone_number_id": nid, "agent_id": agent})
    assert result.outs is not None
    configured.control.clear_requests()
    return nid, {**result.outs, "__provider": "blob"}


def test_update_reassign_one_patch_never_unassigned(configured: Any) -> None:
    nid, old = assigned(configured)
    result = LC.update(nid, old, {"phone_number_id": nid, "agent_id": "agent_sales"})
    assert api_requests(configured) == [("PATCH", f"/agents/phone-numbers/{nid}")]
    assert agent_of(configured, nid) == "agent_sales"
    assert result.outs is not None and result.outs["agent_name"] == "Sales"


def test_read_no_drift(configured: Any) -> None:
    nid, old = assigned(configured)
    result = LC.read(nid, old)
    assert result.id == nid
    assert result.inputs == {"phone_number_id": nid, "agent_id": "agent_support"}


def test_read_reassigned_reports_agent(configured: Any) -> None:
    nid, old = assigned(configured)
    configured.control.console_update_number(nid, agent_id="agent_sales")
    result = LC.read(nid, old)
    assert result.outs is not None and result.outs["agent_id"] == "agent_sales"
    d = LC.diff(nid, result.outs, {"phone_number_id": nid, "agent_id": "agent_support"})
    assert (d.changes, d.replaces) == (True, [])


def test_read_unassigned_gone(configured: Any) -> None:
    nid, old = assigned(configured)
    configured.control.console_update_number(nid, agent_id=None)
    assert LC.read(nid, old).id == ""


def test_read_number_deleted_gone(configured: Any) -> None:
    nid, old = assigned(configured)
    configured.control.console_delete_number(nid)
    assert LC.read(nid, old).id == ""


def test_delete_unassigns_recorded_agent(configured: Any) -> None:
    nid, old = assigned(configured)
    LC.delete(nid, old)
    assert agent_of(configured, nid) is None


def test_delete_other_agent_left_alone(configured: Any) -> None:
    nid, old = assigned(configured)
    configured.control.console_update_number(nid, agent_id="agent_sales")
    configured.control.clear_requests()
    LC.delete(nid, old)
    assert agent_of(configured, nid) == "agent_sales"
    # Support's list does not hold it any more, a GET shows Sales has it: no PATCH is sent.
    assert api_requests(configured) == [
        ("GET", "/agents/phone-numbers"),
        ("GET", f"/agents/phone-numbers/{nid}"),
    ]


def test_delete_missing_number_done(configured: Any) -> None:
    nid, old = assigned(configured)
    configured.control.console_delete_number(nid)
    LC.delete(nid, old)
