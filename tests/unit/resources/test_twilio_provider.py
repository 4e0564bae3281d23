"""TwilioProviderLifecycle create/read/update/delete against the emulator."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from cartesia_pulumi.resources import CartesiaResourceError, mask_matches
from unit.resources.twilio_support import LC, checked
from unit.support import (
    ACCOUNT,
    DEMO_KEY,
    KEY_IE1,
    KEY_US1,
    KEY_US1_B,
    SECRET_IE1,
    SECRET_US1,
    SECRET_US1_B,
    api_requests,
)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def state_provider(emulator: Any, id: str) -> dict[str, Any]:
    for p in emulator.control.providers():
        if p["id"] == id:
            return p
    raise AssertionError(f"provider {id} not in emulator state")


def all_providers(emulator: Any) -> list[dict[str, Any]]:
    return emulator.control.providers()


# -- create -----------------------------------------------------------------------------------


def test_create_lists_then_posts_outputs_keep_our_sid(configured: Any) -> None:
    result = LC.create(checked(label="prod"))
    # The list before the POST is what later proves a lost create's provider is ours.
    assert api_requests(configured) == [
        ("GET", "/agents/phone-numbers/providers"),
        ("POST", "/agents/phone-numbers/providers"),
    ]
    o = result.outs
    assert o is not None
    assert o["api_key_sid"] == KEY_US1
    assert o["api_key_secret"] == SECRET_US1
    assert o["masked_api_key_sid"] != KEY_US1 and mask_matches(o["masked_api_key_sid"], KEY_US1)
    assert (o["region"], o["label"], o["adopted"], o["schema_version"]) == ("us1", "prod", False, 1)
    p = state_provider(configured, result.id)
    assert p["api_key_secret_sha256"] == sha(SECRET_US1)


def test_create_bad_credentials_clear_error(configured: Any) -> None:
    with pytest.raises(CartesiaResourceError) as info:
        LC.create(checked(api_key_secret="wrong"))
    msg = str(info.value)
    assert ACCOUNT in msg and "region" in msg
    assert "wrong" not in msg.replace("wrong region", "")
    assert all_providers(configured) == []


def test_create_conflict_without_adopt_explains_adoption(configured: Any) -> None:
    LC.create(checked())
    with pytest.raises(CartesiaResourceError) as info:
        LC.create(checked())
    assert "adopt=True" in str(info.value)
    assert len(all_providers(configured)) == 1


def test_create_conflict_with_adopt_takes_over(configured: Any) -> None:
    first = LC.create(checked())
    result = LC.create(checked(api_key_sid=KEY_US1_B, api_key_secret=SECRET_US1_B, adopt=True))
    assert result.id == first.id
    assert result.outs is not None and result.outs["adopted"] is True
    p = state_provider(configured, first.id)
    assert p["api_key_sid"] == KEY_US1_B
    assert p["api_key_secret_sha256"] == sha(SECRET_US1_B)


def test_create_lost_response_adopted_without_duplicate(configured: Any) -> None:
    configured.control.add_fault(
        route="POST /agents/phone-numbers/providers$", kind="apply_then_drop", count=1
    )
    result = LC.create(checked())
    providers = all_providers(configured)
    assert [p["id"] for p in providers] == [result.id]
    assert result.outs is not None and result.outs["adopted"] is False


def test_create_dropped_before_apply_retried(configured: Any) -> None:
    configured.control.add_fault(
        route="POST /agents/phone-numbers/providers$", kind="drop", count=1
    )
    result = LC.create(checked())
    assert [p["id"] for p in all_providers(configured)] == [result.id]
    posts = [r for r in api_requests(configured) if r[0] == "POST"]
    assert len(posts) == 2


def test_create_wrong_cartesia_key_names_config(configured: Any) -> None:
    from unit.support import configure_for

    configure_for(configured.url, api_key="sk_car_wrong")
    with pytest.raises(CartesiaResourceError) as info:
        LC.create(checked())
    msg = str(info.value)
    assert "cartesia:apiKey" in msg and "CARTESIA_API_KEY" in msg
    assert "sk_car_wrong" not in msg


# -- update -----------------------------------------------------------------------------------


def created(configured: Any, **over: Any) -> tuple[str, dict[str, Any]]:
    result = LC.create(checked(**over))
    assert result.outs is not None
    configured.control.clear_requests()
    return result.id, {**result.outs, "__provider": "blob"}


def test_update_rotation_one_patch_carries_new_secret(configured: Any) -> None:
    id, old = created(configured)
    result = LC.update(id, old, checked(api_key_sid=KEY_US1_B, api_key_secret=SECRET_US1_B))
    assert api_requests(configured) == [("PATCH", f"/agents/phone-numbers/providers/{id}")]
    p = state_provider(configured, id)
    assert p["api_key_sid"] == KEY_US1_B
    assert p["api_key_secret_sha256"] == sha(SECRET_US1_B)
    assert result.outs is not None
    assert result.outs["api_key_sid"] == KEY_US1_B
    assert result.outs["api_key_secret"] == SECRET_US1_B
    assert mask_matches(result.outs["masked_api_key_sid"], KEY_US1_B)


def test_update_new_key_and_secret_both_sent(configured: Any) -> None:
    # A new key SID with its own secret: Cartesia must receive both (docs/pulumi-notes.md A-2).
    new_key = "SK" + "1" * 32
    configured.control.twilio_add_key(ACCOUNT, new_key, "first", "us1")
    id, old = created(configured, api_key_sid=new_key, api_key_secret="first")
    configured.control.twilio_revoke_key(new_key)
    configured.control.twilio_add_key(ACCOUNT, "SK" + "2" * 32, "second", "us1")
    LC.update(id, old, checked(api_key_sid="SK" + "2" * 32, api_key_secret="second"))
    assert state_provider(configured, id)["api_key_secret_sha256"] == sha("second")


def test_update_secret_only_rotation_one_patch_carries_the_new_secret(configured: Any) -> None:
    # Same key SID, new secret (Twilio re-issued the key's secret): the diff is an update, and
    # the one PATCH carries the new secret (docs/pulumi-notes.md A-2: an update that silently
    # keeps the old secret is worse than a failure).
    id, old = created(configured)
    configured.control.twilio_add_key(ACCOUNT, KEY_US1, "re-issued-secret-value", "us1")
    news = checked(api_key_secret="re-issued-secret-value")
    d = LC.diff(id, old, news)
    assert (d.changes, d.replaces) == (True, [])
    configured.control.clear_requests()
    result = LC.update(id, old, news)
    assert api_requests(configured) == [("PATCH", f"/agents/phone-numbers/providers/{id}")]
    p = state_provider(configured, id)
    assert (p["api_key_sid"], p["api_key_secret_sha256"]) == (KEY_US1, sha("re-issued-secret-value"))
    assert result.outs is not None and result.outs["api_key_secret"] == "re-issued-secret-value"


def test_update_region_change_in_place(configured: Any) -> None:
    id, old = created(configured)
    result = LC.update(
        id, old, checked(api_key_sid=KEY_IE1, api_key_secret=SECRET_IE1, region="ie1")
    )
    assert result.outs is not None and result.outs["region"] == "ie1"
    assert state_provider(configured, id)["region"] == "ie1"


def test_update_rejected_unreachable_numbers_named_nothing_changed(configured: Any) -> None:
    from cartesia_pulumi.resources import PhoneNumberLifecycle

    id, old = created(configured)
    PhoneNumberLifecycle().create(
        {"number": "+14155550100", "provider_id": id, "label": "x", "adopt": False}
    )
    configured.control.twilio_remove_number(ACCOUNT, "+14155550100")
    before = state_provider(configured, id)
    with pytest.raises(CartesiaResourceError) as info:
        LC.update(id, old, checked(api_key_sid=KEY_US1_B, api_key_secret=SECRET_US1_B))
    msg = str(info.value)
    assert "+14155550100" in msg
    assert SECRET_US1_B not in msg and SECRET_US1_B not in repr(info.value.__cause__)
    assert state_provider(configured, id) == before


def test_update_bad_credentials_nothing_changed(configured: Any) -> None:
    id, old = created(configured)
    before = state_provider(configured, id)
    with pytest.raises(CartesiaResourceError) as info:
        LC.update(id, old, checked(api_key_sid=KEY_US1_B, api_key_secret="nope-secret"))
    assert "Nothing was changed" in str(info.value)
    assert "nope-secret" not in str(info.value)
    assert state_provider(configured, id) == before


# -- read -------------------------------------------------------------------------------------


def test_read_no_drift_keeps_inputs(configured: Any) -> None:
    id, old = created(configured, label="prod")
    result = LC.read(id, old)
    assert result.id == id
    assert result.outs is not None and result.inputs is not None
    assert result.outs["api_key_sid"] == KEY_US1
    assert result.outs["api_key_secret"] == SECRET_US1
    assert result.inputs == checked(label="prod")
    assert LC.diff(id, result.outs, checked(label="prod")).changes is False
    assert api_requests(configured) == [("GET", f"/agents/phone-numbers/providers/{id}")]


def test_read_console_rotation_reported_as_drift(configured: Any) -> None:
    id, old = created(configured)
    configured.control.console_update_provider(
        id, api_key_sid=KEY_US1_B, api_key_secret=SECRET_US1_B
    )
    result = LC.read(id, old)
    assert result.outs is not None
    assert result.outs["api_key_sid"] != KEY_US1
    assert mask_matches(result.outs["api_key_sid"], KEY_US1_B)
    d = LC.diff(id, result.outs, checked())
    assert (d.changes, d.replaces) == (True, [])


def test_read_deleted_gone(configured: Any) -> None:
    id, old = created(configured)
    LC.delete(id, old)
    result = LC.read(id, old)
    assert result.id == "" and result.outs == {}


# -- delete -----------------------------------------------------------------------------------


def test_delete_removes_provider(configured: Any) -> None:
    id, old = created(configured)
    LC.delete(id, old)
    assert all_providers(configured) == []
    assert api_requests(configured) == [("DELETE", f"/agents/phone-numbers/providers/{id}")]


def test_delete_missing_done(configured: Any) -> None:
    LC.delete("ata_doesnotexist", {"account_sid": ACCOUNT})


def test_delete_in_use_names_numbers(configured: Any) -> None:
    from cartesia_pulumi.resources import PhoneNumberLifecycle

    id, old = created(configured)
    PhoneNumberLifecycle().create(
        {"number": "+14155550101", "provider_id": id, "label": "x", "adopt": False}
    )
    with pytest.raises(CartesiaResourceError) as info:
        LC.delete(id, old)
    assert "+14155550101" in str(info.value)
    assert len(all_providers(configured)) == 1


def test_errors_never_contain_api_key(configured: Any) -> None:
    with pytest.raises(CartesiaResourceError) as info:
        LC.create(checked(api_key_secret="bad"))
    text = str(info.value) + repr(info.value.__cause__)
    assert DEMO_KEY not in text
