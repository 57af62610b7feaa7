"""``idmeet actions``: the query and its output, without typer, so that both the typer
command and the fast path (``cli/fast.py``) run exactly this code."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from idmeet.cli.common import check_format, date_option, load_repo, today, warn_if_broken
from idmeet.cli.output import print_found
from idmeet.core.diagnostics import IdmeetError
from idmeet.store.summary import json_text

if TYPE_CHECKING:
    from idmeet.core.model import Action, Repository
    from idmeet.store.cache import ActionSummary

FORMATS = ("table", "md", "json", "csv")


def list_actions(
    repo_arg: str | None,
    *,
    open_: bool = False,
    done: bool = False,
    dropped: bool = False,
    all_: bool = False,
    owner: str | None = None,
    series: str | None = None,
    meeting: str | None = None,
    tag: str | None = None,
    text: str | None = None,
    overdue: bool = False,
    due_before: str | None = None,
    due_after: str | None = None,
    as_of: str | None = None,
    sort: str = "due",
    limit: int | None = None,
    format: str = "table",
) -> None:
    """Run the query and print it; errors are ``IdmeetError``."""
    from idmeet.ops.actions import SORT_KEYS, ActionQuery, resolve_owner, statuses_from_flags
    from idmeet.ops.meetings import find_meeting, require_series

    check_format(format, FORMATS)
    if sort not in SORT_KEYS:
        raise IdmeetError(f"unknown sort '{sort}' (use {', '.join(SORT_KEYS)})", exit_code=2)
    day = today()
    dates = {
        "due_before": date_option(due_before, "--due-before"),
        "due_after": date_option(due_after, "--due-after"),
        "as_of": date_option(as_of, "--as-of"),
    }
    meeting_key = None
    if meeting is not None:  # the meeting must exist: that needs the meetings loaded once
        repo, problems, _ = load_repo(repo_arg)
        meeting_key = find_meeting(repo, meeting, problems).key
    made: list[ActionQuery] = []

    def prepare(configured: Repository) -> Callable[[ActionSummary], bool]:
        """Build the query once names are resolved against idmeet.yaml, then let the loader
        skip what cannot match."""
        query = ActionQuery(
            statuses=statuses_from_flags(open_, done, dropped, all_),
            owner=resolve_owner(configured, owner) if owner is not None else None,
            series=require_series(configured, series).key if series is not None else None,
            meeting=meeting_key,
            tag=tag,
            text=text,
            overdue=overdue,
            sort=sort,
            limit=limit,
            today=day,
            **dates,
        )
        made.append(query)
        return query.keep()

    repo, problems, _ = load_repo(repo_arg, with_meetings=False, keep_action=prepare)
    query = made[0]
    found = query.run(repo)
    if format == "csv":
        _csv(repo, list(found), query.as_of)
    elif format == "json" and query.as_of:  # status and last update as they were then
        print(json_text(_dicts(repo, list(found), query.as_of)))
    else:
        print_found(format, found.summaries, repo.full_names, query.filter.day)
    warn_if_broken(repo, problems)


def _dicts(repo: Repository, actions: list[Action], as_of: dt.date | None = None) -> list[dict[str, Any]]:
    from idmeet.ops.actions import action_as_dict

    return [action_as_dict(repo, a, as_of) for a in actions]


def _csv(repo: Repository, actions: list[Action], as_of: dt.date | None) -> None:
    import csv

    from idmeet.ops.actions import CSV_KEYS

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(CSV_KEYS)
    for row in _dicts(repo, actions, as_of):
        writer.writerow(
            ["; ".join(v) if isinstance(v, list) else ("" if v is None else v) for v in (row[k] for k in CSV_KEYS)]
        )
