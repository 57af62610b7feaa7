"""Search the repository: meeting items, questions, minutes, decisions, actions and proposals.

"What did we decide about the procurement framework?" is ``search(repo, ["inkoop"])``.

Matching. Texts and query words are folded (case and accents: "Inkoop" and "inkoop" are one
word) and split into words. A query word matches a word of the text that

- starts with it ("inkoop" finds "Inkoop" and "inkoopkader"),
- contains it, when the query word has five letters or more (Dutch compounds: "besluit"
  finds "afwijkingsbesluit"), or
- has the same stem (Dutch word forms through the Snowball stemmer of the repository's
  language: "inkopen" finds "inkoop", "besluiten" finds "besluit"; the stem also counts as a
  start, so "inkopen" finds "inkoopkader"). The stemmer does not know every form:
  "besloten" does not find "besluit".

A hit is one part of a record: a meeting item (its title and text), a question, an item's
minutes (notes and action lines), a decision, an action (title, description, log) or a
proposal (title, text, questions). Every query word must match in the part, or (for a
question, minutes or a decision) in the title of its item; at least one in the part itself.

Ranking. Each query word counts the weight of the best field it matches in: a title or a
decision 3, a text, question, minutes or description 2, a log line or the item's title 1.
Hits are ordered by that score (highest first), then newest first (a meeting's date; an
action's latest log line or opening; a proposal's date), then by reference (meeting and
item, action id, proposal id). Same repository, same words: same hits in the same order.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from idmeet.core.diagnostics import IdmeetError
from idmeet.core.model import Action, AgendaItem, Meeting, Proposal, Repository
from idmeet.store.snapshot import action_text

if TYPE_CHECKING:
    from idmeet.store.load import SearchableActions

KINDS = ("item", "question", "minutes", "decision", "action", "proposal")
TITLE, TEXT, LOW = 3, 2, 1  # field weights: a title or decision, a text, a log line or context
COMPOUND = 5  # a query word this long also matches inside a longer word
STEMMERS = {"nl": "dutch", "en": "english", "de": "german", "fr": "french"}  # config language -> Snowball

# A word: letters and digits, joined by & ' ’ . / - inside ("P&O", "GMT-overleg", "i.r.t").
_WORD_RE = re.compile(r"\w+(?:[&'’./-]\w+)*")
_JOINERS_RE = re.compile(r"[&'’./-]")
_WORD_CHARS = "_&'’./-"
_KIND_ORDER = {kind: n for n, kind in enumerate(KINDS)}


@dataclass(frozen=True)
class Hit:
    """One part of a record that matched: where it is, and its best matching line.

    ``text`` is that line as written (stripped); ``spans`` the (start, end) of each matching
    word in it. ``meeting``/``item`` are set for meeting parts and for an action that arose
    at a meeting; ``action`` or ``proposal`` for those records.
    """

    kind: str
    score: int
    date: dt.date | None
    series: str | None
    title: str  # the item's, action's or proposal's title
    text: str
    spans: tuple[tuple[int, int], ...]
    path: str
    line: int  # the file line of ``text`` where known; else of its item's heading or record
    meeting: str | None = None  # "<series>/<YYYY-MM-DD>"
    item: str | None = None  # "3", "3a"
    action: str | None = None
    proposal: str | None = None

    @property
    def ref(self) -> str:
        """What a user types to open it: the meeting, the action id or the proposal id."""
        return self.action or self.proposal or self.meeting or ""

    @property
    def where(self) -> str:
        """ "voortgangsoverleg/2024-03-06 4. Handelingskader ..." or "nm8qxrv2 Prestatieafspraken GMT"."""
        if self.action or self.proposal or self.item is None:
            return f"{self.ref} {self.title}"
        return f"{self.meeting} {self.item}. {self.title}"

    def as_dict(self) -> dict[str, Any]:
        """The hit as plain data with stable keys (``search --format json``)."""
        return {
            "kind": self.kind,
            "score": self.score,
            "date": self.date.isoformat() if self.date else None,
            "series": self.series,
            "meeting": self.meeting,
            "item": self.item,
            "action": self.action,
            "proposal": self.proposal,
            "title": self.title,
            "text": self.text,
            "matches": [list(span) for span in self.spans],
            "path": self.path,
            "line": self.line,
        }


@dataclass(frozen=True)
class Word:
    """One query word, folded, with the forms a text word may start with and its stem."""

    folded: str
    stem: str | None
    forms: tuple[str, ...]  # the word, and its stem where the stem keeps the word's start
    keys: tuple[str, ...]  # substrings a text holding a match must contain (a cheap first test)


@dataclass(eq=False)
class Matcher:
    """The query words and the stemmer, built once per search; ``stems`` caches stems."""

    words: tuple[Word, ...]
    stem: Callable[[str], str] | None
    stems: dict[str, str] = field(default_factory=dict)

    def could_match(self, folded: str) -> bool:
        """Can every word match in ``folded`` text? (A substring test: no false negatives
        for starts and compounds; for stems as good as the first letters of the stem.)"""
        return all(any(k in folded for k in w.keys) for w in self.words)

    def word_matches(self, word: Word, token: str) -> bool:
        """Does the text word ``token`` (folded) match the query ``word``?"""
        return self.match_in(word, token) is not None

    def match_in(self, word: Word, token: str) -> tuple[int, int] | None:
        """Where in ``token`` (folded) the query ``word`` matches: the whole word, or the part
        of a joined word ("regeling" in "cafe-regeling"); None when it does not."""
        for start, part in _parts(token):
            for form in word.forms:
                if part.startswith(form) or (len(form) >= COMPOUND and form in part):
                    return start, start + len(part)
            if word.stem is not None and self.stem is not None and part.isalpha():
                if not any(k in part for k in word.keys):
                    continue
                stem = self.stems.get(part)
                if stem is None:
                    stem = self.stems[part] = self.stem(part)
                if stem == word.stem:
                    return start, start + len(part)
        return None

    def matched(self, folded_line: str) -> tuple[set[int], list[tuple[int, int]]]:
        """Which query words (their positions) match in a folded line, and the spans of the
        matching text words."""
        found: set[int] = set()
        spans: list[tuple[int, int]] = []
        seen: set[int] = set()
        for occurrence in self.key_re.finditer(folded_line):  # only the words that hold a key
            m = _word_at(folded_line, occurrence.start())
            if m is None or m.start() in seen:
                continue
            seen.add(m.start())
            token = m.group()
            where: list[tuple[int, int]] = []
            for n, word in enumerate(self.words):
                for key in word.keys:  # the cheap test first
                    if key in token:
                        break
                else:
                    continue
                at = self.match_in(word, token)
                if at is not None:
                    found.add(n)
                    where.append(at)
            if where:
                spans.append((m.start() + min(a for a, _ in where), m.start() + max(b for _, b in where)))
        spans.sort()
        return found, spans

    @functools.cached_property
    def key_re(self) -> re.Pattern[str]:
        """Any key of any word (the longest first), to find the text words worth a look."""
        keys = sorted({k for w in self.words for k in w.keys}, key=lambda k: (-len(k), k))
        return re.compile("|".join(re.escape(k) for k in keys))


def _word_at(text: str, at: int) -> re.Match[str] | None:
    """The word (``_WORD_RE``) of ``text`` that holds position ``at``, if any."""
    start = at
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in _WORD_CHARS):
        start -= 1
    m = _WORD_RE.search(text, start)
    while m is not None and m.end() <= at:
        m = _WORD_RE.search(text, m.end())
    return m if m is not None and m.start() <= at else None


# The combining marks folding drops: the accents of Latin, Greek and Cyrillic letters.
_COMBINING_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Case and accents folded, line breaks kept: "Inkoop Café" -> "inkoop cafe". The same as
    folding each character on its own (``_fold_char``), so a match can be traced back."""
    if text.isascii():
        return text.lower()
    return _COMBINING_RE.sub("", unicodedata.normalize("NFKD", text)).casefold()


