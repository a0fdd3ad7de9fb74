"""Refresh the translation templates and catalogs (a developer tool).

    python -m d4a_desktop.i18n.extract

writes ``translations/ui/messages.pot`` from the source code (babel's Python extractor,
configured in pyproject.toml) and ``translations/content/content.pot`` from the roadmap
sources, then merges both into every language's ``.po`` file, keeping what translators
have done and marking changed English texts fuzzy so they are reviewed.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from d4a_desktop import __version__
from d4a_desktop.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
TARGET_LANGUAGES = [code for code in LANGUAGES if code != "en"]
#: A fixed template date and no line numbers in references: refreshing the catalogs then
#: changes only the entries that changed, so parallel branches merge without conflicts.
TEMPLATE_DATE = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)


def _content_template() -> Catalog:
    from d4a_desktop.core.content import load_roadmap, messages

    roadmap = load_roadmap(ROOT / "resources" / "roadmap")
    catalog = Catalog(project="D4A Roadmap Desktop (roadmap content)", version=roadmap.version,
                      msgid_bugs_address="", copyright_holder="D4A Roadmap Desktop developers",
                      charset="utf-8", creation_date=TEMPLATE_DATE)
    notes = {f"note:{n.id}|text": n for n in roadmap.country_notes()}
    for context, text in messages(roadmap):
        field = context.rsplit("|", 1)[1]
        comments = ["Markdown: keep **bold**, lists and blank lines."] if field in (
            "guidance", "summary") else []
        if context in notes:
            comments = [f"A note for projects in {notes[context].country}, checked against "
                        f"{notes[context].source} . Keep the official names of "
                        "authorities, portals and laws; add the name in your language in "
                        "parentheses where it helps."]
        catalog.add(text, context=context, auto_comments=comments)
    return catalog


def _ui_template() -> Catalog:
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(project="D4A Roadmap Desktop", version=__version__, msgid_bugs_address="",
                      copyright_holder="D4A Roadmap Desktop developers", charset="utf-8",
                      creation_date=TEMPLATE_DATE)
    keywords = {"_": None, "N_": None, "NP_": ((1, "c"), 2), "P_": ((1, "c"), 2),
                "NN_": (1, 2), "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
                "npgettext": ((1, "c"), 2, 3)}
    method_map = [("d4a_desktop/**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
            ROOT, method_map=method_map, keywords=keywords,
            comment_tags=("Translators:",), strip_comment_tags=True):
        if filename.startswith("d4a_desktop/i18n/extract"):
            continue
        catalog.add(message, locations=[(filename, lineno)], auto_comments=comments,
                    context=context)
    return catalog


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, sort_output=False, omit_header=False,
                 include_lineno=False)


def _merge(template: Catalog, po_path: Path, lang: str) -> None:
    if po_path.exists():
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        catalog.update(template, no_fuzzy_matching=False)
        catalog.obsolete.clear()
    else:
        catalog = Catalog(locale=lang, project=template.project, version=template.version,
                          copyright_holder="D4A Roadmap Desktop developers",
                          msgid_bugs_address="", charset="utf-8", fuzzy=False)
        catalog.update(template)
    _write(catalog, po_path)


def main(argv: list[str] | None = None) -> int:
    """Refresh both domains, or only those named (``ui``, ``content``)."""
    wanted = set(argv if argv is not None else sys.argv[1:]) or {"ui", "content"}
    builders = {"ui": (_ui_template, "messages.pot"),
                "content": (_content_template, "content.pot")}
    for domain in ("ui", "content"):
        if domain not in wanted:
            continue
        make, pot_name = builders[domain]
        template = make()
        _write(template, TRANSLATIONS / domain / pot_name)
        for lang in TARGET_LANGUAGES:
            _merge(template, TRANSLATIONS / domain / f"{lang}.po", lang)
        print(f"{domain}: {len(template)} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
