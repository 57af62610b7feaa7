"""The action list as a library: find actions by id prefix, filter, sort, and shape for output."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePosixPath
from typing import Any

from idmeet.core.diagnostics import Diagnostic, IdmeetError, option
from idmeet.core.history import action_as_of
from idmeet.core.model import Action, ActionStatus, Person, Repository
from idmeet.core.names import is_redacted, normalize, suggest
from idmeet.core.rules import id_prefix, overdue
from idmeet.store.cache import ActionSummary, summarize
from idmeet.store.summary import CSV_KEYS, JSON_KEYS, SORT_KEYS, ActionFilter, as_dict, order_key, statuses_from_flags

__all__ = [
    "CSV_KEYS",
    "JSON_KEYS",
    "SORT_KEYS",
    "ActionFilter",
    "ActionQuery",
    "Found",
    "OwnerFilter",
    "action_as_dict",
    "actions_as_of",
    "find_action",
    "is_overdue",
    "owner_names",
    "resolve_owner",
    "statuses_from_flags",
]


@dataclass(frozen=True)
class OwnerFilter:
    """A resolved ``--owner``: one person (by all the normalised ways to write the name), or
    "any redacted owner"."""

    person: Person | None
    redacted: bool = False
    names: frozenset[str] = frozenset()

    def matches(self, repo: Repository, action: Action) -> bool:
        return any(self.matches_name(repo, owner) for owner in action.owners)

    def matches_name(self, repo: Repository, name: str) -> bool:
        return self.matches_normalized(normalize(name))

    def matches_normalized(self, name: str) -> bool:
        return name in self.names or (self.redacted and is_redacted(name))


def resolve_owner(repo: Repository, name: str) -> OwnerFilter:
    """Full name or alias, case- and accent-insensitive; unknown is an error with suggestions."""
    if is_redacted(name):
        return OwnerFilter(None, redacted=True)
    person = repo.find_person(name)
    if person is None:
        names = [n for p in repo.config.people for n in (p.name, *p.aliases)]
        hint = suggest(name, names) or (
            f" (known: {', '.join(p.name for p in repo.config.people)})"
            if repo.config.people
            else " (no people in idmeet.yaml)"
        )
        raise IdmeetError(f"unknown person '{name}'{hint}")
    return OwnerFilter(person, names=frozenset(k for k, p in repo.person_index.items() if p == person))


@dataclass(frozen=True)
class ActionQuery:
    """What ``idmeet actions`` asks, in the model's terms (dates, a resolved owner); every
    filter narrows the list.

    ``filter`` is the same question as the ``ActionFilter`` the warm path asks, made once: the
    loader tests cached actions with it before unpickling them, ``run`` tests every loaded
    action with it, then the text filter.
    """

    statuses: Sequence[ActionStatus] = ("open", "waiting")
    owner: OwnerFilter | None = None
    series: str | None = None
    meeting: str | None = None
    tag: str | None = None
    text: str | None = None
    overdue: bool = False
    due_before: dt.date | None = None
    due_after: dt.date | None = None
    as_of: dt.date | None = None
    sort: str = "due"
    limit: int | None = None
    today: dt.date = field(default_factory=dt.date.today)

    @cached_property
    def filter(self) -> ActionFilter:
        """The query's filters as the specification both paths share."""

        def ordinal(day: dt.date | None) -> int | None:
            return day.toordinal() if day else None

        return ActionFilter(
            statuses=self.statuses,
            owners=self.owner.names if self.owner else None,
            redacted_owner=bool(self.owner and self.owner.redacted),
            series=self.series,
            meeting=self.meeting,
            tag=self.tag,
            text=self.text,
            overdue=self.overdue,
            day=(self.as_of or self.today).toordinal(),
            as_of=ordinal(self.as_of),
            due_before=ordinal(self.due_before),
            due_after=ordinal(self.due_after),
        )

    def keep(self) -> Callable[[ActionSummary], bool]:
        """The loader's early test of a cached action: the filter itself, except with ``as_of``
        (then owners, due dates and status are those of that day, known only once loaded)."""
        return self.filter.matches if self.as_of is None else _keep_all

    def run(self, repo: Repository) -> Found:
        """The matching actions in order, with the summaries the test computed. With
        ``as_of``, each action as it was on that day (``history.action_as_of``)."""
        spec = self.filter
        words = spec.words()
        found = [
            (a, s)
            for a, s in ((a, summarize(a)) for a in actions_as_of(repo.actions, self.as_of))
            if spec.matches(s) and all(w in searchable(a) for w in words)
        ]
        found.sort(key=lambda pair: order_key(pair[1], self.sort, repo.full_names))
        kept = found[: self.limit] if self.limit is not None else found
        return Found(tuple(a for a, _ in kept), tuple(s for _, s in kept))


def _keep_all(summary: ActionSummary) -> bool:
    return True


