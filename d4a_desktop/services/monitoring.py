"""KPIs and their measurements: the calls behind the KPI page.

A measurement is entered by hand, pasted from a spreadsheet (tab-separated text on the
clipboard) or imported from CSV/.xlsx. Pasted and imported rows are checked together before
anything is written, with the rules of the registers' import (``services.spreadsheets``):
one rejected row and nothing is written; otherwise the whole table becomes one undoable
edit. On top of those rules each value is checked as a measurement of its KPI
(``core.kpi.validate_measurement``): a number, within the KPI's range, a date that is not
in the future, one measurement per date. A row for a date that already has a measurement
updates it (a spreadsheet exported, corrected and imported again does what one expects).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from d4a_desktop import i18n
from d4a_desktop.core import kinds, kpi
from d4a_desktop.core import records as rec
from d4a_desktop.core.commands import (
    Batch,
    CreateRecord,
    DeleteRecord,
    InvalidRecord,
    SetRecordFields,
)
from d4a_desktop.core.records import Problem, Record
from d4a_desktop.i18n import _, ngettext
from d4a_desktop.services.projects import ProjectSession

if TYPE_CHECKING:  # the spreadsheet module loads with the first paste or import
    from d4a_desktop.services.spreadsheets import Context, ImportPlan, RowProblem

#: Most rows a paste or an import may hold (ten years of daily values).
MAX_ROWS = 5_000


@dataclass(frozen=True)
class Measured:
    """One KPI with what the page shows of it."""

    record: Record
    definition: kpi.Kpi
    measurements: tuple[kpi.Measurement, ...]     # in the order they were entered
    status: kpi.KpiStatus
    #: The source dataset's title; "" without one. A dataset deleted from the inventory is
    #: named as such.
    source: str


def _definition(record: Record) -> kpi.Kpi:
    return kpi.Kpi.from_values({**record.values, "source": record.get("source_dataset") or ""})


def _measurements(records: Sequence[Record], kpi_id: str) -> tuple[kpi.Measurement, ...]:
    return tuple(kpi.Measurement(m.get("date"), m.get("value"), str(m.get("note") or ""), m.id)
                 for m in records if m.get("kpi") == kpi_id
                 and isinstance(m.get("date"), dt.date)
                 and isinstance(m.get("value"), int | float))


def kpi_status(record: Record, measurements: Sequence[Record],
               today: dt.date | None = None) -> kpi.KpiStatus:
    """A KPI record's status from measurement records (those of other KPIs are ignored),
    by the rule of ``core/kpi.py``; for a project file or a partner's package alike."""
    return kpi.status(_definition(record), _measurements(measurements, record.id),
                      today=today or dt.date.today())


def source_name(session: ProjectSession, dataset_id: str) -> str:
    """How a KPI names its source dataset; one deleted from the inventory says so."""
    if not dataset_id:
        return ""
    found = session.file.get_record("datasets", dataset_id)
    if found is None:
        return _("a dataset that is no longer in the project")
    title = rec.title_of(kinds.kind("datasets"), found)
    if found.deleted:
        return _("{title} (deleted from the data inventory)").format(title=title)
    return title


def measured(session: ProjectSession, today: dt.date | None = None) -> list[Measured]:
    """Every KPI with its measurements and status, in the order they were added (worked
    out once until the file changes: the navigator and the dashboard both show them)."""
    day = today or dt.date.today()
    key = ("measured", day, i18n.language())  # a deleted source is named in words
    return list(session.file.derived(key, lambda: tuple(_measured(session, day))))


def _measured(session: ProjectSession, today: dt.date) -> list[Measured]:
    every = session.records("measurements")
    result = []
    for record in session.records("kpis"):
        definition = _definition(record)
        found = _measurements(every, record.id)
        result.append(Measured(record, definition, found,
                               kpi.status(definition, found, today=today),
                               source_name(session, str(record.get("source_dataset") or ""))))
    return result


