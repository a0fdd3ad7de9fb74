"""Answers to the roadmap's tools, as plain data the rules, the forms and storage share.

A tool (``content.Tool``) is a form of sections and fields. Its answers are a mapping from a
*path* to a value, so that storage keeps each answer as one record keyed by its path and a
merge of two copies compares answers one by one:

- ``"<section>/<field>"`` for a field of an ordinary section (``"criteria/large-scale"``);
- ``"<section>/<entry>/<field>"`` for a field of one entry of a repeating section
  (``"options/3f2a…/openness"``), where ``<entry>`` is a key chosen once when the entry is
  added (``new_entry``: a uuid4 in hex) and never changed;
- ``"<section>/<entry>/_order"``: the entry's place in its section, a whole number.

Two people who add entries on two copies of a project get different keys, so their entries
never overwrite each other; if both took the same order number, ``entries`` breaks the tie
by key, the same way on every copy. Moving an entry rewrites the order numbers
(``move_entry``). An entry exists while any of its paths has a value; deleting it means
deleting its paths.

Values: text, longtext and url → ``str``; yesno → ``bool`` (``None`` = not answered);
choice → an option id; multichoice → a tuple of option ids; scale → the ``int`` value of a
level; date → ``datetime.date``; number → ``int`` or ``float``. ``None``, ``""`` and ``()``
mean "not answered" for every type.

Answers outlive the tool's definition, like the answers to retired checklist items: when a
newer roadmap drops a field or changes it so that a saved value no longer fits (another type,
an option or a level removed), the answer is kept, listed by ``retired`` with the reason, and
left out of completeness and of the rules, which treat the field as unanswered.

Labels are translated through their content contexts, so every function here accepts the
English tool as loaded or a localised copy and answers in the active language.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from d4a_desktop import i18n
from d4a_desktop.core.content import Field, Level, Section, Tool
from d4a_desktop.core.records import check_text
from d4a_desktop.i18n import _, pgettext

Answers = Mapping[str, Any]

#: The last part of the path that holds an entry's place in its section.
ORDER = "_order"
#: An entry key: what ``new_entry`` makes (32 hex digits), or any short slug a migration or
#: an import chose. Never contains "/".
ENTRY_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
#: Longest text an answer may hold (a one-line text, a URL / a longtext).
MAX_LINE = 2_000
MAX_TEXT = 20_000
#: Numbers in tools are hours, weights and amounts in euro: larger ones are typing errors.
MAX_NUMBER = 1e12


# --- paths ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Place:
    """Where a path points in a tool: a field, or the order of an entry (``field`` None)."""

    section: Section
    field: Field | None
    entry: str | None = None


def paths(tool: Tool) -> tuple[str, ...]:
    """Every answerable path of the tool's ordinary (non-repeating) sections, in form order."""
    return tuple(f"{s.id}/{f.id}" for s in tool.sections if not s.repeating for f in s.fields)


def entry_paths(tool: Tool, section_id: str, key: str) -> tuple[str, ...]:
    """The field paths of one entry of a repeating section, in form order."""
    section = _section(tool, section_id)
    return tuple(f"{section_id}/{key}/{f.id}" for f in section.fields)


_Index = dict[str, tuple[Section, dict[str, Field]]]
#: Sections and fields by id for the tools seen last (checked by identity, so a changed
#: tool, a new roadmap version, gets its own index).
_indexes: dict[int, tuple[Tool, _Index]] = {}


def _index(tool: Tool) -> _Index:
    found = _indexes.get(id(tool))
    if found is not None and found[0] is tool:
        return found[1]
    if len(_indexes) > 64:
        _indexes.clear()
    index = {s.id: (s, {f.id: f for f in s.fields}) for s in tool.sections}
    _indexes[id(tool)] = (tool, index)
    return index


