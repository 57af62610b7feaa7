"""The in-memory model of a meeting repository: frozen records that know their source line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from idmeet.core.names import is_redacted, normalize
from idmeet.core.rules import OPEN_STATUSES, shown_name, status_on_day

# The statuses a file may give. The parser narrows what it reads to these (an unknown one is
# reported and not kept); ``rules.ACTION_STATUSES`` spells the first out for the warm path,
# which loads no typing.
ActionStatus = Literal["open", "waiting", "done", "dropped"]
MeetingStatus = Literal["planned", "held", "approved", "cancelled"]
ItemStatus = Literal["besproken", "uitgesteld", "niet besproken"]

CATEGORIES = ("mededeling", "ter bespreking", "ter besluitvorming", "ter kennisname")
MEETING_STATUSES: tuple[MeetingStatus, ...] = get_args(MeetingStatus)
ITEM_STATUSES: tuple[ItemStatus, ...] = get_args(ItemStatus)
# How people write a category (Dutch and English) -> the category.
CATEGORY_WORDS = {
    "mededeling": "mededeling",
    "mededelingen": "mededeling",
    "announcement": "mededeling",
    "announcements": "mededeling",
    "ter bespreking": "ter bespreking",
    "discussion": "ter bespreking",
    "for discussion": "ter bespreking",
    "ter besluitvorming": "ter besluitvorming",
    "decision": "ter besluitvorming",
    "for decision": "ter besluitvorming",
    "ter kennisname": "ter kennisname",
    "information": "ter kennisname",
    "for information": "ter kennisname",
}


@dataclass(frozen=True)
class Source:
    """Where a record was written: a path relative to the repository root, and a line."""

    path: str
    line: int = 1


@dataclass(frozen=True)
class Person:
    """A person of idmeet.yaml: a full name, the short names people write, a role."""

    name: str
    aliases: tuple[str, ...] = ()
    role: str = ""
    public_official: bool = False
    source: Source = Source("idmeet.yaml")


@dataclass(frozen=True)
class Cadence:
    """When a series meets: every N weeks on a weekday, a monthly rule, or a list of dates."""

    every_weeks: int | None = None
    weekday: int | None = None  # 0 = Monday
    monthly_ordinal: int | None = None  # 1..4, or -1 for "last"
    dates: tuple[dt.date, ...] = ()


@dataclass(frozen=True)
class StandingItem:
    """An agenda item every meeting of a series has (at its start or end)."""

    title: str
    category: str | None = None
    position: str = "start"  # "start" or "end"


STYLE_HEADER_LINES = ("invited", "present", "date", "date_time", "location")


@dataclass(frozen=True)
class Style:
    """A series' house style: how its agendas and reports look (``style:`` in idmeet.yaml).

    The defaults are the steering group's agenda (seed 000); the progress meeting's layout
    (seed 001) is ``header: [date, present, location]``, ``names: alias``,
    ``minute_taker: separate``, ``questions: italic``, ``attachments: italic``,
    ``action_list: attached``.
    """

    header: tuple[str, ...] = ("invited", "date_time", "location")  # lines under the title, in order
    wording: tuple[tuple[str, str], ...] = ()  # (header line, its own words) instead of the default label
    names: str = "full"  # "full": Peter Teesink; "alias": Peter (the person's first alias)
    minute_taker: str = "marked"  # "marked": "X (verslag)" in the list; "separate": "(X verslag)" after it
    questions: str = "list"  # "list": under the questions heading; "italic": italic lines
    attachments: str = "plain"  # "plain" or "italic" attachment lines
    sections: bool = True  # category headings ("Ter bespreking") where the category changes
    action_list: str = "inline"  # "inline", or "attached": the Actielijst is also Bijlage N

    def words(self, line: str, default: str) -> str:
        return dict(self.wording).get(line, default)


@dataclass(frozen=True)
class Series:
    """A series of meetings (idmeet.yaml): who chairs, who is invited, when it meets, its style."""

    key: str
    title: str
    chair: str | None = None
    minute_taker: str | None = None
    invitees: tuple[str, ...] = ()
    location: str | None = None
    start: str | None = None  # "HH:MM"
    end: str | None = None
    cadence: Cadence | None = None
    skip: tuple[dt.date, ...] = ()
    standing_items: tuple[StandingItem, ...] = ()
    template: str | None = None
    questions_heading: str | None = None
    style: Style = Style()
    source: Source = Source("idmeet.yaml")
    key_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.source.line)


@dataclass(frozen=True)
class Config:
    """idmeet.yaml: the organisation, its people and its series."""

    organisation: str
    language: str = "nl"
    people: tuple[Person, ...] = ()
    series: tuple[Series, ...] = ()
    source: Source = Source("idmeet.yaml")

    def get_series(self, key: str) -> Series | None:
        return next((s for s in self.series if s.key == key), None)

    def spellings(self) -> tuple[str, ...]:
        """Every full name and alias, longest first: for reading the longest name after "@"."""
        return tuple(sorted({n for p in self.people for n in (p.name, *p.aliases)}, key=lambda n: (-len(n), n)))

    def person_keys(self) -> dict[str, int]:
        """Normalised full names and aliases -> the person's position in ``people`` (the first
        person wins a name two share)."""
        index: dict[str, int] = {}
        for position, person in enumerate(self.people):
            for name in (person.name, *person.aliases):
                index.setdefault(normalize(name), position)
        return index


@dataclass(frozen=True)
class Attachment:
    """An attachment an agenda item names (a Bijlage), possibly with its file."""

    label: str  # "2a"
    title: str  # without the confidential marker
    confidential: bool = False
    source: Source = Source("")
    written: str = ""  # the title as written, marker included ("GEHEIM_Gebundelde reflecties")
    ground: str | None = None  # the Woo ground a confidential attachment is withheld on, as written
    link: str | None = None  # the linked file, relative to the meeting file: "bijlagen/2024-06-17/voorstel.pdf"

    @property
    def shown(self) -> str:
        """The title as the sent document shows it: as written, so it matches its file."""
        return self.written or self.title


@dataclass(frozen=True)
class Question:
    """A question an agenda item puts to the meeting."""

    text: str
    source: Source = Source("")
    form: str = "bullet"  # how it was written: "bullet" (- ...), "numbered" (1. ...) or "paragraph"
    in_text: bool = False  # written in the item's text (italic, see docs/format.md), and kept there


@dataclass(frozen=True)
class ActionLine:
    """A task line in the minutes: ``- [ ] @Peter @5.1, 2, e laat bila plannen``.

    ``owners`` are read with the people of ``idmeet.yaml`` (``parser.body.read_owners``): the
    longest name or alias after each ``@``, so ``@Peter Teesink`` is one owner.
    """

    owners: tuple[str, ...]
    text: str
    done: bool
    source: Source = Source("")
    due: dt.date | None = None  # from "(voor 2024-03-01)" at the end of the line
    action_id: str | None = None  # from "<!-- nm8qxrv2 -->": the action file it became
    written: str = ""  # owners and text as written (without box, due date and id)

    @property
    def owner(self) -> str:
        """The first owner (a line may have several: ``owners``)."""
        return self.owners[0]


@dataclass(frozen=True)
class Decision:
    """A decision taken on an agenda item."""

    text: str
    source: Source = Source("")


@dataclass(frozen=True)
class AgendaItem:
    """One item of a meeting's agenda, with what was said and decided on it."""

    number: str  # "1", "3a"
    title: str
    category: str | None = None
    status: ItemStatus | None = None
    duration: int | None = None  # minutes
    section: str | None = None
    attachments: tuple[Attachment, ...] = ()
    questions_heading: str | None = None
    questions: tuple[Question, ...] = ()
    text: str = ""  # the item's free text, Markdown as written
    notes: str = ""  # minutes ("Verslag")
    note_lines: tuple[int, ...] = ()  # the file line of each paragraph of ``notes``
    decisions: tuple[Decision, ...] = ()
    actions: tuple[ActionLine, ...] = ()
    source: Source = Source("")


