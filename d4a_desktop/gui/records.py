"""The project's registers: one table model, filter, edit form and page for every kind.

Nothing here knows a particular kind. Columns, editors, labels, help and validation come
from the kind's declaration (``core/kinds.py``), so a kind that is declared gets a working
register page. The responsibility matrix (``gui/matrix.py``) is the one view made for a
kind; it sits beside the generic list on that kind's page.

The model holds plain :class:`Record` s. An edit goes out as a core command
(``editRequested``) that the window applies and puts on the undo stack; what changed comes
back as ``Change(kind, id)`` and the page re-reads that one record, so one edit repaints
one row, not the whole register.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QEvent,
    QLocale,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QShortcut,
    QShowEvent,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from d4a_desktop import i18n
from d4a_desktop.core import dashboard as dashboard_mod
from d4a_desktop.core import kinds
from d4a_desktop.core.commands import Batch, DeleteRecord, InvalidRecord
from d4a_desktop.core.content import Roadmap
from d4a_desktop.core.records import (
    Computed,
    Field,
    FieldType,
    Kind,
    Problem,
    Record,
    computed_values,
    title_of,
    translate,
)
from d4a_desktop.i18n import N_, NN_, _, ngettext
from d4a_desktop.i18n.collation import sort_key
from d4a_desktop.services import records as records_service
from d4a_desktop.services.projects import ProjectSession

_Index = QModelIndex | QPersistentModelIndex
RecordIdRole = Qt.ItemDataRole.UserRole + 20
WARNING = QColor("#b03a2e")
T = FieldType


# --- texts that depend on the kind -----------------------------------------------------------

#: Per kind: the count ("12 datasets") and the button of an empty page. A kind missing here
#: still works, with the generic wording below.
_KIND_TEXTS: dict[str, tuple[tuple[str, str], str]] = {
    "team": (NN_("{count} team member", "{count} team members"),
             N_("Add the first team member…")),
    "responsibilities": (NN_("{count} responsibility", "{count} responsibilities"),
                         N_("Add the first responsibility…")),
    "decisions": (NN_("{count} decision", "{count} decisions"),
                  N_("Record the first decision…")),
    "datasets": (NN_("{count} dataset", "{count} datasets"), N_("Add the first dataset…")),
    "risks": (NN_("{count} risk", "{count} risks"), N_("Add the first risk…")),
    "milestones": (NN_("{count} milestone", "{count} milestones"),
                   N_("Add the first milestone…")),
}


def count_text(kind: Kind, count: int) -> str:
    """"12 datasets" in the interface language."""
    if kind.name in _KIND_TEXTS:
        singular, plural = _KIND_TEXTS[kind.name][0]
        return ngettext(singular, plural, count).format(count=i18n.format_number(count))
    return ngettext("{count} record", "{count} records", count).format(
        count=i18n.format_number(count))


def add_first_text(kind: Kind) -> str:
    if kind.name in _KIND_TEXTS:
        return _(_KIND_TEXTS[kind.name][1])
    return _("Add the first record…")


def fold(text: str) -> str:
    """Text as the filter compares it: case and accents ignored."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# --- what values refer to --------------------------------------------------------------------

class Lookups:
    """What record values name, for showing them: roadmap activities by number and title,
    records of other kinds by title (a responsibility's team member)."""

    def __init__(self, roadmap: Roadmap):
        self.activities = list(roadmap.activities())
        self._order = {a.id: n for n, a in enumerate(self.activities)}
        self._number = {a.id: f"{roadmap.component(a.component_id).number}.{a.number}"
                        for a in self.activities}
        self._title = {a.id: a.title for a in self.activities}
        self._component = {a.id: a.component_id for a in self.activities}
        #: kind name → record id → title
        self.titles: dict[str, dict[str, str]] = {}

    def activity_number(self, activity_id: str) -> str:
        return self._number.get(activity_id, activity_id)

    def activity_title(self, activity_id: str) -> str:
        return self._title.get(activity_id, activity_id)

    def activity_label(self, activity_id: str) -> str:
        if activity_id not in self._number:
            return activity_id
        return f"{self._number[activity_id]}  {self._title[activity_id]}"

    def activity_order(self, activity_id: str) -> int:
        return self._order.get(activity_id, len(self._order))

    def component_of(self, activity_id: str) -> str:
        return self._component.get(activity_id, "")

    def reference(self, kind: str, record_id: str) -> str:
        # Translators: shown for a team member (or other record) that was deleted.
        return self.titles.get(kind, {}).get(record_id) or _("(deleted)")

    def load_titles(self, session: ProjectSession, kind_names: Iterable[str]) -> None:
        for name in kind_names:
            k = kinds.kind(name)
            self.titles[name] = {r.id: title_of(k, r) for r in session.records(name)}


def referenced_kinds(kind: Kind) -> tuple[str, ...]:
    return tuple(f.refers_to for f in kind.fields if f.type is T.REFERENCE and f.refers_to)


def cell_text(f: Field, value: Any, lookups: Lookups, *, full: bool = False) -> str:
    """A value as a table cell shows it; long text shows its first line unless ``full``."""
    if f.is_empty(value):
        return ""
    if f.type is T.ACTIVITY:
        return lookups.activity_label(value)
    if f.type is T.ACTIVITIES:
        if full:
            return "\n".join(lookups.activity_label(v) for v in value)
        return i18n.join_tags(lookups.activity_number(v) for v in value)
    if f.type is T.REFERENCE:
        return lookups.reference(f.refers_to or "", value)
    text = f.display(value)
    if f.type is T.LONGTEXT and not full:
        first = text.strip().splitlines()[0] if text.strip() else ""
        return first[:200] + ("…" if len(first) > 200 or "\n" in text.strip() else "")
    return text


def _sort_value(f: Field, value: Any, lookups: Lookups) -> Any:
    """What orders a column: the value itself where it has an order, else its text as the
    language sorts it. Only ever compared with values of the same column."""
    t = f.type
    if t is T.DATE:
        return value.toordinal()
    if t is T.INTEGER:
        return value
    if t is T.YESNO:
        return 0 if value else 1
    if t is T.CHOICE and f.vocabulary is not None:
        codes = f.vocabulary.codes()
        return codes.index(value) if value in codes else len(codes)
    if t is T.ACTIVITY:
        return lookups.activity_order(value)
    if t is T.ACTIVITIES:
        return tuple(lookups.activity_order(v) for v in value)
    if t.is_text:
        return sort_key(value)
    return sort_key(cell_text(f, value, lookups))


# --- columns and the table model ---------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """One column of a register's table: a stored field or a computed value (a risk's score), never
    both. The columns a table shows first come from the kind's declaration."""

    name: str
    field: Field | None = None
    computed: Computed | None = None
    #: Shown unless the user hides it; the fields beyond the kind's table columns start
    #: hidden and can be shown from the header's menu.
    shown: bool = True

    def label(self) -> str:
        if self.field is not None:
            return self.field.label_text()
        assert self.computed is not None
        return translate(self.computed.label)

    def help(self) -> str:
        return self.field.help_text() if self.field is not None else ""

    @property
    def numeric(self) -> bool:
        kind = self.field.type if self.field is not None else \
            (self.computed.type if self.computed else T.TEXT)
        return kind is T.INTEGER


def columns_of(kind: Kind) -> list[Column]:
    """The kind's table columns, its computed values, then every other field (hidden)."""
    shown = [Column(name, kind.field(name)) for name in kind.table_columns()]
    shown += [Column(c.name, computed=c) for c in kind.computed]
    hidden = [Column(f.name, f, shown=False) for f in kind.fields
              if f.name not in kind.table_columns()]
    return shown + hidden


#: Fields a cell's colour reads besides its own (see ``_warn``).
_WARN_READS = {"risks": ("status",), "milestones": ("done",)}


