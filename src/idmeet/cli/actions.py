"""Commands for the action list: ``idmeet actions`` (query) and ``idmeet action ...`` (edits).

No ``from __future__ import annotations`` in the command modules: typer would then compile
every annotation string at start-up, which costs more than evaluating them here.
"""

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from idmeet.cli import complete
from idmeet.cli.base import STATE, command, date_option, group, open_repo, today
from idmeet.cli.common import check_format
from idmeet.core.diagnostics import IdmeetError

if TYPE_CHECKING:
    from idmeet.core.model import Action, ActionStatus, Repository

FORMATS = ("table", "md", "json", "csv")

action_app = group(
    "action",
    "Create and update one action: add, show, note, done, drop, wait, "
    "reopen, reassign, due.\n\nExample: idmeet action done k3f9 --note 'bila gepland'",
)

ID_HELP = "The action's id, or any unique start of it."
ID_ARG = Annotated[str, typer.Argument(metavar="ID", help=ID_HELP, autocompletion=complete.any_action)]
OPEN_ID_ARG = Annotated[str, typer.Argument(metavar="ID", help=ID_HELP, autocompletion=complete.open_action)]


@command("actions")
def actions_cmd(
    open_: Annotated[bool, typer.Option("--open", help="Open and waiting actions (the default).")] = False,
    done: Annotated[bool, typer.Option("--done", help="Done actions.")] = False,
    dropped: Annotated[bool, typer.Option("--dropped", help="Dropped actions.")] = False,
    all_: Annotated[bool, typer.Option("--all", help="Every action, whatever its status.")] = False,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            "-o",
            help="Full name or alias (case- and accent-insensitive).",
            autocompletion=complete.owner,
        ),
    ] = None,
    series: Annotated[
        str | None, typer.Option("--series", "-s", help="Only this series.", autocompletion=complete.series)
    ] = None,
    meeting: Annotated[
        str | None,
        typer.Option(
            "--meeting",
            "-m",
            help="Only actions that arose in this meeting (<series>/<date> or a prefix).",
            autocompletion=complete.meeting,
        ),
    ] = None,
    tag: Annotated[
        str | None, typer.Option("--tag", "-t", help="Only actions with this tag.", autocompletion=complete.tag)
    ] = None,
    text: Annotated[
        str | None, typer.Option("--text", help="Words that must all appear in the title, description or log.")
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only open actions past their due date.")] = False,
    due_before: Annotated[
        str | None, typer.Option("--due-before", metavar="DATE", help="Due before this date.")
    ] = None,
    due_after: Annotated[str | None, typer.Option("--due-after", metavar="DATE", help="Due after this date.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="DATE", help="Look back: the actions as they were on this date.")
    ] = None,
    sort: Annotated[str, typer.Option("--sort", help="due, opened, owner or id.")] = "due",
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=0, help="At most N actions.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table, md, json or csv.")] = "table",
) -> None:
    """List actions: open ones by default; filters combine.

    Dates are ISO (2024-03-06) or Dutch (6-3-2024).

    Example: idmeet actions --open --owner Peter
    """
    from idmeet.cli.listing import list_actions

    list_actions(
        STATE.repo,
        open_=open_,
        done=done,
        dropped=dropped,
        all_=all_,
        owner=owner,
        series=series,
        meeting=meeting,
        tag=tag,
        text=text,
        overdue=overdue,
        due_before=due_before,
        due_after=due_after,
        as_of=as_of,
        sort=sort,
        limit=limit,
        format=format,
    )


# -- lifecycle ----------------------------------------------------------------------------


def _target(action_id: str) -> "tuple[Repository, Action]":
    """The action to edit. Only the actions its id can mean are loaded (an edit of one action
    in a repository of thousands); when none is, everything is, so the error can suggest."""
    from idmeet.ops.actions import find_action, ids_starting

    repo, problems, _ = open_repo(with_meetings=False, lock=True, keep_action=ids_starting(action_id))
    if not repo.actions:
        repo, problems, _ = open_repo(with_meetings=False, lock=True)
    return repo, find_action(repo, action_id, problems)


def _report(outcome: Any) -> None:
    typer.echo(outcome.message)


@command("add", on=action_app)
def add_cmd(
    title: Annotated[str, typer.Argument(metavar="TITLE", help="What is to be done, in a few words.")],
    owner: Annotated[
        list[str],
        typer.Option(
            "--owner", "-o", help="Full name or alias; repeat for several owners.", autocompletion=complete.owner
        ),
    ],
    due: Annotated[str | None, typer.Option("--due", metavar="DATE", help="Due date.")] = None,
    meeting: Annotated[
        str | None,
        typer.Option("--meeting", "-m", help="The meeting where it arose.", autocompletion=complete.meeting),
    ] = None,
    series: Annotated[
        str | None,
        typer.Option("--series", "-s", help="The series (default: the meeting's).", autocompletion=complete.series),
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", "-t", help="A tag; repeat for more.", autocompletion=complete.tag)
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="The description.")] = None,
) -> None:
    """Create an action; prints its new id.

    Example: idmeet action add "Bila plannen met P&O" --owner Peter --due 2024-03-01
    """
    from idmeet.edits import lifecycle

    due_date = date_option(due, "--due")
    repo, _, _ = open_repo(with_meetings=meeting is not None, lock=True)
    action = lifecycle.add(repo, title, owner, today(), due_date, meeting, series, tag or (), note)
    typer.echo(action.id)
    if action.meeting is None and action.series is None:
        typer.echo(
            f"warning: {action.id} belongs to no meeting or series, so it appears on no agenda "
            "(give --meeting or --series when adding)",
            err=True,
        )


