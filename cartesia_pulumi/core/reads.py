"""Reads of phone numbers shared across one provider process: one list page instead of many GETs.

``pulumi refresh`` asks for every number twice (its PhoneNumber and its NumberAssignment), four at
a time; at real API latency the waiting is requests x RTT / 4 (docs/pulumi-notes.md B-12). A list
page answers for up to 100 numbers, so `NumberReads.lookup` serves reads from pages of a **scope**
— the numbers of one provider (a PhoneNumber knows its provider) or of one agent (an assignment
knows its agent) — and falls back to one GET per number when listing would cost more:

* a read asks its scope for the next page only while that scope has fetched no more pages than the
  distinct numbers asked of it, so listing costs at most one page more than the reads it answers
  and never more than about twice what GETs would (a stack holding 2 of a provider's 10,000
  numbers pays three pages, then GETs); a refresh that reads the oldest number first finds it on
  the second page instead of paying a page and a GET;
* a number not in its scope's exhausted list (moved to another provider, reassigned, deleted) is
  read with a GET, so every drift a per-number GET would find is still found;
* a page answers only while it is younger than `MAX_AGE_SECONDS`; a read is never answered from
  this process's own write (a refresh must see what changed since), and a delete removes the
  entry; nothing outlives the process.

Pages are fetched by one thread at a time: the others wait and find their number in the page.
`NumberReads.find` does the same by E.164 for creates that adopt (``adopt=True``): a generated
program adopting 500 numbers reads a few pages instead of sending 500 POSTs that answer 409.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from cartesia_pulumi.client import CartesiaClient, NotFoundError, PhoneNumberModel

#: How long a listed number answers reads.
MAX_AGE_SECONDS = 30.0
#: Page size (the API's maximum).
PAGE = 100

Scope = tuple[str, str]
"""``("provider", provider_id)`` or ``("agent", agent_id)``: the list filter of one scope."""


@dataclass
class _Pager:
    started: float
    cursor: str | None = None
    exhausted: bool = False
    pages: int = 0
    asked: set[str] = field(default_factory=set)


class NumberReads:
    """The process's shared view of phone numbers (see the module docstring)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._fetching = threading.Lock()
        # number id -> (when seen, the number or None for a 404, seen in this process's own write)
        self._entries: dict[str, tuple[float, PhoneNumberModel | None, bool]] = {}
        self._by_e164: dict[str, str] = {}
        self._pagers: dict[Scope, _Pager] = {}

    # -- what this process learned from its own writes ---------------------------------------

    def wrote(self, model: PhoneNumberModel) -> None:
        """Record a number as this process's own write returned it."""
        with self._lock:
            self._entries[model.id] = (self._clock(), model, True)

    def forget(self, number_id: str) -> None:
        """Drop a number (deleted, or its state is no longer known)."""
        with self._lock:
            self._entries.pop(number_id, None)

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._entries.clear()
            self._by_e164.clear()
            self._pagers.clear()

    def own_write(self, number_id: str, max_age: float) -> PhoneNumberModel | None:
        """The number as this process's own write returned it, if within ``max_age`` seconds."""
        with self._lock:
            entry = self._entries.get(number_id)
        if entry is None or not entry[2] or self._clock() - entry[0] > max_age:
            return None
        return entry[1]

    # -- reads ---------------------------------------------------------------------------------

    def lookup(
        self, client: CartesiaClient, number_id: str, scope: Scope | None, *, eager: bool = True
    ) -> PhoneNumberModel | None:
        """The number's current state, or ``None`` when Cartesia has no such number (404).

        ``eager=False`` pages only while the scope has fetched fewer pages than the numbers asked
        of it (a lone read costs a page and at most one GET, not two pages and a GET).
        """
        known = self._cached(number_id)
        if known is not None:
            return known[1]
        if scope is not None:
            while self._should_page(scope, number_id, slack=1 if eager else 0):
                with self._fetching:
                    known = self._cached(number_id)
                    if known is not None:
                        return known[1]
                    self._fetch_page(client, scope)
                known = self._cached(number_id)
                if known is not None:
                    return known[1]
        try:
            model: PhoneNumberModel | None = client.phone_numbers.get(number_id)
        except NotFoundError:
            model = None
        with self._lock:
            self._entries[number_id] = (self._clock(), model, False)
        return model

    def seen(self, number_id: str, max_age: float) -> PhoneNumberModel | None:
        """The number as this process last saw it (page, GET or own write), if within ``max_age``."""
        with self._lock:
            entry = self._entries.get(number_id)
        if entry is None or self._clock() - entry[0] > max_age:
            return None
        return entry[1]

    def find(
        self,
        client: CartesiaClient,
        e164: str,
        provider_id: str | None,
        fallback: Callable[[], PhoneNumberModel | None],
    ) -> PhoneNumberModel | None:
        """The organisation's number ``e164``, from pages of ``provider_id``'s numbers when cheaper,
        else ``fallback()`` (a search by number, which also finds it on another provider)."""
        hit = self._indexed(e164)
        if hit is not None:
            return hit
        if provider_id:
            scope: Scope = ("provider", provider_id)
            while self._should_page(scope, e164):
                with self._fetching:
                    hit = self._indexed(e164)
                    if hit is not None:
                        return hit
                    self._fetch_page(client, scope)
                hit = self._indexed(e164)
                if hit is not None:
                    return hit
        found = fallback()
        if found is not None:
            with self._lock:
                self._entries[found.id] = (self._clock(), found, False)
                self._by_e164[found.number] = found.id
        return found

    def _indexed(self, e164: str) -> PhoneNumberModel | None:
        with self._lock:
            number_id = self._by_e164.get(e164)
        if number_id is None:
            return None
        entry = self._cached(number_id)
        return entry[1] if entry is not None else None

    def _cached(self, number_id: str) -> tuple[float, PhoneNumberModel | None, bool] | None:
        """A read answer: from a page or a GET (never an own write), younger than the bound."""
        with self._lock:
            entry = self._entries.get(number_id)
        if entry is None or entry[2] or self._clock() - entry[0] > MAX_AGE_SECONDS:
            return None
        return entry

    def _should_page(self, scope: Scope, number_id: str, slack: int = 1) -> bool:
        """Whether one more page of ``scope`` is worth it for ``number_id`` (module docstring)."""
        now = self._clock()
        with self._lock:
            pager = self._pagers.get(scope)
            if pager is None or now - pager.started > MAX_AGE_SECONDS:
                pager = self._pagers[scope] = _Pager(started=now)
            pager.asked.add(number_id)
            return not pager.exhausted and pager.pages < len(pager.asked) + slack

    def _fetch_page(self, client: CartesiaClient, scope: Scope) -> None:
        with self._lock:
            pager = self._pagers[scope]
            if pager.exhausted:
                return
            cursor = pager.cursor
        kind, value = scope
        filters = {"provider_id": value} if kind == "provider" else {"agent_id": value}
        page = client.phone_numbers.list(limit=PAGE, starting_after=cursor, **filters)
        now = self._clock()
        with self._lock:
            for model in page.data:
                self._entries[model.id] = (now, model, False)
                self._by_e164[model.number] = model.id
            last = page.data[-1].id if page.data else None
            pager.pages += 1
            # A page that does not advance the cursor ends the scope (then GETs answer).
            pager.exhausted = not page.has_more or last is None or last == cursor
            pager.cursor = last or cursor
