"""A project file deleted, renamed or replaced while open; paths that are not files.

An edit to a file that is no longer where it was opened would be acknowledged and land
nowhere (deleted) or in a file of another name (renamed, with the journal left under the
old name). The identity of the file is checked before each write; the edit is refused
with a clear message and the open project can still be saved as a copy.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from d4a_desktop.core.commands import BadText, SetItemFields
from d4a_desktop.services.projects import open_project
from d4a_desktop.storage import ProjectFile, ProjectFileError
from tests.storage.badfiles import make_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "p.d4a")


@pytest.mark.parametrize("how", ["deleted", "renamed", "replaced"])
def test_an_edit_after_the_file_went_away_is_refused_and_a_copy_can_be_saved(
        how: str, project: Path, tmp_path: Path, home: Path) -> None:
    session = open_project(project)
    session.execute(SetItemFields("c2.a1.i1", {"owner": "before"}))
    if how == "deleted":
        project.unlink()
    elif how == "renamed":
        project.rename(tmp_path / "moved.d4a")
    else:
        shutil.copyfile(project, tmp_path / "other.d4a")
        os.replace(tmp_path / "other.d4a", project)
    with pytest.raises(ProjectFileError) as info:
        session.execute(SetItemFields("c2.a1.i1", {"owner": "after"}))
    assert info.value.kind == "vanished"
    assert str(project) in info.value.message and "\n" not in info.value.message
    copy = session.save_copy(tmp_path / "rescued.d4a")
    session.close()
    with ProjectFile.open(copy) as f:
        assert f.get_item("c2.a1.i1").owner == "before"
    leftovers = [p.name for p in tmp_path.iterdir() if "journal" in p.name]
    assert leftovers == []


def test_a_new_project_never_replays_a_stale_journal(project: Path, tmp_path: Path) -> None:
    """A journal left under a name (renamed while open, then killed) must not be replayed
    into a new project created under that name."""
    stale = project.with_name("p.d4a-journal")
    stale.write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + os.urandom(4000))
    project.unlink()
    from tests.storage.badfiles import META

    with ProjectFile.create(project, META) as f:
        assert f.integrity_check() == []
    assert not stale.exists()


def test_a_pipe_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.d4a"
    os.mkfifo(fifo)
    for read_only in (False, True):
        with pytest.raises(ProjectFileError) as info:
            ProjectFile.open(fifo, read_only=read_only)  # would block reading a FIFO
        assert info.value.kind == "not-a-file"


def test_a_device_is_refused() -> None:
    with pytest.raises(ProjectFileError) as info:
        ProjectFile.open("/dev/zero", read_only=True)
    assert info.value.kind == "not-a-file"


def test_text_with_a_lone_surrogate_gives_a_message(project: Path) -> None:
    with pytest.raises(BadText) as info:
        SetItemFields("c1.a1.i1", {"note": "broken \ud800 paste"})
    assert "cannot be stored" in str(info.value)
