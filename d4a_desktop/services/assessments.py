"""The roadmap's tools filled in: answers saved as you type, versions, reviews due.

A filled tool is an ``assessments`` record (one per tool, status, next review); each answer
is an ``answers`` record keyed by its path in the tool (``section/field`` or
``section/entry/field``); "Save as version" freezes all answers into an
``assessment_versions`` record. Their ids derive from the project and the tool (and the
path), so two copies of a project agree on them and a merge joins answers field by field.
Every change is a core command, so it can be undone and travels in the change log.

An answer is stored as JSON, which has no dates: a date answer is kept as its ISO text
("2026-12-04") and read back as a date wherever the tool asks for one (``decode``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from d4a_desktop.core import assessments as answers_mod
from d4a_desktop.core import commands as c
from d4a_desktop.core.content import Tool
from d4a_desktop.core.project import state_id
from d4a_desktop.core.records import Record
from d4a_desktop.i18n import _, pgettext
from d4a_desktop.services.projects import ProjectSession


def assessment_id(project_id: str, tool_id: str) -> str:
    return state_id(project_id, "assessment", tool_id)


def answer_id(project_id: str, tool_id: str, path: str) -> str:
    return state_id(project_id, "answer", f"{tool_id}/{path}")


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def encode(value: Any) -> Any:
    """An answer as the project file keeps it (JSON): a date as its ISO text."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def decode(tool: Tool | None, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answers as the tools use them: the ISO text of a date field back as a date. Text
    that only looks like a date stays text where the tool asks for text."""
    result = {}
    for path, value in answers.items():
        if tool is not None and isinstance(value, str) and _ISO_DATE.match(value):
            place = answers_mod.locate(tool, path)
            if place is not None and place.field is not None and place.field.type == "date":
                # Not a real day: kept as it is, listed as an answer that no longer fits.
                with contextlib.suppress(ValueError):
                    value = dt.date.fromisoformat(value)
        result[path] = value
    return result


@dataclass(frozen=True)
class Filled:
    """A tool as this project has filled it."""

    tool: str
    record: Record | None              # None: never opened
    answers: dict[str, Any]            # path → value
    versions: tuple[Record, ...]       # oldest first

    @property
    def status(self) -> str:
        return str(self.record.get("status") or "draft") if self.record else ""

    @property
    def next_review(self) -> dt.date | None:
        value = self.record.get("next_review") if self.record else None
        return value if isinstance(value, dt.date) else None


def version_answers(session: ProjectSession, tool_id: str, version: Record) -> dict[str, Any]:
    """The answers a saved version froze, as the tools use them."""
    raw = version.get("answers")
    return decode(session.roadmap.tool(tool_id), raw if isinstance(raw, Mapping) else {})


def filled(session: ProjectSession, tool_id: str,
           read: tuple[list[Record], list[Record]] | None = None) -> Filled:
    """``read``: every answer and every saved version of the project, when the caller
    looks at every tool and reads them once for all."""
    pid = session.file.project_id
    aid = assessment_id(pid, tool_id)
    record = session.file.get_record("assessments", aid)
    if record is not None and record.deleted:
        record = None
    answers = {}
    versions: list[Record] = []
    if record is not None:
        all_answers, all_versions = read if read is not None else (
            session.records("answers"), session.records("assessment_versions"))
        for answer in all_answers:
            if answer.get("assessment") == aid:
                answers[str(answer.get("path"))] = answer.get("value")
        answers = decode(session.roadmap.tool(tool_id), answers)
        versions = sorted((v for v in all_versions if v.get("assessment") == aid),
                          key=lambda v: v.get("number") or 0)
    return Filled(tool_id, record, answers, tuple(versions))


def all_filled(session: ProjectSession) -> list[Filled]:
    """Every tool the project has opened, in the roadmap's order."""
    opened = {str(r.get("tool")) for r in session.records("assessments")}
    read = (session.records("answers"), session.records("assessment_versions"))
    return [filled(session, t.id, read) for t in session.roadmap.tools if t.id in opened]


