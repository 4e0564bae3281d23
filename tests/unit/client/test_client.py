"""CartesiaClient against the emulator: headers/auth, URL safety, retries, timeouts."""

from __future__ import annotations

from typing import Any

import pytest

from cartesia_pulumi.client import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    CartesiaClient,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    RetryPolicy,
)
from unit.support import ACCOUNT, DEMO_KEY, KEY_US1, SECRET_US1, SleepRecorder, api_requests

PROVIDERS = "/agents/phone-numbers/providers"


# -- construction -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["http://api.cartesia.ai", "http://10.0.0.5:8080", "http://example.com"]
)
def test_init_plain_http_non_loopback_refused(url: str) -> None:
    with pytest.raises(ValueError, match="plain http"):
        CartesiaClient("k", base_url=url)


@pytest.mark.parametrize(
    "url", ["https://api.cartesia.ai", "http://127.0.0.1:1", "http://localhost:8", "http://[::1]:9"]
)
def test_init_https_or_loopback_accepted(url: str) -> None:
    CartesiaClient("k", base_url=url).close()


def test_init_other_scheme_refused() -> None:
    with pytest.raises(ValueError):
        CartesiaClient("k", base_url="ftp://127.0.0.1")


def test_repr_hides_key() -> None:
    c = CartesiaClient("sk_car_hidden", base_url="http://127.0.0.1:1")
    assert "sk_car_hidden" not in repr(c)
    c.close()


# -- auth and errors --------------------------------------------------------------------------


def test_request_valid_key_lists(client: CartesiaClient) -> None:
    assert client.providers.list() == []


def test_request_wrong_key_authentication_error(emulator: Any) -> None:
    with (
        CartesiaClient("sk_car_wrong", base_url=emulator.url) as c,
        pytest.raises(AuthenticationError) as info,
    ):
        c.providers.list()
    err = info.value
    assert err.status_code == 401
    assert "sk_car_wrong" not in str(err)


def test_request_not_found_typed_error_fields(client: CartesiaClient) -> None:
    with pytest.raises(NotFoundError) as info:
        client.phone_numbers.get("ap_missing")
    err = info.value
    assert err.status_code == 404
    assert err.title and err.request_id
    assert isinstance(err.body, dict)
    assert DEMO_KEY not in str(err)


def test_request_old_version_plain_text_errors_parsed(emulator: Any) -> None:
    emulator.control.seed({"settings": {"plain_text_errors_for_old_versions": True}})
    with (
        CartesiaClient(DEMO_KEY, base_url=emulator.url, api_version="2025-04-16") as c,
        pytest.raises(NotFoundError) as info,
    ):
        c.phone_numbers.get("ap_missing")
    err = info.value
    assert isinstance(err.body, str)
    assert err.title and err.message
    assert err.error_code is None


# -- retries ----------------------------------------------------------------------------------


def test_retry_get_429_honours_retry_after(
    emulator: Any, client: CartesiaClient, sleeps: SleepRecorder
) -> None:
    emulator.control.add_fault(
        route=f"GET {PROVIDERS}$", kind="status", status=429, retry_after=1.5, count=1
    )
    assert client.providers.list() == []
    assert sleeps.calls == [1.5]
    assert len(api_requests(emulator)) == 2


def test_retry_retry_after_capped(emulator: Any, sleeps: SleepRecorder) -> None:
    emulator.control.add_fault(
        route=f"GET {PROVIDERS}$", kind="status", status=503, retry_after=300, count=1
    )
    with CartesiaClient(
        DEMO_KEY, base_url=emulator.url, sleep=sleeps, retry_policy=RetryPolicy(deadline=1000)
    ) as c:
        c.providers.list()
    assert sleeps.calls == [30.0]


