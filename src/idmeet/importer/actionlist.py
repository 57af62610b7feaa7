"""The body of an "Acties & afspraken" list: one topic per bullet, its actions by "@owner".

A bullet reads "**Topic** what was said. @Owner what to do. More of it." (the owner may
stand inside the bold, "**Topic @Peter** laat ..."). The action is the sentence after the
owner, and the sentences after it that have no subject of their own ("Komt erop terug.",
"Dan bespreken ..."); a sentence that starts with a name, a pronoun or an article is said
about the topic and goes to the item's minutes, as does the text before the first owner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from idmeet.core.names import REDACTION_RE, REDACTION_RUN_RE
from idmeet.importer.header import NameBook
from idmeet.importer.text import Line, collapse, sentence_spans, strip_emphasis
from idmeet.parser.body import first_owner

AT_RE = re.compile(r"(?<![\w.@/])@(?=[\w(])")
_BOLD_LEAD_RE = re.compile(r"^(\*\*|__)(.+?)\1\s*(.*)$", re.DOTALL)
_COLON_TOPIC_RE = re.compile(r"^([^:@.?!]{2,80}):\s+(\S.*)$")
# Words that start a sentence with a subject of its own (not a continuation of the action).
SUBJECT_WORDS = frozenset(
    {
        "het",
        "de",
        "een",
        "dit",
        "dat",
        "deze",
        "die",
        "er",
        "wat",
        "wie",
        "we",
        "wij",
        "ik",
        "jij",
        "je",
        "u",
        "hij",
        "zij",
        "ze",
        "men",
        "hun",
        "ons",
        "onze",
        "mijn",
        "zijn",
        "haar",
        "voordeel",
        "nadeel",
        "risico",
        "besluit",
        "afspraak",
        "afgesproken",
        "conclusie",
        "verder",
        "daarnaast",
        "bovendien",
        "tot",
        "bij",
        "in",
        "op",
        "voor",
        "na",
        "met",
        "over",
        "als",
        "zodra",
        "omdat",
        "hierbij",
        "vanuit",
        "volgens",
        "iedereen",
        "niemand",
        "alle",
        "allen",
        "the",
        "they",
        "it",
    }
)


@dataclass
class Task:
    owner: str  # as written in the source (an alias, a name, a redaction mark)
    text: str
    where: str
    garbled: str = ""  # "@Pete 5.1, 2, e" when a redaction ate part of the owner


@dataclass
class Topic:
    title: str
    where: str
    notes: list[str] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    untitled: bool = False


@dataclass
class ActionListBody:
    topics: list[Topic] = field(default_factory=list)
    sections: dict[int, list[str]] = field(default_factory=dict)  # topic index -> the section headings before it
    unplaced: list[Line] = field(default_factory=list)


def owner_at(chunk: str, book: NameBook) -> tuple[str, str, str]:
    """(owner, rest, garbled) for the text right after an "@"."""
    word, after, kind = first_owner(chunk, book.spellings)
    if kind != "word":
        return word, after, ""
    glued = REDACTION_RUN_RE.match(after)
    if glued and after[:1].isspace() and not book.known(word):
        owner = glued.group(0).strip(" ,.")
        return owner, after[glued.end() :], f"@{word}{glued.group(0).rstrip(' ,.')}"
    return word, after, ""


def _starts_own_sentence(sentence: str, book: NameBook) -> bool:
    text = strip_emphasis(sentence).strip()
    if not text:
        return True
    if REDACTION_RE.match(text) or book.match_at(text) or text.startswith("@"):
        return True
    first = re.match(r"[\w&'-]+", text)
    if first is None:
        return True
    word = first.group(0)
    if word.lower() in SUBJECT_WORDS or (len(word) > 1 and word.isupper()):
        return True
    return ":" in " ".join(text.split()[:3])


_CONJUNCTIONS = frozenset({"", "en", "and", "&", "/", "+", "of"})


def split_text(text: str, book: NameBook, where: str) -> tuple[str, list[Task]]:
    """A paragraph of a topic -> (its minutes text, its tasks).

    "@A en @B doen X" gives a task for each owner; "doen X (@A)" takes the text before the
    owner as the action.
    """
    marks = [m.start() for m in AT_RE.finditer(text)]
    if not marks:
        return text.strip(), []
    notes: list[str] = []
    tasks: list[Task] = []
    waiting: list[tuple[str, str]] = []  # owners whose action follows a later owner
    head = text[: marks[0]].strip(" :;,–—-")
    if head:
        notes.append(head)
    for k, start in enumerate(marks):
        end = marks[k + 1] if k + 1 < len(marks) else len(text)
        owner, rest, garbled = owner_at(text[start + 1 : end], book)
        if notes and notes[-1].endswith("(") and rest.lstrip().startswith(")"):
            notes[-1] = notes[-1][:-1].rstrip()  # "(@Peter)": the brackets go with the owner
            if not notes[-1]:
                notes.pop()
            rest = rest.lstrip()[1:]
        if rest.strip(" ,;:.").lower() in _CONJUNCTIONS and k + 1 < len(marks):
            waiting.append((owner, garbled))
            continue
        rest = re.sub(r"^[\s:,;–—-]+", " ", rest)
        spans = sentence_spans(rest)
        cut = 0
        for number, (s_start, s_end) in enumerate(spans):
            if number > 0 and _starts_own_sentence(rest[s_start:s_end], book):
                break
            cut = s_end
        action, leftover = rest[:cut].strip(), rest[cut:].strip()
        if not action.strip(" .,;:)") and notes:
            action = f"{notes.pop()} {action}".strip()  # "**Topic** text @Owner": the text is the action
        for who, mangled in [*waiting, (owner, garbled)]:
            tasks.append(Task(who, action, where, mangled))
        waiting = []
        if leftover:
            notes.append(leftover)
    return " ".join(notes), tasks


def topic_of(body: str) -> tuple[str, str, bool]:
    """(title, rest, untitled) of a bullet: the bold lead, else "Topic: text", else a short lead."""
    bold = _BOLD_LEAD_RE.match(body)
    if bold:
        lead, rest = bold.group(2), bold.group(3)
        at = AT_RE.search(lead)
        if at:
            rest = f"{lead[at.start() :]} {rest}".strip()
            lead = lead[: at.start()]
        title = collapse(strip_emphasis(lead)).strip(" .:;,-")
        if title:
            return title, rest.lstrip(" :;,–—-"), False
        body = rest
    colon = _COLON_TOPIC_RE.match(body)
    if colon and len(colon.group(1).split()) <= 8:
        return collapse(strip_emphasis(colon.group(1))).strip(" .:;,-"), colon.group(2), False
    at = AT_RE.search(body)
    before_owner = collapse(strip_emphasis(body[: at.start()])).strip(" .:;,-") if at else ""
    if at and 0 < len(before_owner.split()) <= 10:  # "Topic @Owner does it": the words before the owner
        return before_owner, body[at.start() :], True
    plain = collapse(strip_emphasis(body)).strip(" .:;,-")
    guess = plain[: sentence_spans(plain)[0][1]].strip(" .:;,-") if plain else ""
    if len(guess) > 60:
        guess = guess[:60].rsplit(" ", 1)[0] + " …"
    return guess or "Actie", body, True


def read_action_list(lines: list[Line], book: NameBook) -> ActionListBody:
    body = ActionListBody()
    topic: Topic | None = None
    for line in lines:
        top_level = line.is_list and line.indent == 0 and not line.glyph
        if top_level:
            title, rest, untitled = topic_of(line.body)
            topic = Topic(title, line.where, untitled=untitled)
            body.topics.append(topic)
            note, tasks = split_text(rest, book, line.where)
            topic.notes += [note] if note else []
            topic.tasks += tasks
            continue
        if line.heading_like and not line.is_list and "@" not in line.plain:
            body.sections.setdefault(len(body.topics), []).append(line.plain.rstrip(":").strip())
            topic = None
            continue
        if topic is None:
            body.unplaced.append(line)
            continue
        note, tasks = split_text(line.body, book, line.where)
        if note:
            topic.notes.append(f"{'  ' * (line.indent > 0)}- {note}" if line.is_list else note)
        topic.tasks += tasks
    return body
