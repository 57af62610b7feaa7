"""When a series meets next: ``idmeet.core.cadence.next_date`` and ``on_cadence``.

Every expected date below was worked out by hand from a calendar (2024: 1 January is a
Monday; 2024 is a leap year, so 29 February is a Thursday).
"""

from __future__ import annotations

import datetime as dt

import pytest

from idmeet.core.cadence import next_date, on_cadence
from idmeet.core.model import Cadence, Series
from idmeet.store.load import load

from .conftest import EXAMPLE

D = dt.date
MONDAY, FRIDAY = 0, 4


def series(cadence: Cadence | None, skip: tuple[dt.date, ...] = ()) -> Series:
    return Series(key="test", title="Test", cadence=cadence, skip=skip)


# -- every N weeks on a weekday -------------------------------------------------------------

BIWEEKLY = series(Cadence(every_weeks=2, weekday=MONDAY))
ANCHOR = D(2024, 3, 4)  # a Monday: the meetings are 4 Mar, 18 Mar, 1 Apr, 15 Apr ...


@pytest.mark.parametrize(
    "after,expected",
    [
        (D(2024, 3, 4), D(2024, 3, 18)),  # strictly after: the anchor itself is not "next"
        (D(2024, 3, 10), D(2024, 3, 18)),  # Monday 11 Mar is a Monday, but off the 2-week phase
        (D(2024, 3, 17), D(2024, 3, 18)),
        (D(2024, 3, 18), D(2024, 4, 1)),
        (D(2024, 12, 20), D(2024, 12, 23)),  # 4 Mar + 42 weeks = 23 Dec
        (D(2024, 12, 23), D(2025, 1, 6)),  # across the year boundary
    ],
)
def test_every_two_weeks_on_monday_from_an_anchor(after: dt.date, expected: dt.date) -> None:
    assert next_date(BIWEEKLY, after, ANCHOR) == expected
    assert expected.weekday() == MONDAY


@pytest.mark.parametrize(
    "day,expected",
    [
        (D(2024, 3, 4), True),
        (D(2024, 3, 18), True),
        (D(2024, 4, 1), True),
        (D(2024, 3, 11), False),  # a Monday, but the week between two meetings
        (D(2024, 3, 19), False),  # a Tuesday
        (D(2025, 1, 6), True),
    ],
)
def test_on_cadence_every_two_weeks(day: dt.date, expected: bool) -> None:
    assert on_cadence(BIWEEKLY, day, ANCHOR) is expected


def test_every_week_without_an_anchor_takes_the_first_weekday_after() -> None:
    weekly_friday = series(Cadence(every_weeks=1, weekday=FRIDAY))
    assert next_date(weekly_friday, D(2024, 3, 10)) == D(2024, 3, 15)
    assert next_date(weekly_friday, D(2024, 3, 15)) == D(2024, 3, 22)
    assert next_date(weekly_friday, D(2024, 12, 28)) == D(2025, 1, 3)


def _reference_next(weeks: int, anchor: dt.date, after: dt.date, skip: set[dt.date]) -> dt.date:
    """Brute force: the first day after ``after`` on the anchor's phase, not skipped."""
    day = after + dt.timedelta(days=1)
    while (day - anchor).days % (7 * weeks) or day in skip:
        day += dt.timedelta(days=1)
    return day


@pytest.mark.parametrize(
    "after",
    [
        D(2024, 6, 17),
        D(2024, 6, 20),
        D(2024, 9, 9),
        D(2024, 12, 1),
        D(2025, 3, 1),
        # Before the anchor: the phase runs backwards too. The example repository's comment
        # lists 12 Feb, 25 Mar and 6 May 2024 as dates of the steering group's cadence,
        # although its only recorded meeting (the anchor) is 17 Jun.
        D(2024, 2, 1),
        D(2024, 5, 1),
    ],
)
def test_every_six_weeks_matches_a_brute_force_reference(after: dt.date) -> None:
    anchor = D(2024, 6, 17)
    six_weekly = series(Cadence(every_weeks=6, weekday=MONDAY), skip=(D(2024, 7, 29),))
    assert next_date(six_weekly, after, anchor) == _reference_next(6, anchor, after, {D(2024, 7, 29)})


