"""Escaping for rich text writes what ``html.escape`` writes."""

from __future__ import annotations

import html

import pytest

from d4a_desktop.gui.richtext import escape


@pytest.mark.parametrize("text", [
    "", "plain", "Tom & Jerry <b>bold</b>", 'say "hi" & it\'s <fine>', "&amp; already",
    "ĳssel · Ærø · Göteborg ☐ ☑", "<script>alert('x')</script>", "a\u202fb\nc\td",
    "&&<<>>\"\"''"])
def test_escape_is_html_escape(text: str) -> None:
    assert escape(text) == html.escape(text)
    assert escape(text, quote=False) == html.escape(text, quote=False)
