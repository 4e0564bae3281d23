"""Test helpers: the emulator in a background thread (``running_emulator``) or a subprocess
(``EmulatorProcess``), both on a real 127.0.0.1 socket.

Both take ``control_token`` (the control API then requires it, and ``.control`` sends it).
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from cartesia_pulumi.emulator.app import ControlAccess, EmulatorMiddleware, create_app
from cartesia_pulumi.emulator.control import TOKEN_ENV, EmulatorControl
from cartesia_pulumi.emulator.server import EmulatorServer, bind_socket, make_config, url_of

READY_PREFIX = "Cartesia emulator listening on "


class RunningEmulator:
    """An emulator served by uvicorn in a daemon thread."""

    def __init__(
        self,
        app: EmulatorMiddleware,
        server: EmulatorServer,
        url: str,
        control_token: str | None = None,
    ) -> None:
        self.app = app
        self.server = server
        self.url = url
        self.control = EmulatorControl(url, token=control_token)
        self._thread: threading.Thread | None = None

    def stop(self) -> None:
        """Shut the server down and close the database (idempotent)."""
        if self._thread is None:
            return
        self.server.should_exit = True
        self._thread.join(timeout=15)
        self._thread = None
        self.control.close()
        self.app.emulator.store.close()


@contextmanager
def running_emulator(
    *,
    seed: Mapping[str, Any] | None = None,
    demo: bool = False,
    data: str | os.PathLike[str] | None = None,
    plain_text_errors_for_old_versions: bool = False,
    control_token: str | None = None,
) -> Iterator[RunningEmulator]:
    """Run an emulator in a background thread on 127.0.0.1 and a free port.

    Yields a :class:`RunningEmulator` (``.url``, ``.control``, ``.stop()``); stopped on exit.
    With ``control_token`` the control API requires that token (``.control`` sends it).
    """
    app = create_app(
        data=str(data) if data is not None else None,
        seed=seed,
        demo=demo,
        plain_text_errors_for_old_versions=plain_text_errors_for_old_versions,
        control=ControlAccess(token=control_token),
    )
    sock = bind_socket("127.0.0.1", 0)
    ready = threading.Event()
    server = EmulatorServer(make_config(app), on_ready=ready.set)
    running = RunningEmulator(app, server, url_of(sock), control_token)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="cartesia-emulator", daemon=True
    )
    running._thread = thread
    thread.start()
    try:
        if not ready.wait(timeout=15):
            raise RuntimeError("the emulator did not start within 15 s")
        yield running
    finally:
        running.stop()
        sock.close()


class EmulatorProcess:
    """The emulator as a subprocess (``python -m cartesia_pulumi.emulator``).

    Args:
        data: SQLite file (durable across restarts), or ``None`` for in-memory state.
        seed: seed dict written to a temporary JSON file and passed as ``--seed``.
        demo: pass ``--demo``.
        port: TCP port; 0 picks a free one at the first start, kept on restart.
        extra_args: further CLI arguments.
        control_token: the control token (passed as ``CARTESIA_EMULATOR_CONTROL_TOKEN``) and
            sent by :attr:`control`.
    """

    def __init__(
        self,
        data: str | os.PathLike[str] | None = None,
        seed: Mapping[str, Any] | None = None,
        demo: bool = False,
        port: int = 0,
        extra_args: list[str] | None = None,
        control_token: str | None = None,
    ) -> None:
        self.data = str(data) if data is not None else None
        self.seed = seed
        self.demo = demo
        self.port = port
        self.extra_args = list(extra_args or [])
        self.control_token = control_token
        self.url = ""
        self._control: EmulatorControl | None = None
        self._proc: subprocess.Popen[str] | None = None
        self._pump: threading.Thread | None = None
        self._seed_file: str | None = None

    def _command(self) -> list[str]:
        cmd = [sys.executable, "-m", "cartesia_pulumi.emulator", "--port", str(self.port)]
        if self.data:
            cmd += ["--data", self.data]
        if self.seed is not None:
            if self._seed_file is None:
                fd, self._seed_file = tempfile.mkstemp(prefix="emulator-seed-", suffix=".json")
                with os.fdopen(fd, "w") as fh:
                    json.dump(dict(self.seed), fh)
            cmd += ["--seed", self._seed_file]
        if self.demo:
            cmd.append("--demo")
        return cmd + self.extra_args

    def start(self, timeout: float = 30.0) -> EmulatorProcess:
        """Start the process and wait for its ready line."""
        if self._proc is not None:
            raise RuntimeError("already running")
        env = dict(os.environ)
        if self.control_token is not None:
            # Through the environment, not argv, so the token does not show in `ps`.
            env[TOKEN_ENV] = self.control_token
        proc = subprocess.Popen(
            self._command(),
            env=env,
            stdout=subprocess.PIPE,
            text=True,
            cwd=str(Path(__file__).resolve().parents[2]),
        )
        self._proc = proc
        lines: queue.Queue[str | None] = queue.Queue()

        def pump(stream: IO[str]) -> None:
            for line in stream:
                lines.put(line)
            lines.put(None)

        assert proc.stdout is not None
        self._pump = threading.Thread(target=pump, args=(proc.stdout,), daemon=True)
        self._pump.start()
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self.kill()
                raise RuntimeError("emulator process did not become ready in time") from None
            if line is None:
                code = proc.wait()
                self._reap(proc)
                raise RuntimeError(f"emulator process exited with {code} before becoming ready")
            if line.startswith(READY_PREFIX):
                self.url = line[len(READY_PREFIX) :].strip()
                self.port = int(self.url.rsplit(":", 1)[1])
                break
        if self._control is not None:
            self._control.close()
        self._control = EmulatorControl(self.url, token=self.control_token)
        return self

    @property
    def control(self) -> EmulatorControl:
        """Control client of the running process (valid after the first :meth:`start`)."""
        if self._control is None:
            raise RuntimeError("EmulatorProcess has not been started")
        return self._control

    def stop(self, timeout: float = 10.0) -> None:
        """Graceful stop (SIGTERM), SIGKILL if it does not exit in time."""
        proc = self._proc
        if proc is None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        self._reap(proc)

    def _reap(self, proc: subprocess.Popen[str]) -> None:
        """Forget a finished process: join the stdout pump and close the pipe."""
        if self._pump is not None:
            self._pump.join(timeout=5)
            self._pump = None
        if proc.stdout is not None:
            proc.stdout.close()
        self._proc = None

    def kill(self) -> None:
        """Hard kill (SIGKILL): no shutdown code runs."""
        proc = self._proc
        if proc is None:
            return
        proc.kill()
        proc.wait()
        self._reap(proc)

    def restart(self) -> EmulatorProcess:
        """Stop (if running) and start again on the same port."""
        self.stop()
        return self.start()

    def close(self) -> None:
        """Stop and clean up the temporary seed file."""
        self.stop()
        if self._control is not None:
            self._control.close()
        if self._seed_file is not None:
            Path(self._seed_file).unlink(missing_ok=True)
            self._seed_file = None

    def __enter__(self) -> EmulatorProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
