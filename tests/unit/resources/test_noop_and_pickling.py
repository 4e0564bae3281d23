"""Noop/ConfigProbe, and what ends up pickled into state (no secrets, tiny)."""

from __future__ import annotations

import base64
import uuid

import pytest
from cartesia_pulumi.resources.noop import ConfigProbeLifecycle, NoopLifecycle
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.dynamic.dynamic import serialize_provider

from cartesia_pulumi.resources import (
    NumberAssignmentLifecycle,
    PhoneNumberLifecycle,
    TwilioProviderLifecycle,
    _base,
)
from unit.support import configure_for


def test_create_noop_outputs_equal_inputs() -> None:
    result = NoopLifecycle().create({"a": 1, "b": "x", "__provider": "blob"})
    uuid.UUID(result.id)
    assert result.outs == {"a": 1, "b": "x"}


def test_diff_noop_ignores_provider_blob() -> None:
    lc = NoopLifecycle()
    assert lc.diff("i", {"a": 1, "__provider": "x"}, {"a": 1, "__provider": "y"}).changes is False
    d = lc.diff("i", {"a": 1}, {"a": 2})
    assert (d.changes, d.replaces) == (True, [])


def test_create_config_probe_records_key_names_only() -> None:
    configure_for(
        "http://127.0.0.1:1", api_key="sk_car_probe_value", **{"cartesia:apiVersion": "2026-03-01"}
    )
    result = ConfigProbeLifecycle().create({"x": 1})
    assert result.outs is not None
    assert result.outs["seen_config_keys"] == [
        "cartesia:apiKey",
        "cartesia:apiVersion",
        "cartesia:baseUrl",
    ]
    assert "sk_car_probe_value" not in repr(result.outs)


@pytest.mark.parametrize(
    "lifecycle",
    [TwilioProviderLifecycle, PhoneNumberLifecycle, NumberAssignmentLifecycle, NoopLifecycle],
)
def test_pickle_after_configure_no_key_and_small(lifecycle: type) -> None:
    obj = lifecycle()
    # As the dynamic-provider server does: configure the unpickled object with the stack config.
    obj.configure(
        ConfigureRequest(
            Config(
                {
                    "cartesia:apiKey": "sk_car_must_not_leak",
                    "cartesia:baseUrl": "http://127.0.0.1:1",
                },
                "p",
            )
        )
    )
    _base.get_client()  # a cached client exists in the process
    blob = serialize_provider(obj)
    raw = base64.b64decode(blob)
    assert b"sk_car_must_not_leak" not in raw
    assert len(raw) < 300
    assert vars(obj) == {}


def test_settings_fallback_to_env_without_configure(monkeypatch: pytest.MonkeyPatch) -> None:
    _base.reset_state()
    monkeypatch.setenv("CARTESIA_API_KEY", "sk_env")
    monkeypatch.setenv("CARTESIA_BASE_URL", "http://127.0.0.1:5")
    s = _base.current_settings()
    assert (s.api_key, s.base_url) == ("sk_env", "http://127.0.0.1:5")


def test_get_client_missing_key_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from cartesia_pulumi.config import ConfigurationError

    _base.reset_state()
    monkeypatch.delenv("CARTESIA_API_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="cartesia:apiKey"):
        _base.get_client()
