"""What changed in the repository between two git revisions, in words (``idmeet diff``).

Both sides are loaded through the same parser as the working tree: a revision's files are
read with ``git cat-file --batch`` and never checked out, so the working tree is untouched.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from idmeet.core.diagnostics import IdmeetError
from idmeet.core.model import Action, AgendaItem, LogEntry, Meeting, Proposal, Repository, meaning
from idmeet.core.words import ATTACHMENT
from idmeet.store.listing import classify
from idmeet.store.load import load

WORKTREE = None  # a side of the comparison that is the working tree


def _git(root: Path, *args: str, data: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], input=data, capture_output=True, check=False)
    except FileNotFoundError:
        raise IdmeetError("git is not installed: idmeet diff needs it") from None
    if done.returncode != 0:
        raise subprocess.CalledProcessError(done.returncode, args, done.stdout, done.stderr)
    return done.stdout


@dataclass(frozen=True)
class GitRepo:
    top: Path  # the git work tree's root
    prefix: str  # the meeting repository's folder inside it, "" or "meetings/"

    @classmethod
    def at(cls, root: Path) -> GitRepo:
        try:
            top = _git(root, "rev-parse", "--show-toplevel").decode().strip()
            prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
        except subprocess.CalledProcessError:
            raise IdmeetError(
                f"{root} is not in a git repository: idmeet diff compares git "
                "revisions (run 'git init' and commit first)"
            ) from None
        return cls(Path(top), prefix)

    def commit(self, rev: str) -> str:
        try:
            return _git(self.top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()
        except subprocess.CalledProcessError:
            raise IdmeetError(f"unknown revision '{rev}' (try HEAD, HEAD~1, a branch or a commit)") from None

    def files(self, commit: str) -> dict[str, bytes]:
        """The repository's files at ``commit``, by repository-relative path."""
        listing = _git(self.top, "ls-tree", "-r", "-z", "--name-only", commit, "--", self.prefix or ".")
        paths = [p.decode() for p in listing.split(b"\0") if p]
        wanted = [p[len(self.prefix) :] for p in paths if p.startswith(self.prefix)]
        wanted = [p for p in wanted if classify(p)]
        if not wanted:
            return {}
        request = b"".join(f"{commit}:{self.prefix}{p}\n".encode() for p in wanted)
        out = _git(self.top, "cat-file", "--batch", data=request)
        files: dict[str, bytes] = {}
        pos = 0
        for rel in wanted:
            end = out.index(b"\n", pos)
            header = out[pos:end].split()
            pos = end + 1
            if len(header) < 3 or header[1] != b"blob":
                continue
            size = int(header[2])
            files[rel] = out[pos : pos + size]
            pos += size + 1
        return files


def load_side(git: GitRepo, root: Path, rev: str | None) -> Repository:
    if rev is WORKTREE:
        return load(root)[0]
    files = git.files(git.commit(rev))
    return load(root, paths=sorted(files), read=files.__getitem__)[0]


@dataclass
class Changes:
    old: str
    new: str
    items: list[dict[str, Any]] = field(default_factory=list)

    def add(self, kind: str, text: str, **facts: Any) -> None:
        self.items.append({"type": kind, "text": text, **facts})


