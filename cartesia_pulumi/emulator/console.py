"""Edits behind the API's back, as a user would make them in the Cartesia dashboard.

Reached only through the control API (``/_emulator/console/...``, ``docs/emulator.md``), so that
tests can create drift: an agent reassigned, a label changed, a number deleted or a provider
key rotated outside of Pulumi. They skip the API's rules where the dashboard would (no webhook,
no "unassign before delete"), and keep the ones it cannot skip (an agent must exist; a rotated
key must work at Twilio).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from cartesia_pulumi.emulator import providers
from cartesia_pulumi.emulator.agents import require_agent
from cartesia_pulumi.emulator.errors import invalid_request, not_found
from cartesia_pulumi.emulator.phone_numbers import load_number, remove_number, render_number
from cartesia_pulumi.emulator.schemas import UpdateProviderBody
from cartesia_pulumi.emulator.store import Tx


def _find_anywhere(tx: Tx, number_id: str) -> sqlite3.Row:
    row = tx.one("SELECT org_id FROM phone_numbers WHERE id = ?", (number_id,))
    if row is None:
        raise not_found("Phone number", number_id)
    return load_number(tx, str(row["org_id"]), number_id)


def update_number(tx: Tx, number_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Set ``label`` and/or ``agent_id`` (null unassigns); always bumps ``updated_at``.

    No API rules apply (no webhook, no merge semantics beyond the given keys), but the agent must
    exist in the number's organisation (404), as the dashboard only offers existing agents.
    """
    row = _find_anywhere(tx, number_id)
    label = row["label"]
    agent_id = row["agent_id"]
    if "label" in fields:
        if fields["label"] is not None and not isinstance(fields["label"], str):
            raise invalid_request("label must be a string or null.")
        label = fields["label"]
    if "agent_id" in fields:
        agent_id = fields["agent_id"]
        if agent_id is not None:
            if not isinstance(agent_id, str):
                raise invalid_request("agent_id must be a string or null.")
            require_agent(tx, str(row["org_id"]), agent_id)
    tx.run(
        "UPDATE phone_numbers SET label = ?, agent_id = ?, updated_at = ? WHERE id = ?",
        (label, agent_id, tx.now, number_id),
    )
    return render_number(load_number(tx, str(row["org_id"]), number_id))


def delete_number(tx: Tx, number_id: str) -> None:
    """Remove a number even if it is assigned (R13 still applies to Cartesia numbers)."""
    remove_number(tx, _find_anywhere(tx, number_id))


def update_provider(tx: Tx, provider_id: str, body: UpdateProviderBody) -> dict[str, Any]:
    """Rotate a provider's key (and region, label) with the API's R1/R3/R16/U8/U9 checks.

    The dashboard can rename a provider, so ``label`` always applies here, whatever the
    ``provider_label_patch`` setting says about the API's PATCH.
    """
    row = tx.one("SELECT org_id FROM providers WHERE id = ?", (provider_id,))
    if row is None:
        raise not_found("Provider", provider_id)
    return providers.update_provider(tx, str(row["org_id"]), provider_id, body, label_patch=True)
