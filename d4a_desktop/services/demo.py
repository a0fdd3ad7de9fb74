"""The bundled demo project, written from its YAML description into a project file.

The demo is kept as readable YAML (not a binary .d4a) so it always matches the current
schema and roadmap, and so a reviewer can see what it contains. A damaged description
raises ContentError and leaves no half-written project behind.

The demo's own texts (title, domain, notes, reasons) are written in each of the seven
languages, and a demo is written in one of them (the interface language), as if a project
lead of that language had planned it: a Danish user sees Danish notes beside the Danish
roadmap.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from d4a_desktop import i18n, paths
from d4a_desktop.core.content import ContentError
from d4a_desktop.core.vocab import Condition, Status
from d4a_desktop.services.projects import NewProject, ProjectSession, create_project
from d4a_desktop.services.roadmap import english_roadmap

DEMO_SOURCE = "demo/kortrijk-cycling.yaml"


def demo_description() -> dict[str, Any]:
    try:
        with (paths.resources_dir() / DEMO_SOURCE).open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ContentError([f"{DEMO_SOURCE}: {exc}"]) from exc
    if not isinstance(data, dict) or not isinstance(data.get("project"), dict):
        raise ContentError([f"{DEMO_SOURCE}: expected a mapping with a 'project' entry"])
    return data


def localised(value: Any, language: str) -> str:
    """A demo text in ``language``: a plain string is the same in every language, a
    mapping gives one text per language code (English when the language is missing)."""
    if isinstance(value, dict):
        value = value.get(language, value.get(i18n.DEFAULT_LANGUAGE))
    if not isinstance(value, str):
        raise TypeError(f"expected text or a text per language, not {value!r}")
    return value


def write_demo(path: Path | str, *, overwrite: bool = False,
               language: str | None = None) -> ProjectSession:
    """Create the demo project at ``path`` in ``language`` (default: the interface
    language) and return it open."""
    demo = demo_description()
    roadmap = english_roadmap()
    language = language if language in i18n.LANGUAGES else i18n.language()
    try:
        conditions = {Condition(k): v for k, v in (demo.get("conditions") or {}).items()}
        fields = {k: localised(v, language) for k, v in demo["project"].items()}
        details = NewProject(**fields | {"language": language}, conditions=conditions)
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        raise ContentError([f"{DEMO_SOURCE}: {exc}"]) from exc
    session = create_project(path, details, author=str(demo.get("author", "")),
                             overwrite=overwrite)
    file = session.file
    try:
        with file.transaction():  # one commit: quick on any disk, and all or nothing
            for activity_id, entry in (demo.get("activities") or {}).items():
                roadmap.activity(activity_id)  # KeyError on an unknown id: a broken demo
                file.update_activity(activity_id, {
                    "status": Status(entry["status"]),
                    "na_reason": localised(entry.get("reason", ""), language)})
            for item_id, entry in (demo.get("items") or {}).items():
                roadmap.item(item_id)
                due = entry.get("due")
                file.update_item(item_id, {
                    "done": bool(entry.get("done", False)),
                    "owner": str(entry.get("owner", "")),
                    "due_date": due if isinstance(due, dt.date) else None,
                    "note": localised(entry.get("note", ""), language),
                })
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        session.close()
        Path(path).unlink(missing_ok=True)
        raise ContentError([f"{DEMO_SOURCE}: {exc!r}"]) from exc
    except BaseException:
        session.close()
        raise
    file.modified = False  # a fresh demo needs no backup on close
    return session


def demo_path(language: str | None = None) -> Path:
    """Where "Open the demo project" keeps its working copy in ``language`` (default: the
    interface language); each language has its own, so switching languages shows the demo
    in the new one and keeps the edits made in the old."""
    language = language if language in i18n.LANGUAGES else i18n.language()
    return paths.user_data_dir() / "demo" / f"Kortrijk cycling demo ({language}).d4a"
