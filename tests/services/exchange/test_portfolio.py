"""The portfolio: many partners' packages in one sortable overview, to CSV, .xlsx and PDF."""

from __future__ import annotations

import csv
import datetime as dt
import errno
import os
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
    assert {"component:c2", f"dimension:{Dimension.TECHNOLOGY}", "on_track",
            "package"} <= set(portfolio.sort_keys())
    for key in portfolio.sort_keys():
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


# --- the printed overview -------------------------------------------------------------------

def row_text(entry: portfolio.Entry) -> str:
    """What the PDF prints after a project's name: its figures, in the reader's language."""
    from d4a_desktop.services.roadmap import roadmap

    figures = [entry.overall.fraction]
    figures += [entry.components[c.id].fraction for c in roadmap().components]
    figures += [entry.dimensions[d].fraction for d in Dimension]
    kpis = entry.kpis
    statuses = [kpis.on_track, kpis.at_risk, kpis.off_track]
    return " ".join([entry.country, entry.domain, *map(i18n.format_percent, figures),
                     i18n.format_date(entry.last_update.date()), str(kpis.total),
                     *("–" if s is None else str(s) for s in statuses)])


def test_pdf_lists_every_project_with_its_figures_in_the_chosen_order(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.services.pdfcheck import BASE14, Doc, squeeze

    # Vejle's KPIs get statuses (one on track, two off), the others have none yet
    monkeypatch.setattr(portfolio, "kpi_status", lambda kpi, measurements, today:
                        "on-track" if measurements else "off-track")
    result = portfolio.read_portfolio(folder)
    out = portfolio.export(result, tmp_path / "p.pdf", "overall", descending=True)
    doc = Doc(out.read_bytes())
    assert doc.size[0] > doc.size[1]  # landscape
    entries = result.sorted("overall", descending=True)
    assert [e.municipality for e in entries] == ["Emmen", "Vejle", "Ålesund"]
    assert doc.missing([f"{e.municipality} {e.title} {row_text(e)}" for e in entries]) == []
    vejle = next(e for e in entries if e.municipality == "Vejle")
    assert row_text(vejle).endswith(" 3 1 0 2")
    positions = [doc.squeezed().index(squeeze(e.title)) for e in entries]
    assert positions == sorted(positions)
    assert doc.contains(str(folder)) and doc.contains("Sorted by “Overall”, descending.")
    assert doc.contains("broken.d4ax cannot be read")  # what was left out, and why
    assert doc.contains("Tech. = Technology")  # the legend spells out the short headings
    assert doc.glyph_problems() == []
    for font in doc.fonts():
        assert str(font["/BaseFont"]).split("+", 1)[-1] not in BASE14
    ascending = Doc(portfolio.export(result, tmp_path / "a.pdf", "municipality").read_bytes())
    names = [ascending.squeezed().index(f"{m}{m}project") for m in ("Ålesund", "Emmen",
                                                                     "Vejle")]
    assert names == sorted(names)


def test_pdf_in_french_and_danish(folder: Path, tmp_path: Path) -> None:
    from tests.services.pdfcheck import Doc

    for lang, words in (("fr", "Portefeuille"), ("da", "Portefølje")):
        i18n.set_language(lang)
        result = portfolio.read_portfolio(folder)
        doc = Doc(portfolio.export(result, tmp_path / f"{lang}.pdf").read_bytes())
        assert doc.contains(words)
        assert doc.missing([row_text(e) for e in result.entries]) == []
        assert i18n.format_percent(0.5)[-2] in "\u00a0\u202f" or lang == "da"
        assert "\ufffd" not in doc.exact_text()
        assert doc.glyph_problems() == []


def test_long_names_wrap_inside_the_page(folder: Path, tmp_path: Path) -> None:
    from tests.services.pdfcheck import Doc

    result = portfolio.read_portfolio(folder)
    long_words = "Gemeente Súdwest-Fryslân en de samenwerkende gemeenten van " * 3
    no_spaces = "Zweckverband" * 12
    result.entries = [portfolio.replace(result.entries[0], municipality=long_words.strip(),
                                        domain="Mobility, climate and energy " * 4),
                      portfolio.replace(result.entries[1], municipality=no_spaces),
                      *result.entries[2:]]
    doc = Doc(portfolio.export(result, tmp_path / "long.pdf").read_bytes())
    assert doc.contains(long_words) and doc.contains(no_spaces)
    width, height = doc.size
    for page, words in enumerate(doc.words(), 1):
        for word in words:  # inside the margins (14 mm = 40 pt), never clipped
            assert word.x0 >= 35 and word.x1 <= width - 35, (page, word)
            assert word.y0 >= 0 and word.y1 <= height, (page, word)


def test_pdf_of_many_projects_repeats_the_headings_on_every_page(tmp_path: Path) -> None:
    import copy

    from tests.services.pdfcheck import Doc

    first = partner(tmp_path, "Kommune 00", "DK", 40)
    snap = pkg.read_package(first).snapshot
    for n in range(1, 24):  # copies of one package as other partners' projects
        other = copy.deepcopy(snap)
        other["project"].update(id=str(uuid.uuid4()), municipality=f"Kommune {n:02d}")
        data, _manifest = pkg.pack(other, installation=str(uuid.uuid4()))
        (tmp_path / f"k{n}.d4ax").write_bytes(data)
    result = portfolio.read_portfolio(tmp_path)
    assert len(result.entries) == 24
    doc = Doc(portfolio.export(result, tmp_path / "many.pdf").read_bytes())
    assert len(doc.pages) >= 2
    assert doc.missing([f"Kommune {n:02d}" for n in range(24)]) == []
    for number, page in enumerate(doc.pages, 1):
        assert "Municipality" in page and f"Page {number} of {len(doc.pages)}" in page
        assert "Portfolio ·" in page  # the running header: the folder, what and when
        assert str(tmp_path.name) in page


def test_pdf_export_can_be_cancelled_and_writes_nothing(folder: Path, tmp_path: Path) -> None:
    import threading

    cancel = threading.Event()
    seen: list[float] = []

    def progress(fraction: float) -> None:
        seen.append(fraction)
        cancel.set()

    with pytest.raises(portfolio.Cancelled):
        portfolio.export(portfolio.read_portfolio(folder), tmp_path / "p.pdf",
                         progress=progress, cancel=cancel)
    assert seen and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", [".pdf", ".xlsx", ".csv"])
@pytest.mark.parametrize(("code", "words"), [(errno.ENOSPC, "disk is full"),
                                             (errno.EACCES, "may not write"),
                                             (errno.EROFS, "read-only drive")])
def test_an_unwritable_target_says_why_and_leaves_nothing(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str,
        code: int, words: str) -> None:
    result = portfolio.read_portfolio(folder)
    target = tmp_path / f"overview{suffix}"
    target.write_bytes(b"the old file")

    def fail(_fd: int) -> None:
        raise (PermissionError if code == errno.EACCES else OSError)(code, os.strerror(code))

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(portfolio.ExchangeError) as caught:
        portfolio.export(result, target)
    assert words in caught.value.message and target.name in caught.value.message
    assert target.read_bytes() == b"the old file"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_a_missing_folder_is_named(folder: Path, tmp_path: Path) -> None:
    with pytest.raises(portfolio.ExchangeError) as caught:
        portfolio.export(portfolio.read_portfolio(folder), tmp_path / "gone" / "p.pdf")
    assert "does not exist" in caught.value.message and "gone" in caught.value.message
    assert not (tmp_path / "gone").exists()


def test_every_column_sorts(folder: Path) -> None:
    """The GUI sorts an export by the column shown sorted: each has a key."""
    result = portfolio.read_portfolio(folder)
    header, _rows = portfolio.table(result)
    keys = [key for _label, key in portfolio.columns(False)]
    assert len(keys) == len(header) == len(set(keys))
    for key in [k for _label, k in portfolio.columns(True)]:
        assert len(result.sorted(key)) == 3
        assert portfolio.column_label(key) in [label for label, _k in portfolio.columns(True)]
    # the file names, in the reader's alphabet (English files Å under A)
    assert [e.path.name for e in result.sorted("package", descending=True)] == \
        ["Vejle.d4ax", "Emmen.d4ax", "Ålesund.d4ax"]
