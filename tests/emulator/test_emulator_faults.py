"""Injected faults (``docs/emulator.md``): status, echo, latency, drop, apply_then_drop."""

from __future__ import annotations

import json
import threading

import httpx
import pytest

from cartesia_pulumi.emulator.control import ControlError
from cartesia_pulumi.emulator.testing import RunningEmulator, running_emulator
from tests.emulator.emulator_support import (
    DEMO_KEY,
    PROD_US1,
    assert_error,
    create_provider,
    headers,
    provider_body,
)

NUMBERS = "/agents/phone-numbers"
PROVIDERS = "/agents/phone-numbers/providers"


# --- faults ------------------------------------------------------------------------------------


def test_fault_status_429_answers_with_retry_after_and_does_not_apply(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    emulator.control.add_fault(route=f"^POST {PROVIDERS}$", kind="status", status=429, retry_after=2, count=1)
    r = api.post(PROVIDERS, json=provider_body())
    body = assert_error(r, 429, "concurrency_limited")
    assert r.headers["retry-after"] == "2" and body["title"] == "Too Many Requests"
    assert api.get(PROVIDERS).json() == []
    create_provider(api)  # count=1: the next one goes through
    assert emulator.control.requests()[0]["fault"] == "status"


@pytest.mark.parametrize("status", [500, 502, 503])
def test_fault_status_5xx_answers_json_envelope(
    api: httpx.Client, emulator: RunningEmulator, status: int
) -> None:
    emulator.control.add_fault(route="GET /agents/phone-numbers$", kind="status", status=status)
    assert_error(api.get(NUMBERS), status)
    assert api.get(PROVIDERS).status_code == 200  # other routes unaffected


def test_fault_latency_delays_without_blocking_other_requests(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    """A request held by a latency fault is still in flight while a later one completes.

    Synchronised on the request log, not on sleeps: the fast request is sent only once the
    slow one is logged as in flight, and the slow one is let go by clearing the faults.
    """
    control = emulator.control
    control.add_fault(route=f"^GET {NUMBERS}$", kind="latency", latency_ms=600_000)
    slow: dict[str, int] = {}

    def call_slow() -> None:
        with httpx.Client(base_url=emulator.url, headers=headers(), timeout=60) as c:
            slow["status"] = c.get(NUMBERS).status_code

    th = threading.Thread(target=call_slow)
    th.start()
    try:
        held = control.wait_for_request(f"^GET {NUMBERS}$", state="in_flight")
        assert api.get(PROVIDERS).status_code == 200
        log = {e["path"]: e for e in control.requests()}
        assert log[PROVIDERS]["status"] == 200 and log[PROVIDERS]["seq"] > held["seq"]
        assert log[NUMBERS]["status"] is None  # still held while the later request finished
    finally:
        control.clear_faults()  # ends the delay at once
        th.join(timeout=30)
    assert slow == {"status": 200}
    entry = control.wait_for_request(f"^GET {NUMBERS}$", state="done")
    assert entry["fault"] == "latency" and entry["status"] == 200


def test_wait_for_request_times_out_with_timeout_error(emulator: RunningEmulator) -> None:
    with pytest.raises(TimeoutError):
        emulator.control.wait_for_request("^DELETE /nothing$", timeout=0)


@pytest.mark.parametrize(("kind", "applied"), [("drop", 0), ("apply_then_drop", 1)])
def test_fault_drop_closes_connection_and_applies_only_for_apply_then_drop(
    api: httpx.Client, emulator: RunningEmulator, kind: str, applied: int
) -> None:
    """drop: nothing applied; apply_then_drop: committed, answer lost. Never a 500."""
    emulator.control.add_fault(route=f"^POST {PROVIDERS}$", kind=kind, count=1)
    with pytest.raises(httpx.RemoteProtocolError):
        api.post(PROVIDERS, json=provider_body())
    assert len(api.get(PROVIDERS).json()) == applied
    (entry,) = [e for e in emulator.control.requests() if e["method"] == "POST"]
    assert entry["status"] is None and entry["fault"] == kind


def test_fault_probability_with_seed_is_reproducible_and_count_caps_firings(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    def run() -> list[int]:
        emulator.control.clear_faults()
        emulator.control.add_fault(route="GET", kind="status", status=503, probability=0.5, seed=7, count=5)
        return [api.get(PROVIDERS).status_code for _ in range(40)]

    first, second = run(), run()
    assert first == second
    assert first.count(503) == 5 and first.count(200) == 35
    assert [f["fired"] for f in emulator.control.faults()] == [5]


def test_fault_invalid_spec_returns_400(emulator: RunningEmulator) -> None:
    for spec in ({"kind": "explode"}, {"kind": "status"}, {"kind": "latency"},
                 {"kind": "drop", "route": "("}, {"kind": "drop", "probability": 2}):
        with pytest.raises(ControlError) as info:
            emulator.control.add_fault(**spec)
        assert info.value.status_code == 400


def test_fault_on_old_version_follows_plain_text_switch() -> None:
    with running_emulator(demo=True, plain_text_errors_for_old_versions=True) as em:
        em.control.add_fault(route="GET", kind="status", status=429)
        r = httpx.get(em.url + PROVIDERS, headers=headers(version="2025-04-16"))
        assert r.status_code == 429 and r.text.startswith("Too Many Requests: ")


# --- echo --------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [400, 500])
def test_fault_echo_answers_with_headers_and_raw_body_verbatim(
    api: httpx.Client, emulator: RunningEmulator, status: int
) -> None:
    """A server that echoes the request, for secret-leak tests: key and secret come back."""
    emulator.control.add_fault(route=f"^POST {PROVIDERS}$", kind="echo", status=status, count=1)
    raw = json.dumps(provider_body()).encode()
    r = api.post(PROVIDERS, content=raw, headers={"content-type": "application/json"})
    body = assert_error(r, status, "echo")
    assert f"Bearer {DEMO_KEY}" in body["message"] and PROD_US1.secret in body["message"]
    echo = body["echo"]
    assert echo["headers"]["authorization"] == f"Bearer {DEMO_KEY}"
    assert echo["body"] == raw.decode() and (echo["method"], echo["path"]) == ("POST", PROVIDERS)
    assert api.get(PROVIDERS).json() == []  # nothing was applied
    assert emulator.control.requests()[0]["fault"] == "echo"


def test_fault_echo_needs_a_status(emulator: RunningEmulator) -> None:
    with pytest.raises(ControlError) as info:
        emulator.control.add_fault(kind="echo")
    assert info.value.status_code == 400
