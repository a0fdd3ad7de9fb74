"""A whole project as plain JSON data, and a project file made from one.

The snapshot is what an exchange package carries as ``project.json`` (its schema is
``docs/exchange-schema.json``): the project's details, its answers about the roadmap, every
record of every kind with its tombstones, and the change log. Values are JSON: dates as
ISO text, lists as arrays, yes/no as booleans. Ids are kept, so a snapshot read into a new
file is the same project (same project id, same record ids, same history).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from d4a_desktop.core import kinds as kinds_mod
from d4a_desktop.core.project import ProjectMeta
from d4a_desktop.core.records import FieldType
from d4a_desktop.storage import codec
from d4a_desktop.storage.projectfile import ProjectFile, json_or_none

FORMAT = 1

#: The answers about the roadmap: table, key column, value columns (with their JSON types).
STATE_TABLES: dict[str, tuple[str, str, dict[str, str]]] = {
    "activity": ("activity_state", "activity_id",
                 {"status": "text", "na_reason": "text", "planned_start": "date",
                  "planned_end": "date"}),
    "item": ("item_state", "item_id",
             {"done": "bool", "owner": "text", "due_date": "date", "note": "text"}),
    "condition": ("project_condition", "condition", {"applies": "bool?"}),
}
PROJECT_FIELDS = ("title", "municipality", "country", "domain", "language", "tandem_partner",
                  "roadmap_version")
_BASE = ("id", "created_at", "modified_at", "author")


def _time(value: Any) -> str | None:
    return None if value is None else str(value)


def _json_value(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "bool":
        return bool(value)
    if kind == "bool?":
        return None if value is None else bool(value)
    return value


def take(file: ProjectFile, *, leave_out: Iterable[str] = ()) -> dict[str, Any]:
    """Everything in the project as JSON-ready data. ``leave_out`` drops, for sharing:
    ``notes`` (notes and reasons), ``owners`` (owners of items and records), ``comments``
    and ``personal`` (names and contacts of people)."""
    skip = set(leave_out)
    rows = file._rows
    meta = file.get_meta()
    project = {"id": meta.id, **{f: getattr(meta, f) for f in PROJECT_FIELDS},
               "created_at": _time(codec.encode_time(meta.created_at) if meta.created_at
                                   else None),
               "modified_at": _time(codec.encode_time(meta.modified_at) if meta.modified_at
                                    else None),
               "author": "" if "personal" in skip else meta.author}
    state: dict[str, list[dict[str, Any]]] = {}
    for kind, (table, key, columns) in STATE_TABLES.items():
        entries = []
        names = [*_BASE, key, *columns]
        for row in rows(f"SELECT {', '.join(names)} FROM {table} ORDER BY {key}"):
            data = dict(zip(names, row, strict=True))
            entry = {"id": data["id"], "key": data[key],
                     "created_at": _time(data["created_at"]),
                     "modified_at": _time(data["modified_at"]),
                     "author": "" if "personal" in skip else data["author"],
                     "values": {c: _json_value(t, data[c]) for c, t in columns.items()}}
            if "notes" in skip:
                entry["values"].pop("note", None)
                entry["values"].pop("na_reason", None)
            if "owners" in skip or "personal" in skip:
                entry["values"].pop("owner", None)
            entries.append(entry)
        state[kind] = entries
    records: dict[str, list[dict[str, Any]]] = {}
    for k in kinds_mod.KINDS:
        if k.name == "comments" and "comments" in skip:
            continue
        dropped = {f.name for f in k.fields
                   if ("personal" in skip and f.personal)
                   or ("owners" in skip and f.name in ("owner", "owner_person"))
                   or ("notes" in skip and f.name in ("notes", "note"))}
        found = []
        for record in file.records(k, include_deleted=True):
            values = {f.name: _encode(f.type, record.values.get(f.name)) for f in k.fields
                      if f.name not in dropped}
            found.append({"id": record.id,
                          "created_at": _time(record.created_at and
                                              codec.encode_time(record.created_at)),
                          "modified_at": _time(record.modified_at and
                                               codec.encode_time(record.modified_at)),
                          "author": "" if "personal" in skip else record.author,
                          "deleted": record.deleted, "values": values})
        records[k.name] = found
    changes = []
    for row in rows("SELECT id, edit, kind, record_id, key, op, field, old, new, at, author, "
                    "installation FROM change_log ORDER BY rowid"):
        (cid, edit, kind_name, record_id, key, op, field, old, new, at, author,
         installation) = row
        if kind_name == "comments" and "comments" in skip:
            continue
        entry = {"id": cid, "edit": edit, "kind": kind_name, "record_id": record_id,
                 "key": key, "op": op, "field": field, "old": json_or_none(old),
                 "new": json_or_none(new),
                 "at": str(at), "author": "" if "personal" in skip else author,
                 "installation": installation}
        if _private(kind_name, field, skip):
            entry["old"] = entry["new"] = None
            entry["withheld"] = True
        changes.append(entry)
    return {"format": FORMAT, "project": project, "state": state, "records": records,
            "changes": changes}


def _private(kind: str, field: str, skip: set[str]) -> bool:
    """Whether a change's values are left out of a package that leaves things out."""
    if not skip or not field:
        return bool(skip) and kind in ("team",) and "personal" in skip
    if "notes" in skip and field in ("note", "notes", "na_reason"):
        return True
    if ("owners" in skip or "personal" in skip) and field in ("owner", "owner_person"):
        return True
    if "personal" in skip:
        try:
            k = kinds_mod.kind(kind)
        except KeyError:
            return False
        return k.has(field) and k.field(field).personal
    return False


