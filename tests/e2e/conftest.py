"""Fixtures for engine tests: the CLI, an isolated engine per test, an emulator per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cartesia_pulumi.testing import RunningEmulator, running_emulator
from tests.e2e.harness import DEMO_API_KEY, CartesiaStackConfig, Engine, pulumi_bin_dir


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Everything under tests/e2e drives the real engine.
    for item in items:
        if "/tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.engine)


@pytest.fixture(scope="session")
def pulumi_bin() -> Path:
    """Directory of the real `pulumi` CLI. Fails (does not skip) when it is missing."""
    return pulumi_bin_dir()


@pytest.fixture
def engine(tmp_path: Path, pulumi_bin: Path, emulator: RunningEmulator) -> Iterator[Engine]:
    """Stacks on an isolated file backend; destroyed and removed at teardown, pass or fail.

    Depends on `emulator` so that the emulator outlives the engine: teardown destroys stacks
    whose resources live in it.
    """
    del emulator  # only its lifetime matters here
    eng = Engine(tmp_path, pulumi_bin)
    yield eng
    problems = eng.teardown()
    assert not problems, f"engine teardown failed: {problems}"


@pytest.fixture
def emulator() -> Iterator[RunningEmulator]:
    """A fresh emulator with the demo seed on a real 127.0.0.1 socket, per test."""
    with running_emulator(demo=True) as emu:
        yield emu


@pytest.fixture
def cartesia(emulator: RunningEmulator) -> CartesiaStackConfig:
    """Stack config pointing the provider process at `emulator` with the demo org's key."""
    return CartesiaStackConfig.for_emulator(emulator.url, DEMO_API_KEY)
