"""What a filled tool's answers mean, printed: the verdict of the tool's rule with the
reasons that led to it, as the program shows them beside the form.

The rules live in ``core/rules.py``; this module only lays their outcome out (a tinted box
with the verdict, the reasons, the scorecard's ranking, the duties of the AI Act, the level
of each dimension of the maturity self-check, and advice), for the filled worksheet and, in
short, for the project report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from d4a_desktop import i18n
from d4a_desktop.core import assessments as answers_mod
from d4a_desktop.core import rules
from d4a_desktop.core.content import Standard, Tool
from d4a_desktop.i18n import _, ngettext
from d4a_desktop.services.printing import markup
from d4a_desktop.services.printing.flowables import (
    BASE,
    BarRow,
    Column,
    RecordTable,
    Row,
    bar_chart,
    table_of,
)
from d4a_desktop.services.printing.source import FilledTool, SavedVersion
from d4a_desktop.services.printing.styles import ACCENT, Styles

#: Tint and edge of the verdict box, by what the verdict asks of the reader (as on screen).
TONES = {
    "good": (colors.HexColor("#eaf6ee"), colors.HexColor("#9fd1b2")),
    "warn": (colors.HexColor("#fff5e0"), colors.HexColor("#e6c46a")),
    "attention": (colors.HexColor("#fdeeee"), colors.HexColor("#e3a5a0")),
    "info": (colors.HexColor("#eaf2fa"), colors.HexColor("#a9c6e3")),
    "": (colors.HexColor("#eef1f4"), colors.HexColor("#c3c9cf")),
}


def outcome_of(tool: Tool, answers: Mapping[str, Any], today: dt.date,
               standards: Iterable[Standard]) -> rules.Outcome | None:
    return rules.evaluate(tool, answers, today=today, standards=tuple(standards))


status_text = answers_mod.status_label


def version_title(version: SavedVersion) -> str:
    day = i18n.format_date(version.saved_on) if version.saved_on else "?"
    if version.author:
        return _("Version {number} of {date}, {author}").format(
            number=version.number, date=day, author=version.author)
    return _("Version {number} of {date}").format(number=version.number, date=day)


def source_lines(filled: FilledTool) -> list[str]:
    """Which answers a filled worksheet prints, and from when: the latest saved version,
    or the current answers when no version has been saved."""
    day = i18n.format_date(filled.edited) if filled.edited else "?"
    if filled.register_count is not None:
        return [ngettext("Filled in from the register of datasets ({count} dataset), last "
                         "changed on {date}.",
                         "Filled in from the register of datasets ({count} datasets), last "
                         "changed on {date}.", filled.register_count).format(
            count=filled.register_count, date=day)]
    if filled.version is not None:
        lines = [_("Filled in from the latest saved version: {version}.").format(
            version=version_title(filled.version))]
        if filled.changed_since:
            lines.append(_("The answers have changed since; save a new version in the "
                           "program to print them."))
        return lines
    if filled.edited_by:
        return [_("Filled in from the current answers, last changed on {date} by {author}; "
                  "no version has been saved yet.").format(date=day, author=filled.edited_by)]
    return [_("Filled in from the current answers, last changed on {date}; no version has "
              "been saved yet.").format(date=day)]


def verdict_box(outcome: rules.Outcome, st: Styles, width: float) -> Table:
    """The verdict in a tinted box, coloured by what it asks of the reader."""
    fill, edge = TONES[rules.TONES.get(outcome.code, "")]
    para = Paragraph(f"<b>{markup.text(outcome.verdict)}</b>", st.h3)
    table = Table([[para]], colWidths=[width], hAlign="LEFT")
    table.setStyle(TableStyle([*BASE, ("BACKGROUND", (0, 0), (-1, -1), fill),
                               ("BOX", (0, 0), (-1, -1), 0.8, edge),
                               ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 3 * mm),
                               ("TOPPADDING", (0, 0), (-1, -1), 0.5 * mm),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2 * mm)]))
    return table


def _bullets(lines: Sequence[str], st: Styles) -> list[Flowable]:
    return [Paragraph(markup.text(line), st.bullet, bulletText="•") for line in lines]


def outcome_story(tool: Tool, filled: FilledTool, outcome: rules.Outcome, st: Styles,
                  width: float) -> list[Flowable]:
    """The verdict and everything that explains it, as the program shows it."""
    out: list[Flowable] = [verdict_box(outcome, st, width), Spacer(1, 2 * mm)]
    reasons = list(outcome.reasons)
    duties = getattr(outcome, "duties", ())
    if duties:
        reasons = reasons[:len(reasons) - len(duties)]
    if reasons:
        heading = _("Still open") if not outcome.complete else _("Why")
        out.append(Paragraph(markup.text(heading), st.h3))
        out += _bullets(reasons, st)
    if isinstance(outcome, rules.ScorecardOutcome) and any(
            o.score is not None for o in outcome.ranking):
        out.append(Paragraph(markup.text(_("Ranking")), st.h3))
        rows = tuple(Row((str(o.rank or ""), o.name,
                          i18n.format_number(round(o.score, 2))))
                     for o in outcome.ranking if o.score is not None)
        columns = (Column(_("Rank"), 0.8, "right"), Column(_("Option"), 5),
                   Column(_("Weighted score"), 1.6, "right"))
        out.append(table_of(RecordTable("ranking", "", columns, rows), st, width * 0.8))
    if duties:
        out.append(Paragraph(markup.text(_("Duties under the AI Act")), st.h3))
        out += _bullets([f"{d.text} {d.when}" for d in duties], st)
    if isinstance(outcome, rules.MaturityOutcome) and outcome.dimensions:
        out.append(Paragraph(markup.text(_("Level per dimension")), st.h3))
        scale = [lv.value for s in tool.scales for lv in s.levels] or [1, 5]
        low, high = min(scale), max(scale)
        bars = []
        for d in outcome.dimensions:
            if d.average is None:
                figure = ngettext("{answered} of {total} statement rated",
                                  "{answered} of {total} statements rated", d.total).format(
                    answered=d.answered, total=d.total)
                bars.append(BarRow(d.title, 0, figure, ACCENT))
                continue
            figure = f"{i18n.format_number(round(d.average, 2))} · {d.level_label}"
            bars.append(BarRow(d.title, (d.average - low) / ((high - low) or 1), figure,
                               ACCENT))
        out.append(bar_chart(bars, st, width))
        if len(filled.versions) >= 2 and filled.version is not None:
            before = filled.versions[-2]
            out.append(Paragraph(markup.text(_("How the levels moved since {version}").format(
                version=version_title(before))), st.h3))
            out += _bullets(rules.maturity_change(tool, before.answers, filled.answers), st)
    if outcome.notes:
        out.append(Paragraph(markup.text(_("Keep in mind")), st.h3))
        out += _bullets(outcome.notes, st)
    return out


def answered_count(tool: Tool, answers: Mapping[str, Any]) -> str:
    done = answers_mod.completeness(tool, answers)
    return ngettext("{answered} of {total} question answered",
                    "{answered} of {total} questions answered", done.total).format(
        answered=done.answered, total=done.total)