def _meetings(changes: Changes, before: dict[str, Meeting], after: dict[str, Meeting]) -> None:
    for key in sorted(after.keys() - before.keys()):
        changes.add("meeting_added", f"meeting {key} added ({len(after[key].items)} items)", meeting=key)
    for key in sorted(before.keys() - after.keys()):
        changes.add("meeting_removed", f"meeting {key} removed", meeting=key)
    for key in sorted(before.keys() & after.keys()):
        old, new = before[key], after[key]
        if old.status != new.status:
            changes.add(
                "meeting_status",
                f"meeting {key}: status {old.status} -> {new.status}",
                meeting=key,
                old=old.status,
                new=new.status,
            )
        old_items = {i.number: i for i in old.items}
        new_items = {i.number: i for i in new.items}
        for number, item in new_items.items():
            if number not in old_items:
                changes.add(
                    "item_added",
                    f"meeting {key}: item {number}. {item.title} added",
                    meeting=key,
                    item=number,
                    title=item.title,
                )
            elif old_items[number].title != item.title:
                changes.add(
                    "item_renamed",
                    f"meeting {key}: item {number} renamed '{old_items[number].title}' -> '{item.title}'",
                    meeting=key,
                    item=number,
                    old=old_items[number].title,
                    new=item.title,
                )
        for number, item in old_items.items():
            if number not in new_items:
                changes.add(
                    "item_removed",
                    f"meeting {key}: item {number}. {item.title} removed",
                    meeting=key,
                    item=number,
                    title=item.title,
                )
        old_decisions = {(i.number, d.text) for i in old.items for d in i.decisions}
        for item in new.items:
            for decision in item.decisions:
                if (item.number, decision.text) not in old_decisions:
                    changes.add(
                        "decision_added",
                        f"meeting {key}: item {item.number}: decision: {decision.text}",
                        meeting=key,
                        item=item.number,
                        decision=decision.text,
                    )
        _meeting_header(changes, key, old, new)
        for number in [n for n in new_items if n in old_items]:
            _item(changes, key, old_items[number], new_items[number])


_HEADER_WORDS = {
    "start": "start",
    "end": "end",
    "location": "location",
    "minute_taker": "minute-taker",
    "chair": "chair",
    "title": "title",
}
_ITEM_STATUS_WORDS = {
    "uitgesteld": "deferred (Status: uitgesteld)",
    "niet besproken": "not discussed (Status: niet besproken)",
    "besproken": "discussed (Status: besproken)",
}


def _quoted(value: object) -> str:
    return "none" if value in (None, "", ()) else f"'{value}'"


def _meeting_header(changes: Changes, key: str, old: Meeting, new: Meeting) -> None:
    """Who was invited or present, and the other header fields."""
    for field_name, word in (("invitees", "invitee"), ("attendees", "attendee")):
        was, now = getattr(old, field_name), getattr(new, field_name)
        for name in [n for n in now if n not in was]:
            changes.add(f"meeting_{word}_added", f"meeting {key}: {word} {name} added", meeting=key, name=name)
        for name in [n for n in was if n not in now]:
            changes.add(f"meeting_{word}_removed", f"meeting {key}: {word} {name} removed", meeting=key, name=name)
    for field_name, word in _HEADER_WORDS.items():
        was, now = getattr(old, field_name), getattr(new, field_name)
        if was != now:
            changes.add(
                "meeting_changed",
                f"meeting {key}: {word} {_quoted(was)} -> {_quoted(now)}",
                meeting=key,
                field=field_name,
                old=was,
                new=now,
            )


