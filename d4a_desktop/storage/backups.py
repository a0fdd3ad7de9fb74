"""Automatic backups of project files, in the user data folder.

A backup is taken when a changed project is closed: a copy through SQLite's backup API,
quick-checked before it is moved into place, so a damaged copy never pushes out a good
older one. Backups are kept per project *and* per file (two partners' copies of one
project, or a copy on a USB stick, do not push each other's backups out), and thinned:
the newest five, the newest of each day for a week, the newest of each week for five
weeks. Listing and restoring are for File › Restore from Backup…; a restore always makes
a new file and never replaces one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from d4a_desktop.digest import sha1
from d4a_desktop.storage import errors
from d4a_desktop.storage.atomic import write_text
from d4a_desktop.storage.projectfile import ProjectFile, classify

KEEP_NEWEST = 5
KEEP_DAYS = 7
KEEP_WEEKS = 5
_STAMP = "%Y%m%d-%H%M%S-%f"
_NAME = re.compile(r"^(\d{8}-\d{6}-\d{6})\.d4a$")
_TEMP = re.compile(r"^\.backup-(\d+)-.*\.d4a(-journal)?$")


@dataclass(frozen=True)
class Backup:
    """One kept backup of a project file, as File › Restore from Backup… lists it: ``source`` is the
    file it was taken from, so two copies of one project are told apart."""

    path: Path
    taken: dt.datetime        # UTC
    source: str               # the project file it was taken from
    size: int


def folder_for(root: Path, project_id: str, source: Path) -> Path:
    """``root/<project id>/<file name>-<hash of its path>``."""
    digest = sha1(str(source.absolute()).encode("utf-8", "surrogateescape")).hexdigest()
    stem = re.sub(r"[^\w.-]+", "-", source.stem, flags=re.UNICODE).strip("-")[:40] or "project"
    return root / project_id / f"{stem}-{digest[:10]}"


def take(file: ProjectFile, root: Path, *, now: dt.datetime | None = None) -> Path:
    """Back up an open project; raises ProjectFileError (with a translated message) when
    the copy cannot be written or fails its check."""
    folder = folder_for(root, file.project_id, file.path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise classify(folder / "backup.d4a", exc, writing=True) from exc
    clean_temporaries(folder)
    moment = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    target = folder / f"{moment.strftime(_STAMP)}.d4a"
    file.backup_to(target)
    source = folder / "source.json"
    if not source.exists():
        with contextlib.suppress(OSError):
            write_text(source, json.dumps({"file": str(file.path)}, ensure_ascii=False))
    thin(folder, moment)
    return target


def _stamp(path: Path) -> dt.datetime | None:
    match = _NAME.match(path.name)
    if not match:
        return None
    try:
        return dt.datetime.strptime(match.group(1), _STAMP)
    except ValueError:
        return None


def thin(folder: Path, now: dt.datetime) -> list[Path]:
    """Remove the backups the keeping rule no longer needs; returns what was removed."""
    dated = sorted(((s, p) for p in folder.glob("*.d4a") if (s := _stamp(p)) is not None),
                   reverse=True)
    keep = {p for _s, p in dated[:KEEP_NEWEST]}
    days: set[dt.date] = set()
    weeks: set[tuple[int, int]] = set()
    for taken, path in dated:  # newest first: the first of each day or week is kept
        age = now - taken
        if age <= dt.timedelta(days=KEEP_DAYS) and taken.date() not in days:
            days.add(taken.date())
            keep.add(path)
        week = taken.isocalendar()[:2]
        if age <= dt.timedelta(weeks=KEEP_WEEKS) and week not in weeks:
            weeks.add(week)
            keep.add(path)
    removed = []
    for _taken, path in dated:
        if path not in keep:
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def clean_temporaries(folder: Path) -> None:
    """Remove copies (and their journals) that a process killed mid-backup left behind."""
    for path in folder.glob(".backup-*"):
        match = _TEMP.match(path.name)
        if not match:
            continue
        pid = int(match.group(1))
        if pid != os.getpid() and _alive(pid):
            continue
        with contextlib.suppress(OSError):
            path.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def list_backups(root: Path, project_id: str) -> list[Backup]:
    """Every backup of a project, newest first, from every file it was taken from."""
    result = []
    base = root / project_id
    if not base.is_dir():
        return []
    for folder in base.iterdir():
        if not folder.is_dir():
            continue
        try:
            source = str(json.loads((folder / "source.json").read_text("utf-8"))["file"])
        except (OSError, ValueError, KeyError, TypeError):
            source = ""
        for path in folder.glob("*.d4a"):
            taken = _stamp(path)
            if taken is None:
                continue
            with contextlib.suppress(OSError):
                result.append(Backup(path, taken, source, path.stat().st_size))
    return sorted(result, key=lambda b: b.taken, reverse=True)


def restore_copy(backup: Path, target: Path) -> Path:
    """Copy a backup to a new project file ``target`` (never over an existing file)."""
    if target.exists():
        raise errors.exists(target)
    if not target.parent.is_dir():
        raise errors.missing(target.parent)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                   suffix=".restoring")
        os.close(fd)
        try:
            shutil.copyfile(backup, tmp)
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o666 & ~mask)
            os.link(tmp, target)  # fails if the target appeared meanwhile
        finally:
            Path(tmp).unlink(missing_ok=True)
    except FileExistsError:
        raise errors.exists(target) from None
    except OSError as exc:
        raise classify(target, exc, writing=True) from exc
    return target
