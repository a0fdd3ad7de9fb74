"""What a project lead needs to see on Monday morning, computed from plain data.

Progress per component and dimension (the heat table), checklist items past their due
date, activities past their planned end, milestones of the coming 30 days, open risks
that score high, decisions of the last 30 days, and how many records each register has.
The GUI's dashboard page, ``d4a info --json`` and the printed report all use this.

The monitoring side adds the filled tools whose review is due (``reviews_due``) and
where the open comments are (``comment_places``); the KPIs' status is ``core.kpi``'s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from d4a_desktop.core.content import Roadmap
from d4a_desktop.core.progress import Tally
from d4a_desktop.core.project import ProjectState
from d4a_desktop.core.records import Record
from d4a_desktop.core.vocab import Dimension, Status

#: A risk counts as high from this score (likelihood × impact, on the 5 × 5 matrix).
HIGH_RISK = 15
#: Risk states that still need attention.
OPEN_RISK = ("", "open", "mitigating")
WINDOW = dt.timedelta(days=30)


@dataclass(frozen=True)
class Dashboard:
    """The dashboard's figures for one day, as ids and counts rather than texts: the GUI page, ``d4a
    info --json`` and the printed report each word and link them in their own way."""

    today: dt.date
    #: component id → dimension → tally of applicable items
    heat: dict[str, dict[Dimension, Tally]]
    overdue_items: tuple[str, ...]          # item ids, oldest due date first
    late_activities: tuple[str, ...]        # activity ids, oldest planned end first
    upcoming_milestones: tuple[str, ...]    # milestone record ids, soonest first
    open_high_risks: tuple[str, ...]        # risk record ids, highest score first
    recent_decisions: tuple[str, ...]       # decision record ids, newest first
    counts: dict[str, int]

    def as_json(self) -> dict[str, object]:
        """The ``dashboard`` object of ``d4a info --json``."""
        return {
            "overdue_items": list(self.overdue_items),
            "late_activities": list(self.late_activities),
            "upcoming_milestones": list(self.upcoming_milestones),
            "open_high_risks": list(self.open_high_risks),
            "recent_decisions": list(self.recent_decisions),
        }


def risk_score(record: Record) -> int:
    likelihood, impact = record.get("likelihood"), record.get("impact")
    return likelihood * impact if isinstance(likelihood, int) and isinstance(impact, int) else 0


def is_open_high_risk(record: Record) -> bool:
    return not record.deleted and record.get("status") in OPEN_RISK and \
        risk_score(record) >= HIGH_RISK


def compute(roadmap: Roadmap, state: ProjectState, records: Mapping[str, Sequence[Record]],
            today: dt.date) -> Dashboard:
    heat: dict[str, dict[Dimension, Tally]] = {}
    overdue: list[tuple[dt.date, str]] = []
    late: list[tuple[dt.date, str]] = []
    for comp in roadmap.components:
        row = {d: Tally() for d in Dimension}
        for act in comp.activities:
            act_state = state.activity(act.id)
            counts = act_state.status is not Status.NOT_APPLICABLE and \
                state.applies(act.condition)
            if counts and act_state.planned_end and act_state.planned_end < today and \
                    act_state.status is not Status.DONE:
                late.append((act_state.planned_end, act.id))
            for item in act.items:
                if not (counts and state.applies(item.condition)):
                    continue
                item_state = state.item(item.id)
                row[item.dimension] += Tally(1 if item_state.done else 0, 1)
                if item_state.due_date and item_state.due_date < today and not item_state.done:
                    overdue.append((item_state.due_date, item.id))
        heat[comp.id] = row
    milestones = sorted(
        (r.get("date"), r.id) for r in records.get("milestones", ())
        if not r.deleted and not r.get("done") and isinstance(r.get("date"), dt.date)
        and today <= r.get("date") <= today + WINDOW)
    risks = sorted((-risk_score(r), r.id) for r in records.get("risks", ())
                    if is_open_high_risk(r))
    decisions = sorted(((r.get("date"), r.id) for r in records.get("decisions", ())
                        if not r.deleted and isinstance(r.get("date"), dt.date)
                        and today - WINDOW <= r.get("date") <= today), reverse=True)
    tally = {kind: sum(1 for r in found if not r.deleted) for kind, found in records.items()}
    return Dashboard(today, heat, tuple(i for _d, i in sorted(overdue)),
                     tuple(a for _d, a in sorted(late)), tuple(m for _d, m in milestones),
                     tuple(r for _s, r in risks), tuple(d for _d, d in decisions), tally)


# --- the monitoring side --------------------------------------------------------------------

@dataclass(frozen=True)
class ReviewDue:
    """A filled tool whose next review has come, or comes within the window."""

    tool: str
    date: dt.date

    def overdue(self, today: dt.date) -> bool:
        """Past its date (a review due today is due, not yet overdue)."""
        return self.date < today


def reviews_due(next_reviews: Mapping[str, object], roadmap: Roadmap, today: dt.date,
                within: dt.timedelta = WINDOW) -> tuple[ReviewDue, ...]:
    """The tools (of ``roadmap``) whose next review is past or within ``within``, the
    most overdue first; a tool the roadmap no longer has is left out (it cannot be
    opened)."""
    order = {tool.id: n for n, tool in enumerate(roadmap.tools)}
    due = [ReviewDue(tool, day) for tool, day in next_reviews.items()
           if tool in order and isinstance(day, dt.date) and day <= today + within]
    return tuple(sorted(due, key=lambda r: (r.date, order[r.tool])))


@dataclass(frozen=True)
class CommentPlace:
    """Where open comments are: an activity, a checklist item, a filled tool
    (``assessment``) or a record (its kind, such as ``kpis``)."""

    about_kind: str
    about: str
    count: int
    #: False when what the comments are about is no longer there (a deleted record, a step
    #: a newer roadmap dropped): they are counted but cannot be opened.
    found: bool


def comment_places(counts: Mapping[tuple[str, str], int], roadmap: Roadmap,
                   records: Collection[tuple[str, str]]) -> tuple[CommentPlace, ...]:
    """Open comments by place, in the roadmap's order (activities with their items, then
    the tools), then the records, most comments first. ``records`` are the (kind, id) of
    the records that still exist."""
    steps = {a.id: n for n, a in enumerate(roadmap.activities())}
    tools = {t.id: n for n, t in enumerate(roadmap.tools)}

    def place(kind: str, about: str, count: int) -> tuple[tuple[object, ...], CommentPlace]:
        if kind == "activity" and about in steps:
            return (0, steps[about], ""), CommentPlace(kind, about, count, True)
        if kind == "item" and roadmap.has(about) and about.count(".") == 2:
            activity = about.rsplit(".", 1)[0]
            return (0, steps.get(activity, len(steps)), about), \
                CommentPlace(kind, about, count, True)
        if kind == "assessment" and about in tools:
            return (1, tools[about], ""), CommentPlace(kind, about, count, True)
        found = kind not in ("activity", "item", "assessment") and (kind, about) in records
        return (2 if found else 3, -count, kind, about), \
            CommentPlace(kind, about, count, found)

    placed = sorted((place(kind, about, count) for (kind, about), count in counts.items()
                     if count > 0), key=lambda p: p[0])
    return tuple(p for _key, p in placed)
