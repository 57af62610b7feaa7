"""A fast path for the commands people run many times a day: ``idmeet actions ...``,
``idmeet check`` (which CI runs on every merge request) and ``idmeet action note ID TEXT``.

Importing typer (and, through it, pydantic where installed) costs more than answering the
query from the cache. So ``main`` first tries this small parser: it understands only
well-formed ``[--repo DIR] actions [options]``; anything else (help, a typo, an option it
does not know) returns None, and typer handles the command as usual. A TAB (``_IDMEET_COMPLETE``)
that completes a value is answered by ``cli/tab.py`` (``run_completion``); other TABs go to typer.

Here, ``warm.query`` answers first when the cache is valid (without importing the model);
otherwise both paths call the same ``listing.list_actions``. Tests check that all of them
print the same. A note is written by ``edits.quick.note`` when it can be sure of the answer
without loading the repository; otherwise typer's command answers (tests/test_quick_note.py).
"""

from __future__ import annotations

import gc
import os
import sys

TYPE_CHECKING = False  # typing itself costs milliseconds at start; mypy reads this as True
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

FLAGS = {"--open": "open_", "--done": "done", "--dropped": "dropped", "--all": "all_", "--overdue": "overdue"}
VALUES = {
    "--owner": "owner",
    "-o": "owner",
    "--series": "series",
    "-s": "series",
    "--meeting": "meeting",
    "-m": "meeting",
    "--tag": "tag",
    "-t": "tag",
    "--text": "text",
    "--due-before": "due_before",
    "--due-after": "due_after",
    "--as-of": "as_of",
    "--sort": "sort",
    "--limit": "limit",
    "-n": "limit",
    "--format": "format",
    "-f": "format",
}


def hoist_repo(argv: list[str]) -> list[str]:
    """``argv`` with every ``--repo DIR`` (or ``--repo=DIR``) given after the command moved in
    front of it, where the application's own option is read: ``idmeet show X --repo DIR`` is
    ``idmeet --repo DIR show X``. Nothing after ``--`` is touched; a ``--repo`` without a
    value stays where it is (and is reported as usual)."""
    if "--repo" not in argv and not any(a.startswith("--repo=") for a in argv):
        return argv
    front: list[str] = []
    rest: list[str] = []
    args = iter(enumerate(argv))
    for index, arg in args:
        if arg == "--":
            rest += argv[index:]
            break
        if arg == "--repo" and index + 1 < len(argv):
            front += [arg, next(args)[1]]
        elif arg.startswith("--repo="):
            front.append(arg)
        else:
            rest.append(arg)
    return front + rest


def command_line(argv: list[str], command: str) -> tuple[str | None, list[str]] | None:
    """(--repo, the arguments after ``command``) when ``argv`` is ``[--repo DIR] command ...``
    (``--repo`` may also stand after it), else None."""
    args = hoist_repo(list(argv))
    repo = None
    while args and args[0] != command:
        head = args.pop(0)
        if head == "--repo" and args:
            repo = args.pop(0)
        elif head.startswith("--repo="):
            repo = head.split("=", 1)[1]
        else:
            return None
    if not args:
        return None
    return repo, args[1:]


def parse(argv: list[str]) -> tuple[str | None, dict[str, object]] | None:
    """(--repo, options of list_actions) for a well-formed ``actions`` command line, else None.
    ``--repo`` may stand before or after ``actions``."""
    found = command_line(argv, "actions")
    if found is None:
        return None
    repo, args = found
    options: dict[str, object] = {}
    while args:
        arg = args.pop(0)
        name, _, inline = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name in FLAGS and not inline and "=" not in arg:
            options[FLAGS[name]] = True
        elif name in VALUES:
            if "=" in arg:
                value = inline
            elif args:
                value = args.pop(0)
            else:
                return None
            if VALUES[name] == "limit":
                if not value.isdigit():
                    return None
                options["limit"] = int(value)
            else:
                options[VALUES[name]] = value
        else:
            return None
    return repo, options


def exit_code(exc: BaseException) -> int:
    """The exit code for ``exc`` (``cli.common.exit_code_for``, the one place errors become
    codes, after printing their one line); ``exc`` goes on when it has none."""
    from idmeet.cli.common import exit_code_for

    code = exit_code_for(exc)
    if code is None:
        raise exc
    return code


