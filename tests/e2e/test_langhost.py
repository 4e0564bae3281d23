"""`pulumi up` & co. from a project directory (`runtime: python`), through our language host.

The official Go `pulumi-language-python` is not available here, so `tools/build-pulumi.sh`
installs our pure-Python one (tools/langhost) next to the CLI. These tests drive the CLI exactly
as a developer would, from a temporary project directory via subprocess (no Automation API):
the full lifecycle, stack config and secrets, and how a failing program is reported.

Then the interpreter choice, with no `PULUMI_PYTHON_CMD`: the program (our host) and the dynamic
provider must both run in the venv that `Pulumi.yaml` names (block and flow forms, `toolchain:
pip`, relative to the project directory also when `main:` points at a directory with a
`Pulumi.yaml` of its own), in `PULUMI_PYTHON_CMD` when it is set, in `python3` on PATH without
options; a missing venv fails in one sentence. A probe resource reports the provider's `sys.prefix`.
The venvs are cheap layers over this checkout's `.venv` (own prefix, same packages).
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest

from tests.e2e.harness import REPO, engine_env
from tests.e2e.install_support import (
    PROBE,
    cli_env,
    layered_venv,
    provider_facts,
    pulumi_cli,
    write_project,
)

pytestmark = pytest.mark.engine

SECRET = "langhost-secret-7d2a"  # must come back only through --show-secrets

PROGRAM = """\
import pulumi
from benchmarks.floor import Floor
from tests.e2e.probe import ConfigProbe

cfg = pulumi.Config("cartesia")
greeting = cfg.get("greeting") or "unset"
api_key = cfg.require_secret("apiKey")

noop = Floor("n1", {"label": greeting})
probe = ConfigProbe("probe")
pulumi.export("label", noop.label)  # type: ignore[attr-defined]
pulumi.export("noop_id", noop.id)
pulumi.export("api_key", api_key)
pulumi.export("seen_config_keys", probe.seen_config_keys)
print("hello from the program")
"""

FAILING_PROGRAM = """\
import pulumi
import helper

pulumi.export("before", 1)
helper.explode()
"""

FAILING_HELPER = """\
def explode():
    raise ValueError("deliberate failure 5c1e")
