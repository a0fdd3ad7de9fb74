"""Printed documents: what they say, how they are built, and that nothing gets lost.

Each kind of document is built once per language (module fixtures) and read back with
pypdf: items and questions present, the project's answers present, outline and contents
pointing at the right pages, every character drawn with a glyph of the embedded DejaVu
font and no base-14 font anywhere.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from d4a_desktop import i18n
from d4a_desktop.core.content import Roadmap
from d4a_desktop.core.progress import compute
from d4a_desktop.core.project import ActivityState, ItemState, ProjectMeta, ProjectState
from d4a_desktop.core.vocab import Condition, Status
from d4a_desktop.services import printing
from d4a_desktop.services.demo import write_demo
from d4a_desktop.services.printing import Cancelled, PrintError, ProjectSnapshot, Request, fonts
from d4a_desktop.services.printing.flowables import Column, RecordTable, Row
from d4a_desktop.services.roadmap import roadmap
from tests.conftest import sha256
from tests.services.pdfcheck import BASE14, Doc

TODAY = dt.date(2027, 3, 1)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("print-demo") / "demo.d4a"
    write_demo(path).close()
    return path


_built: dict[tuple[object, ...], Doc] = {}


@pytest.fixture(scope="module")
def build(demo: Path) -> Iterator[Callable[..., Doc]]:
    """Build a document once per (language, request, project) for the whole module."""

    def make(lang: str, request: Request, project: str | None = "demo") -> Doc:
        key = (lang, request, project)
        if key not in _built:
            i18n.set_language(lang)
            try:
                snap = printing.read_project(demo) if project == "demo" else None
                _built[key] = Doc(printing.build(request, roadmap(), snap, today=TODAY,
                                                 author="Tester").data)
            finally:
                i18n.set_language("en")
        return _built[key]

    yield make
    _built.clear()


def localised(lang: str) -> Roadmap:
    i18n.set_language(lang)
    try:
        return roadmap()
    finally:
        i18n.set_language("en")


def snapshot_of(state: ProjectState, records: tuple[RecordTable, ...] = ()) -> ProjectSnapshot:
    return ProjectSnapshot(state, compute(roadmap(), state), records)


# --- blank checklists ---------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "fr"])
def test_blank_roadmap_checklist_has_every_step(build: Callable[..., Doc], lang: str) -> None:
    doc = build(lang, Request("checklist", blank=True), None)
    rm = localised(lang)
    expected = []
    i18n.set_language(lang)
    try:
        for comp in rm.components:
            expected += [comp.title, comp.goal]
            for act in comp.activities:
                expected += [act.title, act.purpose, *act.questions]
                expected += [item.text for item in act.items]
                expected += [i.condition.label() for i in act.items if i.condition]
    finally:
        i18n.set_language("en")
    assert doc.missing(expected) == []
    items = sum(1 for _i in rm.items())
    assert doc.text.count(fonts.BOX) == items  # one box to tick per item
    assert fonts.TICKED not in doc.text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_blank_checklist_outline_and_contents(build: Callable[..., Doc], lang: str) -> None:
    doc = build(lang, Request("checklist", blank=True), None)
    rm = localised(lang)
    outline = doc.outline()
    expected = []
    for comp in rm.components:
        expected.append((0, f"{comp.number}. {comp.title}"))
        expected += [(1, f"{comp.number}.{a.number} {a.title}") for a in comp.activities]
    assert [(level, title) for level, title, _p in outline] == expected
    pages = [page for _l, _t, page in outline]
    assert pages == sorted(pages) and pages[0] >= 2  # contents first, then in order
    for level, title, page in outline:  # each bookmark opens the page with its heading
        assert doc.contains(title.split(" ", 1)[1]) and \
            title.split(" ", 1)[1].split()[0] in doc.pages[page - 1], (level, title)
    # The contents on page 1 link to the same pages, and print their numbers.
    assert doc.links(1) == pages
    first_page = doc.pages[0]
    for _level, _title, page in outline:
        assert str(page) in first_page
    i18n.set_language(lang)
    try:
        contents = i18n._("Contents")
    finally:
        i18n.set_language("en")
    assert contents in first_page


def test_page_counts_grow_with_the_scope(build: Callable[..., Doc]) -> None:
    one = build("en", Request("checklist", "c3.a1", blank=True), None)
    comp = build("en", Request("checklist", "c3", blank=True), None)
    whole = build("en", Request("checklist", blank=True), None)
    n_one, n_comp, n_whole = (len(d.reader.pages) for d in (one, comp, whole))
    assert 1 <= n_one <= 3
    assert n_one < n_comp < n_whole
    rm = roadmap()
    assert n_whole >= len(rm.components) + 1
    assert n_whole <= 3 * sum(1 for _a in rm.activities()) + 2


def test_blank_activity_checklist_is_a_workshop_sheet(build: Callable[..., Doc]) -> None:
    doc = build("en", Request("checklist", "c3.a1", blank=True), None)
    act = roadmap().activity("c3.a1")
    assert doc.missing([act.title, act.purpose, *act.questions,
                        *(i.text for i in act.items)]) == []
    for label in ("Project:", "Date:", "Participants:", "Owner:", "Due date:", "Notes:"):
        assert label in doc.text
    assert doc.text.count("Owner:") == len(act.items)
    # Each item's writing lines stand below its box and above the next item's box.
    boxes_seen = 0
    for words in doc.words():
        boxes = [w.y0 for w in words if w.text == fonts.BOX]
        boxes_seen += len(boxes)
        for label in ("Owner:", "Due", "Notes:"):
            found = sorted(w.y0 for w in words if w.text == label)
            assert len(found) == len(boxes), label
            for n, y in enumerate(found):
                below = boxes[n + 1] if n + 1 < len(boxes) else 10_000
                assert boxes[n] < y < below, label
    assert boxes_seen == len(act.items)
    assert [(level, title) for level, title, _p in doc.outline()] == [
        (0, f"3.1 {act.title}")]
    conditional = [i for i in act.items if i.condition]
    assert conditional, "c3.a1 has conditional items to show"
    for item in conditional:
        assert doc.contains(item.condition.label())


def test_blank_checklist_for_a_project_leaves_out_what_does_not_apply(
        build: Callable[..., Doc]) -> None:
    doc = build("en", Request("checklist", "c4", blank=True), "demo")
    rm = roadmap()
    assert doc.contains("Data-driven cycling policy — Kortrijk")
    ai = rm.activity("c4.a5")  # only when algorithms or AI are used: the demo says no
    assert ai.condition is Condition.ALGORITHMS_AI
    assert not doc.contains(ai.title)
    assert doc.contains(rm.activity("c4.a1").title)
    assert fonts.TICKED not in doc.text


# --- filled checklists --------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "fr"])
def test_filled_checklist_shows_the_answers(build: Callable[..., Doc], demo: Path,
                                            lang: str) -> None:
    doc = build(lang, Request("checklist"), "demo")
    snap = printing.read_project(demo)
    rm = localised(lang)
    state = snap.state
    i18n.set_language(lang)
    try:
        overdue = i18n._("overdue")
        expected_dates = [i18n.format_date(s.due_date) for s in state.items.values()
                          if s.due_date]
    finally:
        i18n.set_language("en")
    owners = {s.owner for s in state.items.values() if s.owner}
    notes = [s.note for s in state.items.values() if s.note]
    assert doc.missing(sorted(owners)) == []
    assert doc.missing(notes) == []
    assert doc.missing(expected_dates) == []
    assert doc.contains(state.meta.title)
    done = [i for i in rm.items() if state.item(i.id).done and state.applies(i.condition)
            and i.activity_id not in snap.progress.excluded]
    assert doc.text.count(fonts.TICKED) == len(done)
    late = [s for s in state.items.values()
            if s.due_date and s.due_date < TODAY and not s.done]
    assert late and doc.text.count(overdue) == len(late)
    reason = state.activity("c6.a3").na_reason
    assert doc.contains(reason)


def test_filled_activity_shows_status_and_progress(build: Callable[..., Doc],
                                                   demo: Path) -> None:
    doc = build("en", Request("checklist", "c3.a1"), "demo")
    tally = printing.read_project(demo).progress.activities["c3.a1"]
    assert 0 < tally.done < tally.total
    assert "Status: In progress" in doc.text
    assert doc.contains(f"{tally.done} of {tally.total} items done "
                        f"({i18n.format_percent(tally.fraction)})")
    assert f"Printed on {i18n.format_date(TODAY, 'long')}" in doc.text
    # An item that does not apply keeps the note written on it.
    assert doc.contains("Telraam counts are anonymous at the source")
    assert doc.contains("does not apply to this project")


# --- running header, footer and metadata --------------------------------------------------

@pytest.mark.parametrize(("lang", "date"), [("en", "March 1, 2027"), ("da", "1. marts 2027"),
                                            ("fr", "1 mars 2027")])
def test_every_page_has_header_and_footer(build: Callable[..., Doc], lang: str,
                                          date: str) -> None:
    doc = build(lang, Request("checklist", "c2"), "demo")
    pages = len(doc.reader.pages)
    i18n.set_language(lang)
    try:
        page_words = [i18n._("Page {page} of {pages}").format(page=n, pages=pages)
                      for n in range(1, pages + 1)]
    finally:
        i18n.set_language("en")
    for n, text in enumerate(doc.pages):
        assert page_words[n] in text
        assert date in text
        assert "Data-driven cycling policy — Kortrijk" in text


def test_pdf_metadata(build: Callable[..., Doc]) -> None:
    doc = build("fr", Request("report"), "demo")
    meta = doc.reader.metadata
    assert meta.title == "Rapport de projet\u00a0: Data-driven cycling policy"
    assert meta.author == "Tester"
    assert meta.subject
    assert doc.reader.trailer["/Root"]["/Lang"] == "fr"
    en = build("en", Request("checklist", "c3.a1", blank=True), None)
    assert en.reader.metadata.title == "Checklist: 3.1 " + roadmap().activity("c3.a1").title
    assert en.reader.trailer["/Root"]["/Lang"] == "en"


# --- fonts -------------------------------------------------------------------------------

KINDS = [Request("checklist", blank=True), Request("checklist"),
         Request("worksheet", "ethics-canvas"), Request("worksheet", "technology-scorecard"),
         Request("worksheet", "dpia-screening"), Request("worksheet", "maturity-self-check"),
         Request("worksheet", "data-inventory"), Request("report")]


@pytest.mark.parametrize("request_", KINDS, ids=lambda r: f"{r.kind}-{r.scope}-{r.blank}")
def test_only_the_embedded_font_is_used(build: Callable[..., Doc], request_: Request) -> None:
    doc = build("da", request_, None if request_.blank else "demo")
    names = set()
    for font in doc.fonts():
        base = str(font["/BaseFont"]).lstrip("/")
        names.add(base.split("+", 1)[-1])
        assert base.split("+", 1)[-1] not in BASE14
        assert font["/Subtype"] == "/TrueType"
    assert names <= {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique",
                     "DejaVuSans-BoldOblique"}
    assert doc.glyph_problems() == []
    assert "\x00" not in doc.text and "\ufffd" not in doc.text


def tricky_project() -> ProjectSnapshot:
    """Every character Helvetica turns into a square, in the user's own text."""
    meta = ProjectMeta(id="p", title="Fietstelling ĳsselmonde ☑ ☐ – 12\u202f345 €",
                       municipality="Zwĳndrecht", country="NL")
    items = {"c1.a1.i1": ItemState("c1.a1.i1", done=True, owner="Eléonore Ødegård",
                                   note="Årlig måling, «Straße» · ĳ\u202f%")}
    return snapshot_of(ProjectState(meta, {}, items, {}))


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_special_characters_come_through(lang: str) -> None:
    snap = tricky_project()
    i18n.set_language(lang)
    try:
        pdf = printing.build(Request("checklist", "c1.a1"), roadmap(), snap, today=TODAY)
        percent = i18n.format_percent(1 / 7)
    finally:
        i18n.set_language("en")
    doc = Doc(pdf.data)
    exact = doc.exact_text().replace("\n", " ")
    # reportlab keeps a no-break space unbroken and draws it with the space glyph.
    for text in (snap.meta.title, snap.meta.municipality, "Eléonore Ødegård",
                 "Årlig måling, «Straße» · ĳ\u202f%", percent.replace("\xa0", " ")):
        assert text in exact, ascii(text)
    assert "12\u202f345" in exact
    for ch in set(exact) - set("\n"):
        assert not fonts.missing_glyphs(ch), ch
    assert doc.glyph_problems() == []
    assert fonts.missing_glyphs(fonts.SYMBOLS + "ĳ\u202fæøåÆØÅéèêëçœäöüßÄÖÜ€–—«»") == set()