@command("show", on=action_app)
def show_cmd(
    action_id: ID_ARG,
    format: Annotated[str, typer.Option("--format", "-f", help="md or json.")] = "md",
) -> None:
    """Show one action: its fields, description and log.

    Example: idmeet action show k3f9
    """
    from idmeet.cli.common import cross_checked, warn_about_file
    from idmeet.ops.actions import action_as_dict, find_action, is_overdue, owner_names

    check_format(format, ("md", "json"))
    repo, problems, usable = open_repo()
    action = find_action(repo, action_id, problems, reading=True)
    problems = cross_checked(repo, problems, usable)
    if format == "json":
        data = action_as_dict(repo, action)  # with its description, item and log
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        warn_about_file(repo, problems, action.source.path)
        return
    late = " (overdue)" if is_overdue(action, today()) else ""
    lines = [
        f"# {action.title}",
        "",
        f"- id: {action.id}",
        f"- owner: {', '.join(owner_names(repo, action))}",
        f"- status: {action.status}",
        f"- opened: {action.opened.isoformat()}",
    ]
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
    warn_about_file(repo, problems, action.source.path)


@command("note", on=action_app)
def note_cmd(
    action_id: ID_ARG,
    text: Annotated[str, typer.Argument(help="The update, as one line.")],
) -> None:
    """Add a dated line to an action's log.

    Example: idmeet action note k3f9 "komt hierop terug"
    """
    from idmeet.edits import lifecycle

    repo, action = _target(action_id)
    _report(lifecycle.note(repo, action, text, today()))


def _status(action_id: str, status: "ActionStatus", note: str | None) -> None:
    from idmeet.edits import lifecycle

    repo, action = _target(action_id)
    _report(lifecycle.set_status(repo, action, status, today(), note))


def _one_text(positional: str | None, option: str | None, what: str) -> str | None:
    """The text given as an argument or with --note (not both); None when neither."""
    if positional is not None and option is not None:
        raise IdmeetError(f"give the {what} once, as an argument or with --note, not both", exit_code=2)
    return positional if positional is not None else option


def _required_text(positional: str | None, option: str | None, what: str, example: str) -> str:
    text = _one_text(positional, option, what)
    if text is None:  # a blank one is the library's to refuse
        raise IdmeetError(f"say {what}: {example}", exit_code=2)
    return text


NOTE_ARG = Annotated[str | None, typer.Argument(metavar="[NOTE]", help="A line for the log.", show_default=False)]
REASON_ARG = Annotated[
    str | None,
    typer.Argument(metavar="REASON", help="Why (goes into the log); or give it with --note.", show_default=False),
]
NOTE_OPT = Annotated[str | None, typer.Option("--note", help="A line for the log (the same as the argument).")]


@command("done", on=action_app)
def done_cmd(action_id: OPEN_ID_ARG, text: NOTE_ARG = None, note: NOTE_OPT = None) -> None:
    """Mark an action done (one log line records when).

    Example: idmeet action done k3f9 "bila gepland op 12 maart"
    """
    _status(action_id, "done", _one_text(text, note, "note"))


@command("drop", on=action_app)
def drop_cmd(action_id: OPEN_ID_ARG, reason: REASON_ARG = None, note: NOTE_OPT = None) -> None:
    """Drop an action that will not be done, saying why.

    Example: idmeet action drop k3f9 "vervalt door reorganisatie"
    """
    why = _required_text(reason, note, "why it is dropped", 'idmeet action drop ID "reden"')
    _status(action_id, "dropped", why)


@command("wait", on=action_app)
def wait_cmd(
    action_id: Annotated[str, typer.Argument(metavar="ID", help=ID_HELP, autocompletion=complete.waitable_action)],
    reason: REASON_ARG = None,
    note: NOTE_OPT = None,
) -> None:
    """Mark an action as waiting (on someone or something), saying on what.

    Example: idmeet action wait k3f9 "wacht op P&O"
    """
    why = _required_text(reason, note, "what it waits on", 'idmeet action wait ID "wacht op P&O"')
    _status(action_id, "waiting", why)


@command("reopen", on=action_app)
def reopen_cmd(
    action_id: Annotated[str, typer.Argument(metavar="ID", help=ID_HELP, autocompletion=complete.closed_action)],
    text: NOTE_ARG = None,
    note: NOTE_OPT = None,
) -> None:
    """Reopen a done, dropped or waiting action.

    Example: idmeet action reopen k3f9 "toch nog nodig"
    """
    _status(action_id, "open", _one_text(text, note, "note"))


@command("reassign", on=action_app)
def reassign_cmd(
    action_id: ID_ARG,
    owners: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[OWNER]...", help="The new owner(s).", show_default=False, autocompletion=complete.owner
        ),
    ] = None,
    owner: Annotated[
        list[str] | None,
        typer.Option(
            "--owner",
            "-o",
            help="The new owner; repeat for several (or give them as arguments).",
            autocompletion=complete.owner,
        ),
    ] = None,
) -> None:
    """Give an action to another owner (or owners).

    Example: idmeet action reassign k3f9 Peter
    """
    from idmeet.edits import lifecycle

    names = [*(owners or []), *(owner or [])]
    if not names:
        raise IdmeetError("say who takes it over: idmeet action reassign ID NAME", exit_code=2)
    repo, action = _target(action_id)
    _report(lifecycle.reassign(repo, action, names, today()))


@command("due", on=action_app)
def due_cmd(
    action_id: ID_ARG,
    date: Annotated[str, typer.Argument(metavar="DATE", help="The new due date.")],
) -> None:
    """Set or change an action's due date.

    Example: idmeet action due k3f9 2024-04-01
    """
    from idmeet.edits import lifecycle

    due = date_option(date, "due date")
    assert due is not None
    repo, action = _target(action_id)
    _report(lifecycle.set_due(repo, action, due, today()))
