"""The benchmark run: which stacks, in which order, under which faults; returns the raw samples.

Loopback: per size N and repetition, one cycle (up, no-change preview, refresh, destroy) of
S(N) and one of F(N), alternating S,F / F,S between repetitions so that drift of the machine's
load cancels out of the S/F ratio. Latency: per latency size N and repetition, a cycle of S(N)
with each added round-trip time on every API route (the emulator's ``latency`` fault), next to
F(N) cycles (one per repetition, pooled with the loopback ones at that N; F makes no request, so
latency does not change it). :mod:`benchmarks.summary` turns the samples into the results document.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil

from benchmarks.measure import ProcessSampler, measure_operation, state_sizes
from benchmarks.scenarios import (
    ACCOUNT_SID,
    API_KEY,
    LATENCY_ROUTE,
    OPERATIONS,
    floor_program,
    number_of,
    workload_program,
)
from cartesia_pulumi.testing import EmulatorControl, EmulatorProcess, Engine, EngineStack

#: A cycle: {"ops": {op: measurement}, "state": sizes after up (first repetition only)}.
Cycle = dict[str, Any]


def _emulator_process(me: psutil.Process) -> psutil.Process | None:
    # EmulatorProcess does not expose its pid; it is our child running the emulator module.
    for child in me.children():
        try:
            if "cartesia_pulumi.emulator" in " ".join(child.cmdline()):
                return child
        except psutil.Error:
            continue
    return None


class Bench:
    """Drives one benchmark run against one emulator subprocess.

    Args:
        root: directory for the stacks' backends.
        log: progress printer.
        skip_checkpoints: diagnostic, ``PULUMI_SKIP_CHECKPOINTS=true`` for every stack (the
            engine then writes the state once at the end instead of after every step).
        pulumi_bin: directory of the ``pulumi`` CLI; default: looked up by ``Engine``.
    """

    def __init__(
        self,
        root: Path,
        log: Callable[[str], None] = print,
        skip_checkpoints: bool = False,
        pulumi_bin: Path | None = None,
    ) -> None:
        self.log = log
        self.skip_checkpoints = skip_checkpoints
        self.engine = Engine(root / "engine", pulumi_bin)
        self.emulator = EmulatorProcess(demo=True)
        self.sampler = ProcessSampler()
        self.emulator_proc: psutil.Process | None = None
        #: 1-minute load average after every operation.
        self.load: list[float] = []
        self._stacks: dict[tuple[str, int], EngineStack] = {}

    @contextlib.contextmanager
    def running(self) -> Iterator[Bench]:
        """Start the emulator and the sampler; destroy every stack and stop them on exit."""
        self.emulator.start()
        try:
            self.emulator_proc = _emulator_process(psutil.Process())
            if self.emulator_proc is not None:
                self.sampler.exclude.add(self.emulator_proc.pid)
            with self.sampler:
                yield self
        finally:
            problems = self.engine.teardown()
            if problems:
                self.log(f"teardown problems: {problems}")
            self.emulator.close()

    @property
    def control(self) -> EmulatorControl:
        """Control client of the emulator."""
        return self.emulator.control

    def seed_numbers(self, n: int) -> None:
        """Give the demo Twilio account the workload's first ``n`` numbers."""
        numbers = [number_of(i) for i in range(n)]
        self.control.seed({"twilio_accounts": [{"account_sid": ACCOUNT_SID, "numbers": numbers}]})

    def stack(self, kind: str, n: int) -> EngineStack:
        """The stack of S(n) (``kind="S"``) or F(n) (``"F"``), created on first use."""
        key = (kind, n)
        if key not in self._stacks:
            program = workload_program(n) if kind == "S" else floor_program(n)
            env: dict[str, str] = {}
            if self.skip_checkpoints:
                env["PULUMI_SKIP_CHECKPOINTS"] = "true"
            cfg: dict[str, Any] = {}
            if kind == "S":
                cfg = {
                    "config": {"cartesia:baseUrl": self.emulator.url},
                    "secrets": {"cartesia:apiKey": API_KEY},
                }
            self._stacks[key] = self.engine.stack(
                program, name=f"{kind.lower()}{n}", project="cp-bench", env=env, **cfg
            )
        return self._stacks[key]

    def cycle(self, kind: str, n: int, label: str, with_state: bool) -> Cycle:
        """up, no-change preview, refresh, destroy of one stack (state sizes after up)."""
        handle = self.stack(kind, n)
        out: Cycle = {"ops": {}}
        for op in OPERATIONS:
            out["ops"][op] = measure_operation(
                handle, op, self.control, self.sampler, self.emulator_proc
            )
            if op == "up" and with_state:
                out["state"] = state_sizes(handle)
            self.load.append(os.getloadavg()[0])
        summary = ", ".join(f"{op} {out['ops'][op]['seconds']:.2f}s" for op in OPERATIONS)
        self.log(f"  {kind}({n}) {label}: {summary}")
        return out

    def latency_cycle(self, n: int, rtt_ms: int, label: str) -> Cycle:
        """A cycle of S(n) with ``rtt_ms`` added to every API request."""
        self.control.add_fault(kind="latency", latency_ms=rtt_ms, route=LATENCY_ROUTE)
        try:
            return self.cycle("S", n, f"{label} +{rtt_ms} ms", with_state=False)
        finally:
            self.control.clear_faults()

    def loopback(self, sizes: list[int], repeat: int) -> dict[int, dict[str, list[Cycle]]]:
        """S and F cycles per size: ``{n: {"S": [cycle per rep], "F": [...]}}``."""
        samples: dict[int, dict[str, list[Cycle]]] = {}
        for n in sizes:
            self.log(f"N={n}")
            samples[n] = {"S": [], "F": []}
            for rep in range(repeat):
                for kind in ("S", "F") if rep % 2 == 0 else ("F", "S"):
                    samples[n][kind].append(self.cycle(kind, n, f"rep {rep}", rep == 0))
        return samples

    def latency(
        self,
        sizes: list[int],
        rtts_ms: list[int],
        repeat: int,
        floors: dict[int, list[Cycle]],
    ) -> dict[int, dict[str, Any]]:
        """Latency cycles: ``{n: {"F": [cycle], "S": {rtt: [cycle per rep]}}}``.

        Each repetition runs one F cycle between the S cycles (order alternating), so the floor
        is also measured under the machine's load of that moment; ``floors`` (F cycles of the
        loopback block per size) are pooled with them.
        """
        out: dict[int, dict[str, Any]] = {}
        for n in sizes:
            self.log(f"N={n} with latency {', '.join(f'{r} ms' for r in rtts_ms)}")
            entry: dict[str, Any] = {
                "F": list(floors.get(n, [])),
                "S": {rtt: [] for rtt in rtts_ms},
            }
            for rep in range(repeat):
                steps: list[int | None] = [*rtts_ms, None]
                for step in steps if rep % 2 == 0 else reversed(steps):
                    if step is None:
                        entry["F"].append(self.cycle("F", n, f"latency rep {rep}", False))
                    else:
                        entry["S"][step].append(self.latency_cycle(n, step, f"rep {rep}"))
            out[n] = entry
        return out
