"""Property tests of `check` for every resource: arbitrary input never crashes it, never
writes, and every rejection is a `CheckFailure` that names its field.

Inputs mix valid values, arbitrary strings, wrong types (ints, floats, bools, None, lists,
dicts) and both spellings of a preview unknown. The lifecycle settings point at a live
emulator, so every API call `check` made shows up in its request log: only the read-only lookups
of preview's checks (agent, provider, existing link) may appear, never a write.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pulumi.output import Unknown
from pulumi.runtime.rpc import UNKNOWN

from cartesia_pulumi.core.fields import is_unknown
from cartesia_pulumi.emulator.testing import RunningEmulator, running_emulator
from cartesia_pulumi.resources import (
    NumberAssignmentLifecycle,
    PhoneNumberLifecycle,
    TwilioProviderLifecycle,
)
from unit.support import api_requests, configure_for


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulator]:
    """An emulator of our own: the shared one can log a late request of an earlier test
    (a timed-out call finishes after the log was cleared)."""
    with running_emulator(demo=True) as emu:
        yield emu

HEX = "0123456789abcdefABCDEF"

junk = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=string.printable, max_size=80),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.just(UNKNOWN),
    st.builds(Unknown),
)


def sid(prefix: str) -> st.SearchStrategy[str]:
    return st.text(alphabet=HEX, min_size=32, max_size=32).map(lambda h: prefix + h)


non_blank = st.text(min_size=1, max_size=30).filter(lambda s: s.strip() != "")

FIELDS: dict[str, dict[str, st.SearchStrategy[Any]]] = {
    "TwilioProvider": {
        "account_sid": sid("AC"),
        "api_key_sid": sid("SK"),
        "api_key_secret": st.text(min_size=1, max_size=30).map(lambda t: "twilio-secret-" + t),
        "region": st.sampled_from(["us1", "ie1", "au1", " IE1 ", "Au1"]),
        "label": non_blank,
        "adopt": st.booleans(),
    },
    "PhoneNumber": {
        "number": st.sampled_from(["+14155550100", "+1 (415) 555-0101", "+353 1 555 0100"]),
        "provider_id": non_blank,
        "label": non_blank,
        "adopt": st.booleans(),
    },
    "NumberAssignment": {
        "phone_number_id": non_blank,
        "agent_id": non_blank,
    },
}
REQUIRED = {
    "TwilioProvider": {"account_sid", "api_key_sid", "api_key_secret"},
    "PhoneNumber": {"number", "provider_id"},
    "NumberAssignment": {"phone_number_id", "agent_id"},
}
LIFECYCLES = {
    "TwilioProvider": TwilioProviderLifecycle(),
    "PhoneNumber": PhoneNumberLifecycle(),
    "NumberAssignment": NumberAssignmentLifecycle(),
}


def news_for(resource: str) -> st.SearchStrategy[dict[str, Any]]:
    """Each field: absent, a valid value, or junk; plus an unrelated extra key sometimes."""
    per_field = {
        name: st.one_of(st.just(_ABSENT), valid, junk)
        for name, valid in FIELDS[resource].items()
    }
    return st.fixed_dictionaries(per_field).map(
        lambda d: {k: v for k, v in d.items() if v is not _ABSENT}
    )


_ABSENT = object()


def assert_check_contract(resource: str, news: Mapping[str, Any]) -> None:
    lifecycle = LIFECYCLES[resource]
    valid = FIELDS[resource]
    result = lifecycle.check({}, dict(news))  # must not raise

    failures = list(result.failures or [])
    props = [f.property for f in failures]
    assert len(props) == len(set(props)), f"one failure per field, got {props}"
    for f in failures:
        assert f.property in valid, f"failure for an unknown field: {f.property}"
        assert f.property in f.reason and resource in f.reason, f.reason
    for f in failures:
        if f.property == "api_key_secret":
            assert "value not shown" in f.reason or "required" in f.reason, f.reason

    inputs = result.inputs or {}
    for name in valid:
        value = news.get(name)
        if is_unknown(value):
            assert name not in props, f"an unknown {name} must not be rejected"
            assert is_unknown(inputs.get(name)), f"an unknown {name} must stay unknown"
        elif value is None and name in REQUIRED[resource]:
            assert name in props, f"missing {name} must be reported"
        elif value is not None and name not in props:
            assert inputs.get(name) is not None, f"accepted {name} must be kept"
    if not failures:
        assert REQUIRED[resource] <= set(inputs), inputs


def _property(resource: str) -> Callable[[], None]:
    @settings(
        max_examples=200,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(news=news_for(resource))
    def run(news: dict[str, Any]) -> None:
        assert_check_contract(resource, news)

    return run


def test_check_twilio_provider_arbitrary_input_rejects_by_field_never_writes(emulator: Any) -> None:
    configure_for(emulator.url)
    _property("TwilioProvider")()
    assert {m for m, _ in api_requests(emulator)} <= {"GET"}


def test_check_phone_number_arbitrary_input_rejects_by_field_never_writes(emulator: Any) -> None:
    configure_for(emulator.url)
    _property("PhoneNumber")()
    assert {m for m, _ in api_requests(emulator)} <= {"GET"}


def test_check_number_assignment_arbitrary_input_rejects_by_field_never_writes(emulator: Any) -> None:
    configure_for(emulator.url)
    _property("NumberAssignment")()
    assert {m for m, _ in api_requests(emulator)} <= {"GET"}


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    number=st.one_of(
        st.text(max_size=40),
        st.text(alphabet="+0123456789 ()-.x", max_size=40),
        st.from_regex(r"\+[0-9]{1,20}", fullmatch=True),
    )
)
def test_check_phone_number_any_string_never_crashes(number: str) -> None:
    # No settings and no API key at all: check must not need them.
    result = PhoneNumberLifecycle().check({}, {"number": number, "provider_id": "ata_x"})
    props = [f.property for f in result.failures or []]
    assert props in ([], ["number"]), props
    if not props:
        assert result.inputs["number"].startswith("+")
        assert result.inputs["label"] == result.inputs["number"]
