"""The rules that the roadmap's tools define, computed from their answers.

Each rule reads one tool as the roadmap defines it (``resources/roadmap/tools.yaml``) and
does what the tool's own ``interpretation`` text says, never more: the program shows a
verdict together with the answers that led to it, so that a project lead can check it and
explain it. A rule never guesses: while an answer that could change the verdict is
missing, the outcome is ``incomplete`` and lists what is missing.

Every outcome carries a stable ``code`` (for ``d4a info --json`` and for tests), a translated
one-line ``verdict``, translated ``reasons`` that name the answers by their questions, the
``paths`` of those answers, the ``missing`` paths, and ``notes``: advice that follows from the
answers without changing the verdict. Tool-specific results (scores, levels, duties) are in
the subclasses. ``evaluate`` picks the rule by tool id.

Field and option ids of the tools are stable (the README of the roadmap content says so);
the rules name them here, and ``tests/core/test_rules.py`` runs every rule on the bundled
tools, so a content change that breaks a rule fails a test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from d4a_desktop import i18n
from d4a_desktop.core.assessments import (
    Answers,
    current,
    display,
    entries,
    entry_title,
    field_label,
    level_label,
    locate,
    option_label,
    section_title,
)
from d4a_desktop.core.content import Field, Level, Section, Standard, Tool
from d4a_desktop.i18n import _, ngettext

INCOMPLETE = "incomplete"
#: The tool's definition lacks a question the rule needs (a roadmap the rule does not fit).
UNAVAILABLE = "unavailable"


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """What a tool's rule concludes from its answers, with what a project lead needs to check it:
    the answers that led to the verdict or, while it is ``incomplete``, the questions still open.
    Subclasses add one tool's own results."""

    tool_id: str
    code: str
    #: One translated line: what the answers mean.
    verdict: str
    #: Translated sentences naming the answers that led to the verdict (or, when
    #: incomplete, the questions still open).
    reasons: tuple[str, ...] = ()
    #: The answers that led to the verdict.
    paths: tuple[str, ...] = ()
    #: Questions still unanswered that the rule reads (a decided verdict may have some left).
    missing: tuple[str, ...] = ()
    #: Translated advice that follows from the answers but does not change the verdict.
    notes: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return self.code not in (INCOMPLETE, UNAVAILABLE)


# --- shared helpers ---------------------------------------------------------------------------

def _field(tool: Tool, path: str) -> tuple[Section, Field] | None:
    place = locate(tool, path)
    if place is None or place.field is None:
        return None
    return place.section, place.field


def _q(tool: Tool, path: str) -> str:
    """The question a path asks, translated."""
    found = _field(tool, path)
    return field_label(tool, *found) if found else path


def _missing_reasons(tool: Tool, missing: Iterable[str], answers: Answers) -> list[str]:
    reasons = []
    keys: dict[str, tuple[str, ...]] = {}
    for path in missing:
        place = locate(tool, path)
        question = _q(tool, path)
        if place is not None and place.entry is not None:
            section_id = place.section.id
            if section_id not in keys:
                keys[section_id] = entries(tool, section_id, answers)
            question = " › ".join((entry_title(tool, section_id, place.entry, answers,
                                               keys[section_id]), question))
        reasons.append(_("Not answered yet: “{question}”").format(question=question))
    return reasons


def _unavailable(tool: Tool, paths: Iterable[str] = (),
                 sections: Iterable[str] = ()) -> Outcome | None:
    """An outcome saying the rule cannot run, when the tool lacks a question or a section
    the rule reads (a roadmap version the rule was not written for); else None."""
    have = {s.id for s in tool.sections}
    lacking = [p for p in paths if _field(tool, p) is None] + \
        [s for s in sections if s not in have]
    if not lacking:
        return None
    return Outcome(
        tool_id=tool.id, code=UNAVAILABLE,
        verdict=_("This version of the tool does not fit its rule; read the tool's "
                  "interpretation instead."),
        reasons=tuple(_("The tool no longer has the question “{path}”.").format(path=p)
                      for p in lacking))


def _yesno_paths(tool: Tool, section_id: str) -> list[str]:
    for section in tool.sections:
        if section.id == section_id:
            return [f"{section.id}/{f.id}" for f in section.fields if f.type == "yesno"]
    return []


def _recorded_differs(tool: Tool, usable: Answers, path: str, code: str) -> list[str]:
    """A note when the result the team recorded is not what the answers point to (the
    outcome codes of these rules are option ids of the tool's result field)."""
    recorded = usable.get(path)
    found = _field(tool, path)
    if recorded is None or recorded == code or found is None:
        return []
    section, fld = found
    if code not in {o.id for o in fld.options}:
        return []
    return [_("The result recorded under “{field}” is “{recorded}”, but the answers point to "
              "“{computed}”.").format(field=field_label(tool, section, fld),
                                      recorded=option_label(tool, section, fld, recorded),
                                      computed=option_label(tool, section, fld, code))]


def _number(value: float) -> str:
    return i18n.format_number(round(value, 2))


# --- DPIA screening ---------------------------------------------------------------------------

DPIA_REQUIRED = "dpia-required"
DPIA_NOT_REQUIRED = "dpia-not-required"
_NATIONAL_LIST = "national-list/on-national-list"
_DPIA_DECISION = "decision/decision"
_DPIA_DECISION_REASONS = "decision/reasons"


@dataclass(frozen=True, kw_only=True)
class DpiaOutcome(Outcome):
    """The DPIA screening's outcome (GDPR Art. 35), keeping the Art. 35(3) cases and WP248 criteria
    answered yes, since those are the reasons a DPIA is required."""

    #: Paths of the Art. 35(3) cases and of the WP248 criteria answered yes.
    cases: tuple[str, ...] = ()
    criteria: tuple[str, ...] = ()
    on_national_list: bool | None = None


