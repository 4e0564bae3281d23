"""Dynamic resources vs the ``cartesia`` plugin: S(N) on both, next to the floor F(N), with latency.

Usage::

    .venv/bin/python benchmarks/native.py                    # N=200, +150 ms, the three configs
    .venv/bin/python benchmarks/native.py --n 3 --latency-ms 20 --out /tmp/native.json

One emulator subprocess; the ``latency`` fault adds ``--latency-ms`` to every API route for the
whole run (the floor makes no request, so it is unaffected). For each engine configuration
(:data:`CONFIGS`: the CLI's default ``--parallel``, ``--parallel 64``, and ``--parallel 64`` with
``PULUMI_SKIP_CHECKPOINTS=true``) and repetition, three stacks each run a cycle ``up``, no-change
``preview``, ``refresh``, ``destroy``:

* ``dynamic``: S(N) of ``cartesia_pulumi.resources`` (Pulumi's Python dynamic-provider server,
  at most 4 operations at once);
* ``native``: S(N) of the generated SDK ``pulumi_cartesia``, served by ``pulumi-resource-cartesia``
  found on ``PATH`` (the directory of this interpreter, as in a user's virtualenv);
* ``floor``: F(N), the same graph of no-op ``benchmarks.floor.Floor`` resources.

The order of the three alternates between repetitions. Reported per configuration and
operation: median seconds, requests by method, the ratio dynamic/native, and two lower bounds:

* dynamic: ``floor + requests x RTT / 4`` (the dynamic server's four threads);
* native: ``floor + max(path x RTT, requests x RTT / P)``, where ``path`` is the critical path
  in requests along provider -> number -> assignment (:data:`CRITICAL_PATH`: 5 in a row for
  ``up``, 4 for ``destroy``) and ``P`` the engine's parallelism.

Method and results: ``benchmarks/README.md`` ("Dynamic vs the plugin"); the JSON holds the raw
samples and the rendered table (``"table"``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(REPO))

from benchmarks.measure import measure_operation  # noqa: E402
from benchmarks.scenarios import (  # noqa: E402
    API_KEY,
    DYNAMIC_SERVER_THREADS,
    LATENCY_ROUTE,
    OPERATIONS,
    WorkloadClasses,
    floor_program,
    workload_program,
)
from benchmarks.suite import Bench  # noqa: E402
from cartesia_pulumi.testing import EngineStack  # noqa: E402

#: The three stacks of one cycle.
KINDS = ("dynamic", "native", "floor")
#: Requests in a row along provider -> number -> assignment, per operation, as today's core makes
#: them (read from the emulator's request order): ``up`` GET provider list -> POST provider ->
#: POST number -> GET agent list -> PATCH assignment; ``destroy`` GET the agent's numbers ->
#: PATCH (unassign) -> DELETE number -> DELETE provider; ``refresh`` reads in parallel. One
#: request per level (3 for up and destroy) is the least any implementation needs.
CRITICAL_PATH = {"up": 5, "preview": 0, "refresh": 1, "destroy": 4}


@dataclass(frozen=True)
class EngineConfig:
    """How the engine runs: ``--parallel`` (None: the CLI's default) and checkpointing."""

    parallel: int | None
    skip_checkpoints: bool

    def label(self) -> str:
        p = f"-p {self.parallel}" if self.parallel else f"-p {default_parallel()} (default)"
        return p + (", PULUMI_SKIP_CHECKPOINTS" if self.skip_checkpoints else "")

    def effective_parallel(self) -> int:
        return self.parallel or default_parallel()


#: Engine configurations by name (``--configs``).
CONFIGS: dict[str, EngineConfig] = {
    "default": EngineConfig(None, False),
    "p64": EngineConfig(64, False),
    "p64-skip": EngineConfig(64, True),
}


def default_parallel() -> int:
    """The CLI's default ``--parallel``: four per CPU (``pulumi up --help`` says the number)."""
    return 4 * (os.cpu_count() or 1)


def native_classes() -> WorkloadClasses:
    """The plugin's resources from the generated Python SDK (``sdk/python``, ``pulumi_cartesia``)."""
    import pulumi_cartesia

    return (
        pulumi_cartesia.TwilioProvider,
        pulumi_cartesia.PhoneNumber,
        pulumi_cartesia.NumberAssignment,
    )


def plugin_path() -> str:
    """``PATH`` with this interpreter's scripts directory first, where ``pip`` put
    ``pulumi-resource-cartesia``; the engine finds the plugin there."""
    scripts = Path(sys.executable).parent
    if not (scripts / "pulumi-resource-cartesia").is_file():
        raise SystemExit(
            f"no pulumi-resource-cartesia next to {sys.executable}; install the package "
            "(pip install -e .) into this interpreter's environment"
        )
    return f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}"


