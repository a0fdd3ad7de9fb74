"""Comments on activities, checklist items, records and filled tools, and review marks.

A comment is plain text with its author and time; it is open until someone resolves it,
and can be reopened. Web addresses in it are shown as links and open in the browser when
clicked; the program itself never fetches them (no previews). A "reviewed by … on …" mark
says who last went through an activity. Every change is an undoable edit of the window.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from d4a_desktop import i18n
from d4a_desktop.gui.links import open_url
from d4a_desktop.gui.richtext import escape
from d4a_desktop.i18n import N_, _, ngettext, pgettext

#: Texts that f-strings below show: marked here, where the catalog extraction sees them.
_T_UNKNOWN = N_("Unknown")

#: Longest comment, as the comments kind allows.
MAX_COMMENT = 20_000
_URL = re.compile(r"\bhttps?://[^\s<>\"'()]+[^\s<>\"'().,;:!?]", re.IGNORECASE)

STYLE = """
QFrame#comment { background: #f8fafc; border: 1px solid #e1e6eb; border-radius: 6px; }
QFrame#comment[resolved="true"] { background: transparent; border: 1px dashed #d5dbe1; }
QLabel#commentHead { color: #4a5560; }
QLabel#commentAbout { color: #1f4e79; font-size: 9pt; }
QLabel#resolvedBadge { color: #2e7d4f; font-size: 9pt; font-weight: 600; }
QLabel#reviewMark { color: #2e7d4f; }
QToolButton#panelToggle { border: none; font-weight: 600; color: #1f4e79; padding: 2px; }
QScrollArea#commentList, QWidget#commentCards { background: transparent; }
"""


@dataclass(frozen=True)
class CommentView:
    """A comment as the panel shows it."""

    id: str
    about_kind: str
    about: str
    #: What the comment is about, when the panel shows comments on several things (a
    #: checklist item on the activity page); "" for the panel's own subject.
    about_label: str
    author: str
    #: When it was written, in UTC as the project file keeps it.
    written: dt.datetime | None
    text: str
    resolved: bool


def when_text(moment: dt.datetime | None) -> str:
    """A time of the project file (UTC) as a local date and time in the interface
    language."""
    if moment is None:
        return ""
    from babel import Locale
    from babel.dates import format_time

    local = moment.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)
    pattern = Locale.parse(i18n.locale()).datetime_formats["medium"]
    return str(pattern).format(format_time(local.time(), "short", locale=i18n.locale()),
                               i18n.format_date(local.date()))


def linked(text: str) -> str:
    """Plain text as rich text that shows it exactly as typed, with its web addresses as
    links (opened by the browser when clicked, never fetched here)."""
    parts = []
    last = 0
    for match in _URL.finditer(text):
        parts.append(escape(text[last:match.start()]))
        url = match.group(0)
        parts.append(f'<a href="{escape(url)}">{escape(url)}</a>')
        last = match.end()
    parts.append(escape(text[last:]))
    return "<span style='white-space:pre-wrap'>" + "".join(parts) + "</span>"


def review_text(reviewer: str, day: dt.date | None) -> str:
    if not reviewer or day is None:
        return _("Not reviewed yet")
    # Translators: the review mark of an activity, as in "Reviewed by Els on 3 Dec 2026".
    return _("Reviewed by {name} on {date}").format(name=reviewer, date=i18n.format_date(day))


class CommentCard(QFrame):
    resolveRequested = Signal(str, bool)
    deleteRequested = Signal(str)

    def __init__(self, comment: CommentView, read_only: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("comment")
        self.setProperty("resolved", comment.resolved)
        self.comment = comment
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 8, 6)
        layout.setSpacing(3)
        head = QHBoxLayout()
        head.setSpacing(12)
        who = QLabel(f"<b>{escape(comment.author or _(_T_UNKNOWN))}</b> · "
                     f"{escape(when_text(comment.written))}")
        who.setObjectName("commentHead")
        head.addWidget(who, 1)
        if comment.resolved:
            badge = QLabel(pgettext("comment", "Resolved"))
            badge.setObjectName("resolvedBadge")
            head.addWidget(badge)
        self.resolve = QPushButton(_("Reopen") if comment.resolved
                                   else pgettext("comment", "Resolve"))
        self.resolve.setObjectName("link")
        self.resolve.setCursor(Qt.CursorShape.PointingHandCursor)
        self.resolve.clicked.connect(
            lambda: self.resolveRequested.emit(comment.id, not comment.resolved))
        self.delete = QPushButton(_("Delete"))
        self.delete.setObjectName("link")
        self.delete.setCursor(Qt.CursorShape.PointingHandCursor)
        self.delete.clicked.connect(lambda: self.deleteRequested.emit(comment.id))
        for button in (self.resolve, self.delete):
            button.setVisible(not read_only)
            head.addWidget(button)
        layout.addLayout(head)
        if comment.about_label:
            about = QLabel(comment.about_label)
            about.setObjectName("commentAbout")
            about.setWordWrap(True)
            about.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(about)
        self.body = QLabel(linked(comment.text))
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.body.setOpenExternalLinks(False)
        self.body.linkActivated.connect(lambda url: open_url(self, url))
        if comment.resolved:
            self.body.setStyleSheet("color: #6b7680;")
        layout.addWidget(self.body)


class _CommentInput(QPlainTextEdit):
    submitted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class CommentsPanel(QWidget):
    """The comments on one thing (a tool, a record) or on an activity and its checklist
    items, with a box to write a new one; optionally the activity's review mark, and
    collapsible to its heading."""

    #: about_kind, about, text
    addRequested = Signal(str, str, str)
    #: comment id, resolved
    resolveRequested = Signal(str, bool)
    deleteRequested = Signal(str)
    reviewRequested = Signal()
    #: the panel was opened or closed by the user
    toggled = Signal(bool)

    def __init__(self, *, collapsible: bool = False, with_review: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setStyleSheet(STYLE)
        self.read_only = False
        self._comments: list[CommentView] = []
        self._targets: list[tuple[str, str, str]] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        head = QHBoxLayout()
        head.setSpacing(8)
        # Children of the panel from the start: showing a widget that has no parent yet
        # (setVisible(True) below) would open it as a window of its own for a moment.
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("panelToggle")
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setCheckable(True)
        self.toggle.setChecked(not collapsible)
        self.toggle.setVisible(collapsible)
        self.toggle.toggled.connect(self._toggled)
        self.heading = QLabel(self)
        self.heading.setObjectName("sectionTitle")
        self.heading.setVisible(not collapsible)
        head.addWidget(self.toggle)
        head.addWidget(self.heading)
        head.addStretch(1)
        self.review = QLabel(self)
        self.review.setObjectName("reviewMark")
        self.review.setTextFormat(Qt.TextFormat.PlainText)
        self.review_button = QPushButton(_("Mark as Reviewed"), self)
        self.review_button.setToolTip(_("Record that you have gone through this activity "
                                        "today."))
        self.review_button.clicked.connect(self.reviewRequested)
        for widget in (self.review, self.review_button):
            widget.setVisible(with_review)
            head.addWidget(widget)
        layout.addLayout(head)

        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(4)
        options = QHBoxLayout()
        self.show_resolved = QCheckBox(_("Show resolved comments"))
        self.show_resolved.setChecked(True)
        self.show_resolved.toggled.connect(lambda _c: self._fill())
        options.addWidget(self.show_resolved)
        options.addStretch(1)
        body.addLayout(options)
        self.cards_area = QScrollArea()
        self.cards_area.setObjectName("commentList")
        self.cards_area.setWidgetResizable(True)
        self.cards_area.setFrameShape(QFrame.Shape.NoFrame)
        self.cards_area.viewport().setAutoFillBackground(False)
        self.list = QWidget()
        self.list.setObjectName("commentCards")
        self.list_layout = QVBoxLayout(self.list)
        self.list_layout.setContentsMargins(0, 0, 4, 0)
        self.list_layout.setSpacing(6)
        self.list_layout.addStretch(1)
        self.cards_area.setWidget(self.list)
        body.addWidget(self.cards_area, 1)
        self.empty = QLabel(_("No comments yet."))
        self.empty.setObjectName("hint")
        body.addWidget(self.empty)

        self.writer = QWidget()
        writer = QVBoxLayout(self.writer)
        writer.setContentsMargins(0, 0, 0, 0)
        writer.setSpacing(4)
        about_row = QHBoxLayout()
        self.about_label = QLabel(_("Comment on:"))
        self.about = QComboBox()
        self.about.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.about.setMinimumContentsLength(24)
        self.about.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.about_label.setBuddy(self.about)
        about_row.addWidget(self.about_label)
        about_row.addWidget(self.about, 1)
        writer.addLayout(about_row)
        self.input = _CommentInput()
        self.input.setPlaceholderText(_("Write a comment for your colleagues and partners "
                                        "(Ctrl+Enter adds it)"))
        self.input.setTabChangesFocus(True)
        self.input.setFixedHeight(self.input.fontMetrics().lineSpacing() * 3 + 14)
        self.input.submitted.connect(self._add)
        self.input.textChanged.connect(self._update_add)
        writer.addWidget(self.input)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.add_button = QPushButton(_("Add Comment"))
        self.add_button.clicked.connect(self._add)
        buttons.addWidget(self.add_button)
        writer.addLayout(buttons)
        body.addWidget(self.writer)
        layout.addWidget(self.body, 1)
        self.body.setVisible(self.toggle.isChecked())
        self._update_heading()
        self._update_add()

    # --- what the panel is about -------------------------------------------------------

    def set_targets(self, targets: Sequence[tuple[str, str, str]]) -> None:
        """What a new comment can be about: (kind, id, label), the panel's own subject
        first. With one target the choice is not shown."""
        targets = list(targets)
        if targets == self._targets:
            return
        current = self.about.currentData()
        self._targets = targets
        self.about.clear()
        for kind, about, label in targets:
            self.about.addItem(label, f"{kind}\n{about}")
        index = self.about.findData(current) if current is not None else -1
        self.about.setCurrentIndex(max(index, 0))
        many = len(targets) > 1
        self.about.setVisible(many)
        self.about_label.setVisible(many)

    def target(self) -> tuple[str, str]:
        """What the next comment is about."""
        kind, _sep, about = str(self.about.currentData() or "").partition("\n")
        return kind, about

    def write_about(self, kind: str, about: str) -> None:
        """Open the panel with the box ready for a comment about ``kind``/``about``."""
        index = self.about.findData(f"{kind}\n{about}")
        if index >= 0:
            self.about.setCurrentIndex(index)
        self.toggle.setChecked(True)
        if not self.read_only:
            self.input.setFocus()

    # --- content ---------------------------------------------------------------------------

    def show_comments(self, comments: Sequence[CommentView]) -> None:
        self._comments = list(comments)
        self._fill()
        self._update_heading()

    def show_review(self, text: str) -> None:
        self.review.setText(text)

    def open_count(self) -> int:
        return sum(1 for c in self._comments if not c.resolved)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.writer.setVisible(not read_only)
        self.review_button.setEnabled(not read_only)
        self._fill()

    def cards(self) -> list[CommentCard]:
        return [w for w in self.list.findChildren(CommentCard) if w.parent() is self.list]

    def _fill(self) -> None:
        for card in self.cards():
            self.list_layout.removeWidget(card)
            card.deleteLater()
            card.setParent(None)
        shown = [c for c in self._comments
                 if self.show_resolved.isChecked() or not c.resolved]
        # Open comments first, each group in the order it was written, like a conversation.
        shown.sort(key=lambda c: (c.resolved, c.written or dt.datetime.min))
        for comment in shown:
            card = CommentCard(comment, self.read_only, self.list)
            card.resolveRequested.connect(self.resolveRequested)
            card.deleteRequested.connect(self.deleteRequested)
            self.list_layout.insertWidget(self.list_layout.count() - 1, card)
        self.cards_area.setVisible(bool(shown))
        self.empty.setVisible(not shown)
        self.empty.setText(_("No comments yet.") if not self._comments
                           else _("Every comment is resolved."))

    def _update_heading(self) -> None:
        total, open_ = len(self._comments), self.open_count()
        if open_:
            text = ngettext("Comments ({count} open)", "Comments ({count} open)",
                            open_).format(count=open_)
        elif total:
            text = _("Comments (all resolved)")
        else:
            text = _("Comments")
        self.toggle.setText(text)
        self.heading.setText(text)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if self.toggle.isChecked()
                                 else Qt.ArrowType.RightArrow)

    def _toggled(self, shown: bool) -> None:
        self.body.setVisible(shown)
        self._update_heading()
        self.toggled.emit(shown)

    def _update_add(self) -> None:
        text = self.input.toPlainText()
        self.add_button.setEnabled(bool(text.strip()) and len(text) <= MAX_COMMENT)

    def _add(self) -> None:
        text = self.input.toPlainText().strip()
        if not text or self.read_only or len(text) > MAX_COMMENT:
            return
        chosen = str(self.about.currentData() or "")
        kind, _sep, about = chosen.partition("\n")
        if not chosen and self._targets:
            kind, about = self._targets[0][0], self._targets[0][1]
        if not kind:
            return
        self.addRequested.emit(kind, about, text)

    def clear_input(self) -> None:
        """The comment was added: empty the box for the next one. (A comment the project
        did not take stays in the box.)"""
        self.input.clear()
