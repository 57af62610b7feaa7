"""Read the Markdown body of a meeting file into agenda items (see docs/format.md).

markdown-it-py finds the structure (headings, lists, code blocks, with their lines) the way
any CommonMark renderer sees it; the text of each part is then kept exactly as written.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from idmeet.core.breaks import strip_line_ends
from idmeet.core.diagnostics import Diagnostic, Severity
from idmeet.core.model import CATEGORY_WORDS, ActionLine, AgendaItem, Attachment, Decision, ItemStatus, Question, Source
from idmeet.core.names import REDACTION_RE, REDACTION_RUN_RE, longest_name, normalize

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


@functools.cache
def _markdown() -> MarkdownIt:
    """The CommonMark parser, made when a body is first parsed: a command that only reads
    the model (from the cache) does not import markdown-it (about 50 ms)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


ITEM_HEADING_RE = re.compile(r"^(\d+[a-z]?)[.)]\s+(.+)$")
ITEM_NUMBER_ONLY_RE = re.compile(r"^(\d+[a-z]?)[.)]?$")
DURATION_RE = re.compile(r"\s*\((?:ca\.?\s*)?(\d+)\s*(min\.?|minuten|minutes|uur|hour|hours)\)\s*$", re.IGNORECASE)
ATTACHMENT_RE = re.compile(
    r"^\s*[*_]*(?:bijlage|attachment)\s+(\d+[a-z]?)\s*[*_]*\s*:\s*(.*?)\s*[*_]*\s*$", re.IGNORECASE
)
CONFIDENTIAL_PREFIX_RE = re.compile(r"^(?:GEHEIM|VERTROUWELIJK)(?:[\s_:-]+|$)")
CONFIDENTIAL_NOTE_RE = re.compile(r"\s*\((?:vertrouwelijk|geheim|confidential)\)", re.IGNORECASE)
# "(vertrouwelijk, 5.1.2b)" or "(niet openbaar 5.1.1c)": confidential, withheld on this Woo ground.
CONFIDENTIAL_GROUND_RE = re.compile(
    r"\s*\((?:vertrouwelijk|geheim|confidential|niet openbaar)\s*[,;:]?\s*(?:grond\s*)?(5[\d.,\s]*[a-z]?)\s*\)",
    re.IGNORECASE,
)
META_RE = re.compile(r"^(categorie|category|status)\s*:\s*(.*?)\s*$", re.IGNORECASE)
# DOTALL: a decision of several lines (a list item or paragraph) is read whole.
DECISION_RE = re.compile(r"^\s*(?:[-*+]\s+)?[*_]*(?:besluit|decision)[*_]*\s*:[*_]*\s*(.*)$", re.IGNORECASE | re.DOTALL)
TASK_RE = re.compile(r"^\s*[-*+]\s+\[([ xX])\]\s*(.*)$")
OWNER_WORD_RE = re.compile(r"[^\s,;:!?()@]+")
# Between two owners: white space, a comma, "en"/"and", "&", "/" or "+".
OWNER_GLUE_RE = re.compile(r"(?:\s|,|;|&|/|\+|\ben\b|\band\b)*", re.IGNORECASE)
MENTION_RE = re.compile(r"(?<![\w.@/])@(?=[\w(])")
CONJUNCTION_RE = re.compile(r"^(?:en|and|&|\+|/)(?:\s|$)", re.IGNORECASE)
ACTION_ID_RE = re.compile(r"\s*<!--\s*([0-9a-z][0-9a-z-]*)\s*-->\s*$")
DUE_RE = re.compile(r"\s*\((voor|vóór|uiterlijk|deadline|due|before|by)\s+([^)]*)\)\s*$", re.IGNORECASE)
NUMBERED_RE = re.compile(r"^\s*\d+[.)]\s")
LIST_MARKER_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")

