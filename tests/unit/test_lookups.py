"""find_twilio_provider: the id of an existing link, or one sentence saying there is none."""

from __future__ import annotations

from typing import Any

import pytest

from cartesia_pulumi import CartesiaResourceError, find_twilio_provider
from cartesia_pulumi.client import CartesiaClient
from cartesia_pulumi.config import Settings
from unit.support import ACCOUNT, DEMO_KEY, KEY_IE1, KEY_US1, SECRET_IE1, SECRET_US1


def test_find_twilio_provider_by_account_and_region(emulator: Any) -> None:
    with CartesiaClient(DEMO_KEY, base_url=emulator.url) as c:
        us = c.providers.create(account_sid=ACCOUNT, api_key_sid=KEY_US1, api_key_secret=SECRET_US1)
        ie = c.providers.create(
            account_sid=ACCOUNT, api_key_sid=KEY_IE1, api_key_secret=SECRET_IE1, region="ie1"
        )
    settings = Settings(api_key=DEMO_KEY, base_url=emulator.url)
    assert find_twilio_provider(ACCOUNT, settings=settings) == us.id
    assert find_twilio_provider(ACCOUNT, "ie1", settings=settings) == ie.id


def test_find_twilio_provider_missing_says_so(emulator: Any) -> None:
    settings = Settings(api_key=DEMO_KEY, base_url=emulator.url)
    with pytest.raises(CartesiaResourceError, match="has no Twilio provider for account") as info:
        find_twilio_provider(ACCOUNT, "au1", settings=settings)
    assert "au1" in str(info.value)


def test_find_twilio_provider_unknown_region_refused_before_any_request(emulator: Any) -> None:
    settings = Settings(api_key=DEMO_KEY, base_url=emulator.url)
    with pytest.raises(CartesiaResourceError) as info:
        find_twilio_provider(ACCOUNT, "eu1", settings=settings)
    assert str(info.value) == (
        f"Looking up the Twilio provider for account {ACCOUNT} (eu1) failed: region must be one "
        "of us1, ie1, au1; got 'eu1'."
    )
    assert emulator.control.requests() == []
