"""Listing (§1.3, §2.6; U14-U16) and provisioning (§2.11; R13-R15, U19) of phone numbers."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.emulator.emulator_support import assert_error, import_number, provision, set_plan_slots

NUMBERS = "/agents/phone-numbers"


# --- list ----------------------------------------------------------------------------------------


def _many(api: httpx.Client, count: int) -> list[dict[str, Any]]:
    return [provision(api, f"line {i}").json() for i in range(count)]


def test_list_numbers_returns_newest_first_with_stable_same_second_order(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    """U14: created_at desc; same-second ties by insertion order (newest first)."""
    set_plan_slots(emulator.control, 50)
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
    set_plan_slots(emulator.control, 50)
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
    set_plan_slots(emulator.control, 50)
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
    set_plan_slots(emulator.control, 50)
    _many(api, 11)
    page = api.get(NUMBERS).json()
    assert len(page["data"]) == 10 and page["has_more"] is True


@pytest.mark.parametrize("limit", ["0", "101", "abc", "-1"])
def test_list_numbers_with_bad_limit_returns_400(api: httpx.Client, limit: str) -> None:
    """U15."""
    assert_error(api.get(NUMBERS, params={"limit": limit}), 400, "invalid_request")


def test_list_numbers_with_both_cursors_returns_400(api: httpx.Client) -> None:
    """U15."""
    n = provision(api).json()
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
    ca = provision(api, agent_id="agent_support").json()
    import_number(api, provider["id"], "+14155550101")

    def ids(**params: str) -> set[str]:
        return {n["id"] for n in api.get(NUMBERS, params=params).json()["data"]}

    assert ids(agent_id="agent_support") == {tw["id"], ca["id"]}
    assert ids(type="cartesia") == {ca["id"]}
    assert len(ids(type="twilio")) == 2
    assert len(ids(provider_id=provider["id"])) == 2
    assert ids(type="sip_trunk") == set()
    assert_error(api.get(NUMBERS, params={"type": "vonage"}), 400)


# --- provision -----------------------------------------------------------------------------------


def test_provision_number_returns_201_without_provider_key(api: httpx.Client) -> None:
    """§2.11/R14: ProvisionPhoneNumberResponse has no provider; number is US."""
    r = provision(api, "Support line", agent_id="agent_support")
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
    set_plan_slots(emulator.control, 1)
    assert provision(api).status_code == 201
    assert_error(provision(api), 402, "quota_exceeded")


def test_provision_number_imported_numbers_do_not_use_slots(
    api: httpx.Client, provider: dict[str, Any], emulator: RunningEmulator
) -> None:
    """U19: only Cartesia numbers count."""
    set_plan_slots(emulator.control, 1)
    import_number(api, provider["id"], "+14155550100")
    import_number(api, provider["id"], "+14155550101")
    assert provision(api).status_code == 201


def test_provision_number_after_delete_frees_slot(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    set_plan_slots(emulator.control, 1)
    n = provision(api).json()
    api.delete(f"{NUMBERS}/{n['id']}")
    assert provision(api).status_code == 201


def test_provision_number_with_unknown_agent_returns_404(api: httpx.Client) -> None:
    """§2.11 (S3)."""
    assert_error(provision(api, agent_id="agent_x"), 404)


def test_provision_number_without_label_returns_400(api: httpx.Client) -> None:
    assert_error(api.post(f"{NUMBERS}/provision", json={}), 400, "invalid_request")
