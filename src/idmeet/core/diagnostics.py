"""Problems in user data, as values (never raised), and the one error type for exit codes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]  # an error fails ``idmeet check``; a warning does not


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in the repository: where it is and what to do about it."""

    path: str  # relative to the repository root, with "/" separators
    line: int  # 1-based; 0 when the problem concerns the whole file
    message: str
    severity: Severity = "error"

    def format(self, shown_path: str | None = None) -> str:
        """Render as ``path:line: message`` (the form editors and CI understand)."""
        where = shown_path if shown_path is not None else self.path
        prefix = f"{where}:{self.line}" if self.line else where
        tag = "warning: " if self.severity == "warning" else ""
        return f"{prefix}: {tag}{self.message}"

    def as_dict(self, shown_path: str | None = None) -> dict[str, object]:
        return {
            "path": shown_path if shown_path is not None else self.path,
            "line": self.line,
            "severity": self.severity,
            "message": self.message,
        }


def option(name: str) -> str:
    """How a library message names an argument the user can give (``option("date")``).

    The library never spells a command-line flag: the front end words the mark as its own
    option (the command line as ``--date``, ``cli.common.worded``). Read as it is, the mark
    shows as ``⟨date⟩``.
    """
    return f"\u27e8{name}\u27e9"


class IdmeetError(Exception):
    """A user-facing failure: the message says what is wrong and how to fix it.

    Library code raises it for problems with a command's arguments (unknown series,
    ambiguous id); the CLI prints it as one line and exits with ``exit_code``. An argument
    the user could give is named with ``option``, never as a command-line flag.
    """

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
