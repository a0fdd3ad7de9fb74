"""Alphabetical order as each of the seven languages writes it, Qt-free.

Python's own ``locale.strxfrm`` depends on which system locales are installed (often only
C.UTF-8), and PyICU is not available, so the program carries the few rules its languages
need. They follow the CLDR collation of each language at the level a list of names needs:

- Accents do not change a letter's place (Éthiopie sorts with the E's), they only break
  ties (Cote before Côte); case breaks the remaining ties, lower case first.
- German sorts ä, ö, ü as a, o, u and ß as ss.
- Danish and Norwegian put Æ, Ø, Å after Z, in that order; Ä sorts as Æ, Ö as Ø, Ü as Y.
- Swedish puts Å, Ä, Ö after Z, in that order; Æ sorts as Ä, Ø as Ö, Ü as Y.

Stripping accents is therefore right for French or German and wrong for the Nordic
languages, where Å, Æ, Ä, Ø and Ö are letters of their own. Not covered: the Danish and
Norwegian reading of "aa" as "å" in names (Aalborg), which CLDR applies but which would
misplace foreign words.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

#: Letters placed after z, as (letter, rank after z); equal ranks sort as one letter.
_AFTER_Z: dict[str, dict[str, int]] = {
    "da": {"æ": 1, "ä": 1, "ø": 2, "ö": 2, "ő": 2, "å": 3},
    "nb": {"æ": 1, "ä": 1, "ę": 1, "ø": 2, "ö": 2, "ő": 2, "œ": 2, "å": 3},
    "sv": {"å": 1, "ä": 2, "æ": 2, "ę": 2, "ö": 3, "ø": 3, "ő": 3, "œ": 3, "ô": 3},
}
#: Letters that sort as another letter of the alphabet (Nordic ü = y).
_AS_LETTER: dict[str, dict[str, str]] = {
    "da": {"ü": "y", "ű": "y"},
    "nb": {"ü": "y", "ű": "y"},
    "sv": {"ü": "y", "ű": "y"},
}
#: Letters with no decomposition that sort as plain Latin letters in every language
#: (unless a language places them after z above).
_BASE = {"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ð": "d", "ł": "l", "ħ": "h",
         "ŧ": "t", "ı": "i", "þ": "th"}
_Z = ord("z")


def _language(language: str | None) -> str:
    if language is None:
        from d4a_desktop import i18n

        language = i18n.language()
    return language.split("_")[0].lower()


def sort_key(text: str, language: str | None = None) -> tuple[str, str, str, str]:
    """A key that orders ``text`` as ``language`` (default: the interface language) does.

    Its four levels (letters, accents, case, the text itself) are strings of weights, one
    character a weight: strings compare weight by weight as tuples of numbers would, and
    are made in C, which matters when a register sorts 2,000 titles."""
    if text.isascii():  # the same key as below, without looking at each character
        return text.lower(), "\0" * len(text), text.encode().translate(_ASCII_CASE).decode(), \
            text
    lang = _language(language)
    chars = _CHARS.setdefault(lang, {})
    primary: list[str] = []
    secondary: list[str] = []
    tertiary: list[str] = []
    for char in text:
        known = chars.get(char)
        if known is None:
            weights = _char_key(char, lang)
            known = chars[char] = ("".join(map(chr, weights[0])), chr(weights[1]),
                                   chr(weights[2]))
        primary.append(known[0])
        secondary.append(known[1])
        tertiary.append(known[2])
    return "".join(primary), "".join(secondary), "".join(tertiary), text


#: language → character → its part of the key, worked out once per character.
_CHARS: dict[str, dict[str, tuple[str, str, str]]] = {}
#: The case level of plain ASCII: 1 for a capital, 0 for anything else (a table for
#: ``bytes.translate``, several times faster than ``str.translate`` with a dict).
_ASCII_CASE = bytes(1 if chr(c).isupper() else 0 for c in range(256))


def _char_key(char: str, lang: str) -> tuple[tuple[int, ...], int, int]:
    """One character's primary weights, its secondary (accents) and tertiary (case) weight."""
    after_z = _AFTER_Z.get(lang, {})
    as_letter = _AS_LETTER.get(lang, {})
    lower = char.lower()
    tertiary = 1 if char != lower else 0
    if lower in after_z:
        return (_Z + after_z[lower],), 0, tertiary
    lower = as_letter.get(lower, lower)
    decomposed = unicodedata.normalize("NFKD", lower)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    marks = [ord(c) for c in decomposed if unicodedata.combining(c)]
    variant = 0
    primary: list[int] = []
    for letter in base:
        if letter in _BASE:
            variant = 1
        primary.extend(ord(c) for c in _BASE.get(letter, letter))
    return tuple(primary), sum(marks) + variant, tertiary


def sorted_by_name(items: Iterable[T], name: Callable[[T], str],
                   language: str | None = None) -> list[T]:
    """``items`` in the alphabetical order of their names in ``language``."""
    lang = _language(language)
    return sorted(items, key=lambda item: sort_key(name(item), lang))
