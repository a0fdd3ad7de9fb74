"""Reading the roadmap's YAML sources: every problem with its file, line and field path.

Kept apart from ``core/content.py`` (the roadmap's data classes) so that PyYAML and this
reader load only when the sources are parsed, not on a start that reads the cached roadmap.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from d4a_desktop.core.content import (
    FIELD_TYPES,
    NOTE_MAX_LENGTH,
    TOOL_KINDS,
    Activity,
    Case,
    ChecklistItem,
    Component,
    ContentError,
    CountryNote,
    Field,
    Level,
    Option,
    Roadmap,
    Role,
    Scale,
    Section,
    Standard,
    Tool,
)
from d4a_desktop.core.vocab import PARTNER_COUNTRIES, Condition, Dimension, Origin, Stage

try:  # libyaml is in the PyYAML wheels; the pure-Python loader is the fallback
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


# --- reading YAML nodes with their positions ---------------------------------------------

_ID_PATTERNS = {
    "component": re.compile(r"^c[1-9]\d*$"),
    "activity": re.compile(r"^c[1-9]\d*\.a[1-9]\d*$"),
    "item": re.compile(r"^c[1-9]\d*\.a[1-9]\d*\.i[1-9]\d*$"),
    "slug": re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$"),
}


@dataclass
class _Context:
    """What all readers of one roadmap share: problems, where each id stands, references."""

    problems: list[str] = field(default_factory=list)
    #: "role:lead", "c1.a1" … → "c1.yaml:12", for duplicates and for messages.
    positions: dict[str, str] = field(default_factory=dict)
    #: (namespace, referenced id, "file:line") checked once everything is read.
    refs: list[tuple[str, str, str]] = field(default_factory=list)


class _Reader:
    """Walks composed YAML nodes, turning them into values and noting problems."""

    def __init__(self, path: Path, ctx: _Context):
        self.path = path
        self.ctx = ctx
        self.problems = ctx.problems

    def loc(self, node: yaml.Node | None) -> str:
        return f"{self.path.name}:{node.start_mark.line + 1}" if node is not None \
            else self.path.name

    def problem(self, node: yaml.Node | None, where: str, message: str) -> None:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        self.problems.append(f"{self.path.name}{line}: {where}: {message}")

    def compose(self) -> yaml.Node | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.problems.append(f"{self.path.name}: {exc}")
            return None
        try:
            root = yaml.compose(text, Loader=_Loader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f":{mark.line + 1}" if mark is not None else ""
            reason = getattr(exc, "problem", None) or str(exc)
            self.problems.append(f"{self.path.name}{line}: {reason}")
            return None
        if root is None:
            self.problems.append(f"{self.path.name}: the file is empty")
        return root

    def mapping(self, node: yaml.Node | None, where: str, required: set[str],
                optional: set[str]) -> dict[str, yaml.Node] | None:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, where, "expected a mapping")
            return None
        result: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is None or key not in required | optional:
                self.problem(key_node, where, f"unknown key {key!r}")
                continue
            if key in result:
                self.problem(key_node, where, f"duplicate key {key!r}")
            result[key] = value_node
        for key in sorted(required - result.keys()):
            self.problem(node, where, f"missing required key {key!r}")
        return result

    def text(self, fields: dict[str, yaml.Node], key: str, where: str,
             default: str | None = None) -> str:
        node = fields.get(key)
        if node is None:
            return default or ""
        if not isinstance(node, yaml.ScalarNode) or node.tag.endswith((":null", ":bool")):
            self.problem(node, f"{where}.{key}", "expected text")
            return ""
        value = str(node.value).strip()
        if not value:
            self.problem(node, f"{where}.{key}", "must not be empty")
        return value

    def nodes(self, fields: dict[str, yaml.Node], key: str, where: str) -> list[yaml.Node]:
        """The entries of an optional list of mappings."""
        node = fields.get(key)
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{where}.{key}", "expected a list")
            return []
        return list(node.value)

    def flag(self, fields: dict[str, yaml.Node], key: str, where: str) -> bool:
        node = fields.get(key)
        if node is None:
            return False
        if not isinstance(node, yaml.ScalarNode) or node.value not in ("true", "false"):
            self.problem(node, f"{where}.{key}", "expected true or false")
            return False
        return node.value == "true"

    def text_list(self, fields: dict[str, yaml.Node], key: str, where: str,
                  minimum: int = 0) -> tuple[str, ...]:
        node = fields.get(key)
        if node is None:
            if minimum:
                self.problem(None, f"{where}.{key}", f"needs at least {minimum} entries")
            return ()
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{where}.{key}", "expected a list")
            return ()
        values = []
        for i, child in enumerate(node.value):
            if isinstance(child, yaml.ScalarNode) and str(child.value).strip():
                values.append(str(child.value).strip())
            else:
                self.problem(child, f"{where}.{key}[{i}]", "expected non-empty text")
        if len(values) < minimum:
            self.problem(node, f"{where}.{key}", f"needs at least {minimum} entries")
        return tuple(values)

    def choice(self, fields: dict[str, yaml.Node], key: str, where: str,
               enum: type[Any], optional: bool = False) -> Any:
        node = fields.get(key)
        if node is None:
            return None
        raw = self.text(fields, key, where)
        try:
            return enum(raw)
        except ValueError:
            allowed = ", ".join(e.value for e in enum)
            self.problem(node, f"{where}.{key}", f"{raw!r} is not one of: {allowed}")
            return None

    def ident(self, fields: dict[str, yaml.Node], where: str, kind: str,
              namespace: str | None = "") -> str:
        """The entry's id; registered as unique in ``namespace`` unless that is None."""
        value = self.text(fields, "id", where)
        if value and not _ID_PATTERNS[kind].match(value):
            self.problem(fields.get("id"), where, f"{value!r} is not a valid {kind} id")
        if value and namespace is not None:
            key = namespace + value
            here = self.loc(fields.get("id"))
            if key in self.ctx.positions:
                self.problem(fields.get("id"), where, f"duplicate id {value!r} (first at "
                             f"{self.ctx.positions[key]})")
            else:
                self.ctx.positions[key] = here
        return value

    def refs(self, fields: dict[str, yaml.Node], key: str, where: str,
             namespace: str) -> tuple[str, ...]:
        """A list of ids of other entries, checked once the whole roadmap is read."""
        values = self.text_list(fields, key, where)
        here = self.loc(fields.get(key))
        self.ctx.refs.extend((namespace, v, here) for v in values)
        return values


