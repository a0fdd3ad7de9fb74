"""The register pages: model, filter and sort, the form, and add/edit/delete/undo for every
declared kind (a new kind is tested by being declared)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog

from d4a_desktop.core import kinds
from d4a_desktop.core.commands import CreateRecord
from d4a_desktop.core.records import Field, FieldType, Kind, Record
from d4a_desktop.gui import records as records_gui
from d4a_desktop.gui.mainwindow import MainWindow
from d4a_desktop.gui.models import REGISTER_PAGES
from d4a_desktop.gui.records import (
    Lookups,
    RecordForm,
    RecordIdRole,
    RecordTableModel,
    RegisterPage,
)
from d4a_desktop.services import records as records_service
from d4a_desktop.services.demo import write_demo
from d4a_desktop.services.projects import NewProject, create_project
from d4a_desktop.services.roadmap import roadmap

T = FieldType
#: The registers with a page built from their declaration (the KPIs have their own page).
PAGE_KINDS = [kinds.kind(name) for name in REGISTER_PAGES]


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An empty project and the demo, written once; each test opens its own copy."""
    folder = tmp_path_factory.mktemp("templates")
    empty = folder / "empty.d4a"
    create_project(empty, NewProject("Registers", "Vejle", "DK"), author="t").close()
    demo = folder / "demo.d4a"
    write_demo(demo).close()
    return {"empty": empty, "demo": demo}


@pytest.fixture
def empty_file(templates: dict[str, Path], tmp_path: Path) -> Path:
    return Path(shutil.copy(templates["empty"], tmp_path / "empty.d4a"))


@pytest.fixture
def demo_file(templates: dict[str, Path], tmp_path: Path) -> Path:
    return Path(shutil.copy(templates["demo"], tmp_path / "demo.d4a"))


def _record(kind: str, **values: Any) -> Record:
    return Record(kind, values.pop("id", f"{kind}-{len(values)}"), values)


# --- the model ------------------------------------------------------------------------------

def test_models_pass_the_model_tester(qtmodeltester, demo_file: Path, home: Path) -> None:
    from d4a_desktop.gui.matrix import MatrixModel, MemberFilter
    from d4a_desktop.services.projects import open_project

    session = open_project(demo_file)
    try:
        lookups = Lookups(roadmap())
        for kind in PAGE_KINDS:
            lookups.load_titles(session, records_gui.referenced_kinds(kind))
            records = session.records(kind.name)
            model = RecordTableModel(kind, lookups)
            model.set_records(records)
            assert model.rowCount() == len(records) > 0
            # Checked, and watched while it is sorted and filtered and shows all again.
            qtmodeltester.check(model, force_py=True)
            words = _a_filter(model, records)
            model.sort(0, Qt.SortOrder.DescendingOrder)
            model.set_filter_text("")
            assert model.rowCount() == model.total
            # Checked while filtered: fewer rows than records.
            filtered = RecordTableModel(kind, lookups)
            filtered.set_records(records)
            filtered.sort(0)
            filtered.set_filter_text(words)
            assert 0 < filtered.rowCount() < filtered.total == len(records)
            qtmodeltester.check(filtered, force_py=True)
        matrix = MatrixModel(lookups)
        matrix.set_contents(session.records("team"), session.records("responsibilities"))
        qtmodeltester.check(matrix, force_py=True)
        members = MemberFilter()
        members.setSourceModel(matrix)
        members.set_filter_text(matrix.headerData(0, Qt.Orientation.Vertical))  # a name
        assert 0 < members.rowCount() < matrix.rowCount()
        qtmodeltester.check(members, force_py=True)
    finally:
        session.close()


def _a_filter(model: RecordTableModel, records: list[Record]) -> str:
    """A filter that shows some of the records but not all (the text of a cell)."""
    model.set_filter_text("")
    texts = [model.index(row, col).data() for row in range(model.rowCount())
             for col in range(model.columnCount())]
    for text in texts:
        model.set_filter_text(text)
        if 0 < model.rowCount() < model.total:
            return text
    raise AssertionError("every text is found in every record")


def test_a_model_of_summaries_passes_the_tester_and_reads_whole_records(
        qtmodeltester, demo_file: Path, home: Path) -> None:
    from d4a_desktop.services.projects import open_project

    session = open_project(demo_file)
    try:
        kind = kinds.kind("datasets")
        fields = records_gui.summary_fields(kind)
        assert fields is not None and "title" in fields and "description" not in fields
        whole = session.records("datasets")
        reads: list[str | None] = []

        def read(record_id: str | None) -> list[Record]:
            reads.append(record_id)
            return [r for r in whole if record_id in (None, r.id)]

        model = RecordTableModel(kind, Lookups(roadmap()))
        model.set_records(session.records("datasets", fields), read=read)
        model.sort([c.name for c in model.columns].index("title"))
        qtmodeltester.check(model, force_py=True)
        row = model.row_of(whole[3].id)
        assert model.record(row) == whole[3] and reads == [whole[3].id]
        assert model.record(row) == whole[3] and reads == [whole[3].id]  # read once
        assert sorted(model.records(), key=lambda r: r.id) == sorted(whole, key=lambda r: r.id)
        assert reads == [whole[3].id, None]
        model.complete()
        assert reads == [whole[3].id, None]
        qtmodeltester.check(model, force_py=True)
    finally:
        session.close()


