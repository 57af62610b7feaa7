"""An action as one flat tuple, its *summary*: everything ``idmeet actions`` filters on,
sorts by and prints.

The cache keeps a summary beside each parsed action (``cache.ActionSummary`` names the
fields), so a query on a warm cache needs neither the model nor its imports (``warm.py``).
A loaded action gives the very same tuple (``cache.summarize``): both paths use the
functions here, so they cannot disagree. Dates are ordinals (0: none) for comparing and
ISO text for printing. Only the cheapest standard modules are imported: this runs first.
"""

from __future__ import annotations

from idmeet.core.rules import ACTION_STATUSES, OPEN_STATUSES, fold, overdue, shown_name, status_on_day

TYPE_CHECKING = False  # typing itself costs milliseconds at start; mypy reads this as True
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from idmeet.core.model import ActionStatus

SORT_KEYS = ("due", "opened", "owner", "id")
JSON_KEYS = (
    "id",
    "title",
    "owner",
    "status",
    "opened",
    "due",
    "meeting",
    "series",
    "tags",
    "last_update",
    "item",
    "description",
    "log",
)
CSV_KEYS = JSON_KEYS[:-1]  # a log does not fit in one cell: JSON only
# Positions in a summary; cache.ActionSummary gives them names in the same order.
(
    STATUS,
    OWNERS,
    SERIES,
    MEETING,
    TAGS,
    DUE,
    OPENED,
    CLOSED,
    ID,
    TITLE,
    WRITTEN,
    REDACTED,
    TAGS_WRITTEN,
    OPENED_ISO,
    DUE_ISO,
    LAST_ISO,
    ITEM,
    DESCRIPTION,
    LOG,
) = range(19)
NO_DUE = 3652059  # date.max.toordinal(): an action without a due date sorts last


def statuses_from_flags(open_: bool, done: bool, dropped: bool, all_: bool) -> tuple[ActionStatus, ...]:
    """``--open``/``--done``/``--dropped`` combine; ``--all`` is every status; none is open."""
    if all_:
        return ACTION_STATUSES
    chosen = [*(OPEN_STATUSES if open_ else ()), *(("done",) if done else ()), *(("dropped",) if dropped else ())]
    return tuple(chosen) or OPEN_STATUSES


def is_overdue(s: Sequence[Any], day: int) -> bool:
    """Open on ``day`` with a due date before it."""
    return overdue(s[STATUS], s[DUE], s[OPENED], s[CLOSED], day)


class ActionFilter:
    """Which actions ``idmeet actions`` keeps: the one specification both paths build once from
    the options (keyword arguments only) and test summaries with (``matches``), the warm path
    (``warm.query``) and the model path (``ops.actions.ActionQuery``) alike.

    Dates are ordinals. ``owners`` are the folded names (and aliases) of one person, None for
    any owner; ``redacted_owner`` also keeps owners that are a Woo redaction mark. ``tag`` and
    ``text`` are as the user wrote them (folded here, once). ``day`` is the day "overdue" is
    judged on (today, or the ``as_of`` day); with ``as_of`` the status is the one the action
    had on that day. ``text`` needs the record (title, description, log), so ``matches``
    leaves it to the model path (``words``).

    Frozen by hand rather than a dataclass: ``dataclasses`` costs more to import than the
    warm answer takes.
    """

    FIELDS = (
        "statuses",
        "owners",
        "redacted_owner",
        "series",
        "meeting",
        "tag",
        "text",
        "overdue",
        "day",
        "as_of",
        "due_before",
        "due_after",
    )
    __slots__ = (*FIELDS, "_wanted", "_tag")
    statuses: tuple[ActionStatus, ...]
    owners: frozenset[str] | None
    redacted_owner: bool
    series: str | None
    meeting: str | None
    tag: str | None
    text: str | None
    overdue: bool
    day: int
    as_of: int | None
    due_before: int | None
    due_after: int | None
    _wanted: frozenset[str]
    _tag: str | None

    def __init__(
        self,
        *,
        statuses: Sequence[ActionStatus] = OPEN_STATUSES,
        owners: frozenset[str] | None = None,
        redacted_owner: bool = False,
        series: str | None = None,
        meeting: str | None = None,
        tag: str | None = None,
        text: str | None = None,
        overdue: bool = False,
        day: int = 0,
        as_of: int | None = None,
        due_before: int | None = None,
        due_after: int | None = None,
    ) -> None:
        put = object.__setattr__
        for name, value in (
            ("statuses", tuple(statuses)),
            ("owners", owners),
            ("redacted_owner", redacted_owner),
            ("series", series),
            ("meeting", meeting),
            ("tag", tag),
            ("text", text),
            ("overdue", overdue),
            ("day", day),
            ("as_of", as_of),
            ("due_before", due_before),
            ("due_after", due_after),
            ("_wanted", frozenset(statuses)),
            ("_tag", fold(tag) if tag else None),
        ):
            put(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"ActionFilter is frozen: cannot set {name}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"ActionFilter is frozen: cannot delete {name}")

    def fields(self) -> dict[str, Any]:
        """The specification as keyword arguments (``ActionFilter(**f.fields()) == f``)."""
        return {name: getattr(self, name) for name in self.FIELDS}

    def replace(self, **changes: Any) -> ActionFilter:
        """A copy with some fields changed."""
        return ActionFilter(**{**self.fields(), **changes})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ActionFilter) and self.fields() == other.fields()

    def __hash__(self) -> int:
        return hash(tuple(self.fields().values()))

    def __repr__(self) -> str:
        return "ActionFilter(" + ", ".join(f"{k}={v!r}" for k, v in self.fields().items()) + ")"

    def words(self) -> list[str]:
        """The folded words ``text`` asks for, each to be found in an action's text."""
        return fold(self.text).split() if self.text else []

    def matches(self, s: Sequence[Any]) -> bool:
        """Does the action with summary ``s`` pass every filter but ``text``?"""
        as_of = self.as_of
        status = s[STATUS] if as_of is None else status_on_day(s[STATUS], s[OPENED], s[CLOSED], as_of)
        if status not in self._wanted:
            return False
        if self.owners is not None and not any(self._owned(o) for o in s[OWNERS]):
            return False
        if (self.series and s[SERIES] != self.series) or (self.meeting and s[MEETING] != self.meeting):
            return False
        if self._tag is not None and self._tag not in s[TAGS]:
            return False
        if self.overdue and not is_overdue(s, self.day):
            return False
        if self.due_before is not None and not (s[DUE] and s[DUE] < self.due_before):
            return False
        return self.due_after is None or bool(s[DUE] and s[DUE] > self.due_after)

    def _owned(self, folded: str) -> bool:
        if self.owners is not None and folded in self.owners:
            return True
        if not self.redacted_owner:
            return False
        from idmeet.core.names import is_redacted  # only then: it needs ``re``

        return is_redacted(folded)


