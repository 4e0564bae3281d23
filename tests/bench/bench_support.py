"""What both benchmark smoke tests need: run a benchmark's command line, read its document."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def run_benchmark(main: Callable[[list[str]], int], out: Path, args: Sequence[str]) -> dict[str, Any]:
    """``main(args + --out + --workdir)`` (a benchmark's command line), then its JSON document."""
    code = main([*args, "--out", str(out), "--workdir", str(out.parent / "work")])
    assert code == 0
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def expected_changes(op: str, n: int) -> dict[str, int]:
    """The engine's change summary of ``op`` on S(n) or F(n): 2n+1 resources plus the stack."""
    return {"up": {"create": 2 * n + 2}, "destroy": {"delete": 2 * n + 2}}.get(op, {})
