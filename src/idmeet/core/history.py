"""An action as it was on a past day, from its dated log (``idmeet actions --as-of``).

The commands write a log line for every change of status, owner and due date (see
``core.words.LOG``, in Dutch or English). Looking back to a day, the log lines
after it are left out and the changes they record are undone: a reassignment gives the owners
back ("overgedragen aan X (was Y)"), a new due date the old one ("deadline D (was E)"), and
the status is the one the status lines up to that day leave (an action starts open).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from idmeet.core.model import Action, ActionStatus, LogEntry
from idmeet.core.names import REDACTION_RUN_RE
from idmeet.core.rules import ACTION_STATUSES, OPEN_STATUSES
from idmeet.core.words import LOG

# The first word of a log line that changes the status, in every language -> the new status.
STATUS_WORDS: dict[str, ActionStatus] = {LOG[lang][status]: status for lang in LOG for status in ACTION_STATUSES}


def _lead(key: str) -> str:
    """The words before ``{new}`` of a log line in every language, as a regex alternation."""
    return "|".join(re.escape(LOG[language][key].split(" {new}")[0]) for language in LOG)


_STATUS_RE = re.compile(r"^\s*(" + "|".join(STATUS_WORDS) + r")\s*(?::|$)", re.IGNORECASE)
_REASSIGNED_RE = re.compile(rf"^\s*(?:{_lead('reassigned')})\s+(.+?)\s+\(was\s+(.+)\)\s*$", re.IGNORECASE)
_DUE_RE = re.compile(rf"^\s*(?:{_lead('due')})\s+(\S+)\s+\(was\s+(.+)\)\s*$", re.IGNORECASE)


def status_change(text: str) -> ActionStatus | None:
    """The status a log line sets ("afgerond: bila gehouden" -> "done"), if it sets one."""
    match = _STATUS_RE.match(text)
    return STATUS_WORDS[match.group(1).lower()] if match else None


def split_names(text: str) -> tuple[str, ...]:
    """``"Peter Teesink, 5.1, 2, e"`` -> both names: a redaction mark keeps its commas."""
    names: list[str] = []
    position = 0
    while position < len(text):
        run = REDACTION_RUN_RE.match(text, position)
        if run and run.group(0).strip():
            names.append(run.group(0).strip(" ,"))
            position = run.end()
        else:
            comma = text.find(", ", position)
            end = len(text) if comma < 0 else comma
            names.append(text[position:end].strip())
            position = end
        while position < len(text) and text[position] in ", ":
            position += 1
    return tuple(n for n in names if n)


def _old_due(text: str, current: dt.date | None) -> dt.date | None:
    match = _DUE_RE.match(text)
    if match is None:
        return current
    try:
        return dt.date.fromisoformat(match.group(2).strip())
    except ValueError:
        return None  # "geen deadline" / "no due date"


def action_as_of(action: Action, day: dt.date) -> Action | None:
    """``action`` as it stood at the end of ``day``: None before it was opened; else its log up
    to that day, and the status, owners and due date that log leaves."""
    if action.opened > day:
        return None
    later = [e for e in action.log if e.date > day]
    if not later:
        return action
    kept = tuple(e for e in action.log if e.date <= day)
    owners, due = action.owners, action.due
    for entry in sorted(later, key=lambda e: e.date, reverse=True):  # undo, the latest first
        moved = _REASSIGNED_RE.match(entry.text)
        if moved:
            owners = split_names(moved.group(2)) or owners
        due = _old_due(entry.text, due)
    return dataclasses.replace(action, log=kept, owners=owners, due=due, status=_status(action, kept))


def _status(action: Action, kept: tuple[LogEntry, ...]) -> ActionStatus:
    """The status the log up to a day leaves. A file whose status lines do not lead to its
    status (written by hand) keeps the older rule: closed on its latest log line."""
    ordered = sorted(action.log, key=lambda e: e.date)
    replay: ActionStatus = "open"
    for entry in ordered:
        replay = status_change(entry.text) or replay
    if replay != action.status:  # (only called when some log line is after the day)
        return action.status if action.status in OPEN_STATUSES else "open"
    status: ActionStatus = "open"
    for entry in sorted(kept, key=lambda e: e.date):
        status = status_change(entry.text) or status
    return status
