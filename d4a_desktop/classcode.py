"""The methods ``dataclasses`` writes for our classes, compiled once and kept.

For every dataclass, Python 3.11 and 3.12 write each generated method (``__init__``,
``__repr__``, ``__eq__``, ``__hash__``, and for a frozen class ``__setattr__`` and
``__delattr__``) as source text and compile that text on its own. A start of the program
defines 69 dataclasses: some 410 compilations of a few lines each, 75 ms, a tenth of the
whole start, to get the same code as on every start before. (Python 3.13 compiles a
class's methods in one go.)

So the program keeps, like the interpreter's own ``.pyc`` files, the compiled code of each
text in the user cache folder, and a start runs the kept code instead of compiling the text
again. ``dataclasses`` still writes every text and executes it as before; only the step
from text to code is skipped when the very same text was compiled before, by the same
Python (the file is keyed by the interpreter's bytecode magic number). Nothing else of
``dataclasses`` is touched: the cache answers its ``exec`` calls, during the start only.

The kept file holds what the last start used; a start that compiled anything writes it
anew (atomically), so classes that changed or went away leave it with the next start. A
missing, damaged, foreign or unreadable file is ignored (a checksum guards the bytes
before they are read as code) and the texts are compiled as without it.
"""

from __future__ import annotations

import builtins
import contextlib
import marshal
import sys
import zlib
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from types import CodeType
from typing import Any

_SIGNATURE = b"D4A-dataclass-code\n"
_HEADER = len(_SIGNATURE) + len(MAGIC_NUMBER) + 4


class _Cache:
    """The kept code (``known``), what this process used (``used``), how many texts it had
    to compile (``compiled``) and how many of those are not kept yet (``unsaved``)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.known: dict[str, CodeType] = read(path) if path is not None else {}
        self.used: dict[str, CodeType] = {}
        self.compiled = 0
        self.unsaved = 0

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
        code = self.used.get(source) or self.known.get(source)
        if code is None:
            # As exec(text) compiles it: file "<string>", no future flags of ours.
            code = compile(source, "<string>", "exec", dont_inherit=True)
            self.compiled += 1
            self.unsaved += 1
        self.used[source] = code
        builtins.exec(code, globals, locals)


_cache: _Cache | None = None


def cache_file() -> Path:
    from d4a_desktop import paths

    return paths.user_cache_dir() / f"dataclass-code-{sys.implementation.cache_tag}.bin"


def install(path: Path | None = None) -> bool:
    """Answer ``dataclasses``' compilations from the kept file (``path``, by default in
    the user cache folder) until :func:`uninstall`. False when already installed."""
    global _cache
    import dataclasses

    if _cache is not None:
        return False
    if path is None:
        with contextlib.suppress(Exception):  # no cache folder to be found: compile
            path = cache_file()
    _cache = _Cache(path)
    dataclasses.exec = _cache.exec  # type: ignore[attr-defined]
    return True


def uninstall() -> None:
    """Leave ``dataclasses`` as Python has it (what is defined later compiles as usual)."""
    global _cache
    import dataclasses

    _cache = None
    with contextlib.suppress(AttributeError):
        del dataclasses.exec  # type: ignore[attr-defined]


def save() -> bool:
    """Keep the code this process used, when it had to compile any (after an update, on
    the first start). True when the file was written; a folder that cannot be written to
    only means the next start compiles again."""
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
    return True


def read(path: Path) -> dict[str, CodeType]:
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
    return {text: code for text, code in loaded.items()
            if isinstance(text, str) and isinstance(code, CodeType)}


def stats() -> tuple[int, int]:
    """(texts looked up, of which compiled) in this process, for tests and measurements."""
    cache = _cache
    return (len(cache.used), cache.compiled) if cache is not None else (0, 0)
