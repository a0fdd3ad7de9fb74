"""Dates typed the way each locale writes them, read without Qt."""

from __future__ import annotations

import datetime as dt

import pytest

from d4a_desktop import i18n
from d4a_desktop.i18n.dates import (
    DateInputError,
    example,
    field_order,
    format_for_input,
    parse_date,
)

TODAY = dt.date(2026, 12, 4)
NOV_15 = dt.date(2026, 11, 15)


@pytest.mark.parametrize(("lang", "typed"), [
    ("da", "15.11.2026"), ("da", "15.11.26"), ("da", "15-11-2026"),
    ("de", "15.11.2026"), ("de", "15.11.26"), ("de", "15.11.2026 "),
    ("fr", "15/11/2026"), ("fr", "15/11/26"),
    ("sv", "2026-11-15"), ("sv", "26-11-15"),
    ("nb", "15.11.2026"),
    ("nl", "15-11-2026"), ("nl_BE", "15/11/2026"),
    ("en", "11/15/2026"), ("en", "11/15/26"),
])
def test_the_locales_short_format(lang: str, typed: str) -> None:
    i18n.set_language(lang)
    assert parse_date(typed, today=TODAY) == NOV_15


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_iso_in_every_language(lang: str) -> None:
    i18n.set_language(lang)
    assert parse_date("2026-11-15", today=TODAY) == NOV_15
    assert parse_date("2026-11-05", today=TODAY) == dt.date(2026, 11, 5)


@pytest.mark.parametrize("lang", [*i18n.LANGUAGES, "nl_BE"])
def test_what_the_table_shows_reads_back(lang: str) -> None:
    """The checklist shows babel's medium format; the editor starts from that text."""
    i18n.set_language(lang)
    for day in (NOV_15, dt.date(2027, 3, 1), dt.date(2026, 5, 31), dt.date(2030, 1, 9)):
        assert parse_date(i18n.format_date(day), today=TODAY) == day
        assert parse_date(format_for_input(day), today=TODAY) == day


@pytest.mark.parametrize(("lang", "typed", "expected"), [
    ("da", "15. nov. 2026", NOV_15),
    ("da", "1. marts 2027", dt.date(2027, 3, 1)),
    ("de", "15. März 2027", dt.date(2027, 3, 15)),
    ("fr", "15 novembre 2026", NOV_15),
    ("sv", "15 nov. 2026", NOV_15),
    ("nl", "15 mrt 2027", dt.date(2027, 3, 15)),
    ("en", "Nov 15, 2026", NOV_15),
    ("da", "15 Nov 2026", NOV_15),  # English month names are understood everywhere
])
def test_month_names(lang: str, typed: str, expected: dt.date) -> None:
    i18n.set_language(lang)
    assert parse_date(typed, today=TODAY) == expected


def test_two_digit_years_take_the_nearest_century() -> None:
    i18n.set_language("de")
    assert parse_date("1.3.27", today=TODAY) == dt.date(2027, 3, 1)
    assert parse_date("1.3.98", today=TODAY) == dt.date(1998, 3, 1)
    assert parse_date("1.3.70", today=TODAY) == dt.date(2070, 3, 1)
    assert parse_date("1.3.80", today=TODAY) == dt.date(1980, 3, 1)


def test_day_and_month_take_the_reference_year() -> None:
    i18n.set_language("de")
    assert parse_date("15.11.", today=TODAY) == NOV_15
    i18n.set_language("en")
    assert parse_date("11/15", today=TODAY) == NOV_15


def test_empty_means_no_date() -> None:
    assert parse_date("") is None
    assert parse_date("   ") is None


@pytest.mark.parametrize("typed", [
    "31.02.2026", "13.13.2026", "15", "15.11.2026.3", "abc", "<b>15.11.2026</b>",
    "123.11.2026", "15.11.20266", "15 nov mar 2026", "2026-13-01", "today", "1/2/3/4",
])
def test_anything_else_is_refused(typed: str) -> None:
    i18n.set_language("da")
    with pytest.raises(DateInputError):
        parse_date(typed, today=TODAY)


def test_day_first_locale_never_reads_month_first() -> None:
    """3.4. is the 3rd of April in Danish and the 4th of March nowhere here."""
    i18n.set_language("da")
    assert parse_date("3.4.2027", today=TODAY) == dt.date(2027, 4, 3)
    i18n.set_language("en")
    assert parse_date("3/4/2027", today=TODAY) == dt.date(2027, 3, 4)


def test_field_order_per_locale() -> None:
    assert field_order("da") == "dmy"
    assert field_order("en") == "mdy"
    assert field_order("sv") == "ymd"
    assert field_order("sv", "medium") == "dmy"


def test_input_format_has_four_digit_years() -> None:
    i18n.set_language("de")  # babel's short German pattern has two: dd.MM.yy
    assert format_for_input(NOV_15) == "15.11.2026"
    assert example(TODAY) == "31.12.2026"
    i18n.set_language("fr")
    assert format_for_input(NOV_15) == "15/11/2026"
    i18n.set_language("sv")
    assert format_for_input(NOV_15) == "2026-11-15"
    i18n.set_language("en")
    assert format_for_input(NOV_15) == "11/15/2026"
