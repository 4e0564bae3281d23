"""Where settings come from: Pulumi config ``cartesia:*`` -> env ``CARTESIA_*`` -> defaults.

The API key is read at run time in the provider process, from the stack configuration handed to
``configure()`` or from the environment; it is never a resource input or output and is never
pickled. Note that the Pulumi engine itself records the whole stack configuration (``cartesia:apiKey``
included, encrypted like every secret) as the inputs of the default dynamic provider, and
``pulumi refresh``/``pulumi destroy`` configure the provider from that record: after rotating the
Cartesia key, run them with ``--run-program`` (or run ``pulumi up`` first). See
docs/pulumi-notes.md D-1.

The base URL is validated here, once, for every consumer (resources, command-line tools, the client):
``https://`` anywhere, plain ``http://`` only to a loopback address, and no query, fragment or
user-info (docs/cartesia-api.md §1: Cartesia refuses plain HTTP and may rotate a key sent over it).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

DEFAULT_BASE_URL = "https://api.cartesia.ai"
DEFAULT_API_VERSION = "2026-03-01"

CONFIG_API_KEY = "cartesia:apiKey"
CONFIG_BASE_URL = "cartesia:baseUrl"
CONFIG_API_VERSION = "cartesia:apiVersion"

ENV_API_KEY = "CARTESIA_API_KEY"
ENV_BASE_URL = "CARTESIA_BASE_URL"
ENV_API_VERSION = "CARTESIA_API_VERSION"

#: Every stack-config key this package reads, with the environment variable that backs it.
CONFIG_KEYS: Mapping[str, str] = {
    CONFIG_API_KEY: ENV_API_KEY,
    CONFIG_BASE_URL: ENV_BASE_URL,
    CONFIG_API_VERSION: ENV_API_VERSION,
}


class ConfigurationError(ValueError):
    """Settings are missing or unusable (no API key anywhere, a base URL that is not https...)."""


def is_loopback_host(host: str) -> bool:
    """True for ``localhost`` (and ``*.localhost``) and loopback IP literals (127.0.0.0/8, ::1)."""
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_base_url(value: str, source: str = CONFIG_BASE_URL) -> str:
    """Return ``value`` without a trailing slash, or raise `ConfigurationError` naming ``source``.

    Accepted: ``https://host[:port][/path]``; ``http://`` only when the host is a loopback address
    (the local emulator). Refused: any other scheme, plain http to a non-loopback host (the key
    would cross the network in clear), a query string or fragment, and user-info (credentials in
    the URL).
    """
    text = value.strip()
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, TypeError, ValueError):
        raise ConfigurationError(
            f"{source} {text!r} is not a URL; set it to https://api.cartesia.ai or leave it unset."
        ) from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigurationError(
            f"{source} must be an https:// URL such as https://api.cartesia.ai, got {text!r}."
        )
    if url.scheme == "http" and not is_loopback_host(url.host):
        raise ConfigurationError(
            f"{source} {text!r} would send the Cartesia API key over plain http:// to {url.host}; "
            "use https:// (plain http is allowed only for a loopback address such as 127.0.0.1)."
        )
    if url.query or url.fragment or "?" in text or "#" in text:
        raise ConfigurationError(
            f"{source} {text!r} must not carry a query string or fragment; give only the scheme, "
            "host, optional port and path."
        )
    if url.userinfo:
        raise ConfigurationError(
            f"{source} must not contain user credentials (user:password@); the API key is set "
            f"with {CONFIG_API_KEY} or {ENV_API_KEY}."
        )
    return text.rstrip("/")


def _pick(
    config: Mapping[str, Any] | None, key: str, env: Mapping[str, str], env_key: str
) -> tuple[str | None, str]:
    """The first non-blank value of config ``key`` then env ``env_key``, and where it came from."""
    if config is not None:
        value = config.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip(), key
    value = env.get(env_key)
    if isinstance(value, str) and value.strip():
        return value.strip(), env_key
    return None, "default"


@dataclass(frozen=True)
class Settings:
    """Resolved connection settings.

    Attributes:
        api_key: The Cartesia API key, or ``None`` when none is configured (an error is raised only
            when a client is actually needed, so operations that make no API call work without one).
        base_url: API base URL without a trailing slash (validated by `client_options`).
        api_version: Value of the ``Cartesia-Version`` header.
        api_key_source: Where the key came from (``cartesia:apiKey``, ``CARTESIA_API_KEY``, or
            ``default`` when missing); used in error messages, never the key itself.
        base_url_source: Where the base URL came from, likewise.
    """

    api_key: str | None = field(default=None, repr=False)
    base_url: str = DEFAULT_BASE_URL
    api_version: str = DEFAULT_API_VERSION
    api_key_source: str = field(default="default", compare=False)
    base_url_source: str = field(default="default", compare=False)

    def __repr__(self) -> str:
        key = "None" if self.api_key is None else "'***'"
        return (
            f"Settings(api_key={key}, base_url={self.base_url!r}, api_version={self.api_version!r})"
        )

    __str__ = __repr__

    @classmethod
    def resolve(
        cls,
        config: Mapping[str, Any] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Settings:
        """Resolve settings with precedence Pulumi config -> environment -> defaults.

        Args:
            config: The stack configuration as given to ``configure()`` (keys like
                ``"cartesia:apiKey"``), or ``None``. Empty values count as unset.
            env: Environment mapping; defaults to ``os.environ``.
        """
        environ: Mapping[str, str] = os.environ if env is None else env
        api_key, key_source = _pick(config, CONFIG_API_KEY, environ, ENV_API_KEY)
        base_url, url_source = _pick(config, CONFIG_BASE_URL, environ, ENV_BASE_URL)
        api_version, _ = _pick(config, CONFIG_API_VERSION, environ, ENV_API_VERSION)
        return cls(
            api_key=api_key,
            base_url=(base_url or DEFAULT_BASE_URL).rstrip("/"),
            api_version=api_version or DEFAULT_API_VERSION,
            api_key_source=key_source,
            base_url_source=url_source,
        )

    def require_api_key(self) -> str:
        """Return the API key or raise a `ConfigurationError` that says how to set one."""
        if not self.api_key:
            raise ConfigurationError(
                "No Cartesia API key is configured: set it with "
                f"`pulumi config set --secret {CONFIG_API_KEY} <key>` or the environment "
                f"variable {ENV_API_KEY}."
            )
        return self.api_key

    def validated_base_url(self) -> str:
        """The base URL after `validate_base_url`, naming where it came from on failure."""
        source = CONFIG_BASE_URL if self.base_url_source == "default" else self.base_url_source
        return validate_base_url(self.base_url, source)
