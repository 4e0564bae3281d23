"""Phone-number routes: import, get, update, delete (§2.7-2.10); R6-R13, R18, R19, U5, U17-U24.

Listing and provisioning are in ``test_emulator_numbers_list.py``.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.emulator.emulator_support import (
    PROD,
    PROD_IE1,
    PROD_US1,
    STAGING,
    STAGING_US1,
    assert_error,
    create_provider,
    import_number,
    provision,
)

NUMBERS = "/agents/phone-numbers"


def _import(api: httpx.Client, **body: Any) -> httpx.Response:
    return api.post(NUMBERS, json=body)


# --- import ------------------------------------------------------------------------------------


def test_import_number_returns_201_with_agent_object_and_provider(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    """§2.0: agent_id in, agent {id, name} out; full masked provider embedded."""
    n = import_number(api, provider["id"], agent_id="agent_support")
    assert n["id"].startswith("ap_") and len(n["id"]) == 3 + 22
    assert n["agent"] == {"id": "agent_support", "name": "Support"}
    assert n["number"] == "+14155550100" and n["label"] == "Main line"
    assert n["provider"] == provider
    assert n["created_at"] == n["updated_at"]
    assert n["created_at"].endswith("Z") and len(n["created_at"]) == 20
    assert api.get(f"{NUMBERS}/{n['id']}").json() == n


def test_import_number_without_agent_is_unassigned(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    n = import_number(api, provider["id"])
    assert n["agent"] is None


def test_import_number_not_in_twilio_account_returns_400(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    """R6: Cartesia never buys numbers; staging's number is not in production's account."""
    r = _import(api, label="x", number="+14155550200", provider={"id": provider["id"]})
    assert_error(r, 400, "number_not_in_account")
    assert api.get(NUMBERS).json()["data"] == []


def test_import_number_twice_returns_409(api: httpx.Client, provider: dict[str, Any]) -> None:
    """R7."""
    import_number(api, provider["id"])
    r = _import(api, label="again", number="+14155550100", provider={"id": provider["id"]})
    assert_error(r, 409, "number_already_imported")


def test_import_number_already_imported_via_other_provider_returns_409(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    """U17: uniqueness is per organisation, whichever provider."""
    import_number(api, provider["id"])
    other = create_provider(api, key=PROD_IE1, region="ie1")
    r = _import(api, label="again", number="+14155550100", provider={"id": other["id"]})
    assert_error(r, 409)


def test_import_number_same_number_in_other_org_succeeds(
    api: httpx.Client, other_api: httpx.Client, provider: dict[str, Any]
) -> None:
    """U17: the 409 scope is the organisation."""
    import_number(api, provider["id"])
    theirs = create_provider(other_api)
    import_number(other_api, theirs["id"])


def test_import_number_with_webhook_failure_saves_number_unassigned_and_returns_400(
    api: httpx.Client, provider: dict[str, Any], emulator: RunningEmulator
) -> None:
    """R8/R18: half-success; the number exists unassigned; PATCH repairs it."""
    emulator.control.twilio_add_number(PROD, "+14155550100", webhook_fails=True)
    r = _import(
        api, label="x", number="+14155550100", provider={"id": provider["id"]},
        agent_id="agent_support",
    )
    body = assert_error(r, 400, "webhook_configuration_failed")
    assert "PATCH" in body["message"]
    found = api.get(NUMBERS, params={"q": "+14155550100"}).json()["data"]
    assert len(found) == 1 and found[0]["agent"] is None
    # while Twilio keeps failing, the PATCH fails too and changes nothing
    r = api.patch(f"{NUMBERS}/{found[0]['id']}", json={"agent_id": "agent_support"})
    assert_error(r, 400, "webhook_configuration_failed")
    emulator.control.twilio_add_number(PROD, "+14155550100", webhook_fails=False)
    r = api.patch(f"{NUMBERS}/{found[0]['id']}", json={"agent_id": "agent_support"})
    assert r.status_code == 200 and r.json()["agent"]["id"] == "agent_support"


def test_import_number_with_webhook_flag_from_seed_and_no_agent_succeeds(
    api: httpx.Client, provider: dict[str, Any], emulator: RunningEmulator
) -> None:
    """R8 only concerns assignment; seeds accept {number, webhook_fails} objects."""
    emulator.control.seed(
        {"twilio_accounts": [{"account_sid": PROD, "numbers": [{"number": "+14155550101", "webhook_fails": True}]}]}
    )
    import_number(api, provider["id"], "+14155550101")


def test_import_number_with_unknown_agent_returns_404_and_creates_nothing(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    r = _import(
        api, label="x", number="+14155550100", provider={"id": provider["id"]}, agent_id="agent_nope"
    )
    assert_error(r, 404, "not_found")
    assert api.get(NUMBERS).json()["data"] == []


def test_import_number_with_unknown_provider_returns_404(api: httpx.Client) -> None:
    r = _import(api, label="x", number="+14155550100", provider={"id": "ata_nope"})
    assert_error(r, 404, "not_found")


def test_import_number_by_twilio_account_resolves_provider(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    """U18: {type, account_sid} without region means us1."""
    r = _import(
        api, label="x", number="+14155550100", provider={"type": "twilio", "account_sid": PROD}
    )
    assert r.status_code == 201 and r.json()["provider"]["id"] == provider["id"]


def test_import_number_by_twilio_account_and_region_resolves_that_region(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    ie = create_provider(api, key=PROD_IE1, region="ie1")
    r = _import(
        api, label="x", number="+35315550100",
        provider={"type": "twilio", "account_sid": PROD, "region": "ie1"},
    )
    assert r.status_code == 201 and r.json()["provider"]["id"] == ie["id"]


def test_import_number_by_twilio_account_without_provider_returns_404(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    """U18: no provider for (account, region) → 404."""
    r = _import(
        api, label="x", number="+14155550200", provider={"type": "twilio", "account_sid": STAGING}
    )
    assert_error(r, 404)
    r = _import(
        api, label="x", number="+14155550100",
        provider={"type": "twilio", "account_sid": PROD, "region": "au1"},
    )
    assert_error(r, 404)


@pytest.mark.parametrize("ref", [{"type": "cartesia"}, {"type": "sip_trunk", "account_sid": PROD}])
def test_import_number_with_unsupported_provider_type_returns_400(
    api: httpx.Client, ref: dict[str, Any]
) -> None:
    """§2.7: unsupported provider type → 400."""
    r = _import(api, label="x", number="+14155550100", provider=ref)
    assert_error(r, 400, "unsupported_provider_type")


@pytest.mark.parametrize("number", ["14155550100", "+0415555", "+1 415 555 0100", "+1415555010012345", "+"])
def test_import_number_not_e164_returns_400(
    api: httpx.Client, provider: dict[str, Any], number: str
) -> None:
    """U5."""
    r = _import(api, label="x", number=number, provider={"id": provider["id"]})
    assert_error(r, 400, "invalid_request")


def test_import_number_missing_label_returns_400(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    """§2.7: label is required."""
    r = _import(api, number="+14155550100", provider={"id": provider["id"]})
    assert_error(r, 400, "invalid_request")


def test_import_number_with_revoked_provider_key_returns_400(
    api: httpx.Client, provider: dict[str, Any], emulator: RunningEmulator
) -> None:
    """§2.7: the lookup at Twilio fails when the provider's key was revoked."""
    emulator.control.twilio_revoke_key(PROD_US1.sid)
    r = _import(api, label="x", number="+14155550100", provider={"id": provider["id"]})
    assert "revoked" in assert_error(r, 400, "twilio_lookup_failed")["message"]


