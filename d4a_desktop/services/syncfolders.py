"""Is a project file inside a folder that a file-sync client keeps in step across computers?

A project file is a database that changes in place. When two people open synced copies of
it, the sync client cannot merge them: it keeps one and saves the other as a conflict copy,
and neither holds the other's work. The program warns once per file and points to exchange
packages instead. Recognition is by the markers each client leaves in the folder it
manages, looked for in the file's folder and every folder above it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

#: Files or folders a client keeps at the top of the folder it syncs.
_MARKERS: dict[str, str] = {
    ".dropbox": "Dropbox",
    ".dropbox.cache": "Dropbox",
    ".stfolder": "Syncthing",
    ".nextcloudsync.log": "Nextcloud",
    ".owncloudsync.log": "ownCloud",
}
#: The sync journal of the Nextcloud and ownCloud desktop clients: ``.sync_<hex>.db``
#: (older clients) or ``._sync_<hex>.db``.
_JOURNAL = re.compile(r"^\._?sync_[0-9A-Za-z]*\.db$")
#: OneDrive's folder is named "OneDrive", or "OneDrive - <organisation>" for work accounts.
_ONEDRIVE = re.compile(r"^OneDrive( - .+)?$", re.IGNORECASE)


@dataclass(frozen=True)
class SyncFolder:
    """The client (a product name, never translated) and the folder it manages."""

    client: str
    root: Path


def _client_in(folder: Path) -> str | None:
    try:
        with os.scandir(folder) as entries:
            names = [entry.name for entry in entries]
    except OSError:  # a folder we may not list: no marker can be seen there
        return None
    found = [_MARKERS[name] for name in names if name in _MARKERS]
    if found:
        return found[0]
    if any(_JOURNAL.match(name) for name in names):
        return "Nextcloud"
    return None


def find_sync_folder(path: Path | str) -> SyncFolder | None:
    """The sync client that manages the folder of ``path``, nearest folder first; None
    when no known client's marker is found. Reads only folder listings (never a file), so
    it may be called for any path; it may still be slow on a network drive, so callers
    with a window run it off the window's thread."""
    folder = Path(path).absolute().parent
    for candidate in (folder, *folder.parents):
        if _ONEDRIVE.match(candidate.name):
            return SyncFolder("OneDrive", candidate)
        client = _client_in(candidate)
        if client is not None:
            return SyncFolder(client, candidate)
    return None
