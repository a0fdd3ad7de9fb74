"""Working with one open project: the calls behind every user action.

A :class:`ProjectSession` owns the open file. Each edit is a core command applied in its
own committed transaction; the session returns the inverse (for undo) and what changed,
and the caller reads fresh plain data afterwards. Nothing here holds ORM objects.
"""

from __future__ import annotations

import getpass
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from d4a_desktop import paths
from d4a_desktop.core import progress as progress_mod
from d4a_desktop.core import versions
from d4a_desktop.core.commands import Change, Command
from d4a_desktop.core.content import Roadmap
from d4a_desktop.core.project import ProjectMeta, ProjectState
from d4a_desktop.core.records import Record
from d4a_desktop.core.vocab import Condition
from d4a_desktop.services.roadmap import english_roadmap, roadmap
from d4a_desktop.storage import ProjectFile, ProjectFileError, backups
from d4a_desktop.storage.codec import Damage


def default_author() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


@dataclass(frozen=True)
class NewProject:
    """What a user gives to create a project (the new-project dialog, ``d4a new``, the demo). The
    id, author and roadmap version are not asked for: ``create_project`` adds them."""

    title: str
    municipality: str
    country: str
    domain: str = ""
    language: str = "en"
    tandem_partner: str = ""
    #: Answers to the roadmap's conditions; a condition left out is not answered yet.
    conditions: dict[Condition, bool | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Closed:
    """How closing went: the file's check, and the backup (or why there is none)."""

    healthy: bool
    backup: Path | None = None
    backup_error: str = ""


class ProjectSession:
    """An open project and the roadmap it is planned against."""

    def __init__(self, file: ProjectFile, *, follow_roadmap: bool = True):
        self.file = file
        self._progress: tuple[ProjectState, Roadmap, progress_mod.Progress] | None = None
        #: Why the project is open for reading only ("" when it can be edited).
        self.read_only_reason = ""
        #: How the project's roadmap version compared with the bundled one when opened.
        self.version_report = self._follow_roadmap(follow_roadmap and not file.read_only)

    def _follow_roadmap(self, record: bool) -> versions.VersionReport:
        """Move the project to the bundled roadmap version, keeping every answer.

        Following is bookkeeping: it stamps neither the project's modified time nor its
        author, and reading commands (``d4a info``) do not record it at all.
        """
        report = versions.compare(english_roadmap(), self.file.state())
        if report.changed and record:
            self.file.follow_roadmap(report.current)
        return report

    def retired(self) -> versions.VersionReport:
        """Answers the current roadmap no longer has a place for."""
        return versions.compare(english_roadmap(), self.state())

    @property
    def path(self) -> Path:
        return self.file.path

    @property
    def read_only(self) -> bool:
        return self.file.read_only

    @property
    def roadmap(self) -> Roadmap:
        return roadmap()

    def state(self) -> ProjectState:
        return self.file.state()

    def progress(self) -> progress_mod.Progress:
        """Progress as the file is now: worked out once for each state read (the file keeps
        a whole read until it changes, so an unchanged project is one state object)."""
        state, rm = self.state(), self.roadmap
        done = self._progress
        if done is None or done[0] is not state or done[1] is not rm:
            done = self._progress = (state, rm, progress_mod.compute(rm, state))
        return done[2]

    def records(self, kind: str, fields: Sequence[str] | None = None,
                ids: Sequence[str] | None = None) -> list[Record]:
        """A kind's records; with ``fields``, only those values, with ``ids`` only those
        records (see ``ProjectFile``)."""
        return self.file.records(kind, fields=fields, ids=ids)

    def damage(self) -> list[Damage]:
        """Values read so far that were damaged in the file."""
        return list(self.file.damage)

    def execute(self, command: Command) -> tuple[Command, Change]:
        """Apply one edit, committed at once; returns its inverse and what changed."""
        return command.apply(self.file)

    def check(self) -> list[str]:
        return self.file.integrity_check()

    def save_copy(self, target: Path) -> Path:
        """Write a complete copy of the open project (also of one that was moved away or
        that is open for reading only): the way to keep work when the file cannot be
        written any more."""
        return self.file.backup_to(target)

    def backup(self) -> Path:
        return backups.take(self.file, paths.backups_dir())

    def close(self) -> Closed:
        """Close the file, keeping a backup when it was changed. A backup that cannot be
        written never keeps the project open; the reason is returned to be shown."""
        if self.file.closed:
            return Closed(True)
        taken, error = None, ""
        if self.file.modified:
            try:
                taken = self.backup()
            except ProjectFileError as exc:
                error = exc.message
        return Closed(self.file.close(), taken, error)


def _identity(author: str | None) -> tuple[str, str]:
    return (default_author() if author is None else author), paths.installation_id()


def create_project(path: Path | str, details: NewProject, *, author: str | None = None,
                   overwrite: bool = False) -> ProjectSession:
    meta = ProjectMeta(id=str(uuid.uuid4()), title=details.title.strip(),
                       municipality=details.municipality.strip(),
                       country=details.country.strip().upper(), domain=details.domain.strip(),
                       language=details.language, tandem_partner=details.tandem_partner.strip(),
                       roadmap_version=english_roadmap().version)
    who, installation = _identity(author)
    file = ProjectFile.create(path, meta, author=who, installation=installation,
                              overwrite=overwrite)
    if details.conditions:
        file.update_conditions(details.conditions)
        file.modified = False
    return ProjectSession(file)


def open_project(path: Path | str, *, author: str | None = None, follow_roadmap: bool = True,
                 read_only: bool = False, allow_read_only: bool = False,
                 take_over: bool = False) -> ProjectSession:
    """Open a project for work, or for reading (``read_only``: nothing is ever written).

    ``allow_read_only`` opens a file that cannot be written (read-only media or
    permissions) for reading instead of refusing it, as office programs do; the
    session's ``read_only_reason`` then says why.
    """
    who, installation = ("", "") if read_only else _identity(author)
    reason = ""
    try:
        file = ProjectFile.open(path, author=who, installation=installation,
                                read_only=read_only, take_over=take_over)
    except ProjectFileError as exc:
        if not (allow_read_only and exc.kind == "read-only"):
            raise
        file = ProjectFile.open(path, read_only=True)
        reason = exc.message
    session = ProjectSession(file, follow_roadmap=follow_roadmap)
    session.read_only_reason = reason
    return session


def read_project(path: Path | str) -> ProjectSession:
    """Open a project for reading only: ``d4a info``, previews, the partner view."""
    return open_project(path, read_only=True, follow_roadmap=False)


#: What "New from existing project" can carry over, in the order a dialog lists it.
CARRY = ("details", "checklist", "team", "decisions", "datasets", "risks", "milestones",
         "kpis", "tools", "measurements", "comments", "reviews")
#: What is carried when nothing is said: never measurements, comments or review marks.
CARRY_DEFAULT = ("details", "team", "decisions", "datasets", "risks", "kpis", "tools")
_CARRY_KINDS = {"team": ("team", "responsibilities"), "decisions": ("decisions",),
                "datasets": ("datasets",), "risks": ("risks",), "milestones": ("milestones",),
                "kpis": ("kpis",), "measurements": ("measurements",),
                "comments": ("comments",), "reviews": ("reviews",)}


def create_from_existing(path: Path | str, source: Path | str, details: NewProject, *,
                         carry: Iterable[str] = CARRY_DEFAULT, author: str | None = None
                         ) -> ProjectSession:
    """A new project started from an earlier one: what ``carry`` names is copied with new
    ids (references follow), filled tools come as drafts without their versions, and the
    new file records where it came from."""
    import json

    from d4a_desktop.core import kinds
    from d4a_desktop.core.project import state_id
    from d4a_desktop.storage import snapshot

    chosen = set(carry)
    unknown = chosen - set(CARRY)
    if unknown:
        raise ValueError(f"cannot carry {sorted(unknown)}")
    old_session = read_project(source)
    try:
        old = snapshot.take(old_session.file)
    finally:
        old_session.close()
    old_project = old["project"]
    new_id = str(uuid.uuid4())
    fields = {"title": details.title.strip(), "municipality": details.municipality.strip(),
              "country": details.country.strip().upper(), "domain": details.domain.strip(),
              "language": details.language, "tandem_partner": details.tandem_partner.strip()}
    if "details" in chosen:
        fields = {k: v or old_project.get(k, "") for k, v in fields.items()}
    project = {**old_project, **fields, "id": new_id,
               "roadmap_version": english_roadmap().version}
    state: dict[str, list[dict[str, Any]]] = {"activity": [], "item": [], "condition": []}
    if "checklist" in chosen:
        for kind, entries in old["state"].items():
            state[kind] = [{**e, "id": state_id(new_id, kind, e["key"])} for e in entries]
    elif "details" in chosen:
        state["condition"] = [{**e, "id": state_id(new_id, "condition", e["key"])}
                              for e in old["state"].get("condition", ())]
    new_ids: dict[str, str] = {}
    records: dict[str, list[dict[str, Any]]] = {}
    wanted = {k for name in chosen for k in _CARRY_KINDS.get(name, ())}
    if "tools" in chosen:
        wanted |= {"assessments", "answers"}
    for kind in kinds.KINDS:
        if kind.name not in wanted:
            continue
        for entry in old["records"].get(kind.name, ()):
            if entry.get("deleted"):
                continue
            if kind.name == "assessments":
                new_ids[entry["id"]] = state_id(new_id, "assessment",
                                                entry["values"].get("tool", ""))
            elif kind.name != "answers":
                new_ids[entry["id"]] = str(uuid.uuid4())
    tools = {e["id"]: e["values"].get("tool", "")
             for e in old["records"].get("assessments", ())}
    for kind in kinds.KINDS:
        if kind.name not in wanted:
            continue
        copied = []
        for entry in old["records"].get(kind.name, ()):
            if entry.get("deleted"):
                continue
            values = dict(entry["values"])
            for f in kind.fields:
                if f.refers_to and values.get(f.name):
                    values[f.name] = new_ids.get(values[f.name], "")
            if kind.name == "answers":
                tool = tools.get(entry["values"].get("assessment", ""), "")
                if not values.get("assessment"):
                    continue
                rid = state_id(new_id, "answer", f"{tool}/{values.get('path', '')}")
            else:
                rid = new_ids[entry["id"]]
            if kind.name == "assessments":  # a draft of the new project, reviewed on its
                values["status"] = "draft"  # own dates, not due at once for the old ones
                values["next_review"] = None
            copied.append({**entry, "id": rid, "values": values})
        records[kind.name] = copied
    origin = {"id": old_project["id"], "title": old_project.get("title", ""),
              "file": str(Path(source).absolute())}
    new = {"format": snapshot.FORMAT, "project": project, "state": state, "records": records,
           "changes": []}
    who, installation = _identity(author)
    file = snapshot.create_from(Path(path), new, author=who, installation=installation)
    file.set_origin(json.dumps(origin, ensure_ascii=False))
    return ProjectSession(file)
