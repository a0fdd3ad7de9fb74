"""Recognising folders that a file-sync client manages, without Qt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from d4a_desktop.services.syncfolders import SyncFolder, find_sync_folder


@pytest.mark.parametrize(("marker", "is_dir", "client"), [
    (".dropbox", False, "Dropbox"),
    (".dropbox.cache", True, "Dropbox"),
    (".stfolder", True, "Syncthing"),
    (".nextcloudsync.log", False, "Nextcloud"),
    (".owncloudsync.log", False, "ownCloud"),
    (".sync_3f2a9c.db", False, "Nextcloud"),
    ("._sync_3f2a9c81b0.db", False, "Nextcloud"),
])
def test_markers_of_each_client(tmp_path: Path, marker: str, is_dir: bool, client: str) -> None:
    root = tmp_path / "synced"
    deep = root / "Projects" / "Mobility"
    deep.mkdir(parents=True)
    if is_dir:
        (root / marker).mkdir()
    else:
        (root / marker).write_bytes(b"")
    assert find_sync_folder(deep / "cycling.d4a") == SyncFolder(client, root)
    assert find_sync_folder(root / "cycling.d4a") == SyncFolder(client, root)


def test_no_marker_no_client(tmp_path: Path) -> None:
    folder = tmp_path / "plain" / "work"
    folder.mkdir(parents=True)
    (folder / ".sync_notes.txt").write_text("not a journal")  # looks alike, is not one
    (folder / "Dropbox").mkdir()  # a folder *named* Dropbox is not Dropbox's root
    assert find_sync_folder(folder / "p.d4a") is None


@pytest.mark.parametrize("name", ["OneDrive", "OneDrive - Gemeente Emmen", "onedrive"])
def test_onedrive_is_known_by_its_folder_name(tmp_path: Path, name: str) -> None:
    folder = tmp_path / name / "Documenten"
    folder.mkdir(parents=True)
    assert find_sync_folder(folder / "p.d4a") == SyncFolder("OneDrive", tmp_path / name)


def test_onedrive_lookalikes_are_not_onedrive(tmp_path: Path) -> None:
    for name in ("OneDrive backup", "MyOneDrive"):
        folder = tmp_path / name
        folder.mkdir()
        assert find_sync_folder(folder / "p.d4a") is None


def test_nearest_folder_wins(tmp_path: Path) -> None:
    (tmp_path / ".dropbox").write_bytes(b"")
    inner = tmp_path / "shared" / "team"
    inner.mkdir(parents=True)
    (inner / ".stfolder").mkdir()
    assert find_sync_folder(inner / "p.d4a") == SyncFolder("Syncthing", inner)
    assert find_sync_folder(tmp_path / "shared" / "p.d4a") == SyncFolder("Dropbox", tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists every folder")
def test_a_folder_that_cannot_be_listed_is_passed_over(tmp_path: Path) -> None:
    (tmp_path / ".stfolder").mkdir()
    closed = tmp_path / "closed"
    closed.mkdir()
    closed.chmod(0o300)  # may be entered, not listed
    try:
        assert find_sync_folder(closed / "p.d4a") == SyncFolder("Syncthing", tmp_path)
    finally:
        closed.chmod(0o700)


def test_a_folder_that_does_not_exist_is_passed_over(tmp_path: Path) -> None:
    (tmp_path / ".stfolder").mkdir()
    assert find_sync_folder(tmp_path / "gone" / "away" / "p.d4a") == \
        SyncFolder("Syncthing", tmp_path)
