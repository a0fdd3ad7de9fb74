"""The kinds of records a project keeps: one declaration each.

Field names are stable: they are the columns of the project file, of spreadsheets and of
exchange packages, so never rename or reuse one (add a field instead). The data inventory
takes its questions, help and choices from the roadmap's data-inventory tool (content
domain), so the register and the printed worksheet say the same; a test keeps the two in
step.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from d4a_desktop.core.records import (
    AtMostOne,
    Computed,
    Field,
    FieldType,
    Kind,
    Option,
    Text,
    Vocabulary,
)
from d4a_desktop.i18n import N_, P_

T = FieldType

LEVELS = Vocabulary("levels", (
    Option("low", N_("Low")),
    Option("medium", N_("Medium")),
    Option("high", N_("High")),
))

#: The roadmap's roles (content domain; the ids and English titles of roles.yaml).
ROLES = Vocabulary("roles", tuple(
    Option(code, (f"role:{code}|title", title)) for code, title in (
        ("mayor-council", "Mayor and council"),
        ("chief-data-officer", "Chief data officer"),
        ("project-manager", "Project manager"),
        ("data-engineer", "Data engineer"),
        ("data-analyst", "Data scientist / analyst"),
        ("it-security", "IT and cybersecurity"),
        ("department-representative", "Department representative"),
        ("data-protection-officer", "Data protection officer"),
        ("external-partner", "External partner"),
    )))

RACI = Vocabulary("raci", (
    Option("responsible", N_("Responsible")),
    Option("accountable", N_("Accountable")),
    Option("consulted", N_("Consulted")),
    Option("informed", N_("Informed")),
))

DIMENSIONS = Vocabulary("dimensions", (
    Option("technology", N_("Technology")),
    Option("organisation", N_("Organisation")),
    Option("regulation-ethics", N_("Regulation and ethics")),
))

RISK_STATUS = Vocabulary("risk-status", (
    Option("open", N_("Open")),
    Option("mitigating", N_("Being mitigated")),
    Option("accepted", N_("Accepted")),
    Option("closed", N_("Closed")),
))

LEGAL_BASIS = Vocabulary("legal-basis", (
    # Translators: the lawful bases of GDPR Art. 6(1); use the wording of your language's
    # version of the regulation, shortened.
    Option("consent", N_("Consent (Art. 6(1)(a))")),
    Option("contract", N_("Contract (Art. 6(1)(b))")),
    Option("legal-obligation", N_("Legal obligation (Art. 6(1)(c))")),
    Option("vital-interests", N_("Vital interests (Art. 6(1)(d))")),
    Option("public-task", N_("Public task (Art. 6(1)(e))")),
    Option("legitimate-interests", N_("Legitimate interests (Art. 6(1)(f))")),
))


# --- team and the responsibility matrix ----------------------------------------------------

TEAM = Kind(
    name="team", table="team_member",
    label=N_("Team member"), plural=N_("Team"),
    purpose=N_("The people and stakeholders of the project: who they are, which role they "
               "play, and how much influence and interest they have. The responsibility "
               "matrix says who does what in each activity."),
    title_field="name",
    fields=(
        Field("name", T.TEXT, N_("Name"), required=True, personal=True),
        # Translators: the organisation a team member works for (not the dimension).
        Field("organisation", T.TEXT, P_("team member", "Organisation"),
              N_("The department, company or body the person works for.")),
        Field("role", T.CHOICE, N_("Role"),
              N_("The role in the project, as the roadmap names the roles."),
              vocabulary=ROLES),
        Field("contact", T.TEXT, N_("Contact"), N_("E-mail address or telephone number."),
              personal=True),
        Field("influence", T.CHOICE, N_("Influence"),
              N_("How much the person can shape or stop the project."), vocabulary=LEVELS),
        Field("interest", T.CHOICE, N_("Interest"),
              N_("How much the project affects the person or their work."),
              vocabulary=LEVELS),
        Field("notes", T.LONGTEXT, N_("Notes")),
    ),
    columns=("name", "organisation", "role", "contact", "influence", "interest"),
)

RESPONSIBILITIES = Kind(
    name="responsibilities", table="responsibility",
    label=N_("Responsibility"), plural=N_("Responsibility matrix"),
    purpose=N_("Who is responsible, accountable, consulted or informed in each activity. "
               "Each activity has at most one accountable person."),
    title_field="activity",
    fields=(
        Field("activity", T.ACTIVITY, N_("Activity"), required=True),
        Field("member", T.REFERENCE, N_("Team member"), required=True, refers_to="team"),
        Field("role", T.CHOICE, N_("Responsibility"), required=True, vocabulary=RACI),
    ),
    rules=(AtMostOne("role", "accountable", per="activity",
                     message=N_("Activity {value} already has an accountable person.")),),
)


# --- decisions -------------------------------------------------------------------------------

#: The roadmap's decision gates, offered as ready questions.
DECISION_GATES: tuple[Text, ...] = (
    N_("Do we build it in house or hire consultants?"),
    N_("Go or no-go after the proof of value?"),
    N_("Where do we test the service first?"),
    N_("Do we scale up, continue as it is, or stop?"),
)

DECISIONS = Kind(
    name="decisions", table="decision",
    label=N_("Decision"), plural=N_("Decisions"),
    purpose=N_("A log of what was decided, why, and by whom: the memory of the project "
               "when people change and when the council asks."),
    title_field="question",
    fields=(
        Field("question", T.TEXT, N_("Question"), N_("What had to be decided?"),
              required=True, suggestions=DECISION_GATES),
        Field("options", T.LONGTEXT, N_("Options considered")),
        Field("choice", T.TEXT, N_("Decision"), N_("What was chosen.")),
        Field("rationale", T.LONGTEXT, N_("Rationale"),
              N_("Why this option: the arguments, costs and risks that decided it.")),
        Field("date", T.DATE, N_("Date")),
        Field("decided_by", T.TEXT, N_("Decided by"),
              N_("The person or body that took the decision, for example the council."),
              personal=True),
        Field("activity", T.ACTIVITY, N_("Activity")),
    ),
    columns=("date", "question", "choice", "decided_by", "activity"),
)


# --- the data inventory ------------------------------------------------------------------------

_INVENTORY = "tool:data-inventory/datasets"


def _q(field_id: str, english: str) -> Text:
    return (f"{_INVENTORY}/{field_id}|label", english)


def _h(field_id: str, english: str) -> Text:
    return (f"{_INVENTORY}/{field_id}|help", english)


def _options(field_id: str, *pairs: tuple[str, str]) -> Vocabulary:
    return Vocabulary(field_id, tuple(
        Option(code, (f"{_INVENTORY}/{field_id}/{code}|label", label)) for code, label in pairs))


THEMES = _options(
    "themes", ("agri", "Agriculture, fisheries, forestry and food"),
    ("econ", "Economy and finance"), ("educ", "Education, culture and sport"),
    ("ener", "Energy"), ("envi", "Environment"), ("gove", "Government and public sector"),
    ("heal", "Health"), ("intr", "International issues"),
    ("just", "Justice, legal system and public safety"), ("regi", "Regions and cities"),
    ("soci", "Population and society"), ("tech", "Science and technology"),
    ("tran", "Transport"), ("op-datpro", "Provisional data"))
FREQUENCIES = _options(
    "update-frequency", ("continuous", "Continuously"), ("hourly", "Every hour"),
    ("daily", "Every day"), ("weekly", "Every week"), ("monthly", "Every month"),
    ("quarterly", "Every quarter"), ("annual", "Every year"), ("irregular", "Irregularly"),
    ("not-planned", "No further updates planned"), ("unknown", "Unknown"))
LICENCES = _options(
    "licence", ("cc0-1-0", "CC0 1.0 (public domain dedication)"),
    ("cc-by-4-0", "CC BY 4.0 (attribution)"), ("other-open", "Another open licence"),
    ("restricted-terms", "Restricted terms of use"), ("not-decided", "Not decided yet"))
ACCESS_RIGHTS = _options(
    "access-rights", ("public", "Public: anyone may access the data"),
    ("restricted", "Restricted: available under conditions"),
    ("non-public", "Non-public: not available outside the organisation"))
PERSONAL_KINDS = _options(
    "personal-data-kinds", ("contact", "Names and contact details"),
    ("identifiers", "Identification numbers, such as citizen or customer numbers"),
    ("location", "Location or movement data"), ("images", "Camera images or video"),
    ("vehicle-registration", "Vehicle registration numbers"),
    ("financial", "Financial or payment data"),
    ("special-categories", "Special categories, such as health, ethnic origin, religion or "
                           "biometrics (GDPR Art. 9)"),
    ("criminal", "Criminal convictions and offences (GDPR Art. 10)"),
    ("children", "Data about children"), ("other", "Other personal data"))
PUBLICATION = _options(
    "publication-status", ("internal-only", "Internal use only"),
    ("being-prepared", "Being prepared for publication"),
    ("published", "Published as open data"), ("cannot-publish", "Cannot be published"))


def _inventory_field(field_id: str, type_: FieldType, short: str, question: str,
                     help_en: str = "", **extra: Any) -> Field:
    """A field of the data-inventory tool: a short column label (ui domain), and the
    tool's question and help (content domain) for the form."""
    return Field(field_id.replace("-", "_"), type_, short,
                 help=_h(field_id, help_en) if help_en else "",
                 prompt=_q(field_id, question), **extra)


