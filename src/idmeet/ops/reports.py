"""The data behind the reports: plain dicts that templates render and JSON prints."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from idmeet.core.breaks import one_line, strip_line_ends
from idmeet.core.model import Action, AgendaItem, Meeting, Repository, Style
from idmeet.core.names import is_redacted
from idmeet.core.rules import OPEN_STATUSES
from idmeet.core.words import CATEGORY_HEADINGS, labels, pick
from idmeet.ops.actions import OwnerFilter, actions_as_of, is_overdue, owner_names, resolve_owner
from idmeet.ops.meetings import meeting_title
from idmeet.store.summary import NO_DUE

if TYPE_CHECKING:
    from idmeet.store.snapshot import ActionKey


def open_items_reads(as_of: dt.date, series: str | None = None) -> Callable[[ActionKey], bool]:
    """The actions ``open_items`` on ``as_of`` can use, by their snapshot keys (``store.load``'s
    ``pick_actions``): of ``series`` when given, and not closed (with a log line) 30 days or
    more before ``as_of``: such an action was neither open then nor closed in the 30 days."""
    since = (as_of - dt.timedelta(days=30)).toordinal()

    def pick(key: ActionKey) -> bool:
        _, of_series, _, status, last = key
        return (series is None or of_series == series) and (status in OPEN_STATUSES or last == 0 or last > since)

    return pick


def meeting_document_reads(document: str, meeting: Meeting) -> Callable[[ActionKey], bool] | None:
    """The actions a document about ``meeting`` reads, by their snapshot keys
    (``store.load.with_actions_of``): for "actions" those that arose in it, for "minutes"
    those its action lines name; None for the agenda, which reads no action."""
    if document == "agenda":
        return None
    if document == "actions":
        key = meeting.key
        return lambda k: k[2] == key
    ids = {line.action_id for item in meeting.items for line in item.actions if line.action_id}
    return lambda k: k[0] in ids


def _meeting_words(repo: Repository, key: str | None) -> str | None:
    """The title of the series of meeting ``key`` ("Voortgangsoverleg inclusie en diversiteit")."""
    if not key:
        return None
    series = repo.config.get_series(key.split("/", 1)[0])
    return series.title if series else key.split("/", 1)[0]


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
        "meeting_title": _meeting_words(repo, action.meeting),
        "meeting_date": action.meeting.rsplit("/", 1)[-1] if action.meeting else None,
        "series": action.series,
        "latest": {"date": latest.date.isoformat(), "text": latest.text} if latest else None,
    }


def open_items_scope(
    repo: Repository, series: str | None = None, owner: str | None = None
) -> tuple[list[Action], OwnerFilter | None]:
    """What an open-item report of ``series`` (all when None) and ``owner`` reads: the actions
    of the series, and the filter of ``owner``, which ``open_items`` applies to each action as
    it was on the report's day (not as it is now: it may have been reassigned since). An
    unknown series or owner is an error."""
    from idmeet.ops.meetings import require_series

    scope = list(repo.actions)
    if series:
        require_series(repo, series)
        scope = [a for a in scope if a.series == series]
    return scope, resolve_owner(repo, owner) if owner else None


def open_items(
    repo: Repository, actions: list[Action], as_of: dt.date, series: str | None = None, only: OwnerFilter | None = None
) -> dict[str, Any]:
    """Open actions on ``as_of`` grouped by owner, with counts.

    ``actions`` is every action in scope (after --series/--owner); the open ones are listed,
    the closed ones count toward "closed in the last 30 days". With ``only`` (``--owner``), only
    that owner's actions count and only their group is shown, not those of co-owners. Each
    action counts as it was on ``as_of``: its status, owners, due date and log of that day.
    """
    actions = actions_as_of(actions, as_of)
    if only is not None:
        actions = [a for a in actions if only.matches(repo, a)]
    open_now = [a for a in actions if a.open_on(as_of)]
    # As `actions --sort due` (``summary.order_key``): due date (none last), opened, id.
    open_now.sort(key=lambda a: (a.due.toordinal() if a.due else NO_DUE, a.opened.toordinal(), a.id))
    groups: dict[str, list[dict[str, Any]]] = {}
    for action in open_now:
        entry = None  # the same for each of its owners: made once
        for owner in action.owners:
            if only is None or only.matches_name(repo, owner):
                entry = entry or _entry(repo, action, as_of)
                groups.setdefault(repo.display_name(owner), []).append(entry)
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


def open_item_markdown(a: Mapping[str, Any], t: Mapping[str, str], day: Callable[[str], str]) -> str:
    """One entry of ``open_items`` in Markdown (the ``open_item_md`` filter of
    ``open-items.md.j2``): the bullet, then its latest state. In Python, not in the template:
    a report of thousands of entries made twenty template lookups for each. ``t``: the
    labels; ``day``: an ISO date in words."""
    parts = [f"- **{a['title']}**"]
    if a["status"] == "waiting":
        parts.append(f" ({t['waiting']})")
    days = a["age_days"]
    parts.append(f": {days} {t['day_open'] if days == 1 else t['days_open']}")
    if a["due"]:
        parts.append(f", {t['due']} {day(a['due'])}")
        if a["overdue"]:
            parts.append(f" **{t['overdue']}**")
    if a["meeting"]:
        parts.append(f", {t['from_meeting']} {a['meeting_title']} {t['of']} {day(a['meeting_date'])}")
    parts.append("\n")
    if a["latest"]:
        parts.append(f"\n  {t['col_latest']} ({day(a['latest']['date'])}): {a['latest']['text']}\n\n")
    return "".join(parts)


def open_item_html(a: Mapping[str, Any], t: Mapping[str, str], day: Callable[[str], str]) -> str:
    """One entry of ``open_items`` as a table row of ``open-items.html.j2`` (its
    ``open_item_row`` filter), every value escaped as the template's autoescape does."""
    from markupsafe import escape

    def e(value: Any) -> str:
        return str(escape(value))

    waiting = f" ({e(t['waiting'])})" if a["status"] == "waiting" else ""
    due = e(day(a["due"])) if a["due"] else ""
    late = f" ({e(t['overdue'])})" if a["overdue"] else ""
    origin = f"{e(a['meeting_title'])} {e(t['of'])} {e(day(a['meeting_date']))}" if a["meeting"] else ""
    latest = f"{e(day(a['latest']['date']))}: {e(a['latest']['text'])}" if a["latest"] else ""
    marked = ' class="overdue"' if a["overdue"] else ""
    return (
        f"<tr>\n<td>{e(a['title'])}{waiting}</td>\n<td>{e(a['age_days'])}</td>\n"
        f"<td{marked}>{due}{late}</td>\n<td>{origin}</td>\n<td>{latest}</td>\n</tr>\n"
    )


