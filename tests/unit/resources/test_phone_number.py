"""PhoneNumberLifecycle: check/diff offline, create/read/update/delete against the emulator."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.runtime.rpc import UNKNOWN

from cartesia_pulumi.core import phone_number as core
from cartesia_pulumi.resources import (
    CartesiaResourceError,
    PhoneNumberLifecycle,
    TwilioProviderLifecycle,
)
from unit.support import (
    ACCOUNT,
    KEY_IE1,
    KEY_US1,
    SECRET_IE1,
    SECRET_US1,
    STAGING,
    STAGING_KEY_US1,
    STAGING_SECRET_US1,
    api_requests,
)

LC = PhoneNumberLifecycle()
NUMBER = "+14155550100"


def checked(**over: Any) -> dict[str, Any]:
    news: dict[str, Any] = {"number": NUMBER, "provider_id": "ata_x", "label": None, "adopt": None}
    news.update(over)
    result = core.check({}, news, online=False)  # offline: the tests decide what exists
    assert result.failures == [], [f.reason for f in result.failures]
    return result.inputs


def make_provider(
    account: str = ACCOUNT, key: str = KEY_US1, secret: str = SECRET_US1, region: str = "us1"
) -> str:
    return (
        TwilioProviderLifecycle()
        .create(
            {"account_sid": account, "api_key_sid": key, "api_key_secret": secret, "region": region}
        )
        .id
    )


def numbers(emulator: Any) -> list[dict[str, Any]]:
    return list(emulator.control.numbers().values())


# -- check ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["+14155550100", "+1 (415) 555-0100", " +1-415-555-0100 ", "+1.415.555.0100"]
)
def test_check_number_formats_normalised_to_e164(raw: str) -> None:
    assert checked(number=raw)["number"] == NUMBER


def test_check_label_defaults_to_number() -> None:
    assert checked(number="+1 415 555 0100")["label"] == NUMBER
    assert checked(label="Support")["label"] == "Support"


@pytest.mark.parametrize("raw", ["4155550100", "+1 415", "+999 123", "hello", "", "+"])
def test_check_bad_number_reported(raw: str) -> None:
    result = LC.check({}, {"number": raw, "provider_id": "ata_x"})
    assert [f.property for f in result.failures] == ["number"]
    assert "number" in result.failures[0].reason


def test_check_every_bad_field_reported_separately() -> None:
    result = LC.check({}, {"number": 14155550100, "provider_id": "", "label": 3, "adopt": "no"})
    assert sorted(f.property for f in result.failures) == [
        "adopt",
        "label",
        "number",
        "provider_id",
    ]


def test_check_unknown_values_skipped() -> None:
    result = LC.check({}, {"number": UNKNOWN, "provider_id": UNKNOWN})
    assert result.failures == []
    assert result.inputs["label"] == UNKNOWN


def test_check_unknown_objects_skipped() -> None:
    # What the dynamic server really passes during preview: deserialize_properties(...,
    # keep_unknowns=True) turns the sentinel into a pulumi.output.Unknown instance.
    from pulumi.output import Unknown

    result = LC.check({}, {"number": "+14155550100", "provider_id": Unknown()})
    assert result.failures == []
    assert isinstance(result.inputs["provider_id"], Unknown)


# -- diff -------------------------------------------------------------------------------------


def outs(**over: Any) -> dict[str, Any]:
    base = {
        **checked(),
        "adopt": False,
        "agent_id": "agent_support",
        "created_at": "2026-01-01T00:00:00Z",
        "adopted": False,
        "schema_version": 1,
        "__provider": "blob",
    }
    base.update(over)
    return base


def test_diff_no_change() -> None:
    d = LC.diff("pn", outs(), checked())
    assert (d.changes, d.replaces) == (False, [])


def test_diff_number_change_replace_create_first() -> None:
    d = LC.diff("pn", outs(), checked(number="+14155550101", label=NUMBER))
    assert d.replaces == ["number"]
    assert d.delete_before_replace is False  # a changed number is another number: import first


@pytest.mark.parametrize("field,value", [("label", "Support"), ("provider_id", "ata_other")])
def test_diff_label_or_provider_update(field: str, value: str) -> None:
    d = LC.diff("pn", outs(), checked(**{field: value}))
    assert (d.changes, d.replaces) == (True, [])


def test_diff_agent_change_ignored() -> None:
    assert LC.diff("pn", outs(agent_id="agent_sales"), checked()).changes is False


def test_diff_unknown_number_replace() -> None:
    d = LC.diff("pn", outs(), {**checked(), "number": UNKNOWN, "label": UNKNOWN})
    assert d.replaces == ["number"]


# -- create -----------------------------------------------------------------------------------


def test_create_one_request(configured: Any) -> None:
    pid = make_provider()
    configured.control.clear_requests()
    result = LC.create(checked(provider_id=pid, label="Support"))
    assert api_requests(configured) == [("POST", "/agents/phone-numbers")]
    o = result.outs
    assert o is not None
    assert (o["number"], o["label"], o["provider_id"], o["agent_id"]) == (
        NUMBER,
        "Support",
        pid,
        None,
    )
    assert o["created_at"] and o["adopted"] is False and o["schema_version"] == 1


def test_create_number_not_in_account_clear_error(configured: Any) -> None:
    pid = make_provider()
    with pytest.raises(CartesiaResourceError) as info:
        LC.create(checked(number="+14155550200", provider_id=pid))  # staging's number
    assert "+14155550200" in str(info.value)
    assert numbers(configured) == []


def test_create_conflict_without_adopt_explains(configured: Any) -> None:
    pid = make_provider()
    first = LC.create(checked(provider_id=pid))
    with pytest.raises(CartesiaResourceError) as info:
        LC.create(checked(provider_id=pid))
    assert "adopt=True" in str(info.value) and first.id in str(info.value)


def test_create_conflict_with_adopt_takes_over_keeps_agent(configured: Any) -> None:
    pid = make_provider()
    first = LC.create(checked(provider_id=pid))
    configured.control.console_update_number(first.id, agent_id="agent_support")
    result = LC.create(checked(provider_id=pid, label="Adopted", adopt=True))
    assert result.id == first.id
    assert result.outs is not None
    assert result.outs["adopted"] is True and result.outs["label"] == "Adopted"
    (n,) = numbers(configured)
    assert n["agent_id"] == "agent_support" and n["label"] == "Adopted"


def test_create_lost_response_adopted_without_duplicate(configured: Any) -> None:
    pid = make_provider()
    configured.control.add_fault(
        route="POST /agents/phone-numbers$", kind="apply_then_drop", count=1
    )
    result = LC.create(checked(provider_id=pid))
    assert [n["id"] for n in numbers(configured)] == [result.id]
    assert result.outs is not None and result.outs["adopted"] is False


def test_create_server_error_not_applied_retried(configured: Any) -> None:
    pid = make_provider()
    configured.control.add_fault(
        route="POST /agents/phone-numbers$", kind="status", status=503, count=1
    )
    result = LC.create(checked(provider_id=pid))
    assert [n["id"] for n in numbers(configured)] == [result.id]


def test_create_lost_response_but_preexisting_not_taken(configured: Any) -> None:
    pid = make_provider()
    LC.create(checked(provider_id=pid, label="someone else's"))
    configured.control.add_fault(route="POST /agents/phone-numbers$", kind="drop", count=1)
    with pytest.raises(CartesiaResourceError) as info:
        LC.create(checked(provider_id=pid))
    assert "adopt=True" in str(info.value)


# -- update -----------------------------------------------------------------------------------


def created(configured: Any, **over: Any) -> tuple[str, dict[str, Any]]:
    result = LC.create(checked(**over))
    assert result.outs is not None
    configured.control.clear_requests()
    return result.id, {**result.outs, "__provider": "blob"}


def test_update_label_one_patch(configured: Any) -> None:
    id, old = created(configured, provider_id=make_provider())
    result = LC.update(id, old, checked(provider_id=old["provider_id"], label="New"))
    assert api_requests(configured) == [("PATCH", f"/agents/phone-numbers/{id}")]
    assert result.outs is not None and result.outs["label"] == "New"


def test_update_move_provider_keeps_agent(configured: Any) -> None:
    us = make_provider()
    ie = make_provider(key=KEY_IE1, secret=SECRET_IE1, region="ie1")
    id, old = created(configured, provider_id=us)
    configured.control.console_update_number(id, agent_id="agent_support")
    configured.control.clear_requests()
    result = LC.update(id, old, checked(provider_id=ie))
    assert api_requests(configured) == [("PATCH", f"/agents/phone-numbers/{id}")]
    (n,) = numbers(configured)
    assert (n["provider_id"], n["agent_id"]) == (ie, "agent_support")
    assert result.outs is not None and result.outs["provider_id"] == ie


def test_update_move_to_other_account_rejected_clear(configured: Any) -> None:
    us = make_provider()
    staging = make_provider(STAGING, STAGING_KEY_US1, STAGING_SECRET_US1)
    id, old = created(configured, provider_id=us)
    with pytest.raises(CartesiaResourceError) as info:
        LC.update(id, old, checked(provider_id=staging))
    assert staging in str(info.value)
    assert numbers(configured)[0]["provider_id"] == us


# -- read -------------------------------------------------------------------------------------


def test_read_no_drift(configured: Any) -> None:
    id, old = created(configured, provider_id=make_provider())
    result = LC.read(id, old)
    assert result.id == id and result.outs is not None
    assert LC.diff(id, result.outs, checked(provider_id=old["provider_id"])).changes is False
    assert result.inputs == checked(provider_id=old["provider_id"], adopt=False)


def test_read_console_label_drift(configured: Any) -> None:
    id, old = created(configured, provider_id=make_provider())
    configured.control.console_update_number(id, label="console", agent_id="agent_sales")
    result = LC.read(id, old)
    assert result.outs is not None
    assert result.outs["label"] == "console" and result.outs["agent_id"] == "agent_sales"
    d = LC.diff(id, result.outs, checked(provider_id=old["provider_id"]))
    assert (d.changes, d.replaces) == (True, [])


def test_read_console_delete_gone(configured: Any) -> None:
    id, old = created(configured, provider_id=make_provider())
    configured.control.console_delete_number(id)
    assert LC.read(id, old).id == ""


# -- delete -----------------------------------------------------------------------------------


def test_delete_unassigned_removed(configured: Any) -> None:
    id, old = created(configured, provider_id=make_provider())
    LC.delete(id, old)
    assert numbers(configured) == []
    # One request: no GET ahead of the DELETE (the API itself refuses assigned numbers).
    assert api_requests(configured) == [("DELETE", f"/agents/phone-numbers/{id}")]


def test_delete_assigned_outside_names_agent(configured: Any) -> None:
    id, old = created(configured, provider_id=make_provider())
    configured.control.console_update_number(id, agent_id="agent_sales")
    with pytest.raises(CartesiaResourceError) as info:
        LC.delete(id, old)
    assert "agent_sales" in str(info.value) and "Sales" in str(info.value)
    assert len(numbers(configured)) == 1
    # The refused DELETE, then one GET to name the agent.
    assert [m for m, _ in api_requests(configured)][-2:] == ["DELETE", "GET"]


def test_delete_missing_done(configured: Any) -> None:
    LC.delete("ap_missing", {"number": NUMBER})