# --- get / update ------------------------------------------------------------------------------


def test_get_number_unknown_returns_404(api: httpx.Client) -> None:
    assert_error(api.get(f"{NUMBERS}/ap_nope"), 404, "not_found")


def test_update_number_assigns_agent_and_replaces_previous(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    """R9: one agent per number (assigning replaces); an agent may have many numbers."""
    a = import_number(api, provider["id"], "+14155550100", agent_id="agent_support")
    b = import_number(api, provider["id"], "+14155550101")
    r = api.patch(f"{NUMBERS}/{b['id']}", json={"agent_id": "agent_support"})
    assert r.json()["agent"] == {"id": "agent_support", "name": "Support"}
    r = api.patch(f"{NUMBERS}/{a['id']}", json={"agent_id": "agent_sales"})
    assert r.json()["agent"] == {"id": "agent_sales", "name": "Sales"}
    by_agent = api.get(NUMBERS, params={"agent_id": "agent_support"}).json()["data"]
    assert [n["id"] for n in by_agent] == [b["id"]]


def test_update_number_with_agent_null_unassigns(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    """R10."""
    n = import_number(api, provider["id"], agent_id="agent_support")
    r = api.patch(f"{NUMBERS}/{n['id']}", json={"agent_id": None})
    assert r.status_code == 200 and r.json()["agent"] is None


def test_update_number_without_agent_id_keeps_agent(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    """§2.9 merge-patch: omitted = unchanged."""
    n = import_number(api, provider["id"], agent_id="agent_support")
    r = api.patch(f"{NUMBERS}/{n['id']}", json={"label": "renamed"})
    assert r.json()["agent"]["id"] == "agent_support" and r.json()["label"] == "renamed"


def test_update_number_with_unknown_agent_returns_404(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    """U21."""
    n = import_number(api, provider["id"])
    assert_error(api.patch(f"{NUMBERS}/{n['id']}", json={"agent_id": "agent_x"}), 404)


def test_update_number_with_same_agent_keeps_updated_at(
    api: httpx.Client, provider: dict[str, Any], emulator: RunningEmulator
) -> None:
    """U21/U22: a no-op PATCH returns 200 and leaves updated_at alone."""
    n = import_number(api, provider["id"], agent_id="agent_support", label="L")
    emulator.control.advance_clock(60)
    r = api.patch(f"{NUMBERS}/{n['id']}", json={"agent_id": "agent_support", "label": "L"})
    assert r.status_code == 200 and r.json()["updated_at"] == n["updated_at"]


def test_update_number_with_change_bumps_updated_at(
    api: httpx.Client, provider: dict[str, Any], emulator: RunningEmulator
) -> None:
    """U22."""
    n = import_number(api, provider["id"])
    emulator.control.advance_clock(60)
    r = api.patch(f"{NUMBERS}/{n['id']}", json={"label": "new"})
    assert r.json()["updated_at"] > n["updated_at"]
    assert r.json()["created_at"] == n["created_at"]


def test_update_number_with_label_null_returns_400(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    """U20: label is not nullable."""
    n = import_number(api, provider["id"])
    assert_error(api.patch(f"{NUMBERS}/{n['id']}", json={"label": None}), 400, "invalid_request")


def test_update_number_with_empty_label_stores_it(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    """U20: empty string accepted."""
    n = import_number(api, provider["id"])
    assert api.patch(f"{NUMBERS}/{n['id']}", json={"label": ""}).json()["label"] == ""


def test_update_number_unknown_returns_404(api: httpx.Client) -> None:
    assert_error(api.patch(f"{NUMBERS}/ap_nope", json={"label": "x"}), 404)


def test_update_number_move_to_provider_of_same_account_succeeds(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    """R11: the target account owns the number (same account, other region)."""
    n = import_number(api, provider["id"])
    ie = create_provider(api, key=PROD_IE1, region="ie1")
    r = api.patch(f"{NUMBERS}/{n['id']}", json={"provider": {"id": ie["id"]}})
    assert r.status_code == 200 and r.json()["provider"]["id"] == ie["id"]


def test_update_number_move_to_account_without_number_returns_400(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    """R11: the number must exist in the target provider's Twilio account."""
    n = import_number(api, provider["id"])
    staging = create_provider(api, account_sid=STAGING, key=STAGING_US1)
    r = api.patch(f"{NUMBERS}/{n['id']}", json={"provider": {"id": staging["id"]}})
    assert_error(r, 400, "number_not_in_account")
    assert api.get(f"{NUMBERS}/{n['id']}").json()["provider"]["id"] == provider["id"]


def test_update_number_move_to_unknown_provider_returns_404(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    n = import_number(api, provider["id"])
    assert_error(api.patch(f"{NUMBERS}/{n['id']}", json={"provider": {"id": "ata_x"}}), 404)


def test_update_number_move_cartesia_number_to_twilio_returns_400(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    """R11: no cross-type moves (delete + re-import)."""
    n = provision(api).json()
    r = api.patch(f"{NUMBERS}/{n['id']}", json={"provider": {"id": provider["id"]}})
    assert_error(r, 400, "unsupported_provider_change")


def test_update_number_move_to_cartesia_type_returns_400(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    """R11: twilio → cartesia is a cross-type move."""
    n = import_number(api, provider["id"])
    r = api.patch(f"{NUMBERS}/{n['id']}", json={"provider": {"type": "cartesia"}})
    assert_error(r, 400)


def test_update_number_with_webhook_failure_returns_400_and_changes_nothing(
    api: httpx.Client, provider: dict[str, Any], emulator: RunningEmulator
) -> None:
    """R18 / §2.9: webhook configuration failed → 400, all or nothing."""
    n = import_number(api, provider["id"])
    emulator.control.twilio_add_number(PROD, "+14155550100", webhook_fails=True)
    r = api.patch(f"{NUMBERS}/{n['id']}", json={"agent_id": "agent_support", "label": "z"})
    assert_error(r, 400, "webhook_configuration_failed")
    assert api.get(f"{NUMBERS}/{n['id']}").json() == n


# --- delete --------------------------------------------------------------------------------------


def test_delete_number_assigned_returns_400_naming_agent(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    """R12."""
    n = import_number(api, provider["id"], agent_id="agent_support")
    body = assert_error(api.delete(f"{NUMBERS}/{n['id']}"), 400, "number_assigned")
    assert "agent_support" in body["message"] and "Support" in body["message"]


def test_delete_number_returns_204_then_404(api: httpx.Client, provider: dict[str, Any]) -> None:
    """U24."""
    n = import_number(api, provider["id"])
    r = api.delete(f"{NUMBERS}/{n['id']}")
    assert r.status_code == 204 and r.content == b""
    assert_error(api.delete(f"{NUMBERS}/{n['id']}"), 404)


def test_delete_number_twilio_number_stays_in_twilio_account(
    api: httpx.Client, provider: dict[str, Any], emulator: RunningEmulator
) -> None:
    """R19: removed from Cartesia only; it can be imported again."""
    n = import_number(api, provider["id"])
    api.delete(f"{NUMBERS}/{n['id']}")
    assert "+14155550100" in emulator.control.twilio_account(PROD)["numbers"]
    again = import_number(api, provider["id"])
    assert again["id"] != n["id"]


def test_delete_number_cartesia_number_is_never_reissued(api: httpx.Client) -> None:
    """R13: released for good."""
    first = provision(api).json()
    api.delete(f"{NUMBERS}/{first['id']}")
    later = {provision(api, f"l{i}").json()["number"] for i in range(3)}
    assert first["number"] not in later
