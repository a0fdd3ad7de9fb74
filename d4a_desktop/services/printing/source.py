"""What a printed document reads from a project, taken in one go as plain data.

This module is the only place where printing touches the project services, so a change of
the storage layer touches little here. The PDF is then built from the snapshot alone, off
the UI thread if need be, without an open database session.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from d4a_desktop.core.progress import Progress, compute
from d4a_desktop.core.project import ProjectMeta, ProjectState
from d4a_desktop.i18n import _
from d4a_desktop.services.printing.flowables import RecordTable
from d4a_desktop.services.projects import ProjectSession, open_project
from d4a_desktop.services.roadmap import roadmap
from d4a_desktop.storage import ProjectFileError


@dataclass(frozen=True)
class ProjectSnapshot:
    state: ProjectState
    progress: Progress
    #: Registers of the project's records (team, decisions, datasets, risks …), in the
    #: order the report prints them; each is printed only when it has rows.
    records: tuple[RecordTable, ...] = ()

    @property
    def meta(self) -> ProjectMeta:
        return self.state.meta


def snapshot(session: ProjectSession) -> ProjectSnapshot:
    """The open project as the documents need it."""
    state = session.state()
    return ProjectSnapshot(state, compute(roadmap(), state))


def read_project(path: Path | str) -> ProjectSnapshot:
    """Open a project file for reading, take its snapshot and close it again.

    The project is not moved to the bundled roadmap version: printing never writes. A file
    the user may not write (on a read-only share, or marked read-only) cannot be opened
    for work, so a temporary copy of it is read instead.
    """
    try:
        session = open_project(path, follow_roadmap=False)
    except ProjectFileError as exc:
        if exc.kind != "read-only":
            raise
        return _read_copy(Path(path))
    try:
        return snapshot(session)
    finally:
        session.close()


def _read_copy(path: Path) -> ProjectSnapshot:
    with tempfile.TemporaryDirectory(prefix="d4a-print-") as folder:
        copy = Path(folder) / path.name
        try:
            shutil.copyfile(path, copy)
        except OSError as exc:
            raise ProjectFileError(path, _("The project file {name} could not be read: {reason}")
                                   .format(name=path, reason=exc.strerror or exc),
                                   "cannot-read") from exc
        session = open_project(copy, follow_roadmap=False)
        try:
            return snapshot(session)
        finally:
            session.close()
