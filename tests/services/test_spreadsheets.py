"""Registers to and from CSV and .xlsx: round trips for every kind, all-or-nothing imports."""

from __future__ import annotations

import datetime as dt
import io
import random
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest

from d4a_desktop import i18n
from d4a_desktop.core import kinds
from d4a_desktop.services import records as records_service
from d4a_desktop.services import spreadsheets as sheets
from d4a_desktop.services.projects import NewProject, ProjectSession, create_project
from d4a_desktop.services.spreadsheets import SpreadsheetError
from tests.storage.crashwork import _record_values

DETAILS = NewProject(title="Registers", municipality="Vejle", country="DK", language="da")


@pytest.fixture
def session(tmp_path: Path, home: Path) -> ProjectSession:
    s = create_project(tmp_path / "p.d4a", DETAILS)
    yield s
    s.close()


@pytest.fixture
def empty(tmp_path: Path, home: Path) -> ProjectSession:
    s = create_project(tmp_path / "empty.d4a", DETAILS)
    yield s
    s.close()


def fill(session: ProjectSession, kind: kinds.Kind, n: int = 6, seed: int = 1) -> list[Any]:
    """Records of ``kind`` whose references point at records the session has."""
    rnd = random.Random(seed)
    for _k in range(n):
        values = _record_values(kind, rnd, False)
        for f in kind.fields:
            if f.refers_to:
                targets = session.records(f.refers_to)
                if targets:
                    values[f.name] = rnd.choice(targets).id
                else:
                    values.pop(f.name, None)
        if kind.name == "responsibilities":
            values["role"] = rnd.choice(["responsible", "consulted", "informed"])
        if kind.name == "kpis":  # a KPI's baseline and target fit together
            low, high = sorted(rnd.sample(range(1000), 2))
            lower = rnd.random() < 0.5
            values.update(baseline=high if lower else low, target=low if lower else high,
                          direction="lower" if lower else "higher",
                          baseline_date=dt.date(2025, 1, 1), target_date=dt.date(2027, 1, 1))
        if kind.name == "measurements":  # one a day, none in the future
            values["date"] = dt.date(2025, 1, 1) + dt.timedelta(days=_k)
        session.execute(records_service.new_record(kind.name, values))
    return session.records(kind.name)


def copy_kind(source: ProjectSession, target: ProjectSession, kind: kinds.Kind,
              path: Path) -> list[Any]:
    """Export ``kind`` from source and import it into target; returns the source's records."""
    original = source.records(kind.name)
    sheets.export(path, kind, original, sheets.context(source))
    plan = plan_for(target, kind, path)
    assert plan.ok, [p.describe() for p in plan.problems]
    if plan.creates or plan.updates:
        target.execute(plan.command())
    return original


def plan_for(session: ProjectSession, kind: kinds.Kind, path: Path) -> sheets.ImportPlan:
    return sheets.plan_import(kind, sheets.read_table(path), sheets.context(session))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("kind", kinds.REGISTERS, ids=lambda k: k.name)
def test_round_trip_into_an_empty_project(kind: kinds.Kind, suffix: str,
                                          session: ProjectSession, empty: ProjectSession,
                                          tmp_path: Path) -> None:
    """Export, then import into an empty project, gives the same records (what a record
    refers to is carried first, as a user would import the KPIs before their values)."""
    for needed in sorted({f.refers_to for f in kind.fields if f.refers_to} - {None}):
        fill(session, kinds.kind(needed), 3, seed=9)
        copy_kind(session, empty, kinds.kind(needed), tmp_path / f"{needed}{suffix}")
    fill(session, kind)
    original = copy_kind(session, empty, kind, tmp_path / f"{kind.name}{suffix}")
    assert len(original) == 6
    again = empty.records(kind.name)
    assert {r.id: dict(r.values) for r in again} == {r.id: dict(r.values) for r in original}
    # importing the same file again changes nothing
    plan = plan_for(empty, kind, tmp_path / f"{kind.name}{suffix}")
    assert plan.ok and not plan.creates and not plan.updates
    assert plan.unchanged == len(original)


def test_the_round_trip_works_in_every_language(session: ProjectSession, empty: ProjectSession,
                                                tmp_path: Path) -> None:
    """Labels written in one language are read back whatever the language is then."""
    kind = kinds.DATASETS
    original = fill(session, kind, 4)
    for lang in ("da", "fr", "de"):
        i18n.set_language(lang)
        path = tmp_path / f"datasets-{lang}.csv"
        sheets.export(path, kind, original)
        i18n.set_language("sv")
        plan = plan_for(empty, kind, path)
        assert plan.ok, [p.describe() for p in plan.problems]
        assert {rid: v for rid, v in plan.creates} == {r.id: dict(r.values) for r in original}