# --- loading ------------------------------------------------------------------------------

def load(directory: Path) -> Roadmap:
    """Load and validate the roadmap in ``directory``; raise ContentError on any problem."""
    ctx = _Context()
    problems = ctx.problems
    top = _Reader(directory / "roadmap.yaml", ctx)
    fields = top.mapping(top.compose(), "roadmap",
                         {"id", "version", "source_language", "components"},
                         {"roles", "tools", "cases", "standards", "country_notes"}) or {}
    roadmap_id = top.text(fields, "id", "roadmap")
    version = top.text(fields, "version", "roadmap")
    source_language = top.text(fields, "source_language", "roadmap")
    component_files = top.text_list(fields, "components", "roadmap", minimum=1)

    roles = _load_list(directory, top.text(fields, "roles", "roadmap", "roles.yaml"),
                       "roles", ctx, _read_role)
    tools = _load_list(directory, top.text(fields, "tools", "roadmap", "tools.yaml"),
                       "tools", ctx, _read_tool)
    cases = _load_list(directory, top.text(fields, "cases", "roadmap", "cases.yaml"),
                       "cases", ctx, _read_case)
    standards = (_load_list(directory, top.text(fields, "standards", "roadmap"), "standards",
                            ctx, _read_standard) if "standards" in fields else [])
    notes: list[CountryNote] = (
        _load_list(directory, top.text(fields, "country_notes", "roadmap"), "notes", ctx,
                   _read_note) if "country_notes" in fields else [])

    components = []
    for name in component_files:
        reader = _Reader(directory / name, ctx)
        comp = _read_component(reader, reader.compose())
        if comp is not None:
            components.append(comp)

    _cross_check(ctx)
    if problems:
        raise ContentError(problems)
    return Roadmap(roadmap_id, version, source_language, _with_notes(components, notes),
                   tuple(roles), tuple(tools), tuple(cases), tuple(standards))


