"""One program, many windows: a second start hands its files to the running program."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from d4a_desktop.gui import instance
from d4a_desktop.gui.instance import InstanceServer, Request
from d4a_desktop.services.projects import NewProject, create_project
from d4a_desktop.storage import lock


def test_requests_round_trip_and_hostile_ones_are_refused() -> None:
    request = Request(("/home/anna/Cycling counts.d4a", "/tmp/ø.d4a"), demo=True)
    assert Request.decode(request.encode().rstrip(b"\n")) == request
    for bad in (b"", b"\xff\xfe", b"[]", b'{"files": "x"}', b'{"files": [1]}',
                b'{"files": [""]}', b'{"demo": "yes"}', b'{"files": ["a\\u0000b"]}',
                b'{"files": [' + b",".join([b'"a"'] * 65) + b"]}"):
        assert Request.decode(bad) is None, bad
    assert Request.decode(b"{}") == Request()


def test_address_is_per_user_and_per_data_folder(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("D4A_HOME", str(tmp_path / "one"))
    first = instance.address()
    monkeypatch.setenv("D4A_HOME", str(tmp_path / "two"))
    second = instance.address()
    assert first != second
    if sys.platform != "win32":
        assert len(first) <= 100
        folder = Path(first).parent
        assert folder.is_dir() and folder.stat().st_uid == os.getuid()
        assert str(folder) == os.environ.get("XDG_RUNTIME_DIR") or \
            folder.stat().st_mode & 0o077 == 0  # nobody else may even look in


@pytest.mark.skipif(sys.platform == "win32", reason="no socket folder on Windows")
def test_a_folder_someone_else_prepared_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    short = Path(tempfile.mkdtemp(prefix="d4a-", dir="/tmp"))  # room for a socket's name
    try:
        monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
        monkeypatch.setattr(instance.tempfile, "gettempdir", lambda: str(short))
        own = instance.address()
        assert own.startswith(str(short / f"d4a-desktop-{os.getuid()}"))
        shutil.rmtree(short / f"d4a-desktop-{os.getuid()}")
        planted = short / f"d4a-desktop-{os.getuid()}"
        planted.mkdir()
        planted.chmod(0o777)  # as if another user had made it to listen in
        assert not instance.address().startswith(str(planted))
    finally:
        shutil.rmtree(short)


def _stale_socket(path: str) -> None:
    """What a crash leaves: a socket file nobody listens on."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(path)
    sock.close()
    assert os.path.exists(path)


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes leave no file")
def test_a_stale_socket_never_blocks(qtbot, home: Path) -> None:
    name = instance.address()
    _stale_socket(name)
    assert not instance.hand_over(Request(("/tmp/x.d4a",)))  # nobody answers: start alone
    server = InstanceServer()
    try:
        assert server.start()
        assert server.listening and not server.other_running
    finally:
        server.close()
    assert not os.path.exists(name)  # closing removes the address again


def test_a_live_program_is_never_pushed_aside(qtbot, home: Path) -> None:
    first, second = InstanceServer(), InstanceServer()
    try:
        assert first.start()
        assert not second.start()
        assert second.other_running and not second.listening
        assert first.listening
    finally:
        second.close()
        first.close()


