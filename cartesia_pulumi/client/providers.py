"""``/agents/phone-numbers/providers`` (docs/cartesia-api.md §2.1-2.5)."""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from cartesia_pulumi._types import DEFAULT_REGION, NOT_GIVEN, NotGiven, Region, given
from cartesia_pulumi.client._paths import path_of
from cartesia_pulumi.client.models import ProviderRef, TwilioProviderModel

if TYPE_CHECKING:
    from cartesia_pulumi.client._client import CartesiaClient

_PATH = ("agents", "phone-numbers", "providers")


class Providers:
    """Twilio provider operations. Use through ``CartesiaClient.providers``."""

    def __init__(self, client: CartesiaClient) -> None:
        self._client = client

    @staticmethod
    def _path(*ids: str) -> str:
        return path_of(*_PATH, *ids)

    def list(
        self, *, type: str | None = None, account_sid: str | None = None
    ) -> list[TwilioProviderModel]:
        """List providers (not paginated; a bare array). Entries that are not Twilio are skipped."""
        params = {k: v for k, v in {"type": type, "account_sid": account_sid}.items() if v}
        data = self._client.request("GET", self._path(), params=params)
        items = data if isinstance(data, list) else (data or {}).get("data", [])
        twilio = [
            item
            for item in items
            if isinstance(item, dict) and item.get("type", "twilio") == "twilio"
        ]
        return self._client.validate(
            list[TwilioProviderModel], twilio, method="GET", path=self._path()
        )

    def list_all(self) -> builtins.list[ProviderRef]:
        """Every provider of the organisation, whatever its type (Twilio, SIP trunk, ...)."""
        data = self._client.request("GET", self._path())
        items = data if isinstance(data, list) else (data or {}).get("data", [])
        return self._client.validate(
            builtins.list[ProviderRef],
            [i for i in items if isinstance(i, dict)],
            method="GET",
            path=self._path(),
        )

    def create(
        self,
        *,
        account_sid: str,
        api_key_sid: str,
        api_key_secret: str,
        region: Region = DEFAULT_REGION,
        label: str | None = None,
    ) -> TwilioProviderModel:
        """Link a Twilio account. A failed POST is not repeated unless provably not processed."""
        body: dict[str, Any] = {
            "type": "twilio",
            "account_sid": account_sid,
            "api_key_sid": api_key_sid,
            "api_key_secret": api_key_secret,
            "region": region,
        }
        if label is not None:
            body["label"] = label
        return self._client.request("POST", self._path(), json=body, cast_to=TwilioProviderModel)

    def get(self, id: str) -> TwilioProviderModel:
        """Get one provider."""
        return self._client.request("GET", self._path(id), cast_to=TwilioProviderModel)

    def update(
        self,
        id: str,
        *,
        api_key_sid: str,
        api_key_secret: str,
        region: Region,
        label: str | NotGiven = NOT_GIVEN,
    ) -> TwilioProviderModel:
        """Replace the credentials: both key fields and the region are always sent (§4.1).

        ``label`` is sent only when given; Cartesia's published schema for this PATCH has no label
        (docs/cartesia-api.md §2.17), so callers must check the response to see whether it applied.
        """
        body: dict[str, Any] = {
            "type": "twilio",
            "api_key_sid": api_key_sid,
            "api_key_secret": api_key_secret,
            "region": region,
        }
        if given(label):
            body["label"] = label
        return self._client.request(
            "PATCH", self._path(id), json=body, cast_to=TwilioProviderModel
        )

    def delete(self, id: str) -> None:
        """Delete a provider (409 while numbers use it)."""
        self._client.request("DELETE", self._path(id))