def test_rows_read_with_what_they_sort_by_get_the_rest_when_painted() -> None:
    """A page opens with every record's sort fields; a row gets the table's fields when it
    is first shown (with the rows after it, one read), all rows when the table is sorted
    by another of its columns, and whole records when a hidden column is sorted by."""
    kind = kinds.kind("datasets")
    table = records_gui.summary_fields(kind)
    assert table is not None and "publisher" in table and "format" not in table
    whole = [_record("datasets", id=f"d{n:03d}", title=f"Set {n:03d}", publisher=f"P{n % 7}",
                     format=f"F{n % 5}", description="x", themes=(), owner_person="",
                     licence="", personal_data=None, publication_status="")
             for n in range(150)]
    some = [Record("datasets", r.id, {k: r.get(k) for k in records_gui.first_fields(kind)})
            for r in whole]
    asked: list[tuple[str, int | None]] = []

    def read_table(ids: Any) -> list[Record]:
        asked.append(("table", None if ids is None else len(ids)))
        return [Record("datasets", r.id, {k: r.get(k) for k in table}) for r in whole
                if ids is None or r.id in ids]

    def read(record_id: str | None) -> list[Record]:
        asked.append(("whole", None))
        return [r for r in whole if record_id in (None, r.id)]

    model = RecordTableModel(kind, Lookups(roadmap()))
    model.set_records(some, read=read, read_table=read_table)
    names = [c.name for c in model.columns]
    publisher = names.index("publisher")
    model.sort(names.index("title"))
    assert asked == []  # sorted by title: read with the page
    assert model.index(0, publisher).data() == "P0" and asked == [("table", 64)]
    assert model.index(5, publisher).data() == "P5" and len(asked) == 1  # same block
    assert model.index(100, publisher).data() == f"P{100 % 7}"
    assert asked == [("table", 64), ("table", 50)]
    model.sort(publisher, Qt.SortOrder.DescendingOrder)
    assert asked[-1] == ("table", None)
    shown = [model.index(r, publisher).data() for r in range(model.rowCount())]
    assert shown == sorted(shown, reverse=True) and shown[0] == "P6"
    model.sort(names.index("format"))  # a hidden column: every record whole
    assert asked[-1] == ("whole", None)
    formats = [model.record(r).get("format") for r in range(model.rowCount())]
    assert formats == sorted(formats)


def test_cells_say_what_deserves_attention() -> None:
    """An open high risk's score and a passed review date are in the warning colour,
    numbers are right-aligned, other cells are left alone; each row names its record."""
    model = RecordTableModel(kinds.kind("risks"), Lookups(roadmap()))
    model.set_records([
        _record("risks", id="high", description="Flood", likelihood=5, impact=5,
                status="open", review_date=dt.date(2000, 1, 1)),
        _record("risks", id="low", description="Rain", likelihood=1, impact=1,
                status="open", review_date=dt.date(2999, 1, 1))])
    names = [c.name for c in model.columns]
    score, review, text = (names.index(n) for n in ("score", "review_date", "description"))
    high, low = model.row_of("high"), model.row_of("low")
    fore = Qt.ItemDataRole.ForegroundRole
    for row, col in ((high, score), (high, review)):
        assert model.index(row, col).data(fore).color() == records_gui.WARNING
    for row, col in ((low, score), (low, review), (high, text)):
        assert model.index(row, col).data(fore) is None
    align = Qt.ItemDataRole.TextAlignmentRole
    assert model.index(low, score).data(align) == int(Qt.AlignmentFlag.AlignRight
                                                      | Qt.AlignmentFlag.AlignVCenter)
    assert model.index(low, text).data(align) is None
    assert model.index(high, score).data() == "25"
    assert model.index(high, text).data(RecordIdRole) == "high"
    assert model.index(high, text).data(Qt.ItemDataRole.DecorationRole) is None
    assert not model.index(2, 0).isValid() and not model.index(0, len(names)).isValid()


