"""Progress of a project against the roadmap.

Progress counts checklist items: an activity is as far as the share of its items that
are ticked. An activity marked "not applicable", or one whose condition the project has
answered "no" (no personal data, no AI …), drops out of every total, and so does an item
whose condition does not hold: a project is never held back by work that does not concern
it. Component, dimension and overall figures weigh every applicable item equally, which
is what a reader of "12 of 40 items done" expects. Answers to items that a newer roadmap
retired are kept in the project but not counted, since the roadmap no longer has them.
"""

from __future__ import annotations

from dataclasses import dataclass

from d4a_desktop.core.content import Activity, Roadmap
from d4a_desktop.core.project import ProjectState
from d4a_desktop.core.vocab import Dimension, Status


@dataclass(frozen=True, slots=True)
class Tally:
    """Items done out of items that count. Tallies add up, so a component's is the sum of its
    activities' and overall is the sum of all."""

    done: int = 0
    total: int = 0

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 0.0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.done + other.done, self.total + other.total)


@dataclass(frozen=True)
class Progress:
    """A project's progress at every level at once, from one pass over the roadmap (``compute``), so
    that every view shows figures that agree with each other."""

    overall: Tally
    components: dict[str, Tally]
    activities: dict[str, Tally]
    dimensions: dict[Dimension, Tally]
    #: Activities left out: marked not applicable, or their condition does not hold.
    excluded: frozenset[str]

    def as_fractions(self) -> dict[str, object]:
        """The shape of ``d4a info --json``: ids mapped to fractions from 0 to 1."""
        return {
            "overall": round(self.overall.fraction, 4),
            "components": {k: round(v.fraction, 4) for k, v in self.components.items()},
            "activities": {k: round(v.fraction, 4) for k, v in self.activities.items()},
            "dimensions": {d.value: round(t.fraction, 4) for d, t in self.dimensions.items()},
        }


def compute(roadmap: Roadmap, state: ProjectState) -> Progress:
    activities: dict[str, Tally] = {}
    components: dict[str, Tally] = {}
    dimensions = {d: Tally() for d in Dimension}
    excluded = set()
    overall = Tally()
    for comp in roadmap.components:
        comp_tally = Tally()
        for act in comp.activities:
            applicable = (state.activity(act.id).status is not Status.NOT_APPLICABLE
                          and state.applies(act.condition))
            tally = Tally()
            for item in act.items:
                if not state.applies(item.condition):
                    continue
                one = Tally(1 if state.item(item.id).done else 0, 1)
                tally += one
                if applicable:
                    dimensions[item.dimension] += one
            activities[act.id] = tally
            if applicable:
                comp_tally += tally
            else:
                excluded.add(act.id)
        components[comp.id] = comp_tally
        overall += comp_tally
    return Progress(overall, components, activities, dimensions, frozenset(excluded))


def activity_tally(activity: Activity, state: ProjectState) -> Tally:
    """Ticked and applicable items of one activity, as "2 of 7 items done" counts them."""
    tally = Tally()
    for item in activity.items:
        if state.applies(item.condition):
            tally += Tally(1 if state.item(item.id).done else 0, 1)
    return tally


def status_after_tick(status: Status, tally: Tally) -> Status:
    """The status an activity takes at once when its checklist changes.

    Ticking the first item of a not-started activity starts it: nobody ticks work they have
    not begun, so the user is not asked. Every other change only leads to a suggestion.
    """
    if status is Status.NOT_STARTED and tally.done > 0:
        return Status.IN_PROGRESS
    return status


def suggested_status(status: Status, tally: Tally) -> Status | None:
    """The status the checklist suggests, or None when the status fits it.

    All items ticked suggests done; an activity marked done with items still open suggests
    in progress. A user may keep another status (one item may be done elsewhere), so this
    is offered, never applied. "Not applicable" is the user's decision and never questioned.
    """
    if status is Status.NOT_APPLICABLE or tally.total == 0:
        return None
    if tally.done == tally.total:
        return None if status is Status.DONE else Status.DONE
    if status is Status.DONE:
        return Status.IN_PROGRESS
    if status is Status.NOT_STARTED and tally.done > 0:
        return Status.IN_PROGRESS
    return None
