"""Text for reportlab paragraphs: escaping, cutting, and the little Markdown the content uses.

Paragraph text is reportlab's mini-markup, so every text from the roadmap or from a user is
escaped first; a note that contains ``<b>`` prints as typed. Roadmap help texts use a small
part of Markdown (paragraphs, ``- `` bullets, ``**bold**`` and ``*italic*``), which becomes
paragraphs and bullets here.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

#: Longest text printed from a single user field; longer ones are cut with a visible mark.
MAX_FIELD = 4000

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", re.S)
_CODE = re.compile(r"`([^`]+)`")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def text(value: str) -> str:
    """Plain text, escaped for a paragraph."""
    return escape(value)


def cut(value: str, limit: int = MAX_FIELD) -> str:
    """``value`` shortened to ``limit`` characters, ending in an ellipsis when cut."""
    value = value.strip()
    if len(value) <= limit:
        return value
    return value[: limit - 1].rstrip() + "…"


def inline(value: str) -> str:
    """One line of Markdown (bold, italic, code, links) as paragraph markup."""
    out = escape(value)
    if "*" not in out and "`" not in out and "[" not in out:
        return out
    out = _LINK.sub(r"\1", out)
    out = _BOLD.sub(r"<b>\1</b>", out)
    out = _ITALIC.sub(r"<i>\1</i>", out)
    return _CODE.sub(r"\1", out)


def blocks(value: str) -> list[tuple[str, str]]:
    """Markdown paragraphs and bullets as ``("p" | "li", markup)`` in reading order."""
    result: list[tuple[str, str]] = []
    lines: list[str] = []
    kind = "p"

    def flush() -> None:
        if lines:
            result.append((kind, inline(" ".join(lines))))
        lines.clear()

    for raw in value.strip().splitlines():
        line = raw.strip()
        if not line:
            flush()
            kind = "p"
        elif line.startswith(("- ", "* ")):
            flush()
            kind = "li"
            lines.append(line[2:].strip())
        else:
            lines.append(line)
    flush()
    return result


def plain(markup: str) -> str:
    """Paragraph markup back to the text a reader sees (for tests and the benchmark)."""
    from xml.sax.saxutils import unescape

    return unescape(re.sub(r"<[^>]+>", "", markup))
