"""The roadmap content model and its loader.

Content is read from the YAML sources in ``resources/roadmap`` (format described in its
README). Every file is treated as possibly broken: the loader collects each problem with
file, line and field path and raises one :class:`ContentError` listing them all, so an
author sees every mistake in one run. The loaded :class:`Roadmap` is English; ``localise``
returns a copy in the active language through the ``content`` gettext domain.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from d4a_desktop.core.vocab import Condition, Dimension, Origin, Stage
from d4a_desktop.i18n import ngettext


@dataclass(frozen=True, slots=True)
class Role:
    """A team role of component 2 (``roles.yaml``), which activities and checklist items name by id
    as the one suggested to do the work."""

    id: str
    title: str
    description: str


@dataclass(frozen=True, slots=True)
class Option:
    """One answer a choice or multichoice field offers: a project stores the ``id``, never the
    label, so answers survive a change of wording or language."""

    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Level:
    """One step of a tool's rating scale: a project stores the ``value``, which the rules and result
    charts also count with; the label and description only explain it."""

    value: int
    label: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Scale:
    """A rating scale of a tool, named once and shared by every field of type "scale" that refers to
    it by ``id``."""

    id: str
    levels: tuple[Level, ...]


FIELD_TYPES = ("text", "longtext", "yesno", "choice", "multichoice", "scale", "date", "number",
               "url")
TOOL_KINDS = ("register", "canvas", "screening", "matrix", "scorecard", "plan", "calendar",
              "self-check")


@dataclass(frozen=True, slots=True)
class Field:
    """One question of a tool's form. ``type`` is one of FIELD_TYPES and says what the answer is;
    ``options`` serve only choice fields and ``scale`` only scale fields."""

    id: str
    label: str
    type: str
    help: str = ""
    options: tuple[Option, ...] = ()
    scale: str | None = None
    #: The id of a yes/no question before it in the same section (or entry): this one is
    #: asked only when that one is answered yes ("Which item of the list applies?").
    only_if: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    """A titled group of a tool's fields. A repeating section is filled in once per thing it asks
    about (per dataset, per role), each entry called by ``entry``."""

    id: str
    title: str
    fields: tuple[Field, ...]
    help: str = ""
    repeating: bool = False
    entry: str = ""


@dataclass(frozen=True, slots=True)
class Tool:
    """A form the program can show and print: a canvas, screening, register …"""

    id: str
    title: str
    description: str
    kind: str = ""
    credit: str = ""
    sources: tuple[str, ...] = ()
    scales: tuple[Scale, ...] = ()
    sections: tuple[Section, ...] = ()
    interpretation: str = ""


@dataclass(frozen=True, slots=True)
class Standard:
    """A standard or law that activities name, with one line on why a municipality cares
    (``standards.yaml``); the rules read ``dates`` to show when a duty applies."""

    id: str
    name: str
    summary: str
    url: str = ""
    #: Dates from which parts of a law apply, by a key the rules know (``high-risk``), in
    #: file order; the summary says the same in words.
    dates: tuple[tuple[str, dt.date], ...] = ()

    def date(self, key: str) -> dt.date | None:
        """The date from which the part called ``key`` applies, if the roadmap names it."""
        return next((day for k, day in self.dates if k == key), None)


@dataclass(frozen=True, slots=True)
class Case:
    """A pilot story of the D4A project, linked to the activities it shows in practice, so that a
    project lead sees how a municipality like theirs did the step."""

    id: str
    title: str
    place: str
    summary: str
    source: str
    activities: tuple[str, ...]


#: A country note is short: two to four sentences a project lead reads at a glance.
NOTE_MAX_LENGTH = 600


@dataclass(frozen=True, slots=True)
class CountryNote:
    """What one partner country's own rules and services add to an activity.

    Each note states only what its public ``source`` says, as it read on ``checked``.
    """

    id: str
    country: str
    activity_id: str
    text: str
    source: str
    checked: dt.date


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One thing to tick off in an activity. It counts towards progress only while its ``condition``
    applies to the project; its ``dimension`` places it in the progress per dimension."""

    id: str
    activity_id: str
    text: str
    help: str
    dimension: Dimension
    role: str | None = None
    condition: Condition | None = None


@dataclass(frozen=True, slots=True)
class Activity:
    """A numbered step of a component, with its purpose, guidance, questions and checklist.
    ``origin`` tells a step that restates the published D4A text from D4A Desktop guidance."""

    id: str
    component_id: str
    title: str
    origin: Origin
    source: str
    roles: tuple[str, ...]
    dimensions: tuple[Dimension, ...]
    guidance: str
    questions: tuple[str, ...]
    items: tuple[ChecklistItem, ...]
    tools: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()
    purpose: str = ""
    condition: Condition | None = None
    standards: tuple[str, ...] = ()
    #: Notes for the partner countries, in the order of PARTNER_COUNTRIES.
    country_notes: tuple[CountryNote, ...] = ()

    @property
    def number(self) -> int:
        return int(self.id.rsplit(".a", 1)[1])

    def notes_for(self, country: str | None) -> tuple[CountryNote, ...]:
        """The notes for one country (a project's country code); none for other codes."""
        code = (country or "").strip().upper()
        return tuple(n for n in self.country_notes if n.country == code)


