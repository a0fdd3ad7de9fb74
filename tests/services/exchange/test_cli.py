"""``d4a export``, ``import``, ``compare``, ``sync``, ``portfolio`` and ``dcat``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from d4a_desktop import cli
from d4a_desktop.services.exchange import read_package, sync
from tests.conftest import sha256
from tests.services.exchange.davserver import PASSWORD, USER, DavServer


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = cli.main([str(a) for a in args])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(code: int, err: str) -> str:
    assert code == 2 and "Traceback" not in err
    assert len(err.splitlines()) == 1 and err.startswith("d4a: ")
    return err


def test_export_import_and_compare(rich_file: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    package = tmp_path / "p.d4ax"
    code, out, _err = run(capsys, "export", rich_file, "-o", package, "--without",
                          "personal,notes")
    assert code == 0 and "p.d4ax" in out and "names and contacts" in out
    assert read_package(package).manifest.left_out == ("notes", "personal")
    code, out, _err = run(capsys, "import", package, "-o", tmp_path / "copy.d4a")
    assert code == 0 and "Cycling counts — Kortrijk" in out
    code, out, _err = run(capsys, "compare", rich_file, package, "--json")
    assert code == 0
    data = json.loads(out)
    for side in ("mine", "theirs"):
        assert set(data[side]) >= {"overall", "components", "dimensions"}
        assert set(data[side]["components"]) == {"c1", "c2", "c3", "c4", "c5", "c6"}
        assert set(data[side]["dimensions"]) == {"technology", "organisation",
                                                 "regulation-ethics"}
    assert data["mine"]["overall"] == data["theirs"]["overall"]
    assert data["same_project"] is True
    code, out, _err = run(capsys, "compare", rich_file, tmp_path / "copy.d4a")
    assert code == 0 and "Overall" in out and "Mine" in out and "Theirs" in out
    code, out, _err = run(capsys, "--lang", "nl", "compare", rich_file, package)
    assert code == 0 and "Totaal" in out and "Eigen project" in out
    assert all(line.startswith(("  ", " ")) or not line or "|" not in line
               for line in out.splitlines())
    assert "Notitie: Line one of note 1 line two |" in out


def test_export_refuses_unknown_parts_and_import_never_overwrites(
        rich_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "export", rich_file, "-o", tmp_path / "p.d4ax",
                          "--without", "secrets")
    assert "secrets" in one_line_error(code, err)
    run(capsys, "export", rich_file, "-o", tmp_path / "p.d4ax")
    before = sha256(rich_file)
    code, _out, err = run(capsys, "import", tmp_path / "p.d4ax", "-o", rich_file)
    one_line_error(code, err)
    assert sha256(rich_file) == before


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04junk", b"not a zip" * 100])
def test_a_bad_package_is_one_translated_line(tmp_path: Path, rich_file: Path,
                                              capsys: pytest.CaptureFixture[str],
                                              content: bytes) -> None:
    bad = tmp_path / "bad.d4ax"
    bad.write_bytes(content)
    for args in (("import", bad, "-o", tmp_path / "x.d4a"), ("compare", rich_file, bad)):
        code, _out, err = run(capsys, *args)
        assert "bad.d4ax" in one_line_error(code, err)
    code, _out, err = run(capsys, "--lang", "da", "import", bad, "-o", tmp_path / "x.d4a")
    assert "exchange package" not in one_line_error(code, err)
    assert not (tmp_path / "x.d4a").exists()


def test_sync_over_a_folder_and_waiting(rich_file: Path, tmp_path: Path, home: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    share = tmp_path / "share"
    code, out, _err = run(capsys, "sync", rich_file, "--target", share, "--json")
    data = json.loads(out)
    assert code == 0 and data["reachable"] is False and data["waiting"]
    assert "cannot be reached" in data["message"]
    share.mkdir()
    code, out, _err = run(capsys, "sync", rich_file, "--target", share)
    assert code == 0 and "Sent 1 package" in out
    code, out, _err = run(capsys, "sync", rich_file, "--target", share, "--json")
    data = json.loads(out)
    assert set(data) >= {"sent", "received", "merged", "conflicted"}
    assert data["received"] == [] and data["merged"] == [] and data["conflicted"] == []


def test_sync_over_webdav_with_the_password_from_the_environment(
        rich_file: Path, tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    server = DavServer(tmp_path / "dav").start()
    try:
        monkeypatch.setenv("D4A_WEBDAV_PASSWORD", PASSWORD)
        code, out, _err = run(capsys, "sync", rich_file, "--target", server.url, "--user",
                              USER, "--json")
        assert code == 0 and json.loads(out)["sent"]
        monkeypatch.setenv("D4A_WEBDAV_PASSWORD", "wrong")
        code, _out, err = run(capsys, "sync", rich_file, "--target", server.url, "--user", USER)
        assert "user name or password" in one_line_error(code, err)
        monkeypatch.delenv("D4A_WEBDAV_PASSWORD")
        monkeypatch.setattr("d4a_desktop.services.exchange.credentials._keyring", lambda: None)
        code, _out, err = run(capsys, "sync", rich_file, "--target", server.url, "--user", USER)
        assert "D4A_WEBDAV_PASSWORD" in one_line_error(code, err)
    finally:
        server.close()
    assert sync.waiting(read_package(next((tmp_path / "dav" / "share").iterdir()))
                        .project_id)


def test_portfolio_and_dcat(rich_file: Path, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "packages"
    folder.mkdir()
    run(capsys, "export", rich_file, "-o", folder / "kortrijk.d4ax")
    (folder / "broken.d4ax").write_text("no")
    code, out, err = run(capsys, "portfolio", folder, "-o", tmp_path / "p.xlsx", "--sort",
                         "overall", "--descending")
    assert code == 0 and "1 project" in out and "broken.d4ax" in err
    assert (tmp_path / "p.xlsx").stat().st_size > 1000
    code, _out, err = run(capsys, "portfolio", folder, "-o", tmp_path / "p.csv", "--sort",
                          "colour")
    one_line_error(code, err)
    assert "component:c2" in err and "on_track" in err  # every column the table sorts by
    code, out, _err = run(capsys, "portfolio", folder, "-o", tmp_path / "p.csv", "--sort",
                          "component:c2")
    assert code == 0 and "1 project" in out
    code, out, err = run(capsys, "dcat", rich_file, "-o", tmp_path / "c.ttl")
    assert code == 0 and (tmp_path / "c.ttl").read_text().startswith("@prefix")
    code, _out, err = run(capsys, "dcat", rich_file, "-o", tmp_path / "c.rdf")
    one_line_error(code, err)


def test_portfolio_to_pdf(rich_file: Path, tmp_path: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    from tests.services.pdfcheck import Doc

    folder = tmp_path / "packages"
    folder.mkdir()
    run(capsys, "export", rich_file, "-o", folder / "kortrijk.d4ax")
    code, out, _err = run(capsys, "portfolio", folder, "-o", tmp_path / "p.pdf", "--sort",
                          "overall", "--descending")
    assert code == 0 and "1 project" in out and "p.pdf" in out
    doc = Doc((tmp_path / "p.pdf").read_bytes())
    assert doc.contains("Kortrijk") and doc.contains("Cycling counts")
    assert doc.contains("Sorted by “Overall”, descending.")
    code, _out, err = run(capsys, "portfolio", folder, "-o", tmp_path / "nowhere" / "p.pdf")
    assert "does not exist" in one_line_error(code, err)
    assert not (tmp_path / "nowhere").exists()
