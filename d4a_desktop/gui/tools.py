"""The roadmap's tools filled in: the Tools page and the form of one tool.

A tool's form is generated from its definition in the roadmap (sections, questions,
choices, scales, help); answers are saved as they are typed. Beside the form the tool's
result is computed in core (``core/rules.py``) and shown with the answers that led to it,
never as a bare verdict; answers that led there are marked in the form. "Save as version"
freezes the answers with their date and author; the form marks, field by field, what
changed since the previous version, and any saved version can be looked at, read-only. The
maturity self-check draws a radar chart of two versions over each other.

The widgets hold plain data only (``ToolView``); every change the user makes is a signal
that the window turns into an undoable edit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from d4a_desktop import i18n
from d4a_desktop.core import assessments as answers_mod
from d4a_desktop.core import rules
from d4a_desktop.core.content import Section, Standard, Tool
from d4a_desktop.core.vocab import Status
from d4a_desktop.gui.comments import CommentsPanel
from d4a_desktop.gui.dates import DateEdit
from d4a_desktop.gui.fields import FieldEditor, QuestionFrame, make_editor
from d4a_desktop.gui.models import plain_tooltip, status_icon
from d4a_desktop.gui.richtext import escape
from d4a_desktop.i18n import N_, _, ngettext, pgettext
from d4a_desktop.i18n.dates import DateInputError
from d4a_desktop.services.assessments import ToolRow

#: Texts that f-strings below show: marked here, where the catalog extraction sees them.
_T_RANKING = N_("Ranking")
_T_RANK = N_("Rank")
_T_OPTION = N_("Option")
_T_WEIGHTED_SCORE = N_("Weighted score")
_T_DUTIES_UNDER_THE_AI_ACT = N_("Duties under the AI Act")
_T_LEVEL_PER_DIMENSION = N_("Level per dimension")
_T_DIMENSION = N_("Dimension")
_T_AVERAGE = N_("Average")
_T_LEVEL = N_("Level")
_T_KEEP_IN_MIND = N_("Keep in mind")
_T_HOW_THE_LEVELS_MOVED = N_("How the levels moved")
_T_BACK_TO_THE_CURRENT_ANSWERS = N_("Back to the current answers")

_Index = QModelIndex | QPersistentModelIndex

STYLE = """
QFrame#question { border-left: 3px solid transparent; }
QFrame#question[mark="decisive"] { border-left: 3px solid #2f7fc1; background: #f2f7fc; }
QFrame#question[mark="changed"] { border-left: 3px solid #e0a526; background: #fffaf0; }
QLabel#questionLabel { font-weight: 600; color: #1f2d3a; }
QLabel#changeNote { color: #8a5a00; font-size: 9pt; }
QLabel#fieldError { color: #b03a2e; }
QFrame#entry { background: #f8fafc; border: 1px solid #e1e6eb; border-radius: 6px; }
QLabel#entryTitle { font-weight: 600; font-size: 11pt; color: #1f4e79; }
QFrame#verdict { border-radius: 6px; padding: 4px; background: #eef1f4;
                 border: 1px solid #c9d1d9; }
QFrame#verdict[tone="good"] { background: #eaf6ee; border: 1px solid #9fd1b2; }
QFrame#verdict[tone="warn"] { background: #fff5e0; border: 1px solid #e6c46a; }
QFrame#verdict[tone="attention"] { background: #fdeeee; border: 1px solid #e3a5a0; }
QFrame#verdict[tone="info"] { background: #eaf2fa; border: 1px solid #a9c6e3; }
QLabel#verdictText { font-size: 12pt; font-weight: 600; color: #1f2d3a; }
QLabel#versionBanner { background: #eaf2fa; border: 1px solid #a9c6e3; border-radius: 4px;
                       padding: 6px 10px; color: #1f3b57; }
"""

#: Colours of the two versions a radar chart overlays: the earlier, the later.
RADAR_COLOURS = (QColor("#9aa3ad"), QColor("#2f7fc1"))


@dataclass(frozen=True)
class VersionInfo:
    """A saved version of a filled tool, read-only."""

    number: int
    saved_on: dt.date | None
    author: str
    status: str
    note: str
    answers: Mapping[str, Any]

    def title(self) -> str:
        day = i18n.format_date(self.saved_on) if self.saved_on else "?"
        if self.author:
            # Translators: a saved version of a tool in lists: "Version 2 of 19 Nov 2026,
            # Els Vandenberghe".
            return _("Version {number} of {date}, {author}").format(
                number=self.number, date=day, author=self.author)
        return _("Version {number} of {date}").format(number=self.number, date=day)

    def short_title(self) -> str:
        """For a chart's legend: the number and the date."""
        day = i18n.format_date(self.saved_on) if self.saved_on else "?"
        return _("Version {number} of {date}").format(number=self.number, date=day)


