"""An edit of one action without loading the repository: ``idmeet action note ID TEXT``.

The regular way (``lifecycle.note``) loads every action from the cache, which on 10,000
actions costs far more than the edit. This one decides on what ``action.warm`` says of the
action files (their names and stamps; written when none had a problem and every id was its
file's name), checks each file's stamp, parses only the files that are not as it says, and
then edits the one file as ``lifecycle.note`` does: under the repository's lock, with
``FileEdit``'s check that the file did not change while it was being edited, atomically.

It answers only when the answer is certainly the regular one: idmeet.yaml's cache entry is
trusted and without problems, ``actions/`` holds exactly the files the warm file names, every
file parsed here is without problems and named after its id, and the id (or the start of
one) means exactly one action. Anything else returns None before anything is written, and
the regular way answers (with its errors, suggestions and refusals).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from idmeet.core.rules import id_prefix
from idmeet.store import warm
from idmeet.store.lock import repository_lock
from idmeet.store.paths import ACTIONS_DIR, find_root, read_file

MAX_CHANGED = 32  # action files changed since the warm file was written that are parsed here


def note(repo_arg: str | None, action_id: str, text: str, today: dt.date) -> str | None:
    """Add ``- <today>: <text>`` to the log of the action ``action_id`` means and return the
    sentence for the user; None (nothing written) when the regular way has to answer."""
    wanted = id_prefix(action_id)
    if not wanted or not text.strip():
        return None
    root, _ = find_root(repo_arg, os.getcwd(), os.environ)
    if root is None:
        return None
    with repository_lock(Path(root)):
        rel = _target(root, wanted)
        if rel is None:
            return None
        from idmeet.edits.lines import FileEdit
        from idmeet.parser.records import parse_action

        edit = FileEdit(Path(root) / rel, Path(root))
        action, problems = parse_action(edit.original, rel)
        if action is None or problems or f"{ACTIONS_DIR}/{action.id}.md" != rel:
            return None  # changed since its stamp was taken: the regular way decides
        edit.append_log(today, text)
        edit.write()
    return f"{action.id}: note added"


def _target(root: str, wanted: str) -> str | None:
    """The action file (``actions/<id>.md``) the id or its start ``wanted`` means, when the
    warm file and the files that changed since say so for certain; else None."""
    if warm.config_view(root) is None:  # idmeet.yaml unreadable, changed or with a problem
        return None
    found = warm.changed_files(root, summaries=False)  # the names and stamps are enough
    if found is None or not found[0].get("named") or len(found[2]) > MAX_CHANGED:
        return None
    header, _, changed = found
    names: list[str] = header["names"]  # "<id>.md", sorted: every id is its file's name
    if changed:
        from idmeet.parser.records import parse_action

        for at in changed:
            rel = f"{ACTIONS_DIR}/{names[at]}"
            try:
                data = read_file(root, rel)
            except OSError:
                return None
            action, problems = parse_action(data, rel)
            if action is None or problems or f"{action.id}.md" != names[at]:
                return None
    if f"{wanted}.md" in names:  # file names are unique, so ids (each its file's name) are too
        return f"{ACTIONS_DIR}/{wanted}.md"
    candidates = [name for name in names if name[:-3].startswith(wanted)]
    return f"{ACTIONS_DIR}/{candidates[0]}" if len(candidates) == 1 else None
