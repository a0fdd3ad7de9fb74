"""The activity page: guidance, guiding questions, status and the checklist.

The page works from the smallest window (900 × 600) to a wide monitor: on a low window the
purpose moves into the scrolling guidance and the checklist keeps most of the height; on a
wide one the guidance keeps a readable line length.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from PySide6.QtCore import QRegularExpression, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QFontMetrics, QResizeEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from d4a_desktop import i18n
from d4a_desktop.core.content import Activity, Roadmap
from d4a_desktop.core.progress import activity_tally, suggested_status
from d4a_desktop.core.project import ProjectState
from d4a_desktop.core.vocab import Origin, Status, country_note_heading
from d4a_desktop.gui.checklist import ChecklistView
from d4a_desktop.gui.comments import CommentsPanel
from d4a_desktop.gui.links import open_url
from d4a_desktop.gui.models import ChecklistModel, ItemIdRole, status_icon
from d4a_desktop.gui.richtext import escape
from d4a_desktop.i18n import _, ngettext
from d4a_desktop.services.roadmap_export import country_notes_markdown

#: Longest line of guidance, in average characters: longer lines are hard to read.
READING_CHARS = 100
#: Below this page height the purpose moves into the guidance to leave room for the list.
COMPACT_HEIGHT = 640
#: Width the checklist needs beside the guidance before the two stand side by side.
WIDE_TABLE = 900

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#])")


def md_text(text: str) -> str:
    """Plain text for a Markdown document: "TRAFFIC <OF> DATA" is not an HTML tag."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


