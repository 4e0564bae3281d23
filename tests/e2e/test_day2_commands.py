"""``cartesia-pulumi verify`` and ``call`` on a stack deployed by the real CLI (issue 11 items 3-4).

The stack is a project directory on a file backend; verify reads its state with
``pulumi stack export --show-secrets`` exactly as a pipeline after ``pulumi up`` would. Breakage is
made the way it happens: a Twilio key revoked in Twilio, a number released from the account.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cartesia_pulumi.emulator import demo
from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.e2e.harness import DEMO_API_KEY
from tests.support.cli import CliProject, run

MAIN = """\
import pulumi
from cartesia_pulumi import NumberAssignment, PhoneNumber, TwilioProvider

cfg = pulumi.Config()
us = TwilioProvider("twilio-us1", account_sid=cfg.require("accountSid"), api_key_sid=cfg.require("usKey"),
                    api_key_secret=cfg.require_secret("usSecret"), region="us1")
ie = TwilioProvider("twilio-ie1", account_sid=cfg.require("accountSid"), api_key_sid=cfg.require("ieKey"),
                    api_key_secret=cfg.require_secret("ieSecret"), region="ie1")
for name, number, provider in (("us", "+14155550100", us), ("ie", "+35315550100", ie)):
    n = PhoneNumber(name, number=number, provider_id=provider.id)
    NumberAssignment(f"{name}-route", phone_number_id=n.id, agent_id="agent_support")
"""


def _deployed(tmp_path: Path, pulumi_bin: Path, emulator: RunningEmulator) -> CliProject:
    project = CliProject(
        tmp_path,
        pulumi_bin,
        MAIN,
        name="day2",
        env={
            "CARTESIA_API_KEY": DEMO_API_KEY,
            "CARTESIA_BASE_URL": emulator.url,
            "CARTESIA_PULUMI_TWILIO_API_URL": emulator.url + "/_twilio/{region}",
        },
    )
    project.configure(
        "prod",
        {"day2:accountSid": demo.PROD_ACCOUNT_SID, "day2:usKey": demo.PROD_US1.sid, "day2:ieKey": demo.PROD_IE1.sid},
        {"day2:usSecret": demo.PROD_US1.secret, "day2:ieSecret": demo.PROD_IE1.secret},
    )
    project.run("up", "--yes", "--skip-preview", "--stack", "prod")
    return project


def _tool(project: CliProject, *args: str, expect: int) -> str:
    proc = run([sys.executable, "-m", "cartesia_pulumi.cli", *args], project.dir, project.env, expect=expect)
    return proc.stdout + proc.stderr


def test_verify_a_deployed_stack_then_a_revoked_key_and_a_released_number(
    tmp_path: Path, pulumi_bin: Path, emulator: RunningEmulator
) -> None:
    control = emulator.control
    project = _deployed(tmp_path, pulumi_bin, emulator)
    control.clear_requests()
    healthy = _tool(project, "verify", "--stack", "prod", expect=0)
    assert "verify: all checks passed" in healthy
    # Documented: reads only; per provider one GET, one list page, one Twilio list.
    assert {c.split()[0] for c in control.api_calls()} == {"GET"}
    assert len(control.api_calls()) == 6

    control.twilio_revoke_key(demo.PROD_IE1.sid)
    control.twilio_remove_number(demo.PROD_ACCOUNT_SID, "+14155550100")
    broken = _tool(project, "verify", "--stack", "prod", expect=3)
    print("\n[verify on a broken stack]\n" + broken)
    assert f"Twilio ie1 rejects key {demo.PROD_IE1.sid}" in broken
    assert "unreachable number(s)" in broken and "+14155550100" in broken
    assert "verify: 2 problem(s)" in broken
    # Nothing a refresh could have shown: Cartesia's own view is unchanged.
    project.run("refresh", "--preview-only", "--expect-no-changes", "--stack", "prod")

    control.twilio_add_number(demo.PROD_ACCOUNT_SID, "+14155550100")
    control.twilio_add_key(demo.PROD_ACCOUNT_SID, demo.PROD_IE1.sid, demo.PROD_IE1.secret, "ie1")
    project.run("destroy", "--yes", "--stack", "prod")


def test_call_from_deployed_numbers_uses_each_providers_region(
    tmp_path: Path, pulumi_bin: Path, emulator: RunningEmulator
) -> None:
    control = emulator.control
    project = _deployed(tmp_path, pulumi_bin, emulator)
    out = _tool(project, "call", "--from", "+35315550100", "+14155550199", expect=0)
    assert "via Twilio ie1" in out
    assert [c["region"] for c in control.calls()] == ["ie1"]

    control.twilio_revoke_key(demo.PROD_US1.sid)
    err = _tool(project, "call", "--from", "+14155550100", "+14155550199", expect=1)
    assert "revoked" in err and len(err.strip().splitlines()) == 1
    assert len(control.calls()) == 1  # nothing placed through the revoked key
    control.twilio_add_key(demo.PROD_ACCOUNT_SID, demo.PROD_US1.sid, demo.PROD_US1.secret, "us1")
    project.run("destroy", "--yes", "--stack", "prod")
