"""Checking imported files against the repository, and writing them: all of them or none.

Everything is rendered before anything is written. A meeting file that exists is left alone
when it is byte for byte what the import makes ("unchanged": re-importing is idempotent),
and otherwise refused unless ``force``. An action file that exists is never overwritten:
it may have been closed or logged since it was imported.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from idmeet.core.diagnostics import Diagnostic, IdmeetError, option
from idmeet.core.model import Action, Meeting, Repository
from idmeet.importer.core import ImportResult


@dataclass(frozen=True)
class Change:
    rel: str  # repository-relative path
    text: str | None
    state: str  # "new", "overwrite", "unchanged", "kept", "tied"
    detail: str = ""

    @property
    def writes(self) -> bool:
        return self.state in ("new", "overwrite")


def plan_import(repo: Repository, results: list[ImportResult], force: bool) -> list[Change]:
    """What writing the results would do; refuses (before anything is written) to overwrite."""
    changes: list[Change] = []
    meetings: dict[str, str] = {}
    for result in results:
        if result.meeting_path in meetings:
            raise IdmeetError(
                f"{meetings[result.meeting_path]} and {result.source} are both the meeting "
                f"{result.meeting_key}: import them one at a time"
            )
        meetings[result.meeting_path] = result.source
        changes.append(_meeting_change(repo.root, result, force))
        for action in result.actions:
            if action.text is None:
                changes.append(Change(action.path, None, "tied", f"tied to the existing action {action.id}"))
                continue
            target = repo.root / action.path
            if not target.exists():
                changes.append(Change(action.path, action.text, "new"))
            elif target.read_bytes() == action.text.encode("utf-8"):
                changes.append(Change(action.path, action.text, "unchanged"))
            else:
                changes.append(Change(action.path, None, "kept", "changed since it was imported; left as it is"))
    return changes


def _meeting_change(root: Path, result: ImportResult, force: bool) -> Change:
    target = root / result.meeting_path
    if not target.exists():
        return Change(result.meeting_path, result.meeting_text, "new")
    if target.read_bytes() == result.meeting_text.encode("utf-8"):
        return Change(result.meeting_path, result.meeting_text, "unchanged")
    if not force:
        raise IdmeetError(
            f"{result.meeting_path} exists already and differs from the import of {result.source}: "
            f"nothing was written; run again with {option('force')} to overwrite it"
        )
    return Change(result.meeting_path, result.meeting_text, "overwrite")


def check_import(repo: Repository, problems: list[Diagnostic], changes: list[Change]) -> None:
    """Refuse when the repository with the imported files would have errors it has not now."""
    from idmeet.ops.validate import validate
    from idmeet.parser.records import parse_action, parse_meeting

    new_meetings: dict[str, Meeting] = {}
    new_actions: dict[str, Action] = {}
    found: list[Diagnostic] = []
    for change in changes:
        if not change.writes or change.text is None:
            continue
        data = change.text.encode("utf-8")
        if change.rel.startswith("actions/"):
            action, parsed = parse_action(data, change.rel)
            if action is not None:
                new_actions[action.id] = action
        else:
            meeting, parsed = parse_meeting(data, change.rel)
            if meeting is not None:
                new_meetings[meeting.key] = meeting
        found += parsed
    meetings = tuple(m for m in repo.meetings if m.key not in new_meetings) + tuple(new_meetings.values())
    actions = tuple(a for a in repo.actions if a.id not in new_actions) + tuple(new_actions.values())
    after = replace(repo, meetings=meetings, actions=actions)
    before = {(p.path, p.message) for p in [*problems, *validate(repo)] if p.severity == "error"}
    written = {c.rel for c in changes if c.writes}
    fresh = [
        p
        for p in [*found, *validate(after)]
        if p.severity == "error" and ((p.path in written) or (p.path, p.message) not in before)
    ]
    if fresh:
        first = fresh[0]
        more = f" (and {len(fresh) - 1} more)" if len(fresh) > 1 else ""
        raise IdmeetError(f"the import would not pass 'idmeet check': {first.format()}{more}; nothing was written")


def write_import(root: Path, changes: list[Change]) -> None:
    """Write the new and overwritten files; if one fails, undo the others."""
    from idmeet.edits.write import atomic_write

    done: list[tuple[Path, bytes | None]] = []
    try:
        for change in changes:
            if not change.writes or change.text is None:
                continue
            target = root / change.rel
            previous = target.read_bytes() if target.exists() else None
            atomic_write(target, change.text, root)
            done.append((target, previous))
    except OSError as exc:
        for target, previous in reversed(done):
            if previous is None:
                target.unlink(missing_ok=True)
            else:
                atomic_write(target, previous.decode("utf-8"), root)
        raise IdmeetError(f"cannot write {exc.filename or 'the files'}: {exc.strerror}; nothing was written") from None
