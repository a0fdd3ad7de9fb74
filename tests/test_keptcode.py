"""The kept code of what a start compiles from the same text every time (dataclasses'
generated methods, PySide6's support modules): same behaviour, no compiling the second
time, and any damage to the kept file only means compiling again."""

from __future__ import annotations

import builtins
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

from d4a_desktop import keptcode

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


def define(source: str = SOURCE, name: str = "keptcode_sample") -> types.ModuleType:
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
    keptcode.uninstall()


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
    assert keptcode.install(kept)
    first = behaviour(define())  # compiled, then kept
    assert keptcode.save()
    keptcode.uninstall()
    assert keptcode.install(kept)
    second = behaviour(define())  # from the kept code
    texts, compiled = keptcode.stats()
    assert texts > 15 and compiled == 0
    assert [repr(x) for x in first] == [repr(x) for x in plain]
    assert [repr(x) for x in second] == [repr(x) for x in plain]


def test_a_second_start_compiles_nothing(kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keptcode.install(kept)
    define()
    texts, compiled = keptcode.stats()
    assert texts == compiled > 15  # the first time, every text is compiled
    assert keptcode.save() and kept.is_file()
    keptcode.uninstall()
    assert "exec" not in vars(dataclasses)  # dataclasses is as Python has it again

    def no_compiling(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled although the code was kept")

    keptcode.install(kept)
    monkeypatch.setattr(keptcode, "_compile", no_compiling)
    m = define()
    assert m.Bag("x", [1, 2]).total() == 3
    assert keptcode.stats() == (texts, 0)
    before = kept.stat().st_mtime_ns
    assert not keptcode.save()  # nothing new: the file is left as it is
    assert kept.stat().st_mtime_ns == before


def test_the_file_keeps_what_the_last_start_used(kept: Path) -> None:
    keptcode.install(kept)
    define()
    define("from dataclasses import dataclass\n@dataclass\nclass Gone:\n    zz_gone: int\n")
    keptcode.save()
    keptcode.uninstall()
    assert any("zz_gone" in text for text in keptcode.read(kept))
    keptcode.install(kept)
    define()  # this start no longer has Gone, and has a new class
    define("from dataclasses import dataclass\n@dataclass\nclass New:\n    zz_new: int\n")
    assert keptcode.save()
    texts = keptcode.read(kept)
    assert any("zz_new" in text for text in texts)
    assert not any("zz_gone" in text for text in texts)
    assert len(texts) == keptcode.stats()[0]


def _payload(path: Path) -> bytes:
    return path.read_bytes()[len(b"D4A-kept-code\n") + len(MAGIC_NUMBER) + 4:]


def _framed(data: bytes, magic: bytes = MAGIC_NUMBER) -> bytes:
    return b"D4A-kept-code\n" + magic + zlib.crc32(data).to_bytes(4, "little") + data


@pytest.mark.parametrize("damage", [
    "empty", "truncated", "flipped", "garbage", "other-python", "not-a-dict",
    "wrong-types", "bad-marshal", "folder"])
def test_a_damaged_file_only_means_compiling_again(kept: Path, damage: str) -> None:
    plain = [repr(x) for x in behaviour(define())]
    keptcode.install(kept)
    define()
    keptcode.save()
    keptcode.uninstall()
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
    assert keptcode.read(kept) == {}
    keptcode.install(kept)
    assert [repr(x) for x in behaviour(define())] == plain
    assert keptcode.stats()[1] > 0  # compiled again
    if damage == "folder":
        assert not keptcode.save()  # cannot be written: the next start compiles again
    else:
        assert keptcode.save() and keptcode.read(kept)  # written anew, whole


def test_a_cache_folder_that_cannot_be_written_is_no_error(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder would be")
    try:
        keptcode.install(blocked / "cache" / "code.bin")
        assert behaviour(define())
        assert not keptcode.save()
    finally:
        keptcode.uninstall()


def test_a_start_of_the_program_keeps_its_classes_and_the_next_compiles_none(
        tmp_path: Path) -> None:
    """The real start path: the first start writes the kept code, the second finds every
    text it needs (it has nothing to write, so the file stays as it was)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(D4A_HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen", D4A_EXIT_WHEN_IDLE="1")
    command = [sys.executable, "-m", "d4a_desktop", "gui", "--demo"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    files = list((tmp_path / "cache").glob("start-code-*.bin"))
    assert len(files) == 1
    kept = keptcode.read(files[0])
    texts = [key for key in kept if isinstance(key, str)]
    assert len(texts) > 300  # the start defines some 70 dataclasses
    assert any("def __init__" in text for text in texts)
    modules = {key[0] for key in kept if isinstance(key, tuple)}
    assert "shibokensupport/signature/loader.py" in modules and len(modules) > 10
    before = files[0].stat().st_mtime_ns
    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    assert files[0].stat().st_mtime_ns == before


def test_an_older_versions_kept_file_is_removed_with_the_first_save(kept: Path) -> None:
    older = kept.with_name(f"dataclass-code-{sys.implementation.cache_tag}.bin")
    older.parent.mkdir(parents=True)
    older.write_bytes(b"D4A-dataclass-code\n")
    keptcode.install(kept)
    define()
    assert keptcode.save()
    assert not older.exists() and kept.is_file()


# PySide6's support modules. The test process has PySide6 loaded already, so the real
# import is tried in child processes; the hook itself is tried here.

CHILD = """
import sys
from pathlib import Path
from d4a_desktop import keptcode

if sys.argv[1] == "kept":
    keptcode.install(Path(sys.argv[2]))
    with keptcode.first_pyside_import():
        from PySide6 import QtCore
else:
    from PySide6 import QtCore
import builtins
from PySide6 import QtWidgets
from shibokensupport.signature import get_signature

print(keptcode.stats(), keptcode.save(), builtins.compile is keptcode._compile)
print(get_signature(QtWidgets.QLabel.setText))
print(get_signature(QtCore.QTimer.singleShot))
print(get_signature(QtWidgets.QTreeView.setModel))
try:
    QtCore.QTimer.singleShot("not a number")
except TypeError as error:
    print(error)
"""


def test_pyside_support_modules_from_kept_code_work_as_compiled(tmp_path: Path) -> None:
    """Signatures and PySide6's messages for a wrong call (both come from the support
    modules) are the same whether the modules were compiled or taken from the file."""
    path = tmp_path / "code.bin"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def run(mode: str) -> list[str]:
        done = subprocess.run([sys.executable, "-c", CHILD, mode, str(path)], env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()

    plain, first, second = run("plain"), run("kept"), run("kept")
    assert plain[0] == "(0, 0) False True"
    assert first[0] == "(13, 13) True True"  # compiled, kept; compile is Python's again
    assert second[0] == "(13, 0) False True"  # all 13 from the file, nothing to write
    assert "Signature" in plain[2] and "singleShot" in plain[-1]
    assert first[1:] == plain[1:] and second[1:] == plain[1:]
    modules = {key[0] for key in keptcode.read(path) if isinstance(key, tuple)}
    assert "shibokensupport/signature/loader.py" in modules


def _compiled_here(source: object, filename: str, mode: str) -> object:
    """compile() called from this module, which has ``from __future__ import
    annotations``: what the hook must pass on is the caller's flags, not its own."""
    return compile(source, filename, mode)  # type: ignore[call-overload]


def test_compile_answers_only_shibokens_calls_and_passes_the_callers_flags(
        kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keptcode.install(kept)
    monkeypatch.delitem(sys.modules, "shiboken6", raising=False)  # as before the import
    source = b"x: undefined_name = 1\n"
    with keptcode.first_pyside_import():
        assert builtins.compile is not keptcode._compile
        hooked = _compiled_here(source, "shibokensupport/sample.py", "exec")
        again = _compiled_here(source, "shibokensupport/sample.py", "exec")
        other = _compiled_here(source, "elsewhere.py", "exec")
        single = _compiled_here(b"y = 2\n", "shibokensupport/x.py", "single")
    assert builtins.compile is keptcode._compile
    assert keptcode.stats() == (1, 1)  # the support module once; the others passed on
    assert again is hooked
    for code in (hooked, other):
        namespace: dict[str, object] = {}
        exec(code, namespace)  # type: ignore[call-overload]
        # The caller has future annotations, so the annotation is not evaluated.
        assert namespace["__annotations__"] == {"x": "undefined_name"}
    namespace = {}
    exec(single, namespace)  # type: ignore[call-overload]
    assert namespace["y"] == 2
    assert keptcode.save()
    keptcode.uninstall()
    keptcode.install(kept)
    with keptcode.first_pyside_import():
        assert _compiled_here(source, "shibokensupport/sample.py", "exec") == hooked
        changed = _compiled_here(source + b"z = 3\n", "shibokensupport/sample.py", "exec")
    assert keptcode.stats() == (2, 1)  # the same text from the file; a changed one compiled
    exec(changed, namespace)  # type: ignore[call-overload]
    assert namespace["z"] == 3


def test_compile_is_python_s_again_when_the_import_fails(
        kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keptcode.install(kept)
    monkeypatch.delitem(sys.modules, "shiboken6", raising=False)
    with pytest.raises(ImportError), keptcode.first_pyside_import():
        assert builtins.compile is not keptcode._compile
        raise ImportError("no PySide6")
    assert builtins.compile is keptcode._compile


def test_no_hook_without_the_cache_or_once_pyside_is_loaded(
        kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "shiboken6", raising=False)
    with keptcode.first_pyside_import():  # not installed
        assert builtins.compile is keptcode._compile
    keptcode.install(kept)
    monkeypatch.setitem(sys.modules, "shiboken6", types.ModuleType("shiboken6"))
    with keptcode.first_pyside_import():  # PySide6 is loaded: its modules are compiled
        assert builtins.compile is keptcode._compile


def test_a_kept_module_under_a_malformed_key_is_left_out(kept: Path) -> None:
    """Only well-formed keys come back: a text, or (file name, flags, -O level, source)."""
    code = compile("x = 1", "<string>", "exec")
    good = ("shibokensupport/a.py", 0, 0, b"x = 1")
    kept.parent.mkdir(parents=True)
    kept.write_bytes(_framed(marshal.dumps({
        "x = 1": code, good: code,
        ("shibokensupport/a.py", 0, b"x = 1"): code,  # one part short
        ("shibokensupport/a.py", 0, 0, b"x = 1", b""): code,  # one part too many
        ("shibokensupport/a.py", "0", 0, b"x = 1"): code,  # flags as text
        (b"shibokensupport/a.py", 0, 0, b"x = 1"): code,  # the file name as bytes
        ("shibokensupport/a.py", 0, 0, "x = 1"): code,  # the source as text
    })))
    assert set(keptcode.read(kept)) == {"x = 1", good}
