"""The plugin's provider configuration declared in the schema: an explicit `cartesia` provider
with ``apiKey`` (secret) and ``baseUrl`` inputs, and no ``cartesia:*`` stack config at all."""

from __future__ import annotations

import pulumi

from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.e2e.harness import DEMO_API_KEY, Engine, changes_only, plugin_env
from tests.e2e.programs import (
    PRODUCTION,
    SUPPORT,
    US1_KEY,
    US1_SECRET,
    NativeNumberAssignment,
    NativePhoneNumber,
    NativeTwilioProvider,
    numbers_in,
    providers_in,
)


def test_explicit_provider_with_api_key_and_base_url_inputs(
    emulator: RunningEmulator, engine: Engine
) -> None:
    def program() -> None:
        cartesia = pulumi.ProviderResource(
            "cartesia",
            "org",
            {"apiKey": pulumi.Output.secret(DEMO_API_KEY), "baseUrl": emulator.url},
        )
        opts = pulumi.ResourceOptions(provider=cartesia)
        twilio = NativeTwilioProvider(
            "twilio",
            opts,
            account_sid=PRODUCTION,
            api_key_sid=US1_KEY,
            api_key_secret=US1_SECRET,
            region="us1",
        )
        line = NativePhoneNumber("line", opts, number="+14155550100", provider_id=twilio.id)
        NativeNumberAssignment("line-agent", opts, phone_number_id=line.id, agent_id=SUPPORT)

    # No stack config and no CARTESIA_* variables: the provider's inputs are the only settings.
    stack = engine.stack(program, env={**plugin_env("native"), "CARTESIA_API_KEY": ""})
    up = stack.up()
    assert changes_only(up.summary.resource_changes) == {"create": 5}, up.stdout
    assert len(providers_in(emulator.control)) == 1
    assert numbers_in(emulator.control)["+14155550100"]["agent_id"] == SUPPORT
    stack.assert_no_changes()
    (explicit,) = [r for r in stack.resources() if r["type"] == "pulumi:providers:cartesia"]
    assert explicit["inputs"]["baseUrl"] == emulator.url
    assert DEMO_API_KEY not in stack.backend_text()
    assert DEMO_API_KEY not in stack.output_text()
