"""Provider rules (``/agents/phone-numbers/providers``, ``docs/cartesia-api.md §2.1-2.5``).

One function per operation; each docstring states the rules it enforces. All functions run
inside a store transaction and raise :class:`ApiError` for every documented error.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from cartesia_pulumi.emulator import twilio
from cartesia_pulumi.emulator.errors import ApiError, invalid_request, not_found
from cartesia_pulumi.emulator.schemas import CreateProviderBody, UpdateProviderBody
from cartesia_pulumi.emulator.store import Tx, new_id, sha256


def mask_sid(value: str) -> str:
    """R4/U6: keep the first 2 and last 4 characters, ``*`` in between, same length.

    Deterministic, so repeated reads are identical; strings of 6 characters or fewer are masked
    entirely so the result never equals the input.
    """
    if len(value) <= 6:
        return "*" * len(value)
    return value[:2] + "*" * (len(value) - 6) + value[-4:]


def render_provider(row: sqlite3.Row) -> dict[str, Any]:
    """The TwilioProviderResponse (§2.0): masked ``api_key_sid``, no secret, no timestamps."""
    return {
        "type": row["type"],
        "id": row["id"],
        "account_sid": row["account_sid"],
        "api_key_sid": mask_sid(row["api_key_sid"]),
        "region": row["region"],
        "label": row["label"],
    }


def _numbers_on(tx: Tx, provider_id: str) -> list[str]:
    rows = tx.all(
        "SELECT number FROM phone_numbers WHERE provider_id = ? ORDER BY seq", (provider_id,)
    )
    return [str(r["number"]) for r in rows]


def _conflict(account_sid: str, region: str) -> ApiError:
    message = (
        f"A Twilio provider for account {account_sid} in region {region} already exists; "
        "update it with PATCH instead of creating another."
    )
    return ApiError(409, "provider_exists", "Provider already exists", message)


def list_providers(
    tx: Tx, org_id: str, type_: str | None = None, account_sid: str | None = None
) -> list[dict[str, Any]]:
    """List the organisation's providers as a bare JSON array (§1.3: not paginated).

    U13: creation order ascending; ``type`` and ``account_sid`` filter by exact match; a
    ``type`` other than ``twilio``/``sip_trunk`` is a 400.
    """
    if type_ is not None and type_ not in ("twilio", "sip_trunk"):
        raise invalid_request(f"type {type_!r} is not one of twilio, sip_trunk.")
    sql = "SELECT * FROM providers WHERE org_id = ?"
    params: list[Any] = [org_id]
    if type_ is not None:
        sql += " AND type = ?"
        params.append(type_)
    if account_sid is not None:
        sql += " AND account_sid = ?"
        params.append(account_sid)
    return [render_provider(r) for r in tx.all(sql + " ORDER BY seq", tuple(params))]


def create_provider(tx: Tx, org_id: str, body: CreateProviderBody) -> dict[str, Any]:
    """Create a Twilio provider.

    R2: one provider per (account SID, region) per organisation; a second → 409 (checked first,
    without calling Twilio). The same account in another region is allowed.
    R1/R16: the credentials are checked against (simulated) Twilio before anything is saved:
    the key must exist in the account, not be revoked, match the secret and belong to ``region``
    → else 400 ``invalid_credentials``.
    """
    if tx.one(
        "SELECT 1 FROM providers WHERE org_id = ? AND account_sid = ? AND region = ?",
        (org_id, body.account_sid, body.region),
    ):
        raise _conflict(body.account_sid, body.region)
    twilio.require_credentials(
        tx, body.account_sid, body.api_key_sid, body.api_key_secret, body.region
    )
    provider_id = new_id("ata")
    try:
        tx.run(
            "INSERT INTO providers (id, org_id, type, account_sid, api_key_sid, "
            "api_key_secret_sha256, region, label) VALUES (?, ?, 'twilio', ?, ?, ?, ?, ?)",
            (
                provider_id,
                org_id,
                body.account_sid,
                body.api_key_sid,
                sha256(body.api_key_secret),
                body.region,
                body.label,
            ),
        )
    except sqlite3.IntegrityError:  # only reachable if two writers race past the check above
        raise _conflict(body.account_sid, body.region) from None
    return get_provider(tx, org_id, provider_id)


def get_provider(tx: Tx, org_id: str, provider_id: str) -> dict[str, Any]:
    """Get one provider; 404 when it does not exist in the caller's organisation (U25)."""
    row = tx.provider(org_id, provider_id)
    if row is None:
        raise not_found("Provider", provider_id)
    return render_provider(row)


