"""Code that a start would compile from the same text every time, compiled once and kept.

Three things compile text at every start of the program, to the same code each time:

- **Dataclasses.** For every dataclass, Python 3.11 and 3.12 write each generated method
  (``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, and for a frozen class
  ``__setattr__`` and ``__delattr__``) as source text and compile that text on its own. A
  start defines 69 dataclasses: some 410 compilations of a few lines each, 75 ms, a tenth
  of the whole start. (Python 3.13 compiles a class's methods in one go.)
- **PySide6's support modules.** ``shiboken6`` carries the Python modules behind its
  function signatures (``shibokensupport``, 13 modules, 120 KB of source) inside its
  library and, when it is first imported, compiles them from that text: 0.12 billion
  instructions, a twelfth of a start, in every process that imports PySide6, a bare Qt
  window included. (PySide6 can unpack them to ``.py`` files instead, for every program of
  the installation; the program does not change its installation.)
- **Regular expressions.** ``re`` turns a pattern into matching code in Python itself, and
  a start compiles 43 of them at imports (``shibokensupport``'s three signature patterns
  alone take 25 to 30 ms each): some 85 ms in all, in every process, a bare Qt window
  included (three quarters of that). Only the step from pattern to matching code is kept;
  the pattern object is made by the regular-expression engine (``_sre``) as ever, which
  checks the code it is given.

So the program keeps, like the interpreter's own ``.pyc`` files, the compiled code of each
text in the user cache folder, and a start runs the kept code instead of compiling the text
again. Each text is still produced and run as before; only the step from text to code is
skipped when the very same text (the whole text is the key) was compiled before by the same
Python (the file carries the interpreter's bytecode magic number, and its name the
interpreter's cache tag; a pattern's key, the engine's own magic number). The dataclasses'
``exec`` is answered from the cache during the start only; ``compile`` only while PySide6
is first imported, and only for the calls ``shiboken6`` makes for its own modules; ``re``'s
compile step until the start keeps what it compiled (:func:`save`), and only on the
CPython release whose steps :func:`_pattern_parts` repeats (3.11).

The kept file holds what the last start used; a start that compiled anything writes it
anew (atomically), so texts that changed or went away leave it with the next start. A
missing, damaged, foreign or unreadable file is ignored (a checksum guards the bytes before
they are read as code) and the texts are compiled as without it.
"""

from __future__ import annotations
import __future__

import _sre
import builtins
import contextlib
import marshal
import re
import sys
import zlib
from collections.abc import Iterator
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from types import CodeType
from typing import Any

_SIGNATURE = b"D4A-kept-code\n"
_HEADER = len(_SIGNATURE) + len(MAGIC_NUMBER) + 4
#: Where ``shiboken6`` says its embedded modules come from (their file names in its zip).
_PYSIDE_SUPPORT = "shibokensupport/"
#: The ``__future__`` flags a ``compile`` call passes on from the code that calls it.
_FUTURE_FLAGS = 0
for _name in __future__.all_feature_names:
    _FUTURE_FLAGS |= getattr(__future__, _name).compiler_flag

#: A dataclass's method text, or a PySide6 module: (file name, future flags, -O level,
#: source bytes), or a regular expression: ("sre", engine magic, flags, pattern).
Key = str | tuple[str, int, int, str | bytes]
#: What ``re`` hands the engine besides the pattern: flags, code, groups, group index, index
#: group.
Parts = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
#: ``re``'s compile step, as Python has it.
_compile_pattern = re._compiler.compile  # type: ignore[attr-defined]
#: Whether :func:`_pattern_parts` repeats this Python's steps (checked for 3.11).
_PATTERNS_KEPT = sys.version_info[:2] == (3, 11) and sys.implementation.name == "cpython"


