"""Seeds (organisations, agents, simulated Twilio inventory), the built-in DEMO_SEED and the state dump.

Seed shape (docs/architecture.md §1; JSON or YAML)::

    {"organizations": [{"id", "api_key", "plan_slots"?, "agents": [{"id", "name"}]}],
     "twilio_accounts": [{"account_sid", "auth_token"?, "api_keys": [{"sid", "secret", "region",
                          "revoked"?}], "numbers": ["+1...", {"number", "webhook_fails"}]}],
     "settings": {"plain_text_errors_for_old_versions": bool}}

Seeds merge (upsert by ID); they never delete. Unknown keys are rejected so typos surface.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cartesia_pulumi.emulator import twilio
from cartesia_pulumi.emulator.errors import ApiError
from cartesia_pulumi.emulator.schemas import Region
from cartesia_pulumi.emulator.store import Tx, sha256

_P = "AC0123456789abcdef0123456789abcdef"
_S = "ACfedcba9876543210fedcba9876543210"

DEMO_SEED: dict[str, Any] = {
    "organizations": [
        {
            "id": "org_demo",
            "api_key": "sk_car_demo_key",
            "plan_slots": 10,
            "agents": [
                {"id": "agent_support", "name": "Support"},
                {"id": "agent_sales", "name": "Sales"},
            ],
        }
    ],
    "twilio_accounts": [
        {
            # "production"
            "account_sid": _P,
            "api_keys": [
                {"sid": "SK0123456789abcdef0123456789abc001", "secret": "demo-us1-secret-1", "region": "us1"},
                {"sid": "SK0123456789abcdef0123456789abc002", "secret": "demo-us1-secret-2", "region": "us1"},
                {"sid": "SK0123456789abcdef0123456789abc101", "secret": "demo-ie1-secret-1", "region": "ie1"},
                {"sid": "SK0123456789abcdef0123456789abc201", "secret": "demo-au1-secret-1", "region": "au1"},
            ],
            "numbers": [
                "+14155550100",
                "+14155550101",
                "+14155550102",
                "+35315550100",
                "+35315550101",
                "+61255550100",
                "+61255550101",
            ],
        },
        {
            # "staging"
            "account_sid": _S,
            "api_keys": [
                {"sid": "SKfedcba9876543210fedcba9876543001", "secret": "staging-us1-secret-1", "region": "us1"},
                {"sid": "SKfedcba9876543210fedcba9876543101", "secret": "staging-ie1-secret-1", "region": "ie1"},
                {"sid": "SKfedcba9876543210fedcba9876543201", "secret": "staging-au1-secret-1", "region": "au1"},
            ],
            "numbers": ["+14155550200", "+14155550201", "+35315550200", "+61255550200"],
        },
    ],
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class SeedAgent(_Strict):
    """An agent of an organisation."""

    id: str
    name: str


class SeedOrganization(_Strict):
    """A Cartesia organisation, addressed by its API key."""

    id: str
    api_key: str | None = None
    plan_slots: int | None = Field(default=None, ge=0)
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


def apply_seed(tx: Tx, seed: Seed) -> None:
    """Merge a validated seed into the store (upserts; never deletes)."""
    for org in seed.organizations:
        existing = tx.one("SELECT * FROM organizations WHERE id = ?", (org.id,))
        key_hash = sha256(org.api_key) if org.api_key is not None else None
        if key_hash is not None:
            clash = tx.one(
                "SELECT id FROM organizations WHERE api_key_sha256 = ? AND id != ?",
                (key_hash, org.id),
            )
            if clash is not None:
                raise ApiError(
                    400, "invalid_request", "Invalid seed",
                    f"organization {org.id}: api_key already belongs to {clash['id']}.",
                )
        if existing is None:
            if key_hash is None:
                raise ApiError(
                    400, "invalid_request", "Invalid seed",
                    f"organization {org.id}: api_key is required for a new organization.",
                )
            tx.run(
                "INSERT INTO organizations (id, api_key_sha256, plan_slots) VALUES (?, ?, ?)",
                (org.id, key_hash, 10 if org.plan_slots is None else org.plan_slots),
            )
        else:
            if key_hash is not None:
                tx.run(
                    "UPDATE organizations SET api_key_sha256 = ? WHERE id = ?", (key_hash, org.id)
                )
            if org.plan_slots is not None:
                tx.run(
                    "UPDATE organizations SET plan_slots = ? WHERE id = ?",
                    (org.plan_slots, org.id),
                )
        for agent in org.agents:
            tx.run(
                "INSERT INTO agents (org_id, id, name) VALUES (?, ?, ?) "
                "ON CONFLICT(org_id, id) DO UPDATE SET name = excluded.name",
                (org.id, agent.id, agent.name),
            )
    for acct in seed.twilio_accounts:
        twilio.ensure_account(tx, acct.account_sid, acct.auth_token)
        for key in acct.api_keys:
            twilio.add_key(tx, acct.account_sid, key.sid, key.secret, key.region, key.revoked)
        for num in acct.numbers:
            if isinstance(num, str):
                twilio.add_number(tx, acct.account_sid, num)
            else:
                twilio.add_number(tx, acct.account_sid, num.number, num.webhook_fails)


def dump_state(tx: Tx) -> dict[str, Any]:
    """The state dump of ``GET /_emulator/state`` (architecture.md §1); hashes only, no secrets."""
    orgs = []
    for org in tx.all("SELECT * FROM organizations ORDER BY seq"):
        oid = org["id"]
        orgs.append(
            {
                "id": oid,
                "agents": [
                    {"id": a["id"], "name": a["name"]}
                    for a in tx.all("SELECT * FROM agents WHERE org_id = ? ORDER BY seq", (oid,))
                ],
                "providers": [
                    {
                        "id": p["id"],
                        "type": p["type"],
                        "account_sid": p["account_sid"],
                        "api_key_sid": p["api_key_sid"],
                        "api_key_secret_sha256": p["api_key_secret_sha256"],
                        "region": p["region"],
                        "label": p["label"],
                    }
                    for p in tx.all("SELECT * FROM providers WHERE org_id = ? ORDER BY seq", (oid,))
                ],
                "phone_numbers": [
                    {
                        "id": n["id"],
                        "number": n["number"],
                        "label": n["label"],
                        "provider_id": n["provider_id"],
                        "agent_id": n["agent_id"],
                        "created_at": n["created_at"],
                        "updated_at": n["updated_at"],
                    }
                    for n in tx.all(
                        "SELECT * FROM phone_numbers WHERE org_id = ? ORDER BY seq", (oid,)
                    )
                ],
            }
        )
    accounts = []
    for acct in tx.all("SELECT * FROM twilio_accounts ORDER BY seq"):
        sid = acct["account_sid"]
        accounts.append(
            {
                "account_sid": sid,
                "api_keys": [
                    {"sid": k["sid"], "region": k["region"], "revoked": bool(k["revoked"])}
                    for k in tx.all(
                        "SELECT * FROM twilio_keys WHERE account_sid = ? ORDER BY seq", (sid,)
                    )
                ],
                "numbers": [
                    str(n["number"])
                    for n in tx.all(
                        "SELECT number FROM twilio_numbers WHERE account_sid = ? ORDER BY seq",
                        (sid,),
                    )
                ],
            }
        )
    return {"organizations": orgs, "twilio_accounts": accounts}
