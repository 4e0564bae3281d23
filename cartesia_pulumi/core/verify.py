"""Preview predicts ``up``: read-only checks that ``check`` runs for new or changed inputs.

``check`` is where Pulumi shows problems at ``pulumi preview``, one per field, before anything is
written. What can be known without writing is checked there — the agent exists, the provider a
number names exists, the Cartesia key is accepted — but only for resources that are new or whose
checked inputs changed: an unchanged stack's preview still makes no API request.

Each answer is remembered for the provider process (one lookup per distinct agent or provider).
A lookup that cannot be made (Cartesia unreachable, 5xx) means "cannot check", never "absent":
``up`` will find out. A rejected key is a definite answer and stops the preview with the sentence
``up`` would have ended with.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from cartesia_pulumi.client import (
    AuthenticationError,
    CartesiaClient,
    CartesiaError,
    NotFoundError,
    TwilioProviderModel,
)
from cartesia_pulumi.core.errors import operation_error
from cartesia_pulumi.core.fields import Checked, Failure
from cartesia_pulumi.core.session import SESSION, adopt_existing

_lock = threading.Lock()
_known: dict[tuple[str, str], bool] = {}
#: The organisation's agent ids, or False when the list cannot be had (asked once per process).
_agents: set[str] | bool | None = None


def remember_exists(kind: str, ident: str) -> None:
    """Record that this process knows ``ident`` exists (it created it, or saw it answered)."""
    with _lock:
        _known[(kind, ident)] = True


def forget_all() -> None:
    """Forget every answer (a new session)."""
    global _agents
    with _lock:
        _known.clear()
        _agents = None


def agent_exists(client: CartesiaClient, agent_id: str, action: str) -> bool | None:
    """Whether the organisation has agent ``agent_id``, from one ``GET /agents`` per process.

    A list, not ``GET /agents/{id}``: a 404 of the list itself (a route this API version does not
    serve) is "cannot check", never "no such agent".
    """
    global _agents
    with _lock:
        known = _agents
    if known is None:
        try:
            known = {a.id for a in client.agents.list()}
        except AuthenticationError as exc:
            raise operation_error(action, exc) from None
        except CartesiaError:
            known = False  # cannot check in this process; do not ask again for every agent
        with _lock:
            _agents = known
    if known is False or known is True:
        return None
    return agent_id in known


def exists(
    client: CartesiaClient, kind: str, ident: str, look: Callable[[], object], action: str
) -> bool | None:
    """Whether ``ident`` exists: True, False (a 404), or None (cannot check now).

    Raises:
        CartesiaResourceError: when Cartesia rejects the API key.
    """
    with _lock:
        if (kind, ident) in _known:
            return _known[(kind, ident)]
    try:
        look()
        answer: bool | None = True
    except NotFoundError:
        answer = False
    except AuthenticationError as exc:
        raise operation_error(action, exc) from None
    except CartesiaError:
        return None
    with _lock:
        _known[(kind, ident)] = bool(answer)
    return answer


def twilio_link_free(
    olds: dict[str, Any],
    result: Checked,
    listed: Callable[[CartesiaClient, str], list[TwilioProviderModel]],
) -> None:
    """A TwilioProvider's preview check: the key is accepted, and no other provider already holds
    this account and region (``listed`` reads the account's providers). Adds to ``result``."""
    inputs = result.inputs
    account, region = inputs.get("account_sid"), inputs.get("region")
    bad = {f.property for f in result.failures}
    if (
        not SESSION.settings.api_key
        or "account_sid" in bad
        or "region" in bad
        or not isinstance(account, str)
        or not isinstance(region, str)
    ):
        return
    is_new_link = not olds or olds.get("account_sid") != account
    if not is_new_link and olds.get("region") == region:
        return
    client = SESSION.client()
    try:
        same = [p for p in listed(client, account) if p.region == region]
    except AuthenticationError as exc:
        raise operation_error(
            f"Checking the Twilio provider for account {account} ({region})", exc
        ) from None
    except CartesiaError:
        return  # cannot check now; `up` will find out
    if not same:
        return
    if is_new_link and (inputs.get("adopt") is True or adopt_existing()):
        return
    other = same[0].id
    if is_new_link:
        reason = (
            f"Cartesia already has a Twilio provider for account {account} in region {region} "
            f"({other}). Set adopt=True to manage it with this stack, or use its id from the stack "
            "that owns it (pulumi.StackReference, or lookup_twilio_provider())."
        )
    else:
        reason = f"another provider ({other}) already links account {account} in region {region}."
    field = "region" if not is_new_link else "account_sid"
    result.failures.append(Failure(field, f"TwilioProvider: {reason}"))
