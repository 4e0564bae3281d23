"""``cartesia-pulumi call`` and ``verify`` against the emulator: results, regions, breakage."""

from __future__ import annotations

from typing import Any

import pytest

from cartesia_pulumi.cli import main
from cartesia_pulumi.cli.verify import NumberRecord, ProviderRecord, check, records_from_state
from cartesia_pulumi.client import CartesiaClient
from cartesia_pulumi.emulator import demo
from unit.support import DEMO_KEY, api_requests

US = "+14155550100"
IE = "+35315550100"


@pytest.fixture
def fleet(emulator: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A us1 and an ie1 provider, one number on each, both assigned to Support."""
    monkeypatch.setenv("CARTESIA_API_KEY", DEMO_KEY)
    monkeypatch.setenv("CARTESIA_PULUMI_TWILIO_API_URL", emulator.url + "/_twilio/{region}")
    with CartesiaClient(DEMO_KEY, base_url=emulator.url) as c:
        us = c.providers.create(
            account_sid=demo.PROD_ACCOUNT_SID, api_key_sid=demo.PROD_US1.sid, api_key_secret=demo.PROD_US1.secret
        )
        ie = c.providers.create(
            account_sid=demo.PROD_ACCOUNT_SID,
            api_key_sid=demo.PROD_IE1.sid,
            api_key_secret=demo.PROD_IE1.secret,
            region="ie1",
        )
        a = c.phone_numbers.import_(number=US, label="us", provider_id=us.id, agent_id="agent_support")
        b = c.phone_numbers.import_(number=IE, label="ie", provider_id=ie.id, agent_id="agent_support")
    emulator.control.clear_requests()
    return {"us": us.id, "ie": ie.id, "us_number": a.id, "ie_number": b.id}


def cli(emulator: Any, *args: str) -> int:
    return main([*args, "--base-url", emulator.url])


def test_call_from_number_goes_through_its_providers_region(
    emulator: Any, fleet: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emulator, "call", "--from", "+353 1 555 0100", "+14155550199", "+442071838750") == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and all("via Twilio ie1" in line and fleet["ie"] in line for line in out)
    placed = emulator.control.calls()
    assert [(c["to_number"], c["region"], c["agent_id"]) for c in placed] == [
        ("+14155550199", "ie1", "agent_support"),
        ("+442071838750", "ie1", "agent_support"),
    ]
    assert [m for m, _ in api_requests(emulator)] == ["GET", "POST"]  # find the number, one POST


def test_call_with_revoked_key_one_sentence_and_nothing_placed(
    emulator: Any, fleet: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    emulator.control.twilio_revoke_key(demo.PROD_US1.sid)
    assert cli(emulator, "call", "--from", US, "+14155550199") == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "revoked" in err and US in err
    assert emulator.control.calls() == []


def test_call_unknown_agent_and_unassigned_number_named(
    emulator: Any, fleet: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emulator, "call", "--from", fleet["us_number"], "--agent", "agent_nobody", "+14155550199") == 1
    assert "agent_nobody" in capsys.readouterr().err
    emulator.control.console_update_number(fleet["us_number"], agent_id=None)
    assert cli(emulator, "call", "--from", US, "+14155550199") == 2
    assert "not assigned to an agent; pass --agent" in capsys.readouterr().err


def test_call_bad_target_refused_before_any_request(
    emulator: Any, fleet: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(emulator, "call", "--from", US, "call me maybe") == 2
    assert "target" in capsys.readouterr().err
    assert api_requests(emulator) == []


def _records(fleet: dict[str, str]) -> tuple[list[ProviderRecord], list[NumberRecord]]:
    return (
        [
            ProviderRecord(fleet["us"], demo.PROD_ACCOUNT_SID, "us1", demo.PROD_US1.sid, demo.PROD_US1.secret),
            ProviderRecord(fleet["ie"], demo.PROD_ACCOUNT_SID, "ie1", demo.PROD_IE1.sid, demo.PROD_IE1.secret),
        ],
        [
            NumberRecord(fleet["us_number"], US, fleet["us"], "agent_support"),
            NumberRecord(fleet["ie_number"], IE, fleet["ie"], "agent_support"),
        ],
    )


def test_verify_healthy_fleet_is_ok_with_reads_only(emulator: Any, fleet: dict[str, str]) -> None:
    with CartesiaClient(DEMO_KEY, base_url=emulator.url) as client:
        report = check(client, *_records(fleet))
    assert report.exit_code == 0 and report.problems == [], report.lines
    assert {m for m, _ in api_requests(emulator)} == {"GET"}
    # Per provider: one GET, one list page, one Twilio list.
    assert len(api_requests(emulator)) == 6


def test_verify_broken_fleet_names_revoked_key_released_number_and_moved_route(
    emulator: Any, fleet: dict[str, str]
) -> None:
    emulator.control.twilio_revoke_key(demo.PROD_IE1.sid)
    emulator.control.twilio_remove_number(demo.PROD_ACCOUNT_SID, US)
    emulator.control.console_update_number(fleet["us_number"], agent_id="agent_sales")
    with CartesiaClient(DEMO_KEY, base_url=emulator.url) as client:
        report = check(client, *_records(fleet))
    text = "\n".join(report.problems)
    assert report.exit_code == 3
    assert f"provider {fleet['ie']}: Twilio ie1 rejects key {demo.PROD_IE1.sid}" in text
    assert f"unreachable number(s), no longer in Twilio account {demo.PROD_ACCOUNT_SID}: {US}" in text
    assert f"number {US} ({fleet['us_number']}): routes to agent_sales, expected agent_support" in text


def test_verify_cannot_reach_twilio_is_exit_1(
    emulator: Any, fleet: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARTESIA_PULUMI_TWILIO_API_URL", "http://127.0.0.1:9/{region}")
    with CartesiaClient(DEMO_KEY, base_url=emulator.url) as client:
        report = check(client, *_records(fleet))
    assert report.exit_code == 1 and len(report.unchecked) == 2


def test_records_from_exported_state_open_secret_envelopes() -> None:
    secret = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "plaintext": '"s3cr3t"'}
    deployment = {
        "resources": [
            {"type": "pulumi:pulumi:Stack", "urn": "x"},
            {
                "type": "pulumi-python:dynamic/cartesia:TwilioProvider",
                "id": "ata_1",
                "outputs": {"account_sid": "AC1", "region": "ie1", "api_key_sid": "SK1", "api_key_secret": secret},
            },
            {"type": "pulumi-python:dynamic/cartesia:PhoneNumber", "id": "ap_1", "outputs": {"number": US, "provider_id": "ata_1"}},
            {
                "type": "pulumi-python:dynamic/cartesia:NumberAssignment",
                "id": "ap_1",
                "outputs": {"phone_number_id": "ap_1", "agent_id": "agent_x"},
            },
        ]
    }
    providers, numbers = records_from_state(deployment)
    assert providers == [ProviderRecord("ata_1", "AC1", "ie1", "SK1", "s3cr3t")]
    assert numbers == [NumberRecord("ap_1", US, "ata_1", "agent_x")]


def test_verify_ids_mode_skips_credentials_without_a_secret(
    emulator: Any, fleet: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli(emulator, "verify", "--provider", fleet["us"], "--number", f"{fleet['us_number']}=agent_support")
    out = capsys.readouterr().out
    assert code == 0, out
    assert "skipped" in out and "verify: all checks passed" in out