def _encode(t: FieldType, value: Any) -> Any:
    """A record's field value as JSON data."""
    if value is None:
        return None
    return json.loads(codec.to_json(value))


# --- a new file from a snapshot ----------------------------------------------------------------

def _column(t: FieldType, value: Any) -> Any:
    if t.is_list:
        return json.dumps(list(value or ()), ensure_ascii=False)
    if t is FieldType.YESNO:
        return None if value is None else int(bool(value))
    if t is FieldType.JSON:
        return None if value is None else json.dumps(value, ensure_ascii=False)
    if t in (FieldType.DATE, FieldType.INTEGER, FieldType.NUMBER):
        return value
    return value if value is not None else ""


def create_from(path: Path, snapshot: Mapping[str, Any], *, author: str = "",
                installation: str = "") -> ProjectFile:
    """A new project file holding exactly what the (already validated) snapshot holds."""
    project = snapshot["project"]
    texts: dict[str, str] = {f: str(project.get(f) or "") for f in PROJECT_FIELDS}
    meta = ProjectMeta(id=project["id"], **texts)  # type: ignore[arg-type]
    file = ProjectFile.create(path, meta, author=author, installation=installation)
    conn: sqlite3.Connection = file._conn
    with file.transaction():
        conn.execute("UPDATE project SET created_at = ?, modified_at = ?, author = ? "
                     "WHERE id = ?", (project.get("created_at") or _now(),
                                      project.get("modified_at") or _now(),
                                      project.get("author") or "", meta.id))
        for kind, (table, key, columns) in STATE_TABLES.items():
            for entry in snapshot["state"].get(kind, ()):
                values = entry["values"]
                names = [*_BASE, "project_id", key, *columns]
                data = [entry["id"], entry.get("created_at") or _now(),
                        entry.get("modified_at") or _now(), entry.get("author") or "",
                        meta.id, entry["key"]]
                data += [_state_column(t, values.get(c)) for c, t in columns.items()]
                conn.execute(f"INSERT INTO {table} ({', '.join(names)}) VALUES "
                             f"({', '.join('?' * len(names))})", data)
        for k in kinds_mod.KINDS:
            for entry in snapshot["records"].get(k.name, ()):
                values = entry["values"]
                names = [*_BASE, "deleted", *(f.name for f in k.fields)]
                data = [entry["id"], entry.get("created_at") or _now(),
                        entry.get("modified_at") or _now(), entry.get("author") or "",
                        int(bool(entry.get("deleted")))]
                data += [_column(f.type, values.get(f.name, _empty_json(f.type)))
                         for f in k.fields]
                conn.execute(f"INSERT INTO {k.table} ({', '.join(names)}) VALUES "
                             f"({', '.join('?' * len(names))})", data)
        conn.execute("DELETE FROM change_log")
        insert_changes(conn, snapshot.get("changes", ()))
    file.modified = False
    return file


