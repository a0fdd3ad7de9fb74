"""Reading a date the way the user's locale writes it, Qt-free.

A project lead types a due date as they write it on paper: "15.11.2026" in Danish and
German, "15/11/2026" in French, "2026-11-15" in Swedish, "11/15/2026" in English. The
order of day, month and year comes from babel's short date pattern for the active locale;
any of ``. / -`` or a space separates the parts. ISO 8601 (``2026-11-15``) is accepted in
every language, and so are month names as babel writes them ("15. nov. 2026", the format
the checklist shows), so the text the table shows can be edited and entered again.

Two-digit years land in the century closest to the reference year (``26`` → 2026, ``98``
→ 1998); a day and month without a year take the reference year. Anything else is refused
with :class:`DateInputError`: a wrong guess would store a date the user never entered.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Literal

from d4a_desktop import i18n

_TOKEN = re.compile(r"\d+|[^\W\d_]+\.?", re.UNICODE)
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_ALLOWED = re.compile(r"^[\w\s./,-]*$", re.UNICODE)


class DateInputError(ValueError):
    """The text is not a date in the locale's format or ISO 8601."""


@lru_cache(maxsize=32)
def field_order(locale: str, width: Literal["short", "medium"] = "short") -> str:
    """The order of day, month and year in the locale's date pattern of that width:
    ``"dmy"``, ``"mdy"`` or ``"ymd"``."""
    from babel.dates import get_date_format

    pattern = get_date_format(width, locale=locale).pattern
    pattern = re.sub(r"'[^']*'", "", pattern)  # quoted literals are not fields
    order = ""
    for ch in pattern:
        kind = {"d": "d", "M": "m", "L": "m", "y": "y", "Y": "y"}.get(ch)
        if kind and kind not in order:
            order += kind
    return order if sorted(order) == ["d", "m", "y"] else "dmy"


@lru_cache(maxsize=16)
def _month_names(locale: str) -> dict[str, int]:
    """Every way babel writes a month in ``locale`` (and in English), folded: "nov", "marts"."""
    from babel import Locale

    names: dict[str, int] = {}
    for code in ("en", locale):
        loc = Locale.parse(code)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in loc.months[context][width].items():
                    names.setdefault(_fold(name), number)
    return names


def _fold(text: str) -> str:
    return text.casefold().rstrip(".")


def _year(value: int, digits: int, reference: int) -> int:
    if digits > 2:
        return value
    candidates = (reference // 100 * 100 - 100 + value, reference // 100 * 100 + value,
                  reference // 100 * 100 + 100 + value)
    return min(candidates, key=lambda year: abs(year - reference))


def parse_date(text: str, locale: str | None = None,
               today: dt.date | None = None) -> dt.date | None:
    """The date ``text`` names, or None when it is empty (the user cleared the date).

    Raises :class:`DateInputError` when the text is not a date; never guesses.
    """
    text = text.strip()
    if not text:
        return None
    locale = locale or i18n.locale()
    today = today or dt.date.today()
    iso = _ISO.match(text)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if not _ALLOWED.match(text):
            raise DateInputError(text)
        tokens = _TOKEN.findall(text)
        month: int | None = None
        numbers: list[str] = []
        for token in tokens:
            if token.isdigit():
                numbers.append(token)
                continue
            number = _month_names(locale).get(_fold(token))
            if number is None or month is not None:
                raise DateInputError(text)
            month = number
        if month is None:
            order = field_order(locale)
            if len(numbers) == 3 and len(numbers[0]) == 4:
                order = "ymd"  # 2026/11/15 or 2026.11.15: year first is never ambiguous
        else:  # a month name: the order of the format that writes names ("15 nov. 2026")
            order = field_order(locale, "medium").replace("m", "")
            if len(numbers) == 2 and len(numbers[0]) == 4:
                order = "yd"
        if len(numbers) == len(order) - 1 and order.endswith("y"):
            order = order[:-1]  # day and month only: the reference year
        elif len(numbers) != len(order):
            raise DateInputError(text)
        values = dict(zip(order, numbers, strict=True))
        if any(len(v) > (4 if k == "y" else 2) for k, v in values.items()):
            raise DateInputError(text)
        year = _year(int(values["y"]), len(values["y"]), today.year) if "y" in values \
            else today.year
        return dt.date(year, month if month is not None else int(values["m"]),
                       int(values["d"]))
    except ValueError as exc:  # out of range: 31 February, month 13
        if isinstance(exc, DateInputError):
            raise
        raise DateInputError(text) from exc


def format_for_input(value: dt.date) -> str:
    """The date as the user would type it: the short pattern with a four-digit year."""
    from babel.dates import format_date, get_date_format

    pattern = get_date_format("short", locale=i18n.locale()).pattern
    pattern = re.sub(r"(?<![y'])y{1,2}(?!y)", "y", pattern)
    return format_date(value, format=pattern, locale=i18n.locale())


def example(today: dt.date | None = None) -> str:
    """A date to show in a hint: the last day of this year, which no reader mistakes for
    a month (31 > 12), typed as the user would type it."""
    today = today or dt.date.today()
    return format_for_input(dt.date(today.year, 12, 31))