DATASETS = Kind(
    name="datasets", table="dataset",
    label=N_("Dataset"), plural=N_("Data inventory"),
    purpose=N_("The datasets the project uses or produces, described with the DCAT-AP "
               "fields of the data-inventory tool, so they can be published in a data "
               "catalogue, and with what the organisation needs to manage them: owner, "
               "quality, ETL process, personal data and publication status."),
    title_field="title",
    fields=(
        _inventory_field("title", T.TEXT, N_("Title"), "Title of the dataset",
                         "Use a short name that someone outside your department would "
                         "understand.", required=True),
        _inventory_field("description", T.LONGTEXT, N_("Description"),
                         "Description: what does the dataset contain?",
                         "Say what one record stands for, which area and period it covers "
                         "and how the data was collected."),
        _inventory_field("publisher", T.TEXT, N_("Publisher"),
                         "Publisher: which organisation makes the dataset available?"),
        _inventory_field("contact-point", T.TEXT, N_("Contact point"),
                         "Contact point for questions about the dataset",
                         "Prefer a shared mailbox or a team over a personal address, so "
                         "that the contact survives staff changes.", personal=True),
        _inventory_field("keywords", T.TEXT, N_("Keywords"), "Keywords",
                         "Separate keywords with commas, for example \"cycling, traffic "
                         "counts, mobility\"."),
        _inventory_field("themes", T.CHOICES, N_("Themes"),
                         "Theme: which EU data themes does the dataset belong to?",
                         "Choose at least one; these are the themes of the EU Data Theme "
                         "vocabulary used by European data portals.", vocabulary=THEMES),
        _inventory_field("spatial-coverage", T.TEXT, N_("Area covered"),
                         "Spatial coverage: which area does the dataset cover?",
                         "Name the municipality, district or region, as it appears in an "
                         "official list of places where possible."),
        _inventory_field("temporal-start", T.DATE, N_("Covers from"),
                         "Temporal coverage: start date",
                         "The first date that the data describes, which is not necessarily "
                         "the date it was collected."),
        _inventory_field("temporal-end", T.DATE, N_("Covers until"),
                         "Temporal coverage: end date",
                         "Leave this empty if the dataset is still growing."),
        _inventory_field("update-frequency", T.CHOICE, N_("Updated"),
                         "How often is the dataset updated?", vocabulary=FREQUENCIES),
        _inventory_field("source", T.TEXT, N_("Source"),
                         "Source: where does the data come from?",
                         "Name the system, sensor network, supplier or survey that produces "
                         "the data."),
        _inventory_field("access-url", T.URL, N_("Access URL"),
                         "Access URL: where can the data be reached?",
                         "A web page, download link or API address; for internal data, its "
                         "address on the internal network or platform."),
        _inventory_field("format", T.TEXT, N_("Format"), "File format or interface",
                         "For example CSV, GeoJSON, GeoPackage, JSON from a web API, or "
                         "NGSI-LD."),
        _inventory_field("licence", T.CHOICE, N_("Licence"),
                         "Licence under which the data is made available",
                         "High-value datasets must be published under CC BY 4.0 or a more "
                         "permissive licence, such as CC0.", vocabulary=LICENCES),
        _inventory_field("licence-name", T.TEXT, N_("Licence name"),
                         "Name of the licence or terms, if not listed above"),
        _inventory_field("access-rights", T.CHOICE, N_("Access rights"), "Access rights",
                         vocabulary=ACCESS_RIGHTS),
        _inventory_field("quality", T.LONGTEXT, N_("Accuracy"),
                         "Accuracy and known quality issues",
                         "Note gaps, errors, sensor outages and changes of method, and how "
                         "far the data can be trusted for its purpose."),
        _inventory_field("owner-department", T.TEXT, N_("Owner department"),
                         "Owner: which department is responsible for the dataset?"),
        _inventory_field("owner-person", T.TEXT, N_("Owner"),
                         "Owner: which person is responsible for the dataset?",
                         personal=True),
        _inventory_field("etl-process", T.LONGTEXT, N_("ETL process"),
                         "ETL process: how is the data extracted, transformed and loaded?",
                         "Describe the steps, the tools and the schedule, and where the "
                         "scripts or settings are kept."),
        _inventory_field("projects", T.LONGTEXT, N_("Used by"),
                         "Which projects, reports or services use this dataset?"),
        _inventory_field("personal-data", T.YESNO, N_("Personal data"),
                         "Does the dataset contain personal data?",
                         "Data about a person who can be identified, directly or by "
                         "combining it with other data, is personal data."),
        _inventory_field("personal-data-kinds", T.CHOICES, N_("Kinds of personal data"),
                         "Which kinds of personal data does it contain?",
                         "If you are unsure, ask the data protection officer; pseudonymised "
                         "data is still personal data.", vocabulary=PERSONAL_KINDS),
        Field("legal_basis", T.CHOICE, N_("Legal basis"),
              N_("The lawful basis for processing the personal data (GDPR Art. 6). A "
                 "municipality's own tasks usually rest on a public task or a legal "
                 "obligation."), vocabulary=LEGAL_BASIS,
              prompt=N_("Legal basis for processing the personal data")),
        _inventory_field("publication-status", T.CHOICE, N_("Publication status"),
                         "Publication status",
                         "If the dataset cannot be published, give the reason in the "
                         "notes, such as personal data or third-party rights.",
                         vocabulary=PUBLICATION),
        _inventory_field("status-checked", T.DATE, N_("Status checked"),
                         "Date the publication status was last checked"),
        Field("activities", T.ACTIVITIES, N_("Activities"),
              N_("The roadmap activities that use or produce this dataset."),
              prompt=N_("Which activities use or produce this dataset?")),
        _inventory_field("notes", T.LONGTEXT, N_("Notes"), "Notes"),
    ),
    columns=("title", "publisher", "themes", "owner_person", "personal_data", "licence",
             "publication_status"),
)