def _with_notes(components: list[Component], notes: list[CountryNote]
                ) -> tuple[Component, ...]:
    """The components with each note attached to its activity, partner countries in order."""
    by_activity: dict[str, list[CountryNote]] = {}
    for note in sorted(notes, key=lambda n: PARTNER_COUNTRIES.index(n.country)):
        by_activity.setdefault(note.activity_id, []).append(note)
    rep = dataclasses.replace
    return tuple(rep(c, activities=tuple(
        rep(a, country_notes=tuple(by_activity.get(a.id, ()))) for a in c.activities))
        for c in components)


def _load_list(directory: Path, name: str, key: str, ctx: _Context,
               read_one: Callable[[_Reader, yaml.Node, str], Any]) -> list[Any]:
    reader = _Reader(directory / name, ctx)
    root = reader.compose()
    fields = reader.mapping(root, name, {key}, set()) if root is not None else None
    if not fields:
        return []
    seq = fields[key]
    if not isinstance(seq, yaml.SequenceNode):
        reader.problem(seq, key, "expected a list")
        return []
    result = []
    for i, node in enumerate(seq.value):
        entry = read_one(reader, node, f"{key}[{i}]")
        if entry is not None:
            result.append(entry)
    return result


def _read_role(r: _Reader, node: yaml.Node, where: str) -> Role | None:
    f = r.mapping(node, where, {"id", "title", "description"}, set())
    if f is None:
        return None
    return Role(r.ident(f, where, "slug", "role:"), r.text(f, "title", where),
                r.text(f, "description", where))


def _read_tool(r: _Reader, node: yaml.Node, where: str) -> Tool | None:
    f = r.mapping(node, where, {"id", "title", "description"},
                  {"kind", "credit", "sources", "scales", "sections", "interpretation"})
    if f is None:
        return None
    tid = r.ident(f, where, "slug", "tool:")
    where = f"tool {tid}" if tid else where
    kind = r.text(f, "kind", where)
    if kind and kind not in TOOL_KINDS:
        r.problem(f.get("kind"), f"{where}.kind", f"{kind!r} is not one of: "
                  + ", ".join(TOOL_KINDS))
    scales = tuple(s for s in (_read_scale(r, n, f"{where}.scales[{i}]")
                               for i, n in enumerate(r.nodes(f, "scales", where))) if s)
    sections = tuple(s for s in (_read_section(r, n, f"{where}.sections[{i}]")
                                 for i, n in enumerate(r.nodes(f, "sections", where))) if s)
    scale_ids = {s.id for s in scales}
    seen: set[str] = set()
    for section in sections:
        if section.id in seen:
            r.problem(f.get("sections"), where, f"duplicate section id {section.id!r}")
        seen.add(section.id)
        for fld in section.fields:
            if fld.scale and fld.scale not in scale_ids:
                r.problem(f.get("sections"), f"{where}/{section.id}/{fld.id}",
                          f"unknown scale {fld.scale!r}")
    return Tool(tid, r.text(f, "title", where), r.text(f, "description", where), kind,
                r.text(f, "credit", where), r.text_list(f, "sources", where), scales, sections,
                r.text(f, "interpretation", where))


