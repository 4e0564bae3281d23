"""``pulumi-resource-cartesia``: the gRPC ``ResourceProvider`` server the Pulumi engine launches.

The engine starts the plugin with its own address as the first argument (plus flags such as
``--logtostderr``), reads the port this process prints on stdout, and calls the provider RPCs.

Concurrency. The server is ``grpc.aio`` on one asyncio loop; each resource RPC runs the
synchronous core (an ``httpx`` client shared by the whole process) in a worker thread. The pool has
`WORKERS` threads (``CARTESIA_PLUGIN_THREADS`` overrides), far more than any ``--parallel`` the
engine is run with, so the engine's parallelism is the limit, not a fixed pool of four as in the
dynamic-provider server. Threads are started only when needed. An async client would save the
threads but would need a second implementation of every core operation; one core it is.

Errors. A failed operation is answered with gRPC status UNKNOWN whose message is the operation's
one sentence (`cartesia_pulumi.core.errors.boundary_error`), never a traceback, so the CLI prints
that sentence. With ``CARTESIA_PULUMI_DEBUG=1`` an unexpected exception carries its traceback.

The loop is made once per process by `serve` (``asyncio.run``); nothing here keeps a loop between
calls, so tests start this server as a subprocess, exactly as the engine does.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc

from cartesia_pulumi.core.errors import CartesiaResourceError
from cartesia_pulumi.core.session import SESSION
from cartesia_pulumi.provider.adapter import NativeLifecycle

#: Worker threads for core calls; see the module docstring.
WORKERS = 256
ENV_WORKERS = "CARTESIA_PLUGIN_THREADS"

#: Same message limits as the Pulumi SDK's provider servers (large schemas, large states).
_GRPC_OPTIONS = [
    ("grpc.max_receive_message_length", 400 * 1024 * 1024),
    ("grpc.max_send_message_length", 400 * 1024 * 1024),
]

T = TypeVar("T")


def _workers() -> int:
    text = os.environ.get(ENV_WORKERS, "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else WORKERS


class CartesiaProviderServicer(provider_pb2_grpc.ResourceProviderServicer):
    """The RPCs, each run in a worker thread, each failure sent as its sentence."""

    def __init__(self, lifecycle: NativeLifecycle, pool: ThreadPoolExecutor) -> None:
        self._lifecycle = lifecycle
        self._pool = pool

    async def _run(self, context: grpc.aio.ServicerContext, fn: Callable[[Any], T], req: Any) -> T:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._pool, fn, req)
        except CartesiaResourceError as exc:
            await context.abort(grpc.StatusCode.UNKNOWN, str(exc))
        except Exception as exc:  # only with CARTESIA_PULUMI_DEBUG=1 (boundary_error)
            text = "".join(traceback.format_exception(exc))
            await context.abort(grpc.StatusCode.UNKNOWN, text)
        raise AssertionError("unreachable: context.abort raises")

    # -- plugin and provider ---------------------------------------------------------------

    async def GetPluginInfo(self, request: empty_pb2.Empty, context: Any) -> plugin_pb2.PluginInfo:
        return self._lifecycle.plugin_info()

    async def GetSchema(
        self, request: provider_pb2.GetSchemaRequest, context: Any
    ) -> provider_pb2.GetSchemaResponse:
        return self._lifecycle.get_schema()

    async def CheckConfig(
        self, request: provider_pb2.CheckRequest, context: Any
    ) -> provider_pb2.CheckResponse:
        return await self._run(context, self._lifecycle.check_config, request)

    async def DiffConfig(
        self, request: provider_pb2.DiffRequest, context: Any
    ) -> provider_pb2.DiffResponse:
        return await self._run(context, self._lifecycle.diff_config, request)

    async def Configure(
        self, request: provider_pb2.ConfigureRequest, context: Any
    ) -> provider_pb2.ConfigureResponse:
        return await self._run(context, self._lifecycle.configure, request)

    async def Cancel(self, request: empty_pb2.Empty, context: Any) -> empty_pb2.Empty:
        # Operations in flight finish (each is one or a few short HTTP requests); nothing to stop.
        return empty_pb2.Empty()

    # -- resources ---------------------------------------------------------------------------

    async def Check(
        self, request: provider_pb2.CheckRequest, context: Any
    ) -> provider_pb2.CheckResponse:
        return await self._run(context, self._lifecycle.check, request)

    async def Diff(
        self, request: provider_pb2.DiffRequest, context: Any
    ) -> provider_pb2.DiffResponse:
        return await self._run(context, self._lifecycle.diff, request)

    async def Create(
        self, request: provider_pb2.CreateRequest, context: Any
    ) -> provider_pb2.CreateResponse:
        return await self._run(context, self._lifecycle.create, request)

    async def Read(
        self, request: provider_pb2.ReadRequest, context: Any
    ) -> provider_pb2.ReadResponse:
        return await self._run(context, self._lifecycle.read, request)

    async def Update(
        self, request: provider_pb2.UpdateRequest, context: Any
    ) -> provider_pb2.UpdateResponse:
        return await self._run(context, self._lifecycle.update, request)

    async def Delete(self, request: provider_pb2.DeleteRequest, context: Any) -> empty_pb2.Empty:
        return await self._run(context, self._lifecycle.delete, request)


async def serve(port_out: Callable[[int], None]) -> None:
    """Serve on 127.0.0.1 (a free port, handed to ``port_out``) until the process is stopped."""
    with ThreadPoolExecutor(max_workers=_workers(), thread_name_prefix="cartesia") as pool:
        server = grpc.aio.server(options=_GRPC_OPTIONS)
        provider_pb2_grpc.add_ResourceProviderServicer_to_server(
            CartesiaProviderServicer(NativeLifecycle(), pool), server
        )
        port = server.add_insecure_port("127.0.0.1:0")
        await server.start()
        port_out(port)
        try:
            await server.wait_for_termination()
        finally:
            await server.stop(grace=None)
            SESSION.close()


def _print_port(port: int) -> None:
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``pulumi-resource-cartesia``.

    Arguments are the engine's: its address (unused: this plugin sends no logs to the engine)
    and flags such as ``--logtostderr`` or ``-v=9``, all ignored.
    """
    del argv
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(_print_port))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
