"""Outermost ASGI layer: body limit, the emulator's clock in ``Date``, request log and faults.

:class:`EmulatorMiddleware` wraps the Starlette app and, for every HTTP request,

1. reads the whole body (at most :data:`MAX_BODY_BYTES`; a larger one gets 413 and is never
   handed to a route, so no handler can be made to buffer unbounded input),
2. pins the request's time: one reading of the emulator clock (``Store.clock()``, including the
   offset of ``POST /_emulator/clock``) is used for the transaction's ``created_at``/``updated_at``
   and for the response's ``Date`` header (IMF-fixdate), so both come from one clock;
   uvicorn's own real-clock ``Date`` is switched off in ``server.make_config``,
3. for routes of the emulated API (not ``/_emulator/``): records the request log and applies
   injected faults (``faults.py``; kinds in ``docs/emulator.md``).
"""

from __future__ import annotations

import asyncio
import time
from email.utils import formatdate

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cartesia_pulumi.emulator.backend import Emulator
from cartesia_pulumi.emulator.errors import ApiError
from cartesia_pulumi.emulator.faults import Decision, Fault
from cartesia_pulumi.emulator.twilio_api import PREFIX as TWILIO_PREFIX

CONTROL_PREFIX = "/_emulator/"
TRANSPORT_EXTENSION = "cartesia_emulator.transport"
#: Largest request body accepted (1 MiB); Cartesia documents call metadata "up to 1 MB".
MAX_BODY_BYTES = 1024 * 1024
#: Past this many bytes an oversized body is no longer drained: the connection is closed.
DRAIN_LIMIT_BYTES = 16 * MAX_BODY_BYTES


def http_date(epoch: float) -> str:
    """``Date`` header value (IMF-fixdate, RFC 9110 §5.6.7) for an emulator-clock reading."""
    return formatdate(epoch, usegmt=True)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


async def _read_body(receive: Receive, declared: int | None) -> tuple[bytes, bool]:
    """The request body and whether it was over :data:`MAX_BODY_BYTES`.

    An oversized body is drained (so the client can read the 413 instead of a reset
    connection) up to :data:`DRAIN_LIMIT_BYTES`; a body declared larger than that is not read.
    """
    if declared is not None and declared > DRAIN_LIMIT_BYTES:
        return b"", True
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size <= MAX_BODY_BYTES:
            chunks.append(chunk)
        elif size > DRAIN_LIMIT_BYTES:
            break
        if not message.get("more_body", False):
            break
    return (b"" if size > MAX_BODY_BYTES else b"".join(chunks)), size > MAX_BODY_BYTES


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that yields the already-read body once, then defers to the real one."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _find_transport(scope: Scope, receive: Receive) -> asyncio.BaseTransport | None:
    """The TCP transport of this request.

    ``server.EmulatorH11Protocol`` puts it into the scope extensions; as a fallback, uvicorn's
    ``receive`` is a bound method of its request cycle, which holds the transport.
    """
    transport = scope.get("extensions", {}).get(TRANSPORT_EXTENSION)
    if transport is None:
        transport = getattr(getattr(receive, "__self__", None), "transport", None)
    return transport if isinstance(transport, asyncio.BaseTransport) else None


async def _drop_connection(scope: Scope, receive: Receive) -> None:
    """Close the TCP connection without any response (client sees a connection error).

    Raising from the app would make uvicorn answer 500, so the transport is aborted directly and
    the loop is yielded until uvicorn has noticed the lost connection (then it sends nothing).
    """
    transport = _find_transport(scope, receive)
    if transport is None:
        raise RuntimeError("cannot drop the connection: transport not reachable from the app")
    transport.abort()  # type: ignore[attr-defined]
    for _ in range(5):
        await asyncio.sleep(0)


def echo_error(fault: Fault, scope: Scope, body: bytes) -> ApiError:
    """The "echo" fault's answer: the request's headers and raw body, verbatim, in the error.

    Exists for secret-leak tests: a server that echoes whatever it was sent, so a client can be
    checked for scrubbing its key and secrets out of error messages.
    """
    headers = [
        (bytes(k).decode("latin-1"), bytes(v).decode("latin-1"))
        for k, v in scope.get("headers", [])
    ]
    text = body.decode("utf-8", errors="replace")
    query = scope.get("query_string", b"").decode("latin-1")
    target = scope["path"] + (f"?{query}" if query else "")
    lines = "; ".join(f"{k}: {v}" for k, v in headers)
    return ApiError(
        fault.status or 500,
        "echo",
        None,
        f"Echo of {scope['method']} {target} with headers {lines} and body {text}",
        {
            "echo": {
                "method": scope["method"],
                "path": scope["path"],
                "query": query,
                "headers": dict(headers),
                "body": text,
            }
        },
    )


