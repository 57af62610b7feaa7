"""The command line: parse arguments, call the library, print. No logic of its own.

Every command runs inside ``_guard``, the one place where errors become exit codes:
an ``IdmeetError`` is one line on stderr and its exit code; anything else is reported as
an internal error without a traceback (unless IDMEET_DEBUG is set).
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from idmeet.diagnostics import Diagnostic, IdmeetError

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="idmeet",
    help="Run recurring meetings from plain text kept in git: agendas, actions, minutes.\n\n"
    "Example: idmeet meetings",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class State:
    """Options given before the command (``idmeet --repo DIR check``)."""

    repo: str | None = None


STATE = State()


def _guard(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except IdmeetError as exc:
            typer.echo(f"idmeet: {exc.message}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            typer.echo("idmeet: interrupted", err=True)
            raise typer.Exit(130) from None
        except Exception as exc:
            if os.environ.get("IDMEET_DEBUG"):
                raise
            typer.echo(f"idmeet: internal error: {type(exc).__name__}: {exc} "
                       "(this is a bug; run with IDMEET_DEBUG=1 for details)", err=True)
            raise typer.Exit(70) from None

    return wrapper  # type: ignore[return-value]


def command(name: str | None = None) -> Callable[[F], F]:
    """Register a guarded command on the app."""

    def register(func: F) -> F:
        app.command(name)(_guard(func))
        return func

    return register


@app.callback()
def _main(
    repo: Annotated[str | None, typer.Option(
        "--repo", metavar="DIR", help="The meeting repository (default: $IDMEET_REPO, else the "
        "nearest folder with idmeet.yaml, else ./meetings).")] = None,
) -> None:
    """Run recurring meetings from plain text kept in git: agendas, actions, minutes."""
    STATE.repo = repo


# -- helpers ------------------------------------------------------------------------------


def _shown(root: Path, rel: str) -> str:
    """A repository path as the user can open it: relative to the current folder if below it."""
    full = root / rel
    try:
        return os.path.relpath(full) if full.resolve().is_relative_to(Path.cwd().resolve()) else str(full)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(full)


def _open(with_meetings: bool = True):  # type: ignore[no-untyped-def]
    """Find and load the repository; returns (repo, problems, config_usable)."""
    from idmeet.load import config_is_usable, find_repository, load

    root = find_repository(STATE.repo)
    repo, problems = load(root, with_meetings=with_meetings)
    return repo, problems, config_is_usable(problems)


def _warn_if_broken(repo: Any, problems: list[Diagnostic]) -> None:
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        typer.echo(f"idmeet: warning: {len(errors)} problem(s) in the repository, starting with "
                   f"{errors[0].format(_shown(repo.root, errors[0].path))} (run 'idmeet check')",
                   err=True)


# -- commands -----------------------------------------------------------------------------


@command("check")
def check_cmd(
    format: Annotated[str, typer.Option("--format", "-f", help="text (one line per problem on "
                                        "stderr) or json (a list on stdout).")] = "text",
) -> None:
    """Validate the whole repository; print each problem as path:line: message.

    Exit 1 when there is any error, 0 when clean (warnings alone do not fail).

    Example: idmeet --repo meetings check
    """
    from idmeet.validate import validate

    if format not in ("text", "json"):
        raise IdmeetError(f"unknown format '{format}' (use text or json)", exit_code=2)
    repo, problems, usable = _open()
    problems = sorted(set(problems + validate(repo, usable)),
                      key=lambda p: (p.path != "idmeet.yaml", p.path, p.line, p.message))
    errors = sum(p.severity == "error" for p in problems)
    if format == "json":
        typer.echo(json.dumps([p.as_dict(_shown(repo.root, p.path)) for p in problems],
                              ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            typer.echo(problem.format(_shown(repo.root, problem.path)), err=True)
        summary = (f"{len(repo.meetings)} meetings, {len(repo.actions)} actions: "
                   f"{errors} errors, {len(problems) - errors} warnings")
        typer.echo(summary, err=bool(errors))
    if errors:
        raise typer.Exit(1)


@command("init")
def init_cmd(
    directory: Annotated[Path, typer.Argument(help="Folder for the new repository.")] = Path("."),
) -> None:
    """Create a new, valid meeting repository (idmeet.yaml, folders, .gitignore).

    Refuses to touch a folder that already holds an idmeet.yaml.

    Example: idmeet init bureau-overleggen
    """
    from idmeet.write import init_repository

    created = init_repository(directory)
    for path in created:
        typer.echo(f"created {path}")
    typer.echo(f"next: edit {directory / 'idmeet.yaml'}, then run 'idmeet --repo {directory} check'")


@command("meetings")
def meetings_cmd(
    series: Annotated[str | None, typer.Option("--series", "-s", help="Only this series.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """List the meetings, oldest first.

    Example: idmeet meetings --series stuurgroep
    """
    from idmeet.query import require_series

    repo, problems, _ = _open()
    if series:
        require_series(repo, series)
    shown = [m for m in repo.meetings if series is None or m.series == series]
    if format == "json":
        typer.echo(json.dumps([{"meeting": m.key, "series": m.series, "date": m.date.isoformat(),
                                "status": m.status, "items": len(m.items)} for m in shown],
                              ensure_ascii=False, indent=2))
    elif format == "text":
        width = max((len(m.key) for m in shown), default=0)
        for m in shown:
            series_obj = repo.config.get_series(m.series)
            title = m.title or (series_obj.title if series_obj else m.series)
            typer.echo(f"{m.key:<{width}}  {m.status:<8}  {len(m.items):>2} items  {title}")
        if not shown:
            typer.echo("no meetings", err=True)
    else:
        raise IdmeetError(f"unknown format '{format}' (use text or json)", exit_code=2)
    _warn_if_broken(repo, problems)


@command("show")
def show_cmd(
    meeting: Annotated[str, typer.Argument(help="<series>/<YYYY-MM-DD>, or a unique prefix.")],
    format: Annotated[str, typer.Option("--format", "-f", help="md or json.")] = "md",
) -> None:
    """Show one meeting: its header and its agenda items.

    Example: idmeet show stuurgroep/2024-06-17 --format json
    """
    from idmeet.query import find_meeting, meeting_as_dict, meeting_as_markdown

    if format not in ("md", "json"):
        raise IdmeetError(f"unknown format '{format}' (use md or json)", exit_code=2)
    repo, problems, _ = _open()
    found = find_meeting(repo, meeting, problems)
    if format == "json":
        typer.echo(json.dumps(meeting_as_dict(repo, found), ensure_ascii=False, indent=2))
    else:
        typer.echo(meeting_as_markdown(repo, found), nl=False)


def main() -> None:
    """The console script's entry point."""
    app(prog_name="idmeet")


if __name__ == "__main__":  # pragma: no cover
    main()
