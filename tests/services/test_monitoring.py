"""KPIs and measurements by hand, pasted and imported; tool answers with dates and entries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from d4a_desktop.core import commands as c
from d4a_desktop.core.commands import InvalidRecord
from d4a_desktop.core.kpi import Status
from d4a_desktop.services import assessments as a
from d4a_desktop.services import monitoring as m
from d4a_desktop.services import records
from d4a_desktop.services.projects import NewProject, ProjectSession, create_project

TODAY = dt.date(2026, 12, 4)
KPI = {"name": "Cyclists a day", "unit": "cyclists", "baseline": 400,
       "baseline_date": dt.date(2026, 1, 1), "target": 500,
       "target_date": dt.date(2027, 1, 1), "direction": "higher"}


@pytest.fixture
def session(tmp_path: Path, home: Path) -> ProjectSession:
    s = create_project(tmp_path / "p.d4a", NewProject("Monitor", "Kortrijk", "BE"))
    yield s
    s.close()


def _kpi(session: ProjectSession, **values: object) -> str:
    command = records.new_record("kpis", {**KPI, **values})
    session.execute(command)
    return command.record_id


def _values(session: ProjectSession, kpi_id: str) -> dict[dt.date, tuple[float, str]]:
    return {x.date: (x.value, x.note) for x in m.measured_one(session, kpi_id, TODAY)
            .measurements}


# --- tool answers -----------------------------------------------------------------------------

def test_a_date_answer_is_kept_as_a_date(session: ProjectSession) -> None:
    day = dt.date(2026, 3, 12)
    session.execute(a.set_answer(session, "dpia-screening", "decision/decision-date", day))
    session.execute(a.set_answer(session, "dpia-screening", "processing/controller",
                                 "2026-03-12"))  # text that looks like a date stays text
    state = a.filled(session, "dpia-screening")
    assert state.answers == {"decision/decision-date": day,
                             "processing/controller": "2026-03-12"}
    assert a.set_answer(session, "dpia-screening", "decision/decision-date", day) is None
    session.execute(a.save_version(session, "dpia-screening", today=TODAY))
    version = a.filled(session, "dpia-screening").versions[0]
    assert version.get("answers")["decision/decision-date"] == "2026-03-12"  # as stored
    assert a.version_answers(session, "dpia-screening", version)["decision/decision-date"] \
        == day


def test_entries_are_added_moved_and_removed_as_single_edits(session: ProjectSession) -> None:
    tool = "technology-scorecard"
    keys = []
    for name in ("CKAN", "Own build", "Regional platform"):
        key, command = a.add_entry(session, tool, "options")
        session.execute(command)
        session.execute(a.set_answer(session, tool, f"options/{key}/option-name", name))
        keys.append(key)

    def order() -> list[str]:
        from d4a_desktop.core.assessments import entries

        return list(entries(session.roadmap.tool(tool), "options",
                            a.filled(session, tool).answers))

    assert order() == keys
    undo_move, _ch = session.execute(a.move_entry(session, tool, "options", keys[2], 0))
    assert order() == [keys[2], keys[0], keys[1]]
    assert a.move_entry(session, tool, "options", keys[2], 0) is None  # already there
    session.execute(undo_move)
    assert order() == keys
    undo_remove, _ch = session.execute(a.remove_entry(session, tool, "options", keys[1]))
    assert order() == [keys[0], keys[2]]
    assert not any(p.startswith(f"options/{keys[1]}/") for p in a.filled(session, tool).answers)
    session.execute(undo_remove)
    assert order() == keys
    assert a.filled(session, tool).answers[f"options/{keys[1]}/option-name"] == "Own build"


# --- measurements by hand ---------------------------------------------------------------------

def test_a_measurement_is_checked_before_it_is_written(session: ProjectSession) -> None:
    kpi_id = _kpi(session)
    session.execute(m.new_measurement(session, kpi_id, dt.date(2026, 6, 30), 460, "June",
                                      TODAY))
    for day, value, field in ((dt.date(2026, 6, 30), 470, "date"),     # a second one
                              (dt.date(2026, 12, 24), 470, "date"),    # in the future
                              (None, 470, "date"),
                              (dt.date(2026, 7, 31), "470", "value"),
                              (dt.date(2026, 7, 31), float("nan"), "value")):
        with pytest.raises(InvalidRecord) as raised:
            m.new_measurement(session, kpi_id, day, value, today=TODAY)
        assert [p.field for p in raised.value.problems] == [field]
    assert _values(session, kpi_id) == {dt.date(2026, 6, 30): (460, "June")}


def test_editing_a_measurement_may_keep_its_own_date(session: ProjectSession) -> None:
    kpi_id = _kpi(session)
    for day, value in ((dt.date(2026, 5, 31), 440), (dt.date(2026, 6, 30), 460)):
        session.execute(m.new_measurement(session, kpi_id, day, value, today=TODAY))
    june = next(x for x in m.measured_one(session, kpi_id, TODAY).measurements
                if x.date.month == 6)
    session.execute(m.edit_measurement(session, june.id, {"value": 465, "date": june.date},
                                       TODAY))
    assert _values(session, kpi_id)[dt.date(2026, 6, 30)][0] == 465
    assert m.edit_measurement(session, june.id, {"value": 465}, TODAY) is None
    with pytest.raises(InvalidRecord):  # onto May, which has one
        m.edit_measurement(session, june.id, {"date": dt.date(2026, 5, 31)}, TODAY)


def test_deleting_a_kpi_takes_its_measurements_and_undo_brings_both_back(
        session: ProjectSession) -> None:
    kpi_id = _kpi(session)
    other = _kpi(session, name="Other")
    for kpi in (kpi_id, other):
        session.execute(m.new_measurement(session, kpi, dt.date(2026, 6, 30), 460,
                                          today=TODAY))
    undo, _change = session.execute(m.delete_kpi(session, kpi_id))
    assert [x.record.id for x in m.measured(session, TODAY)] == [other]
    assert len(session.records("measurements")) == 1
    session.execute(undo)
    assert _values(session, kpi_id) == {dt.date(2026, 6, 30): (460, "")}


def test_a_kpi_names_a_deleted_source_dataset_as_such(session: ProjectSession) -> None:
    dataset = records.new_record("datasets", {"title": "Telraam counts"})
    session.execute(dataset)
    kpi_id = _kpi(session, source_dataset=dataset.record_id)
    assert m.measured_one(session, kpi_id, TODAY).source == "Telraam counts"
    session.execute(c.DeleteRecord("datasets", dataset.record_id))
    assert m.measured_one(session, kpi_id, TODAY).source == \
        "Telraam counts (deleted from the data inventory)"
    assert m.source_name(session, "no-such-id") == "a dataset that is no longer in the project"


def test_kpi_problems_include_baseline_and_target_together() -> None:
    assert [p.field for p in m.kpi_problems({**KPI, "target": 300})] == ["target"]
    assert [p.field for p in m.kpi_problems({**KPI, "name": ""})] == ["name"]
    assert m.kpi_problems(dict(KPI)) == []


# --- pasted and imported tables ---------------------------------------------------------------

def test_text_from_a_spreadsheet_becomes_rows() -> None:
    assert m.table_from_text("31/05/2026\t440\r\n\n30/06/2026\t460\tJune\n") == [
        ["31/05/2026", "440"], ["30/06/2026", "460", "June"]]


def test_a_paste_without_heading_is_date_value_note(session: ProjectSession) -> None:
    kpi_id = _kpi(session)
    plan = m.plan_measurements(session, kpi_id, m.table_from_text(
        "2026-05-31\t440\n2026-06-30\t460\tJune\n"), TODAY)
    assert plan.ok and len(plan.creates) == 2 and not plan.updates
    undo, change = session.execute(m.plan_command(plan, pasted=True))
    assert change.kind == "measurements"
    assert m.plan_command(plan, pasted=True).describe() == "Paste 2 measurements"
    assert _values(session, kpi_id) == {dt.date(2026, 5, 31): (440, ""),
                                        dt.date(2026, 6, 30): (460, "June")}
    session.execute(undo)  # one edit: undo takes both away
    assert _values(session, kpi_id) == {}


def test_a_table_with_headings_updates_the_dates_it_has(session: ProjectSession) -> None:
    kpi_id = _kpi(session)
    session.execute(m.new_measurement(session, kpi_id, dt.date(2026, 5, 31), 440, "May",
                                      TODAY))
    table = [["Note", "Value", "Date", "kpi"], ["May", "445", "2026-05-31", "Cyclists a day"],
             ["", "460", "2026-06-30", kpi_id]]
    plan = m.plan_measurements(session, kpi_id, table, TODAY)
    assert plan.ok, [p.describe() for p in plan.problems]
    assert len(plan.creates) == 1 and [changes for _rid, changes in plan.updates] == [
        {"value": 445}]
    session.execute(m.plan_command(plan, pasted=False))
    assert _values(session, kpi_id)[dt.date(2026, 5, 31)] == (445, "May")
    again = m.plan_measurements(session, kpi_id, table, TODAY)
    assert again.ok and again.unchanged == 2 and not again.creates and not again.updates


def test_one_bad_row_and_nothing_is_written(session: ProjectSession) -> None:
    kpi_id = _kpi(session)
    table = [["date", "value"], ["2026-05-31", "440"], ["2026-05-31", "441"],
             ["31 February", "1"], ["2026-07-31", "many"], ["2027-03-01", "470"],
             ["2026-08-31", "480", "a note too many"]]
    plan = m.plan_measurements(session, kpi_id, table, TODAY)
    assert not plan.ok
    assert [(p.row, p.column) for p in plan.problems] == [
        (3, "date"), (4, "date"), (5, "value"), (6, "date"), (7, "")]
    with pytest.raises(AssertionError):
        plan.command()
    assert _values(session, kpi_id) == {}


def test_a_row_for_another_kpi_or_an_unknown_column_is_refused(session: ProjectSession) -> None:
    kpi_id = _kpi(session)
    plan = m.plan_measurements(session, kpi_id, [["date", "value", "kpi"],
                                                 ["2026-05-31", "440", "Bike share"]], TODAY)
    assert [p.column for p in plan.problems] == ["kpi"]
    plan = m.plan_measurements(session, kpi_id, [["date", "value", "colour"]], TODAY)
    assert [p.column for p in plan.problems] == ["colour"]
    assert not m.plan_measurements(session, kpi_id, [], TODAY).ok


def test_values_are_read_as_the_interface_language_writes_them(session: ProjectSession) -> None:
    from d4a_desktop import i18n

    kpi_id = _kpi(session)
    i18n.set_language("da")
    plan = m.plan_measurements(session, kpi_id, [["31-05-2026", "1.234,5"]], TODAY)
    assert plan.ok, [p.describe() for p in plan.problems]
    assert plan.creates[0][1]["value"] == 1234.5
    assert plan.creates[0][1]["date"] == dt.date(2026, 5, 31)


def test_measured_gives_each_kpi_its_status(session: ProjectSession) -> None:
    kpi_id = _kpi(session)
    assert m.measured_one(session, kpi_id, TODAY).status.status is Status.NO_DATA
    session.execute(m.new_measurement(session, kpi_id, dt.date(2026, 11, 30), 495,
                                      today=TODAY))
    assert m.measured_one(session, kpi_id, TODAY).status.status is Status.ON_TRACK


# --- the registers' import (d4a records import FILE measurements|kpis) ------------------------

def _import(session: ProjectSession, kind: str, table: list[list[object]]):  # type: ignore[no-untyped-def]
    from d4a_desktop.core import kinds
    from d4a_desktop.services import spreadsheets

    return spreadsheets.plan_import(kinds.kind(kind), table, spreadsheets.context(session),
                                    today=TODAY)


def test_importing_the_measurements_register_follows_the_kpi_page_rules(
        session: ProjectSession) -> None:
    kpi_id = _kpi(session)
    other = _kpi(session, name="Bike share")
    session.execute(m.new_measurement(session, kpi_id, dt.date(2026, 5, 31), 440, today=TODAY))
    head = ["kpi", "date", "value", "note"]
    plan = _import(session, "measurements", [
        head,
        ["Cyclists a day", "2026-06-30", "450", ""],          # fine
        ["Cyclists a day", "2027-06-30", "520", "future"],    # beyond the target date, future
        ["Cyclists a day", "2026-05-31", "445", ""],          # that date has one already
        ["Cyclists a day", "2026-06-30", "451", ""],          # a second row for row 2's date
        ["Bike share", "2026-06-30", "12", ""],               # another KPI: its own dates
        ["Cyclists a day", "2026-07-31", "2e16", ""],         # no measurement is that large
    ])
    assert [(p.row, p.column) for p in plan.problems] == [
        (3, "date"), (4, "date"), (5, "date"), (7, "value")]
    assert "in the future" in plan.problems[0].message
    assert "already a measurement" in plan.problems[1].message
    session.execute(records.new_record("datasets", {"title": "Counts"}))
    assert _values(session, kpi_id) == {dt.date(2026, 5, 31): (440, "")}
    assert _values(session, other) == {}
    good = _import(session, "measurements", [head, ["Cyclists a day", "2026-06-30", "450", ""],
                                             ["Bike share", "2026-06-30", "12", ""]])
    assert good.ok and len(good.creates) == 2
    session.execute(good.command())
    assert _values(session, kpi_id)[dt.date(2026, 6, 30)] == (450, "")


def test_importing_measurements_of_a_deleted_kpi_is_refused(session: ProjectSession) -> None:
    kpi_id = _kpi(session)
    session.execute(m.delete_kpi(session, kpi_id))
    plan = _import(session, "measurements", [["kpi", "date", "value"],
                                             [kpi_id, "2026-06-30", "450"]])
    assert [(p.row, p.column) for p in plan.problems] == [(2, "kpi")]
    assert "deleted" in plan.problems[0].message


def test_an_exported_measurement_changed_in_place_is_an_update(session: ProjectSession) -> None:
    kpi_id = _kpi(session)
    command = m.new_measurement(session, kpi_id, dt.date(2026, 5, 31), 440, today=TODAY)
    session.execute(command)
    plan = _import(session, "measurements", [["id", "kpi", "date", "value"],
                                             [command.record_id, kpi_id, "2026-05-31", "442"]])
    assert plan.ok, [p.describe() for p in plan.problems]
    assert plan.updates == [(command.record_id, {"value": 442})]


def test_importing_kpis_checks_baseline_and_target_together(session: ProjectSession) -> None:
    kpi_id = _kpi(session)
    head = ["name", "baseline", "baseline_date", "target", "target_date", "direction"]
    plan = _import(session, "kpis", [
        head,
        ["Speeding cars", "40", "2026-01-01", "30", "2027-01-01", "Lower is better"],
        ["Bike share", "12", "2026-01-01", "10", "2027-01-01", "Higher is better"],
        ["Counters", "30", "2026-01-01", "40", "2025-01-01", "Higher is better"]])
    assert [(p.row, p.column) for p in plan.problems] == [(3, "target"), (4, "target_date")]
    plan = _import(session, "kpis", [["id", "target"], [kpi_id, "300"]])
    assert [(p.row, p.column) for p in plan.problems] == [(2, "target")]