def dpia_screening(tool: Tool, answers: Answers) -> DpiaOutcome | Outcome:
    """GDPR Art. 35: a DPIA is required for any yes under Art. 35(3), for processing on the
    supervisory authority's list, and, in most cases, for two or more WP248 criteria. With
    one criterion it is not required by that rule but may still be (the interpretation asks
    to weigh the risk); with none it is probably not required. "Not required" needs every
    question answered; "required" is certain as soon as one reason for it is."""
    case_paths = _yesno_paths(tool, "always-required")
    criterion_paths = _yesno_paths(tool, "criteria")
    gone = _unavailable(tool, [_NATIONAL_LIST], [s for s, found in (
        ("always-required", case_paths), ("criteria", criterion_paths)) if not found])
    if gone:
        return gone
    a = current(tool, answers)
    cases = [p for p in case_paths if a.get(p) is True]
    criteria = [p for p in criterion_paths if a.get(p) is True]
    on_list = a.get(_NATIONAL_LIST)
    missing = tuple(p for p in [*case_paths, *criterion_paths, _NATIONAL_LIST] if p not in a)
    total = len(criterion_paths)

    def criterion_reasons() -> list[str]:
        return [_("Criterion that applies: “{question}”").format(question=_q(tool, p))
                for p in criteria]

    if cases or on_list is True or len(criteria) >= 2:
        reasons = [_("GDPR Art. 35(3): “{question}” is answered yes; this case always needs "
                     "a DPIA.").format(question=_q(tool, p)) for p in cases]
        if on_list is True:
            reasons.append(_("The processing is on the supervisory authority's list of "
                             "processing that needs a DPIA (GDPR Art. 35(4))."))
        if len(criteria) >= 2:
            reasons.append(ngettext(
                "{count} of the {total} criteria of the European data protection "
                "authorities applies; with two or more, a DPIA is required in most cases.",
                "{count} of the {total} criteria of the European data protection "
                "authorities apply; with two or more, a DPIA is required in most cases.",
                len(criteria)).format(count=len(criteria), total=total))
        reasons += criterion_reasons()
        notes = [_("Carry out the DPIA before the processing starts, with the advice of the "
                   "data protection officer (GDPR Art. 35(2)).")]
        notes += _decision_note(tool, a)
        return DpiaOutcome(
            tool_id=tool.id, code=DPIA_REQUIRED, verdict=_("A DPIA is required."),
            reasons=tuple(reasons),
            paths=tuple(cases + ([_NATIONAL_LIST] if on_list else []) + criteria),
            missing=missing, notes=tuple(notes), cases=tuple(cases),
            criteria=tuple(criteria), on_national_list=on_list)
    if missing:
        return DpiaOutcome(
            tool_id=tool.id, code=INCOMPLETE,
            verdict=_("Answer every question to see whether a DPIA is required."),
            reasons=tuple(_missing_reasons(tool, missing, a)), paths=tuple(criteria),
            missing=missing, criteria=tuple(criteria), on_national_list=on_list)
    none_applies = _("No case of GDPR Art. 35(3) applies, and the processing is not on the "
                     "supervisory authority's list.")
    keep = _("Keep this screening and its reasons, and repeat it when the processing "
             "changes (GDPR Art. 35(11)).")
    if criteria:
        return DpiaOutcome(
            tool_id=tool.id, code=DPIA_NOT_REQUIRED,
            verdict=_("A DPIA is not strictly required, but one criterion applies: weigh the "
                      "risk with the data protection officer."),
            reasons=(none_applies,
                     _("Only one of the {total} criteria applies. A DPIA can still be "
                       "required: weigh how serious the risk is.").format(total=total),
                     *criterion_reasons()),
            paths=tuple(criteria), notes=(*_decision_note(tool, a), keep),
            criteria=tuple(criteria), on_national_list=False)
    return DpiaOutcome(
        tool_id=tool.id, code=DPIA_NOT_REQUIRED, verdict=_("A DPIA is probably not required."),
        reasons=(none_applies, _("None of the {total} criteria applies.").format(total=total)),
        notes=(keep,), on_national_list=False)


def _decision_note(tool: Tool, a: Answers) -> list[str]:
    if a.get(_DPIA_DECISION) != "not-required" or a.get(_DPIA_DECISION_REASONS) or \
            _field(tool, _DPIA_DECISION_REASONS) is None:
        return []
    return [_("The decision is that no DPIA is required although a criterion applies; "
              "explain why under “{field}”.").format(field=_q(tool, _DPIA_DECISION_REASONS))]


# --- AI impact screening ----------------------------------------------------------------------

NOT_AI = "not-ai"
NOT_HIGH_RISK = "not-high-risk"
HIGH_RISK_NO_FRIA = "high-risk-no-fria"
FRIA_REQUIRED = "fria-required"

_IS_AI = "system/is-ai-system"
_PUBLIC = "system/public-deployer"
_AREAS = "high-risk/annex-iii-areas"
_EXCEPTION = "high-risk/procedural-exception"
_INTERACTION = "transparency/direct-interaction"
_EMOTION = "transparency/emotion-biometric"
_GENERATED = "transparency/generated-content"
_LITERACY = "literacy/staff-literacy"
_NOTIFICATION = "fria/notification"
_AI_RESULT = "outcome/result"
#: Annex III options with a meaning of their own in Art. 27(1).
_NO_AREA = "none"
_CRITICAL_INFRASTRUCTURE = "critical-infrastructure"   # point 2: no assessment
_CREDIT_INSURANCE = "credit-insurance"                 # 5(b)-(c): assessment for any deployer
#: The fields (a) to (f) of the assessment.
_FRIA_ELEMENTS = ("fria/processes", "fria/period-frequency", "fria/affected-groups",
                  "fria/risks", "fria/human-oversight", "fria/mitigation")
