"""The header of a source document: title, date and time, place, who is invited or present.

Names are split the way the documents write them: commas, "en", and runs of Woo redaction
marks ("5.1, 2, e 5.1, 2, e" is one entry, as it stands). A known person's name glued to a
redaction mark ("5.1, 2, e e Peter Teesink") is split off. "(verslag)" or "(X verslag)"
marks the minute-taker, "(voorzitter)" the chair; any other remark in brackets is kept as
a YAML comment beside the name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from idmeet.core.dates import day_and_month_names, month_numbers, weekday_numbers
from idmeet.core.diagnostics import option
from idmeet.core.model import Config, Person, Series
from idmeet.core.names import REDACTION_RE, is_redacted, longest_name, normalize
from idmeet.importer.text import Line, collapse, strip_emphasis

# -- names --------------------------------------------------------------------------------

_PAREN_RE = re.compile(r"\s*\(([^()]*)\)")
_SPLIT_RE = re.compile(r"\s*[,;+]\s*|\s+(?:en|and|&)\s+", re.IGNORECASE)
_MINUTES_RE = re.compile(r"\b(?:verslag(?:legging|legger)?|notulen|notulist|notuleert|minutes)\b\.?", re.IGNORECASE)
_CHAIR_RE = re.compile(r"\b(?:voorzitter|vz|chair)\b\.?", re.IGNORECASE)
_PARTICLES = frozenset({"van", "de", "der", "den", "ten", "ter", "te", "el", "al", "da", "di", "le", "la", "von", "'t"})


class NameBook:
    """The people of the repository, to recognise names in the text."""

    def __init__(self, config: Config) -> None:
        self.people = config.people
        self.index: dict[str, Person] = {}
        for person in config.people:
            for name in (person.name, *person.aliases):
                self.index.setdefault(normalize(name), person)
        self.spellings = sorted({n for p in config.people for n in (p.name, *p.aliases)}, key=len, reverse=True)

    def person(self, name: str) -> Person | None:
        return self.index.get(normalize(name))

    def known(self, name: str) -> bool:
        return is_redacted(name) or self.person(name) is not None

    def match_at(self, text: str) -> str | None:
        """The longest name or alias at the start of ``text`` (whole words), as written there."""
        return longest_name(text, self.spellings)

    def one_word(self, written: str) -> str | None:
        """How to write an owner after "@": the name as written, or a one-word alias."""
        if " " not in written.strip():
            return written.strip()
        person = self.person(written)
        if person is None:
            return None
        return next((a for a in (person.name, *person.aliases) if " " not in a.strip()), None)


@dataclass
class Name:
    text: str
    comment: str = ""


@dataclass
class Names:
    names: list[Name] = field(default_factory=list)
    minute_taker: str | None = None
    chair: str | None = None


def _split_glued(text: str, book: NameBook) -> list[str]:
    """``"5.1, 2, e e Peter Teesink"`` -> ``["5.1, 2, e e", "Peter Teesink"]``: split at known names."""
    if book.known(text):
        return [text]
    spans = []
    i = 0
    while i < len(text):
        if i == 0 or not text[i - 1].isalnum():
            found = book.match_at(text[i:])
            if found:
                spans.append((i, i + len(found)))
                i += len(found)
                continue
        i += 1
    if not spans:
        return [text]
    pieces, last = [], 0
    for start, end in spans:
        pieces += [text[last:start], text[start:end]]
        last = end
    pieces.append(text[last:])
    return [p.strip(" ,.") for p in pieces if p.strip(" ,.")]


def parse_names(text: str, book: NameBook) -> Names:
    """Split a list of names as written; roles in brackets become minute-taker and chair."""
    parens: list[str] = []

    def keep(match: re.Match[str]) -> str:
        parens.append(match.group(1).strip())
        return f"\x01{len(parens) - 1}\x01"

    marks: list[str] = []

    def protect(match: re.Match[str]) -> str:
        marks.append(match.group(0))
        return f"\x00{len(marks) - 1}\x00"

    def restore(part: str) -> str:
        return re.sub(r"\x00(\d+)\x00", lambda m: marks[int(m.group(1))], part)

    work = REDACTION_RE.sub(protect, _PAREN_RE.sub(keep, text))
    result = Names()
    for part in _SPLIT_RE.split(work):
        remarks = [restore(parens[int(i)]) for i in re.findall(r"\x01(\d+)\x01", part)]
        name = collapse(restore(re.sub(r"\x01\d+\x01", " ", part))).strip(" .:")
        pieces = _split_glued(name, book) if name else []
        entries = [Name(p) for p in pieces]
        for remark in remarks:
            role_name = collapse(_CHAIR_RE.sub(" ", _MINUTES_RE.sub(" ", remark))).strip(" ,.:")
            who = role_name or (entries[-1].text if entries else "")
            if _MINUTES_RE.search(remark) and who:
                result.minute_taker = result.minute_taker or who
            elif _CHAIR_RE.search(remark) and who:
                result.chair = result.chair or who
            elif entries:
                entries[-1].comment = collapse(f"{entries[-1].comment} ({remark})")
            else:
                entries.append(Name("", f"({remark})"))
        result.names += [e for e in entries if e.text]
    return result


def personal_name(text: str) -> bool:
    """Could this be a person's name ("Jan de Vries", "J. Jansen"), not a description?"""
    words = text.split()
    return (
        0 < len(words) <= 4
        and not any(c.isdigit() for c in text)
        and all(w[:1].isupper() or w.lower() in _PARTICLES for w in words)
    )