class NativeBench(Bench):
    """One run against one emulator: stacks per (kind, config), the latency fault throughout."""

    def __init__(
        self, root: Path, log: Callable[[str], None] = print, pulumi_bin: Path | None = None
    ):
        super().__init__(root, log, pulumi_bin=pulumi_bin)
        self._kstacks: dict[tuple[str, str, int], EngineStack] = {}

    @contextlib.contextmanager
    def latency_on(self, rtt_ms: int) -> Iterator[None]:
        """Add ``rtt_ms`` to every API request until exit (no-op for 0)."""
        if rtt_ms:
            self.control.add_fault(kind="latency", latency_ms=rtt_ms, route=LATENCY_ROUTE)
        try:
            yield
        finally:
            if rtt_ms:
                self.control.clear_faults()

    def kind_stack(self, kind: str, config: str, n: int) -> EngineStack:
        """The stack of ``kind`` (:data:`KINDS`) under ``config``, created on first use."""
        key = (kind, config, n)
        if key not in self._kstacks:
            env: dict[str, str] = {}
            if CONFIGS[config].skip_checkpoints:
                env["PULUMI_SKIP_CHECKPOINTS"] = "true"
            cfg: dict[str, Any] = {}
            if kind == "floor":
                program = floor_program(n)
            else:
                classes = native_classes() if kind == "native" else None
                program = workload_program(n, classes) if classes else workload_program(n)
                cfg = {
                    "config": {"cartesia:baseUrl": self.emulator.url},
                    "secrets": {"cartesia:apiKey": API_KEY},
                }
                if kind == "native":
                    env["PATH"] = plugin_path()
            self._kstacks[key] = self.engine.stack(
                program, name=f"{kind}-{config}-{n}", project="cp-bench-native", env=env, **cfg
            )
        return self._kstacks[key]

    def kind_cycle(self, kind: str, config: str, n: int, label: str) -> dict[str, Any]:
        """up, no-change preview, refresh, destroy of one stack: ``{op: measurement}``."""
        handle = self.kind_stack(kind, config, n)
        parallel = CONFIGS[config].parallel
        out: dict[str, Any] = {}
        for op in OPERATIONS:
            out[op] = measure_operation(
                handle, op, self.control, self.sampler, self.emulator_proc, parallel
            )
            self.load.append(os.getloadavg()[0])
        summary = ", ".join(
            f"{op} {out[op]['seconds']:.2f}s/{out[op]['requests']}r" for op in OPERATIONS
        )
        self.log(f"  {kind:7} {config:8} {label}: {summary}")
        return out


# -- summary ------------------------------------------------------------------------------------


def _median(values: list[float]) -> float:
    return float(statistics.median(values))


