"""The kept code of what a start compiles from the same text every time (dataclasses'
generated methods, PySide6's support modules, regular expressions): same behaviour, no
compiling the second time, and any damage to the kept file only means compiling again."""

from __future__ import annotations

import builtins
import dataclasses
import inspect
import marshal
import os
import re
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
    modules = {key[0] for key in kept if isinstance(key, tuple) and key[0] != "sre"}
    assert "shibokensupport/signature/loader.py" in modules and len(modules) > 10
    patterns = [key[3] for key in kept if isinstance(key, tuple) and key[0] == "sre"]
    assert len(patterns) > 30  # imports compile some 40
    assert r"^\d{4}-\d{2}-\d{2}$" in patterns  # services/assessments.py
    assert any("edge of a word" in p for p in patterns)  # shibokensupport's pyi_generator
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


# Regular expressions: the engine's input kept, the pattern made by the engine as ever.

PATTERNS: list[tuple[str | bytes, int]] = [
    (r"^(\d{8}-\d{6}-\d{6})\.d4a$", 0),
    (r"(?P<year>\d{4})-(?P<month>\d\d)(?:-(?P<day>\d\d))?", 0),
    (r"""
        \b (?P<word> [A-Za-zÀ-ÿ]+ )   # a word, accents included
        (?= \s | $ )                  # followed by a space or the end
     """, re.VERBOSE),
    (r"(?i)straße|ĳssel", 0),
    (r"colou?r", re.IGNORECASE),
    (r"^\s*#.*$", re.MULTILINE),
    (r"a.b", re.DOTALL),
    (r"\w+", re.ASCII),
    (r"(?<=@)\w+|(?<!x)y{2,5}?", 0),
    (r"(a)(b)?(?(2)c|d)", 0),
    (r"[^\x00-\x1f\\/:*?\"<>|]+", 0),
    (rb"(\d+)\s*(?P<unit>[kM]?B)", 0),
    (rb"\w+", re.LOCALE),
    (r"\N{LATIN SMALL LETTER AE}|\u00f8", 0),
]
SAMPLES = ["2026-12-05", "20261205-101500-123456.d4a", "Colour color COLOR", "# note\nx",
           "a\nb", "ĲSSEL Straße", "mail@example.org yyy", "ac abd", "æ ø å", "fil:e?.txt",
           "Æbleø kaffe"]


def _engine_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """What Python's own compile step hands the engine, call by call."""
    import _sre
    from re import _compiler

    calls: list[tuple[object, ...]] = []

    class Recorder:
        def __getattr__(self, name: str) -> object:
            return getattr(_sre, name)

        @staticmethod
        def compile(*args: object) -> object:
            calls.append(args)
            return _sre.compile(*args)

    monkeypatch.setattr(_compiler, "_sre", Recorder())
    return calls


@pytest.mark.skipif(not keptcode._PATTERNS_KEPT, reason="patterns are kept on CPython 3.11")
def test_the_engine_gets_from_kept_parts_what_python_gives_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The steps keptcode repeats give the engine exactly what re's own give it."""
    calls = _engine_calls(monkeypatch)
    for pattern, flags in PATTERNS:
        keptcode._compile_pattern(pattern, int(flags))
        ours = (pattern, *keptcode._pattern_parts(pattern, int(flags)))
        assert ours == calls[-1], pattern


def _behaviour(compiled: list[re.Pattern]) -> list[object]:
    seen: list[object] = []
    for p in compiled:
        seen += [p.pattern, p.flags, p.groups, dict(p.groupindex)]
        for text in SAMPLES:
            sample = text.encode("utf-8") if isinstance(p.pattern, bytes) else text
            seen.append([m.group(0) for m in p.finditer(sample)])
            seen.append(p.sub(lambda m: "<>" if isinstance(m.group(0), str) else b"<>", sample))
    return seen


