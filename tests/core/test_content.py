"""The roadmap content: the bundled sources, the loader's error reports, translation hooks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from d4a_desktop import paths
from d4a_desktop.core.content import (
    NOTE_MAX_LENGTH,
    Activity,
    Case,
    ChecklistItem,
    Component,
    ContentError,
    CountryNote,
    Field,
    Level,
    Option,
    Roadmap,
    Role,
    Scale,
    Section,
    Standard,
    Tool,
    load_roadmap,
    localise,
    messages,
)
from d4a_desktop.core.vocab import PARTNER_COUNTRIES, Dimension, Origin

ROADMAP_DIR = paths.resources_dir() / "roadmap"

EXPECTED_ACTIVITIES = [
    "c1.a1", "c1.a2", "c2.a1", "c3.a1", "c3.a2", "c4.a1", "c4.a2", "c4.a3",
    "c5.a1", "c5.a2", "c5.a3", "c6.a1", "c6.a2", "c6.a3",
]


@pytest.fixture(scope="module")
def bundled() -> Roadmap:
    return load_roadmap(ROADMAP_DIR)


# --- the bundled roadmap -------------------------------------------------------------------

def test_bundled_roadmap_has_six_components(bundled: Roadmap) -> None:
    assert [c.id for c in bundled.components] == ["c1", "c2", "c3", "c4", "c5", "c6"]
    assert bundled.version
    assert bundled.source_language == "en"


def test_bundled_roadmap_has_the_published_activities(bundled: Roadmap) -> None:
    ids = [a.id for a in bundled.activities()]
    assert [i for i in ids if i in EXPECTED_ACTIVITIES] == EXPECTED_ACTIVITIES
    # Activities are numbered without gaps within each component, in file order.
    for comp in bundled.components:
        assert [a.number for a in comp.activities] == list(range(1, len(comp.activities) + 1))
    for comp in bundled.components:
        for act in comp.activities:
            assert act.component_id == comp.id
            assert act.id.startswith(comp.id + ".")


def test_every_activity_is_complete(bundled: Roadmap) -> None:
    problems = []
    for act in bundled.activities():
        if len(act.guidance.strip()) < 200:
            problems.append(f"{act.id}: guidance should be real text, not a stub")
        if not act.questions or not all(q.strip() for q in act.questions):
            problems.append(f"{act.id}: needs guiding questions")
        if len(act.items) < 3:
            problems.append(f"{act.id}: fewer than three items")
        # D4A text names its https source; D4A Desktop guidance may have none.
        needs_source = act.origin is Origin.D4A or act.id in EXPECTED_ACTIVITIES
        if (act.source or needs_source) and not act.source.startswith("https://"):
            problems.append(f"{act.id}: source {act.source!r} is not https")
        if not act.dimensions or not all(isinstance(d, Dimension) for d in act.dimensions):
            problems.append(f"{act.id}: no dimensions")
        for item in act.items:
            if not isinstance(item.dimension, Dimension):
                problems.append(f"{item.id}: no dimension")
            if item.activity_id != act.id or not item.id.startswith(act.id + ".i"):
                problems.append(f"{item.id}: not under {act.id}")
            if not item.text.strip():
                problems.append(f"{item.id}: no text")
    assert problems == []
    assert sum(1 for _a in bundled.activities()) >= len(EXPECTED_ACTIVITIES)


def test_bundled_ids_are_unique(bundled: Roadmap) -> None:
    ids = [c.id for c in bundled.components]
    ids += [a.id for a in bundled.activities()]
    ids += [i.id for i in bundled.items()]
    assert len(ids) == len(set(ids))
    for kind, entries in (("role", bundled.roles), ("tool", bundled.tools),
                          ("case", bundled.cases)):
        slugs = [e.id for e in entries]
        assert len(slugs) == len(set(slugs)), kind


def test_bundled_references_resolve(bundled: Roadmap) -> None:
    for act in bundled.activities():
        for role in act.roles:
            assert bundled.role(role) is not None
        for tool in act.tools:
            assert bundled.tool(tool) is not None
        for case in act.cases:
            assert bundled.case(case) is not None
    for case in bundled.cases:
        for aid in case.activities:
            assert bundled.has(aid)


def test_lookup_by_id(bundled: Roadmap) -> None:
    assert bundled.component("c4").number == 4
    assert bundled.activity("c4.a3").number == 3
    item = next(bundled.items())
    assert bundled.item(item.id) is item
    assert not bundled.has("c9.a9")
    with pytest.raises(KeyError):
        bundled.activity("c9.a9")


# --- a small valid roadmap, broken one way per test ----------------------------------------

ROADMAP_YAML = """\
id: test
version: "1"
source_language: en
components:
  - c1.yaml
