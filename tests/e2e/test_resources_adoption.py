"""Objects that already exist in Cartesia: adoption, and creates whose response was lost."""

from __future__ import annotations

from cartesia_pulumi.client import CartesiaClient
from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.e2e.harness import (
    DEMO_API_KEY,
    CartesiaStackConfig,
    Engine,
    cartesia_resources,
    changes_only,
    plugin_env,
)
from tests.e2e.programs import (
    NUMBERS_PATH,
    PRODUCTION,
    PROVIDERS_PATH,
    SUPPORT,
    US1_KEY,
    US1_KEY_2,
    US1_SECRET,
    US1_SECRET_2,
    Graph,
    NumberSpec,
    both_adapters,
    engine_fails,
    numbers_in,
    providers_in,
    sha256_hex,
)


@both_adapters
def test_create_existing_objects_fails_without_adopt_and_adopts_with_adopt(
    adapter: str, emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    control = emulator.control
    # Made outside Pulumi: a provider with key ...c002 and a number on it, assigned to Support.
    with CartesiaClient(DEMO_API_KEY, base_url=emulator.url) as client:
        pre_provider = client.providers.create(
            account_sid=PRODUCTION, api_key_sid=US1_KEY_2, api_key_secret=US1_SECRET_2
        )
        pre_number = client.phone_numbers.import_(
            number="+14155550100", label="Made by hand", provider_id=pre_provider.id
        )
        client.phone_numbers.update(pre_number.id, agent_id=SUPPORT)

    plain = Graph(numbers=[NumberSpec("+14155550100", label="Support line")])
    stack = engine.stack(plain.program(adapter), env=plugin_env(adapter), **cartesia.kwargs())

    # Without adopt: the provider create fails and says how to adopt.
    with engine_fails() as failed:
        stack.up()
    assert "adopt=True" in str(failed.value), str(failed.value)
    assert "TwilioProvider" in str(failed.value)
    # Adopting the provider only: now the number create fails and says how to adopt.
    provider_adopted = plain.with_provider(adopt=True)
    stack.set_program(provider_adopted.program(adapter))
    with engine_fails() as failed:
        stack.up()
    message = str(failed.value)
    assert "adopt=True" in message and "PhoneNumber" in message, message
    assert pre_number.id in message, message
    assert [p["id"] for p in providers_in(control)] == [pre_provider.id]
    assert list(numbers_in(control)) == ["+14155550100"], "no duplicate import"

    control.clear_requests()
    stack.set_program(provider_adopted.with_number(0, adopt=True).program(adapter))
    up = stack.up()
    # The provider was created in state by the previous (partly failed) up.
    assert changes_only(up.summary.resource_changes) == {"create": 2}, up.stdout
    outputs = stack.outputs()
    assert outputs["provider_ids"] == {"twilio": pre_provider.id}
    assert outputs["number_ids"] == {"line-0": pre_number.id}
    states = {r["urn"].rsplit("::", 1)[1]: r["outputs"] for r in cartesia_resources(stack)}
    assert states["twilio"]["adopted"] is True
    assert states["line-0"]["adopted"] is True
    assert states["line-0"]["label"] == "Support line"

    (provider,) = providers_in(control)
    # Adoption set the program's credentials (a secret cannot be read back to compare).
    assert provider["id"] == pre_provider.id
    assert provider["api_key_sid"] == US1_KEY
    assert provider["api_key_secret_sha256"] == sha256_hex(US1_SECRET)
    number = numbers_in(control)["+14155550100"]
    assert number["id"] == pre_number.id
    assert number["label"] == "Support line"
    assert number["agent_id"] == SUPPORT
    # With adopt=True the number is looked up first (no POST that could only answer 409), the
    # adoption PATCHed the label, and the assignment found Support already there: one write.
    log = [(r["method"], r["path"], r["status"]) for r in control.requests()]
    assert [e for e in log if e[0] != "GET"] == [
        ("PATCH", f"{NUMBERS_PATH}/{pre_number.id}", 200),
    ], log

    stack.assert_no_changes()


@both_adapters
def test_create_lost_responses_makes_no_duplicates(
    adapter: str, emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    control = emulator.control
    # The first provider POST and the first import POST are applied, then the connection drops.
    control.add_fault(kind="apply_then_drop", route=f"^POST {PROVIDERS_PATH}$", count=1)
    control.add_fault(kind="apply_then_drop", route=f"^POST {NUMBERS_PATH}$", count=1)
    graph = Graph(numbers=[NumberSpec("+14155550100")])
    stack = engine.stack(graph.program(adapter), env=plugin_env(adapter), **cartesia.kwargs())

    up = stack.up()
    assert changes_only(up.summary.resource_changes) == {"create": 4}, up.stdout
    assert [f["fired"] for f in control.faults()] == [1, 1], control.faults()
    dropped = [f"{r['method']} {r['path']}" for r in control.requests() if r["fault"]]
    assert dropped == [f"POST {PROVIDERS_PATH}", f"POST {NUMBERS_PATH}"], control.requests()

    (provider,) = providers_in(control)
    numbers = numbers_in(control)
    assert list(numbers) == ["+14155550100"]
    outputs = stack.outputs()
    assert outputs["provider_ids"] == {"twilio": provider["id"]}
    assert outputs["number_ids"] == {"line-0": numbers["+14155550100"]["id"]}
    assert numbers["+14155550100"]["agent_id"] == SUPPORT
    states = {r["urn"].rsplit("::", 1)[1]: r["outputs"] for r in cartesia_resources(stack)}
    assert states["twilio"]["adopted"] is False and states["line-0"]["adopted"] is False

    stack.assert_no_changes()
