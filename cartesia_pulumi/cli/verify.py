"""``cartesia-pulumi verify``: after ``pulumi up``, check that the deployed routing still works.

    cartesia-pulumi verify --stack production [--cwd DIR] [--json]
    cartesia-pulumi verify --provider ata_… --number ap_…=agent_… [--number …]

With ``--stack`` it reads the stack's state (``pulumi stack export --show-secrets`` in ``--cwd``,
with the backend and passphrase of the environment, as ``pulumi up`` had them) and checks every
`TwilioProvider`, `PhoneNumber` and `NumberAssignment` in it. With ids it checks those.

Per provider: Cartesia still has it, in the recorded region, with the recorded key (by its
mask); and — with the key secret from the state — Twilio still accepts that key in that region
and which of the provider's numbers the account no longer owns (unreachable). Per number: it is
still imported, on its provider, and routes to the expected agent.

The only requests (all reads; nothing is changed):

* ``GET /agents/phone-numbers/providers/{id}`` — one per provider;
* ``GET /agents/phone-numbers?provider_id={id}&limit=100`` — one per provider per 100 numbers
  (a number not on its provider's list is read with ``GET /agents/phone-numbers/{id}``);
* Twilio ``GET /2010-04-01/Accounts/{sid}/IncomingPhoneNumbers.json?PageSize=1000`` at the
  region's edge, with the provider's own key — one per provider per 1,000 numbers
  (`cartesia_pulumi.client.twilio`).

Exit codes: 0 everything checked and fine, 3 problems found, 1 something could not be checked
(Cartesia or Twilio unreachable, the stack unreadable), 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import httpx

from cartesia_pulumi.cli._common import (
    API_FAILED,
    OK,
    PROBLEMS,
    CommandError,
    add_connection_arguments,
    api_failure,
    client_from,
    export_stack,
)
from cartesia_pulumi.client import CartesiaClient, CartesiaError, NotFoundError, PhoneNumberModel
from cartesia_pulumi.client.twilio import incoming_numbers
from cartesia_pulumi.core.twilio_provider import mask_matches


@dataclass
class ProviderRecord:
    """A provider as the stack recorded it."""

    id: str
    account_sid: str = ""
    region: str = "us1"
    api_key_sid: str = ""
    api_key_secret: str | None = None


@dataclass
class NumberRecord:
    """A number as the stack recorded it, with the agent its assignment expects."""

    id: str
    number: str = ""
    provider_id: str | None = None
    agent_id: str | None = None


@dataclass
class Report:
    """What verify found: per-object lines, problems, and what could not be checked."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)

    def ok(self, text: str) -> None:
        self.lines.append(f"ok       {text}")

    def problem(self, text: str) -> None:
        self.lines.append(f"PROBLEM  {text}")
        self.problems.append(text)

    def skip(self, text: str) -> None:
        self.lines.append(f"skipped  {text}")

    def cannot(self, text: str) -> None:
        self.lines.append(f"UNKNOWN  {text}")
        self.unchecked.append(text)

    @property
    def exit_code(self) -> int:
        if self.problems:
            return PROBLEMS
        return API_FAILED if self.unchecked else OK


def _plain(value: Any) -> Any:
    """A state value, with a ``--show-secrets`` secret envelope opened."""
    if isinstance(value, dict) and "plaintext" in value:
        try:
            return json.loads(value["plaintext"])
        except (TypeError, ValueError):
            return value["plaintext"]
    return value


def records_from_state(deployment: dict[str, Any]) -> tuple[list[ProviderRecord], list[NumberRecord]]:
    """The providers and numbers (with expected agents) of an exported deployment."""
    providers: list[ProviderRecord] = []
    numbers: dict[str, NumberRecord] = {}
    agents: dict[str, str] = {}
    for res in deployment.get("resources") or []:
        kind = str(res.get("type", "")).rsplit(":", 1)[-1]
        outs = {k: _plain(v) for k, v in (res.get("outputs") or {}).items()}
        rid = str(res.get("id") or "")
        if not rid:
            continue
        if kind == "TwilioProvider":
            providers.append(
                ProviderRecord(
                    rid,
                    str(outs.get("account_sid") or ""),
                    str(outs.get("region") or "us1"),
                    str(outs.get("api_key_sid") or ""),
                    outs.get("api_key_secret") if isinstance(outs.get("api_key_secret"), str) else None,
                )
            )
        elif kind == "PhoneNumber":
            numbers[rid] = NumberRecord(rid, str(outs.get("number") or ""), outs.get("provider_id"))
        elif kind == "NumberAssignment" and outs.get("agent_id"):
            agents[str(outs.get("phone_number_id") or rid)] = str(outs["agent_id"])
    for nid, agent in agents.items():
        numbers.setdefault(nid, NumberRecord(nid)).agent_id = agent
    return providers, list(numbers.values())


T = TypeVar("T")


def _live(report: Report, what: str, fetch: Callable[[], T]) -> T | None:
    """The object as Cartesia has it now, or None with a line in the report saying why not."""
    try:
        return fetch()
    except NotFoundError:
        report.problem(f"{what}: gone from Cartesia (deleted outside Pulumi)")
    except CartesiaError as exc:
        report.cannot(f"{what}: Cartesia did not answer ({exc})")
    return None


