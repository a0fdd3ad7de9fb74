"""Where the program finds its bundled files and keeps per-user files.

Bundled files are found beside the package, so that a source checkout, an installed wheel
and a frozen bundle that keeps its files on disk behave alike: the wheel carries the
top-level ``resources/`` folder as ``d4a_desktop/resources`` and compiled catalogs as
``d4a_desktop/locale``; a checkout falls back to the folders beside the package. (The
package's own folder, not importlib.resources: that module and what it loads cost every
start more than the few folders it would find.)
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "d4a-desktop"
_PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT_ROOT = _PACKAGE_DIR.parent


def resources_dir() -> Path:
    """The folder with roadmap content, the demo project, fonts and icons."""
    bundled = _PACKAGE_DIR / "resources"
    return bundled if bundled.is_dir() else _CHECKOUT_ROOT / "resources"


def compiled_locale_dir() -> Path | None:
    """Compiled catalogs shipped in a wheel, or None in a source checkout."""
    bundled = _PACKAGE_DIR / "locale"
    return bundled if bundled.is_dir() else None


def translations_source_dir() -> Path | None:
    """The .po sources of a checkout (None in an installed wheel)."""
    src = _CHECKOUT_ROOT / "translations"
    return src if src.is_dir() else None


def _platform_dir(kind: str) -> Path:
    override = os.environ.get("D4A_HOME")
    if override:
        return Path(override) / kind
    import platformdirs

    if kind == "cache":
        return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_data_dir() -> Path:
    """Per-user data: backups and the working copy of the demo project.

    ``D4A_HOME`` moves every per-user folder, so tests and portable installs never
    touch the real home folder.
    """
    return _platform_dir("data")


def user_cache_dir() -> Path:
    """Per-user cache: catalogs compiled on first run in a source checkout."""
    return _platform_dir("cache")


def backups_dir() -> Path:
    return user_data_dir() / "backups"


def log_dir() -> Path:
    """Per-user log folder (the program's log file, rotated)."""
    override = os.environ.get("D4A_HOME")
    if override:
        return Path(override) / "log"
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def installation_id() -> str:
    """A random id for this user's installation, made once and kept in the data folder.

    Every change in a project's change log records it, so that merging two copies can tell
    which installation made which edit even when two people share a name.
    """
    import uuid

    path = user_data_dir() / "installation-id"
    try:
        text = path.read_text(encoding="ascii").strip()
        return str(uuid.UUID(text))
    except (OSError, ValueError, UnicodeDecodeError):
        pass
    new = str(uuid.uuid4())
    try:
        from d4a_desktop.storage.atomic import write_text

        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, new + "\n")
    except OSError:
        pass  # a read-only home: this run uses a fresh id, which is still unique
    return new
