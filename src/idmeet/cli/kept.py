"""Answers kept between runs: what a reading command prints, for one state of the files.

What a reading command (``meetings``, ``show``, ``decisions``, ``search``, the documents
``report``, ``export`` and ``new-agenda --dry-run`` print) is a function of the repository's
files, its arguments, today, the templates and idmeet's code. It is kept as a memo
(``snapshot.remember``, one file per command holding the answers given for these files)
beside the problems of loading. A command asked again while every file is as it was prints
the kept answer without loading the model; its warnings are worked out again from the kept
problems and the validation's own memo (which also holds only while the files it looked at
outside the repository are as they were), and worded for the current folder as usual. Like
the snapshot, an answer is kept only once the files are settled (the snapshot is there, which
a command that reads the meetings writes): a first run does not pay for it, and the snapshot
is made before answers are kept.

Typer's commands and the fast path (``cli/fast.py``) call the same functions, so both print
the same.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from idmeet.cli.common import cross_checked, warn_about_file_at, warn_if_broken_at

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from idmeet.core.diagnostics import Diagnostic
    from idmeet.core.model import Repository
    from idmeet.store.snapshot import Survey

    # What a command computes: what it prints, the repository it loaded, the problems of
    # loading it and whether its idmeet.yaml was usable.
    Computed = tuple["Printed", Repository, list[Diagnostic], bool]

# Answers kept per command for one state of the files (``show`` of 16 meetings, say), and
# the characters they may hold together: the file is read whole by every run of the command,
# and a report of 10,000 actions is more than half a million characters.
KEPT_ANSWERS = 16
KEPT_CHARACTERS = 2_000_000
# What click's ``echo`` strips when it writes to something that is not a terminal.
_ANSI = r"\033\[[;?0-9]*[a-zA-Z]"
# How a command warns about the repository's problems after its answer: not at all, about
# those of loading it, or about those ``check`` reports too (``common.cross_checked``).
WARNINGS = ("none", "loaded", "checked")


@dataclass(frozen=True)
class Printed:
    """What a command prints: ``out`` on stdout, ``note`` on stderr before the warnings,
    ``after`` on stderr after them, and its exit code. ``shown_file``: the one file it shows,
    whose problems are worded as warnings of their own (``common.warn_about_file``)."""

    out: str | None = None
    note: str | None = None
    shown_file: str | None = None
    after: str | None = None
    code: int = 0

    def as_list(self) -> list[Any]:
        return [self.out, self.note, self.shown_file, self.after, self.code]

    @staticmethod
    def of(value: Any) -> Printed | None:
        """A kept answer read back; None when it is not of the shape kept."""
        if not (isinstance(value, list) and len(value) == 5 and type(value[4]) is int):
            return None
        if not all(part is None or isinstance(part, str) for part in value[:4]):
            return None
        return Printed(*value)


def echo(text: str, nl: bool = True) -> None:
    """Write ``text`` on stdout as typer's ``echo`` does: ANSI escape sequences left out when
    stdout is not a terminal, flushed (a warning on stderr comes after it)."""
    if "\x1b" in text and not sys.stdout.isatty():
        import re

        text = re.sub(_ANSI, "", text)
    sys.stdout.write(f"{text}\n" if nl else text)
    sys.stdout.flush()


def answer(
    repo_arg: str | None,
    args: list[Any],
    compute: Callable[[Path, Survey], Computed],
    warnings: str = "checked",
    templates: bool = False,
) -> int:
    """Print what ``compute`` prints for the repository (from the kept answer when the files
    are as they were), then the warnings (``WARNINGS``); the exit code. ``args``: the command
    and everything else its answer depends on besides the files, today and the code;
    ``templates``: the answer is rendered through templates (theirs are part of the key)."""
    from idmeet.store import snapshot
    from idmeet.store.listing import find_repository

    root = find_repository(repo_arg)
    found = snapshot.survey(root)
    key = _key(root, args, templates)
    name = f"answers-{args[0]}"
    kept = snapshot.recall(root, found, name) if key is not None else None
    answers: dict[Any, Any] = kept if isinstance(kept, dict) else {}
    got = _kept(root, found, answers.get(key))
    if got is not None:
        printed, problems = got
        _print(printed)
    else:
        printed, repo, loaded_problems, usable = compute(root, found)
        loaded = snapshot.survey_of(repo)
        validation = f"validate-{int(usable)}-{int(loaded.with_meetings)}" if loaded and warnings == "checked" else None
        if key is not None and loaded is not None and snapshot.has_snapshot(root, found):  # not on a first run
            answers[key] = [printed.as_list(), warnings, validation, snapshot.kept_problems(loaded_problems)]
            while len(answers) > 1 and (len(answers) > KEPT_ANSWERS or _size(answers) > KEPT_CHARACTERS):
                del answers[next(iter(answers))]  # the oldest go
            snapshot.remember(root, found, name, answers, [])
        _print(printed)  # before the checks run: at a terminal the answer shows while they do
        problems = _warned(warnings, loaded_problems, lambda: cross_checked(repo, loaded_problems, usable))
    if printed.shown_file is not None:
        warn_about_file_at(root, problems, printed.shown_file)
    elif warnings != "none":
        warn_if_broken_at(root, problems)
    if printed.after is not None:
        sys.stderr.write(printed.after)
    return printed.code


def _print(printed: Printed) -> None:
    """What a command prints before its warnings: its answer on stdout, its note on stderr."""
    if printed.out is not None:
        echo(printed.out, nl=False)
    if printed.note is not None:
        sys.stderr.write(printed.note)


def _size(answers: dict[Any, Any]) -> int:
    """The characters the kept answers print (what makes their file large)."""
    return sum(len(part) for entry in answers.values() for part in entry[0][:4] if isinstance(part, str))


def _warned(warnings: str, loaded: list[Diagnostic], checked: Callable[[], list[Diagnostic]]) -> list[Diagnostic]:
    """The problems a command warns about (``WARNINGS``), from those of loading."""
    return [] if warnings == "none" else loaded if warnings == "loaded" else checked()


def _key(root: Path, args: list[Any], templates: bool) -> tuple[Any, ...] | None:
    """What an answer depends on besides the files and ``ops``' code (the memo's own key):
    the arguments, today, the terminal (colours and width), the code of the commands (``cli``,
    ``edits``) and, for a rendered document, every template's file. None when today is not
    known (the command then says why as usual)."""
    from idmeet.core.rules import today_ordinal
    from idmeet.store.warm import code_stamps

    day = today_ordinal()
    if day is None:
        return None
    terminal = (*_terminal(), os.environ.get("COLUMNS"), "NO_COLOR" in os.environ)
    parts = (*args, day, *terminal, *code_stamps(("cli", "edits")))
    return (*parts, *_template_stamps(root)) if templates else parts


def _terminal() -> tuple[bool, int | None]:
    """Is stdout a terminal, and how wide is it (what a table is fitted to, ``output._columns``)?"""
    if not sys.stdout.isatty():
        return False, None
    try:
        return True, os.get_terminal_size((sys.__stdout__ or sys.stdout).fileno()).columns
    except (AttributeError, ValueError, OSError):  # no real stdout behind it
        return True, None


def _template_stamps(root: Path) -> list[Any]:
    """Every file under the repository's templates and idmeet's own (sub-folders too: a
    template may include another), as (folder, path, size, modified, changed, inode): a
    template edited, added or removed is another key."""
    from idmeet.ops.render import package_templates

    stamps: list[Any] = []
    for top in (os.path.join(root, "templates"), str(package_templates())):
        stamps.append(os.path.realpath(top))
        for folder, subfolders, names in os.walk(top):  # nothing when there is no such folder
            subfolders.sort()
            for name in sorted(names):
                path = os.path.join(folder, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                stamps.append((path[len(top) :], st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    return stamps


def _kept(root: Path, found: Survey, entry: Any) -> tuple[Printed, list[Diagnostic]] | None:
    """A kept answer and the problems it warns about: those of loading as kept with it, and
    the validation's (its own memo, which checks what it looked at outside the files); None
    when either is missing or not of the shape kept."""
    from idmeet.store import snapshot

    if not (isinstance(entry, list) and len(entry) == 4 and entry[1] in WARNINGS):
        return None
    printed, warnings, validation, kept_problems = Printed.of(entry[0]), entry[1], entry[2], entry[3]
    loaded = snapshot.as_problems(kept_problems)
    if printed is None or loaded is None or not (validation is None or isinstance(validation, str)):
        return None
    if warnings != "checked":
        return printed, loaded if warnings == "loaded" else []
    checked = snapshot.as_problems(snapshot.recall(root, found, validation)) if validation else None
    if checked is None:
        return None
    seen = set(loaded)
    return printed, [*loaded, *(p for p in checked if p not in seen)]
