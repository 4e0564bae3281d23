"""``TwilioProvider``: the Pulumi resource linking one Twilio account and region to Cartesia.

The behaviour lives in `cartesia_pulumi.core.twilio_provider`; this module is the Pulumi surface
(the ``Args`` input type, the resource class with its typed outputs) and the dynamic-provider
adapter `TwilioProviderLifecycle`, whose import path is recorded in every stack's state.
Reference: docs/resources/twilio-provider.md.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any, ClassVar, overload

import pulumi
from pulumi.dynamic import Resource

from cartesia_pulumi._types import Region
from cartesia_pulumi.core import twilio_provider as _core
from cartesia_pulumi.core.twilio_provider import SCHEMA, mask_matches
from cartesia_pulumi.resources._dynamic import DynamicLifecycle
from cartesia_pulumi.resources._surface import resource_inputs


class TwilioProviderLifecycle(DynamicLifecycle):
    """Dynamic-provider adapter of `cartesia_pulumi.core.twilio_provider`. Holds no state."""

    core: ClassVar[ModuleType] = _core
    resource: ClassVar[str] = "TwilioProvider"


@pulumi.input_type
class TwilioProviderArgs:
    """The inputs of a `TwilioProvider`."""

    def __init__(
        self,
        *,
        account_sid: pulumi.Input[str],
        api_key_sid: pulumi.Input[str],
        api_key_secret: pulumi.Input[str],
        region: pulumi.Input[str] | None = None,
        label: pulumi.Input[str] | None = None,
        adopt: pulumi.Input[bool] | None = None,
    ) -> None:
        """
        Args:
            account_sid: Twilio account (or subaccount) SID, ``AC`` + 32 hex digits. Replaces.
            api_key_sid: SID of a Twilio Standard API key (``SK`` + 32 hex) created in ``region``.
            api_key_secret: Secret of that API key; always stored as a Pulumi secret.
            region: Twilio region of the key: ``us1`` (default), ``ie1`` or ``au1`` (`REGIONS`);
                a plain ``str`` so a value read from stack config type-checks; others are refused.
            label: Label set when the provider is created (not changeable afterwards).
            adopt: Take over an existing link for this account and region instead of failing.
        """
        pulumi.set(self, "account_sid", account_sid)
        pulumi.set(self, "api_key_sid", api_key_sid)
        pulumi.set(self, "api_key_secret", api_key_secret)
        if region is not None:
            pulumi.set(self, "region", region)
        if label is not None:
            pulumi.set(self, "label", label)
        if adopt is not None:
            pulumi.set(self, "adopt", adopt)

    @property
    @pulumi.getter
    def account_sid(self) -> pulumi.Input[str]:
        """Twilio account (or subaccount) SID, ``AC`` + 32 hex digits. Changing it replaces."""
        return pulumi.get(self, "account_sid")

    @account_sid.setter
    def account_sid(self, value: pulumi.Input[str]) -> None:
        pulumi.set(self, "account_sid", value)

    @property
    @pulumi.getter
    def api_key_sid(self) -> pulumi.Input[str]:
        """SID of a Twilio Standard API key (``SK`` + 32 hex) created in ``region``. Updatable."""
        return pulumi.get(self, "api_key_sid")

    @api_key_sid.setter
    def api_key_sid(self, value: pulumi.Input[str]) -> None:
        pulumi.set(self, "api_key_sid", value)

    @property
    @pulumi.getter
    def api_key_secret(self) -> pulumi.Input[str]:
        """Secret of that API key. Always stored as a Pulumi secret. Updatable in place."""
        return pulumi.get(self, "api_key_secret")

    @api_key_secret.setter
    def api_key_secret(self, value: pulumi.Input[str]) -> None:
        pulumi.set(self, "api_key_secret", value)

    @property
    @pulumi.getter
    def region(self) -> pulumi.Input[str] | None:
        """Twilio region of the API key: ``us1`` (default), ``ie1`` or ``au1``. Updatable."""
        return pulumi.get(self, "region")

    @region.setter
    def region(self, value: pulumi.Input[str] | None) -> None:
        pulumi.set(self, "region", value)

    @property
    @pulumi.getter
    def label(self) -> pulumi.Input[str] | None:
        """Optional label, set when the provider is created (Cartesia cannot rename one)."""
        return pulumi.get(self, "label")

    @label.setter
    def label(self, value: pulumi.Input[str] | None) -> None:
        pulumi.set(self, "label", value)

    @property
    @pulumi.getter
    def adopt(self) -> pulumi.Input[bool] | None:
        """Take over an existing link for this account and region (setting these credentials)."""
        return pulumi.get(self, "adopt")

    @adopt.setter
    def adopt(self, value: pulumi.Input[bool] | None) -> None:
        pulumi.set(self, "adopt", value)


class TwilioProvider(Resource, module="cartesia", name="TwilioProvider"):
    """Links a Twilio account to Cartesia so its phone numbers can be imported.

    One provider exists per Twilio account SID and region. Rotating the API key (changing
    ``api_key_sid``/``api_key_secret``) or changing the region is an in-place update that Cartesia
    validates against Twilio; if numbers on the provider would become unreachable the update
    fails, names them, and nothing changes. Changing ``account_sid`` replaces it.

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

    ## Sharing and adoption

    One stack owns each link; other stacks use its id (``pulumi.StackReference`` or
    ``cartesia_pulumi.lookup_twilio_provider``). ``pulumi import`` does not work for dynamic
    resources (docs/pulumi-notes.md B-7): to manage a link that already exists, declare it with
    ``adopt=True``, or generate the program with ``cartesia-pulumi discover``.

    The Cartesia API key comes from ``cartesia:apiKey`` (secret) or ``CARTESIA_API_KEY``.
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
    """The label Cartesia has for the provider, if any."""
    adopt: pulumi.Output[bool]
    """The ``adopt`` input as given."""
    masked_api_key_sid: pulumi.Output[str]
    """The key SID as Cartesia returns it (partially masked). Never causes a diff."""
    adopted: pulumi.Output[bool]
    """True if the provider existed before and was taken over with ``adopt=True``."""
    schema_version: pulumi.Output[int]
    """Version of this resource's state layout."""

    @overload
    def __init__(
        self,
        resource_name: str,
        args: TwilioProviderArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        account_sid: pulumi.Input[str],
        api_key_sid: pulumi.Input[str],
        api_key_secret: pulumi.Input[str],
        region: pulumi.Input[str] | None = None,
        label: pulumi.Input[str] | None = None,
        adopt: pulumi.Input[bool] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        inputs, opts = resource_inputs(
            "TwilioProvider",
            TwilioProviderArgs,
            args,
            kwargs,
            required=("account_sid", "api_key_sid", "api_key_secret"),
            optional=("region", "label", "adopt"),
        )
        for name in SCHEMA.secret_names:
            if inputs.get(name) is not None:
                inputs[name] = pulumi.Output.secret(inputs[name])
        opts = pulumi.ResourceOptions.merge(
            opts, pulumi.ResourceOptions(additional_secret_outputs=SCHEMA.secret_names)
        )
        super().__init__(
            TwilioProviderLifecycle(), resource_name, {**inputs, **SCHEMA.blank_outputs()}, opts
        )


__all__ = ["TwilioProvider", "TwilioProviderArgs", "TwilioProviderLifecycle", "mask_matches"]
