"""One's own project beside a partner's: the tandem view, as plain data.

Progress per component, activity and dimension for both sides, and the differences a
reader looks for: questions answered differently, activities in another state, checklist
items ticked on one side only, registers of different size, and, when both are copies of
the same project, the records that one side has and the other not or that differ field by
field. The GUI shows this; ``d4a compare`` prints it or its JSON.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from d4a_desktop import i18n
from d4a_desktop.core import kinds
from d4a_desktop.core.progress import Progress, Tally
from d4a_desktop.core.project import ProjectMeta, ProjectState
from d4a_desktop.core.records import Record, title_of
from d4a_desktop.core.vocab import Condition, Dimension
from d4a_desktop.i18n import _, pgettext
from d4a_desktop.services.projects import ProjectSession


@dataclass(frozen=True)
class Side:
    """One project of the comparison."""

    meta: ProjectMeta
    progress: Progress
    counts: dict[str, int]

    def as_json(self) -> dict[str, Any]:
        """The shape of ``d4a info --json``: project details and fractions from 0 to 1."""
        m = self.meta
        return {"project": {"id": m.id, "title": m.title, "municipality": m.municipality,
                            "country": m.country, "domain": m.domain, "language": m.language,
                            "tandem_partner": m.tandem_partner},
                "roadmap_version": m.roadmap_version,
                **self.progress.as_fractions(), "records": dict(self.counts)}


@dataclass(frozen=True)
class Row:
    """A component, activity or dimension with both sides' progress."""

    id: str
    title: str
    mine: Tally
    theirs: Tally
    #: An activity that counts on neither side (not applicable, or its condition is off).
    excluded: tuple[bool, bool] = (False, False)

    @property
    def gap(self) -> float:
        """How far the partner is ahead (positive) or behind (negative), 0 to ±1."""
        return self.theirs.fraction - self.mine.fraction


@dataclass(frozen=True)
class Difference:
    """One thing the two projects say differently, ready to show."""

    #: condition, activity, item, register, project or record
    area: str
    key: str            # content id, kind name, field name or record id
    title: str          # what it is about, translated
    mine: str           # this side's value as shown, "" when it has none
    theirs: str
    kind: str = ""      # for records: the kind


@dataclass(frozen=True)
class Comparison:
    """Two projects side by side, as the tandem view and ``d4a compare`` show them. Record-level
    differences are listed only when ``same_project``: two different projects share no record
    ids."""

    mine: Side
    theirs: Side
    same_project: bool
    components: list[Row]
    activities: list[Row]
    dimensions: list[Row]
    overall: Row
    differences: list[Difference] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"same_project": self.same_project,
                "mine": self.mine.as_json(), "theirs": self.theirs.as_json(),
                "differences": [{"area": d.area, "key": d.key, "kind": d.kind,
                                 "title": d.title, "mine": d.mine, "theirs": d.theirs}
                                for d in self.differences]}


def _side(session: ProjectSession) -> tuple[Side, ProjectState]:
    state = session.state()
    return Side(state.meta, session.progress(), session.file.counts()), state


def _yes_no(value: bool | None) -> str:
    if value is None:
        return _("Not answered")
    return _("Yes") if value else _("No")


def compare(mine: ProjectSession, theirs: ProjectSession) -> Comparison:
    """Both projects side by side (``theirs`` is usually a partner view's session)."""
    roadmap = mine.roadmap
    me, my_state = _side(mine)
    them, their_state = _side(theirs)
    pm, pt = me.progress, them.progress
    components = [Row(c.id, f"{c.number}. {c.title}", pm.components[c.id],
                      pt.components[c.id]) for c in roadmap.components]
    activities = [Row(a.id, f"{a.id} {a.title}", pm.activities[a.id], pt.activities[a.id],
                      (a.id in pm.excluded, a.id in pt.excluded))
                  for a in roadmap.activities()]
    dimensions = [Row(d.value, d.label(), pm.dimensions[d], pt.dimensions[d])
                  for d in Dimension]
    same = me.meta.id == them.meta.id
    diffs: list[Difference] = []
    diffs += _project_differences(me.meta, them.meta) if same else []
    for condition in Condition:
        a, b = my_state.conditions.get(condition), their_state.conditions.get(condition)
        if a != b:
            diffs.append(Difference("condition", condition.value, condition.question(),
                                    _yes_no(a), _yes_no(b)))
    for act in roadmap.activities():
        a_status, b_status = my_state.activity(act.id).status, their_state.activity(act.id).status
        if a_status != b_status:
            diffs.append(Difference("activity", act.id, f"{act.id} {act.title}",
                                    a_status.label(), b_status.label()))
        for item in act.items:
            a_done, b_done = my_state.item(item.id).done, their_state.item(item.id).done
            if a_done != b_done:
                diffs.append(Difference("item", item.id, f"{item.id} {item.text}",
                                        _done(a_done), _done(b_done)))
    for kind in kinds.KINDS:
        a_count, b_count = me.counts.get(kind.name, 0), them.counts.get(kind.name, 0)
        if same:
            diffs += _record_differences(kind, mine.file.records(kind, include_deleted=True),
                                         theirs.file.records(kind, include_deleted=True))
        elif a_count != b_count and kind.register:
            diffs.append(Difference("register", kind.name, kind.plural_text(),
                                    i18n.format_number(a_count), i18n.format_number(b_count)))
    return Comparison(me, them, same, components, activities, dimensions,
                      Row("overall", _("Overall"), pm.overall, pt.overall), diffs)


def _done(done: bool) -> str:
    # Translators: a checklist item in the comparison of two projects.
    return pgettext("checklist item", "Done") if done else pgettext("checklist item", "Open")


def _project_differences(a: ProjectMeta, b: ProjectMeta) -> list[Difference]:
    labels = {"title": _("Title"), "municipality": _("Municipality"), "country": _("Country"),
              "domain": _("Domain"), "tandem_partner": _("Tandem partner")}
    return [Difference("project", name, label, str(getattr(a, name)), str(getattr(b, name)))
            for name, label in labels.items() if getattr(a, name) != getattr(b, name)]


def _state(record: Record | None) -> str:
    if record is None:
        return _("Missing")
    return _("Deleted") if record.deleted else _("Present")


def _record_differences(kind: kinds.Kind, mine: Iterable[Record],
                        theirs: Iterable[Record]) -> list[Difference]:
    """Records of two copies of one project, compared by id and field by field."""
    a = {r.id: r for r in mine}
    b = {r.id: r for r in theirs}
    found = []
    for rid in [*a, *(r for r in b if r not in a)]:
        here, there = a.get(rid), b.get(rid)
        name = title_of(kind, here or there)  # type: ignore[arg-type]
        title = _("{kind} “{title}”").format(kind=kind.label_text(), title=name)
        if here is None or there is None or here.deleted != there.deleted:
            if (here is None or here.deleted) and (there is None or there.deleted):
                continue  # gone on both sides, whatever the tombstones say
            found.append(Difference("record", rid, title, _state(here), _state(there),
                                    kind.name))
            continue
        for f in kind.fields:
            x, y = here.get(f.name), there.get(f.name)
            if x != y and not (f.is_empty(x) and f.is_empty(y)):
                found.append(Difference("record", rid, f"{title}: {f.label_text()}",
                                        f.display(x), f.display(y), kind.name))
    return found
