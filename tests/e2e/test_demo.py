"""`make demo` itself: the quickstart via tools/demo.py, twice, then `demo-down`.

Runs the same script as `make demo` with its directory, port and stack moved out of the way
(CARTESIA_DEMO_DIR / _PORT / _STACK), so a developer's own demo is never touched.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _demo(action: str, env: dict[str, str]) -> str:
    proc = subprocess.run(
        [sys.executable, str(REPO / "tools" / "demo.py"), action],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, f"demo {action} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def test_demo_up_twice_reports_no_changes_then_down_removes_everything(
    tmp_path: Path, pulumi_bin: Path
) -> None:
    demo_dir = tmp_path / "demo"
    stack = f"demo-test-{os.getpid()}"
    env = dict(os.environ)
    env.update(
        CARTESIA_DEMO_DIR=str(demo_dir),
        CARTESIA_DEMO_PORT=str(_free_port()),
        CARTESIA_DEMO_STACK=stack,
        CARTESIA_PULUMI_BIN=str(pulumi_bin),
    )
    try:
        first = _demo("up", env)
        assert "+ 6 created" in first, first
        # What exists is printed from the API: the masked key and both routes.
        assert "key=SK****" in first and "c001" in first, first
        assert first.count("-> agent_support (Support)") == 2, first
        assert "demo-us1-secret-1" not in first and "sk_car_demo_key" not in first

        second = _demo("up", env)
        assert "6 unchanged" in second and "created" not in second, second

        # Nothing is written into the work tree: config and state live in the demo dir.
        assert not (REPO / f"Pulumi.{stack}.yaml").exists()
        assert (demo_dir / f"Pulumi.{stack}.yaml").exists()
    finally:
        down = _demo("down", env)
    assert "demo removed" in down
    assert not demo_dir.exists()
