"""Values between Python and the project file's columns, and what is damaged in them.

Dates are ISO text, times UTC text to the millisecond (the format SQLAlchemy's DateTime
uses, so migrations read them too), yes/no 0/1 or NULL, lists JSON arrays. Decoding never
raises: a value that cannot be read (text that is not UTF-8, a time that does not parse,
a list that is not JSON) becomes the field's empty value and is noted as damaged, so the
program can show the rest of the project and name what is broken.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from d4a_desktop.core.records import Field, FieldType, Vocabulary


class DamagedText(str):
    """Text that was not valid UTF-8 in the file, read with replacement characters."""

    __slots__ = ()


def decode_text(raw: bytes) -> str:
    """sqlite3 text factory of the careful reading path."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return DamagedText(raw.decode("utf-8", "replace"))


@dataclass(frozen=True, slots=True)
class Damage:
    """One value that could not be read: where it is, for messages and ``d4a check``."""

    table: str
    record: str       # the record's id, or its content id for roadmap state
    field: str

    def describe(self) -> str:
        return f"{self.table} {self.record}: {self.field}"


def utcnow() -> dt.datetime:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def encode_time(value: dt.datetime) -> str:
    return value.isoformat(sep=" ", timespec="microseconds")


class Reader:
    """Decodes the values of one read and collects what is damaged."""

    def __init__(self) -> None:
        self.damage: list[Damage] = []

    def _note(self, table: str, record: str, field: str) -> None:
        self.damage.append(Damage(table, record, field))

    def text(self, value: Any, table: str, record: str, field: str) -> str:
        if value is None:
            return ""
        if isinstance(value, DamagedText):
            self._note(table, record, field)
            return str(value)
        if not isinstance(value, str):
            self._note(table, record, field)
            return str(value)
        return value

    def time(self, value: Any, table: str, record: str, field: str) -> dt.datetime | None:
        if value is None:
            return None
        try:
            moment = dt.datetime.fromisoformat(value if type(value) is str else str(value))
        except ValueError:
            self._note(table, record, field)
            return None
        return moment if moment.tzinfo is None else moment.replace(tzinfo=None)

    def date(self, value: Any, table: str, record: str, field: str) -> dt.date | None:
        if value is None or value == "":
            return None
        try:
            return dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            self._note(table, record, field)
            return None

    def flag(self, value: Any, table: str, record: str, field: str) -> bool | None:
        if value is None:
            return None
        if value in (0, 1):
            return bool(value)
        self._note(table, record, field)
        return None

    def integer(self, value: Any, table: str, record: str, field: str) -> int | None:
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            return value
        self._note(table, record, field)
        return None

    def number(self, value: Any, table: str, record: str, field: str) -> int | float | None:
        if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
            return value
        self._note(table, record, field)
        return None

    def json(self, value: Any, table: str, record: str, field: str) -> Any:
        if value is None or value == "":
            return None
        try:
            data = json.loads(value)
        except (TypeError, ValueError):
            self._note(table, record, field)
            return None
        return freeze(data)

    def strings(self, value: Any, table: str, record: str, field: str) -> tuple[str, ...]:
        if value is None or value == "":
            return ()
        try:
            data = json.loads(value)
        except (TypeError, ValueError):
            self._note(table, record, field)
            return ()
        if not isinstance(data, list) or not all(isinstance(v, str) for v in data):
            self._note(table, record, field)
            return ()
        return tuple(data)

    def value(self, f: Field, raw: Any, table: str, record: str) -> Any:
        """A declared field's value, or its empty value when damaged."""
        t = f.type
        if type(raw) is str and t in _PLAIN_TEXT:  # the common cases, first and cheap
            return raw
        if raw is None:
            return _EMPTY[t]
        if t in _LISTS:
            return self.strings(raw, table, record, f.name)
        if t is FieldType.DATE:
            return self.date(raw, table, record, f.name)
        if t is FieldType.INTEGER:
            return self.integer(raw, table, record, f.name)
        if t is FieldType.NUMBER:
            return self.number(raw, table, record, f.name)
        if t is FieldType.JSON:
            return self.json(raw, table, record, f.name)
        if t is FieldType.YESNO:
            return self.flag(raw, table, record, f.name)
        text = self.text(raw, table, record, f.name)
        if t is FieldType.CHOICE and text and f.vocabulary is not None \
                and text not in _codes(f.vocabulary):
            self._note(table, record, f.name)
            return ""
        return text


