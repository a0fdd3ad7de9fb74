"""A translatable text inside an f-string never reaches the catalogs: the extraction does
not look inside f-strings, so the text would stay English in every language."""

from __future__ import annotations

import ast
from pathlib import Path

import d4a_desktop

_MARKERS = {"_", "N_", "ngettext", "pgettext", "NP_"}


def _calls_inside_fstrings(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) \
                        and inner.func.id in _MARKERS and inner.args \
                        and isinstance(inner.args[0], ast.Constant):
                    lines.append(inner.lineno)
    return lines


def test_no_literal_translation_inside_an_fstring() -> None:
    root = Path(d4a_desktop.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        found += [f"{path.relative_to(root)}:{line}" for line in _calls_inside_fstrings(tree)]
    assert found == []


def test_the_check_sees_one() -> None:
    assert _calls_inside_fstrings(ast.parse("x = f\"<b>{_('Ranking')}</b>\"")) == [1]
    assert _calls_inside_fstrings(ast.parse("x = f\"<b>{_(RANKING)}</b>\"")) == []
