"""Team scale through a real S3-compatible backend (moto's server on loopback, issue 13).

The CLI logs into ``s3://state?endpoint=http://127.0.0.1:PORT&s3ForcePathStyle=true&region=us-east-1``
with dummy credentials, as a self-managed S3 backend would be used by CI runners. Shown here:

* three region stacks (us1, ie1, au1) applied concurrently against one Cartesia organisation,
  each converging, none touching another's objects, each state in the bucket (and the time of
  that against the same resources in one stack, printed);
* a second ``pulumi up`` of a stack that is running fails fast with the CLI's lock message while
  the first converges;
* a ``pulumi up`` killed mid-run leaves its lock; the README's runbook converges;
* a review stack reads the production stack's provider through a StackReference in the bucket.

``AWS_RESPONSE_CHECKSUM_VALIDATION=when_required`` silences the AWS SDK's "Response has no
supported checksum" warning, which moto's answers otherwise print on every command.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest

from cartesia_pulumi.emulator import demo
from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.e2e.harness import DEMO_API_KEY
from tests.support.cli import CliProject

BUCKET = "cartesia-state"
PROJECT = "regions"
REGION_NUMBERS = {
    "us1": demo.PROD_US_NUMBERS[:2],
    "ie1": demo.PROD_IE_NUMBERS,
    "au1": demo.PROD_AU_NUMBERS,
}
KEYS = {"us1": demo.PROD_US1, "ie1": demo.PROD_IE1, "au1": demo.PROD_AU1}

#: One provider per region this stack is for, its numbers, each routed to Support. `regions` is
#: a JSON list, so one stack can hold one region or all three.
REGIONS_MAIN = """\
import pulumi
from cartesia_pulumi import NumberAssignment, PhoneNumber, TwilioProvider

cfg = pulumi.Config()
for region in cfg.require_object("regions"):
    p = TwilioProvider(f"twilio-{region}", account_sid=cfg.require("accountSid"),
                       api_key_sid=cfg.require(f"keySid-{region}"),
                       api_key_secret=cfg.require_secret(f"keySecret-{region}"), region=region)
    for number in cfg.require_object(f"numbers-{region}"):
        n = PhoneNumber(f"n{number}", number=number, provider_id=p.id)
        NumberAssignment(f"a{number}", phone_number_id=n.id, agent_id="agent_support")
    pulumi.export(f"provider_{region}", p.id)
"""

#: Production exports its provider; review stacks read it from the bucket.
TEAM_MAIN = """\
import pulumi
from cartesia_pulumi import NumberAssignment, PhoneNumber, TwilioProvider

cfg = pulumi.Config()
owner = cfg.get("providerStack")
if owner:
    provider_id = pulumi.StackReference(owner).require_output("provider_id")
else:
    provider_id = TwilioProvider("twilio", account_sid=cfg.require("accountSid"),
                                 api_key_sid=cfg.require("keySid"),
                                 api_key_secret=cfg.require_secret("keySecret")).id
n = PhoneNumber("line", number=cfg.require("number"), provider_id=provider_id)
NumberAssignment("route", phone_number_id=n.id, agent_id="agent_support")
pulumi.export("provider_id", provider_id)
"""


@dataclass
class S3Backend:
    """moto's S3 server with one bucket, and the environment that points the CLI at it."""

    url: str
    env: dict[str, str]
    client: object

    def keys(self, prefix: str = "") -> list[str]:
        listing = self.client.list_objects_v2(Bucket=BUCKET, Prefix=prefix)  # type: ignore[attr-defined]
        return [o["Key"] for o in listing.get("Contents", [])]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def s3() -> Iterator[S3Backend]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    try:
        for _ in range(300):  # until moto accepts connections (it prints nothing reliable)
            try:
                client.create_bucket(Bucket=BUCKET)
                break
            except Exception:
                if proc.poll() is not None:
                    raise RuntimeError("moto's S3 server exited") from None
                time.sleep(0.05)
        else:
            raise RuntimeError("moto's S3 server did not start")
        url = f"s3://{BUCKET}?endpoint={endpoint}&s3ForcePathStyle=true&region=us-east-1"
        env = {
            "PULUMI_BACKEND_URL": url,
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_REGION": "us-east-1",
            "AWS_RESPONSE_CHECKSUM_VALIDATION": "when_required",
        }
        yield S3Backend(url, env, client)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _regions_project(root: Path, bin_dir: Path, s3: S3Backend, emulator: RunningEmulator) -> CliProject:
    project = CliProject(root, bin_dir, REGIONS_MAIN, name=PROJECT, env=s3.env)
    return project


