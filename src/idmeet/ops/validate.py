"""Checks across files, after loading: a list of small functions, each yielding problems.

Per-file problems (YAML, types, dates) are found while parsing; the checks here need the
whole repository: names against the people, meetings against the series, ids against
each other.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from idmeet.core.diagnostics import Diagnostic
from idmeet.core.model import Repository
from idmeet.core.names import is_redacted, normalize, suggest
from idmeet.core.words import ATTACHMENT
from idmeet.parser.records import ID_RE
from idmeet.store.paths import within

Check = Callable[[Repository], Iterable[Diagnostic]]


def _all_names(repo: Repository) -> list[str]:
    return [name for p in repo.config.people for name in (p.name, *p.aliases)]


def name_problem(repo: Repository, name: str, what: str, path: str, line: int) -> Diagnostic | None:
    """A problem when ``name`` is neither a person (name or alias) nor a redaction mark."""
    if is_redacted(name) or repo.find_person(name) is not None:
        return None
    hint = suggest(name, _all_names(repo))
    if not hint and not repo.config.people:
        hint = " (add the person to 'people' in idmeet.yaml)"
    return Diagnostic(path, line, f"unknown {what} '{name}'{hint}")


def check_people(repo: Repository) -> Iterator[Diagnostic]:
    """Full names and aliases are unique, so every name means one person."""
    seen: dict[str, str] = {}
    for person in repo.config.people:
        for name in (person.name, *person.aliases):
            key = normalize(name)
            if key in seen and seen[key] != person.name:
                yield Diagnostic(
                    person.source.path,
                    person.source.line,
                    f"name '{name}' is used for both '{seen[key]}' and '{person.name}'",
                )
            elif key in seen and name == person.name:
                yield Diagnostic(person.source.path, person.source.line, f"person '{name}' is listed twice")
            seen.setdefault(key, person.name)


def check_series_names(repo: Repository) -> Iterator[Diagnostic]:
    for series in repo.config.series:
        path = series.source.path
        for key, name in (("chair", series.chair), ("minute_taker", series.minute_taker)):
            if name:
                problem = name_problem(repo, name, key.replace("_", "-"), path, series.line_of(key))
                if problem:
                    yield problem
        for i, name in enumerate(series.invitees):
            problem = name_problem(repo, name, "invitee", path, series.line_of(f"invitees.{i}"))
            if problem:
                yield problem


def check_meeting_paths(repo: Repository) -> Iterator[Diagnostic]:
    """A meeting lives at ``<series>/<date>.md`` and says so in its frontmatter."""
    for meeting in repo.meetings:
        path = PurePosixPath(meeting.source.path)
        folder, stem = path.parent.name, path.stem
        if stem != meeting.date.isoformat():
            yield Diagnostic(
                meeting.source.path,
                meeting.line_of("date"),
                f"date {meeting.date.isoformat()} disagrees with the file name "
                f"'{path.name}' (rename the file to {meeting.date.isoformat()}.md)",
            )
        if folder != meeting.series and repo.config.get_series(meeting.series) is not None:
            yield Diagnostic(
                meeting.source.path,
                meeting.line_of("series"),
                f"series '{meeting.series}' disagrees with the folder '{folder}/' (move the file to {meeting.series}/)",
            )


def check_meeting_series(repo: Repository) -> Iterator[Diagnostic]:
    known = [s.key for s in repo.config.series]
    for meeting in repo.meetings:
        if meeting.series not in known:
            yield Diagnostic(
                meeting.source.path,
                meeting.line_of("series"),
                f"unknown series '{meeting.series}'{_series_hint(meeting.series, known)}",
            )


def _series_hint(key: str, known: list[str]) -> str:
    hint = suggest(key, known)
    if hint:
        return hint
    return f" (known: {', '.join(known)})" if known else " (define it under 'series' in idmeet.yaml)"


def check_meeting_names(repo: Repository) -> Iterator[Diagnostic]:
    for meeting in repo.meetings:
        path = meeting.source.path
        for key in ("invitees", "attendees"):
            for i, name in enumerate(getattr(meeting, key)):
                what = "invitee" if key == "invitees" else "attendee"
                problem = name_problem(repo, name, what, path, meeting.line_of(f"{key}.{i}"))
                if problem:
                    yield problem
        for key in ("minute_taker", "chair"):
            name = getattr(meeting, key)
            if name:
                problem = name_problem(repo, name, key.replace("_", "-"), path, meeting.line_of(key))
                if problem:
                    yield problem
        for item in meeting.items:
            for line in item.actions:
                for owner in line.owners:
                    problem = name_problem(repo, owner, "owner", path, line.source.line)
                    if problem:
                        yield problem


def _stem(path: str) -> str:
    """``PurePosixPath(path).stem`` without making a path object (10,000 actions: 40 ms less)."""
    name = path.rpartition("/")[2]
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def check_ids(repo: Repository) -> Iterator[Diagnostic]:
    """An action's (or proposal's) id is its file name, and no two share one."""
    for kind, records in (("action", repo.actions), ("proposal", repo.proposals)):
        first: dict[str, str] = {}
        for record in records:
            path = record.source.path
            stem = _stem(path)
            if record.id != stem and ID_RE.match(record.id):
                yield Diagnostic(
                    path,
                    record.line_of("id"),
                    f"id '{record.id}' disagrees with the file name '{stem}.md' "
                    "(the id and the file name must be equal)",
                )
            if record.id in first:
                yield Diagnostic(
                    path, record.line_of("id"), f"duplicate {kind} id '{record.id}' (also in {first[record.id]})"
                )
            first.setdefault(record.id, path)


def check_proposals(repo: Repository) -> Iterator[Diagnostic]:
    """A proposal names a known series and person; a taken one names a meeting of it."""
    known_series = [s.key for s in repo.config.series]
    for proposal in repo.proposals:
        path = proposal.source.path
        if proposal.series not in known_series:
            hint = _series_hint(proposal.series, known_series)
            yield Diagnostic(path, proposal.line_of("series"), f"unknown series '{proposal.series}'{hint}")
        if proposal.by:
            problem = name_problem(repo, proposal.by, "person", path, proposal.line_of("by"))
            if problem:
                yield problem
        if proposal.taken and proposal.taken.split("/")[0] != proposal.series:
            yield Diagnostic(
                path, proposal.line_of("taken"), f"'taken' names a meeting of another series: '{proposal.taken}'"
            )


def check_action_refs(repo: Repository) -> Iterator[Diagnostic]:
    """Owners are people (or redacted), the series exists, the origin meeting exists."""
    known_series = [s.key for s in repo.config.series]
    meetings = {m.key: m for m in repo.meetings}
    for action in repo.actions:
        path = action.source.path
        for i, owner in enumerate(action.owners):
            problem = name_problem(repo, owner, "owner", path, action.line_of(f"owner.{i}"))
            if problem:
                yield problem
        if action.series and action.series not in known_series:
            where = action.line_of("series" if "series" in action.key_lines else "meeting")
            hint = _series_hint(action.series, known_series)
            yield Diagnostic(path, where, f"unknown series '{action.series}'{hint}")
        if (
            action.meeting and action.meeting not in meetings and not is_file_seen(repo.root / f"{action.meeting}.md")
        ):  # unreadable: reported already
            yield Diagnostic(
                path,
                action.line_of("meeting"),
                f"origin meeting '{action.meeting}' does not exist (no file {action.meeting}.md)",
            )
        origin = meetings.get(action.meeting or "")
        if origin and action.item and action.item not in {i.number for i in origin.items}:
            yield Diagnostic(
                path, action.line_of("item"), f"item {action.item} does not exist in meeting '{action.meeting}'"
            )
        if action.meeting and action.series and action.meeting.split("/")[0] != action.series:
            yield Diagnostic(
                path,
                action.line_of("series"),
                f"series '{action.series}' disagrees with the meeting '{action.meeting}'",
            )
        if action.due and action.due < action.opened:
            yield Diagnostic(
                path,
                action.line_of("due"),
                f"due date {action.due.isoformat()} is before the opened date {action.opened.isoformat()}",
                "warning",
            )


def check_moved_meetings(repo: Repository) -> Iterator[Diagnostic]:
    """A moved meeting keeps the calendar identity of its first date: no other meeting of the
    series may be on that date, nor claim to be moved from it too."""
    dates = {(m.series, m.date) for m in repo.meetings}
    claimed: dict[tuple[str, object], str] = {}
    for meeting in sorted(repo.meetings, key=lambda m: m.key):
        if meeting.moved_from is None:
            continue
        line = meeting.line_of("moved_from")
        original = (meeting.series, meeting.moved_from)
        if original in dates:
            yield Diagnostic(
                meeting.source.path,
                line,
                f"moved_from {meeting.moved_from.isoformat()}: {meeting.series}/{meeting.moved_from.isoformat()}.md "
                "still exists (delete or rename it when a meeting moves)",
            )
        elif original in claimed:
            yield Diagnostic(
                meeting.source.path,
                line,
                f"moved_from {meeting.moved_from.isoformat()}: {claimed[original]} was moved from that date too",
            )
        claimed.setdefault(original, meeting.key)


def check_woo_grounds(repo: Repository) -> Iterator[Diagnostic]:
    """Withheld spans ``{lak G}...{/lak}`` paired and with a known ground; attachment grounds known."""
    from idmeet.ops.publish.grounds import ground_problems

    return ground_problems((*repo.meetings, *repo.actions, *repo.proposals))


def attachment_file(repo: Repository, meeting_path: str, link: str) -> tuple[Path | None, str | None]:
    """The file an attachment links (relative to the meeting file), or why it cannot be used:
    (path, None) when it is there, (None, reason) when not."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", link, re.IGNORECASE) or link.startswith("#"):
        return None, f"links '{link}', not a file of the repository"
    if link.startswith(("/", "\\")):
        return None, f"links '{link}': write the path relative to the meeting file"
    folder = (repo.root / meeting_path).parent
    target = folder / unquote(link)
    if within(str(repo.root), str(target)) is None:
        return None, f"links '{link}', outside the repository"
    if not is_file_seen(target):
        return None, f"links '{link}', which does not exist"
    return target, None


