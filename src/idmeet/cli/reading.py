"""The commands that read meetings (``meetings``, ``show``, ``decisions``) without typer:
typer's commands and the fast path (``cli/fast.py``) call these same functions, so both
print the same. Importing typer costs more than answering them from the snapshot, and a
command asked again on the same files prints its kept answer (``cli/kept.py``).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from idmeet.cli.common import check_format, date_option
from idmeet.cli.kept import Printed, answer

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from idmeet.cli.kept import Computed
    from idmeet.core.diagnostics import Diagnostic
    from idmeet.core.model import Repository
    from idmeet.store.snapshot import Survey


def print_meetings(repo_arg: str | None, series: str | None, format: str) -> int:
    """``idmeet meetings``: the meetings, oldest first (of ``series`` only, when given)."""
    check_format(format, ("text", "json"))
    return answer(
        repo_arg, ["meetings", series, format], _loaded(lambda repo, problems: _meetings(repo, series, format))
    )


def _meetings(repo: Repository, series: str | None, format: str) -> Printed:
    from idmeet.ops.meetings import meeting_title, require_series

    if series:
        require_series(repo, series)
    shown = [m for m in repo.meetings if series is None or m.series == series]
    if format == "json":
        rows = [
            {
                "meeting": m.key,
                "series": m.series,
                "date": m.date.isoformat(),
                "status": m.status,
                "items": len(m.items),
            }
            for m in shown
        ]
        return Printed(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    width = max((len(m.key) for m in shown), default=0)
    lines = [f"{m.key:<{width}}  {m.status:<8}  {len(m.items):>2} items  {meeting_title(repo, m)}\n" for m in shown]
    return Printed("".join(lines)) if lines else Printed(note="no meetings\n")


def print_show(repo_arg: str | None, meeting: str, format: str) -> int:
    """``idmeet show MEETING``: one meeting's header and agenda items."""
    check_format(format, ("md", "json"))
    return answer(
        repo_arg, ["show", meeting, format], _loaded(lambda repo, problems: _show(repo, problems, meeting, format))
    )


def _show(repo: Repository, problems: list[Diagnostic], meeting: str, format: str) -> Printed:
    from idmeet.ops.meetings import find_meeting, meeting_as_dict, meeting_as_markdown

    found = find_meeting(repo, meeting, problems)
    if format == "json":
        return Printed(
            json.dumps(meeting_as_dict(repo, found), ensure_ascii=False, indent=2) + "\n", None, found.source.path
        )
    return Printed(meeting_as_markdown(repo, found), None, found.source.path)


def print_decisions(repo_arg: str | None, series: str | None, since: str | None, text: str | None, format: str) -> int:
    """``idmeet decisions``: every decision of the minutes, with its meeting and item."""
    check_format(format, ("table", "md", "json"))
    start = date_option(since, "--since")
    args = ["decisions", series, start.isoformat() if start else None, text, format]
    return answer(repo_arg, args, _loaded(lambda repo, problems: _decisions(repo, series, start, text, format)))


def _decisions(repo: Repository, series: str | None, start: Any, text: str | None, format: str) -> Printed:
    from idmeet.ops import decisions

    rows = decisions.rows(repo, series, start, text)
    none = "No decisions match." if text is not None else "No decisions recorded."
    if format == "json":
        return Printed(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    if not rows:
        return Printed(none + "\n")
    if format == "md":
        lines = ["| meeting | item | decision |", "|---|---|---|"]
        lines += [f"| {r['meeting']} | {r['item']}. {r['item_title']} | {r['text']} |".replace("\n", " ") for r in rows]
    else:
        lines = [f"{r['meeting']}  {r['item']}. {r['item_title']}: {r['text']}" for r in rows]
    return Printed("\n".join(lines) + "\n")


def _loaded(make: Callable[[Repository, list[Diagnostic]], Printed]) -> Callable[[Path, Survey], Computed]:
    """What ``make`` prints for the repository loaded without its actions."""

    def compute(root: Path, found: Survey) -> Computed:
        from idmeet.store.load import config_is_usable, load

        repo, problems = load(root, with_actions=False, surveyed=found)
        return make(repo, problems), repo, problems, config_is_usable(problems)

    return compute
