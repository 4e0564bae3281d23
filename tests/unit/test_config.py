"""Settings precedence: Pulumi config -> environment -> defaults."""

from __future__ import annotations

import pytest

from cartesia_pulumi.config import (
    DEFAULT_API_VERSION,
    DEFAULT_BASE_URL,
    ConfigurationError,
    Settings,
)


def test_resolve_config_wins_over_env() -> None:
    cfg = {
        "cartesia:apiKey": "from-config",
        "cartesia:baseUrl": "http://127.0.0.1:9/",
        "cartesia:apiVersion": "2026-08-14",
    }
    env = {
        "CARTESIA_API_KEY": "from-env",
        "CARTESIA_BASE_URL": "https://env.example",
        "CARTESIA_API_VERSION": "2025-04-16",
    }
    s = Settings.resolve(cfg, env=env)
    assert s == Settings("from-config", "http://127.0.0.1:9", "2026-08-14")


def test_resolve_env_used_when_config_missing_or_empty() -> None:
    env = {
        "CARTESIA_API_KEY": "from-env",
        "CARTESIA_BASE_URL": "https://env.example",
        "CARTESIA_API_VERSION": "2025-04-16",
    }
    s = Settings.resolve({"cartesia:apiKey": "  ", "other:apiKey": "x"}, env=env)
    assert s == Settings("from-env", "https://env.example", "2025-04-16")


def test_resolve_nothing_set_defaults() -> None:
    s = Settings.resolve(None, env={})
    assert s.api_key is None
    assert s.base_url == DEFAULT_BASE_URL
    assert s.api_version == DEFAULT_API_VERSION == "2026-03-01"


def test_require_api_key_missing_names_both_sources() -> None:
    with pytest.raises(ConfigurationError) as info:
        Settings.resolve({}, env={}).require_api_key()
    assert "cartesia:apiKey" in str(info.value)
    assert "CARTESIA_API_KEY" in str(info.value)


def test_repr_redacts_key() -> None:
    s = Settings("sk_car_very_secret", "https://api.cartesia.ai", "2026-03-01")
    assert "sk_car_very_secret" not in repr(s)
    assert "sk_car_very_secret" not in str(s)
    assert "***" in repr(s)
