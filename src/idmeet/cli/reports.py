"""Report commands: documents rendered through the templates (``idmeet report ...``)."""

from pathlib import Path
from typing import Annotated

import typer

from idmeet.cli import complete
from idmeet.cli.base import (
    STATE,
    command,
    date_option,
    emit,
    emit_meeting_document,
    finish,
    group,
    today,
    warn_if_broken,
)
from idmeet.cli.common import check_format

report_app = group(
    "report",
    'Documents for people: the open-item report, the "Acties & '
    'afspraken" of a meeting.\n\nExample: idmeet report open-items --owner Peter',
)

OUTPUT_OPT = Annotated[
    Path | None, typer.Option("--output", "-O", metavar="FILE", help="Write to FILE instead of printing.")
]


@command("open-items", on=report_app)
def open_items_cmd(
    series: Annotated[
        str | None, typer.Option("--series", "-s", help="Only this series.", autocompletion=complete.series)
    ] = None,
    owner: Annotated[
        str | None, typer.Option("--owner", "-o", help="Only this person's actions.", autocompletion=complete.owner)
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="DATE", help="The report as it was on this date.")
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="md, html or json.")] = "md",
    output: OUTPUT_OPT = None,
) -> None:
    """Open actions grouped by owner: age, due date (overdue flagged), origin, latest log line.

    Example: idmeet report open-items --series voortgangsoverleg --format html -O open.html
    """
    from idmeet.cli import documents

    if output is None:
        finish(documents.print_open_items(STATE.repo, series, owner, as_of, format))
        return
    check_format(format, ("md", "html", "json"))
    day = date_option(as_of, "--as-of") or today()
    printed, repo, problems, _ = documents.open_items_text(STATE.repo, series, owner, day, format)
    emit(printed.out or "", output, repo.root)
    warn_if_broken(repo, problems)


@command("actions", on=report_app)
def actions_report_cmd(
    meeting: Annotated[
        str, typer.Argument(help="<series>/<YYYY-MM-DD>, or a unique prefix.", autocompletion=complete.meeting)
    ],
    format: Annotated[str, typer.Option("--format", "-f", help="md or html.")] = "md",
    output: OUTPUT_OPT = None,
) -> None:
    """The "Acties & afspraken" of one meeting: one bullet per action that arose in it.

    Example: idmeet report actions voortgangsoverleg/2024-02-05
    """
    emit_meeting_document("actions", meeting, format, output)
