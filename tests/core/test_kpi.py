"""KPI status from the straight line between baseline and target, its edges, bad
measurements, and the points of a sparkline."""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

import pytest

from d4a_desktop import i18n
from d4a_desktop.core.kpi import (
    STATUS_RULE,
    TOLERANCE,
    Direction,
    Kpi,
    Measurement,
    Status,
    effective,
    expected_value,
    parse_value,
    sparkline,
    status,
    status_rule_help,
    validate_kpi,
    validate_measurement,
)

START = dt.date(2026, 1, 1)
END = START + dt.timedelta(days=100)
#: Share of cyclists, from 0 % to 100 % in 100 days: the line expects n on day n.
UP = Kpi(name="Share of cyclists", code="K1", unit="%", baseline=0, baseline_date=START,
         target=100, target_date=END)
#: Car trips from 200 down to 100 in 100 days: the line expects 200 - n on day n.
DOWN = Kpi(name="Car trips", unit="trips", baseline=200, baseline_date=START, target=100,
           target_date=END, direction=Direction.LOWER)
TODAY = START + dt.timedelta(days=60)


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def at(kpi: Kpi, n: int, value: float, today: dt.date = TODAY) -> Status:
    return status(kpi, [Measurement(day(n), value)], today=today).status


# --- the straight line ------------------------------------------------------------------------

def test_expected_value_runs_straight_from_baseline_to_target() -> None:
    assert expected_value(UP, day(0)) == 0
    assert expected_value(UP, day(37)) == 37
    assert expected_value(UP, day(100)) == 100
    assert expected_value(UP, day(-5)) == 0 and expected_value(UP, day(150)) == 100
    assert expected_value(DOWN, day(25)) == 175
    assert expected_value(Kpi(baseline=1), day(1)) is None


def test_exactly_on_the_line_is_on_track() -> None:
    assert at(UP, 40, 40) == Status.ON_TRACK
    assert at(DOWN, 40, 160) == Status.ON_TRACK
    # Decimals are compared as written: 0.1 → 0.3, halfway expects exactly 0.2.
    small = Kpi(baseline=0.1, baseline_date=START, target=0.3, target_date=day(2))
    assert at(small, 1, 0.2, today=day(1)) == Status.ON_TRACK
    result = status(UP, [Measurement(day(40), 40)], today=TODAY)
    assert result.expected == 40 and result.progress == 0.4 and result.latest is not None


def test_beyond_the_line_is_on_track() -> None:
    assert at(UP, 40, 41) == Status.ON_TRACK
    assert at(DOWN, 40, 150) == Status.ON_TRACK


def test_behind_the_line_but_better_than_the_baseline_is_at_risk() -> None:
    assert at(UP, 40, 39.5) == Status.AT_RISK
    assert at(UP, 40, 0.01) == Status.AT_RISK
    result = status(UP, [Measurement(day(40), 25)], today=TODAY)
    assert result.status == Status.AT_RISK
    assert result.explanation == ("At risk: 25\xa0% on Feb 10, 2026 is behind the 40\xa0% "
                                  "that the line expects by then, but better than the baseline "
                                  "of 0\xa0%.")


def test_exactly_on_the_baseline_is_off_track_once_the_line_has_moved_on() -> None:
    assert at(UP, 40, 0) == Status.OFF_TRACK
    assert at(DOWN, 40, 200) == Status.OFF_TRACK
    result = status(UP, [Measurement(day(40), 0)], today=TODAY)
    assert result.explanation.startswith("Off track: 0\xa0% on Feb 10, 2026 is no better than "
                                          "the baseline of 0\xa0%")


def test_at_the_baseline_within_the_tolerance_is_at_risk() -> None:
    assert Fraction(1, 10) == TOLERANCE
    # On the baseline date the line is at the baseline: on the line.
    assert at(UP, 0, 0) == Status.ON_TRACK
    # 10 % of the distance (10 points) behind the line is still at risk; more is off track.
    assert at(UP, 10, 0) == Status.AT_RISK
    assert at(UP, 11, 0) == Status.OFF_TRACK
    assert at(UP, 5, -5) == Status.AT_RISK
    assert at(UP, 5, -5.01) == Status.OFF_TRACK
    assert at(DOWN, 10, 200) == Status.AT_RISK
    assert at(DOWN, 11, 200) == Status.OFF_TRACK
    assert "no more than 10%" in status(UP, [Measurement(day(10), 0)], today=TODAY).explanation


