"""TwilioProvider operations: a Cartesia phone-number provider linking one Twilio account + region.

Rules this resource is built around (docs/cartesia-api.md §2.2-2.5, §2.17, §4.1):

* ``account_sid`` is the link's identity and cannot be PATCHed: a change replaces.
* Key SID, secret and region change in place with one PATCH that always sends ``type``, both key
  fields and the region; Cartesia validates them against Twilio and refuses with 400
  (``unreachable_numbers``) when numbers on the provider would become unreachable (R3).
* The API returns the key SID masked (R4) and never the secret: state keeps our input value and
  the secret (as a Pulumi secret); the masked value is an output of its own.
* ``label`` is set at creation only: the published schema of the Twilio-provider PATCH has no
  ``label`` (§2.17), so a changed label is refused by ``check`` with a sentence saying so instead
  of being diffed forever.

Ownership after a lost create: providers carry no timestamps, but there is at most one per
account and region (R2) and an organisation has few, so the provider list is read **before** the
POST. A provider for the account and region that was not in that list when the create began, and
that carries our key SID (as far as the mask shows) and label, can only have been made by this
create's POST or by a concurrent create of the very same link racing it within that request's
round trips — which Cartesia's uniqueness rule would have answered with a 409 to one of the two.
"""

from __future__ import annotations

from typing import Any

from cartesia_pulumi._redact import remember
from cartesia_pulumi._types import DEFAULT_REGION, REGIONS
from cartesia_pulumi.client import (
    BadRequestError,
    CartesiaClient,
    CartesiaError,
    ConflictError,
    NotFoundError,
    TwilioProviderModel,
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
    Refreshed,
    Schema,
    boolean,
    is_unknown,
    non_empty_string,
    one_of,
    pattern,
    secret_string,
)
from cartesia_pulumi.core.recovery import TAKEOVER, CreateSpec, Evidence, Proof, create_owned
from cartesia_pulumi.core.session import SESSION, adopt_existing

SCHEMA = Schema(
    resource="TwilioProvider",
    fields=(
        Field(
            "account_sid",
            "replace",
            pattern(r"AC[0-9a-fA-F]{32}", "a Twilio account SID: 'AC' followed by 32 hex digits"),
            hint="Use the Account SID from the Twilio console (AC...).",
        ),
        Field(
            "api_key_sid",
            "update",
            pattern(r"SK[0-9a-fA-F]{32}", "a Twilio API key SID: 'SK' followed by 32 hex digits"),
            hint="Create a Standard API key in Twilio (in the provider's region) and use its SID.",
        ),
        Field(
            "api_key_secret",
            "update",
            secret_string,
            secret=True,
            hint="Pass the Twilio API key secret, e.g. from `pulumi config set --secret`.",
        ),
        Field(
            "region",
            "update",
            one_of(REGIONS, "Non-US regions need a Twilio API key created in that region."),
            default=DEFAULT_REGION,
        ),
        Field("label", "create_only", non_empty_string, default=None),
        Field("adopt", "create_only", boolean, default=False),
        Field("masked_api_key_sid", "output"),
        Field("adopted", "output", default=False),
        Field("schema_version", "output", default=SCHEMA_VERSION),
    ),
)


def mask_matches(masked: str | None, sid: str | None) -> bool:
    """Whether the server's masked key SID can be ``sid``: same length, visible chars equal."""
    if not masked or not sid or len(masked) != len(sid):
        return False
    return all(m == "*" or m == s for m, s in zip(masked, sid, strict=True))


def describe(props: dict[str, Any]) -> str:
    """``Twilio provider for account AC… (us1)``."""
    region = props.get("region") or DEFAULT_REGION
    return f"Twilio provider for account {props.get('account_sid')} ({region})"


_CHECK_HINT = (
    "Check that the API key SID and secret belong to this Twilio account, are not revoked, and "
    "that the key was created in this region."
)


def check(olds: dict[str, Any], news: dict[str, Any], *, online: bool = True) -> Checked:
    """Validate every input on its own; refuse a label change of an existing provider; for a new
    link (or a new region) and ``online``, ask Cartesia whether one already exists
    (`cartesia_pulumi.core.verify`)."""
    result = SCHEMA.check(news)
    if online:
        verify.twilio_link_free(
            olds, result, lambda client, account: _listed(client, account, for_create=False)
        )
    old_label, new_label = olds.get("label"), result.inputs.get("label")
    same_link = olds.get("account_sid") == result.inputs.get("account_sid")
    if (
        olds
        and same_link
        and not is_unknown(new_label)
        and not is_unknown(old_label)
        and (old_label or None) != (new_label or None)
        and "label" not in {f.property for f in result.failures}
    ):
        result.failures.append(
            Failure(
                "label",
                f"TwilioProvider: label cannot change on an existing provider (from "
                f"{old_label!r} to {new_label!r}): Cartesia's API sets a Twilio provider's label "
                f"only when it is created. Keep label={old_label!r} in the program.",
            )
        )
    return result


