"""Provider routes (§2.1-2.5) and rules R1-R5, R16, R21, U6-U13, U22, U24, U27."""

from __future__ import annotations

from typing import Any

import httpx
from hypothesis import given
from hypothesis import strategies as st

from cartesia_pulumi.emulator.demo import TwilioKey
from cartesia_pulumi.emulator.providers import mask_sid
from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.emulator.emulator_support import (
    PROD,
    PROD_AU1,
    PROD_IE1,
    PROD_US1,
    PROD_US1_B,
    STAGING,
    STAGING_US1,
    assert_error,
    create_provider,
    import_number,
    provider_body,
)

PROVIDERS = "/agents/phone-numbers/providers"


def _rotation(key: tuple[str, str] | TwilioKey, **extra: Any) -> dict[str, Any]:
    return {"type": "twilio", "api_key_sid": key[0], "api_key_secret": key[1], **extra}


def test_create_provider_returns_201_with_masked_key_and_no_secret(api: httpx.Client) -> None:
    """R4/U6: api_key_sid partially masked, secret never returned, no timestamps."""
    p = create_provider(api)
    assert p["id"].startswith("ata_") and len(p["id"]) == 4 + 22
    assert p == {
        "type": "twilio",
        "id": p["id"],
        "account_sid": PROD,
        "api_key_sid": "SK" + "*" * 28 + "c001",
        "region": "us1",
        "label": None,
    }
    assert api.get(f"{PROVIDERS}/{p['id']}").json() == p
    assert PROD_US1.secret not in api.get(PROVIDERS).text


@given(st.text(min_size=0, max_size=64))
def test_mask_sid_keeps_length_and_never_equals_input(value: str) -> None:
    """U6: first 2 + last 4 kept, rest '*', same length, deterministic; never the input."""
    masked = mask_sid(value)
    assert len(masked) == len(value)
    assert masked == mask_sid(value)
    if len(value) > 6:
        assert masked[:2] == value[:2] and masked[-4:] == value[-4:]
        assert set(masked[2:-4]) <= {"*"}
    if value and set(value) != {"*"}:
        assert masked != value


def test_create_provider_without_region_defaults_to_us1(api: httpx.Client) -> None:
    assert create_provider(api, region=None)["region"] == "us1"


def test_create_provider_with_wrong_secret_returns_400(api: httpx.Client) -> None:
    """R1: credentials are checked at Twilio; the message says what is wrong, not the secret."""
    r = api.post(PROVIDERS, json=provider_body(key=(PROD_US1.sid, "wrong-secret")))
    body = assert_error(r, 400, "invalid_credentials")
    assert "secret does not match" in body["message"]
    assert "wrong-secret" not in r.text
    assert api.get(PROVIDERS).json() == []


def test_create_provider_with_unknown_key_returns_400(api: httpx.Client) -> None:
    r = api.post(PROVIDERS, json=provider_body(key=("SK" + "0" * 32, "x")))
    assert "was not found in Twilio account" in assert_error(r, 400, "invalid_credentials")["message"]


def test_create_provider_with_key_of_other_account_returns_400(api: httpx.Client) -> None:
    r = api.post(PROVIDERS, json=provider_body(account_sid=PROD, key=STAGING_US1))
    assert_error(r, 400, "invalid_credentials")


def test_create_provider_with_unknown_account_returns_400(api: httpx.Client) -> None:
    r = api.post(PROVIDERS, json=provider_body(account_sid="AC" + "9" * 32))
    assert "account" in assert_error(r, 400, "invalid_credentials")["message"]


