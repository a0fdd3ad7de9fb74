"""Bad project files, shared by the storage and the command-line tests.

Each maker writes one kind of bad input at ``tmp_path/<name>.d4a`` from the bytes of a
real project. "locked" is a healthy project that another process holds open; use
:func:`held_by_other_process` around the attempt.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from d4a_desktop.core.project import ProjectMeta
from d4a_desktop.storage import ProjectFile
from d4a_desktop.storage import projectfile as pf
from tests.conftest import sha256

META = ProjectMeta(id="3f1c2a4e-8a55-4a62-9c3e-6d0b5c2f7a10", title="Cycling counts",
                   municipality="Kortrijk", country="BE", domain="Mobility", language="nl",
                   tandem_partner="KielRegion", roadmap_version="2026.1")


def make_project(path: Path, *, author: str = "tester") -> Path:
    """A healthy project with some state, closed."""
    with ProjectFile.create(path, META, author=author) as f:
        f.update_item("c1.a1.i1", {"done": True, "owner": "Els"})
        f.update_activity("c1.a1", {"status": pf.Status.IN_PROGRESS})
    return path


def _text(path: Path, real: bytes) -> None:
    path.write_text("Title: not a project\nThis is a plain text file.\n" * 40, encoding="utf-8")


def _other_sqlite(path: Path, real: bytes) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Ann', '123')")
    conn.commit()
    conn.close()


def _truncated(path: Path, real: bytes) -> None:
    path.write_bytes(real[: len(real) // 2])


def _empty(path: Path, real: bytes) -> None:
    path.write_bytes(b"")


def _newer(path: Path, real: bytes) -> None:
    path.write_bytes(real)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {pf.SCHEMA.version + 1}")
    conn.commit()
    conn.close()


def _read_only(path: Path, real: bytes) -> None:
    path.write_bytes(real)
    os.chmod(path, 0o444)


def _missing(path: Path, real: bytes) -> None:
    pass


def _folder(path: Path, real: bytes) -> None:
    path.mkdir()


def _locked(path: Path, real: bytes) -> None:
    path.write_bytes(real)


MAKERS: dict[str, Callable[[Path, bytes], None]] = {
    "text": _text,
    "other-sqlite": _other_sqlite,
    "truncated": _truncated,
    "empty": _empty,
    "newer": _newer,
    "read-only": _read_only,
    "missing": _missing,
    "folder": _folder,
    "locked": _locked,
}

#: A phrase each English message must contain (the messages are the user's only clue).
EXPECTED_WORDS = {
    "text": "not a D4A project",
    "other-sqlite": "another application",
    "truncated": "damaged",
    "empty": "empty",
    "newer": "newer version",
    "read-only": "read-only",
    "missing": "does not exist",
    "folder": "folder",
    "locked": "already open",
}


def make_bad(kind: str, folder: Path, real: bytes) -> Path:
    path = folder / f"{kind}.d4a"
    MAKERS[kind](path, real)
    return path


def snapshot(path: Path) -> tuple[str | None, list[str]]:
    """The file's content hash (None when absent or a folder) and what lies beside it."""
    digest = sha256(path) if path.is_file() else None
    return digest, sorted(p.name for p in path.parent.iterdir())


_HOLD = """
import sys
from d4a_desktop.storage import ProjectFile
f = ProjectFile.open(sys.argv[1])
print("ready", flush=True)
sys.stdin.read()
f.close()
"""


@contextlib.contextmanager
def held_by_other_process(path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process opens ``path`` and holds it until the block ends."""
    proc = subprocess.Popen([sys.executable, "-c", _HOLD, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if line.strip() != "ready":
            proc.kill()
            _out, err = proc.communicate(timeout=30)
            raise AssertionError(f"the holding process could not open {path}: {err}")
        yield proc
    finally:
        if proc.poll() is None:
            assert proc.stdin is not None
            proc.stdin.close()
            proc.wait(timeout=30)
