"""The parsed roadmap is cached; a damaged or stale cache is ignored and rewritten."""

from __future__ import annotations

from pathlib import Path

import pytest

from d4a_desktop import paths
from d4a_desktop.services import roadmap


@pytest.fixture(autouse=True)
def fresh(home: Path) -> None:
    roadmap.reset_cache()
    yield
    roadmap.reset_cache()


def _cache_files() -> list[Path]:
    return sorted(paths.user_cache_dir().glob("roadmap-*.pickle"))


def test_the_cache_is_written_and_used(monkeypatch: pytest.MonkeyPatch) -> None:
    first = roadmap.english_roadmap()
    assert len(_cache_files()) == 1
    roadmap.reset_cache()
    monkeypatch.setattr(roadmap, "load_roadmap", lambda folder: pytest.fail("parsed again"))
    again = roadmap.english_roadmap()
    assert again == first and again.has("c4.a1.i3")


@pytest.mark.parametrize("damage", [b"", b"\x80\x05garbage", b"not a pickle at all"])
def test_a_damaged_cache_is_ignored_and_rewritten(damage: bytes) -> None:
    roadmap.english_roadmap()
    (cache,) = _cache_files()
    cache.write_bytes(damage)
    roadmap.reset_cache()
    assert roadmap.english_roadmap().has("c4.a1.i3")
    assert cache.read_bytes() != damage


def test_a_cache_holding_something_else_is_ignored() -> None:
    import pickle

    roadmap.english_roadmap()
    (cache,) = _cache_files()
    cache.write_bytes(pickle.dumps({"version": "forged"}))
    roadmap.reset_cache()
    assert roadmap.english_roadmap().has("c4.a1.i3")


def test_a_change_of_the_content_classes_is_a_new_cache(monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    """Objects pickled with the classes of an older program (a field fewer) are never
    read back by classes that expect the field: the classes' source is in the key."""
    folder = paths.resources_dir() / "roadmap"
    before = roadmap._key(folder)
    changed = tmp_path / "content.py"
    changed.write_text(Path(roadmap.content.__file__).read_text("utf-8") + "\n# changed\n")
    monkeypatch.setattr(roadmap.content, "__file__", str(changed))
    assert roadmap._key(folder) != before
