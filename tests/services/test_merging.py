"""Three-way merge of two copies edited apart, as on two laptops."""

from __future__ import annotations

import random
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from d4a_desktop.core import commands as c
from d4a_desktop.core import merge
from d4a_desktop.services import merging
from d4a_desktop.services.projects import ProjectSession, open_project
from d4a_desktop.storage import snapshot
from tests.storage import crashwork
from tests.storage.badfiles import make_project

TEAM = "5d7e0a4c-0000-4000-8000-000000000001"
RISK = "5d7e0a4c-0000-4000-8000-000000000002"


@pytest.fixture
def base(tmp_path: Path, home: Path) -> Path:
    path = make_project(tmp_path / "base.d4a")
    s = open_project(path, author="base")
    s.execute(c.CreateRecord("team", TEAM, {"name": "Els", "role": "project-manager"}))
    s.execute(c.CreateRecord("risks", RISK, {"description": "Sensors fail", "impact": 3}))
    s.close()
    return path


def two_copies(base: Path, tmp_path: Path) -> tuple[ProjectSession, ProjectSession]:
    """Mine and theirs: the same file, opened by two people on two machines."""
    theirs_path = tmp_path / "theirs.d4a"
    shutil.copyfile(base, theirs_path)
    return open_project(base, author="Anna"), open_project(theirs_path, author="Bo")


def merged(mine: ProjectSession, theirs: ProjectSession,
           prefer: merging.Prefer | None = "mine") -> merge.Plan:
    plan = merging.preview(mine, snapshot.take(theirs.file))
    decisions = merging.decide(plan, prefer)
    mine.execute(merging.command(plan, decisions))
    return plan


def test_changes_on_one_side_are_taken(base: Path, tmp_path: Path) -> None:
    mine, theirs = two_copies(base, tmp_path)
    theirs.execute(c.SetItemFields("c1.a1.i2", {"done": True, "owner": "Bo"}))
    theirs.execute(c.SetRecordFields("risks", RISK, {"impact": 5}))
    new = str(uuid.uuid4())
    theirs.execute(c.CreateRecord("decisions", new, {"question": "Go or no-go?"}))
    mine.execute(c.SetItemFields("c2.a1.i1", {"note": "mine"}))
    plan = merged(mine, theirs)
    assert plan.conflicts == []
    item = mine.state().item("c1.a1.i2")
    assert (item.done, item.owner, item.author) == (True, "Bo", "Bo")
    assert mine.state().item("c2.a1.i1").note == "mine"
    assert mine.file.get_record("risks", RISK).values["impact"] == 5
    assert mine.file.get_record("decisions", new).values["question"] == "Go or no-go?"
    # merging the same copy twice changes nothing
    again = merging.preview(mine, snapshot.take(theirs.file))
    assert again.empty
    # and theirs now takes mine without conflict, ending equal
    merged(theirs, mine)
    assert crashwork.snapshot(theirs.file) == crashwork.snapshot(mine.file)


def test_a_field_changed_on_both_sides_is_a_conflict(base: Path, tmp_path: Path) -> None:
    mine, theirs = two_copies(base, tmp_path)
    mine.execute(c.SetRecordFields("risks", RISK, {"impact": 4}))
    theirs.execute(c.SetRecordFields("risks", RISK, {"impact": 2}))
    mine.execute(c.SetItemFields("c1.a1.i1", {"owner": "Same"}))
    theirs.execute(c.SetItemFields("c1.a1.i1", {"owner": "Same"}))  # equal: no conflict
    plan = merging.preview(mine, snapshot.take(theirs.file))
    assert [(x.kind, x.field, x.mine.value, x.theirs.value) for x in plan.conflicts] == [
        ("risks", "impact", 4, 2)]
    conflict = plan.conflicts[0]
    assert (conflict.mine.author, conflict.theirs.author) == ("Anna", "Bo")
    with pytest.raises(ValueError):
        merging.command(plan, {})  # undecided conflicts are never merged
    mine.execute(merging.command(plan, {conflict.ident: 3}))  # the user's own value
    assert mine.file.get_record("risks", RISK).values["impact"] == 3
    merged(theirs, mine)  # the decision travels back as a change of mine
    assert theirs.file.get_record("risks", RISK).values["impact"] == 3


def test_a_deletion_against_an_edit_is_a_conflict(base: Path, tmp_path: Path) -> None:
    mine, theirs = two_copies(base, tmp_path)
    mine.execute(c.DeleteRecord("team", TEAM))
    theirs.execute(c.SetRecordFields("team", TEAM, {"organisation": "Stad Kortrijk"}))
    plan = merging.preview(mine, snapshot.take(theirs.file))
    assert [(x.kind, x.field, x.mine.value) for x in plan.conflicts] == [
        ("team", merge.DELETED, True)]
    assert plan.takes == []  # the edit waits for the decision on the record
    mine.execute(merging.command(plan, {plan.conflicts[0].ident: False}))  # keep it
    record = mine.file.get_record("team", TEAM)
    assert record.deleted is False


