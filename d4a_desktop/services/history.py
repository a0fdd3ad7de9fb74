"""The change log read as a history of one record or checklist item: who changed what,
when, from which value to which, in the words the program uses for fields and values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from d4a_desktop import i18n
from d4a_desktop.i18n import _
from d4a_desktop.services.projects import ProjectSession


@dataclass(frozen=True)
class Entry:
    """One change as the history shows it."""

    at: dt.datetime | None   # local time
    author: str
    change: str              # "Owner: “Els” → “Bram”", "added" …

    def when(self) -> str:
        return i18n.format_datetime(self.at, "short") if self.at is not None else ""


def of(session: ProjectSession, about: str) -> list[Entry]:
    """The history of a record (its id) or of a checklist item or activity (its roadmap id),
    oldest first. Values and fields that cannot be named are shown as stored."""
    from d4a_desktop.services.merging import Labels

    labels = Labels(session, {})
    entries = []
    for raw in session.file.changes(about):
        op = raw["op"]
        change = {"create": _("added"), "delete": _("deleted"), "restore": _("restored"),
                  "baseline": _("as it was before the history began")}.get(op)
        if change is None:
            kind, field = str(raw["kind"] or ""), str(raw["field"] or "")
            shown = labels.show(kind, str(raw["record_id"] or ""), str(raw["key"] or ""),
                                field)
            change = _("{field}: “{old}” → “{new}”").format(
                field=shown.field, old=labels.value(kind, field, raw["old"]),
                new=labels.value(kind, field, raw["new"]))
        entries.append(Entry(_local(raw["at"]), str(raw["author"] or ""), change))
    return entries


def _local(text: object) -> dt.datetime | None:
    """A stored UTC time as the user's local time."""
    try:
        moment = dt.datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return moment.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)
