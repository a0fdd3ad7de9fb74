"""Keeping work when a project file cannot take it: copies to go on with, files set aside.

These sit beside ``projects`` rather than in it: they are the program's answers to a file
that went read-only, vanished or broke, and they never write over a project that is open
anywhere.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from pathlib import Path

from d4a_desktop.services.projects import ProjectSession
from d4a_desktop.storage import errors, lock

#: Characters that no file system takes in a name (Windows is the strictest).
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_name(text: str) -> str:
    """``text`` made usable as (part of) a file name on every system."""
    return _UNSAFE.sub("-", text).strip(" .-") or "project"


def named_copy(path: Path, label: str, folder: Path | None = None) -> Path:
    """``<folder>/<stem> (<label>).d4a``: the suggested name of a copy of ``path``."""
    return (folder or path.parent) / f"{path.stem} ({safe_name(label)}).d4a"


def writable_folder(*candidates: Path) -> Path:
    """The first of ``candidates`` that is a folder this user may write, else the home
    folder: where a file dialog should start when a copy is to be saved."""
    for folder in candidates:
        if folder.is_dir() and os.access(folder, os.W_OK | os.X_OK):
            return folder
    return Path.home()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return a.absolute() == b.absolute()


def save_copy(session: ProjectSession, target: Path | str) -> Path:
    """Write a complete copy of the open project to ``target``, to go on working there.

    Works for a project open for reading only and for one whose file was moved or deleted
    while open (the copy is read from the open connection). Never writes over the open
    file itself or over a project that a program holds open; an existing file that nobody
    holds is replaced (the caller has asked the user).
    """
    target = Path(target).absolute()
    if target.suffix.lower() != ".d4a":
        target = target.with_name(target.name + ".d4a")
    if target.exists():
        if _same_file(target, session.path):
            raise errors.exists(target)
        holder = lock.read(target)
        if holder is not None and holder.is_alive():
            if holder.is_here():
                raise errors.locked(target)
            who = f"{holder.user}@{holder.host}" if holder.user else holder.host
            raise errors.locked_elsewhere(target, who)
    if not target.parent.is_dir():
        raise errors.missing(target.parent)
    return session.save_copy(target)


def aside_path(path: Path, label: str, day: dt.date) -> Path:
    """Where :func:`set_aside` will keep ``path``: ``<stem> (<label> <date>).d4a`` beside
    it, numbered when that name is taken."""
    stem = f"{path.stem} ({safe_name(label)} {day.isoformat()}"
    target = path.with_name(f"{stem}).d4a")
    n = 2
    while target.exists() or target.with_name(target.name + "-journal").exists():
        target = path.with_name(f"{stem} {n}).d4a")
        n += 1
    return target


def set_aside(path: Path, label: str, day: dt.date | None = None) -> Path:
    """Rename a project that cannot be used to :func:`aside_path`, with its journal if a
    crash left one, so a fresh file can take its name and nothing of the old one is lost.
    Raises ProjectFileError when the folder cannot be written."""
    target = aside_path(path, label, day or dt.date.today())
    try:
        os.rename(path, target)
    except OSError as exc:
        raise errors.cannot_write(path, exc.strerror or str(exc)) from exc
    journal = path.with_name(path.name + "-journal")
    if journal.exists():
        with contextlib.suppress(OSError):  # the file itself is set aside: what matters
            os.rename(journal, target.with_name(target.name + "-journal"))
    return target
