"""`CartesiaClient`: one httpx client, one ``request()``, resource namespaces per API noun.

Transport rules that protect the API key:

* plain ``http://`` is accepted only to a loopback address (`cartesia_pulumi.config`);
* for a plain-http base URL the environment's proxy variables are ignored, so ``HTTP_PROXY`` /
  ``ALL_PROXY`` can never carry the key in clear to a proxy; an ``https://`` base URL honours
  ``HTTPS_PROXY``/``ALL_PROXY``/``NO_PROXY`` (a CONNECT tunnel: the proxy never sees the key) and
  ``SSL_CERT_FILE``, as corporate networks need;
* redirects are never followed (a redirect could forward the ``Authorization`` header);
* a TLS verification failure is not retried and says why.

Every response's ``Date`` header feeds `ServerClock`, a lower bound of the server's clock that
lets a create tell objects older than its own request from the one it may have made
(`cartesia_pulumi.core.recovery`).
"""

from __future__ import annotations

import email.utils
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, TypeVar, cast, overload

import httpx
from pydantic import TypeAdapter, ValidationError

from cartesia_pulumi._redact import remember, scrub
from cartesia_pulumi._version import __version__
from cartesia_pulumi.client._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    CartesiaError,
    TLSVerificationError,
    make_status_error,
)
from cartesia_pulumi.client._retry import RetryPolicy
from cartesia_pulumi.client.agents import Agents
from cartesia_pulumi.client.calls import Calls
from cartesia_pulumi.client.phone_numbers import PhoneNumbers
from cartesia_pulumi.client.providers import Providers
from cartesia_pulumi.config import DEFAULT_API_VERSION, DEFAULT_BASE_URL, validate_base_url

USER_AGENT = f"cartesia-pulumi/{__version__}"

T = TypeVar("T")


@lru_cache(maxsize=64)
def _adapter(tp: Any) -> TypeAdapter[Any]:
    return TypeAdapter(tp)


class ServerClock:
    """A lower bound of the server's clock, learned from ``Date`` headers.

    A response generated at server time ``S`` carries ``Date = floor(S)`` and arrives at local
    monotonic time ``t`` after it was generated, so at any later local time ``t'`` the server's
    clock reads at least ``Date + (t' - t)``. The tightest such bound over every response seen
    is kept (both clocks are assumed to tick at the same rate; a server clock that jumps forward
    only tightens it).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset: float | None = None

    def observe(self, date_header: str | None, received_at: float) -> None:
        """Record one response's ``Date`` header, received at local monotonic ``received_at``."""
        if not date_header:
            return
        try:
            when = email.utils.parsedate_to_datetime(date_header)
        except (TypeError, ValueError):
            return
        offset = when.timestamp() - received_at
        with self._lock:
            if self._offset is None or offset > self._offset:
                self._offset = offset

    def lower_bound(self, at: float) -> float | None:
        """Server epoch seconds that the server clock had reached at local monotonic time ``at``."""
        with self._lock:
            return None if self._offset is None else at + self._offset


