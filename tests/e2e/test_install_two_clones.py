"""Two checkouts on one machine share the CLI cache and never run each other's code.

Two ``git clone``s of this checkout (with its uncommitted changes) in temp dirs, each with its own
``.venv`` (``pip install -e`` of that clone, dependencies from the cached wheelhouse) and its own
``tools/build-pulumi.sh`` run against one **shared** cache (a temp cache holding the built CLI as
a hard link, so nothing is rebuilt). Each clone has a project directory whose ``Pulumi.yaml``
names that clone's venv; their stacks run alternately with no ``PULUMI_PYTHON_CMD``, with the
cache rewritten by the other clone in between; then one clone is deleted and the other still
works. A probe resource reports the provider process's ``sys.prefix`` and where it imported
``cartesia_pulumi`` from, on every run.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cartesia_pulumi.emulator.testing import RunningEmulator, running_emulator
from tests.e2e.examples_support import org_state
from tests.e2e.install_support import (
    BASE_PYTHON,
    PROGRAM,
    built_dist,
    cli_env,
    clone_checkout,
    configure_stack,
    pip_env,
    provider_facts,
    pulumi_cli,
    run,
    shared_cli_cache,
    venv_python,
    wheelhouse,
    write_project,
)


@dataclass
class Clone:
    """One checkout with its venv, its project directory and its engine environment."""

    root: Path
    project: Path
    env: dict[str, str]
    emulator: RunningEmulator

    @property
    def venv(self) -> Path:
        return self.root / ".venv"

    def build_launchers(self, cache: Path) -> None:
        run(
            [self.root / "tools" / "build-pulumi.sh"],
            self.root,
            {**self.env, "CARTESIA_PULUMI_CACHE": str(cache)},
        )

    def up(self, probe_run: str) -> dict[str, object]:
        """`pulumi up` with a new probe run; the provider process's facts of that run."""
        pulumi_cli(self.project, "config", "set", "probeRun", probe_run, env=self.env)
        pulumi_cli(self.project, "up", "--yes", env=self.env)
        outputs = json.loads(
            pulumi_cli(self.project, "stack", "output", "--json", env=self.env).stdout
        )
        assert outputs["program_prefix"] == str(self.venv)
        return provider_facts(outputs)

    def assert_ran_here(self, facts: dict[str, object]) -> None:
        assert facts["prefix"] == str(self.venv), facts
        assert facts["package"] == str(self.root / "cartesia_pulumi" / "__init__.py"), facts


@pytest.fixture
def emulators() -> Iterator[tuple[RunningEmulator, RunningEmulator]]:
    """One emulator per clone: both stacks import the same demo number."""
    with running_emulator(demo=True) as first, running_emulator(demo=True) as second:
        yield first, second


def _clone(
    tmp_path: Path, name: str, bin_dir: Path, house: Path, emulator: RunningEmulator
) -> Clone:
    root = clone_checkout(tmp_path / name).resolve()
    installing = {**cli_env(tmp_path / f"{name}-engine", bin_dir), **pip_env(house)}
    run([BASE_PYTHON, "-m", "venv", ".venv"], root, installing)
    run([venv_python(root / ".venv"), "-m", "pip", "install", "-q", "-e", "."], root, installing)
    project = write_project(
        root / "stacks" / "telephony",
        f"telephony-{name}",
        "runtime:\n  name: python\n  options:\n    virtualenv: ../../.venv\n",
        {"__main__.py": PROGRAM},
    )
    return Clone(root, project, cli_env(tmp_path / f"{name}-engine", bin_dir), emulator)


def test_two_clones_sharing_cli_cache_each_run_own_venv_and_survive_deletion(
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    pulumi_bin: Path,
    emulators: tuple[RunningEmulator, RunningEmulator],
) -> None:
    cache = tmp_path / "shared-cache"
    bin_dir = shared_cli_cache(cache, pulumi_bin)
    house = wheelhouse(built_dist(tmp_path_factory.getbasetemp()).wheel)
    a = _clone(tmp_path, "a", bin_dir, house, emulators[0])
    b = _clone(tmp_path, "b", bin_dir, house, emulators[1])
    a.build_launchers(cache)
    b.build_launchers(cache)  # the cache was last written by b
    for clone in (a, b):
        pulumi_cli(clone.project, "stack", "init", "dev", env=clone.env)
        configure_stack(clone.project, clone.env, clone.emulator.url)

    a.assert_ran_here(a.up("1"))
    b.assert_ran_here(b.up("1"))
    a.build_launchers(cache)  # now a wrote it last
    b.assert_ran_here(b.up("2"))
    a.assert_ran_here(a.up("2"))
    for path in bin_dir.iterdir():  # nothing in the shared cache names either checkout
        if path.name not in ("pulumi", "pulumi-language-yaml"):  # the Go binaries
            text = path.read_text()
            assert str(a.root) not in text and str(b.root) not in text, path

    shutil.rmtree(a.root)
    b.assert_ran_here(b.up("3"))
    pulumi_cli(b.project, "preview", "--expect-no-changes", env=b.env)
    assert len(org_state(b.emulator.control)["phone_numbers"]) == 1
    pulumi_cli(b.project, "destroy", "--yes", env=b.env)
    assert org_state(b.emulator.control)["phone_numbers"] == []
