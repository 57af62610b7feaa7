"""TAB without typer: the values shell completion offers, and the answer to a TAB that
completes one of them, printed before typer is imported.

Pressing TAB runs idmeet once with ``_IDMEET_COMPLETE`` set. Importing typer and building a
``CompletionItem`` per action cost more than reading the values, so ``cli/fast.py`` asks
``answer`` first. It reads the command line as click does (``COMP_WORDS``/``COMP_CWORD`` for
bash, ``_TYPER_COMPLETE_ARGS`` for zsh and fish), finds the parameter the word being typed
belongs to in ``COMMANDS``, and prints exactly what typer would print for it. A command's
name is answered for bash (names only, in the order ``cli.COMMANDS`` registers them). Anything
it is not sure of (a command name for zsh and fish, which show each command's help, an option
name, an option it does not know, ``--``, a value without completion, no repository, no
action cache yet) gives None, and typer answers.

``VALUES`` (what each kind of value offers) is used by typer's callbacks too
(``cli/complete.py``). ``COMMANDS`` (which parameter offers which kind) is what typer's
commands say; tests/test_tab.py fails when the two disagree.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing itself costs milliseconds at start; mypy reads this as True
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

Candidates = list[tuple[str, str]]


# -- the kinds of values ------------------------------------------------------------------


def _actions(*statuses: str) -> Callable[[str], Candidates]:
    def values(root: str) -> Candidates:
        from idmeet.store.complete import actions

        return actions(root, statuses)

    return values


def _meetings(root: str) -> Candidates:
    from idmeet.store.complete import meetings, series

    found = [(key, "") for key in meetings(root)]
    for name, _ in series(root):
        found += [(f"{name}/latest", "the last meeting up to today"), (f"{name}/next", "the first meeting after today")]
    return found


def _series(root: str) -> Candidates:
    from idmeet.store.complete import series

    return series(root)


def _owners(root: str) -> Candidates:
    from idmeet.store.complete import owners

    return owners(root)


def _tags(root: str) -> Candidates:
    from idmeet.store.complete import tags

    return [(tag, "") for tag in tags(root)]


def _with(words: Candidates, values: Callable[[str], Candidates]) -> Callable[[str], Candidates]:
    """``values`` with fixed words first (``open-items`` beside the meetings of ``export``)."""

    def both(root: str) -> Candidates:
        return [*words, *values(root)]

    return both


# Each kind of value: (root -> (value, description)). "meeting_after_sync" (``minutes sync
# <TAB>``) depends on the word before it, see ``candidates``.
VALUES: dict[str, Callable[[str], Candidates]] = {
    "action": _actions(),
    "open_action": _actions("open", "waiting"),  # done, drop
    "waitable_action": _actions("open"),  # wait
    "closed_action": _actions("done", "dropped", "waiting"),  # reopen
    "meeting": _meetings,
    "meeting_or_open_items": _with([("open-items", "the open actions (Acties & afspraken)")], _meetings),
    "meeting_or_sync": _with([("sync", "turn the minutes' action lines into action files")], _meetings),
    "series": _series,
    "owner": _owners,
    "tag": _tags,
}
FROM_ACTION_CACHE = ("action", "open_action", "waitable_action", "closed_action", "tag")


def candidates(kind: str, root: str, before: list[str]) -> Candidates:
    """What ``kind`` offers in ``root``; ``before`` holds the command's positional arguments
    given before the word being typed."""
    if kind == "meeting_after_sync":
        return VALUES["meeting"](root) if before[:1] == ["sync"] else []
    return VALUES[kind](root)


def offered(values: Candidates, incomplete: str, bash: bool) -> Candidates:
    """The values that start with what is typed, each once, as typer's completion sends them.
    bash inserts a value as it is, so there a space in one is escaped (``Peter\\ Teesink``) and
    no description is kept."""
    if incomplete:
        values = [item for item in values if item[0].startswith(incomplete)]
    found = dict(values)  # the usual case: every value once (action ids are file names)
    if len(found) != len(values):  # else the first description of each
        found = {}
        for value, description in values:
            found.setdefault(value, description)
    found.pop("", None)
    if bash:
        return [(value.replace(" ", "\\ "), "") for value in found]
    return list(found.items())


# -- which parameter completes which kind -------------------------------------------------

FLAG = None  # an option that takes no value
TEXT = ""  # a value nothing is offered for (typer answers)
# Each command that completes a value: every option (its names -> FLAG, TEXT or a kind) and
# its arguments in order as (nargs, TEXT or kind). Generated from typer's commands by
# tests/test_tab.py::spec_of, which fails when these differ.
Spec = tuple[dict[str, str | None], tuple[tuple[int, str], ...]]
GROUPS = {("action",), ("report",)}
COMMANDS: dict[tuple[str, ...], Spec] = {
    ("action", "add"): (
        {
            "--due": TEXT,
            "--meeting": "meeting",
            "--note": TEXT,
            "--owner": "owner",
            "--series": "series",
            "--tag": "tag",
            "-m": "meeting",
            "-o": "owner",
            "-s": "series",
            "-t": "tag",
        },
        ((1, TEXT),),
    ),
    ("action", "done"): ({"--note": TEXT}, ((1, "open_action"), (1, TEXT))),
    ("action", "drop"): ({"--note": TEXT}, ((1, "open_action"), (1, TEXT))),
    ("action", "due"): ({}, ((1, "action"), (1, TEXT))),
    ("action", "note"): ({}, ((1, "action"), (1, TEXT))),
    ("action", "reassign"): ({"--owner": "owner", "-o": "owner"}, ((1, "action"), (-1, "owner"))),
    ("action", "reopen"): ({"--note": TEXT}, ((1, "closed_action"), (1, TEXT))),
    ("action", "show"): ({"--format": TEXT, "-f": TEXT}, ((1, "action"),)),
    ("action", "wait"): ({"--note": TEXT}, ((1, "waitable_action"), (1, TEXT))),
    ("actions",): (
        {
            "--all": FLAG,
            "--as-of": TEXT,
            "--done": FLAG,
            "--dropped": FLAG,
            "--due-after": TEXT,
            "--due-before": TEXT,
            "--format": TEXT,
            "--limit": TEXT,
            "--meeting": "meeting",
            "--open": FLAG,
            "--overdue": FLAG,
            "--owner": "owner",
            "--series": "series",
            "--sort": TEXT,
            "--tag": "tag",
            "--text": TEXT,
            "-f": TEXT,
            "-m": "meeting",
            "-n": TEXT,
            "-o": "owner",
            "-s": "series",
            "-t": "tag",
        },
        (),
    ),
    ("calendar",): (
        {
            "--attendees": FLAG,
            "--future": FLAG,
            "--output": TEXT,
            "--series": "series",
            "--site-url": TEXT,
            "-O": TEXT,
            "-s": "series",
        },
        (),
    ),
    ("decisions",): (
        {"--format": TEXT, "--series": "series", "--since": TEXT, "--text": TEXT, "-f": TEXT, "-s": "series"},
        (),
    ),
    ("export",): (
        {
            "--as-of": TEXT,
            "--document": TEXT,
            "--format": TEXT,
            "--output": TEXT,
            "--owner": "owner",
            "--series": "series",
            "--watermark": TEXT,
            "-O": TEXT,
            "-d": TEXT,
            "-f": TEXT,
            "-o": "owner",
            "-s": "series",
        },
        ((1, "meeting_or_open_items"),),
    ),
    ("import",): (
        {"--dry-run": FLAG, "--force": FLAG, "--series": "series", "--year": TEXT, "-s": "series"},
        ((-1, TEXT),),
    ),
    ("meetings",): ({"--format": TEXT, "--series": "series", "-f": TEXT, "-s": "series"}, ()),
    ("minutes",): ({}, ((1, "meeting_or_sync"), (1, "meeting_after_sync"))),
    ("new-agenda",): ({"--date": TEXT, "--dry-run": FLAG, "--force": FLAG, "-d": TEXT}, ((1, "series"),)),
    ("pack",): ({"--confidential": FLAG, "--output": TEXT, "-O": TEXT}, ((1, "meeting"),)),
    ("propose",): (
        {
            "--attachment": TEXT,
            "--by": "owner",
            "--category": TEXT,
            "--confidential": FLAG,
            "--for": TEXT,
            "--question": TEXT,
            "-a": TEXT,
            "-c": TEXT,
            "-q": TEXT,
        },
        ((1, "series"), (1, TEXT)),
    ),
    ("publish",): (
        {
            "--allow-unreviewed": FLAG,
            "--draft": FLAG,
            "--format": TEXT,
            "--output": TEXT,
            "--series": "series",
            "--since": TEXT,
            "--until": TEXT,
            "--verify": TEXT,
            "-O": TEXT,
            "-f": TEXT,
            "-s": "series",
        },
        ((-1, "meeting"),),
    ),
    ("render",): ({"--format": TEXT, "--output": TEXT, "-O": TEXT, "-f": TEXT}, ((1, "meeting"),)),
    ("report", "actions"): ({"--format": TEXT, "--output": TEXT, "-O": TEXT, "-f": TEXT}, ((1, "meeting"),)),
    ("report", "minutes"): ({"--format": TEXT, "--output": TEXT, "-O": TEXT, "-f": TEXT}, ((1, "meeting"),)),
    ("report", "open-items"): (
        {
            "--as-of": TEXT,
            "--format": TEXT,
            "--output": TEXT,
            "--owner": "owner",
            "--series": "series",
            "-O": TEXT,
            "-f": TEXT,
            "-o": "owner",
            "-s": "series",
        },
        (),
    ),
    ("search",): (
        {"--format": TEXT, "--series": "series", "--since": TEXT, "-f": TEXT, "-s": "series"},
        ((-1, TEXT),),
    ),
    ("show",): ({"--format": TEXT, "-f": TEXT}, ((1, "meeting"),)),
}


def resolve(args: list[str], incomplete: str) -> tuple[str | None, str, list[str]] | None:
    """(--repo, the kind of value, the positional arguments before it) for the word being
    typed after ``args`` (the words after ``idmeet``), as click's completion resolves it
    (``_resolve_context``, ``_resolve_incomplete``); None for anything else or anything
    unusual, where typer answers."""
    if incomplete.startswith("-") or "--" in args:
        return None  # an option's name, or values after "--"
    repo: str | None = None
    path: tuple[str, ...] = ()
    spec: Spec | None = None
    before: list[str] = []
    index = 0
    while index < len(args):
        word = args[index]
        if word == "--repo":  # anywhere on the line: the application reads it (hoist_repo)
            if index + 1 == len(args) or args[index + 1].startswith("-"):
                return None
            repo, index = args[index + 1], index + 2
        elif word.startswith("--repo="):
            repo, index = word[len("--repo=") :], index + 1
        elif spec is None:  # a command or group name
            path += (word,)
            if path in COMMANDS:
                spec = COMMANDS[path]
            elif path not in GROUPS:
                return None  # an option of the application or a group, or not a command
            index += 1
        elif word.startswith("-"):
            if word not in spec[0]:
                return None  # --help, --name=value, -oValue, an option that is new
            if spec[0][word] is FLAG or index + 1 == len(args):
                index += 1
            elif args[index + 1].startswith("-"):
                return None
            else:
                index += 2
        else:
            before.append(word)
            index += 1
    if spec is None:
        return None
    options, arguments = spec
    last = args[-1]
    if last in options and options[last] is not FLAG:  # the value of this option
        kind = options[last]
        return (repo, kind, before) if kind else None
    for at, (nargs, kind) in enumerate(arguments):
        if nargs == -1 or at >= len(before):  # the first argument still open
            return (repo, kind, before) if kind else None
    return None


def _at_command(args: list[str], incomplete: str) -> bool:
    """Is the word being typed the command's name (only ``--repo DIR`` before it)?"""
    if incomplete.startswith("-") or "=" in incomplete:
        return False
    index = 0
    while index < len(args):
        if args[index] == "--repo" and index + 1 < len(args) and not args[index + 1].startswith("-"):
            index += 2
        elif args[index].startswith("--repo=") and len(args[index]) > len("--repo="):
            index += 1
        else:
            return False
    return True


