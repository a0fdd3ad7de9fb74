"""Every Markdown text of the roadmap renders cleanly, in every language."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QTextDocument

from d4a_desktop import i18n
from d4a_desktop.services.roadmap import roadmap
from d4a_desktop.services.roadmap_export import tool_markdown


def _render(markdown: str) -> QTextDocument:
    doc = QTextDocument()
    doc.setMarkdown(markdown)
    return doc


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_guidance_summaries_and_worksheets_render(qapp, lang: str) -> None:
    i18n.set_language(lang)
    rm = roadmap()
    texts = [(a.id, a.guidance) for a in rm.activities()]
    texts += [(c.id, c.summary) for c in rm.cases]
    texts += [(t.id, tool_markdown(t)) for t in rm.tools]
    for where, markdown in texts:
        doc = _render(markdown)
        plain = doc.toPlainText()
        assert plain.strip(), where
        assert "**" not in plain, f"{where}: bold markers left as text"
        assert not re.search(r"(^|\s)#{1,6} ", plain), f"{where}: a heading left as text"
        bullets = len(re.findall(r"^\s*- ", markdown, re.M))
        rendered_items = sum(1 for b in _blocks(doc) if b.textList() is not None)
        assert rendered_items >= bullets, f"{where}: {bullets} list items, {rendered_items} shown"


def _blocks(doc: QTextDocument):  # type: ignore[no-untyped-def]
    block = doc.begin()
    while block.isValid():
        yield block
        block = block.next()