ITEM_STATUS_WORDS: dict[str, ItemStatus] = {
    "besproken": "besproken",
    "discussed": "besproken",
    "uitgesteld": "uitgesteld",
    "deferred": "uitgesteld",
    "komt terug": "uitgesteld",
    "niet besproken": "niet besproken",
    "not discussed": "niet besproken",
}
_PART_PREFIXES = (
    (
        "questions",
        (
            "vragen",
            "vraag",
            "bespreekpunt",
            "wij vragen",
            "punten ter",
            "ter bespreking",
            "ter besluitvorming",
            "questions",
            "question",
        ),
    ),
    ("notes", ("verslag", "notulen", "minutes", "notes")),
    ("decisions", ("besluiten", "besluit", "decisions")),
    ("actions", ("acties", "actie", "actions")),
)


def category_of(text: str) -> str | None:
    """The category a word names ("Ter bespreking:", "Mededelingen/actualiteiten"), if any."""
    key = normalize(DURATION_RE.sub("", text)).strip(" :*_")
    if key in CATEGORY_WORDS:
        return CATEGORY_WORDS[key]
    return "mededeling" if key.startswith("mededeling") else None


def split_duration(title: str) -> tuple[str, int | None]:
    """``"Bila Peter (30 min.)"`` -> ``("Bila Peter", 30)``."""
    match = DURATION_RE.search(title)
    if not match:
        return title.strip(), None
    minutes = int(match.group(1)) * (60 if match.group(2).lower().startswith(("uur", "hour")) else 1)
    return title[: match.start()].strip(), minutes


ATTACHMENT_LINK_RE = re.compile(r"^(.*?)\[([^\]]+)\]\(\s*<?([^)>]+?)>?\s*\)(.*)$")


def parse_attachment(label: str, raw_title: str, source: Source) -> Attachment:
    """An attachment, confidential when marked GEHEIM/(vertrouwelijk); marker removed. A ground
    in the marker, ``(vertrouwelijk, 5.1.2b)``, is the Woo ground it is withheld on. The
    title may link its file: ``[title](bijlagen/2024-06-17/voorstel.pdf)``, relative to the
    meeting file; the link is kept apart, the title is the link's text."""
    link = None
    linked = ATTACHMENT_LINK_RE.match(raw_title.strip())
    if linked:
        link = linked.group(3).strip()
        raw_title = f"{linked.group(1)}{linked.group(2)}{linked.group(4)}"
    title, confidential = raw_title.strip(), False
    if CONFIDENTIAL_PREFIX_RE.match(title):
        title, confidential = CONFIDENTIAL_PREFIX_RE.sub("", title, count=1), True
    if CONFIDENTIAL_NOTE_RE.search(title):
        title, confidential = CONFIDENTIAL_NOTE_RE.sub("", title), True
    ground = None
    match = CONFIDENTIAL_GROUND_RE.search(title)
    if match:
        title, confidential, ground = CONFIDENTIAL_GROUND_RE.sub("", title, count=1), True, match.group(1).strip()
    return Attachment(label.lower(), title.strip(), confidential, source, raw_title.strip(), ground, link)


def first_owner(chunk: str, spellings: tuple[str, ...] | list[str]) -> tuple[str, str, str]:
    """(owner, rest, kind) for the text right after an "@": a run of redaction marks
    ("redacted"), else the longest name or alias of ``spellings`` ("name", spelled as there), else one word
    ("word", a name idmeet may not know); ("", chunk, "") when nothing follows the "@".
    The one reading of an owner, for minutes lines and for ``idmeet import`` alike."""
    run = REDACTION_RUN_RE.match(chunk)
    if run and not chunk[:1].isspace():
        return run.group(0).strip(" ,."), chunk[run.end() :], "redacted"
    name = longest_name(chunk, spellings)
    if name:
        return name, chunk[len(name) :], "name"
    word = OWNER_WORD_RE.match(chunk)
    if word is None:
        return "", chunk, ""
    owner = word.group(0).rstrip(".")
    return owner, chunk[len(owner) :], "word"


