"""Redaction in the model, before anything is rendered: the text is gone, not hidden.

Every text of every record (found by walking the dataclass fields, so a field added to the
model later is redacted too) goes through ``Redactor.text``:

1. marks already in the source (``5.1, 2, e`` and its garbled variants) become ``5.1.2e``;
2. ``{lak G}...{/lak}`` spans become their ground ``G``;
3. e-mail addresses (personal data) become ``5.1.2e``, unless the allow-list names them;
4. every name and alias of a person whose ``public_official`` is not true, with a possessive
   ``s``/``'s``, becomes ``5.1.2e``: case- and accent-insensitive, at word boundaries,
   longest first, so "Peter Teesink" (public) is kept whole where "Peter" alone would not be.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from idmeet.core.model import Config, Repository
from idmeet.core.names import REDACTION_RE
from idmeet.ops.publish.grounds import NAME_GROUND, withhold_spans

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?!\w)")
# A garbled source mark leaves a lone "e" behind ("5.1, 2, e e"): it belongs to the mark.
STRAY_E_RE = re.compile(r"\b5\.1\.2e(?:\s+e)+(?![\w.])")
POSSESSIVES = ("", "s", "'s", "\u2019s", "'", "\u2019")
# Word boundaries where "_" separates words too ("Zorba_Quintelier.pdf").
BEFORE, AFTER = r"(?<![^\W_])", r"(?![^\W_])"
# A mark in the source, at word boundaries: "5.1, 2, e", "i.1, 2, e", "5.1.2e".
SOURCE_MARK_RE = re.compile(rf"(?<![\w.])(?:{REDACTION_RE.pattern})(?![\w])", re.IGNORECASE)


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """``text`` folded (accents off, case folded) and, per folded character, its index in
    ``text``: a match in the folded text maps back to the characters it covers."""
    if text.isascii():  # the usual case: one folded character per character
        return text.lower(), list(range(len(text)))
    folded: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        if char.isascii():
            for c in char.casefold():
                folded.append(c)
                where.append(index)
            continue
        for part in unicodedata.normalize("NFKD", char):
            if unicodedata.combining(part):
                continue
            for c in part.casefold():
                folded.append(c)
                where.append(index)
    return "".join(folded), where


def fold(text: str) -> str:
    """Accents off, case folded (as ``fold_with_map``, without the map)."""
    return fold_with_map(text)[0]


def name_pattern(variants: Iterable[str]) -> str:
    """One regex alternative per folded name variant, longest first; white space and hyphens
    between words match any run of white space or hyphens."""
    parts = []
    for variant in sorted({fold(v).strip() for v in variants if v.strip()}, key=lambda v: (-len(v), v)):
        words = re.split(r"[\s\-\u2010\u2011]+", variant)
        parts.append(r"[\s\-\u2010\u2011\u00a0]+".join(re.escape(w) for w in words if w))
    return "|".join(parts)


@dataclass(frozen=True)
class Redactor:
    """Redacts the texts of one repository's records (see the module's docstring)."""

    names: re.Pattern[str] | None  # over folded text: every person's names, public ones too
    public: frozenset[str]  # folded names and aliases that stay
    allowed_emails: frozenset[str] = frozenset()

    @classmethod
    def for_config(cls, config: Config, allowed_emails: Iterable[str] = ()) -> Redactor:
        variants: list[str] = []
        public: set[str] = set()
        for person in config.people:
            names = (person.name, *person.aliases)
            variants.extend(names)
            if person.public_official:
                public.update(" ".join(fold(n).split()) for n in names)
        pattern = name_pattern(variants)
        compiled = re.compile(rf"{BEFORE}(?:{pattern})(?:['\u2019]s|['\u2019]|s)?{AFTER}") if pattern else None
        return cls(compiled, frozenset(public), frozenset(e.casefold() for e in allowed_emails))

    def text(self, text: str, counts: Counter[str]) -> str:
        """One text, redacted; ``counts`` gains one per mark placed, per ground."""
        text = SOURCE_MARK_RE.sub(lambda m: _count(counts, NAME_GROUND), text)
        text = STRAY_E_RE.sub(NAME_GROUND, text)
        text = withhold_spans(text, counts)
        text = EMAIL_RE.sub(lambda m: m.group(0) if self._email_ok(m.group(0)) else _count(counts, NAME_GROUND), text)
        if self.names is None:
            return text
        folded, where = fold_with_map(text)
        out: list[str] = []
        position = 0
        for match in self.names.finditer(folded):
            if self._is_public(match.group(0)):
                continue
            start, end = where[match.start()], where[match.end() - 1] + 1
            out.append(text[position:start])
            out.append(_count(counts, NAME_GROUND))
            position = end
        out.append(text[position:])
        return "".join(out)

    def _email_ok(self, address: str) -> bool:
        return address.casefold() in self.allowed_emails

    def _is_public(self, found: str) -> bool:
        words = " ".join(re.split(r"[\s\-\u2010\u2011\u00a0]+", found))
        return any(words == name + suffix for name in self.public for suffix in POSSESSIVES)


def _count(counts: Counter[str], ground: str) -> str:
    counts[ground] += 1
    return ground


def record_fields(record: Any) -> tuple[dataclasses.Field[Any], ...]:
    """The fields of a record that redaction walks: all of them (a seam for the tests)."""
    return dataclasses.fields(record)


def redact_value(value: Any, redact: Callable[[str], str]) -> Any:
    """``value`` with every text in it redacted: strings, tuples, lists, dict values and every
    field of every dataclass, recursively (``dataclasses.replace`` over the frozen model)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, tuple):
        return tuple(redact_value(v, redact) for v in value)
    if isinstance(value, list):
        return [redact_value(v, redact) for v in value]
    if isinstance(value, dict):
        return {k: redact_value(v, redact) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: redact_value(getattr(value, f.name), redact) for f in record_fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value


def redact_repository(repo: Repository, allowed_emails: Iterable[str] = ()) -> tuple[Repository, Counter[str]]:
    """The repository as it may be published, and the marks placed per ground.

    Only public officials remain among the people: the redacted model does not know anyone
    else, so no renderer can look a name up.
    """
    redactor = Redactor.for_config(repo.config, allowed_emails)
    counts: Counter[str] = Counter()

    def redact(text: str) -> str:
        return redactor.text(text, counts)

    public = tuple(p for p in repo.config.people if p.public_official)
    config = dataclasses.replace(
        redact_value(dataclasses.replace(repo.config, people=()), redact),
        people=public,
    )
    redacted = Repository(
        root=repo.root,
        config=config,
        meetings=redact_value(repo.meetings, redact),
        actions=redact_value(repo.actions, redact),
        proposals=redact_value(repo.proposals, redact),
    )
    return redacted, counts


def non_public_names(config: Config) -> list[str]:
    """Every name and alias of a person who is not a public official (what must not leak)."""
    return [n for p in config.people if not p.public_official for n in (p.name, *p.aliases) if n.strip()]
