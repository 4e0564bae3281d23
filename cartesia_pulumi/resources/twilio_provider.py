"""``TwilioProvider``: a Cartesia phone-number provider linking one Twilio account and region.

Rules this resource is built around (cartesia-api.md §2.2-2.5, §4.1):

* ``account_sid`` is the link's identity and cannot be PATCHed: a change replaces.
* Key SID, secret and region change in place with one PATCH that always sends ``type``, both
  key fields and the region; Cartesia validates them against Twilio and refuses with 400
  (``unreachable_numbers``) if numbers on the provider would become unreachable (R3).
* The API returns the key SID masked (R4) and never the secret: state keeps our input value
  and the secret (as a Pulumi secret); the masked value is an output of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult

from cartesia_pulumi.client import (
    APIConnectionError,
    BadRequestError,
    CartesiaClient,
    CartesiaError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    TwilioProviderModel,
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
    Schema,
    boolean,
    non_empty_string,
    one_of,
    pattern,
    secret_string,
)

REGIONS = ("us1", "ie1", "au1")

SCHEMA = Schema(
    fields=(
        Field("account_sid", "replace"),
        Field("api_key_sid", "update"),
        Field("api_key_secret", "update", secret=True),
        Field("region", "update", default="us1"),
        Field("label", "update"),
        Field("adopt", "create_only", default=False),
        Field("masked_api_key_sid", "output"),
        Field("adopted", "output", default=False),
        Field("schema_version", "output", default=SCHEMA_VERSION),
    )
)

_CREATE_ATTEMPTS = 3


def mask_matches(masked: str | None, sid: str | None) -> bool:
    """Whether the server's masked key SID can be ``sid``: same length, visible chars equal."""
    if not masked or not sid or len(masked) != len(sid):
        return False
    return all(m == "*" or m == s for m, s in zip(masked, sid, strict=True))


def _describe(props: dict[str, Any]) -> str:
    return f"Twilio provider for account {props.get('account_sid')} ({props.get('region', 'us1')})"


