"""Smoke run of the dynamic-vs-plugin benchmark (benchmarks/native.py): N=3, +20 ms, two engine
configurations (the default --parallel, and --parallel 64 without checkpoints).

Checks what does not depend on the machine: the document's and table's structure, the exact API
request counts per operation for both adapters (the scenario table `REQUESTS`, by HTTP method —
one core, so the same counts), that the floor never calls the API and every stack makes the same
changes, and that the ratios and bounds follow from the measured numbers. No wall-clock
threshold: times are only checked for being measured (positive).
"""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks import native
from benchmarks.scenarios import DYNAMIC_SERVER_THREADS, OPERATIONS, REQUESTS
from tests.bench.bench_support import expected_changes, run_benchmark

pytestmark = [pytest.mark.engine, pytest.mark.slow]

N = 3
RTT_MS = 20
CONFIGS = ("default", "p64-skip")


@pytest.fixture(scope="module")
def doc(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("native-bench") / "native.json"
    args = [
        "--n", str(N),
        "--latency-ms", str(RTT_MS),
        "--configs", ",".join(CONFIGS),
    ]  # fmt: skip
    return run_benchmark(native.main, out, args)


def test_document_has_every_section(doc: dict[str, Any]) -> None:
    meta = doc["meta"]
    assert meta["n"] == N and meta["latency_ms"] == RTT_MS and meta["repeat"] == 1
    assert list(meta["configs"]) == list(CONFIGS)
    assert meta["configs"]["default"]["parallel"] is None
    assert meta["configs"]["p64-skip"] == {
        "parallel": 64,
        "skip_checkpoints": True,
        "label": "-p 64, PULUMI_SKIP_CHECKPOINTS",
    }
    assert len(meta["loadavg_start"]) == 3 and len(meta["loadavg_end"]) == 3
    assert set(doc["configs"]) == set(CONFIGS)
    for ops in doc["configs"].values():
        assert list(ops) == list(OPERATIONS)
        for o in ops.values():
            for kind in native.KINDS:
                assert o[kind]["seconds"] > 0 and len(o[kind]["samples"]) == 1
                assert o[kind]["cpu_seconds"] > 0


@pytest.mark.parametrize("config", CONFIGS)
@pytest.mark.parametrize("op", OPERATIONS)
def test_requests_equal_scenario_table_for_both_adapters(
    doc: dict[str, Any], config: str, op: str
) -> None:
    o = doc["configs"][config][op]
    for kind in ("dynamic", "native"):
        assert o[kind]["by_method"] == REQUESTS[op].design(N), kind
        assert o[kind]["requests"] == REQUESTS[op].design_total(N), kind
        assert o[kind]["changes"] == expected_changes(op, N), kind
    assert o["same_requests"] is True
    assert o["floor"]["requests"] == 0 and o["floor"]["by_method"] == {}
    assert o["floor"]["changes"] == expected_changes(op, N)


@pytest.mark.parametrize("config", CONFIGS)
@pytest.mark.parametrize("op", OPERATIONS)
def test_ratios_and_bounds_follow_from_measured_numbers(
    doc: dict[str, Any], config: str, op: str
) -> None:
    o = doc["configs"][config][op]
    rtt = RTT_MS / 1000
    p = doc["meta"]["configs"][config]["parallel"] or doc["meta"]["default_parallel"]
    floor = o["floor"]["seconds"]
    dyn, nat = o["dynamic"]["seconds"], o["native"]["seconds"]
    assert o["ratio_dynamic_native"] == pytest.approx(dyn / nat)
    assert o["dynamic_bound_seconds"] == pytest.approx(
        floor + o["dynamic"]["requests"] * rtt / DYNAMIC_SERVER_THREADS
    )
    levels = native.CRITICAL_PATH[op]
    assert o["native_bound_seconds"] == pytest.approx(
        floor + max(levels * rtt, o["native"]["requests"] * rtt / p)
    )
    assert o["dynamic_vs_bound"] == pytest.approx(dyn / o["dynamic_bound_seconds"])
    assert o["native_vs_bound"] == pytest.approx(nat / o["native_bound_seconds"])
    assert o["native_vs_floor"] == pytest.approx(nat / floor)


def test_table_names_every_config_and_operation(doc: dict[str, Any]) -> None:
    table = doc["table"]
    assert table == native.render(doc)
    assert f"S({N}) = 1 TwilioProvider" in table and f"+{RTT_MS} ms" in table
    assert "load average start" in table
    for config in CONFIGS:
        assert doc["meta"]["configs"][config]["label"] in table
    for op in OPERATIONS:
        assert table.count(f"\n{op} ") == len(CONFIGS), op
