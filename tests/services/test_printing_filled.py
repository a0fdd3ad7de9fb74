"""Printed documents from a lived-in project: filled tool worksheets with their verdicts,
the report's tools, reviews, KPIs, risk matrix and responsibility matrix, and the country
notes of step checklists.

Expected texts are worked out here from the project and the rules (``core/rules.py``,
``core/kpi.py``), never copied from a PDF, and checked in at least two languages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from d4a_desktop import i18n
from d4a_desktop.core import kpi, rules
from d4a_desktop.core.content import Roadmap
from d4a_desktop.core.progress import compute
from d4a_desktop.core.project import ProjectMeta, ProjectState
from d4a_desktop.core.vocab import country_note_heading
from d4a_desktop.services import printing
from d4a_desktop.services.demo import write_demo
from d4a_desktop.services.printing import ProjectSnapshot, Request, fonts
from d4a_desktop.services.printing.flowables import Column, RecordTable, Row, column_widths
from d4a_desktop.services.printing.source import FilledTool, KpiData, SavedVersion
from d4a_desktop.services.printing.styles import styles
from d4a_desktop.services.roadmap import roadmap
from tests.services.pdfcheck import Doc

TODAY = dt.date(2027, 3, 1)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("print-filled") / "demo.d4a"
    write_demo(path).close()
    return path


@pytest.fixture(scope="module")
def snap(demo: Path) -> ProjectSnapshot:
    return printing.read_project(demo)


_built: dict[tuple[object, ...], Doc] = {}


@pytest.fixture(scope="module")
def build(snap: ProjectSnapshot) -> Iterator[Callable[..., Doc]]:
    def make(lang: str, request: Request, project: ProjectSnapshot | None = snap) -> Doc:
        key = (lang, request, id(project))
        if key not in _built:
            with language(lang):
                _built[key] = Doc(printing.build(request, roadmap(), project, today=TODAY,
                                                 author="Tester").data)
        return _built[key]

    yield make
    _built.clear()


class language:
    def __init__(self, lang: str):
        self.lang = lang

    def __enter__(self) -> Roadmap:
        i18n.set_language(self.lang)
        return roadmap()

    def __exit__(self, *exc: object) -> None:
        i18n.set_language("en")


def outcome(lang: str, tool_id: str, answers: Mapping[str, Any]) -> rules.Outcome:
    with language(lang) as rm:
        tool = rm.tool(tool_id)
        assert tool is not None
        found = rules.evaluate(tool, answers, today=TODAY, standards=rm.standards)
        assert found is not None
        return found


def fields(tool_id: str) -> list[Any]:
    tool = roadmap().tool(tool_id)
    assert tool is not None
    return [f for s in tool.sections for f in s.fields]


# --- filled worksheets ------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "fr"])
def test_dpia_worksheet_is_filled_from_the_latest_version(build: Callable[..., Doc],
                                                          snap: ProjectSnapshot,
                                                          lang: str) -> None:
    filled = snap.tool("dpia-screening")
    assert filled is not None and filled.version is not None and filled.changed_since
    doc = build(lang, Request("worksheet", "dpia-screening"))
    result = outcome(lang, "dpia-screening", filled.version.answers)
    assert result.code in (rules.DPIA_REQUIRED, rules.DPIA_NOT_REQUIRED)
    assert doc.missing([result.verdict, *result.reasons, *result.notes]) == []
    with language(lang):
        day = i18n.format_date(filled.version.saved_on)
        why, result_heading = i18n._("Why"), i18n._("Result")
    assert doc.missing([day, filled.version.author, filled.version.note, why]) == []
    assert result_heading in [title for _l, title, _p in doc.outline()]
    # The version's answers, not the ones typed since.
    name = filled.version.answers["processing/processing-name"]
    assert doc.contains(name)
    # Each yes/no answer and each choice of the version is ticked once, the rest left empty.
    ticked = 0
    for value in filled.version.answers.values():
        if isinstance(value, tuple):
            ticked += len(value)
        elif isinstance(value, bool) or value in {o.id for f in fields("dpia-screening")
                                                  for o in f.options}:
            ticked += 1
    assert ticked > 10 and doc.text.count(fonts.TICKED) == ticked


def test_version_and_current_answers_differ_and_the_sheet_says_so(
        build: Callable[..., Doc], demo: Path) -> None:
    from d4a_desktop.services import assessments
    from d4a_desktop.services.projects import read_project

    session = read_project(demo)
    try:
        current = assessments.filled(session, "dpia-screening").answers
    finally:
        session.close()
    snap = printing.read_project(demo)
    filled = snap.tool("dpia-screening")
    assert filled is not None and filled.version is not None
    changed = [p for p, v in current.items() if filled.version.answers.get(p) != v
               and isinstance(v, str) and v.strip()]
    assert changed, "the demo changes a text after its last version"
    doc = build("en", Request("worksheet", "dpia-screening"))
    for path in changed:
        assert not doc.contains(current[path]), path
    assert doc.contains("The answers have changed since; save a new version")


@pytest.mark.parametrize("lang", ["da", "fr"])
def test_filled_canvas_is_one_page_with_every_answer(build: Callable[..., Doc],
                                                     snap: ProjectSnapshot, lang: str) -> None:
    filled = snap.tool("ethics-canvas")
    assert filled is not None and filled.version is None  # the demo saved none
    doc = build(lang, Request("worksheet", "ethics-canvas"))
    assert len(doc.reader.pages) == 1
    answers = [v for v in filled.answers.values() if isinstance(v, str)]
    assert len(answers) == 15
    assert doc.missing(answers) == []
    with language(lang):
        day = i18n.format_date(filled.edited) if filled.edited else "?"
    assert doc.missing([day, filled.edited_by]) == []
    width = doc.size[0]
    for word in doc.words()[0]:
        assert word.x0 >= 0 and word.x1 <= width - 20, word


def test_a_long_canvas_answer_is_cut_visibly_and_stays_in_its_box() -> None:
    state = ProjectState(ProjectMeta(id="p", title="Klimadata", municipality="Aarhus",
                                     country="DK"))
    long = " ".join(["Borgerne skal kunne se, hvad vi måler og hvorfor."] * 200)
    filled = FilledTool("ethics-canvas", "draft", None, {"know/data-sources": long}, None, (),
                        TODAY, "Mette", False)
    project = ProjectSnapshot(state, compute(roadmap(), state), tools=(filled,))
    doc = Doc(printing.build(Request("worksheet", "ethics-canvas", paper="a4"), roadmap(),
                             project, today=TODAY).data)
    assert len(doc.reader.pages) == 1
    assert doc.contains("(cut short; the project holds the whole text)")
    width, height = doc.size
    for word in doc.words()[0]:
        assert word.x0 >= 0 and word.x1 <= width and 0 <= word.y0 <= height, word


@pytest.mark.parametrize("lang", ["en", "da"])
def test_maturity_worksheet_shows_levels_and_how_they_moved(build: Callable[..., Doc],
                                                            snap: ProjectSnapshot,
                                                            lang: str) -> None:
    filled = snap.tool("maturity-self-check")
    assert filled is not None and filled.version is not None and len(filled.versions) == 2
    result = outcome(lang, "maturity-self-check", filled.answers)
    assert isinstance(result, rules.MaturityOutcome) and result.code == rules.ASSESSED
    doc = build(lang, Request("worksheet", "maturity-self-check"))
    assert doc.missing([result.verdict, *result.reasons]) == []
    with language(lang) as rm:
        tool = rm.tool("maturity-self-check")
        assert tool is not None
        levels = [f"{i18n.format_number(round(d.average or 0, 2))} · {d.level_label}"
                  for d in result.dimensions]
        moved = rules.maturity_change(tool, filled.versions[0].answers, filled.answers)
    assert doc.missing([*levels, *moved]) == []
    scales = [p for p, v in filled.answers.items() if isinstance(v, int) and "/" in p
              and not p.endswith("_order")]
    # One filled circle per rated statement, one per statement marked as decisive.
    assert doc.text.count(fonts.DOT) == len(scales) + len(result.paths)


def synthetic(tool_id: str, answers: dict[str, Any]) -> ProjectSnapshot:
    state = ProjectState(ProjectMeta(id="p", title="Smart parking", municipality="Bergen",
                                     country="NO"))
    version = SavedVersion(3, dt.date(2027, 2, 2), "Kari Nordmann", "After the workshop",
                           answers)
    filled = FilledTool(tool_id, "complete", dt.date(2027, 1, 5), answers, version,
                        (version,), dt.date(2027, 2, 2), "Kari Nordmann", False)
    return ProjectSnapshot(state, compute(roadmap(), state), tools=(filled,))


@pytest.mark.parametrize("lang", ["en", "de"])
def test_scorecard_prints_its_ranking(lang: str) -> None:
    answers: dict[str, Any] = {"weights/weight-openness": 3, "weights/weight-cost": 1}
    answers.update({f"weights/weight-{c}": 0 for c in (
        "reusability", "portability", "security-privacy", "accessibility", "sovereignty",
        "open-standards", "maintenance", "community")})
    for n, (name, openness, cost) in enumerate((("CKAN", 5, 3), ("Vendor X", 2, 4)), 1):
        answers.update({f"options/k{n}/_order": n, f"options/k{n}/option-name": name,
                        f"options/k{n}/openness": openness, f"options/k{n}/cost": cost})
    project = synthetic("technology-scorecard", answers)
    with language(lang) as rm:
        doc = Doc(printing.build(Request("worksheet", "technology-scorecard"), rm, project,
                                 today=TODAY).data)
        ranking = [i18n._("Ranking"), i18n._("Weighted score")]
    result = outcome(lang, "technology-scorecard", answers)
    assert isinstance(result, rules.ScorecardOutcome) and result.code == rules.LEADER
    assert doc.missing([result.verdict, *result.reasons, *ranking, "CKAN", "Vendor X"]) == []
    # The options are entries of the sheet, each under its own name.
    assert doc.text.index("CKAN") < doc.text.index("Vendor X")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_ai_screening_prints_its_duties(lang: str) -> None:
    answers = {"system/is-ai-system": True, "system/public-deployer": True,
               "high-risk/annex-iii-areas": ("public-benefits",),
               "high-risk/procedural-exception": False}
    project = synthetic("ai-impact-screening", answers)
    with language(lang) as rm:
        doc = Doc(printing.build(Request("worksheet", "ai-impact-screening"), rm, project,
                                 today=TODAY).data)
        heading = i18n._("Duties under the AI Act")
    result = outcome(lang, "ai-impact-screening", answers)
    assert isinstance(result, rules.AiOutcome) and result.code == rules.FRIA_REQUIRED
    duties = [f"{d.text} {d.when}" for d in result.duties]
    assert doc.missing([result.verdict, heading, *duties, *result.notes]) == []


def test_readiness_prints_the_gaps() -> None:
    rm = roadmap()
    tool = rm.tool("rollout-readiness")
    assert tool is not None
    answers: dict[str, Any] = {p: True for p in rules.readiness_conditions(tool)}
    answers["backup-recovery/" + next(f.id for s in tool.sections if s.id == "backup-recovery"
                                      for f in s.fields)] = False
    doc = Doc(printing.build(Request("worksheet", "rollout-readiness"), rm,
                             synthetic("rollout-readiness", answers), today=TODAY).data)
    result = outcome("en", "rollout-readiness", answers)
    assert result.code == rules.NOT_READY
    assert doc.missing([result.verdict, *result.reasons]) == []
    assert doc.contains(f"Version 3 of {i18n.format_date(dt.date(2027, 2, 2))}, Kari Nordmann")


def test_data_inventory_is_filled_from_the_register(build: Callable[..., Doc],
                                                    snap: ProjectSnapshot) -> None:
    filled = snap.tool("data-inventory")
    table = next(t for t in snap.records if t.key == "datasets")
    assert filled is not None and filled.register_count == len(table.rows)
    doc = build("da", Request("worksheet", "data-inventory"))
    titles = [row.cells[0] for row in table.rows]
    assert doc.missing(titles) == []
    positions = [doc.squeezed().index(t.replace(" ", "")) for t in titles]
    assert positions == sorted(positions)  # in the register's order


def test_a_tool_the_project_has_not_filled_prints_blank(build: Callable[..., Doc]) -> None:
    doc = build("en", Request("worksheet", "monitoring-plan"))
    assert doc.contains("The project has not filled in this tool yet.")
    assert "Result" not in [t for _l, t, _p in doc.outline()]


def test_a_question_after_a_no_is_left_out_of_a_filled_worksheet(
        build: Callable[..., Doc], snap: ProjectSnapshot) -> None:
    """The demo's processing is not on the national list: its filled worksheet does not
    ask which item of the list applies; the blank one, for a workshop, does."""
    filled = snap.tool("dpia-screening")
    assert filled is not None and filled.version is not None
    assert filled.version.answers.get("national-list/on-national-list") is False
    question = "Which item of the list applies?"
    assert not build("en", Request("worksheet", "dpia-screening")).contains(question)
    assert build("en", Request("worksheet", "dpia-screening"), None).contains(question)


# --- the report ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "fr"])
def test_report_has_tools_reviews_kpis_and_registers(build: Callable[..., Doc],
                                                     snap: ProjectSnapshot, lang: str) -> None:
    doc = build(lang, Request("report"))
    tops = [t for level, t, _p in doc.outline() if level == 0]
    with language(lang) as rm:
        t = i18n._
        expected = [t("Summary"), t("Progress per component"), t("Progress per dimension"),
                    t("Activities"), t("Open items with a due date"), t("Open work per owner"),
                    t("Tools"), t("Reviews due"), t("KPIs")]
        registers = [r.title for r in snap.records if r.key not in ("kpis", "measurements")]
        verdicts = []
        for filled in snap.tools:
            tool = rm.tool(filled.tool_id)
            assert tool is not None
            found = rules.evaluate(tool, filled.answers, today=TODAY, standards=rm.standards)
            if found is not None:
                verdicts.append(found.verdict)
        tool_titles = [rm.tool(f.tool_id).title for f in snap.tools]  # type: ignore[union-attr]
        comments = sum((snap.open_comments or {}).values())
        comment_line = i18n.ngettext("{count} comment is still open (not resolved).",
                                     "{count} comments are still open (not resolved).",
                                     comments).format(count=comments)
        statuses = []
        for data in snap.kpis:
            state = kpi.status(data.definition, data.measurements, today=TODAY)
            statuses.append(state.explanation)
        rule = kpi.status_rule_help().split("\n")[0]
        legend = i18n.pgettext("kpi chart", "Measured values")
    assert tops == expected + registers
    assert doc.missing(tool_titles + verdicts + [comment_line] + statuses + [rule]) == []
    assert doc.missing([d.name for d in snap.kpis]) == []
    assert doc.text.count(legend) == len(snap.kpis)  # a chart each, with its legend
    # Each KPI has its heading under the KPIs section, in the order they were added.
    kpi_entries = [title for level, title, _p in doc.outline() if level == 1
                   and any(title.startswith(d.name) for d in snap.kpis)]
    assert len(kpi_entries) == len(snap.kpis)


def test_report_lists_the_reviews_due(build: Callable[..., Doc], snap: ProjectSnapshot) -> None:
    doc = build("en", Request("report"))
    horizon = TODAY + dt.timedelta(days=30)
    due = [f for f in snap.tools if f.next_review and f.next_review <= horizon]
    risks = [r for r in snap.risk_reviews if r[0] <= horizon]
    assert due and risks
    page = next(p for p in doc.pages if "Reviews that are past or fall within" in p)
    for filled in due:
        title = roadmap().tool(filled.tool_id).title  # type: ignore[union-attr]
        assert title in page
    for day, code, _description in risks:
        assert f"{code} " in page
        assert i18n.format_date(day) in page
    overdue = sum(1 for f in due if f.next_review and f.next_review < TODAY) + \
        sum(1 for r in risks if r[0] < TODAY)
    assert page.count("— overdue") == overdue


@pytest.mark.parametrize("lang", ["en", "da"])
def test_risk_matrix_names_every_scored_risk(build: Callable[..., Doc], snap: ProjectSnapshot,
                                             lang: str) -> None:
    assert len(snap.risk_scores) >= 5
    doc = build(lang, Request("report"))
    with language(lang):
        heading = i18n._("Open risks by score")
        likelihood, impact = i18n._("Likelihood"), i18n._("Impact")
    page = next(p for p in doc.pages if heading in p)
    assert likelihood in page and impact in page
    words = doc.text.split()
    reviewed = {code for day, code, _d in snap.risk_reviews
                if day <= TODAY + dt.timedelta(days=30)}
    for lk, im, number, description, is_open in snap.risk_scores:
        code = f"R{number}"
        # Once in the matrix, once in the register, once more in the list of open risks
        # and in the reviews due.
        assert words.count(code) == 2 + is_open + (code in reviewed), code
        assert doc.contains(f"{lk * im} ({lk} × {im})")
        assert doc.contains(description)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_responsibility_matrix_is_a_matrix(build: Callable[..., Doc], snap: ProjectSnapshot,
                                           lang: str) -> None:
    doc = build(lang, Request("report"))
    names = {name for name, _a, _r in snap.responsibilities}
    assert doc.missing(sorted(names)) == []
    with language(lang):
        legend = i18n._("R = responsible, does the work · A = accountable, answers for the "
                        "result (one per activity) · C = consulted · I = informed.")
    assert doc.contains(legend)
    title = next(r.title for r in snap.records if r.key == "responsibilities")
    text = doc.text
    start = text.index(title, text.index(title) + 1)  # the section, not the contents
    matrix = text[start:text.index(legend.split(" · ")[0].replace("\xa0", " "), start)]
    cells = [w for w in matrix.split() if w in ("R", "A", "C", "I")]
    assert len(cells) == len(snap.responsibilities)
    assert cells.count("A") == sum(1 for _n, _a, r in snap.responsibilities
                                   if r == "accountable")


def squeezed(text: str) -> str:
    return "".join(text.split())


def test_names_in_tables_are_not_broken(build: Callable[..., Doc], snap: ProjectSnapshot) -> None:
    doc = build("da", Request("report"))
    words = {w.text for page in doc.words() for w in page}
    for name in {name for name, _a, _r in snap.responsibilities}:
        for part in name.split():
            assert part in words, part


def test_columns_are_as_wide_as_their_longest_word() -> None:
    st = styles()
    records = RecordTable("t", "", (Column("Name", 1), Column("Contact", 1), Column("Notes", 8)),
                          (Row(("Vandenberghe", "els.vandenberghe@kortrijk.example",
                                "Short")),))
    widths = column_widths(records, st, 400)
    assert widths[0] >= stringWidth("Vandenberghe", fonts.REGULAR, st.cell.fontSize)
    assert widths[1] >= stringWidth("els.vandenberghe@kortrijk.example", fonts.REGULAR,
                                    st.cell.fontSize)
    assert sum(widths) == pytest.approx(400)
    # Too narrow for every word: the longest (the address) gives way, the name does not.
    narrow = column_widths(records, st, 200)
    assert narrow[0] >= stringWidth("Vandenberghe", fonts.REGULAR, st.cell.fontSize)
    assert sum(narrow) == pytest.approx(200)


# --- country notes in checklists ---------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("blank", [False, True])
def test_checklists_carry_the_project_countrys_notes(build: Callable[..., Doc],
                                                     snap: ProjectSnapshot, lang: str,
                                                     blank: bool) -> None:
    assert snap.meta.country == "BE"
    with language(lang) as rm:
        act = rm.activity("c2.a3")
        notes = act.notes_for("BE")
        heading = country_note_heading("BE")
        sources = [i18n._("Source: {source}, checked {date}").format(
            source=n.source, date=i18n.format_date(n.checked, "long")) for n in notes]
        others = [n.text for n in act.country_notes if n.country != "BE"]
    assert notes and others
    doc = build(lang, Request("checklist", "c2.a3", blank=blank))
    assert doc.missing([heading, *[n.text for n in notes], *sources]) == []
    assert all(not doc.contains(text) for text in others)
    # Under the guidance, before the guiding questions, as on screen.
    with language(lang):
        questions = i18n._("Guiding questions")
    text = doc.squeezed()
    assert text.index(squeezed(heading)) < text.index(squeezed(questions))


def test_a_checklist_without_a_project_has_no_country_notes(build: Callable[..., Doc]) -> None:
    doc = build("en", Request("checklist", "c2.a3", blank=True), None)
    assert not doc.contains(country_note_heading("BE"))


def test_long_texts_in_the_new_parts_stay_on_the_page() -> None:
    word = "Verkehrszählungsdatenverarbeitungsanlage" * 12  # no space to break at
    prose = " ".join(["Ein Risiko, das lange beschrieben wird, mit vielen Worten."] * 60)
    state = ProjectState(ProjectMeta(id="p", title="Radverkehr", municipality="Bremen",
                                     country="DE"))
    risks = RecordTable("risks", "Risks", (Column("No."), Column("Risk", 4),
                                           Column("Owner"), Column("Score", 1, "right")),
                        (Row(("R1", prose, word[:200], "25 (5 × 5)"), True),
                         Row(("R2", word, "Ann", "4 (2 × 2)"))))
    definition = kpi.Kpi(name=word[:300], unit="Radfahrende", baseline=100,
                         baseline_date=dt.date(2026, 1, 1), target=200,
                         target_date=dt.date(2027, 12, 31))
    data = KpiData(word[:300], "X" * 80, "Radfahrende", word[:120], prose[:400], definition,
                   tuple(kpi.Measurement(dt.date(2026, m, 1), 100 + m * 5)
                         for m in range(1, 13)))
    project = ProjectSnapshot(state, compute(roadmap(), state), (risks,), kpis=(data,),
                              risk_scores=((5, 5, 1, prose, True), (2, 2, 2, word, True)),
                              responsibilities=((word[:90], "c1.a1", "accountable"),))
    doc = Doc(printing.build(Request("report"), roadmap(), project, today=TODAY).data)
    width, height = doc.size
    for page, words in enumerate(doc.words(), 1):
        for found in words:  # inside the margins (18 mm = 51 pt), never off the page
            assert found.x0 >= 45 and found.x1 <= width - 45, (page, found)
            assert found.y0 >= 0 and found.y1 <= height, (page, found)
