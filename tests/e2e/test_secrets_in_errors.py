"""Secrets never appear in an error, even from a server that echoes the request (issue 9 item 5),
and a rotated Cartesia key works for refresh and destroy with the documented runbook (item 9).

The echo fault answers with the request's headers (``Authorization: Bearer <key>``) and body
(``api_key_secret``) inside the error message. The Cartesia key comes from ``CARTESIA_API_KEY``,
not from stack config, so the provider process knows it only from its environment.
"""

from __future__ import annotations

from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.e2e.harness import DEMO_API_KEY, CartesiaStackConfig, Engine
from tests.e2e.programs import (
    PROVIDERS_PATH,
    US1_KEY_2,
    US1_SECRET,
    US1_SECRET_2,
    engine_fails,
    providers_in,
    quickstart,
)


def _assert_nowhere(stack: object, message: str, *secrets: str) -> None:
    texts = {"error": message, "output": stack.output_text(), "state+logs": stack.backend_text()}  # type: ignore[attr-defined]
    for secret in secrets:
        for where, text in texts.items():
            assert secret not in text, f"{secret[:6]}… leaked into the {where}"


def test_up_against_an_echoing_server_leaks_neither_key_nor_secret(
    emulator: RunningEmulator, engine: Engine
) -> None:
    control = emulator.control
    stack = engine.stack(
        quickstart(["+14155550100"]).program(),
        config={"cartesia:baseUrl": emulator.url},
        env={"CARTESIA_API_KEY": DEMO_API_KEY},
    )
    control.add_fault(route=f"^POST {PROVIDERS_PATH}$", kind="echo", status=400)
    with engine_fails() as failed:
        stack.up()
    message = str(failed.value)
    assert "***" in message, message  # the echo arrived, scrubbed
    _assert_nowhere(stack, message, DEMO_API_KEY, US1_SECRET)


def test_rotation_against_an_echoing_server_leaks_neither_secret(
    emulator: RunningEmulator, engine: Engine
) -> None:
    control = emulator.control
    graph = quickstart(["+14155550100"])
    stack = engine.stack(
        graph.program(),
        config={"cartesia:baseUrl": emulator.url},
        env={"CARTESIA_API_KEY": DEMO_API_KEY},
    )
    stack.up()
    stack.set_program(graph.with_provider(api_key_sid=US1_KEY_2, api_key_secret=US1_SECRET_2).program())
    control.add_fault(route=f"^PATCH {PROVIDERS_PATH}/", kind="echo", status=500)
    with engine_fails() as failed:
        stack.up()
    _assert_nowhere(stack, str(failed.value), DEMO_API_KEY, US1_SECRET, US1_SECRET_2)
    control.clear_faults()


def test_cartesia_key_rotation_runbook_refresh_and_destroy_with_run_program(
    emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    control = emulator.control
    new_key = "sk_car_rotated_demo_key"
    stack = engine.stack(quickstart(["+14155550100"]).program(), **cartesia.kwargs())
    stack.up()

    # Rotate in Cartesia (the old key stops working), then in the stack config.
    control.seed({"organizations": [{"id": "org_demo", "api_key": new_key, "replace_api_key": True}]})
    stack.set_config("cartesia:apiKey", new_key, secret=True)

    # Plain refresh configures the provider from the config recorded by the last up: old key.
    with engine_fails() as failed:
        stack.refresh()
    message = str(failed.value)
    assert "rejected the API key (401)" in message and "--run-program" in message, message

    # The runbook: refresh and destroy with the program's current config.
    stack.refresh(run_program=True)
    stack.assert_no_changes()
    stack.destroy(run_program=True)
    assert providers_in(control) == []
    _assert_nowhere(stack, message, new_key, DEMO_API_KEY)
