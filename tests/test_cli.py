"""The ``d4a`` command, in-process through ``cli.main`` and as a real subprocess."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from d4a_desktop import __version__, cli, i18n, paths
from d4a_desktop.core.vocab import Dimension
from d4a_desktop.services.roadmap import english_roadmap
from d4a_desktop.storage import projectfile as pf
from tests.storage.badfiles import MAKERS, held_by_other_process, make_bad, make_project, snapshot

#: The activities of the first content slice; the bundled roadmap may hold more.
PUBLISHED = {"c1.a1", "c1.a2", "c2.a1", "c3.a1", "c3.a2", "c4.a1", "c4.a2", "c4.a3",
             "c5.a1", "c5.a2", "c5.a3", "c6.a1", "c6.a2", "c6.a3"}
ACTIVITIES = {a.id for a in english_roadmap().activities()}
ITEMS = sum(1 for _i in english_roadmap().items())


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``d4a ARGS`` in this process: (exit status, stdout, stderr)."""
    try:
        code = cli.main(list(args))
    except SystemExit as exc:  # argparse exits for --version, --help and usage errors
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def run_process(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANG": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "d4a_desktop", *args], capture_output=True,
                          text=True, timeout=60, cwd=cwd, env=env)


def assert_one_line_error(code: int, err: str) -> None:
    assert code == 2
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("d4a: ") and len(lines[0]) > 10


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli-demo") / "demo.d4a"
    assert cli.main(["demo", str(path)]) == 0
    return path


# --- version, new, demo ---------------------------------------------------------------------

def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--version")
    assert code == 0
    assert out.strip() == f"d4a {__version__}"
    assert err == ""


def test_version_as_a_process() -> None:
    done = run_process("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"d4a {__version__}"


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys)
    assert code == 0
    assert "info" in out and "demo" in out


def project_row(path: Path) -> tuple[object, ...]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT title, municipality, country, domain, language FROM project").fetchone()
    finally:
        conn.close()


