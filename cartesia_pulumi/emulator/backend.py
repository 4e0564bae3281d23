"""The emulator backend: state (SQLite store), seeds, switches, faults and the request log.

One :class:`Emulator` per running emulator (moto keeps one backend object per service the same
way). The HTTP layers (``responses.py`` for the Cartesia API, ``control_api.py`` for
``/_emulator/``, ``middleware.py`` for faults and the log) hold a reference to it and nothing
else; the rules themselves live in the rule modules (``providers.py``, ``phone_numbers.py``,
``agents.py``, ``calls.py``, ``twilio.py``).
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from starlette.responses import JSONResponse, PlainTextResponse, Response

from cartesia_pulumi.emulator import seeds
from cartesia_pulumi.emulator.errors import ApiError
from cartesia_pulumi.emulator.faults import FaultRegistry
from cartesia_pulumi.emulator.store import Store

#: U2: Cartesia-Version values accepted on every route.
ACCEPTED_VERSIONS = frozenset(
    {"2024-06-10", "2024-11-13", "2025-04-16", "2025-11-04", "2026-03-01", "2026-08-14"}
)
#: R20: versions from this date on always get structured JSON errors.
STRUCTURED_ERRORS_SINCE = "2026-03-01"
MAX_LOG = 100_000

LogEntry = dict[str, Any]


@dataclass
class Settings:
    """Switches that change what the emulated API does (``/_emulator/settings``, seed ``settings``).

    Attributes:
        plain_text_errors_for_old_versions: U3: ``text/plain`` errors for versions < 2026-03-01.
        provider_label_patch: U12: a ``label`` in a Twilio provider PATCH renames the provider
            (off by default: the published update schema has no ``label``, so it is ignored).
    """

    plain_text_errors_for_old_versions: bool = False
    provider_label_patch: bool = False

    def update(self, values: Mapping[str, Any]) -> None:
        """Set the given switches; 400 naming the first unknown or non-boolean one."""
        known = {f.name for f in fields(self)}
        for name, value in values.items():
            if name not in known:
                raise ApiError(
                    400,
                    "invalid_request",
                    "Invalid settings",
                    f"Unknown setting {name!r}; known settings: {', '.join(sorted(known))}.",
                )
            if value is None:
                continue
            if not isinstance(value, bool):
                raise ApiError(
                    400, "invalid_request", "Invalid settings", f"{name} must be true or false."
                )
            setattr(self, name, value)

    def as_dict(self) -> dict[str, bool]:
        """The switches as JSON."""
        return {f.name: bool(getattr(self, f.name)) for f in fields(self)}


class Emulator:
    """Everything one emulator instance holds: the store, faults, request log and settings.

    Args:
        data: SQLite file for durable state, or ``None`` for an in-memory database.
        seed: seed applied at start-up if the database is fresh (see ``__main__``).
        demo: apply :data:`~cartesia_pulumi.emulator.demo.DEMO_SEED` at start-up if fresh.
        plain_text_errors_for_old_versions: U3 switch (default off: JSON for every version).
    """

    def __init__(
        self,
        *,
        data: str | None = None,
        seed: Mapping[str, Any] | None = None,
        demo: bool = False,
        plain_text_errors_for_old_versions: bool = False,
    ) -> None:
        self.store = Store(data)
        self.faults = FaultRegistry()
        self._startup_settings = Settings(
            plain_text_errors_for_old_versions=plain_text_errors_for_old_versions
        )
        self.settings = Settings(**self._startup_settings.as_dict())
        self._log: list[LogEntry] = []
        self._log_seq = 0
        self._log_lock = threading.Lock()
        self._waiters: list[tuple[Callable[[LogEntry], bool], asyncio.Future[LogEntry]]] = []
        if self.store.is_empty():
            if demo:
                self.apply_seed(seeds.DEMO_SEED)
            if seed is not None:
                self.apply_seed(seed)

    @property
    def plain_text_errors_for_old_versions(self) -> bool:
        """The U3 switch (kept as an attribute for callers of the first version)."""
        return self.settings.plain_text_errors_for_old_versions

    @plain_text_errors_for_old_versions.setter
    def plain_text_errors_for_old_versions(self, value: bool) -> None:
        self.settings.plain_text_errors_for_old_versions = value

    # --- seeds / reset ---------------------------------------------------------------------

    def apply_seed(self, data: Mapping[str, Any]) -> None:
        """Validate and merge a seed (400 on a malformed seed, 409 on a silent key change)."""
        seed = seeds.parse_seed(dict(data))
        with self.store.write() as tx:
            seeds.apply_seed(tx, seed)
        self.settings.update(seed.settings.model_dump())

    def reset(self, demo: bool = False) -> None:
        """Drop all state, faults, the log and the clock offset; optionally re-load the demo."""
        self.store.wipe()
        self.faults.clear()
        self.clear_log()
        self.settings = Settings(**self._startup_settings.as_dict())
        if demo:
            self.apply_seed(seeds.DEMO_SEED)

    # --- request log -----------------------------------------------------------------------

    def begin(self, method: str, path: str, query: str) -> LogEntry:
        """Append a request to the log when it arrives; `finish` fills in the outcome.

        Logging at arrival keeps the log in arrival order and means `clear_log` also forgets
        requests still in flight (e.g. one held by a latency fault after its client gave
        up), so they cannot surface in a later test's log. Bounded to the last 100,000.
        """
        with self._log_lock:
            self._log_seq += 1
            entry: LogEntry = {
                "seq": self._log_seq,
                "method": method,
                "path": path,
                "query": query,
                "status": None,
                "ms": None,
                "fault": None,
            }
            self._log.append(entry)
            if len(self._log) > MAX_LOG:
                del self._log[: len(self._log) - MAX_LOG]
        self._wake(entry)
        return entry

    def finish(self, entry: LogEntry, status: int | None, ms: float, fault: str | None) -> None:
        """Record how a logged request ended (status None: the connection was dropped)."""
        with self._log_lock:
            entry.update(status=status, ms=round(ms, 3), fault=fault, done=True)
        self._wake(entry)

    def log(self) -> list[LogEntry]:
        """The request log, oldest first (``done`` is internal and left out)."""
        with self._log_lock:
            return [_public(entry) for entry in self._log]

    def clear_log(self) -> None:
        """Empty the request log."""
        with self._log_lock:
            self._log.clear()

    async def wait_for(self, predicate: Callable[[LogEntry], bool], timeout: float) -> LogEntry:
        """The first logged request (present or future) matching ``predicate``.

        Raises:
            TimeoutError: no such request within ``timeout`` seconds.
        """
        with self._log_lock:
            for entry in self._log:
                if predicate(entry):
                    return _public(entry)
            future: asyncio.Future[LogEntry] = asyncio.get_running_loop().create_future()
            waiter = (predicate, future)
            self._waiters.append(waiter)
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            with self._log_lock:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)

    def _wake(self, entry: LogEntry) -> None:
        # begin/finish run on the event loop (middleware), as do the waiters' futures.
        with self._log_lock:
            ready = [w for w in self._waiters if not w[1].done() and w[0](entry)]
            for w in ready:
                self._waiters.remove(w)
            snapshot = _public(entry)
        for _, future in ready:
            future.set_result(snapshot)

    # --- errors ----------------------------------------------------------------------------

    def error_response(
        self,
        err: ApiError,
        version: str | None,
        headers: Mapping[str, str] | None = None,
        *,
        control: bool = False,
    ) -> Response:
        """Render an error: JSON envelope (R20, ``docs/cartesia-api.md §1.2``) or plain text (U3)."""
        if (
            not control
            and self.settings.plain_text_errors_for_old_versions
            and version in ACCEPTED_VERSIONS
            and version < STRUCTURED_ERRORS_SINCE
        ):
            return PlainTextResponse(
                f"{err.title}: {err.message}", status_code=err.status, headers=headers
            )
        body: dict[str, Any] = {
            "error_code": err.error_code,
            "title": err.title,
            "message": err.message,
            "request_id": str(uuid.uuid4()),
        }
        body.update(err.extra)
        return JSONResponse(body, status_code=err.status, headers=headers)


def _public(entry: LogEntry) -> LogEntry:
    return {k: v for k, v in entry.items() if k != "done"}
