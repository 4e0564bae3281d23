"""`CartesiaClient`: one httpx client, one ``request()``, resource namespaces per API noun."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from cartesia_pulumi.client._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    CartesiaError,
    make_status_error,
)
from cartesia_pulumi.client._retry import RetryPolicy
from cartesia_pulumi.client.phone_numbers import PhoneNumbers
from cartesia_pulumi.client.providers import Providers
from cartesia_pulumi.config import DEFAULT_API_VERSION, DEFAULT_BASE_URL

USER_AGENT = "cartesia-pulumi/0.1.0"


def is_loopback_host(host: str) -> bool:
    """True for ``localhost`` and loopback IP literals (127.0.0.0/8, ::1)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(base_url: str) -> httpx.URL:
    """Validate a base URL: https anywhere, plain http only to a loopback address.

    Cartesia refuses plain HTTP and may rotate a key sent over it (cartesia-api.md §1), and a
    key sent in clear to a non-local host could be read on the way.
    """
    url = httpx.URL(base_url)
    if url.scheme == "https" and url.host:
        return url
    if url.scheme == "http" and url.host:
        if is_loopback_host(url.host):
            return url
        raise ValueError(
            f"Refusing to send the Cartesia API key over plain http:// to {url.host}: use "
            "https:// (plain http is allowed only for a loopback address such as 127.0.0.1)."
        )
    raise ValueError(f"Cartesia base URL must be an https:// URL, got {base_url!r}.")


class CartesiaClient:
    """Client for the Cartesia telephony API.

    Args:
        api_key: Cartesia API key (sent as ``Authorization: Bearer``; never logged or shown).
        base_url: API root; plain ``http://`` only to loopback.
        api_version: ``Cartesia-Version`` header.
        timeout: Per-request timeout in seconds.
        max_retries: Retries of a safe request on 429/5xx/connection errors.
        sleep: Injectable sleep (tests pass a recorder).
        clock: Injectable monotonic clock for the per-call deadline.
        deadline: Overall seconds per call, waits included.
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
        url = check_base_url(base_url)
        self.base_url = str(url).rstrip("/")
        self.api_version = api_version
        self.sleep = sleep
        self.clock = clock
        self.retry_policy = retry_policy or RetryPolicy(max_retries=max_retries, deadline=deadline)
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
        )
        self.providers = Providers(self)
        self.phone_numbers = PhoneNumbers(self)

    def __repr__(self) -> str:
        return f"CartesiaClient(base_url={self.base_url!r}, api_version={self.api_version!r})"

    def __enter__(self) -> CartesiaClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> Any:
        """Send one API request with retries; return the parsed JSON body (``None`` for 204).

        Raises:
            APIStatusError: (a subclass per status) for an error status after retries.
            APIConnectionError: when no response arrived after retries.
        """
        method = method.upper()
        policy = self.retry_policy
        start = self.clock()
        attempt = 0
        while True:
            error: CartesiaError
            cause: BaseException | None = None
            status: int | None = None
            retry_after: float | None = None
            try:
                response = self._http.request(
                    method, path, params=dict(params) if params else None, json=json
                )
            except httpx.TimeoutException as exc:
                error = APITimeoutError(
                    f"{method} {path}: timed out ({type(exc).__name__})", method=method, path=path
                )
                cause = exc
            except httpx.TransportError as exc:
                error = APIConnectionError(
                    f"{method} {path}: no response from the Cartesia API ({type(exc).__name__})",
                    method=method,
                    path=path,
                )
                cause = exc
            else:
                if response.is_success:
                    return self._parse(response, method, path)
                status_error = make_status_error(response, method=method, path=path)
                status, retry_after = status_error.status_code, status_error.retry_after
                error = status_error
            connection_error = isinstance(error, APIConnectionError)
            retry = attempt < policy.max_retries and policy.should_retry(
                method, status=status, connection_error=connection_error
            )
            if retry:
                delay = policy.delay(attempt, retry_after)
                retry = (self.clock() - start) + delay <= policy.deadline
            if not retry:
                raise error from cause
            self.sleep(delay)
            attempt += 1

    @staticmethod
    def _parse(response: httpx.Response, method: str, path: str) -> Any:
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            raise APIStatusError(
                status_code=response.status_code,
                error_code=None,
                title="Invalid JSON in a success response",
                message="",
                request_id=response.headers.get("x-request-id"),
                body=response.text[:2000],
                method=method,
                path=path,
            ) from exc
