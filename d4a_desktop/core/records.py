"""The project's own records, declared once per kind.

A :class:`Kind` lists its :class:`Field` s (type, whether required, vocabulary, label and
help). Everything else is derived from that one declaration: the table in the project file
(``storage/schema.py``), the generic undoable commands (``core/commands.py``), validation
(here), the Qt table model and edit form (``gui/records.py``), spreadsheet columns and the
JSON of exchange packages (``services/spreadsheets.py``). A new kind is one declaration in
``core/kinds.py`` plus its translations.

Values are plain Python: ``str`` for text, URLs, choices and content ids; ``datetime.date``
for dates; ``int`` for numbers; ``bool | None`` for yes/no (None = not answered); tuples of
``str`` for multiple choices and lists of ids. An empty text is ``""``; an empty date or
number is ``None``.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from d4a_desktop.i18n import Contextual, _, content_text

#: A text the interface translates: an English msgid of the ``ui`` domain (with a context
#: where the word is ambiguous), or, for labels that the roadmap already defines, a
#: (context, English) pair of the ``content`` domain.
Text = str | Contextual | tuple[str, str]


def translate(text: Text) -> str:
    if isinstance(text, tuple):
        return content_text(*text)
    if isinstance(text, Contextual):
        return str(text)
    return _(text) if text else ""


class FieldType(enum.StrEnum):
    TEXT = "text"              # one line
    LONGTEXT = "longtext"      # several lines
    URL = "url"
    DATE = "date"
    INTEGER = "integer"        # with optional minimum and maximum
    NUMBER = "number"          # a measured value: int or float
    JSON = "json"              # any JSON value (a tool's answer, a saved version)
    YESNO = "yesno"            # True, False or None (not answered)
    CHOICE = "choice"          # one code of the field's vocabulary
    CHOICES = "choices"        # several codes of the field's vocabulary
    ACTIVITY = "activity"      # a roadmap activity id (c2.a1)
    ACTIVITIES = "activities"  # several activity ids
    REFERENCE = "reference"    # the id of a record of another kind

    @property
    def is_list(self) -> bool:
        return self in (FieldType.CHOICES, FieldType.ACTIVITIES)

    @property
    def is_text(self) -> bool:
        return self in (FieldType.TEXT, FieldType.LONGTEXT, FieldType.URL)


@dataclass(frozen=True, slots=True)
class Option:
    """One entry of a vocabulary: a record stores the ``code``, which stays the same in every
    language; the ``label`` is translated only when shown."""

    code: str
    label: Text

    def text(self) -> str:
        return translate(self.label)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """A closed list of codes. ``options`` may be computed (the roadmap's roles)."""

    name: str
    options: tuple[Option, ...] | Callable[[], tuple[Option, ...]]

    def all(self) -> tuple[Option, ...]:
        return self.options() if callable(self.options) else self.options

    def codes(self) -> tuple[str, ...]:
        return tuple(o.code for o in self.all())

    def label(self, code: str) -> str:
        for option in self.all():
            if option.code == code:
                return option.text()
        return code


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a record kind. This one declaration is all the program needs for a column, a
    form input, validation, a spreadsheet column and the package JSON of the field."""

    name: str
    type: FieldType
    label: Text
    help: Text = ""
    required: bool = False
    vocabulary: Vocabulary | None = None
    minimum: int | None = None
    maximum: int | None = None
    #: The kind whose record a REFERENCE field names.
    refers_to: str | None = None
    #: Names or contact details of people: left out of exchange packages on request.
    personal: bool = False
    #: Ready-made values a form offers (the roadmap's decision gates).
    suggestions: tuple[Text, ...] = ()
    #: The question a form asks, when it says more than the short column label.
    prompt: Text = ""
    max_length: int = 20_000

    def label_text(self) -> str:
        return translate(self.label)

    def prompt_text(self) -> str:
        return translate(self.prompt) if self.prompt else self.label_text()

    def help_text(self) -> str:
        return translate(self.help)

    def empty(self) -> Any:
        if self.type.is_list:
            return ()
        if self.type.is_text or self.type in (FieldType.CHOICE, FieldType.ACTIVITY,
                                              FieldType.REFERENCE):
            return ""
        return None

    def is_empty(self, value: Any) -> bool:
        return value is None or value == "" or value == ()

    def display(self, value: Any) -> str:
        """The value as the interface shows it, in the active language."""
        from d4a_desktop import i18n

        if self.is_empty(value):
            return ""
        if self.type is FieldType.DATE:
            return i18n.format_date(value)
        if self.type in (FieldType.INTEGER, FieldType.NUMBER):
            return i18n.format_number(value)
        if self.type is FieldType.JSON:
            import json

            return json.dumps(value, ensure_ascii=False)
        if self.type is FieldType.YESNO:
            return _("Yes") if value else _("No")
        if self.type is FieldType.CHOICE and self.vocabulary is not None:
            return self.vocabulary.label(value)
        if self.type is FieldType.CHOICES and self.vocabulary is not None:
            return i18n.format_list([self.vocabulary.label(v) for v in value])
        if self.type is FieldType.ACTIVITIES:
            return i18n.format_list(list(value))
        return str(value)


@dataclass(frozen=True, slots=True)
class Computed:
    """A value derived from a record's fields (a risk's score); never stored."""

    name: str
    label: Text
    compute: Callable[[Mapping[str, Any]], Any]
    type: FieldType = FieldType.INTEGER


@dataclass(frozen=True, slots=True)
class AtMostOne:
    """Across records of one kind: at most one with ``field == value`` per ``per`` value
    (one accountable person per activity)."""

    field: str
    value: str
    per: str
    message: str  # a ui msgid with the placeholder {value} for the ``per`` value


@dataclass(frozen=True)
class Kind:
    """One kind of record (a register: team, decisions, risks …), declared once in
    ``core/kinds.py``. Field names are unique and ``title_field`` is one of them (checked when it
    is declared)."""

    name: str          # as on the command line: team, decisions …
    table: str         # the table in the project file
    label: Text        # one record: "Team member"
    plural: Text       # the register: "Team"
    fields: tuple[Field, ...]
    #: The field that names a record in lists, messages and the undo history.
    title_field: str
    #: What the register is for, shown on its empty page.
    purpose: Text = ""
    computed: tuple[Computed, ...] = ()
    rules: tuple[AtMostOne, ...] = ()
    #: Field names in the order a table shows them by default (all fields when empty).
    columns: tuple[str, ...] = ()
    #: Shown as a register page of its own (False: kept with what it belongs to, such as a
    #: tool's answers or the comments on an activity).
    register: bool = True
    #: Records that are never edited once made (a saved version of a tool).
    frozen: bool = False
    _by_name: dict[str, Field] = field(default_factory=dict, init=False, repr=False,
                                       compare=False)

    def __post_init__(self) -> None:
        self._by_name.update({f.name: f for f in self.fields})
        assert len(self._by_name) == len(self.fields), f"{self.name}: duplicate field"
        assert self.title_field in self._by_name, f"{self.name}: unknown title field"

    def field(self, name: str) -> Field:
        return self._by_name[name]

    def has(self, name: str) -> bool:
        return name in self._by_name

    def label_text(self) -> str:
        return translate(self.label)

    def plural_text(self) -> str:
        return translate(self.plural)

    def table_columns(self) -> tuple[str, ...]:
        return self.columns or tuple(f.name for f in self.fields)

    def defaults(self) -> dict[str, Any]:
        return {f.name: f.empty() for f in self.fields}


@dataclass(frozen=True, slots=True)
class Record:
    """One record as storage returns it: plain, immutable data."""

    kind: str
    id: str
    values: Mapping[str, Any]
    created_at: dt.datetime | None = None
    modified_at: dt.datetime | None = None
    author: str = ""
    deleted: bool = False

    def get(self, name: str) -> Any:
        return self.values.get(name)


@dataclass(frozen=True, slots=True)
class Problem:
    """A value that cannot be stored: the field and a translated reason."""

    field: str
    message: str


# --- validation ------------------------------------------------------------------------------

def check_text(value: str) -> str | None:
    """A reason when ``value`` cannot be stored as text (a lone surrogate from a paste)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _("The text contains a character that cannot be stored; retype it.")
    if "\x00" in value:
        return _("The text contains a character that cannot be stored; retype it.")
    return None


