"""What TAB offers for a command's values: meetings, action ids (titled), series, people, tags.

Each function here is a typer ``autocompletion`` callback: click calls it with the context
parsed so far (so ``--repo DIR`` given earlier on the line counts) and the word being typed,
and prints the values for the shell (zsh and fish also show each value's description:
an action's title, a series' title, an alias's full name). The values come from
``store/complete.py``, which reads the cache and file names only. A callback never raises:
on any problem it offers nothing, so TAB never prints an error.
"""

import inspect
import os
from collections.abc import Callable

import typer

Candidates = list[tuple[str, str]]
Offered = list[tuple[str, str]] | list[str]


def _repo_root(ctx: typer.Context) -> str | None:
    """The repository of this command line: its ``--repo`` (before or after the command), or
    the one found as every command finds it."""
    from idmeet.store.complete import root_of

    repo = ctx.find_root().params.get("repo")
    return root_of(repo if isinstance(repo, str) else None)


def _offered(values: Candidates, incomplete: str) -> Offered:
    """The values that start with what is typed, each once. bash inserts a value as it is, so
    there a space in one is escaped (``Peter\\ Teesink``); it shows no descriptions, so only
    the values are sent."""
    found: dict[str, str] = {}
    for value, description in values:
        if value and value.startswith(incomplete):
            found.setdefault(value, description)
    if os.environ.get("_IDMEET_COMPLETE", "").endswith("bash"):
        return [value.replace(" ", "\\ ") for value in found]
    return list(found.items())


Callback = Callable[[typer.Context, str], Offered]


def _lean(callback: Callback) -> Callback:
    """``callback`` with its signature worked out once, without annotations: typer inspects
    every completion callback each time it builds the command line (for every command and
    ``--help`` too), and reading annotations made that cost milliseconds. Without them, typer
    passes ``ctx`` and ``incomplete`` by name."""
    callback.__annotations__ = {}
    setattr(callback, "__signature__", inspect.signature(callback))  # noqa: B010 - mypy knows no such attribute
    return callback


def _safely(values: Callable[[str], Candidates]) -> Callback:
    """A completion callback offering ``values(root)`` that start with the typed word; nothing
    when there is no repository or anything goes wrong."""

    def callback(ctx: typer.Context, incomplete: str) -> Offered:
        try:
            root = _repo_root(ctx)
            return _offered(values(root), incomplete or "") if root else []
        except Exception:  # completion must never print a traceback
            return []

    callback.__name__ = getattr(values, "__name__", "values")
    return _lean(callback)


def _actions(*statuses: str) -> Callable[[str], Candidates]:
    def values(root: str) -> Candidates:
        from idmeet.store.complete import actions

        return actions(root, statuses)

    return values


def _meetings(root: str) -> Candidates:
    from idmeet.store.complete import meetings, series

    keys = meetings(root)
    found = [(key, "") for key in keys]
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


any_action = _safely(_actions())
open_action = _safely(_actions("open", "waiting"))  # done, drop
waitable_action = _safely(_actions("open"))  # wait
closed_action = _safely(_actions("done", "dropped", "waiting"))  # reopen
meeting = _safely(_meetings)
meeting_or_open_items = _safely(_with([("open-items", "the open actions (Acties & afspraken)")], _meetings))
meeting_or_sync = _safely(_with([("sync", "turn the minutes' action lines into action files")], _meetings))
series = _safely(_series)


@_lean
def meeting_after_sync(ctx: typer.Context, incomplete: str) -> Offered:
    """``minutes sync <TAB>``: the meetings; after ``minutes MEETING`` nothing more is taken."""
    return meeting(ctx, incomplete) if ctx.params.get("first") == "sync" else []


owner = _safely(_owners)
tag = _safely(_tags)


def plain_descriptions() -> None:
    """Send descriptions to zsh and fish as they are written. typer passes each through rich
    to strip markup, which imports rich (tens of milliseconds on every TAB) and would read a
    title's "[...]" as markup; idmeet's help has no markup (``rich_markup_mode=None``)."""
    from typer import _completion_classes

    if hasattr(_completion_classes, "_sanitize_help_text"):
        _completion_classes._sanitize_help_text = _as_written


def _as_written(text: str) -> str:
    return text