def test_a_painted_cell_is_one_call_for_its_text_alignment_and_colour(qtbot) -> None:
    """The view's delegate asks a cell's roles at once (``multiData``), not role by role
    through ``data``; what it gets is what ``data`` says."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

    asked: list[int] = []

    class Counting(RecordTableModel):
        def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
            asked.append(role)
            return super().data(index, role)

    model = Counting(kinds.kind("risks"), Lookups(roadmap()))
    model.set_records([
        _record("risks", id="high", description="Flood", likelihood=5, impact=5,
                status="open", review_date=dt.date(2000, 1, 1)),
        _record("risks", id="low", description="Rain", likelihood=1, impact=1,
                status="open")])
    names = [c.name for c in model.columns]
    delegate = QStyledItemDelegate()

    def painted(record_id: str, name: str) -> QStyleOptionViewItem:
        option = QStyleOptionViewItem()
        delegate.initStyleOption(option, model.index(model.row_of(record_id),
                                                      names.index(name)))
        return option

    high_score, low_score = painted("high", "score"), painted("low", "score")
    text = painted("low", "description")
    assert asked == []  # never role by role
    assert (high_score.text, low_score.text, text.text) == ("25", "1", "Rain")
    assert high_score.palette.color(QPalette.ColorRole.Text) == records_gui.WARNING
    assert low_score.palette.color(QPalette.ColorRole.Text) != records_gui.WARNING
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    assert low_score.displayAlignment == right and text.displayAlignment != right
    assert painted("high", "review_date").palette.color(QPalette.ColorRole.Text) == \
        records_gui.WARNING
    assert text.features & QStyleOptionViewItem.ViewItemFeature.HasDisplay
    assert not text.features & QStyleOptionViewItem.ViewItemFeature.HasDecoration


def test_cells_are_painted_as_qts_own_delegate_paints_them(qtbot) -> None:
    """The register's delegate draws kept texts; the pixels are those of Qt's delegate:
    elided long text, accents, right-aligned numbers, the warning colour, right-to-left
    text, a selected row, and again after the font changed."""
    from PySide6.QtGui import QFont, QImage
    from PySide6.QtWidgets import QStyledItemDelegate

    page = RegisterPage(kinds.kind("risks"), Lookups(roadmap()))
    qtbot.addWidget(page)
    texts = ["Flood", "Ærgerlig forsinkelse på Østergade", "Überschwemmung der Straße",
             "Une très longue description qui déborde largement de la colonne prévue " * 3,
             "שלום mixed", "", "Ĳsselmeer"]
    page.model.set_records([
        _record("risks", id=f"r{n}", description=text, owner=text[:12],
                likelihood=n % 6 or None, impact=5, status="open",
                review_date=dt.date(2000 + 20 * (n % 2), 1, 1))
        for n, text in enumerate(texts * 2)])
    page.resize(1200, 600)
    page.show()
    qtbot.waitExposed(page)
    ours = page.table.itemDelegate()
    assert isinstance(ours, records_gui.CellDelegate)
    qt = QStyledItemDelegate(page.table)

    def painted(delegate: QStyledItemDelegate) -> QImage:
        page.table.setItemDelegate(delegate)
        return page.table.viewport().grab().toImage()

    def compare() -> None:
        first, again = painted(ours), painted(ours)  # drawn, then from kept layouts
        assert first == painted(qt) and again == first
        assert any(laid is not None for laid in ours._texts.values())  # kept texts drawn

    compare()
    page.table.selectRow(2)
    compare()
    # Keys in the table are the table's (the delegate watches it, but as no editor).
    for key in (Qt.Key.Key_Escape, Qt.Key.Key_Tab, Qt.Key.Key_Down):
        QTest.keyClick(page.table, key)
    assert page.table.currentIndex().row() == 3
    font = QFont(page.table.font())
    font.setPointSize(font.pointSize() + 3)
    page.table.setFont(font)
    compare()


def test_every_cell_shows_its_own_value() -> None:
    """Texts are kept per value of a column (a choice is translated once): each cell still
    shows its own record's value."""
    kind = kinds.kind("datasets")
    lookups = Lookups(roadmap())
    model = RecordTableModel(kind, lookups)
    values = [(True, ("tran",), "cc-by-4-0"), (False, ("envi", "tran"), ""),
              (None, (), "cc0-1-0"), (False, ("tran",), "cc-by-4-0"), (True, (), "")]
    model.set_records([_record("datasets", id=str(n), title=f"T{n}", personal_data=yes,
                               themes=themes, licence=licence)
                       for n, (yes, themes, licence) in enumerate(values)])
    names = [c.name for c in model.columns]
    for name in ("personal_data", "themes", "licence"):
        f = kind.field(name)
        for n in range(len(values)):
            row = model.row_of(str(n))
            record = model.record(row)
            assert model.index(row, names.index(name)).data() == \
                records_gui.cell_text(f, record.get(name), lookups)
    assert {model.index(r, names.index("personal_data")).data()
            for r in range(model.rowCount())} == {"Yes", "No", ""}


