"""One program holds a project file at a time: a lock file beside it.

POSIX record locks belong to the process, and *any* close of the file by that process
drops them: a file dialog that reads the project to show its type, a thumbnailer, the
program's own header check. A lock held that way silently ends. So the holder is recorded
in a small file beside the project instead (``.NAME.d4a.lock``): host, user, process id
and that process's start time. It is created with ``O_EXCL`` (only one creator wins),
and it is stale when it names a process on this host that no longer runs (or a process
id that was reused: its start time differs). A lock written on another host cannot be
checked from here and is respected; the user may still take it over after a warning.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
import socket
import time
import uuid
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Holder:
    """Who holds a project file, as its lock file records it: enough to tell a live holder from a
    stale lock on this host, and to name the holder in the message to a user who finds the file
    taken."""

    host: str
    user: str
    pid: int
    started: str      # the process's start time as the kernel counts it, "" if unknown
    since: str        # when the lock was taken, ISO 8601 UTC
    program: str = "d4a-desktop"

    def is_here(self) -> bool:
        return self.host == _host()

    def is_alive(self) -> bool:
        """True unless this process is on this host and certainly gone."""
        if not self.is_here():
            return True
        if self.pid == -1:
            return True  # a lock file being written this very moment
        if self.pid <= 0:
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass  # a process of another user: it exists
        started = _start_time(self.pid)
        return not (self.started and started and started != self.started)

    def is_me(self) -> bool:
        return self.is_here() and self.pid == os.getpid() and \
            self.started == _start_time(os.getpid())


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def _host() -> str:
    return socket.gethostname() or "localhost"


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _start_time(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux), "" elsewhere."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    # The command name (field 2) may contain spaces and parentheses: split after it.
    fields = stat.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else ""


def me() -> Holder:
    return Holder(host=_host(), user=_user(), pid=os.getpid(),
                  started=_start_time(os.getpid()),
                  since=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))


#: A lock file younger than this that cannot be parsed may still be being written.
_WRITING_GRACE = 2.0


def read(path: Path) -> Holder | None:
    """The holder named in the lock of ``path``; None when there is no lock. A lock file
    that cannot be parsed was cut short by a crash while it was written: it names no
    live process (pid 0 on this host), unless it is so new that it may be being written
    right now, when it counts as held by an unknown process of this host."""
    target = lock_path(path)
    try:
        text = target.read_text(encoding="utf-8")
        data = json.loads(text)
        return Holder(host=str(data["host"]), user=str(data["user"]), pid=int(data["pid"]),
                      started=str(data.get("started", "")), since=str(data.get("since", "")),
                      program=str(data.get("program", "")))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        try:
            age = time.time() - target.stat().st_mtime
        except OSError:
            return None
        return Holder(_host(), "", -1 if age < _WRITING_GRACE else 0, "", "")


class Locked(Exception):
    def __init__(self, holder: Holder):
        self.holder = holder
        super().__init__(f"held by {holder.user}@{holder.host} pid {holder.pid}")


def acquire(path: Path, *, take_over: bool = False) -> Holder:
    """Take the lock of ``path`` or raise :class:`Locked` naming the live holder.

    A stale lock is removed first. ``take_over`` breaks a lock that cannot be checked
    (another host), after the user said that program is no longer running. Raises
    OSError when the folder cannot be written.
    """
    target = lock_path(path)
    mine = me()
    data = json.dumps(mine.__dict__).encode()
    for _attempt in range(3):
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            holder = read(path)
            if holder is None:
                continue  # removed in the meantime: try again
            if holder.is_me():
                raise Locked(holder) from None  # this process holds it already
            if holder.is_alive() and not (take_over and not holder.is_here()):
                raise Locked(holder) from None
            _remove_stale(target, holder)
            continue
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        return mine
    holder = read(path)
    raise Locked(holder or mine)


def _remove_stale(target: Path, judged: Holder) -> None:
    """Remove a stale lock, unless another process replaced it since we judged it."""
    aside = target.with_name(f"{target.name}.{uuid.uuid4().hex}.stale")
    try:
        os.rename(target, aside)
    except FileNotFoundError:
        return
    try:
        now = json.loads(aside.read_text(encoding="utf-8"))
        replaced = int(now.get("pid", 0)) != judged.pid or str(now.get("host")) != judged.host
    except (OSError, ValueError, AttributeError):
        replaced = False
    if replaced:  # a live lock taken between our check and the rename: give it back
        with contextlib.suppress(OSError):
            os.link(aside, target)
    with contextlib.suppress(OSError):
        aside.unlink()


def release(path: Path, holder: Holder) -> None:
    """Remove the lock if it is still ours."""
    current = read(path)
    if current is not None and current.pid == holder.pid and current.host == holder.host \
            and current.started == holder.started:
        with contextlib.suppress(OSError):
            lock_path(path).unlink()
