"""Golden project files of every released schema version open in today's program.

Each golden file is copied (the original in the repository is never touched), opened, and
must be upgraded after a backup with every answer kept. See tests/golden/README.md.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

from d4a_desktop.core.vocab import Condition, Status
from d4a_desktop.storage import ProjectFile
from d4a_desktop.storage.projectfile import SCHEMA
from tests.conftest import sha256

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


def test_schema_v1_upgrades_and_keeps_every_answer(tmp_path: Path) -> None:
    original = GOLDEN / "schema-v1.d4a"
    before = sha256(original)
    path = tmp_path / "golden.d4a"
    shutil.copyfile(original, path)

    with ProjectFile.open(path, author="test") as project:
        assert project.upgraded_from == 1
        backup = project.upgrade_backup
        assert backup is not None and backup.name == "golden.before-upgrade-v1.d4a"
        state = project.state()
        meta = state.meta
        assert (meta.title, meta.municipality, meta.country, meta.language,
                meta.tandem_partner) == ("Golden v1", "Emmen", "NL", "nl", "Vejle")
        item = state.item("c1.a1.i1")
        assert (item.done, item.owner, item.due_date, item.note) == \
            (True, "An", dt.date(2026, 12, 1), "Zaal geboekt")
        assert state.item("c1.a1.i2").done
        assert state.item("c3.a2.i4").owner == "Inkoop"
        assert state.activity("c1.a1").status is Status.DONE
        na = state.activity("c6.a3")
        assert (na.status, na.na_reason) == (Status.NOT_APPLICABLE, "Provincie doet dit")
        assert state.conditions == {}  # schema 2 added the table; nothing answered yet
        project.update_conditions({Condition.GEODATA: True})  # the new table works
        assert project.get_conditions() == {Condition.GEODATA: True}

    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA.version,)
    conn.close()
    with sqlite3.connect(backup) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM item_state").fetchone() == (3,)
    conn.close()
    assert sha256(original) == before


def test_schema_v2_upgrades_and_keeps_every_answer(tmp_path: Path) -> None:
    """Schema 3 rebuilt the state tables (ids derived from the content ids, so that two
    copies of one project agree) and added the registers and the change log."""
    original = GOLDEN / "schema-v2.d4a"
    before = sha256(original)
    path = tmp_path / "golden.d4a"
    shutil.copyfile(original, path)

    with ProjectFile.open(path, author="test") as project:
        assert project.upgraded_from == 2
        backup = project.upgrade_backup
        assert backup is not None and backup.name == "golden.before-upgrade-v2.d4a"
        state = project.state()
        meta = state.meta
        assert (meta.title, meta.municipality, meta.country, meta.language) == \
            ("Golden v2", "Kungsbacka", "SE", "sv")
        item = state.item("c2.a1.i1")
        assert (item.done, item.owner, item.due_date, item.note) == \
            (True, "Karin", dt.date(2027, 1, 15), "Klart före jul – se mötesanteckning")
        assert (state.item("c2.a1.i2").done, state.item("c2.a1.i2").owner) == (False, "Per")
        assert state.item("c4.a3.i2").done
        assert state.activity("c2.a1").status is Status.IN_PROGRESS
        na = state.activity("c5.a1")
        assert (na.status, na.na_reason) == (Status.NOT_APPLICABLE, "Regionen testar åt oss")
        assert state.conditions == {Condition.PERSONAL_DATA: True,
                                    Condition.ALGORITHMS_AI: False}
        assert project.counts() == dict.fromkeys(project.counts(), 0)  # registers are new
        project.create_record("team", "4c8e1f2a-0000-4000-8000-0000000000aa",
                              {"name": "Karin", "role": "project-manager"})
        assert [r.get("name") for r in project.records("team")] == ["Karin"]

    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA.version,)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
    with sqlite3.connect(backup) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (2,)
        assert conn.execute("SELECT count(*) FROM item_state").fetchone() == (3,)
    conn.close()
    assert sha256(original) == before
