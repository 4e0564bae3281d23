"""Fixtures for the emulator tests: one demo emulator per session, reset before every test.

Section (§), rule (R…) and choice (U…) numbers in these tests refer to ``docs/cartesia-api.md``
and ``cartesia_pulumi/emulator/COVERAGE.md``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from cartesia_pulumi.emulator.testing import RunningEmulator, running_emulator
from tests.emulator.emulator_support import OTHER_KEY, OTHER_ORG_SEED, create_provider, headers


@pytest.fixture(scope="session")
def emulator_session() -> Iterator[RunningEmulator]:
    with running_emulator(demo=True) as em:
        yield em


@pytest.fixture
def emulator(emulator_session: RunningEmulator) -> RunningEmulator:
    """The session emulator, reset to the demo seed plus a second organisation."""
    emulator_session.control.reset(demo=True)
    emulator_session.control.seed(OTHER_ORG_SEED)
    return emulator_session


@pytest.fixture
def api(emulator: RunningEmulator) -> Iterator[httpx.Client]:
    """httpx client of the demo organisation."""
    with httpx.Client(base_url=emulator.url, headers=headers(), timeout=10) as client:
        yield client


@pytest.fixture
def other_api(emulator: RunningEmulator) -> Iterator[httpx.Client]:
    """httpx client of the second organisation."""
    with httpx.Client(base_url=emulator.url, headers=headers(OTHER_KEY), timeout=10) as client:
        yield client


@pytest.fixture
def provider(api: httpx.Client) -> dict[str, Any]:
    """A us1 provider of the demo organisation on the production Twilio account."""
    return create_provider(api)
