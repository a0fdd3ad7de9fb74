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


def locked(path: Path, holder: str = "") -> ProjectFileError:
    """``holder`` names who has the file open ("anna on laptop-12"), when known."""
    if holder:
        text = _("The project file {name} is already open in another window or program "
                 "({holder}). Close it there first.")
        return ProjectFileError(path, text.format(name=path, holder=holder), "locked")
    text = _("The project file {name} is already open in another window or program. "
             "Close it there first.")
    return ProjectFileError(path, text.format(name=path), "locked")


def locked_elsewhere(path: Path, holder: str) -> ProjectFileError:
    """Held by a program on another computer, which cannot be checked from here."""
    text = _("The project file {name} is marked as open on another computer ({holder}). "
             "If that program is no longer running, you can open the file anyway.")
    return ProjectFileError(path, text.format(name=path, holder=holder), "locked-elsewhere")


def not_a_file(path: Path) -> ProjectFileError:
    text = _("{name} is not an ordinary file (it may be a device or a pipe); it cannot be "
             "a project.")
    return ProjectFileError(path, text.format(name=path), "not-a-file")


def disk_full(path: Path) -> ProjectFileError:
    text = _("There is no space left on the drive of the folder {folder}. Free some space "
             "and try again; the last change was not saved.")
    return ProjectFileError(path, text.format(folder=path.parent), "disk-full")


def vanished(path: Path) -> ProjectFileError:
    text = _("The project file {name} was moved, renamed or deleted while it was open. "
             "The last change was not saved; save a copy of the project to keep your work.")
    return ProjectFileError(path, text.format(name=path), "vanished")


def no_longer_writable(path: Path) -> ProjectFileError:
    text = _("The project file {name} or its folder can no longer be written. The last "
             "change was not saved; save a copy of the project to keep your work.")
    return ProjectFileError(path, text.format(name=path), "no-longer-writable")


def io_error(path: Path) -> ProjectFileError:
    text = _("The drive of the project file {name} reported an error. The last change was "
             "not saved; save a copy of the project to keep your work.")
    return ProjectFileError(path, text.format(name=path), "io-error")


def read_only_session(path: Path) -> ProjectFileError:
    text = _("The project {name} is open for reading only; save a copy to edit it.")
    return ProjectFileError(path, text.format(name=path), "read-only-session")


def needs_recovery(path: Path) -> ProjectFileError:
    text = _("The project file {name} was not closed properly and must be repaired by "
             "opening it with permission to write. Copy it to a folder where you can write "
             "and open the copy.")
    return ProjectFileError(path, text.format(name=path), "needs-recovery")


def bad_text(path: Path) -> ProjectFileError:
    text = _("The change contains a character that cannot be stored; retype the text.")
    return ProjectFileError(path, text, "bad-text")


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
