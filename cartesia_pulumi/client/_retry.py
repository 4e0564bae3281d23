"""Retry policy: which failed requests are repeated, and how long to wait between attempts.

Safe requests (GET, PATCH with absolute values, DELETE) are repeated on 429, 5xx and connection
errors. A POST is repeated only when the server provably did not process it: a 429 (refused before
processing) or a connection that was never opened. Every other failed POST may have been applied, so
it is handed back to the caller, which must prove what happened before trying again
(`cartesia_pulumi.core.recovery`). Backoff is full jitter, ``Retry-After`` wins (capped), and one call
never runs past its deadline. Sleep, clock and randomness are injectable so retry tests take no time.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

SAFE_METHODS = frozenset({"GET", "HEAD", "PATCH", "PUT", "DELETE"})


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff parameters.

    Attributes:
        max_retries: Retries after the first attempt.
        base_delay: First backoff ceiling in seconds (doubles per attempt).
        max_delay: Cap of the exponential backoff ceiling.
        max_retry_after: Cap applied to a server's ``Retry-After``.
        deadline: Overall seconds for one call including waits; no retry starts after it.
    """

    max_retries: int = 4
    base_delay: float = 0.2
    max_delay: float = 5.0
    max_retry_after: float = 30.0
    deadline: float = 120.0
    rand: Callable[[], float] = field(default=random.random, repr=False, compare=False)

    def should_retry(
        self, method: str, *, status: int | None, connection_error: bool, sent: bool = True
    ) -> bool:
        """Whether a failed attempt of ``method`` may be repeated.

        Args:
            method: HTTP method of the attempt.
            status: HTTP status of the answer, or ``None`` when none arrived.
            connection_error: True when no answer arrived.
            sent: False when the request provably never reached the server.
        """
        method = method.upper()
        if connection_error:
            return method in SAFE_METHODS or not sent
        if status == 429:
            return True
        if status is not None and status >= 500:
            return method in SAFE_METHODS
        return False

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``attempt`` (0-based).

        ``Retry-After`` wins when present (capped); otherwise full jitter over
        ``min(max_delay, base_delay * 2**attempt)``.
        """
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_retry_after)
        ceiling = min(self.max_delay, self.base_delay * (2**attempt))
        return ceiling * self.rand()
