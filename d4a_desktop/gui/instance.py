"""One program, many windows: a second start hands its files to the program already running.

The running program listens on a local socket: on Linux and macOS a Unix socket file,
served with Python's own socket module and a QSocketNotifier (loading QtNetwork would cost
every start some 20 ms); on Windows a named pipe, through QLocalServer. Its address is
private to the user and to the data folder (``D4A_HOME``), so tests, portable installs and
other users never reach each other's program. A second start connects, sends the files it
was given as one line of JSON, waits for "ok" and exits; the running program opens each
file in a window of its own, or raises the window that already has it.

A socket file left behind by a crash is recognised (nobody answers on it) and removed, so
it never blocks a start. Looking for a running program costs nothing when there is no
socket file, and QtNetwork is loaded only on Windows.
"""

from __future__ import annotations

import contextlib
import errno
import getpass
import json
import logging
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

from d4a_desktop import paths
from d4a_desktop.digest import sha1

log = logging.getLogger("d4a.instance")

#: Requests are small; anything longer is not ours.
MAX_REQUEST = 256 * 1024
MAX_FILES = 64
#: Unix sockets take a path of at most 104 bytes on macOS, 108 on Linux.
_MAX_SOCKET_PATH = 100


@dataclass(frozen=True)
class Request:
    """What a second start asks for: files to open (absolute paths) and/or the demo."""

    files: tuple[str, ...] = ()
    demo: bool = False

    def encode(self) -> bytes:
        return json.dumps({"files": list(self.files), "demo": self.demo}).encode() + b"\n"

    @classmethod
    def decode(cls, data: bytes) -> Request | None:
        """The request in ``data``, or None when it is not one (never raises)."""
        try:
            value = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None
        if not isinstance(value, dict):
            return None
        files, demo = value.get("files", []), value.get("demo", False)
        if not isinstance(files, list) or not isinstance(demo, bool) or len(files) > MAX_FILES:
            return None
        if not all(isinstance(f, str) and f and "\x00" not in f for f in files):
            return None
        return cls(tuple(files), demo)


def _user() -> str:
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = ""
    return re.sub(r"[^\w.-]+", "-", name)[:32] or "user"


def _private_folder(base: str) -> str | None:
    """``base/d4a-desktop-<uid>``, made only this user's; None when it cannot be (someone
    else made it first, or it is not a folder)."""
    folder = os.path.join(base, f"d4a-desktop-{os.getuid()}")
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        st = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
        return None
    return folder


