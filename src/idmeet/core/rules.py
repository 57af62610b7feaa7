"""The domain's rules that every stage shares: an action's statuses, its status on a day,
how names are folded for comparing, what "today" is, how a person's name is shown.

Only the cheapest standard modules are imported: the warm answer (``store/warm.py``) runs
these before anything else is loaded. Dates are ordinals here (0: none).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself costs milliseconds at start; mypy reads this as True
if TYPE_CHECKING:
    from collections.abc import Mapping

    from idmeet.core.model import ActionStatus  # a Literal type: typing is not loaded here

ACTION_STATUSES: tuple[ActionStatus, ...] = ("open", "waiting", "done", "dropped")  # = model.ActionStatus
OPEN_STATUSES: tuple[ActionStatus, ...] = ("open", "waiting")


def id_prefix(text: str) -> str:
    """An action id as people type it, the way actions are looked up by id: lower case, and a
    path to its file (``actions/k3f9.md``) taken as its id."""
    return text.strip().lower().removeprefix("actions/").removesuffix(".md")


def fold(name: str) -> str:
    """Fold case, accents and white space: "Péter  Teesink" -> "peter teesink"."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def status_on_day(status: ActionStatus, opened: int, closed: int, day: int) -> ActionStatus | None:
    """An action's status on a day (all dates as ordinals; ``closed`` 0 when not closed): None
    before it was opened; an open action is open; a closed one was open until it was closed.
    The one definition, for loaded actions and for the cache's summaries alike."""
    if opened > day:
        return None
    if status in OPEN_STATUSES:
        return status
    return "open" if closed > day else status


def overdue(status: ActionStatus, due: int, opened: int, closed: int, day: int) -> bool:
    """Open on ``day`` (ordinals, 0 for none) with a due date before it: the one rule for the
    summary of the warm path and for the model."""
    return bool(due) and due < day and status_on_day(status, opened, closed, day) in OPEN_STATUSES


def iso_ordinal(text: str) -> int | None:
    """The ordinal of a strict ``YYYY-MM-DD`` date, None for anything else (other spellings
    are ``dates.parse_cli_date``'s to read, or to refuse)."""
    digits = text[:4] + text[5:7] + text[8:]
    if len(text) != 10 or text[4] != "-" or text[7] != "-" or not (digits.isascii() and digits.isdigit()):
        return None
    import datetime

    try:
        return datetime.date(int(text[:4]), int(text[5:7]), int(text[8:])).toordinal()
    except ValueError:
        return None


def today_ordinal() -> int | None:
    """Today as an ordinal, or ``$IDMEET_TODAY`` (YYYY-MM-DD) when set, for reproducible
    output; None when that is set but not a date (``dates.today`` says so)."""
    import os

    pinned = os.environ.get("IDMEET_TODAY")
    if pinned:
        return iso_ordinal(pinned.strip())
    import datetime

    return datetime.date.today().toordinal()


def shown_name(folded: str, written: str, redacted: bool, people: Mapping[str, str]) -> str:
    """A person's full name (``people``: folded name or alias -> full name); a redaction mark
    or a name nobody has stays as written."""
    return written if redacted else people.get(folded, written)
