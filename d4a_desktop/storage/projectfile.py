"""Opening, creating, upgrading, reading, writing and closing a ``.d4a`` project file.

Reading and writing use the standard library's sqlite3 with plain SQL; SQLAlchemy and
Alembic are imported only to create a file or upgrade an older one.

Opening for work: the path must be an ordinary file whose first bytes are SQLite's and
carry our ``application_id``. Then this program takes the lock file beside it (one program
holds a file at a time, whatever else reads it), opens it, and lets SQLite roll back a
journal that a crash left behind *before* judging the file: its size, its schema version
and SQLite's ``quick_check``. An older schema is upgraded step by step in one transaction,
after a copy of the file has been written beside it.

Opening for reading (``read_only=True``: ``d4a info``, a preview, a file on read-only
media) uses ``mode=ro``: nothing is written, stamped or upgraded; an older file is
upgraded in memory only.

Every edit is one transaction that also appends its changes to the change log. Before each
write the file's identity is checked, so an edit to a project that was moved, renamed or
deleted while open is refused with a clear message instead of landing nowhere.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import sqlite3
import stat
import struct
import tempfile
import threading
import uuid
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from d4a_desktop.core import kinds as kinds_mod
from d4a_desktop.core.project import (
    ActivityState,
    ItemState,
    ProjectMeta,
    ProjectState,
    state_id,
)
from d4a_desktop.core.records import Field, Kind, Record
from d4a_desktop.core.vocab import Condition, Status
from d4a_desktop.storage import codec, errors, lock
from d4a_desktop.storage.codec import (
    Damage,
    Reader,
    encode_time,
    row_decoder,
    to_json,
    utcnow,
)

T = TypeVar("T")

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
SCHEMA = Schema(version=3, script_location=_MIGRATIONS)
_BASE_TABLES = {"project", "activity_state", "item_state", "alembic_version"}

#: Files this process holds open for work, by (device, inode): a file is never opened
#: twice for work by one process, which would defeat the one-holder rule.
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
    """What the first 100 bytes of a file say about it, read without SQLite (``read_header``):
    a file that gets this far is one of our projects (and, when no journal lies beside it, whole
    and of a schema version this program can open)."""

    page_size: int
    pages: int
    application_id: int
    schema_version: int


def _check_path(path: Path) -> os.stat_result:
    """The file exists and is an ordinary file (never a pipe or a device, which would
    block or read forever)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise errors.missing(path) from None
    except OSError as exc:
        raise errors.cannot_write(path, exc.strerror or str(exc)) from exc
    if stat.S_ISDIR(st.st_mode):
        raise errors.is_folder(path)
    if not stat.S_ISREG(st.st_mode):
        raise errors.not_a_file(path)
    return st


def read_header(path: Path) -> Header:
    """Check that a file is one of our projects of a known version, from its first 100
    bytes. Size and version are judged against the header only when no journal lies
    beside the file: a crash during a commit leaves a header that the journal restores."""
    size = _check_path(path).st_size
    try:
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
    if not _journal(path).exists():
        if valid_for == change_counter and size < pages * page_size:
            raise errors.damaged(path)  # truncated: the header promises more pages
        if size % page_size:
            raise errors.damaged(path)
        _check_version(path, user_version)
    return Header(page_size, pages, application_id, user_version)


def _check_version(path: Path, version: int) -> None:
    if version > SCHEMA.version:
        raise errors.too_new(path, version, SCHEMA.version)
    if version < 1:
        raise errors.damaged(path)  # ours, but never finished being created


