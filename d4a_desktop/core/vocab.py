"""The small closed vocabularies of the roadmap, with their translated labels."""

from __future__ import annotations

from enum import StrEnum

from d4a_desktop.i18n import N_, NP_, _, pgettext


class Dimension(StrEnum):
    TECHNOLOGY = "technology"
    ORGANISATION = "organisation"
    REGULATION_ETHICS = "regulation-ethics"

    def label(self) -> str:
        return _(_DIMENSION_LABELS[self])


_DIMENSION_LABELS = {
    Dimension.TECHNOLOGY: N_("Technology"),
    Dimension.ORGANISATION: N_("Organisation"),
    Dimension.REGULATION_ETHICS: N_("Regulation and ethics"),
}


class Stage(StrEnum):
    INITIATE = "initiate"
    PLAN = "plan"
    EXECUTE = "execute"
    MONITOR = "monitor"
    SUSTAIN = "sustain"

    def label(self) -> str:
        # Translators: a stage of the project lifecycle, shown beside a component.
        return pgettext("lifecycle stage", _STAGE_LABELS[self])


_STAGE_LABELS = {
    Stage.INITIATE: NP_("lifecycle stage", "Initiate"),
    Stage.PLAN: NP_("lifecycle stage", "Plan"),
    Stage.EXECUTE: NP_("lifecycle stage", "Execute"),
    Stage.MONITOR: NP_("lifecycle stage", "Monitor"),
    Stage.SUSTAIN: NP_("lifecycle stage", "Sustain"),
}


class Status(StrEnum):
    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    DONE = "done"
    NOT_APPLICABLE = "not-applicable"

    def label(self) -> str:
        # Translators: the status of a roadmap activity.
        return pgettext("activity status", _STATUS_LABELS[self])


_STATUS_LABELS = {
    Status.NOT_STARTED: NP_("activity status", "Not started"),
    Status.IN_PROGRESS: NP_("activity status", "In progress"),
    Status.DONE: NP_("activity status", "Done"),
    Status.NOT_APPLICABLE: NP_("activity status", "Not applicable"),
}


class Condition(StrEnum):
    """Situations in which some items apply; the project records which hold."""

    PERSONAL_DATA = "personal-data"
    ALGORITHMS_AI = "algorithms-ai"
    GEODATA = "geodata"
    EXTERNAL_CONSULTANTS = "external-consultants"

    def label(self) -> str:
        return _(_CONDITION_LABELS[self])

    def question(self) -> str:
        return _(_CONDITION_QUESTIONS[self])


_CONDITION_QUESTIONS = {
    Condition.PERSONAL_DATA: N_("Does the project process personal data?"),
    Condition.ALGORITHMS_AI: N_("Does it use algorithms or AI to support decisions or services?"),
    Condition.GEODATA: N_("Does it handle geodata, such as maps, locations or areas?"),
    Condition.EXTERNAL_CONSULTANTS: N_("Will you hire external consultants or suppliers?"),
}

_CONDITION_LABELS = {
    Condition.PERSONAL_DATA: N_("Only when personal data is processed"),
    Condition.ALGORITHMS_AI: N_("Only when algorithms or AI are used"),
    Condition.GEODATA: N_("Only when geodata is handled"),
    Condition.EXTERNAL_CONSULTANTS: N_("Only when external consultants are hired"),
}


class Origin(StrEnum):
    D4A = "d4a"
    DESKTOP = "desktop"

    def label(self) -> str:
        return _(_ORIGIN_LABELS[self])


_ORIGIN_LABELS = {
    Origin.D4A: N_("D4A text"),
    Origin.DESKTOP: N_("D4A Desktop guidance"),
}


#: The seven countries of the D4A partners, in the order the program lists them.
PARTNER_COUNTRIES = ("BE", "DK", "DE", "FR", "NL", "NO", "SE")


def country_note_heading(country: str) -> str:
    """The heading over a country note ("In Belgium"); one message per country, because
    languages inflect the name and choose the preposition by country (au Danemark, aux
    Pays-Bas, in den Niederlanden)."""
    return pgettext("country note heading", _COUNTRY_NOTE_HEADINGS[country])


_COUNTRY_NOTE_HEADINGS = {
    # Translators: heading over a note on the national rules and services of one partner
    # country, shown on an activity page and in exports. Inflect the country name and
    # choose the preposition as your language requires.
    "BE": NP_("country note heading", "In Belgium"),
    "DK": NP_("country note heading", "In Denmark"),
    "DE": NP_("country note heading", "In Germany"),
    "FR": NP_("country note heading", "In France"),
    "NL": NP_("country note heading", "In the Netherlands"),
    "NO": NP_("country note heading", "In Norway"),
    "SE": NP_("country note heading", "In Sweden"),
}
