"""The release artefact: what the wheel carries, and the wheel installed outside this checkout.

The wheel and sdist are built once per session with ``python -m build`` (what ``make dist``
runs). The engine test then works like a new user: a project directory in a temp dir laid out like
``pulumi new python`` (``Pulumi.yaml`` with ``virtualenv: venv``, ``requirements.txt``,
``__main__.py``), a fresh venv made from the base interpreter, ``pip install -r requirements.txt``
(the wheel and a cached wheelhouse of its dependencies, no index), and the real CLI run as a
subprocess with no ``PULUMI_PYTHON_CMD``. A probe resource reports, from inside the
dynamic-provider process, that the project's venv and its installed ``cartesia_pulumi`` ran it.
"""

from __future__ import annotations

import json
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

import cartesia_pulumi
from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.e2e.examples_support import org_state
from tests.e2e.install_support import (
    KEYS,
    NUMBER,
    PROGRAM,
    REPO,
    Dist,
    built_dist,
    cli_env,
    configure_stack,
    provider_facts,
    pulumi_cli,
    wheel_project,
)


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Dist:
    return built_dist(tmp_path_factory.getbasetemp())


def _package_files() -> set[str]:
    """Files of the package in the work tree: tracked or new, not ignored, not deleted."""
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "cartesia_pulumi"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return {line for line in out.splitlines() if line and (REPO / line).is_file()}


def test_dist_wheel_contents_match_package_with_typing_data_and_scripts(dist: Dist) -> None:
    assert dist.wheel.name == f"cartesia_pulumi-{cartesia_pulumi.__version__}-py3-none-any.whl"
    with zipfile.ZipFile(dist.wheel) as zf:
        names = set(zf.namelist())
        info = f"cartesia_pulumi-{cartesia_pulumi.__version__}.dist-info"
        metadata = zf.read(f"{info}/METADATA").decode()
        entry_points = zf.read(f"{info}/entry_points.txt").decode()
    package = {n for n in names if not n.startswith(info)}
    tracked = _package_files()
    # Every file of the package (modules, py.typed, the emulator's data files) and nothing
    # else: no tests, tools or examples.
    assert package == tracked, (sorted(package - tracked), sorted(tracked - package))
    assert {"cartesia_pulumi/py.typed", "cartesia_pulumi/emulator/COVERAGE.md"} <= package
    assert "cartesia-emulator = cartesia_pulumi.emulator.__main__:main" in entry_points

    assert f"Version: {cartesia_pulumi.__version__}\n" in metadata
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    core = sorted(r.split(":", 1)[1].strip() for r in requires if "extra ==" not in r)
    assert core == [
        "httpx<1,>=0.27",
        "phonenumbers>=8.13",
        "pulumi<4,>=3.216",
        "pydantic<3,>=2.6",
        "rich>=13",
    ]
    emulator_deps = [r for r in requires if 'extra == "emulator"' in r]
    assert {r.split(":", 1)[1].split(">")[0].strip() for r in emulator_deps} == {
        "starlette", "uvicorn", "pyyaml",
    }  # fmt: skip


def test_dist_sdist_builds_from_version_file(dist: Dist) -> None:
    with tarfile.open(dist.sdist) as tf:
        names = {n.split("/", 1)[1] for n in tf.getnames() if "/" in n}
    assert {"pyproject.toml", "README.md", "cartesia_pulumi/_version.py"} <= names
    assert "cartesia_pulumi/py.typed" in names


def test_wheel_in_fresh_project_venv_runs_lifecycle_without_python_cmd(
    tmp_path: Path, dist: Dist, pulumi_bin: Path, emulator: RunningEmulator
) -> None:
    project = wheel_project(
        tmp_path / "my-telephony", PROGRAM, dist, cli_env(tmp_path / "engine", pulumi_bin)
    )
    venv = (project / "venv").resolve()

    env = cli_env(tmp_path / "engine", pulumi_bin)
    pulumi_cli(project, "stack", "init", "dev", env=env)
    configure_stack(project, env, emulator.url)
    pulumi_cli(project, "up", "--yes", env=env)

    org = org_state(emulator.control)
    (provider,) = org["providers"]
    assert provider["api_key_sid"] == KEYS[1][0] and provider["region"] == "us1"
    (number,) = org["phone_numbers"]
    assert number["number"] == NUMBER and number["provider_id"] == provider["id"]
    assert number["agent_id"] == "agent_support"

    pulumi_cli(project, "preview", "--expect-no-changes", env=env)
    outputs = json.loads(pulumi_cli(project, "stack", "output", "--json", env=env).stdout)
    facts = provider_facts(outputs)
    # The program and the dynamic provider both ran in the project's venv, on the installed wheel.
    assert outputs["program_prefix"] == str(venv)
    assert facts["prefix"] == str(venv)
    assert str(facts["package"]).startswith(str(venv / "lib")), facts
    state = pulumi_cli(project, "stack", "export", env=env).stdout
    assert KEYS[1][1] not in state and "sk_car_demo_key" not in state

    pulumi_cli(project, "destroy", "--yes", env=env)
    org = org_state(emulator.control)
    assert org["providers"] == [] and org["phone_numbers"] == []
    pulumi_cli(project, "stack", "rm", "--yes", "dev", env=env)
