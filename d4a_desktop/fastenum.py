"""The enum classes PySide6 asks Python for, made in fewer steps with the same result.

PySide6 turns each C++ enum into a Python ``enum`` class when the class that holds it is
first used, through the ``enum`` module's functional interface (``IntEnum(name, [(member,
value), ...])``). The standard library makes such a class as it makes one from a class
statement: every member first goes through a checking class dictionary and then through
an intermediate object that is deleted and replaced again, some 35 µs of Python per member
and 0.35 ms per class on this machine. The ``Qt`` namespace alone holds 94 enums (``Qt.Key``
has 471 members); a start of the program creates 203 enum classes, 150 ms of a 0.8 s start,
where a bare Qt window creates 37.

:func:`install` answers the calls shaped like shiboken's (one of the four stock bases, a
list of ``(name, int)`` pairs, no qualified name or mixed-in type given) by building the
class and its members directly, in the order and with the attributes that
``EnumType.__new__`` and ``_proto_member.__set_name__`` of CPython 3.11.7 give them (the tests
compare both, attribute by attribute, for every enum of ``QtCore``, ``QtGui`` and
``QtWidgets``). Anything else, including a member name that is reserved, private, repeated
or shadows an attribute of the base class (where the standard library places a redirect or
raises), goes to the standard library's own step. The standard library's steps changed
between releases of 3.11 itself: :func:`install` does nothing unless a digest of them is
one the tests compared with (:data:`KNOWN_STEPS`).
"""

from __future__ import annotations

import contextlib
import enum
import sys
import zlib
from enum import Enum, EnumType, Flag, IntEnum, IntFlag
from types import CodeType
from typing import Any

#: The CPython release whose steps :func:`_create` repeats.
_SUPPORTED = (3, 11)
_STOCK = (Enum, IntEnum, Flag, IntFlag)
#: The metaclass, for its private steps (which the typing stubs leave out).
_META: Any = EnumType
#: The standard library's own step, which :func:`uninstall` puts back.
_LIBRARY_CREATE = _META._create_
#: Where the calls that :func:`_create` does not repeat go (the same step).
_fallback = _LIBRARY_CREATE
_type_setattr = type.__setattr__
#: What the stock bases' members are initialised with: nothing is done (see _build).
_ENUM_INIT = Enum.__init__


class _Base:
    """What the standard library works out from the base class alone, once per base."""

    def __init__(self, base: EnumType) -> None:
        metacls: Any = type(base)
        self.member_type, self.first_enum = metacls._get_mixins_(base.__name__, (base,))
        self.new, self.save_new, self.use_args = metacls._find_new_(
            {}, self.member_type, self.first_enum)
        self.value_repr = metacls._find_data_repr_(base.__name__, (base,))
        self.is_flag = issubclass(base, Flag)
        # What EnumType.__new__ puts back on the class when the base's method is its
        # data type's or object's: the same for every class made on this base.
        self.restored = tuple(
            (name, getattr(self.first_enum, name))
            for name in ("__repr__", "__str__", "__format__", "__reduce_ex__")
            if getattr(base, name) in (getattr(self.member_type, name),
                                       getattr(object, name)))
        # A member named like an attribute of a base class gets a redirect (or shadows
        # it): left to the standard library.
        self.taken = frozenset(name for klass in base.__mro__ for name in vars(klass))


_bases: dict[EnumType, _Base] = {}


def _base_of(cls: EnumType) -> _Base | None:
    """The parts of a stock base (worked out with its first class); None for any other."""
    if cls not in _STOCK:
        return None
    base = _bases.get(cls)
    if base is None:
        base = _bases[cls] = _Base(cls)
    return base


def _plain_members(names: Any, taken: frozenset[str]) -> bool:
    """True when every member is a ``(name, int)`` pair the standard library would turn
    into a plain member: a public name, used once, not an attribute of the base."""
    if names.__class__ is not list:
        return False
    seen = set()
    for item in names:
        if item.__class__ is not tuple or len(item) != 2:
            return False
        name, value = item
        if (name.__class__ is not str or value.__class__ is not int or not name
                or name[0] == "_" or name == "mro" or name in taken or name in seen):
            return False
        seen.add(name)
    return True


def _create(cls: EnumType, class_name: str, names: Any, *, module: str | None = None,
            qualname: str | None = None, type: type | None = None, start: int = 1,
            boundary: enum.FlagBoundary | None = None) -> EnumType:
    """``EnumType._create_`` while installed (``cls`` is the base the call was made on)."""
    base = _base_of(cls)
    if module is None:
        # The standard library's own way to name the calling module, from the same depth
        # (its step, called from here, would find this module's caller instead).
        with contextlib.suppress(AttributeError, ValueError, KeyError):
            module = sys._getframe(2).f_globals["__name__"]
    if (base is None or qualname is not None or type is not None
            or getattr(cls, "__init__") is not _ENUM_INIT  # noqa: B009 (mypy: on the class)
            or not _plain_members(names, base.taken)):
        # Unnamed module: the standard library's step names it after this module's caller
        # (``enum``), where called directly it would make the class unpicklable. Shiboken
        # always runs below Python code and sets the module itself afterwards.
        return _fallback(cls, class_name, names, module=module, qualname=qualname, type=type,
                         start=start, boundary=boundary)
    return _build(cls, base, class_name, names, module, boundary)


