"""Faithful local emulator of the Cartesia telephony API (Starlette on uvicorn, SQLite).

Entry points: ``python -m cartesia_pulumi.emulator`` / ``cartesia-emulator`` (see ``__main__``),
``cartesia_pulumi.emulator.testing.running_emulator`` and ``EmulatorProcess`` for tests, and
``EmulatorControl`` for the control API. Rules, guesses and deviations: ``COVERAGE.md``.
"""

from cartesia_pulumi.emulator.control import ControlError, EmulatorControl
from cartesia_pulumi.emulator.seeds import DEMO_SEED

__all__ = ["DEMO_SEED", "ControlError", "EmulatorControl"]
