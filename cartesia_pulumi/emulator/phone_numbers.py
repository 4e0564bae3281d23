"""Phone-number rules (``/agents/phone-numbers``, ``docs/cartesia-api.md §2.6-2.12``).

One function per operation; each docstring states the rules it enforces. All functions run
inside a store transaction and raise :class:`ApiError` for every documented error. Edits
behind the API's back (the dashboard) live in ``console.py``.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from cartesia_pulumi.emulator import twilio
from cartesia_pulumi.emulator.agents import require_agent
from cartesia_pulumi.emulator.errors import ApiError, invalid_request, not_found
from cartesia_pulumi.emulator.pagination import PageRequest, Pages
from cartesia_pulumi.emulator.providers import mask_sid
from cartesia_pulumi.emulator.schemas import (
    ImportNumberBody,
    ProviderRef,
    ProvisionBody,
    UpdateNumberBody,
    provider_ref,
    require_e164,
)
from cartesia_pulumi.emulator.store import Tx, new_id

_SELECT = (
    "SELECT pn.*, a.name AS agent_name, p.type AS p_type, p.account_sid AS p_account_sid, "
    "p.api_key_sid AS p_api_key_sid, p.region AS p_region, p.label AS p_label "
    "FROM phone_numbers pn "
    "LEFT JOIN agents a ON a.org_id = pn.org_id AND a.id = pn.agent_id "
    "LEFT JOIN providers p ON p.id = pn.provider_id "
)

# Provisioned Cartesia numbers: US (R14), NANP-valid, never reused (R13).
_PROVISION_BASE = 16282000000

_PAGES = Pages(_SELECT, "pn", "phone_numbers", "a phone number")

_TYPE_FILTERS = {
    "twilio": "pn.provider_id IS NOT NULL",
    "cartesia": "pn.provider_id IS NULL",
    "sip_trunk": "0",
}


def render_number(row: sqlite3.Row, *, with_provider: bool = True) -> dict[str, Any]:
    """PhoneNumberResponse (§2.0): ``agent`` as ``{id, name}`` or null; provider joined live (U27).

    ``with_provider=False`` gives the ProvisionPhoneNumberResponse (no ``provider`` key, §2.11).
    """
    out: dict[str, Any] = {
        "id": row["id"],
        "label": row["label"],
        "number": row["number"],
        "agent": None
        if row["agent_id"] is None
        else {"id": row["agent_id"], "name": row["agent_name"] or ""},
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }
    if with_provider:
        if row["provider_id"] is None:
            out["provider"] = {"type": "cartesia"}
        else:
            out["provider"] = {
                "type": row["p_type"],
                "id": row["provider_id"],
                "account_sid": row["p_account_sid"],
                "api_key_sid": mask_sid(row["p_api_key_sid"]),
                "region": row["p_region"],
                "label": row["p_label"],
            }
    return out


def load_number(tx: Tx, org_id: str, number_id: str) -> sqlite3.Row:
    """The number joined with its agent and provider; 404 when not in the organisation (U25)."""
    row = tx.one(_SELECT + "WHERE pn.org_id = ? AND pn.id = ?", (org_id, number_id))
    if row is None:
        raise not_found("Phone number", number_id)
    return row


def _resolve_provider(tx: Tx, org_id: str, ref: ProviderRef) -> sqlite3.Row:
    """Find the provider a ``provider`` reference names; 404 when none (U18)."""
    if ref[0] == "id":
        row = tx.provider(org_id, ref[1])
        if row is None:
            raise not_found("Provider", ref[1])
        return row
    _, account_sid, region = ref
    row = tx.one(
        "SELECT * FROM providers WHERE org_id = ? AND type = 'twilio' AND account_sid = ? "
        "AND region = ?",
        (org_id, account_sid, region),
    )
    if row is None:
        raise ApiError(
            404,
            "not_found",
            "Not found",
            f"No Twilio provider for account {account_sid} in region {region}; create one first.",
        )
    return row


def _require_twilio_number(tx: Tx, provider: sqlite3.Row, number: str) -> sqlite3.Row:
    """Look the number up at Twilio with the provider's credentials (R6/R11).

    400 ``twilio_lookup_failed`` when the provider's key no longer works (revoked, ...), 400
    ``number_not_in_account`` when the account does not own the number.
    """
    problem = twilio.provider_problem(tx, provider)
    if problem is not None:
        raise ApiError(
            400,
            "twilio_lookup_failed",
            "Twilio lookup failed",
            f"Looking up {number} at Twilio with provider {provider['id']} failed: {problem} "
            "Update the provider's credentials.",
        )
    owned = twilio.owned_number(tx, provider["account_sid"], number)
    if owned is None:
        raise ApiError(
            400,
            "number_not_in_account",
            "Number not in Twilio account",
            f"{number} does not exist in Twilio account {provider['account_sid']}; Cartesia does "
            "not buy numbers, so buy or port it in Twilio first.",
        )
    return owned


def _webhook_failed(number: str, number_id: str) -> ApiError:
    message = (
        f"Configuring the Twilio voice webhook of {number} failed, so the agent was not "
        f"assigned; retry with PATCH /agents/phone-numbers/{number_id}."
    )
    return ApiError(400, "webhook_configuration_failed", "Webhook configuration failed", message)


def list_numbers(
    tx: Tx,
    org_id: str,
    page: PageRequest,
    *,
    agent_id: str | None = None,
    provider_id: str | None = None,
    type_: str | None = None,
    q: str | None = None,
) -> dict[str, Any]:
    """List phone numbers, cursor-paginated: ``{data, has_more}`` (§1.3, §2.6).

    U14/U15: newest first, cursors and ``limit`` as in ``pagination.py``.
    U16: ``q`` is a case-insensitive substring match on number, label or agent name.
    ``type``: ``twilio`` | ``cartesia`` | ``sip_trunk`` (none exist here); others → 400.
    """
    where = ["pn.org_id = ?"]
    params: list[Any] = [org_id]
    if agent_id is not None:
        where.append("pn.agent_id = ?")
        params.append(agent_id)
    if provider_id is not None:
        where.append("pn.provider_id = ?")
        params.append(provider_id)
    if type_ is not None:
        if type_ not in _TYPE_FILTERS:
            raise invalid_request(f"type {type_!r} is not one of twilio, cartesia, sip_trunk.")
        where.append(_TYPE_FILTERS[type_])
    if q:
        needle = q.lower()
        where.append(
            "(instr(lower(pn.number), ?) > 0 OR instr(lower(coalesce(pn.label, '')), ?) > 0 "
            "OR instr(lower(coalesce(a.name, '')), ?) > 0)"
        )
        params += [needle, needle, needle]
    rows, has_more = _PAGES.fetch(tx, org_id, where, params, page)
    return {"data": [render_number(r) for r in rows], "has_more": has_more}


def get_number(tx: Tx, org_id: str, number_id: str) -> dict[str, Any]:
    """Get one phone number; 404 when it is not in the caller's organisation (U25)."""
    return render_number(load_number(tx, org_id, number_id))


