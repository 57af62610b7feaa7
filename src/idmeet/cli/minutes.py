"""Commands for minutes: ``minutes``, ``minutes sync``, ``decisions``, ``report minutes``."""

from typing import Annotated

import typer

from idmeet.cli import complete
from idmeet.cli.base import STATE, command, emit_meeting_document, finish, open_repo, shown, today
from idmeet.cli.reports import OUTPUT_OPT, report_app
from idmeet.core.diagnostics import IdmeetError


@command("minutes")
def minutes_cmd(
    first: Annotated[
        str,
        typer.Argument(
            metavar="[sync] MEETING",
            help="The meeting (<series>/<date> or a unique prefix), after 'sync' to sync.",
            autocompletion=complete.meeting_or_sync,
        ),
    ],
    second: Annotated[
        str | None, typer.Argument(metavar="", hidden=True, autocompletion=complete.meeting_after_sync)
    ] = None,
) -> None:
    """Add the minutes skeleton under every item ('minutes MEETING'), or turn the action lines
    of the minutes into action files ('minutes sync MEETING'). Both can run again safely.

    Example: idmeet minutes sync voortgangsoverleg/2024-02-05
    """
    from idmeet.edits import minutes
    from idmeet.ops.meetings import find_meeting

    if first == "sync" and second is None:
        raise IdmeetError("give the meeting: idmeet minutes sync <series>/<date>", exit_code=2)
    if second is not None and first != "sync":
        raise IdmeetError(
            f"unknown minutes command '{first}' (use: minutes MEETING, or minutes sync MEETING)", exit_code=2
        )
    repo, problems, _ = open_repo(lock=True)
    meeting = find_meeting(repo, second or first, problems)
    if second is None:
        minutes.require_writable(meeting, problems)
        added = minutes.skeleton(repo, meeting)
        typer.echo(
            f"{meeting.source.path}: added {added} minutes headings"
            if added
            else f"{meeting.source.path}: every item has its minutes headings already"
        )
        return
    own = [p for p in problems if p.path == meeting.source.path and p.severity == "error"]
    report = minutes.sync(repo, meeting, today())
    for line in report.created:
        typer.echo(f"created {line}")
    for line in report.changed:
        typer.echo(f"changed {line}")
    if not report.created and not report.changed:
        typer.echo("nothing to sync: every action line has its action file")
    for problem in sorted([*own, *report.problems], key=lambda p: p.line):
        typer.echo(problem.format(shown(repo.root, problem.path)), err=True)
    if own or report.problems:
        raise typer.Exit(1)


@command("decisions")
def decisions_cmd(
    series: Annotated[
        str | None, typer.Option("--series", "-s", help="Only this series.", autocompletion=complete.series)
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help="Only meetings on or after this date.")
    ] = None,
    text: Annotated[
        str | None,
        typer.Option(
            "--text",
            metavar="WORDS",
            help="Only decisions whose text or item title has every word (as 'idmeet search' finds words).",
        ),
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table, md or json.")] = "table",
) -> None:
    """The decision list (besluitenlijst): every 'Besluit:' of the minutes, with meeting and item.

    --text WORDS keeps the decisions whose text or item title has every word, case and
    accents aside, word starts and Dutch word forms included ("inkoop" finds "Inkoop" and
    "inkopen").

    Example: idmeet decisions --series stuurgroep --since 2024-01-01 --text inkoop
    """
    from idmeet.cli.reading import print_decisions

    finish(print_decisions(STATE.repo, series, since, text, format))


@command("minutes", on=report_app)
def minutes_report_cmd(
    meeting: Annotated[
        str, typer.Argument(help="<series>/<YYYY-MM-DD>, or a unique prefix.", autocompletion=complete.meeting)
    ],
    format: Annotated[str, typer.Option("--format", "-f", help="md or html.")] = "md",
    output: OUTPUT_OPT = None,
) -> None:
    """The minutes as a document for the attendees: per item the notes, decisions and actions.

    Example: idmeet report minutes voortgangsoverleg/2024-02-05 --format html -O verslag.html
    """
    emit_meeting_document("minutes", meeting, format, output)
