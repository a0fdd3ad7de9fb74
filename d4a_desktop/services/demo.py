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

from d4a_desktop import i18n, paths
from d4a_desktop.core.content import ContentError
from d4a_desktop.core.vocab import Condition, Status
from d4a_desktop.services.projects import NewProject, ProjectSession, create_project
from d4a_desktop.services.roadmap import english_roadmap

DEMO_SOURCE = "demo/kortrijk-cycling.yaml"


def demo_description() -> dict[str, Any]:
    import yaml  # only when the demo is written: opening it again needs no YAML

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
            write_demo_records(session, language)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        session.close()
        Path(path).unlink(missing_ok=True)
        raise ContentError([f"{DEMO_SOURCE}: {exc!r}"]) from exc
    except BaseException:
        session.close()
        Path(path).unlink(missing_ok=True)
        raise
    try:
        write_demo_monitoring(session, language)
    except BaseException:
        session.close()
        Path(path).unlink(missing_ok=True)
        raise
    file.modified = False  # a fresh demo needs no backup on close
    return session


def demo_path(language: str | None = None) -> Path:
    """Where "Open the demo project" keeps its working copy in ``language`` (default: the
    interface language); each language has its own, so switching languages shows the demo
    in the new one and keeps the edits made in the old."""
    language = language if language in i18n.LANGUAGES else i18n.language()
    return paths.user_data_dir() / "demo" / f"Kortrijk cycling demo ({language}).d4a"


# --- the demo's monitoring: filled tools, KPIs, comments and review marks ----------------------

MONITORING_SOURCE = "demo/kortrijk-monitoring.yaml"


def demo_monitoring() -> dict[str, Any]:
    """The demo's filled tools, KPIs, comments and reviews, as written in their file."""
    import yaml

    try:
        with (paths.resources_dir() / MONITORING_SOURCE).open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ContentError([f"{MONITORING_SOURCE}: {exc}"]) from exc
    if not isinstance(data, dict) or not isinstance(data.get("reference"), dt.date):
        raise ContentError([f"{MONITORING_SOURCE}: expected a mapping with a 'reference' "
                            "date"])
    return data


