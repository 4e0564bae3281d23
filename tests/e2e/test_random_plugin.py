"""Engine tests of our stand-in `pulumi-resource-random` plugin (tools/random_plugin).

The official plugin cannot be built here, so `tools/build-pulumi.sh` installs a pure-Python
provider implementing only `random:index/randomPet:RandomPet` next to the CLI. These tests drive
`pulumi_random.RandomPet` through the real engine: create, no-change preview, no drift on
refresh, replacement when `keepers` change, destroy; and the gitops example's review stack with
its RandomPet label suffix (`reviewSuffix: true`) against the emulator.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pulumi
import pulumi_random

from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.e2e.examples_support import (
    EXAMPLES,
    copy_example,
    example_env,
    local_stack,
    org_state,
    script,
)
from tests.e2e.harness import Engine, changes_only, op_counts
from tests.support.cli import pulumi as pulumi_cli


def _with_suffix() -> Callable[[str, str | None], str]:
    """`with_suffix` of examples/gitops/gitops_program.py (loaded from its file, no sys.path)."""
    path = EXAMPLES / "gitops" / "gitops_program.py"
    spec = importlib.util.spec_from_file_location("gitops_program_random_e2e", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module.with_suffix


with_suffix = _with_suffix()

PET = "random:index/randomPet:RandomPet"


def _pet_program(keepers: dict[str, str]) -> Callable[[], None]:
    def program() -> None:
        pet = pulumi_random.RandomPet("pet", length=2, prefix="review", keepers=keepers)
        pulumi.export("pet_id", pet.id)

    return program


def test_random_pet_lifecycle(engine: Engine) -> None:
    stack = engine.stack(_pet_program({"pr": "7"}))

    # A preview before the first update: Create runs with preview=True, the name is unknown.
    preview = stack.preview()
    assert changes_only(preview.change_summary) == {"create": 2}, preview.stdout
    assert stack.resources(PET) == []

    up = stack.up()
    assert op_counts(up.summary.resource_changes).get("create") == 2  # stack + pet
    first = stack.outputs()["pet_id"]
    assert re.fullmatch(r"review-[a-z]+-[a-z]+", first), first
    [pet] = stack.resources(PET)
    assert pet["id"] == first
    assert pet["outputs"]["length"] == 2 and pet["outputs"]["separator"] == "-"

    stack.assert_no_changes()
    stack.assert_no_drift()
    refresh = stack.refresh()
    assert set(op_counts(refresh.summary.resource_changes)) <= {"same"}
    assert stack.outputs()["pet_id"] == first

    stack.set_program(_pet_program({"pr": "8"}))
    counts = op_counts(stack.up().summary.resource_changes)
    assert counts.get("replace") == 1, counts
    second = stack.outputs()["pet_id"]
    assert re.fullmatch(r"review-[a-z]+-[a-z]+", second), second
    assert second != first

    destroy = stack.destroy()
    assert op_counts(destroy.summary.resource_changes).get("delete") == 2
    assert stack.resources() == []
    _assert_only_path_warnings(stack.output_text())


def _assert_only_path_warnings(text: str) -> None:
    """The engine's only complaint is where it found the plugin (not bundled, so from $PATH).

    In particular there is no version-mismatch warning: GetPluginInfo reports 4.21.4, the
    version pulumi_random asks for.
    """
    warnings = {line.strip() for line in text.splitlines() if "warning:" in line}
    others = {w for w in warnings if "using pulumi-resource-random from $PATH" not in w}
    assert others == set(), others


# -- the gitops example's review stack with its RandomPet label suffix --------------------------


def test_gitops_review_stack_with_pet_suffix(
    tmp_path: Path, pulumi_bin: Path, emulator: RunningEmulator
) -> None:
    review_number = "+16285553002"  # slot 7 % 4 of the pool in Pulumi.review.yaml
    control = emulator.control
    control.seed(
        {"twilio_accounts": [{"account_sid": "AC0123456789abcdef0123456789abcdef", "numbers": [review_number]}]}
    )
    project = copy_example("gitops", tmp_path)
    env = example_env(
        tmp_path,
        pulumi_bin,
        emulator.url,
        {
            "TWILIO_API_KEY_SECRET": "demo-us1-secret-1",
            "CARTESIA_PULUMI_TWILIO_API_URL": emulator.url + "/_twilio/{region}",
        },
    )
    # Review stacks import through the production stack's provider: production first.
    script(project, "gitops.py", "apply", "--create", env=env)

    # `review` sets cartesia-gitops:reviewSuffix=true (from Pulumi.review.yaml and again
    # explicitly, as no --no-suffix is given) and applies the stack.
    script(project, "gitops.py", "review", "--pr", "7", env=env)
    review = local_stack(project, "review-pr-7", env, pulumi_bin)
    suffix = review.outputs()["review_suffix"].value
    assert re.fullmatch(r"[a-z]+-[a-z]+", suffix), suffix

    [number] = [n for n in org_state(control)["phone_numbers"] if n["number"] == review_number]
    assert number["label"] == with_suffix(f"Review {review_number}", suffix)
    assert number["label"].endswith(f" [{suffix}]")
    assert number["agent_id"] == "agent_support"
    assert len(org_state(control)["providers"]) == 1  # production's, shared

    # The pet lives in state: a second run changes nothing and keeps the labels.
    pulumi_cli(project, "preview", "--expect-no-changes", "--stack", "review-pr-7", env=env)
    assert review.outputs()["review_suffix"].value == suffix

    script(project, "gitops.py", "review-destroy", "--pr", "7", env=env)
    assert all(n["number"] != review_number for n in org_state(control)["phone_numbers"])
    assert not (project / "Pulumi.review-pr-7.yaml").exists()
    pulumi_cli(project, "destroy", "--yes", "--stack", "production", env=env)
