"""Qt's own dialogs speak the interface language: its catalog, with ours filling the gaps."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QLocale, Qt, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFileDialog,
    QLabel,
    QLineEdit,
    QTreeView,
)

from d4a_desktop import i18n
from d4a_desktop.app import install_qt_translations
from d4a_desktop.gui.qt_strings import STRINGS

ENGLISH_LABELS = {"&Look in:", "File &name:", "Files of &type:"}
#: Contexts of what Qt asks for that is not words on the screen: key names of shortcuts
#: and the layout direction.
NOT_WORDS_CONTEXTS = {"QGuiApplication", "QShortcut"}
NOT_WORDS = {("QFileDialog", "Alt+Left"), ("QFileDialog", "Alt+Right"),
             ("QFileDialog", "Alt+Up"), ("QFileDialog", "Show ")}


@pytest.fixture
def qt_language(qapp: QApplication) -> Iterator[Callable[[str], list[object]]]:
    installed: list[object] = []
    default = QLocale()

    def install(language: str) -> list[object]:
        i18n.set_language(language)
        translators = install_qt_translations(qapp, language)
        installed.extend(translators)
        return translators

    yield install
    for translator in installed:
        qapp.removeTranslator(translator)  # type: ignore[arg-type]
    QLocale.setDefault(default)


def _file_dialog() -> QFileDialog:
    dialog = QFileDialog(None, "x", "", "D4A projects (*.d4a)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    return dialog


def _texts(dialog: QFileDialog) -> dict[str, set[str]]:
    files = dialog.findChild(QTreeView).model()
    return {
        "labels": {w.text() for w in dialog.findChildren(QLabel) if w.text()},
        "buttons": {w.text() for w in dialog.findChildren(QAbstractButton) if w.text()},
        "tips": {w.toolTip() for w in dialog.findChildren(QAbstractButton) if w.toolTip()},
        "columns": {str(files.headerData(c, Qt.Orientation.Horizontal))
                    for c in range(files.columnCount())},
    }


def test_file_dialog_labels_are_danish(qt_language: Callable[[str], list[object]]) -> None:
    qt_language("da")
    texts = _texts(_file_dialog())
    assert {"&Kig i:", "Fil&navn:", "Filer af &typen:"} <= texts["labels"]
    assert not texts["labels"] & ENGLISH_LABELS
    assert {"&Åbn", "Annuller"} <= texts["buttons"]
    assert {"Tilbage", "Frem", "Overordnet mappe", "Opret ny mappe"} <= texts["tips"]
    assert {"Navn", "Størrelse", "Ændret"} <= texts["columns"]


@pytest.mark.parametrize("lang", ["nl", "da", "de", "fr", "nb", "sv"])
def test_file_dialog_has_no_english_label(lang: str,
                                          qt_language: Callable[[str], list[object]]) -> None:
    qt_language(lang)
    texts = _texts(_file_dialog())
    assert not texts["labels"] & ENGLISH_LABELS, texts["labels"]
    assert not texts["buttons"] & {"&Open", "Cancel"}
    assert not texts["tips"] & {"Back", "Forward", "Parent Directory", "Create New Folder"}


def test_bokmaal_gets_bokmaal_over_nynorsk(qt_language: Callable[[str], list[object]]) -> None:
    translators = qt_language("nb")
    assert len(translators) == 2  # Qt's Nynorsk catalog, then ours
    texts = _texts(_file_dialog())
    assert "&Åpne" in texts["buttons"] and "&Opna" not in texts["buttons"]
    assert "Navn" in texts["columns"] and "Namn" not in texts["columns"]


def test_english_installs_nothing(qt_language: Callable[[str], list[object]]) -> None:
    assert qt_language("en") == []
    assert _texts(_file_dialog())["labels"] >= ENGLISH_LABELS


def test_our_list_covers_every_word_the_file_dialog_asks_for(qapp: QApplication) -> None:
    asked: set[tuple[str, str]] = set()

    class Spy(QTranslator):
        def translate(self, context: str, sourceText: str,
                      disambiguation: str | None = None, n: int = -1) -> str:
            asked.add((context, sourceText))
            return None  # type: ignore[return-value]

        def isEmpty(self) -> bool:
            return False

    spy = Spy(qapp)
    qapp.installTranslator(spy)
    try:
        dialog = _file_dialog()
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setViewMode(QFileDialog.ViewMode.Detail)
        QLineEdit().createStandardContextMenu()
    finally:
        qapp.removeTranslator(spy)
    words = {(c, s) for c, s in asked if c not in NOT_WORDS_CONTEXTS} - NOT_WORDS
    assert words <= set(STRINGS), sorted(words - set(STRINGS))
    assert set(STRINGS) - asked <= {("QAbstractFileIconProvider", "Drive"),
                                     ("QFileSystemModel", "Computer")}
