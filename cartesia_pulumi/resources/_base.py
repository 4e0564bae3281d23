"""Shared lifecycle plumbing: settings from ``configure()``, one cached client per settings.

The dynamic-provider server unpickles one lifecycle object per resource blob and calls
``configure()`` on it once per process (pulumi-engine.md §1.5). Lifecycle objects are pickled
into every resource's state, so nothing may live on ``self`` (pitfalls B-1): the resolved
settings and the HTTP client live in this module, guarded by a lock because the server runs up
to four RPC threads.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pulumi.dynamic import ConfigureRequest, ResourceProvider

from cartesia_pulumi.client._errors import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    CartesiaError,
)
from cartesia_pulumi.config import CONFIG_API_KEY, ENV_API_KEY, Settings

if TYPE_CHECKING:
    from cartesia_pulumi.client import CartesiaClient

_LOCK = threading.Lock()
_SETTINGS: Settings | None = None
_SEEN_CONFIG_KEYS: tuple[str, ...] = ()
_CLIENTS: dict[Settings, CartesiaClient] = {}

#: Prefix of the stack-config keys this package reads.
CONFIG_NAMESPACE = "cartesia:"


def _raw_config(req: ConfigureRequest) -> Mapping[str, Any]:
    # pulumi.dynamic.Config keeps the whole stack config (namespaced keys) in `_props`; it has
    # no public accessor for iteration, so fall back to the three keys we know.
    props = getattr(req.config, "_props", None)
    if isinstance(props, Mapping):
        return props
    out: dict[str, Any] = {}
    for key in ("cartesia:apiKey", "cartesia:baseUrl", "cartesia:apiVersion"):
        value = req.config.get(key)
        if value is not None:
            out[key] = value
    return out


def configure_settings(req: ConfigureRequest) -> None:
    """Resolve settings from the stack config (then env) and make them current."""
    global _SETTINGS, _SEEN_CONFIG_KEYS
    raw = _raw_config(req)
    settings = Settings.resolve(raw)
    seen = tuple(sorted(k for k in raw if isinstance(k, str) and k.startswith(CONFIG_NAMESPACE)))
    with _LOCK:
        _SETTINGS = settings
        _SEEN_CONFIG_KEYS = seen


def current_settings() -> Settings:
    """Settings captured by ``configure()``, or from the environment if it never ran."""
    with _LOCK:
        if _SETTINGS is not None:
            return _SETTINGS
    return Settings.resolve(None)


def seen_config_keys() -> tuple[str, ...]:
    """Names (never values) of the ``cartesia:*`` keys seen by the last ``configure()``."""
    with _LOCK:
        return _SEEN_CONFIG_KEYS


def get_client() -> CartesiaClient:
    """Return the process-wide client for the current settings (created on first use)."""
    from cartesia_pulumi.client import CartesiaClient

    settings = current_settings()
    api_key = settings.require_api_key()
    with _LOCK:
        client = _CLIENTS.get(settings)
        if client is None:
            client = CartesiaClient(
                api_key, base_url=settings.base_url, api_version=settings.api_version
            )
            _CLIENTS[settings] = client
        return client


#: Recovery switch: ``CARTESIA_ADOPT_EXISTING=1 pulumi up`` makes every create in that run
#: behave as if ``adopt=True`` was set. Added because a `pulumi up` killed by SIGKILL leaves
#: objects whose create landed but was never recorded (Pulumi 3.274.1 drops them from the
#: state: `refresh --import-pending-creates` does not add them back), so the next `up` hits
#: 409 on them; this takes them over without editing the program (README, "Recovering from a
#: killed pulumi up").
ENV_ADOPT_EXISTING = "CARTESIA_ADOPT_EXISTING"


def adopt_existing() -> bool:
    """True when ``CARTESIA_ADOPT_EXISTING`` is set to 1/true/yes for this run."""
    return os.environ.get(ENV_ADOPT_EXISTING, "").strip().lower() in ("1", "true", "yes")


def reset_state() -> None:
    """Forget settings and close cached clients (tests only)."""
    global _SETTINGS, _SEEN_CONFIG_KEYS
    with _LOCK:
        clients = list(_CLIENTS.values())
        _CLIENTS.clear()
        _SETTINGS = None
        _SEEN_CONFIG_KEYS = ()
    for client in clients:
        client.close()


class LifecycleBase(ResourceProvider):
    """Base for this package's lifecycles: stateless, configured through module globals."""

    # Instances carry no attributes, so the pickled blob is a by-reference class name with
    # nothing secret in it (tested); no need to encrypt it for every resource (pitfalls B-2).
    serialize_as_secret_always = False

    def configure(self, req: ConfigureRequest) -> None:
        configure_settings(req)


class CartesiaResourceError(Exception):
    """A resource operation failed; the message names the operation, the object and the fix."""


def describe_api_error(exc: CartesiaError) -> str:
    """One clause describing an API failure without secrets or the API key."""
    if isinstance(exc, AuthenticationError):
        return (
            "Cartesia rejected the API key (401); check the key in "
            f"`{CONFIG_API_KEY}` (pulumi config set --secret {CONFIG_API_KEY} ...) or "
            f"{ENV_API_KEY}"
        )
    if isinstance(exc, APIConnectionError):
        return f"the Cartesia API at {current_settings().base_url} did not answer ({exc})"
    if isinstance(exc, APIStatusError):
        detail = exc.message or exc.title
        text = f"Cartesia answered {exc.status_code}"
        if detail:
            text += f" ({detail})"
        if exc.request_id:
            text += f", request id {exc.request_id}"
        return text
    return str(exc)


def operation_error(action: str, exc: CartesiaError, hint: str = "") -> CartesiaResourceError:
    """Build the error for a failed API call: ``"<action> failed: <why>. <hint>"``.

    Raise it ``from exc`` so the API error stays in the chain.
    """
    message = f"{action} failed: {describe_api_error(exc)}."
    if hint and not isinstance(exc, AuthenticationError):
        message += f" {hint}"
    return CartesiaResourceError(message)