def _item(changes: Changes, key: str, old: AgendaItem, new: AgendaItem) -> None:
    """Every change of meaning in an item that is on both sides (its decisions added are named
    already); what has no words of its own is named by what changed."""
    before = len(changes.items)
    where = f"meeting {key}: item {new.number}. {new.title}"

    def say(kind: str, text: str, **facts: Any) -> None:
        changes.add(kind, f"{where}: {text}", meeting=key, item=new.number, **facts)

    if old.status != new.status:
        text = _ITEM_STATUS_WORDS.get(new.status or "", "status removed")
        say("item_status", text, old=old.status, new=new.status)
    for name in ("category", "duration", "section"):
        if getattr(old, name) != getattr(new, name):
            say("item_changed", f"{name} {_quoted(getattr(old, name))} -> {_quoted(getattr(new, name))}", field=name)
    for kind, was, now in (
        (
            "attachment",
            [(a.label, a.title, a.confidential) for a in old.attachments],
            [(a.label, a.title, a.confidential) for a in new.attachments],
        ),
        ("question", [q.text for q in old.questions], [q.text for q in new.questions]),
    ):
        for added in [x for x in now if x not in was]:
            shown = f"{ATTACHMENT} {added[0]}: {added[1]}" if isinstance(added, tuple) else added
            say(f"item_{kind}_added", f"{kind} added: {shown}", value=shown)
        for removed in [x for x in was if x not in now]:
            shown = f"{ATTACHMENT} {removed[0]}: {removed[1]}" if isinstance(removed, tuple) else removed
            say(f"item_{kind}_removed", f"{kind} removed: {shown}", value=shown)
    if old.text != new.text:
        say("item_text", "agenda text changed")
    if old.notes != new.notes:
        if not old.notes.strip():
            say("item_minutes_added", f"minutes added: {_first_words(new.notes)}", notes=new.notes)
        elif not new.notes.strip():
            say("item_minutes_removed", "minutes removed")
        else:
            say("item_minutes_changed", f"minutes changed: {_first_words(new.notes)}", notes=new.notes)
    for decision in [d.text for d in old.decisions if d.text not in {x.text for x in new.decisions}]:
        say("decision_removed", f"decision removed: {decision}", decision=decision)
    _action_lines(say, old, new)
    if len(changes.items) == before and meaning(old) != meaning(new):
        fields = [f for f, v in meaning(new).items() if meaning(old)[f] != v]
        say("item_changed", f"{', '.join(fields)} changed", fields=fields)


