"""Real loopback servers for transport tests (no mocks: the client opens real sockets).

* `RecordingProxy` accepts connections, records the first request line of each (``GET http://…``
  for a plain-http proxy request, ``CONNECT host:port`` for a tunnel), answers 502 and closes.
  A test that sets ``HTTP_PROXY``/``HTTPS_PROXY`` to it can assert what went through a proxy.
* `UntrustedTLSServer` completes TLS handshakes with a certificate from a throw-away CA (trustme)
  that no client trusts, and counts connection attempts.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from types import TracebackType
from typing import Self

import trustme


class _LoopbackServer:
    """A threaded accept loop on 127.0.0.1:<free port>; subclasses handle each connection."""

    def __init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]
        self.lock = threading.Lock()
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept() on Linux
        self._sock.close()
        self._thread.join(timeout=5)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
            try:
                self.handle(conn)
            except OSError:
                pass
            finally:
                conn.close()

    def handle(self, conn: socket.socket) -> None:
        raise NotImplementedError


class RecordingProxy(_LoopbackServer):
    """An HTTP proxy that refuses everything (502) and records each request line."""

    def __init__(self) -> None:
        super().__init__()
        self.request_lines: list[str] = []
        self.raw: list[bytes] = []

    def handle(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
        with self.lock:
            self.raw.append(data)
            self.request_lines.append(data.split(b"\r\n", 1)[0].decode("latin-1"))
        conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


class UntrustedTLSServer(_LoopbackServer):
    """Serves TLS with a certificate for 127.0.0.1/localhost signed by an untrusted CA."""

    def __init__(self) -> None:
        super().__init__()
        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1", "localhost")
        self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        cert.configure_cert(self._context)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def handle(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        try:
            with self._context.wrap_socket(conn, server_side=True) as tls:
                tls.recv(1)
        except (ssl.SSLError, OSError):
            pass
