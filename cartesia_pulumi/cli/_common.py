"""What the ``cartesia-pulumi`` commands share: settings, the client, exit codes, one-line errors.

The Cartesia key is read from ``CARTESIA_API_KEY`` only — never from a command-line argument, which
other users of the machine could read in the process list. ``--base-url`` (or
``CARTESIA_BASE_URL``) points at the emulator or another endpoint; it is validated like the
provider's own setting (https, plain http only to loopback).

Exit codes: 0 done, 1 the Cartesia API could not be used (key refused, unreachable), 2 bad usage or
input, 3 the command ran and found problems (or nothing to do, for ``discover``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from cartesia_pulumi._redact import scrub
from cartesia_pulumi.client import AuthenticationError, CartesiaClient, CartesiaError
from cartesia_pulumi.config import ENV_API_KEY, ENV_BASE_URL, ConfigurationError, Settings

OK = 0
API_FAILED = 1
USAGE = 2
PROBLEMS = 3


class CommandError(Exception):
    """A command stops: ``message`` is printed as one sentence, ``code`` is the exit status."""

    def __init__(self, message: str, code: int = USAGE) -> None:
        super().__init__(message)
        self.code = code


def add_connection_arguments(parser: argparse.ArgumentParser) -> None:
    """``--base-url`` (the key itself comes from the environment only)."""
    parser.add_argument(
        "--base-url",
        help=f"Cartesia API base URL (default: ${ENV_BASE_URL} or https://api.cartesia.ai)",
    )


def client_from(args: argparse.Namespace) -> CartesiaClient:
    """A client for ``CARTESIA_API_KEY`` and the base URL of ``args``/the environment."""
    config = {"cartesia:baseUrl": args.base_url} if getattr(args, "base_url", None) else None
    settings = Settings.resolve(config)
    if not settings.api_key:
        raise CommandError(
            f"No Cartesia API key: set the environment variable {ENV_API_KEY} (it is never taken "
            "from the command line).",
            USAGE,
        )
    try:
        base_url = settings.validated_base_url()
    except ConfigurationError as exc:
        raise CommandError(str(exc).replace("cartesia:baseUrl", "--base-url"), USAGE) from None
    return CartesiaClient(settings.api_key, base_url=base_url, api_version=settings.api_version)


def api_failure(action: str, exc: CartesiaError) -> CommandError:
    """The one sentence for an API call that failed."""
    if isinstance(exc, AuthenticationError):
        return CommandError(
            f"{action} failed: Cartesia rejected the API key in {ENV_API_KEY} (401).", API_FAILED
        )
    return CommandError(f"{action} failed: {exc}.", API_FAILED)


def run(command: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run one command; a `CommandError` becomes its sentence on stderr and its exit code."""
    try:
        return command(args)
    except CommandError as exc:
        print(f"error: {scrub(str(exc))}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("error: interrupted.", file=sys.stderr)
        return 130


def fail(message: str, code: int = USAGE) -> NoReturn:
    """Stop the command with one sentence."""
    raise CommandError(message, code)


def export_stack(stack: str, cwd: Path, *, show_secrets: bool = False) -> dict[str, Any]:
    """The ``deployment`` of ``pulumi stack export --stack <stack>`` run in ``cwd``.

    Secrets stay encrypted unless ``show_secrets`` (``verify`` needs the key secrets; ``migrate``
    only ids). A CLI that cannot run or fails is one `CommandError` quoting its last line.
    """
    command = ["pulumi", "stack", "export", "--stack", stack, "--non-interactive"]
    if show_secrets:
        command.insert(3, "--show-secrets")
    try:
        proc = subprocess.run(
            command, cwd=cwd, env=os.environ, capture_output=True, text=True, timeout=120
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CommandError(f"Reading stack {stack} failed: {exc}.", API_FAILED) from None
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise CommandError(f"Reading stack {stack} in {cwd} failed: {last}", API_FAILED)
    return dict(json.loads(proc.stdout).get("deployment") or {})
