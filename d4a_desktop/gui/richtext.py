"""Escaping text for Qt's rich text (labels, tooltips, item text with markup).

The same as ``html.escape``: the ``html`` package loads its table of 2,200 named
character references on import, 9 million instructions of every start, to escape five
characters.
"""

from __future__ import annotations


def escape(text: str, quote: bool = True) -> str:
    """``text`` with ``& < >`` (and with ``quote``, ``" '``) written as character
    references, as ``html.escape`` writes them, so it shows as typed inside markup (and
    attribute values)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if quote:
        text = text.replace('"', "&quot;").replace("'", "&#x27;")
    return text
