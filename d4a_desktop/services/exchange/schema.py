"""The JSON Schemas of an exchange package's ``manifest.json`` and ``project.json``.

Both are generated from the declarations (``core/kinds.py`` for the records, the snapshot's
state tables for the answers about the roadmap), so a new kind or field is in the schema
without code here. The published copies in ``docs/`` (for other tools) are written with

    python -m d4a_desktop.services.exchange

and a test fails when they and the declarations disagree. The program validates against
the generated schema, so an installed wheel (which has no ``docs/``) validates the same.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from d4a_desktop.core import kinds as kinds_mod
from d4a_desktop.core.records import Field, FieldType, Text
from d4a_desktop.core.vocab import Status
from d4a_desktop.i18n import Contextual
from d4a_desktop.storage import snapshot

#: The package format this program writes, and the newest it reads in full.
FORMAT = 1
DRAFT = "https://json-schema.org/draft/2020-12/schema"
UUID = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
TIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
ACTIVITY = r"^c[0-9]+\.a[0-9]+$"
ITEM = r"^c[0-9]+\.a[0-9]+\.i[0-9]+$"
#: Kinds of change-log entries besides the record kinds.
STATE_KINDS = ("project", "activity", "item", "condition")
CHANGE_OPS = ("create", "set", "delete", "restore", "baseline")
LEAVE_OUT = ("notes", "owners", "comments", "personal")
MAX_NAME = 200     # an author's name, as the project file keeps it
MAX_TEXT = 20_000  # the longest text a field takes (``Field.max_length``)


def _english(text: Text) -> str:
    if isinstance(text, tuple):
        return text[1]
    if isinstance(text, Contextual):
        return text.message
    return text


def _nullable(kind: str) -> list[str]:
    return [kind, "null"]


def field_schema(f: Field) -> dict[str, Any]:
    """One declared field's value in ``project.json``."""
    t = f.type
    schema: dict[str, Any]
    if t is FieldType.TEXT:
        schema = {"type": "string", "maxLength": f.max_length, "pattern": r"^[^\r\n]*$"}
    elif t in (FieldType.LONGTEXT, FieldType.URL):
        schema = {"type": "string", "maxLength": f.max_length}
    elif t is FieldType.DATE:
        schema = {"type": _nullable("string"), "pattern": DATE, "format": "date"}
    elif t is FieldType.INTEGER:
        schema = {"type": _nullable("integer")}
        if f.minimum is not None:
            schema["minimum"] = f.minimum
        if f.maximum is not None:
            schema["maximum"] = f.maximum
    elif t is FieldType.NUMBER:
        schema = {"type": _nullable("number")}
        if f.minimum is not None:
            schema["minimum"] = f.minimum
        if f.maximum is not None:
            schema["maximum"] = f.maximum
    elif t is FieldType.JSON:
        schema = {"$comment": "any JSON value"}
    elif t is FieldType.YESNO:
        schema = {"type": _nullable("boolean")}
    elif t is FieldType.CHOICE:
        assert f.vocabulary is not None
        schema = {"enum": ["", *f.vocabulary.codes()]}
    elif t is FieldType.CHOICES:
        assert f.vocabulary is not None
        schema = {"type": "array", "items": {"enum": list(f.vocabulary.codes())},
                  "uniqueItems": True}
    elif t is FieldType.ACTIVITY:
        schema = {"type": "string", "pattern": f"^$|{ACTIVITY}"}
    elif t is FieldType.ACTIVITIES:
        schema = {"type": "array", "items": {"type": "string", "pattern": ACTIVITY},
                  "uniqueItems": True}
    elif t is FieldType.REFERENCE:
        schema = {"type": "string", "pattern": f"^$|{UUID}",
                  "$comment": f"the id of a record of {f.refers_to}"}
    else:  # pragma: no cover - every type is handled above
        raise AssertionError(t)
    described: dict[str, Any] = {"title": _english(f.label)}
    if f.help:
        described["description"] = _english(f.help)
    if f.personal:
        described["x-personal"] = True
    return {**described, **schema}


