"""Dates typed on the command line, and "today" (which tests and look-backs can pin)."""

from __future__ import annotations

import datetime as dt
import os
import re

from idmeet.core.diagnostics import IdmeetError
from idmeet.core.rules import today_ordinal

ISO_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DUTCH_RE = re.compile(r"^([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})$")
_WORDS_RE = re.compile(r"^([0-9]{1,2})\s+([^\W\d]+)\.?\s+([0-9]{4})$")


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


def parse_date_text(text: str, words: bool = False) -> dt.date | None:
    """ISO (2024-03-06), Dutch (6-3-2024, 06-03-2024), and with ``words`` "6 maart 2024"."""
    value = text.strip()
    parsed = parse_iso_date(value)
    if parsed is not None:
        return parsed
    match = _DUTCH_RE.match(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
    elif words and (match := _WORDS_RE.match(value)):
        found = month_numbers().get(match.group(2).lower())
        if found is None:
            return None
        day, month, year = int(match.group(1)), found, int(match.group(3))
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_cli_date(text: str, option: str = "date") -> dt.date:
    """ISO (2024-03-06) or Dutch (6-3-2024, 06-03-2024); anything else is a clear error."""
    parsed = parse_date_text(text)
    if parsed is not None:
        return parsed
    raise IdmeetError(f"invalid {option} '{text}': write YYYY-MM-DD (2024-03-06) or D-M-YYYY (6-3-2024)")


def today() -> dt.date:
    """The current date, or ``$IDMEET_TODAY`` (ISO) when set, for reproducible output."""
    ordinal = today_ordinal()
    if ordinal is None:
        raise IdmeetError(f"invalid IDMEET_TODAY '{os.environ.get('IDMEET_TODAY')}': write YYYY-MM-DD")
    return dt.date.fromordinal(ordinal)
