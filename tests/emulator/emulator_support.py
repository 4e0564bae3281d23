"""Constants and helpers shared by the emulator tests (a unique module name, not ``conftest``)."""

from __future__ import annotations

from typing import Any

import httpx

PROD = "AC0123456789abcdef0123456789abcdef"
STAGING = "ACfedcba9876543210fedcba9876543210"
PROD_US1 = ("SK0123456789abcdef0123456789abc001", "demo-us1-secret-1")
PROD_US1_B = ("SK0123456789abcdef0123456789abc002", "demo-us1-secret-2")
PROD_IE1 = ("SK0123456789abcdef0123456789abc101", "demo-ie1-secret-1")
PROD_AU1 = ("SK0123456789abcdef0123456789abc201", "demo-au1-secret-1")
STAGING_US1 = ("SKfedcba9876543210fedcba9876543001", "staging-us1-secret-1")
DEMO_KEY = "sk_car_demo_key"
OTHER_KEY = "sk_car_other_key"
VERSION = "2026-03-01"

OTHER_ORG_SEED: dict[str, Any] = {
    "organizations": [
        {
            "id": "org_other",
            "api_key": OTHER_KEY,
            "agents": [{"id": "agent_other", "name": "Other"}],
        }
    ]
}


def headers(key: str = DEMO_KEY, version: str | None = VERSION) -> dict[str, str]:
    """Auth + version headers."""
    h = {"Authorization": f"Bearer {key}"}
    if version is not None:
        h["Cartesia-Version"] = version
    return h


def create_provider(
    api: httpx.Client,
    account_sid: str = PROD,
    key: tuple[str, str] = PROD_US1,
    region: str | None = "us1",
    **extra: Any,
) -> dict[str, Any]:
    """Create a provider and assert 201."""
    body: dict[str, Any] = {
        "type": "twilio",
        "account_sid": account_sid,
        "api_key_sid": key[0],
        "api_key_secret": key[1],
        **extra,
    }
    if region is not None:
        body["region"] = region
    r = api.post("/agents/phone-numbers/providers", json=body)
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


def import_number(
    api: httpx.Client,
    provider_id: str,
    number: str = "+14155550100",
    label: str = "Main line",
    agent_id: str | None = None,
) -> dict[str, Any]:
    """Import a number and assert 201."""
    body: dict[str, Any] = {"label": label, "number": number, "provider": {"id": provider_id}}
    if agent_id is not None:
        body["agent_id"] = agent_id
    r = api.post("/agents/phone-numbers", json=body)
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


def assert_error(r: httpx.Response, status: int, error_code: str | None = None) -> dict[str, Any]:
    """Assert a JSON error envelope with the given status (and code)."""
    assert r.status_code == status, r.text
    body: dict[str, Any] = r.json()
    assert {"error_code", "title", "message", "request_id"} <= set(body)
    if error_code is not None:
        assert body["error_code"] == error_code
    return body