def _sorted_column(model: RecordTableModel, name: str,
                   order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> list[str]:
    column = [c.name for c in model.columns].index(name)
    model.sort(column, order)
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_sorting_follows_the_values_not_their_text() -> None:
    model = RecordTableModel(kinds.kind("risks"), Lookups(roadmap()))
    model.set_records([
        _record("risks", id="a", description="Flood", likelihood=2, impact=5,
                review_date=dt.date(2027, 2, 1)),
        _record("risks", id="b", description="ärger", likelihood=10 // 2, impact=1,
                review_date=dt.date(2026, 12, 1)),
        _record("risks", id="c", description="Zebra", likelihood=None, impact=None,
                review_date=None),
        _record("risks", id="d", description="apple", likelihood=1, impact=4,
                review_date=dt.date(2027, 11, 30)),
    ])
    # Dates by date ("Dec 1, 2026" before "Feb 1, 2027"), empty last.
    assert _sorted_column(model, "review_date") == [
        "Dec 1, 2026", "Feb 1, 2027", "Nov 30, 2027", ""]
    # Numbers by number, the computed score too.
    assert _sorted_column(model, "likelihood") == ["1", "2", "5", ""]
    assert _sorted_column(model, "score", Qt.SortOrder.DescendingOrder)[:3] == ["10", "5", "4"]
    # Text as the language sorts it: case and accents do not put ä after z.
    assert _sorted_column(model, "description") == ["apple", "ärger", "Flood", "Zebra"]
    # Rows added after the column's keys were made sort among them; empty text last.
    model.put("e", _record("risks", id="e", description=""))
    model.put("f", _record("risks", id="f", description="Äpfel"))
    assert _sorted_column(model, "description") == [
        "Äpfel", "apple", "ärger", "Flood", "Zebra", ""]
    assert _sorted_column(model, "description", Qt.SortOrder.DescendingOrder) == [
        "Zebra", "Flood", "ärger", "apple", "Äpfel", ""]


def test_choices_sort_in_their_declared_order() -> None:
    model = RecordTableModel(kinds.kind("team"), Lookups(roadmap()))
    model.set_records([_record("team", id=str(n), name=f"P{n}", influence=level)
                       for n, level in enumerate(("high", "low", "", "medium"))])
    assert _sorted_column(model, "influence") == ["Low", "Medium", "High", ""]


def test_filter_matches_every_word_in_any_field_ignoring_case_and_accents() -> None:
    model = RecordTableModel(kinds.kind("datasets"), Lookups(roadmap()))
    model.set_records([
        _record("datasets", id="1", title="Telraam counts", description="Cyclists per hour",
                themes=("tran",)),
        _record("datasets", id="2", title="Weather", description="Pluie et vent à Courtrai"),
        _record("datasets", id="3", title="Parking", publisher="Parko"),
    ])

    def shown(text: str) -> set[str]:
        model.set_filter_text(text)
        return {model.index(r, 0).data(RecordIdRole) for r in range(model.rowCount())}

    assert shown("") == {"1", "2", "3"}
    assert shown("CYCLISTS") == {"1"}            # a hidden column (description) counts
    assert shown("a courtrai") == {"2"}          # accents ignored: "à", every word needed
    assert shown("transport telraam") == {"1"}   # a choice is found by its label
    assert shown("nothing here") == set()


def test_one_changed_record_repaints_one_row(qtbot) -> None:
    model = RecordTableModel(kinds.kind("milestones"), Lookups(roadmap()))
    model.set_records([_record("milestones", id=str(n), name=f"M{n}",
                               date=dt.date(2027, 1, n + 1)) for n in range(5)])
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b, _r=(): changed.append((a.row(), b.row())))
    with qtbot.assertNotEmitted(model.modelReset):
        model.put("3", _record("milestones", id="3", name="Renamed", date=dt.date(2027, 1, 4)))
        assert changed == [(3, 3)]
        assert model.index(3, 1).data() == "Renamed"
        with qtbot.waitSignal(model.rowsInserted):
            model.put("9", _record("milestones", id="9", name="New", date=dt.date(2027, 2, 1)))
        with qtbot.waitSignal(model.rowsRemoved):
            model.put("1", None)
    assert [model.record(r).id for r in range(model.rowCount())] == ["0", "2", "3", "4", "9"]
    assert model.row_of("9") == 4 and model.row_of("1") == -1


# --- the form -------------------------------------------------------------------------------

def test_form_builds_an_editor_per_field_with_help_and_required_marks(qtbot) -> None:
    kind = kinds.kind("datasets")
    form = RecordForm(kind, Lookups(roadmap()))
    qtbot.addWidget(form)
    assert set(form.editors) == {f.name for f in kind.fields}
    assert not form.ok.isEnabled()  # the required title is empty
    assert not form.errors["title"].isVisibleTo(form)  # not touched yet: no scolding
    form.editors["title"].set_value("Bike counts")
    form._edited("title")
    assert form.ok.isEnabled()
    form.editors["title"].set_value("")
    form._edited("title")
    assert not form.ok.isEnabled()
    assert form.errors["title"].isVisibleTo(form) and "required" in form.errors["title"].text()
    types = {f.name: type(form.editors[f.name]).__name__ for f in kind.fields}
    assert types["themes"] == "_CheckListEditor" and types["personal_data"] == "_ComboEditor"
    assert types["temporal_start"] == "_DateEditor"
    assert types["description"] == "_LongTextEditor"
    help_texts = [w.text() for w in form.findChildren(records_gui.QLabel)
                  if w.objectName() == "hint"]
    assert any("short name" in text for text in help_texts)


