"""The human-readable report of a results document: plain-text tables, nothing measured here.

``render(doc)`` depends only on the document, so a saved ``latest.json`` renders to the same
text (the smoke test checks it).
"""

from __future__ import annotations

from typing import Any

from benchmarks.scenarios import (
    DYNAMIC_SERVER_THREADS,
    LATENCY_TARGETS,
    OPERATIONS,
    REQUESTS,
    TARGETS,
)
from benchmarks.summary import latency_target_point


def _fmt(v: Any, spec: str = ".2f") -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return format(v, spec)
    return str(v)


def _mib(kib: int | None) -> str:
    return "-" if kib is None else f"{kib / 1024:.1f}"


def _verdict(passed: bool) -> str:
    return "pass" if passed else "MISS"


def table(header: list[str], rows: list[list[str]]) -> str:
    """Left-aligned columns separated by two spaces, with a dashed rule under the header."""
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(line.rstrip() for line in lines)


def _header(meta: dict[str, Any]) -> list[str]:
    during = meta["loadavg_1min_during"]
    return [
        f"cartesia-pulumi benchmark  sizes={meta['sizes']} repeat={meta['repeat']} "
        f"latency_ms={meta['latency_ms']} latency_sizes={meta['latency_sizes']} "
        f"cpus={meta['cpus']} elapsed={meta['elapsed_seconds']}s"
        + (" PULUMI_SKIP_CHECKPOINTS=true (diagnostic)" if meta.get("skip_checkpoints") else ""),
        "load average (1/5/15 min): start {} end {}; 1-min during run min/median/max {}".format(
            "/".join(f"{x:.2f}" for x in meta["loadavg_start"]),
            "/".join(f"{x:.2f}" for x in meta["loadavg_end"]),
            "/".join(_fmt(during[k]) for k in ("min", "median", "max")),
        ),
    ]


def _wall_time(sizes: dict[str, Any]) -> list[str]:
    big = max(int(s) for s in sizes)
    rows = []
    for n_key, res in sizes.items():
        at_big = int(n_key) == big
        for op in OPERATIONS:
            o = res["ops"][op]
            verdict = "-"
            if at_big and o["ratio"] is not None:
                verdict = _verdict(o["ratio"] <= TARGETS[op])
            rows.append(
                [
                    op,
                    n_key,
                    _fmt(o["S_seconds"]),
                    _fmt(o["F_seconds"]),
                    _fmt(o["ratio"]),
                    f"<= {TARGETS[op]}" if at_big else "(info)",
                    verdict,
                    _fmt(o["S_cpu_seconds"]),
                    _fmt(o["F_cpu_seconds"]),
                    _fmt(o["cpu_ratio"]),
                ]
            )
    header = [
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
    ]
    return [
        "Wall time, loopback (median of repeats; S = Cartesia resources vs emulator, "
        "F = no-op floor)",
        table(header, rows),
    ]


def _cpu_by_process(sizes: dict[str, Any]) -> list[str]:
    rows = []
    for n_key, res in sizes.items():
        for op in OPERATIONS:
            row = [op, n_key]
            for side in ("S", "F"):
                by = res["ops"][op][f"{side}_cpu_by_process"]
                kinds = ("cli", "provider", "program", "emulator")
                row.append(" ".join(f"{k}:{by.get(k, 0.0):.2f}" for k in kinds))
            rows.append(row)
    return [
        "CPU seconds by process (median; cli = pulumi engine, provider = dynamic-provider "
        "process, program = inline program + language host, emulator)",
        table(["operation", "N", "S", "F"], rows),
    ]


def _requests(sizes: dict[str, Any]) -> list[str]:
    rows = []
    for n_key, res in sizes.items():
        for op in OPERATIONS:
            o = res["ops"][op]
            exp = o["requests_expected"]
            methods = " ".join(f"{k}:{v}" for k, v in sorted(o["S_requests_by_method"].items()))
            rows.append(
                [
                    op,
                    n_key,
                    str(o["S_requests"]),
                    f"{exp['design']} ({exp['design_text']})",
                    "ok" if o["requests_ok"] else "MISS",
                    methods or "-",
                    str(exp["ideal"]),
                    f"{exp['limit']} ({exp['limit_text']})",
                    _verdict(o["requests_within_limit"]),
                ]
            )
    header = [
        "operation",
        "N",
        "measured",
        "design",
        "as designed",
        "methods",
        "ideal",
        "target",
        "verdict",
    ]
    why = [f"  {op}: {REQUESTS[op].why}" for op in OPERATIONS]
    return [
        "API requests per operation, loopback (S; F always 0). design = what the resources "
        "do today (checked exactly); target = the goal for the resources",
        table(header, rows),
        *why,
    ]