def _ensure(session: ProjectSession, tool_id: str) -> list[Any]:
    """The commands that make the tool's record exist (restoring it when deleted)."""
    aid = assessment_id(session.file.project_id, tool_id)
    record = session.file.get_record("assessments", aid)
    if record is None:
        return [c.CreateRecord("assessments", aid, {"tool": tool_id, "status": "draft"})]
    if record.deleted:
        return [c.RestoreRecord("assessments", aid)]
    return []


def set_answer(session: ProjectSession, tool_id: str, path: str, value: Any) -> Any | None:
    """The command that saves one answer (None when it is already so)."""
    pid = session.file.project_id
    aid = assessment_id(pid, tool_id)
    rid = answer_id(pid, tool_id, path)
    value = encode(value)
    commands = _ensure(session, tool_id)
    existing = session.file.get_record("answers", rid)
    if existing is None:
        commands.append(c.CreateRecord("answers", rid, {"assessment": aid, "path": path,
                                                        "value": value}))
    else:
        if existing.deleted:
            commands.append(c.RestoreRecord("answers", rid))
        if existing.get("value") != value:
            commands.append(c.SetRecordFields("answers", rid, {"value": value}, path))
    if not commands:
        return None
    if len(commands) == 1:
        return commands[0]
    # Translators: an entry of the undo history (Edit › Undo: …), after answering a question
    # of a tool such as the DPIA screening.
    return c.Batch(tuple(commands), pgettext("undo", "Answer a question"), "answers")


def set_details(session: ProjectSession, tool_id: str, changes: Mapping[str, Any]) -> Any:
    """Status, next review or notes of a filled tool."""
    aid = assessment_id(session.file.project_id, tool_id)
    commands = _ensure(session, tool_id)
    commands.append(c.SetRecordFields("assessments", aid, dict(changes), tool_id))
    return commands[0] if len(commands) == 1 else c.Batch(
        tuple(commands), pgettext("undo", "Edit a tool's details"), "assessments")


def save_version(session: ProjectSession, tool_id: str, note: str = "",
                 today: dt.date | None = None) -> c.CreateRecord:
    """Freeze the current answers as the next version (read-only from then on)."""
    state = filled(session, tool_id)
    if state.record is None:
        raise ValueError(f"{tool_id} has no answers yet")
    number = max((int(v.get("number") or 0) for v in state.versions), default=0) + 1
    return c.CreateRecord("assessment_versions", str(uuid.uuid4()), {
        "assessment": state.record.id, "number": number,
        "saved_on": today or dt.date.today(), "status": state.status or "draft",
        "answers": {p: encode(v) for p, v in sorted(state.answers.items())}, "note": note})


def reviews_due(session: ProjectSession, today: dt.date | None = None,
                within: dt.timedelta = dt.timedelta(days=30)) -> list[Filled]:
    """Filled tools whose next review is past or within ``within``, soonest first."""
    today = today or dt.date.today()
    due = [f for f in all_filled(session)
           if f.next_review is not None and f.next_review <= today + within]
    return sorted(due, key=lambda f: f.next_review or today)


# --- comments and review marks -------------------------------------------------------------------

def comments_about(session: ProjectSession, about_kind: str, about: str) -> list[Record]:
    return [r for r in session.records("comments")
            if r.get("about_kind") == about_kind and r.get("about") == about]


def add_comment(session: ProjectSession, about_kind: str, about: str, text: str,
                author: str) -> c.CreateRecord:
    return c.CreateRecord("comments", str(uuid.uuid4()), {
        "about_kind": about_kind, "about": about, "text": text.strip(), "written_by": author,
        "resolved": False})