def import_number(tx: Tx, org_id: str, body: ImportNumberBody) -> dict[str, Any]:
    """Import a Twilio number.

    U5: ``number`` must be E.164 (400), stored exactly as sent.
    §2.7/U18: the provider (by ID or by Twilio account + region, default us1) must exist → 404;
    a provider of another type → 400 "unsupported provider type".
    §2.7: ``agent_id``, when given, must exist → 404 and nothing is created.
    R7/U17: a number already imported in this organisation (any provider) → 409.
    R6: Cartesia never buys numbers: the provider's Twilio account must own it → 400; a provider
    whose key no longer works → 400 (lookup at Twilio failed).
    R8/R18: with ``agent_id``, Cartesia wires the Twilio voice webhook; if that fails (inventory
    number flagged ``webhook_fails``) the number is saved unassigned and a 400 is returned.
    """
    require_e164(body.number)
    provider = _resolve_provider(tx, org_id, provider_ref(body.provider))
    if body.agent_id is not None:
        require_agent(tx, org_id, body.agent_id)
    existing = tx.one(
        "SELECT id FROM phone_numbers WHERE org_id = ? AND number = ?", (org_id, body.number)
    )
    if existing is not None:
        raise _already_imported(body.number)
    owned = _require_twilio_number(tx, provider, body.number)
    webhook_fails = body.agent_id is not None and bool(owned["webhook_fails"])
    number_id = new_id("ap")
    try:
        tx.run(
            "INSERT INTO phone_numbers (id, org_id, number, label, provider_id, agent_id, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                number_id,
                org_id,
                body.number,
                body.label,
                provider["id"],
                None if webhook_fails else body.agent_id,
                tx.now,
                tx.now,
            ),
        )
    except sqlite3.IntegrityError:
        raise _already_imported(body.number) from None
    if webhook_fails:
        raise ApiError(
            400,
            "webhook_configuration_failed",
            "Webhook configuration failed",
            f"{body.number} was imported as {number_id}, but configuring its Twilio voice "
            f"webhook failed, so agent {body.agent_id} was not assigned; retry the assignment "
            f"with PATCH /agents/phone-numbers/{number_id}.",
            keep_changes=True,
        )
    return render_number(load_number(tx, org_id, number_id))


