"""Checks of a package's JSON beyond its syntax: shape, schema and ids.

The schema check reports the first problem as where it is (a JSON path such as
``records/datasets/3/values/licence``) and a translated reason, so the user's message is
one line in their language. ``known`` keeps only what this program knows of a package
from a newer program whose manifest says that reading it so is safe.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import jsonschema

from d4a_desktop.i18n import _
from d4a_desktop.services.exchange import schema as schema_mod

if TYPE_CHECKING:
    from d4a_desktop.services.exchange.package import Limits


@functools.cache
def project_validator() -> Any:
    return jsonschema.Draft202012Validator(schema_mod.project_schema(),
                                           format_checker=jsonschema.FormatChecker(["date"]))


@functools.cache
def manifest_validator() -> Any:
    return jsonschema.Draft202012Validator(schema_mod.manifest_schema())


def _reason(error: Any) -> str:
    keyword = error.validator
    if keyword == "type":
        return _("wrong kind of value")
    if keyword in ("maxLength", "minLength"):
        return _("a text of the wrong length")
    if keyword == "pattern":
        return _("a text in the wrong form")
    if keyword == "format":
        return _("not a valid date")
    if keyword == "required":
        return _("a required entry is missing")
    if keyword == "additionalProperties":
        return _("an entry the format does not have")
    if keyword in ("minimum", "maximum"):
        return _("a number out of range")
    if keyword == "uniqueItems":
        return _("a value listed twice")
    if keyword in ("maxItems", "minItems"):
        return _("the wrong number of entries")
    return _("a value that is not allowed")


def first_problem(validator: Any, data: Any) -> tuple[str, str] | None:
    """Where the first schema violation is, and why (translated); None when valid."""
    for error in validator.iter_errors(data):
        where = "/".join(str(p) for p in error.absolute_path) or "/"
        return where, _reason(error)
    return None


# --- the schema check of project.json, fast ------------------------------------------------

_OBJECT = {"type", "properties", "required", "additionalProperties", "title", "description",
           "$comment", "$schema"}
_ARRAY = {"type", "items", "title", "description", "$comment"}


def _inline(node: Any, root: dict[str, Any]) -> Any:
    """The schema with every ``$ref`` replaced by what it names."""
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            target = _inline(root["$defs"][node["$ref"].removeprefix("#/$defs/")], root)
            return {**target, **{k: _inline(v, root) for k, v in node.items() if k != "$ref"}}
        return {k: _inline(v, root) for k, v in node.items() if k not in ("$defs", "$id")}
    if isinstance(node, list):
        return [_inline(v, root) for v in node]
    return node


def _key(value: Any) -> Any:
    if isinstance(value, dict | list):
        import json

        return "json", json.dumps(value, sort_keys=True)
    return type(value).__name__, value


class ColumnValidator:
    """jsonschema, applied column by column.

    A project holds thousands of records of one shape. Checking each record against the
    schema costs jsonschema tens of microseconds per value, seconds in all. The record
    schemas use only ``type``, ``properties``, ``required`` and ``additionalProperties``
    at object level, so the records of a kind can be checked as columns: the shape of each
    object here, and each *distinct* value of a field once, by jsonschema, against that
    field's schema. The result is the same as checking every record; the first problem is
    reported with its path.
    """

    def __init__(self, schema: dict[str, Any]):
        self.root = _inline(schema, schema)
        self._leaves: dict[int, Any] = {}
        self._format = jsonschema.FormatChecker(["date"])

    def first_problem(self, data: Any) -> tuple[str, str] | None:
        found = self._many(self.root, [data], [()])
        if found is None:
            return None
        path, reason = found
        return "/".join(str(p) for p in path) or "/", reason

    def _leaf(self, node: dict[str, Any]) -> Any:
        validator = self._leaves.get(id(node))
        if validator is None:
            validator = jsonschema.Draft202012Validator(node, format_checker=self._format)
            self._leaves[id(node)] = validator
        return validator

    def _many(self, node: dict[str, Any], values: list[Any],
              paths: list[tuple[Any, ...]]) -> tuple[tuple[Any, ...], str] | None:
        if node.get("type") == "object" and set(node) <= _OBJECT and "properties" in node:
            return self._objects(node, values, paths)
        if node.get("type") == "array" and set(node) <= _ARRAY and \
                isinstance(node.get("items"), dict):
            items: list[Any] = []
            where: list[tuple[Any, ...]] = []
            for value, path in zip(values, paths, strict=True):
                if type(value) is not list:
                    return path, _("wrong kind of value")
                items.extend(value)
                where.extend((*path, n) for n in range(len(value)))
            return self._many(node["items"], items, where) if items else None
        distinct: dict[Any, tuple[Any, tuple[Any, ...]]] = {}
        for value, path in zip(values, paths, strict=True):
            distinct.setdefault(_key(value), (value, path))
        validator = self._leaf(node)
        for value, path in distinct.values():
            for error in validator.iter_errors(value):
                return path + tuple(error.absolute_path), _reason(error)
        return None

    def _objects(self, node: dict[str, Any], values: list[Any],
                 paths: list[tuple[Any, ...]]) -> tuple[tuple[Any, ...], str] | None:
        props: dict[str, Any] = node["properties"]
        required = node.get("required", ())
        closed = node.get("additionalProperties") is False
        columns: dict[str, tuple[list[Any], list[tuple[Any, ...]]]] = {k: ([], []) for k in props}
        for value, path in zip(values, paths, strict=True):
            if type(value) is not dict:
                return path, _("wrong kind of value")
            for key in required:
                if key not in value:
                    return path, _("a required entry is missing")
            for key, item in value.items():
                column = columns.get(key)
                if column is None:
                    if closed:
                        return path, _("an entry the format does not have")
                    continue
                column[0].append(item)
                column[1].append((*path, key))
        for key, sub in props.items():
            found_values, found_paths = columns[key]
            if found_values:
                problem = self._many(sub, found_values, found_paths)
                if problem is not None:
                    return problem
        return None


@functools.cache
def project_checker() -> ColumnValidator:
    return ColumnValidator(schema_mod.project_schema())


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return _resolve(root["$defs"][ref.removeprefix("#/$defs/")], root)
    return node


def known(data: Any, schema: dict[str, Any], root: dict[str, Any] | None = None) -> Any:
    """``data`` without what ``schema`` does not know: entries of closed objects that it
    does not declare, and choices that are not in its lists."""
    root = root or schema
    node = _resolve(schema, root)
    if isinstance(data, dict) and "properties" in node:
        props = node["properties"]
        closed = node.get("additionalProperties") is False
        return {k: known(v, props[k], root) if k in props else v
                for k, v in data.items() if k in props or not closed}
    if isinstance(data, list) and isinstance(node.get("items"), dict):
        items = _resolve(node["items"], root)
        if "enum" in items:
            return [v for v in data if v in items["enum"]]
        return [known(v, items, root) for v in data]
    if "enum" in node and data not in node["enum"] and "" in node["enum"]:
        return ""
    return data


def walk(data: Any, limits: Limits, *, characters: bool = True) -> str | None:
    """Why ``data`` cannot be taken at all (too deep, a huge text, or with ``characters``
    a text with a character that cannot be stored), or None.

    Iterative, so a hostile nesting cannot exhaust the stack here either.
    """
    stack: list[tuple[Any, int]] = [(data, 0)]
    pop, push = stack.pop, stack.append
    longest, deepest = limits.text, limits.depth
    while stack:
        value, depth = pop()
        kind = type(value)
        if kind is str:
            if len(value) > longest:
                return _("project.json holds a text of more than {count} characters").format(
                    count=longest)
            if characters and not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    return _("project.json holds a text with a character that cannot be "
                             "stored")
            if characters and "\x00" in value:
                return _("project.json holds a text with a character that cannot be stored")
        elif kind is dict or kind is list:
            if depth >= deepest:
                return _("project.json is nested too deeply")
            if kind is dict:
                for key, child in value.items():
                    push((key, depth))
                    push((child, depth + 1))
            else:
                for child in value:
                    push((child, depth + 1))
    return None


def free_values(data: dict[str, Any]) -> list[Any]:
    """The values the schema does not look into: JSON fields and the change log's values
    (of a schema-valid snapshot)."""
    from d4a_desktop.core import kinds
    from d4a_desktop.core.records import FieldType

    found: list[Any] = []
    for kind in kinds.KINDS:
        names = [f.name for f in kind.fields if f.type is FieldType.JSON]
        if names:
            for entry in data["records"].get(kind.name, ()):
                found.extend(entry["values"].get(n) for n in names)
    for change in data["changes"]:
        found.extend((change["old"], change["new"]))
    return found


def count_records(data: dict[str, Any]) -> int:
    """Records of every kind and answers about the roadmap (what a package may hold)."""
    total = 0
    for section in ("records", "state"):
        group = data.get(section)
        if isinstance(group, dict):
            total += sum(len(v) for v in group.values() if isinstance(v, list))
    return total


def _ids(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for kind, entries in data["records"].items():
        for entry in entries:
            yield kind, entry["id"]


def check_ids(data: dict[str, Any]) -> str | None:
    """Why the ids of a schema-valid snapshot cannot be taken: a record id used twice (in
    one register or across two), an answer given twice, or a change listed twice."""
    import re

    exact = re.compile(schema_mod.UUID)
    seen: dict[str, str] = {}
    for kind, rid in _ids(data):
        if not exact.fullmatch(rid):
            return _("project.json has a record whose id is not in the right form")
        if rid in seen:
            if seen[rid] == kind:
                return _("project.json holds two records with the same id in {kind}").format(
                    kind=kind)
            return _("project.json holds records of {kind} and {other} with the same id"
                     ).format(kind=seen[rid], other=kind)
        seen[rid] = kind
    for kind, entries in data["state"].items():
        keys = [e["key"] for e in entries]
        if len(set(keys)) != len(keys):
            return _("project.json answers the same question twice ({kind})").format(kind=kind)
        ids = [e["id"] for e in entries]
        if len(set(ids)) != len(ids) or not all(exact.fullmatch(i) for i in ids):
            return _("project.json holds two answers with the same id ({kind})").format(
                kind=kind)
        clash = next((i for i in ids if i in seen), None)
        if clash is not None:
            return _("project.json holds records of {kind} and {other} with the same id"
                     ).format(kind=seen[clash], other=kind)
    changes = [c["id"] for c in data["changes"]]
    if len(set(changes)) != len(changes):
        return _("project.json lists the same change twice")
    if not exact.fullmatch(data["project"]["id"]):
        return _("project.json does not name a project")
    return None
