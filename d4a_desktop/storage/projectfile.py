"""Opening, creating, upgrading and closing a ``.d4a`` project file.

The file is checked before SQLite writes a byte: its header must be SQLite's, carry our
``application_id``, be complete, and have a schema version this program knows. Only then
is it opened, with an exclusive lock held until close (one process holds a file at a
time) and a rollback journal, so the file is complete on its own whenever no transaction
runs. An older schema is upgraded step by step inside one exclusive transaction, after a
backup copy has been written beside the file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
import stat
import struct
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from d4a_desktop.core.project import ActivityState, ItemState, ProjectMeta, ProjectState
from d4a_desktop.core.vocab import Condition, Status
from d4a_desktop.storage import errors
from d4a_desktop.storage.models import (
    ActivityStateRow,
    ConditionRow,
    ItemStateRow,
    ProjectRow,
    utcnow,
)

#: "D4AP" — marks a SQLite file as a D4A project (PRAGMA application_id).
APPLICATION_ID = 0x44344150
_SQLITE_MAGIC = b"SQLite format 3\x00"
_MIGRATIONS = Path(__file__).parent / "migrations"


@dataclass(frozen=True)
class Schema:
    """The newest schema this program writes, and where its migrations are."""

    version: int
    script_location: Path


#: Schema version N is Alembic revision "000N". Tests replace this to try upgrades.
SCHEMA = Schema(version=2, script_location=_MIGRATIONS)
_BASE_TABLES = {"project", "activity_state", "item_state", "alembic_version"}


#: Files this process holds open, by (device, inode). POSIX locks belong to the process
#: and *any* close of the file drops them, so a file we hold must never be opened again
#: by this process, not even to read its header.
_OPEN_FILES: dict[tuple[int, int], Path] = {}


def _file_key(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _held_here(path: Path) -> bool:
    key = _file_key(path)
    return key is not None and key in _OPEN_FILES


@dataclass(frozen=True)
class Header:
    page_size: int
    pages: int
    application_id: int
    schema_version: int


def read_header(path: Path) -> Header:
    """Check a file is a complete D4A project of a known version, without opening it."""
    if not path.exists():
        raise errors.missing(path)
    if path.is_dir():
        raise errors.is_folder(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise errors.cannot_write(path, exc.strerror or str(exc)) from exc
    if size == 0:
        raise errors.empty(path)
    if not head.startswith(_SQLITE_MAGIC):
        raise errors.not_sqlite(path)
    if len(head) < 100:
        raise errors.damaged(path)
    (page_size,) = struct.unpack(">H", head[16:18])
    page_size = 65536 if page_size == 1 else page_size
    change_counter, pages = struct.unpack(">II", head[24:32])
    (valid_for,) = struct.unpack(">I", head[92:96])
    (user_version,) = struct.unpack(">i", head[60:64])
    (application_id,) = struct.unpack(">I", head[68:72])
    if application_id != APPLICATION_ID:
        raise errors.foreign(path)
    if page_size < 512 or page_size & (page_size - 1):
        raise errors.damaged(path)
    if valid_for == change_counter and size < pages * page_size:
        raise errors.damaged(path)  # truncated: the header promises more pages
    if size % page_size:
        raise errors.damaged(path)
    if user_version > SCHEMA.version:
        raise errors.too_new(path, user_version, SCHEMA.version)
    if user_version < 1:
        raise errors.damaged(path)  # ours, but never finished being created
    return Header(page_size, pages, application_id, user_version)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _is_read_only(path: Path) -> bool:
    """True when the file or its folder cannot be written, or the file is marked read-only.

    The mode bits are checked too, so a file the user made read-only stays untouched
    even for an administrator, who could write it regardless.
    """
    mode = path.stat().st_mode
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return True
    return not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _connect(path: Path) -> sqlite3.Connection:
    """Open with our pragmas and take the exclusive lock; map SQLite errors to ours."""
    conn = sqlite3.connect(str(path), timeout=0.2, isolation_level=None,
                           check_same_thread=False)
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
        mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        if str(mode).lower() != "delete":
            raise sqlite3.DatabaseError(f"journal mode {mode}")
    except sqlite3.Error as exc:
        conn.close()
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            raise errors.locked(path) from exc
        if "readonly" in text or "read-only" in text:
            raise errors.read_only(path) from exc
        raise errors.damaged(path) from exc
    return conn


def _ensure_not_in_use(path: Path) -> None:
    """Refuse to replace a project that this or another process has open."""
    if _held_here(path):
        raise errors.locked(path)
    try:
        with path.open("rb") as fh:
            is_sqlite = fh.read(16) == _SQLITE_MAGIC
    except OSError:
        is_sqlite = False
    if is_sqlite:
        _connect(path).close()  # raises "locked" when another process holds it


def _engine(conn: sqlite3.Connection) -> Engine:
    engine = create_engine("sqlite+pysqlite://", creator=lambda: conn, poolclass=StaticPool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _run_migrations(engine: Engine, target: int) -> None:
    """Apply every revision up to ``target`` in one transaction, then record the version."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(SCHEMA.script_location))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, f"{target:04d}")
        connection.exec_driver_sql(f"PRAGMA user_version = {int(target)}")


