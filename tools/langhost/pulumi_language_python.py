"""A small, pure-Python ``pulumi-language-python`` plugin (tooling, not part of the package).

Why: the Go module proxy refuses the official Go language host
(``github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3``), so without this file
``pulumi up`` / ``preview`` / ``refresh`` / ``destroy`` cannot run from a project directory whose
``Pulumi.yaml`` says ``runtime: python``. ``tools/build-pulumi.sh`` copies this file next to the
real ``pulumi`` binary, next to the ``pulumi-language-python`` sh launcher
(``tools/launchers/``) that starts it with ``python -u``.

Protocol (``pkg/resource/plugin/langruntime_plugin.go`` and ``plugin.go`` in pulumi v3.274.1):

* The engine starts ``pulumi-language-python [-logtostderr] [-v=N] [--tracing T] <engine-address>``
  with cwd = the project directory and reads the gRPC port from the first line of stdout.
  Anything written to stdout/stderr afterwards is shown to the user as diagnostics.
* It never calls ``Handshake`` on a launched plugin (only when attaching through
  ``PULUMI_DEBUG_LANGUAGES``); ``Cancel`` may be Unimplemented. ``pulumi up``/``preview`` call
  ``About`` (update metadata, in a separate host process), ``GetRequiredPackages`` and ``Run``.
* The engine kills the whole process group when it is done, so we simply serve forever.
* ``RunPlugin`` (server streaming) runs a plugin directory whose ``PulumiPlugin.yaml`` says
  ``runtime: python``: the engine sends ``info`` (root = program directory = the plugin
  directory, entry point ``.``, the runtime options of ``PulumiPlugin.yaml``), ``pwd`` (the
  project directory), ``args`` (the engine address and flags) and ``env`` (the engine's
  environment). As the Go host does, we start ``<python> <plugin dir> <args>`` (its
  ``__main__.py``) with cwd ``pwd``, stream its stdout and stderr back as they come (the engine
  reads the plugin's port from the first stdout line) and then its exit code. When the engine
  cancels the stream (it closes the plugin), the child is killed.

The program runs **in this process** (unlike the official host, which spawns
``pulumi-language-python-exec`` per run): ``Run`` reuses the Automation API's in-process
``LanguageServer`` helpers, and turns the request's program into a callable that changes to
``request.pwd``, puts the program directory first on ``sys.path`` and executes the entry point
with ``runpy.run_path(..., run_name="__main__")``. Errors are reported like the official host:
an unhandled exception is logged as ``Program failed with an unhandled exception:`` plus the
traceback trimmed to the user's frames, and the response sets ``bail`` (the message was already
shown); ``sys.exit(n)`` with ``n != 0`` yields ``Program exited with non-zero exit code: n``.

The interpreter running this file is the program's: ``$PULUMI_PYTHON_CMD`` if set, else the venv
that ``Pulumi.yaml``'s ``virtualenv``/``toolchain`` runtime options name, else ``python3``. The
launcher's first stage (``pulumi_language_python_stage.py``) makes that choice before this file
runs, because the program runs in this process. ``GetRequiredPackages`` is empty, so the engine
only needs the plugins found next to the CLI (e.g. ``pulumi-resource-pulumi-python`` for dynamic
providers, whose launcher picks the same interpreter).
"""

from __future__ import annotations

import asyncio
import contextvars
import importlib.metadata
import logging
import os
import queue
import runpy
import subprocess
import sys
import threading
import traceback
from collections.abc import Iterator
from concurrent import futures
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path
from typing import IO, Any

try:
    import grpc
    from google.protobuf import json_format
    from pulumi import log
    from pulumi.automation._server import LanguageServer
    from pulumi.errors import RunError
    from pulumi.runtime import reset_options, run_in_stack, set_all_config
    from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
    from pulumi.runtime.proto import language_pb2, language_pb2_grpc, plugin_pb2
except ImportError as _missing:  # the chosen interpreter lacks the project's packages
    sys.exit(
        f"{sys.executable} cannot import {_missing.name!r} for the Python language host; install "
        "the project's requirements into the virtualenv that Pulumi.yaml names (for example "
        "`venv/bin/python -m pip install -r requirements.txt`), or set PULUMI_PYTHON_CMD."
    )

