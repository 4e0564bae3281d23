"""The resource classes under Pulumi mocks: Args vs keywords, registered type and inputs."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from cartesia_pulumi import (
    NumberAssignment,
    PhoneNumber,
    PhoneNumberArgs,
    TwilioProvider,
    TwilioProviderArgs,
)
from unit.support import ACCOUNT, KEY_US1, SECRET_US1


class Mocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.registered: list[tuple[str, str, dict[str, Any]]] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.registered.append((args.typ, args.name, dict(args.inputs)))
        return f"{args.name}-id", dict(args.inputs)

    def call(
        self, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        return {}, []


@pytest.fixture
def mocks() -> Mocks:
    m = Mocks()
    pulumi.runtime.set_mocks(m, preview=False)
    return m


@pulumi.runtime.test
def test_init_args_and_keywords_register_inputs(mocks: Mocks) -> Any:
    tp = TwilioProvider(
        "tp",
        TwilioProviderArgs(account_sid=ACCOUNT, api_key_sid=KEY_US1, api_key_secret=SECRET_US1),
        region="ie1",  # Args plus a keyword: merged at run time, outside the typed overloads
    )  # type: ignore[call-overload]
    pn = PhoneNumber("pn", PhoneNumberArgs(number="+14155550100", provider_id=tp.id))
    na = NumberAssignment("na", phone_number_id=pn.id, agent_id="agent_support")

    def verify(_: Any) -> None:
        by_name = {name: (typ, inputs) for typ, name, inputs in mocks.registered}
        typ, inputs = by_name["tp"]
        assert typ == "pulumi-python:dynamic/cartesia:TwilioProvider"
        assert inputs["account_sid"] == ACCOUNT and inputs["region"] == "ie1"
        # Mocks see the secret in its wire form: {<secret sig>: ..., "value": ...}.
        secret = inputs["api_key_secret"]
        assert isinstance(secret, dict) and secret["value"] == SECRET_US1
        assert "4dabf18193072939515e22adb298388d" in secret
        assert by_name["pn"][0] == "pulumi-python:dynamic/cartesia:PhoneNumber"
        assert by_name["pn"][1]["provider_id"] == "tp-id"
        assert by_name["na"][1]["phone_number_id"] == "pn-id"

    return pulumi.Output.all(tp.id, pn.id, na.id).apply(verify)


@pulumi.runtime.test
def test_init_secret_input_marked_secret(mocks: Mocks) -> Any:
    tp = TwilioProvider("tp", account_sid=ACCOUNT, api_key_sid=KEY_US1, api_key_secret=SECRET_US1)

    def verify(is_secret: bool) -> None:
        assert is_secret

    return pulumi.Output.from_input(tp.api_key_secret.is_secret()).apply(verify)  # type: ignore[arg-type]


def test_constructor_forms_of_generated_sdks_and_missing_input_refused() -> None:
    import pulumi

    from cartesia_pulumi.resources import NumberAssignmentArgs

    opts = pulumi.ResourceOptions(protect=True)
    # (name, args, opts) and (name, opts, **inputs) are both accepted ...
    NumberAssignment("a1", NumberAssignmentArgs(phone_number_id="ap_1", agent_id="agent_x"), opts)
    NumberAssignment("a2", opts, phone_number_id="ap_1", agent_id="agent_x")
    # ... a required input left out is the TypeError generated SDKs raise ...
    with pytest.raises(TypeError, match="Missing required property 'agent_id'"):
        NumberAssignment("a3", phone_number_id="ap_1")  # type: ignore[call-overload]
    # ... and an unknown one is not silently dropped.
    with pytest.raises(TypeError, match="unexpected input"):
        NumberAssignment("a4", phone_number_id="ap_1", agent_id="x", agent="y")  # type: ignore[call-overload]
