"""The benchmark floor (`benchmarks/floor.py`): no side effects, and a by-reference pickle.

The pickle names `benchmarks.floor`, so the dynamic-provider process can rebuild the floor only
where that module is importable: from the repository root (its working directory in our runs).
"""

from __future__ import annotations

import base64
import subprocess
import sys
import uuid
from pathlib import Path

from pulumi.dynamic.dynamic import serialize_provider

from benchmarks.floor import FloorLifecycle

REPO = Path(__file__).resolve().parents[2]
_UNPICKLE = "import base64, sys, dill; print(type(dill.loads(base64.b64decode(sys.argv[1]))))"


def test_create_floor_outputs_equal_inputs() -> None:
    result = FloorLifecycle().create({"a": 1, "b": "x", "__provider": "blob"})
    uuid.UUID(result.id)
    assert result.outs == {"a": 1, "b": "x"}


def test_diff_floor_ignores_provider_blob() -> None:
    lc = FloorLifecycle()
    assert lc.diff("i", {"a": 1, "__provider": "x"}, {"a": 1, "__provider": "y"}).changes is False
    d = lc.diff("i", {"a": 1}, {"a": 2})
    assert (d.changes, d.replaces) == (True, [])


def test_read_floor_returns_state() -> None:
    result = FloorLifecycle().read("id-1", {"a": 1, "__provider": "blob"})
    assert (result.id, result.outs) == ("id-1", {"a": 1})


def test_pickle_floor_by_reference_small() -> None:
    raw = base64.b64decode(serialize_provider(FloorLifecycle()))
    assert b"benchmarks.floor" in raw and b"FloorLifecycle" in raw
    assert b"_create_type" not in raw  # not pickled by value
    assert len(raw) < 300


def _unpickle_in(cwd: Path) -> subprocess.CompletedProcess[str]:
    blob = serialize_provider(FloorLifecycle())
    return subprocess.run(
        [sys.executable, "-c", _UNPICKLE, blob],
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin"},  # no PYTHONPATH: only the working directory helps
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_unpickle_floor_from_repository_root_succeeds() -> None:
    proc = _unpickle_in(REPO)
    assert proc.returncode == 0, proc.stderr
    assert "benchmarks.floor.FloorLifecycle" in proc.stdout


def test_unpickle_floor_elsewhere_fails_to_import(tmp_path: Path) -> None:
    proc = _unpickle_in(tmp_path)
    assert proc.returncode != 0
    assert "No module named 'benchmarks'" in proc.stderr