def summary_fields(kind: Kind) -> tuple[str, ...] | None:
    """The fields a register's table needs until more is asked for: the columns shown,
    the title and what the warning colour reads. None when that is every field, or when
    the kind has computed columns (what they read is not declared)."""
    if kind.computed:
        return None
    names = {c.name for c in columns_of(kind) if c.shown and c.field is not None}
    names |= {kind.title_field, *_WARN_READS.get(kind.name, ())}
    if len(names) >= len(kind.fields):
        return None
    return tuple(f.name for f in kind.fields if f.name in names)


def first_fields(kind: Kind) -> tuple[str, ...]:
    """The fields a register reads of every record when its page opens: what it sorts by
    (the title, or the column it opens sorted by). The rest of a row is read when the
    row is first painted: a page shows a few dozen of 2,000 rows."""
    first = _DEFAULT_SORT.get(kind.name, (columns_of(kind)[0].name, None))[0]
    return tuple(f.name for f in kind.fields if f.name in (kind.title_field, first))


def _warn(kind: Kind, record: Record, column: Column, today: dt.date) -> bool:
    """Whether a cell deserves the warning colour: a high open risk's score, a review or
    milestone date that has passed without the matter being dealt with."""
    value = record.get(column.name)
    if kind.name == "risks":
        if column.name == "score":
            return dashboard_mod.is_open_high_risk(record)
        if column.name == "review_date":
            return isinstance(value, dt.date) and value < today and \
                record.get("status") in dashboard_mod.OPEN_RISK
    if kind.name == "milestones" and column.name == "date":
        return isinstance(value, dt.date) and value < today and not record.get("done")
    return False