def update_provider(
    tx: Tx, org_id: str, provider_id: str, body: UpdateProviderBody, *, label_patch: bool = False
) -> dict[str, Any]:
    """Replace a provider's credentials (and optionally region and label); all or nothing.

    U10: ``type``, ``api_key_sid`` and ``api_key_secret`` are required (schema).
    U8: region omitted → keep the current region.
    U9: a region change that collides with another provider of the same account → 409.
    R1/R16: the new credentials are validated against Twilio for the (new) region → 400
    ``invalid_credentials``.
    R3/U7: every number on the provider must still be reachable, i.e. still owned by the
    provider's Twilio account; otherwise 400 ``numbers_unreachable`` with
    ``unreachable_numbers`` (E.164 list) and nothing changes.
    U12: the published Twilio variant of the update body has no ``label``, so by default a
    ``label`` is ignored like any unknown field and the label keeps its value; with
    ``label_patch`` (setting ``provider_label_patch``, or a console edit) it renames.
    U22/U27: numbers' ``updated_at`` is untouched; numbers render the provider live.
    """
    row = tx.provider(org_id, provider_id)
    if row is None:
        raise not_found("Provider", provider_id)
    region = body.region or row["region"]
    if region != row["region"] and tx.one(
        "SELECT 1 FROM providers WHERE org_id = ? AND account_sid = ? AND region = ? AND id != ?",
        (org_id, row["account_sid"], region, provider_id),
    ):
        raise _conflict(row["account_sid"], region)
    twilio.require_credentials(
        tx, row["account_sid"], body.api_key_sid, body.api_key_secret, region
    )
    owned = twilio.account_numbers(tx, row["account_sid"])
    unreachable = [n for n in _numbers_on(tx, provider_id) if n not in owned]
    if unreachable:
        raise ApiError(
            400,
            "numbers_unreachable",
            "Phone numbers unreachable",
            f"{len(unreachable)} phone number(s) on provider {provider_id} are not reachable "
            f"with the new credentials (not in Twilio account {row['account_sid']}): "
            + ", ".join(unreachable)
            + ". Delete or move them first.",
            {"unreachable_numbers": unreachable},
        )
    label = body.label if label_patch and "label" in body.model_fields_set else row["label"]
    tx.run(
        "UPDATE providers SET api_key_sid = ?, api_key_secret_sha256 = ?, region = ?, label = ? "
        "WHERE id = ?",
        (body.api_key_sid, sha256(body.api_key_secret), region, label, provider_id),
    )
    return get_provider(tx, org_id, provider_id)


def delete_provider(tx: Tx, org_id: str, provider_id: str) -> None:
    """Delete a provider.

    U24: 404 when missing (so a second DELETE is a 404).
    R5/U11: 409 while any phone number uses it; the message names the count and the numbers and
    the body carries ``phone_numbers`` (E.164 list).
    """
    if tx.provider(org_id, provider_id) is None:
        raise not_found("Provider", provider_id)
    numbers = _numbers_on(tx, provider_id)
    if numbers:
        raise ApiError(
            409,
            "provider_in_use",
            "Provider in use",
            f"Provider {provider_id} still has {len(numbers)} phone number(s): "
            + ", ".join(numbers)
            + ". Delete them or move them to another provider first.",
            {"phone_numbers": numbers},
        )
    tx.run("DELETE FROM providers WHERE id = ?", (provider_id,))
