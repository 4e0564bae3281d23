"""The package schema: generated from the core field tables, committed as plugin/schema.json."""

from __future__ import annotations

import json
from pathlib import Path

from cartesia_pulumi.core import number_assignment, phone_number, twilio_provider
from cartesia_pulumi.provider.schema import RESOURCES, build_schema, schema_json, to_camel, to_snake

REPO = Path(__file__).resolve().parents[3]


def test_committed_schema_is_the_generated_one() -> None:
    committed = (REPO / "plugin" / "schema.json").read_text(encoding="utf-8")
    assert committed == schema_json(), (
        "plugin/schema.json is stale: run `python -m cartesia_pulumi.provider.schema "
        "plugin/schema.json`"
    )


def test_every_core_field_is_in_the_schema_in_camel_case() -> None:
    schema = build_schema()
    for token, table in RESOURCES.items():
        res = schema["resources"][token]
        assert set(res["properties"]) == {to_camel(f.name) for f in table.fields}
        assert set(res["inputProperties"]) == {to_camel(f.name) for f in table.fields if f.is_input}
        assert res["requiredInputs"] == [to_camel(f.name) for f in table.fields if f.required]


def test_names_round_trip() -> None:
    for table in (twilio_provider.SCHEMA, phone_number.SCHEMA, number_assignment.SCHEMA):
        for f in table.fields:
            assert to_snake(to_camel(f.name)) == f.name


def test_the_twilio_secret_and_the_api_key_are_typed_secrets() -> None:
    schema = build_schema()
    res = schema["resources"]["cartesia:index:TwilioProvider"]
    assert res["inputProperties"]["apiKeySecret"]["secret"] is True
    assert res["properties"]["apiKeySecret"]["secret"] is True
    secret_props = {
        (token, name)
        for token, r in schema["resources"].items()
        for name, p in r["properties"].items()
        if p.get("secret")
    }
    assert secret_props == {("cartesia:index:TwilioProvider", "apiKeySecret")}
    assert schema["config"]["variables"]["apiKey"]["secret"] is True
    assert schema["provider"]["inputProperties"]["apiKey"]["secret"] is True
    assert set(schema["provider"]["inputProperties"]) == {"apiKey", "baseUrl", "apiVersion"}


def test_schema_is_valid_json_with_the_package_name() -> None:
    data = json.loads(schema_json())
    assert data["name"] == "cartesia"
    assert set(data["resources"]) == {
        "cartesia:index:TwilioProvider",
        "cartesia:index:PhoneNumber",
        "cartesia:index:NumberAssignment",
    }
