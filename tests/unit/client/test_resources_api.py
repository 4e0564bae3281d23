"""Providers and phone-number namespaces against the emulator; models ignore unknown fields."""

from __future__ import annotations

from typing import Any

import pytest

from cartesia_pulumi.client import (
    BadRequestError,
    CartesiaClient,
    ConflictError,
    PhoneNumberModel,
    TwilioProviderModel,
)
from unit.support import ACCOUNT, KEY_IE1, KEY_US1, KEY_US1_B, SECRET_IE1, SECRET_US1, SECRET_US1_B


def make(client: CartesiaClient, **over: Any) -> TwilioProviderModel:
    args: dict[str, Any] = {
        "account_sid": ACCOUNT,
        "api_key_sid": KEY_US1,
        "api_key_secret": SECRET_US1,
    }
    args.update(over)
    return client.providers.create(**args)


def test_providers_crud_roundtrip(client: CartesiaClient) -> None:
    p = make(client, label="prod")
    assert p.api_key_sid != KEY_US1 and p.api_key_sid.endswith(KEY_US1[-4:])
    assert client.providers.get(p.id) == p
    assert client.providers.list(account_sid=ACCOUNT) == [p]
    assert client.providers.list(account_sid="AC" + "0" * 32) == []
    q = client.providers.update(
        p.id, api_key_sid=KEY_US1_B, api_key_secret=SECRET_US1_B, region="us1"
    )
    assert q.api_key_sid.endswith(KEY_US1_B[-4:])
    assert q.label == "prod"
    client.providers.delete(p.id)
    assert client.providers.list() == []


def test_providers_create_duplicate_conflict(client: CartesiaClient) -> None:
    make(client)
    with pytest.raises(ConflictError):
        make(client)
    make(client, api_key_sid=KEY_IE1, api_key_secret=SECRET_IE1, region="ie1")


def test_providers_create_bad_secret_bad_request(client: CartesiaClient) -> None:
    with pytest.raises(BadRequestError):
        make(client, api_key_secret="nope")


def test_phone_numbers_import_update_delete(client: CartesiaClient) -> None:
    p = make(client)
    n = client.phone_numbers.import_(number="+14155550100", label="one", provider_id=p.id)
    assert (n.number, n.label, n.provider_id, n.agent_id) == ("+14155550100", "one", p.id, None)
    n2 = client.phone_numbers.update(n.id, agent_id="agent_support")
    assert n2.agent is not None and n2.agent.name == "Support"
    n3 = client.phone_numbers.update(n.id, agent_id=None)
    assert n3.agent is None
    client.phone_numbers.delete(n.id)
    assert client.phone_numbers.list().data == []


def test_phone_numbers_iter_follows_cursors(client: CartesiaClient) -> None:
    p = make(client)
    wanted = {"+14155550100", "+14155550101", "+14155550102"}
    for number in wanted:
        client.phone_numbers.import_(number=number, label=number, provider_id=p.id)
    page = client.phone_numbers.list(limit=1)
    assert len(page.data) == 1 and page.has_more
    assert {n.number for n in client.phone_numbers.iter(limit=1)} == wanted
    assert [n.number for n in client.phone_numbers.iter(q="550101")] == ["+14155550101"]


def test_models_ignore_unknown_fields() -> None:
    p = TwilioProviderModel.model_validate(
        {
            "type": "twilio",
            "id": "ata_1",
            "account_sid": ACCOUNT,
            "api_key_sid": "SK**",
            "region": "eu9",
            "new": 1,
        }
    )
    assert p.region == "eu9"
    n = PhoneNumberModel.model_validate(
        {
            "id": "ap_1",
            "number": "+1",
            "agent": None,
            "provider": {"type": "sip_trunk", "id": "st_1", "inbound": {}},
            "created_at": "2026-03-01T00:00:00Z",
            "updated_at": "2026-03-01T00:00:00.000Z",
            "future": True,
        }
    )
    assert n.provider_id == "st_1" and n.agent_id is None
