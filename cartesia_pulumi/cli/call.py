"""``cartesia-pulumi call``: place test calls from an imported number, through its provider.

    CARTESIA_API_KEY=… cartesia-pulumi call --from +14155550100 [--agent agent_…] +14155550199 …

``--from`` is the number (E.164, looked up with one list request) or its id. The calls are
answered by ``--agent`` or, without it, the agent the number is assigned to. Cartesia places them
through the number's provider, so through that provider's Twilio region (us1 through the US edge,
ie1 through Ireland, au1 through Australia); each target's line says which.

Exit codes: 0 every call placed, 3 at least one target failed, 1 Cartesia refused or could not be
reached, 2 bad usage. Requests: a number lookup (a list page, or one GET by id) and one
``POST /agents/calls`` — never repeated after an ambiguous failure, so nobody is rung twice.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from cartesia_pulumi.cli._common import (
    API_FAILED,
    OK,
    PROBLEMS,
    CommandError,
    add_connection_arguments,
    api_failure,
    client_from,
)
from cartesia_pulumi.client import (
    BadRequestError,
    CartesiaClient,
    CartesiaError,
    NotFoundError,
    PermissionDeniedError,
    PhoneNumberModel,
)
from cartesia_pulumi.core.fields import Invalid
from cartesia_pulumi.core.phone_number import find_number, normalise_number


def _e164(value: str, what: str) -> str:
    try:
        return normalise_number(what, value)
    except Invalid as exc:
        raise CommandError(str(exc)) from None


def resolve_number(client: CartesiaClient, ref: str) -> PhoneNumberModel:
    """The number ``--from`` names: an E.164 number (any usual spelling) or an id."""
    try:
        if ref.strip().startswith("+"):
            number = _e164(ref, "--from")
            found = find_number(client, number)
            if found is None:
                raise CommandError(
                    f"--from {number} is not imported in this Cartesia organisation; import it "
                    "(a PhoneNumber) first.",
                    API_FAILED,
                )
            return found
        return client.phone_numbers.get(ref.strip())
    except NotFoundError:
        raise CommandError(f"--from {ref} is not a phone number of this organisation.", API_FAILED) from None
    except CartesiaError as exc:
        raise api_failure(f"Looking up {ref}", exc) from None


def build_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``call``."""
    p = sub.add_parser("call", help="place test calls from an imported number")
    p.add_argument("--from", dest="from_", required=True, metavar="NUMBER_OR_ID")
    p.add_argument("--agent", help="agent that handles the calls (default: the number's agent)")
    p.add_argument("--ringing-timeout", type=int, metavar="SECONDS", help="5-80 (default 60)")
    p.add_argument("--metadata", help="JSON object passed to the agent with each call")
    p.add_argument("targets", nargs="+", metavar="E164", help="numbers to call")
    add_connection_arguments(p)
    p.set_defaults(command=call)


def call(args: argparse.Namespace) -> int:
    """The ``call`` command."""
    targets = [_e164(t, "target") for t in args.targets]
    metadata: dict[str, Any] | None = None
    if args.metadata:
        try:
            metadata = json.loads(args.metadata)
        except json.JSONDecodeError:
            raise CommandError("--metadata must be a JSON object, e.g. '{\"ticket\": 42}'.") from None
        if not isinstance(metadata, dict):
            raise CommandError("--metadata must be a JSON object, e.g. '{\"ticket\": 42}'.")
    if args.ringing_timeout is not None and not 5 <= args.ringing_timeout <= 80:
        raise CommandError("--ringing-timeout must be between 5 and 80 seconds.")
    with client_from(args) as client:
        number = resolve_number(client, args.from_)
        agent = args.agent or number.agent_id
        if not agent:
            raise CommandError(
                f"{number.number} is not assigned to an agent; pass --agent, or assign one "
                "(a NumberAssignment) first."
            )
        provider = number.provider
        region = provider.region if provider and provider.region else "?"
        via = f"Twilio {region}" + (f", provider {provider.id}" if provider and provider.id else "")
        try:
            result = client.calls.create(
                from_number_id=number.id,
                agent_id=agent,
                to=targets,
                metadata=metadata,
                ringing_timeout_seconds=args.ringing_timeout,
            )
        except NotFoundError as exc:
            raise CommandError(
                f"Calling from {number.number} failed: Cartesia does not know agent {agent} or the "
                f"number ({exc.message or exc.title}).",
                API_FAILED,
            ) from None
        except (BadRequestError, PermissionDeniedError) as exc:
            raise CommandError(
                f"Calling from {number.number} ({via}) failed: {exc.message or exc.title}",
                API_FAILED,
            ) from None
        except CartesiaError as exc:
            raise api_failure(f"Calling from {number.number}", exc) from None
    failed = 0
    for entry in result.calls:
        if entry.placed:
            print(f"{entry.number}: call {entry.agent_call_id} placed from {number.number} via {via}")
        else:
            failed += 1
            print(f"{entry.number}: not placed from {number.number} via {via}: {entry.error_message}")
    return OK if failed == 0 else PROBLEMS