def locate(tool: Tool, path: str) -> Place | None:
    """The section and field a path names in this tool, or None if the tool has no such
    path (any more)."""
    parts = path.split("/")
    found = _index(tool).get(parts[0])
    if found is None:
        return None
    section, fields = found
    if section.repeating:
        if len(parts) != 3 or not ENTRY_KEY.match(parts[1]):
            return None
        if parts[2] == ORDER:
            return Place(section, None, parts[1])
        field_id, entry = parts[2], parts[1]
    else:
        if len(parts) != 2:
            return None
        field_id, entry = parts[1], None
    fld = fields.get(field_id)
    return Place(section, fld, entry) if fld is not None else None


def _section(tool: Tool, section_id: str) -> Section:
    for section in tool.sections:
        if section.id == section_id:
            return section
    raise KeyError(f"{tool.id} has no section {section_id!r}")


# --- labels and display -----------------------------------------------------------------------

def field_label(tool: Tool, section: Section, fld: Field) -> str:
    return i18n.content_text(f"tool:{tool.id}/{section.id}/{fld.id}|label", fld.label)


def section_title(tool: Tool, section: Section) -> str:
    return i18n.content_text(f"tool:{tool.id}/{section.id}|title", section.title)


def entry_name(tool: Tool, section: Section) -> str:
    """What one entry of a repeating section is called ("Option")."""
    return i18n.content_text(f"tool:{tool.id}/{section.id}|entry", section.entry)


def option_label(tool: Tool, section: Section, fld: Field, option_id: str) -> str:
    for option in fld.options:
        if option.id == option_id:
            return i18n.content_text(
                f"tool:{tool.id}/{section.id}/{fld.id}/{option.id}|label", option.label)
    return option_id


def level_of(tool: Tool, fld: Field, value: int) -> Level | None:
    scale = next((s for s in tool.scales if s.id == fld.scale), None)
    return next((lv for lv in scale.levels if lv.value == value), None) if scale else None


def level_label(tool: Tool, scale_id: str, level: Level) -> str:
    return i18n.content_text(f"tool:{tool.id}/scale:{scale_id}/{level.value}|label",
                             level.label)


def is_answered(value: Any) -> bool:
    return value is not None and value != "" and value != ()


def display(tool: Tool, path: str, value: Any) -> str:
    """An answer as the interface shows it, in the active language. A value the tool no
    longer knows how to show (a retired path) is shown as it is stored."""
    if not is_answered(value):
        return ""
    place = locate(tool, path)
    fld = place.field if place else None
    if place is None or fld is None or _problem(tool, place, value) is not None:
        if isinstance(value, tuple):
            return i18n.format_list([str(v) for v in value])
        if isinstance(value, dt.date):
            return i18n.format_date(value)
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        return str(value)
    if fld.type == "yesno":
        return _("Yes") if value else _("No")
    if fld.type == "choice":
        return option_label(tool, place.section, fld, value)
    if fld.type == "multichoice":
        return i18n.format_list([option_label(tool, place.section, fld, v) for v in value])
    if fld.type == "scale":
        level = level_of(tool, fld, value)
        assert level is not None and fld.scale is not None  # checked by validate_answer
        # Translators: a level of a rating scale, as in "3 – Practising".
        return _("{value} – {level}").format(value=value,
                                             level=level_label(tool, fld.scale, level))
    if fld.type == "date":
        return i18n.format_date(value)
    if fld.type == "number":
        return i18n.format_number(value)
    return str(value)


def entry_title(tool: Tool, section_id: str, key: str, answers: Answers,
                keys: Sequence[str] | None = None) -> str:
    """A name for one entry: its first answered one-line text ("Open Data Platform X"), or
    the entry's kind and number ("Option 2"). ``keys``: the section's entries in order, if
    the caller has them already."""
    section = _section(tool, section_id)
    for fld in section.fields:
        if fld.type == "text":
            value = answers.get(f"{section_id}/{key}/{fld.id}")
            if isinstance(value, str) and value.strip():
                return value.strip().splitlines()[0][:80]
    keys = entries(tool, section_id, answers) if keys is None else keys
    number = keys.index(key) + 1 if key in keys else len(keys) + 1
    # Translators: an entry of a repeating part of a tool without a name yet, as in
    # "Option 2" or "Dataset 3".
    return _("{entry} {number}").format(entry=entry_name(tool, section), number=number)