# --- worksheets --------------------------------------------------------------------------

def test_every_tool_prints_its_fields_and_choices(build: Callable[..., Doc]) -> None:
    rm = localised("da")
    for tool in rm.tools:
        doc = build("da", Request("worksheet", tool.id), None)
        expected = [tool.title]
        for section in tool.sections:  # the canvas names its groups in capitals
            expected.append(section.title.upper() if tool.kind == "canvas" else section.title)
            for fld in section.fields:
                expected.append(fld.label)
                expected += [o.label for o in fld.options]
        assert doc.missing(expected) == [], tool.id
        fields = [f for s in tool.sections for f in s.fields]
        choices = sum(len(f.options) for f in fields if f.type in ("choice", "multichoice"))
        yesno = sum(1 for f in fields if f.type == "yesno")
        boxes = choices + 2 * yesno
        repeats = [s for s in tool.sections if s.repeating]
        if not repeats:
            assert doc.text.count(fonts.BOX) == boxes, tool.id
        scales = [f for f in fields if f.type == "scale"]
        if scales and not repeats:
            assert doc.text.count(fonts.CIRCLE) >= len(scales) * 2, tool.id
        if tool.credit and tool.kind != "canvas":
            assert doc.contains(tool.credit), tool.id


def test_scorecard_scales_have_circles(build: Callable[..., Doc]) -> None:
    doc = build("en", Request("worksheet", "technology-scorecard"), None)
    tool = roadmap().tool("technology-scorecard")
    assert tool is not None
    levels = len(tool.scales[0].levels)
    scale_fields = sum(1 for s in tool.sections for f in s.fields if f.type == "scale")
    copies = 2 if len(tool.sections[1].fields) <= 10 else 1
    # The legend shows each level once; each scale field offers every level.
    assert doc.text.count(fonts.CIRCLE) == levels + scale_fields * levels * copies


