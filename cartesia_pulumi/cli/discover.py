"""``cartesia-pulumi discover``: read an organisation and write the Pulumi project that adopts it.

Reads, with the key in ``CARTESIA_API_KEY``: the providers (one request) and every phone number
with its provider and agent (one request per 100 numbers). Writes into ``--out``:

* ``Pulumi.yaml``, ``requirements.txt``, ``__main__.py`` — one `TwilioProvider` per Twilio link,
  one `PhoneNumber` per imported number, one `NumberAssignment` per assigned number, all adopting
  (``adopt`` is read from the stack config ``adopt``, default true; ``--adopted`` leaves it out);
* ``Pulumi.<stack>.yaml`` with the non-secret values (for ``--format yaml-config`` the whole
  routing table: the program is then generic and reads it from config);
* ``README.md``: what was found, what was skipped and why, and the commands to run — including
  the ``pulumi config set`` of each Twilio key SID (the API shows it masked) and ``--secret`` of
  each key secret (the API never returns one; discover never writes or guesses one).

The first ``pulumi up`` of that project adopts everything and creates nothing: no POST, no DELETE
(a provider's adoption PATCHes the credentials you set, as Cartesia cannot return them).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from cartesia_pulumi._version import __version__
from cartesia_pulumi.cli._common import (
    OK,
    PROBLEMS,
    USAGE,
    CommandError,
    add_connection_arguments,
    api_failure,
    client_from,
)
from cartesia_pulumi.cli.names import number_names, provider_names
from cartesia_pulumi.cli.templates import render_python, render_readme, render_yaml_config
from cartesia_pulumi.client import CartesiaClient, CartesiaError
from cartesia_pulumi.config import DEFAULT_BASE_URL

FORMATS = ("python", "yaml-config")


@dataclass(frozen=True)
class FoundProvider:
    """A Twilio link to declare."""

    id: str
    name: str
    account_sid: str
    region: str
    label: str | None
    masked_key_sid: str


@dataclass(frozen=True)
class FoundNumber:
    """An imported Twilio number to declare (and its agent, if assigned)."""

    id: str
    name: str
    number: str
    label: str
    provider: str  # the FoundProvider's resource name
    agent_id: str | None
    agent_name: str | None


@dataclass(frozen=True)
class Skipped:
    """Something in the organisation the generated program does not manage, and why."""

    what: str
    reason: str


@dataclass
class Organisation:
    """What discover found."""

    providers: list[FoundProvider] = field(default_factory=list)
    numbers: list[FoundNumber] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Filters:
    """Only objects matching every given filter are declared."""

    providers: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    agents: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()

    @property
    def narrows_numbers(self) -> bool:
        return bool(self.agents or self.numbers)


class _Progress:
    """A progress bar on a terminal (rich), silence otherwise (CI logs stay clean)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    @contextmanager
    def task(self, description: str) -> Iterator[Callable[[], None]]:
        """Yields ``tick()``, which advances the bar by one (a no-op when disabled)."""
        if not self.enabled:
            yield lambda: None
            return
        from rich.progress import Progress, SpinnerColumn, TextColumn

        with Progress(
            SpinnerColumn(), TextColumn("{task.description}: {task.completed}"), transient=True
        ) as bar:
            task = bar.add_task(description, total=None)
            yield lambda: bar.advance(task)


def read_organisation(client: CartesiaClient, filters: Filters, progress: _Progress) -> Organisation:
    """Providers and numbers of the organisation, named, filtered, with skipped ones explained."""
    org = Organisation()
    every = client.providers.list_all()
    twilio = {p.id: p for p in every if p.type == "twilio" and p.id}
    for p in every:
        if p.type != "twilio":
            org.skipped.append(
                Skipped(
                    f"provider {p.id or '?'} ({p.type}{', ' + p.label if p.label else ''})",
                    f"a {p.type} provider: this package manages Twilio links only.",
                )
            )
    wanted = {
        pid: p
        for pid, p in twilio.items()
        if (not filters.providers or pid in filters.providers)
        and (not filters.regions or (p.region or "us1") in filters.regions)
    }
    numbers = []
    with progress.task("Reading phone numbers") as tick:
        for n in client.phone_numbers.iter():
            tick()
            kind = n.provider.type if n.provider else "cartesia"
            if kind != "twilio":
                what = "Cartesia-managed" if kind == "cartesia" else kind
                org.skipped.append(
                    Skipped(
                        f"number {n.number} ({n.id})",
                        f"a {what} number, not imported from Twilio: not modelled by this package.",
                    )
                )
                continue
            if n.provider_id not in wanted:
                continue
            if filters.agents and n.agent_id not in filters.agents:
                continue
            if filters.numbers and n.number not in filters.numbers:
                continue
            numbers.append(n)
    used = {n.provider_id for n in numbers}
    keep = {pid: p for pid, p in wanted.items() if pid in used or not filters.narrows_numbers}
    names = provider_names(
        (pid, p.account_sid or "", p.region or "us1", p.label) for pid, p in keep.items()
    )
    for pid, p in sorted(keep.items(), key=lambda kv: names[kv[0]]):
        org.providers.append(
            FoundProvider(
                pid, names[pid], p.account_sid or "", p.region or "us1", p.label, p.api_key_sid or ""
            )
        )
    number_name = number_names((n.id, n.number, n.label) for n in numbers)
    for n in sorted(numbers, key=lambda m: number_name[m.id]):
        label = n.label or n.number
        if not n.label:
            org.notes.append(f"{n.number} has an empty label in Cartesia; the program labels it {label}.")
        org.numbers.append(
            FoundNumber(
                n.id,
                number_name[n.id],
                n.number,
                label,
                names[str(n.provider_id)],
                n.agent_id,
                n.agent.name if n.agent else None,
            )
        )
    return org


