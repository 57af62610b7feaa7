"""Unknown names: words that look like a person's name and that idmeet does not know.

idmeet redacts the people it knows (``idmeet.yaml``). A name it does not know cannot be
redacted, so before publishing it is *flagged*, never guessed: every capitalised word, or run
of capitalised words ("Maurice Crul", "Anne van Dijk"), in the files to be published that is

- not a known person (public or not), nor an e-mail address or redaction mark,
- not the name after a public office ("wethouder Van Buren"),
- not a word of the organisation's name or of a series title,
- not a month or weekday, nor a sentence-initial common word (a Dutch function word, or a
  word that also occurs in lower case in the repository),
- not in the repository's allow-list ``publish-allow.txt``,

is reported as ``path:line: possible name "..."``. Words written in capitals only (GMT, BSR)
are abbreviations, not names.

``publish-allow.txt`` (in the repository's root): one entry a line, ``#`` starts a comment.
An entry is a word or phrase (``Verwey Jonker``, ``Planetarium``) that may be published as
it is, or an e-mail address that may be published (a general mailbox). Matching ignores
case and accents; a run is allowed when it is listed whole or when each of its words is.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from idmeet.core.dates import day_and_month_names
from idmeet.core.diagnostics import Diagnostic
from idmeet.core.model import Repository
from idmeet.core.words import LANGUAGES
from idmeet.ops.publish.grounds import TOKEN_RE
from idmeet.ops.publish.redact import EMAIL_RE, SOURCE_MARK_RE, Redactor, fold, fold_with_map

ALLOW_FILE = "publish-allow.txt"

# Titles of public office: the name after one is a public person's ("wethouder Van Buren").
OFFICES = frozenset(
    [
        "wethouder",
        "wethouders",
        "burgemeester",
        "burgemeesters",
        "minister",
        "ministers",
        "staatssecretaris",
        "gedeputeerde",
        "gedeputeerden",
        "commissaris",
        "raadslid",
        "raadsleden",
        "gemeentesecretaris",
        "griffier",
        "ombudsman",
        "koning",
        "koningin",
        "premier",
        "alderman",
        "mayor",
    ]
)
PARTICLES = frozenset(
    ["van", "de", "der", "den", "ter", "ten", "te", "op", "in", "'t", "het", "von", "da", "di", "du", "le", "la"]
)


@functools.cache
def months_and_days() -> frozenset[str]:
    """Month and weekday names, Dutch and English, from CLDR as every date idmeet writes: a
    capitalised "Maart" or "Maandag" is a date, not a name."""
    return frozenset(fold(name) for lang in LANGUAGES for names in day_and_month_names(lang) for name in names)


# Dutch words that start sentences (and headings, list items) without being names.
FUNCTION_WORDS = frozenset(
    [
        "de",
        "het",
        "een",
        "dit",
        "deze",
        "die",
        "dat",
        "er",
        "we",
        "wij",
        "ze",
        "zij",
        "hij",
        "ik",
        "je",
        "jij",
        "u",
        "jullie",
        "men",
        "in",
        "op",
        "met",
        "voor",
        "na",
        "bij",
        "van",
        "als",
        "om",
        "ook",
        "en",
        "maar",
        "of",
        "zoals",
        "vanuit",
        "daarnaast",
        "verder",
        "tevens",
        "tot",
        "uit",
        "aan",
        "door",
        "over",
        "onder",
        "tussen",
        "naar",
        "sinds",
        "tijdens",
        "rond",
        "rondom",
        "mede",
        "waar",
        "wat",
        "wie",
        "hoe",
        "welke",
        "waarom",
        "wanneer",
        "is",
        "zijn",
        "was",
        "waren",
        "wordt",
        "worden",
        "kan",
        "kunnen",
        "zal",
        "zullen",
        "moet",
        "moeten",
        "wil",
        "willen",
        "heeft",
        "hebben",
        "geen",
        "niet",
        "nog",
        "al",
        "alle",
        "hoe",
        "ieder",
        "elke",
        "veel",
        "weinig",
        "meer",
        "minder",
        "eerst",
        "daarna",
        "dan",
        "toen",
        "nu",
        "hier",
        "daar",
        "dus",
        "want",
        "omdat",
        "zodat",
        "terwijl",
        "hoewel",
        "indien",
        "mits",
        "per",
        "via",
        "zie",
        "graag",
        "samen",
        "ons",
        "onze",
        "mijn",
        "jouw",
        "zijn",
        "haar",
        "hun",
        "the",
        "a",
        "an",
        "of",
        "to",
        "for",
        "and",
        "on",
        "at",
        "by",
        "is",
        "are",
        "be",
        "we",
        "our",
        "this",
        "that",
        "it",
        "agenda",
        "vragen",
        "vraag",
        "bespreekpunt",
        "verslag",
        "notulen",
        "besluiten",
        "besluit",
        "acties",
        "actie",
        "bijlage",
        "categorie",
        "status",
        "log",
        "logboek",
        "mededelingen",
        "mededeling",
        "actualiteiten",
        "rondvraag",
        "actielijst",
    ]
)
_WORD_RE = re.compile(r"[^\W\d_](?:[^\W_]|['\u2019])*(?:-[^\W\d_](?:[^\W_]|['\u2019])*)*")
_LEAD_RE = re.compile(r"^\s*(?:#+|[-*+>]|\d+[.)]|\[[ xX]\]|\u27a4|\s)*")
_COMMENT_RE = re.compile(r"<!--.*?-->")
_SENTENCE_END = ".!?:;()\"'\u201c\u2018*"


@dataclass(frozen=True)
class AllowList:
    words: frozenset[str]  # folded words and phrases
    emails: frozenset[str]

    @classmethod
    def read(cls, root: Path) -> AllowList:
        path = root / ALLOW_FILE
        if not path.is_file():
            return cls(frozenset(), frozenset())
        words: set[str] = set()
        emails: set[str] = set()
        for raw in path.read_text("utf-8").splitlines():
            entry = raw.split("#", 1)[0].strip()
            if EMAIL_RE.fullmatch(entry):
                emails.add(entry.casefold())
            elif entry:
                words.add(" ".join(fold(entry).replace("-", " ").split()))
        return cls(frozenset(words), frozenset(emails))

    def allows(self, run: list[str]) -> bool:
        parts = [fold(p) for w in run for p in w.split("-") if p]
        i = 0
        while i < len(parts):  # each word covered by an entry, longest phrase first
            j = next((j for j in range(len(parts), i, -1) if " ".join(parts[i:j]) in self.words), None)
            if j is None and parts[i] not in PARTICLES:
                return False
            i = j if j is not None else i + 1
        return True


def _is_capitalised(word: str) -> bool:
    """ "Jansen", "Verwey-Jonker": a capital, then lower case; not "GMT" nor "GMT-overleg"."""
    head = word.split("-", 1)[0]
    return head[0].isupper() and any(c.islower() for c in head)


def _runs(line: str) -> Iterator[tuple[list[str], bool, str]]:
    """Runs of capitalised words in ``line``: (words, starts a sentence, word before)."""
    words = list(_WORD_RE.finditer(line))
    i = 0
    while i < len(words):
        match = words[i]
        if not _is_capitalised(match.group(0)):
            i += 1
            continue
        run = [match.group(0)]
        j = i + 1
        while j < len(words):
            gap = line[words[j - 1].end() : words[j].start()]
            if gap.strip():  # punctuation between the words ends the run
                break
            word = words[j].group(0)
            if _is_capitalised(word) or (
                fold(word) in PARTICLES and j + 1 < len(words) and _is_capitalised(words[j + 1].group(0))
            ):
                run.append(word)
            else:
                break
            j += 1
        before = line[: match.start()].rstrip()
        initial = not before or before[-1] in _SENTENCE_END
        previous = words[i - 1].group(0) if i and not line[words[i - 1].end() : match.start()].strip() else ""
        yield run, initial, previous
        i = j


def _clean(line: str, masker: Redactor) -> str:
    """A line without what is not prose: list and heading markers, comments, e-mail
    addresses, redaction marks, withheld spans, and the names of known people."""
    line = _COMMENT_RE.sub(" ", line)
    line = EMAIL_RE.sub(" . ", line)
    line = SOURCE_MARK_RE.sub(" . ", line)
    line = TOKEN_RE.sub(" . ", line)
    if masker.names is not None:
        line = _mask(line, masker.names)
    return _LEAD_RE.sub("", line)


def _mask(line: str, names: re.Pattern[str]) -> str:
    """``line`` with every known person's name (public or not) replaced by a comma."""
    folded, where = fold_with_map(line)
    out: list[str] = []
    position = 0
    for match in names.finditer(folded):
        start, end = where[match.start()], where[match.end() - 1] + 1
        out.append(line[position:start])
        out.append(" , ")
        position = end
    out.append(line[position:])
    return "".join(out)