"""


def _project(root: Path, name: str, files: dict[str, str]) -> Path:
    project = root / name
    project.mkdir(parents=True)
    (project / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n")
    for rel, text in files.items():
        (project / rel).write_text(textwrap.dedent(text))
    return project


def _env(root: Path, bin_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_")}
    env.update(engine_env(root / "engine"))
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    # The program's test resources (benchmarks.floor, tests.e2e.probe) live in this repository.
    env["PYTHONPATH"] = str(REPO)
    return env


def _pulumi(
    args: list[str], cwd: Path, env: dict[str, str], *, ok: bool = True
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        ["pulumi", *args, "--non-interactive", "--color=never"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if ok:
        assert proc.returncode == 0, (
            f"pulumi {' '.join(args)} exited {proc.returncode}\n"
            f"--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
        )
    assert "from $PATH" not in proc.stdout + proc.stderr, proc.stderr  # plugins next to the CLI
    return proc


@pytest.fixture
def langhost_bin(pulumi_bin: Path) -> Path:
    """The CLI directory, which must also hold our language host and provider launchers."""
    for name in ("pulumi-language-python", "pulumi-resource-pulumi-python"):
        if not os.access(pulumi_bin / name, os.X_OK):
            pytest.fail(
                f"{pulumi_bin / name} is missing; run `make setup` (tools/build-pulumi.sh "
                "installs it next to the pulumi CLI)"
            )
    return pulumi_bin


def test_project_directory_lifecycle(tmp_path: Path, langhost_bin: Path) -> None:
    project = _project(tmp_path, "lh-e2e", {"__main__.py": PROGRAM})
    env = _env(tmp_path, langhost_bin)

    _pulumi(["stack", "init", "dev"], project, env)
    _pulumi(["config", "set", "--secret", "cartesia:apiKey", SECRET], project, env)
    _pulumi(["config", "set", "cartesia:greeting", "hi"], project, env)

    up = _pulumi(["up", "--yes"], project, env)
    assert "hello from the program" in up.stdout  # program stdout reaches the user
    _pulumi(["preview", "--expect-no-changes"], project, env)
    _pulumi(["refresh", "--yes"], project, env)
    _pulumi(["preview", "--expect-no-changes"], project, env)

    masked = json.loads(_pulumi(["stack", "output", "--json"], project, env).stdout)
    assert masked["api_key"] == "[secret]"
    outputs = json.loads(
        _pulumi(["stack", "output", "--json", "--show-secrets"], project, env).stdout
    )
    assert outputs["api_key"] == SECRET
    assert outputs["label"] == "hi"  # plain config read by pulumi.Config in the program
    assert outputs["noop_id"]
    assert "apiKey" in " ".join(outputs["seen_config_keys"])  # and delivered to the provider

    state = _pulumi(["stack", "export"], project, env).stdout
    assert SECRET not in state

    _pulumi(["destroy", "--yes"], project, env)
    resources = json.loads(_pulumi(["stack", "export"], project, env).stdout)["deployment"].get(
        "resources"
    )
    assert not resources
    _pulumi(["stack", "rm", "--yes", "dev"], project, env)


def test_program_exception_fails_with_traceback(tmp_path: Path, langhost_bin: Path) -> None:
    project = _project(
        tmp_path, "lh-e2e-fail", {"__main__.py": FAILING_PROGRAM, "helper.py": FAILING_HELPER}
    )
    env = _env(tmp_path, langhost_bin)
    _pulumi(["stack", "init", "dev"], project, env)

    up = _pulumi(["up", "--yes"], project, env, ok=False)
    text = up.stdout + up.stderr
    assert up.returncode != 0, text
    assert "Program failed with an unhandled exception" in text
    assert "Traceback (most recent call last)" in text
    assert "helper.py" in text and "ValueError: deliberate failure 5c1e" in text
    resources = json.loads(_pulumi(["stack", "export"], project, env).stdout)["deployment"].get(
        "resources"
    )
    assert not resources  # nothing was created
    _pulumi(["stack", "rm", "--yes", "--force", "dev"], project, env)


# -- which interpreter runs the program and its dynamic providers -----------------------------


def _probe_project(tmp_path: Path, name: str, runtime: str | None = None) -> Path:
    """A probe-only project in ``tmp_path/proj`` (default runtime: flow form, ``venv``)."""
    runtime = runtime or "runtime: {name: python, options: {virtualenv: venv}}\n"
    return write_project(tmp_path / "proj", name, runtime, {"__main__.py": PROBE})


def _probe_up(project: Path, env: dict[str, str]) -> tuple[str, str]:
    """`up` of a probe-only program; (program's sys.prefix, provider process's sys.prefix)."""
    pulumi_cli(project, "stack", "init", "dev", env=env)
    pulumi_cli(project, "up", "--yes", env=env)
    outputs = json.loads(pulumi_cli(project, "stack", "output", "--json", env=env).stdout)
    return str(outputs["program_prefix"]), str(provider_facts(outputs)["prefix"])


@pytest.mark.parametrize(
    "runtime",
    [
        "runtime:\n  name: python\n  options:\n    toolchain: pip\n    virtualenv: venv  # ours\n",
        "runtime: {name: python, options: {virtualenv: 'venv/'}}\n",
    ],
    ids=["block-toolchain-pip", "flow-trailing-slash"],
)
def test_up_with_virtualenv_option_runs_program_and_provider_in_that_venv(
    tmp_path: Path, langhost_bin: Path, runtime: str
) -> None:
    project = _probe_project(tmp_path, "lh-venv", runtime)
    venv = layered_venv(project / "venv", REPO / ".venv").resolve()
    program, provider = _probe_up(project, cli_env(tmp_path / "engine", langhost_bin))
    assert (program, provider) == (str(venv), str(venv))


def test_up_with_main_directory_resolves_virtualenv_against_project_directory(
    tmp_path: Path, langhost_bin: Path
) -> None:
    # Like this repository's root project: `main` names a directory that has a Pulumi.yaml too.
    root = write_project(
        tmp_path / "root", "lh-main",
        "runtime:\n  name: python\n  options:\n    virtualenv: .venv\nmain: app\n", {},
    )  # fmt: skip
    write_project(
        root / "app", "lh-app", "runtime: {name: python, options: {virtualenv: nowhere}}\n",
        {"__main__.py": PROBE},
    )  # fmt: skip
    venv = layered_venv(root / ".venv", REPO / ".venv").resolve()
    env = cli_env(tmp_path / "engine", langhost_bin)
    assert _probe_up(root, env) == (str(venv), str(venv))
    # `pulumi --cwd` from elsewhere finds the same project and the same venv.
    pulumi_cli(tmp_path, "--cwd", str(root), "preview", "--expect-no-changes", env=env)


def test_up_with_python_cmd_set_uses_it_over_virtualenv_option(
    tmp_path: Path, langhost_bin: Path
) -> None:
    project = _probe_project(tmp_path, "lh-cmd")
    layered_venv(project / "venv", REPO / ".venv")
    pinned = layered_venv(tmp_path / "pinned", REPO / ".venv").resolve()
    env = cli_env(tmp_path / "engine", langhost_bin, {"PULUMI_PYTHON_CMD": f"{pinned}/bin/python"})
    assert _probe_up(project, env) == (str(pinned), str(pinned))


def test_up_without_options_uses_python3_on_path(tmp_path: Path, langhost_bin: Path) -> None:
    project = _probe_project(tmp_path, "lh-path", "runtime: python\n")
    active = layered_venv(tmp_path / "active", REPO / ".venv").resolve()  # an activated venv
    env = cli_env(tmp_path / "engine", langhost_bin)
    env["PATH"] = f"{active / 'bin'}{os.pathsep}{env['PATH']}"
    assert _probe_up(project, env) == (str(active), str(active))


def test_preview_with_missing_virtualenv_fails_with_one_sentence(
    tmp_path: Path, langhost_bin: Path
) -> None:
    project = _probe_project(tmp_path, "lh-missing")
    env = cli_env(tmp_path / "engine", langhost_bin)
    pulumi_cli(project, "stack", "init", "dev", env=env)
    preview = pulumi_cli(project, "preview", env=env, expect=None)
    text = preview.stdout + preview.stderr
    assert preview.returncode != 0, text
    venv = project.resolve() / "venv"
    sentence = (
        f"The 'virtualenv' option in {project.resolve() / 'Pulumi.yaml'} is 'venv', but {venv} "
        f"does not exist; create it with `python3 -m venv {venv}` and "
        f"`{venv}/bin/python -m pip install -r requirements.txt`."
    )
    assert sentence in text, text
    assert "Traceback" not in text
