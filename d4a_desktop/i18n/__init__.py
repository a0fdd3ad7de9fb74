"""Languages, gettext domains and locale formatting, Qt-free.

Two domains: ``ui`` for the program's own words and ``content`` for the roadmap text.
Interface strings are marked with ``_`` (or ``N_`` where they must be translated later,
at use), formatted with named placeholders after translation:
``_("Opened {name}").format(name=...)``. Dates, numbers and percentages go through babel
for the active locale.
"""

from __future__ import annotations

import datetime as _dt
import gettext
import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from d4a_desktop import paths
from d4a_desktop.i18n import catalogs, cldr

#: The seven partner languages, each named in itself (never translated).
LANGUAGES: dict[str, str] = {
    "en": "English",
    "nl": "Nederlands",
    "da": "Dansk",
    "de": "Deutsch",
    "fr": "Français",
    "nb": "Norsk bokmål",
    "sv": "Svenska",
}

#: Locales that format like a partner country but share its catalog (Flemish Dutch).
LOCALES: dict[str, str] = {"nl_BE": "nl", "no": "nb", "nn": "nb"}

DEFAULT_LANGUAGE = "en"


@dataclass
class _State:
    """The active language, held in one object that ``set_language`` fills, so that ``_`` and the
    formatters read it on every call: a change of language applies to the next text at once."""

    language: str = DEFAULT_LANGUAGE
    locale: str = DEFAULT_LANGUAGE
    ui: gettext.NullTranslations = field(default_factory=gettext.NullTranslations)
    content: gettext.NullTranslations = field(default_factory=gettext.NullTranslations)


_state = _State()


def normalise(code: str | None) -> tuple[str, str] | None:
    """Map a language or locale code (``da``, ``nl_BE``, ``de_DE.UTF-8``) to
    (catalog language, babel locale), or None when it is not a partner language."""
    if not code:
        return None
    code = code.split(".")[0].split("@")[0].replace("-", "_")
    if code in ("C", "POSIX"):
        return None
    lang, _, region = code.partition("_")
    lang = lang.lower()
    full = f"{lang}_{region.upper()}" if region else lang
    if full in LOCALES:
        return LOCALES[full], full if region else LOCALES[full]
    if lang in LOCALES:
        return LOCALES[lang], LOCALES[lang]
    if lang in LANGUAGES:
        return lang, full if region else lang
    return None


def resolve(requested: str | None = None) -> tuple[str, str]:
    """Choose the language: the explicit request, then the environment, then English."""
    for candidate in (requested, os.environ.get("LANGUAGE", "").split(":")[0],
                      os.environ.get("LC_ALL"), os.environ.get("LC_MESSAGES"),
                      os.environ.get("LANG")):
        found = normalise(candidate)
        if found:
            return found
    return DEFAULT_LANGUAGE, DEFAULT_LANGUAGE


def lang_from_argv(argv: list[str] | tuple[str, ...]) -> str | None:
    """The value of ``--lang`` on a command line, read before the parser runs so that the
    parser's own help and errors are already translated."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def translations(domain: str, lang: str) -> gettext.NullTranslations:
    """One domain's catalog for one language, whatever the active language is (to read
    a spreadsheet whose labels are in another partner language)."""
    if lang == "en":
        return gettext.NullTranslations()
    key = (domain, lang)
    if key not in _loaded:
        _loaded[key] = catalogs.load(domain, lang, compiled_dir=paths.compiled_locale_dir(),
                                     source_dir=paths.translations_source_dir(),
                                     cache_dir=paths.user_cache_dir())
    return _loaded[key]


_loaded: dict[tuple[str, str], gettext.NullTranslations] = {}


def set_language(requested: str | None = None) -> str:
    """Activate a language for both domains; returns the catalog language chosen."""
    lang, locale = resolve(requested)
    _state.language, _state.locale = lang, locale
    _state.ui = translations("ui", lang)
    _state.content = translations("content", lang)
    return lang


def language() -> str:
    return _state.language


def locale() -> str:
    """The babel locale for formatting (``nl_BE`` for a Flemish user, else the language)."""
    return _state.locale


def _(message: str) -> str:
    return _state.ui.gettext(message)


def N_(message: str) -> str:
    """Mark a string for extraction; translate it with ``_`` where it is shown."""
    return message


def NN_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular and plural pair for extraction; translate it with ``ngettext``."""
    return singular, plural


