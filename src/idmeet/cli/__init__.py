"""The command line: parse arguments, call the library, print. No logic of its own.

``app`` holds the commands; each module below registers its own on import.
"""

from idmeet.cli import actions, agenda, meetings, minutes, reports  # noqa: F401  (registers the commands)
from idmeet.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """The console script's entry point."""
    app(prog_name="idmeet")