def _configure_regions(project: CliProject, stack: str, regions: list[str], url: str) -> None:
    config = {
        "cartesia:baseUrl": url,
        f"{PROJECT}:accountSid": demo.PROD_ACCOUNT_SID,
        f"{PROJECT}:regions": json.dumps(regions),
    }
    secrets = {"cartesia:apiKey": DEMO_API_KEY}
    for region in regions:
        config[f"{PROJECT}:keySid-{region}"] = KEYS[region].sid
        config[f"{PROJECT}:numbers-{region}"] = json.dumps(list(REGION_NUMBERS[region]))
        secrets[f"{PROJECT}:keySecret-{region}"] = KEYS[region].secret
    project.configure(stack, config, secrets)


def _up_all(project: CliProject, stacks: list[str]) -> float:
    """``pulumi up`` of every stack at once; seconds until the last one finished."""
    started = time.perf_counter()
    runs = [project.start("up", "--yes", "--skip-preview", "--stack", s) for s in stacks]
    outputs = [r.communicate(timeout=600)[0] for r in runs]
    elapsed = time.perf_counter() - started
    assert [r.returncode for r in runs] == [0] * len(runs), "\n\n".join(outputs)
    return elapsed


def test_three_region_stacks_concurrently_on_s3_converge_without_interference(
    tmp_path: Path, pulumi_bin: Path, emulator: RunningEmulator, s3: S3Backend
) -> None:
    control = emulator.control
    project = _regions_project(tmp_path, pulumi_bin, s3, emulator)
    regions = ["us1", "ie1", "au1"]
    for region in regions:
        _configure_regions(project, region, [region], emulator.url)

    concurrent = _up_all(project, regions)
    org = control.org()
    assert sorted(p["region"] for p in org["providers"]) == sorted(regions)
    by_number = control.numbers()
    providers = {p["region"]: p["id"] for p in org["providers"]}
    for region in regions:
        for number in REGION_NUMBERS[region]:
            assert by_number[number]["provider_id"] == providers[region]
            assert by_number[number]["agent_id"] == "agent_support"
        project.run("preview", "--expect-no-changes", "--stack", region)
    stacks = [k for k in s3.keys(".pulumi/stacks/") if k.endswith(".json")]  # not the .bak copies
    assert sorted(stacks) == [f".pulumi/stacks/{PROJECT}/{r}.json" for r in sorted(regions)], stacks

    for region in regions:
        project.run("destroy", "--yes", "--stack", region)
    assert control.org()["providers"] == []

    # The same resources in one stack, for the README's trade-off.
    _configure_regions(project, "all", regions, emulator.url)
    single = _up_all(project, ["all"])
    project.run("destroy", "--yes", "--stack", "all")
    print(f"\n[team scale] 3 region stacks concurrently: {concurrent:.1f} s; one stack: {single:.1f} s")


def test_second_up_of_a_running_stack_fails_fast_with_the_lock_message(
    tmp_path: Path, pulumi_bin: Path, emulator: RunningEmulator, s3: S3Backend
) -> None:
    control = emulator.control
    project = _regions_project(tmp_path, pulumi_bin, s3, emulator)
    _configure_regions(project, "us1", ["us1"], emulator.url)
    control.add_fault(route=r"^POST /agents/phone-numbers$", kind="latency", latency_ms=3000)
    first = project.start("up", "--yes", "--skip-preview", "--stack", "us1")
    # Synchronise on events: the first up holds the lock and its import is in flight.
    control.wait_for_request(r"^POST /agents/phone-numbers$", state="in_flight", timeout=120)
    assert s3.keys(f".pulumi/locks/organization/{PROJECT}/us1/"), "the running up holds a lock"
    second = project.run("up", "--yes", "--skip-preview", "--stack", "us1", ok=False)
    assert second.returncode != 0
    assert "currently locked" in second.stdout + second.stderr, project.transcript[-1]
    out, _ = first.communicate(timeout=600)
    assert first.returncode == 0, out
    control.clear_faults()
    project.run("preview", "--expect-no-changes", "--stack", "us1")
    assert not s3.keys(f".pulumi/locks/organization/{PROJECT}/us1/")
    project.run("destroy", "--yes", "--stack", "us1")


