"""The bundled roadmap, loaded once per process and localised per language.

Parsing and validating the YAML sources takes tens of milliseconds, on every start; the
parsed roadmap is therefore kept in the user cache folder, under a key made from the
sources' contents and the program's version, and read back in a few. A cache file that is
missing, stale, damaged or unreadable is simply ignored and written anew.
"""

from __future__ import annotations

import contextlib
import functools
import pickle
from pathlib import Path

from d4a_desktop import __version__, i18n, paths
from d4a_desktop.core import content
from d4a_desktop.core.content import Roadmap, load_roadmap, localise
from d4a_desktop.digest import sha1


def _key(folder: Path) -> str:
    digest = sha1(__version__.encode())
    # The classes the pickle holds: a changed class (a new field) never meets old objects.
    with contextlib.suppress(OSError):
        digest.update(Path(content.__file__).read_bytes())
    for source in sorted(folder.glob("*.yaml")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:32]


@functools.cache
def english_roadmap() -> Roadmap:
    folder = paths.resources_dir() / "roadmap"
    try:
        key = _key(folder)
    except OSError:
        return load_roadmap(folder)  # the loader says what is wrong with the sources
    cache = paths.user_cache_dir() / f"roadmap-{key}.pickle"
    with contextlib.suppress(Exception):  # any damage to the cache: parse the sources
        with cache.open("rb") as fh:
            cached = pickle.load(fh)
        if isinstance(cached, Roadmap):
            return cached
    result = load_roadmap(folder)
    with contextlib.suppress(OSError, pickle.PicklingError):
        from d4a_desktop.storage import atomic

        cache.parent.mkdir(parents=True, exist_ok=True)
        for old in cache.parent.glob("roadmap-*.pickle"):
            old.unlink(missing_ok=True)
        atomic.write_bytes(cache, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    return result


@functools.cache
def _localised(language: str) -> Roadmap:
    source = english_roadmap()
    if language == source.source_language:
        return source
    return localise(source, i18n.content_text)


def roadmap() -> Roadmap:
    """The roadmap in the active interface language."""
    return _localised(i18n.language())


def reset_cache() -> None:
    """Forget the loaded roadmap (after the content folder changed, in tests)."""
    english_roadmap.cache_clear()
    _localised.cache_clear()
