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
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from d4a_desktop import i18n
from d4a_desktop.core import kpi
from d4a_desktop.core.content import Roadmap
from d4a_desktop.core.progress import Tally
from d4a_desktop.core.vocab import Condition, Dimension, Status
from d4a_desktop.i18n import _, ngettext
from d4a_desktop.i18n.collation import sort_key
from d4a_desktop.services.printing import charts, fonts, markup, results
from d4a_desktop.services.printing.common import (
    MAX_TITLE,
    Outline,
    activity_title,
    component_title,
    date_text,
    spec,
    tally_text,
)
from d4a_desktop.services.printing.document import Contents, PlainPage, Spec, keep_room
from d4a_desktop.services.printing.flowables import (
    BASE,
    BarRow,
    Column,
    RecordTable,
    Row,
    bar_chart,
    table_of,
)
from d4a_desktop.services.printing.source import ProjectSnapshot
from d4a_desktop.services.printing.styles import ACCENT, DIMENSION_COLOURS, INK, RULE, styles

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
        out += self._tools()
        out += self._reviews_due()
        out += self._kpis()
        for records in self.project.records:
            if records.key in ("kpis", "measurements") and self.project.kpis:
                continue  # the KPIs section shows them, with a chart each
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
        comments = sum((self.project.open_comments or {}).values())
        if comments:
            out.append(Paragraph(markup.text(ngettext(
                "{count} comment is still open (not resolved).",
                "{count} comments are still open (not resolved).", comments)
                .format(count=comments)), st.body))
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

    def _tools(self) -> list[Flowable]:
        """The tools the project has filled in: status, what was saved, the verdict."""
        if not self.project.tools:
            return []
        st = self.st
        out = self.outline.heading(_("Tools"), "tools", 0)
        rows = []
        for filled in self.project.tools:
            tool = self.roadmap.tool(filled.tool_id)
            if tool is None:
                continue
            saved = (results.version_title(filled.version) if filled.version is not None
                     else _("Current answers, no version saved"))
            status = results.status_text(filled.status)
            if filled.register_count is not None:
                saved = _("The register of datasets")
                status = status if filled.status else "–"
                verdict = ngettext("{count} dataset in the register",
                                   "{count} datasets in the register",
                                   filled.register_count).format(count=filled.register_count)
            else:
                outcome = results.outcome_of(tool, filled.answers, self.today,
                                             self.roadmap.standards)
                verdict = outcome.verdict if outcome is not None else \
                    results.answered_count(tool, filled.answers)
            rows.append(Row((tool.title, status, saved, verdict)))
        columns = (Column(_("Tool"), 2.2), Column(_("Status"), 1.3),
                   Column(_("Printed from"), 2.4), Column(_("Result"), 4.2))
        out.append(table_of(RecordTable("tools", "", columns, tuple(rows)), st, self.width))
        out.append(Paragraph(markup.text(_(
            "Each tool is read from its latest saved version, or from its current answers "
            "when none has been saved. Print a tool's worksheet for the reasons behind its "
            "result.")), st.muted))
        return out

    def _reviews_due(self) -> list[Flowable]:
        """Tools and risks whose next review is past or within 30 days, soonest first."""
        horizon = self.today + dt.timedelta(days=30)
        due: list[tuple[dt.date, str, str]] = []
        for filled in self.project.tools:
            tool = self.roadmap.tool(filled.tool_id)
            if tool is not None and filled.next_review and filled.next_review <= horizon:
                due.append((filled.next_review, _("Tool"), tool.title))
        for review, code, description in self.project.risk_reviews:
            if review <= horizon:
                due.append((review, _("Risk"), f"{code} {description}"))
        if not due:
            return []
        out = self.outline.heading(_("Reviews due"), "reviews", 0)
        out.append(Paragraph(markup.text(_(
            "Reviews that are past or fall within the next 30 days.")), self.st.muted))
        rows = tuple(Row((i18n.format_date(day) + (" — " + _("overdue") if day < self.today
                                                   else ""), what, name),
                         highlight=day < self.today)
                     for day, what, name in sorted(due, key=lambda d: d[0]))
        columns = (Column(_("Next review"), 1.8), Column(_("What"), 1), Column(_("Name"), 5))
        out.append(table_of(RecordTable("reviews", "", columns, rows), self.st, self.width))
        return out

    def _kpis(self) -> list[Flowable]:
        if not self.project.kpis:
            return []
        st = self.st
        out = self.outline.heading(_("KPIs"), "kpis", 0)
        chart_w = self.width * 0.58
        for n, data in enumerate(self.project.kpis):
            state = kpi.status(data.definition, data.measurements, today=self.today)
            name = data.name + (f" ({data.code})" if data.code else "")
            block: list[Flowable] = self.outline.heading(name, f"kpi:{n}", 1, "h3")[1:]
            facts = []
            d = data.definition
            if d.baseline is not None:
                facts.append(_("Baseline: {value}").format(value=_amount(d.baseline, data.unit))
                             + (f" ({i18n.format_date(d.baseline_date)})"
                                if d.baseline_date else ""))
            if d.target is not None:
                facts.append(_("Target: {value}").format(value=_amount(d.target, data.unit))
                             + (f" ({i18n.format_date(d.target_date)})"
                                if d.target_date else ""))
            facts.append(_("Higher is better") if d.direction is kpi.Direction.HIGHER
                         else _("Lower is better"))
            if data.owner:
                facts.append(_("Owner: {name}").format(name=data.owner))
            if data.source:
                facts.append(_("Source: {dataset}").format(dataset=data.source))
            colour = charts.status_colour(state.status)
            side: list[Flowable] = [
                Paragraph(f'<font color="{colour.hexval()}">{fonts.DOT}</font> <b>'
                          f"{markup.text(kpi_status_label(state.status))}</b>", st.body),
                Paragraph(markup.text(state.explanation), st.small),
                Spacer(1, 1.5 * mm),
                *[Paragraph(markup.text(f), st.muted) for f in facts]]
            if state.latest is not None:
                side.append(Paragraph(markup.text(ngettext(
                    "{count} measurement", "{count} measurements", len(data.measurements))
                    .format(count=len(data.measurements))), st.muted))
            chart = charts.kpi_chart(d, data.measurements, chart_w - 3 * mm, 52 * mm)
            table = Table([[chart, side]], colWidths=[chart_w, self.width - chart_w],
                          hAlign="LEFT")
            table.setStyle(TableStyle([*BASE, ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                       ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                       ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                       ("LEFTPADDING", (1, 0), (1, 0), 3 * mm)]))
            block.append(table)
            out.append(KeepTogether(block))
            out.append(Spacer(1, 3 * mm))
        out.append(Paragraph(markup.text(kpi.status_rule_help()).replace("\n\n", "<br/><br/>")
                             .replace("\n", "<br/>"), st.muted))
        return out

    def _risk_matrix(self) -> list[Flowable]:
        risks = self.project.risk_scores
        if not risks:
            return []
        st = self.st
        size = min(78 * mm, self.width * 0.45)
        drawing = charts.risk_matrix([(lk, im, f"R{n}", is_open)
                                      for lk, im, n, _d, is_open in risks], size)
        top = sorted((r for r in risks if r[4]), key=lambda r: (-r[0] * r[1], r[2]))
        side: list[Flowable] = [Paragraph(markup.text(_("Open risks by score")), st.h3)]
        for likelihood, impact, number, description, _open in top[:12]:
            score = likelihood * impact
            swatch = charts.risk_colour(score).hexval()
            side.append(Paragraph(
                f'<font color="{swatch}">{fonts.DOT}</font> <b>R{number}</b> '
                f"({score}) {markup.text(markup.cut(description, 160))}", st.small))
        if len(top) > 12:
            side.append(Paragraph(markup.text(ngettext(
                "… and {count} more open risk in the register below.",
                "… and {count} more open risks in the register below.", len(top) - 12)
                .format(count=len(top) - 12)), st.muted))
        side.append(Spacer(1, 2 * mm))
        side.append(Paragraph(markup.text(_(
            "Likelihood (1 = rare, 5 = almost certain) by impact (1 = negligible, 5 = "
            "severe); the colour follows the score, likelihood × impact. Closed and "
            "accepted risks are grey.")), st.muted))
        table = Table([[drawing, side]], colWidths=[size + 4 * mm, self.width - size - 4 * mm],
                      hAlign="LEFT")
        table.setStyle(TableStyle([*BASE, ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                   ("LEFTPADDING", (1, 0), (1, 0), 3 * mm)]))
        return [table, Spacer(1, 4 * mm)]

    def _raci(self) -> list[Flowable]:
        """The responsibility matrix as the program shows it: a row per team member, a
        column per activity that has someone, R, A, C or I in the cells; split into
        several tables when the activities do not fit across the page."""
        st = self.st
        found = self.project.responsibilities
        members = sorted({name for name, _a, _r in found}, key=sort_key)
        used = {a for _n, a, _r in found}
        numbers = {act.id: f"{comp.number}.{act.number}" for comp in self.roadmap.components
                   for act in comp.activities}
        titles = {act.id: activity_title(comp, act) for comp in self.roadmap.components
                  for act in comp.activities}
        activities = [a for a in numbers if a in used] + sorted(used - set(numbers))
        cells: dict[tuple[str, str], list[str]] = {}
        for name, activity, role in found:
            cells.setdefault((name, activity), []).append(role)
        name_w = min(45 * mm, self.width * 0.3)
        col_w = 8.5 * mm
        per_table = max(1, int((self.width - name_w) // col_w))
        out: list[Flowable] = []
        for start in range(0, len(activities), per_table):
            chunk = activities[start:start + per_table]
            head = [Paragraph(markup.text(_("Team member")), st.cell_head)] + [
                Paragraph(markup.text(numbers.get(a, a)), st.cell_head) for a in chunk]
            data: list[list[Any]] = [head]
            commands: list[tuple[Any, ...]] = [
                *BASE, ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 0), (-1, -1), "CENTER"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
                ("FONT", (1, 1), (-1, -1), fonts.BOLD, st.cell.fontSize),
                ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]
            for row, name in enumerate(members, 1):
                line: list[Any] = [Paragraph(markup.text(markup.cut(name, 80)), st.cell)]
                for col, activity in enumerate(chunk, 1):
                    roles = cells.get((name, activity), [])
                    line.append("/".join(RACI_LETTERS.get(r, "?") for r in roles))
                    if roles:
                        fill, ink = RACI_COLOURS.get(roles[0], RACI_COLOURS["informed"])
                        commands += [("BACKGROUND", (col, row), (col, row), fill),
                                     ("TEXTCOLOR", (col, row), (col, row), ink)]
                data.append(line)
            table = Table(data, colWidths=[name_w] + [col_w] * len(chunk), hAlign="LEFT",
                          repeatRows=1)
            table.setStyle(TableStyle(commands))
            out += [table, Spacer(1, 3 * mm)]
        out.append(Paragraph(markup.text(_(
            "R = responsible, does the work · A = accountable, answers for the result (one "
            "per activity) · C = consulted · I = informed.")), st.muted))
        out.append(Paragraph(markup.text(" · ".join(titles.get(a, a) for a in activities)),
                             st.muted))
        return out

    def _records(self, records: RecordTable) -> list[Flowable]:
        if not records.rows:
            return []
        out = self.outline.heading(records.title, records.key, 0)
        if records.key == "risks" and self.project.risk_scores:
            out[0] = keep_room(min(78 * mm, self.width * 0.45) + 45 * mm)  # with the matrix
        if records.intro:
            out.append(Paragraph(markup.text(records.intro), self.st.body))
        if records.key == "risks":
            out += self._risk_matrix()
        if records.key == "responsibilities" and self.project.responsibilities:
            return out + self._raci()
        out.append(table_of(records, self.st, self.width))
        if records.note:
            out.append(Paragraph(markup.text(records.note), self.st.muted))
        return out


#: The letters of the RACI convention, the same in every language (like the acronym), and
#: the cells' colours as on screen.
RACI_LETTERS = {"responsible": "R", "accountable": "A", "consulted": "C", "informed": "I"}
RACI_COLOURS = {"responsible": (colors.HexColor("#cfe2f3"), INK),
                "accountable": (colors.HexColor("#1f4e79"), colors.white),
                "consulted": (colors.HexColor("#e3efe0"), INK),
                "informed": (colors.HexColor("#eef0f2"), INK)}


def _amount(value: float, unit: str) -> str:
    number = i18n.format_number(value)
    return f"{number}\N{NO-BREAK SPACE}{unit}" if unit else number


kpi_status_label = kpi.status_label


def _figure(tally: Tally) -> str:
    """"12/40 · 30 %": done and applicable items, and the share (the same in any language)."""
    return f"{tally.done}/{tally.total} · {i18n.format_percent(tally.fraction)}"

