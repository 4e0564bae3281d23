"""`make demo` itself: the quickstart via tools/demo.py, twice, then `demo-down`; and its refusals.

Runs the same script as `make demo` with its directory, port and stack moved out of the way
(CARTESIA_DEMO_DIR / _PORT / _STACK; `make demo DEMO_PORT=…` sets the port), so a developer's
own demo is never touched. No PULUMI_PYTHON_CMD: the root Pulumi.yaml's `virtualenv: .venv`
picks the interpreter. On a shared machine the demo must never use a server it did not start:
another checkout's emulator on the demo port is refused (and receives no request), as are an
emulator that does not start and a failing `pulumi` command, each in one sentence.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from cartesia_pulumi.emulator.testing import running_emulator

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _demo_env(tmp_path: Path, pulumi_bin: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PULUMI_PYTHON_CMD"}
    env.update(
        CARTESIA_DEMO_DIR=str(tmp_path / "demo"),
        CARTESIA_DEMO_PORT=str(port),
        CARTESIA_DEMO_STACK=f"demo-test-{os.getpid()}",
        CARTESIA_PULUMI_BIN=str(pulumi_bin),
    )
    return env


def _demo(action: str, env: dict[str, str], *, ok: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, str(REPO / "tools" / "demo.py"), action],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if ok:
        assert proc.returncode == 0, f"demo {action} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


def _assert_one_sentence_failure(proc: subprocess.CompletedProcess[str], start: str) -> str:
    """Exit 1, no traceback, and the demo's own last word is one `make demo: …` line."""
    assert proc.returncode == 1, proc
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith(f"make demo: {start}") and last.endswith("."), proc.stderr
    return last


def test_demo_up_twice_reports_no_changes_then_down_removes_everything(
    tmp_path: Path, pulumi_bin: Path
) -> None:
    env = _demo_env(tmp_path, pulumi_bin, _free_port())
    demo_dir, stack = Path(env["CARTESIA_DEMO_DIR"]), env["CARTESIA_DEMO_STACK"]
    try:
        first = _demo("up", env).stdout
        assert "emulator: started at" in first, first
        assert "+ 6 created" in first, first
        # What exists is printed from the API: the masked key and both routes.
        assert "key=SK****" in first and "c001" in first, first
        assert first.count("-> agent_support (Support)") == 2, first
        assert "demo-us1-secret-1" not in first and "sk_car_demo_key" not in first

        second = _demo("up", env).stdout
        assert "emulator: reusing the one this demo started" in second, second
        assert "6 unchanged" in second and "created" not in second, second

        # Nothing is written into the work tree: config and state live in the demo dir.
        assert not (REPO / f"Pulumi.{stack}.yaml").exists()
        assert (demo_dir / f"Pulumi.{stack}.yaml").exists()
    finally:
        down = _demo("down", env).stdout
    assert "demo removed" in down
    assert not demo_dir.exists()


def test_demo_up_with_foreign_emulator_on_port_refuses_without_using_it(
    tmp_path: Path, pulumi_bin: Path
) -> None:
    # Another checkout's emulator answers on the demo port: the old demo reused it.
    with running_emulator(demo=True) as foreign:
        port = int(foreign.url.rsplit(":", 1)[1])
        before = foreign.control.state()
        proc = _demo("up", _demo_env(tmp_path, pulumi_bin, port), ok=False)
        last = _assert_one_sentence_failure(proc, f"port {port} is in use by another program")
        assert "`make demo DEMO_PORT=" in last
        assert foreign.control.requests() == []  # not one API request reached it
        assert foreign.control.state() == before


def test_demo_up_with_unreadable_data_file_reports_emulator_not_starting(
    tmp_path: Path, pulumi_bin: Path
) -> None:
    env = _demo_env(tmp_path, pulumi_bin, _free_port())
    demo_dir = Path(env["CARTESIA_DEMO_DIR"])
    demo_dir.mkdir()
    (demo_dir / "emulator.sqlite").write_text("not a database, " * 8)
    proc = _demo("up", env, ok=False)
    last = _assert_one_sentence_failure(proc, "the emulator did not start (exit code 1;")
    assert "file is not a database" in last and str(demo_dir / "emulator.log") in last


def test_demo_up_with_wrong_passphrase_reports_pulumi_failure(
    tmp_path: Path, pulumi_bin: Path
) -> None:
    env = _demo_env(tmp_path, pulumi_bin, _free_port())
    try:
        _demo("up", env)
        wrong = {**env, "PULUMI_CONFIG_PASSPHRASE": "not-the-demo-passphrase"}
        proc = _demo("up", wrong, ok=False)
        _assert_one_sentence_failure(proc, "`pulumi config set-all` failed (exit code")
        assert "passphrase" in proc.stderr  # pulumi's own message comes first
    finally:
        _demo("down", env)