def test_form_values_have_the_kinds_types(qtbot) -> None:
    form = RecordForm(kinds.kind("risks"), Lookups(roadmap()))
    qtbot.addWidget(form)
    values = form.values()
    assert values["likelihood"] is None and values["review_date"] is None
    assert values["category"] == "" and values["description"] == ""
    form.editors["likelihood"].set_value(4)
    form.editors["review_date"].set_value(dt.date(2027, 5, 3))
    form.editors["category"].set_value("technology")
    values = form.values()
    assert values["likelihood"] == 4 and values["review_date"] == dt.date(2027, 5, 3)
    assert values["category"] == "technology"
    form.editors["review_date"].widget.clear.click()  # the date can be emptied again
    assert form.values()["review_date"] is None


def test_form_shows_a_rule_across_records_at_its_field(qtbot) -> None:
    kind = kinds.kind("responsibilities")
    lookups = Lookups(roadmap())
    lookups.titles["team"] = {"m1": "Els", "m2": "Jonas"}
    existing = _record("responsibilities", id="r1", activity="c2.a1", member="m1",
                       role="accountable")
    form = RecordForm(kind, lookups, others=[existing])
    qtbot.addWidget(form)
    form.editors["activity"].set_value("c2.a1")
    form.editors["member"].set_value("m2")
    form.editors["role"].set_value("accountable")
    form._edited("role")
    assert not form.ok.isEnabled()
    assert "already has an accountable" in form.errors["role"].text()
    form.editors["role"].set_value("consulted")
    form._edited("role")
    assert form.ok.isEnabled()


# --- every kind through the window ----------------------------------------------------------

def _valid_value(f: Field, references: dict[str, str]) -> Any:
    t = f.type
    if t in (T.TEXT, T.LONGTEXT):
        return "Sample text"
    if t is T.URL:
        return "https://example.org/data"
    if t is T.DATE:
        return dt.date(2027, 3, 31)
    if t is T.INTEGER:
        return f.minimum if f.minimum is not None else 7
    if t is T.YESNO:
        return True
    if t is T.CHOICE:
        assert f.vocabulary is not None
        return f.vocabulary.codes()[-1]
    if t is T.CHOICES:
        assert f.vocabulary is not None
        return (f.vocabulary.codes()[0],)
    if t is T.ACTIVITY:
        return "c2.a1"
    if t is T.ACTIVITIES:
        return ("c2.a1", "c3.a2")
    if t is T.REFERENCE:
        return references[f.refers_to or ""]
    raise AssertionError(t)


