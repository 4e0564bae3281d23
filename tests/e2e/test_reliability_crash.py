"""Issue 6 item 7: a `pulumi up` interrupted by SIGKILL (of the CLI, or of the API server)
is recovered with the documented commands, leaving no duplicate and no orphaned object.

The CLI case runs the real `pulumi` from a project directory (the langhost path) so the test
can SIGKILL exactly that process, the way a CI runner or the OOM killer does. The recovery is
the README's "Recovering from a killed pulumi up":

1. only if a command says `failed to load checkpoint: EOF`: delete the empty `*.attrs`
   sidecar the kill left in the file backend;
2. `pulumi cancel --yes` (the killed CLI left its lock in the file backend);
3. `pulumi refresh --yes --clear-pending-creates` (the creates that were in flight);
4. `CARTESIA_ADOPT_EXISTING=1 pulumi up --yes`: the interrupted creates that did land are
   taken over instead of failing with 409.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

from cartesia_pulumi.emulator.control import EmulatorControl
from cartesia_pulumi.emulator.testing import EmulatorProcess, RunningEmulator
from tests.e2e.reliability_support import (
    API_ROUTE,
    assert_emulator_matches,
    descendants,
    empty_attrs_files,
    fleet_project,
    org_state,
    pending_creates,
    reap,
)

N = 20


def _wait_for_numbers(control: EmulatorControl, at_least: int, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        n = len(org_state(control)["phone_numbers"])
        if n >= at_least:
            return n
        time.sleep(0.05)
    raise AssertionError(f"fewer than {at_least} numbers were imported within {timeout} s")


def test_up_cli_sigkilled_midway_recovers_without_orphans(
    tmp_path: Path, pulumi_bin: Path, emulator: RunningEmulator
) -> None:
    control = emulator.control
    project = fleet_project(tmp_path, pulumi_bin, control, emulator.url, N)
    # Slow API: the up is still running when the first numbers have landed.
    control.add_fault(route=API_ROUTE, kind="latency", latency_ms=300)
    proc = project.start("up", "--yes")
    try:
        landed = _wait_for_numbers(control, 6)
        plugins = descendants(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        assert proc.stdout is not None
        proc.stdout.close()
    # The orphaned plugins (language host, provider) finish the calls they had in flight;
    # then they are stopped, as the end of a CI job would.
    reap(plugins, timeout=2.0)
    control.clear_faults()
    state = org_state(control)
    print(f"killed after {landed} imports; emulator has {len(state['phone_numbers'])} numbers")

    # -- the documented recovery ---------------------------------------------------------
    backend = tmp_path / "engine" / "backend"
    broken = empty_attrs_files(backend)
    for path in broken:
        path.unlink()
    # The killed CLI's lock is still there: `up` would refuse ("currently locked ... pulumi
    # cancel"); `cancel` deletes it.
    locks = list((backend / ".pulumi" / "locks").rglob("*.json"))
    assert locks, "expected the killed update's lock file"
    project.run("cancel", "--yes")
    assert not list((backend / ".pulumi" / "locks").rglob("*.json"))

    deployment = json.loads(project.run("stack", "export").stdout)["deployment"]
    pending = pending_creates(deployment)
    recorded = len(deployment["resources"])
    print(f"empty attrs: {[p.name for p in broken]}; recorded {recorded}; pending creates: {len(pending)}")
    assert pending, "the kill was expected to interrupt creates in flight"
    # Non-interactive refresh keeps pending creates unless told; clear them (Pulumi 3.274.1
    # also drops the ones given to --import-pending-creates, so that flag does not help).
    project.run("refresh", "--yes", "--clear-pending-creates")
    after = json.loads(project.run("stack", "export").stdout)["deployment"]
    assert not after.get("pending_operations")

    # The creates that landed are unknown to the state: a plain `up` fails with 409 on them
    # ("already imported ... as <id>"); one `up` with the adoption switch takes them over.
    project.env["CARTESIA_ADOPT_EXISTING"] = "1"
    project.run("up", "--yes")
    del project.env["CARTESIA_ADOPT_EXISTING"]
    project.run("preview", "--expect-no-changes")
    resources = json.loads(project.run("stack", "export").stdout)["deployment"]["resources"]
    assert_emulator_matches(control, N, resources)

    project.run("destroy", "--yes")
    assert org_state(control)["phone_numbers"] == []
    assert org_state(control)["providers"] == []
    project.run("stack", "rm", "--yes", "dev")


@pytest.mark.parametrize("downtime", [0.5, 6.0], ids=["brief", "long"])
def test_up_emulator_killed_midway_second_up_converges(
    tmp_path: Path, pulumi_bin: Path, downtime: float
) -> None:
    # CLI from a project directory: a failed inline (Automation API) `up` leaks the SDK's
    # program event loop into the test process, which filterwarnings=error turns into a crash
    # at an unrelated later point.
    emu = EmulatorProcess(data=tmp_path / "cartesia.sqlite", demo=True)
    emu.start()
    try:
        control = emu.control
        assert control is not None
        project = fleet_project(tmp_path, pulumi_bin, control, emu.url, N)
        control.add_fault(route=API_ROUTE, kind="latency", latency_ms=300)
        proc = project.start("up", "--yes")
        try:
            landed = _wait_for_numbers(control, 6)
            emu.kill()  # SIGKILL: no shutdown code; committed rows survive in SQLite
            time.sleep(downtime)
            emu.start()  # same port, same data file; faults are gone
            control = emu.control
            assert control is not None
            output, _ = proc.communicate(timeout=240)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        first = "ok" if proc.returncode == 0 else "failed: " + output.strip().splitlines()[-1]
        print(f"emulator killed after {landed} imports, down {downtime} s; first up {first}")
        if proc.returncode != 0:
            assert "Run `pulumi up` again" in output, output[-3000:]
            # Recovery: the CLI ended normally (no lock, no pending operation): `up` again.
            project.run("up", "--yes")
        project.run("preview", "--expect-no-changes")
        project.run("refresh", "--preview-only", "--expect-no-changes")
        resources = json.loads(project.run("stack", "export").stdout)["deployment"]["resources"]
        assert_emulator_matches(control, N, resources)
        project.run("destroy", "--yes")
        assert org_state(control)["phone_numbers"] == []
        project.run("stack", "rm", "--yes", "dev")
    finally:
        emu.close()