def looks_like_names(text: str, book: NameBook) -> bool:
    """Could this line be (more) names of a list of invitees or attendees?"""
    plain = collapse(strip_emphasis(text)).strip(" .")
    if not plain or len(plain) > 120 or re.search(r"[:?!@]", _PAREN_RE.sub("", plain)):
        return False
    names = parse_names(plain, book)
    if not names.names:
        return bool(names.minute_taker or names.chair)
    return all(book.known(name.text) or personal_name(name.text) for name in names.names)


# -- dates and times ----------------------------------------------------------------------

# Month and weekday names come from CLDR (babel), with the two Dutch abbreviations it lacks.
MONTHS = {**month_numbers(), "febr": 2, "sept": 9}
WEEKDAYS = weekday_numbers()
WEEKDAY_NAMES, MONTH_NAMES = day_and_month_names("nl")
_WD = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_MO = "|".join(sorted(MONTHS, key=len, reverse=True))
_WORDS_DATE_RE = re.compile(
    rf"(?<!\w)(?:(?P<weekday>{_WD})\.?,?\s+)?(?P<day>\d{{1,2}})(?:e|ste|de)?\s+(?P<month>{_MO})\b\.?"
    rf"(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?",
    re.IGNORECASE,
)
_NUMERIC_DATE_RE = re.compile(
    rf"(?<![\w.])(?:(?P<weekday>{_WD})\.?,?\s+)?(?P<day>\d{{1,2}})(?P<sep>[-/.])(?P<month>\d{{1,2}})(?P=sep)"
    rf"(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_SHORT_DATE_RE = re.compile(  # "17-6", "ma 17/06": only in a date field, where it can mean nothing else
    rf"(?<![\w.])(?:(?P<weekday>{_WD})\.?,?\s+)?(?P<day>\d{{1,2}})[-/](?P<month>\d{{1,2}})(?![-/\d])", re.IGNORECASE
)
_ISO_DATE_RE = re.compile(r"(?<![\w.])(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b")
_TIME_RANGE_RE = re.compile(
    r"(?<![\d.])(\d{1,2})[.:](\d{2})\s*(?:uur|u\.?)?\s*(?:-|–|—|tot|t/m|to)\s*(\d{1,2})[.:](\d{2})(?![\d.])",
    re.IGNORECASE,
)
_TIME_START_RE = re.compile(r"(?<![\d.])(\d{1,2})[.:](\d{2})\s*(?:uur\b|u\b)", re.IGNORECASE)


@dataclass(frozen=True)
class DateText:
    """A date as a document writes it, perhaps without a year."""

    text: str
    day: int
    month: int
    year: int | None
    weekday: int | None
    where: str = ""