def owner_names(s: Sequence[Any], people: Mapping[str, str]) -> list[str]:
    """The owners of a summary as ``shown_name`` shows them."""
    return [shown_name(*owner, people) for owner in zip(s[OWNERS], s[WRITTEN], s[REDACTED])]


def order_key(s: Sequence[Any], by: str, people: Mapping[str, str]) -> tuple[Any, ...]:
    """How ``--sort`` orders actions: by due date (none last), opening date, first owner or id."""
    if by == "opened":
        return (s[OPENED], s[ID])
    if by == "owner":
        return (fold(owner_names(s, people)[0]), s[DUE] or NO_DUE, s[ID])
    if by == "id":
        return (s[ID],)
    return (s[DUE] or NO_DUE, s[OPENED], s[ID])


def as_dict(
    s: Sequence[Any], people: Mapping[str, str], then: tuple[str | None, str | None, str] | None = None
) -> dict[str, Any]:
    """The JSON shape of one action. ``then`` (for ``--as-of``) is its status on that day (None
    before it was opened: the current status stands), its last update by that day and the day
    (ISO): the log then holds the lines written by that day."""
    status, last, until = then if then is not None else (None, s[LAST_ISO], None)
    return {
        "id": s[ID],
        "title": s[TITLE],
        "owner": owner_names(s, people),
        "status": status or s[STATUS],
        "opened": s[OPENED_ISO],
        "due": s[DUE_ISO],
        "meeting": s[MEETING],
        "series": s[SERIES],
        "tags": list(s[TAGS_WRITTEN]),
        "last_update": last,
        "item": s[ITEM],
        "description": s[DESCRIPTION],
        "log": [{"date": day, "text": text} for day, text in s[LOG] if until is None or day <= until],
    }


def cells(s: Sequence[Any], people: Mapping[str, str], day: int) -> tuple[list[str], bool]:
    """The six cells of a table row (id, owner, title, opened, due, last update), and whether
    the action is overdue on ``day`` (its due date then ends in " !")."""
    late = is_overdue(s, day)
    due = (s[DUE_ISO] + (" !" if late else "")) if s[DUE_ISO] else ""
    return [s[ID], ", ".join(owner_names(s, people)), s[TITLE], s[OPENED_ISO], due, s[LAST_ISO] or ""], late


def markdown(summaries: Sequence[Sequence[Any]], people: Mapping[str, str], day: int) -> str:
    """The actions as a Markdown table."""
    if not summaries:
        return "No actions match.\n"
    rows = ["| id | owner | title | opened | due | last update |", "|---|---|---|---|---|---|"]
    for s in summaries:
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells(s, people, day)[0]) + " |")
    return "\n".join(rows) + "\n"


def json_text(value: Any, indent: int = 2) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)`` for texts, numbers, booleans, None,
    lists and dicts, without importing ``json`` (and ``re`` with it); a test compares them."""
    try:
        from _json import encode_basestring as quote  # the C function json itself uses
    except ImportError:  # pragma: no cover - Pythons without the C accelerator
        from json.encoder import py_encode_basestring as quote
    out: list[str] = []

    def put(item: Any, depth: int) -> None:
        if isinstance(item, str):
            out.append(quote(item))
        elif item is None or isinstance(item, bool):
            out.append("null" if item is None else "true" if item else "false")
        elif isinstance(item, int):
            out.append(int.__repr__(item))
        elif isinstance(item, (list, tuple, dict)):
            if not item:
                out.append("{}" if isinstance(item, dict) else "[]")
                return
            inner = "\n" + " " * (indent * (depth + 1))
            pairs = item.items() if isinstance(item, dict) else ((None, element) for element in item)
            out.append("{" if isinstance(item, dict) else "[")
            for position, (key, element) in enumerate(pairs):
                out.append(("," if position else "") + inner + ("" if key is None else quote(str(key)) + ": "))
                put(element, depth + 1)
            out.append("\n" + " " * (indent * depth) + ("}" if isinstance(item, dict) else "]"))
        else:
            raise TypeError(f"cannot write {type(item).__name__} as JSON here")

    put(value, 0)
    return "".join(out)
