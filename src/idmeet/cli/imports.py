"""The ``import`` command: existing agendas and action lists into the repository."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from idmeet.cli import complete
from idmeet.cli.base import command, open_repo, shown, today
from idmeet.cli.common import worded
from idmeet.core.diagnostics import IdmeetError

if TYPE_CHECKING:
    from idmeet.importer.core import ImportResult


@command("import")
def import_cmd(
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE", help='Agendas or "Acties & afspraken" lists: .txt, .md or .docx.')
    ],
    series: Annotated[
        str,
        typer.Option(
            "--series",
            "-s",
            metavar="SERIES",
            help="The series the documents are of, e.g. stuurgroep.",
            autocompletion=complete.series,
        ),
    ],
    year: Annotated[
        int | None,
        typer.Option(
            "--year", metavar="YYYY", help="The year of a date written without one, when no weekday tells it."
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the files instead of writing them.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite a meeting file that exists and differs.")] = False,
) -> None:
    """Import existing agendas and action lists as meeting and action files.

    Reads agendas and "Acties & afspraken" lists of a series (plain text, Markdown or
    Word) and writes <series>/<date>.md, and for an action list one action file per
    @owner. Every line of the document lands in the meeting file; a line that cannot be
    placed is kept as a comment in its frontmatter and listed. Importing the same file
    again changes nothing; a meeting that exists is only overwritten with --force.

    Example: idmeet import agenda.docx --series stuurgroep
    """
    from idmeet.importer.files import import_files

    if year is not None and not 1900 <= year <= 2100:
        raise IdmeetError(f"--year {year} is not a year: write it as YYYY, e.g. --year 2024")
    repo, problems, _ = open_repo(lock=not dry_run, needs_config=True)
    outcome = import_files(repo, problems, files, series, today(), year=year, force=force, write=not dry_run)
    if dry_run:
        for change in outcome.changes:
            if change.text is not None and change.state != "unchanged":
                typer.echo(f"==> {shown(repo.root, change.rel)} ({change.state}) <==")
                typer.echo(change.text, nl=not change.text.endswith("\n"))
                typer.echo("")
    for result in outcome.results:
        _summary(result)
    if outcome.error is not None:
        raise outcome.error
    verbs = {
        "new": "would write" if dry_run else "wrote",
        "overwrite": "would overwrite" if dry_run else "overwrote",
        "unchanged": "unchanged",
        "kept": "kept",
        "tied": "tied to the existing",
    }
    for change in outcome.changes:
        detail = f" ({change.detail})" if change.detail and change.state != "tied" else ""
        typer.echo(f"{verbs[change.state]} {shown(repo.root, change.rel)}{detail}")


def _summary(result: "ImportResult") -> None:
    what = "agenda" if result.kind == "agenda" else "acties & afspraken"
    secret = f" ({result.confidential} confidential)" if result.confidential else ""
    counts = ", ".join(_count(n, word) for n, word in ((result.items, "item"), (result.attachments, "attachment")))
    more = ", ".join(_count(n, word) for n, word in ((result.questions, "question"), (result.tasks, "action")))
    typer.echo(f"{result.source}: {what} of {result.meeting_key}: {counts}{secret}, {more}")
    for note in result.notes:
        typer.echo(f"  note: {worded(note)}")
    for where, text in result.unplaced:
        typer.echo(f"  not placed (kept as a comment in the frontmatter): {where}: {text}")
    for where, text in result.dropped:
        typer.echo(f"  left out (page layout): {where}: {text}")


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"
