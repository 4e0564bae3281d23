"""Constants and helpers shared by the emulator tests (a unique module name, not ``conftest``).

The demo seed's values come from ``cartesia_pulumi.emulator.demo``; only what the tests add
(a second organisation, request helpers) is defined here.
"""

from __future__ import annotations

from typing import Any

import httpx

from cartesia_pulumi.emulator.control import EmulatorControl
from cartesia_pulumi.emulator.demo import (
    DEMO_API_KEY,
    DEMO_ORG_ID,
    PROD_ACCOUNT_SID,
    PROD_AU1,
    PROD_IE1,
    PROD_US1,
    PROD_US1_B,
    STAGING_ACCOUNT_SID,
    STAGING_US1,
    TwilioKey,
)

__all__ = [
    "DEMO_KEY",
    "OTHER_KEY",
    "PROD",
    "PROD_AU1",
    "PROD_IE1",
    "PROD_US1",
    "PROD_US1_B",
    "STAGING",
    "STAGING_US1",
    "VERSION",
    "assert_error",
    "create_provider",
    "created",
    "headers",
    "import_number",
    "provider_body",
    "provision",
    "set_plan_slots",
]

PROD = PROD_ACCOUNT_SID
STAGING = STAGING_ACCOUNT_SID
DEMO_KEY = DEMO_API_KEY
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


def created(r: httpx.Response) -> dict[str, Any]:
    """Assert a 201 and return its JSON object."""
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


def provider_body(
    account_sid: str = PROD, key: TwilioKey | tuple[str, str] = PROD_US1, **extra: Any
) -> dict[str, Any]:
    """The JSON body of a Twilio provider create."""
    return {
        "type": "twilio",
        "account_sid": account_sid,
        "api_key_sid": key[0],
        "api_key_secret": key[1],
        **extra,
    }


def create_provider(
    api: httpx.Client,
    account_sid: str = PROD,
    key: TwilioKey | tuple[str, str] = PROD_US1,
    region: str | None = "us1",
    **extra: Any,
) -> dict[str, Any]:
    """Create a provider and assert 201."""
    body = provider_body(account_sid, key, **extra)
    if region is not None:
        body["region"] = region
    return created(api.post("/agents/phone-numbers/providers", json=body))


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
    return created(api.post("/agents/phone-numbers", json=body))


def set_plan_slots(control: EmulatorControl, slots: int) -> None:
    """Give the demo organisation ``slots`` Cartesia-number slots (R15)."""
    control.seed({"organizations": [{"id": DEMO_ORG_ID, "plan_slots": slots}]})


def provision(api: httpx.Client, label: str = "Cartesia line", **extra: Any) -> httpx.Response:
    """Provision a Cartesia number (the response, unchecked)."""
    return api.post("/agents/phone-numbers/provision", json={"label": label, **extra})


def assert_error(r: httpx.Response, status: int, error_code: str | None = None) -> dict[str, Any]:
    """Assert a JSON error envelope with the given status (and code)."""
    assert r.status_code == status, r.text
    body: dict[str, Any] = r.json()
    assert {"error_code", "title", "message", "request_id"} <= set(body)
    if error_code is not None:
        assert body["error_code"] == error_code
    return body