@dataclass(frozen=True, slots=True)
class Component:
    """One of the roadmap's six parts (c1 … c6): a stage of a data project's lifecycle and its
    activities, in the order they are done."""

    id: str
    title: str
    stage: Stage
    goal: str
    source: str
    activities: tuple[Activity, ...]

    @property
    def number(self) -> int:
        return int(self.id[1:])


@dataclass(frozen=True)
class Roadmap:
    """The whole bundled roadmap in one language (the loader gives English, ``localise`` a
    translation), with an index that finds any of its parts by id."""

    id: str
    version: str
    source_language: str
    components: tuple[Component, ...]
    roles: tuple[Role, ...] = ()
    tools: tuple[Tool, ...] = ()
    cases: tuple[Case, ...] = ()
    standards: tuple[Standard, ...] = ()
    _index: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, Any] = {}
        for comp in self.components:
            index[comp.id] = comp
            for act in comp.activities:
                index[act.id] = act
                for item in act.items:
                    index[item.id] = item
        for kind, entries in (("role", self.roles), ("tool", self.tools), ("case", self.cases),
                              ("standard", self.standards)):
            for entry in entries:
                index[f"{kind}:{entry.id}"] = entry
        self._index.update(index)

    def component(self, component_id: str) -> Component:
        return self._index[component_id]

    def activity(self, activity_id: str) -> Activity:
        return self._index[activity_id]

    def item(self, item_id: str) -> ChecklistItem:
        return self._index[item_id]

    def role(self, role_id: str) -> Role | None:
        return self._index.get(f"role:{role_id}")

    def tool(self, tool_id: str) -> Tool | None:
        return self._index.get(f"tool:{tool_id}")

    def case(self, case_id: str) -> Case | None:
        return self._index.get(f"case:{case_id}")

    def standard(self, standard_id: str) -> Standard | None:
        return self._index.get(f"standard:{standard_id}")

    def has(self, some_id: str) -> bool:
        return some_id in self._index

    def activities(self) -> Iterator[Activity]:
        for comp in self.components:
            yield from comp.activities

    def items(self) -> Iterator[ChecklistItem]:
        for act in self.activities():
            yield from act.items

    def country_notes(self, country: str | None = None) -> Iterator[CountryNote]:
        """Every country note in roadmap order, or only those for ``country``."""
        for act in self.activities():
            yield from (act.country_notes if country is None else act.notes_for(country))


def _rebuilt(self: Any) -> tuple[type, tuple[Any, ...]]:
    """Pickled as a call of its class with its field values (in ``__slots__`` order, the
    fields' order). ``dataclasses`` pickles a frozen class with slots through a
    ``__setstate__`` that looks the fields up again for every object: reading the cached
    roadmap (3,600 objects) took 8 ms that way and takes 5 ms so."""
    return type(self), tuple(getattr(self, name) for name in self.__slots__)


for _kind in (Role, Option, Level, Scale, Field, Section, Tool, Standard, Case, CountryNote,
              ChecklistItem, Activity, Component):
    _kind.__reduce__ = _rebuilt  # type: ignore[method-assign]