def diff(olds: dict[str, Any], news: dict[str, Any]) -> Diff:
    """Derived from `SCHEMA`: ``account_sid`` replaces; key, secret and region update."""
    return SCHEMA.diff(olds, news)


def _outputs(
    model: TwilioProviderModel, props: dict[str, Any], *, adopted: bool
) -> dict[str, Any]:
    return {
        "account_sid": model.account_sid or props.get("account_sid"),
        # Our own (unmasked) key SID: the server only returns a masked one (R4).
        "api_key_sid": props.get("api_key_sid"),
        # Stored under its input key so the engine keeps it secret (docs/pulumi-notes.md B-6).
        "api_key_secret": props.get("api_key_secret"),
        "region": model.region or props.get("region") or DEFAULT_REGION,
        # The label Cartesia has; ours if this API version does not return provider labels (S1).
        "label": model.label if model.label is not None else props.get("label"),
        "adopt": bool(props.get("adopt", False)),
        "masked_api_key_sid": model.api_key_sid,
        "adopted": adopted,
        "schema_version": SCHEMA_VERSION,
    }


def _rejected(action: str, exc: BadRequestError) -> CartesiaResourceError:
    numbers = exc.unreachable_numbers
    if numbers:
        return CartesiaResourceError(
            f"{action} failed: Cartesia refused the new Twilio credentials because these numbers "
            f"would be unreachable with them: {', '.join(numbers)}. Nothing was changed. Add those "
            "numbers to the Twilio account the new key belongs to (or move them to another "
            "TwilioProvider first), then run `pulumi up` again."
        )
    return operation_error(action, exc, f"Nothing was changed. {_CHECK_HINT}")


#: How long the provider list ``check`` read answers for the ``create`` that follows it.
LIST_REUSE_SECONDS = 10.0


def _listed(client: CartesiaClient, account_sid: str, *, for_create: bool) -> list[TwilioProviderModel]:
    """The account's providers. ``check`` reads and keeps the list; the ``create`` that follows
    in the same process uses it once, if at most `LIST_REUSE_SECONDS` old.

    ``check`` runs just before ``create``, so its list is still a picture of what existed before
    the create began (the ownership proof's "before"), a few seconds older.
    """
    key = f"providers:{account_sid}"
    if for_create:
        kept = SESSION.take(key, LIST_REUSE_SECONDS)
        if isinstance(kept, list):
            return kept
        return client.providers.list(account_sid=account_sid)
    found = client.providers.list(account_sid=account_sid)
    SESSION.keep(key, found)
    return found


def _matching(client: CartesiaClient, account_sid: str, region: str) -> list[TwilioProviderModel]:
    return [p for p in client.providers.list(account_sid=account_sid) if p.region == region]


def create(props: dict[str, Any]) -> Created:
    """Link the account (one list, one POST), adopt by opt-in, and recover a lost create."""
    client = SESSION.client()
    remember(props.get("api_key_secret"))
    region = props.get("region") or DEFAULT_REGION
    account = props["account_sid"]
    action = f"Creating the {describe(props)}"
    opted_in = bool(props.get("adopt")) or adopt_existing()
    try:
        before = _listed(client, account, for_create=True)
    except CartesiaError as exc:
        raise operation_error(action, exc, base_url=client.base_url) from None
    before_ids = {p.id for p in before}

    def adopt(existing: TwilioProviderModel) -> TwilioProviderModel:
        # The secret cannot be read back, so adoption always PATCHes the given credentials
        # (docs/pulumi-notes.md A-4): state then holds exactly what Cartesia has.
        try:
            return client.providers.update(
                existing.id,
                api_key_sid=props["api_key_sid"],
                api_key_secret=props["api_key_secret"],
                region=region,
            )
        except BadRequestError as exc:
            raise _rejected(f"Adopting the existing {describe(props)} ({existing.id})", exc) from None
        except CartesiaError as exc:
            raise operation_error(f"Adopting the existing {describe(props)}", exc) from None

    hint = (
        "To manage the existing link with this stack, set adopt=True on this TwilioProvider (its "
        "credentials are then replaced by the ones given here); if another stack owns it, use its "
        "id from that stack (pulumi.StackReference) or lookup_twilio_provider() instead of "
        f"creating it; if an interrupted `pulumi up` of this stack created it, run `{TAKEOVER}` once."
    )
    same = [p for p in before if p.region == region]
    if same:
        if opted_in:
            verify.remember_exists("provider", same[0].id)
            return Created(same[0].id, _outputs(adopt(same[0]), props, adopted=True))
        raise CartesiaResourceError(
            f"{action} failed: Cartesia already has a Twilio provider for account {account} in "
            f"region {region} ({same[0].id}); there can be only one per account and region. {hint}"
        )

    def post() -> TwilioProviderModel:
        return client.providers.create(
            account_sid=account,
            api_key_sid=props["api_key_sid"],
            api_key_secret=props["api_key_secret"],
            region=region,
            label=props.get("label"),
        )

    def find() -> TwilioProviderModel | None:
        found = _matching(client, account, region)
        return found[0] if found else None

    def proof(model: TwilioProviderModel, _evidence: Evidence) -> Proof:
        if model.id in before_ids:
            return Proof.OLDER
        label = props.get("label")
        if not mask_matches(model.api_key_sid, props["api_key_sid"]) or (
            model.label is not None and (model.label or None) != (label or None)
        ):
            return Proof.UNPROVEN
        return Proof.OURS

    def refused(exc: CartesiaError) -> Any:
        if isinstance(exc, BadRequestError):
            raise operation_error(action, exc, _CHECK_HINT) from None
        raise operation_error(action, exc, base_url=client.base_url) from None

    model, adopted = create_owned(
        client,
        CreateSpec(
            action=action,
            post=post,
            find=find,
            proof=proof,
            adopt=adopt,
            opted_in=opted_in,
            name=lambda m: m.id,
            refused=refused,
            conflict_hint=hint,
        ),
    )
    verify.remember_exists("provider", model.id)
    return Created(model.id, _outputs(model, props, adopted=adopted))