#: Keys of the ai-act standard's dates.
LITERACY_DATE, TRANSPARENCY_DATE, HIGH_RISK_DATE = "literacy", "transparency", "high-risk"


@dataclass(frozen=True, slots=True)
class Duty:
    """A duty of the AI Act that follows from the answers, with the date it applies from."""

    code: str            # literacy | deployer | fria | interaction | emotion | generated
    article: str         # "Art. 27"
    text: str            # translated
    applies_from: dt.date | None
    #: Translated: "Applies from 2 December 2027." / "Has applied since …"
    when: str

    def in_force(self, today: dt.date) -> bool | None:
        return None if self.applies_from is None else self.applies_from <= today


@dataclass(frozen=True, kw_only=True)
class AiOutcome(Outcome):
    """The AI impact screening's outcome: whether the system is high-risk under Annex III, and the
    AI Act duties that follow, each with the date it applies from."""

    high_risk: bool | None = None
    #: Annex III option ids ticked (without "none").
    areas: tuple[str, ...] = ()
    duties: tuple[Duty, ...] = ()


def ai_impact_screening(tool: Tool, answers: Answers, *, today: dt.date | None = None,
                        standards: Iterable[Standard] = ()) -> AiOutcome | Outcome:
    """The AI Act for a deployer: not an AI system; high-risk when an Annex III area is
    ticked without the Art. 6(3) exception; the fundamental rights impact assessment of
    Art. 27 for public deployers unless the only area is point 2, and, as Art. 27(1) says,
    for any deployer of credit scoring or life and health insurance systems (5(b)-(c));
    transparency duties (Art. 50) for each yes; AI literacy (Art. 4) always. Dates come from
    the ``ai-act`` standard's ``dates``."""
    gone = _unavailable(tool, [_IS_AI, _PUBLIC, _AREAS, _EXCEPTION, _INTERACTION, _EMOTION,
                               _GENERATED, _LITERACY])
    if gone:
        return gone
    today = today or dt.date.today()
    act = next((s for s in standards if s.id == "ai-act"), None)
    a = current(tool, answers)

    def done(code: str, verdict: str, reasons: list[str], paths: list[str],
             high_risk: bool | None, areas: Sequence[str] = (), notes: Sequence[str] = (),
             missing: Sequence[str] = ()) -> AiOutcome:
        duties: list[Duty] = []
        extra_missing: list[str] = []
        if code not in (INCOMPLETE, NOT_AI):
            duties, extra_missing = _ai_duties(tool, a, code, today, act)
        all_notes = [*notes, *_ai_notes(tool, a, code)]
        if code != INCOMPLETE:
            all_notes += _recorded_differs(tool, a, _AI_RESULT, code)
        return AiOutcome(
            tool_id=tool.id, code=code, verdict=verdict,
            reasons=tuple(reasons + [f"{d.text} {d.when}" for d in duties]),
            paths=tuple(paths), missing=tuple([*missing, *extra_missing]),
            notes=tuple(all_notes), high_risk=high_risk, areas=tuple(areas),
            duties=tuple(duties))

    def incomplete(missing: list[str], reasons: list[str] | None = None) -> AiOutcome:
        return done(INCOMPLETE, _("Answer the open questions to see which duties of the AI "
                                  "Act apply."),
                    (reasons or []) + _missing_reasons(tool, missing, a), [], None,
                    missing=missing)

    is_ai = a.get(_IS_AI)
    if is_ai is None:
        return incomplete([_IS_AI])
    if is_ai is False:
        return done(NOT_AI, _("Not an AI system: the AI Act does not apply."),
                    [_("“{question}” is answered no.").format(question=_q(tool, _IS_AI))],
                    [_IS_AI], False,
                    notes=[_("The GDPR still applies when personal data is processed; use "
                             "the DPIA screening.")])
    ticked: tuple[str, ...] = a.get(_AREAS, ())
    if not ticked:
        return incomplete([_AREAS])
    areas = tuple(x for x in ticked if x != _NO_AREA)
    area_section, area_field = _field(tool, _AREAS)  # type: ignore[misc]
    if areas and _NO_AREA in ticked:
        return incomplete([], [_("“{none}” is ticked together with an area; correct the "
                                 "answer to “{question}”.").format(
            none=option_label(tool, area_section, area_field, _NO_AREA),
            question=_q(tool, _AREAS))])
    is_ai_reason = _("“{question}” is answered yes.").format(question=_q(tool, _IS_AI))
    if not areas:
        return done(NOT_HIGH_RISK, _("Not high-risk: the transparency and AI literacy duties "
                                     "still apply."),
                    [is_ai_reason, _("No area of Annex III is ticked.")], [_IS_AI, _AREAS],
                    False)
    area_names = i18n.format_list(
        [option_label(tool, area_section, area_field, x) for x in areas])
    area_reason = ngettext("The system will be used in an area of Annex III: {areas}.",
                           "The system will be used in areas of Annex III: {areas}.",
                           len(areas)).format(areas=area_names)
    exception = a.get(_EXCEPTION)
    if exception is None:
        return incomplete([_EXCEPTION], [area_reason])
    if exception:
        return done(NOT_HIGH_RISK, _("Not high-risk, because you rely on the exception of "
                                     "Art. 6(3); the transparency and AI literacy duties "
                                     "still apply."),
                    [is_ai_reason, area_reason,
                     _("“{question}” is answered yes.").format(question=_q(tool, _EXCEPTION))],
                    [_IS_AI, _AREAS, _EXCEPTION], False, areas,
                    notes=[_("Document why the system is not high-risk despite its area. The "
                             "exception never applies to a system that profiles people "
                             "(Art. 6(3)).")])
    no_exception = _("“{question}” is answered no.").format(question=_q(tool, _EXCEPTION))
    high = [is_ai_reason, area_reason, no_exception]
    high_paths = [_IS_AI, _AREAS, _EXCEPTION]
    assessed_areas = [x for x in areas if x != _CRITICAL_INFRASTRUCTURE]
    public = a.get(_PUBLIC)
    if _CREDIT_INSURANCE in areas:
        return done(FRIA_REQUIRED, _("High-risk: a fundamental rights impact assessment is "
                                     "required before first use."),
                    [*high, _("Art. 27(1) requires the assessment from every deployer of "
                              "systems for credit scoring or for life and health "
                              "insurance.")], high_paths, True, areas)
    if not assessed_areas:
        return done(HIGH_RISK_NO_FRIA, _("High-risk, but no fundamental rights impact "
                                         "assessment is required."),
                    [*high, _("The only area is point 2, critical infrastructure, which "
                              "Art. 27 leaves out of the assessment.")], high_paths, True,
                    areas)
    if public is None:
        return incomplete([_PUBLIC], [area_reason, no_exception])
    if public:
        return done(FRIA_REQUIRED, _("High-risk: a fundamental rights impact assessment is "
                                     "required before first use."),
                    [*high, _("“{question}” is answered yes: Art. 27 applies to public "
                              "deployers.").format(question=_q(tool, _PUBLIC))],
                    [*high_paths, _PUBLIC], True, areas)
    return done(HIGH_RISK_NO_FRIA, _("High-risk, but no fundamental rights impact assessment "
                                     "is required."),
                [*high, _("“{question}” is answered no: Art. 27 applies only to public "
                          "bodies, private bodies providing public services, and deployers "
                          "of credit scoring or insurance systems.").format(
                    question=_q(tool, _PUBLIC))],
                [*high_paths, _PUBLIC], True, areas)


