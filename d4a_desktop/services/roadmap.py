"""The bundled roadmap, loaded once per process and localised per language."""

from __future__ import annotations

import functools

from d4a_desktop import i18n, paths
from d4a_desktop.core.content import Roadmap, load_roadmap, localise


@functools.cache
def english_roadmap() -> Roadmap:
    return load_roadmap(paths.resources_dir() / "roadmap")


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
