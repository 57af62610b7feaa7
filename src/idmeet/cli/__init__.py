"""The command line: parse arguments, call the library, print. No logic of its own.

``app`` (the typer application) is made on first use: ``idmeet actions ...`` is answered by
the fast path (``cli/fast.py``) without importing typer at all.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself costs milliseconds at start; mypy reads this as True
if TYPE_CHECKING:
    from typing import Any

__all__ = ["app", "main"]


def _app() -> Any:
    from idmeet.cli import actions, agenda, export, imports, meetings, minutes, publish, reports, search, site  # noqa: F401
    from idmeet.cli.base import app

    return app


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
    _app()(prog_name="idmeet")
