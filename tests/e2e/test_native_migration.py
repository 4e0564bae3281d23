"""Moving a stack from the dynamic resources to the `cartesia` plugin, exactly as
docs/migrating-to-the-plugin.md says, through the real CLI against the emulator.

A small stack (1 provider, 2 numbers, 2 assignments) is deployed with the dynamic resources; then
`cartesia-pulumi migrate` writes the import file, `pulumi import --file` adopts each object as the
plugin's resource, the printed `pulumi state delete` forgets the dynamic ones, the program's import
line changes to the generated SDK, and one `pulumi up` updates the provider's credentials (one
PATCH: Cartesia never returns the Twilio key secret to an import). After that a preview shows no
changes, Cartesia holds the same objects (same ids, same agents), nothing was created or deleted
there, and a destroy empties it.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.e2e.harness import DEMO_API_KEY, plugin_env
from tests.e2e.programs import (
    PRODUCTION,
    PROVIDERS_PATH,
    SUPPORT,
    US1_KEY,
    US1_SECRET,
    US_NUMBERS,
    numbers_in,
    providers_in,
    writes,
)
from tests.support.cli import CliProject, run

NUMBERS = US_NUMBERS[:2]

PROGRAM = """\
import pulumi
{import_line}

cfg = pulumi.Config()
twilio = cartesia.TwilioProvider(
    "twilio",
    account_sid="{account}",
    api_key_sid="{key}",
    api_key_secret=cfg.require_secret("twilioKeySecret"),
    region="us1",
)
for i, number in enumerate({numbers!r}):
    line = cartesia.PhoneNumber(f"line-{{i}}", number=number, provider_id=twilio.id)
    cartesia.NumberAssignment(f"line-{{i}}-agent", phone_number_id=line.id, agent_id="{agent}")
"""
#: The only line of the program that changes (docs/migrating-to-the-plugin.md, step 4).
DYNAMIC_IMPORT = "import cartesia_pulumi.resources as cartesia"
NATIVE_IMPORT = "import pulumi_cartesia as cartesia"


def _program(import_line: str) -> str:
    return PROGRAM.format(
        import_line=import_line, account=PRODUCTION, key=US1_KEY, numbers=NUMBERS, agent=SUPPORT
    )


def _snapshot(emulator: RunningEmulator) -> tuple[list[str], dict[str, tuple[str, str | None]]]:
    """(provider ids, {number: (id, agent)}) of the workload's objects in the emulator."""
    control = emulator.control
    numbers = numbers_in(control)
    return (
        sorted(p["id"] for p in providers_in(control)),
        {n: (numbers[n]["id"], numbers[n].get("agent_id")) for n in NUMBERS if n in numbers},
    )


def _types(project: CliProject) -> list[str]:
    exported = json.loads(project.run("stack", "export").stdout)
    return sorted(r["type"] for r in exported["deployment"]["resources"])


def test_dynamic_stack_moves_to_the_plugin_without_touching_cartesia(
    tmp_path: Path, pulumi_bin: Path, emulator: RunningEmulator
) -> None:
    control = emulator.control
    providers_before = sorted(p["id"] for p in providers_in(control))
    project = CliProject(tmp_path, pulumi_bin, _program(DYNAMIC_IMPORT), name="cp-migrate")
    project.env.update(plugin_env("native", project.env["PATH"]))
    project.configure(
        "dev",
        {"cartesia:baseUrl": emulator.url},
        {"cartesia:apiKey": DEMO_API_KEY, "twilioKeySecret": US1_SECRET},
    )
    project.run("up", "--yes")
    deployed = _snapshot(emulator)
    assert len(deployed[0]) == len(providers_before) + 1
    assert {n: agent for n, (_, agent) in deployed[1].items()} == dict.fromkeys(NUMBERS, SUPPORT)
    control.clear_requests()

    # 1. The import file (and the state-delete command) from the stack's state.
    scripts = Path(sys.executable).parent
    migrate = run(
        [scripts / "cartesia-pulumi", "migrate", "--stack", "dev"], project.dir, project.env
    )
    import_file = json.loads((project.dir / "import.json").read_text())
    assert sorted((r["type"], r["name"]) for r in import_file["resources"]) == sorted(
        [("cartesia:index:TwilioProvider", "twilio")]
        + [("cartesia:index:PhoneNumber", f"line-{i}") for i in range(2)]
        + [("cartesia:index:NumberAssignment", f"line-{i}-agent") for i in range(2)]
    )
    delete_command = migrate.stdout.strip()
    assert delete_command.startswith("pulumi state delete --stack dev --yes "), migrate.stdout

    # 2. Import each object as the plugin's resource (reads only).
    project.run(
        "import", "--stack", "dev", "--file", "import.json", "--yes", "--generate-code=false"
    )
    # 3. Forget the dynamic resources (state only).
    args = shlex.split(delete_command)
    project.run(*args[1:])
    assert all(t.startswith(("cartesia:index:", "pulumi:")) for t in _types(project))
    assert "pulumi:providers:pulumi-python" not in _types(project)
    assert writes(control) == [], "import and state delete must not write to Cartesia"

    # 4. The program uses the plugin's classes; the first up updates the provider's credentials.
    (project.dir / "__main__.py").write_text(_program(NATIVE_IMPORT))
    preview = project.run("preview", "--diff", "--stack", "dev")
    assert "cartesia:index:TwilioProvider" in preview.stdout, preview.stdout
    assert "1 to update" in preview.stdout, preview.stdout
    control.clear_requests()
    project.run("up", "--stack", "dev", "--yes")
    provider_id = next(iter(set(deployed[0]) - set(providers_before)))
    assert writes(control) == [f"PATCH {PROVIDERS_PATH}/{provider_id}"]

    # 5. No changes left; Cartesia holds the same objects as before the migration.
    control.clear_requests()
    project.run("preview", "--expect-no-changes", "--stack", "dev")
    assert writes(control) == []
    assert _snapshot(emulator) == deployed
    assert not any(t.startswith("pulumi-python:dynamic") for t in _types(project))
    assert US1_SECRET not in (project.dir / "import.json").read_text()
    again = run(
        [scripts / "cartesia-pulumi", "migrate", "--stack", "dev", "--out", "again.json"],
        project.dir,
        project.env,
        expect=2,
    )
    assert again.stderr.strip() == (
        "error: Cannot migrate stack dev: the stack has no dynamic TwilioProvider, "
        "PhoneNumber or NumberAssignment to migrate."
    ), again.stderr
    assert not (project.dir / "again.json").exists()

    # 6. The plugin now owns the objects: destroy removes them all, in order.
    project.run("destroy", "--yes")
    assert sorted(p["id"] for p in providers_in(control)) == providers_before
    assert not set(NUMBERS) & set(numbers_in(control))
