"""Build the next agenda of a series from the repository (``idmeet new-agenda``).

The items, in order: the series' opening standing items; "Actielijst" with every open
action of the series; the items the previous meeting deferred or did not discuss; the
proposals for this series; the closing standing items. Attachments are numbered across the
agenda: each item with attachments takes the next number, its further ones a letter
(Bijlage 1, 2, 2a, 2b, 3 ...).
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from idmeet.core.breaks import one_line
from idmeet.core.cadence import next_date, on_cadence
from idmeet.core.diagnostics import IdmeetError, option
from idmeet.core.model import Action, AgendaItem, Meeting, Proposal, Repository, Series, Style
from idmeet.core.names import normalize
from idmeet.core.rules import OPEN_STATUSES
from idmeet.core.words import labels
from idmeet.ops.actions import is_overdue
from idmeet.ops.reports import item_order, shown_name

if TYPE_CHECKING:
    from idmeet.store.snapshot import ActionKey

ACTION_LIST_TITLES = ("actielijst", "action list", "acties", "openstaande acties")
CARRIED_STATUSES = ("uitgesteld", "niet besproken")


@dataclass
class DraftAttachment:
    label: str
    title: str
    confidential: bool


@dataclass
class DraftItem:
    title: str
    origin: str  # standing, actions, carried, proposal
    category: str | None = None
    duration: int | None = None
    text: str = ""
    questions_heading: str | None = None
    questions: list[str] = field(default_factory=list)
    attachments: list[tuple[str, bool]] = field(default_factory=list)  # (title, confidential)
    number: str = ""
    labelled: list[DraftAttachment] = field(default_factory=list)


@dataclass
class Draft:
    """A new agenda before it is written: the meeting's fields, its items, and what it took."""

    series: Series
    date: dt.date
    items: list[DraftItem]
    previous: Meeting | None
    proposals: list[Proposal]
    actions: list[Action]
    warnings: list[str]

    @property
    def key(self) -> str:
        return f"{self.series.key}/{self.date.isoformat()}"

    @property
    def path(self) -> str:
        return f"{self.key}.md"


def choose_date(
    repo: Repository, series: Series, requested: dt.date | None, today: dt.date
) -> tuple[dt.date, list[str]]:
    """The requested date (with warnings when off the cadence or past), else the cadence's next."""
    held = [m.date for m in repo.meetings if m.series == series.key]
    latest = max(held, default=None)
    anchor = min((m.moved_from or m.date for m in repo.meetings if m.series == series.key), default=None)
    if requested is not None:
        warnings = []
        if requested < today:
            warnings.append(f"{requested.isoformat()} is in the past")
        if not on_cadence(series, requested, anchor):
            warnings.append(f"{requested.isoformat()} is not a date of the cadence of '{series.key}'")
        return requested, warnings
    after = latest if latest is not None else today - dt.timedelta(days=1)
    if series.cadence is None:
        raise IdmeetError(
            f"series '{series.key}' has no cadence in idmeet.yaml: give the date with {option('date')} YYYY-MM-DD"
        )
    found = next_date(series, after, anchor)
    if found is None:
        raise IdmeetError(
            f"the cadence of '{series.key}' has no date after {after.isoformat()}: "
            f"add dates to it in idmeet.yaml, or give {option('date')} YYYY-MM-DD"
        )
    return found, [f"{found.isoformat()} is in the past"] if found < today else []


def reads(series: str) -> Callable[[ActionKey], bool]:
    """The actions ``build`` reads for an agenda of ``series``, by their snapshot keys
    (``store.load``'s ``pick_actions``): the open ones of the series."""
    return lambda key: key[1] == series and key[3] in OPEN_STATUSES


def _is_action_list(title: str) -> bool:
    return normalize(title).strip(" :") in ACTION_LIST_TITLES


def _day(value: dt.date, around: dt.date, language: str) -> str:
    """A date in words, without the year when it is the year of the meeting: "7 februari"."""
    from idmeet.ops.render import format_date

    return format_date(value, language, "d MMMM" if value.year == around.year else "d MMMM y")


def _action_lines(repo: Repository, actions: list[Action], day: dt.date, words: Mapping[str, str], style: Style) -> str:
    """The Actielijst in the bureau's prose: per open action the topic in bold, who does what
    (its description), where it came from, its deadline ("te laat" when past), and its latest
    state in words. The action's id stays in an HTML comment after the topic, for idmeet:
    a sent document leaves comments out."""
    language = repo.config.language
    series = {a.series for a in actions}
    previous = max((m.date for m in repo.meetings if m.series in series and m.date < day), default=None)
    blocks: list[tuple[str, list[str], list[str]]] = []  # (title, ids, paragraphs)
    for action in actions:
        owners = " en ".join(shown_name(repo, o, style) for o in action.owners)
        task = one_line(action.description.split("\n\n")[0]) if action.description else ""
        first = f"{owners} {task}" if task else f"{words['action_owner']}: {owners}."
        facts = []
        origin = repo.get_meeting(action.meeting) if action.meeting else None
        if origin is not None and origin.date != previous:  # the attachment line names the previous one
            facts.append(words["from_meeting_of"].format(date=_day(origin.date, day, language)))
        if action.due:
            due = words["due_on"].format(date=_day(action.due, day, language))
            facts.append(f"{due} ({words['overdue']})." if is_overdue(action, day) else f"{due}.")
        if action.status == "waiting":
            facts.append(words["on_hold"])
        paragraphs = [" ".join([first, *facts])]
        latest = action.last_update
        if latest:
            text = " ".join(latest.text.split())
            paragraphs.append(words["latest_state_on"].format(date=_day(latest.date, day, language), text=text))
        if blocks and blocks[-1][0] == action.title:  # one topic, several actions: one entry
            blocks[-1][1].append(action.id)
            blocks[-1][2].extend(paragraphs)
        else:
            blocks.append((action.title, [action.id], paragraphs))
    out = [
        f"- **{title}** <!-- {' '.join(ids)} -->\n\n" + "\n\n".join("  " + p.replace("\n", "\n  ") for p in paragraphs)
        for title, ids, paragraphs in blocks
    ]
    return "\n\n".join(out) if out else words["no_actions"]