def parse_check(argv: list[str]) -> tuple[str | None, str] | None:
    """(--repo, format) for a well-formed ``check [--format F]`` command line, else None."""
    found = command_line(argv, "check")
    if found is None:
        return None
    repo, args = found
    format = "text"
    if args and args[0] in ("--format", "-f") and len(args) == 2:
        format = args[1]
    elif args and args[0].startswith("--format=") and len(args) == 1:
        format = args[0].split("=", 1)[1]
    elif args:
        return None
    return repo, format


# The commands that print an answer read from the files (``cli/reading.py``,
# ``cli/documents.py``): their arguments ("words..." takes all that are left), their options
# (each with a value) and their flags, as those functions name them. ``report open-items`` is
# the command ``report`` with ``open-items`` as its first word.
_FORMAT = {"--format": "format", "-f": "format"}
_SERIES = {"--series": "series", "-s": "series"}
READERS: dict[str, tuple[tuple[str, ...], dict[str, str], dict[str, str]]] = {
    "meetings": ((), {**_SERIES, **_FORMAT}, {}),
    "show": (("meeting",), _FORMAT, {}),
    "decisions": ((), {**_SERIES, "--since": "since", "--text": "text", **_FORMAT}, {}),
    "new-agenda": (("series",), {"--date": "date", "-d": "date"}, {"--dry-run": "dry_run"}),
    "report open-items": ((), {**_SERIES, "--owner": "owner", "-o": "owner", "--as-of": "as_of", **_FORMAT}, {}),
    "report actions": (("meeting",), _FORMAT, {}),
    "report minutes": (("meeting",), _FORMAT, {}),
    "render": (("meeting",), _FORMAT, {}),
    "export": (
        ("meeting",),
        {
            "--document": "document",
            "-d": "document",
            **_FORMAT,
            **_SERIES,
            "--owner": "owner",
            "-o": "owner",
            "--as-of": "as_of",
            "--watermark": "watermark",
        },
        {},
    ),
    "search": (("words...",), {**_SERIES, "--since": "since", **_FORMAT}, {}),
}


def parse_reader(argv: list[str]) -> tuple[str, str | None, dict[str, Any]] | None:
    """(command, --repo, arguments and options) for a plain command line of ``READERS``, else
    None (typer reads it). Plain: each argument once, each option at most once as ``--name
    VALUE``, ``-n VALUE`` or ``--name=VALUE`` with a value that is not empty and does not
    start with "-", each flag at most once. Only what prints on stdout is answered here:
    ``new-agenda`` with ``--dry-run``, ``export`` as Markdown or HTML."""
    for command in READERS:
        head, _, sub = command.partition(" ")
        found = command_line(argv, head)
        if found is not None and (not sub or (found[1][:1] == [sub])):
            break
    else:
        return None
    arguments, options, flags = READERS[command]
    repo, args = found[0], found[1][1:] if sub else found[1]
    values: dict[str, Any] = {}
    wanted = list(arguments)
    while args:
        arg = args.pop(0)
        if arg in flags and flags[arg] not in values:
            values[flags[arg]] = True
            continue
        if arg.startswith("--") and "=" in arg:
            name, value = arg.split("=", 1)
        elif arg in options and args:
            name, value = arg, args.pop(0)
        elif not arg.startswith("-") and wanted:
            if wanted[0].endswith("..."):
                values.setdefault(wanted[0][:-3], []).append(arg)
            else:
                values[wanted.pop(0)] = arg
            continue
        else:
            return None
        key = options.get(name)
        if key is None or key in values or not value or value.startswith("-"):
            return None
        values[key] = value
    if wanted and not (wanted == [arguments[-1]] and arguments[-1].endswith("...") and arguments[-1][:-3] in values):
        return None
    if command == "new-agenda" and not values.get("dry_run"):
        return None  # it writes: typer's command, under the lock
    if command == "export" and values.get("format", "md") not in ("md", "html"):
        return None  # Word and PDF go to a file
    return command, repo, values


def run_reader(command: str, repo: str | None, values: dict[str, Any]) -> int:
    """A command of ``READERS`` without typer: the same ``cli/reading.py`` and
    ``cli/documents.py`` functions as typer's commands."""
    try:
        return _reader(command)(repo, values)
    except BaseException as exc:
        return exit_code(exc)


