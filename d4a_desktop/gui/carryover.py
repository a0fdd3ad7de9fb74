"""File › New from Existing Project: a new project that starts from an earlier one.

The user picks the earlier project file, names the new project and chooses what to carry
over (``services.projects.CARRY``); measurements, comments and review marks stay behind
unless they are ticked. The earlier file is only read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from d4a_desktop.core.project import ProjectMeta
from d4a_desktop.gui import dialogs
from d4a_desktop.gui.dialogs import (
    _select,
    country_combo,
    file_filter,
    language_combo,
    unused_name,
)
from d4a_desktop.i18n import _
from d4a_desktop.services.projects import CARRY, CARRY_DEFAULT, NewProject


def carry_label(name: str) -> str:
    """What one choice of ``CARRY`` carries over, for the dialog."""
    return {
        "details": _("Project details and the answers to what applies"),
        "checklist": _("Checklist answers and the status of each activity"),
        "team": _("Team and responsibility matrix"),
        "decisions": _("Decisions"),
        "datasets": _("Data inventory"),
        "risks": _("Risks"),
        "milestones": _("Milestones"),
        "kpis": _("KPI definitions"),
        "tools": _("Filled tools, as drafts without their saved versions"),
        "measurements": _("Measurements of the KPIs"),
        "comments": _("Comments"),
        "reviews": _("Review marks"),
    }.get(name, name)


@dataclass(frozen=True)
class Request:
    """What the user chose in the dialog, as plain data: the window creates the project from it
    (``services.projects.create_from_existing``) after the dialog has closed."""

    source: Path
    target: Path
    details: NewProject
    carry: tuple[str, ...]


class NewFromExistingDialog(QDialog):
    def __init__(self, source: Path, meta: ProjectMeta, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("New from existing project"))
        self.source = source
        self._meta = meta
        intro = QLabel(_("The new project starts from “{title}” ({name}). Choose what it "
                         "carries over; everything gets new identities, and the earlier "
                         "project stays as it is.").format(title=meta.title, name=source.name))
        intro.setWordWrap(True)
        details = QGroupBox(_("The new project"))
        form = QFormLayout(details)
        self.title = QLineEdit(meta.title)
        self.municipality = QLineEdit(meta.municipality)
        self.country = country_combo()
        _select(self.country, meta.country)
        self.language = language_combo()
        _select(self.language, meta.language)
        form.addRow(_("Project &title:"), self.title)
        form.addRow(_("&Municipality or region:"), self.municipality)
        form.addRow(_("&Country:"), self.country)
        form.addRow(_("Project &language:"), self.language)
        carry = QGroupBox(_("Carry over"))
        grid = QGridLayout(carry)
        self.boxes: dict[str, QCheckBox] = {}
        for n, name in enumerate(CARRY):
            box = QCheckBox(carry_label(name))
            box.setChecked(name in CARRY_DEFAULT)
            self.boxes[name] = box
            grid.addWidget(box, n // 2, n % 2)
        hint = QLabel(_("Measurements, comments and review marks belong to the earlier "
                        "project; they are carried over only when you tick them."))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        grid.addWidget(hint, (len(CARRY) + 1) // 2, 0, 1, 2)
        # Measurements need their KPIs.
        self.boxes["measurements"].toggled.connect(self._measurements_toggled)
        self.boxes["kpis"].toggled.connect(self._kpis_toggled)
        where = QHBoxLayout()
        self.path = QLineEdit()
        browse = QPushButton(_("Browse…"))
        browse.clicked.connect(self._browse)
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        where_label = QLabel(_("Project &file:"))
        where_label.setBuddy(self.path)
        self.path.setText(str(unused_name(source.parent, meta.title or source.stem)))
        buttons = QDialogButtonBox()
        create = buttons.addButton(_("&Create project"), QDialogButtonBox.ButtonRole.AcceptRole)
        create.setDefault(True)
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(details)
        layout.addWidget(carry)
        layout.addWidget(where_label)
        layout.addLayout(where)
        layout.addWidget(buttons)
        self.resize(700, 560)

    def _measurements_toggled(self, on: bool) -> None:
        if on:
            self.boxes["kpis"].setChecked(True)

    def _kpis_toggled(self, on: bool) -> None:
        if not on:
            self.boxes["measurements"].setChecked(False)

    def _browse(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(self, _("New project file"),
                                                    self.path.text(), file_filter())
        if name:
            self.path.setText(name if name.endswith(".d4a") else name + ".d4a")

    def target(self) -> Path:
        path = Path(self.path.text().strip()).expanduser()
        return path if path.suffix == ".d4a" else path.with_name(path.name + ".d4a")

    def carry(self) -> tuple[str, ...]:
        return tuple(name for name in CARRY if self.boxes[name].isChecked())

    def details(self) -> NewProject:
        return NewProject(title=self.title.text().strip(),
                          municipality=self.municipality.text().strip(),
                          country=str(self.country.currentData() or ""),
                          domain=self._meta.domain, language=str(
                              self.language.currentData() or "en"),
                          tandem_partner=self._meta.tandem_partner)

    def _accept(self) -> None:
        if not (self.title.text().strip() and self.municipality.text().strip()
                and self.country.currentData()):
            dialogs.show_error(self, _("A project needs a title, a municipality and a "
                                       "country."))
            return
        target = self.target()
        if not self.path.text().strip():
            return
        if target.resolve() == self.source.resolve():
            dialogs.show_error(self, _("Choose another file for the new project: the earlier "
                                       "project is only read, never replaced."))
            return
        if not target.parent.is_dir():
            dialogs.show_error(self, _("The folder {folder} does not exist.").format(
                folder=target.parent))
            return
        if target.exists():
            dialogs.show_error(self, _("{name} already exists; choose another name for the new "
                               "project.").format(name=target.name))
            return
        self.accept()

    def request(self) -> Request:
        return Request(self.source, self.target(), self.details(), self.carry())

