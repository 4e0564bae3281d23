"""Engine property values (protobuf ``Struct``s) <-> the plain snake_case dicts of the core.

Going in (`from_struct`): secret wrappers are unwrapped (and every secret string is remembered by
`cartesia_pulumi._redact`, so no error can echo it), unknowns (the engine's unknown sentinel, or an
output value without a value) become `cartesia_pulumi.core.fields.Unknown` markers, whole numbers
become ``int``, and camelCase names become snake_case. `Incoming` also records which keys arrived
secret.

Going out (`to_struct`): snake_case names become camelCase, markers become the unknown sentinel,
and a value is wrapped as a secret when its field is secret in the core table (``api_key_secret``)
or when the program sent that key as a secret. The plugin declares ``acceptSecrets``, so the engine
leaves secret marking to us (it re-marks only for providers that do not accept secrets).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import struct_pb2

from cartesia_pulumi._redact import remember
from cartesia_pulumi.core.fields import Unknown
from cartesia_pulumi.provider.schema import to_camel, to_snake

#: The engine's wire constants (pulumi/sdk/go/common/resource/plugin/rpc.go).
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"


@dataclass
class Incoming:
    """A property map as the core sees it, and which of its keys arrived as secrets."""

    props: dict[str, Any] = field(default_factory=dict)
    secret_keys: set[str] = field(default_factory=set)


def _value(value: struct_pb2.Value) -> tuple[Any, bool]:
    """One engine value -> (core value, was it secret)."""
    kind = value.WhichOneof("kind")
    if kind is None or kind == "null_value":
        return None, False
    if kind == "bool_value":
        return value.bool_value, False
    if kind == "number_value":
        number = value.number_value
        return (int(number) if number.is_integer() else number), False
    if kind == "string_value":
        text = value.string_value
        return (Unknown(UNKNOWN) if text == UNKNOWN else text), False
    if kind == "list_value":
        items = [_value(v) for v in value.list_value.values]
        return [v for v, _ in items], any(s for _, s in items)
    fields = value.struct_value.fields
    sig = fields.get(SIG_KEY)
    if sig is not None and sig.string_value == SECRET_SIG:
        inner, _ = _value(fields["value"]) if "value" in fields else (None, False)
        if isinstance(inner, str):
            remember(inner)
        return inner, True
    if sig is not None and sig.string_value == OUTPUT_SIG:
        secret = "secret" in fields and fields["secret"].bool_value
        if "value" not in fields:
            return Unknown(UNKNOWN), secret
        inner, inner_secret = _value(fields["value"])
        if secret and isinstance(inner, str):
            remember(inner)
        return inner, secret or inner_secret
    out: dict[str, Any] = {}
    any_secret = False
    for key, item in fields.items():
        out[key], secret = _value(item)
        any_secret = any_secret or secret
    return out, any_secret


def from_struct(struct: struct_pb2.Struct | None) -> Incoming:
    """A top-level property map from the engine, with snake_case keys."""
    result = Incoming()
    if struct is None:
        return result
    for key, item in struct.fields.items():
        name = to_snake(key)
        result.props[name], secret = _value(item)
        if secret:
            result.secret_keys.add(name)
    return result


def _to_value(value: Any) -> struct_pb2.Value:
    out = struct_pb2.Value()
    if isinstance(value, Unknown):
        out.string_value = UNKNOWN
    elif value is None:
        out.null_value = struct_pb2.NULL_VALUE
    elif isinstance(value, bool):
        out.bool_value = value
    elif isinstance(value, int | float):
        out.number_value = float(value)
    elif isinstance(value, str):
        out.string_value = value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            out.struct_value.fields[str(key)].CopyFrom(_to_value(item))
    elif isinstance(value, list | tuple):
        out.list_value.values.extend(_to_value(v) for v in value)
    else:
        raise TypeError(f"cannot send a {type(value).__name__} to the engine")
    return out


def secret_value(value: struct_pb2.Value) -> struct_pb2.Value:
    """``value`` wrapped in the engine's secret marker."""
    out = struct_pb2.Value()
    out.struct_value.fields[SIG_KEY].string_value = SECRET_SIG
    out.struct_value.fields["value"].CopyFrom(value)
    return out


def to_struct(props: Mapping[str, Any], secret_keys: Iterable[str] = ()) -> struct_pb2.Struct:
    """A core dict -> an engine property map with camelCase keys, ``secret_keys`` marked secret.

    A secret that is ``None`` (an imported TwilioProvider has no secret yet) or unknown is sent
    as it is: there is nothing to hide.
    """
    secrets = set(secret_keys)
    struct = struct_pb2.Struct()
    for key, value in props.items():
        item = _to_value(value)
        if key in secrets and value is not None and not isinstance(value, Unknown):
            item = secret_value(item)
        struct.fields[to_camel(key)].CopyFrom(item)
    return struct
