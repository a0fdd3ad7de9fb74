"""Many partners' packages in one overview: the consortium's portfolio.

A folder of packages (a shared folder, or a project's inbox) gives one row per project:
municipality, country, domain, progress per component and per dimension, when it was last
changed, and its KPIs. Progress is computed from each package's answers with the same
rules as the program's own (``core/progress.py``), without making a project file. A
package that cannot be read is listed with the reason, never stops the overview. Several
packages of one project (copies on several laptops) count once, the newest.

KPI status (on track, at risk, off track) comes from ``core/kpi.py`` through
``services/monitoring.py``, the rule the KPI page shows; :func:`kpi_summary` counts KPIs,
measured KPIs and KPIs per status.

:func:`export` writes the overview as CSV, .xlsx or a printed PDF
(``services/printing/portfolio.py``), in the order the user sorted it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from d4a_desktop.core import kinds
from d4a_desktop.core import progress as progress_mod
from d4a_desktop.core.progress import Tally
from d4a_desktop.core.project import ActivityState, ItemState, ProjectMeta, ProjectState
from d4a_desktop.core.records import FieldType, Kind, Record
from d4a_desktop.core.vocab import Condition, Dimension, Status
from d4a_desktop.i18n import _
from d4a_desktop.services.exchange import package as pkg
from d4a_desktop.services.exchange.errors import Cancelled, ExchangeError
from d4a_desktop.storage import atomic
from d4a_desktop.storage.codec import freeze


@dataclass(frozen=True)
class KpiSummary:
    """How a partner's KPIs stand, counted for one row of the portfolio by the rule of the KPI page.
    A status count is None, not 0, while no KPI has a status, so "not measured yet" is not "none
    off track"."""

    total: int = 0       # KPIs (tombstones left out)
    measured: int = 0    # KPIs with at least one measurement
    #: Counts by status (``core/kpi.py``); None when no KPI has one (nothing measured
    #: against a baseline and target yet).
    on_track: int | None = None
    off_track: int | None = None
    at_risk: int | None = None


@dataclass(frozen=True)
class Entry:
    """One project of the portfolio."""

    path: Path
    project_id: str
    title: str
    municipality: str
    country: str
    domain: str
    tandem_partner: str
    overall: Tally
    components: dict[str, Tally]
    dimensions: dict[Dimension, Tally]
    #: The last change in the project (its change log), else when it was exported.
    last_update: dt.datetime
    exported_at: dt.datetime
    author: str
    kpis: KpiSummary
    records: dict[str, int]
    #: Written by a newer program: shown as far as this one understands it.
    partial: bool = False
    #: How many packages of this project the folder holds (the newest is shown).
    copies: int = 1


@dataclass
class Portfolio:
    """The overview of one folder of packages: a row per project, and the files that could not be
    read with the reason, so that one broken package never hides the others."""

    folder: Path
    entries: list[Entry] = field(default_factory=list)
    #: Files that could not be read: (file name, translated reason).
    problems: list[tuple[str, str]] = field(default_factory=list)

    def sorted(self, key: str = "municipality", *, descending: bool = False) -> list[Entry]:
        """The entries in the order of ``key``, a column's key in :func:`columns`
        (``municipality``, ``overall``, ``component:c1``, ``dimension:technology`` …);
        texts in the interface language's alphabetical order."""
        return sorted(self.entries, key=sort_key(key), reverse=descending)


def sort_key(key: str) -> Callable[[Entry], Any]:
    from d4a_desktop.i18n.collation import sort_key as text_key

    def then(value: Callable[[Entry], Any]) -> Callable[[Entry], Any]:
        return lambda e: (value(e), text_key(e.municipality))

    if key in ("municipality", "country", "domain", "title", "tandem_partner", "author"):
        return lambda e: (text_key(getattr(e, key)), text_key(e.municipality))
    if key == "overall":
        return then(lambda e: e.overall.fraction)
    if key in ("last_update", "exported_at"):
        return then(lambda e: getattr(e, key))
    if key == "kpis":
        return then(lambda e: e.kpis.total)
    if key == "kpis_measured":
        return then(lambda e: e.kpis.measured)
    if key in ("on_track", "at_risk", "off_track"):
        # KPIs without a status yet sort before any count
        return then(lambda e: -1 if getattr(e.kpis, key) is None else getattr(e.kpis, key))
    if key == "package":
        return then(lambda e: text_key(e.path.name))
    if key.startswith("component:"):
        cid = key.split(":", 1)[1]
        return then(lambda e: e.components.get(cid, Tally()).fraction)
    if key.startswith("dimension:"):
        dim = Dimension(key.split(":", 1)[1])
        return then(lambda e: e.dimensions[dim].fraction)
    raise ValueError(key)


