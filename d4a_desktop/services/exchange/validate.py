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


def walk(data: Any, limits: Limits) -> str | None:
    """Why ``data`` cannot be taken at all (too deep, a huge or unstorable text), or None.

    Iterative, so a hostile nesting cannot exhaust the stack here either.
    """
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if len(value) > limits.text:
                return _("project.json holds a text of more than {count} characters").format(
                    count=limits.text)
            if not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    return _("project.json holds a text with a character that cannot be "
                             "stored")
            if "\x00" in value:
                return _("project.json holds a text with a character that cannot be stored")
            continue
        if isinstance(value, dict | list):
            if depth >= limits.depth:
                return _("project.json is nested too deeply")
            children = value.values() if isinstance(value, dict) else value
            if isinstance(value, dict):
                stack.extend((k, depth) for k in value)
            stack.extend((child, depth + 1) for child in children)
    return None


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
