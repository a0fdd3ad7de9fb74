"""The bundled roadmap meets the editorial minimums of a complete, usable roadmap.

These are the promises the content makes to a project lead: every component covers its
lifecycle, every activity says why it matters, guides in 200–500 words, asks 3–8 guiding
questions and has 4–10 checklist items, each tagged with a dimension and a suggested role.
"""

from __future__ import annotations

import re

import pytest

from d4a_desktop.core.content import Roadmap
from d4a_desktop.core.vocab import Origin
from d4a_desktop.services.roadmap import english_roadmap

#: The activities of the published D4A roadmap, with D4A's own numbering.
D4A_ACTIVITIES = ["c1.a1", "c1.a2", "c2.a1", "c3.a1", "c3.a2", "c4.a1", "c4.a2", "c4.a3",
                  "c5.a1", "c5.a2", "c5.a3", "c6.a1", "c6.a2", "c6.a3"]


@pytest.fixture(scope="module")
def roadmap() -> Roadmap:
    return english_roadmap()


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def test_lifecycle_is_complete(roadmap: Roadmap) -> None:
    assert len(roadmap.components) == 6
    for comp in roadmap.components:
        assert 3 <= len(comp.activities) <= 6, comp.id
    assert sum(1 for _a in roadmap.activities()) >= 25


def test_d4a_text_and_desktop_guidance_are_told_apart(roadmap: Roadmap) -> None:
    ids = [a.id for a in roadmap.activities()]
    for aid in D4A_ACTIVITIES:
        act = roadmap.activity(aid)
        assert act.origin is Origin.D4A and act.source.startswith("https://"), aid
    for act in roadmap.activities():
        if act.id not in D4A_ACTIVITIES:
            assert act.origin is Origin.DESKTOP, act.id
    # D4A's numbering is kept; our activities come after D4A's in each component.
    for comp in roadmap.components:
        origins = [a.origin for a in comp.activities]
        assert origins == sorted(origins, key=lambda o: o is Origin.DESKTOP), comp.id
        assert [a.number for a in comp.activities] == list(range(1, len(comp.activities) + 1))
    assert ids == sorted(ids, key=lambda i: (int(i[1]), int(i.split(".a")[1])))


@pytest.mark.parametrize("aid", [a.id for a in english_roadmap().activities()])
def test_every_activity_meets_the_minimums(roadmap: Roadmap, aid: str) -> None:
    act = roadmap.activity(aid)
    assert 8 <= _words(act.purpose) <= 60, "purpose: one or two sentences"
    assert 200 <= _words(act.guidance) <= 500, f"guidance has {_words(act.guidance)} words"
    assert "**Done when:**" in act.guidance
    assert 3 <= len(act.questions) <= 8
    assert all(q.endswith("?") for q in act.questions)
    assert 4 <= len(act.items) <= 10
    assert len({i.dimension for i in act.items}) >= 2, "items cover at least two dimensions"
    for item in act.items:
        assert item.role and roadmap.role(item.role), f"{item.id} needs a suggested role"
        assert len(item.text) <= 120, item.id
    assert act.roles and all(roadmap.role(r) for r in act.roles)
    assert not re.search(r"<[a-z/][^>]*>", act.guidance), "no HTML in guidance"
    assert act.guidance.count("**") % 2 == 0, "unbalanced bold markers"


def test_tools_are_complete_forms(roadmap: Roadmap) -> None:
    expected = {"data-inventory", "ethics-canvas", "dpia-screening", "ai-impact-screening",
                "role-matrix", "technology-scorecard", "rollout-readiness", "monitoring-plan",
                "maintenance-calendar", "maturity-self-check"}
    assert {t.id for t in roadmap.tools} == expected
    for tool in roadmap.tools:
        assert tool.kind, tool.id
        assert tool.sections and all(s.fields for s in tool.sections), tool.id
    used = {t for a in roadmap.activities() for t in a.tools}
    assert used == expected, f"tools no activity uses: {expected - used}"
    canvas = roadmap.tool("ethics-canvas")
    assert canvas is not None and "CC BY-SA" in canvas.credit
    assert sum(len(s.fields) for s in canvas.sections) == 15
    inventory = roadmap.tool("data-inventory")
    assert inventory is not None and inventory.sections[0].repeating


def test_cases_and_activities_link_both_ways(roadmap: Roadmap) -> None:
    for case in roadmap.cases:
        assert case.activities, case.id
        for aid in case.activities:
            assert case.id in roadmap.activity(aid).cases, f"{case.id} ↔ {aid}"
    for act in roadmap.activities():
        for cid in act.cases:
            case = roadmap.case(cid)
            assert case is not None and act.id in case.activities, f"{act.id} ↔ {cid}"


def test_standards_are_explained_and_used(roadmap: Roadmap) -> None:
    used = {s for a in roadmap.activities() for s in a.standards}
    for std in roadmap.standards:
        assert 6 <= _words(std.summary) <= 45, std.id
        assert std.id in used, f"standard {std.id} is named by no activity"


def test_conditions_are_used_where_they_belong(roadmap: Roadmap) -> None:
    conditions = {i.condition for i in roadmap.items() if i.condition} | \
        {a.condition for a in roadmap.activities() if a.condition}
    assert {c.value for c in conditions} == {"personal-data", "algorithms-ai", "geodata",
                                             "external-consultants"}