def _state(sizes: dict[str, Any]) -> list[str]:
    big = max(int(s) for s in sizes)
    rows = []
    for n_key, res in sizes.items():
        st = res["state"]
        verdict = "-"
        if int(n_key) == big:
            verdict = _verdict(st["dynamic_bytes_ratio"] <= TARGETS["state_bytes_ratio"])
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
    header = [
        "N",
        "S B/res",
        "F B/res",
        "S/F",
        "S file B",
        "F file B",
        "S file B/res",
        "F file B/res",
        "file S/F",
        f"verdict (<= {TARGETS['state_bytes_ratio']})",
    ]
    return [
        "State after up (bytes per resource; dynamic = the 2N+1 dynamic resources only)",
        table(header, rows),
    ]


def _memory(sizes: dict[str, Any]) -> list[str]:
    rows = []
    for n_key, res in sizes.items():
        row = [n_key]
        for op in OPERATIONS:
            o = res["ops"][op]
            row += [_mib(o["S_provider_peak_kib"]), _mib(o["F_provider_peak_kib"])]
        rows.append(row)
    header = ["N"] + [f"{op} {side}" for op in OPERATIONS for side in ("S", "F")]
    return [
        "Dynamic-provider process peak RSS (largest 50 ms sample, MiB; max over repeats)",
        table(header, rows),
    ]


def _latency(latency: dict[str, Any]) -> list[str]:
    point = latency_target_point(latency)
    rows = []
    for n_key, entry in latency.items():
        for rtt_key, res in entry["rtt"].items():
            at_target = (n_key, rtt_key) == point
            for op in OPERATIONS:
                o = res["ops"][op]
                exp = o["requests_expected"]
                target, verdict = "-", "-"
                if op in LATENCY_TARGETS:
                    key, limit = LATENCY_TARGETS[op]
                    target = f"{'S/bound' if key == 'vs_bound' else 'S/F'} <= {limit}"
                    if at_target and o[key] is not None:
                        verdict = _verdict(o[key] <= limit)
                    elif not at_target:
                        target = "(info)"
                req_verdict = _verdict(o["requests_within_limit"]) if at_target else "(info)"
                rows.append(
                    [
                        op,
                        n_key,
                        rtt_key,
                        _fmt(o["S_seconds"]),
                        _fmt(o["F_seconds"]),
                        str(o["S_requests"]),
                        str(exp["ideal"]),
                        _fmt(o["bound_seconds"]),
                        _fmt(o["vs_bound"]),
                        _fmt(o["vs_floor"]),
                        target,
                        verdict,
                        exp["limit_text"].replace(" ", ""),
                        req_verdict,
                    ]
                )
    if not rows:
        return []
    header = [
        "operation",
        "N",
        "+ms",
        "S s",
        "F s",
        "requests",
        "ideal",
        "bound s",
        "S/bound",
        "S/F",
        "time target",
        "verdict",
        "request target",
        "verdict",
    ]
    where = f"N={point[0]}, +{point[1]} ms" if point else "-"
    return [
        f"With added latency on every API route (bound = F s + ideal x RTT / "
        f"{DYNAMIC_SERVER_THREADS} dynamic-server threads; targets at {where})",
        table(header, rows),
    ]


def _verdicts(verdicts: list[dict[str, Any]]) -> list[str]:
    def show(v: Any) -> str:
        return str(v) if isinstance(v, list) else _fmt(v)

    rows = [
        [v["check"], show(v["value"]), show(v["target"]), _verdict(v["pass"])] for v in verdicts
    ]
    return ["Verdicts", table(["check", "value", "target", "verdict"], rows)]


def render(doc: dict[str, Any]) -> str:
    """The report: load, wall time, CPU, requests, state, memory, latency, verdicts."""
    parts = _header(doc["meta"])
    sizes = doc["sizes"]
    sections = []
    if sizes:
        sections += [_wall_time(sizes), _cpu_by_process(sizes), _requests(sizes), _state(sizes)]
        sections.append(_memory(sizes))
    if doc.get("latency"):
        sections.append(_latency(doc["latency"]))
    sections.append(_verdicts(doc["verdicts"]))
    for section in sections:
        parts += ["", *section]
    return "\n".join(parts)
