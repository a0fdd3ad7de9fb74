"""Why a package, a sync target or an export cannot be used, in words a user understands.

One exception class for the whole exchange: each error carries a translated one-line
message naming the file or address, and a ``kind`` for code that must react to it (the
sync treats ``unreachable`` as "wait quietly", the GUI asks for a password on ``auth``).
Raising one never leaves anything half-written: the user's project and the target folder
are as they were.
"""

from __future__ import annotations

from pathlib import Path

from d4a_desktop.i18n import _


class ExchangeError(Exception):
    """``kind`` names the reason (``not-package``, ``too-new``, ``auth`` …)."""

    def __init__(self, message: str, kind: str = "other", path: Path | str | None = None):
        self.message = message
        self.kind = kind
        self.path = path
        super().__init__(message)


class Cancelled(ExchangeError):
    """The user cancelled a long transfer or export; nothing was left half-done."""

    def __init__(self) -> None:
        super().__init__(_("Cancelled; nothing was changed."), "cancelled")


def package(path: Path | str, reason: str, kind: str = "damaged") -> ExchangeError:
    """A package that cannot be read: the file and the translated reason."""
    return ExchangeError(_("{name} cannot be read as an exchange package: {reason}").format(
        name=Path(path).name, reason=reason), kind, path)
