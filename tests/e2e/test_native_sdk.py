"""The generated Python SDK (sdk/python, package `pulumi_cartesia`) driving the cartesia plugin.

A program written against the typed SDK classes (an explicit `cartesia.Provider` with the
emulator's URL and key, a TwilioProvider, a PhoneNumber, a NumberAssignment) runs through the
real CLI from a project directory: up creates all three in the emulator, a label change is one
in-place update, destroy removes everything. The SDK is this checkout's sdk/python (the committed
files, as `make sdk` generated them), installed editable into the venv by `make setup` (the
generated package reads its version from its installed metadata); the engine finds the plugin on
PATH.

Checks of the committed SDKs ride along: they are what plugin/schema.json generates now
(`make sdk-check`, which runs Go), the TypeScript one compiles with tsc and a program using it
type-checks (`make sdk-ts-check`, npm packages cached outside the repository), and the Python one
builds a wheel that carries the plugin's name and version.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
import zipfile
from pathlib import Path

from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.e2e.harness import DEMO_API_KEY, REPO, plugin_env
from tests.e2e.programs import PRODUCTION, SALES, US1_KEY, US1_SECRET
from tests.support.cli import CliProject, run

NUMBER = "+14155550101"

PROGRAM = f"""
import pulumi
import pulumi_cartesia as cartesia

config = pulumi.Config()
emulator = cartesia.Provider(
    "emulator",
    base_url=config.require("baseUrl"),
    api_key=config.require_secret("cartesiaKey"),
)
opts = pulumi.ResourceOptions(provider=emulator)
twilio = cartesia.TwilioProvider(
    "twilio",
    account_sid="{PRODUCTION}",
    api_key_sid="{US1_KEY}",
    api_key_secret=config.require_secret("twilioSecret"),
    region="us1",
    opts=opts,
)
line = cartesia.PhoneNumber(
    "line", number="{NUMBER}", provider_id=twilio.id, label=config.require("label"), opts=opts
)
route = cartesia.NumberAssignment(
    "route", phone_number_id=line.id, agent_id="{SALES}", opts=opts
)
pulumi.export("numberId", line.id)
pulumi.export("maskedApiKeySid", twilio.masked_api_key_sid)
pulumi.export("agentName", route.agent_name)
"""


def test_python_sdk_program_up_update_destroy(
    tmp_path: Path, pulumi_bin: Path, emulator: RunningEmulator
) -> None:
    spec = importlib.util.find_spec("pulumi_cartesia")
    assert spec is not None and spec.origin is not None, (
        "pulumi_cartesia is not installed in this venv; run `make setup` (it installs sdk/python)"
    )
    assert Path(spec.origin).is_relative_to(REPO / "sdk" / "python"), spec.origin
    cli = CliProject(tmp_path, pulumi_bin, PROGRAM, name="cartesia-sdk")
    cli.env.update(plugin_env("native", cli.env["PATH"]))
    cli.configure(
        "dev",
        {"cartesia-sdk:baseUrl": emulator.url, "cartesia-sdk:label": "Sales line"},
        {"cartesia-sdk:cartesiaKey": DEMO_API_KEY, "cartesia-sdk:twilioSecret": US1_SECRET},
    )
    control = emulator.control

    up = cli.run("up", "--yes").stdout
    assert "+ 5 created" in up, up  # stack, explicit provider, three resources
    [provider] = control.providers()
    line = control.numbers()[NUMBER]
    assert line["provider_id"] == provider["id"] and line["agent_id"] == SALES, line
    assert line["label"] == "Sales line", line
    outputs = json.loads(cli.run("stack", "output", "--json").stdout)
    assert outputs == {
        "numberId": line["id"],
        "maskedApiKeySid": "SK" + "*" * 28 + US1_KEY[-4:],
        "agentName": "Sales",
    }, outputs
    state = cli.run("stack", "export").stdout
    assert US1_SECRET not in state and DEMO_API_KEY not in state

    cli.run("config", "set", "label", "Sales, main line")
    control.clear_requests()
    update = cli.run("up", "--yes").stdout
    assert "~ 1 updated" in update, update
    assert control.numbers()[NUMBER]["label"] == "Sales, main line"
    assert [c for c in control.writes() if not c.startswith("PATCH ")] == [], control.writes()

    down = cli.run("destroy", "--yes").stdout
    assert "- 5 deleted" in down, down
    assert control.providers() == [] and NUMBER not in control.numbers()


def test_committed_sdks_are_what_the_schema_generates(tmp_path: Path) -> None:
    assert shutil.which("go"), "regenerating the SDKs needs Go on PATH (https://go.dev/dl/)"
    out = run([REPO / "tools" / "gen-sdk.sh", "--check"], tmp_path).stdout
    assert "sdk/ matches plugin/schema.json" in out, out


def test_typescript_sdk_compiles_with_tsc(tmp_path: Path) -> None:
    out = run([REPO / "tools" / "check-ts-sdk.sh"], tmp_path).stdout
    assert "sdk/nodejs compiles with tsc" in out, out
    assert not (REPO / "sdk" / "nodejs" / "bin").exists()  # compiled in a copy


def test_python_sdk_builds_a_wheel_that_names_the_plugin(tmp_path: Path) -> None:
    # From a copy: a build writes build/ and *.egg-info next to the sources.
    source = tmp_path / "python"
    shutil.copytree(REPO / "sdk" / "python", source, ignore=shutil.ignore_patterns("*.egg-info"))
    run([sys.executable, "-m", "build", "--wheel", "--outdir", tmp_path / "dist", source], tmp_path)
    [wheel] = (tmp_path / "dist").glob("pulumi_cartesia-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        plugin = json.loads(zf.read("pulumi_cartesia/pulumi-plugin.json"))
    schema = json.loads((REPO / "plugin" / "schema.json").read_text())
    assert wheel.name == f"pulumi_cartesia-{schema['version']}-py3-none-any.whl"
    assert {"pulumi_cartesia/py.typed", "pulumi_cartesia/phone_number.py"} <= names
    # What Pulumi's language hosts read to know which plugin (and version) the program needs.
    assert plugin == {"resource": True, "name": "cartesia", "version": schema["version"]}