def test_one_import_is_one_undo_step(session: ProjectSession, tmp_path: Path) -> None:
    path = tmp_path / "team.csv"
    path.write_text("name,role,influence\nAnna,project-manager,high\nBo,Data engineer,low\n",
                    encoding="utf-8")
    plan = plan_for(session, kinds.TEAM, path)
    assert plan.ok and len(plan.creates) == 2
    inverse, _change = session.execute(plan.command())
    assert [r.get("name") for r in session.records("team")] == ["Anna", "Bo"]
    session.execute(inverse)
    assert session.records("team") == []


def test_rows_with_an_id_update_that_record(session: ProjectSession, tmp_path: Path) -> None:
    session.execute(records_service.new_record("risks", {"description": "Sensors fail",
                                                         "impact": 2}))
    risk = session.records("risks")[0]
    path = tmp_path / "risks.csv"
    path.write_text(f"id,description,impact\n{risk.id},Sensors fail,4\n,Budget cut,3\n",
                    encoding="utf-8")
    plan = plan_for(session, kinds.RISKS, path)
    assert plan.ok and plan.updates == [(risk.id, {"impact": 4})] and len(plan.creates) == 1


def test_cells_that_would_run_as_formulas_are_neutralised(session: ProjectSession,
                                                          empty: ProjectSession,
                                                          tmp_path: Path) -> None:
    nasty = ["=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)", "\tindent"]
    for text in nasty:
        session.execute(records_service.new_record("decisions", {"question": "Q",
                                                                 "options": text}))
    for suffix in (".csv", ".xlsx"):
        path = tmp_path / f"d{suffix}"
        sheets.export(path, kinds.DECISIONS, session.records("decisions"))
        cells = [row[2] for row in sheets.read_table(path)[1:]]
        assert all(str(c).startswith("'") for c in cells), cells
        plan = plan_for(empty, kinds.DECISIONS, path)
        assert plan.ok
        assert sorted(v["options"] for _id, v in plan.creates) == sorted(nasty)


def test_long_text_emoji_and_right_to_left_are_kept(session: ProjectSession,
                                                    empty: ProjectSession,
                                                    tmp_path: Path) -> None:
    texts = ["ü" * 15000, "Cykler 🚲 og 🌍", "مجموعة بيانات حركة المرور", "עברית ו-English"]
    for text in texts:
        session.execute(records_service.new_record("datasets", {"title": text[:200],
                                                                "description": text}))
    for suffix in (".csv", ".xlsx"):
        path = tmp_path / f"t{suffix}"
        sheets.export(path, kinds.DATASETS, session.records("datasets"))
        plan = plan_for(empty, kinds.DATASETS, path)
        assert plan.ok
        assert sorted(v["description"] for _i, v in plan.creates) == sorted(texts)


def test_csv_is_utf8_with_a_bom_and_the_language_s_separator(session: ProjectSession,
                                                             tmp_path: Path) -> None:
    fill(session, kinds.TEAM, 2)
    path = tmp_path / "team.csv"
    i18n.set_language("de")
    sheets.export(path, kinds.TEAM, session.records("team"))
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.decode("utf-8-sig").startswith("id;name;")
    i18n.set_language("en")
    sheets.export(path, kinds.TEAM, session.records("team"))
    assert path.read_bytes().decode("utf-8-sig").startswith("id,name,")


BAD_TABLES = {
    "missing required column": ("organisation\nStad\n", "name", "required column"),
    "unknown column": ("name,shoe size\nAnna,42\n", "shoe size", "unknown column"),
    "bad choice": ("name,role\nAnna,astronaut\n", "role", "not one of the choices"),
    "bad number": ("description,impact\nRain,very\n", "impact", "not a whole number"),
    "number out of range": ("description,impact\nRain,9\n", "impact", "between 1 and 5"),
    "bad date": ("name,date\nLaunch,next spring\n", "date", "not a date"),
    "bad activity": ("question,activity\nQ,c9.a9\n", "activity", "not an activity"),
    "duplicated id": ("id,name\n{a},Anna\n{a},Bo\n", "id", "same id"),
    "empty required cell": ("name,role\n,project-manager\n", "name", "required"),
}
KIND_OF = {"missing required column": "team", "unknown column": "team", "bad choice": "team",
           "bad number": "risks", "number out of range": "risks", "bad date": "milestones",
           "bad activity": "decisions", "duplicated id": "team",
           "empty required cell": "team"}


@pytest.mark.parametrize("case", list(BAD_TABLES))
def test_a_bad_row_is_reported_and_nothing_is_imported(case: str, session: ProjectSession,
                                                       tmp_path: Path) -> None:
    text, column, words = BAD_TABLES[case]
    path = tmp_path / "bad.csv"
    path.write_text("name\nGood row\n" if False else
                    text.format(a=uuid.uuid4()), encoding="utf-8")
    kind = kinds.kind(KIND_OF[case])
    plan = plan_for(session, kind, path)
    assert not plan.ok
    assert any(p.column == column and words in p.message for p in plan.problems), \
        [p.describe() for p in plan.problems]
    assert all(p.row >= 1 for p in plan.problems)
    with pytest.raises(AssertionError):
        plan.command()
    assert session.records(kind.name) == []


