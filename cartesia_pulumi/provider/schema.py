"""The Pulumi package schema of the ``cartesia`` provider plugin, built from the core field tables.

One source: each resource's `cartesia_pulumi.core.fields.Schema` (``core.*.SCHEMA``) says which
properties are inputs, which are required, which are secret; this module adds only what a package
schema needs beyond that (types, descriptions) and the provider configuration.

Property names. The core and the dynamic resources use snake_case (``api_key_secret``); a Pulumi
package schema conventionally uses camelCase (``apiKeySecret``), which is also what the engine
stores in state and what every generated SDK maps to its own convention (Python SDKs map back to
snake_case, TypeScript keeps camelCase, YAML programs use the schema names). The schema therefore
uses camelCase and `cartesia_pulumi.provider.values` maps both ways with `to_camel`/`to_snake`.

``python -m cartesia_pulumi.provider.schema [PATH]`` writes the schema (default: stdout); the
committed ``plugin/schema.json`` is that output, and a unit test keeps the two equal.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from typing import Any, Final

from cartesia_pulumi._version import __version__
from cartesia_pulumi.config import (
    CONFIG_API_KEY,
    CONFIG_API_VERSION,
    CONFIG_BASE_URL,
    DEFAULT_API_VERSION,
    DEFAULT_BASE_URL,
    ENV_API_KEY,
    ENV_API_VERSION,
    ENV_BASE_URL,
)
from cartesia_pulumi.core import number_assignment, phone_number, twilio_provider
from cartesia_pulumi.core.fields import Schema

PACKAGE: Final = "cartesia"

#: Resource type token -> the core field table it is built from.
RESOURCES: Final[Mapping[str, Schema]] = {
    f"{PACKAGE}:index:TwilioProvider": twilio_provider.SCHEMA,
    f"{PACKAGE}:index:PhoneNumber": phone_number.SCHEMA,
    f"{PACKAGE}:index:NumberAssignment": number_assignment.SCHEMA,
}

#: Schema types of properties that are not strings.
_TYPES: Final[Mapping[str, str]] = {
    "adopt": "boolean",
    "adopted": "boolean",
    "schema_version": "integer",
}

#: Outputs every resource always has, beyond its required inputs.
_ALWAYS_SET: Final[frozenset[str]] = frozenset({"schema_version", "adopted"})

_DESCRIPTIONS: Final[Mapping[str, Mapping[str, str]]] = {
    "TwilioProvider": {
        "": "Links one Twilio account and region to Cartesia, so phone numbers of that account "
        "can route calls to Cartesia voice agents. Import id: the Cartesia provider id.",
        "account_sid": "Twilio account (or subaccount) SID, `AC` followed by 32 hex digits. "
        "Changing it replaces the provider.",
        "api_key_sid": "SID of a Twilio Standard API key (`SK` followed by 32 hex digits) created "
        "in `region`.",
        "api_key_secret": "Secret of that API key; always stored as a Pulumi secret.",
        "region": "Twilio region of the key: `us1` (default), `ie1` or `au1`.",
        "label": "Label set when the provider is created; it cannot change afterwards.",
        "adopt": "Take over an existing link for this account and region instead of failing.",
        "masked_api_key_sid": "The API key SID as Cartesia shows it (partly masked).",
        "adopted": "Whether this resource took over an existing link instead of creating one.",
        "schema_version": "Version of this resource's state layout.",
    },
    "PhoneNumber": {
        "": "A Twilio phone number imported into Cartesia through a TwilioProvider. Import id: "
        "the Cartesia phone number id.",
        "number": "The phone number in E.164 (`+14155550100`); other common spellings are "
        "normalised. Changing it replaces the resource.",
        "provider_id": "Id of the TwilioProvider whose Twilio account owns the number.",
        "label": "Label shown in Cartesia; defaults to the number.",
        "adopt": "Take over the number if it is already in Cartesia instead of failing.",
        "agent_id": "Id of the agent the number currently routes to, if any (set it with a "
        "NumberAssignment).",
        "created_at": "When Cartesia imported the number (ISO 8601, UTC).",
        "adopted": "Whether this resource took over an existing number instead of importing it.",
        "schema_version": "Version of this resource's state layout.",
    },
    "NumberAssignment": {
        "": "Routes one phone number to one Cartesia agent. Import id: the phone number id.",
        "phone_number_id": "Id of the PhoneNumber to route. Changing it replaces the assignment.",
        "agent_id": "Id of the Cartesia agent (`agent_...`) that answers calls to the number.",
        "agent_name": "Name of that agent, as Cartesia reports it.",
        "number": "The routed phone number in E.164.",
        "schema_version": "Version of this resource's state layout.",
    },
}

#: Provider configuration: schema name -> (stack config key, environment variable, description).
CONFIG: Final[Mapping[str, tuple[str, str, str]]] = {
    "apiKey": (
        CONFIG_API_KEY,
        ENV_API_KEY,
        f"Cartesia API key (`pulumi config set --secret {CONFIG_API_KEY} ...`); falls back to "
        f"${ENV_API_KEY}.",
    ),
    "baseUrl": (
        CONFIG_BASE_URL,
        ENV_BASE_URL,
        f"Cartesia API base URL (default {DEFAULT_BASE_URL}); https://, or http:// to a loopback "
        f"address only. Falls back to ${ENV_BASE_URL}.",
    ),
    "apiVersion": (
        CONFIG_API_VERSION,
        ENV_API_VERSION,
        f"Value of the Cartesia-Version header (default {DEFAULT_API_VERSION}); falls back to "
        f"${ENV_API_VERSION}.",
    ),
}
SECRET_CONFIG: Final = frozenset({"apiKey"})


def to_camel(name: str) -> str:
    """``api_key_secret`` -> ``apiKeySecret``."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