def _already_imported(number: str) -> ApiError:
    return ApiError(
        409,
        "number_already_imported",
        "Phone number already imported",
        f"{number} has already been imported into this organization.",
    )


def update_number(tx: Tx, org_id: str, number_id: str, body: UpdateNumberBody) -> dict[str, Any]:
    """Merge-patch a phone number (label, agent, provider); all or nothing.

    U20: ``label: null`` → 400; ``""`` is stored.
    R9/R10/U21: ``agent_id`` assigns (the agent must exist → 404; a number has one agent, so this
    replaces any previous one); explicit ``null`` unassigns; omitted leaves it unchanged.
    R11: a new ``provider`` must exist (404) and its Twilio account must own the number (400);
    Cartesia-managed numbers cannot move to a Twilio provider (cross-type → 400, re-import).
    R8/R18: assigning an agent (or moving an assigned number) re-wires the Twilio webhook; a
    number flagged ``webhook_fails`` → 400 and nothing changes.
    U21/U22: ``updated_at`` changes only if some value actually changed.
    """
    row = load_number(tx, org_id, number_id)
    fields = body.model_fields_set
    new_label = row["label"]
    if "label" in fields:
        if body.label is None:
            raise invalid_request("label cannot be null; send a string (it may be empty).")
        new_label = body.label
    new_provider_id = row["provider_id"]
    target: sqlite3.Row | None = None
    owned: sqlite3.Row | None
    if "provider" in fields:
        if body.provider is None:
            raise invalid_request("provider cannot be null.")
        target = _resolve_provider(tx, org_id, provider_ref(body.provider))
        new_provider_id = target["id"]
    new_agent_id = row["agent_id"]
    if "agent_id" in fields:
        if body.agent_id is not None:
            require_agent(tx, org_id, body.agent_id)
        new_agent_id = body.agent_id
    if target is not None and target["id"] != row["provider_id"]:
        if row["provider_id"] is None:
            raise ApiError(
                400,
                "unsupported_provider_change",
                "Unsupported provider change",
                f"{row['number']} is a Cartesia-managed number and cannot move to a Twilio "
                "provider; delete it and import the number instead.",
            )
        owned = _require_twilio_number(tx, target, row["number"])
    else:
        owned = (
            None
            if row["provider_id"] is None
            else twilio.owned_number(tx, str(row["p_account_sid"]), row["number"])
        )
    rewire = new_agent_id is not None and (
        new_agent_id != row["agent_id"] or new_provider_id != row["provider_id"]
    )
    if rewire and owned is not None and owned["webhook_fails"]:
        raise _webhook_failed(row["number"], number_id)
    changed = (
        new_label != row["label"]
        or new_agent_id != row["agent_id"]
        or new_provider_id != row["provider_id"]
    )
    if changed:
        tx.run(
            "UPDATE phone_numbers SET label = ?, agent_id = ?, provider_id = ?, updated_at = ? "
            "WHERE id = ?",
            (new_label, new_agent_id, new_provider_id, tx.now, number_id),
        )
        row = load_number(tx, org_id, number_id)
    return render_number(row)