def read_owners(written: str, spellings: tuple[str, ...] | list[str] = ()) -> tuple[tuple[str, ...], str, str | None]:
    """``"@Peter, @5.1, 2, e overleggen samen"`` -> (owners, text, problem).

    Every owner has its "@" and stands before the text, joined by spaces, commas, "en" or
    "and". ``problem`` says why a line cannot be read unambiguously (then the line must be
    reported, never guessed): an owner without its "@" ("@Peter en 5.1, 2, e ...",
    "@Peter 5.1, 2, e ..."), or an "@" inside the text.
    """
    owners: list[str] = []
    rest = written
    while rest.startswith("@"):
        owner, rest, _ = first_owner(rest[1:], spellings)
        if not owner:
            return tuple(owners), rest.strip(), "'@' without a name: write '- [ ] @Name what to do'"
        owners.append(owner)
        glue = OWNER_GLUE_RE.match(rest)
        after = rest[glue.end() :] if glue else rest
        if after.startswith("@"):
            rest = after
    text = rest.strip().lstrip(",;:–—-").strip()
    problem = None
    first = f"@{owners[0]}" if owners else "@Name"
    if CONJUNCTION_RE.match(text) or REDACTION_RE.match(text):
        problem = (
            f"cannot tell the owners from the text after '{first}': write '@' before every owner "
            f"('{first} @5.1, 2, e what to do')"
        )
    elif MENTION_RE.search(text):
        problem = (
            "an '@' inside the text of an action line: put every owner at the start "
            f"('{first} @Other what to do'), or write the name without '@'"
        )
    return tuple(owners), text, problem


def parse_task(
    line: str, source: Source, problems: list[Diagnostic], meeting_date: dt.date | None = None
) -> ActionLine | None:
    """``- [ ] @Peter laat bila plannen`` -> an ActionLine; None (and a problem) without owner.
    A due date without a year ("(voor 1 april)") takes the year that puts it on or after
    ``meeting_date``.

    The owners are read here without the people of ``idmeet.yaml`` (one word after each
    "@"); ``resolve_owners`` reads them again with those people, when the repository loads.
    """
    match = TASK_RE.match(line)
    if match is None:
        return None
    done, rest = match.group(1) != " ", match.group(2).strip()
    action_id = None
    tie = ACTION_ID_RE.search(rest)
    if tie:
        action_id, rest = tie.group(1), rest[: tie.start()].rstrip()
    if not rest.startswith("@") or not first_owner(rest[1:], ())[0]:
        problems.append(
            Diagnostic(source.path, source.line, "action line has no owner: write '- [ ] @Name what to do'")
        )
        return None
    due = None
    due_match = DUE_RE.search(rest)
    if due_match:
        from idmeet.core.dates import parse_date_text

        due = parse_date_text(due_match.group(2), after=meeting_date)
        if due is None:
            problems.append(
                Diagnostic(
                    source.path,
                    source.line,
                    f"unreadable due date '{due_match.group(2)}': write ({due_match.group(1)} YYYY-MM-DD)",
                )
            )
            return None
        rest = rest[: due_match.start()].rstrip()
    owners, text, _ = read_owners(rest)
    if not text:
        problems.append(
            Diagnostic(source.path, source.line, "action line says nothing to do: write '- [ ] @Name what to do'")
        )
        return None
    return ActionLine(owners, text, done, source, due, action_id, rest)


def resolve_owners(
    items: tuple[AgendaItem, ...], spellings: tuple[str, ...], problems: list[Diagnostic]
) -> tuple[AgendaItem, ...]:
    """The items with the owners of their action lines read with the people's names and
    aliases (``spellings``, longest first); a line that cannot be read unambiguously is left
    out and reported as ``path:line``."""
    out = []
    for item in items:
        if not item.actions:
            out.append(item)
            continue
        lines = []
        for line in item.actions:
            owners, text, problem = read_owners(line.written, spellings)
            if problem is not None:
                problems.append(Diagnostic(line.source.path, line.source.line, problem))
                continue
            if not text:
                problems.append(
                    Diagnostic(
                        line.source.path,
                        line.source.line,
                        "action line says nothing to do: write '- [ ] @Name what to do'",
                    )
                )
                continue
            lines.append(replace(line, owners=owners, text=text))
        out.append(replace(item, actions=tuple(lines)))
    return tuple(out)


