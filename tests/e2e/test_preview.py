"""Preview predicts up (issue 11 item 2): what can be known without writing fails at `preview`.

Each failure names the field and the object, and the emulator's request log shows reads only.
An unchanged stack's preview makes no request at all; a one-change preview makes exactly the
lookups that change needs.
"""

from __future__ import annotations

from cartesia_pulumi.client import CartesiaClient
from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.e2e.harness import DEMO_API_KEY, CartesiaStackConfig, Engine, changes_only
from tests.e2e.programs import (
    PRODUCTION,
    SALES,
    US1,
    US1_KEY_2,
    US1_SECRET_2,
    Graph,
    NumberSpec,
    api_calls,
    engine_fails,
    quickstart,
    writes,
)


def test_preview_unknown_agent_fails_naming_the_field_with_reads_only(
    emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    control = emulator.control
    graph = quickstart(["+14155550100", "+14155550101"])
    stack = engine.stack(graph.program(), **cartesia.kwargs())
    stack.up()

    control.clear_requests()
    stack.assert_no_changes()
    assert control.requests() == [], "an unchanged stack's preview asks Cartesia nothing"

    stack.set_program(graph.with_number(0, agent_id=SALES).program())
    preview = stack.preview()
    assert changes_only(preview.change_summary) == {"update": 1}
    assert api_calls(control) == ["GET /agents"], "one change, one lookup"

    control.clear_requests()
    stack.set_program(graph.with_number(0, agent_id="agent_nobody").program())
    with engine_fails() as failed:
        stack.preview()
    message = str(failed.value)
    assert "NumberAssignment: agent_id 'agent_nobody' is not an agent" in message, message
    assert "line-0-agent" in message
    assert writes(control) == []


def test_preview_wrong_cartesia_key_fails_naming_the_setting(
    emulator: RunningEmulator, engine: Engine
) -> None:
    control = emulator.control
    stack = engine.stack(
        quickstart(["+14155550100"]).program(),
        config={"cartesia:baseUrl": emulator.url},
        secrets={"cartesia:apiKey": "sk_car_wrong_key_for_preview"},
    )
    with engine_fails() as failed:
        stack.preview()
    message = str(failed.value)
    assert "rejected the API key (401)" in message and "cartesia:apiKey" in message, message
    assert "sk_car_wrong_key_for_preview" not in message
    assert writes(control) == []


def test_preview_unknown_provider_id_fails_naming_the_field(
    emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    import pulumi

    from cartesia_pulumi import PhoneNumber

    def program() -> None:
        pulumi.export("id", PhoneNumber("line", number="+14155550100", provider_id="ata_missing").id)

    stack = engine.stack(program, **cartesia.kwargs())
    with engine_fails() as failed:
        stack.preview()
    message = str(failed.value)
    assert "PhoneNumber: provider_id 'ata_missing' is not a provider" in message, message
    assert writes(emulator.control) == []


def test_preview_existing_link_without_adopt_fails_before_any_write(
    emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    with CartesiaClient(DEMO_API_KEY, base_url=emulator.url) as client:
        theirs = client.providers.create(
            account_sid=PRODUCTION, api_key_sid=US1_KEY_2, api_key_secret=US1_SECRET_2
        )
    stack = engine.stack(Graph({"twilio": US1}, [NumberSpec("+14155550100")]).program(), **cartesia.kwargs())
    emulator.control.clear_requests()
    with engine_fails() as failed:
        stack.preview()
    message = str(failed.value)
    assert "TwilioProvider: Cartesia already has a Twilio provider" in message, message
    assert theirs.id in message and "adopt=True" in message
    assert writes(emulator.control) == []