class RowDecoder:
    """Decodes the declared fields of one kind's rows, with the cheap checks decided once.

    A register of 2,000 datasets holds 56,000 values; deciding per value which decoder its
    type needs, and parsing the same JSON list or date text again and again, made reading a
    register cost several times the file read. The plan is made once per kind; lists and
    dates are parsed once per distinct text (they repeat: a few categories, a few dates).
    Anything that does not pass the cheap check goes through ``Reader.value``, so damage is
    noted exactly as before.
    """

    __slots__ = ("_memo", "_plan")

    _TEXT, _CHOICE, _PARSED, _INTEGER, _FLAG, _OTHER = range(6)

    def __init__(self, fields: tuple[Field, ...]):
        plan = []
        for f in fields:
            t = f.type
            if t in _PLAIN_TEXT:
                mode, codes = self._TEXT, frozenset[str]()
            elif t is FieldType.CHOICE and f.vocabulary is not None:
                mode, codes = self._CHOICE, _codes(f.vocabulary) | {""}
            elif t in _LISTS or t is FieldType.DATE:
                mode, codes = self._PARSED, frozenset()
            elif t is FieldType.INTEGER:
                mode, codes = self._INTEGER, frozenset()
            elif t is FieldType.YESNO:
                mode, codes = self._FLAG, frozenset()
            else:
                mode, codes = self._OTHER, frozenset()
            plan.append((f.name, mode, codes, f, _EMPTY[t]))
        self._plan = tuple(plan)
        #: (field name, stored text) → value, for lists and dates read without damage
        self._memo: dict[tuple[str, str], Any] = {}

    def decode(self, r: Reader, raws: Any, table: str, record: str) -> dict[str, Any]:
        values: dict[str, Any] = {}
        memo = self._memo
        text, choice, parsed, integer = self._TEXT, self._CHOICE, self._PARSED, self._INTEGER
        flag = self._FLAG
        for (name, mode, codes, f, empty), raw in zip(self._plan, raws, strict=True):
            if raw is None:
                values[name] = empty
            elif (type(raw) is str and (mode == text or (mode == choice and raw in codes))) \
                    or (mode == integer and type(raw) is int):
                values[name] = raw  # text, a known code, a whole number: as stored
            elif mode == flag and (raw == 1 or raw == 0) and type(raw) is int:
                values[name] = raw == 1  # yes or no
            elif mode == parsed and type(raw) is str and (name, raw) in memo:
                values[name] = memo[name, raw]
            else:
                before = len(r.damage)
                value = values[name] = r.value(f, raw, table, record)
                if mode == parsed and len(r.damage) == before and type(raw) is str \
                        and not isinstance(raw, DamagedText):
                    if len(memo) > 20_000:
                        memo.clear()
                    memo[name, raw] = value
        return values


_DECODERS: dict[int, tuple[tuple[Field, ...], RowDecoder]] = {}


def row_decoder(fields: tuple[Field, ...]) -> RowDecoder:
    """The decoder of a kind's fields, made once."""
    known = _DECODERS.get(id(fields))
    if known is None or known[0] is not fields:
        known = (fields, RowDecoder(fields))
        _DECODERS[id(fields)] = known
    return known[1]


#: Types whose stored text is the value itself.
_PLAIN_TEXT = frozenset((FieldType.TEXT, FieldType.LONGTEXT, FieldType.URL,
                         FieldType.ACTIVITY, FieldType.REFERENCE))
_LISTS = frozenset(t for t in FieldType if t.is_list)
#: What a NULL column holds, per type (the field's empty value).
_EMPTY: dict[FieldType, Any] = {t: () if t.is_list else (
    "" if t.is_text or t in (FieldType.CHOICE, FieldType.ACTIVITY, FieldType.REFERENCE)
    else None) for t in FieldType}
_CODES: dict[int, tuple[Vocabulary, frozenset[str]]] = {}


def _codes(vocabulary: Vocabulary) -> frozenset[str]:
    """A vocabulary's codes, worked out once: reading 2,000 datasets checks 12,000 choices."""
    known = _CODES.get(id(vocabulary))
    if known is None or known[0] is not vocabulary:
        known = (vocabulary, frozenset(vocabulary.codes()))
        _CODES[id(vocabulary)] = known
    return known[1]


def encode(f: Field, value: Any) -> Any:
    """A declared field's value as the column stores it."""
    t = f.type
    if t.is_list:
        return json.dumps(list(value or ()), ensure_ascii=False)
    if t is FieldType.DATE:
        return value.isoformat() if value else None
    if t is FieldType.YESNO:
        return None if value is None else int(bool(value))
    if t in (FieldType.INTEGER, FieldType.NUMBER):
        return value
    if t is FieldType.JSON:
        return None if value is None else json.dumps(_thaw(value), ensure_ascii=False)
    return value or ""


def freeze(data: Any) -> Any:
    """JSON lists as tuples, so a decoded value compares equal to what was stored and
    stays hashable like every other field value."""
    if isinstance(data, list):
        return tuple(freeze(v) for v in data)
    if isinstance(data, dict):
        return {k: freeze(v) for k, v in data.items()}
    return data


def _thaw(data: Any) -> Any:
    if isinstance(data, tuple | list):
        return [_thaw(v) for v in data]
    if isinstance(data, dict):
        return {k: _thaw(v) for k, v in data.items()}
    if isinstance(data, dt.date):
        return data.isoformat()
    return data


def to_json(value: Any) -> str:
    """A value as the change log keeps it (JSON)."""
    if isinstance(value, dt.datetime):
        value = encode_time(value)
    elif isinstance(value, dt.date):
        value = value.isoformat()
    elif isinstance(value, tuple | dict):
        value = _thaw(value)
    elif hasattr(value, "value") and isinstance(value.value, str):
        value = value.value  # an enum such as Status
    return json.dumps(value, ensure_ascii=False)
