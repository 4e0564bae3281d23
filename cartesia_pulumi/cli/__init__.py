"""The ``cartesia-pulumi`` command: ``discover`` (bring an organisation under Pulumi), ``call``
(place test calls from a number), ``verify`` (check a deployed stack against Cartesia) and
``migrate`` (the import file that moves a stack to the ``cartesia`` plugin)."""

from __future__ import annotations

import argparse
import sys

from cartesia_pulumi._version import __version__
from cartesia_pulumi.cli import call, discover, migrate, verify
from cartesia_pulumi.cli._common import run


def build_parser() -> argparse.ArgumentParser:
    """The whole command line."""
    parser = argparse.ArgumentParser(
        prog="cartesia-pulumi",
        description="Tools around the cartesia-pulumi resources. The Cartesia key is read from "
        "CARTESIA_API_KEY.",
    )
    parser.add_argument("--version", action="version", version=f"cartesia-pulumi {__version__}")
    sub = parser.add_subparsers(dest="name", required=True, metavar="COMMAND")
    discover.build_parser(sub)
    call.build_parser(sub)
    verify.build_parser(sub)
    migrate.build_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    args = build_parser().parse_args(argv)
    return run(args.command, args)


if __name__ == "__main__":
    sys.exit(main())
