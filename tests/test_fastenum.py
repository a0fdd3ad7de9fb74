"""The enum classes :mod:`d4a_desktop.fastenum` makes equal the standard library's, attribute
by attribute and in behaviour, for made-up members and for every enum of PySide6's QtCore,
QtGui and QtWidgets; calls it does not repeat go to the standard library unchanged."""

from __future__ import annotations

import enum
import inspect
import json
import os
import pickle
import subprocess
import sys
import types
from collections.abc import Callable, Iterator
from enum import Enum, Flag, FlagBoundary, IntEnum, IntFlag
from typing import Any

import pytest

from d4a_desktop import fastenum

pytestmark = pytest.mark.skipif(
    sys.version_info[:2] != (3, 11) or fastenum.steps_fingerprint() not in fastenum.KNOWN_STEPS,
    reason="repeats the steps of CPython 3.11.7's enum module (elsewhere it stays out)")

KEEP = FlagBoundary.KEEP
BASES = (Enum, IntEnum, Flag, IntFlag)


@pytest.fixture
def fast_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Installed for one test; yields the names of the classes the standard library made
    while it was (so a comparison cannot silently compare the library with itself)."""
    handed: list[str] = []
    original = fastenum._LIBRARY_CREATE

    def spy(cls: Any, class_name: str, *args: Any, **kwargs: Any) -> Any:
        handed.append(class_name)
        return original(cls, class_name, *args, **kwargs)

    monkeypatch.setattr(fastenum, "_fallback", spy)
    assert fastenum.install()
    try:
        yield handed
    finally:
        fastenum.uninstall()
    assert enum.EnumType._create_ is original  # type: ignore[attr-defined]


def _norm(cls: Any, key: str, value: Any) -> Any:
    """A class attribute as something two equal classes share: members by name, bound
    methods by function, the unpicklable marker by what it is."""
    if isinstance(value, Enum) and type(value) is cls:
        return ("member", value._name_)
    if key == "_member_map_":
        return [(name, member._name_) for name, member in value.items()]
    if key == "_value2member_map_":
        return [(val, member._name_) for val, member in value.items()]
    if inspect.ismethod(value):
        return ("bound", value.__func__, value.__self__ is cls)
    if getattr(value, "__name__", "") == "_break_on_call_reduce":
        return "unpicklable"
    if isinstance(value, enum.property):  # the library's redirect for a shadowing name
        member = getattr(value, "member", None)
        return ("redirect", value.name, member and member._name_, value.fget, value.fset)
    if isinstance(value, (types.GetSetDescriptorType, types.MemberDescriptorType)):
        return ("descriptor", value.__name__, value.__objclass__ is cls)
    return value


def shape(cls: Any) -> Any:
    """Everything about an enum class that does not depend on which object it is."""
    attrs = [(key, _norm(cls, key, value)) for key, value in vars(cls).items()]
    members = [(name, list(vars(m)), m._name_, m._value_, m._sort_order_,
                m.__objclass__ is cls, type(m) is cls)
               for name, m in cls._member_map_.items()]
    return (attrs, members, cls.__name__, cls.__qualname__, cls.__module__, cls.__bases__,
            type(cls))


def _probe(look: Callable[[], Any]) -> Any:
    """What ``look()`` gives as text, or the error it raises (the library's own flag
    arithmetic fails for some members, and must fail alike)."""
    try:
        return repr(look())
    except Exception as exc:
        return ("error", type(exc).__name__, str(exc))


def behaviour(cls: Any) -> list[Any]:
    """What code sees of an enum class: iteration, text, lookups, flag arithmetic."""
    seen: list[Any] = [len(cls), [m.name for m in cls], list(cls.__members__)]
    for m in cls.__members__.values():
        seen.append((repr(m), str(m), format(m), m.value, m.name, hash(m) == hash(m._name_)))
        seen.append(_probe(lambda m=m: cls(m.value)))
    if issubclass(cls, Flag):
        values = [m.value for m in cls.__members__.values()]
        for a in values[:6]:
            seen.append(_probe(lambda a=a: ~cls(a)))
            for b in values[:6]:
                seen.append((_probe(lambda a=a, b=b: cls(a) | cls(b)),
                             _probe(lambda a=a, b=b: cls(a) & cls(b)),
                             _probe(lambda a=a, b=b: [repr(m) for m in cls(a | b)])))
    return seen


def _both(make: Callable[[], Any]) -> tuple[Any, Any]:
    """``make()`` by the standard library and by fastenum: a class or the error raised."""
    results = []
    for installed in (False, True):
        if installed:
            fastenum.install()
        try:
            results.append(make())
        except Exception as exc:  # the same error, or a test failure below
            results.append((type(exc), str(exc)))
        finally:
            fastenum.uninstall()
    return results[0], results[1]


MEMBER_SETS: dict[str, list[tuple[str, int]]] = {
    "plain": [("Red", 1), ("Green", 2), ("Blue", 3)],
    "from zero": [("Zero", 0), ("One", 1), ("Two", 2)],
    "aliases": [("First", 1), ("Second", 2), ("AlsoFirst", 1), ("Last", 2)],
    "negative and large": [("Minus", -1), ("Big", 1 << 40), ("Small", 3)],
    "flag bits out of order": [("Four", 4), ("One", 1), ("Two", 2)],
    "multi-bit flags": [("A", 1), ("B", 2), ("AB", 3), ("C", 8), ("All", 11), ("None_", 0)],
    "empty": [],
    "one": [("Only", 7)],
    "many": [(f"Key_{i}", 0x1000000 + i) for i in range(500)],
}


@pytest.mark.parametrize("base", BASES, ids=lambda b: b.__name__)
@pytest.mark.parametrize("members", MEMBER_SETS.values(), ids=list(MEMBER_SETS))
def test_made_up_members_give_the_standard_librarys_class(
        base: Any, members: list[tuple[str, int]], fast_calls: list[str]) -> None:
    fastenum.uninstall()
    library, ours = _both(lambda: base("Colour", list(members), boundary=KEEP))
    assert fast_calls == []  # every one made by fastenum's own step
    assert shape(ours) == shape(library)
    assert behaviour(ours) == behaviour(library)
    assert ours.__module__ == __name__  # named after the caller, as the library does


def test_an_enum_made_by_it_pickles_and_compares_as_the_librarys() -> None:
    fastenum.install()
    try:
        made = IntFlag("Made", [("A", 1), ("B", 2)], boundary=KEEP)
    finally:
        fastenum.uninstall()
    globals()["Made"] = made  # where pickle looks for it (module and name)
    try:
        both = made.A | made.B
        assert pickle.loads(pickle.dumps(both)) is both
        assert made.A == 1 and made(3) is both and made["B"] is made.B
        with pytest.raises(AttributeError, match="cannot reassign member"):
            made.A = 5
    finally:
        del globals()["Made"]


FALLBACKS: dict[str, Callable[[Any], Any]] = {
    "a name of the base": lambda b: b("E", [("name", 1), ("value", 2)], boundary=KEEP),
    "int's attribute": lambda b: b("E", [("real", 1), ("denominator", 2)], boundary=KEEP),
    "private name": lambda b: b("E", [("_hidden", 1), ("Shown", 2)], boundary=KEEP),
    "sunder name": lambda b: b("E", [("_order_", 1)], boundary=KEEP),
    "mro": lambda b: b("E", [("mro", 1)], boundary=KEEP),
    "repeated name": lambda b: b("E", [("A", 1), ("A", 2)], boundary=KEEP),
    "text value": lambda b: b("E", [("A", "a")], boundary=KEEP),
    "bool value": lambda b: b("E", [("A", True)], boundary=KEEP),
    "names as text": lambda b: b("E", "A B C"),
    "a mapping": lambda b: b("E", {"A": 1, "B": 2}),
    "module given": lambda b: b("E", [("A", 1)], module="somewhere.else"),
    "qualified name given": lambda b: b("E", [("A", 1)], qualname="Outer.E"),
    "mixed-in type": lambda b: b("E", [("A", 1)], type=int),
    "three-part member": lambda b: b("E", [("A", 1, 2)]),
}


@pytest.mark.parametrize("base", BASES, ids=lambda b: b.__name__)
@pytest.mark.parametrize("make", FALLBACKS.values(), ids=list(FALLBACKS))
def test_other_calls_are_the_standard_librarys_own(
        base: Any, make: Callable[[Any], Any], fast_calls: list[str]) -> None:
    fastenum.uninstall()
    library, ours = _both(lambda: make(base))
    if isinstance(library, tuple):  # an error: the same one
        assert ours == library
    else:
        assert shape(ours) == shape(library)
        assert behaviour(ours) == behaviour(library)


def test_other_calls_are_handed_to_the_standard_library(fast_calls: list[str]) -> None:
    IntEnum("Plain", [("A", 1)])
    IntEnum("Named", [("name", 1)])
    Flag("Mapped", {"A": 1})
    Enum("Typed", [("A", 1)], type=int)
    assert fast_calls == ["Named", "Mapped", "Typed"]


def test_members_of_a_base_with_its_own_init_are_left_to_the_standard_library(
        monkeypatch: pytest.MonkeyPatch, fast_calls: list[str]) -> None:
    seen: list[Any] = []

    def init(self: Any, *args: Any) -> None:
        seen.append(args)

    monkeypatch.setattr(IntEnum, "__init__", init)
    made: Any = IntEnum("Inited", [("A", 1), ("B", 2)])
    assert fast_calls == ["Inited"] and seen == [(1,), (2,)] and made.B == 2


def test_a_subclass_of_a_stock_enum_is_left_to_the_standard_library(
        fast_calls: list[str]) -> None:
    class Base(IntEnum):
        def double(self) -> int:
            return self.value * 2

    made: Any = Base("Sub", [("A", 1)])
    assert fast_calls == ["Sub"] and made.A.double() == 2


def test_other_steps_of_the_standard_library_keep_it_out(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Another release's steps (3.11.2 works out a flag's masks elsewhere) change the
    fingerprint, and an unknown fingerprint leaves the standard library alone."""
    known = fastenum.steps_fingerprint()
    original = enum._proto_member.__set_name__  # type: ignore[attr-defined]

    def set_name(self: Any, enum_class: Any, member_name: str) -> None:
        original(self, enum_class, member_name)
        enum_class._sort_order_ = 0

    monkeypatch.setattr(enum._proto_member, "__set_name__", set_name)  # type: ignore[attr-defined]
    assert fastenum.steps_fingerprint() != known
    assert fastenum.install() is False
    assert enum.EnumType._create_ is fastenum._LIBRARY_CREATE  # type: ignore[attr-defined]
    monkeypatch.undo()
    assert fastenum.steps_fingerprint() == known
    monkeypatch.setattr(fastenum, "KNOWN_STEPS", {})
    assert fastenum.install() is False


