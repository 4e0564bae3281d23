"""Benchmark of the Cartesia dynamic resources against a no-op floor (issue 6, items 1-5).

Workload S(N): one ``TwilioProvider``, N ``PhoneNumber`` (each on the provider), N
``NumberAssignment`` (each on its number), against the local emulator. Floor F(N): the same graph
(same counts, names, inputs and dependencies) of ``Noop`` dynamic resources, which make no API
calls. Both go through the same real Pulumi CLI, the same Automation API inline-program path and
the same dynamic-provider launcher, in the same run; S and F cycles are interleaved (S,F then F,S)
so that machine drift cancels out of the S/F ratio.

Per size and repetition each stack runs: ``up`` (from empty), a no-change ``preview``,
``refresh``, ``destroy``. Measured: wall time per operation (median over repetitions), API
requests per operation (emulator request log), state bytes per resource after ``up``, and the
peak RSS (VmHWM) of the ``python -u -m pulumi.dynamic`` process. Finally ``up`` of S is repeated
with 50 ms of injected latency on every API route and compared with the bound set by the
dynamic-provider server's 4 worker threads: requests x 50 ms / 4.

Usage::

    .venv/bin/python benchmarks/run.py --sizes 10,50,200 --repeat 3 \
        --out benchmarks/results/latest.json

See benchmarks/README.md for the method and how to read the table.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import pulumi  # noqa: E402

from cartesia_pulumi.emulator.testing import EmulatorProcess  # noqa: E402
from cartesia_pulumi.resources import NumberAssignment, PhoneNumber, TwilioProvider  # noqa: E402
from cartesia_pulumi.resources.noop import Noop  # noqa: E402
from tests.e2e.harness import (  # noqa: E402
    DEMO_API_KEY,
    Engine,
    EngineStack,
    op_counts,
    pulumi_bin_dir,
)

# -- workload constants (demo seed, docs/architecture.md §1) ---------------------------------
ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef"
KEY_SID = "SK0123456789abcdef0123456789abc001"
KEY_SECRET = "demo-us1-secret-1"
AGENT = "agent_support"
#: Twilio numbers used by the workload: +1415555{2000+i}; clear of the demo's +14155550100-0102.
NUMBER_BASE = 2000
LATENCY_MS = 50
#: Worker threads of Pulumi's Python dynamic-provider server (pulumi/dynamic/__main__.py).
DYNAMIC_SERVER_THREADS = 4

OPERATIONS = ("up", "preview", "refresh", "destroy")

#: Targets (issue 6). Ratios are S/F at the largest size; growth is T(200)/T(50) of S.
TARGETS: dict[str, float] = {
    "up": 1.25,
    "preview": 1.1,
    "refresh": 1.3,
    "destroy": 1.25,
    "state_bytes_ratio": 1.5,
    "growth_200_over_50": 4.4,
    "latency_ratio": 1.3,
}


def number_of(i: int) -> str:
    return f"+1415555{NUMBER_BASE + i:04d}"


# -- programs ------------------------------------------------------------------------------


def workload_program(n: int) -> Callable[[], None]:
    """S(N): TwilioProvider -> N PhoneNumber -> N NumberAssignment."""

    def program() -> None:
        provider = TwilioProvider(
            "provider",
            account_sid=ACCOUNT_SID,
            api_key_sid=KEY_SID,
            api_key_secret=KEY_SECRET,
            region="us1",
        )
        for i in range(n):
            num = PhoneNumber(
                f"number-{i}", number=number_of(i), provider_id=provider.id, label=f"bench {i}"
            )
            NumberAssignment(f"assignment-{i}", phone_number_id=num.id, agent_id=AGENT)

    return program


def floor_program(n: int) -> Callable[[], None]:
    """F(N): the same graph and the same user inputs, as Noop resources (no API calls)."""

    def program() -> None:
        provider = Noop(
            "provider",
            {
                "account_sid": ACCOUNT_SID,
                "api_key_sid": KEY_SID,
                "api_key_secret": pulumi.Output.secret(KEY_SECRET),
                "region": "us1",
            },
        )
        for i in range(n):
            num = Noop(
                f"number-{i}",
                {"number": number_of(i), "provider_id": provider.id, "label": f"bench {i}"},
            )
            Noop(f"assignment-{i}", {"phone_number_id": num.id, "agent_id": AGENT})

    return program


# -- expected API requests -------------------------------------------------------------------


def expected_requests(op: str, n: int) -> dict[str, Any]:
    """Ideal and by-design request counts for S(N) (docs/architecture.md §3)."""
    objects = 2 * n + 1
    if op == "up":
        # Ideal: one request per object created. By design NumberAssignment create is GET+PATCH
        # (the GET refuses to take a number held by another agent and adopts it if ours).
        return {"ideal": objects, "design": 3 * n + 1, "rule": "== design"}
    if op == "preview":
        return {"ideal": 0, "design": 0, "rule": "== 0"}
    if op == "refresh":
        return {"ideal": objects, "design": objects, "rule": "<= 1 per resource"}
    # destroy: PhoneNumber delete is one DELETE (a GET follows only if the API refuses it),
    # NumberAssignment delete is GET+PATCH (only unassigns if still ours), provider 1 DELETE.
    return {"ideal": objects, "design": 3 * n + 1, "rule": "== design"}


def requests_ok(op: str, n: int, count: int) -> bool:
    exp = expected_requests(op, n)
    if op == "refresh":
        return count <= 2 * n + 1
    return count == exp["design"]


# -- provider-process memory ------------------------------------------------------------------


class ProcessSampler:
    """Polls /proc for this run's engine processes: provider peak RSS and CPU time per process.

    Processes are recognised by a marker in their environment (``CARTESIA_BENCH_TAG``, one per
    stack), which the Automation API passes to the ``pulumi`` CLI and the CLI to its plugins, so
    other engines running on the machine are ignored. For the ``python -u -m pulumi.dynamic``
    process it records VmHWM, the kernel's high-water mark of the resident set (so sampling only
    has to catch the process alive, not at its peak). For every tagged process it records
    utime+stime (CPU seconds), summed per kind: ``cli`` (the pulumi engine) and ``provider``.
    CPU time is far less sensitive than wall time to other work on the machine.
    """

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.peaks: dict[str, int] = {}  # tag -> max VmHWM (KiB) of its provider process
        self.cpu: dict[str, dict[int, tuple[str, float]]] = {}  # tag -> pid -> (kind, seconds)
        self._pids: dict[int, str | None] = {}  # pid -> tag, or None for "not ours"
        self._first_seen: dict[int, float] = {}  # pid -> monotonic time first seen
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._loop, name="proc-sampler", daemon=True)
        self._tck = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        try:
            self._own_cmdline = Path("/proc/self/cmdline").read_bytes()
        except OSError:
            self._own_cmdline = b""

    def __enter__(self) -> ProcessSampler:
        if Path("/proc/self/status").exists():
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def reset(self, tag: str) -> None:
        with self._lock:
            self.peaks.pop(tag, None)
            self.cpu.pop(tag, None)

    def collect(self, tag: str) -> tuple[int | None, dict[str, float]]:
        """(provider peak KiB, CPU seconds per kind) since ``reset(tag)``."""
        time.sleep(self.interval * 2)
        with self._lock:
            per_kind: dict[str, float] = {}
            for kind, secs in self.cpu.get(tag, {}).values():
                per_kind[kind] = round(per_kind.get(kind, 0.0) + secs, 3)
            return self.peaks.get(tag), per_kind

    def _tag_of(self, pid: int) -> tuple[str | None, bool]:
        """(tag or None, final). Not final while a fresh child of ours has not exec'd yet (its
        environment is still ours until exec)."""
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
            env = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        except OSError:
            return None, False
        for item in env:
            if item.startswith(b"CARTESIA_BENCH_TAG="):
                return item.split(b"=", 1)[1].decode(), True
        # Empty cmdline: the process is being created or exec'ing; our own: not exec'd yet.
        return None, bool(cmd) and cmd != self._own_cmdline

    @staticmethod
    def _kind(cmd: bytes) -> str:
        if b"pulumi.dynamic" in cmd or b"pulumi-resource-pulumi-python" in cmd:
            return "provider"
        argv0 = cmd.split(b"\0", 1)[0]
        if argv0.endswith(b"pulumi"):
            return "cli"
        return "other"

    def _sample(self, pid: int, tag: str) -> None:
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            status = Path(f"/proc/{pid}/status").read_text() if b"pulumi.dynamic" in cmd else ""
        except (OSError, IndexError):
            return
        secs = (int(stat[11]) + int(stat[12])) / self._tck
        kib = None
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                kib = int(line.split()[1])
                break
        with self._lock:
            per_pid = self.cpu.setdefault(tag, {})
            kind = self._kind(cmd)
            if kind == "other" and pid in per_pid:
                # A zombie (or a process mid-exec) has an empty cmdline: keep what it was.
                kind = per_pid[pid][0]
            per_pid[pid] = (kind, secs)
            if kib is not None:
                self.peaks[tag] = max(self.peaks.get(tag, 0), kib)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                live = {int(p) for p in os.listdir("/proc") if p.isdigit()}
            except OSError:
                live = set()
            for pid in list(self._first_seen):
                if pid not in live:
                    self._pids.pop(pid, None)
                    del self._first_seen[pid]
            now = time.monotonic()
            for pid in live:
                first = self._first_seen.setdefault(pid, now)
                # A "not ours" verdict is re-checked during a process's first second, in case
                # it was read in the middle of a fork/exec.
                if pid not in self._pids or (self._pids[pid] is None and now - first < 1.0):
                    tag, final = self._tag_of(pid)
                    if not final:
                        continue  # look again next tick
                    self._pids[pid] = tag
                tag = self._pids[pid]
                if tag is not None:
                    self._sample(pid, tag)
            self._stop.wait(self.interval)


def _proc_cpu_seconds(pid: int) -> float:
    """utime+stime of a process (0 if unreadable)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


