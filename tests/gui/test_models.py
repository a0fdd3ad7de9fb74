"""The item models pass Qt's model tester and show the project's state."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt

from d4a_desktop import i18n
from d4a_desktop.core.progress import compute
from d4a_desktop.core.project import ItemState, ProjectMeta, ProjectState
from d4a_desktop.gui.models import (
    COMMENTS_COLUMN,
    KPIS,
    OVERVIEW,
    REGISTER_PAGES,
    REGISTERS,
    TOOLS,
    ChecklistModel,
    NavigatorModel,
    ProgressRole,
)
from d4a_desktop.services.demo import write_demo
from d4a_desktop.services.roadmap import roadmap


def _state(**items: ItemState) -> ProjectState:
    meta = ProjectMeta(id="p", title="T", municipality="M", country="BE")
    return ProjectState(meta, {}, dict(items))


def test_navigator_model_is_valid(qtmodeltester, tmp_path: Path, home: Path) -> None:
    session = write_demo(tmp_path / "demo.d4a")
    model = NavigatorModel(roadmap())
    model.set_project(session.state(), session.progress())
    qtmodeltester.check(model, force_py=True)
    session.close()


def test_navigator_tree_shape_and_lookup() -> None:
    rm = roadmap()
    model = NavigatorModel(rm)
    # dashboard, timeline, the components, the registers, the tools, the KPIs
    assert model.rowCount() == 2 + len(rm.components) + 3
    assert model.node_id(model.index(0, 0)) == OVERVIEW == "dashboard"
    assert model.node_id(model.index(1, 0)) == "timeline"
    registers = model.index_of(REGISTERS)
    assert registers.row() == 2 + len(rm.components)
    assert [model.node_id(model.index(n, 0, registers))
            for n in range(model.rowCount(registers))] == list(REGISTER_PAGES)
    tools = model.index_of(TOOLS)
    assert [model.node_id(model.index(n, 0, tools))
            for n in range(model.rowCount(tools))] == [t.id for t in rm.tools]
    assert model.index_of(rm.tools[0].id).parent() == tools
    kpis = model.index_of(KPIS)
    assert not kpis.parent().isValid() and model.rowCount(kpis) == 0
    assert model.index_of("datasets").parent() == registers
    model.set_counts({"datasets": 2000})
    assert model.data(model.index_of("datasets").siblingAtColumn(1)) == "2,000"
    assert model.rowCount(model.index_of("timeline")) == 0
    c4 = model.index_of("c4")
    assert model.rowCount(c4) == len(rm.component("c4").activities)
    a2 = model.index_of("c4.a2")
    assert model.parent(a2) == c4
    assert model.node_id(a2) == "c4.a2"
    assert model.data(a2).startswith("4.2")
    assert model.index_of("nope") == QModelIndex()


def test_navigator_progress_follows_state() -> None:
    rm = roadmap()
    act = rm.activity("c2.a1")
    state = _state(**{act.items[0].id: ItemState(act.items[0].id, done=True)})
    model = NavigatorModel(rm)
    model.set_project(state, compute(rm, state))
    index = model.index_of("c2.a1")
    fraction = 1 / len(act.items)
    assert model.data(index, ProgressRole) == fraction
    assert model.data(index.siblingAtColumn(1)) == i18n.format_percent(fraction)
    # The model keeps its answers (a view asks thousands of times): every update forgets
    # them, so a new state, new counts and new monitoring data all show.
    done = _state(**{i.id: ItemState(i.id, done=True) for i in act.items})
    model.set_project(done, compute(rm, done))
    assert model.data(index, ProgressRole) == 1.0
    assert model.data(index.siblingAtColumn(1)) == i18n.format_percent(1.0)
    datasets = model.index_of("datasets").siblingAtColumn(1)
    model.set_counts({"datasets": 3})
    assert model.data(datasets) == "3"
    model.set_counts({"datasets": 4})
    assert model.data(datasets) == "4"
    tools = model.index_of(rm.tools[1].id).siblingAtColumn(1)
    model.set_monitoring({rm.tools[1].id: ("10 %", "", None)}, {})
    assert model.data(tools) == "10 %"
    model.set_monitoring({rm.tools[1].id: ("60 %", "", None)}, {"c2.a1": 2})
    assert model.data(tools) == "60 %"
    assert model.data(index.siblingAtColumn(2)) == "2"


def test_a_tick_announces_only_the_rows_it_changes() -> None:
    """After the first state, an edit announces its activity, its component and the
    dashboard row, not the whole tree (which made every tick slow)."""
    rm = roadmap()
    act = rm.activity("c2.a1")
    model = NavigatorModel(rm)
    state = _state()
    model.set_project(state, compute(rm, state))
    announced: list[str] = []
    model.dataChanged.connect(lambda first, _last, _roles=(): announced.append(
        str(model.node_id(first))))
    state = _state(**{act.items[0].id: ItemState(act.items[0].id, done=True)})
    model.set_project(state, compute(rm, state))
    assert sorted(announced) == sorted(["dashboard", "c2", "c2.a1"])
    fraction = 1 / len(act.items)
    assert model.data(model.index_of("c2.a1").siblingAtColumn(1)) == \
        i18n.format_percent(fraction)
    announced.clear()
    model.set_project(state, compute(rm, state))  # nothing changed: nothing announced
    assert announced == []
    model.set_counts({"datasets": 3})
    assert announced == ["datasets"]


def test_an_update_that_changes_nothing_leaves_the_navigator_alone() -> None:
    """A dataset edit sets the same counts and tool figures again: nothing is announced,
    nor measured again (``refreshed`` resizes the columns over every row); a changed
    count or comment number is announced and shown."""
    rm = roadmap()
    model = NavigatorModel(rm)
    state = _state()
    model.set_project(state, compute(rm, state))
    model.set_counts({"datasets": 3})
    model.set_monitoring({"kpis": ("2", "", None)}, {"c2.a1": 1})
    comments = model.index_of("c2.a1").siblingAtColumn(COMMENTS_COLUMN)
    assert model.data(comments) == "1"
    refreshed: list[int] = []
    model.refreshed.connect(lambda: refreshed.append(1))
    count = model.index_of("datasets").siblingAtColumn(1)
    assert model.data(count) == "3"
    model.set_counts({"datasets": 3})
    model.set_monitoring({"kpis": ("2", "", None)}, {"c2.a1": 1})
    model.set_project(state, compute(rm, state))
    assert refreshed == []
    model.set_counts({"datasets": 4})
    assert refreshed == [1] and model.data(count) == "4"
    model.set_monitoring({"kpis": ("2", "", None)}, {"c2.a1": 2})
    assert refreshed == [1, 1] and model.data(comments) == "2"


def test_checklist_model_is_valid_and_requests_edits(qtmodeltester, qtbot) -> None:
    rm = roadmap()
    act = rm.activity("c1.a1")
    first = act.items[0].id
    state = _state(**{first: ItemState(first, done=True, owner="Els",
                                       due_date=dt.date(2027, 1, 5), note="Room booked")})
    model = ChecklistModel()
    model.set_activity(act, state)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == len(act.items)
    assert model.data(model.index(0, ChecklistModel.ITEM)) == act.items[0].text
    assert model.data(model.index(0, ChecklistModel.ITEM), Qt.ItemDataRole.CheckStateRole) \
        == Qt.CheckState.Checked
    assert model.data(model.index(0, ChecklistModel.OWNER)) == "Els"
    assert model.data(model.index(0, ChecklistModel.DUE)) == i18n.format_date(dt.date(2027, 1, 5))
    assert model.data(model.index(1, ChecklistModel.DUE)) == ""
    assert model.flags(model.index(0, ChecklistModel.NOTE)) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(0, ChecklistModel.ITEM)) & Qt.ItemFlag.ItemIsEditable

    with qtbot.waitSignal(model.editRequested) as blocker:
        model.setData(model.index(1, ChecklistModel.NOTE), "  bring post-its ",
                      Qt.ItemDataRole.EditRole)
    assert blocker.args == [act.items[1].id, {"note": "bring post-its"}]
    with qtbot.assertNotEmitted(model.editRequested):
        model.setData(model.index(0, ChecklistModel.OWNER), "Els", Qt.ItemDataRole.EditRole)
    # The model never changes by itself: the window refreshes it from the project.
    assert model.data(model.index(1, ChecklistModel.NOTE)) == ""


def test_every_colour_the_navigator_gives_reaches_the_painted_text(qapp) -> None:
    """The navigator gives its text colours as colours; the delegate that paints them must
    take each one as the text's colour (a value it cannot convert is silently ignored)."""
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

    from d4a_desktop.core.vocab import Status

    rm = roadmap()
    act = rm.activity("c2.a1")
    state = _state(**{act.items[0].id: ItemState(act.items[0].id, done=True)})
    model = NavigatorModel(rm)
    model.set_project(state, compute(rm, state))
    model.set_monitoring({rm.tools[1].id: ("10 %", "", Status.IN_PROGRESS)}, {"c2.a1": 2})
    delegate = QStyledItemDelegate()
    seen = 0
    pending = [QModelIndex()]
    while pending:
        parent = pending.pop()
        for row in range(model.rowCount(parent)):
            for column in range(model.columnCount(parent)):
                index = model.index(row, column, parent)
                colour = model.data(index, Qt.ItemDataRole.ForegroundRole)
                if colour is not None:
                    option = QStyleOptionViewItem()
                    delegate.initStyleOption(option, index)
                    assert option.palette.color(QPalette.ColorRole.Text) == QColor(colour)
                    seen += 1
            pending.append(model.index(row, 0, parent))
    assert seen >= 2  # the comment count and the greyed rows, at least
