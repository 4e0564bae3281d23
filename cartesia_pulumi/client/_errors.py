"""Typed errors raised by `CartesiaClient`.

::

    CartesiaError
     ├── APIConnectionError            (no HTTP response: refused, reset, dropped)
     │    ├── APITimeoutError
     │    └── TLSVerificationError     (the server's certificate was not trusted; never retried)
     ├── APIResponseValidationError    (a 2xx whose body is not what the API documents)
     ├── PaginationError               (a list that does not advance)
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
(docs/cartesia-api.md §1.2); both are parsed. Every text taken from a response passes through
`cartesia_pulumi._redact.scrub` first, so a server that echoes the request (its ``Authorization``
header, a Twilio key secret in the body) cannot put a secret into a message.

`is_ambiguous` says whether a failed request may nevertheless have been applied — the question a
create must answer before it tries again (docs/pulumi-notes.md D-4).
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from cartesia_pulumi._redact import scrub


class CartesiaError(Exception):
    """Base class of every error raised by the client."""


class APIConnectionError(CartesiaError):
    """The request got no HTTP response (connection refused, reset or dropped).

    Attributes:
        method: Request method.
        path: Request path (no host, no query).
        sent: False when the request provably never reached the server (the connection could not
            be opened), so even a POST may be repeated; True when it may have been received.
    """

    def __init__(self, message: str, *, method: str = "", path: str = "", sent: bool = True) -> None:
        super().__init__(message)
        self.method = method
        self.path = path
        self.sent = sent


class APITimeoutError(APIConnectionError):
    """The request timed out."""


class TLSVerificationError(APIConnectionError):
    """The server's TLS certificate could not be verified; retrying cannot help."""


class APIResponseValidationError(CartesiaError):
    """A success response whose body does not match the documented shape (or is not JSON).

    Attributes:
        status_code: HTTP status of the response.
        method: Request method.
        path: Request path.
        body: The first 2,000 characters of the body (scrubbed).
    """

    def __init__(
        self, message: str, *, status_code: int, method: str, path: str, body: str
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.method = method
        self.path = path
        self.body = body


class PaginationError(CartesiaError):
    """A paginated list did not advance (repeated cursor) or exceeded the page bound."""


class APIStatusError(CartesiaError):
    """The API answered with an error status.

    Attributes:
        status_code: HTTP status.
        error_code: Machine-readable code from the body, or ``None``.
        title: Short summary from the body (or the HTTP reason phrase).
        message: Longer explanation from the body (may be empty).
        request_id: Cartesia request id, for support, or ``None``.
        body: Parsed JSON body (dict) or the raw text, scrubbed.
        method: Request method.
        path: Request path (no query, no host).
        retry_after: Seconds from a ``Retry-After`` header, or ``None``.
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
    """429: refused before processing; always safe to repeat."""


class InternalServerError(APIStatusError):
    """5xx: the request may or may not have been applied."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


def is_ambiguous(exc: BaseException) -> bool:
    """Whether a failed request may still have been applied by the server.

    True for a 5xx, a response that never arrived after the request may have been received
    (timeout, reset, dropped connection) and a 2xx whose body could not be read; False for every
    other status (the server refused and changed nothing), for a 429 (refused before processing),
    and for a connection that was never opened or failed TLS verification.
    """
    if isinstance(exc, TLSVerificationError):
        return False
    if isinstance(exc, APIConnectionError):
        return exc.sent
    return isinstance(exc, InternalServerError | APIResponseValidationError)


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


def _scrub_json(value: Any, secrets: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        return scrub(value, *secrets)
    if isinstance(value, list):
        return [_scrub_json(v, secrets) for v in value]
    if isinstance(value, dict):
        return {k: _scrub_json(v, secrets) for k, v in value.items()}
    return value


def make_status_error(
    response: httpx.Response, *, method: str, path: str, secrets: tuple[str, ...] = ()
) -> APIStatusError:
    """Build the typed error for an HTTP error response (JSON or plain-text body).

    ``secrets`` are scrubbed from every text taken from the response, in addition to the
    process-wide registry.
    """
    status = response.status_code
    cls = _BY_STATUS.get(status) or (InternalServerError if status >= 500 else APIStatusError)
    try:
        text = response.text
    except (httpx.DecodingError, UnicodeDecodeError):
        text = ""
    text = scrub(text, *secrets)
    body: Any = text
    error_code: str | None = None
    title = ""
    message = ""
    request_id: str | None = response.headers.get("x-request-id")
    parsed: Any = None
    if text:
        try:
            # Scrub again after decoding: a secret may arrive \u-escaped inside a JSON string.
            parsed = _scrub_json(json.loads(text), secrets)
        except (ValueError, RecursionError):
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
        # Older API versions: plain text shaped "Title: Message" (docs/cartesia-api.md §1.2).
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
