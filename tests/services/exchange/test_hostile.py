"""Packages are untrusted input: every broken or hostile package gives one clear,
translated line, writes nothing, and leaves the user's project as it was."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import os
import stat
import uuid
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from d4a_desktop import i18n
from d4a_desktop.services.exchange import (
    ExchangeError,
    check_mergeable,
    import_package,
    open_partner,
    read_package,
)
from d4a_desktop.services.exchange import package as pkg
from d4a_desktop.services.projects import ProjectSession
from tests.conftest import sha256
from tests.services.exchange.projects import make_package, minimal_snapshot, record

PROJECT_ID = "3f1c2a4e-8a55-4a62-9c3e-6d0b5c2f7a10"


def good() -> dict[str, Any]:
    snap = minimal_snapshot()
    snap["records"]["datasets"].append(record("6d1f0c52-4f1e-4b8e-9a43-2f6b1c0e7d21",
                                              title="Counts", licence="cc-by-4-0"))
    return snap


def project(snap: Any) -> bytes:
    return json.dumps(snap).encode()


def zipped(entries: list[tuple[zipfile.ZipInfo | str, bytes]], comment: bool = True) -> bytes:
    """A ZIP of exactly these entries (duplicates allowed), sealed."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for info, data in entries:
                archive.writestr(info, data)
            archive.comment = b"\0" * (len(pkg.SEAL) + 64)
    data = buffer.getvalue()
    return pkg.seal(data) if comment else data


def manifest_for(members: dict[str, bytes], **extra: Any) -> bytes:
    return json.dumps({
        "format": 1, "min_reader_format": 1, "project_id": PROJECT_ID,
        "program": {"name": "test", "version": "1"}, "project_schema": 3,
        "roadmap_version": "2026.1", "author": "", "installation": "",
        "exported_at": "2026-01-01T00:00:00Z", "left_out": [],
        "members": [{"name": n, "size": len(d), "sha256": hashlib.sha256(d).hexdigest()}
                    for n, d in members.items()], **extra}).encode()


def with_entry(name: str | zipfile.ZipInfo, data: bytes = b"x") -> bytes:
    """A good package plus one more entry, which the manifest also lists."""
    listed = name if isinstance(name, str) else name.filename
    members = {"project.json": project(good()), listed: data}
    return zipped([("manifest.json", manifest_for(members)),
                   ("project.json", members["project.json"]), (name, data)])


def symlink() -> bytes:
    info = zipfile.ZipInfo("link")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return with_entry(info, b"/etc/passwd")


def bomb() -> bytes:
    data = b"\0" * (20 * 1024 * 1024)
    return make_package({"project.json": project(good()), "padding.bin": data})


def lying_size() -> bytes:
    """Both headers say project.json unpacks to 10 bytes; it holds far more."""
    data = bytearray(make_package({"project.json": project(good())}, sealed=False))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("project.json")
    data[info.header_offset + 22:info.header_offset + 26] = (10).to_bytes(4, "little")
    index = 0
    while (index := data.find(b"PK\x01\x02", index)) >= 0:
        length = int.from_bytes(data[index + 28:index + 30], "little")
        if data[index + 46:index + 46 + length] == b"project.json":
            data[index + 24:index + 28] = (10).to_bytes(4, "little")
        index += 4
    return pkg.seal(bytes(data))


def bad_hash() -> bytes:
    members = {"project.json": project(good())}
    manifest = json.loads(manifest_for(members))
    manifest["members"][0]["sha256"] = "0" * 64
    return zipped([("manifest.json", json.dumps(manifest).encode()),
                   ("project.json", members["project.json"])])


def bad_size() -> bytes:
    members = {"project.json": project(good())}
    manifest = json.loads(manifest_for(members))
    manifest["members"][0]["size"] += 1
    return zipped([("manifest.json", json.dumps(manifest).encode()),
                   ("project.json", members["project.json"])])


def snap_with(change: Callable[[dict[str, Any]], Any]) -> bytes:
    snap = good()
    change(snap)
    return make_package({"project.json": project(snap)})


def deep() -> bytes:
    return make_package({"project.json": b"[" * 100_000 + b"]" * 100_000})


def deep_value() -> bytes:
    value: Any = 1
    for _ in range(80):
        value = [value]
    return snap_with(lambda s: s["records"]["answers"].append(record(
        assessment="", path="a/b", value=value)))


