"""The start path's own table of dates and numbers must write them exactly as babel does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from d4a_desktop import i18n
from d4a_desktop.i18n import cldr


def test_every_partner_language_is_in_every_table() -> None:
    langs = set(i18n.LANGUAGES)
    assert set(cldr.DATE_PATTERNS) == set(cldr.MONTHS) == set(cldr.WEEKDAYS) == langs
    assert set(cldr.PERCENT_AFFIXES) == set(cldr.DECIMAL_POINTS) == langs
    assert set(cldr.COUNTRIES) == set(cldr.LIST_PATTERNS) == langs
    for months in cldr.MONTHS.values():
        assert len(months["MMM"]) == len(months["MMMM"]) == 12


@pytest.fixture()
def language() -> Iterator[Callable[[str | None], None]]:
    yield i18n.set_language
    i18n.set_language("en")


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_dates_are_written_as_babel_writes_them(lang: str, language: Callable[[str], None]) -> None:
    language(lang)
    days = [dt.date(2028, 1, 1) + dt.timedelta(days=n) for n in range(366)]  # a leap year
    days += [dt.date(year, month, 9) for year in range(1999, 2031) for month in (1, 10)]
    for day in days:
        for fmt in ("short", "medium", "long", "full"):
            assert cldr.format_date(day, fmt, lang) == format_date(day, fmt, locale=lang)
            assert i18n.format_date(day, fmt) == format_date(day, fmt, locale=lang)
    pattern = "EEE d MMM"  # not in the table: babel writes it
    assert cldr.format_date(day, pattern, lang) is None
    assert i18n.format_date(day, pattern) == format_date(day, pattern, locale=lang)


def test_a_regional_locale_goes_to_babel(language: Callable[[str], None]) -> None:
    language("nl_BE")
    day = dt.date(2027, 3, 1)
    assert cldr.format_date(day, "short", "nl_BE") is None
    assert i18n.format_date(day, "short") == format_date(day, "short", locale="nl_BE")


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_percentages_and_numbers_are_written_as_babel_writes_them(
        lang: str, language: Callable[[str], None]) -> None:
    language(lang)
    fractions = [n / 100 for n in range(101)] + [n / 1000 for n in range(0, 1001, 5)] + [
        k / n for n in (3, 7, 23, 47, 97) for k in range(n + 1)] + [1.5, -0.25, 12.5]
    for fraction in fractions:
        assert i18n.format_percent(fraction) == format_percent(fraction, locale=lang), fraction
    numbers = [*range(1000), 1000, 12345, -3, 2.5, 0.0, 1.0, 999.9995, 999.9994,
               0.0005, 0.0015, 0.0025, 1 / 3, 2 / 3, 12.25, 3.14159, 100.10]
    numbers += [k / 16 for k in range(200)] + [k / 7 for k in range(300)]
    for number in numbers:
        assert i18n.format_number(number) == format_decimal(number, locale=lang), number


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_country_names_are_babels(lang: str) -> None:
    from babel import Locale

    territories = Locale.parse(lang).territories
    assert cldr.COUNTRIES[lang] == {code: territories[code] for code in cldr.COUNTRIES[lang]}
    assert set(cldr.COUNTRIES[lang]) == set(cldr.COUNTRIES["en"])


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_lists_are_written_as_babel_writes_them(lang: str,
                                                language: Callable[[str], None]) -> None:
    from babel.lists import format_list

    language(lang)
    names = ["Aarhus", "Kortrijk", "Leeuwarden, Fryslân", "Ålesund", "Växjö"]
    for style in ("standard", "or"):
        for count in range(len(names) + 1):
            expected = format_list(names[:count], style=style, locale=lang)
            assert cldr.format_list(names[:count], style, lang) == expected
            assert i18n.format_list(names[:count], style) == expected
    assert cldr.format_list(names, "standard-short", "en_GB") is None
