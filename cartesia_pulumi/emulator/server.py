"""Running the emulator on uvicorn: config, a pre-bound socket, and the transport hook for drops.

``EmulatorH11Protocol`` is uvicorn's h11 protocol with one addition: it exposes the connection's
transport to the app through the ASGI scope extensions, so that ``drop``/``apply_then_drop``
faults can close the TCP connection without uvicorn turning anything into a 500.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable

import uvicorn
from starlette.types import Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from cartesia_pulumi.emulator.middleware import TRANSPORT_EXTENSION, EmulatorMiddleware


class EmulatorH11Protocol(H11Protocol):
    """uvicorn's h11 protocol that publishes its transport in ``scope["extensions"]``."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        inner = self.app

        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            scope.setdefault("extensions", {})[TRANSPORT_EXTENSION] = transport
            await inner(scope, receive, send)

        self.app = app


def bind_socket(host: str, port: int) -> socket.socket:
    """Bind a listening TCP socket (``port=0`` picks a free port; SO_REUSEADDR for restarts)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted sockets whose proto
    # is IPPROTO_TCP; with proto 0 every response (headers + body = two writes) stalls ~40 ms on
    # Nagle + delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.setblocking(False)
    return sock


def make_config(app: EmulatorMiddleware, log_level: str = "warning") -> uvicorn.Config:
    """uvicorn settings: h11 with the transport hook, no access log, no lifespan.

    uvicorn's own ``Date`` header is off: the middleware sends one from the emulator's clock,
    so that ``Date`` and ``created_at`` agree even after ``POST /_emulator/clock``.
    """
    return uvicorn.Config(
        app,
        http=EmulatorH11Protocol,
        loop="asyncio",
        lifespan="off",
        access_log=False,
        log_level=log_level,
        timeout_graceful_shutdown=3,
        date_header=False,
        backlog=2048,
    )


class EmulatorServer(uvicorn.Server):
    """uvicorn server that calls ``on_ready`` once it is accepting connections."""

    def __init__(self, config: uvicorn.Config, on_ready: Callable[[], None] | None = None) -> None:
        super().__init__(config)
        self.on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if not self.should_exit and self.on_ready is not None:
            self.on_ready()


def url_of(sock: socket.socket) -> str:
    """``http://host:port`` of a bound socket."""
    host, port = sock.getsockname()[:2]
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"
