"""From raw cycles to the results document: medians, ratios, request checks and verdicts.

Times are medians over repetitions; request counts are the maximum over repetitions (they are
deterministic, so any spread is itself a finding). The document's shape is described in
``benchmarks/README.md``.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from typing import Any

from benchmarks.scenarios import (
    DYNAMIC_SERVER_THREADS,
    LATENCY_TARGETS,
    OPERATIONS,
    REQUESTS,
    TARGETS,
    requests_as_designed,
    requests_within_limit,
)

Cycle = dict[str, Any]


def median(values: list[float]) -> float:
    """Median, NaN for no values."""
    return float(statistics.median(values)) if values else float("nan")


def _median_by_key(dicts: list[dict[str, float]]) -> dict[str, float]:
    keys = sorted({k for d in dicts for k in d})
    return {k: round(median([d.get(k, 0.0) for d in dicts]), 3) for k in keys}


def _max_opt(values: Iterable[int | None]) -> int | None:
    vals = [v for v in values if v is not None]
    return max(vals) if vals else None


def expected_requests(op: str, n: int) -> dict[str, Any]:
    """The request-table entry of ``op`` at size ``n``, as plain numbers for the JSON."""
    row = REQUESTS[op]
    return {
        "design": row.design_total(n),
        "design_by_method": row.design(n),
        "ideal": row.ideal(n),
        "limit": row.limit(n),
        "design_text": row.design_text,
        "ideal_text": row.ideal_text,
        "limit_text": row.limit_text,
    }


def _requests(op: str, n: int, cycles: list[Cycle]) -> dict[str, Any]:
    ms = [c["ops"][op] for c in cycles]
    counts = [m["requests"] for m in ms]
    return {
        "S_requests": max(counts),
        "S_requests_samples": counts,
        "S_requests_by_method": ms[0]["by_method"],
        "requests_expected": expected_requests(op, n),
        "requests_as_designed": all(requests_as_designed(op, n, m["by_method"]) for m in ms),
        "requests_within_limit": requests_within_limit(op, n, max(counts)),
    }


def summarise_size(n: int, samples: dict[str, list[Cycle]]) -> dict[str, Any]:
    """Loopback results of one size: per operation S vs F, and the state after up."""
    ops: dict[str, Any] = {}
    for op in OPERATIONS:
        s_ms = [c["ops"][op] for c in samples["S"]]
        f_ms = [c["ops"][op] for c in samples["F"]]
        s_med, f_med = median([m["seconds"] for m in s_ms]), median([m["seconds"] for m in f_ms])
        s_cpu, f_cpu = (
            median([m["cpu_total"] for m in s_ms]),
            median([m["cpu_total"] for m in f_ms]),
        )
        f_reqs = max(m["requests"] for m in f_ms)
        req = _requests(op, n, samples["S"])
        ops[op] = {
            "S_seconds": s_med,
            "F_seconds": f_med,
            "ratio": s_med / f_med if f_med else None,
            "S_samples": [round(m["seconds"], 3) for m in s_ms],
            "F_samples": [round(m["seconds"], 3) for m in f_ms],
            "S_cpu_seconds": s_cpu,
            "F_cpu_seconds": f_cpu,
            "cpu_ratio": s_cpu / f_cpu if f_cpu else None,
            "S_cpu_by_process": _median_by_key([m["cpu_seconds"] for m in s_ms]),
            "F_cpu_by_process": _median_by_key([m["cpu_seconds"] for m in f_ms]),
            **req,
            "S_api_ms_total_median": median([m["api_ms_total"] for m in s_ms]),
            "F_requests": f_reqs,
            # Regression check: S exactly as designed, and the floor never calls the API.
            "requests_ok": req["requests_as_designed"] and f_reqs == 0,
            "S_changes": s_ms[0]["changes"],
            "F_changes": f_ms[0]["changes"],
            "S_provider_peak_kib": _max_opt(m["provider_peak_kib"] for m in s_ms),
            "F_provider_peak_kib": _max_opt(m["provider_peak_kib"] for m in f_ms),
        }
    s_state, f_state = samples["S"][0]["state"], samples["F"][0]["state"]
    state = {
        "S": s_state,
        "F": f_state,
        "dynamic_bytes_ratio": s_state["dynamic_bytes_per_resource"]
        / f_state["dynamic_bytes_per_resource"],
        "file_bytes_ratio": s_state["state_file_bytes"] / max(1, f_state["state_file_bytes"]),
    }
    return {"n": n, "ops": ops, "state": state}


def summarise_latency_point(
    n: int, rtt_ms: int, s_cycles: list[Cycle], f_cycles: list[Cycle]
) -> dict[str, Any]:
    """One (N, RTT) point: per operation S time, requests, and the ratios to the bound.

    The bound of an operation is ``F time + ideal requests x RTT / threads``: the engine's own
    cost plus the least waiting any provider behind Pulumi's 4-thread server must do.
    """
    rtt = rtt_ms / 1000.0
    ops: dict[str, Any] = {}
    for op in OPERATIONS:
        s_ms = [c["ops"][op] for c in s_cycles]
        s_med = median([m["seconds"] for m in s_ms])
        f_times = [c["ops"][op]["seconds"] for c in f_cycles]
        f_med = median(f_times)
        req = _requests(op, n, s_cycles)
        bound = f_med + req["requests_expected"]["ideal"] * rtt / DYNAMIC_SERVER_THREADS
        ops[op] = {
            "S_seconds": s_med,
            "S_samples": [round(m["seconds"], 3) for m in s_ms],
            "F_seconds": f_med,
            "F_samples": [round(t, 3) for t in f_times],
            "bound_seconds": bound,
            "vs_bound": s_med / bound if bound else None,
            "vs_floor": s_med / f_med if f_med else None,
            # Waiting the requests actually made would cost at least, for comparison.
            "requests_wait_seconds": req["S_requests"] * rtt / DYNAMIC_SERVER_THREADS,
            **req,
            "S_changes": s_ms[0]["changes"],
        }
    return {"n": n, "rtt_ms": rtt_ms, "repeat": len(s_cycles), "ops": ops}


def summarise_latency(raw: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """``{str(n): {"F_cycles": k, "rtt": {str(rtt): point}}}`` for the results document."""
    out: dict[str, Any] = {}
    for n, entry in raw.items():
        out[str(n)] = {
            "F_cycles": len(entry["F"]),
            "rtt": {
                str(rtt): summarise_latency_point(n, rtt, cycles, entry["F"])
                for rtt, cycles in entry["S"].items()
            },
        }
    return out


def _check(check: str, value: Any, target: Any, passed: bool, **extra: Any) -> dict[str, Any]:
    return {"check": check, "value": value, "target": target, "pass": bool(passed), **extra}


def loopback_verdicts(sizes_doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Loopback target checks: ratios at the largest size, requests at every size, growth."""
    sizes = sorted(int(s) for s in sizes_doc)
    if not sizes:
        return []
    big = str(max(sizes))
    res = sizes_doc[big]
    out: list[dict[str, Any]] = []
    for op in OPERATIONS:
        ratio = res["ops"][op]["ratio"]
        out.append(
            _check(
                f"{op} S/F at N={big}",
                ratio,
                TARGETS[op],
                ratio is not None and ratio <= TARGETS[op],
            )
        )
        out.append(
            _check(
                f"{op} API requests as designed ({REQUESTS[op].design_text}) at every N",
                [sizes_doc[str(n)]["ops"][op]["S_requests"] for n in sizes],
                [REQUESTS[op].design_total(n) for n in sizes],
                all(sizes_doc[str(n)]["ops"][op]["requests_ok"] for n in sizes),
            )
        )
    ratio = res["state"]["dynamic_bytes_ratio"]
    out.append(
        _check(
            f"state bytes/resource S/F at N={big}",
            ratio,
            TARGETS["state_bytes_ratio"],
            ratio <= TARGETS["state_bytes_ratio"],
        )
    )
    if "50" in sizes_doc and "200" in sizes_doc:
        for op in OPERATIONS:
            big_op, small_op = sizes_doc["200"]["ops"][op], sizes_doc["50"]["ops"][op]
            growth = big_op["S_seconds"] / small_op["S_seconds"]
            f_growth = big_op["F_seconds"] / small_op["F_seconds"]
            out.append(
                _check(
                    f"{op} growth S T(200)/T(50) (floor F: {f_growth:.2f})",
                    growth,
                    TARGETS["growth_200_over_50"],
                    growth <= TARGETS["growth_200_over_50"],
                    floor_value=f_growth,
                )
            )
    return out


