"""``PhoneNumber``: the Pulumi resource importing a Twilio number into Cartesia.

The behaviour lives in `cartesia_pulumi.core.phone_number`; this module is the Pulumi surface and
the dynamic-provider adapter `PhoneNumberLifecycle`, whose import path is recorded in state.
Reference: docs/resources/phone-number.md.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any, ClassVar, overload

import pulumi
from pulumi.dynamic import Resource

from cartesia_pulumi.core import phone_number as _core
from cartesia_pulumi.core.phone_number import SCHEMA, normalise_number
from cartesia_pulumi.resources._dynamic import DynamicLifecycle
from cartesia_pulumi.resources._surface import resource_inputs


class PhoneNumberLifecycle(DynamicLifecycle):
    """Dynamic-provider adapter of `cartesia_pulumi.core.phone_number`. Holds no state."""

    core: ClassVar[ModuleType] = _core
    resource: ClassVar[str] = "PhoneNumber"


@pulumi.input_type
class PhoneNumberArgs:
    """The inputs of a `PhoneNumber`."""

    def __init__(
        self,
        *,
        number: pulumi.Input[str],
        provider_id: pulumi.Input[str],
        label: pulumi.Input[str] | None = None,
        adopt: pulumi.Input[bool] | None = None,
    ) -> None:
        """
        Args:
            number: The number with its country code (stored as E.164). Changing it replaces.
            provider_id: Id of the `TwilioProvider` to import through. Updatable (moves it).
            label: Human-readable name; defaults to the number. Updatable.
            adopt: Take over the number if it is already imported in Cartesia.
        """
        pulumi.set(self, "number", number)
        pulumi.set(self, "provider_id", provider_id)
        if label is not None:
            pulumi.set(self, "label", label)
        if adopt is not None:
            pulumi.set(self, "adopt", adopt)

    @property
    @pulumi.getter
    def number(self) -> pulumi.Input[str]:
        """The phone number with country code, e.g. ``+14155550100`` (normalised to E.164). It must
        exist in the provider's Twilio account. Changing it replaces the resource (import first)."""
        return pulumi.get(self, "number")

    @number.setter
    def number(self, value: pulumi.Input[str]) -> None:
        pulumi.set(self, "number", value)

    @property
    @pulumi.getter
    def provider_id(self) -> pulumi.Input[str]:
        """Id of the `TwilioProvider` to import through. Updatable in place (moves the number)."""
        return pulumi.get(self, "provider_id")

    @provider_id.setter
    def provider_id(self, value: pulumi.Input[str]) -> None:
        pulumi.set(self, "provider_id", value)

    @property
    @pulumi.getter
    def label(self) -> pulumi.Input[str] | None:
        """Human-readable name; defaults to the number. Updatable in place."""
        return pulumi.get(self, "label")

    @label.setter
    def label(self, value: pulumi.Input[str] | None) -> None:
        pulumi.set(self, "label", value)

    @property
    @pulumi.getter
    def adopt(self) -> pulumi.Input[bool] | None:
        """If the number is already imported in Cartesia, take it over instead of failing."""
        return pulumi.get(self, "adopt")

    @adopt.setter
    def adopt(self, value: pulumi.Input[bool] | None) -> None:
        pulumi.set(self, "adopt", value)


class PhoneNumber(Resource, module="cartesia", name="PhoneNumber"):
    """A Twilio phone number imported into Cartesia.

    Importing never buys a number: it must already exist in the Twilio account of the given
    provider. Changing ``label`` or ``provider_id`` (for example moving the number to a provider in
    another region) is an in-place update. Changing ``number`` imports the new number first, moves
    the assignment to it, and only then unassigns and deletes the old one. The agent is assigned by
    a separate `NumberAssignment`; this resource never touches it, and refuses to delete a number an
    agent still uses.

    ## Example

    ```python
    from cartesia_pulumi import PhoneNumber

    support_line = PhoneNumber("support-line", number="+1 415 555 0100",
                               provider_id=twilio.id, label="Support line")
    ```

    ## Adoption

    ``pulumi import`` does not work for dynamic resources (docs/pulumi-notes.md B-7). To manage a
    number that is already imported, declare it with ``adopt=True`` (or generate the program with
    ``cartesia-pulumi discover``); the first ``pulumi up`` takes it over (``adopted`` is then
    true), aligning label and provider with the program.

    Deleting the resource removes the number from Cartesia only; it stays in Twilio, but inbound
    calls stop reaching the agent. Consider ``protect=True`` for production numbers.
    """

    number: pulumi.Output[str]
    """The number in E.164."""
    provider_id: pulumi.Output[str]
    """Id of the provider the number is imported through."""
    label: pulumi.Output[str]
    """Label."""
    adopt: pulumi.Output[bool]
    """The ``adopt`` input as given."""
    agent_id: pulumi.Output[str | None]
    """Agent the number is assigned to (informational; managed by `NumberAssignment`)."""
    created_at: pulumi.Output[str]
    """When Cartesia imported the number (ISO 8601, UTC)."""
    adopted: pulumi.Output[bool]
    """True if the number was already imported and taken over with ``adopt=True``."""
    schema_version: pulumi.Output[int]
    """Version of this resource's state layout."""

    @overload
    def __init__(
        self,
        resource_name: str,
        args: PhoneNumberArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        number: pulumi.Input[str],
        provider_id: pulumi.Input[str],
        label: pulumi.Input[str] | None = None,
        adopt: pulumi.Input[bool] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        inputs, opts = resource_inputs(
            "PhoneNumber",
            PhoneNumberArgs,
            args,
            kwargs,
            required=("number", "provider_id"),
            optional=("label", "adopt"),
        )
        super().__init__(
            PhoneNumberLifecycle(), resource_name, {**inputs, **SCHEMA.blank_outputs()}, opts
        )


__all__ = ["PhoneNumber", "PhoneNumberArgs", "PhoneNumberLifecycle", "normalise_number"]