@dataclass
class _Item:
    number: str
    title: str
    duration: int | None
    category: str | None
    section: str | None
    source: Source
    status: ItemStatus | None = None
    attachments: list[Attachment] = field(default_factory=list)
    questions_heading: str | None = None
    questions: list[Question] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    notes_at: list[int] = field(default_factory=list)  # file line of each line of ``notes``
    decisions: list[Decision] = field(default_factory=list)
    actions: list[ActionLine] = field(default_factory=list)
    in_meta: bool = True

    def freeze(self) -> AgendaItem:
        return AgendaItem(
            number=self.number,
            title=self.title,
            category=self.category,
            status=self.status,
            duration=self.duration,
            section=self.section,
            attachments=tuple(self.attachments),
            questions_heading=self.questions_heading,
            questions=tuple(self.questions),
            text=_join(self.text),
            notes=_join(self.notes),
            note_lines=_paragraph_lines(self.notes, self.notes_at),
            decisions=tuple(self.decisions),
            actions=tuple(self.actions),
            source=self.source,
        )


def _join(lines: list[str]) -> str:
    """Lines to text: no blank lines at the ends, at most one blank line in a row, no
    spaces at line ends except a hard break (``core.breaks``)."""
    out: list[str] = []
    for line in strip_line_ends(lines):
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def _paragraph_lines(lines: list[str], at: list[int]) -> tuple[int, ...]:
    """The file line of each paragraph (run of non-blank lines) of ``lines``."""
    starts = []
    for n, line in enumerate(lines):
        if line.strip() and (n == 0 or not lines[n - 1].strip()):
            starts.append(at[n])
    return tuple(starts)


@dataclass(frozen=True)
class _Heading:
    index: int  # 0-based line in the body
    level: int
    text: str


@dataclass
class _Structure:
    headings: list[_Heading]
    protected: set[int]  # lines inside code blocks or HTML
    blocks: dict[int, int]  # top-level list items and paragraphs: start line -> end line


def _structure(body: str) -> _Structure:
    tokens = _markdown().parse(body)
    headings: list[_Heading] = []
    protected: set[int] = set()
    blocks: dict[int, int] = {}
    for i, token in enumerate(tokens):
        if token.map is None:
            continue
        start, end = token.map
        if token.type == "heading_open" and token.level == 0:
            headings.append(_Heading(start, int(token.tag[1]), tokens[i + 1].content.strip()))
        elif token.type in ("fence", "code_block", "html_block"):
            protected.update(range(start, end))
        elif (token.type == "list_item_open" and token.level == 1) or (
            token.type == "paragraph_open" and token.level == 0
        ):
            blocks[start] = end
    return _Structure(headings, protected, blocks)


