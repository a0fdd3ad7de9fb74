"""A real WebDAV server (WsgiDAV on cheroot) on 127.0.0.1 for the sync tests, with faults
on request: answers with a chosen status (401, 404, 500, 507 …), and a server that
disappears in the middle of a transfer.

Clients talk to a small TCP relay in front of the server. To make the server disappear,
the relay passes on a given number of bytes of a transfer, then closes every connection
and stops listening, as a server whose machine went off the network would; ``start``
brings it back on the same port.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from cheroot import wsgi
from wsgidav.wsgidav_app import WsgiDAVApp

USER, PASSWORD = "anna", "correct horse"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class DavServer:
    def __init__(self, root: Path, folder: str = "share"):
        self.root = root
        self.folder = root / folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/{folder}/"
        #: method → status to answer instead of serving it
        self.status: dict[str, int] = {}
        #: (method, path, Range header) of every request, for the tests to look at
        self.requests: list[tuple[str, str, str]] = []
        #: "up" (client to server) or "down" → bytes after which the server disappears
        self.cut: dict[str, int] = {}
        self._dav_port = free_port()
        self._dav = wsgi.Server(("127.0.0.1", self._dav_port), self._app(), numthreads=4,
                                shutdown_timeout=1)
        self._dav.error_log = lambda *args, **kwargs: None
        self._dav.prepare()
        self._dav_thread = threading.Thread(target=self._dav.serve, daemon=True)
        self._dav_thread.start()
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()

    def _app(self) -> Callable[..., Iterable[bytes]]:
        dav = WsgiDAVApp({
            "host": "127.0.0.1", "port": 0,
            "provider_mapping": {"/": str(self.root)},
            "simple_dc": {"user_mapping": {"*": {USER: {"password": PASSWORD}}}},
            "http_authenticator": {"accept_basic": True, "accept_digest": False,
                                   "default_to_digest": False},
            "verbose": 0, "logging": {"enable": False},
            "dir_browser": {"enable": False},
            "property_manager": True, "lock_storage": True,
        })

        def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            method = environ["REQUEST_METHOD"]
            self.requests.append((method, environ.get("PATH_INFO", ""),
                                  environ.get("HTTP_RANGE", "")))
            if method in self.status:
                start_response(f"{self.status[method]} Injected", [("Content-Length", "0")])
                return [b""]
            return dav(environ, start_response)
        return app

    # --- the relay ---------------------------------------------------------------------

    def start(self) -> DavServer:
        """Listen (again, on the same port, after the server disappeared)."""
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self._dav_port))
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open.update((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream, "up"),
                             daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, "down"),
                             daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, direction: str) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                data = b""
            if not data:
                with contextlib.suppress(OSError):
                    target.shutdown(socket.SHUT_WR)
                return
            limit = self.cut.get(direction)
            if limit is not None:
                if len(data) >= limit:
                    with contextlib.suppress(OSError):
                        target.sendall(data[:limit])
                    self.cut.pop(direction, None)
                    self.disappear()
                    return
                self.cut[direction] = limit - len(data)
            try:
                target.sendall(data)
            except OSError:
                return

    def disappear(self) -> None:
        """Stop listening and drop every connection, mid-transfer or not."""
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)  # wakes the thread waiting in accept
            with contextlib.suppress(OSError):
                listener.close()
        with self._lock:
            sockets, self._open = self._open, set()
        for s in sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                s.close()

    @property
    def running(self) -> bool:
        return self._listener is not None

    def close(self) -> None:
        self.disappear()
        self._dav.stop()