def test_a_date_before_the_anchor_is_on_the_cadence() -> None:
    # 6 May 2024 is 6 weeks before 17 Jun 2024 (the anchor): a meeting date of the cadence
    # ("12 Feb, 25 Mar, 6 May, 17 Jun ..." in meetings/idmeet.yaml).
    six_weekly = series(Cadence(every_weeks=6, weekday=MONDAY))
    anchor = D(2024, 6, 17)
    assert on_cadence(six_weekly, D(2024, 5, 6), anchor) is True
    assert on_cadence(six_weekly, D(2024, 2, 12), anchor) is True
    assert on_cadence(six_weekly, D(2024, 5, 13), anchor) is False
    assert next_date(six_weekly, D(2024, 5, 1), anchor) == D(2024, 5, 6)


# -- monthly: "second monday", "last friday" -------------------------------------------------

SECOND_MONDAY = series(Cadence(monthly_ordinal=2, weekday=MONDAY))
LAST_FRIDAY = series(Cadence(monthly_ordinal=-1, weekday=FRIDAY))


@pytest.mark.parametrize(
    "after,expected",
    [
        (D(2024, 1, 1), D(2024, 1, 8)),  # 1 Jan 2024 is itself a Monday: the second is the 8th
        (D(2024, 1, 8), D(2024, 2, 12)),  # across a month boundary
        (D(2024, 2, 12), D(2024, 3, 11)),
        (D(2024, 6, 30), D(2024, 7, 8)),  # 1 Jul 2024 is a Monday too
        (D(2024, 12, 9), D(2025, 1, 13)),  # across the year boundary (6 Jan 2025 is the first)
        (D(2024, 12, 31), D(2025, 1, 13)),
    ],
)
def test_monthly_second_monday(after: dt.date, expected: dt.date) -> None:
    assert next_date(SECOND_MONDAY, after) == expected


@pytest.mark.parametrize(
    "after,expected",
    [
        (D(2024, 1, 31), D(2024, 2, 23)),  # 29 Feb 2024 is a Thursday: the last Friday is the 23rd
        (D(2024, 5, 30), D(2024, 5, 31)),
        (D(2024, 5, 31), D(2024, 6, 28)),
        (D(2024, 11, 29), D(2024, 12, 27)),
        (D(2024, 12, 27), D(2025, 1, 31)),  # across the year boundary
    ],
)
def test_monthly_last_friday(after: dt.date, expected: dt.date) -> None:
    assert next_date(LAST_FRIDAY, after) == expected


def test_on_cadence_monthly() -> None:
    assert on_cadence(SECOND_MONDAY, D(2024, 2, 12)) is True
    assert on_cadence(SECOND_MONDAY, D(2024, 2, 5)) is False  # the first Monday
    assert on_cadence(SECOND_MONDAY, D(2025, 1, 13)) is True
    assert on_cadence(LAST_FRIDAY, D(2024, 5, 31)) is True
    assert on_cadence(LAST_FRIDAY, D(2024, 5, 24)) is False  # the fourth, not the last
    assert on_cadence(LAST_FRIDAY, D(2024, 2, 23)) is True


# -- an explicit list of dates ----------------------------------------------------------------

LISTED = series(Cadence(dates=(D(2024, 2, 5), D(2024, 3, 6), D(2024, 4, 8), D(2024, 9, 2))))


