"""How the seven partner languages write dates and numbers, as CLDR (babel's locale data)
says, for what every start of the program shows.

Importing ``babel.dates`` and loading one locale's data costs a start some 40 ms and
6 MiB, for a dozen dates and percentages on the dashboard and the navigator. The few facts
those need are kept here; anything else (another format, a regional locale such as
``nl_BE``, large numbers) still goes through babel. ``tests/i18n/test_cldr.py`` compares
every entry with babel's own output, so a babel upgrade that changes one fails a test.
"""

from __future__ import annotations

import datetime as dt
import re

#: Date patterns by language and babel format name.
DATE_PATTERNS: dict[str, dict[str, str]] = {
    "en": {"short": "M/d/yy", "medium": "MMM d, y", "long": "MMMM d, y",
           "full": "EEEE, MMMM d, y"},
    "nl": {"short": "dd-MM-y", "medium": "d MMM y", "long": "d MMMM y",
           "full": "EEEE d MMMM y"},
    "da": {"short": "dd.MM.y", "medium": "d. MMM y", "long": "d. MMMM y",
           "full": "EEEE 'den' d. MMMM y"},
    "de": {"short": "dd.MM.yy", "medium": "dd.MM.y", "long": "d. MMMM y",
           "full": "EEEE, d. MMMM y"},
    "fr": {"short": "dd/MM/y", "medium": "d MMM y", "long": "d MMMM y",
           "full": "EEEE d MMMM y"},
    "nb": {"short": "dd.MM.y", "medium": "d. MMM y", "long": "d. MMMM y",
           "full": "EEEE d. MMMM y"},
    "sv": {"short": "y-MM-dd", "medium": "d MMM y", "long": "d MMMM y",
           "full": "EEEE d MMMM y"},
}

#: Month names by language: abbreviated (``MMM``) and wide (``MMMM``), as used in dates.
MONTHS: dict[str, dict[str, tuple[str, ...]]] = {
    lang: {"MMM": tuple(short.split()), "MMMM": tuple(wide.split())}
    for lang, short, wide in (
        ("en", "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
         "January February March April May June July August September October November "
         "December"),
        ("nl", "jan feb mrt apr mei jun jul aug sep okt nov dec",
         "januari februari maart april mei juni juli augustus september oktober november "
         "december"),
        ("da", "jan. feb. mar. apr. maj jun. jul. aug. sep. okt. nov. dec.",
         "januar februar marts april maj juni juli august september oktober november "
         "december"),
        ("de", "Jan. Feb. März Apr. Mai Juni Juli Aug. Sept. Okt. Nov. Dez.",
         "Januar Februar März April Mai Juni Juli August September Oktober November "
         "Dezember"),
        ("fr", "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.",
         "janvier février mars avril mai juin juillet août septembre octobre novembre "
         "décembre"),
        ("nb", "jan. feb. mars apr. mai juni juli aug. sep. okt. nov. des.",
         "januar februar mars april mai juni juli august september oktober november "
         "desember"),
        ("sv", "jan. feb. mars apr. maj juni juli aug. sep. okt. nov. dec.",
         "januari februari mars april maj juni juli augusti september oktober november "
         "december"),
    )
}

def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


#: Weekday names by language, Monday first, as used in dates (``EEEE``).
WEEKDAYS: dict[str, tuple[str, ...]] = {
    "en": _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday"),
    "nl": _words("maandag dinsdag woensdag donderdag vrijdag zaterdag zondag"),
    "da": _words("mandag tirsdag onsdag torsdag fredag lørdag søndag"),
    "de": _words("Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag"),
    "fr": _words("lundi mardi mercredi jeudi vendredi samedi dimanche"),
    "nb": _words("mandag tirsdag onsdag torsdag fredag lørdag søndag"),
    "sv": _words("måndag tisdag onsdag torsdag fredag lördag söndag"),
}

