"""Cursor pagination shared by ``GET /agents/phone-numbers`` and ``GET /v1/agents``.

Both lists are documented with the same parameters (``docs/cartesia-api.md §1.3, §2.16``):
``limit`` 1-100 (default 10), ``starting_after`` / ``ending_before`` holding the ID of an item.
The emulator lists newest first (``created_at`` descending, ties broken by insertion order,
newest first; U14) and answers a malformed request with 400 (U15): a ``limit`` that is not an
integer from 1 to 100, both cursors at once, or a cursor that is not an ID in the list.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from cartesia_pulumi.emulator.errors import invalid_request
from cartesia_pulumi.emulator.store import Tx

DEFAULT_LIMIT = 10
MAX_LIMIT = 100


@dataclass(frozen=True)
class PageRequest:
    """A validated page request: how many items, and the cursor (if any) and its direction."""

    limit: int
    cursor_id: str | None
    after: bool


def page_request(
    limit: str | None, starting_after: str | None, ending_before: str | None
) -> PageRequest:
    """Validate the query parameters of a paginated list (U15)."""
    if limit is None:
        n = DEFAULT_LIMIT
    else:
        try:
            n = int(limit)
        except ValueError:
            raise invalid_request(f"limit {limit[:40]!r} is not an integer.") from None
        if not 1 <= n <= MAX_LIMIT:
            raise invalid_request(f"limit must be between 1 and {MAX_LIMIT}, got {n}.")
    if starting_after is not None and ending_before is not None:
        raise invalid_request("Use either starting_after or ending_before, not both.")
    cursor = starting_after if starting_after is not None else ending_before
    return PageRequest(n, cursor, starting_after is not None)


@dataclass(frozen=True)
class Pages:
    """How one list is paged: its query, the alias of its rows and what its IDs name.

    Attributes:
        select: ``SELECT ... FROM <table> <alias> [JOIN ...]`` without ``WHERE``.
        alias: the alias of the listed table in ``select``.
        table: the table a cursor ID is looked up in (``org_id``, ``id`` columns).
        what: the item for messages, e.g. ``"a phone number"``.
    """

    select: str
    alias: str
    table: str
    what: str

    def fetch(
        self, tx: Tx, org_id: str, where: list[str], params: list[Any], request: PageRequest
    ) -> tuple[list[sqlite3.Row], bool]:
        """One page, newest first, and whether more exist.

        ``starting_after`` gives the ``limit`` items after the cursor; ``ending_before`` the
        ``limit`` items right before it, in the same order (``has_more`` then says whether
        even earlier ones exist). The cursor must be an ID of the organisation's list.
        """
        a = self.alias
        where = list(where)
        params = list(params)
        order = "DESC"
        if request.cursor_id is not None:
            cursor = tx.one(
                f"SELECT created_at, seq FROM {self.table} WHERE org_id = ? AND id = ?",
                (org_id, request.cursor_id),
            )
            if cursor is None:
                raise invalid_request(f"Cursor {request.cursor_id!r} is not {self.what} ID.")
            cmp = "<" if request.after else ">"
            where.append(f"({a}.created_at {cmp} ? OR ({a}.created_at = ? AND {a}.seq {cmp} ?))")
            params += [cursor["created_at"], cursor["created_at"], cursor["seq"]]
            order = "DESC" if request.after else "ASC"
        sql = (
            f"{self.select} WHERE {' AND '.join(where)} "
            f"ORDER BY {a}.created_at {order}, {a}.seq {order} LIMIT ?"
        )
        rows = tx.all(sql, (*params, request.limit + 1))
        has_more = len(rows) > request.limit
        rows = rows[: request.limit]
        if order == "ASC":
            rows.reverse()
        return rows, has_more