def collide(snap: dict[str, Any]) -> None:
    rid = snap["records"]["datasets"][0]["id"]
    snap["records"]["risks"].append(record(rid, description="Same id"))


def twice(snap: dict[str, Any]) -> None:
    snap["records"]["datasets"].append(copy.deepcopy(snap["records"]["datasets"][0]))


def newer(fmt: int, min_reader: int) -> bytes:
    snap = good()
    snap["format"] = fmt
    snap["records"]["datasets"][0]["values"]["colour"] = "blue"
    members = {"project.json": project(snap)}
    return zipped([("manifest.json", manifest_for(members, format=fmt,
                                                  min_reader_format=min_reader)),
                   ("project.json", members["project.json"])])


def duplicate_json_key() -> bytes:
    text = project(good()).replace(b'"format": 1', b'"format": 1, "format": 1', 1)
    return make_package({"project.json": text})


def encrypted() -> bytes:
    data = bytearray(make_package({"project.json": project(good())}))
    # the general-purpose flag of every header (local at +6, central at +8)
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        index = 0
        while (index := data.find(sig, index)) >= 0:
            data[index + offset] |= 1
            index += 4
    return pkg.seal(bytes(data))


def many_records() -> bytes:
    """A million records: the package refuses it without taking the time to read them."""
    one = json.dumps({"id": "00000000-0000-4000-8000-000000000000", "created_at": None,
                      "modified_at": None, "author": "", "deleted": False, "values": {}},
                     separators=(",", ":")).encode()
    body = b",".join([one] * 1_000_000)
    snap = project(good()).replace(b'"datasets": [', b'"datasets": [' + body + b",", 1)
    assert len(snap) < pkg.LIMITS.member_bytes
    return make_package({"project.json": snap}, compress=zipfile.ZIP_STORED)