def test_a_merge_is_one_undo_step(base: Path, tmp_path: Path) -> None:
    mine, theirs = two_copies(base, tmp_path)
    theirs.execute(c.SetItemFields("c3.a1.i1", {"done": True}))
    theirs.execute(c.CreateRecord("milestones", str(uuid.uuid4()),
                                  {"name": "Launch", "date": __import__("datetime").date(
                                      2027, 4, 1)}))
    before = snapshot.take(mine.file)
    plan = merging.preview(mine, snapshot.take(theirs.file))
    inverse, _change = mine.execute(merging.command(plan, {}))
    assert mine.records("milestones")
    redo, _change = mine.execute(inverse)
    assert snapshot.take(mine.file) == before  # values, records and log as they were
    mine.execute(redo)
    assert mine.state().item("c3.a1.i1").done is True


def test_another_project_is_never_merged(base: Path, tmp_path: Path) -> None:
    mine = open_project(base)
    other = open_project(make_project(tmp_path / "x.d4a", author="x"))
    data = snapshot.take(other.file)
    data["project"]["id"] = str(uuid.uuid4())
    with pytest.raises(merging.DifferentProject):
        merging.preview(mine, data)


# --- properties ------------------------------------------------------------------------------

edits_strategy = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=3)


def _apply_seeded(session: ProjectSession, seed: int, count: int, tag: str) -> None:
    """Random edits that only this side makes (records it creates itself, its own items)."""
    rnd = random.Random(seed)
    for command in crashwork.edits(seed, count):
        if isinstance(command, c.SetItemFields | c.SetActivityFields | c.SetProjectFields |
                      c.SetConditions):
            continue  # shared roadmap answers: the independence test below picks its own
        if isinstance(command, c.SetRecordFields | c.DeleteRecord | c.RestoreRecord):
            continue  # they name records of the generator's own run
        if isinstance(command, c.CreateRecord | c.Batch):
            session.execute(command)
    item = crashwork.ITEMS[rnd.randrange(len(crashwork.ITEMS))]
    session.execute(c.SetItemFields(item, {"note": f"{tag} {seed}"}))


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mine_seed=st.integers(0, 10**6), their_seed=st.integers(0, 10**6))
def test_independent_changes_merge_the_same_in_either_order(
        base: Path, tmp_path_factory: pytest.TempPathFactory, mine_seed: int,
        their_seed: int) -> None:
    folder = tmp_path_factory.mktemp("prop")
    a_path, b_path = folder / "a.d4a", folder / "b.d4a"
    shutil.copyfile(base, a_path)
    shutil.copyfile(base, b_path)
    a, b = open_project(a_path, author="A"), open_project(b_path, author="B")
    try:
        _apply_seeded(a, mine_seed, 6, "a")
        _apply_seeded(b, their_seed + 1, 6, "b")
        a_snap, b_snap = snapshot.take(a.file), snapshot.take(b.file)
        plan_ab = merge.plan(a_snap, b_snap)
        plan_ba = merge.plan(b_snap, a_snap)
        decisions_ab = {x.ident: x.mine.value for x in plan_ab.conflicts}
        decisions_ba = {x.ident: x.theirs.value for x in plan_ba.conflicts}
        a.execute(merging.command(plan_ab, decisions_ab))
        b.execute(merging.command(plan_ba, decisions_ba))
        assert crashwork.snapshot(a.file) == crashwork.snapshot(b.file)
        # merge is idempotent
        assert merge.plan(snapshot.take(a.file), b_snap).takes == []
    finally:
        a.close()
        b.close()


def _plain(data: Any) -> Any:
    return data


def test_records_only_they_have_are_named_by_their_title(base: Path, tmp_path: Path) -> None:
    """A record that arrives is named as the register names it, from the package's JSON
    values: a measurement by its date, not by its id."""
    import datetime as dt

    mine, theirs = two_copies(base, tmp_path)
    kpi, measurement = str(uuid.uuid4()), str(uuid.uuid4())
    theirs.execute(c.CreateRecord("kpis", kpi, {"name": "Cyclists per day"}))
    theirs.execute(c.CreateRecord("measurements", measurement, {
        "kpi": kpi, "date": dt.date(2026, 5, 4), "value": 1200}))
    snap = snapshot.take(theirs.file)
    labels = merging.Labels(mine, snap)
    shown = labels.show("measurements", measurement, "", "value")
    from d4a_desktop import i18n

    assert i18n.format_date(dt.date(2026, 5, 4)) in shown.what and measurement not in shown.what
    assert "Cyclists per day" in labels.show("kpis", kpi, "", "name").what
    mine.close()
    theirs.close()


def test_a_responsibility_is_named_by_its_activity(base: Path, tmp_path: Path) -> None:
    """A responsibility (or an activity's review) names the activity, not only its id."""
    import datetime as dt

    mine, theirs = two_copies(base, tmp_path)
    record = str(uuid.uuid4())
    theirs.execute(c.CreateRecord("reviews", record, {
        "activity": "c1.a1", "reviewed_by": "Sofie", "date": dt.date(2026, 5, 4)}))
    labels = merging.Labels(mine, snapshot.take(theirs.file))
    what = labels.show("reviews", record, "", "activity").what
    assert "c1.a1 " + mine.roadmap.activity("c1.a1").title in what
    mine.close()
    theirs.close()