@dataclass(frozen=True)
class ToolView:
    """What the form of one tool shows, read from the project."""

    tool: Tool
    #: "" (never opened), "draft" or "complete"
    status: str
    next_review: dt.date | None
    answers: Mapping[str, Any]
    versions: tuple[VersionInfo, ...] = ()
    today: dt.date = field(default_factory=dt.date.today)
    standards: tuple[Standard, ...] = ()


status_label = answers_mod.status_label


def _status_icon(status: str) -> Any:
    return status_icon({"complete": Status.DONE, "draft": Status.IN_PROGRESS}.get(
        status, Status.NOT_STARTED))


# --- the Tools page ---------------------------------------------------------------------------

class ToolsModel(QAbstractTableModel):
    """The roadmap's tools with how far each is filled in; read-only."""

    TOOL, STATUS, ANSWERED, RESULT, VERSIONS, REVIEW = range(6)
    ToolIdRole = Qt.ItemDataRole.UserRole + 40

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rows: list[ToolRow] = []
        self._today = dt.date.today()

    def set_rows(self, rows: Sequence[ToolRow], today: dt.date | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._today = today or dt.date.today()
        self.endResetModel()

    def row_of(self, tool_id: str) -> int:
        return next((n for n, r in enumerate(self._rows) if r.tool.id == tool_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 6

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (_("Tool"), _("Status"), _("Answered"), _("Result"), _("Versions"),
                _("Next review"))[section] if 0 <= section < 6 else None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def due(self, row: ToolRow) -> bool:
        return row.next_review is not None and row.next_review <= self._today

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == self.ToolIdRole:
            return row.tool.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.TOOL:
                return plain_tooltip(row.tool.description) if row.tool.description else None
            if column == self.RESULT and row.verdict:
                return plain_tooltip(row.verdict)
            if column == self.REVIEW and self.due(row):
                return _("The review is due.")
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == self.STATUS and \
                row.register_count is None:
            return _status_icon(row.status)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.REVIEW and self.due(row):
                return QBrush(QColor("#b03a2e"))
            if column in (self.STATUS, self.ANSWERED) and not row.status:
                return QBrush(QColor("#6b7680"))
        if role == Qt.ItemDataRole.FontRole and column == self.TOOL:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.ANSWERED,
                                                                   self.VERSIONS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: ToolRow, column: int) -> str:
        if column == self.TOOL:
            return row.tool.title
        if row.register_count is not None:
            if column == self.STATUS:
                return _("Register")
            if column == self.ANSWERED:
                return ngettext("{count} dataset", "{count} datasets",
                                row.register_count).format(count=row.register_count)
            return ""
        if column == self.STATUS:
            return status_label(row.status)
        if column == self.ANSWERED:
            return i18n.format_percent(row.answered / row.total) if row.status and row.total \
                else ""
        if column == self.RESULT:
            return row.verdict
        if column == self.VERSIONS:
            return i18n.format_number(row.versions) if row.versions else ""
        if column == self.REVIEW:
            return i18n.format_date(row.next_review) if row.next_review else ""
        return ""


class ToolsPage(QWidget):
    """Every tool of the roadmap, how far it is filled in and its result."""

    #: a tool id: open its form
    toolRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("page")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 12)
        layout.setSpacing(8)
        title = QLabel(_("Tools"))
        title.setObjectName("pageTitle")
        intro = QLabel(_("The worksheets of the roadmap, filled in for this project. Answers "
                         "are saved as you type; save a version to keep how the answers "
                         "stood on a day, and set a date to review them."))
        intro.setObjectName("purpose")
        intro.setWordWrap(True)
        self.due = QLabel()
        self.due.setObjectName("banner")
        self.due.setWordWrap(True)
        self.due.setTextFormat(Qt.TextFormat.PlainText)
        self.due.hide()
        self.model = ToolsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ToolsModel.RESULT, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._open)
        self.table.doubleClicked.connect(self._open)
        hint = QLabel(_("Double-click a tool, or press Enter, to open it."))
        hint.setObjectName("hint")
        for widget in (title, intro, self.due):
            layout.addWidget(widget)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)

    def show_rows(self, rows: Sequence[ToolRow], today: dt.date | None = None) -> None:
        today = today or dt.date.today()
        self.model.set_rows(rows, today)
        self.table.resizeRowsToContents()
        due = [r for r in rows if self.model.due(r)]
        if due:
            self.due.setText(ngettext("A review is due: {tools}.", "Reviews are due: {tools}.",
                                      len(due)).format(tools=i18n.format_list(
                                          [r.tool.title for r in due])))
        self.due.setVisible(bool(due))

    def _open(self, index: QModelIndex) -> None:
        tool_id = index.data(ToolsModel.ToolIdRole)
        if tool_id:
            self.toolRequested.emit(str(tool_id))


# --- the radar chart of the maturity self-check -----------------------------------------------

def radar_colour(number: int, count: int) -> QColor:
    """The colour of a version on the radar: grey for the earlier of two, blue for the
    later."""
    if count <= 2:
        return RADAR_COLOURS[min(1, number + (2 - count))]
    return QColor.fromHsv(210 + 40 * number, 160, 200)


