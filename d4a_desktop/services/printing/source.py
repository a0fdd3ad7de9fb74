"""What a printed document reads from a project, taken in one go as plain data.

This module is the only place where printing touches the project services, so a change of
the storage layer touches little here. The PDF is then built from the snapshot alone, off
the UI thread if need be, without an open database session.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from d4a_desktop.core import kpi
from d4a_desktop.core.progress import Progress, compute
from d4a_desktop.core.project import ProjectMeta, ProjectState
from d4a_desktop.i18n import pgettext
from d4a_desktop.services.printing.flowables import Column, RecordTable, Row
from d4a_desktop.services.projects import ProjectSession
from d4a_desktop.services.projects import read_project as open_read_only
from d4a_desktop.services.roadmap import roadmap


@dataclass(frozen=True)
class ProjectSnapshot:
    """Everything the printed documents read of a project, taken in one go (``snapshot``), so that a
    PDF is built off the UI thread with no database session open."""

    state: ProjectState
    progress: Progress
    #: Registers of the project's records (team, decisions, datasets, risks …), in the
    #: order the report prints them; each is printed only when it has rows.
    records: tuple[RecordTable, ...] = ()
    #: The tools the project has filled in, in the roadmap's order.
    tools: tuple[FilledTool, ...] = ()
    #: The KPIs with their measurements, in the order they were added.
    kpis: tuple[KpiData, ...] = ()
    #: (likelihood, impact, number, description, open) of every risk with both scores;
    #: ``number`` is the risk's row in the register, for the matrix to name it by.
    risk_scores: tuple[tuple[int, int, int, str, bool], ...] = ()
    #: (next review, "R3", description) of every open risk with a review date.
    risk_reviews: tuple[tuple[dt.date, str, str], ...] = ()
    #: Unresolved comments, by what they are about ("activity", "item", a tool or a kind).
    open_comments: Mapping[str, int] | None = None
    #: (team member's name, activity id, responsible | accountable | consulted | informed)
    #: of the responsibility matrix.
    responsibilities: tuple[tuple[str, str, str], ...] = ()

    @property
    def meta(self) -> ProjectMeta:
        return self.state.meta

    def tool(self, tool_id: str) -> FilledTool | None:
        return next((t for t in self.tools if t.tool_id == tool_id), None)


@dataclass(frozen=True)
class SavedVersion:
    """One saved version of a filled tool, as a worksheet prints it: a version is never changed
    once saved, so the worksheet shows the answers as they stood on ``saved_on``."""

    number: int
    saved_on: dt.date | None
    author: str
    note: str
    answers: Mapping[str, Any]


@dataclass(frozen=True)
class FilledTool:
    """A tool as the project has filled it: what a filled worksheet prints.

    ``answers`` are those of the latest saved version when there is one (``version``),
    else the current answers, last changed on ``edited`` by ``edited_by``.
    """

    tool_id: str
    status: str                           # "draft" or "complete"
    next_review: dt.date | None
    answers: Mapping[str, Any]
    version: SavedVersion | None
    versions: tuple[SavedVersion, ...]    # oldest first
    edited: dt.date | None
    edited_by: str
    #: Whether the current answers differ from the latest version's.
    changed_since: bool
    #: The tool's records (the data inventory is kept as the register of datasets).
    register_count: int | None = None


@dataclass(frozen=True)
class KpiData:
    """A KPI as the report draws it; its status is worked out on the report's date."""

    name: str
    code: str
    unit: str
    owner: str
    source: str
    definition: kpi.Kpi
    measurements: tuple[kpi.Measurement, ...]


def snapshot(session: ProjectSession) -> ProjectSnapshot:
    """The open project as the documents need it: its state, progress and registers."""
    state = session.state()
    return ProjectSnapshot(state, compute(roadmap(), state), registers(session),
                           filled_tools(session), kpis_of(session), risk_scores(session),
                           risk_reviews(session), comment_counts(session),
                           responsibilities(session))