def _ai_duties(tool: Tool, a: Answers, code: str, today: dt.date,
               act: Standard | None) -> tuple[list[Duty], list[str]]:
    def duty(key: str, article: str, date_key: str, text: str) -> Duty:
        day = act.date(date_key) if act else None
        if day is None:
            when = _("The roadmap does not give the date; check the current text of the AI "
                     "Act.")
        elif day > today:
            when = _("Applies from {date}.").format(date=i18n.format_date(day, "long"))
        else:
            when = _("Has applied since {date}.").format(date=i18n.format_date(day, "long"))
        return Duty(key, article, text, day, when)

    duties = []
    missing = []
    if code in (FRIA_REQUIRED, HIGH_RISK_NO_FRIA):
        duties.append(duty("deployer", "Art. 26", HIGH_RISK_DATE, _(
            "As the deployer of a high-risk system, use it according to the instructions for "
            "use, assign people to oversee it, keep its logs and inform the people affected "
            "(Art. 26).")))
    if code == FRIA_REQUIRED:
        duties.append(duty("fria", "Art. 27", HIGH_RISK_DATE, _(
            "Carry out the fundamental rights impact assessment before first use and notify "
            "the market surveillance authority of the results (Art. 27).")))
    for path, key, text in (
            (_INTERACTION, "interaction", _(
                "People must be told that they are dealing with an AI system, unless this is "
                "obvious; this is the provider's duty, so check that the system does it "
                "(Art. 50(1)).")),
            (_EMOTION, "emotion", _(
                "Inform the people exposed to emotion recognition or biometric "
                "categorisation (Art. 50(3)).")),
            (_GENERATED, "generated", _(
                "Disclose deep fakes, and AI-generated text published on matters of public "
                "interest unless a person reviews it and takes editorial responsibility "
                "(Art. 50(4)).")),
    ):
        answer = a.get(path)
        if answer is None:
            missing.append(path)
        elif answer:
            duties.append(duty(key, "Art. 50", TRANSPARENCY_DATE, text))
    duties.append(duty("literacy", "Art. 4", LITERACY_DATE, _(
        "Make sure the staff who operate or use the system understand enough of how it "
        "works, its limits and its risks (AI literacy, Art. 4).")))
    if a.get(_LITERACY) is None:
        missing.append(_LITERACY)
    return duties, missing


def _ai_notes(tool: Tool, a: Answers, code: str) -> list[str]:
    notes = []
    if code == FRIA_REQUIRED:
        empty = [p for p in _FRIA_ELEMENTS if _field(tool, p) is not None and p not in a]
        if empty:
            notes.append(ngettext(
                "{count} element of the assessment, (a) to (f), is still empty.",
                "{count} elements of the assessment, (a) to (f), are still empty.",
                len(empty)).format(count=len(empty)))
        if a.get(_NOTIFICATION) is False:
            notes.append(_("Plan to notify the market surveillance authority of the results "
                           "(Art. 27(3))."))
    if code not in (INCOMPLETE, NOT_AI) and a.get(_LITERACY) is False:
        notes.append(_("The staff do not yet understand the system well enough: plan "
                       "training or guidance (Art. 4)."))
    if code not in (INCOMPLETE, NOT_AI) and (
            a.get(_INTERACTION) or a.get(_EMOTION) or a.get(_GENERATED)):
        notes.append(_("Inform people clearly, at the latest when they first interact with "
                       "or are exposed to the system (Art. 50(5))."))
    return notes


