"""Consortium sync, offline first: an outbox, an inbox, and a folder or WebDAV target.

Sync puts this project's package in its outbox, and when the target can be reached sends
the outbox and fetches the others' packages into the inbox; when it cannot, it returns at
once and the package waits (no error, no retry loop: the next sync tries again). A
transfer that is interrupted leaves the outbox as it was and a partial download that the
next sync resumes (or restarts, when the file changed meanwhile).

Uploads go to a temporary name in the target and are renamed when complete, so a partner
never reads half a package; downloads go to a temporary name in the inbox and are checked
in full (:func:`package.read_package`) before they are kept. Received packages of the same
project are offered for merging; others belong to the portfolio.

Outbox and inbox live in the user data folder, per project:
``<data>/exchange/<project id>/outbox`` and ``…/inbox``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from d4a_desktop import paths
from d4a_desktop.i18n import _
from d4a_desktop.services.exchange import package as pkg
from d4a_desktop.services.exchange.errors import Cancelled, ExchangeError
from d4a_desktop.services.exchange.webdav import CHUNK, Remote, WebDav, interrupted, unreachable
from d4a_desktop.storage import atomic

if TYPE_CHECKING:
    from d4a_desktop.services.projects import ProjectSession

#: Names of packages in a target and the inbox: the safe ones only.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,150}\.d4ax")
_TEMPORARY = ".uploading"
_VERSIONS = ".versions.json"
#: Told what is being done, how many bytes of it are done, and of how many.
Progress = Callable[[str, int, int], None]


def exchange_dir(project_id: str) -> Path:
    return paths.user_data_dir() / "exchange" / project_id


def outbox(project_id: str) -> Path:
    return exchange_dir(project_id) / "outbox"


def inbox(project_id: str) -> Path:
    return exchange_dir(project_id) / "inbox"


def package_name(project_id: str, installation: str | None = None) -> str:
    """This installation's package of a project: one per project and installation, so
    partners working on copies of one project never overwrite each other's."""
    return f"d4a_{project_id}_{installation or paths.installation_id()}.d4ax"


def is_safe_name(name: str) -> bool:
    return bool(_NAME.fullmatch(name)) and ".." not in name


class Target(Protocol):
    """Where packages are exchanged: a folder or a WebDAV server."""

    def describe(self) -> str: ...
    def list(self) -> list[Remote]: ...
    def upload(self, source: Path, name: str, temporary: str,
               progress: Callable[[int], None] | None = None,
               cancel: threading.Event | None = None) -> None: ...
    def download(self, remote: Remote, offset: int = 0) -> tuple[Iterator[bytes], int]: ...
    def delete(self, name: str) -> None: ...


class FolderTarget:
    """A folder: a network share, or one that a cloud client keeps in sync."""

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)

    def describe(self) -> str:
        return str(self.folder)

    def _reachable(self) -> None:
        try:
            if self.folder.is_dir():
                return
        except OSError:
            pass
        raise unreachable(str(self.folder))

    def list(self) -> list[Remote]:
        self._reachable()
        found = []
        try:
            entries = list(os.scandir(self.folder))
        except OSError as exc:
            raise unreachable(str(self.folder)) from exc
        for entry in entries:
            try:
                if not entry.is_file(follow_symlinks=False):
                    continue
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            found.append(Remote(entry.name, st.st_size, f"{st.st_size}-{st.st_mtime_ns}"))
        return found

    def upload(self, source: Path, name: str, temporary: str,
               progress: Callable[[int], None] | None = None,
               cancel: threading.Event | None = None) -> None:
        self._reachable()
        tmp = self.folder / temporary
        try:
            with source.open("rb") as src, tmp.open("wb") as dst:
                sent = 0
                while chunk := src.read(CHUNK):
                    if cancel is not None and cancel.is_set():
                        raise Cancelled()
                    dst.write(chunk)
                    sent += len(chunk)
                    if progress is not None:
                        progress(sent)
                dst.flush()
                os.fsync(dst.fileno())
            os.replace(tmp, self.folder / name)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise _folder_error(self.folder, exc) from exc
            raise

    def download(self, remote: Remote, offset: int = 0) -> tuple[Iterator[bytes], int]:
        self._reachable()
        try:
            fh = (self.folder / remote.name).open("rb")
            st = os.fstat(fh.fileno())
        except OSError as exc:
            raise _folder_error(self.folder, exc) from exc
        start = offset if f"{st.st_size}-{st.st_mtime_ns}" == remote.version else 0
        fh.seek(start)

        def chunks() -> Iterator[bytes]:
            with fh:
                while True:
                    try:
                        chunk = fh.read(CHUNK)
                    except OSError as exc:
                        raise interrupted(str(self.folder)) from exc
                    if not chunk:
                        return
                    yield chunk
        return chunks(), start

    def delete(self, name: str) -> None:
        try:
            (self.folder / name).unlink(missing_ok=True)
        except OSError as exc:
            raise _folder_error(self.folder, exc) from exc