def test_worse_than_the_baseline_is_off_track() -> None:
    assert at(UP, 50, -3) == Status.OFF_TRACK
    assert at(DOWN, 50, 230) == Status.OFF_TRACK


def test_target_date_passed_without_reaching_the_target_is_off_track() -> None:
    later = END + dt.timedelta(days=1)
    # On the line on day 90, but the target date has passed since.
    assert at(UP, 90, 95, today=END) == Status.ON_TRACK
    assert at(UP, 90, 95, today=later) == Status.OFF_TRACK
    assert at(UP, 100, 99.9, today=later) == Status.OFF_TRACK
    result = status(UP, [Measurement(day(90), 95)], today=later)
    assert result.explanation == ("Off track: the target date, Apr 11, 2026, has passed and "
                                  "the target of 100\xa0% is not reached (95\xa0% on Apr 1, "
                                  "2026).")
    # Reached on time, or late: on track.
    assert at(UP, 80, 100, today=later) == Status.ON_TRACK
    assert at(UP, 120, 101, today=day(130)) == Status.ON_TRACK
    assert at(DOWN, 120, 100, today=day(130)) == Status.ON_TRACK
    assert at(DOWN, 120, 101, today=day(130)) == Status.OFF_TRACK
    assert status(UP, [Measurement(day(80), 100)], today=later).explanation.startswith(
        "On track: the target of 100\xa0% is reached")


def test_lower_is_better_mirrors_the_rule() -> None:
    assert at(DOWN, 50, 150) == Status.ON_TRACK
    assert at(DOWN, 50, 160) == Status.AT_RISK
    assert at(DOWN, 50, 199) == Status.AT_RISK
    assert at(DOWN, 50, 200) == Status.OFF_TRACK
    # The same numbers with higher-is-better read the other way.
    assert at(Kpi(baseline=100, baseline_date=START, target=200, target_date=END), 50, 160) \
        == Status.ON_TRACK


def test_baseline_equal_to_target_keeps_a_level() -> None:
    keep = Kpi(baseline=95, baseline_date=START, target=95, target_date=END, unit="%")
    assert at(keep, 50, 95) == Status.ON_TRACK
    assert at(keep, 50, 97) == Status.ON_TRACK
    assert at(keep, 50, 94.9) == Status.OFF_TRACK
    assert at(keep, 120, 95, today=day(130)) == Status.ON_TRACK
    down = Kpi(baseline=5, baseline_date=START, target=5, target_date=END,
               direction=Direction.LOWER)
    assert at(down, 50, 4) == Status.ON_TRACK and at(down, 50, 6) == Status.OFF_TRACK
    assert status(keep, [Measurement(day(50), 95)], today=TODAY).explanation == (
        "On track: 95\xa0% on Feb 20, 2026 keeps the level of 95\xa0%.")
    assert status(keep, [Measurement(day(50), 95)], today=TODAY).progress is None


def test_only_the_latest_measurement_counts() -> None:
    series = [Measurement(day(10), 50), Measurement(day(40), 5), Measurement(day(20), 20)]
    result = status(UP, series, today=TODAY)
    assert result.latest == Measurement(day(40), 5) and result.status == Status.AT_RISK


def test_measurements_before_the_baseline_date_do_not_count() -> None:
    early = [Measurement(day(-30), 80), Measurement(day(-1), 90)]
    result = status(UP, early, today=TODAY)
    assert result.status == Status.NO_DATA
    assert result.explanation == ("Nothing has been measured since the baseline date, Jan 1, "
                                  "2026; earlier measurements do not count.")
    assert status(UP, [*early, Measurement(day(40), 40)], today=TODAY).status == \
        Status.ON_TRACK
    assert status(UP, [*early, Measurement(day(40), 0)], today=TODAY).status == \
        Status.OFF_TRACK


