"""The decision list (besluitenlijst): every 'Besluit:' of the minutes, with its meeting and item."""

from __future__ import annotations

import datetime as dt
from typing import Any

from idmeet.core.model import Repository
from idmeet.ops.meetings import require_series


def rows(
    repo: Repository, series: str | None = None, since: dt.date | None = None, text: str | None = None
) -> list[dict[str, Any]]:
    """One row per decision, in the order of the meetings and their items: only the meetings
    of ``series`` (which must exist) and on or after ``since``, when given; with ``text``,
    only the decisions whose text or item title has every word of it, found as ``search``
    finds words (case, accents, word starts and Dutch word forms: ``ops.search``)."""
    if series:
        require_series(repo, series)
    found: list[dict[str, Any]] = [
        {
            "meeting": m.key,
            "date": m.date.isoformat(),
            "series": m.series,
            "item": item.number,
            "item_title": item.title,
            "text": d.text,
            "line": d.source.line,
        }
        for m in repo.meetings
        if (series is None or m.series == series) and (since is None or m.date >= since)
        for item in m.items
        for d in item.decisions
    ]
    if text is None:
        return found
    from idmeet.ops.search import matcher, matches_text

    m = matcher([text], repo.config.language)
    return [row for row in found if matches_text(m, row["text"], row["item_title"])]
