"""The benchmark's tables and arithmetic without the engine: scenario table, ratios, verdicts.

Synthetic cycles with chosen numbers stand in for measurements, so every ratio and verdict has
one right answer.
"""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.measure import ProcessSampler, process_kind
from benchmarks.render import render, table
from benchmarks.scenarios import (
    OPERATIONS,
    REQUESTS,
    requests_as_designed,
    requests_within_limit,
)
from benchmarks.summary import (
    latency_verdicts,
    loopback_verdicts,
    summarise_latency,
    summarise_size,
)


def _measurement(seconds: float, by_method: dict[str, int]) -> dict[str, Any]:
    return {
        "seconds": seconds,
        "requests": sum(by_method.values()),
        "by_method": by_method,
        "api_ms_total": 1.0,
        "changes": {},
        "provider_peak_kib": 50_000,
        "cpu_seconds": {"cli": 1.0, "provider": 0.5, "program": 0.1, "emulator": 0.0},
        "cpu_total": 1.6,
    }


def _cycle(n: int, seconds: float, floor: bool = False) -> dict[str, Any]:
    ops = {op: _measurement(seconds, {} if floor else REQUESTS[op].design(n)) for op in OPERATIONS}
    state = {
        "resources": 2 * n + 2,
        "dynamic_resources": 2 * n + 1,
        "deployment_bytes": 1000,
        "deployment_bytes_per_resource": 100.0,
        "dynamic_bytes_per_resource": 120.0 if not floor else 100.0,
        "state_file_bytes": 1200,
        "state_file_bytes_per_resource": 110.0,
    }
    return {"ops": ops, "state": state}


def test_requests_table_at_200_gives_target_counts() -> None:
    assert REQUESTS["up"].design_total(200) == 403
    assert REQUESTS["up"].ideal(200) == 401 and REQUESTS["up"].limit(200) == 401
    assert REQUESTS["destroy"].design_total(200) == 403
    assert REQUESTS["destroy"].limit(200) == 401
    assert REQUESTS["refresh"].design_total(200) == 3
    assert REQUESTS["refresh"].ideal(200) == 3 and REQUESTS["refresh"].limit(200) == 5
    assert REQUESTS["refresh"].limit(201) == 6  # a third list page
    assert REQUESTS["preview"].design_total(200) == REQUESTS["preview"].limit(200) == 0


def test_requests_as_designed_compares_by_method() -> None:
    assert requests_as_designed("up", 2, {"POST": 3, "GET": 2, "PATCH": 2})
    assert not requests_as_designed("up", 2, {"POST": 3, "GET": 1, "PATCH": 3})
    assert not requests_as_designed("up", 2, {"POST": 3, "GET": 2, "PATCH": 2, "DELETE": 1})
    assert requests_as_designed("preview", 2, {})
    assert requests_within_limit("refresh", 10, 4) and not requests_within_limit("refresh", 10, 5)


@pytest.mark.parametrize(
    ("cmdline", "kind"),
    [
        (["/c/bin/pulumi", "up", "--yes"], "cli"),
        (["/v/bin/python", "-u", "-m", "pulumi.dynamic", "127.0.0.1:1"], "provider"),
        (["/bin/sh", "/c/bin/pulumi-resource-pulumi-python", "127.0.0.1:1"], "provider"),
        (["/v/bin/python", "-m", "cartesia_pulumi.emulator"], "other"),
        ([], "other"),
    ],
)
def test_process_kind_from_cmdline(cmdline: list[str], kind: str) -> None:
    assert process_kind(cmdline) == kind


def test_sampler_provider_memory_counts_only_after_exec() -> None:
    sampler = ProcessSampler()
    # Before exec, the CLI's child still shows the CLI's command line and memory.
    sampler.record(7, "cli", 0.0, 100 * 1024 * 1024)
    sampler.record(7, "provider", 0.2, 40 * 1024 * 1024)
    sampler.record(7, "provider", 0.5, 30 * 1024 * 1024)
    sampler.record(8, "cli", 1.5, 90 * 1024 * 1024)
    peak_kib, cpu = sampler.collect()
    assert peak_kib == 40 * 1024
    assert cpu == {"provider": 0.5, "cli": 1.5}