def write_demo_monitoring(session: ProjectSession, language: str | None = None,
                          today: dt.date | None = None) -> None:
    """Fill in the demo's tools (with their saved versions), KPIs with their measurements,
    comments and review marks, in ``language`` (default: the interface language), through
    the same commands the program uses; one transaction, all or nothing.

    Every date moves by whole weeks so that the file's reference date falls in the week
    that ends ``today`` (a review is then due, the measurements reach last month); each
    comment and version keeps its author and time. Raises ContentError, and writes
    nothing, when the file is broken or a value does not fit.
    """
    from d4a_desktop.core import assessments as answers_mod
    from d4a_desktop.core import kinds
    from d4a_desktop.core.commands import InvalidRecord
    from d4a_desktop.core.records import title_of
    from d4a_desktop.services import assessments, monitoring, records

    data = demo_monitoring()
    language = language if language in i18n.LANGUAGES else i18n.language()
    reference: dt.date = data["reference"]
    shift = dt.timedelta(weeks=((today or dt.date.today()) - reference).days // 7)
    now = reference + shift
    file = session.file
    rm = session.roadmap

    def text(value: Any) -> str:
        return localised(value, language) if isinstance(value, dict) else str(value)

    def day(value: Any) -> dt.date:
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise ValueError(f"expected a date, not {value!r}")
        return value + shift

    def moment(value: Any, hour: int = 12) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=None) + shift
        return dt.datetime.combine(day(value), dt.time(hour))

    def run(command: Any, when: dt.datetime, author: str) -> None:
        if command is not None:
            with file.as_of(when, author):
                session.execute(command)

    def answer(tool_id: str, path: str, raw: Any) -> Any:
        tool = rm.tool(tool_id)
        if tool is None:
            raise ValueError(f"no tool {tool_id!r}")
        place = answers_mod.locate(tool, path)
        if place is None or place.field is None:
            raise ValueError(f"{tool_id} has no question {path!r}")
        kind = place.field.type
        value = day(raw) if kind == "date" else tuple(raw) if kind == "multichoice" else \
            text(raw) if kind in ("text", "longtext", "url") else raw
        problem = answers_mod.validate_answer(tool, path, value)
        if problem:
            raise ValueError(f"{tool_id} {path}: {problem}")
        return value

    try:
        with file.transaction():
            for tool_id, entry in (data.get("tools") or {}).items():
                author = str(entry.get("by", ""))
                for version in entry.get("versions") or ():
                    when = moment(version["saved_on"], 10)
                    who = str(version.get("by", author))
                    for path, raw in (version.get("answers") or {}).items():
                        run(assessments.set_answer(session, tool_id, path,
                                                   answer(tool_id, path, raw)), when, who)
                    run(assessments.set_details(session, tool_id, {
                        "status": str(entry.get("status", "draft"))}), when, who)
                    run(assessments.save_version(session, tool_id,
                                                 text(version.get("note", "")),
                                                 day(version["saved_on"])),
                        when + dt.timedelta(hours=5), who)
                when = moment(entry.get("edited", reference), 9)
                for path, raw in (entry.get("answers") or {}).items():
                    run(assessments.set_answer(session, tool_id, path,
                                               answer(tool_id, path, raw)), when, author)
                details = {"status": str(entry.get("status", "draft")),
                           "next_review": day(entry["next_review"])
                           if entry.get("next_review") else None}
                run(assessments.set_details(session, tool_id, details), when, author)
            kpis: dict[str, str] = {}
            datasets = {title_of(kinds.kind("datasets"), r): r.id
                        for r in session.records("datasets")}
            for entry in data.get("kpis") or ():
                values: dict[str, Any] = {
                    name: text(entry[name]) for name in ("name", "code", "unit", "owner")
                    if name in entry}
                values |= {"baseline": entry.get("baseline"), "target": entry.get("target"),
                           "baseline_date": day(entry["baseline_date"]),
                           "target_date": day(entry["target_date"]),
                           "direction": str(entry.get("direction", "higher")),
                           "frequency": str(entry.get("frequency", "")),
                           "source_dataset": datasets.get(text(entry["source"]), "")
                           if entry.get("source") else ""}
                problems = monitoring.kpi_problems(values)
                if problems:
                    raise ValueError(f"KPI {values['name']!r}: {problems[0].message}")
                command = records.new_record("kpis", values)
                kpis[str(entry["key"])] = command.record_id
                run(command, moment(entry["baseline_date"], 9), str(entry.get("owner", "")))
                for row in entry.get("measurements") or ():
                    note = text(row[2]) if len(row) > 2 else ""
                    run(monitoring.new_measurement(session, command.record_id, day(row[0]),
                                                   row[1], note, today=now),
                        moment(row[0], 18) + dt.timedelta(days=1),
                        str(entry.get("owner", "")))
            for entry in data.get("comments") or ():
                about = entry["about"]
                if not isinstance(about, dict) or len(about) != 1:
                    raise ValueError(f"a comment is about one thing, not {about!r}")
                (kind, target), = about.items()
                if kind in ("activity", "item"):
                    (rm.activity if kind == "activity" else rm.item)(target)
                elif kind == "tool":
                    if rm.tool(target) is None:
                        raise ValueError(f"no tool {target!r}")
                    kind = "assessment"
                elif kind == "kpi":
                    kind, target = "kpis", kpis[target]
                else:
                    raise ValueError(f"a comment cannot be about {kind!r}")
                author = str(entry["by"])
                command = assessments.add_comment(session, kind, target, text(entry["text"]),
                                                  author)
                when = moment(entry["at"])
                run(command, when, author)
                if entry.get("resolved"):
                    written = file.get_record("comments", command.record_id)
                    assert written is not None
                    run(records.edit_record(written, {"resolved": True}),
                        when + dt.timedelta(days=2), author)
            for entry in data.get("reviews") or ():
                rm.activity(entry["activity"])
                run(assessments.mark_reviewed(session, entry["activity"], str(entry["by"]),
                                              day(entry["date"])),
                    moment(entry["date"], 16), str(entry["by"]))
    except (KeyError, TypeError, ValueError, AttributeError, IndexError,
            InvalidRecord) as exc:
        raise ContentError([f"{MONITORING_SOURCE}: {exc}"]) from exc

# --- the demo's registers --------------------------------------------------------------------

RECORDS_SOURCE = "demo/kortrijk-records.yaml"
#: The record kinds the records file lists in the generic form (team and responsibilities
#: have their own, since responsibilities name team members by a key).
_PLAIN_KINDS = ("decisions", "datasets", "risks", "milestones")