@dataclass(frozen=True)
class Meeting:
    """One meeting: ``<series>/<date>.md``, its header and its agenda items."""

    series: str
    date: dt.date
    start: str | None = None
    end: str | None = None
    location: str | None = None
    invitees: tuple[str, ...] = ()
    attendees: tuple[str, ...] = ()
    minute_taker: str | None = None
    chair: str | None = None
    status: MeetingStatus = "planned"
    title: str | None = None
    items: tuple[AgendaItem, ...] = ()
    moved_from: dt.date | None = None  # the date it was first planned on (it keeps that date's UID)
    source: Source = Source("")
    key_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, key: str) -> int:
        """The line of a frontmatter key, or of a list element as ``key.N``."""
        return self.key_lines.get(key, self.source.line)

    @property
    def key(self) -> str:
        """``<series>/<YYYY-MM-DD>``: how commands and actions name a meeting."""
        return f"{self.series}/{self.date.isoformat()}"


@dataclass(frozen=True)
class LogEntry:
    """One dated line of an action's log."""

    date: dt.date
    text: str
    source: Source = Source("")


@dataclass(frozen=True)
class Action:
    """One action: ``actions/<id>.md``, who does what by when, and what happened to it."""

    id: str
    title: str
    owners: tuple[str, ...]
    status: ActionStatus
    opened: dt.date
    due: dt.date | None = None
    meeting: str | None = None  # "<series>/<date>"
    item: str | None = None  # the agenda item of that meeting, "3"
    series: str | None = None
    tags: tuple[str, ...] = ()
    description: str = ""
    log: tuple[LogEntry, ...] = ()
    source: Source = Source("")
    extra_keys: tuple[str, ...] = field(default=(), compare=False)
    key_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.source.line)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def last_update(self) -> LogEntry | None:
        return self.latest()

    def latest(self, day: dt.date | None = None) -> LogEntry | None:
        """The latest log line (written on or before ``day``, when given)."""
        entries = [e for e in self.log if day is None or e.date <= day]
        return max(entries, key=lambda e: e.date) if entries else None

    @property
    def closed_on(self) -> dt.date | None:
        """When a done or dropped action was closed: the date of its latest log line."""
        if self.is_open or not self.log:
            return None
        return max(e.date for e in self.log)

    def status_on(self, day: dt.date) -> ActionStatus | None:
        """The status on ``day`` (None before it was opened), for looking back."""
        closed = self.closed_on
        return status_on_day(self.status, self.opened.toordinal(), closed.toordinal() if closed else 0, day.toordinal())

    def open_on(self, day: dt.date) -> bool:
        """Was the action open on ``day``? (Opened by then, and not yet closed.)"""
        return self.status_on(day) in OPEN_STATUSES


