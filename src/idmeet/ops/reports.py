"""The data behind the reports: plain dicts that templates render and JSON prints."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from idmeet.core.model import Action, Meeting, Repository
from idmeet.core.names import is_redacted
from idmeet.ops.actions import OwnerFilter, is_overdue, owner_names
from idmeet.ops.meetings import meeting_title
from idmeet.ops.render import labels


def _entry(repo: Repository, action: Action, day: dt.date) -> dict[str, Any]:
    latest = action.latest(day)
    return {
        "id": action.id,
        "title": action.title,
        "owner": owner_names(repo, action),
        "status": action.status_on(day),
        "opened": action.opened.isoformat(),
        "age_days": (day - action.opened).days,
        "due": action.due.isoformat() if action.due else None,
        "overdue": is_overdue(action, day),
        "meeting": action.meeting,
        "series": action.series,
        "latest": {"date": latest.date.isoformat(), "text": latest.text} if latest else None,
    }


def open_items(
    repo: Repository, actions: list[Action], as_of: dt.date, series: str | None = None, only: OwnerFilter | None = None
) -> dict[str, Any]:
    """Open actions on ``as_of`` grouped by owner, with counts.

    ``actions`` is every action in scope (after --series/--owner); the open ones are listed,
    the closed ones count toward "closed in the last 30 days". With ``only`` (``--owner``), only
    that owner's group is shown, not those of co-owners.
    """
    open_now = [a for a in actions if a.open_on(as_of)]
    open_now.sort(key=lambda a: (a.due or dt.date.max, a.opened, a.id))
    groups: dict[str, list[dict[str, Any]]] = {}
    for action in open_now:
        for owner in action.owners:
            if only is None or only.matches_name(repo, owner):
                groups.setdefault(repo.display_name(owner), []).append(_entry(repo, action, as_of))
    since = as_of - dt.timedelta(days=30)
    closed = [a for a in actions if a.closed_on and since < a.closed_on <= as_of]
    series_obj = repo.config.get_series(series) if series else None
    return {
        "as_of": as_of.isoformat(),
        "series": series,
        "series_title": series_obj.title if series_obj else None,
        "organisation": repo.config.organisation,
        "summary": {
            "open": len(open_now),
            "overdue": sum(is_overdue(a, as_of) for a in open_now),
            "closed_last_30_days": len(closed),
        },
        "owners": [
            {"owner": owner, "actions": entries}
            for owner, entries in sorted(groups.items(), key=lambda kv: (is_redacted(kv[0]), kv[0].casefold()))
        ],
    }


def _item_order(number: str | None) -> tuple[int, str]:
    if number is None:
        return (10**6, "")
    match = re.match(r"(\d+)(.*)", number)
    return (int(match.group(1)), match.group(2)) if match else (10**6, number)


def short_owner(repo: Repository, name: str) -> str:
    """How the bureau writes an owner in "Acties & afspraken": the first alias ("@Peter")."""
    if is_redacted(name):
        return name
    person = repo.find_person(name)
    if person is None:
        return name
    return person.aliases[0] if person.aliases else person.name


def meeting_actions(repo: Repository, meeting: Meeting) -> dict[str, Any]:
    """The "Acties & afspraken" of one meeting: its actions and decisions, in agenda order."""
    arisen = [a for a in repo.actions if a.meeting == meeting.key]
    # In agenda order, and within an item in the order of its action lines in the minutes.
    line_order = {
        line.action_id: n for n, line in enumerate(x for i in meeting.items for x in i.actions) if line.action_id
    }
    arisen.sort(key=lambda a: (_item_order(a.item), line_order.get(a.id, len(line_order)), a.opened, a.id))
    bullets = [
        {
            "topic": a.title,
            "owners": [short_owner(repo, o) for o in a.owners],
            "text": " ".join(a.description.split("\n\n")[0].split()) if a.description else "",
            "id": a.id,
            "status": a.status,
            "item": a.item,
        }
        for a in arisen
    ]
    agreements = [
        {"topic": item.title, "text": d.text, "item": item.number} for item in meeting.items for d in item.decisions
    ]
    recipients = meeting.attendees or meeting.invitees
    return {
        "meeting": meeting.key,
        "title": meeting_title(repo, meeting),
        "date": meeting.date,
        "location": meeting.location,
        "to": [repo.display_name(n) for n in recipients],
        "sender": repo.display_name(meeting.minute_taker) if meeting.minute_taker else None,
        "organisation": repo.config.organisation,
        "actions": bullets,
        "agreements": agreements,
    }


def agenda_document(repo: Repository, meeting: Meeting) -> dict[str, Any]:
    """What the agenda document template gets (``idmeet render``)."""
    series = repo.config.get_series(meeting.series)
    minute_taker = meeting.minute_taker or (series.minute_taker if series else None)
    invited = [repo.display_name(n) for n in (meeting.invitees or (series.invitees if series else ()))]
    present = [repo.display_name(n) for n in meeting.attendees]
    for names in (invited, present):
        if names and minute_taker:
            shown = repo.display_name(minute_taker)
            marked = next((i for i in range(len(names) - 1, -1, -1) if names[i] == shown), None)
            if marked is None:
                names.append(shown)
                marked = len(names) - 1
            names[marked] = f"{shown} ({labels(repo.config.language)['minutes_by']})"
    default_heading = (
        series.questions_heading
        if series and series.questions_heading
        else {"en": "Questions"}.get(repo.config.language, "Vragen")
    )
    return {
        "meeting": meeting,
        "title": meeting_title(repo, meeting),
        "date": meeting.date,
        "start": meeting.start or (series.start if series else None),
        "end": meeting.end or (series.end if series else None),
        "location": meeting.location or (series.location if series else None),
        "invited": invited,
        "present": present,
        "items": meeting.items,
        "sections": any(i.section for i in meeting.items),
        "questions_heading": default_heading,
        "language": repo.config.language,
    }


def minutes_document(repo: Repository, meeting: Meeting) -> dict[str, Any]:
    """What the minutes template gets (``idmeet report minutes``)."""
    context = agenda_document(repo, meeting)
    by_id = {a.id: a for a in repo.actions}
    items = []
    for item in meeting.items:
        actions = []
        for line in item.actions:
            action = by_id.get(line.action_id or "")
            actions.append(
                {
                    "owner": short_owner(repo, line.owner),
                    "text": line.text,
                    "done": line.done or (action is not None and action.status == "done"),
                    "due": (line.due or (action.due if action else None)),
                    "id": line.action_id,
                }
            )
        items.append(
            {
                "number": item.number,
                "title": item.title,
                "notes": item.notes,
                "decisions": [d.text for d in item.decisions],
                "actions": actions,
                "section": item.section,
            }
        )
    context.update(
        {"items": items, "minute_taker": repo.display_name(meeting.minute_taker) if meeting.minute_taker else None}
    )
    return context