def filled_tools(session: ProjectSession) -> tuple[FilledTool, ...]:
    from d4a_desktop.core import assessments as answers_mod
    from d4a_desktop.services import assessments

    every_answer = session.records("answers")
    result = []
    for state in assessments.all_filled(session):
        assert state.record is not None
        mine = [a for a in every_answer if a.get("assessment") == state.record.id]
        latest = max(mine or [state.record], key=lambda r: r.modified_at or dt.datetime.min)
        versions = tuple(SavedVersion(int(v.get("number") or 0), v.get("saved_on"), v.author,
                                      str(v.get("note") or ""),
                                      assessments.version_answers(session, state.tool, v))
                         for v in state.versions)
        version = versions[-1] if versions else None
        current = {p: v for p, v in state.answers.items() if answers_mod.is_answered(v)}
        changed = version is not None and current != {
            p: v for p, v in version.answers.items() if answers_mod.is_answered(v)}
        tool = session.roadmap.tool(state.tool)
        if tool is not None and tool.kind == "register":
            continue  # filled from its register, below
        result.append(FilledTool(
            state.tool, state.status, state.next_review,
            version.answers if version else current, version, versions,
            latest.modified_at.date() if latest.modified_at else None, latest.author,
            changed))
    inventory = _inventory(session)
    if inventory is not None:
        result.append(inventory)
    order = [t.id for t in session.roadmap.tools]
    return tuple(sorted(result, key=lambda t: order.index(t.tool_id)
                        if t.tool_id in order else len(order)))


def _inventory(session: ProjectSession) -> FilledTool | None:
    """The data-inventory tool filled from the register of datasets, which is where the
    program keeps it: one entry per dataset, under the tool's question for each field."""
    from d4a_desktop.core import kinds

    tool = session.roadmap.tool("data-inventory")
    datasets = session.records("datasets")
    if tool is None or tool.kind != "register" or not datasets:
        return None
    section = next((s for s in tool.sections if s.repeating), None)
    if section is None:
        return None
    kind = kinds.kind("datasets")
    answers: dict[str, Any] = {}
    for number, record in enumerate(datasets, 1):
        key = record.id.lower()
        answers[f"{section.id}/{key}/_order"] = number
        for fld in section.fields:
            name = fld.id.replace("-", "_")
            if kind.has(name) and not kind.field(name).is_empty(record.get(name)):
                answers[f"{section.id}/{key}/{fld.id}"] = record.get(name)
    latest = max(datasets, key=lambda r: r.modified_at or dt.datetime.min)
    state = session.file.get_record("assessments", _assessment_id(session, tool.id))
    status = str(state.get("status") or "") if state and not state.deleted else ""
    return FilledTool(tool.id, status, None, answers, None, (),
                      latest.modified_at.date() if latest.modified_at else None,
                      latest.author, False, len(datasets))


def _assessment_id(session: ProjectSession, tool_id: str) -> str:
    from d4a_desktop.services import assessments

    return assessments.assessment_id(session.file.project_id, tool_id)


def kpis_of(session: ProjectSession) -> tuple[KpiData, ...]:
    from d4a_desktop.services import monitoring

    return tuple(KpiData(str(m.record.get("name") or ""), str(m.record.get("code") or ""),
                         str(m.record.get("unit") or ""), str(m.record.get("owner") or ""),
                         m.source, m.definition, m.measurements)
                 for m in monitoring.measured(session))


def risk_scores(session: ProjectSession) -> tuple[tuple[int, int, int, str, bool], ...]:
    """The risks with both scores, numbered in the order of the printed register."""
    from d4a_desktop.core.dashboard import OPEN_RISK

    found = []
    for number, record in enumerate(session.records("risks"), 1):
        likelihood, impact = record.get("likelihood"), record.get("impact")
        if isinstance(likelihood, int) and isinstance(impact, int):
            found.append((likelihood, impact, number, str(record.get("description") or ""),
                          (record.get("status") or "") in OPEN_RISK))
    return tuple(found)


def risk_reviews(session: ProjectSession) -> tuple[tuple[dt.date, str, str], ...]:
    from d4a_desktop.core.dashboard import OPEN_RISK

    return tuple((r.get("review_date"), f"R{n}", str(r.get("description") or ""))
                 for n, r in enumerate(session.records("risks"), 1)
                 if isinstance(r.get("review_date"), dt.date)
                 and (r.get("status") or "") in OPEN_RISK)


def responsibilities(session: ProjectSession) -> tuple[tuple[str, str, str], ...]:
    from d4a_desktop.core import kinds
    from d4a_desktop.core.records import title_of

    team = {r.id: title_of(kinds.kind("team"), r) for r in session.records("team")}
    return tuple((team[str(r.get("member"))], str(r.get("activity")), str(r.get("role")))
                 for r in session.records("responsibilities")
                 if str(r.get("member")) in team and r.get("activity") and r.get("role"))


def comment_counts(session: ProjectSession) -> dict[str, int]:
    from d4a_desktop.services import assessments

    counts: dict[str, int] = {}
    for (kind, _about), n in assessments.open_comments(session).items():
        counts[kind] = counts.get(kind, 0) + n
    return counts


