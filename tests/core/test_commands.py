"""Undoable commands against an in-memory store that implements ProjectStore."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

import pytest

from d4a_desktop.core.commands import (
    Change,
    ProjectStore,
    SetActivityFields,
    SetConditions,
    SetItemFields,
    SetProjectFields,
)
from d4a_desktop.core.project import ActivityState, ItemState, ProjectMeta
from d4a_desktop.core.vocab import Condition, Status


class FakeStore:
    """Keeps states in dicts and logs every call."""

    def __init__(self) -> None:
        self.meta = ProjectMeta(id="p-1", title="Cycling", municipality="Kortrijk",
                                country="BE", domain="Mobility")
        self.activities: dict[str, ActivityState] = {}
        self.items: dict[str, ItemState] = {}
        self.conditions: dict[Condition, bool | None] = {}
        self.calls: list[tuple[str, ...]] = []

    def get_meta(self) -> ProjectMeta:
        self.calls.append(("get_meta",))
        return self.meta

    def update_meta(self, changes: Mapping[str, Any]) -> ProjectMeta:
        self.calls.append(("update_meta", *sorted(changes)))
        self.meta = dataclasses.replace(self.meta, **changes)
        return self.meta

    def get_activity(self, activity_id: str) -> ActivityState:
        self.calls.append(("get_activity", activity_id))
        return self.activities.get(activity_id) or ActivityState(activity_id)

    def update_activity(self, activity_id: str, changes: Mapping[str, Any]) -> ActivityState:
        self.calls.append(("update_activity", activity_id, *sorted(changes)))
        new = dataclasses.replace(self.get_activity(activity_id), **changes)
        self.activities[activity_id] = new
        return new

    def get_item(self, item_id: str) -> ItemState:
        self.calls.append(("get_item", item_id))
        return self.items.get(item_id) or ItemState(item_id)

    def update_item(self, item_id: str, changes: Mapping[str, Any]) -> ItemState:
        self.calls.append(("update_item", item_id, *sorted(changes)))
        new = dataclasses.replace(self.get_item(item_id), **changes)
        self.items[item_id] = new
        return new

    def get_conditions(self) -> dict[Condition, bool | None]:
        self.calls.append(("get_conditions",))
        return dict(self.conditions)

    def update_conditions(self, changes: Mapping[Condition, bool | None]) -> None:
        self.calls.append(("update_conditions", *sorted(changes)))
        self.conditions.update(changes)


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


def _typed(store: FakeStore) -> ProjectStore:
    return store  # mypy checks that the fake implements the protocol


def item_fields(store: FakeStore, item_id: str) -> tuple[Any, ...]:
    s = store.get_item(item_id)
    return s.done, s.owner, s.due_date, s.note


def test_item_command_undo_and_redo(store: FakeStore) -> None:
    store.items["c1.a1.i1"] = ItemState("c1.a1.i1", owner="Els", note="old note")
    before = item_fields(store, "c1.a1.i1")
    due = dt.date(2027, 3, 31)
    cmd = SetItemFields("c1.a1.i1", {"done": True, "owner": "Pieter", "due_date": due})

    undo, change = cmd.apply(store)
    assert change == Change("item", "c1.a1.i1")
    assert change.kind == "item" and change.key == "c1.a1.i1"
    after = item_fields(store, "c1.a1.i1")
    assert after == (True, "Pieter", due, "old note")

    redo, change2 = undo.apply(store)
    assert change2 == change
    assert item_fields(store, "c1.a1.i1") == before
    assert dict(undo.changes) == {"done": False, "owner": "Els", "due_date": None}

    again, _c = redo.apply(store)
    assert item_fields(store, "c1.a1.i1") == after
    assert redo == cmd  # the inverse of the inverse is the original edit
    assert again == undo


def test_item_command_on_an_item_without_state(store: FakeStore) -> None:
    undo, _change = SetItemFields("c2.a1.i3", {"note": "n"}).apply(store)
    assert store.get_item("c2.a1.i3").note == "n"
    assert undo == SetItemFields("c2.a1.i3", {"note": ""})
    undo.apply(store)
    assert store.get_item("c2.a1.i3").note == ""


def test_activity_command_undo_and_redo(store: FakeStore) -> None:
    cmd = SetActivityFields("c6.a3", {"status": Status.NOT_APPLICABLE,
                                      "na_reason": "Done by the region."})
    undo, change = cmd.apply(store)
    assert change == Change("activity", "c6.a3")
    assert store.get_activity("c6.a3").status is Status.NOT_APPLICABLE
    assert store.get_activity("c6.a3").na_reason == "Done by the region."

    redo, _c = undo.apply(store)
    assert store.get_activity("c6.a3").status is Status.NOT_STARTED
    assert store.get_activity("c6.a3").na_reason == ""
    redo.apply(store)
    assert store.get_activity("c6.a3").status is Status.NOT_APPLICABLE


def test_project_command_undo_and_redo(store: FakeStore) -> None:
    cmd = SetProjectFields({"title": "Safer school routes", "tandem_partner": "Vejle"})
    undo, change = cmd.apply(store)
    assert change == Change("meta", "p-1")
    assert (store.meta.title, store.meta.tandem_partner) == ("Safer school routes", "Vejle")
    assert store.meta.municipality == "Kortrijk"  # untouched field
    redo, _c = undo.apply(store)
    assert (store.meta.title, store.meta.tandem_partner) == ("Cycling", "")
    redo.apply(store)
    assert store.meta.title == "Safer school routes"


def test_conditions_command_undo_and_redo(store: FakeStore) -> None:
    store.conditions[Condition.GEODATA] = True
    cmd = SetConditions({Condition.PERSONAL_DATA: False, Condition.GEODATA: None})
    undo, change = cmd.apply(store)
    assert change.kind == "conditions"
    assert store.conditions == {Condition.PERSONAL_DATA: False, Condition.GEODATA: None}
    redo, _c = undo.apply(store)
    # Undo restores the old answers; "never answered" comes back as None.
    assert store.get_conditions() == {Condition.PERSONAL_DATA: None, Condition.GEODATA: True}
    redo.apply(store)
    assert store.get_conditions() == {Condition.PERSONAL_DATA: False, Condition.GEODATA: None}
    assert redo == cmd
    assert cmd.describe().strip()


def test_only_named_fields_are_written(store: FakeStore) -> None:
    SetItemFields("c1.a1.i1", {"owner": "Sofie"}).apply(store)
    assert ("update_item", "c1.a1.i1", "owner") in store.calls
    SetActivityFields("c1.a1", {"status": Status.DONE}).apply(store)
    assert ("update_activity", "c1.a1", "status") in store.calls


def test_commands_are_comparable_values() -> None:
    a = SetItemFields("c1.a1.i1", {"owner": "A", "done": True})
    b = SetItemFields("c1.a1.i1", (("done", True), ("owner", "A")))
    assert a == b and hash(a) == hash(b)
    assert a != SetItemFields("c1.a1.i2", {"owner": "A", "done": True})
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.item_id = "x"  # type: ignore[misc]


BAD_COMMANDS: list[tuple[str, type[Exception], Any]] = [
    ("unknown item field", ValueError, lambda: SetItemFields("c1.a1.i1", {"colour": "red"})),
    ("item id as field", ValueError, lambda: SetItemFields("c1.a1.i1", {"item_id": "x"})),
    ("no fields", ValueError, lambda: SetItemFields("c1.a1.i1", {})),
    ("done as text", TypeError, lambda: SetItemFields("c1.a1.i1", {"done": "yes"})),
    ("done as int", TypeError, lambda: SetItemFields("c1.a1.i1", {"done": 1})),
    ("due date as text", TypeError,
     lambda: SetItemFields("c1.a1.i1", {"due_date": "2027-01-01"})),
    ("owner as number", TypeError, lambda: SetItemFields("c1.a1.i1", {"owner": 5})),
    ("note as None", TypeError, lambda: SetItemFields("c1.a1.i1", {"note": None})),
    ("status as text", TypeError, lambda: SetActivityFields("c1.a1", {"status": "done"})),
    ("status as None", TypeError, lambda: SetActivityFields("c1.a1", {"status": None})),
    ("unknown activity field", ValueError,
     lambda: SetActivityFields("c1.a1", {"done": True})),
    ("project id", ValueError, lambda: SetProjectFields({"id": "other"})),
    ("roadmap version", ValueError, lambda: SetProjectFields({"roadmap_version": "9"})),
    ("title as None", TypeError, lambda: SetProjectFields({"title": None})),
    ("no answers", ValueError, lambda: SetConditions({})),
    ("condition as text", TypeError, lambda: SetConditions({"personal-data": True})),
    ("answer as text", TypeError, lambda: SetConditions({Condition.GEODATA: "yes"})),
    ("answer as int", TypeError, lambda: SetConditions({Condition.GEODATA: 1})),
]


@pytest.mark.parametrize(("error", "make"), [(e, m) for _n, e, m in BAD_COMMANDS],
                         ids=[n for n, _e, _m in BAD_COMMANDS])
def test_invalid_commands_fail_before_the_store_is_touched(
        store: FakeStore, error: type[Exception], make: Any) -> None:
    with pytest.raises(error):
        make().apply(store)
    assert store.calls == []


def test_valid_values_of_every_type_are_accepted(store: FakeStore) -> None:
    SetItemFields("c1.a1.i1", {"done": False, "due_date": None, "owner": "", "note": ""})
    SetItemFields("c1.a1.i1", {"due_date": dt.date(2027, 1, 1)})
    for status in Status:
        SetActivityFields("c1.a1", {"status": status})
    SetProjectFields({name: "x" for name in ProjectMeta.EDITABLE})


@pytest.mark.parametrize("command", [
    SetItemFields("c1.a1.i1", {"done": True}),
    SetItemFields("c1.a1.i1", {"done": False}),
    SetItemFields("c1.a1.i1", {"owner": "A"}),
    SetItemFields("c1.a1.i1", {"due_date": None}),
    SetItemFields("c1.a1.i1", {"note": "n"}),
    SetItemFields("c1.a1.i1", {"note": "n", "owner": "A"}),
    SetActivityFields("c1.a1", {"status": Status.DONE}),
    SetActivityFields("c1.a1", {"na_reason": "r"}),
    SetProjectFields({"title": "t"}),
], ids=lambda c: f"{type(c).__name__}-{'-'.join(k for k, _v in c.changes)}")
def test_describe_is_text(command: Any) -> None:
    text = command.describe()
    assert isinstance(text, str) and text.strip()


def test_describe_tells_tick_from_untick() -> None:
    tick = SetItemFields("c1.a1.i1", {"done": True}).describe()
    untick = SetItemFields("c1.a1.i1", {"done": False}).describe()
    assert tick != untick
