"""Commands for agendas: ``new-agenda``, ``propose`` and ``render``."""

from pathlib import Path
from typing import Annotated

import typer

from idmeet.cli import complete
from idmeet.cli.base import STATE, command, date_option, emit_meeting_document, finish, open_repo, today, warn_if_broken
from idmeet.cli.common import counted
from idmeet.core.diagnostics import IdmeetError


@command("new-agenda")
def new_agenda_cmd(
    series: Annotated[str, typer.Argument(help="The series key, e.g. stuurgroep.", autocompletion=complete.series)],
    date: Annotated[
        str | None,
        typer.Option(
            "--date", "-d", metavar="DATE", help="The meeting date (default: the next date of the series' cadence)."
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the file instead of writing it.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing meeting file.")] = False,
) -> None:
    """Write the next agenda of a series: standing items, the open actions, deferred items,
    proposals; then edit it by hand.

    Example: idmeet new-agenda voortgangsoverleg --dry-run
    """
    if dry_run:
        from idmeet.cli.documents import print_new_agenda

        finish(print_new_agenda(STATE.repo, series, date))
        return
    from idmeet.edits.agenda import AgendaExists, write_next
    from idmeet.ops.agenda import reads

    requested = date_option(date, "--date")
    repo, problems, _ = open_repo(lock=True, needs_config=True, pick_actions=reads(series))
    try:
        made = write_next(repo, series, today(), requested, force=force)
    except AgendaExists as exc:
        raise IdmeetError(f"{exc.path} exists already: edit it, or run again with --force to overwrite it") from None
    for warning in made.warnings:
        typer.echo(f"idmeet: warning: {warning}", err=True)
    typer.echo(str(made.target))
    typer.echo(
        f"{counted(len(made.draft.items), 'item')}, {counted(len(made.draft.actions), 'open action')}, "
        f"{made.carried} carried over, {counted(len(made.draft.proposals), 'proposal taken', 'proposals taken')}",
        err=True,
    )
    warn_if_broken(repo, problems)


@command("propose")
def propose_cmd(
    series: Annotated[str, typer.Argument(help="The series key, e.g. stuurgroep.", autocompletion=complete.series)],
    title: Annotated[str, typer.Argument(help="The item's title.")],
    for_date: Annotated[str | None, typer.Option("--for", metavar="DATE", help="The meeting it is meant for.")] = None,
    category: Annotated[
        str | None,
        typer.Option("--category", "-c", help="mededeling, ter bespreking, ter besluitvorming or ter kennisname."),
    ] = None,
    attachment: Annotated[
        list[str] | None, typer.Option("--attachment", "-a", help="An attachment's title; repeat for more.")
    ] = None,
    confidential: Annotated[
        bool, typer.Option("--confidential", help="The attachments are confidential (vertrouwelijk).")
    ] = False,
    question: Annotated[
        list[str] | None, typer.Option("--question", "-q", help="A question for the meeting; repeat for more.")
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who proposes it.", autocompletion=complete.owner)] = None,
) -> None:
    """Propose an item for a coming meeting; the next agenda of the series takes it.

    Example: idmeet propose stuurgroep "Jaarplan 2025" --category "ter besluitvorming" -a "Jaarplan"
    """
    from idmeet.edits.proposals import propose

    due = date_option(for_date, "--for")
    repo, _, _ = open_repo(lock=True)
    rel = propose(repo, series, title, today(), due, category, attachment or (), confidential, question or (), by)
    typer.echo(rel)


@command("render")
def render_cmd(
    meeting: Annotated[
        str, typer.Argument(help="<series>/<YYYY-MM-DD>, or a unique prefix.", autocompletion=complete.meeting)
    ],
    format: Annotated[str, typer.Option("--format", "-f", help="md or html.")] = "md",
    output: Annotated[
        Path | None, typer.Option("--output", "-O", metavar="FILE", help="Write to FILE instead of printing.")
    ] = None,
) -> None:
    """The agenda document to send to the invitees, without frontmatter, with Dutch dates.

    Example: idmeet render stuurgroep/2024-06-17 --format html --output agenda.html
    """
    emit_meeting_document("agenda", meeting, format, output)
