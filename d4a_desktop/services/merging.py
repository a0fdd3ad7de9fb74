"""Merging a partner's copy of the same project into the open one.

``preview`` says what a merge would take and which fields conflict; ``command`` turns it,
with the user's decisions, into one undoable edit. The copy to merge comes as a snapshot
(from an exchange package, or read from another project file).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from d4a_desktop.core import merge
from d4a_desktop.core.commands import ApplyMerge
from d4a_desktop.i18n import _, pgettext
from d4a_desktop.services.projects import ProjectSession, read_project
from d4a_desktop.storage import snapshot

Prefer = Literal["mine", "theirs"]


@dataclass(frozen=True)
class Summary:
    """A merge in three counts: fields and records taken from the partner, conflicts, and how many
    of those are decided. A merge is written only when every conflict is decided."""

    taken: int
    conflicts: int
    decided: int

    def as_json(self) -> dict[str, int]:
        return {"taken": self.taken, "conflicts": self.conflicts, "decided": self.decided}


class DifferentProject(Exception):
    """The copy belongs to another project: it is compared, never merged."""

    def __init__(self) -> None:
        self.message = _("This copy belongs to another project; it can be compared with "
                         "yours but not merged.")
        super().__init__(self.message)


def preview(session: ProjectSession, theirs: Mapping[str, Any]) -> merge.Plan:
    try:
        return merge.plan(snapshot.take(session.file), theirs)
    except merge.DifferentProjects:
        raise DifferentProject() from None


def decide(plan: merge.Plan, prefer: Prefer | None,
           chosen: Mapping[tuple[str, str, str], Any] | None = None
           ) -> dict[tuple[str, str, str], Any]:
    """Every conflict's value: the user's choice, else the preferred side's."""
    decisions: dict[tuple[str, str, str], Any] = {}
    for conflict in plan.conflicts:
        if chosen and conflict.ident in chosen:
            decisions[conflict.ident] = chosen[conflict.ident]
        elif prefer == "theirs":
            decisions[conflict.ident] = conflict.theirs.value
        elif prefer == "mine":
            decisions[conflict.ident] = conflict.mine.value
    return decisions


def command(plan: merge.Plan, decisions: Mapping[tuple[str, str, str], Any]) -> ApplyMerge:
    missing = [c for c in plan.conflicts if c.ident not in decisions]
    if missing:
        raise ValueError(f"{len(missing)} conflicts are not decided")
    return ApplyMerge(plan, tuple(decisions.items()))


def summary(plan: merge.Plan, decisions: Mapping[tuple[str, str, str], Any]) -> Summary:
    return Summary(taken=len(plan.takes) + len(plan.creates), conflicts=len(plan.conflicts),
                   decided=sum(1 for c in plan.conflicts if c.ident in decisions))


def snapshot_of_file(path: Path) -> dict[str, Any]:
    """The snapshot of another project file, read without writing to it."""
    other = read_project(path)
    try:
        return snapshot.take(other.file)
    finally:
        other.close()


def package_plan(session: ProjectSession, path: Path) -> tuple[merge.Plan, Any]:
    """What merging an exchange package would do, after every check a merge needs (same
    project, a package this program reads in full, no id of another kind)."""
    from d4a_desktop.services.exchange import check_mergeable, read_package

    package = read_package(path)
    check_mergeable(package, session)
    return preview(session, package.snapshot), package


def merge_package(session: ProjectSession, path: Path, prefer: Prefer | None = None
                  ) -> tuple[Summary, merge.Plan]:
    """Merge a package into the open project as one undoable edit, unless fields changed
    on both sides and no ``prefer`` decides them: then nothing is written."""
    plan, _package = package_plan(session, path)
    decisions = decide(plan, prefer)
    result = summary(plan, decisions)
    if not plan.empty and result.decided == result.conflicts:
        session.execute(command(plan, decisions))
    return result, plan


# --- what the merge dialog shows ---------------------------------------------------------------

#: Fields of the roadmap answers and the project whose values are text a user may retype
#: when deciding a conflict (other values are chosen, never typed).
_TEXT_FIELDS = {("item", "owner"), ("item", "note"), ("activity", "na_reason"),
                ("project", "title"), ("project", "municipality"), ("project", "domain"),
                ("project", "tandem_partner")}


@dataclass(frozen=True)
class Shown:
    """A field of a merge (taken or in conflict) as the merge dialog names it."""

    what: str      # the record, checklist item, activity or "Project details"
    field: str     # the field's label
    #: True when the user may type a value of their own (a text field).
    editable: bool