# --- technology scorecard ---------------------------------------------------------------------

LEADER = "leader"
LEADER_WARNING = "leader-warning"
TIE = "tie"
#: Options whose weighted scores differ by less than this are equal (the interpretation).
EQUAL_WITHIN = 0.5
_WEIGHTS, _OPTIONS = "weights", "options"
_WEIGHT_PREFIX = "weight-"
#: A score of 1 on these criteria is a warning sign (the interpretation).
WARNING_CRITERIA = ("security-privacy", "sovereignty")


@dataclass(frozen=True, slots=True)
class Criterion:
    """One criterion of the technology scorecard and the weight the team gave it (None while not
    given; 0 leaves the criterion out of every score)."""

    id: str              # the option field scored on the scale ("openness")
    name: str            # translated, short ("Openness")
    weight: float | None


@dataclass(frozen=True, slots=True)
class OptionScore:
    """One option of the technology scorecard with its weighted score and rank, and the warning
    criteria it scores 1 on, which the ranking alone would hide."""

    key: str             # entry key
    name: str
    #: Weighted score from 1 to 5, or None while a weighted criterion is unscored.
    score: float | None
    #: 1 for the best; equal scores share a rank; None without a score.
    rank: int | None
    #: Warning criteria (WARNING_CRITERIA) that this option scores 1 on.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ScorecardOutcome(Outcome):
    """The technology scorecard's outcome: the options ranked by weighted score, and the criterion
    that set the leader apart, so a team sees why one option came first."""

    criteria: tuple[Criterion, ...] = ()
    #: Every option, best first; options without a score last, in their form order.
    ranking: tuple[OptionScore, ...] = ()
    #: The criterion that did most to put the leader ahead of the runner-up.
    deciding: str | None = None


def scorecard_criteria(tool: Tool) -> list[tuple[str, str]]:
    """(weight path, option field id) pairs: each ``weights/weight-X`` with its scale field
    ``X`` of the options section."""
    weights = next((s for s in tool.sections if s.id == _WEIGHTS), None)
    options = next((s for s in tool.sections if s.id == _OPTIONS and s.repeating), None)
    if weights is None or options is None:
        return []
    scored = {f.id for f in options.fields if f.type == "scale"}
    return [(f"{_WEIGHTS}/{f.id}", f.id[len(_WEIGHT_PREFIX):]) for f in weights.fields
            if f.id.startswith(_WEIGHT_PREFIX) and f.id[len(_WEIGHT_PREFIX):] in scored]


def criterion_name(tool: Tool, field_id: str) -> str:
    """A criterion's short name: its question up to the colon ("Openness")."""
    found = _field(tool, f"{_OPTIONS}/x/{field_id}")
    if found is None:
        return field_id
    text = field_label(tool, *found)
    head, colon, _rest = text.partition(":")
    return head.strip() if colon and head.strip() else text


