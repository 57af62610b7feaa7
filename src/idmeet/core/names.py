"""Names of people: matching (case- and accent-insensitive) and Woo redaction marks."""

from __future__ import annotations

import functools
import re

from idmeet.core.rules import fold

# "5.1, 2, e" is a name redacted under the Woo (artikel 5.1, tweede lid, onder e). The
# exports garble it: "5.1.2e", "5.1, 2, 5.1, 2, e", "i.1, 2, e", "e 5.1, 2, e".
REDACTION_RE = re.compile(r"[5i]\s*\.\s*1\s*[.,]?\s*2\s*[.,]?(?:\s*e\b)?", re.IGNORECASE)
REDACTION_RUN_RE = re.compile(r"(?:\s*" + REDACTION_RE.pattern + r")+", re.IGNORECASE)
_LEFTOVER_RE = re.compile(r"[\s,.;:()\[\]/&-]|\b[a-z]\b|\ben\b", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def is_redacted(name: str) -> bool:
    """True when ``name`` consists of Woo redaction marks only."""
    if not REDACTION_RE.search(name):
        return False
    return not _LEFTOVER_RE.sub("", REDACTION_RE.sub("", name))


normalize = functools.lru_cache(maxsize=65536)(fold)
"""Fold case, accents and white space (``rules.fold``), remembered: names repeat a lot."""


def suggest(name: str, candidates: list[str]) -> str:
    """A " (did you mean ...?)" hint, or "" when nothing is close."""
    import difflib

    by_key = {normalize(c): c for c in candidates}
    close = difflib.get_close_matches(normalize(name), list(by_key), n=3, cutoff=0.6)
    if not close:
        # A first name typed alone often is the start of a full name.
        key = normalize(name)
        close = [k for k in by_key if k.startswith(key) or key in k.split()][:3]
    if not close:
        return ""
    return " (did you mean " + " or ".join(f"'{by_key[k]}'" for k in close) + "?)"


def longest_name(text: str, spellings: tuple[str, ...] | list[str]) -> str | None:
    """The longest of ``spellings`` (names and aliases, longest first) that starts ``text`` as
        whole words, case- and accent-insensitive; returned as ``spellings`` has it (as long as the
    part of ``text`` it matched).

        "Peter Teesink belt" gives "Peter Teesink" where both "Peter" and "Peter Teesink" are known.
    """
    folded = normalize(text)
    for spelling in spellings:
        key = normalize(spelling)
        if folded.startswith(key) and (len(folded) == len(key) or not folded[len(key)].isalnum()):
            return spelling if normalize(text[: len(spelling)]) == key else None
    return None
