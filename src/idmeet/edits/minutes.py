"""Minutes in the meeting file: the skeleton under each item, and actions synced to files.

``skeleton`` adds "### Verslag", "### Besluiten" and "### Acties" under every item that lacks
them (running it again adds nothing). ``sync`` turns each new task line of the minutes
(``- [ ] @Peter laat bila plannen (voor 2024-03-01)``) into an action file and writes the
new id into the line as ``<!-- id -->``, so a second sync creates nothing; a ticked line
closes its action, and a line whose action is done elsewhere gets ticked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field

from idmeet.core.diagnostics import Diagnostic, IdmeetError
from idmeet.core.model import Action, ActionLine, AgendaItem, Meeting, Repository
from idmeet.core.names import normalize
from idmeet.core.words import LOG, MINUTES_PARTS, pick
from idmeet.edits import lifecycle
from idmeet.edits.lines import FileEdit
from idmeet.ops.actions import refuse_duplicate
from idmeet.ops.validate import name_problem
from idmeet.parser.body import part_of
from idmeet.parser.records import parse_action

_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_TASK_BOX_RE = re.compile(r"^(\s*[-*+]\s+\[)([ xX])(\].*)$")
_SYNCED_RE = re.compile(r"^synced\s*:\s*['\"]?([0-9a-f]+)")


def _item_ranges(edit: FileEdit) -> list[tuple[int, int]]:
    """(heading index, end index) of every ``## `` item in the body, in file lines."""
    starts = []
    for i in range(edit.close + 1, len(edit.lines)):
        match = _HEADING_RE.match(edit.lines[i])
        if match and len(match.group(1)) <= 2:
            starts.append((i, len(match.group(1))))
    ranges = []
    for k, (index, level) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(edit.lines)
        if level == 2:
            ranges.append((index, end))
    return ranges


def skeleton(repo: Repository, meeting: Meeting) -> int:
    """Add the missing minutes headings under every item; returns how many were added."""
    names = pick(MINUTES_PARTS, repo.config.language)
    kinds = ("notes", "decisions", "actions")
    edit = FileEdit(repo.root / meeting.source.path, repo.root)
    added = 0
    for index, end in reversed(_item_ranges(edit)):
        present = {
            part_of(m.group(2))
            for line in edit.lines[index + 1 : end]
            if (m := _HEADING_RE.match(line)) and len(m.group(1)) == 3
        }
        missing = [name for name, kind in zip(names, kinds) if kind not in present]
        if not missing:
            continue
        last = max((i for i in range(index, end) if edit.lines[i].strip()), default=index)
        block: list[str] = []
        for name in missing:
            block += ["", f"### {name}"]
        edit.lines[last + 1 : last + 1] = block
        added += len(missing)
    if added:
        edit.write()
    return added


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)


def _owners_key(repo: Repository, names: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(sorted(normalize(repo.display_name(n)) for n in names))


def _adoptable(
    repo: Repository, meeting: Meeting, item: AgendaItem, line: ActionLine, taken: set[str]
) -> Action | None:
    """An action file made from this line before (by an import or by hand), not tied yet."""
    for action in repo.actions:
        if (
            action.id not in taken
            and action.meeting == meeting.key
            and action.item in (None, item.number)
            and _owners_key(repo, action.owners) == _owners_key(repo, line.owners)
            and normalize(action.description.split("\n\n")[0]) == normalize(line.text)
        ):
            return action
    return None


def _first_paragraph(action: Action) -> str:
    return action.description.split("\n\n")[0]


def fingerprint(repo: Repository, text: str, owners: tuple[str, ...] | list[str], due: dt.date | None) -> str:
    """A short mark of what a task line says (text, owners, due), stored as ``synced:`` in the
    action file: comparing it with the line and with the action tells which side changed."""
    data = json.dumps([normalize(text), list(_owners_key(repo, owners)), due.isoformat() if due else ""])
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:10]


def _line_mark(repo: Repository, line: ActionLine) -> str:
    return fingerprint(repo, line.text, line.owners, line.due)