def check_attachment_files(repo: Repository) -> Iterator[Diagnostic]:
    """An attachment that links its file (``Bijlage 2a: [title](bijlagen/...)``): the file exists."""
    for meeting in sorted(repo.meetings, key=lambda m: m.source.path):
        for item in meeting.items:
            for attachment in item.attachments:
                if attachment.link is None:
                    continue
                _, problem = attachment_file(repo, meeting.source.path, attachment.link)
                if problem:
                    yield Diagnostic(
                        attachment.source.path or meeting.source.path,
                        attachment.source.line,
                        f"{ATTACHMENT} {attachment.label} {problem}",
                    )


CONFIG_CHECKS: tuple[Check, ...] = (check_people, check_series_names)
FILE_CHECKS: tuple[Check, ...] = (
    check_meeting_paths,
    check_ids,
    check_moved_meetings,
    check_woo_grounds,
    check_attachment_files,
)
CROSS_CHECKS: tuple[Check, ...] = (check_meeting_series, check_meeting_names, check_action_refs, check_proposals)


# The paths outside the repository's own files that the checks looked at (an attachment's
# file, the file of a meeting that did not load), noted by ``is_file_seen`` while ``checked``
# runs: a memo of the answer holds only while they are as they were.
_seen: list[str] = []


def is_file_seen(path: Path) -> bool:
    """``path.is_file()``, noted for the memo of the answer (``checked``)."""
    _seen.append(str(path))
    return path.is_file()