class ContentError(Exception):
    """The roadmap sources are invalid; ``problems`` lists each as ``file:line: message``."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(
            ngettext("The roadmap content is invalid ({count} problem):",
                     "The roadmap content is invalid ({count} problems):", len(problems))
            .format(count=len(problems))
            + "\n" + "\n".join(problems)
        )


# --- loading ------------------------------------------------------------------------------

def load_roadmap(directory: Path) -> Roadmap:
    """Load and validate the roadmap in ``directory``; raise ContentError on any problem.

    The reader (``core/content_yaml.py``) and PyYAML load only here: a start that finds
    the parsed roadmap in its cache needs neither.
    """
    from d4a_desktop.core.content_yaml import load

    return load(directory)


def messages(roadmap: Roadmap) -> Iterator[tuple[str, str]]:
    """Every translatable text as (context, English text); the gettext ``content`` domain."""
    for comp in roadmap.components:
        yield f"{comp.id}|title", comp.title
        yield f"{comp.id}|goal", comp.goal
        for act in comp.activities:
            yield f"{act.id}|title", act.title
            if act.purpose:
                yield f"{act.id}|purpose", act.purpose
            yield f"{act.id}|guidance", act.guidance
            for n, question in enumerate(act.questions, 1):
                yield f"{act.id}|q{n}", question
            for item in act.items:
                yield f"{item.id}|text", item.text
                if item.help:
                    yield f"{item.id}|help", item.help
    for role in roadmap.roles:
        yield f"role:{role.id}|title", role.title
        yield f"role:{role.id}|description", role.description
    for tool in roadmap.tools:
        yield from _tool_messages(tool)
    for case in roadmap.cases:
        yield f"case:{case.id}|title", case.title
        yield f"case:{case.id}|place", case.place
        yield f"case:{case.id}|summary", case.summary
    for std in roadmap.standards:
        yield f"standard:{std.id}|name", std.name
        yield f"standard:{std.id}|summary", std.summary
    for note in roadmap.country_notes():
        yield f"note:{note.id}|text", note.text


def _tool_messages(tool: Tool) -> Iterator[tuple[str, str]]:
    base = f"tool:{tool.id}"
    yield f"{base}|title", tool.title
    yield f"{base}|description", tool.description
    if tool.credit:
        yield f"{base}|credit", tool.credit
    if tool.interpretation:
        yield f"{base}|interpretation", tool.interpretation
    for scale in tool.scales:
        for level in scale.levels:
            yield f"{base}/scale:{scale.id}/{level.value}|label", level.label
            if level.description:
                yield f"{base}/scale:{scale.id}/{level.value}|description", level.description
    for section in tool.sections:
        sbase = f"{base}/{section.id}"
        yield f"{sbase}|title", section.title
        if section.help:
            yield f"{sbase}|help", section.help
        if section.entry:
            yield f"{sbase}|entry", section.entry
        for fld in section.fields:
            yield f"{sbase}/{fld.id}|label", fld.label
            if fld.help:
                yield f"{sbase}/{fld.id}|help", fld.help
            for opt in fld.options:
                yield f"{sbase}/{fld.id}/{opt.id}|label", opt.label


def localise(roadmap: Roadmap, translate: Callable[[str, str], str]) -> Roadmap:
    """A copy of the roadmap with every text passed through ``translate(context, text)``."""
    rep = dataclasses.replace

    def item(i: ChecklistItem) -> ChecklistItem:
        return rep(i, text=translate(f"{i.id}|text", i.text),
                   help=translate(f"{i.id}|help", i.help) if i.help else "")

    def activity(a: Activity) -> Activity:
        return rep(a, title=translate(f"{a.id}|title", a.title),
                   purpose=translate(f"{a.id}|purpose", a.purpose) if a.purpose else "",
                   guidance=translate(f"{a.id}|guidance", a.guidance),
                   questions=tuple(translate(f"{a.id}|q{n}", q)
                                   for n, q in enumerate(a.questions, 1)),
                   items=tuple(item(i) for i in a.items),
                   country_notes=tuple(rep(n, text=translate(f"note:{n.id}|text", n.text))
                                       for n in a.country_notes))

    components = tuple(
        rep(c, title=translate(f"{c.id}|title", c.title), goal=translate(f"{c.id}|goal", c.goal),
            activities=tuple(activity(a) for a in c.activities))
        for c in roadmap.components)
    roles = tuple(rep(r, title=translate(f"role:{r.id}|title", r.title),
                      description=translate(f"role:{r.id}|description", r.description))
                  for r in roadmap.roles)
    tools = tuple(_localise_tool(t, translate) for t in roadmap.tools)
    cases = tuple(rep(c, title=translate(f"case:{c.id}|title", c.title),
                      place=translate(f"case:{c.id}|place", c.place),
                      summary=translate(f"case:{c.id}|summary", c.summary))
                  for c in roadmap.cases)
    standards = tuple(rep(s, name=translate(f"standard:{s.id}|name", s.name),
                          summary=translate(f"standard:{s.id}|summary", s.summary))
                      for s in roadmap.standards)
    return Roadmap(roadmap.id, roadmap.version, roadmap.source_language, components,
                   roles, tools, cases, standards)


def _localise_tool(tool: Tool, translate: Callable[[str, str], str]) -> Tool:
    rep = dataclasses.replace
    base = f"tool:{tool.id}"

    def opt(ctx: str, text: str) -> str:  # optional texts stay empty
        return translate(ctx, text) if text else ""

    scales = tuple(rep(sc, levels=tuple(
        rep(lv, label=translate(f"{base}/scale:{sc.id}/{lv.value}|label", lv.label),
            description=opt(f"{base}/scale:{sc.id}/{lv.value}|description", lv.description))
        for lv in sc.levels)) for sc in tool.scales)
    sections = []
    for sec in tool.sections:
        sbase = f"{base}/{sec.id}"
        fields = tuple(rep(
            fl, label=translate(f"{sbase}/{fl.id}|label", fl.label),
            help=opt(f"{sbase}/{fl.id}|help", fl.help),
            options=tuple(rep(o, label=translate(f"{sbase}/{fl.id}/{o.id}|label", o.label))
                          for o in fl.options)) for fl in sec.fields)
        sections.append(rep(sec, title=translate(f"{sbase}|title", sec.title),
                            help=opt(f"{sbase}|help", sec.help),
                            entry=opt(f"{sbase}|entry", sec.entry), fields=fields))
    return rep(tool, title=translate(f"{base}|title", tool.title),
               description=translate(f"{base}|description", tool.description),
               credit=opt(f"{base}|credit", tool.credit),
               interpretation=opt(f"{base}|interpretation", tool.interpretation),
               scales=scales, sections=tuple(sections))