def check(client: CartesiaClient, providers: list[ProviderRecord], numbers: list[NumberRecord]) -> Report:
    """Run every check; each finding becomes one line of the report."""
    report = Report()
    listed: dict[str, dict[str, PhoneNumberModel]] = {}
    for p in providers:
        live = _live(report, f"provider {p.id}", partial(client.providers.get, p.id))
        if live is None:
            continue
        if live.region != p.region:
            report.problem(f"provider {p.id}: region is {live.region} in Cartesia, {p.region} in the stack")
        if p.api_key_sid and not mask_matches(live.api_key_sid, p.api_key_sid):
            report.problem(
                f"provider {p.id}: its key was changed outside Pulumi (Cartesia shows "
                f"{live.api_key_sid}, the stack {p.api_key_sid})"
            )
        try:
            listed[p.id] = {n.id: n for n in client.phone_numbers.iter(provider_id=p.id)}
        except CartesiaError as exc:
            report.cannot(f"provider {p.id}: its numbers could not be listed ({exc})")
        ours = [n for n in numbers if n.provider_id == p.id]
        if p.api_key_secret is None:
            report.skip(f"provider {p.id}: Twilio credentials (needs the key secret: verify --stack)")
            continue
        try:
            twilio = incoming_numbers(p.account_sid, p.api_key_sid, p.api_key_secret, p.region)
        except (httpx.HTTPError, ValueError) as exc:
            report.cannot(f"provider {p.id}: Twilio ({p.region}) did not answer ({type(exc).__name__})")
            continue
        if not twilio.accepted:
            report.problem(
                f"provider {p.id}: Twilio {p.region} rejects key {p.api_key_sid} ({twilio.status} "
                f"{twilio.detail}); Cartesia cannot reach any of its {len(ours)} number(s) — "
                "rotate the key (TwilioProvider api_key_sid/api_key_secret)"
            )
            continue
        unreachable = sorted(n.number for n in ours if n.number and n.number not in twilio.numbers)
        if unreachable:
            report.problem(
                f"provider {p.id}: unreachable number(s), no longer in Twilio account "
                f"{p.account_sid}: {', '.join(unreachable)}"
            )
        else:
            report.ok(f"provider {p.id}: Twilio {p.region} accepts its key; {len(ours)} number(s) owned")
    for n in numbers:
        live_n = listed.get(n.provider_id or "", {}).get(n.id)
        if live_n is None:
            live_n = _live(report, f"number {n.number or n.id}", partial(client.phone_numbers.get, n.id))
            if live_n is None:
                continue
        where = f"number {live_n.number} ({n.id})"
        if n.provider_id and live_n.provider_id != n.provider_id:
            report.problem(f"{where}: on provider {live_n.provider_id}, the stack has {n.provider_id}")
        if n.agent_id and live_n.agent_id != n.agent_id:
            now = f"routes to {live_n.agent_id}" if live_n.agent_id else "routes to no agent"
            report.problem(f"{where}: {now}, expected {n.agent_id}")
        elif n.agent_id:
            report.ok(f"{where}: routes to {n.agent_id}")
        else:
            report.ok(f"{where}: imported (no assignment in the stack)")
    return report


def build_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``verify``."""
    p = sub.add_parser("verify", help="check a deployed stack against Cartesia and Twilio")
    p.add_argument("--stack", help="stack whose state lists what to check")
    p.add_argument("--cwd", type=Path, default=Path.cwd(), help="project directory of --stack")
    p.add_argument("--provider", action="append", default=[], metavar="ID")
    p.add_argument("--number", action="append", default=[], metavar="ID[=AGENT]")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    add_connection_arguments(p)
    p.set_defaults(command=verify)


def verify(args: argparse.Namespace) -> int:
    """The ``verify`` command."""
    if bool(args.stack) == bool(args.provider or args.number):
        raise CommandError("Give either --stack, or --provider/--number ids (not both).")
    if args.stack:
        providers, numbers = records_from_state(export_stack(args.stack, args.cwd, show_secrets=True))
        if not providers and not numbers:
            raise CommandError(f"Stack {args.stack} holds no Cartesia resources to verify.", PROBLEMS)
    else:
        providers = [ProviderRecord(pid) for pid in args.provider]
        numbers = []
        for spec in args.number:
            nid, _, agent = spec.partition("=")
            numbers.append(NumberRecord(nid, agent_id=agent or None))
    with client_from(args) as client:
        if not args.stack:
            _fill_from_cartesia(client, providers, numbers)
        report = check(client, providers, numbers)
    if args.json:
        print(json.dumps({"problems": report.problems, "unchecked": report.unchecked, "lines": report.lines}, indent=2))
    else:
        print("\n".join(report.lines))
        verdict = {OK: "all checks passed", PROBLEMS: f"{len(report.problems)} problem(s)", API_FAILED: f"{len(report.unchecked)} check(s) could not run"}
        print(f"verify: {verdict[report.exit_code]}")
    return report.exit_code


def _fill_from_cartesia(client: CartesiaClient, providers: list[ProviderRecord], numbers: list[NumberRecord]) -> None:
    """With bare ids, what the stack would have recorded comes from Cartesia itself."""
    for p in providers:
        try:
            live = client.providers.get(p.id)
        except CartesiaError:
            continue
        p.account_sid, p.region, p.api_key_sid = live.account_sid, live.region, ""
    for n in numbers:
        try:
            live_n = client.phone_numbers.get(n.id)
        except CartesiaError as exc:
            if not isinstance(exc, NotFoundError):
                raise api_failure(f"Reading number {n.id}", exc) from None
            continue
        n.number, n.provider_id = live_n.number, live_n.provider_id