def actions_as_of(actions: Iterable[Action], day: dt.date | None) -> list[Action]:
    """The actions as they were on ``day`` (those opened by then); all as they are without."""
    if day is None:
        return list(actions)
    return [then for a in actions if (then := action_as_of(a, day)) is not None]


@dataclass(frozen=True)
class Found:
    """What a query found: the actions in order and their summaries (``summaries[i]`` is
    ``actions[i]``'s), so printing needs no second summary. Iterating gives the actions."""

    actions: tuple[Action, ...]
    summaries: tuple[ActionSummary, ...]

    def __iter__(self) -> Iterator[Action]:
        return iter(self.actions)

    def __len__(self) -> int:
        return len(self.actions)


def searchable(action: Action) -> str:
    return normalize(" ".join([action.title, action.description, *(e.text for e in action.log)]))


def is_overdue(action: Action, day: dt.date) -> bool:
    """Open (on ``day``) with a due date before ``day`` (``rules.overdue``, as ``summary.is_overdue``)."""
    if action.due is None:
        return False
    closed = action.closed_on
    return overdue(
        action.status,
        action.due.toordinal(),
        action.opened.toordinal(),
        closed.toordinal() if closed else 0,
        day.toordinal(),
    )


def owner_names(repo: Repository, action: Action) -> list[str]:
    """Full names (a redacted owner as its redaction mark)."""
    return [repo.display_name(o) for o in action.owners]


def action_as_dict(repo: Repository, action: Action, as_of: dt.date | None = None) -> dict[str, Any]:
    """The JSON shape of one action (``idmeet actions --format json``); with ``as_of``, its
    status and last update as they were on that date."""
    then = None
    if as_of is not None:
        last = action.latest(as_of)
        then = (action.status_on(as_of), last.date.isoformat() if last else None, as_of.isoformat())
    return as_dict(summarize(action), repo.full_names, then)


def ids_starting(text: str) -> Callable[[Repository], Callable[[ActionSummary], bool]]:
    """``load``'s ``keep_action`` for a command about one action: only the actions whose id
    starts with ``text`` are unpickled (all its candidates, duplicates included); every
    file's problems are still loaded, so a broken file is found as before."""
    wanted = id_prefix(text)
    return lambda _repo: lambda summary: summary.id.startswith(wanted)


def find_action(repo: Repository, prefix: str, problems: Iterable[Diagnostic] = (), *, reading: bool = False) -> Action:
    """The action whose id is ``prefix`` or starts with it, like git's short hashes.

    An action file that is broken on disk is found too, and refused with its first problem;
    when only ``reading`` (``action show``), one that still gave an action is returned (the
    caller warns about its problems).
    """
    wanted = id_prefix(prefix)
    if not wanted:
        raise IdmeetError("give an action id (or the start of one)")
    by_id = {a.id: a for a in repo.actions}
    broken: dict[str, Diagnostic] = {}
    for problem in problems:
        path = PurePosixPath(problem.path)
        if path.parent.name == "actions" and problem.severity == "error":
            broken.setdefault(path.stem, problem)
    if reading:
        for stem in [s for s in broken if s in by_id and by_id[s].source.path == broken[s].path]:
            del broken[stem]
    if wanted in broken:
        raise _broken(broken[wanted], reading)
    if wanted in by_id:
        refuse_duplicate(repo, by_id[wanted])
        return by_id[wanted]
    candidates = sorted({*(i for i in by_id if i.startswith(wanted)), *(s for s in broken if s.startswith(wanted))})
    if len(candidates) == 1:
        if candidates[0] in broken:
            raise _broken(broken[candidates[0]], reading)
        refuse_duplicate(repo, by_id[candidates[0]])
        return by_id[candidates[0]]
    if candidates:
        listed = ", ".join(f"{c} ({by_id[c].title})" if c in by_id else c for c in candidates[:8])
        more = " …" if len(candidates) > 8 else ""
        raise IdmeetError(f"action id '{prefix}' is ambiguous: {listed}{more}; give more characters")
    hint = suggest(wanted, list(by_id))
    raise IdmeetError(f"unknown action id '{prefix}'{hint} (list them with 'idmeet actions {option('all')}')")


def refuse_duplicate(repo: Repository, action: Action) -> None:
    """Refuse to work on an id that several action files share (two branches merged, say):
    idmeet does not guess which file is meant. The error names every file."""
    files = sorted(a.source.path for a in repo.actions if a.id == action.id)
    if len(files) > 1:
        raise IdmeetError(
            f"action id '{action.id}' is in {len(files)} files: {' and '.join(files)}; idmeet will not guess "
            "which one to use (give one of them a new id and file name, then run 'idmeet check')"
        )


def _broken(problem: Diagnostic, reading: bool = False) -> IdmeetError:
    refusal = "it cannot be shown" if reading else "idmeet will not edit it"
    return IdmeetError(f"{problem.path} is broken, so {refusal}: {problem.format()} (fix it, then run 'idmeet check')")
