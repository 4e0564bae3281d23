"""Command line: ``python -m cartesia_pulumi.emulator --port N [--data FILE] [--seed FILE] [--demo]``.

Also installed as the ``cartesia-emulator`` console script. Prints
``Cartesia emulator listening on http://127.0.0.1:N`` (flushed) once it accepts connections.
A ``--seed``/``--demo`` is applied only when the database is fresh, so restarting with the same
flags never undoes changes stored in ``--data``.

The control API has no API key. On loopback that is fine; bound anywhere else (``--host``), the
emulator warns and refuses to start unless the control API is protected with
``--control-token TOKEN`` (or ``CARTESIA_EMULATOR_CONTROL_TOKEN``) or switched off with
``--no-control``.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys

from cartesia_pulumi.emulator.app import ControlAccess, create_app
from cartesia_pulumi.emulator.control import TOKEN_ENV
from cartesia_pulumi.emulator.seeds import load_seed_file
from cartesia_pulumi.emulator.server import EmulatorServer, bind_socket, make_config, url_of


def build_parser() -> argparse.ArgumentParser:
    """The CLI's argument parser."""
    p = argparse.ArgumentParser(
        prog="cartesia-emulator", description="Local emulator of the Cartesia telephony API."
    )
    p.add_argument("--port", type=int, default=0, help="TCP port (0 = pick a free one)")
    p.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    p.add_argument("--data", help="SQLite file for durable state (default: in memory)")
    p.add_argument("--seed", help="seed file (JSON or YAML) applied to a fresh database")
    p.add_argument("--demo", action="store_true", help="load the built-in demo seed")
    p.add_argument(
        "--plain-text-errors-for-old-versions",
        action="store_true",
        help="answer errors as text/plain 'Title: Message' for Cartesia-Version < 2026-03-01",
    )
    p.add_argument(
        "--control-token",
        default=os.environ.get(TOKEN_ENV) or None,
        help=f"require this token in X-Emulator-Control-Token on control requests "
        f"(default: ${TOKEN_ENV})",
    )
    p.add_argument(
        "--no-control", action="store_true", help="disable the control API (/_emulator/ → 404)"
    )
    p.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also accept this Host name on control requests (e.g. a CI service name)",
    )
    p.add_argument("--log-level", default="warning", help="uvicorn log level")
    return p


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def control_access(args: argparse.Namespace) -> ControlAccess:
    """The control API's protection for these flags; exits 2 when it would be unprotected."""
    if not is_loopback(args.host):
        print(
            f"warning: the emulator listens on {args.host}, beyond this machine; its control "
            "API can reset and rewrite all state.",
            file=sys.stderr,
            flush=True,
        )
        if not args.control_token and not args.no_control:
            print(
                f"error: --host {args.host} needs --control-token TOKEN (or ${TOKEN_ENV}) "
                "or --no-control.",
                file=sys.stderr,
                flush=True,
            )
            raise SystemExit(2)
    return ControlAccess(
        enabled=not args.no_control,
        token=args.control_token,
        bound_host=args.host,
        allowed_hosts=tuple(args.allowed_host),
    )


def main(argv: list[str] | None = None) -> int:
    """Run the emulator until SIGINT/SIGTERM."""
    args = build_parser().parse_args(argv)
    access = control_access(args)
    seed = load_seed_file(args.seed) if args.seed else None
    app = create_app(
        data=args.data,
        seed=seed,
        demo=args.demo,
        plain_text_errors_for_old_versions=args.plain_text_errors_for_old_versions,
        control=access,
    )
    sock = bind_socket(args.host, args.port)
    url = url_of(sock)

    def ready() -> None:
        print(f"Cartesia emulator listening on {url}", flush=True)

    server = EmulatorServer(make_config(app, args.log_level), on_ready=ready)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn re-raises SIGINT after its graceful shutdown
        pass
    finally:
        app.emulator.store.close()
        sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
