"""The kept code of dataclasses' generated methods: same classes, no compiling the second
time, and any damage to the kept file only means compiling again."""

from __future__ import annotations

import dataclasses
import inspect
import marshal
import os
import subprocess
import sys
import types
import zlib
from collections.abc import Iterator
from importlib.util import MAGIC_NUMBER
from pathlib import Path

import pytest

from d4a_desktop import classcode

SOURCE = '''
from __future__ import annotations
import dataclasses
from dataclasses import dataclass, field
from typing import ClassVar


@dataclass(frozen=True)
class Point:
    x: int
    y: int = 0
    label: str = field(default="", compare=False)
    tags: tuple[str, ...] = ()
    origin: ClassVar[int] = 0


@dataclass
class Bag:
    name: str
    items: list[int] = field(default_factory=list)
    secret: str = field(default="s", repr=False)

    def total(self) -> int:
        return sum(self.items)


@dataclass(frozen=True, slots=True, kw_only=True)
class Setting:
    key: str
    value: float = 1.5


@dataclass(order=True)
class Version:
    major: int
    minor: int = 0
'''


def define(source: str = SOURCE, name: str = "classcode_sample") -> types.ModuleType:
    """The classes of ``source``, made as an imported module makes them."""
    module = types.ModuleType(name)
    sys.modules[name] = module
    try:
        exec(compile(source, f"<{name}>", "exec"), module.__dict__)
    finally:
        del sys.modules[name]
    return module