# -- measuring -------------------------------------------------------------------------------


def _changes(summary: Any) -> dict[str, int]:
    return {k: v for k, v in op_counts(summary).items() if k not in ("same", "read") and v}


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


class Bench:
    """Drives one benchmark run (sizes x repetitions), collecting raw samples."""

    def __init__(
        self, root: Path, log: Callable[[str], None] = print, skip_checkpoints: bool = False
    ) -> None:
        self.root = root
        self.log = log
        #: Diagnostic: PULUMI_SKIP_CHECKPOINTS=true for both S and F (the engine then writes the
        #: state once at the end instead of after every step; see README "Where the time goes").
        self.skip_checkpoints = skip_checkpoints
        self.engine = Engine(root / "engine", pulumi_bin_dir())
        self.emulator = EmulatorProcess(demo=True)
        self.sampler = ProcessSampler()
        self.load: list[tuple[float, float, float]] = []

    @contextlib.contextmanager
    def running(self) -> Iterator[Bench]:
        self.emulator.start()
        try:
            with self.sampler:
                yield self
        finally:
            problems = self.engine.teardown()
            if problems:
                self.log(f"teardown problems: {problems}")
            self.emulator.stop()
            if self.emulator.control is not None:
                self.emulator.control.close()  # EmulatorProcess.stop() leaves it open

    @property
    def control(self) -> Any:
        assert self.emulator.control is not None
        return self.emulator.control

    def seed_numbers(self, n: int) -> None:
        have = set()
        for acct in self.control.state().get("twilio_accounts", []):
            if acct["account_sid"] == ACCOUNT_SID:
                have = set(acct["numbers"])
        for i in range(n):
            if number_of(i) not in have:
                self.control.twilio_add_number(ACCOUNT_SID, number_of(i))

    def make_stack(self, kind: str, n: int) -> EngineStack:
        program = workload_program(n) if kind == "S" else floor_program(n)
        tag = f"{kind}{n}-{uuid.uuid4().hex[:8]}"
        env = {"CARTESIA_BENCH_TAG": tag}
        if self.skip_checkpoints:
            env["PULUMI_SKIP_CHECKPOINTS"] = "true"
        cfg: dict[str, Any] = {}
        if kind == "S":
            cfg = {
                "config": {"cartesia:baseUrl": self.emulator.url},
                "secrets": {"cartesia:apiKey": DEMO_API_KEY},
            }
        return self.engine.stack(
            program,
            name=f"{kind.lower()}{n}",
            project="cp-bench",
            env=env,
            **cfg,
        )

    def timed(self, handle: EngineStack, op: str) -> dict[str, Any]:
        tag = handle.env["CARTESIA_BENCH_TAG"]
        self.sampler.reset(tag)
        self.control.clear_requests()
        emu_pid = self.emulator._proc.pid if self.emulator._proc is not None else 0
        emu0 = _proc_cpu_seconds(emu_pid)
        ru0 = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter()
        if op == "up":
            summary = handle.up().summary.resource_changes
        elif op == "preview":
            summary = handle.preview().change_summary
        elif op == "refresh":
            summary = handle.refresh().summary.resource_changes
        else:
            summary = handle.destroy().summary.resource_changes
        seconds = time.perf_counter() - t0
        ru1 = resource.getrusage(resource.RUSAGE_SELF)
        emu1 = _proc_cpu_seconds(emu_pid)
        reqs = self.control.requests()
        peak, cpu = self.sampler.collect(tag)
        # "program": this process (inline program + Automation API language host; it also runs
        # the sampler thread, equally for S and F); "emulator": the emulator subprocess.
        cpu["program"] = round(ru1.ru_utime + ru1.ru_stime - ru0.ru_utime - ru0.ru_stime, 3)
        cpu["emulator"] = round(emu1 - emu0, 3)
        return {
            "seconds": seconds,
            "requests": len(reqs),
            "by_method": dict(Counter(r["method"] for r in reqs)),
            "api_ms_total": round(sum(float(r.get("ms") or 0) for r in reqs), 1),
            "changes": _changes(summary),
            "provider_peak_kib": peak,
            "cpu_seconds": cpu,
            "cpu_total": round(sum(cpu.values()), 3),
        }

    def cycle(self, handle: EngineStack, kind: str, n: int, rep: int) -> dict[str, Any]:
        """up, no-change preview, refresh, destroy of one stack; state sizes after up."""
        out: dict[str, Any] = {"ops": {}}
        for op in OPERATIONS:
            out["ops"][op] = self.timed(handle, op)
            if op == "up" and rep == 0:
                out["state"] = state_sizes(handle)
            self.load.append(os.getloadavg())
        summary = ", ".join(f"{op} {out['ops'][op]['seconds']:.2f}s" for op in OPERATIONS)
        self.log(f"  {kind}({n}) rep {rep}: {summary}")
        return out

    def latency_up(self, handle: EngineStack, n: int) -> dict[str, Any]:
        """S up with LATENCY_MS on every API route; destroyed afterwards without latency."""
        self.control.add_fault(kind="latency", latency_ms=LATENCY_MS, route=".*")
        try:
            res = self.timed(handle, "up")
        finally:
            self.control.clear_faults()
        self.timed(handle, "destroy")
        bound = res["requests"] * LATENCY_MS / 1000.0 / DYNAMIC_SERVER_THREADS
        res["bound_seconds"] = bound
        res["ratio"] = res["seconds"] / bound if bound else None
        self.log(
            f"  S({n}) up with {LATENCY_MS} ms latency: {res['seconds']:.2f}s, "
            f"{res['requests']} requests, bound {bound:.2f}s"
        )
        return res


