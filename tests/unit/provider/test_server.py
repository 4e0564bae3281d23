"""The plugin process as the engine sees it: `pulumi-resource-cartesia` on a real socket.

Started as a subprocess (its own asyncio loop, as under the engine) and driven with a plain
synchronous gRPC client against the emulator.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from cartesia_pulumi._version import __version__
from cartesia_pulumi.provider.schema import schema_json
from cartesia_pulumi.provider.values import SECRET_SIG, SIG_KEY, secret_value, to_struct
from unit.support import DEMO_KEY

URN = "urn:pulumi:test::proj::cartesia:index:{}::{}"
PRODUCTION = "AC0123456789abcdef0123456789abcdef"
US1_KEY = "SK0123456789abcdef0123456789abc001"
US1_SECRET = "demo-us1-secret-1"


def _plugin() -> str:
    here = Path(sys.executable).parent / "pulumi-resource-cartesia"
    found = str(here) if here.is_file() else shutil.which("pulumi-resource-cartesia")
    assert found, "pulumi-resource-cartesia is not installed (pip install -e .)"
    return found


@pytest.fixture(scope="module")
def plugin() -> Iterator[provider_pb2_grpc.ResourceProviderStub]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARTESIA_")}
    proc = subprocess.Popen(
        [_plugin(), "127.0.0.1:1", "--logtostderr", "-v=9"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline().strip())
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield provider_pb2_grpc.ResourceProviderStub(channel)
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=30)
        assert "Traceback" not in err, err


def _configure(stub: Any, url: str) -> provider_pb2.ConfigureResponse:
    args = struct_pb2.Struct()
    args.fields["apiKey"].CopyFrom(secret_value(struct_pb2.Value(string_value=DEMO_KEY)))
    args.fields["baseUrl"].string_value = url
    response: provider_pb2.ConfigureResponse = stub.Configure(
        provider_pb2.ConfigureRequest(args=args, acceptSecrets=True)
    )
    return response


def _provider_inputs(**changes: Any) -> struct_pb2.Struct:
    props = {
        "account_sid": PRODUCTION,
        "api_key_sid": US1_KEY,
        "api_key_secret": US1_SECRET,
        "region": "us1",
        **changes,
    }
    return to_struct(props, {"api_key_secret"})


def test_plugin_info_and_schema(plugin: Any) -> None:
    assert plugin.GetPluginInfo(empty_pb2.Empty()).version == __version__
    assert plugin.GetSchema(provider_pb2.GetSchemaRequest(version=0)).schema == schema_json()


def test_configure_accepts_secrets_and_leaves_previews_to_the_engine(
    plugin: Any, emulator: Any
) -> None:
    response = _configure(plugin, emulator.url)
    assert response.acceptSecrets is True
    assert response.supportsPreview is False


def test_check_reports_each_bad_field_by_its_schema_name(plugin: Any, emulator: Any) -> None:
    _configure(plugin, emulator.url)
    news = _provider_inputs(account_sid="AC123", api_key_secret=" padded ")
    response = plugin.Check(
        provider_pb2.CheckRequest(urn=URN.format("TwilioProvider", "t"), news=news)
    )
    failures = {f.property: f.reason for f in response.failures}
    assert set(failures) == {"accountSid", "apiKeySecret"}, failures
    assert "value not shown" in failures["apiKeySecret"]
    assert " padded " not in str(response)


def test_create_read_delete_a_provider_with_the_secret_kept_secret(
    plugin: Any, emulator: Any
) -> None:
    _configure(plugin, emulator.url)
    urn = URN.format("TwilioProvider", "t")
    created = plugin.Create(provider_pb2.CreateRequest(urn=urn, properties=_provider_inputs()))
    assert created.id.startswith("ata_")
    secret = created.properties.fields["apiKeySecret"]
    assert secret.struct_value.fields[SIG_KEY].string_value == SECRET_SIG
    assert created.properties.fields["maskedApiKeySid"].string_value.endswith("c001")

    # `pulumi import`: the id alone.
    read = plugin.Read(provider_pb2.ReadRequest(id=created.id, urn=urn))
    assert read.id == created.id
    assert read.inputs.fields["accountSid"].string_value == PRODUCTION
    assert read.inputs.fields["region"].string_value == "us1"

    plugin.Delete(provider_pb2.DeleteRequest(id=created.id, urn=urn, properties=created.properties))
    gone = plugin.Read(
        provider_pb2.ReadRequest(id=created.id, urn=urn, properties=created.properties)
    )
    assert gone.id == ""


def test_a_failed_operation_is_one_sentence_without_a_traceback(plugin: Any, emulator: Any) -> None:
    _configure(plugin, emulator.url)
    urn = URN.format("PhoneNumber", "n")
    props = to_struct({"number": "+14155550100", "provider_id": "ata_missing", "label": "x"})
    with pytest.raises(grpc.RpcError) as failed:
        plugin.Create(provider_pb2.CreateRequest(urn=urn, properties=props))
    error: Any = failed.value
    assert error.code() == grpc.StatusCode.UNKNOWN
    message = error.details()
    assert "Traceback" not in message and 'File "' not in message, message
    assert "+14155550100" in message, message
    assert message.count("\n") == 0, message
    assert DEMO_KEY not in message


def test_an_unknown_resource_type_is_named(plugin: Any, emulator: Any) -> None:
    _configure(plugin, emulator.url)
    with pytest.raises(grpc.RpcError) as failed:
        plugin.Check(provider_pb2.CheckRequest(urn=URN.format("Agent", "a")))
    error: Any = failed.value
    assert "cartesia:index:Agent" in error.details()
