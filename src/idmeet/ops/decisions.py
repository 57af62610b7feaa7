"""The decision list (besluitenlijst): every 'Besluit:' of the minutes, with its meeting and item."""

from __future__ import annotations

import datetime as dt
from typing import Any

from idmeet.core.model import Repository
from idmeet.ops.meetings import require_series


def rows(repo: Repository, series: str | None = None, since: dt.date | None = None) -> list[dict[str, Any]]:
    """One row per decision, in the order of the meetings and their items: only the meetings
    of ``series`` (which must exist) and on or after ``since``, when given."""
    if series:
        require_series(repo, series)
    return [
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