def technology_scorecard(tool: Tool, answers: Answers) -> ScorecardOutcome | Outcome:
    """Per option: the sum of score × weight divided by the sum of the weights (1 to 5).
    Options less than half a point apart are equal; a score of 1 on security and privacy or
    on data sovereignty is a warning sign that the leader should not win on its total
    alone. Every weight must be given (0 ignores a criterion), and every option scored on
    each criterion whose weight is above 0."""
    pairs = scorecard_criteria(tool)
    gone = _unavailable(tool, sections=[_WEIGHTS, _OPTIONS] if not pairs else [])
    if gone:
        return gone
    a = current(tool, answers)
    weights = {fid: a.get(wpath) for wpath, fid in pairs}
    criteria = tuple(Criterion(fid, criterion_name(tool, fid), weights[fid]) for _w, fid in pairs)
    keys = entries(tool, _OPTIONS, a)
    names = {k: entry_title(tool, _OPTIONS, k, a, keys) for k in keys}
    missing = [wpath for wpath, fid in pairs if weights[fid] is None]
    weights_known = not missing
    total_weight = sum(w for w in weights.values() if w)
    scores: dict[str, float | None] = {}
    warnings: dict[str, tuple[str, ...]] = {}
    for key in keys:
        unscored = [f"{_OPTIONS}/{key}/{fid}" for fid, w in weights.items()
                    if w and f"{_OPTIONS}/{key}/{fid}" not in a]
        missing += unscored
        warnings[key] = tuple(fid for fid in WARNING_CRITERIA
                              if a.get(f"{_OPTIONS}/{key}/{fid}") == 1)
        scores[key] = None if unscored or not weights_known or not total_weight else sum(
            w * a[f"{_OPTIONS}/{key}/{fid}"] for fid, w in weights.items() if w) / total_weight
    ranking = _rank(keys, names, scores, warnings)
    base: dict[str, Any] = dict(tool_id=tool.id, criteria=criteria, ranking=ranking)
    problems: list[str] = []
    if weights_known and not total_weight:
        problems.append(_("Every weight is 0: give at least one criterion a weight above 0."))
    if len(keys) < 2:
        problems.append(_("Add at least two options to compare them."))
    if missing or problems:
        return ScorecardOutcome(
            code=INCOMPLETE, verdict=_("Give every weight and score every option to rank "
                                       "them."),
            reasons=tuple(problems + _missing_reasons(tool, missing, a)),
            missing=tuple(missing), **base)
    scored = [(o, o.score) for o in ranking if o.score is not None]
    first, best = scored[0]
    second, runner_up = scored[1]
    equal = [o for o, score in scored if round(best - score, 9) < EQUAL_WITHIN]
    score_lines = [_("{option}: weighted score {score}").format(option=o.name,
                                                                 score=_number(score))
                   for o, score in scored]
    paths = [wpath for wpath, _f in pairs]

    def warning(o: OptionScore) -> str:
        return _("{option} scores 1 on {criteria}: such an option should not win on its "
                 "total alone.").format(option=o.name, criteria=i18n.format_list(
                     [criterion_name(tool, c) for c in o.warnings]))

    if len(equal) > 1:
        top = max(w for w in weights.values() if w is not None)
        reasons = [_("{options} differ by less than half a point: treat them as equal and "
                     "decide on the criteria that matter most to you.").format(
            options=i18n.format_list([o.name for o in equal]))]
        for c in criteria:
            if c.weight == top:
                reasons.append(_("{criterion} (weight {weight}): {scores}").format(
                    criterion=c.name, weight=_number(top), scores=i18n.format_list(
                        [_("{option} {score}").format(
                            option=o.name, score=a[f"{_OPTIONS}/{o.key}/{c.id}"])
                         for o in equal])))
        notes = [warning(o) for o, _s in scored if o.warnings]
        return ScorecardOutcome(
            code=TIE, verdict=_("{options} are practically equal.").format(
                options=i18n.format_list([o.name for o in equal])),
            reasons=tuple(reasons + score_lines), paths=tuple(paths), notes=tuple(notes),
            **base)
    contribution = {c.id: (c.weight or 0) * (a[f"{_OPTIONS}/{first.key}/{c.id}"]
                                             - a[f"{_OPTIONS}/{second.key}/{c.id}"])
                    for c in criteria if c.weight}
    deciding = max(contribution, key=lambda cid: contribution[cid])
    decided = next(c for c in criteria if c.id == deciding)
    reasons = [
        _("{criterion} did most to decide: {first} scores {a} on it and {second} {b}, at "
          "weight {weight}.").format(
            criterion=decided.name, first=first.name, second=second.name,
            a=a[f"{_OPTIONS}/{first.key}/{deciding}"], b=a[f"{_OPTIONS}/{second.key}/{deciding}"],
            weight=_number(decided.weight or 0)),
        *score_lines]
    notes = [warning(o) for o, _s in scored[1:] if o.warnings]
    paths += [f"{_OPTIONS}/{first.key}/{deciding}", f"{_OPTIONS}/{second.key}/{deciding}"]
    if first.warnings:
        code = LEADER_WARNING
        verdict = _("{option} ranks first, but scores 1 on {criteria}: it should not win on "
                    "its total alone.").format(option=first.name, criteria=i18n.format_list(
                        [criterion_name(tool, c) for c in first.warnings]))
    else:
        code = LEADER
        verdict = _("{option} ranks first with a weighted score of {score}, ahead of "
                    "{other} with {other_score}.").format(
            option=first.name, score=_number(best), other=second.name,
            other_score=_number(runner_up))
    return ScorecardOutcome(code=code, verdict=verdict, reasons=tuple(reasons),
                            paths=tuple(paths), notes=tuple(notes), deciding=deciding, **base)


def _rank(keys: Sequence[str], names: dict[str, str], scores: dict[str, float | None],
          warnings: dict[str, tuple[str, ...]]) -> tuple[OptionScore, ...]:
    known = {k: s for k, s in scores.items() if s is not None}
    ordered = sorted(known, key=lambda k: (-known[k], keys.index(k)))
    ranking: list[OptionScore] = []
    for i, key in enumerate(ordered):
        rank = i + 1
        if i and round(known[ordered[i - 1]] - known[key], 9) == 0:
            rank = ranking[-1].rank or rank  # equal scores share a rank
        ranking.append(OptionScore(key, names[key], known[key], rank, warnings[key]))
    ranking += [OptionScore(k, names[k], None, None, warnings[k]) for k in keys
                if k not in known]
    return tuple(ranking)


# --- maturity self-check ----------------------------------------------------------------------

ASSESSED = "assessed"


@dataclass(frozen=True, slots=True)
class DimensionLevel:
    """One dimension of the maturity self-check: the mean level of its statements (once all
    are answered), the scale level nearest to it, and the statements that hold it down."""

    section_id: str
    title: str                 # translated
    #: Mean level of the statements, when every statement of the dimension is answered.
    average: float | None
    #: The scale level nearest to the average (halves round up).
    level: Level | None
    level_label: str           # translated, "" without a level
    answered: int
    total: int
    #: Paths of the statements at the dimension's lowest level (none if all are equal).
    lowest: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class MaturityOutcome(Outcome):
    """The maturity self-check's outcome: a level per dimension and the weakest dimensions, where
    the interpretation advises to invest first."""

    dimensions: tuple[DimensionLevel, ...] = ()
    #: Section ids of the dimension(s) with the lowest average.
    weakest: tuple[str, ...] = ()


def maturity_dimensions(tool: Tool) -> list[Section]:
    """The dimensions: the ordinary sections whose fields are all statements on a scale."""
    return [s for s in tool.sections if not s.repeating and s.fields
            and all(f.type == "scale" for f in s.fields)]


def _levels(tool: Tool, section: Section) -> tuple[Level, ...]:
    scale_id = section.fields[0].scale
    return next((s.levels for s in tool.scales if s.id == scale_id), ())