def summarise_op(
    op: str, n: int, rtt_ms: int, config: EngineConfig, cycles: dict[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    """One operation under one configuration: medians, requests, ratio and bounds."""
    rtt = rtt_ms / 1000
    out: dict[str, Any] = {}
    for kind in KINDS:
        samples = [c[op] for c in cycles[kind]]
        by_method: dict[str, int] = {}
        for s in samples:  # max per method over repetitions (they are equal when deterministic)
            for method, count in s["by_method"].items():
                by_method[method] = max(by_method.get(method, 0), count)
        out[kind] = {
            "seconds": _median([s["seconds"] for s in samples]),
            "samples": [s["seconds"] for s in samples],
            "requests": max(s["requests"] for s in samples),
            "by_method": by_method,
            "changes": samples[0]["changes"],
            "cpu_seconds": _median([s["cpu_total"] for s in samples]),
        }
    floor = out["floor"]["seconds"]
    dyn, nat = out["dynamic"], out["native"]
    out["ratio_dynamic_native"] = dyn["seconds"] / nat["seconds"]
    out["dynamic_bound_seconds"] = floor + dyn["requests"] * rtt / DYNAMIC_SERVER_THREADS
    p = config.effective_parallel()
    out["native_critical_path_seconds"] = CRITICAL_PATH[op] * rtt
    out["native_bound_seconds"] = floor + max(CRITICAL_PATH[op] * rtt, nat["requests"] * rtt / p)
    out["dynamic_vs_bound"] = dyn["seconds"] / out["dynamic_bound_seconds"]
    out["native_vs_bound"] = nat["seconds"] / out["native_bound_seconds"]
    out["native_vs_floor"] = nat["seconds"] / floor
    out["same_requests"] = dyn["by_method"] == nat["by_method"]
    return out


def run(
    n: int,
    rtt_ms: int,
    configs: list[str],
    repeat: int = 1,
    workdir: Path | None = None,
    log: Callable[[str], None] = print,
    pulumi_bin: Path | None = None,
) -> dict[str, Any]:
    """Run the comparison; the results document (``meta``, ``configs``, ``table``)."""
    started = time.time()
    load_start = os.getloadavg()
    raw: dict[str, dict[str, list[dict[str, Any]]]] = {c: {k: [] for k in KINDS} for c in configs}
    with contextlib.ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cp-native-")))
        bench = NativeBench(workdir, log, pulumi_bin)
        stack.enter_context(bench.running())
        bench.seed_numbers(n)
        with bench.latency_on(rtt_ms):
            for config in configs:
                log(f"{CONFIGS[config].label()}: S({n}) and F({n}), +{rtt_ms} ms")
                for rep in range(repeat):
                    order = KINDS if rep % 2 == 0 else tuple(reversed(KINDS))
                    for kind in order:
                        raw[config][kind].append(bench.kind_cycle(kind, config, n, f"rep {rep}"))
        loads = bench.load
        load_end = os.getloadavg()
    doc: dict[str, Any] = {
        "meta": {
            "n": n,
            "latency_ms": rtt_ms,
            "repeat": repeat,
            "configs": {c: {**vars(CONFIGS[c]), "label": CONFIGS[c].label()} for c in configs},
            "default_parallel": default_parallel(),
            "critical_path": CRITICAL_PATH,
            "dynamic_server_threads": DYNAMIC_SERVER_THREADS,
            "loadavg_start": list(load_start),
            "loadavg_end": list(load_end),
            "loadavg_1min_during": {
                "min": min(loads, default=0.0),
                "median": _median(loads) if loads else 0.0,
                "max": max(loads, default=0.0),
            },
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "seconds_total": round(time.time() - started, 1),
        },
        "configs": {
            c: {op: summarise_op(op, n, rtt_ms, CONFIGS[c], raw[c]) for op in OPERATIONS}
            for c in configs
        },
    }
    doc["table"] = render(doc)
    return doc


def render(doc: dict[str, Any]) -> str:
    """The comparison table (from the document alone)."""
    meta = doc["meta"]
    during = meta["loadavg_1min_during"]
    lines = [
        f"Dynamic resources vs the cartesia plugin: S({meta['n']}) = 1 TwilioProvider, "
        f"{meta['n']} PhoneNumber, {meta['n']} NumberAssignment; +{meta['latency_ms']} ms on "
        "every API route; median of "
        f"{meta['repeat']}",
        "load average start {:.2f}/{:.2f}/{:.2f}, end {:.2f}/{:.2f}/{:.2f}; 1-min during "
        "min/median/max {:.2f}/{:.2f}/{:.2f}; {} CPUs".format(
            *meta["loadavg_start"],
            *meta["loadavg_end"],
            during["min"],
            during["median"],
            during["max"],
            meta["cpus"],
        ),
        "",
    ]
    header = (
        f"{'op':8} {'dynamic s':>9} {'native s':>9} {'floor s':>8} {'dyn/nat':>7} "
        f"{'dyn req':>7} {'nat req':>7} {'dyn bound':>9} {'dyn/bnd':>7} {'nat bound':>9} "
        f"{'nat/bnd':>7} {'nat/F':>6}"
    )
    for name, ops in doc["configs"].items():
        lines += [meta["configs"][name]["label"], header]
        for op, o in ops.items():
            lines.append(
                f"{op:8} {o['dynamic']['seconds']:9.2f} {o['native']['seconds']:9.2f} "
                f"{o['floor']['seconds']:8.2f} {o['ratio_dynamic_native']:7.2f} "
                f"{o['dynamic']['requests']:7d} {o['native']['requests']:7d} "
                f"{o['dynamic_bound_seconds']:9.2f} {o['dynamic_vs_bound']:7.2f} "
                f"{o['native_bound_seconds']:9.2f} {o['native_vs_bound']:7.2f} "
                f"{o['native_vs_floor']:6.2f}"
            )
        lines.append("")
    lines += [
        "dyn bound = floor + requests x RTT / 4 (the dynamic server's threads); nat bound = floor "
        "+ max(critical path x RTT, requests x RTT / P); critical path in requests: "
        + ", ".join(f"{op} {k}" for op, k in meta["critical_path"].items()),
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command line; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--n", type=int, default=200, help="numbers in S(N) (default 200)")
    parser.add_argument("--latency-ms", type=int, default=150, help="added ms per API request")
    parser.add_argument(
        "--configs",
        default=",".join(CONFIGS),
        help=f"comma-separated engine configurations of {', '.join(CONFIGS)} (default: all)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="cycles per stack (default 1)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "native.json")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the backends here")
    parser.add_argument("--pulumi-bin", type=Path, default=None, help="directory of the CLI")
    args = parser.parse_args(argv)
    configs = [c.strip() for c in args.configs.split(",") if c.strip()]
    unknown = [c for c in configs if c not in CONFIGS]
    if unknown:
        parser.error(f"--configs: unknown {', '.join(unknown)}; use {', '.join(CONFIGS)}")
    # The floor's provider is pickled by reference (benchmarks.floor): the dynamic-provider
    # process imports it from its working directory, so run from the repository root.
    os.chdir(REPO)
    doc = run(
        args.n, args.latency_ms, configs, args.repeat, args.workdir, pulumi_bin=args.pulumi_bin
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=2) + "\n")
    print(doc["table"], end="")
    print(f"results: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