def check_value(f: Field, value: Any, *, activity_ids: Iterable[str] | None = None) -> str | None:
    """Why ``value`` does not fit ``f``, or None. ``activity_ids`` checks roadmap ids."""
    if f.is_empty(value):
        return _("{field} is required.").format(field=f.label_text()) if f.required else None
    t = f.type
    if t.is_text:
        if not isinstance(value, str):
            return _("{field} must be text.").format(field=f.label_text())
        if len(value) > f.max_length:
            return _("{field} is longer than {count} characters.").format(
                field=f.label_text(), count=f.max_length)
        if t is FieldType.TEXT and ("\n" in value or "\r" in value):
            return _("{field} must fit on one line.").format(field=f.label_text())
        return check_text(value)
    if t is FieldType.DATE:
        ok = isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        return None if ok else _("{field} must be a date.").format(field=f.label_text())
    if t is FieldType.INTEGER:
        if not isinstance(value, int) or isinstance(value, bool):
            return _("{field} must be a whole number.").format(field=f.label_text())
        if (f.minimum is not None and value < f.minimum) or \
                (f.maximum is not None and value > f.maximum):
            return _("{field} must be between {low} and {high}.").format(
                field=f.label_text(), low=f.minimum, high=f.maximum)
        return None
    if t is FieldType.NUMBER:
        if not isinstance(value, int | float) or isinstance(value, bool) or \
                value != value or value in (float("inf"), float("-inf")):
            return _("{field} must be a number.").format(field=f.label_text())
        if (f.minimum is not None and value < f.minimum) or \
                (f.maximum is not None and value > f.maximum):
            return _("{field} must be between {low} and {high}.").format(
                field=f.label_text(), low=f.minimum, high=f.maximum)
        return None
    if t is FieldType.JSON:
        import json

        try:
            text = json.dumps(value, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError):
            return _("{field} cannot be stored.").format(field=f.label_text())
        return check_text(text)
    if t is FieldType.YESNO:
        return None if isinstance(value, bool) else \
            _("{field} must be yes or no.").format(field=f.label_text())
    if t in (FieldType.CHOICE, FieldType.CHOICES):
        values = (value,) if t is FieldType.CHOICE else value
        if t is FieldType.CHOICES and not isinstance(value, tuple):
            return _("{field} must be a list of choices.").format(field=f.label_text())
        assert f.vocabulary is not None
        codes = f.vocabulary.codes()
        for v in values:
            if v not in codes:
                return _("“{value}” is not a choice of {field}.").format(
                    value=v, field=f.label_text())
        if t is FieldType.CHOICES and len(set(values)) != len(values):
            return _("{field} lists a choice twice.").format(field=f.label_text())
        return None
    if t in (FieldType.ACTIVITY, FieldType.ACTIVITIES):
        values = (value,) if t is FieldType.ACTIVITY else value
        if t is FieldType.ACTIVITIES and not isinstance(value, tuple):
            return _("{field} must be a list of activities.").format(field=f.label_text())
        known = set(activity_ids) if activity_ids is not None else None
        for v in values:
            if not isinstance(v, str) or (known is not None and v not in known):
                return _("“{value}” is not an activity of the roadmap.").format(value=v)
        return None
    if t is FieldType.REFERENCE:
        return None if isinstance(value, str) else \
            _("{field} must name a record.").format(field=f.label_text())
    return None  # pragma: no cover - every type is handled above