@pytest.mark.parametrize(("paper", "size"), [("", (1190.55, 841.89)), ("a4", (841.89, 595.28)),
                                             ("letter", (792.0, 612.0))])
def test_ethics_canvas_is_one_landscape_page(build: Callable[..., Doc], paper: str,
                                             size: tuple[float, float]) -> None:
    doc = build("fr", Request("worksheet", "ethics-canvas", paper=paper), None)
    assert len(doc.reader.pages) == 1
    assert doc.size == pytest.approx(size, abs=0.1)
    tool = localised("fr").tool("ethics-canvas")
    assert tool is not None
    boxes = [f.label for s in tool.sections for f in s.fields]
    assert len(boxes) == 15
    assert doc.missing([*boxes, tool.title, tool.credit]) == []
    assert "CC BY-SA 4.0" in doc.text
    for word in doc.words()[0]:
        assert word.x0 >= 0 and word.x1 <= size[0] - 20, word


def test_worksheet_with_a_project_is_headed_with_it(build: Callable[..., Doc]) -> None:
    doc = build("en", Request("worksheet", "dpia-screening"), "demo")
    assert doc.contains("Data-driven cycling policy — Kortrijk")
    assert doc.reader.metadata.title.endswith("Data-driven cycling policy")


# --- the report ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "da"])
def test_report_sections(build: Callable[..., Doc], demo: Path, lang: str) -> None:
    doc = build(lang, Request("report"), "demo")
    snap = printing.read_project(demo)
    rm = localised(lang)
    i18n.set_language(lang)
    try:
        t = i18n._
        sections = [t("Summary"), t("Progress per component"), t("Progress per dimension"),
                    t("Activities"), t("Open items with a due date"), t("Open work per owner")]
        statuses = {snap.state.activity(a.id).status.label() for a in rm.activities()
                    if a.id not in snap.progress.excluded}
        dims = [d.label() for d in snap.progress.dimensions]
        overall = i18n.format_percent(snap.progress.overall.fraction)
    finally:
        i18n.set_language("en")
    assert [title for level, title, _p in doc.outline() if level == 0][:6] == sections
    assert doc.missing(sections + sorted(statuses) + dims + [overall]) == []
    assert doc.missing([f"{c.number}. {c.title}" for c in rm.components]) == []
    assert doc.missing([f"{c.number}.{a.number} {a.title}" for c in rm.components
                        for a in c.activities]) == []
    assert doc.contains("Interreg North Sea · Data for All (D4A)")
    assert doc.contains("Kortrijk (BE)")
    first = doc.pages[0]
    assert "Page 1 of" not in first and "Side 1 af" not in first  # the cover is plain
    assert len(doc.reader.pages) >= 3


