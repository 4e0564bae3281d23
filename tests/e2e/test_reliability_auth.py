"""Issue 6 item 8 (engine part): a wrong Cartesia API key and another organisation's objects.

* A wrong key fails the `up` with a message naming `cartesia:apiKey`; nothing changes.
* Objects of organisation A are invisible to organisation B (404 on get/patch/delete, absent
  from lists), and a stack configured with B's key that references A's provider fails cleanly.
"""

from __future__ import annotations

import pytest
from pulumi import automation as auto

from cartesia_pulumi.client import CartesiaClient, NotFoundError
from cartesia_pulumi.emulator.testing import RunningEmulator
from cartesia_pulumi.resources import PhoneNumber
from tests.e2e.harness import DEMO_API_KEY, CartesiaStackConfig, Engine
from tests.e2e.reliability_support import (
    ACCOUNT_SID,
    KEY_SECRET_1,
    KEY_SID_1,
    fleet_program,
    org_state,
    seed_numbers,
)

WRONG_KEY = "sk_car_wrong_key_5e0d"
ORG_B_KEY = "sk_car_org_b_key_91c4"
ORG_B = {
    "organizations": [
        {"id": "org_b", "api_key": ORG_B_KEY, "agents": [{"id": "agent_b", "name": "B"}]}
    ]
}


def test_up_wrong_api_key_fails_naming_config_key(
    emulator: RunningEmulator, engine: Engine
) -> None:
    control = emulator.control
    seed_numbers(control, 2)
    before = control.state()
    stack = engine.stack(
        fleet_program(2),
        config={"cartesia:baseUrl": emulator.url},
        secrets={"cartesia:apiKey": WRONG_KEY},
    )
    with pytest.raises(auto.CommandError) as info:
        stack.up()
    text = str(info.value)
    assert "cartesia:apiKey" in text and "401" in text, text[-2000:]
    assert WRONG_KEY not in text and WRONG_KEY not in stack.output_text()
    assert WRONG_KEY not in stack.backend_text()
    assert control.state() == before  # nothing was created or changed
    assert {r["status"] for r in control.requests()} == {401}


def test_client_other_org_objects_not_found(emulator: RunningEmulator) -> None:
    control = emulator.control
    control.seed(ORG_B)
    seed_numbers(control, 1)
    with CartesiaClient(DEMO_API_KEY, base_url=emulator.url) as a:
        provider = a.providers.create(
            account_sid=ACCOUNT_SID, api_key_sid=KEY_SID_1, api_key_secret=KEY_SECRET_1
        )
        number = a.phone_numbers.import_(
            number="+16285551000", label="A's line", provider_id=provider.id
        )
    with CartesiaClient(ORG_B_KEY, base_url=emulator.url, max_retries=0) as b:
        assert b.providers.list() == []
        assert list(b.phone_numbers.iter()) == []
        for call in (
            lambda: b.providers.get(provider.id),
            lambda: b.providers.update(
                provider.id, api_key_sid=KEY_SID_1, api_key_secret=KEY_SECRET_1, region="us1"
            ),
            lambda: b.providers.delete(provider.id),
            lambda: b.phone_numbers.get(number.id),
            lambda: b.phone_numbers.update(number.id, label="hijacked"),
            lambda: b.phone_numbers.update(number.id, agent_id="agent_b"),
            lambda: b.phone_numbers.delete(number.id),
        ):
            with pytest.raises(NotFoundError):
                call()
    org_a = org_state(control)
    assert [p["id"] for p in org_a["providers"]] == [provider.id]
    ((n,),) = [org_a["phone_numbers"]]
    assert (n["id"], n["label"], n["agent_id"]) == (number.id, "A's line", None)
    assert org_state(control, "org_b")["providers"] == []


def test_up_other_org_provider_id_fails_cleanly(
    emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    control = emulator.control
    control.seed(ORG_B)
    seed_numbers(control, 1)
    with CartesiaClient(DEMO_API_KEY, base_url=emulator.url) as a:
        provider = a.providers.create(
            account_sid=ACCOUNT_SID, api_key_sid=KEY_SID_1, api_key_secret=KEY_SECRET_1
        )
    before = control.state()

    def program() -> None:
        PhoneNumber("stolen", number="+16285551000", provider_id=provider.id)

    stack = engine.stack(
        program,
        config={"cartesia:baseUrl": emulator.url},
        secrets={"cartesia:apiKey": ORG_B_KEY},
    )
    with pytest.raises(auto.CommandError) as info:
        stack.up()
    text = str(info.value)
    # Another organisation's provider does not exist for this key: check says so, before any write.
    assert f"provider_id {provider.id!r} is not a provider of this Cartesia organisation" in text, text[-2000:]
    assert "404" in text
    assert control.state() == before
    assert stack.resources(":PhoneNumber") == []

