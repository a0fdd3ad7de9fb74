"""The portfolio: many partners' packages in one sortable overview, to CSV and .xlsx."""

from __future__ import annotations

import csv
import datetime as dt
import uuid
from pathlib import Path

import pytest

from d4a_desktop import i18n
from d4a_desktop.core.vocab import Dimension
from d4a_desktop.services import monitoring
from d4a_desktop.services.exchange import export_package, portfolio
from d4a_desktop.services.exchange import package as pkg
from d4a_desktop.services.projects import NewProject, ProjectSession, create_project
from d4a_desktop.services.roadmap import english_roadmap

ITEMS = [i.id for i in english_roadmap().items()]


def partner(folder: Path, municipality: str, country: str, done: int, *,
            domain: str = "Mobility", kpis: int = 0, name: str | None = None) -> Path:
    """A partner's project with ``done`` items ticked, exported into ``folder``."""
    path = folder / f"{uuid.uuid4().hex}.d4a"
    session = create_project(path, NewProject(title=f"{municipality} project",
                                              municipality=municipality, country=country,
                                              domain=domain))
    try:
        for item in ITEMS[:done]:
            session.file.update_item(item, {"done": True})
        for n in range(kpis):
            kid = str(uuid.uuid4())
            session.file.create_record("kpis", kid, {"name": f"KPI {n}", "target": 10})
            if n == 0:
                session.file.create_record("measurements", str(uuid.uuid4()), {
                    "kpi": kid, "date": dt.date(2026, 3, 1), "value": 4})
        target = folder / (name or f"{municipality}.d4ax")
        export_package(session, target)
    finally:
        session.close()
        path.unlink()
    return target


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("portfolio")
    partner(folder, "Vejle", "DK", 40, kpis=3)
    partner(folder, "Ålesund", "NO", 10, domain="Climate")
    partner(folder, "Emmen", "NL", 80)
    (folder / "broken.d4ax").write_bytes(b"not a package")
    (folder / "notes.txt").write_text("ignored")
    return folder


def test_the_overview_holds_one_row_per_project(folder: Path) -> None:
    result = portfolio.read_portfolio(folder)
    assert sorted(e.municipality for e in result.entries) == ["Emmen", "Vejle", "Ålesund"]
    assert [name for name, _reason in result.problems] == ["broken.d4ax"]
    vejle = next(e for e in result.entries if e.municipality == "Vejle")
    assert vejle.country == "DK" and vejle.domain == "Mobility"
    assert vejle.overall.done == 40
    assert sum(t.done for t in vejle.components.values()) == 40
    assert sum(t.done for t in vejle.dimensions.values()) == 40
    assert vejle.kpis == portfolio.KpiSummary(total=3, measured=1)
    assert vejle.last_update <= dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert vejle.records["kpis"] == 3 and vejle.copies == 1


def test_the_overview_sorts_by_any_column_in_the_reader_s_alphabet(folder: Path) -> None:
    result = portfolio.read_portfolio(folder)
    assert [e.municipality for e in result.sorted("municipality")] == \
        ["Ålesund", "Emmen", "Vejle"]  # English files Å under A
    i18n.set_language("nb")  # Norwegian puts Å after Z
    assert [e.municipality for e in result.sorted("municipality")] == \
        ["Emmen", "Vejle", "Ålesund"]
    assert [e.municipality for e in result.sorted("overall", descending=True)] == \
        ["Emmen", "Vejle", "Ålesund"]
    assert next(e.municipality for e in result.sorted("domain")) == "Ålesund"
    assert next(e.municipality for e in result.sorted("kpis", descending=True)) == "Vejle"
    for key in (*portfolio.SORT_KEYS, "component:c2", f"dimension:{Dimension.TECHNOLOGY}"):
        assert len(result.sorted(key)) == 3
    with pytest.raises(ValueError):
        result.sorted("colour")


def test_copies_of_one_project_count_once_the_newest(tmp_path: Path, rich: ProjectSession
                                                     ) -> None:
    export_package(rich, tmp_path / "old.d4ax")
    rich.file.update_item(ITEMS[-1], {"done": True})
    export_package(rich, tmp_path / "new.d4ax")
    result = portfolio.read_portfolio(tmp_path)
    assert len(result.entries) == 1
    assert result.entries[0].path.name == "new.d4ax" and result.entries[0].copies == 2
    assert result.entries[0].overall == rich.progress().overall


