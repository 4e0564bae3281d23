"""Shared pieces of the reliability engine tests (tests/e2e/test_reliability_*.py).

* `fleet_program`: one TwilioProvider, N PhoneNumbers and N NumberAssignments: the program
  the flaky-API, crash and secrets tests deploy (also importable from a project directory).
* `seed_numbers`: give the demo production Twilio account the N numbers the fleet imports.
* `assert_emulator_matches`: the emulator holds exactly the declared objects (no duplicates,
  no orphans), checked against both the program and the stack state.
* `CliProject`: the real `pulumi` CLI driven as a subprocess from a temp project directory,
  for tests that must SIGKILL the CLI itself.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import psutil
import pulumi

from cartesia_pulumi.emulator.control import EmulatorControl
from cartesia_pulumi.resources import NumberAssignment, PhoneNumber, TwilioProvider
from tests.e2e.harness import DEMO_API_KEY
from tests.support.cli import CliProject

# Demo seed values (docs/emulator.md §4).
ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef"
KEY_SID_1 = "SK0123456789abcdef0123456789abc001"
KEY_SECRET_1 = "demo-us1-secret-1"
KEY_SID_2 = "SK0123456789abcdef0123456789abc002"
KEY_SECRET_2 = "demo-us1-secret-2"
DEMO_ORG = "org_demo"
AGENT = "agent_support"

#: Route regex of every Cartesia API request the resources make.
API_ROUTE = r"^(GET|POST|PATCH|DELETE) /agents/phone-numbers"


def fleet_numbers(n: int) -> list[str]:
    """N distinct US numbers, none of them in the demo seed."""
    return [f"+1628555{1000 + i:04d}" for i in range(n)]


def seed_numbers(control: EmulatorControl, n: int) -> list[str]:
    numbers = fleet_numbers(n)
    control.seed({"twilio_accounts": [{"account_sid": ACCOUNT_SID, "numbers": numbers}]})
    return numbers


def fleet_program(
    n: int,
    *,
    key_sid: str = KEY_SID_1,
    key_secret: str = KEY_SECRET_1,
    agent: str = AGENT,
) -> Callable[[], None]:
    """A program with one provider, `n` imported numbers and `n` assignments to `agent`."""

    def program() -> None:
        twilio = TwilioProvider(
            "twilio",
            account_sid=ACCOUNT_SID,
            api_key_sid=key_sid,
            api_key_secret=pulumi.Output.secret(key_secret),
            region="us1",
        )
        for i, number in enumerate(fleet_numbers(n)):
            pn = PhoneNumber(f"n{i:02d}", number=number, provider_id=twilio.id, label=f"line {i}")
            NumberAssignment(f"a{i:02d}", phone_number_id=pn.id, agent_id=agent)
        pulumi.export("provider_id", twilio.id)

    return program


def org_state(control: EmulatorControl, org_id: str = DEMO_ORG) -> dict[str, Any]:
    """The state dump of one organisation (`EmulatorControl.org`)."""
    return control.org(org_id)


def assert_emulator_matches(
    control: EmulatorControl,
    n: int,
    resources: list[dict[str, Any]],
    *,
    key_sid: str = KEY_SID_1,
    agent: str = AGENT,
) -> None:
    """The demo org holds exactly the fleet: one provider, n numbers, each assigned once.

    `resources` is the stack's exported `resources` list: every Cartesia object must be the one
    the state records (same id), so nothing is duplicated or orphaned.
    """
    org = org_state(control)
    providers = org["providers"]
    assert len(providers) == 1, f"expected one provider, emulator has {providers}"
    provider = providers[0]
    assert (provider["account_sid"], provider["region"], provider["api_key_sid"]) == (
        ACCOUNT_SID,
        "us1",
        key_sid,
    )

    declared = fleet_numbers(n)
    ours = list(org["phone_numbers"])  # every number of the org: nothing else may exist
    counts = Counter(p["number"] for p in ours)
    assert sorted(counts) == sorted(declared), (
        f"orphans {sorted(set(counts) - set(declared))}, missing {sorted(set(declared) - set(counts))}"
    )
    assert max(counts.values()) == 1, f"duplicates: {[k for k, v in counts.items() if v > 1]}"
    for p in ours:
        i = declared.index(p["number"])
        assert p["provider_id"] == provider["id"], p
        assert p["label"] == f"line {i}", p
        assert p["agent_id"] == agent, p

    def ids(suffix: str) -> dict[str, str]:
        return {
            r["outputs"].get("number") or r["id"]: r["id"]
            for r in resources
            if str(r.get("type", "")).endswith(suffix)
        }

    prov_ids = [r["id"] for r in resources if str(r.get("type", "")).endswith(":TwilioProvider")]
    assert prov_ids == [provider["id"]], f"state providers {prov_ids} vs emulator {provider['id']}"
    assert ids(":PhoneNumber") == {p["number"]: p["id"] for p in ours}
    assert ids(":NumberAssignment") == {p["number"]: p["id"] for p in ours}
    pending = [r for r in resources if r.get("pending_replacement") or r.get("delete")]
    assert not pending, pending


def fault_summary(control: EmulatorControl) -> dict[str, Any]:
    """Counts for the report: requests by method/status and how often each fault fired."""
    log = control.requests()
    return {
        "requests": len(log),
        "by_method": dict(Counter(r["method"] for r in log)),
        "by_status": dict(Counter(str(r["status"]) for r in log)),
        "faults": {f"{f['kind']}:{f['status'] or ''}": f["fired"] for f in control.faults()},
    }


# -- the CLI from a project directory ---------------------------------------------------------

PROJECT_MAIN = """\
import pulumi

