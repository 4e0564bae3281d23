"""Durable emulator state in SQLite: organisations, agents, providers, phone numbers, Twilio inventory.

One ``sqlite3`` connection per emulator, guarded by a re-entrant lock; every operation runs in
one transaction (``BEGIN IMMEDIATE`` for writes), so concurrent requests cannot lose writes and
two simultaneous imports of the same number produce exactly one row (the ``UNIQUE(org_id,
number)`` constraint is the final arbiter). With a file path the database uses WAL mode and
``synchronous=NORMAL`` (committed data survives a killed process; no fsync per read); without
one it is an in-memory database.

Secrets are never stored in clear: Cartesia API keys, Twilio key secrets and auth tokens are kept
as SHA-256 hex digests and compared by digest. Section numbers (§) refer to
``docs/cartesia-api.md``.

The clock is the wall clock plus an offset that only ``POST /_emulator/clock`` moves; inside a
request, :meth:`Store.now` returns the one reading the middleware took when the request arrived
(:meth:`Store.pinned`), so ``created_at``/``updated_at`` and the ``Date`` header agree.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from cartesia_pulumi.emulator.errors import ApiError

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

# The emulator-clock reading of the request being handled (set by the middleware), so that a
# request's timestamps and its Date header are one reading of one clock.
_REQUEST_TIME: ContextVar[float | None] = ContextVar("cartesia_emulator_request_time", default=None)

# Columns added after the first release; a database file from before gets them on open.
_ADDED_COLUMNS = (
    ("agents", "description", "TEXT"),
    ("agents", "version_id", "TEXT"),
    ("agents", "created_at", "TEXT"),
    ("agents", "updated_at", "TEXT"),
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS organizations (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    api_key_sha256 TEXT NOT NULL UNIQUE,
    plan_slots INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS agents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    version_id TEXT,
    created_at TEXT,
    updated_at TEXT,
    UNIQUE (org_id, id)
);
CREATE TABLE IF NOT EXISTS providers (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    org_id TEXT NOT NULL,
    type TEXT NOT NULL,
    account_sid TEXT NOT NULL,
    api_key_sid TEXT NOT NULL,
    api_key_secret_sha256 TEXT NOT NULL,
    region TEXT NOT NULL,
    label TEXT,
    UNIQUE (org_id, account_sid, region)
);
CREATE TABLE IF NOT EXISTS phone_numbers (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    org_id TEXT NOT NULL,
    number TEXT NOT NULL,
    label TEXT,
    provider_id TEXT,
    agent_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (org_id, number)
);
CREATE INDEX IF NOT EXISTS phone_numbers_order ON phone_numbers (org_id, created_at, seq);
CREATE INDEX IF NOT EXISTS phone_numbers_provider ON phone_numbers (provider_id);
CREATE TABLE IF NOT EXISTS released_numbers (number TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS twilio_accounts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account_sid TEXT NOT NULL UNIQUE,
    auth_token_sha256 TEXT
);
CREATE TABLE IF NOT EXISTS twilio_keys (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    sid TEXT NOT NULL UNIQUE,
    account_sid TEXT NOT NULL,
    secret_sha256 TEXT NOT NULL,
    region TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS placed_calls (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_call_id TEXT NOT NULL UNIQUE,
    org_id TEXT NOT NULL,
    from_number TEXT NOT NULL,
    from_number_id TEXT NOT NULL,
    to_number TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    provider_id TEXT,
    region TEXT,
    metadata TEXT,
    ringing_timeout_seconds INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS twilio_numbers (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account_sid TEXT NOT NULL,
    number TEXT NOT NULL,
    webhook_fails INTEGER NOT NULL DEFAULT 0,
    UNIQUE (account_sid, number)
);
"""

_TABLES = (
    "meta",
    "organizations",
    "agents",
    "providers",
    "phone_numbers",
    "released_numbers",
    "placed_calls",
    "twilio_accounts",
    "twilio_keys",
    "twilio_numbers",
)


def sha256(value: str) -> str:
    """Hex SHA-256 of a secret; the only form in which secrets are stored or dumped."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def new_id(prefix: str) -> str:
    """A fresh opaque ID shaped like Cartesia's: ``<prefix>_<22 base-62 chars>`` (§1.4)."""
    return prefix + "_" + "".join(secrets.choice(_BASE62) for _ in range(22))