def test_create_provider_with_revoked_key_returns_400(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    emulator.control.twilio_revoke_key(PROD_US1[0])
    r = api.post(PROVIDERS, json=provider_body())
    assert "revoked" in assert_error(r, 400, "invalid_credentials")["message"]


def test_create_provider_with_key_of_other_region_returns_400(api: httpx.Client) -> None:
    """R16: a us1 key does not work for an ie1 provider."""
    r = api.post(PROVIDERS, json=provider_body(key=PROD_US1, region="ie1"))
    msg = assert_error(r, 400, "invalid_credentials")["message"]
    assert "us1" in msg and "ie1" in msg


def test_create_provider_twice_for_same_account_and_region_returns_409(api: httpx.Client) -> None:
    """R2: one provider per account SID + region."""
    create_provider(api)
    r = api.post(PROVIDERS, json=provider_body(key=PROD_US1_B, region="us1"))
    assert_error(r, 409, "provider_exists")
    assert len(api.get(PROVIDERS).json()) == 1


def test_create_provider_same_account_other_region_succeeds(api: httpx.Client) -> None:
    """R2/R16: one provider per region of the same account is allowed."""
    create_provider(api, key=PROD_US1, region="us1")
    create_provider(api, key=PROD_IE1, region="ie1")
    create_provider(api, key=PROD_AU1, region="au1")
    assert [p["region"] for p in api.get(PROVIDERS).json()] == ["us1", "ie1", "au1"]


def test_create_provider_with_label_returns_label(api: httpx.Client) -> None:
    """U12: optional label (S3) round-trips; absent → null."""
    assert create_provider(api, label="Production")["label"] == "Production"


def test_create_provider_with_empty_label_returns_400(api: httpx.Client) -> None:
    """U12: S3 declares minLength 1."""
    assert_error(api.post(PROVIDERS, json=provider_body(label="")), 400, "invalid_request")


def test_create_provider_with_auth_token_succeeds_for_us1_only(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    """R21 (TP): account SID + auth token in the key fields; guessed us1-only."""
    emulator.control.seed({"twilio_accounts": [{"account_sid": STAGING, "auth_token": "tok"}]})
    p = create_provider(api, account_sid=STAGING, key=(STAGING, "tok"))
    assert p["api_key_sid"] == STAGING[:2] + "*" * 28 + STAGING[-4:]
    r = api.post(PROVIDERS, json=provider_body(account_sid=STAGING, key=(STAGING, "tok"), region="ie1"))
    assert_error(r, 400, "invalid_credentials")


def test_list_providers_returns_bare_array_in_creation_order(api: httpx.Client) -> None:
    """§1.3/U13: not paginated; creation order ascending."""
    a = create_provider(api, key=PROD_IE1, region="ie1")
    b = create_provider(api, account_sid=STAGING, key=STAGING_US1)
    c = create_provider(api, key=PROD_US1)
    listed = api.get(PROVIDERS).json()
    assert isinstance(listed, list)
    assert [p["id"] for p in listed] == [a["id"], b["id"], c["id"]]


def test_list_providers_filters_by_account_sid_and_type(api: httpx.Client) -> None:
    """U13: exact-match filters."""
    a = create_provider(api)
    create_provider(api, account_sid=STAGING, key=STAGING_US1)
    assert [p["id"] for p in api.get(PROVIDERS, params={"account_sid": PROD}).json()] == [a["id"]]
    assert len(api.get(PROVIDERS, params={"type": "twilio"}).json()) == 2
    assert api.get(PROVIDERS, params={"type": "sip_trunk"}).json() == []


def test_list_providers_with_unknown_type_returns_400(api: httpx.Client) -> None:
    """U13."""
    assert_error(api.get(PROVIDERS, params={"type": "vonage"}), 400, "invalid_request")


def test_get_provider_unknown_returns_404(api: httpx.Client) -> None:
    assert_error(api.get(f"{PROVIDERS}/ata_doesnotexist"), 404, "not_found")


def test_update_provider_rotates_key(api: httpx.Client, emulator: RunningEmulator) -> None:
    """R3: new credentials validated; response has the new masked key SID."""
    p = create_provider(api)
    r = api.patch(f"{PROVIDERS}/{p['id']}", json=_rotation(PROD_US1_B, region="us1"))
    assert r.status_code == 200, r.text
    assert r.json()["api_key_sid"].endswith("c002")
    (dumped,) = emulator.control.providers()
    assert dumped["api_key_sid"] == PROD_US1_B[0]


def test_update_provider_with_invalid_credentials_returns_400_and_changes_nothing(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    """R3: all or nothing."""
    p = create_provider(api)
    before = emulator.control.state()
    r = api.patch(f"{PROVIDERS}/{p['id']}", json=_rotation((PROD_US1_B[0], "nope")))
    assert_error(r, 400, "invalid_credentials")
    assert emulator.control.state() == before


def test_update_provider_with_unreachable_numbers_returns_400_listing_them(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    """R3/U7: numbers no longer in the Twilio account are listed; nothing changes."""
    p = create_provider(api)
    import_number(api, p["id"], "+14155550100")
    import_number(api, p["id"], "+14155550101")
    emulator.control.twilio_remove_number(PROD, "+14155550101")
    before = emulator.control.state()
    r = api.patch(f"{PROVIDERS}/{p['id']}", json=_rotation(PROD_US1_B))
    body = assert_error(r, 400, "numbers_unreachable")
    assert body["unreachable_numbers"] == ["+14155550101"]
    assert "+14155550101" in body["message"]
    assert emulator.control.state() == before


def test_update_provider_without_region_keeps_region(api: httpx.Client) -> None:
    """U8: region omitted keeps the current region (no reset to us1)."""
    p = create_provider(api, key=PROD_IE1, region="ie1")
    r = api.patch(f"{PROVIDERS}/{p['id']}", json=_rotation(PROD_IE1))
    assert r.status_code == 200, r.text
    assert r.json()["region"] == "ie1"


def test_update_provider_region_change_needs_key_of_new_region(api: httpx.Client) -> None:
    """R16: changing region with a key of another region fails; with a matching key it works."""
    p = create_provider(api)
    r = api.patch(f"{PROVIDERS}/{p['id']}", json=_rotation(PROD_US1, region="au1"))
    assert_error(r, 400, "invalid_credentials")
    r = api.patch(f"{PROVIDERS}/{p['id']}", json=_rotation(PROD_AU1, region="au1"))
    assert r.status_code == 200 and r.json()["region"] == "au1"


def test_update_provider_region_colliding_with_other_provider_returns_409(
    api: httpx.Client,
) -> None:
    """U9: moving to a region that already has a provider for the account → 409."""
    p = create_provider(api)
    create_provider(api, key=PROD_IE1, region="ie1")
    r = api.patch(f"{PROVIDERS}/{p['id']}", json=_rotation(PROD_IE1, region="ie1"))
    assert_error(r, 409, "provider_exists")


def test_update_provider_region_change_rechecks_reachability(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    """U9: a region change re-runs R3."""
    p = create_provider(api)
    import_number(api, p["id"], "+14155550102")
    emulator.control.twilio_remove_number(PROD, "+14155550102")
    r = api.patch(f"{PROVIDERS}/{p['id']}", json=_rotation(PROD_AU1, region="au1"))
    assert assert_error(r, 400, "numbers_unreachable")["unreachable_numbers"] == ["+14155550102"]


def test_update_provider_without_type_returns_400(api: httpx.Client) -> None:
    """U10: type + both key fields are required."""
    p = create_provider(api)
    r = api.patch(
        f"{PROVIDERS}/{p['id']}",
        json={"api_key_sid": PROD_US1_B[0], "api_key_secret": PROD_US1_B[1]},
    )
    assert_error(r, 400, "invalid_request")


def test_update_provider_with_only_secret_returns_400(api: httpx.Client) -> None:
    """U10: the (TP) secret-only PATCH is rejected."""
    p = create_provider(api)
    r = api.patch(f"{PROVIDERS}/{p['id']}", json={"type": "twilio", "api_key_secret": "x"})
    assert_error(r, 400, "invalid_request")


def test_update_provider_account_sid_in_body_is_ignored(api: httpx.Client) -> None:
    """§2.4: account_sid is not in the update schema and cannot change."""
    p = create_provider(api)
    r = api.patch(f"{PROVIDERS}/{p['id']}", json=_rotation(PROD_US1_B, account_sid=STAGING))
    assert r.status_code == 200 and r.json()["account_sid"] == PROD


def test_update_provider_label_is_ignored_per_published_schema(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    """U12: the Twilio update body has no label, so a label is ignored like any unknown field."""
    p = create_provider(api, label="old")
    r = api.patch(f"{PROVIDERS}/{p['id']}", json=_rotation(PROD_US1_B, label="new"))
    assert r.status_code == 200, r.text
    assert r.json()["label"] == "old" and r.json()["api_key_sid"].endswith("c002")
    assert emulator.control.providers()[0]["label"] == "old"


def test_update_provider_label_renames_with_label_patch_setting(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    """U12 switch: an API that does rename; omitting the label keeps it."""
    assert emulator.control.settings()["provider_label_patch"] is False
    emulator.control.set_provider_label_patch(True)
    p = create_provider(api, label="old")
    r = api.patch(f"{PROVIDERS}/{p['id']}", json=_rotation(PROD_US1, label="new"))
    assert r.json()["label"] == "new"
    r = api.patch(f"{PROVIDERS}/{p['id']}", json=_rotation(PROD_US1_B))
    assert r.json()["label"] == "new"


def test_update_provider_label_patch_from_seed_setting_and_reset_restores_default(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    emulator.control.seed({"settings": {"provider_label_patch": True}})
    p = create_provider(api, label="old")
    assert api.patch(f"{PROVIDERS}/{p['id']}", json=_rotation(PROD_US1, label="x")).json()["label"] == "x"
    emulator.control.reset(demo=True)
    assert emulator.control.settings()["provider_label_patch"] is False


def test_console_update_provider_renames_whatever_the_setting(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    """The dashboard can rename; only the API's PATCH follows the published schema."""
    p = create_provider(api, label="old")
    out = emulator.control.console_update_provider(
        p["id"], api_key_sid=PROD_US1.sid, api_key_secret=PROD_US1.secret, label="console"
    )
    assert out["label"] == "console"


def test_update_provider_keeps_number_updated_at_and_numbers_show_new_key(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    """U22: provider updates do not touch numbers' updated_at; U27: live join."""
    p = create_provider(api)
    n = import_number(api, p["id"])
    emulator.control.advance_clock(120)
    api.patch(f"{PROVIDERS}/{p['id']}", json=_rotation(PROD_US1_B))
    after = api.get(f"/agents/phone-numbers/{n['id']}").json()
    assert after["updated_at"] == n["updated_at"]
    assert after["provider"]["api_key_sid"].endswith("c002")


def test_update_provider_unknown_returns_404(api: httpx.Client) -> None:
    assert_error(api.patch(f"{PROVIDERS}/ata_nope", json=_rotation(PROD_US1)), 404, "not_found")


def test_delete_provider_returns_204_then_404(api: httpx.Client) -> None:
    """U24: 204 with an empty body; the second DELETE is a 404."""
    p = create_provider(api)
    r = api.delete(f"{PROVIDERS}/{p['id']}")
    assert r.status_code == 204 and r.content == b""
    assert_error(api.delete(f"{PROVIDERS}/{p['id']}"), 404, "not_found")
    assert_error(api.get(f"{PROVIDERS}/{p['id']}"), 404)


def test_delete_provider_with_numbers_returns_409_naming_them(api: httpx.Client) -> None:
    """R5/U11: 409 naming the count and the numbers; body lists phone_numbers."""
    p = create_provider(api)
    import_number(api, p["id"], "+14155550100")
    import_number(api, p["id"], "+14155550101")
    body = assert_error(api.delete(f"{PROVIDERS}/{p['id']}"), 409, "provider_in_use")
    assert body["phone_numbers"] == ["+14155550100", "+14155550101"]
    assert "2 phone number" in body["message"] and "+14155550101" in body["message"]
