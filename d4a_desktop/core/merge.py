"""Three-way merge of two copies of one project, field by field, from their change logs.

Both copies keep every committed edit as a change with its own id. The changes both logs
hold are their common history; what only one log holds was done on that side since the
copies parted. So "changed on one side" or "on both sides" is a fact read from the logs,
never a guess from clocks, and a file copied to a USB stick merges correctly the first
time. Per field:

- changed only on their side: their value is taken;
- changed on both sides to the same value: nothing to do;
- changed on both sides to different values: a conflict, decided by the user;
- a record deleted on one side and edited on the other: a conflict (``field`` is
  :data:`DELETED`); records only they have are added.

Their changes that this copy lacks join its log, so merging the same package twice
changes nothing. A package that leaves things out (people's names, notes) carries those
changes with their values withheld; they join the log as they came, and a later package
that holds their values completes them: what was left out arrives then, as if changed on
their side only. This module works on snapshots (``storage/snapshot.py``); it neither
reads nor writes files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: The pseudo-field of a record's tombstone in plans and conflicts.
DELETED = "_deleted"
#: Kinds whose rows hold the answers about the roadmap (keyed by content id).
STATE_KINDS = ("activity", "item", "condition")
PROJECT = "project"


@dataclass(frozen=True)
class Side:
    """One side's value of a field and who set it when (from its newest change)."""

    value: Any
    author: str = ""
    at: str = ""


@dataclass(frozen=True)
class Conflict:
    """A field both copies changed, to different values, since they parted (or a record deleted on
    one side and edited on the other, ``field`` DELETED): the user decides, never the clock."""

    kind: str          # a record kind, "activity", "item", "condition" or "project"
    record_id: str
    key: str           # the content id of a roadmap answer ("c2.a1.i3"), else ""
    field: str         # a field name, or DELETED
    mine: Side
    theirs: Side

    @property
    def ident(self) -> tuple[str, str, str]:
        return self.kind, self.record_id, self.field


@dataclass(frozen=True)
class Take:
    """Set a field to their value (a record they created comes whole, in ``creates``)."""

    kind: str
    record_id: str
    key: str
    field: str
    value: Any
    author: str = ""   # who set it on their side, and when
    at: str = ""


@dataclass
class Plan:
    """Everything a merge of their copy into this one would do, worked out before anything is
    written, so the user sees and decides the conflicts first. An empty plan means there is
    nothing to merge."""

    takes: list[Take] = field(default_factory=list)
    #: (kind, the record or state entry as it stands in their snapshot)
    creates: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    #: Their change-log entries this copy does not have.
    changes: list[dict[str, Any]] = field(default_factory=list)
    #: Their full copies of entries this copy holds with the values withheld (it got them
    #: from a package that left those values out): stored over the withheld ones.
    completed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.takes or self.creates or self.conflicts or self.changes
                    or self.completed)


class DifferentProjects(ValueError):
    """Two projects with different ids are never merged (they are compared instead)."""