# --- risks and milestones ----------------------------------------------------------------------

def _score(values: Mapping[str, Any]) -> int | None:
    likelihood, impact = values.get("likelihood"), values.get("impact")
    if isinstance(likelihood, int) and isinstance(impact, int):
        return likelihood * impact
    return None


RISKS = Kind(
    name="risks", table="risk",
    label=N_("Risk"), plural=N_("Risks"),
    purpose=N_("What could go wrong, how likely and how serious it is, who watches it and "
               "what is done about it. Review the open risks at every project meeting."),
    title_field="description",
    fields=(
        Field("description", T.TEXT, N_("Risk"), N_("What could happen, and what would it "
                                                      "cause?"), required=True),
        Field("category", T.CHOICE, N_("Dimension"), vocabulary=DIMENSIONS),
        Field("likelihood", T.INTEGER, N_("Likelihood"),
              N_("1 = rare, 5 = almost certain."), minimum=1, maximum=5),
        Field("impact", T.INTEGER, N_("Impact"),
              N_("1 = negligible, 5 = severe."), minimum=1, maximum=5),
        Field("owner", T.TEXT, N_("Owner"), N_("Who watches the risk and acts on it."),
              personal=True),
        Field("mitigation", T.LONGTEXT, N_("Mitigation"),
              N_("What is done to make the risk less likely or less serious.")),
        Field("status", T.CHOICE, N_("Status"), vocabulary=RISK_STATUS),
        Field("review_date", T.DATE, N_("Next review")),
    ),
    computed=(Computed("score", N_("Score"), _score),),
    columns=("description", "category", "likelihood", "impact", "owner", "status",
             "review_date"),
)

