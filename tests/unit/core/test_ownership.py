"""Creates never take what is not theirs (issue 9): lost responses, failed lookups, old objects.

Each test drives the real lifecycle against the emulator with injected faults and asserts the
emulator's objects and request log as well as the result. Sleeps are recorded, never slept.
"""

from __future__ import annotations

from typing import Any

import pytest
from unit.support import (
    ACCOUNT,
    DEMO_KEY,
    KEY_US1,
    KEY_US1_B,
    SECRET_US1,
    SECRET_US1_B,
    FakeTime,
    api_requests,
)

from cartesia_pulumi.client import CartesiaClient, InternalServerError
from cartesia_pulumi.core import phone_number as number_core
from cartesia_pulumi.core import twilio_provider as provider_core
from cartesia_pulumi.core.errors import CartesiaResourceError
from cartesia_pulumi.core.session import SESSION
from cartesia_pulumi.resources import PhoneNumberLifecycle, TwilioProviderLifecycle

NUMBERS = "/agents/phone-numbers"
PROVIDERS = "/agents/phone-numbers/providers"
NUMBER = "+14155550100"
TAKEOVER = "CARTESIA_ADOPT_EXISTING=1 pulumi up"

PROVIDER = TwilioProviderLifecycle()
PHONE = PhoneNumberLifecycle()


def provider_inputs(**over: Any) -> dict[str, Any]:
    base = {"account_sid": ACCOUNT, "api_key_sid": KEY_US1, "api_key_secret": SECRET_US1}
    return provider_core.check({}, {**base, **over}, online=False).inputs


def number_inputs(provider_id: str, **over: Any) -> dict[str, Any]:
    return number_core.check({}, {"number": NUMBER, "provider_id": provider_id, **over}, online=False).inputs


def org(emulator: Any) -> dict[str, Any]:
    return emulator.control.org()


def other_stack_client(emulator: Any) -> CartesiaClient:
    """A second writer in the same organisation (another stack, a console script)."""
    return CartesiaClient(DEMO_KEY, base_url=emulator.url)


# -- phone numbers ------------------------------------------------------------------------------


def test_import_lost_response_is_proven_ours(configured: Any) -> None:
    pid = PROVIDER.create(provider_inputs()).id
    configured.control.clear_requests()
    configured.control.add_fault(route=f"POST {NUMBERS}$", kind="apply_then_drop", count=1)
    result = PHONE.create(number_inputs(pid))
    assert [n["id"] for n in org(configured)["phone_numbers"]] == [result.id]
    assert result.outs is not None and result.outs["adopted"] is False
    assert api_requests(configured) == [("POST", NUMBERS), ("GET", NUMBERS)]


def test_import_503_not_applied_posts_again_after_lookup(configured: Any) -> None:
    pid = PROVIDER.create(provider_inputs()).id
    configured.control.clear_requests()
    configured.control.add_fault(route=f"POST {NUMBERS}$", kind="status", status=503, count=1)
    result = PHONE.create(number_inputs(pid))
    assert [n["id"] for n in org(configured)["phone_numbers"]] == [result.id]
    assert api_requests(configured) == [("POST", NUMBERS), ("GET", NUMBERS), ("POST", NUMBERS)]


def test_import_after_503_never_takes_another_stacks_assigned_number(configured: Any) -> None:
    pid = PROVIDER.create(provider_inputs()).id
    with other_stack_client(configured) as other:  # stack A: import + assign
        theirs = other.phone_numbers.import_(number=NUMBER, label=NUMBER, provider_id=pid)
        other.phone_numbers.update(theirs.id, agent_id="agent_sales")
    before = org(configured)["phone_numbers"]
    configured.control.add_fault(route=f"POST {NUMBERS}$", kind="status", status=503, count=1)
    with pytest.raises(CartesiaResourceError) as info:
        PHONE.create(number_inputs(pid))
    message = str(info.value)
    assert theirs.id in message and TAKEOVER in message and "does not take it" in message
    assert org(configured)["phone_numbers"] == before  # untouched: same id, agent, label


def test_import_after_lost_response_with_five_failed_lookups_converges(configured: Any) -> None:
    pid = PROVIDER.create(provider_inputs()).id
    configured.control.clear_requests()
    configured.control.add_fault(route=f"POST {NUMBERS}$", kind="apply_then_drop", count=1)
    configured.control.add_fault(route=f"GET {NUMBERS}$", kind="status", status=503, count=5)
    result = PHONE.create(number_inputs(pid))
    assert [n["id"] for n in org(configured)["phone_numbers"]] == [result.id]
    calls = api_requests(configured)
    assert calls.count(("POST", NUMBERS)) == 1  # never a second import
    assert calls.count(("GET", NUMBERS)) == 6  # five refused lookups, the sixth answers


