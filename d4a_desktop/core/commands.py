"""Undoable edits as plain data.

A command names what to change; ``apply`` performs it against a store and returns the
command that undoes it, together with what changed. Undo is therefore just applying the
inverse, redo applying the inverse's inverse; the GUI's QUndoCommand only adapts this.
Commands validate their fields, so a bad edit fails before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from d4a_desktop.core.project import ActivityState, ItemState, ProjectMeta
from d4a_desktop.core.vocab import Condition, Status
from d4a_desktop.i18n import _


class ProjectStore(Protocol):
    """What a command needs from storage; each call is its own committed transaction."""

    def get_meta(self) -> ProjectMeta: ...
    def update_meta(self, changes: Mapping[str, Any]) -> ProjectMeta: ...
    def get_activity(self, activity_id: str) -> ActivityState: ...
    def update_activity(self, activity_id: str, changes: Mapping[str, Any]) -> ActivityState: ...
    def get_item(self, item_id: str) -> ItemState: ...
    def get_conditions(self) -> dict[Condition, bool | None]: ...
    def update_conditions(self, changes: Mapping[Condition, bool | None]) -> None: ...
    def update_item(self, item_id: str, changes: Mapping[str, Any]) -> ItemState: ...


@dataclass(frozen=True, slots=True)
class Change:
    """What an applied command touched, so a view refreshes only that."""

    kind: Literal["meta", "activity", "item", "conditions"]
    key: str


Fields = tuple[tuple[str, Any], ...]
FieldsIn = Fields | Mapping[str, Any]


def _fields(changes: FieldsIn) -> Fields:
    items = changes.items() if isinstance(changes, Mapping) else changes
    return tuple(sorted(items))


def _old_values(before: object, changes: FieldsIn) -> Fields:
    """The values ``changes`` will overwrite: the fields of the inverse command."""
    return tuple((name, getattr(before, name)) for name, _new in _fields(changes))


def _check(allowed: tuple[str, ...], changes: Fields) -> None:
    if not changes:
        raise ValueError("a command must change at least one field")
    for name, value in changes:
        if name not in allowed:
            raise ValueError(f"field {name!r} cannot be edited")
        if name == "done" and not isinstance(value, bool):
            raise TypeError("done must be a bool")
        if name == "due_date" and value is not None and not isinstance(value, dt.date):
            raise TypeError("due_date must be a date or None")
        if name == "status" and not isinstance(value, Status):
            raise TypeError("status must be a Status")
        if name not in ("done", "due_date", "status") and not isinstance(value, str):
            raise TypeError(f"{name} must be text")


@dataclass(frozen=True, slots=True)
class SetItemFields:
    item_id: str
    changes: FieldsIn

    def __post_init__(self) -> None:
        object.__setattr__(self, "changes", _fields(self.changes))
        _check(ItemState.EDITABLE, _fields(self.changes))

    def apply(self, store: ProjectStore) -> tuple[SetItemFields, Change]:
        before = store.get_item(self.item_id)
        store.update_item(self.item_id, dict(_fields(self.changes)))
        inverse = SetItemFields(self.item_id, _old_values(before, self.changes))
        return inverse, Change("item", self.item_id)

    def describe(self) -> str:
        names = {k for k, _v in _fields(self.changes)}
        if names == {"done"}:
            return _("Tick item") if dict(_fields(self.changes))["done"] else _("Untick item")
        if names == {"owner"}:
            return _("Change owner")
        if names == {"due_date"}:
            return _("Change due date")
        if names == {"note"}:
            return _("Edit note")
        return _("Edit checklist item")


@dataclass(frozen=True, slots=True)
class SetActivityFields:
    activity_id: str
    changes: FieldsIn

    def __post_init__(self) -> None:
        object.__setattr__(self, "changes", _fields(self.changes))
        _check(ActivityState.EDITABLE, _fields(self.changes))

    def apply(self, store: ProjectStore) -> tuple[SetActivityFields, Change]:
        before = store.get_activity(self.activity_id)
        store.update_activity(self.activity_id, dict(_fields(self.changes)))
        inverse = SetActivityFields(self.activity_id, _old_values(before, self.changes))
        return inverse, Change("activity", self.activity_id)

    def describe(self) -> str:
        if {k for k, _v in _fields(self.changes)} == {"na_reason"}:
            return _("Edit reason")
        return _("Change activity status")


@dataclass(frozen=True, slots=True)
class SetProjectFields:
    changes: FieldsIn

    def __post_init__(self) -> None:
        object.__setattr__(self, "changes", _fields(self.changes))
        _check(ProjectMeta.EDITABLE, _fields(self.changes))

    def apply(self, store: ProjectStore) -> tuple[SetProjectFields, Change]:
        before = store.get_meta()
        store.update_meta(dict(_fields(self.changes)))
        inverse = SetProjectFields(_old_values(before, self.changes))
        return inverse, Change("meta", before.id)

    def describe(self) -> str:
        return _("Edit project details")


@dataclass(frozen=True, slots=True)
class SetConditions:
    """Answer (True/False) or un-answer (None) the roadmap's conditions for this project."""

    answers: tuple[tuple[Condition, bool | None], ...]

    def __post_init__(self) -> None:
        answers = self.answers.items() if isinstance(self.answers, Mapping) else self.answers
        object.__setattr__(self, "answers", tuple(sorted(answers)))
        if not self.answers:
            raise ValueError("a command must change at least one answer")
        for condition, applies in self.answers:
            if not isinstance(condition, Condition):
                raise TypeError("conditions are Condition values")
            if applies is not None and not isinstance(applies, bool):
                raise TypeError("an answer is True, False or None")

    def apply(self, store: ProjectStore) -> tuple[SetConditions, Change]:
        before = store.get_conditions()
        store.update_conditions(dict(self.answers))
        inverse = SetConditions(tuple((c, before.get(c)) for c, _a in self.answers))
        return inverse, Change("conditions", "")

    def describe(self) -> str:
        return _("Change what applies to the project")


Command = SetItemFields | SetActivityFields | SetProjectFields | SetConditions