def test_report_prints_the_records_a_project_has() -> None:
    state = ProjectState(ProjectMeta(id="p", title="Climate", municipality="Vejle",
                                     country="DK"))
    team = RecordTable("team", "Team", (Column("Name", 2), Column("Role", 3)),
                       (Row(("Mette Hansen", "Project manager")),
                        Row(("Lars Berg", "Data engineer"))))
    risks = RecordTable("risks", "Risks", (Column("Risk"),), ())
    doc = Doc(printing.build(Request("report"), roadmap(), snapshot_of(state, (team, risks)),
                             today=TODAY).data)
    assert ("Team" in [t for _l, t, _p in doc.outline()])
    assert doc.missing(["Mette Hansen", "Project manager", "Lars Berg"]) == []
    assert "Risks" not in [t for _l, t, _p in doc.outline()]  # no rows, no section
    assert "Open work per owner" not in doc.text  # nobody owns anything yet


# --- long and odd input -------------------------------------------------------------------

def test_long_texts_wrap_or_are_cut_and_stay_on_the_page() -> None:
    word = "Datenschutzfolgenabschätzungsverfahren" * 60  # no space to break at
    prose = " ".join(["Eine sehr lange Notiz über den Stand der Dinge."] * 400)
    meta = ProjectMeta(id="p", title="T" * 500, municipality="M" * 300, country="DE")
    items = {"c1.a1.i1": ItemState("c1.a1.i1", owner=word[:400], note=word,
                                   due_date=dt.date(2020, 1, 1)),
             "c1.a1.i2": ItemState("c1.a1.i2", note=prose)}
    snap = snapshot_of(ProjectState(meta, {"c1.a1": ActivityState(
        "c1.a1", Status.IN_PROGRESS)}, items, {}))
    for request in (Request("checklist", "c1.a1"), Request("report")):
        pdf = printing.build(request, roadmap(), snap, today=TODAY)
        doc = Doc(pdf.data)
        width, height = doc.size
        for page, words in enumerate(doc.words(), 1):
            for word in words:  # inside the margins (18 mm = 51 pt), never off the page
                assert word.x0 >= 45 and word.x1 <= width - 45, (page, word)
                assert word.y0 >= 0 and word.y1 <= height, (page, word)
        assert "…" in doc.text  # what was cut says so
    checklist = Doc(printing.build(Request("checklist", "c1.a1"), roadmap(), snap,
                                   today=TODAY).data)
    assert len(checklist.reader.pages) >= 2  # the long note flows over pages, not off them
    assert checklist.contains(prose[:3900])
    assert checklist.contains("(cut short: 15,")
    assert checklist.contains("more characters in the project)")


