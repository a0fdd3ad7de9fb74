"""Shared fixtures of the exchange tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from d4a_desktop.services.exchange import package as pkg
from d4a_desktop.services.projects import ProjectSession, open_project
from tests.services.exchange.projects import rich_project


@pytest.fixture(scope="session")
def rich_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed project with records of every kind; copy it before changing it."""
    path = tmp_path_factory.mktemp("rich") / "rich.d4a"
    rich_project(path).close()
    return path


@pytest.fixture
def rich(rich_file: Path, tmp_path: Path) -> Iterator[ProjectSession]:
    """A fresh copy of the rich project, open for work."""
    copy = tmp_path / "mine.d4a"
    shutil.copyfile(rich_file, copy)
    session = open_project(copy)
    yield session
    session.close()


@pytest.fixture(scope="session")
def rich_package(rich_file: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    from d4a_desktop.services.projects import read_project

    session = read_project(rich_file)
    try:
        data, _manifest = pkg.build(session)
    finally:
        session.close()
    return data
