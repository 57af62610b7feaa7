"""Helpers the commands share that need no typer, so the fast path (``cli/fast.py``) can use them."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from idmeet.core.diagnostics import Diagnostic
    from idmeet.core.model import Repository
    from idmeet.store.cache import ActionSummary
    from idmeet.store.snapshot import ActionKey, Survey


def exit_code_for(exc: BaseException) -> int | None:
    """The one place where errors become exit codes (for typer's commands and the fast path):
    print the error's one line on stderr and return the code; None for what is not ours."""
    from idmeet.core.diagnostics import IdmeetError

    if isinstance(exc, IdmeetError):
        print(f"idmeet: {worded(exc.message)}", file=sys.stderr)
        return exc.exit_code
    if isinstance(exc, BrokenPipeError):  # `idmeet ... | head` closed the pipe: that is fine
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - Python flushes it at exit
        return 0
    if isinstance(exc, KeyboardInterrupt):
        print("idmeet: interrupted", file=sys.stderr)
        return 130
    if isinstance(exc, Exception) and not os.environ.get("IDMEET_DEBUG"):
        print(
            f"idmeet: internal error: {type(exc).__name__}: {exc} (this is a bug; run with IDMEET_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return 70
    return None


def worded(text: str) -> str:
    """A library text with each argument it names (``diagnostics.option``: ``⟨date⟩``) worded
    as the command line's option (``--date``)."""
    start = text.find("\u27e8")
    while start != -1:
        end = text.find("\u27e9", start)
        if end == -1:
            break
        text = text[:start] + "--" + text[start + 1 : end].replace("_", "-") + text[end + 1 :]
        start = text.find("\u27e8", start)
    return text


def counted(number: int, word: str, many: str | None = None) -> str:
    """``number`` and ``word`` in the singular for one, else in the plural (``many``, or ``word``
    with an "s"): "1 warning", "2 warnings", "1 proposal taken" (``many``="proposals taken")."""
    return f"{number} {word if number == 1 else (many or word + 's')}"


def check_format(format: str, allowed: tuple[str, ...]) -> None:
    """A usage error (exit 2) unless ``format`` is one of ``allowed``."""
    from idmeet.core.diagnostics import IdmeetError

    if format not in allowed:
        choices = ", ".join(allowed[:-1]) + f" or {allowed[-1]}"
        raise IdmeetError(f"unknown format '{format}' (use {choices})", exit_code=2)


def shown(root: Path, rel: str) -> str:
    """A repository path as the user can open it: relative to the current folder if below it."""
    full = root / rel
    try:
        return os.path.relpath(full) if full.resolve().is_relative_to(Path.cwd().resolve()) else str(full)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(full)


def load_repo(
    repo_arg: str | None,
    with_meetings: bool = True,
    keep_action: Callable[[Repository], Callable[[ActionSummary], bool]] | None = None,
    lock: bool = False,
    needs_config: bool | None = None,
    with_actions: bool = True,
    pick_actions: Callable[[ActionKey], bool] | None = None,
    surveyed: Survey | None = None,
) -> tuple[Repository, list[Diagnostic], bool]:
    """Find and load the repository; returns (repo, problems, config_usable).

    ``lock``: the command will write, so it holds the repository's lock from before loading
    until it ends (``store.lock``): another idmeet command cannot change a file in between.
    ``needs_config`` (default: ``lock``): the command needs the people and series of
    idmeet.yaml, so an unreadable idmeet.yaml is an error naming its own problem.
    ``with_actions=False``: the command does not use the actions (they may be left out);
    ``pick_actions``: it uses only those this takes (the others may be left out).
    ``surveyed``: the repository's files as the caller has just listed them."""
    from idmeet.core.diagnostics import IdmeetError
    from idmeet.store.listing import find_repository
    from idmeet.store.load import config_is_usable, load, unusable_config

    root = find_repository(repo_arg)
    if lock:
        from idmeet.store.lock import hold

        hold(root)
    repo, problems = load(
        root,
        with_meetings=with_meetings,
        keep_action=keep_action,
        with_actions=with_actions,
        pick_actions=pick_actions,
        surveyed=surveyed,
    )
    broken = unusable_config(problems)
    if broken is not None and (lock if needs_config is None else needs_config):
        raise IdmeetError(
            f"{broken.format(shown(root, broken.path))}; "
            "fix idmeet.yaml first (run 'idmeet check'); nothing was written"
        )
    return repo, problems, config_is_usable(problems)


def print_check(repo_arg: str | None, format: str) -> int:
    """``idmeet check`` (for typer's command and the fast path): remove temporary files left
    by an interrupted write, print every problem (text on stderr, or JSON on stdout) and the
    counts; the exit code, 1 when there is an error."""
    import json

    from idmeet.edits.write import clean_repository_temps
    from idmeet.ops.check import check_repository
    from idmeet.store.listing import find_repository

    check_format(format, ("text", "json"))
    root = find_repository(repo_arg)
    for rel in clean_repository_temps(root):
        print(f"idmeet: removed {shown(root, rel)}, a temporary file left by an interrupted write", file=sys.stderr)
    report = check_repository(root)
    problems, errors = report.problems, report.errors
    if format == "json":
        print(json.dumps([p.as_dict(shown(root, p.path)) for p in problems], ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            print(problem.format(shown(root, problem.path)), file=sys.stderr)
        summary = (
            f"{counted(report.meetings, 'meeting')}, {counted(report.actions, 'action')}: "
            f"{counted(errors, 'error')}, {counted(len(problems) - errors, 'warning')}"
        )
        print(summary, file=sys.stderr if errors else sys.stdout)
    return 1 if errors else 0


def warn_if_broken(repo: Repository, problems: list[Diagnostic]) -> None:
    """One line on stderr when the repository has errors (the command still did its work)."""
    warn_if_broken_at(repo.root, problems)


def warn_if_broken_at(root: Path, problems: list[Diagnostic]) -> None:
    """``warn_if_broken`` for the repository at ``root`` (an answer kept without its model)."""
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        print(
            f"idmeet: warning: {len(errors)} problem(s) in the repository, starting with "
            f"{errors[0].format(shown(root, errors[0].path))} (run 'idmeet check')",
            file=sys.stderr,
        )


def cross_checked(repo: Repository, problems: list[Diagnostic], usable: bool) -> list[Diagnostic]:
    """The problems of loading and those ``check`` adds (unknown names, an action whose
    meeting is gone, a duplicate id), so that a reader command warns about what check reports."""
    from idmeet.ops.validate import validate

    seen = set(problems)
    return [*problems, *(p for p in validate(repo, usable) if p not in seen)]


def warn_about_file(repo: Repository, problems: list[Diagnostic], rel: str) -> None:
    """A reader command shows one file (``show``, ``action show``): each problem of that file
    as a warning on stderr (what it shows may lack what was invalid), then one line if other
    files have errors."""
    warn_about_file_at(repo.root, problems, rel)


def warn_about_file_at(root: Path, problems: list[Diagnostic], rel: str) -> None:
    """``warn_about_file`` for the repository at ``root`` (an answer kept without its model)."""
    from idmeet.core.diagnostics import Diagnostic

    for p in problems:
        if p.path == rel:
            print(Diagnostic(p.path, p.line, p.message, "warning").format(shown(root, p.path)), file=sys.stderr)
    warn_if_broken_at(root, [p for p in problems if p.path != rel])


def today() -> dt.date:
    from idmeet.core.dates import today as current

    return current()


def date_option(value: str | None, option: str) -> dt.date | None:
    from idmeet.core.dates import parse_cli_date

    return parse_cli_date(value, option) if value is not None else None