class RecordTableModel(QAbstractTableModel):
    """The records of one kind, one row each, in the order the user sorted them and
    filtered to those that contain every word typed.

    The model sorts and filters itself, in Python over keys and texts it computes once per
    row, instead of leaving it to a QSortFilterProxyModel: the proxy would call ``data``
    from C++ for each of the tens of thousands of comparisons that sorting 2,000 rows
    takes, and it hides ``multiData`` from the view, whose delegate then asks seven
    roles of each painted cell one call at a time (each call through the proxy and into
    Python). Here a painted cell is one ``multiData`` call. ``rowCount`` is what is
    shown; ``records`` and ``total`` are every record.

    Cell texts and filter texts are computed when first asked for and kept per row, so a
    large register opens quickly and one changed record recomputes one row.

    A page can fill it with summaries (records holding only ``summary_fields``) and a way
    to read whole ones: a row is read whole when it is handed out (``record``), and every
    row at once when all fields are needed (the filter, the rules, an export, a hidden
    column shown, a sort by such a column).
    """

    def __init__(self, kind: Kind, lookups: Lookups, parent: QObject | None = None):
        super().__init__(parent)
        self.kind = kind
        self.lookups = lookups
        self.columns = columns_of(kind)
        self._labels = [c.label() for c in self.columns]
        self._numeric = [c.numeric for c in self.columns]
        self._warns = kind.name in _WARN_READS
        #: Per column of a few values each shown the same way (choices, yes/no, dates,
        #: numbers): value → text, so that a value is translated and formatted once.
        self._texts: dict[int, dict[Any, str]] = {
            n: {} for n, c in enumerate(self.columns)
            if c.field is not None and c.field.type in _TEXT_PER_VALUE}
        self.today = dt.date.today()
        #: Every record, in sorted order; the caches below are aligned with it.
        self._all: list[Record] = []
        self._pos: dict[str, int] = {}
        self._cells: list[list[str | None] | None] = []
        self._hay: list[str | None] = []
        self._keys: dict[int, list[Any]] = {}
        #: The rows shown: positions in ``_all``, in order, and the row of each position.
        self._shown: list[int] = []
        self._row: dict[int, int] = {}
        self._words: tuple[str, ...] = ()
        #: Reads whole records, of one id or (None) all, while rows hold summaries.
        self._read: Callable[[str | None], Sequence[Record]] | None = None
        #: Reads records (of some ids, or None: all) with the table's fields, while rows
        #: hold fewer.
        self._read_table: Callable[[Sequence[str] | None], Sequence[Record]] | None = None
        #: The fields every row holds while rows hold summaries.
        self._held: frozenset[str] = frozenset()
        #: How many fields a row needs to be painted (the table's), when read in parts.
        self._table_count = len(summary_fields(kind) or ())
        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder

    # --- contents ---------------------------------------------------------------------

    def set_records(self, records: Sequence[Record], *,
                    read: Callable[[str | None], Sequence[Record]] | None = None,
                    read_table: Callable[[Sequence[str] | None], Sequence[Record]] | None = None,
                    ) -> None:
        """Show ``records``; with ``read``, they are summaries and ``read`` reads whole
        records: the one with an id, or (None) every one of the kind. With
        ``read_table``, which reads records (of some ids, or None: every one) with the
        table's fields (``summary_fields``), they may hold fewer (the fields to sort by
        when the page opens): rows get the table's fields when they are first painted,
        a block at a time."""
        self.beginResetModel()
        self._read, self._read_table = read, read_table
        self._all = [r for r in records if not r.deleted]
        self._held = frozenset(self._all[0].values) if read is not None and self._all \
            else frozenset()
        self._cells = [None] * len(self._all)
        self._hay = [None] * len(self._all)
        self._keys.clear()
        self._hold(self.sort_column, quietly=True)  # sorted by a column the rows lack
        order = self._order()
        self._all = [self._all[n] for n in order]
        self._keys = {col: [keys[n] for n in order] for col, keys in self._keys.items()}
        self._pos = {r.id: n for n, r in enumerate(self._all)}
        if self._words:
            self._complete_quietly()
        self._set_shown(self._filtered())
        self.today = dt.date.today()
        self.endResetModel()

    @property
    def total(self) -> int:
        """How many records there are, shown or not."""
        return len(self._all)

    def records(self) -> list[Record]:
        """Every record, whole, shown or not (in the sorted order)."""
        self.complete()
        return list(self._all)

    def record(self, row: int) -> Record:
        """The record of a row shown, whole."""
        pos = self._shown[row]
        record = self._all[pos]
        if self._is_summary(record):
            assert self._read is not None
            found = [r for r in self._read(record.id) if not r.deleted]
            if found:
                record = self._all[pos] = found[0]
                self._cells[pos] = self._hay[pos] = None
                self.dataChanged.emit(self.index(row, 0),
                                      self.index(row, len(self.columns) - 1))
        return record

    def title(self, row: int) -> str:
        return title_of(self.kind, self._all[self._shown[row]])

    def _is_summary(self, record: Record) -> bool:
        return self._read is not None and len(record.values) < len(self.kind.fields)

    def complete(self) -> None:
        """Read every row whole, once (the first time all fields are needed)."""
        if self._complete_quietly() and self._shown:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._shown) - 1, len(self.columns) - 1))

    def _complete_quietly(self) -> bool:
        read, self._read = self._read, None
        if read is None or not self._all:
            return False
        self._read_table = None
        whole = {r.id: r for r in read(None) if not r.deleted}
        self._all = [whole.get(r.id, r) for r in self._all]
        self._held = frozenset(f.name for f in self.kind.fields)
        self._cells = [None] * len(self._all)
        self._hay = [None] * len(self._all)
        shown = summary_fields(self.kind) or ()
        for col in [c for c in self._keys if self.columns[c].name not in shown]:
            del self._keys[col]
        return True

    def row_of(self, record_id: str) -> int:
        """The row that shows a record; -1 when there is none (or the filter hides it)."""
        return self._row.get(self._pos.get(record_id, -1), -1)

    def put(self, record_id: str, record: Record | None) -> None:
        """Show ``record`` as it is now: a new row, a changed row, or (deleted or gone)
        no row; a row whose sort value changed moves to its place. A row shown stays
        shown though the filter would no longer find it (as in a spreadsheet, the row
        one works on does not vanish; typing in the filter again filters it); a new or
        changed record that the filter finds joins the rows shown."""
        pos = self._pos.get(record_id)
        if record is None or record.deleted:
            if pos is None:
                return
            row = self._row.get(pos, -1)
            if row >= 0:
                self.beginRemoveRows(QModelIndex(), row, row)
            del self._all[pos]
            del self._cells[pos]
            del self._hay[pos]
            for keys in self._keys.values():
                del keys[pos]
            self._pos = {r.id: n for n, r in enumerate(self._all)}
            self._set_shown([p - (p > pos) for p in self._shown if p != pos])
            if row >= 0:
                self.endRemoveRows()
            return
        if pos is None:
            pos = len(self._all)
            self._all.append(record)
            self._pos[record.id] = pos
            self._cells.append(None)
            self._hay.append(None)
            for col, keys in self._keys.items():
                keys.append(self._key(record, col))
            if self._accepts(pos):
                row = len(self._shown)
                self.beginInsertRows(QModelIndex(), row, row)
                self._set_shown([*self._shown, pos])
                self.endInsertRows()
        else:
            self._all[pos] = record
            self._cells[pos] = None
            self._hay[pos] = None
            for col, keys in self._keys.items():
                keys[pos] = self._key(record, col)
            row = self._row.get(pos, -1)
            if row >= 0:
                self.dataChanged.emit(self.index(row, 0),
                                      self.index(row, len(self.columns) - 1))
            elif self._accepts(pos):
                self._rearrange({*self._shown, pos})
                return
        self._rearrange(set(self._shown))

    def refresh_references(self) -> None:
        """Repaint every row after the records it names changed (a member renamed)."""
        if not self._all or not referenced_kinds(self.kind):
            return
        self._cells = [None] * len(self._all)
        self._hay = [None] * len(self._all)
        self._keys.clear()
        if self._shown:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._shown) - 1, len(self.columns) - 1))
        self._rearrange(set(self._shown))

    # --- filtering ----------------------------------------------------------------------

    @property
    def filtering(self) -> bool:
        """Whether a filter is typed (``rowCount`` may then be less than ``total``)."""
        return bool(self._words)

    def set_filter_text(self, text: str) -> None:
        """Show the records that contain every word of ``text``, in any field, ignoring
        case and accents; rows that stay keep their selection."""
        words = filter_words(text)
        if words == self._words:
            return
        if words:
            self.complete()  # the filter looks in every field
        self._words = words
        self._rearrange()

    def _accepts(self, pos: int) -> bool:
        return not self._words or matches(self._haystack(pos), self._words)

    def _filtered(self) -> list[int]:
        if not self._words:
            return list(range(len(self._all)))
        return [n for n in range(len(self._all)) if matches(self._haystack(n), self._words)]

    def _set_shown(self, shown: list[int]) -> None:
        self._shown = shown
        self._row = {pos: row for row, pos in enumerate(shown)}

    def _haystack(self, pos: int) -> str:
        """Every field's full text of a record, folded, as the filter reads it."""
        hay = self._hay[pos]
        if hay is None:
            if self._is_summary(self._all[pos]):
                self._complete_quietly()  # the filter completes before it looks
            record = self._all[pos]
            hay = fold("\n".join(self._text(record, c, full=True) for c in self.columns))
            self._hay[pos] = hay
        return hay

    # --- sorting ------------------------------------------------------------------------

    def _hold(self, column: int, *, quietly: bool = False) -> None:
        """Make every row hold a column's field (to sort by it): read the table's fields
        of every record when it is one of the table's, else every record whole."""
        if self._read is None or not 0 <= column < len(self.columns) or \
                self.columns[column].name in self._held:
            return
        if self._read_table is None or \
                self.columns[column].name not in (summary_fields(self.kind) or ()):
            if quietly:
                self._complete_quietly()
            else:
                self.complete()
            return
        read, self._read_table = self._read_table, None
        table = {r.id: r for r in read(None) if not r.deleted}
        # Rows read whole (painted) stay whole; the others get the table's fields. The
        # texts kept are those of rows read whole: still right.
        self._all = [table[r.id] if r.id in table and len(r.values) < len(table[r.id].values)
                     else r for r in self._all]
        self._held = frozenset(summary_fields(self.kind) or ())

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._hold(column)
        self.sort_column, self.sort_order = column, order
        self._rearrange(set(self._shown))

    def _column_keys(self, col: int) -> list[Any]:
        keys = self._keys.get(col)
        if keys is None:
            f = self.columns[col].field
            if f is not None and f.type.is_text:  # the same keys as _key, in one loop
                name, empty = f.name, (1, 0)
                keys = [(0, sort_key(value)) if (value := r.values.get(name)) else empty
                        for r in self._all]
            else:
                keys = [self._key(r, col) for r in self._all]
            self._keys[col] = keys
        return keys

    def _order(self) -> list[int]:
        """Every record's position in sorted order: by value, stable, empty cells last
        either way."""
        count = len(self._all)
        if not 0 <= self.sort_column < len(self.columns):
            return list(range(count))
        keys = self._column_keys(self.sort_column)
        filled = [n for n in range(count) if not keys[n][0]]
        filled.sort(key=lambda n: keys[n][1],
                    reverse=self.sort_order == Qt.SortOrder.DescendingOrder)
        return filled + [n for n in range(count) if keys[n][0]]

    def _rearrange(self, keep: set[int] | None = None) -> None:
        """Sort again and show the rows the filter finds, or (``keep``) the records at
        those positions; tell the views (and move the indexes they keep, such as the
        selection) only when the rows shown or their order changed."""
        order = self._order()
        moved = order != list(range(len(order)))
        new_pos = [0] * len(order)
        for new, old in enumerate(order):
            new_pos[old] = new
        if not self._words:
            shown = list(range(len(order)))
        elif keep is None:
            shown = [n for n in range(len(order)) if self._accepts(order[n])]
        else:
            shown = [n for n in range(len(order)) if order[n] in keep]
        if not moved and shown == self._shown:
            return
        if [order[n] for n in shown] == self._shown:  # the same rows in the same order
            self._apply_order(order)
            self._set_shown(shown)
            return
        self.layoutAboutToBeChanged.emit()
        old_shown = self._shown
        self._apply_order(order)
        self._set_shown(shown)
        before = self.persistentIndexList()
        after = []
        for index in before:
            row = self._row.get(new_pos[old_shown[index.row()]], -1) \
                if 0 <= index.row() < len(old_shown) else -1
            after.append(self.index(row, index.column()) if row >= 0 else QModelIndex())
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _apply_order(self, order: list[int]) -> None:
        if order == list(range(len(order))):
            return
        self._all = [self._all[n] for n in order]
        self._cells = [self._cells[n] for n in order]
        self._hay = [self._hay[n] for n in order]
        for col, keys in self._keys.items():
            self._keys[col] = [keys[n] for n in order]
        self._pos = {r.id: n for n, r in enumerate(self._all)}

    # --- cells ------------------------------------------------------------------------

    def _value(self, record: Record, column: Column) -> Any:
        if column.computed is not None:
            return computed_values(self.kind, record.values).get(column.name)
        return record.get(column.name)

    def _text(self, record: Record, column: Column, full: bool = False) -> str:
        value = self._value(record, column)
        if column.field is not None:
            return cell_text(column.field, value, self.lookups, full=full)
        return "" if value is None else i18n.format_number(value)

    def _row_record(self, pos: int) -> Record:
        """A row's record with at least the table's fields. A row that holds fewer (read
        with the fields to sort by) gets them now, with the rows after it that lack them
        too (one read for the rows a paint shows), quietly: their cells are being
        painted for the first time."""
        record = self._all[pos]
        if len(record.values) < self._table_count and self._read_table is not None:
            block = range(pos, min(pos + _ROWS_READ_AT_ONCE, len(self._all)))
            lacking = [self._all[n].id for n in block
                       if len(self._all[n].values) < self._table_count]
            got = {r.id: r for r in self._read_table(lacking) if not r.deleted}
            for n in block:
                found = got.get(self._all[n].id)
                if found is not None and len(self._all[n].values) < len(found.values):
                    self._all[n] = found
                    self._cells[n] = self._hay[n] = None
            record = self._all[pos]
        return record

    def _cell(self, pos: int, col: int) -> str:
        """A cell's text, made when first painted (hidden columns never are)."""
        record = self._row_record(pos)
        cells = self._cells[pos]
        if cells is None:
            cells = self._cells[pos] = [None] * len(self.columns)
        text = cells[col]
        if text is None:
            column = self.columns[col]
            texts = self._texts.get(col)
            if texts is None:  # a column whose texts are not kept per value
                text = self._text(record, column)
            else:
                value = record.get(column.name)
                try:
                    text = texts.get(value)
                except TypeError:  # a value that is no key (a list): made each time
                    text = self._text(record, column)
                if text is None:
                    text = texts[value] = self._text(record, column)
            cells[col] = text
        return text

    def look(self, row: int, col: int) -> tuple[str, bool, bool] | None:
        """A cell as the table paints it: its text, whether it is right-aligned (a
        number), whether in the warning colour; None for a cell there is not."""
        if not (0 <= row < len(self._shown) and 0 <= col < len(self.columns)):
            return None
        pos = self._shown[row]
        return (self._cell(pos, col), self._numeric[col],
                self._warns and _warn(self.kind, self._all[pos], self.columns[col],
                                      self.today))

    def _key(self, record: Record, col: int) -> Any:
        column = self.columns[col]
        value = self._value(record, column)
        if value is None or value == "" or value == ():
            return (1, 0)
        if column.field is None:
            return (0, value)
        return (0, _sort_value(column.field, value, self.lookups))

    # --- the model interface ------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Asked some twenty times per column while the page is laid out: labels are kept.
        if role not in (_DISPLAY, _TOOLTIP) or not 0 <= section < len(self.columns) or \
                orientation != Qt.Orientation.Horizontal:
            return None
        if role == _DISPLAY:
            return self._labels[section]
        return self.columns[section].help() or None

    # ``flags`` is Qt's own (enabled and selectable): asked for every painted cell, it
    # costs nothing when it is not a call into Python.

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:
        # Qt's own asks rowCount and columnCount, two calls into Python for each of the
        # hundreds of indexes a paint of the table makes.
        if parent.isValid() or not (0 <= row < len(self._shown)
                                    and 0 <= column < len(self.columns)):
            return QModelIndex()
        return self.createIndex(row, column)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES:
            return None
        row, col = index.row(), index.column()
        if not index.isValid() or row >= len(self._shown) or col >= len(self.columns):
            return None
        pos = self._shown[row]
        if role == _DISPLAY:
            return self._cell(pos, col)
        if role == RecordIdRole:
            return self._all[pos].id
        if role == _TOOLTIP:
            full = self._text(self._row_record(pos), self.columns[col], full=True)
            shown = self._cell(pos, col)
            return full if full and (full != shown or len(full) > 40) else None
        if role == _ALIGNMENT:
            return _RIGHT if self._numeric[col] else None
        if self._warns and _warn(self.kind, self._row_record(pos), self.columns[col],
                                 self.today):
            return QBrush(WARNING)  # the foreground
        return None

    def multiData(self, index: _Index,
                  roleDataSpan: QModelRoleDataSpan | QModelRoleData) -> None:
        """What a painted cell shows, in one call: its text, alignment and colour. The
        view's delegate asks seven roles at once this way; the other four are never
        answered (no font, icon, check box or background of its own)."""
        # A span is iterable at run time (the type stubs do not say so).
        asked = cast(Iterable[QModelRoleData], (roleDataSpan,) if isinstance(
            roleDataSpan, QModelRoleData) else roleDataSpan)
        row, col = index.row(), index.column()
        if not index.isValid() or row >= len(self._shown) or col >= len(self.columns):
            for role_data in asked:
                role_data.clearData()
            return
        pos = self._shown[row]
        for role_data in asked:
            role = role_data.role()
            if role == _DISPLAY:
                role_data.setData(self._cell(pos, col))
            elif role == _ALIGNMENT and self._numeric[col]:
                role_data.setData(_RIGHT)
            elif role == _FOREGROUND and self._warns and \
                    _warn(self.kind, self._row_record(pos), self.columns[col], self.today):
                role_data.setData(_WARNING_BRUSH)
            elif role in (_TOOLTIP, RecordIdRole):
                role_data.setData(self.data(index, role))
            else:
                role_data.clearData()


