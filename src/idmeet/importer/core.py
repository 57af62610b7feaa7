"""``import_document``: the lines of one source document -> a meeting file and its action files.

A pure function of its arguments (no file system): the caller reads the document
(``importer.read``) and writes the result (``importer.plan``). The result is checked by
parsing it back as idmeet reads meeting and action files, and audited: every line of the
source body must be found in the result; a line that is not is kept as a comment in the
frontmatter and reported, never dropped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from idmeet.core.diagnostics import Diagnostic, IdmeetError, option
from idmeet.core.model import Action, Config, Series
from idmeet.core.names import REDACTION_RE, REDACTION_RUN_RE, is_redacted, normalize, suggest
from idmeet.edits.lines import ID_ALPHABET, ID_LENGTH, new_file_text
from idmeet.importer.actionlist import AT_RE, ActionListBody, Task, owner_at, read_action_list
from idmeet.importer.agenda import Writer, body_start, read_agenda
from idmeet.importer.header import (
    DateError,
    Header,
    HeaderReader,
    Name,
    NameBook,
    field_of,
    find_date,
    is_action_list_title,
    resolve_date,
    series_of_title,
)
from idmeet.importer.text import Line, SourceLine, analyse, clean, prepare, sentence_spans
from idmeet.parser.body import DUE_RE
from idmeet.parser.yamlio import yaml_scalar


@dataclass(frozen=True)
class ActionFile:
    id: str
    path: str  # "actions/<id>.md"
    text: str | None  # None when the task is tied to an existing action with another id
    title: str
    owner: str
    existing: bool  # an action with this id is in the repository already


@dataclass
class ImportResult:
    source: str  # the document, for messages
    kind: str  # "agenda" or "actions" (an "Acties & afspraken" list)
    series: str
    date: dt.date
    meeting_path: str  # "<series>/<YYYY-MM-DD>.md"
    meeting_text: str
    actions: list[ActionFile] = field(default_factory=list)
    items: int = 0
    attachments: int = 0
    confidential: int = 0
    questions: int = 0
    tasks: int = 0
    notes: list[str] = field(default_factory=list)
    unplaced: list[tuple[str, str]] = field(default_factory=list)  # (where, text)
    dropped: list[tuple[str, str]] = field(default_factory=list)  # page numbers and rules
    unknown_names: list[str] = field(default_factory=list)  # "'Jan' (line 4)" with a hint
    problems: list[Diagnostic] = field(default_factory=list)  # of the result, parsed back

    @property
    def meeting_key(self) -> str:
        return f"{self.series}/{self.date.isoformat()}"


def import_document(
    lines: Sequence[str | SourceLine],
    series: str,
    config: Config,
    *,
    year: int | None = None,
    today: dt.date | None = None,
    existing: Sequence[Action] = (),
    source: str = "the document",
    series_dates: Sequence[dt.date] = (),
) -> ImportResult:
    """Turn an agenda or an "Acties & afspraken" list into the text of repository files.

    ``lines`` are the document's lines (Markdown-ish text; ``importer.read`` makes them from
    .txt, .md and .docx). ``existing`` are the repository's actions: a task that was
    imported before, or written by hand, is tied to its action instead of made again.
    ``series_dates`` are the dates of the series' meetings in the repository: a date without
    a year takes the year that puts it near them (``header.resolve_date``).
    Raises ``IdmeetError`` (one line) when the document cannot be imported.
    """
    chosen = config.get_series(series)
    if chosen is None:
        known = [s.key for s in config.series]
        raise IdmeetError(f"unknown series '{series}'{suggest(series, known)} (known: {', '.join(known) or 'none'})")
    today = today or dt.date.today()
    source_lines = [
        entry if isinstance(entry, SourceLine) else SourceLine(f"line {n}", entry)
        for n, entry in enumerate(lines, start=1)
    ]
    if not any(entry.text.strip() for entry in source_lines):
        raise IdmeetError(f"{source} is empty")
    return _Importer(source_lines, chosen, config, year, today, existing, source, series_dates).run()


class _Importer:
    def __init__(
        self,
        source_lines: list[SourceLine],
        series: Series,
        config: Config,
        year: int | None,
        today: dt.date,
        existing: Sequence[Action],
        source: str,
        series_dates: Sequence[dt.date] = (),
    ) -> None:
        self.series_dates = tuple(series_dates)
        self.source_lines = source_lines
        self.series = series
        self.config = config
        self.year = year
        self.today = today
        self.existing = existing
        self.source = source
        self.book = NameBook(config)
        self.notes: list[str] = []
        self.comments: list[str] = []  # YAML comments for the meeting's frontmatter
        self.unknown: list[str] = []

    def fail(self, message: str) -> IdmeetError:
        return IdmeetError(f"{self.source}: {message}")

    # -- the whole document ----------------------------------------------------------------

    def run(self) -> ImportResult:
        prepared = prepare(self.source_lines)
        lines = prepared.lines
        if not lines:
            raise self.fail("has no text, only page numbers or rules")
        kind = self.kind(lines)
        reader = HeaderReader(self.series, self.config, self.book)
        start = self.read_header(lines, kind, reader)
        header = reader.header
        if header.other_series is not None and not header.own_title:
            other = header.other_series
            raise self.fail(
                f"its title '{header.other_series_line}' is that of series '{other.key}', "
                f"not '{self.series.key}': run again with {option('series')} {other.key}"
            )
        if not header.dates:  # a "Datum:" line below the first item
            header.dates += [
                found
                for line in lines[start:]
                if (field := field_of(line))
                and field[0] == "date"
                and (found := find_date(field[2], line.where, short=True))
            ][:1]
        date = self.date(header)
        key = f"{self.series.key}/{date.isoformat()}"
        body_lines = lines[start:]
        unplaced = list(header.unplaced)
        actions: list[ActionFile] = []
        if kind == "agenda":
            agenda = read_agenda(body_lines, header.agenda_word)
            if not agenda.items:
                raise self.fail("found no numbered agenda items (such as '1. Title'): is it an agenda?")
            body = agenda.lines
            unplaced += agenda.unplaced
            self.notes += agenda.notes
        else:
            topics = read_action_list(body_lines, self.book)
            if not topics.topics:
                raise self.fail("found no actions (bullets such as '- **Topic** @Owner what to do')")
            body, actions = self.action_list(topics, key, date)
            unplaced += topics.unplaced
        placed = [(line.where, line.raw.strip()) for line in unplaced]
        front = self.frontmatter(header, date, kind)
        text = self.meeting_text(front, header, placed, body)
        missing = self.audit(start, lines, prepared.dropped, placed, text, actions, kind)
        if missing:
            placed += missing
            text = self.meeting_text(front, header, placed, body)
        return self.result(kind, date, key, text, actions, placed, prepared.dropped)

    def kind(self, lines: list[Line]) -> str:
        first = body_start(lines, lambda line: field_of(line) is not None)
        before = lines[: first if first is not None else len(lines)]
        if any(is_action_list_title(line) for line in before if not line.is_list):
            return "actions"
        if first is None and any(line.is_list and AT_RE.search(line.plain) for line in lines):
            return "actions"
        return "agenda"

    def read_header(self, lines: list[Line], kind: str, reader: HeaderReader) -> int:
        """Read the header lines into ``reader``; returns the index where the body starts."""
        if kind == "agenda":
            start = body_start(lines, lambda line: field_of(line) is not None)
            start = len(lines) if start is None else start
            for line in lines[:start]:
                reader.read(line)
            return start
        for index, line in enumerate(lines):
            following = lines[index + 1] if index + 1 < len(lines) else None
            if line.is_list and line.indent == 0 and not reader.continues_names(line) and field_of(line) is None:
                return index
            if (
                line.heading_like
                and following is not None
                and following.is_list
                and following.indent == 0
                and "@" in following.plain
                and field_of(line) is None
                and not is_action_list_title(line)
                and series_of_title(line.plain, self.config.series)[0] is None
            ):
                return index
            reader.read(line)
        return len(lines)

    def date(self, header: Header) -> dt.date:
        if not header.dates:
            raise self.fail(
                "no date found in its header (such as 'Datum: maandag 17 juni 2024'); "
                "is it an agenda or an action list of the series?"
            )
        found = header.dates[0]
        try:
            date, notes = resolve_date(found, self.year, self.today, self.series_dates)
        except DateError as exc:
            raise self.fail(str(exc)) from None
        self.notes += notes
        for other in header.dates[1:]:
            if (other.day, other.month) != (date.day, date.month) or other.year not in (None, date.year):
                self.notes.append(
                    f"{other.where}: the header also names the date '{other.text}'; "
                    f"imported as {date.isoformat()} (from '{found.text}')"
                )
        return date

    # -- the meeting file ------------------------------------------------------------------

    def names(self, names: list[Name]) -> str:
        lines = []
        for name in names:
            self.check_name(name.text)
            comment = f"  # {name.comment}" if name.comment else ""
            lines.append(f"  - {yaml_scalar(name.text)}{comment}")
        return "\n" + "\n".join(lines)

    def check_name(self, name: str) -> None:
        if self.book.known(name):
            return
        spellings = [n for p in self.config.people for n in (p.name, *p.aliases)]
        entry = f"'{name}'{suggest(name, spellings)}"
        if entry not in self.unknown:
            self.unknown.append(entry)

    def frontmatter(self, header: Header, date: dt.date, kind: str) -> list[tuple[str, str]]:
        fields = [("series", self.series.key), ("date", date.isoformat())]
        if header.start:
            fields.append(("start", header.start))
        if header.end:
            fields.append(("end", header.end))
        location = header.location or header.location_hint
        if location:
            fields.append(("location", yaml_scalar(location)))
        invitees = header.invitees + (header.recipients if kind == "agenda" else [])
        attendees = header.attendees + (header.recipients if kind == "actions" else [])
        if invitees:
            fields.append(("invitees", self.names(invitees)))
        if attendees:
            fields.append(("attendees", self.names(attendees)))
        minute_taker = header.minute_taker or (header.senders[0] if kind == "actions" and header.senders else None)
        if minute_taker:
            self.check_name(minute_taker)
            fields.append(("minute_taker", yaml_scalar(minute_taker)))
        if header.chair:
            self.check_name(header.chair)
            fields.append(("chair", yaml_scalar(header.chair)))
        fields.append(("status", "held" if date < self.today else "planned"))
        return fields

    def meeting_text(
        self, front: list[tuple[str, str]], header: Header, placed: list[tuple[str, str]], body: list[str]
    ) -> str:
        comments = [f"# {comment}" for comment in [*header.comments, *self.comments]]
        comments += [f"# not placed by idmeet import ({where}): {text}" for where, text in placed]
        if comments:
            key, value = front[-1]
            front = [*front[:-1], (key, value + "\n" + "\n".join(comments))]
        return new_file_text(front, "\n".join(body))

    # -- action lists ----------------------------------------------------------------------

    def action_list(self, topics: ActionListBody, key: str, date: dt.date) -> tuple[list[str], list[ActionFile]]:
        out = Writer()
        files: list[ActionFile] = []
        seen: Counter[tuple[str, ...]] = Counter()
        taken: set[str] = set()
        for index, topic in enumerate(topics.topics):
            number = str(index + 1)
            for section in topics.sections.get(index, []):
                out.block(f"# {section}")
            out.block(f"## {number}. {topic.title}")
            if topic.untitled:
                self.notes.append(f"{topic.where}: no topic in bold; the item is titled '{topic.title}'")
            if topic.notes:
                out.block("### Verslag")
                for note in topic.notes:
                    if note.lstrip().startswith("- "):
                        out.list_item(1 if note.startswith(" ") else 0, "-", note.lstrip()[2:], False)
                    else:
                        out.text(note, True)
            if topic.tasks:
                out.block("### Acties")
                for task in topic.tasks:
                    line, action = self.task(task, topic.title, key, number, date, seen, taken)
                    out.list_item(0, "-", line, False)
                    files.append(action)
        for section in topics.sections.get(len(topics.topics), []):
            out.block(f"# {section}")
        out.gap()
        while out.lines and not out.lines[-1]:
            out.lines.pop()
        return out.lines, files

    def task(
        self,
        task: Task,
        title: str,
        key: str,
        item: str,
        date: dt.date,
        seen: Counter[tuple[str, ...]],
        taken: set[str],
    ) -> tuple[str, ActionFile]:
        owner = task.owner
        if is_redacted(owner):
            written = owner
        else:
            person = self.book.person(owner)
            if person is None:
                self.check_name(owner)
                written = owner
            else:
                one = self.book.one_word(owner)
                if one is None:
                    raise self.fail(
                        f"{task.where}: owner '{owner}' has no one-word alias to write "
                        "after '@': add one to the person's aliases in idmeet.yaml"
                    )
                written = one
        if task.garbled:
            note = f"the owner '{task.garbled}' is garbled by a redaction; imported as the redacted owner '{owner}'"
            self.notes.append(f"{task.where}: {note}")
            self.comments.append(f"idmeet import ({task.where}): {note}")
        text = task.text or title
        description, due = text, None
        due_match = DUE_RE.search(text)
        if due_match:
            from idmeet.core.dates import parse_date_text

            due = parse_date_text(due_match.group(2), after=date)
            if due is not None:
                description = text[: due_match.start()].rstrip()
        identity = (key, item, normalize(self.display(owner)), " ".join(description.split()))
        occurrence = seen[identity]
        seen[identity] += 1
        action_id = hashed_id(*identity, str(occurrence))
        by_id = {a.id: a for a in self.existing}
        existing = by_id.get(action_id)
        text_file = self.action_text(action_id, title, owner, task.garbled, date, due, key, item, description)
        if existing is None:
            adopted = self.adoptable(key, item, owner, description, taken)
            if adopted is not None:
                taken.add(adopted.id)
                return (
                    f"[ ] @{written} {text} <!-- {adopted.id} -->",
                    ActionFile(adopted.id, f"actions/{adopted.id}.md", None, title, owner, True),
                )
        taken.add(action_id)
        return (
            f"[ ] @{written} {text} <!-- {action_id} -->",
            ActionFile(action_id, f"actions/{action_id}.md", text_file, title, owner, existing is not None),
        )

    def display(self, name: str) -> str:
        person = None if is_redacted(name) else self.book.person(name)
        return person.name if person else name

    def adoptable(self, key: str, item: str, owner: str, description: str, taken: set[str]) -> Action | None:
        """An action of this meeting with the same owner and text (made by hand or an earlier import)."""
        want = (normalize(self.display(owner)), normalize(description))
        for action in self.existing:
            if (
                action.id not in taken
                and action.meeting == key
                and action.item in (None, item)
                and [normalize(self.display(o)) for o in action.owners] == [want[0]]
                and normalize(action.description.split("\n\n")[0]) == want[1]
            ):
                return action
        return None

    def action_text(
        self,
        action_id: str,
        title: str,
        owner: str,
        garbled: str,
        date: dt.date,
        due: dt.date | None,
        key: str,
        item: str,
        description: str,
    ) -> str:
        owner_value = yaml_scalar(owner) + (f"  # in the source: {garbled}" if garbled else "")
        fields = [
            ("id", action_id),
            ("title", yaml_scalar(title)),
            ("owner", owner_value),
            ("status", "open"),
            ("opened", date.isoformat()),
        ]
        if due is not None:
            fields.append(("due", due.isoformat()))
        fields += [("meeting", key), ("item", item), ("series", self.series.key)]
        return new_file_text(fields, description)

    # -- checks ----------------------------------------------------------------------------

    def audit(
        self,
        start: int,
        lines: list[Line],
        dropped: list[tuple[str, str]],
        placed: list[tuple[str, str]],
        text: str,
        actions: list[ActionFile],
        kind: str,
    ) -> list[tuple[str, str]]:
        """Source body lines that are not found in the result (a safety net: none expected)."""
        if start >= len(lines):
            return []
        first = lines[start].where
        index = next((i for i, entry in enumerate(self.source_lines) if entry.where == first), 0)
        skip = {where for where, _ in dropped} | {where for where, _ in placed}
        haystack = " " + words(text + "\n" + "\n".join(a.text or "" for a in actions)) + " "
        missing = []
        for entry in self.source_lines[index:]:
            if not entry.text.strip() or entry.where in skip:
                continue
            if not all(f" {piece} " in haystack for piece in fragments(entry.text, kind, self.book) if piece):
                missing.append((entry.where, clean(entry.text).strip()))
        if missing:
            self.notes.append(f"{len(missing)} line(s) could not be placed exactly; they are kept as comments")
        return missing

    def result(
        self,
        kind: str,
        date: dt.date,
        key: str,
        text: str,
        actions: list[ActionFile],
        placed: list[tuple[str, str]],
        dropped: list[tuple[str, str]],
    ) -> ImportResult:
        from idmeet.edits.fmt import format_file
        from idmeet.parser.records import parse_action, parse_meeting

        path = f"{key}.md"
        formatted, _ = format_file(text.encode("utf-8"), path, "meeting")
        text = formatted or text
        meeting, problems = parse_meeting(text.encode("utf-8"), path)
        files = []
        for action in actions:
            if action.text is not None:
                formatted, _ = format_file(action.text.encode("utf-8"), action.path, "action")
                action = ActionFile(
                    action.id, action.path, formatted or action.text, action.title, action.owner, action.existing
                )
                problems += parse_action(action.text.encode("utf-8"), action.path)[1]  # type: ignore[union-attr]
            files.append(action)
        result = ImportResult(
            self.source,
            kind,
            self.series.key,
            date,
            path,
            text,
            files,
            notes=self.notes,
            unplaced=placed,
            dropped=dropped,
            unknown_names=self.unknown,
            problems=[p for p in problems if p.severity == "error"],
        )
        if meeting is not None:
            result.items = len(meeting.items)
            result.attachments = sum(len(i.attachments) for i in meeting.items)
            result.confidential = sum(a.confidential for i in meeting.items for a in i.attachments)
            result.questions = sum(len(i.questions) for i in meeting.items)
            result.tasks = sum(len(i.actions) for i in meeting.items)
        return result


def hashed_id(*parts: str) -> str:
    """A stable action id from what the action is: the same source line gives the same id."""
    data = "\x1f".join(parts).encode("utf-8")
    salt = 0
    while True:
        digest = hashlib.sha256(data + salt.to_bytes(2, "big")).digest()
        number = int.from_bytes(digest[:8], "big")
        chars = []
        for _ in range(ID_LENGTH):
            number, rest = divmod(number, len(ID_ALPHABET))
            chars.append(ID_ALPHABET[rest])
        candidate = "".join(chars)
        if not candidate.isdigit():
            return candidate
        salt += 1


def words(text: str) -> str:
    """Text compared by its words only: no markup, punctuation, case or spacing."""
    return " ".join(re.sub(r"[\W_]+", " ", text.replace("\\", "")).casefold().split())


def fragments(raw: str, kind: str, book: NameBook) -> list[str]:
    """The pieces of a source line that must be found in the result, as ``words``.

    An agenda line must be found whole. A line of an action list is taken apart as the
    import takes it apart: the bold topic, each owner after "@", each sentence.
    """
    line = analyse("", clean(raw), False)
    text = line.full if line.level or line.ordered else line.plain
    text = re.sub(r"^(?:agendapunt|agenda-punt|punt|item)\s+(?=\d)", "", text, flags=re.IGNORECASE)
    text = re.sub(r"^((?:bijlage|attachment)\s+\d+)\s+([a-z])\b", r"\1\2", text, flags=re.IGNORECASE)
    if kind == "agenda" or not ("@" in raw or "**" in raw):
        return [words(text)]
    out = []
    pieces = re.split(r"\*\*|__", line.body)
    for piece in pieces:
        marks = [m.start() for m in AT_RE.finditer(piece)]
        chunks = [piece[: marks[0]] if marks else piece]
        for k, start in enumerate(marks):
            end = marks[k + 1] if k + 1 < len(marks) else len(piece)
            owner, rest, garbled = owner_at(piece[start + 1 : end], book)
            out.append(words(garbled or owner))
            if words(rest) not in ("", "en", "and", "of"):  # "@A en @B": the "en" goes with the owners
                chunks.append(rest)
        for chunk in chunks:
            for part in REDACTION_RUN_RE.split(chunk):
                out += [words(part[s:e]) for s, e in sentence_spans(part)]
            out += [words(mark.group(0)) for mark in REDACTION_RE.finditer(chunk)]
    return [piece for piece in out if piece]