#: The names of the partner countries (the North Sea region's), by language.
COUNTRIES: dict[str, dict[str, str]] = {
    "en": {"BE": "Belgium", "DK": "Denmark", "DE": "Germany", "FR": "France",
           "NL": "Netherlands", "NO": "Norway", "SE": "Sweden"},
    "nl": {"BE": "België", "DK": "Denemarken", "DE": "Duitsland", "FR": "Frankrijk",
           "NL": "Nederland", "NO": "Noorwegen", "SE": "Zweden"},
    "da": {"BE": "Belgien", "DK": "Danmark", "DE": "Tyskland", "FR": "Frankrig",
           "NL": "Nederlandene", "NO": "Norge", "SE": "Sverige"},
    "de": {"BE": "Belgien", "DK": "Dänemark", "DE": "Deutschland", "FR": "Frankreich",
           "NL": "Niederlande", "NO": "Norwegen", "SE": "Schweden"},
    "fr": {"BE": "Belgique", "DK": "Danemark", "DE": "Allemagne", "FR": "France",
           "NL": "Pays-Bas", "NO": "Norvège", "SE": "Suède"},
    "nb": {"BE": "Belgia", "DK": "Danmark", "DE": "Tyskland", "FR": "Frankrike",
           "NL": "Nederland", "NO": "Norge", "SE": "Sverige"},
    "sv": {"BE": "Belgien", "DK": "Danmark", "DE": "Tyskland", "FR": "Frankrike",
           "NL": "Nederländerna", "NO": "Norge", "SE": "Sverige"},
}

#: How a list of names reads, by language and babel style: the pattern joining two names,
#: and the one joining the last name to the rest ("A, B and C"); other names join with ", ".
LIST_PATTERNS: dict[str, dict[str, tuple[str, str]]] = {
    "en": {"standard": ("{0} and {1}", "{0}, and {1}"), "or": ("{0} or {1}", "{0}, or {1}")},
    "nl": {"standard": ("{0} en {1}", "{0} en {1}"), "or": ("{0} of {1}", "{0} of {1}")},
    "da": {"standard": ("{0} og {1}", "{0} og {1}"),
           "or": ("{0} eller {1}", "{0} eller {1}")},
    "de": {"standard": ("{0} und {1}", "{0} und {1}"),
           "or": ("{0} oder {1}", "{0} oder {1}")},
    "fr": {"standard": ("{0} et {1}", "{0} et {1}"), "or": ("{0} ou {1}", "{0} ou {1}")},
    "nb": {"standard": ("{0} og {1}", "{0} og {1}"),
           "or": ("{0} eller {1}", "{0} eller {1}")},
    "sv": {"standard": ("{0} och {1}", "{0} och {1}"),
           "or": ("{0} eller {1}", "{0} eller {1}")},
}

#: The text before and after a whole percentage from 0 to 100 (no digit grouping needed).
PERCENT_AFFIXES: dict[str, tuple[str, str]] = {
    "en": ("", "%"), "nl": ("", "%"), "da": ("", "\u00a0%"), "de": ("", "\u00a0%"),
    "fr": ("", "\u00a0%"), "nb": ("", "\u00a0%"), "sv": ("", "\u00a0%"),
}

#: The decimal sign (numbers below a thousand need no group separator).
DECIMAL_POINTS: dict[str, str] = {
    "en": ".", "nl": ",", "da": ",", "de": ",", "fr": ",", "nb": ",", "sv": ",",
}

_FIELD = re.compile(r"'[^']*'|EEEE|d{1,2}|M{1,4}|y{1,2}|[^dMyE']+|.")


def format_date(value: dt.date, fmt: str, locale: str) -> str | None:
    """The date as babel writes it, or None when this table does not know the locale or
    the format (the caller asks babel)."""
    pattern = DATE_PATTERNS.get(locale, {}).get(fmt)
    if pattern is None:
        return None
    out = []
    for field in _FIELD.findall(pattern):
        if field.startswith("'"):
            out.append(field[1:-1] if len(field) > 2 else "'")
        elif field == "EEEE":
            out.append(WEEKDAYS[locale][value.weekday()])
        elif field == "d":
            out.append(str(value.day))
        elif field == "dd":
            out.append(f"{value.day:02d}")
        elif field == "M":
            out.append(str(value.month))
        elif field == "MM":
            out.append(f"{value.month:02d}")
        elif field in ("MMM", "MMMM"):
            out.append(MONTHS[locale][field][value.month - 1])
        elif field == "y":
            out.append(str(value.year))
        elif field == "yy":
            out.append(f"{value.year % 100:02d}")
        elif field[0] in "dMyE'":
            return None
        else:
            out.append(field)
    return "".join(out)


def format_list(items: list[str], style: str, locale: str) -> str | None:
    """The names as one phrase, as babel writes them; None when the table does not know
    the locale or the style."""
    patterns = LIST_PATTERNS.get(locale, {}).get(style)
    if patterns is None:
        return None
    two, last = patterns
    if len(items) < 2:
        return items[0] if items else ""
    if len(items) == 2:
        return two.format(*items)
    return last.format(", ".join(items[:-1]), items[-1])