def update(id: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
    """Rotate the key and/or move the region: one PATCH, validated by Cartesia."""
    client = SESSION.client()
    remember(news.get("api_key_secret"), olds.get("api_key_secret"))
    action = f"Updating the credentials of the {describe(news)} ({id})"
    try:
        model = client.providers.update(
            id,
            api_key_sid=news["api_key_sid"],
            api_key_secret=news["api_key_secret"],
            region=news.get("region") or DEFAULT_REGION,
        )
    except BadRequestError as exc:
        raise _rejected(action, exc) from None
    except NotFoundError as exc:
        raise operation_error(
            action, exc, "It was deleted outside Pulumi; run `pulumi refresh`, then `pulumi up`."
        ) from None
    except ConflictError as exc:
        raise operation_error(
            action,
            exc,
            "Another provider already links this account in that region; delete it or choose "
            "another region.",
        ) from None
    except CartesiaError as exc:
        raise operation_error(action, exc, base_url=client.base_url) from None
    outs = _outputs(model, news, adopted=bool(olds.get("adopted", False)))
    outs["adopt"] = bool(news.get("adopt", olds.get("adopt", False)))
    return outs


def read(id: str, props: dict[str, Any]) -> Refreshed:
    """Refresh from Cartesia; a console key rotation shows up as drift in ``api_key_sid``."""
    client = SESSION.client()
    try:
        model = client.providers.get(id)
    except NotFoundError:
        return Refreshed.gone()
    except CartesiaError as exc:
        raise operation_error(
            f"Refreshing the Twilio provider {id}", exc, base_url=client.base_url, refresh=True
        ) from None
    ours = props.get("api_key_sid")
    # Someone rotated the key in the console if the masked SID no longer fits ours: report the
    # server's (masked) value so the next preview shows an update (drift).
    key_sid = ours if mask_matches(model.api_key_sid, ours) else model.api_key_sid
    outs = _outputs(model, props, adopted=bool(props.get("adopted", False)))
    outs["api_key_sid"] = key_sid
    outs["region"] = model.region
    inputs = SCHEMA.inputs_from(outs)
    # The label is set at creation and never diffed; keep the program's value as the input.
    inputs["label"] = props.get("label") if "label" in props else outs["label"]
    return Refreshed(id, outs, inputs)


def delete(id: str, props: dict[str, Any]) -> None:
    """Delete the link; a 409 names the numbers that still use it."""
    client = SESSION.client()
    action = f"Deleting the {describe(props)} ({id})"
    try:
        client.providers.delete(id)
    except NotFoundError:
        return
    except ConflictError:
        try:
            numbers = [n.number for n in client.phone_numbers.iter(provider_id=id)]
        except CartesiaError:
            numbers = []
        using = ", ".join(numbers) if numbers else "some phone numbers"
        raise CartesiaResourceError(
            f"{action} failed: it is still used by {using}. Delete those PhoneNumbers or move them "
            "to another TwilioProvider (change their provider_id) first, then run the operation "
            "again."
        ) from None
    except CartesiaError as exc:
        raise operation_error(action, exc, base_url=client.base_url, refresh=True) from None
