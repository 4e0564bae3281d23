"""Injected faults: 4xx/5xx answers, echoes, added latency, dropped connections, lost responses.

A fault (``docs/emulator.md`` has the full table)::

    {"route": "<regex searched in 'METHOD /path'>",
     "kind": "status"|"echo"|"latency"|"drop"|"apply_then_drop",
     "status": 400-599 (status, echo), "retry_after": seconds, "latency_ms": int,
     "probability": 0..1 (default 1), "count": int|null (max firings), "seed": int|null}

Matching (see :meth:`FaultRegistry.decide`): faults are tried in the order they were added; every
firing ``latency`` fault adds its delay, and the first firing fault of another kind decides what
happens to the request. A fault "fires" when its route matches, its remaining count is not zero
and its own random draw (seeded by ``seed``) is below ``probability``. A delay ends early when
the faults are cleared, so a test's teardown never waits for a request it held. The registry
lives in memory (not in SQLite): faults do not survive a restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from cartesia_pulumi.emulator.errors import ApiError

KINDS = ("status", "echo", "latency", "drop", "apply_then_drop")
#: Upper bounds that keep a fault from holding a request or a client for absurd times.
MAX_LATENCY_MS = 600_000
MAX_RETRY_AFTER_S = 86_400


@dataclass
class Fault:
    """One registered fault."""

    id: int
    route: str
    kind: str
    status: int | None = None
    retry_after: float | None = None
    latency_ms: int = 0
    probability: float = 1.0
    count: int | None = None
    seed: int | None = None
    fired: int = 0
    pattern: re.Pattern[str] = field(init=False, repr=False)
    rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.pattern = re.compile(self.route)
        self.rng = random.Random(self.seed)

    def describe(self) -> dict[str, Any]:
        """JSON view of the fault (for ``GET /_emulator/faults``)."""
        return {
            "id": self.id,
            "route": self.route,
            "kind": self.kind,
            "status": self.status,
            "retry_after": self.retry_after,
            "latency_ms": self.latency_ms,
            "probability": self.probability,
            "count": self.count,
            "seed": self.seed,
            "fired": self.fired,
        }


@dataclass
class Decision:
    """What the fault middleware must do with one request."""

    latency_ms: int = 0
    fault: Fault | None = None
    released: asyncio.Event | None = None

    @property
    def kind(self) -> str | None:
        """Deciding fault kind, ``"latency"`` if only latency applies, else ``None``."""
        if self.fault is not None:
            return self.fault.kind
        return "latency" if self.latency_ms else None


def _bad(message: str) -> ApiError:
    return ApiError(400, "invalid_request", "Invalid fault", message)


class FaultRegistry:
    """Thread-safe list of active faults."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._next_id = 1
        # Set (and replaced) by clear(): delays decided before a clear end at once.
        self._released = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    def add(self, spec: Any) -> Fault:
        """Validate and register a fault spec; 400 on a malformed spec."""
        if not isinstance(spec, dict):
            raise _bad("A fault must be a JSON object.")
        known = {"route", "kind", "status", "retry_after", "latency_ms", "probability", "count", "seed"}
        unknown = set(spec) - known
        if unknown:
            raise _bad(f"Unknown fault fields: {', '.join(sorted(unknown))}.")
        route = spec.get("route", ".*")
        kind = spec.get("kind")
        if not isinstance(route, str):
            raise _bad("route must be a regular expression string.")
        try:
            re.compile(route)
        except re.error as exc:
            raise _bad(f"route is not a valid regular expression: {exc}.") from None
        if kind not in KINDS:
            raise _bad(f"kind must be one of {', '.join(KINDS)}.")
        status = spec.get("status")
        if kind in ("status", "echo") and (
            not isinstance(status, int) or isinstance(status, bool) or not 400 <= status <= 599
        ):
            raise _bad(f"{kind} faults need an integer status 400-599.")
        retry_after = spec.get("retry_after")
        if retry_after is not None and (
            not isinstance(retry_after, int | float) or not 0 <= retry_after <= MAX_RETRY_AFTER_S
        ):
            raise _bad(f"retry_after must be a number of seconds from 0 to {MAX_RETRY_AFTER_S}.")
        latency_ms = spec.get("latency_ms", 0) or 0
        if not isinstance(latency_ms, int) or not 0 <= latency_ms <= MAX_LATENCY_MS:
            raise _bad(f"latency_ms must be an integer from 0 to {MAX_LATENCY_MS}.")
        if kind == "latency" and latency_ms == 0:
            raise _bad("latency faults need latency_ms > 0.")
        probability = spec.get("probability", 1.0)
        if probability is None:
            probability = 1.0
        if not isinstance(probability, int | float) or not 0 <= probability <= 1:
            raise _bad("probability must be between 0 and 1.")
        count = spec.get("count")
        if count is not None and (not isinstance(count, int) or count < 0):
            raise _bad("count must be a non-negative integer or null.")
        seed = spec.get("seed")
        if seed is not None and not isinstance(seed, int):
            raise _bad("seed must be an integer or null.")
        with self._lock:
            fault = Fault(
                id=self._next_id,
                route=route,
                kind=kind,
                status=status if kind in ("status", "echo") else None,
                retry_after=float(retry_after) if retry_after is not None else None,
                latency_ms=latency_ms,
                probability=float(probability),
                count=count,
                seed=seed,
            )
            self._next_id += 1
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        """Remove every fault and end the delays of requests held by latency faults."""
        with self._lock:
            self._faults.clear()
            released, self._released = self._released, asyncio.Event()
            loop = self._loop
        if loop is None or _running_loop() is loop:
            released.set()
        else:
            loop.call_soon_threadsafe(released.set)

    async def delay(self, decision: Decision) -> None:
        """Sleep for the decision's latency without blocking other requests (ends on clear)."""
        self._loop = asyncio.get_running_loop()
        released = decision.released or self._released
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(released.wait(), decision.latency_ms / 1000)

    def list(self) -> list[dict[str, Any]]:
        """Describe the active faults."""
        with self._lock:
            return [f.describe() for f in self._faults]

    def decide(self, method: str, path: str) -> Decision:
        """Pick the faults that fire for ``METHOD /path`` (consumes counts and random draws)."""
        decision = Decision()
        if not self._faults:
            return decision
        target = f"{method} {path}"
        with self._lock:
            decision.released = self._released
            for f in self._faults:
                if f.count is not None and f.fired >= f.count:
                    continue
                if not f.pattern.search(target):
                    continue
                if f.probability < 1.0 and f.rng.random() >= f.probability:
                    continue
                if f.kind == "latency":
                    f.fired += 1
                    decision.latency_ms += f.latency_ms
                    continue
                f.fired += 1
                decision.fault = f
                decision.latency_ms += f.latency_ms
                break
        return decision


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