@pytest.mark.skipif(not keptcode._PATTERNS_KEPT, reason="patterns are kept on CPython 3.11")
def test_kept_patterns_match_as_compiled_and_the_second_start_compiles_none(
        kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = _behaviour([re._compiler.compile(p, int(f)) for p, f in PATTERNS])
    keptcode.install(kept)
    first = _behaviour([re._compiler.compile(p, int(f)) for p, f in PATTERNS])
    assert keptcode.pattern_stats() == (len(PATTERNS), len(PATTERNS))
    assert keptcode.save()
    assert re._compiler.compile is keptcode._compile_pattern  # the start is over
    keptcode.uninstall()

    keptcode.install(kept)

    def no_parsing(*args: object) -> None:
        raise AssertionError("a kept pattern was parsed again")

    monkeypatch.setattr(keptcode, "_pattern_parts", no_parsing)
    second = _behaviour([re._compiler.compile(p, int(f)) for p, f in PATTERNS])
    assert keptcode.pattern_stats() == (len(PATTERNS), 0)
    assert first == plain and second == plain
    keptcode.uninstall()
    assert re._compiler.compile is keptcode._compile_pattern


@pytest.mark.skipif(not keptcode._PATTERNS_KEPT, reason="patterns are kept on CPython 3.11")
def test_patterns_keep_re_s_own_errors_and_ways(kept: Path) -> None:
    """A bad pattern is refused with re's own message; a parsed pattern (re.Scanner), the
    DEBUG flag and a compiled pattern go the way they always went."""
    with pytest.raises(re.error) as plain:
        re._compiler.compile("(unclosed", 0)
    keptcode.install(kept)
    with pytest.raises(re.error) as ours:
        re._compiler.compile("(unclosed", 0)
    assert str(ours.value) == str(plain.value) and ours.value.pos == plain.value.pos
    scanner = re.Scanner([(r"\d+", lambda s, t: int(t)), (r"\s+", None)])
    assert scanner.scan("12 7") == ([12, 7], "")
    compiled = re.compile(r"xyz_only_here")
    assert re.compile(compiled) is compiled
    assert keptcode.pattern_stats() == (1, 1)  # the Scanner's parsed pattern passed on


@pytest.mark.skipif(not keptcode._PATTERNS_KEPT, reason="patterns are kept on CPython 3.11")
def test_a_kept_pattern_the_engine_refuses_is_compiled_again(kept: Path) -> None:
    """Code that does not pass the engine's own check (a damaged or foreign entry under a
    valid checksum) only means compiling the pattern as without the file."""
    import _sre

    pattern = r"(\d+)-(\d+)"
    kept.parent.mkdir(parents=True)
    kept.write_bytes(_framed(marshal.dumps({
        ("sre", _sre.MAGIC, 0, pattern): (32, [99999, 1, 2], 2, {}, (None, None, None)),
    })))
    keptcode.install(kept)
    assert len(keptcode.read(kept)) == 1  # well formed: the engine is what refuses it
    p = re._compiler.compile(pattern, 0)
    assert p.match("12-34").groups() == ("12", "34")
    assert keptcode.pattern_stats() == (1, 1)


def test_a_kept_pattern_under_a_malformed_key_or_value_is_left_out(kept: Path) -> None:
    import _sre

    parts = (32, [1, 2], 0, {}, (None,))
    good = ("sre", _sre.MAGIC, 0, "x")
    kept.parent.mkdir(parents=True)
    kept.write_bytes(_framed(marshal.dumps({
        good: parts,
        ("sre", _sre.MAGIC + 1, 0, "y"): parts,  # another engine
        ("sre", _sre.MAGIC, "0", "z"): parts,  # flags as text
        ("sre", _sre.MAGIC, 0, 7): parts,  # no pattern
        ("sre", _sre.MAGIC, 0, "w"): parts[:4],  # a part short
        ("sre", _sre.MAGIC, 0, "v"): (32, "code", 0, {}, (None,)),  # code as text
        ("sre", _sre.MAGIC, 0, "u"): compile("x = 1", "<string>", "exec"),  # code object
    })))
    assert keptcode.read(kept) == {good: parts}
