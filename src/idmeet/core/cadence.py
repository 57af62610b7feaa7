"""When a series meets next: every N weeks on a weekday, a monthly rule, or a list of dates."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator

from idmeet.core.model import Cadence, Series

_HORIZON_DAYS = 3 * 366  # look this far ahead at most


def _monthly(cadence: Cadence, year: int, month: int) -> dt.date:
    """The n-th (or last) weekday of a month."""
    assert cadence.weekday is not None and cadence.monthly_ordinal is not None
    days = [
        d
        for d in calendar.Calendar().itermonthdates(year, month)
        if d.month == month and d.weekday() == cadence.weekday
    ]
    return days[-1] if cadence.monthly_ordinal == -1 else days[cadence.monthly_ordinal - 1]


def _candidates(cadence: Cadence, after: dt.date, anchor: dt.date | None) -> Iterator[dt.date]:
    """Dates of the cadence after ``after``, in order (``anchor``: a past meeting, for the phase)."""
    if cadence.dates:
        yield from (d for d in cadence.dates if d > after)
        return
    if cadence.monthly_ordinal is not None:
        year, month = after.year, after.month
        for _ in range(_HORIZON_DAYS // 28):
            day = _monthly(cadence, year, month)
            if day > after:
                yield day
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return
    assert cadence.every_weeks is not None and cadence.weekday is not None
    step = dt.timedelta(weeks=cadence.every_weeks)
    start = anchor or after
    start += dt.timedelta(days=(cadence.weekday - start.weekday()) % 7)
    if start > after:  # the anchor fixes the phase only: step back to just before ``after``
        start -= step * ((start - after).days // step.days + 1)
    while start <= after:
        start += step
    while start <= after + dt.timedelta(days=_HORIZON_DAYS):
        yield start
        start += step


def next_date(series: Series, after: dt.date, anchor: dt.date | None = None) -> dt.date | None:
    """The first date of the series' cadence after ``after`` that is not skipped."""
    if series.cadence is None:
        return None
    skipped = set(series.skip)
    return next((d for d in _candidates(series.cadence, after, anchor) if d not in skipped), None)


def on_cadence(series: Series, day: dt.date, anchor: dt.date | None = None) -> bool:
    """Is ``day`` a date of the cadence (and not a skipped one)?"""
    if series.cadence is None:
        return True
    return next_date(series, day - dt.timedelta(days=1), anchor) == day