def measured_one(session: ProjectSession, kpi_id: str,
                 today: dt.date | None = None) -> Measured | None:
    return next((m for m in measured(session, today) if m.record.id == kpi_id), None)


def kpi_problems(values: dict[str, Any]) -> list[Problem]:
    """Problems with a KPI's fields, and with its baseline and target taken together."""
    problems = rec.validate(kinds.kind("kpis"), values)
    if not problems:
        problems = kpi.validate_kpi(kpi.Kpi.from_values(values))
    return problems


def delete_kpi(session: ProjectSession, kpi_id: str) -> Batch:
    """A KPI and its measurements, as one edit (undo brings both back)."""
    record = session.file.get_record("kpis", kpi_id)
    title = rec.title_of(kinds.kind("kpis"), record) if record else ""
    commands: list[Any] = [DeleteRecord("measurements", m.id)
                           for m in session.records("measurements") if m.get("kpi") == kpi_id]
    commands.append(DeleteRecord("kpis", kpi_id, title))
    return Batch(tuple(commands), _("Delete “{title}”").format(title=title), "kpis")


# --- one measurement by hand ------------------------------------------------------------------

def _kpi(session: ProjectSession, kpi_id: str) -> tuple[kpi.Kpi, tuple[kpi.Measurement, ...]]:
    record = session.file.get_record("kpis", kpi_id)
    if record is None:
        raise KeyError(kpi_id)
    return _definition(record), _measurements(session.records("measurements"), kpi_id)


def new_measurement(session: ProjectSession, kpi_id: str, day: Any, value: Any,
                    note: str = "", today: dt.date | None = None) -> CreateRecord:
    """The command that adds a measurement; InvalidRecord says what is wrong."""
    definition, others = _kpi(session, kpi_id)
    problems = kpi.validate_measurement(definition, day, value, others=others, today=today)
    if problems:
        raise InvalidRecord(problems)
    return CreateRecord("measurements", str(uuid.uuid4()), {
        "kpi": kpi_id, "date": day, "value": value, "note": note.strip()})


def edit_measurement(session: ProjectSession, record_id: str, changes: dict[str, Any],
                     today: dt.date | None = None) -> SetRecordFields | None:
    """The command that changes a measurement's date, value or note (None when nothing
    changes); InvalidRecord says what is wrong."""
    record = session.file.get_record("measurements", record_id)
    if record is None:
        raise KeyError(record_id)
    diff = {k: v for k, v in changes.items() if record.values.get(k) != v}
    if not diff:
        return None
    definition, others = _kpi(session, str(record.get("kpi")))
    after = {**record.values, **diff}
    problems = kpi.validate_measurement(definition, after.get("date"), after.get("value"),
                                        others=others, editing=record_id, today=today)
    if problems:
        raise InvalidRecord(problems)
    label = i18n.format_date(record.get("date")) if isinstance(record.get("date"), dt.date) \
        else ""
    return SetRecordFields("measurements", record_id, diff, label)


# --- pasted and imported tables ---------------------------------------------------------------

def table_from_text(text: str) -> list[list[str]]:
    """The cells of text copied from a spreadsheet: rows on lines, cells between tabs."""
    rows = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        cells = line.split("\t")
        if any(cell.strip() for cell in cells):
            rows.append(cells)
    return rows


def _fold(text: Any) -> str:
    return " ".join(str(text).casefold().split())


def _column_names() -> dict[str, str]:
    """What a heading may say for each column: the field name, or its label in the
    interface language or in English."""
    names = {"id": "id"}
    kind = kinds.kind("measurements")
    for f in kind.fields:
        names[_fold(f.name)] = f.name
        names.setdefault(_fold(f.label_text()), f.name)
        names.setdefault(_fold(f.label if isinstance(f.label, str) else f.name), f.name)
    return names


def _date(raw: Any) -> dt.date:
    from d4a_desktop.i18n.dates import DateInputError, parse_date

    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if not str(raw).strip():
        raise ValueError(_("Give the date of the measurement."))
    try:
        day = parse_date(str(raw))
    except DateInputError:
        day = None
    if day is None:
        raise ValueError(_("“{value}” is not a date (write 2027-03-31 or as your language "
                           "writes dates)").format(value=raw))
    return day


