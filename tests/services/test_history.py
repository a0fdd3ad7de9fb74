"""The history of a record or checklist item, named as the program names things."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from d4a_desktop import i18n
from d4a_desktop.core.commands import SetItemFields
from d4a_desktop.services import history, records
from d4a_desktop.services.projects import NewProject, create_project


def test_history_names_fields_and_values(tmp_path: Path, home: Path) -> None:
    i18n.set_language("en")
    session = create_project(tmp_path / "h.d4a", NewProject("H", "Vejle", "DK"), author="Els")
    try:
        new = records.new_record("risks", {"description": "Counters fail", "impact": 3})
        session.execute(new)
        session.execute(records.edit_record(session.records("risks")[0], {"impact": 5}))
        session.execute(SetItemFields("c1.a1.i1", {"owner": "Bram",
                                                   "due_date": dt.date(2027, 3, 1)}))
        risk = history.of(session, new.record_id)
        assert [e.change for e in risk] == ["added", "Impact: “3” → “5”"]
        assert all(e.author == "Els" for e in risk)
        assert risk[0].at is not None and abs(risk[0].at - dt.datetime.now()) < \
            dt.timedelta(minutes=5)  # local time, not UTC
        item = [e.change for e in history.of(session, "c1.a1.i1")]
        assert "Owner: “” → “Bram”" in item
        assert f"Due date: “” → “{i18n.format_date(dt.date(2027, 3, 1))}”" in item
        assert history.of(session, "no-such-id") == []
    finally:
        session.close()