def _tls_failure(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return current
        for arg in getattr(current, "args", ()):
            if isinstance(arg, ssl.SSLCertVerificationError):
                return arg
        current = current.__cause__ or current.__context__
    return None


class CartesiaClient:
    """Client for the Cartesia telephony API.

    Args:
        api_key: Cartesia API key (sent as ``Authorization: Bearer``; never logged or shown).
        base_url: API root; plain ``http://`` only to loopback.
        api_version: ``Cartesia-Version`` header.
        timeout: Per-request timeout in seconds.
        max_retries: Retries of a safe request on 429/5xx/connection errors.
        sleep: Injectable sleep (tests pass a recorder).
        clock: Injectable monotonic clock for deadlines and `server_clock`.
        deadline: Overall seconds per call, waits included.
        retry_policy: Overrides ``max_retries``/``deadline`` with a full policy.
        transport: Optional httpx transport (tests).
    """

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        api_version: str = DEFAULT_API_VERSION,
        timeout: float = 30.0,
        max_retries: int = 4,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        deadline: float = 120.0,
        retry_policy: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not api_key:
            raise ValueError("CartesiaClient needs an API key.")
        self.base_url = validate_base_url(base_url, "base_url")
        self.api_version = api_version
        self.sleep = sleep
        self.clock = clock
        self.retry_policy = retry_policy or RetryPolicy(max_retries=max_retries, deadline=deadline)
        self.server_clock = ServerClock()
        self._scope = threading.local()
        self._secrets = (api_key,)
        remember(api_key)
        url = httpx.URL(self.base_url)
        self._host = url.host
        self._http = httpx.Client(
            base_url=self.base_url,
            headers={
                "Authorization": f"Bearer {api_key}",
                "Cartesia-Version": api_version,
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
            },
            timeout=httpx.Timeout(timeout),
            transport=transport,
            # Proxies (and SSL_CERT_FILE) only for https: plain http goes to loopback, direct.
            trust_env=url.scheme == "https",
            follow_redirects=False,
        )
        self.providers = Providers(self)
        self.phone_numbers = PhoneNumbers(self)
        self.agents = Agents(self)
        self.calls = Calls(self)

    def __repr__(self) -> str:
        return f"CartesiaClient(base_url={self.base_url!r}, api_version={self.api_version!r})"

    def __enter__(self) -> CartesiaClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    @property
    def timeout(self) -> float | None:
        """Per-request timeout in seconds (read timeout; the others follow it)."""
        return self._http.timeout.read

    @timeout.setter
    def timeout(self, seconds: float) -> None:
        self._http.timeout = httpx.Timeout(seconds)

    # -- retries, for callers that must repeat a whole operation ------------------------------

    @property
    def deadline(self) -> float:
        """Overall seconds one call (or one recovering operation) may take, waits included."""
        return self.retry_policy.deadline

    @contextmanager
    def operation(self, started: float) -> Iterator[None]:
        """Within this block (on this thread), every request also ends by ``started + deadline``.

        An operation made of several calls (a create, its lookups, a second POST) thus honours one
        deadline as a whole instead of one per call.
        """
        previous = getattr(self._scope, "ends", None)
        ends = started + self.retry_policy.deadline
        self._scope.ends = ends if previous is None else min(previous, ends)
        try:
            yield
        finally:
            self._scope.ends = previous

    def _ends(self, start: float) -> float:
        ends = start + self.retry_policy.deadline
        scoped = getattr(self._scope, "ends", None)
        return ends if scoped is None else min(ends, scoped)

    def wait_to_retry(self, attempt: int, started: float, retry_after: float | None = None) -> bool:
        """Sleep before retry number ``attempt`` (0-based) of an operation begun at ``started``.

        Returns False, without sleeping, when the wait would run past the deadline.
        """
        delay = self.retry_policy.delay(attempt, retry_after)
        if self.clock() + delay > self._ends(started):
            return False
        self.sleep(delay)
        return True

    # -- one request ---------------------------------------------------------------------------

    @overload
    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = ...,
        json: Any = ...,
        cast_to: None = ...,
    ) -> Any: ...

    @overload
    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = ...,
        json: Any = ...,
        cast_to: type[T],
    ) -> T: ...

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        cast_to: Any = None,
    ) -> Any:
        """Send one API request with retries; return the body parsed (as ``cast_to`` if given).

        Returns ``None`` for a 204.

        Raises:
            APIStatusError: (a subclass per status) for an error status after retries.
            APIConnectionError: when no response arrived after retries.
            APIResponseValidationError: for a success response whose body is not as documented.
        """
        method = method.upper()
        policy = self.retry_policy
        start = self.clock()
        attempt = 0
        while True:
            error: CartesiaError
            status: int | None = None
            retry_after: float | None = None
            try:
                response = self._http.request(
                    method, path, params=dict(params) if params else None, json=json
                )
            except httpx.HTTPError as exc:
                error = self._transport_error(exc, method, path)
                if isinstance(error, TLSVerificationError):
                    raise error from None
            else:
                self.server_clock.observe(response.headers.get("date"), self.clock())
                if response.is_success:
                    return self._parse(response, method, path, cast_to)
                status_error = make_status_error(
                    response, method=method, path=path, secrets=self._secrets
                )
                status, retry_after = status_error.status_code, status_error.retry_after
                error = status_error
            connection_error = isinstance(error, APIConnectionError)
            retry = attempt < policy.max_retries and policy.should_retry(
                method,
                status=status,
                connection_error=connection_error,
                sent=getattr(error, "sent", True),
            )
            if retry:
                delay = policy.delay(attempt, retry_after)
                retry = self.clock() + delay <= self._ends(start)
            if not retry:
                raise error from None
            self.sleep(delay)
            attempt += 1

    def _transport_error(self, exc: httpx.HTTPError, method: str, path: str) -> CartesiaError:
        """The typed error for an httpx failure (no secret can be in it: no body was read)."""
        name = type(exc).__name__
        if isinstance(exc, httpx.TimeoutException):
            # A connect or pool timeout means the request never left this process.
            sent = not isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout)
            return APITimeoutError(
                f"{method} {path}: timed out ({name})", method=method, path=path, sent=sent
            )
        tls = _tls_failure(exc)
        if tls is not None:
            reason = getattr(tls, "verify_message", "") or str(tls.reason or tls)
            return TLSVerificationError(
                f"{method} {path}: the TLS certificate of {self._host} could not be verified "
                f"({reason}); if a proxy or private certificate authority is in the way, point "
                "SSL_CERT_FILE at its CA bundle. Not retried.",
                method=method,
                path=path,
                sent=False,
            )
        if isinstance(exc, httpx.DecodingError):
            return APIResponseValidationError(
                f"{method} {path}: the response body could not be decoded ({name})",
                status_code=0,
                method=method,
                path=path,
                body="",
            )
        # Never opened: refused/unresolvable (ConnectError), a proxy that refused, a bad scheme.
        sent = not isinstance(exc, httpx.ConnectError | httpx.ProxyError | httpx.UnsupportedProtocol)
        return APIConnectionError(
            f"{method} {path}: no response from the Cartesia API at {self._host} ({name})",
            method=method,
            path=path,
            sent=sent,
        )

    def _parse(self, response: httpx.Response, method: str, path: str, cast_to: Any) -> Any:
        if response.status_code == 204 or not response.content:
            if cast_to is None:
                return None
            data: Any = None
        else:
            try:
                data = response.json()
            except (ValueError, RecursionError, httpx.DecodingError) as exc:
                raise self._invalid(
                    response, method, path, f"not JSON ({type(exc).__name__})"
                ) from None
        if cast_to is None:
            return data
        return self.validate(
            cast_to, data, method=method, path=path, status_code=response.status_code
        )

    def validate(
        self, tp: type[T], data: Any, *, method: str, path: str, status_code: int = 200
    ) -> T:
        """``data`` (a parsed success body) as ``tp``, or `APIResponseValidationError`."""
        try:
            adapter: TypeAdapter[T] = _adapter(cast(Any, tp))
            result = adapter.validate_python(data)
        except ValidationError as exc:
            errors = exc.errors()
            where = ".".join(str(p) for p in errors[0]["loc"]) if errors else ""
            why = scrub(errors[0]["msg"], *self._secrets) if errors else "invalid"
            raise APIResponseValidationError(
                f"{method} {path} -> {status_code}: the response is not what the Cartesia API "
                f"documents ({where or 'body'}: {why})",
                status_code=status_code,
                method=method,
                path=path,
                body="",
            ) from None
        return result

    def _invalid(
        self, response: httpx.Response, method: str, path: str, why: str
    ) -> APIResponseValidationError:
        try:
            body = scrub(response.text[:2000], *self._secrets)
        except (httpx.DecodingError, UnicodeDecodeError):
            body = ""
        return APIResponseValidationError(
            f"{method} {path} -> {response.status_code}: the response is not what the Cartesia "
            f"API documents ({why})",
            status_code=response.status_code,
            method=method,
            path=path,
            body=body,
        )
