"""Dates typed on the command line, and "today" (which tests and look-backs can pin)."""

from __future__ import annotations

import datetime as dt
import os
import re

from idmeet.core.diagnostics import IdmeetError
from idmeet.core.rules import today_ordinal

ISO_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# 6-3-2024, 6/3/2024, 6.3.2024, 06-03-24; the year may be left out where a reference day says which
_NUMERIC_RE = re.compile(r"^([0-9]{1,2})([-/.])([0-9]{1,2})(?:\2([0-9]{4}|[0-9]{2}))?$")
# "6 maart 2024", "woensdag 6 mrt. 2024", "6 maart" (an optional weekday, a month name, an optional year)
_WORDS_RE = re.compile(r"^(?:([^\W\d]+),?\s+)?([0-9]{1,2})\s+([^\W\d]+)\.?(?:\s+([0-9]{4}))?$")
# +3, +3d, +2w, +2 weken, +10 dagen
_RELATIVE_RE = re.compile(r"^\+\s*([0-9]{1,4})\s*(d|dag|dagen|day|days|w|wk|week|weken|weeks)?$")
_RELATIVE_WORDS = {
    "vandaag": 0,
    "today": 0,
    "morgen": 1,
    "tomorrow": 1,
    "overmorgen": 2,
    "gisteren": -1,
    "yesterday": -1,
}
DATE_FORMS = "YYYY-MM-DD (2024-03-06), D-M-YYYY (6-3-2024), 6 maart 2024, vandaag, morgen or +2w"


def parse_iso_date(text: str) -> dt.date | None:
    """``2024-06-17`` -> date; None for anything else (including impossible dates)."""
    if not ISO_DATE_RE.match(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def month_numbers() -> dict[str, int]:
    """Month names and abbreviations in Dutch and English (from CLDR) -> 1..12."""
    from babel.dates import get_month_names

    names: dict[str, int] = {}
    for locale in ("nl", "en"):
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=locale).items():
                names[name.lower().rstrip(".")] = number
    return names


def weekday_numbers() -> dict[str, int]:
    """Weekday names and abbreviations in Dutch and English (from CLDR) -> 0 (Monday) .. 6."""
    from babel.dates import get_day_names

    return {
        name.lower().rstrip("."): number
        for locale in ("nl", "en")
        for width in ("wide", "abbreviated")
        for number, name in get_day_names(width, locale=locale).items()
    }


def day_and_month_names(language: str = "nl") -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The weekday names (Monday first) and month names (January first) of a language, from CLDR."""
    from babel.dates import get_day_names, get_month_names

    days, months = get_day_names("wide", locale=language), get_month_names("wide", locale=language)
    return tuple(days[i] for i in range(7)), tuple(months[i] for i in range(1, 13))


def parse_date_text(
    text: str, words: bool = True, *, after: dt.date | None = None, today: dt.date | None = None
) -> dt.date | None:
    """The one reader of dates, for arguments and files alike; None when ``text`` is none.

    ISO (2024-03-06); Dutch numeric (6-3-2024, 6/3/2024, 6.3.2024, 06-03-24: a two-digit
    year is 20YY); with ``words`` month names in Dutch or English, with or without a
    weekday ("woensdag 6 maart 2024", "6 mrt 2024"). A date without a year needs a
    reference: with ``after`` (a meeting's date) it takes the year that puts it on or after
    that day; else, with ``today``, the year that puts it nearest to today. With ``today``
    also "vandaag"/"today", "morgen"/"tomorrow", "overmorgen", "gisteren"/"yesterday" and
    "+N" days or weeks ("+3", "+10d", "+2w", "+2 weken").
    """
    value = " ".join(text.strip().split())
    parsed = parse_iso_date(value)
    if parsed is not None:
        return parsed
    lowered = value.lower()
    if today is not None:
        if lowered in _RELATIVE_WORDS:
            return today + dt.timedelta(days=_RELATIVE_WORDS[lowered])
        relative = _RELATIVE_RE.match(lowered)
        if relative:
            count, unit = int(relative.group(1)), relative.group(2) or "d"
            return today + dt.timedelta(days=count * (7 if unit.startswith("w") else 1))
    year: int | None
    if match := _NUMERIC_RE.match(value):
        day, month = int(match.group(1)), int(match.group(3))
        year = _full_year(match.group(4))
        if match.group(4) is None and match.group(2) == ".":
            return None  # "6.3" is more likely a number than a date
    elif words and (match := _WORDS_RE.match(value)):
        if match.group(1) is not None and match.group(1).lower().rstrip(".") not in weekday_numbers():
            return None
        found = month_numbers().get(match.group(3).lower())
        if found is None:
            return None
        day, month, year = int(match.group(2)), found, _full_year(match.group(4))
    else:
        return None
    if year is None:
        return _year_for(day, month, after, today)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _full_year(text: str | None) -> int | None:
    if text is None:
        return None
    return 2000 + int(text) if len(text) == 2 else int(text)


def _year_for(day: int, month: int, after: dt.date | None, today: dt.date | None) -> dt.date | None:
    """A day and month without a year: on or after ``after``, else nearest to ``today``."""
    reference = after or today
    if reference is None:
        return None
    candidates = []
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:  # 29 February of a year that has none
            continue
    if not candidates:
        return None
    if after is not None:
        later = [c for c in candidates if c >= after]
        return min(later) if later else None
    return min(candidates, key=lambda c: (abs((c - reference).days), c))


def parse_cli_date(text: str, option: str = "date", on: dt.date | None = None) -> dt.date:
    """A date typed on the command line (every form of ``parse_date_text``, relative to
    ``on``, default today); anything else is a clear error."""
    parsed = parse_date_text(text, today=on or today())
    if parsed is not None:
        return parsed
    raise IdmeetError(f"invalid {option} '{text}': write {DATE_FORMS}")


def today() -> dt.date:
    """The current date, or ``$IDMEET_TODAY`` (ISO) when set, for reproducible output."""
    ordinal = today_ordinal()
    if ordinal is None:
        raise IdmeetError(f"invalid IDMEET_TODAY '{os.environ.get('IDMEET_TODAY')}': write YYYY-MM-DD")
    return dt.date.fromordinal(ordinal)
