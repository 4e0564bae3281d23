"""PhoneNumber operations: a Twilio number imported into Cartesia through a provider.

* ``number`` (E.164, normalised by ``check``) is the identity: a change replaces, **creating the
  new import before the old one is deleted**. A changed number is a different number, so both can
  exist at once; the NumberAssignment moves to the new number before the old one is unassigned and
  deleted, and if the new import fails nothing of the old one has been touched. (The one case that
  cannot work create-first — giving resource A the number resource B imports, a swap — fails at
  the new import with "already imported as <id>" and changes nothing; do it in two `up`s.)
* ``label`` and ``provider_id`` change in place with one PATCH (moving a number between providers
  keeps its id and its agent, R11).
* The agent is not managed here (see NumberAssignment); ``agent_id`` is an informational output.
  Delete refuses while an agent is still assigned (R12).

Ownership after a lost import (docs/pulumi-notes.md D-4): the number is unique in the organisation,
so after an ambiguous POST it is looked up and judged by `proof`. It is this create's own only if

1. it carries exactly what the POST sent — our provider, our label — and no agent (the POST
   assigned none), and
2. by the **server's own clock** it was not created before the POST reached the server: with
   ``created_at`` at resolution ``r`` and ``B`` the lower bound of the server clock at the moment
   the POST was sent (`cartesia_pulumi.client.ServerClock`, from ``Date`` headers),
   ``created_at + r <= B`` proves the number is older than the request.

Comparing server time with server time removes clock skew. What remains possible is an identical
import (same number, provider and label, unassigned) by another writer within the bound's error —
the ``Date`` header's one-second resolution plus one round trip — racing this very request; one of
the two POSTs got a 409, and the other writer is then told the same as we would be. A number that
an earlier run (or another stack) imported is always older than the request and is never taken
without ``adopt=True`` / ``CARTESIA_ADOPT_EXISTING=1``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import phonenumbers

from cartesia_pulumi._types import NOT_GIVEN, NotGiven
from cartesia_pulumi.client import (
    BadRequestError,
    CartesiaClient,
    CartesiaError,
    NotFoundError,
    PhoneNumberModel,
)
from cartesia_pulumi.core import verify
from cartesia_pulumi.core.errors import CartesiaResourceError, operation_error
from cartesia_pulumi.core.fields import (
    SCHEMA_VERSION,
    Checked,
    Created,
    Diff,
    Failure,
    Field,
    Invalid,
    Refreshed,
    Schema,
    boolean,
    non_empty_string,
    opaque_id,
)
from cartesia_pulumi.core.recovery import TAKEOVER, CreateSpec, Evidence, Proof, create_owned
from cartesia_pulumi.core.session import SESSION, adopt_existing

#: What a phone number may be written with: digits, a leading '+', and the usual separators.
_ALLOWED = re.compile(r"\+?[0-9 ().\-/]+")
#: An extension as people write one: "ext. 12", "extension 12", "x12", "#12", ";ext=12".
_EXTENSION = re.compile(r"(?i)(?:ext\.?|extension|x|#|;ext=)\s*\d+\s*$")


def normalise_number(name: str, value: Any) -> str:
    """Validator: a phone number with its country code, returned in E.164.

    Refused rather than rewritten: letters (``phonenumbers`` would read ``O`` as ``0`` and vanity
    letters as digits) and extensions (Cartesia imports whole numbers).
    """
    if not isinstance(value, str) or not value.strip():
        raise Invalid(
            f"{name} must be a phone number in international format like '+14155550100', "
            f"got {value!r}."
        )
    text = value.strip()
    if _EXTENSION.search(text):
        raise Invalid(f"{name} {text!r} has an extension; give the number without it.")
    if not _ALLOWED.fullmatch(text):
        raise Invalid(
            f"{name} {text!r} may contain only digits, a leading '+', spaces and ( ) . - / "
            "(no letters, no extension); write it like '+14155550100'."
        )
    try:
        parsed = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException as exc:
        raise Invalid(
            f"{name} {text!r} is not a phone number with a country code ({exc}); write it in "
            "international format with a leading '+', e.g. '+14155550100'."
        ) from None
    if parsed.extension:
        raise Invalid(f"{name} {text!r} has an extension; give the number without it.")
    if not phonenumbers.is_possible_number(parsed):
        raise Invalid(
            f"{name} {text!r} is not a possible phone number for country code "
            f"+{parsed.country_code} (wrong length); check the digits."
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


SCHEMA = Schema(
    resource="PhoneNumber",
    fields=(
        Field("number", "replace", normalise_number, hint="Give the number in E.164, e.g. '+14155550100'."),
        Field(
            "provider_id",
            "update",
            opaque_id("ata_T2rKFZkdtiWwyUhP7i8osb"),
            hint="Pass the id of a TwilioProvider, e.g. provider_id=twilio.id.",
        ),
        Field("label", "update", non_empty_string, default=None),
        Field("adopt", "create_only", boolean, default=False),
        Field("agent_id", "output"),
        Field("created_at", "output"),
        Field("adopted", "output", default=False),
        Field("schema_version", "output", default=SCHEMA_VERSION),
    ),
)


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def check(olds: dict[str, Any], news: dict[str, Any], *, online: bool = True) -> Checked:
    """Validate every input (the label defaults to the number); for a new or changed provider_id
    and ``online``, ask Cartesia whether that provider exists (`cartesia_pulumi.core.verify`)."""
    result = SCHEMA.check(news)
    if result.inputs.get("label") is None and "number" in result.inputs:
        # Default label: the number itself (unknown while the number is unknown).
        result.inputs["label"] = result.inputs["number"]
    provider_id = result.inputs.get("provider_id")
    if (
        online
        and SESSION.settings.api_key
        and isinstance(provider_id, str)
        and "provider_id" not in {f.property for f in result.failures}
        and (not olds or olds.get("provider_id") != provider_id)
    ):
        client = SESSION.client()
        found = verify.exists(
            client,
            "provider",
            provider_id,
            lambda: client.providers.get(provider_id),
            f"Checking phone number {result.inputs.get('number')}",
        )
        if found is False:
            result.failures.append(
                Failure(
                    "provider_id",
                    f"PhoneNumber: provider_id {provider_id!r} is not a provider of this Cartesia "
                    "organisation (404); pass the id of a TwilioProvider, e.g. provider_id=twilio.id.",
                )
            )
    return result


def diff(olds: dict[str, Any], news: dict[str, Any]) -> Diff:
    """Derived from `SCHEMA`: a new number replaces; label and provider update."""
    return SCHEMA.diff(olds, news)


def outputs(model: PhoneNumberModel, props: dict[str, Any], *, adopted: bool) -> dict[str, Any]:
    """The resource's outputs for a number as Cartesia returned it."""
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


