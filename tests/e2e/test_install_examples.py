"""The quickstart's README, run as written from a copy of the example outside this checkout.

The README's ``sh`` blocks, in order: install (a venv, ``pip install -r requirements.txt``), the
emulator (its extra, then the server, which runs until stopped), deploy, clean up. pip finds the
session's wheel and the cached wheelhouse through ``PIP_FIND_LINKS``/``PIP_NO_INDEX``, exactly as
the README tells a user to point it at ``dist/``; the CLI is first on ``PATH``; there is no
``PULUMI_PYTHON_CMD``. The only edit is the port: the server line's ``--port 8787`` becomes
``--port 0`` (a free port on a shared machine) and the deploy block gets the URL it printed. The
clean-up block runs with the deploy block's ``export`` lines, as in the same terminal.
"""

from __future__ import annotations

import re
import select
import shutil
import subprocess
from pathlib import Path

import pytest

from cartesia_pulumi.emulator.control import EmulatorControl
from cartesia_pulumi.emulator.testing import READY_PREFIX
from tests.e2e.examples_support import EXAMPLES, org_state
from tests.e2e.install_support import Dist, built_dist, cli_env, pip_env, run, wheelhouse

DEMO_URL = "http://127.0.0.1:8787"


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Dist:
    return built_dist(tmp_path_factory.getbasetemp())


def sh_blocks(readme: Path) -> list[str]:
    """The fenced ``sh`` code blocks of a README, in order."""
    return re.findall(r"^```sh\n(.*?)^```", readme.read_text(), flags=re.S | re.M)


def _bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run(["bash", "-euo", "pipefail", "-c", script], cwd, env)


def _ready_url(proc: subprocess.Popen[str], timeout: float = 60) -> str:
    """The URL from the emulator's ready line (it flushes it once it accepts connections)."""
    assert proc.stdout is not None
    readable, _, _ = select.select([proc.stdout], [], [], timeout)
    line = proc.stdout.readline() if readable else ""
    assert line.startswith(READY_PREFIX), f"emulator did not start: {line!r} (exit {proc.poll()})"
    return line[len(READY_PREFIX) :].strip()


def test_quickstart_readme_commands_from_copy_deploy_against_emulator(
    tmp_path: Path, dist: Dist, pulumi_bin: Path
) -> None:
    copy = tmp_path / "cartesia-quickstart"
    shutil.copytree(EXAMPLES / "quickstart", copy, ignore=shutil.ignore_patterns("__pycache__"))
    install, emulator, deploy, cleanup = sh_blocks(copy / "README.md")
    env = {
        **cli_env(tmp_path / "engine", pulumi_bin),
        **pip_env(dist.directory, wheelhouse(dist.wheel)),
    }

    _bash(install, copy, env)
    *extra, server = emulator.strip().splitlines()
    _bash("\n".join(extra), copy, env)
    assert "--port 8787" in server and DEMO_URL in deploy
    proc = subprocess.Popen(
        ["bash", "-c", "exec " + server.replace("--port 8787", "--port 0")],
        cwd=copy, env=env, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        url = _ready_url(proc)
        out = _bash(deploy.replace(DEMO_URL, url), copy, env).stdout
        assert "+ 6 created" in out, out
        with EmulatorControl(url) as control:
            org = org_state(control)
            assert len(org["providers"]) == 1
            routes = {n["number"]: n["agent_id"] for n in org["phone_numbers"]}
            assert routes == {"+14155550100": "agent_support", "+14155550101": "agent_support"}
            # The same terminal as the deploy block: its exports still hold.
            exports = [line for line in deploy.splitlines() if line.startswith("export ")]
            _bash("\n".join([*exports, cleanup]), copy, env)
            org = org_state(control)
            assert org["providers"] == [] and org["phone_numbers"] == []
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stdout is not None:
            proc.stdout.close()
