"""The body of an agenda: sections, numbered items, attachments, questions, text.

Items are recognised by their number, whatever their style: a Markdown heading or a bold
line with a number ("##### **1. Title**", "**9. Title (30 min.)**", "### 3 Title") is an
item; a plain numbered line ("1. Title", "2) Title") is one only when it continues the
numbering of the items (so the numbered questions inside item 3 stay a list), is short,
and the document does not style its items as headings. Everything else stays in the item
as written, with list levels put right ("- o text" is a second-level item).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from idmeet.core.names import normalize
from idmeet.importer.text import Line, unwrap
from idmeet.parser.body import ATTACHMENT_RE, META_RE, TASK_RE, category_of, part_of

ITEM_RE = re.compile(
    r"^(?:(?:agendapunt|agenda-punt|punt|item)\s+)?(\d{1,2})\s*([a-z])?\s*(?:[.):]|\s[-–—])\s*(\S.*)$", re.IGNORECASE
)
ITEM_BARE_RE = re.compile(r"^(?:(?:agendapunt|punt|item)\s+)?(\d{1,2})([a-z])?\s+([^\d\s].*)$", re.IGNORECASE)
SOURCE_ATTACHMENT_RE = re.compile(
    r"^(bijlage|attachment)\s+(\d{1,2})\s?([a-z])?(?![\w])\s*(?::|\.|\s[-–—]\s|[-–—]\s)\s*(\S.*)$", re.IGNORECASE
)
_TITLE_CATEGORY_RE = re.compile(r"\((ter\s+\w+|mededeling\w*)\)", re.IGNORECASE)


@dataclass
class Numbering:
    """The items found so far, to tell an item heading from a numbered list."""

    last: tuple[int, str] | None = None
    styled: bool = False  # the document styles its items as headings or bold lines

    def fits(self, number: int, letter: str) -> bool:
        if self.last is None:
            return number <= 3
        last_number, last_letter = self.last
        return number == last_number + 1 or (number == last_number and letter > last_letter)


def item_heading(line: Line, numbering: Numbering, after_list_number: int | None) -> tuple[str, str] | None:
    """(number, title) when the line starts an agenda item."""
    if line.indent > 0 and not line.heading_like:
        return None
    text = line.full
    match = ITEM_RE.match(text) or (ITEM_BARE_RE.match(text) if line.heading_like else None)
    if match is None:
        return None
    number, letter, title = int(match.group(1)), (match.group(2) or "").lower(), match.group(3).strip()
    title = title.rstrip(" :").strip()
    if not title:
        return None
    if line.heading_like:
        return f"{number}{letter}", title
    if numbering.styled or not numbering.fits(number, letter):
        return None
    if len(title) > 100 or len(title.split()) > 12 or title.endswith(("?", ";", ",")):
        return None
    if line.plain.rstrip().endswith(":"):
        return None  # "1. Wij stellen voor:" introduces a list
    if after_list_number is not None and after_list_number + 1 == number:
        return None  # the next element of a numbered list inside the item
    return f"{number}{letter}", title


@dataclass
class Body:
    lines: list[str] = field(default_factory=list)
    items: list[tuple[str, str, str]] = field(default_factory=list)  # (number, title, where)
    unplaced: list[Line] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # item number -> where
    attachments: dict[str, str] = field(default_factory=dict)  # attachment label -> where


class Writer:
    """The Markdown lines of a body, with blank lines where the structure needs them."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.widths: list[int] = []  # marker width per list level of the current list
        self.in_list = False

    def gap(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def block(self, text: str) -> None:
        """A line that stands alone: a heading, a meta line, an attachment."""
        self.gap()
        self.lines.append(text)
        self.lines.append("")
        self.in_list = False

    def text(self, text: str, blank_before: bool) -> None:
        if blank_before or self.in_list:
            self.gap()
        self.lines.append(escape_line(text))
        self.in_list = False

    def list_item(self, level: int, marker: str, text: str, blank_before: bool, loose: bool = False) -> None:
        """A list line; a blank line before it only when the list is new or ``loose``."""
        if not self.in_list:
            self.widths = []
            if blank_before or (self.lines and self.lines[-1] != ""):
                self.gap()
        elif loose:
            self.gap()
        level = min(level, len(self.widths))
        indent = sum(self.widths[:level])
        self.widths = [*self.widths[:level], len(marker) + 1]
        if TASK_RE.match(f"- {text}") and not re.match(r"^\[[ xX]\]\s*@", text):
            text = "\\" + text  # "- [ ] text" without an owner is not a task
        self.lines.append(" " * indent + f"{marker} {escape_line(text)}")
        self.in_list = True


def escape_line(text: str) -> str:
    """Text that idmeet would read as something else, escaped so it stays text.

    A line of only "-" or "=" would underline the line above it into a heading, only "#"s
    are one, and "Bijlage 1:" without a title is not an attachment.
    """
    if re.fullmatch(r"\s*(?:[-=]+|#{1,6})\s*", text):
        return "\\" + text.strip()
    if ATTACHMENT_RE.match(text):
        return re.sub(r"(\d[a-zA-Z]?)(\s*[*_]*\s*):", r"\1\2\\:", text, count=1)
    return text


class ListLevels:
    """The level of each list line: by indentation, and by the "o" glyph of Word's second level.

    Text exports of Word lists write the second level as " - o text" and lose the glyph of
    the third, so " - text" after " - o text" at the same indentation is one level deeper;
    an "o" line without indentation under a plain top-level line is a second-level line.
    """

    def __init__(self) -> None:
        self.stack: list[list[int]] = []  # [source indent, level, glyph seen, plain seen]

    def reset(self) -> None:
        self.stack = []

    def level(self, line: Line) -> int:
        stack = self.stack
        indent = line.indent
        if line.glyph and indent == 0 and stack and stack[0][0] == 0 and stack[0][3]:
            indent = 1
        while stack and indent < stack[-1][0]:
            stack.pop()
        if stack and indent == stack[-1][0]:
            entry = stack[-1]
        else:
            entry = [indent, stack[-1][1] + 1 if stack else 0, 0, 0]
            stack.append(entry)
        if line.glyph:
            entry[2] = 1
            return entry[1]
        entry[3] = 1
        return entry[1] + 1 if entry[2] and indent > 0 else entry[1]


class AgendaReader:
    """Builds the Markdown body of a meeting file from the body lines of an agenda."""

    def __init__(self, lines: list[Line], agenda_word: bool) -> None:
        self.source = lines
        self.body = Body()
        self.out = Writer()
        self.levels = ListLevels()
        self.numbering = Numbering()
        self.in_item = False
        self.part = "text"  # text, questions, notes, decisions, actions
        self.item_started_text = False
        self.section_category: str | None = None
        self.list_number: int | None = None  # the number of the last numbered list line
        self.after_emphasis = False  # the last list line was a bold topic or an italic question
        if agenda_word:
            self.out.block("# Agenda")

    # -- classification helpers ------------------------------------------------------------

    def next_line(self, index: int) -> Line | None:
        return self.source[index + 1] if index + 1 < len(self.source) else None

    def is_item(self, index: int) -> tuple[str, str] | None:
        line = self.source[index]
        after = self.list_number if index > 0 and self.source[index - 1].ordered else None
        return item_heading(line, self.numbering, after)

    def next_is_item(self, index: int) -> bool:
        following = self.next_line(index)
        if following is None:
            return False
        probe = Numbering(self.numbering.last, self.numbering.styled)
        return item_heading(following, probe, None) is not None

    def section_text(self, line: Line, index: int) -> str | None:
        """The section name when the line is a section heading such as "Ter bespreking"."""
        return section_name(line, self.next_is_item(index), self.in_item)

    def part_heading(self, line: Line) -> tuple[str, str] | None:
        """("questions", "Vragen aan de stuurgroep") for a heading of an item's part."""
        if line.marker:
            return None
        text = line.plain.strip()
        bare = text.rstrip(":").strip()
        if not bare or len(bare.split()) > 8 or bare.endswith((".", "?", "!")):
            return None
        kind = part_of(bare)
        if kind is None:
            return None
        marked = text.endswith(":") or line.heading_like or line.italic
        if not (marked or (kind == "questions" and len(bare.split()) <= 5)):
            return None  # a plain "Vragen aan de stuurgroep" is a heading; a plain "Acties" need not be
        return kind, bare

    # -- reading ---------------------------------------------------------------------------

    def run(self) -> Body:
        for index, line in enumerate(self.source):
            self.read(index, line)
        self.out.gap()
        while self.out.lines and self.out.lines[-1] == "":
            self.out.lines.pop()
        self.body.lines = self.out.lines
        return self.body

    def read(self, index: int, line: Line) -> None:
        heading = self.is_item(index)
        if heading is not None:
            self.start_item(line, *heading)
            return
        section = self.section_text(line, index)
        if section is not None:
            self.start_section(section)
            return
        if not self.in_item:
            self.body.unplaced.append(line)
            return
        part = self.part_heading(line)
        if part is not None and self.part_allowed(part[0], index):
            self.part = part[0]
            self.levels.reset()
            self.out.block(f"### {part[1]}")
            return
        if line.heading_like and not line.marker and line.level:
            self.part = "text"
            self.levels.reset()
            self.out.block(f"{'#' * max(4, line.level)} {line.plain}")
            return
        if self.attachment(line):
            return
        self.content(line)

    def part_allowed(self, kind: str, index: int) -> bool:
        """Questions need something under them (not the next item straight away)."""
        return kind != "questions" or (self.next_line(index) is not None and not self.next_is_item(index))

    def start_item(self, line: Line, number: str, title: str) -> None:
        if number in self.body.labels:
            self.body.notes.append(
                f"{line.where}: item number {number} is used twice (first at {self.body.labels[number]})"
            )
        self.body.labels.setdefault(number, line.where)
        if line.heading_like:
            self.numbering.styled = True
        match = re.match(r"(\d+)([a-z]?)", number)
        assert match is not None
        self.numbering.last = (int(match.group(1)), match.group(2))
        self.in_item, self.part, self.item_started_text = True, "text", False
        self.list_number = None
        self.levels.reset()
        self.body.items.append((number, title, line.where))
        self.out.block(f"## {number}. {title}")
        category = category_of(title)
        explicit = _TITLE_CATEGORY_RE.search(title)
        if explicit:
            category = category_of(explicit.group(1)) or category
        if category is not None and category != self.section_category:
            self.out.block(f"Categorie: {category}")

    def start_section(self, text: str) -> None:
        self.in_item, self.part = False, "text"
        self.levels.reset()
        self.section_category = category_of(text)
        self.out.block(f"# {text}")

    def attachment(self, line: Line) -> bool:
        match = SOURCE_ATTACHMENT_RE.match(line.plain)
        if match is None:
            return False
        word, number, letter, title = match.groups()
        label = f"{number}{(letter or '').lower()}"
        written = line.body if ATTACHMENT_RE.match(line.body) else None
        if written is not None:
            found = ATTACHMENT_RE.match(written)
            assert found is not None
            if found.group(1).lower() != label:
                written = None
        if written is None:
            written = f"{word.capitalize()} {label}: {title.strip()}"
            if line.italic:
                written = f"*{written}*"
        if label in self.body.attachments:
            first = self.body.attachments[label]
            self.body.notes.append(
                f"{line.where}: attachment {label} is listed twice (first at {first}); the second is kept as text"
            )
            escaped = re.sub(r"(\d[a-zA-Z]?)(\s*[*_]*\s*):", r"\1\2\\:", written, count=1)
            self.content_text(escaped, line)
            return True
        self.body.attachments[label] = line.where
        self.levels.reset()
        self.out.block(written)
        return True

    def content(self, line: Line) -> None:
        questions = self.part == "questions" and (line.italic or line.bold)
        body = unwrap(line.body) if questions else line.body
        if line.marker:
            level = self.levels.level(line)
            emphasised = line.bold or line.italic
            self.out.list_item(
                level,
                line.marker,
                body,
                line.blank_before,
                loose=line.blank_before and (emphasised or self.after_emphasis),
            )
            self.after_emphasis = emphasised
            self.list_number = int(re.match(r"\d+", line.marker).group(0)) if line.ordered else None  # type: ignore[union-attr]
            self.item_started_text = True
            return
        self.list_number = None
        self.levels.reset()
        self.content_text(body, line)

    def content_text(self, text: str, line: Line) -> None:
        if not self.item_started_text and self.part == "text":
            meta = META_RE.match(text.strip())  # "Status: concept" right under the heading is not meta
            if meta and not _valid_meta(meta.group(1), meta.group(2)):
                text = re.sub(r"\s*:", r"\\:", text, count=1)
        self.out.text(text, line.blank_before)
        self.item_started_text = True


def _valid_meta(key: str, value: str) -> bool:
    from idmeet.parser.body import ITEM_STATUS_WORDS

    if key.lower() in ("categorie", "category"):
        return category_of(value) is not None
    return normalize(value) in ITEM_STATUS_WORDS


def read_agenda(lines: list[Line], agenda_word: bool) -> Body:
    return AgendaReader(lines, agenda_word).run()


def section_name(line: Line, next_is_item: bool, in_item: bool) -> str | None:
    """The section a line starts ("Ter bespreking", "Voortgangsoverleg (ca. 45 minuten)"), if any.

    A category word starts a section when items follow it; a heading (or a bold line) does
    when items follow it or no item has begun. Inside an item they are the item's own.
    """
    if line.marker or ITEM_RE.match(line.full):
        return None
    text = line.plain.rstrip(":").strip()
    if not text or len(text.split()) > 10 or text.endswith((".", "?", "!")):
        return None
    if category_of(text) is not None or line.heading_like:
        return text if next_is_item or not in_item else None
    return None


def body_start(lines: list[Line], is_header_field: Callable[[Line], bool]) -> int | None:
    """Where the body of an agenda begins: its first item, or the section heading just before it."""
    for index, line in enumerate(lines):
        if item_heading(line, Numbering(), None) is not None:
            return index
        following = lines[index + 1] if index + 1 < len(lines) else None
        if (
            following is not None
            and item_heading(following, Numbering(), None) is not None
            and not is_header_field(line)
            and section_name(line, True, True) is not None
        ):
            return index
    return None
