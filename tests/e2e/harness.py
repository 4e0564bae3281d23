"""This repository's engine-test harness: `cartesia_pulumi.testing` plus where this checkout is.

The engine support itself (isolated `file://` backends, offline CLI, `Engine`/`EngineStack`,
summary helpers) lives in `cartesia_pulumi.testing.engine`, shared with the benchmarks and
users' CI. What is specific to running from this checkout stays here: `REPO`, and
`pulumi_bin_dir()`, which finds the CLI that `make setup` built (`tools/build-pulumi.sh
--prefix`) rather than any `pulumi` on PATH, so the engine tests always drive the pinned version.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from cartesia_pulumi.testing import DEMO_API_KEY
from cartesia_pulumi.testing.engine import (
    CHANGE_OPS,
    ENV_PULUMI_BIN,
    PASSPHRASE,
    CartesiaStackConfig,
    Engine,
    EngineStack,
    assert_no_changes,
    changes_only,
    engine_env,
    find_pulumi_bin,
    op_counts,
)

REPO = Path(__file__).resolve().parents[2]

__all__ = [
    "CHANGE_OPS",
    "DEMO_API_KEY",
    "PASSPHRASE",
    "REPO",
    "CartesiaStackConfig",
    "Engine",
    "EngineStack",
    "assert_no_changes",
    "changes_only",
    "engine_env",
    "op_counts",
    "pulumi_bin_dir",
]


def pulumi_bin_dir() -> Path:
    """Directory holding `pulumi`: $CARTESIA_PULUMI_BIN, else the versioned cache of `make setup`.

    Raises a failure (never a skip) when the CLI is missing: engine tests must run in CI.
    """
    explicit = os.environ.get(ENV_PULUMI_BIN)
    if explicit:
        return find_pulumi_bin(explicit)
    prefix = subprocess.run(
        [str(REPO / "tools" / "build-pulumi.sh"), "--prefix"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return find_pulumi_bin(Path(prefix) / "bin")
