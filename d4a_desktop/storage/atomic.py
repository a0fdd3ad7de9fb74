"""Atomic writes for every file that is not a project database.

The bytes go to a file without a name in the target folder (Linux: ``O_TMPFILE``), are
flushed to disk, and the file gets its name in one step: a link when the target is new,
else a link beside it and a rename over it. A reader sees the old file or the new one,
never half of it; a failure leaves the old file as it was; and a process killed while
writing leaves nothing behind, as the kernel frees a file that never got a name.

Where the folder's file system has no unnamed files, a named temporary file is used as
before; its name carries the writer's process id, so that a later write to the same
target removes what a killed writer left (``.report.pdf.4711-x8k2.tmp``).

:func:`failure` says why a write failed in the user's words (a missing folder, no
permission, a full disk, a read-only drive), for every kind of file the program writes.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sys
import tempfile
from pathlib import Path

from d4a_desktop.i18n import _

#: The file systems that refuse O_TMPFILE say so with one of these.
_NO_TMPFILE = {errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT}


def write_bytes(path: Path | str, data: bytes) -> None:
    path = Path(path)
    _remove_stale(path)
    fd = _unnamed(path.parent)
    if fd is None:
        _write_named(path, data)
        return
    try:
        _write_all(fd, data)
        os.fsync(fd)
        try:
            _link(fd, path)  # a new file: it appears whole, at once
            return
        except FileExistsError:
            pass
        tmp = _temp_name(path)
        _link(fd, tmp)
        try:
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    finally:
        os.close(fd)


def _link(fd: int, target: Path | str) -> None:
    """Give the unnamed file open as ``fd`` the name ``target`` (linkat following the
    /proc/self/fd link; a plain link() would link the symbolic link itself)."""
    folder = os.open("/proc/self/fd", os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.link(str(fd), target, src_dir_fd=folder, follow_symlinks=True)
    finally:
        os.close(folder)


def write_text(path: Path | str, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def _unnamed(folder: Path) -> int | None:
    """A file without a name in ``folder``, open for writing; None where there is none."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not Path("/proc/self/fd").is_dir():
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        if exc.errno in _NO_TMPFILE and folder.is_dir():
            return None
        raise  # the folder is missing, read-only, full …: the caller reports it


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _temp_name(path: Path) -> str:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}-",
                               suffix=".tmp")
    os.close(fd)
    os.unlink(tmp)  # only the name is wanted: link() will not replace a file
    return tmp


def _write_named(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}-",
                               suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _remove_stale(path: Path) -> None:
    """Remove temporary files of ``path`` whose writer was killed (its process is gone)."""
    pattern = re.compile(re.escape(f".{path.name}.") + r"(\d+)-[^/]*\.tmp$")
    with contextlib.suppress(OSError):
        for entry in os.scandir(path.parent):
            found = pattern.match(entry.name)
            if found and not _alive(int(found.group(1))):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _alive(pid: int) -> bool:
    if pid == os.getpid() or sys.platform == "win32":  # there, kill() would end the process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, or no way to know: leave its file alone
        return True
    return True


def failure(path: Path | str, exc: OSError) -> str:
    """Why ``path`` was not written, translated, with what the user can do about it."""
    path = Path(path)
    if isinstance(exc, FileNotFoundError):
        return _("The folder {folder} does not exist; {name} was not written.").format(
            folder=path.parent, name=path.name)
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        return _("You may not write to {folder}; {name} was not written. Choose "
                 "another folder.").format(folder=path.parent, name=path.name)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("The disk is full; {name} was not written. Free some space or "
                 "choose another drive.").format(name=path)
    if exc.errno == errno.EROFS:
        return _("{folder} is on a read-only drive; {name} was not written.").format(
            folder=path.parent, name=path.name)
    return _("{name} could not be written: {reason}").format(
        name=path, reason=exc.strerror or exc)
