"""Typed reading of frontmatter values, collecting problems instead of raising.

A ``Fields`` wraps one loaded mapping (from :mod:`idmeet.parser.yamlio`) and turns its values into
dates, times, names and enums, adding a ``Diagnostic`` at the value's line for each one
that is missing or malformed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any, TypeVar

from idmeet.core.dates import ISO_DATE_RE, parse_iso_date
from idmeet.core.diagnostics import Diagnostic, Severity
from idmeet.parser.yamlio import LDict, LList, line_of

Word = TypeVar("Word", bound=str)  # one of a fixed set of words: a status (a Literal type)
TIME_RE = re.compile(r"^([0-9]{1,2})[:.]([0-9]{2})$")


def date_hint(raw: str) -> str:
    """Why ``raw`` is not a date: the form is wrong, or the day does not exist."""
    return "(no such day)" if ISO_DATE_RE.match(raw) else "(write YYYY-MM-DD)"


def parse_time(text: str) -> str | None:
    """``16:00`` or ``16.00`` -> ``"16:00"``; None when not a time of day."""
    match = TIME_RE.match(text.strip())
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    return "text"


class Fields:
    """Typed access to one frontmatter mapping; problems go to ``self.problems``."""

    def __init__(self, data: LDict, path: str, problems: list[Diagnostic]) -> None:
        self.data = data
        self.path = path
        self.problems = problems
        self.element_lines: dict[str, int] = {}

    def key_lines(self) -> dict[str, int]:
        """The line of every key, and of every list element as ``key.N``."""
        return {**self.data.key_lines, **self.element_lines}

    def line(self, key: str) -> int:
        return self.data.line_of(key)

    def error(self, line: int, message: str, severity: Severity = "error") -> None:
        self.problems.append(Diagnostic(self.path, line, message, severity))

    def _missing(self, key: str) -> None:
        if key in self.data:
            self.error(self.line(key), f"'{key}' is empty")
        else:
            self.error(self.data.line, f"missing required key '{key}'")

    def present(self, key: str) -> bool:
        return self.data.get(key) is not None

    def text(self, key: str, required: bool = False) -> str | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self._missing(key)
            return None
        if isinstance(value, str):
            if required and not value.strip():
                self.error(self.line(key), f"'{key}' is empty")
                return None
            return str(value).strip()
        self.error(self.line(key), f"'{key}' must be text, not {_kind(value)}")
        return None

    def date(self, key: str, required: bool = False) -> dt.date | None:
        raw = self.text(key, required)
        if raw is None:
            return None
        parsed = parse_iso_date(raw)
        if parsed is None:
            self.error(self.line(key), f"'{key}' is not a valid date: '{raw}' {date_hint(raw)}")
        return parsed

    def time(self, key: str) -> str | None:
        raw = self.text(key)
        if raw is None:
            return None
        parsed = parse_time(raw)
        if parsed is None:
            self.error(self.line(key), f"'{key}' is not a valid time: '{raw}' (write HH:MM, e.g. 16:00)")
        return parsed

    def choice(
        self,
        key: str,
        allowed: Sequence[Word],
        default: Word | None = None,
        required: bool = False,
        aliases: dict[str, str] | None = None,
    ) -> Word | None:
        """One of ``allowed`` (a status: a Literal type), narrowed from the file's text; anything
        else is reported and gives ``default``."""
        raw = self.text(key, required)
        if raw is None:
            return default
        value = raw.lower()
        if aliases:
            value = aliases.get(value, value)
        found = next((word for word in allowed if word == value), None)
        if found is None:
            self.error(self.line(key), f"'{key}' must be one of {', '.join(allowed)}, not '{raw}'")
            return default
        return found

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        self.error(self.line(key), f"'{key}' must be true or false, not '{value}'")
        return default

    def whole_number(self, key: str, minimum: int = 1) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, str) and value.strip().isdigit() and int(value) >= minimum:
            return int(value)
        self.error(self.line(key), f"'{key}' must be a whole number of at least {minimum}, not '{value}'")
        return None

    def text_list(self, key: str, required: bool = False) -> tuple[tuple[str, int], ...]:
        """A list of text (one text alone counts as a list of one), each with its line.

        A required list that is empty (``[]``, ``""``, ``" "``) is an error, never an empty
        answer: a record without its owner would otherwise drop out of every listing."""
        value = self.data.get(key)
        if value is None:
            if required:
                self._missing(key)
            return ()
        if isinstance(value, str):
            self.element_lines[f"{key}.0"] = line_of(value, self.line(key))
            if value.strip():
                return ((str(value).strip(), line_of(value, self.line(key))),)
            if required:
                self.error(self.line(key), f"'{key}' is empty")
            return ()
        if not isinstance(value, LList):
            self.error(self.line(key), f"'{key}' must be a list, not {_kind(value)}")
            return ()
        out: list[tuple[str, int]] = []
        for element, element_line in zip(value, value.item_lines):
            if isinstance(element, str) and element.strip():
                self.element_lines[f"{key}.{len(out)}"] = element_line
                out.append((str(element).strip(), element_line))
            elif element is None or isinstance(element, str):
                self.error(element_line, f"'{key}' has an empty entry: remove it or fill it in")
            else:
                self.error(element_line, f"'{key}' entries must be text, not {_kind(element)}")
        if required and not out and len(value) == 0:
            self.error(self.line(key), f"'{key}' is empty")
        return tuple(out)

    def unknown_keys(self, known: Sequence[str]) -> tuple[str, ...]:
        extra = tuple(k for k in self.data if k not in known)
        for key in extra:
            self.error(self.line(key), f"unknown key '{key}' (kept, but idmeet ignores it)", "warning")
        return extra


def mapping_or_problem(value: Any, path: str, line: int, what: str, problems: list[Diagnostic]) -> LDict | None:
    """``value`` when it is a mapping, else a problem that says what was found instead."""
    if isinstance(value, LDict):
        return value
    found = _kind(value)
    problems.append(
        Diagnostic(path, line_of(value, line), f"{what} must be a mapping of 'key: value' lines, not {found}")
    )
    return None
