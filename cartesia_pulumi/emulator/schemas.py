"""Request bodies of the emulated routes (``docs/cartesia-api.md §2``): JSON decoding and schemas.

:func:`decode_json` turns hostile input into 400s instead of 500s: invalid UTF-8, malformed
JSON, ``NaN``/``Infinity`` (Python's decoder accepts them, JSON does not), numbers too large to
read (Python refuses integers over 4,300 digits) or to hold (``1e999``), and nesting deeper than
:data:`MAX_JSON_DEPTH`. The pydantic schemas then validate strictly (no coercion of ``"5"`` to
``5``); unknown request fields are ignored (§1: Cartesia may add optional request fields), and
every failure becomes a 400 ``invalid_request`` (U4), never a 422.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cartesia_pulumi.emulator.errors import ApiError, invalid_request

Region = Literal["us1", "ie1", "au1"]

E164 = re.compile(r"^\+[1-9]\d{1,14}$")


#: Deepest nesting of arrays/objects accepted in a request body (call metadata included).
MAX_JSON_DEPTH = 64


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _check_depth_and_numbers(value: Any) -> None:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            raise invalid_request("The request body holds a number too large to represent.")
        if isinstance(item, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise invalid_request(
                    f"The request body is nested deeper than {MAX_JSON_DEPTH} levels."
                )
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)


def decode_json(raw: bytes) -> Any:
    """Decode a request body as strict JSON; every problem is a 400 with one sentence (U4)."""
    if not raw.strip():
        raise invalid_request("A JSON request body is required.")
    try:
        value = json.loads(raw, parse_constant=_no_constants)
    except UnicodeDecodeError:
        raise invalid_request("The request body is not UTF-8 encoded JSON.") from None
    except RecursionError:
        raise invalid_request(
            f"The request body is nested deeper than {MAX_JSON_DEPTH} levels."
        ) from None
    except json.JSONDecodeError:
        raise invalid_request("The request body is not valid JSON.") from None
    except ValueError:  # integer over Python's digit limit, or NaN/Infinity
        raise invalid_request(
            "The request body holds a number that is too large or not finite."
        ) from None
    _check_depth_and_numbers(value)
    return value


class _Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


class CreateProviderBody(_Body):
    """``POST /agents/phone-numbers/providers`` (Twilio variant, §2.2)."""

    type: Literal["twilio"]
    account_sid: str
    api_key_sid: str
    api_key_secret: str
    region: Region = "us1"
    label: str | None = Field(default=None, min_length=1)


class UpdateProviderBody(_Body):
    """``PATCH /agents/phone-numbers/providers/{id}`` (§2.4).

    ``label`` is not in the published Twilio variant; it renames only under the
    ``provider_label_patch`` setting or from the console (U12).
    """

    type: Literal["twilio"]
    api_key_sid: str
    api_key_secret: str
    region: Region | None = None
    label: str | None = Field(default=None, min_length=1)


class ImportNumberBody(_Body):
    """``POST /agents/phone-numbers`` (§2.7); ``provider`` is parsed by :func:`provider_ref`."""

    label: str
    number: str
    provider: dict[str, Any]
    agent_id: str | None = None


class UpdateNumberBody(_Body):
    """``PATCH /agents/phone-numbers/{id}`` (§2.9); presence is read from ``model_fields_set``."""

    label: str | None = None
    agent_id: str | None = None
    provider: dict[str, Any] | None = None


class ProvisionBody(_Body):
    """``POST /agents/phone-numbers/provision`` (§2.11)."""

    label: str
    agent_id: str | None = None


class OutboundCallItem(_Body):
    """One recipient of ``POST /agents/calls``."""

    to_number: str
    metadata: dict[str, Any] | None = None


class OutboundCallBody(_Body):
    """``POST /agents/calls`` (§2.13)."""

    from_number_id: str
    agent_id: str
    outbound_calls: list[OutboundCallItem] = Field(min_length=1)
    ringing_timeout_seconds: int = Field(default=60, ge=5, le=80)
    max_call_duration_minutes: int | None = Field(default=None, ge=1)


class LegacyOutboundBody(_Body):
    """``POST /twilio/call/outbound`` (§2.14)."""

    target_numbers: list[str] = Field(min_length=1)
    agent_id: str
    metadata: dict[str, Any] | None = None


M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], body: Any) -> M:
    """Validate a decoded JSON body; any problem is a 400 naming each bad field (U4)."""
    if not isinstance(body, dict):
        raise invalid_request("The request body must be a JSON object.")
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        parts = []
        for err in exc.errors(include_url=False, include_input=False):
            loc = ".".join(str(p) for p in err["loc"]) or "body"
            parts.append(f"{loc}: {err['msg']}")
        raise invalid_request("Invalid request body: " + "; ".join(parts) + ".") from None


def require_e164(value: str, field: str = "number") -> None:
    """U5: numbers must match ``^\\+[1-9]\\d{1,14}$``; stored and returned exactly as sent."""
    if not E164.match(value):
        raise invalid_request(f"{field} {value!r} is not an E.164 phone number (e.g. +14155551234).")


ProviderRef = tuple[Literal["id"], str] | tuple[Literal["account"], str, str]


def provider_ref(obj: Any) -> ProviderRef:
    """Parse a ``provider`` reference: ``{"id"}`` or ``{"type": "twilio", "account_sid", "region"?}``.

    Any other ``type`` (``cartesia``, ``sip_trunk``, ...) is a 400 "unsupported provider type"
    (§2.7); a missing ``region`` in the account form means ``us1`` (U18).
    """
    if not isinstance(obj, dict):
        raise invalid_request("provider must be an object: {id} or {type, account_sid, region?}.")
    if "id" in obj:
        if not isinstance(obj["id"], str):
            raise invalid_request("provider.id must be a string.")
        return ("id", obj["id"])
    if "type" not in obj:
        raise invalid_request("provider needs either id or type + account_sid.")
    if obj["type"] != "twilio":
        raise ApiError(
            400,
            "unsupported_provider_type",
            "Unsupported provider type",
            f"Provider type {obj['type']!r} is not supported here; use a Twilio provider.",
        )
    sid = obj.get("account_sid")
    if not isinstance(sid, str):
        raise invalid_request("provider.account_sid is required (string).")
    region = obj.get("region", "us1")
    if region is None:
        region = "us1"
    if region not in ("us1", "ie1", "au1"):
        raise invalid_request(f"provider.region {region!r} is not one of us1, ie1, au1.")
    return ("account", sid, str(region))
