"""Simulated Twilio inventory: accounts, regional API keys and the numbers each account owns.

Model (``docs/emulator.md``, U26): numbers belong to an account, not to a region; an API key
belongs to one region of one account and can be revoked. Credentials are valid for a provider of
(account, region) iff the key exists in that account, is not revoked, its secret matches and its
region equals the provider's region (R16). As a guess for R21, an account seeded with an
``auth_token`` also accepts ``api_key_sid = <account SID>`` / ``api_key_secret = <auth token>``,
valid for region ``us1`` only.

Every check that the real Cartesia backend makes against Twilio (credentials R1/R3, ownership
R6/R11, reachability R3, webhook wiring R8/R18) consults these tables and nothing else.
"""

from __future__ import annotations

import sqlite3

from cartesia_pulumi.emulator.errors import ApiError, not_found
from cartesia_pulumi.emulator.store import Tx, sha256

REGIONS = ("us1", "ie1", "au1")


def credential_problem(
    tx: Tx, account_sid: str, key_sid: str, secret_sha256: str, region: str
) -> str | None:
    """Why these credentials cannot act on Twilio account ``account_sid`` in ``region``.

    Returns ``None`` when they are valid. The text names the wrong part (account, key, revoked,
    secret, region) and never echoes the secret.
    """
    account = tx.one("SELECT * FROM twilio_accounts WHERE account_sid = ?", (account_sid,))
    if account is None:
        return f"Twilio account {account_sid} was not found."
    if key_sid == account_sid and account["auth_token_sha256"]:
        # R21 (TP): account SID + auth token in the key fields; auth tokens are us1-only here.
        if account["auth_token_sha256"] != secret_sha256:
            return f"The auth token does not match Twilio account {account_sid}."
        if region != "us1":
            return (
                f"An account auth token authenticates in Twilio region us1 only, not {region}; "
                f"use an API key created in region {region}."
            )
        return None
    key = tx.one("SELECT * FROM twilio_keys WHERE sid = ?", (key_sid,))
    if key is None or key["account_sid"] != account_sid:
        return f"API key {key_sid} was not found in Twilio account {account_sid}."
    if key["revoked"]:
        return f"API key {key_sid} has been revoked in Twilio account {account_sid}."
    if key["secret_sha256"] != secret_sha256:
        return f"The API key secret does not match API key {key_sid}."
    if key["region"] != region:
        return (
            f"API key {key_sid} belongs to Twilio region {key['region']}, not {region}; "
            f"a provider's region must be the region its API key was created in."
        )
    return None


def require_credentials(
    tx: Tx, account_sid: str, key_sid: str, secret: str, region: str
) -> None:
    """R1/R16: raise 400 ``invalid_credentials`` unless Twilio accepts the credentials."""
    problem = credential_problem(tx, account_sid, key_sid, sha256(secret), region)
    if problem is not None:
        raise ApiError(
            400,
            "invalid_credentials",
            "Invalid provider credentials",
            f"Twilio rejected the provider credentials: {problem}",
        )


def provider_problem(tx: Tx, provider: sqlite3.Row) -> str | None:
    """Whether a stored provider's credentials still work at Twilio (revoked keys etc.)."""
    return credential_problem(
        tx,
        provider["account_sid"],
        provider["api_key_sid"],
        provider["api_key_secret_sha256"],
        provider["region"],
    )


def owned_number(tx: Tx, account_sid: str, number: str) -> sqlite3.Row | None:
    """The inventory row if Twilio account ``account_sid`` owns ``number``."""
    return tx.one(
        "SELECT * FROM twilio_numbers WHERE account_sid = ? AND number = ?", (account_sid, number)
    )


def account_numbers(tx: Tx, account_sid: str) -> set[str]:
    """All numbers owned by a Twilio account."""
    rows = tx.all("SELECT number FROM twilio_numbers WHERE account_sid = ?", (account_sid,))
    return {str(r["number"]) for r in rows}


def number_anywhere(tx: Tx, number: str) -> bool:
    """True if any simulated Twilio account owns ``number``."""
    return tx.one("SELECT 1 FROM twilio_numbers WHERE number = ?", (number,)) is not None


# --- inventory edits (seed and control API) ----------------------------------------------------


def ensure_account(tx: Tx, account_sid: str, auth_token: str | None = None) -> None:
    """Create a Twilio account if missing; set its auth token when one is given."""
    tx.run(
        "INSERT INTO twilio_accounts (account_sid) VALUES (?) ON CONFLICT(account_sid) DO NOTHING",
        (account_sid,),
    )
    if auth_token is not None:
        tx.run(
            "UPDATE twilio_accounts SET auth_token_sha256 = ? WHERE account_sid = ?",
            (sha256(auth_token), account_sid),
        )


def add_key(
    tx: Tx, account_sid: str, sid: str, secret: str, region: str, revoked: bool = False
) -> None:
    """Add (or replace) an API key of an account; creates the account when missing."""
    if region not in REGIONS:
        raise ApiError(400, "invalid_request", None, f"Unknown Twilio region {region!r}.")
    ensure_account(tx, account_sid)
    existing = tx.one("SELECT account_sid FROM twilio_keys WHERE sid = ?", (sid,))
    if existing is not None and existing["account_sid"] != account_sid:
        raise ApiError(
            409, "conflict", None, f"Key {sid} already belongs to {existing['account_sid']}."
        )
    tx.run(
        "INSERT INTO twilio_keys (sid, account_sid, secret_sha256, region, revoked) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(sid) DO UPDATE SET secret_sha256 = excluded.secret_sha256, "
        "region = excluded.region, revoked = excluded.revoked",
        (sid, account_sid, sha256(secret), region, int(revoked)),
    )


def revoke_key(tx: Tx, sid: str) -> None:
    """Revoke an API key: providers using it can no longer talk to Twilio."""
    cur = tx.run("UPDATE twilio_keys SET revoked = 1 WHERE sid = ?", (sid,))
    if cur.rowcount == 0:
        raise not_found("Twilio API key", sid)


def add_number(tx: Tx, account_sid: str, number: str, webhook_fails: bool = False) -> None:
    """Give a Twilio account a number (upsert; ``webhook_fails`` makes R8 reproducible)."""
    ensure_account(tx, account_sid)
    tx.run(
        "INSERT INTO twilio_numbers (account_sid, number, webhook_fails) VALUES (?, ?, ?) "
        "ON CONFLICT(account_sid, number) DO UPDATE SET webhook_fails = excluded.webhook_fails",
        (account_sid, number, int(webhook_fails)),
    )


def remove_number(tx: Tx, account_sid: str, number: str) -> None:
    """Release a number from a Twilio account (numbers on providers become unreachable, R3)."""
    cur = tx.run(
        "DELETE FROM twilio_numbers WHERE account_sid = ? AND number = ?", (account_sid, number)
    )
    if cur.rowcount == 0:
        raise not_found("Twilio number", f"{account_sid}/{number}")