def find_number(client: CartesiaClient, number: str) -> PhoneNumberModel | None:
    """The organisation's number ``number`` (E.164), or ``None``."""
    for item in client.phone_numbers.iter(q=number):
        if item.number == number:
            return item
    return None


def _created_before(client: CartesiaClient, model: PhoneNumberModel, sent_at: float) -> bool | None:
    """Whether ``model`` provably existed before a request sent at local time ``sent_at``."""
    bound = client.server_clock.lower_bound(sent_at)
    created = model.created_epoch
    if bound is None or created is None:
        return None
    return created + model.created_at_resolution <= bound


def create(props: dict[str, Any]) -> Created:
    """Import the number (one POST), adopt by opt-in, and recover a lost import by proof."""
    client = SESSION.client()
    number = props["number"]
    label = props.get("label") or number
    provider_id = props["provider_id"]
    action = f"Importing phone number {number}"

    def post() -> PhoneNumberModel:
        return client.phone_numbers.import_(number=number, label=label, provider_id=provider_id)

    def proof(model: PhoneNumberModel, evidence: Evidence) -> Proof:
        assert evidence.first_ambiguous_at is not None
        older = _created_before(client, model, evidence.first_ambiguous_at)
        if older:
            return Proof.OLDER
        same = (
            model.provider_id == provider_id
            and (model.label or None) == label
            and model.agent is None
        )
        return Proof.OURS if same and older is False else Proof.UNPROVEN

    def adopt(existing: PhoneNumberModel) -> PhoneNumberModel:
        """Take over an imported number: align label/provider with the program, keep the agent."""
        changes: dict[str, Any] = {}
        if existing.label != label:
            changes["label"] = label
        if existing.provider_id != provider_id:
            changes["provider_id"] = provider_id
        if not changes:
            return existing
        try:
            return client.phone_numbers.update(existing.id, **changes)
        except CartesiaError as exc:
            raise operation_error(
                f"Adopting phone number {existing.number} ({existing.id})", exc
            ) from None

    def refused(exc: CartesiaError) -> Any:
        if isinstance(exc, BadRequestError):
            raise operation_error(
                action,
                exc,
                f"Make sure {number} belongs to the Twilio account of provider {provider_id} and "
                "that the provider's credentials are valid.",
            ) from None
        if isinstance(exc, NotFoundError):
            raise operation_error(
                action, exc, f"The provider {provider_id} does not exist; check provider_id."
            ) from None
        raise operation_error(action, exc, base_url=client.base_url) from None

    opted_in = bool(props.get("adopt")) or adopt_existing()
    if opted_in:
        # The user opted in: look first (from shared pages when many numbers adopt at once), so
        # an existing number is adopted without a POST that could only answer 409.
        try:
            existing = SESSION.numbers.find(
                client, number, provider_id, lambda: find_number(client, number)
            )
        except CartesiaError as exc:
            raise operation_error(action, exc, base_url=client.base_url) from None
        if existing is not None:
            model = adopt(existing)
            if model is not existing:
                SESSION.wrote(model)
            verify.remember_exists("number", model.id)
            return Created(model.id, outputs(model, props, adopted=True))

    model, adopted = create_owned(
        client,
        CreateSpec(
            action=action,
            post=post,
            find=lambda: find_number(client, number),
            proof=proof,
            adopt=adopt,
            opted_in=opted_in,
            name=lambda m: m.id,
            refused=refused,
            conflict_hint=(
                "To manage it with this stack set adopt=True on this PhoneNumber (its label and "
                "provider are then set from this program; the agent is left alone), or delete it "
                "in the Cartesia console first. If an interrupted `pulumi up` of this stack "
                f"imported it, run `{TAKEOVER}` once."
            ),
        ),
    )
    SESSION.wrote(model)
    verify.remember_exists("number", model.id)
    return Created(model.id, outputs(model, props, adopted=adopted))


