"""Phone-number routes (§2.6-2.12) and rules R6-R15, R18, R19, U5, U14-U24, U27."""

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
)

NUMBERS = "/agents/phone-numbers"


@pytest.fixture
def provider(api: httpx.Client) -> dict[str, Any]:
    return create_provider(api)


def _import(api: httpx.Client, **body: Any) -> httpx.Response:
    return api.post(NUMBERS, json=body)


def _provision(api: httpx.Client, label: str = "Cartesia line", **extra: Any) -> httpx.Response:
    return api.post(f"{NUMBERS}/provision", json={"label": label, **extra})


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
    emulator.control.twilio_revoke_key(PROD_US1[0])
    r = _import(api, label="x", number="+14155550100", provider={"id": provider["id"]})
    assert "revoked" in assert_error(r, 400, "twilio_lookup_failed")["message"]


# --- list ----------------------------------------------------------------------------------------


def _many(api: httpx.Client, count: int) -> list[dict[str, Any]]:
    return [_provision(api, f"line {i}").json() for i in range(count)]


def test_list_numbers_returns_newest_first_with_stable_same_second_order(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    """U14: created_at desc; same-second ties by insertion order (newest first)."""
    emulator.control.seed({"organizations": [{"id": "org_demo", "plan_slots": 50}]})
    made = _many(api, 5)
    emulator.control.advance_clock(5)
    made += _many(api, 2)
    page = api.get(NUMBERS, params={"limit": 100}).json()
    assert [n["id"] for n in page["data"]] == [n["id"] for n in reversed(made)]
    assert page["has_more"] is False


def test_list_numbers_paginates_with_starting_after(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    """§1.3/U14: cursor pagination covers every item exactly once; has_more is exact."""
    emulator.control.seed({"organizations": [{"id": "org_demo", "plan_slots": 50}]})
    made = _many(api, 25)
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 10}
    pages = 0
    while True:
        page = api.get(NUMBERS, params=params).json()
        pages += 1
        seen += [n["id"] for n in page["data"]]
        if not page["has_more"]:
            break
        params["starting_after"] = page["data"][-1]["id"]
    assert pages == 3
    assert seen == [n["id"] for n in reversed(made)]


def test_list_numbers_ending_before_returns_previous_page(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    emulator.control.seed({"organizations": [{"id": "org_demo", "plan_slots": 50}]})
    _many(api, 12)
    first = api.get(NUMBERS, params={"limit": 5}).json()
    second = api.get(NUMBERS, params={"limit": 5, "starting_after": first["data"][-1]["id"]}).json()
    back = api.get(NUMBERS, params={"limit": 5, "ending_before": second["data"][0]["id"]}).json()
    assert [n["id"] for n in back["data"]] == [n["id"] for n in first["data"]]
    assert back["has_more"] is False
    partial = api.get(NUMBERS, params={"limit": 3, "ending_before": second["data"][0]["id"]}).json()
    assert [n["id"] for n in partial["data"]] == [n["id"] for n in first["data"][2:]]
    assert partial["has_more"] is True


def test_list_numbers_default_limit_is_10(api: httpx.Client, emulator: RunningEmulator) -> None:
    emulator.control.seed({"organizations": [{"id": "org_demo", "plan_slots": 50}]})
    _many(api, 11)
    page = api.get(NUMBERS).json()
    assert len(page["data"]) == 10 and page["has_more"] is True


@pytest.mark.parametrize("limit", ["0", "101", "abc", "-1"])
def test_list_numbers_with_bad_limit_returns_400(api: httpx.Client, limit: str) -> None:
    """U15."""
    assert_error(api.get(NUMBERS, params={"limit": limit}), 400, "invalid_request")


def test_list_numbers_with_both_cursors_returns_400(api: httpx.Client) -> None:
    """U15."""
    n = _provision(api).json()
    r = api.get(NUMBERS, params={"starting_after": n["id"], "ending_before": n["id"]})
    assert_error(r, 400, "invalid_request")


def test_list_numbers_with_unknown_cursor_returns_400(api: httpx.Client) -> None:
    """U15."""
    assert_error(api.get(NUMBERS, params={"starting_after": "ap_nope"}), 400, "invalid_request")


def test_list_numbers_q_matches_number_label_and_agent_name_case_insensitively(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    """U16."""
    a = import_number(api, provider["id"], "+14155550100", label="Front Desk")
    b = import_number(api, provider["id"], "+14155550101", label="other", agent_id="agent_sales")
    c = import_number(api, provider["id"], "+14155550102", label="third")

    def ids(q: str) -> set[str]:
        return {n["id"] for n in api.get(NUMBERS, params={"q": q}).json()["data"]}

    assert ids("front desk") == {a["id"]}
    assert ids("SALES") == {b["id"]}
    assert ids("0102") == {c["id"]}
    assert ids("+1415555010") == {a["id"], b["id"], c["id"]}
    assert ids("zzz") == set()


def test_list_numbers_filters_by_agent_provider_and_type(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    tw = import_number(api, provider["id"], agent_id="agent_support")
    ca = _provision(api, agent_id="agent_support").json()
    import_number(api, provider["id"], "+14155550101")

    def ids(**params: str) -> set[str]:
        return {n["id"] for n in api.get(NUMBERS, params=params).json()["data"]}

    assert ids(agent_id="agent_support") == {tw["id"], ca["id"]}
    assert ids(type="cartesia") == {ca["id"]}
    assert len(ids(type="twilio")) == 2
    assert len(ids(provider_id=provider["id"])) == 2
    assert ids(type="sip_trunk") == set()
    assert_error(api.get(NUMBERS, params={"type": "vonage"}), 400)


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
    n = _provision(api).json()
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
    assert "+14155550100" in emulator.control.state()["twilio_accounts"][0]["numbers"]
    again = import_number(api, provider["id"])
    assert again["id"] != n["id"]


def test_delete_number_cartesia_number_is_never_reissued(api: httpx.Client) -> None:
    """R13: released for good."""
    first = _provision(api).json()
    api.delete(f"{NUMBERS}/{first['id']}")
    later = {_provision(api, f"l{i}").json()["number"] for i in range(3)}
    assert first["number"] not in later


# --- provision -----------------------------------------------------------------------------------


def test_provision_number_returns_201_without_provider_key(api: httpx.Client) -> None:
    """§2.11/R14: ProvisionPhoneNumberResponse has no provider; number is US."""
    r = _provision(api, "Support line", agent_id="agent_support")
    assert r.status_code == 201
    body = r.json()
    assert "provider" not in body
    assert set(body) == {"id", "label", "number", "agent", "created_at", "updated_at"}
    assert body["number"].startswith("+1") and len(body["number"]) == 12
    assert body["agent"] == {"id": "agent_support", "name": "Support"}
    got = api.get(f"{NUMBERS}/{body['id']}").json()
    assert got["provider"] == {"type": "cartesia"}


def test_provision_number_over_plan_slots_returns_402(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    """R15: over the plan's slots → 402 quota_exceeded."""
    emulator.control.seed({"organizations": [{"id": "org_demo", "plan_slots": 1}]})
    assert _provision(api).status_code == 201
    assert_error(_provision(api), 402, "quota_exceeded")


def test_provision_number_imported_numbers_do_not_use_slots(
    api: httpx.Client, provider: dict[str, Any], emulator: RunningEmulator
) -> None:
    """U19: only Cartesia numbers count."""
    emulator.control.seed({"organizations": [{"id": "org_demo", "plan_slots": 1}]})
    import_number(api, provider["id"], "+14155550100")
    import_number(api, provider["id"], "+14155550101")
    assert _provision(api).status_code == 201


def test_provision_number_after_delete_frees_slot(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    emulator.control.seed({"organizations": [{"id": "org_demo", "plan_slots": 1}]})
    n = _provision(api).json()
    api.delete(f"{NUMBERS}/{n['id']}")
    assert _provision(api).status_code == 201


def test_provision_number_with_unknown_agent_returns_404(api: httpx.Client) -> None:
    """§2.11 (S3)."""
    assert_error(_provision(api, agent_id="agent_x"), 404)


def test_provision_number_without_label_returns_400(api: httpx.Client) -> None:
    assert_error(api.post(f"{NUMBERS}/provision", json={}), 400, "invalid_request")


# --- agents ------------------------------------------------------------------------------------


def test_delete_agent_unassigns_its_numbers(
    api: httpx.Client, provider: dict[str, Any], emulator: RunningEmulator
) -> None:
    """U23: numbers of a deleted agent become unassigned."""
    n = import_number(api, provider["id"], agent_id="agent_sales")
    emulator.control.delete_agent("org_demo", "agent_sales")
    assert api.get(f"{NUMBERS}/{n['id']}").json()["agent"] is None


def test_legacy_agent_numbers_lists_numbers_assigned_to_agent(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    """§2.12 (deprecated)."""
    import_number(api, provider["id"], agent_id="agent_support")
    c = _provision(api, agent_id="agent_support").json()
    rows = api.get("/agents/agent_support/phone-numbers").json()
    assert [r["number"] for r in rows] == ["+14155550100", c["number"]]
    assert [r["is_cartesia_managed"] for r in rows] == [False, True]
    assert set(rows[0]) == {"agent_id", "number", "created_at", "updated_at", "is_cartesia_managed"}
    assert_error(api.get("/agents/agent_nope/phone-numbers"), 404)
