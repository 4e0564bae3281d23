"""``/agents/phone-numbers/providers`` (cartesia-api.md §2.1-2.5)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cartesia_pulumi.client.models import TwilioProviderModel

if TYPE_CHECKING:
    from cartesia_pulumi.client._client import CartesiaClient

_PATH = "/agents/phone-numbers/providers"


class _UnsetType:
    _instance: _UnsetType | None = None

    def __new__(cls) -> _UnsetType:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Any = _UnsetType()
"""Marks an update field as "leave unchanged" (distinct from ``None``, which sends null)."""


class Providers:
    """Twilio provider operations. Use through ``CartesiaClient.providers``."""

    def __init__(self, client: CartesiaClient) -> None:
        self._client = client

    def list(
        self, *, type: str | None = None, account_sid: str | None = None
    ) -> list[TwilioProviderModel]:
        """List providers (not paginated; bare array). Non-Twilio entries are skipped."""
        params = {k: v for k, v in {"type": type, "account_sid": account_sid}.items() if v}
        data = self._client.request("GET", _PATH, params=params)
        items = data if isinstance(data, list) else (data or {}).get("data", [])
        return [
            TwilioProviderModel.model_validate(item)
            for item in items
            if isinstance(item, dict) and item.get("type", "twilio") == "twilio"
        ]

    def create(
        self,
        *,
        account_sid: str,
        api_key_sid: str,
        api_key_secret: str,
        region: str = "us1",
        label: str | None = None,
    ) -> TwilioProviderModel:
        """Link a Twilio account. Not retried except on 429 (lost responses: see resources)."""
        body: dict[str, Any] = {
            "type": "twilio",
            "account_sid": account_sid,
            "api_key_sid": api_key_sid,
            "api_key_secret": api_key_secret,
            "region": region,
        }
        if label is not None:
            body["label"] = label
        return TwilioProviderModel.model_validate(self._client.request("POST", _PATH, json=body))

    def get(self, id: str) -> TwilioProviderModel:
        """Get one provider."""
        return TwilioProviderModel.model_validate(self._client.request("GET", f"{_PATH}/{id}"))

    def update(
        self,
        id: str,
        *,
        api_key_sid: str,
        api_key_secret: str,
        region: str,
        label: Any = UNSET,
    ) -> TwilioProviderModel:
        """Replace the credentials (both key fields and the region are always sent, §4.1)."""
        body: dict[str, Any] = {
            "type": "twilio",
            "api_key_sid": api_key_sid,
            "api_key_secret": api_key_secret,
            "region": region,
        }
        if label is not UNSET:
            body["label"] = label
        return TwilioProviderModel.model_validate(
            self._client.request("PATCH", f"{_PATH}/{id}", json=body)
        )

    def delete(self, id: str) -> None:
        """Delete a provider (409 while numbers use it)."""
        self._client.request("DELETE", f"{_PATH}/{id}")
