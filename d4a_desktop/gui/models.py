"""Item models over plain project data: the roadmap navigator and the checklist.

Models never write: an edit in a view becomes ``editRequested``, the window turns it into
an undoable command, and the model is refreshed from fresh plain data afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from d4a_desktop import i18n
from d4a_desktop.core import kinds
from d4a_desktop.core.content import Activity, Roadmap
from d4a_desktop.core.progress import Progress, Tally
from d4a_desktop.core.project import ProjectState
from d4a_desktop.core.records import translate
from d4a_desktop.core.vocab import Dimension, Status
from d4a_desktop.gui.richtext import escape
from d4a_desktop.i18n import _, ngettext, pgettext

NodeRole = Qt.ItemDataRole.UserRole + 1
ProgressRole = Qt.ItemDataRole.UserRole + 2
ItemIdRole = Qt.ItemDataRole.UserRole + 3
#: A checklist item's dimension (a Dimension value) and its suggested role's title (text or "").
DimensionRole = Qt.ItemDataRole.UserRole + 4
SuggestedRoleRole = Qt.ItemDataRole.UserRole + 5

#: The navigator's own pages: the dashboard first (it grew out of the project overview), the
#: timeline, and after the roadmap the registers (one node per declared kind), the tools (one
#: node per tool) and the KPIs with their measurements, which have a page of their own.
DASHBOARD = "dashboard"
OVERVIEW = DASHBOARD
TIMELINE = "timeline"
REGISTERS = "registers"
TOOLS = "tools"
KPIS = "kpis"
_BEFORE = (DASHBOARD, TIMELINE)
#: The registers with a page of their own kind; the KPIs and measurements are on the KPI page.
REGISTER_PAGES = tuple(k.name for k in kinds.REGISTERS if k.name not in (KPIS, "measurements"))
#: The navigator's third column: open comments on an activity (and its items), a tool …
COMMENTS_COLUMN = 2
_Index = QModelIndex | QPersistentModelIndex

STATUS_COLOURS = {
    Status.NOT_STARTED: QColor("#9aa3ad"),
    Status.IN_PROGRESS: QColor("#2f7fc1"),
    Status.DONE: QColor("#2e9d5b"),
    Status.NOT_APPLICABLE: QColor("#c9ced4"),
}
DIMENSION_COLOURS = {
    Dimension.TECHNOLOGY: QColor("#2f7fc1"),
    Dimension.ORGANISATION: QColor("#d98a1c"),
    Dimension.REGULATION_ETHICS: QColor("#8e4fb5"),
}

_icon_cache: dict[Status, QIcon] = {}


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` exactly as typed.

    Qt renders a tooltip as HTML whenever it looks like HTML, so a note containing
    ``<b>`` would turn bold and a ``<script>`` element's text would vanish. Escaping the
    text inside a paragraph that keeps line breaks shows it as written, and lets long notes
    wrap instead of running off the screen.
    """
    return f"<p style='white-space:pre-wrap'>{escape(text, quote=False)}</p>"


def drawn_icon(draw: Callable[[QPainter], None]) -> QIcon:
    """A 16-pixel icon drawn by ``draw`` on a transparent, antialiased pixmap (icon themes
    are not there on every desktop)."""
    pix = QPixmap(16, 16)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    draw(painter)
    painter.end()
    return QIcon(pix)


def status_icon(status: Status) -> QIcon:
    """A small dot in the status colour; a ring for not started, a bar for N/A."""
    if status not in _icon_cache:
        _icon_cache[status] = drawn_icon(lambda p: _draw_status(p, status))
    return _icon_cache[status]


def _draw_status(p: QPainter, status: Status) -> None:
    colour = STATUS_COLOURS[status]
    if status is Status.NOT_STARTED:
        p.setPen(colour)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(3, 3, 10, 10)
    elif status is Status.NOT_APPLICABLE:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawRoundedRect(3, 7, 10, 3, 1, 1)
    elif status is Status.IN_PROGRESS:
        p.setPen(colour)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(3, 3, 10, 10)
        p.setBrush(colour)
        p.drawPie(3, 3, 10, 10, 90 * 16, 180 * 16)
    else:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawEllipse(3, 3, 10, 10)


