"""`pulumi import` of each cartesia:index:* type through the plugin's Read, and the snippet the CLI
writes (in a YAML project: the YAML language host generates code). Native adapter only: the
engine cannot import dynamic resources.

Id shapes (docs/native-provider.md): a TwilioProvider by its Cartesia provider id, a PhoneNumber by
its phone number id, a NumberAssignment by the id of the phone number it routes.
"""

from __future__ import annotations

import json
from pathlib import Path

from pulumi import automation as auto
from pulumi.automation._stack import ImportResource, ImportResult

from cartesia_pulumi.client import CartesiaClient
from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.e2e.harness import (
    DEMO_API_KEY,
    CartesiaStackConfig,
    Engine,
    EngineStack,
    changes_only,
    op_counts,
    plugin_env,
)
from tests.e2e.programs import (
    PRODUCTION,
    SUPPORT,
    US1_KEY,
    US1_SECRET,
    Graph,
    NumberSpec,
    numbers_in,
    providers_in,
    writes,
)
from tests.support.cli import cli_env, pulumi

NUMBER = "+14155550100"


def _made_by_hand(emulator: RunningEmulator) -> tuple[str, str]:
    """A provider and a number on it, routed to Support, made outside Pulumi: (provider, number)."""
    with CartesiaClient(DEMO_API_KEY, base_url=emulator.url) as client:
        provider = client.providers.create(
            account_sid=PRODUCTION, api_key_sid=US1_KEY, api_key_secret=US1_SECRET, region="us1"
        )
        number = client.phone_numbers.import_(number=NUMBER, label=NUMBER, provider_id=provider.id)
        client.phone_numbers.update(number.id, agent_id=SUPPORT)
    return provider.id, number.id


def _import(
    stack: EngineStack, resources: list[ImportResource], *, code: bool = False
) -> ImportResult:
    return stack.stack.import_resources(
        resources=resources, generate_code=code, on_output=stack.log.append
    )


def test_import_each_kind_then_preview_shows_only_the_provider_credentials(
    emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    control = emulator.control
    provider_id, number_id = _made_by_hand(emulator)
    graph = Graph(numbers=[NumberSpec(NUMBER, agent_id=SUPPORT, name="line")])
    stack = engine.stack(graph.program("native"), env=plugin_env("native"), **cartesia.kwargs())
    control.clear_requests()

    result = _import(
        stack,
        [
            {"type": "cartesia:index:TwilioProvider", "name": "twilio", "id": provider_id},
            {"type": "cartesia:index:PhoneNumber", "name": "line", "id": number_id},
            {"type": "cartesia:index:NumberAssignment", "name": "line-agent", "id": number_id},
        ],
    )

    # The only create is the stack itself (the first operation on this stack).
    assert changes_only(result.summary.resource_changes) == {"create": 1}, result.stdout
    assert op_counts(result.summary.resource_changes).get("import") == 3, result.stdout
    assert writes(control) == [], "an import only reads"
    states = {r["type"]: r for r in stack.resources() if r["type"].startswith("cartesia:index:")}
    assert states["cartesia:index:NumberAssignment"]["id"] == number_id
    assert states["cartesia:index:PhoneNumber"]["outputs"]["number"] == NUMBER

    # The program declares the same objects: numbers and the assignment show no changes; the
    # provider, whose state holds Cartesia's masked key SID and no secret, updates its
    # credentials once (docs/native-provider.md).
    preview = stack.preview(diff=True)
    assert changes_only(preview.change_summary) == {"update": 1}, preview.stdout
    assert "cartesia:index:TwilioProvider" in preview.stdout
    stack.up()
    assert [p["id"] for p in providers_in(control)] == [provider_id]
    assert numbers_in(control)[NUMBER]["id"] == number_id
    stack.assert_no_changes()


def test_import_of_a_number_without_an_assignment_fails_with_one_sentence(
    emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    provider_id, number_id = _made_by_hand(emulator)
    with CartesiaClient(DEMO_API_KEY, base_url=emulator.url) as client:
        client.phone_numbers.update(number_id, agent_id=None)
    del provider_id
    stack = engine.stack(Graph().program("native"), env=plugin_env("native"), **cartesia.kwargs())
    try:
        _import(stack, [{"type": "cartesia:index:NumberAssignment", "name": "a", "id": number_id}])
    except auto.CommandError as exc:
        message = str(exc)
    else:
        raise AssertionError("importing an unassigned number as an assignment succeeded")
    assert number_id in message, message
    assert "Traceback" not in message, message


def test_import_writes_a_yaml_snippet_that_runs_unchanged_as_the_program(
    tmp_path: Path, pulumi_bin: Path, emulator: RunningEmulator
) -> None:
    """The CLI's generated code, in a YAML project (the YAML language host generates it): the
    snippet pasted as the program previews without changes."""
    provider_id, number_id = _made_by_hand(emulator)
    project = tmp_path / "imported"
    project.mkdir()
    header = "name: imported\nruntime: yaml\n"
    (project / "Pulumi.yaml").write_text(header)
    env = cli_env(tmp_path, pulumi_bin)
    env.update(plugin_env("native", env["PATH"]))
    pulumi(project, "stack", "init", "dev", env=env)
    pulumi(project, "config", "set", "cartesia:baseUrl", emulator.url, env=env)
    pulumi(project, "config", "set", "--secret", "cartesia:apiKey", DEMO_API_KEY, env=env)
    (project / "import.json").write_text(
        json.dumps(
            {
                "resources": [
                    {"type": "cartesia:index:PhoneNumber", "name": "line", "id": number_id},
                    {"type": "cartesia:index:NumberAssignment", "name": "route", "id": number_id},
                ]
            }
        )
    )
    control = emulator.control
    control.clear_requests()
    pulumi(project, "import", "--file", "import.json", "--yes", "--out", "snippet.yaml", env=env)
    snippet = (project / "snippet.yaml").read_text()
    for fragment in (
        # YAML shortens `cartesia:index:X` to `cartesia:X` and links the assignment to the number.
        "type: cartesia:PhoneNumber",
        f"number: '{NUMBER}'",
        f"providerId: {provider_id}",
        "type: cartesia:NumberAssignment",
        "phoneNumberId: ${line.id}",
        f"agentId: {SUPPORT}",
    ):
        assert fragment in snippet, f"{fragment!r} not in the generated snippet:\n{snippet}"
    assert writes(control) == [], "an import only reads"

    (project / "Pulumi.yaml").write_text(header + snippet)
    pulumi(project, "preview", "--expect-no-changes", env=env)
    # An `up` records the program's dependencies (number -> assignment), so the destroy goes in
    # order (docs/native-provider.md); the snippet keeps `protect: true`, hence the unprotect.
    pulumi(project, "up", "--yes", "--expect-no-changes", env=env)
    pulumi(project, "state", "unprotect", "--all", "--yes", env=env)
    pulumi(project, "destroy", "--yes", env=env)
    assert NUMBER not in numbers_in(control)
