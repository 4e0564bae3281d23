"""Where settings come from: Pulumi config ``cartesia:*`` -> env ``CARTESIA_*`` -> defaults.

The API key is read at run time in the dynamic-provider process (from the stack config handed
to ``configure()`` or from the environment) and is never stored in resource state
(dynamic-provider-pitfalls.md B-4).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_BASE_URL = "https://api.cartesia.ai"
DEFAULT_API_VERSION = "2026-03-01"

CONFIG_API_KEY = "cartesia:apiKey"
CONFIG_BASE_URL = "cartesia:baseUrl"
CONFIG_API_VERSION = "cartesia:apiVersion"

ENV_API_KEY = "CARTESIA_API_KEY"
ENV_BASE_URL = "CARTESIA_BASE_URL"
ENV_API_VERSION = "CARTESIA_API_VERSION"


class ConfigurationError(Exception):
    """Settings are missing or unusable (for example no API key anywhere)."""


def _pick(
    config: Mapping[str, Any] | None, key: str, env: Mapping[str, str], env_key: str
) -> str | None:
    if config is not None:
        value = config.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    value = env.get(env_key)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


@dataclass(frozen=True)
class Settings:
    """Resolved connection settings.

    Attributes:
        api_key: The Cartesia API key, or ``None`` when none is configured (an error is raised
            only when a client is actually needed, so resources that make no API calls work
            without one).
        base_url: API base URL without a trailing slash.
        api_version: Value of the ``Cartesia-Version`` header.
    """

    api_key: str | None
    base_url: str = DEFAULT_BASE_URL
    api_version: str = DEFAULT_API_VERSION

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
        base_url = _pick(config, CONFIG_BASE_URL, environ, ENV_BASE_URL) or DEFAULT_BASE_URL
        return cls(
            api_key=_pick(config, CONFIG_API_KEY, environ, ENV_API_KEY),
            base_url=base_url.rstrip("/"),
            api_version=_pick(config, CONFIG_API_VERSION, environ, ENV_API_VERSION)
            or DEFAULT_API_VERSION,
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