MILESTONES = Kind(
    name="milestones", table="milestone",
    label=N_("Milestone"), plural=N_("Milestones"),
    purpose=N_("The dates the project steers by: the council meeting, the start of the test, "
               "the launch. The timeline shows them beside the activities."),
    title_field="name",
    fields=(
        Field("name", T.TEXT, N_("Milestone"), required=True),
        Field("date", T.DATE, N_("Date"), required=True),
        Field("activities", T.ACTIVITIES, N_("Activities"),
              N_("The activities that lead to this milestone.")),
        Field("done", T.YESNO, N_("Reached")),
        Field("notes", T.LONGTEXT, N_("Notes")),
    ),
    columns=("date", "name", "activities", "done"),
)

# --- monitoring: KPIs and their measurements ---------------------------------------------------

DIRECTIONS = Vocabulary("directions", (
    Option("higher", N_("Higher is better")),
    Option("lower", N_("Lower is better")),
))

FREQUENCY = Vocabulary("frequency", (
    Option("weekly", N_("Weekly")),
    Option("monthly", N_("Monthly")),
    Option("quarterly", N_("Quarterly")),
    Option("yearly", N_("Yearly")),
))

KPIS = Kind(
    name="kpis", table="kpi",
    label=N_("KPI"), plural=N_("KPIs"),
    purpose=N_("The indicators that show whether the project reaches its goal: where it "
               "started (baseline), where it should be by when (target), and which way is "
               "better. Measurements show whether the project is on track."),
    title_field="name",
    fields=(
        Field("name", T.TEXT, N_("Indicator"), required=True),
        Field("code", T.TEXT, N_("Code"),
              N_("The indicator's code in ISO 37120 or the SDG 11 indicators, or your own.")),
        Field("unit", T.TEXT, N_("Unit"), N_("For example: cyclists a day, %, tonnes CO₂.")),
        Field("baseline", T.NUMBER, N_("Baseline"), N_("The value when the project started.")),
        Field("baseline_date", T.DATE, N_("Baseline date")),
        Field("target", T.NUMBER, N_("Target"), N_("The value the project wants to reach.")),
        Field("target_date", T.DATE, N_("Target date")),
        Field("direction", T.CHOICE, N_("Direction"), vocabulary=DIRECTIONS),
        Field("frequency", T.CHOICE, N_("Measured"), N_("How often a new value is measured."),
              vocabulary=FREQUENCY),
        Field("source_dataset", T.REFERENCE, N_("Source dataset"),
              N_("The dataset of the data inventory that the values come from."),
              refers_to="datasets"),
        Field("owner", T.TEXT, N_("Owner"), personal=True),
        Field("notes", T.LONGTEXT, N_("Notes")),
    ),
    columns=("name", "code", "unit", "baseline", "target", "target_date", "direction"),
)