def _fold_char(char: str) -> str:
    if char.isascii():
        return char.lower()
    return _COMBINING_RE.sub("", unicodedata.normalize("NFKD", char)).casefold()


def _parts(token: str) -> list[tuple[int, str]]:
    """A text word and, for "p&o-overleg", its parts (first, so a match shows as the part),
    each with its start: each may match."""
    if not _JOINERS_RE.search(token):
        return [(0, token)]
    parts = []
    start = 0
    for piece in _JOINERS_RE.split(token):
        if piece:
            parts.append((start, piece))
        start += len(piece) + 1
    return [*parts, (0, token)]


def matcher(words: Sequence[str], language: str = "nl") -> Matcher:
    """The query's words (as typed, several per argument allowed), folded and stemmed.

    An empty query is an error: it would match everything."""
    typed = " ".join(words)
    tokens = list(dict.fromkeys(m.group() for m in _WORD_RE.finditer(fold(typed))))
    if not tokens:
        raise IdmeetError(f"nothing to search for in '{typed}': give one or more words")
    stem = _stemmer(language)
    made = []
    for token in tokens:
        root = stem(token) if stem is not None and token.isalpha() and len(token) >= 3 else None
        forms = [token]
        keys = [token]
        if root:
            if len(root) >= 4 and root[:3] == token[:3] and root not in forms:
                forms.append(root)
            key = root[: max(3, len(root) - 2)]
            if key not in keys:
                keys.append(key)
        made.append(Word(token, root, tuple(forms), tuple(keys)))
    return Matcher(tuple(made), stem)