def _carried(item: AgendaItem, previous: Meeting, words: Mapping[str, str], language: str) -> DraftItem:
    from idmeet.ops.render import format_date

    note = "*" + words["carried"].format(date=format_date(previous.date, language)) + "*"
    return DraftItem(
        title=item.title,
        origin="carried",
        category=item.category,
        duration=item.duration,
        text="\n\n".join(t for t in (note, item.text) if t),
        questions_heading=item.questions_heading,
        questions=[q.text for q in item.questions if not q.in_text],  # those in the text come with it
        attachments=[(a.title, a.confidential) for a in item.attachments],
    )


def _from_proposal(repo: Repository, proposal: Proposal, words: Mapping[str, str]) -> DraftItem:
    by = f"*{words['proposed_by'].format(name=repo.display_name(proposal.by))}*" if proposal.by else ""
    return DraftItem(
        title=proposal.title,
        origin="proposal",
        category=proposal.category,
        text="\n\n".join(t for t in (proposal.text, by) if t),
        questions=list(proposal.questions),
        attachments=[(a.title, a.confidential) for a in proposal.attachments],
    )


def number(items: list[DraftItem]) -> None:
    """Number the items 1..n and their attachments 1, 2, 2a, 2b, 3 ... in item order."""
    counter = 0
    for index, item in enumerate(items, start=1):
        item.number = str(index)
        item.labelled = []
        if item.attachments:
            counter += 1
            for k, (title, confidential) in enumerate(item.attachments):
                label = str(counter) + (string.ascii_lowercase[k - 1] if k else "")
                item.labelled.append(DraftAttachment(label, title, confidential))


def build(repo: Repository, series: Series, day: dt.date, warnings: list[str]) -> Draft:
    """The draft of the agenda of ``series`` on ``day``."""
    words = labels(repo.config.language)
    # In the order the actions arose: meeting by meeting, in the order of its minutes.
    lines = {t.action_id: t.source.line for m in repo.meetings for i in m.items for t in i.actions if t.action_id}
    open_actions = sorted(
        (a for a in repo.actions if a.series == series.key and a.is_open),
        key=lambda a: (a.opened, a.meeting or "", item_order(a.item), lines.get(a.id, 0), a.id),
    )
    action_text = _action_lines(repo, open_actions, day, words, series.style)
    earlier = [m for m in repo.meetings if m.series == series.key and m.date < day]
    previous = max(earlier, key=lambda m: m.date, default=None)
    # "Bijlage 1: openstaande acties 05-02": the action list as of the previous meeting.
    from idmeet.ops.render import format_date

    listed = format_date(previous.date if previous else day, repo.config.language, "dd-MM")
    action_attachments = (
        [(words["open_actions_of"].format(date=listed), False)] if series.style.action_list == "attached" else []
    )

    opening: list[DraftItem] = []
    closing: list[DraftItem] = []
    has_action_list = False
    for standing in series.standing_items:
        item = DraftItem(standing.title, "standing", standing.category)
        if _is_action_list(standing.title) and not has_action_list:
            item.origin, item.text, has_action_list = "actions", action_text, True
            item.attachments = list(action_attachments)
        (closing if standing.position == "end" else opening).append(item)
    if not has_action_list:
        opening.append(
            DraftItem(
                words["action_list"],
                "actions",
                "ter bespreking",
                text=action_text,
                attachments=list(action_attachments),
            )
        )

    carried = (
        [_carried(i, previous, words, repo.config.language) for i in previous.items if i.status in CARRIED_STATUSES]
        if previous
        else []
    )
    key = f"{series.key}/{day.isoformat()}"  # with --force, what this meeting took stays in it
    proposals = sorted(
        (
            p
            for p in repo.proposals
            if p.series == series.key and p.taken in (None, key) and (p.for_date is None or p.for_date <= day)
        ),
        key=lambda p: (p.for_date or dt.date.min, p.proposed or dt.date.min, p.id),
    )
    items = [*opening, *carried, *(_from_proposal(repo, p, words) for p in proposals), *closing]
    number(items)
    return Draft(series, day, items, previous, proposals, open_actions, warnings)


def context(repo: Repository, draft: Draft) -> dict[str, object]:
    """What the agenda template gets."""
    series = draft.series
    return {
        "series": series,
        "date": draft.date,
        "start": series.start,
        "end": series.end,
        "location": series.location,
        "invitees": list(series.invitees),
        "chair": series.chair,
        "minute_taker": series.minute_taker,
        "items": draft.items,
        "language": repo.config.language,
    }
