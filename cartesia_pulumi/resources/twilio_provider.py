"""``TwilioProvider``: the Pulumi resource linking one Twilio account and region to Cartesia.

The behaviour lives in `cartesia_pulumi.core.twilio_provider`; this module is the Pulumi surface
(the ``Args`` class, the resource class and its outputs) and the dynamic-provider adapter
`TwilioProviderLifecycle`, whose import path is recorded in every stack's state.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any, ClassVar

import pulumi
from pulumi.dynamic import Resource

from cartesia_pulumi._types import Region
from cartesia_pulumi.core import twilio_provider as _core
from cartesia_pulumi.core.twilio_provider import SCHEMA, mask_matches
from cartesia_pulumi.resources._dynamic import DynamicLifecycle


class TwilioProviderLifecycle(DynamicLifecycle):
    """Dynamic-provider adapter of `cartesia_pulumi.core.twilio_provider`. Holds no state."""

    core: ClassVar[ModuleType] = _core
    resource = "TwilioProvider"


@dataclass
class TwilioProviderArgs:
    """Inputs of a `TwilioProvider`."""

    account_sid: pulumi.Input[str]
    """Twilio account (or subaccount) SID, ``AC`` + 32 hex digits. Changing it replaces the provider."""
    api_key_sid: pulumi.Input[str]
    """SID of a Twilio Standard API key (``SK`` + 32 hex) created in ``region``. Updatable in place."""
    api_key_secret: pulumi.Input[str]
    """Secret of that API key. Always stored as a Pulumi secret. Updatable in place."""
    region: pulumi.Input[Region] | None = None
    """Twilio region of the API key: ``us1`` (default), ``ie1`` or ``au1``. Updatable in place."""
    label: pulumi.Input[str] | None = None
    """Optional human-readable label, set when the provider is created (Cartesia cannot rename a
    Twilio provider, so a change is refused at preview)."""
    adopt: pulumi.Input[bool] | None = None
    """If true and Cartesia already has a provider for this account and region, take it over
    (setting the credentials given here) instead of failing with a conflict."""


class TwilioProvider(Resource, module="cartesia", name="TwilioProvider"):
    """Links a Twilio account to Cartesia so its phone numbers can be imported.

    One provider exists per Twilio account SID and region. Rotating the API key (changing
    ``api_key_sid``/``api_key_secret``) or changing the region is an in-place update that
    Cartesia validates against Twilio; if numbers on the provider would become unreachable the
    update fails, names them, and nothing changes. Changing ``account_sid`` replaces it.

    ## Example

    ```python
    import pulumi
    from cartesia_pulumi import TwilioProvider

    cfg = pulumi.Config()
    twilio = TwilioProvider(
        "twilio-us",
        account_sid="AC0123456789abcdef0123456789abcdef",
        api_key_sid="SK0123456789abcdef0123456789abc001",
        api_key_secret=cfg.require_secret("twilioKeySecret"),
        region="us1",
    )
    ```

    ## Adoption

    ``pulumi import`` does not work for dynamic resources (docs/pulumi-notes.md B-7). To manage a
    provider that already exists in Cartesia, declare it with the same account SID and region
    and ``adopt=True``; the first ``pulumi up`` takes it over (``adopted`` is then true) and
    sets the credentials given here.

    The Cartesia API key comes from ``cartesia:apiKey`` (secret) or ``CARTESIA_API_KEY`` and
    is never stored in state.
    """

    account_sid: pulumi.Output[str]
    """Twilio account SID."""
    api_key_sid: pulumi.Output[str]
    """The Twilio API key SID given as input (unmasked). After a refresh that found the key
    rotated outside Pulumi it holds the server's masked value until the next update."""
    api_key_secret: pulumi.Output[str]
    """The Twilio API key secret (secret output)."""
    region: pulumi.Output[Region]
    """Twilio region: ``us1``, ``ie1`` or ``au1``."""
    label: pulumi.Output[str | None]
    """Label, if any."""
    adopt: pulumi.Output[bool]
    """The ``adopt`` input as given."""
    masked_api_key_sid: pulumi.Output[str]
    """The key SID as Cartesia returns it (partially masked). Never causes a diff."""
    adopted: pulumi.Output[bool]
    """True if the provider existed before and was taken over with ``adopt=True``."""
    schema_version: pulumi.Output[int]
    """Version of this resource's state layout."""

    def __init__(
        self,
        resource_name: str,
        args: TwilioProviderArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        account_sid: pulumi.Input[str] | None = None,
        api_key_sid: pulumi.Input[str] | None = None,
        api_key_secret: pulumi.Input[str] | None = None,
        region: pulumi.Input[Region] | None = None,
        label: pulumi.Input[str] | None = None,
        adopt: pulumi.Input[bool] | None = None,
    ) -> None:
        a = args or TwilioProviderArgs(account_sid=None, api_key_sid=None, api_key_secret=None)  # type: ignore[arg-type]
        secret = api_key_secret if api_key_secret is not None else a.api_key_secret
        props: dict[str, Any] = {
            "account_sid": account_sid if account_sid is not None else a.account_sid,
            "api_key_sid": api_key_sid if api_key_sid is not None else a.api_key_sid,
            "api_key_secret": pulumi.Output.secret(secret) if secret is not None else None,
            "region": region if region is not None else a.region,
            "label": label if label is not None else a.label,
            "adopt": adopt if adopt is not None else a.adopt,
            **SCHEMA.blank_outputs(),
        }
        opts = pulumi.ResourceOptions.merge(
            opts, pulumi.ResourceOptions(additional_secret_outputs=SCHEMA.secret_names)
        )
        super().__init__(TwilioProviderLifecycle(), resource_name, props, opts)


__all__ = ["TwilioProvider", "TwilioProviderArgs", "TwilioProviderLifecycle", "mask_matches"]
