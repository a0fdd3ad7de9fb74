"""Answers to the tools: paths, validation, entries of repeating sections, retired answers,
completeness and the changes between two versions, on the bundled tool definitions."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re

import pytest

from d4a_desktop import i18n, paths
from d4a_desktop.core import assessments as A
from d4a_desktop.core.content import Option, Roadmap, Tool, load_roadmap


@pytest.fixture(scope="module")
def roadmap() -> Roadmap:
    return load_roadmap(paths.resources_dir() / "roadmap")


def tool(roadmap: Roadmap, tool_id: str) -> Tool:
    found = roadmap.tool(tool_id)
    assert found is not None, tool_id
    return found


def with_field(t: Tool, section_id: str, field_id: str, **changes: object) -> Tool:
    """The tool as a newer roadmap might define it: one field changed, or dropped when
    ``changes`` is {"drop": True}."""
    sections = []
    for section in t.sections:
        if section.id == section_id:
            fields = tuple(
                dataclasses.replace(f, **changes) if f.id == field_id else f
                for f in section.fields if not (f.id == field_id and changes.get("drop")))
            section = dataclasses.replace(section, fields=fields)
        sections.append(section)
    return dataclasses.replace(t, sections=tuple(sections))


# --- paths ------------------------------------------------------------------------------------

def test_paths_are_the_fields_of_ordinary_sections_in_form_order(roadmap: Roadmap) -> None:
    dpia = tool(roadmap, "dpia-screening")
    found = A.paths(dpia)
    assert found[:3] == ("processing/processing-name", "processing/processing-description",
                         "processing/controller")
    assert "criteria/large-scale" in found and "national-list/on-national-list" in found
    assert len(found) == sum(len(s.fields) for s in dpia.sections) == len(set(found))
    # A repeating section has no fixed paths: its fields hang under an entry key.
    assert A.paths(tool(roadmap, "data-inventory")) == ()
    scorecard = A.paths(tool(roadmap, "technology-scorecard"))
    assert not any(p.startswith("options/") for p in scorecard)
    assert "weights/weight-openness" in scorecard and "decision/chosen-option" in scorecard


def test_every_path_of_every_tool_locates_its_field(roadmap: Roadmap) -> None:
    for t in roadmap.tools:
        for path in A.paths(t):
            place = A.locate(t, path)
            assert place is not None and place.field is not None
            assert f"{place.section.id}/{place.field.id}" == path
        for section in t.sections:
            if section.repeating:
                for path in A.entry_paths(t, section.id, "abc123"):
                    place = A.locate(t, path)
                    assert place is not None and place.entry == "abc123"


@pytest.mark.parametrize("path", [
    "", "criteria", "criteria/large-scale/extra", "nowhere/large-scale", "criteria/nothing",
    "criteria/_order",
])
def test_locate_refuses_paths_the_tool_does_not_have(roadmap: Roadmap, path: str) -> None:
    assert A.locate(tool(roadmap, "dpia-screening"), path) is None


@pytest.mark.parametrize("path", [
    "options/title", "options/ABC/openness", "options/a b/openness", "options//openness",
    "options/-x/openness", "options/k/openness/more", "options/k/nothing",
])
def test_locate_refuses_bad_entry_paths(roadmap: Roadmap, path: str) -> None:
    assert A.locate(tool(roadmap, "technology-scorecard"), path) is None


def test_locate_finds_the_order_of_an_entry(roadmap: Roadmap) -> None:
    place = A.locate(tool(roadmap, "technology-scorecard"), "options/k1/_order")
    assert place is not None and place.field is None and place.entry == "k1"
    assert place.section.id == "options"


# --- validation -------------------------------------------------------------------------------

DPIA_TEXT = "processing/processing-name"
DPIA_LONG = "processing/processing-description"
DPIA_YESNO = "criteria/large-scale"
DPIA_CHOICE = "decision/decision"
DPIA_DATE = "decision/decision-date"
KEY = "0123456789abcdef0123456789abcdef"
URL = f"datasets/{KEY}/access-url"
THEMES = f"datasets/{KEY}/themes"
SCALE = f"options/{KEY}/openness"
NUMBER = "weights/weight-openness"


def problem(roadmap: Roadmap, tool_id: str, path: str, value: object) -> str | None:
    return A.validate_answer(tool(roadmap, tool_id), path, value)


@pytest.mark.parametrize(("tool_id", "path", "value"), [
    ("dpia-screening", DPIA_TEXT, "Cycling counts"),
    ("dpia-screening", DPIA_LONG, "Line one\nLine two"),
    ("dpia-screening", DPIA_YESNO, True),
    ("dpia-screening", DPIA_YESNO, False),
    ("dpia-screening", DPIA_CHOICE, "covered"),
    ("dpia-screening", DPIA_DATE, dt.date(2026, 3, 1)),
    ("data-inventory", URL, "https://data.example.org/cycling"),
    ("data-inventory", THEMES, ("tran", "envi")),
    ("technology-scorecard", SCALE, 5),
    ("technology-scorecard", NUMBER, 0),
    ("technology-scorecard", NUMBER, 2.5),
    ("technology-scorecard", "options/k1/_order", 3),
])
def test_good_answers_pass(roadmap: Roadmap, tool_id: str, path: str, value: object) -> None:
    assert problem(roadmap, tool_id, path, value) is None


@pytest.mark.parametrize(("tool_id", "path"), [
    ("dpia-screening", DPIA_TEXT), ("dpia-screening", DPIA_YESNO),
    ("dpia-screening", DPIA_CHOICE), ("dpia-screening", DPIA_DATE),
    ("data-inventory", THEMES), ("technology-scorecard", SCALE),
    ("technology-scorecard", NUMBER),
])
@pytest.mark.parametrize("empty", [None, "", ()])
def test_every_type_accepts_no_answer(roadmap: Roadmap, tool_id: str, path: str,
                                      empty: object) -> None:
    assert problem(roadmap, tool_id, path, empty) is None


@pytest.mark.parametrize(("tool_id", "path", "value", "pattern"), [
    ("dpia-screening", DPIA_TEXT, 12, r"^Name of the processing or project must be text\.$"),
    ("dpia-screening", DPIA_TEXT, "a\nb", r"must fit on one line"),
    ("dpia-screening", DPIA_TEXT, "x" * (A.MAX_LINE + 1), r"longer than 2000 characters"),
    ("dpia-screening", DPIA_LONG, "x" * (A.MAX_TEXT + 1), r"longer than 20000 characters"),
    ("dpia-screening", DPIA_TEXT, "bad\x00byte", r"cannot be stored"),
    ("dpia-screening", DPIA_TEXT, "lone \ud800", r"cannot be stored"),
    ("data-inventory", URL, "https://data example.org", r"web address without spaces"),
    ("dpia-screening", DPIA_YESNO, "yes", r"^Is the data processed on a large scale\? must "
                                          r"be yes or no\.$"),
    ("dpia-screening", DPIA_YESNO, 1, r"must be yes or no"),
    ("dpia-screening", DPIA_CHOICE, "maybe", r"^“maybe” is not a choice of Decision\.$"),
    ("data-inventory", THEMES, ["tran"], r"must be a list of choices"),
    ("data-inventory", THEMES, ("tran", "tran"), r"lists a choice twice"),
    ("data-inventory", THEMES, ("tran", "space"), r"“space” is not a choice"),
    ("technology-scorecard", SCALE, 6, r"^6 is not a level of the scale of Openness"),
    ("technology-scorecard", SCALE, 0, r"is not a level"),
    ("technology-scorecard", SCALE, 2.5, r"is not a level"),
    ("technology-scorecard", SCALE, True, r"is not a level"),
    ("technology-scorecard", SCALE, "3", r"is not a level"),
    ("dpia-screening", DPIA_DATE, dt.datetime(2026, 3, 1, 12), r"must be a date"),
    ("dpia-screening", DPIA_DATE, "2026-03-01", r"must be a date"),
    ("technology-scorecard", NUMBER, "3", r"^Weight: openness must be a number\.$"),
    ("technology-scorecard", NUMBER, True, r"must be a number"),
    ("technology-scorecard", NUMBER, math.nan, r"must be a number"),
    ("technology-scorecard", NUMBER, math.inf, r"must be a number"),
    ("technology-scorecard", NUMBER, -1, r"must not be negative"),
    ("technology-scorecard", NUMBER, 1e13, r"too large"),
    ("technology-scorecard", "options/k1/_order", "1", r"position of an entry"),
    ("technology-scorecard", "options/k1/_order", True, r"position of an entry"),
    ("dpia-screening", "criteria/nothing", True, r"^This tool has no question "
                                                 r"“criteria/nothing”\.$"),
])
def test_bad_answers_are_refused_with_a_message(roadmap: Roadmap, tool_id: str, path: str,
                                                value: object, pattern: str) -> None:
    message = problem(roadmap, tool_id, path, value)
    assert message is not None and re.search(pattern, message), message


def test_validation_messages_are_translated(roadmap: Roadmap) -> None:
    i18n.set_language("da")
    message = problem(roadmap, "dpia-screening", DPIA_YESNO, "ja")
    label = i18n.content_text("tool:dpia-screening/criteria/large-scale|label",
                              "Is the data processed on a large scale?")
    assert message is not None and label in message
    assert label != "Is the data processed on a large scale?"
    assert "must be" not in message


# --- entries of repeating sections ------------------------------------------------------------

def test_entries_follow_their_order_numbers(roadmap: Roadmap) -> None:
    t = tool(roadmap, "technology-scorecard")
    answers = {"options/bbb/_order": 2, "options/bbb/option-name": "B",
               "options/aaa/_order": 1, "options/aaa/option-name": "A",
               "options/ccc/option-name": "C without a number",
               "weights/weight-openness": 1}
    assert A.entries(t, "options", answers) == ("aaa", "bbb", "ccc")
    assert A.entry_title(t, "options", "bbb", answers) == "B"


def test_entries_added_on_two_copies_never_collide(roadmap: Roadmap) -> None:
    t = tool(roadmap, "technology-scorecard")
    start: dict[str, object] = {}
    key0, create0 = A.new_entry(t, "options", start)
    start.update(create0)
    assert re.fullmatch(r"[0-9a-f]{32}", key0) and create0 == {f"options/{key0}/_order": 1}
    # Two people add an entry to their own copy of the same project.
    key1, mine = A.new_entry(t, "options", start)
    key2, theirs = A.new_entry(t, "options", start)
    assert key1 != key2
    assert mine[f"options/{key1}/_order"] == theirs[f"options/{key2}/_order"] == 2
    merged = {**start, **mine, **theirs}
    order = A.entries(t, "options", merged)
    assert order[0] == key0 and set(order[1:]) == {key1, key2}
    # Both copies agree on the order: the tie is broken by key, not by arrival.
    assert order == A.entries(t, "options", {**start, **theirs, **mine})
    assert list(order[1:]) == sorted([key1, key2])
    key3, last = A.new_entry(t, "options", merged)
    assert last == {f"options/{key3}/_order": 3}


def test_new_entry_only_in_a_repeating_section(roadmap: Roadmap) -> None:
    with pytest.raises(ValueError, match="not a repeating section"):
        A.new_entry(tool(roadmap, "technology-scorecard"), "weights", {})
    with pytest.raises(KeyError):
        A.entries(tool(roadmap, "technology-scorecard"), "nowhere", {})


def test_move_entry_writes_only_the_numbers_that_change(roadmap: Roadmap) -> None:
    t = tool(roadmap, "technology-scorecard")
    answers = {f"options/{k}/_order": n for n, k in enumerate(["aa", "bb", "cc", "dd"], 1)}
    assert A.move_entry(t, "options", answers, "dd", 1) == {
        "options/dd/_order": 2, "options/bb/_order": 3, "options/cc/_order": 4}
    assert A.move_entry(t, "options", answers, "aa", 0) == {}
    moved = {**answers, **A.move_entry(t, "options", answers, "aa", 99)}
    assert A.entries(t, "options", moved) == ("bb", "cc", "dd", "aa")


def test_entry_answers_and_unnamed_entries(roadmap: Roadmap) -> None:
    t = tool(roadmap, "technology-scorecard")
    answers = {"options/aa/_order": 1, "options/aa/openness": 3, "options/bb/_order": 2,
               "options/bb/option-name": "  ", "options/aab/openness": 2}
    assert A.entry_answers(t, "options", "aa", answers) == {
        "options/aa/_order": 1, "options/aa/openness": 3}
    # Without a name, an entry is called by its kind and place.
    assert A.entry_title(t, "options", "bb", answers) == "Option 2"
    i18n.set_language("de")
    assert A.entry_title(t, "options", "bb", answers) == "Lösungsoption 2"


# --- retired answers --------------------------------------------------------------------------

def test_answers_to_a_dropped_field_are_retired_and_kept(roadmap: Roadmap) -> None:
    old = tool(roadmap, "dpia-screening")
    new = with_field(old, "criteria", "large-scale", drop=True)
    answers = {DPIA_YESNO: True, "criteria/innovative-use": True, "gone/entirely": "x",
               "criteria/vulnerable-people": None}
    found = A.retired(new, answers)
    assert [r.path for r in found] == [DPIA_YESNO, "gone/entirely"]
    assert found[0].value is True
    assert found[0].reason == "The tool no longer asks this question."
    assert DPIA_YESNO in answers  # nothing is deleted
    assert A.current(new, answers) == {"criteria/innovative-use": True}
    assert A.retired(old, {DPIA_YESNO: True}) == ()


def test_an_answer_that_no_longer_fits_a_changed_field_is_retired(roadmap: Roadmap) -> None:
    old = tool(roadmap, "dpia-screening")
    # A newer roadmap turns the yes/no question into a choice.
    new = with_field(old, "criteria", "large-scale", type="choice",
                     options=(Option("many", "Many people"), Option("few", "Few people")))
    answers = {DPIA_YESNO: True, DPIA_CHOICE: "covered"}
    (found,) = A.retired(new, answers)
    assert found.path == DPIA_YESNO
    assert found.reason.startswith("The question has changed and the saved answer no longer "
                                   "fits: ")
    assert "not a choice" in found.reason
    assert A.current(new, answers) == {DPIA_CHOICE: "covered"}
    # An option that a newer roadmap removes retires the answers that chose it.
    fewer = with_field(old, "decision", "decision",
                       options=tuple(o for o in old.sections[-1].fields[1].options
                                     if o.id != "covered"))
    assert [r.path for r in A.retired(fewer, answers)] == [DPIA_CHOICE]


def test_retired_translated(roadmap: Roadmap) -> None:
    i18n.set_language("fr")
    (found,) = A.retired(tool(roadmap, "dpia-screening"), {"gone/x": 1})
    assert found.reason == "L'outil ne pose plus cette question."


# --- completeness -----------------------------------------------------------------------------

def test_completeness_counts_ordinary_fields(roadmap: Roadmap) -> None:
    t = tool(roadmap, "dpia-screening")
    asked = tuple(p for p in A.paths(t) if p != NATIONAL_ITEM)  # asked only after a yes
    empty = A.completeness(t, {})
    assert (empty.answered, empty.total) == (0, len(asked))
    assert empty.missing == asked and empty.fraction == 0
    some = A.completeness(t, {DPIA_YESNO: False, DPIA_TEXT: "x", DPIA_LONG: "",
                              "gone/x": True, DPIA_CHOICE: "maybe"})
    # "" is no answer, a retired path and a value that does not fit do not count.
    assert (some.answered, some.total) == (2, len(asked))
    assert DPIA_YESNO not in some.missing and DPIA_LONG in some.missing
    full = A.completeness(t, dict.fromkeys(A.paths(t), "x") | {
        p: True for p in A.paths(t) if A.locate(t, p).field.type == "yesno"  # type: ignore[union-attr]
    } | {DPIA_CHOICE: "covered", DPIA_DATE: dt.date(2026, 1, 1),
         "decision/review-date": dt.date(2027, 1, 1)})
    assert full.fraction == 1 and full.missing == ()


NATIONAL_LIST, NATIONAL_ITEM = "national-list/on-national-list", "national-list/national-list-item"


def test_a_question_that_follows_a_yes_is_asked_only_after_it(roadmap: Roadmap) -> None:
    """"Which item of the list applies?" is asked only when the processing is on the
    national list: without that yes it is neither expected nor missing, and an answer it
    kept from before does not count."""
    t = tool(roadmap, "dpia-screening")
    assert A.locate(t, NATIONAL_ITEM).field.only_if == "on-national-list"  # type: ignore[union-attr]
    for answers, asked in (({}, False), ({NATIONAL_LIST: False}, False),
                           ({NATIONAL_LIST: True}, True),
                           ({NATIONAL_LIST: False, NATIONAL_ITEM: "4"}, False)):
        assert A.applies(t, NATIONAL_ITEM, answers) is asked
        done = A.completeness(t, answers)
        assert (NATIONAL_ITEM in done.missing) is (asked and NATIONAL_ITEM not in answers)
        total = len(A.paths(t)) - (0 if asked else 1)
        assert done.total == total, answers
    assert A.applies(t, NATIONAL_LIST, {})  # an ordinary question is always asked
    on_list = A.completeness(t, {NATIONAL_LIST: True, NATIONAL_ITEM: "4"})
    assert on_list.answered == 2 and NATIONAL_ITEM not in on_list.missing


def test_completeness_of_repeating_sections(roadmap: Roadmap) -> None:
    t = tool(roadmap, "monitoring-plan")
    indicators = next(s for s in t.sections if s.id == "indicators")
    empty = A.completeness(t, {})
    # An empty register counts as one open question, listed by its section.
    assert empty.missing[0] == "indicators"
    assert empty.total == 1 + len(A.paths(t))
    one = A.completeness(t, {"indicators/k1/_order": 1, "indicators/k1/indicator": "Counters"})
    assert one.total == len(indicators.fields) + len(A.paths(t))
    assert one.answered == 1
    assert "indicators/k1/baseline" in one.missing and "indicators" not in one.missing


# --- display and changes ----------------------------------------------------------------------

def test_display_shows_answers_as_the_interface_does(roadmap: Roadmap) -> None:
    maturity = tool(roadmap, "maturity-self-check")
    assert A.display(maturity, "technology/know-datasets", 3) == "3 – Practising"
    dpia = tool(roadmap, "dpia-screening")
    assert A.display(dpia, DPIA_YESNO, True) == "Yes"
    assert A.display(dpia, DPIA_YESNO, None) == ""
    assert A.display(dpia, DPIA_CHOICE, "covered") == \
        "An existing DPIA already covers this processing"
    assert A.display(dpia, DPIA_DATE, dt.date(2026, 3, 1)) == i18n.format_date(
        dt.date(2026, 3, 1))
    inventory = tool(roadmap, "data-inventory")
    assert A.display(inventory, THEMES, ("tran", "envi")) == "Transport and Environment"
    # A retired answer is shown as it was stored.
    assert A.display(dpia, "gone/x", ("a", "b")) == "a and b"
    assert A.display(dpia, DPIA_CHOICE, "maybe") == "maybe"
    i18n.set_language("da")
    assert A.display(dpia, DPIA_YESNO, False) == "Nej"
    assert A.display(maturity, "technology/know-datasets", 2) == "2 – Udforskende"


def test_label_names_section_entry_and_question(roadmap: Roadmap) -> None:
    t = tool(roadmap, "technology-scorecard")
    answers = {"options/aa/_order": 1, "options/aa/option-name": "CKAN"}
    assert A.label(t, "options/aa/openness", answers) == (
        "Options › CKAN › Openness: are the data, specifications and source code as open "
        "as possible?")
    assert A.label(t, "weights/weight-cost") == "Weights › Weight: lifetime cost"
    assert A.label(t, "gone/x") == "gone/x"


def test_diff_lists_changes_field_by_field_in_form_order(roadmap: Roadmap) -> None:
    t = tool(roadmap, "technology-scorecard")
    old = {"weights/weight-openness": 2, "weights/weight-cost": 1,
           "options/aa/_order": 1, "options/aa/option-name": "CKAN", "options/aa/openness": 3,
           "decision/decision-reasons": "Cheapest", "gone/x": "kept"}
    new = {"weights/weight-openness": 3, "weights/weight-cost": 1.0,
           "options/aa/_order": 2, "options/aa/option-name": "CKAN", "options/aa/openness": 4,
           "options/bb/_order": 1, "options/bb/option-name": "Dataverse",
           "decision/decision-reasons": "", "gone/x": "kept"}
    changes = A.diff(t, old, new)
    assert [(c.path, c.kind) for c in changes] == [
        ("weights/weight-openness", "changed"),
        ("options/bb/option-name", "added"),       # Dataverse now comes first
        ("options/aa/openness", "changed"),
        ("decision/decision-reasons", "removed"),
    ]
    first, added, scored, removed = changes
    assert (first.old, first.new, first.old_text, first.new_text) == (2, 3, "2", "3")
    assert first.label == "Weights › Weight: openness"
    assert added.label == "Options › Dataverse › Name of the option" and added.old is None
    assert (scored.old_text, scored.new_text) == ("3 – Adequate", "4 – Good")
    assert removed.old == "Cheapest" and removed.new is None and removed.new_text == ""
    assert A.diff(t, old, old) == ()


def test_diff_of_a_removed_entry_and_of_retired_answers(roadmap: Roadmap) -> None:
    t = tool(roadmap, "technology-scorecard")
    old = {"options/aa/_order": 1, "options/aa/option-name": "CKAN", "old/field": True}
    changes = A.diff(t, old, {})
    assert [(c.path, c.kind, c.label) for c in changes] == [
        ("options/aa/option-name", "removed", "Options › CKAN › Name of the option"),
        ("old/field", "removed", "old/field")]
    assert changes[1].old_text == "Yes"


def test_answers_of_a_section_that_stops_repeating_are_retired(roadmap: Roadmap) -> None:
    old = tool(roadmap, "technology-scorecard")
    new = dataclasses.replace(old, sections=tuple(
        dataclasses.replace(s, repeating=False) if s.id == "options" else s
        for s in old.sections))
    answers = {"options/k1/_order": 1, "options/k1/openness": 4, "weights/weight-cost": 2}
    assert [r.path for r in A.retired(new, answers)] == ["options/k1/_order",
                                                         "options/k1/openness"]
    assert A.current(new, answers) == {"weights/weight-cost": 2}
    assert A.retired(old, answers) == ()
