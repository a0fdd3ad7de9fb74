"""Plain-data views of a project's state, as the storage layer returns them.

These are immutable snapshots: the GUI and the CLI hold these, never ORM rows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from d4a_desktop.core.vocab import Condition, Status
from d4a_desktop.digest import uuid5


@dataclass(frozen=True, slots=True)
class ProjectMeta:
    """A project's identity and details as a snapshot. ``id`` is the project's UUID for life, kept
    by every copy of the file, which is how an exchange knows two files are one project."""

    id: str
    title: str
    municipality: str
    country: str
    domain: str = ""
    language: str = "en"
    tandem_partner: str = ""
    roadmap_version: str = ""
    created_at: dt.datetime | None = None
    modified_at: dt.datetime | None = None
    author: str = ""

    #: The fields a user may edit, in the order a form shows them.
    EDITABLE = ("title", "municipality", "country", "domain", "language", "tandem_partner")


def state_id(project_id: str, namespace: str, content_id: str) -> str:
    """The id of the row that holds a project's answer about a roadmap object.

    Derived from the project and the content id (a name-based UUID), so two copies of one
    project give the same item the same id, even when each copy created its row on its own:
    a merge then knows they are one record.
    """
    try:
        base = uuid.UUID(project_id)
    except ValueError:
        base = uuid5(uuid.NAMESPACE_URL, project_id)
    return str(uuid5(base, f"{namespace}:{content_id}"))


@dataclass(frozen=True, slots=True)
class ActivityState:
    """A project's answer about one roadmap activity. A missing row means the defaults here (not
    started), so an activity the user never touched needs nothing in the file."""

    activity_id: str
    status: Status = Status.NOT_STARTED
    na_reason: str = ""
    modified_at: dt.datetime | None = None
    author: str = ""
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None

    EDITABLE = ("status", "na_reason", "planned_start", "planned_end")


@dataclass(frozen=True, slots=True)
class ItemState:
    """A project's answer about one checklist item; like ActivityState, the defaults stand for an
    item nobody has touched yet, which the file holds no row for."""

    item_id: str
    done: bool = False
    owner: str = ""
    due_date: dt.date | None = None
    note: str = ""
    modified_at: dt.datetime | None = None
    author: str = ""

    EDITABLE = ("done", "owner", "due_date", "note")


@dataclass(frozen=True)
class ProjectState:
    """Everything progress and the views need, read in one short session."""

    meta: ProjectMeta
    activities: dict[str, ActivityState] = field(default_factory=dict)
    items: dict[str, ItemState] = field(default_factory=dict)
    #: The project's answers; a condition missing here (or None) is not answered yet.
    conditions: dict[Condition, bool | None] = field(default_factory=dict)

    def applies(self, condition: Condition | None) -> bool:
        """Whether work under ``condition`` counts: unanswered counts as applying."""
        return condition is None or self.conditions.get(condition) is not False

    def activity(self, activity_id: str) -> ActivityState:
        return self.activities.get(activity_id) or ActivityState(activity_id)

    def item(self, item_id: str) -> ItemState:
        return self.items.get(item_id) or ItemState(item_id)

    def owner_names(self) -> list[str]:
        """Names already used as owners, most used first, for completing the next one.

        Spelling variants that differ only in case count as one name, written as it was
        written most often. (The team register, when a project has one, adds its members.)
        """
        counts: dict[str, dict[str, int]] = {}
        for state in self.items.values():
            name = " ".join(state.owner.split())
            if name:
                spellings = counts.setdefault(name.casefold(), {})
                spellings[name] = spellings.get(name, 0) + 1
        ranked = sorted(counts.values(), key=lambda s: (-sum(s.values()), min(s).casefold()))
        return [max(s, key=lambda name: (s[name], name)) for s in ranked]
