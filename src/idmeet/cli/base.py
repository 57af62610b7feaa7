"""The CLI application object, the guard that hands errors to ``common.exit_code_for``, and
helpers the command modules share.

Every command runs inside ``_guard``, the one place where errors become exit codes:
an ``IdmeetError`` is one line on stderr and its exit code; anything else is reported as
an internal error without a traceback (unless IDMEET_DEBUG is set).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer.core import TyperGroup

from idmeet.cli.common import cross_checked, exit_code_for, load_repo
from idmeet.cli.common import date_option as date_option  # re-exported for the command modules
from idmeet.cli.common import shown as shown
from idmeet.cli.common import today as today
from idmeet.cli.common import warn_if_broken as warn_if_broken
from idmeet.core.diagnostics import Diagnostic

if TYPE_CHECKING:
    from idmeet.core.model import Repository
    from idmeet.store.cache import ActionSummary
    from idmeet.store.snapshot import ActionKey

F = TypeVar("F", bound=Callable[..., Any])


class _Application(TyperGroup):
    """The top-level command group: ``--repo DIR`` is accepted after the command too
    (``idmeet show X --repo DIR``), for every command, as the fast path does."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        from idmeet.cli.fast import hoist_repo

        return super().parse_args(ctx, hoist_repo(args))

    def main(self, *args: Any, **kwargs: Any) -> Any:
        if os.environ.get("_IDMEET_COMPLETE"):  # TAB pressed: see cli/complete.py
            from idmeet.cli.complete import plain_descriptions

            plain_descriptions()
        return super().main(*args, **kwargs)


app = typer.Typer(
    name="idmeet",
    cls=_Application,
    help="Run recurring meetings from plain text kept in git: agendas, actions, minutes.\n\nExample: idmeet meetings",
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
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except BaseException as exc:
            code = exit_code_for(exc)
            if code is None:
                raise
            raise typer.Exit(code) from None
        finally:
            lock = sys.modules.get("idmeet.store.lock")
            if lock is not None:
                lock.release_all()

    return wrapper  # type: ignore[return-value]


def command(name: str | None = None, on: typer.Typer | None = None) -> Callable[[F], F]:
    """Register a guarded command on the app (or on a group such as ``idmeet action``)."""

    def register(func: F) -> F:
        (on or app).command(name)(_guard(func))
        return func

    return register


@app.callback()
def _main(
    repo: Annotated[
        str | None,
        typer.Option(
            "--repo",
            metavar="DIR",
            help="The meeting repository (default: $IDMEET_REPO, else the "
            "nearest folder with idmeet.yaml, else ./meetings).",
        ),
    ] = None,
) -> None:
    """Run recurring meetings from plain text kept in git: agendas, actions, minutes."""
    STATE.repo = repo


# -- helpers ------------------------------------------------------------------------------


def open_repo(
    with_meetings: bool = True,
    keep_action: Callable[[Repository], Callable[[ActionSummary], bool]] | None = None,
    lock: bool = False,
    needs_config: bool | None = None,
    with_actions: bool = True,
    pick_actions: Callable[[ActionKey], bool] | None = None,
) -> tuple[Repository, list[Diagnostic], bool]:
    """Find and load the repository given by --repo (or found); (repo, problems, config_usable).
    A command that writes passes ``lock=True`` (held until the command ends); it, and one
    that passes ``needs_config=True``, refuses an unreadable idmeet.yaml (``load_repo``).
    One that does not use the actions passes ``with_actions=False``, one that uses some of
    them ``pick_actions`` (it must still choose among ``repo.actions`` itself)."""
    return load_repo(STATE.repo, with_meetings, keep_action, lock, needs_config, with_actions, pick_actions)


def finish(code: int) -> None:
    """End a command with ``code`` (from a function that printed its answer itself)."""
    if code:
        raise typer.Exit(code)


def group(name: str, help: str) -> typer.Typer:
    """A command group such as ``idmeet action``, added to the app."""
    sub = typer.Typer(
        help=help, no_args_is_help=True, rich_markup_mode=None, context_settings={"help_option_names": ["-h", "--help"]}
    )
    app.add_typer(sub, name=name)
    return sub


def emit(text: str, output: Path | None, root: Path | None = None) -> None:
    """Print ``text``, or write it atomically to ``output`` and say so on stderr (and which
    folders were made for it). ``root``: the repository, whose own files are refused."""
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    from idmeet.edits.write import atomic_write, output_target

    created = output_target(root, output) if root is not None else []
    atomic_write(output, text)  # a failure is an IdmeetError naming the file
    for folder in created:
        typer.echo(f"created folder {folder}", err=True)
    typer.echo(f"wrote {output}", err=True)


def emit_meeting_document(document: str, meeting: str, format: str, output: Path | None) -> None:
    """Print ``document`` ("agenda", "minutes", "actions") of one meeting, or write it to ``output``."""
    from idmeet.cli import documents

    if output is None:
        finish(documents.print_meeting_document(STATE.repo, document, meeting, format))
        return
    printed, repo, problems, usable = documents.meeting_document_text(STATE.repo, meeting, document, format)
    emit(printed.out or "", output, repo.root)
    warn_if_broken(repo, cross_checked(repo, problems, usable))