def validate(kind: Kind, values: Mapping[str, Any], *, partial: bool = False,
             activity_ids: Iterable[str] | None = None) -> list[Problem]:
    """Every problem with ``values`` for ``kind``; ``partial`` checks only the fields given
    (a change of some fields), otherwise required fields must be present."""
    problems = []
    ids = tuple(activity_ids) if activity_ids is not None else None
    for name in values:
        if not kind.has(name):
            problems.append(Problem(name, _("{kind} has no field “{field}”.").format(
                kind=kind.label_text(), field=name)))
    for f in kind.fields:
        if f.name not in values:
            if not partial and f.required:
                problems.append(Problem(f.name, _("{field} is required.").format(
                    field=f.label_text())))
            continue
        reason = check_value(f, values[f.name], activity_ids=ids)
        if reason:
            problems.append(Problem(f.name, reason))
    return problems


def check_rules(kind: Kind, record_id: str, values: Mapping[str, Any],
                others: Iterable[Record]) -> list[Problem]:
    """Problems across records (at most one accountable per activity)."""
    problems = []
    for rule in kind.rules:
        if values.get(rule.field) != rule.value:
            continue
        key = values.get(rule.per)
        for other in others:
            if other.id != record_id and not other.deleted and \
                    other.get(rule.field) == rule.value and other.get(rule.per) == key:
                problems.append(Problem(rule.field, _(rule.message).format(value=key)))
                break
    return problems


def computed_values(kind: Kind, values: Mapping[str, Any]) -> dict[str, Any]:
    return {c.name: c.compute(values) for c in kind.computed}


def title_of(kind: Kind, record: Record | Mapping[str, Any]) -> str:
    values = record.values if isinstance(record, Record) else record
    title = kind.field(kind.title_field).display(values.get(kind.title_field))
    return title.splitlines()[0][:80] if title else kind.label_text()
