"""A project planned on one roadmap version opens on a newer one and loses nothing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from d4a_desktop import paths
from d4a_desktop.core.vocab import Status
from d4a_desktop.services import roadmap as roadmap_service
from d4a_desktop.services.projects import NewProject, create_project, open_project


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path) -> Iterator[Path]:
    """A private copy of the resources whose roadmap the test can change."""
    resources = tmp_path / "resources"
    shutil.copytree(paths.resources_dir(), resources)
    monkeypatch.setattr(paths, "resources_dir", lambda: resources)
    roadmap_service.reset_cache()
    yield resources / "roadmap"
    roadmap_service.reset_cache()


def _next_version(folder: Path) -> None:
    """Version 2099.1: c1.a1.i7 and c6.a3 retired, a new item c1.a1.i8 added."""
    top = yaml.safe_load((folder / "roadmap.yaml").read_text("utf-8"))
    top["version"] = "2099.1"
    (folder / "roadmap.yaml").write_text(yaml.safe_dump(top, allow_unicode=True), "utf-8")
    c1 = yaml.safe_load((folder / "c1.yaml").read_text("utf-8"))
    items = c1["activities"][0]["items"]
    assert items[-1]["id"] == "c1.a1.i7"
    items[-1] = {"id": "c1.a1.i8", "text": "Publish the workshop summary on the intranet.",
                 "dimension": "organisation", "role": "project-manager"}
    (folder / "c1.yaml").write_text(yaml.safe_dump(c1, allow_unicode=True), "utf-8")
    c6 = yaml.safe_load((folder / "c6.yaml").read_text("utf-8"))
    c6["activities"] = [a for a in c6["activities"] if a["id"] != "c6.a3"]
    (folder / "c6.yaml").write_text(yaml.safe_dump(c6, allow_unicode=True), "utf-8")
    cases = yaml.safe_load((folder / "cases.yaml").read_text("utf-8"))
    for case in cases["cases"]:
        case["activities"] = [a for a in case["activities"] if a != "c6.a3"]
    cases["cases"] = [c for c in cases["cases"] if c["activities"]]
    (folder / "cases.yaml").write_text(yaml.safe_dump(cases, allow_unicode=True), "utf-8")
    roadmap_service.reset_cache()


def test_newer_roadmap_keeps_answers_and_shows_retired(content: Path, tmp_path: Path) -> None:
    old_version = roadmap_service.english_roadmap().version
    path = tmp_path / "p.d4a"
    session = create_project(path, NewProject("Versions", "Brest", "FR"))
    assert session.version_report.changed is False
    f = session.file
    f.update_item("c1.a1.i1", {"done": True})
    f.update_item("c1.a1.i7", {"done": True, "owner": "Anne", "note": "Sent on 3 March"})
    f.update_activity("c6.a3", {"status": Status.NOT_APPLICABLE, "na_reason": "Region"})
    total_before = session.progress().overall.total
    session.close()

    _next_version(content)
    reopened = open_project(path)
    report = reopened.version_report
    assert report.changed and (report.planned, report.current) == (old_version, "2099.1")
    assert reopened.state().meta.roadmap_version == "2099.1"
    assert [i.item_id for i in report.retired_items] == ["c1.a1.i7"]
    assert report.retired_items[0].owner == "Anne"
    assert [a.activity_id for a in report.retired_activities] == ["c6.a3"]
    state = reopened.state()
    assert state.item("c1.a1.i7").note == "Sent on 3 March", "the retired answer is kept"
    assert state.item("c1.a1.i8").done is False, "the new item starts as not done"
    progress = reopened.progress()
    assert "c6.a3" not in progress.activities
    assert progress.activities["c1.a1"].done == 1, "the retired answer is not counted"
    c1a1 = roadmap_service.english_roadmap().activity("c1.a1")
    assert "c1.a1.i8" in [i.id for i in c1a1.items]
    assert progress.activities["c1.a1"].total == len(c1a1.items)
    # One item replaced by another, and the retired activity was already left out.
    assert progress.overall.total == total_before
    reopened.close()

    again = open_project(path)  # the second opening finds nothing new to report
    assert not again.version_report.changed
    assert [i.item_id for i in again.retired().retired_items] == ["c1.a1.i7"]
    again.close()
