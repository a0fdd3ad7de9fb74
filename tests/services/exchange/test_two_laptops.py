"""The exchange's "Done when", end to end below the GUI: two copies of the demo edited
apart as on two laptops are exchanged both ways, over a shared folder and over WebDAV, and
end equal, with the three conflicts decided by the user (one kept, one taken, one typed).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from d4a_desktop.core import merge
from d4a_desktop.services import merging
from d4a_desktop.services.exchange import sync
from d4a_desktop.services.exchange.webdav import WebDav
from d4a_desktop.services.projects import ProjectSession
from tests.services.exchange import laptops as lp
from tests.services.exchange.davserver import PASSWORD, USER, DavServer


@pytest.fixture
def two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
        ) -> Iterator[tuple[lp.Laptops, ProjectSession, ProjectSession]]:
    laptops = lp.make(tmp_path, monkeypatch)
    a, b = laptops.open("a"), laptops.open("b")
    lp.edit_apart(laptops, a, b)
    yield laptops, a, b
    a.close()
    b.close()


@pytest.fixture(params=["folder", "webdav"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sync.Target]:
    if request.param == "folder":
        share = tmp_path / "share"
        share.mkdir()
        yield sync.FolderTarget(share)
        return
    server = DavServer(tmp_path / "dav").start()
    yield WebDav(server.url, USER, PASSWORD)
    server.close()


def decide(plan: merge.Plan) -> dict[tuple[str, str, str], Any]:
    """The user's decisions on laptop B: keep B's likelihood, take A's status, type a note."""
    by_field = {(x.kind, x.field): x for x in plan.conflicts}
    assert sorted(by_field) == [("activity", "status"), ("item", "note"),
                                ("risks", "likelihood")]
    return {by_field[("risks", "likelihood")].ident: by_field[("risks", "likelihood")].mine.value,
            by_field[("activity", "status")].ident: by_field[("activity", "status")].theirs.value,
            by_field[("item", "note")].ident: lp.TYPED_NOTE}


def test_two_laptops_exchange_both_ways_and_end_equal(
        two: tuple[lp.Laptops, ProjectSession, ProjectSession], target: sync.Target) -> None:
    laptops, a, b = two
    before = lp.differences(lp.dump(a), lp.dump(b))
    assert len(before) > 40  # apart: every kind, the items, the conflicts
    with laptops.on("a"):  # A sends
        first = sync.sync(a, target, author=lp.AUTHORS["a"])
        assert first.sent == [sync.package_name(a.file.project_id)] and not first.received
    with laptops.on("b"):  # B fetches A's package and merges it
        second = sync.sync(b, target, author=lp.AUTHORS["b"])
        (received,) = second.received
        assert received.same_project and received.name == first.sent[0]
        plan, _package = merging.package_plan(b, received.path)
        conflicts = {(x.kind, x.field): x for x in plan.conflicts}
        assert conflicts[("item", "note")].mine.value == lp.NOTES["b"]
        assert conflicts[("item", "note")].theirs.value == lp.NOTES["a"]
        assert conflicts[("item", "note")].theirs.author == lp.AUTHORS["a"]
        assert conflicts[("risks", "likelihood")].theirs.value == laptops.likelihood["a"]
        b.execute(merging.command(plan, decide(plan)))
        merged = lp.dump(b)
        summary, again = merging.merge_package(b, received.path)
        assert again.empty and summary.taken == 0  # the same package twice changes nothing
        assert lp.dump(b) == merged
        third = sync.sync(b, target, author=lp.AUTHORS["b"])  # B sends back
        assert third.sent == [sync.package_name(b.file.project_id)] and not third.received
    with laptops.on("a"):  # A fetches B's package and merges it: nothing left to decide
        fourth = sync.sync(a, target, author=lp.AUTHORS["a"])
        (back,) = fourth.received
        assert back.name == third.sent[0]
        plan, _package = merging.package_plan(a, back.path)
        assert plan.conflicts == [] and not plan.empty
        a.execute(merging.command(plan, {}))
        assert merging.package_plan(a, back.path)[0].empty

    one, other = lp.dump(a), lp.dump(b)
    assert lp.differences(one, other) == []
    assert one == other
    check_outcome(laptops, a)