def _build(cls: EnumType, base: _Base, class_name: str, names: list[tuple[str, int]],
           module: str | None, boundary: enum.FlagBoundary | None) -> EnumType:
    """The class ``EnumType.__new__`` makes from these members, without its checks (which
    :func:`_plain_members` made) and without the intermediate member objects."""
    member_names: list[str] = []
    member_map: dict[str, Any] = {}
    value_map: dict[int, Any] = {}
    first_enum = base.first_enum
    body: dict[str, Any] = {
        "_generate_next_value_": getattr(first_enum, "_generate_next_value_", None)}
    if module is None:
        enum._make_class_unpicklable(body)  # type: ignore[attr-defined]
    else:
        body["__module__"] = module
    body.update({
        "_new_member_": base.new,
        "_use_args_": base.use_args,
        "_member_names_": member_names,
        "_member_map_": member_map,
        "_value2member_map_": value_map,
        "_unhashable_values_": [],
        "_member_type_": base.member_type,
        "_value_repr_": base.value_repr,
    })
    if base.is_flag:  # the library adds these to every class and removes them again
        body.update({  # from one that is not a flag
            "_boundary_": boundary or getattr(first_enum, "_boundary_", None),
            "_flag_mask_": 0,
            "_singles_mask_": 0,
            "_all_bits_": 0,
            "_inverted_": None,
        })
    enum_class: Any = _META.__new__(_META, class_name, (cls,), body, _simple=True)
    new, use_args, member_type, is_flag = base.new, base.use_args, base.member_type, \
        base.is_flag
    flag_mask = singles = 0
    for name, value in names:
        member = new(enum_class, value) if use_args else new(enum_class)
        if not hasattr(member, "_value_"):
            member._value_ = value if member_type is object else member_type(value)
        value = member._value_
        member._name_ = name
        member.__objclass__ = enum_class
        # (member.__init__(value): Enum's, which does nothing; see _create)
        member._sort_order_ = len(member_names)
        single = value != 0 and not value & (value - 1)
        if is_flag:
            flag_mask |= value
            if single:
                singles |= value
        canonical = value_map.get(value)
        if canonical is None:
            if not is_flag or single:
                member_names.append(name)
            value_map[value] = member
        else:
            member = canonical  # an alias: the name stands for the first member
        _type_setattr(enum_class, name, member)
        member_map[name] = member
    # None of the names set from here on is a member: EnumType.__setattr__, which checks
    # that, is passed by.
    if is_flag:
        _type_setattr(enum_class, "_flag_mask_", flag_mask)
        _type_setattr(enum_class, "_singles_mask_", singles)
        _type_setattr(enum_class, "_all_bits_", 2 ** flag_mask.bit_length() - 1)
    for attr, method in base.restored:
        if attr not in body:
            _type_setattr(enum_class, attr, method)
    if is_flag:
        for attr in ("__or__", "__and__", "__xor__", "__ror__", "__rand__", "__rxor__",
                     "__invert__"):
            _type_setattr(enum_class, attr, getattr(Flag, attr))
    if base.save_new:
        _type_setattr(enum_class, "__new_member__", new)
    _type_setattr(enum_class, "__new__", Enum.__new__)
    if is_flag:
        values = [member._value_ for member in enum_class]
        if values != sorted(values):
            _type_setattr(enum_class, "_iter_member_", enum_class._iter_member_by_def_)
    return enum_class


def _code_print(code: CodeType) -> bytes:
    """A code object's instructions, names and constants (nested code included), without
    its file name and line numbers, which differ between installations."""
    parts = [code.co_code, repr(code.co_names).encode()]
    for const in code.co_consts:
        parts.append(_code_print(const) if isinstance(const, CodeType)
                     else repr(const).encode())
    return b"\0".join(parts)


def steps_fingerprint() -> str:
    """A digest of the standard library's steps that :func:`_build` and
    :func:`_plain_members` repeat. CPython 3.11 changed them between its releases (3.11.2
    works out a flag's masks elsewhere than 3.11.7), so the repetition is used only where
    these steps are the ones it was compared with."""
    steps = (_META.__new__, _META.__prepare__, _LIBRARY_CREATE, _META.__call__,
             enum._proto_member.__set_name__,  # type: ignore[attr-defined]
             enum._EnumDict.__setitem__)
    text = b"\1".join(_code_print(step.__code__) for step in steps)
    return f"{zlib.crc32(text):08x}-{len(text)}"


#: The digests of the standard library steps :func:`_build` repeats, by the release they
#: come from (``tests/test_fastenum.py`` compares the results on each).
KNOWN_STEPS = {
    "076b15d0-12770": "CPython 3.11.7",
}


def install() -> bool:
    """Answer the enum classes PySide6 asks for with :func:`_create`, where the standard
    library's steps are known ones (:data:`KNOWN_STEPS`). Returns whether it was
    installed by this call."""
    if sys.version_info[:2] != _SUPPORTED or sys.implementation.name != "cpython" \
            or _META._create_ is _create or steps_fingerprint() not in KNOWN_STEPS:
        return False
    _META._create_ = _create
    return True


def uninstall() -> None:
    """The standard library's own step again."""
    _META._create_ = _LIBRARY_CREATE
