"""Why a project file cannot be opened or created, in words a user understands.

Each error carries a translated one-line message naming the file; the GUI shows it in a
dialog, the CLI prints it on one line. Raising any of these leaves the file untouched.
"""

from __future__ import annotations

from pathlib import Path

from d4a_desktop.i18n import _


class ProjectFileError(Exception):
    """``kind`` names the reason (``missing``, ``locked`` …) for code that must react to it."""

    def __init__(self, path: Path | str, message: str, kind: str = "other"):
        self.path = Path(path)
        self.message = message
        self.kind = kind
        super().__init__(message)


def missing(path: Path) -> ProjectFileError:
    text = _("The file {name} does not exist.")
    return ProjectFileError(path, text.format(name=path), "missing")


def is_folder(path: Path) -> ProjectFileError:
    text = _("{name} is a folder, not a project file.")
    return ProjectFileError(path, text.format(name=path), "folder")


def empty(path: Path) -> ProjectFileError:
    text = _("The file {name} is empty; it is not a D4A project.")
    return ProjectFileError(path, text.format(name=path), "empty")


def not_sqlite(path: Path) -> ProjectFileError:
    text = _("The file {name} is not a D4A project file.")
    return ProjectFileError(path, text.format(name=path), "not-project")


def foreign(path: Path) -> ProjectFileError:
    text = _("The file {name} is a database of another application, not a D4A project.")
    return ProjectFileError(path, text.format(name=path), "foreign")


def damaged(path: Path) -> ProjectFileError:
    text = _("The project file {name} is damaged or incomplete and cannot be opened. "
             "Open a backup copy instead.")
    return ProjectFileError(path, text.format(name=path), "damaged")


def too_new(path: Path, version: int, supported: int) -> ProjectFileError:
    text = _("The project file {name} was saved by a newer version of D4A Roadmap Desktop "
             "(file format {version}; this version reads up to {supported}). "
             "Update the program to open it.")
    return ProjectFileError(
        path, text.format(name=path, version=version, supported=supported), "too-new")


def read_only(path: Path) -> ProjectFileError:
    text = _("The project file {name} is read-only. Copy it to a folder where you can "
             "write, or change its permissions, and open it again.")
    return ProjectFileError(path, text.format(name=path), "read-only")


def locked(path: Path) -> ProjectFileError:
    text = _("The project file {name} is already open in another window or program. "
             "Close it there first.")
    return ProjectFileError(path, text.format(name=path), "locked")


def upgrade_failed(path: Path, backup: Path) -> ProjectFileError:
    text = _("The project file {name} could not be upgraded to this version of the program; "
             "it is unchanged, and a copy is kept as {backup}.")
    return ProjectFileError(path, text.format(name=path, backup=backup), "upgrade-failed")


def exists(path: Path) -> ProjectFileError:
    text = _("The file {name} already exists; choose another name.")
    return ProjectFileError(path, text.format(name=path), "exists")


def cannot_write(path: Path, reason: str) -> ProjectFileError:
    text = _("The project file {name} could not be written: {reason}")
    return ProjectFileError(path, text.format(name=path, reason=reason), "cannot-write")
