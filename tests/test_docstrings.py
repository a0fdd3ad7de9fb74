"""Every dataclass of the package has a docstring of its own.

A dataclass without one gets one made by ``dataclasses`` when the class is defined: its name
and ``inspect.signature`` of the class (Python 3.11 and 3.12), which costs 0.1-0.2 ms per
class. A start defines some forty dataclasses, so that was 5-6 ms of every start, for a text
nobody reads. The house rule asks for a docstring anyway: what the class is for, which its
fields do not say.

The classes are found twice: by reading the source (every class decorated with
``dataclass``, so that none is missed because a test run happened not to import its
module) and at run time (every dataclass each of those modules defines, however made).
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
from pathlib import Path

import d4a_desktop

PACKAGE = Path(d4a_desktop.__file__).parent


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_dataclass_decorator(node: ast.expr) -> bool:
    """``@dataclass``, ``@dataclass(...)``, ``@dataclasses.dataclass`` and its call."""
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Name):
        return target.id == "dataclass"
    return isinstance(target, ast.Attribute) and target.attr == "dataclass"


def dataclass_sites(tree: ast.Module) -> list[tuple[str, int, bool]]:
    """(qualified name, line, defined inside a function) of every decorated dataclass."""
    found: list[tuple[str, int, bool]] = []

    def visit(node: ast.AST, prefix: str, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                name = prefix + child.name
                if any(is_dataclass_decorator(d) for d in child.decorator_list):
                    found.append((name, child.lineno, in_function))
                visit(child, name + ".", in_function)
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, f"{prefix}{child.name}.<locals>.", True)
            else:
                visit(child, prefix, in_function)

    visit(tree, "", False)
    return found


def sources() -> dict[str, ast.Module]:
    """The parsed modules of the package that mention dataclasses, by module name."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if "dataclass" in text:
            found[module_name(path)] = ast.parse(text, str(path))
    return found


def own_docstring(cls: type) -> str | None:
    """The class's own docstring; None when it has none or ``dataclasses`` made it."""
    doc = cls.__dict__.get("__doc__")
    if not isinstance(doc, str) or not doc.strip():
        return None
    if doc.startswith(cls.__name__ + "("):
        return None
    return doc


def dataclasses_of(module: object) -> dict[str, type]:
    """Every dataclass defined in ``module`` (at its top level or nested in its classes),
    by qualified name."""
    name = getattr(module, "__name__", "")
    found: dict[str, type] = {}
    seen: set[int] = set()
    todo = [v for v in vars(module).values() if isinstance(v, type)]
    while todo:
        cls = todo.pop()
        if cls.__module__ != name or id(cls) in seen:
            continue
        seen.add(id(cls))
        if dataclasses.is_dataclass(cls):
            found[cls.__qualname__] = cls
        todo += [v for v in vars(cls).values() if isinstance(v, type)]
    return found


def test_the_scan_sees_every_form_of_the_decorator() -> None:
    sample = ast.parse(
        "import dataclasses\nfrom dataclasses import dataclass\n"
        "@dataclass\nclass A:\n    x: int\n"
        "@dataclass(frozen=True, slots=True)\nclass B:\n    x: int\n"
        "@dataclasses.dataclass\nclass C:\n    x: int\n"
        "class Outer:\n    @dataclasses.dataclass(kw_only=True)\n    class D:\n        x: int\n"
        "def make():\n    @dataclass\n    class E:\n        x: int\n    return E\n"
        "@functools.total_ordering\nclass NotOne:\n    pass\n")
    assert [(name, local) for name, _line, local in dataclass_sites(sample)] == [
        ("A", False), ("B", False), ("C", False), ("Outer.D", False),
        ("make.<locals>.E", True)]


def test_the_scan_sees_the_package() -> None:
    found = {f"{module}.{name}" for module, tree in sources().items()
             for name, _line, _local in dataclass_sites(tree)}
    for expected in ("d4a_desktop.i18n._State", "d4a_desktop.core.content.Roadmap",
                     "d4a_desktop.core.commands.SetItemFields", "d4a_desktop.core.rules.Outcome",
                     "d4a_desktop.storage.lock.Holder", "d4a_desktop.gui.records.Column",
                     "d4a_desktop.services.printing.flowables.Column"):
        assert expected in found
    assert len(found) > 100


def test_a_made_docstring_is_not_one_of_its_own() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Bare:
        x: int

    @dataclasses.dataclass
    class Told:
        """Why it exists."""

        x: int

    @dataclasses.dataclass
    class Heir(Told):
        y: int = 0

    assert (Bare.__doc__ or "").startswith("Bare(x: ")  # what dataclasses makes
    assert own_docstring(Bare) is None
    assert own_docstring(Told) == "Why it exists."
    assert own_docstring(Heir) is None  # the parent's does not count


def test_every_dataclass_has_a_docstring_of_its_own() -> None:
    missing = []
    checked = 0
    for module_name_, tree in sources().items():
        sites = dataclass_sites(tree)
        if not sites:
            continue
        module = importlib.import_module(module_name_)
        defined = dataclasses_of(module)
        for name, line, local in sites:
            if local:  # not reachable from the module: judge the source
                node = next(n for n in ast.walk(tree)
                            if isinstance(n, ast.ClassDef) and n.lineno == line)
                if not ast.get_docstring(node):
                    missing.append(f"{module_name_}.{name} (line {line})")
                checked += 1
                continue
            assert name in defined, f"{module_name_}.{name} is not a dataclass when imported"
        for name, cls in defined.items():
            checked += 1
            if own_docstring(cls) is None:
                missing.append(f"{module_name_}.{name}")
    assert checked > 100
    assert not missing, "dataclasses without a docstring of their own (say what each is " \
        "for; dataclasses makes one from inspect.signature otherwise, at a cost on every " \
        "start): " + ", ".join(missing)
