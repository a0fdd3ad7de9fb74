"""Key performance indicators: whether each is on track, from its baseline, target and
measurements, with the rule written out for the user (``status_rule_help``).

A KPI has a baseline (a value on a date), a target (a value on a later date) and a direction
(higher or lower is better). A straight line runs from the baseline to the target; the
latest measurement is compared with the value the line expects on the day it was measured.
Values are compared as exact decimals, so a measurement exactly on the line is on the line.

Measurements are plain (date, value, note). Storage keeps one per date
(``validate_measurement`` refuses a second one); should two copies of a project each have
added one for the same date, the one entered later wins: pass measurements in the order
they were entered. Measurements before the baseline date may be kept as history: they are
drawn, but do not count for the status.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from d4a_desktop import i18n
from d4a_desktop.core.records import Problem
from d4a_desktop.i18n import N_, _, pgettext

#: How far behind the line a KPI may be and still count as at risk rather than off track,
#: as a share of the distance from baseline to target.
TOLERANCE = Fraction(1, 10)
#: Larger values are typing errors (and would not survive a spreadsheet round trip).
MAX_VALUE = 1e15


class Direction(enum.StrEnum):
    HIGHER = "higher"    # higher values are better
    LOWER = "lower"      # lower values are better


class Status(enum.StrEnum):
    """As ``d4a info --json`` reports it."""

    ON_TRACK = "on-track"
    AT_RISK = "at-risk"
    OFF_TRACK = "off-track"
    NO_DATA = "no-data"


@dataclass(frozen=True, slots=True)
class Kpi:
    """A KPI as the status rule reads it, made from a record of the KPI register (``from_values``).
    Every field has a default: a half-filled KPI still gets a status, "no data", with the reason."""

    name: str = ""
    code: str = ""
    unit: str = ""
    baseline: float | None = None
    baseline_date: dt.date | None = None
    target: float | None = None
    target_date: dt.date | None = None
    direction: Direction = Direction.HIGHER
    frequency: str = ""
    #: The dataset the values come from (a record id of the data inventory, or its name).
    source: str = ""
    owner: str = ""
    #: Optional bounds of a measured value (0 and 100 for a share in per cent).
    minimum: float | None = None
    maximum: float | None = None

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> Kpi:
        """A KPI from a record's values, by these field names; others are ignored. A
        direction other than "lower" counts as higher-is-better."""
        known = {f: values[f] for f in cls.__dataclass_fields__ if f in values}
        raw = known.pop("direction", None)
        direction = Direction.LOWER if raw == Direction.LOWER else Direction.HIGHER
        return cls(**known, direction=direction)


@dataclass(frozen=True, slots=True)
class Measurement:
    """One measured value of a KPI, from the measurements register. One from before the baseline
    date is kept as history, not counted; for a date measured twice, the one entered later counts
    (``effective``)."""

    date: dt.date
    value: float
    note: str = ""
    #: The record id, so that validation can tell an edit from a second measurement.
    id: str = ""


# --- the rule ---------------------------------------------------------------------------------

STATUS_RULE = N_(
    "How the status is worked out: a straight line runs from the baseline (its value on its "
    "date) to the target (its value on its date). The latest measurement since the baseline "
    "date is compared with the value that the line reaches on the day it was measured.\n\n"
    "On track: at the line or beyond it, in the direction that is better.\n"
    "At risk: behind the line, but still better than the baseline, or no more than "
    "{tolerance} of the distance from baseline to target behind the line.\n"
    "Off track: further behind and no better than the baseline, or the target date has "
    "passed without the target being reached.\n"
    "No data: the baseline or the target is missing, or nothing has been measured since the "
    "baseline date.\n\n"
    "When the target equals the baseline, the KPI is on track as long as it is at that level "
    "or better. If a date has two measurements, the one entered last counts.")


def status_rule_help() -> str:
    """The rule above, translated, for the help of the KPI page and the report."""
    return _(STATUS_RULE).format(tolerance=i18n.format_percent(float(TOLERANCE)))


@dataclass(frozen=True, slots=True)
class KpiStatus:
    """The status rule's verdict on a KPI, with the sentence that explains it and the numbers
    behind it, which the KPI page and the report show beside the status."""

    status: Status
    #: One translated sentence that says why, with the numbers.
    explanation: str
    #: The measurement the status is based on.
    latest: Measurement | None = None
    #: The value the line expects on the latest measurement's date.
    expected: float | None = None
    #: How far from baseline (0) to target (1) the latest value has come.
    progress: float | None = None


def effective(measurements: Iterable[Measurement]) -> list[Measurement]:
    """One measurement per date, oldest first; for a date measured twice, the later one in
    the sequence (entered later) wins."""
    by_date: dict[dt.date, Measurement] = {}
    for m in measurements:
        by_date[m.date] = m
    return [by_date[d] for d in sorted(by_date)]


def expected_value(kpi: Kpi, day: dt.date) -> float | None:
    """The value the straight line from baseline to target reaches on ``day``: the baseline
    before the baseline date, the target from the target date on."""
    line = _line(kpi)
    return float(line(day)) if line else None


def _exact(value: float) -> Fraction:
    """A value as the user wrote it: 0.1 is one tenth, not the nearest binary fraction."""
    return Fraction(value) if isinstance(value, int) else Fraction(repr(float(value)))


def _line(kpi: Kpi) -> Callable[[dt.date], Fraction] | None:
    if kpi.baseline is None or kpi.target is None or kpi.baseline_date is None or \
            kpi.target_date is None or kpi.target_date <= kpi.baseline_date:
        return None
    start, end = _exact(kpi.baseline), _exact(kpi.target)
    days = (kpi.target_date - kpi.baseline_date).days

    def at(day: dt.date) -> Fraction:
        elapsed = min(max((day - kpi.baseline_date).days, 0), days)  # type: ignore[operator]
        return start + (end - start) * Fraction(elapsed, days)
    return at


def _decimals(value: float) -> int:
    """How many decimals a value was written with (at most 6)."""
    if isinstance(value, int) or float(value).is_integer():
        return 0
    text = repr(float(value))
    return 6 if "e" in text else min(len(text.split(".", 1)[1]), 6)


def _amount(value: float | Fraction, unit: str) -> str:
    number = i18n.format_number(round(float(value), 6))
    return f"{number}\N{NO-BREAK SPACE}{unit}" if unit else number


def status(kpi: Kpi, measurements: Iterable[Measurement], *,
           today: dt.date | None = None) -> KpiStatus:
    """On track, at risk, off track or no data, with the reason (see ``STATUS_RULE``)."""
    today = today or dt.date.today()
    if kpi.baseline is None or kpi.target is None or kpi.baseline_date is None or \
            kpi.target_date is None:
        return KpiStatus(Status.NO_DATA, _("Give the baseline and the target, each with its "
                                           "date, to follow this KPI."))
    problems = validate_kpi(kpi)
    if problems:
        return KpiStatus(Status.NO_DATA, problems[0].message)
    every = effective(measurements)
    counted = [m for m in every if m.date >= kpi.baseline_date and _is_number(m.value)]
    if not counted:
        if every:
            return KpiStatus(Status.NO_DATA, _(
                "Nothing has been measured since the baseline date, {date}; earlier "
                "measurements do not count.").format(
                    date=i18n.format_date(kpi.baseline_date)))
        return KpiStatus(Status.NO_DATA, _("Nothing has been measured yet."))
    latest = counted[-1]
    line = _line(kpi)
    assert line is not None  # validate_kpi has checked the dates
    sign = 1 if kpi.direction is Direction.HIGHER else -1
    baseline, target = _exact(kpi.baseline), _exact(kpi.target)
    value, expected = _exact(latest.value), line(latest.date)
    distance = sign * (target - baseline)
    gained = sign * (value - baseline)      # progress made, in the good direction
    due = sign * (expected - baseline)      # progress the line expects by then
    unit = kpi.unit
    # The line's value as precise as the figures it is compared with, and one decimal
    # more: "486 is behind the 486.3 the line expects", not "… the 486.296 …".
    places = min(6, 1 + max(_decimals(v) for v in (kpi.baseline, kpi.target, latest.value)))
    facts = {"value": _amount(value, unit), "date": i18n.format_date(latest.date),
             "expected": _amount(round(expected, places), unit),
             "baseline": _amount(baseline, unit), "target": _amount(target, unit),
             "target_date": i18n.format_date(kpi.target_date)}
    progress = float(gained / distance) if distance else None

    def result(code: Status, text: str) -> KpiStatus:
        return KpiStatus(code, text.format(**facts), latest, float(expected), progress)

    if distance == 0:  # a level to keep
        if gained >= 0:
            return result(Status.ON_TRACK, _("On track: {value} on {date} keeps the level of "
                                             "{target}."))
        return result(Status.OFF_TRACK, _("Off track: {value} on {date} is worse than the "
                                          "level of {target} to keep."))
    if gained >= distance:
        return result(Status.ON_TRACK, _("On track: the target of {target} is reached "
                                         "({value} on {date})."))
    if today > kpi.target_date:
        return result(Status.OFF_TRACK, _("Off track: the target date, {target_date}, has "
                                          "passed and the target of {target} is not reached "
                                          "({value} on {date})."))
    if gained >= due:
        return result(Status.ON_TRACK, _("On track: {value} on {date} is at or beyond the "
                                         "{expected} that the line expects by then."))
    if gained > 0:
        return result(Status.AT_RISK, _("At risk: {value} on {date} is behind the {expected} "
                                        "that the line expects by then, but better than the "
                                        "baseline of {baseline}."))
    if due - gained <= TOLERANCE * distance:
        facts["tolerance"] = i18n.format_percent(float(TOLERANCE))
        return result(Status.AT_RISK, _("At risk: {value} on {date} is not yet better than "
                                        "the baseline, but no more than {tolerance} of the "
                                        "distance to the target behind the {expected} that "
                                        "the line expects by then."))
    return result(Status.OFF_TRACK, _("Off track: {value} on {date} is no better than the "
                                      "baseline of {baseline}, while the line expects "
                                      "{expected} by then."))


# --- validation -------------------------------------------------------------------------------

def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and \
        math.isfinite(value)


def parse_value(text: str) -> float:
    """A number typed in the active language ("1.234,5" in Danish); ValueError with a
    translated message when it is not one."""
    from babel.numbers import NumberFormatError, parse_decimal

    cleaned = text.strip().replace("\N{NO-BREAK SPACE}", "").replace(
        "\N{NARROW NO-BREAK SPACE}", "").replace(" ", "")
    try:
        number = parse_decimal(cleaned, locale=i18n.locale())
    except (NumberFormatError, InvalidOperation, ValueError):
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            number = Decimal("NaN")
    if not number.is_finite():
        raise ValueError(_("“{text}” is not a number.").format(text=text.strip()))
    return float(number)


def _value_problem(kpi: Kpi, value: Any, name: str) -> Problem | None:
    if not _is_number(value):
        return Problem(name, _("The value must be a number."))
    if abs(value) > MAX_VALUE:
        return Problem(name, _("The value is too large to be a measurement."))
    low, high, unit = kpi.minimum, kpi.maximum, kpi.unit
    if low is not None and high is not None and not low <= value <= high:
        return Problem(name, _("The value must lie between {minimum} and {maximum}.").format(
            minimum=_amount(low, unit), maximum=_amount(high, unit)))
    if low is not None and value < low:
        return Problem(name, _("The value must be at least {minimum}.").format(
            minimum=_amount(low, unit)))
    if high is not None and value > high:
        return Problem(name, _("The value must be at most {maximum}.").format(
            maximum=_amount(high, unit)))
    return None


def validate_kpi(kpi: Kpi) -> list[Problem]:
    """Problems with a KPI's baseline and target; missing values are allowed (the status is
    then "no data")."""
    problems = []
    for name in ("baseline", "target"):
        value = getattr(kpi, name)
        if value is not None and (problem := _value_problem(kpi, value, name)):
            problems.append(problem)
    if kpi.baseline_date and kpi.target_date and kpi.target_date <= kpi.baseline_date:
        problems.append(Problem("target_date", _("The target date must come after the "
                                                 "baseline date.")))
    if _is_number(kpi.baseline) and _is_number(kpi.target):
        assert kpi.baseline is not None and kpi.target is not None
        if kpi.direction is Direction.HIGHER and kpi.target < kpi.baseline:
            problems.append(Problem("target", _("Higher values are better, so the target "
                                                "cannot be below the baseline.")))
        if kpi.direction is Direction.LOWER and kpi.target > kpi.baseline:
            problems.append(Problem("target", _("Lower values are better, so the target "
                                                "cannot be above the baseline.")))
    return problems


def validate_measurement(kpi: Kpi, day: Any, value: Any, *,
                         others: Iterable[Measurement] = (), editing: str = "",
                         today: dt.date | None = None) -> list[Problem]:
    """Why a measurement cannot be saved: a value that is not a number or out of the KPI's
    range, a missing date or one in the future, a second measurement for a date (``others``
    are the KPI's measurements; ``editing`` the id of the one being changed)."""
    today = today or dt.date.today()
    problems = []
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        problems.append(Problem("date", _("Give the date of the measurement.")))
    elif day > today:
        problems.append(Problem("date", _("{date} is in the future: record a value once it "
                                          "has been measured.").format(
            date=i18n.format_date(day))))
    elif any(m.date == day and (not editing or m.id != editing) for m in others):
        problems.append(Problem("date", _("There is already a measurement on {date}; change "
                                          "that one instead.").format(
            date=i18n.format_date(day))))
    problem = _value_problem(kpi, value, "value")
    if problem:
        problems.append(problem)
    return problems


# --- a small chart ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Sparkline:
    """Points scaled to 0…1 on both axes: x from the earliest to the latest date shown
    (baseline and target dates included), y from the lowest to the highest value (baseline
    and target included; 1 is the highest value, whatever the direction)."""

    points: tuple[tuple[float, float], ...]
    #: The straight line from baseline to target, when both are known.
    plan: tuple[tuple[float, float], tuple[float, float]] | None
    #: The y of the target, for a dotted line.
    target: float | None


def sparkline(kpi: Kpi, measurements: Sequence[Measurement]) -> Sparkline:
    shown = [m for m in effective(measurements) if _is_number(m.value)]
    anchors = [(d, v) for d, v in ((kpi.baseline_date, kpi.baseline),
                                   (kpi.target_date, kpi.target))
               if d is not None and v is not None and _is_number(v)]
    dates = [m.date for m in shown] + [d for d, _v in anchors]
    values = [m.value for m in shown] + [v for _d, v in anchors]
    if not dates:
        return Sparkline((), None, None)
    first, last = min(dates), max(dates)
    low, high = min(values), max(values)

    def x(day: dt.date) -> float:
        return (day - first).days / (last - first).days if last > first else 0.5

    def y(value: float) -> float:
        return (value - low) / (high - low) if high > low else 0.5

    plan = None
    if len(anchors) == 2 and kpi.target_date > kpi.baseline_date:  # type: ignore[operator]
        (d0, v0), (d1, v1) = anchors
        plan = ((x(d0), y(v0)), (x(d1), y(v1)))
    target = y(kpi.target) if kpi.target is not None and _is_number(kpi.target) else None
    return Sparkline(tuple((x(m.date), y(m.value)) for m in shown), plan, target)


def status_label(status: Status) -> str:
    """The status as the KPI page, the dashboard and the report name it."""
    if status is Status.ON_TRACK:
        return pgettext("kpi status", "On track")
    if status is Status.AT_RISK:
        return pgettext("kpi status", "At risk")
    if status is Status.OFF_TRACK:
        return pgettext("kpi status", "Off track")
    return pgettext("kpi status", "No data")