def test_it_installs_once_and_uninstalls() -> None:
    original = enum.EnumType._create_  # type: ignore[attr-defined]
    assert fastenum.install() is True
    try:
        assert fastenum.install() is False  # already
        assert enum.EnumType._create_ is fastenum._create  # type: ignore[attr-defined]
    finally:
        fastenum.uninstall()
    assert enum.EnumType._create_ is original  # type: ignore[attr-defined]


QT_ENUMS = r"""
import enum, json, sys
from d4a_desktop import fastenum

calls = []
create = enum.EnumType._create_

def record(cls, class_name, names, **kwargs):
    calls.append((cls, class_name, list(names), kwargs))
    return create(cls, class_name, names, **kwargs)

enum.EnumType._create_ = record
import PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets
for module in (PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets):
    for name in dir(module):
        getattr(module, name)
enum.EnumType._create_ = create

sys.path.insert(0, sys.argv[1])
from test_fastenum import behaviour, shape

def make(cls, class_name, names, kwargs, fast):
    if fast:
        fastenum.install()
    try:
        return cls(class_name, names, **kwargs)
    finally:
        fastenum.uninstall()

handed = []
fastenum._fallback = lambda cls, name, *a, **k: handed.append(name) or create(cls, name, *a, **k)
report = {"compared": 0, "differ": [], "handed": handed}
for cls, class_name, names, kwargs in calls:
    library = make(cls, class_name, names, kwargs, False)
    ours = make(cls, class_name, names, kwargs, True)
    report["compared"] += 1
    if shape(ours) != shape(library) or behaviour(ours) != behaviour(library):
        report["differ"].append(class_name)
print(json.dumps(report))
"""


