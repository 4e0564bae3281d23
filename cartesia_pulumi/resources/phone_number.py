"""``PhoneNumber``: a Twilio number imported into Cartesia through a `TwilioProvider`.

* ``number`` (E.164, normalised in ``check`` with ``phonenumbers``) is the identity: a change
  replaces, delete-before-replace because one number can be imported only once (R7).
* ``label`` and ``provider_id`` change in place with one PATCH (moving a number between
  providers keeps its id and its agent, R11).
* The agent assignment is not managed here (see `NumberAssignment`); ``agent_id`` is an
  informational output. Delete refuses while an agent is still assigned (R12).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import phonenumbers
import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult

from cartesia_pulumi.client import (
    UNSET,
    APIConnectionError,
    BadRequestError,
    CartesiaClient,
    CartesiaError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PhoneNumberModel,
)
from cartesia_pulumi.resources._base import (
    CartesiaResourceError,
    LifecycleBase,
    adopt_existing,
    get_client,
    operation_error,
)
from cartesia_pulumi.resources._fields import (
    SCHEMA_VERSION,
    Checker,
    Field,
    Invalid,
    Schema,
    boolean,
    non_empty_string,
)

SCHEMA = Schema(
    fields=(
        Field("number", "replace"),
        Field("provider_id", "update"),
        Field("label", "update"),
        Field("adopt", "create_only", default=False),
        Field("agent_id", "output"),
        Field("created_at", "output"),
        Field("adopted", "output", default=False),
        Field("schema_version", "output", default=SCHEMA_VERSION),
    ),
    delete_before_replace=True,
)

_CREATE_ATTEMPTS = 3
# Tolerated clock difference between us and the server when deciding whether a number found
# after a lost import response was created by our own request.
CLOCK_SKEW = timedelta(seconds=60)


def normalise_number(name: str, value: Any) -> str:
    """Validator: parse a phone number with its country code and return it in E.164."""
    if not isinstance(value, str) or not value.strip():
        raise Invalid(
            f"{name} must be a phone number in international format like '+14155550100', "
            f"got {value!r}."
        )
    text = value.strip()
    try:
        parsed = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException as exc:
        raise Invalid(
            f"{name} {text!r} is not a phone number with a country code ({exc}); write it in "
            "international format with a leading '+', e.g. '+14155550100'."
        ) from None
    if not phonenumbers.is_possible_number(parsed):
        raise Invalid(
            f"{name} {text!r} is not a possible phone number for country code "
            f"+{parsed.country_code} (wrong length); check the digits."
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


class PhoneNumberLifecycle(LifecycleBase):
    """Import/read/update/delete of a Cartesia phone number. Holds no state."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        c = Checker("PhoneNumber", news)
        c.take("number", normalise_number, hint="Give the number in E.164, e.g. '+14155550100'.")
        c.take(
            "provider_id",
            non_empty_string,
            hint="Pass the id of a TwilioProvider, e.g. provider_id=twilio.id.",
        )
        c.take("label", non_empty_string, required=False)
        c.take("adopt", boolean, default=False)
        if c.inputs.get("label") is None and "number" in c.inputs:
            # Default label: the number itself (unknown while the number is unknown).
            c.inputs["label"] = c.inputs["number"]
        return CheckResult(c.inputs, c.failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return SCHEMA.diff(olds, news)

    # -- create ---------------------------------------------------------------------------

    def create(self, props: dict[str, Any]) -> CreateResult:
        client = get_client()
        number = props["number"]
        action = f"Importing phone number {number}"
        started = datetime.now(UTC)
        lost: CartesiaError | None = None
        for attempt in range(_CREATE_ATTEMPTS):
            try:
                model = client.phone_numbers.import_(
                    number=number,
                    label=props.get("label") or number,
                    provider_id=props["provider_id"],
                )
                return CreateResult(model.id, self._outs(model, props, adopted=False))
            except ConflictError as exc:
                existing = self._find(client, number, action)
                if (
                    existing is not None
                    and lost is not None
                    and self._is_ours(existing, props, started)
                ):
                    return CreateResult(existing.id, self._outs(existing, props, adopted=False))
                if existing is not None and (props.get("adopt") or adopt_existing()):
                    return self._adopt(client, existing, props)
                where = f" as {existing.id}" if existing is not None else ""
                raise CartesiaResourceError(
                    f"{action} failed: the number is already imported in Cartesia{where} (409). "
                    "To manage it with this stack set adopt=True on this PhoneNumber (its label "
                    "and provider are then set from this program; the agent is left alone), or "
                    "delete it in the Cartesia console first. If an interrupted `pulumi up` "
                    "imported it, run `CARTESIA_ADOPT_EXISTING=1 pulumi up` once."
                ) from exc
            except BadRequestError as exc:
                raise operation_error(
                    action,
                    exc,
                    f"Make sure {number} belongs to the Twilio account of provider "
                    f"{props['provider_id']} and that the provider's credentials are valid.",
                ) from exc
            except NotFoundError as exc:
                raise operation_error(
                    action,
                    exc,
                    f"The provider {props['provider_id']} does not exist; check provider_id.",
                ) from exc
            except (APIConnectionError, InternalServerError) as exc:
                # The import may have been applied and its response lost (pitfalls A-16): if
                # the number now exists exactly as we asked, created since we started, it is ours.
                lost = exc
                existing = self._find(client, number, action)
                if existing is not None and self._is_ours(existing, props, started):
                    return CreateResult(existing.id, self._outs(existing, props, adopted=False))
                if attempt + 1 < _CREATE_ATTEMPTS:
                    client.sleep(client.retry_policy.delay(attempt))
            except CartesiaError as exc:
                raise operation_error(action, exc) from exc
        assert lost is not None
        raise operation_error(
            action, lost, "Nothing was imported; run `pulumi up` again."
        ) from lost

    @staticmethod
    def _find(client: CartesiaClient, number: str, action: str) -> PhoneNumberModel | None:
        try:
            for item in client.phone_numbers.iter(q=number):
                if item.number == number:
                    return item
        except CartesiaError as exc:
            raise operation_error(action, exc, "Run `pulumi up` again.") from exc
        return None

    @staticmethod
    def _is_ours(model: PhoneNumberModel, props: dict[str, Any], started: datetime) -> bool:
        if model.provider_id != props.get("provider_id"):
            return False
        if (model.label or None) != (props.get("label") or props.get("number")):
            return False
        if model.created_at is None:
            return False
        created = model.created_at
        if created.tzinfo is None:
            created = created.replace(tzinfo=UTC)
        return created >= started - CLOCK_SKEW

    def _adopt(
        self, client: CartesiaClient, existing: PhoneNumberModel, props: dict[str, Any]
    ) -> CreateResult:
        """Take over an imported number: align label/provider with the program, keep the agent."""
        action = f"Adopting phone number {existing.number} ({existing.id})"
        label = props.get("label") or props["number"]
        changes: dict[str, Any] = {}
        if existing.label != label:
            changes["label"] = label
        if existing.provider_id != props["provider_id"]:
            changes["provider_id"] = props["provider_id"]
        model = existing
        if changes:
            try:
                model = client.phone_numbers.update(existing.id, **changes)
            except CartesiaError as exc:
                raise operation_error(action, exc) from exc
        return CreateResult(model.id, self._outs(model, props, adopted=True))

    @staticmethod
    def _outs(model: PhoneNumberModel, props: dict[str, Any], *, adopted: bool) -> dict[str, Any]:
        return {
            "number": model.number,
            "label": model.label if model.label is not None else props.get("label"),
            "provider_id": model.provider_id,
            "adopt": bool(props.get("adopt", False)),
            "agent_id": model.agent_id,
            "created_at": _iso(model.created_at),
            "adopted": adopted,
            "schema_version": SCHEMA_VERSION,
        }

    # -- update ---------------------------------------------------------------------------

    def update(self, id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        client = get_client()
        action = f"Updating phone number {news.get('number')} ({id})"
        label: Any = news.get("label") if news.get("label") != olds.get("label") else UNSET
        provider: Any = (
            news.get("provider_id") if news.get("provider_id") != olds.get("provider_id") else UNSET
        )
        try:
            if label is UNSET and provider is UNSET:
                model = client.phone_numbers.get(id)
            else:
                model = client.phone_numbers.update(id, label=label, provider_id=provider)
        except BadRequestError as exc:
            hint = ""
            if provider is not UNSET:
                hint = (
                    f"To move it to provider {provider}, the number must exist in that "
                    "provider's Twilio account; add it there first. Nothing was changed."
                )
            raise operation_error(action, exc, hint) from exc
        except NotFoundError as exc:
            raise operation_error(
                action,
                exc,
                "The number or the target provider no longer exists; run `pulumi refresh`, then "
                "`pulumi up`.",
            ) from exc
        except CartesiaError as exc:
            raise operation_error(action, exc) from exc
        outs = self._outs(model, news, adopted=bool(olds.get("adopted", False)))
        return UpdateResult(outs)

    # -- read -----------------------------------------------------------------------------

    def read(self, id: str, props: dict[str, Any]) -> ReadResult:
        client = get_client()
        try:
            model = client.phone_numbers.get(id)
        except NotFoundError:
            return ReadResult("", {})
        except CartesiaError as exc:
            raise operation_error(
                f"Refreshing phone number {props.get('number')} ({id})", exc
            ) from exc
        outs = self._outs(model, props, adopted=bool(props.get("adopted", False)))
        return ReadResult(id, outs, inputs=SCHEMA.inputs_from(outs))

    # -- delete ---------------------------------------------------------------------------

    def delete(self, id: str, props: dict[str, Any]) -> None:
        # DELETE straight away: Cartesia refuses to delete an assigned number with a 400
        # (cartesia-api.md 2.10, R12), so a GET beforehand would cost one request per number
        # on every destroy just to pre-empt a refusal the API makes anyway. Only on that 400
        # do we read the number, to name the agent that still holds it.
        client = get_client()
        action = f"Deleting phone number {props.get('number') or id} ({id})"
        try:
            client.phone_numbers.delete(id)
        except NotFoundError:
            return
        except BadRequestError as exc:
            try:
                model = client.phone_numbers.get(id)
            except NotFoundError:
                return
            except CartesiaError:
                model = None
            if model is not None and model.agent is not None:
                raise self._still_assigned(action, model) from exc
            raise operation_error(
                action,
                exc,
                "If an agent was assigned meanwhile, unassign it (remove its NumberAssignment or "
                "unassign in the Cartesia console) and run the operation again.",
            ) from exc
        except CartesiaError as exc:
            raise operation_error(action, exc) from exc

    @staticmethod
    def _still_assigned(action: str, model: PhoneNumberModel) -> CartesiaResourceError:
        agent = model.agent
        assert agent is not None
        name = f" ({agent.name})" if agent.name else ""
        return CartesiaResourceError(
            f"{action} failed: it is still assigned to agent {agent.id}{name}. Remove the "
            "NumberAssignment that assigns it (or unassign the number in the Cartesia console), "
            "then run the operation again."
        )


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

    ``pulumi import`` does not work for dynamic resources (pulumi/pulumi#16175). To manage a
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
            "agent_id": None,
            "created_at": None,
            "adopted": None,
            "schema_version": None,
        }
        super().__init__(PhoneNumberLifecycle(), resource_name, props, opts)


__all__ = ["PhoneNumber", "PhoneNumberArgs", "PhoneNumberLifecycle", "normalise_number"]