def _wrapped(label: str, width: int = 16) -> str:
    """An axis label on lines of about ``width`` characters (chart labels take HTML), so
    that long dimension names leave room for the chart."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(escape(line) for line in lines)


def radar_legend(names: Sequence[str]) -> str:
    """The legend of a radar chart: each version's colour and line, then its name."""
    count = len(names)
    parts = []
    for number, name in enumerate(names):
        colour = radar_colour(number, count)
        mark = "╌╌" if number < count - 1 else "━━"
        parts.append(f"<span style='color:{colour.name()}'><b>{mark}</b></span>&nbsp;"
                     f"{escape(name)}")
        # The newer version is drawn solid, the earlier ones dashed.
    return "<br>".join(parts)


# --- the result of the rule -------------------------------------------------------------------

def _bullets(lines: Sequence[str]) -> str:
    return "<ul style='margin-left:-20px'>" + "".join(
        f"<li>{escape(line)}</li>" for line in lines) + "</ul>"


class OutcomeView(QWidget):
    """What the answers mean: the verdict, the reasons that led to it, what is still
    open, advice, and the tool's own figures (ranking, duties, levels, radar)."""

    #: two version numbers to compare on the radar (0: the current answers)
    radarVersionsChanged = Signal(int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.progress_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(8)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress)
        self.card = QFrame()
        self.card.setObjectName("verdict")
        card = QVBoxLayout(self.card)
        card.setContentsMargins(10, 8, 10, 8)
        self.verdict = QLabel()
        self.verdict.setObjectName("verdictText")
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)
        card.addWidget(self.verdict)
        layout.addWidget(self.card)
        self.compare = QWidget()
        compare = QGridLayout(self.compare)
        compare.setContentsMargins(0, 0, 0, 0)
        self.first = QComboBox()
        self.second = QComboBox()
        # Translators: above the radar chart, on two lines: "Compare [version]" /
        # "with [version]".
        compare.addWidget(QLabel(_("Compare")), 0, 0)
        compare.addWidget(self.first, 0, 1)
        compare.addWidget(QLabel(pgettext("compare versions", "with")), 1, 0)
        compare.addWidget(self.second, 1, 1)
        compare.setColumnStretch(1, 1)
        for combo in (self.first, self.second):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
            combo.activated.connect(self._compare_chosen)
        layout.addWidget(self.compare)
        from d4a_desktop.gui.charts import RadarView  # QtCharts loads when first needed

        self.radar = RadarView()
        layout.addWidget(self.radar)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        layout.addWidget(self.legend)
        self.movement = QLabel()
        self.movement.setWordWrap(True)
        self.movement.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.movement)
        # The reasons come after the chart, which says at a glance what they list.
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.details)
        layout.addStretch(1)
        self.compare.hide()
        self.radar.hide()
        self.legend.hide()
        self.movement.hide()
        self.outcome: rules.Outcome | None = None

    def show_outcome(self, tool: Tool, answers: Mapping[str, Any],
                     outcome: rules.Outcome | None) -> None:
        self.outcome = outcome
        done = answers_mod.completeness(tool, answers)
        self.progress_label.setText(ngettext(
            "{answered} of {total} question answered", "{answered} of {total} questions "
            "answered", done.total).format(answered=done.answered, total=done.total))
        self.progress.setValue(round(done.fraction * 1000))
        if outcome is None:
            self.card.hide()
            self.details.setText(escape(_("This tool has no computed result: it is a "
                                          "worksheet to fill in together and to keep up "
                                          "to date.")))
            return
        self.card.show()
        tone = rules.TONES.get(outcome.code, "")
        if self.card.property("tone") != tone:
            self.card.setProperty("tone", tone)
            self.card.style().unpolish(self.card)
            self.card.style().polish(self.card)
        self.verdict.setText(outcome.verdict)
        self.details.setText(self._details(outcome))

    def _details(self, outcome: rules.Outcome) -> str:
        parts = []
        reasons = list(outcome.reasons)
        duties = getattr(outcome, "duties", ())
        if duties:
            reasons = reasons[:len(reasons) - len(duties)]
        if reasons:
            heading = _("Still open") if not outcome.complete else _("Why")
            parts.append(f"<p><b>{escape(heading)}</b></p>" + _bullets(reasons))
        if isinstance(outcome, rules.ScorecardOutcome) and any(
                o.score is not None for o in outcome.ranking):
            rows = "".join(
                f"<tr><td align='right'>{o.rank or ''}</td><td>{escape(o.name)}</td>"
                f"<td align='right'>{escape(i18n.format_number(round(o.score, 2)))}</td></tr>"
                for o in outcome.ranking if o.score is not None)
            parts.append(f"<p><b>{escape(_(_T_RANKING))}</b></p>"
                         f"<table cellspacing='0' cellpadding='3'><tr><th>{escape(_(_T_RANK))}"
                         f"</th><th align='left'>{escape(_(_T_OPTION))}</th><th>"
                         f"{escape(_(_T_WEIGHTED_SCORE))}</th></tr>{rows}</table>")
        if duties:
            lines = [f"{d.text} {d.when}" for d in duties]
            parts.append(f"<p><b>{escape(_(_T_DUTIES_UNDER_THE_AI_ACT))}</b></p>"
                         + _bullets(lines))
        if isinstance(outcome, rules.MaturityOutcome) and outcome.dimensions:
            rows = "".join(
                f"<tr><td>{escape(d.title)}</td><td align='right'>"
                f"{escape(i18n.format_number(round(d.average, 2)) if d.average else '–')}</td>"
                f"<td>{escape(d.level_label)}</td></tr>" for d in outcome.dimensions)
            parts.append(f"<p><b>{escape(_(_T_LEVEL_PER_DIMENSION))}</b></p>"
                         f"<table cellspacing='0' cellpadding='3'><tr><th align='left'>"
                         f"{escape(_(_T_DIMENSION))}</th><th>{escape(_(_T_AVERAGE))}</th>"
                         f"<th align='left'>{escape(_(_T_LEVEL))}</th></tr>{rows}</table>")
        if outcome.notes:
            parts.append(f"<p><b>{escape(_(_T_KEEP_IN_MIND))}</b></p>"
                         + _bullets(outcome.notes))
        return "".join(parts)

    # --- the radar of the maturity self-check ----------------------------------------------

    def show_radar(self, tool: Tool, choices: Sequence[tuple[int, str, Mapping[str, Any]]],
                   first: int, second: int) -> None:
        """``choices``: (version number, title, answers), 0 for the current answers."""
        self._radar_tool = tool
        self._choices = list(choices)
        for combo, chosen in ((self.first, first), (self.second, second)):
            combo.blockSignals(True)
            combo.clear()
            for number, title, _answers in choices:
                combo.addItem(title, number)
            combo.setCurrentIndex(max(combo.findData(chosen), 0))
            combo.blockSignals(False)
        self.compare.setVisible(len(choices) > 1)
        self.radar.show()
        self.legend.show()
        self._draw()

    def hide_radar(self) -> None:
        for widget in (self.compare, self.radar, self.legend, self.movement):
            widget.hide()

    def _compare_chosen(self) -> None:
        self._draw()
        self.radarVersionsChanged.emit(int(self.first.currentData() or 0),
                                       int(self.second.currentData() or 0))

    def _draw(self) -> None:
        found = {n: (title, a) for n, title, a in self._choices}
        picked = [found[n] for n in dict.fromkeys(
            (int(self.first.currentData() or 0), int(self.second.currentData() or 0)))
            if n in found]
        radar = rules.radar(self._radar_tool, [(t, a) for t, a in picked])
        self.radar.show_radar(radar)
        self.legend.setText(radar_legend([t for t, _a in picked]))
        if len(picked) == 2:
            lines = rules.maturity_change(self._radar_tool, picked[0][1], picked[1][1])
            self.movement.setText(f"<p><b>{escape(_(_T_HOW_THE_LEVELS_MOVED))}</b></p>"
                                  + _bullets(lines))
            self.movement.show()
        else:
            self.movement.hide()