def _dimension(tool: Tool, section: Section, a: Answers) -> DimensionLevel:
    values = {f"{section.id}/{f.id}": a.get(f"{section.id}/{f.id}") for f in section.fields}
    given = {p: v for p, v in values.items() if v is not None}
    title = section_title(tool, section)
    # The statements that hold the dimension back; none when all stand at one level.
    spread = given and min(given.values()) < max(given.values())
    lowest = tuple(p for p, v in given.items() if v == min(given.values())) if spread else ()
    if len(given) < len(values):
        return DimensionLevel(section.id, title, None, None, "", len(given), len(values),
                              lowest)
    average = sum(given.values()) / len(given)
    levels = _levels(tool, section)
    level = min(levels, key=lambda lv: (abs(lv.value - average), -lv.value)) \
        if levels else None
    label = level_label(tool, section.fields[0].scale or "", level) if level else ""
    return DimensionLevel(section.id, title, average, level, label, len(given), len(values),
                          lowest)


def maturity_self_check(tool: Tool, answers: Answers) -> MaturityOutcome | Outcome:
    """A level per dimension: the average of its statements and the nearest level of the
    scale. The interpretation asks to look at each dimension and at the lowest statements,
    not at a single total, so there is none; the weakest dimension is where a small
    investment usually helps most."""
    sections = maturity_dimensions(tool)
    gone = _unavailable(tool, sections=["technology"] if not sections else [])
    if gone:
        return gone
    a = current(tool, answers)
    dims = tuple(_dimension(tool, s, a) for s in sections)
    missing = tuple(f"{s.id}/{f.id}" for s in sections for f in s.fields
                    if f"{s.id}/{f.id}" not in a)
    if missing:
        return MaturityOutcome(
            tool_id=tool.id, code=INCOMPLETE,
            verdict=_("Rate every statement to see the level of each dimension."),
            reasons=tuple(_missing_reasons(tool, missing, a)), missing=missing,
            dimensions=dims)
    low = min(d.average for d in dims if d.average is not None)
    weakest = tuple(d for d in dims if d.average is not None and round(d.average - low, 9) == 0)
    reasons = [_("{dimension}: average {average}, level {level}").format(
        dimension=d.title, average=_number(d.average or 0), level=d.level_label)
        for d in dims]
    for d in dims:
        section = next(s for s in sections if s.id == d.section_id)
        fields = {f"{section.id}/{f.id}": f for f in section.fields}
        for path in d.lowest:
            reasons.append(_("Lowest in {dimension}: “{statement}” ({level})").format(
                dimension=d.title, statement=field_label(tool, section, fields[path]),
                level=display(tool, path, a[path])))
    if len(weakest) == len(dims) and len(dims) > 1:
        verdict = _("All dimensions are at the same level: {average} on average.").format(
            average=_number(low))
    else:
        verdict = ngettext(
            "Weakest dimension: {dimensions} ({average} on average); a small investment "
            "there usually helps most.",
            "Weakest dimensions: {dimensions} ({average} on average); a small investment "
            "there usually helps most.", len(weakest)).format(
            dimensions=i18n.format_list([d.title for d in weakest]), average=_number(low))
    return MaturityOutcome(
        tool_id=tool.id, code=ASSESSED, verdict=verdict, reasons=tuple(reasons),
        paths=tuple(p for d in dims for p in d.lowest), dimensions=dims,
        weakest=tuple(d.section_id for d in weakest))


@dataclass(frozen=True, slots=True)
class RadarSeries:
    """One version's answers on a radar chart: the levels as answered, for labels, and the same
    scaled from 0 to 1, for drawing."""

    name: str
    #: Per axis: the level (1 to 5), or None where the version has no answer.
    values: tuple[float | None, ...]
    #: The same from 0 (lowest level) to 1 (highest), for drawing.
    normalised: tuple[float | None, ...]


@dataclass(frozen=True, slots=True)
class Radar:
    """What a spider chart needs: axes (dimension or statement ids and translated labels),
    the scale's range, and one series per version, to overlay."""

    axes: tuple[tuple[str, str], ...]
    minimum: int
    maximum: int
    series: tuple[RadarSeries, ...]


def radar(tool: Tool, versions: Sequence[tuple[str, Answers]], *,
          statements: bool = False) -> Radar:
    """One series per named version (``[("2025", answers), ("2026", answers)]``), on one
    axis per dimension (its average, when complete) or, with ``statements``, one axis per
    statement grouped by dimension."""
    sections = maturity_dimensions(tool)
    levels = _levels(tool, sections[0]) if sections else ()
    low = min((lv.value for lv in levels), default=1)
    high = max((lv.value for lv in levels), default=5)
    if statements:
        axes = tuple((f"{s.id}/{f.id}", field_label(tool, s, f))
                     for s in sections for f in s.fields)
    else:
        axes = tuple((s.id, section_title(tool, s)) for s in sections)
    series = []
    for name, answers in versions:
        a = current(tool, answers)
        if statements:
            values: tuple[float | None, ...] = tuple(a.get(axis) for axis, _l in axes)
        else:
            values = tuple(_dimension(tool, s, a).average for s in sections)
        span = high - low or 1
        series.append(RadarSeries(name, values, tuple(
            None if v is None else (v - low) / span for v in values)))
    return Radar(axes, low, high, tuple(series))


def maturity_change(tool: Tool, old: Answers, new: Answers) -> tuple[str, ...]:
    """Per dimension, translated: how its average moved between two self-checks."""
    lines = []
    a_old, a_new = current(tool, old), current(tool, new)
    for section in maturity_dimensions(tool):
        before, after = _dimension(tool, section, a_old), _dimension(tool, section, a_new)
        if before.average is None or after.average is None:
            lines.append(_("{dimension}: not comparable, a self-check is incomplete.").format(
                dimension=after.title))
            continue
        lines.append(_("{dimension}: from {old} to {new}").format(
            dimension=after.title, old=_number(before.average), new=_number(after.average)))
    return tuple(lines)


# --- rollout readiness ------------------------------------------------------------------------