def label(tool: Tool, path: str, answers: Answers | None = None) -> str:
    """The question a path answers, with its section and entry, for lists and messages:
    "Options › Product A › Openness: …". A path the tool no longer has is shown as it is."""
    return _label(tool, path, answers or {}, {})


def _label(tool: Tool, path: str, answers: Answers,
           keys: dict[str, tuple[str, ...]]) -> str:
    """``label`` with the entries of each section computed once (``keys``, by section)."""
    place = locate(tool, path)
    if place is None:
        return path
    parts = [section_title(tool, place.section)]
    if place.entry is not None:
        section_id = place.section.id
        if section_id not in keys:
            keys[section_id] = entries(tool, section_id, answers)
        parts.append(entry_title(tool, section_id, place.entry, answers, keys[section_id]))
    if place.field is not None:
        parts.append(field_label(tool, place.section, place.field))
    return " › ".join(parts)


# --- validation -------------------------------------------------------------------------------

def validate_answer(tool: Tool, path: str, value: Any) -> str | None:
    """Why ``value`` cannot be the answer at ``path``, translated, or None when it can.
    Every type accepts "not answered" (None, "" or ())."""
    place = locate(tool, path)
    if place is None:
        return _("This tool has no question “{path}”.").format(path=path)
    return _problem(tool, place, value)


def _problem(tool: Tool, place: Place, value: Any) -> str | None:
    fld = place.field
    if fld is None:  # an entry's place in its section
        if isinstance(value, bool) or not isinstance(value, int):
            return _("The position of an entry must be a whole number.")
        return None
    if not is_answered(value):
        return None
    section = place.section

    def name() -> str:  # only a value that does not fit needs the translated label
        return field_label(tool, section, fld)

    t = fld.type
    if t in ("text", "longtext", "url"):
        if not isinstance(value, str):
            return _("{field} must be text.").format(field=name())
        limit = MAX_TEXT if t == "longtext" else MAX_LINE
        if len(value) > limit:
            return _("{field} is longer than {count} characters.").format(field=name(),
                                                                          count=limit)
        if t != "longtext" and ("\n" in value or "\r" in value):
            return _("{field} must fit on one line.").format(field=name())
        if t == "url" and any(c.isspace() for c in value.strip()):
            return _("{field} must be a web address without spaces.").format(field=name())
        return check_text(value)
    if t == "yesno":
        return None if isinstance(value, bool) else \
            _("{field} must be yes or no.").format(field=name())
    if t in ("choice", "multichoice"):
        if t == "multichoice" and not isinstance(value, tuple):
            return _("{field} must be a list of choices.").format(field=name())
        values = value if t == "multichoice" else (value,)
        ids = [o.id for o in fld.options]
        for v in values:
            if v not in ids:
                return _("“{value}” is not a choice of {field}.").format(value=v, field=name())
        if len(set(values)) != len(values):
            return _("{field} lists a choice twice.").format(field=name())
        return None
    if t == "scale":
        if isinstance(value, bool) or not isinstance(value, int) or \
                level_of(tool, fld, value) is None:
            return _("{value} is not a level of the scale of {field}.").format(
                value=value, field=name())
        return None
    if t == "date":
        ok = isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        return None if ok else _("{field} must be a date.").format(field=name())
    if t == "number":
        if isinstance(value, bool) or not isinstance(value, int | float) or \
                not math.isfinite(value):
            return _("{field} must be a number.").format(field=name())
        if value < 0:
            return _("{field} must not be negative.").format(field=name())
        if value > MAX_NUMBER:
            return _("{field} is too large.").format(field=name())
        return None
    return None  # pragma: no cover - the loader allows only the types above


