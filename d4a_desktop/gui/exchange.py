"""Exchange packages in the window: export one, open one (to merge or to read).

A package is read and checked off the window's thread, with progress and Cancel; one that
cannot be used is refused with its translated reason and nothing of it is kept. A package
of the project open in a window offers a merge (``gui/merge.py``); any other opens in a
partner view: a window that shows the package's project read-only, every page available.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from d4a_desktop import i18n
from d4a_desktop.gui import dialogs, tasks
from d4a_desktop.i18n import _
from d4a_desktop.services.exchange import Cancelled, ExchangeError, Package, PartnerView
from d4a_desktop.services.exchange import package as pkg
from d4a_desktop.services.exchange.schema import LEAVE_OUT

if TYPE_CHECKING:
    from d4a_desktop.services.projects import ProjectSession

log = logging.getLogger("d4a.exchange")

ModelIndex = QModelIndex | QPersistentModelIndex
#: The role that holds a cell's value for sorting (numbers sort as numbers).
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


def package_filter() -> str:
    return _("D4A exchange packages (*.d4ax)") + ";;" + _("All files (*)")


def is_package(path: Path | str) -> bool:
    return Path(path).suffix.lower() == pkg.SUFFIX


class TableModel(QAbstractTableModel):
    """Rows of cells to read: each cell a text, or a (text, sort value, tooltip) triple."""

    def __init__(self, headers: Sequence[str], parent: Any = None):
        super().__init__(parent)
        self._headers = list(headers)
        self._rows: list[list[tuple[str, Any, str]]] = []
        self._numeric: set[int] = set()
        #: A column's header as a tooltip where the header itself is shortened.
        self.header_tips: dict[int, str] = {}

    def set_rows(self, rows: Sequence[Sequence[Any]], numeric: Sequence[int] = ()) -> None:
        self.beginResetModel()
        self._rows = [[self._cell(c) for c in row] for row in rows]
        self._numeric = set(numeric)
        self.endResetModel()

    @staticmethod
    def _cell(value: Any) -> tuple[str, Any, str]:
        if isinstance(value, tuple):
            text, key, tip = [*value, "", ""][:3]
            return str(text), key if key is not None else str(text), str(tip)
        return str(value), str(value), ""

    def set_cell(self, row: int, column: int, value: Any) -> None:
        self._rows[row][column] = self._cell(value)
        index = self.index(row, column)
        self.dataChanged.emit(index, index)

    def text(self, row: int, column: int) -> str:
        return self._rows[row][column][0]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or \
                index.column() >= len(self._headers):
            return None
        text, key, tip = self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip or (text if len(text) > 40 else None)
        if role == SORT_ROLE:
            return key
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self._numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._headers):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.header_tips.get(section)
        return None


# --- what a package leaves out --------------------------------------------------------------

def _explanation(part: str) -> str:
    texts = {
        "notes": _("the notes written on checklist items, activities and records"),
        "owners": _("who owns each checklist item and record"),
        "comments": _("comments and review marks"),
        "personal": _("the team's names, e-mail addresses and phone numbers, and every other "
                      "name and contact of a person in the registers (personal data)"),
    }
    return texts.get(part, "")


class LeaveOutChoices(QWidget):
    """What a package may leave out, each with what it means, and a sentence that says
    plainly what the partner will and will not see."""

    def __init__(self, chosen: Sequence[str] = ("personal",), parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(_("Leave out of the package:"))
        layout.addWidget(heading)
        self.boxes: dict[str, QCheckBox] = {}
        for part in LEAVE_OUT:
            box = QCheckBox(pkg.leave_out_label(part))
            box.setChecked(part in chosen)
            box.setToolTip(_explanation(part))
            box.toggled.connect(self._update)
            self.boxes[part] = box
            layout.addWidget(box)
            hint = QLabel(_explanation(part))
            hint.setWordWrap(True)
            hint.setContentsMargins(24, 0, 0, 4)
            hint.setEnabled(False)
            layout.addWidget(hint)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("leaveOutSummary")
        layout.addSpacing(6)
        layout.addWidget(self.summary)
        self._update()

    def chosen(self) -> tuple[str, ...]:
        return tuple(p for p in LEAVE_OUT if self.boxes[p].isChecked())

    def _update(self) -> None:
        left = self.chosen()
        if "personal" in left:
            text = _("Personal data stays on this computer: the package holds no names or "
                     "contacts of people.") + " " + _(
                "A colleague who works on a copy of this project needs the names too: in that "
                "case, untick this box.")
        else:
            text = _("The package holds personal data: the names and contacts of people in "
                     "your team and registers. Share it only with partners who may see them.")
        if left:
            text += " " + _("Left out: {parts}.").format(
                parts=i18n.format_list([pkg.leave_out_label(p) for p in left]))
        self.summary.setText(text)


class ExportDialog(QDialog):
    """File › Export Package…: what to share, the personal data withheld said plainly."""

    def __init__(self, title: str, chosen: Sequence[str] = ("personal",),
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Export Package"))
        layout = QVBoxLayout(self)
        intro = QLabel(_("An exchange package holds the project “{title}” for a partner to "
                         "read, compare or merge. Your project file stays as it is.")
                       .format(title=title))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.choices = LeaveOutChoices(chosen)
        layout.addWidget(self.choices)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton(_("&Export…"),
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)


def suggested_name(session: ProjectSession) -> str:
    return session.path.with_suffix(pkg.SUFFIX).name


def export_package(parent: QWidget, session: ProjectSession, author: str,
                   chosen: Sequence[str] = ("personal",),
                   ask_path: Callable[[str], str] | None = None
                   ) -> tuple[Path, tuple[str, ...]] | None:
    """Ask what to share and where, write the package off the window's thread; the path
    and what was left out, or None when the user stopped or it failed (they were told)."""
    dialog = ExportDialog(session.state().meta.title, chosen, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    leave_out = dialog.choices.chosen()
    start = str(session.path.parent / suggested_name(session))
    if ask_path is None:
        name, _filter = QFileDialog.getSaveFileName(parent, _("Export package"), start,
                                                    package_filter())
    else:
        name = ask_path(start)
    if not name:
        return None
    target = Path(name)
    if not is_package(target):
        target = target.with_name(target.name + pkg.SUFFIX)

    def work(report: Callable[[int, int, str], None], cancel: threading.Event) -> Path:
        pkg.export_package(session, target, leave_out=leave_out, author=author)
        return target

    try:
        written = tasks.run_with_progress(work, parent=parent, cancellable=False,
                                          label=_("Writing the package…"))
    except ExchangeError as exc:
        dialogs.show_error(parent, exc.message, _("Cannot export the package"))
        return None
    log.info("exported %s (leaving out %s)", written, ",".join(leave_out) or "nothing")
    return written, leave_out


def read_package(parent: QWidget | None, path: Path) -> Package | None:
    """Read and check a package off the window's thread; None when it cannot be used or
    the user cancelled (a refused package is explained)."""
    def work(report: Callable[[int, int, str], None], cancel: threading.Event) -> Package:
        return pkg.read_package(path)

    try:
        return tasks.run_with_progress(
            work, parent=parent,
            label=_("Reading and checking {name}…").format(name=path.name))
    except Cancelled:
        return None
    except ExchangeError as exc:
        log.info("package refused: %s (%s)", path, exc.kind)
        dialogs.show_error(parent, exc.message, _("Cannot open the package"))
        return None


def partner_view(parent: QWidget | None, package: Package) -> PartnerView | None:
    """The package's project as a read-only session for a window."""
    from d4a_desktop.storage import ProjectFileError

    def work(report: Callable[[int, int, str], None], cancel: threading.Event) -> PartnerView:
        return pkg.view_of(package)

    try:
        return tasks.run_with_progress(
            work, parent=parent, cancellable=False,
            label=_("Opening {name}…").format(name=package.path.name))
    except (ExchangeError, ProjectFileError) as exc:
        dialogs.show_error(parent, getattr(exc, "message", str(exc)),
                           _("Cannot open the package"))
        return None


def partner_note(package: Package) -> str:
    """What the bar of a partner view says: whose package, from when, nothing editable."""
    project = package.project
    manifest = package.manifest
    text = _("You are reading {municipality}'s package “{title}”, exported by {author} on "
             "{date}. Nothing in it can be changed here, and your own project is not "
             "affected.").format(
        municipality=project.get("municipality") or "?", title=project.get("title") or "?",
        author=manifest.author or _("someone unnamed"),
        date=i18n.format_date(manifest.exported_at.date()))
    if manifest.left_out:
        text += " " + _("The package leaves out: {parts}.").format(
            parts=i18n.format_list([pkg.leave_out_label(p) for p in manifest.left_out]))
    if package.partial:
        text += " " + _("A newer version of the program wrote it: what this version does not "
                        "know is not shown.")
    return text