class _Cache:
    """The kept code (``known``), what this process used (``used``), how many texts and
    patterns it had to compile (``compiled``, ``patterns_compiled``) and how many of those
    are not kept yet (``unsaved``)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.known: dict[Key, Any] = read(path) if path is not None else {}
        self.used: dict[Key, Any] = {}
        self.compiled = 0
        self.patterns_compiled = 0
        self.unsaved = 0

    def code(self, key: Key, make: Any) -> CodeType:
        code = self.used.get(key) or self.known.get(key)
        if code is None:
            code = make()
            self.compiled += 1
            self.unsaved += 1
        self.used[key] = code
        return code

    def exec(self, source: Any, globals: Any = None, locals: Any = None, /) -> None:
        """``exec`` as ``dataclasses`` calls it, with the compiled text looked up first."""
        if globals is None:  # exec's own default: the caller's namespaces
            frame = sys._getframe(1)
            globals = frame.f_globals
            if locals is None:
                locals = frame.f_locals
        if not isinstance(source, str):
            builtins.exec(source, globals, locals)
            return
        # As exec(text) compiles it: file "<string>", no future flags of ours.
        code = self.code(source, lambda: _compile(source, "<string>", "exec", dont_inherit=True))
        builtins.exec(code, globals, locals)

    def compile(self, source: Any, filename: Any, mode: Any, flags: int = 0,
                dont_inherit: bool = False, optimize: int = -1, **rest: Any) -> Any:
        """``compile`` as ``shiboken6`` calls it for its modules (bytes, their file name,
        "exec"), looked up first; any other call is passed on as it is."""
        # compile() passes on the future flags of the code that calls it: that code is one
        # frame up from here (not this module), so take its flags and pass exactly those.
        inherited = 0 if dont_inherit else sys._getframe(1).f_code.co_flags & _FUTURE_FLAGS
        if (mode != "exec" or not isinstance(source, bytes) or not isinstance(filename, str)
                or not filename.startswith(_PYSIDE_SUPPORT) or flags or dont_inherit
                or optimize != -1 or rest):
            return _compile(source, filename, mode, flags | inherited, True, optimize, **rest)
        key = (filename, inherited, sys.flags.optimize, source)
        return self.code(key, lambda: _compile(source, filename, mode, inherited, True))

    def pattern(self, pattern: Any, flags: int = 0) -> Any:
        """``re``'s compile step (``re._compiler.compile``) with the pattern's matching code
        looked up first; a parsed pattern (``re.Scanner``'s) or the DEBUG flag (which
        prints) is passed on as it is."""
        if not isinstance(pattern, (str, bytes)) or type(flags) is not int \
                or flags & re.DEBUG:
            return _compile_pattern(pattern, flags)
        key = ("sre", _sre.MAGIC, flags, pattern)
        parts = self.used.get(key) or self.known.get(key)
        if parts is not None:
            try:
                compiled = _sre.compile(pattern, *parts)
            except (RuntimeError, TypeError, ValueError, OverflowError):
                compiled = None  # code this engine refuses: compiled as without it
            if compiled is not None:
                self.used[key] = parts
                return compiled
        parts = _pattern_parts(pattern, flags)  # a bad pattern raises re.error, as ever
        self.patterns_compiled += 1
        self.unsaved += 1
        self.used[key] = parts
        return _sre.compile(pattern, *parts)


def _pattern_parts(pattern: str | bytes, flags: int) -> Parts:
    """What CPython 3.11's ``re._compiler.compile`` hands ``_sre.compile`` besides the
    pattern, worked out by the same steps (``tests/test_keptcode.py`` compares the two)."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, flags)
    # The engine reads the code as plain numbers; some are named constants of re's own,
    # which marshal would not keep.
    code = [int(word) for word in _compiler._code(parsed, flags)]
    groupindex = parsed.state.groupdict
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex,
            tuple(indexgroup))


_cache: _Cache | None = None
_compile = builtins.compile


def cache_file() -> Path:
    from d4a_desktop import paths

    return paths.user_cache_dir() / f"start-code-{sys.implementation.cache_tag}.bin"


def install(path: Path | None = None) -> bool:
    """Answer ``dataclasses``' compilations from the kept file (``path``, by default in
    the user cache folder) until :func:`uninstall`, and ``re``'s until :func:`save`.
    False when already installed."""
    global _cache
    import dataclasses

    if _cache is not None:
        return False
    if path is None:
        with contextlib.suppress(Exception):  # no cache folder to be found: compile
            path = cache_file()
    _cache = _Cache(path)
    dataclasses.exec = _cache.exec  # type: ignore[attr-defined]
    if _PATTERNS_KEPT:
        re._compiler.compile = _cache.pattern  # type: ignore[attr-defined]
    return True