def test_requests_reach_the_program(qtbot, home: Path) -> None:
    """A request arrives as the Request it was, and the sender gets its answer."""
    from PySide6.QtNetwork import QLocalSocket

    server = InstanceServer()
    received: list[Request] = []
    server.requested.connect(received.append)
    assert server.start()
    try:
        client = QLocalSocket()
        client.connectToServer(server.name)
        assert client.waitForConnected(5000)
        request = Request(("/data/a.d4a", "/data/b.d4a"), demo=True)
        data = request.encode()
        client.write(data[:7])  # arrives in pieces, as a socket may deliver it
        client.flush()
        qtbot.wait(20)
        client.write(data[7:])
        client.flush()
        qtbot.waitUntil(lambda: received == [request])
        answer = b""
        qtbot.waitUntil(lambda: client.bytesAvailable() > 0 or client.state() !=
                        QLocalSocket.LocalSocketState.ConnectedState)
        answer = bytes(client.readAll().data())
        assert answer == b"ok\n"
        garbage = QLocalSocket()
        garbage.connectToServer(server.name)
        assert garbage.waitForConnected(5000)
        garbage.write(b"not json\n")
        garbage.flush()
        qtbot.waitUntil(lambda: garbage.bytesAvailable() > 0)
        assert bytes(garbage.readAll().data()) == b"bad\n"
        qtbot.wait(50)
        assert received == [request]
    finally:
        server.close()


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes leave no file")
def test_no_socket_file_no_qtnetwork(home: Path) -> None:
    """A start with nobody running does not even load QtNetwork to find that out."""
    code = ("import sys\n"
            "from d4a_desktop.gui import instance\n"
            "assert not instance.hand_over(instance.Request(('/tmp/a.d4a',)))\n"
            "print('NET' if 'PySide6.QtNetwork' in sys.modules else 'NONET')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "D4A_HOME": str(home)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "NONET"


# --- whole programs ---------------------------------------------------------------------------

def _wait(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(0.05)


def _holder_pid(path: Path) -> int | None:
    holder = lock.read(path)
    return holder.pid if holder is not None else None


@pytest.fixture
def programs(home: Path, tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    env = {**os.environ, "D4A_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}

    def start(*args: str) -> subprocess.Popen[str]:
        proc = subprocess.Popen([sys.executable, "-m", "d4a_desktop", "gui", *args], env=env,
                                cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)


def _projects(tmp_path: Path, *names: str) -> list[Path]:
    made = []
    for name in names:
        path = tmp_path / name
        create_project(path, NewProject(name, "Vejle", "DK")).close()
        made.append(path)
    return made


def _log(home: Path) -> str:
    path = home / "log" / "d4a-desktop.log"
    return path.read_text("utf-8") if path.exists() else ""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="uses SIGTERM")
def test_second_start_hands_its_file_to_the_running_program(programs, home: Path,
                                                            tmp_path: Path) -> None:
    first_file, second_file = _projects(tmp_path, "first.d4a", "second.d4a")
    first = programs(str(first_file))
    _wait(lambda: _holder_pid(first_file) == first.pid, "the first program holds its file")
    _wait(lambda: os.path.exists(instance.address()), "the first program listens")

    second = programs("second.d4a")  # a relative name, as a file manager or shell gives it
    assert second.wait(60) == 0, second.stdout.read() if second.stdout else ""
    _wait(lambda: _holder_pid(second_file) == first.pid,
          "the running program opened the handed-over file")
    assert "handed over to the running program" in _log(home)

    # Already open there: its window is raised. A start that hands over loads no widgets.
    code = ("import sys\nfrom d4a_desktop import app\ncode = app.main(sys.argv[1:])\n"
            "print('WIDGETS' if 'PySide6.QtWidgets' in sys.modules else 'LIGHT')\n"
            "sys.exit(code)\n")
    env = {**os.environ, "D4A_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    third = subprocess.run([sys.executable, "-c", code, str(first_file)], env=env,
                           capture_output=True, text=True, timeout=120)
    assert third.returncode == 0 and third.stdout.strip() == "LIGHT", third.stderr
    _wait(lambda: "first.d4a is open already: raising its window" in _log(home),
          "the running program raised the window that has the file")
    assert _log(home).count("new window") == 2  # the first window and the second file's

    first.send_signal(signal.SIGTERM)  # logging out: every window closes its project
    assert first.wait(60) == 0
    assert lock.read(first_file) is None and lock.read(second_file) is None
    assert not os.path.exists(instance.address())


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="uses SIGTERM")
def test_a_crashed_program_leaves_nothing_that_blocks(programs, home: Path,
                                                      tmp_path: Path) -> None:
    (path,) = _projects(tmp_path, "p.d4a")
    crashed = programs(str(path))
    _wait(lambda: _holder_pid(path) == crashed.pid, "the program holds its file")
    _wait(lambda: os.path.exists(instance.address()), "the program listens")
    crashed.kill()
    crashed.wait(30)
    assert os.path.exists(instance.address())  # left behind

    again = programs(str(path))
    _wait(lambda: _holder_pid(path) == again.pid, "a new start opens the file")
    assert again.poll() is None
    assert "removing a stale socket" in _log(home)
    again.send_signal(signal.SIGTERM)
    assert again.wait(60) == 0


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="uses SIGTERM")
def test_a_signal_reaches_a_program_that_is_idle(programs, home: Path,
                                                 tmp_path: Path) -> None:
    """Python runs a signal handler only when it next gets control, and a Qt event loop
    with nothing to do gives it none: the program wakes itself through a pipe the signal
    writes to (without it, this program never quits)."""
    (path,) = _projects(tmp_path, "idle.d4a")
    idle = programs(str(path))
    _wait(lambda: _holder_pid(path) == idle.pid, "the program holds its file")
    _wait(lambda: os.path.exists(instance.address()), "the program listens")
    time.sleep(3)  # what a start leaves to timers is done: the loop waits for events
    idle.send_signal(signal.SIGTERM)
    try:
        assert idle.wait(30) == 0
    except subprocess.TimeoutExpired:
        raise AssertionError("SIGTERM did not end an idle program") from None
    assert lock.read(path) is None


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="uses SIGTERM")
def test_a_signal_during_a_message_at_start_still_ends_the_program(
        programs, home: Path, tmp_path: Path) -> None:
    """A start that says a file cannot be opened waits in that message's own loop; a
    signal then closed the windows and left the message, and the program, running with no
    window at all. The message is answered as cancelled first, then the program leaves."""
    missing = tmp_path / "gone.d4a"
    waiting = programs(str(missing))
    _wait(lambda: "cannot open: " in _log(home), "the start says the file is missing")
    time.sleep(1)  # the message's loop waits for a click
    waiting.send_signal(signal.SIGTERM)
    try:
        assert waiting.wait(30) == 0
    except subprocess.TimeoutExpired:
        raise AssertionError("SIGTERM did not end a program showing a message") from None
    assert "QMessageBox answered as cancelled" in _log(home)


