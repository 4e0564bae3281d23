"""Command line: ``python -m cartesia_pulumi.emulator --port N [--data FILE] [--seed FILE] [--demo]``.

Also installed as the ``cartesia-emulator`` console script. Prints
``Cartesia emulator listening on http://127.0.0.1:N`` (flushed) once it accepts connections.
A ``--seed``/``--demo`` is applied only when the database is fresh, so restarting with the same
flags never undoes changes stored in ``--data``.
"""

from __future__ import annotations

import argparse
import sys

from cartesia_pulumi.emulator.app import create_app
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
    p.add_argument("--log-level", default="warning", help="uvicorn log level")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the emulator until SIGINT/SIGTERM."""
    args = build_parser().parse_args(argv)
    seed = load_seed_file(args.seed) if args.seed else None
    app = create_app(
        data=args.data,
        seed=seed,
        demo=args.demo,
        plain_text_errors_for_old_versions=args.plain_text_errors_for_old_versions,
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