# The stage next to this file (first on sys.path: it is this script's directory) chooses
# interpreters; RunPlugin uses it for the plugin's own runtime options. No bytecode: this
# directory is the CLI cache every checkout shares, and it must hold only what the script installs.
sys.dont_write_bytecode = True
from pulumi_language_python_stage import LaunchError, Project, activated, choose_python  # noqa: E402

# Go-style flags the engine may pass before the engine address, and which of them take a value.
_VALUE_FLAGS = frozenset({"tracing", "root", "virtualenv", "toolchain", "typechecker", "exec"})


class _ProgramExit(Exception):
    """Raised from the program wrapper when the user program calls ``sys.exit(n)``, ``n != 0``."""

    def __init__(self, code: int) -> None:
        super().__init__(f"Program exited with non-zero exit code: {code}")
        self.code = code


class _ProgramFailed(Exception):
    """Raised from the program wrapper after the failure was logged to the engine."""


def _entry_point(request: Any) -> str:
    """Absolute path of the file to execute for a Run request."""
    info = request.info if request.HasField("info") else None
    program_dir = (info.program_directory if info else "") or request.pwd or os.getcwd()
    entry = (info.entry_point if info else "") or request.program or "."
    path = os.path.normpath(os.path.join(program_dir, entry))
    if os.path.isdir(path):
        path = os.path.join(path, "__main__.py")
    return path


def _user_traceback(program: str) -> str:
    """The current exception's traceback, trimmed to start at the user's program (as upstream)."""
    frames = traceback.extract_tb(sys.exc_info()[2])
    target = os.path.abspath(program)
    for index, frame in enumerate(frames):
        if os.path.abspath(frame.filename) == target:
            return traceback.format_exc(limit=-(len(frames) - index))
    return traceback.format_exc()


def _purge_modules(directory: str, before: set[str]) -> None:
    """Forget modules the program imported from its own directory, so a later Run in this process
    re-executes them (the official host gets this for free from a fresh interpreter per run)."""
    prefix = os.path.join(os.path.abspath(directory), "")
    for name in [n for n in sys.modules if n not in before]:
        path = getattr(sys.modules.get(name), "__file__", None)
        if path and os.path.abspath(path).startswith(prefix):
            sys.modules.pop(name, None)