from tests.e2e.reliability_support import fleet_program

cfg = pulumi.Config()
fleet_program(int(cfg.require("count")))()
"""


def fleet_cli_project(root: Path, bin_dir: Path) -> CliProject:
    """A temp project (`runtime: python`) whose program is `fleet_program`, run by the CLI."""
    return CliProject(root, bin_dir, PROJECT_MAIN, name="rel-e2e")


def fleet_project(
    root: Path, bin_dir: Path, control: EmulatorControl, url: str, n: int
) -> CliProject:
    """A `dev` stack of the n-number fleet, configured against the emulator at `url`.

    Seeds the n numbers into the demo Twilio account first.
    """
    seed_numbers(control, n)
    project = fleet_cli_project(root, bin_dir)
    project.configure(
        "dev",
        {"cartesia:baseUrl": url, "rel-e2e:count": str(n)},
        {"cartesia:apiKey": DEMO_API_KEY},
    )
    return project


def descendants(pid: int) -> list[int]:
    """Pids of every live descendant of `pid`."""
    try:
        return [child.pid for child in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def alive(pid: int) -> bool:
    """True while `pid` runs (a zombie counts as gone)."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def reap(pids: list[int], timeout: float = 10.0) -> list[int]:
    """Wait for `pids` (plugins of a killed CLI) to exit; SIGKILL those still alive after
    `timeout`. Returns the pids that had to be killed."""
    procs = []
    for p in pids:
        with contextlib.suppress(psutil.NoSuchProcess):
            procs.append(psutil.Process(p))
    _, still = psutil.wait_procs(procs, timeout=timeout)
    killed = []
    for proc in still:
        if alive(proc.pid):
            try:
                proc.kill()
                killed.append(proc.pid)
            except psutil.NoSuchProcess:
                pass
    return killed


# -- recovery after a killed `pulumi up` ------------------------------------------------------


def empty_attrs_files(backend: Path) -> list[Path]:
    """Zero-byte `*.attrs` sidecars: a SIGKILL between gocloud fileblob truncating the sidecar
    and writing it leaves one, and every later command fails with
    `failed to load checkpoint: EOF`."""
    return [p for p in backend.rglob("*.attrs") if p.stat().st_size == 0]


def pending_creates(deployment: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        dict(op["resource"])
        for op in deployment.get("pending_operations") or []
        if op.get("type") == "creating"
    ]
