"""The built-in SHA-1 gives what hashlib gives: names and ids stay as they were."""

from __future__ import annotations

import hashlib
import uuid

import pytest

from d4a_desktop import digest
from d4a_desktop.core.project import state_id


@pytest.mark.parametrize("data", [b"", b"abc", "Kortrijk · Å ø ĳ \U0001f600".encode(),
                                  bytes(range(256)) * 300])
def test_sha1_is_hashlibs(data: bytes) -> None:
    assert digest.sha1(data).hexdigest() == hashlib.sha1(data).hexdigest()
    assert digest.sha1(data).digest() == hashlib.sha1(data).digest()
    growing = digest.sha1()
    growing.update(data[:7])
    growing.update(data[7:])
    assert growing.hexdigest() == hashlib.sha1(data).hexdigest()


def test_without_the_built_in_module_hashlib_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "_sha1", None)  # import _sha1 now fails
    assert digest.sha1(b"abc").hexdigest() == hashlib.sha1(b"abc").hexdigest()


@pytest.mark.parametrize("name", ["", "item:c1.a1.i1", "tandem · Ærø", "x" * 1000])
def test_uuid5_is_the_standard_librarys(name: str) -> None:
    for namespace in (uuid.NAMESPACE_URL, uuid.UUID("0f1e2d3c-4b5a-4697-8877-665544332211")):
        assert digest.uuid5(namespace, name) == uuid.uuid5(namespace, name)


def test_state_ids_are_those_of_earlier_versions() -> None:
    """Ids already in project files: a changed id would split one answer in two."""
    project = "6f0c1d2e-3b4a-4c5d-8e9f-a0b1c2d3e4f5"
    assert state_id(project, "item", "c1.a1.i1") == str(
        uuid.uuid5(uuid.UUID(project), "item:c1.a1.i1"))
    assert state_id("not-a-uuid", "activity", "c2.a1") == str(
        uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_URL, "not-a-uuid"), "activity:c2.a1"))