def _stemmer(language: str) -> Callable[[str], str] | None:
    """The Snowball stemmer of ``language`` (imported only when a search runs), or None."""
    name = STEMMERS.get(language.split("-")[0].split("_")[0].lower())
    if name is None:
        return None
    import snowballstemmer  # through PyStemmer (the same algorithms in C) when it is installed

    stemmer = snowballstemmer.stemmer(name)
    return stemmer.stemWord  # type: ignore[no-any-return]


# -- the parts of the repository that can be found -------------------------------------------


@dataclass(frozen=True)
class _Field:
    text: str
    weight: int
    line: int | None  # the file line of its first line, when each line's is known
    lines: tuple[int, ...] = ()  # or the file line of each paragraph (minutes)


@dataclass(frozen=True)
class _Part:
    """A searchable part before matching: what the hit will say, and its fields."""

    kind: str
    date: dt.date | None
    series: str | None
    title: str
    path: str
    line: int
    own: tuple[_Field, ...]
    context: tuple[_Field, ...] = ()
    meeting: str | None = None
    item: str | None = None
    action: str | None = None
    proposal: str | None = None
    order: tuple[Any, ...] = ()  # the reference order, for ties


def _meeting_parts(meeting: Meeting) -> Iterator[_Part]:
    for n, item in enumerate(meeting.items):
        yield from _item_parts(meeting, n, item)


def _item_parts(meeting: Meeting, position: int, item: AgendaItem) -> Iterator[_Part]:
    path, heading = item.source.path or meeting.source.path, item.source.line
    title = _Field(item.title, LOW, heading)

    def part(kind: str, own: tuple[_Field, ...], line: int, at: int, context: bool = True) -> _Part:
        return _Part(
            kind,
            meeting.date,
            meeting.series,
            item.title,
            path,
            line,
            own,
            (title,) if context else (),
            meeting=meeting.key,
            item=item.number,
            order=(meeting.key, position, _KIND_ORDER[kind], at),
        )

    yield part("item", (_Field(item.title, TITLE, heading), _Field(item.text, TEXT, None)), heading, 0, False)
    for n, question in enumerate(item.questions):
        if not question.in_text:  # a question in the text is found with the text
            yield part("question", (_Field(question.text, TEXT, question.source.line),), question.source.line, n)
    notes = []
    if item.notes:
        notes.append(_Field(item.notes, TEXT, None, item.note_lines))
    for line in item.actions:
        if line.action_id is None:  # a line that became an action file is found as that action
            notes.append(_Field(line.written or line.text, TEXT, line.source.line))
    if notes:
        first = notes[0].lines[0] if notes[0].lines else notes[0].line or heading
        yield part("minutes", tuple(notes), first, 0)
    for n, decision in enumerate(item.decisions):
        yield part("decision", (_Field(decision.text, TITLE, decision.source.line),), decision.source.line, n)


