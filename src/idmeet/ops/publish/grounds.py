"""The grounds of the Woo (artikel 5.1 and 5.2) and the spans a text withholds by hand.

A span ``{lak 5.2.1}text{/lak}`` in any text is withheld on publication: the text is gone and
the ground stands in its place. Grounds are written as ``5.1.2e`` (artikel 5.1, tweede lid,
onder e); ``5.1, 2, e``, ``5.1.2.e`` and ``5.1 lid 2 sub e`` mean the same, and ``5.2`` is
``5.2.1``. A span lies within one text (a paragraph block, a title, a question): it does
not cross a heading.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from idmeet.core.diagnostics import Diagnostic, IdmeetError
from idmeet.core.model import Source

# artikel 5.1 eerste lid (absolute grounds), tweede lid (weighed), vijfde lid; artikel 5.2.
GROUNDS: dict[str, str] = {
    "5.1.1a": "eenheid van de Kroon",
    "5.1.1b": "veiligheid van de Staat",
    "5.1.1c": "vertrouwelijk verstrekte bedrijfs- en fabricagegegevens",
    "5.1.1d": "bijzondere persoonsgegevens",
    "5.1.1e": "identificatienummers",
    "5.1.2a": "betrekkingen met andere staten en internationale organisaties",
    "5.1.2b": "economische of financiële belangen van de Staat of andere overheden",
    "5.1.2c": "opsporing en vervolging van strafbare feiten",
    "5.1.2d": "inspectie, controle en toezicht door bestuursorganen",
    "5.1.2e": "eerbiediging van de persoonlijke levenssfeer",
    "5.1.2f": "concurrentiegevoelige bedrijfs- en fabricagegegevens",
    "5.1.2g": "bescherming van het milieu",
    "5.1.2h": "beveiliging van personen en bedrijven",
    "5.1.2i": "het goed functioneren van de Staat en bestuursorganen",
    "5.1.5": "onevenredige benadeling",
    "5.2.1": "persoonlijke beleidsopvattingen in documenten voor intern beraad",
}
NAME_GROUND = "5.1.2e"  # a person's name: privacy
ATTACHMENT_GROUND = "5.1.2i"  # a confidential attachment, unless it names its own ground

OPEN_RE = re.compile(r"\{lak(?:\s+([^{}]*))?\}", re.IGNORECASE)
CLOSE_RE = re.compile(r"\{/lak\}", re.IGNORECASE)
TOKEN_RE = re.compile(f"{OPEN_RE.pattern}|{CLOSE_RE.pattern}", re.IGNORECASE)
# How a ground mark stands in a published text: "5.1.2e", "5.2.1", "5.1.5".
MARK_RE = re.compile(r"(?<![\w.])5\.[12]\.[125][a-i]?(?!\w|\.\d)")


def canonical_ground(text: str) -> str | None:
    """``"5.1, 2, e"`` -> ``"5.1.2e"``; None when ``text`` is not a ground of the Woo."""
    bare = re.sub(r"\b(?:lid|sub|onder|artikel|art)\b|[\s,.]", "", text.casefold())
    if bare in ("52", "521"):
        return "5.2.1"
    match = re.fullmatch(r"51([125])([a-i]?)", bare)
    if match is None:
        return None
    ground = f"5.1.{match.group(1)}{match.group(2)}"
    return ground if ground in GROUNDS else None


@dataclass(frozen=True)
class SpanProblem:
    """A span that cannot be withheld: unpaired, nested, or with an unknown ground."""

    offset: int  # in the text
    message: str


def span_problems(text: str) -> list[SpanProblem]:
    """What is wrong with the ``{lak}`` spans of one text (empty: all is well)."""
    problems: list[SpanProblem] = []
    open_at: int | None = None
    for match in TOKEN_RE.finditer(text):
        if match.group(0).startswith("{/"):
            if open_at is None:
                problems.append(SpanProblem(match.start(), "'{/lak}' without a '{lak GROUND}' before it"))
            open_at = None
            continue
        if open_at is not None:
            problems.append(SpanProblem(open_at, "'{lak ...}' not closed before the next '{lak ...}' ('{/lak}')"))
        open_at = match.start()
        written = (match.group(1) or "").strip()
        if not written:
            problems.append(SpanProblem(match.start(), "'{lak}' without a ground (write '{lak 5.1.2e}')"))
        elif canonical_ground(written) is None:
            known = ", ".join(GROUNDS)
            problems.append(SpanProblem(match.start(), f"unknown Woo ground '{written}' (known: {known})"))
    if open_at is not None:
        problems.append(
            SpanProblem(
                open_at, "'{lak ...}' not closed with '{/lak}' in the same text (a span cannot cross a heading)"
            )
        )
    return problems


def withhold_spans(text: str, counts: Counter[str]) -> str:
    """``text`` with each ``{lak G}...{/lak}`` replaced by its ground ``G``; counted per ground.

    A text with a broken span is refused (``idmeet check`` reports it), never half withheld.
    """
    if "{" not in text:
        return text
    problems = span_problems(text)
    if problems:
        raise IdmeetError(f"cannot withhold: {problems[0].message}")
    out: list[str] = []
    position = 0
    ground = ""
    for match in TOKEN_RE.finditer(text):
        if match.group(0).startswith("{/"):
            out.append(ground)
            counts[ground] += 1
        else:
            out.append(text[position : match.start()])
            ground = canonical_ground(match.group(1)) or ""
        position = match.end()
    out.append(text[position:])
    return "".join(out)


def ground_problems(records: Iterable[Any]) -> Iterator[Diagnostic]:
    """``path:line: ...`` for each broken ``{lak}`` span in any text of ``records`` (every
    field, walked as redaction walks them), and each unknown ground of an attachment."""
    found: list[Diagnostic] = []
    blank = Source("")
    for record in records:
        _walk(record, blank, found)
    return iter(found)


_SKIP = frozenset(("source", "key_lines"))
# Values with no text inside: passed over without a look (most fields of a record are these).
_LEAVES = frozenset((int, bool, float, type(None), dt.date, dt.datetime))


def _walk(record: Any, where: Source, found: list[Diagnostic]) -> None:
    """Add the problems of one record and the records inside it (every field but its source)
    to ``found``. (A loop, not generators: ``idmeet check`` walks every record of a repository.)"""
    source = getattr(record, "source", None)
    here = source if isinstance(source, Source) and source.path else where
    ground = getattr(record, "ground", None)
    if isinstance(ground, str) and canonical_ground(ground) is None:
        found.append(Diagnostic(here.path, here.line, f"unknown Woo ground '{ground}' (known: {', '.join(GROUNDS)})"))
    leaves = _LEAVES
    for name, value in vars(record).items():
        if type(value) in leaves or name in _SKIP:
            continue
        for element in value if isinstance(value, (tuple, list)) else (value,):
            if isinstance(element, str):
                if "{" in element:
                    for problem in span_problems(element):
                        line = here.line + element.count("\n", 0, problem.offset)
                        found.append(Diagnostic(here.path, line, problem.message))
            elif (
                type(element) not in leaves
                and hasattr(element, "__dataclass_fields__")
                and not isinstance(element, type)
            ):
                _walk(element, here, found)
