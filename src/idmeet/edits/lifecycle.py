"""The life of an action: create, note, done, drop, wait, reopen, reassign, due.

Each operation checks the request against the loaded model, then makes the smallest
edit to the action's file (see ``edit.FileEdit``) and returns a sentence for the user.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from idmeet.core.diagnostics import IdmeetError, option
from idmeet.core.model import Action, ActionStatus, Repository, Source, meaning
from idmeet.core.names import is_redacted
from idmeet.core.words import LOG, pick
from idmeet.edits.lines import FileEdit, new_file_text, new_id
from idmeet.edits.write import atomic_write
from idmeet.ops.actions import refuse_duplicate, resolve_owner
from idmeet.ops.meetings import find_meeting, require_series
from idmeet.parser.yamlio import yaml_list, yaml_scalar
from idmeet.store.lock import repository_lock


@dataclass(frozen=True)
class Outcome:
    """What an operation did: a sentence, and whether a file changed."""

    message: str
    changed: bool = True


def _words(repo: Repository) -> Mapping[str, str]:
    return pick(LOG, repo.config.language)


def _path(repo: Repository, action: Action) -> FileEdit:
    """The action's file for editing, refused if it changed since the repository was loaded
    (the decision to edit was made on what was loaded)."""
    from idmeet.parser.records import parse_action

    refuse_duplicate(repo, action)
    edit = FileEdit(repo.root / action.source.path, repo.root)
    now, _ = parse_action(edit.original, action.source.path)
    if meaning(now) != meaning(action):
        raise IdmeetError(
            f"{action.source.path} changed on disk while idmeet was working; "
            "nothing was written (run the command again)"
        )
    return edit


def canonical_owners(repo: Repository, names: Sequence[str]) -> list[str]:
    """Each name as the person's full name (a redaction mark as written); unknown is an error."""
    if not names:
        raise IdmeetError(f"give an owner with {option('owner')} NAME")
    out = []
    for name in names:
        if is_redacted(name):
            out.append(name.strip())
            continue
        person = resolve_owner(repo, name).person
        assert person is not None
        if person.name not in out:
            out.append(person.name)
    return out


def add(
    repo: Repository,
    title: str,
    owners: Sequence[str],
    today: dt.date,
    due: dt.date | None = None,
    meeting: str | None = None,
    series: str | None = None,
    tags: Sequence[str] = (),
    note: str | None = None,
    item: str | None = None,
) -> Action:
    """Create ``actions/<id>.md`` and return the new action (as it will load).

    An action that arose in a meeting was opened on that meeting's date (so a due date
    soon after the meeting is not "before it was opened", and its age counts from the
    meeting); ``today`` is its opened date only without a meeting (or for one still to come).
    """
    title = " ".join(title.split())
    if not title:
        raise IdmeetError("the title is empty: give the action a title, e.g. 'Bila plannen met P&O'")
    names = canonical_owners(repo, owners)
    found = find_meeting(repo, meeting) if meeting else None
    meeting_key = found.key if found else None
    opened = min(found.date, today) if found else today  # a meeting still to come: today
    if series:
        require_series(repo, series)
    if meeting_key and series and meeting_key.split("/")[0] != series:
        raise IdmeetError(f"{option('series')} {series} disagrees with {option('meeting')} {meeting_key}")
    series = series or (meeting_key.split("/")[0] if meeting_key else None)
    fields = [
        ("title", yaml_scalar(title)),
        ("owner", yaml_scalar(names[0]) if len(names) == 1 else yaml_list(names)),
        ("status", "open"),
        ("opened", opened.isoformat()),
    ]
    if due:
        fields.append(("due", due.isoformat()))
    if meeting_key:
        fields.append(("meeting", meeting_key))
        if item:
            fields.append(("item", item if item.isalnum() else yaml_scalar(item)))
    if series:
        fields.append(("series", series))
    clean_tags = [t.strip() for t in tags if t.strip()]
    if clean_tags:
        fields.append(("tags", yaml_list(clean_tags)))
    with repository_lock(repo.root):  # the new id is checked against the files and written at once
        taken = {a.id for a in repo.actions} | {p.stem for p in (repo.root / "actions").glob("*.md")}
        action_id = new_id(taken)
        path = repo.root / "actions" / f"{action_id}.md"
        atomic_write(path, new_file_text([("id", action_id), *fields], note or ""), repo.root)
    return Action(
        action_id,
        title,
        tuple(names),
        "open",
        opened,
        due,
        meeting_key,
        item,
        series,
        tuple(clean_tags),
        (note or "").strip(),
        source=Source(f"actions/{action_id}.md", 1),
    )


def note(repo: Repository, action: Action, text: str, today: dt.date) -> Outcome:
    if not text.strip():
        raise IdmeetError("the note is empty")
    with repository_lock(repo.root):
        edit = _path(repo, action)
        edit.append_log(today, text)
        edit.write()
    return Outcome(f"{action.id}: note added")


def set_status(
    repo: Repository, action: Action, status: ActionStatus, today: dt.date, text: str | None = None
) -> Outcome:
    """done / dropped / waiting / open, with one log line; the same status changes nothing."""
    if action.status == status:
        return Outcome(f"{action.id} is already {status}; nothing changed", changed=False)
    if status in ("dropped", "waiting") and not (text and text.strip()):
        raise IdmeetError(f"say why with {option('note')} TEXT (the reason goes into the log of {action.id})")
    word = _words(repo)[status]
    with repository_lock(repo.root):
        edit = _path(repo, action)
        edit.set_scalar("status", status)
        edit.append_log(today, f"{word}: {text.strip()}" if text and text.strip() else word)
        edit.write()
    return Outcome(f"{action.id}: {action.status} -> {status}")


def reassign(repo: Repository, action: Action, owners: Sequence[str], today: dt.date) -> Outcome:
    names = canonical_owners(repo, owners)
    old = [repo.display_name(o) for o in action.owners]
    if names == old:
        return Outcome(f"{action.id} is already owned by {', '.join(names)}; nothing changed", False)
    with repository_lock(repo.root):
        edit = _path(repo, action)
        edit.set_list("owner", names)
        edit.append_log(today, _words(repo)["reassigned"].format(new=", ".join(names), old=", ".join(old)))
        edit.write()
    return Outcome(f"{action.id}: owner {', '.join(old)} -> {', '.join(names)}")


def set_due(repo: Repository, action: Action, due: dt.date, today: dt.date) -> Outcome:
    if action.due == due:
        return Outcome(f"{action.id} is already due {due.isoformat()}; nothing changed", False)
    words = _words(repo)
    old = action.due.isoformat() if action.due else words["no due"]
    with repository_lock(repo.root):
        edit = _path(repo, action)
        edit.set_scalar("due", due.isoformat(), after=("opened", "status"))
        edit.append_log(today, words["due"].format(new=due.isoformat(), old=old))
        edit.write()
    return Outcome(f"{action.id}: due {old} -> {due.isoformat()}")