def delete_number(tx: Tx, org_id: str, number_id: str) -> None:
    """Delete a phone number.

    U24: 404 when missing (a second DELETE is a 404).
    R12: a number still assigned to an agent → 400 naming the agent (unassign via PATCH first).
    R13: a Cartesia-managed number is released for good (never handed out again).
    R19 (inferred): an imported Twilio number stays in the Twilio account.
    """
    row = load_number(tx, org_id, number_id)
    if row["agent_id"] is not None:
        raise ApiError(
            400,
            "number_assigned",
            "Phone number is assigned",
            f"{row['number']} is still assigned to agent {row['agent_id']} "
            f"({row['agent_name'] or ''}); unassign it with PATCH agent_id: null first.",
        )
    remove_number(tx, row)


def remove_number(tx: Tx, row: sqlite3.Row) -> None:
    """Delete a number's row; R13: a Cartesia-managed number is released for good."""
    if row["provider_id"] is None:
        tx.run("INSERT OR IGNORE INTO released_numbers (number) VALUES (?)", (row["number"],))
    tx.run("DELETE FROM phone_numbers WHERE id = ?", (row["id"],))


def provision_number(tx: Tx, org_id: str, body: ProvisionBody) -> dict[str, Any]:
    """Provision a Cartesia-managed (US) number.

    §2.11 (S3): ``agent_id``, when given, must exist → 404.
    R15/U19: Cartesia numbers count against the plan's slots (``plan_slots`` of the org, default
    10; imported Twilio numbers do not count); over the limit → 402 ``quota_exceeded``.
    R13/R14: numbers are US (+1), never reused after release.
    Response has no ``provider`` key (ProvisionPhoneNumberResponse).
    """
    if body.agent_id is not None:
        require_agent(tx, org_id, body.agent_id)
    org = tx.one("SELECT plan_slots FROM organizations WHERE id = ?", (org_id,))
    slots = int(org["plan_slots"]) if org is not None else 10
    used_row = tx.one(
        "SELECT COUNT(*) AS n FROM phone_numbers WHERE org_id = ? AND provider_id IS NULL",
        (org_id,),
    )
    used = int(used_row["n"]) if used_row is not None else 0
    if used >= slots:
        raise ApiError(
            402,
            "quota_exceeded",
            "Quota exceeded",
            f"All {slots} phone-number slots of your plan are in use; delete a Cartesia number "
            "or upgrade the plan.",
        )
    counter = int(tx.meta("provision_counter") or "0")
    while True:
        number = f"+{_PROVISION_BASE + counter}"
        counter += 1
        taken = (
            tx.one("SELECT 1 FROM phone_numbers WHERE number = ?", (number,))
            or tx.one("SELECT 1 FROM released_numbers WHERE number = ?", (number,))
            or twilio.number_anywhere(tx, number)
        )
        if not taken:
            break
    tx.set_meta("provision_counter", str(counter))
    number_id = new_id("ap")
    tx.run(
        "INSERT INTO phone_numbers (id, org_id, number, label, provider_id, agent_id, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, NULL, ?, ?, ?)",
        (number_id, org_id, number, body.label, body.agent_id, tx.now, tx.now),
    )
    return render_number(load_number(tx, org_id, number_id), with_provider=False)