def _median(values: list[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def run_benchmark(
    sizes: list[int],
    repeat: int,
    latency_sizes: list[int] | None = None,
    workdir: Path | None = None,
    log: Callable[[str], None] = print,
    skip_checkpoints: bool = False,
) -> dict[str, Any]:
    """Run the benchmark and return the result document (see README for its shape)."""
    latency_sizes = sorted(sizes) if latency_sizes is None else latency_sizes
    started = time.time()
    load_start = os.getloadavg()
    with contextlib.ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cp-bench-")))
        bench = Bench(workdir, log, skip_checkpoints=skip_checkpoints)
        stack.enter_context(bench.running())
        bench.seed_numbers(max(sizes))
        per_size: dict[str, Any] = {}
        for n in sizes:
            log(f"N={n}")
            handles = {"S": bench.make_stack("S", n), "F": bench.make_stack("F", n)}
            samples: dict[str, list[dict[str, Any]]] = {"S": [], "F": []}
            for rep in range(repeat):
                order = ("S", "F") if rep % 2 == 0 else ("F", "S")
                for kind in order:
                    samples[kind].append(bench.cycle(handles[kind], kind, n, rep))
            latency = bench.latency_up(handles["S"], n) if n in latency_sizes else None
            per_size[str(n)] = summarise_size(n, samples, latency)
        load_end = os.getloadavg()
        loads = [entry[0] for entry in bench.load]
    doc: dict[str, Any] = {
        "meta": {
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
            "elapsed_seconds": round(time.time() - started, 1),
            "sizes": sizes,
            "repeat": repeat,
            "latency_sizes": latency_sizes,
            "latency_ms": LATENCY_MS,
            "skip_checkpoints": skip_checkpoints,
            "engine_parallel": "CLI default",
            "dynamic_server_threads": DYNAMIC_SERVER_THREADS,
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "pulumi_sdk": _pulumi_version(),
            "loadavg_start": list(load_start),
            "loadavg_end": list(load_end),
            "loadavg_1min_during": {
                "min": min(loads) if loads else None,
                "median": _median(loads) if loads else None,
                "max": max(loads) if loads else None,
            },
        },
        "targets": TARGETS,
        "sizes": per_size,
    }
    doc["verdicts"] = verdicts(doc)
    return doc


def _pulumi_version() -> str:
    try:
        from importlib.metadata import version

        return version("pulumi")
    except Exception:
        return "unknown"


def summarise_size(
    n: int, samples: dict[str, list[dict[str, Any]]], latency: dict[str, Any] | None
) -> dict[str, Any]:
    ops: dict[str, Any] = {}
    for op in OPERATIONS:
        s_times = [c["ops"][op]["seconds"] for c in samples["S"]]
        f_times = [c["ops"][op]["seconds"] for c in samples["F"]]
        s_med, f_med = _median(s_times), _median(f_times)
        s_reqs = [c["ops"][op]["requests"] for c in samples["S"]]
        f_reqs = [c["ops"][op]["requests"] for c in samples["F"]]
        exp = expected_requests(op, n)
        ops[op] = {
            "S_seconds": s_med,
            "F_seconds": f_med,
            "ratio": s_med / f_med if f_med else None,
            "S_samples": [round(t, 3) for t in s_times],
            "F_samples": [round(t, 3) for t in f_times],
            "S_cpu_seconds": _median([c["ops"][op]["cpu_total"] for c in samples["S"]]),
            "F_cpu_seconds": _median([c["ops"][op]["cpu_total"] for c in samples["F"]]),
            "S_cpu_by_process": _median_by_key([c["ops"][op]["cpu_seconds"] for c in samples["S"]]),
            "F_cpu_by_process": _median_by_key([c["ops"][op]["cpu_seconds"] for c in samples["F"]]),
            "S_requests": max(s_reqs),
            "S_requests_samples": s_reqs,
            "S_requests_by_method": samples["S"][0]["ops"][op]["by_method"],
            "S_api_ms_total_median": _median([c["ops"][op]["api_ms_total"] for c in samples["S"]]),
            "F_requests": max(f_reqs),
            "requests_expected": exp,
            "requests_ok": all(requests_ok(op, n, r) for r in s_reqs) and max(f_reqs) == 0,
            "S_changes": samples["S"][0]["ops"][op]["changes"],
            "F_changes": samples["F"][0]["ops"][op]["changes"],
            "S_provider_peak_kib": _max_opt(
                c["ops"][op]["provider_peak_kib"] for c in samples["S"]
            ),
            "F_provider_peak_kib": _max_opt(
                c["ops"][op]["provider_peak_kib"] for c in samples["F"]
            ),
        }
    for o in ops.values():
        o["cpu_ratio"] = o["S_cpu_seconds"] / o["F_cpu_seconds"] if o["F_cpu_seconds"] else None
    s_state, f_state = samples["S"][0]["state"], samples["F"][0]["state"]
    state = {
        "S": s_state,
        "F": f_state,
        "dynamic_bytes_ratio": s_state["dynamic_bytes_per_resource"]
        / f_state["dynamic_bytes_per_resource"],
        "file_bytes_ratio": s_state["state_file_bytes"] / max(1, f_state["state_file_bytes"]),
    }
    if latency is not None:
        # Diagnostics: the engine alone (F up) is also a lower bound on any up, so compare
        # with max(bound, F up) too, and show how much of the bound the latency actually added.
        floor = max(latency["bound_seconds"], ops["up"]["F_seconds"])
        latency["ratio_vs_max_bound_floor"] = latency["seconds"] / floor
        latency["added_over_bound"] = (latency["seconds"] - ops["up"]["S_seconds"]) / latency[
            "bound_seconds"
        ]
    return {"n": n, "ops": ops, "state": state, "latency": latency}


def _median_by_key(dicts: list[dict[str, float]]) -> dict[str, float]:
    keys = sorted({k for d in dicts for k in d})
    return {k: round(_median([d.get(k, 0.0) for d in dicts]), 3) for k in keys}


def _max_opt(values: Any) -> int | None:
    vals = [v for v in values if v is not None]
    return max(vals) if vals else None


def verdicts(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Target checks at the largest size (plus growth and latency)."""
    sizes = [int(s) for s in doc["sizes"]]
    big = str(max(sizes))
    res = doc["sizes"][big]
    out: list[dict[str, Any]] = []
    for op in OPERATIONS:
        ratio = res["ops"][op]["ratio"]
        out.append(
            {
                "check": f"{op} S/F at N={big}",
                "value": ratio,
                "target": TARGETS[op],
                "pass": ratio is not None and ratio <= TARGETS[op],
            }
        )
        out.append(
            {
                "check": f"{op} API requests at every N ({expected_requests(op, 1)['rule']})",
                "value": [doc["sizes"][str(n)]["ops"][op]["S_requests"] for n in sizes],
                "target": [expected_requests(op, n)["design"] for n in sizes],
                "pass": all(doc["sizes"][str(n)]["ops"][op]["requests_ok"] for n in sizes),
            }
        )
    ratio = res["state"]["dynamic_bytes_ratio"]
    out.append(
        {
            "check": f"state bytes/resource S/F at N={big}",
            "value": ratio,
            "target": TARGETS["state_bytes_ratio"],
            "pass": ratio <= TARGETS["state_bytes_ratio"],
        }
    )
    if "50" in doc["sizes"] and "200" in doc["sizes"]:
        for op in OPERATIONS:
            growth = (
                doc["sizes"]["200"]["ops"][op]["S_seconds"]
                / doc["sizes"]["50"]["ops"][op]["S_seconds"]
            )
            f_growth = (
                doc["sizes"]["200"]["ops"][op]["F_seconds"]
                / doc["sizes"]["50"]["ops"][op]["F_seconds"]
            )
            out.append(
                {
                    "check": f"{op} growth S T(200)/T(50) (floor F: {f_growth:.2f})",
                    "value": growth,
                    "target": TARGETS["growth_200_over_50"],
                    "pass": growth <= TARGETS["growth_200_over_50"],
                    "floor_value": f_growth,
                }
            )
    lat_sizes = [n for n in sizes if doc["sizes"][str(n)]["latency"]]
    if lat_sizes:
        lat = doc["sizes"][str(max(lat_sizes))]["latency"]
        out.append(
            {
                "check": f"up with {LATENCY_MS} ms latency / (requests x {LATENCY_MS} ms / "
                f"{DYNAMIC_SERVER_THREADS}) at N={max(lat_sizes)}",
                "value": lat["ratio"],
                "target": TARGETS["latency_ratio"],
                "pass": lat["ratio"] is not None and lat["ratio"] <= TARGETS["latency_ratio"],
            }
        )
    return out


# -- rendering -------------------------------------------------------------------------------


def _fmt(v: Any, spec: str = ".2f") -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return format(v, spec)
    return str(v)


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)
    ]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    return "\n".join(lines)


def render(doc: dict[str, Any]) -> str:
    """The human-readable report: timing, requests, state, memory, latency, verdicts."""
    meta = doc["meta"]
    big = max(int(s) for s in doc["sizes"])
    parts = [
        f"cartesia-pulumi benchmark  sizes={meta['sizes']} repeat={meta['repeat']} "
        f"cpus={meta['cpus']} elapsed={meta['elapsed_seconds']}s"
        + (" PULUMI_SKIP_CHECKPOINTS=true (diagnostic)" if meta.get("skip_checkpoints") else ""),
        "load average (1/5/15 min): start {} end {}; 1-min during run min/median/max {}".format(
            "/".join(f"{x:.2f}" for x in meta["loadavg_start"]),
            "/".join(f"{x:.2f}" for x in meta["loadavg_end"]),
            "/".join(_fmt(meta["loadavg_1min_during"][k]) for k in ("min", "median", "max")),
        ),
        "",
        "Wall time (median of repeats; S = Cartesia resources vs emulator, F = Noop floor)",
    ]
    rows = []
    for n_key, res in doc["sizes"].items():
        n = int(n_key)
        for op in OPERATIONS:
            o = res["ops"][op]
            target = TARGETS[op]
            verdict = "-"
            if n == big and o["ratio"] is not None:
                verdict = "pass" if o["ratio"] <= target else "MISS"
            rows.append(
                [
                    op,
                    str(n),
                    _fmt(o["S_seconds"]),
                    _fmt(o["F_seconds"]),
                    _fmt(o["ratio"]),
                    f"<= {target}" if n == big else "(info)",
                    verdict,
                    _fmt(o["S_cpu_seconds"]),
                    _fmt(o["F_cpu_seconds"]),
                    _fmt(o["cpu_ratio"]),
                ]
            )
    parts.append(
        _table(
            [
                "operation",
                "N",
                "S s",
                "F s",
                "S/F",
                "target",
                "verdict",
                "S cpu",
                "F cpu",
                "cpu S/F",
            ],
            rows,
        )
    )
    parts += [
        "",
        "CPU seconds by process (median; cli = pulumi engine, provider = dynamic-provider "
        "process, program = inline program + language host, emulator)",
    ]
    rows = []
    for n_key, res in doc["sizes"].items():
        for op in OPERATIONS:
            o = res["ops"][op]
            row = [op, n_key]
            for side in ("S", "F"):
                by = o[f"{side}_cpu_by_process"]
                row.append(
                    " ".join(
                        f"{k}:{by.get(k, 0.0):.2f}"
                        for k in ("cli", "provider", "program", "emulator")
                    )
                )
            rows.append(row)
    parts.append(_table(["operation", "N", "S", "F"], rows))

    parts += ["", "API requests per operation (S; F always 0)"]
    rows = []
    for n_key, res in doc["sizes"].items():
        for op in OPERATIONS:
            o = res["ops"][op]
            exp = o["requests_expected"]
            methods = " ".join(f"{k}:{v}" for k, v in sorted(o["S_requests_by_method"].items()))
            rows.append(
                [
                    op,
                    n_key,
                    str(o["S_requests"]),
                    str(exp["ideal"]),
                    str(exp["design"]),
                    exp["rule"],
                    methods or "-",
                    "ok" if o["requests_ok"] else "MISS",
                ]
            )
    parts.append(
        _table(
            ["operation", "N", "measured", "ideal", "by design", "rule", "methods", "verdict"],
            rows,
        )
    )

    parts += ["", "State after up (bytes per resource; dynamic = the 2N+1 dynamic resources only)"]
    rows = []
    for n_key, res in doc["sizes"].items():
        st = res["state"]
        verdict = "-"
        if int(n_key) == big:
            verdict = (
                "pass" if st["dynamic_bytes_ratio"] <= TARGETS["state_bytes_ratio"] else "MISS"
            )
        rows.append(
            [
                n_key,
                _fmt(st["S"]["dynamic_bytes_per_resource"], ".0f"),
                _fmt(st["F"]["dynamic_bytes_per_resource"], ".0f"),
                _fmt(st["dynamic_bytes_ratio"]),
                _fmt(st["S"]["state_file_bytes"]),
                _fmt(st["F"]["state_file_bytes"]),
                _fmt(st["S"]["state_file_bytes_per_resource"], ".0f"),
                _fmt(st["F"]["state_file_bytes_per_resource"], ".0f"),
                _fmt(st["file_bytes_ratio"]),
                verdict,
            ]
        )
    parts.append(
        _table(
            [
                "N",
                "S B/res",
                "F B/res",
                "S/F",
                "S file B",
                "F file B",
                "S file B/res",
                "F file B/res",
                "file S/F",
                "verdict (<= 1.5)",
            ],
            rows,
        )
    )

    parts += ["", "Dynamic-provider process peak RSS (VmHWM, MiB; max over repeats)"]
    rows = []
    for n_key, res in doc["sizes"].items():
        row = [n_key]
        for op in OPERATIONS:
            o = res["ops"][op]
            row += [_mib(o["S_provider_peak_kib"]), _mib(o["F_provider_peak_kib"])]
        rows.append(row)
    header = ["N"]
    for op in OPERATIONS:
        header += [f"{op} S", f"{op} F"]
    parts.append(_table(header, rows))

    lat_rows = []
    for n_key, res in doc["sizes"].items():
        lat = res["latency"]
        if not lat:
            continue
        lat_rows.append(
            [
                n_key,
                _fmt(lat["seconds"]),
                str(lat["requests"]),
                _fmt(lat["bound_seconds"]),
                _fmt(lat["ratio"]),
                _fmt(lat["ratio_vs_max_bound_floor"]),
                _fmt(lat["added_over_bound"]),
                f"<= {TARGETS['latency_ratio']}",
                "pass" if lat["ratio"] <= TARGETS["latency_ratio"] else "MISS",
            ]
        )
    if lat_rows:
        parts += [
            "",
            f"S up with {LATENCY_MS} ms latency on every API route vs the bound requests x "
            f"{LATENCY_MS} ms / {DYNAMIC_SERVER_THREADS} (dynamic server threads)",
            _table(
                [
                    "N",
                    "up s",
                    "requests",
                    "bound s",
                    "ratio",
                    "vs max(bound, F up)",
                    "(up - S up)/bound",
                    "target",
                    "verdict",
                ],
                lat_rows,
            ),
        ]

    parts += ["", "Verdicts"]
    rows = [
        [
            v["check"],
            _fmt(v["value"]) if not isinstance(v["value"], list) else str(v["value"]),
            _fmt(v["target"]) if not isinstance(v["target"], list) else str(v["target"]),
            "pass" if v["pass"] else "MISS",
        ]
        for v in doc["verdicts"]
    ]
    parts.append(_table(["check", "value", "target", "verdict"], rows))
    return "\n".join(parts)


def _mib(kib: int | None) -> str:
    return "-" if kib is None else f"{kib / 1024:.1f}"


# -- CLI -------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default=None, help="comma-separated N values (default 10,50,200)")
    p.add_argument("--repeat", type=int, default=None, help="repetitions per size (default 5)")
    p.add_argument(
        "--latency-sizes",
        default=None,
        help="sizes that also run the latency up (default: all; 'none' to skip)",
    )
    p.add_argument("--out", default=str(REPO / "benchmarks" / "results" / "latest.json"))
    p.add_argument(
        "--quick",
        action="store_true",
        help="fast sanity run: sizes 10,50, repeat 1, latency at the smallest size only",
    )
    p.add_argument("--workdir", default=None, help="keep stacks/backends here (default: temp)")
    p.add_argument(
        "--skip-checkpoints",
        action="store_true",
        help="diagnostic: PULUMI_SKIP_CHECKPOINTS=true for S and F (engine writes state once)",
    )
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    default_sizes = "10,50" if args.quick else "10,50,200"
    sizes = [int(s) for s in (args.sizes or default_sizes).split(",") if s.strip()]
    repeat = args.repeat if args.repeat is not None else (1 if args.quick else 5)
    if args.latency_sizes is None:
        latency_sizes = [min(sizes)] if args.quick else list(sizes)
    elif args.latency_sizes.strip().lower() == "none":
        latency_sizes = []
    else:
        latency_sizes = [int(s) for s in args.latency_sizes.split(",") if s.strip()]
    workdir = Path(args.workdir) if args.workdir else None
    if workdir:
        workdir.mkdir(parents=True, exist_ok=True)
    doc = run_benchmark(
        sizes, repeat, latency_sizes, workdir, skip_checkpoints=args.skip_checkpoints
    )
    table = render(doc)
    doc["table"] = table
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=2) + "\n")
    print()
    print(table)
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