def _value(raw: Any) -> int | float:
    if isinstance(raw, bool):
        raise ValueError(_("“{text}” is not a number.").format(text=raw))
    if isinstance(raw, int | float):
        return raw
    if not str(raw).strip():
        raise ValueError(_("The value must be a number."))
    number = kpi.parse_value(str(raw))
    return int(number) if number.is_integer() and abs(number) < 2 ** 53 else number


def plan_measurements(session: ProjectSession, kpi_id: str, table: Sequence[Sequence[Any]],
                      today: dt.date | None = None) -> ImportPlan:
    """Check a pasted or imported table of measurements for one KPI; nothing is written.

    The table may start with a heading row naming its columns (``date``, ``value``,
    ``note``, and ``kpi`` and ``id`` as the measurements register exports them, or their
    labels); without one its columns are date, value and note, in that order.
    """
    from d4a_desktop.services.spreadsheets import ImportPlan, RowProblem

    today = today or dt.date.today()
    record = session.file.get_record("kpis", kpi_id)
    if record is None or record.deleted:
        raise KeyError(kpi_id)
    definition, existing = _kpi(session, kpi_id)
    plan = ImportPlan("measurements")
    rows = [list(r) for r in table if any(str(c).strip() for c in r)]
    if not rows:
        plan.problems.append(RowProblem(1, "", _("there is nothing to add")))
        return plan
    if len(rows) > MAX_ROWS + 1:
        plan.problems.append(RowProblem(1, "", _("more than {count} rows; split the table")
                                        .format(count=MAX_ROWS)))
        return plan
    names = _column_names()
    heading = [names.get(_fold(c)) for c in rows[0]]
    first = 1
    if any(h in ("date", "value") for h in heading):
        columns = heading
        first = 2
        for n, name in enumerate(columns):
            if name is None and str(rows[0][n]).strip():
                plan.problems.append(RowProblem(1, str(rows[0][n]), _(
                    "unknown column; the columns are: {names}").format(
                    names=", ".join(("date", "value", "note")))))
        if "date" not in columns or "value" not in columns:
            plan.problems.append(RowProblem(1, "", _("the columns “date” and “value” are "
                                                     "needed")))
        if len({c for c in columns if c}) != len([c for c in columns if c]):
            plan.problems.append(RowProblem(1, "", _("a column appears twice")))
        if plan.problems:
            return plan
        body = rows[1:]
    else:
        columns = ["date", "value", "note"]
        body = rows
    by_date = {m.date: m for m in kpi.effective(existing)}
    by_id = {m.id: m for m in existing}
    kpi_names = {_fold(record.get("name") or ""), _fold(kpi_id)}
    seen: dict[dt.date, int] = {}
    planned: list[kpi.Measurement] = list(existing)
    for number, row in enumerate(body, first):
        cells = dict(zip(columns, list(row) + [""] * (len(columns) - len(row)), strict=False))
        problems: list[RowProblem] = []
        if len(row) > len(columns) and any(str(c).strip() for c in row[len(columns):]):
            problems.append(RowProblem(number, "", _("more cells than columns")))
        owner = cells.get("kpi")
        if owner is not None and str(owner).strip() and _fold(owner) not in kpi_names:
            problems.append(RowProblem(number, "kpi", _("this row is for another KPI, "
                                                        "“{name}”").format(name=owner)))
        day = value = None
        try:
            day = _date(cells.get("date", ""))
        except ValueError as exc:
            problems.append(RowProblem(number, "date", str(exc)))
        try:
            value = _value(cells.get("value", ""))
        except ValueError as exc:
            problems.append(RowProblem(number, "value", str(exc)))
        note = " ".join(str(cells.get("note") or "").split()) if "note" in cells else None
        if day is not None and day in seen:
            problems.append(RowProblem(number, "date", _("the same date is in row {row}")
                                       .format(row=seen[day])))
        target = None
        rid = str(cells.get("id") or "").strip()
        if rid and rid in by_id:
            target = by_id[rid]
        elif day is not None and day in by_date:
            target = by_date[day]
        if not problems:
            assert day is not None and value is not None
            seen[day] = number
            for problem in kpi.validate_measurement(
                    definition, day, value, others=planned,
                    editing=target.id if target else "", today=today):
                problems.append(RowProblem(number, problem.field, problem.message))
        if problems:
            plan.problems.extend(problems)
            continue
        assert day is not None and value is not None
        if target is None:
            rid = str(uuid.uuid4())
            plan.creates.append((rid, {"kpi": kpi_id, "date": day, "value": value,
                                       "note": note or ""}))
            planned.append(kpi.Measurement(day, value, note or "", rid))
            continue
        changes: dict[str, Any] = {}
        if target.date != day:
            changes["date"] = day
        if target.value != value:
            changes["value"] = value
        if note is not None and note != target.note:
            changes["note"] = note
        planned = [m for m in planned if m.id != target.id] + [
            kpi.Measurement(day, value, target.note if note is None else note, target.id)]
        if changes:
            plan.updates.append((target.id, changes))
        else:
            plan.unchanged += 1
    return plan