# --- requests, progress and cancelling -----------------------------------------------------

@pytest.mark.parametrize(("request_", "wrong", "valid"), [
    (Request("checklist", "c9.a1"), "c9.a1", "c6.a4"),
    (Request("checklist", "c9"), "c9", "c6"),
    (Request("worksheet", "canvas"), "canvas", "ethics-canvas"),
    (Request("worksheet", "ethics-canvas", paper="a5"), "a5", "letter"),
])
def test_unknown_ids_name_the_valid_ones(request_: Request, wrong: str, valid: str) -> None:
    with pytest.raises(PrintError) as caught:
        printing.build(request_, roadmap())
    assert wrong in caught.value.message and valid in caught.value.message


def test_a_report_needs_a_project() -> None:
    with pytest.raises(PrintError):
        printing.build(Request("report"), roadmap())


def test_progress_is_reported_and_can_cancel() -> None:
    seen: list[float] = []
    printing.build(Request("checklist", "c1", blank=True), roadmap(), progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen) and len(seen) > 10

    def stop(fraction: float) -> None:
        if fraction > 0.3:
            raise Cancelled

    with pytest.raises(Cancelled):
        printing.build(Request("checklist", blank=True), roadmap(), progress=stop)


def test_suggested_names() -> None:
    rm = roadmap()
    assert printing.suggested_name(Request("checklist", "c3.a1"), rm, None) == \
        "Checklist 3.1.pdf"
    snap = tricky_project()
    name = printing.suggested_name(Request("report"), rm, snap)
    assert name.endswith(".pdf") and "/" not in name and name.startswith("Report - ")