def write_project(out: Path, files: dict[str, str], force: bool) -> None:
    """Write ``files`` into ``out``: refused when ``out`` has other content, unless ``force``."""
    if out.exists() and not out.is_dir():
        raise CommandError(f"--out {out} exists and is not a directory; choose another path.")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise CommandError(
            f"--out {out} is not empty; choose an empty or new directory, or pass --force to "
            "overwrite the generated files in it."
        )
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")


def build_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``discover`` on the ``cartesia-pulumi`` parser."""
    p = sub.add_parser(
        "discover",
        help="write a Pulumi project that adopts an existing organisation",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    p.add_argument("--out", required=True, type=Path, help="directory for the generated project")
    p.add_argument("--format", choices=FORMATS, default="python")
    p.add_argument("--stack", default="production", help="stack name of Pulumi.<stack>.yaml")
    p.add_argument("--project", default="cartesia-telephony", help="Pulumi project name")
    p.add_argument("--provider", action="append", default=[], metavar="ID")
    p.add_argument("--region", action="append", default=[], choices=("us1", "ie1", "au1"))
    p.add_argument("--agent", action="append", default=[], metavar="ID")
    p.add_argument("--number", action="append", default=[], metavar="E164")
    p.add_argument("--adopted", action="store_true", help="leave adopt out (after the first up)")
    p.add_argument("--force", action="store_true", help="write into a non-empty --out")
    p.add_argument(
        "--progress",
        choices=("auto", "always", "never"),
        default="auto",
        help="progress bar (auto: on a terminal, not in CI)",
    )
    add_connection_arguments(p)
    p.set_defaults(command=discover)


def discover(args: argparse.Namespace) -> int:
    """The ``discover`` command."""
    out: Path = args.out
    if out.is_dir() and any(out.iterdir()) and not args.force:
        write_project(out, {}, force=False)  # refuses before any API call
    filters = Filters(
        frozenset(args.provider), frozenset(args.region), frozenset(args.agent), frozenset(args.number)
    )
    show = args.progress == "always" or (
        args.progress == "auto" and sys.stderr.isatty() and not os.environ.get("CI")
    )
    with client_from(args) as client:
        try:
            org = read_organisation(client, filters, _Progress(show))
        except CartesiaError as exc:
            raise api_failure("Reading the organisation", exc) from None
        base_url = client.base_url
    if not org.providers and not org.numbers:
        scope = " matching the filters" if any(vars(filters).values()) else ""
        print(
            f"Nothing to discover: the organisation has no Twilio providers or imported numbers{scope}"
            f" ({len(org.skipped)} other object(s) skipped). No files were written.",
            file=sys.stderr,
        )
        return PROBLEMS
    context = {
        "project": args.project,
        "stack": args.stack,
        "adopted": args.adopted,
        "base_url": None if base_url == DEFAULT_BASE_URL else base_url,
        "generated": f"cartesia-pulumi {__version__} on {datetime.now(UTC):%Y-%m-%d}",
    }
    files = (render_python if args.format == "python" else render_yaml_config)(org, context)
    files["README.md"] = render_readme(org, context, args.format)
    write_project(out, files, args.force)
    assigned = sum(1 for n in org.numbers if n.agent_id)
    print(
        f"Wrote {out}: {len(org.providers)} provider(s), {len(org.numbers)} number(s), "
        f"{assigned} assignment(s); {len(org.skipped)} skipped. Next: see {out / 'README.md'}."
    )
    for s in org.skipped:
        print(f"  skipped {s.what}: {s.reason}")
    return OK


__all__ = ["FORMATS", "USAGE", "Filters", "FoundNumber", "FoundProvider", "Organisation", "Skipped", "read_organisation"]
