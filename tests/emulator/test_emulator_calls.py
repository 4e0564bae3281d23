"""Outbound calls (§2.13; R14, R17, U25, U36, U37) and the legacy outbound route (§2.14, U29)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cartesia_pulumi.emulator.demo import AGENT_SALES, DEMO_ORG_ID, PROD_IE1, PROD_US1
from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.emulator.emulator_support import (
    PROD,
    assert_error,
    create_provider,
    import_number,
    provision,
)

CALLS = "/agents/calls"


@pytest.fixture
def twilio_number(api: httpx.Client, provider: dict[str, Any]) -> dict[str, Any]:
    return import_number(api, provider["id"], agent_id=AGENT_SALES.id)


@pytest.fixture
def cartesia_number(api: httpx.Client) -> dict[str, Any]:
    result: dict[str, Any] = provision(api, "c", agent_id=AGENT_SALES.id).json()
    return result


def _call(
    api: httpx.Client, from_id: str, *to: str, agent: str = AGENT_SALES.id, **extra: Any
) -> httpx.Response:
    body = {
        "from_number_id": from_id,
        "agent_id": agent,
        "outbound_calls": [{"to_number": n, "metadata": {"i": i}} for i, n in enumerate(to)],
        **extra,
    }
    return api.post(CALLS, json=body)


def test_place_calls_returns_one_call_id_per_recipient(
    api: httpx.Client, twilio_number: dict[str, Any], emulator: RunningEmulator
) -> None:
    r = _call(api, twilio_number["id"], "+14155559999", "+442071838750")
    assert r.status_code == 200, r.text
    calls = r.json()["calls"]
    assert [c["number"] for c in calls] == ["+14155559999", "+442071838750"]
    assert all(c["agent_call_id"].startswith("ac_") for c in calls)
    assert [c["agent_call_id"] for c in emulator.control.calls()] == [
        c["agent_call_id"] for c in calls
    ]


@pytest.mark.parametrize(("key", "number"), [(PROD_US1, "+14155550101"), (PROD_IE1, "+35315550100")])
def test_place_calls_routes_through_the_providers_region(
    api: httpx.Client, emulator: RunningEmulator, key: Any, number: str
) -> None:
    """U36: a us1 provider's number dials through us1, an ie1 provider's through ie1."""
    provider = create_provider(api, key=key, region=key.region)
    n = import_number(api, provider["id"], number, agent_id=AGENT_SALES.id)
    r = _call(api, n["id"], "+14155559999", ringing_timeout_seconds=30)
    assert r.status_code == 200, r.text
    (placed,) = emulator.control.calls()
    assert placed == {
        "agent_call_id": r.json()["calls"][0]["agent_call_id"],
        "org_id": DEMO_ORG_ID,
        "from_number": number,
        "from_number_id": n["id"],
        "to_number": "+14155559999",
        "agent_id": AGENT_SALES.id,
        "provider_id": provider["id"],
        "region": key.region,
        "metadata": {"i": 0},
        "ringing_timeout_seconds": 30,
        "created_at": placed["created_at"],
    }


def test_place_calls_from_twilio_number_may_dial_internationally(
    api: httpx.Client, twilio_number: dict[str, Any]
) -> None:
    """R17."""
    calls = _call(api, twilio_number["id"], "+61255550999").json()["calls"]
    assert "agent_call_id" in calls[0]


def test_place_calls_from_cartesia_number_to_non_us_destination_errors_per_call(
    api: httpx.Client, cartesia_number: dict[str, Any], emulator: RunningEmulator
) -> None:
    """R14/R17: Cartesia numbers dial US destinations only; no Twilio region is involved."""
    calls = _call(api, cartesia_number["id"], "+14155559999", "+442071838750").json()["calls"]
    assert "agent_call_id" in calls[0]
    assert "agent_call_id" not in calls[1] and calls[1]["error"]["code"] == "destination_not_allowed"
    (placed,) = emulator.control.calls()
    assert (placed["to_number"], placed["provider_id"], placed["region"]) == (
        "+14155559999", None, None,
    )


@pytest.mark.parametrize("timeout", [4, 81, "60"])
def test_place_calls_with_bad_ringing_timeout_returns_400(
    api: httpx.Client, twilio_number: dict[str, Any], timeout: Any
) -> None:
    r = _call(api, twilio_number["id"], "+14155559999", ringing_timeout_seconds=timeout)
    assert_error(r, 400, "invalid_request")


@pytest.mark.parametrize("timeout", [5, 80])
def test_place_calls_with_boundary_ringing_timeout_succeeds(
    api: httpx.Client, twilio_number: dict[str, Any], timeout: int
) -> None:
    assert _call(api, twilio_number["id"], "+14155559999", ringing_timeout_seconds=timeout).status_code == 200


def test_place_calls_with_no_recipients_returns_400(
    api: httpx.Client, twilio_number: dict[str, Any]
) -> None:
    assert_error(_call(api, twilio_number["id"]), 400, "invalid_request")


def test_place_calls_with_non_e164_destination_returns_400(
    api: httpx.Client, twilio_number: dict[str, Any]
) -> None:
    assert_error(_call(api, twilio_number["id"], "555-0100"), 400, "invalid_request")


def test_place_calls_from_unknown_number_returns_404(api: httpx.Client) -> None:
    assert_error(_call(api, "ap_nope", "+14155559999"), 404)


def test_place_calls_with_unknown_agent_returns_404(
    api: httpx.Client, twilio_number: dict[str, Any], emulator: RunningEmulator
) -> None:
    assert_error(_call(api, twilio_number["id"], "+14155559999", agent="agent_nope"), 404)
    assert emulator.control.calls() == []


def test_place_calls_with_number_of_other_org_returns_403(
    other_api: httpx.Client, twilio_number: dict[str, Any]
) -> None:
    """§2.13: number and agent in different organisations → 403 (the one 403, U25)."""
    assert_error(_call(other_api, twilio_number["id"], "+14155559999", agent="agent_other"), 403)


def test_place_calls_from_unassigned_number_returns_400(
    api: httpx.Client, provider: dict[str, Any], emulator: RunningEmulator
) -> None:
    """U37: a number with no agent assigned cannot place calls; the message says what to do."""
    n = import_number(api, provider["id"])
    body = assert_error(_call(api, n["id"], "+14155559999"), 400, "number_not_assigned")
    assert n["number"] in body["message"] and f"PATCH /agents/phone-numbers/{n['id']}" in body["message"]
    assert emulator.control.calls() == []


def test_place_calls_with_revoked_provider_key_returns_400(
    api: httpx.Client, twilio_number: dict[str, Any], emulator: RunningEmulator
) -> None:
    """U36: the number cannot place outbound calls; one sentence naming number and reason."""
    emulator.control.twilio_revoke_key(PROD_US1.sid)
    body = assert_error(_call(api, twilio_number["id"], "+14155559999"), 400, "cannot_place_calls")
    assert twilio_number["number"] in body["message"] and "revoked" in body["message"]
    assert body["message"].count(". ") == 0 and body["message"].endswith(".")
    assert emulator.control.calls() == []


def test_place_calls_with_number_released_at_twilio_returns_400(
    api: httpx.Client, twilio_number: dict[str, Any], emulator: RunningEmulator
) -> None:
    emulator.control.twilio_remove_number(PROD, twilio_number["number"])
    body = assert_error(_call(api, twilio_number["id"], "+14155559999"), 400, "cannot_place_calls")
    assert twilio_number["number"] in body["message"] and "released" in body["message"]


def test_calls_log_is_cleared_by_reset(
    api: httpx.Client, twilio_number: dict[str, Any], emulator: RunningEmulator
) -> None:
    assert _call(api, twilio_number["id"], "+14155559999").status_code == 200
    emulator.control.reset(demo=True)
    assert emulator.control.calls() == []


def test_legacy_outbound_returns_calls_like_agents_calls(api: httpx.Client) -> None:
    """U29."""
    r = api.post(
        "/twilio/call/outbound",
        json={"target_numbers": ["+14155559999"], "agent_id": "agent_support", "metadata": {"a": 1}},
        headers={"Cartesia-Version": "2025-04-16"},
    )
    assert r.status_code == 200
    (call,) = r.json()["calls"]
    assert call["number"] == "+14155559999" and call["agent_call_id"].startswith("ac_")


def test_legacy_outbound_with_unknown_agent_returns_404(api: httpx.Client) -> None:
    r = api.post("/twilio/call/outbound", json={"target_numbers": ["+14155559999"], "agent_id": "x"})
    assert_error(r, 404)