#: How many rows get their table's fields at once when a paint first shows one that
#: lacks them (a window's height of rows, and some).
_ROWS_READ_AT_ONCE = 64
#: Field types whose cell text depends on the value alone (not on other records).
_TEXT_PER_VALUE = frozenset({T.CHOICE, T.CHOICES, T.YESNO, T.DATE, T.INTEGER, T.NUMBER})
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
#: The roles the table model answers.
_ROLES = frozenset({_DISPLAY, _TOOLTIP, _ALIGNMENT, _FOREGROUND, int(RecordIdRole)})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_WARNING_BRUSH = QBrush(WARNING)


def filter_words(text: str) -> tuple[str, ...]:
    """The words a filter looks for, folded as ``fold`` folds what it looks in."""
    return tuple(fold(text).split())


def matches(haystack: str, words: Sequence[str]) -> bool:
    """Whether a folded text holds every word (a filter's rule)."""
    return all(word in haystack for word in words)


# --- field editors -----------------------------------------------------------------------------

class _DateEdit(QDateEdit):
    """A QDateEdit that can be empty: its lowest date stands for "no date" and shows as
    "—". Clicking or typing into an empty field starts from today, so nobody edits a
    date in the year 1900; the clear button beside it empties it again."""

    EMPTY = QDate(1900, 1, 1)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setMinimumDate(self.EMPTY)
        self.setMaximumDate(QDate(9999, 12, 31))
        self.setSpecialValueText("—")
        fmt = QLocale(i18n.locale()).dateFormat(QLocale.FormatType.ShortFormat)
        if "yyyy" not in fmt:
            fmt = fmt.replace("yy", "yyyy")
        self.setDisplayFormat(fmt)
        self.setDate(self.EMPTY)
        self.calendarWidget().setLocale(QLocale(i18n.locale()))

    def _start(self) -> None:
        if self.date() == self.EMPTY:
            self.setDate(QDate.currentDate())

    def mousePressEvent(self, event: Any) -> None:
        self._start()
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.text().isdigit() or event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._start()
        super().keyPressEvent(event)


