"""``PhoneNumber``: the Pulumi resource importing a Twilio number into Cartesia.

The behaviour lives in `cartesia_pulumi.core.phone_number`; this module is the Pulumi surface and
the dynamic-provider adapter `PhoneNumberLifecycle`, whose import path is recorded in state.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any, ClassVar

import pulumi
from pulumi.dynamic import Resource

from cartesia_pulumi.core import phone_number as _core
from cartesia_pulumi.core.phone_number import SCHEMA, normalise_number
from cartesia_pulumi.resources._dynamic import DynamicLifecycle


class PhoneNumberLifecycle(DynamicLifecycle):
    """Dynamic-provider adapter of `cartesia_pulumi.core.phone_number`. Holds no state."""

    core: ClassVar[ModuleType] = _core
    resource = "PhoneNumber"


@dataclass
class PhoneNumberArgs:
    """Inputs of a `PhoneNumber`."""

    number: pulumi.Input[str]
    """The phone number with country code, e.g. ``+14155550100`` (normalised to E.164). It must
    exist in the provider's Twilio account. Changing it replaces the resource."""
    provider_id: pulumi.Input[str]
    """Id of the `TwilioProvider` to import through. Updatable in place (moves the number)."""
    label: pulumi.Input[str] | None = None
    """Human-readable name; defaults to the number. Updatable in place."""
    adopt: pulumi.Input[bool] | None = None
    """If true and the number is already imported in Cartesia, take it over instead of failing."""


class PhoneNumber(Resource, module="cartesia", name="PhoneNumber"):
    """A Twilio phone number imported into Cartesia.

    Importing never buys a number: it must already exist in the Twilio account of the given
    provider. Changing ``label`` or ``provider_id`` (for example moving the number to a provider
    in another region) is an in-place update; changing ``number`` deletes this import and
    imports the new number. The agent is assigned by a separate `NumberAssignment`; this
    resource never touches it, and refuses to delete a number an agent still uses.

    ## Example

    ```python
    from cartesia_pulumi import PhoneNumber

    support_line = PhoneNumber("support-line", number="+1 415 555 0100",
                               provider_id=twilio.id, label="Support line")
    ```

    ## Adoption

    ``pulumi import`` does not work for dynamic resources (docs/pulumi-notes.md B-7). To manage a
    number that is already imported, declare it with ``adopt=True``; the first ``pulumi up``
    takes it over (``adopted`` is then true), aligning label and provider with the program.

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

    def __init__(
        self,
        resource_name: str,
        args: PhoneNumberArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        number: pulumi.Input[str] | None = None,
        provider_id: pulumi.Input[str] | None = None,
        label: pulumi.Input[str] | None = None,
        adopt: pulumi.Input[bool] | None = None,
    ) -> None:
        a = args or PhoneNumberArgs(number=None, provider_id=None)  # type: ignore[arg-type]
        props: dict[str, Any] = {
            "number": number if number is not None else a.number,
            "provider_id": provider_id if provider_id is not None else a.provider_id,
            "label": label if label is not None else a.label,
            "adopt": adopt if adopt is not None else a.adopt,
            **SCHEMA.blank_outputs(),
        }
        super().__init__(PhoneNumberLifecycle(), resource_name, props, opts)


__all__ = ["PhoneNumber", "PhoneNumberArgs", "PhoneNumberLifecycle", "normalise_number"]
