"""Fixtures: one demo emulator per session on a real socket, reset before each test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cartesia_pulumi.client import CartesiaClient
from cartesia_pulumi.core.session import SESSION
from unit.support import DEMO_KEY, SleepRecorder, configure_for


@pytest.fixture(scope="session")
def _emulator_session() -> Iterator[Any]:
    from cartesia_pulumi.emulator.testing import running_emulator

    with running_emulator(demo=True) as emu:
        yield emu


@pytest.fixture
def emulator(_emulator_session: Any) -> Any:
    """The demo emulator, reset to the demo seed with no faults and an empty request log."""
    control = _emulator_session.control
    control.reset(demo=True)
    control.clear_faults()
    control.clear_requests()
    return _emulator_session


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def client(emulator: Any, sleeps: SleepRecorder) -> Iterator[CartesiaClient]:
    with CartesiaClient(DEMO_KEY, base_url=emulator.url, sleep=sleeps) as c:
        yield c


@pytest.fixture
def configured(emulator: Any, sleeps: SleepRecorder) -> Iterator[Any]:
    """Lifecycle settings pointed at the emulator (as configure() would do); no real sleeps."""
    configure_for(emulator.url)
    SESSION.client().sleep = sleeps
    yield emulator
    SESSION.close()


@pytest.fixture(autouse=True)
def _clean_lifecycle_state() -> Iterator[None]:
    yield
    SESSION.close()