def _action_part(action: Action) -> _Part:
    log = tuple(_Field(e.text, LOW, e.source.line) for e in action.log)
    latest = max([action.opened, *(e.date for e in action.log)])
    meeting, _, _ = (action.meeting or "").partition("/")
    return _Part(
        "action",
        latest,
        action.series or (meeting or None),
        action.title,
        action.source.path,
        action.source.line,
        (_Field(action.title, TITLE, action.line_of("title")), _Field(action.description, TEXT, None), *log),
        meeting=action.meeting,
        item=action.item,
        action=action.id,
        order=(action.id,),
    )


def _proposal_part(proposal: Proposal) -> _Part:
    questions = tuple(_Field(q, TEXT, None) for q in proposal.questions)
    return _Part(
        "proposal",
        proposal.proposed or proposal.for_date,
        proposal.series,
        proposal.title,
        proposal.source.path,
        proposal.source.line,
        (_Field(proposal.title, TITLE, proposal.line_of("title")), _Field(proposal.text, TEXT, None), *questions),
        proposal=proposal.id,
        order=(proposal.id,),
    )


def _blob(part: _Part) -> str:
    return "\n".join(f.text for f in (*part.own, *part.context))


def _score(found: _Part, m: Matcher) -> Hit | None:
    """Match every line of a part: the hit, or None when a word is missing."""
    best_weight = [0] * len(m.words)
    in_own = False
    best: tuple[int, bool, int, int] | None = None  # how good the best own line is (see ``rank``)
    chosen: tuple[str, tuple[tuple[int, int], ...], int] = ("", (), found.line)
    index = 0
    for own, fields in ((True, found.own), (False, found.context)):
        for f in fields:
            paragraph, first_of_paragraph, previous = -1, 0, ""
            for line_no, raw in enumerate(f.text.split("\n")):
                text = raw.strip()
                if text and not previous:
                    paragraph, first_of_paragraph = paragraph + 1, line_no
                previous = text
                if not text:
                    continue
                index += 1
                folded = fold(text)
                words, spans = m.matched(folded)
                if not words:
                    continue
                for n in words:
                    best_weight[n] = max(best_weight[n], f.weight)
                if not own:
                    continue
                in_own = True
                # the line with the most words; a text line before the title line, which the
                # hit shows anyway; then the heavier field; then the first
                rank = (len(words), f is not found.own[0] or len(found.own) == 1, f.weight, -index)
                if best is None or rank > best:
                    best = rank
                    at = f.line + line_no if f.line is not None else found.line
                    if f.lines and paragraph < len(f.lines):
                        at = f.lines[paragraph] + line_no - first_of_paragraph
                    chosen = (text, _unfolded(text, tuple(spans)), at)
    if not in_own or not all(best_weight):
        return None
    shown, where, line = chosen
    return Hit(
        kind=found.kind,
        score=sum(best_weight),
        date=found.date,
        series=found.series,
        title=found.title,
        text=shown,
        spans=where,
        path=found.path,
        line=line,
        meeting=found.meeting,
        item=found.item,
        action=found.action,
        proposal=found.proposal,
    )