# --- writing the file ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def small_pdf() -> printing.Pdf:
    return printing.build(Request("checklist", "c1.a1", blank=True), roadmap(), today=TODAY)


def test_write_pdf(tmp_path: Path, small_pdf: printing.Pdf) -> None:
    target = tmp_path / "out.pdf"
    printing.write_pdf(target, small_pdf)
    assert target.read_bytes() == small_pdf.data
    assert small_pdf.data.startswith(b"%PDF-")


def test_write_to_a_missing_folder(tmp_path: Path, small_pdf: printing.Pdf) -> None:
    with pytest.raises(PrintError) as caught:
        printing.write_pdf(tmp_path / "nowhere" / "out.pdf", small_pdf)
    assert "does not exist" in caught.value.message
    assert str(tmp_path / "nowhere") in caught.value.message
    assert not (tmp_path / "nowhere").exists()


def test_write_onto_a_folder(tmp_path: Path, small_pdf: printing.Pdf) -> None:
    with pytest.raises(PrintError) as caught:
        printing.write_pdf(tmp_path, small_pdf)
    assert "is a folder" in caught.value.message


@pytest.mark.parametrize(("code", "words"), [(errno.ENOSPC, "disk is full"),
                                             (errno.EACCES, "may not write"),
                                             (errno.EROFS, "read-only drive")])
def test_write_failures_leave_no_partial_file(tmp_path: Path, small_pdf: printing.Pdf,
                                              monkeypatch: pytest.MonkeyPatch, code: int,
                                              words: str) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"the old file")
    before = sha256(target)

    def fail(_fd: int) -> None:
        exc_type = PermissionError if code == errno.EACCES else OSError
        raise exc_type(code, os.strerror(code))

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(PrintError) as caught:
        printing.write_pdf(target, small_pdf)
    assert words in caught.value.message
    assert sha256(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


def test_printing_leaves_the_project_file_untouched(demo: Path) -> None:
    before = sha256(demo)
    snap = printing.read_project(demo)
    printing.build(Request("report"), roadmap(), snap, today=TODAY)
    assert sha256(demo) == before


def test_fonts_are_where_the_wheel_expects_them() -> None:
    from d4a_desktop import paths

    folder = paths.resources_dir() / "fonts"
    for file in fonts.FILES.values():
        assert (folder / file).is_file()
    assert "Bitstream Vera" in (folder / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")
