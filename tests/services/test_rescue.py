"""Copies that keep work when a project file cannot take it; damaged files set aside."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from d4a_desktop.core.commands import SetItemFields
from d4a_desktop.services import rescue
from d4a_desktop.services.projects import NewProject, create_project, open_project
from d4a_desktop.storage import ProjectFileError, lock
from tests.conftest import sha256

DETAILS = NewProject("Cycling counts", "Kortrijk", "BE")


def _project(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    session = create_project(path, DETAILS)
    session.execute(SetItemFields("c1.a1.i1", {"done": True, "note": "Counted at 3 sites"}))
    session.close()
    return path


def test_copy_of_a_read_only_project_opens_for_work(tmp_path: Path, home: Path) -> None:
    original = _project(tmp_path / "ro" / "cycling.d4a")
    original.chmod(0o444)
    before = sha256(original)
    session = open_project(original, allow_read_only=True)
    try:
        assert session.read_only
        written = rescue.save_copy(session, tmp_path / "mine")  # the extension is added
    finally:
        session.close()
    assert written == tmp_path / "mine.d4a"
    copy = open_project(written)
    try:
        assert not copy.read_only
        assert copy.state().item("c1.a1.i1").note == "Counted at 3 sites"
        copy.execute(SetItemFields("c1.a1.i2", {"done": True}))
    finally:
        copy.close()
    assert sha256(original) == before


def test_copy_of_a_project_whose_file_vanished(tmp_path: Path, home: Path) -> None:
    path = _project(tmp_path / "p.d4a")
    session = open_project(path)
    try:
        session.execute(SetItemFields("c2.a1.i1", {"owner": "Mette"}))
        path.unlink()
        with pytest.raises(ProjectFileError) as caught:
            session.execute(SetItemFields("c2.a1.i2", {"done": True}))
        assert caught.value.kind == "vanished"
        copy_path = rescue.save_copy(session, tmp_path / "rescued.d4a")
    finally:
        session.close()
    copy = open_project(copy_path)
    try:
        state = copy.state()
        assert state.item("c2.a1.i1").owner == "Mette"
        assert state.item("c1.a1.i1").done
        assert not state.item("c2.a1.i2").done  # refused, so not in the copy either
    finally:
        copy.close()


def test_copy_never_replaces_the_open_file_or_a_held_one(tmp_path: Path, home: Path) -> None:
    path = _project(tmp_path / "p.d4a")
    other = _project(tmp_path / "other.d4a")
    session = open_project(path)
    held = open_project(other)
    try:
        with pytest.raises(ProjectFileError) as caught:
            rescue.save_copy(session, path)
        assert caught.value.kind == "exists"
        before = sha256(other)
        with pytest.raises(ProjectFileError) as caught:
            rescue.save_copy(session, other)
        assert caught.value.kind == "locked"
        assert sha256(other) == before
        with pytest.raises(ProjectFileError) as caught:
            rescue.save_copy(session, tmp_path / "no such folder" / "c.d4a")
        assert caught.value.kind == "missing"
    finally:
        held.close()
        session.close()


def test_copy_respects_a_lock_of_another_computer(tmp_path: Path, home: Path) -> None:
    path = _project(tmp_path / "p.d4a")
    target = _project(tmp_path / "target.d4a")
    lock.lock_path(target).write_text(json.dumps(
        {"host": "laptop-12", "user": "anna", "pid": 4242, "started": "1", "since": ""}))
    session = open_project(path)
    try:
        with pytest.raises(ProjectFileError) as caught:
            rescue.save_copy(session, target)
        assert caught.value.kind == "locked-elsewhere"
        assert "anna@laptop-12" in caught.value.message
    finally:
        session.close()


def test_copy_replaces_a_file_nobody_holds(tmp_path: Path, home: Path) -> None:
    path = _project(tmp_path / "p.d4a")
    target = tmp_path / "old copy.d4a"
    target.write_text("an old file the user chose to replace")
    session = open_project(path)
    try:
        rescue.save_copy(session, target)
    finally:
        session.close()
    copy = open_project(target)
    try:
        assert copy.state().item("c1.a1.i1").done
    finally:
        copy.close()


def test_set_aside_keeps_the_file_and_its_journal(tmp_path: Path) -> None:
    path = tmp_path / "Kortrijk cycling demo.d4a"
    path.write_bytes(b"damaged")
    journal = tmp_path / "Kortrijk cycling demo.d4a-journal"
    journal.write_bytes(b"journal")
    day = dt.date(2026, 12, 4)
    expected = tmp_path / "Kortrijk cycling demo (damaged 2026-12-04).d4a"
    assert rescue.aside_path(path, "damaged", day) == expected
    kept = rescue.set_aside(path, "damaged", day)
    assert kept == expected
    assert kept.read_bytes() == b"damaged"
    assert (tmp_path / (expected.name + "-journal")).read_bytes() == b"journal"
    assert not path.exists() and not journal.exists()
    path.write_bytes(b"damaged again")
    second = rescue.set_aside(path, "damaged", day)
    assert second.name == "Kortrijk cycling demo (damaged 2026-12-04 2).d4a"
    assert expected.read_bytes() == b"damaged"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes any folder")
def test_set_aside_in_a_folder_that_cannot_be_written(tmp_path: Path) -> None:
    path = tmp_path / "demo.d4a"
    path.write_bytes(b"x")
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(ProjectFileError):
            rescue.set_aside(path, "damaged")
    finally:
        tmp_path.chmod(0o700)
    assert path.read_bytes() == b"x"


def test_names_are_safe_on_every_system(tmp_path: Path) -> None:
    assert rescue.safe_name('backup 2026-12-04 14:30 "a/b"') == "backup 2026-12-04 14-30 -a-b"
    assert rescue.safe_name("...") == "project"
    assert rescue.named_copy(tmp_path / "p.d4a", "copy") == tmp_path / "p (copy).d4a"
    assert rescue.named_copy(tmp_path / "p.d4a", "copy", tmp_path / "x") == \
        tmp_path / "x" / "p (copy).d4a"


def test_writable_folder_falls_back(tmp_path: Path) -> None:
    assert rescue.writable_folder(tmp_path / "missing", tmp_path) == tmp_path
    assert rescue.writable_folder(tmp_path / "missing") == Path.home()