def open_comments(session: ProjectSession) -> dict[tuple[str, str], int]:
    """How many unresolved comments each activity, item, record or tool has."""
    counts: dict[tuple[str, str], int] = {}
    for record in session.records("comments"):
        if not record.get("resolved"):
            key = (str(record.get("about_kind")), str(record.get("about")))
            counts[key] = counts.get(key, 0) + 1
    return counts


def mark_reviewed(session: ProjectSession, activity_id: str, by: str,
                  today: dt.date | None = None) -> c.CreateRecord:
    return c.CreateRecord("reviews", str(uuid.uuid4()), {
        "activity": activity_id, "reviewed_by": by, "date": today or dt.date.today()})


def last_review(session: ProjectSession, activity_id: str) -> Record | None:
    found = [r for r in session.records("reviews") if r.get("activity") == activity_id]
    return max(found, key=lambda r: (r.get("date"), r.created_at or dt.datetime.min),
               default=None)


# --- computed: verdicts of the tools and the status of the KPIs -----------------------------------

def verdict(session: ProjectSession, state: Filled, today: dt.date | None = None) -> Any:
    """The tool's rule applied to its answers (``core.rules.Outcome``), or None."""
    from d4a_desktop.core import rules

    tool = session.roadmap.tool(state.tool)
    if tool is None:
        return None
    return rules.evaluate(tool, state.answers, today=today or dt.date.today(),
                          standards=session.roadmap.standards)


@dataclass(frozen=True)
class ToolRow:
    """One tool as the Tools page and the navigator list it."""

    tool: Tool
    status: str
    answered: int = 0
    total: int = 0
    #: The rule's verdict ("" for a tool without a rule or never opened).
    verdict: str = ""
    verdict_code: str = ""
    versions: int = 0
    last_version: dt.date | None = None
    next_review: dt.date | None = None
    #: For a tool kept as a register (the data inventory): how many records it holds.
    register_count: int | None = None


def tool_rows(session: ProjectSession, today: dt.date, *,
              verdicts: bool = True) -> list[ToolRow]:
    """Every tool of the roadmap with how far the project has filled it in and (unless
    ``verdicts`` is False: the rules take time) its rule's verdict."""
    rows = []
    counts: dict[str, int] | None = None
    read = (session.records("answers"), session.records("assessment_versions"))
    for tool in session.roadmap.tools:
        if tool.kind == "register":
            if counts is None:
                from d4a_desktop.services import records

                counts = records.counts(session)
            rows.append(ToolRow(tool, "", register_count=counts.get("datasets", 0)))
            continue
        state = filled(session, tool.id, read)
        if state.record is None:
            rows.append(ToolRow(tool, ""))
            continue
        done = answers_mod.completeness(tool, state.answers)
        outcome = verdict(session, state, today) if verdicts else None
        rows.append(ToolRow(
            tool, state.status or "draft", done.answered, done.total,
            outcome.verdict if outcome else "", outcome.code if outcome else "",
            len(state.versions),
            state.versions[-1].get("saved_on") if state.versions else None,
            state.next_review))
    return rows


@dataclass(frozen=True)
class KpiState:
    """A KPI record with its status and its measurements sorted by date, as ``d4a info --json``
    reports it (the KPI page uses ``monitoring.Measured``, which keeps the order they were
    entered in)."""

    record: Record
    status: Any            # core.kpi.KpiStatus
    measurements: tuple[Any, ...]


def kpi_states(session: ProjectSession, today: dt.date | None = None) -> list[KpiState]:
    from d4a_desktop.core import kpi

    values: dict[str, list[Any]] = {}
    for m in session.records("measurements"):
        if isinstance(m.get("date"), dt.date) and isinstance(m.get("value"), int | float):
            values.setdefault(str(m.get("kpi")), []).append(
                kpi.Measurement(m.get("date"), m.get("value"), str(m.get("note") or ""), m.id))
    result = []
    for record in session.records("kpis"):
        found = sorted(values.get(record.id, []), key=lambda m: m.date)
        definition = kpi.Kpi.from_values({**record.values,
                                          "source": record.get("source_dataset") or ""})
        result.append(KpiState(record, kpi.status(definition, found,
                                                  today=today or dt.date.today()),
                               tuple(found)))
    return result