def test_the_progress_of_a_package_is_the_program_s_own(rich: ProjectSession,
                                                        tmp_path: Path) -> None:
    export_package(rich, tmp_path / "p.d4ax")
    entry = portfolio.entry_of(pkg.read_package(tmp_path / "p.d4ax"))
    prog = rich.progress()
    assert entry.overall == prog.overall and entry.components == prog.components
    assert entry.dimensions == prog.dimensions
    state = portfolio.state_of(pkg.read_package(tmp_path / "p.d4ax").snapshot)
    assert state.conditions == rich.state().conditions
    assert {k: (v.status, v.na_reason) for k, v in state.activities.items()} == \
        {k: (v.status, v.na_reason) for k, v in rich.state().activities.items()}


def test_csv_export_is_safe_for_spreadsheets(folder: Path, tmp_path: Path) -> None:
    result = portfolio.read_portfolio(folder)
    evil = result.entries[0]
    result.entries[0] = portfolio.replace(evil, domain="=HYPERLINK(\"http://x\")")
    out = portfolio.export(result, tmp_path / "p.csv", "municipality")
    text = out.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines(), delimiter=","))
    assert rows[0][:6] == ["Municipality", "Country", "Domain", "Project", "Tandem partner",
                           "Overall (%)"]
    assert rows[0][6].startswith("1. ") and rows[0][6].endswith("(%)")
    assert "KPIs on track" not in rows[0]
    assert [r[0] for r in rows[1:]] == ["Ålesund", "Emmen", "Vejle"]
    emmen = rows[2]
    assert emmen[5] == str(round(80 / result.sorted()[1].overall.total * 100))
    assert "'=HYPERLINK" in text
    i18n.set_language("nl")
    dutch = portfolio.export(result, tmp_path / "nl.csv").read_text(encoding="utf-8-sig")
    assert dutch.splitlines()[0].startswith("Gemeente;")


def test_xlsx_export_has_numbers_and_dates(folder: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = portfolio.export(portfolio.read_portfolio(folder), tmp_path / "p.xlsx", "overall",
                           descending=True)
    sheet = load_workbook(out).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Municipality" and rows[0][5] == "Overall"
    assert [r[0] for r in rows[1:]] == ["Emmen", "Vejle", "Ålesund"]
    assert isinstance(rows[1][5], float) and 0 < rows[1][5] <= 1
    assert sheet["F2"].number_format == "0%"
    assert any(isinstance(v, dt.datetime) for v in rows[1])


def test_kpi_status_columns_appear_once_statuses_are_known(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(portfolio, "kpi_status", lambda kpi, measurements, today:
                        "on-track" if measurements else "off-track")
    result = portfolio.read_portfolio(folder)
    vejle = next(e for e in result.entries if e.municipality == "Vejle")
    assert (vejle.kpis.on_track, vejle.kpis.off_track) == (1, 2)
    header, _rows = portfolio.table(result)
    assert "KPIs on track" in header and "KPIs off track" in header


def test_kpi_status_follows_the_rule_of_the_kpi_page(tmp_path: Path) -> None:
    """On track, at risk and off track as ``core/kpi.py`` decides them, from the package."""
    from d4a_desktop.core import kpi as kpi_rule

    today = dt.date.today()
    path = tmp_path / "kpis.d4a"
    session = create_project(path, NewProject("KPIs", "Herning", "DK"))
    # baseline 0 half a year ago, target 100 in two years: the line expects about 20 now
    values = {"baseline": 0, "baseline_date": today - dt.timedelta(days=180), "target": 100,
              "target_date": today + dt.timedelta(days=730), "direction": "higher"}
    measured = {"on": 40, "risk": 10, "off": 0}
    for name, value in measured.items():
        kid = str(uuid.uuid4())
        session.file.create_record("kpis", kid, {"name": name, **values})
        session.file.create_record("measurements", str(uuid.uuid4()), {
            "kpi": kid, "date": today - dt.timedelta(days=5), "value": value})
    session.file.create_record("kpis", str(uuid.uuid4()), {"name": "no baseline",
                                                           "target": 5})
    expected = {m.record.get("name"): m.status.status.value
                for m in monitoring.measured(session)}
    export_package(session, tmp_path / "kpis.d4ax")
    session.close()
    assert expected == {"on": "on-track", "risk": "at-risk", "off": "off-track",
                        "no baseline": kpi_rule.Status.NO_DATA.value}
    result = portfolio.read_portfolio(tmp_path)
    (entry,) = result.entries
    assert entry.kpis == portfolio.KpiSummary(total=4, measured=3, on_track=1, off_track=1,
                                              at_risk=1)
    header, rows = portfolio.table(result)
    at = header.index("KPIs at risk")
    assert rows[0][at - 1: at + 2] == [1, 1, 1]


def test_an_unreadable_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(portfolio.ExchangeError):
        portfolio.read_portfolio(tmp_path / "missing")
