"""argparse's own texts come from the ui catalog, and the list of them matches argparse."""

from __future__ import annotations

import argparse
import ast
import inspect

import pytest

from d4a_desktop import i18n
from d4a_desktop.i18n import argparse_text

#: argparse messages only a programmer can trigger (a broken parser definition): not listed.
DEVELOPER_ONLY = {
    ".__call__() not defined", "conflicting subparser: %s", "conflicting subparser alias: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)", 'argument "-" with mode %r',
    "cannot merge actions - two groups are named %r",
    "'required' is an invalid argument for positionals",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    "dest= is required for options like %r", "invalid conflict_resolution value: %r",
    "mutually exclusive arguments must be optional", "cannot have multiple subparser arguments",
    "%r is not callable", "conflicting option string: %s", "conflicting option strings: %s",
}


def _argparse_messages() -> tuple[set[str], set[tuple[str, str]]]:
    """Every literal message the installed argparse passes to ``_`` and ``ngettext``."""
    singles: set[str] = set()
    plurals: set[tuple[str, str]] = set()
    for node in ast.walk(ast.parse(inspect.getsource(argparse))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        args = [a.value for a in node.args if isinstance(a, ast.Constant)]
        if node.func.id == "_" and args:
            singles.add(args[0])
        elif node.func.id == "ngettext" and len(args) >= 2:
            plurals.add((args[0], args[1]))
    return singles, plurals


def test_the_list_matches_the_installed_argparse() -> None:
    singles, plurals = _argparse_messages()
    assert set(argparse_text.MESSAGES) == singles - DEVELOPER_ONLY
    assert set(argparse_text.PLURALS) == {p for p in plurals
                                          if not set(p) & DEVELOPER_ONLY}


@pytest.mark.parametrize("lang", [code for code in i18n.LANGUAGES if code != "en"])
def test_installed_argparse_speaks_the_interface_language(lang: str) -> None:
    argparse_text.install()
    i18n.set_language(lang)
    parser = argparse.ArgumentParser(prog="x")
    parser.add_argument("file")
    text = parser.format_help()
    assert "usage:" not in text and "positional arguments" not in text
    assert "show this help message and exit" not in text
    assert text.startswith(i18n._("usage: "))
    i18n.set_language("en")
    assert argparse.ArgumentParser(prog="x").format_help().startswith("usage: ")