READY = "ready"
READY_WITH_CONDITIONS = "ready-with-conditions"
NOT_READY = "not-ready"
#: Gaps here must be closed before the rollout (the interpretation).
BLOCKING_SECTIONS = ("security-compliance", "backup-recovery")
_GAP_ACTIONS = "gaps/gaps-actions"
_READINESS = "gaps/readiness"


@dataclass(frozen=True, kw_only=True)
class ReadinessOutcome(Outcome):
    """The rollout readiness outcome: the conditions answered no (gaps), and those of them that must
    be closed before the rollout whatever else is done."""

    #: Paths answered no: the conditions not met.
    gaps: tuple[str, ...] = ()
    #: The gaps that must be closed before the rollout.
    blocking: tuple[str, ...] = ()


def readiness_conditions(tool: Tool) -> list[str]:
    """The conditions: every yes/no question of the sections made only of such questions."""
    return [f"{s.id}/{f.id}" for s in tool.sections if not s.repeating and s.fields
            and all(f.type == "yesno" for f in s.fields) for f in s.fields]


def rollout_readiness(tool: Tool, answers: Answers) -> ReadinessOutcome | Outcome:
    """Every "no" is a gap. Gaps in security and compliance or in backup and disaster
    recovery must be closed before the rollout: not ready. Other gaps are acceptable with an
    action, an owner and a date, or a decision to accept the risk, written under "Gaps and
    actions": ready once those actions are done; without it, not ready."""
    conditions = readiness_conditions(tool)
    gone = _unavailable(tool, [_GAP_ACTIONS], ["scalability"] if not conditions else [])
    if gone:
        return gone
    a = current(tool, answers)
    missing = tuple(p for p in conditions if p not in a)
    if missing:
        return ReadinessOutcome(
            tool_id=tool.id, code=INCOMPLETE,
            verdict=_("Answer every question to see whether the service is ready."),
            reasons=tuple(_missing_reasons(tool, missing, a)), missing=missing,
            gaps=tuple(p for p in conditions if a.get(p) is False))
    gaps = tuple(p for p in conditions if a.get(p) is False)
    blocking = tuple(p for p in gaps if p.split("/")[0] in BLOCKING_SECTIONS)

    def gap_reason(path: str) -> str:
        place = locate(tool, path)
        assert place is not None
        return _("{section}: “{question}” is answered no.").format(
            section=section_title(tool, place.section), question=_q(tool, path))

    actions = a.get(_GAP_ACTIONS)
    base: dict[str, Any] = dict(tool_id=tool.id, gaps=gaps, blocking=blocking)
    if not gaps:
        code = READY
        verdict = _("Ready for the wider rollout: every condition is met.")
        reasons = [ngettext("The {count} question is answered yes.",
                            "All {count} questions are answered yes.",
                            len(conditions)).format(count=len(conditions))]
    elif blocking:
        code = NOT_READY
        verdict = _("Not ready: close the gaps in security and compliance and in backup and "
                    "disaster recovery before the rollout.")
        reasons = [gap_reason(p) for p in blocking]
        reasons += [gap_reason(p) for p in gaps if p not in blocking]
    elif actions:
        code = READY_WITH_CONDITIONS
        verdict = _("Ready, once the actions for the gaps are done.")
        reasons = [gap_reason(p) for p in gaps] + [_(
            "Actions for the gaps are written under “{field}”; each needs an owner and a "
            "date, or a recorded decision to accept the risk.").format(
                field=_q(tool, _GAP_ACTIONS))]
    else:
        code = NOT_READY
        verdict = _("Not ready: the gaps have no actions yet.")
        reasons = [gap_reason(p) for p in gaps] + [_(
            "Write under “{field}” an action with an owner and a date for each gap, or a "
            "decision to accept the risk.").format(field=_q(tool, _GAP_ACTIONS))]
    paths = list(gaps) + ([_GAP_ACTIONS] if actions and gaps and not blocking else [])
    return ReadinessOutcome(code=code, verdict=verdict, reasons=tuple(reasons),
                            paths=tuple(paths), notes=tuple(_recorded_differs(
                                tool, a, _READINESS, code)), **base)


# --- dispatch ---------------------------------------------------------------------------------

_RULES: dict[str, Callable[..., Outcome]] = {
    "dpia-screening": dpia_screening,
    "technology-scorecard": technology_scorecard,
    "maturity-self-check": maturity_self_check,
    "rollout-readiness": rollout_readiness,
}


def has_rule(tool_id: str) -> bool:
    return tool_id in _RULES or tool_id == "ai-impact-screening"



#: What each verdict asks of the reader, for its colour on screen and on paper: good, warn,
#: attention or info (a verdict not listed is neutral).
TONES: dict[str, str] = {
    DPIA_REQUIRED: "attention", DPIA_NOT_REQUIRED: "good",
    NOT_AI: "good", NOT_HIGH_RISK: "good", HIGH_RISK_NO_FRIA: "warn",
    FRIA_REQUIRED: "attention", LEADER: "info", LEADER_WARNING: "warn",
    TIE: "warn", ASSESSED: "info", READY: "good",
    READY_WITH_CONDITIONS: "warn", NOT_READY: "attention",
}


def evaluate(tool: Tool, answers: Answers, *, today: dt.date | None = None,
             standards: Iterable[Standard] = ()) -> Outcome | None:
    """The outcome of the tool's rule, or None for a tool without a rule (a register, a
    canvas, a plan)."""
    if tool.id == "ai-impact-screening":
        return ai_impact_screening(tool, answers, today=today, standards=standards)
    rule = _RULES.get(tool.id)
    return rule(tool, answers) if rule else None