def test_import_lookup_down_past_deadline_names_the_next_step(configured: Any) -> None:
    pid = PROVIDER.create(provider_inputs()).id
    fake = FakeTime()
    client = SESSION.client()
    client.sleep, client.clock = fake.sleep, fake.clock
    configured.control.add_fault(route=f"POST {NUMBERS}$", kind="apply_then_drop", count=1)
    configured.control.add_fault(route=f"GET {NUMBERS}$", kind="status", status=503)
    with pytest.raises(CartesiaResourceError) as info:
        PHONE.create(number_inputs(pid))
    message = str(info.value)
    assert "outcome is unknown" in message and "run `pulumi up`" in message and TAKEOVER in message
    assert sum(fake.sleeps) <= client.deadline
    # The next run, once the API answers: the number now predates that run's create, so it is
    # named with the command that takes it over instead of being taken silently.
    configured.control.clear_faults()
    with pytest.raises(CartesiaResourceError) as again:
        PHONE.create(number_inputs(pid))
    (number,) = org(configured)["phone_numbers"]
    assert number["id"] in str(again.value) and TAKEOVER in str(again.value)


def test_import_lookup_down_recovered_by_the_named_command(
    configured: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = PROVIDER.create(provider_inputs()).id
    with other_stack_client(configured) as other:  # what a lost create of an earlier run left
        existing = other.phone_numbers.import_(number=NUMBER, label=NUMBER, provider_id=pid)
    monkeypatch.setenv("CARTESIA_ADOPT_EXISTING", "1")
    result = PHONE.create(number_inputs(pid))
    assert result.id == existing.id and result.outs is not None and result.outs["adopted"] is True
    assert len(org(configured)["phone_numbers"]) == 1


# -- providers ----------------------------------------------------------------------------------


def test_provider_lost_response_is_proven_ours(configured: Any) -> None:
    configured.control.add_fault(route=f"POST {PROVIDERS}$", kind="apply_then_drop", count=1)
    result = PROVIDER.create(provider_inputs())
    assert [p["id"] for p in org(configured)["providers"]] == [result.id]
    assert result.outs is not None and result.outs["adopted"] is False
    assert api_requests(configured) == [
        ("GET", PROVIDERS),  # the list before the POST: the proof's "before" picture
        ("POST", PROVIDERS),
        ("GET", PROVIDERS),
    ]


def test_provider_of_another_stack_never_posted_over_nor_taken(configured: Any) -> None:
    with other_stack_client(configured) as other:
        theirs = other.providers.create(
            account_sid=ACCOUNT, api_key_sid=KEY_US1_B, api_key_secret=SECRET_US1_B
        )
    configured.control.clear_requests()
    configured.control.add_fault(route=f"POST {PROVIDERS}$", kind="status", status=503, count=1)
    with pytest.raises(CartesiaResourceError) as info:
        PROVIDER.create(provider_inputs())
    message = str(info.value)
    assert theirs.id in message and "StackReference" in message and "adopt=True" in message
    assert api_requests(configured) == [("GET", PROVIDERS)]  # no POST at all
    (p,) = org(configured)["providers"]
    assert (p["id"], p["api_key_sid"]) == (theirs.id, KEY_US1_B)


def test_provider_created_by_a_concurrent_writer_during_a_lost_create_not_taken(
    configured: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = SESSION.client()

    def racing_create(**kwargs: Any) -> Any:
        # Another writer links the account (with its own key) while our POST is lost.
        with other_stack_client(configured) as other:
            other.providers.create(
                account_sid=ACCOUNT, api_key_sid=KEY_US1_B, api_key_secret=SECRET_US1_B
            )
        raise InternalServerError(
            status_code=503, error_code=None, title="Unavailable", message="", request_id=None,
            body="", method="POST", path=PROVIDERS,
        )

    monkeypatch.setattr(client.providers, "create", racing_create)
    with pytest.raises(CartesiaResourceError) as info:
        PROVIDER.create(provider_inputs())
    assert "cannot be shown to be this request's" in str(info.value) and TAKEOVER in str(info.value)
    (p,) = org(configured)["providers"]
    assert p["api_key_sid"] == KEY_US1_B  # still the other writer's
