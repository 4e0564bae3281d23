"""Durable state (--data survives kill and restart), the CLI and EmulatorProcess."""

from __future__ import annotations

from pathlib import Path

import httpx

from cartesia_pulumi.emulator.testing import EmulatorProcess
from tests.emulator.emulator_support import PROD, PROD_US1_B, headers, provider_body


def test_restart_with_data_keeps_state_after_kill(tmp_path: Path) -> None:
    db = tmp_path / "emulator.sqlite"
    proc = EmulatorProcess(data=db, demo=True)
    try:
        proc.start()
        port = proc.port
        with httpx.Client(base_url=proc.url, headers=headers()) as api:
            p = api.post(
                "/agents/phone-numbers/providers",
                json=provider_body(label="prod"),
            ).json()
            n = api.post(
                "/agents/phone-numbers",
                json={"label": "Main", "number": "+14155550100", "provider": {"id": p["id"]},
                      "agent_id": "agent_support"},
            ).json()
            c = api.post("/agents/phone-numbers/provision", json={"label": "c"}).json()
        proc.control.twilio_revoke_key(PROD_US1_B.sid)
        proc.control.twilio_remove_number(PROD, "+14155550102")
        before = proc.control.state()

        proc.kill()  # SIGKILL: no shutdown hook, no checkpoint
        proc.start()
        assert proc.port == port
        after = proc.control.state()
        # the demo seed is only applied to a fresh database: revoked/removed stay so
        assert after == before
        with httpx.Client(base_url=proc.url, headers=headers()) as api:
            assert api.get(f"/agents/phone-numbers/{n['id']}").json() == n
            assert api.get(f"/agents/phone-numbers/providers/{p['id']}").json() == p
            listed = api.get("/agents/phone-numbers").json()["data"]
            assert [x["id"] for x in listed] == [c["id"], n["id"]]

        proc.restart()  # graceful stop + start, same port
        assert proc.port == port and proc.control.state() == before
    finally:
        proc.close()


def test_emulator_process_without_data_starts_empty_each_time() -> None:
    with EmulatorProcess(demo=True) as proc:
        with httpx.Client(base_url=proc.url, headers=headers()) as api:
            assert api.post("/agents/phone-numbers/provision", json={"label": "x"}).status_code == 201
        proc.restart()
        assert proc.control.numbers() == {}


def test_cli_loads_yaml_seed_and_prints_url(tmp_path: Path) -> None:
    seed = tmp_path / "seed.yml"
    seed.write_text(
        "organizations:\n  - {id: org_y, api_key: sk_car_y, agents: [{id: agent_y, name: Y}]}\n"
    )
    with EmulatorProcess(extra_args=["--seed", str(seed)]) as proc:
        assert proc.url.startswith("http://127.0.0.1:")
        r = httpx.get(proc.url + "/agents/agent_y/phone-numbers", headers=headers("sk_car_y"))
        assert r.status_code == 200 and r.json() == []
