"""``cartesia-pulumi migrate``: the import file that moves a stack to the ``cartesia`` plugin.

    cartesia-pulumi migrate --stack dev [--cwd DIR] [--out import.json]

Reads the stack's state (``pulumi stack export`` in ``--cwd``, secrets left encrypted), writes the
bulk import file for ``pulumi import --file`` (the plugin's types, the same names, the plugin's
import ids) and prints the ``pulumi state delete`` command that then forgets the dynamic
resources. Makes no request to Cartesia and changes nothing; docs/migrating-to-the-plugin.md
gives the whole procedure.

Exit codes: 0 written, 1 the state could not be read, 2 bad usage or nothing to migrate.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cartesia_pulumi.cli._common import OK, USAGE, CommandError, export_stack
from cartesia_pulumi.provider.migrate import MigrationError, plan


def build_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``migrate``."""
    p = sub.add_parser(
        "migrate", help="write the pulumi import file that moves a stack to the cartesia plugin"
    )
    p.add_argument("--stack", required=True, help="stack that uses the dynamic resources")
    p.add_argument("--cwd", type=Path, default=Path.cwd(), help="project directory of --stack")
    p.add_argument(
        "--out", type=Path, default=Path("import.json"), help="import file (default import.json)"
    )
    p.set_defaults(command=migrate)


def migrate(args: argparse.Namespace) -> int:
    """The ``migrate`` command: write the import file, print the state-delete command."""
    try:
        result = plan(export_stack(args.stack, args.cwd))
    except MigrationError as exc:
        reason = str(exc)
        raise CommandError(
            f"Cannot migrate stack {args.stack}: {reason[:1].lower()}{reason[1:]}", USAGE
        ) from None
    out = args.out if args.out.is_absolute() else args.cwd / args.out
    out.write_text(json.dumps(result.import_file, indent=2) + "\n")
    counts = ", ".join(f"{n} {kind}" for kind, n in result.counts.items() if n)
    print(f"wrote {out}: {counts}", file=sys.stderr)
    print(
        "next: pulumi import --file with it, then the command below (stdout) to forget the "
        "dynamic resources; see docs/migrating-to-the-plugin.md",
        file=sys.stderr,
    )
    print(result.delete_command(args.stack))
    return OK