class DateField(QWidget):
    """A date or no date. Same interface as the date editor of ``gui/dates.py``
    (``date()``, ``setDate()``, ``is_valid()``), which can replace it."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.edit = _DateEdit()
        self.edit.setMinimumWidth(150)
        self.clear = QToolButton()
        self.clear.setText("×")
        self.clear.setToolTip(_("No date"))
        self.clear.setAutoRaise(True)
        self.clear.clicked.connect(lambda: self.setDate(None))
        layout.addWidget(self.edit)
        layout.addWidget(self.clear)
        layout.addStretch(1)
        self.setFocusProxy(self.edit)
        self.edit.dateChanged.connect(self._changed)
        self._changed()

    def _changed(self) -> None:
        self.clear.setVisible(self.date() is not None)
        self.changed.emit()

    def date(self) -> dt.date | None:
        q = self.edit.date()
        return None if q == _DateEdit.EMPTY else dt.date(q.year(), q.month(), q.day())

    def setDate(self, value: dt.date | None) -> None:
        self.edit.setDate(_DateEdit.EMPTY if value is None
                          else QDate(value.year, value.month, value.day))

    def is_valid(self) -> bool:
        return True


class Editor:
    """One field's input widget: ``value()`` in the kind's value types, ``changed``."""

    def __init__(self, f: Field, widget: QWidget, on_change: Callable[[], None]):
        self.field = f
        self.widget = widget
        self._on_change = on_change

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError


class _TextEditor(Editor):
    def __init__(self, f: Field, on_change: Callable[[], None], completions: Sequence[str]):
        self.combo: QComboBox | None = None
        if f.suggestions:  # ready-made values to pick from, or type your own
            combo = QComboBox()
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            combo.addItems([_(s) if isinstance(s, str) else str(s) for s in f.suggestions])
            combo.setCurrentIndex(-1)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            line = combo.lineEdit()
            assert line is not None
            self.combo = combo
            widget: QWidget = combo
        else:
            line = QLineEdit()
            widget = line
        line.setMaxLength(min(f.max_length, 32767))
        if f.type is T.URL:
            line.setPlaceholderText("https://")
        if completions:
            completer = QCompleter(list(completions), line)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            line.setCompleter(completer)
        line.textChanged.connect(lambda _t: on_change())
        self.line = line
        super().__init__(f, widget, on_change)

    def value(self) -> str:
        return self.line.text().strip()

    def set_value(self, value: Any) -> None:
        self.line.setText(str(value or ""))


class _LongTextEditor(Editor):
    def __init__(self, f: Field, on_change: Callable[[], None]):
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        lines = 4
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
        edit.textChanged.connect(on_change)
        self.edit = edit
        super().__init__(f, edit, on_change)

    def value(self) -> str:
        return self.edit.toPlainText().strip()

    def set_value(self, value: Any) -> None:
        self.edit.setPlainText(str(value or ""))


class _DateEditor(Editor):
    def __init__(self, f: Field, on_change: Callable[[], None]):
        self.date = DateField()
        self.date.changed.connect(on_change)
        super().__init__(f, self.date, on_change)

    def value(self) -> dt.date | None:
        return self.date.date()

    def set_value(self, value: Any) -> None:
        self.date.setDate(value if isinstance(value, dt.date) else None)


class _IntegerEditor(Editor):
    """A spin box whose lowest step means "not set"."""

    def __init__(self, f: Field, on_change: Callable[[], None]):
        spin = QSpinBox()
        low = f.minimum if f.minimum is not None else -1_000_000
        high = f.maximum if f.maximum is not None else 1_000_000
        spin.setRange(low - 1, high)
        # Translators: a number field that has no value yet.
        spin.setSpecialValueText(_("not set"))
        spin.setValue(low - 1)
        spin.setMinimumWidth(110)
        spin.setMaximumWidth(200)
        spin.valueChanged.connect(lambda _v: on_change())
        self.spin, self._unset = spin, low - 1
        super().__init__(f, spin, on_change)

    def value(self) -> int | None:
        return None if self.spin.value() == self._unset else self.spin.value()

    def set_value(self, value: Any) -> None:
        self.spin.setValue(value if isinstance(value, int) else self._unset)


class _ComboEditor(Editor):
    """One value of a list (yes/no, a choice, an activity, a team member), or none."""

    def __init__(self, f: Field, on_change: Callable[[], None],
                 options: Sequence[tuple[str, Any]], none_text: str,
                 separators_before: Iterable[int] = ()):
        combo = QComboBox()
        combo.addItem(none_text, None)
        before = set(separators_before)
        for n, (text, value) in enumerate(options):
            if n in before:
                combo.insertSeparator(combo.count())
            combo.addItem(text, value)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(24)
        combo.currentIndexChanged.connect(lambda _i: on_change())
        self.combo = combo
        super().__init__(f, combo, on_change)

    def value(self) -> Any:
        value = self.combo.currentData()
        return self.field.empty() if value is None else value

    def set_value(self, value: Any) -> None:
        if self.field.is_empty(value):
            self.combo.setCurrentIndex(0)
            return
        index = self.combo.findData(value)
        if index < 0:  # a value the list does not have (a deleted member): keep it visible
            self.combo.addItem(str(value), value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)


class _CheckListEditor(Editor):
    """Several values of a list, ticked."""

    def __init__(self, f: Field, on_change: Callable[[], None],
                 options: Sequence[tuple[str, str]]):
        view = QListWidget()
        for text, code in options:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            view.addItem(item)
        rows = min(len(options), 7)
        view.setFixedHeight(view.sizeHintForRow(0) * rows + 2 * view.frameWidth() + 4
                            if options else 40)
        view.itemChanged.connect(lambda _i: on_change())
        self.view = view
        super().__init__(f, view, on_change)

    def value(self) -> tuple[str, ...]:
        return tuple(self.view.item(n).data(Qt.ItemDataRole.UserRole)
                     for n in range(self.view.count())
                     if self.view.item(n).checkState() == Qt.CheckState.Checked)

    def set_value(self, value: Any) -> None:
        chosen = set(value or ())
        for n in range(self.view.count()):
            item = self.view.item(n)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole)
                               in chosen else Qt.CheckState.Unchecked)


def _activity_options(lookups: Lookups) -> tuple[list[tuple[str, str]], list[int]]:
    """Every activity as "2.1  Title", and where a new component starts."""
    options, starts, last = [], [], ""
    for n, activity in enumerate(lookups.activities):
        if activity.component_id != last and n:
            starts.append(n)
        last = activity.component_id
        options.append((lookups.activity_label(activity.id), activity.id))
    return options, starts


def make_editor(f: Field, on_change: Callable[[], None], lookups: Lookups,
                people: Sequence[str]) -> Editor:
    """The input widget a field's type calls for."""
    t = f.type
    if t in (T.TEXT, T.URL):
        return _TextEditor(f, on_change, people if f.personal else ())
    if t is T.LONGTEXT:
        return _LongTextEditor(f, on_change)
    if t is T.DATE:
        return _DateEditor(f, on_change)
    if t is T.INTEGER:
        return _IntegerEditor(f, on_change)
    # Translators: the choice of a list that means "nothing chosen".
    none = _("—")
    if t is T.YESNO:
        # Translators: a yes/no question of a form that has not been answered.
        editor = _ComboEditor(f, on_change, [(_("Yes"), True), (_("No"), False)],
                              _("Not answered"))
        editor.combo.setMaximumWidth(260)
        return editor
    if t is T.CHOICE:
        assert f.vocabulary is not None
        editor = _ComboEditor(f, on_change,
                              [(o.text(), o.code) for o in f.vocabulary.all()], none)
        editor.combo.setMaximumWidth(480)
        return editor
    if t is T.CHOICES:
        assert f.vocabulary is not None
        return _CheckListEditor(f, on_change, [(o.text(), o.code) for o in f.vocabulary.all()])
    if t is T.ACTIVITY:
        options, starts = _activity_options(lookups)
        return _ComboEditor(f, on_change, options, none, starts)
    if t is T.ACTIVITIES:
        return _CheckListEditor(f, on_change, _activity_options(lookups)[0])
    if t is T.REFERENCE:
        titles = lookups.titles.get(f.refers_to or "", {})
        options = sorted(((title, rid) for rid, title in titles.items()),
                         key=lambda pair: sort_key(pair[0]))
        return _ComboEditor(f, on_change, options, none)
    raise ValueError(f"no editor for {t}")  # pragma: no cover - every type is handled


# --- the form --------------------------------------------------------------------------------