def command_names() -> list[str]:
    """The commands as typer's completion lists them (bash: names only): in the order they
    are registered (``cli.COMMANDS``), the groups (``action``, ``report``) last."""
    from idmeet.cli import COMMANDS as REGISTERED

    return [name for name in REGISTERED if (name,) not in GROUPS] + [name for name in REGISTERED if (name,) in GROUPS]


# -- the answer ---------------------------------------------------------------------------


def _split(text: str) -> list[str]:
    """``text`` split into words as click's ``split_arg_string`` does (shlex, POSIX rules,
    an unfinished quote or escape kept as it is)."""
    if not any(char in text for char in "\\'\""):
        return [word for word in text.replace("\t", " ").replace("\r", " ").replace("\n", " ").split(" ") if word]
    import shlex

    lex = shlex.shlex(text, posix=True)
    lex.whitespace_split = True
    lex.commenters = ""
    out = []
    try:
        for token in lex:
            out.append(token)
    except ValueError:
        out.append(lex.token)
    return out


def _zsh_escape(text: str) -> str:
    return text.replace('"', '""').replace("'", "''").replace("$", "\\$").replace("`", "\\`").replace(":", r"\\:")


def _format(shell: str, items: Candidates, environ: Mapping[str, str]) -> tuple[str | None, int]:
    """(what typer prints, its exit code) for ``items`` (format_completion of typer's shell
    classes, descriptions as written: see ``complete.plain_descriptions``)."""
    if shell == "bash":
        return "\n".join([value for value, _ in items]), 0
    if shell == "zsh":
        if not items:
            return "_files", 0
        # Escaping is per character, so the values and the descriptions are escaped as one text each
        raw_values, raw_helps = zip(*items)
        values = _zsh_escape("\n".join(raw_values)).split("\n")
        helps = _zsh_escape("\n".join(raw_helps)).split("\n")
        if len(values) != len(items) or len(helps) != len(items):  # a line break in a value
            raise ValueError("a value with a line break")
        if all(raw_helps):
            lines = [f'"{value}":"{help}"' for value, help in zip(values, helps)]
        else:
            lines = [
                f'"{value}":"{help}"' if raw else f'"{value}"' for value, help, raw in zip(values, helps, raw_helps)
            ]
        return "_arguments '*: :((" + "\n".join(lines) + "))'", 0
    import re  # fish

    action = environ.get("_TYPER_COMPLETE_FISH_ACTION", "")
    if action == "is-args":
        return None, 0 if items else 1
    space = re.compile(r"\s")
    lines = [f"{value}\t{space.sub(' ', help)}" if help else value for value, help in items]
    return ("\n".join(lines) if action == "get-args" and lines else ""), 0