def _unfolded(text: str, spans: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """Spans in the folded line -> spans in the line as written (folding may change lengths)."""
    if text.isascii() or not spans:
        return spans
    starts = []  # folded position -> position in ``text``
    for n, char in enumerate(text):
        starts.extend([n] * len(_fold_char(char)))
    starts.append(len(text))

    def back(at: int) -> int:
        return starts[min(at, len(starts) - 1)]

    return tuple((back(a), back(b)) for a, b in spans)


def search(
    repo: Repository,
    words: Sequence[str],
    series: str | None = None,
    since: dt.date | None = None,
    kinds: Sequence[str] = KINDS,
    actions: SearchableActions | None = None,
) -> tuple[Hit, ...]:
    """Every part of the repository that matches all ``words``, best first (see the module's
    docstring for the rule). ``series`` (which must exist) and ``since`` (a meeting's date;
    an action's latest log line or opening; a proposal's date) narrow it. ``actions``: the
    actions to search when ``repo`` was loaded without them (``store.load.searchable_actions``)."""
    if series is not None:
        from idmeet.ops.meetings import require_series

        require_series(repo, series)
    m = matcher(words, repo.config.language)

    def wanted(s: str | None, day: dt.date | None) -> bool:
        return (series is None or s == series) and (since is None or (day is not None and day >= since))

    parts: list[_Part] = []
    if {"item", "question", "minutes", "decision"} & set(kinds):
        meetings = [meeting for meeting in repo.meetings if wanted(meeting.series, meeting.date)]
        for at in _candidates(m, [_meeting_blob(meeting) for meeting in meetings]):
            parts.extend(p for p in _meeting_parts(meetings[at]) if p.kind in kinds)
    if "action" in kinds:
        if actions is None:
            texts = [action_text(a) for a in repo.actions]
            found = [repo.actions[at] for at in _candidates(m, texts)]
        else:
            found = actions.fetch(_candidates(m, actions.texts))
        for action in found:
            part = _action_part(action)
            if wanted(part.series, part.date):
                parts.append(part)
    if "proposal" in kinds:
        proposals = [_proposal_part(proposal) for proposal in repo.proposals]
        proposals = [part for part in proposals if wanted(part.series, part.date)]
        parts.extend(proposals[at] for at in _candidates(m, [_blob(part) for part in proposals]))
    hits = []
    for part in parts:
        if not m.could_match(fold(_blob(part))):
            continue
        hit = _score(part, m)
        if hit is not None:
            hits.append((hit, part.order))
    hits.sort(key=lambda h: (-h[0].score, -(h[0].date.toordinal() if h[0].date else 0), _KIND_ORDER[h[0].kind], h[1]))
    return tuple(h for h, _ in hits)


def _candidates(m: Matcher, texts: list[str]) -> list[int]:
    """The positions of the ``texts`` that hold a key of every query word (``could_match``),
    found in one folded string of them all: a search costs little more than a scan of the
    repository's text in C, whatever its number of records."""
    folded = [fold(text) for text in texts]
    whole = "\x00".join(folded)
    ends = list(itertools.accumulate(len(text) + 1 for text in folded))  # past each text's separator
    found: set[int] | None = None
    for word in m.words:
        holding: set[int] = set()
        for key in word.keys:
            at = whole.find(key)
            while at != -1:
                index = bisect.bisect_right(ends, at)
                holding.add(index)
                at = whole.find(key, ends[index]) if index + 1 < len(ends) else -1
        found = holding if found is None else found & holding
        if not found:
            return []
    return sorted(found or ())


def _meeting_blob(meeting: Meeting) -> str:
    """Every searchable text of a meeting, for the cheap first test."""
    texts: list[str] = []
    for item in meeting.items:
        texts += [item.title, item.text, item.notes]
        texts += [q.text for q in item.questions]
        texts += [line.written or line.text for line in item.actions]
        texts += [d.text for d in item.decisions]
    return "\n".join(texts)


def matches_text(m: Matcher, *texts: str) -> bool:
    """Does every query word match in one of ``texts``? (``decisions --text``.)"""
    folded = [fold(t) for t in texts]
    if not m.could_match("\n".join(folded)):
        return False
    found: set[int] = set()
    for text in folded:
        found |= m.matched(text)[0]
    return len(found) == len(m.words)


def window(text: str, spans: Sequence[tuple[int, int]], columns: int) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The part of ``text`` to show in ``columns`` characters with the first match in view:
    cut before it (at a word, with "…") when it would fall off, and cut at the end with "…".
    Returns the shown text and the spans moved with it (cut to what is shown)."""
    if len(text) <= columns or columns < 2:
        return text, tuple(spans)
    start = 0
    if spans:
        first, end = spans[0]
        lead = max(columns // 4, 1)
        if end > columns - 1:  # the first match would not be seen: start before it
            start = max(0, min(first - lead, len(text) - (columns - 1)))
            space = text.find(" ", start, first)
            if space != -1 and space + 1 < first:
                start = space + 1
    prefix = "…" if start else ""
    room = columns - len(prefix)
    shown = text[start:]
    cut = len(shown) > room
    if cut:
        shown = shown[: room - 1] + "…"
    limit = len(prefix) + len(shown) - (1 if cut else 0)
    moved = tuple(
        (a - start + len(prefix), min(b - start + len(prefix), limit))
        for a, b in spans
        if a >= start and a - start + len(prefix) < limit
    )
    return prefix + shown, moved
