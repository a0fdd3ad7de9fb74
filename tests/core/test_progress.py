"""Progress per activity, component, dimension and overall, on a hand-built roadmap."""

from __future__ import annotations

import dataclasses

import pytest

from d4a_desktop.core.content import Activity, ChecklistItem, Component, Roadmap
from d4a_desktop.core.progress import (
    Progress,
    Tally,
    activity_tally,
    compute,
    status_after_tick,
    suggested_status,
)
from d4a_desktop.core.project import ActivityState, ItemState, ProjectMeta, ProjectState
from d4a_desktop.core.vocab import Condition, Dimension, Origin, Stage, Status

TECH, ORG, REG = Dimension.TECHNOLOGY, Dimension.ORGANISATION, Dimension.REGULATION_ETHICS
PERSONAL, AI = Condition.PERSONAL_DATA, Condition.ALGORITHMS_AI


def activity(aid: str, *dims: Dimension) -> Activity:
    items = tuple(ChecklistItem(f"{aid}.i{n}", aid, f"Item {n}", "", d)
                  for n, d in enumerate(dims, 1))
    return Activity(aid, aid.split(".")[0], f"Activity {aid}", Origin.DESKTOP,
                    "https://example.org", (), tuple(set(dims)), "Guidance.", ("Why?",), items)


def component(cid: str, *activities: Activity) -> Component:
    return Component(cid, f"Component {cid}", Stage.PLAN, "Goal.", "https://example.org",
                     activities)


#: c1: a1 = TECH ORG REG, a2 = TECH TECH        c2: a1 = ORG ORG ORG REG
ROADMAP = Roadmap("test", "1", "en", (
    component("c1", activity("c1.a1", TECH, ORG, REG), activity("c1.a2", TECH, TECH)),
    component("c2", activity("c2.a1", ORG, ORG, ORG, REG)),
))
META = ProjectMeta(id="p", title="P", municipality="M", country="BE")


def state(done: set[str], statuses: dict[str, Status] | None = None) -> ProjectState:
    items = {i: ItemState(i, done=True, owner="x") for i in done}
    items["c2.a1.i4"] = ItemState("c2.a1.i4", done=False, note="present but not done")
    acts = {a: ActivityState(a, s) for a, s in (statuses or {}).items()}
    return ProjectState(META, acts, items)


def test_nothing_done() -> None:
    p = compute(ROADMAP, state(set()))
    assert p.overall == Tally(0, 9)
    assert p.overall.fraction == 0.0
    assert p.components == {"c1": Tally(0, 5), "c2": Tally(0, 4)}
    assert p.dimensions == {TECH: Tally(0, 3), ORG: Tally(0, 4), REG: Tally(0, 2)}
    assert p.excluded == frozenset()


def test_fractions_at_every_level() -> None:
    p = compute(ROADMAP, state({"c1.a1.i1", "c1.a1.i2", "c1.a2.i1", "c2.a1.i1"}))
    assert p.activities == {"c1.a1": Tally(2, 3), "c1.a2": Tally(1, 2), "c2.a1": Tally(1, 4)}
    assert p.components == {"c1": Tally(3, 5), "c2": Tally(1, 4)}
    assert p.overall == Tally(4, 9)
    # TECH: c1.a1.i1, c1.a2.i1 done of c1.a1.i1, c1.a2.i1, c1.a2.i2
    # ORG: c1.a1.i2, c2.a1.i1 done of c1.a1.i2, c2.a1.i1..i3; REG: none of c1.a1.i3, c2.a1.i4
    assert p.dimensions == {TECH: Tally(2, 3), ORG: Tally(2, 4), REG: Tally(0, 2)}
    assert p.activities["c1.a1"].fraction == pytest.approx(2 / 3)
    assert p.components["c2"].fraction == pytest.approx(0.25)
    assert p.overall.fraction == pytest.approx(4 / 9)


def test_items_weigh_equally_not_activities() -> None:
    # c1.a2 fully done (2 items) and c2.a1 untouched (4 items): 2 of 6, not 1 of 2 activities.
    roadmap = Roadmap("t", "1", "en", (
        component("c1", activity("c1.a2", TECH, TECH)),
        component("c2", activity("c2.a1", ORG, ORG, ORG, REG)),
    ))
    p = compute(roadmap, state({"c1.a2.i1", "c1.a2.i2"}))
    assert p.overall.fraction == pytest.approx(2 / 6)