def item_order(number: str | None) -> tuple[int, str]:
    """Sort key of an item number: "2" < "3" < "3a" < "10"; no number last."""
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


def _one_line(text: str) -> str:
    """The text on one line, but for its hard breaks (``core.breaks.one_line``)."""
    return one_line(text)


def _without_topic(text: str, topic: str) -> str:
    """Minutes that begin with the item's title ("Inzet 5.1, 2, e wordt gecontinueerd"): the
    bold topic stands for it, as in the bureau's "Acties & afspraken"."""
    if text.casefold().startswith(topic.casefold()):
        rest = text[len(topic) :]
        if rest[:1] in (" ", ":", ",") and rest.strip(" :,"):
            return rest.strip(" :,")
    return text


def _item_parts(repo: Repository, item: AgendaItem, extra: list[Action]) -> list[str]:
    """What one item's bullet says, in the order of the minutes: its minutes paragraphs, its
    decisions, and each action line as "@owner task"; then actions of the item that have no
    line in the minutes (``extra``)."""
    parts: list[tuple[int, int, str]] = []
    paragraphs = [p for p in without_comments(item.notes).split("\n\n") if p.strip()]
    lines = list(item.note_lines) if len(item.note_lines) == len(paragraphs) else [item.source.line] * len(paragraphs)
    for n, (para, line) in enumerate(zip(paragraphs, lines)):
        if para.lstrip().startswith("#"):
            continue  # a sub-heading of the minutes
        parts.append((line, n, _one_line(para)))
    for decision in item.decisions:
        parts.append((decision.source.line, 0, _one_line(decision.text)))
    for task in item.actions:
        owners = " ".join(f"@{short_owner(repo, o)}" for o in task.owners)
        parts.append((task.source.line, 0, f"{owners} {_one_line(task.text)}"))
    parts.sort(key=lambda p: (p[0], p[1]))
    texts = [p[2] for p in parts]
    for action in extra:
        owners = " ".join(f"@{short_owner(repo, o)}" for o in action.owners)
        what = _one_line(action.description.split("\n\n")[0]) if action.description else action.title
        texts.append(f"{owners} {what}")
    if texts:
        texts[0] = _without_topic(texts[0], item.title)
    return texts


