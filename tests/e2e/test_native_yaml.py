"""The YAML quickstart (plugin/quickstart/Pulumi.yaml) through the real CLI and the YAML host.

`pulumi-language-yaml` runs the program (built from the pulumi-yaml Go module by
tools/build-pulumi.sh and linked next to the CLI; an official CLI bundles it); the engine starts
the cartesia plugin from PATH and hands it the stack's `cartesia:*` config as provider inputs.
Up creates the provider, the number and its route in the emulator; a second preview has no
changes; destroy removes all three. The Twilio key secret stays encrypted in the state.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.e2e.harness import DEMO_API_KEY, REPO, plugin_env
from tests.e2e.programs import PRODUCTION, SUPPORT, US1_KEY, US1_SECRET
from tests.support.cli import cli_env, pulumi

NUMBER = "+14155550100"  # the program's `number` variable


def test_yaml_quickstart_up_preview_destroy(
    tmp_path: Path, pulumi_bin: Path, emulator: RunningEmulator
) -> None:
    assert (pulumi_bin / "pulumi-language-yaml").exists(), (
        f"no pulumi-language-yaml next to the CLI in {pulumi_bin}; run tools/build-pulumi.sh"
    )
    project = tmp_path / "yaml-quickstart"
    project.mkdir()
    shutil.copy(REPO / "plugin" / "quickstart" / "Pulumi.yaml", project)
    env = cli_env(tmp_path, pulumi_bin)
    env.update(plugin_env("native", env["PATH"]))
    control = emulator.control

    pulumi(project, "stack", "init", "dev", env=env)
    pulumi(
        project, "config", "set-all",
        "--plaintext", f"cartesia:baseUrl={emulator.url}",
        "--secret", f"cartesia:apiKey={DEMO_API_KEY}",
        "--secret", f"apiKeySecret={US1_SECRET}",
        env=env,
    )  # fmt: skip

    up = pulumi(project, "up", "--yes", env=env).stdout
    assert "+ 4 created" in up, up
    [provider] = control.providers()
    assert (provider["account_sid"], provider["region"]) == (PRODUCTION, "us1"), provider
    assert provider["api_key_sid"] == US1_KEY, provider
    line = control.numbers()[NUMBER]
    assert line["provider_id"] == provider["id"], line
    assert line["agent_id"] == SUPPORT and line["label"] == "Support line", line
    outputs = json.loads(pulumi(project, "stack", "output", "--json", env=env).stdout)
    assert outputs == {
        "providerId": provider["id"],
        "maskedApiKeySid": "SK" + "*" * 28 + US1_KEY[-4:],
        "numberId": line["id"],
        "agentName": "Support",
    }, outputs

    state = pulumi(project, "stack", "export", env=env).stdout
    assert US1_SECRET not in state and DEMO_API_KEY not in state

    control.clear_requests()
    pulumi(project, "preview", "--expect-no-changes", env=env)
    assert control.writes() == []

    down = pulumi(project, "destroy", "--yes", env=env).stdout
    assert "- 4 deleted" in down, down
    assert control.providers() == [] and NUMBER not in control.numbers()