def _action_mark(repo: Repository, action: Action) -> str:
    return fingerprint(repo, _first_paragraph(action), action.owners, action.due)


def _stored_mark(edit: FileEdit) -> str | None:
    """The ``synced:`` value of an action file, None without one."""
    for i in range(1, edit.close):
        if match := _SYNCED_RE.match(edit.lines[i]):
            return match.group(1)
    return None


def _mark_synced(edit: FileEdit, mark: str) -> None:
    edit.set_scalar("synced", mark, after=("tags", "series", "item", "meeting", "due", "opened"))


def _set_first_paragraph(edit: FileEdit, text: str) -> None:
    """Replace the description's first paragraph (the task line's text) in the action's body."""
    start = edit.close + 1
    while start < len(edit.lines) and not edit.lines[start].strip():
        start += 1
    if start >= len(edit.lines) or re.match(r"^#{1,6}\s", edit.lines[start]):
        block = ["", text] + ([""] if start < len(edit.lines) else [])
        edit.lines[edit.close + 1 : start] = block
        edit.final_newline = True
        return
    end = start
    while end < len(edit.lines) and edit.lines[end].strip() and not re.match(r"^#{1,6}\s", edit.lines[end]):
        end += 1
    edit.lines[start:end] = [text]


def _carry(
    repo: Repository, meeting: Meeting, line: ActionLine, action: Action, today: dt.date
) -> tuple[FileEdit, list[str]] | None:
    """The edit that gives ``action`` what its changed task line now says, and what changed."""
    words = pick(LOG, repo.config.language)
    edit = FileEdit(repo.root / action.source.path, repo.root)
    said: list[str] = []
    if line.due != action.due:
        old = action.due.isoformat() if action.due else words["no due"]
        new = line.due.isoformat() if line.due else words["no due"]
        if line.due:
            edit.set_scalar("due", line.due.isoformat(), after=("opened", "status"))
        elif (index := edit._key_index("due")) is not None:
            del edit.lines[index : edit._continuation(index)]
            edit.close -= 1
        edit.append_log(today, words["due"].format(new=new, old=old))
        said.append(f"due {old} -> {new}")
    if _owners_key(repo, line.owners) != _owners_key(repo, action.owners):
        names = lifecycle.canonical_owners(repo, list(line.owners))
        old_names = ", ".join(repo.display_name(o) for o in action.owners)
        edit.set_list("owner", names)
        edit.append_log(today, words["reassigned"].format(new=", ".join(names), old=old_names))
        said.append(f"owner {old_names} -> {', '.join(names)}")
    if normalize(line.text) != normalize(_first_paragraph(action)):
        _set_first_paragraph(edit, " ".join(line.text.split()))
        text_words = pick(LOG, repo.config.language)["text changed"]
        edit.append_log(today, text_words.format(meeting=meeting.key, new=" ".join(line.text.split())))
        said.append("text")
    return (edit, said) if said else None


def _plan_edits(
    repo: Repository, meeting: Meeting, by_id: dict[str, Action], today: dt.date
) -> list[tuple[str, FileEdit, str]]:
    """For every tied task line: the action file edit that carries a change of the line.

    ``synced:`` in the action file is what the line said at the last sync. Only the line
    changed: the action takes it over (with a log line). Only the action changed (e.g. by
    ``idmeet action due``): left as it is. Both changed: an error at ``path:line``, raised
    before anything is written. An action file without ``synced:`` (tied by an older idmeet)
    counts its current values as the last sync, so a line that differs from it is carried."""
    planned: list[tuple[str, FileEdit, str]] = []
    conflicts: list[str] = []
    for item in meeting.items:
        for line in item.actions:
            action = by_id.get(line.action_id) if line.action_id else None
            if action is None:
                continue
            where = f"{meeting.source.path}:{line.source.line}"
            line_mark, action_mark = _line_mark(repo, line), _action_mark(repo, action)
            if line_mark == action_mark:
                continue
            stored = _stored_mark(FileEdit(repo.root / action.source.path, repo.root)) or action_mark
            if line_mark == stored:
                continue  # only the action changed since the last sync: leave both
            if action_mark != stored:
                conflicts.append(
                    f"{where}: the line and action {action.id} ({action.source.path}) both changed "
                    "since the last sync; make them agree by hand, then sync again"
                )
                continue
            carried = _carry(repo, meeting, line, action, today)
            if carried is not None:
                edit, said = carried
                _mark_synced(edit, line_mark)
                planned.append((action.id, edit, f"{action.id}: {', '.join(said)} (changed in {where})"))
    if conflicts:
        raise IdmeetError("; ".join(conflicts) if len(conflicts) == 1 else "\n".join(conflicts))
    return planned