def test_an_id_of_another_register_is_refused(session: ProjectSession, tmp_path: Path) -> None:
    session.execute(records_service.new_record("risks", {"description": "R"}))
    rid = session.records("risks")[0].id
    path = tmp_path / "team.csv"
    path.write_text(f"id,name\n{rid},Anna\n", encoding="utf-8")
    plan = plan_for(session, kinds.TEAM, path)
    assert [p.message for p in plan.problems] == ["this id belongs to a record of another "
                                                  "register"]


@pytest.mark.parametrize("maker", ["junk", "binary csv", "zip of something else",
                                   "broken xlsx"])
def test_files_that_are_not_tables_are_refused(maker: str, tmp_path: Path) -> None:
    if maker == "junk":
        path = tmp_path / "big.csv"
        path.write_bytes(b"x" * (sheets.MAX_BYTES + 1))
    elif maker == "binary csv":
        path = tmp_path / "photo.csv"
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40)
    elif maker == "zip of something else":
        path = tmp_path / "not.xlsx"
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "hello")
        path.write_bytes(buffer.getvalue())
    else:
        path = tmp_path / "cut.xlsx"
        path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(SpreadsheetError) as info:
        sheets.read_table(path)
    assert str(path) in info.value.message and "\n" not in info.value.message


def test_an_xlsx_with_formulas_is_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["name", "organisation"])
    sheet.append(["Anna", "=1+1"])
    path = tmp_path / "formula.xlsx"
    book.save(path)
    with pytest.raises(SpreadsheetError) as info:
        sheets.read_table(path)
    assert "formulas" in info.value.message


def test_dates_in_the_locale_s_short_format_and_iso(session: ProjectSession,
                                                    tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("name;date\nTest starts;15.11.2026\nLaunch;2027-03-01\n", encoding="utf-8")
    i18n.set_language("de")
    plan = plan_for(session, kinds.MILESTONES, path)
    assert plan.ok, [p.describe() for p in plan.problems]
    assert [v["date"] for _i, v in plan.creates] == [dt.date(2026, 11, 15), dt.date(2027, 3, 1)]


def test_measurements_name_their_kpi_and_read_decimal_commas(session: ProjectSession,
                                                             tmp_path: Path) -> None:
    session.execute(records_service.new_record("kpis", {"name": "Cyclists a day",
                                                        "baseline": 1200, "target": 1500.5}))
    kpi = session.records("kpis")[0]
    path = tmp_path / "m.csv"
    path.write_text("kpi;date;value\ncyclists a day;2026-05-01;1 312,5\n"
                    f"{kpi.id};2026-06-01;1400\n", encoding="utf-8")
    i18n.set_language("fr")
    plan = plan_for(session, kinds.MEASUREMENTS, path)
    assert plan.ok, [p.describe() for p in plan.problems]
    assert [(v["kpi"], v["value"]) for _i, v in plan.creates] == [(kpi.id, 1312.5),
                                                                   (kpi.id, 1400)]
    session.execute(plan.command())
    out = tmp_path / "out.csv"
    sheets.export(out, kinds.MEASUREMENTS, session.records("measurements"),
                  sheets.context(session))
    text = out.read_text("utf-8-sig")
    assert "Cyclists a day;2026-05-01;1312,5" in text  # the KPI by name, a decimal comma
    bad = tmp_path / "bad.csv"
    bad.write_text("kpi;date;value\nBuses;2026-05-01;12\nCyclists a day;2026-05-02;lots\n",
                   encoding="utf-8")
    plan = plan_for(session, kinds.MEASUREMENTS, bad)
    assert {(p.row, p.column) for p in plan.problems} == {(2, "kpi"), (3, "value")}


def test_the_documented_columns_are_the_declared_ones() -> None:
    documented = (Path(__file__).resolve().parents[2] / "docs" / "spreadsheets.md").read_text(
        encoding="utf-8")
    assert documented == sheets.columns_reference(), \
        "run python -m d4a_desktop.services.spreadsheets"


@pytest.mark.parametrize("name", ["answers", "assessments", "assessment_versions",
                                  "comments", "reviews", "nothing"])
def test_only_registers_go_through_spreadsheets(name: str) -> None:
    """Tool answers, versions, comments and reviews have checks of their own (the tool's
    questions, versions that never change); a spreadsheet must not pass them by."""
    from d4a_desktop.services.spreadsheets import SpreadsheetError, kind_named

    with pytest.raises(SpreadsheetError) as caught:
        kind_named(name)
    valid = str(caught.value).split(":", 1)[1]
    assert "datasets" in valid and "answers" not in valid and "comments" not in valid
    assert kind_named("measurements").name == "measurements"
