"""The monitoring side of a window: the tools and their forms, the KPIs, and comments.

The window keeps its pages and its undo stack; this object adds the Tools page, a tool's
form and the KPIs page to them, fills the comments panels and the navigator's counts, and
turns what the user does on those pages into undoable edits through the window
(``MainWindow.edit``). It reads the project afresh after every edit (``changed``), from
plain data only.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from d4a_desktop.core import assessments as answers_mod
from d4a_desktop.core import commands as c
from d4a_desktop.core import kinds, kpi
from d4a_desktop.core.commands import Change, InvalidRecord
from d4a_desktop.core.records import Record, title_of
from d4a_desktop.core.vocab import Status
from d4a_desktop.gui import messages
from d4a_desktop.gui.models import KPIS, OVERVIEW, TOOLS
from d4a_desktop.i18n import _, ngettext, pgettext
from d4a_desktop.services import assessments, monitoring
from d4a_desktop.services import records as records_service
from d4a_desktop.services.assessments import ToolRow
from d4a_desktop.services.roadmap import roadmap

if TYPE_CHECKING:
    from d4a_desktop.gui.activity import ActivityPage
    from d4a_desktop.gui.comments import CommentsPanel, CommentView
    from d4a_desktop.gui.kpis import KpiPage
    from d4a_desktop.gui.mainwindow import MainWindow
    from d4a_desktop.gui.records import RegisterPage
    from d4a_desktop.gui.tools import ToolForm, ToolsPage

log = logging.getLogger("d4a.monitor")

#: Kinds whose changes the monitoring pages show.
TOOL_KINDS = frozenset({"assessments", "answers", "assessment_versions"})
KPI_KINDS = frozenset({"kpis", "measurements", "datasets"})
COMMENT_KINDS = frozenset({"comments", "reviews"})


def _short(text: str, limit: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


class Monitoring(QObject):
    """The pages are built when first shown: most sessions never open a tool's form or the
    KPI page, and building them (with their charts) would slow every start."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self._read_only = False
        self._tools_page: ToolsPage | None = None
        self._tool_form: ToolForm | None = None
        self._kpi_page: KpiPage | None = None
        self._kpi_comments: CommentsPanel | None = None
        #: the comments panel of each register page built, by kind
        self.record_comments: dict[str, CommentsPanel] = {}

    def activity_built(self, activity: ActivityPage) -> None:
        """Wire the activity page's tool links and comments once it is built."""
        activity.toolRequested.connect(self.window.select)
        self._connect_comments(activity.comments)
        activity.comments.reviewRequested.connect(self._mark_reviewed)

    def _comments_panel(self, height: int) -> CommentsPanel:
        """A folding comments panel under a page's list, wired to the project."""
        from d4a_desktop.gui.comments import CommentsPanel

        panel = CommentsPanel(collapsible=True)
        panel.cards_area.setMaximumHeight(height)
        panel.set_read_only(self._read_only)
        self._connect_comments(panel)
        return panel

    def _connect_comments(self, panel: CommentsPanel) -> None:
        panel.addRequested.connect(lambda kind, about, text, p=panel:
                                   self._add_comment(p, kind, about, text))
        panel.resolveRequested.connect(self._resolve_comment)
        panel.deleteRequested.connect(self._delete_comment)

    @property
    def tools_page(self) -> ToolsPage:
        if self._tools_page is None:
            from d4a_desktop.gui.tools import ToolsPage

            self._tools_page = page = ToolsPage()
            self.window.view.pages.addWidget(page)
            page.toolRequested.connect(self.window.select)
        return self._tools_page

    @property
    def tool_form(self) -> ToolForm:
        if self._tool_form is None:
            from d4a_desktop.gui.tools import ToolForm

            self._tool_form = form = ToolForm()
            self.window.view.pages.addWidget(form)
            form.answerRequested.connect(self._answer)
            form.entryAddRequested.connect(self._add_entry)
            form.entryRemoveRequested.connect(self._remove_entry)
            form.entryMoveRequested.connect(self._move_entry)
            form.detailsRequested.connect(self._details)
            form.saveVersionRequested.connect(self._save_version)
            form.registerRequested.connect(self._open_register)
            form.worksheetRequested.connect(self._worksheet)
            self._connect_comments(form.comments)
            form.set_read_only(self._read_only)
        return self._tool_form

    @property
    def kpi_page(self) -> KpiPage:
        if self._kpi_page is None:
            from d4a_desktop.gui.kpis import KpiPage

            self._kpi_page = page = KpiPage()
            self.window.view.pages.addWidget(page)
            #: The KPI page's comments on the KPI selected.
            self._kpi_comments = panel = self._comments_panel(200)
            page.detail_layout.addWidget(panel)
            page.newRequested.connect(lambda: self._kpi_dialog(None))
            page.editRequested.connect(self._kpi_dialog)
            page.deleteRequested.connect(self._delete_kpi)
            page.measurementAddRequested.connect(self._add_measurement)
            page.measurementEditRequested.connect(self._edit_measurement)
            page.measurementsDeleteRequested.connect(self._delete_measurements)
            page.pasteRequested.connect(self._paste)
            page.importRequested.connect(self._import)
            page.selectionChanged.connect(lambda _k: self._fill_kpi_comments())
            page.message.connect(lambda text: self.window.statusBar().showMessage(text, 8000))
            page.set_read_only(self._read_only)
        return self._kpi_page

    @property
    def kpi_comments(self) -> CommentsPanel:
        self.kpi_page  # noqa: B018 (builds the page with its panel)
        assert self._kpi_comments is not None
        return self._kpi_comments

    @property
    def session(self) -> Any:
        return self.window.session

    def _today(self) -> dt.date:
        return dt.date.today()

    # --- the window's life -----------------------------------------------------------------

    def project_shown(self) -> None:
        if self._tool_form is not None:
            self._tool_form.view = None
        self.refresh_navigator()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        if self._tool_form is not None:
            self._tool_form.set_read_only(read_only)
        if self._kpi_page is not None and self._kpi_comments is not None:
            self._kpi_page.set_read_only(read_only)
            self._kpi_comments.set_read_only(read_only)
        for panel in self.record_comments.values():
            panel.set_read_only(read_only)

    def navigate(self, node: str) -> bool:
        """Show a monitoring page for a navigator node; False when it is not one."""
        if self.session is None:
            return False
        pages = self.window.view.pages
        if node == TOOLS:
            self._fill_tools_page()
            pages.setCurrentWidget(self.tools_page)
            return True
        if node == KPIS:
            self._fill_kpi_page()
            pages.setCurrentWidget(self.kpi_page)
            return True
        if roadmap().tool(node) is not None:
            self._fill_tool_form(node)
            pages.setCurrentWidget(self.tool_form)
            return True
        return False

    def activity_shown(self, activity_id: str) -> None:
        self._fill_activity_comments(activity_id)

    def changed(self, change: Change) -> None:
        """Refresh what an edit touched: the page on show and the navigator's counts."""
        if self.session is None:
            return
        kind = change.kind
        every = kind == "batch" or kind == "meta"
        page = self.window.view.pages.currentWidget()
        register = next((p for p in self.window.view.registers.values() if p is page), None)
        if page is None:
            pass
        elif page is self._tool_form and (every or kind in TOOL_KINDS | COMMENT_KINDS):
            if self._tool_form.view is not None:
                self._fill_tool_form(self._tool_form.view.tool.id)
        elif page is self._tools_page and (every or kind in TOOL_KINDS):
            self._fill_tools_page()
        elif page is self._kpi_page and (every or kind in KPI_KINDS | COMMENT_KINDS):
            self._fill_kpi_page()
        elif register is not None and (every or kind in COMMENT_KINDS):
            self._fill_record_comments(register)
        elif page is self.window.view.built_activity() and (every or kind in COMMENT_KINDS):
            activity_id = self.window.view.activity.activity_id
            if activity_id:
                self._fill_activity_comments(activity_id)
        if kind == "datasets" and not every and self._inventory_counted():
            return  # an edited dataset: nothing the navigator shows has changed
        if every or kind in TOOL_KINDS | KPI_KINDS | COMMENT_KINDS:
            self.refresh_navigator()

    def _inventory_counted(self) -> bool:
        """Whether the navigator's count of the data inventory is still right: of what
        the navigator shows, only that count follows the datasets (a KPI names its source
        on the KPI page only), and reading every tool, KPI and comment again for an edited
        title made an edit there slower than a checklist tick."""
        session = self.session
        if session is None:
            return False
        count = i18n_number(records_service.counts(session).get("datasets", 0))
        model = self.window.view.model
        return all(model.monitor_text(tool.id) == count
                   for tool in roadmap().tools if tool.kind == "register")

    # --- the navigator -----------------------------------------------------------------------

    def refresh_navigator(self) -> None:
        session = self.session
        if session is None:
            return
        rm = roadmap()
        nodes: dict[str, tuple[str, str, Status | None]] = {}
        today = self._today()
        opened = 0
        for row in self._tool_rows(verdicts=False):
            tool = row.tool
            if row.register_count is not None:
                nodes[tool.id] = (i18n_number(row.register_count), tool.description, None)
                continue
            status = {"complete": Status.DONE, "draft": Status.IN_PROGRESS}.get(
                row.status, Status.NOT_STARTED)
            # The verdict comes in when the tooltip shows (NavigatorModel.verdict_of).
            lines = [tool.title, _tool_status_text(row)]
            if row.next_review and row.next_review <= today:
                lines.append(_("The review is due."))
            text = _percent(row.answered, row.total) if row.status else ""
            nodes[tool.id] = (text, "\n".join(lines), status)
            opened += bool(row.status)
        nodes[TOOLS] = ("", ngettext("{count} tool filled in", "{count} tools filled in",
                                     opened).format(count=opened), None)
        measured = monitoring.measured(session, today)
        counts: dict[kpi.Status, int] = {}
        for m in measured:
            counts[m.status.status] = counts.get(m.status.status, 0) + 1
        tip = "\n".join(f"{kpi.status_label(s)}: {n}" for s, n in counts.items())
        nodes[KPIS] = (i18n_number(len(measured)) if measured else "", tip, None)
        comments: dict[str, int] = {}
        kpi_ids = {m.record.id for m in measured}
        for (kind, about), count in assessments.open_comments(session).items():
            node = ""
            if kind == "activity" and rm.has(about):
                node = about
            elif kind == "item" and rm.has(about):
                node = rm.item(about).activity_id
            elif kind == "assessment":
                node = about
            elif kind == "kpis" and about in kpi_ids:
                node = KPIS
            if node:
                comments[node] = comments.get(node, 0) + count
            comments[OVERVIEW] = comments.get(OVERVIEW, 0) + count
        for component in rm.components:
            total = sum(comments.get(a.id, 0) for a in component.activities)
            if total:
                comments[component.id] = total
        tools_total = sum(comments.get(t.id, 0) for t in rm.tools)
        if tools_total:
            comments[TOOLS] = tools_total
        self.window.view.model.set_monitoring(nodes, comments)

    # --- tools -------------------------------------------------------------------------------

    def _tool_rows(self, verdicts: bool = True) -> list[ToolRow]:
        assert self.session is not None
        return assessments.tool_rows(self.session, self._today(), verdicts=verdicts)

    def verdict(self, tool_id: str) -> str:
        """A tool's verdict for the navigator's tooltip."""
        session = self.session
        if session is None:
            return ""
        state = assessments.filled(session, tool_id)
        if state.record is None:
            return ""
        outcome = assessments.verdict(session, state, self._today())
        return outcome.verdict if outcome else ""

    def _fill_tools_page(self) -> None:
        self.tools_page.show_rows(self._tool_rows(), self._today())

    def _fill_tool_form(self, tool_id: str) -> None:
        session = self.session
        rm = roadmap()
        tool = rm.tool(tool_id)
        assert tool is not None
        from d4a_desktop.gui.tools import ToolView, VersionInfo

        state = assessments.filled(session, tool_id)
        versions = tuple(VersionInfo(
            int(v.get("number") or 0), v.get("saved_on"), v.author,
            str(v.get("status") or "draft"), str(v.get("note") or ""),
            assessments.version_answers(session, tool_id, v)) for v in state.versions)
        view = ToolView(tool, state.status, state.next_review, state.answers, versions,
                        self._today(), rm.standards)
        form = self.tool_form
        form.comments.set_targets([("assessment", tool_id, tool.title)])
        form.comments.show_comments(self._comments("assessment", {tool_id}))
        form.show_view(view)

    def _edit(self, command: Any, merge_key: str = "") -> bool:
        if command is None:
            return False
        return self.window.edit(command, merge_key)

    def _current_tool(self) -> str:
        view = self.tool_form.view
        return view.tool.id if view is not None else ""

    def _answer(self, path: str, value: Any, merge_key: str) -> None:
        tool_id = self._current_tool()
        if not tool_id or self.session is None or self.window.read_only:
            return
        command = assessments.set_answer(self.session, tool_id, path, value)
        if command is None:
            return
        tool = roadmap().tool(tool_id)
        place = answers_mod.locate(tool, path) if tool else None
        question = answers_mod.field_label(tool, place.section, place.field) \
            if tool and place and place.field else path
        # Translators: an entry of the undo history: "Undo: Answer “Is the data processed
        # on a large scale?”".
        label = pgettext("undo", "Answer “{question}”").format(question=_short(question))
        self._edit(c.Batch((command,), label, "answers"), merge_key)

    def _add_entry(self, section_id: str) -> None:
        tool_id = self._current_tool()
        if tool_id and self.session is not None and not self.window.read_only:
            _key, command = assessments.add_entry(self.session, tool_id, section_id)
            self._edit(command)

    def _remove_entry(self, section_id: str, key: str) -> None:
        tool_id = self._current_tool()
        if tool_id and self.session is not None and not self.window.read_only:
            self._edit(assessments.remove_entry(self.session, tool_id, section_id, key))

    def _move_entry(self, section_id: str, key: str, index: int) -> None:
        tool_id = self._current_tool()
        if tool_id and self.session is not None and not self.window.read_only:
            self._edit(assessments.move_entry(self.session, tool_id, section_id, key, index))

    def _details(self, changes: dict[str, Any]) -> None:
        tool_id = self._current_tool()
        if not tool_id or self.session is None or self.window.read_only:
            return
        tool = roadmap().tool(tool_id)
        title = tool.title if tool else tool_id
        command = assessments.set_details(self.session, tool_id, changes)
        if "status" in changes:
            label = _("Set “{tool}” to {status}").format(
                tool=title, status=pgettext("tool status", "Complete")
                if changes["status"] == "complete" else pgettext("tool status", "Draft"))
        else:
            label = _("Change the next review of “{tool}”").format(tool=title)
        self._edit(c.Batch((command,), label, "assessments"))

    def _save_version(self, note: str) -> None:
        tool_id = self._current_tool()
        if not tool_id or self.session is None or self.window.read_only:
            return
        try:
            command = assessments.save_version(self.session, tool_id, note, self._today())
        except ValueError:  # nothing answered yet: the button is off then
            return
        tool = roadmap().tool(tool_id)
        number = dict(command.values).get("number", 1)
        label = _("Save version {number} of “{tool}”").format(
            number=number, tool=tool.title if tool else tool_id)
        if self._edit(c.Batch((command,), label, "assessment_versions")):
            self.window.statusBar().showMessage(
                _("Saved version {number}.").format(number=number), 6000)

    def _open_register(self, kind_name: str) -> None:
        if not self.window.view.model.index_of(kind_name).isValid():
            self.window.statusBar().showMessage(
                _("The register cannot be shown in this version of the program."), 8000)
            return
        self.window.select(kind_name)

    def _worksheet(self, tool_id: str) -> None:
        tool = roadmap().tool(tool_id)
        if tool is not None:
            from d4a_desktop.gui.dialogs import ToolDialog

            ToolDialog(tool, self.window).exec()

    # --- KPIs -----------------------------------------------------------------------------------

    def _fill_kpi_page(self, select: str = "") -> None:
        self.kpi_page.show_kpis(monitoring.measured(self.session, self._today()), select)
        self._fill_kpi_comments()

    def _fill_kpi_comments(self) -> None:
        current = self.kpi_page.current()
        panel = self.kpi_comments
        panel.setVisible(current is not None)
        if current is None or self.session is None:
            return
        panel.set_targets([("kpis", current.record.id, current.definition.name)])
        panel.show_comments(self._comments("kpis", {current.record.id}))

    # --- comments on a register's records ------------------------------------------------

    def register_page_built(self, page: RegisterPage) -> None:
        """Give a register page a comments panel for its current record, made when a
        record is first selected: a page opens with none selected, and building the
        panel's widgets cost a tenth of opening the data inventory."""
        page.currentChanged.connect(lambda p=page: self._fill_record_comments(p))
        self._fill_record_comments(page)

    def _fill_record_comments(self, page: RegisterPage) -> None:
        if self.session is None:
            return
        panel = self.record_comments.get(page.kind.name)
        record_id = page.current_id() if len(page.selected_ids()) == 1 else None
        if panel is None and record_id is not None:
            panel = self.record_comments[page.kind.name] = self._comments_panel(180)
            page.details.addWidget(panel)
        if panel is None:
            return
        panel.setVisible(record_id is not None)
        if record_id is None:
            return
        record = records_service.get(self.session, page.kind.name, record_id)
        title = str(record.get(page.kind.title_field) or "") if record else ""
        panel.set_targets([(page.kind.name, record_id, _short(title, 70))])
        panel.show_comments(self._comments(page.kind.name, {record_id}))

    def _datasets(self) -> list[tuple[str, str]]:
        kind = kinds.kind("datasets")
        return [(r.id, title_of(kind, r)) for r in self.session.records("datasets")]

    def _kpi_dialog(self, kpi_id: str | None) -> None:
        if self.session is None or self.window.read_only:
            return
        record = self.session.file.get_record("kpis", kpi_id) if kpi_id else None
        from d4a_desktop.gui.kpis import KpiDialog

        dialog = KpiDialog(self._datasets(), record, self.window)
        if dialog.exec() != KpiDialog.DialogCode.Accepted:
            return
        if record is None:
            values = dialog.values()
            if self.window.edit_with(lambda: records_service.new_record("kpis", values)):
                created = self.session.records("kpis")
                if created:
                    self._fill_kpi_page(select=created[-1].id)
        else:
            changes = dialog.changes()
            command = records_service.edit_record(record, changes) if changes else None
            if command is not None:
                self.window.edit(command)

    def _delete_kpi(self, kpi_id: str) -> None:
        if self.session is None or self.window.read_only:
            return
        if self.window.edit(monitoring.delete_kpi(self.session, kpi_id)):
            self.window.statusBar().showMessage(
                _("The KPI and its measurements were deleted. Undo brings them back."), 8000)

    def _add_measurement(self, kpi_id: str, day: Any, value: Any, note: str) -> None:
        if self.session is None or self.window.read_only:
            return
        try:
            command = monitoring.new_measurement(self.session, kpi_id, day, value, note,
                                                 self._today())
        except InvalidRecord as exc:
            self.kpi_page.show_problem("\n".join(p.message for p in exc.problems))
            return
        label = _("Add a measurement of “{kpi}”").format(kpi=_short(self._kpi_name(kpi_id)))
        if self.window.edit(c.Batch((command,), label, "measurements")):
            self.kpi_page.measurement_added()

    def _kpi_name(self, kpi_id: str) -> str:
        record = self.session.file.get_record("kpis", kpi_id) if self.session else None
        return str(record.get("name") or "") if record else ""

    def _edit_measurement(self, measurement_id: str, changes: dict[str, Any]) -> None:
        if self.session is None or self.window.read_only:
            return
        try:
            command = monitoring.edit_measurement(self.session, measurement_id, changes,
                                                  self._today())
        except InvalidRecord as exc:
            self.kpi_page.show_problem("\n".join(p.message for p in exc.problems))
            self._fill_kpi_page()
            return
        if command is not None:
            self.kpi_page.show_problem("")
            self.window.edit(command)

    def _delete_measurements(self, ids: list[str]) -> None:
        if self.session is None or self.window.read_only or not ids:
            return
        label = ngettext("Delete {count} measurement", "Delete {count} measurements",
                         len(ids)).format(count=len(ids))
        self.window.edit(c.Batch(tuple(c.DeleteRecord("measurements", i) for i in ids),
                                 label, "measurements"))

    def _paste(self, kpi_id: str, text: str) -> None:
        self._apply_table(kpi_id, monitoring.table_from_text(text), pasted=True)

    def _import(self, kpi_id: str, path: Path) -> None:
        from d4a_desktop.gui import tasks
        from d4a_desktop.services.spreadsheets import SpreadsheetError, read_table

        try:
            table = tasks.run_and_wait(lambda: read_table(path), parent=self.window,
                                       label=_("Reading {name}…").format(name=path.name))
        except SpreadsheetError as exc:
            messages.show_error(self.window, exc.message, _("Nothing was imported"))
            return
        self._apply_table(kpi_id, table, pasted=False)

    def _apply_table(self, kpi_id: str, table: list[list[Any]], pasted: bool) -> None:
        if self.session is None or self.window.read_only:
            return
        plan = monitoring.plan_measurements(self.session, kpi_id, table, self._today())
        title = _("Nothing was pasted") if pasted else _("Nothing was imported")
        if not plan.ok:
            from d4a_desktop.gui.kpis import describe_problems

            messages.show_error(self.window, ngettext(
                "{count} problem; fix it in the spreadsheet and try again:",
                "{count} problems; fix them in the spreadsheet and try again:",
                len(plan.problems)).format(count=len(plan.problems)) + "\n\n"
                + describe_problems(plan.problems), title)
            return
        if not plan.creates and not plan.updates:
            self.window.statusBar().showMessage(
                _("Every measurement was there already: {summary}.").format(
                    summary=plan.summary()), 8000)
            return
        if plan.updates:
            answer = messages.choose(
                self.window, _("Change existing measurements?"),
                ngettext("{count} measurement in the table is for a date that has one "
                         "already, with another value or note.",
                         "{count} measurements in the table are for dates that have one "
                         "already, with another value or note.",
                         len(plan.updates)).format(count=len(plan.updates)),
                [(_("&Change Them"), messages.Role.AcceptRole),
                 (_("Cancel"), messages.Role.RejectRole)],
                informative=plan.summary(), icon=QMessageBox.Icon.Question)
            if answer != 0:
                return
        if self.window.edit(monitoring.plan_command(plan, pasted)):
            self.kpi_page.show_problem("")
            self.window.statusBar().showMessage(plan.summary(), 8000)

    # --- comments and reviews ----------------------------------------------------------------

    def _comments(self, about_kind: str, abouts: set[str],
                  labels: dict[tuple[str, str], str] | None = None,
                  also: tuple[str, set[str]] | None = None) -> list[CommentView]:
        found = []
        for record in self.session.records("comments"):
            kind, about = str(record.get("about_kind") or ""), str(record.get("about") or "")
            if (kind == about_kind and about in abouts) or \
                    (also is not None and kind == also[0] and about in also[1]):
                found.append(_comment_view(record, (labels or {}).get((kind, about), "")))
        return found

    def _fill_activity_comments(self, activity_id: str) -> None:
        session = self.session
        if session is None:
            return
        activity = roadmap().activity(activity_id)
        panel = self.window.view.activity.comments
        item_labels = {("item", i.id): _("About the item: {text}").format(text=_short(i.text, 90))
                       for i in activity.items}
        panel.set_targets([("activity", activity.id, _("This activity"))] + [
            ("item", i.id, f"{n}. {_short(i.text, 70)}")
            for n, i in enumerate(activity.items, 1)])
        panel.show_comments(self._comments("activity", {activity.id}, item_labels,
                                           ("item", {i.id for i in activity.items})))
        from d4a_desktop.gui.comments import review_text

        review = assessments.last_review(session, activity_id)
        panel.show_review(review_text(str(review.get("reviewed_by") or ""),
                                      review.get("date")) if review else review_text("", None))

    def _add_comment(self, panel: CommentsPanel, kind: str, about: str, text: str) -> None:
        if self.session is None or self.window.read_only:
            return
        command = assessments.add_comment(self.session, kind, about, text,
                                          self.window.program.author())
        if self.window.edit(c.Batch((command,), pgettext("undo", "Add a comment"),
                                    "comments")):
            panel.clear_input()

    def _resolve_comment(self, comment_id: str, resolved: bool) -> None:
        if self.session is None or self.window.read_only:
            return
        label = pgettext("undo", "Resolve a comment") if resolved \
            else pgettext("undo", "Reopen a comment")
        self.window.edit(c.Batch((c.SetRecordFields("comments", comment_id,
                                                    {"resolved": resolved}),),
                                 label, "comments"))

    def _delete_comment(self, comment_id: str) -> None:
        if self.session is None or self.window.read_only:
            return
        if self.window.edit(c.Batch((c.DeleteRecord("comments", comment_id),),
                                    pgettext("undo", "Delete a comment"), "comments")):
            self.window.statusBar().showMessage(_("The comment was deleted. Undo brings it "
                                                  "back."), 6000)

    def _mark_reviewed(self) -> None:
        activity_id = self.window.view.activity.activity_id
        if self.session is None or self.window.read_only or not activity_id:
            return
        command = assessments.mark_reviewed(self.session, activity_id,
                                            self.window.program.author(), self._today())
        self.window.edit(c.Batch((command,), pgettext("undo", "Mark as reviewed"),
                                 "reviews"))


def _comment_view(record: Record, label: str) -> CommentView:
    from d4a_desktop.gui.comments import CommentView

    return CommentView(record.id, str(record.get("about_kind") or ""),
                       str(record.get("about") or ""), label,
                       str(record.get("written_by") or record.author or ""),
                       record.created_at, str(record.get("text") or ""),
                       bool(record.get("resolved")))


def _percent(answered: int, total: int) -> str:
    from d4a_desktop import i18n

    return i18n.format_percent(answered / total) if total else ""


def i18n_number(value: int) -> str:
    from d4a_desktop import i18n

    return i18n.format_number(value)


def _tool_status_text(row: ToolRow) -> str:
    tool_status = answers_mod.status_label

    if not row.status:
        return tool_status("")
    return _("{status}: {answered} of {total} questions answered").format(
        status=tool_status(row.status), answered=row.answered, total=row.total)
