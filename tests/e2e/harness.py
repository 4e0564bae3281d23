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
import sys
from pathlib import Path
from typing import Any

from cartesia_pulumi.provider.schema import to_camel, to_snake
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
    "cartesia_resources",
    "changes_only",
    "engine_env",
    "op_counts",
    "plugin_env",
    "pulumi_bin_dir",
    "state_key",
]


def plugin_env(adapter: str, path: str | None = None) -> dict[str, str]:
    """Extra engine environment for ``adapter``: for ``native``, ``PATH`` starts with the
    directory of this interpreter, whose ``pulumi-resource-cartesia`` (the package's console
    script) the engine finds there, as it would in a user's virtualenv (docs/native-provider.md).
    ``path`` is the rest of ``PATH`` (default: this process's).
    """
    if adapter != "native":
        return {}
    scripts = Path(sys.executable).parent
    if not (scripts / "pulumi-resource-cartesia").is_file():
        raise AssertionError(
            f"no pulumi-resource-cartesia next to {sys.executable}; reinstall the package "
            "(pip install -e .) so its console scripts exist"
        )
    rest = os.environ.get("PATH", "") if path is None else path
    return {"PATH": f"{scripts}{os.pathsep}{rest}"}


def state_key(adapter: str, name: str) -> str:
    """The key of core property ``name`` in the state of ``adapter``'s resources (the plugin's
    schema uses camelCase: docs/native-provider.md)."""
    return to_camel(name) if adapter == "native" else name


def cartesia_resources(stack: EngineStack, kind: str | None = None) -> list[dict[str, Any]]:
    """The stack's cartesia resources (of ``kind``, e.g. ``"TwilioProvider"``) of either adapter,
    with their ``inputs`` and ``outputs`` keyed by the core's snake_case names."""
    found = []
    for res in stack.resources():
        rtype = str(res.get("type", ""))
        if kind is not None and not (
            rtype.endswith(f"cartesia:{kind}") or rtype == f"cartesia:index:{kind}"
        ):
            continue
        if kind is None and "cartesia:" not in rtype:
            continue
        res = dict(res)
        for part in ("inputs", "outputs"):
            res[part] = {to_snake(k): v for k, v in (res.get(part) or {}).items()}
        found.append(res)
    return found


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
