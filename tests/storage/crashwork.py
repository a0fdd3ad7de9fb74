"""Work for the crash tests: a child process that edits a project until it is killed.

    python -m tests.storage.crashwork FILE SEED COUNT [--backup] [--work DIR]
                                       [--package PACKAGE]

The child opens FILE through the services (upgrading it if it is older), applies COUNT
edits drawn from SEED, and prints a line after each step that has completed: ``opened``,
``ack N`` after edit N returned (so it is committed), ``closing``, ``closed``. The parent
kills it with SIGKILL at some moment and checks the file against the same edits replayed
without a crash (:func:`snapshot` after ``N`` or ``N + 1`` edits).

Edits cover every kind the program has: checklist items, activities (status, planned
dates), project details, conditions, records of every declared kind (create, edit,
delete, restore), and edits that grow the file (long notes, batches of new records).

Some steps are whole operations, as the program runs them (``Operation``): a spreadsheet
import of records (a CSV or .xlsx file written, read back, checked and applied as one
edit: ``services/spreadsheets``), the merge of a partner's package (``services/merging``,
PACKAGE) and a PDF export (``services/printing``, written into DIR/pdf). Before such a
step the child prints ``begin N KIND``; the edit an import or a merge makes (its ids are
new each time) is kept in DIR before it is applied, so that the parent replays the same.
"""

from __future__ import annotations

import datetime as dt
import pickle
import random
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from d4a_desktop.core import commands as c
from d4a_desktop.core import kinds
from d4a_desktop.core.records import FieldType, Kind
from d4a_desktop.core.vocab import Condition, Status
from d4a_desktop.services.roadmap import english_roadmap

ITEMS = [i.id for i in english_roadmap().items()][:60]
ACTIVITIES = [a.id for a in english_roadmap().activities()]


def _value(field: Any, rnd: random.Random, big: bool) -> Any:
    t = field.type
    if t is FieldType.TEXT:
        return f"{field.name} {rnd.randrange(10**6)}"
    if t in (FieldType.LONGTEXT, FieldType.URL):
        return ("Lorem ipsum dolor sit amet, æøå ÄÖÜ é ĳ – " * (400 if big else 3)).strip()
    if t is FieldType.DATE:
        return dt.date(2026, 1, 1) + dt.timedelta(days=rnd.randrange(700))
    if t is FieldType.INTEGER:
        return rnd.randint(field.minimum or 0, field.maximum or 9)
    if t is FieldType.NUMBER:
        return rnd.choice([rnd.randint(0, 5000), round(rnd.uniform(0, 100), 2)])
    if t is FieldType.JSON:
        return rnd.choice([True, "ja", 3, ("a", "b"), {"k": ("x", 1)}])
    if t is FieldType.YESNO:
        return rnd.choice([True, False])
    if t is FieldType.CHOICE:
        assert field.vocabulary is not None
        return rnd.choice(field.vocabulary.codes())
    if t is FieldType.CHOICES:
        assert field.vocabulary is not None
        return tuple(rnd.sample(field.vocabulary.codes(), 2))
    if t is FieldType.ACTIVITY:
        return rnd.choice(ACTIVITIES)
    if t is FieldType.ACTIVITIES:
        return tuple(rnd.sample(ACTIVITIES, 2))
    return str(uuid.UUID(int=rnd.getrandbits(128)))  # a reference


def _record_values(kind: Kind, rnd: random.Random, big: bool) -> dict[str, Any]:
    values = {f.name: _value(f, rnd, big) for f in kind.fields
              if f.required or rnd.random() < 0.6}
    if kind.name == "responsibilities":
        values["role"] = "consulted"  # never trips the one-accountable rule
    return values


@dataclass(frozen=True)
class Operation:
    """A step that is a whole operation of the program: "import", "merge" or "pdf"."""

    kind: str
    seed: int

    def step_file(self, work: Path, number: int) -> Path:
        """Where the child keeps the edit step ``number`` made, before applying it."""
        return work / f"step-{number}.pickle"


OPERATIONS = ("import", "merge", "pdf")


