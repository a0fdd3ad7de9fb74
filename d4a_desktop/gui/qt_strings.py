"""Qt's own words in its file dialog, from our catalog where Qt's own catalogs fall short.

The catalogs that come with Qt translate its file dialog, but the Danish, Dutch, French
and Nynorsk ones lack the labels Qt 6 writes with accelerators ("&Look in:", "Files of
&type:") and the kinds shown in the Type column, so those stayed English; and Qt has no
Bokmål catalog at all, so a Norwegian user got Nynorsk ("Opna", "Namn"). The translator
below answers Qt's lookups for the file dialog (with its buttons, columns and context
menus) and for the editing menu of text fields from the ``ui`` catalog; everything else
falls through to Qt's own catalog.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTranslator

from d4a_desktop.i18n import NP_
from d4a_desktop.i18n import pgettext as _lookup  # contexts built at run time

#: (Qt's translation context, Qt's source text); our message context is "qt:" + context.
STRINGS: tuple[tuple[str, str], ...] = (
    # Translators: Qt's file dialog. Keep the & before the access key.
    ("QFileDialog", NP_("qt:QFileDialog", "&Look in:")),
    ("QFileDialog", NP_("qt:QFileDialog", "File &name:")),
    ("QFileDialog", NP_("qt:QFileDialog", "Files of &type:")),
    ("QFileDialog", NP_("qt:QFileDialog", "&Open")),
    ("QFileDialog", NP_("qt:QFileDialog", "&Save")),
    ("QFileDialog", NP_("qt:QFileDialog", "All Files (*)")),
    ("QFileDialog", NP_("qt:QFileDialog", "Back")),
    ("QFileDialog", NP_("qt:QFileDialog", "Forward")),
    ("QFileDialog", NP_("qt:QFileDialog", "Parent Directory")),
    ("QFileDialog", NP_("qt:QFileDialog", "Create New Folder")),
    ("QFileDialog", NP_("qt:QFileDialog", "List View")),
    ("QFileDialog", NP_("qt:QFileDialog", "Detail View")),
    # Translators: Qt's file dialog, read out by screen readers.
    ("QFileDialog", NP_("qt:QFileDialog", "Go back")),
    ("QFileDialog", NP_("qt:QFileDialog", "Go forward")),
    ("QFileDialog", NP_("qt:QFileDialog", "Go to the parent directory")),
    ("QFileDialog", NP_("qt:QFileDialog", "Create a New Folder")),
    ("QFileDialog", NP_("qt:QFileDialog", "Change to list view mode")),
    ("QFileDialog", NP_("qt:QFileDialog", "Change to detail view mode")),
    ("QFileDialog", NP_("qt:QFileDialog", "Sidebar")),
    ("QFileDialog", NP_("qt:QFileDialog", "List of places and bookmarks")),
    ("QFileDialog", NP_("qt:QFileDialog", "Files")),
    # Translators: the context menu of Qt's file dialog. Keep the & before the access key.
    ("QFileDialog", NP_("qt:QFileDialog", "&Rename")),
    ("QFileDialog", NP_("qt:QFileDialog", "&Delete")),
    ("QFileDialog", NP_("qt:QFileDialog", "Show &hidden files")),
    ("QFileDialog", NP_("qt:QFileDialog", "&New Folder")),
    # Translators: column headings of the file list in Qt's file dialog.
    ("QFileSystemModel", NP_("qt:QFileSystemModel", "Name")),
    ("QFileSystemModel", NP_("qt:QFileSystemModel", "Size")),
    ("QFileSystemModel", NP_("qt:QFileSystemModel", "Type")),
    ("QFileSystemModel", NP_("qt:QFileSystemModel", "Date Modified")),
    ("QFileSystemModel", NP_("qt:QFileSystemModel", "Computer")),
    # Translators: the kind of an entry in the Type column of Qt's file dialog.
    ("QAbstractFileIconProvider", NP_("qt:QAbstractFileIconProvider", "Folder")),
    ("QAbstractFileIconProvider", NP_("qt:QAbstractFileIconProvider", "Drive")),
    # Translators: buttons of Qt's dialogs.
    ("QPlatformTheme", NP_("qt:QPlatformTheme", "OK")),
    ("QPlatformTheme", NP_("qt:QPlatformTheme", "Cancel")),
    ("QPlatformTheme", NP_("qt:QPlatformTheme", "Open")),
    ("QPlatformTheme", NP_("qt:QPlatformTheme", "Save")),
    # Translators: the context menu of a text field. Keep the & before the access key.
    ("QLineEdit", NP_("qt:QLineEdit", "&Undo")),
    ("QLineEdit", NP_("qt:QLineEdit", "&Redo")),
    ("QLineEdit", NP_("qt:QLineEdit", "Cu&t")),
    ("QLineEdit", NP_("qt:QLineEdit", "&Copy")),
    ("QLineEdit", NP_("qt:QLineEdit", "&Paste")),
    ("QLineEdit", NP_("qt:QLineEdit", "Delete")),
    ("QLineEdit", NP_("qt:QLineEdit", "Select All")),
)
_KNOWN = frozenset(STRINGS)


class CatalogTranslator(QTranslator):
    """Answers Qt's lookups for ``STRINGS`` from the ``ui`` catalog; nothing else."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)

    def translate(self, context: str, sourceText: str,
                  disambiguation: str | None = None, n: int = -1) -> str:
        # None becomes a null string, which tells Qt to ask the next catalog (an empty
        # string would be taken as the translation).
        if (context, sourceText) not in _KNOWN:
            return None  # type: ignore[return-value]
        text = _lookup(f"qt:{context}", sourceText)
        return None if text == sourceText else text  # type: ignore[return-value]

    def isEmpty(self) -> bool:
        return False