class _Reader:
    """Walks a body's lines heading by heading, building items."""

    def __init__(
        self, body: str, first_line: int, path: str, problems: list[Diagnostic], meeting_date: dt.date | None = None
    ):
        self.meeting_date = meeting_date
        self.lines = body.split("\n")
        self.first_line = first_line
        self.path = path
        self.problems = problems
        self.items: list[_Item] = []
        self.item: _Item | None = None
        self.part = "text"
        self.section: str | None = None
        self.section_category: str | None = None
        self.seen_numbers: dict[str, int] = {}
        self.after_bad_heading = False
        self.labels: dict[str, int] = {}

    def source(self, index: int) -> Source:
        return Source(self.path, self.first_line + index)

    def problem(self, index: int, message: str, severity: Severity = "error") -> None:
        self.problems.append(Diagnostic(self.path, self.first_line + index, message, severity))

    def run(self) -> list[AgendaItem]:
        structure = _structure("\n".join(self.lines))
        self.structure = structure
        bounds = [h.index for h in structure.headings] + [len(self.lines)]
        self.segment(0, bounds[0])
        for heading, end in zip(structure.headings, bounds[1:]):
            self.heading(heading)
            self.segment(heading.index + 1, end)
        return [item.freeze() for item in self.items]

    def heading(self, heading: _Heading) -> None:
        if heading.level == 1:
            self.item, self.after_bad_heading = None, False
            text = heading.text.strip(" *_")
            self.section = None if normalize(text) in ("agenda", "agendapunten") else text
            self.section_category = category_of(heading.text)
            return
        if heading.level == 2:
            self.start_item(heading)
            return
        if self.item is None:
            return
        kind = part_of(heading.text) if heading.level == 3 else None
        if kind is None:
            self.part = "text" if self.part in ("questions", "decisions", "actions") else self.part
            self.add(heading.index, self.lines[heading.index])
            return
        self.part = kind
        if kind == "questions" and self.item.questions_heading is None:
            self.item.questions_heading = heading.text.strip(" *_")

    def start_item(self, heading: _Heading) -> None:
        self.item, self.part, self.after_bad_heading = None, "text", False
        text = heading.text.strip(" *_")
        match = ITEM_HEADING_RE.match(text)
        if match is None:
            self.after_bad_heading = True
            bare = ITEM_NUMBER_ONLY_RE.match(text)
            if bare:
                self.problem(
                    heading.index, f"agenda item {bare.group(1)} has no title: write '## {bare.group(1)}. Title'"
                )
                return
            self.problem(
                heading.index,
                f"agenda item heading has no number: write "
                f"'## {self.next_number()}. {text}' (or '# {text}' for a section)",
            )
            return
        number = match.group(1)
        if number in self.seen_numbers:
            self.problem(heading.index, f"duplicate item number {number} (first on line {self.seen_numbers[number]})")
        self.seen_numbers.setdefault(number, self.first_line + heading.index)
        title, duration = split_duration(match.group(2).strip(" *_"))
        self.item = _Item(number, title, duration, self.section_category, self.section, self.source(heading.index))
        self.items.append(self.item)

    def next_number(self) -> int:
        """The number the next item would have: one more than the last numbered item."""
        numbers = [int(m.group(0)) for i in self.items if (m := re.match(r"\d+", i.number))]
        return max(numbers, default=0) + 1

    def target(self) -> list[str]:
        assert self.item is not None
        return self.item.notes if self.part in ("notes", "actions") else self.item.text

    def add(self, index: int, raw: str) -> None:
        """Add a line to the item's text or minutes (remembering where minutes lines stand)."""
        assert self.item is not None
        target = self.target()
        target.append(raw)
        if target is self.item.notes:
            self.item.notes_at.append(self.first_line + index)

    def segment(self, start: int, end: int) -> None:
        if self.item is None:
            if self.after_bad_heading:
                return  # its heading has been reported; no second message for its text
            if any(self.lines[i].strip() for i in range(start, end)):
                self.problem(
                    start + next(i for i in range(end - start) if self.lines[start + i].strip()),
                    "text outside an agenda item is ignored (put it under a '## N. Title')",
                    "warning",
                )
            return
        if self.part in ("questions", "decisions"):
            self.blocks(start, end)
            return
        for index in range(start, end):
            if self.part == "text" and index in self.structure.blocks:
                self.text_question(index, min(self.structure.blocks[index], end))
            self.line(index)

    def text_question(self, start: int, end: int) -> None:
        """A question written in the item's text (``in_text_question``): recorded as a
        question, and its lines stay in the text where they stand."""
        assert self.item is not None
        raw = self.lines[start]
        if ATTACHMENT_RE.match(raw) or DECISION_RE.match(raw) or TASK_RE.match(raw):
            return
        text = _block_text(self.lines[start:end])
        if in_text_question(text):
            form = "numbered" if NUMBERED_RE.match(raw) else "bullet" if LIST_MARKER_RE.match(raw) else "paragraph"
            self.item.questions.append(Question(text, self.source(start), form, in_text=True))

    def line(self, index: int) -> None:
        item, raw = self.item, self.lines[index]
        assert item is not None
        if index in self.structure.protected or not raw.strip():
            self.add(index, raw)
            return
        if self.part == "text" and item.in_meta and META_RE.match(raw.strip()):
            self.meta(index, raw.strip())
            return
        if self.special(index, raw):
            return
        item.in_meta = False
        self.add(index, raw)

    def special(self, index: int, raw: str) -> bool:
        """Attachment, decision and task lines, wherever they stand in an item."""
        item = self.item
        assert item is not None
        attachment = ATTACHMENT_RE.match(raw)
        if attachment:
            self.attachment(index, attachment.group(1), attachment.group(2))
            return True
        decision = DECISION_RE.match(raw)
        if decision:
            item.decisions.append(Decision(decision.group(1).strip(" *_"), self.source(index)))
            return True
        if TASK_RE.match(raw):
            action = parse_task(raw, self.source(index), self.problems, self.meeting_date)
            if action:
                item.actions.append(action)
            return True
        return False

    def meta(self, index: int, line: str) -> None:
        item = self.item
        assert item is not None
        match = META_RE.match(line)
        assert match is not None
        key, value = match.group(1).lower(), match.group(2)
        if key in ("categorie", "category"):
            category = category_of(value)
            if category is None:
                self.problem(
                    index,
                    f"unknown category '{value}' (use mededeling, ter bespreking, "
                    "ter besluitvorming or ter kennisname)",
                )
            item.category = category or item.category
        else:
            status = ITEM_STATUS_WORDS.get(normalize(value))
            if status is None:
                self.problem(index, f"unknown item status '{value}' (use besproken, uitgesteld or niet besproken)")
            item.status = status

    def attachment(self, index: int, label: str, title: str) -> None:
        assert self.item is not None
        if not title.strip(" *_"):
            self.problem(index, f"attachment {label} has no title: write 'Bijlage {label}: title'")
            return
        label = label.lower()
        if label in self.labels:
            self.problem(index, f"duplicate attachment label 'Bijlage {label}' (first on line {self.labels[label]})")
        self.labels.setdefault(label, self.first_line + index)
        self.item.attachments.append(parse_attachment(label, title, self.source(index)))

    def blocks(self, start: int, end: int) -> None:
        """Questions or decisions: one per top-level list item or paragraph."""
        item = self.item
        assert item is not None
        index = start
        while index < end:
            raw = self.lines[index]
            if not raw.strip():
                index += 1
                continue
            block_end = min(self.structure.blocks.get(index, index + 1), end)
            if not DECISION_RE.match(raw) and self.special(index, raw):
                index += 1
                continue
            text = _block_text(self.lines[index:block_end])
            if self.part == "questions":
                form = "numbered" if NUMBERED_RE.match(raw) else "bullet" if LIST_MARKER_RE.match(raw) else "paragraph"
                item.questions.append(Question(text, self.source(index), form))
            else:
                decision = DECISION_RE.match(text)
                item.decisions.append(
                    Decision(decision.group(1).strip(" *_") if decision else text, self.source(index))
                )
            index = block_end


