"""Concurrency: no lost writes under parallel imports/assignments; exactly one winner per duplicate."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from cartesia_pulumi.emulator.testing import running_emulator
from tests.emulator.emulator_support import PROD, create_provider, headers, provider_body

THREADS = 8
COUNT = 240


def _race(n: int, fn: Callable[[httpx.Client], int], url: str) -> list[int]:
    barrier = threading.Barrier(n)

    def one(_: int) -> int:
        with httpx.Client(base_url=url, headers=headers(), timeout=30) as c:
            barrier.wait()
            return fn(c)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(one, range(n)))


@pytest.mark.parametrize("on_disk", [False, True], ids=["memory", "file"])
def test_concurrent_imports_and_assignments_lose_no_writes(tmp_path: Path, on_disk: bool) -> None:
    numbers = [f"+1415666{i:04d}" for i in range(COUNT)]
    seed = {"twilio_accounts": [{"account_sid": PROD, "numbers": numbers}]}
    data = tmp_path / "db.sqlite" if on_disk else None
    with running_emulator(demo=True, seed=seed, data=data) as em:
        with httpx.Client(base_url=em.url, headers=headers()) as api:
            provider = create_provider(api)

        def work(chunk: list[str]) -> list[tuple[str, str, str]]:
            done = []
            with httpx.Client(base_url=em.url, headers=headers(), timeout=30) as c:
                for i, number in enumerate(chunk):
                    r = c.post(
                        "/agents/phone-numbers",
                        json={"label": f"L{number}", "number": number, "provider": {"id": provider["id"]}},
                    )
                    assert r.status_code == 201, r.text
                    agent = "agent_support" if i % 2 else "agent_sales"
                    r = c.patch(f"/agents/phone-numbers/{r.json()['id']}", json={"agent_id": agent})
                    assert r.status_code == 200, r.text
                    done.append((r.json()["id"], number, agent))
            return done

        chunks = [numbers[i::THREADS] for i in range(THREADS)]
        with ThreadPoolExecutor(THREADS) as pool:
            results = [x for part in pool.map(work, chunks) for x in part]

        state = list(em.control.numbers().values())
        assert len(state) == COUNT == len(results)
        by_id = {n["id"]: n for n in state}
        for number_id, number, agent in results:
            assert by_id[number_id]["number"] == number
            assert by_id[number_id]["agent_id"] == agent
        # pagination sees every number exactly once
        seen: list[str] = []
        params: dict[str, str | int] = {"limit": 100}
        with httpx.Client(base_url=em.url, headers=headers()) as api:
            while True:
                page = api.get("/agents/phone-numbers", params=params).json()
                seen += [n["id"] for n in page["data"]]
                if not page["has_more"]:
                    break
                params["starting_after"] = page["data"][-1]["id"]
        assert sorted(seen) == sorted(by_id)


@pytest.mark.parametrize("on_disk", [False, True], ids=["memory", "file"])
def test_concurrent_duplicate_import_has_exactly_one_winner(tmp_path: Path, on_disk: bool) -> None:
    data = tmp_path / "db.sqlite" if on_disk else None
    with running_emulator(demo=True, data=data) as em:
        with httpx.Client(base_url=em.url, headers=headers()) as api:
            provider = create_provider(api)
        body = {"label": "dup", "number": "+14155550100", "provider": {"id": provider["id"]}}
        statuses = _race(16, lambda c: c.post("/agents/phone-numbers", json=body).status_code, em.url)
        assert Counter(statuses) == {201: 1, 409: 15}
        assert len(em.control.numbers()) == 1


def test_concurrent_duplicate_provider_create_has_exactly_one_winner() -> None:
    with running_emulator(demo=True) as em:
        body = provider_body()
        statuses = _race(
            12, lambda c: c.post("/agents/phone-numbers/providers", json=body).status_code, em.url
        )
        assert Counter(statuses) == {201: 1, 409: 11}
