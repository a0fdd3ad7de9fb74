"""Why a project file cannot be opened or created, in words a user understands.

Each error carries a translated one-line message naming the file; the GUI shows it in a
dialog, the CLI prints it on one line. Raising any of these leaves the file untouched.
"""

from __future__ import annotations

from pathlib import Path

from d4a_desktop.i18n import _


class ProjectFileError(Exception):
    def __init__(self, path: Path | str, message: str):
        self.path = Path(path)
        self.message = message
        super().__init__(message)


def missing(path: Path) -> ProjectFileError:
    return ProjectFileError(path, _("The file {name} does not exist.").format(name=path))


def is_folder(path: Path) -> ProjectFileError:
    return ProjectFileError(path, _("{name} is a folder, not a project file.").format(name=path))


def empty(path: Path) -> ProjectFileError:
    return ProjectFileError(
        path, _("The file {name} is empty; it is not a D4A project.").format(name=path))


def not_sqlite(path: Path) -> ProjectFileError:
    return ProjectFileError(
        path, _("The file {name} is not a D4A project file.").format(name=path))


def foreign(path: Path) -> ProjectFileError:
    return ProjectFileError(
        path, _("The file {name} is a database of another application, not a D4A project.")
        .format(name=path))


def damaged(path: Path) -> ProjectFileError:
    return ProjectFileError(
        path, _("The project file {name} is damaged or incomplete and cannot be opened. "
                "Open a backup copy instead.").format(name=path))


def too_new(path: Path, version: int, supported: int) -> ProjectFileError:
    return ProjectFileError(
        path, _("The project file {name} was saved by a newer version of D4A Roadmap Desktop "
                "(file format {version}; this version reads up to {supported}). "
                "Update the program to open it.")
        .format(name=path, version=version, supported=supported))


def read_only(path: Path) -> ProjectFileError:
    return ProjectFileError(
        path, _("The project file {name} is read-only. Copy it to a folder where you can "
                "write, or change its permissions, and open it again.").format(name=path))


def locked(path: Path) -> ProjectFileError:
    return ProjectFileError(
        path, _("The project file {name} is already open in another window or program. "
                "Close it there first.").format(name=path))


def exists(path: Path) -> ProjectFileError:
    return ProjectFileError(
        path, _("The file {name} already exists; choose another name.").format(name=path))


def cannot_write(path: Path, reason: str) -> ProjectFileError:
    return ProjectFileError(
        path, _("The project file {name} could not be written: {reason}")
        .format(name=path, reason=reason))