class NavigatorModel(QAbstractItemModel):
    """Dashboard and timeline, the components with their activities, then the registers, the
    tools and the KPIs; column 1 is progress (a register's: how many records it holds; a
    tool's: how far it is filled in), column 2 the number of open comments."""

    #: What the navigator shows has changed (after the dataChanged signals of one update).
    refreshed = Signal()

    def __init__(self, roadmap: Roadmap, parent: Any = None):
        super().__init__(parent)
        self._roadmap = roadmap
        self._state: ProjectState | None = None
        self._progress: Progress | None = None
        self._top = [*_BEFORE, *(c.id for c in roadmap.components), REGISTERS, TOOLS, KPIS]
        self._kinds = list(REGISTER_PAGES)
        self._counts: dict[str, int] = {}
        self._tools = [t.id for t in roadmap.tools]
        #: node id → (text of column 1, tooltip, status icon) of the monitoring nodes
        self._monitor: dict[str, tuple[str, str, Status | None]] = {}
        #: A tool's verdict for its tooltip, asked when the tooltip shows: the rules are
        #: evaluated on hover, not for every tool at every start.
        self.verdict_of: Callable[[str], str] | None = None
        #: node id → open comments
        self._comments: dict[str, int] = {}
        #: What data() answered, by (internal id, row, column, role). The view asks
        #: the same questions thousands of times (sizing the columns to their contents on
        #: every change of layout); the answers change only with the set_* calls below.
        self._answers: dict[tuple[int, int, int, int], Any] = {}

    def set_counts(self, counts: dict[str, int]) -> None:
        """Show how many records each register holds (announcing the counts that changed)."""
        before, self._counts = self._counts, dict(counts)
        changed = [name for name in self._kinds if before.get(name) != self._counts.get(name)]
        if not changed:
            return  # an edit of a record: nothing to repaint, nor to measure again
        self._answers.clear()
        for name in changed:
            index = self.index_of(name).siblingAtColumn(1)
            self.dataChanged.emit(index, index)
        self.refreshed.emit()

    def monitor_text(self, node: str) -> str:
        """What column 1 shows for a tool or the KPIs (a percentage, a count)."""
        return self._monitor.get(node, ("", "", None))[0]

    def set_monitoring(self, nodes: dict[str, tuple[str, str, Status | None]],
                       comments: dict[str, int]) -> None:
        """What the tool and KPI nodes show, and the open comments per node.

        Only the rows whose figures changed are announced: this runs after every edit of a
        tool, KPI or comment, and repainting the whole tree made such an edit slow."""
        before_monitor, before_comments = self._monitor, self._comments
        self._monitor, self._comments = dict(nodes), dict(comments)
        changed = {node for node in before_monitor.keys() | self._monitor.keys()
                   if before_monitor.get(node) != self._monitor.get(node)}
        changed |= {node for node in before_comments.keys() | self._comments.keys()
                    if before_comments.get(node) != self._comments.get(node)}
        if not changed:
            # Nothing to repaint or measure; tooltips are asked again on hover, as they
            # may say more than the figures compared here (a tool's verdict).
            tip = int(Qt.ItemDataRole.ToolTipRole)
            self._answers = {k: v for k, v in self._answers.items() if k[3] != tip}
            return
        self._answers.clear()
        for node in changed:
            index = self.index_of(node)
            if index.isValid():
                self.dataChanged.emit(index, index.siblingAtColumn(COMMENTS_COLUMN))
        self.refreshed.emit()

    def set_project(self, state: ProjectState, progress: Progress) -> None:
        """Show a project's state. After the first, only the rows whose status or progress
        changed are announced: a tick changes one activity, its component and the total,
        and announcing all 40 rows cost thousands of ``data()`` calls per edit."""
        before = self._signatures() if self._state is not None else None
        self._state, self._progress = state, progress
        if not self.rowCount():
            self._answers.clear()
            return
        if before is None:
            self._answers.clear()
            last = self.index(self.rowCount() - 1, COMMENTS_COLUMN)
            self.dataChanged.emit(self.index(0, 0), last)
            for row in range(1, self.rowCount()):
                parent = self.index(row, 0)
                n = self.rowCount(parent)
                if n:
                    self.dataChanged.emit(self.index(0, 0, parent),
                                          self.index(n - 1, COMMENTS_COLUMN, parent))
            self.refreshed.emit()
            return
        after = self._signatures()
        changed = [node for node, signature in after.items() if before.get(node) != signature]
        if not changed:
            return  # a note or an owner: the navigator shows neither
        self._answers.clear()
        for node in changed:
            index = self.index_of(node)
            self.dataChanged.emit(index, index.siblingAtColumn(1))
        self.refreshed.emit()

    def _signatures(self) -> dict[str, tuple[Any, ...]]:
        """What the dashboard, component and activity rows show, per node."""
        state, progress = self._state, self._progress
        if state is None or progress is None:
            return {}
        result: dict[str, tuple[Any, ...]] = {OVERVIEW: (progress.overall,)}
        for component in self._roadmap.components:
            result[component.id] = (progress.components.get(component.id),)
            for activity in component.activities:
                result[activity.id] = (state.activity(activity.id).status,
                                       state.applies(activity.condition),
                                       progress.activities.get(activity.id))
        return result

    # --- structure ----------------------------------------------------------------------

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row())  # activity: id = component row

    def parent(self, child: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        return self.createIndex(int(child.internalId()), 0, 0)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._top)
        if parent.column() != 0 or parent.internalId() != 0:
            return 0
        node = self._top[parent.row()]
        if node == REGISTERS:
            return len(self._kinds)
        if node == TOOLS:
            return len(self._tools)
        if node in _BEFORE or node == KPIS:
            return 0
        return len(self._roadmap.component(node).activities)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 3

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            # The comments column has no heading: a hidden header would still widen it.
            return (_("Roadmap"), _("Progress"), "")[section] if 0 <= section < 3 else None
        return None

    # --- lookup ---------------------------------------------------------------------------

    def node_id(self, index: _Index) -> str | None:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._top[index.row()]
        parent = self._top[int(index.internalId())]
        if parent == REGISTERS:
            return self._kinds[index.row()]
        if parent == TOOLS:
            return self._tools[index.row()]
        return self._roadmap.component(parent).activities[index.row()].id

    def index_of(self, node_id: str) -> QModelIndex:
        if node_id in self._top:
            return self.index(self._top.index(node_id), 0)
        if node_id in self._kinds:
            return self.index(self._kinds.index(node_id), 0,
                              self.index(self._top.index(REGISTERS), 0))
        if node_id in self._tools:
            return self.index(self._tools.index(node_id), 0,
                              self.index(self._top.index(TOOLS), 0))
        for row, comp in enumerate(self._roadmap.components, len(_BEFORE)):
            for arow, act in enumerate(comp.activities):
                if act.id == node_id:
                    return self.index(arow, 0, self.index(row, 0))
        return QModelIndex()

    # --- data ---------------------------------------------------------------------------

    def _tally(self, node: str) -> Tally | None:
        if node in (TIMELINE, REGISTERS) or node in self._kinds:
            return None
        if self._progress is None or node == OVERVIEW:
            return self._progress.overall if self._progress else None
        if node in self._progress.activities:
            return self._progress.activities[node]
        return self._progress.components.get(node)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        key = (index.internalId(), index.row(), index.column(), role)
        try:
            return self._answers[key]
        except KeyError:
            value = self._answers[key] = self._data(index, role)
            return value

    def _data(self, index: _Index, role: int) -> Any:
        node = self.node_id(index)
        if node is None:
            return None
        if index.column() == COMMENTS_COLUMN:
            return self._comments_data(node, role)
        if node in (TOOLS, KPIS) or node in self._tools:
            return self._monitor_data(index, node, role)
        is_activity = index.internalId() != 0
        if node in self._kinds or node in (TIMELINE, REGISTERS):
            return self._register_data(index, node, role)
        activity = self._roadmap.activity(node) if is_activity else None
        status = self._state.activity(node).status if (activity and self._state) else None
        excluded = activity is not None and self._state is not None and (
            status is Status.NOT_APPLICABLE or not self._state.applies(activity.condition))
        if role == NodeRole:
            return node
        if role == ProgressRole:
            tally = self._tally(node)
            return None if tally is None or excluded else tally.fraction
        if index.column() == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                if node == OVERVIEW:
                    return _("Dashboard")
                if activity is not None:
                    comp = self._roadmap.component(activity.component_id)
                    return f"{comp.number}.{activity.number}  {activity.title}"
                comp = self._roadmap.component(node)
                return f"{comp.number}  {comp.title}"
            if role == Qt.ItemDataRole.ToolTipRole:
                if activity is not None and status is not None:
                    return plain_tooltip(f"{activity.title}\n{status.label()}")
                if node != OVERVIEW:
                    comp = self._roadmap.component(node)
                    return plain_tooltip(f"{comp.title}\n{comp.stage.label()}")
            if role == Qt.ItemDataRole.DecorationRole and status is not None:
                return status_icon(status)
            if role == Qt.ItemDataRole.FontRole and not is_activity:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.FontRole and excluded:
                font = QFont()
                font.setItalic(True)
                return font
            if role == Qt.ItemDataRole.ForegroundRole and excluded:
                return QColor("#7b838c")
        elif index.column() == 1 and role == Qt.ItemDataRole.DisplayRole:
            if excluded:
                # Translators: shown instead of a percentage in the narrow progress column of
                # the navigator for an activity that does not apply. The column is as wide as
                # "100 %": use at most 5 characters, an abbreviation if need be; the full
                # wording is in the tooltip.
                return pgettext("progress column", "n/a")
            tally = self._tally(node)
            return i18n.format_percent(tally.fraction) if tally else ""
        elif index.column() == 1 and role == Qt.ItemDataRole.ToolTipRole and excluded:
            assert activity is not None
            if status is Status.NOT_APPLICABLE:
                return status.label()
            condition = activity.condition.label() if activity.condition else ""
            return "\n".join(t for t in (_("Does not apply to this project."), condition) if t)
        elif index.column() == 1 and role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _register_data(self, index: _Index, node: str, role: int) -> Any:
        """The timeline, the registers' group and one node per register."""
        if role == NodeRole:
            return node
        if index.column() == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                if node == TIMELINE:
                    return _("Timeline")
                if node == REGISTERS:
                    # Translators: the navigator's group of the project's own registers (team,
                    # decisions, data inventory, risks, milestones).
                    return _("Project records")
                return kinds.kind(node).plural_text()
            if role == Qt.ItemDataRole.ToolTipRole and node in self._kinds:
                return translate(kinds.kind(node).purpose) or None
            if role == Qt.ItemDataRole.FontRole and index.internalId() == 0:
                font = QFont()
                font.setBold(True)
                return font
        elif index.column() == 1 and node in self._kinds:
            if role == Qt.ItemDataRole.DisplayRole:
                return i18n.format_number(self._counts[node]) if node in self._counts else ""
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor("#6b7680")
        return None


    def _with_verdict(self, node: str, tip: str) -> str:
        """A tool's tooltip: its title and status, then its verdict, then the rest."""
        verdict = self.verdict_of(node) if self.verdict_of and node in self._tools else ""
        if not verdict:
            return tip
        lines = tip.split("\n")
        return "\n".join([*lines[:2], verdict, *lines[2:]])

    def _monitor_data(self, index: _Index, node: str, role: int) -> Any:
        """The Tools group with one node per tool, and the KPIs."""
        if role == NodeRole:
            return node
        text, tip, status = self._monitor.get(node, ("", "", None))
        if index.column() == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                if node == TOOLS:
                    return _("Tools")
                if node == KPIS:
                    return _("KPIs")
                tool = self._roadmap.tool(node)
                return tool.title if tool else node
            if role == Qt.ItemDataRole.ToolTipRole and tip:
                return plain_tooltip(self._with_verdict(node, tip))
            if role == Qt.ItemDataRole.DecorationRole and status is not None:
                return status_icon(status)
            if role == Qt.ItemDataRole.FontRole and index.internalId() == 0:
                font = QFont()
                font.setBold(True)
                return font
        elif index.column() == 1:
            if role == Qt.ItemDataRole.DisplayRole:
                return text
            if role == Qt.ItemDataRole.ToolTipRole and tip:
                return plain_tooltip(self._with_verdict(node, tip))
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _comments_data(self, node: str, role: int) -> Any:
        count = self._comments.get(node, 0)
        if role == NodeRole:
            return node
        if not count:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return i18n.format_number(count)
        if role == Qt.ItemDataRole.DecorationRole:
            return comment_icon()
        if role == Qt.ItemDataRole.ToolTipRole:
            return ngettext("{count} open comment", "{count} open comments",
                            count).format(count=count)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor("#8a5a00")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


