"""Language choice, catalog loading and locale formatting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from d4a_desktop import i18n
from d4a_desktop.i18n import catalogs


@pytest.mark.parametrize(("code", "expected"), [
    ("da", ("da", "da")),
    ("nl_BE", ("nl", "nl_BE")),
    ("nl-BE", ("nl", "nl_BE")),
    ("de_DE.UTF-8", ("de", "de_DE")),
    ("no", ("nb", "nb")),
    ("nn_NO", ("nb", "nb")),
    ("sv_SE@euro", ("sv", "sv_SE")),
    ("C", None),
    ("C.UTF-8", None),
    ("xx", None),
    ("", None),
])
def test_normalise(code: str, expected: tuple[str, str] | None) -> None:
    assert i18n.normalise(code) == expected


def test_resolve_prefers_request_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert i18n.resolve(None) == ("fr", "fr_FR")
    assert i18n.resolve("sv") == ("sv", "sv")
    monkeypatch.setenv("LANGUAGE", "da:en")
    assert i18n.resolve(None) == ("da", "da")
    monkeypatch.setenv("LANGUAGE", "")
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert i18n.resolve(None) == ("en", "en")


def test_formatting_follows_the_locale() -> None:
    day = dt.date(2027, 3, 1)
    i18n.set_language("de")
    assert i18n.format_date(day) == "01.03.2027"
    assert i18n.format_percent(0.5) == "50\xa0%"
    i18n.set_language("fr")
    assert i18n.format_number(12345.5) == "12\u202f345,5"
    i18n.set_language("nl_BE")
    assert i18n.locale() == "nl_BE" and i18n.language() == "nl"
    assert i18n.format_date(day, "long") == "1 maart 2027"
    i18n.set_language("en")
    assert i18n.format_percent(0.355) == "36%"


@pytest.mark.parametrize("lang", [c for c in i18n.LANGUAGES if c != "en"])
def test_each_language_translates_both_domains(lang: str) -> None:
    i18n.set_language(lang)
    assert i18n._("Overall progress") != "Overall progress"
    assert i18n.content_text("c4.a2|title", "Select technology") != "Select technology"


def test_unknown_content_falls_back_to_english() -> None:
    i18n.set_language("da")
    assert i18n.content_text("c99.a1|title", "Not in any catalog") == "Not in any catalog"
    assert i18n.content_text("c1|title", "") == ""


def test_source_catalogs_compile_once_into_the_cache(tmp_path: Path) -> None:
    source = tmp_path / "translations"
    (source / "ui").mkdir(parents=True)
    po = source / "ui" / "da.po"
    po.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=utf-8\\n"\n\n'
                  'msgid "Hello"\nmsgstr "Hej"\n', encoding="utf-8")
    cache = tmp_path / "cache"
    first = catalogs.load("ui", "da", compiled_dir=None, source_dir=source, cache_dir=cache)
    assert first.gettext("Hello") == "Hej"
    compiled = list((cache / "locale").glob("ui-da-*.mo"))
    assert len(compiled) == 1
    stamp = compiled[0].stat().st_mtime_ns
    catalogs.load("ui", "da", compiled_dir=None, source_dir=source, cache_dir=cache)
    assert compiled[0].stat().st_mtime_ns == stamp
    po.write_text(po.read_text("utf-8").replace("Hej", "Goddag"), encoding="utf-8")
    again = catalogs.load("ui", "da", compiled_dir=None, source_dir=source, cache_dir=cache)
    assert again.gettext("Hello") == "Goddag"
    assert len(list((cache / "locale").glob("ui-da-*.mo"))) == 1


def test_compiled_catalogs_win_over_sources(tmp_path: Path) -> None:
    source = tmp_path / "translations"
    (source / "ui").mkdir(parents=True)
    (source / "ui" / "sv.po").write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Hello"\nmsgstr "Hej"\n', encoding="utf-8")
    locale_dir = tmp_path / "locale"
    written = catalogs.compile_tree(source, locale_dir)
    assert written == [locale_dir / "sv" / "LC_MESSAGES" / "ui.mo"]
    loaded = catalogs.load("ui", "sv", compiled_dir=locale_dir, source_dir=None,
                           cache_dir=tmp_path / "cache")
    assert loaded.gettext("Hello") == "Hej"
    missing = catalogs.load("ui", "fr", compiled_dir=locale_dir, source_dir=None,
                            cache_dir=tmp_path / "cache")
    assert missing.gettext("Hello") == "Hello"