@dataclass(frozen=True)
class Proposal:
    """An item proposed for a coming meeting of a series, until an agenda takes it."""

    id: str
    series: str
    title: str
    by: str | None = None
    proposed: dt.date | None = None
    for_date: dt.date | None = None  # meant for the meeting of this date (or the first after it)
    category: str | None = None
    attachments: tuple[Attachment, ...] = ()  # labels are given by the agenda
    questions: tuple[str, ...] = ()
    text: str = ""
    taken: str | None = None  # the meeting whose agenda took it, "<series>/<date>"
    source: Source = Source("")
    key_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.source.line)


@dataclass(frozen=True)
class Repository:
    """The whole loaded repository: idmeet.yaml, the meetings, the actions, the proposals."""

    root: Path
    config: Config
    meetings: tuple[Meeting, ...] = ()
    actions: tuple[Action, ...] = ()
    proposals: tuple[Proposal, ...] = ()

    @functools.cached_property
    def person_index(self) -> dict[str, Person]:
        """Normalised full names and aliases -> person (computed once per repository)."""
        return {key: self.config.people[at] for key, at in self.config.person_keys().items()}

    @functools.cached_property
    def full_names(self) -> dict[str, str]:
        """Normalised full names and aliases -> full name: how ``summary`` shows owners."""
        return {key: person.name for key, person in self.person_index.items()}

    @functools.cached_property
    def _names(self) -> dict[str, Person | None]:
        return {}  # name as written -> person: names repeat thousands of times in a repository

    def find_person(self, name: str) -> Person | None:
        try:
            return self._names[name]
        except KeyError:
            found = self._names[name] = self.person_index.get(normalize(name))
            return found

    def display_name(self, name: str) -> str:
        """The full name for a name or alias; a redaction mark or unknown name as written."""
        return shown_name(normalize(name), name, is_redacted(name), self.full_names)

    @functools.cached_property
    def _meetings_by_key(self) -> dict[str, Meeting]:
        return {m.key: m for m in reversed(self.meetings)}  # the first of a key wins, as before

    def get_meeting(self, key: str) -> Meeting | None:
        """The meeting ``<series>/<YYYY-MM-DD>`` (looked up in a table made once: an agenda
        asks for the meeting of each of thousands of actions)."""
        return self._meetings_by_key.get(key)


def meaning(value: Any) -> Any:
    """A record as plain data without where it was written (sources, lines): what it *means*."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: meaning(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in ("source", "key_lines", "extra_keys", "note_lines")
        }
    if isinstance(value, (list, tuple)):
        return [meaning(v) for v in value]
    if isinstance(value, dict):
        return {k: meaning(v) for k, v in value.items()}
    return value