def test_killed_up_leaves_a_lock_and_the_runbook_converges(
    tmp_path: Path, pulumi_bin: Path, emulator: RunningEmulator, s3: S3Backend
) -> None:
    control = emulator.control
    project = _regions_project(tmp_path, pulumi_bin, s3, emulator)
    _configure_regions(project, "us1", ["us1"], emulator.url)
    control.add_fault(route=r"^POST /agents/phone-numbers$", kind="latency", latency_ms=1500)
    run = project.start("up", "--yes", "--skip-preview", "--stack", "us1")
    control.wait_for_request(r"^POST /agents/phone-numbers$", state="done", timeout=120)
    os.killpg(run.pid, signal.SIGKILL)  # the CLI and its plugins, mid-run
    run.communicate(timeout=60)
    control.clear_faults()
    assert s3.keys(f".pulumi/locks/organization/{PROJECT}/us1/"), "a killed up leaves its lock"
    locked = project.run("up", "--yes", "--stack", "us1", ok=False)
    assert locked.returncode != 0 and "currently locked" in locked.stdout + locked.stderr

    # The README's runbook.
    project.run("cancel", "--yes", "--stack", "us1")
    project.run("refresh", "--yes", "--clear-pending-creates", "--stack", "us1")
    project.env["CARTESIA_ADOPT_EXISTING"] = "1"
    project.run("up", "--yes", "--skip-preview", "--stack", "us1")
    del project.env["CARTESIA_ADOPT_EXISTING"]
    project.run("preview", "--expect-no-changes", "--stack", "us1")
    numbers = control.numbers()
    assert sorted(numbers) == sorted(REGION_NUMBERS["us1"])  # no duplicate, no orphan
    assert all(n["agent_id"] == "agent_support" for n in numbers.values())
    project.run("destroy", "--yes", "--stack", "us1")
    assert control.org()["providers"] == []


def test_review_stack_reads_productions_provider_through_the_bucket(
    tmp_path: Path, pulumi_bin: Path, emulator: RunningEmulator, s3: S3Backend
) -> None:
    control = emulator.control
    project = CliProject(tmp_path, pulumi_bin, TEAM_MAIN, name="team", env=s3.env)
    common = {"cartesia:baseUrl": emulator.url}
    project.configure(
        "production",
        {**common, "team:accountSid": demo.PROD_ACCOUNT_SID, "team:keySid": demo.PROD_US1.sid,
         "team:number": demo.PROD_US_NUMBERS[0]},
        {"cartesia:apiKey": DEMO_API_KEY, "team:keySecret": demo.PROD_US1.secret},
    )  # fmt: skip
    project.configure(
        "review-pr-1",
        {**common, "team:providerStack": "organization/team/production", "team:number": demo.PROD_US_NUMBERS[1]},
        {"cartesia:apiKey": DEMO_API_KEY},
    )
    project.run("up", "--yes", "--skip-preview", "--stack", "production")
    project.run("up", "--yes", "--skip-preview", "--stack", "review-pr-1")
    (provider,) = control.providers()
    numbers = control.numbers()
    assert numbers[demo.PROD_US_NUMBERS[1]]["provider_id"] == provider["id"]
    outputs = json.loads(project.run("stack", "output", "--json", "--stack", "review-pr-1").stdout)
    assert outputs["provider_id"] == provider["id"]
    project.run("destroy", "--yes", "--stack", "review-pr-1")
    project.run("destroy", "--yes", "--stack", "production")
    assert control.org()["providers"] == [] and control.numbers() == {}
