"""The new-project wizard's first guesses: the country and where to keep the file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWizard

from d4a_desktop import i18n
from d4a_desktop.gui import dialogs
from d4a_desktop.gui.mainwindow import MainWindow
from d4a_desktop.gui.settings import Settings


@pytest.mark.parametrize(("locale", "last", "expected"), [
    ("da", "", "DK"), ("de", "", "DE"), ("nb", "", "NO"), ("sv", "", "SE"),
    ("nl", "", ""), ("fr", "", ""), ("en", "", ""),  # ask: more than one country is likely
    ("nl_BE", "", "BE"), ("fr_FR", "", "FR"), ("nl", "NL", "NL"), ("da", "se", "SE"),
])
def test_default_country(locale: str, last: str, expected: str) -> None:
    assert dialogs.default_country(locale, last) == expected


@pytest.mark.parametrize(("lang", "country"), [("da", "DK"), ("de", "DE"), ("sv", "SE")])
def test_wizard_starts_with_the_languages_country(qtbot, lang: str, country: str) -> None:
    i18n.set_language(lang)
    wizard = dialogs.NewProjectWizard()
    qtbot.addWidget(wizard)
    assert wizard.form.country.currentData() == country


@pytest.mark.parametrize(("lang", "likely"), [("fr", ("BE", "FR")), ("nl", ("BE", "NL"))])
def test_wizard_asks_when_two_countries_are_likely(qtbot, lang: str,
                                                   likely: tuple[str, str]) -> None:
    i18n.set_language(lang)
    wizard = dialogs.NewProjectWizard()
    qtbot.addWidget(wizard)
    combo = wizard.form.country
    assert combo.currentIndex() == -1 and combo.placeholderText()
    assert (combo.itemData(0), combo.itemData(1)) == likely  # the likely ones first
    wizard.restart()
    wizard.form.title.setText("Fietstellingen")
    wizard.form.municipality.setText("Kortrijk")
    assert not wizard.currentPage().isComplete(), "the country must be chosen"
    combo.setCurrentIndex(0)
    assert wizard.currentPage().isComplete()


def test_wizard_remembers_the_last_country_and_folder(window: MainWindow, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      settings: Settings) -> None:
    folder = tmp_path / "projects"
    folder.mkdir()
    seen: list[tuple[str, str]] = []

    def finish(wizard: dialogs.NewProjectWizard) -> int:
        wizard.restart()
        seen.append((str(wizard.form.country.currentData() or ""), ""))
        wizard.form.title.setText("Cycling")
        wizard.form.municipality.setText("Emmen")
        if wizard.form.country.currentIndex() < 0:
            wizard.form.country.setCurrentIndex(wizard.form.country.findData("NL"))
        wizard.next()
        wizard.next()
        seen[-1] = (seen[-1][0], wizard.location.path.text())
        if not seen[-1][1].startswith(str(folder)):
            wizard.location.path.setText(str(folder / "cycling.d4a"))
        assert wizard.currentPage().validatePage()
        return QWizard.DialogCode.Accepted

    monkeypatch.setattr(dialogs.NewProjectWizard, "exec", finish)
    window.new_project()
    assert settings.last_country == "NL"
    assert settings.last_folder == str(folder)
    window.close_project()
    window.new_project()
    country, suggested = seen[-1]
    assert country == "NL"
    assert Path(suggested) == folder / "Cycling.d4a"


def test_missing_documents_folder_is_created(qtbot, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    docs = tmp_path / "home" / "Documents"
    docs.parent.mkdir()
    monkeypatch.setattr(dialogs, "documents_folder", lambda: docs)
    wizard = dialogs.NewProjectWizard()
    qtbot.addWidget(wizard)
    wizard.restart()
    wizard.form.title.setText("Climate: dashboard?")
    wizard.form.municipality.setText("Brest")
    wizard.form.country.setCurrentIndex(wizard.form.country.findData("FR"))
    wizard.next()
    wizard.next()
    suggested = Path(wizard.location.path.text())
    assert suggested == docs / "Climate- dashboard-.d4a"
    assert not docs.exists()
    assert wizard.location.validatePage()
    assert docs.is_dir()


def test_unwritable_folders_are_never_suggested(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    if os.geteuid() == 0:
        locked = tmp_path / "not-a-folder"
        locked.write_text("a file, not a folder")
        docs = locked / "Documents"
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        docs = locked / "Documents"
    monkeypatch.setattr(dialogs, "documents_folder", lambda: docs)
    monkeypatch.setattr(Path, "home", staticmethod(lambda: tmp_path))
    assert dialogs.suggested_folder("") == tmp_path
    assert dialogs.suggested_folder(str(tmp_path / "gone")) == tmp_path
    existing = tmp_path / "work"
    existing.mkdir()
    assert dialogs.suggested_folder(str(existing)) == existing


def test_an_existing_name_is_not_suggested(tmp_path: Path) -> None:
    (tmp_path / "Cycling.d4a").write_bytes(b"")
    (tmp_path / "Cycling 2.d4a").write_bytes(b"")
    assert dialogs.unused_name(tmp_path, "Cycling") == tmp_path / "Cycling 3.d4a"


def test_a_typed_folder_that_does_not_exist_is_asked_about(qtbot, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    answers: list[str] = []

    def answer(box: QMessageBox) -> int:
        answers.append(box.text())
        box.buttons()[0].click()  # "Create folder"
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    wizard = dialogs.NewProjectWizard()
    qtbot.addWidget(wizard)
    wizard.restart()
    target = tmp_path / "new" / "place" / "p.d4a"
    wizard.location.path.setText(str(target))
    assert wizard.location.validatePage()
    assert answers and str(target.parent) in answers[0]
    assert target.parent.is_dir()
