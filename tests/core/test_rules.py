"""The tools' rules, run on the bundled tool definitions: every case that decides a verdict,
incomplete answers, answers a changed tool no longer fits, and translated verdicts."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from d4a_desktop import i18n, paths
from d4a_desktop.core import rules
from d4a_desktop.core.assessments import field_label, locate
from d4a_desktop.core.content import Roadmap, Standard, Tool, load_roadmap


@pytest.fixture(scope="module")
def roadmap() -> Roadmap:
    return load_roadmap(paths.resources_dir() / "roadmap")


def tool(roadmap: Roadmap, tool_id: str) -> Tool:
    found = roadmap.tool(tool_id)
    assert found is not None, tool_id
    return found


def label(t: Tool, path: str) -> str:
    """The question at ``path``, translated into the active language."""
    place = locate(t, path)
    assert place is not None and place.field is not None, path
    return field_label(t, place.section, place.field)


def drop(t: Tool, path: str) -> Tool:
    section_id, field_id = path.split("/")
    return dataclasses.replace(t, sections=tuple(
        dataclasses.replace(s, fields=tuple(f for f in s.fields if f.id != field_id))
        if s.id == section_id else s for s in t.sections))


def test_evaluate_dispatches_by_tool_id(roadmap: Roadmap) -> None:
    with_rule = {"dpia-screening", "ai-impact-screening", "technology-scorecard",
                 "maturity-self-check", "rollout-readiness"}
    for t in roadmap.tools:
        outcome = rules.evaluate(t, {}, today=dt.date(2026, 1, 1), standards=roadmap.standards)
        assert rules.has_rule(t.id) == (t.id in with_rule)
        if t.id in with_rule:
            assert outcome is not None and outcome.tool_id == t.id
            assert outcome.code == rules.INCOMPLETE and not outcome.complete
            assert outcome.verdict and outcome.reasons and outcome.missing
        else:
            assert outcome is None


# --- DPIA screening ---------------------------------------------------------------------------

CASES = ["always-required/systematic-evaluation", "always-required/special-data-large-scale",
         "always-required/public-area-monitoring"]
CRITERIA = ["criteria/evaluation-scoring", "criteria/automated-decisions",
            "criteria/systematic-monitoring", "criteria/sensitive-data", "criteria/large-scale",
            "criteria/matching-combining", "criteria/vulnerable-people",
            "criteria/innovative-use", "criteria/prevents-rights"]
NATIONAL = "national-list/on-national-list"


def all_no(**extra: Any) -> dict[str, Any]:
    return {**dict.fromkeys([*CASES, *CRITERIA, NATIONAL], False), **extra}


def test_dpia_reads_three_cases_and_nine_criteria(roadmap: Roadmap) -> None:
    t = tool(roadmap, "dpia-screening")
    assert rules._yesno_paths(t, "always-required") == CASES
    assert rules._yesno_paths(t, "criteria") == CRITERIA


def test_dpia_unanswered_is_incomplete(roadmap: Roadmap) -> None:
    t = tool(roadmap, "dpia-screening")
    outcome = rules.dpia_screening(t, {})
    assert outcome.code == rules.INCOMPLETE
    assert outcome.missing == (*CASES, *CRITERIA, NATIONAL)
    assert f"Not answered yet: “{label(t, CASES[0])}”" in outcome.reasons
    assert len(outcome.reasons) == 13


@pytest.mark.parametrize("case", CASES)
def test_dpia_one_art_35_3_case_alone_requires_a_dpia(roadmap: Roadmap, case: str) -> None:
    t = tool(roadmap, "dpia-screening")
    # Certain even while every other question is open.
    for answers in ({case: True}, all_no(**{case: True})):
        outcome = rules.dpia_screening(t, answers)
        assert outcome.code == rules.DPIA_REQUIRED, answers
        assert outcome.verdict == "A DPIA is required."
        assert outcome.paths == (case,)
        assert outcome.reasons[0] == (f"GDPR Art. 35(3): “{label(t, case)}” is answered yes; "
                                      "this case always needs a DPIA.")
    assert rules.dpia_screening(t, {case: True}).missing
    assert rules.dpia_screening(t, all_no(**{case: True})).missing == ()


@pytest.mark.parametrize("criterion", CRITERIA)
def test_dpia_exactly_one_criterion_is_not_required(roadmap: Roadmap, criterion: str) -> None:
    t = tool(roadmap, "dpia-screening")
    outcome = rules.dpia_screening(t, all_no(**{criterion: True}))
    assert outcome.code == rules.DPIA_NOT_REQUIRED
    assert "weigh the risk" in outcome.verdict
    assert f"Criterion that applies: “{label(t, criterion)}”" in outcome.reasons
    assert outcome.paths == (criterion,)
    assert isinstance(outcome, rules.DpiaOutcome) and outcome.criteria == (criterion,)


def test_dpia_two_criteria_require_a_dpia(roadmap: Roadmap) -> None:
    t = tool(roadmap, "dpia-screening")
    two = {"criteria/large-scale": True, "criteria/innovative-use": True}
    for answers in (two, all_no(**two)):
        outcome = rules.dpia_screening(t, answers)
        assert outcome.code == rules.DPIA_REQUIRED
        assert outcome.reasons[0] == (
            "2 of the 9 criteria of the European data protection authorities apply; with two "
            "or more, a DPIA is required in most cases.")
        assert outcome.reasons[1:] == tuple(
            f"Criterion that applies: “{label(t, p)}”" for p in
            ("criteria/large-scale", "criteria/innovative-use"))
        assert outcome.paths == ("criteria/large-scale", "criteria/innovative-use")


def test_dpia_national_list_requires_a_dpia(roadmap: Roadmap) -> None:
    outcome = rules.dpia_screening(tool(roadmap, "dpia-screening"), {NATIONAL: True})
    assert outcome.code == rules.DPIA_REQUIRED
    assert outcome.paths == (NATIONAL,)
    assert "GDPR Art. 35(4)" in outcome.reasons[0]


def test_dpia_no_criterion_is_probably_not_required(roadmap: Roadmap) -> None:
    outcome = rules.dpia_screening(tool(roadmap, "dpia-screening"), all_no())
    assert outcome.code == rules.DPIA_NOT_REQUIRED
    assert outcome.verdict == "A DPIA is probably not required."
    assert outcome.reasons[-1] == "None of the 9 criteria applies."
    assert outcome.complete and outcome.missing == ()


def test_dpia_one_criterion_with_open_questions_is_incomplete(roadmap: Roadmap) -> None:
    t = tool(roadmap, "dpia-screening")
    answers = all_no(**{"criteria/large-scale": True})
    del answers["criteria/prevents-rights"]
    outcome = rules.dpia_screening(t, answers)
    assert outcome.code == rules.INCOMPLETE
    assert outcome.missing == ("criteria/prevents-rights",)
    assert outcome.reasons == (f"Not answered yet: “{label(t, 'criteria/prevents-rights')}”",)
    del answers[NATIONAL]
    assert rules.dpia_screening(t, answers).missing == ("criteria/prevents-rights", NATIONAL)


def test_dpia_decision_against_the_screening_needs_reasons(roadmap: Roadmap) -> None:
    t = tool(roadmap, "dpia-screening")
    answers = all_no(**{"criteria/large-scale": True, "decision/decision": "not-required"})
    outcome = rules.dpia_screening(t, answers)
    assert any("explain why under “Reasons for the decision”" in n for n in outcome.notes)
    answers["decision/reasons"] = "Only aggregated counts leave the sensor."
    assert not any("explain why" in n for n in rules.dpia_screening(t, answers).notes)


def test_dpia_ignores_answers_the_tool_no_longer_fits(roadmap: Roadmap) -> None:
    t = tool(roadmap, "dpia-screening")
    # A string where a yes/no is expected (an import gone wrong, a changed field) counts as
    # unanswered, never as a yes.
    outcome = rules.dpia_screening(t, all_no(**{CASES[0]: "yes"}))
    assert outcome.code == rules.INCOMPLETE and outcome.missing == (CASES[0],)
    # A criterion a newer roadmap drops no longer counts; its answer is kept elsewhere.
    fewer = drop(t, "criteria/innovative-use")
    outcome = rules.dpia_screening(fewer, all_no(**{"criteria/large-scale": True,
                                                    "criteria/innovative-use": True}))
    assert outcome.code == rules.DPIA_NOT_REQUIRED
    assert outcome.reasons[1] == ("Only one of the 8 criteria applies. A DPIA can still be "
                                  "required: weigh how serious the risk is.")


def test_dpia_without_its_national_list_question_is_unavailable(roadmap: Roadmap) -> None:
    outcome = rules.dpia_screening(drop(tool(roadmap, "dpia-screening"), NATIONAL), {})
    assert outcome.code == rules.UNAVAILABLE and not outcome.complete
    assert outcome.reasons == (f"The tool no longer has the question “{NATIONAL}”.",)


def test_dpia_in_danish(roadmap: Roadmap) -> None:
    t = tool(roadmap, "dpia-screening")
    english = rules.dpia_screening(t, all_no(**{CASES[1]: True}))
    i18n.set_language("da")
    danish = rules.dpia_screening(t, all_no(**{CASES[1]: True}))
    assert danish.code == english.code
    assert danish.verdict != english.verdict and "konsekvensanalyse" in danish.verdict.lower()
    question = label(t, CASES[1])
    i18n.set_language("en")
    assert question != label(t, CASES[1])
    assert question in danish.reasons[0]
    assert danish.reasons[0] != english.reasons[0]
    assert question not in english.reasons[0]


# --- AI impact screening ----------------------------------------------------------------------

IS_AI, PUBLIC = "system/is-ai-system", "system/public-deployer"
AREAS, EXCEPTION = "high-risk/annex-iii-areas", "high-risk/procedural-exception"
TRANSPARENCY = ["transparency/direct-interaction", "transparency/emotion-biometric",
                "transparency/generated-content"]
LITERACY = "literacy/staff-literacy"
BEFORE = dt.date(2026, 9, 1)    # after Art. 4 and Art. 50, before the high-risk duties
AFTER = dt.date(2028, 1, 1)


def ai(roadmap: Roadmap, answers: dict[str, Any], today: dt.date = BEFORE,
       standards: Any = None) -> rules.AiOutcome:
    outcome = rules.ai_impact_screening(
        tool(roadmap, "ai-impact-screening"), answers, today=today,
        standards=roadmap.standards if standards is None else standards)
    assert isinstance(outcome, rules.AiOutcome)
    return outcome


def high(areas: tuple[str, ...], **extra: Any) -> dict[str, Any]:
    return {IS_AI: True, AREAS: areas, EXCEPTION: False, LITERACY: True,
            **dict.fromkeys(TRANSPARENCY, False), **extra}


def test_ai_outcome_codes_are_the_tools_result_options(roadmap: Roadmap) -> None:
    t = tool(roadmap, "ai-impact-screening")
    result = next(f for s in t.sections for f in s.fields if f.id == "result")
    assert {o.id for o in result.options} == {rules.NOT_AI, rules.NOT_HIGH_RISK,
                                               rules.HIGH_RISK_NO_FRIA, rules.FRIA_REQUIRED}
    areas = next(f for s in t.sections for f in s.fields if f.id == "annex-iii-areas")
    assert {"none", "critical-infrastructure", "credit-insurance", "public-benefits"} <= {
        o.id for o in areas.options}


def test_ai_unanswered_is_incomplete(roadmap: Roadmap) -> None:
    outcome = ai(roadmap, {})
    assert outcome.code == rules.INCOMPLETE and outcome.missing == (IS_AI,)
    assert outcome.duties == ()
    assert ai(roadmap, {IS_AI: True}).missing == (AREAS,)
    assert ai(roadmap, {IS_AI: True, AREAS: ("education",)}).missing == (EXCEPTION,)
    assert ai(roadmap, {IS_AI: True, AREAS: ("education",), EXCEPTION: False}).missing == (
        PUBLIC,)


def test_ai_not_an_ai_system(roadmap: Roadmap) -> None:
    outcome = ai(roadmap, {IS_AI: False, AREAS: ("education",)})
    assert outcome.code == rules.NOT_AI and outcome.high_risk is False
    assert outcome.verdict == "Not an AI system: the AI Act does not apply."
    assert outcome.paths == (IS_AI,) and outcome.duties == ()
    assert any("DPIA screening" in n for n in outcome.notes)


def test_ai_no_area_is_not_high_risk_but_literacy_applies(roadmap: Roadmap) -> None:
    outcome = ai(roadmap, {IS_AI: True, AREAS: ("none",)})
    assert outcome.code == rules.NOT_HIGH_RISK and outcome.high_risk is False
    assert [d.code for d in outcome.duties] == ["literacy"]
    # The transparency and literacy questions are still open: listed, verdict stands.
    assert outcome.missing == (*TRANSPARENCY, LITERACY)


def test_ai_none_together_with_an_area_must_be_corrected(roadmap: Roadmap) -> None:
    outcome = ai(roadmap, {IS_AI: True, AREAS: ("none", "education")})
    assert outcome.code == rules.INCOMPLETE
    assert outcome.reasons[0].startswith("“None of these areas” is ticked together with an area")


def test_ai_exception_of_art_6_3(roadmap: Roadmap) -> None:
    outcome = ai(roadmap, high(("public-benefits",), **{EXCEPTION: True, PUBLIC: True}))
    assert outcome.code == rules.NOT_HIGH_RISK
    assert EXCEPTION in outcome.paths and outcome.areas == ("public-benefits",)
    assert any("profiles people" in n for n in outcome.notes)
    assert "fria" not in [d.code for d in outcome.duties]


def test_ai_public_deployer_in_annex_iii_needs_a_fria(roadmap: Roadmap) -> None:
    t = tool(roadmap, "ai-impact-screening")
    outcome = ai(roadmap, high(("public-benefits",), **{PUBLIC: True}))
    assert outcome.code == rules.FRIA_REQUIRED and outcome.high_risk is True
    assert outcome.paths == (IS_AI, AREAS, EXCEPTION, PUBLIC)
    assert outcome.reasons[1] == ("The system will be used in an area of Annex III: 5(a) "
                                  "Eligibility for public assistance benefits and services, "
                                  "or granting, reducing or reclaiming them.")
    assert f"“{label(t, PUBLIC)}” is answered yes" in outcome.reasons[3]
    assert [d.code for d in outcome.duties] == ["deployer", "fria", "literacy"]
    assert outcome.missing == ()
    assert any("6 elements of the assessment" in n for n in outcome.notes)


def test_ai_point_2_alone_needs_no_fria(roadmap: Roadmap) -> None:
    outcome = ai(roadmap, high(("critical-infrastructure",), **{PUBLIC: True}))
    assert outcome.code == rules.HIGH_RISK_NO_FRIA and outcome.high_risk is True
    assert any("point 2" in r for r in outcome.reasons)
    assert [d.code for d in outcome.duties] == ["deployer", "literacy"]
    # Whether the deployer is public does not matter then.
    assert ai(roadmap, high(("critical-infrastructure",))).code == rules.HIGH_RISK_NO_FRIA
    # Point 2 with another area: the other area needs the assessment.
    both = ai(roadmap, high(("critical-infrastructure", "education"), **{PUBLIC: True}))
    assert both.code == rules.FRIA_REQUIRED


def test_ai_private_deployer_needs_no_fria_except_for_credit_and_insurance(
        roadmap: Roadmap) -> None:
    outcome = ai(roadmap, high(("employment",), **{PUBLIC: False}))
    assert outcome.code == rules.HIGH_RISK_NO_FRIA
    assert outcome.paths[-1] == PUBLIC
    credit = ai(roadmap, high(("credit-insurance",), **{PUBLIC: False}))
    assert credit.code == rules.FRIA_REQUIRED
    assert any("credit scoring" in r for r in credit.reasons)
    assert ai(roadmap, high(("credit-insurance",))).code == rules.FRIA_REQUIRED


def test_ai_transparency_duties_with_their_dates(roadmap: Roadmap) -> None:
    answers = {IS_AI: True, AREAS: ("none",), LITERACY: False,
               TRANSPARENCY[0]: True, TRANSPARENCY[1]: False, TRANSPARENCY[2]: True}
    outcome = ai(roadmap, answers, today=dt.date(2026, 3, 1))
    assert [d.code for d in outcome.duties] == ["interaction", "generated", "literacy"]
    interaction, generated, literacy = outcome.duties
    assert interaction.article == "Art. 50" and interaction.applies_from == dt.date(2026, 8, 2)
    assert interaction.when == "Applies from August 2, 2026."
    assert interaction.in_force(dt.date(2026, 3, 1)) is False
    assert literacy.applies_from == dt.date(2025, 2, 2)
    assert literacy.when == "Has applied since February 2, 2025."
    assert f"{generated.text} {generated.when}" in outcome.reasons
    assert any("Art. 50(5)" in n for n in outcome.notes)
    assert any("training or guidance" in n for n in outcome.notes)
    assert outcome.missing == ()


def test_ai_high_risk_dates_come_from_the_standards(roadmap: Roadmap) -> None:
    answers = high(("education",), **{PUBLIC: True})
    fria = next(d for d in ai(roadmap, answers, today=BEFORE).duties if d.code == "fria")
    assert fria.applies_from == dt.date(2027, 12, 2)
    assert fria.when == "Applies from December 2, 2027." and not fria.in_force(BEFORE)
    on_the_day = next(d for d in ai(roadmap, answers, today=dt.date(2027, 12, 2)).duties
                      if d.code == "fria")
    assert on_the_day.when == "Has applied since December 2, 2027."
    assert on_the_day.in_force(dt.date(2027, 12, 2))
    later = next(d for d in ai(roadmap, answers, today=AFTER).duties if d.code == "fria")
    assert later.when == "Has applied since December 2, 2027." and later.in_force(AFTER)
    # A new roadmap version that moves the date moves the duty.
    moved = Standard("ai-act", "AI Act", "…", dates=(("high-risk", dt.date(2028, 8, 2)),))
    fria = next(d for d in ai(roadmap, answers, today=AFTER, standards=[moved]).duties
                if d.code == "fria")
    assert fria.applies_from == dt.date(2028, 8, 2) and fria.when.startswith("Applies from")
    # Without the date the duty says to check the law.
    unknown = next(d for d in ai(roadmap, answers, standards=[]).duties if d.code == "fria")
    assert unknown.applies_from is None and unknown.in_force(AFTER) is None
    assert "check the current text of the AI Act" in unknown.when


def test_ai_recorded_result_that_differs_is_noted(roadmap: Roadmap) -> None:
    answers = high(("education",), **{PUBLIC: True, "outcome/result": "not-high-risk"})
    (note,) = [n for n in ai(roadmap, answers).notes if "recorded" in n]
    assert "“Not high-risk; transparency and AI literacy duties still apply”" in note
    assert "“High-risk; a fundamental rights impact assessment is required”" in note
    answers["outcome/result"] = "fria-required"
    assert not any("recorded" in n for n in ai(roadmap, answers).notes)


def test_ai_tool_without_a_question_the_rule_needs(roadmap: Roadmap) -> None:
    t = drop(tool(roadmap, "ai-impact-screening"), IS_AI)
    outcome = rules.evaluate(t, {IS_AI: True}, standards=roadmap.standards)
    assert outcome is not None and outcome.code == rules.UNAVAILABLE


def test_ai_in_danish(roadmap: Roadmap) -> None:
    answers = high(("education",), **{PUBLIC: True})
    english = ai(roadmap, answers)
    i18n.set_language("da")
    danish = ai(roadmap, answers)
    assert danish.code == rules.FRIA_REQUIRED
    assert danish.verdict != english.verdict
    assert "grundlæggende rettigheder" in danish.verdict
    fria = next(d for d in danish.duties if d.code == "fria")
    assert "2. december 2027" in fria.when


# --- technology scorecard ---------------------------------------------------------------------

CRITERION_IDS = ["openness", "reusability", "portability", "security-privacy", "accessibility",
                 "sovereignty", "open-standards", "maintenance", "community", "cost"]


def card(weights: dict[str, float], *options: tuple[str, dict[str, int]]) -> dict[str, Any]:
    """Answers with the given weights (others 0) and options, in order."""
    answers: dict[str, Any] = {f"weights/weight-{c}": weights.get(c, 0) for c in CRITERION_IDS}
    for n, (name, scores) in enumerate(options, 1):
        key = f"k{n}"
        answers[f"options/{key}/_order"] = n
        if name:
            answers[f"options/{key}/option-name"] = name
        answers.update({f"options/{key}/{c}": s for c, s in scores.items()})
    return answers


def scorecard(roadmap: Roadmap, answers: dict[str, Any]) -> rules.ScorecardOutcome:
    outcome = rules.technology_scorecard(tool(roadmap, "technology-scorecard"), answers)
    assert isinstance(outcome, rules.ScorecardOutcome)
    return outcome


def test_scorecard_pairs_each_weight_with_its_criterion(roadmap: Roadmap) -> None:
    t = tool(roadmap, "technology-scorecard")
    assert rules.scorecard_criteria(t) == [(f"weights/weight-{c}", c) for c in CRITERION_IDS]
    assert set(rules.WARNING_CRITERIA) <= set(CRITERION_IDS)
    assert rules.criterion_name(t, "openness") == "Openness"
    assert rules.criterion_name(t, "cost") == "Lifetime cost"
    for lang in ("fr", "da", "de", "nl", "nb", "sv"):
        i18n.set_language(lang)
        for c in CRITERION_IDS:
            name = rules.criterion_name(t, c)
            assert name and ":" not in name and len(name) < 60, (lang, c, name)


def test_scorecard_weighted_scores_ranking_and_deciding_criterion(roadmap: Roadmap) -> None:
    answers = card({"openness": 2, "cost": 1},
                   ("Platform A", {"openness": 5, "cost": 2}),
                   ("Platform B", {"openness": 2, "cost": 5}),
                   ("Platform C", {"openness": 1, "cost": 1}))
    outcome = scorecard(roadmap, answers)
    assert outcome.code == rules.LEADER
    # (5×2 + 2×1) / 3 = 4, (2×2 + 5×1) / 3 = 3, (1×2 + 1×1) / 3 = 1
    assert [(o.name, o.score, o.rank) for o in outcome.ranking] == [
        ("Platform A", 4, 1), ("Platform B", 3, 2), ("Platform C", 1, 3)]
    assert outcome.deciding == "openness"
    assert outcome.verdict == ("Platform A ranks first with a weighted score of 4, ahead of "
                               "Platform B with 3.")
    assert outcome.reasons[0] == ("Openness did most to decide: Platform A scores 5 on it and "
                                  "Platform B 2, at weight 2.")
    assert "Platform B: weighted score 3" in outcome.reasons
    assert {"options/k1/openness", "options/k2/openness"} <= set(outcome.paths)
    # The weight decides: weigh cost heavily and the other option wins on it.
    flipped = scorecard(roadmap, {**answers, "weights/weight-cost": 4})
    assert flipped.ranking[0].name == "Platform B" and flipped.deciding == "cost"


def test_scorecard_half_a_point_apart_is_a_tie(roadmap: Roadmap) -> None:
    # (4×1 + 3×1) / 2 = 3.5 against 3: exactly half a point is a lead.
    lead = scorecard(roadmap, card({"openness": 1, "cost": 1},
                                   ("A", {"openness": 4, "cost": 3}),
                                   ("B", {"openness": 3, "cost": 3})))
    assert lead.code == rules.LEADER
    assert [o.score for o in lead.ranking] == [3.5, 3]
    # (4×1 + 3×2) / 3 = 3.33… against 3: less than half a point.
    tie = scorecard(roadmap, card({"openness": 1, "cost": 2},
                                  ("A", {"openness": 4, "cost": 3}),
                                  ("B", {"openness": 3, "cost": 3}),
                                  ("C", {"openness": 1, "cost": 1})))
    assert tie.code == rules.TIE and tie.deciding is None
    assert tie.verdict == "A and B are practically equal."
    assert tie.reasons[0].startswith("A and B differ by less than half a point")
    # The criteria that weigh most, with the equal options' scores on them.
    assert tie.reasons[1] == "Lifetime cost (weight 2): A 3 and B 3"


def test_scorecard_equal_scores_share_a_rank(roadmap: Roadmap) -> None:
    outcome = scorecard(roadmap, card({"openness": 1},
                                      ("A", {"openness": 3}), ("B", {"openness": 3}),
                                      ("C", {"openness": 1})))
    assert [(o.name, o.rank) for o in outcome.ranking] == [("A", 1), ("B", 1), ("C", 3)]
    assert outcome.code == rules.TIE


def test_scorecard_warns_when_the_leader_scores_1_on_security_or_sovereignty(
        roadmap: Roadmap) -> None:
    answers = card({"openness": 3, "security-privacy": 1, "sovereignty": 1},
                   ("Cheap cloud", {"openness": 5, "security-privacy": 1, "sovereignty": 1}),
                   ("Own server", {"openness": 2, "security-privacy": 4, "sovereignty": 4}))
    outcome = scorecard(roadmap, answers)
    assert outcome.code == rules.LEADER_WARNING
    assert outcome.ranking[0].warnings == ("security-privacy", "sovereignty")
    assert outcome.verdict == ("Cheap cloud ranks first, but scores 1 on Security and privacy "
                               "and Data sovereignty: it should not win on its total alone.")
    # A runner-up with a warning is noted, not the verdict.
    answers = card({"openness": 1}, ("A", {"openness": 5}),
                   ("B", {"openness": 1, "sovereignty": 1}))
    outcome = scorecard(roadmap, answers)
    assert outcome.code == rules.LEADER
    assert outcome.notes == ("B scores 1 on Data sovereignty: such an option should not win "
                             "on its total alone.",)


def test_scorecard_incomplete_until_weights_and_scores_are_given(roadmap: Roadmap) -> None:
    t = tool(roadmap, "technology-scorecard")
    answers = card({"openness": 1, "cost": 1}, ("A", {"openness": 4}),
                   ("", {"openness": 2, "cost": 2}))
    del answers["weights/weight-community"]
    outcome = scorecard(roadmap, answers)
    assert outcome.code == rules.INCOMPLETE
    assert outcome.missing == ("weights/weight-community", "options/k1/cost")
    assert f"Not answered yet: “A › {label(t, 'options/k1/cost')}”" in outcome.reasons
    # Until every weight is known, no option has a score.
    assert [o.score for o in outcome.ranking] == [None, None]
    answers["weights/weight-community"] = 0   # 0 ignores a criterion: it needs no score
    outcome = scorecard(roadmap, answers)
    assert outcome.missing == ("options/k1/cost",)
    assert [(o.name, o.score, o.rank) for o in outcome.ranking] == [
        ("Option 2", 2, 1), ("A", None, None)]


def test_scorecard_needs_a_weight_above_0_and_two_options(roadmap: Roadmap) -> None:
    zero = scorecard(roadmap, card({}, ("A", {}), ("B", {})))
    assert zero.code == rules.INCOMPLETE
    assert zero.reasons == ("Every weight is 0: give at least one criterion a weight above 0.",)
    single = scorecard(roadmap, card({"openness": 1}, ("A", {"openness": 4})))
    assert single.code == rules.INCOMPLETE
    assert single.reasons == ("Add at least two options to compare them.",)
    assert single.ranking[0].score == 4
    none = scorecard(roadmap, card({"openness": 1}))
    assert none.code == rules.INCOMPLETE and none.ranking == ()


def test_scorecard_in_german(roadmap: Roadmap) -> None:
    answers = card({"openness": 2, "cost": 1}, ("A", {"openness": 5, "cost": 2}),
                   ("B", {"openness": 2, "cost": 5}))
    english = scorecard(roadmap, answers)
    i18n.set_language("de")
    german = scorecard(roadmap, answers)
    assert german.code == english.code and german.verdict != english.verdict
    assert german.reasons[0].startswith("Offenheit")


# --- maturity self-check ----------------------------------------------------------------------

DIMENSIONS = ["technology", "organisation", "regulation-ethics"]


def rated(t: Tool, **levels: int | list[int]) -> dict[str, Any]:
    """Every statement rated: a level per dimension, or a list of levels in form order."""
    answers: dict[str, Any] = {}
    for s in rules.maturity_dimensions(t):
        given = levels.get(s.id.replace("-", "_"), 3)
        values = given if isinstance(given, list) else [given] * len(s.fields)
        answers.update({f"{s.id}/{f.id}": v for f, v in zip(s.fields, values, strict=True)})
    return answers


def maturity(t: Tool, answers: dict[str, Any]) -> rules.MaturityOutcome:
    outcome = rules.maturity_self_check(t, answers)
    assert isinstance(outcome, rules.MaturityOutcome)
    return outcome


def test_maturity_dimensions_are_the_rated_sections(roadmap: Roadmap) -> None:
    t = tool(roadmap, "maturity-self-check")
    assert [s.id for s in rules.maturity_dimensions(t)] == DIMENSIONS
    assert all(len(s.fields) == 5 for s in rules.maturity_dimensions(t))


def test_maturity_level_per_dimension_and_the_weakest(roadmap: Roadmap) -> None:
    t = tool(roadmap, "maturity-self-check")
    outcome = maturity(t, rated(t, technology=[2, 2, 3, 2, 3], organisation=[3, 3, 4, 3, 3],
                                regulation_ethics=4))
    assert outcome.code == rules.ASSESSED
    tech, org, reg = outcome.dimensions
    assert (tech.average, tech.level.value if tech.level else None, tech.level_label) == (
        2.4, 2, "Exploring")
    assert (org.average, org.level_label) == (3.2, "Practising")
    assert (reg.average, reg.level_label) == (4, "Embedding")
    assert outcome.weakest == ("technology",)
    assert outcome.verdict == ("Weakest dimension: Technology (2.4 on average); a small "
                               "investment there usually helps most.")
    assert outcome.reasons[0] == "Technology: average 2.4, level Exploring"
    assert tech.lowest == ("technology/know-datasets", "technology/metadata-catalogue",
                           "technology/data-quality")
    assert len(org.lowest) == 4 and reg.lowest == ()  # all at one level: none stands out
    lowest = label(t, "technology/know-datasets")
    assert f"Lowest in Technology: “{lowest}” (2 – Exploring)" in outcome.reasons
    assert outcome.paths[:3] == tech.lowest


def test_maturity_halves_round_up_to_the_nearer_level(roadmap: Roadmap) -> None:
    t = drop(tool(roadmap, "maturity-self-check"), "technology/secure-platforms")
    outcome = maturity(t, rated(t, technology=[2, 2, 3, 3]))
    tech = outcome.dimensions[0]
    assert tech.average == 2.5 and tech.level_label == "Practising"
    outcome = maturity(t, rated(t, technology=[1, 1, 1, 2]))
    assert outcome.dimensions[0].level_label == "Starting"       # 1.25


def test_maturity_equal_dimensions(roadmap: Roadmap) -> None:
    t = tool(roadmap, "maturity-self-check")
    outcome = maturity(t, rated(t))
    assert outcome.weakest == tuple(DIMENSIONS)
    assert outcome.verdict == "All dimensions are at the same level: 3 on average."
    two = maturity(t, rated(t, technology=2, organisation=2))
    assert two.verdict.startswith("Weakest dimensions: Technology and Organisation (2 on")


def test_maturity_incomplete_gives_levels_only_where_complete(roadmap: Roadmap) -> None:
    t = tool(roadmap, "maturity-self-check")
    answers = rated(t)
    del answers["organisation/skills"]
    answers["technology/interfaces"] = 6      # not a level: does not count
    outcome = maturity(t, answers)
    assert outcome.code == rules.INCOMPLETE
    assert outcome.missing == ("technology/interfaces", "organisation/skills")
    tech, org, reg = outcome.dimensions
    assert tech.average is None and org.average is None and reg.average == 3
    assert (org.answered, org.total) == (4, 5)


def test_maturity_radar_overlays_two_versions(roadmap: Roadmap) -> None:
    t = tool(roadmap, "maturity-self-check")
    last_year = rated(t, technology=1, organisation=2, regulation_ethics=3)
    this_year = rated(t, technology=[3, 3, 3, 3, 2], organisation=2, regulation_ethics=5)
    del this_year["regulation-ethics/open-data"]
    chart = rules.radar(t, [("2025", last_year), ("2026", this_year)])
    assert [a for a, _l in chart.axes] == DIMENSIONS
    assert [label for _a, label in chart.axes] == ["Technology", "Organisation",
                                                   "Regulation and ethics"]
    assert (chart.minimum, chart.maximum) == (1, 5)
    old, new = chart.series
    assert old.name == "2025" and old.values == (1, 2, 3)
    assert old.normalised == (0, 0.25, 0.5)
    assert new.values == (2.8, 2, None) and new.normalised[2] is None
    detail = rules.radar(t, [("2026", this_year)], statements=True)
    assert len(detail.axes) == 15 and detail.axes[0][0] == "technology/know-datasets"
    assert detail.series[0].values[-1] is None and detail.series[0].normalised[0] == 0.5
    assert rules.maturity_change(t, last_year, this_year) == (
        "Technology: from 1 to 2.8", "Organisation: from 2 to 2",
        "Regulation and ethics: not comparable, a self-check is incomplete.")


def test_maturity_in_french(roadmap: Roadmap) -> None:
    t = tool(roadmap, "maturity-self-check")
    answers = rated(t, technology=2)
    english = maturity(t, answers)
    i18n.set_language("fr")
    french = maturity(t, answers)
    assert french.verdict != english.verdict
    assert french.dimensions[0].level_label == "Exploration"
    assert french.verdict.count("2") == 1


# --- rollout readiness ------------------------------------------------------------------------

def conditions(roadmap: Roadmap) -> list[str]:
    return rules.readiness_conditions(tool(roadmap, "rollout-readiness"))


def readiness(roadmap: Roadmap, answers: dict[str, Any]) -> rules.ReadinessOutcome:
    outcome = rules.rollout_readiness(tool(roadmap, "rollout-readiness"), answers)
    assert isinstance(outcome, rules.ReadinessOutcome)
    return outcome


def test_readiness_conditions_are_the_yes_no_questions(roadmap: Roadmap) -> None:
    found = conditions(roadmap)
    assert len(found) == 22 and found[0] == "scalability/load-tested"
    assert {p.split("/")[0] for p in found} >= set(rules.BLOCKING_SECTIONS)
    t = tool(roadmap, "rollout-readiness")
    readiness_field = locate(t, "gaps/readiness")
    assert readiness_field is not None and readiness_field.field is not None
    assert {o.id for o in readiness_field.field.options} == {
        rules.READY, rules.READY_WITH_CONDITIONS, rules.NOT_READY}


def test_readiness_all_yes_is_ready(roadmap: Roadmap) -> None:
    outcome = readiness(roadmap, dict.fromkeys(conditions(roadmap), True))
    assert outcome.code == rules.READY and outcome.gaps == ()
    assert outcome.reasons == ("All 22 questions are answered yes.",)


def test_readiness_unanswered_is_incomplete(roadmap: Roadmap) -> None:
    answers = dict.fromkeys(conditions(roadmap), True)
    del answers["user-access/support-channel"]
    answers["scalability/load-tested"] = False
    outcome = readiness(roadmap, answers)
    assert outcome.code == rules.INCOMPLETE
    assert outcome.missing == ("user-access/support-channel",)
    assert outcome.gaps == ("scalability/load-tested",)


@pytest.mark.parametrize("gap", ["security-compliance/partner-agreement",
                                 "backup-recovery/restore-tested"])
def test_readiness_gap_in_security_or_backup_is_not_ready(roadmap: Roadmap, gap: str) -> None:
    t = tool(roadmap, "rollout-readiness")
    answers = {**dict.fromkeys(conditions(roadmap), True), gap: False,
               "scalability/load-tested": False,
               "gaps/gaps-actions": "Test the restore next week (Jan, IT)."}
    outcome = readiness(roadmap, answers)
    assert outcome.code == rules.NOT_READY
    assert outcome.blocking == (gap,)
    assert set(outcome.gaps) == {gap, "scalability/load-tested"}
    section = locate(t, gap)
    assert section is not None
    # The blocking gap comes first.
    assert outcome.reasons[0].endswith(f"“{label(t, gap)}” is answered no.")


def test_readiness_other_gaps_need_actions(roadmap: Roadmap) -> None:
    t = tool(roadmap, "rollout-readiness")
    answers = {**dict.fromkeys(conditions(roadmap), True), "scalability/load-tested": False,
               "documentation-training/admin-manual": False}
    outcome = readiness(roadmap, answers)
    assert outcome.code == rules.NOT_READY
    assert outcome.verdict == "Not ready: the gaps have no actions yet."
    assert outcome.reasons[0] == (f"Scalability: “{label(t, 'scalability/load-tested')}” is "
                                  "answered no.")
    answers["gaps/gaps-actions"] = "Load test in March (Eva); manual by April (Tom)."
    outcome = readiness(roadmap, answers)
    assert outcome.code == rules.READY_WITH_CONDITIONS
    assert outcome.gaps == ("scalability/load-tested", "documentation-training/admin-manual")
    assert outcome.blocking == ()
    assert "gaps/gaps-actions" in outcome.paths
    answers["gaps/readiness"] = "ready"
    (note,) = readiness(roadmap, answers).notes
    assert "“Ready”" in note and "“Ready, once the listed actions are done”" in note


def test_readiness_in_swedish(roadmap: Roadmap) -> None:
    answers = dict.fromkeys(conditions(roadmap), True)
    english = readiness(roadmap, answers)
    i18n.set_language("sv")
    swedish = readiness(roadmap, answers)
    assert swedish.code == rules.READY
    assert swedish.verdict != english.verdict and swedish.reasons != english.reasons


# --- every rule, every language ---------------------------------------------------------------

@pytest.mark.parametrize("lang", ["nl", "da", "de", "fr", "nb", "sv"])
def test_every_verdict_is_translated(roadmap: Roadmap, lang: str) -> None:
    cases = [
        ("dpia-screening", all_no(**{"criteria/large-scale": True})),
        ("ai-impact-screening", high(("education",), **{PUBLIC: True})),
        ("technology-scorecard", card({"openness": 1}, ("A", {"openness": 5}),
                                      ("B", {"openness": 1}))),
        ("maturity-self-check", rated(tool(roadmap, "maturity-self-check"))),
        ("rollout-readiness", {**dict.fromkeys(conditions(roadmap), True),
                               "backup-recovery/restore-tested": False}),
    ]
    english = {}
    for tool_id, answers in cases:
        outcome = rules.evaluate(tool(roadmap, tool_id), answers, today=BEFORE,
                                 standards=roadmap.standards)
        assert outcome is not None
        english[tool_id] = outcome
    i18n.set_language(lang)
    for tool_id, answers in cases:
        outcome = rules.evaluate(tool(roadmap, tool_id), answers, today=BEFORE,
                                 standards=roadmap.standards)
        assert outcome is not None and outcome.code == english[tool_id].code
        assert outcome.verdict != english[tool_id].verdict, (tool_id, outcome.verdict)
        for mine, theirs in zip(outcome.reasons, english[tool_id].reasons, strict=True):
            assert mine != theirs, (tool_id, mine)
        for mine, theirs in zip(outcome.notes, english[tool_id].notes, strict=True):
            assert mine != theirs, (tool_id, mine)

