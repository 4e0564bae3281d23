"""The declared lower bounds work: a lifecycle with the lowest versions pyproject.toml allows.

The pins come from ``[project] dependencies`` itself (every ``>=`` bound becomes ``==``), so raising
or lowering a bound changes what is tested. Those versions live in a venv cached by pins and
Python version under ``~/.cache/cartesia-pulumi/venvs/`` (``$CARTESIA_PULUMI_CACHE``; built once,
from pip's cache or PyPI). Each run layers a small venv over it that holds this session's wheel,
so the cached venv is never written to. Through the real CLI with no ``PULUMI_PYTHON_CMD`` (so
our language host runs on the old SDK too): up, a no-change preview, an in-place key rotation,
a no-change preview, destroy. The probe resource reports the versions the dynamic-provider
process imported.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.e2e.examples_support import org_state
from tests.e2e.install_support import (
    BASE_PYTHON,
    KEYS,
    PROGRAM,
    PY_TAG,
    REPO,
    built_dist,
    cache_root,
    cli_env,
    configure_stack,
    layered_venv,
    locked,
    provider_facts,
    pulumi_cli,
    run,
    venv_python,
    write_project,
)


def lowest_pins() -> dict[str, str]:
    """Each runtime dependency at its declared lower bound: ``{"pulumi": "3.216", ...}``."""
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    pins = {}
    for line in pyproject["project"]["dependencies"]:
        req = Requirement(line)
        (lower,) = [s.version for s in req.specifier if s.operator == ">="]
        pins[req.name] = lower
    return pins


def lowest_venv(pins: dict[str, str]) -> Path:
    """A venv with exactly ``pins`` (and whatever they pull in), cached by pins and Python."""
    key = hashlib.sha256(json.dumps([PY_TAG, sorted(pins.items())]).encode()).hexdigest()[:16]
    venv = cache_root() / "venvs" / f"lowest-{PY_TAG}-{key}"
    with locked(venv.with_suffix(".lock")):
        if not (venv / ".complete").exists():
            shutil.rmtree(venv, ignore_errors=True)
            run([BASE_PYTHON, "-m", "venv", str(venv)], venv.parent)
            requirements = [f"{name}=={version}" for name, version in sorted(pins.items())]
            run([venv_python(venv), "-m", "pip", "install", "-q", *requirements], venv.parent)
            (venv / ".complete").write_text("\n".join(requirements) + "\n")
    return venv


@pytest.fixture(scope="module")
def pins() -> dict[str, str]:
    return lowest_pins()


def test_lifecycle_with_lowest_declared_versions_rotates_key_in_place(
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    pins: dict[str, str],
    pulumi_bin: Path,
    emulator: RunningEmulator,
) -> None:
    wheel = built_dist(tmp_path_factory.getbasetemp()).wheel
    project = write_project(
        tmp_path / "oldest",
        "oldest",
        "runtime: {name: python, options: {virtualenv: venv}}\n",
        {"requirements.txt": "cartesia-pulumi\n", "__main__.py": PROGRAM},
    )
    venv = layered_venv(project / "venv", lowest_venv(pins)).resolve()
    run([sys.executable, "-m", "pip", "--python", venv_python(venv), "install", "-q",
         "--disable-pip-version-check", "--no-deps", "--no-index", str(wheel)], project)  # fmt: skip

    env = cli_env(tmp_path / "engine", pulumi_bin)
    pulumi_cli(project, "stack", "init", "dev", env=env)
    configure_stack(project, env, emulator.url, key=1)
    pulumi_cli(project, "up", "--yes", env=env)
    outputs = json.loads(pulumi_cli(project, "stack", "output", "--json", env=env).stdout)
    facts = provider_facts(outputs)
    assert facts["prefix"] == str(venv) and outputs["program_prefix"] == str(venv)
    versions = facts["versions"]
    assert isinstance(versions, dict)
    assert {n: Version(versions[n]) for n in pins} == {n: Version(v) for n, v in pins.items()}
    (provider,) = org_state(emulator.control)["providers"]
    assert provider["api_key_sid"] == KEYS[1][0]
    pulumi_cli(project, "preview", "--expect-no-changes", env=env)

    configure_stack(project, env, emulator.url, key=2)  # rotate the Twilio key
    up = pulumi_cli(project, "up", "--yes", env=env).stdout
    assert "~ 1 updated" in up and "replaced" not in up, up
    (rotated,) = org_state(emulator.control)["providers"]
    assert rotated["id"] == provider["id"] and rotated["api_key_sid"] == KEYS[2][0]
    pulumi_cli(project, "preview", "--expect-no-changes", env=env)

    pulumi_cli(project, "destroy", "--yes", env=env)
    org = org_state(emulator.control)
    assert org["providers"] == [] and org["phone_numbers"] == []
