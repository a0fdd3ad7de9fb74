"""The project report, for a council or a steering group.

A cover with the project, the municipality, the date and the programme; overall progress
and progress per component and per dimension as charts; every activity with its status; the
open items with a due date (late ones marked) and who owns open work. The project's
registers (team, decisions, datasets, risks …) follow as tables when the project has them:
each arrives as a :class:`RecordTable` in the snapshot, so a new kind of record needs no
new layout here. Nothing is printed for data a project does not have.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer

from d4a_desktop import i18n
from d4a_desktop.core.content import Roadmap
from d4a_desktop.core.progress import Tally
from d4a_desktop.core.vocab import Condition, Dimension, Status
from d4a_desktop.i18n import _, ngettext
from d4a_desktop.services.printing import markup
from d4a_desktop.services.printing.common import (
    MAX_TITLE,
    Outline,
    activity_title,
    component_title,
    date_text,
    spec,
    tally_text,
)
from d4a_desktop.services.printing.document import Contents, PlainPage, Spec
from d4a_desktop.services.printing.flowables import (
    BarRow,
    Column,
    RecordTable,
    Row,
    bar_chart,
    table_of,
)
from d4a_desktop.services.printing.source import ProjectSnapshot
from d4a_desktop.services.printing.styles import ACCENT, DIMENSION_COLOURS, styles

PROGRAMME = "Interreg North Sea · Data for All (D4A)"


def report(roadmap: Roadmap, project: ProjectSnapshot, today: dt.date, paper: str,
           author: str) -> tuple[list[Flowable], Spec]:
    title = _("Project report: {project}").format(
        project=markup.cut(project.meta.title, MAX_TITLE))
    doc = spec(title=title, subject=_("Progress of a data project along the D4A roadmap"),
               kind=_("Project report"), project=project, today=today, paper=paper,
               author=author)
    width = doc.pagesize[0] - 2 * doc.margins[0]
    return _Report(roadmap, project, today, width).story(), doc


class _Report:
    def __init__(self, roadmap: Roadmap, project: ProjectSnapshot, today: dt.date,
                 width: float):
        self.roadmap = roadmap
        self.project = project
        self.state = project.state
        self.progress = project.progress
        self.today = today
        self.width = width
        self.st = styles()
        self.outline = Outline(self.st)

    def story(self) -> list[Flowable]:
        st = self.st
        out = self._cover()
        out += [Paragraph(markup.text(_("Contents")), st.h1),
                Contents(self.outline.entries, st), Spacer(1, 6 * mm)]
        out += self._summary()
        out += self._charts()
        out += self._activities()
        out += self._open_items()
        for records in self.project.records:
            out += self._records(records)
        return out

    # --- sections ------------------------------------------------------------------------

    def _cover(self) -> list[Flowable]:
        st, meta = self.st, self.project.meta
        place = meta.municipality + (f" ({meta.country})" if meta.country else "")
        out: list[Flowable] = [PlainPage(), Paragraph(markup.text(PROGRAMME), st.subtitle),
                               Spacer(1, 45 * mm),
                               Paragraph(markup.text(_("Project report")), st.subtitle),
                               Paragraph(markup.text(markup.cut(meta.title, MAX_TITLE)),
                                         st.cover_title),
                               Paragraph(markup.text(markup.cut(place, MAX_TITLE)),
                                         st.cover_line)]
        facts = []
        if meta.domain.strip():
            facts.append(_("Policy domain: {domain}").format(domain=meta.domain.strip()))
        if meta.tandem_partner.strip():
            facts.append(_("Tandem partner: {partner}").format(
                partner=meta.tandem_partner.strip()))
        facts.append(_("Roadmap version {version}").format(
            version=meta.roadmap_version or self.roadmap.version))
        out.append(Spacer(1, 4 * mm))
        out += [Paragraph(markup.text(markup.cut(f, 600)), st.body) for f in facts]
        out += [Spacer(1, 30 * mm), Paragraph(markup.text(date_text(self.today)), st.cover_line),
                Paragraph(markup.text(_("Made with D4A Roadmap Desktop, which follows the "
                                        "roadmap of the Interreg North Sea project Data for "
                                        "All (2022–2025).")), st.muted),
                PageBreak()]
        return out

    def _summary(self) -> list[Flowable]:
        st = self.st
        out = self.outline.heading(_("Summary"), "summary", 0)
        overall = self.progress.overall
        out.append(bar_chart([BarRow(_("Overall progress"), overall.fraction,
                                     i18n.format_percent(overall.fraction), ACCENT)],
                             st, self.width))
        out.append(Paragraph(markup.text(tally_text(overall)), st.muted))
        counts = Counter(self.state.activity(a.id).status for a in self.roadmap.activities()
                         if a.id not in self.progress.excluded)
        total = sum(counts.values())
        lines = [
            ngettext("{count} of {total} activity done", "{count} of {total} activities done",
                     total).format(count=counts[Status.DONE], total=total),
            ngettext("{count} in progress", "{count} in progress", counts[Status.IN_PROGRESS])
            .format(count=counts[Status.IN_PROGRESS]),
            ngettext("{count} not started", "{count} not started", counts[Status.NOT_STARTED])
            .format(count=counts[Status.NOT_STARTED]),
        ]
        left_out = len(self.progress.excluded)
        if left_out:
            lines.append(ngettext("{count} does not apply", "{count} do not apply", left_out)
                         .format(count=left_out))
        out.append(Spacer(1, 2 * mm))
        out.append(Paragraph(markup.text(" · ".join(lines)), st.body))
        answers = [(c, self.state.conditions.get(c)) for c in Condition]
        rows = tuple(Row((c.question(), _("Yes") if v else _("No") if v is False
                          else _("Not answered yet"))) for c, v in answers)
        out.append(Paragraph(markup.text(_("The project's situation")), self.st.h3))
        out.append(table_of(RecordTable("conditions", "", (Column(_("Question"), 4),
                                                           Column(_("Answer"), 1.2)), rows),
                            st, self.width))
        return out

    def _charts(self) -> list[Flowable]:
        st = self.st
        out = self.outline.heading(_("Progress per component"), "components", 0)
        rows = [BarRow(component_title(c), self.progress.components[c.id].fraction,
                       _figure(self.progress.components[c.id]), ACCENT)
                for c in self.roadmap.components]
        out.append(bar_chart(rows, st, self.width))
        out += self.outline.heading(_("Progress per dimension"), "dimensions", 0)
        rows = [BarRow(d.label(), self.progress.dimensions[d].fraction,
                       _figure(self.progress.dimensions[d]), colour)
                for d, colour in zip(Dimension, DIMENSION_COLOURS, strict=True)]
        out.append(bar_chart(rows, st, self.width))
        out.append(Paragraph(markup.text(_(
            "Progress counts the checklist items that are ticked, leaving out activities and "
            "items that do not apply to the project.")), st.muted))
        return out

    def _activities(self) -> list[Flowable]:
        out = self.outline.heading(_("Activities"), "activities", 0)
        columns = (Column(_("Activity"), 4.2), Column(_("Status"), 2.2),
                   Column(_("Items done"), 1.3, "right"))
        for comp in self.roadmap.components:
            rows = []
            for act in comp.activities:
                status = self.state.activity(act.id)
                if act.id in self.progress.excluded:
                    text = (_("Not applicable: {reason}").format(reason=status.na_reason.strip())
                            if status.status is Status.NOT_APPLICABLE and status.na_reason.strip()
                            else _("Does not apply"))
                    figure = "–"
                else:
                    text = status.status.label()
                    figure = _figure(self.progress.activities[act.id])
                rows.append(Row((activity_title(comp, act), text, figure)))
            out += self.outline.heading(component_title(comp), f"activities:{comp.id}", 1, "h3")
            out.append(table_of(RecordTable(f"activities:{comp.id}", "", columns, tuple(rows)),
                                self.st, self.width))
        return out

    def _open_items(self) -> list[Flowable]:
        st = self.st
        open_items = []
        owners: Counter[str] = Counter()
        late_owners: Counter[str] = Counter()
        undated = 0
        for comp in self.roadmap.components:
            for act in comp.activities:
                if act.id in self.progress.excluded:
                    continue
                for item in act.items:
                    item_state = self.state.item(item.id)
                    if item_state.done or not self.state.applies(item.condition):
                        continue
                    owner = " ".join(item_state.owner.split())
                    late = item_state.due_date is not None and item_state.due_date < self.today
                    owners[owner] += 1
                    late_owners[owner] += late
                    if item_state.due_date is None:
                        undated += 1
                        continue
                    open_items.append((item_state.due_date, f"{comp.number}.{act.number}",
                                       item.text, owner, late))
        out: list[Flowable] = []
        if open_items:
            open_items.sort(key=lambda row: row[0])
            late_count = sum(1 for row in open_items if row[4])
            out += self.outline.heading(_("Open items with a due date"), "open-items", 0)
            if late_count:
                out.append(Paragraph(markup.text(ngettext(
                    "{count} item is overdue; it is marked in red.",
                    "{count} items are overdue; they are marked in red.", late_count)
                    .format(count=late_count)), st.body))
            rows = tuple(Row((i18n.format_date(due) + (" — " + _("overdue") if late else ""),
                              f"{number} {text}", owner), highlight=late)
                         for due, number, text, owner, late in open_items)
            columns = (Column(_("Due date"), 1.6), Column(_("Item"), 5), Column(_("Owner"), 1.9))
            out.append(table_of(RecordTable("open-items", "", columns, rows), st, self.width))
            if undated:
                out.append(Spacer(1, 2 * mm))
                out.append(Paragraph(markup.text(ngettext(
                    "{count} further open item has no due date.",
                    "{count} further open items have no due date.", undated)
                    .format(count=undated)), st.muted))
        if any(owners):  # someone owns open work
            out += self.outline.heading(_("Open work per owner"), "owners", 0)
            rows = tuple(Row((name or _("No owner yet"), i18n.format_number(count),
                              i18n.format_number(late_owners[name])),
                             highlight=late_owners[name] > 0)
                         for name, count in sorted(owners.items(),
                                                   key=lambda kv: (kv[0] == "", -kv[1], kv[0])))
            columns = (Column(_("Owner"), 4), Column(_("Open items"), 1.4, "right"),
                       Column(_("Overdue"), 1.4, "right"))
            out.append(table_of(RecordTable("owners", "", columns, rows), st, self.width))
        return out

    def _records(self, records: RecordTable) -> list[Flowable]:
        if not records.rows:
            return []
        out = self.outline.heading(records.title, records.key, 0)
        if records.intro:
            out.append(Paragraph(markup.text(records.intro), self.st.body))
        out.append(table_of(records, self.st, self.width))
        if records.note:
            out.append(Paragraph(markup.text(records.note), self.st.muted))
        return out


def _figure(tally: Tally) -> str:
    """"12/40 · 30 %": done and applicable items, and the share (the same in any language)."""
    return f"{tally.done}/{tally.total} · {i18n.format_percent(tally.fraction)}"