def _fill(values: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """The next form that opens gets ``values`` and is accepted with its OK button."""

    def exec_(form: RecordForm) -> int:
        for name, value in values.items():
            form.editors[name].set_value(value)
        form._check()
        assert form.ok.isEnabled(), form.ok.toolTip()
        form.ok.click()
        return int(form.result())

    monkeypatch.setattr(RecordForm, "exec", exec_)


@pytest.fixture
def opened(window: MainWindow, empty_file: Path) -> Iterator[MainWindow]:
    assert window.open_path(empty_file)
    yield window


@pytest.mark.parametrize("kind", PAGE_KINDS, ids=lambda k: k.name)
def test_every_register_adds_edits_deletes_and_undoes(kind: Kind, opened: MainWindow,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    window = opened
    session = window.session
    assert session is not None
    references = {}
    for f in kind.fields:  # a record for each field that names another kind
        if f.type is T.REFERENCE and f.refers_to:
            other = kinds.kind(f.refers_to)
            values = {g.name: _valid_value(g, {}) for g in other.fields if g.required}
            command = records_service.new_record(other.name, values)
            session.execute(command)
            references[other.name] = command.record_id
    assert window.show_page(kind.name)
    page = window.view.pages.currentWidget()
    assert isinstance(page, RegisterPage) and page.kind is kind
    if hasattr(page, "show_list"):  # the responsibility page opens on its matrix
        page.show_list.click()
    assert page.stack.currentWidget() is page.empty
    assert page.add_first.text() and page.empty_text.text()

    values = {f.name: _valid_value(f, references) for f in kind.fields}
    _fill(values, monkeypatch)
    page.add_first.click()
    stored = session.records(kind.name)
    assert len(stored) == 1
    record = stored[0]
    assert {name: record.get(name) for name in values} == values
    assert page.model.rowCount() == 1 and page.stack.currentWidget() is page.list_page
    assert page.current_id() == record.id  # the new record is selected
    assert page.count.text() == records_gui.count_text(kind, 1)
    title_column = [c.name for c in page.model.columns].index(kind.title_field)
    shown_title = page.model.index(0, title_column).data()

    # Edit: change every text field, or the title field's value.
    title = kind.field(kind.title_field)
    new_title = "Changed text" if title.type.is_text else _other_value(title)
    _fill({kind.title_field: new_title}, monkeypatch)
    page.edit_current()
    assert session.records(kind.name)[0].get(kind.title_field) == new_title
    assert page.model.index(0, title_column).data() != shown_title
    window.act_undo.trigger()
    assert session.records(kind.name)[0].get(kind.title_field) == values[kind.title_field]
    assert page.model.index(0, title_column).data() == shown_title
    window.act_redo.trigger()
    assert session.records(kind.name)[0].get(kind.title_field) == new_title

    # Delete, undo brings it back, redo deletes again.
    page.select(record.id)
    page.delete_selected()
    assert session.records(kind.name) == [] and page.model.rowCount() == 0
    assert page.stack.currentWidget() is page.empty
    assert "Delete" in window.act_undo.text()
    window.act_undo.trigger()
    assert [r.id for r in session.records(kind.name)] == [record.id]
    assert page.model.rowCount() == 1
    window.act_redo.trigger()
    assert page.model.rowCount() == 0
    # Undo all the way: the add is undone too.
    while window.undo_stack.canUndo():
        window.undo_stack.undo()
    assert session.records(kind.name) == []


def _other_value(f: Field) -> Any:
    if f.type is T.ACTIVITY:
        return "c4.a1"
    if f.type is T.DATE:
        return dt.date(2028, 1, 1)
    raise AssertionError(f.type)


def test_a_record_edit_refreshes_its_row_and_the_counts_only(
        window: MainWindow, demo_file: Path, monkeypatch: pytest.MonkeyPatch, qtbot) -> None:
    assert window.open_path(demo_file)
    assert window.show_page("datasets")
    page = window.register("datasets")
    session = window.session
    assert session is not None
    first = session.records("datasets")[0]
    calls: list[str] = []
    original = session.state
    monkeypatch.setattr(session, "state", lambda: calls.append("state") or original())
    with qtbot.assertNotEmitted(page.model.modelReset):
        window.edit(records_service.edit_record(first, {"title": "Telraam, renamed"}))
    assert calls == []  # progress does not depend on records: not recomputed
    row = page.model.row_of(first.id)
    assert page.model.index(row, 0).data() == "Telraam, renamed"
    window.edit(records_service.new_record("datasets", {"title": "One more"}))
    assert window.view.model.data(
        window.view.model.index_of("datasets").siblingAtColumn(1)) == "26"


def test_a_register_opens_with_its_columns_set_and_its_table_painted_once(
        window: MainWindow, demo_file: Path, qtbot) -> None:
    """The widths of the columns are set quietly while the page is built; the table
    paints once when it is shown (not once more for columns "resized" before that)."""
    from PySide6.QtCore import QEvent, QObject

    class Paints(QObject):
        count = 0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    paints = Paints()
    built: list[RegisterPage] = []
    original = RegisterPage._set_columns

    def set_columns(page: RegisterPage) -> None:
        original(page)
        page.table.viewport().installEventFilter(paints)
        built.append(page)

    assert window.open_path(demo_file)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(RegisterPage, "_set_columns", set_columns)
        window.select("datasets")
    page = window.register("datasets")
    assert built == [page]
    qtbot.waitUntil(lambda: paints.count > 0)
    qtbot.wait(50)
    assert paints.count == 1
    header = page.table.horizontalHeader()
    names = [c.name for c in page.model.columns]
    assert header.sectionSize(names.index("title")) == 320
    assert header.sectionSize(names.index("publisher")) >= 170
    assert page.table.isColumnHidden(names.index("description"))
    assert not page.table.isColumnHidden(names.index("publisher"))
    assert page.model.index(0, 0).data() and page.table.columnViewportPosition(
        names.index("publisher")) == 320


def test_the_data_inventory_opens_with_its_titles_and_reads_the_rows_it_shows(
        window: MainWindow, demo_file: Path, monkeypatch: pytest.MonkeyPatch, qtbot) -> None:
    assert window.open_path(demo_file)
    session = window.session
    assert session is not None
    reads: list[tuple[Any, int | None]] = []
    original = session.records

    def spy(kind: str, fields: Any = None, ids: Any = None) -> list[Record]:
        if kind == "datasets":
            reads.append((fields, None if ids is None else len(ids)))
        return original(kind, fields, ids)

    monkeypatch.setattr(session, "records", spy)
    window.select("datasets")
    page = window.register("datasets")
    assert reads[0] == (records_gui.first_fields(page.kind), None)
    qtbot.waitUntil(lambda: len(reads) > 1)  # painted: the rows shown get their columns
    assert reads[1][0] == records_gui.summary_fields(page.kind) and reads[1][1]
    whole = {r.id: r for r in original("datasets")}
    names = [c.name for c in page.model.columns]
    for row in range(page.model.rowCount()):
        record = whole[page.model.index(row, 0).data(RecordIdRole)]
        for name in ("title", "publisher", "owner_person"):
            assert page.model.index(row, names.index(name)).data() == \
                records_gui.cell_text(page.kind.field(name), record.get(name), page.lookups)


def test_register_pages_are_built_when_first_shown(window: MainWindow, demo_file: Path) -> None:
    assert window.open_path(demo_file)
    assert window.view.registers == {}
    window.select("risks")
    assert set(window.view.registers) == {"risks"}
    window.close_project()
    assert window.view.registers == {}


def test_filter_and_count_on_the_page(window: MainWindow, demo_file: Path) -> None:
    assert window.open_path(demo_file)
    window.select("datasets")
    page = window.register("datasets")
    total = page.model.rowCount()
    assert page.count.text() == f"{total} datasets"
    page.filter.setText("telraam")
    shown = page.model.rowCount()
    assert 0 < shown < total
    assert page.count.text() == f"{shown} of {total} datasets"
    page.filter.setText("no such words anywhere")
    assert page.no_match.isVisibleTo(page)
    page.filter.clear()
    assert page.model.rowCount() == total and not page.no_match.isVisibleTo(page)


def test_the_selection_stays_with_its_record_through_an_edit_a_sort_and_the_filter(
        window: MainWindow, demo_file: Path) -> None:
    assert window.open_path(demo_file)
    window.select("datasets")
    page = window.register("datasets")
    session = window.session
    assert session is not None
    names = [c.name for c in page.model.columns]
    chosen = session.records("datasets")[5]
    page.select(chosen.id)
    row = page.model.row_of(chosen.id)
    assert page.selected_ids() == [chosen.id] and row > 0
    # Renamed to sort first: the row moves to the top and stays selected.
    window.edit(records_service.edit_record(chosen, {"title": "Aaa first of all"}))
    assert page.model.row_of(chosen.id) == 0
    assert page.selected_ids() == [chosen.id] and page.current_id() == chosen.id
    # Sorted by another column, both ways.
    for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
        page.table.sortByColumn(names.index("publisher"), order)
        assert page.selected_ids() == [chosen.id] and page.current_id() == chosen.id
        assert page.model.index(page.model.row_of(chosen.id), names.index("title")).data() \
            == "Aaa first of all"
    publishers = [page.model.record(r).get("publisher") for r in range(page.model.rowCount())]
    filled = [p for p in publishers if p]
    assert filled == sorted(filled, key=str.casefold)
    # Typing a filter that still finds it keeps it selected; one that hides it does not.
    page.filter.setText("aaa first")
    assert page.model.rowCount() == 1 and page.selected_ids() == [chosen.id]
    page.filter.setText("aaa first nowhere")
    assert page.model.rowCount() == 0 and page.selected_ids() == []


def test_an_edited_row_stays_in_the_filter_until_it_is_typed_again(
        window: MainWindow, demo_file: Path) -> None:
    """Like a spreadsheet's filter: the row one works on does not vanish; typing filters
    afresh, and a record that an undo makes match joins the rows shown."""
    assert window.open_path(demo_file)
    session = window.session
    assert session is not None
    window.edit(records_service.new_record("datasets", {"title": "Quagga counts"}))
    window.select("datasets")
    page = window.register("datasets")
    total = page.model.total
    page.filter.setText("quagga")
    assert page.model.rowCount() == 1 and page.count.text() == f"1 of {total} datasets"
    # Down from the filter goes into the table, on the first row shown.
    QTest.keyClick(page.filter, Qt.Key.Key_Down)
    record = next(r for r in session.records("datasets") if r.get("title") == "Quagga counts")
    assert page.current_id() == record.id
    window.edit(records_service.edit_record(record, {"title": "Zebra counts"}))
    assert page.model.rowCount() == 1 and page.model.index(0, 0).data() == "Zebra counts"
    assert page.current_id() == record.id and page.filter.text() == "quagga"
    page.filter.setText("quagg")
    assert page.model.rowCount() == 0 and page.model.total == total
    assert page.count.text() == f"0 of {total} datasets" and page.no_match.isVisibleTo(page)
    window.act_undo.trigger()
    assert page.model.rowCount() == 1 and not page.no_match.isVisibleTo(page)
    assert page.model.index(0, 0).data() == "Quagga counts"
    assert page.count.text() == f"1 of {total} datasets"


def test_a_page_of_table_columns_reads_the_rest_when_asked(
        window: MainWindow, demo_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The data inventory reads the columns its table shows; the form, the filter, a
    hidden column shown, a sort by it and an export see every field."""
    assert window.open_path(demo_file)
    session = window.session
    assert session is not None
    window.edit(records_service.new_record("datasets", {
        "title": "Zz counts", "description": "Counted at the Zebrastreifen\nsecond line",
        "format": "GeoPackage"}))
    window.select("datasets")
    page = window.register("datasets")
    whole = {r.id: r for r in session.records("datasets")}
    assert records_gui.summary_fields(page.kind) is not None
    names = [c.name for c in page.model.columns]
    description = names.index("description")
    assert page.table.isColumnHidden(description)

    # The form gets the whole record, though the row held a summary.
    first_id = page.model.index(0, 0).data(RecordIdRole)
    seen: dict[str, Any] = {}

    def exec_(form: RecordForm) -> int:
        seen.update(form.values())
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(RecordForm, "exec", exec_)
    page.edit_record(first_id)
    for name in ("description", "access_url", "etl_process", "title"):
        assert seen[name] == whole[first_id].get(name)
    assert any(whole[first_id].get(name) for name in ("description", "etl_process"))

    # A hidden column, once shown, shows its values and sorts by them.
    page._show_column(description, True)
    assert not page.table.isColumnHidden(description)
    row = page.model.row_of(next(i for i, r in whole.items() if r.get("title") == "Zz counts"))
    assert page.model.index(row, description).data() == "Counted at the Zebrastreifen…"
    page.table.sortByColumn(names.index("format"), Qt.SortOrder.AscendingOrder)
    formats = [page.model.record(r).get("format") for r in range(page.model.rowCount())]
    filled = [f for f in formats if f]
    assert filled and filled == sorted(filled, key=str.casefold) and \
        formats == filled + [""] * (len(formats) - len(filled))
    assert "GeoPackage" in filled

    # The filter looks in fields the table does not show (read afresh: summaries again).
    page.load(session)
    page.filter.setText("zebrastreifen")
    assert page.model.rowCount() == 1
    assert page.model.index(0, names.index("title")).data() == "Zz counts"
    page.filter.clear()

    # An export writes whole records.
    assert {r.id: r for r in page.shown_records()} == whole


def test_a_hidden_register_reads_a_mixed_edit_when_shown_again(
        window: MainWindow, demo_file: Path, qtbot) -> None:
    """An edit of several kinds (a tick that starts its activity, a merge) re-reads a
    register; one that is not on show waits until it is shown again."""
    from d4a_desktop.core.commands import Batch, SetItemFields

    assert window.open_path(demo_file)
    window.select("datasets")
    page = window.register("datasets")
    before = page.model.rowCount()
    window.select("c2.a1")
    item = roadmap().activity("c2.a1").items[0].id
    mixed = Batch((CreateRecord("datasets", "ds-new", {"title": "Added with a tick"}),
                   SetItemFields(item, {"note": "both at once"})), "mixed")
    with qtbot.assertNotEmitted(page.model.modelReset):
        window.edit(mixed)
    window.select("datasets")
    assert page.model.rowCount() == before + 1 and page.model.row_of("ds-new") >= 0
    window.act_undo.trigger()  # on show: read at once
    assert page.model.rowCount() == before and page.model.row_of("ds-new") < 0


def test_deleting_several_records_is_one_undo_step(window: MainWindow, demo_file: Path) -> None:
    assert window.open_path(demo_file)
    window.select("risks")
    page = window.register("risks")
    session = window.session
    assert session is not None
    before = len(session.records("risks"))
    page.table.selectAll()
    page.delete_selected()
    assert session.records("risks") == [] and page.model.rowCount() == 0
    window.act_undo.trigger()
    assert len(session.records("risks")) == before == page.model.rowCount()


def test_decisions_open_newest_first(window: MainWindow, demo_file: Path) -> None:
    assert window.open_path(demo_file)
    window.select("decisions")
    page = window.register("decisions")
    date_column = [c.name for c in page.model.columns].index("date")
    # Decisions open newest first.
    assert page.table.horizontalHeader().sortIndicatorSection() == date_column
    dates = [page.model.record(r).get("date") for r in range(page.model.rowCount())]
    assert dates == sorted(dates, reverse=True)
    assert page.model.sort_column == date_column


def test_read_only_project_shows_but_does_not_edit(window: MainWindow, demo_file: Path) -> None:
    from d4a_desktop.services.projects import open_project

    session = open_project(demo_file, read_only=True)
    assert window._open_with(lambda: session)
    window.select("team")
    page = window.register("team")
    assert page.model.rowCount() > 0
    assert not page.add_button.isEnabled() and not page.delete_button.isEnabled()
    page.table.selectRow(0)
    assert page.edit_button.isEnabled() and page.edit_button.text() == "Show…"
    page.add()  # does nothing
    assert len(session.records("team")) == page.model.rowCount()


def test_registers_menu_opens_each_register(window: MainWindow, demo_file: Path) -> None:
    assert window.open_path(demo_file)
    actions = window.registers_menu.actions()
    assert [a.text() for a in actions] == [k.plural_text() for k in PAGE_KINDS]
    actions[3].trigger()
    assert window.view.pages.currentWidget() is window.register("datasets")


def test_cancelling_the_form_changes_nothing(qtbot, demo_file: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from d4a_desktop.services.projects import open_project

    session = open_project(demo_file)
    try:
        page = RegisterPage(kinds.kind("milestones"), Lookups(roadmap()))
        qtbot.addWidget(page)
        page.load(session)
        emitted: list[Any] = []
        page.editRequested.connect(emitted.append)
        monkeypatch.setattr(RecordForm, "exec", lambda self: QDialog.DialogCode.Rejected)
        page.add()
        page.table.selectRow(0)
        page.edit_current()
        assert emitted == []
    finally:
        session.close()


def test_creating_through_the_command_shows_the_new_row(window: MainWindow,
                                                        empty_file: Path) -> None:
    assert window.open_path(empty_file)
    window.select("milestones")
    page = window.register("milestones")
    window.edit(CreateRecord("milestones", "m-1", {"name": "Launch",
                                                   "date": dt.date(2027, 6, 1)}))
    assert page.model.rowCount() == 1 and page.model.record(0).id == "m-1"
