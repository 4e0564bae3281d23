"""The real ``pulumi`` CLI as a subprocess, from a project directory: the one runner of the tests.

`run` runs any command and asserts its exit code with all output on failure; `CliProject` is a
temp project (``Pulumi.yaml`` + ``__main__.py``) with an isolated engine environment, the CLI
directory first on PATH and this repository on PYTHONPATH (test programs import test modules).
"""

from __future__ import annotations

import os
import subprocess
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

from cartesia_pulumi.testing import engine_env

REPO = Path(__file__).resolve().parents[2]


def run(
    cmd: Sequence[str | os.PathLike[str]],
    cwd: Path,
    env: Mapping[str, str] | None = None,
    *,
    expect: int | None = 0,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run a command; assert its exit code (unless ``expect`` is None), showing all output."""
    proc = subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env=None if env is None else dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if expect is not None:
        assert proc.returncode == expect, (
            f"{' '.join(map(str, cmd))} (in {cwd}) exited {proc.returncode}, expected {expect}\n"
            f"--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
        )
    return proc


def pulumi(
    project: Path, *args: str, env: Mapping[str, str], expect: int | None = 0, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """``pulumi <args>`` from the project directory, non-interactive, no colour."""
    return run(
        ["pulumi", *args, "--non-interactive", "--color=never"],
        project,
        env,
        expect=expect,
        timeout=timeout,
    )


def cli_env(root: Path, bin_dir: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """An environment for the CLI: isolated backend and home under ``root``, the CLI on PATH,
    this repository on PYTHONPATH, nothing inherited that starts with ``PULUMI_``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_")}
    env.update(engine_env(root / "engine"))
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(REPO)
    env.update(extra or {})
    return env


def user_env(root: Path, bin_dir: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A user's shell: isolated engine under ``root``, the CLI first on PATH, no PULUMI_PYTHON_CMD.

    Unlike `cli_env`, the interpreter is the project's own choice (its ``virtualenv``): variables
    of this session that could pick an interpreter or a package for the child (``PULUMI_*``,
    ``CARTESIA_*``, ``VIRTUAL_ENV``, ``PYTHON*``, ``PIP_*``) are dropped, and this checkout's venv
    is taken off PATH.
    """
    drop = ("PULUMI_", "CARTESIA_", "PYTHON", "PIP_", "VIRTUAL_ENV")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env.update(engine_env(root))
    del env["PULUMI_PYTHON_CMD"]
    path = [p for p in env.get("PATH", "").split(os.pathsep) if p and p != str(REPO / ".venv/bin")]
    env["PATH"] = os.pathsep.join([str(bin_dir), *path])
    env.update(extra or {})
    return env


class CliProject:
    """A temp project whose ``__main__.py`` is ``main``, run by the CLI (`run`, `start`)."""

    def __init__(
        self,
        root: Path,
        bin_dir: Path,
        main: str,
        *,
        name: str = "cp-cli",
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.dir = root / name
        self.dir.mkdir(parents=True)
        (self.dir / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n")
        (self.dir / "__main__.py").write_text(textwrap.dedent(main))
        self.env = cli_env(root, bin_dir, env)
        self.root = root
        self.transcript: list[str] = []

    def run(
        self, *args: str, ok: bool = True, timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        """``pulumi <args>``; with ``ok``, a non-zero exit fails the test with the transcript."""
        proc = pulumi(self.dir, *args, env=self.env, expect=None, timeout=timeout)
        self.transcript.append(
            f"$ pulumi {' '.join(args)}  -> {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        )
        if ok:
            assert proc.returncode == 0, self.transcript[-1]
        return proc

    def configure(
        self, stack: str, config: Mapping[str, str], secrets: Mapping[str, str] | None = None
    ) -> None:
        """``stack init`` and one ``config set-all``."""
        self.run("stack", "init", stack)
        args = ["config", "set-all", "--stack", stack]
        for k, v in config.items():
            args += ["--plaintext", f"{k}={v}"]
        for k, v in (secrets or {}).items():
            args += ["--secret", f"{k}={v}"]
        self.run(*args)

    def start(self, *args: str) -> subprocess.Popen[str]:
        """Start a CLI command in its own session (so its plugin children can be found)."""
        return subprocess.Popen(
            ["pulumi", *args, "--non-interactive", "--color=never"],
            cwd=self.dir,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