def status_error(fault: Fault) -> ApiError:
    """The error a ``status`` fault answers with (429 as ``concurrency_limited``, U28)."""
    if fault.status == 429:
        return ApiError(
            429,
            "concurrency_limited",
            "Too Many Requests",
            "Too many concurrent requests for your plan; retry later (injected fault).",
        )
    status = fault.status or 500
    return ApiError(status, None, None, f"The request could not be processed (injected {status}).")


class EmulatorMiddleware:
    """The ASGI app uvicorn serves; ``.emulator`` is the :class:`Emulator` behind it."""

    def __init__(self, app: ASGIApp, emulator: Emulator) -> None:
        self.app = app
        self.emulator = emulator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        epoch = self.emulator.store.clock()
        date = http_date(epoch).encode("latin-1")

        async def send_dated(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k != b"date"]
                message = {**message, "headers": [*headers, (b"date", date)]}
            await send(message)

        declared = _header(scope, b"content-length") or ""
        # A Content-Length too long to be true is not parsed (int() refuses 4,300+ digits).
        length = int(declared) if declared.isdigit() and len(declared) <= 18 else None
        if declared.isdigit() and length is None:
            length = DRAIN_LIMIT_BYTES + 1
        body, too_large = await _read_body(receive, length)
        control = scope["path"].startswith(CONTROL_PREFIX)
        with self.emulator.store.pinned(epoch):
            if too_large:
                await self._too_large(scope, send_dated, control, started)
            elif control:
                await self.app(scope, _replay(body, receive), send_dated)
            else:
                await self._api(scope, _replay(body, receive), send_dated, body, started)

    async def _too_large(self, scope: Scope, send: Send, control: bool, started: float) -> None:
        err = ApiError(
            413,
            "request_too_large",
            "Request too large",
            f"The request body exceeds {MAX_BODY_BYTES} bytes; send a smaller body.",
        )
        if control:
            await self._respond(err, scope, send, control=True)
            return
        entry = self.emulator.begin(scope["method"], scope["path"], _query(scope))
        await self._respond(err, scope, send)
        self.emulator.finish(entry, 413, (time.perf_counter() - started) * 1000, None)

    async def _api(
        self, scope: Scope, receive: Receive, send: Send, body: bytes, started: float
    ) -> None:
        method: str = scope["method"]
        # The Twilio REST slice (twilio_api.py) is logged like the API but never faulted: faults
        # simulate Cartesia's behaviour, not Twilio's.
        decision = (
            Decision()
            if scope["path"].startswith(TWILIO_PREFIX)
            else self.emulator.faults.decide(method, scope["path"])
        )
        entry = self.emulator.begin(method, scope["path"], _query(scope))
        status: list[int | None] = [None]

        async def send_recording(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        async def swallow(message: Message) -> None:
            return None

        try:
            if decision.latency_ms:
                await self.emulator.faults.delay(decision)
            fault = decision.fault
            if fault is None:
                await self.app(scope, receive, send_recording)
            elif fault.kind == "status":
                await self._respond(status_error(fault), scope, send_recording, fault=fault)
            elif fault.kind == "echo":
                await self._respond(echo_error(fault, scope, body), scope, send_recording)
            elif fault.kind == "drop":
                await _drop_connection(scope, receive)
            else:  # apply_then_drop: the change is committed, the answer is lost
                await self.app(scope, receive, swallow)
                await _drop_connection(scope, receive)
        finally:
            self.emulator.finish(
                entry, status[0], (time.perf_counter() - started) * 1000, decision.kind
            )

    async def _respond(
        self,
        err: ApiError,
        scope: Scope,
        send: Send,
        *,
        control: bool = False,
        fault: Fault | None = None,
    ) -> None:
        headers: dict[str, str] = {}
        if fault is not None and fault.retry_after is not None:
            ra = fault.retry_after
            headers["Retry-After"] = str(int(ra)) if float(ra).is_integer() else str(ra)
        version = _header(scope, b"cartesia-version")
        response = self.emulator.error_response(err, version, headers, control=control)
        await response(scope, _no_body, send)


def _query(scope: Scope) -> str:
    return bytes(scope.get("query_string", b"")).decode("latin-1")


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}

