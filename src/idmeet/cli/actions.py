"""Commands for the action list: ``idmeet actions`` (query) and ``idmeet action ...`` (edits)."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from idmeet.cli.app import command, date_option, group, open_repo, today, warn_if_broken
from idmeet.diagnostics import IdmeetError

if TYPE_CHECKING:
    from idmeet.model import Action, Repository

FORMATS = ("table", "md", "json", "csv")

action_app = group("action", "Create and update one action: add, show, note, done, drop, wait, "
                   "reopen, reassign, due.\n\nExample: idmeet action done k3f9 --note 'bila gepland'")

ID_ARG = Annotated[str, typer.Argument(metavar="ID", help="The action's id, or any unique start of it.")]


@command("actions")
def actions_cmd(
    open_: Annotated[bool, typer.Option("--open", help="Open and waiting actions (the default).")] = False,
    done: Annotated[bool, typer.Option("--done", help="Done actions.")] = False,
    dropped: Annotated[bool, typer.Option("--dropped", help="Dropped actions.")] = False,
    all_: Annotated[bool, typer.Option("--all", help="Every action, whatever its status.")] = False,
    owner: Annotated[str | None, typer.Option("--owner", "-o", help="Full name or alias "
                                              "(case- and accent-insensitive).")] = None,
    series: Annotated[str | None, typer.Option("--series", "-s", help="Only this series.")] = None,
    meeting: Annotated[str | None, typer.Option("--meeting", "-m", help="Only actions that arose in "
                                                "this meeting (<series>/<date> or a prefix).")] = None,
    tag: Annotated[str | None, typer.Option("--tag", "-t", help="Only actions with this tag.")] = None,
    text: Annotated[str | None, typer.Option("--text", help="Words that must all appear in the title, "
                                             "description or log.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only open actions past their due "
                                          "date.")] = False,
    due_before: Annotated[str | None, typer.Option("--due-before", metavar="DATE",
                                                   help="Due before this date.")] = None,
    due_after: Annotated[str | None, typer.Option("--due-after", metavar="DATE",
                                                  help="Due after this date.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="DATE", help="Look back: the actions "
                                              "as they were on this date.")] = None,
    sort: Annotated[str, typer.Option("--sort", help="due, opened, owner or id.")] = "due",
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=0, help="At most N actions.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table, md, json or csv.")] = "table",
) -> None:
    """List actions: open ones by default; filters combine.

    Dates are ISO (2024-03-06) or Dutch (6-3-2024).

    Example: idmeet actions --open --owner Peter
    """
    from idmeet.actions import SORT_KEYS, ActionQuery, resolve_owner, statuses_from_flags
    from idmeet.query import find_meeting, require_series

    if format not in FORMATS:
        raise IdmeetError(f"unknown format '{format}' (use {', '.join(FORMATS)})", exit_code=2)
    if sort not in SORT_KEYS:
        raise IdmeetError(f"unknown sort '{sort}' (use {', '.join(SORT_KEYS)})", exit_code=2)
    query = ActionQuery(
        statuses=statuses_from_flags(open_, done, dropped, all_),
        tag=tag, text=text, overdue=overdue, sort=sort, limit=limit, today=today(),
        due_before=date_option(due_before, "--due-before"),
        due_after=date_option(due_after, "--due-after"),
        as_of=date_option(as_of, "--as-of"),
    )
    repo, problems, _ = open_repo(with_meetings=meeting is not None)
    if owner is not None:
        query.owner = resolve_owner(repo, owner)
    if series is not None:
        query.series = require_series(repo, series).key
    if meeting is not None:
        query.meeting = find_meeting(repo, meeting, problems).key
    found = query.run(repo)
    day = query.as_of or query.today
    if format == "json":
        typer.echo(json.dumps(_dicts(repo, found, query.as_of), ensure_ascii=False, indent=2))
    elif format == "csv":
        _csv(repo, found, query.as_of)
    elif format == "md":
        typer.echo(_markdown(repo, found, day), nl=False)
    else:
        _table(repo, found, day)
    warn_if_broken(repo, problems)


def _dicts(repo: Repository, actions: list[Action], as_of: dt.date | None = None) -> list[dict[str, Any]]:
    from idmeet.actions import action_as_dict

    return [action_as_dict(repo, a, as_of) for a in actions]


def _csv(repo: Repository, actions: list[Action], as_of: dt.date | None) -> None:
    import csv

    from idmeet.actions import JSON_KEYS

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(JSON_KEYS)
    for row in _dicts(repo, actions, as_of):
        writer.writerow(["; ".join(v) if isinstance(v, list) else ("" if v is None else v)
                         for v in (row[k] for k in JSON_KEYS)])


def _cells(repo: Repository, action: Action, day: dt.date) -> tuple[list[str], bool]:
    """The six cells of a row (id, owner, title, opened, due, last update), and "overdue"."""
    from idmeet.actions import is_overdue, owner_names

    late = is_overdue(action, day)
    last = action.last_update
    return [action.id, ", ".join(owner_names(repo, action)), action.title, action.opened.isoformat(),
            (action.due.isoformat() + (" !" if late else "")) if action.due else "",
            last.date.isoformat() if last else ""], late


def _markdown(repo: Repository, actions: list[Action], day: dt.date) -> str:
    if not actions:
        return "No actions match.\n"
    rows = ["| id | owner | title | opened | due | last update |", "|---|---|---|---|---|---|"]
    for cells, _ in (_cells(repo, a, day) for a in actions):
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(rows) + "\n"


def _table(repo: Repository, actions: list[Action], day: dt.date) -> None:
    """A rich table that fits the terminal (80 columns when piped), titles shortened."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    tty = sys.stdout.isatty()
    console = Console(width=None if tty else 80, no_color=not tty or "NO_COLOR" in os.environ,
                      highlight=False, soft_wrap=False)
    if not actions:
        console.print("No actions match.", markup=False)
        return
    table = Table(box=None, pad_edge=False, show_edge=False,
                  header_style="bold" if tty else "")
    rows = [_cells(repo, a, day) for a in actions]
    headers = ("id", "owner", "title", "opened", "due", "last update")
    widths = [max(len(headers[i]), *(len(cells[i]) for cells, _ in rows)) for i in range(6)]
    widths[1] = min(widths[1], 16)
    spare = console.width - sum(widths) + widths[2] - 2 * (len(headers) - 1)
    widths[2] = max(12, min(widths[2], spare))
    for header, width in zip(headers, widths):
        table.add_column(header, no_wrap=True, overflow="ellipsis", width=width)
    for cells, late in rows:
        row = [Text(c) for c in cells]  # Text, not markup: a title may hold "[...]"
        if late:
            row[4].stylize("red")
        table.add_row(*row)
    console.print(table)
    console.print(f"{len(actions)} action{'s' if len(actions) != 1 else ''}", style="dim")