# --- what changed since the previous version --------------------------------------------------

class ChangesView(QWidget):
    """The changes, field by field, from one version to the next, and the saved versions."""

    #: a version number to look at (0: the current answers)
    versionRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.heading = QLabel()
        self.heading.setObjectName("sectionTitle")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text)
        versions_title = QLabel(_("Saved versions"))
        versions_title.setObjectName("sectionTitle")
        layout.addWidget(versions_title)
        self.versions = QLabel()
        self.versions.setWordWrap(True)
        self.versions.setTextFormat(Qt.TextFormat.RichText)
        self.versions.linkActivated.connect(
            lambda href: self.versionRequested.emit(int(href.removeprefix("version:"))))
        layout.addWidget(self.versions)
        layout.addStretch(1)

    def show_changes(self, heading: str, changes: Sequence[answers_mod.Change] | None,
                     empty: str) -> None:
        self.heading.setText(heading)
        if not changes:
            self.text.setText(f"<p>{escape(empty)}</p>")
            return
        kinds = {"added": _("Answered"), "changed": _("Changed"), "removed": _("Cleared")}
        rows = []
        for change in changes:
            if change.kind == "changed":
                what = _("from “{old}” to “{new}”").format(old=_short(change.old_text),
                                                         new=_short(change.new_text))
            elif change.kind == "added":
                what = "“" + _short(change.new_text) + "”"
            else:
                what = _("was “{old}”").format(old=_short(change.old_text))
            rows.append(f"<p style='margin-bottom:6px'><b>{escape(kinds[change.kind])}:</b> "
                        f"{escape(change.label)}<br><span style='color:#4a5560'>"
                        f"{escape(what)}</span></p>")
        self.text.setText("".join(rows))

    def show_versions(self, versions: Sequence[VersionInfo], shown: int) -> None:
        if not versions:
            self.versions.setText(escape(_("None yet. “Save as Version” keeps the answers as "
                                           "they stand today, read-only.")))
            return
        lines = []
        for version in reversed(versions):
            title = escape(version.title())
            status = escape(status_label(version.status))
            note = f"<br><i>{escape(version.note)}</i>" if version.note else ""
            link = f"<b>{title}</b>" if version.number == shown else \
                f"<a href='version:{version.number}'>{title}</a>"
            lines.append(f"<p style='margin-bottom:4px'>{link} · {status}{note}</p>")
        if shown:
            lines.insert(0, f"<p><a href='version:0'>{escape(_(_T_BACK_TO_THE_CURRENT_ANSWERS))}"
                            f"</a></p>")
        self.versions.setText("".join(lines))


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