def test_summarise_size_ratios_and_request_checks() -> None:
    res = summarise_size(4, {"S": [_cycle(4, 3.0)], "F": [_cycle(4, 2.0, floor=True)]})
    up = res["ops"]["up"]
    assert up["ratio"] == pytest.approx(1.5)
    assert up["S_requests"] == 11 and up["requests_ok"] and not up["requests_within_limit"]
    assert res["state"]["dynamic_bytes_ratio"] == pytest.approx(1.2)
    checks = {v["check"]: v["pass"] for v in loopback_verdicts({"4": res})}
    assert checks["up S/F at N=4"] is False  # 1.5 > 1.25
    assert checks["up API requests as designed (2N+3) at every N"] is True
    assert checks["state bytes/resource S/F at N=4"] is True


def test_summarise_latency_bound_is_floor_plus_ideal_wait() -> None:
    n, rtt = 200, 150
    raw: dict[int, dict[str, Any]] = {
        n: {
            "F": [_cycle(n, 9.0, floor=True), _cycle(n, 11.0, floor=True)],
            "S": {rtt: [_cycle(n, 23.0)]},
        }
    }
    doc = summarise_latency(raw)
    assert doc["200"]["F_cycles"] == 2
    up = doc["200"]["rtt"]["150"]["ops"]["up"]
    # 401 ideal requests x 0.15 s / 4 threads = 15.0375 s on top of the floor's median 10 s.
    assert up["F_seconds"] == pytest.approx(10.0)
    assert up["bound_seconds"] == pytest.approx(25.0375)
    assert up["vs_bound"] == pytest.approx(23.0 / 25.0375)
    assert up["vs_floor"] == pytest.approx(2.3)
    verdicts = {v["check"]: v for v in latency_verdicts(doc)}
    assert verdicts["up time / (F + ideal x RTT/4) at N=200, +150 ms"]["pass"] is True
    assert verdicts["refresh time / F at N=200, +150 ms"]["pass"] is False  # 2.3 > 1.3
    assert verdicts["up API requests <= 2N+1 at N=200, +150 ms"]["value"] == 403
    assert verdicts["preview API requests == 0 at N=200, +150 ms"]["pass"] is True


def test_render_marks_latency_targets_only_at_largest_point() -> None:
    raw: dict[int, dict[str, Any]] = {}
    for n in (10, 200):
        raw[n] = {"F": [_cycle(n, 5.0, floor=True)], "S": {}}
        raw[n]["S"] = {rtt: [_cycle(n, 6.0)] for rtt in (50, 150)}
    latency = summarise_latency(raw)
    doc = {
        "meta": {
            "sizes": [],
            "repeat": 1,
            "latency_ms": [50, 150],
            "latency_sizes": [10, 200],
            "cpus": 2,
            "elapsed_seconds": 1.0,
            "loadavg_start": [0.0, 0.0, 0.0],
            "loadavg_end": [0.0, 0.0, 0.0],
            "loadavg_1min_during": {"min": 0.0, "median": 0.0, "max": 0.0},
        },
        "sizes": {},
        "latency": latency,
        "verdicts": latency_verdicts(latency),
    }
    text = render(doc).split("\nVerdicts\n")[0]
    rows = [line.split() for line in text.splitlines() if line.startswith("up ")]
    assert [r[1:3] for r in rows] == [["10", "50"], ["10", "150"], ["200", "50"], ["200", "150"]]
    assert [("pass" in r or "MISS" in r) for r in rows] == [False, False, False, True]


def test_table_aligns_columns() -> None:
    assert table(["a", "bb"], [["xxx", "y"]]) == "a    bb\n---  --\nxxx  y"