def registers(session: ProjectSession) -> tuple[RecordTable, ...]:
    """Every register with records, as the declarations describe it: the kind's table
    columns (and computed values such as a risk's score), references shown by name."""
    from d4a_desktop.core import dashboard, kinds
    from d4a_desktop.core.records import computed_values, translate
    from d4a_desktop.services import spreadsheets

    ctx = spreadsheets.context(session)
    tables = []
    for kind in kinds.REGISTERS:
        found = [r for r in ctx.records.get(kind.name, ()) if not r.deleted]
        if not found:
            continue
        names = kind.table_columns()
        rows = []
        for record in found:
            cells = []
            for n in names:
                f = kind.field(n)
                value = record.get(n)
                if f.refers_to:
                    cells.append(ctx.names(f.refers_to).get(value, ""))
                elif f.type.name in ("ACTIVITY", "ACTIVITIES") and value:
                    cells.append(_activity_numbers(value))
                elif f.type.name == "DATE":  # "19 janv. 2026" on one line
                    cells.append(f.display(value).replace(" ", "\u00a0"))
                else:
                    cells.append(f.display(value))
            extra = computed_values(kind, record.values)
            cells += ["" if extra[c.name] is None else str(extra[c.name])
                      for c in kind.computed]
            high = kind.name == "risks" and dashboard.is_open_high_risk(record)
            rows.append(Row(tuple(cells), highlight=high))
        labels = [kind.field(n).label_text() for n in names]
        labels += [translate(c.label) for c in kind.computed]
        aligns = ["right" if kind.field(n).type.name in ("INTEGER", "NUMBER") else "left"
                  for n in names] + ["right"] * len(kind.computed)
        if kind.name == "risks":
            rows, labels, aligns = _risk_columns(list(names), rows, labels, aligns)
        columns = [Column(label, _weight(label, [r.cells[n] for r in rows]), align)
                   for n, (label, align) in enumerate(zip(labels, aligns, strict=True))]
        tables.append(RecordTable(kind.name, kind.plural_text(), tuple(columns), tuple(rows),
                                  intro=translate(kind.purpose)))
    return tuple(tables)


def _activity_numbers(value: Any) -> str:
    """Activities as the printed roadmap numbers them: "3.1 and 4.1" for c3.a1, c4.a1."""
    from d4a_desktop import i18n

    ids = [value] if isinstance(value, str) else list(value)
    return i18n.format_list([_ACTIVITY_ID.sub(r"\1.\2", str(a)) for a in ids])


_ACTIVITY_ID = re.compile(r"^c(\d+)\.a(\d+)$")


def _risk_columns(names: list[str], rows: list[Row], labels: list[str],
                  aligns: list[str]) -> tuple[list[Row], list[str], list[str]]:
    """The risks numbered (R1, R2 …), as the risk matrix names them, and likelihood and
    impact folded into the score ("12 (3 × 4)"), which the matrix beside it explains."""
    score = len(names)  # the computed score follows the fields
    drop = [names.index(n) for n in ("likelihood", "impact") if n in names]
    new_rows = []
    for number, row in enumerate(rows, 1):
        cells = list(row.cells)
        if len(drop) == 2 and cells[score]:
            # No-break spaces: "12 (3 × 4)" is read as one figure.
            cells[score] = f"{cells[score]}\u00a0({cells[drop[0]]}\u00a0×\u00a0{cells[drop[1]]})"
        cells = [c for n, c in enumerate(cells) if n not in drop]
        new_rows.append(Row((f"R{number}", *cells), row.highlight))
    # Translators: heading of the column that numbers the risks (R1, R2 …) in the printed
    # report; keep it short.
    labels = [pgettext("risk number", "No."),
              *(x for n, x in enumerate(labels) if n not in drop)]
    aligns = ["left", *(x for n, x in enumerate(aligns) if n not in drop)]
    return new_rows, labels, aligns


def _weight(label: str, cells: list[str]) -> float:
    """A column's share of the width: room for the longest word of its heading (headings
    never break inside a word), and for its typical content, up to a sentence."""
    words = [len(w) for text in (label, *cells) for w in text.split()] or [1]
    lengths = sorted(len(c) for c in cells) or [0]
    typical = lengths[len(lengths) * 3 // 4]
    return max(max(len(w) for w in label.split()) + 1, min(max(words), 18),
               min(typical, 45) / 1.6)


def read_project(path: Path | str) -> ProjectSnapshot:
    """Open a project file for reading only, take its snapshot and close it again:
    printing never writes, stamps or upgrades the file, and a read-only file prints."""
    session = open_read_only(path)
    try:
        return snapshot(session)
    finally:
        session.close()
