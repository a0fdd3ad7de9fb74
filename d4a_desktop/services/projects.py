"""Working with one open project: the calls behind every user action.

A :class:`ProjectSession` owns the open file. Each edit is a core command applied in its
own committed transaction; the session returns the inverse (for undo) and what changed,
and the caller reads fresh plain data afterwards. Nothing here holds ORM objects.
"""

from __future__ import annotations

import contextlib
import getpass
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

from d4a_desktop import paths
from d4a_desktop.core import progress as progress_mod
from d4a_desktop.core.commands import Change, Command
from d4a_desktop.core.content import Roadmap
from d4a_desktop.core.project import ProjectMeta, ProjectState
from d4a_desktop.services.roadmap import english_roadmap, roadmap
from d4a_desktop.storage import ProjectFile


def default_author() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


@dataclass(frozen=True)
class NewProject:
    title: str
    municipality: str
    country: str
    domain: str = ""
    language: str = "en"
    tandem_partner: str = ""


class ProjectSession:
    """An open project and the roadmap it is planned against."""

    def __init__(self, file: ProjectFile):
        self.file = file

    @property
    def path(self) -> Path:
        return self.file.path

    @property
    def roadmap(self) -> Roadmap:
        return roadmap()

    def state(self) -> ProjectState:
        return self.file.state()

    def progress(self) -> progress_mod.Progress:
        return progress_mod.compute(self.roadmap, self.state())

    def execute(self, command: Command) -> tuple[Command, Change]:
        """Apply one edit, committed at once; returns its inverse and what changed."""
        return command.apply(self.file)

    def check(self) -> list[str]:
        return self.file.integrity_check()

    def close(self) -> bool:
        """Close the file, keeping a rotated backup when it was changed."""
        if self.file.closed:
            return True
        if self.file.modified:
            # A backup that cannot be written must not keep the project open.
            with contextlib.suppress(OSError, sqlite3.Error):
                self.file.rotate_backup(paths.backups_dir())
        return self.file.close()


def create_project(path: Path | str, details: NewProject, *, author: str | None = None,
                   overwrite: bool = False) -> ProjectSession:
    meta = ProjectMeta(id=str(uuid.uuid4()), title=details.title.strip(),
                       municipality=details.municipality.strip(),
                       country=details.country.strip().upper(), domain=details.domain.strip(),
                       language=details.language, tandem_partner=details.tandem_partner.strip(),
                       roadmap_version=english_roadmap().version)
    file = ProjectFile.create(path, meta, author=default_author() if author is None else author,
                              overwrite=overwrite)
    return ProjectSession(file)


def open_project(path: Path | str, *, author: str | None = None) -> ProjectSession:
    return ProjectSession(ProjectFile.open(
        path, author=default_author() if author is None else author))