def find_date(text: str, where: str = "", short: bool = False) -> DateText | None:
    """The first date in ``text``: "Maandag 17 juni", "5 februari 2024", "17-06-2024", ISO;
    with ``short`` (a date field) also "17-6" and "ma 17/06"."""
    found = []
    patterns = (_WORDS_DATE_RE, _NUMERIC_DATE_RE, _ISO_DATE_RE, *((_SHORT_DATE_RE,) if short else ()))
    for pattern in patterns:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            month_text = groups["month"]
            month = int(month_text) if month_text.isdigit() else MONTHS[month_text.lower()]
            day = int(groups["day"])
            if not (1 <= month <= 12 and 1 <= day <= 31):
                continue
            weekday = groups.get("weekday")
            found.append(
                (
                    match.start(),
                    DateText(
                        match.group(0).strip(),
                        day,
                        month,
                        int(groups["year"]) if groups.get("year") else None,
                        WEEKDAYS[weekday.lower()] if weekday else None,
                        where,
                    ),
                )
            )
            break
    return min(found, key=lambda f: f[0])[1] if found else None


def find_times(text: str) -> tuple[str | None, str | None]:
    """("16:00", "17:00") from "16.00-17.00 uur"; a start alone from "om 16.00 uur"."""
    match = _TIME_RANGE_RE.search(text)
    if match:
        start, end = _hhmm(match.group(1), match.group(2)), _hhmm(match.group(3), match.group(4))
        if start and end and end > start:
            return start, end
        return start, None
    single = _TIME_START_RE.search(text)
    return (_hhmm(single.group(1), single.group(2)), None) if single else (None, None)


def _hhmm(hours: str, minutes: str) -> str | None:
    h, m = int(hours), int(minutes)
    return f"{h:02d}:{m:02d}" if h < 24 and m < 60 else None


class DateError(ValueError):
    """The date cannot be settled; the message says what to do."""


def resolve_date(
    found: DateText, year: int | None, today: dt.date, near: Sequence[dt.date] = ()
) -> tuple[dt.date, list[str]]:
    """The meeting date: the document's year; else ``year``; else, from the weekday, the
    year that puts the meeting closest to the series' other meetings (``near``, within a
    year of one), else the most recent past year (by ``today``) whose weekday matches.

    Once imported, the meeting is one of ``near`` itself, so importing again gives the same
    date whatever today is."""
    notes: list[str] = []
    shown = f"'{found.text}'"
    if found.year is not None:
        try:
            day = dt.date(found.year, found.month, found.day)
        except ValueError:
            raise DateError(f"{shown} is not a date") from None
        if found.weekday is not None and day.weekday() != found.weekday:
            notes.append(
                f"the document says {WEEKDAY_NAMES[found.weekday]} {found.day} "
                f"{MONTH_NAMES[found.month - 1]} {found.year}, but that day is a "
                f"{WEEKDAY_NAMES[day.weekday()]}; imported as {day.isoformat()}"
            )
        if year is not None and year != found.year:
            notes.append(f"{option('year')} {year} ignored: the document says {found.year}")
        return day, notes
    if found.weekday is not None:
        fits = [y for y in range(today.year - 40, today.year + 41) if _weekday_of(y, found) == found.weekday]
        weekday = WEEKDAY_NAMES[found.weekday]
        if year is not None:
            if year in fits:
                return dt.date(year, found.month, found.day), notes
            actual = _weekday_of(year, found)
            if actual is None:
                raise DateError(f"{shown}: {found.day} {MONTH_NAMES[found.month - 1]} {year} does not exist")
            raise DateError(
                f"{shown}: {found.day} {MONTH_NAMES[found.month - 1]} {year} is a "
                f"{WEEKDAY_NAMES[actual]}, not a {weekday}; check {option('year')}"
            )
        if not fits:
            raise DateError(f"{shown} is not a date: run again with {option('year')} YYYY")
        chosen, why = _year_from(found, fits, today, near)
        notes.append(
            f"year {chosen} inferred from {shown}: {why} in which "
            f"{found.day} {MONTH_NAMES[found.month - 1]} is a {weekday} (give {option('year')} to choose another)"
        )
        return dt.date(chosen, found.month, found.day), notes
    if year is None:
        raise DateError(
            f"the date {shown} has no year and no weekday to infer it from: run again with {option('year')} YYYY"
        )
    try:
        return dt.date(year, found.month, found.day), notes
    except ValueError:
        raise DateError(f"{shown}: {found.day} {MONTH_NAMES[found.month - 1]} {year} does not exist") from None


