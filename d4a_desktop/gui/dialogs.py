"""Dialogs: the new-project wizard, project details, preferences (messages and file
filters are in ``gui/messages.py``, which a start loads without these)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from d4a_desktop import i18n
from d4a_desktop.core.content import Tool
from d4a_desktop.core.project import ProjectMeta
from d4a_desktop.core.vocab import PARTNER_COUNTRIES, Condition
from d4a_desktop.gui.messages import (  # noqa: F401 - re-exported for the dialogs' users
    Role,
    choose,
    file_filter,
    open_filter,
    show_error,
)
from d4a_desktop.i18n import _, pgettext
from d4a_desktop.i18n.collation import sort_key
from d4a_desktop.services.projects import NewProject

#: The country a language points to, where there is one. Dutch is spoken in Belgium and
#: the Netherlands, French in Belgium and France (and English anywhere): ask instead.
_LANGUAGE_COUNTRY = {"da": "DK", "de": "DE", "nb": "NO", "sv": "SE"}
_LIKELY_COUNTRIES = {"nl": ("BE", "NL"), "fr": ("BE", "FR")}


def default_country(locale: str, last: str = "") -> str:
    """The country a new project most likely belongs to, or "" to ask.

    The country of the last project created comes first (a Flemish user's interface may be
    English); then a region in the locale (``nl_BE``); then the language's own country.
    """
    if last:
        return last.upper()
    language, _sep, region = locale.partition("_")
    if len(region) == 2 and region.isalpha():
        return region.upper()
    return _LANGUAGE_COUNTRY.get(language, "")

def _domains() -> list[str]:
    return [
        # Translators: suggestions for the policy domain of a data project.
        pgettext("policy domain", "Mobility"),
        pgettext("policy domain", "Climate and energy"),
        pgettext("policy domain", "Economic development"),
        pgettext("policy domain", "Environment"),
        pgettext("policy domain", "Open data"),
        pgettext("policy domain", "Public services"),
    ]


def country_combo() -> QComboBox:
    """Partner countries first (the likely ones for the language at the top), then every
    other country, named in the interface language. Nothing is chosen yet."""
    from babel import Locale

    names = Locale.parse(i18n.locale()).territories
    combo = QComboBox()
    likely = _LIKELY_COUNTRIES.get(i18n.language(), ())
    for code in (*likely, *(c for c in PARTNER_COUNTRIES if c not in likely)):
        combo.addItem(names.get(code, code), code)
    combo.insertSeparator(combo.count())
    language = i18n.language()
    others = sorted(((str(name), code) for code, name in names.items()
                     if len(code) == 2 and code.isalpha() and code not in PARTNER_COUNTRIES),
                    key=lambda pair: sort_key(pair[0], language))
    for name, code in others:
        combo.addItem(name, code)
    combo.setPlaceholderText(_("Choose the country"))
    combo.setCurrentIndex(-1)
    return combo


def language_combo(include_system: bool = False) -> QComboBox:
    combo = QComboBox()
    if include_system:
        combo.addItem(_("Same as the system"), "")
    for code, name in i18n.LANGUAGES.items():
        combo.addItem(name, code)
    return combo


def _select(combo: QComboBox, value: str) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)


class _DetailsForm(QWidget):
    """The project fields shared by the wizard and the details dialog."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        form = QFormLayout(self)
        self.title = QLineEdit()
        self.title.setPlaceholderText(_("for example: Data-driven cycling policy"))
        self.municipality = QLineEdit()
        self.municipality.setPlaceholderText(_("for example: Kortrijk"))
        self.country = country_combo()
        self.domain = QComboBox()
        self.domain.setEditable(True)
        self.domain.addItems(_domains())
        self.domain.setCurrentText("")
        self.language = language_combo()
        _select(self.language, i18n.language())
        self.tandem = QLineEdit()
        self.tandem.setPlaceholderText(_("optional"))
        # Translators: explains "tandem partner" under its field and in its tooltip.
        explanation = _("In D4A, two municipalities that work on a shared topic form a "
                        "tandem: they exchange their progress and learn from each other. "
                        "Name your partner municipality here.")
        tandem_label = QLabel(_("Tandem &partner:"))
        tandem_label.setBuddy(self.tandem)
        self.tandem_hint = QLabel(explanation)
        self.tandem_hint.setObjectName("hint")
        self.tandem_hint.setWordWrap(True)
        for widget in (tandem_label, self.tandem):
            widget.setToolTip(explanation)
        tandem_field = QWidget()
        tandem_box = QVBoxLayout(tandem_field)
        tandem_box.setContentsMargins(0, 0, 0, 0)
        tandem_box.setSpacing(2)
        tandem_box.addWidget(self.tandem)
        tandem_box.addWidget(self.tandem_hint)
        form.addRow(_("Project &title:"), self.title)
        form.addRow(_("&Municipality or region:"), self.municipality)
        form.addRow(_("&Country:"), self.country)
        form.addRow(_("Policy &domain:"), self.domain)
        form.addRow(_("Project &language:"), self.language)
        form.addRow(tandem_label, tandem_field)

    def complete(self) -> bool:
        return bool(self.title.text().strip() and self.municipality.text().strip()
                     and self.country.currentData())

    def load(self, meta: ProjectMeta) -> None:
        self.title.setText(meta.title)
        self.municipality.setText(meta.municipality)
        _select(self.country, meta.country)
        self.domain.setCurrentText(meta.domain)
        _select(self.language, meta.language)
        self.tandem.setText(meta.tandem_partner)

    def values(self) -> dict[str, str]:
        return {
            "title": self.title.text().strip(),
            "municipality": self.municipality.text().strip(),
            "country": str(self.country.currentData() or ""),
            "domain": self.domain.currentText().strip(),
            "language": str(self.language.currentData() or "en"),
            "tandem_partner": self.tandem.text().strip(),
        }


