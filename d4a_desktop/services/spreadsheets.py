"""Registers to and from spreadsheets (CSV and .xlsx), all or nothing.

Columns are the kind's field names (stable, documented in ``docs/spreadsheets.md``) after
an ``id`` column; computed values (a risk's score) follow and are ignored on import.
Exported cells show choices by their label in the interface language, dates as ISO
8601, several values separated by "; ". Reading accepts a choice's code or its label in
any of the seven languages, yes/no in any of them, dates in ISO or the locale's short
format. Cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a
carriage return) are written with a leading apostrophe, which reading removes again.

Import plans first and writes nothing unless every row is valid: the plan lists each
rejected row with its number, column and reason, and becomes one undoable edit.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import re
import uuid
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from d4a_desktop import i18n
from d4a_desktop.core import kinds
from d4a_desktop.core.commands import Batch, CreateRecord, SetRecordFields
from d4a_desktop.core.records import (
    Field,
    FieldType,
    Kind,
    Record,
    Text,
    computed_values,
    title_of,
)
from d4a_desktop.i18n import _, ngettext
from d4a_desktop.storage import atomic
from d4a_desktop.storage.codec import freeze

if TYPE_CHECKING:
    from d4a_desktop.services.projects import ProjectSession

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
LIST_SEPARATOR = "; "
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
#: Languages whose spreadsheet programs expect ";" between CSV columns (decimal comma).
_SEMICOLON_LANGUAGES = ("nl", "da", "de", "fr", "nb", "sv")


class SpreadsheetError(Exception):
    """The file cannot be read as a table at all; ``message`` is translated."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class RowProblem:
    """Why one cell of an imported spreadsheet cannot be used, placed as the user sees it in their
    spreadsheet program (row 1 is the header), so they can find and fix it there."""

    row: int        # as the spreadsheet numbers it: the header is row 1
    column: str
    message: str

    def describe(self) -> str:
        return _("row {row}, column “{column}”: {reason}").format(
            row=self.row, column=self.column, reason=self.message)


@dataclass
class ImportPlan:
    """What importing a spreadsheet into a register would do, worked out before anything is written,
    for the preview. Any problem means nothing is imported; without one, ``command`` makes the
    whole import one undoable edit."""

    kind: str
    creates: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    updates: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    #: The spreadsheet's row of each record created or updated, for problems found later.
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def command(self) -> Batch:
        """The whole import as one undoable edit."""
        assert self.ok, "an import with problems writes nothing"
        commands: list[Any] = [CreateRecord(self.kind, rid, values)
                               for rid, values in self.creates]
        commands += [SetRecordFields(self.kind, rid, changes) for rid, changes in self.updates]
        label = ngettext("Import {count} row", "Import {count} rows",
                         len(commands)).format(count=len(commands))
        return Batch(tuple(commands), label, self.kind)

    def summary(self) -> str:
        return _("{new} new, {changed} changed, {same} unchanged").format(
            new=len(self.creates), changed=len(self.updates), same=self.unchanged)


@dataclass
class Context:
    """What reading and writing one register needs to know of the rest of the project:
    the roadmap's activity ids and every kind's records (tombstones included), so that a
    reference is written as the record's name and read back from its name or id."""

    activity_ids: Sequence[str]
    records: Mapping[str, Sequence[Record]]

    def kind_of(self, record_id: str) -> str | None:
        for kind, found in self.records.items():
            if any(r.id == record_id for r in found):
                return kind
        return None

    def names(self, kind: str) -> dict[str, str]:
        """id → title of the live records of ``kind`` whose title is unique."""
        k = kinds.kind(kind)
        titles: dict[str, list[str]] = {}
        for record in self.records.get(kind, ()):
            if not record.deleted:
                titles.setdefault(title_of(k, record), []).append(record.id)
        return {ids[0]: title for title, ids in titles.items() if len(ids) == 1}


