"""The commands that read meetings (``meetings``, ``show``, ``decisions``) without typer:
typer's commands and the fast path (``cli/fast.py``) call these same functions, so both
print the same. Importing typer costs more than answering them from the snapshot.

What such a command prints on stdout is a function of the repository's files, its
arguments, today and idmeet's code: it is kept as a memo (``snapshot.remember``, one file per
command holding the answers given for these files) beside the problems of loading. A command
asked again while every file is as it was prints the kept answer without loading the model;
its warnings are worked out again from the kept problems and the validation's own memo
(which also holds only while the files it looked at outside the repository are as they were),
and worded for the current folder as usual. Like the snapshot, an answer is kept only once
the files are settled (the snapshot is there): a first run does not pay for it.
"""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, Any

from idmeet.cli.common import check_format, cross_checked, date_option, warn_about_file_at, warn_if_broken_at

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from idmeet.core.diagnostics import Diagnostic
    from idmeet.core.model import Repository
    from idmeet.store.snapshot import Survey

    # What a command prints: stdout (None: nothing), one line for stderr before the warnings
    # (None: none), and the file it shows (its problems are worded as warnings) or None.
    Printed = tuple[str | None, str | None, str | None]

# Answers kept per command for one state of the files (``show`` of 16 meetings, say).
KEPT_ANSWERS = 16
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
    check_format(format, ("text", "json"))
    _answer(repo_arg, ["meetings", series, format], lambda repo, problems: _meetings(repo, series, format))


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
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n", None, None
    width = max((len(m.key) for m in shown), default=0)
    lines = [f"{m.key:<{width}}  {m.status:<8}  {len(m.items):>2} items  {meeting_title(repo, m)}\n" for m in shown]
    return ("".join(lines), None, None) if lines else (None, "no meetings", None)


def print_show(repo_arg: str | None, meeting: str, format: str) -> None:
    """``idmeet show MEETING``: one meeting's header and agenda items."""
    check_format(format, ("md", "json"))
    _answer(repo_arg, ["show", meeting, format], lambda repo, problems: _show(repo, problems, meeting, format))


def _show(repo: Repository, problems: list[Diagnostic], meeting: str, format: str) -> Printed:
    from idmeet.ops.meetings import find_meeting, meeting_as_dict, meeting_as_markdown

    found = find_meeting(repo, meeting, problems)
    if format == "json":
        return json.dumps(meeting_as_dict(repo, found), ensure_ascii=False, indent=2) + "\n", None, found.source.path
    return meeting_as_markdown(repo, found), None, found.source.path


def print_decisions(repo_arg: str | None, series: str | None, since: str | None, text: str | None, format: str) -> None:
    """``idmeet decisions``: every decision of the minutes, with its meeting and item."""
    check_format(format, ("table", "md", "json"))
    start = date_option(since, "--since")
    args = ["decisions", series, start.isoformat() if start else None, text, format]
    _answer(repo_arg, args, lambda repo, problems: _decisions(repo, series, start, text, format))


def _decisions(repo: Repository, series: str | None, start: Any, text: str | None, format: str) -> Printed:
    from idmeet.ops import decisions

    rows = decisions.rows(repo, series, start, text)
    none = "No decisions match." if text is not None else "No decisions recorded."
    if format == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n", None, None
    if not rows:
        return none + "\n", None, None
    if format == "md":
        lines = ["| meeting | item | decision |", "|---|---|---|"]
        lines += [f"| {r['meeting']} | {r['item']}. {r['item_title']} | {r['text']} |".replace("\n", " ") for r in rows]
    else:
        lines = [f"{r['meeting']}  {r['item']}. {r['item_title']}: {r['text']}" for r in rows]
    return "\n".join(lines) + "\n", None, None


# -- kept answers ---------------------------------------------------------------------------


def _answer(repo_arg: str | None, args: list[Any], make: Callable[[Repository, list[Diagnostic]], Printed]) -> None:
    """Print what ``make`` prints for the repository (loaded without its actions), from the
    kept answer when the files are as they were; then the warnings."""
    from idmeet.store import snapshot
    from idmeet.store.listing import find_repository

    root = find_repository(repo_arg)
    found = snapshot.survey(root)
    key = _key(args)
    name = f"answers-{args[0]}"
    kept = snapshot.recall(root, found, name) if key is not None else None
    answers: dict[Any, Any] = kept if isinstance(kept, dict) else {}
    printed = _kept(root, found, answers.get(key))
    if printed is None:
        from idmeet.store.load import config_is_usable, load

        repo, problems = load(root, with_actions=False, surveyed=found)
        usable = config_is_usable(problems)
        out, note, shown_file = make(repo, problems)
        if key is not None and snapshot.has_snapshot(root, found):  # not on a first run, as the snapshot
            while len(answers) >= KEPT_ANSWERS:  # the oldest go: the file is read on every command
                del answers[next(iter(answers))]
            answers[key] = [out, note, shown_file, usable, snapshot.kept_problems(problems)]
            snapshot.remember(root, found, name, answers, [])
        printed = (out, note, shown_file), cross_checked(repo, problems, usable)
    (out, note, shown_file), problems = printed
    if out is not None:
        echo(out, nl=False)
    if note is not None:
        print(note, file=sys.stderr)
    if shown_file is None:
        warn_if_broken_at(root, problems)
    else:
        warn_about_file_at(root, problems, shown_file)


def _key(args: list[Any]) -> tuple[Any, ...] | None:
    """What an answer depends on besides the files and ``ops``' code (the memo's own key):
    the arguments, today, and this module's code. None when today is not known (the command
    then says why as usual)."""
    from idmeet.core.rules import today_ordinal

    day = today_ordinal()
    if day is None:
        return None
    code = os.stat(__file__)
    return (*args, day, code.st_size, code.st_mtime_ns)


def _kept(root: Path, found: Survey, entry: Any) -> tuple[Printed, list[Diagnostic]] | None:
    """A kept answer and its problems: those of loading as kept with it, and the validation's
    (its own memo, which checks what it looked at outside the files); None when either is
    missing or not of the shape kept."""
    from idmeet.store import snapshot

    if not (isinstance(entry, list) and len(entry) == 5):
        return None
    out, note, shown_file, usable, kept_problems = entry
    if not (
        all(value is None or isinstance(value, str) for value in (out, note, shown_file)) and isinstance(usable, bool)
    ):
        return None
    loaded = snapshot.as_problems(kept_problems)
    checked = snapshot.as_problems(snapshot.recall(root, found, f"validate-{int(usable)}-1"))
    if loaded is None or checked is None:
        return None
    seen = set(loaded)
    return (out, note, shown_file), [*loaded, *(p for p in checked if p not in seen)]
