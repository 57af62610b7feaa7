"""Minutes in the meeting file: the skeleton under each item, and actions synced to files.

``skeleton`` adds "### Verslag", "### Besluiten" and "### Acties" under every item that lacks
them (running it again adds nothing). ``sync`` turns each new task line of the minutes
(``- [ ] @Peter laat bila plannen (voor 2024-03-01)``) into an action file and writes the
new id into the line as ``<!-- id -->``, so a second sync creates nothing; a ticked line
closes its action, and a line whose action is done elsewhere gets ticked.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from idmeet.core.diagnostics import Diagnostic, IdmeetError
from idmeet.core.model import Action, ActionLine, AgendaItem, Meeting, Repository
from idmeet.core.names import normalize
from idmeet.edits import lifecycle
from idmeet.edits.lines import FileEdit
from idmeet.ops.actions import refuse_duplicate
from idmeet.ops.validate import name_problem
from idmeet.parser.body import part_of

PARTS = {"nl": ("Verslag", "Besluiten", "Acties"), "en": ("Minutes", "Decisions", "Actions")}
TICKED = {"nl": "afgevinkt in het verslag van {meeting}", "en": "ticked in the minutes of {meeting}"}
_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_TASK_BOX_RE = re.compile(r"^(\s*[-*+]\s+\[)([ xX])(\].*)$")


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
    names = PARTS.get(repo.config.language, PARTS["nl"])
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


def sync(repo: Repository, meeting: Meeting, today: dt.date) -> SyncReport:
    """Make the action files agree with the task lines of the meeting's minutes."""
    report = SyncReport()
    by_id = {a.id: a for a in repo.actions}
    tied = {line.action_id for item in meeting.items for line in item.actions if line.action_id}
    for action_id in sorted(tied & by_id.keys()):  # before any write: refuse an id two files share
        refuse_duplicate(repo, by_id[action_id])
    edit = FileEdit(repo.root / meeting.source.path, repo.root)  # file line n is edit.lines[n - 1]
    ticked = TICKED.get(repo.config.language, TICKED["nl"]).format(meeting=meeting.key)
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
