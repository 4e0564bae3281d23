"""Typed errors raised by `CartesiaClient`.

::

    CartesiaError
     ├── APIConnectionError            (no HTTP response: refused, reset, dropped)
     │    └── APITimeoutError
     └── APIStatusError                (an HTTP error status; carries the parsed body)
          ├── BadRequestError          400  (.unreachable_numbers)
          ├── AuthenticationError      401
          ├── PaymentRequiredError     402
          ├── PermissionDeniedError    403
          ├── NotFoundError            404
          ├── ConflictError            409
          ├── RateLimitError           429
          └── InternalServerError      5xx

Error bodies are JSON ``{error_code, title, message, request_id}`` for
``Cartesia-Version >= 2026-03-01`` and may be plain text ``Title: Message`` for older versions
(cartesia-api.md §1.2); both are parsed. ``str(err)`` never contains the API key: it is built
from the method, path, status and the server's title/message only.
"""

from __future__ import annotations

import json
from typing import Any

import httpx


class CartesiaError(Exception):
    """Base class of every error raised by the client."""


class APIConnectionError(CartesiaError):
    """The request got no HTTP response (connection refused, reset or dropped)."""

    def __init__(self, message: str, *, method: str = "", path: str = "") -> None:
        super().__init__(message)
        self.method = method
        self.path = path


class APITimeoutError(APIConnectionError):
    """The request timed out."""


class APIStatusError(CartesiaError):
    """The API answered with an error status.

    Attributes:
        status_code: HTTP status.
        error_code: Machine-readable code from the body, or ``None``.
        title: Short summary from the body (or the HTTP reason phrase).
        message: Longer explanation from the body (may be empty).
        request_id: Cartesia request id, for support, or ``None``.
        body: Parsed JSON body (dict) or the raw text.
        method: Request method.
        path: Request path (no query, no host).
    """

    def __init__(
        self,
        *,
        status_code: int,
        error_code: str | None,
        title: str,
        message: str,
        request_id: str | None,
        body: Any,
        method: str = "",
        path: str = "",
        retry_after: float | None = None,
    ) -> None:
        self.status_code = status_code
        self.error_code = error_code
        self.title = title
        self.message = message
        self.request_id = request_id
        self.body = body
        self.method = method
        self.path = path
        self.retry_after = retry_after
        super().__init__(self._describe())

    def _describe(self) -> str:
        text = f"{self.method} {self.path} -> {self.status_code}".strip()
        detail = self.title
        if self.message and self.message != self.title:
            detail = f"{detail}: {self.message}" if detail else self.message
        if detail:
            text += f" {detail}"
        if self.error_code:
            text += f" (error_code={self.error_code})"
        if self.request_id:
            text += f" [request_id={self.request_id}]"
        return text


class BadRequestError(APIStatusError):
    """400: invalid request, invalid Twilio credentials, unreachable numbers, still assigned."""

    @property
    def unreachable_numbers(self) -> list[str]:
        """Numbers the server reported as unreachable with new credentials (R3), else ``[]``."""
        if isinstance(self.body, dict):
            raw = self.body.get("unreachable_numbers")
            if isinstance(raw, list):
                out: list[str] = []
                for item in raw:
                    if isinstance(item, str):
                        out.append(item)
                    elif isinstance(item, dict) and isinstance(item.get("number"), str):
                        out.append(item["number"])
                return out
        return []


class AuthenticationError(APIStatusError):
    """401: the API key is missing or wrong."""


class PaymentRequiredError(APIStatusError):
    """402: plan quota exceeded."""


class PermissionDeniedError(APIStatusError):
    """403."""


class NotFoundError(APIStatusError):
    """404."""


class ConflictError(APIStatusError):
    """409: already exists / still in use."""


class RateLimitError(APIStatusError):
    """429."""


class InternalServerError(APIStatusError):
    """5xx."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


def parse_retry_after(headers: httpx.Headers) -> float | None:
    """Seconds from a ``Retry-After`` header (float seconds; HTTP dates are ignored)."""
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        value = float(raw.strip())
    except ValueError:
        return None
    return value if value >= 0 else None


def make_status_error(response: httpx.Response, *, method: str, path: str) -> APIStatusError:
    """Build the typed error for an HTTP error response (JSON or plain-text body)."""
    status = response.status_code
    cls = _BY_STATUS.get(status) or (InternalServerError if status >= 500 else APIStatusError)
    text = response.text
    body: Any = text
    error_code: str | None = None
    title = ""
    message = ""
    request_id: str | None = response.headers.get("x-request-id")
    parsed: Any = None
    if text:
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
    if isinstance(parsed, dict):
        body = parsed
        code = parsed.get("error_code")
        error_code = code if isinstance(code, str) else None
        t = parsed.get("title")
        m = parsed.get("message")
        title = t if isinstance(t, str) else ""
        message = m if isinstance(m, str) else ""
        if not title and isinstance(parsed.get("error"), str):
            title = parsed["error"]
        rid = parsed.get("request_id")
        if isinstance(rid, str):
            request_id = rid
    elif text:
        # Older API versions: plain text shaped "Title: Message" (cartesia-api.md §1.2).
        first = text.strip()
        if ": " in first:
            title, message = (part.strip() for part in first.split(": ", 1))
        else:
            title = first
    if not title:
        title = response.reason_phrase or f"HTTP {status}"
    return cls(
        status_code=status,
        error_code=error_code,
        title=title[:500],
        message=message[:2000],
        request_id=request_id,
        body=body,
        method=method,
        path=path,
        retry_after=parse_retry_after(response.headers),
    )