def info_json(session: ProjectSession, today: dt.date | None = None) -> dict[str, Any]:
    """``kpis``, ``assessments`` and the dashboard's ``reviews_due`` and ``open_comments``
    of ``d4a info --json``."""
    kpis = []
    for measured in kpi_states(session, today):
        latest = measured.status.latest
        kpis.append({"id": measured.record.id, "name": measured.record.get("name"),
                     "status": str(measured.status.status),
                     "last_value": latest.value if latest else None,
                     "target": measured.record.get("target")})
    tools = []
    for state in all_filled(session):
        outcome = verdict(session, state, today)
        entry: dict[str, Any] = {
            "tool": state.tool, "status": state.status, "versions": len(state.versions),
            "next_review": state.next_review.isoformat() if state.next_review else None}
        if outcome is not None:
            entry["verdict"] = outcome.code
        tools.append(entry)
    return {"kpis": kpis, "assessments": tools,
            "reviews_due": [f.tool for f in reviews_due(session, today)],
            "open_comments": sum(open_comments(session).values())}


# --- entries of repeating sections ---------------------------------------------------------------

def _tool(session: ProjectSession, tool_id: str) -> Tool:
    tool = session.roadmap.tool(tool_id)
    if tool is None:
        raise KeyError(f"the roadmap has no tool {tool_id!r}")
    return tool


def add_entry(session: ProjectSession, tool_id: str, section_id: str) -> tuple[str, Any]:
    """A new entry at the end of a repeating section (an option of the scorecard): its key
    and the command that adds it, one undo step."""
    tool = _tool(session, tool_id)
    state = filled(session, tool_id)
    key, created = answers_mod.new_entry(tool, section_id, state.answers)
    commands = [set_answer(session, tool_id, path, value) for path, value in created.items()]
    section = next(s for s in tool.sections if s.id == section_id)
    # Translators: an entry of the undo history ("Undo …"), as in "Add Option" in the
    # technology scorecard; {entry} is what one entry of the repeating part is called, with
    # a capital. Write it as the other undo entries of your language are written.
    label = pgettext("undo", "Add {entry}").format(entry=answers_mod.entry_name(tool, section))
    return key, c.Batch(tuple(x for x in commands if x is not None), label, "answers")


def remove_entry(session: ProjectSession, tool_id: str, section_id: str,
                 key: str) -> Any | None:
    """The command that removes one entry with all its answers (None when it has none)."""
    tool = _tool(session, tool_id)
    state = filled(session, tool_id)
    found = answers_mod.entry_answers(tool, section_id, key, state.answers)
    if not found:
        return None
    pid = session.file.project_id
    title = answers_mod.entry_title(tool, section_id, key, state.answers)
    commands = tuple(c.DeleteRecord("answers", answer_id(pid, tool_id, path), path)
                     for path in sorted(found))
    return c.Batch(commands, _("Remove “{entry}”").format(entry=title), "answers")


def move_entry(session: ProjectSession, tool_id: str, section_id: str, key: str,
               index: int) -> Any | None:
    """The command that puts an entry at ``index`` of its section (None when it is there)."""
    tool = _tool(session, tool_id)
    state = filled(session, tool_id)
    changes = answers_mod.move_entry(tool, section_id, state.answers, key, index)
    commands = [set_answer(session, tool_id, path, number) for path, number in changes.items()]
    commands = [x for x in commands if x is not None]
    if not commands:
        return None
    title = answers_mod.entry_title(tool, section_id, key, state.answers)
    return c.Batch(tuple(commands), _("Move “{entry}”").format(entry=title), "answers")