@dataclass(frozen=True, slots=True)
class Retired:
    """A saved answer that the tool's current definition cannot use; kept, never deleted."""

    path: str
    value: Any
    #: Translated: why the answer is no longer used.
    reason: str


def retired(tool: Tool, answers: Answers) -> tuple[Retired, ...]:
    """Answers the tool no longer asks for, or whose value no longer fits the question
    (a newer roadmap changed the field), sorted by path. They stay in the project."""
    found = []
    for path in sorted(answers):
        value = answers[path]
        if not is_answered(value) and not path.endswith("/" + ORDER):
            continue
        if locate(tool, path) is None:
            found.append(Retired(path, value,
                                 _("The tool no longer asks this question.")))
            continue
        problem = validate_answer(tool, path, value)
        if problem is not None:
            found.append(Retired(path, value, _(
                "The question has changed and the saved answer no longer fits: {problem}")
                .format(problem=problem)))
    return tuple(found)


def current(tool: Tool, answers: Answers) -> dict[str, Any]:
    """Only the answers the tool can use now: answered, at a path it has, with a value that
    fits. This is what the rules and completeness read."""
    usable = {}
    for path, value in answers.items():
        if is_answered(value) and (place := locate(tool, path)) is not None and \
                _problem(tool, place, value) is None:
            usable[path] = value
    return usable


# --- entries of repeating sections ------------------------------------------------------------

def entries(tool: Tool, section_id: str, answers: Answers) -> tuple[str, ...]:
    """The keys of a repeating section's entries in their order: by order number, then by
    key (so two copies that both added an entry agree), entries without a number last."""
    section = _section(tool, section_id)
    field_ids = {f.id for f in section.fields}
    prefix = section_id + "/"
    found: dict[str, Any] = {}
    for path, value in answers.items():
        if not path.startswith(prefix):
            continue
        parts = path.split("/")
        if len(parts) != 3 or not ENTRY_KEY.match(parts[1]):
            continue
        key = parts[1]
        if parts[2] == ORDER:
            if isinstance(value, int) and not isinstance(value, bool):
                found[key] = value
            else:
                found.setdefault(key, None)
        elif is_answered(value) and parts[2] in field_ids:
            found.setdefault(key, None)
    return tuple(sorted(found, key=lambda k: (found[k] is None, found[k] or 0, k)))


def new_entry(tool: Tool, section_id: str, answers: Answers) -> tuple[str, dict[str, Any]]:
    """A fresh entry key and the answers that create the entry at the end of its section."""
    section = _section(tool, section_id)
    if not section.repeating:
        raise ValueError(f"{tool.id}/{section_id} is not a repeating section")
    orders = [v for k in entries(tool, section_id, answers)
              if isinstance(v := answers.get(f"{section_id}/{k}/{ORDER}"), int)]
    key = uuid.uuid4().hex
    return key, {f"{section_id}/{key}/{ORDER}": max(orders, default=0) + 1}


def move_entry(tool: Tool, section_id: str, answers: Answers, key: str,
               index: int) -> dict[str, int]:
    """The order numbers to write so that entry ``key`` stands at ``index`` (0 = first):
    every entry numbered 1, 2, 3 … in the new order, only those that change."""
    keys = list(entries(tool, section_id, answers))
    keys.remove(key)
    keys.insert(max(0, min(index, len(keys))), key)
    changes = {}
    for number, k in enumerate(keys, 1):
        path = f"{section_id}/{k}/{ORDER}"
        if answers.get(path) != number:
            changes[path] = number
    return changes


def entry_answers(tool: Tool, section_id: str, key: str, answers: Answers) -> dict[str, Any]:
    """Every saved path of one entry (to delete it, or to copy it)."""
    prefix = f"{section_id}/{key}/"
    return {p: v for p, v in answers.items() if p.startswith(prefix)}


