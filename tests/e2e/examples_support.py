"""Helpers for tests/e2e/test_examples.py: run an example's project directory for real.

Each test copies the example directory (Pulumi.yaml, program, committed stack files, scripts)
into its temp dir, so `pulumi stack init` / `config set` (which write `encryptionsalt` and
`secure:` values into Pulumi.<stack>.yaml) never touch the repository. The copy runs exactly as
a user would run the original: the CLI from the project directory, or the example's own script.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pulumi import automation as auto

from tests.e2e.harness import DEMO_API_KEY, REPO, engine_env
from tests.support.cli import run

EXAMPLES = REPO / "examples"


def copy_example(name: str, dest_root: Path) -> Path:
    """A copy of examples/<name> under dest_root (without caches)."""
    dest = dest_root / name
    shutil.copytree(EXAMPLES / name, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return dest


def example_env(
    root: Path, bin_dir: Path, emulator_url: str, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Process environment: isolated engine, the CLI on PATH, Cartesia pointed at the emulator."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PULUMI_", "CARTESIA_"))}
    env.update(engine_env(root / "engine"))
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["CARTESIA_BASE_URL"] = emulator_url
    env["CARTESIA_API_KEY"] = DEMO_API_KEY
    env.update(extra or {})
    return env


def script(
    project: Path, name: str, *args: str, env: Mapping[str, str], expect: int | None = 0
) -> subprocess.CompletedProcess[str]:
    """Run one of the example's scripts (promote.py, gitops.py) with our interpreter."""
    return run([sys.executable, str(project / name), *args], project, env, expect=expect)


def local_stack(project: Path, name: str, env: Mapping[str, str], bin_dir: Path) -> auto.Stack:
    """The Automation API's view of an existing stack of a project directory (local program)."""
    opts = auto.LocalWorkspaceOptions(
        env_vars=dict(env), pulumi_command=auto.PulumiCommand(root=str(bin_dir.parent))
    )
    return auto.select_stack(name, work_dir=str(project), opts=opts)


def edit_stack_config(project: Path, stack: str, edit: Any) -> None:
    """Edit Pulumi.<stack>.yaml like a developer would: `edit(config_dict)` changes it in place."""
    path = project / f"Pulumi.{stack}.yaml"
    doc = yaml.safe_load(path.read_text())
    edit(doc["config"])
    path.write_text(yaml.safe_dump(doc, sort_keys=False))


def org_state(control: Any) -> dict[str, Any]:
    """The demo organisation in the emulator's state dump (`EmulatorControl.org`)."""
    return dict(control.org())