class ConditionsForm(QWidget):
    """The four questions that decide which conditional items and activities apply."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        form = QFormLayout(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.combos: dict[Condition, QComboBox] = {}
        for condition in Condition:
            combo = QComboBox()
            combo.addItem(_("Not sure yet"), None)
            combo.addItem(_("Yes"), True)
            combo.addItem(_("No"), False)
            label = QLabel(condition.question())
            label.setWordWrap(True)
            label.setBuddy(combo)
            form.addRow(label, combo)
            self.combos[condition] = combo

    def load(self, answers: dict[Condition, bool | None]) -> None:
        for condition, combo in self.combos.items():
            value = answers.get(condition)
            combo.setCurrentIndex({None: 0, True: 1, False: 2}[value])

    def values(self) -> dict[Condition, bool | None]:
        return {c: combo.currentData() for c, combo in self.combos.items()}


def _page_layout(page: QWizardPage, explanation: str) -> QVBoxLayout:
    """A wizard page's layout, opened by its explanation as wrapping text (a wizard's
    subtitle is clipped when a translation is long)."""
    intro = QLabel(explanation)
    intro.setWordWrap(True)
    layout = QVBoxLayout(page)
    layout.addWidget(intro)
    layout.addSpacing(8)
    return layout


class _DetailsPage(QWizardPage):
    def __init__(self, form: _DetailsForm):
        super().__init__()
        # Translators: the heading of a wizard page; write it as a heading, not as a
        # sentence or sub-clause.
        self.setTitle(_("About the project"))
        layout = _page_layout(self, _(
            "These details appear on the overview, in printouts and in what "
            "you share with partners. You can change them later."))
        layout.addWidget(form)
        self._form = form
        form.title.textChanged.connect(self.completeChanged)
        form.municipality.textChanged.connect(self.completeChanged)
        form.country.currentIndexChanged.connect(self.completeChanged)

    def isComplete(self) -> bool:
        return self._form.complete()

    def validatePage(self) -> bool:
        return self._form.complete()


class _ConditionsPage(QWizardPage):
    def __init__(self, form: ConditionsForm):
        super().__init__()
        # Translators: the heading of a wizard page and of a group in Project Details; write
        # it as a heading, not as a sub-clause.
        self.setTitle(_("What applies to the project"))
        layout = _page_layout(self, _(
            "Some steps of the roadmap apply only in certain situations. Answer "
            "what you know now; \"Not sure yet\" keeps those steps in the plan. "
            "You can change the answers later."))
        layout.addWidget(form)
        layout.addStretch(1)


def documents_folder() -> Path:
    """The user's Documents folder, whether or not it exists yet."""
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs else Path.home() / "Documents"


