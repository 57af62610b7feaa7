"""What TAB offers for a command's values: meetings, action ids (titled), series, people, tags.

Each function here is a typer ``autocompletion`` callback: click calls it with the context
parsed so far (so ``--repo DIR`` given earlier on the line counts) and the word being typed,
and prints the values for the shell (zsh and fish also show each value's description:
an action's title, a series' title, an alias's full name). The values come from
``cli/tab.py`` (``VALUES``) and ``store/complete.py``, which read the cache and file names
only. A callback never raises: on any problem it offers nothing, so TAB never prints an error.

Most TABs never get here: ``cli/tab.py`` answers a value's completion before typer is
imported, and prints what these callbacks would.
"""

import inspect
import os
from collections.abc import Callable

import typer

from idmeet.cli.tab import Candidates, candidates, offered

Offered = list[tuple[str, str]] | list[str]


def _repo_root(ctx: typer.Context) -> str | None:
    """The repository of this command line: its ``--repo`` (before or after the command), or
    the one found as every command finds it."""
    from idmeet.store.complete import root_of

    repo = ctx.find_root().params.get("repo")
    return root_of(repo if isinstance(repo, str) else None)


def _offered(values: Candidates, incomplete: str) -> Offered:
    """The values that start with what is typed, as ``tab.offered`` gives them; bash shows no
    descriptions, so there only the values are sent."""
    bash = os.environ.get("_IDMEET_COMPLETE", "").endswith("bash")
    found = offered(values, incomplete, bash)
    return [value for value, _ in found] if bash else found


Callback = Callable[[typer.Context, str], Offered]


def _lean(callback: Callback) -> Callback:
    """``callback`` with its signature worked out once, without annotations: typer inspects
    every completion callback each time it builds the command line (for every command and
    ``--help`` too), and reading annotations made that cost milliseconds. Without them, typer
    passes ``ctx`` and ``incomplete`` by name."""
    callback.__annotations__ = {}
    setattr(callback, "__signature__", inspect.signature(callback))  # noqa: B010 - mypy knows no such attribute
    return callback


def _safely(kind: str) -> Callback:
    """A completion callback offering the values of ``kind`` (``tab.VALUES``) that start with
    the typed word; nothing when there is no repository or anything goes wrong. Its ``kind``
    attribute names it for tests/test_tab.py, which checks ``tab.COMMANDS`` against it."""

    def callback(ctx: typer.Context, incomplete: str) -> Offered:
        try:
            root = _repo_root(ctx)
            first = ctx.params.get("first")
            before = [first] if isinstance(first, str) else []
            return _offered(candidates(kind, root, before), incomplete or "") if root else []
        except Exception:  # completion must never print a traceback
            return []

    callback.__name__ = kind
    setattr(callback, "kind", kind)  # noqa: B010 - a function attribute mypy does not know
    return _lean(callback)


any_action = _safely("action")
open_action = _safely("open_action")  # done, drop
waitable_action = _safely("waitable_action")  # wait
closed_action = _safely("closed_action")  # reopen
meeting = _safely("meeting")
meeting_or_open_items = _safely("meeting_or_open_items")
meeting_or_sync = _safely("meeting_or_sync")
meeting_after_sync = _safely("meeting_after_sync")  # minutes sync <TAB>: the meetings; else nothing
series = _safely("series")
owner = _safely("owner")
tag = _safely("tag")


def plain_descriptions() -> None:
    """Send descriptions to zsh and fish as they are written. typer passes each through rich
    to strip markup, which imports rich (tens of milliseconds on every TAB) and would read a
    title's "[...]" as markup; idmeet's help has no markup (``rich_markup_mode=None``)."""
    from typer import _completion_classes

    if hasattr(_completion_classes, "_sanitize_help_text"):
        _completion_classes._sanitize_help_text = _as_written


def _as_written(text: str) -> str:
    return text