def demo_records() -> dict[str, Any]:
    """The demo's registers and planned dates, as written in the records file."""
    import yaml

    # libyaml's safe loader where it is installed: the records file is long.
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with (paths.resources_dir() / RECORDS_SOURCE).open(encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ContentError([f"{RECORDS_SOURCE}: {exc}"]) from exc
    if not isinstance(data, dict) or not isinstance(data.get("reference"), dt.date):
        raise ContentError([f"{RECORDS_SOURCE}: expected a mapping with a 'reference' date"])
    return data


def shift_for(reference: dt.date, today: dt.date) -> dt.timedelta:
    """How far the demo's dates move: whole weeks (so a Monday meeting stays on a Monday),
    as many as bring the reference date into the week that ends with ``today``."""
    return dt.timedelta(weeks=(today - reference).days // 7)


def _in_language(value: Any, language: str) -> Any:
    """A text given per language (a mapping of language codes) in ``language``; any other
    value as it is."""
    if isinstance(value, dict):
        unknown = set(value) - set(i18n.LANGUAGES)
        if unknown:
            raise ValueError(f"unknown languages {sorted(unknown)} in {value!r}")
        return localised(value, language)
    return value


def _record_values(kind_name: str, entry: Any, language: str, shift: dt.timedelta,
                   members: dict[str, str]) -> dict[str, Any]:
    """One record's values from its entry in the records file, checked like a form."""
    from d4a_desktop.core import kinds
    from d4a_desktop.core.records import FieldType
    from d4a_desktop.services.records import check

    if not isinstance(entry, dict):
        raise ValueError(f"{kind_name}: expected a mapping, not {entry!r}")
    kind = kinds.kind(kind_name)
    values: dict[str, Any] = {}
    for name, raw in entry.items():
        if name == "key":
            continue
        if not kind.has(name):
            raise ValueError(f"{kind_name}: no field {name!r}")
        f = kind.field(name)
        value = _in_language(raw, language)
        if f.type is FieldType.DATE and isinstance(value, dt.date):
            value = value + shift
        elif f.type.is_list and isinstance(value, list):
            value = tuple(value)
        elif f.type is FieldType.REFERENCE:
            value = members[str(value)]
        elif f.type.is_text and value is not None and not isinstance(value, str):
            value = str(value)
        values[name] = value
    problems = check(kind_name, values)
    if problems:
        raise ValueError(f"{kind_name} {entry.get(kind.title_field)!r}: "
                         + "; ".join(p.message for p in problems))
    return values


def write_demo_records(session: ProjectSession, language: str | None = None,
                       today: dt.date | None = None) -> None:
    """Fill the demo's registers and planned dates, and move every date of the demo so
    that its reference date falls on ``today``; one transaction, all or nothing.

    Texts are written in ``language`` (default: the interface language). Raises
    ContentError when the records file is broken; nothing is written then.
    """
    import uuid

    from d4a_desktop.core.commands import Batch, CreateRecord, SetActivityFields, SetItemFields

    data = demo_records()
    lang = language if language is not None and language in i18n.LANGUAGES \
        else i18n.language()
    shift = shift_for(data["reference"], today or dt.date.today())
    roadmap = english_roadmap()
    commands: list[Any] = []
    try:
        for activity_id, (start, end) in (data.get("plans") or {}).items():
            roadmap.activity(activity_id)
            commands.append(SetActivityFields(activity_id, {"planned_start": start + shift,
                                                            "planned_end": end + shift}))
        if shift:
            for item in session.state().items.values():
                if item.due_date is not None:
                    commands.append(SetItemFields(item.item_id,
                                                  {"due_date": item.due_date + shift}))
        members: dict[str, str] = {}
        for entry in data.get("team") or ():
            values = _record_values("team", entry, lang, shift, members)
            members[str(entry["key"])] = str(uuid.uuid4())
            commands.append(CreateRecord("team", members[str(entry["key"])], values))
        for activity_id, member, role in data.get("responsibilities") or ():
            values = _record_values("responsibilities", {
                "activity": activity_id, "member": member, "role": role}, lang, shift, members)
            commands.append(CreateRecord("responsibilities", str(uuid.uuid4()), values))
        for kind_name in _PLAIN_KINDS:
            for entry in data.get(kind_name) or ():
                values = _record_values(kind_name, entry, lang, shift, members)
                commands.append(CreateRecord(kind_name, str(uuid.uuid4()), values))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ContentError([f"{RECORDS_SOURCE}: {exc}"]) from exc
    session.execute(Batch(tuple(commands), "demo"))