def columns(with_status: bool) -> list[tuple[str, str]]:
    """The overview's columns as (translated heading, sort key), in the order of
    :func:`table`: the program sorts an export by the column the user sorted the table by.
    """
    from d4a_desktop.services.roadmap import roadmap

    found = [(_("Municipality"), "municipality"), (_("Country"), "country"),
             (_("Domain"), "domain"), (_("Project"), "title"),
             (_("Tandem partner"), "tandem_partner"), (_("Overall"), "overall")]
    found += [(f"{c.number}. {c.title}", f"component:{c.id}") for c in roadmap().components]
    found += [(d.label(), f"dimension:{d.value}") for d in Dimension]
    found += [(_("Last update"), "last_update"), (_("KPIs"), "kpis"),
              (_("KPIs measured"), "kpis_measured")]
    if with_status:
        found += [(_("KPIs on track"), "on_track"), (_("KPIs at risk"), "at_risk"),
                  (_("KPIs off track"), "off_track")]
    found += [(_("Exported on"), "exported_at"), (_("Exported by"), "author"),
              (_("Package"), "package")]
    return found


def sort_keys() -> list[str]:
    """Every key the overview can be sorted by (a column of the table, or the package)."""
    return [key for _label, key in columns(True)]


def column_label(key: str) -> str:
    """The heading of the column ``key`` sorts by."""
    return next((label for label, k in columns(True) if k == key), key)


def with_status(entries: Iterable[Entry]) -> bool:
    """Whether any KPI of the entries has a status: only then the status columns show."""
    return any(e.kpis.on_track is not None for e in entries)


# --- from a package's snapshot to plain data -------------------------------------------------

def _time(text: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(text)).replace(tzinfo=None) if text else None
    except ValueError:
        return None


