"""Seeds (organisations, agents, simulated Twilio inventory), the built-in DEMO_SEED and the state dump.

Seed shape (``docs/emulator.md``; JSON or YAML)::

    {"organizations": [{"id", "api_key", "replace_api_key"?, "plan_slots"?,
                        "agents": [{"id", "name", "description"?}]}],
     "twilio_accounts": [{"account_sid", "auth_token"?, "api_keys": [{"sid", "secret", "region",
                          "revoked"?}], "numbers": ["+1...", {"number", "webhook_fails"}]}],
     "settings": {"plain_text_errors_for_old_versions": bool, "provider_label_patch": bool}}

Seeds merge (upsert by ID); they never delete. Unknown keys are rejected so typos surface. A
seed never changes an existing organisation's API key silently: a different ``api_key`` needs
``"replace_api_key": true`` on that organisation, else 409 (the same key is a no-op).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cartesia_pulumi.emulator import twilio
from cartesia_pulumi.emulator.demo import DEMO_SEED
from cartesia_pulumi.emulator.errors import ApiError
from cartesia_pulumi.emulator.schemas import Region
from cartesia_pulumi.emulator.store import Tx, new_id, sha256

__all__ = ["DEMO_SEED", "Seed", "apply_seed", "demo_seed", "dump_state", "load_seed_file", "parse_seed"]

#: Upper bound for ``plan_slots`` (SQLite integers are 64-bit; no plan comes near this).
MAX_PLAN_SLOTS = 1_000_000

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class SeedAgent(_Strict):
    """An agent of an organisation."""

    id: str = Field(min_length=1)
    name: str
    description: str | None = None


class SeedOrganization(_Strict):
    """A Cartesia organisation, addressed by its API key."""

    id: str = Field(min_length=1)
    api_key: str | None = Field(default=None, min_length=1)
    replace_api_key: bool = False
    plan_slots: int | None = Field(default=None, ge=0, le=MAX_PLAN_SLOTS)
    agents: list[SeedAgent] = []


class SeedKey(_Strict):
    """A Twilio API key (one region of one account)."""

    sid: str
    secret: str
    region: Region = "us1"
    revoked: bool = False


class SeedNumber(_Strict):
    """A Twilio number; ``webhook_fails`` makes webhook wiring fail (R8)."""

    number: str
    webhook_fails: bool = False


class SeedTwilioAccount(_Strict):
    """A simulated Twilio account."""

    account_sid: str
    auth_token: str | None = None
    api_keys: list[SeedKey] = []
    numbers: list[str | SeedNumber] = []


class SeedSettings(_Strict):
    """Emulator switches settable from a seed."""

    plain_text_errors_for_old_versions: bool | None = None
    provider_label_patch: bool | None = None


class Seed(_Strict):
    """A whole seed document."""

    organizations: list[SeedOrganization] = []
    twilio_accounts: list[SeedTwilioAccount] = []
    settings: SeedSettings = SeedSettings()


def demo_seed() -> dict[str, Any]:
    """A deep copy of :data:`DEMO_SEED` (callers may mutate it)."""
    return copy.deepcopy(DEMO_SEED)


def parse_seed(data: Any) -> Seed:
    """Validate a seed document; problems → 400 ``invalid_request`` naming the field."""
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_request", "Invalid seed", "A seed must be a JSON object.")
    try:
        return Seed.model_validate(data)
    except ValidationError as exc:
        parts = [
            ".".join(str(p) for p in e["loc"]) + ": " + e["msg"]
            for e in exc.errors(include_url=False, include_input=False)
        ]
        raise ApiError(400, "invalid_request", "Invalid seed", "; ".join(parts)) from None


def load_seed_file(path: str | Path) -> dict[str, Any]:
    """Read a seed file: ``.yaml``/``.yml`` as YAML, anything else as JSON (YAML as fallback)."""
    text = Path(path).read_text(encoding="utf-8")
    if str(path).endswith((".yaml", ".yml")):
        data = yaml.safe_load(text)
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError(f"seed file {path} does not contain an object")
    return data


def _seed_error(status: int, message: str) -> ApiError:
    return ApiError(status, "invalid_request" if status == 400 else "conflict", "Invalid seed", message)


def _upsert_org(tx: Tx, org: SeedOrganization) -> None:
    """Create or update one organisation; its API key changes only when the seed says so."""
    existing = tx.one("SELECT * FROM organizations WHERE id = ?", (org.id,))
    key_hash = sha256(org.api_key) if org.api_key is not None else None
    if key_hash is not None:
        clash = tx.one(
            "SELECT id FROM organizations WHERE api_key_sha256 = ? AND id != ?", (key_hash, org.id)
        )
        if clash is not None:
            raise _seed_error(
                400, f"organization {org.id}: api_key already belongs to {clash['id']}."
            )
    if existing is None:
        if key_hash is None:
            raise _seed_error(
                400, f"organization {org.id}: api_key is required for a new organization."
            )
        tx.run(
            "INSERT INTO organizations (id, api_key_sha256, plan_slots) VALUES (?, ?, ?)",
            (org.id, key_hash, 10 if org.plan_slots is None else org.plan_slots),
        )
        return
    if key_hash is not None and key_hash != existing["api_key_sha256"]:
        if not org.replace_api_key:
            raise _seed_error(
                409,
                f"organization {org.id} already exists with a different api_key; add "
                '"replace_api_key": true to that organization to replace its key.',
            )
        tx.run("UPDATE organizations SET api_key_sha256 = ? WHERE id = ?", (key_hash, org.id))
    if org.plan_slots is not None:
        tx.run("UPDATE organizations SET plan_slots = ? WHERE id = ?", (org.plan_slots, org.id))


def _upsert_agent(tx: Tx, org_id: str, agent: SeedAgent) -> None:
    """Create or rename an agent; ``updated_at`` moves only when a value changes."""
    tx.run(
        "INSERT INTO agents (org_id, id, name, description, version_id, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(org_id, id) DO UPDATE SET "
        "updated_at = CASE WHEN agents.name IS excluded.name AND (excluded.description IS NULL "
        "OR agents.description IS excluded.description) THEN agents.updated_at "
        "ELSE excluded.updated_at END, "
        "name = excluded.name, description = coalesce(excluded.description, agents.description)",
        (org_id, agent.id, agent.name, agent.description, new_id("agv"), tx.now, tx.now),
    )


def apply_seed(tx: Tx, seed: Seed) -> None:
    """Merge a validated seed into the store (upserts; never deletes)."""
    for org in seed.organizations:
        _upsert_org(tx, org)
        for agent in org.agents:
            _upsert_agent(tx, org.id, agent)
    for acct in seed.twilio_accounts:
        twilio.ensure_account(tx, acct.account_sid, acct.auth_token)
        for key in acct.api_keys:
            twilio.add_key(tx, acct.account_sid, key.sid, key.secret, key.region, key.revoked)
        for num in acct.numbers:
            if isinstance(num, str):
                twilio.add_number(tx, acct.account_sid, num)
            else:
                twilio.add_number(tx, acct.account_sid, num.number, num.webhook_fails)


_PROVIDER_COLUMNS = (
    "id", "type", "account_sid", "api_key_sid", "api_key_secret_sha256", "region", "label",
)
_NUMBER_COLUMNS = ("id", "number", "label", "provider_id", "agent_id", "created_at", "updated_at")


def _rows(tx: Tx, table: str, key: str, value: str, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    sql = f"SELECT {', '.join(columns)} FROM {table} WHERE {key} = ? ORDER BY seq"
    return [dict(zip(columns, tuple(r), strict=True)) for r in tx.all(sql, (value,))]


def dump_state(tx: Tx) -> dict[str, Any]:
    """The state dump of ``GET /_emulator/state`` (``docs/emulator.md``); hashes only, no secrets.

    The shape is fixed (tests compare dumps): agents as ``{id, name}``, providers with the
    unmasked key SID and the secret's SHA-256, numbers with their IDs and timestamps, Twilio
    accounts with their keys (no secrets) and numbers.
    """
    orgs = [
        {
            "id": org["id"],
            "agents": _rows(tx, "agents", "org_id", org["id"], ("id", "name")),
            "providers": _rows(tx, "providers", "org_id", org["id"], _PROVIDER_COLUMNS),
            "phone_numbers": _rows(tx, "phone_numbers", "org_id", org["id"], _NUMBER_COLUMNS),
        }
        for org in tx.all("SELECT id FROM organizations ORDER BY seq")
    ]
    accounts = []
    for acct in tx.all("SELECT account_sid FROM twilio_accounts ORDER BY seq"):
        sid = acct["account_sid"]
        keys = _rows(tx, "twilio_keys", "account_sid", sid, ("sid", "region", "revoked"))
        numbers = _rows(tx, "twilio_numbers", "account_sid", sid, ("number",))
        accounts.append(
            {
                "account_sid": sid,
                "api_keys": [{**k, "revoked": bool(k["revoked"])} for k in keys],
                "numbers": [str(n["number"]) for n in numbers],
            }
        )
    return {"organizations": orgs, "twilio_accounts": accounts}
