"""Property: export then import gives the same project, whatever was edited."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from d4a_desktop.core import kinds
from d4a_desktop.core.records import Field, FieldType, Kind
from d4a_desktop.core.vocab import Condition, Status
from d4a_desktop.services.exchange import export_package, import_package, package
from d4a_desktop.services.projects import (
    NewProject,
    create_project,
    open_project,
    read_project,
)
from d4a_desktop.storage import snapshot
from tests.services.exchange.projects import ACTIVITIES, ITEMS

TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\r\n\x00"),
               max_size=20)
LONG = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
               max_size=40)
JSON = st.recursive(st.none() | st.booleans() | st.integers(-10**6, 10**6) | TEXT |
                    st.floats(allow_nan=False, allow_infinity=False, width=32),
                    lambda inner: st.lists(inner, max_size=3) |
                    st.dictionaries(TEXT, inner, max_size=3), max_leaves=6)


def value(f: Field) -> st.SearchStrategy[Any]:
    t = f.type
    if t is FieldType.TEXT:
        return TEXT
    if t in (FieldType.LONGTEXT, FieldType.URL):
        return LONG
    if t is FieldType.DATE:
        return st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))
    if t is FieldType.INTEGER:
        return st.none() | st.integers(f.minimum or -1000, f.maximum or 1000)
    if t is FieldType.NUMBER:
        return st.none() | st.integers(-1000, 1000) | \
            st.floats(-1e9, 1e9, allow_nan=False, width=32)
    if t is FieldType.JSON:
        return JSON
    if t is FieldType.YESNO:
        return st.none() | st.booleans()
    if t is FieldType.CHOICE:
        assert f.vocabulary is not None
        return st.sampled_from(("", *f.vocabulary.codes()))
    if t is FieldType.CHOICES:
        assert f.vocabulary is not None
        return st.lists(st.sampled_from(f.vocabulary.codes()), unique=True,
                        max_size=3).map(tuple)
    if t is FieldType.ACTIVITY:
        return st.sampled_from(("", *ACTIVITIES))
    if t is FieldType.ACTIVITIES:
        return st.lists(st.sampled_from(ACTIVITIES), unique=True, max_size=3).map(tuple)
    if t is FieldType.REFERENCE:
        return st.just("") | st.uuids().map(str)
    raise AssertionError(t)


def values(kind: Kind) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({f.name: value(f) for f in kind.fields})


KIND = st.sampled_from(kinds.KINDS)
EDIT = st.one_of(
    KIND.flatmap(lambda k: st.tuples(st.just("create"), st.just(k), values(k))),
    KIND.flatmap(lambda k: st.tuples(st.just("set"), st.just(k), values(k))),
    st.tuples(st.just("delete"), KIND, st.booleans()),
    st.tuples(st.just("item"), st.sampled_from(ITEMS),
              st.fixed_dictionaries({"done": st.booleans(), "owner": TEXT, "note": LONG})),
    st.tuples(st.just("activity"), st.sampled_from(ACTIVITIES), st.sampled_from(Status)),
    st.tuples(st.just("condition"), st.sampled_from(Condition), st.none() | st.booleans()),
)


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("blank") / "blank.d4a"
    create_project(path, NewProject(title="Blank", municipality="Vejle", country="DK"),
                   author="Mette").close()
    return path


def apply(file: Any, edits: list[tuple[Any, ...]]) -> None:
    made: dict[str, list[str]] = {}
    for edit in edits:
        what = edit[0]
        if what == "create":
            rid = str(uuid.uuid4())
            file.create_record(edit[1], rid, edit[2])
            made.setdefault(edit[1].name, []).append(rid)
        elif what == "set" and made.get(edit[1].name):
            file.update_record(edit[1], made[edit[1].name][-1], edit[2])
        elif what == "delete" and made.get(edit[1].name):
            file.set_deleted(edit[1], made[edit[1].name][0], edit[2])
        elif what == "item":
            file.update_item(edit[1], edit[2])
        elif what == "activity":
            file.update_activity(edit[1], {"status": edit[2]})
        elif what == "condition":
            file.update_conditions({edit[1]: edit[2]})


def _logged(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Changes as a project file keeps them: whether values were withheld is not kept."""
    return [{k: v for k, v in c.items() if k != "withheld"} for c in changes]


# Each example writes and reads two project files: few examples, and no shrinking (which
# would take minutes); a failure prints its example in full.
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck),
          phases=(Phase.explicit, Phase.reuse, Phase.generate))
@given(edits=st.lists(EDIT, min_size=1, max_size=12),
       leave_out=st.lists(st.sampled_from(["notes", "owners", "comments", "personal"]),
                          unique=True, max_size=2))
def test_export_then_import_gives_the_same_project(blank: Path, edits: list[tuple[Any, ...]],
                                                   leave_out: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        mine = Path(folder) / "mine.d4a"
        shutil.copyfile(blank, mine)
        session = open_project(mine, author="Mette")
        try:
            apply(session.file, edits)
            export_package(session, Path(folder) / "p.d4ax", leave_out=leave_out)
            expected = package.withhold(snapshot.take(session.file, leave_out=leave_out),
                                        leave_out)
        finally:
            session.close()
        import_package(Path(folder) / "p.d4ax", Path(folder) / "copy.d4a")
        copy = read_project(Path(folder) / "copy.d4a")
        try:
            got = snapshot.take(copy.file)
        finally:
            copy.close()
    assert got["changes"] == _logged(expected["changes"])
    if not leave_out:
        assert got == {**expected, "changes": got["changes"]}
    else:  # what was left out comes back empty; everything else is the same
        assert got["project"]["id"] == expected["project"]["id"]
        for kind, entries in expected["records"].items():
            assert [e["id"] for e in got["records"][kind]] == [e["id"] for e in entries]
            for mine_entry, their_entry in zip(entries, got["records"][kind], strict=True):
                for name, v in mine_entry["values"].items():
                    assert their_entry["values"][name] == v


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(kind=KIND, data=st.data())
def test_any_valid_records_travel_unchanged_in_a_package(kind: Kind,
                                                         data: st.DataObject) -> None:
    """Package level, without files: what is packed is what is read."""
    from tests.services.exchange.projects import minimal_snapshot, record

    snap = minimal_snapshot()
    for _n in range(data.draw(st.integers(1, 4))):
        raw = data.draw(values(kind))
        encoded = {k: snapshot._encode(kind.field(k).type, v) for k, v in raw.items()}
        snap["records"][kind.name].append(record(**encoded))
    read = package.parse_package(Path("p.d4ax"), package.pack(snap)[0])
    assert read.snapshot == snap