def _record(kind: kinds_mod.Kind) -> dict[str, Any]:
    return {
        "type": "object",
        "title": _english(kind.label),
        "required": ["id", "created_at", "modified_at", "author", "deleted", "values"],
        "additionalProperties": False,
        "properties": {
            "id": {"$ref": "#/$defs/uuid"},
            "created_at": {"$ref": "#/$defs/time"},
            "modified_at": {"$ref": "#/$defs/time"},
            "author": {"$ref": "#/$defs/name"},
            "deleted": {"type": "boolean", "description": "a tombstone: deleted, kept so "
                                                          "that a merge knows"},
            "values": {"type": "object", "additionalProperties": False,
                       "properties": {f.name: field_schema(f) for f in kind.fields}},
        },
    }


_STATE_VALUES: dict[str, dict[str, Any]] = {
    "text": {"type": "string", "maxLength": MAX_TEXT},
    "date": {"type": _nullable("string"), "pattern": DATE, "format": "date"},
    "bool": {"type": "boolean"},
    "bool?": {"type": _nullable("boolean")},
}


def _state(kind: str, key: dict[str, Any], columns: dict[str, str]) -> dict[str, Any]:
    values = {c: dict(_STATE_VALUES[t]) for c, t in columns.items()}
    if kind == "activity":
        values["status"] = {"enum": [s.value for s in Status]}
    if kind == "item":
        values["owner"] = {"type": "string", "maxLength": MAX_NAME}
    return {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["id", "key", "created_at", "modified_at", "author", "values"],
            "additionalProperties": False,
            "properties": {
                "id": {"$ref": "#/$defs/uuid"},
                "key": key,
                "created_at": {"$ref": "#/$defs/time"},
                "modified_at": {"$ref": "#/$defs/time"},
                "author": {"$ref": "#/$defs/name"},
                "values": {"type": "object", "additionalProperties": False,
                           "properties": values},
            },
        },
    }


_STATE_KEYS = {
    "activity": {"type": "string", "pattern": ACTIVITY, "description": "a roadmap activity id"},
    "item": {"type": "string", "pattern": ITEM, "description": "a checklist item id"},
    "condition": {"type": "string", "pattern": "^[a-z0-9-]{1,40}$",
                  "description": "a roadmap condition, such as personal-data"},
}


