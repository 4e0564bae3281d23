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


# -- base URL (issue 9: the loopback-only rule cannot be bypassed) -------------------------------


@pytest.mark.parametrize(
    "url,why",
    [
        ("http://api.cartesia.ai", "plain http"),
        ("http://10.0.0.5:8080", "plain http"),
        ("ftp://127.0.0.1", "must be an https:// URL"),
        ("https://api.cartesia.ai/?x=1", "query string or fragment"),
        ("https://api.cartesia.ai/#top", "query string or fragment"),
        ("http://127.0.0.1:8787/?", "query string or fragment"),
        ("https://user:pw@api.cartesia.ai", "user credentials"),
        ("not a url", "must be an https:// URL"),
    ],
)
def test_validated_base_url_refuses_naming_the_setting(url: str, why: str) -> None:
    from_config = Settings.resolve({"cartesia:baseUrl": url}, env={})
    with pytest.raises(ConfigurationError, match=why) as info:
        from_config.validated_base_url()
    assert "cartesia:baseUrl" in str(info.value)
    from_env = Settings.resolve(None, env={"CARTESIA_BASE_URL": url})
    with pytest.raises(ConfigurationError, match="CARTESIA_BASE_URL"):
        from_env.validated_base_url()


@pytest.mark.parametrize(
    "url",
    ["https://api.cartesia.ai", "https://proxy.example/cartesia/", "http://127.0.0.1:8787", "http://[::1]:1"],
)
def test_validated_base_url_accepts_https_and_loopback(url: str) -> None:
    assert Settings.resolve({"cartesia:baseUrl": url}, env={}).validated_base_url() == url.rstrip("/")
