"""Exchange packages: export and import, leaving things out, the partner view, the schema."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from d4a_desktop import i18n
from d4a_desktop.core import kinds
from d4a_desktop.core.commands import SetItemFields
from d4a_desktop.services.exchange import (
    ExchangeError,
    export_package,
    import_package,
    open_partner,
    read_package,
    schema,
    validate,
)
from d4a_desktop.services.exchange import package as pkg
from d4a_desktop.services.projects import ProjectSession, open_project, read_project
from d4a_desktop.storage import ProjectFileError, snapshot
from tests.conftest import sha256
from tests.services.exchange.projects import SECRET_NAMES

DOCS = Path(__file__).parents[3] / "docs"


def listing(folder: Path) -> list[str]:
    """The files in ``folder``, less the lock of the open project."""
    return sorted(p.name for p in folder.iterdir() if p.name != ".mine.d4a.lock")


def test_export_then_import_gives_the_same_project(rich: ProjectSession,
                                                   tmp_path: Path) -> None:
    manifest = export_package(rich, tmp_path / "p.d4ax", author="Anna")
    assert manifest.project_id == rich.file.project_id
    assert manifest.author == "Anna" and manifest.left_out == ()
    package = import_package(tmp_path / "p.d4ax", tmp_path / "copy.d4a")
    assert package.manifest == manifest
    copy = open_project(tmp_path / "copy.d4a")
    try:
        assert snapshot.take(copy.file) == snapshot.take(rich.file)
        assert copy.progress() == rich.progress()
        assert copy.file.counts() == rich.file.counts()
        assert copy.file.counts()["comments"] == 2  # comments travel (one is a tombstone)
    finally:
        copy.close()
    assert listing(tmp_path) == ["copy.d4a", "mine.d4a", "p.d4ax"]


def test_a_package_holds_a_sealed_zip_with_a_manifest_and_the_project(
        rich: ProjectSession, tmp_path: Path) -> None:
    export_package(rich, tmp_path / "p.d4ax", author="Anna")
    with zipfile.ZipFile(tmp_path / "p.d4ax") as archive:
        assert archive.namelist() == ["manifest.json", "project.json"]
        manifest = json.loads(archive.read("manifest.json"))
        project = archive.read("project.json")
        assert archive.comment.startswith(b"d4ax-sha256:")
    assert manifest["format"] == schema.FORMAT == manifest["min_reader_format"]
    assert manifest["project_id"] == rich.file.project_id
    assert manifest["program"]["name"] == "D4A Roadmap Desktop"
    assert manifest["roadmap_version"] == rich.state().meta.roadmap_version
    assert manifest["members"] == [{"name": "project.json", "size": len(project),
                                    "sha256": __import__("hashlib").sha256(project).hexdigest()}]
    assert validate.first_problem(validate.manifest_validator(), manifest) is None
    assert validate.first_problem(validate.project_validator(), json.loads(project)) is None


@pytest.mark.parametrize("part", ["notes", "owners", "comments", "personal"])
def test_what_is_left_out_is_nowhere_in_the_package(rich: ProjectSession, tmp_path: Path,
                                                    part: str) -> None:
    export_package(rich, tmp_path / "p.d4ax", leave_out=[part])
    with zipfile.ZipFile(tmp_path / "p.d4ax") as archive:
        text = archive.read("project.json").decode()
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["left_out"] == [part]
    data = json.loads(text)
    if part == "personal":
        for secret in SECRET_NAMES:
            assert secret not in text
        assert manifest["author"] == ""
    if part == "owners":
        assert SECRET_NAMES[0] not in json.dumps([e["values"] for e in data["state"]["item"]])
        assert SECRET_NAMES[0] not in json.dumps(
            [(c["old"], c["new"]) for c in data["changes"]
             if c["field"] in ("owner", "owner_person")])
        assert not [c for c in data["changes"] if c["op"] == "create"
                    and {"owner", "owner_person"} & set(c["new"] or {})]
        for _kind, entries in data["records"].items():
            for entry in entries:
                assert "owner" not in entry["values"] and "owner_person" not in entry["values"]
    if part == "notes":
        assert "note 3" not in text and "Not for us" not in text
        assert "Line one of notes" not in text
    if part == "comments":
        assert "comments" not in data["records"]
        assert not [c for c in data["changes"] if c["kind"] == "comments"]
    else:
        assert len(data["records"]["comments"]) == 3
    package = read_package(tmp_path / "p.d4ax")
    assert package.manifest.left_out == (part,)


def test_a_package_that_leaves_things_out_still_imports(rich: ProjectSession,
                                                        tmp_path: Path) -> None:
    export_package(rich, tmp_path / "p.d4ax", leave_out=["personal", "notes"])
    import_package(tmp_path / "p.d4ax", tmp_path / "copy.d4a")
    copy = read_project(tmp_path / "copy.d4a")
    try:
        names = [r.get("name") for r in copy.records("team")]
        assert names and all(n == "" for n in names)
        assert copy.progress() == rich.progress()
    finally:
        copy.close()


def test_an_unknown_part_to_leave_out_is_refused(rich: ProjectSession, tmp_path: Path) -> None:
    with pytest.raises(ExchangeError) as caught:
        export_package(rich, tmp_path / "p.d4ax", leave_out=["secrets"])
    assert "secrets" in caught.value.message and caught.value.kind == "usage"
    assert not (tmp_path / "p.d4ax").exists()


def test_export_replaces_a_package_whole_and_reports_an_unwritable_folder(
        rich: ProjectSession, tmp_path: Path) -> None:
    target = tmp_path / "p.d4ax"
    target.write_bytes(b"old")
    export_package(rich, target)
    read_package(target)
    assert listing(tmp_path) == ["mine.d4a", "p.d4ax"]
    with pytest.raises(ExchangeError) as caught:
        export_package(rich, tmp_path / "missing" / "p.d4ax")
    assert caught.value.kind == "cannot-write" and "\n" not in caught.value.message


def test_import_never_replaces_a_file(rich: ProjectSession, tmp_path: Path) -> None:
    export_package(rich, tmp_path / "p.d4ax")
    existing = tmp_path / "there.d4a"
    existing.write_text("mine")
    with pytest.raises(ProjectFileError) as caught:
        import_package(tmp_path / "p.d4ax", existing)
    assert caught.value.kind == "exists"
    assert existing.read_text() == "mine"
    with pytest.raises(ProjectFileError):
        import_package(tmp_path / "p.d4ax", tmp_path / "no-folder" / "x.d4a")
    assert listing(tmp_path) == ["mine.d4a", "p.d4ax", "there.d4a"]


def test_the_partner_view_is_read_only_and_leaves_nothing_behind(
        rich: ProjectSession, tmp_path: Path) -> None:
    export_package(rich, tmp_path / "p.d4ax")
    before = sha256(tmp_path / "p.d4ax")
    view = open_partner(tmp_path / "p.d4ax")
    folder = view.folder
    assert view.session.read_only and "Kortrijk" in view.session.read_only_reason
    assert view.session.progress() == rich.progress()
    assert view.session.file.counts() == rich.file.counts()
    assert view.package.project["municipality"] == "Kortrijk"
    with pytest.raises(ProjectFileError):
        view.session.execute(SetItemFields("c1.a1.i2", (("done", True),)))
    view.close()
    view.close()
    assert not folder.exists()
    assert sha256(tmp_path / "p.d4ax") == before
    assert listing(tmp_path) == ["mine.d4a", "p.d4ax"]


def test_a_partner_view_left_by_a_crash_is_cleared_later(tmp_path: Path,
                                                         rich: ProjectSession) -> None:
    export_package(rich, tmp_path / "p.d4ax")
    stale = pkg._views_dir() / (pkg.PARTNER_PREFIX + "old")
    stale.mkdir()
    os.utime(stale, (0, 0))
    with open_partner(tmp_path / "p.d4ax") as view:
        assert view.folder.exists()
    assert not stale.exists()


def test_describe_names_the_project_and_what_it_leaves_out(rich: ProjectSession,
                                                           tmp_path: Path) -> None:
    export_package(rich, tmp_path / "p.d4ax", leave_out=["personal"])
    text = pkg.describe(read_package(tmp_path / "p.d4ax"))
    assert text.startswith("Cycling counts — Kortrijk (BE), exported on ")
    assert text.endswith("(leaves out: names and contacts of people)")
    i18n.set_language("nl")
    assert "namen en contactgegevens" in pkg.describe(read_package(tmp_path / "p.d4ax"))


# --- the schema ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(schema.DOCS))
def test_the_published_schemas_match_the_declarations(name: str) -> None:
    """Run ``python -m d4a_desktop.services.exchange`` after adding a kind or field."""
    assert (DOCS / schema.DOCS[name]).read_text(encoding="utf-8") == schema.published(name)


def test_the_schema_declares_every_field_of_every_kind_precisely() -> None:
    records = schema.project_schema()["properties"]["records"]["properties"]
    assert list(records) == [k.name for k in kinds.KINDS]
    for kind in kinds.KINDS:
        values = records[kind.name]["items"]["properties"]["values"]
        assert values["additionalProperties"] is False
        assert list(values["properties"]) == [f.name for f in kind.fields]
        for f in kind.fields:
            declared = values["properties"][f.name]
            if f.vocabulary is not None and f.type.value == "choice":
                assert declared["enum"] == ["", *f.vocabulary.codes()]
            if f.type.is_text:
                assert declared["maxLength"] == f.max_length
            assert declared.get("x-personal", False) == f.personal


def test_the_schema_is_valid_draft_2020_12() -> None:
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(schema.project_schema())
    jsonschema.Draft202012Validator.check_schema(schema.manifest_schema())
    published = json.loads((DOCS / "exchange-schema.json").read_text())
    assert published["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_documented_reader_and_writer_work(rich_package: bytes, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The Python in docs/exchange.md reads our packages, and writes packages we read."""
    import re
    import shutil

    blocks = re.findall(r"```python\n(.*?)```", (DOCS / "exchange.md").read_text(), re.S)
    reader, writer = blocks
    (tmp_path / "docs").mkdir()
    shutil.copyfile(DOCS / "exchange-schema.json", tmp_path / "docs" / "exchange-schema.json")
    (tmp_path / "partner.d4ax").write_bytes(rich_package)
    monkeypatch.chdir(tmp_path)
    found: dict[str, object] = {}
    exec(reader, found)
    assert len(found["live_datasets"]) == 2  # type: ignore[arg-type]
    with zipfile.ZipFile(tmp_path / "partner.d4ax") as archive:
        names = {"manifest_bytes": archive.read("manifest.json"),
                 "project_bytes": archive.read("project.json")}
    exec(writer, names)
    assert read_package(tmp_path / "out.d4ax").project["municipality"] == "Kortrijk"


def test_packages_match_the_mime_type_s_magic(rich_package: bytes) -> None:
    """packaging/d4a-desktop-mime.xml recognises a package by its first member's name."""
    import xml.etree.ElementTree as ET

    assert rich_package[:4] == b"PK\x03\x04" and rich_package[30:43] == b"manifest.json"
    mime = ET.parse(Path(__file__).parents[3] / "packaging" / "d4a-desktop-mime.xml")
    ns = "{http://www.freedesktop.org/standards/shared-mime-info}"
    types = {t.get("type"): t for t in mime.getroot().iter(f"{ns}mime-type")}
    package_type = types["application/x-d4a-package"]
    assert package_type.find(f"{ns}glob").get("pattern") == "*.d4ax"  # type: ignore[union-attr]
    desktop = (Path(__file__).parents[3] / "packaging" / "d4a-desktop.desktop").read_text()
    assert "application/x-d4a-package;" in desktop
