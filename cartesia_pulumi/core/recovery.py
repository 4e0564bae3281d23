"""One create path for objects whose create may be lost: prove what happened, never guess.

A create (POST) can end ambiguously — a 5xx, a dropped connection, a timeout, a 2xx whose body
cannot be read — and the object may or may not exist afterwards. Looking it up and taking whatever
matches is theft: another stack may own an identical object (docs/pulumi-notes.md D-4). So
`create_owned` follows one rule:

* An object that existed **before this create began** is never taken over unless the user opted in
  (``adopt=True`` or ``CARTESIA_ADOPT_EXISTING=1``).
* After an ambiguous outcome the object is looked up (retrying within the client's deadline) and
  the resource's own ``proof`` decides: `Proof.OURS` (created by this request), `Proof.OLDER`
  (provably existed before it) or `Proof.UNPROVEN`. Only `Proof.OURS` is taken silently; otherwise
  the error names the object and the one command that takes it over.
* When the lookup shows nothing was created, the POST is repeated (a bounded number of times,
  within the deadline).

What counts as proof is the resource's business (each states why it is sound): phone numbers
compare ``created_at`` with the server's own clock (`cartesia_pulumi.client.ServerClock`),
providers — which carry no timestamps but are few — are listed before the POST.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, NoReturn, TypeVar

from cartesia_pulumi.client import (
    APIStatusError,
    CartesiaClient,
    CartesiaError,
    ConflictError,
    RateLimitError,
    is_ambiguous,
)
from cartesia_pulumi.core.errors import CartesiaResourceError, operation_error

M = TypeVar("M")

#: POSTs one create sends at most (each repeat only after a lookup showed nothing was created).
MAX_POSTS = 5

TAKEOVER = "CARTESIA_ADOPT_EXISTING=1 pulumi up"


class Proof(enum.Enum):
    """What the evidence says about an object found after an ambiguous create."""

    OURS = "was created by this request"
    OLDER = "was created before this request"
    UNPROVEN = "cannot be shown to be this request's"


@dataclass(frozen=True)
class Evidence:
    """What the create knows about its own requests.

    Attributes:
        first_ambiguous_at: Local monotonic time just before the first POST whose outcome is
            unknown (the earliest moment this create could have made the object), or ``None``
            when every POST so far was answered.
        cause: That POST's error, for messages.
    """

    first_ambiguous_at: float | None
    cause: CartesiaError | None


@dataclass(frozen=True)
class CreateSpec(Generic[M]):
    """How one resource creates, finds, proves and adopts its object.

    Attributes:
        action: Operation for messages, e.g. ``"Importing phone number +14155550100"``.
        post: Sends the create (one POST; the client repeats it only when provably unprocessed).
        find: Looks the object up by its identity (number; account + region); ``None`` if absent.
        proof: Judges a found object against the `Evidence`.
        adopt: Takes over an existing object (the user opted in).
        opted_in: Whether adoption is allowed (``adopt=True`` or ``CARTESIA_ADOPT_EXISTING``).
        name: Describes a found object, e.g. ``"ap_123"``.
        refused: Maps a definite (non-ambiguous) refusal to the resource's own error.
        conflict_hint: What to do about an existing object that is not ours.
    """

    action: str
    post: Callable[[], M]
    find: Callable[[], M | None]
    proof: Callable[[M, Evidence], Proof]
    adopt: Callable[[M], M]
    opted_in: bool
    name: Callable[[M], str]
    refused: Callable[[CartesiaError], NoReturn]
    conflict_hint: str


def create_owned(client: CartesiaClient, spec: CreateSpec[M]) -> tuple[M, bool]:
    """Create the object, or prove which existing object is this create's own.

    Returns:
        The object and whether it was adopted (an existing object taken over by opt-in).

    Raises:
        CartesiaResourceError: with one sentence naming the object and what to do.
    """
    started = client.clock()
    with client.operation(started):
        return _create_owned(client, spec, started)


def _create_owned(client: CartesiaClient, spec: CreateSpec[M], started: float) -> tuple[M, bool]:
    evidence = Evidence(None, None)
    for attempt in range(MAX_POSTS):
        sent_at = client.clock()
        try:
            return spec.post(), False
        except ConflictError:
            existing = _find(client, spec, started, evidence)
            if existing is None:
                # Gone between the 409 and the lookup (deleted meanwhile): try again.
                if not client.wait_to_retry(attempt, started):
                    break
                continue
            if evidence.first_ambiguous_at is not None and (
                spec.proof(existing, evidence) is Proof.OURS
            ):
                return existing, False
            if spec.opted_in:
                return spec.adopt(existing), True
            _refuse_existing(spec, existing, evidence)
        except CartesiaError as exc:
            if not is_ambiguous(exc):
                spec.refused(exc)
            if evidence.first_ambiguous_at is None:
                evidence = Evidence(sent_at, exc)
            existing = _find(client, spec, started, evidence)
            if existing is not None:
                if spec.proof(existing, evidence) is Proof.OURS:
                    return existing, False
                if spec.opted_in:
                    return spec.adopt(existing), True
                _refuse_existing(spec, existing, evidence)
            # Verified absent: the POST was not applied, so sending it again is safe.
            if not client.wait_to_retry(attempt, started):
                break
    cause = evidence.cause
    assert cause is not None
    raise operation_error(
        spec.action,
        cause,
        "A lookup confirmed that nothing was created; run `pulumi up` again.",
        base_url=client.base_url,
    )


def _find(client: CartesiaClient, spec: CreateSpec[M], started: float, evidence: Evidence) -> M | None:
    """``spec.find()``, repeated within the deadline while the API does not answer."""
    attempt = 0
    while True:
        try:
            return spec.find()
        except CartesiaError as exc:
            definite = isinstance(exc, APIStatusError) and not (
                isinstance(exc, RateLimitError) or exc.status_code >= 500
            )
            if definite or not client.wait_to_retry(attempt, started):
                _lookup_failed(spec, exc, evidence, client.base_url)
            attempt += 1


def _lookup_failed(
    spec: CreateSpec[M], exc: CartesiaError, evidence: Evidence, base_url: str
) -> NoReturn:
    if evidence.first_ambiguous_at is None:
        raise operation_error(spec.action, exc, base_url=base_url) from None
    raise CartesiaResourceError(
        f"{spec.action}: the outcome is unknown — the create got no usable answer "
        f"({evidence.cause}) and looking it up failed too ({exc}). Once the Cartesia API "
        "answers again, run `pulumi up`: if the object was created meanwhile, that run names it "
        f"and the command that takes it over (`{TAKEOVER}`)."
    ) from None


def _refuse_existing(spec: CreateSpec[M], existing: M, evidence: Evidence) -> NoReturn:
    if evidence.first_ambiguous_at is None:
        raise CartesiaResourceError(
            f"{spec.action} failed: it already exists in Cartesia as {spec.name(existing)} (409). "
            f"{spec.conflict_hint}"
        )
    why = spec.proof(existing, evidence).value
    raise CartesiaResourceError(
        f"{spec.action}: the create got no usable answer ({evidence.cause}), and "
        f"{spec.name(existing)} exists but {why}, so this stack does not take it. If no other "
        f"stack manages it, take it over with `{TAKEOVER}` once (or adopt=True); otherwise remove "
        "it from this program."
    )