"""

ROLES_YAML = """\
roles:
  - id: lead
    title: Lead
    description: Leads the work.
"""

TOOLS_YAML = """\
tools:
  - id: canvas
    title: Canvas
    description: A canvas.
"""

CASES_YAML = """\
cases:
  - id: town
    title: Town
    place: Town, Land
    summary: A short story.
    source: https://example.org/case
    activities: [c1.a1]
"""

# Line numbers matter below: they are asserted in the error reports.
C1_YAML = """\
id: c1
title: Component one
stage: initiate
goal: A goal.
source: https://example.org/c1
activities:
  - id: c1.a1
    title: Activity one
    origin: d4a
    source: https://example.org/c1/a1
    roles: [lead]
    dimensions: [technology, organisation]
    guidance: |
      Some guidance.
    questions:
      - Why?
    items:
      - id: c1.a1.i1
        text: Do one.
        dimension: technology
      - id: c1.a1.i2
        text: Do two.
        help: How to do two.
        dimension: organisation
        role: lead
      - id: c1.a1.i3
        text: Do three.
        dimension: regulation-ethics
    tools: [canvas]
    cases: [town]
"""

BASE_FILES = {
    "roadmap.yaml": ROADMAP_YAML,
    "roles.yaml": ROLES_YAML,
    "tools.yaml": TOOLS_YAML,
    "cases.yaml": CASES_YAML,
    "c1.yaml": C1_YAML,
}


def write_folder(folder: Path, **files: str | None) -> Path:
    """The small roadmap, with some files replaced (text) or left out (None)."""
    folder.mkdir(parents=True, exist_ok=True)
    contents = {**BASE_FILES, **{k.replace("_", "."): v for k, v in files.items()}}
    for name, text in contents.items():
        if text is not None:
            (folder / name).write_text(text, encoding="utf-8")
    return folder


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_roadmap(folder)
    problems = info.value.problems
    assert problems
    # The message lists every problem too, so a CLI user sees them all.
    for problem in problems:
        assert problem in str(info.value)
    return problems


def matching(problems: list[str], pattern: str) -> list[str]:
    found = [p for p in problems if re.search(pattern, p)]
    assert found, f"no problem matches {pattern!r}: {problems}"
    return found


def test_small_roadmap_is_valid(tmp_path: Path) -> None:
    roadmap = load_roadmap(write_folder(tmp_path))
    assert [a.id for a in roadmap.activities()] == ["c1.a1"]
    assert [i.id for i in roadmap.items()] == ["c1.a1.i1", "c1.a1.i2", "c1.a1.i3"]
    assert roadmap.item("c1.a1.i2").role == "lead"
    assert roadmap.role("lead") is not None
    assert roadmap.case("town") is not None


def test_invalid_yaml_reports_file_and_line(tmp_path: Path) -> None:
    broken = replace_once(C1_YAML, "      - Why?\n", "      - [unclosed\n")
    problems = problems_of(write_folder(tmp_path, c1_yaml=broken))
    # The bracket opened on line 16 is never closed; the parser notices on the next line.
    assert matching(problems, r"^c1\.yaml:1[67]: ")


def test_invalid_yaml_in_shared_list(tmp_path: Path) -> None:
    problems = problems_of(write_folder(tmp_path, tools_yaml="tools:\n  - id: [canvas\n"))
    assert matching(problems, r"^tools\.yaml:\d+: ")


def test_unknown_key(tmp_path: Path) -> None:
    broken = replace_once(C1_YAML, "    title: Activity one\n",
                          "    title: Activity one\n    colour: red\n")
    problems = problems_of(write_folder(tmp_path, c1_yaml=broken))
    assert matching(problems, r"^c1\.yaml:9: .*unknown key 'colour'")


def test_missing_required_key(tmp_path: Path) -> None:
    broken = replace_once(C1_YAML, "    title: Activity one\n", "")
    problems = problems_of(write_folder(tmp_path, c1_yaml=broken))
    assert matching(problems, r"^c1\.yaml:7: .*missing required key 'title'")


def test_missing_required_key_on_item(tmp_path: Path) -> None:
    broken = replace_once(C1_YAML, "        text: Do three.\n", "")
    problems = problems_of(write_folder(tmp_path, c1_yaml=broken))
    assert matching(problems, r"^c1\.yaml:26: .*missing required key 'text'")


@pytest.mark.parametrize(("old", "new", "line", "kind"), [
    ("id: c1.a1.i2", "id: c1.a1.x2", 21, "item"),
    ("  - id: c1.a1\n", "  - id: c1-a1\n", 7, "activity"),
    ("id: c1\ntitle", "id: C1\ntitle", 1, "component"),
], ids=["item", "activity", "component"])
def test_bad_id_pattern(tmp_path: Path, old: str, new: str, line: int, kind: str) -> None:
    problems = problems_of(write_folder(tmp_path, c1_yaml=replace_once(C1_YAML, old, new)))
    assert matching(problems, rf"^c1\.yaml:{line}: .*not a valid {kind} id")


def test_bad_role_slug(tmp_path: Path) -> None:
    roles = replace_once(ROLES_YAML, "id: lead", "id: Lead_Person")
    problems = problems_of(write_folder(tmp_path, roles_yaml=roles))
    assert matching(problems, r"^roles\.yaml:2: .*not a valid slug id")


def test_item_not_under_its_activity(tmp_path: Path) -> None:
    broken = replace_once(C1_YAML, "id: c1.a1.i2", "id: c1.a2.i2")
    problems = problems_of(write_folder(tmp_path, c1_yaml=broken))
    assert matching(problems, r"^c1\.yaml:21: .*'c1\.a2\.i2' does not belong to activity 'c1\.a1'")


def test_activity_not_under_its_component(tmp_path: Path) -> None:
    broken = C1_YAML.replace("c1.a1", "c2.a1")
    problems = problems_of(write_folder(tmp_path, c1_yaml=broken))
    assert matching(problems, r"^c1\.yaml:7: .*does not belong to component 'c1'")


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, roadmap_yaml=ROADMAP_YAML + "  - c1-again.yaml\n")
    (folder / "c1-again.yaml").write_text(C1_YAML, encoding="utf-8")
    problems = problems_of(folder)
    dup = matching(problems, r"duplicate id 'c1\.a1\.i1'")
    # The author must learn where the second copy is: file and line.
    assert any(re.match(r"^c1-again\.yaml:18: ", p) for p in dup), dup


def test_duplicate_id_in_one_file(tmp_path: Path) -> None:
    broken = replace_once(C1_YAML, "id: c1.a1.i2", "id: c1.a1.i1")
    problems = problems_of(write_folder(tmp_path, c1_yaml=broken))
    dup = matching(problems, r"duplicate id 'c1\.a1\.i1'")
    assert any(re.match(r"^c1\.yaml:21: ", p) for p in dup), dup


@pytest.mark.parametrize(("file", "body", "line"), [
    ("roles.yaml", ROLES_YAML + "  - id: lead\n    title: Lead again\n    description: Again.\n",
     5),
    ("tools.yaml", TOOLS_YAML + "  - id: canvas\n    title: Again\n    description: Again.\n",
     5),
], ids=["roles", "tools"])
def test_duplicate_slug_in_a_shared_list(tmp_path: Path, file: str, body: str,
                                         line: int) -> None:
    problems = problems_of(write_folder(tmp_path, **{file.replace(".", "_"): body}))
    assert matching(problems, rf"^{re.escape(file)}:{line}: .*duplicate")


@pytest.mark.parametrize(("old", "new", "line", "what"), [
    ("roles: [lead]", "roles: [boss]", 11, "role 'boss'"),
    ("        role: lead\n", "        role: boss\n", 25, "role 'boss'"),
    ("tools: [canvas]", "tools: [hammer]", 29, "tool 'hammer'"),
    ("cases: [town]", "cases: [city]", 30, "case 'city'"),
], ids=["activity-role", "item-role", "tool", "case"])
def test_unknown_reference(tmp_path: Path, old: str, new: str, line: int, what: str) -> None:
    problems = problems_of(write_folder(tmp_path, c1_yaml=replace_once(C1_YAML, old, new)))
    found = matching(problems, rf"unknown {what}")
    assert any(re.match(rf"^c1\.yaml:{line}: ", p) for p in found), found


def test_case_with_unknown_activity(tmp_path: Path) -> None:
    cases = replace_once(CASES_YAML, "activities: [c1.a1]", "activities: [c1.a1, c9.a9]")
    problems = problems_of(write_folder(tmp_path, cases_yaml=cases))
    found = matching(problems, r"unknown activity 'c9\.a9'")
    assert any(re.match(r"^cases\.yaml:7: ", p) for p in found), found


def test_unknown_dimension_on_activity(tmp_path: Path) -> None:
    broken = replace_once(C1_YAML, "dimensions: [technology, organisation]",
                          "dimensions: [technology, money]")
    problems = problems_of(write_folder(tmp_path, c1_yaml=broken))
    assert matching(problems, r"^c1\.yaml:12: .*unknown dimension 'money'")


def test_unknown_dimension_on_item(tmp_path: Path) -> None:
    broken = replace_once(C1_YAML, "dimension: regulation-ethics", "dimension: ethics")
    problems = problems_of(write_folder(tmp_path, c1_yaml=broken))
    assert matching(problems, r"^c1\.yaml:28: .*'ethics' is not one of")


def test_source_must_be_https(tmp_path: Path) -> None:
    broken = replace_once(C1_YAML, "https://example.org/c1/a1", "http://example.org/c1/a1")
    problems = problems_of(write_folder(tmp_path, c1_yaml=broken))
    assert matching(problems, r"^c1\.yaml:10: .*https://")


def test_d4a_activity_needs_a_source(tmp_path: Path) -> None:
    broken = replace_once(C1_YAML, "    source: https://example.org/c1/a1\n", "")
    problems = problems_of(write_folder(tmp_path, c1_yaml=broken))
    assert matching(problems, r"^c1\.yaml:7: .*source")


def test_activity_needs_three_items(tmp_path: Path) -> None:
    broken = replace_once(C1_YAML, "      - id: c1.a1.i3\n        text: Do three.\n"
                          "        dimension: regulation-ethics\n", "")
    problems = problems_of(write_folder(tmp_path, c1_yaml=broken))
    assert matching(problems, r"^c1\.yaml:18: .*three checklist items")


def test_activity_needs_a_question(tmp_path: Path) -> None:
    broken = replace_once(C1_YAML, "    questions:\n      - Why?\n", "    questions: []\n")
    problems = problems_of(write_folder(tmp_path, c1_yaml=broken))
    assert matching(problems, r"^c1\.yaml:\d+: .*questions.*at least 1")


def test_every_problem_is_reported_in_one_run(tmp_path: Path) -> None:
    broken = replace_once(C1_YAML, "dimension: regulation-ethics", "dimension: ethics")
    broken = replace_once(broken, "    title: Activity one\n",
                          "    title: Activity one\n    x: 1\n")
    tools = replace_once(TOOLS_YAML, "id: canvas", "id: Canvas!")
    problems = problems_of(write_folder(tmp_path, c1_yaml=broken, tools_yaml=tools))
    matching(problems, r"^c1\.yaml:\d+: .*'ethics'")
    matching(problems, r"^c1\.yaml:\d+: .*unknown key 'x'")
    matching(problems, r"^tools\.yaml:\d+: .*not a valid slug id")


@pytest.mark.parametrize("text", ["", "# only a comment\n"], ids=["empty", "comment-only"])
def test_empty_component_file(tmp_path: Path, text: str) -> None:
    problems = problems_of(write_folder(tmp_path, c1_yaml=text))
    assert matching(problems, r"^c1\.yaml\b")


def test_empty_roadmap_file(tmp_path: Path) -> None:
    problems = problems_of(write_folder(tmp_path, roadmap_yaml=""))
    assert matching(problems, r"^roadmap\.yaml\b")


def test_empty_shared_list_file(tmp_path: Path) -> None:
    problems = problems_of(write_folder(tmp_path, roles_yaml=""))
    assert matching(problems, r"^roles\.yaml\b")


def test_component_file_of_the_wrong_shape(tmp_path: Path) -> None:
    problems = problems_of(write_folder(tmp_path, c1_yaml="- a\n- b\n"))
    assert matching(problems, r"^c1\.yaml:1: .*expected a mapping")


@pytest.mark.parametrize("missing", ["c1.yaml", "roles.yaml", "tools.yaml", "cases.yaml",
                                     "roadmap.yaml"])
def test_missing_file(tmp_path: Path, missing: str) -> None:
    problems = problems_of(write_folder(tmp_path, **{missing.replace(".", "_"): None}))
    assert matching(problems, rf"^{re.escape(missing)}\b")


def test_file_not_utf8(tmp_path: Path) -> None:
    folder = write_folder(tmp_path)
    (folder / "c1.yaml").write_bytes(C1_YAML.replace("Do one.", "Do \xe9n.").encode("latin-1"))
    problems = problems_of(folder)
    assert matching(problems, r"^c1\.yaml\b")


def test_real_roadmap_with_a_broken_component(tmp_path: Path) -> None:
    """The bundled sources, copied, with one mistake in the last component."""
    folder = tmp_path / "roadmap"
    shutil.copytree(ROADMAP_DIR, folder)
    c6 = (folder / "c6.yaml").read_text(encoding="utf-8")
    lines = c6.splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines, 1) if line.strip() == "- id: c6.a2")
    lines[number - 1] = lines[number - 1].replace("c6.a2", "c6.b2")
    (folder / "c6.yaml").write_text("".join(lines), encoding="utf-8")
    problems = problems_of(folder)
    assert matching(problems, rf"^c6\.yaml:{number}: .*'c6\.b2' is not a valid activity id")


# --- messages and localise ---------------------------------------------------------------

#: Fields holding text a reader sees, per class; every other field is an id, a URL, a
#: reference, a flag or a list of nested objects. A new text field must be added here (and
#: to messages/localise), so this test notices one that translators would never see.
TEXT_FIELDS: dict[type, set[str]] = {
    Component: {"title", "goal"},
    Activity: {"title", "purpose", "guidance", "questions"},
    ChecklistItem: {"text", "help"},
    Role: {"title", "description"},
    Tool: {"title", "description", "credit", "interpretation"},
    Scale: set(),
    Level: {"label", "description"},
    Section: {"title", "help", "entry"},
    Field: {"label", "help"},
    Option: {"label"},
    Case: {"title", "place", "summary"},
    Standard: {"name", "summary"},
    CountryNote: {"text"},
}
NOT_TEXT: dict[type, set[str]] = {
    Component: {"id", "source", "stage", "activities"},
    Activity: {"id", "component_id", "source", "origin", "roles", "dimensions", "items",
               "tools", "cases", "condition", "standards", "country_notes"},
    ChecklistItem: {"id", "activity_id", "dimension", "role", "condition"},
    Role: {"id"},
    Tool: {"id", "kind", "sources", "scales", "sections"},
    Scale: {"id", "levels"},
    Level: {"value"},
    Section: {"id", "fields", "repeating"},
    Field: {"id", "type", "options", "scale", "only_if"},
    Option: {"id"},
    Case: {"id", "source", "activities"},
    Standard: {"id", "url", "dates"},
    CountryNote: {"id", "country", "activity_id", "source", "checked"},
}


def test_field_lists_cover_the_dataclasses() -> None:
    for cls, text in TEXT_FIELDS.items():
        names = {f.name for f in dataclasses.fields(cls)}
        assert names == text | NOT_TEXT[cls], cls.__name__
    roadmap_parts = {f.name for f in dataclasses.fields(Roadmap)} - {
        "id", "version", "source_language", "_index"}
    assert roadmap_parts == {"components", "roles", "tools", "cases", "standards"}


def _objects(roadmap: Roadmap) -> Iterator[tuple[str, object]]:
    """Every object that holds text, with the id its message contexts start with."""
    for comp in roadmap.components:
        yield comp.id, comp
        for act in comp.activities:
            yield act.id, act
            for item in act.items:
                yield item.id, item
            for note in act.country_notes:
                yield f"note:{note.id}", note
    for role in roadmap.roles:
        yield f"role:{role.id}", role
    for tool in roadmap.tools:
        base = f"tool:{tool.id}"
        yield base, tool
        for scale in tool.scales:
            yield f"{base}/scale:{scale.id}", scale
            for level in scale.levels:
                yield f"{base}/scale:{scale.id}/{level.value}", level
        for section in tool.sections:
            yield f"{base}/{section.id}", section
            for fld in section.fields:
                yield f"{base}/{section.id}/{fld.id}", fld
                for option in fld.options:
                    yield f"{base}/{section.id}/{fld.id}/{option.id}", option
    for case in roadmap.cases:
        yield f"case:{case.id}", case
    for std in roadmap.standards:
        yield f"standard:{std.id}", std


def _texts(obj: object) -> Iterator[str]:
    for name in sorted(TEXT_FIELDS[type(obj)]):
        value = getattr(obj, name)
        if isinstance(value, tuple):
            yield from value
        elif value:
            yield value


def test_the_bundled_roadmap_has_every_kind_of_text(bundled: Roadmap) -> None:
    kinds = {type(obj) for _key, obj in _objects(bundled)}
    assert {Component, Activity, ChecklistItem, Role, Tool, Case, CountryNote} <= kinds


def test_messages_contexts_are_unique(bundled: Roadmap) -> None:
    contexts = [ctx for ctx, _text in messages(bundled)]
    assert len(contexts) == len(set(contexts))
    for ctx in contexts:
        assert re.match(r"^[a-z0-9.:/_-]+\|[a-z0-9]+$", ctx), ctx


def test_messages_cover_every_text(bundled: Roadmap) -> None:
    found = list(messages(bundled))
    by_id: dict[str, set[str]] = {}
    for ctx, text in found:
        assert text.strip(), ctx
        by_id.setdefault(ctx.split("|")[0], set()).add(text)
    count = 0
    for key, obj in _objects(bundled):
        for text in _texts(obj):
            assert text in by_id.get(key, set()), (key, text[:60])
            count += 1
    assert count == len(found)


def _tag(ctx: str, text: str) -> str:
    return f"«{ctx}» {text[::-1]}"


def test_localise_changes_every_text_and_keeps_ids(bundled: Roadmap) -> None:
    known = dict(messages(bundled))
    asked: list[str] = []

    def translate(ctx: str, text: str) -> str:
        assert known.get(ctx) == text, ctx  # localise asks only for what messages lists
        asked.append(ctx)
        return _tag(ctx, text)

    local = localise(bundled, translate)
    assert sorted(asked) == sorted(known)
    assert local.version == bundled.version and local.id == bundled.id
    pairs = list(zip(_objects(bundled), _objects(local), strict=True))
    for (key, orig), (local_key, loc) in pairs:
        assert key == local_key
        assert type(orig) is type(loc)
        for f in dataclasses.fields(orig):  # type: ignore[arg-type]
            before, after = getattr(orig, f.name), getattr(loc, f.name)
            if f.name in TEXT_FIELDS[type(orig)]:
                if isinstance(before, tuple):
                    assert len(after) == len(before)
                    for b, a in zip(before, after, strict=True):
                        assert a.startswith(f"«{key}|") and a.endswith(b[::-1])
                elif before:
                    assert after.startswith(f"«{key}|") and after.endswith(before[::-1])
                else:
                    assert after == "", (key, f.name)  # an empty optional text stays empty
            elif not (isinstance(before, tuple) and before
                      and dataclasses.is_dataclass(before[0])):  # nested: compared above
                assert after == before, (key, f.name)
    # The index is rebuilt for the localised copy.
    item = next(local.items())
    assert local.item(item.id) is item
    assert local.activity("c4.a1").title.startswith("«c4.a1|title»")


def test_localise_with_identity_gives_an_equal_roadmap(bundled: Roadmap) -> None:
    same = localise(bundled, lambda _ctx, text: text)
    assert same == bundled


def test_case_place_is_translatable(bundled: Roadmap) -> None:
    contexts = dict(messages(bundled))
    case = bundled.cases[0]
    assert contexts.get(f"case:{case.id}|place") == case.place


# --- country notes ---------------------------------------------------------------------------

NOTES_YAML = """\
notes:
  - id: se-dpia
    country: SE
    activity: c1.a1
    text: A note for Swedish projects.
    source: https://example.org/se
    checked: 2026-12-04
  - id: be-portal
    country: BE
    activity: c1.a1
    text: A note for Belgian projects.
    source: https://example.org/be
    checked: 2026-11-30