def insert_changes(conn: sqlite3.Connection, changes: Iterable[Mapping[str, Any]]) -> int:
    """Add change-log entries that this file does not have yet (by change id)."""
    count = 0
    for c in changes:
        cursor = conn.execute(
            "INSERT OR IGNORE INTO change_log (id, edit, kind, record_id, key, op, field, old, "
            "new, at, author, installation) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (c["id"], c["edit"], c["kind"], c["record_id"], c.get("key", ""), c["op"],
             c.get("field", ""), json.dumps(c.get("old"), ensure_ascii=False),
             json.dumps(c.get("new"), ensure_ascii=False), c["at"], c.get("author", ""),
             c.get("installation", "")))
        count += cursor.rowcount
    return count


def complete_changes(conn: sqlite3.Connection, changes: Iterable[Mapping[str, Any]]
                     ) -> list[tuple[str, str, str]]:
    """Store the values of log entries that came withheld; returns (id, old, new) of each
    as it was, for the undo."""
    before = []
    for c in changes:
        row = conn.execute("SELECT old, new FROM change_log WHERE id = ?", (c["id"],)).fetchone()
        if row is None:
            continue
        before.append((c["id"], row[0], row[1]))
        conn.execute("UPDATE change_log SET old = ?, new = ? WHERE id = ?",
                     (json.dumps(c.get("old"), ensure_ascii=False),
                      json.dumps(c.get("new"), ensure_ascii=False), c["id"]))
    return before


def _state_column(t: str, value: Any) -> Any:
    if t == "bool":
        return int(bool(value))
    if t == "bool?":
        return None if value is None else int(bool(value))
    if t == "text":
        return value or ""
    return value


def _empty_json(t: FieldType) -> Any:
    if t.is_list:
        return []
    if t.is_text or t in (FieldType.CHOICE, FieldType.ACTIVITY, FieldType.REFERENCE):
        return ""
    return None


def _now() -> str:
    return codec.encode_time(codec.utcnow())


def new_id() -> str:
    return str(uuid.uuid4())


# --- writing a merge ---------------------------------------------------------------------------

def _table(kind: str) -> tuple[str, str | None]:
    """The table of a kind and its content-key column (None for records)."""
    if kind == "project":
        return "project", None
    if kind in STATE_TABLES:
        table, key, _columns = STATE_TABLES[kind]
        return table, key
    return kinds_mod.kind(kind).table, None


def _to_column(kind: str, field: str, value: Any) -> Any:
    if kind == "project":
        return value if value is not None else ""
    if kind in STATE_TABLES:
        return _state_column(STATE_TABLES[kind][2][field], value)
    return _column(kinds_mod.kind(kind).field(field).type, value)


def _read_field(file: ProjectFile, kind: str, record_id: str, field: str) -> Any:
    table, _key = _table(kind)
    column = "deleted" if field == "_deleted" else field
    row = file._rows(f"SELECT {column}, modified_at, author FROM {table} WHERE id = ?",
                     (record_id,))
    return row[0] if row else None