@contextlib.contextmanager
def first_pyside_import() -> Iterator[None]:
    """Around a start's first import of PySide6: ``shiboken6``'s modules come from the
    kept code. Does nothing when the cache is not installed or PySide6 already loaded."""
    cache = _cache
    if cache is None or "shiboken6" in sys.modules or builtins.compile is not _compile:
        yield
        return
    builtins.compile = cache.compile
    try:
        yield
    finally:
        builtins.compile = _compile


def uninstall() -> None:
    """Leave ``dataclasses`` as Python has it (what is defined later compiles as usual)."""
    global _cache
    import dataclasses

    _cache = None
    with contextlib.suppress(AttributeError):
        del dataclasses.exec  # type: ignore[attr-defined]
    _stop_patterns()


def _stop_patterns() -> None:
    """``re`` compiles as Python has it again."""
    re._compiler.compile = _compile_pattern  # type: ignore[attr-defined]


def save() -> bool:
    """Keep the code this process used, when it had to compile any (after an update, on
    the first start). True when the file was written; a folder that cannot be written to
    only means the next start compiles again. The start is over: regular expressions
    compile as Python has it from here on."""
    _stop_patterns()
    cache = _cache
    if cache is None or cache.path is None or not cache.unsaved:
        return False
    data = marshal.dumps(cache.used)
    try:
        from d4a_desktop.storage import atomic

        cache.path.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_bytes(cache.path, _SIGNATURE + MAGIC_NUMBER
                           + zlib.crc32(data).to_bytes(4, "little") + data)
    except OSError:
        return False
    cache.unsaved = 0
    cache.known = dict(cache.used)
    with contextlib.suppress(OSError):  # what versions before December 2026 kept
        cache.path.with_name(f"dataclass-code-{sys.implementation.cache_tag}.bin").unlink(
            missing_ok=True)
    return True


def _is_key(key: object) -> bool:
    if isinstance(key, str):
        return True
    return (isinstance(key, tuple) and len(key) == 4 and isinstance(key[0], str)
            and key[0] != "sre" and isinstance(key[1], int) and isinstance(key[2], int)
            and isinstance(key[3], bytes))


def _is_pattern(key: object, parts: object) -> bool:
    """A regular expression's entry, in shape (the engine checks the code itself)."""
    return (isinstance(key, tuple) and len(key) == 4 and key[0] == "sre"
            and key[1] == _sre.MAGIC and type(key[2]) is int
            and isinstance(key[3], (str, bytes))
            and isinstance(parts, tuple) and len(parts) == 5 and type(parts[0]) is int
            and isinstance(parts[1], list) and type(parts[2]) is int
            and isinstance(parts[3], dict) and isinstance(parts[4], tuple))


def read(path: Path) -> dict[Key, Any]:
    """The kept code in ``path``; empty when it is missing, damaged, from another Python
    or not what this module writes."""
    try:
        blob = path.read_bytes()
    except (OSError, ValueError):
        return {}
    if (len(blob) < _HEADER or not blob.startswith(_SIGNATURE)
            or blob[len(_SIGNATURE):_HEADER - 4] != MAGIC_NUMBER):
        return {}
    data = memoryview(blob)[_HEADER:]
    if zlib.crc32(data) != int.from_bytes(blob[_HEADER - 4:_HEADER], "little"):
        return {}
    try:
        loaded = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {key: kept for key, kept in loaded.items()
            if (_is_key(key) and isinstance(kept, CodeType)) or _is_pattern(key, kept)}


def stats() -> tuple[int, int]:
    """(texts looked up, of which compiled) in this process, for tests and measurements."""
    cache = _cache
    if cache is None:
        return (0, 0)
    return (sum(isinstance(kept, CodeType) for kept in cache.used.values()), cache.compiled)


def pattern_stats() -> tuple[int, int]:
    """(regular expressions looked up, of which compiled) in this process."""
    cache = _cache
    if cache is None:
        return (0, 0)
    return (sum(not isinstance(kept, CodeType) for kept in cache.used.values()),
            cache.patterns_compiled)
