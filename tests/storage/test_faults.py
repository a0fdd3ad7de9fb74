"""Fault injection at every write of one growing edit: kill -9 there, or a full disk there.

A crash in the middle of a commit that grows the file leaves a hot journal; SQLite rolls it
back when the file is next opened. The program must let it do so before judging the file,
and never refuse a recoverable file as damaged (a user who then opened a backup would lose
the work since). strace stops the child at the N-th ``pwrite64`` (or sync, or the journal's
``unlink``, the moment of commit) for every N the edit has.

A full disk: ``pwrite64`` fails once with ENOSPC at each write point; the edit is refused
with a clear message, not acknowledged, leaves nothing half-done, and the same edit
succeeds once space is back. Where the machine allows mounting, a real 1 MiB tmpfs fills up.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from d4a_desktop.services.projects import open_project
from d4a_desktop.storage import ProjectFile, ProjectFileError
from tests.storage import faultwork
from tests.storage.badfiles import make_project

ROOT = Path(__file__).resolve().parents[2]
STRACE = shutil.which("strace")

needs_strace = pytest.mark.skipif(
    STRACE is None and not os.environ.get("CI"),
    reason="strace is not installed (./test.sh installs it); CI requires it")


@pytest.fixture(scope="module")
def start(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("start") / "start.d4a")


def run_child(path: Path, home: Path, inject: str | None,
              retry: bool = False) -> tuple[int, list[str]]:
    cmd = [sys.executable, "-m", "tests.storage.faultwork", str(path)]
    if retry:
        cmd.append("--retry")
    if inject is not None:
        assert STRACE is not None, "strace is needed (./test.sh installs it)"
        syscall = inject.split(":", 1)[0]
        cmd = [STRACE, "-f", "-qq", "-o", os.devnull, "-e", f"trace={syscall}", "-e",
               f"inject={inject}", *cmd]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env=dict(os.environ, D4A_HOME=str(home), PYTHONPATH=str(ROOT)))
    return done.returncode, done.stdout.split("\n")


def edited(file: ProjectFile) -> bool | None:
    """True when the growing edit is in the file, False when none of it is, None when
    only part of it is (which must never happen)."""
    note = file.get_item("c1.a1.i2").note == faultwork.NOTE
    count = len(file.records("datasets"))
    if note and count == 8:
        return True
    if not note and count == 0:
        return False
    return None


def reopen_and_judge(path: Path) -> bool:
    try:
        file = ProjectFile.open(path, author="checker")
    except ProjectFileError as exc:
        pytest.fail(f"a recoverable file was refused: {exc.kind}: {exc.message}")
    with file:
        assert file.integrity_check() == []
        state = edited(file)
    assert state is not None, "half of the edit is in the file"
    return state


def sweep(start: Path, folder: Path, syscall: str) -> tuple[int, int]:
    """Kill at the 1st, 2nd, … ``syscall`` until the child gets through; returns how many
    kill points there were and after how many of them the edit was in the file."""
    after = 0
    killed: list[int] = []
    for n in range(1, 400):
        path = folder / f"{syscall}-{n}.d4a"
        shutil.copyfile(start, path)
        code, lines = run_child(path, folder / "home", f"{syscall}:signal=KILL:when={n}")
        if code == 0:
            assert "done" in lines
            assert reopen_and_judge(path) is True
            return len(killed), after
        assert code == -9, lines
        killed.append(n)
        after += reopen_and_judge(path)
        path.unlink()
    pytest.fail(f"{syscall}: the child never got through")


@needs_strace
def test_kill_at_every_write_of_a_growing_edit(start: Path, tmp_path: Path) -> None:
    points, after = sweep(start, tmp_path, "pwrite64")
    assert points >= 20, f"only {points} writes: the edit did not grow the file"
    assert after < points  # kills before the commit point leave the file as it was


@needs_strace
@pytest.mark.parametrize("syscall", ["fdatasync", "fsync", "unlink"])
def test_kill_at_every_sync_and_at_the_commit(start: Path, tmp_path: Path,
                                               syscall: str) -> None:
    points, _after = sweep(start, tmp_path, syscall)
    assert points >= 1


@needs_strace
def test_a_full_disk_at_every_write_refuses_the_edit_cleanly(start: Path,
                                                             tmp_path: Path) -> None:
    refused = 0
    for n in range(1, 400):
        path = tmp_path / f"full-{n}.d4a"
        shutil.copyfile(start, path)
        code, lines = run_child(path, tmp_path / "home", f"pwrite64:error=ENOSPC:when={n}",
                                retry=True)
        assert code == 0, lines  # never a crash or a traceback
        if "refused disk-full" in lines:
            refused += 1
            assert lines.index("refused disk-full") < lines.index("done")  # then it worked
        else:
            assert "refused" not in " ".join(lines), lines  # only ever "disk full"
        assert reopen_and_judge(path) is True  # applied once: nothing left of the failure
        path.unlink()
        if "refused disk-full" not in lines:
            break  # past the edit's writes
    assert refused >= 20, f"only {refused} write points refused"


def test_the_disk_full_message_names_the_folder_and_no_content(start: Path,
                                                               tmp_path: Path) -> None:
    from d4a_desktop.storage import errors

    exc = errors.disk_full(tmp_path / "p.d4a")
    assert str(tmp_path) in exc.message and "\n" not in exc.message
    assert "INSERT" not in exc.message and faultwork.NOTE[:20] not in exc.message


@contextlib.contextmanager
def small_disk(size_kib: int) -> Iterator[Path]:
    """A real, tiny file system, where the machine lets this process mount one."""
    folder = Path(tempfile.mkdtemp(prefix="d4a-full-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs",
                              str(folder)], capture_output=True).returncode == 0
    if not mounted:
        folder.rmdir()
        pytest.skip("mounting a small tmpfs is not allowed here; the ENOSPC injection "
                    "test covers every write point instead")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)
        folder.rmdir()


def test_a_really_full_disk(start: Path, tmp_path: Path, home: Path) -> None:
    with small_disk(640) as disk:
        path = disk / "p.d4a"
        shutil.copyfile(start, path)
        session = open_project(path)
        filler = disk / "filler"
        with contextlib.suppress(OSError), filler.open("wb") as fh:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        with pytest.raises(ProjectFileError) as info:
            session.execute(faultwork.growing_edit())
        assert info.value.kind == "disk-full", info.value.kind
        assert str(disk) in info.value.message
        filler.unlink()  # the user frees space: the program is usable again
        session.execute(faultwork.growing_edit())
        assert edited(session.file) is True
        assert session.close().healthy
        assert reopen_and_judge(path) is True
