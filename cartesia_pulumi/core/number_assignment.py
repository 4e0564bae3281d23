"""NumberAssignment operations: route inbound calls on one phone number to one agent.

* Create assigns with one PATCH and refuses to take a number another agent holds; if the same agent
  already holds it, it is taken over without a request. The number's current agent comes from a
  GET, or — when this very process imported or patched the number moments ago — from that write's
  answer (`cartesia_pulumi.core.session.Session.recent`), which saves a request per number on `up`.
* Changing ``agent_id`` is one PATCH: the number is never unassigned in between.
* Changing ``phone_number_id`` replaces, create-before-delete: the agent is assigned to the new
  number first, then the old assignment's delete unassigns the old number. The two are different
  numbers, so the old delete cannot undo the new assignment (the trap of docs/pulumi-notes.md
  A-9 needs both to be keyed on the same object); and the old delete only unassigns a number that
  still routes to the recorded agent.
* Delete unassigns only if the number is still assigned to the agent recorded in state, and treats
  a missing number as done.
"""

from __future__ import annotations

from typing import Any

from cartesia_pulumi.client import CartesiaError, NotFoundError, PhoneNumberModel
from cartesia_pulumi.core import verify
from cartesia_pulumi.core.errors import CartesiaResourceError, operation_error
from cartesia_pulumi.core.fields import (
    SCHEMA_VERSION,
    Checked,
    Created,
    Diff,
    Failure,
    Field,
    Refreshed,
    Schema,
    opaque_id,
)
from cartesia_pulumi.core.session import SESSION

SCHEMA = Schema(
    resource="NumberAssignment",
    fields=(
        Field(
            "phone_number_id",
            "replace",
            opaque_id("ap_Q8PRh7lXyZsawXJmN2KcT5"),
            hint="Pass the id of a PhoneNumber, e.g. phone_number_id=number.id.",
        ),
        Field(
            "agent_id",
            "update",
            opaque_id("agent_Fo7pKNBUwLZxrTd6jvhpaE"),
            hint="Pass the id of a Cartesia agent (agent_...).",
        ),
        Field("agent_name", "output"),
        Field("number", "output"),
        Field("schema_version", "output", default=SCHEMA_VERSION),
    ),
)


def _outputs(model: PhoneNumberModel, phone_number_id: str, agent_id: str | None) -> dict[str, Any]:
    agent = model.agent
    return {
        "phone_number_id": phone_number_id,
        "agent_id": agent_id,
        "agent_name": agent.name if agent is not None and agent.id == agent_id else None,
        "number": model.number,
        "schema_version": SCHEMA_VERSION,
    }


def _agent_scope(agent_id: Any) -> tuple[str, str] | None:
    return ("agent", agent_id) if isinstance(agent_id, str) and agent_id else None


def check(olds: dict[str, Any], news: dict[str, Any], *, online: bool = True) -> Checked:
    """Validate both ids; for a new or changed one and ``online``, ask Cartesia whether it exists
    (`cartesia_pulumi.core.verify`)."""
    result = SCHEMA.check(news)
    if not online or not SESSION.settings.api_key:
        return result
    bad = {f.property for f in result.failures}
    client = SESSION.client()
    agent_id = result.inputs.get("agent_id")
    if isinstance(agent_id, str) and "agent_id" not in bad and olds.get("agent_id") != agent_id:
        found = verify.agent_exists(client, agent_id, f"Checking agent {agent_id}")
        if found is False:
            result.failures.append(
                Failure(
                    "agent_id",
                    f"NumberAssignment: agent_id {agent_id!r} is not an agent of this Cartesia "
                    "organisation (404); check the id in Cartesia (agents are listed by "
                    "`cartesia agents ls` or in the Playground).",
                )
            )
    number_id = result.inputs.get("phone_number_id")
    if (
        isinstance(number_id, str)
        and "phone_number_id" not in bad
        and olds.get("phone_number_id") != number_id
        and SESSION.recent(number_id) is None
    ):
        found = verify.exists(
            client,
            "number",
            number_id,
            lambda: client.phone_numbers.get(number_id),
            f"Checking phone number {number_id}",
        )
        if found is False:
            result.failures.append(
                Failure(
                    "phone_number_id",
                    f"NumberAssignment: phone_number_id {number_id!r} is not a phone number of this "
                    "Cartesia organisation (404); pass the id of a PhoneNumber, e.g. "
                    "phone_number_id=line.id.",
                )
            )
    return result


def diff(olds: dict[str, Any], news: dict[str, Any]) -> Diff:
    """Derived from `SCHEMA`: another number replaces; another agent updates in place."""
    return SCHEMA.diff(olds, news)


