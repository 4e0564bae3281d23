"""Smoke run of the benchmark (benchmarks/run.py): N=3, one repetition, loopback and +20 ms.

Checks what does not depend on the machine: the JSON and table structure, the exact API request
counts per operation from the scenario table (`benchmarks/scenarios.py` REQUESTS, by HTTP
method), that the floor never calls the API and makes the same changes, and that the verdicts
and ratios are computed from the measured numbers. No wall-clock threshold: times are only
checked for being measured (positive).
"""

from __future__ import annotations

import math
import statistics
from pathlib import Path
from typing import Any

import pytest

from benchmarks import run as bench
from benchmarks.render import render
from benchmarks.scenarios import DYNAMIC_SERVER_THREADS, OPERATIONS, REQUESTS
from tests.bench.bench_support import expected_changes, run_benchmark

pytestmark = [pytest.mark.engine, pytest.mark.slow]

N = 3
RTT_MS = 20


@pytest.fixture(scope="module")
def doc(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("bench") / "result.json"
    args = [
        "--sizes", str(N),
        "--repeat", "1",
        "--latency-sizes", str(N),
        "--latency-ms", str(RTT_MS),
    ]  # fmt: skip
    return run_benchmark(bench.main, out, args)


def test_run_json_has_every_section(doc: dict[str, Any]) -> None:
    assert set(doc) >= {"meta", "targets", "latency_targets", "requests_table", "sizes"}
    assert set(doc) >= {"latency", "verdicts", "table"}
    meta = doc["meta"]
    assert meta["sizes"] == [N] and meta["repeat"] == 1
    assert meta["latency_sizes"] == [N] and meta["latency_ms"] == [RTT_MS]
    assert len(meta["loadavg_start"]) == 3 and len(meta["loadavg_end"]) == 3
    assert set(doc["requests_table"]) == set(OPERATIONS)
    size = doc["sizes"][str(N)]
    assert size["n"] == N
    for op in OPERATIONS:
        o = size["ops"][op]
        assert o["S_seconds"] > 0 and o["F_seconds"] > 0 and o["ratio"] > 0
        assert len(o["S_samples"]) == len(o["F_samples"]) == 1
        assert o["S_cpu_seconds"] > 0 and o["F_cpu_seconds"] > 0
        for side in ("S", "F"):
            assert set(o[f"{side}_cpu_by_process"]) == {"cli", "provider", "program", "emulator"}
            assert o[f"{side}_cpu_by_process"]["cli"] > 0
            assert o[f"{side}_cpu_by_process"]["provider"] > 0
    for kind in ("S", "F"):
        assert size["state"][kind]["dynamic_resources"] == 2 * N + 1
        assert size["state"][kind]["state_file_bytes"] > 0
    assert size["state"]["dynamic_bytes_ratio"] > 0


def test_run_table_has_every_section(doc: dict[str, Any]) -> None:
    table = doc["table"]
    for heading in (
        "load average",
        "Wall time, loopback",
        "CPU seconds by process",
        "API requests per operation",
        "State after up",
        "peak RSS",
        "With added latency on every API route",
        "Verdicts",
    ):
        assert heading in table, heading
    for op in OPERATIONS:
        assert f"\n{op} " in table


@pytest.mark.parametrize("op", OPERATIONS)
def test_loopback_requests_equal_scenario_table(doc: dict[str, Any], op: str) -> None:
    o = doc["sizes"][str(N)]["ops"][op]
    assert o["S_requests_by_method"] == REQUESTS[op].design(N)
    assert o["S_requests"] == REQUESTS[op].design_total(N)
    assert o["requests_ok"] is True and o["requests_as_designed"] is True
    assert o["F_requests"] == 0
    assert o["S_changes"] == o["F_changes"] == expected_changes(op, N)


@pytest.mark.parametrize("op", OPERATIONS)
def test_latency_requests_equal_scenario_table(doc: dict[str, Any], op: str) -> None:
    point = doc["latency"][str(N)]["rtt"][str(RTT_MS)]
    o = point["ops"][op]
    assert o["S_requests_by_method"] == REQUESTS[op].design(N)
    assert o["S_changes"] == expected_changes(op, N)


@pytest.mark.parametrize("op", OPERATIONS)
def test_latency_ratios_follow_from_measured_times(doc: dict[str, Any], op: str) -> None:
    entry = doc["latency"][str(N)]
    assert entry["F_cycles"] == 2  # the loopback floor cycle and one next to the latency cycle
    o = entry["rtt"][str(RTT_MS)]["ops"][op]
    assert o["F_samples"][0] == doc["sizes"][str(N)]["ops"][op]["F_samples"][0]
    assert o["F_seconds"] == pytest.approx(statistics.median(o["F_samples"]), abs=1e-3)
    ideal = REQUESTS[op].ideal(N)
    assert o["requests_expected"]["ideal"] == ideal
    assert o["bound_seconds"] == pytest.approx(
        o["F_seconds"] + ideal * RTT_MS / 1000 / DYNAMIC_SERVER_THREADS
    )
    assert o["vs_bound"] == pytest.approx(o["S_seconds"] / o["bound_seconds"])
    assert o["vs_floor"] == pytest.approx(o["S_seconds"] / o["F_seconds"])
    assert o["requests_within_limit"] is (o["S_requests"] <= REQUESTS[op].limit(N))


def test_verdicts_match_their_values(doc: dict[str, Any]) -> None:
    checks = {v["check"]: v for v in doc["verdicts"]}
    assert any(c.startswith("up S/F at N=3") for c in checks)
    latency = [v for c, v in checks.items() if f"N={N}, +{RTT_MS} ms" in c]
    # Per operation a request limit, plus a time target for up, refresh and destroy.
    assert len(latency) == len(OPERATIONS) + 3
    for v in doc["verdicts"]:
        assert isinstance(v["pass"], bool)
        if isinstance(v["value"], (int, float)) and isinstance(v["target"], (int, float)):
            assert not math.isnan(v["value"])
            assert v["pass"] is (v["value"] <= v["target"]), v["check"]


def test_provider_memory_sampled(doc: dict[str, Any]) -> None:
    peak = doc["sizes"][str(N)]["ops"]["up"]["S_provider_peak_kib"]
    assert peak is not None and 10_000 < peak < 2_000_000


def test_render_saved_json_gives_same_table(doc: dict[str, Any]) -> None:
    assert render(doc) == doc["table"]
    assert Path(bench.__file__).name == "run.py"