def test_new_creates_a_project(tmp_path: Path, home: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "vejle.d4a"
    code, out, err = run(capsys, "new", str(path), "--title", "Climate dashboard",
                         "--municipality", "Vejle", "--country", "dk", "--lang", "da",
                         "--domain", "Climate")
    assert (code, err) == (0, "")
    assert str(path) in out
    assert project_row(path) == ("Climate dashboard", "Vejle", "DK", "Climate", "da")
    assert [p.name for p in tmp_path.iterdir() if p.name != "home"] == ["vejle.d4a"]


def test_new_in_english_records_english(tmp_path: Path, home: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.d4a"
    code, _out, _err = run(capsys, "new", str(path), "--title", "T", "--municipality", "M",
                           "--country", "BE", "--lang", "en")
    assert code == 0
    assert project_row(path)[4] == "en"


@pytest.mark.parametrize("country", ["BEL", "B", "1X", ""])
def test_new_with_a_bad_country(tmp_path: Path, home: Path, country: str,
                                capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.d4a"
    code, out, err = run(capsys, "new", str(path), "--title", "T", "--municipality", "M",
                         "--country", country)
    assert_one_line_error(code, err)
    assert "country" in err
    assert not path.exists()
    assert out == ""


def test_new_refuses_an_existing_file(tmp_path: Path, home: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = make_project(tmp_path / "p.d4a")
    before = snapshot(path)
    code, _out, err = run(capsys, "new", str(path), "--title", "T", "--municipality", "M",
                          "--country", "BE")
    assert_one_line_error(code, err)
    assert "already exists" in err
    assert snapshot(path) == before


def test_new_without_required_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "new", str(tmp_path / "p.d4a"), "--title", "T")
    assert code == 2
    assert "Traceback" not in err
    assert not (tmp_path / "p.d4a").exists()


def test_demo_writes_a_project(tmp_path: Path, home: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "demo.d4a"
    code, out, err = run(capsys, "demo", str(path))
    assert (code, err) == (0, "")
    assert str(path) in out
    assert project_row(path)[:3] == ("Data-driven cycling policy", "Kortrijk", "BE")


def test_demo_in_danish(tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "demo-da.d4a"
    code, _out, err = run(capsys, "demo", str(path), "--lang", "da")
    assert (code, err) == (0, "")
    assert project_row(path)[:3] == ("Datadrevet cykelpolitik", "Kortrijk", "BE")


# --- info ---------------------------------------------------------------------------------

def test_info_prints_title_and_percentages(demo_file: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "info", str(demo_file))
    assert (code, err) == (0, "")
    assert "Data-driven cycling policy" in out and "Kortrijk" in out
    data = json.loads(run(capsys, "info", str(demo_file), "--json")[1])
    overall = f"{round(data['overall'] * 100)}%"
    assert overall in out
    assert out.count("%") >= 1 + 6 + 3  # overall, six components, three dimensions
    for dim in Dimension:
        assert dim.label() in out


def test_info_json(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "info", str(demo_file), "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert {"overall", "components", "activities", "dimensions"} <= set(data)
    assert set(data["components"]) == {"c1", "c2", "c3", "c4", "c5", "c6"}
    assert set(data["activities"]) == ACTIVITIES
    assert PUBLISHED <= ACTIVITIES
    assert set(data["dimensions"]) == {"technology", "organisation", "regulation-ethics"}
    values = [data["overall"], *data["components"].values(), *data["activities"].values(),
              *data["dimensions"].values()]
    for value in values:
        assert isinstance(value, float)
        assert 0.0 <= value <= 1.0
    assert 0.0 < data["overall"] < 1.0
    assert data["project"]["title"] == "Data-driven cycling policy"


def test_info_json_as_a_process(demo_file: Path) -> None:
    done = run_process("info", str(demo_file), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data["activities"]) == ACTIVITIES


def test_info_leaves_an_unchanged_project_alone(tmp_path: Path, home: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.d4a"
    assert run(capsys, "new", str(path), "--title", "T", "--municipality", "M",
               "--country", "BE")[0] == 0
    before = snapshot(path)
    assert run(capsys, "info", str(path))[0] == 0
    assert run(capsys, "check", str(path))[0] == 0
    assert snapshot(path) == before
    assert not (home / "data" / "backups").exists()


def test_info_reads_an_old_file_without_upgrading_it(tmp_path: Path, home: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """Reading never upgrades: the file is upgraded (after a backup) only when it is
    opened for work. ``d4a info`` upgrades a copy in memory."""
    path = tmp_path / "old.d4a"
    shutil.copyfile(Path(__file__).parent / "golden" / "schema-v1.d4a", path)
    before = snapshot(path)
    code, out, err = run(capsys, "info", str(path), "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)["activities"]["c1.a1"] > 0.0
    assert snapshot(path) == before
    assert pf.read_header(path).schema_version == 1


def _ui_translated(msgid: str, lang: str) -> bool:
    i18n.set_language(lang)
    try:
        return i18n._(msgid) != msgid
    finally:
        i18n.set_language("en")


def test_info_in_danish(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not _ui_translated("Technology", "da"):
        pytest.skip("the Danish ui catalog (translations/ui/da.po) does not translate the "
                    "dimension labels yet")
    english = [d.label() for d in Dimension]
    i18n.set_language("da")
    danish = [d.label() for d in Dimension]
    i18n.set_language("en")
    code, out, err = run(capsys, "--lang", "da", "info", str(demo_file))
    assert (code, err) == (0, "")
    lines = [line.strip() for line in out.splitlines()]
    for danish_label, english_label in zip(danish, english, strict=True):
        assert any(line.endswith(f"  {danish_label}") for line in lines), danish_label
        if danish_label != english_label:  # a label may equal the English
            assert not any(line.endswith(f"  {english_label}") for line in lines)
    assert danish != english


def test_unknown_language(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--lang", "xx", "info", str(demo_file))
    assert_one_line_error(code, err)
    assert "xx" in err
    assert out == ""


def test_unknown_language_as_a_process(demo_file: Path) -> None:
    done = run_process("info", str(demo_file), "--lang", "klingon")
    assert_one_line_error(done.returncode, done.stderr)


# --- bad files ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return make_project(tmp_path_factory.mktemp("cli-real") / "real.d4a").read_bytes()


#: Files that cannot be opened for work but can be read: reading commands show them.
READABLE = ("locked", "read-only")


@pytest.mark.parametrize("command", ["info", "check"])
@pytest.mark.parametrize("kind", [k for k in MAKERS if k not in READABLE])
def test_bad_file(kind: str, command: str, tmp_path: Path, home: Path, real_bytes: bytes,
                  capsys: pytest.CaptureFixture[str]) -> None:
    path = make_bad(kind, tmp_path, real_bytes)
    holder = held_by_other_process(path) if kind == "locked" else contextlib.nullcontext()
    with holder:
        before = snapshot(path)
        code, out, err = run(capsys, command, str(path))
        after = snapshot(path)
    assert_one_line_error(code, err)
    assert str(path) in err
    assert out == ""
    assert after == before


@pytest.mark.parametrize("command", ["info", "check"])
@pytest.mark.parametrize("kind", READABLE)
def test_reading_commands_read_what_cannot_be_opened_for_work(
        kind: str, command: str, tmp_path: Path, home: Path, real_bytes: bytes,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A project open in the program, or on read-only media, can still be looked at;
    reading writes, stamps and locks nothing."""
    path = make_bad(kind, tmp_path, real_bytes)
    holder = held_by_other_process(path) if kind == "locked" else contextlib.nullcontext()
    with holder:
        before = snapshot(path)
        code, out, err = run(capsys, command, str(path))
        after = snapshot(path)
    assert (code, err) == (0, "")
    assert ("Cycling counts" in out) if command == "info" else ("no problems" in out)
    assert after == before


def test_bad_file_as_a_process(tmp_path: Path, real_bytes: bytes) -> None:
    path = make_bad("truncated", tmp_path, real_bytes)
    before = snapshot(path)
    done = run_process("info", str(path), "--json")
    assert_one_line_error(done.returncode, done.stderr)
    assert "damaged" in done.stderr
    assert done.stdout == ""
    assert snapshot(path) == before


def test_locked_file_as_a_process(tmp_path: Path, real_bytes: bytes) -> None:
    """``d4a info`` reads a project that the program has open, without disturbing it."""
    path = make_bad("locked", tmp_path, real_bytes)
    with held_by_other_process(path):
        before = snapshot(path)
        done = run_process("info", str(path))
        after = snapshot(path)
    assert done.returncode == 0 and done.stderr == ""
    assert "Cycling counts" in done.stdout
    assert after == before


@pytest.mark.parametrize("kind", [k for k in MAKERS if k not in ("missing", "folder")])
def test_new_and_demo_do_not_overwrite_a_bad_file(kind: str, tmp_path: Path, home: Path,
                                                  real_bytes: bytes,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = make_bad(kind, tmp_path, real_bytes)
    holder = held_by_other_process(path) if kind == "locked" else contextlib.nullcontext()
    with holder:
        before = snapshot(path)
        code_new, _o, err_new = run(capsys, "new", str(path), "--title", "T",
                                    "--municipality", "M", "--country", "BE")
        code_demo, _o, err_demo = run(capsys, "demo", str(path))
        after = snapshot(path)
    assert_one_line_error(code_new, err_new)
    assert_one_line_error(code_demo, err_demo)
    assert after == before


def test_bad_file_in_danish(tmp_path: Path, real_bytes: bytes,
                            capsys: pytest.CaptureFixture[str]) -> None:
    msgid = "The file {name} is empty; it is not a D4A project."
    if not _ui_translated(msgid, "da"):
        pytest.skip("the Danish ui catalog (translations/ui/da.po) does not translate the "
                    "project file errors yet")
    path = make_bad("empty", tmp_path, real_bytes)
    _c, _o, english = run(capsys, "info", str(path))
    code, _o, danish = run(capsys, "--lang", "da", "info", str(path))
    assert_one_line_error(code, danish)
    assert danish != english and str(path) in danish


# --- check --------------------------------------------------------------------------------

def test_check_of_a_healthy_project(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", str(demo_file))
    assert (code, err) == (0, "")
    assert str(demo_file) in out


# --- content-check ---------------------------------------------------------------------------

def test_content_check_of_the_bundled_roadmap(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "content-check")
    assert (code, err) == (0, "")
    assert re.search(rf"\b6\b.*\b{len(ACTIVITIES)}\b.*\b{ITEMS}\b", out), out


def test_content_check_of_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "roadmap"
    shutil.copytree(paths.resources_dir() / "roadmap", folder)
    code, _out, err = run(capsys, "content-check", str(folder))
    assert (code, err) == (0, "")

    text = (folder / "c3.yaml").read_text(encoding="utf-8")
    (folder / "c3.yaml").write_text(text.replace("dimension: technology",
                                                 "dimension: technolgy", 1), encoding="utf-8")
    code, out, err = run(capsys, "content-check", str(folder))
    assert code == 2
    assert "Traceback" not in err
    assert "c3.yaml:" in err and "technolgy" in err
    assert out == ""


def test_content_check_as_a_process(tmp_path: Path) -> None:
    done = run_process("content-check")
    assert done.returncode == 0, done.stderr
    missing = run_process("content-check", str(tmp_path / "no-such-folder"))
    assert missing.returncode == 2
    assert "Traceback" not in missing.stderr
    assert "roadmap.yaml" in missing.stderr


def test_info_on_a_pipe_returns_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.d4a"
    os.mkfifo(fifo)
    done = run_process("info", str(fifo))  # a 60 s timeout: it used to hang here
    assert_one_line_error(done.returncode, done.stderr)
    assert "not an ordinary file" in done.stderr


# --- argparse in the chosen language -----------------------------------------------------------

@pytest.mark.parametrize("args", [["--help"], ["new", "--help"], ["roadmap", "--help"]],
                         ids=["main", "new", "roadmap"])
def test_help_in_german_has_no_english_headings(args: list[str],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--lang", "de", *args)
    assert code == 0
    for english in ("usage:", "positional arguments", "options:",
                    "show this help message and exit", "show program's version number"):
        assert english not in out, english
    assert out.startswith("Aufruf: d4a")
    assert "Optionen:" in out and "diese Hilfe anzeigen und beenden" in out


@pytest.mark.parametrize("lang", ["nl", "da", "fr", "nb", "sv"])
def test_help_in_other_languages_is_translated(lang: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--lang", lang, "--help")
    assert code == 0
    assert not out.startswith("usage:") and "positional arguments" not in out
    assert "show this help message and exit" not in out


def test_argparse_errors_in_german(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--lang", "de", "new", "--title", "T", "--municipality", "M")
    assert code == 2 and out == ""
    assert "folgende Argumente sind erforderlich" in err and "required" not in err
    code, _out, err = run(capsys, "--lang", "de", "roadmap", "--format", "pdf")
    assert code == 2 and "ungültige Auswahl" in err and "invalid choice" not in err


# --- d4a records ---------------------------------------------------------------------------

def test_records_import_list_export(tmp_path: Path, home: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = make_project(tmp_path / "p.d4a")
    table = tmp_path / "team.csv"
    table.write_text("name,role,influence\nAnna,project-manager,high\nBo,Data engineer,low\n",
                     encoding="utf-8")
    before = snapshot(path)
    code, out, err = run(capsys, "records", "import", str(path), "team", str(table),
                         "--dry-run")
    assert (code, err) == (0, "") and "2 new" in out
    assert snapshot(path)[0] == before[0]  # a dry run writes nothing
    code, out, err = run(capsys, "records", "import", str(path), "team", str(table))
    assert (code, err) == (0, "") and "2 new" in out
    code, out, err = run(capsys, "records", "list", str(path), "team", "--json")
    data = json.loads(out)
    assert [(d["name"], d["role"], d["influence"]) for d in data] == [
        ("Anna", "project-manager", "high"), ("Bo", "data-engineer", "low")]
    assert set(data[0]) == {"id", "name", "organisation", "role", "contact", "influence",
                            "interest", "notes"}
    out_file = tmp_path / "out.xlsx"
    code, _out, err = run(capsys, "records", "export", str(path), "team", "-o", str(out_file))
    assert code == 0 and str(out_file) in err and out_file.stat().st_size > 1000
    code, out, _err = run(capsys, "info", str(path), "--json")
    assert json.loads(out)["records"]["team"] == 2


def test_a_bad_import_names_every_rejected_row_and_writes_nothing(
        tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = make_project(tmp_path / "p.d4a")
    table = tmp_path / "risks.csv"
    table.write_text("description,impact\nFine,3\nBad,eleven\nAlso bad,9\n", encoding="utf-8")
    before = snapshot(path)
    code, out, err = run(capsys, "records", "import", str(path), "risks", str(table))
    assert code == 2 and out == ""
    assert "row 3" in err and "row 4" in err and "impact" in err
    assert snapshot(path)[0] == before[0]


def test_records_of_an_unknown_register(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                        ) -> None:
    path = make_project(tmp_path / "p.d4a")
    code, _out, err = run(capsys, "records", "list", str(path), "cats")
    assert_one_line_error(code, err)
    assert "datasets" in err


# --- d4a merge and d4a history -----------------------------------------------------------

def test_merge_two_copies_and_show_the_history(tmp_path: Path, home: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from d4a_desktop.core.commands import SetItemFields
    from d4a_desktop.services.projects import open_project

    mine = make_project(tmp_path / "mine.d4a")
    theirs = tmp_path / "theirs.d4a"
    shutil.copyfile(mine, theirs)
    for path, owner, note in ((mine, "Anna", "from mine"), (theirs, "Bo", "from theirs")):
        session = open_project(path, author=owner)
        session.execute(SetItemFields("c2.a1.i1", {"owner": owner}))
        session.execute(SetItemFields("c2.a1.i2" if owner == "Bo" else "c2.a1.i3",
                                      {"note": note}))
        session.close()
    before = snapshot(mine)
    code, out, err = run(capsys, "merge", str(mine), str(theirs), "--json")
    assert code == 3 and "nothing was merged" in err and "c2.a1.i1" in err
    assert json.loads(out)["conflicts"] == 1
    assert snapshot(mine)[0] == before[0]  # nothing written
    code, out, err = run(capsys, "merge", str(mine), str(theirs), "--prefer", "theirs",
                         "--json")
    assert code == 0 and json.loads(out) == {"taken": 1, "conflicts": 1, "decided": 1,
                                             "merged": True}
    code, out, _err = run(capsys, "history", str(mine), "c2.a1.i1")
    assert "Anna" in out and "Bo" in out and "owner" in out
    code, out, _err = run(capsys, "history", str(mine), "--json")
    assert any(e["key"] == "c2.a1.i2" and e["new"] == "from theirs" for e in json.loads(out))


def test_new_from_an_earlier_project(tmp_path: Path, home: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    old = make_project(tmp_path / "old.d4a")
    table = tmp_path / "team.csv"
    table.write_text("name\nAnna\n", encoding="utf-8")
    assert run(capsys, "records", "import", str(old), "team", str(table))[0] == 0
    new = tmp_path / "new.d4a"
    code, _out, err = run(capsys, "new", str(new), "--title", "Next", "--municipality", "M",
                          "--country", "BE", "--from", str(old), "--carry", "team,checklist")
    assert (code, err) == (0, "")
    code, out, _err = run(capsys, "info", str(new), "--json")
    data = json.loads(out)
    assert data["records"]["team"] == 1 and data["activities"]["c1.a1"] > 0
    code, _out, err = run(capsys, "new", str(tmp_path / "x.d4a"), "--title", "T",
                          "--municipality", "M", "--country", "BE", "--from", str(old),
                          "--carry", "team,feelings")
    assert code == 2 and "feelings" in err
    # As the issue writes it: the details come from the earlier project.
    again = tmp_path / "again.d4a"
    code, _out, err = run(capsys, "new", str(again), "--from", str(old), "--carry", "team")
    assert (code, err) == (0, "")
    code, out, _err = run(capsys, "info", str(again), "--json")
    before = json.loads(run(capsys, "info", str(old), "--json")[1])["project"]
    project = json.loads(out)["project"]
    assert (project["title"], project["municipality"], project["country"]) == \
        (before["title"], before["municipality"], before["country"])
    assert project["id"] != before["id"]
    code, _out, err = run(capsys, "new", str(tmp_path / "y.d4a"), "--title", "T")
    assert code == 2 and "--municipality, --country" in err
    assert not (tmp_path / "y.d4a").exists()


# --- printing --------------------------------------------------------------------------------

def pdf_pages(path: Path) -> int:
    import pypdf

    return len(pypdf.PdfReader(path).pages)


def test_blank_checklist_without_a_project(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "c3.pdf"
    code, out, err = run(capsys, "checklist", "--component", "c3", "--blank", "-o",
                         str(out_file))
    assert code == 0, err
    pages = pdf_pages(out_file)
    assert out.strip() == f"Wrote {out_file} ({pages} pages)"
    assert out_file.read_bytes().startswith(b"%PDF-")


def test_filled_checklist_leaves_the_project_untouched(tmp_path: Path, home: Path,
                                                       demo_file: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    before = snapshot(demo_file)
    out_file = tmp_path / "c1a1.pdf"
    code, _out, err = run(capsys, "checklist", "--activity", "c1.a1", "--project",
                         str(demo_file), "--paper", "letter", "-o", str(out_file))
    assert code == 0, err
    assert snapshot(demo_file) == before
    assert not (home / "data" / "backups").exists()
    import pypdf

    reader = pypdf.PdfReader(out_file)
    assert float(reader.pages[0].mediabox.width) == pytest.approx(612)
    assert "Els Vandenberghe" in reader.pages[0].extract_text()


def test_worksheet_and_report_in_danish(tmp_path: Path, demo_file: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    canvas = tmp_path / "canvas.pdf"
    code, out, err = run(capsys, "--lang", "da", "worksheet", "ethics-canvas", "--paper", "a4",
                         "-o", str(canvas))
    assert code == 0, err
    assert pdf_pages(canvas) == 1
    assert str(canvas) in out and out != f"Wrote {canvas} (1 page)\n"  # said in Danish
    report = tmp_path / "report.pdf"
    code, _out, err = run(capsys, "report", str(demo_file), "--lang", "da", "-o", str(report))
    assert code == 0, err
    assert pdf_pages(report) >= 3


@pytest.mark.parametrize(("args", "wrong", "valid"), [
    (["checklist", "--activity", "c9.a1"], "c9.a1", "c1.a1"),
    (["checklist", "--component", "c7"], "c7", "c6"),
    (["worksheet", "canvas"], "canvas", "ethics-canvas"),
])
def test_unknown_ids_list_the_valid_ones(tmp_path: Path, args: list[str], wrong: str,
                                         valid: str, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "x.pdf"
    code, out, err = run(capsys, *args, "-o", str(out_file))
    assert_one_line_error(code, err)
    assert wrong in err and valid in err
    assert out == "" and not out_file.exists()


def test_unknown_id_is_named_before_the_project_is_read(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    code, _out, err = run(capsys, "worksheet", "nope", "--project",
                          str(tmp_path / "missing.d4a"), "-o", str(tmp_path / "x.pdf"))
    assert_one_line_error(code, err)
    assert "nope" in err and "missing.d4a" not in err


def test_print_to_a_missing_folder(tmp_path: Path, demo_file: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "report", str(demo_file), "-o",
                         str(tmp_path / "no" / "report.pdf"))
    assert_one_line_error(code, err)
    assert "does not exist" in err and out == ""
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("kind", ["truncated", "other-sqlite"])
def test_report_of_a_bad_file(kind: str, tmp_path: Path, home: Path, real_bytes: bytes,
                              capsys: pytest.CaptureFixture[str]) -> None:
    path = make_bad(kind, tmp_path, real_bytes)
    out_file = tmp_path / "report.pdf"
    before = snapshot(path)
    code, out, err = run(capsys, "report", str(path), "-o", str(out_file))
    assert_one_line_error(code, err)
    assert str(path) in err and out == ""
    assert snapshot(path) == before and not out_file.exists()


def test_report_of_a_project_open_in_the_program(tmp_path: Path, home: Path,
                                                 real_bytes: bytes,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """Printing only reads: a project another program holds open still prints."""
    path = make_bad("locked", tmp_path, real_bytes)
    out_file = tmp_path / "report.pdf"
    with held_by_other_process(path):
        before = snapshot(path)
        code, _out, _err = run(capsys, "report", str(path), "-o", str(out_file))
        after = snapshot(path)
    assert code == 0 and out_file.stat().st_size > 1000
    assert after[0] == before[0]  # the project's bytes; the folder gained the report


def test_report_of_a_read_only_project(tmp_path: Path, real_bytes: bytes,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    """A project on a read-only share still prints; its file is not touched."""
    share = tmp_path / "share"
    share.mkdir()
    path = make_bad("read-only", share, real_bytes)
    before = snapshot(path)
    out_file = tmp_path / "report.pdf"
    code, _out, err = run(capsys, "report", str(path), "-o", str(out_file))
    assert code == 0, err
    assert snapshot(path) == before and out_file.stat().st_size > 10_000


def test_paper_and_scope_options_are_checked(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    target = str(tmp_path / "x.pdf")
    for args in (["checklist", "--paper", "a3", "-o", target],
                 ["checklist", "--component", "c1", "--activity", "c1.a1", "-o", target],
                 ["checklist"]):
        code, _out, err = run(capsys, *args)
        assert code == 2 and err.startswith("d4a checklist: "), err


def test_report_as_a_process(tmp_path: Path, demo_file: Path) -> None:
    out_file = tmp_path / "rapport.pdf"
    done = run_process("--lang", "fr", "report", str(demo_file), "-o", str(out_file))
    assert done.returncode == 0, done.stderr
    assert str(out_file) in done.stdout
    assert out_file.stat().st_size > 10_000
