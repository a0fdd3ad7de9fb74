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
from dataclasses import dataclass, field
from pathlib import Path

from d4a_desktop import paths
from d4a_desktop.core import progress as progress_mod
from d4a_desktop.core import versions
from d4a_desktop.core.commands import Change, Command
from d4a_desktop.core.content import Roadmap
from d4a_desktop.core.project import ProjectMeta, ProjectState
from d4a_desktop.core.vocab import Condition
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
    #: Answers to the roadmap's conditions; a condition left out is not answered yet.
    conditions: dict[Condition, bool | None] = field(default_factory=dict)


class ProjectSession:
    """An open project and the roadmap it is planned against."""

    def __init__(self, file: ProjectFile, *, follow_roadmap: bool = True):
        self.file = file
        #: How the project's roadmap version compared with the bundled one when opened.
        self.version_report = self._follow_roadmap(follow_roadmap)

    def _follow_roadmap(self, record: bool) -> versions.VersionReport:
        """Move the project to the bundled roadmap version, keeping every answer.

        Reading commands (``d4a info``) pass ``record=False``: they show progress against
        the bundled roadmap without writing to the file.
        """
        report = versions.compare(english_roadmap(), self.file.state())
        if report.changed and record:
            self.file.update_meta({"roadmap_version": report.current})
            self.file.modified = True
        return report

    def retired(self) -> versions.VersionReport:
        """Answers the current roadmap no longer has a place for."""
        return versions.compare(english_roadmap(), self.state())

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
    if details.conditions:
        file.update_conditions(details.conditions)
        file.modified = False
    return ProjectSession(file)


def open_project(path: Path | str, *, author: str | None = None,
                 follow_roadmap: bool = True) -> ProjectSession:
    """Open a project for work; ``follow_roadmap=False`` for reading without writing."""
    return ProjectSession(ProjectFile.open(
        path, author=default_author() if author is None else author),
        follow_roadmap=follow_roadmap)
