"""examples/gitops: the RandomPet label suffix of review stacks, under Pulumi's mocks.

The pulumi-random provider plugin cannot be built offline here (the Go module proxy refuses
github.com/pulumi/pulumi-random/provider/v4), so a program with `reviewSuffix: true` cannot run
through the real engine. This is the one place where the examples are tested with
`pulumi.runtime.set_mocks`; everything else runs for real in tests/e2e/test_examples.py.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pulumi
import pytest

PROGRAM = Path(__file__).resolve().parents[2] / "examples" / "gitops" / "gitops_program.py"
PET = "calm-otter"
PROJECT = "cartesia-gitops"


def _load_program() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gitops_program_under_test", PROGRAM)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gitops_program = _load_program()


class Mocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.registered: list[tuple[str, str, dict[str, Any]]] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.registered.append((args.typ, args.name, dict(args.inputs)))
        if args.typ == "random:index/randomPet:RandomPet":
            return PET, {**args.inputs, "id": PET}
        return f"{args.name}-id", dict(args.inputs)

    def call(
        self, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        return {}, []


def _configure(review_suffix: bool) -> Mocks:
    mocks = Mocks()
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack="review-pr-7", preview=False)
    pulumi.runtime.set_all_config(
        {
            f"{PROJECT}:twilioAccountSid": "ACfedcba9876543210fedcba9876543210",
            f"{PROJECT}:twilioApiKeySid": "SKfedcba9876543210fedcba9876543001",
            f"{PROJECT}:twilioApiKeySecret": "staging-us1-secret-1",
            f"{PROJECT}:labelPrefix": "Review",
            f"{PROJECT}:reviewSuffix": json.dumps(review_suffix),
            f"{PROJECT}:routes": json.dumps({"+14155550200": "agent_support"}),
        },
        [f"{PROJECT}:twilioApiKeySecret"],
    )
    return mocks


@pytest.fixture
def clean_config() -> Iterator[None]:
    yield
    pulumi.runtime.set_all_config({}, [])


def test_with_suffix() -> None:
    assert gitops_program.with_suffix("Review +14155550200", "calm-otter") == (
        "Review +14155550200 [calm-otter]"
    )
    assert gitops_program.with_suffix("Review +14155550200", None) == "Review +14155550200"
    assert gitops_program.with_suffix("x", "") == "x"


@pulumi.runtime.test
def test_review_suffix_on_labels(clean_config: None) -> Any:
    mocks = _configure(review_suffix=True)
    deployed = gitops_program.program()
    phone = deployed.numbers["+14155550200"]

    def verify(values: list[Any]) -> None:
        label, provider_label, suffix = values
        assert suffix == PET
        assert label == f"Review +14155550200 [{PET}]"
        assert provider_label == f"Review us1 [{PET}]"
        pets = [(name, inputs) for typ, name, inputs in mocks.registered if "RandomPet" in typ]
        assert pets == [("review-suffix", {"length": 2, "separator": "-"})]

    return pulumi.Output.all(phone.label, deployed.provider.label, deployed.suffix).apply(verify)


@pulumi.runtime.test
def test_no_random_pet_without_review_suffix(clean_config: None) -> Any:
    mocks = _configure(review_suffix=False)
    deployed = gitops_program.program()
    assert deployed.suffix is None

    def verify(label: str) -> None:
        assert label == "Review +14155550200"
        assert not [typ for typ, _, _ in mocks.registered if "random" in typ]

    return deployed.numbers["+14155550200"].label.apply(verify)
