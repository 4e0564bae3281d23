"""Smoke run of the benchmark (benchmarks/run.py) with N=3 and one repetition.

Checks the table and JSON structure and the invariants that do not depend on timing noise: the
API request counts per operation (a no-change preview makes none, up makes exactly the designed
number, refresh at most one per resource) and that the floor never calls the API. Timings and
ratios are only checked for being present and positive.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from benchmarks import run as bench

pytestmark = [pytest.mark.engine, pytest.mark.slow]

N = 3


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str, float]:
    out = tmp_path_factory.mktemp("bench") / "result.json"
    start = time.monotonic()
    code = bench.main(
        [
            "--sizes",
            str(N),
            "--repeat",
            "1",
            "--latency-sizes",
            str(N),
            "--out",
            str(out),
            "--workdir",
            str(out.parent / "work"),
        ]
    )
    elapsed = time.monotonic() - start
    assert code == 0
    doc = json.loads(out.read_text())
    return doc, doc["table"], elapsed


def test_json_structure(result: tuple[dict, str, float]) -> None:
    doc, _, _ = result
    assert set(doc) >= {"meta", "targets", "sizes", "verdicts", "table"}
    meta = doc["meta"]
    assert meta["sizes"] == [N] and meta["repeat"] == 1
    assert len(meta["loadavg_start"]) == 3 and len(meta["loadavg_end"]) == 3
    size = doc["sizes"][str(N)]
    assert size["n"] == N
    for op in bench.OPERATIONS:
        o = size["ops"][op]
        assert o["S_seconds"] > 0 and o["F_seconds"] > 0 and o["ratio"] > 0
        assert len(o["S_samples"]) == len(o["F_samples"]) == 1
        assert o["S_cpu_seconds"] > 0 and o["F_cpu_seconds"] > 0
        assert "cli" in o["S_cpu_by_process"] and "cli" in o["F_cpu_by_process"]
    state = size["state"]
    for kind in ("S", "F"):
        assert state[kind]["dynamic_resources"] == 2 * N + 1
        assert state[kind]["dynamic_bytes_per_resource"] > 0
        assert state[kind]["state_file_bytes"] > 0
    assert state["dynamic_bytes_ratio"] > 0
    lat = size["latency"]
    assert lat["requests"] == 3 * N + 1
    assert lat["bound_seconds"] == pytest.approx((3 * N + 1) * 0.05 / 4)
    assert lat["seconds"] > lat["bound_seconds"] / 4  # sanity, not a target
    checks = [v["check"] for v in doc["verdicts"]]
    assert any(c.startswith("up S/F") for c in checks)
    assert any("latency" in c for c in checks)
    assert all(isinstance(v["pass"], bool) for v in doc["verdicts"])


def test_table_sections(result: tuple[dict, str, float]) -> None:
    _, table, _ = result
    for heading in (
        "Wall time",
        "CPU seconds by process",
        "API requests per operation",
        "State after up",
        "peak RSS",
        "ms latency",
        "Verdicts",
        "load average",
    ):
        assert heading in table, heading
    for op in bench.OPERATIONS:
        assert f"\n{op} " in table


def test_request_invariants(result: tuple[dict, str, float]) -> None:
    ops = result[0]["sizes"][str(N)]["ops"]
    # A no-change preview never calls the API.
    assert ops["preview"]["S_requests"] == 0
    assert ops["preview"]["S_changes"] == {}
    # up: provider POST + N number POSTs + N assignment GET+PATCH (no extra reads).
    assert ops["up"]["S_requests"] == 3 * N + 1
    assert ops["up"]["S_requests_by_method"] == {"POST": N + 1, "GET": N, "PATCH": N}
    assert ops["up"]["S_changes"] == {"create": 2 * N + 2}  # + the stack
    # refresh: at most one read per resource.
    assert ops["refresh"]["S_requests"] <= 2 * N + 1
    assert set(ops["refresh"]["S_requests_by_method"]) <= {"GET"}
    # destroy: as designed (GET before each unassign PATCH; numbers are DELETEd directly),
    # and everything deleted.
    assert ops["destroy"]["S_requests"] == 3 * N + 1
    assert ops["destroy"]["S_requests_by_method"] == {"GET": N, "PATCH": N, "DELETE": N + 1}
    assert ops["destroy"]["S_changes"] == {"delete": 2 * N + 2}
    # The floor never calls the API and mirrors S's changes.
    for op in bench.OPERATIONS:
        assert ops[op]["F_requests"] == 0, op
        assert ops[op]["F_changes"] == ops[op]["S_changes"], op
        assert ops[op]["requests_ok"], op


def test_provider_memory_sampled(result: tuple[dict, str, float]) -> None:
    ops = result[0]["sizes"][str(N)]["ops"]
    peak = ops["up"]["S_provider_peak_kib"]
    assert peak is not None and 10_000 < peak < 2_000_000


def test_runs_quickly(result: tuple[dict, str, float]) -> None:
    # Generous: the budget is 60 s on an idle 2-core machine; CI machines may be shared.
    assert result[2] < 120, f"smoke benchmark took {result[2]:.0f} s"


def test_expected_requests_table() -> None:
    assert bench.expected_requests("up", 200) == {
        "ideal": 401,
        "design": 601,
        "rule": "== design",
    }
    assert bench.requests_ok("refresh", 10, 21) and not bench.requests_ok("refresh", 10, 22)
    assert bench.requests_ok("preview", 10, 0) and not bench.requests_ok("preview", 10, 1)


def test_render_is_stable_for_saved_json(result: tuple[dict, str, float]) -> None:
    doc, table, _ = result
    assert bench.render(doc) == table
    assert Path(bench.__file__).name == "run.py"
