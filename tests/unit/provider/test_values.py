"""Engine property values <-> core dicts: names, secrets, unknowns, numbers."""

from __future__ import annotations

from google.protobuf import struct_pb2

from cartesia_pulumi._redact import scrub
from cartesia_pulumi.core.fields import Unknown
from cartesia_pulumi.provider.values import (
    OUTPUT_SIG,
    SECRET_SIG,
    SIG_KEY,
    UNKNOWN,
    from_struct,
    secret_value,
    to_struct,
)


def _struct(**fields: struct_pb2.Value) -> struct_pb2.Struct:
    s = struct_pb2.Struct()
    for k, v in fields.items():
        s.fields[k].CopyFrom(v)
    return s


def _str(text: str) -> struct_pb2.Value:
    return struct_pb2.Value(string_value=text)


def test_secrets_are_unwrapped_recorded_and_remembered_for_scrubbing() -> None:
    secret = "tw-secret-value-never-shown"
    got = from_struct(_struct(apiKeySecret=secret_value(_str(secret)), accountSid=_str("AC1")))
    assert got.props == {"api_key_secret": secret, "account_sid": "AC1"}
    assert got.secret_keys == {"api_key_secret"}
    assert secret not in scrub(f"boom {secret}")


def test_unknowns_and_output_values_become_markers_or_values() -> None:
    unknown_output = struct_pb2.Value()
    unknown_output.struct_value.fields[SIG_KEY].string_value = OUTPUT_SIG
    known_secret_output = struct_pb2.Value()
    known_secret_output.struct_value.fields[SIG_KEY].string_value = OUTPUT_SIG
    known_secret_output.struct_value.fields["value"].string_value = "ata_1"
    known_secret_output.struct_value.fields["secret"].bool_value = True
    got = from_struct(
        _struct(number=_str(UNKNOWN), providerId=unknown_output, label=known_secret_output)
    )
    assert isinstance(got.props["number"], Unknown)
    assert isinstance(got.props["provider_id"], Unknown)
    assert got.props["label"] == "ata_1"
    assert got.secret_keys == {"label"}


def test_whole_numbers_come_in_as_int() -> None:
    got = from_struct(_struct(schemaVersion=struct_pb2.Value(number_value=1.0)))
    assert got.props["schema_version"] == 1
    assert type(got.props["schema_version"]) is int


def test_outputs_are_camel_case_with_secrets_marked_and_unknowns_sent_back() -> None:
    out = to_struct(
        {
            "api_key_secret": "s3cret",
            "api_key_sid": "SK1",
            "label": None,
            "adopt": False,
            "schema_version": 1,
            "region": Unknown(UNKNOWN),
        },
        {"api_key_secret"},
    )
    fields = out.fields
    assert fields["apiKeySecret"].struct_value.fields[SIG_KEY].string_value == SECRET_SIG
    assert fields["apiKeySecret"].struct_value.fields["value"].string_value == "s3cret"
    assert fields["apiKeySid"].string_value == "SK1"
    assert fields["label"].WhichOneof("kind") == "null_value"
    assert fields["adopt"].bool_value is False
    assert fields["schemaVersion"].number_value == 1.0
    assert fields["region"].string_value == UNKNOWN


def test_a_missing_secret_is_sent_as_null_not_as_an_empty_secret() -> None:
    out = to_struct({"api_key_secret": None}, {"api_key_secret"})
    assert out.fields["apiKeySecret"].WhichOneof("kind") == "null_value"


def test_round_trip() -> None:
    props = {"account_sid": "AC1", "api_key_secret": "x", "adopted": True, "schema_version": 1}
    back = from_struct(to_struct(props, {"api_key_secret"}))
    assert back.props == props
    assert back.secret_keys == {"api_key_secret"}
