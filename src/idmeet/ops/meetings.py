"""Look-ups on a loaded repository that commands share: series, meetings by key or prefix."""

from __future__ import annotations

import datetime as dt
from typing import Any

from idmeet.core.diagnostics import Diagnostic, IdmeetError
from idmeet.core.model import Meeting, Repository, Series
from idmeet.core.names import suggest
from idmeet.core.words import ATTACHMENT, labels


def require_series(repo: Repository, key: str) -> Series:
    """The series ``key``, or an error that lists the known ones."""
    series = repo.config.get_series(key)
    if series is None:
        known = [s.key for s in repo.config.series]
        hint = suggest(key, known)
        raise IdmeetError(f"unknown series '{key}'{hint} (known: {', '.join(known) or 'none'})")
    return series


def _one_of(kind: str, text: str, candidates: list[str]) -> str:
    shown = ", ".join(candidates[:10]) + (" …" if len(candidates) > 10 else "")
    return f"'{text}' matches {len(candidates)} {kind}s: {shown}; give more of it"


def find_meeting(
    repo: Repository, text: str, problems: list[Diagnostic] | None = None, today: dt.date | None = None
) -> Meeting:
    """The meeting named by ``text``: ``<series>/<date>``, its file path, a unique prefix of
    either, a date alone when one meeting has it, a Dutch date (``voortgangsoverleg/6-3-2024``,
    ``6 maart 2024``), or ``<series>/latest`` (the last meeting on or before today) and
    ``<series>/next`` (the first one after today)."""
    key = text.strip().removeprefix("./").removesuffix(".md")
    exact = repo.get_meeting(key)
    if exact is not None:
        return exact
    matches = [m for m in repo.meetings if m.key.startswith(key)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise IdmeetError(_one_of("meeting", text, [m.key for m in matches]))
    by_reference = _by_reference(repo, key, today)
    if by_reference is not None:
        return by_reference
    broken = [p for p in problems or () if p.path == f"{key}.md" and p.severity == "error"]
    if broken:
        raise IdmeetError(f"meeting '{key}' cannot be read: {broken[0].format()} (run 'idmeet check')")
    hint = suggest(key, [m.key for m in repo.meetings])
    raise IdmeetError(f"unknown meeting '{text}'{hint} (list them with 'idmeet meetings')")


def _by_reference(repo: Repository, key: str, today: dt.date | None) -> Meeting | None:
    """``SERIES/latest``, ``SERIES/next``, or a date in any written form (with or without its
    series); None when ``key`` is none of these."""
    from idmeet.core.dates import parse_date_text
    from idmeet.core.dates import today as current_day

    series_key, _, rest = key.rpartition("/")
    if series_key and repo.config.get_series(series_key) is None:
        return None  # reported as an unknown meeting, with a hint
    candidates = [m for m in repo.meetings if not series_key or m.series == series_key]
    word = rest.strip().lower()
    if word in ("latest", "laatste", "next", "volgende"):
        if not series_key:
            raise IdmeetError(f"'{rest}' needs its series: write '<series>/{rest}'")
        day = today or current_day()
        if word in ("latest", "laatste"):
            past = [m for m in candidates if m.date <= day]
            if not past:
                raise IdmeetError(f"series '{series_key}' has no meeting on or before {day.isoformat()}")
            return max(past, key=lambda m: m.date)
        coming = [m for m in candidates if m.date > day]
        if not coming:
            raise IdmeetError(
                f"series '{series_key}' has no meeting file after {day.isoformat()}: "
                f"make the next one with 'idmeet new-agenda {series_key}'"
            )
        return min(coming, key=lambda m: m.date)
    date = parse_date_text(rest, today=today or current_day())
    if date is None:
        return None
    on_day = [m for m in candidates if m.date == date]
    if len(on_day) == 1:
        return on_day[0]
    if on_day:
        raise IdmeetError(_one_of("meeting", key, [m.key for m in on_day]))
    return None  # no meeting that day: reported as an unknown meeting


def meeting_title(repo: Repository, meeting: Meeting) -> str:
    series = repo.config.get_series(meeting.series)
    return meeting.title or (series.title if series else meeting.series)


def meeting_as_dict(repo: Repository, meeting: Meeting) -> dict[str, Any]:
    """The JSON shape of ``idmeet show``: header fields and items (see docs/format.md)."""
    return {
        "meeting": meeting.key,
        "series": meeting.series,
        "title": meeting_title(repo, meeting),
        "date": meeting.date.isoformat(),
        "start": meeting.start,
        "end": meeting.end,
        "location": meeting.location,
        "status": meeting.status,
        "invitees": [repo.display_name(n) for n in meeting.invitees],
        "attendees": [repo.display_name(n) for n in meeting.attendees],
        "minute_taker": repo.display_name(meeting.minute_taker) if meeting.minute_taker else None,
        "items": [
            {
                "number": item.number,
                "title": item.title,
                "category": item.category,
                "section": item.section,
                "duration": item.duration,
                "status": item.status,
                "attachments": [
                    {
                        "label": a.label,
                        "title": a.title,
                        "confidential": a.confidential,
                        **({"file": a.link} if a.link else {}),
                    }
                    for a in item.attachments
                ],
                "questions_heading": item.questions_heading,
                "questions": [q.text for q in item.questions],
                "text": item.text,
                "decisions": [d.text for d in item.decisions],
                "actions": [
                    {
                        "owner": repo.display_name(a.owner),
                        "owners": [repo.display_name(o) for o in a.owners],
                        "text": a.text,
                        "done": a.done,
                    }
                    for a in item.actions
                ],
            }
            for item in meeting.items
        ],
    }


def meeting_as_markdown(repo: Repository, meeting: Meeting) -> str:
    """A readable summary of one meeting for the terminal (``idmeet show``)."""
    dutch = labels("nl")  # attachments, questions and decisions in the words of the meeting file
    lines = [f"# {meeting_title(repo, meeting)}", ""]
    when = meeting.date.isoformat()
    if meeting.start:
        when += f", {meeting.start}" + (f"-{meeting.end}" if meeting.end else "")
    lines.append(f"- Meeting: {meeting.key} ({meeting.status})")
    lines.append(f"- Date and time: {when}")
    if meeting.location:
        lines.append(f"- Location: {meeting.location}")
    for label, names in (("Invitees", meeting.invitees), ("Attendees", meeting.attendees)):
        if names:
            lines.append(f"- {label}: {', '.join(repo.display_name(n) for n in names)}")
    if meeting.minute_taker:
        lines.append(f"- Minute-taker: {repo.display_name(meeting.minute_taker)}")
    section = None
    for item in meeting.items:
        if item.section != section and item.section:
            lines += ["", f"## {item.section}"]
        section = item.section
        extra = [x for x in (item.category, f"{item.duration} min." if item.duration else None, item.status) if x]
        lines += ["", f"### {item.number}. {item.title}" + (f" ({'; '.join(extra)})" if extra else "")]
        for a in item.attachments:
            marker = f" ({dutch['confidential']})" if a.confidential else ""
            lines.append(f"- {ATTACHMENT} {a.label}: {a.title}{marker}")
        if item.questions:
            lines.append(f"- {item.questions_heading or dutch['questions']}:")
            lines += [f"  - {q.text.splitlines()[0]}" + (" …" if "\n" in q.text else "") for q in item.questions]
        for d in item.decisions:
            lines.append(f"- {dutch['decision']}: {d.text}")
        for action in item.actions:
            tick = "x" if action.done else " "
            owners = " ".join(f"@{repo.display_name(o)}" for o in action.owners)
            lines.append(f"- [{tick}] {owners} {action.text}")
    return "\n".join(lines) + "\n"