class PythonLanguageHost(LanguageServer):
    """``LanguageRuntime`` servicer for file-based Python programs."""

    def __init__(self, engine_address: str) -> None:
        super().__init__(program=lambda: None)
        self.engine_address = engine_address

    # -- plugin metadata ------------------------------------------------------------------

    def GetPluginInfo(self, request: Any, context: Any) -> plugin_pb2.PluginInfo:
        try:
            version = importlib.metadata.version("pulumi")
        except importlib.metadata.PackageNotFoundError:
            version = ""
        return plugin_pb2.PluginInfo(version=version)

    def Handshake(self, request: Any, context: Any) -> language_pb2.LanguageHandshakeResponse:
        # Only used when the engine attaches (PULUMI_DEBUG_LANGUAGES); nothing to remember.
        return language_pb2.LanguageHandshakeResponse()

    def GetProgramDependencies(
        self, request: Any, context: Any
    ) -> language_pb2.GetProgramDependenciesResponse:
        deps: dict[str, str] = {}
        for dist in importlib.metadata.distributions():
            name = dist.name
            if name and name.lower() not in deps:
                deps[name.lower()] = dist.version
        return language_pb2.GetProgramDependenciesResponse(
            dependencies=[
                language_pb2.DependencyInfo(name=n, version=v) for n, v in sorted(deps.items())
            ]
        )

    def InstallDependencies(
        self, request: Any, context: Any
    ) -> Iterator[language_pb2.InstallDependenciesResponse]:
        # Dependencies live in the venv that runs this host; installing is the developer's job.
        yield from ()

    def RuntimeOptionsPrompts(
        self, request: Any, context: Any
    ) -> language_pb2.RuntimeOptionsResponse:
        return language_pb2.RuntimeOptionsResponse()

    def RunPlugin(self, request: Any, context: Any) -> Iterator[language_pb2.RunPluginResponse]:
        yield from run_plugin(request, context)

    # -- running the program ----------------------------------------------------------------

    def Run(self, request: Any, context: Any) -> language_pb2.RunResponse:
        return contextvars.copy_context().run(self._run, request)

    def _run(self, request: Any) -> language_pb2.RunResponse:
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)  # as upstream's exec script
        program = _entry_point(request)
        program_dir = os.path.dirname(program)
        info = request.info if request.HasField("info") else None

        reset_options(
            project=request.project,
            stack=request.stack,
            root_directory=(info.root_directory if info else "") or None,
            parallel=request.parallel,
            engine_address=self.engine_address,
            monitor_address=request.monitor_address,
            preview=request.dryRun,
            organization=request.organization or "organization",
        )
        if request.config:
            set_all_config(dict(request.config), list(request.configSecretKeys) or None)

        saved_cwd, saved_path, saved_argv = os.getcwd(), list(sys.path), list(sys.argv)
        modules_before = set(sys.modules)
        result = language_pb2.RunResponse()
        loop = asyncio.new_event_loop()
        executor = ThreadPoolExecutor(max_workers=max(request.parallel, 1) * 4)
        loop.set_default_executor(executor)
        loop.set_exception_handler(self._exception_handler)
        try:
            if request.pwd:
                os.chdir(request.pwd)
            sys.path.insert(0, program_dir)
            sys.argv = [program, *request.args]
            loop.run_until_complete(run_in_stack(lambda: self._exec_program(program)))
        except _ProgramFailed:
            result.bail = True
        except _ProgramExit as exn:
            result.error = str(exn)
        except RunError as exn:
            log.error(str(exn))
            result.bail = True
        except grpc.RpcError as exn:
            if exn.code() == grpc.StatusCode.UNAVAILABLE:
                log.debug("Resource monitor has terminated, shutting down.")
            else:
                result.error = f"RPC error: {exn.details()}"
        except BaseException:  # report anything else (e.g. failures in outputs)
            log.error("Program failed with an unhandled exception:\n" + _user_traceback(program))
            result.bail = True
        finally:
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
                with suppress(asyncio.CancelledError, Exception):
                    loop.run_until_complete(task)
            loop.close()
            executor.shutdown(wait=True)
            os.chdir(saved_cwd)
            sys.path[:], sys.argv = saved_path, saved_argv
            _purge_modules(program_dir, modules_before)
            sys.stdout.flush()
            sys.stderr.flush()
        return result

    @staticmethod
    def _exec_program(program: str) -> None:
        """Run the user's entry point as ``__main__``; translate failures for ``_run``."""
        if not os.path.isfile(program):
            where = os.path.dirname(program) if program.endswith("__main__.py") else program
            log.error(f"unable to find main python program `__main__.py` in `{where}`")
            raise _ProgramFailed
        try:
            runpy.run_path(program, run_name="__main__")
        except SystemExit as exn:
            code = exn.code
            if code is None or code == 0:
                return
            if not isinstance(code, int):
                print(code, file=sys.stderr)
                code = 1
            raise _ProgramExit(code) from None
        except RunError:
            raise  # logged by _run, as upstream does
        except Exception:  # the user's program may raise anything
            log.error("Program failed with an unhandled exception:\n" + _user_traceback(program))
            raise _ProgramFailed from None


