"""The demo seed's values, named once: organisation, API key, agents, Twilio accounts, keys, numbers.

Examples, tests and benchmarks depend on these exact values, so every copy of them should import
from here. :data:`DEMO_SEED` (the ``--demo`` seed) is built from the same constants, which keeps
the seed and the names from drifting apart.

Two simulated Twilio accounts: "production" (:data:`PROD_ACCOUNT_SID`) with keys in all three
regions plus a second us1 key for rotation demos, and "staging" (:data:`STAGING_ACCOUNT_SID`).
Numbers belong to an account, not to a region (``docs/emulator.md``).
"""

from __future__ import annotations

from typing import Any, NamedTuple


class TwilioKey(NamedTuple):
    """A simulated Twilio API key; indexable like the ``(sid, secret)`` pairs it replaces."""

    sid: str
    """The key SID (``SK`` + 32 hex)."""
    secret: str
    """The key secret (stored by the emulator only as a SHA-256 digest)."""
    region: str
    """The Twilio region the key was created in (``us1``, ``ie1`` or ``au1``)."""


class DemoAgent(NamedTuple):
    """An agent of the demo organisation."""

    id: str
    name: str


DEMO_ORG_ID = "org_demo"
DEMO_API_KEY = "sk_car_demo_key"
DEMO_PLAN_SLOTS = 10

AGENT_SUPPORT = DemoAgent("agent_support", "Support")
AGENT_SALES = DemoAgent("agent_sales", "Sales")
DEMO_AGENTS = (AGENT_SUPPORT, AGENT_SALES)

PROD_ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef"
PROD_US1 = TwilioKey("SK0123456789abcdef0123456789abc001", "demo-us1-secret-1", "us1")
PROD_US1_B = TwilioKey("SK0123456789abcdef0123456789abc002", "demo-us1-secret-2", "us1")
PROD_IE1 = TwilioKey("SK0123456789abcdef0123456789abc101", "demo-ie1-secret-1", "ie1")
PROD_AU1 = TwilioKey("SK0123456789abcdef0123456789abc201", "demo-au1-secret-1", "au1")
PROD_KEYS = (PROD_US1, PROD_US1_B, PROD_IE1, PROD_AU1)
PROD_US_NUMBERS = ("+14155550100", "+14155550101", "+14155550102")
PROD_IE_NUMBERS = ("+35315550100", "+35315550101")
PROD_AU_NUMBERS = ("+61255550100", "+61255550101")
PROD_NUMBERS = PROD_US_NUMBERS + PROD_IE_NUMBERS + PROD_AU_NUMBERS

STAGING_ACCOUNT_SID = "ACfedcba9876543210fedcba9876543210"
STAGING_US1 = TwilioKey("SKfedcba9876543210fedcba9876543001", "staging-us1-secret-1", "us1")
STAGING_IE1 = TwilioKey("SKfedcba9876543210fedcba9876543101", "staging-ie1-secret-1", "ie1")
STAGING_AU1 = TwilioKey("SKfedcba9876543210fedcba9876543201", "staging-au1-secret-1", "au1")
STAGING_KEYS = (STAGING_US1, STAGING_IE1, STAGING_AU1)
STAGING_NUMBERS = ("+14155550200", "+14155550201", "+35315550200", "+61255550200")


def _account(account_sid: str, keys: tuple[TwilioKey, ...], numbers: tuple[str, ...]) -> Any:
    return {
        "account_sid": account_sid,
        "api_keys": [{"sid": k.sid, "secret": k.secret, "region": k.region} for k in keys],
        "numbers": list(numbers),
    }


#: The ``--demo`` seed (``cartesia_pulumi.emulator.DEMO_SEED``); treat as read-only and use
#: :func:`cartesia_pulumi.emulator.seeds.demo_seed` for a copy to change.
DEMO_SEED: dict[str, Any] = {
    "organizations": [
        {
            "id": DEMO_ORG_ID,
            "api_key": DEMO_API_KEY,
            "plan_slots": DEMO_PLAN_SLOTS,
            "agents": [{"id": a.id, "name": a.name} for a in DEMO_AGENTS],
        }
    ],
    "twilio_accounts": [
        _account(PROD_ACCOUNT_SID, PROD_KEYS, PROD_NUMBERS),
        _account(STAGING_ACCOUNT_SID, STAGING_KEYS, STAGING_NUMBERS),
    ],
}