_CAMEL_BOUNDARY = re.compile(r"(?<!^)(?=[A-Z])")


def to_snake(name: str) -> str:
    """``apiKeySecret`` -> ``api_key_secret`` (the inverse of `to_camel` for our names)."""
    return _CAMEL_BOUNDARY.sub("_", name).lower()


def _property(resource: str, name: str, *, secret: bool) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "type": _TYPES.get(name, "string"),
        "description": _DESCRIPTIONS[resource][name],
    }
    if secret:
        spec["secret"] = True
    return spec


def _resource(table: Schema) -> dict[str, Any]:
    name = table.resource
    inputs = {
        to_camel(f.name): _property(name, f.name, secret=f.secret)
        for f in table.fields
        if f.is_input
    }
    outputs = {to_camel(f.name): _property(name, f.name, secret=f.secret) for f in table.fields}
    required_inputs = [to_camel(f.name) for f in table.fields if f.required]
    # A secret is absent from the outputs of an imported resource (Cartesia never returns it).
    always = [
        to_camel(f.name)
        for f in table.fields
        if (f.required and not f.secret) or f.name in _ALWAYS_SET or f.name == "region"
    ]
    return {
        "description": _DESCRIPTIONS[name][""],
        "inputProperties": inputs,
        "requiredInputs": required_inputs,
        "properties": outputs,
        "required": always,
    }


def _config_properties() -> dict[str, Any]:
    props: dict[str, Any] = {}
    for name, (_key, _env, description) in CONFIG.items():
        spec: dict[str, Any] = {"type": "string", "description": description}
        if name in SECRET_CONFIG:
            spec["secret"] = True
        props[name] = spec
    return props


def build_schema(version: str = __version__) -> dict[str, Any]:
    """The package schema as a JSON-ready dict."""
    return {
        "name": PACKAGE,
        "displayName": "Cartesia",
        "version": version,
        "description": "Cartesia voice-agent telephony: Twilio providers, phone numbers and "
        "agent assignments.",
        "keywords": ["pulumi", "cartesia", "twilio", "voice", "telephony", "category/utility"],
        "license": "Apache-2.0",
        "publisher": "cartesia-pulumi",
        "config": {"variables": _config_properties()},
        "provider": {
            "description": "The cartesia provider: where the Cartesia API is and which key to use.",
            "inputProperties": _config_properties(),
        },
        "resources": {token: _resource(table) for token, table in RESOURCES.items()},
        "language": {
            "python": {
                "packageName": "pulumi_cartesia",
                "requires": {"pulumi": ">=3.0.0,<4.0.0"},
                "pyproject": {"enabled": True},
                "respectSchemaVersion": True,
            },
            "nodejs": {
                "packageName": "@cartesia-pulumi/cartesia",
                "dependencies": {"@pulumi/pulumi": "^3.0.0"},
                "respectSchemaVersion": True,
            },
        },
    }


def schema_json(version: str = __version__) -> str:
    """The schema as the text of ``plugin/schema.json`` (sorted keys, 2-space indent, newline)."""
    return json.dumps(build_schema(version), indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = schema_json()
    if args:
        with open(args[0], "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