def context(session: ProjectSession) -> Context:
    from d4a_desktop.services.records import activity_ids

    return Context(activity_ids(), {k.name: session.file.records(k, include_deleted=True)
                                    for k in kinds.KINDS})


# --- writing ---------------------------------------------------------------------------------

def columns(kind: Kind) -> list[str]:
    return ["id", *(f.name for f in kind.fields), *(c.name for c in kind.computed)]


def _neutralise(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA) else text


def cell(f: Field, value: Any, ctx: Context | None = None) -> str:
    """A value as a spreadsheet cell shows it (text; the caller neutralises formulas)."""
    if f.is_empty(value):
        return ""
    t = f.type
    if t is FieldType.DATE:
        return value.isoformat()
    if t is FieldType.INTEGER:
        return str(value)
    if t is FieldType.NUMBER:
        from babel.numbers import format_decimal

        return format_decimal(value, locale=i18n.locale(), group_separator=False)
    if t is FieldType.JSON:
        return json.dumps(_plain(value), ensure_ascii=False)
    if t is FieldType.REFERENCE and ctx is not None and f.refers_to:
        return ctx.names(f.refers_to).get(value, value)
    if t is FieldType.YESNO:
        return _("Yes") if value else _("No")
    if t is FieldType.CHOICE and f.vocabulary is not None:
        return f.vocabulary.label(value)
    if t is FieldType.CHOICES and f.vocabulary is not None:
        return LIST_SEPARATOR.join(f.vocabulary.label(v) for v in value)
    if t is FieldType.ACTIVITIES:
        return LIST_SEPARATOR.join(value)
    return str(value)


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def rows(kind: Kind, records: Iterable[Record], ctx: Context | None = None) -> list[list[str]]:
    """The header and one row per record, every cell safe to open in a spreadsheet."""
    table = [columns(kind)]
    for record in records:
        extra = computed_values(kind, record.values)
        row = [record.id] + [cell(f, record.values.get(f.name), ctx) for f in kind.fields]
        row += ["" if extra[c.name] is None else str(extra[c.name]) for c in kind.computed]
        table.append([_neutralise(text) for text in row])
    return table


def csv_delimiter() -> str:
    return ";" if i18n.language() in _SEMICOLON_LANGUAGES else ","


def write_csv(path: Path, kind: Kind, records: Iterable[Record],
              ctx: Context | None = None) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=csv_delimiter(), lineterminator="\r\n")
    writer.writerows(rows(kind, records, ctx))
    atomic.write_bytes(path, ("\ufeff" + buffer.getvalue()).encode("utf-8"))


def write_xlsx(path: Path, kind: Kind, records: Iterable[Record],
               ctx: Context | None = None) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = kind.name
    records = list(records)
    table = rows(kind, records, ctx)
    numbers = {n for n, name in enumerate(table[0])
               if kind.has(name) and kind.field(name).type in (FieldType.INTEGER,
                                                                FieldType.NUMBER)}
    sheet.append(table[0])
    for record, row in zip(records, table[1:], strict=True):
        typed: list[Any] = list(row)
        for n in numbers:  # numbers as numbers, so a spreadsheet can sum them
            typed[n] = record.values.get(table[0][n])
        sheet.append(typed)
    for cell_ in sheet[1]:
        cell_.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    for n, name in enumerate(table[0], 1):
        width = max(len(name), *(len(r[n - 1]) for r in table[1:51])) if len(table) > 1 \
            else len(name)
        sheet.column_dimensions[get_column_letter(n)].width = min(60, max(10, width + 2))
    buffer = io.BytesIO()
    book.save(buffer)
    atomic.write_bytes(path, buffer.getvalue())


def export(path: Path, kind: Kind, records: Iterable[Record],
           ctx: Context | None = None) -> None:
    """Write ``records`` to ``path``; the suffix (.csv or .xlsx) chooses the format."""
    if path.suffix.lower() == ".xlsx":
        write_xlsx(path, kind, records, ctx)
    else:
        write_csv(path, kind, records, ctx)


