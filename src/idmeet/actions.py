"""The action list as a library: find actions by id prefix, filter, sort, and shape for output."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from idmeet.cache import ActionSummary, summarize
from idmeet.diagnostics import Diagnostic, IdmeetError
from idmeet.model import ACTION_STATUSES, OPEN_STATUSES, Action, Person, Repository, status_on_day
from idmeet.names import is_redacted, normalize, suggest

SORT_KEYS = ("due", "opened", "owner", "id")
JSON_KEYS = ("id", "title", "owner", "status", "opened", "due", "meeting", "series", "tags",
             "last_update")


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
        hint = suggest(name, names) or (f" (known: {', '.join(p.name for p in repo.config.people)})"
                                        if repo.config.people else " (no people in idmeet.yaml)")
        raise IdmeetError(f"unknown person '{name}'{hint}")
    return OwnerFilter(person, names=frozenset(k for k, p in repo.person_index.items() if p == person))


def summary_status_on(summary: ActionSummary, day: int) -> str | None:
    """``model.status_on_day`` for a cached summary."""
    return status_on_day(summary.status, summary.opened, summary.closed, day)


@dataclass
class ActionQuery:
    """What ``idmeet actions`` asks; every filter narrows the list.

    All filters but ``text`` test an action's summary (``cache.ActionSummary``), so the loader
    can apply them to cached actions before unpickling them (``matcher``); ``run`` applies the
    very same test to every loaded action, then the text filter.
    """

    statuses: Sequence[str] = ("open", "waiting")
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

    def matcher(self) -> Callable[[ActionSummary], bool]:
        day = (self.as_of or self.today).toordinal()
        as_of = self.as_of.toordinal() if self.as_of else None
        statuses = frozenset(self.statuses)
        tag = normalize(self.tag) if self.tag else None
        before = self.due_before.toordinal() if self.due_before else None
        after = self.due_after.toordinal() if self.due_after else None
        owner = self.owner

        def matches(s: ActionSummary) -> bool:
            status = s.status if as_of is None else summary_status_on(s, as_of)
            if status not in statuses:
                return False
            if owner is not None and not any(owner.matches_normalized(o) for o in s.owners):
                return False
            if (self.series and s.series != self.series) or (self.meeting and s.meeting != self.meeting):
                return False
            if tag is not None and tag not in s.tags:
                return False
            if self.overdue and not (s.due and s.due < day and summary_status_on(s, day) in OPEN_STATUSES):
                return False
            if before is not None and not (s.due and s.due < before):
                return False
            return after is None or bool(s.due and s.due > after)

        return matches

    def run(self, repo: Repository) -> list[Action]:
        matches = self.matcher()
        words = normalize(self.text).split() if self.text else []
        found = [a for a in repo.actions
                 if matches(summarize(a)) and all(w in searchable(a) for w in words)]
        found.sort(key=lambda a: sort_key(repo, a, self.sort))
        return found[: self.limit] if self.limit is not None else found


def searchable(action: Action) -> str:
    return normalize(" ".join([action.title, action.description, *(e.text for e in action.log)]))


def is_overdue(action: Action, day: dt.date) -> bool:
    """Open (on ``day``) with a due date before ``day``."""
    return action.due is not None and action.due < day and action.open_on(day)


def sort_key(repo: Repository, action: Action, by: str) -> tuple[Any, ...]:
    far = dt.date.max
    if by == "opened":
        return (action.opened, action.id)
    if by == "owner":
        return (normalize(owner_names(repo, action)[0]), action.due or far, action.id)
    if by == "id":
        return (action.id,)
    return (action.due or far, action.opened, action.id)


def owner_names(repo: Repository, action: Action) -> list[str]:
    """Full names (a redacted owner as its redaction mark)."""
    return [repo.display_name(o) for o in action.owners]


def action_as_dict(repo: Repository, action: Action, as_of: dt.date | None = None) -> dict[str, Any]:
    """The JSON shape of one action (``idmeet actions --format json``); with ``as_of``, its
    status and last update as they were on that date."""
    last = action.latest(as_of)
    return {
        "id": action.id,
        "title": action.title,
        "owner": owner_names(repo, action),
        "status": (action.status_on(as_of) if as_of else None) or action.status,
        "opened": action.opened.isoformat(),
        "due": action.due.isoformat() if action.due else None,
        "meeting": action.meeting,
        "series": action.series,
        "tags": list(action.tags),
        "last_update": last.date.isoformat() if last else None,
    }


def find_action(repo: Repository, prefix: str, problems: Iterable[Diagnostic] = ()) -> Action:
    """The action whose id is ``prefix`` or starts with it, like git's short hashes.

    An action file that is broken on disk is found too, and refused with its first problem.
    """
    wanted = prefix.strip().lower().removeprefix("actions/").removesuffix(".md")
    if not wanted:
        raise IdmeetError("give an action id (or the start of one)")
    by_id = {a.id: a for a in repo.actions}
    broken: dict[str, Diagnostic] = {}
    for problem in problems:
        path = PurePosixPath(problem.path)
        if path.parent.name == "actions" and problem.severity == "error":
            broken.setdefault(path.stem, problem)
    if wanted in broken:
        raise _broken(broken[wanted])
    if wanted in by_id:
        return by_id[wanted]
    candidates = sorted({*(i for i in by_id if i.startswith(wanted)),
                         *(s for s in broken if s.startswith(wanted))})
    if len(candidates) == 1:
        if candidates[0] in broken:
            raise _broken(broken[candidates[0]])
        return by_id[candidates[0]]
    if candidates:
        listed = ", ".join(f"{c} ({by_id[c].title})" if c in by_id else c for c in candidates[:8])
        more = " …" if len(candidates) > 8 else ""
        raise IdmeetError(f"action id '{prefix}' is ambiguous: {listed}{more}; give more characters")
    hint = suggest(wanted, list(by_id))
    raise IdmeetError(f"unknown action id '{prefix}'{hint} (list them with 'idmeet actions --all')")


def _broken(problem: Diagnostic) -> IdmeetError:
    return IdmeetError(f"{problem.path} is broken, so idmeet will not edit it: "
                       f"{problem.format()} (fix it, then run 'idmeet check')")


def statuses_from_flags(open_: bool, done: bool, dropped: bool, all_: bool) -> tuple[str, ...]:
    """``--open``/``--done``/``--dropped`` combine; ``--all`` is every status; none is open."""
    if all_:
        return ACTION_STATUSES
    chosen = [*(("open", "waiting") if open_ else ()), *(("done",) if done else ()),
              *(("dropped",) if dropped else ())]
    return tuple(chosen) or ("open", "waiting")