def _folder_error(folder: Path, exc: OSError) -> ExchangeError:
    import errno

    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return ExchangeError(_("{target} has no space left for the package.").format(
            target=folder), "full", folder)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ExchangeError(_("{target} cannot be written by this user.").format(
            target=folder), "forbidden", folder)
    return interrupted(str(folder))


def target_for(where: str, *, user: str = "", password: str = "") -> Target:
    """A target from what the user typed: a web address or a folder."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", where):
        return WebDav(where, user, password)
    return FolderTarget(Path(where).expanduser())


@dataclass(frozen=True)
class Received:
    """A package fetched from the target into the inbox, checked in full."""

    name: str
    path: Path
    project_id: str
    #: A copy of the project being synced: offer to merge it (else: the portfolio).
    same_project: bool
    description: str


@dataclass
class SyncResult:
    """What one sync did, for the sync dialog and ``d4a sync``. An unreachable target is a result,
    not an error: the package waits in the outbox and the next sync tries again."""

    target: str
    #: False when the target could not be reached: nothing was sent or fetched.
    reachable: bool = True
    #: A transfer broke off; what was done is kept, the rest is done by the next sync.
    interrupted: bool = False
    sent: list[str] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    #: Packages in the target that cannot be used: (name, translated reason).
    rejected: list[tuple[str, str]] = field(default_factory=list)
    #: Packages still in the outbox after this sync.
    waiting: list[str] = field(default_factory=list)
    #: Why the sync waits (unreachable or interrupted), translated; "" otherwise.
    message: str = ""
    #: Filled by the merge step (``d4a sync --merge``), which this module does not do.
    merged: list[str] = field(default_factory=list)
    conflicted: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"target": self.target, "reachable": self.reachable,
                "interrupted": self.interrupted, "message": self.message,
                "sent": self.sent, "received": [r.name for r in self.received],
                "same_project": [r.name for r in self.received if r.same_project],
                "rejected": [{"name": n, "reason": r} for n, r in self.rejected],
                "waiting": self.waiting, "merged": self.merged,
                "conflicted": self.conflicted}


def queue(session: ProjectSession, *, leave_out: tuple[str, ...] = (),
          author: str | None = None) -> Path:
    """Put the project's current package in its outbox (replacing an older one)."""
    box = outbox(session.file.project_id)
    box.mkdir(parents=True, exist_ok=True)
    path = box / package_name(session.file.project_id)
    pkg.export_package(session, path, leave_out=leave_out, author=author)
    return path


def waiting(project_id: str) -> list[Path]:
    box = outbox(project_id)
    try:
        return sorted(p for p in box.iterdir() if is_safe_name(p.name))
    except OSError:
        return []


def inbox_packages(project_id: str) -> list[Path]:
    """Packages kept in the project's inbox (checked when they were fetched)."""
    box = inbox(project_id)
    try:
        return sorted(p for p in box.iterdir() if is_safe_name(p.name) and p.is_file())
    except OSError:
        return []


class _Versions:
    """Which version of each remote package the inbox holds (and of partial downloads)."""

    def __init__(self, folder: Path):
        self.path = folder / _VERSIONS
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.data: dict[str, str] = {str(k): str(v) for k, v in data.items()} \
                if isinstance(data, dict) else {}
        except (OSError, ValueError):
            self.data = {}

    def get(self, name: str) -> str | None:
        return self.data.get(name)

    def rejected(self, name: str, version: str) -> str | None:
        """Why this version of a package was refused before, if it was."""
        try:
            seen, reason = json.loads(self.data.get(f"rejected:{name}", "null") or "null")
        except (TypeError, ValueError):
            return None
        return str(reason) if seen == version else None

    def reject(self, name: str, version: str, reason: str) -> None:
        self.set(f"rejected:{name}", json.dumps([version, reason], ensure_ascii=False))

    def set(self, name: str, version: str | None) -> None:
        if version is None:
            self.data.pop(name, None)
        else:
            self.data[name] = version
        atomic.write_text(self.path, json.dumps(self.data, indent=1, sort_keys=True))