HOSTILE: dict[str, tuple[Callable[[], bytes], str]] = {
    "text file": (lambda: b"Not a package at all\n" * 10, "not-package"),
    "empty file": (lambda: b"", "not-package"),
    "truncated": (lambda: make_package({"project.json": project(good())})[:200], "damaged"),
    "not sealed": (lambda: make_package({"project.json": project(good())}, sealed=False),
                   "damaged"),
    "parent path": (lambda: with_entry("../evil.txt"), "unsafe-path"),
    "nested parent path": (lambda: with_entry("attachments/../../evil.txt"), "unsafe-path"),
    "absolute path": (lambda: with_entry("/etc/evil"), "unsafe-path"),
    "drive letter": (lambda: with_entry("C:evil.txt"), "unsafe-path"),
    "backslashes": (lambda: with_entry("attachments\\..\\evil.txt"), "unsafe-path"),
    "link": (symlink, "link"),
    "folder entry": (lambda: with_entry("attachments/"), "unlisted"),
    "duplicate name": (lambda: zipped([
        ("manifest.json", manifest_for({"project.json": project(good())})),
        ("project.json", project(good())), ("project.json", b"{}")]), "duplicate"),
    "duplicate name in another case": (lambda: with_entry("Project.json"), "duplicate"),
    "zip bomb": (bomb, "bomb"),
    "size in the header is a lie": (lying_size, "damaged"),
    "encrypted": (encrypted, "encrypted"),
    "hash differs": (bad_hash, "mismatch"),
    "size differs": (bad_size, "mismatch"),
    "no manifest": (lambda: zipped([("project.json", project(good()))]), "no-manifest"),
    "manifest lists a missing member": (lambda: zipped([
        ("manifest.json", manifest_for({"project.json": project(good()), "extra.json": b"{}"})),
        ("project.json", project(good()))]), "missing-member"),
    "member not in the manifest": (lambda: zipped([
        ("manifest.json", manifest_for({"project.json": project(good())})),
        ("project.json", project(good())), ("extra.json", b"{}")]), "unlisted"),
    "manifest is not JSON": (lambda: zipped([("manifest.json", b"{format: 1")]),
                             "invalid-json"),
    "manifest without format": (lambda: zipped([("manifest.json", b'{"members": []}')]),
                                "invalid"),
    "manifest breaks its schema": (lambda: zipped([
        ("manifest.json", manifest_for({"project.json": project(good())}, author=5)),
        ("project.json", project(good()))]), "invalid"),
    "invalid JSON": (lambda: make_package({"project.json": b'{"format": 1,'}), "invalid-json"),
    "not UTF-8": (lambda: make_package({"project.json": "{\"é\": 1}".encode("latin-1")}),
                  "invalid-json"),
    "NaN": (lambda: make_package({"project.json": project(good()).replace(
        b'"licence": "cc-by-4-0"', b'"licence": NaN')}), "invalid-json"),
    "duplicate JSON key": (duplicate_json_key, "invalid-json"),
    "deep nesting": (deep, "too-deep"),
    "deep value": (deep_value, "invalid"),
    "schema violation": (lambda: snap_with(lambda s: s["records"]["datasets"][0]["values"]
                                           .update(licence="gpl-3")), "invalid"),
    "unknown field": (lambda: snap_with(lambda s: s["records"]["datasets"][0]["values"]
                                        .update(colour="blue")), "invalid"),
    "unknown kind": (lambda: snap_with(lambda s: s["records"].update(spells=[])), "invalid"),
    "bad date": (lambda: snap_with(lambda s: s["records"]["datasets"][0]["values"]
                                   .update(temporal_start="2026-02-30")), "invalid"),
    "unknown format version": (lambda: newer(2, 2), "too-new"),
    "a million records": (many_records, "too-many"),
    "huge string": (lambda: snap_with(lambda s: s["records"]["answers"].append(record(
        path="a", value=os.urandom(1_000_000).hex()))), "invalid"),
    "field longer than allowed": (lambda: snap_with(lambda s: s["records"]["datasets"][0][
        "values"].update(description="x" * 30_000)), "invalid"),
    "lone surrogate": (lambda: make_package({"project.json": project(good()).replace(
        b'"Counts"', b'"Counts\\ud800"')}), "invalid"),
    "ids collide across kinds": (lambda: snap_with(collide), "invalid"),
    "id used twice in a kind": (lambda: snap_with(twice), "invalid"),
    "id not a UUID": (lambda: snap_with(lambda s: s["records"]["datasets"][0].update(
        id="../../etc")), "invalid"),
    "project ids differ": (lambda: zipped([
        ("manifest.json", manifest_for({"project.json": project(good())},
                                       project_id=str(uuid.uuid4()))),
        ("project.json", project(good()))]), "invalid"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_package_is_refused_with_one_clear_line(case: str, tmp_path: Path) -> None:
    make, kind = HOSTILE[case]
    path = tmp_path / "partner.d4ax"
    path.write_bytes(make())
    before = sha256(path)
    with pytest.raises(ExchangeError) as caught:
        read_package(path)
    error = caught.value
    assert error.kind == kind, error.message
    assert "\n" not in error.message and "partner.d4ax" in error.message
    assert "Traceback" not in error.message
    if case != "a million records":  # the same check; reading 100 MB once is enough
        with pytest.raises(ExchangeError):
            import_package(path, tmp_path / "new.d4a")
        with pytest.raises(ExchangeError):
            open_partner(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["partner.d4ax"]
    assert sha256(path) == before


@pytest.mark.parametrize("case", ["zip bomb", "hash differs", "schema violation",
                                  "unknown format version", "ids collide across kinds"])
def test_the_refusal_is_translated(case: str, tmp_path: Path) -> None:
    path = tmp_path / "partner.d4ax"
    path.write_bytes(HOSTILE[case][0]())
    with pytest.raises(ExchangeError) as english:
        read_package(path)
    i18n.set_language("nl")
    with pytest.raises(ExchangeError) as dutch:
        read_package(path)
    assert dutch.value.message != english.value.message
    assert "kan niet" in dutch.value.message


def test_folders_missing_files_and_devices_are_refused(tmp_path: Path) -> None:
    for path, kind in ((tmp_path, "not-package"), (tmp_path / "none.d4ax", "missing"),
                       (Path("/dev/null"), "not-package")):
        with pytest.raises(ExchangeError) as caught:
            read_package(path)
        assert caught.value.kind == kind


def test_limits_hold_while_reading_not_only_in_the_header(tmp_path: Path) -> None:
    """Sizes are counted while unpacking: the header's claims are checked first, but a
    member is stopped as soon as it grows past a limit, whatever its header said."""
    data = make_package({"project.json": project(good())})
    fail = pkg._failer(tmp_path / "p.d4ax")

    def read(limits: pkg.Limits, limit: int) -> None:
        archive = zipfile.ZipFile(io.BytesIO(data))
        pkg._read_member(fail, archive, archive.getinfo("project.json"), limit, limits, [0],
                         None)

    read(pkg.LIMITS, 10_000_000)
    with pytest.raises(ExchangeError) as caught:
        read(pkg.LIMITS, 100)
    assert caught.value.kind == "too-large"
    with pytest.raises(ExchangeError) as caught:
        read(pkg.Limits(ratio=2, ratio_floor=100), 10_000_000)
    assert caught.value.kind == "bomb"
    with pytest.raises(ExchangeError) as caught:
        read(pkg.Limits(total_bytes=100), 10_000_000)
    assert caught.value.kind == "too-large"


def test_too_many_records_and_changes_by_count(tmp_path: Path) -> None:
    snap = good()
    snap["records"]["risks"] = [record(description=f"r{n}") for n in range(30)]
    path = tmp_path / "p.d4ax"
    path.write_bytes(make_package({"project.json": project(snap)}))
    with pytest.raises(ExchangeError) as caught:
        read_package(path, limits=pkg.Limits(records=20, changes=1000))
    assert caught.value.kind == "too-many"
    read_package(path, limits=pkg.Limits(records=40, changes=1000))


def test_a_newer_package_that_says_it_is_safe_is_read_as_far_as_known(tmp_path: Path) -> None:
    path = tmp_path / "p.d4ax"
    path.write_bytes(newer(2, 1))
    package = read_package(path)
    assert package.partial and package.manifest.format == 2
    assert "colour" not in package.snapshot["records"]["datasets"][0]["values"]
    assert package.snapshot["records"]["datasets"][0]["values"]["title"] == "Counts"
    with open_partner(path) as view:
        assert view.session.records("datasets")[0].get("title") == "Counts"
    with pytest.raises(ExchangeError) as caught:
        import_package(path, tmp_path / "new.d4a")
    assert caught.value.kind == "too-new" and "Update" in caught.value.message
    assert not (tmp_path / "new.d4a").exists()


def test_a_package_of_the_same_project_from_a_newer_program_is_not_merged(
        rich: ProjectSession, tmp_path: Path) -> None:
    snap = json.loads(pkg.project_bytes(pkg.snapshot.take(rich.file)))
    data, _ = pkg.pack(snap)
    archive = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(archive.read("manifest.json"))
    manifest["project_schema"] = 99
    path = tmp_path / "p.d4ax"
    path.write_bytes(zipped([("manifest.json", json.dumps(manifest).encode()),
                             ("project.json", archive.read("project.json"))]))
    before = sha256(rich.path)
    package = read_package(path)
    with pytest.raises(ExchangeError) as caught:
        check_mergeable(package, rich)
    assert caught.value.kind == "too-new"
    assert sha256(rich.path) == before


def test_merging_checks_the_project_and_ids_of_other_kinds(rich: ProjectSession,
                                                         tmp_path: Path) -> None:
    other = tmp_path / "other.d4ax"
    other.write_bytes(make_package({"project.json": project(good())}))
    with pytest.raises(ExchangeError) as caught:
        check_mergeable(read_package(other), rich)
    assert caught.value.kind == "other-project" and "Kortrijk" not in caught.value.message
    snap = json.loads(pkg.project_bytes(pkg.snapshot.take(rich.file)))
    check_mergeable(pkg.parse_package(tmp_path / "same.d4ax", pkg.pack(snap)[0]), rich)
    risk = snap["records"]["risks"].pop()
    snap["records"]["decisions"].append(risk | {"values": {"question": "Moved"}})
    with pytest.raises(ExchangeError) as caught:
        check_mergeable(pkg.parse_package(tmp_path / "same.d4ax", pkg.pack(snap)[0]), rich)
    assert caught.value.kind == "id-collision"


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_random_byte_flip_is_always_detected(rich_package: bytes, data: st.DataObject,
                                               tmp_path_factory: pytest.TempPathFactory) -> None:
    position = data.draw(st.integers(0, len(rich_package) - 1), label="position")
    value = data.draw(st.integers(0, 255).filter(lambda v: v != rich_package[position]),
                      label="value")
    flipped = bytearray(rich_package)
    flipped[position] = value
    with pytest.raises(ExchangeError):
        pkg.parse_package(Path("flipped.d4ax"), bytes(flipped))


def test_the_unflipped_package_reads(rich_package: bytes) -> None:
    package = pkg.parse_package(Path("p.d4ax"), rich_package)
    assert package.project["municipality"] == "Kortrijk"