def test_every_enum_of_qtcore_qtgui_and_qtwidgets_is_made_alike() -> None:
    """The members and calls shiboken really makes: recorded while every class of the three
    modules is touched, then each made by both and compared."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", QT_ENUMS, os.path.dirname(__file__)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["compared"] > 400
    assert report["differ"] == []
    assert len(report["handed"]) < report["compared"] / 50, report["handed"]


QT_SEEN = r"""
import json, pickle, sys
if sys.argv[1] == "fast":
    from d4a_desktop import fastenum
    assert fastenum.install()
from PySide6.QtCore import Qt, QEvent, QLocale
from PySide6.QtGui import QKeySequence, QFont
from PySide6.QtWidgets import QMessageBox, QSizePolicy, QAbstractItemView
seen = {}
for cls in (Qt.Key, Qt.AlignmentFlag, Qt.ItemDataRole, Qt.WindowType, QEvent.Type,
            QLocale.Language, QKeySequence.StandardKey, QFont.Weight,
            QMessageBox.StandardButton, QSizePolicy.Policy,
            QAbstractItemView.EditTrigger):
    rows = [cls.__module__, cls.__qualname__, len(cls), repr(type(cls)), repr(cls.__mro__)]
    for m in list(cls.__members__.values())[:60]:
        rows.append([repr(m), str(m), format(m), repr(cls(m.value)),
                     repr(pickle.loads(pickle.dumps(m)))])
    seen[cls.__qualname__] = rows
button = QMessageBox.StandardButton
seen["ops"] = [repr(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
               repr(button.Ok | button.Cancel), repr(~Qt.AlignmentFlag.AlignLeft),
               repr(Qt.Key(65)), Qt.Key.Key_A.value,
               repr(Qt.AlignmentFlag(0x21)), repr(QEvent.Type(12))]
print(json.dumps(seen))
"""


def test_qt_enums_read_the_same_with_it_installed() -> None:
    """As the program sees them, after shiboken's own finishing touches (module names,
    lookups of values that are not members)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = []
    for mode in ("library", "fast"):
        done = subprocess.run([sys.executable, "-c", QT_SEEN, mode], env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-3000:]
        out.append(json.loads(done.stdout))
    assert out[1] == out[0]
    assert out[0]["ops"][0] == "<AlignmentFlag.AlignLeft|AlignTop: 33>"
