"""Outbound-call rules: ``POST /agents/calls`` (``docs/cartesia-api.md §2.13``) and the legacy
``POST /twilio/call/outbound`` (§2.14).

Nothing is dialled: every accepted recipient gets an ``ac_...`` ID, and the call is recorded
with the provider and region it was routed through, so tests can assert the route. The 1 call/s
queueing of Cartesia numbers is not emulated (answers are immediate).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import phonenumbers

from cartesia_pulumi.emulator import twilio
from cartesia_pulumi.emulator.errors import ApiError, not_found
from cartesia_pulumi.emulator.schemas import LegacyOutboundBody, OutboundCallBody, require_e164
from cartesia_pulumi.emulator.store import Tx, new_id


def is_us_number(number: str) -> bool:
    """True for numbers whose region is the United States (R14)."""
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(number)) == "US"
    except phonenumbers.NumberParseException:
        return False


def _refuse(number: sqlite3.Row, code: str, reason: str) -> ApiError:
    return ApiError(
        400,
        code,
        "Number cannot place calls",
        f"{number['number']} ({number['id']}) cannot place outbound calls: {reason}.",
    )


def _route(tx: Tx, number: sqlite3.Row) -> sqlite3.Row | None:
    """The provider that places calls from ``number`` (None for a Cartesia number), or 400.

    U36: a Twilio number's calls go through its provider, in the provider's region (R16), so
    the provider's key must still work at Twilio and its account must still own the number.
    """
    if number["provider_id"] is None:
        return None
    provider = tx.one("SELECT * FROM providers WHERE id = ?", (number["provider_id"],))
    if provider is None:  # unreachable: R5 keeps providers with numbers
        raise _refuse(number, "cannot_place_calls", "its provider no longer exists")
    problem = twilio.provider_problem(tx, provider)
    if problem is not None:
        raise _refuse(
            number,
            "cannot_place_calls",
            f"its provider {provider['id']} cannot reach Twilio ({problem.rstrip('.')}); "
            "update the provider's credentials",
        )
    if not twilio.owned_number(tx, provider["account_sid"], number["number"]):
        raise _refuse(
            number,
            "cannot_place_calls",
            f"it was released from Twilio account {provider['account_sid']}, so Cartesia "
            "cannot dial from it; buy or port it back in Twilio, or delete it from Cartesia",
        )
    return provider


def place_calls(tx: Tx, org_id: str, body: OutboundCallBody) -> dict[str, Any]:
    """Place outbound calls from one of the organisation's numbers, one result per recipient.

    §2.13: invalid body / timeout outside 5-80 → 400 (schema); every ``to_number`` must be
    E.164 → 400. ``from_number_id`` or ``agent_id`` unknown everywhere → 404; either belonging to
    another organisation → 403 (the one documented 403, U25).
    U37: a number that is not assigned to any agent cannot place calls → 400
    ``number_not_assigned`` (the call itself is handled by ``agent_id``).
    U36: a Twilio number dials through its provider's region, which must still reach Twilio
    (key not revoked) and still own the number (not released) → else 400 ``cannot_place_calls``.
    R14/R17: Cartesia numbers dial US destinations only; other destinations get a per-call
    ``error`` entry (the request still succeeds). Twilio numbers may dial internationally.
    Every placed call is recorded (``GET /_emulator/calls``) with the region it went through.
    """
    for i, item in enumerate(body.outbound_calls):
        require_e164(item.to_number, f"outbound_calls.{i}.to_number")
    number = tx.one("SELECT * FROM phone_numbers WHERE id = ?", (body.from_number_id,))
    if number is None:
        raise not_found("Phone number", body.from_number_id)
    agent = tx.agent(org_id, body.agent_id)
    if agent is None and tx.one("SELECT 1 FROM agents WHERE id = ?", (body.agent_id,)) is None:
        raise not_found("Agent", body.agent_id)
    if agent is None or number["org_id"] != org_id:
        raise ApiError(
            403,
            "forbidden",
            "Forbidden",
            f"Phone number {body.from_number_id} and agent {body.agent_id} do not belong to the "
            "same organization.",
        )
    if number["agent_id"] is None:
        raise _refuse(
            number,
            "number_not_assigned",
            "it is not assigned to an agent; assign one with "
            f"PATCH /agents/phone-numbers/{number['id']} first",
        )
    provider = _route(tx, number)
    calls: list[dict[str, Any]] = []
    for item in body.outbound_calls:
        if provider is None and not is_us_number(item.to_number):
            calls.append(
                {
                    "number": item.to_number,
                    "error": {
                        "code": "destination_not_allowed",
                        "message": "Cartesia-managed numbers can only call US numbers.",
                    },
                }
            )
            continue
        call_id = new_id("ac")
        tx.run(
            "INSERT INTO placed_calls (agent_call_id, org_id, from_number, from_number_id, "
            "to_number, agent_id, provider_id, region, metadata, ringing_timeout_seconds, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                call_id,
                org_id,
                number["number"],
                number["id"],
                item.to_number,
                body.agent_id,
                None if provider is None else provider["id"],
                None if provider is None else provider["region"],
                None if item.metadata is None else json.dumps(item.metadata),
                body.ringing_timeout_seconds,
                tx.now,
            ),
        )
        calls.append({"number": item.to_number, "agent_call_id": call_id})
    return {"calls": calls}


def placed_calls(tx: Tx) -> list[dict[str, Any]]:
    """Every call placed through ``POST /agents/calls``, oldest first (control API)."""
    return [
        {
            "agent_call_id": r["agent_call_id"],
            "org_id": r["org_id"],
            "from_number": r["from_number"],
            "from_number_id": r["from_number_id"],
            "to_number": r["to_number"],
            "agent_id": r["agent_id"],
            "provider_id": r["provider_id"],
            "region": r["region"],
            "metadata": None if r["metadata"] is None else json.loads(r["metadata"]),
            "ringing_timeout_seconds": r["ringing_timeout_seconds"],
            "created_at": r["created_at"],
        }
        for r in tx.all("SELECT * FROM placed_calls ORDER BY seq")
    ]


def legacy_outbound(tx: Tx, org_id: str, body: LegacyOutboundBody) -> dict[str, Any]:
    """Legacy ``POST /twilio/call/outbound``; U29: 200 ``{"calls": [{number, agent_call_id}]}``.

    Guess: the agent must exist (404) and every target must be E.164 (400).
    """
    for i, n in enumerate(body.target_numbers):
        require_e164(n, f"target_numbers.{i}")
    if tx.agent(org_id, body.agent_id) is None:
        raise not_found("Agent", body.agent_id)
    return {"calls": [{"number": n, "agent_call_id": new_id("ac")} for n in body.target_numbers]}