# -- lifecycle ----------------------------------------------------------------------------


def _target(action_id: str) -> tuple[Repository, Action]:
    from idmeet.actions import find_action

    repo, problems, _ = open_repo(with_meetings=False)
    return repo, find_action(repo, action_id, problems)


def _report(outcome: Any) -> None:
    typer.echo(outcome.message)


@command("add", on=action_app)
def add_cmd(
    title: Annotated[str, typer.Argument(metavar="TITLE", help="What is to be done, in a few words.")],
    owner: Annotated[list[str], typer.Option("--owner", "-o", help="Full name or alias; repeat for "
                                             "several owners.")],
    due: Annotated[str | None, typer.Option("--due", metavar="DATE", help="Due date.")] = None,
    meeting: Annotated[str | None, typer.Option("--meeting", "-m",
                                                help="The meeting where it arose.")] = None,
    series: Annotated[str | None, typer.Option("--series", "-s", help="The series (default: the "
                                               "meeting's).")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="A tag; repeat for more.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="The description.")] = None,
) -> None:
    """Create an action; prints its new id.

    Example: idmeet action add "Bila plannen met P&O" --owner Peter --due 2024-03-01
    """
    from idmeet import lifecycle

    due_date = date_option(due, "--due")
    repo, _, _ = open_repo(with_meetings=meeting is not None)
    action = lifecycle.add(repo, title, owner, today(), due_date, meeting, series, tag or (), note)
    typer.echo(action.id)


@command("show", on=action_app)
def show_cmd(
    action_id: ID_ARG,
    format: Annotated[str, typer.Option("--format", "-f", help="md or json.")] = "md",
) -> None:
    """Show one action: its fields, description and log.

    Example: idmeet action show k3f9
    """
    from idmeet.actions import action_as_dict, is_overdue, owner_names

    if format not in ("md", "json"):
        raise IdmeetError(f"unknown format '{format}' (use md or json)", exit_code=2)
    repo, action = _target(action_id)
    if format == "json":
        data = action_as_dict(repo, action)
        data["description"] = action.description
        data["log"] = [{"date": e.date.isoformat(), "text": e.text} for e in action.log]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    late = " (overdue)" if is_overdue(action, today()) else ""
    lines = [f"# {action.title}", "", f"- id: {action.id}",
             f"- owner: {', '.join(owner_names(repo, action))}", f"- status: {action.status}",
             f"- opened: {action.opened.isoformat()}"]
    if action.due:
        lines.append(f"- due: {action.due.isoformat()}{late}")
    if action.meeting:
        lines.append(f"- meeting: {action.meeting}" + (f", item {action.item}" if action.item else ""))
    if action.tags:
        lines.append(f"- tags: {', '.join(action.tags)}")
    lines.append(f"- file: {action.source.path}")
    if action.description:
        lines += ["", action.description]
    if action.log:
        lines += ["", "## Log", ""] + [f"- {e.date.isoformat()}: {e.text}" for e in action.log]
    typer.echo("\n".join(lines))


@command("note", on=action_app)
def note_cmd(
    action_id: ID_ARG,
    text: Annotated[str, typer.Argument(help="The update, as one line.")],
) -> None:
    """Add a dated line to an action's log.

    Example: idmeet action note k3f9 "komt hierop terug"
    """
    from idmeet import lifecycle

    repo, action = _target(action_id)
    _report(lifecycle.note(repo, action, text, today()))


def _status(action_id: str, status: str, note: str | None) -> None:
    from idmeet import lifecycle

    repo, action = _target(action_id)
    _report(lifecycle.set_status(repo, action, status, today(), note))


NOTE_OPT = Annotated[str | None, typer.Option("--note", help="A line for the log.")]
REASON_OPT = Annotated[str, typer.Option("--note", help="Why (goes into the log); required.")]


@command("done", on=action_app)
def done_cmd(action_id: ID_ARG, note: NOTE_OPT = None) -> None:
    """Mark an action done (one log line records when).

    Example: idmeet action done k3f9 --note "bila gepland op 12 maart"
    """
    _status(action_id, "done", note)


@command("drop", on=action_app)
def drop_cmd(action_id: ID_ARG, note: REASON_OPT) -> None:
    """Drop an action that will not be done, saying why.

    Example: idmeet action drop k3f9 --note "vervalt door reorganisatie"
    """
    _status(action_id, "dropped", note)


@command("wait", on=action_app)
def wait_cmd(action_id: ID_ARG, note: REASON_OPT) -> None:
    """Mark an action as waiting (on someone or something), saying on what.

    Example: idmeet action wait k3f9 --note "wacht op P&O"
    """
    _status(action_id, "waiting", note)


@command("reopen", on=action_app)
def reopen_cmd(action_id: ID_ARG, note: NOTE_OPT = None) -> None:
    """Reopen a done, dropped or waiting action.

    Example: idmeet action reopen k3f9
    """
    _status(action_id, "open", note)


@command("reassign", on=action_app)
def reassign_cmd(
    action_id: ID_ARG,
    owner: Annotated[list[str], typer.Option("--owner", "-o", help="The new owner; repeat for several.")],
) -> None:
    """Give an action to another owner (or owners).

    Example: idmeet action reassign k3f9 --owner Peter
    """
    from idmeet import lifecycle

    repo, action = _target(action_id)
    _report(lifecycle.reassign(repo, action, owner, today()))


@command("due", on=action_app)
def due_cmd(
    action_id: ID_ARG,
    date: Annotated[str, typer.Argument(metavar="DATE", help="The new due date.")],
) -> None:
    """Set or change an action's due date.

    Example: idmeet action due k3f9 2024-04-01
    """
    from idmeet import lifecycle

    due = date_option(date, "due date")
    assert due is not None
    repo, action = _target(action_id)
    _report(lifecycle.set_due(repo, action, due, today()))