def create(props: dict[str, Any]) -> Created:
    """Assign the agent, never taking the number from another agent."""
    client = SESSION.client()
    number_id = props["phone_number_id"]
    agent_id = props["agent_id"]
    action = f"Assigning agent {agent_id} to phone number {number_id}"
    model = SESSION.recent(number_id)
    if model is None:
        # The agent's shared page (many assignments adopting at once read a few pages, not one
        # GET each), or a GET for a number not on it: as fresh as a GET a few seconds earlier.
        try:
            model = SESSION.number(number_id, _agent_scope(agent_id), eager=False)
        except CartesiaError as exc:
            raise operation_error(action, exc, base_url=client.base_url) from None
        if model is None:
            raise CartesiaResourceError(
                f"{action} failed: phone number {number_id} does not exist in Cartesia (404); "
                "check phone_number_id."
            )
    current = model.agent
    if current is not None and current.id != agent_id:
        name = f" ({current.name})" if current.name else ""
        raise CartesiaResourceError(
            f"{action} failed: {model.number} is already assigned to agent {current.id}{name}. "
            "This resource does not take numbers from other agents: unassign it there first "
            "(remove that agent's NumberAssignment or unassign in the Cartesia console), then run "
            "`pulumi up` again."
        )
    if current is None:
        try:
            model = client.phone_numbers.update(number_id, agent_id=agent_id)
        except NotFoundError as exc:
            raise operation_error(
                action, exc, f"Check that agent {agent_id} exists in this Cartesia account."
            ) from None
        except CartesiaError as exc:
            raise operation_error(action, exc, base_url=client.base_url) from None
        SESSION.wrote(model)
    # current.id == agent_id: already assigned as asked; nothing to send.
    return Created(number_id, _outputs(model, number_id, agent_id))


def update(id: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
    """Reassign with one PATCH, straight from the old agent to the new one."""
    client = SESSION.client()
    number_id = news.get("phone_number_id") or olds.get("phone_number_id") or id
    agent_id = news["agent_id"]
    action = f"Reassigning phone number {olds.get('number') or number_id} to agent {agent_id}"
    try:
        model = client.phone_numbers.update(number_id, agent_id=agent_id)
    except NotFoundError as exc:
        raise operation_error(
            action,
            exc,
            "The number or the agent does not exist; check agent_id, or run `pulumi refresh`.",
        ) from None
    except CartesiaError as exc:
        raise operation_error(action, exc, base_url=client.base_url) from None
    SESSION.wrote(model)
    return _outputs(model, number_id, agent_id)


def read(id: str, props: dict[str, Any]) -> Refreshed:
    """Unassigned outside Pulumi → gone; reassigned → the current agent (drift)."""
    number_id = props.get("phone_number_id") or id
    try:
        model = SESSION.number(number_id, _agent_scope(props.get("agent_id")))
    except CartesiaError as exc:
        raise operation_error(
            f"Refreshing the assignment of phone number {number_id}",
            exc,
            base_url=SESSION.settings.base_url,
            refresh=True,
        ) from None
    if model is None:
        return Refreshed.gone()
    if model.agent is None:
        # Unassigned outside Pulumi: gone, so the next `up` assigns it again.
        return Refreshed.gone()
    outs = _outputs(model, number_id, model.agent.id)
    return Refreshed(id, outs, SCHEMA.inputs_from(outs))


def delete(id: str, props: dict[str, Any]) -> None:
    """Unassign, but only if the number still routes to the agent recorded in state."""
    client = SESSION.client()
    number_id = props.get("phone_number_id") or id
    agent_id = props.get("agent_id")
    action = f"Unassigning agent {agent_id} from phone number {props.get('number') or number_id}"
    try:
        # The agent's list, shared by every unassign of this destroy: as fresh as a GET a few
        # seconds ago, and one request per 100 numbers instead of one per number.
        found = SESSION.number(number_id, _agent_scope(agent_id))
    except CartesiaError as exc:
        raise operation_error(action, exc, base_url=client.base_url, refresh=True) from None
    if found is None:
        return
    model = found
    if model.agent is None or model.agent.id != agent_id:
        # Someone else owns the assignment now; leave it alone (docs/pulumi-notes.md A-9).
        return
    try:
        model = client.phone_numbers.update(number_id, agent_id=None)
    except NotFoundError:
        SESSION.forget(number_id)
        return
    except CartesiaError as exc:
        raise operation_error(action, exc, base_url=client.base_url, refresh=True) from None
    SESSION.wrote(model)