class RecordForm(QDialog):
    """Add or edit one record: a field per row with its question, help and, once the field
    was touched, what is wrong with it. OK stays disabled while any value is invalid."""

    def __init__(self, kind: Kind, lookups: Lookups, *, record: Record | None = None,
                 others: Sequence[Record] = (), people: Sequence[str] = (),
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.kind = kind
        self.record = record
        self._others = list(others)
        self._touched: set[str] = set()
        self._loading = True
        if record is None:
            self.setWindowTitle(_("{kind}: new record").format(kind=kind.label_text()))
        else:
            self.setWindowTitle(_("{kind}: {title}").format(kind=kind.label_text(),
                                                            title=title_of(kind, record)))
        outer = QVBoxLayout(self)
        body = QWidget()
        body.setObjectName("form")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 12, 4)
        layout.setSpacing(2)
        if any(f.required for f in kind.fields):
            legend = QLabel(_("Fields marked * must be filled in."))
            legend.setObjectName("hint")
            layout.addWidget(legend)
            layout.addSpacing(6)
        self.editors: dict[str, Editor] = {}
        self.errors: dict[str, QLabel] = {}
        for f in kind.fields:
            editor = make_editor(f, partial(self._edited, f.name), lookups, people)
            label = QLabel(f.prompt_text() + (" *" if f.required else ""))
            label.setWordWrap(True)
            label.setObjectName("fieldLabel")
            label.setBuddy(editor.widget)
            if f.prompt and f.prompt_text() != f.label_text():
                label.setToolTip(f.label_text())
            layout.addWidget(label)
            layout.addWidget(editor.widget)
            if f.help_text():
                hint = QLabel(f.help_text())
                hint.setObjectName("hint")
                hint.setWordWrap(True)
                layout.addWidget(hint)
            error = QLabel()
            error.setObjectName("fieldError")
            error.setWordWrap(True)
            error.hide()
            layout.addWidget(error)
            layout.addSpacing(10)
            self.editors[f.name] = editor
            self.errors[f.name] = error
        layout.addStretch(1)
        if len(kind.fields) > 7:
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(body)
            outer.addWidget(scroll, 1)
            self.resize(640, min(720, body.sizeHint().height() + 80))
        else:
            outer.addWidget(body, 1)
            self.resize(560, self.sizeHint().height())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Add") if record is None else _("OK"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        for name, editor in self.editors.items():
            editor.set_value(record.get(name) if record is not None else kind.field(name).empty())
        self._loading = False
        self._check()
        first = next(iter(self.editors.values()), None)
        if first is not None:
            first.widget.setFocus()

    def values(self) -> dict[str, Any]:
        return {name: editor.value() for name, editor in self.editors.items()}

    def problems(self) -> list[Problem]:
        record_id = self.record.id if self.record is not None else ""
        return records_service.problems(self.kind.name, self.values(), record_id, self._others)

    def _edited(self, name: str) -> None:
        if self._loading:
            return
        self._touched.add(name)
        self._check()

    def _check(self) -> None:
        found = self.problems()
        by_field: dict[str, list[str]] = {}
        for problem in found:
            by_field.setdefault(problem.field, []).append(problem.message)
        for name, label in self.errors.items():
            messages = by_field.get(name, [])
            value = self.editors[name].value()
            is_missing = self.kind.field(name).is_empty(value)
            # A required field that was never touched is not an error yet, only OK waits.
            show = bool(messages) and (name in self._touched or not is_missing
                                       or self.record is not None)
            label.setText("\n".join(messages) if show else "")
            label.setVisible(show)
        self.ok.setEnabled(not found)
        self.ok.setToolTip("\n".join(p.message for p in found))

    def accept(self) -> None:
        if self.problems():
            self._touched.update(self.editors)
            self._check()
            return
        super().accept()


class CellDelegate(QStyledItemDelegate):
    """Paints a register's plain cells as Qt's delegate does, for less.

    Qt's delegate lays a cell's text out afresh (a QTextLayout, elided, through the style)
    each time it paints it: most of the cost of painting the data inventory's table. A
    cell that is not selected, current or under the mouse shows nothing but its text,
    elided to its width, in its colour. The first time a text is painted it is drawn
    directly; a text painted again is laid out once (a QStaticText, kept per text and
    width) and drawn from that. Both land where Qt's delegate draws, to the pixel (a test
    compares them). Every other cell, and text that runs right to left, Qt's delegate
    paints as before.
    """

    def __init__(self, model: RecordTableModel, view: QTableView):
        super().__init__(view)
        self._model = model
        self._texts: dict[tuple[str, int], tuple[QStaticText, float] | None] = {}
        #: Texts painted once. Laying a text out to keep costs more than drawing it
        #: once, and most texts of a large register are painted once (or never).
        self._seen: set[tuple[str, int]] = set()
        #: Whether the kept texts, margin, line height and colours are of the view's
        #: font, palette and style (asked once, not for every cell painted).
        self._ready = False
        self._margin = self._height = 0
        self._ascent = 0.0
        self._ltr = True
        self._colours: tuple[QColor, QColor] = (QColor(), QColor())
        self._view = view
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view:  # not an editor: the delegate's own filter is for those
            if event.type() in _LOOK_CHANGES:
                self._ready = False
            return False
        return super().eventFilter(watched, event)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: _Index) -> None:
        if not self._ready:
            self._start(option)
        state = option.state.value
        look = None if state & _SPECIAL_CELL or not state & _ENABLED or not self._ltr else \
            self._model.look(index.row(), index.column())
        if look is None:
            super().paint(painter, option, index)
            return
        text, right, warn = look
        if not text:
            return
        rect = option.rect
        width = rect.width() - 2 * self._margin
        key = (text, width)
        if key in self._texts:
            laid = self._texts[key]
        elif key in self._seen or right or _RIGHT_TO_LEFT.search(text):
            laid = self._lay_out(key, option)
        else:  # the first time: drawn, laid out and kept when painted again
            self._seen.add(key)
            self._draw_once(painter, option, text, width,
                            WARNING if warn else self._colours[bool(state & _ACTIVE)])
            return
        if laid is None:  # right to left: as Qt's delegate paints it
            super().paint(painter, option, index)
            return
        static, natural = laid
        painter.save()
        painter.setFont(option.font)
        painter.setPen(WARNING if warn else self._colours[bool(state & _ACTIVE)])
        x = rect.x() + self._margin + (width - natural if right else 0)
        painter.drawStaticText(QPointF(x, rect.y() + (rect.height() - self._height) // 2),
                               static)
        painter.restore()

    def _draw_once(self, painter: QPainter, option: QStyleOptionViewItem, text: str,
                   width: int, colour: QColor) -> None:
        """Draw a text seen for the first time, elided to its width (without keeping a
        layout: that costs more than drawing it, and most texts are painted once)."""
        rect = option.rect
        painter.save()
        painter.setFont(option.font)
        painter.setPen(colour)
        painter.drawText(QPointF(rect.x() + self._margin, rect.y() + self._ascent + (
            rect.height() - self._height) // 2), option.fontMetrics.elidedText(
                text, Qt.TextElideMode.ElideRight, width))
        painter.restore()

    def _start(self, option: QStyleOptionViewItem) -> None:
        """Forget the texts laid out for another font, palette or style."""
        palette = option.palette
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        self._margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin,
                                         None, widget) + 1
        self._height = option.fontMetrics.height()
        self._ascent = QFontMetricsF(option.font).ascent()
        self._colours = (palette.color(QPalette.ColorGroup.Inactive, QPalette.ColorRole.Text),
                         palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Text))
        self._ltr = option.direction == Qt.LayoutDirection.LeftToRight
        self._texts, self._seen = {}, set()
        self._ready = True

    def _lay_out(self, key: tuple[str, int],
                 option: QStyleOptionViewItem) -> tuple[QStaticText, float] | None:
        text, width = key
        laid: tuple[QStaticText, float] | None = None
        if not _RIGHT_TO_LEFT.search(text):
            metrics = option.fontMetrics
            static = QStaticText(metrics.elidedText(text, Qt.TextElideMode.ElideRight, width))
            static.setTextFormat(Qt.TextFormat.PlainText)
            static.prepare(QTransform(), option.font)
            laid = (static, static.size().width())
        if len(self._texts) > 5000:
            self._texts.clear()
            self._seen.clear()
        self._texts[key] = laid
        return laid


_LOOK_CHANGES = frozenset({QEvent.Type.FontChange, QEvent.Type.PaletteChange,
                           QEvent.Type.StyleChange, QEvent.Type.LayoutDirectionChange})
_ENABLED = QStyle.StateFlag.State_Enabled.value
_ACTIVE = QStyle.StateFlag.State_Active.value
#: States in which a cell is more than its text (Qt's delegate paints those).
_SPECIAL_CELL = (QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_HasFocus
                 | QStyle.StateFlag.State_MouseOver).value
#: Letters of scripts written right to left (Hebrew, Arabic, Syriac, Thaana, N'Ko and
#: their presentation forms), and the marks that change the direction of text.
_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\u200e\u200f"
                            "\u202a-\u202e\u2066-\u2069]")


# --- the register page -------------------------------------------------------------------------

#: Columns a register sorts by when first shown (the first column otherwise).
_DEFAULT_SORT = {"decisions": ("date", Qt.SortOrder.DescendingOrder)}


