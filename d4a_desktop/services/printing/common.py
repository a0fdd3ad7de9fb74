"""Pieces the three kinds of document share: titles, project lines, dates, section headings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from d4a_desktop import i18n
from d4a_desktop.core.content import Activity, Component
from d4a_desktop.core.progress import Tally
from d4a_desktop.i18n import _, ngettext
from d4a_desktop.services.printing import markup
from d4a_desktop.services.printing.document import Entry, Heading, Spec, keep_room
from d4a_desktop.services.printing.source import ProjectSnapshot
from d4a_desktop.services.printing.styles import Styles

#: Longest title printed in a heading or the running header; user titles can be any length.
MAX_TITLE = 240


def project_line(project: ProjectSnapshot) -> str:
    """"Cycling counts — Vejle", as the running header and the title pages show it."""
    meta = project.meta
    title = markup.cut(meta.title, MAX_TITLE)
    place = markup.cut(meta.municipality, MAX_TITLE)
    return f"{title} — {place}" if place else title


def long_text(value: str) -> str:
    """A user's text for a paragraph; one beyond ``markup.MAX_FIELD`` characters is cut
    and says so, with how much is left out."""
    value = value.strip()
    if len(value) <= markup.MAX_FIELD:
        return markup.text(value)
    shown = markup.cut(value)
    return markup.text(shown) + " <i>{}</i>".format(markup.text(ngettext(
        "(cut short: {count} more character in the project)",
        "(cut short: {count} more characters in the project)",
        len(value) - len(shown) + 1).format(
            count=i18n.format_number(len(value) - len(shown) + 1))))


def date_text(day: dt.date) -> str:
    return i18n.format_date(day, "long")


def tally_text(tally: Tally) -> str:
    return ngettext("{done} of {total} item done ({percent})",
                    "{done} of {total} items done ({percent})", tally.total).format(
        done=tally.done, total=tally.total, percent=i18n.format_percent(tally.fraction))


def component_title(comp: Component) -> str:
    return f"{comp.number}. {comp.title}"


def activity_title(comp: Component, act: Activity) -> str:
    return f"{comp.number}.{act.number} {act.title}"


def spec(*, title: str, subject: str, kind: str, project: ProjectSnapshot | None,
         today: dt.date, paper: str, author: str, landscape: bool = False,
         margins: tuple[float, float, float] | None = None) -> Spec:
    header = project_line(project) if project else _("The D4A roadmap")
    keywords = ("D4A", "Data for All", "Interreg North Sea")
    extra = {"margins": margins} if margins else {}
    return Spec(title=title, subject=subject, language=i18n.locale(), header=header, kind=kind,
                date_text=date_text(today), paper=paper, landscape=landscape,
                author=author or (project.meta.municipality if project else ""),
                keywords=keywords, **extra)


@dataclass
class Outline:
    """Collects the headings of a document, for its table of contents."""

    styles: Styles
    entries: list[Entry] = field(default_factory=list)

    def heading(self, text: str, key: str, level: int, style: str = "") -> list[Flowable]:
        """A heading with its outline entry, kept on a page with some room below it."""
        text = markup.cut(text, MAX_TITLE)
        chosen = getattr(self.styles, style or ("h1" if level == 0 else "h2"))
        self.entries.append(Entry(key, level, markup.text(text)))
        room = 45 * mm if level == 0 else 35 * mm
        return [keep_room(room),
                Heading(markup.text(text), chosen, key=key, level=level, outline=text)]


def paragraphs(text: str, styles: Styles, style: str = "body") -> list[Flowable]:
    """Markdown help or guidance as paragraphs and bullets."""
    out: list[Flowable] = []
    body = getattr(styles, style)
    for kind, html in markup.blocks(text):
        if kind == "li":
            out.append(Paragraph(html, styles.bullet, bulletText="•"))
        else:
            out.append(Paragraph(html, body))
    return out