def latency_target_point(latency_doc: dict[str, Any]) -> tuple[str, str] | None:
    """(N, RTT) keys where the latency targets are checked: the largest of each measured."""
    if not latency_doc:
        return None
    n = str(max(int(k) for k in latency_doc))
    rtts = latency_doc[n]["rtt"]
    return (n, str(max(int(r) for r in rtts))) if rtts else None


def latency_verdicts(latency_doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Issue-15 targets at the largest latency point: time ratios and request limits."""
    point = latency_target_point(latency_doc)
    if point is None:
        return []
    n, rtt = point
    ops = latency_doc[n]["rtt"][rtt]["ops"]
    where = f"N={n}, +{rtt} ms"
    out: list[dict[str, Any]] = []
    for op in OPERATIONS:
        if op in LATENCY_TARGETS:
            key, target = LATENCY_TARGETS[op]
            value = ops[op][key]
            what = "(F + ideal x RTT/4)" if key == "vs_bound" else "F"
            out.append(
                _check(
                    f"{op} time / {what} at {where}",
                    value,
                    target,
                    value is not None and value <= target,
                )
            )
        exp = ops[op]["requests_expected"]
        out.append(
            _check(
                f"{op} API requests {exp['limit_text']} at {where}",
                ops[op]["S_requests"],
                exp["limit"],
                ops[op]["requests_within_limit"],
            )
        )
    return out
