"""The demo's monitoring: filled tools with versions, KPIs with a year of measurements,
comments and review marks, in every language, moved to the day the demo is written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from d4a_desktop import i18n
from d4a_desktop.core import rules
from d4a_desktop.core.content import ContentError
from d4a_desktop.core.kpi import Status
from d4a_desktop.services import assessments, demo, monitoring
from d4a_desktop.services.projects import ProjectSession

REFERENCE = dt.date(2026, 12, 4)


@pytest.fixture
def written(tmp_path: Path, home: Path) -> Any:
    sessions: list[ProjectSession] = []

    def write(language: str = "en") -> ProjectSession:
        i18n.set_language(language)
        session = demo.write_demo(tmp_path / f"demo-{language}.d4a", language=language)
        sessions.append(session)
        return session

    yield write
    for session in sessions:
        session.close()


def _texts(value: Any) -> list[dict[str, str]]:
    """Every mapping of texts per language in the monitoring file."""
    found = []
    if isinstance(value, dict):
        if set(value) & set(i18n.LANGUAGES) and set(value) <= set(i18n.LANGUAGES):
            found.append(value)
        else:
            for item in value.values():
                found += _texts(item)
    elif isinstance(value, list):
        for item in value:
            found += _texts(item)
    return found


def test_every_text_is_in_all_seven_languages() -> None:
    texts = _texts(demo.demo_monitoring())
    assert len(texts) > 40
    for text in texts:
        assert set(text) == set(i18n.LANGUAGES), text.get("en")
        assert len(set(text.values())) > 1 or len(text["en"]) < 12, text["en"]


@pytest.mark.parametrize("language", ["fr", "sv"])
def test_the_demo_shows_the_monitoring_side(written: Any, language: str) -> None:
    session = written(language)
    today = dt.date.today()
    rm = session.roadmap
    dpia = assessments.filled(session, "dpia-screening")
    outcome = rules.evaluate(rm.tool("dpia-screening"), dpia.answers, today=today)
    assert outcome is not None and outcome.code == rules.DPIA_NOT_REQUIRED
    assert outcome.reasons and dpia.status == "complete" and len(dpia.versions) == 1
    assert [f.tool for f in assessments.reviews_due(session, today,
                                                    within=dt.timedelta(0))] == [
        "dpia-screening"]
    canvas = assessments.filled(session, "ethics-canvas")
    assert len(canvas.answers) == 15
    english = demo.demo_monitoring()["tools"]["ethics-canvas"]["answers"]
    assert canvas.answers["know/limitations"] == english["know/limitations"][language]
    maturity = assessments.filled(session, "maturity-self-check")
    first, second = maturity.versions
    assert (second.get("saved_on") - first.get("saved_on")).days in range(360, 371)
    assert first.author == second.author == "Pieter Desmet"
    radar = rules.radar(rm.tool("maturity-self-check"), [
        ("1", assessments.version_answers(session, "maturity-self-check", first)),
        ("2", assessments.version_answers(session, "maturity-self-check", second))])
    assert all(a < b for a, b in zip(radar.series[0].values, radar.series[1].values,
                                     strict=True))
    kpis = monitoring.measured(session, today)
    assert 4 <= len(kpis) <= 6
    for kpi in kpis:
        dates = sorted(x.date for x in kpi.measurements)
        assert (dates[-1] - dates[0]).days >= 365 and dates[-1] <= today
    assert {k.status.status for k in kpis} >= {Status.ON_TRACK, Status.AT_RISK,
                                               Status.OFF_TRACK}
    comments = session.records("comments")
    assert len(comments) >= 5 and 0 < sum(bool(c.get("resolved")) for c in comments) \
        < len(comments)
    assert {c.get("about_kind") for c in comments} >= {"activity", "item", "assessment",
                                                      "kpis"}
    assert len({c.created_at.date() for c in comments}) == len(comments)  # over months
    review = assessments.last_review(session, "c3.a1")
    assert review is not None and review.get("reviewed_by") == "Els Vandenberghe"
    assert (today - review.get("date")).days < 8


def test_the_dates_move_by_whole_weeks_to_the_day_it_is_written(tmp_path: Path,
                                                                 home: Path) -> None:
    from d4a_desktop.services.projects import NewProject, create_project

    later = REFERENCE + dt.timedelta(weeks=10, days=3)
    session = create_project(tmp_path / "p.d4a", NewProject("Demo", "Kortrijk", "BE"))
    try:
        demo.write_demo_monitoring(session, "en", today=later)
        versions = assessments.filled(session, "maturity-self-check").versions
        assert versions[-1].get("saved_on") == dt.date(2026, 11, 19) + dt.timedelta(weeks=10)
        latest = max(x.get("date") for x in session.records("measurements"))
        assert latest == dt.date(2026, 11, 30) + dt.timedelta(weeks=10) and latest <= later
    finally:
        session.close()


def test_a_broken_monitoring_file_writes_no_demo(tmp_path: Path, home: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    data = demo.demo_monitoring()
    data["kpis"][0]["target"] = 10  # below the baseline although higher is better
    monkeypatch.setattr(demo, "demo_monitoring", lambda: data)
    with pytest.raises(ContentError) as raised:
        demo.write_demo(tmp_path / "demo.d4a", language="en")
    assert "kortrijk-monitoring.yaml" in str(raised.value)
    assert not (tmp_path / "demo.d4a").exists()


def test_an_unknown_question_is_a_content_error(tmp_path: Path, home: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from d4a_desktop.services.projects import NewProject, create_project

    data = demo.demo_monitoring()
    data["tools"]["dpia-screening"]["answers"] = {"criteria/no-such-question": True}
    monkeypatch.setattr(demo, "demo_monitoring", lambda: data)
    session = create_project(tmp_path / "p.d4a", NewProject("Demo", "Kortrijk", "BE"))
    try:
        with pytest.raises(ContentError):
            demo.write_demo_monitoring(session, "en")
        assert session.records("assessments") == [] and session.records("kpis") == []
    finally:
        session.close()
