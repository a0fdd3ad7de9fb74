"""Every catalog is complete, well-formed and current in all six translated languages.

Fails on: a syntax error, a fuzzy or empty entry, a placeholder or accelerator that differs
from the English, Markdown whose structure differs, a text left identical to the English
(unless it is a proper noun, or listed for that language in ``same-as-english/``: words
such as "Dimension" or "Status" that are right as they are), and a catalog that lacks a
string the code or the roadmap now has (run ``python -m d4a_desktop.i18n.extract``).
"""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from d4a_desktop.i18n import LANGUAGES, extract

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
TARGETS = [code for code in LANGUAGES if code != "en"]
DOMAINS = ("ui", "content")
PLACEHOLDER = re.compile(r"\{\w*\}")
#: %-style placeholders, in the messages Python's argparse formats itself.
PERCENT = re.compile(r"%(?:\(\w+\))?[sdr]")


def _lines(path: Path) -> set[str]:
    return {line.strip() for line in path.read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")}


PROPER_NOUNS = _lines(TRANSLATIONS / "proper-nouns.txt")


def _same_as_english(lang: str) -> set[str]:
    return PROPER_NOUNS | _lines(TRANSLATIONS / "same-as-english" / f"{lang}.txt")


def _has_words(text: str) -> bool:
    """False for texts that are only placeholders and punctuation (``{name}: {reason}``)."""
    return bool(re.search(r"[^\W\d_]", PLACEHOLDER.sub("", text)))


def _load(domain: str, lang: str) -> Catalog:
    path = TRANSLATIONS / domain / f"{lang}.po"
    with path.open("rb") as fh:
        return read_po(fh, locale=lang, abort_invalid=True)


def _messages(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


def _forms(message: Message) -> tuple[tuple[str, ...], tuple[str, ...]]:
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return ids, strings


@pytest.fixture(scope="module")
def templates() -> dict[str, Catalog]:
    return {"ui": extract._ui_template(), "content": extract._content_template()}


@pytest.mark.parametrize("lang", TARGETS)
@pytest.mark.parametrize("domain", DOMAINS)
def test_catalog_is_complete_and_well_formed(domain: str, lang: str) -> None:
    catalog = _load(domain, lang)
    assert not catalog.fuzzy, "the header is marked fuzzy"
    assert str(catalog.locale) == lang
    problems = []
    allowed = _same_as_english(lang)
    for message in _messages(catalog):
        ids, strings = _forms(message)
        where = f"{message.context or ''}|{ids[0][:50]}"
        if message.fuzzy:
            problems.append(f"fuzzy: {where}")
            continue
        if not all(strings) or len(strings) < (2 if message.pluralizable else 1):
            problems.append(f"untranslated: {where}")
            continue
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        wanted_percent = sorted(PERCENT.findall(ids[-1]))
        for text in strings:
            if set(PLACEHOLDER.findall(text)) != wanted:
                problems.append(f"placeholders differ: {where}")
            if sorted(PERCENT.findall(text)) != wanted_percent:
                problems.append(f"%-placeholders differ: {where}")
            if domain == "ui" and ids[0].replace("&&", "").count("&") != \
                    text.replace("&&", "").count("&"):
                problems.append(f"accelerator differs: {where}")
        english, text = ids[0], strings[0]
        # A standard's name (context ``standard:<id>|name``) is a proper noun.
        proper = english in allowed or (message.context or "").endswith("|name")
        if english == text and not proper and _has_words(english):
            problems.append(f"identical to English (list it in same-as-english/{lang}.txt "
                            f"if that is right): {where}")
        if domain == "content":
            if text.count("**") != english.count("**"):
                problems.append(f"bold markers differ: {where}")
            bullets = len(re.findall(r"^\s*- ", english, re.M))
            if len(re.findall(r"^\s*- ", text, re.M)) != bullets:
                problems.append(f"list items differ: {where}")
            if english.count("\n\n") != text.count("\n\n"):
                problems.append(f"paragraphs differ: {where}")
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("lang", TARGETS)
@pytest.mark.parametrize("domain", DOMAINS)
def test_catalog_is_current(domain: str, lang: str, templates: dict[str, Catalog]) -> None:
    have = {(m.context, m.id) for m in _messages(_load(domain, lang))}
    want = {(m.context, m.id) for m in _messages(templates[domain])}
    missing = sorted(str(k) for k in want - have)
    stale = sorted(str(k) for k in have - want)
    assert not missing, f"not in {domain}/{lang}.po (run the extractor): {missing[:10]}"
    assert not stale, f"no longer used in {domain}/{lang}.po: {stale[:10]}"


@pytest.mark.parametrize("lang", TARGETS)
@pytest.mark.parametrize("domain", DOMAINS)
def test_catalog_compiles_and_loads(domain: str, lang: str) -> None:
    buffer = io.BytesIO()
    write_mo(buffer, _load(domain, lang), use_fuzzy=False)
    buffer.seek(0)
    translations = gettext.GNUTranslations(buffer)
    assert translations.info()["language"] == lang


@pytest.mark.parametrize("lang", TARGETS)
def test_same_as_english_lists_name_only_current_texts(lang: str,
                                                        templates: dict[str, Catalog]) -> None:
    """An allow-list entry that no longer matches any English text is stale."""
    english = {m.id if isinstance(m.id, str) else m.id[0]
               for t in templates.values() for m in _messages(t)}
    stale = _lines(TRANSLATIONS / "same-as-english" / f"{lang}.txt") - english
    assert not stale, f"same-as-english/{lang}.txt lists texts nobody uses: {sorted(stale)}"


def test_glossaries_exist_for_every_language() -> None:
    for lang in TARGETS:
        text = (TRANSLATIONS / "glossary" / f"{lang}.md").read_text("utf-8")
        rows = [line for line in text.splitlines() if line.startswith("|")]
        assert len(rows) >= 20, f"glossary {lang} has only {len(rows)} rows"
