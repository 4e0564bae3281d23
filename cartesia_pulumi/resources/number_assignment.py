"""``NumberAssignment``: the Pulumi resource routing one phone number to one agent.

The behaviour lives in `cartesia_pulumi.core.number_assignment`; this module is the Pulumi surface
and the dynamic-provider adapter `NumberAssignmentLifecycle`, whose import path is recorded in state.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any, ClassVar

import pulumi
from pulumi.dynamic import Resource

from cartesia_pulumi.core import number_assignment as _core
from cartesia_pulumi.core.number_assignment import SCHEMA
from cartesia_pulumi.resources._dynamic import DynamicLifecycle


class NumberAssignmentLifecycle(DynamicLifecycle):
    """Dynamic-provider adapter of `cartesia_pulumi.core.number_assignment`. Holds no state."""

    core: ClassVar[ModuleType] = _core
    resource = "NumberAssignment"


@dataclass
class NumberAssignmentArgs:
    """Inputs of a `NumberAssignment`."""

    phone_number_id: pulumi.Input[str]
    """Id of the `PhoneNumber` (or any Cartesia number). Changing it replaces the assignment."""
    agent_id: pulumi.Input[str]
    """Id of the agent that answers calls on the number. Changing it reassigns in place."""


class NumberAssignment(Resource, module="cartesia", name="NumberAssignment"):
    """Assigns a Cartesia phone number to an agent, so inbound calls reach that agent.

    A number has at most one agent. Creating the assignment fails, naming the holder, if
    another agent already has the number (it never steals it); if the same agent already has
    it, the assignment is taken over without a change. Changing ``agent_id`` moves the number
    to the new agent in one request, without a moment unassigned. Deleting unassigns, but only
    if the number is still assigned to the agent recorded in state.

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

    def __init__(
        self,
        resource_name: str,
        args: NumberAssignmentArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        phone_number_id: pulumi.Input[str] | None = None,
        agent_id: pulumi.Input[str] | None = None,
    ) -> None:
        a = args or NumberAssignmentArgs(phone_number_id=None, agent_id=None)  # type: ignore[arg-type]
        props: dict[str, Any] = {
            "phone_number_id": phone_number_id
            if phone_number_id is not None
            else a.phone_number_id,
            "agent_id": agent_id if agent_id is not None else a.agent_id,
            **SCHEMA.blank_outputs(),
        }
        super().__init__(NumberAssignmentLifecycle(), resource_name, props, opts)


__all__ = ["NumberAssignment", "NumberAssignmentArgs", "NumberAssignmentLifecycle"]