# --- completeness -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Completeness:
    """How much of a tool's form is filled in. Only questions that are asked count (``applies``),
    and a form with no questions counts as complete, so the progress bar never divides by zero."""

    answered: int
    total: int
    #: Paths still to answer, in form order; a repeating section without entries is listed
    #: by its section id.
    missing: tuple[str, ...]

    @property
    def fraction(self) -> float:
        return self.answered / self.total if self.total else 1.0


def completeness(tool: Tool, answers: Answers) -> Completeness:
    """How much of the form is filled in: every field of the ordinary sections and of each
    entry of the repeating ones; a repeating section without entries counts as one
    unanswered question. Answers that no longer fit the tool do not count."""
    usable = current(tool, answers)
    expected = list(_expected(tool, usable))
    missing = tuple(p for p in expected if p not in usable)
    return Completeness(len(expected) - len(missing), len(expected), missing)


def _expected(tool: Tool, usable: Answers) -> Iterator[str]:
    for section in tool.sections:
        if not section.repeating:
            yield from (p for p in (f"{section.id}/{f.id}" for f in section.fields)
                        if applies(tool, p, usable))
            continue
        keys = entries(tool, section.id, usable)
        if not keys:
            yield section.id
        for key in keys:
            yield from (p for p in entry_paths(tool, section.id, key)
                        if applies(tool, p, usable))


def applies(tool: Tool, path: str, answers: Answers) -> bool:
    """Whether a question is asked: one that follows a yes/no question (``only_if``) is
    asked only after a yes. An answer it has is kept, but neither shown nor counted,
    while the yes is not there."""
    place = locate(tool, path)
    if place is None or place.field is None or not place.field.only_if:
        return True
    return answers.get(path.rsplit("/", 1)[0] + "/" + place.field.only_if) is True


# --- changes between two versions -------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Change:
    """One field that differs between two saved versions of a tool's answers, with the values
    already worded for display, as the form's "changed since version N" notes show them."""

    path: str
    kind: str            # "added" | "changed" | "removed"
    #: For display, translated: the section, the entry (or ""), the question.
    label: str
    old: Any
    new: Any
    old_text: str
    new_text: str


def diff(tool: Tool, old: Answers, new: Answers) -> tuple[Change, ...]:
    """Field by field, what changed from one saved version of a tool's answers to another,
    in form order (answers the tool no longer has come last, by path). Order numbers of
    entries are not changes of content and are left out."""
    both = {**old, **new}
    rank = {p: i for i, p in enumerate(_form_order(tool, both))}
    changes = []
    keys_new: dict[str, tuple[str, ...]] = {}
    keys_old: dict[str, tuple[str, ...]] = {}
    for path in sorted(both, key=lambda p: (rank.get(p, len(rank)), p)):
        if path.endswith("/" + ORDER):
            continue
        before, after = old.get(path), new.get(path)
        had, has = is_answered(before), is_answered(after)
        if (not had and not has) or (had and has and _same(before, after)):
            continue
        kind = "changed" if had and has else "added" if has else "removed"
        name = _label(tool, path, new, keys_new) if has else _label(tool, path, old, keys_old)
        changes.append(Change(path, kind, name, before if had else None,
                              after if has else None, display(tool, path, before),
                              display(tool, path, after)))
    return tuple(changes)


def _same(a: Any, b: Any) -> bool:
    return (type(a) is type(b) and a == b) or (
        isinstance(a, int | float) and isinstance(b, int | float)
        and not isinstance(a, bool) and not isinstance(b, bool) and a == b)


def _form_order(tool: Tool, answers: Answers) -> Iterator[str]:
    for section in tool.sections:
        if not section.repeating:
            yield from (f"{section.id}/{f.id}" for f in section.fields)
            continue
        for key in entries(tool, section.id, answers):
            yield from entry_paths(tool, section.id, key)


def status_label(status: str) -> str:
    """A filled tool's status (``draft``, ``complete``, or not started) as the tool pages
    and the printouts name it."""
    if status == "complete":
        return pgettext("tool status", "Complete")
    if status == "draft":
        return pgettext("tool status", "Draft")
    return pgettext("tool status", "Not started")