class TwilioProviderLifecycle(LifecycleBase):
    """Create/read/update/delete of a Cartesia Twilio provider. Holds no state."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        c = Checker("TwilioProvider", news)
        c.take(
            "account_sid",
            pattern(r"AC[0-9a-fA-F]{32}", "a Twilio account SID: 'AC' followed by 32 hex digits"),
            hint="Use the Account SID from the Twilio console (AC...).",
        )
        c.take(
            "api_key_sid",
            pattern(r"SK[0-9a-fA-F]{32}", "a Twilio API key SID: 'SK' followed by 32 hex digits"),
            hint="Create a Standard API key in Twilio (in the provider's region) and use its SID.",
        )
        c.take(
            "api_key_secret",
            secret_string,
            hint="Pass the Twilio API key secret, e.g. from config --secret.",
        )
        c.take(
            "region",
            one_of(REGIONS, "Non-US regions need a Twilio API key created in that region."),
            default="us1",
        )
        c.take("label", non_empty_string, required=False)
        c.take("adopt", boolean, default=False)
        return CheckResult(c.inputs, c.failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return SCHEMA.diff(olds, news)

    # -- create ---------------------------------------------------------------------------

    def create(self, props: dict[str, Any]) -> CreateResult:
        client = get_client()
        action = f"Creating the {_describe(props)}"
        lost: CartesiaError | None = None
        for attempt in range(_CREATE_ATTEMPTS):
            try:
                model = client.providers.create(
                    account_sid=props["account_sid"],
                    api_key_sid=props["api_key_sid"],
                    api_key_secret=props["api_key_secret"],
                    region=props.get("region") or "us1",
                    label=props.get("label"),
                )
                return self._result(model, props, adopted=False)
            except ConflictError as exc:
                if lost is not None:
                    # A previous attempt may have been applied and its response lost.
                    found = self._find_ours(client, props, action)
                    if found is not None:
                        return self._result(found, props, adopted=False)
                if props.get("adopt") or adopt_existing():
                    return self._adopt(client, props)
                raise CartesiaResourceError(
                    f"{action} failed: Cartesia already has a Twilio provider for account "
                    f"{props['account_sid']} in region {props.get('region', 'us1')} (409). To manage "
                    "the existing one with this stack, set adopt=True on this TwilioProvider "
                    "(its credentials are then replaced by the ones given here); otherwise "
                    "delete it in the Cartesia console or use another region. If an interrupted "
                    "`pulumi up` created it, run `CARTESIA_ADOPT_EXISTING=1 pulumi up` once."
                ) from exc
            except BadRequestError as exc:
                raise operation_error(
                    action,
                    exc,
                    "Check that the API key SID and secret belong to this Twilio account, are "
                    "not revoked, and that the key was created in this region.",
                ) from exc
            except (APIConnectionError, InternalServerError) as exc:
                # The POST may have been applied with the response lost (pitfalls A-16): look
                # the provider up by identity before trying again, so no duplicate is made.
                lost = exc
                found = self._find_ours(client, props, action)
                if found is not None:
                    return self._result(found, props, adopted=False)
                if attempt + 1 < _CREATE_ATTEMPTS:
                    client.sleep(client.retry_policy.delay(attempt))
            except CartesiaError as exc:
                raise operation_error(action, exc) from exc
        assert lost is not None
        raise operation_error(action, lost, "Nothing was created; run `pulumi up` again.") from lost

    def _find_ours(
        self, client: CartesiaClient, props: dict[str, Any], action: str
    ) -> TwilioProviderModel | None:
        """The provider matching exactly what we sent (account, region, key SID, label)."""
        try:
            candidates = client.providers.list(account_sid=props["account_sid"])
        except CartesiaError as exc:
            raise operation_error(action, exc, "Run `pulumi refresh`, then `pulumi up`.") from exc
        for p in candidates:
            if (
                p.account_sid == props["account_sid"]
                and p.region == (props.get("region") or "us1")
                and mask_matches(p.api_key_sid, props["api_key_sid"])
                and (p.label or None) == (props.get("label") or None)
            ):
                return p
        return None

    def _adopt(self, client: CartesiaClient, props: dict[str, Any]) -> CreateResult:
        """Take over the existing provider for (account, region) and set our credentials.

        The secret cannot be read back, so adoption always PATCHes the given credentials
        (pitfalls A-4): state then holds exactly what Cartesia has.
        """
        action = f"Adopting the existing {_describe(props)}"
        region = props.get("region") or "us1"
        try:
            existing = [
                p
                for p in client.providers.list(account_sid=props["account_sid"])
                if p.region == region
            ]
        except CartesiaError as exc:
            raise operation_error(action, exc) from exc
        if not existing:
            raise CartesiaResourceError(
                f"{action} failed: Cartesia reported a conflict but lists no provider for that "
                "account and region; run `pulumi up` again."
            )
        target = existing[0]
        try:
            label: Any = props.get("label")
            model = client.providers.update(
                target.id,
                api_key_sid=props["api_key_sid"],
                api_key_secret=props["api_key_secret"],
                region=region,
                **({"label": label} if label is not None else {}),
            )
        except BadRequestError as exc:
            raise self._rejected(action, exc) from exc
        except CartesiaError as exc:
            raise operation_error(action, exc) from exc
        return self._result(model, props, adopted=True)

    def _result(
        self, model: TwilioProviderModel, props: dict[str, Any], *, adopted: bool
    ) -> CreateResult:
        return CreateResult(model.id, self._outs(model, props, adopted=adopted))

    @staticmethod
    def _outs(
        model: TwilioProviderModel, props: dict[str, Any], *, adopted: bool
    ) -> dict[str, Any]:
        label = props.get("label")
        return {
            "account_sid": model.account_sid or props.get("account_sid"),
            # Our own (unmasked) key SID: the server only returns a masked one (R4).
            "api_key_sid": props.get("api_key_sid"),
            # Stored under its input key so the engine keeps it secret (pitfalls B-6).
            "api_key_secret": props.get("api_key_secret"),
            "region": model.region or props.get("region") or "us1",
            # Fall back to ours if the API version does not return provider labels (S1).
            "label": model.label if model.label is not None else label,
            "adopt": bool(props.get("adopt", False)),
            "masked_api_key_sid": model.api_key_sid,
            "adopted": adopted,
            "schema_version": SCHEMA_VERSION,
        }

    # -- update ---------------------------------------------------------------------------

    @staticmethod
    def _rejected(action: str, exc: BadRequestError) -> CartesiaResourceError:
        numbers = exc.unreachable_numbers
        if numbers:
            return CartesiaResourceError(
                f"{action} failed: Cartesia refused the new Twilio credentials because these "
                f"numbers would be unreachable with them: {', '.join(numbers)}. Nothing was "
                "changed. Add those numbers to the Twilio account the new key belongs to (or "
                "move them to another TwilioProvider first), then run `pulumi up` again."
            )
        return operation_error(
            action,
            exc,
            "Nothing was changed. Check that the new API key SID and secret belong to this "
            "Twilio account, are not revoked, and that the key was created in this region.",
        )

    def update(self, id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        client = get_client()
        action = f"Updating the credentials of the {_describe(news)} ({id})"
        label: Any = news.get("label")
        label_kwargs = {"label": label} if label != olds.get("label") else {}
        try:
            model = client.providers.update(
                id,
                api_key_sid=news["api_key_sid"],
                api_key_secret=news["api_key_secret"],
                region=news.get("region") or "us1",
                **label_kwargs,
            )
        except BadRequestError as exc:
            raise self._rejected(action, exc) from exc
        except NotFoundError as exc:
            raise operation_error(
                action,
                exc,
                "It was deleted outside Pulumi; run `pulumi refresh`, then `pulumi up`.",
            ) from exc
        except ConflictError as exc:
            raise operation_error(
                action,
                exc,
                "Another provider already links this account in that region; delete it or "
                "choose another region.",
            ) from exc
        except CartesiaError as exc:
            raise operation_error(action, exc) from exc
        outs = self._outs(model, news, adopted=bool(olds.get("adopted", False)))
        outs["adopt"] = bool(news.get("adopt", olds.get("adopt", False)))
        return UpdateResult(outs)

    # -- read -----------------------------------------------------------------------------

    def read(self, id: str, props: dict[str, Any]) -> ReadResult:
        client = get_client()
        try:
            model = client.providers.get(id)
        except NotFoundError:
            return ReadResult("", {})
        except CartesiaError as exc:
            raise operation_error(f"Refreshing the Twilio provider {id}", exc) from exc
        ours = props.get("api_key_sid")
        # Someone rotated the key in the console if the masked SID no longer fits ours: report
        # the server's (masked) value so the next preview shows an update (drift).
        key_sid = ours if mask_matches(model.api_key_sid, ours) else model.api_key_sid
        outs = {
            "account_sid": model.account_sid or props.get("account_sid"),
            "api_key_sid": key_sid,
            "api_key_secret": props.get("api_key_secret"),
            "region": model.region,
            "label": model.label if model.label is not None else props.get("label"),
            "adopt": bool(props.get("adopt", False)),
            "masked_api_key_sid": model.api_key_sid,
            "adopted": bool(props.get("adopted", False)),
            "schema_version": SCHEMA_VERSION,
        }
        return ReadResult(id, outs, inputs=SCHEMA.inputs_from(outs))

    # -- delete ---------------------------------------------------------------------------

    def delete(self, id: str, props: dict[str, Any]) -> None:
        client = get_client()
        action = f"Deleting the {_describe(props)} ({id})"
        try:
            client.providers.delete(id)
        except NotFoundError:
            return
        except ConflictError as exc:
            try:
                numbers = [n.number for n in client.phone_numbers.iter(provider_id=id)]
            except CartesiaError:
                numbers = []
            using = ", ".join(numbers) if numbers else "some phone numbers"
            raise CartesiaResourceError(
                f"{action} failed: it is still used by {using}. Delete those PhoneNumbers or "
                "move them to another TwilioProvider (change their provider_id) first, then "
                "run the operation again."
            ) from exc
        except CartesiaError as exc:
            raise operation_error(action, exc) from exc


@dataclass
class TwilioProviderArgs:
    """Inputs of a `TwilioProvider`."""

    account_sid: pulumi.Input[str]
    """Twilio account (or subaccount) SID, ``AC`` + 32 hex digits. Changing it replaces the provider."""
    api_key_sid: pulumi.Input[str]
    """SID of a Twilio Standard API key (``SK`` + 32 hex) created in ``region``. Updatable in place."""
    api_key_secret: pulumi.Input[str]
    """Secret of that API key. Always stored as a Pulumi secret. Updatable in place."""
    region: pulumi.Input[str] | None = None
    """Twilio region of the API key: ``us1`` (default), ``ie1`` or ``au1``. Updatable in place."""
    label: pulumi.Input[str] | None = None
    """Optional human-readable label."""
    adopt: pulumi.Input[bool] | None = None
    """If true and Cartesia already has a provider for this account and region, take it over
    (setting the credentials given here) instead of failing with a conflict."""


class TwilioProvider(Resource, module="cartesia", name="TwilioProvider"):
    """Links a Twilio account to Cartesia so its phone numbers can be imported.

    One provider exists per Twilio account SID and region. Rotating the API key (changing
    ``api_key_sid``/``api_key_secret``) or changing the region is an in-place update that
    Cartesia validates against Twilio; if numbers on the provider would become unreachable the
    update fails, names them, and nothing changes. Changing ``account_sid`` replaces it.

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

    ## Adoption

    ``pulumi import`` does not work for dynamic resources (pulumi/pulumi#16175). To manage a
    provider that already exists in Cartesia, declare it with the same account SID and region
    and ``adopt=True``; the first ``pulumi up`` takes it over (``adopted`` is then true) and
    sets the credentials given here.

    The Cartesia API key comes from ``cartesia:apiKey`` (secret) or ``CARTESIA_API_KEY`` and
    is never stored in state.
    """

    account_sid: pulumi.Output[str]
    """Twilio account SID."""
    api_key_sid: pulumi.Output[str]
    """The Twilio API key SID given as input (unmasked). After a refresh that found the key
    rotated outside Pulumi it holds the server's masked value until the next update."""
    api_key_secret: pulumi.Output[str]
    """The Twilio API key secret (secret output)."""
    region: pulumi.Output[str]
    """Twilio region: ``us1``, ``ie1`` or ``au1``."""
    label: pulumi.Output[str | None]
    """Label, if any."""
    adopt: pulumi.Output[bool]
    """The ``adopt`` input as given."""
    masked_api_key_sid: pulumi.Output[str]
    """The key SID as Cartesia returns it (partially masked). Never causes a diff."""
    adopted: pulumi.Output[bool]
    """True if the provider existed before and was taken over with ``adopt=True``."""
    schema_version: pulumi.Output[int]
    """Version of this resource's state layout."""

    def __init__(
        self,
        resource_name: str,
        args: TwilioProviderArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        account_sid: pulumi.Input[str] | None = None,
        api_key_sid: pulumi.Input[str] | None = None,
        api_key_secret: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        label: pulumi.Input[str] | None = None,
        adopt: pulumi.Input[bool] | None = None,
    ) -> None:
        a = args or TwilioProviderArgs(account_sid=None, api_key_sid=None, api_key_secret=None)  # type: ignore[arg-type]
        secret = api_key_secret if api_key_secret is not None else a.api_key_secret
        props: dict[str, Any] = {
            "account_sid": account_sid if account_sid is not None else a.account_sid,
            "api_key_sid": api_key_sid if api_key_sid is not None else a.api_key_sid,
            "api_key_secret": pulumi.Output.secret(secret) if secret is not None else None,
            "region": region if region is not None else a.region,
            "label": label if label is not None else a.label,
            "adopt": adopt if adopt is not None else a.adopt,
            "masked_api_key_sid": None,
            "adopted": None,
            "schema_version": None,
        }
        opts = pulumi.ResourceOptions.merge(
            opts, pulumi.ResourceOptions(additional_secret_outputs=["api_key_secret"])
        )
        super().__init__(TwilioProviderLifecycle(), resource_name, props, opts)
