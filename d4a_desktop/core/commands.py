"""Undoable edits as plain data.

A command names what to change; ``apply`` performs it against a store and returns the
command that undoes it, together with what changed. Undo is therefore just applying the
inverse, redo applying the inverse's inverse; the GUI's QUndoCommand only adapts this.
Commands validate their fields, so a bad edit fails before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from d4a_desktop.core import kinds, records
from d4a_desktop.core.project import ActivityState, ItemState, ProjectMeta
from d4a_desktop.core.records import Kind, Problem, Record, check_text
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
    def transaction(self) -> AbstractContextManager[None]: ...
    def records(self, kind: str) -> list[Record]: ...
    def get_record(self, kind: str, record_id: str) -> Record | None: ...
    def create_record(self, kind: str, record_id: str, values: Mapping[str, Any]) -> Record: ...
    def update_record(self, kind: str, record_id: str, changes: Mapping[str, Any]) -> Record: ...
    def set_deleted(self, kind: str, record_id: str, deleted: bool) -> Record: ...
    def apply_merge(self, plan: Any, decisions: Mapping[tuple[str, str, str], Any]
                    ) -> dict[str, Any]: ...
    def undo_merge(self, undo: Mapping[str, Any]) -> None: ...


@dataclass(frozen=True, slots=True)
class Change:
    """What an applied command touched, so a view refreshes only that: ``meta``,
    ``activity``, ``item`` or ``conditions`` with the content id, a record kind's name
    with the record id (an empty id: any record of that kind), or ``batch``."""

    kind: str
    key: str


Fields = tuple[tuple[str, Any], ...]
FieldsIn = Fields | Mapping[str, Any]


def _fields(changes: FieldsIn) -> Fields:
    items = changes.items() if isinstance(changes, Mapping) else changes
    return tuple(sorted(items))


def _old_values(before: object, changes: FieldsIn) -> Fields:
    """The values ``changes`` will overwrite: the fields of the inverse command."""
    return tuple((name, getattr(before, name)) for name, _new in _fields(changes))


_DATES = ("due_date", "planned_start", "planned_end")


class BadText(ValueError):
    """Text that cannot be stored (a lone surrogate from a broken paste); the message is
    translated and may be shown."""


def _check(allowed: tuple[str, ...], changes: Fields) -> None:
    if not changes:
        raise ValueError("a command must change at least one field")
    for name, value in changes:
        if name not in allowed:
            raise ValueError(f"field {name!r} cannot be edited")
        if name == "done" and not isinstance(value, bool):
            raise TypeError("done must be a bool")
        if name in _DATES and value is not None and not isinstance(value, dt.date):
            raise TypeError(f"{name} must be a date or None")
        if name == "status" and not isinstance(value, Status):
            raise TypeError("status must be a Status")
        if name not in ("done", "status", *_DATES) and not isinstance(value, str):
            raise TypeError(f"{name} must be text")
        if isinstance(value, str) and check_text(value):
            raise BadText(check_text(value) or "")


@dataclass(frozen=True, slots=True)
class SetItemFields:
    """Edit the answers about one checklist item (done, owner, due date, note). ``changes`` may
    come as a mapping and is kept as sorted (name, value) pairs, as a frozen command holds no
    dict; the inverse holds the old values of only the fields it changes."""

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
    """Edit a project's answer about one activity: its status, the reason it does not apply, its
    planned dates. Kept and inverted as SetItemFields is."""

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
        names = {k for k, _v in _fields(self.changes)}
        if names == {"na_reason"}:
            return _("Edit reason")
        if names <= {"planned_start", "planned_end"}:
            return _("Change planned dates")
        return _("Change activity status")


@dataclass(frozen=True, slots=True)
class SetProjectFields:
    """Edit the project's details (those in ProjectMeta.EDITABLE; its id, author and times are never
    edited). Kept and inverted as SetItemFields is."""

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


# --- the project's own records: one set of commands for every declared kind -------------------

class InvalidRecord(ValueError):
    """Values that do not fit a kind; ``problems`` say which field and why, translated."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


def _kind(name: str) -> Kind:
    return kinds.kind(name)


def _valid(kind: Kind, values: Mapping[str, Any], *, partial: bool) -> None:
    problems = records.validate(kind, values, partial=partial)
    if problems:
        raise InvalidRecord(problems)


def _check_rules(store: ProjectStore, kind: Kind, record_id: str,
                 values: Mapping[str, Any]) -> None:
    if kind.rules:
        problems = records.check_rules(kind, record_id, values, store.records(kind.name))
        if problems:
            raise InvalidRecord(problems)


@dataclass(frozen=True, slots=True)
class CreateRecord:
    """Add a record; undoing it leaves a tombstone, redoing restores it."""

    kind: str
    record_id: str
    values: FieldsIn

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", _fields(self.values))
        _valid(_kind(self.kind), dict(_fields(self.values)), partial=False)

    def apply(self, store: ProjectStore) -> tuple[DeleteRecord, Change]:
        kind = _kind(self.kind)
        values = dict(_fields(self.values))
        with store.transaction():
            _check_rules(store, kind, self.record_id, {**kind.defaults(), **values})
            store.create_record(kind.name, self.record_id, values)
        return DeleteRecord(self.kind, self.record_id, self.title()), \
            Change(self.kind, self.record_id)

    def title(self) -> str:
        return records.title_of(_kind(self.kind), dict(_fields(self.values)))

    def describe(self) -> str:
        return _("Add “{title}”").format(title=self.title())