MEASUREMENTS = Kind(
    name="measurements", table="measurement",
    label=N_("Measurement"), plural=N_("Measurements"),
    purpose=N_("The values of the KPIs over time, entered by hand, pasted from a spreadsheet "
               "or imported."),
    title_field="date",
    fields=(
        Field("kpi", T.REFERENCE, N_("KPI"), required=True, refers_to="kpis"),
        Field("date", T.DATE, N_("Date"), required=True),
        Field("value", T.NUMBER, N_("Value"), required=True),
        Field("note", T.LONGTEXT, N_("Note")),
    ),
    columns=("kpi", "date", "value", "note"),
)


# --- working together: comments and review marks ---------------------------------------------

COMMENTS = Kind(
    name="comments", table="comment",
    label=N_("Comment"), plural=N_("Comments"),
    title_field="text", register=False,
    fields=(
        # What the comment is about: "activity", "item", "assessment" or a record kind, and
        # the content id, tool id or record id.
        Field("about_kind", T.TEXT, N_("About"), required=True),
        Field("about", T.TEXT, N_("About"), required=True),
        Field("text", T.LONGTEXT, N_("Comment"), required=True),
        Field("written_by", T.TEXT, N_("Written by"), personal=True),
        Field("resolved", T.YESNO, N_("Resolved")),
    ),
)

