"""Shared inputs of the TwilioProvider unit tests (offline check/diff and the lifecycle ones)."""

from __future__ import annotations

from typing import Any

from cartesia_pulumi.core import twilio_provider as core
from cartesia_pulumi.resources import TwilioProviderLifecycle
from unit.support import ACCOUNT, KEY_US1, SECRET_US1

LC = TwilioProviderLifecycle()


def inputs(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "account_sid": ACCOUNT,
        "api_key_sid": KEY_US1,
        "api_key_secret": SECRET_US1,
        "region": "us1",
        "label": None,
        "adopt": False,
    }
    base.update(over)
    return base


def checked(**over: Any) -> dict[str, Any]:
    """Inputs normalised as check would (offline: the tests decide what exists)."""
    result = core.check({}, inputs(**over), online=False)
    assert result.failures == []
    return result.inputs