def format_time(epoch: float) -> str:
    """UTC timestamp with seconds precision, ``YYYY-MM-DDTHH:MM:SSZ`` (§1.5)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


class Tx:
    """One open transaction: the connection plus the emulator clock."""

    def __init__(self, conn: sqlite3.Connection, now: str) -> None:
        self.conn = conn
        self.now = now

    def one(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Row | None:
        """First row of a query, or ``None``."""
        row: sqlite3.Row | None = self.conn.execute(sql, params).fetchone()
        return row

    def all(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        """All rows of a query."""
        return self.conn.execute(sql, params).fetchall()

    def run(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        """Execute a statement."""
        return self.conn.execute(sql, params)

    # --- lookups shared by the rule modules ------------------------------------------------

    def org_by_key(self, api_key: str) -> sqlite3.Row | None:
        """The organisation owning a Cartesia API key (compared by SHA-256)."""
        return self.one("SELECT * FROM organizations WHERE api_key_sha256 = ?", (sha256(api_key),))

    def agent(self, org_id: str, agent_id: str) -> sqlite3.Row | None:
        """An agent of the organisation."""
        return self.one("SELECT * FROM agents WHERE org_id = ? AND id = ?", (org_id, agent_id))

    def provider(self, org_id: str, provider_id: str) -> sqlite3.Row | None:
        """A provider of the organisation (another org's provider is invisible, U25)."""
        return self.one(
            "SELECT * FROM providers WHERE org_id = ? AND id = ?", (org_id, provider_id)
        )

    def phone_number(self, org_id: str, number_id: str) -> sqlite3.Row | None:
        """A phone number of the organisation."""
        return self.one(
            "SELECT * FROM phone_numbers WHERE org_id = ? AND id = ?", (org_id, number_id)
        )

    def meta(self, key: str) -> str | None:
        """A value of the ``meta`` key/value table."""
        row = self.one("SELECT value FROM meta WHERE key = ?", (key,))
        return None if row is None else str(row["value"])

    def set_meta(self, key: str, value: str) -> None:
        """Set a ``meta`` value."""
        self.run(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


class Store:
    """The SQLite database of one emulator instance.

    Args:
        path: database file (created if missing) or ``None`` for an in-memory database.
    """

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._clock_offset = 0.0
        self._conn = sqlite3.connect(
            path or ":memory:", check_same_thread=False, isolation_level=None
        )
        self._conn.row_factory = sqlite3.Row
        if path:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA busy_timeout=5000")
        self._conn.executescript(SCHEMA)
        self._migrate()

    def _migrate(self) -> None:
        for table, column, kind in _ADDED_COLUMNS:
            have = {str(r["name"]) for r in self._conn.execute(f"PRAGMA table_info({table})")}
            if column not in have:
                self._conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
        now = format_time(self.clock())
        for row in self._conn.execute("SELECT seq FROM agents WHERE version_id IS NULL").fetchall():
            self._conn.execute(
                "UPDATE agents SET version_id = ?, created_at = coalesce(created_at, ?), "
                "updated_at = coalesce(updated_at, ?) WHERE seq = ?",
                (new_id("agv"), now, now, row["seq"]),
            )

    # --- clock -----------------------------------------------------------------------------

    def clock(self) -> float:
        """Emulator time in epoch seconds: the wall clock plus the control API's offset."""
        return time.time() + self._clock_offset

    @property
    def clock_offset(self) -> float:
        """Seconds the clock has been moved forward since start or the last reset."""
        return self._clock_offset

    def now(self) -> str:
        """Current emulator time as a timestamp; inside a request, the request's pinned time."""
        pinned = _REQUEST_TIME.get()
        return format_time(self.clock() if pinned is None else pinned)

    @contextmanager
    def pinned(self, epoch: float) -> Iterator[None]:
        """Within the block, :meth:`now` returns ``epoch`` (one clock reading per request)."""
        token = _REQUEST_TIME.set(epoch)
        try:
            yield
        finally:
            _REQUEST_TIME.reset(token)

    def advance_clock(self, seconds: float) -> str:
        """Move the emulator clock forward (test helper for ``updated_at``); returns the new now."""
        with self._lock:
            self._clock_offset += seconds
        return format_time(self.clock())

    # --- transactions ----------------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[Tx]:
        """A write transaction (``BEGIN IMMEDIATE``), committed unless an exception escapes.

        An :class:`ApiError` with ``keep_changes`` (R8 half-success) still commits.
        """
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(self._conn, self.now())
            except ApiError as exc:
                self._conn.execute("COMMIT" if exc.keep_changes else "ROLLBACK")
                raise
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[Tx]:
        """A read transaction (consistent snapshot; never writes)."""
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                yield Tx(self._conn, self.now())
            finally:
                self._conn.execute("COMMIT")

    def is_empty(self) -> bool:
        """True when no organisation and no Twilio account exist yet (a fresh database)."""
        with self.read() as tx:
            row = tx.one(
                "SELECT (SELECT COUNT(*) FROM organizations) + "
                "(SELECT COUNT(*) FROM twilio_accounts) AS n"
            )
            return row is None or int(row["n"]) == 0

    def wipe(self) -> None:
        """Delete every row of every table (control API ``reset``)."""
        with self.write() as tx:
            for table in _TABLES:
                tx.run(f"DELETE FROM {table}")
        with self._lock:
            self._clock_offset = 0.0

    def close(self) -> None:
        """Close the connection (checkpoints the WAL of a file database)."""
        with self._lock:
            self._conn.close()