def meeting_actions(repo: Repository, meeting: Meeting) -> dict[str, Any]:
    """The "Acties & afspraken" of one meeting (seed 004): per item with minutes, in agenda
    order, the topic in bold, then what was agreed and the context from the item's minutes
    and each action with its @owner, in the order the minutes give them. Items with minutes
    but no action are included; an action of the meeting without a line in the minutes
    joins its item (or gets its own bullet)."""
    arisen = [a for a in repo.actions if a.meeting == meeting.key]
    in_minutes = {line.action_id for item in meeting.items for line in item.actions if line.action_id}
    loose = sorted((a for a in arisen if a.id not in in_minutes), key=lambda a: (item_order(a.item), a.opened, a.id))
    numbers = {item.number for item in meeting.items}
    bullets: list[dict[str, Any]] = []
    for item in meeting.items:
        texts = _item_parts(repo, item, [a for a in loose if a.item == item.number])
        if texts:
            bullets.append({"topic": item.title, "text": " ".join(texts), "item": item.number})
    for action in loose:
        if action.item not in numbers:
            owners = " ".join(f"@{short_owner(repo, o)}" for o in action.owners)
            task = _one_line(action.description.split("\n\n")[0]) if action.description else ""
            bullets.append({"topic": action.title, "text": f"{owners} {task}".strip(), "item": action.item})
    # The actions and decisions one by one, for templates that lay them out otherwise.
    line_order = {line.action_id: n for n, line in enumerate(x for i in meeting.items for x in i.actions)}
    arisen.sort(key=lambda a: (item_order(a.item), line_order.get(a.id, len(line_order)), a.opened, a.id))
    actions = [
        {
            "topic": a.title,
            "owners": [short_owner(repo, o) for o in a.owners],
            "text": _one_line(a.description.split("\n\n")[0]) if a.description else "",
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
        "bullets": bullets,
        "actions": actions,
        "agreements": agreements,
    }


COMMENT_RE = re.compile(r"[ \t]*<!--.*?-->", re.DOTALL)


def style_of(repo: Repository, series_key: str) -> Style:
    """The house style of a series (the defaults when the series is unknown)."""
    series = repo.config.get_series(series_key)
    return series.style if series else Style()


def shown_name(repo: Repository, name: str, style: Style) -> str:
    """A name as the series' documents show names: full name, or first name ("Peter")."""
    return short_owner(repo, name) if style.names == "alias" else repo.display_name(name)


def without_comments(text: str) -> str:
    """Markdown text without its HTML comments (ids kept for idmeet are not for readers)."""
    if "<!--" not in text:
        return text
    return "\n".join(strip_line_ends(COMMENT_RE.sub("", text).split("\n"))).strip("\n")


def _people_line(names: list[str], minute_taker: str | None, style: Style, word: str) -> str:
    """ "Peter, 5.1, 2, e (5.1, 2, e verslag)" or "Peter Teesink, 5.1, 2, e (verslag)"."""
    names = list(names)
    if minute_taker and style.minute_taker == "separate":
        return ", ".join(names) + f" ({minute_taker} {word})"
    if minute_taker:
        marked = next((i for i in range(len(names) - 1, -1, -1) if names[i] == minute_taker), None)
        if marked is None:
            names.append(minute_taker)
            marked = len(names) - 1
        names[marked] = f"{minute_taker} ({word})"
    return ", ".join(names)


def _when(day: dt.date, start: str | None, end: str | None, line: str, language: str, year: bool = False) -> str:
    """ "6 maart, 10.30 - 11.45 uur" (date) or "Maandag 17 juni 16.00-17.00 uur" (date_time)."""
    from idmeet.ops.render import format_date

    words = labels(language)

    def clock(t: str) -> str:
        return t.replace(":", ".") if language == "nl" else t

    if line == "date":
        text = format_date(day, language, "d MMMM y" if year else "d MMMM")
        times = f"{clock(start)} - {clock(end)}" if start and end else clock(start) if start else ""
        return f"{text}, {times} {words['hours']}".rstrip() if times else text
    text = format_date(day, language, "EEEE d MMMM y" if year else "EEEE d MMMM")
    text = text[:1].upper() + text[1:]
    times = f"{clock(start)}-{clock(end)}" if start and end else clock(start) if start else ""
    return f"{text} {times} {words['hours']}".rstrip() if times else text


def header_lines(repo: Repository, meeting: Meeting, style: Style, year: bool = False) -> list[str]:
    """The lines under the title of a sent agenda, in the series' order and wording (the
    agendas of the seeds leave out the year; the minutes, a record, keep it: ``year``)."""
    series = repo.config.get_series(meeting.series)
    words = labels(repo.config.language)
    taker = meeting.minute_taker or (series.minute_taker if series else None)
    taker_shown = shown_name(repo, taker, style) if taker else None
    invited = [shown_name(repo, n, style) for n in (meeting.invitees or (series.invitees if series else ()))]
    present = [shown_name(repo, n, style) for n in meeting.attendees] or invited
    start = meeting.start or (series.start if series else None)
    end = meeting.end or (series.end if series else None)
    location = meeting.location or (series.location if series else None)
    default_words = {
        "invited": words["invited"],
        "present": words["present"],
        "date": words["date"],
        "date_time": words["date_time"],
        "location": words["location"],
    }
    lines = []
    for line in style.header:
        label = style.words(line, default_words[line])
        if line in ("invited", "present"):
            names = invited if line == "invited" else present
            if names:
                lines.append(f"{label}: {_people_line(names, taker_shown, style, words['minutes_by'])}")
        elif line in ("date", "date_time"):
            lines.append(f"{label}: {_when(meeting.date, start, end, line, repo.config.language, year)}")
        elif location:
            lines.append(f"{label}: {location}")
    return lines


def _italic(text: str) -> str:
    """Each paragraph of ``text`` in italics (unless it is italic already)."""
    out = []
    for para in text.split("\n\n"):
        para = para.strip()
        out.append(para if para.startswith(("*", "_")) and para.endswith(("*", "_")) else f"*{para}*")
    return "\n\n".join(out)


def _questions_block(item: AgendaItem, style: Style, heading: str, level: int) -> str:
    """An item's questions as the series sets them: a list under a heading, or italic lines."""
    text = item.text
    questions = [q for q in item.questions if q.text not in text]  # written in the text already
    if not questions:
        return ""
    parts = []
    if style.questions == "italic":
        parts.append(f"*{heading.rstrip(':')}:*")
    else:
        parts.append(f"{'#' * level} {heading}")
    entries: list[str] = []
    numbered = 0
    for q in questions:
        if q.form == "numbered":
            numbered += 1
            entries.append(f"{numbered}. " + q.text.replace("\n", "\n" + " " * (len(str(numbered)) + 2)))
        elif q.form == "paragraph" and (style.questions == "italic" or "\n\n" not in q.text):
            entries.append(_italic(q.text) if style.questions == "italic" else q.text)
        else:
            body = _italic(q.text) if style.questions == "italic" else q.text
            entries.append("- " + body.replace("\n", "\n  "))
    lists: list[str] = []
    for entry in entries:
        tight = lists and entry[:1] in "-0123456789" and lists[-1][:1] == entry[:1] and "\n\n" not in entry
        if tight:
            lists[-1] += "\n" + entry
        else:
            lists.append(entry)
    return "\n\n".join(parts + lists)


def agenda_document(repo: Repository, meeting: Meeting) -> dict[str, Any]:
    """What the agenda document template gets (``idmeet render``): the header lines, and per
    item its heading, attachment lines, text and questions, in the series' house style."""
    from idmeet.parser.body import category_of

    series = repo.config.get_series(meeting.series)
    style = series.style if series else Style()
    language = repo.config.language
    words = labels(language)
    default_heading = series.questions_heading if series and series.questions_heading else words["questions"]
    category_words = pick(CATEGORY_HEADINGS, language)
    items: list[dict[str, Any]] = []
    section: str | None = None
    shown: str | None = None  # the category the last heading named
    for item in meeting.items:
        heading = None
        if item.section and item.section != section:
            section, heading = item.section, item.section
            shown = category_of(item.section)
        if style.sections and item.category and item.category != shown and heading is None:
            shown = item.category
            if category_of(item.title) != item.category:
                heading = category_words.get(item.category, item.category[:1].upper() + item.category[1:])
        attachments = [f"{words['attachment']} {a.label}: {a.shown}" for a in item.attachments]
        if style.attachments == "italic":
            attachments = [f"*{line}*" for line in attachments]
        items.append(
            {
                "number": item.number,
                "title": item.title,
                "duration": item.duration,
                "category": item.category,
                "section": item.section,
                "heading": heading,
                "attachments": attachments,
                "text": without_comments(item.text),
                "questions": item.questions,
                "questions_heading": item.questions_heading or default_heading,
                "item": item,
            }
        )
    level = 4 if any(i["heading"] for i in items) else 3
    for entry in items:
        entry["questions_block"] = _questions_block(entry["item"], style, entry["questions_heading"], level + 1)
    return {
        "meeting": meeting,
        "title": meeting_title(repo, meeting),
        "date": meeting.date,
        "start": meeting.start or (series.start if series else None),
        "end": meeting.end or (series.end if series else None),
        "location": meeting.location or (series.location if series else None),
        "header": header_lines(repo, meeting, style),
        "items": items,
        "level": "#" * level,
        "sections": level == 4,
        "questions_heading": default_heading,
        "language": language,
        "style": style,
    }


def minutes_document(repo: Repository, meeting: Meeting) -> dict[str, Any]:
    """What the minutes template gets (``idmeet report minutes``): per item its minutes,
    decisions and actions in words (owner, task, Dutch due date, done), no checkbox syntax."""
    context = agenda_document(repo, meeting)
    by_id = {a.id: a for a in repo.actions}
    items = []
    for item in meeting.items:
        actions = []
        for line in item.actions:
            action = by_id.get(line.action_id or "")
            actions.append(
                {
                    "owner": " @".join(short_owner(repo, o) for o in line.owners),
                    "owners": [short_owner(repo, o) for o in line.owners],
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
                "notes": without_comments(item.notes),
                "decisions": [d.text for d in item.decisions],
                "actions": actions,
                "section": item.section,
            }
        )
    context.update(
        {
            "items": items,
            "header": header_lines(repo, meeting, style_of(repo, meeting.series), year=True),
            "minute_taker": repo.display_name(meeting.minute_taker) if meeting.minute_taker else None,
        }
    )
    return context
