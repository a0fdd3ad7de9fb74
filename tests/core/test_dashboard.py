"""The monitoring side of the dashboard: reviews that are due and where open comments are,
on the bundled roadmap."""

from __future__ import annotations

import datetime as dt

import pytest

from d4a_desktop import paths
from d4a_desktop.core.content import Roadmap, load_roadmap
from d4a_desktop.core.dashboard import CommentPlace, ReviewDue, comment_places, reviews_due

TODAY = dt.date(2027, 3, 10)


@pytest.fixture(scope="module")
def roadmap() -> Roadmap:
    return load_roadmap(paths.resources_dir() / "roadmap")


def test_reviews_due_are_past_or_within_thirty_days_most_overdue_first(
        roadmap: Roadmap) -> None:
    dates: dict[str, object] = {
        "dpia-screening": TODAY + dt.timedelta(days=30),      # the last day of the window
        "maturity-self-check": TODAY - dt.timedelta(days=90),
        "ethics-canvas": TODAY,
        "technology-scorecard": TODAY + dt.timedelta(days=31),  # not yet
        "rollout-readiness": None,                              # no review planned
        "ai-impact-screening": "2027-01-01",                    # not a date: ignored
        "a-tool-a-newer-roadmap-dropped": TODAY - dt.timedelta(days=5),
    }
    due = reviews_due(dates, roadmap, TODAY)
    assert [r.tool for r in due] == ["maturity-self-check", "ethics-canvas",
                                     "dpia-screening"]
    assert [r.overdue(TODAY) for r in due] == [True, False, False]
    assert reviews_due(dates, roadmap, TODAY, within=dt.timedelta(0)) == (
        ReviewDue("maturity-self-check", TODAY - dt.timedelta(days=90)),
        ReviewDue("ethics-canvas", TODAY))


def test_reviews_due_on_one_day_follow_the_roadmap(roadmap: Roadmap) -> None:
    order = [t.id for t in roadmap.tools if t.kind != "register"]
    due = reviews_due({tool: TODAY for tool in reversed(order)}, roadmap, TODAY)
    assert [r.tool for r in due] == order


def test_comment_places_in_roadmap_order_then_records(roadmap: Roadmap) -> None:
    counts = {
        ("kpis", "k1"): 1,
        ("risks", "r1"): 3,
        ("assessment", "dpia-screening"): 2,
        ("item", "c3.a1.i6"): 1,
        ("activity", "c3.a1"): 1,
        ("activity", "c1.a2"): 4,
        ("activity", "c9.a9"): 2,          # a step a newer roadmap dropped
        ("assessment", "no-such-tool"): 1,
        ("kpis", "deleted"): 1,            # its KPI was deleted
        ("risks", "r0"): 0,                # every comment resolved: not a place
    }
    places = comment_places(counts, roadmap, {("kpis", "k1"), ("risks", "r1")})
    assert [(p.about_kind, p.about, p.found) for p in places] == [
        ("activity", "c1.a2", True), ("activity", "c3.a1", True),
        ("item", "c3.a1.i6", True), ("assessment", "dpia-screening", True),
        ("risks", "r1", True), ("kpis", "k1", True),
        ("activity", "c9.a9", False), ("assessment", "no-such-tool", False),
        ("kpis", "deleted", False)]
    assert sum(p.count for p in places) == sum(counts.values())
    assert CommentPlace("risks", "r1", 3, True) in places