def test_activity_status_alone_does_not_count_as_progress() -> None:
    p = compute(ROADMAP, state(set(), {"c1.a1": Status.DONE, "c1.a2": Status.IN_PROGRESS}))
    assert p.overall == Tally(0, 9)
    assert p.excluded == frozenset()


def test_not_applicable_drops_out_of_totals_but_keeps_its_tally() -> None:
    done = {"c1.a1.i1", "c1.a2.i1", "c1.a2.i2"}
    p = compute(ROADMAP, state(done, {"c1.a1": Status.NOT_APPLICABLE}))
    assert p.excluded == frozenset({"c1.a1"})
    assert p.activities["c1.a1"] == Tally(1, 3)  # its own tally is still there
    assert p.components["c1"] == Tally(2, 2)
    assert p.overall == Tally(2, 6)
    # c1.a1 held one item of each dimension; none of them counts now.
    assert p.dimensions == {TECH: Tally(2, 2), ORG: Tally(0, 3), REG: Tally(0, 1)}


def test_component_with_only_not_applicable_activities_is_zero() -> None:
    p = compute(ROADMAP, state({"c2.a1.i1"}, {"c2.a1": Status.NOT_APPLICABLE}))
    assert p.components["c2"] == Tally(0, 0)
    assert p.components["c2"].fraction == 0.0
    assert p.overall == Tally(0, 5)


def test_empty_totals_give_zero() -> None:
    assert Tally().fraction == 0.0
    roadmap = Roadmap("t", "1", "en", (component("c1", activity("c1.a1", TECH, TECH, TECH)),))
    p = compute(roadmap, state(set(), {"c1.a1": Status.NOT_APPLICABLE}))
    assert p.overall == Tally(0, 0) and p.overall.fraction == 0.0
    assert all(t.total == 0 and t.fraction == 0.0 for t in p.dimensions.values())
    empty = compute(Roadmap("t", "1", "en", ()), state(set()))
    assert empty.overall.fraction == 0.0
    assert empty.components == {} and empty.activities == {}
    assert set(empty.dimensions) == set(Dimension)


def conditional_roadmap() -> Roadmap:
    """c1.a1 has one item under personal data; c2.a1 applies only with AI."""
    a1 = activity("c1.a1", TECH, ORG, REG)
    items = (*a1.items[:2], dataclasses.replace(a1.items[2], condition=PERSONAL))
    a2 = dataclasses.replace(activity("c2.a1", ORG, ORG, ORG), condition=AI)
    return Roadmap("t", "1", "en", (
        component("c1", dataclasses.replace(a1, items=items)), component("c2", a2)))


@pytest.mark.parametrize("answer", [None, True])
def test_unanswered_or_true_conditions_count(answer: bool | None) -> None:
    s = dataclasses.replace(state({"c1.a1.i3"}), conditions={PERSONAL: answer, AI: answer})
    p = compute(conditional_roadmap(), s)
    assert p.overall == Tally(1, 6)
    assert p.excluded == frozenset()


def test_false_conditions_drop_items_and_activities() -> None:
    s = dataclasses.replace(state({"c1.a1.i1", "c1.a1.i3", "c2.a1.i1"}),
                            conditions={PERSONAL: False, AI: False})
    p = compute(conditional_roadmap(), s)
    assert p.activities["c1.a1"] == Tally(1, 2)  # the personal-data item is not counted
    assert p.excluded == frozenset({"c2.a1"})
    assert p.activities["c2.a1"] == Tally(1, 3)  # still has its own tally
    assert p.components == {"c1": Tally(1, 2), "c2": Tally(0, 0)}
    assert p.overall == Tally(1, 2)
    assert p.dimensions == {TECH: Tally(1, 1), ORG: Tally(0, 1), REG: Tally(0, 0)}


def test_states_of_unknown_ids_are_ignored() -> None:
    s = state({"c9.a9.i1", "c1.a1.i1"}, {"c9.a9": Status.NOT_APPLICABLE})
    p = compute(ROADMAP, s)
    assert p.overall == Tally(1, 9)
    assert "c9.a9" not in p.activities and p.excluded == frozenset()


def test_tally_addition() -> None:
    assert Tally(1, 2) + Tally(3, 4) == Tally(4, 6)
    assert Tally(1, 2).fraction == 0.5


