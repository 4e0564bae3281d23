"""``/agents/phone-numbers`` (docs/cartesia-api.md §2.6-2.10)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from cartesia_pulumi._types import NOT_GIVEN, NotGiven, given
from cartesia_pulumi.client._errors import PaginationError
from cartesia_pulumi.client._paths import path_of
from cartesia_pulumi.client.models import PhoneNumberModel, PhoneNumberPage

if TYPE_CHECKING:
    from cartesia_pulumi.client._client import CartesiaClient

_PATH = ("agents", "phone-numbers")

#: Page size of `PhoneNumbers.iter` (the API's maximum).
PAGE_LIMIT = 100
#: Upper bound of pages one `PhoneNumbers.iter` follows (a million numbers); a list longer than
#: that, or one whose cursor repeats, is a server fault, not data.
MAX_PAGES = 10_000


class PhoneNumbers:
    """Phone number operations. Use through ``CartesiaClient.phone_numbers``."""

    def __init__(self, client: CartesiaClient) -> None:
        self._client = client

    @staticmethod
    def _path(*ids: str) -> str:
        return path_of(*_PATH, *ids)

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
        """One page of numbers (cursor pagination, §1.3)."""
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
        return self._client.request("GET", self._path(), params=params, cast_to=PhoneNumberPage)

    def iter(self, **filters: Any) -> Iterator[PhoneNumberModel]:
        """Every matching number, following ``starting_after`` cursors (100 per page).

        Raises:
            PaginationError: when a page repeats a cursor or `MAX_PAGES` is exceeded.
        """
        filters.setdefault("limit", PAGE_LIMIT)
        filters.pop("ending_before", None)
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            page = self.list(**filters)
            yield from page.data
            if not page.has_more or not page.data:
                return
            cursor = page.data[-1].id
            if cursor in seen:
                raise PaginationError(
                    f"GET {self._path()}: the list did not advance (cursor {cursor!r} repeated)."
                )
            seen.add(cursor)
            filters["starting_after"] = cursor
        raise PaginationError(f"GET {self._path()}: more than {MAX_PAGES} pages; stopped.")

    def import_(
        self,
        *,
        number: str,
        label: str,
        provider_id: str,
        agent_id: str | None = None,
    ) -> PhoneNumberModel:
        """Import a number from the provider's Twilio account (a failed POST is not repeated)."""
        body: dict[str, Any] = {"number": number, "label": label, "provider": {"id": provider_id}}
        if agent_id is not None:
            body["agent_id"] = agent_id
        return self._client.request("POST", self._path(), json=body, cast_to=PhoneNumberModel)

    def get(self, id: str) -> PhoneNumberModel:
        """Get one number."""
        return self._client.request("GET", self._path(id), cast_to=PhoneNumberModel)

    def update(
        self,
        id: str,
        *,
        label: str | NotGiven = NOT_GIVEN,
        agent_id: str | NotGiven | None = NOT_GIVEN,
        provider_id: str | NotGiven = NOT_GIVEN,
    ) -> PhoneNumberModel:
        """Merge-patch a number; ``agent_id=None`` sends JSON null (unassign, R10)."""
        body: dict[str, Any] = {}
        if given(label):
            body["label"] = label
        if given(agent_id):
            body["agent_id"] = agent_id
        if given(provider_id):
            body["provider"] = {"id": provider_id}
        return self._client.request("PATCH", self._path(id), json=body, cast_to=PhoneNumberModel)

    def delete(self, id: str) -> None:
        """Delete a number (400 while assigned, R12)."""
        self._client.request("DELETE", self._path(id))
