"""Alphabetical order per language: accents follow their letter in French and German, the
Nordic letters come after Z in Danish, Norwegian and Swedish, each in its own order."""

from __future__ import annotations

import pytest
from babel import Locale

from d4a_desktop import i18n
from d4a_desktop.i18n.collation import sort_key, sorted_by_name


def ordered(language: str, *names: str) -> list[str]:
    return sorted(names, key=lambda name: sort_key(name, language))


def test_french_sorts_accented_capitals_with_their_letter() -> None:
    assert ordered("fr", "Zimbabwe", "Éthiopie", "États-Unis", "Espagne", "Égypte", "Eswatini") \
        == ["Égypte", "Espagne", "Eswatini", "États-Unis", "Éthiopie", "Zimbabwe"]


def test_german_sorts_umlauts_as_their_base_letter() -> None:
    assert ordered("de", "Zypern", "Österreich", "Oman", "Pakistan", "Ägypten", "Afghanistan",
                   "Albanien", "Überseegebiete", "Uganda", "Usbekistan") == [
        "Afghanistan", "Ägypten", "Albanien", "Oman", "Österreich", "Pakistan",
        "Überseegebiete", "Uganda", "Usbekistan", "Zypern"]
    assert ordered("de", "Straße", "Strassburg", "Strasse") == ["Strassburg", "Strasse", "Straße"]


@pytest.mark.parametrize("language", ["da", "nb"])
def test_danish_and_norwegian_put_ae_oe_aa_after_z(language: str) -> None:
    assert ordered(language, "Åland", "Østrig", "Ærø", "Zimbabwe", "Algeriet", "Oman") == [
        "Algeriet", "Oman", "Zimbabwe", "Ærø", "Østrig", "Åland"]
    # Ä sorts as Æ, Ö as Ø, Ü as Y.
    assert ordered(language, "Øst", "Öst", "Ærø", "Äbc", "Åb") == ["Äbc", "Ærø", "Öst", "Øst", "Åb"]
    assert ordered(language, "Myz", "Müa", "Mxa") == ["Mxa", "Müa", "Myz"]


def test_swedish_puts_aa_ae_oe_after_z_in_its_own_order() -> None:
    assert ordered("sv", "Österrike", "Zimbabwe", "Åland", "Ägypten", "Algeriet", "Oman") == [
        "Algeriet", "Oman", "Zimbabwe", "Åland", "Ägypten", "Österrike"]
    # Æ sorts as Ä, Ø as Ö: the Danish and Norwegian letters join the Swedish ones.
    assert ordered("sv", "Øst", "Ärø", "Æbc", "Åb", "Öst") == ["Åb", "Æbc", "Ärø", "Öst", "Øst"]


def test_stripping_accents_would_be_wrong_for_the_nordic_languages() -> None:
    names = ["Åland", "Algeriet", "Zimbabwe"]
    assert ordered("fr", *names) == ["Åland", "Algeriet", "Zimbabwe"]  # Å is an A in French
    for language in ("da", "nb", "sv"):
        assert ordered(language, *names)[-1] == "Åland"


def test_accents_and_case_only_break_ties() -> None:
    assert ordered("fr", "côte", "Cote", "cote", "Côte", "coter") == [
        "cote", "Cote", "côte", "Côte", "coter"]
    assert ordered("en", "b", "A", "a", "B") == ["a", "A", "b", "B"]


@pytest.mark.parametrize("language", list(i18n.LANGUAGES))
def test_every_country_name_gets_a_place(language: str) -> None:
    names = [str(n) for code, n in Locale.parse(language).territories.items()
             if len(code) == 2 and code.isalpha()]
    result = sorted_by_name(names, lambda name: name, language)
    assert sorted(result) == sorted(names)
    assert len({sort_key(n, language) for n in names}) == len(names)  # a strict order


def test_the_interface_language_is_the_default() -> None:
    i18n.set_language("sv")
    assert sorted(["Åland", "Zimbabwe"], key=sort_key) == ["Zimbabwe", "Åland"]
    i18n.set_language("fr")
    assert sorted(["Zimbabwe", "Åland"], key=sort_key) == ["Åland", "Zimbabwe"]


@pytest.mark.parametrize("language", ["en", "da", "de", "sv"])
def test_plain_ascii_takes_a_shortcut_to_the_same_key(language: str) -> None:
    """Names in plain ASCII get their key computed in C; it must equal the full rule's key,
    or lists mixing "Aalborg" and "Århus" would sort wrongly."""
    from d4a_desktop.i18n import collation

    names = ["Dataset 0001", "dataset 0001", "DATASET", "", "a-b c", "Zebra", "zebra!", "Mc Q"]
    for name in names:
        expected = (name.lower(), "\0" * len(name),
                    "".join("\1" if c != c.lower() else "\0" for c in name), name)
        assert collation.sort_key(name, language) == expected
        # the general rule, character by character, gives the same
        general = [collation._char_key(c, language) for c in name]
        assert expected[:3] == ("".join(chr(w) for g in general for w in g[0]),
                                "".join(chr(g[1]) for g in general),
                                "".join(chr(g[2]) for g in general))
        # and so does the general path itself, for the name with one accent added
        accented = collation.sort_key(name + "é", language)
        assert accented[0] == expected[0] + "e" and accented[3] == name + "é"
