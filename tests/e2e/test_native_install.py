"""The plugin installed the way a user installs it: the wheel in a fresh project venv, outside
this checkout, found by the engine on PATH (an activated venv) and from the plugin cache.

The program uses the plugin's resource types through plain ``pulumi.CustomResource`` classes (no
generated SDK needed), so the only thing under test is how the engine finds and runs
``pulumi-resource-cartesia`` from the wheel.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import cartesia_pulumi
from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.e2e.examples_support import org_state
from tests.e2e.install_support import (
    KEYS,
    NATIVE_PROGRAM,
    NUMBER,
    Dist,
    built_dist,
    cli_env,
    configure_stack,
    pulumi_cli,
    wheel_project,
)


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Dist:
    return built_dist(tmp_path_factory.getbasetemp())


def test_wheel_plugin_runs_from_the_venv_on_path_then_from_the_plugin_cache(
    tmp_path: Path, dist: Dist, pulumi_bin: Path, emulator: RunningEmulator
) -> None:
    project = wheel_project(
        tmp_path / "native-telephony",
        NATIVE_PROGRAM,
        dist,
        cli_env(tmp_path / "engine", pulumi_bin),
    )
    scripts = (project / "venv" / "bin").resolve()
    plugin = scripts / "pulumi-resource-cartesia"
    assert plugin.is_file(), "the wheel did not install the pulumi-resource-cartesia script"

    # An activated venv: its bin/ first on PATH.
    base = cli_env(tmp_path / "engine", pulumi_bin)
    activated = {**base, "PATH": f"{scripts}{os.pathsep}{base['PATH']}"}
    pulumi_cli(project, "stack", "init", "dev", env=activated)
    configure_stack(project, activated, emulator.url)
    up = pulumi_cli(project, "up", "--yes", env=activated)
    assert f"using pulumi-resource-cartesia from $PATH at {plugin}" in up.stdout + up.stderr
    org = org_state(emulator.control)
    (provider,) = org["providers"]
    assert provider["api_key_sid"] == KEYS[1][0]
    (number,) = org["phone_numbers"]
    assert number["number"] == NUMBER and number["agent_id"] == "agent_support"
    state = pulumi_cli(project, "stack", "export", env=activated).stdout
    assert KEYS[1][1] not in state and "sk_car_demo_key" not in state

    # Not activated: the venv's bin/ is not on PATH, the plugin is in Pulumi's plugin cache.
    pulumi_cli(project, "plugin", "install", "resource", "cartesia", cartesia_pulumi.__version__,
               "--file", str(plugin), env=base)  # fmt: skip
    preview = pulumi_cli(project, "preview", "--expect-no-changes", env=base)
    assert "from $PATH" not in preview.stdout + preview.stderr
    pulumi_cli(project, "destroy", "--yes", env=base)
    org = org_state(emulator.control)
    assert org["providers"] == [] and org["phone_numbers"] == []
    pulumi_cli(project, "stack", "rm", "--yes", "dev", env=base)