def _first_words(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _action_lines(say: Any, old: AgendaItem, new: AgendaItem) -> None:
    """Action lines of the minutes added, removed, ticked or unticked."""

    def key(line: Any) -> tuple[Any, ...]:
        return (line.owners, line.text, line.due)

    was = {key(line): line for line in old.actions}
    now = {key(line): line for line in new.actions}
    for k, line in now.items():
        owners = " ".join("@" + o for o in line.owners)
        if k not in was:
            say("item_action_line_added", f"action line added: {owners} {line.text}", line=f"{owners} {line.text}")
        elif line.done != was[k].done:
            word = "ticked" if line.done else "unticked"
            say(f"item_action_line_{word}", f"action line {word}: {owners} {line.text}")
    for k, line in was.items():
        if k not in now:
            owners = " ".join("@" + o for o in line.owners)
            say("item_action_line_removed", f"action line removed: {owners} {line.text}")


def _proposals(changes: Changes, old_repo: Repository, new_repo: Repository) -> None:
    before: dict[str, Proposal] = {p.id: p for p in old_repo.proposals}
    after: dict[str, Proposal] = {p.id: p for p in new_repo.proposals}
    for key in sorted(after.keys() - before.keys()):
        p = after[key]
        changes.add("proposal_added", f"proposal {key} added for {p.series}: {p.title}", id=key, title=p.title)
    for key in sorted(before.keys() - after.keys()):
        changes.add("proposal_removed", f"proposal {key} removed: {before[key].title}", id=key)
    for key in sorted(before.keys() & after.keys()):
        old, new = before[key], after[key]
        if old.taken != new.taken:
            text = f"taken by {new.taken}" if new.taken else f"no longer taken by {old.taken}"
            changes.add("proposal_taken", f"proposal {key} ({new.title}) {text}", id=key, old=old.taken, new=new.taken)
        rest_old, rest_new = meaning(old), meaning(new)
        fields = [f for f, v in rest_new.items() if f != "taken" and rest_old[f] != v]
        if fields:
            changes.add("proposal_changed", f"proposal {key} ({new.title}): {', '.join(fields)} changed", id=key)


def _who(repo: Repository, action: Action) -> str:
    return ", ".join(repo.display_name(o) for o in action.owners)


def _actions(changes: Changes, old_repo: Repository, new_repo: Repository) -> None:
    before = {a.id: a for a in old_repo.actions}
    after = {a.id: a for a in new_repo.actions}
    for key in sorted(after.keys() - before.keys()):
        a = after[key]
        due = f", due {a.due.isoformat()}" if a.due else ""
        changes.add(
            "action_opened",
            f"action {key} opened: {a.title} ({_who(new_repo, a)}{due})",
            id=key,
            title=a.title,
            owner=_who(new_repo, a),
            status=a.status,
        )
    for key in sorted(before.keys() - after.keys()):
        changes.add("action_removed", f"action {key} removed: {before[key].title}", id=key)
    for key in sorted(before.keys() & after.keys()):
        old, new = before[key], after[key]
        if old.status != new.status:
            kind = {"done": "action_closed", "dropped": "action_dropped", "waiting": "action_waiting"}.get(
                new.status, "action_reopened"
            )
            word = {
                "action_closed": "closed",
                "action_dropped": "dropped",
                "action_waiting": "waiting",
                "action_reopened": "reopened",
            }[kind]
            changes.add(kind, f"action {key} {word}: {new.title}", id=key, old=old.status, new=new.status)
        if _who(old_repo, old) != _who(new_repo, new):
            changes.add(
                "action_reassigned",
                f"action {key} reassigned: {_who(old_repo, old)} -> {_who(new_repo, new)}",
                id=key,
                old=_who(old_repo, old),
                new=_who(new_repo, new),
            )
        if old.due != new.due:
            was = old.due.isoformat() if old.due else "none"
            now = new.due.isoformat() if new.due else "none"
            changes.add("action_due", f"action {key} due date {was} -> {now}", id=key, old=was, new=now)
        if old.title != new.title:
            changes.add("action_renamed", f"action {key} renamed '{old.title}' -> '{new.title}'", id=key)
        _log_lines(changes, key, "log_added", "log", old.log, new.log)
        rest_old, rest_new = meaning(old), meaning(new)
        fields = [
            f for f, v in rest_new.items() if f not in ("status", "owners", "due", "title", "log") and rest_old[f] != v
        ]
        _log_lines(changes, key, "log_removed", "log line removed", new.log, old.log)
        if fields:
            changes.add("action_changed", f"action {key}: {', '.join(fields)} changed", id=key, fields=fields)


def compare(old: Repository, new: Repository, old_name: str, new_name: str) -> Changes:
    changes = Changes(old_name, new_name)
    _meetings(changes, {m.key: m for m in old.meetings}, {m.key: m for m in new.meetings})
    _actions(changes, old, new)
    _proposals(changes, old, new)
    return changes


def diff(root: Path, rev1: str | None, rev2: str | None) -> Changes:
    """Changes from ``rev1`` (default HEAD) to ``rev2`` (default: the working tree)."""
    git = GitRepo.at(root)
    old_rev = rev1 or "HEAD"
    old = load_side(git, root, old_rev)
    new = load_side(git, root, rev2)
    return compare(old, new, old_rev, rev2 or "the working tree")


def as_markdown(changes: Changes) -> str:
    lines = [f"# Changes from {changes.old} to {changes.new}", ""]
    if not changes.items:
        return "\n".join([*lines, "No changes to meetings or actions."]) + "\n"
    groups = (
        ("Meetings", "meeting_", "item_"),
        ("Decisions", "decision_"),
        ("Actions", "action_", "log_"),
        ("Proposals", "proposal_"),
    )
    for title, *prefixes in groups:
        rows = [c for c in changes.items if c["type"].startswith(tuple(prefixes))]
        if rows:
            lines += [f"## {title}", "", *(f"- {c['text']}" for c in rows), ""]
    return "\n".join(lines)


def _log_lines(
    changes: Changes, key: str, kind: str, words: str, before: tuple[LogEntry, ...], after: tuple[LogEntry, ...]
) -> None:
    """Name each log line of ``after`` that ``before`` does not have (added, or with the
    arguments swapped, removed)."""
    had = {(e.date, e.text) for e in before}
    for entry in after:
        if (entry.date, entry.text) not in had:
            day = entry.date.isoformat()
            changes.add(kind, f"action {key} {words}: {day}: {entry.text}", id=key, date=day, log=entry.text)
