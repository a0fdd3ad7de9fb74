"""Filled tools: answers as records with copy-proof ids, versions, reviews, comments."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from d4a_desktop.core import commands as c
from d4a_desktop.services import assessments as a
from d4a_desktop.services import merging
from d4a_desktop.services.projects import NewProject, ProjectSession, create_project, open_project
from d4a_desktop.storage import snapshot

DETAILS = NewProject(title="Tools", municipality="Brest", country="FR", language="fr")


@pytest.fixture
def session(tmp_path: Path, home: Path) -> ProjectSession:
    s = create_project(tmp_path / "p.d4a", DETAILS)
    yield s
    s.close()


def test_answers_save_as_you_type_and_undo(session: ProjectSession) -> None:
    first = a.set_answer(session, "dpia-screening", "processing/purpose", "Count cyclists")
    undo_first, _ch = session.execute(first)
    session.execute(a.set_answer(session, "dpia-screening", "processing/purpose",
                                 "Count cyclists and scooters"))
    state = a.filled(session, "dpia-screening")
    assert state.answers == {"processing/purpose": "Count cyclists and scooters"}
    assert state.status == "draft"
    assert a.set_answer(session, "dpia-screening", "processing/purpose",
                        "Count cyclists and scooters") is None  # nothing to save
    session.execute(undo_first)
    assert a.filled(session, "dpia-screening").record is None  # undone as one step


def test_versions_are_frozen_snapshots(session: ProjectSession) -> None:
    session.execute(a.set_answer(session, "maturity-self-check", "technology/data-platform", 2))
    session.execute(a.save_version(session, "maturity-self-check", "first",
                                   dt.date(2025, 11, 1)))
    session.execute(a.set_answer(session, "maturity-self-check", "technology/data-platform", 3))
    session.execute(a.save_version(session, "maturity-self-check", today=dt.date(2026, 11, 1)))
    versions = a.filled(session, "maturity-self-check").versions
    assert [(v.get("number"), v.get("answers")) for v in versions] == [
        (1, {"technology/data-platform": 2}), (2, {"technology/data-platform": 3})]
    with pytest.raises(ValueError):
        c.SetRecordFields("assessment_versions", versions[0].id, {"note": "rewrite"})


def test_two_copies_agree_on_answer_ids_and_merge_them(session: ProjectSession,
                                                       tmp_path: Path) -> None:
    session.close()
    other = tmp_path / "other.d4a"
    shutil.copyfile(session.path, other)
    mine, theirs = open_project(session.path, author="A"), open_project(other, author="B")
    mine.execute(a.set_answer(mine, "ethics-canvas", "know/data-sources", "Telraam"))
    theirs.execute(a.set_answer(theirs, "ethics-canvas", "explore/reason", "Safer routes"))
    plan = merging.preview(mine, snapshot.take(theirs.file))
    assert plan.conflicts == []
    mine.execute(merging.command(plan, {}))
    assert a.filled(mine, "ethics-canvas").answers == {"know/data-sources": "Telraam",
                                                        "explore/reason": "Safer routes"}
    mine.close()
    theirs.close()


def test_reviews_due_and_comments(session: ProjectSession) -> None:
    session.execute(a.set_details(session, "dpia-screening",
                                  {"next_review": dt.date(2026, 12, 10), "status": "complete"}))
    session.execute(a.set_details(session, "ethics-canvas",
                                  {"next_review": dt.date(2027, 6, 1)}))
    due = a.reviews_due(session, today=dt.date(2026, 12, 1))
    assert [f.tool for f in due] == ["dpia-screening"]
    session.execute(a.add_comment(session, "activity", "c2.a1", "Who books the room?", "Anna"))
    session.execute(a.add_comment(session, "item", "c2.a1.i1", "Done?", "Bo"))
    comment = a.comments_about(session, "item", "c2.a1.i1")[0]
    session.execute(c.SetRecordFields("comments", comment.id, {"resolved": True}))
    assert a.open_comments(session) == {("activity", "c2.a1"): 1}
    session.execute(a.mark_reviewed(session, "c2.a1", "Els", dt.date(2026, 12, 2)))
    assert a.last_review(session, "c2.a1").get("reviewed_by") == "Els"


def test_a_new_project_from_an_earlier_one_carries_only_what_was_chosen(
        session: ProjectSession, tmp_path: Path) -> None:
    import json
    import uuid

    from d4a_desktop.services.projects import create_from_existing

    member = str(uuid.uuid4())
    session.execute(c.CreateRecord("team", member, {"name": "Anna"}))
    session.execute(c.CreateRecord("responsibilities", str(uuid.uuid4()), {
        "activity": "c2.a1", "member": member, "role": "accountable"}))
    kpi = str(uuid.uuid4())
    session.execute(c.CreateRecord("kpis", kpi, {"name": "Cyclists a day", "baseline": 900}))
    session.execute(c.CreateRecord("measurements", str(uuid.uuid4()), {
        "kpi": kpi, "date": dt.date(2026, 5, 1), "value": 950}))
    session.execute(a.set_answer(session, "dpia-screening", "processing/purpose", "Counts"))
    session.execute(a.set_details(session, "dpia-screening", {"status": "complete"}))
    session.execute(a.set_details(session, "dpia-screening",
                                  {"next_review": dt.date(2026, 5, 1)}))
    session.execute(a.save_version(session, "dpia-screening"))
    session.execute(a.add_comment(session, "activity", "c2.a1", "Note", "Anna"))
    session.execute(c.SetItemFields("c1.a1.i1", {"done": True}))
    old_id = session.file.project_id
    new = create_from_existing(tmp_path / "next.d4a", session.path,
                               NewProject(title="Next", municipality="", country="FR"),
                               carry=["details", "team", "kpis", "tools"])
    try:
        assert new.file.project_id != old_id
        assert new.state().meta.municipality == "Brest"  # details carried where left empty
        team = new.records("team")
        assert [m.get("name") for m in team] == ["Anna"] and team[0].id != member
        raci = new.records("responsibilities")
        assert raci[0].get("member") == team[0].id  # the reference follows the new id
        assert [k.get("name") for k in new.records("kpis")] == ["Cyclists a day"]
        assert new.records("measurements") == [] and new.records("comments") == []
        tool = a.filled(new, "dpia-screening")
        assert tool.answers == {"processing/purpose": "Counts"}
        assert tool.status == "draft" and tool.versions == ()
        assert tool.next_review is None and a.reviews_due(new) == []
        assert new.state().item("c1.a1.i1").done is False  # the checklist was not chosen
        assert json.loads(new.file.origin())["id"] == old_id
    finally:
        new.close()


def test_info_reports_kpis_verdicts_reviews_and_comments(session: ProjectSession) -> None:
    import uuid

    kpi = str(uuid.uuid4())
    session.execute(c.CreateRecord("kpis", kpi, {
        "name": "Cyclists a day", "baseline": 1000, "baseline_date": dt.date(2026, 1, 1),
        "target": 2000, "target_date": dt.date(2027, 1, 1), "direction": "higher"}))
    for day, value in ((dt.date(2026, 4, 1), 1300), (dt.date(2026, 7, 1), 1400)):
        session.execute(c.CreateRecord("measurements", str(uuid.uuid4()),
                                       {"kpi": kpi, "date": day, "value": value}))
    session.execute(a.set_details(session, "dpia-screening",
                                  {"next_review": dt.date(2026, 7, 15)}))
    session.execute(a.add_comment(session, "activity", "c2.a1", "Room?", "Anna"))
    data = a.info_json(session, today=dt.date(2026, 7, 2))
    assert data["kpis"] == [{"id": kpi, "name": "Cyclists a day", "status": "at-risk",
                             "last_value": 1400, "target": 2000}]
    assert data["assessments"][0]["tool"] == "dpia-screening"
    assert data["assessments"][0]["verdict"] == "incomplete"
    assert data["reviews_due"] == ["dpia-screening"]
    assert data["open_comments"] == 1
