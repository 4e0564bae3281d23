"""Hostile input gets 400/413 with the error envelope, never 500; the clock refuses absurd moves;
every response carries ``Date`` from the emulator's clock (``docs/emulator.md``)."""

from __future__ import annotations

import json
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import pytest

from cartesia_pulumi.emulator.control import ControlError
from cartesia_pulumi.emulator.middleware import MAX_BODY_BYTES
from cartesia_pulumi.emulator.schemas import MAX_JSON_DEPTH
from cartesia_pulumi.emulator.store import format_time
from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.emulator.emulator_support import assert_error, provider_body

PROVIDERS = "/agents/phone-numbers/providers"
NUMBERS = "/agents/phone-numbers"
JSON = {"content-type": "application/json"}


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


HOSTILE_BODIES = {
    "nested past the decoder's recursion limit": _nested(100_000),
    "nested past the depth limit": b'{"type": "twilio", "x": ' + _nested(MAX_JSON_DEPTH + 1) + b"}",
    "5,000-digit integer": b'{"type": "twilio", "account_sid": ' + b"7" * 5000 + b"}",
    "number too large for a float": b'{"type": "twilio", "region": 1e999}',
    "NaN": b'{"type": "twilio", "region": NaN}',
    "Infinity": b'{"type": "twilio", "region": -Infinity}',
    "not UTF-8": b'{"type": "twilio", "account_sid": "\xff\xfe"}',
    "truncated": b'{"type": "twilio"',
}


@pytest.mark.parametrize("raw", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
def test_create_provider_with_hostile_body_returns_400(
    api: httpx.Client, emulator: RunningEmulator, raw: bytes
) -> None:
    assert_error(api.post(PROVIDERS, content=raw, headers=JSON), 400, "invalid_request")
    assert emulator.control.providers() == []


@pytest.mark.parametrize("raw", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
def test_control_seed_with_hostile_body_returns_400(emulator: RunningEmulator, raw: bytes) -> None:
    r = httpx.post(emulator.url + "/_emulator/seed", content=raw, headers=JSON)
    assert_error(r, 400, "invalid_request")


def test_place_calls_with_metadata_at_the_depth_limit_is_accepted(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    """The limit leaves room for real metadata: body and items are two of the 64 levels."""
    metadata: Any = "leaf"
    for _ in range(MAX_JSON_DEPTH - 3):
        metadata = {"k": metadata}
    n = api.post(NUMBERS, json={"label": "x", "number": "+14155550100",
                                "provider": {"id": provider["id"]}, "agent_id": "agent_sales"})
    body = {"from_number_id": n.json()["id"], "agent_id": "agent_sales",
            "outbound_calls": [{"to_number": "+14155559999", "metadata": metadata}]}
    assert api.post("/agents/calls", json=body).status_code == 200


def test_request_with_body_over_limit_returns_413_and_is_logged(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    big = json.dumps({"label": "x" * MAX_BODY_BYTES}).encode()
    body = assert_error(api.post(NUMBERS, content=big, headers=JSON), 413, "request_too_large")
    assert str(MAX_BODY_BYTES) in body["message"]
    assert [(e["method"], e["status"]) for e in emulator.control.requests()] == [("POST", 413)]
    # the connection stays usable and a body at the limit is read normally
    at_limit = b" " * (MAX_BODY_BYTES - 2) + b"{}"
    assert_error(api.post(NUMBERS, content=at_limit, headers=JSON), 400, "invalid_request")


def test_control_request_with_body_over_limit_returns_413(emulator: RunningEmulator) -> None:
    r = httpx.post(emulator.url + "/_emulator/seed", content=b" " * (MAX_BODY_BYTES + 1), headers=JSON)
    assert_error(r, 413, "request_too_large")


def test_list_numbers_with_huge_limit_returns_400(api: httpx.Client) -> None:
    assert_error(api.get(NUMBERS, params={"limit": "9" * 5000}), 400, "invalid_request")


def test_fault_with_absurd_latency_returns_400(emulator: RunningEmulator) -> None:
    with pytest.raises(ControlError) as info:
        emulator.control.add_fault(kind="latency", latency_ms=10**12)
    assert info.value.status_code == 400


# --- the clock ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b'{"advance_seconds": NaN}',
        b'{"advance_seconds": Infinity}',
        b'{"advance_seconds": 1e999}',
        b'{"advance_seconds": -1}',
        b'{"advance_seconds": 400000000}',
        b'{"advance_seconds": true}',
        b'{"advance_seconds": "60"}',
        b"{}",
    ],
)
def test_clock_with_non_finite_or_absurd_value_returns_400(
    emulator: RunningEmulator, raw: bytes
) -> None:
    r = httpx.post(emulator.url + "/_emulator/clock", content=raw, headers=JSON)
    assert_error(r, 400, "invalid_request")


def test_clock_refuses_to_move_more_than_ten_years_in_total(emulator: RunningEmulator) -> None:
    emulator.control.advance_clock(9 * 365 * 86400)
    with pytest.raises(ControlError) as info:
        emulator.control.advance_clock(2 * 365 * 86400)
    assert info.value.status_code == 400


def test_date_header_follows_the_emulator_clock_and_matches_created_at(
    api: httpx.Client, emulator: RunningEmulator, provider: dict[str, Any]
) -> None:
    """One clock: Date and created_at of the same request are the same second."""
    before = api.get(PROVIDERS)
    (date_header,) = before.headers.get_list("date")
    assert date_header.endswith(" GMT")
    emulator.control.advance_clock(7 * 86400)
    r = api.post(NUMBERS, json={"label": "x", "number": "+14155550100",
                                "provider": {"id": provider["id"]}})
    assert r.status_code == 201, r.text
    (date_header,) = r.headers.get_list("date")
    date = parsedate_to_datetime(date_header)
    assert (date - parsedate_to_datetime(before.headers["date"])).total_seconds() >= 7 * 86400
    assert r.json()["created_at"] == format_time(date.timestamp())


def test_date_header_is_sent_on_errors_faults_and_control_routes(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    emulator.control.add_fault(route="^GET", kind="status", status=503, count=1)
    assert len(api.get(PROVIDERS).headers.get_list("date")) == 1
    assert len(api.get(f"{PROVIDERS}/ata_x").headers.get_list("date")) == 1
    r = httpx.get(emulator.url + "/_emulator/health")
    assert len(r.headers.get_list("date")) == 1


def test_create_provider_with_unknown_nested_field_ignores_it(api: httpx.Client) -> None:
    """U4: unknown request fields are ignored, however they are shaped."""
    body = provider_body(extra={"deep": [[[[1]]]]})
    assert api.post(PROVIDERS, json=body).status_code == 201
