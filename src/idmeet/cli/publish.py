"""``idmeet publish``: a Woo publication of meetings, redacted, inventoried and verified."""

from pathlib import Path
from typing import Annotated

import typer

from idmeet.cli import complete
from idmeet.cli.base import command, date_option, open_repo
from idmeet.cli.common import worded


@command("publish")
def publish_cmd(
    meetings: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="MEETING...", help="<series>/<YYYY-MM-DD>, or a unique prefix.", autocompletion=complete.meeting
        ),
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-O", metavar="DIR", help="The publication folder (must not exist).")
    ] = Path("publicatie"),
    format: Annotated[str, typer.Option("--format", "-f", help="Comma-separated: html, md, pdf, docx.")] = "html",
    series: Annotated[
        str | None, typer.Option("--series", "-s", help="All meetings of this series.", autocompletion=complete.series)
    ] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE", help="Meetings on or after DATE.")] = None,
    until: Annotated[str | None, typer.Option("--until", metavar="DATE", help="Meetings on or before DATE.")] = None,
    allow_unreviewed: Annotated[
        bool, typer.Option("--allow-unreviewed", help="Publish although possible unknown names were flagged.")
    ] = False,
    draft: Annotated[
        bool, typer.Option("--draft", help="Publish minutes not yet approved, marked CONCEPT on every page.")
    ] = False,
    verify: Annotated[
        Path | None,
        typer.Option("--verify", metavar="DIR", help="Only search DIR for non-public names (exit 1 on a hit)."),
    ] = None,
) -> None:
    """Publish meetings under the Woo: names of people who are not public officials become
    5.1.2e, {lak G}...{/lak} spans and confidential attachments are withheld, an inventory
    (inventarislijst.csv/.html) and manifest.json are written, and everything written is
    searched for every non-public name before the folder appears.

    Example: idmeet publish stuurgroep/2024-06-17 --output woo-2024 --format html,pdf
    """
    from idmeet.core.diagnostics import IdmeetError
    from idmeet.ops.publish.publish import Options, PublishRefused, publish, select_meetings, verify_publication

    repo, problems, _ = open_repo()
    if verify is not None:
        hits = verify_publication(repo, verify)
        for hit in hits:
            typer.echo(f"{verify}/{hit.format()}", err=True)
        if hits:
            raise IdmeetError(f"{verify}: {len(hits)} non-public name(s) found")
        typer.echo(f"{verify}: no non-public name found")
        return
    chosen = select_meetings(
        repo, meetings or [], series, date_option(since, "--since"), date_option(until, "--until"), problems
    )
    formats = tuple(f.strip() for f in format.split(",") if f.strip())
    options = Options(output, formats, allow_unreviewed, draft)
    try:
        result = publish(repo, problems, chosen, options)
    except PublishRefused as refused:
        for line in refused.lines:
            typer.echo(worded(line), err=True)
        raise
    for line in (*result.warnings, *(d.format() for d in result.unreviewed)):
        typer.echo(f"idmeet: warning: {line}", err=True)
    marks = ", ".join(f"{n}x {g}" for g, n in result.redactions.items()) or "none"
    typer.echo(
        f"wrote {output}: {len(result.documents)} document(s), {len(result.files)} file(s); "
        f"withheld: {marks}; no non-public name found"
    )