def _backup(conn: sqlite3.Connection, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".backup-", suffix=".d4a")
    os.close(fd)
    try:
        dest = sqlite3.connect(tmp)
        try:
            conn.backup(dest)
        finally:
            dest.close()
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


class ProjectFile:
    """An open project: the store that commands and services use.

    Every ``update_*`` call is one committed transaction. Use as a context manager or
    call :meth:`close`, which runs ``quick_check`` and releases the lock.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection, author: str,
                 upgraded_from: int | None = None, backup: Path | None = None):
        self.path = path
        self.author = author
        self.upgraded_from = upgraded_from
        self.upgrade_backup = backup
        self.schema_version = SCHEMA.version
        self.modified = False
        self._conn = conn
        self._engine = _engine(conn)
        self._sessions: sessionmaker[Session] = sessionmaker(self._engine,
                                                             expire_on_commit=False)
        self._project_id = self._read(lambda s: s.scalars(select(ProjectRow.id)).one())
        self._key = _file_key(path)
        if self._key is not None:
            _OPEN_FILES[self._key] = path

    # --- opening and creating ------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, *, author: str = "") -> ProjectFile:
        path = Path(path).absolute()
        if _held_here(path):
            raise errors.locked(path)
        header = read_header(path)
        if _is_read_only(path):
            raise errors.read_only(path)
        conn = _connect(path)
        try:
            ok = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            tables = {r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")}
            if not ok or not tables >= _BASE_TABLES:
                raise errors.damaged(path)
            backup = None
            if header.schema_version < SCHEMA.version:
                backup = cls._upgrade(path, conn, header.schema_version)
            project = cls(path, conn, author,
                          header.schema_version if backup else None, backup)
        except errors.ProjectFileError:
            conn.close()
            raise
        except (sqlite3.Error, SQLAlchemyError) as exc:
            conn.close()
            raise errors.damaged(path) from exc
        return project

    @staticmethod
    def _upgrade(path: Path, conn: sqlite3.Connection, old: int) -> Path:
        """Back up, then run every pending migration in one transaction."""
        stem = path.name.removesuffix(".d4a")
        try:
            backup = _backup(conn, path.with_name(f"{stem}.before-upgrade-v{old}.d4a"))
            shutil.copymode(path, backup)
        except (OSError, sqlite3.Error) as exc:
            raise errors.cannot_write(path, getattr(exc, "strerror", None) or str(exc)) \
                from exc
        try:
            _run_migrations(_engine(conn), SCHEMA.version)
        except Exception as exc:  # a migration of any kind failed: nothing was applied
            raise errors.upgrade_failed(path, backup) from exc
        return backup

    @classmethod
    def create(cls, path: Path | str, meta: ProjectMeta, *, author: str = "",
               overwrite: bool = False) -> ProjectFile:
        """Write a new project in a temporary file and move it into place when complete."""
        path = Path(path).absolute()
        if path.exists() and not overwrite:
            raise errors.exists(path)
        if path.exists():
            _ensure_not_in_use(path)
        if not path.parent.is_dir():
            raise errors.missing(path.parent)
        try:
            fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                            suffix=".creating")
        except OSError as exc:
            raise errors.cannot_write(path, exc.strerror or str(exc)) from exc
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a project is a normal file
            conn = sqlite3.connect(tmp, isolation_level=None)
            try:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute("PRAGMA journal_mode=DELETE")
                engine = _engine(conn)
                _run_migrations(engine, SCHEMA.version)
                now = utcnow()
                with Session(engine) as session, session.begin():
                    session.add(ProjectRow(
                        id=meta.id, title=meta.title, municipality=meta.municipality,
                        country=meta.country, domain=meta.domain, language=meta.language,
                        tandem_partner=meta.tandem_partner,
                        roadmap_version=meta.roadmap_version,
                        created_at=now, modified_at=now, author=author))
                engine.dispose()
            finally:
                conn.close()
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise errors.cannot_write(path, exc.strerror or str(exc)) from exc
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return cls.open(path, author=author)

    # --- closing, checking, backups --------------------------------------------------------

    def close(self) -> bool:
        """Release the file; returns the result of SQLite's quick_check (True = healthy)."""
        if self._conn is None:
            return True
        try:
            healthy = self._conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        except sqlite3.Error:
            healthy = False
        self._engine.dispose()
        self._conn.close()
        self._conn = None  # type: ignore[assignment]
        if self._key is not None:
            _OPEN_FILES.pop(self._key, None)
        return healthy

    def __enter__(self) -> ProjectFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self._conn is None

    def integrity_check(self) -> list[str]:
        """The full ``integrity_check``: an empty list when the file is healthy."""
        rows = [r[0] for r in self._conn.execute("PRAGMA integrity_check")]
        return [] if rows == ["ok"] else rows

    def backup_to(self, target: Path) -> Path:
        """A consistent copy of the open project (SQLite's backup API)."""
        return _backup(self._conn, target)

    def rotate_backup(self, folder: Path, keep: int = 5) -> Path:
        """Add a dated copy to ``folder/<project id>/`` and keep the newest ``keep``."""
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = folder / self._project_id / f"{stamp}.d4a"
        _backup(self._conn, target)
        copies = sorted(target.parent.glob("*.d4a"))
        for old in copies[:-keep]:
            old.unlink(missing_ok=True)
        return target

    # --- reading -------------------------------------------------------------------------

    def _read(self, fn: Callable[[Session], Any]) -> Any:
        with self._sessions() as session:
            return fn(session)

    @contextlib.contextmanager
    def _write(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session
        self.modified = True

    def get_meta(self) -> ProjectMeta:
        return self._read(lambda s: _meta(s.get_one(ProjectRow, self._project_id)))

    def get_activity(self, activity_id: str) -> ActivityState:
        row = self._read(lambda s: s.scalars(select(ActivityStateRow).where(
            ActivityStateRow.activity_id == activity_id)).one_or_none())
        return _activity(row) if row else ActivityState(activity_id)

    def get_conditions(self) -> dict[Condition, bool | None]:
        return self._read(_conditions)

    def update_conditions(self, changes: Mapping[Condition, bool | None]) -> None:
        with self._write() as s:
            rows = {r.condition: r for r in s.scalars(select(ConditionRow))}
            for condition, applies in changes.items():
                row = rows.get(condition.value)
                if row is None:
                    row = ConditionRow(project_id=self._project_id, condition=condition.value,
                                       author=self.author)
                    s.add(row)
                row.applies = applies
                row.modified_at = utcnow()
                row.author = self.author

    def get_item(self, item_id: str) -> ItemState:
        row = self._read(lambda s: s.scalars(select(ItemStateRow).where(
            ItemStateRow.item_id == item_id)).one_or_none())
        return _item(row) if row else ItemState(item_id)

    def state(self) -> ProjectState:
        def read(s: Session) -> ProjectState:
            meta = _meta(s.get_one(ProjectRow, self._project_id))
            acts = {r.activity_id: _activity(r) for r in s.scalars(select(ActivityStateRow))}
            items = {r.item_id: _item(r) for r in s.scalars(select(ItemStateRow))}
            return ProjectState(meta, acts, items, _conditions(s))
        return self._read(read)

    # --- writing (ProjectStore) --------------------------------------------------------------

    def update_meta(self, changes: Mapping[str, Any]) -> ProjectMeta:
        with self._write() as s:
            row = s.get_one(ProjectRow, self._project_id)
            _assign(row, changes, self.author)
            result = _meta(row)
        return result

    def update_activity(self, activity_id: str, changes: Mapping[str, Any]) -> ActivityState:
        with self._write() as s:
            row = s.scalars(select(ActivityStateRow).where(
                ActivityStateRow.activity_id == activity_id)).one_or_none()
            if row is None:
                row = ActivityStateRow(project_id=self._project_id, activity_id=activity_id,
                                       status=Status.NOT_STARTED.value, na_reason="",
                                       author=self.author)
                s.add(row)
            _assign(row, {k: (v.value if isinstance(v, Status) else v)
                          for k, v in changes.items()}, self.author)
            s.flush()
            result = _activity(row)
        return result

    def update_item(self, item_id: str, changes: Mapping[str, Any]) -> ItemState:
        with self._write() as s:
            row = s.scalars(select(ItemStateRow).where(
                ItemStateRow.item_id == item_id)).one_or_none()
            if row is None:
                row = ItemStateRow(project_id=self._project_id, item_id=item_id, done=False,
                                   owner="", note="", author=self.author)
                s.add(row)
            _assign(row, changes, self.author)
            s.flush()
            result = _item(row)
        return result


def _assign(row: Any, changes: Mapping[str, Any], author: str) -> None:
    for name, value in changes.items():
        setattr(row, name, value)
    row.modified_at = utcnow()
    row.author = author


def _conditions(s: Session) -> dict[Condition, bool | None]:
    result: dict[Condition, bool | None] = {}
    for row in s.scalars(select(ConditionRow)):
        try:
            result[Condition(row.condition)] = row.applies
        except ValueError:
            continue  # a condition a later roadmap retired: kept in the file, not used
    return result


def _meta(row: ProjectRow) -> ProjectMeta:
    return ProjectMeta(id=row.id, title=row.title, municipality=row.municipality,
                       country=row.country, domain=row.domain, language=row.language,
                       tandem_partner=row.tandem_partner, roadmap_version=row.roadmap_version,
                       created_at=row.created_at, modified_at=row.modified_at,
                       author=row.author)


def _activity(row: ActivityStateRow) -> ActivityState:
    try:
        status = Status(row.status)
    except ValueError:
        status = Status.NOT_STARTED
    return ActivityState(row.activity_id, status, row.na_reason, row.modified_at, row.author)


def _item(row: ItemStateRow) -> ItemState:
    return ItemState(row.item_id, bool(row.done), row.owner, row.due_date, row.note,
                     row.modified_at, row.author)