def plan_command(plan: ImportPlan, pasted: bool) -> Batch:
    """The planned rows as one undoable edit, named for what the user did."""
    batch = plan.command()
    count = len(plan.creates) + len(plan.updates)
    if pasted:
        label = ngettext("Paste {count} measurement", "Paste {count} measurements",
                         count).format(count=count)
    else:
        label = ngettext("Import {count} measurement", "Import {count} measurements",
                         count).format(count=count)
    return Batch(batch.commands, label, "measurements")


# --- the registers' import (``d4a records import FILE kpis|measurements``) ------------------------

def check_import(plan: ImportPlan, ctx: Context, today: dt.date | None = None) -> None:
    """Add to ``plan`` what the KPI page would refuse: a KPI whose baseline and target do
    not fit together; a measurement of a deleted KPI, in the future, out of its KPI's
    range, or on a date that has one already (in the project or earlier in the table).
    With one problem the whole import is refused, so nothing is half-imported."""
    from d4a_desktop.services.spreadsheets import RowProblem

    today = today or dt.date.today()
    current = {r.id: r for r in ctx.records.get(plan.kind, ())}
    planned = sorted(((plan.rows.get(rid, 0), rid,
                       {**(current[rid].values if rid in current else {}), **values})
                      for rid, values in plan.creates + plan.updates), key=lambda p: p[0])
    if plan.kind == "kpis":
        for row, _rid, values in planned:
            for problem in kpi.validate_kpi(kpi.Kpi.from_values(values)):
                plan.problems.append(RowProblem(row, problem.field, problem.message))
        return
    indicators = {r.id: r for r in ctx.records.get("kpis", ())}
    touched = {rid for _row, rid, _values in planned}
    others: dict[str, list[kpi.Measurement]] = {}
    for record in current.values():
        if not record.deleted and record.id not in touched:
            kpi_id = str(record.get("kpi") or "")
            others.setdefault(kpi_id, []).extend(_measurements([record], kpi_id))
    for row, rid, values in planned:
        kpi_id = str(values.get("kpi") or "")
        indicator = indicators.get(kpi_id)
        if indicator is None or indicator.deleted:
            plan.problems.append(RowProblem(row, "kpi", _(
                "this KPI has been deleted from the project")))
            continue
        day: Any = values.get("date")
        value: Any = values.get("value")
        problems = kpi.validate_measurement(_definition(indicator), day, value,
                                            others=others.get(kpi_id, ()), today=today)
        for problem in problems:
            plan.problems.append(RowProblem(row, problem.field, problem.message))
        if not problems:
            others.setdefault(kpi_id, []).append(kpi.Measurement(day, value, "", rid))
