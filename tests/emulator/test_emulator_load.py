"""Bounded load test: a mixed workload against an emulator subprocess on 127.0.0.1.

Bounded in count (MAX_REQUESTS) and time (TIME_BUDGET_S); prints requests/second and p50/p99
latency. It asserts timings, so it is a ``perf`` test: ``make test`` does not collect it (a
loaded CI machine must not fail a landing for no defect); ``make bench`` runs it (``-m perf``).
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from cartesia_pulumi.emulator.testing import EmulatorProcess
from tests.emulator.emulator_support import PROD, headers, provider_body

WORKERS = 8
MAX_REQUESTS = 4000
TIME_BUDGET_S = 8.0
POOL = 600


@pytest.mark.perf
def test_load_mixed_workload_reports_throughput_and_latency(
    capsys: pytest.CaptureFixture[str],
) -> None:
    numbers = [f"+1415777{i:04d}" for i in range(POOL)]
    seed = {"twilio_accounts": [{"account_sid": PROD, "numbers": numbers}]}
    with EmulatorProcess(demo=True, seed=seed) as proc:
        assert proc.url.startswith("http://127.0.0.1:")
        with httpx.Client(base_url=proc.url, headers=headers()) as api:
            provider = api.post(
                "/agents/phone-numbers/providers",
                json=provider_body(),
            ).json()
        lock = threading.Lock()
        free = list(numbers)
        imported: list[str] = []
        issued = [0]
        deadline = time.monotonic() + TIME_BUDGET_S

        def take() -> bool:
            with lock:
                if issued[0] >= MAX_REQUESTS or time.monotonic() > deadline:
                    return False
                issued[0] += 1
                return True

        def worker(seed_: int) -> tuple[list[float], Counter[str]]:
            rng = random.Random(seed_)
            lat: list[float] = []
            kinds: Counter[str] = Counter()
            with httpx.Client(base_url=proc.url, headers=headers(), timeout=30) as c:
                while take():
                    roll = rng.random()
                    with lock:
                        have = list(imported[-50:])
                        number = free.pop() if free and roll < 0.15 else None
                    t = time.perf_counter()
                    if number is not None:
                        r = c.post("/agents/phone-numbers", json={
                            "label": "load", "number": number, "provider": {"id": provider["id"]}})
                        ok = r.status_code == 201
                        if ok:
                            with lock:
                                imported.append(r.json()["id"])
                        kind = "import"
                    elif have and roll < 0.35:
                        agent = rng.choice(["agent_support", "agent_sales", None])
                        r = c.patch(f"/agents/phone-numbers/{rng.choice(have)}", json={"agent_id": agent})
                        ok, kind = r.status_code == 200, "assign"
                    elif have and roll < 0.60:
                        r = c.get(f"/agents/phone-numbers/{rng.choice(have)}")
                        ok, kind = r.status_code == 200, "get"
                    elif roll < 0.85:
                        r = c.get("/agents/phone-numbers", params={"limit": 20, "q": "+1415777"})
                        ok, kind = r.status_code == 200, "list"
                    elif roll < 0.95:
                        r = c.get(f"/agents/phone-numbers/providers/{provider['id']}")
                        ok, kind = r.status_code == 200, "provider"
                    else:
                        r = c.get("/agents/phone-numbers/ap_missing")
                        ok, kind = r.status_code == 404, "404"
                    lat.append(time.perf_counter() - t)
                    assert ok, (kind, r.status_code, r.text)
                    kinds[kind] += 1
            return lat, kinds

        started = time.perf_counter()
        with ThreadPoolExecutor(WORKERS) as pool:
            results = list(pool.map(worker, range(WORKERS)))
        elapsed = time.perf_counter() - started

    latencies = sorted(x for lat, _ in results for x in lat)
    kinds = sum((k for _, k in results), Counter())
    total = len(latencies)
    rps = total / elapsed
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[min(total - 1, int(total * 0.99))] * 1000
    with capsys.disabled():
        print(
            f"\n[emulator load] {total} requests, {WORKERS} clients, {elapsed:.2f}s: "
            f"{rps:.0f} req/s, p50 {p50:.2f} ms, p99 {p99:.2f} ms; mix {dict(kinds)}"
        )
    assert total >= 200
    assert rps > 100
    assert p50 < 50
    assert p99 < 500
