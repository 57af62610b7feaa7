"""``idmeet export``: a document as Markdown, HTML, Word or PDF; ``idmeet pack``: the agenda
with its attachments in one zip."""

from pathlib import Path
from typing import Annotated

import typer

from idmeet.cli import complete
from idmeet.cli.base import STATE, command, finish, open_repo, warn_if_broken
from idmeet.core.words import CONFIDENTIAL


def _write(data: bytes, fmt: str, output: Path | None, default_name: str, root: Path) -> None:
    """Markdown and HTML to stdout unless --output; Word and PDF to a file (named after the
    document when no --output), whose path is said on stderr. The repository's own files
    (``root``) are refused, and folders made for the file are named."""
    from idmeet.edits.write import atomic_write, output_target

    if output is None and fmt in ("md", "html"):
        typer.echo(data.decode(), nl=not data.endswith(b"\n"))
        return
    target = output or Path(default_name)
    created = output_target(root, target)
    atomic_write(target, data)
    for folder in created:
        typer.echo(f"created folder {folder}", err=True)
    typer.echo(f"wrote {target}", err=True)


@command("export")
def export_cmd(
    meeting: Annotated[
        str,
        typer.Argument(
            metavar="MEETING|open-items",
            help="<series>/<YYYY-MM-DD> (or a unique prefix), or open-items.",
            autocompletion=complete.meeting_or_open_items,
        ),
    ],
    document: Annotated[
        str, typer.Option("--document", "-d", help="agenda, minutes or actions (Acties & afspraken).")
    ] = "agenda",
    format: Annotated[str, typer.Option("--format", "-f", help="md, html, docx or pdf.")] = "md",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-O", metavar="FILE", help="Write to FILE (default for docx/pdf: the title)."),
    ] = None,
    series: Annotated[
        str | None, typer.Option("--series", "-s", help="open-items: only this series.", autocompletion=complete.series)
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option("--owner", "-o", help="open-items: only this person's actions.", autocompletion=complete.owner),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="DATE", help="open-items: the report as it was on this date.")
    ] = None,
    watermark: Annotated[
        str | None, typer.Option("--watermark", metavar="TEXT", help='Set TEXT (e.g. "CONCEPT") on every page.')
    ] = None,
) -> None:
    """A document to send, as Markdown, HTML, Word (docx) or PDF: the agenda, the minutes or
    the "Acties & afspraken" of a meeting, or the open-item report. Markdown and HTML print
    unless --output is given; Word and PDF are written to a file named after the document.

    Example: idmeet export stuurgroep/2024-06-17 --format pdf
    """
    from idmeet.cli.documents import Export, export_text, print_export

    asked = Export(meeting, document, format, series, owner, as_of, watermark)
    if output is None and format in ("md", "html"):
        finish(print_export(STATE.repo, asked))
        return
    result, repo, problems, _ = export_text(STATE.repo, asked)
    _write(result.data, format, output, result.file_name, repo.root)
    warn_if_broken(repo, problems)


@command("pack")
def pack_cmd(
    meeting: Annotated[
        str, typer.Argument(help="<series>/<YYYY-MM-DD>, or a unique prefix.", autocompletion=complete.meeting)
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-O", metavar="FILE.zip", help="Write to FILE.zip (default: the title).")
    ] = None,
    confidential: Annotated[
        bool, typer.Option("--confidential", help="Include the confidential (GEHEIM, vertrouwelijk) attachments.")
    ] = False,
) -> None:
    """The agenda to send, in one zip: as PDF and Word, with every attachment whose file the
    agenda links ('Bijlage 2a: [title](bijlagen/...)'), named 'Bijlage 2a - title.pdf', and a
    manifest.txt of what is in and what was left out. Confidential attachments stay out
    unless --confidential is given.

    Example: idmeet pack stuurgroep/2024-06-17
    """
    from idmeet.ops.export.pack import pack_meeting
    from idmeet.ops.meetings import find_meeting

    repo, problems, _ = open_repo()
    found = find_meeting(repo, meeting, problems)
    packed = pack_meeting(repo, found, confidential=confidential)
    _write(packed.data, "zip", output, packed.file_name, repo.root)
    for entry in packed.left_out:
        typer.echo(f"left out: {entry}", err=True)
    if any(entry.endswith(f"({CONFIDENTIAL})") for entry in packed.left_out):
        typer.echo("(--confidential adds the confidential attachments)", err=True)
    warn_if_broken(repo, problems)