def _read_scale(r: _Reader, node: yaml.Node, where: str) -> Scale | None:
    f = r.mapping(node, where, {"id", "levels"}, set())
    if f is None:
        return None
    levels = []
    for i, child in enumerate(r.nodes(f, "levels", where)):
        lf = r.mapping(child, f"{where}.levels[{i}]", {"value", "label"}, {"description"})
        if lf is None:
            continue
        raw = r.text(lf, "value", where)
        if not raw.isdigit():
            r.problem(lf.get("value"), f"{where}.levels[{i}]", "value must be a whole number")
            continue
        levels.append(Level(int(raw), r.text(lf, "label", where),
                            r.text(lf, "description", where)))
    if len(levels) < 2:
        r.problem(node, where, "a scale needs at least two levels")
    return Scale(r.ident(f, where, "slug", None), tuple(levels))


def _read_section(r: _Reader, node: yaml.Node, where: str) -> Section | None:
    f = r.mapping(node, where, {"id", "title", "fields"}, {"help", "repeating", "entry"})
    if f is None:
        return None
    sid = r.ident(f, where, "slug", None)
    fields = []
    seen: set[str] = set()
    for i, child in enumerate(r.nodes(f, "fields", where)):
        fld = _read_field(r, child, f"{where}.fields[{i}]")
        if fld is None:
            continue
        if fld.id in seen:
            r.problem(child, where, f"duplicate field id {fld.id!r}")
        seen.add(fld.id)
        fields.append(fld)
    if not fields:
        r.problem(node, where, "a section needs at least one field")
    earlier: dict[str, str] = {}
    for fld in fields:
        if fld.only_if and earlier.get(fld.only_if) != "yesno":
            r.problem(node, where, f"field {fld.id!r}: only_if must name a yesno field "
                      "before it in the same section")
        earlier[fld.id] = fld.type
    repeating = r.flag(f, "repeating", where)
    entry = r.text(f, "entry", where)
    if repeating and not entry:
        r.problem(node, where, "a repeating section needs an 'entry' name")
    return Section(sid, r.text(f, "title", where), tuple(fields), r.text(f, "help", where),
                   repeating, entry)


def _read_field(r: _Reader, node: yaml.Node, where: str) -> Field | None:
    f = r.mapping(node, where, {"id", "label", "type"}, {"help", "options", "scale",
                                                          "only_if"})
    if f is None:
        return None
    ftype = r.text(f, "type", where)
    if ftype not in FIELD_TYPES:
        r.problem(f.get("type"), f"{where}.type", f"{ftype!r} is not one of: "
                  + ", ".join(FIELD_TYPES))
    options = []
    for i, child in enumerate(r.nodes(f, "options", where)):
        of = r.mapping(child, f"{where}.options[{i}]", {"id", "label"}, set())
        if of is not None:
            options.append(Option(r.text(of, "id", where), r.text(of, "label", where)))
    if ftype in ("choice", "multichoice") and len(options) < 2:
        r.problem(node, where, f"a {ftype} field needs at least two options")
    if ftype not in ("choice", "multichoice") and options:
        r.problem(f.get("options"), where, f"a {ftype} field takes no options")
    scale = r.text(f, "scale", where) or None
    if (ftype == "scale") != (scale is not None):
        r.problem(node, where, "a field has a 'scale' exactly when its type is scale")
    return Field(r.ident(f, where, "slug", None), r.text(f, "label", where), ftype,
                 r.text(f, "help", where), tuple(options), scale, r.text(f, "only_if", where))


def _read_standard(r: _Reader, node: yaml.Node, where: str) -> Standard | None:
    f = r.mapping(node, where, {"id", "name", "summary"}, {"url", "dates"})
    if f is None:
        return None
    url = r.text(f, "url", where)
    if url and not url.startswith("https://"):
        r.problem(f.get("url"), f"{where}.url", "must be an https:// URL")
    dates: list[tuple[str, dt.date]] = []
    dates_node = f.get("dates")
    if dates_node is not None and not isinstance(dates_node, yaml.MappingNode):
        r.problem(dates_node, f"{where}.dates", "expected a mapping of keys to dates")
    elif dates_node is not None:
        for key_node, value_node in dates_node.value:
            key = str(key_node.value)
            if not _ID_PATTERNS["slug"].match(key):
                r.problem(key_node, f"{where}.dates", f"{key!r} is not a valid key")
            elif key in dict(dates):
                r.problem(key_node, f"{where}.dates", f"duplicate key {key!r}")
            day = _iso_date(value_node)
            if day is None:
                r.problem(value_node, f"{where}.dates.{key}",
                          f"{value_node.value!r} is not a date written as YYYY-MM-DD")
            else:
                dates.append((key, day))
    return Standard(r.ident(f, where, "slug", "standard:"), r.text(f, "name", where),
                    r.text(f, "summary", where), url, tuple(dates))


