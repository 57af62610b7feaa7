"""The lines of a source document: cleaning, page furniture, broken lines, and what each line is.

Exports of Word documents (the seeds) have their own layout quirks: Markdown headings and
bold around item numbers, "o " bullet glyphs of the second list level, sentences broken
over two lines with a blank line between, page numbers. This module turns the raw lines
into ``Line`` records that the agenda and action-list readers classify; the text of each
line is kept exactly as written (emphasis included) for the output.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from idmeet.core.names import REDACTION_RE


@dataclass(frozen=True)
class SourceLine:
    """One line of the source as read: where it stands ("line 12", "paragraph 7") and its text."""

    where: str
    text: str


HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
# A list marker: a dash, star or bullet glyph; "o" only before a capital (Word's level-2 glyph).
BULLET_RE = re.compile(r"^(?:[-*+•·▪◦‣⁃–—§]|o(?=\s+[A-Z0-9(\"'*]))\s+")
GLYPH_RE = re.compile(r"^(?:o|▪|◦|•|·|§)\s+(?=\S)")
ORDERED_RE = re.compile(r"^(\d{1,2}[a-zA-Z]?[.)])\s+")
FURNITURE_RE = re.compile(
    r"^(?:(?:pagina|page|blz\.?|p\.)\s*\d+(?:\s*(?:van|of|/)\s*\d+)?|-\s*\d+\s*-)$", re.IGNORECASE
)
RULE_RE = re.compile(r"^\s*([-*_=])(?:\s*\1){2,}\s*$")
SENTENCE_END_RE = re.compile(r"[.!?:;]$")
ATTACHMENT_START_RE = re.compile(r"^(?:bijlage|attachment)\s+\d", re.IGNORECASE)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


def clean(text: str) -> str:
    """NFC, no invisible characters, no-break spaces and tabs as spaces, no trailing space."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\t", "    ").replace("\f", "").replace("\v", "")
    return text.rstrip()


def strip_emphasis(text: str) -> str:
    """Markdown emphasis markers removed: every ``*``, and ``_`` not inside a word."""
    text = text.replace("*", "")
    return re.sub(r"(?<!\w)_+|_+(?!\w)", "", text)


def collapse(text: str) -> str:
    return " ".join(text.split())


def unwrap(text: str) -> str:
    """``**text**`` or ``*text*`` around the whole text removed (once); else the text."""
    stripped = text.strip()
    for marker in ("***", "**", "__", "*", "_"):
        if (
            len(stripped) > 2 * len(marker)
            and stripped.startswith(marker)
            and stripped.endswith(marker)
            and marker not in stripped[len(marker) : -len(marker)]
        ):
            return stripped[len(marker) : -len(marker)].strip()
    return stripped


def wrapped_in(text: str, marker: str) -> bool:
    """Is the whole text wrapped in this emphasis marker (``**`` bold, ``*`` italic)?"""
    stripped = text.strip()
    if not (stripped.startswith(marker) and stripped.endswith(marker)) or len(stripped) <= 2 * len(marker):
        return False
    inner = stripped[len(marker) : -len(marker)]
    if marker == "*":
        return not stripped.startswith("**") and "*" not in inner.replace("**", "")
    return marker not in inner


@dataclass(frozen=True)
class Line:
    """A non-blank line and what it looks like."""

    where: str
    raw: str  # as written, cleaned
    blank_before: bool  # a blank line stood before it in the source
    indent: int  # leading spaces
    level: int  # Markdown heading level, 0 when not a heading
    marker: str  # list marker as written: "-", "1.", "3)"; "" when not a list item
    glyph: bool  # a second bullet glyph after the marker ("- o text")
    body: str  # the text after indentation, heading marks, list marker and glyph; emphasis kept
    plain: str  # body without emphasis, white space collapsed
    full: str  # like plain, but with an ordered list marker kept ("1. Title")

    @property
    def is_list(self) -> bool:
        return bool(self.marker)

    @property
    def ordered(self) -> bool:
        return self.marker[:1].isdigit()

    @property
    def bold(self) -> bool:
        return wrapped_in(self.body, "**") or wrapped_in(self.body, "__")

    @property
    def italic(self) -> bool:
        return wrapped_in(self.body, "*") or wrapped_in(self.body, "_")

    @property
    def heading_like(self) -> bool:
        """A Markdown heading, or a whole line in bold that is not a list item."""
        return self.level > 0 or (self.bold and not self.marker)


