"""The plugin adapter's small decisions: resource types from URNs, where settings come from,
and configuration changes that never replace resources."""

from __future__ import annotations

from google.protobuf import struct_pb2
from pulumi.runtime.proto import provider_pb2

from cartesia_pulumi.provider.adapter import NativeLifecycle, config_from, type_of
from cartesia_pulumi.provider.values import Incoming, secret_value


def test_type_of_reads_the_type_token_even_under_a_parent() -> None:
    assert type_of("urn:pulumi:dev::proj::cartesia:index:PhoneNumber::line") == (
        "cartesia:index:PhoneNumber"
    )
    assert type_of("urn:pulumi:dev::proj::my:Component$cartesia:index:NumberAssignment::a") == (
        "cartesia:index:NumberAssignment"
    )
    assert type_of("not-a-urn") == ""


def test_provider_inputs_win_over_stack_config_variables() -> None:
    variables = {
        "cartesia:apiKey": "from-stack-config",
        "cartesia:config:baseUrl": "https://stack.example",
        "cartesia:apiVersion": "2026-03-01",
    }
    args = Incoming(props={"api_key": "from-provider-input", "base_url": ""})
    assert config_from(variables, args) == {
        "cartesia:apiKey": "from-provider-input",
        "cartesia:baseUrl": "https://stack.example",
        "cartesia:apiVersion": "2026-03-01",
    }
    assert config_from({}, Incoming()) == {}


def test_a_configuration_change_is_an_update_never_a_replace() -> None:
    olds, news = struct_pb2.Struct(), struct_pb2.Struct()
    olds.fields["apiKey"].CopyFrom(secret_value(struct_pb2.Value(string_value="old")))
    news.fields["apiKey"].CopyFrom(secret_value(struct_pb2.Value(string_value="new")))
    news.fields["baseUrl"].string_value = "https://api.cartesia.ai"
    changed = NativeLifecycle().diff_config(provider_pb2.DiffRequest(olds=olds, news=news))
    assert changed.changes == provider_pb2.DiffResponse.DIFF_SOME
    assert list(changed.replaces) == []
    assert sorted(changed.diffs) == ["apiKey", "baseUrl"]
    same = NativeLifecycle().diff_config(provider_pb2.DiffRequest(olds=olds, news=olds))
    assert same.changes == provider_pb2.DiffResponse.DIFF_NONE