def _date(text: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def state_of(snapshot: Mapping[str, Any]) -> ProjectState:
    """The answers about the roadmap in a package, as the progress rules read them."""
    project = snapshot["project"]
    meta = ProjectMeta(id=project["id"], title=project.get("title", ""),
                       municipality=project.get("municipality", ""),
                       country=project.get("country", ""), domain=project.get("domain", ""),
                       language=project.get("language", "en"),
                       tandem_partner=project.get("tandem_partner", ""),
                       roadmap_version=project.get("roadmap_version", ""),
                       created_at=_time(project.get("created_at")),
                       modified_at=_time(project.get("modified_at")),
                       author=project.get("author", ""))
    state = snapshot.get("state", {})
    activities = {}
    for entry in state.get("activity", ()):
        values = entry["values"]
        try:
            status = Status(values.get("status", Status.NOT_STARTED.value))
        except ValueError:
            status = Status.NOT_STARTED
        activities[entry["key"]] = ActivityState(
            entry["key"], status, values.get("na_reason", ""),
            planned_start=_date(values.get("planned_start")),
            planned_end=_date(values.get("planned_end")))
    items = {e["key"]: ItemState(e["key"], bool(e["values"].get("done")),
                                 e["values"].get("owner", ""),
                                 _date(e["values"].get("due_date")), e["values"].get("note", ""))
             for e in state.get("item", ())}
    conditions: dict[Condition, bool | None] = {}
    for entry in state.get("condition", ()):
        try:
            conditions[Condition(entry["key"])] = entry["values"].get("applies")
        except ValueError:
            continue
    return ProjectState(meta, activities, items, conditions)


def records_of(snapshot: Mapping[str, Any], kind: Kind, *,
               include_deleted: bool = False) -> list[Record]:
    """A kind's records in a package, with values as storage returns them."""
    found = []
    for entry in snapshot.get("records", {}).get(kind.name, ()):
        if entry.get("deleted") and not include_deleted:
            continue
        values = {f.name: _value(f.type, entry["values"].get(f.name, f.empty()))
                  for f in kind.fields}
        found.append(Record(kind.name, entry["id"], values, _time(entry.get("created_at")),
                            _time(entry.get("modified_at")), entry.get("author", ""),
                            bool(entry.get("deleted"))))
    return found


def _value(t: FieldType, value: Any) -> Any:
    if t is FieldType.DATE:
        return _date(value)
    if t.is_list:
        return tuple(value or ())
    if t is FieldType.JSON:
        return freeze(value)
    return value


def kpi_status(kpi: Record, measurements: Sequence[Record], today: dt.date) -> str | None:
    """Whether a KPI is ``on-track``, ``at-risk`` or ``off-track`` by the program's rule
    (``core/kpi.py``), or None when it cannot be told (no baseline, target or measurement).
    """
    from d4a_desktop.core.kpi import Status
    from d4a_desktop.services.monitoring import kpi_status as status_of

    found = status_of(kpi, measurements, today).status
    return None if found is Status.NO_DATA else found.value


def kpi_summary(kpis: Sequence[Record], measurements: Sequence[Record],
                today: dt.date | None = None) -> KpiSummary:
    live = [k for k in kpis if not k.deleted]
    by_kpi: dict[str, list[Record]] = {}
    for m in measurements:
        if not m.deleted:
            by_kpi.setdefault(str(m.get("kpi")), []).append(m)
    statuses = [kpi_status(k, by_kpi.get(k.id, []), today or dt.date.today()) for k in live]
    known = [s for s in statuses if s is not None]
    return KpiSummary(
        total=len(live), measured=sum(1 for k in live if by_kpi.get(k.id)),
        on_track=statuses.count("on-track") if known else None,
        at_risk=statuses.count("at-risk") if known else None,
        off_track=statuses.count("off-track") if known else None)


def entry_of(package: pkg.Package) -> Entry:
    from d4a_desktop.services.roadmap import english_roadmap

    snap = package.snapshot
    state = state_of(snap)
    prog = progress_mod.compute(english_roadmap(), state)
    times = [t for t in (_time(c.get("at")) for c in snap.get("changes", ())) if t]
    times += [t for t in (state.meta.modified_at,) if t]
    counts = {k.name: sum(1 for e in snap.get("records", {}).get(k.name, ())
                          if not e.get("deleted")) for k in kinds.KINDS}
    m = state.meta
    return Entry(
        path=package.path, project_id=package.project_id, title=m.title,
        municipality=m.municipality, country=m.country, domain=m.domain,
        tandem_partner=m.tandem_partner, overall=prog.overall,
        components=dict(prog.components), dimensions=dict(prog.dimensions),
        last_update=max(times) if times else package.manifest.exported_at,
        exported_at=package.manifest.exported_at, author=package.manifest.author,
        kpis=kpi_summary(records_of(snap, kinds.kind("kpis")),
                         records_of(snap, kinds.kind("measurements"))),
        records=counts, partial=package.partial)


def read_portfolio(folder: Path | str, *, limits: pkg.Limits = pkg.LIMITS,
                   progress: Callable[[int, int], None] | None = None,
                   cancel: threading.Event | None = None) -> Portfolio:
    """The overview of every package in ``folder`` (not its subfolders)."""
    folder = Path(folder)
    result = Portfolio(folder)
    try:
        paths = sorted(p for p in folder.iterdir()
                       if p.suffix.lower() == pkg.SUFFIX and not p.name.startswith("."))
    except OSError as exc:
        raise ExchangeError(_("{name} cannot be read: {reason}").format(
            name=folder, reason=exc.strerror or exc), "unreadable", folder) from exc
    newest: dict[str, Entry] = {}
    for n, path in enumerate(paths):
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        if progress is not None:
            progress(n, len(paths))
        try:
            entry = entry_of(pkg.read_package(path, limits=limits))
        except ExchangeError as exc:
            result.problems.append((path.name, exc.message))
            continue
        seen = newest.get(entry.project_id)
        copies = 1 + (seen.copies if seen else 0)
        if seen is None or (entry.last_update, entry.exported_at) > (seen.last_update,
                                                                     seen.exported_at):
            newest[entry.project_id] = replace(entry, copies=copies)
        else:
            newest[entry.project_id] = replace(seen, copies=copies)
    result.entries = list(newest.values())
    return result


# --- export -------------------------------------------------------------------------------

def table(portfolio: Portfolio, key: str = "municipality", *,
          descending: bool = False) -> tuple[list[str], list[list[Any]]]:
    """Header and rows: texts, fractions (0–1), dates, counts — for CSV and .xlsx."""
    from d4a_desktop.services.roadmap import roadmap

    components = roadmap().components
    entries = portfolio.sorted(key, descending=descending)
    status = with_status(entries)
    header = [label for label, _key in columns(status)]
    rows = []
    for e in entries:
        row: list[Any] = [e.municipality, e.country, e.domain, e.title, e.tandem_partner,
                          e.overall.fraction]
        row += [e.components.get(c.id, Tally()).fraction for c in components]
        row += [e.dimensions[d].fraction for d in Dimension]
        row += [e.last_update.date(), e.kpis.total, e.kpis.measured]
        if status:
            row += [e.kpis.on_track, e.kpis.at_risk, e.kpis.off_track]
        row += [e.exported_at.date(), e.author, e.path.name]
        rows.append(row)
    return header, rows


def _is_fraction(header: Sequence[str], index: int) -> bool:
    """Progress columns: Overall, the components and the dimensions."""
    from d4a_desktop.services.roadmap import roadmap

    return 5 <= index < 6 + len(roadmap().components) + len(Dimension)


#: What the overview can be written as, by the file's suffix.
FORMATS = (".xlsx", ".csv", ".pdf")


def export(portfolio: Portfolio, path: Path | str, key: str = "municipality", *,
           descending: bool = False, today: dt.date | None = None,
           progress: Callable[[float], None] | None = None,
           cancel: threading.Event | None = None) -> Path:
    """Write the overview to ``path``, atomically: a PDF for .pdf, .xlsx, else CSV.

    ``progress`` hears fractions from 0 to 1 while a PDF is laid out; setting ``cancel``
    stops it with :class:`Cancelled`, and nothing is written.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".pdf":
            atomic.write_bytes(path, _pdf(portfolio, key, descending, today, progress, cancel))
        else:
            header, rows = table(portfolio, key, descending=descending)
            if suffix == ".xlsx":
                _xlsx(path, header, rows)
            else:
                _csv(path, header, rows)
    except OSError as exc:
        raise ExchangeError(atomic.failure(path, exc), "cannot-write", path) from exc
    return path


def _pdf(portfolio: Portfolio, key: str, descending: bool, today: dt.date | None,
         progress: Callable[[float], None] | None, cancel: threading.Event | None) -> bytes:
    from d4a_desktop.services import printing
    from d4a_desktop.services.printing.portfolio import portfolio_pdf

    def report(fraction: float) -> None:
        if cancel is not None and cancel.is_set():
            raise printing.Cancelled()
        if progress is not None:
            progress(fraction)

    try:
        return portfolio_pdf(portfolio, key, descending=descending, today=today,
                             progress=report).data
    except printing.Cancelled:
        raise Cancelled() from None


def _text(value: Any) -> str:
    from d4a_desktop.services.spreadsheets import _neutralise

    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return _neutralise(str(value))


def _csv(path: Path, header: list[str], rows: Iterable[list[Any]]) -> None:
    from d4a_desktop.services.spreadsheets import csv_delimiter

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=csv_delimiter(), lineterminator="\r\n")
    names = [f"{h} (%)" if _is_fraction(header, i) else h for i, h in enumerate(header)]
    writer.writerow([_text(h) for h in names])
    for row in rows:
        writer.writerow([str(round(v * 100)) if _is_fraction(header, i) else _text(v)
                         for i, v in enumerate(row)])
    atomic.write_bytes(path, ("\ufeff" + buffer.getvalue()).encode("utf-8"))


def _xlsx(path: Path, header: list[str], rows: Iterable[list[Any]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Portfolio")[:31]
    sheet.append([_text(h) for h in header])
    for row in rows:
        sheet.append([v if isinstance(v, int | float | dt.date) else _text(v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, name in enumerate(header, 1):
        letter = get_column_letter(column)
        if _is_fraction(header, column - 1):
            for cell in sheet[letter][1:]:
                cell.number_format = "0%"
        elif any(isinstance(c.value, dt.date) for c in sheet[letter][1:]):
            for cell in sheet[letter][1:]:
                cell.number_format = "yyyy-mm-dd"
        sheet.column_dimensions[letter].width = min(40, max(10, len(name) + 2))
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    atomic.write_bytes(path, buffer.getvalue())