def _year_from(found: DateText, fits: list[int], today: dt.date, near: Sequence[dt.date]) -> tuple[int, str]:
    """The year for a date without one, among ``fits`` (the years whose weekday matches)."""

    def distance(y: int) -> int:
        day = dt.date(y, found.month, found.day)
        return min(abs((day - other).days) for other in near)

    close = [y for y in fits if near and distance(y) <= 366]
    if close:
        return min(close, key=lambda y: (distance(y), -y)), "the year of the series' meetings nearest to it"
    past = [y for y in fits if dt.date(y, found.month, found.day) <= today]
    if past:
        return max(past), "the most recent past year"
    return min(fits), "the first coming year"


def _weekday_of(year: int, found: DateText) -> int | None:
    try:
        return dt.date(year, found.month, found.day).weekday()
    except ValueError:
        return None


# -- the header ---------------------------------------------------------------------------

LABELS = {
    "datum en tijd": "date",
    "datum en tijdstip": "date",
    "datum/tijd": "date",
    "datum": "date",
    "wanneer": "date",
    "tijd": "time",
    "tijdstip": "time",
    "aanvang": "time",
    "locatie": "location",
    "plaats": "location",
    "ruimte": "location",
    "waar": "location",
    "vergaderlocatie": "location",
    "uitgenodigd": "invitees",
    "genodigden": "invitees",
    "genodigd": "invitees",
    "aanwezig": "attendees",
    "aanwezigen": "attendees",
    "deelnemers": "attendees",
    "afwezig": "absent",
    "afgemeld": "absent",
    "met kennisgeving afwezig": "absent",
    "voorzitter": "chair",
    "notulist": "minute_taker",
    "notulen": "minute_taker",
    "verslag": "minute_taker",
    "verslaglegging": "minute_taker",
    "verslaglegger": "minute_taker",
    "aan": "to",
    "van": "from",
    "cc": "cc",
    "kopie": "cc",
    "vergadering": "meeting",
    "onderwerp": "subject",
}
# Labels that documents also write without a colon ("Aan", "Van ...", "Vergadering 5 februari 2024").
_BARE_LABELS = frozenset(
    {
        "aan",
        "van",
        "vergadering",
        "datum",
        "datum en tijd",
        "locatie",
        "tijd",
        "uitgenodigd",
        "aanwezig",
        "afwezig",
        "cc",
    }
)
_LABEL_RE = re.compile(
    r"^(?P<label>"
    + "|".join(sorted((re.escape(k).replace(r"\ ", r"\s+") for k in LABELS), key=len, reverse=True))
    + r")(?![\w/])\s*(?P<colon>:)?\s*(?P<value>.*)$",
    re.IGNORECASE,
)
NAME_FIELDS = frozenset({"invitees", "attendees", "absent", "to", "cc"})
_ACTION_LIST_RE = re.compile(
    r"\b(?:acties?\s*(?:&|en)\s*afspraken|afspraken\s*(?:&|en)\s*acties|actie-?\s*en\s*besluitenlijst|"
    r"besluiten-?\s*en\s*actielijst|actielijst|afsprakenlijst)\b",
    re.IGNORECASE,
)
_AGENDA_WORDS = frozenset({"agenda", "agendapunten", "concept agenda", "conceptagenda", "concept-agenda"})
_TITLE_PREFIX_RE = re.compile(r"^(?:concept\s*-?\s*)?agenda\s+|^verslag\s+", re.IGNORECASE)


