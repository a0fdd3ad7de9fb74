"""Merging a partner's copy of the same project into the open one.

``preview`` says what a merge would take and which fields conflict; ``command`` turns it,
with the user's decisions, into one undoable edit. The copy to merge comes as a snapshot
(from an exchange package, or read from another project file).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from d4a_desktop.core import merge
from d4a_desktop.core.commands import ApplyMerge
from d4a_desktop.i18n import _
from d4a_desktop.services.projects import ProjectSession, read_project
from d4a_desktop.storage import snapshot

Prefer = Literal["mine", "theirs"]


@dataclass(frozen=True)
class Summary:
    taken: int
    conflicts: int
    decided: int

    def as_json(self) -> dict[str, int]:
        return {"taken": self.taken, "conflicts": self.conflicts, "decided": self.decided}


class DifferentProject(Exception):
    """The copy belongs to another project: it is compared, never merged."""

    def __init__(self) -> None:
        self.message = _("This copy belongs to another project; it can be compared with "
                         "yours but not merged.")
        super().__init__(self.message)


def preview(session: ProjectSession, theirs: Mapping[str, Any]) -> merge.Plan:
    try:
        return merge.plan(snapshot.take(session.file), theirs)
    except merge.DifferentProjects:
        raise DifferentProject() from None


def decide(plan: merge.Plan, prefer: Prefer | None,
           chosen: Mapping[tuple[str, str, str], Any] | None = None
           ) -> dict[tuple[str, str, str], Any]:
    """Every conflict's value: the user's choice, else the preferred side's."""
    decisions: dict[tuple[str, str, str], Any] = {}
    for conflict in plan.conflicts:
        if chosen and conflict.ident in chosen:
            decisions[conflict.ident] = chosen[conflict.ident]
        elif prefer == "theirs":
            decisions[conflict.ident] = conflict.theirs.value
        elif prefer == "mine":
            decisions[conflict.ident] = conflict.mine.value
    return decisions


def command(plan: merge.Plan, decisions: Mapping[tuple[str, str, str], Any]) -> ApplyMerge:
    missing = [c for c in plan.conflicts if c.ident not in decisions]
    if missing:
        raise ValueError(f"{len(missing)} conflicts are not decided")
    return ApplyMerge(plan, tuple(decisions.items()))


def summary(plan: merge.Plan, decisions: Mapping[tuple[str, str, str], Any]) -> Summary:
    return Summary(taken=len(plan.takes) + len(plan.creates), conflicts=len(plan.conflicts),
                   decided=sum(1 for c in plan.conflicts if c.ident in decisions))


def snapshot_of_file(path: Path) -> dict[str, Any]:
    """The snapshot of another project file, read without writing to it."""
    other = read_project(path)
    try:
        return snapshot.take(other.file)
    finally:
        other.close()


def package_plan(session: ProjectSession, path: Path) -> tuple[merge.Plan, Any]:
    """What merging an exchange package would do, after every check a merge needs (same
    project, a package this program reads in full, no id of another kind)."""
    from d4a_desktop.services.exchange import check_mergeable, read_package

    package = read_package(path)
    check_mergeable(package, session)
    return preview(session, package.snapshot), package


def merge_package(session: ProjectSession, path: Path, prefer: Prefer | None = None
                  ) -> tuple[Summary, merge.Plan]:
    """Merge a package into the open project as one undoable edit, unless fields changed
    on both sides and no ``prefer`` decides them: then nothing is written."""
    plan, _package = package_plan(session, path)
    decisions = decide(plan, prefer)
    result = summary(plan, decisions)
    if not plan.empty and result.decided == result.conflicts:
        session.execute(command(plan, decisions))
    return result, plan
