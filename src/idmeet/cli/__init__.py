"""The command line: parse arguments, call the library, print. No logic of its own.

``app`` (the typer application) is made on first use: ``idmeet actions ...`` is answered by
the fast path (``cli/fast.py``) without importing typer at all.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself costs milliseconds at start; mypy reads this as True
if TYPE_CHECKING:
    from typing import Any

__all__ = ["app", "main"]

# The modules that register the commands, in the order ``idmeet --help`` lists them.
MODULES = ("actions", "agenda", "export", "imports", "meetings", "minutes", "publish", "reports", "search", "site")
# The module(s) that register each top-level command (a group such as ``report`` may be
# filled by more than one). A command line naming one of these imports only its modules, so
# typer builds a handful of commands instead of every one (20-30 ms); anything else (help,
# completion, a typo, a command missing here) imports them all. tests/test_startup.py checks
# this table against the application.
COMMANDS: dict[str, tuple[str, ...]] = {
    "actions": ("actions",),
    "action": ("actions",),
    "new-agenda": ("agenda",),
    "propose": ("agenda",),
    "render": ("agenda",),
    "export": ("export",),
    "pack": ("export",),
    "import": ("imports",),
    "check": ("meetings",),
    "init": ("meetings",),
    "meetings": ("meetings",),
    "show": ("meetings",),
    "fmt": ("meetings",),
    "diff": ("meetings",),
    "minutes": ("minutes",),
    "decisions": ("minutes",),
    "report": ("reports", "minutes"),
    "publish": ("publish",),
    "search": ("search",),
    "calendar": ("site",),
    "site": ("site",),
}


def _app(argv: list[str] | None = None) -> Any:
    """The typer application with every command, or (``argv`` given) with at least the
    commands of the module that registers the command ``argv`` names."""
    import importlib

    for name in _modules_for(argv):
        importlib.import_module(f"idmeet.cli.{name}")
    from idmeet.cli.base import app

    return app


def _modules_for(argv: list[str] | None) -> tuple[str, ...]:
    """The command modules a command line needs: those of the command it names when it is
    ``[--repo DIR] COMMAND ...`` (``--repo`` may also stand after it); else all."""
    import os

    if argv is None or os.environ.get("_IDMEET_COMPLETE"):
        return MODULES
    from idmeet.cli.fast import hoist_repo

    args = hoist_repo(list(argv))
    while args and (args[0] == "--repo" or args[0].startswith("--repo=")):
        args = args[2:] if args[0] == "--repo" else args[1:]
    return COMMANDS.get(args[0], MODULES) if args else MODULES


def __getattr__(name: str) -> Any:
    if name == "app":
        return _app()
    raise AttributeError(name)


def main() -> None:
    """The console script's entry point."""
    import os
    import sys

    from idmeet.cli.fast import run

    code = run(sys.argv[1:])
    if code is not None:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BrokenPipeError:  # `idmeet actions | head`: the reader has all it wanted
            pass
        os._exit(code)  # all is written and closed: skip the interpreter's teardown (ms on big answers)
    _app(sys.argv[1:])(prog_name="idmeet")