"""
NOTES_ROADMAP_YAML = ROADMAP_YAML + "country_notes: notes.yaml\n"


def notes_folder(tmp_path: Path, notes: str = NOTES_YAML) -> Path:
    return write_folder(tmp_path, roadmap_yaml=NOTES_ROADMAP_YAML, notes_yaml=notes)


def test_notes_are_attached_to_their_activity_in_country_order(tmp_path: Path) -> None:
    roadmap = load_roadmap(notes_folder(tmp_path))
    notes = roadmap.activity("c1.a1").country_notes
    assert [n.id for n in notes] == ["be-portal", "se-dpia"]  # BE before SE, whatever the file
    assert notes[1] == CountryNote("se-dpia", "SE", "c1.a1", "A note for Swedish projects.",
                                   "https://example.org/se", dt.date(2026, 12, 4))
    assert [n.id for n in roadmap.country_notes("SE")] == ["se-dpia"]
    assert [n.id for n in roadmap.country_notes()] == ["be-portal", "se-dpia"]


@pytest.mark.parametrize(("code", "expected"), [
    ("SE", ["se-dpia"]), ("se", ["se-dpia"]), (" be ", ["be-portal"]), ("AT", []), ("", []),
    (None, []),
])
def test_notes_for_picks_the_project_country(tmp_path: Path, code: str | None,
                                             expected: list[str]) -> None:
    activity = load_roadmap(notes_folder(tmp_path)).activity("c1.a1")
    assert [n.id for n in activity.notes_for(code)] == expected


def test_notes_file_is_optional(tmp_path: Path) -> None:
    roadmap = load_roadmap(write_folder(tmp_path))
    assert roadmap.activity("c1.a1").country_notes == ()


@pytest.mark.parametrize(("old", "new", "line", "pattern"), [
    ("country: SE", "country: AT", 3, r"'AT' is not one of: BE, DK, DE, FR, NL, NO, SE"),
    ("country: SE", "country: NO", 3, r"write the country code in quotes"),
    ("country: SE", "country: DK", 2, r"a note for DK starts with 'dk-'"),
    ("checked: 2026-12-04", "checked: 2026-13-45", 7, r"'2026-13-45' is not a date"),
    ("checked: 2026-12-04", "checked: 4 December 2026", 7, r"is not a date written as YYYY"),
    ("checked: 2026-12-04", "checked: 20261204", 7, r"is not a date written as YYYY"),
    ("source: https://example.org/se", "source: http://example.org/se", 6,
     r"must be an https:// URL"),
    ("activity: c1.a1\n    text: A note for Swedish", "activity: c9.a9\n    text: A note for "
     "Swedish", 4, r"unknown activity 'c9\.a9'"),
    ("    checked: 2026-12-04\n", "", 2, r"missing required key 'checked'"),
    ("    source: https://example.org/se\n", "", 2, r"missing required key 'source'"),
    ("    text: A note for Swedish projects.\n", "", 2, r"missing required key 'text'"),
    ("id: se-dpia", "id: se_dpia", 2, r"not a valid slug id"),
    ("id: be-portal", "id: se-dpia", 8, r"duplicate id 'se-dpia'"),
    ("    checked: 2026-12-04\n", "    checked: 2026-12-04\n    colour: red\n", 8,
     r"unknown key 'colour'"),
    ("text: A note for Swedish projects.", "text: " + "Far too long. " * 50, 5,
     r"at most 600 characters; this one has 699"),
], ids=["unknown-country", "bare-no", "id-prefix", "impossible-date", "date-in-words",
        "date-as-number", "http", "unknown-activity", "no-date", "no-source", "no-text",
        "bad-id", "duplicate-id", "unknown-key", "too-long"])
def test_broken_note_is_reported_with_file_and_line(tmp_path: Path, old: str, new: str,
                                                    line: int, pattern: str) -> None:
    problems = problems_of(notes_folder(tmp_path, replace_once(NOTES_YAML, old, new)))
    found = matching(problems, pattern)
    assert any(p.startswith(f"notes.yaml:{line}: ") for p in found), found


def test_notes_are_translated_by_their_own_context(tmp_path: Path) -> None:
    roadmap = load_roadmap(notes_folder(tmp_path))
    assert ("note:se-dpia|text", "A note for Swedish projects.") in list(messages(roadmap))
    local = localise(roadmap, lambda ctx, text: text.upper() if ctx.startswith("note:") else text)
    assert local.activity("c1.a1").notes_for("SE")[0].text == "A NOTE FOR SWEDISH PROJECTS."
    assert local.activity("c1.a1").title == "Activity one"


def test_bundled_notes_each_have_a_source_and_a_checked_date(bundled: Roadmap) -> None:
    notes = list(bundled.country_notes())
    for note in notes:
        assert note.country in PARTNER_COUNTRIES, note.id
        assert note.id.startswith(note.country.lower() + "-"), note.id
        assert re.match(r"^https://[a-z0-9.-]+\.[a-z]{2,}/", note.source), note.id
        assert isinstance(note.checked, dt.date) and note.checked.year >= 2026, note.id
        assert 0 < len(note.text) <= NOTE_MAX_LENGTH, note.id
        assert bundled.activity(note.activity_id).country_notes.count(note) == 1
    counts = {c: sum(1 for n in notes if n.country == c) for c in PARTNER_COUNTRIES}
    assert all(count >= 5 for count in counts.values()), counts
    assert len({n.id for n in notes}) == len(notes)


# --- dates on standards ---------------------------------------------------------------------

STANDARDS_YAML = """\
standards:
  - id: law
    name: A law
    summary: Applies from 2 August 2026.
    dates:
      general: 2026-08-02
      later: 2027-12-02
