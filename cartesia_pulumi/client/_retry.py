"""Retry policy: which requests are retried, and how long to wait between attempts.

Safe requests (GET, PATCH with absolute values, DELETE) are retried on 429, 5xx and connection
errors; POST only on 429, where the server refused the request before processing it. Lost POST
responses are recognised and adopted by the resources, not blindly retried here
(style.md "Habits"; pitfalls A-15).
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

    def should_retry(self, method: str, *, status: int | None, connection_error: bool) -> bool:
        """Whether a failed attempt of ``method`` may be repeated."""
        method = method.upper()
        if connection_error:
            return method in SAFE_METHODS
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
