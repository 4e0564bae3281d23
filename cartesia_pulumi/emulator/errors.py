"""The one error type the emulator's rules raise; the backend renders it (JSON envelope or plain text).

Error codes other than ``concurrency_limited`` and ``quota_exceeded`` are not documented by
Cartesia (``docs/cartesia-api.md §1.2``); the ones used here are the emulator's guesses and are listed in
COVERAGE.md. Clients should branch on the HTTP status, not on ``error_code``.
"""

from __future__ import annotations

from typing import Any

# Titles per status, used when a rule does not give its own.
TITLES: dict[int, str] = {
    400: "Bad Request",
    401: "Unauthorized",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class ApiError(Exception):
    """An HTTP error answer of the emulated Cartesia API.

    Attributes:
        status: HTTP status code.
        error_code: machine-readable code (``None`` renders as JSON ``null``).
        title: short summary (the ``Title`` of plain-text errors).
        message: one-sentence explanation naming the object and what to do.
        extra: additional top-level fields of the JSON body (e.g. ``unreachable_numbers``).
        keep_changes: commit the transaction although an error is returned (R8 half-success).
    """

    def __init__(
        self,
        status: int,
        error_code: str | None,
        title: str | None,
        message: str,
        extra: dict[str, Any] | None = None,
        *,
        keep_changes: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error_code = error_code
        self.title = title or TITLES.get(status, "Error")
        self.message = message
        self.extra = dict(extra or {})
        self.keep_changes = keep_changes


def invalid_request(message: str) -> ApiError:
    """400 for a malformed request (U4: 400, never 422)."""
    return ApiError(400, "invalid_request", "Invalid request", message)


def not_found(what: str, ident: str) -> ApiError:
    """404 for an object that does not exist in the caller's organisation (U25)."""
    return ApiError(404, "not_found", "Not found", f"{what} {ident!r} was not found.")