def _index(snapshot: Mapping[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """(kind, record id) → {"values": …, "deleted": bool, "key": content id, ...}."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    project = snapshot["project"]
    found[(PROJECT, project["id"])] = {
        "values": {k: v for k, v in project.items()
                   if k not in ("id", "created_at", "modified_at", "author",
                                "roadmap_version")},
        "deleted": False, "key": ""}
    for kind, entries in snapshot.get("state", {}).items():
        for entry in entries:
            found[(kind, entry["id"])] = {"values": entry["values"], "deleted": False,
                                         "key": entry["key"], "entry": entry}
    for kind, entries in snapshot.get("records", {}).items():
        for entry in entries:
            found[(kind, entry["id"])] = {"values": entry["values"],
                                         "deleted": bool(entry.get("deleted")), "key": "",
                                         "entry": entry}
    return found


def _touched(changes: Iterable[Mapping[str, Any]],
             index: Mapping[tuple[str, str], Mapping[str, Any]]
             ) -> dict[tuple[str, str, str], Mapping[str, Any]]:
    """(kind, record id, field) → the newest of ``changes`` that touched it. A record's
    creation (or a baseline) touches all its fields; deleting or restoring it touches
    :data:`DELETED`."""
    touched: dict[tuple[str, str, str], Mapping[str, Any]] = {}
    for change in changes:
        kind, rid, op = change["kind"], change["record_id"], change["op"]
        if op in ("create", "baseline"):
            new = change.get("new")
            values: Mapping[str, Any] = new if isinstance(new, dict) else \
                index.get((kind, rid), {}).get("values", {})
            for name in values:
                touched[(kind, rid, name)] = change
            touched[(kind, rid, DELETED)] = change
        elif op in ("delete", "restore"):
            touched[(kind, rid, DELETED)] = change
        else:
            touched[(kind, rid, change["field"])] = change
    return touched


def withholdable(kind: str) -> set[str]:
    """The fields of ``kind`` a package may leave out: notes, owners, and the names and
    contacts of people (``docs/exchange.md``, "Leaving things out")."""
    import contextlib

    from d4a_desktop.core import kinds

    names = {"note", "notes", "na_reason", "owner", "owner_person"}
    with contextlib.suppress(KeyError, ValueError):  # the state kinds: notes and owners
        names |= {f.name for f in kinds.kind(kind).fields if f.personal}
    return names


def completion(held: Mapping[str, Any], theirs: Mapping[str, Any]) -> dict[str, Any] | None:
    """What ``theirs`` (a change with its values) adds to ``held``, the same change as this
    copy's log holds it, when that came withheld from a package that left values out: a
    ``create`` lacking some or all first values, a ``set`` without its old and new value
    (no edit is ever logged from nothing to nothing). None when ``held`` is complete.
    """
    if theirs.get("withheld"):
        return None
    op = theirs.get("op")
    if op == "create":
        mine_new, their_new = held.get("new"), theirs.get("new")
        if not isinstance(their_new, dict):
            return None
        known = mine_new if isinstance(mine_new, dict) else {}  # None: all withheld
        could = withholdable(str(theirs.get("kind", "")))
        missing = {k: v for k, v in their_new.items() if k not in known and k in could}
        return {**theirs, "new": missing} if missing else None
    if op == "set" and held.get("old") is None and held.get("new") is None and (
            theirs.get("old") is not None or theirs.get("new") is not None) and \
            theirs.get("field") in withholdable(str(theirs.get("kind", ""))):
        return dict(theirs)
    return None


def _value(index: Mapping[tuple[str, str], Mapping[str, Any]], kind: str, rid: str,
           name: str) -> Any:
    entry = index.get((kind, rid))
    if entry is None:
        return None
    if name == DELETED:
        return entry["deleted"]
    return entry["values"].get(name)


def plan(mine: Mapping[str, Any], theirs: Mapping[str, Any]) -> Plan:
    """What merging ``theirs`` into ``mine`` does. Raises DifferentProjects."""
    if mine["project"]["id"] != theirs["project"]["id"]:
        raise DifferentProjects(theirs["project"]["id"])
    held = {c["id"]: c for c in mine.get("changes", ())}
    their_ids = {c["id"] for c in theirs.get("changes", ())}
    theirs_new = [c for c in theirs.get("changes", ()) if c["id"] not in held]
    mine_new = [c for c in mine.get("changes", ()) if c["id"] not in their_ids]
    completions = [(c, part) for c in theirs.get("changes", ()) if c["id"] in held
                   for part in (completion(held[c["id"]], c),) if part is not None]
    my_index, their_index = _index(mine), _index(theirs)
    result = Plan(changes=[dict(c) for c in theirs_new],
                  completed=[dict(c) for c, _part in completions])
    # what was withheld here counts as changed on their side only (older than the rest)
    theirs_touched = _touched([part for _c, part in completions] + theirs_new, their_index)
    mine_touched = _touched(mine_new, my_index)
    created: set[tuple[str, str]] = set()
    for (kind, rid, name), change in theirs_touched.items():
        if (kind, rid) not in their_index:
            continue  # a change to something their snapshot no longer holds
        if (kind, rid) not in my_index:
            if (kind, rid) not in created:
                created.add((kind, rid))
                entry = their_index[(kind, rid)].get("entry")
                if entry is not None:
                    result.creates.append((kind, entry))
            continue
        if change.get("withheld") and name != DELETED:
            continue  # the package left this value out (a tombstone reveals no value)
        theirs_value = _value(their_index, kind, rid, name)
        mine_value = _value(my_index, kind, rid, name)
        if theirs_value == mine_value:
            continue
        key = my_index[(kind, rid)]["key"]
        mine_edits = [v for k, v in mine_touched.items() if k[:2] == (kind, rid)]
        if name == DELETED:  # they deleted or restored it
            if mine_edits:  # … and this side changed the record meanwhile
                newest = mine_edits[-1]
                result.conflicts.append(Conflict(
                    kind, rid, key, DELETED,
                    Side(mine_value, newest.get("author", ""), newest.get("at", "")),
                    Side(theirs_value, change.get("author", ""), change.get("at", ""))))
            else:
                result.takes.append(Take(kind, rid, key, name, theirs_value,
                                         change.get("author", ""), change.get("at", "")))
            continue
        mine_delete = mine_touched.get((kind, rid, DELETED))
        if mine_delete is not None and my_index[(kind, rid)]["deleted"]:
            result.conflicts.append(Conflict(  # deleted here, edited there
                kind, rid, key, DELETED,
                Side(True, mine_delete.get("author", ""), mine_delete.get("at", "")),
                Side(_value(their_index, kind, rid, DELETED), change.get("author", ""),
                     change.get("at", ""))))
            continue
        mine_change = mine_touched.get((kind, rid, name))
        if mine_change is None:
            result.takes.append(Take(kind, rid, key, name, theirs_value,
                                     change.get("author", ""), change.get("at", "")))
            continue
        result.conflicts.append(Conflict(
            kind, rid, key, name,
            Side(mine_value, mine_change.get("author", ""), mine_change.get("at", "")),
            Side(theirs_value, change.get("author", ""), change.get("at", ""))))
    # One conflict per deleted record is enough: a deletion against an edit is decided whole.
    seen: set[tuple[str, str]] = set()
    unique = []
    for conflict in result.conflicts:
        if conflict.field == DELETED:
            if (conflict.kind, conflict.record_id) in seen:
                continue
            seen.add((conflict.kind, conflict.record_id))
        unique.append(conflict)
    deleted_records = {(c.kind, c.record_id) for c in unique if c.field == DELETED}
    result.conflicts = [c for c in unique if c.field == DELETED or
                        (c.kind, c.record_id) not in deleted_records]
    result.takes = [t for t in result.takes if (t.kind, t.record_id) not in deleted_records]
    return result


def apply_to_snapshot(mine: Mapping[str, Any], merge: Plan,
                      decisions: Mapping[tuple[str, str, str], Any]) -> dict[str, Any]:
    """The snapshot after the merge (for tests and previews): ``decisions`` maps each
    conflict's ident to the chosen value (missing: keep mine)."""
    import copy

    result = copy.deepcopy(dict(mine))
    index = _index(result)
    for kind, entry in merge.creates:
        target = result["state"] if kind in STATE_KINDS else result["records"]
        target.setdefault(kind, []).append(copy.deepcopy(entry))
    index = _index(result)
    sets = [(t.kind, t.record_id, t.field, t.value) for t in merge.takes]
    sets += [(c.kind, c.record_id, c.field, decisions[c.ident]) for c in merge.conflicts
             if c.ident in decisions]
    for kind, rid, name, value in sets:
        if kind == PROJECT:
            result["project"][name] = value
            continue
        entry = index[(kind, rid)]["entry"]
        if name == DELETED:
            entry["deleted"] = bool(value)
        else:
            entry["values"][name] = value
    completed = {c["id"]: c for c in merge.completed}
    known = {c["id"] for c in result.get("changes", ())}
    result["changes"] = [completed.get(c["id"], c) for c in result.get("changes", ())] + [
        c for c in merge.changes if c["id"] not in known]
    return result
