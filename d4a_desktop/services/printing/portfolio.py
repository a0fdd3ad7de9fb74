"""The consortium's portfolio as a printed overview: one landscape table, a row per project.

The rows are the portfolio's entries (``services/exchange/portfolio.py``) in the order the
user chose; the columns are those a steering group reads across: municipality (with the
project's title), country, domain, overall progress as a bar, progress per component and
per dimension, the last update and the KPIs by status. Component and dimension columns carry
short headings that a legend under the table spells out. The running header names the
folder the packages came from and the day the overview was made.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from d4a_desktop import i18n
from d4a_desktop.core.kpi import Status as KpiStatus
from d4a_desktop.core.kpi import status_label
from d4a_desktop.core.progress import Tally
from d4a_desktop.core.vocab import Dimension
from d4a_desktop.i18n import _, ngettext, pgettext
from d4a_desktop.services.printing import fonts, markup
from d4a_desktop.services.printing.common import MAX_TITLE, date_text
from d4a_desktop.services.printing.document import Pdf, Progress, Spec, build_pdf
from d4a_desktop.services.printing.flowables import BASE, bar
from d4a_desktop.services.printing.styles import (
    ACCENT,
    DONE,
    INK,
    LATE,
    MUTED,
    RULE,
    Styles,
    styles,
)

if TYPE_CHECKING:
    from d4a_desktop.services.exchange.portfolio import Entry, Portfolio

#: Every other row's background: lighter than an empty progress bar (LIGHT).
STRIPE = colors.HexColor("#f4f5f7")
#: Body size of the overview: a row of sixteen columns on a landscape A4 page.
SIZE = 8.5
#: Margins (side, top, bottom): a little narrower than a report's, for the wide table.
MARGINS = (14 * mm, 18 * mm, 16 * mm)


def short_heading(value: Dimension | KpiStatus) -> str:
    """The heading of a narrow column (a dimension, or KPIs of a status); the legend under
    the table spells it out."""
    return {
        # Translators: short heading of the column "Technology" in the printed portfolio.
        Dimension.TECHNOLOGY: pgettext("dimension, short", "Tech."),
        # Translators: short heading of the column "Organisation" in the printed portfolio.
        Dimension.ORGANISATION: pgettext("dimension, short", "Org."),
        # Translators: short heading of the column "Regulation and ethics" in the printed
        # portfolio.
        Dimension.REGULATION_ETHICS: pgettext("dimension, short", "Reg."),
        # Translators: short heading of the column "KPIs on track" in the printed portfolio.
        KpiStatus.ON_TRACK: pgettext("kpi status, short", "On"),
        # Translators: short heading of the column "KPIs at risk" in the printed portfolio.
        KpiStatus.AT_RISK: pgettext("kpi status, short", "Risk"),
        # Translators: short heading of the column "KPIs off track" in the printed portfolio.
        KpiStatus.OFF_TRACK: pgettext("kpi status, short", "Off"),
    }[value]


def portfolio_pdf(portfolio: Portfolio, key: str = "municipality", *,
                  descending: bool = False, today: dt.date | None = None,
                  paper: str = "a4", progress: Progress | None = None) -> Pdf:
    """Lay out the overview of ``portfolio`` sorted by ``key`` (as ``Portfolio.sorted``)."""
    fonts.register()
    today = today or dt.date.today()
    title = _("Portfolio")
    spec = Spec(title=title, subject=_("Progress of the consortium's projects along the D4A "
                                       "roadmap"),
                language=i18n.locale(), header=_folder_text(portfolio.folder, paper),
                kind=_("{document} · {date}").format(document=title, date=date_text(today)),
                date_text=date_text(today), paper=paper, landscape=True,
                keywords=("D4A", "Data for All", "Interreg North Sea"), margins=MARGINS)
    width = spec.pagesize[0] - 2 * MARGINS[0]
    return build_pdf(_Overview(portfolio, key, descending, width).story(), spec, progress)


def _folder_text(folder: Path, paper: str) -> str:
    """The folder for the running header: its end is what tells folders apart, so a long
    path loses its beginning ("…/Consortium/Inbox"), not its name."""
    from d4a_desktop.services.printing.document import PAPERS

    room = max(PAPERS[paper]) * 0.5
    text = str(folder)
    parts = folder.parts
    for start in range(1, len(parts)):
        if stringWidth(text, fonts.BOLD, 7.5) <= room:
            break
        text = "…/" + "/".join(parts[start:])
    return text


class _Overview:
    def __init__(self, portfolio: Portfolio, key: str, descending: bool, width: float):
        from d4a_desktop.services.roadmap import roadmap

        self.portfolio = portfolio
        self.key = key
        self.descending = descending
        self.entries = portfolio.sorted(key, descending=descending)
        self.components = roadmap().components
        self.width = width
        self.st: Styles = styles(SIZE)

    def story(self) -> list[Flowable]:
        st = self.st
        count = len(self.entries)
        out: list[Flowable] = [
            Paragraph(markup.text(_("Portfolio")), st.h1),
            Paragraph(markup.text(ngettext(
                "{count} project from the packages in {folder}",
                "{count} projects from the packages in {folder}", count).format(
                    count=i18n.format_number(count), folder=self.portfolio.folder)),
                st.body),
            Paragraph(markup.text(self._order()), st.muted),
            Spacer(1, 3 * mm)]
        if self.entries:
            out.append(self._table())
        else:
            out.append(Paragraph(markup.text(_("The folder holds no package that could be "
                                               "read.")), st.body))
        out += self._legend()
        out += self._problems()
        return out

    def _order(self) -> str:
        from d4a_desktop.services.exchange.portfolio import column_label

        column = column_label(self.key)
        if self.descending:
            return _("Sorted by “{column}”, descending.").format(column=column)
        return _("Sorted by “{column}”, ascending.").format(column=column)

    # --- the table ------------------------------------------------------------------------

    def _widths(self) -> list[float]:
        """Fixed widths for the figures (each as wide as its widest text), the rest shared
        by municipality and domain, which wrap."""
        st = self.st
        pad = 8.0  # the cells' padding (5 points) and some air

        def widest(texts: list[str], font: str = fonts.REGULAR) -> float:
            return max(stringWidth(t, font, st.cell.fontSize) for t in texts) + pad

        def heading(text: str) -> float:
            """The longest word of a heading: headings wrap between words only."""
            return widest(text.split(), fonts.BOLD)

        percent = widest([i18n.format_percent(1.0), i18n.format_percent(0.88)])
        figure = max(percent, widest([f"{c.number}." for c in self.components], fonts.BOLD))
        dims = [max(percent, widest([short_heading(d)], fonts.BOLD)) for d in Dimension]
        dates = [e.last_update.date() for e in self.entries] or [dt.date(2026, 12, 30)]
        last = max(widest([i18n.format_date(d) for d in dates]),
                   heading(_("Last update"))) + 4
        kpis = [max(8 * mm, widest(["000"]), heading(text))
                for text in (_kpi_total(), *(short_heading(s) for s in _STATUSES))]
        country = max(widest([e.country for e in self.entries] or ["DK"]),
                      heading(_("Country")))
        overall = 23 * mm
        fixed = [country, overall, *([figure] * len(self.components)), *dims, last, *kpis]
        free = max(60 * mm, self.width - sum(fixed))
        municipality, domain = free * 0.6, free * 0.4
        return [municipality, fixed[0], domain, *fixed[1:]]

    def _last_column(self) -> int:
        """The index of the "last update" column."""
        return 4 + len(self.components) + len(Dimension)

    def _head(self) -> tuple[list[list[Any]], list[tuple[Any, ...]]]:
        """Two rows of headings: groups over the figures, then the columns."""
        st = self.st
        head, right = st.cell_head, st.cell_head_right
        n_comp = len(self.components)
        first_comp = 4
        first_dim = first_comp + n_comp
        last_col = first_dim + len(Dimension)
        first_kpi = last_col + 1

        def cell(text: str, style: Any = head) -> Paragraph:
            return Paragraph(markup.text(text), style)

        top: list[Any] = [""] * (first_kpi + 4)
        top[first_comp] = cell(_("Progress per component"), st.cell_head)
        top[first_dim] = cell(_("Per dimension"), st.cell_head)
        top[first_kpi] = cell(_("KPIs"), st.cell_head)
        lower = [cell(_("Municipality")), cell(_("Country")), cell(_("Domain")),
                 cell(_("Overall"))]
        lower += [cell(f"{c.number}.", right) for c in self.components]
        lower += [cell(short_heading(d), right) for d in Dimension]
        lower.append(cell(_("Last update")))
        lower += [cell(_kpi_total(), right)]
        lower += [cell(short_heading(s), right) for s in _STATUSES]
        commands: list[tuple[Any, ...]] = [
            ("SPAN", (first_comp, 0), (first_dim - 1, 0)),
            ("SPAN", (first_dim, 0), (last_col - 1, 0)),
            ("SPAN", (first_kpi, 0), (first_kpi + 3, 0)),
            ("LINEBELOW", (first_comp, 0), (first_dim - 1, 0), 0.4, RULE),
            ("LINEBELOW", (first_dim, 0), (last_col - 1, 0), 0.4, RULE),
            ("LINEBELOW", (first_kpi, 0), (first_kpi + 3, 0), 0.4, RULE),
            ("LINEBELOW", (0, 1), (-1, 1), 0.8, INK),
            ("VALIGN", (0, 1), (-1, 1), "BOTTOM"),
        ]
        return [top, lower], commands

    def _row(self, entry: Entry, widths: list[float]) -> list[Any]:
        st = self.st
        name = markup.text(markup.cut(entry.municipality or "—", MAX_TITLE))
        title = markup.cut(entry.title, MAX_TITLE)
        place = f"<b>{name}</b>"
        if title:
            place += f'<br/><font color="{MUTED.hexval()}" size="{st.small.fontSize}">' \
                     f"{markup.text(title)}</font>"
        overall = entry.overall.fraction
        bar_w = widths[3] - stringWidth(i18n.format_percent(1.0), fonts.REGULAR,
                                        st.cell.fontSize) - 8
        row: list[Any] = [
            Paragraph(place, st.cell),
            Paragraph(markup.text(entry.country), st.cell),
            Paragraph(markup.text(markup.cut(entry.domain, MAX_TITLE)), st.cell),
            Table([[bar(overall, max(6.0, bar_w), st.cell.fontSize * 0.9, ACCENT),
                    Paragraph(i18n.format_percent(overall), st.cell_right)]],
                  colWidths=[max(6.0, bar_w) + 2, None],
                  style=TableStyle([*BASE, ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0)])),
        ]
        row += [self._percent(entry.components.get(c.id, Tally())) for c in self.components]
        row += [self._percent(entry.dimensions.get(d, Tally())) for d in Dimension]
        row.append(Paragraph(i18n.format_date(entry.last_update.date()), st.cell))
        kpis = entry.kpis
        row.append(Paragraph(i18n.format_number(kpis.total), st.cell_right))
        for count, colour in ((kpis.on_track, DONE), (kpis.at_risk, None),
                              (kpis.off_track, LATE)):
            if count is None:
                row.append(Paragraph(f'<font color="{MUTED.hexval()}">–</font>', st.cell_right))
            elif count and colour is not None:
                row.append(Paragraph(f'<font color="{colour.hexval()}"><b>'
                                     f"{i18n.format_number(count)}</b></font>", st.cell_right))
            else:
                row.append(Paragraph(i18n.format_number(count), st.cell_right))
        return row

    def _percent(self, tally: Tally) -> Paragraph:
        if not tally.total:  # nothing applies: no figure rather than a misleading 0 %
            return Paragraph(f'<font color="{MUTED.hexval()}">–</font>', self.st.cell_right)
        return Paragraph(i18n.format_percent(tally.fraction), self.st.cell_right)

    def _table(self) -> Table:
        widths = self._widths()
        data, commands = self._head()
        data += [self._row(e, widths) for e in self.entries]
        table = Table(data, colWidths=widths, repeatRows=2, hAlign="LEFT")
        style: list[tuple[Any, ...]] = [
            *BASE,
            ("VALIGN", (0, 2), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (0, 2), (-1, -1), 0.3, RULE),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            # the date, left-aligned, keeps its distance from the figures before it
            ("LEFTPADDING", (self._last_column(), 1), (self._last_column(), -1), 7),
            *commands,
        ]
        style += [("BACKGROUND", (0, n), (-1, n), STRIPE)
                  for n in range(3, len(data), 2)]  # every other row, for the eye
        table.setStyle(TableStyle(style))
        return table

    # --- what follows the table -----------------------------------------------------------

    def _legend(self) -> list[Flowable]:
        st = self.st
        parts = [f"{c.number}.\u00a0{c.title}" for c in self.components]  # kept together
        all_kpis = _("KPIs of the project")
        lines = [_("Components: {list}").format(list=" · ".join(parts)),
                 _("Dimensions: {list}").format(list=" · ".join(
                     f"{short_heading(d)} = {d.label()}" for d in Dimension)),
                 _("KPIs: {list}").format(list=" · ".join(
                     [f"{_kpi_total()} = {all_kpis}"]
                     + [f"{short_heading(s)} = {status_label(s)}" for s in _STATUSES])),
                 _("A dash (–) means no figure yet: nothing applies, or no KPI has been "
                   "measured against a baseline and a target."),
                 _("Progress counts the checklist items that are ticked, leaving out "
                   "activities and items that do not apply to the project."),
                 _("Last update: the last change in the project, else the day its package "
                   "was exported.")]
        return [Spacer(1, 4 * mm),
                KeepTogether([Paragraph(markup.text(line), st.muted) for line in lines])]

    def _problems(self) -> list[Flowable]:
        if not self.portfolio.problems:
            return []
        st = self.st
        out: list[Flowable] = [Spacer(1, 3 * mm), Paragraph(markup.text(ngettext(
            "{count} file could not be read and is left out:",
            "{count} files could not be read and are left out:",
            len(self.portfolio.problems)).format(count=len(self.portfolio.problems))),
            st.label)]
        out += [Paragraph(markup.text(reason if name in reason else _("{name}: {reason}")
                                      .format(name=name, reason=reason)),
                          st.bullet, bulletText="•")
                for name, reason in self.portfolio.problems]
        return out


_STATUSES = (KpiStatus.ON_TRACK, KpiStatus.AT_RISK, KpiStatus.OFF_TRACK)


def _kpi_total() -> str:
    # Translators: short heading of the column with the number of KPIs of a project, in
    # the printed portfolio.
    return pgettext("number of KPIs", "Total")