def _journal(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


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


def classify(path: Path, exc: BaseException, *, writing: bool = False) -> errors.ProjectFileError:
    """A ProjectFileError for an SQLite error, chosen by its error code (never by the
    text of the message, which may quote SQL or the user's words)."""
    if isinstance(exc, errors.ProjectFileError):
        return exc
    if isinstance(exc, UnicodeEncodeError):
        return errors.bad_text(path)
    name = getattr(exc, "sqlite_errorname", None) or ""
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return errors.locked(path)
    if name == "SQLITE_FULL":
        return errors.disk_full(path)
    if name.startswith("SQLITE_READONLY") or (name.startswith("SQLITE_CANTOPEN") and writing):
        if name == "SQLITE_READONLY_ROLLBACK":
            return errors.needs_recovery(path)
        return errors.no_longer_writable(path) if writing else errors.read_only(path)
    if name.startswith("SQLITE_IOERR"):
        return errors.io_error(path) if writing else errors.damaged(path)
    if isinstance(exc, OSError) and exc.errno == 28:  # ENOSPC
        return errors.disk_full(path)
    if isinstance(exc, OSError):
        return errors.cannot_write(path, exc.strerror or str(exc))
    return errors.damaged(path)


def _closed_after(conn: sqlite3.Connection, path: Path,
                  exc: Exception) -> errors.ProjectFileError:
    """A failed open: close the connection and say why in the user's words."""
    with contextlib.suppress(sqlite3.Error):
        conn.close()
    return classify(path, exc)


def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection with our settings: autocommit (we issue BEGIN), foreign keys on,
    a rollback journal (the file is complete on its own between edits), full sync."""
    if read_only:
        uri = f"file:{_quote(path)}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=2.0, isolation_level=None,
                               check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), timeout=2.0, isolation_level=None,
                               check_same_thread=False)
    try:
        conn.execute("PRAGMA foreign_keys=ON")
        if not read_only:
            conn.execute("PRAGMA synchronous=FULL")
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
            if str(mode).lower() != "delete":
                raise sqlite3.DatabaseError(f"journal mode {mode}")
        # The first read of the schema rolls back a hot journal left by a crash.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        conn.close()
        raise classify(path, exc) from exc
    except UnicodeDecodeError as exc:
        # A damaged byte in the stored schema: SQLite's message quotes it, and Python's
        # sqlite3 fails on decoding that message instead of raising DatabaseError.
        conn.close()
        raise errors.damaged(path) from exc
    return conn


def _quote(path: Path) -> str:
    from urllib.parse import quote

    return quote(str(path))


def _remove_dead_journal(path: Path, conn: sqlite3.Connection) -> None:
    """Remove a journal that a crash left before it held anything (SQLite writes its
    header last, so a journal killed early is "not hot" and SQLite leaves it lying).

    By now SQLite has read the file and rolled back a journal that was hot; whatever is
    left belongs to no transaction. It is removed under SQLite's exclusive lock, so no
    other connection can be writing it at that moment.
    """
    journal = _journal(path)
    if not journal.exists():
        return
    try:
        conn.execute("BEGIN EXCLUSIVE")
    except sqlite3.Error:
        return  # another connection is busy with the file: leave it to SQLite
    try:
        journal.unlink(missing_ok=True)
    except OSError:
        pass
    finally:
        conn.execute("ROLLBACK")


def _pragma(conn: sqlite3.Connection, name: str) -> int:
    return int(conn.execute(f"PRAGMA {name}").fetchone()[0])


def _judge(path: Path, conn: sqlite3.Connection) -> int:
    """After SQLite has recovered the file: is it complete, healthy and of a known
    version? Returns the schema version."""
    if _pragma(conn, "application_id") != APPLICATION_ID:
        raise errors.foreign(path)
    page_size, pages = _pragma(conn, "page_size"), _pragma(conn, "page_count")
    if path.stat().st_size < page_size * pages:
        raise errors.damaged(path)
    version = _pragma(conn, "user_version")
    _check_version(path, version)
    ok = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not ok or not tables >= _BASE_TABLES:
        raise errors.damaged(path)
    if version == SCHEMA.version and not _has_declared_columns(conn):
        raise errors.damaged(path)
    return version


#: Every column a record's read selects, per table (the record model's declarations).
_DECLARED_COLUMNS = {k.table: {"id", "created_at", "modified_at", "author", "deleted",
                               *(f.name for f in k.fields)} for k in kinds_mod.KINDS}


def _has_declared_columns(conn: sqlite3.Connection) -> bool:
    """Whether the record tables have the columns the declarations read. A flipped byte in
    the stored schema renames a column without ``quick_check`` noticing; without this the
    file would open and fail later, on the first page that reads the register."""
    found: dict[str, set[str]] = {}
    for table, column in conn.execute(
            "SELECT m.name, p.name FROM sqlite_master AS m, pragma_table_info(m.name) AS p "
            "WHERE m.type = 'table'"):
        found.setdefault(table, set()).add(column)
    return all(found.get(table, set()) >= columns
               for table, columns in _DECLARED_COLUMNS.items())


def _engine(conn: sqlite3.Connection) -> Any:
    """An SQLAlchemy engine over our connection, for Alembic (imported only here)."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import StaticPool

    engine = create_engine("sqlite+pysqlite://", creator=lambda: conn, poolclass=StaticPool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class ForeignKeyViolation(Exception):
    """A migration left rows that point nowhere; it was rolled back."""


def _run_migrations(conn: sqlite3.Connection, target: int) -> None:
    """Apply every revision up to ``target`` in one transaction, then record the version.

    Foreign keys are switched off outside the transaction (SQLite ignores the pragma
    inside one), so a revision that rebuilds a table (batch mode: copy, drop, rename)
    does not cascade-delete the answers that point at it; before committing,
    ``foreign_key_check`` must find nothing, or everything is rolled back.
    """
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(SCHEMA.script_location))
    conn.execute("PRAGMA foreign_keys=OFF")
    engine = _engine(conn)
    try:
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, f"{target:04d}")
            violations = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if violations:
                raise ForeignKeyViolation(f"{len(violations)} rows point nowhere")
            connection.exec_driver_sql(f"PRAGMA user_version = {int(target)}")
    finally:  # the engine is dropped, not disposed: disposing would close our connection
        conn.execute("PRAGMA foreign_keys=ON")


def _healthy(conn: sqlite3.Connection) -> bool:
    return bool(conn.execute("PRAGMA quick_check").fetchone()[0] == "ok")


#: The newest schema as SQL, dumped from a file the migrations made
#: (``python -m d4a_desktop.storage.revision --dump``); a test keeps it identical to them.
SCHEMA_SQL = Path(__file__).parent / "schema.sql"