"""


def standards_folder(tmp_path: Path, text: str = STANDARDS_YAML) -> Path:
    return write_folder(tmp_path, roadmap_yaml=ROADMAP_YAML + "standards: standards.yaml\n",
                        standards_yaml=text)


def test_standard_dates_are_read_by_key(tmp_path: Path) -> None:
    law = load_roadmap(standards_folder(tmp_path)).standard("law")
    assert law is not None
    assert law.dates == (("general", dt.date(2026, 8, 2)), ("later", dt.date(2027, 12, 2)))
    assert law.date("later") == dt.date(2027, 12, 2)
    assert law.date("unknown") is None


@pytest.mark.parametrize(("old", "new", "pattern"), [
    ("general: 2026-08-02", "general: 2 August 2026", r"standards\.yaml:6: .*dates\.general: "
                                                       r"'2 August 2026' is not a date"),
    ("general: 2026-08-02", "general: 2026-02-30", r"standards\.yaml:6: .*is not a date"),
    ("later: 2027-12-02", "general: 2027-12-02", r"standards\.yaml:7: .*duplicate key"),
    ("later: 2027-12-02", "Later: 2027-12-02", r"standards\.yaml:7: .*'Later' is not a valid"),
    ("    dates:\n      general: 2026-08-02\n      later: 2027-12-02\n",
     "    dates: 2026-08-02\n", r"standards\.yaml:5: .*expected a mapping"),
])
def test_broken_standard_dates_are_reported(tmp_path: Path, old: str, new: str,
                                            pattern: str) -> None:
    broken = replace_once(STANDARDS_YAML, old, new)
    matching(problems_of(standards_folder(tmp_path, broken)), pattern)


def test_bundled_ai_act_dates_match_its_summary(bundled: Roadmap) -> None:
    """The AI impact screening's rule reads these dates; the summary says them in words."""
    act = bundled.standard("ai-act")
    assert act is not None
    assert {key for key, _day in act.dates} == {"literacy", "transparency", "high-risk"}
    for _key, day in act.dates:
        assert f"{day.day} {day:%B %Y}" in act.summary


def test_only_if_names_an_earlier_yes_no_question(tmp_path: Path) -> None:
    form = TOOLS_YAML + """\
    sections:
      - id: s
        title: S
        fields:
          - id: asked
            label: Is it so?
            type: yesno
          - id: which
            label: Which?
            type: text
            only_if: asked
"""
    load_roadmap(write_folder(tmp_path / "good", tools_yaml=form))
    for bad in ("which", "missing"):
        text = form.replace("only_if: asked", f"only_if: {bad}")
        matching(problems_of(write_folder(tmp_path / bad, tools_yaml=text)),
                 "only_if must name a yesno field before it")
    not_yes_no = form.replace("type: yesno", "type: text")
    matching(problems_of(write_folder(tmp_path / "text", tools_yaml=not_yes_no)),
             "only_if must name a yesno field before it")