def checked(repo: Repository, config_usable: bool = True) -> tuple[list[Diagnostic], list[str]]:
    """Every check's problems, and the paths outside the repository's files they looked at."""
    checks = (*CONFIG_CHECKS, *FILE_CHECKS, *(CROSS_CHECKS if config_usable else ()))
    _seen.clear()
    problems = [problem for check in checks for problem in check(repo)]
    seen = list(_seen)
    _seen.clear()
    return problems, seen


def validate(repo: Repository, config_usable: bool = True) -> list[Diagnostic]:
    """Run every check; the cross-checks need a readable idmeet.yaml.

    For a repository loaded from disk the answer is kept as a memo (``store.snapshot``) and
    given again while every file, and every file it looked at outside them, is unchanged."""
    from idmeet.store import snapshot

    loaded = snapshot.survey_of(repo)
    name = f"validate-{int(config_usable)}-{int(loaded.with_meetings) if loaded else 0}"
    if loaded is not None:
        kept = snapshot.as_problems(snapshot.recall(repo.root, loaded.survey, name))
        if kept is not None:
            return kept
        if not loaded.complete:  # loaded without its actions: the checks need them all
            from idmeet.store.load import load

            whole, _ = load(repo.root, with_meetings=loaded.with_meetings, surveyed=loaded.survey)
            return validate(whole, config_usable)
    problems, seen = checked(repo, config_usable)
    if loaded is not None:
        snapshot.remember(repo.root, loaded.survey, name, snapshot.kept_problems(problems), seen)
    return problems
