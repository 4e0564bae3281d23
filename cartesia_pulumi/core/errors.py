"""How a failed operation is told: one sentence naming the operation, the object and what to do.

Messages are built from the API's answer (status, title, message, request id) — never from the
request — and pass through `cartesia_pulumi._redact.scrub` at the adapter boundary, so neither the
Cartesia key nor a Twilio secret can appear in one.
"""

from __future__ import annotations

import os

from cartesia_pulumi._redact import scrub
from cartesia_pulumi.client import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    AuthenticationError,
    CartesiaError,
    TLSVerificationError,
)
from cartesia_pulumi.config import CONFIG_API_KEY, ENV_API_KEY, ConfigurationError


class CartesiaResourceError(Exception):
    """A resource operation failed; the message names the operation, the object and the fix."""


#: Appended to a 401 in refresh/destroy, where Pulumi configures the provider from the stack
#: configuration recorded at the last `pulumi up` (docs/pulumi-notes.md D-1).
STALE_KEY_HINT = (
    "If you rotated the Cartesia key since the last `pulumi up`: `pulumi refresh` and "
    "`pulumi destroy` use the configuration recorded by that `up`, so run them with "
    "`--run-program` (or run `pulumi up` first)."
)


def describe_api_error(exc: CartesiaError, base_url: str = "") -> str:
    """One clause describing an API failure, without secrets or the API key."""
    if isinstance(exc, AuthenticationError):
        return (
            f"Cartesia rejected the API key (401); check {CONFIG_API_KEY} "
            f"(`pulumi config set --secret {CONFIG_API_KEY} …`) or {ENV_API_KEY}"
        )
    if isinstance(exc, TLSVerificationError):
        return str(exc)
    if isinstance(exc, APIConnectionError):
        where = f" at {base_url}" if base_url else ""
        return f"the Cartesia API{where} did not answer ({exc})"
    if isinstance(exc, APIResponseValidationError):
        return str(exc)
    if isinstance(exc, APIStatusError):
        detail = exc.message or exc.title
        text = f"Cartesia answered {exc.status_code}"
        if detail:
            text += f" ({detail})"
        if exc.request_id:
            text += f", request id {exc.request_id}"
        return text
    return str(exc)


def operation_error(
    action: str, exc: CartesiaError, hint: str = "", *, base_url: str = "", refresh: bool = False
) -> CartesiaResourceError:
    """Build the error for a failed API call: ``"<action> failed: <why>. <hint>"``.

    ``refresh=True`` marks refresh/destroy paths, where a 401 most likely means a Cartesia key
    rotated since the configuration Pulumi recorded.
    """
    message = f"{action} failed: {describe_api_error(exc, base_url)}."
    if isinstance(exc, AuthenticationError):
        if refresh:
            message += f" {STALE_KEY_HINT}"
    elif hint:
        message += f" {hint}"
    return CartesiaResourceError(message)


#: Set to 1 to let unexpected (non-Cartesia) exceptions keep their traceback, for bug reports.
ENV_DEBUG = "CARTESIA_PULUMI_DEBUG"


def debugging() -> bool:
    """True when ``CARTESIA_PULUMI_DEBUG`` asks for tracebacks of unexpected exceptions."""
    return os.environ.get(ENV_DEBUG, "").strip().lower() in ("1", "true", "yes")


def boundary_error(resource: str, operation: str, exc: Exception) -> Exception:
    """The exception an adapter raises for ``exc``: one scrubbed sentence, the same for both
    adapters (the dynamic resources and the plugin).

    Our own errors and configuration errors keep their sentence (scrubbed). Anything else is a
    bug: one sentence naming the resource, the operation and the exception type, unless
    `ENV_DEBUG` is set, in which case ``exc`` itself is returned so its traceback survives.
    """
    if isinstance(exc, CartesiaResourceError | ConfigurationError):
        return CartesiaResourceError(scrub(str(exc)))
    if debugging():
        return exc
    return CartesiaResourceError(
        f"{resource} {operation} failed with an unexpected {type(exc).__name__}: "
        f"{scrub(str(exc))}. This is a bug in cartesia-pulumi; set {ENV_DEBUG}=1 and run again "
        "for the traceback to report it."
    )