@dataclass(frozen=True, slots=True)
class SetRecordFields:
    """Edit some fields of one record. ``label`` is the record's title when the edit was made, for
    the undo history. Records of a frozen kind (a saved version) are refused before anything is
    written."""

    kind: str
    record_id: str
    changes: FieldsIn
    label: str = ""  # the record's title when the edit was made, for the undo history

    def __post_init__(self) -> None:
        object.__setattr__(self, "changes", _fields(self.changes))
        if not self.changes:
            raise ValueError("a command must change at least one field")
        if _kind(self.kind).frozen:
            raise ValueError(f"{self.kind} records are never edited once made")
        _valid(_kind(self.kind), dict(_fields(self.changes)), partial=True)

    def apply(self, store: ProjectStore) -> tuple[SetRecordFields, Change]:
        kind = _kind(self.kind)
        changes = dict(_fields(self.changes))
        with store.transaction():
            before = store.get_record(kind.name, self.record_id)
            if before is None:
                raise KeyError(self.record_id)
            _check_rules(store, kind, self.record_id, {**before.values, **changes})
            store.update_record(kind.name, self.record_id, changes)
        old = tuple((name, before.values.get(name)) for name, _v in _fields(self.changes))
        return SetRecordFields(self.kind, self.record_id, old, records.title_of(kind, before)), \
            Change(self.kind, self.record_id)

    def describe(self) -> str:
        return _("Edit “{title}”").format(title=self.label) if self.label else _("Edit record")


@dataclass(frozen=True, slots=True)
class DeleteRecord:
    """Delete a record by marking it deleted: the row stays, as a tombstone, so that undo brings
    back every value and a merge knows the record was deleted rather than never made."""

    kind: str
    record_id: str
    label: str = ""

    def apply(self, store: ProjectStore) -> tuple[RestoreRecord, Change]:
        record = store.set_deleted(self.kind, self.record_id, True)
        return RestoreRecord(self.kind, self.record_id,
                             records.title_of(_kind(self.kind), record)), \
            Change(self.kind, self.record_id)

    def describe(self) -> str:
        return _("Delete “{title}”").format(title=self.label) if self.label \
            else _("Delete record")


@dataclass(frozen=True, slots=True)
class RestoreRecord:
    """Bring back a deleted record, unless its kind's rules now forbid it (a second accountable
    person for an activity): then nothing is written."""

    kind: str
    record_id: str
    label: str = ""

    def apply(self, store: ProjectStore) -> tuple[DeleteRecord, Change]:
        kind = _kind(self.kind)
        with store.transaction():
            before = store.get_record(kind.name, self.record_id)
            if before is None:
                raise KeyError(self.record_id)
            _check_rules(store, kind, self.record_id, before.values)
            record = store.set_deleted(self.kind, self.record_id, False)
        return DeleteRecord(self.kind, self.record_id, records.title_of(kind, record)), \
            Change(self.kind, self.record_id)

    def describe(self) -> str:
        return _("Restore “{title}”").format(title=self.label) if self.label \
            else _("Restore record")


@dataclass(frozen=True, slots=True)
class Batch:
    """Several commands as one edit: one transaction, one undo step (an import)."""

    commands: tuple[Any, ...]
    label: str
    #: What the views should refresh: one kind ("" when the batch is mixed).
    kind: str = ""

    def apply(self, store: ProjectStore) -> tuple[Batch, Change]:
        inverses = []
        with store.transaction():
            for command in self.commands:
                inverse, _change = command.apply(store)
                inverses.append(inverse)
        return Batch(tuple(reversed(inverses)), self.label, self.kind), \
            Change(self.kind or "batch", "")

    def describe(self) -> str:
        return self.label


@dataclass(frozen=True)
class ApplyMerge:
    """A merge of a partner's copy (``core.merge.Plan``) with the user's decisions: one
    transaction, one undo step."""

    plan: Any
    decisions: tuple[tuple[tuple[str, str, str], Any], ...] = ()

    def apply(self, store: ProjectStore) -> tuple[UndoMerge, Change]:
        undo = store.apply_merge(self.plan, dict(self.decisions))
        return UndoMerge(self.plan, self.decisions, undo), Change("batch", "")

    def describe(self) -> str:
        return _("Merge a partner's changes")


@dataclass(frozen=True)
class UndoMerge:
    """The inverse of ApplyMerge: puts back what the merge overwrote (``undo``, as the store
    recorded it) and keeps the plan and decisions, so that redo merges again."""

    plan: Any
    decisions: tuple[tuple[tuple[str, str, str], Any], ...]
    undo: Mapping[str, Any]

    def apply(self, store: ProjectStore) -> tuple[ApplyMerge, Change]:
        store.undo_merge(self.undo)
        return ApplyMerge(self.plan, self.decisions), Change("batch", "")

    def describe(self) -> str:
        return _("Merge a partner's changes")


Command = (SetItemFields | SetActivityFields | SetProjectFields | SetConditions | CreateRecord
           | SetRecordFields | DeleteRecord | RestoreRecord | Batch | ApplyMerge | UndoMerge)