def _usable(folder: Path) -> bool:
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)


def suggested_folder(last: str = "") -> Path:
    """Where to suggest keeping a new project: the folder used last time, else Documents.

    A fresh account may have no Documents folder yet; it is suggested anyway when it can
    be created (the wizard creates it), else the home folder. A folder that cannot be
    written to is never suggested.
    """
    if last and _usable(Path(last)):
        return Path(last)
    docs = documents_folder()
    if _usable(docs) or (not docs.exists() and _usable(docs.parent)):
        return docs
    return Path.home()


def unused_name(folder: Path, stem: str) -> Path:
    """``folder/stem.d4a``, or ``stem 2.d4a`` … when that file exists already."""
    path = folder / f"{stem}.d4a"
    number = 2
    while path.exists():
        path = folder / f"{stem} {number}.d4a"
        number += 1
    return path


class _LocationPage(QWizardPage):
    def __init__(self, form: _DetailsForm, last_folder: str = ""):
        super().__init__()
        self._form = form
        self._last_folder = last_folder
        self._suggested = ""
        # Translators: the heading of a wizard page; write it as a heading, not as a
        # sentence or sub-clause.
        self.setTitle(_("Where to keep the project"))
        layout = _page_layout(self, _(
            "The project is one file. Every change is saved in it at once; "
            "you can copy it, back it up or put it on a USB stick."))
        row = QHBoxLayout()
        self.path = QLineEdit()
        browse = QPushButton(_("Browse…"))
        browse.clicked.connect(self._browse)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        label = QLabel(_("Project &file:"))
        label.setBuddy(self.path)
        layout.addWidget(label)
        layout.addLayout(row)
        layout.addStretch(1)
        self.path.textChanged.connect(self.completeChanged)

    def initializePage(self) -> None:
        """Suggest a file named after the title, until the user types a path of their own."""
        if self.path.text() and self.path.text() != self._suggested:
            return
        stem = re.sub(r'[\\/:*?"<>|]+', "-", self._form.title.text().strip()).strip(". ") \
            or pgettext("default file name", "project")
        self._suggested = str(unused_name(suggested_folder(self._last_folder), stem))
        self.path.setText(self._suggested)

    def _browse(self) -> None:
        start = self.path.text()
        if not Path(start).parent.is_dir():
            start = str(Path.home() / Path(start).name)
        name, _filter = QFileDialog.getSaveFileName(self, _("New project file"), start,
                                                    file_filter())
        if name:
            self.path.setText(name if name.endswith(".d4a") else name + ".d4a")

    def isComplete(self) -> bool:
        return bool(self.path.text().strip())

    def validatePage(self) -> bool:
        path = Path(self.path.text().strip()).expanduser()
        if path.suffix != ".d4a":
            path = path.with_name(path.name + ".d4a")
            self.path.setText(str(path))
        folder = path.parent
        if not folder.is_dir():
            suggested = str(folder) == str(Path(self._suggested).parent)
            if not suggested and not self._confirm_new_folder(folder):
                return False
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                show_error(self, _("The folder {folder} could not be created: {reason}")
                           .format(folder=folder, reason=exc.strerror or exc))
                return False
        if path.exists():
            box = QMessageBox(QMessageBox.Icon.Question, _("Replace file?"),
                              _("{name} already exists. Replace it with the new project?")
                              .format(name=path.name), parent=self)
            replace = box.addButton(_("Replace"), QMessageBox.ButtonRole.DestructiveRole)
            box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is not replace:
                return False
        return True

    def _confirm_new_folder(self, folder: Path) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, _("Create folder?"),
                          _("The folder {folder} does not exist. Create it?")
                          .format(folder=folder), parent=self)
        create = box.addButton(_("Create folder"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is create


class NewProjectWizard(QWizard):
    """Title, municipality and country; what applies; where the file goes.

    ``last_country`` and ``last_folder`` are what the user chose for their previous
    project: the best guesses for this one.
    """

    def __init__(self, parent: QWidget | None = None, last_country: str = "",
                 last_folder: str = ""):
        super().__init__(parent)
        self.setWindowTitle(_("New project"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.form = _DetailsForm()
        _select(self.form.country, default_country(i18n.locale(), last_country))
        self.conditions = ConditionsForm()
        self.location = _LocationPage(self.form, last_folder)
        self.addPage(_DetailsPage(self.form))
        self.addPage(_ConditionsPage(self.conditions))
        self.addPage(self.location)
        self.setButtonText(QWizard.WizardButton.NextButton, _("&Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< &Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("&Create project"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        self.resize(620, 440)

    def details(self) -> NewProject:
        return NewProject(**self.form.values(), conditions=self.conditions.values())

    def path(self) -> Path:
        return Path(self.location.path.text().strip()).expanduser()

    def overwrite(self) -> bool:
        return self.path().exists()


class ProjectDetailsDialog(QDialog):
    def __init__(self, meta: ProjectMeta, answers: dict[Condition, bool | None],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Project details"))
        self.form = _DetailsForm()
        self.form.load(meta)
        self._meta = meta
        self.conditions = ConditionsForm()
        self.conditions.load(answers)
        self._answers = {c: answers.get(c) for c in Condition}
        # Translators: the heading of a group of questions; write it as a heading, not as a
        # sub-clause.
        group = QGroupBox(_("What applies to the project"))
        QVBoxLayout(group).addWidget(self.conditions)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("OK"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(group)
        layout.addWidget(buttons)
        self.resize(620, 520)

    def _accept(self) -> None:
        if not self.form.complete():
            show_error(self, _("A project needs a title, a municipality and a country."))
            return
        self.accept()

    def changes(self) -> dict[str, str]:
        return {k: v for k, v in self.form.values().items() if getattr(self._meta, k) != v}

    def condition_changes(self) -> dict[Condition, bool | None]:
        return {c: v for c, v in self.conditions.values().items() if self._answers[c] != v}


class ToolDialog(QDialog):
    """A tool of the roadmap as its worksheet: sections, fields, choices and scales."""

    def __init__(self, tool: Tool, parent: QWidget | None = None):
        super().__init__(parent)
        from d4a_desktop.gui.links import open_url
        from d4a_desktop.services.roadmap_export import tool_markdown

        self.setWindowTitle(tool.title)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(lambda url: open_url(self, url))
        self.browser.document().setDocumentMargin(14)
        self.browser.setMarkdown(tool_markdown(tool))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(720, 640)


class PreferencesDialog(QDialog):
    def __init__(self, language: str, author_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Preferences"))
        form = QFormLayout()
        self.language = language_combo(include_system=True)
        _select(self.language, language)
        self.author = QLineEdit(author_name)
        self.author.setPlaceholderText(_("your login name is used when this is empty"))
        form.addRow(_("&Language:"), self.language)
        form.addRow(_("Your &name:"), self.author)
        note = QLabel(_("Your name is recorded with each change, so partners see who did "
                        "what. A new language is used from the next start of the program."))
        note.setWordWrap(True)
        note.setObjectName("hint")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("OK"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(480, 200)

    def chosen_language(self) -> str:
        return str(self.language.currentData() or "")

    def chosen_author(self) -> str:
        return self.author.text().strip()
