"""``NumberAssignment``: routes inbound calls on one phone number to one agent.

* Create assigns (GET + PATCH; no PATCH if the agent already holds the number); it refuses to
  take a number another agent holds.
* Changing ``agent_id`` is one PATCH: the number is never unassigned in between.
* Changing ``phone_number_id`` replaces, delete-before-replace (pitfalls A-9).
* Delete unassigns only if the number is still assigned to the agent recorded in state, and
  treats a missing number as done.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult

from cartesia_pulumi.client import CartesiaError, NotFoundError, PhoneNumberModel
from cartesia_pulumi.resources._base import (
    CartesiaResourceError,
    LifecycleBase,
    get_client,
    operation_error,
)
from cartesia_pulumi.resources._fields import (
    SCHEMA_VERSION,
    Checker,
    Field,
    Schema,
    non_empty_string,
)

SCHEMA = Schema(
    fields=(
        Field("phone_number_id", "replace"),
        Field("agent_id", "update"),
        Field("agent_name", "output"),
        Field("number", "output"),
        Field("schema_version", "output", default=SCHEMA_VERSION),
    ),
    delete_before_replace=True,
)


def _outs(model: PhoneNumberModel, phone_number_id: str, agent_id: str | None) -> dict[str, Any]:
    agent = model.agent
    return {
        "phone_number_id": phone_number_id,
        "agent_id": agent_id,
        "agent_name": agent.name if agent is not None and agent.id == agent_id else None,
        "number": model.number,
        "schema_version": SCHEMA_VERSION,
    }


class NumberAssignmentLifecycle(LifecycleBase):
    """Assign/reassign/unassign an agent on a phone number. Holds no state."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        c = Checker("NumberAssignment", news)
        c.take(
            "phone_number_id",
            non_empty_string,
            hint="Pass the id of a PhoneNumber, e.g. phone_number_id=number.id.",
        )
        c.take("agent_id", non_empty_string, hint="Pass the id of a Cartesia agent (agent_...).")
        return CheckResult(c.inputs, c.failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return SCHEMA.diff(olds, news)

    def create(self, props: dict[str, Any]) -> CreateResult:
        client = get_client()
        number_id = props["phone_number_id"]
        agent_id = props["agent_id"]
        action = f"Assigning agent {agent_id} to phone number {number_id}"
        try:
            model = client.phone_numbers.get(number_id)
        except NotFoundError as exc:
            raise operation_error(
                action, exc, f"Phone number {number_id} does not exist; check phone_number_id."
            ) from exc
        except CartesiaError as exc:
            raise operation_error(action, exc) from exc
        current = model.agent
        if current is not None and current.id != agent_id:
            name = f" ({current.name})" if current.name else ""
            raise CartesiaResourceError(
                f"{action} failed: {model.number} is already assigned to agent {current.id}{name}. "
                "This resource does not take numbers from other agents: unassign it there first "
                "(remove that agent's NumberAssignment or unassign in the Cartesia console), then "
                "run `pulumi up` again."
            )
        if current is None:
            try:
                model = client.phone_numbers.update(number_id, agent_id=agent_id)
            except NotFoundError as exc:
                raise operation_error(
                    action, exc, f"Check that agent {agent_id} exists in this Cartesia account."
                ) from exc
            except CartesiaError as exc:
                raise operation_error(action, exc) from exc
        # current.id == agent_id: already assigned as asked; nothing to send.
        return CreateResult(number_id, _outs(model, number_id, agent_id))

    def update(self, id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        client = get_client()
        number_id = news.get("phone_number_id") or olds.get("phone_number_id") or id
        agent_id = news["agent_id"]
        action = f"Reassigning phone number {olds.get('number') or number_id} to agent {agent_id}"
        try:
            # One PATCH from the old agent straight to the new one: never unassigned between.
            model = client.phone_numbers.update(number_id, agent_id=agent_id)
        except NotFoundError as exc:
            raise operation_error(
                action,
                exc,
                "The number or the agent does not exist; check agent_id, or run `pulumi refresh`.",
            ) from exc
        except CartesiaError as exc:
            raise operation_error(action, exc) from exc
        return UpdateResult(_outs(model, number_id, agent_id))

    def read(self, id: str, props: dict[str, Any]) -> ReadResult:
        client = get_client()
        number_id = props.get("phone_number_id") or id
        try:
            model = client.phone_numbers.get(number_id)
        except NotFoundError:
            return ReadResult("", {})
        except CartesiaError as exc:
            raise operation_error(
                f"Refreshing the assignment of phone number {number_id}", exc
            ) from exc
        if model.agent is None:
            # Unassigned outside Pulumi: gone, so the next `up` assigns it again.
            return ReadResult("", {})
        # Reassigned outside Pulumi: report the current agent so preview shows an update.
        outs = _outs(model, number_id, model.agent.id)
        return ReadResult(id, outs, inputs=SCHEMA.inputs_from(outs))

    def delete(self, id: str, props: dict[str, Any]) -> None:
        client = get_client()
        number_id = props.get("phone_number_id") or id
        agent_id = props.get("agent_id")
        action = (
            f"Unassigning agent {agent_id} from phone number {props.get('number') or number_id}"
        )
        try:
            model = client.phone_numbers.get(number_id)
        except NotFoundError:
            return
        except CartesiaError as exc:
            raise operation_error(action, exc) from exc
        if model.agent is None or model.agent.id != agent_id:
            # Someone else owns the assignment now; leave it alone (pitfalls A-9).
            return
        try:
            client.phone_numbers.update(number_id, agent_id=None)
        except NotFoundError:
            return
        except CartesiaError as exc:
            raise operation_error(action, exc) from exc


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
            "agent_name": None,
            "number": None,
            "schema_version": None,
        }
        super().__init__(NumberAssignmentLifecycle(), resource_name, props, opts)
