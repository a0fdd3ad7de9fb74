"""Typed settings with their defaults in one place.

Every preference the program keeps goes through :class:`Settings`; nothing else calls
QSettings. Values are validated on read, so a damaged or hand-edited settings file falls
back to defaults instead of breaking the program.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from d4a_desktop import i18n

MAX_RECENT = 10
#: Files remembered for one-time notices; the oldest are forgotten first.
MAX_NOTICES = 200


class Settings:
    def __init__(self, store: QSettings | None = None):
        if store is None:
            override = os.environ.get("D4A_HOME")
            store = (QSettings(str(Path(override) / "settings.ini"), QSettings.Format.IniFormat)
                     if override else QSettings("D4A", "D4A Roadmap Desktop"))
        self._s = store

    def sync(self) -> None:
        self._s.sync()

    def _set(self, key: str, value: object) -> None:
        """Store ``value`` unless it is stored already. QSettings writes its whole file for
        any change (a lock file, a temporary file, two flushes to disk), also for a value
        set again unchanged: a start on the project opened last set four such values and
        wrote the file twice."""
        if self._s.contains(key):
            stored = self._s.value(key)
            # An INI file gives a list of one string back as the string.
            if stored == value or (isinstance(value, list) and len(value) == 1
                                   and isinstance(stored, str) and stored == value[0]):
                return
        self._s.setValue(key, value)

    # --- language and identity -------------------------------------------------------

    @property
    def language(self) -> str:
        """A partner language code, or "" to follow the system."""
        value = self._s.value("ui/language", "")
        return value if isinstance(value, str) and value in i18n.LANGUAGES else ""

    @language.setter
    def language(self, code: str) -> None:
        self._set("ui/language", code if code in i18n.LANGUAGES else "")

    @property
    def author_name(self) -> str:
        """The name recorded with each change; empty means the login name."""
        value = self._s.value("user/name", "")
        return value.strip() if isinstance(value, str) else ""

    @author_name.setter
    def author_name(self, name: str) -> None:
        self._set("user/name", name.strip())

    # --- window --------------------------------------------------------------------------

    @property
    def geometry(self) -> QByteArray | None:
        value = self._s.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._set("window/geometry", value)

    @property
    def splitter_state(self) -> QByteArray | None:
        value = self._s.value("window/splitter")
        return value if isinstance(value, QByteArray) else None

    @splitter_state.setter
    def splitter_state(self, value: QByteArray) -> None:
        self._set("window/splitter", value)

    # --- recent files ------------------------------------------------------------------

    @property
    def recent_files(self) -> list[str]:
        value = self._s.value("files/recent", [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            return []
        return [v for v in value if isinstance(v, str) and v][:MAX_RECENT]

    def add_recent(self, path: Path | str) -> None:
        text = str(Path(path).absolute())
        files = [text] + [f for f in self.recent_files if f != text]
        self._set("files/recent", files[:MAX_RECENT])

    def remove_recent(self, path: Path | str) -> None:
        text = str(Path(path).absolute())
        self._set("files/recent", [f for f in self.recent_files if f != text])

    def clear_recent(self) -> None:
        self._set("files/recent", [])
        self._s.remove("files/titles")

    # --- what a recent project is called --------------------------------------------------

    def remember_project(self, path: Path | str, title: str, municipality: str) -> None:
        """Keep a project's title and municipality for the recent-projects list, so that
        the list never has to open (and lock) a file to say what it is."""
        text = str(Path(path).absolute())
        known = self._project_names()
        known[text] = [title, municipality]
        recent = set(self.recent_files) | {text}
        self._set("files/titles", {k: v for k, v in known.items() if k in recent})

    def project_name(self, path: Path | str) -> tuple[str, str] | None:
        """The title and municipality last seen in the project at ``path``."""
        value = self._project_names().get(str(Path(path).absolute()))
        return (value[0], value[1]) if value else None

    def _project_names(self) -> dict[str, list[str]]:
        value = self._s.value("files/titles", {})
        if not isinstance(value, dict):
            return {}
        return {k: [str(v[0]), str(v[1])] for k, v in value.items()
                if isinstance(k, str) and isinstance(v, list | tuple) and len(v) == 2
                and all(isinstance(x, str) for x in v)}

    # --- starting a project ----------------------------------------------------------------

    @property
    def last_country(self) -> str:
        """The country of the last project created, as a two-letter code, or ""."""
        value = self._s.value("new/country", "")
        return value if isinstance(value, str) and len(value) == 2 and value.isalpha() \
            else ""

    @last_country.setter
    def last_country(self, code: str) -> None:
        self._set("new/country", code.upper() if len(code) == 2 else "")

    @property
    def last_folder(self) -> str:
        """The folder the last project was created in."""
        value = self._s.value("new/folder", "")
        return value if isinstance(value, str) else ""

    @last_folder.setter
    def last_folder(self, folder: Path | str) -> None:
        self._set("new/folder", str(folder))

    # --- exchange with partners ------------------------------------------------------------

    @property
    def export_leave_out(self) -> tuple[str, ...]:
        """What the last package left out (names and contacts of people, at first)."""
        from d4a_desktop.services.exchange.schema import LEAVE_OUT

        value = self._s.value("exchange/leave_out", ["personal"])
        if isinstance(value, str):
            value = [value] if value else []
        if not isinstance(value, list):
            return ("personal",)
        return tuple(p for p in LEAVE_OUT if p in value)

    @export_leave_out.setter
    def export_leave_out(self, parts: tuple[str, ...] | list[str]) -> None:
        self._set("exchange/leave_out", list(parts) or "")

    def _text(self, key: str) -> str:
        value = self._s.value(key, "")
        return value.strip() if isinstance(value, str) else ""

    @property
    def sync_target(self) -> str:
        """The consortium's shared folder or WebDAV address (no password: the keyring)."""
        return self._text("exchange/sync_target")

    @sync_target.setter
    def sync_target(self, where: str) -> None:
        self._set("exchange/sync_target", where.strip())

    @property
    def sync_user(self) -> str:
        return self._text("exchange/sync_user")

    @sync_user.setter
    def sync_user(self, user: str) -> None:
        self._set("exchange/sync_user", user.strip())

    @property
    def portfolio_folder(self) -> str:
        """The folder the portfolio last read."""
        return self._text("exchange/portfolio_folder")

    @portfolio_folder.setter
    def portfolio_folder(self, folder: str) -> None:
        self._set("exchange/portfolio_folder", folder.strip())

    @property
    def portfolio_format(self) -> str:
        """The suffix the portfolio was last exported as: ``.xlsx`` (default), ``.csv`` or
        ``.pdf``."""
        value = self._text("exchange/portfolio_format").lower()
        return value if value in (".xlsx", ".csv", ".pdf") else ".xlsx"

    @portfolio_format.setter
    def portfolio_format(self, suffix: str) -> None:
        self._set("exchange/portfolio_format", suffix.strip().lower())

    # --- one-time notices ----------------------------------------------------------------

    def sync_warned(self, path: Path | str) -> bool:
        """Whether the warning about a sync-client folder was shown for this file."""
        value = self._s.value("notices/sync_warned", [])
        if isinstance(value, str):
            value = [value]
        return isinstance(value, list) and str(Path(path).absolute()) in value

    def mark_sync_warned(self, path: Path | str) -> None:
        value = self._s.value("notices/sync_warned", [])
        if isinstance(value, str):
            value = [value]
        known = [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
        text = str(Path(path).absolute())
        self._set("notices/sync_warned",
                         ([text] + [v for v in known if v != text])[:MAX_NOTICES])


def recent_heading(path: Path, name: tuple[str, str] | None) -> str:
    """A recent project as "Title — Municipality", or its file name when not known yet
    (the welcome screen and the File › Open Recent menu name it alike)."""
    if name is None or not name[0]:
        return path.stem
    title, municipality = name
    return f"{title} — {municipality}" if municipality else title
