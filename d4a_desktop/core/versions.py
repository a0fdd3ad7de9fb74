"""A project planned against one roadmap version, opened with another.

Answers are stored by stable content id and never deleted, so nothing is lost when the
roadmap changes: items a newer roadmap adds simply have no answer yet (not done), and
answers to items or activities it no longer has are *retired* — kept in the file, shown to
the user, left out of progress.
"""

from __future__ import annotations

from dataclasses import dataclass

from d4a_desktop.core.content import Roadmap
from d4a_desktop.core.project import ActivityState, ItemState, ProjectState
from d4a_desktop.core.vocab import Status


@dataclass(frozen=True)
class VersionReport:
    """How a project's roadmap version compares with the bundled one, and which of its answers the
    bundled roadmap no longer has a place for (kept in the file, shown, left out of progress)."""

    planned: str
    current: str
    retired_items: tuple[ItemState, ...]
    retired_activities: tuple[ActivityState, ...]

    @property
    def changed(self) -> bool:
        return self.planned != self.current


def _has_answer(item: ItemState) -> bool:
    return item.done or bool(item.owner or item.note or item.due_date)


def compare(roadmap: Roadmap, state: ProjectState) -> VersionReport:
    retired_items = tuple(sorted(
        (st for item_id, st in state.items.items()
         if not roadmap.has(item_id) and _has_answer(st)), key=lambda st: st.item_id))
    retired_acts = tuple(sorted(
        (st for act_id, st in state.activities.items()
         if not roadmap.has(act_id) and (st.status is not Status.NOT_STARTED or st.na_reason)),
        key=lambda st: st.activity_id))
    return VersionReport(state.meta.roadmap_version, roadmap.version, retired_items,
                         retired_acts)