# --- the form of one tool ---------------------------------------------------------------------

class SaveVersionDialog(QDialog):
    """Ask for a note to keep with a saved version (optional)."""

    def __init__(self, tool_title: str, number: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Save as Version"))
        text = QLabel(_("Version {number} of “{tool}” keeps today's answers, read-only, with "
                        "the date and your name. You can go on changing the answers; the "
                        "form then shows what changed since this version.").format(
                            number=number, tool=tool_title))
        text.setWordWrap(True)
        label = QLabel(_("&Note (optional):"))
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(_("for example: agreed at the steering group of 3 "
                                       "December"))
        self.note.setFixedHeight(self.note.fontMetrics().lineSpacing() * 4 + 14)
        label.setBuddy(self.note)
        buttons = QDialogButtonBox()
        save = buttons.addButton(_("Save Version"), QDialogButtonBox.ButtonRole.AcceptRole)
        save.setDefault(True)
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(label)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.resize(480, 260)

    def text(self) -> str:
        return self.note.toPlainText().strip()


class _EntryFrame(QFrame):
    """One entry of a repeating section, with its questions and buttons to move or remove
    it."""

    def __init__(self, form: ToolForm, section: Section, key: str):
        super().__init__()
        self.setObjectName("entry")
        self.key = key
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        head = QHBoxLayout()
        self.title = QLabel()
        self.title.setObjectName("entryTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        head.addWidget(self.title, 1)
        self.up = QPushButton(_("Move Up"))
        self.down = QPushButton(_("Move Down"))
        self.remove = QPushButton(_("Remove"))
        for button in (self.up, self.down, self.remove):
            button.setObjectName("link")
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            head.addWidget(button)
        layout.addLayout(head)
        self.up.clicked.connect(lambda: form.move_entry(section.id, key, -1))
        self.down.clicked.connect(lambda: form.move_entry(section.id, key, +1))
        self.remove.clicked.connect(lambda: form.entryRemoveRequested.emit(section.id, key))
        for path in answers_mod.entry_paths(form.tool, section.id, key):
            place = answers_mod.locate(form.tool, path)
            assert place is not None and place.field is not None
            layout.addWidget(form.question(section, place.field, path))


class _RepeatingSection(QWidget):
    def __init__(self, form: ToolForm, section: Section):
        super().__init__()
        self.form, self.section = form, section
        self.keys: tuple[str, ...] | None = None
        self.frames: list[_EntryFrame] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.entries = QVBoxLayout()
        self.entries.setSpacing(8)
        layout.addLayout(self.entries)
        self.empty = QLabel()
        self.empty.setObjectName("hint")
        layout.addWidget(self.empty)
        name = answers_mod.entry_name(form.tool, section)
        # Translators: a button under a repeating part of a tool: "Add Option", "Add Role".
        self.add = QPushButton(_("Add {entry}").format(entry=name))
        self.add.clicked.connect(lambda: form.entryAddRequested.emit(section.id))
        row = QHBoxLayout()
        row.addWidget(self.add)
        row.addStretch(1)
        layout.addLayout(row)

    def show_entries(self, answers: Mapping[str, Any], read_only: bool) -> None:
        keys = answers_mod.entries(self.form.tool, self.section.id, answers)
        if keys != self.keys:
            for frame in self.frames:
                self.form.forget(frame)
                self.entries.removeWidget(frame)
                frame.deleteLater()
            self.frames = [_EntryFrame(self.form, self.section, key) for key in keys]
            for frame in self.frames:
                self.entries.addWidget(frame)
            self.keys = keys
        for n, frame in enumerate(self.frames):
            frame.title.setText(answers_mod.entry_title(self.form.tool, self.section.id,
                                                        frame.key, answers, keys))
            frame.up.setVisible(not read_only)
            frame.down.setVisible(not read_only)
            frame.remove.setVisible(not read_only)
            frame.up.setEnabled(n > 0)
            frame.down.setEnabled(n < len(self.frames) - 1)
        self.empty.setText(_("Nothing here yet."))
        self.empty.setVisible(not keys)
        self.add.setVisible(not read_only)


class ToolForm(QWidget):
    """The form of one tool, its result, its changes and the comments on it."""

    #: path, value, merge key
    answerRequested = Signal(str, object, str)
    #: section id
    entryAddRequested = Signal(str)
    #: section id, entry key
    entryRemoveRequested = Signal(str, str)
    #: section id, entry key, new index
    entryMoveRequested = Signal(str, str, int)
    #: {"status": …} or {"next_review": …}
    detailsRequested = Signal(object)
    #: the note of a new version
    saveVersionRequested = Signal(str)
    #: a register to show instead (the data inventory)
    registerRequested = Signal(str)
    #: the tool's worksheet as the roadmap defines it
    worksheetRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("page")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self.tool: Tool = Tool("", "", "")
        self.view: ToolView | None = None
        self.read_only = False
        #: The version shown (0: the current answers, which can be edited).
        self.shown = 0
        self.editors: dict[str, FieldEditor] = {}
        self.frames: dict[str, QuestionFrame] = {}
        self.repeating: list[_RepeatingSection] = []
        self._radar_pair: tuple[int, int] | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 10)
        layout.setSpacing(6)
        self.crumb = QLabel(_("Tools"))
        self.crumb.setObjectName("hint")
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.description = QLabel()
        self.description.setObjectName("purpose")
        self.description.setWordWrap(True)
        self.description.setTextFormat(Qt.TextFormat.PlainText)
        for widget in (self.crumb, self.title, self.description):
            layout.addWidget(widget)

        self.controls = QWidget()
        row = QHBoxLayout(self.controls)
        row.setContentsMargins(0, 0, 0, 0)
        status_label_ = QLabel(_("Status:"))
        self.status = QComboBox()
        for code in ("draft", "complete"):
            self.status.addItem(_status_icon(code), status_label(code), code)
        status_label_.setBuddy(self.status)
        self.status.activated.connect(self._status_chosen)
        review_label = QLabel(_("Next review:"))
        self.next_review = DateEdit()
        review_label.setBuddy(self.next_review)
        self.next_review.editingFinished.connect(self._review_edited)
        self.next_review.picked.connect(lambda _v: self._review_edited())
        self.review_due = QLabel(_("The review is due."))
        self.review_due.setStyleSheet("color: #b03a2e; font-weight: 600;")
        self.review_due.hide()
        self.save_version = QPushButton(_("Save as Version…"))
        self.save_version.clicked.connect(self._ask_version)
        self.worksheet = QPushButton(_("Worksheet…"))
        self.worksheet.setToolTip(_("The tool as the roadmap defines it, with its "
                                    "interpretation and sources."))
        self.worksheet.clicked.connect(lambda: self.worksheetRequested.emit(self.tool.id))
        row.addWidget(status_label_)
        row.addWidget(self.status)
        row.addSpacing(12)
        row.addWidget(review_label)
        row.addWidget(self.next_review)
        row.addWidget(self.review_due)
        row.addStretch(1)
        row.addWidget(self.save_version)
        row.addWidget(self.worksheet)
        layout.addWidget(self.controls)
        self.banner = QLabel()
        self.banner.setObjectName("versionBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.linkActivated.connect(lambda _h: self.show_version(0))
        self.banner.hide()
        layout.addWidget(self.banner)

        self.register_note = QWidget()
        note = QVBoxLayout(self.register_note)
        note.setContentsMargins(0, 8, 0, 0)
        self.register_text = QLabel()
        self.register_text.setWordWrap(True)
        self.register_button = QPushButton()
        self.register_button.setObjectName("primary")
        self.register_button.clicked.connect(lambda: self.registerRequested.emit("datasets"))
        note.addWidget(self.register_text)
        button_row = QHBoxLayout()
        button_row.addWidget(self.register_button)
        button_row.addStretch(1)
        note.addLayout(button_row)
        note.addStretch(1)
        layout.addWidget(self.register_note, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.form_area = QScrollArea()
        self.form_area.setWidgetResizable(True)
        self.form_area.setFrameShape(QFrame.Shape.StyledPanel)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.form_area.setWidget(self.body)
        self.tabs = QTabWidget()
        self.outcome = OutcomeView()
        self.outcome.radarVersionsChanged.connect(
            lambda a, b: setattr(self, "_radar_pair", (a, b)))
        self.changes = ChangesView()
        self.changes.versionRequested.connect(self.show_version)
        self.comments = CommentsPanel()
        tabs: tuple[tuple[QWidget, str], ...] = (
            (self.outcome, _("Result")), (self.changes, _("Changes")),
            (self.comments, _("Comments")))
        for page, label in tabs:
            holder = QScrollArea()
            holder.setWidgetResizable(True)
            holder.setFrameShape(QFrame.Shape.NoFrame)
            inner = QWidget()
            inner_layout = QVBoxLayout(inner)
            inner_layout.setContentsMargins(10, 10, 10, 10)
            inner_layout.addWidget(page)
            holder.setWidget(inner)
            self.tabs.addTab(holder, label)
        self.splitter.addWidget(self.form_area)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)
        self._wide: bool | None = None

    # --- layout ---------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        wide = self.width() >= 860
        if wide != self._wide:
            self._wide = wide
            self.splitter.setOrientation(Qt.Orientation.Horizontal if wide
                                         else Qt.Orientation.Vertical)
            total = self.splitter.width() if wide else self.splitter.height()
            share = 0.55 if wide else 0.6
            self.splitter.setSizes([round(total * share), round(total * (1 - share))])

    # --- building the form ----------------------------------------------------------------

    def question(self, section: Section, fld: Any, path: str) -> QuestionFrame:
        editor = make_editor(self.tool, section, fld, path, self)
        editor.changed.connect(self.answerRequested)
        editor.set_read_only(self.read_only or self.shown != 0)
        frame = QuestionFrame(editor)
        self.editors[path] = editor
        self.frames[path] = frame
        return frame

    def forget(self, widget: QWidget) -> None:
        """Drop the editors of an entry that goes away."""
        for path in [p for p, f in self.frames.items() if widget.isAncestorOf(f)]:
            self.editors.pop(path).deleteLater()
            self.frames.pop(path)

    def _build(self, tool: Tool) -> None:
        self.tool = tool
        self.editors.clear()
        self.frames.clear()
        self.repeating.clear()
        old = self.form_area.takeWidget()
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(12, 10, 12, 12)
        self.body_layout.setSpacing(6)
        for section in tool.sections:
            title = QLabel(answers_mod.section_title(tool, section))
            title.setObjectName("sectionTitle")
            title.setWordWrap(True)
            self.body_layout.addWidget(title)
            help_text = i18n.content_text(f"tool:{tool.id}/{section.id}|help", section.help)
            if help_text:
                hint = QLabel(help_text)
                hint.setObjectName("hint")
                hint.setWordWrap(True)
                hint.setTextFormat(Qt.TextFormat.MarkdownText)
                self.body_layout.addWidget(hint)
            if section.repeating:
                box = _RepeatingSection(self, section)
                self.repeating.append(box)
                self.body_layout.addWidget(box)
            else:
                for fld in section.fields:
                    self.body_layout.addWidget(self.question(section, fld,
                                                             f"{section.id}/{fld.id}"))
            self.body_layout.addSpacing(8)
        self.retired_title = QLabel(_("Answers this version of the tool no longer uses"))
        self.retired_title.setObjectName("sectionTitle")
        self.retired_text = QLabel()
        self.retired_text.setWordWrap(True)
        self.retired_text.setTextFormat(Qt.TextFormat.RichText)
        self.body_layout.addWidget(self.retired_title)
        self.body_layout.addWidget(self.retired_text)
        self.body_layout.addStretch(1)
        self.form_area.setWidget(self.body)
        if old is not None:
            old.deleteLater()

    # --- showing ----------------------------------------------------------------------------

    def show_view(self, view: ToolView) -> None:
        """Show a tool as the project has it now (after an edit: the same tool again)."""
        new_tool = self.view is None or self.view.tool.id != view.tool.id \
            or self.view.tool is not view.tool
        if new_tool:
            self.shown = 0
            self._radar_pair = None
        self.view = view
        tool = view.tool
        self.title.setText(tool.title)
        self.description.setText(tool.description)
        register = tool.kind == "register"
        self.register_note.setVisible(register)
        self.splitter.setVisible(not register)
        self.controls.setVisible(not register)
        if register:
            self.tool = tool
            self.register_text.setText(_(
                "The data inventory is kept as a register of datasets: each dataset is a "
                "record with the fields of this tool, which you can sort, filter, import and "
                "export. Open the register to work on it."))
            self.register_button.setText(_("Open the Data Inventory"))
            self.banner.hide()
            return
        if new_tool:
            self._build(tool)
        if self.shown and not any(v.number == self.shown for v in view.versions):
            self.shown = 0  # the version shown went away (its saving was undone)
        self._refresh()

    def show_version(self, number: int) -> None:
        """Look at a saved version (read-only), or at the current answers (0)."""
        if self.view is None:
            return
        self.shown = number if any(v.number == number for v in self.view.versions) else 0
        self._refresh()

    def _refresh(self) -> None:
        view = self.view
        assert view is not None
        tool = view.tool
        versions = view.versions
        version = next((v for v in versions if v.number == self.shown), None)
        answers = dict(version.answers) if version else dict(view.answers)
        previous: VersionInfo | None
        if version is None:
            previous = versions[-1] if versions else None
        else:
            previous = next((v for v in versions if v.number == version.number - 1), None)
        editable = not self.read_only and version is None
        # The controls.
        self.status.setCurrentIndex(max(self.status.findData(
            version.status if version else (view.status or "draft")), 0))
        if not self.next_review.hasFocus():
            self.next_review.setDate(view.next_review)
            self.next_review.deselect()
        self.status.setEnabled(editable)
        # A version of a form nobody has started keeps nothing.
        self.save_version.setEnabled(editable and bool(view.status))
        self.next_review.setReadOnly(not editable)
        self.next_review.calendar_action.setVisible(editable)
        self.review_due.setVisible(version is None and view.next_review is not None
                                   and view.next_review <= view.today)
        if version is not None:
            self.banner.setText(escape(_(
                "You are looking at {version}. A saved version cannot be changed.").format(
                    version=version.title())) + f" <a href='current'>"
                f"{escape(_(_T_BACK_TO_THE_CURRENT_ANSWERS))}</a>")
        self.banner.setVisible(version is not None)
        # The form.
        for box in self.repeating:
            box.show_entries(answers, not editable)
        outcome = rules.evaluate(tool, answers, today=view.today, standards=view.standards)
        changes = answers_mod.diff(tool, previous.answers, answers) if previous else ()
        changed = {c.path: c for c in changes}
        decisive = set(outcome.paths) if outcome else set()
        for path, editor in self.editors.items():
            editor.set_read_only(not editable)
            editor.set_value(answers.get(path))
            change = changed.get(path)
            note = ""
            if change is not None and previous is not None:
                if change.kind == "added":
                    note = _("New since version {number}.").format(number=previous.number)
                elif change.kind == "removed":
                    note = _("Cleared since version {number}; it was “{old}”.").format(
                        number=previous.number, old=_short(change.old_text, 80))
                else:
                    note = _("Changed since version {number}; it was “{old}”.").format(
                        number=previous.number, old=_short(change.old_text, 80))
            self.frames[path].mark(decisive=path in decisive, change=note)
            # A question that follows a yes shows once the yes is given.
            self.frames[path].setVisible(answers_mod.applies(tool, path, answers))
        retired = answers_mod.retired(tool, answers)
        self.retired_title.setVisible(bool(retired))
        self.retired_text.setVisible(bool(retired))
        self.retired_text.setText("".join(
            f"<p><b>{escape(answers_mod.label(tool, r.path, answers))}</b>: "
            f"{escape(answers_mod.display(tool, r.path, r.value))}<br>"
            f"<span style='color:#6b7680'>{escape(r.reason)}</span></p>" for r in retired))
        # Beside the form.
        self.outcome.show_outcome(tool, answers, outcome)
        if isinstance(outcome, rules.MaturityOutcome) or (
                outcome is not None and outcome.tool_id == "maturity-self-check"):
            self._show_radar(view)
        else:
            self.outcome.hide_radar()
        if previous is None:
            heading = _("Changes")
            empty = _("No version has been saved yet. Save a version to keep today's "
                      "answers; the changes made after it are then shown here, field by "
                      "field.") if version is None else _("This is the first version.")
        else:
            heading = _("Changes since {version}").format(version=previous.title())
            empty = _("Nothing has changed since then.")
        self.changes.show_changes(heading, changes, empty)
        self.changes.show_versions(versions, self.shown)
        self.tabs.setTabText(1, ngettext("Changes ({count})", "Changes ({count})",
                                         len(changes)).format(count=len(changes))
                             if changes else _("Changes"))
        count = self.comments.open_count()
        self.tabs.setTabText(2, ngettext("Comments ({count})", "Comments ({count})",
                                         count).format(count=count) if count
                             else _("Comments"))

    def _show_radar(self, view: ToolView) -> None:
        choices: list[tuple[int, str, Mapping[str, Any]]] = [
            (v.number, v.short_title(), v.answers) for v in view.versions]
        current_differs = not view.versions or dict(view.versions[-1].answers) != dict(
            view.answers)
        if current_differs:
            choices.append((0, _("Current answers"), view.answers))
        numbers = [n for n, _t, _a in choices]
        pair = self._radar_pair
        if pair is None or any(n not in numbers for n in pair):
            pair = (numbers[-2], numbers[-1]) if len(numbers) > 1 else (numbers[-1],
                                                                        numbers[-1])
        self.outcome.show_radar(view.tool, choices, *pair)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.comments.set_read_only(read_only)
        if self.view is not None and self.view.tool.kind != "register":
            self._refresh()

    # --- user actions ----------------------------------------------------------------------

    def move_entry(self, section_id: str, key: str, step: int) -> None:
        for box in self.repeating:
            if box.section.id == section_id and box.keys and key in box.keys:
                index = box.keys.index(key) + step
                if 0 <= index < len(box.keys):
                    self.entryMoveRequested.emit(section_id, key, index)

    def _status_chosen(self, index: int) -> None:
        if self.view is None or self.read_only or self.shown:
            return
        code = self.status.itemData(index)
        if code != (self.view.status or "draft") or not self.view.status:
            self.detailsRequested.emit({"status": code})

    def _review_edited(self) -> None:
        if self.view is None or self.read_only or self.shown:
            return
        try:
            day = self.next_review.date()
        except DateInputError:
            self.next_review.explain()
            return
        if day != self.view.next_review:
            self.detailsRequested.emit({"next_review": day})

    def _ask_version(self) -> None:
        if self.view is None or self.read_only:
            return
        for editor in self.editors.values():  # what is being typed goes into the version
            if editor.busy():
                getattr(editor, "save", lambda: None)()
        number = max((v.number for v in self.view.versions), default=0) + 1
        dialog = SaveVersionDialog(self.tool.title, number, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.saveVersionRequested.emit(dialog.text())