ITALIC_BLOCK_RE = re.compile(r"^(?:[➤►→]\s*)?(\*(?!\*)|_(?!_))(\S(?:.*\S)?)(?<![*_])\1$", re.DOTALL)
DISCUSSION_RE = re.compile(r"^(?:we|wij)\s+(?:\w+\s+)?graag\b", re.IGNORECASE)


def in_text_question(text: str) -> bool:
    """A question in the progress meeting's style, written in an item's text: a paragraph or
    list item wholly in italics that ends with "?" (``*Klopt het dat ...?*``) or asks for a
    discussion (``*We bespreken graag met je ...*``, "We/Wij ... graag")."""
    match = ITALIC_BLOCK_RE.match(text.strip())
    if match is None:
        return False
    inner = match.group(2).strip()
    return inner.endswith("?") or DISCUSSION_RE.match(inner) is not None


def part_of(heading: str) -> str | None:
    key = normalize(heading).strip(" *_:")
    for part, prefixes in _PART_PREFIXES:
        if key.startswith(prefixes):
            return part
    return None


def _block_text(lines: list[str]) -> str:
    """A list item's or paragraph's lines as one text, the list marker removed."""
    if not lines:
        return ""
    first = LIST_MARKER_RE.sub("", lines[0], count=1)
    indent = len(lines[0]) - len(lines[0].lstrip()) + (len(lines[0].lstrip()) - len(first.lstrip()))
    rest = [line[indent:] if line[:indent].strip() == "" else line.lstrip() for line in lines[1:]]
    return _join([first.lstrip(), *rest])


def parse_items(
    body: str, first_line: int, path: str, problems: list[Diagnostic], meeting_date: dt.date | None = None
) -> list[AgendaItem]:
    """The agenda items of a meeting body; ``first_line`` is the body's line in the file;
    ``meeting_date`` dates the due dates written without a year."""
    return _Reader(body, first_line, path, problems, meeting_date).run()