def _iso_date(node: yaml.Node) -> dt.date | None:
    if not isinstance(node, yaml.ScalarNode) or not _ISO_DATE.match(str(node.value)):
        return None
    try:
        return dt.date.fromisoformat(str(node.value))
    except ValueError:
        return None


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _read_note(r: _Reader, node: yaml.Node, where: str) -> CountryNote | None:
    f = r.mapping(node, where, {"id", "country", "activity", "text", "source", "checked"},
                  set())
    if f is None:
        return None
    note_id = r.ident(f, where, "slug", "note:")
    where = f"note {note_id}" if note_id else where
    code_node = f.get("country")
    if isinstance(code_node, yaml.ScalarNode) and code_node.tag.endswith(":bool"):
        # A bare NO is YAML for "false": say so instead of "expected text".
        r.problem(code_node, f"{where}.country",
                  f"write the country code in quotes (\"{code_node.value}\"): a bare "
                  f"{code_node.value} is read as true or false")
        f = {k: v for k, v in f.items() if k != "country"}
    country = r.text(f, "country", where)
    if country and country not in PARTNER_COUNTRIES:
        r.problem(f.get("country"), f"{where}.country",
                  f"{country!r} is not one of: " + ", ".join(PARTNER_COUNTRIES))
    elif country and note_id and not note_id.startswith(country.lower() + "-"):
        r.problem(f.get("id"), where,
                  f"the id of a note for {country} starts with {country.lower() + '-'!r}")
    activity = r.text(f, "activity", where)
    if activity:
        r.ctx.refs.append(("activity:", activity, r.loc(f.get("activity"))))
    text = r.text(f, "text", where)
    if len(text) > NOTE_MAX_LENGTH:
        r.problem(f.get("text"), f"{where}.text",
                  f"a note has at most {NOTE_MAX_LENGTH} characters; this one has "
                  f"{len(text)}")
    source = r.text(f, "source", where)
    if source and not source.startswith("https://"):
        r.problem(f.get("source"), f"{where}.source", "must be an https:// URL")
    raw = r.text(f, "checked", where)
    checked = None
    if raw:
        try:
            checked = dt.date.fromisoformat(raw) if _ISO_DATE.match(raw) else None
        except ValueError:
            checked = None
        if checked is None:
            r.problem(f.get("checked"), f"{where}.checked",
                      f"{raw!r} is not a date written as YYYY-MM-DD")
    if not (note_id and country in PARTNER_COUNTRIES and activity and text and source
            and checked):
        return None
    return CountryNote(note_id, country, activity, text, source, checked)


def _read_case(r: _Reader, node: yaml.Node, where: str) -> Case | None:
    f = r.mapping(node, where, {"id", "title", "place", "summary", "source", "activities"},
                  set())
    if f is None:
        return None
    case_id = r.ident(f, where, "slug", "case:")
    if "activities" not in f:
        r.problem(node, f"{where}.activities", "needs at least 1 entries")
    return Case(case_id, r.text(f, "title", where), r.text(f, "place", where),
                r.text(f, "summary", where), r.text(f, "source", where),
                r.refs(f, "activities", where, "activity:"))


