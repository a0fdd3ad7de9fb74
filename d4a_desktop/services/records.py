"""The project's registers: the calls behind their pages, the dashboard and ``d4a records``.

Edits are core commands (``CreateRecord``, ``SetRecordFields``, ``DeleteRecord`` …) that
the caller applies through ``ProjectSession.execute`` so they can be undone; here they are
built and checked against the roadmap (activity ids), which the core commands cannot see.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from d4a_desktop.core import dashboard as dashboard_mod
from d4a_desktop.core import kinds
from d4a_desktop.core import progress as progress_mod
from d4a_desktop.core import records as rec
from d4a_desktop.core.commands import CreateRecord, InvalidRecord, SetRecordFields
from d4a_desktop.core.project import ProjectState
from d4a_desktop.core.records import Record
from d4a_desktop.services import assessments, monitoring
from d4a_desktop.services.monitoring import Measured
from d4a_desktop.services.projects import ProjectSession
from d4a_desktop.services.roadmap import english_roadmap


def activity_ids() -> tuple[str, ...]:
    return tuple(a.id for a in english_roadmap().activities())


def check(kind: str, values: Mapping[str, Any], *, partial: bool = False) -> list[rec.Problem]:
    """Every problem with ``values``, activity ids checked against the roadmap."""
    return rec.validate(kinds.kind(kind), values, partial=partial, activity_ids=activity_ids())


def new_record(kind: str, values: Mapping[str, Any]) -> CreateRecord:
    """A command that adds a record with a new id; raises InvalidRecord."""
    problems = check(kind, values)
    if problems:
        raise InvalidRecord(problems)
    return CreateRecord(kind, str(uuid.uuid4()), dict(values))


def edit_record(record: Record, changes: Mapping[str, Any]) -> SetRecordFields | None:
    """A command that changes what differs (None when nothing does); raises InvalidRecord."""
    diff = {k: v for k, v in changes.items() if record.values.get(k) != v}
    if not diff:
        return None
    problems = check(record.kind, diff, partial=True)
    if problems:
        raise InvalidRecord(problems)
    return SetRecordFields(record.kind, record.id, diff,
                           rec.title_of(kinds.kind(record.kind), record))


def all_records(session: ProjectSession) -> dict[str, list[Record]]:
    return {k.name: session.records(k.name) for k in kinds.KINDS}


#: The kinds whose records the dashboard lists; the others it only counts.
DASHBOARD_KINDS = ("milestones", "risks", "decisions")


@dataclass(frozen=True)
class DashboardView:
    """Everything the dashboard page shows, read in one go."""

    dashboard: dashboard_mod.Dashboard
    state: ProjectState
    progress: progress_mod.Progress
    #: The milestones, risks and decisions the dashboard names, by id; also the records
    #: that open comments are about.
    records: dict[str, Record]
    #: Every KPI with its measurements and status, for the sparklines.
    kpis: tuple[Measured, ...] = ()
    #: Filled tools whose review is past or within 30 days, the most overdue first.
    reviews_due: tuple[dashboard_mod.ReviewDue, ...] = ()
    #: Where the open comments are.
    comments: tuple[dashboard_mod.CommentPlace, ...] = ()

    @property
    def open_comments(self) -> int:
        return sum(place.count for place in self.comments)


def dashboard_view(session: ProjectSession, today: dt.date | None = None) -> DashboardView:
    """The dashboard without reading the large registers: the data inventory and the
    others are counted in SQL, so a project with thousands of datasets opens as fast as
    a small one."""
    today = today or dt.date.today()
    state = session.state()
    listed = {name: session.records(name) for name in DASHBOARD_KINDS}
    board = dashboard_mod.compute(session.roadmap, state, listed, today)
    board = replace(board, counts=counts(session))
    found = {r.id: r for records in listed.values() for r in records}
    reviews = dashboard_mod.reviews_due(
        {str(r.get("tool")): r.get("next_review") for r in session.records("assessments")},
        session.roadmap, today)
    open_counts = assessments.open_comments(session)
    live = set()
    for kind, about in open_counts:
        if kind in kinds.names():
            record = session.file.get_record(kind, about)
            if record is not None and not record.deleted:
                live.add((kind, about))
                found[about] = record
    return DashboardView(board, state, session.progress(), found,
                         tuple(monitoring.measured(session, today)), reviews,
                         dashboard_mod.comment_places(open_counts, session.roadmap, live))


def dashboard(session: ProjectSession, today: dt.date | None = None) -> dashboard_mod.Dashboard:
    return dashboard_view(session, today).dashboard


def counts(session: ProjectSession) -> dict[str, int]:
    """How many records each register holds (deleted ones left out)."""
    return session.file.counts()


def get(session: ProjectSession, kind: str, record_id: str) -> Record | None:
    """One record as it is now (a deleted one too: the caller checks ``deleted``)."""
    return session.file.get_record(kind, record_id)


def problems(kind: str, values: Mapping[str, Any], record_id: str,
             others: list[Record]) -> list[rec.Problem]:
    """What a form must show before a record can be stored: each field checked against
    its kind and the roadmap, then the rules across records (one accountable person per
    activity) against ``others``, the kind's current records."""
    found = check(kind, values)
    k = kinds.kind(kind)
    if k.rules and not found:
        found += rec.check_rules(k, record_id, {**k.defaults(), **values}, others)
    return found


def people(session: ProjectSession) -> list[str]:
    """Names used in the project, for completing "owner" fields: the team first, then
    owners and deciders written elsewhere."""
    names: dict[str, None] = {}
    for member in session.records("team"):
        if member.get("name"):
            names[str(member.get("name"))] = None
    for item in session.state().items.values():
        if item.owner:
            names.setdefault(item.owner, None)
    for kind, field in (("risks", "owner"), ("datasets", "owner_person"),
                        ("decisions", "decided_by")):
        for record in session.records(kind):
            if record.get(field):
                names.setdefault(str(record.get(field)), None)
    return list(names)
