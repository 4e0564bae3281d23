"""Conventions (§1): auth (U1), Cartesia-Version (U2), error format (§1.2, R20, U3), 400 not 422 (U4),
routing (§2.15) and organisation isolation (U25)."""

from __future__ import annotations

import httpx
import pytest

from cartesia_pulumi.emulator.testing import RunningEmulator, running_emulator
from tests.emulator.emulator_support import (
    DEMO_KEY,
    assert_error,
    create_provider,
    headers,
    provider_body,
)

PROVIDERS = "/agents/phone-numbers/providers"


def test_request_without_api_key_returns_401(emulator: RunningEmulator) -> None:
    r = httpx.get(emulator.url + PROVIDERS, headers={"Cartesia-Version": "2026-03-01"})
    body = assert_error(r, 401, "unauthorized")
    assert body["title"] == "Unauthorized"


def test_request_with_unknown_api_key_returns_401(emulator: RunningEmulator) -> None:
    r = httpx.get(emulator.url + PROVIDERS, headers=headers("sk_car_nope"))
    body = assert_error(r, 401, "unauthorized")
    assert "sk_car_nope" not in r.text and "sk_car_nope" not in body["message"]


def test_request_with_non_bearer_authorization_returns_401(emulator: RunningEmulator) -> None:
    r = httpx.get(
        emulator.url + PROVIDERS,
        headers={"Authorization": f"Basic {DEMO_KEY}", "Cartesia-Version": "2026-03-01"},
    )
    assert_error(r, 401, "unauthorized")


def test_request_with_x_api_key_header_succeeds(emulator: RunningEmulator) -> None:
    r = httpx.get(
        emulator.url + PROVIDERS, headers={"X-API-Key": DEMO_KEY, "Cartesia-Version": "2026-03-01"}
    )
    assert r.status_code == 200
    assert r.json() == []


def test_request_without_version_returns_400(emulator: RunningEmulator) -> None:
    r = httpx.get(emulator.url + PROVIDERS, headers=headers(version=None))
    body = assert_error(r, 400, "invalid_request")
    assert "Cartesia-Version" in body["message"]


def test_request_with_unknown_version_returns_400(emulator: RunningEmulator) -> None:
    r = httpx.get(emulator.url + PROVIDERS, headers=headers(version="2030-01-01"))
    assert_error(r, 400, "invalid_request")


@pytest.mark.parametrize(
    "version", ["2024-06-10", "2024-11-13", "2025-04-16", "2025-11-04", "2026-03-01", "2026-08-14"]
)
def test_request_with_accepted_version_succeeds(emulator: RunningEmulator, version: str) -> None:
    r = httpx.get(emulator.url + PROVIDERS, headers=headers(version=version))
    assert r.status_code == 200


def test_error_body_has_json_envelope_with_uuid_request_id(api: httpx.Client) -> None:
    r = api.get(PROVIDERS + "/ata_missing")
    body = assert_error(r, 404, "not_found")
    assert r.headers["content-type"].startswith("application/json")
    assert len(body["request_id"]) == 36 and body["request_id"].count("-") == 4
    assert "doc_url" not in body


def test_error_for_old_version_is_json_by_default(emulator: RunningEmulator) -> None:
    r = httpx.get(emulator.url + PROVIDERS + "/ata_x", headers=headers(version="2025-04-16"))
    assert_error(r, 404, "not_found")


def test_error_for_old_version_is_plain_text_when_switched_on(emulator: RunningEmulator) -> None:
    emulator.control.set_plain_text_errors_for_old_versions(True)
    r = httpx.get(emulator.url + PROVIDERS + "/ata_x", headers=headers(version="2025-04-16"))
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/plain")
    assert r.text == "Not found: Provider 'ata_x' was not found."


def test_error_for_current_version_is_json_even_when_switched_on(
    emulator: RunningEmulator,
) -> None:
    emulator.control.set_plain_text_errors_for_old_versions(True)
    for version in ("2026-03-01", "2026-08-14"):
        r = httpx.get(emulator.url + PROVIDERS + "/ata_x", headers=headers(version=version))
        assert_error(r, 404, "not_found")


def test_error_for_old_version_is_plain_text_with_startup_flag() -> None:
    with running_emulator(demo=True, plain_text_errors_for_old_versions=True) as em:
        r = httpx.get(em.url + PROVIDERS, headers=headers("sk_car_bad", version="2024-11-13"))
        assert r.status_code == 401
        assert r.text.startswith("Unauthorized: ")


def test_error_for_old_version_is_plain_text_when_seed_setting_on(
    emulator: RunningEmulator,
) -> None:
    emulator.control.seed({"settings": {"plain_text_errors_for_old_versions": True}})
    r = httpx.get(emulator.url + PROVIDERS + "/ata_x", headers=headers(version="2024-06-10"))
    assert r.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"{not json", "malformed"),
        (b"", "empty"),
        (b"[1, 2]", "not an object"),
        (b'{"type": "twilio", "account_sid": "AC1"}', "missing fields"),
        (b'{"type": "sip_trunk", "account_sid": "AC1", "api_key_sid": "SK", "api_key_secret": "s"}', "bad enum"),
        (b'{"type": "twilio", "account_sid": 5, "api_key_sid": "SK", "api_key_secret": "s"}', "wrong type"),
        (b'{"type": "twilio", "account_sid": "AC", "api_key_sid": "SK", "api_key_secret": "s", "region": "eu9"}', "bad region"),
    ],
)
def test_create_provider_invalid_body_returns_400_not_422(
    api: httpx.Client, content: bytes, why: str
) -> None:
    r = api.post(PROVIDERS, content=content, headers={"content-type": "application/json"})
    assert_error(r, 400, "invalid_request")


def test_request_to_unknown_route_returns_404_json(api: httpx.Client) -> None:
    assert_error(api.get("/agents/nothing/here/at/all"), 404, "not_found")


def test_request_with_wrong_method_returns_405_json(api: httpx.Client) -> None:
    assert_error(api.put(PROVIDERS), 405, "method_not_allowed")


def test_list_numbers_route_is_not_shadowed_by_agent_route(api: httpx.Client) -> None:
    """§2.15: GET /agents/phone-numbers must not be taken for /agents/{agent_id}/..."""
    r = api.get("/agents/phone-numbers")
    assert r.status_code == 200
    assert r.json() == {"data": [], "has_more": False}


def test_get_provider_of_other_org_returns_404(
    api: httpx.Client, other_api: httpx.Client
) -> None:
    """U25: another organisation's objects are invisible (404, never 403)."""
    provider = create_provider(api)
    assert_error(other_api.get(f"{PROVIDERS}/{provider['id']}"), 404)
    assert_error(other_api.delete(f"{PROVIDERS}/{provider['id']}"), 404)
    assert other_api.get(PROVIDERS).json() == []
    # the other org may link the same Twilio account itself (R2 is per organisation)
    assert other_api.post(PROVIDERS, json=provider_body()).status_code == 201
