"""Errors read like a tool's (issue 12 item 6): the sentence, not a Python traceback.

Pulumi's dynamic-provider server sends ``traceback.format_exc()`` for every failed call; before
this change a refused import printed 23 lines under its resource (two tracebacks chained) with the
useful sentence last. Now the resource's diagnostic is the sentence alone.
"""

from __future__ import annotations

from cartesia_pulumi.client import CartesiaClient
from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.e2e.harness import DEMO_API_KEY, CartesiaStackConfig, Engine
from tests.e2e.programs import (
    PRODUCTION,
    US1_KEY,
    US1_SECRET,
    Graph,
    NumberSpec,
    ProviderSpec,
    engine_fails,
)

NUMBER = "+14155550100"


def _diagnostic_block(output: str, resource: str) -> list[str]:
    """The lines the CLI prints under ``<type> (<resource>):`` in its Diagnostics section."""
    lines = output[output.index("Diagnostics:") :].splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().endswith(f"({resource}):"))
    block: list[str] = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        block.append(line)
    return block


def test_up_refused_import_reports_one_sentence_without_traceback(
    emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    with CartesiaClient(DEMO_API_KEY, base_url=emulator.url) as client:
        provider = client.providers.create(
            account_sid=PRODUCTION, api_key_sid=US1_KEY, api_key_secret=US1_SECRET
        )
        existing = client.phone_numbers.import_(number=NUMBER, label="x", provider_id=provider.id)
    stack = engine.stack(
        Graph({"twilio": ProviderSpec(adopt=True)}, [NumberSpec(NUMBER, name="line")]).program(),
        **cartesia.kwargs(),
    )
    with engine_fails():
        stack.up()
    output = stack.output_text()
    assert "Traceback" not in output, output
    block = _diagnostic_block(output, "line")
    assert len(block) == 1, block
    (line,) = block
    assert line.strip().startswith(f"error: Importing phone number {NUMBER} failed"), line
    assert existing.id in line and "adopt=True" in line
    with CartesiaClient(DEMO_API_KEY, base_url=emulator.url) as client:
        client.phone_numbers.delete(existing.id)  # so teardown can delete the adopted provider