class RegisterPage(QWidget):
    """One register: its table with filter, count, add, edit, delete, import and export;
    an empty register says what it is for and offers to add the first record."""

    #: a core command to apply and put on the undo stack
    editRequested = Signal(object)
    #: a short message for the status bar
    statusMessage = Signal(str)
    #: another register to show (the kind's name)
    registerRequested = Signal(str)
    #: the selected records changed (the comments under the table follow the current one)
    currentChanged = Signal()
    #: show the history of a record: kind name, record id
    historyRequested = Signal(str, str)

    def __init__(self, kind: Kind, lookups: Lookups, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("page")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.kind = kind
        self.lookups = lookups
        self.session: ProjectSession | None = None
        self._select_after: str | None = None
        #: Edits came while the page was hidden that it has not shown: read it when shown.
        self._stale = False
        #: The table's one model: it sorts and filters itself (``rowCount`` is what is
        #: shown, ``total`` every record).
        self.model = RecordTableModel(kind, lookups, self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 12)
        layout.setSpacing(6)
        self.title = QLabel(kind.plural_text())
        self.title.setObjectName("pageTitle")
        layout.addWidget(self.title)
        self.purpose = QLabel(_purpose(kind))
        self.purpose.setObjectName("hint")
        self.purpose.setWordWrap(True)
        layout.addWidget(self.purpose)
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        layout.addWidget(self.banner)
        self._banner_timer = QTimer(self)
        self._banner_timer.setSingleShot(True)
        self._banner_timer.timeout.connect(self.banner.hide)

        bar = QHBoxLayout()
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("Type to filter…"))
        self.filter.setToolTip(_("Shows the records that contain every word you type, in any "
                                 "field"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setMinimumWidth(280)
        self.filter.textChanged.connect(self._filter)
        self.filter.installEventFilter(self)
        bar.addWidget(self.filter, 2)
        self.count = QLabel()
        self.count.setObjectName("hint")
        bar.addWidget(self.count)
        bar.addStretch(1)
        self.extra_bar = QHBoxLayout()  # the matrix page puts its view switch here
        bar.addLayout(self.extra_bar)
        self.add_button = QPushButton(_("Add…"))
        self.add_button.setToolTip(_("Add a record (Insert)"))
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton(_("Edit…"))
        self.edit_button.setToolTip(_("Edit the selected record (Enter)"))
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button = QPushButton(_("Delete"))
        self.delete_button.setToolTip(_("Delete the selected records (Delete); Undo brings "
                                        "them back"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.more_button = QPushButton(_("Spreadsheet"))
        more = QMenu(self.more_button)
        self.act_export = more.addAction(_("Export…"), self.export)
        self.act_import = more.addAction(_("Import…"), self.import_)
        self.more_button.setMenu(more)
        for button in (self.add_button, self.edit_button, self.delete_button,
                       self.more_button):
            bar.addWidget(button)
        layout.addLayout(bar)

        # Built from the outside in, each widget made in its place: a widget that moves
        # to a new parent has its whole subtree styled again (the application's style
        # sheet), which cost more than building the page.
        self.stack = QStackedWidget(self)
        layout.addWidget(self.stack, 1)
        self.list_page = QWidget(self.stack)
        self.stack.addWidget(self.list_page)
        list_layout = QVBoxLayout(self.list_page)
        list_layout.setContentsMargins(0, 0, 0, 0)
        self.views = QStackedWidget(self.list_page)  # the table, or a view made for the kind
        list_layout.addWidget(self.views, 1)
        self.table = QTableView(self.views)
        self.views.addWidget(self.table)
        self.table.setModel(self.model)
        self.table.setItemDelegate(CellDelegate(self.model, self.table))
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 10)
        self.table.doubleClicked.connect(lambda _i: self.edit_current())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._row_menu)
        self.table.installEventFilter(self)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionsMovable(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self._set_columns()
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_actions())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self.currentChanged.emit())
        self.no_match = QLabel(self.list_page)
        self.no_match.setObjectName("hint")
        self.no_match.hide()
        list_layout.addWidget(self.no_match)
        self.empty = self._empty_page()
        self.stack.addWidget(self.empty)
        #: where the window puts what belongs to the current record (its comments)
        self.details = QVBoxLayout()
        self.details.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.details)
        QShortcut(QKeySequence(Qt.Key.Key_Insert), self, self.add,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        # An edited row can also leave or enter the filter (a layout change).
        for signal in (self.model.rowsInserted, self.model.rowsRemoved,
                       self.model.modelReset, self.model.layoutChanged):
            signal.connect(self._rows_changed)
        self._update_actions()

    # --- building -----------------------------------------------------------------------

    def _set_columns(self) -> None:
        header = self.table.horizontalHeader()
        font = self.table.fontMetrics()
        # Quietly: the table would take each width set here for a column resized by
        # the user and repaint the whole table once more, after its first paint.
        quiet = header.blockSignals(True)
        for n, column in enumerate(self.model.columns):
            self.table.setColumnHidden(n, not column.shown)
            f = column.field
            if f is None or f.type in (T.INTEGER, T.YESNO):
                width = 90
            elif f.type is T.DATE:
                width = 120
            elif f.name == self.kind.title_field:
                width = 320
            elif f.type in (T.ACTIVITY, T.REFERENCE):
                width = 240
            else:
                width = 170
            header.resizeSection(n, max(width, font.horizontalAdvance(column.label()) + 30))
        header.blockSignals(quiet)
        name, order = _DEFAULT_SORT.get(self.kind.name, (self.model.columns[0].name,
                                                         Qt.SortOrder.AscendingOrder))
        names = [c.name for c in self.model.columns]
        self.table.sortByColumn(names.index(name) if name in names else 0, order)

    def _empty_page(self) -> QWidget:
        page = QWidget(self.stack)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        box = QVBoxLayout()
        self.empty_box = box
        self.empty_text = QLabel(_purpose(self.kind))
        self.empty_text.setObjectName("purpose")
        self.empty_text.setWordWrap(True)
        self.empty_text.setFixedWidth(560)
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        row = QHBoxLayout()  # centred, and wrapped at its own width (a label given an
        row.addStretch(1)    # alignment in a box layout loses its height-for-width)
        row.addWidget(self.empty_text)
        row.addStretch(1)
        box.addLayout(row)
        box.addSpacing(12)
        self.add_first = QPushButton(add_first_text(self.kind))
        self.add_first.setObjectName("primary")
        self.add_first.clicked.connect(self.add)
        box.addWidget(self.add_first, 0, Qt.AlignmentFlag.AlignHCenter)
        self.import_first = QPushButton(_("Import from a spreadsheet…"))
        self.import_first.setObjectName("link")
        self.import_first.clicked.connect(self.import_)
        box.addWidget(self.import_first, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(box)
        layout.addStretch(2)
        return page

    # --- contents -----------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        return self.session is None or self.session.read_only

    def load(self, session: ProjectSession) -> None:
        """Read the register from the project (when the page is first shown)."""
        self.session = session
        self._stale = False
        self.lookups.load_titles(session, referenced_kinds(self.kind))
        fields = summary_fields(self.kind)
        if fields is None:
            self.model.set_records(session.records(self.kind.name))
        else:  # what it sorts by now, a row whole when it is shown, more when needed
            self.model.set_records(
                session.records(self.kind.name, first_fields(self.kind)),
                read=partial(_read_whole, session, self.kind.name),
                read_table=partial(session.records, self.kind.name, fields))
        self._rows_changed()

    def record_changed(self, record_id: str) -> None:
        """One record was added, changed, deleted or restored: show it as it is now.
        Without an id (an edit of several records and kinds), the register is read again,
        at once if it is on show, else when it is next shown."""
        if self.session is None:
            return
        if not record_id:
            if self.isVisible():
                self.load(self.session)
            else:
                self._stale = True
            return
        self.model.put(record_id, records_service.get(self.session, self.kind.name,
                                                      record_id))
        if record_id == self._select_after or self.current_id() is None:
            self.select(record_id)
        self._select_after = None

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale and self.session is not None:
            self.load(self.session)
        super().showEvent(event)

    def references_changed(self) -> None:
        """Records this register names (team members) changed."""
        if self.session is not None and referenced_kinds(self.kind):
            self.lookups.load_titles(self.session, referenced_kinds(self.kind))
            self.model.refresh_references()

    def select(self, record_id: str) -> bool:
        """Select a record (clearing the filter if it hides it) and scroll to it."""
        row = self.model.row_of(record_id)
        if row < 0 and self.model.filtering:
            self.filter.clear()
            row = self.model.row_of(record_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.table.selectRow(row)
        self.table.scrollTo(index)
        self.table.setCurrentIndex(index)
        return True

    def _filter(self, text: str) -> None:
        self.model.set_filter_text(text)
        self._rows_changed()

    def _rows_changed(self, *_args: Any) -> None:
        total = self.model.total
        shown = self.model.rowCount()
        filtering = self.model.filtering
        if filtering:
            self.count.setText(_("{shown} of {total}").format(
                shown=i18n.format_number(shown), total=count_text(self.kind, total)))
        else:
            self.count.setText(count_text(self.kind, total))
        self.no_match.setText(_("No record contains “{text}”.").format(
            text=self.filter.text().strip()) if filtering and not shown else "")
        self.no_match.setVisible(filtering and not shown)
        self.stack.setCurrentWidget(self.list_page if total else self.empty)
        self.purpose.setVisible(bool(total))  # the empty page says it in large
        self.filter.setEnabled(bool(total))
        self._update_actions()

    def _update_actions(self) -> None:
        editable = not self.read_only
        selected = bool(self.selected_ids())
        self.add_button.setEnabled(editable)
        self.add_first.setEnabled(editable)
        self.import_first.setEnabled(editable)
        self.act_import.setEnabled(editable)
        self.edit_button.setEnabled(selected)
        self.edit_button.setText(_("Edit…") if editable else _("Show…"))
        self.delete_button.setEnabled(editable and selected)
        self.act_export.setEnabled(self.model.total > 0)

    def current_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(
                index.row(), QModelIndex()):
            return None
        return index.siblingAtColumn(0).data(RecordIdRole)

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.index(r, 0).data(RecordIdRole) for r in rows]

    def shown_records(self) -> list[Record]:
        """The records in the order and with the filter the table shows."""
        self.model.complete()
        return [self.model.record(r) for r in range(self.model.rowCount())]

    # --- actions ------------------------------------------------------------------------

    def _form(self, record: Record | None) -> RecordForm:
        assert self.session is not None
        others = self.model.records() if self.kind.rules else []
        people = records_service.people(self.session) if any(
            f.personal and f.type is T.TEXT for f in self.kind.fields) else []
        return RecordForm(self.kind, self.lookups, record=record, others=others,
                          people=people, parent=self)

    def add(self, preset: dict[str, Any] | None = None) -> None:
        if self.read_only:
            return
        form = self._form(None)
        for name, value in (preset or {}).items():
            form.editors[name].set_value(value)
        if form.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            command = records_service.new_record(self.kind.name, form.values())
        except InvalidRecord as exc:  # pragma: no cover - the form checked the same
            self.statusMessage.emit(str(exc))
            return
        self.filter.clear()
        self._select_after = command.record_id
        self.editRequested.emit(command)

    def edit_current(self) -> None:
        record_id = self.current_id()
        if record_id is None:
            ids = self.selected_ids()
            if not ids:
                return
            record_id = ids[0]
        self.edit_record(record_id)

    def edit_record(self, record_id: str) -> None:
        row = self.model.row_of(record_id)
        if row < 0 or self.session is None:
            return
        record = self.model.record(row)
        form = self._form(record)
        if self.read_only:
            form.ok.setEnabled(False)
            form.ok.hide()
        if form.exec() != QDialog.DialogCode.Accepted or self.read_only:
            return
        try:
            command = records_service.edit_record(record, form.values())
        except InvalidRecord as exc:  # pragma: no cover - the form checked the same
            self.statusMessage.emit(str(exc))
            return
        if command is not None:
            self.editRequested.emit(command)

    def delete_selected(self) -> None:
        if self.read_only:
            return
        ids = self.selected_ids()
        if not ids:
            return
        commands = []
        for record_id in ids:
            commands.append(DeleteRecord(self.kind.name, record_id,
                                         self.model.title(self.model.row_of(record_id))))
        if len(commands) == 1:
            self.editRequested.emit(commands[0])
            self.statusMessage.emit(_("Deleted “{title}”. Undo (Ctrl+Z) brings it back.")
                                    .format(title=commands[0].label))
            return
        label = ngettext("Delete {count} record", "Delete {count} records",
                         len(commands)).format(count=len(commands))
        self.editRequested.emit(Batch(tuple(commands), label, self.kind.name))
        self.statusMessage.emit(ngettext(
            "Deleted {count} record. Undo (Ctrl+Z) brings it back.",
            "Deleted {count} records. Undo (Ctrl+Z) brings them back.",
            len(commands)).format(count=len(commands)))

    def export(self) -> None:
        from d4a_desktop.gui.spreadsheet import export_register

        if self.session is not None:
            export_register(self, self.session, self.kind, self.shown_records(),
                            filtered=self.model.filtering)

    def import_(self) -> None:
        from d4a_desktop.gui.spreadsheet import ImportDialog

        if self.session is None or self.read_only:
            return
        dialog = ImportDialog(self.session, self.kind, self)
        if dialog.choose_and_plan() and dialog.exec() == QDialog.DialogCode.Accepted:
            plan = dialog.plan
            if plan is not None and (plan.creates or plan.updates):
                self.editRequested.emit(plan.command())
                self.statusMessage.emit(_("Imported: {summary}").format(
                    summary=plan.summary()))

    # --- menus and keys ----------------------------------------------------------------

    def _row_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction(_("Edit…") if not self.read_only else _("Show…"),
                       self.edit_current).setEnabled(bool(self.selected_ids()))
        menu.addAction(_("Delete"), self.delete_selected).setEnabled(
            bool(self.selected_ids()) and not self.read_only)
        current = self.current_id() if len(self.selected_ids()) == 1 else None
        menu.addAction(_("History…"), lambda: self.historyRequested.emit(
            self.kind.name, current or "")).setEnabled(current is not None)
        menu.addSeparator()
        menu.addAction(_("Add…"), self.add).setEnabled(not self.read_only)
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def _header_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.addSection(_("Columns"))
        for n, column in enumerate(self.model.columns):
            action = menu.addAction(column.label())
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(n))
            action.toggled.connect(partial(self._show_column, n))
        menu.exec(self.table.horizontalHeader().mapToGlobal(pos))

    def _show_column(self, column: int, shown: bool) -> None:
        if shown:
            self.model.complete()  # the rows held only the columns shown until now
        self.table.setColumnHidden(column, not shown)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.table:
                if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                    self.edit_current()
                    return True
                if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                    self.delete_selected()
                    return True
            elif watched is self.filter:
                if key == Qt.Key.Key_Down and self.model.rowCount():
                    self.table.setFocus()
                    if self.current_id() is None:
                        self.table.selectRow(0)
                    return True
                if key == Qt.Key.Key_Escape and self.filter.text():
                    self.filter.clear()
                    return True
        return super().eventFilter(watched, event)

    def warn(self, message: str) -> None:
        """Say on the page why something was not done; the message goes after a while."""
        self.banner.setText(message)
        self.banner.show()
        self._banner_timer.start(10_000)
        self.statusMessage.emit(message)

    def focus_filter(self) -> None:
        QTimer.singleShot(0, self.filter.setFocus)


def _read_whole(session: ProjectSession, kind: str, record_id: str | None) -> list[Record]:
    """Whole records for a page that read summaries: one, or (None) every one."""
    if record_id is None:
        return session.records(kind)
    found = records_service.get(session, kind, record_id)
    return [found] if found is not None else []


def _purpose(kind: Kind) -> str:
    return translate(kind.purpose)
