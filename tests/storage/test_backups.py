"""Backups: checked before they count, thinned by age, kept per file, listed, restored."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from d4a_desktop.storage import ProjectFile, ProjectFileError, backups
from d4a_desktop.storage import projectfile as pf
from tests.storage.badfiles import META, make_project

NOW = dt.datetime(2026, 12, 4, 12, 0, 0)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project.d4a")


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.d4a"))


def test_a_backup_is_a_complete_checked_copy(project: Path, tmp_path: Path) -> None:
    root = tmp_path / "backups"
    with ProjectFile.open(project, author="A") as f:
        f.update_item("c1.a1.i5", {"owner": "Lotte"})
        taken = backups.take(f, root, now=NOW)
    assert taken.parent == backups.folder_for(root, META.id, project)
    assert taken.name == "20261204-120000-000000.d4a"
    with ProjectFile.open(taken) as b:
        assert b.get_item("c1.a1.i5").owner == "Lotte"
    assert sorted(p.name for p in taken.parent.iterdir()) == [taken.name, "source.json"]


def test_two_files_of_one_project_keep_their_own_backups(project: Path, tmp_path: Path) -> None:
    """A partner's copy (same project id, another file) never pushes out our backups."""
    copy = tmp_path / "usb" / "project.d4a"
    copy.parent.mkdir()
    shutil.copyfile(project, copy)
    root = tmp_path / "backups"
    with ProjectFile.open(project) as f:
        mine = backups.take(f, root, now=NOW)
    with ProjectFile.open(copy) as g:
        for n in range(8):
            backups.take(g, root, now=NOW + dt.timedelta(minutes=n + 1))
    assert mine.exists()
    assert mine.parent != backups.folder_for(root, META.id, copy)
    listed = backups.list_backups(root, META.id)
    assert len(listed) == 1 + 5  # ours, and the five newest of the copy
    assert {b.source for b in listed} == {str(project), str(copy)}
    assert listed[0].taken > listed[-1].taken  # newest first


def test_thinning_keeps_recent_daily_and_weekly_copies(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    stamps = [NOW - dt.timedelta(minutes=m) for m in range(0, 60, 5)]       # 12 this hour
    stamps += [NOW - dt.timedelta(days=d, hours=h) for d in range(1, 7) for h in (1, 2)]
    stamps += [NOW - dt.timedelta(weeks=w, days=1) for w in range(1, 5)]      # weekly
    stamps += [NOW - dt.timedelta(days=200)]                                  # far too old
    for stamp in stamps:
        (folder / f"{stamp.strftime('%Y%m%d-%H%M%S-%f')}.d4a").write_bytes(b"x")
    removed = backups.thin(folder, NOW)
    kept = _names(folder)
    newest = sorted((f"{s.strftime('%Y%m%d-%H%M%S-%f')}.d4a" for s in stamps), reverse=True)
    assert newest[:5] == sorted(kept, reverse=True)[:5]            # the five newest
    days = {name[:8] for name in kept}
    for d in range(1, 7):                                          # one a day for a week
        assert (NOW - dt.timedelta(days=d, hours=1)).strftime("%Y%m%d") in days
    for w in range(1, 5):                                          # one a week for a month
        week = (NOW - dt.timedelta(weeks=w, days=1)).isocalendar()[:2]
        assert any(dt.datetime.strptime(n[:8], "%Y%m%d").isocalendar()[:2] == week
                   for n in kept)
    assert (NOW - dt.timedelta(days=200)).strftime("%Y%m%d") not in days
    assert len(kept) < len(stamps) and len(removed) == len(stamps) - len(kept)
    # the second copy of each older day went
    assert (NOW - dt.timedelta(days=3, hours=2)).strftime("%Y%m%d-%H%M%S-%f") + ".d4a" \
        not in kept


def test_a_copy_that_fails_its_check_never_replaces_older_backups(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "backups"
    with ProjectFile.open(project) as f:
        first = backups.take(f, root, now=NOW)
        monkeypatch.setattr(pf, "_healthy", lambda conn: False)
        with pytest.raises(ProjectFileError):
            backups.take(f, root, now=NOW + dt.timedelta(hours=1))
        monkeypatch.undo()
    assert _names(first.parent) == [first.name]
    assert not [p for p in first.parent.iterdir() if p.name.startswith(".backup-")]


def test_a_backup_that_cannot_be_written_says_so(project: Path, tmp_path: Path) -> None:
    root = tmp_path / "backups"
    root.write_text("a file where the folder should be")
    with ProjectFile.open(project) as f, pytest.raises(ProjectFileError) as info:
        backups.take(f, root)
    assert "\n" not in info.value.message


def test_temporaries_of_a_killed_backup_are_cleaned(project: Path, tmp_path: Path) -> None:
    root = tmp_path / "backups"
    folder = backups.folder_for(root, META.id, project)
    folder.mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    pid = int(dead.stdout)  # a process that has ended
    for name in (f".backup-{pid}-x1.d4a", f".backup-{pid}-x1.d4a-journal"):
        (folder / name).write_bytes(b"half")
    alive = folder / f".backup-{os.getppid()}-y.d4a"  # a running process: left alone
    alive.write_bytes(b"busy")
    with ProjectFile.open(project) as f:
        backups.take(f, root, now=NOW)
    left = sorted(p.name for p in folder.iterdir() if p.name.startswith("."))
    assert left == [alive.name]


def test_restore_makes_a_new_file_and_never_overwrites(project: Path, tmp_path: Path) -> None:
    root = tmp_path / "backups"
    with ProjectFile.open(project) as f:
        f.update_item("c2.a1.i1", {"note": "before the accident"})
        taken = backups.take(f, root, now=NOW)
        f.update_item("c2.a1.i1", {"note": "after"})
    target = tmp_path / "restored.d4a"
    assert backups.restore_copy(taken, target) == target
    with ProjectFile.open(target) as r:
        assert r.get_item("c2.a1.i1").note == "before the accident"
    before = target.read_bytes()
    with pytest.raises(ProjectFileError) as info:
        backups.restore_copy(taken, target)
    assert "already exists" in info.value.message
    assert target.read_bytes() == before
    with pytest.raises(ProjectFileError):
        backups.restore_copy(taken, tmp_path / "missing" / "x.d4a")