def _plugin_command(request: Any) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of a RunPlugin request's plugin.

    The interpreter is chosen as for programs: ``$PULUMI_PYTHON_CMD``, else the ``virtualenv`` /
    ``toolchain`` options of ``PulumiPlugin.yaml`` (relative to the plugin directory), else
    ``python3`` on PATH. The environment is ours overlaid with the engine's, the venv activated.
    """
    info = request.info
    plugin_dir = info.program_directory or info.root_directory or request.program
    if not os.path.isfile(os.path.join(plugin_dir, "__main__.py")):
        raise LaunchError(
            f"The plugin directory {plugin_dir} has no __main__.py; add one that starts the "
            "plugin (this language host runs plugins only through __main__.py)."
        )
    env = dict(os.environ)
    env.update(e.split("=", 1) for e in request.env if "=" in e)
    python, venv = env.get("PULUMI_PYTHON_CMD"), None
    if not python:
        options = json_format.MessageToDict(info.options) if info.HasField("options") else {}
        root = info.root_directory or plugin_dir
        venv_opt, toolchain = options.get("virtualenv"), options.get("toolchain")
        project = Project(
            file=Path(root) / "PulumiPlugin.yaml",
            main=Path(plugin_dir),
            virtualenv=str(venv_opt) if venv_opt else None,
            toolchain=str(toolchain).lower() if toolchain else None,
        )
        python, venv = choose_python(project, Path(root))
    return [python, plugin_dir, *request.args], activated(env, venv)


def _pump(stream: IO[bytes], field: str, out: queue.Queue[tuple[str, bytes] | None]) -> None:
    """Forward ``stream``'s bytes to ``out`` as they arrive, then ``None``."""
    with stream:
        while data := stream.read(65536):
            out.put((field, data))
    out.put(None)


def run_plugin(request: Any, context: Any) -> Iterator[language_pb2.RunPluginResponse]:
    """Stream a plugin's stdout/stderr and exit code; kill it when the RPC ends first."""
    if request.kind == "analyzer":
        context.abort(
            grpc.StatusCode.UNIMPLEMENTED,
            "This Python language host does not run policy packs; use Pulumi's "
            "pulumi-language-python for `runtime: python` policy packs.",
        )
    try:
        argv, env = _plugin_command(request)
    except LaunchError as exc:
        context.abort(grpc.StatusCode.FAILED_PRECONDITION, str(exc))
    try:
        proc = subprocess.Popen(
            argv,
            cwd=request.pwd or None,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,
        )
    except OSError as exc:
        context.abort(
            grpc.StatusCode.FAILED_PRECONDITION,
            f"Cannot start the plugin's interpreter {argv[0]} ({exc.strerror}); set "
            "PULUMI_PYTHON_CMD or the plugin's virtualenv option to an existing Python.",
        )

    def stop() -> None:  # the RPC ended: after a cancel the plugin still runs
        proc.kill()
        proc.wait()

    if not context.add_callback(stop):  # the engine cancelled before we started
        stop()
    chunks: queue.Queue[tuple[str, bytes] | None] = queue.Queue()
    assert proc.stdout is not None and proc.stderr is not None
    for stream, field in ((proc.stdout, "stdout"), (proc.stderr, "stderr")):
        threading.Thread(target=_pump, args=(stream, field, chunks), daemon=True).start()
    open_streams = 2
    while open_streams:
        item = chunks.get()
        if item is None:
            open_streams -= 1
            continue
        field, data = item
        if field == "stdout":
            yield language_pb2.RunPluginResponse(stdout=data)
        else:
            yield language_pb2.RunPluginResponse(stderr=data)
    code = proc.wait()
    yield language_pb2.RunPluginResponse(exitcode=code if code >= 0 else -1)


def _engine_address(argv: list[str]) -> str:
    """The last positional argument, skipping Go-style flags (``-v=3``, ``--tracing X``)."""
    positional: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg.startswith("-") and arg not in ("-", "--"):
            name = arg.lstrip("-")
            skip = "=" not in name and name in _VALUE_FLAGS
        else:
            positional.append(arg)
    return positional[-1] if positional else ""


def main(argv: list[str] | None = None) -> None:
    """Serve the language runtime on a free localhost port and print the port first on stdout."""
    engine_address = _engine_address(sys.argv[1:] if argv is None else argv)
    # Each RunPlugin stream holds a worker for the plugin's lifetime, next to Run; threads start
    # only when needed, so a generous cap costs nothing and no plugin waits for a free worker.
    workers = futures.ThreadPoolExecutor(max_workers=64)
    server = grpc.server(workers, options=_GRPC_CHANNEL_OPTIONS)
    language_pb2_grpc.add_LanguageRuntimeServicer_to_server(
        PythonLanguageHost(engine_address), server
    )
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    try:
        server.wait_for_termination()
    except KeyboardInterrupt:
        server.stop(0)


if __name__ == "__main__":
    main()
