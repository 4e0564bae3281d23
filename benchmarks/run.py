"""Benchmark CLI: our dynamic resources vs. a no-op floor through the real engine, on loopback
and with added API latency. Writes a results JSON (with the rendered table in ``"table"``).

Usage::

    .venv/bin/python benchmarks/run.py --sizes 10,50,200 --repeat 5 \
        --out benchmarks/results/latest.json
    .venv/bin/python benchmarks/run.py --quick

What is deployed and expected: ``benchmarks/scenarios.py``; the run: ``benchmarks/suite.py``;
measuring: ``benchmarks/measure.py``; results and verdicts: ``benchmarks/summary.py``; the
tables: ``benchmarks/render.py``. Method and how to read the table: ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(REPO))

from benchmarks.render import render  # noqa: E402
from benchmarks.scenarios import (  # noqa: E402
    DYNAMIC_SERVER_THREADS,
    LATENCY_MS,
    LATENCY_SIZES,
    LATENCY_TARGETS,
    REQUESTS,
    TARGETS,
)
from benchmarks.suite import Bench  # noqa: E402
from benchmarks.summary import (  # noqa: E402
    latency_verdicts,
    loopback_verdicts,
    median,
    summarise_latency,
    summarise_size,
)


def run_benchmark(
    sizes: list[int],
    repeat: int,
    latency_ms: list[int],
    latency_sizes: list[int],
    latency_repeat: int = 1,
    workdir: Path | None = None,
    log: Callable[[str], None] = print,
    skip_checkpoints: bool = False,
    pulumi_bin: Path | None = None,
) -> dict[str, Any]:
    """Run the benchmark and return the results document (shape: benchmarks/README.md)."""
    started = time.time()
    load_start = os.getloadavg()
    with contextlib.ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cp-bench-")))
        bench = Bench(workdir, log, skip_checkpoints=skip_checkpoints, pulumi_bin=pulumi_bin)
        stack.enter_context(bench.running())
        bench.seed_numbers(max([*sizes, *latency_sizes]))
        loop = bench.loopback(sizes, repeat)
        lat_raw = {}
        if latency_ms and latency_sizes:
            floors = {n: cycles["F"] for n, cycles in loop.items()}
            lat_raw = bench.latency(latency_sizes, latency_ms, latency_repeat, floors)
        load_end = os.getloadavg()
        loads = bench.load
    per_size = {str(n): summarise_size(n, samples) for n, samples in loop.items()}
    latency = summarise_latency(lat_raw)
    doc: dict[str, Any] = {
        "meta": {
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
            "elapsed_seconds": round(time.time() - started, 1),
            "sizes": sizes,
            "repeat": repeat,
            "latency_sizes": latency_sizes if latency_ms else [],
            "latency_ms": latency_ms if latency_sizes else [],
            "latency_repeat": latency_repeat,
            "skip_checkpoints": skip_checkpoints,
            "engine_parallel": "CLI default",
            "dynamic_server_threads": DYNAMIC_SERVER_THREADS,
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "pulumi_sdk": _pulumi_sdk_version(),
            "loadavg_start": list(load_start),
            "loadavg_end": list(load_end),
            "loadavg_1min_during": {
                "min": min(loads) if loads else None,
                "median": median(loads) if loads else None,
                "max": max(loads) if loads else None,
            },
        },
        "targets": TARGETS,
        "latency_targets": {op: {"ratio": k, "max": v} for op, (k, v) in LATENCY_TARGETS.items()},
        "requests_table": {
            op: {
                "design": r.design_text,
                "ideal": r.ideal_text,
                "limit": r.limit_text,
                "why": r.why,
            }
            for op, r in REQUESTS.items()
        },
        "sizes": per_size,
        "latency": latency,
    }
    doc["verdicts"] = loopback_verdicts(per_size) + latency_verdicts(latency)
    return doc


def _pulumi_sdk_version() -> str:
    try:
        return version("pulumi")
    except PackageNotFoundError:
        return "unknown"


def _int_list(text: str | None, default: list[int]) -> list[int]:
    if text is None:
        return list(default)
    if text.strip().lower() == "none":
        return []
    return [int(s) for s in text.split(",") if s.strip()]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options (see ``--help``)."""
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    p.add_argument("--sizes", default=None, help="loopback N values (default 10,50,200)")
    p.add_argument("--repeat", type=int, default=None, help="loopback repetitions (default 5)")
    p.add_argument(
        "--latency-ms",
        default=None,
        help="added ms on every API route, comma-separated (default 50,150; 'none' to skip)",
    )
    p.add_argument(
        "--latency-sizes",
        default=None,
        help="N values of the latency runs (default 50,200; 'none' to skip)",
    )
    p.add_argument("--latency-repeat", type=int, default=1, help="latency repetitions (default 1)")
    p.add_argument("--out", default=str(REPO / "benchmarks" / "results" / "latest.json"))
    p.add_argument(
        "--quick",
        action="store_true",
        help="sanity run: sizes 10,50, repeat 1, latency 50,150 ms at N=10",
    )
    p.add_argument("--workdir", default=None, help="keep stacks/backends here (default: temp)")
    p.add_argument("--pulumi-bin", default=None, help="directory of the pulumi CLI")
    p.add_argument(
        "--skip-checkpoints",
        action="store_true",
        help="diagnostic: PULUMI_SKIP_CHECKPOINTS=true for S and F (engine writes state once)",
    )
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run, print the table, write the JSON; 0 on success (misses are results, not errors)."""
    args = parse_args(argv)
    sizes = _int_list(args.sizes, [10, 50] if args.quick else [10, 50, 200])
    repeat = args.repeat if args.repeat is not None else (1 if args.quick else 5)
    latency_ms = _int_list(args.latency_ms, list(LATENCY_MS))
    latency_sizes = _int_list(
        args.latency_sizes, [min(sizes)] if args.quick else list(LATENCY_SIZES)
    )
    if not sizes or repeat < 1 or args.latency_repeat < 1:
        raise SystemExit("--sizes needs at least one N, and --repeat/--latency-repeat at least 1")
    workdir = Path(args.workdir).resolve() if args.workdir else None
    if workdir:
        workdir.mkdir(parents=True, exist_ok=True)
    out = Path(args.out).resolve()
    # The floor's provider is pickled by reference (benchmarks.floor); the dynamic-provider
    # process imports it from its working directory, which is ours.
    with contextlib.chdir(REPO):
        doc = run_benchmark(
            sizes,
            repeat,
            latency_ms,
            latency_sizes,
            latency_repeat=args.latency_repeat,
            workdir=workdir,
            skip_checkpoints=args.skip_checkpoints,
            pulumi_bin=Path(args.pulumi_bin) if args.pulumi_bin else None,
        )
    doc["table"] = render(doc)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=2) + "\n")
    print()
    print(doc["table"])
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
