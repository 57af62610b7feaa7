"""Outputs for people without a terminal: the calendar file and the static website."""

from pathlib import Path
from typing import Annotated

import typer

from idmeet.cli import complete
from idmeet.cli.base import command, emit, open_repo, today, warn_if_broken


@command("calendar")
def calendar_cmd(
    series: Annotated[
        str | None, typer.Option("--series", "-s", help="Only this series.", autocompletion=complete.series)
    ] = None,
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


@command("site")
def site_cmd(
    output: Annotated[
        Path, typer.Option("--output", "-O", metavar="DIR", help="The folder to write (replaced as a whole).")
    ] = Path("site"),
    public: Annotated[
        bool,
        typer.Option(
            "--public",
            help="The public version: built from the Woo-redacted model of 'idmeet publish' (names of staff "
            "who are not public officials become 5.1.2e), no attachment files; checked for names before writing.",
        ),
    ] = False,
) -> None:
    """The repository as a static website: open index.html, or put the folder on any web server.

    A home page (the next meeting of each series with its agenda, open actions per owner with
    the overdue ones first, the latest decisions), a page per meeting (agenda, minutes,
    decisions, actions, attachments), the action list with filters, a page per action with
    its log, the decision list, and the calendar file. Plain HTML and CSS with relative links;
    a small script adds filtering. For internal use: it shows the repository as it is.

    Example: idmeet site --output site && open site/index.html
    """
    from idmeet.edits.write import replace_folder
    from idmeet.ops.site.build import MARKER, SiteOptions, build_site

    repo, problems, _ = open_repo()
    files = build_site(repo, today(), SiteOptions(public=public))
    replace_folder(output, files, MARKER)
    pages = sum(name.endswith(".html") for name in files)
    typer.echo(f"wrote {output}/ ({pages} pages); open {output / 'index.html'}", err=True)
    warn_if_broken(repo, problems)
