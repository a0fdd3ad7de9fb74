"""Step checklists: one activity, one component or the whole roadmap, blank or filled.

A blank checklist is for a workshop, often in a room without laptops: purpose, guiding
questions, and each item with a box to tick by hand and lines for owner, due date and notes.
A filled one shows the project's answers: which items are done, who owns them, when they
are due (late ones marked), the notes, and which activities do not apply.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer

from d4a_desktop import i18n
from d4a_desktop.core.content import Activity, ChecklistItem, Component, Roadmap
from d4a_desktop.core.progress import Tally
from d4a_desktop.core.project import ItemState
from d4a_desktop.core.vocab import Status, country_note_heading
from d4a_desktop.i18n import _
from d4a_desktop.services.printing import fonts, markup
from d4a_desktop.services.printing.common import (
    Outline,
    activity_title,
    component_title,
    date_text,
    long_text,
    paragraphs,
    project_line,
    tally_text,
)
from d4a_desktop.services.printing.document import Contents, Spec
from d4a_desktop.services.printing.flowables import FillLine, Stack
from d4a_desktop.services.printing.source import ProjectSnapshot
from d4a_desktop.services.printing.styles import DONE, LATE, MUTED, styles


@dataclass(frozen=True)
class Scope:
    """What a checklist covers: the whole roadmap, a component or an activity."""

    components: tuple[Component, ...]
    activity: Activity | None = None

    @property
    def whole(self) -> bool:
        return len(self.components) > 1

    def activities(self) -> Iterator[tuple[Component, Activity]]:
        for comp in self.components:
            for act in comp.activities:
                if self.activity is None or act.id == self.activity.id:
                    yield comp, act


def scope_of(roadmap: Roadmap, scope_id: str) -> Scope:
    if not scope_id:
        return Scope(roadmap.components)
    if "." in scope_id:
        act = roadmap.activity(scope_id)
        return Scope((roadmap.component(act.component_id),), act)
    return Scope((roadmap.component(scope_id),))


def title_of(scope: Scope) -> str:
    if scope.activity is not None:
        return activity_title(scope.components[0], scope.activity)
    if not scope.whole:
        return component_title(scope.components[0])
    return _("The D4A roadmap")


class _Builder:
    def __init__(self, roadmap: Roadmap, scope: Scope, project: ProjectSnapshot | None,
                 blank: bool, today: dt.date):
        self.roadmap = roadmap
        self.scope = scope
        self.project = project
        self.blank = blank or project is None
        self.today = today
        self.st = styles()
        self.outline = Outline(self.st)
        #: One object for every item, so the drawing of these lines is reused.
        self._fill_rows = (((_("Owner:"), 2.2), (_("Due date:"), 1.0)), ((_("Notes:"), 1.0),))

    # --- what applies -------------------------------------------------------------------

    def _excluded(self, act: Activity) -> str | None:
        """Why an activity does not count for the project, or None when it does."""
        if self.project is None:
            return None
        state = self.project.state
        act_state = state.activity(act.id)
        if act_state.status is Status.NOT_APPLICABLE:
            reason = act_state.na_reason.strip()
            return (_("Not applicable: {reason}").format(reason=markup.cut(reason))
                    if reason else _("Not applicable"))
        if not state.applies(act.condition):
            assert act.condition is not None
            return _("Does not apply to this project: {condition}").format(
                condition=act.condition.label())
        return None

    def _item_applies(self, item: ChecklistItem) -> bool:
        return self.project is None or self.project.state.applies(item.condition)

    # --- the document -------------------------------------------------------------------

    def story(self) -> list[Flowable]:
        st = self.st
        story: list[Flowable] = [*self._title_block()]
        if self.scope.whole:
            story += [Paragraph(markup.text(_("Contents")), st.h2),
                      Contents(self.outline.entries, st), PageBreak()]
        for n, comp in enumerate(self.scope.components):
            if self.scope.whole and n:
                story.append(PageBreak())
            if self.scope.activity is None:
                story += self._component(comp)
            for _comp, act in self.scope.activities():
                if act.component_id == comp.id:
                    story += self._activity(comp, act)
        return story

    def _title_block(self) -> list[Flowable]:
        st = self.st
        scope = self.scope
        out: list[Flowable] = []
        if scope.activity is not None:
            kicker = _("Checklist")
        elif scope.whole:
            kicker = _("Checklists of all components")
        else:
            kicker = _("Checklists of component {number}").format(
                number=scope.components[0].number)
        out.append(Paragraph(markup.text(kicker), st.subtitle))
        if scope.whole:
            out.append(Paragraph(markup.text(title_of(scope)), st.title))
        else:  # the title is the outline's top entry
            key = scope.activity.id if scope.activity else scope.components[0].id
            out += self.outline.heading(title_of(scope), key, 0, "title")[1:]
        if self.project is not None:
            out.append(Paragraph("<b>{}</b> {}".format(
                markup.text(_("Project:")), markup.text(project_line(self.project))), st.body))
            lines = [_("Printed on {date}").format(date=date_text(self.today))]
            if not self.blank:
                lines.append(_("Progress: {figure}").format(figure=tally_text(self._tally())))
            out.append(Paragraph(markup.text(" · ".join(lines)), st.muted))
        if self.blank:
            out.append(Spacer(1, 3 * mm))
            if self.project is None:
                out.append(FillLine([(_("Project:"), 2.2), (_("Date:"), 1)], st))
            out.append(FillLine([(_("Participants:"), 1)], st))
            out.append(Spacer(1, 2 * mm))
            out.append(Paragraph(markup.text(_(
                "Tick each item when it is done, and write down who takes it on, by when, "
                "and anything to remember.")), st.muted))
        out.append(Spacer(1, 4 * mm))
        return out

    def _tally(self) -> Tally:
        assert self.project is not None
        prog = self.project.progress
        if self.scope.activity is not None:
            return prog.activities[self.scope.activity.id]
        if not self.scope.whole:
            return prog.components[self.scope.components[0].id]
        return prog.overall

    def _component(self, comp: Component) -> list[Flowable]:
        st = self.st
        out = self.outline.heading(component_title(comp), comp.id, 0) if self.scope.whole \
            else []
        line = f"<b>{markup.text(comp.stage.label())}</b> — {markup.text(comp.goal)}"
        out.append(Paragraph(line, st.body))
        if self.project is not None and not self.blank and self.scope.whole:
            tally = self.project.progress.components[comp.id]
            out.append(Paragraph(markup.text(tally_text(tally)), st.muted))
        return out

    def _activity(self, comp: Component, act: Activity) -> list[Flowable]:
        st = self.st
        excluded = self._excluded(act)
        if excluded is not None and self.blank:
            return []  # a workshop for this project skips what does not concern it
        out: list[Flowable] = []
        if self.scope.activity is None:
            out = self.outline.heading(activity_title(comp, act), act.id, 1)
        facts = [act.origin.label()]
        if act.condition is not None:
            facts.append(act.condition.label())
        if self.project is not None and not self.blank and excluded is None:
            state = self.project.state.activity(act.id)
            facts.append(_("Status: {status}").format(status=state.status.label()))
            facts.append(tally_text(self.project.progress.activities[act.id]))
        out.append(Paragraph(markup.text(" · ".join(facts)), st.muted))
        if excluded is not None:
            out.append(Spacer(1, 2 * mm))
            out.append(Paragraph(f'<font color="{LATE.hexval()}">'
                                 f"{markup.text(excluded)}</font>", st.body))
            return out
        out.append(Spacer(1, 2 * mm))
        if act.purpose:
            out.append(Paragraph("<b>{}</b> {}".format(markup.text(_("Purpose:")),
                                                       markup.inline(act.purpose)), st.body))
        out += self._country_notes(act)
        if act.questions:
            out.append(Paragraph(markup.text(_("Guiding questions")), st.h3))
            out += [Paragraph(markup.inline(q), st.bullet, bulletText="•")
                    for q in act.questions]
        out.append(Paragraph(markup.text(_("Checklist")), st.h3))
        for item in act.items:
            block = self._item(item)
            if block is not None:
                out.append(block)
        return out

    def _country_notes(self, act: Activity) -> list[Flowable]:
        """What the project's country adds to the activity, as the screen shows it under
        the guidance: each note with its source and the day it was checked."""
        if self.project is None:
            return []
        notes = act.notes_for(self.project.meta.country)
        if not notes:
            return []
        st = self.st
        out: list[Flowable] = [Paragraph(markup.text(country_note_heading(notes[0].country)),
                                         st.h3)]
        for note in notes:
            out += paragraphs(note.text.strip(), st)
            source = _("Source: {source}, checked {date}").format(
                source=note.source, date=i18n.format_date(note.checked, "long"))
            out.append(Paragraph(f"<i>{markup.text(source)}</i>", st.muted))
            out.append(Spacer(1, 1.5 * mm))
        return out

    def _item(self, item: ChecklistItem) -> Flowable | None:
        st = self.st
        applies = self._item_applies(item)
        if not applies and self.blank:
            return None
        tags = [item.dimension.label()]
        role = self.roadmap.role(item.role) if item.role else None
        if role is not None:
            tags.append(role.title)
        meta = markup.text(" · ".join(tags))
        if item.condition is not None:
            meta += f" · <i>{markup.text(item.condition.label())}</i>"
        parts: list[Flowable] = []
        text = markup.inline(item.text)
        if self.blank:
            parts.append(Paragraph(text, st.item))
            parts.append(Paragraph(meta, st.muted))
            return Stack(parts, mark=fonts.BOX, mark_size=13, indent=7 * mm, gap=0.6 * mm,
                         space_after=3 * mm, rows=self._fill_rows,
                         label_size=st.small.fontSize)
        assert self.project is not None
        state = self.project.state.item(item.id)
        if not applies:
            parts.append(Paragraph(f'<font color="{MUTED.hexval()}">{text}</font>', st.item))
            parts.append(Paragraph(meta + " · " + markup.text(_("does not apply to this project")),
                                   st.muted))
            parts += self._answers(state, late=False)
            return Stack(parts, mark="–", mark_size=12, mark_colour=MUTED, indent=7 * mm,
                         gap=0.6 * mm, space_after=2.5 * mm)
        parts.append(Paragraph(text, st.item))
        parts.append(Paragraph(meta, st.muted))
        parts += self._answers(state, late=True)
        mark, colour = (fonts.TICKED, DONE) if state.done else (fonts.BOX, MUTED)
        return Stack(parts, mark=mark, mark_size=13, mark_colour=colour, indent=7 * mm,
                     gap=0.6 * mm, space_after=2.5 * mm)

    def _answers(self, state: ItemState, *, late: bool) -> list[Flowable]:
        """Owner, due date (marked when late) and note of an item, as far as given."""
        st = self.st
        details = []
        if state.owner.strip():
            details.append("<b>{}</b> {}".format(markup.text(_("Owner:")),
                                                 markup.text(markup.cut(state.owner, 300))))
        if state.due_date is not None:
            due = markup.text(i18n.format_date(state.due_date))
            if late and not state.done and state.due_date < self.today:
                due = '<font color="{}"><b>{} — {}</b></font>'.format(
                    LATE.hexval(), due, markup.text(_("overdue")))
            details.append("<b>{}</b> {}".format(markup.text(_("Due date:")), due))
        out: list[Flowable] = []
        if details:
            out.append(Paragraph(" · ".join(details), st.small))
        if state.note.strip():
            out.append(Paragraph("<b>{}</b> {}".format(markup.text(_("Note:")),
                                                       long_text(state.note)), st.small))
        return out


def checklist_story(roadmap: Roadmap, scope: Scope, project: ProjectSnapshot | None,
                    blank: bool, today: dt.date) -> list[Flowable]:
    return _Builder(roadmap, scope, project, blank, today).story()


def checklist_spec(scope: Scope, project: ProjectSnapshot | None, blank: bool,
                   today: dt.date, paper: str, author: str) -> Spec:
    from d4a_desktop.services.printing.common import spec

    kind = _("Blank checklist") if blank or project is None else _("Checklist")
    title = _("Checklist: {scope}").format(scope=title_of(scope))
    if project is not None:
        title = f"{title} — {markup.cut(project.meta.title, 240)}"
    return spec(title=title, subject=_("Step checklist of the D4A roadmap"), kind=kind,
                project=project, today=today, paper=paper, author=author)