def NP_(context: str, message: str) -> str:
    """Mark a string with a context for extraction; translate it with ``pgettext``."""
    return message


@dataclass(frozen=True)
class Contextual:
    """An interface text that needs its context to be translated right (a team member's
    "Organisation" is not the dimension "Organisation")."""

    context: str
    message: str

    def __str__(self) -> str:
        return pgettext(self.context, self.message)


def P_(context: str, message: str) -> Contextual:
    """Mark a text with a context for extraction, translated when it is shown."""
    return Contextual(context, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _state.ui.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _state.ui.pgettext(context, message)


def join_tags(items: Iterable[str]) -> str:
    """Tags or facts run together on one line ("Technology; Project manager")."""
    # Translators: separates the tags of a checklist item and similar short facts, as in
    # "Technology; Project manager". French puts a narrow no-break space (U+202F) before
    # the semicolon.
    return pgettext("list separator", "; ").join(items)


def join_inline(items: Iterable[str]) -> str:
    """Short values side by side ("Kortrijk · Belgium · Mobility")."""
    # Translators: separates short values shown side by side, such as the choices of a
    # field or a project's municipality and country. Keep the spaces around the dot.
    return pgettext("inline separator", " · ").join(items)


def format_list(items: Iterable[str], style: str = "standard") -> str:
    """Names in a sentence, as the language writes them ("A, B and C"; ``style="or"``
    for alternatives)."""
    names = list(items)
    text = cldr.format_list(names, style, str(_state.locale))
    if text is not None:
        return text
    from babel.lists import format_list as fl

    return fl(names, style=style, locale=_state.locale)  # type: ignore[arg-type]


def labelled(term: str, text: str) -> str:
    """A term and its explanation or value ("DCAT-AP: a standard for …")."""
    # Translators: a term followed by its explanation or value, as in "DCAT-AP: a standard
    # for data catalogues". French puts a no-break space (U+00A0) before the colon.
    return pgettext("term and explanation", "{term}: {text}").format(term=term, text=text)


def content_text(context: str, message: str) -> str:
    """Translate a roadmap text; the context is its stable id and field (``c4.a1|title``)."""
    if not message:
        return message
    return _state.content.pgettext(context, message)


def format_percent(fraction: float) -> str:
    key = (str(_state.locale), fraction)
    text = _PERCENTS.get(key)
    if text is None:
        if len(_PERCENTS) > 4096:
            _PERCENTS.clear()
        text = _PERCENTS[key] = _percent(key[0], fraction)
    return text


def _percent(locale: str, fraction: float) -> str:
    affixes = cldr.PERCENT_AFFIXES.get(locale)
    if affixes is not None and 0 <= fraction <= 1:
        from decimal import Decimal

        # As babel does: the decimal of the float's shortest repr, rounded half to even.
        whole = round(Decimal(str(fraction)).scaleb(2))
        return f"{affixes[0]}{whole}{affixes[1]}"
    from babel.numbers import format_percent as fp

    return fp(fraction, locale=locale)


#: Formatted percentages by (locale, fraction): the navigator shows the same few dozen
#: figures on every repaint.
_PERCENTS: dict[tuple[str, float], str] = {}


def format_number(value: float) -> str:
    point = cldr.DECIMAL_POINTS.get(str(_state.locale))
    if point is not None and type(value) in (int, float) and 0 <= value < 1000:
        # Below a thousand no language groups digits: counts and scores at start need no
        # locale data (a test compares with babel).
        if type(value) is int:
            return str(value)
        from decimal import Decimal

        # babel's default: at most three decimals, rounded half to even, no trailing zeros
        rounded = Decimal(str(value)).quantize(Decimal("0.001"))
        if rounded < 1000:
            return str(rounded).rstrip("0").rstrip(".").replace(".", point)
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_state.locale)


def format_date(value: _dt.date, fmt: str = "medium") -> str:
    text = cldr.format_date(value, fmt, str(_state.locale))
    if text is not None:
        return text
    from babel.dates import format_date as fd

    return fd(value, format=fmt, locale=_state.locale)


def format_datetime(value: _dt.datetime, fmt: str = "medium") -> str:
    from babel.dates import format_datetime as fdt

    return fdt(value, format=fmt, locale=_state.locale)
