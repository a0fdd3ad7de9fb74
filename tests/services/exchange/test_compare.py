"""The tandem view's data: two projects side by side, and what differs."""

from __future__ import annotations

import shutil
from pathlib import Path

from d4a_desktop import i18n
from d4a_desktop.core.vocab import Condition, Dimension, Status
from d4a_desktop.services.exchange import export_package, open_partner
from d4a_desktop.services.exchange.compare import compare
from d4a_desktop.services.projects import (
    NewProject,
    ProjectSession,
    create_project,
    open_project,
)
from d4a_desktop.services.roadmap import english_roadmap


def test_a_partners_project_beside_mine(rich: ProjectSession, tmp_path: Path) -> None:
    partner = create_project(tmp_path / "kiel.d4a", NewProject(
        title="Bike mobility", municipality="KielRegion", country="DE"), author="Jonas")
    items = [i.id for i in english_roadmap().items()]
    for item in items[:30]:
        partner.file.update_item(item, {"done": True})
    partner.file.update_activity("c1.a1", {"status": Status.IN_PROGRESS})
    export_package(partner, tmp_path / "kiel.d4ax")
    partner.close()
    with open_partner(tmp_path / "kiel.d4ax") as view:
        result = compare(rich, view.session)
    assert not result.same_project
    assert [r.id for r in result.components] == ["c1", "c2", "c3", "c4", "c5", "c6"]
    assert [r.id for r in result.dimensions] == [d.value for d in Dimension]
    assert len(result.activities) == sum(1 for _a in english_roadmap().activities())
    assert result.overall.theirs.done == 30
    assert result.overall.mine == rich.progress().overall
    c1 = result.components[0]
    assert c1.mine == rich.progress().components["c1"] and c1.theirs.done > 0
    assert c1.gap == c1.theirs.fraction - c1.mine.fraction
    na = next(r for r in result.activities if r.id == "c1.a2")
    assert na.excluded == (True, False)
    areas = {d.area for d in result.differences}
    assert areas == {"condition", "activity", "item", "register"}
    status = next(d for d in result.differences if d.key == "c1.a1")
    assert (status.mine, status.theirs) == ("Done", "In progress")
    personal = next(d for d in result.differences if d.key == Condition.PERSONAL_DATA.value)
    assert (personal.mine, personal.theirs) == ("Yes", "Not answered")
    team = next(d for d in result.differences if d.key == "team")
    assert (team.mine, team.theirs) == ("2", "0")
    assert not [d for d in result.differences if d.area == "register" and d.key == "comments"]
    data = result.as_json()
    assert set(data["mine"]) >= {"overall", "components", "dimensions", "activities"}
    assert data["theirs"]["project"]["municipality"] == "KielRegion"
    assert data["theirs"]["overall"] == round(30 / result.overall.theirs.total, 4)


def test_two_copies_of_one_project_show_their_records_field_by_field(
        rich: ProjectSession, tmp_path: Path) -> None:
    copy_path = tmp_path / "copy.d4a"
    shutil.copyfile(rich.path, copy_path)
    other = open_project(copy_path)
    risk = other.records("risks")[0]
    other.file.update_record("risks", risk.id, {"likelihood": 5, "mitigation": "Other plan"})
    decision = other.records("decisions")[0]
    other.file.set_deleted("decisions", decision.id, True)
    other.file.update_meta({"domain": "Cycling"})
    try:
        i18n.set_language("nl")
        result = compare(rich, other)
    finally:
        other.close()
    assert result.same_project
    records = [d for d in result.differences if d.area == "record"]
    assert {d.key for d in records} == {risk.id, decision.id}
    likelihood = next(d for d in records if d.title.endswith(": Kans"))
    assert likelihood.kind == "risks" and likelihood.theirs == "5"
    gone = next(d for d in records if d.key == decision.id)
    assert (gone.mine, gone.theirs) == ("Aanwezig", "Verwijderd")
    assert next(d for d in result.differences if d.area == "project").theirs == "Cycling"
    assert not [d for d in result.differences if d.area in ("register", "item")]


def test_a_project_compared_with_itself_differs_in_nothing(rich: ProjectSession) -> None:
    result = compare(rich, rich)
    assert result.differences == []
    assert all(r.gap == 0 for r in result.components)
