"""Commands about the repository and its meetings: check, init, meetings, show."""

import json
from pathlib import Path
from typing import Annotated

import typer

from idmeet.cli import complete
from idmeet.cli.base import STATE, command, finish, shown
from idmeet.cli.common import check_format, counted


@command("check")
def check_cmd(
    format: Annotated[
        str, typer.Option("--format", "-f", help="text (one line per problem on stderr) or json (a list on stdout).")
    ] = "text",
) -> None:
    """Validate the whole repository; print each problem as path:line: message.

    Exit 1 when there is any error, 0 when clean (warnings alone do not fail).

    Example: idmeet --repo meetings check
    """
    from idmeet.cli.common import print_check

    code = print_check(STATE.repo, format)
    if code:
        raise typer.Exit(code)


@command("init")
def init_cmd(
    directory: Annotated[Path, typer.Argument(help="Folder for the new repository.")] = Path("."),
    git: Annotated[bool, typer.Option("--git", help="Also run 'git init' there, to keep its history.")] = False,
) -> None:
    """Create a new, valid meeting repository (idmeet.yaml, folders, .gitignore).

    Refuses to touch a folder that already holds an idmeet.yaml.

    Example: idmeet init bureau-overleggen --git
    """
    from idmeet.edits.write import git_init, in_git, init_repository

    created = init_repository(directory)
    for path in created:
        typer.echo(f"created {path}")
    if git and not in_git(directory):
        git_init(directory)
        typer.echo(f"git: created a git repository in {directory}")
    elif in_git(directory):
        typer.echo(f"git: {directory} is in a git repository")
    else:
        typer.echo(
            f"git: {directory} is not in a git repository; 'idmeet init --git' or 'git init {directory}' makes it one"
        )
    typer.echo(f"next: edit {directory / 'idmeet.yaml'}, then run 'idmeet --repo {directory} check'")


@command("meetings")
def meetings_cmd(
    series: Annotated[
        str | None, typer.Option("--series", "-s", help="Only this series.", autocompletion=complete.series)
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """List the meetings, oldest first.

    Example: idmeet meetings --series stuurgroep
    """
    from idmeet.cli.reading import print_meetings

    finish(print_meetings(STATE.repo, series, format))


@command("show")
def show_cmd(
    meeting: Annotated[
        str, typer.Argument(help="<series>/<YYYY-MM-DD>, or a unique prefix.", autocompletion=complete.meeting)
    ],
    format: Annotated[str, typer.Option("--format", "-f", help="md or json.")] = "md",
) -> None:
    """Show one meeting: its header and its agenda items.

    Example: idmeet show stuurgroep/2024-06-17 --format json
    """
    from idmeet.cli.reading import print_show

    finish(print_show(STATE.repo, meeting, format))


@command("fmt")
def fmt_cmd(
    paths: Annotated[
        list[Path] | None, typer.Argument(metavar="[PATH]...", help="Files or folders (default: the whole repository).")
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Change nothing; list the files that would change and exit 1 if any.")
    ] = False,
) -> None:
    """Format repository files canonically: key order, quoting, lists, blank lines, final newline.

    Never changes meaning; a second run changes nothing.

    Example: idmeet fmt --check
    """
    from idmeet.edits.fmt import format_repository
    from idmeet.store.listing import find_repository

    root = find_repository(STATE.repo)
    report = format_repository(root, paths, write=not check)
    for rel in report.changed:
        typer.echo(f"{'would reformat' if check else 'formatted'} {shown(root, rel)}")
    for rel, why in report.refused:
        typer.echo(f"{shown(root, rel)}: {why}", err=True)
    if not report.changed and not report.refused:
        typer.echo(f"{counted(report.checked, 'file')} already formatted")
    if report.refused or (check and report.changed):
        raise typer.Exit(1)


@command("diff")
def diff_cmd(
    rev1: Annotated[str | None, typer.Argument(metavar="[REV1]", help="From this revision (default HEAD).")] = None,
    rev2: Annotated[
        str | None, typer.Argument(metavar="[REV2]", help="To this revision (default: the working tree).")
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="md or json.")] = "md",
) -> None:
    """Say in words what changed between two git revisions: meetings, items, actions, decisions.

    Reads the revisions through git; never touches the working tree.

    Example: idmeet diff HEAD~1
    """
    from idmeet.ops.gitdiff import as_markdown, diff
    from idmeet.store.listing import find_repository

    check_format(format, ("md", "json"))
    changes = diff(find_repository(STATE.repo), rev1, rev2)
    if format == "json":
        typer.echo(
            json.dumps({"from": changes.old, "to": changes.new, "changes": changes.items}, ensure_ascii=False, indent=2)
        )
    else:
        typer.echo(as_markdown(changes), nl=False)
