"""Two copies of the demo project edited apart, as on two laptops, for the "Done when" tests
of the exchange (``test_two_laptops.py`` here and in ``tests/gui``).

One laptop writes the demo and copies it to the other (a USB stick); then each edits its
copy: checklist items ticked and unticked with notes, an activity, the project's details,
records of every kind created, edited and deleted (tombstones), comments, and three fields
changed on both sides to different values. :func:`dump` turns a project into plain data
to compare the two copies record by record and field by field once they have exchanged
their packages both ways.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from d4a_desktop.core import commands as c
from d4a_desktop.core import kinds
from d4a_desktop.core.records import Kind
from d4a_desktop.core.vocab import Condition, Status
from d4a_desktop.services.demo import write_demo
from d4a_desktop.services.projects import ProjectSession, open_project
from d4a_desktop.storage import snapshot
from tests.services.exchange.projects import sample

#: The three fields both laptops change, to different values: an item's note (text, so
#: the user may type a value of their own), a risk's likelihood and an activity's status.
NOTE_ITEM = "c2.a1.i2"
STATUS_ACTIVITY = "c3.a3"
NOTES = {"a": "Data owner agreed on Tuesday", "b": "Meeting with the data owner moved"}
STATUS = {"a": Status.IN_PROGRESS, "b": Status.DONE}
#: The value the user types for the note when deciding that conflict.
TYPED_NOTE = "Data owner agreed; follow-up on Thursday"

#: The field each laptop edits in an existing record of a kind (assessment versions are
#: never edited once saved, so they are only made and deleted).
EDITED = {"team": "notes", "responsibilities": "role", "decisions": "rationale",
          "datasets": "description", "risks": "mitigation", "milestones": "notes",
          "kpis": "notes", "measurements": "note", "comments": "text",
          "reviews": "reviewed_by", "assessments": "notes", "answers": "value"}


@dataclass
class Laptops:
    """The two copies, each with its own user folder (installation id, outbox, inbox)."""

    folder: Path
    monkeypatch: pytest.MonkeyPatch
    paths: dict[str, Path] = field(default_factory=dict)
    #: The demo risk whose likelihood both sides change, and the values they give it
    #: (each other than the demo's).
    risk: str = ""
    likelihood: dict[str, int] = field(default_factory=dict)
    #: A checklist item without an answer in the demo (no row in the file yet).
    untouched_item: str = ""
    #: What each side did, to check that it arrived on the other: (kind, id) of records
    #: created, edited (with the value) and deleted.
    created: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    edited: dict[str, list[tuple[str, str, str, Any]]] = field(default_factory=dict)
    deleted: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    items: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    def home(self, side: str) -> Path:
        return self.folder / f"laptop-{side}"

    @contextlib.contextmanager
    def on(self, side: str) -> Iterator[None]:
        """Work as laptop ``side``: its user folder (installation id, outbox, inbox)."""
        self.monkeypatch.setenv("D4A_HOME", str(self.home(side)))
        yield

    def open(self, side: str) -> ProjectSession:
        with self.on(side):
            return open_project(self.paths[side], author=AUTHORS[side])


AUTHORS = {"a": "Anna Jensen", "b": "Bo Lindqvist"}


def live(session: ProjectSession, kind: Kind) -> list[str]:
    return sorted(r.id for r in session.file.records(kind))


def make(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Laptops:
    """The demo on laptop A, with a few more records where the demo has fewer than four
    of a kind, copied to laptop B; nothing edited apart yet."""
    laptops = Laptops(folder, monkeypatch)
    a_path, b_path = folder / "a" / "demo.d4a", folder / "b" / "demo.d4a"
    a_path.parent.mkdir(parents=True)
    b_path.parent.mkdir(parents=True)
    with laptops.on("a"):
        session = write_demo(a_path, language="en")
        try:
            refs = {k.name: live(session, k) for k in kinds.KINDS}
            for kind in kinds.KINDS:
                for n in range(4 - len(refs[kind.name])):
                    session.execute(c.CreateRecord(kind.name, str(uuid.uuid4()),
                                                   values(kind, 90 + n, refs)))
            risk = max(session.file.records("risks"), key=lambda r: r.id)
            laptops.risk = risk.id
            base = int(risk.values.get("likelihood") or 3)
            laptops.likelihood = {"a": base % 5 + 1, "b": (base + 1) % 5 + 1}
            state = session.state()
            laptops.untouched_item = next(i.id for i in reversed(list(session.roadmap.items()))
                                          if state.item(i.id).modified_at is None)
        finally:
            session.close()
    shutil.copyfile(a_path, b_path)  # the USB stick
    laptops.paths = {"a": a_path, "b": b_path}
    return laptops


def values(kind: Kind, n: int, refs: dict[str, list[str]]) -> dict[str, Any]:
    """Valid values for a new record of ``kind``; references point at ``refs``."""
    found = {f.name: sample(f, n, refs) for f in kind.fields}
    if kind.name == "comments":
        found.update(about_kind="item", about=f"c1.a{1 + n % 3}.i1", resolved=False,
                     text=f"Comment {n}: check the counts with the traffic department")
    if kind.name == "responsibilities":
        found["role"] = "consulted"
    if kind.name == "answers":
        found["path"] = f"laptop-{n}"
    if kind.name == "assessment_versions":
        found["number"] = 100 + n
    return found


def edit_apart(laptops: Laptops, a: ProjectSession, b: ProjectSession) -> None:
    """Each laptop edits its copy; only the three fields of the conflicts overlap."""
    for side, session, slot in (("a", a, 0), ("b", b, 2)):
        _edit(laptops, side, session, slot)


def _edit(laptops: Laptops, side: str, session: ProjectSession, slot: int) -> None:
    run = session.execute
    created, edited, deleted = [], [], []
    # checklists: tick, untick, note, owner and due date — on items of each side's own
    state = session.state()
    items = [i.id for i in session.roadmap.items()]
    done = [i for i in items if state.item(i).done and i != NOTE_ITEM]
    open_ = [i for i in items if not state.item(i).done and i != NOTE_ITEM]
    mine = {"tick": open_[slot * 3: slot * 3 + 2], "untick": done[slot: slot + 1]}
    changes: dict[str, dict[str, Any]] = {}
    for item in mine["tick"]:
        changes[item] = {"done": True, "owner": AUTHORS[side]}
    for item in mine["untick"]:
        changes[item] = {"done": False, "note": f"Reopened on laptop {side.upper()}"}
    note_only = open_[slot * 3 + 2]
    assert laptops.untouched_item not in (*mine["tick"], note_only)
    changes[note_only] = {"note": f"Note from laptop {side.upper()}",
                          "due_date": dt.date(2027, 3, 1 + slot)}
    for item, values_ in changes.items():
        run(c.SetItemFields(item, values_))
    laptops.items[side] = changes
    # one item the demo never touched, and one decision: changed on both sides, but in
    # different fields, which is no conflict
    shared = laptops.untouched_item
    run(c.SetItemFields(shared, {"done": True} if side == "a" else {"owner": AUTHORS[side]}))
    decision = live(session, kinds.kind("decisions"))[4]
    run(c.SetRecordFields("decisions", decision,
                          {"rationale" if side == "a" else "choice": f"From laptop {side}"}))
    # the three conflicts
    run(c.SetItemFields(NOTE_ITEM, {"note": NOTES[side]}))
    run(c.SetRecordFields("risks", laptops.risk, {"likelihood": laptops.likelihood[side]}))
    run(c.SetActivityFields(STATUS_ACTIVITY, {"status": STATUS[side]}))
    # an activity, the project's details and an answer of the questions, apart
    if side == "a":
        run(c.SetProjectFields({"tandem_partner": "KielRegion (from laptop A)"}))
        run(c.SetActivityFields("c4.a1", {"planned_end": dt.date(2027, 6, 30)}))
    else:
        run(c.SetConditions({Condition.GEODATA: True}))
        run(c.SetActivityFields("c5.a1", {"status": Status.NOT_APPLICABLE,
                                          "na_reason": "Done by the region"}))
    # records of every kind: one made, one edited, one deleted (a tombstone) per side
    refs: dict[str, list[str]] = {}
    for kind in kinds.KINDS:
        base = [rid for rid in live(session, kind) if rid != laptops.risk]
        rid = str(uuid.uuid4())
        run(c.CreateRecord(kind.name, rid, values(kind, slot * 10, refs)))
        refs[kind.name] = [rid]
        created.append((kind.name, rid))
        name = EDITED.get(kind.name)
        if name is not None:
            target = base[slot]
            value = _new_value(kind, name, side)
            run(c.SetRecordFields(kind.name, target, {name: value}))
            edited.append((kind.name, target, name, value))
        run(c.DeleteRecord(kind.name, base[slot + 1]))
        deleted.append((kind.name, base[slot + 1]))
    # a comment on a record made here, then resolved
    comment = str(uuid.uuid4())
    run(c.CreateRecord("comments", comment, {"about_kind": "risks", "about": laptops.risk,
                                             "text": f"Likelihood checked on laptop {side}"}))
    run(c.SetRecordFields("comments", comment, {"resolved": True}))
    created.append(("comments", comment))
    laptops.created[side], laptops.edited[side] = created, edited
    laptops.deleted[side] = deleted


def _new_value(kind: Kind, name: str, side: str) -> Any:
    if name == "role":
        return "informed" if side == "a" else "consulted"
    if name == "value":
        return {"answer": f"changed on laptop {side}"}
    return f"{kind.name} {name} changed on laptop {side.upper()}"


def dump(session: ProjectSession) -> dict[str, Any]:
    """A project as comparable data: its details, every roadmap answer by content id, every
    record of every kind (tombstones included) by id with all its fields, and the ids of
    its change log. Left out: when and by whom a row was last written, which a merge
    sets from the change it takes (and a decision from the time it was made)."""
    snap = snapshot.take(session.file)
    return {
        "project": {k: v for k, v in snap["project"].items()
                    if k not in ("modified_at", "author")},
        "state": {kind: {e["key"]: e["values"] for e in entries}
                  for kind, entries in snap["state"].items()},
        "records": {kind: {e["id"]: {"deleted": e["deleted"], "created_at": e["created_at"],
                                     **e["values"]} for e in entries}
                    for kind, entries in snap["records"].items()},
        "changes": sorted(ch["id"] for ch in snap["changes"]),
    }


def differences(one: dict[str, Any], other: dict[str, Any]) -> list[str]:
    """Where two dumps differ, one line per field (empty when they are equal)."""
    found = []
    if one["project"] != other["project"]:
        found.append(f"project: {one['project']} != {other['project']}")
    for part in ("state", "records"):
        for kind in sorted(set(one[part]) | set(other[part])):
            mine, theirs = one[part].get(kind, {}), other[part].get(kind, {})
            for key in sorted(set(mine) | set(theirs)):
                if key not in mine or key not in theirs:
                    found.append(f"{part} {kind} {key}: only on one side")
                    continue
                for name in sorted(set(mine[key]) | set(theirs[key])):
                    if mine[key].get(name) != theirs[key].get(name):
                        found.append(f"{part} {kind} {key} {name}: "
                                     f"{mine[key].get(name)!r} != {theirs[key].get(name)!r}")
    if one["changes"] != other["changes"]:
        found.append("change logs differ: "
                     f"{len(set(one['changes']) - set(other['changes']))} only in the first, "
                     f"{len(set(other['changes']) - set(one['changes']))} only in the second")
    return found
