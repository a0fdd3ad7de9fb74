"""Test set-up shared by every suite.

Qt runs on the offscreen platform (set before anything imports Qt), every per-user
folder goes to a temporary D4A_HOME, and the interface language starts as English.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["D4A_HOME"] = tempfile.mkdtemp(prefix="d4a-test-home-")
for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(var, None)
os.environ["LANG"] = "C.UTF-8"

import hashlib  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from d4a_desktop import i18n  # noqa: E402


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private per-user folder for one test, away from the test's own files (so that
    "nothing was written beside the project" checks see only the project's folder)."""
    folder = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("D4A_HOME", str(folder))
    return folder


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