def edits(seed: int, count: int, operations: bool = False) -> list[Any]:
    """The same list of commands for the same seed, in the child and in the parent; with
    ``operations``, some steps are imports, merges and PDF exports."""
    rnd = random.Random(seed)
    made: list[tuple[str, str, bool]] = []  # kind, id, deleted
    result: list[Any] = []
    ops = random.Random(seed + 1)  # apart, so that the plain edits stay as they were
    while len(result) < count:
        if operations and ops.random() < 0.1:
            result.append(Operation(ops.choice(OPERATIONS), ops.randrange(10**6)))
            continue
        roll = rnd.random()
        if roll < 0.25:
            item = rnd.choice(ITEMS)
            field = rnd.choice(["done", "owner", "note", "due_date"])
            value: Any = {"done": rnd.choice([True, False]),
                          "owner": rnd.choice(["Els", "Jonas", "Åsa", ""]),
                          "note": "note " * rnd.randrange(1, 4000 if rnd.random() < 0.3 else 5),
                          "due_date": dt.date(2027, 1, 1) + dt.timedelta(days=rnd.randrange(90))
                          }[field]
            result.append(c.SetItemFields(item, {field: value}))
        elif roll < 0.35:
            act = rnd.choice(ACTIVITIES)
            if rnd.random() < 0.5:
                result.append(c.SetActivityFields(act, {"status": rnd.choice(list(Status))}))
            else:
                start = dt.date(2027, 1, 1) + dt.timedelta(days=rnd.randrange(200))
                result.append(c.SetActivityFields(act, {
                    "planned_start": start,
                    "planned_end": start + dt.timedelta(days=rnd.randrange(1, 60))}))
        elif roll < 0.40:
            result.append(c.SetProjectFields({"title": f"Project {rnd.randrange(1000)}"}))
        elif roll < 0.45:
            result.append(c.SetConditions(((rnd.choice(list(Condition)),
                                            rnd.choice([True, False, None])),)))
        elif roll < 0.65 or not made:
            kind = rnd.choice(kinds.KINDS)
            rid = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
            result.append(c.CreateRecord(kind.name, rid, _record_values(kind, rnd,
                                                                        rnd.random() < 0.2)))
            made.append((kind.name, rid, False))
        elif roll < 0.75:  # a growing batch, as an import makes
            kind = rnd.choice(kinds.KINDS)
            batch = []
            for _n in range(rnd.randrange(5, 25)):
                rid = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
                batch.append(c.CreateRecord(kind.name, rid, _record_values(kind, rnd, False)))
                made.append((kind.name, rid, False))
            result.append(c.Batch(tuple(batch), "import", kind.name))
        else:
            n = rnd.randrange(len(made))
            name, rid, deleted = made[n]
            kind = kinds.kind(name)
            live = [f for f in kind.fields if not f.required]
            if deleted:
                result.append(c.RestoreRecord(name, rid))
                made[n] = (name, rid, False)
            elif rnd.random() < 0.3:
                result.append(c.DeleteRecord(name, rid))
                made[n] = (name, rid, True)
            elif live and not kind.frozen:
                f = rnd.choice(live)
                if name == "responsibilities" and f.name == "role":
                    continue
                result.append(c.SetRecordFields(name, rid, {f.name: _value(f, rnd, False)}))
    return result


def snapshot(file: Any) -> dict[str, Any]:
    """Everything the edits can change, as plain comparable data."""
    state = file.state()
    meta = state.meta
    result: dict[str, Any] = {
        "title": meta.title,
        "conditions": {k.value: v for k, v in state.conditions.items()},
        "items": {k: (v.done, v.owner, v.due_date, v.note) for k, v in state.items.items()},
        "activities": {k: (v.status, v.na_reason, v.planned_start, v.planned_end)
                       for k, v in state.activities.items()},
    }
    for kind in kinds.KINDS:
        result[kind.name] = {r.id: (r.deleted, dict(r.values))
                             for r in file.records(kind, include_deleted=True)}
    return result


def operation_edit(op: Operation, work: Path, number: int) -> Any:
    """The edit an import or a merge made (None when it made none, or for a PDF)."""
    step = op.step_file(work, number)
    if op.kind == "pdf" or not step.exists():
        return None
    return pickle.loads(step.read_bytes())