LATE = """
import sys
from d4a_desktop import app
from d4a_desktop.gui import instance

real, calls = instance.hand_over, []

def late(*args, **kwargs):  # the first look finds nobody: the other was not listening yet
    calls.append(1)
    return False if len(calls) == 1 else real(*args, **kwargs)

instance.hand_over = late
sys.exit(app.main(sys.argv[1:]))
"""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="uses SIGTERM")
def test_a_start_that_finds_the_address_taken_hands_over_after_all(
        programs, home: Path, tmp_path: Path) -> None:
    """Two started at once: both looked before either listened; the one that loses the
    address hands its file over instead of running a second program."""
    a, b = _projects(tmp_path, "a.d4a", "b.d4a")
    first = programs(str(a))
    _wait(lambda: _holder_pid(a) == first.pid, "the first program holds its file")
    env = {**os.environ, "D4A_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    late = subprocess.run([sys.executable, "-c", LATE, str(b)], env=env, timeout=120,
                          capture_output=True, text=True)
    assert late.returncode == 0, late.stdout + late.stderr
    assert "handed over to a program started at the same moment" in _log(home)
    _wait(lambda: _holder_pid(b) == first.pid, "the running program opened the file")
    first.send_signal(signal.SIGTERM)
    assert first.wait(60) == 0


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="uses SIGTERM")
def test_two_starts_at_the_same_moment_end_in_one_program(programs, home: Path,
                                                          tmp_path: Path) -> None:
    """A file manager starts one program per file when several are opened at once."""
    a, b = _projects(tmp_path, "a.d4a", "b.d4a")
    one, two = programs(str(a)), programs(str(b))
    _wait(lambda: one.poll() is not None or two.poll() is not None,
          "one of the two hands over and ends")
    left, gone = (one, two) if one.poll() is None else (two, one)
    assert gone.returncode == 0
    _wait(lambda: _holder_pid(a) == left.pid and _holder_pid(b) == left.pid,
          "the program left running holds both files")
    left.send_signal(signal.SIGTERM)
    assert left.wait(60) == 0


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file locks")
def test_listening_is_claimed_under_a_lock(tmp_path: Path) -> None:
    """Two starts at one moment take turns to listen, probe and remove a stale address,
    so neither can take the other's live socket, caught between bind and listen, for
    stale."""
    import fcntl
    import os

    from d4a_desktop.gui import instance

    name = str(tmp_path / "d4a.sock")
    with instance._claiming(name):
        fd = os.open(name + ".lock", os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)
    fd = os.open(name + ".lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released once the claim ends
    finally:
        os.close(fd)


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes need QtNetwork")
def test_listening_and_handing_over_load_no_qtnetwork(home: Path) -> None:
    """On Linux and macOS the program listens and a second start hands over without
    loading QtNetwork (a cost every start would pay)."""
    code = ("import sys\n"
            "from PySide6.QtCore import QCoreApplication\n"
            "from d4a_desktop.gui import instance\n"
            "app = QCoreApplication([])\n"
            "server = instance.InstanceServer()\n"
            "got = []\n"
            "server.requested.connect(got.append)\n"
            "assert server.start() and server.listening\n"
            "import threading\n"
            "answer = []\n"
            "thread = threading.Thread(target=lambda: answer.append(instance.hand_over(\n"
            "    instance.Request(('/tmp/a.d4a',)))))\n"
            "thread.start()\n"
            "while thread.is_alive() or not got:\n"
            "    app.processEvents()\n"
            "server.close()\n"
            "assert answer == [True] and got == [instance.Request(('/tmp/a.d4a',))]\n"
            "print('NET' if 'PySide6.QtNetwork' in sys.modules else 'NONET')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "D4A_HOME": str(home),
                                           "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "NONET"
