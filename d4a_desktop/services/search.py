"""Search across the roadmap (in the current language) and the project's own notes.

An in-memory SQLite FTS5 index: the roadmap has a few thousand short texts, so building it
takes milliseconds and needs no file. Diacritics are folded, so "raadpleging" finds
"raadpléging" and "Aarhus" finds "Århus"; every word of the query matches as a prefix, so
results appear while the user is still typing.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from d4a_desktop.core.content import Roadmap
from d4a_desktop.core.project import ProjectState

#: Marks around matched words in snippets (control characters never occur in content).
MARK_START, MARK_END = "\x02", "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Hit:
    """One place the search found: an activity, or one of its checklist items, and which of its
    texts matched. ``snippet`` marks the matched words with MARK_START and MARK_END for the view
    to highlight, as content never holds those characters."""

    activity_id: str
    item_id: str | None
    kind: str  # title | purpose | guidance | question | item | owner | note
    snippet: str
    terms: tuple[str, ...]


class SearchIndex:
    def __init__(self, roadmap: Roadmap, state: ProjectState | None = None):
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(activity_id UNINDEXED, item_id UNINDEXED, "
            "kind UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2')")
        rows: list[tuple[str, str | None, str, str]] = []
        for act in roadmap.activities():
            rows.append((act.id, None, "title", act.title))
            if act.purpose:
                rows.append((act.id, None, "purpose", act.purpose))
            rows.append((act.id, None, "guidance", act.guidance))
            rows += [(act.id, None, "question", q) for q in act.questions]
            for item in act.items:
                rows.append((act.id, item.id, "item", f"{item.text} {item.help}".strip()))
        self._db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?)", rows)
        self._roadmap = roadmap
        if state is not None:
            self.update_project(state)

    def update_project(self, state: ProjectState) -> None:
        """Replace the project's notes and owners in the index."""
        self._db.execute("DELETE FROM docs WHERE kind IN ('owner', 'note')")
        rows: list[tuple[str, str | None, str, str]] = []
        for item_id, st in state.items.items():
            if not self._roadmap.has(item_id):
                continue  # retired items have no activity to jump to
            activity_id = item_id.rsplit(".", 1)[0]
            if st.note:
                rows.append((activity_id, item_id, "note", st.note))
            if st.owner:
                rows.append((activity_id, item_id, "owner", st.owner))
        for act_id, act_state in state.activities.items():
            if act_state.na_reason and self._roadmap.has(act_id):
                rows.append((act_id, None, "note", act_state.na_reason))
        self._db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?)", rows)

    def search(self, text: str, limit: int = 60) -> list[Hit]:
        terms = tuple(_WORD.findall(text))
        if not terms:
            return []
        query = " ".join('"' + t.replace('"', "") + '"*' for t in terms)
        try:
            rows = self._db.execute(
                "SELECT activity_id, item_id, kind, "
                f"snippet(docs, 3, '{MARK_START}', '{MARK_END}', '…', 12) "
                "FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?", (query, limit)).fetchall()
        except sqlite3.OperationalError:
            return []
        return [Hit(a, i, k, " ".join(s.split()), terms) for a, i, k, s in rows]

    def close(self) -> None:
        self._db.close()