def sync(session: ProjectSession, target: Target, *, leave_out: tuple[str, ...] = (),
         author: str | None = None, progress: Progress | None = None,
         cancel: threading.Event | None = None, limits: pkg.Limits = pkg.LIMITS) -> SyncResult:
    """Send this project's package and fetch the others' (see the module's description).

    Raises ExchangeError for what the user must act on (a refused password, a folder that
    does not exist, a full server, a server error) and Cancelled; an unreachable target or
    a broken connection is a result (``reachable``, ``interrupted``), not an error.
    """
    project_id = session.file.project_id
    queue(session, leave_out=leave_out, author=author)
    return exchange(project_id, target, progress=progress, cancel=cancel, limits=limits)


def exchange(project_id: str, target: Target, *, progress: Progress | None = None,
             cancel: threading.Event | None = None, limits: pkg.Limits = pkg.LIMITS
             ) -> SyncResult:
    """Send the outbox and fetch into the inbox, without making a new package first."""
    result = SyncResult(target.describe())
    own = package_name(project_id)
    listed = False
    try:
        remote = target.list()
        listed = True
        _clear_leftovers(target, remote)
        for path in waiting(project_id):
            _send(target, path, progress, cancel)
            path.unlink(missing_ok=True)
            result.sent.append(path.name)
        box = inbox(project_id)
        box.mkdir(parents=True, exist_ok=True)
        versions = _Versions(box)
        for entry in sorted(remote, key=lambda r: r.name):
            if entry.name == own or not is_safe_name(entry.name):
                continue
            if versions.get(entry.name) == entry.version and (box / entry.name).is_file():
                continue
            refused = versions.rejected(entry.name, entry.version)
            if refused is not None:  # the same broken package as last time: not again
                result.rejected.append((entry.name, refused))
                continue
            _fetch(target, entry, box, versions, result, project_id, progress, cancel, limits)
    except ExchangeError as exc:
        if exc.kind not in ("unreachable", "interrupted"):
            raise
        # Unreachable from the start: wait. Gone after the listing: a broken transfer.
        result.reachable = listed
        result.interrupted = listed
        result.message = exc.message
    result.waiting = [p.name for p in waiting(project_id)]
    return result


def _clear_leftovers(target: Target, remote: list[Remote]) -> None:
    """Temporary uploads of this installation that an interrupted sync left behind."""
    mine = f".{paths.installation_id()}."
    for entry in remote:
        if entry.name.endswith(_TEMPORARY) and mine in entry.name:
            target.delete(entry.name)


def _send(target: Target, path: Path, progress: Progress | None,
          cancel: threading.Event | None) -> None:
    total = path.stat().st_size
    what = _("Sending {name}").format(name=path.name)
    temporary = f".{path.name}.{paths.installation_id()}.{uuid.uuid4().hex[:8]}{_TEMPORARY}"
    if progress is not None:
        progress(what, 0, total)
    target.upload(path, path.name, temporary,
                  (lambda done: progress(what, done, total)) if progress else None, cancel)


def _fetch(target: Target, entry: Remote, box: Path, versions: _Versions,
           result: SyncResult, project_id: str, progress: Progress | None,
           cancel: threading.Event | None, limits: pkg.Limits) -> None:
    part = box / f".{entry.name}.part"
    marker = f"part:{entry.name}"
    offset = 0
    if part.is_file() and versions.get(marker) == entry.version:
        offset = part.stat().st_size
    if entry.size > limits.package_bytes:
        result.rejected.append((entry.name, _("it is larger than {size} MB").format(
            size=limits.package_bytes // (1 << 20))))
        return
    what = _("Fetching {name}").format(name=entry.name)
    chunks, start = target.download(entry, offset if offset < entry.size else 0)
    versions.set(marker, entry.version)
    done = start
    with part.open("r+b" if start and part.exists() else "wb") as fh:
        fh.seek(start)
        fh.truncate()
        for chunk in chunks:
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            fh.write(chunk)
            done += len(chunk)
            if done > limits.package_bytes:
                break
            if progress is not None:
                progress(what, done, entry.size)
        fh.flush()
        os.fsync(fh.fileno())
    versions.set(marker, None)
    try:
        data = part.read_bytes()
    except OSError as exc:
        raise _folder_error(box, exc) from exc
    try:  # checked under its own name: a reason never names the temporary file
        package = pkg.parse_package(box / entry.name, data, limits=limits)
    except ExchangeError as exc:
        part.unlink(missing_ok=True)
        result.rejected.append((entry.name, exc.message))
        versions.reject(entry.name, entry.version, exc.message)
        return
    kept = box / entry.name
    os.replace(part, kept)
    versions.set(entry.name, entry.version)
    result.received.append(Received(entry.name, kept, package.project_id,
                                    package.project_id == project_id,
                                    pkg.describe(package)))


def clear_inbox(project_id: str) -> None:
    """Forget every fetched package (the next sync fetches them again)."""
    shutil.rmtree(inbox(project_id), ignore_errors=True)