def apply_merge(file: ProjectFile, plan: Any, decisions: Mapping[tuple[str, str, str], Any]
                ) -> dict[str, Any]:
    """Write a merge (``core.merge.Plan``) and the user's decisions in one transaction;
    returns what :func:`undo_merge` needs to take it back exactly."""
    from d4a_desktop.core.merge import DELETED, STATE_KINDS

    conn = file._conn
    undo: dict[str, Any] = {"fields": [], "created": [], "changes": []}
    with file.transaction():
        project_id = file.project_id
        for kind, entry in plan.creates:
            if kind in STATE_KINDS:
                table, key, columns = STATE_TABLES[kind]
                names = [*_BASE, "project_id", key, *columns]
                data = [entry["id"], entry.get("created_at") or _now(),
                        entry.get("modified_at") or _now(), entry.get("author") or "",
                        project_id, entry["key"]]
                data += [_state_column(t, entry["values"].get(c)) for c, t in columns.items()]
            else:
                k = kinds_mod.kind(kind)
                table = k.table
                names = [*_BASE, "deleted", *(f.name for f in k.fields)]
                data = [entry["id"], entry.get("created_at") or _now(),
                        entry.get("modified_at") or _now(), entry.get("author") or "",
                        int(bool(entry.get("deleted")))]
                data += [_column(f.type, entry["values"].get(f.name, _empty_json(f.type)))
                         for f in k.fields]
            conn.execute(f"INSERT OR IGNORE INTO {table} ({', '.join(names)}) VALUES "
                         f"({', '.join('?' * len(names))})", data)
            undo["created"].append((kind, entry["id"]))
        now = codec.encode_time(file._now)
        writes = [(t.kind, t.record_id, t.field, t.value, None, t.at or now,
                   t.author) for t in plan.takes]
        for conflict in plan.conflicts:
            if conflict.ident in decisions:
                chosen = decisions[conflict.ident]
                if chosen != conflict.mine.value:
                    writes.append((conflict.kind, conflict.record_id, conflict.field, chosen,
                                   conflict, now, file.author))
        for kind, rid, field, value, conflict, stamp, who in writes:
            table, _key = _table(kind)
            before = _read_field(file, kind, rid, field)
            if before is None:
                continue
            undo["fields"].append((kind, rid, field, before[0], before[1], before[2]))
            column = "deleted" if field == DELETED else field
            stored = int(bool(value)) if field == DELETED else _to_column(kind, field, value)
            conn.execute(f"UPDATE {table} SET {column} = ?, modified_at = ?, author = ? "
                         f"WHERE id = ?", (stored, stamp, who, rid))
            if conflict is not None and value != conflict.theirs.value:
                # the user's own value: a change of this copy, logged like any edit
                op = ("delete" if value else "restore") if field == DELETED else "set"
                file._log(kind, rid, conflict.key, op, "" if field == DELETED else field,
                          None if field == DELETED else conflict.mine.value,
                          None if field == DELETED else value)
        known = {r[0] for r in file._rows("SELECT id FROM change_log")}
        fresh = [c for c in plan.changes if c["id"] not in known]
        insert_changes(conn, fresh)
        undo["changes"] = [c["id"] for c in fresh]
        undo["completed"] = complete_changes(conn, getattr(plan, "completed", ()))
        undo["edit"] = file._edit
    return undo


def undo_merge(file: ProjectFile, undo: Mapping[str, Any]) -> None:
    """Take a merge back: the fields as they were, its new records and log entries gone."""
    conn = file._conn
    with file.transaction():
        for kind, rid, field, old, modified, author in reversed(undo["fields"]):
            table, _key = _table(kind)
            column = "deleted" if field == "_deleted" else field
            conn.execute(f"UPDATE {table} SET {column} = ?, modified_at = ?, author = ? "
                         f"WHERE id = ?", (old, modified, author, rid))
        for kind, rid in undo["created"]:
            table, _key = _table(kind)
            conn.execute(f"DELETE FROM {table} WHERE id = ?", (rid,))
        for cid in undo["changes"]:
            conn.execute("DELETE FROM change_log WHERE id = ?", (cid,))
        for cid, old, new in undo.get("completed", ()):
            conn.execute("UPDATE change_log SET old = ?, new = ? WHERE id = ?", (old, new, cid))
        conn.execute("DELETE FROM change_log WHERE edit = ?", (undo["edit"],))
