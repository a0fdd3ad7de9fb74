"""What a printed document reads from a project, taken in one go as plain data.

This module is the only place where printing touches the project services, so a change of
the storage layer touches little here. The PDF is then built from the snapshot alone, off
the UI thread if need be, without an open database session.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from d4a_desktop.core.progress import Progress, compute
from d4a_desktop.core.project import ProjectMeta, ProjectState
from d4a_desktop.services.printing.flowables import Column, RecordTable, Row
from d4a_desktop.services.projects import ProjectSession
from d4a_desktop.services.projects import read_project as open_read_only
from d4a_desktop.services.roadmap import roadmap


@dataclass(frozen=True)
class ProjectSnapshot:
    state: ProjectState
    progress: Progress
    #: Registers of the project's records (team, decisions, datasets, risks …), in the
    #: order the report prints them; each is printed only when it has rows.
    records: tuple[RecordTable, ...] = ()

    @property
    def meta(self) -> ProjectMeta:
        return self.state.meta


def snapshot(session: ProjectSession) -> ProjectSnapshot:
    """The open project as the documents need it: its state, progress and registers."""
    state = session.state()
    return ProjectSnapshot(state, compute(roadmap(), state), registers(session))


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
        columns = [Column(label, _weight(label, [r.cells[n] for r in rows]), align)
                   for n, (label, align) in enumerate(zip(labels, aligns, strict=True))]
        tables.append(RecordTable(kind.name, kind.plural_text(), tuple(columns), tuple(rows),
                                  intro=translate(kind.purpose)))
    return tuple(tables)


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
