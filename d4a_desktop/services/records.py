"""The project's registers: the calls behind their pages, the dashboard and ``d4a records``.

Edits are core commands (``CreateRecord``, ``SetRecordFields``, ``DeleteRecord`` …) that
the caller applies through ``ProjectSession.execute`` so they can be undone; here they are
built and checked against the roadmap (activity ids), which the core commands cannot see.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from d4a_desktop.core import dashboard as dashboard_mod
from d4a_desktop.core import kinds
from d4a_desktop.core import records as rec
from d4a_desktop.core.commands import CreateRecord, InvalidRecord, SetRecordFields
from d4a_desktop.core.records import Record
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


def dashboard(session: ProjectSession, today: dt.date | None = None) -> dashboard_mod.Dashboard:
    return dashboard_mod.compute(session.roadmap, session.state(), all_records(session),
                                 today or dt.date.today())


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
