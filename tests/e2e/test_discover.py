"""Brownfield through the real CLI: discover an organisation, `pulumi up` the generated project.

The organisation is made the way a team made it by hand, through the public API: providers in two
regions, 20 numbers, some assigned, one to an agent no program mentions. The generated project's
first `pulumi up` must adopt everything and create nothing — no POST and no DELETE in the request
log; objects keep their ids, agents and labels — and the preview after it must show no changes,
before and after dropping adopt (`--adopted`).
"""

from __future__ import annotations

import sys
from pathlib import Path

from cartesia_pulumi.client import CartesiaClient
from cartesia_pulumi.emulator import demo
from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.e2e.harness import DEMO_API_KEY
from tests.support.cli import REPO, cli_env, pulumi, run

US_NUMBERS = [f"+1628555{4000 + i:04d}" for i in range(14)]
IE_NUMBERS = [f"+35316{i:06d}" for i in range(6)]


def _seed_by_hand(emulator: RunningEmulator) -> dict[str, str]:
    control = emulator.control
    control.seed(
        {"twilio_accounts": [{"account_sid": demo.PROD_ACCOUNT_SID, "numbers": US_NUMBERS + IE_NUMBERS}]}
    )
    control.seed({"organizations": [{"id": "org_demo", "agents": [{"id": "agent_legacy", "name": "Legacy IVR"}]}]})
    with CartesiaClient(DEMO_API_KEY, base_url=emulator.url) as c:
        us = c.providers.create(
            account_sid=demo.PROD_ACCOUNT_SID, api_key_sid=demo.PROD_US1.sid,
            api_key_secret=demo.PROD_US1.secret, label="Production US",
        )  # fmt: skip
        ie = c.providers.create(
            account_sid=demo.PROD_ACCOUNT_SID, api_key_sid=demo.PROD_IE1.sid,
            api_key_secret=demo.PROD_IE1.secret, region="ie1",
        )  # fmt: skip
        for i, number in enumerate(US_NUMBERS):
            agent = "agent_support" if i % 2 == 0 else None
            c.phone_numbers.import_(number=number, label=f"US line {i % 5}", provider_id=us.id, agent_id=agent)
        for i, number in enumerate(IE_NUMBERS):
            agent = "agent_legacy" if i == 0 else ("agent_sales" if i < 3 else None)
            c.phone_numbers.import_(number=number, label=f"Dublin {i}", provider_id=ie.id, agent_id=agent)
    return {"us1": us.id, "ie1": ie.id}


def test_discover_then_up_adopts_everything_and_creates_nothing(
    tmp_path: Path, pulumi_bin: Path, emulator: RunningEmulator
) -> None:
    control = emulator.control
    _seed_by_hand(emulator)
    before = control.org()
    out = tmp_path / "adopted"
    env = cli_env(tmp_path, pulumi_bin, {"CARTESIA_API_KEY": DEMO_API_KEY})
    run([sys.executable, "-m", "cartesia_pulumi.cli", "discover", "--out", str(out), "--base-url", emulator.url, "--stack", "prod"], tmp_path, env)  # fmt: skip
    (out / "venv").symlink_to(REPO / ".venv")  # the project's venv: this checkout's packages

    # The config the README says to set: each key SID (masked by the API) and secret.
    readme = (out / "README.md").read_text()
    keys = {"twilio-us1-production-us": demo.PROD_US1, "twilio-ie1": demo.PROD_IE1}
    pulumi(out, "stack", "init", "prod", env=env)
    args = ["config", "set-all", "--secret", f"cartesia:apiKey={DEMO_API_KEY}"]
    for name, key in keys.items():
        assert f"pulumi config set {name}-apiKeySid" in readme
        args += ["--plaintext", f"{name}-apiKeySid={key.sid}", "--secret", f"{name}-apiKeySecret={key.secret}"]
    pulumi(out, *args, env=env)

    control.clear_requests()
    up = pulumi(out, "up", "--yes", "--skip-preview", env=env)
    log = control.api_calls()
    assert [c for c in log if c.startswith(("POST", "DELETE"))] == [], log
    after = control.org()
    assert {n["id"]: (n["number"], n["agent_id"], n["label"]) for n in after["phone_numbers"]} == {
        n["id"]: (n["number"], n["agent_id"], n["label"]) for n in before["phone_numbers"]
    }
    assert [p["id"] for p in after["providers"]] == [p["id"] for p in before["providers"]]
    print(f"\n[discover] first up of 20 numbers: {len(log)} requests: {sorted(set(log))[:3]}…\n{up.stdout[-300:]}")
    pulumi(out, "preview", "--expect-no-changes", env=env)

    # Drop adopt (the documented edit), then regenerate without it: still no changes.
    pulumi(out, "config", "set", "adopt", "false", env=env)
    pulumi(out, "preview", "--expect-no-changes", env=env)
    stack_file = (out / "Pulumi.prod.yaml").read_text()
    run([sys.executable, "-m", "cartesia_pulumi.cli", "discover", "--out", str(out), "--base-url", emulator.url, "--stack", "prod", "--adopted", "--force"], tmp_path, env)  # fmt: skip
    assert "adopt=" not in (out / "__main__.py").read_text()
    # Keep the stack's own settings (secrets, encryption salt) that discover --force overwrote.
    (out / "Pulumi.prod.yaml").write_text(stack_file)
    pulumi(out, "preview", "--expect-no-changes", env=env)
    pulumi(out, "destroy", "--yes", env=env)