def _lowercase_words(texts: Iterable[str]) -> frozenset[str]:
    return frozenset(w for text in texts for w in _WORD_RE.findall(text) if w.islower())


def _file_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of a file's prose: the frontmatter's values without YAML comments,
    and the body outside withheld spans."""
    lines = text.splitlines()
    in_front = bool(lines) and lines[0].strip() == "---"
    withheld = False
    for number, line in enumerate(lines, start=1):
        if in_front:
            if number > 1 and line.strip() == "---":
                in_front = False
                continue
            if number == 1:
                continue
            line = re.sub(r"\s#.*$|^\s*#.*$", "", line)  # a YAML comment is not published
            line = re.sub(r"^\s*[\w-]+:", "", line)  # the key
        if withheld:
            close = line.find("{/lak}")
            if close < 0:
                continue
            line, withheld = line[close + 6 :], False
        opened = [m for m in TOKEN_RE.finditer(line)]
        if opened and not opened[-1].group(0).startswith("{/"):
            line, withheld = line[: opened[-1].start()], True
        yield number, line


def possible_names(repo: Repository, paths: Iterable[str]) -> list[Diagnostic]:
    """``path:line: possible name "..."`` for every run of capitalised words in the files
    ``paths`` (repository-relative) that may be a name idmeet does not know."""
    allow = AllowList.read(repo.root)
    masker = Redactor.for_config(repo.config)
    own_words = {
        fold(w) for text in (repo.config.organisation, *(s.title for s in repo.config.series)) for w in text.split()
    }
    texts = {path: (repo.root / path).read_text("utf-8", "replace") for path in sorted(set(paths))}
    everything = {m.source.path for m in repo.meetings} | {a.source.path for a in repo.actions}
    everything -= set(texts)
    lowercase = _lowercase_words(
        [*texts.values(), *((repo.root / p).read_text("utf-8", "replace") for p in sorted(everything))]
    )
    found: list[Diagnostic] = []
    for path, text in texts.items():
        seen: set[tuple[int, str]] = set()
        for number, line in _file_lines(text):
            for run, initial, previous in _runs(_clean(line, masker)):
                words = list(run)
                if initial and words and (fold(words[0]) in FUNCTION_WORDS or words[0].lower() in lowercase):
                    words = words[1:]  # a sentence's first word, in its lower-case form elsewhere
                words = [w.strip("'\u2019") for w in words]
                while words and fold(words[0]) in PARTICLES:
                    words = words[1:]
                while words and fold(words[-1]) in PARTICLES:
                    words = words[:-1]
                if not words or fold(previous) in OFFICES or fold(words[0]) in OFFICES:
                    continue
                words = [w for w in words if fold(w) not in months_and_days() and fold(w) not in own_words]
                if not words or all(fold(w) in PARTICLES for w in words) or allow.allows(words):
                    continue
                name = " ".join(words)
                if (number, name) not in seen:
                    seen.add((number, name))
                    found.append(Diagnostic(path, number, f'possible name "{name}"'))
    return found
