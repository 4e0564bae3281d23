"""Secret scrubbing and the server clock: the two pieces issue 9's guarantees rest on."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from cartesia_pulumi._redact import MASK, remember, scrub
from cartesia_pulumi.client import ServerClock


@pytest.mark.parametrize(
    "spelling",
    [
        lambda s: s,
        lambda s: json.dumps(s)[1:-1],
        lambda s: quote(s, safe=""),
    ],
)
def test_scrub_removes_every_spelling_of_a_remembered_secret(spelling: object) -> None:
    secret = 'tw-secret/with "quotes"+plus'
    remember(secret)
    text = f"server said: {spelling(secret)} is refused"  # type: ignore[operator]
    assert scrub(text) == f"server said: {MASK} is refused"


def test_scrub_extra_secrets_not_remembered() -> None:
    assert scrub("key=sk_car_only_here", "sk_car_only_here") == f"key={MASK}"
    assert scrub("key=sk_car_only_here") == "key=sk_car_only_here"


def test_scrub_longest_secret_first() -> None:
    remember("abcd1234", "abcd1234-and-more")
    assert scrub("x abcd1234-and-more y") == f"x {MASK} y"


def test_server_clock_lower_bound_from_date_headers() -> None:
    clock = ServerClock()
    assert clock.lower_bound(10.0) is None
    clock.observe("Tue, 01 Dec 2026 12:00:00 GMT", received_at=100.0)
    first = clock.lower_bound(100.0)
    assert first is not None
    # Later local time: the bound moves with it; an older Date never loosens it.
    assert clock.lower_bound(105.0) == first + 5.0
    clock.observe("Tue, 01 Dec 2026 11:59:00 GMT", received_at=101.0)
    assert clock.lower_bound(100.0) == first
    clock.observe("Tue, 01 Dec 2026 12:00:10 GMT", received_at=102.0)
    assert clock.lower_bound(102.0) == first + 10.0  # tighter: 12:00:10 at local 102


def test_server_clock_ignores_missing_or_malformed_dates() -> None:
    clock = ServerClock()
    clock.observe(None, 1.0)
    clock.observe("yesterday", 1.0)
    assert clock.lower_bound(1.0) is None
