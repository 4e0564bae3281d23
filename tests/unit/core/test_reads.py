"""Shared number reads (issue 15): pages instead of GETs when cheaper, GETs when not, drift kept."""

from __future__ import annotations

from typing import Any

from unit.support import ACCOUNT, DEMO_KEY, KEY_US1, SECRET_US1, api_requests

from cartesia_pulumi.client import CartesiaClient
from cartesia_pulumi.core.reads import NumberReads

NUMBERS = "/agents/phone-numbers"


def _fleet(emulator: Any, count: int) -> tuple[str, list[str]]:
    """A provider with ``count`` imported numbers, each assigned to Support."""
    numbers = [f"+1628555{2000 + i:04d}" for i in range(count)]
    emulator.control.seed({"twilio_accounts": [{"account_sid": ACCOUNT, "numbers": numbers}]})
    with CartesiaClient(DEMO_KEY, base_url=emulator.url) as c:
        pid = c.providers.create(account_sid=ACCOUNT, api_key_sid=KEY_US1, api_key_secret=SECRET_US1).id
        ids = []
        for n in numbers:
            ids.append(c.phone_numbers.import_(number=n, label=n, provider_id=pid, agent_id="agent_support").id)
    emulator.control.clear_requests()
    return pid, ids


def test_lookup_many_numbers_of_a_provider_costs_pages_not_gets(client: CartesiaClient, emulator: Any) -> None:
    pid, ids = _fleet(emulator, 150)
    reads = NumberReads()
    for nid in ids:
        model = reads.lookup(client, nid, ("provider", pid))
        assert model is not None and model.id == nid
    for nid in ids:  # the assignments' reads: already answered
        assert reads.lookup(client, nid, ("agent", "agent_support")) is not None
    assert api_requests(emulator) == [("GET", NUMBERS), ("GET", NUMBERS)]  # 2 pages for 300 reads


def test_lookup_few_numbers_of_a_large_provider_falls_back_to_gets(client: CartesiaClient, emulator: Any) -> None:
    pid, ids = _fleet(emulator, 250)
    reads = NumberReads()
    oldest = ids[0]  # newest first: the oldest number is on the last page
    assert reads.lookup(client, oldest, ("provider", pid)) is not None
    # Two pages were tried (one more than the reads asked), then a GET answered; never page 3.
    assert api_requests(emulator) == [
        ("GET", NUMBERS),
        ("GET", NUMBERS),
        ("GET", f"{NUMBERS}/{oldest}"),
    ]


def test_lookup_finds_drift_outside_the_scope(client: CartesiaClient, emulator: Any) -> None:
    _, ids = _fleet(emulator, 3)
    emulator.control.console_update_number(ids[0], agent_id="agent_sales")
    emulator.control.console_delete_number(ids[1])
    reads = NumberReads()
    moved = reads.lookup(client, ids[0], ("agent", "agent_support"))
    assert moved is not None and moved.agent_id == "agent_sales"
    assert reads.lookup(client, ids[1], ("agent", "agent_support")) is None
    assert reads.lookup(client, ids[2], ("agent", "agent_support")) is not None
    assert api_requests(emulator) == [
        ("GET", NUMBERS),  # Support's numbers: only ids[2] now
        ("GET", f"{NUMBERS}/{ids[0]}"),  # reassigned: found by its own GET
        ("GET", f"{NUMBERS}/{ids[1]}"),  # deleted: 404
    ]


def test_lookup_never_answers_from_own_write(client: CartesiaClient, emulator: Any) -> None:
    pid, ids = _fleet(emulator, 1)
    reads = NumberReads()
    reads.wrote(client.phone_numbers.get(ids[0]))
    emulator.control.console_update_number(ids[0], label="changed in the console")
    emulator.control.clear_requests()
    model = reads.lookup(client, ids[0], ("provider", pid))
    assert model is not None and model.label == "changed in the console"
    assert reads.own_write(ids[0], 30.0) is None or reads.own_write(ids[0], 30.0) is not model