class Labels:
    """Names for the records and fields of a merge, from this project and the package."""

    def __init__(self, session: ProjectSession, theirs: Mapping[str, Any]):
        self._session = session
        self._their_records: dict[tuple[str, str], Mapping[str, Any]] = {
            (kind, entry["id"]): entry.get("values", {})
            for kind, entries in theirs.get("records", {}).items() for entry in entries}

    def show(self, kind: str, record_id: str, key: str, name: str) -> Shown:
        from d4a_desktop.core import kinds
        from d4a_desktop.core.records import FieldType, title_of
        from d4a_desktop.core.vocab import Condition

        rm = self._session.roadmap
        field = _("Deleted") if name == merge.DELETED else name
        if kind == merge.PROJECT:
            labels = {"title": _("Title"), "municipality": _("Municipality"),
                      "country": _("Country"), "domain": _("Domain"),
                      "language": _("Language"), "tandem_partner": _("Tandem partner")}
            return Shown(_("Project details"), labels.get(name, name),
                         (kind, name) in _TEXT_FIELDS)
        if kind == "item":
            labels = {"done": _("Done"), "owner": _("Owner"),
                      "due_date": _("Due date"), "note": _("Note")}
            what = f"{key} {rm.item(key).text}" if key and rm.has(key) else key or record_id
            return Shown(what, labels.get(name, field), (kind, name) in _TEXT_FIELDS)
        if kind == "activity":
            labels = {"status": _("Status"), "na_reason": _("Why it does not apply"),
                      "planned_start": _("Planned start"), "planned_end": _("Planned end")}
            what = f"{key} {rm.activity(key).title}" if key and rm.has(key) else \
                key or record_id
            return Shown(what, labels.get(name, field), (kind, name) in _TEXT_FIELDS)
        if kind == "condition":
            try:
                what = Condition(key).question()
            except ValueError:
                what = key or record_id
            return Shown(what, _("Answer"), False)
        try:
            k = kinds.kind(kind)
        except (KeyError, ValueError):
            return Shown(record_id, field, False)
        mine = self._session.file.get_record(k, record_id)
        values: Any = mine if mine is not None else _decoded(
            k, self._their_records.get((kind, record_id), {}))
        try:
            title = title_of(k, values) or record_id
        except Exception:  # a title from a partner's package: never worth a failure
            title = record_id
        if k.field(k.title_field).type is FieldType.ACTIVITY and rm.has(title) \
                and title.count(".") == 1:
            title = f"{title} {rm.activity(title).title}"  # a responsibility, a review
        what = _("{kind} “{title}”").format(kind=k.label_text(), title=title)
        if name == merge.DELETED or not k.has(name):
            return Shown(what, field, False)
        f = k.field(name)
        return Shown(what, f.label_text(),
                     f.type in (FieldType.TEXT, FieldType.LONGTEXT, FieldType.URL))

    def value(self, kind: str, name: str, value: Any) -> str:
        """A value as the user reads it; anything odd is shown as it is, never fails."""
        try:
            return self._value(kind, name, value)
        except Exception:
            return "" if value is None else str(value)

    def _value(self, kind: str, name: str, value: Any) -> str:
        import datetime as dt

        from d4a_desktop import i18n
        from d4a_desktop.core import kinds
        from d4a_desktop.core.vocab import Status
        from d4a_desktop.services.exchange.portfolio import _value as decoded

        if name == merge.DELETED:
            return _("Deleted") if value else _("Present")
        if value is None or value == "":
            return ""
        if kind == "item" and name == "done":
            return pgettext("checklist item", "Done") if value else \
                pgettext("checklist item", "Open")
        if kind == "activity" and name == "status":
            return Status(value).label()
        if kind == "condition":
            return _("Yes") if value else _("No")
        if name in ("due_date", "planned_start", "planned_end") and isinstance(value, str):
            return i18n.format_date(dt.date.fromisoformat(value))
        if kind in ("item", "activity", merge.PROJECT):
            return str(value)
        k = kinds.kind(kind)
        f = k.field(name)
        return f.display(decoded(f.type, value))


def _decoded(kind: Any, values: Mapping[str, Any]) -> dict[str, Any]:
    """A package's JSON values of a record as storage returns them (dates as dates), so
    that its title reads as the register shows it."""
    from d4a_desktop.services.exchange.portfolio import _value as decoded

    return {f.name: decoded(f.type, values[f.name]) for f in kind.fields if f.name in values}


def check_edited(kind: str, name: str, text: str) -> str | None:
    """Why a value the user typed for a conflict cannot be stored, or None."""
    from d4a_desktop.core import kinds
    from d4a_desktop.core.records import check_text, check_value

    if kind in ("item", "activity", merge.PROJECT, "condition"):
        return check_text(text)
    try:
        f = kinds.kind(kind).field(name)
    except (KeyError, ValueError):
        return check_text(text)
    return check_value(f, text)


def changed_by(side: merge.Side) -> str:
    """Who set a value and when, for the merge dialog: "Anna Jensen, 3 Dec 2026 14:05"."""
    import datetime as dt

    from d4a_desktop import i18n

    when = ""
    if side.at:
        try:
            stamp = dt.datetime.fromisoformat(str(side.at).replace("Z", "+00:00"))
            if stamp.tzinfo is not None:
                stamp = stamp.astimezone()
            when = i18n.format_datetime(stamp.replace(tzinfo=None), "short")
        except ValueError:
            when = str(side.at)
    who = side.author or _("someone unnamed")
    # Translators: who changed a value and when, in the merge dialog.
    return _("{author}, {when}").format(author=who, when=when) if when else who