def sync(repo: Repository, meeting: Meeting, today: dt.date) -> SyncReport:
    """Make the action files agree with the task lines of the meeting's minutes."""
    report = SyncReport()
    by_id = {a.id: a for a in repo.actions}
    tied = {line.action_id for item in meeting.items for line in item.actions if line.action_id}
    for action_id in sorted(tied & by_id.keys()):  # before any write: refuse an id two files share
        refuse_duplicate(repo, by_id[action_id])
    for action_id, action_edit, message in _plan_edits(repo, meeting, by_id, today):
        action_edit.write()
        report.changed.append(message)
        action_now, _ = parse_action(action_edit.path.read_bytes(), by_id[action_id].source.path)
        if action_now is not None:
            by_id[action_id] = action_now
    edit = FileEdit(repo.root / meeting.source.path, repo.root)  # file line n is edit.lines[n - 1]
    ticked = pick(LOG, repo.config.language)["ticked"].format(meeting=meeting.key)
    for item in meeting.items:
        for line in item.actions:
            index = line.source.line - 1
            where = f"{meeting.source.path}:{line.source.line}"
            unknown = [
                p
                for o in line.owners
                if (p := name_problem(repo, o, "owner", meeting.source.path, line.source.line)) is not None
            ]
            if unknown:
                report.problems.extend(unknown)
                continue
            action = by_id.get(line.action_id) if line.action_id else None
            if line.action_id and action is None:
                report.problems.append(
                    Diagnostic(
                        meeting.source.path,
                        line.source.line,
                        f"action '{line.action_id}' does not exist (its file "
                        "was removed?); remove the <!-- id --> to create it again",
                    )
                )
                continue
            if action is None:
                action = _adoptable(repo, meeting, item, line, tied)
                if action is not None:
                    report.changed.append(f"{where}: tied to existing action {action.id}")
                else:
                    action = lifecycle.add(
                        repo,
                        item.title,
                        list(line.owners),
                        today,
                        due=line.due,
                        meeting=meeting.key,
                        series=meeting.series,
                        note=line.text,
                        item=item.number,
                    )
                    report.created.append(
                        f"{action.id}: {item.title} ({' '.join('@' + o for o in line.owners)}) from {where}"
                    )
                tied.add(action.id)
                if _line_mark(repo, line) == _action_mark(repo, action):
                    new_edit = FileEdit(repo.root / action.source.path, repo.root)
                    _mark_synced(new_edit, _line_mark(repo, line))
                    new_edit.write()
                edit.lines[index] = f"{edit.lines[index].rstrip()} <!-- {action.id} -->"
            if line.done and action.is_open:
                outcome = lifecycle.set_status(repo, action, "done", today, ticked)
                report.changed.append(f"{outcome.message} (ticked in {where})")
            elif not line.done and action.status == "done":
                edit.lines[index] = _TASK_BOX_RE.sub(r"\1x\3", edit.lines[index], count=1)
                report.changed.append(f"{where}: ticked, as {action.id} is done")
    if edit.text().encode("utf-8") != edit.original:
        edit.write()
    return report


def require_writable(meeting: Meeting, problems: list[Diagnostic]) -> None:
    """Refuse to edit a meeting file that has errors of its own."""
    own = [p for p in problems if p.path == meeting.source.path and p.severity == "error"]
    if own:
        raise IdmeetError(
            f"{meeting.source.path} has problems, so idmeet will not edit it: {own[0].format()} (run 'idmeet check')"
        )
