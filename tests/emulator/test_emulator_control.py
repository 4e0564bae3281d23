"""Control API (``docs/emulator.md``): seed, reset, state and its accessors, request log,
console and Twilio edits. Faults are in ``test_emulator_faults.py``, the control API's own
protection in ``test_emulator_hardening.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from cartesia_pulumi.emulator import DEMO_SEED, demo
from cartesia_pulumi.emulator.control import ControlError
from cartesia_pulumi.emulator.seeds import load_seed_file
from cartesia_pulumi.emulator.store import sha256
from cartesia_pulumi.emulator.testing import RunningEmulator
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
    """Examples depend on these exact values (``docs/emulator.md``)."""
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
    # the named constants are the seed's values
    assert [k["sid"] for k in prod["api_keys"]] == [k.sid for k in demo.PROD_KEYS]
    assert tuple(staging["numbers"]) == demo.STAGING_NUMBERS
    assert (demo.PROD_US1.sid, demo.PROD_US1.secret, demo.PROD_US1.region) == (
        "SK0123456789abcdef0123456789abc001", "demo-us1-secret-1", "us1",
    )


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
        "id": p["id"], "type": "twilio", "account_sid": PROD, "api_key_sid": PROD_US1.sid,
        "api_key_secret_sha256": sha256(PROD_US1.secret), "region": "us1", "label": "prod",
    }
    (num,) = org["phone_numbers"]
    assert set(num) == {"id", "number", "label", "provider_id", "agent_id", "created_at", "updated_at"}
    assert num["provider_id"] == p["id"] and num["agent_id"] == "agent_support"
    acct = state["twilio_accounts"][0]
    assert set(acct) == {"account_sid", "api_keys", "numbers"}
    assert acct["api_keys"][0] == {"sid": PROD_US1.sid, "region": "us1", "revoked": False}


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


def test_seed_with_same_api_key_is_idempotent(emulator: RunningEmulator) -> None:
    before = emulator.control.state()
    emulator.control.seed({"organizations": [{"id": demo.DEMO_ORG_ID, "api_key": DEMO_KEY}]})
    assert emulator.control.state() == before


def test_seed_with_other_api_key_for_existing_org_returns_409_and_keeps_key(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    """A seed never replaces an organisation's key silently."""
    with pytest.raises(ControlError) as info:
        emulator.control.seed({"organizations": [{"id": demo.DEMO_ORG_ID, "api_key": "sk_car_new"}]})
    assert info.value.status_code == 409 and "replace_api_key" in str(info.value)
    assert api.get(PROVIDERS).status_code == 200  # the old key still works


def test_seed_with_replace_api_key_replaces_the_key(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    emulator.control.seed(
        {"organizations": [{"id": demo.DEMO_ORG_ID, "api_key": "sk_car_new", "replace_api_key": True}]}
    )
    assert_error(api.get(PROVIDERS), 401, "unauthorized")
    assert httpx.get(emulator.url + PROVIDERS, headers=headers("sk_car_new")).status_code == 200


@pytest.mark.parametrize(
    "seed",
    [
        {"organizations": [{"id": "org_x"}]},  # new org without api key
        {"organizations": [{"id": "org_x", "api_key": DEMO_KEY}]},  # key of another org
        {"twilio_accounts": [{"account_sid": "AC1", "api_keys": [{"sid": "SK", "secret": "s", "region": "eu1"}]}]},
        {"organisations": []},  # typo
        {"organizations": [{"id": "org_x", "api_key": "k", "plan_slots": 10**30}]},  # too large
        {"settings": {"provider_label_patch": "yes"}},
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
    assert emulator.control.org()["id"] == demo.DEMO_ORG_ID


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


# --- accessors over the state dump and the log --------------------------------------------------


def test_state_accessors_select_one_org_its_providers_and_numbers(
    api: httpx.Client, other_api: httpx.Client, emulator: RunningEmulator
) -> None:
    p = create_provider(api)
    n = import_number(api, p["id"], agent_id="agent_support")
    create_provider(other_api)
    control = emulator.control
    assert control.org()["id"] == demo.DEMO_ORG_ID
    assert [x["id"] for x in control.providers()] == [p["id"]]
    assert len(control.providers("org_other")) == 1
    assert control.numbers() == {n["number"]: control.org()["phone_numbers"][0]}
    assert control.numbers("org_other") == {}
    assert [a["id"] for a in control.agents()] == [a.id for a in demo.DEMO_AGENTS]
    assert control.twilio_account(PROD)["numbers"] == list(demo.PROD_NUMBERS)
    with pytest.raises(LookupError):
        control.org("org_nope")
    with pytest.raises(LookupError):
        control.twilio_account("AC_nope")


def test_log_accessors_give_method_and_path_and_the_writes(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    emulator.control.clear_requests()
    p = create_provider(api)
    api.get(f"{PROVIDERS}/{p['id']}", params={"x": "1"})
    api.delete(f"{PROVIDERS}/{p['id']}")
    assert emulator.control.api_calls() == [
        f"POST {PROVIDERS}", f"GET {PROVIDERS}/{p['id']}", f"DELETE {PROVIDERS}/{p['id']}",
    ]
    assert emulator.control.writes() == [f"POST {PROVIDERS}", f"DELETE {PROVIDERS}/{p['id']}"]


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
        emulator.control.console_update_provider(p["id"], api_key_sid=PROD_US1_B.sid, api_key_secret="bad")
    assert info.value.status_code == 400
    out = emulator.control.console_update_provider(
        p["id"], api_key_sid=PROD_US1_B.sid, api_key_secret=PROD_US1_B.secret
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
    keys = {k["sid"]: k for k in emulator.control.twilio_account(STAGING)["api_keys"]}
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
