"""argparse's own words ("usage:", "options", its error messages) from the ``ui`` catalog.

argparse looks up its texts through the names ``_`` and ``ngettext`` it imports from the
gettext module, so ``d4a --help`` would stay English whatever ``--lang`` says. ``install``
points those two names at the ``ui`` catalog. The texts below are argparse's own messages,
listed here so that the extractor puts them in the catalog; a test compares the list with
the installed argparse. Messages only a programmer can trigger (conflicting options and the
like) are left out and stay English.
"""

from __future__ import annotations

import argparse

from d4a_desktop import i18n
from d4a_desktop.i18n import N_, NN_

MESSAGES = (
    # Translators: the prefix of the usage line of "d4a --help", from Python's argparse.
    # Keep the trailing space.
    N_("usage: "),
    # Translators: heading of a section of "d4a --help" (Python's argparse), which adds the
    # colon itself; French ends the heading with a no-break space (U+00A0).
    N_("positional arguments"),
    # Translators: heading of a section of "d4a --help" (Python's argparse), which adds the
    # colon itself; French ends the heading with a no-break space (U+00A0).
    N_("options"),
    N_("show this help message and exit"),
    # Translators: argparse error; keep the %(…)s, %s and %r placeholders as they are.
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("one of the arguments %s is required"),
    N_("unexpected option string: %s"),
    N_("can't open '%(filename)s': %(error)s"),
)
PLURALS = (
    NN_("expected %s argument", "expected %s arguments"),
)


def _gettext(message: str) -> str:
    return i18n._(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return i18n.ngettext(singular, plural, n)


def install() -> None:
    """Let argparse speak the active interface language (idempotent)."""
    setattr(argparse, "_", _gettext)  # noqa: B010 - argparse reads these module names
    setattr(argparse, "ngettext", _ngettext)  # noqa: B010