def _reader(command: str) -> Callable[[str | None, dict[str, Any]], int]:
    """The function that answers ``command`` of ``READERS``, with the defaults of typer's."""
    from idmeet.cli import documents, reading

    readers: dict[str, Callable[[str | None, dict[str, Any]], int]] = {
        "meetings": lambda repo, v: reading.print_meetings(repo, v.get("series"), v.get("format", "text")),
        "show": lambda repo, v: reading.print_show(repo, v["meeting"], v.get("format", "md")),
        "decisions": lambda repo, v: reading.print_decisions(
            repo, v.get("series"), v.get("since"), v.get("text"), v.get("format", "table")
        ),
        "new-agenda": lambda repo, v: documents.print_new_agenda(repo, v["series"], v.get("date")),
        "report open-items": lambda repo, v: documents.print_open_items(
            repo, v.get("series"), v.get("owner"), v.get("as_of"), v.get("format", "md")
        ),
        "report actions": lambda repo, v: documents.print_meeting_document(
            repo, "actions", v["meeting"], v.get("format", "md")
        ),
        "report minutes": lambda repo, v: documents.print_meeting_document(
            repo, "minutes", v["meeting"], v.get("format", "md")
        ),
        "render": lambda repo, v: documents.print_meeting_document(repo, "agenda", v["meeting"], v.get("format", "md")),
        "export": lambda repo, v: documents.print_export(repo, documents.Export(**v)),
        "search": lambda repo, v: documents.print_search(
            repo, v["words"], v.get("series"), v.get("since"), v.get("format", "table")
        ),
    }
    return readers[command]


def run_check(repo: str | None, format: str) -> int:
    """``idmeet check`` without typer: the same ``common.print_check`` as typer's command."""
    try:
        from idmeet.cli.common import print_check

        return print_check(repo, format)
    except BaseException as exc:
        return exit_code(exc)


def run_completion() -> int | None:
    """A TAB that completes a value, answered without typer (``cli/tab.py``); None when typer
    should answer. Nothing is printed unless the whole answer is known."""
    try:
        from idmeet.cli.tab import answer

        found = answer(os.environ)
        if found is None:
            return None
        text, code = found
        if text is not None:
            data = (text + "\n").encode("utf-8")
            if "\x1b" in text or (sys.stdout.encoding or "").lower().replace("-", "") != "utf8":
                return None  # click's echo would strip colours or re-encode: leave it to typer
            out = sys.stdout.buffer
    except Exception:  # anything unexpected: typer answers
        return None
    if text is not None:
        try:
            out.write(data)
            out.flush()
        except BrokenPipeError:  # the shell stopped reading: nothing more to say
            pass
    return code


def parse_note(argv: list[str]) -> tuple[str | None, str, str] | None:
    """(--repo, id, text) for a well-formed ``action note ID TEXT`` command line, else None
    (an option, ``--`` or a missing or extra argument: typer reads those)."""
    found = command_line(argv, "action")
    if found is None:
        return None
    repo, args = found
    if len(args) != 3 or args[0] != "note" or any(arg.startswith("-") for arg in args):
        return None
    return repo, args[1], args[2]


def run_note(repo: str | None, action_id: str, text: str) -> int | None:
    """``idmeet action note`` without typer and without loading the repository
    (``edits.quick.note``); None when the regular command has to answer."""
    from idmeet.cli.common import today
    from idmeet.core.diagnostics import IdmeetError

    try:
        day = today()
    except IdmeetError:  # a bad $IDMEET_TODAY: the regular command says so, in its order
        return None
    try:
        from idmeet.edits.quick import note

        message = note(repo, action_id, text, day)
    except BaseException as exc:
        return exit_code(exc)
    if message is None:
        return None
    print(message)
    return 0


def run(argv: list[str]) -> int | None:
    """Answer ``argv`` here and return the exit code, or None to let typer do it."""
    if os.environ.get("IDMEET_NO_FAST_PATH"):
        return None
    if os.environ.get("_IDMEET_COMPLETE"):
        return run_completion()
    checking = parse_check(argv)
    if checking is not None:
        return run_check(*checking)
    noting = parse_note(argv)
    if noting is not None:
        return run_note(*noting)
    reader = parse_reader(argv)
    if reader is not None:
        return run_reader(*reader)
    parsed = parse(argv)
    if parsed is None:
        return None
    from idmeet.store.warm import query

    repo, options = parsed
    try:
        gc.disable()  # the warm answer allocates thousands of objects and frees them at exit
        try:
            found = query(repo, options)
        finally:
            gc.enable()
        if found is not None:
            from idmeet.cli.output import print_found

            print_found(str(options.get("format", "table")), *found)
            return 0
        from idmeet.cli.listing import list_actions

        list_actions(repo, **options)  # type: ignore[arg-type]
    except BaseException as exc:
        return exit_code(exc)
    return 0