def field_of(line: Line) -> tuple[str, str, str] | None:
    """(kind, label, value) when the line is a header field such as "Datum: 6 maart"."""
    match = _LABEL_RE.match(line.plain)
    if match is None or line.marker:
        return None
    label = collapse(match.group("label").lower())
    value = match.group("value").strip()
    if not match.group("colon"):
        if label not in _BARE_LABELS:
            return None
        kind = LABELS[label]
        if kind in ("date", "meeting") and find_date(value) is None and value:
            return None
        if label == "van" and value and not (REDACTION_RE.match(value) or value[:1].isupper()):
            return None
        if label in ("aan", "cc") and value:
            return None
        if (
            kind in ("invitees", "attendees", "absent")
            and value
            and not value[:1].isupper()
            and not REDACTION_RE.match(value)
        ):
            return None
    return LABELS[label], label, value


def is_agenda_word(line: Line) -> bool:
    return line.plain.rstrip(":").strip().lower() in _AGENDA_WORDS


def is_action_list_title(line: Line) -> bool:
    return bool(_ACTION_LIST_RE.search(line.plain)) and len(line.plain.split()) <= 14


def title_key(text: str) -> str:
    """A title compared loosely: case, accents, "&" for "en", punctuation and a leading "Agenda"."""
    key = normalize(text).replace("&", " en ")
    key = " ".join(re.sub(r"[^\w]+", " ", key).split())
    return _TITLE_PREFIX_RE.sub("", key).strip()


def series_of_title(text: str, series: tuple[Series, ...]) -> tuple[Series | None, str]:
    """The series whose title (or key) the line starts with, and the rest after a comma."""
    key = title_key(text)
    rest = text.split(",", 1)[1].strip() if "," in text else ""
    for s in sorted(series, key=lambda s: len(s.title), reverse=True):
        title = title_key(s.title)
        if title and (key == title or key.startswith(title + " ")):
            return s, rest
    for s in series:
        word = s.key.replace("-", " ")
        if key == word or key.startswith(word + " "):
            return s, rest
    return None, rest


@dataclass
class Header:
    invitees: list[Name] = field(default_factory=list)
    attendees: list[Name] = field(default_factory=list)
    minute_taker: str | None = None
    chair: str | None = None
    location: str | None = None
    location_hint: str | None = None
    dates: list[DateText] = field(default_factory=list)
    start: str | None = None
    end: str | None = None
    agenda_word: bool = False
    other_series: Series | None = None
    own_title: bool = False  # a line names this series
    other_series_line: str = ""
    comments: list[str] = field(default_factory=list)
    unplaced: list[Line] = field(default_factory=list)
    senders: list[str] = field(default_factory=list)
    recipients: list[Name] = field(default_factory=list)