def analyse(where: str, raw: str, blank_before: bool) -> Line:
    after = raw.lstrip(" ")
    indent = len(raw) - len(after)
    level, marker, glyph = 0, "", False
    heading = HEADING_RE.match(after)
    if heading:
        level, rest = len(heading.group(1)), heading.group(2)
    else:
        rest = after
        bullet = BULLET_RE.match(rest)
        ordered = ORDERED_RE.match(rest)
        if bullet:
            marker = "-"
            rest = rest[bullet.end() :]
            second = GLYPH_RE.match(rest)
            if second:
                glyph, rest = True, rest[second.end() :]
            elif bullet.group(0).startswith("o"):
                glyph = True
        elif ordered:
            marker, rest = ordered.group(1), rest[ordered.end() :]
    plain = collapse(strip_emphasis(rest))
    full = f"{marker} {plain}" if marker[:1].isdigit() else plain
    if level:
        full = collapse(strip_emphasis(rest))
    return Line(where, raw, blank_before, indent, level, marker, glyph, rest.strip(), plain, full)


@dataclass
class Prepared:
    lines: list[Line]
    dropped: list[tuple[str, str]]  # (where, text): page furniture and rules


def _ends_open(line: Line) -> bool:
    """Does the line stop in the middle of a sentence (no closing punctuation)?"""
    text = line.raw.rstrip(" *_")
    return (
        len(line.plain) >= 30
        and not SENTENCE_END_RE.search(text)
        and line.level == 0
        and not ATTACHMENT_START_RE.match(line.plain)
    )


def _continues(line: Line) -> bool:
    """Does the line go on with a sentence (a lower-case start, not a list item or heading)?"""
    start = line.body.lstrip("*_ ")
    return (
        not line.marker
        and line.level == 0
        and line.indent < 4
        and start[:1].islower()
        and not REDACTION_RE.match(start)
    )


def prepare(source: list[SourceLine]) -> Prepared:
    """Clean the lines, drop page furniture, and join sentences broken over a blank line."""
    dropped: list[tuple[str, str]] = []
    lines: list[Line] = []
    blank = False
    for entry in source:
        raw = clean(entry.text)
        if not raw.strip():
            blank = True
            continue
        plain = collapse(strip_emphasis(raw.strip().lstrip("#").strip()))
        if FURNITURE_RE.match(plain) or RULE_RE.match(raw):
            dropped.append((entry.where, raw.strip()))
            continue
        line = analyse(entry.where, raw, blank)
        blank = False
        if lines and line.blank_before and _ends_open(lines[-1]) and _continues(line):
            previous = lines[-1]
            lines[-1] = analyse(previous.where, f"{previous.raw} {line.raw.strip()}", previous.blank_before)
            continue
        lines.append(line)
    return Prepared(lines, dropped)


# -- sentences ----------------------------------------------------------------------------

ABBREVIATIONS = frozenset(
    {
        "ca",
        "evt",
        "bijv",
        "incl",
        "excl",
        "nr",
        "etc",
        "resp",
        "dhr",
        "mw",
        "mevr",
        "drs",
        "dr",
        "ir",
        "prof",
        "max",
        "min",
        "vs",
        "jl",
        "a.s",
        "o.a",
        "n.a.v",
        "i.r.t",
        "m.b.t",
        "t.a.v",
        "d.w.z",
        "z.s.m",
        "i.v.m",
        "e.d",
        "m.n",
        "t.z.t",
        "i.o.m",
        "o.b.v",
        "a.d.h.v",
        "m.u.v",
        "p.m",
    }
)
_SENTENCE_BREAK_RE = re.compile(r"[.!?]+[\"')\]]?\s+(?=[A-Z0-9@\"'(ÀÁÂÄÈÉÊËÍÏÓÖÚÜ])")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``; the spans cover the text without gaps."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_BREAK_RE.finditer(text):
        word = re.search(r"(\S+)$", text[start : match.start()])
        token = word.group(1).lower().rstrip(".") if word else ""
        if token in ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)+[a-z]", token):
            continue
        spans.append((start, match.end()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans
