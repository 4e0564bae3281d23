"""The examples, run for real: the CLI or the example's own script, against the emulator.

* quickstart: `pulumi up` from the project directory, no changes on a second preview, destroy.
* multi-region: `promote.py` to staging and production (each with its own Twilio account), a
  number moving from the us1 provider to the ie1 provider as one in-place update, the guards
  (refusal on a replacement / deletion unless allowed), destroy.
* gitops: `gitops.py preview | apply | drift`, drift failing after an out-of-band change in the
  emulator and passing again after apply, a review stack (here without the RandomPet suffix;
  the suffix runs through the engine with our stand-in random plugin in
  tests/e2e/test_random_plugin.py and with mocks in tests/unit/test_example_gitops_review.py),
  destroy.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.e2e.examples_support import (
    copy_example,
    edit_stack_config,
    example_env,
    local_stack,
    org_state,
    script,
)
from tests.e2e.harness import assert_no_changes, changes_only
from tests.support.cli import pulumi

STAGING_ACCOUNT = "ACfedcba9876543210fedcba9876543210"
PRODUCTION_ACCOUNT = "AC0123456789abcdef0123456789abcdef"
STAGING_SECRETS = {
    "TWILIO_KEY_SECRET_US1": "staging-us1-secret-1",
    "TWILIO_KEY_SECRET_IE1": "staging-ie1-secret-1",
    "TWILIO_KEY_SECRET_AU1": "staging-au1-secret-1",
}
PRODUCTION_SECRETS = {
    "TWILIO_KEY_SECRET_US1": "demo-us1-secret-1",
    "TWILIO_KEY_SECRET_IE1": "demo-ie1-secret-1",
    "TWILIO_KEY_SECRET_AU1": "demo-au1-secret-1",
}
MR = "cartesia-multi-region"


def _numbers(control: Any) -> dict[str, dict[str, Any]]:
    return {n["number"]: n for n in org_state(control)["phone_numbers"]}


def _providers(control: Any) -> dict[tuple[str, str], dict[str, Any]]:
    return {(p["account_sid"], p["region"]): p for p in org_state(control)["providers"]}


def _assert_empty(control: Any) -> None:
    org = org_state(control)
    assert org["providers"] == [] and org["phone_numbers"] == [], org


# -- quickstart -------------------------------------------------------------------------------


def test_quickstart_cli_from_project_directory(
    tmp_path: Path, pulumi_bin: Path, emulator: RunningEmulator
) -> None:
    project = copy_example("quickstart", tmp_path)
    env = example_env(tmp_path, pulumi_bin, emulator.url)
    p = "cartesia-quickstart"
    pulumi(project, "stack", "init", "dev", env=env)
    pulumi(
        project, "config", "set-all",
        "--plaintext", f"{p}:twilioAccountSid={PRODUCTION_ACCOUNT}",
        "--plaintext", f"{p}:twilioApiKeySid=SK0123456789abcdef0123456789abc001",
        "--plaintext", f"{p}:region=us1",
        "--plaintext", f"{p}:numbers={json.dumps(['+14155550100', '+14155550101'])}",
        "--plaintext", f"{p}:agentId=agent_support",
        "--plaintext", f"cartesia:baseUrl={emulator.url}",
        "--secret", f"{p}:twilioApiKeySecret=demo-us1-secret-1",
        "--secret", "cartesia:apiKey=sk_car_demo_key",
        env=env,
    )  # fmt: skip

    pulumi(project, "up", "--yes", env=env)
    numbers = _numbers(emulator.control)
    assert {n: numbers[n]["agent_id"] for n in numbers} == {
        "+14155550100": "agent_support",
        "+14155550101": "agent_support",
    }
    pulumi(project, "preview", "--expect-no-changes", env=env)
    outputs = json.loads(pulumi(project, "stack", "output", "--json", env=env).stdout)
    assert outputs["routes"] == {"+14155550100": "agent_support", "+14155550101": "agent_support"}

    pulumi(project, "destroy", "--yes", env=env)
    _assert_empty(emulator.control)
    pulumi(project, "stack", "rm", "--yes", "dev", env=env)


# -- multi-region -----------------------------------------------------------------------------


def test_multi_region_staging_and_production_and_region_move(
    tmp_path: Path, pulumi_bin: Path, emulator: RunningEmulator
) -> None:
    project = copy_example("multi-region", tmp_path)
    staging_env = example_env(tmp_path, pulumi_bin, emulator.url, STAGING_SECRETS)
    production_env = example_env(tmp_path, pulumi_bin, emulator.url, PRODUCTION_SECRETS)

    out = script(project, "promote.py", "staging", "--create", env=staging_env).stdout
    assert "applied and converged" in out
    out = script(project, "promote.py", "production", "--create", env=production_env).stdout
    assert "applied and converged" in out
    # Secrets were stored encrypted in the stack files, never in plaintext.
    for stack, secrets in (("staging", STAGING_SECRETS), ("production", PRODUCTION_SECRETS)):
        text = (project / f"Pulumi.{stack}.yaml").read_text()
        assert "encryptionsalt" in text and "secure:" in text
        assert not any(secret in text for secret in secrets.values())

    control = emulator.control
    providers = _providers(control)
    assert set(providers) == {
        (account, region)
        for account in (STAGING_ACCOUNT, PRODUCTION_ACCOUNT)
        for region in ("us1", "ie1", "au1")
    }
    numbers = _numbers(control)
    by_id = {p["id"]: key for key, p in providers.items()}
    assert by_id[numbers["+14155550200"]["provider_id"]] == (STAGING_ACCOUNT, "us1")
    assert by_id[numbers["+35315550200"]["provider_id"]] == (STAGING_ACCOUNT, "ie1")
    assert by_id[numbers["+61255550100"]["provider_id"]] == (PRODUCTION_ACCOUNT, "au1")
    assert numbers["+14155550102"]["agent_id"] == "agent_sales"
    assert numbers["+14155550200"]["agent_id"] == "agent_support"
    assert len(numbers) == 4 + 7

    # Move +14155550102 from production's us1 provider to its ie1 provider: a config edit.
    moved = "+14155550102"
    before = numbers[moved]

    def move(cfg: dict[str, Any]) -> None:
        regions = cfg[f"{MR}:regions"]
        regions["us1"]["numbers"].remove(moved)
        regions["ie1"]["numbers"].append(moved)

    edit_stack_config(project, "production", move)
    production = local_stack(project, "production", production_env, pulumi_bin)
    preview = production.preview(color="never")
    assert changes_only(preview.change_summary) == {"update": 1}, preview.stdout
    up = production.up(color="never")
    assert changes_only(up.summary.resource_changes) == {"update": 1}, up.stdout
    after = _numbers(control)[moved]
    assert after["id"] == before["id"]  # same Cartesia number, not re-imported
    assert by_id[after["provider_id"]] == (PRODUCTION_ACCOUNT, "ie1")
    assert after["agent_id"] == "agent_sales"  # the route is untouched
    assert production.outputs()["number_ids"].value[moved] == before["id"]
    assert_no_changes(production.preview(color="never"))

    production.destroy(color="never")
    local_stack(project, "staging", staging_env, pulumi_bin).destroy(color="never")
    _assert_empty(control)


def test_multi_region_promote_guards(
    tmp_path: Path, pulumi_bin: Path, emulator: RunningEmulator
) -> None:
    project = copy_example("multi-region", tmp_path)
    env = example_env(tmp_path, pulumi_bin, emulator.url, STAGING_SECRETS)
    control = emulator.control
    script(project, "promote.py", "staging", "--create", env=env)
    assert "already converged" in script(project, "promote.py", "staging", env=env).stdout
    missing = script(project, "promote.py", "nonexistent", env=env, expect=2)
    assert "--create" in missing.stdout

    # Replacement: au1 moves to a dedicated Twilio subaccount (account_sid change = replace);
    # its only number moves to the us1 provider first (an update).
    sub_account, sub_key, sub_secret = (
        "AC00000000000000000000000000000a01",
        "SK00000000000000000000000000000a01",
        "sub-au1-secret",
    )
    control.seed(
        {
            "twilio_accounts": [
                {
                    "account_sid": sub_account,
                    "api_keys": [{"sid": sub_key, "secret": sub_secret, "region": "au1"}],
                    "numbers": [],
                }
            ]
        }
    )

    def to_subaccount(cfg: dict[str, Any]) -> None:
        regions = cfg[f"{MR}:regions"]
        regions["us1"]["numbers"].append("+61255550200")
        regions["au1"] = {"accountSid": sub_account, "apiKeySid": sub_key, "numbers": []}

    edit_stack_config(project, "staging", to_subaccount)
    env_sub = {**env, "TWILIO_KEY_SECRET_AU1": sub_secret}
    refused = script(project, "promote.py", "staging", env=env_sub, expect=3)
    assert "REFUSED" in refused.stdout and "--allow-replace" in refused.stdout
    assert "twilio-au1" in refused.stdout
    assert (STAGING_ACCOUNT, "au1") in _providers(control)  # nothing applied
    assert (sub_account, "au1") not in _providers(control)

    done = script(project, "promote.py", "staging", "--allow-replace", env=env_sub)
    assert "applied and converged" in done.stdout
    providers = _providers(control)
    assert (sub_account, "au1") in providers and (STAGING_ACCOUNT, "au1") not in providers
    us1 = providers[(STAGING_ACCOUNT, "us1")]["id"]
    assert _numbers(control)["+61255550200"]["provider_id"] == us1

    # Deletion: drop a number from the routing table and its region.
    def drop(cfg: dict[str, Any]) -> None:
        cfg[f"{MR}:regions"]["us1"]["numbers"].remove("+14155550201")
        cfg[f"{MR}:routes"]["agent_sales"].remove("+14155550201")

    edit_stack_config(project, "staging", drop)
    refused = script(project, "promote.py", "staging", "--allow-replace", env=env_sub, expect=3)
    assert "2 deletion(s)" in refused.stdout and "--allow-delete" in refused.stdout
    assert "+14155550201" in _numbers(control)
    script(project, "promote.py", "staging", "--allow-delete", env=env_sub)
    assert "+14155550201" not in _numbers(control)

    local_stack(project, "staging", env_sub, pulumi_bin).destroy(color="never")
    _assert_empty(control)


# -- gitops -----------------------------------------------------------------------------------


REVIEW_POOL = ("+14155550102", "+16285553000", "+16285553001", "+16285553002")


def _gitops(tmp_path: Path, pulumi_bin: Path, emulator: RunningEmulator) -> tuple[Path, dict[str, str]]:
    """A copy of examples/gitops and its environment; the review pool's numbers are seeded into
    the production Twilio account (review stacks import through production's provider)."""
    emulator.control.seed(
        {"twilio_accounts": [{"account_sid": PRODUCTION_ACCOUNT, "numbers": list(REVIEW_POOL)}]}
    )
    project = copy_example("gitops", tmp_path)
    env = example_env(
        tmp_path,
        pulumi_bin,
        emulator.url,
        {
            "TWILIO_API_KEY_SECRET": "demo-us1-secret-1",
            # verify asks the emulator's Twilio slice, with each provider's own key.
            "CARTESIA_PULUMI_TWILIO_API_URL": emulator.url + "/_twilio/{region}",
        },
    )
    return project, env


def test_gitops_preview_apply_drift_verify_review(
    tmp_path: Path, pulumi_bin: Path, emulator: RunningEmulator
) -> None:
    project, env = _gitops(tmp_path, pulumi_bin, emulator)
    control = emulator.control

    out = script(project, "gitops.py", "preview", "--create", env=env).stdout
    assert "6 to create" in out
    assert org_state(control)["phone_numbers"] == []  # a preview changes nothing

    applied = script(project, "gitops.py", "apply", env=env).stdout
    assert "applied, converged and verified" in applied
    assert "verify: all checks passed" in applied
    numbers = _numbers(control)
    assert numbers["+14155550100"]["agent_id"] == "agent_support"
    assert numbers["+14155550101"]["agent_id"] == "agent_sales"
    assert numbers["+14155550100"]["label"] == "Production +14155550100"
    assert "no drift" in script(project, "gitops.py", "drift", env=env).stdout

    # Out-of-band edits in the console: another agent on one number, a new label on the other.
    control.console_update_number(numbers["+14155550100"]["id"], agent_id="agent_sales")
    control.console_update_number(numbers["+14155550101"]["id"], label="edited in console")
    drift = script(project, "gitops.py", "drift", env=env, expect=3)
    assert "DRIFT" in drift.stdout and "out-of-band" in drift.stdout

    script(project, "gitops.py", "apply", env=env)
    numbers = _numbers(control)
    assert numbers["+14155550100"]["agent_id"] == "agent_support"
    assert numbers["+14155550101"]["label"] == "Production +14155550101"
    assert "no drift" in script(project, "gitops.py", "drift", env=env).stdout

    # What no refresh can see: a number released from the Twilio account. verify (in drift) can.
    control.twilio_remove_number(PRODUCTION_ACCOUNT, "+14155550101")
    broken = script(project, "gitops.py", "drift", env=env, expect=3)
    assert "unreachable number(s)" in broken.stdout and "+14155550101" in broken.stdout
    control.twilio_add_number(PRODUCTION_ACCOUNT, "+14155550101")

    # A review stack for PR 7: no link of its own, production's provider by StackReference.
    script(project, "gitops.py", "review", "--pr", "7", "--no-suffix", env=env)
    review_number = _numbers(control)[REVIEW_POOL[7 % len(REVIEW_POOL)]]
    assert review_number["label"] == f"Review {REVIEW_POOL[3]}"
    assert review_number["agent_id"] == "agent_support"
    assert review_number["provider_id"] == numbers["+14155550100"]["provider_id"]
    assert len(org_state(control)["providers"]) == 1
    script(project, "gitops.py", "review-destroy", "--pr", "7", env=env)
    assert REVIEW_POOL[3] not in _numbers(control)
    assert not (project / "Pulumi.review-pr-7.yaml").exists()

    pulumi(project, "destroy", "--yes", "--stack", "production", env=env)
    _assert_empty(control)


def test_gitops_two_review_stacks_at_once_both_converge(
    tmp_path: Path, pulumi_bin: Path, emulator: RunningEmulator
) -> None:
    project, env = _gitops(tmp_path, pulumi_bin, emulator)
    control = emulator.control
    script(project, "gitops.py", "apply", "--create", env=env)
    provider_id = _numbers(control)["+14155550100"]["provider_id"]

    # Two pull requests' review stacks, started together (slots 8 % 4 and 9 % 4 of the pool).
    runs = [
        subprocess.Popen(
            [sys.executable, str(project / "gitops.py"), "review", "--pr", str(pr), "--no-suffix"],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for pr in (8, 9)
    ]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    numbers = _numbers(control)
    for pr in (8, 9):
        review = numbers[REVIEW_POOL[pr % len(REVIEW_POOL)]]
        assert (review["provider_id"], review["agent_id"]) == (provider_id, "agent_support")
    assert len(org_state(control)["providers"]) == 1  # one link, shared

    for pr in (8, 9):
        script(project, "gitops.py", "review-destroy", "--pr", str(pr), env=env)
    pulumi(project, "destroy", "--yes", "--stack", "production", env=env)
    _assert_empty(control)
