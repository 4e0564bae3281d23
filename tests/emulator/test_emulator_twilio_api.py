"""The read-only Twilio REST slice (U40): incoming numbers with a provider's own key and region."""

from __future__ import annotations

import httpx
import pytest

from cartesia_pulumi.emulator import demo
from cartesia_pulumi.emulator.testing import RunningEmulator


def _list(emulator: RunningEmulator, key: demo.TwilioKey, region: str | None = None) -> httpx.Response:
    url = (
        f"{emulator.url}/_twilio/{region or key.region}/2010-04-01/Accounts/"
        f"{demo.PROD_ACCOUNT_SID}/IncomingPhoneNumbers.json?PageSize=1000"
    )
    return httpx.get(url, auth=(key.sid, key.secret), timeout=10)


def test_incoming_numbers_with_valid_key_lists_what_the_account_owns(emulator: RunningEmulator) -> None:
    response = _list(emulator, demo.PROD_US1)
    assert response.status_code == 200
    owned = {n["phone_number"] for n in response.json()["incoming_phone_numbers"]}
    assert owned == set(demo.PROD_NUMBERS)
    assert response.json()["next_page_uri"] is None


def test_incoming_numbers_after_release_omits_the_number(emulator: RunningEmulator) -> None:
    released = demo.PROD_US_NUMBERS[0]
    emulator.control.twilio_remove_number(demo.PROD_ACCOUNT_SID, released)
    owned = {n["phone_number"] for n in _list(emulator, demo.PROD_US1).json()["incoming_phone_numbers"]}
    assert released not in owned and len(owned) == len(demo.PROD_NUMBERS) - 1


@pytest.mark.parametrize("case", ["revoked", "wrong-secret", "wrong-region", "no-auth"])
def test_incoming_numbers_refuses_keys_twilio_would_refuse(emulator: RunningEmulator, case: str) -> None:
    key = demo.PROD_US1
    if case == "revoked":
        emulator.control.twilio_revoke_key(key.sid)
        response = _list(emulator, key)
    elif case == "wrong-secret":
        response = _list(emulator, demo.TwilioKey(key.sid, "not-the-secret", key.region))
    elif case == "wrong-region":
        response = _list(emulator, key, region="ie1")  # a us1 key at the Irish edge
    else:
        response = httpx.get(
            f"{emulator.url}/_twilio/us1/2010-04-01/Accounts/{demo.PROD_ACCOUNT_SID}/"
            "IncomingPhoneNumbers.json",
            timeout=10,
        )
    assert response.status_code == 401
    assert response.json()["code"] == 20003


def test_incoming_numbers_requests_are_logged_but_never_faulted(emulator: RunningEmulator) -> None:
    emulator.control.clear_requests()
    emulator.control.add_fault(route=".*", kind="status", status=503)
    assert _list(emulator, demo.PROD_US1).status_code == 200
    emulator.control.clear_faults()
    assert emulator.control.api_calls() == [
        f"GET /_twilio/us1/2010-04-01/Accounts/{demo.PROD_ACCOUNT_SID}/IncomingPhoneNumbers.json"
    ]