def answer(environ: Mapping[str, str]) -> tuple[str | None, int] | None:
    """(the text to print with its line end, or None to print nothing; the exit code) for the
    TAB ``environ`` describes, or None when typer should answer."""
    instruction = environ.get("_IDMEET_COMPLETE", "")
    if instruction == "complete_bash":
        words = _split(environ["COMP_WORDS"])
        cword = int(environ["COMP_CWORD"])
        args = words[1:cword]
        try:
            incomplete = words[cword]
        except IndexError:  # as typer: no word there is ""
            incomplete = ""
        shell = "bash"
    elif instruction in ("complete_zsh", "complete_fish"):
        line = environ.get("_TYPER_COMPLETE_ARGS", "")
        args = _split(line)[1:]
        incomplete = args.pop() if args and not line.endswith(" ") else ""
        shell = instruction[len("complete_") :]
    else:
        return None
    if incomplete == "=":  # bash splits "--owner=" into "--owner" "=": click reads "" then
        incomplete = ""
    if shell == "bash" and _at_command(args, incomplete):
        return _format(shell, [(name, "") for name in command_names() if name.startswith(incomplete)], environ)
    found = resolve(args, incomplete)
    if found is None:
        return None
    repo, kind, before = found
    from idmeet.store.complete import COMPLETE_FILE, root_of
    from idmeet.store.paths import CACHE_DIR

    root = root_of(repo)
    if root is None:
        return None
    if kind in FROM_ACTION_CACHE and not os.path.isfile(os.path.join(root, CACHE_DIR, COMPLETE_FILE)):
        return None  # no action cache yet: typer answers (from the file names)
    items = offered(candidates(kind, root, before), incomplete, shell == "bash")
    if incomplete:  # typer filters what is sent too (for bash: the escaped value)
        items = [(value, help) for value, help in items if value.startswith(incomplete)]
    return _format(shell, items, environ)
