"""Parse one file's bytes into a model record: pure functions, no file system access.

Each ``parse_*`` takes the file's bytes and its repository-relative path and returns the
record (or None when the file is unusable) and the problems found. Being pure functions
of one file, their results can be cached by content and computed in parallel.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from idmeet.core.breaks import strip_line_ends
from idmeet.core.dates import parse_iso_date
from idmeet.core.diagnostics import Diagnostic
from idmeet.core.limits import MAX_FILE_BYTES, MAX_FILE_TEXT
from idmeet.core.model import (
    CATEGORIES,
    CATEGORY_WORDS,
    MEETING_STATUSES,
    STYLE_HEADER_LINES,
    Action,
    Cadence,
    Config,
    LogEntry,
    Meeting,
    Person,
    Proposal,
    Series,
    Source,
    StandingItem,
    Style,
)
from idmeet.core.rules import ACTION_STATUSES
from idmeet.core.words import DEFAULT_LANGUAGE, LANGUAGES
from idmeet.parser import yamlio
from idmeet.parser.fields import Fields, date_hint, mapping_or_problem
from idmeet.parser.yamlio import LOG_HEADING_RE, LDict, LList

# The same boundary rule as python-frontmatter (and so Jekyll, Hugo, Obsidian): a line of
# three or more dashes. Spelled out here (a test checks it is python-frontmatter's): importing
# python-frontmatter imports PyYAML and compiles its patterns, 15-20 ms that a command
# answered from the cache does not need.
_BOUNDARY_RE = re.compile(r"^-{3,}\s*$", re.MULTILINE)
ID_RE = re.compile(r"^[0-9a-z][0-9a-z-]*$")
SERIES_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "maandag": 0,
    "dinsdag": 1,
    "woensdag": 2,
    "donderdag": 3,
    "vrijdag": 4,
    "zaterdag": 5,
    "zondag": 6,
}
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "last": -1,
    "eerste": 1,
    "tweede": 2,
    "derde": 3,
    "vierde": 4,
    "laatste": -1,
}
MEETING_STATUS_ALIASES = {
    "minutes approved": "approved",
    "minutes-approved": "approved",
    "minutes_approved": "approved",
    "canceled": "cancelled",
    "afgelast": "cancelled",
    "geannuleerd": "cancelled",
}
CONFIG_KEYS = ("organisation", "language", "people", "series")
PERSON_KEYS = ("name", "aliases", "role", "public_official")
SERIES_KEYS = (
    "title",
    "chair",
    "minute_taker",
    "invitees",
    "location",
    "start",
    "end",
    "cadence",
    "skip",
    "standing_items",
    "template",
    "questions_heading",
    "style",
)
STYLE_KEYS = ("header", "wording", "names", "minute_taker", "questions", "attachments", "sections", "action_list")
MEETING_KEYS = (
    "series",
    "date",
    "start",
    "end",
    "location",
    "invitees",
    "attendees",
    "minute_taker",
    "chair",
    "status",
    "title",
    "moved_from",
)
PROPOSAL_KEYS = ("id", "series", "title", "proposed", "by", "for", "category", "attachments", "questions", "taken")
ACTION_KEYS = ("id", "title", "owner", "status", "opened", "due", "meeting", "item", "series", "tags", "synced")


@dataclass(frozen=True)
class Document:
    """A Markdown file split into its frontmatter mapping and its body."""

    meta: LDict
    body: str
    body_line: int  # file line of the body's first line


def decode(data: bytes, path: str, problems: list[Diagnostic]) -> str | None:
    """The file's text, or None with a problem when it is empty, too large or not UTF-8."""
    if len(data) > MAX_FILE_BYTES:
        what = {"actions": "an action", "proposals": "a proposal"}.get(path.split("/")[0], "a meeting")
        what = "idmeet.yaml" if path == "idmeet.yaml" else what
        problems.append(
            Diagnostic(
                path, 0, f"the file is larger than {MAX_FILE_TEXT}: idmeet does not read it (is it really {what}?)"
            )
        )
        return None
    if not data.strip():
        problems.append(Diagnostic(path, 1, "empty file"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(
            Diagnostic(path, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x}): save the file as UTF-8")
        )
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    control = _CONTROL_RE.search(text)
    if control is not None:
        problems.append(_control_problem(text, control, path))
    return text


# C0 control characters other than tab, line feed and carriage return, and DEL: invisible in
# most editors, a NUL ends the text for many tools; never part of a record.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_NAMES = {0x00: "NUL", 0x08: "backspace", 0x0B: "vertical tab", 0x0C: "form feed", 0x1B: "escape", 0x7F: "DEL"}


def _control_problem(text: str, found: re.Match[str], path: str) -> Diagnostic:
    """The first control character of a file as one problem, at its line and column."""
    code = ord(found.group(0))
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    name = f" ({_CONTROL_NAMES[code]})" if code in _CONTROL_NAMES else ""
    more = len(_CONTROL_RE.findall(text)) - 1
    what = f", and {more} more in this file: delete them" if more else ": delete it"
    return Diagnostic(
        path,
        line,
        f"control character U+{code:04X}{name} in column {column}{what} "
        "(most editors do not show it; retype the line if you cannot find it)",
    )


def split_document(data: bytes, path: str, problems: list[Diagnostic]) -> Document | None:
    """Decode a Markdown file and split off its YAML frontmatter (a mapping)."""
    text = decode(data, path, problems)
    if text is None:
        return None
    opening = _BOUNDARY_RE.match(text)
    if opening is None or not text.startswith("---"):
        problems.append(Diagnostic(path, 1, "no frontmatter: the file must start with a '---' line"))
        return None
    opening_end = text.index("\n", 0) if "\n" in text else len(text)
    closing = _BOUNDARY_RE.search(text, opening_end + 1)
    if closing is None:
        problems.append(Diagnostic(path, 1, "frontmatter is not closed: add a '---' line after it"))
        return None
    yaml_text = text[opening_end + 1 : closing.start()]
    closing_line = text.count("\n", 0, closing.start()) + 1
    value, yaml_problems = yamlio.load(yaml_text, first_line=2)
    problems.extend(Diagnostic(path, p.line, p.message) for p in yaml_problems)
    if yaml_problems and value is None:
        return None
    if value is None:
        problems.append(Diagnostic(path, 2, "frontmatter is empty"))
        return None
    meta = mapping_or_problem(value, path, 2, "frontmatter", problems)
    if meta is None:
        return None
    body_start = text.find("\n", closing.start())
    body = "" if body_start < 0 else text[body_start + 1 :]
    return Document(meta, body, closing_line + 1)


def _document_fields(
    data: bytes, path: str, keys: tuple[str, ...], problems: list[Diagnostic]
) -> tuple[Document, Fields] | None:
    """Split a Markdown file and wrap its frontmatter for typed reading (unknown keys warned)."""
    doc = split_document(data, path, problems)
    if doc is None:
        return None
    fields = Fields(doc.meta, path, problems)
    fields.unknown_keys(keys)
    return doc, fields


P = TypeVar("P")
Parser = Callable[[bytes, str], tuple[P | None, list[Diagnostic]]]


def _never_silent(what: str) -> Callable[[Parser[P]], Parser[P]]:
    """A parser that returns no record must say why: every file that is not a valid record is
    an error in ``check``, never a record that silently drops out of every listing."""

    def wrap(parse: Parser[P]) -> Parser[P]:
        @functools.wraps(parse)
        def checked(data: bytes, path: str) -> tuple[P | None, list[Diagnostic]]:
            record, problems = parse(data, path)
            if record is None and not any(p.severity == "error" for p in problems):
                problems.append(Diagnostic(path, 1, f"not a valid {what}: run 'idmeet check' after fixing its fields"))
            return record, problems

        return checked

    return wrap


# -- idmeet.yaml ---------------------------------------------------------------------------


@_never_silent("configuration")
def parse_config(data: bytes, path: str = "idmeet.yaml") -> tuple[Config | None, list[Diagnostic]]:
    """Parse ``idmeet.yaml``: the organisation, its people and its series."""
    problems: list[Diagnostic] = []
    text = decode(data, path, problems)
    if text is None:
        return None, problems
    value, yaml_problems = yamlio.load(text)
    problems.extend(Diagnostic(path, p.line, p.message) for p in yaml_problems)
    if value is None:
        if not yaml_problems:
            problems.append(Diagnostic(path, 1, "empty file"))
        return None, problems
    root = mapping_or_problem(value, path, 1, "idmeet.yaml", problems)
    if root is None:
        return None, problems
    fields = Fields(root, path, problems)
    fields.unknown_keys(CONFIG_KEYS)
    organisation = fields.text("organisation", required=True) or ""
    language = fields.choice("language", LANGUAGES, default=DEFAULT_LANGUAGE) or DEFAULT_LANGUAGE
    people = tuple(_people(root, path, problems))
    series = tuple(_series_all(root, path, problems))
    config = Config(organisation, language, people, series, Source(path, 1))
    return config, problems


def _people(root: LDict, path: str, problems: list[Diagnostic]) -> list[Person]:
    value = root.get("people")
    if value is None:
        return []
    if not isinstance(value, LList):
        problems.append(Diagnostic(path, root.line_of("people"), "'people' must be a list of persons"))
        return []
    people = []
    for element, line in zip(value, value.item_lines):
        entry = mapping_or_problem(element, path, line, "a person", problems)
        if entry is None:
            continue
        fields = Fields(entry, path, problems)
        fields.unknown_keys(PERSON_KEYS)
        name = fields.text("name", required=True)
        if name is None:
            continue
        aliases = tuple(alias for alias, _ in fields.text_list("aliases"))
        people.append(
            Person(
                name, aliases, fields.text("role") or "", fields.boolean("public_official"), Source(path, entry.line)
            )
        )
    return people


def _series_all(root: LDict, path: str, problems: list[Diagnostic]) -> list[Series]:
    value = root.get("series")
    if value is None:
        problems.append(Diagnostic(path, root.line, "missing required key 'series'"))
        return []
    mapping = mapping_or_problem(value, path, root.line_of("series"), "'series'", problems)
    if mapping is None:
        return []
    out = []
    for key, element in mapping.items():
        line = mapping.line_of(key)
        if not SERIES_KEY_RE.match(key):
            problems.append(Diagnostic(path, line, f"series key '{key}' must be lower-case letters, digits and '-'"))
            continue
        entry = mapping_or_problem(element, path, line, f"series '{key}'", problems)
        if entry is not None:
            out.append(_series(key, entry, path, problems))
    return out


def _series(key: str, entry: LDict, path: str, problems: list[Diagnostic]) -> Series:
    fields = Fields(entry, path, problems)
    fields.unknown_keys(SERIES_KEYS)
    start, end = fields.time("start"), fields.time("end")
    _check_order(fields, start, end)
    return Series(
        key=key,
        title=fields.text("title", required=True) or key,
        chair=fields.text("chair"),
        minute_taker=fields.text("minute_taker"),
        invitees=tuple(name for name, _ in fields.text_list("invitees")),
        location=fields.text("location"),
        start=start,
        end=end,
        cadence=_cadence(entry, path, problems),
        skip=tuple(_dates(fields, "skip")),
        standing_items=tuple(_standing_items(entry, path, problems)),
        template=fields.text("template"),
        questions_heading=fields.text("questions_heading"),
        style=_style(entry, path, problems),
        source=Source(path, entry.line),
        key_lines=fields.key_lines(),
    )


def _style(entry: LDict, path: str, problems: list[Diagnostic]) -> Style:
    """A series' house style; what it leaves out keeps the default (seed 000's layout)."""
    value = entry.get("style")
    if value is None:
        return Style()
    mapping = mapping_or_problem(value, path, entry.line_of("style"), "'style'", problems)
    if mapping is None:
        return Style()
    fields = Fields(mapping, path, problems)
    fields.unknown_keys(STYLE_KEYS)
    default = Style()
    header = []
    for name, line in fields.text_list("header"):
        if name.lower() in STYLE_HEADER_LINES:
            header.append(name.lower())
        else:
            fields.error(line, f"unknown header line '{name}' (use {', '.join(STYLE_HEADER_LINES)})")
    wording: list[tuple[str, str]] = []
    words = mapping.get("wording")
    if words is not None:
        wording_map = mapping_or_problem(words, path, mapping.line_of("wording"), "'wording'", problems)
        if wording_map is not None:
            word_fields = Fields(wording_map, path, problems)
            for key in wording_map:
                text = word_fields.text(key)
                if key not in STYLE_HEADER_LINES:
                    word_fields.error(
                        wording_map.line_of(key),
                        f"unknown header line '{key}' (use {', '.join(STYLE_HEADER_LINES)})",
                    )
                elif text:
                    wording.append((key, text))
    return Style(
        header=tuple(header) if "header" in mapping else default.header,
        wording=tuple(wording),
        names=fields.choice("names", ("full", "alias"), default.names) or default.names,
        minute_taker=fields.choice("minute_taker", ("marked", "separate"), default.minute_taker)
        or default.minute_taker,
        questions=fields.choice("questions", ("list", "italic"), default.questions) or default.questions,
        attachments=fields.choice("attachments", ("plain", "italic"), default.attachments) or default.attachments,
        sections=fields.boolean("sections", default.sections),
        action_list=fields.choice("action_list", ("inline", "attached"), default.action_list) or default.action_list,
    )


def _check_order(fields: Fields, start: str | None, end: str | None) -> None:
    if start and end and end <= start:
        fields.error(fields.line("end"), f"'end' ({end}) is not after 'start' ({start})")


def _dates(fields: Fields, key: str) -> list[dt.date]:
    out = []
    for raw, line in fields.text_list(key):
        parsed = parse_iso_date(raw)
        if parsed is None:
            fields.error(line, f"'{key}' has an invalid date: '{raw}' {date_hint(raw)}")
        else:
            out.append(parsed)
    return out


def _cadence(entry: LDict, path: str, problems: list[Diagnostic]) -> Cadence | None:
    value = entry.get("cadence")
    if value is None:
        return None
    mapping = mapping_or_problem(value, path, entry.line_of("cadence"), "'cadence'", problems)
    if mapping is None:
        return None
    fields = Fields(mapping, path, problems)
    fields.unknown_keys(("every", "weekday", "monthly", "dates"))
    forms = [k for k in ("every", "monthly", "dates") if k in mapping]
    if len(forms) != 1:
        fields.error(mapping.line, "'cadence' needs exactly one of 'every' (with 'weekday'), 'monthly' or 'dates'")
        return None
    if forms == ["dates"]:
        return Cadence(dates=tuple(sorted(_dates(fields, "dates"))))
    if forms == ["every"]:
        weeks = fields.whole_number("every")
        weekday = _weekday(fields, "weekday", fields.text("weekday", required=True))
        if weeks is None or weekday is None:
            return None
        return Cadence(every_weeks=weeks, weekday=weekday)
    rule = fields.text("monthly") or ""
    words = rule.lower().split()
    if len(words) != 2 or words[0] not in ORDINALS or words[1] not in WEEKDAYS:
        fields.error(fields.line("monthly"), f"'monthly' must be like 'second monday' or 'last friday', not '{rule}'")
        return None
    return Cadence(monthly_ordinal=ORDINALS[words[0]], weekday=WEEKDAYS[words[1]])


def _weekday(fields: Fields, key: str, raw: str | None) -> int | None:
    if raw is None:
        return None
    day = WEEKDAYS.get(raw.lower())
    if day is None:
        fields.error(fields.line(key), f"'{key}' must be a weekday such as monday, not '{raw}'")
    return day


def _standing_items(entry: LDict, path: str, problems: list[Diagnostic]) -> list[StandingItem]:
    value = entry.get("standing_items")
    if value is None:
        return []
    if not isinstance(value, LList):
        problems.append(Diagnostic(path, entry.line_of("standing_items"), "'standing_items' must be a list"))
        return []
    out = []
    for element, line in zip(value, value.item_lines):
        if isinstance(element, str):
            out.append(StandingItem(str(element).strip()))
            continue
        item = mapping_or_problem(element, path, line, "a standing item", problems)
        if item is None:
            continue
        fields = Fields(item, path, problems)
        fields.unknown_keys(("title", "category", "position"))
        title = fields.text("title", required=True)
        category = fields.choice("category", CATEGORIES, aliases=CATEGORY_WORDS)
        position = fields.choice("position", ("start", "end"), default="start") or "start"
        if title:
            out.append(StandingItem(title, category, position))
    return out


# -- meetings -----------------------------------------------------------------------------


@_never_silent("meeting")
def parse_meeting(data: bytes, path: str) -> tuple[Meeting | None, list[Diagnostic]]:
    """Parse ``<series>/<date>.md``: frontmatter fields and the agenda items of its body."""
    from idmeet.parser.body import parse_items  # markdown-it is only needed here

    problems: list[Diagnostic] = []
    split = _document_fields(data, path, MEETING_KEYS, problems)
    if split is None:
        return None, problems
    doc, fields = split
    series = fields.text("series", required=True)
    date = fields.date("date", required=True)
    start, end = fields.time("start"), fields.time("end")
    _check_order(fields, start, end)
    status = fields.choice("status", MEETING_STATUSES, default="planned", aliases=MEETING_STATUS_ALIASES) or "planned"
    moved_from = fields.date("moved_from")
    if moved_from is not None and moved_from == date:
        fields.error(fields.line("moved_from"), "moved_from is the meeting's own date: give the date it was moved from")
        moved_from = None
    items = parse_items(doc.body, doc.body_line, path, problems, date)
    if series is None or date is None:
        return None, problems
    meeting = Meeting(
        series=series,
        date=date,
        start=start,
        end=end,
        location=fields.text("location"),
        invitees=tuple(name for name, _ in fields.text_list("invitees")),
        attendees=tuple(name for name, _ in fields.text_list("attendees")),
        minute_taker=fields.text("minute_taker"),
        chair=fields.text("chair"),
        status=status,
        title=fields.text("title"),
        items=tuple(items),
        moved_from=moved_from,
        source=Source(path, 1),
        key_lines=fields.key_lines(),
    )
    return meeting, problems


# -- actions ------------------------------------------------------------------------------

_LOG_LINE_RE = re.compile(r"^[-*]\s+(\S+?):\s*(.*)$")


@_never_silent("action")
def parse_action(data: bytes, path: str) -> tuple[Action | None, list[Diagnostic]]:
    """Parse ``actions/<id>.md``: its fields, description and dated log."""
    problems: list[Diagnostic] = []
    split = _document_fields(data, path, ACTION_KEYS, problems)
    if split is None:
        return None, problems
    doc, fields = split
    extra = tuple(k for k in doc.meta if k not in ACTION_KEYS)
    action_id = fields.text("id", required=True)
    if action_id is not None and not ID_RE.match(action_id):
        fields.error(fields.line("id"), f"'id' must be lower-case letters, digits and '-', not '{action_id}'")
    title = fields.text("title", required=True)
    owners = tuple(name for name, _ in fields.text_list("owner", required=True))
    status = fields.choice("status", ACTION_STATUSES, required=True)
    opened = fields.date("opened", required=True)
    due = fields.date("due")
    meeting = fields.text("meeting")
    if meeting is not None and not _is_meeting_key(meeting):
        fields.error(fields.line("meeting"), f"'meeting' must be <series>/<YYYY-MM-DD>, not '{meeting}'")
        meeting = None
    item = fields.text("item")
    series = fields.text("series") or (meeting.split("/")[0] if meeting else None)
    tags = tuple(tag for tag, _ in fields.text_list("tags"))
    description, log = _action_body(doc, path, problems)
    if not (action_id and title and owners and status and opened):
        return None, problems
    action = Action(
        action_id,
        title,
        owners,
        status,
        opened,
        due,
        meeting,
        item,
        series,
        tags,
        description,
        tuple(log),
        Source(path, 1),
        extra,
        fields.key_lines(),
    )
    return action, problems


def _is_meeting_key(value: str) -> bool:
    series, _, date = value.partition("/")
    return bool(SERIES_KEY_RE.match(series)) and parse_iso_date(date) is not None


def _action_body(doc: Document, path: str, problems: list[Diagnostic]) -> tuple[str, list[LogEntry]]:
    lines = doc.body.split("\n")
    log_at = next((i for i, line in enumerate(lines) if LOG_HEADING_RE.match(line)), len(lines))
    description = re.sub(r"\n{3,}", "\n\n", "\n".join(strip_line_ends(lines[:log_at]))).strip()
    log: list[LogEntry] = []
    for offset, line in enumerate(lines[log_at + 1 :], start=log_at + 1):
        if not line.strip():
            continue
        file_line = doc.body_line + offset
        if line[:1].isspace() and log:
            last = log[-1]
            log[-1] = LogEntry(last.date, f"{last.text} {line.strip()}", last.source)
            continue
        match = _LOG_LINE_RE.match(line)
        date = parse_iso_date(match.group(1)) if match else None
        if match is None or date is None:
            problems.append(Diagnostic(path, file_line, "log line must be '- YYYY-MM-DD: text'"))
            continue
        log.append(LogEntry(date, match.group(2).strip(), Source(path, file_line)))
    return description, log


# -- proposals ----------------------------------------------------------------------------


@_never_silent("proposal")
def parse_proposal(data: bytes, path: str) -> tuple[Proposal | None, list[Diagnostic]]:
    """Parse ``proposals/<id>.md``: an item proposed for a coming meeting."""
    from idmeet.parser.body import parse_attachment

    problems: list[Diagnostic] = []
    split = _document_fields(data, path, PROPOSAL_KEYS, problems)
    if split is None:
        return None, problems
    doc, fields = split
    proposal_id = fields.text("id", required=True)
    series = fields.text("series", required=True)
    title = fields.text("title", required=True)
    category = fields.choice("category", CATEGORIES, aliases=CATEGORY_WORDS)
    attachments = []
    for raw, line in fields.text_list("attachments"):
        attachments.append(parse_attachment("", raw, Source(path, line)))
    taken = fields.text("taken")
    if taken is not None and not _is_meeting_key(taken):
        fields.error(fields.line("taken"), f"'taken' must be <series>/<YYYY-MM-DD>, not '{taken}'")
    proposal = Proposal(
        id=proposal_id or "",
        series=series or "",
        title=title or "",
        by=fields.text("by"),
        proposed=fields.date("proposed"),
        for_date=fields.date("for"),
        category=category,
        attachments=tuple(attachments),
        questions=tuple(q for q, _ in fields.text_list("questions")),
        text=doc.body.strip(),
        taken=taken,
        source=Source(path, 1),
        key_lines=fields.key_lines(),
    )
    if not (proposal_id and series and title):
        return None, problems
    return proposal, problems