_comment_icon: list[QIcon] = []


def comment_icon() -> QIcon:
    """A small speech bubble."""
    if not _comment_icon:
        _comment_icon.append(drawn_icon(_draw_bubble))
    return _comment_icon[0]


def _draw_bubble(p: QPainter) -> None:
    p.setPen(QColor("#b07b12"))
    p.setBrush(QColor("#ffe9b3"))
    p.drawRoundedRect(1, 2, 14, 9, 3, 3)
    p.drawPolygon([QPoint(4, 11), QPoint(4, 15), QPoint(8, 11)])


class ChecklistModel(QAbstractTableModel):
    """The checklist of one activity: item (with check box), owner, due date, note.

    An item's dimension and suggested role are data of the item column
    (``DimensionRole``, ``SuggestedRoleRole``), shown under its text by the view.
    """

    editRequested = Signal(str, object)  # item id, {field: new value}; object keeps types

    ITEM, OWNER, DUE, NOTE = range(4)
    COLUMNS = 4

    def __init__(self, parent: Any = None, roadmap: Roadmap | None = None):
        super().__init__(parent)
        self._roadmap = roadmap
        self._activity: Activity | None = None
        self._state: ProjectState | None = None
        #: A project open for reading only: every row shows, nothing can be changed.
        self.read_only = False
        #: The names of the team register, offered as owners beside the names in use.
        self.team_names: list[str] = []

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        if self.rowCount():  # flags changed: views re-read them with the data
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1,
                                                                 self.columnCount() - 1))

    def set_activity(self, activity: Activity | None, state: ProjectState | None) -> None:
        self.beginResetModel()
        self._activity, self._state = activity, state
        self.endResetModel()

    def update_state(self, state: ProjectState, item_id: str | None = None) -> None:
        """Show fresh state; with ``item_id`` only that row is repainted."""
        self._state = state
        if not self.rowCount():
            return
        last = self.COLUMNS - 1
        if item_id is None:
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, last))
            return
        for row, item in enumerate(self._items()):
            if item.id == item_id:
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    def owner_suggestions(self) -> list[str]:
        """Names to complete an owner from: those the project already uses (most used
        first), then the team register's members not among them."""
        used = self._state.owner_names() if self._state is not None else []
        known = {name.casefold() for name in used}
        return used + [n for n in dict.fromkeys(self.team_names)
                       if n and n.casefold() not in known]

    def _items(self) -> tuple[Any, ...]:
        return self._activity.items if self._activity else ()

    def _role_title(self, item: Any) -> str:
        if not item.role or self._roadmap is None:
            return ""
        role = self._roadmap.role(item.role)
        return role.title if role else ""

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items())

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.COLUMNS:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return [_("Checklist item"), _("Owner"), _("Due date"), _("Note")][section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.read_only:
            return flags
        item = self._items()[index.row()] if index.row() < self.rowCount() else None
        applies = self._state is None or item is None or self._state.applies(item.condition)
        if index.column() == self.ITEM and applies:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        elif index.column() in (self.OWNER, self.DUE, self.NOTE):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def _item_tooltip(self, item: Any) -> str:
        parts = [item.text]
        if item.help:
            parts.append(item.help)
        tags = [item.dimension.label()]
        role = self._role_title(item)
        if role:
            tags.append(_("Suggested role: {role}").format(role=role))
        parts.append("\n".join(tags))
        if item.condition:
            parts.append(item.condition.label())
        return plain_tooltip("\n\n".join(parts))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._state is None or index.row() >= self.rowCount():
            return None
        item = self._items()[index.row()]
        st = self._state.item(item.id)
        col = index.column()
        if role == ItemIdRole:
            return item.id
        if col == self.ITEM and role == DimensionRole:
            return item.dimension.value
        if col == self.ITEM and role == SuggestedRoleRole:
            return self._role_title(item)
        if not self._state.applies(item.condition):
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor("#98a1aa")
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setItalic(True)
                return font
            if role == Qt.ItemDataRole.ToolTipRole and item.condition and col == self.ITEM:
                return plain_tooltip(_("Does not apply to this project.") + "\n"
                                     + item.condition.label() + "\n\n" + item.text)
            if role == Qt.ItemDataRole.CheckStateRole and col == self.ITEM:
                return None
        if col == self.ITEM:
            if role == Qt.ItemDataRole.DisplayRole:
                return item.text
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if st.done else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._item_tooltip(item)
        elif col == self.OWNER:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return st.owner
            if role == Qt.ItemDataRole.ToolTipRole and st.owner:
                return plain_tooltip(st.owner)
        elif col == self.DUE:
            if role == Qt.ItemDataRole.DisplayRole:
                return i18n.format_date(st.due_date) if st.due_date else ""
            if role == Qt.ItemDataRole.EditRole:
                return st.due_date
            overdue = st.due_date is not None and not st.done and st.due_date < dt.date.today()
            if role == Qt.ItemDataRole.ForegroundRole and overdue:
                return QColor("#c0392b")
            if role == Qt.ItemDataRole.ToolTipRole and overdue:
                return plain_tooltip(_("Overdue"))
        elif col == self.NOTE:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return st.note
            if role == Qt.ItemDataRole.ToolTipRole and st.note:
                return plain_tooltip(st.note)
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or self._state is None or self.read_only:
            return False
        item = self._items()[index.row()]
        st = self._state.item(item.id)
        col = index.column()
        change: dict[str, Any] | None = None
        if col == self.ITEM and role == Qt.ItemDataRole.CheckStateRole:
            done = Qt.CheckState(value) == Qt.CheckState.Checked
            change = {"done": done} if done != st.done else None
        elif role == Qt.ItemDataRole.EditRole and col == self.OWNER:
            text = " ".join(str(value or "").split())
            change = {"owner": text} if text != st.owner else None
        elif role == Qt.ItemDataRole.EditRole and col == self.NOTE:
            text = "\n".join(line.rstrip() for line in str(value or "").strip().splitlines())
            change = {"note": text} if text != st.note else None
        elif role == Qt.ItemDataRole.EditRole and col == self.DUE:
            if value is not None and not isinstance(value, dt.date):
                return False  # never store something that is not a date
            change = {"due_date": value} if value != st.due_date else None
        else:
            return False
        if change:
            self.editRequested.emit(item.id, change)
        return True
