"""Compile the gettext catalogs into the wheel (``d4a_desktop/locale``).

Compiled catalogs are build output and never committed. The compiler is the program's
own (``d4a_desktop/i18n/catalogs.py``), loaded by path so the build needs only babel.
"""

from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return  # an editable install compiles catalogs on first run instead
        root = Path(self.root)
        spec = importlib.util.spec_from_file_location(
            "_d4a_catalogs", root / "d4a_desktop" / "i18n" / "catalogs.py")
        assert spec and spec.loader
        catalogs = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(catalogs)
        self._tmp = tempfile.TemporaryDirectory(prefix="d4a-locale-")
        out = Path(self._tmp.name)
        for mo in catalogs.compile_tree(root / "translations", out):
            rel = mo.relative_to(out).as_posix()
            build_data["force_include"][str(mo)] = f"d4a_desktop/locale/{rel}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact: str) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp is not None:
            tmp.cleanup()