def _create_schema(conn: sqlite3.Connection) -> None:
    """The tables of a new file, as the migrations would make them, without importing
    SQLAlchemy and Alembic (most of the cost of creating a project)."""
    if SCHEMA.script_location != _MIGRATIONS or not SCHEMA_SQL.is_file():
        _run_migrations(conn, SCHEMA.version)  # tests with other migrations
        return
    script = SCHEMA_SQL.read_text(encoding="utf-8")
    conn.execute("BEGIN")
    try:
        for statement in script.split(";\n"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("INSERT INTO alembic_version (version_num) VALUES (?)",
                     (f"{SCHEMA.version:04d}",))
        conn.execute(f"PRAGMA user_version = {int(SCHEMA.version)}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def schema_sql(conn: sqlite3.Connection) -> str:
    """The schema of a database as the statements that make it, in a stable order (the
    constraints of a table sorted: a rebuilt table lists them in any order)."""
    rows = conn.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL "
                        "ORDER BY type = 'index', name").fetchall()
    return "".join(f"{_sorted_constraints(sql)};\n" for (sql,) in rows)


def _sorted_constraints(sql: str) -> str:
    lines = sql.split("\n")
    body = [line.rstrip().removesuffix(",") for line in lines[1:-1]]
    if not body or not lines[-1].startswith(")"):
        return sql
    columns = [line for line in body if not line.strip().startswith("CONSTRAINT")]
    constraints = sorted(line for line in body if line.strip().startswith("CONSTRAINT"))
    parts = columns + constraints
    return "\n".join([lines[0], *(f"{p}," for p in parts[:-1]), parts[-1], lines[-1]])


def _backup(conn: sqlite3.Connection, target: Path) -> Path:
    """A consistent copy through SQLite's backup API, checked, then moved into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".backup-{os.getpid()}-",
                               suffix=".d4a")
    os.close(fd)
    try:
        dest = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")
            if not _healthy(dest):
                raise sqlite3.DatabaseError("the copy failed its check")
        finally:
            dest.close()
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        Path(tmp + "-journal").unlink(missing_ok=True)
        raise
    return target


# --- the state tables ------------------------------------------------------------------------

_STATE = {
    # kind: (table, key column, namespace of the deterministic id, editable columns)
    "activity": ("activity_state", "activity_id", "activity",
                 ("status", "na_reason", "planned_start", "planned_end")),
    "item": ("item_state", "item_id", "item", ("done", "owner", "due_date", "note")),
    "condition": ("project_condition", "condition", "condition", ("applies",)),
}


def _column_value(name: str, value: Any) -> Any:
    if isinstance(value, Status):
        return value.value
    if name in ("due_date", "planned_start", "planned_end"):
        return value.isoformat() if value else None
    if isinstance(value, bool):
        return int(value)
    return value


class ProjectFile:
    """An open project: the store that commands and services use.

    Every ``update_*`` call is one committed transaction, unless it runs inside
    :meth:`transaction`, which commits several as one. Use as a context manager or call
    :meth:`close`, which runs ``quick_check`` and releases the lock.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection, *, author: str = "",
                 installation: str = "", read_only: bool = False,
                 holder: lock.Holder | None = None, upgraded_from: int | None = None,
                 backup: Path | None = None, file_key: tuple[int, int] | None = None):
        self.path = path
        self.author = author
        self.installation = installation
        self.read_only = read_only
        self.upgraded_from = upgraded_from
        self.upgrade_backup = backup
        self.schema_version = SCHEMA.version
        #: True once an edit was committed (a backup is due on close).
        self.modified = False
        #: Values that could not be read, collected by every read since opening.
        self.damage: list[Damage] = []
        self._conn = conn
        self._holder = holder
        self._depth = 0
        self._edit = ""
        self._now = utcnow()
        self._key = file_key
        #: Whole reads (``state()``, a kind's ``records()``) kept while the file is as it
        #: was when they were read (see ``_kept``).
        self._read: dict[Any, Any] = {}
        self._read_as_of: tuple[int, ...] | None = None
        if not read_only and file_key is not None:
            _OPEN_FILES[file_key] = path
        self._project_id = str(self._rows("SELECT id FROM project")[0][0])

    # --- opening and creating ------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, *, author: str = "", installation: str = "",
             read_only: bool = False, take_over: bool = False) -> ProjectFile:
        """Open for work, or for reading only (nothing is ever written then).

        Raises ProjectFileError with kind ``read-only`` when the file cannot be written
        and work was asked for: the caller may open it for reading instead.
        """
        path = Path(path).absolute()
        if read_only:
            return cls._open_for_reading(path)
        if _held_here(path):
            raise errors.locked(path)
        read_header(path)
        if _is_read_only(path):
            raise errors.read_only(path)
        try:
            holder = lock.acquire(path, take_over=take_over)
        except lock.Locked as exc:
            raise _locked_error(path, exc.holder) from None
        except OSError as exc:  # the folder cannot take the lock file
            raise classify(path, exc) from exc
        try:
            return cls._open_locked(path, author, installation, holder)
        except BaseException:
            lock.release(path, holder)
            raise

    @classmethod
    def _open_locked(cls, path: Path, author: str, installation: str,
                     holder: lock.Holder) -> ProjectFile:
        conn = _connect(path)
        try:
            version = _judge(path, conn)
            _remove_dead_journal(path, conn)
            backup = None
            if version < SCHEMA.version:
                backup = cls._upgrade(path, conn, version)
            return cls(path, conn, author=author, installation=installation, holder=holder,
                       upgraded_from=version if backup else None, backup=backup,
                       file_key=_file_key(path))
        except Exception as exc:
            raise _closed_after(conn, path, exc) from exc

    @classmethod
    def _open_for_reading(cls, path: Path) -> ProjectFile:
        read_header(path)
        try:
            conn = _connect(path, read_only=True)
        except errors.ProjectFileError as exc:
            if exc.kind != "needs-recovery" or _is_read_only(path):
                raise
            cls._recover(path)  # a crash left a journal: roll it back, then read
            conn = _connect(path, read_only=True)
        try:
            version = _judge(path, conn)
            if version < SCHEMA.version:  # upgrade a copy in memory; never the file
                memory = sqlite3.connect(":memory:", isolation_level=None,
                                         check_same_thread=False)
                conn.backup(memory)
                conn.close()
                conn = memory
                try:
                    _run_migrations(conn, SCHEMA.version)
                except Exception as exc:
                    raise errors.upgrade_failed(path, path) from exc
            return cls(path, conn, read_only=True)
        except Exception as exc:
            raise _closed_after(conn, path, exc) from exc

    @staticmethod
    def _recover(path: Path) -> None:
        """Let SQLite roll back a crash's journal, holding the lock while it does."""
        try:
            holder = lock.acquire(path)
        except lock.Locked as exc:
            raise _locked_error(path, exc.holder) from None
        except OSError as exc:
            raise errors.needs_recovery(path) from exc
        try:
            _connect(path).close()
        finally:
            lock.release(path, holder)

    @staticmethod
    def _upgrade(path: Path, conn: sqlite3.Connection, old: int) -> Path:
        """Back up, then run every pending migration in one transaction."""
        stem = path.name.removesuffix(".d4a")
        try:
            backup = _backup(conn, path.with_name(f"{stem}.before-upgrade-v{old}.d4a"))
            shutil.copymode(path, backup)
        except (OSError, sqlite3.Error) as exc:
            raise classify(path, exc, writing=True) from exc
        try:
            _run_migrations(conn, SCHEMA.version)
        except Exception as exc:  # a migration of any kind failed: nothing was applied
            raise errors.upgrade_failed(path, backup) from exc
        return backup

    @classmethod
    def create(cls, path: Path | str, meta: ProjectMeta, *, author: str = "",
               installation: str = "", overwrite: bool = False) -> ProjectFile:
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
            raise classify(path, exc) from exc
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a project is a normal file
            conn = sqlite3.connect(tmp, isolation_level=None)
            try:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute("PRAGMA journal_mode=DELETE")
                _create_schema(conn)
                now = encode_time(utcnow())
                conn.execute(
                    "INSERT INTO project (id, created_at, modified_at, author, title, "
                    "municipality, country, domain, language, tandem_partner, "
                    "roadmap_version) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (meta.id, now, now, author, meta.title, meta.municipality, meta.country,
                     meta.domain, meta.language, meta.tandem_partner, meta.roadmap_version))
            finally:
                conn.close()
            # A journal left beside the target by a crash of another file of that name
            # would be replayed into the new project: it belongs to no file now.
            _journal(path).unlink(missing_ok=True)
            os.replace(tmp, path)
        except (OSError, sqlite3.Error) as exc:
            tmp.unlink(missing_ok=True)
            _journal(tmp).unlink(missing_ok=True)
            raise classify(path, exc) from exc
        except BaseException:
            tmp.unlink(missing_ok=True)
            _journal(tmp).unlink(missing_ok=True)
            raise
        return cls.open(path, author=author, installation=installation)

    # --- closing, checking, backups --------------------------------------------------------

    def close(self) -> bool:
        """Release the file; returns the result of SQLite's quick_check (True = healthy)."""
        if self._conn is None:
            return True
        try:
            healthy = self._conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        except sqlite3.Error:
            healthy = False
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()
        self._conn = None  # type: ignore[assignment]
        if self._key is not None and _OPEN_FILES.get(self._key) == self.path:
            del _OPEN_FILES[self._key]
        if self._holder is not None:
            lock.release(self.path, self._holder)
            self._holder = None
        return healthy

    def __enter__(self) -> ProjectFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self._conn is None

    @property
    def project_id(self) -> str:
        return self._project_id

    def integrity_check(self) -> list[str]:
        """The full ``integrity_check``: an empty list when the file is healthy. Damage to
        the pages that lead to the others stops the check itself ("database disk image is
        malformed"): that is its finding, not an error."""
        try:
            rows = [r[0] for r in self._conn.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as exc:
            return [str(exc) or "database disk image is malformed"]
        return [] if rows == ["ok"] else rows

    def check_values(self) -> list[Damage]:
        """Every value in the file that cannot be read (what integrity_check cannot see:
        text that is not UTF-8, times that do not parse, choices that do not exist)."""
        earlier, self.damage = self.damage, []
        self._read_as_of = None  # every value read afresh: kept reads name no damage
        try:
            self.state()
            for kind in kinds_mod.KINDS:
                self.records(kind.name, include_deleted=True)
            found = self.damage
        finally:
            self.damage = earlier + [d for d in self.damage if d not in earlier]
        return sorted(set(found), key=lambda d: (d.table, d.record, d.field))

    def backup_to(self, target: Path) -> Path:
        """A consistent copy of the open project (SQLite's backup API)."""
        try:
            return _backup(self._conn, target)
        except (OSError, sqlite3.Error) as exc:
            raise classify(target, exc, writing=True) from exc

    def check_identity(self) -> None:
        """Raise unless the path still names the file this project was opened from."""
        if self._key is None:
            return
        try:
            st = self.path.stat()
        except FileNotFoundError:
            raise errors.vanished(self.path) from None
        except OSError as exc:
            raise errors.io_error(self.path) from exc
        if (st.st_dev, st.st_ino) != self._key:
            raise errors.vanished(self.path)

    # --- reading -------------------------------------------------------------------------

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run a query; text that is not UTF-8 is read with replacement characters (and
        noted as damaged by the caller's decoder) instead of failing the whole read."""
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorcode", None) is not None:
                raise classify(self.path, exc) from exc
            # Raised by the sqlite3 module itself: a text value is not valid UTF-8.
            self._conn.text_factory = codec.decode_text
            try:
                return self._conn.execute(sql, params).fetchall()
            finally:
                self._conn.text_factory = str
        except sqlite3.Error as exc:
            raise classify(self.path, exc) from exc

    def _reader(self) -> Reader:
        return Reader()

    def _kept(self, key: Any) -> Any:
        """A whole read kept from before, or None when the file may have changed since.

        Showing a project asks for its state and its records from several places (the
        navigator, the dashboard, its KPIs): reading and decoding them once instead of
        four times was 1.5 % of a start. SQLite says when anything changed: rows this
        connection inserted, updated or deleted (``total_changes``, also inside a
        transaction), a commit by any other connection or process (``data_version``) and a
        change of the schema (``schema_version``). Any of them forgets every kept read.
        Only the program's main thread keeps reads (work off it reads afresh), so that a
        read made before a change can never be kept as one made after it."""
        if threading.current_thread() is not threading.main_thread():
            return None
        as_of = (self._conn.total_changes,
                 *self._rows("SELECT (SELECT data_version FROM pragma_data_version), "
                             "(SELECT schema_version FROM pragma_schema_version)")[0])
        if as_of != self._read_as_of:
            self._read.clear()
            self._read_as_of = as_of
        return self._read.get(key)

    def _remember(self, key: Any, value: Any) -> None:
        """Keep a whole read made just now (see ``_kept``), on the main thread."""
        if threading.current_thread() is threading.main_thread() and \
                self._read_as_of is not None:
            self._read[key] = value

    def derived(self, key: Hashable, compute: Callable[[], T]) -> T:
        """What ``compute`` works out from the file (reading only), kept like a whole read
        until the file changes (see ``_kept``): showing a project asks for its KPIs'
        statuses from the navigator and the dashboard. A value worked out while the file
        changed, or off the main thread, is not kept."""
        name = ("derived", key)
        kept = self._kept(name)
        if kept is not None:
            return cast(T, kept)
        before = self._read_as_of
        value = compute()
        if before is not None and self._kept(name) is None and self._read_as_of == before:
            self._remember(name, value)
        return value

    def _keep(self, reader: Reader) -> None:
        self.damage.extend(d for d in reader.damage if d not in self.damage)

    def get_meta(self) -> ProjectMeta:
        r = self._reader()
        row = self._rows(
            "SELECT id, title, municipality, country, domain, language, tandem_partner, "
            "roadmap_version, created_at, modified_at, author FROM project WHERE id = ?",
            (self._project_id,))[0]
        pid = str(row[0])
        t = lambda i, name: r.text(row[i], "project", pid, name)  # noqa: E731
        meta = ProjectMeta(
            id=pid, title=t(1, "title"), municipality=t(2, "municipality"),
            country=t(3, "country"), domain=t(4, "domain"), language=t(5, "language"),
            tandem_partner=t(6, "tandem_partner"), roadmap_version=t(7, "roadmap_version"),
            created_at=r.time(row[8], "project", pid, "created_at"),
            modified_at=r.time(row[9], "project", pid, "modified_at"),
            author=t(10, "author"))
        self._keep(r)
        return meta

    _ACTIVITY_SQL = ("SELECT activity_id, status, na_reason, modified_at, author, "
                     "planned_start, planned_end FROM activity_state")
    _ITEM_SQL = "SELECT item_id, done, owner, due_date, note, modified_at, author FROM item_state"

    @staticmethod
    def _activity(r: Reader, row: tuple[Any, ...]) -> ActivityState:
        aid = r.text(row[0], "activity_state", "?", "activity_id")
        try:
            status = Status(row[1])
        except ValueError:
            r._note("activity_state", aid, "status")
            status = Status.NOT_STARTED
        return ActivityState(
            aid, status, r.text(row[2], "activity_state", aid, "na_reason"),
            r.time(row[3], "activity_state", aid, "modified_at"),
            r.text(row[4], "activity_state", aid, "author"),
            r.date(row[5], "activity_state", aid, "planned_start"),
            r.date(row[6], "activity_state", aid, "planned_end"))

    @staticmethod
    def _item(r: Reader, row: tuple[Any, ...]) -> ItemState:
        iid = r.text(row[0], "item_state", "?", "item_id")
        return ItemState(
            iid, bool(r.flag(row[1], "item_state", iid, "done")),
            r.text(row[2], "item_state", iid, "owner"),
            r.date(row[3], "item_state", iid, "due_date"),
            r.text(row[4], "item_state", iid, "note"),
            r.time(row[5], "item_state", iid, "modified_at"),
            r.text(row[6], "item_state", iid, "author"))

    def get_activity(self, activity_id: str) -> ActivityState:
        r = self._reader()
        rows = self._rows(self._ACTIVITY_SQL + " WHERE activity_id = ?", (activity_id,))
        result = self._activity(r, rows[0]) if rows else ActivityState(activity_id)
        self._keep(r)
        return result

    def get_item(self, item_id: str) -> ItemState:
        r = self._reader()
        rows = self._rows(self._ITEM_SQL + " WHERE item_id = ?", (item_id,))
        result = self._item(r, rows[0]) if rows else ItemState(item_id)
        self._keep(r)
        return result

    def get_conditions(self) -> dict[Condition, bool | None]:
        r = self._reader()
        result: dict[Condition, bool | None] = {}
        for key, applies in self._rows("SELECT condition, applies FROM project_condition"):
            try:
                condition = Condition(key)
            except ValueError:
                continue  # a condition a later roadmap retired: kept in the file, not used
            result[condition] = r.flag(applies, "project_condition", key, "applies")
        self._keep(r)
        return result

    def state(self) -> ProjectState:
        """The project's answers; the same object until the file changes (callers treat it
        as the read-only value it is)."""
        kept = self._kept("state")
        if kept is not None:
            return kept
        r = self._reader()
        acts = [self._activity(r, row) for row in self._rows(self._ACTIVITY_SQL)]
        items = [self._item(r, row) for row in self._rows(self._ITEM_SQL)]
        self._keep(r)
        state = ProjectState(self.get_meta(), {a.activity_id: a for a in acts},
                             {i.item_id: i for i in items}, self.get_conditions())
        self._remember("state", state)
        return state

    def records(self, kind: str | Kind, *, include_deleted: bool = False,
                fields: Sequence[str] | None = None,
                ids: Sequence[str] | None = None) -> list[Record]:
        """Every record of a kind, oldest first; tombstones only when asked for.

        ``fields`` reads only those fields' values, for a register page that shows a few
        columns of thousands of records (the data inventory's first page read a fifth of
        its 28 columns); such a summary holds the id and only those names in ``values``,
        not its times or author (none of which a table shows), and ``get_record`` reads
        one whole. ``ids`` reads only the records with those ids (the rows a page is
        about to paint)."""
        k = kind if isinstance(kind, Kind) else kinds_mod.kind(kind)
        whole = fields is None and ids is None
        if whole:
            kept = self._kept(("records", k.name, include_deleted))
            if kept is not None:
                return list(kept)  # a list of its own: the records themselves are immutable
        conditions = [] if include_deleted else ["deleted = 0"]
        params: tuple[str, ...] = ()
        if ids is not None:
            params = tuple(ids)
            conditions.append(f"id IN ({', '.join('?' * len(params))})")
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        order = " ORDER BY created_at, rowid"
        r = self._reader()
        if fields is None:
            names = [f.name for f in k.fields]
            sql = (f"SELECT id, created_at, modified_at, author, deleted, {', '.join(names)} "
                   f"FROM {k.table}{where}{order}")
            result = [self._record(r, k, row) for row in self._rows(sql, params)]
            if whole:
                self._remember(("records", k.name, include_deleted), tuple(result))
        else:
            chosen = _some_fields(k, tuple(fields))
            sql = (f"SELECT id, deleted, {', '.join(f.name for f in chosen)} "
                   f"FROM {k.table}{where}{order}")
            decode, table, name = row_decoder(chosen).decode, k.table, k.name
            result = []
            for row in self._rows(sql, params):
                rid = str(row[0])
                result.append(Record(name, rid, decode(r, row[2:], table, rid),
                                     deleted=bool(row[1])))
        self._keep(r)
        return result

    def get_record(self, kind: str | Kind, record_id: str) -> Record | None:
        k = kind if isinstance(kind, Kind) else kinds_mod.kind(kind)
        names = [f.name for f in k.fields]
        rows = self._rows(f"SELECT id, created_at, modified_at, author, deleted, "
                          f"{', '.join(names)} FROM {k.table} WHERE id = ?", (record_id,))
        if not rows:
            return None
        r = self._reader()
        result = self._record(r, k, rows[0])
        self._keep(r)
        return result

    @staticmethod
    def _record(r: Reader, k: Kind, row: tuple[Any, ...]) -> Record:
        rid = str(row[0])
        values = row_decoder(k.fields).decode(r, row[5:], k.table, rid)
        return Record(k.name, rid, values, r.time(row[1], k.table, rid, "created_at"),
                      r.time(row[2], k.table, rid, "modified_at"),
                      r.text(row[3], k.table, rid, "author"), bool(row[4]))

    def counts(self) -> dict[str, int]:
        """How many records (tombstones left out) each kind has."""
        return {k.name: int(self._rows(f"SELECT count(*) FROM {k.table} "
                                       f"WHERE deleted = 0")[0][0]) for k in kinds_mod.KINDS}

    def history(self, kind: str, record_id: str) -> list[dict[str, Any]]:
        """The change log of one record, oldest first: who changed what, when."""
        rows = self._rows("SELECT id, edit, op, field, old, new, at, author, installation "
                          "FROM change_log WHERE kind = ? AND record_id = ? ORDER BY rowid",
                          (kind, record_id))
        result = []
        for cid, edit, op, field_name, old, new, at, author, inst in rows:
            result.append({"id": cid, "edit": edit, "op": op, "field": field_name,
                           "old": json_or_none(old), "new": json_or_none(new),
                           "at": Reader().time(at, "change_log", cid, "at"),
                           "author": author, "installation": inst})
        return result

    def changes(self, about: str | None = None) -> list[dict[str, Any]]:
        """The change log (oldest first), of everything or of one record or roadmap id."""
        sql = ("SELECT id, edit, kind, record_id, key, op, field, old, new, at, author, "
               "installation FROM change_log")
        params: tuple[Any, ...] = ()
        if about:
            sql += " WHERE record_id = ? OR key = ?"
            params = (about, about)
        names = ("id", "edit", "kind", "record_id", "key", "op", "field", "old", "new", "at",
                 "author", "installation")
        result = []
        for row in self._rows(sql + " ORDER BY rowid", params):
            entry = dict(zip(names, row, strict=True))
            entry["old"], entry["new"] = json_or_none(entry["old"]), json_or_none(entry["new"])
            entry["at"] = str(entry["at"])
            result.append(entry)
        return result

    def last_change(self) -> Any:
        rows = self._rows("SELECT at, author FROM change_log ORDER BY rowid DESC LIMIT 1")
        return rows[0] if rows else None

    # --- writing ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Run several writes as one committed edit (one change-log edit id, one time)."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        if self.read_only:
            raise errors.read_only_session(self.path)
        self.check_identity()
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise classify(self.path, exc, writing=True) from exc
        self._depth = 1
        self._edit = str(uuid.uuid4())
        self._now = utcnow()
        try:
            yield
            self._conn.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")
            if isinstance(exc, (sqlite3.Error, OSError, UnicodeEncodeError)):
                raise classify(self.path, exc, writing=True) from exc
            raise
        finally:
            self._depth = 0
        self.modified = True

    @contextlib.contextmanager
    def as_of(self, when: dt.datetime, author: str) -> Iterator[None]:
        """One committed edit whose records and change log carry ``when`` (UTC) and
        ``author`` instead of now and the user: the demo writes comments and saved
        versions as if they had been made over the past year."""
        with self.transaction():
            saved = self._now, self.author
            self._now, self.author = when, author
            try:
                yield
            finally:
                self._now, self.author = saved

    def _log(self, kind: str, record_id: str, key: str, op: str, field: str = "",
             old: Any = None, new: Any = None) -> None:
        self._conn.execute(
            "INSERT INTO change_log (id, edit, kind, record_id, key, op, field, old, new, at, "
            "author, installation) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (str(uuid.uuid4()), self._edit, kind, record_id, key, op, field,
             None if op in ("create", "delete", "restore") and old is None else to_json(old),
             to_json(new), encode_time(self._now), self.author, self.installation))

    def _stamp(self) -> tuple[str, str]:
        return encode_time(self._now), self.author

    def update_meta(self, changes: Mapping[str, Any]) -> ProjectMeta:
        with self.transaction():
            before = self.get_meta()
            diff = {k: v for k, v in changes.items() if getattr(before, k) != v}
            if diff:
                now, author = self._stamp()
                sets = ", ".join(f"{k} = ?" for k in diff)
                self._conn.execute(
                    f"UPDATE project SET {sets}, modified_at = ?, author = ? WHERE id = ?",
                    (*diff.values(), now, author, self._project_id))
                for name, value in diff.items():
                    self._log("project", self._project_id, "", "set", name,
                              getattr(before, name), value)
            return self.get_meta()

    def set_origin(self, origin: str) -> None:
        """Record the project this one was started from (bookkeeping, like the roadmap
        version: not an edit of the user's)."""
        with self.transaction():
            self._conn.execute("UPDATE project SET derived_from = ? WHERE id = ?",
                               (origin, self._project_id))

    def origin(self) -> str:
        return str(self._rows("SELECT derived_from FROM project")[0][0] or "")

    def follow_roadmap(self, version: str) -> None:
        """Record the roadmap version the project now follows: bookkeeping, so neither
        the project's modified time and author nor the change log are touched."""
        with self.transaction():
            self._conn.execute("UPDATE project SET roadmap_version = ? WHERE id = ?",
                               (version, self._project_id))

    def _update_state(self, kind: str, key: str, changes: Mapping[str, Any],
                      before: Any, defaults: Mapping[str, Any]) -> None:
        table, key_col, namespace, editable = _STATE[kind]
        for name in changes:
            if name not in editable:
                raise ValueError(f"{kind} has no editable field {name!r}")
        diff = {k: v for k, v in changes.items() if getattr(before, k, defaults.get(k)) != v}
        if not diff:
            return
        now, author = self._stamp()
        rid = state_id(self._project_id, namespace, key)
        exists = self._rows(f"SELECT 1 FROM {table} WHERE {key_col} = ?", (key,))
        if exists:
            sets = ", ".join(f"{k} = ?" for k in diff)
            self._conn.execute(
                f"UPDATE {table} SET {sets}, modified_at = ?, author = ? WHERE {key_col} = ?",
                (*(_column_value(k, v) for k, v in diff.items()), now, author, key))
        else:
            row = {**defaults, **diff}
            cols = ", ".join(row)
            marks = ", ".join("?" for _ in range(len(row) + 6))
            self._conn.execute(
                f"INSERT INTO {table} (id, created_at, modified_at, author, project_id, "
                f"{key_col}, {cols}) VALUES ({marks})",
                (rid, now, now, author, self._project_id, key,
                 *(_column_value(k, v) for k, v in row.items())))
        for name, value in diff.items():
            self._log(kind, rid, key, "set", name, getattr(before, name, defaults.get(name)),
                      value)

    def update_activity(self, activity_id: str, changes: Mapping[str, Any]) -> ActivityState:
        with self.transaction():
            self._update_state("activity", activity_id, changes, self.get_activity(activity_id),
                               {"status": Status.NOT_STARTED, "na_reason": ""})
            return self.get_activity(activity_id)

    def update_item(self, item_id: str, changes: Mapping[str, Any]) -> ItemState:
        with self.transaction():
            self._update_state("item", item_id, changes, self.get_item(item_id),
                               {"done": False, "owner": "", "note": ""})
            return self.get_item(item_id)

    def update_conditions(self, changes: Mapping[Condition, bool | None]) -> None:
        with self.transaction():
            before = self.get_conditions()
            for condition, applies in changes.items():
                self._update_state("condition", condition.value, {"applies": applies},
                                   _Answer(before.get(condition)), {"applies": None})

    # --- records ---------------------------------------------------------------------------

    def create_record(self, kind: str | Kind, record_id: str,
                      values: Mapping[str, Any]) -> Record:
        k = kind if isinstance(kind, Kind) else kinds_mod.kind(kind)
        full = {**k.defaults(), **values}
        with self.transaction():
            now, author = self._stamp()
            names = [f.name for f in k.fields]
            marks = ", ".join("?" for _ in range(len(names) + 5))
            self._conn.execute(
                f"INSERT INTO {k.table} (id, created_at, modified_at, author, deleted, "
                f"{', '.join(names)}) VALUES ({marks})",
                (record_id, now, now, author, 0,
                 *(codec.encode(f, full[f.name]) for f in k.fields)))
            self._log(k.name, record_id, "", "create", "", None,
                      {f.name: json.loads(to_json(full[f.name])) for f in k.fields})
            record = self.get_record(k, record_id)
        assert record is not None
        return record

    def update_record(self, kind: str | Kind, record_id: str,
                      changes: Mapping[str, Any]) -> Record:
        k = kind if isinstance(kind, Kind) else kinds_mod.kind(kind)
        with self.transaction():
            before = self.get_record(k, record_id)
            if before is None:
                raise KeyError(record_id)
            diff = {n: v for n, v in changes.items() if before.values.get(n) != v}
            if diff:
                now, author = self._stamp()
                sets = ", ".join(f"{n} = ?" for n in diff)
                self._conn.execute(
                    f"UPDATE {k.table} SET {sets}, modified_at = ?, author = ? WHERE id = ?",
                    (*(codec.encode(k.field(n), v) for n, v in diff.items()), now, author,
                     record_id))
                for name, value in diff.items():
                    self._log(k.name, record_id, "", "set", name, before.values.get(name),
                              value)
            record = self.get_record(k, record_id)
        assert record is not None
        return record

    def apply_merge(self, plan: Any, decisions: Mapping[tuple[str, str, str], Any]
                    ) -> dict[str, Any]:
        from d4a_desktop.storage import snapshot

        return snapshot.apply_merge(self, plan, decisions)

    def undo_merge(self, undo: Mapping[str, Any]) -> None:
        from d4a_desktop.storage import snapshot

        snapshot.undo_merge(self, undo)

    def set_deleted(self, kind: str | Kind, record_id: str, deleted: bool) -> Record:
        """Delete as a tombstone (kept until merged, so a merge knows it was deleted), or
        restore."""
        k = kind if isinstance(kind, Kind) else kinds_mod.kind(kind)
        with self.transaction():
            before = self.get_record(k, record_id)
            if before is None:
                raise KeyError(record_id)
            if before.deleted != deleted:
                now, author = self._stamp()
                self._conn.execute(
                    f"UPDATE {k.table} SET deleted = ?, modified_at = ?, author = ? "
                    f"WHERE id = ?", (int(deleted), now, author, record_id))
                self._log(k.name, record_id, "", "delete" if deleted else "restore")
            record = self.get_record(k, record_id)
        assert record is not None
        return record


@dataclass(frozen=True)
class _Answer:
    """A condition's current answer, shaped like the other state snapshots."""

    applies: Any


_SOME_FIELDS: dict[tuple[str, tuple[str, ...]], tuple[Field, ...]] = {}


def _some_fields(k: Kind, names: tuple[str, ...]) -> tuple[Field, ...]:
    """The named fields of a kind in declaration order, the same tuple on each call (the
    row decoder is made once per tuple); an unknown name raises KeyError."""
    key = (k.name, names)
    known = _SOME_FIELDS.get(key)
    if known is None or any(k.field(f.name) is not f for f in known):
        wanted = {k.field(name).name for name in names}
        known = _SOME_FIELDS[key] = tuple(f for f in k.fields if f.name in wanted)
    return known


def json_or_none(text: Any) -> Any:
    """A JSON text of the change log, or None when it is missing or damaged."""
    if text is None:
        return None
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return None


def _locked_error(path: Path, holder: lock.Holder) -> errors.ProjectFileError:
    who = f"{holder.user}@{holder.host}" if holder.user else holder.host
    if holder.host and not holder.is_here():
        return errors.locked_elsewhere(path, who)
    return errors.locked(path)


def _ensure_not_in_use(path: Path) -> None:
    """Refuse to replace a project that this or another program has open."""
    if _held_here(path):
        raise errors.locked(path)
    holder = lock.read(path)
    if holder is not None and holder.is_alive():
        raise _locked_error(path, holder)

