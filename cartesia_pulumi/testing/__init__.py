"""Test support: run cartesia-pulumi programs through the real Pulumi CLI against the emulator.

For this project's own engine tests and benchmarks, and for users' CI: deploy a program with
the real engine against a local emulator of the Cartesia API, offline, then assert on the
engine's summaries and on what the emulator holds. Not needed to *use* the resources; it
needs the ``[emulator]`` extra (``pip install 'cartesia-pulumi[emulator]'``) and a Pulumi CLI
(see :func:`find_pulumi_bin`).

Example::

    from cartesia_pulumi.testing import (
        DEMO_API_KEY, CartesiaStackConfig, Engine, changes_only, running_emulator,
    )

    with running_emulator(demo=True) as emu:
        engine = Engine(tmp_path)
        cfg = CartesiaStackConfig.for_emulator(emu.url, DEMO_API_KEY)
        stack = engine.stack(my_program, **cfg.kwargs())
        assert changes_only(stack.up().summary.resource_changes) == {"create": 3}
        stack.assert_no_changes()
        stack.assert_no_drift()
        assert engine.teardown() == []

Contents: the engine side (:mod:`cartesia_pulumi.testing.engine`: :class:`Engine`,
:class:`EngineStack`, :func:`engine_env`, :func:`find_pulumi_bin`, :func:`op_counts`,
:func:`changes_only`, :func:`assert_no_changes`, :class:`CartesiaStackConfig`) and the
emulator side, re-exported from :mod:`cartesia_pulumi.emulator` (:func:`running_emulator`,
:class:`RunningEmulator`, :class:`EmulatorProcess`, :class:`EmulatorControl`, ``DEMO_SEED``).
"""

from __future__ import annotations

from cartesia_pulumi.testing.engine import (
    CHANGE_OPS,
    ENV_PULUMI_BIN,
    PASSPHRASE,
    PULUMI_CLI_VERSION,
    CartesiaStackConfig,
    Engine,
    EngineStack,
    PulumiCLINotFound,
    assert_no_changes,
    changes_only,
    engine_env,
    find_pulumi_bin,
    op_counts,
)

try:
    from cartesia_pulumi.emulator import DEMO_SEED
    from cartesia_pulumi.emulator.control import ControlError, EmulatorControl
    from cartesia_pulumi.emulator.testing import EmulatorProcess, RunningEmulator, running_emulator
except ImportError as exc:  # starlette/uvicorn/pyyaml come with the [emulator] extra only
    raise ImportError(
        "cartesia_pulumi.testing needs the emulator extra; install it with "
        "pip install 'cartesia-pulumi[emulator]'"
    ) from exc

#: API key of the emulator's demo organisation (``running_emulator(demo=True)``).
DEMO_API_KEY: str = DEMO_SEED["organizations"][0]["api_key"]

__all__ = [
    "CHANGE_OPS",
    "DEMO_API_KEY",
    "DEMO_SEED",
    "ENV_PULUMI_BIN",
    "PASSPHRASE",
    "PULUMI_CLI_VERSION",
    "CartesiaStackConfig",
    "ControlError",
    "EmulatorControl",
    "EmulatorProcess",
    "Engine",
    "EngineStack",
    "PulumiCLINotFound",
    "RunningEmulator",
    "assert_no_changes",
    "changes_only",
    "engine_env",
    "find_pulumi_bin",
    "op_counts",
    "running_emulator",
]