REVIEWS = Kind(
    name="reviews", table="review",
    label=N_("Review"), plural=N_("Reviews"),
    title_field="activity", register=False,
    fields=(
        Field("activity", T.ACTIVITY, N_("Activity"), required=True),
        Field("reviewed_by", T.TEXT, N_("Reviewed by"), required=True, personal=True),
        Field("date", T.DATE, N_("Date"), required=True),
    ),
)


# --- the roadmap's tools, filled in ----------------------------------------------------------

ASSESSMENT_STATUS = Vocabulary("assessment-status", (
    Option("draft", N_("Draft")),
    Option("complete", N_("Complete")),
))

ASSESSMENTS = Kind(
    name="assessments", table="assessment",
    label=N_("Filled tool"), plural=N_("Tools"),
    title_field="tool", register=False,
    fields=(
        Field("tool", T.TEXT, N_("Tool"), required=True),
        Field("status", T.CHOICE, N_("Status"), vocabulary=ASSESSMENT_STATUS),
        Field("next_review", T.DATE, N_("Next review")),
        Field("notes", T.LONGTEXT, N_("Notes")),
    ),
)

ANSWERS = Kind(
    name="answers", table="answer",
    label=N_("Answer"), plural=N_("Answers"),
    title_field="path", register=False,
    fields=(
        Field("assessment", T.REFERENCE, N_("Tool"), required=True, refers_to="assessments"),
        # Where the answer stands in the tool: "section/field" or "section/entry/field".
        Field("path", T.TEXT, N_("Question"), required=True),
        Field("value", T.JSON, N_("Answer")),
    ),
)

VERSIONS = Kind(
    name="assessment_versions", table="assessment_version",
    label=N_("Saved version"), plural=N_("Saved versions"),
    title_field="number", register=False, frozen=True,
    fields=(
        Field("assessment", T.REFERENCE, N_("Tool"), required=True, refers_to="assessments"),
        Field("number", T.INTEGER, N_("Version"), required=True, minimum=1),
        Field("saved_on", T.DATE, N_("Saved on"), required=True),
        Field("status", T.CHOICE, N_("Status"), vocabulary=ASSESSMENT_STATUS),
        Field("answers", T.JSON, N_("Answers")),
        Field("note", T.LONGTEXT, N_("Note")),
    ),
)

#: Every kind, in the order the navigator lists the registers.
KINDS: tuple[Kind, ...] = (TEAM, RESPONSIBILITIES, DECISIONS, DATASETS, RISKS, MILESTONES,
                           KPIS, MEASUREMENTS, COMMENTS, REVIEWS, ASSESSMENTS, ANSWERS,
                           VERSIONS)
REGISTERS: tuple[Kind, ...] = tuple(k for k in KINDS if k.register)
_BY_NAME = {k.name: k for k in KINDS}


def kind(name: str) -> Kind:
    """The kind called ``name`` (KeyError for an unknown name)."""
    return _BY_NAME[name]


def names() -> tuple[str, ...]:
    return tuple(_BY_NAME)
