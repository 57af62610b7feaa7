"""The commands that read meetings (``meetings``, ``show``, ``decisions``) without typer:
typer's commands and the fast path (``cli/fast.py``) call these same functions, so both
print the same. Importing typer costs more than answering them from the snapshot."""

from __future__ import annotations

import json
import sys

from idmeet.cli.common import check_format, cross_checked, date_option, load_repo, warn_about_file, warn_if_broken

# What click's ``echo`` strips when it writes to something that is not a terminal.
_ANSI = r"\033\[[;?0-9]*[a-zA-Z]"


def echo(text: str, nl: bool = True) -> None:
    """Write ``text`` on stdout as typer's ``echo`` does: ANSI escape sequences left out when
    stdout is not a terminal, flushed (a warning on stderr comes after it)."""
    if "\x1b" in text and not sys.stdout.isatty():
        import re

        text = re.sub(_ANSI, "", text)
    sys.stdout.write(f"{text}\n" if nl else text)
    sys.stdout.flush()


def print_meetings(repo_arg: str | None, series: str | None, format: str) -> None:
    """``idmeet meetings``: the meetings, oldest first (of ``series`` only, when given)."""
    from idmeet.ops.meetings import meeting_title, require_series

    check_format(format, ("text", "json"))
    repo, problems, usable = load_repo(repo_arg, with_actions=False)
    if series:
        require_series(repo, series)
    problems = cross_checked(repo, problems, usable)
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
        echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        width = max((len(m.key) for m in shown), default=0)
        lines = [f"{m.key:<{width}}  {m.status:<8}  {len(m.items):>2} items  {meeting_title(repo, m)}" for m in shown]
        if lines:
            echo("\n".join(lines))
        else:
            print("no meetings", file=sys.stderr)
    warn_if_broken(repo, problems)


def print_show(repo_arg: str | None, meeting: str, format: str) -> None:
    """``idmeet show MEETING``: one meeting's header and agenda items."""
    from idmeet.ops.meetings import find_meeting, meeting_as_dict, meeting_as_markdown

    check_format(format, ("md", "json"))
    repo, problems, usable = load_repo(repo_arg, with_actions=False)
    found = find_meeting(repo, meeting, problems)
    problems = cross_checked(repo, problems, usable)
    if format == "json":
        echo(json.dumps(meeting_as_dict(repo, found), ensure_ascii=False, indent=2))
    else:
        echo(meeting_as_markdown(repo, found), nl=False)
    warn_about_file(repo, problems, found.source.path)


def print_decisions(repo_arg: str | None, series: str | None, since: str | None, text: str | None, format: str) -> None:
    """``idmeet decisions``: every decision of the minutes, with its meeting and item."""
    from idmeet.ops import decisions

    check_format(format, ("table", "md", "json"))
    start = date_option(since, "--since")
    repo, problems, usable = load_repo(repo_arg, with_actions=False)
    rows = decisions.rows(repo, series, start, text)
    problems = cross_checked(repo, problems, usable)
    none = "No decisions match." if text is not None else "No decisions recorded."
    if format == "json":
        echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif format == "md":
        lines = ["| meeting | item | decision |", "|---|---|---|"]
        lines += [f"| {r['meeting']} | {r['item']}. {r['item_title']} | {r['text']} |".replace("\n", " ") for r in rows]
        echo("\n".join(lines) if rows else none)
    else:
        echo("\n".join(f"{r['meeting']}  {r['item']}. {r['item_title']}: {r['text']}" for r in rows) if rows else none)
    warn_if_broken(repo, problems)