def check_outcome(laptops: lp.Laptops, session: ProjectSession) -> None:
    """What both laptops did is in the project, with the three decisions."""
    state = session.state()
    assert state.item(lp.NOTE_ITEM).note == lp.TYPED_NOTE
    assert session.file.get_record("risks", laptops.risk).values["likelihood"] == \
        laptops.likelihood["b"]
    assert state.activity(lp.STATUS_ACTIVITY).status is lp.STATUS["a"]
    # the history of the item says who typed the decided note, on both laptops
    from d4a_desktop.services import history

    entries = history.of(session, lp.NOTE_ITEM)
    assert any(e.author == lp.AUTHORS["b"] and lp.TYPED_NOTE in e.change
               for e in entries), entries
    shared = state.item(laptops.untouched_item)
    assert shared.done and shared.owner == lp.AUTHORS["b"]
    for side in "ab":
        for item, values in laptops.items[side].items():
            got = state.item(item)
            assert {k: getattr(got, k) for k in values} == values, (side, item)
        for kind, rid in laptops.created[side]:
            assert session.file.get_record(kind, rid) is not None, (side, kind)
        for kind, rid, name, value in laptops.edited[side]:
            record = session.file.get_record(kind, rid)
            assert record is not None and record.values[name] == value, (side, kind, name)
        for kind, rid in laptops.deleted[side]:
            record = session.file.records(kind, include_deleted=True)
            assert any(r.id == rid and r.deleted for r in record), (side, kind)
    kinds_seen = {kind for side in "ab" for kind, _rid in laptops.created[side]}
    from d4a_desktop.core import kinds

    assert kinds_seen == {k.name for k in kinds.KINDS}
    assert session.state().meta.tandem_partner == "KielRegion (from laptop A)"


def test_what_a_package_left_out_arrives_with_a_later_full_package(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Colleagues first sync leaving people's names out (the sync dialog's default), then
    with them: the names arrive then, and the two copies end equal. Before, the first
    merge kept the withheld changes in the log as if complete, so no later package could
    bring their values: the team member stayed without a name for good."""
    import uuid

    from d4a_desktop.core import commands as c
    from d4a_desktop.core import kinds
    from d4a_desktop.services.exchange import package as pkg
    from d4a_desktop.storage import snapshot

    laptops = lp.make(tmp_path, monkeypatch)
    a, b = laptops.open("a"), laptops.open("b")
    try:
        member, dataset = str(uuid.uuid4()), str(uuid.uuid4())
        a.execute(c.CreateRecord("team", member, {
            "name": "Els Peeters", "contact": "els.peeters@example.org",
            "role": "project-manager"}))
        a.execute(c.CreateRecord("datasets", dataset, {
            "title": "Bike counts", "contact_point": "els.peeters@example.org"}))
        a.execute(c.SetItemFields(laptops.untouched_item, {"done": True, "owner": "Els"}))
        gone = lp.live(a, kinds.kind("team"))[0]
        a.execute(c.DeleteRecord("team", gone))  # a tombstone reveals no one's name
        b.execute(c.SetItemFields(lp.NOTE_ITEM, {"note": "From B"}))
        edited = lp.live(b, kinds.kind("team"))[1]
        b.execute(c.SetRecordFields("team", edited, {"role": "data-analyst"}))
        with laptops.on("a"):
            pkg.export_package(a, tmp_path / "withheld.d4ax", leave_out=("personal",))
            pkg.export_package(a, tmp_path / "full.d4ax")
        with laptops.on("b"):
            summary, _plan = merging.merge_package(b, tmp_path / "withheld.d4ax")
            assert summary.conflicts == 0
            record = b.file.get_record("team", member)
            assert record is not None and record.values["name"] == ""  # left out: empty
            assert b.state().item(laptops.untouched_item).owner == ""
            assert b.file.get_record("team", gone).deleted
            # B works on the member that arrived without a name: no conflict later
            b.execute(c.SetRecordFields("team", member, {"organisation": "Mobility"}))
            assert merging.package_plan(b, tmp_path / "withheld.d4ax")[0].empty
            before, log = lp.dump(b), snapshot.take(b.file)["changes"]
            plan, _package = merging.package_plan(b, tmp_path / "full.d4ax")
            assert not plan.empty and plan.conflicts == []
            undo, _change = b.execute(merging.command(plan, {}))
            record = b.file.get_record("team", member)
            assert record is not None and record.values["name"] == "Els Peeters"
            assert record.values["contact"] == "els.peeters@example.org"
            assert record.values["organisation"] == "Mobility"
            assert b.file.get_record("datasets", dataset).values["contact_point"] == \
                "els.peeters@example.org"
            assert b.state().item(laptops.untouched_item).owner == "Els"
            assert merging.package_plan(b, tmp_path / "full.d4ax")[0].empty
            redo, _change = b.execute(undo)  # the merge of the full package, taken back
            assert lp.dump(b) == before and snapshot.take(b.file)["changes"] == log
            b.execute(redo)
            pkg.export_package(b, tmp_path / "back.d4ax")
        with laptops.on("a"):
            merging.merge_package(a, tmp_path / "back.d4ax")
        assert lp.differences(lp.dump(a), lp.dump(b)) == []
    finally:
        a.close()
        b.close()