def address() -> str:
    """The running program's address for this user and data folder: on Linux and macOS a
    socket in a folder only this user may enter (the session's runtime folder, or one
    made in the temporary folder), so no one else can connect."""
    data = str(paths.user_data_dir().absolute())
    digest = sha1(data.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    if sys.platform == "win32":
        return f"d4a-desktop-{_user()}-{digest}"
    name = f"d4a-desktop-{digest}.sock"
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    candidates = [runtime] if runtime and os.path.isdir(runtime) else []
    candidates += [f for f in (_private_folder(tempfile.gettempdir()),
                               _private_folder("/tmp")) if f]
    for folder in candidates:
        if len(os.path.join(folder, name)) <= _MAX_SOCKET_PATH:
            return os.path.join(folder, name)
    return f"d4a-desktop-{os.getuid()}-{digest}"  # QLocalServer's own temporary folder


@contextlib.contextmanager
def _claiming(name: str) -> Iterator[None]:
    """Hold a lock beside the address while listening, probing and removing a stale
    socket. Without it, two programs started at the same moment could meet in the instant
    between one's bind and listen: the other's probe is refused, it takes the live
    address for stale, removes it and listens too, and both run on. The kernel drops the
    lock of a program that dies, so a crash never leaves it held."""
    if not os.path.isabs(name):  # Windows, or Qt's own folder: nothing to lock beside
        yield
        return
    import fcntl

    try:
        fd = os.open(name + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        log.warning("cannot open the start lock beside %s: %s", name, exc)
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _unix(name: str) -> bool:
    """Whether the address is a Unix socket file served without QtNetwork."""
    return sys.platform != "win32" and os.path.isabs(name)


def _may_be_listening(name: str) -> bool:
    """False when no program can be listening: a socket address whose file is absent."""
    return not os.path.isabs(name) or os.path.exists(name)


def hand_over(request: Request, name: str | None = None, *, timeout_ms: int = 8000) -> bool:
    """Give ``request`` to the running program; True when it took it. False (and nothing
    else happens) when no program runs or it does not answer: then this start goes on."""
    name = name or address()
    if not _may_be_listening(name):
        return False
    if _unix(name):
        return _hand_over_unix(request, name, timeout_ms)
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(1000):
        log.info("no program answers at %s (%s)", name, socket.errorString())
        return False
    try:
        socket.write(request.encode())
        if not socket.waitForBytesWritten(timeout_ms):
            return False
        answer = b""
        while not answer.endswith(b"\n") and len(answer) < 64:
            if not socket.waitForReadyRead(timeout_ms):
                log.warning("the running program did not answer a hand-over")
                return False
            answer += bytes(socket.readAll().data())
        return answer.strip() == b"ok"
    finally:
        socket.abort()


def _hand_over_unix(request: Request, name: str, timeout_ms: int) -> bool:
    import socket

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        try:
            sock.connect(name)
        except OSError as exc:
            log.info("no program answers at %s (%s)", name, exc)
            return False
        sock.settimeout(timeout_ms / 1000)
        answer = b""
        try:
            sock.sendall(request.encode())
            while not answer.endswith(b"\n") and len(answer) < 64:
                chunk = sock.recv(64)
                if not chunk:
                    break
                answer += chunk
        except OSError:
            log.warning("the running program did not answer a hand-over")
            return False
        return answer.strip() == b"ok"


def _unix_answers(name: str) -> bool:
    import socket

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        try:
            probe.connect(name)
        except OSError:
            return False
        return True


class InstanceServer(QObject):
    """Listens for second starts; ``requested`` carries each one's Request."""

    requested = Signal(object)

    def __init__(self, name: str | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.name = name or address()
        self._server: Any = None
        self._buffers: dict[Any, bytes] = {}
        #: The Unix socket listened on (Linux, macOS), its file's inode (removed at close
        #: only while it is still this one) and what each connection sent so far.
        self._unix: Any = None
        self._inode = 0
        self._notifier: QSocketNotifier | None = None
        self._clients: dict[Any, tuple[bytes, QSocketNotifier]] = {}
        #: Set by :meth:`start` when another program answers at this address.
        self.other_running = False

    def start(self) -> bool:
        """Listen; a stale address left by a crash is removed first. False when another
        program already listens there (``other_running``: two were started at the same
        moment, and this one should hand its files over after all), or listening fails."""
        if _unix(self.name):
            with _claiming(self.name):
                return self._listen_unix()
        from PySide6.QtNetwork import QLocalServer

        server = QLocalServer(self)
        # No access options: with them Qt binds elsewhere and renames the socket into
        # place, silently replacing a live program's address. Bound directly, an address
        # in use is refused, which is what tells two programs apart. The folder of the
        # address is private already (see ``address``).
        server.newConnection.connect(self._accept)
        with _claiming(self.name):
            return self._listen(server)

    def _listen(self, server: Any) -> bool:
        from PySide6.QtNetwork import QAbstractSocket, QLocalServer

        if not server.listen(self.name):
            if server.serverError() != QAbstractSocket.SocketError.AddressInUseError:
                log.warning("cannot listen at %s: %s", self.name, server.errorString())
                return False
            if self._answered():
                log.info("another program already listens at %s", self.name)
                self.other_running = True
                return False
            log.info("removing a stale socket left at %s", self.name)
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                log.warning("cannot listen at %s: %s", self.name, server.errorString())
                return False
        self._server = server
        log.debug("listening at %s", self.name)
        return True

    def _listen_unix(self) -> bool:
        import socket

        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            try:
                server.bind(self.name)
            except OSError as exc:
                if exc.errno != errno.EADDRINUSE:
                    raise
                if _unix_answers(self.name):
                    log.info("another program already listens at %s", self.name)
                    self.other_running = True
                    server.close()
                    return False
                log.info("removing a stale socket left at %s", self.name)
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.name)
                server.bind(self.name)
            server.listen(8)
            server.setblocking(False)
            self._inode = os.stat(self.name).st_ino
        except OSError as exc:
            log.warning("cannot listen at %s: %s", self.name, exc)
            server.close()
            return False
        self._unix = server
        self._notifier = QSocketNotifier(server.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._accept_unix)
        log.debug("listening at %s", self.name)
        return True

    def _accept_unix(self, *_args: Any) -> None:
        while self._unix is not None:
            try:
                conn, _address = self._unix.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                log.warning("cannot take a connection at %s: %s", self.name, exc)
                return
            conn.setblocking(False)
            notifier = QSocketNotifier(conn.fileno(), QSocketNotifier.Type.Read, self)
            self._clients[conn] = (b"", notifier)
            notifier.activated.connect(lambda *_a, c=conn: self._read_unix(c))

    def _read_unix(self, conn: Any) -> None:
        if conn not in self._clients:
            return
        data, notifier = self._clients[conn]
        try:
            chunk = conn.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if not chunk:  # the other side went away before a whole request
            self._drop_unix(conn)
            return
        data += chunk
        if b"\n" not in data:
            if len(data) > MAX_REQUEST:
                log.warning("dropping an overlong request")
                self._drop_unix(conn)
            else:
                self._clients[conn] = (data, notifier)
            return
        answer = self._answer(data)
        with contextlib.suppress(OSError):
            conn.setblocking(True)
            conn.settimeout(1.0)
            conn.sendall(answer)
        self._drop_unix(conn)

    def _drop_unix(self, conn: Any) -> None:
        _data, notifier = self._clients.pop(conn, (b"", None))
        if notifier is not None:
            notifier.setEnabled(False)
            notifier.deleteLater()
        conn.close()

    def _answered(self) -> bool:
        from PySide6.QtNetwork import QLocalSocket

        probe = QLocalSocket()
        probe.connectToServer(self.name)
        alive = probe.waitForConnected(500)
        probe.abort()
        return alive

    @property
    def listening(self) -> bool:
        return self._unix is not None or (self._server is not None
                                          and self._server.isListening())

    def close(self) -> None:
        if self._unix is not None:
            for conn in list(self._clients):
                self._drop_unix(conn)
            if self._notifier is not None:
                self._notifier.setEnabled(False)
                self._notifier.deleteLater()
                self._notifier = None
            self._unix.close()
            self._unix = None
            with contextlib.suppress(OSError):  # the address, unless another took it since
                if os.stat(self.name).st_ino == self._inode:
                    os.unlink(self.name)
        if self._server is not None:
            self._server.close()  # removes the socket file
            self._server = None

    def _accept(self) -> None:
        while self._server is not None and self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._drop(s))

    def _drop(self, socket: Any) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()

    def _read(self, socket: Any) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if b"\n" not in data:
            if len(data) > MAX_REQUEST:
                log.warning("dropping an overlong request")
                socket.abort()
                self._drop(socket)
            else:
                self._buffers[socket] = data
            return
        socket.write(self._answer(data))
        socket.flush()
        socket.disconnectFromServer()

    def _answer(self, data: bytes) -> bytes:
        """The answer to the first line of ``data``; a request is handed on after."""
        request = Request.decode(data.split(b"\n", 1)[0])
        if request is None:
            log.warning("ignoring a request that is not one")
            return b"bad\n"
        log.info("second start hands over %d file(s)%s", len(request.files),
                 " and the demo" if request.demo else "")
        # Answered first, handled after: the second start need not wait for dialogs.
        QTimer.singleShot(0, lambda: self.requested.emit(request))
        return b"ok\n"
