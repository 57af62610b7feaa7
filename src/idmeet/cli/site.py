"""Outputs for people without a terminal: the calendar file and the static website."""

from pathlib import Path
from typing import Annotated

import typer

from idmeet.cli.base import command, emit, open_repo, today, warn_if_broken


@command("calendar")
def calendar_cmd(
    series: Annotated[str | None, typer.Option("--series", "-s", help="Only this series.")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-O", metavar="FILE", help="Write to FILE (.ics) instead of printing.")
    ] = None,
    future: Annotated[
        bool,
        typer.Option(
            "--future",
            help="Also the dates of the cadence in the coming year that have no meeting file yet: one "
            "event each (not an RRULE), recess (skip) dates left out, marked tentative.",
        ),
    ] = False,
    site_url: Annotated[
        str | None,
        typer.Option("--site-url", metavar="URL", help="Where 'idmeet site' is published: each event links its page."),
    ] = None,
    attendees: Annotated[
        bool,
        typer.Option(
            "--attendees", help="List every invitee. Without it only public officials are named (the file may travel)."
        ),
    ] = False,
) -> None:
    """The meetings as an iCalendar file (.ics) for Outlook, Google or Apple calendars.

    One event per meeting, planned and held, in Europe/Amsterdam time: title, time,
    location, the agenda's items. The same repository gives the same file, so calendars
    that subscribe to it update meetings instead of doubling them; a cancelled meeting
    (status: cancelled) is published as cancelled, a moved one (moved_from:) moves.

    Example: idmeet calendar --future -O vergaderingen.ics
    """
    from idmeet.ops.calendar import CalendarOptions, build_calendar
    from idmeet.ops.meetings import require_series

    repo, problems, _ = open_repo()
    if series:
        require_series(repo, series)
    data = build_calendar(repo, CalendarOptions(series, future, site_url, attendees), today())
    if output is None:
        typer.echo(data, nl=False)
    else:
        emit(data.decode("utf-8"), output, repo.root)  # refuses the repository's own files
    warn_if_broken(repo, problems)
