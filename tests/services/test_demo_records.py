"""The demo's registers and plan, and the register services behind the dashboard."""

from __future__ import annotations

import datetime as dt
import shutil
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import yaml

from d4a_desktop import i18n, paths
from d4a_desktop.core import kinds
from d4a_desktop.core.content import ContentError
from d4a_desktop.services import demo
from d4a_desktop.services import records as records_service
from d4a_desktop.services.demo import demo_records, shift_for, write_demo
from d4a_desktop.services.projects import ProjectSession

REFERENCE = dt.date(2027, 3, 1)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> ProjectSession:
    session = write_demo(tmp_path_factory.mktemp("demo") / "demo.d4a")
    yield session
    session.close()


def test_the_demo_has_a_lived_in_set_of_every_kind(written: ProjectSession) -> None:
    counts = records_service.counts(written)
    assert 6 <= counts["team"] <= 10
    assert 8 <= counts["decisions"] <= 15
    assert 20 <= counts["datasets"] <= 40
    assert 8 <= counts["risks"] <= 12
    assert counts["milestones"] >= 5 and counts["responsibilities"] >= 20
    for kind in kinds.KINDS:
        for record in written.records(kind.name):
            assert records_service.check(kind.name, dict(record.values)) == [], record
    team = {r.id for r in written.records("team")}
    assert {r.get("member") for r in written.records("responsibilities")} <= team
    accountable = [r.get("activity") for r in written.records("responsibilities")
                   if r.get("role") == "accountable"]
    assert len(accountable) == len(set(accountable))
    assert written.file.modified is False


def test_most_activities_are_planned(written: ProjectSession) -> None:
    state = written.state()
    planned = [a for a in state.activities.values() if a.planned_start and a.planned_end]
    assert len(planned) >= 20
    assert all(a.planned_start <= a.planned_end for a in planned)  # type: ignore[operator]


def test_the_dashboard_looks_alive_on_any_day(tmp_path: Path, home: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    original = demo.write_demo_records
    for today in (dt.date(2026, 12, 4), dt.date(2029, 7, 15), dt.date(2027, 3, 6)):
        monkeypatch.setattr(demo, "write_demo_records", partial(original, today=today))
        session = write_demo(tmp_path / f"{today}.d4a")
        try:
            board = records_service.dashboard(session, today=today)
        finally:
            session.close()
        assert board.overdue_items or board.late_activities
        assert board.late_activities
        assert board.upcoming_milestones and board.open_high_risks and board.recent_decisions


def test_dates_move_by_whole_weeks_to_today() -> None:
    assert shift_for(REFERENCE, REFERENCE) == dt.timedelta(0)
    shift = shift_for(REFERENCE, dt.date(2026, 12, 4))
    assert shift.days % 7 == 0
    moved = REFERENCE + shift
    assert moved.weekday() == REFERENCE.weekday()
    assert 0 <= (dt.date(2026, 12, 4) - moved).days < 7


def _translatable(node: Any, where: str = "") -> list[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        if node and set(node) <= set(i18n.LANGUAGES):
            return [(where, node)]
        return [found for k, v in node.items() for found in _translatable(v, f"{where}/{k}")]
    if isinstance(node, list):
        return [found for n, v in enumerate(node) for found in _translatable(v, f"{where}/{n}")]
    return []


def test_every_text_is_given_in_all_seven_languages() -> None:
    data = demo_records()
    texts = _translatable(data)
    assert len(texts) > 100
    for where, text in texts:
        assert set(text) == set(i18n.LANGUAGES), where
        assert all(isinstance(t, str) and t.strip() for t in text.values()), where


@pytest.mark.parametrize("language", ["da", "de", "fr"])
def test_the_demo_is_written_in_the_interface_language(language: str, tmp_path: Path,
                                                       home: Path) -> None:
    i18n.set_language(language)
    session = write_demo(tmp_path / "demo.d4a")
    try:
        titles = {r.get("title") for r in session.records("datasets")}
    finally:
        session.close()
    expected = demo_records()["datasets"][0]["title"][language]
    assert expected in titles


@pytest.mark.parametrize("damage", ["yaml", "field", "activity", "value", "member"])
def test_a_broken_records_file_writes_no_demo(damage: str, tmp_path: Path, home: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    resources = tmp_path / "resources"
    shutil.copytree(paths.resources_dir() / "demo", resources / "demo")
    source = resources / demo.RECORDS_SOURCE
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    if damage == "yaml":
        source.write_text("team: [unclosed\n", encoding="utf-8")
    else:
        if damage == "field":
            data["risks"][0]["colour"] = "red"
        elif damage == "activity":
            data["plans"]["c9.a9"] = [REFERENCE, REFERENCE]
        elif damage == "value":
            data["risks"][0]["likelihood"] = 9
        else:
            data["responsibilities"].append(["c1.a1", "nobody", "informed"])
        source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(paths, "resources_dir", lambda: resources)
    target = tmp_path / "demo.d4a"
    with pytest.raises(ContentError):
        write_demo(target)
    assert not target.exists()


# --- the register services -------------------------------------------------------------

def test_the_dashboard_reads_counts_not_the_large_registers(
        written: ProjectSession, monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    original = written.records
    monkeypatch.setattr(written, "records", lambda kind: read.append(kind) or original(kind))
    view = records_service.dashboard_view(written)
    assert "datasets" not in read and "team" not in read
    assert view.dashboard.counts["datasets"] == len(original("datasets"))
    assert set(view.records) >= set(view.dashboard.open_high_risks)


def test_problems_check_the_rules_across_records(written: ProjectSession) -> None:
    others = written.records("responsibilities")
    taken = next(r for r in others if r.get("role") == "accountable")
    member = next(r.id for r in written.records("team") if r.id != taken.get("member"))
    values = {"activity": taken.get("activity"), "member": member, "role": "accountable"}
    problems = records_service.problems("responsibilities", values, "", others)
    assert [p.field for p in problems] == ["role"]
    values["role"] = "informed"
    assert records_service.problems("responsibilities", values, "", others) == []
    # the record itself does not count against itself
    assert records_service.problems("responsibilities", dict(taken.values), taken.id,
                                    others) == []
    bad = records_service.problems("decisions", {"question": "Q", "activity": "c9.a1"}, "", [])
    assert [p.field for p in bad] == ["activity"]
