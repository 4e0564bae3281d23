"""Outbound calls (§2.13, R14, R17, U25) and the legacy outbound route (§2.14, U29)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.emulator.emulator_support import (
    PROD,
    PROD_US1,
    assert_error,
    create_provider,
    import_number,
)

CALLS = "/agents/calls"


@pytest.fixture
def twilio_number(api: httpx.Client) -> dict[str, Any]:
    return import_number(api, create_provider(api)["id"], agent_id="agent_sales")


@pytest.fixture
def cartesia_number(api: httpx.Client) -> dict[str, Any]:
    result: dict[str, Any] = api.post(
        "/agents/phone-numbers/provision", json={"label": "c"}
    ).json()
    return result


def _call(api: httpx.Client, from_id: str, *to: str, **extra: Any) -> httpx.Response:
    body = {
        "from_number_id": from_id,
        "agent_id": "agent_sales",
        "outbound_calls": [{"to_number": n, "metadata": {"i": i}} for i, n in enumerate(to)],
        **extra,
    }
    return api.post(CALLS, json=body)


def test_place_calls_returns_one_call_id_per_recipient(
    api: httpx.Client, twilio_number: dict[str, Any]
) -> None:
    r = _call(api, twilio_number["id"], "+14155559999", "+442071838750")
    assert r.status_code == 200, r.text
    calls = r.json()["calls"]
    assert [c["number"] for c in calls] == ["+14155559999", "+442071838750"]
    assert all(c["agent_call_id"].startswith("ac_") for c in calls)


def test_place_calls_from_twilio_number_may_dial_internationally(
    api: httpx.Client, twilio_number: dict[str, Any]
) -> None:
    """R17."""
    calls = _call(api, twilio_number["id"], "+61255550999").json()["calls"]
    assert "agent_call_id" in calls[0]


def test_place_calls_from_cartesia_number_to_non_us_destination_errors_per_call(
    api: httpx.Client, cartesia_number: dict[str, Any]
) -> None:
    """R14/R17: Cartesia numbers dial US destinations only."""
    calls = _call(api, cartesia_number["id"], "+14155559999", "+442071838750").json()["calls"]
    assert "agent_call_id" in calls[0]
    assert "agent_call_id" not in calls[1] and calls[1]["error"]["code"] == "destination_not_allowed"


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
    api: httpx.Client, twilio_number: dict[str, Any]
) -> None:
    r = api.post(
        CALLS,
        json={
            "from_number_id": twilio_number["id"],
            "agent_id": "agent_nope",
            "outbound_calls": [{"to_number": "+14155559999"}],
        },
    )
    assert_error(r, 404)


def test_place_calls_with_number_of_other_org_returns_403(
    other_api: httpx.Client, twilio_number: dict[str, Any]
) -> None:
    """§2.13: number and agent in different organisations → 403 (the one 403, U25)."""
    r = other_api.post(
        CALLS,
        json={
            "from_number_id": twilio_number["id"],
            "agent_id": "agent_other",
            "outbound_calls": [{"to_number": "+14155559999"}],
        },
    )
    assert_error(r, 403)


def test_place_calls_with_revoked_provider_key_returns_400(
    api: httpx.Client, twilio_number: dict[str, Any], emulator: RunningEmulator
) -> None:
    """§2.13: the number cannot place outbound calls."""
    emulator.control.twilio_revoke_key(PROD_US1[0])
    assert_error(_call(api, twilio_number["id"], "+14155559999"), 400, "cannot_place_calls")


def test_place_calls_with_number_released_at_twilio_returns_400(
    api: httpx.Client, twilio_number: dict[str, Any], emulator: RunningEmulator
) -> None:
    emulator.control.twilio_remove_number(PROD, twilio_number["number"])
    assert_error(_call(api, twilio_number["id"], "+14155559999"), 400, "cannot_place_calls")


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