def test_duplicate_dates_the_later_entered_wins() -> None:
    first, second = Measurement(day(40), 0, id="a"), Measurement(day(40), 40, id="b")
    assert effective([first, second]) == [second]
    assert status(UP, [first, second], today=TODAY).status == Status.ON_TRACK
    assert status(UP, [second, first], today=TODAY).status == Status.OFF_TRACK


@pytest.mark.parametrize(("kpi", "message"), [
    (Kpi(), "Give the baseline and the target, each with its date, to follow this KPI."),
    (Kpi(baseline=1, baseline_date=START, target=2), "Give the baseline and the target"),
    (Kpi(baseline=1, baseline_date=START, target=2, target_date=START),
     "The target date must come after the baseline date."),
    (Kpi(baseline=5, baseline_date=START, target=2, target_date=END),
     "Higher values are better, so the target cannot be below the baseline."),
    (Kpi(baseline=2, baseline_date=START, target=5, target_date=END,
         direction=Direction.LOWER),
     "Lower values are better, so the target cannot be above the baseline."),
])
def test_no_data_without_a_usable_baseline_and_target(kpi: Kpi, message: str) -> None:
    result = status(kpi, [Measurement(day(1), 3)], today=TODAY)
    assert result.status == Status.NO_DATA and result.explanation.startswith(message)
    assert result.latest is None


def test_no_data_without_measurements() -> None:
    result = status(UP, [], today=TODAY)
    assert result.status == Status.NO_DATA
    assert result.explanation == "Nothing has been measured yet."
    assert [s.value for s in Status] == ["on-track", "at-risk", "off-track", "no-data"]


def test_status_in_danish() -> None:
    english = status(UP, [Measurement(day(40), 25)], today=TODAY).explanation
    i18n.set_language("da")
    danish = status(UP, [Measurement(day(40), 25)], today=TODAY).explanation
    assert danish.startswith("I risiko: 25\xa0% den 10. feb. 2026")
    assert english.startswith("At risk: 25\xa0% on Feb 10, 2026")


def test_the_rule_is_written_out_for_the_help() -> None:
    english = status_rule_help()
    assert "10%" in english and "{tolerance}" in STATUS_RULE
    for word in ("On track", "At risk", "Off track", "No data", "entered last"):
        assert word in english
    i18n.set_language("fr")
    french = status_rule_help()
    assert "Sur la trajectoire" in french and "10\xa0%" in french


# --- validation -------------------------------------------------------------------------------

def problems(value: object, date: object = TODAY, kpi: Kpi = UP, **extra: object) -> list[str]:
    return [f"{p.field}: {p.message}" for p in validate_measurement(
        kpi, date, value, today=TODAY, **extra)]  # type: ignore[arg-type]


def test_a_good_measurement_passes() -> None:
    assert problems(42) == [] and problems(42.5, day(-10)) == []
    assert problems(0, day(0)) == []


@pytest.mark.parametrize("value", ["42", None, True, math.nan, math.inf, -math.inf, [1]])
def test_a_value_that_is_not_a_number_is_refused(value: object) -> None:
    assert problems(value) == ["value: The value must be a number."]


def test_a_value_out_of_range_is_refused() -> None:
    assert problems(1e16) == ["value: The value is too large to be a measurement."]
    share = Kpi(baseline=10, baseline_date=START, target=50, target_date=END, unit="%",
                minimum=0, maximum=100)
    assert problems(101, kpi=share) == [
        "value: The value must lie between 0\xa0% and 100\xa0%."]
    assert problems(-1, kpi=share) != [] and problems(100, kpi=share) == []
    assert problems(-1, kpi=Kpi(minimum=0)) == ["value: The value must be at least 0."]
    assert problems(7, kpi=Kpi(maximum=5)) == ["value: The value must be at most 5."]
    assert [p.field for p in validate_kpi(share)] == []
    assert [p.field for p in validate_kpi(Kpi(baseline=150, maximum=100))] == ["baseline"]


def test_a_date_in_the_future_is_refused() -> None:
    beyond_target = END + dt.timedelta(days=30)
    assert problems(42, TODAY + dt.timedelta(days=1)) == [
        "date: Mar 3, 2026 is in the future: record a value once it has been measured."]
    assert problems(42, beyond_target) != []
    # After the target date but not in the future: a late measurement, allowed.
    assert validate_measurement(UP, END + dt.timedelta(days=1), 99,
                                today=END + dt.timedelta(days=2)) == []