def _read_component(r: _Reader, node: yaml.Node | None) -> Component | None:
    if node is None:
        return None
    f = r.mapping(node, "component", {"id", "title", "stage", "goal", "activities"},
                  {"source"})
    if f is None:
        return None
    cid = r.ident(f, "component", "component", "component:")
    where = cid or "component"
    activities = []
    seq = f.get("activities")
    if isinstance(seq, yaml.SequenceNode) and seq.value:
        for i, child in enumerate(seq.value):
            act = _read_activity(r, child, f"{where}.activities[{i}]", cid)
            if act is not None:
                activities.append(act)
    else:
        r.problem(seq, f"{where}.activities", "expected a non-empty list")
    return Component(cid, r.text(f, "title", where), r.choice(f, "stage", where, Stage),
                     r.text(f, "goal", where), r.text(f, "source", where), tuple(activities))


def _read_activity(r: _Reader, node: yaml.Node, where: str, cid: str) -> Activity | None:
    f = r.mapping(node, where,
                  {"id", "title", "origin", "dimensions", "guidance", "questions", "items"},
                  {"source", "roles", "tools", "cases", "purpose", "condition", "standards"})
    if f is None:
        return None
    aid = r.ident(f, where, "activity", "activity:")
    if aid and cid and not aid.startswith(cid + "."):
        r.problem(f.get("id"), where, f"activity {aid!r} does not belong to component {cid!r}")
    where = aid or where
    origin = r.choice(f, "origin", where, Origin)
    source = r.text(f, "source", where)
    if origin is Origin.D4A and not source:
        r.problem(node, where, "D4A text needs a 'source' URL")
    if source and not source.startswith("https://"):
        r.problem(f.get("source"), f"{where}.source", "must be an https:// URL")
    dimensions = []
    for raw in r.text_list(f, "dimensions", where, minimum=1):
        try:
            dimensions.append(Dimension(raw))
        except ValueError:
            r.problem(f.get("dimensions"), f"{where}.dimensions", f"unknown dimension {raw!r}")
    questions = r.text_list(f, "questions", where, minimum=1)
    items = []
    seq = f.get("items")
    if isinstance(seq, yaml.SequenceNode):
        for i, child in enumerate(seq.value):
            item = _read_item(r, child, f"{where}.items[{i}]", aid)
            if item is not None:
                items.append(item)
    if len(items) < 3:
        r.problem(seq if seq is not None else node, f"{where}.items",
                  "an activity needs at least three checklist items")
    return Activity(aid, cid, r.text(f, "title", where), origin, source,
                    r.refs(f, "roles", where, "role:"), tuple(dimensions),
                    r.text(f, "guidance", where), questions, tuple(items),
                    r.refs(f, "tools", where, "tool:"), r.refs(f, "cases", where, "case:"),
                    r.text(f, "purpose", where), r.choice(f, "condition", where, Condition),
                    r.refs(f, "standards", where, "standard:"))


def _read_item(r: _Reader, node: yaml.Node, where: str, aid: str) -> ChecklistItem | None:
    f = r.mapping(node, where, {"id", "text", "dimension"}, {"help", "role", "condition"})
    if f is None:
        return None
    iid = r.ident(f, where, "item", "item:")
    if iid and aid and not iid.startswith(aid + "."):
        r.problem(f.get("id"), where, f"item {iid!r} does not belong to activity {aid!r}")
    dimension = r.choice(f, "dimension", where, Dimension)
    role = r.text(f, "role", where) or None
    if role:
        r.ctx.refs.append(("role:", role, r.loc(f.get("role"))))
    return ChecklistItem(iid, aid, r.text(f, "text", where), r.text(f, "help", where),
                         dimension, role, r.choice(f, "condition", where, Condition))


def _cross_check(ctx: _Context) -> None:
    """Every reference names an entry that exists, reported where the reference stands."""
    for namespace, ref, here in ctx.refs:
        if namespace + ref not in ctx.positions:
            kind = namespace.rstrip(":")
            ctx.problems.append(f"{here}: unknown {kind} {ref!r}")


# --- translation --------------------------------------------------------------------------