def fractions(p: Progress) -> dict[str, object]:
    data = p.as_fractions()
    assert set(data) == {"overall", "components", "activities", "dimensions"}
    return data


def test_as_fractions_shape_and_values() -> None:
    p = compute(ROADMAP, state({"c1.a1.i1", "c1.a1.i2", "c2.a1.i1"},
                               {"c1.a2": Status.NOT_APPLICABLE}))
    data = fractions(p)
    assert data["components"] == {"c1": pytest.approx(2 / 3, abs=1e-4), "c2": 0.25}
    assert data["activities"] == {"c1.a1": pytest.approx(0.6667, abs=1e-9), "c1.a2": 0.0,
                                  "c2.a1": 0.25}
    assert data["overall"] == pytest.approx(3 / 7, abs=1e-4)
    dims = data["dimensions"]
    assert isinstance(dims, dict)
    assert list(dims) == ["technology", "organisation", "regulation-ethics"]
    assert dims == {"technology": 1.0, "organisation": 0.5, "regulation-ethics": 0.0}
    values = [data["overall"], *data["components"].values(),  # type: ignore[attr-defined]
              *data["activities"].values(), *dims.values()]  # type: ignore[attr-defined]
    for value in values:
        assert isinstance(value, float)
        assert 0.0 <= value <= 1.0


def test_as_fractions_all_done_is_one() -> None:
    every = {i.id for i in ROADMAP.items()}
    s = ProjectState(META, {}, {i: ItemState(i, done=True) for i in every})
    data = fractions(compute(ROADMAP, s))
    assert data["overall"] == 1.0
    assert set(data["components"].values()) == {1.0}  # type: ignore[attr-defined]
    assert set(data["dimensions"].values()) == {1.0}  # type: ignore[attr-defined]


# --- the status the checklist suggests ----------------------------------------------------

NS, IP, DONE, NA = Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE, Status.NOT_APPLICABLE


@pytest.mark.parametrize(("status", "done", "total", "suggested"), [
    (NS, 0, 7, None),
    (NS, 2, 7, IP),  # "Not started" with 2 of 7 items done
    (NS, 7, 7, DONE),
    (IP, 0, 7, None),  # started without ticking anything: the user knows
    (IP, 3, 7, None),
    (IP, 7, 7, DONE),
    (DONE, 6, 7, IP),  # "Done" with 6 of 7
    (DONE, 7, 7, None),
    (DONE, 0, 0, None),  # nothing applies: nothing to go by
    (NA, 7, 7, None),  # not applicable is the user's decision
    (NA, 2, 7, None),
])
def test_suggested_status(status: Status, done: int, total: int,
                          suggested: Status | None) -> None:
    assert suggested_status(status, Tally(done, total)) == suggested


def test_the_first_tick_starts_an_activity() -> None:
    assert status_after_tick(NS, Tally(1, 7)) is IP
    assert status_after_tick(NS, Tally(0, 7)) is NS
    assert status_after_tick(DONE, Tally(6, 7)) is DONE  # only ever suggested
    assert status_after_tick(NA, Tally(1, 7)) is NA


def test_activity_tally_counts_applicable_items() -> None:
    act = ROADMAP.activity("c1.a1")
    conditional = dataclasses.replace(act.items[2], condition=PERSONAL)
    act = dataclasses.replace(act, items=(*act.items[:2], conditional))
    answers = {PERSONAL: False}
    base = ProjectState(META, items={"c1.a1.i1": ItemState("c1.a1.i1", done=True),
                                     "c1.a1.i3": ItemState("c1.a1.i3", done=True)},
                        conditions=answers)
    assert activity_tally(act, base) == Tally(1, 2)
    assert activity_tally(act, dataclasses.replace(base, conditions={})) == Tally(2, 3)


def test_owner_names_most_used_first() -> None:
    owners = ["Lotte Vermeulen", "Jonas  Verhaeghe", "", "Jonas Verhaeghe", "jonas verhaeghe",
              "Bram Maes", "  "]
    items = {f"c1.a1.i{n}": ItemState(f"c1.a1.i{n}", owner=owner)
             for n, owner in enumerate(owners, 1)}
    state = ProjectState(META, items=items)
    assert state.owner_names() == ["Jonas Verhaeghe", "Bram Maes", "Lotte Vermeulen"]
    assert ProjectState(META).owner_names() == []