@pytest.mark.parametrize("date", [None, "2026-02-01", dt.datetime(2026, 2, 1, 9)])
def test_a_measurement_needs_a_date(date: object) -> None:
    assert problems(42, date) == ["date: Give the date of the measurement."]


def test_a_second_measurement_for_a_date_is_refused() -> None:
    saved = [Measurement(day(40), 30, id="m1"), Measurement(day(41), 31, id="m2")]
    assert problems(42, day(40), others=saved) == [
        "date: There is already a measurement on Feb 10, 2026; change that one instead."]
    # Editing that measurement keeps its date.
    assert problems(42, day(40), others=saved, editing="m1") == []
    assert problems(42, day(41), others=saved, editing="m1") != []
    # Both problems at once.
    assert len(problems("x", day(40), others=saved)) == 2


def test_parse_value_reads_numbers_as_the_language_writes_them() -> None:
    assert parse_value("1,234.5") == 1234.5 and parse_value(" 42 ") == 42
    i18n.set_language("da")
    assert parse_value("1.234,5") == 1234.5
    i18n.set_language("fr")
    assert parse_value("1\u202f234,5") == 1234.5
    with pytest.raises(ValueError) as info:
        parse_value("beaucoup")
    assert str(info.value) == "«\xa0beaucoup\xa0» n'est pas un nombre."
    with pytest.raises(ValueError):
        parse_value("")


def test_kpi_from_record_values() -> None:
    kpi = Kpi.from_values({"name": "Trips", "baseline": 5, "baseline_date": START,
                           "target": 2, "target_date": END, "direction": "lower",
                           "notes": "ignored"})
    assert kpi.direction is Direction.LOWER and kpi.baseline == 5 and kpi.name == "Trips"
    assert Kpi.from_values({"direction": ""}).direction is Direction.HIGHER
    assert Kpi.from_values({"direction": "sideways"}).direction is Direction.HIGHER


# --- the sparkline ----------------------------------------------------------------------------

def test_sparkline_points_are_normalised() -> None:
    line = sparkline(UP, [Measurement(day(25), 20), Measurement(day(50), 60),
                          Measurement(day(50), 50)])
    assert line.points == ((0.25, 0.2), (0.5, 0.5))
    assert line.plan == ((0, 0), (1, 1)) and line.target == 1
    # Lower is better: the target is drawn low.
    down = sparkline(DOWN, [Measurement(day(50), 150)])
    assert down.points == ((0.5, 0.5),) and down.plan == ((0, 1), (1, 0))
    assert down.target == 0


def test_sparkline_edges() -> None:
    assert sparkline(Kpi(), []) == sparkline(Kpi(), [Measurement(day(1), math.nan)])
    assert sparkline(Kpi(), []).points == ()
    alone = sparkline(Kpi(), [Measurement(day(1), 7)])
    assert alone.points == ((0.5, 0.5),) and alone.plan is None and alone.target is None
    # A measurement before the baseline widens the chart; a flat series sits in the middle.
    flat = Kpi(baseline=3, baseline_date=START, target=3, target_date=day(30))
    chart = sparkline(flat, [Measurement(day(-10), 3), Measurement(day(30), 3)])
    assert chart.points == ((0, 0.5), (1, 0.5))
    assert chart.plan == ((0.25, 0.5), (1, 0.5))


def test_the_expected_value_is_as_precise_as_the_figures_and_one_decimal_more() -> None:
    counts = Kpi(baseline=400, baseline_date=START, target=500, target_date=day(3),
                 unit="cyclists")
    result = status(counts, [Measurement(day(1), 430)], today=day(1))
    assert result.expected is not None and round(result.expected, 3) == 433.333
    assert "the 433.3\xa0cyclists that the line expects" in result.explanation
    share = Kpi(baseline=10.25, baseline_date=START, target=11, target_date=day(3))
    result = status(share, [Measurement(day(1), 10.3)], today=day(1))
    assert "behind the 10.5 that the line expects" in result.explanation
