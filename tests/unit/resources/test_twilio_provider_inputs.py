"""TwilioProvider check and diff, offline: validation, normalisation, what replaces."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.runtime.rpc import UNKNOWN

from cartesia_pulumi.resources import mask_matches
from unit.resources.twilio_support import LC, checked, inputs
from unit.support import (
    ACCOUNT,
    KEY_US1,
    KEY_US1_B,
    SECRET_US1,
)

# -- check ------------------------------------------------------------------------------------


def test_check_valid_inputs_normalised() -> None:
    result = LC.check({}, inputs(region=" IE1 ", label=None, adopt=None, extra_output=None))
    assert result.failures == []
    assert result.inputs == inputs(region="ie1")


def test_check_every_bad_field_reported_separately() -> None:
    result = LC.check(
        {},
        {
            "account_sid": "AC123",
            "api_key_sid": 42,
            "api_key_secret": "",
            "region": "eu1",
            "label": "",
            "adopt": "yes",
        },
    )
    props = sorted(f.property for f in result.failures)
    assert props == sorted(
        ["account_sid", "api_key_sid", "api_key_secret", "region", "label", "adopt"]
    )
    for f in result.failures:
        assert f.property in f.reason


def test_check_missing_required_fields_named() -> None:
    result = LC.check({}, {})
    assert {f.property for f in result.failures} == {"account_sid", "api_key_sid", "api_key_secret"}


def test_check_secret_never_echoed() -> None:
    result = LC.check({}, inputs(api_key_secret={"not": "a string s3cr3t"}))
    (failure,) = result.failures
    assert "s3cr3t" not in failure.reason


def test_check_unknown_values_skipped() -> None:
    result = LC.check({}, inputs(account_sid=UNKNOWN, api_key_secret=UNKNOWN, region=UNKNOWN))
    assert result.failures == []
    assert result.inputs["account_sid"] == UNKNOWN


def test_check_wrong_types_do_not_crash() -> None:
    for value in (None, 1, 1.5, {"a": 1}, ["x"], True):
        result = LC.check({}, inputs(account_sid=value, api_key_sid=value, region=value))
        assert result.failures  # reported, not raised


# -- diff -------------------------------------------------------------------------------------


def outs(**over: Any) -> dict[str, Any]:
    base = inputs()
    base.update(
        masked_api_key_sid="SK" + "*" * 28 + "c001",
        adopted=False,
        schema_version=1,
        __provider="blob",
    )
    base.update(over)
    return base


def test_diff_no_change_is_explicit_none() -> None:
    d = LC.diff("id", outs(), {**checked(), "__provider": "other-blob"})
    assert d.changes is False
    assert d.replaces == []


def test_diff_secret_change_update_not_replace() -> None:
    d = LC.diff("id", outs(), checked(api_key_secret="new-secret"))
    assert d.changes is True
    assert d.replaces == []


@pytest.mark.parametrize("field,value", [("api_key_sid", KEY_US1_B), ("region", "ie1")])
def test_diff_updatable_field_update(field: str, value: str) -> None:
    d = LC.diff("id", outs(), checked(**{field: value}))
    assert (d.changes, d.replaces) == (True, [])


def test_diff_label_never_diffs() -> None:
    # Set at creation only (Cartesia's Twilio-provider PATCH has no label): never a diff.
    assert LC.diff("id", outs(label="old"), checked(label="new")).changes is False


def test_check_label_change_of_existing_provider_refused_naming_both() -> None:
    result = LC.check(inputs(label="old"), inputs(label="new"))
    assert [f.property for f in result.failures] == ["label"]
    assert "'old'" in result.failures[0].reason and "'new'" in result.failures[0].reason


def test_check_label_change_with_new_account_allowed() -> None:
    # A new account SID replaces the provider, and a new provider may have any label.
    other = "AC" + "f" * 32
    assert LC.check(inputs(label="old"), inputs(label="new", account_sid=other)).failures == []


def test_diff_account_change_replace() -> None:
    d = LC.diff("id", outs(), checked(account_sid="AC" + "f" * 32))
    assert d.changes is True
    assert d.replaces == ["account_sid"]
    assert d.delete_before_replace is False


def test_diff_masked_and_adopt_never_diff() -> None:
    d = LC.diff("id", outs(masked_api_key_sid="SK****", adopted=True), checked(adopt=True))
    assert d.changes is False


def test_diff_unknown_identity_replace_unknown_updatable_update() -> None:
    assert LC.diff("id", outs(), {**checked(), "account_sid": UNKNOWN}).replaces == ["account_sid"]
    d = LC.diff("id", outs(), {**checked(), "api_key_secret": UNKNOWN})
    assert (d.changes, d.replaces) == (True, [])


def test_diff_old_state_missing_keys_tolerated() -> None:
    old = {"account_sid": ACCOUNT, "api_key_sid": KEY_US1, "api_key_secret": SECRET_US1}
    d = LC.diff("id", old, checked())
    assert d.changes is False


def test_mask_matches_rules() -> None:
    assert mask_matches("SK" + "*" * 28 + "c001", KEY_US1)
    assert not mask_matches("SK" + "*" * 28 + "c002", KEY_US1)
    assert not mask_matches("SK***c001", KEY_US1)
    assert not mask_matches(None, KEY_US1)
    assert mask_matches(KEY_US1, KEY_US1)


