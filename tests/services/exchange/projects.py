"""Projects and packages for the exchange tests: a project with records of every kind
(tombstones, comments, people's names), and hand-made packages of any shape."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import uuid
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from d4a_desktop.core import kinds
from d4a_desktop.core.records import Field, FieldType
from d4a_desktop.core.vocab import Condition, Status
from d4a_desktop.services.exchange import package as pkg
from d4a_desktop.services.projects import NewProject, ProjectSession, create_project
from d4a_desktop.services.roadmap import english_roadmap

#: Texts that must never travel in a package that leaves out people's names.
SECRET_NAMES = ("Anneke Secretname", "anneke.secret@example.org")
ACTIVITIES = [a.id for a in english_roadmap().activities()]
ITEMS = [i.id for i in english_roadmap().items()]


def sample(f: Field, n: int, refs: Mapping[str, list[str]]) -> Any:
    """A valid value for ``f``; the n-th of a varied series."""
    t = f.type
    if f.personal:
        return SECRET_NAMES[n % 2] if t.is_text else None
    if t is FieldType.TEXT:
        return f"{f.name} {n} — Kortrijk “fietstelling” ø"
    if t in (FieldType.LONGTEXT, FieldType.URL):
        return f"https://data.example.org/{f.name}/{n}" if t is FieldType.URL else \
            f"Line one of {f.name} {n}\nline two"
    if t is FieldType.DATE:
        return dt.date(2026, 1 + n % 12, 1 + n % 28)
    if t is FieldType.INTEGER:
        low, high = f.minimum or 0, f.maximum or 1000
        return low + n % (high - low + 1)
    if t is FieldType.NUMBER:
        return [12.5, 3, -0.25, 1e6][n % 4]
    if t is FieldType.JSON:
        return {"answer": ["a", n, True, None], "nested": {"x": 1.5}}
    if t is FieldType.YESNO:
        return [True, False, None][n % 3]
    if t is FieldType.CHOICE:
        assert f.vocabulary is not None
        codes = f.vocabulary.codes()
        return codes[n % len(codes)]
    if t is FieldType.CHOICES:
        assert f.vocabulary is not None
        codes = f.vocabulary.codes()
        return tuple(codes[: 1 + n % min(3, len(codes))])
    if t is FieldType.ACTIVITY:
        return ACTIVITIES[n % len(ACTIVITIES)]
    if t is FieldType.ACTIVITIES:
        return tuple(ACTIVITIES[n % 5: n % 5 + 2])
    if t is FieldType.REFERENCE:
        options = refs.get(f.refers_to or "", [])
        return options[n % len(options)] if options else ""
    raise AssertionError(t)


def fill(session: ProjectSession, per_kind: int = 3) -> dict[str, list[str]]:
    """Records of every kind (one of each deleted, one edited), item and activity answers,
    conditions; returns the record ids by kind."""
    file = session.file
    file.update_conditions({Condition.PERSONAL_DATA: True, Condition.GEODATA: False})
    for n, item in enumerate(ITEMS[:12]):
        file.update_item(item, {"done": n % 2 == 0, "owner": SECRET_NAMES[0],
                                "note": f"note {n}", "due_date": dt.date(2026, 5, 1 + n)})
    file.update_activity(ACTIVITIES[0], {"status": Status.DONE})
    file.update_activity(ACTIVITIES[1], {"status": Status.NOT_APPLICABLE,
                                         "na_reason": "Not for us"})
    ids: dict[str, list[str]] = {}
    for kind in kinds.KINDS:
        created = []
        for n in range(per_kind):
            rid = str(uuid.uuid4())
            values = {f.name: sample(f, n, ids) for f in kind.fields}
            file.create_record(kind, rid, values)
            created.append(rid)
        text = next((f for f in kind.fields if f.type is FieldType.LONGTEXT), None)
        if text is not None:
            file.update_record(kind, created[0], {text.name: "Edited afterwards"})
        file.set_deleted(kind, created[-1], True)
        ids[kind.name] = created
    return ids


def rich_project(path: Path) -> ProjectSession:
    session = create_project(path, NewProject(
        title="Cycling counts", municipality="Kortrijk", country="BE", domain="Mobility",
        tandem_partner="KielRegion"), author=SECRET_NAMES[0])
    fill(session)
    return session


def make_package(members: Mapping[str, bytes], *, manifest: Mapping[str, Any] | None = None,
                 extra: Mapping[str, Any] | None = None, sealed: bool = True,
                 compress: int = zipfile.ZIP_DEFLATED, infos: list[zipfile.ZipInfo] | None = None,
                 ) -> bytes:
    """A package with these members, a manifest that lists them (or the one given), and a
    valid seal: a hostile package passes every check it does not aim at."""
    if manifest is None:
        manifest = {
            "format": 1, "min_reader_format": 1,
            "project_id": project_id(members), "program": {"name": "test", "version": "1"},
            "project_schema": 3, "roadmap_version": "2026.1", "author": "",
            "installation": "", "exported_at": "2026-01-01T00:00:00Z", "left_out": [],
            "members": [{"name": n, "size": len(d), "sha256": hashlib.sha256(d).hexdigest()}
                        for n, d in members.items()]}
    manifest = {**manifest, **(extra or {})}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compress) as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        for name, data in members.items():
            archive.writestr(name, data)
        for info in infos or ():
            archive.writestr(info, b"x")
        archive.comment = b"\0" * (len(pkg.SEAL) + 64)
    data = buffer.getvalue()
    return pkg.seal(data) if sealed else data


def project_id(members: Mapping[str, bytes]) -> str:
    """The project id in project.json (found without parsing a hostile document)."""
    found = re.search(rb'"project": ?\{"id": ?"([0-9a-f-]{36})"', members.get("project.json", b""))
    return found.group(1).decode() if found else "3f1c2a4e-8a55-4a62-9c3e-6d0b5c2f7a10"


def minimal_snapshot() -> dict[str, Any]:
    """The smallest valid project.json."""
    return {
        "format": 1,
        "project": {"id": "3f1c2a4e-8a55-4a62-9c3e-6d0b5c2f7a10", "title": "T",
                    "municipality": "M", "country": "BE", "domain": "", "language": "en",
                    "tandem_partner": "", "roadmap_version": "2026.1",
                    "created_at": "2026-01-01 00:00:00.000000",
                    "modified_at": "2026-01-01 00:00:00.000000", "author": ""},
        "state": {"activity": [], "item": [], "condition": []},
        "records": {k.name: [] for k in kinds.KINDS},
        "changes": [],
    }


def record(rid: str | None = None, **values: Any) -> dict[str, Any]:
    return {"id": rid or str(uuid.uuid4()), "created_at": "2026-01-01 00:00:00.000000",
            "modified_at": "2026-01-01 00:00:00.000000", "author": "", "deleted": False,
            "values": values}