@pytest.fixture
def kept(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "cache" / "code.bin"
    yield path
    classcode.uninstall()


def behaviour(m: types.ModuleType) -> list[object]:
    """What a user of the sample classes sees of them."""
    p = m.Point(1, label="a")
    seen: list[object] = [repr(p), p == m.Point(1, 0, "b"), hash(p) == hash(m.Point(1)),
                          p.tags, m.Point.__match_args__, str(inspect.signature(m.Point))]
    for attempt in (lambda: setattr(p, "x", 2), lambda: delattr(p, "y")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            attempt()
    b1, b2 = m.Bag("n"), m.Bag("n")
    b1.items.append(3)
    seen += [repr(b1), b2.items, b1 == m.Bag("n", [3]), b1.total(), m.Bag.__hash__]
    s = m.Setting(key="k")
    seen += [repr(s), s.value, hasattr(s, "__dict__"), m.Setting.__slots__]
    with pytest.raises(TypeError):
        m.Setting("k")  # keyword only
    seen += [m.Version(1, 2) < m.Version(1, 3), sorted([m.Version(2), m.Version(1, 5)])]
    seen += [repr(v) for v in sorted([m.Version(2), m.Version(1, 5)])]
    seen += [[f.name for f in dataclasses.fields(c)] for c in (m.Point, m.Bag, m.Setting)]
    return seen


def test_classes_made_with_kept_code_behave_as_without(kept: Path) -> None:
    plain = behaviour(define())
    assert classcode.install(kept)
    first = behaviour(define())  # compiled, then kept
    assert classcode.save()
    classcode.uninstall()
    assert classcode.install(kept)
    second = behaviour(define())  # from the kept code
    texts, compiled = classcode.stats()
    assert texts > 15 and compiled == 0
    assert [repr(x) for x in first] == [repr(x) for x in plain]
    assert [repr(x) for x in second] == [repr(x) for x in plain]


def test_a_second_start_compiles_nothing(kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    classcode.install(kept)
    define()
    texts, compiled = classcode.stats()
    assert texts == compiled > 15  # the first time, every text is compiled
    assert classcode.save() and kept.is_file()
    classcode.uninstall()
    assert "exec" not in vars(dataclasses)  # dataclasses is as Python has it again

    def no_compiling(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled although the code was kept")

    classcode.install(kept)
    monkeypatch.setattr(classcode, "compile", no_compiling, raising=False)
    m = define()
    assert m.Bag("x", [1, 2]).total() == 3
    assert classcode.stats() == (texts, 0)
    before = kept.stat().st_mtime_ns
    assert not classcode.save()  # nothing new: the file is left as it is
    assert kept.stat().st_mtime_ns == before


def test_the_file_keeps_what_the_last_start_used(kept: Path) -> None:
    classcode.install(kept)
    define()
    define("from dataclasses import dataclass\n@dataclass\nclass Gone:\n    zz_gone: int\n")
    classcode.save()
    classcode.uninstall()
    assert any("zz_gone" in text for text in classcode.read(kept))
    classcode.install(kept)
    define()  # this start no longer has Gone, and has a new class
    define("from dataclasses import dataclass\n@dataclass\nclass New:\n    zz_new: int\n")
    assert classcode.save()
    texts = classcode.read(kept)
    assert any("zz_new" in text for text in texts)
    assert not any("zz_gone" in text for text in texts)
    assert len(texts) == classcode.stats()[0]


def _payload(path: Path) -> bytes:
    return path.read_bytes()[len(b"D4A-dataclass-code\n") + len(MAGIC_NUMBER) + 4:]


def _framed(data: bytes, magic: bytes = MAGIC_NUMBER) -> bytes:
    return b"D4A-dataclass-code\n" + magic + zlib.crc32(data).to_bytes(4, "little") + data


@pytest.mark.parametrize("damage", [
    "empty", "truncated", "flipped", "garbage", "other-python", "not-a-dict",
    "wrong-types", "bad-marshal", "folder"])
def test_a_damaged_file_only_means_compiling_again(kept: Path, damage: str) -> None:
    plain = [repr(x) for x in behaviour(define())]
    classcode.install(kept)
    define()
    classcode.save()
    classcode.uninstall()
    good = kept.read_bytes()
    data = _payload(kept)
    if damage == "empty":
        kept.write_bytes(b"")
    elif damage == "truncated":
        kept.write_bytes(good[: len(good) // 2])
    elif damage == "flipped":
        middle = len(good) // 2
        kept.write_bytes(good[:middle] + bytes([good[middle] ^ 0x40]) + good[middle + 1:])
    elif damage == "garbage":
        kept.write_bytes(os.urandom(5000))
    elif damage == "other-python":
        kept.write_bytes(_framed(data, magic=b"\x00\x00\r\n"))
    elif damage == "not-a-dict":
        kept.write_bytes(_framed(marshal.dumps(["def f(): pass"])))
    elif damage == "wrong-types":
        kept.write_bytes(_framed(marshal.dumps({"text": "not code", 1: b"x"})))
    elif damage == "bad-marshal":
        kept.write_bytes(_framed(b"\xff\x00\x01garbage"))
    elif damage == "folder":
        kept.unlink()
        kept.mkdir()
    assert classcode.read(kept) == {}
    classcode.install(kept)
    assert [repr(x) for x in behaviour(define())] == plain
    assert classcode.stats()[1] > 0  # compiled again
    if damage == "folder":
        assert not classcode.save()  # cannot be written: the next start compiles again
    else:
        assert classcode.save() and classcode.read(kept)  # written anew, whole


def test_a_cache_folder_that_cannot_be_written_is_no_error(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder would be")
    try:
        classcode.install(blocked / "cache" / "code.bin")
        assert behaviour(define())
        assert not classcode.save()
    finally:
        classcode.uninstall()


def test_a_start_of_the_program_keeps_its_classes_and_the_next_compiles_none(
        tmp_path: Path) -> None:
    """The real start path: the first start writes the kept code, the second finds every
    text it needs (it has nothing to write, so the file stays as it was)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(D4A_HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen", D4A_EXIT_WHEN_IDLE="1")
    command = [sys.executable, "-m", "d4a_desktop", "gui", "--demo"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    files = list((tmp_path / "cache").glob("dataclass-code-*.bin"))
    assert len(files) == 1
    texts = classcode.read(files[0])
    assert len(texts) > 300  # the start defines some 70 dataclasses
    assert any("def __init__" in text for text in texts)
    before = files[0].stat().st_mtime_ns
    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    assert files[0].stat().st_mtime_ns == before