def test_retry_get_5xx_jittered_backoff(
    emulator: Any, client: CartesiaClient, sleeps: SleepRecorder
) -> None:
    emulator.control.add_fault(route=f"GET {PROVIDERS}$", kind="status", status=503, count=3)
    client.providers.list()
    assert len(sleeps.calls) == 3
    for attempt, delay in enumerate(sleeps.calls):
        assert 0 <= delay <= 0.2 * 2**attempt


def test_retry_get_dropped_connection_retried(emulator: Any, client: CartesiaClient) -> None:
    emulator.control.add_fault(route=f"GET {PROVIDERS}$", kind="drop", count=1)
    assert client.providers.list() == []


def test_retry_exhausted_raises_last_error(
    emulator: Any, client: CartesiaClient, sleeps: SleepRecorder
) -> None:
    emulator.control.add_fault(route=f"GET {PROVIDERS}$", kind="status", status=500)
    with pytest.raises(InternalServerError):
        client.providers.list()
    assert len(sleeps.calls) == 4
    assert len(api_requests(emulator)) == 5


def test_retry_post_5xx_not_retried(emulator: Any, client: CartesiaClient) -> None:
    emulator.control.add_fault(route=f"POST {PROVIDERS}$", kind="status", status=503, count=1)
    with pytest.raises(InternalServerError):
        client.providers.create(account_sid=ACCOUNT, api_key_sid=KEY_US1, api_key_secret=SECRET_US1)
    assert len(api_requests(emulator)) == 1


def test_retry_post_dropped_not_retried(emulator: Any, client: CartesiaClient) -> None:
    emulator.control.add_fault(route=f"POST {PROVIDERS}$", kind="drop", count=1)
    with pytest.raises(APIConnectionError):
        client.providers.create(account_sid=ACCOUNT, api_key_sid=KEY_US1, api_key_secret=SECRET_US1)
    assert len(api_requests(emulator)) <= 1


def test_retry_post_429_retried(
    emulator: Any, client: CartesiaClient, sleeps: SleepRecorder
) -> None:
    emulator.control.add_fault(
        route=f"POST {PROVIDERS}$", kind="status", status=429, retry_after=0.5, count=1
    )
    p = client.providers.create(account_sid=ACCOUNT, api_key_sid=KEY_US1, api_key_secret=SECRET_US1)
    assert p.account_sid == ACCOUNT
    assert sleeps.calls == [0.5]


def test_retry_deadline_stops_retrying(emulator: Any, sleeps: SleepRecorder) -> None:
    emulator.control.add_fault(
        route=f"GET {PROVIDERS}$", kind="status", status=429, retry_after=5, count=10
    )
    now = [0.0]

    def fake_sleep(seconds: float) -> None:
        sleeps(seconds)
        now[0] += seconds

    with (
        CartesiaClient(
            DEMO_KEY,
            base_url=emulator.url,
            sleep=fake_sleep,
            clock=lambda: now[0],
            retry_policy=RetryPolicy(max_retries=10, deadline=12),
        ) as c,
        pytest.raises(RateLimitError),
    ):
        c.providers.list()
    assert sleeps.calls == [5, 5]


def test_request_timeout_typed(emulator: Any, sleeps: SleepRecorder) -> None:
    emulator.control.add_fault(route=f"GET {PROVIDERS}$", kind="latency", latency_ms=1500, count=1)
    with (
        CartesiaClient(
            DEMO_KEY, base_url=emulator.url, timeout=0.2, max_retries=0, sleep=sleeps
        ) as c,
        pytest.raises(APITimeoutError),
    ):
        c.providers.list()


def test_policy_should_retry_table() -> None:
    p = RetryPolicy()
    assert p.should_retry("GET", status=503, connection_error=False)
    assert p.should_retry("PATCH", status=None, connection_error=True)
    assert p.should_retry("DELETE", status=429, connection_error=False)
    assert p.should_retry("POST", status=429, connection_error=False)
    assert not p.should_retry("POST", status=503, connection_error=False)
    assert not p.should_retry("POST", status=None, connection_error=True)
    assert not p.should_retry("GET", status=404, connection_error=False)