@functools.cache
def project_schema() -> dict[str, Any]:
    """The schema of ``project.json``: every record of every kind, tombstones included,
    the answers about the roadmap, and the change log."""
    kinds = {k.name: {"type": "array", "items": _record(k)} for k in kinds_mod.KINDS}
    state = {kind: _state(kind, _STATE_KEYS[kind], columns)
             for kind, (_table, _key, columns) in snapshot.STATE_TABLES.items()}
    project_props: dict[str, Any] = {"id": {"$ref": "#/$defs/uuid"}}
    for name in snapshot.PROJECT_FIELDS:
        project_props[name] = {"type": "string", "maxLength": 300}
    project_props["country"] = {"type": "string", "pattern": "^([A-Z]{2})?$"}
    project_props["language"] = {"type": "string", "pattern": "^([a-z]{2}(_[A-Z]{2})?)?$"}
    project_props["roadmap_version"] = {"type": "string", "maxLength": 40}
    project_props.update({"created_at": {"$ref": "#/$defs/time"},
                          "modified_at": {"$ref": "#/$defs/time"},
                          "author": {"$ref": "#/$defs/name"}})
    record_kinds = [k.name for k in kinds_mod.KINDS]
    return {
        "$schema": DRAFT,
        "$id": "urn:d4a-desktop:exchange:project.json",
        "title": "D4A Roadmap Desktop exchange package: project.json",
        "description": "A whole project: its details, its answers about the roadmap, "
                       "every record of every kind (with tombstones) and the change log. "
                       "See docs/exchange.md.",
        "type": "object",
        "required": ["format", "project", "state", "records", "changes"],
        "additionalProperties": False,
        "properties": {
            "format": {"const": FORMAT},
            "project": {"type": "object", "required": ["id"],
                        "additionalProperties": False, "properties": project_props},
            # Kinds and fields are only ever added: a package of an older program lacks
            # the newer ones, which then stay empty.
            "state": {"type": "object", "additionalProperties": False, "properties": state},
            "records": {"type": "object", "additionalProperties": False,
                        "properties": kinds},
            "changes": {"type": "array", "items": {"$ref": "#/$defs/change"}},
        },
        "$defs": {
            "uuid": {"type": "string", "pattern": UUID},
            "time": {"type": _nullable("string"), "pattern": TIME,
                     "description": "UTC, ISO 8601 with a space or T"},
            "name": {"type": "string", "maxLength": MAX_NAME},
            "change": {
                "type": "object",
                "required": ["id", "edit", "kind", "record_id", "key", "op", "field", "old",
                             "new", "at", "author", "installation"],
                "additionalProperties": False,
                "properties": {
                    "id": {"$ref": "#/$defs/uuid"},
                    "edit": {"$ref": "#/$defs/uuid",
                             "description": "changes committed together share it"},
                    "kind": {"enum": [*STATE_KINDS, *record_kinds]},
                    "record_id": {"$ref": "#/$defs/uuid"},
                    "key": {"type": "string", "maxLength": 80},
                    "op": {"enum": list(CHANGE_OPS)},
                    "field": {"type": "string", "maxLength": 80},
                    "old": {"$comment": "any JSON value"},
                    "new": {"$comment": "any JSON value"},
                    "at": {"type": "string", "pattern": TIME},
                    "author": {"$ref": "#/$defs/name"},
                    "installation": {"type": "string", "pattern": f"^$|{UUID}"},
                    "withheld": {"type": "boolean",
                                 "description": "old and new were left out of the package"},
                },
            },
        },
    }


@functools.cache
def manifest_schema() -> dict[str, Any]:
    """The schema of ``manifest.json``."""
    return {
        "$schema": DRAFT,
        "$id": "urn:d4a-desktop:exchange:manifest.json",
        "title": "D4A Roadmap Desktop exchange package: manifest.json",
        "description": "What the package holds and who made it. See docs/exchange.md.",
        "type": "object",
        "required": ["format", "min_reader_format", "project_id", "program", "project_schema",
                     "roadmap_version", "author", "installation", "exported_at", "left_out",
                     "members"],
        "additionalProperties": False,
        "properties": {
            "format": {"type": "integer", "minimum": 1,
                       "description": "the package format version the writer used"},
            "min_reader_format": {
                "type": "integer", "minimum": 1,
                "description": "a reader that knows at least this format may read the "
                               "package, ignoring what it does not know"},
            "project_id": {"type": "string", "pattern": UUID},
            "program": {"type": "object", "required": ["name", "version"],
                        "additionalProperties": False,
                        "properties": {"name": {"type": "string", "maxLength": 100},
                                       "version": {"type": "string", "maxLength": 40}}},
            "project_schema": {"type": "integer", "minimum": 1,
                               "description": "the project file schema of the writer"},
            "roadmap_version": {"type": "string", "maxLength": 40},
            "author": {"type": "string", "maxLength": MAX_NAME},
            "installation": {"type": "string", "pattern": f"^$|{UUID}"},
            "exported_at": {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T"
                                                         r"[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"},
            "left_out": {"type": "array", "items": {"enum": list(LEAVE_OUT)},
                         "uniqueItems": True},
            "members": {
                "type": "array", "minItems": 1, "maxItems": 1000,
                "items": {"type": "object", "required": ["name", "size", "sha256"],
                          "additionalProperties": False,
                          "properties": {
                              "name": {"type": "string", "minLength": 1, "maxLength": 255},
                              "size": {"type": "integer", "minimum": 0},
                              "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}},
            },
        },
    }


def published(name: str) -> str:
    """A schema as the file in ``docs/`` holds it."""
    schema = project_schema() if name == "project" else manifest_schema()
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


DOCS = {"project": "exchange-schema.json", "manifest": "exchange-manifest-schema.json"}
