"""``/agents/phone-numbers`` (cartesia-api.md §2.6-2.11)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from cartesia_pulumi.client.models import PhoneNumberModel, PhoneNumberPage
from cartesia_pulumi.client.providers import UNSET

if TYPE_CHECKING:
    from cartesia_pulumi.client._client import CartesiaClient

_PATH = "/agents/phone-numbers"


class PhoneNumbers:
    """Phone number operations. Use through ``CartesiaClient.phone_numbers``."""

    def __init__(self, client: CartesiaClient) -> None:
        self._client = client

    def list(
        self,
        *,
        agent_id: str | None = None,
        provider_id: str | None = None,
        type: str | None = None,
        q: str | None = None,
        limit: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
    ) -> PhoneNumberPage:
        """One page of numbers (cursor pagination, newest first on the emulator)."""
        params: dict[str, Any] = {
            k: v
            for k, v in {
                "agent_id": agent_id,
                "provider_id": provider_id,
                "type": type,
                "q": q,
                "limit": limit,
                "starting_after": starting_after,
                "ending_before": ending_before,
            }.items()
            if v is not None
        }
        return PhoneNumberPage.model_validate(self._client.request("GET", _PATH, params=params))

    def iter(self, **filters: Any) -> Iterator[PhoneNumberModel]:
        """Iterate over all matching numbers, following ``starting_after`` cursors."""
        filters.setdefault("limit", 100)
        filters.pop("ending_before", None)
        while True:
            page = self.list(**filters)
            yield from page.data
            if not page.has_more or not page.data:
                return
            filters["starting_after"] = page.data[-1].id

    def import_(
        self,
        *,
        number: str,
        label: str,
        provider_id: str,
        agent_id: str | None = None,
    ) -> PhoneNumberModel:
        """Import a number from the provider's Twilio account (POST, not retried except 429)."""
        body: dict[str, Any] = {"number": number, "label": label, "provider": {"id": provider_id}}
        if agent_id is not None:
            body["agent_id"] = agent_id
        return PhoneNumberModel.model_validate(self._client.request("POST", _PATH, json=body))

    def get(self, id: str) -> PhoneNumberModel:
        """Get one number."""
        return PhoneNumberModel.model_validate(self._client.request("GET", f"{_PATH}/{id}"))

    def update(
        self,
        id: str,
        *,
        label: Any = UNSET,
        agent_id: Any = UNSET,
        provider_id: Any = UNSET,
    ) -> PhoneNumberModel:
        """Merge-patch a number; ``agent_id=None`` sends JSON null (unassign, R10)."""
        body: dict[str, Any] = {}
        if label is not UNSET:
            body["label"] = label
        if agent_id is not UNSET:
            body["agent_id"] = agent_id
        if provider_id is not UNSET:
            body["provider"] = {"id": provider_id}
        return PhoneNumberModel.model_validate(
            self._client.request("PATCH", f"{_PATH}/{id}", json=body)
        )

    def delete(self, id: str) -> None:
        """Delete a number (400 while assigned, R12)."""
        self._client.request("DELETE", f"{_PATH}/{id}")

    def provision(self, *, label: str, agent_id: str | None = None) -> PhoneNumberModel:
        """Provision a Cartesia-managed number (POST, not retried except 429)."""
        body: dict[str, Any] = {"label": label}
        if agent_id is not None:
            body["agent_id"] = agent_id
        return PhoneNumberModel.model_validate(
            self._client.request("POST", f"{_PATH}/provision", json=body)
        )
