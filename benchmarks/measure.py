"""Measurement of one engine operation: wall time, API requests, CPU per process, RSS, state size.

* **Time**: ``time.perf_counter`` around the Automation API call.
* **Requests**: the emulator's request log (``EmulatorControl.requests``), cleared before the
  operation, counted in total and by HTTP method.
* **CPU seconds** by process kind, through ``psutil``. The engine's processes are this
  process's descendants: their exact total is the growth of our ``children_user`` +
  ``children_system`` (the ``pulumi`` CLI is waited for by the Automation API, and the CLI
  waits for its plugins). :class:`ProcessSampler` samples the descendants every 50 ms to split
  that total: ``provider`` is the ``python -u -m pulumi.dynamic`` process as last sampled (it
  idles at the end, so little is missed), ``cli`` the rest (the engine). ``program`` is this
  process (the inline program and the Automation API's language host; it also runs the
  sampler thread, equally for S and F), ``emulator`` the emulator subprocess. CPU time barely
  depends on what else runs on the machine, so it is the robust companion of wall time on a
  shared box.
* **Provider RSS**: the largest resident set sampled from the provider process (psutil does not
  expose the kernel's high-water mark; Python seldom returns memory, so the late samples are at
  the peak).
* **State**: JSON bytes of the exported deployment and of the stack's file in the backend.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import psutil

from cartesia_pulumi.testing import EmulatorControl, EngineStack, op_counts

#: Command-line fragments of a provider process: the dynamic-provider server (and its launcher),
#: and the cartesia plugin.
_PROVIDER_MARKERS = ("pulumi.dynamic", "pulumi-resource-pulumi-python", "pulumi-resource-cartesia")


def process_kind(cmdline: list[str]) -> str:
    """``provider``, ``cli`` or ``other`` for a command line."""
    joined = " ".join(cmdline)
    if any(marker in joined for marker in _PROVIDER_MARKERS):
        return "provider"
    if cmdline and cmdline[0].rsplit("/", 1)[-1] == "pulumi":
        return "cli"
    return "other"


@dataclass
class _Seen:
    kind: str = "other"
    cpu: float = 0.0
    rss: int = 0


class ProcessSampler:
    """Samples this process's descendants (but not ``exclude``) in a background thread.

    Use as a context manager; :meth:`reset` before an operation, :meth:`collect` after it.
    Descendants are exactly the engine processes of the stack being measured: the benchmark
    drives one operation at a time, and other engines on the machine are not our children.

    Args:
        interval: seconds between samples.
    """

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        #: pids never sampled (the emulator subprocess).
        self.exclude: set[int] = set()
        self._seen: dict[int, _Seen] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> ProcessSampler:
        self._thread = threading.Thread(target=self._loop, name="proc-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def reset(self) -> None:
        """Forget everything sampled so far."""
        with self._lock:
            self._seen.clear()

    def collect(self) -> tuple[int | None, dict[str, float]]:
        """(provider peak RSS in KiB or None, CPU seconds per kind) since :meth:`reset`."""
        # The engine's processes have exited and been reaped by now: what was sampled is all
        # there is (the exact CPU totals come from our children's counters instead).
        with self._lock:
            per_kind: dict[str, float] = {}
            for seen in self._seen.values():
                per_kind[seen.kind] = round(per_kind.get(seen.kind, 0.0) + seen.cpu, 3)
            rss = [s.rss for s in self._seen.values() if s.kind == "provider" and s.rss]
        return (max(rss) // 1024 if rss else None), per_kind

    def _sample(self, proc: psutil.Process) -> None:
        try:
            with proc.oneshot():
                times = proc.cpu_times()
                try:
                    kind = process_kind(proc.cmdline())
                    rss = proc.memory_info().rss
                except psutil.ZombieProcess:
                    kind, rss = "other", 0  # exited, not reaped: only its CPU is left
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            return
        self.record(proc.pid, kind, times.user + times.system, rss)

    def record(self, pid: int, kind: str, cpu: float, rss: int) -> None:
        """Take one sample of a process: its kind now, CPU seconds so far, resident bytes."""
        with self._lock:
            seen = self._seen.setdefault(pid, _Seen())
            # One pid can change kind: the CLI's fresh child shows the CLI's command line and
            # memory until it exec's the launcher, and the launcher's `sh` exec's the provider
            # in place. Keep the last real kind, and only its memory.
            if kind != "other" and kind != seen.kind:
                seen.kind, seen.rss = kind, 0
            seen.cpu = max(seen.cpu, cpu)
            seen.rss = max(seen.rss, rss)

    def _loop(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            try:
                children = me.children(recursive=True)
            except psutil.Error:
                children = []
            for proc in children:
                if proc.pid not in self.exclude:
                    self._sample(proc)
            self._stop.wait(self.interval)


def cpu_seconds(proc: psutil.Process | None) -> float:
    """user+system CPU seconds of one process (0 when it is gone)."""
    if proc is None:
        return 0.0
    try:
        times = proc.cpu_times()
    except psutil.Error:
        return 0.0
    return float(times.user + times.system)


def _children_cpu(proc: psutil.Process) -> float:
    """CPU seconds of the descendants that have exited and been waited for."""
    times = proc.cpu_times()
    return float(times.children_user + times.children_system)


def run_operation(handle: EngineStack, op: str, parallel: int | None = None) -> dict[str, int]:
    """Run one of ``up``/``preview``/``refresh``/``destroy`` (with ``--parallel`` when given);
    its changes (no same/read)."""
    kw: dict[str, Any] = {} if parallel is None else {"parallel": parallel}
    if op == "up":
        summary = handle.up(**kw).summary.resource_changes
    elif op == "preview":
        summary = handle.preview(**kw).change_summary
    elif op == "refresh":
        summary = handle.refresh(**kw).summary.resource_changes
    elif op == "destroy":
        summary = handle.destroy(**kw).summary.resource_changes
    else:
        raise ValueError(f"unknown operation {op!r}; use up, preview, refresh or destroy")
    return {k: v for k, v in op_counts(summary).items() if k not in ("same", "read") and v}


def measure_operation(
    handle: EngineStack,
    op: str,
    control: EmulatorControl,
    sampler: ProcessSampler,
    emulator: psutil.Process | None,
    parallel: int | None = None,
) -> dict[str, Any]:
    """Run ``op`` on ``handle`` (``--parallel`` when given) and measure it (keys as in the
    results JSON's samples)."""
    sampler.reset()
    control.clear_requests()
    me = psutil.Process()
    emu0, own0, kids0 = cpu_seconds(emulator), cpu_seconds(me), _children_cpu(me)
    t0 = time.perf_counter()
    changes = run_operation(handle, op, parallel)
    seconds = time.perf_counter() - t0
    own1, emu1, kids1 = cpu_seconds(me), cpu_seconds(emulator), _children_cpu(me)
    reqs = control.requests()
    peak_kib, sampled = sampler.collect()
    provider = sampled.get("provider", 0.0)
    cpu = {
        "cli": round(max(kids1 - kids0 - provider, sampled.get("cli", 0.0)), 3),
        "provider": round(provider, 3),
        "program": round(own1 - own0, 3),
        "emulator": round(emu1 - emu0, 3),
    }
    return {
        "seconds": seconds,
        "requests": len(reqs),
        "by_method": dict(Counter(r["method"] for r in reqs)),
        "api_ms_total": round(sum(float(r.get("ms") or 0) for r in reqs), 1),
        "changes": changes,
        "provider_peak_kib": peak_kib,
        "cpu_seconds": cpu,
        "cpu_total": round(sum(cpu.values()), 3),
    }


def state_sizes(handle: EngineStack) -> dict[str, Any]:
    """Exported deployment bytes per resource, and the raw state file size in the backend."""
    deployment = handle.deployment()
    resources = deployment.get("resources") or []
    custom = [r for r in resources if str(r.get("type", "")).startswith("pulumi-python:dynamic")]
    compact = len(json.dumps(deployment, separators=(",", ":")).encode())
    custom_bytes = sum(len(json.dumps(r, separators=(",", ":")).encode()) for r in custom)
    files = [
        p
        for p in (handle.root / "backend" / ".pulumi" / "stacks").rglob("*")
        if p.is_file() and p.name.endswith((".json", ".json.gz")) and ".bak" not in p.name
    ]
    file_bytes = sum(p.stat().st_size for p in files)
    return {
        "resources": len(resources),
        "dynamic_resources": len(custom),
        "deployment_bytes": compact,
        "deployment_bytes_per_resource": compact / max(1, len(resources)),
        "dynamic_bytes_per_resource": custom_bytes / max(1, len(custom)),
        "state_file_bytes": file_bytes,
        "state_file_bytes_per_resource": file_bytes / max(1, len(resources)),
    }