class HeaderReader:
    """Reads the header lines one by one (the caller decides where the body starts)."""

    def __init__(self, series: Series, config: Config, book: NameBook) -> None:
        self.series = series
        self.config = config
        self.book = book
        self.header = Header()
        self.names_kind: str | None = None  # the names field whose lines may go on
        self.pending_kind: str | None = None  # a label alone on its line ("Aan"): its value follows
        self.open_names: tuple[str, str] | None = None  # (kind, names so far) of a "(" not closed yet

    def continues_names(self, line: Line) -> bool:
        """More names after "Uitgenodigd:": a line with a known name or a list of names."""
        if self.names_kind is None or is_agenda_word(line) or is_action_list_title(line):
            return False
        if series_of_title(line.plain, self.config.series)[0] is not None or find_date(line.plain):
            return False
        if not looks_like_names(line.body, self.book):
            return False
        names = parse_names(line.plain, self.book)
        return (
            len(names.names) > 1
            or any(self.book.known(n.text) for n in names.names)
            or bool(names.minute_taker or names.chair)
        )

    def read(self, line: Line) -> None:
        if self.open_names is not None:  # "... 5.1, 2, e (" then "5.1, 2, e verslag).": one list
            kind, value = self.open_names
            self.open_names = None
            if line.plain.strip() and field_of(line) is None and not is_agenda_word(line):
                self.names(kind, f"{value} {line.plain.strip()}", line)
                return
            self.names(kind, value, line)
        found = field_of(line)
        if self.pending_kind is not None and found is None:
            kind, self.pending_kind = self.pending_kind, None
            if kind in NAME_FIELDS and looks_like_names(line.body, self.book):
                self.field(kind, kind, line.plain, line)
                return
            if kind in ("from", "date", "meeting", "location", "time", "chair", "minute_taker", "subject"):
                self.field(kind, kind, line.plain, line)
                return
        self.pending_kind = None
        if found is not None:
            self.names_kind = None
            kind, label, value = found
            if not value:
                self.pending_kind = kind
                if kind in NAME_FIELDS:
                    self.names_kind = kind
                return
            self.field(kind, label, value, line)
            return
        if self.continues_names(line):
            self.names(self.names_kind or "invitees", line.plain, line)
            return
        self.names_kind = None
        if is_agenda_word(line):
            self.header.agenda_word = True
            return
        self.title_line(line)

    def field(self, kind: str, label: str, value: str, line: Line) -> None:
        header = self.header
        if kind in NAME_FIELDS:
            self.names(kind, value, line)
            self.names_kind = kind
        elif kind in ("date", "meeting"):
            found = find_date(value, line.where, short=kind == "date")
            if found is not None:
                header.dates.append(found)
                self.times(value.replace(found.text, " "))
            elif kind == "meeting":
                self.title_line(line)
            else:
                self.times(value)
                if not (header.start or header.end):
                    header.unplaced.append(line)
        elif kind == "time":
            self.times(value)
            if not header.start:
                header.unplaced.append(line)
        elif kind == "location":
            header.location = header.location or value
        elif kind in ("chair", "minute_taker"):
            names = parse_names(value, self.book)
            who = names.names[0].text if names.names else None
            if who and kind == "chair":
                header.chair = header.chair or who
            elif who:
                header.minute_taker = header.minute_taker or who
            if not who or len(names.names) > 1:
                header.comments.append(f"{line.plain}")
        elif kind == "from":
            header.comments.append(f"Van: {value}")
            run = re.match(r"(?:\s*" + REDACTION_RE.pattern + r")+", value, re.IGNORECASE)
            sender = run.group(0).strip(" ,.") if run else self.book.match_at(value)
            if sender:
                header.senders.append(sender)
        else:  # subject
            header.comments.append(line.plain)

    def names(self, kind: str, value: str, line: Line) -> None:
        header = self.header
        if value.count("(") > value.count(")") and self.open_names is None:
            self.open_names = (kind, value)  # the bracket closes on the next line
            self.names_kind = kind
            return
        names = parse_names(value, self.book)
        if not all(self.book.known(n.text) or personal_name(n.text) for n in names.names):
            label = {"invitees": "Uitgenodigd", "attendees": "Aanwezig", "to": "Aan"}.get(kind, "")
            header.comments.append(f"{label}: {value}" if label else line.plain)  # not a list of names
            return
        header.minute_taker = header.minute_taker or names.minute_taker
        header.chair = header.chair or names.chair
        if kind == "invitees":
            header.invitees += names.names
        elif kind == "attendees":
            header.attendees += names.names
        elif kind == "to":
            header.recipients += names.names
        else:
            header.comments.append(f"{'Afwezig' if kind == 'absent' else 'Cc'}: {value}")

    def times(self, text: str) -> None:
        start, end = find_times(text)
        if start and not self.header.start:
            self.header.start, self.header.end = start, end

    def title_line(self, line: Line) -> None:
        header = self.header
        text = line.plain
        found = find_date(text, line.where)
        if is_action_list_title(line):
            if found:
                header.dates.append(found)
                self.times(text.replace(found.text, " "))
            return
        series, rest = series_of_title(text, self.config.series)
        if series is not None and series.key != self.series.key:
            if header.other_series is None:
                header.other_series, header.other_series_line = series, text
            return
        if series is not None:
            header.own_title = True
            if rest:
                rest_date = find_date(rest, line.where)
                if rest_date:
                    header.dates.append(rest_date)
                    self.times(rest.replace(rest_date.text, " "))
                elif not re.search(r"\d[.:]\d\d", rest):
                    header.location_hint = header.location_hint or rest
                else:
                    self.times(rest)
            elif found:
                header.dates.append(found)
            return
        if found is not None and len(text.replace(found.text, "").split()) <= 6:
            header.dates.append(found)
            self.times(text.replace(found.text, " "))
            return
        if found is not None:
            header.dates.append(found)
        header.unplaced.append(line)