def _import_file(session: Any, op: Operation, work: Path, number: int) -> Path:
    """A register exported as the program does, with rows changed and rows added: what a
    user edits in a spreadsheet and imports again. Some rows carry long texts (growth)."""
    from d4a_desktop.core.records import Record
    from d4a_desktop.services import spreadsheets

    rnd = random.Random(op.seed)
    kind = kinds.kind(rnd.choice(["risks", "milestones"]))
    records = [Record(kind.name, r.id, dict(r.values)) for r in session.records(kind.name)]
    for n, record in enumerate(records):
        if rnd.random() < 0.3:
            text = "notes" if kind.name == "milestones" else "mitigation"
            records[n] = Record(kind.name, record.id, {**record.values,
                                                       text: f"changed {rnd.randrange(999)}"})
    for _n in range(rnd.randrange(3, 40)):
        long = ("Lorem ipsum dolor sit amet, æøå ÄÖÜ é ĳ – " * rnd.choice([1, 1, 300])).strip()
        day = dt.date(2027, 1, 1) + dt.timedelta(days=rnd.randrange(400))
        rid = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
        values: dict[str, Any] = (
            {"name": f"Milestone {rnd.randrange(10**6)}", "date": day,
             "done": rnd.random() < 0.5, "notes": long} if kind.name == "milestones" else
            {"description": f"Risk {rnd.randrange(10**6)}", "likelihood": rnd.randint(1, 5),
             "impact": rnd.randint(1, 5), "owner": rnd.choice(["Els", "Åsa"]),
             "mitigation": long, "review_date": day})
        records.append(Record(kind.name, rid, values))
    path = work / f"import-{number}.{rnd.choice(['csv', 'xlsx'])}"
    spreadsheets.export(path, kind, records, spreadsheets.context(session))
    return path


def run_operation(session: Any, op: Operation, work: Path, number: int,
                  package: Path | None) -> None:
    from d4a_desktop.storage import atomic

    command: Any = None
    if op.kind == "import":
        from d4a_desktop.services import spreadsheets

        path = _import_file(session, op, work, number)
        table = spreadsheets.read_table(path)
        kind = kinds.kind(_kind_of(table))
        plan = spreadsheets.plan_import(kind, table, spreadsheets.context(session))
        if not plan.ok:
            raise SystemExit(f"import {number}: " + "; ".join(p.describe() for p in plan.problems))
        command = plan.command()
    elif op.kind == "merge":
        from d4a_desktop.services import merging

        assert package is not None, "a merge needs --package"
        plan, _package = merging.package_plan(session, package)
        if not plan.empty:
            command = merging.command(plan, merging.decide(plan, "theirs"))
    else:
        from d4a_desktop.services import printing
        from d4a_desktop.services.roadmap import roadmap

        rnd = random.Random(op.seed)
        roll = rnd.random()
        scopes = [c.id for c in roadmap().components] if roll < 0.3 else \
            [a.id for a in roadmap().activities()]
        request = printing.Request("report") if roll < 0.1 else \
            printing.Request("checklist", rnd.choice(scopes))
        pdf = printing.build(request, roadmap(), printing.snapshot(session))
        folder = work / "pdf"
        folder.mkdir(exist_ok=True)
        printing.write_pdf(folder / f"document-{number % 2}.pdf", pdf)  # new, or replaced
        return
    if command is not None:
        atomic.write_bytes(op.step_file(work, number), pickle.dumps(command))
        session.execute(command)


def _kind_of(table: list[list[Any]]) -> str:
    header = [str(h) for h in table[0]]
    return "milestones" if "name" in header else "risks"


def make_package(source: Path, folder: Path) -> Path:
    """A partner's package of the same project as ``source``, with edits of its own."""
    import shutil

    from d4a_desktop.services.exchange import export_package
    from d4a_desktop.services.projects import open_project

    copy = folder / f"partner-{source.stem}.d4a"
    shutil.copyfile(source, copy)
    session = open_project(copy, author="partner")
    try:
        for command in edits(4242, 25):
            session.execute(command)
        target = folder / f"partner-{source.stem}.d4ax"
        export_package(session, target, author="partner")
    finally:
        session.close()
    copy.unlink()
    return target


def main(argv: list[str]) -> int:
    from d4a_desktop.services.projects import open_project

    path, seed, count = Path(argv[0]), int(argv[1]), int(argv[2])
    backup = "--backup" in argv
    work = Path(argv[argv.index("--work") + 1]) if "--work" in argv else None
    package = Path(argv[argv.index("--package") + 1]) if "--package" in argv else None
    print("opening", flush=True)
    session = open_project(path, author="crash-test")
    print("opened", flush=True)
    for n, command in enumerate(edits(seed, count, operations=work is not None), 1):
        if isinstance(command, Operation):
            assert work is not None
            print(f"begin {n} {command.kind}", flush=True)
            run_operation(session, command, work, n, package)
        else:
            session.execute(command)
        print(f"ack {n}", flush=True)
    print("closing", flush=True)
    if backup:
        session.file.modified = True
    session.close()
    print("closed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
