"""``NumberAssignment``: the Pulumi resource routing one phone number to one agent.

The behaviour lives in `cartesia_pulumi.core.number_assignment`; this module is the Pulumi surface
and the dynamic-provider adapter `NumberAssignmentLifecycle`, whose import path is recorded in
state. Reference: docs/resources/number-assignment.md.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any, ClassVar, overload

import pulumi
from pulumi.dynamic import Resource

from cartesia_pulumi.core import number_assignment as _core
from cartesia_pulumi.core.number_assignment import SCHEMA
from cartesia_pulumi.resources._dynamic import DynamicLifecycle
from cartesia_pulumi.resources._surface import resource_inputs


class NumberAssignmentLifecycle(DynamicLifecycle):
    """Dynamic-provider adapter of `cartesia_pulumi.core.number_assignment`. Holds no state."""

    core: ClassVar[ModuleType] = _core
    resource: ClassVar[str] = "NumberAssignment"


@pulumi.input_type
class NumberAssignmentArgs:
    """The inputs of a `NumberAssignment`."""

    def __init__(self, *, phone_number_id: pulumi.Input[str], agent_id: pulumi.Input[str]) -> None:
        """
        Args:
            phone_number_id: Id of the `PhoneNumber`. Changing it replaces (route the new first).
            agent_id: Id of the agent that answers calls on the number. Reassigns in place.
        """
        pulumi.set(self, "phone_number_id", phone_number_id)
        pulumi.set(self, "agent_id", agent_id)

    @property
    @pulumi.getter
    def phone_number_id(self) -> pulumi.Input[str]:
        """Id of the `PhoneNumber` (or any Cartesia number). Changing it replaces the assignment:
        the new number is routed before the old one is unassigned."""
        return pulumi.get(self, "phone_number_id")

    @phone_number_id.setter
    def phone_number_id(self, value: pulumi.Input[str]) -> None:
        pulumi.set(self, "phone_number_id", value)

    @property
    @pulumi.getter
    def agent_id(self) -> pulumi.Input[str]:
        """Id of the agent that answers calls on the number. Changing it reassigns in place."""
        return pulumi.get(self, "agent_id")

    @agent_id.setter
    def agent_id(self, value: pulumi.Input[str]) -> None:
        pulumi.set(self, "agent_id", value)


class NumberAssignment(Resource, module="cartesia", name="NumberAssignment"):
    """Assigns a Cartesia phone number to an agent, so inbound calls reach that agent.

    A number has at most one agent. Creating the assignment fails, naming the holder, if another
    agent already has the number (it never steals it); if the same agent already has it, the
    assignment is taken over without a change. Changing ``agent_id`` moves the number to the new
    agent in one request, without a moment unassigned. Deleting unassigns, but only if the number
    is still assigned to the agent recorded in state.

    ## Example

    ```python
    from cartesia_pulumi import NumberAssignment

    NumberAssignment("support-line-agent", phone_number_id=support_line.id,
                     agent_id="agent_support")
    ```

    A refresh reports drift: a number reassigned in the console shows as an update back to
    ``agent_id``; a number unassigned in the console is re-assigned by the next ``pulumi up``.
    """

    phone_number_id: pulumi.Output[str]
    """Id of the phone number."""
    agent_id: pulumi.Output[str]
    """Id of the assigned agent."""
    agent_name: pulumi.Output[str | None]
    """Name of the assigned agent, as Cartesia reports it."""
    number: pulumi.Output[str]
    """The phone number in E.164."""
    schema_version: pulumi.Output[int]
    """Version of this resource's state layout."""

    @overload
    def __init__(
        self,
        resource_name: str,
        args: NumberAssignmentArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        phone_number_id: pulumi.Input[str],
        agent_id: pulumi.Input[str],
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        inputs, opts = resource_inputs(
            "NumberAssignment",
            NumberAssignmentArgs,
            args,
            kwargs,
            required=("phone_number_id", "agent_id"),
            optional=(),
        )
        super().__init__(
            NumberAssignmentLifecycle(), resource_name, {**inputs, **SCHEMA.blank_outputs()}, opts
        )


__all__ = ["NumberAssignment", "NumberAssignmentArgs", "NumberAssignmentLifecycle"]
