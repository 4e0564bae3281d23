"""Fixtures for engine tests: the CLI, an isolated engine per test, an emulator per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import Engine, pulumi_bin_dir


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
def engine(tmp_path: Path, pulumi_bin: Path) -> Iterator[Engine]:
    """Stacks on an isolated file backend; destroyed and removed at teardown, pass or fail."""
    eng = Engine(tmp_path, pulumi_bin)
    yield eng
    problems = eng.teardown()
    assert not problems, f"engine teardown failed: {problems}"
