"""``cartesia-pulumi discover`` against the emulator: what it reads, skips, refuses and writes."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

from cartesia_pulumi.cli import main
from cartesia_pulumi.client import CartesiaClient
from unit.support import ACCOUNT, DEMO_KEY, KEY_IE1, KEY_US1, SECRET_IE1, SECRET_US1, api_requests


@pytest.fixture
def org(emulator: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Two providers (us1, ie1), three numbers (two assigned) and a Cartesia-managed number."""
    monkeypatch.setenv("CARTESIA_API_KEY", DEMO_KEY)
    with CartesiaClient(DEMO_KEY, base_url=emulator.url) as c:
        us = c.providers.create(account_sid=ACCOUNT, api_key_sid=KEY_US1, api_key_secret=SECRET_US1)
        ie = c.providers.create(
            account_sid=ACCOUNT, api_key_sid=KEY_IE1, api_key_secret=SECRET_IE1, region="ie1"
        )
        a = c.phone_numbers.import_(
            number="+14155550100", label="Support", provider_id=us.id, agent_id="agent_support"
        )
        b = c.phone_numbers.import_(number="+14155550101", label="Spare", provider_id=us.id)
        d = c.phone_numbers.import_(
            number="+35315550100", label="Dublin", provider_id=ie.id, agent_id="agent_sales"
        )
        managed = c.request("POST", "/agents/phone-numbers/provision", json={"label": "Managed"})
    emulator.control.clear_requests()
    return {"us": us.id, "ie": ie.id, "numbers": [a.id, b.id, d.id], "managed": managed["id"]}


def run(emulator: Any, out: Path, *extra: str) -> int:
    return main(["discover", "--out", str(out), "--base-url", emulator.url, *extra])


def test_discover_writes_an_adopting_project_and_lists_what_it_skips(
    emulator: Any, org: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "project"
    assert run(emulator, out) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "Pulumi.production.yaml",
        "Pulumi.yaml",
        "README.md",
        "__main__.py",
        "requirements.txt",
    ]
    program = (out / "__main__.py").read_text()
    ast.parse(program)
    assert program.count("TwilioProvider(\n") == 2 and program.count("PhoneNumber(\n") == 3
    assert program.count("\nNumberAssignment(") == 2  # one per assigned number
    assert program.count("adopt=ADOPT") == 5
    readme = (out / "README.md").read_text()
    assert org["managed"] in readme and "Cartesia-managed" in readme  # skipped, with the reason
    assert "pulumi config set --secret twilio-us1-apiKeySecret" in readme
    assert SECRET_US1 not in program + readme + (out / "Pulumi.production.yaml").read_text()
    assert "skipped number" in capsys.readouterr().out
    # One list of providers, one page of numbers.
    assert api_requests(emulator) == [
        ("GET", "/agents/phone-numbers/providers"),
        ("GET", "/agents/phone-numbers"),
    ]


def test_discover_yaml_config_puts_the_routing_table_in_the_stack_file(
    emulator: Any, org: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "table"
    assert run(emulator, out, "--format", "yaml-config", "--stack", "dev", "--adopted") == 0
    lines = (out / "Pulumi.dev.yaml").read_text().splitlines()[1:]
    config = dict(json.loads("{" + line.strip().replace('": ', '":', 1) + "}").popitem() for line in lines)
    assert config["cartesia-telephony:numbers"]["support"]["agent"] == "agent_support"
    assert set(config["cartesia-telephony:providers"]) == {"twilio-us1", "twilio-ie1"}
    assert "cartesia-telephony:adopt" not in config  # --adopted


def test_discover_filters_by_region_and_agent(emulator: Any, org: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "us-support"
    assert run(emulator, out, "--region", "us1", "--agent", "agent_support") == 0
    program = (out / "__main__.py").read_text()
    assert "+14155550100" in program and "+14155550101" not in program and "+3531" not in program
    assert "twilio-ie1" not in program


def test_discover_refuses_a_non_empty_out_dir_before_any_request(
    emulator: Any, org: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "busy"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert run(emulator, out) == 2
    assert "--force" in capsys.readouterr().err
    assert api_requests(emulator) == []
    assert run(emulator, out, "--force") == 0
    assert (out / "notes.txt").read_text() == "mine"  # --force writes ours, deletes nothing


def test_discover_without_key_or_with_wrong_key_one_sentence(
    emulator: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("CARTESIA_API_KEY", raising=False)
    assert run(emulator, tmp_path / "a") == 2
    assert "CARTESIA_API_KEY" in capsys.readouterr().err
    monkeypatch.setenv("CARTESIA_API_KEY", "sk_car_wrong_key_123")
    assert run(emulator, tmp_path / "b") == 1
    err = capsys.readouterr().err
    assert "rejected the API key" in err and "sk_car_wrong_key_123" not in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_discover_empty_organisation_writes_nothing(
    emulator: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CARTESIA_API_KEY", DEMO_KEY)
    assert run(emulator, tmp_path / "empty") == 3
    assert "Nothing to discover" in capsys.readouterr().err
    assert not (tmp_path / "empty").exists()