@pytest.mark.parametrize(
    "after,expected",
    [
        (D(2024, 1, 1), D(2024, 2, 5)),
        (D(2024, 2, 5), D(2024, 3, 6)),
        (D(2024, 3, 6), D(2024, 4, 8)),
        (D(2024, 3, 10), D(2024, 4, 8)),
        (D(2024, 4, 8), D(2024, 9, 2)),  # the gap of the summer recess
        (D(2024, 9, 2), None),  # the list has run out
    ],
)
def test_explicit_dates(after: dt.date, expected: dt.date | None) -> None:
    assert next_date(LISTED, after) == expected


def test_on_cadence_explicit_dates() -> None:
    assert on_cadence(LISTED, D(2024, 3, 6)) is True
    assert on_cadence(LISTED, D(2024, 3, 7)) is False
    assert on_cadence(LISTED, D(2024, 9, 3)) is False


# -- skipped dates ----------------------------------------------------------------------------


def test_a_skipped_date_moves_to_the_next_date_of_the_cadence() -> None:
    six_weekly = series(Cadence(every_weeks=6, weekday=MONDAY), skip=(D(2024, 7, 29),))
    anchor = D(2024, 6, 17)
    # 17 Jun + 6 weeks = 29 Jul (skipped: summer recess) -> 29 Jul + 6 weeks = 9 Sep.
    assert next_date(six_weekly, D(2024, 6, 17), anchor) == D(2024, 9, 9)
    assert on_cadence(six_weekly, D(2024, 7, 29), anchor) is False
    assert on_cadence(six_weekly, D(2024, 9, 9), anchor) is True


def test_two_skipped_dates_in_a_row() -> None:
    biweekly = series(Cadence(every_weeks=2, weekday=MONDAY), skip=(D(2024, 3, 18), D(2024, 4, 1)))
    assert next_date(biweekly, D(2024, 3, 4), ANCHOR) == D(2024, 4, 15)


def test_skip_with_a_monthly_rule_and_with_listed_dates() -> None:
    monthly = series(Cadence(monthly_ordinal=2, weekday=MONDAY), skip=(D(2025, 1, 13),))
    assert next_date(monthly, D(2024, 12, 9)) == D(2025, 2, 10)
    listed = series(LISTED.cadence, skip=(D(2024, 4, 8),))
    assert next_date(listed, D(2024, 3, 6)) == D(2024, 9, 2)
    assert on_cadence(listed, D(2024, 4, 8)) is False


def test_skipping_the_last_listed_date_leaves_none() -> None:
    listed = series(LISTED.cadence, skip=(D(2024, 9, 2),))
    assert next_date(listed, D(2024, 4, 8)) is None


# -- no cadence -------------------------------------------------------------------------------


def test_no_cadence() -> None:
    none = series(None)
    assert next_date(none, D(2024, 3, 10)) is None
    assert next_date(none, D(2024, 3, 10), D(2024, 3, 4)) is None
    # Without a cadence no date is off it: any date is accepted without a warning.
    assert on_cadence(none, D(2024, 3, 12)) is True


# -- the example repository's series, as idmeet.yaml spells them -----------------------------


def test_example_repository_cadences() -> None:
    repo, problems = load(EXAMPLE)
    assert not [p for p in problems if p.severity == "error"]
    stuurgroep = repo.config.get_series("stuurgroep")
    voortgang = repo.config.get_series("voortgangsoverleg")
    assert stuurgroep is not None and voortgang is not None
    assert stuurgroep.cadence == Cadence(every_weeks=6, weekday=MONDAY)
    assert stuurgroep.skip == (D(2024, 7, 29),)
    # every 6 weeks from 17 Jun: 29 Jul is the recess, so 9 Sep.
    assert next_date(stuurgroep, D(2024, 6, 17), D(2024, 6, 17)) == D(2024, 9, 9)
    # the listed dates: after 6 Mar comes 8 Apr; after 1 Jul the recess, then 2 Sep.
    assert next_date(voortgang, D(2024, 3, 6)) == D(2024, 4, 8)
    assert next_date(voortgang, D(2024, 7, 1)) == D(2024, 9, 2)
