"""The project overview: details, and progress overall, per component and per dimension."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from d4a_desktop import i18n
from d4a_desktop.core.content import Roadmap
from d4a_desktop.core.progress import Progress, Tally
from d4a_desktop.core.project import ProjectState
from d4a_desktop.core.versions import VersionReport
from d4a_desktop.core.vocab import Dimension
from d4a_desktop.gui.models import DIMENSION_COLOURS
from d4a_desktop.i18n import _, ngettext


def _bar(colour: str | None = None) -> QProgressBar:
    bar = QProgressBar()
    bar.setRange(0, 1000)
    bar.setTextVisible(False)
    bar.setFixedHeight(10)
    if colour:
        bar.setStyleSheet(f"QProgressBar::chunk {{ background: {colour}; border-radius: 4px; }}")
    return bar


def _label(text: str = "", name: str = "", wrap: bool = False) -> QLabel:
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    label.setWordWrap(wrap)
    return label


def _pct() -> QLabel:
    label = QLabel()
    label.setMinimumWidth(48)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return label


def _set(bar: QProgressBar, label: QLabel, tally: Tally) -> None:
    bar.setValue(round(tally.fraction * 1000))
    label.setText(i18n.format_percent(tally.fraction))
    bar.setToolTip(ngettext("{done} of {total} item done", "{done} of {total} items done",
                            tally.total).format(done=tally.done, total=tally.total))


class OverviewPage(QScrollArea):
    componentActivated = Signal(str)
    editDetailsRequested = Signal()

    def __init__(self, roadmap: Roadmap, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("page")
        body.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(10)

        head = QHBoxLayout()
        self.title = _label(name="pageTitle", wrap=True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # the user's own words, never HTML
        head.addWidget(self.title, 1)
        self.edit_button = QPushButton(_("Edit details…"))
        self.edit_button.clicked.connect(self.editDetailsRequested)
        head.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(head)
        self.details = _label(name="subtitle", wrap=True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.details)
        layout.addSpacing(12)

        layout.addWidget(_label(_("Overall progress"), "sectionTitle"))
        row = QHBoxLayout()
        self.overall_bar = _bar()
        self.overall_bar.setFixedHeight(16)
        self.overall_pct = _label(name="bigNumber")
        row.addWidget(self.overall_bar, 1)
        row.addWidget(self.overall_pct)
        layout.addLayout(row)
        self.overall_text = _label(name="hint")
        layout.addWidget(self.overall_text)
        layout.addSpacing(16)

        layout.addWidget(_label(_("By component"), "sectionTitle"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(8)
        grid.setColumnStretch(1, 4)
        grid.setColumnStretch(3, 2)
        self._component_rows: dict[str, tuple[QProgressBar, QLabel]] = {}
        for r, comp in enumerate(roadmap.components):
            number = _label(str(comp.number), "componentNumber")
            name = QLabel(f'<a href="{comp.id}" style="color:#1f4e79; text-decoration:none">'
                          f"{escape(comp.title)}</a>")
            name.setWordWrap(True)
            name.setToolTip(comp.goal)
            name.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                         | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
            name.linkActivated.connect(self.componentActivated)
            stage = _label(comp.stage.label(), "hint")
            bar = _bar()
            bar.setMinimumWidth(120)
            pct = _pct()
            grid.addWidget(number, r, 0)
            grid.addWidget(name, r, 1)
            grid.addWidget(stage, r, 2)
            grid.addWidget(bar, r, 3)
            grid.addWidget(pct, r, 4)
            self._component_rows[comp.id] = (bar, pct)
        layout.addLayout(grid)
        layout.addSpacing(16)

        layout.addWidget(_label(_("By dimension"), "sectionTitle"))
        dgrid = QGridLayout()
        dgrid.setHorizontalSpacing(14)
        dgrid.setColumnStretch(1, 3)
        self._dimension_rows: dict[Dimension, tuple[QProgressBar, QLabel]] = {}
        for r, dim in enumerate(Dimension):
            name_label = QLabel(dim.label())
            bar = _bar(DIMENSION_COLOURS[dim].name())
            pct = _pct()
            dgrid.addWidget(name_label, r, 0)
            dgrid.addWidget(bar, r, 1)
            dgrid.addWidget(pct, r, 2)
            self._dimension_rows[dim] = (bar, pct)
        layout.addLayout(dgrid)
        self.excluded = QLabel()
        self.excluded.setObjectName("hint")
        self.excluded.setWordWrap(True)
        layout.addSpacing(8)
        layout.addWidget(self.excluded)
        self.retired_title = QLabel(_("Answers kept from an earlier roadmap version"))
        self.retired_title.setObjectName("sectionTitle")
        self.retired = QLabel()
        self.retired.setWordWrap(True)
        self.retired.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addSpacing(8)
        layout.addWidget(self.retired_title)
        layout.addWidget(self.retired)
        layout.addStretch(1)
        self.setWidget(body)

    def set_read_only(self, read_only: bool) -> None:
        self.edit_button.setEnabled(not read_only)

    def show_retired(self, report: VersionReport) -> None:
        """List answers to items and activities the current roadmap no longer has."""
        lines = []
        for item in report.retired_items:
            parts = [_("done") if item.done else _("not done")]
            if item.owner:
                parts.append(_("owner: {name}").format(name=item.owner))
            if item.due_date:
                parts.append(_("due: {date}").format(date=i18n.format_date(item.due_date)))
            if item.note:
                parts.append(_("note: {text}").format(text=item.note))
            lines.append(f"<b>{escape(item.item_id)}</b> — {escape(i18n.join_tags(parts))}")
        for act in report.retired_activities:
            text = (i18n.labelled(act.status.label(), act.na_reason) if act.na_reason
                    else act.status.label())
            lines.append(f"<b>{escape(act.activity_id)}</b> — {escape(text)}")
        self.retired.setText("<br>".join(lines))
        self.retired.setVisible(bool(lines))
        self.retired_title.setVisible(bool(lines))
        self.retired.setToolTip(_("These steps were in roadmap version {old} and are not in "
                                  "version {new}. Their answers are kept in the project and "
                                  "are not counted in progress.")
                                .format(old=report.planned, new=report.current))

    def show_project(self, state: ProjectState, progress: Progress) -> None:
        meta = state.meta
        self.title.setText(meta.title)
        parts = [meta.municipality, _country_name(meta.country)]
        if meta.domain:
            parts.append(meta.domain)
        if meta.tandem_partner:
            parts.append(_("tandem partner: {name}").format(name=meta.tandem_partner))
        self.details.setText(i18n.join_inline(p for p in parts if p))
        overall = progress.overall
        self.overall_bar.setValue(round(overall.fraction * 1000))
        self.overall_pct.setText(i18n.format_percent(overall.fraction))
        self.overall_text.setText(
            ngettext("{done} of {total} checklist item done",
                     "{done} of {total} checklist items done", overall.total)
            .format(done=overall.done, total=overall.total))
        for cid, (bar, pct) in self._component_rows.items():
            _set(bar, pct, progress.components[cid])
        for dim, (bar, pct) in self._dimension_rows.items():
            _set(bar, pct, progress.dimensions[dim])
        n = len(progress.excluded)
        self.excluded.setText(
            ngettext("{count} activity does not apply to this project and is left out of "
                     "progress.",
                     "{count} activities do not apply to this project and are left out of "
                     "progress.", n).format(count=n) if n else "")
        self.excluded.setVisible(bool(n))


def _country_name(code: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(i18n.locale()).territories.get(code.upper(), code))
    except (ValueError, UnknownLocaleError):
        return code