def update(id: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
    """Rename and/or move the number: one PATCH with only what changed."""
    client = SESSION.client()
    action = f"Updating phone number {news.get('number')} ({id})"
    label: str | NotGiven = news["label"] if SCHEMA.changed(olds, news, "label") else NOT_GIVEN
    provider: str | NotGiven = (
        news["provider_id"] if SCHEMA.changed(olds, news, "provider_id") else NOT_GIVEN
    )
    try:
        if label is NOT_GIVEN and provider is NOT_GIVEN:
            model = client.phone_numbers.get(id)
        else:
            model = client.phone_numbers.update(id, label=label, provider_id=provider)
            SESSION.wrote(model)
    except BadRequestError as exc:
        hint = ""
        if provider is not NOT_GIVEN:
            hint = (
                f"To move it to provider {provider}, the number must exist in that provider's "
                "Twilio account; add it there first. Nothing was changed."
            )
        raise operation_error(action, exc, hint) from None
    except NotFoundError as exc:
        raise operation_error(
            action,
            exc,
            "The number or the target provider no longer exists; run `pulumi refresh`, then "
            "`pulumi up`.",
        ) from None
    except CartesiaError as exc:
        raise operation_error(action, exc, base_url=client.base_url) from None
    return outputs(model, news, adopted=bool(olds.get("adopted", False)))


def read(id: str, props: dict[str, Any]) -> Refreshed:
    """Refresh from Cartesia (from a shared page of the provider's numbers when cheaper); 404 →
    gone."""
    provider_id = props.get("provider_id")
    scope = ("provider", provider_id) if isinstance(provider_id, str) and provider_id else None
    try:
        model = SESSION.number(id, scope)
    except CartesiaError as exc:
        raise operation_error(
            f"Refreshing phone number {props.get('number')} ({id})",
            exc,
            base_url=SESSION.settings.base_url,
            refresh=True,
        ) from None
    if model is None:
        return Refreshed.gone()
    outs = outputs(model, props, adopted=bool(props.get("adopted", False)))
    return Refreshed(id, outs, SCHEMA.inputs_from(outs))


def delete(id: str, props: dict[str, Any]) -> None:
    """DELETE first; read only when Cartesia refuses, to name the agent that still holds it.

    A GET beforehand would cost one request per number on every destroy to pre-empt a refusal the
    API makes anyway (R12: 400 while assigned).
    """
    client = SESSION.client()
    action = f"Deleting phone number {props.get('number') or id} ({id})"
    try:
        client.phone_numbers.delete(id)
        SESSION.forget(id)
    except NotFoundError:
        SESSION.forget(id)
        return
    except BadRequestError as refusal:
        try:
            model: PhoneNumberModel | None = client.phone_numbers.get(id)
        except NotFoundError:
            return
        except CartesiaError:
            model = None
        if model is not None and model.agent is not None:
            agent = model.agent
            name = f" ({agent.name})" if agent.name else ""
            raise CartesiaResourceError(
                f"{action} failed: it is still assigned to agent {agent.id}{name}. Remove the "
                "NumberAssignment that assigns it (or unassign the number in the Cartesia "
                "console), then run the operation again."
            ) from None
        raise operation_error(
            action,
            refusal,
            "If an agent was assigned meanwhile, unassign it (remove its NumberAssignment or "
            "unassign in the Cartesia console) and run the operation again.",
        ) from None
    except CartesiaError as exc:
        raise operation_error(action, exc, base_url=client.base_url, refresh=True) from None
