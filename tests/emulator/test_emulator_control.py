"""Control API (architecture.md §1): seed, reset, state, request log, console and Twilio edits, faults."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from cartesia_pulumi.emulator import DEMO_SEED
from cartesia_pulumi.emulator.control import ControlError
from cartesia_pulumi.emulator.seeds import load_seed_file
from cartesia_pulumi.emulator.store import sha256
from cartesia_pulumi.emulator.testing import RunningEmulator, running_emulator
from tests.emulator.emulator_support import (
    DEMO_KEY,
    PROD,
    PROD_US1,
    PROD_US1_B,
    STAGING,
    assert_error,
    create_provider,
    headers,
    import_number,
)

NUMBERS = "/agents/phone-numbers"
PROVIDERS = "/agents/phone-numbers/providers"


# --- seeds, reset, state -----------------------------------------------------------------------


def test_demo_seed_has_the_documented_values() -> None:
    """architecture.md: examples depend on these exact values."""
    (org,) = DEMO_SEED["organizations"]
    assert (org["id"], org["api_key"]) == ("org_demo", "sk_car_demo_key")
    assert org["agents"] == [
        {"id": "agent_support", "name": "Support"},
        {"id": "agent_sales", "name": "Sales"},
    ]
    prod, staging = DEMO_SEED["twilio_accounts"]
    assert prod["account_sid"] == PROD and staging["account_sid"] == STAGING
    assert [(k["sid"][-4:], k["secret"], k["region"]) for k in prod["api_keys"]] == [
        ("c001", "demo-us1-secret-1", "us1"),
        ("c002", "demo-us1-secret-2", "us1"),
        ("c101", "demo-ie1-secret-1", "ie1"),
        ("c201", "demo-au1-secret-1", "au1"),
    ]
    assert prod["numbers"] == [
        "+14155550100", "+14155550101", "+14155550102",
        "+35315550100", "+35315550101", "+61255550100", "+61255550101",
    ]
    assert [(k["sid"], k["secret"], k["region"]) for k in staging["api_keys"]] == [
        ("SKfedcba9876543210fedcba9876543001", "staging-us1-secret-1", "us1"),
        ("SKfedcba9876543210fedcba9876543101", "staging-ie1-secret-1", "ie1"),
        ("SKfedcba9876543210fedcba9876543201", "staging-au1-secret-1", "au1"),
    ]
    assert staging["numbers"] == ["+14155550200", "+14155550201", "+35315550200", "+61255550200"]


def test_state_dump_has_documented_shape_and_no_secrets(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    p = create_provider(api, label="prod")
    import_number(api, p["id"], agent_id="agent_support")
    state = emulator.control.state()
    text = json.dumps(state)
    for secret in ("demo-us1-secret-1", "staging-us1-secret-1", DEMO_KEY, "sk_car_other_key"):
        assert secret not in text
    org = state["organizations"][0]
    assert set(org) == {"id", "agents", "providers", "phone_numbers"}
    (prov,) = org["providers"]
    assert prov == {
        "id": p["id"], "type": "twilio", "account_sid": PROD, "api_key_sid": PROD_US1[0],
        "api_key_secret_sha256": sha256(PROD_US1[1]), "region": "us1", "label": "prod",
    }
    (num,) = org["phone_numbers"]
    assert set(num) == {"id", "number", "label", "provider_id", "agent_id", "created_at", "updated_at"}
    assert num["provider_id"] == p["id"] and num["agent_id"] == "agent_support"
    acct = state["twilio_accounts"][0]
    assert set(acct) == {"account_sid", "api_keys", "numbers"}
    assert acct["api_keys"][0] == {"sid": PROD_US1[0], "region": "us1", "revoked": False}


def test_seed_merges_and_accepts_yaml_file(tmp_path: Path, emulator: RunningEmulator) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(
        "organizations:\n"
        "  - id: org_demo\n"
        "    agents: [{id: agent_new, name: New}]\n"
        "twilio_accounts:\n"
        "  - account_sid: AC00000000000000000000000000000000\n"
        "    api_keys: [{sid: SK00000000000000000000000000000000, secret: s, region: au1}]\n"
        "    numbers: ['+61255550999', {number: '+61255550998', webhook_fails: true}]\n"
    )
    emulator.control.seed(load_seed_file(path))
    state = emulator.control.state()
    agents = [a["id"] for a in state["organizations"][0]["agents"]]
    assert agents == ["agent_support", "agent_sales", "agent_new"]
    assert state["twilio_accounts"][-1]["numbers"] == ["+61255550999", "+61255550998"]


@pytest.mark.parametrize(
    "seed",
    [
        {"organizations": [{"id": "org_x"}]},  # new org without api key
        {"organizations": [{"id": "org_x", "api_key": DEMO_KEY}]},  # key of another org
        {"twilio_accounts": [{"account_sid": "AC1", "api_keys": [{"sid": "SK", "secret": "s", "region": "eu1"}]}]},
        {"organisations": []},  # typo
    ],
)
def test_seed_invalid_returns_400(emulator: RunningEmulator, seed: dict[str, Any]) -> None:
    with pytest.raises(ControlError) as info:
        emulator.control.seed(seed)
    assert info.value.status_code == 400


def test_reset_drops_everything_and_optionally_reloads_demo(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    create_provider(api)
    emulator.control.add_fault(route="GET", kind="status", status=500)
    emulator.control.reset()
    assert emulator.control.state() == {"organizations": [], "twilio_accounts": []}
    assert emulator.control.requests() == []
    assert emulator.control.faults() == []
    emulator.control.reset(demo=True)
    assert api.get(PROVIDERS).json() == []
    assert emulator.control.state()["organizations"][0]["id"] == "org_demo"


# --- request log -------------------------------------------------------------------------------


def test_requests_log_records_api_calls_in_order_without_control_calls(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    emulator.control.clear_requests()
    api.get(PROVIDERS, params={"type": "twilio"})
    api.post(PROVIDERS, json={})
    emulator.control.state()
    api.get(f"{NUMBERS}/ap_x")
    log = emulator.control.requests()
    assert [(e["method"], e["path"], e["query"], e["status"], e["fault"]) for e in log] == [
        ("GET", PROVIDERS, "type=twilio", 200, None),
        ("POST", PROVIDERS, "", 400, None),
        ("GET", f"{NUMBERS}/ap_x", "", 404, None),
    ]
    assert [e["seq"] for e in log] == sorted(e["seq"] for e in log)
    assert all(set(e) == {"seq", "method", "path", "query", "status", "ms", "fault"} for e in log)
    assert all(isinstance(e["ms"], float) and e["ms"] >= 0 for e in log)
    emulator.control.clear_requests()
    assert emulator.control.requests() == []


# --- console and Twilio edits ------------------------------------------------------------------


def test_console_update_number_reassigns_and_bumps_updated_at(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    n = import_number(api, create_provider(api)["id"], agent_id="agent_support")
    emulator.control.advance_clock(30)
    out = emulator.control.console_update_number(n["id"], agent_id="agent_sales", label="console")
    assert out["agent"]["id"] == "agent_sales" and out["label"] == "console"
    got = api.get(f"{NUMBERS}/{n['id']}").json()
    assert got["agent"]["name"] == "Sales" and got["updated_at"] > n["updated_at"]
    emulator.control.console_update_number(n["id"], agent_id=None)
    assert api.get(f"{NUMBERS}/{n['id']}").json()["agent"] is None


def test_console_delete_number_removes_assigned_number(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    n = import_number(api, create_provider(api)["id"], agent_id="agent_support")
    emulator.control.console_delete_number(n["id"])
    assert_error(api.get(f"{NUMBERS}/{n['id']}"), 404)
    with pytest.raises(ControlError):
        emulator.control.console_delete_number(n["id"])


def test_console_update_provider_rotates_with_validation(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    p = create_provider(api)
    with pytest.raises(ControlError) as info:
        emulator.control.console_update_provider(p["id"], api_key_sid=PROD_US1_B[0], api_key_secret="bad")
    assert info.value.status_code == 400
    out = emulator.control.console_update_provider(
        p["id"], api_key_sid=PROD_US1_B[0], api_key_secret=PROD_US1_B[1]
    )
    assert out["api_key_sid"].endswith("c002")
    assert api.get(f"{PROVIDERS}/{p['id']}").json()["api_key_sid"].endswith("c002")


def test_twilio_add_key_enables_new_credentials_and_revoke_disables_them(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    sid = "SK" + "a" * 32
    emulator.control.twilio_add_key(STAGING, sid, "fresh", "ie1")
    p = create_provider(api, account_sid=STAGING, key=(sid, "fresh"), region="ie1")
    emulator.control.twilio_revoke_key(sid)
    r = api.patch(
        f"{PROVIDERS}/{p['id']}", json={"type": "twilio", "api_key_sid": sid, "api_key_secret": "fresh"}
    )
    assert_error(r, 400, "invalid_credentials")
    keys = {k["sid"]: k for k in emulator.control.state()["twilio_accounts"][1]["api_keys"]}
    assert keys[sid]["revoked"] is True


def test_twilio_add_and_remove_number_changes_ownership(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    p = create_provider(api)
    emulator.control.twilio_add_number(PROD, "+14155550777")
    import_number(api, p["id"], "+14155550777")
    emulator.control.twilio_remove_number(PROD, "+14155550101")
    r = api.post(NUMBERS, json={"label": "x", "number": "+14155550101", "provider": {"id": p["id"]}})
    assert_error(r, 400, "number_not_in_account")


# --- faults ------------------------------------------------------------------------------------


def test_fault_status_429_answers_with_retry_after_and_does_not_apply(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    emulator.control.add_fault(route=f"^POST {PROVIDERS}$", kind="status", status=429, retry_after=2, count=1)
    r = api.post(PROVIDERS, json={"type": "twilio", "account_sid": PROD,
                                  "api_key_sid": PROD_US1[0], "api_key_secret": PROD_US1[1]})
    body = assert_error(r, 429, "concurrency_limited")
    assert r.headers["retry-after"] == "2" and body["title"] == "Too Many Requests"
    assert api.get(PROVIDERS).json() == []
    create_provider(api)  # count=1: the next one goes through
    assert emulator.control.requests()[0]["fault"] == "status"


@pytest.mark.parametrize("status", [500, 502, 503])
def test_fault_status_5xx_answers_json_envelope(
    api: httpx.Client, emulator: RunningEmulator, status: int
) -> None:
    emulator.control.add_fault(route="GET /agents/phone-numbers$", kind="status", status=status)
    assert_error(api.get(NUMBERS), status)
    assert api.get(PROVIDERS).status_code == 200  # other routes unaffected


def test_fault_latency_delays_without_blocking_other_requests(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    emulator.control.add_fault(route=f"^GET {NUMBERS}$", kind="latency", latency_ms=600)
    slow: dict[str, float] = {}

    def call_slow() -> None:
        t = time.perf_counter()
        with httpx.Client(base_url=emulator.url, headers=headers()) as c:
            assert c.get(NUMBERS).status_code == 200
        slow["s"] = time.perf_counter() - t

    th = threading.Thread(target=call_slow)
    th.start()
    time.sleep(0.1)
    t = time.perf_counter()
    assert api.get(PROVIDERS).status_code == 200
    fast = time.perf_counter() - t
    th.join()
    assert slow["s"] >= 0.6 and fast < 0.45  # blocked would be >= 0.5
    entry = next(e for e in emulator.control.requests() if e["path"] == NUMBERS)
    assert entry["fault"] == "latency" and entry["ms"] >= 600


def test_fault_drop_closes_connection_without_applying(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    emulator.control.add_fault(route=f"^POST {PROVIDERS}$", kind="drop", count=1)
    with pytest.raises(httpx.RemoteProtocolError):
        api.post(PROVIDERS, json={"type": "twilio", "account_sid": PROD,
                                  "api_key_sid": PROD_US1[0], "api_key_secret": PROD_US1[1]})
    assert api.get(PROVIDERS).json() == []
    (entry,) = [e for e in emulator.control.requests() if e["method"] == "POST"]
    assert entry["status"] is None and entry["fault"] == "drop"


def test_fault_apply_then_drop_applies_change_and_loses_response(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    emulator.control.add_fault(route=f"^POST {PROVIDERS}$", kind="apply_then_drop", count=1)
    with pytest.raises(httpx.RemoteProtocolError):
        api.post(PROVIDERS, json={"type": "twilio", "account_sid": PROD,
                                  "api_key_sid": PROD_US1[0], "api_key_secret": PROD_US1[1]})
    assert len(api.get(PROVIDERS).json()) == 1
    (entry,) = [e for e in emulator.control.requests() if e["method"] == "POST"]
    assert entry["status"] is None and entry["fault"] == "apply_then_drop"


def test_fault_probability_with_seed_is_reproducible_and_count_caps_firings(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    def run() -> list[int]:
        emulator.control.clear_faults()
        emulator.control.add_fault(route="GET", kind="status", status=503, probability=0.5, seed=7, count=5)
        return [api.get(PROVIDERS).status_code for _ in range(40)]

    first, second = run(), run()
    assert first == second
    assert first.count(503) == 5 and first.count(200) == 35
    assert [f["fired"] for f in emulator.control.faults()] == [5]


def test_fault_invalid_spec_returns_400(emulator: RunningEmulator) -> None:
    for spec in ({"kind": "explode"}, {"kind": "status"}, {"kind": "latency"},
                 {"kind": "drop", "route": "("}, {"kind": "drop", "probability": 2}):
        with pytest.raises(ControlError) as info:
            emulator.control.add_fault(**spec)
        assert info.value.status_code == 400


def test_fault_on_old_version_follows_plain_text_switch() -> None:
    with running_emulator(demo=True, plain_text_errors_for_old_versions=True) as em:
        em.control.add_fault(route="GET", kind="status", status=429)
        r = httpx.get(em.url + PROVIDERS, headers=headers(version="2025-04-16"))
        assert r.status_code == 429 and r.text.startswith("Too Many Requests: ")