# --- reading ---------------------------------------------------------------------------------

def read_table(path: Path) -> list[list[Any]]:
    """The cells of a CSV file or of the first sheet of an .xlsx file; raises
    SpreadsheetError for anything that is not a readable table."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SpreadsheetError(_("{name} cannot be read: {reason}").format(
            name=path, reason=exc.strerror or exc)) from exc
    if size > MAX_BYTES:
        raise SpreadsheetError(_("{name} is larger than {size} MB; split it into smaller "
                                 "files.").format(name=path, size=MAX_BYTES // 1024 // 1024))
    data = path.read_bytes()
    if path.suffix.lower() == ".xlsx" or data.startswith(b"PK\x03\x04"):
        return _read_xlsx(path, data)
    return _read_csv(path, data)


def _read_csv(path: Path, data: bytes) -> list[list[Any]]:
    if b"\x00" in data[:4096]:
        raise SpreadsheetError(_("{name} is not a text file; save the table as CSV (UTF-8) "
                                 "or .xlsx.").format(name=path))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise SpreadsheetError(_("{name} is not a text file; save the table as CSV "
                                     "(UTF-8) or .xlsx.").format(name=path)) from exc
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise SpreadsheetError(_("{name} is not a readable CSV table.").format(
            name=path)) from exc
    return [row for row in table if any(c.strip() for c in row)]


def _read_xlsx(path: Path, data: bytes) -> list[list[Any]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names or not any(
                    n.startswith("xl/worksheets/") for n in names):
                raise SpreadsheetError(_("{name} is a ZIP archive but not an Excel workbook."
                                         ).format(name=path))
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError(_("{name} is not a readable .xlsx workbook.").format(
            name=path)) from exc
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise SpreadsheetError(_("{name} is not a readable .xlsx workbook.").format(
            name=path)) from exc
    try:
        sheet = book.worksheets[0]
        table = []
        for n, row in enumerate(sheet.iter_rows(values_only=True), 1):
            if n > MAX_ROWS + 1:
                raise SpreadsheetError(_("{name} has more than {count} rows.").format(
                    name=path, count=MAX_ROWS))
            cells = ["" if v is None else v for v in row]
            for value in cells:
                if isinstance(value, str) and value.startswith("=") and len(value) > 1:
                    raise SpreadsheetError(_("{name} contains formulas (row {row}); "
                                             "paste the values only and save again.")
                                           .format(name=path, row=n))
            if any(str(c).strip() for c in cells):
                table.append(cells)
        return table
    finally:
        book.close()


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _texts_in_every_language(text: Text) -> set[str]:
    found = set()
    for lang in i18n.LANGUAGES:
        if isinstance(text, tuple):
            found.add(_fold(i18n.translations("content", lang).pgettext(*text)))
        elif isinstance(text, i18n.Contextual):
            found.add(_fold(i18n.translations("ui", lang).pgettext(text.context, text.message)))
        else:
            found.add(_fold(i18n.translations("ui", lang).gettext(text)))
    return found


def _choice_lookup(f: Field) -> dict[str, str]:
    assert f.vocabulary is not None
    lookup = {}
    for option in f.vocabulary.all():
        lookup[_fold(option.code)] = option.code
        for text in _texts_in_every_language(option.label):
            lookup.setdefault(text, option.code)
    return lookup


_YES = {"yes", "true", "1", "y", "x"}
_NO = {"no", "false", "0", "n"}


class _CellError(ValueError):
    pass


def _decimal(raw: Any) -> int | float:
    if isinstance(raw, bool):
        raise _CellError(_("“{value}” is not a number").format(value=raw))
    if isinstance(raw, int | float):
        value: int | float = raw
    else:
        from babel.numbers import NumberFormatError, parse_decimal

        text = str(raw).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
        try:
            number = parse_decimal(text, locale=i18n.locale(), strict=True)
        except NumberFormatError:
            try:
                number = parse_decimal(text, locale="en", strict=True)
            except NumberFormatError:
                raise _CellError(_("“{value}” is not a number").format(value=raw)) from None
        value = int(number) if number == number.to_integral_value() else float(number)
    if value != value or value in (float("inf"), float("-inf")):
        raise _CellError(_("“{value}” is not a number").format(value=raw))
    return value


def _number(text: Any) -> int:
    if isinstance(text, bool):
        raise _CellError(_("not a whole number"))
    if isinstance(text, int):
        return text
    if isinstance(text, float) and text.is_integer():
        return int(text)
    try:
        return int(str(text).strip())
    except ValueError:
        raise _CellError(_("“{value}” is not a whole number").format(value=text)) from None


def _date(value: Any) -> dt.date | None:
    from d4a_desktop.i18n.dates import DateInputError, parse_date

    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(str(value))
    except DateInputError:
        raise _CellError(_("“{value}” is not a date (write 2027-03-31 or as your "
                           "language writes dates)").format(value=value)) from None


class _Reader:
    """Turns cells into values for one kind, with lookups built once."""

    def __init__(self, kind: Kind, ctx: Context):
        self.kind = kind
        self.ctx = ctx
        self.activities = set(ctx.activity_ids)
        self.choices = {f.name: _choice_lookup(f) for f in kind.fields if f.vocabulary}
        self.yes = _YES | _texts_in_every_language("Yes")
        self.no = _NO | _texts_in_every_language("No")

    def value(self, f: Field, raw: Any) -> Any:
        if isinstance(raw, str):
            raw = raw.strip()
            if raw.startswith("'") and raw[1:2] and raw[1] in "=+-@\t\r":
                raw = raw[1:]
        if raw == "" or raw is None:
            return f.empty()
        t = f.type
        if t is FieldType.DATE:
            return _date(raw)
        if t is FieldType.INTEGER:
            return _number(raw)
        if t is FieldType.NUMBER:
            return _decimal(raw)
        if t is FieldType.JSON:
            try:
                return freeze(json.loads(str(raw)))
            except ValueError:
                raise _CellError(_("“{value}” cannot be read").format(value=raw)) from None
        if t is FieldType.REFERENCE and f.refers_to:
            text = str(raw)
            names = {_fold(title): rid for rid, title in self.ctx.names(f.refers_to).items()}
            if self.ctx.kind_of(text) == f.refers_to:
                return text
            if _fold(text) in names:
                return names[_fold(text)]
            raise _CellError(_("“{value}” names no record of {register}").format(
                value=raw, register=kinds.kind(f.refers_to).plural_text()))
        if t is FieldType.YESNO:
            if isinstance(raw, bool):
                return raw
            folded = _fold(str(raw))
            if folded in self.yes:
                return True
            if folded in self.no:
                return False
            raise _CellError(_("“{value}” is not yes or no").format(value=raw))
        if t in (FieldType.CHOICE, FieldType.CHOICES):
            parts = [str(raw)] if t is FieldType.CHOICE else \
                [p for p in re.split(r"\s*;\s*", str(raw)) if p]
            codes = []
            for part in parts:
                code = self.choices[f.name].get(_fold(part))
                if code is None:
                    raise _CellError(_("“{value}” is not one of the choices").format(
                        value=part))
                codes.append(code)
            return codes[0] if t is FieldType.CHOICE else tuple(dict.fromkeys(codes))
        if t in (FieldType.ACTIVITY, FieldType.ACTIVITIES):
            parts = [p for p in re.split(r"[\s;,]+", str(raw)) if p]
            for part in parts:
                if part not in self.activities:
                    raise _CellError(_("“{value}” is not an activity of the roadmap").format(
                        value=part))
            return parts[0] if t is FieldType.ACTIVITY else tuple(dict.fromkeys(parts))
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        text = str(raw)
        if t is FieldType.TEXT:
            text = " ".join(text.splitlines())
        return text


def plan_import(kind: Kind, table: Sequence[Sequence[Any]], ctx: Context,
                today: dt.date | None = None) -> ImportPlan:
    """Check every row against the project ``ctx`` describes; nothing is written here.
    KPIs and measurements are also checked as the KPI page checks them
    (``services.monitoring.check_import``): a baseline and target that do not fit
    together, a measurement in the future, out of range or on a date that has one."""
    from d4a_desktop.core import records as rec

    existing = {r.id: r for r in ctx.records.get(kind.name, ())}
    activity_ids = ctx.activity_ids

    plan = ImportPlan(kind.name)
    if not table:
        plan.problems.append(RowProblem(1, "", _("the file has no header row")))
        return plan
    header = [str(h).strip() for h in table[0]]
    known = set(columns(kind))
    for name in header:
        if name not in known:
            plan.problems.append(RowProblem(1, name, _("unknown column; the columns of "
                                                       "this register are: {names}").format(
                names=", ".join(columns(kind)))))
    if len(set(header)) != len(header):
        plan.problems.append(RowProblem(1, "", _("a column appears twice")))
    required = [f.name for f in kind.fields if f.required]
    if plan.problems:
        return plan
    reader = _Reader(kind, ctx)
    seen: dict[str, int] = {}
    computed = {c.name for c in kind.computed}
    for number, raw_row in enumerate(table[1:], 2):
        cells = dict(zip(header, list(raw_row) + [""] * (len(header) - len(raw_row)),
                         strict=False))
        rid = str(cells.get("id", "") or "").strip()
        values: dict[str, Any] = {}
        row_problems = []
        for name, raw in cells.items():
            if name == "id" or name in computed:
                continue
            f = kind.field(name)
            try:
                values[name] = reader.value(f, raw)
            except _CellError as exc:
                row_problems.append(RowProblem(number, name, str(exc)))
        if rid:
            try:
                rid = str(uuid.UUID(rid))
            except ValueError:
                row_problems.append(RowProblem(number, "id", _("“{value}” is not an id this "
                                                               "program wrote").format(
                    value=rid)))
            if rid in seen:
                row_problems.append(RowProblem(number, "id", _("the same id is in row {row}")
                                               .format(row=seen[rid])))
            seen[rid] = number
            if rid not in existing and ctx.kind_of(rid) not in (None, kind.name):
                row_problems.append(RowProblem(number, "id", _("this id belongs to a record "
                                                               "of another register")))
        current = existing.get(rid) if rid else None
        if not row_problems:
            if current is None:
                missing = [n for n in required if n not in header]
                for name in missing:
                    row_problems.append(RowProblem(number, name, _("required column is "
                                                                   "missing")))
                for problem in rec.validate(kind, values, activity_ids=activity_ids):
                    row_problems.append(RowProblem(number, problem.field, problem.message))
            else:
                for problem in rec.validate(kind, values, partial=True,
                                            activity_ids=activity_ids):
                    row_problems.append(RowProblem(number, problem.field, problem.message))
        if row_problems:
            plan.problems.extend(row_problems)
            continue
        if current is None:
            rid = rid or str(uuid.uuid4())
            plan.creates.append((rid, values))
            plan.rows[rid] = number
        else:
            changes = {k: v for k, v in values.items() if current.values.get(k) != v}
            if changes:
                plan.updates.append((rid, changes))
                plan.rows[rid] = number
            else:
                plan.unchanged += 1
    if plan.ok and kind.name in ("kpis", "measurements"):
        from d4a_desktop.services import monitoring

        monitoring.check_import(plan, ctx, today)
    return plan


def kind_named(name: str) -> Kind:
    """The kind called ``name``; SpreadsheetError listing the valid names otherwise."""
    # Only registers: answers, versions, comments and reviews are written by the tool
    # forms and panels, whose checks a spreadsheet would pass by.
    found = next((k for k in kinds.REGISTERS if k.name == name), None)
    if found is None:
        raise SpreadsheetError(_("“{name}” is not a register; use one of: {names}").format(
            name=name, names=", ".join(k.name for k in kinds.REGISTERS)))
    return found


def columns_reference() -> str:
    """``docs/spreadsheets.md``: every register's columns, in English (a developer runs
    ``python -m d4a_desktop.services.spreadsheets`` after changing a declaration; a test
    fails while the file and the declarations disagree)."""
    kinds_text = {
        FieldType.TEXT: "text (one line)", FieldType.LONGTEXT: "text",
        FieldType.URL: "web address", FieldType.DATE: "date (2027-03-31, or as the language "
                                                       "writes dates)",
        FieldType.INTEGER: "whole number", FieldType.NUMBER: "number (1234.5 or 1234,5)",
        FieldType.YESNO: "yes or no (in any of the seven languages)",
        FieldType.CHOICE: "one of the codes below, or its label in any of the seven languages",
        FieldType.CHOICES: "several codes or labels, separated by \";\"",
        FieldType.ACTIVITY: "a roadmap activity id such as c2.a1",
        FieldType.ACTIVITIES: "activity ids separated by \";\"",
        FieldType.REFERENCE: "the name or id of a record of the register named",
        FieldType.JSON: "JSON",
    }
    lines = [
        "# Registers as spreadsheets",
        "",
        "Generated from `d4a_desktop/core/kinds.py` by "
        "`python -m d4a_desktop.services.spreadsheets`; do not edit by hand.",
        "",
        "Every register exports to CSV (UTF-8 with a byte-order mark; \",\" between columns "
        "in English, \";\" in the other six languages, as their spreadsheet programs expect) "
        "and to .xlsx, and imports from both (`d4a records export|import`, or the register "
        "page's Export… and Import…). The first row names the columns below; their order "
        "does not matter and any column but `id` and the required ones may be left out.",
        "",
        "- `id`: empty for a new record; the id of an existing record updates it. An id "
        "that the project does not have yet adds the record under that id, so an export "
        "imports into an empty project as the same records.",
        "- Import is all or nothing: one rejected row (its number, column and reason are "
        "listed) and nothing is written.",
        "- Cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a "
        "carriage return) are written with a leading apostrophe, which import removes.",
        "- Computed columns (a risk's score) are written for reading and ignored on import.",
        "",
    ]
    for kind in kinds.REGISTERS:
        with with_english():
            lines += [f"## `{kind.name}`: {kind.plural_text()}", "", "| column | type | "
                      "required |", "|---|---|---|", "| `id` | record id | no |"]
            vocabularies = []
            for f in kind.fields:
                t = kinds_text[f.type]
                if f.type is FieldType.REFERENCE and f.refers_to:
                    t = f"{t} (`{f.refers_to}`)"
                lines.append(f"| `{f.name}` | {t} | {'yes' if f.required else 'no'} |")
                if f.vocabulary is not None:
                    vocabularies.append(f)
            for c in kind.computed:
                lines.append(f"| `{c.name}` | computed, not imported | no |")
            lines.append("")
            for f in vocabularies:
                assert f.vocabulary is not None
                lines.append(f"Codes of `{f.name}`: " + ", ".join(
                    f"`{o.code}` ({o.text()})" for o in f.vocabulary.all()) + ".")
                lines.append("")
    return "\n".join(lines)


@contextlib.contextmanager
def with_english() -> Iterator[None]:
    previous = i18n.language()
    i18n.set_language("en")
    try:
        yield
    finally:
        i18n.set_language(previous)


if __name__ == "__main__":  # pragma: no cover - a developer tool
    target = Path(__file__).resolve().parents[2] / "docs" / "spreadsheets.md"
    atomic.write_text(target, columns_reference())
    print(f"Wrote {target}")
