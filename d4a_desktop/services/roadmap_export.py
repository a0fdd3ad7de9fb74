"""The roadmap outside the program: Markdown for an intranet, JSON for other tools.

Both are written from the localised roadmap, so ``d4a roadmap --lang fr`` gives the French
roadmap. The JSON shape is documented in ``docs/roadmap-json.md`` and versioned by
``format``; a change that removes or renames a key raises that number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from d4a_desktop import __version__, i18n
from d4a_desktop.core.content import Activity, CountryNote, Roadmap, Tool
from d4a_desktop.core.vocab import country_note_heading
from d4a_desktop.i18n import _

JSON_FORMAT = 1


def tool_markdown(tool: Tool, heading: str = "##") -> str:
    """A tool as a readable worksheet: its sections, fields, choices and scales."""
    lines = [f"{heading} {tool.title}", "", tool.description, ""]
    scales = {s.id: s for s in tool.scales}
    for section in tool.sections:
        lines += [f"{heading}# {section.title}", ""]
        if section.repeating and section.entry:
            lines += ["*" + _("Repeat for each: {thing}").format(thing=section.entry) + "*", ""]
        if section.help:
            lines += [section.help.strip(), ""]
        for fld in section.fields:
            line = f"- **{fld.label}**"
            if fld.type in ("choice", "multichoice") and fld.options:
                joined = i18n.join_inline(o.label for o in fld.options)
                line += f" ({joined})"
            elif fld.type == "yesno":
                line += " (" + _("yes / no") + ")"
            elif fld.type == "scale" and fld.scale in scales:
                levels = scales[fld.scale].levels
                line += f" ({levels[0].value}–{levels[-1].value})"
            if fld.help:
                line += f" — *{fld.help.strip()}*"
            lines.append(line)
        lines.append("")
    for scale in tool.scales:
        lines += [f"{heading}# " + _("Scale"), ""]
        for level in scale.levels:
            term = f"**{level.value} {level.label}**"
            lines.append("- " + (i18n.labelled(term, level.description) if level.description
                                 else term))
        lines.append("")
    if tool.interpretation:
        lines += [f"{heading}# " + _("How to read the result"), "",
                  tool.interpretation.strip(), ""]
    if tool.credit:
        lines += [f"*{tool.credit.strip()}*", ""]
    for url in tool.sources:
        lines.append(f"- <{url}>")
    return "\n".join(lines).rstrip() + "\n"


def _autolink(url: str) -> str:
    return f"<{url}>"


def country_notes_markdown(notes: Iterable[CountryNote], heading: str = "####",
                           link: Callable[[str], str] = _autolink) -> list[str]:
    """Country notes as Markdown lines: a heading per country ("In Belgium"), then each
    note with its source and the date it was checked. ``link`` writes the source link."""
    lines: list[str] = []
    country = None
    for note in notes:
        if note.country != country:
            country = note.country
            lines += [f"{heading} {country_note_heading(country)}", ""]
        # Translators: under a country note: the page it comes from and the day it was read.
        source = _("Source: {source}, checked {date}").format(
            source=link(note.source), date=i18n.format_date(note.checked, "long"))
        lines += [note.text.strip(), "", f"*{source}*", ""]
    return lines


def _activity_markdown(roadmap: Roadmap, comp_number: int, act: Activity,
                       country: str | None = None) -> list[str]:
    lines = [f"### {comp_number}.{act.number} {act.title}", "",
             f"*{act.origin.label()}*" + (f" — <{act.source}>" if act.source else ""), ""]
    if act.condition:
        lines += [f"*{act.condition.label()}*", ""]
    if act.purpose:
        lines += ["**" + _("Purpose:") + "** " + act.purpose, ""]
    lines += [act.guidance.strip(), "", "#### " + _("Guiding questions"), ""]
    lines += [f"- {q}" for q in act.questions]
    lines += ["", "#### " + _("Checklist"), ""]
    for item in act.items:
        role = roadmap.role(item.role) if item.role else None
        tags = [item.dimension.label()]
        if role:
            tags.append(role.title)
        if item.condition:
            tags.append(item.condition.label())
        lines.append(f"- [ ] {item.text} *({i18n.join_tags(tags)})*")
        if item.help:
            lines.append(f"  {item.help}")
    extras = [
        (_("Tools:"), [t.title for t in (roadmap.tool(x) for x in act.tools) if t]),
        (_("Pilot cases:"), [c.title for c in (roadmap.case(x) for x in act.cases) if c]),
        (_("Standards:"), [s.name for s in (roadmap.standard(x) for x in act.standards) if s]),
    ]
    for lead, names in extras:
        if names:
            lines += ["", f"**{lead}** " + i18n.format_list(names)]
    notes = act.country_notes if country is None else act.notes_for(country)
    if notes:
        lines += ["", *country_notes_markdown(notes)[:-1]]
    return [*lines, ""]


def roadmap_markdown(roadmap: Roadmap, country: str | None = None) -> str:
    """The whole roadmap; with ``country`` (a partner country's code) only that country's
    notes, without it the notes of every partner country."""
    lines = ["# " + _("The D4A roadmap"), "",
             _("Roadmap version {version}, language: {language}. Written by D4A Roadmap "
               "Desktop {app}.").format(version=roadmap.version,
                                        language=i18n.LANGUAGES[i18n.language()],
                                        app=__version__), ""]
    for comp in roadmap.components:
        lines += [f"## {comp.number} {comp.title}", "",
                  f"*{comp.stage.label()}* — {comp.goal}", ""]
        for act in comp.activities:
            lines += _activity_markdown(roadmap, comp.number, act, country)
    lines += ["## " + _("Tools"), ""]
    for tool in roadmap.tools:
        lines += [tool_markdown(tool, "###"), ""]
    lines += ["## " + _("Pilot cases"), ""]
    for case in roadmap.cases:
        lines += [f"### {case.title}", "", f"*{case.place}*", "", case.summary.strip(), "",
                  f"<{case.source}>", ""]
    if roadmap.standards:
        lines += ["## " + _("Standards"), ""]
        for std in roadmap.standards:
            lines.append("- " + i18n.labelled(f"**{std.name}**", std.summary)
                         + (f" <{std.url}>" if std.url else ""))
    return "\n".join(lines).rstrip() + "\n"


def roadmap_json(roadmap: Roadmap, country: str | None = None) -> dict[str, Any]:
    """The roadmap as documented in docs/roadmap-json.md; ``country`` as for Markdown."""
    def tool(t: Tool) -> dict[str, Any]:
        return {
            "id": t.id, "title": t.title, "description": t.description, "kind": t.kind,
            "credit": t.credit, "sources": list(t.sources),
            "scales": [{"id": s.id, "levels": [{"value": lv.value, "label": lv.label,
                                                "description": lv.description}
                                               for lv in s.levels]} for s in t.scales],
            "sections": [{
                "id": s.id, "title": s.title, "help": s.help, "repeating": s.repeating,
                "entry": s.entry,
                "fields": [{"id": f.id, "label": f.label, "help": f.help, "type": f.type,
                            "options": [{"id": o.id, "label": o.label} for o in f.options],
                            "scale": f.scale, "only_if": f.only_if or None}
                           for f in s.fields],
            } for s in t.sections],
            "interpretation": t.interpretation,
        }

    def notes(a: Activity) -> list[dict[str, Any]]:
        chosen = a.country_notes if country is None else a.notes_for(country)
        return [{"id": n.id, "country": n.country, "text": n.text, "source": n.source,
                 "checked": n.checked.isoformat()} for n in chosen]

    return {
        "format": JSON_FORMAT,
        "roadmap": roadmap.id,
        "version": roadmap.version,
        "language": i18n.language(),
        "country": country,
        "components": [{
            "id": c.id, "number": c.number, "title": c.title, "stage": c.stage.value,
            "goal": c.goal, "source": c.source,
            "activities": [{
                "id": a.id, "number": a.number, "title": a.title, "origin": a.origin.value,
                "source": a.source or None, "purpose": a.purpose, "guidance": a.guidance,
                "condition": a.condition.value if a.condition else None,
                "roles": list(a.roles), "dimensions": [d.value for d in a.dimensions],
                "questions": list(a.questions),
                "items": [{
                    "id": i.id, "text": i.text, "help": i.help, "dimension": i.dimension.value,
                    "role": i.role, "condition": i.condition.value if i.condition else None,
                } for i in a.items],
                "tools": list(a.tools), "cases": list(a.cases), "standards": list(a.standards),
                "country_notes": notes(a),
            } for a in c.activities],
        } for c in roadmap.components],
        "roles": [{"id": r.id, "title": r.title, "description": r.description}
                  for r in roadmap.roles],
        "tools": [tool(t) for t in roadmap.tools],
        "cases": [{"id": c.id, "title": c.title, "place": c.place, "summary": c.summary,
                   "source": c.source, "activities": list(c.activities)}
                  for c in roadmap.cases],
        "standards": [{"id": s.id, "name": s.name, "summary": s.summary, "url": s.url or None}
                      for s in roadmap.standards],
    }