class ElidedLabel(QLabel):
    """One line of plain text that ends in "…" when it does not fit (the full text is its
    tooltip), instead of widening the page or being cut mid-letter."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._full = ""

    def setText(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def _elide(self) -> None:
        super().setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight,
                                                      max(self.width(), 10)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()


class StatusSuggestion(QFrame):
    """A bar above the checklist that offers the status the checklist suggests.

    It never blocks: the user can go on ticking, take the suggestion with one click or
    keep the status they have with another.
    """

    #: the status to set
    statusChosen = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("suggestion")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.accept_button = QPushButton()
        self.accept_button.setObjectName("primary")
        self.keep_button = QPushButton()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 6, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.accept_button)
        layout.addWidget(self.keep_button)
        self._accept: Status | None = None
        self._keep: Status | None = None
        self.accept_button.clicked.connect(lambda: self._choose(self._accept))
        self.keep_button.clicked.connect(lambda: self._choose(self._keep))
        self.offered: Status | None = None
        self.hide()

    def offer(self, current: Status, suggested: Status | None, previous: Status) -> None:
        """Offer ``suggested``; or, when the status just changed by itself from
        ``previous``, offer to keep ``previous``."""
        keep_label = _("Keep “{status}”")
        if suggested is Status.DONE:
            self.text.setText(_("All items are ticked. Mark the activity as done?"))
            self.accept_button.setText(_("Mark as done"))
            self._accept, self._keep = Status.DONE, current
        elif suggested is Status.IN_PROGRESS and current is Status.DONE:
            self.text.setText(_("Not every item is ticked any more. Set the activity back "
                                "to in progress?"))
            self.accept_button.setText(_("Set to in progress"))
            self._accept, self._keep = Status.IN_PROGRESS, current
        elif suggested is Status.IN_PROGRESS:
            self.text.setText(_("Items are ticked. Mark the activity as in progress?"))
            self.accept_button.setText(_("Set to in progress"))
            self._accept, self._keep = Status.IN_PROGRESS, current
        elif previous is not current:
            self.text.setText(_("The first item is ticked, so the activity is now in "
                                "progress."))
            self.accept_button.setText(_("OK"))
            self._accept, self._keep = None, previous
        else:
            self.withdraw()
            return
        self.offered = suggested
        self.keep_button.setText(keep_label.format(status=(self._keep or current).label()))
        self.show()

    def withdraw(self) -> None:
        self.offered = None
        self.hide()

    def _choose(self, status: Status | None) -> None:
        self.withdraw()
        if status is not None:
            self.statusChosen.emit(status)


def _source_link(url: str) -> str:
    """A short link for a note's source: the site's name, the address in the link."""
    host = urlsplit(url).hostname or url
    return f"[{host.removeprefix('www.')}]({url})"


class ActivityPage(QWidget):
    #: activity id, {field: value}
    activityEditRequested = Signal(str, object)
    #: a short message for the status bar
    message = Signal(str)
    #: a tool id: open the tool's form (a link in the guidance)
    toolRequested = Signal(str)

    def __init__(self, roadmap: Roadmap, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("page")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._roadmap = roadmap
        self._activity: Activity | None = None
        self._state: ProjectState | None = None
        #: The project country whose notes the guidance shows.
        self._country = ""
        self._compact = False
        self._layout_changed = True

        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 10)
        layout.setSpacing(6)
        self.crumb = ElidedLabel()
        self.crumb.setObjectName("hint")
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.crumb)
        layout.addWidget(self.title)
        self.purpose = QLabel()
        self.purpose.setObjectName("purpose")
        self.purpose.setWordWrap(True)
        self.purpose.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.purpose)
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.hide()
        layout.addWidget(self.banner)

        row = QHBoxLayout()
        self.origin = QLabel()
        self.origin.setObjectName("badge")
        self.source = QLabel()
        self.source.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.source.linkActivated.connect(lambda link: open_url(self, link))
        # Notes for the project's country sit in the guidance below; this link says there are
        # some and scrolls to them.
        self.notes_link = QLabel()
        self.notes_link.setObjectName("notesLink")
        self.notes_link.linkActivated.connect(lambda _href: self.show_country_notes())
        self.notes_link.hide()
        row.addWidget(self.origin)
        row.addWidget(self.source)
        row.addWidget(self.notes_link)
        row.addStretch(1)
        status_label = QLabel(_("Status:"))
        self.status = QComboBox()
        for status in Status:
            self.status.addItem(status_icon(status), status.label(), status.value)
        status_label.setBuddy(self.status)
        self.status.activated.connect(self._status_chosen)
        self.count = QLabel()
        self.count.setObjectName("hint")
        row.addWidget(status_label)
        row.addWidget(self.status)
        row.addSpacing(12)
        row.addWidget(self.count)
        layout.addLayout(row)
        # The reason gets a line of its own, so it is readable from its first word on
        # a small screen too.
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("Why does this activity not apply?"))
        self.reason.editingFinished.connect(self._reason_edited)
        layout.addWidget(self.reason)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.guidance = QTextBrowser()
        self.guidance.setOpenLinks(False)
        self.guidance.anchorClicked.connect(self._link)
        self.guidance.setFrameShape(QFrame.Shape.StyledPanel)
        self.guidance.document().setDocumentMargin(12)
        self.guidance.setMinimumHeight(72)
        self.guidance.setLineWrapMode(QTextEdit.LineWrapMode.FixedPixelWidth)
        self.splitter.addWidget(self.guidance)

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.setSpacing(4)
        self.suggestion = StatusSuggestion()
        self.suggestion.statusChosen.connect(self._suggestion_taken)
        lower_layout.addWidget(self.suggestion)
        self.checklist = ChecklistModel(self, roadmap)
        self.table = ChecklistView(self.checklist)
        self.table.setMinimumHeight(150)
        self.table.message.connect(self.message)
        lower_layout.addWidget(self.table, 1)
        self.splitter.addWidget(lower)
        layout.addWidget(self.splitter, 1)
        # Comments on the activity and its items, and its review mark (gui/comments.py);
        # the window fills them in.
        self.comments = CommentsPanel(collapsible=True, with_review=True)
        self.comments.cards_area.setMaximumHeight(240)
        layout.addWidget(self.comments)
        self.table.commentRequested.connect(
            lambda item_id: self.comments.write_about("item", item_id))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange()
        QTimer.singleShot(0, self._fit_reading_width)

    def _reading_width(self) -> int:
        """The widest comfortable guidance text, frame and margins included."""
        fm = QFontMetrics(self.guidance.font())
        return READING_CHARS * fm.averageCharWidth() + 2 * 12 + 24

    def _arrange(self) -> None:
        """Fit the page to the window: narrow margins on a small screen; on a low one the
        purpose joins the scrolling guidance and the checklist gets the larger share; on
        a wide one guidance and checklist stand side by side."""
        margin = 24 if self.width() >= 760 else 12
        self._layout.setContentsMargins(margin, 12, margin, 10)
        compact = self.height() < COMPACT_HEIGHT
        wide = self.width() >= self._reading_width() + WIDE_TABLE
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if orientation != self.splitter.orientation():
            self.splitter.setOrientation(orientation)
            self._layout_changed = True
        if compact != self._compact:
            self._compact = compact
            self._layout_changed = True
            if self._activity is not None:
                self._show_text(self._activity)
        if self._layout_changed:
            self._layout_changed = False
            if wide:
                reading = self._reading_width()
                self.splitter.setSizes([reading, max(self.width() - reading, 1)])
            else:
                height = max(self.splitter.height(), 2)
                share = 0.4 if compact else 0.55
                self.splitter.setSizes([round(height * share), round(height * (1 - share))])

    def _fit_reading_width(self) -> None:
        """Wrap guidance at the viewport, but never wider than a comfortable line."""
        fm = QFontMetrics(self.guidance.font())
        limit = READING_CHARS * fm.averageCharWidth()
        width = min(self.guidance.viewport().width(), limit)
        if width != self.guidance.lineWrapColumnOrWidth():
            self.guidance.setLineWrapColumnOrWidth(max(width, 100))
        self.purpose.setMaximumWidth(max(limit, 300))

    @property
    def activity_id(self) -> str | None:
        return self._activity.id if self._activity else None

    def show_activity(self, activity: Activity, state: ProjectState) -> None:
        changed = self._activity is None or self._activity.id != activity.id
        self._activity, self._state = activity, state
        comp = self._roadmap.component(activity.component_id)
        self.crumb.setText(_("Component {number}: {title}").format(number=comp.number,
                                                                   title=comp.title))
        self.title.setText(f"{comp.number}.{activity.number}  {activity.title}")
        self.origin.setText(activity.origin.label())
        self.origin.setProperty("origin", activity.origin.value)
        self.origin.setToolTip(
            _("Restated from the published D4A roadmap.") if activity.origin is Origin.D4A
            else _("Written for this program to complete the roadmap."))
        self.origin.style().unpolish(self.origin)
        self.origin.style().polish(self.origin)
        if activity.source:
            link_text = escape(_("Source"))
            self.source.setText(f'<a href="{escape(activity.source)}">{link_text}</a>')
            self.source.setToolTip(activity.source)
        else:
            self.source.clear()
        self._country = state.meta.country
        self._show_text(activity)
        self.checklist.set_activity(activity, state)
        if changed:
            self.suggestion.withdraw()
        self.update_state(state)

    def _show_text(self, activity: Activity) -> None:
        self.purpose.setText(activity.purpose)
        self.purpose.setVisible(bool(activity.purpose) and not self._compact)
        self.guidance.setMarkdown(self._document(activity, with_purpose=self._compact))
        notes = activity.notes_for(self._country)
        if notes:
            heading = country_note_heading(notes[0].country)
            self.notes_link.setText(f'<a href="#notes">{escape(heading)}</a>')
            self.notes_link.setToolTip(ngettext(
                "{count} note on what this country's own rules and services add to the "
                "activity. Click to read it.",
                "{count} notes on what this country's own rules and services add to the "
                "activity. Click to read them.", len(notes)).format(count=len(notes)))
        self.notes_link.setVisible(bool(notes))

    def show_country_notes(self) -> bool:
        """Scroll the guidance so that the country notes start at the top; False if none."""
        if self._activity is None or not self._activity.notes_for(self._country):
            return False
        heading = country_note_heading(self._activity.notes_for(self._country)[0].country)
        block = self.guidance.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() and block.text() == heading:
                cursor = QTextCursor(block)
                self.guidance.moveCursor(QTextCursor.MoveOperation.End)
                self.guidance.setTextCursor(cursor)  # scrolled up to it: it is at the top
                self.guidance.ensureCursorVisible()
                return True
            block = block.next()
        return False

    def update_state(self, state: ProjectState, item_id: str | None = None) -> None:
        """Refresh status and counts; with ``item_id`` only that checklist row."""
        self._state = state
        if self._activity is None:
            return
        if state.meta.country != self._country:  # the project moved: show the other notes
            self._country = state.meta.country
            self._show_text(self._activity)
        act_state = state.activity(self._activity.id)
        self.status.setCurrentIndex(self.status.findData(act_state.status.value))
        is_na = act_state.status is Status.NOT_APPLICABLE
        self.reason.setVisible(is_na)
        if not self.reason.hasFocus():
            self.reason.setText(act_state.na_reason)
            self.reason.setCursorPosition(0)  # show how the reason starts, not how it ends
        self.reason.setToolTip(act_state.na_reason)
        self.checklist.update_state(state, item_id)
        condition = self._activity.condition
        if not state.applies(condition) and condition is not None:
            self.banner.setText(_("{condition}. The project has answered no, so this activity "
                                  "is left out of progress. Change the answer in Project "
                                  "Details.").format(condition=condition.label()))
        self.banner.setVisible(not state.applies(condition))
        tally = activity_tally(self._activity, state)
        self.count.setText(ngettext("{done} of {total} item done", "{done} of {total} items done",
                                    tally.total).format(done=tally.done, total=tally.total))
        if self.suggestion.isVisible() and \
                suggested_status(act_state.status, tally) is not self.suggestion.offered:
            self.suggestion.withdraw()  # the status or the list moved on: nothing to offer

    def checklist_changed(self, previous: Status) -> None:
        """After the user ticked or unticked an item: offer the status the list suggests.

        ``previous`` is the status before the tick; when it changed with the tick (the
        first tick starts an activity) the user can keep the old one with one click.
        """
        if self._activity is None or self._state is None:
            return
        current = self._state.activity(self._activity.id).status
        suggested = suggested_status(current, activity_tally(self._activity, self._state))
        self.suggestion.offer(current, suggested, previous)

    def _suggestion_taken(self, status: Status) -> None:
        if self._activity is not None and self._state is not None and \
                status is not self._state.activity(self._activity.id).status:
            self.activityEditRequested.emit(self._activity.id, {"status": status})

    def set_read_only(self, read_only: bool) -> None:
        """Show the activity of a project open for reading: nothing can be changed."""
        self.status.setEnabled(not read_only)
        self.comments.set_read_only(read_only)
        self.reason.setReadOnly(read_only)
        self.checklist.set_read_only(read_only)
        if read_only:
            self.suggestion.withdraw()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if read_only
                                   else self.table.edit_triggers)

    def _document(self, activity: Activity, with_purpose: bool = False) -> str:
        parts = [f"*{md_text(activity.purpose)}*", ""] if with_purpose and activity.purpose \
            else []
        parts += [activity.guidance.strip(), ""]
        notes = activity.notes_for(self._country)
        if notes:  # what the project's own country adds, right under the guidance
            parts += country_notes_markdown(notes, "###", _source_link)
        parts += ["### " + _("Guiding questions"), ""]
        parts += [f"- {q}" for q in activity.questions]
        roles = [md_text(r.title) for r in (self._roadmap.role(x) for x in activity.roles) if r]
        if roles:
            parts += ["", "### " + _("Who is involved"), "", i18n.format_list(roles)]
        tools = [t for t in (self._roadmap.tool(x) for x in activity.tools) if t]
        if tools:
            parts += ["", "### " + _("Tools"), ""]
            parts += ["- " + i18n.labelled(f"[**{md_text(t.title)}**](tool:{t.id})",
                                           t.description) for t in tools]
        standards = [s for s in (self._roadmap.standard(x) for x in activity.standards) if s]
        if standards:
            parts += ["", "### " + _("Standards and law"), ""]
            parts += ["- " + i18n.labelled(f"[**{md_text(s.name)}**]({s.url})" if s.url
                                           else f"**{md_text(s.name)}**", s.summary)
                      for s in standards]
        cases = [c for c in (self._roadmap.case(x) for x in activity.cases) if c]
        if cases:
            parts += ["", "### " + _("From the pilots"), ""]
            for case in cases:
                parts += [f"**{md_text(case.title)}** ({md_text(case.place)})", "",
                          case.summary.strip(), ""]
        return "\n".join(parts)

    def highlight(self, pattern: str, item_id: str | None = None) -> None:
        """Mark every match of ``pattern`` in the guidance; select the matched item."""
        regex = QRegularExpression(
            pattern, QRegularExpression.PatternOption.CaseInsensitiveOption
            | QRegularExpression.PatternOption.UseUnicodePropertiesOption)
        selections = []
        fmt = QTextCharFormat()
        fmt.setBackground(QColor("#ffe28a"))
        cursor = self.guidance.document().find(regex)
        first = None
        while not cursor.isNull():
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor
            selection.format = fmt
            selections.append(selection)
            first = first or QTextCursor(cursor)
            cursor = self.guidance.document().find(regex, cursor)
        self.guidance.setExtraSelections(selections)
        if first is not None and item_id is None:
            first.clearSelection()
            self.guidance.setTextCursor(first)
            self.guidance.ensureCursorVisible()
        if item_id is not None:
            for row in range(self.checklist.rowCount()):
                index = self.checklist.index(row, 0)
                if self.checklist.data(index, ItemIdRole) == item_id:
                    self.table.selectRow(row)
                    self.table.scrollTo(index)
                    break

    def _link(self, url: QUrl) -> None:
        if url.scheme() == "tool":
            if self._roadmap.tool(url.path()) is not None:
                self.toolRequested.emit(url.path())
        elif url.scheme() in ("http", "https"):
            open_url(self, url)

    def _status_chosen(self, index: int) -> None:
        if self._activity is None or self._state is None:
            return
        status = Status(self.status.itemData(index))
        if status != self._state.activity(self._activity.id).status:
            self.activityEditRequested.emit(self._activity.id, {"status": status})
            if status is Status.NOT_APPLICABLE:
                self.reason.setFocus()

    def _reason_edited(self) -> None:
        if self._activity is None or self._state is None:
            return
        text = self.reason.text().strip()
        if text != self._state.activity(self._activity.id).na_reason:
            self.activityEditRequested.emit(self._activity.id, {"na_reason": text})
