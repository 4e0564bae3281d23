"""Outbound-call rules: ``POST /agents/calls`` (§2.13) and legacy ``POST /twilio/call/outbound`` (§2.14).

Calls are not simulated beyond validation: every accepted recipient gets an ``ac_...`` ID and
nothing is stored. The 1 call/s queueing of Cartesia numbers is not emulated (answers are
immediate).
"""

from __future__ import annotations

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


def place_calls(tx: Tx, org_id: str, body: OutboundCallBody) -> dict[str, Any]:
    """Place outbound calls from one of the organisation's numbers.

    §2.13: invalid body / timeout outside 5-80 → 400 (schema); every ``to_number`` must be
    E.164 → 400. ``from_number_id`` or ``agent_id`` unknown everywhere → 404; either belonging to
    another organisation → 403 (the one documented 403, U25).
    A Twilio number whose provider credentials no longer work, or that its Twilio account no
    longer owns, cannot place calls → 400.
    R14/R17: Cartesia numbers dial US destinations only; other destinations get a per-call
    ``error`` entry (the request still succeeds). Twilio numbers may dial internationally.
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
    cartesia_managed = number["provider_id"] is None
    if not cartesia_managed:
        provider = tx.one("SELECT * FROM providers WHERE id = ?", (number["provider_id"],))
        problem = None if provider is None else twilio.provider_problem(tx, provider)
        if provider is not None and problem is None and not twilio.owned_number(
            tx, provider["account_sid"], number["number"]
        ):
            problem = f"Twilio account {provider['account_sid']} no longer owns {number['number']}."
        if problem is not None:
            raise ApiError(
                400,
                "cannot_place_calls",
                "Number cannot place calls",
                f"{number['number']} cannot place outbound calls: {problem}",
            )
    calls: list[dict[str, Any]] = []
    for item in body.outbound_calls:
        if cartesia_managed and not is_us_number(item.to_number):
            calls.append(
                {
                    "number": item.to_number,
                    "error": {
                        "code": "destination_not_allowed",
                        "message": "Cartesia-managed numbers can only call US numbers.",
                    },
                }
            )
        else:
            calls.append({"number": item.to_number, "agent_call_id": new_id("ac")})
    return {"calls": calls}


def legacy_outbound(tx: Tx, org_id: str, body: LegacyOutboundBody) -> dict[str, Any]:
    """Legacy ``POST /twilio/call/outbound``; U29: 200 ``{"calls": [{number, agent_call_id}]}``.

    Guess: the agent must exist (404) and every target must be E.164 (400).
    """
    for i, n in enumerate(body.target_numbers):
        require_e164(n, f"target_numbers.{i}")
    if tx.agent(org_id, body.agent_id) is None:
        raise not_found("Agent", body.agent_id)
    return {"calls": [{"number": n, "agent_call_id": new_id("ac")} for n in body.target_numbers]}
