"""The commands that print a document or an answer read from many files, without typer:
``new-agenda SERIES --dry-run``, ``report open-items``, ``report actions``, ``report
minutes`` and ``render`` (a document of one meeting), ``export`` as Markdown or HTML on stdout,
and ``search``. Typer's commands and the fast path (``cli/fast.py``) call these functions,
so both print the same; each answer is kept for the files as they are (``cli/kept.py``),
with the templates it was rendered through.

Each ``*_text`` function computes what its command prints (typer's command also uses it to
write ``--output FILE``); each ``print_*`` prints it, kept or computed, and returns the exit
code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from idmeet.cli.common import check_format, date_option, load_repo, today
from idmeet.cli.kept import Printed, answer

if TYPE_CHECKING:
    from pathlib import Path

    from idmeet.cli.kept import Computed
    from idmeet.core.model import Meeting, Repository
    from idmeet.store.snapshot import Survey


def print_new_agenda(repo_arg: str | None, series: str, date: str | None) -> int:
    """``idmeet new-agenda SERIES --dry-run``: the next agenda's file, its warnings, and one line
    when the repository has errors (as when it is written)."""
    requested = date_option(date, "--date")

    def compute(root: Path, found: Survey) -> Computed:
        from idmeet.edits.agenda import write_next
        from idmeet.ops.agenda import reads

        repo, problems, usable = load_repo(repo_arg, needs_config=True, pick_actions=reads(series), surveyed=found)
        made = write_next(repo, series, today(), requested, write=False)
        note = "".join(f"idmeet: warning: {warning}\n" for warning in made.warnings)
        return Printed(made.text, note or None), repo, problems, usable

    when = requested.isoformat() if requested else None
    return answer(repo_arg, ["new-agenda", series, when], compute, warnings="loaded", templates=True)


def open_items_text(
    repo_arg: str | None,
    series: str | None,
    owner: str | None,
    day: dt.date,
    format: str,
    surveyed: Survey | None = None,
) -> Computed:
    """``idmeet report open-items``: the open actions grouped by owner on ``day``, as Markdown,
    HTML or JSON."""
    import json

    from idmeet.ops.render import render
    from idmeet.ops.reports import open_items, open_items_reads, open_items_scope

    check_format(format, ("md", "html", "json"))
    repo, problems, usable = load_repo(
        repo_arg, with_meetings=False, pick_actions=open_items_reads(day, series), surveyed=surveyed
    )
    scope, who = open_items_scope(repo, series, owner)
    data = open_items(repo, scope, day, series, who)
    if format == "json":
        return Printed(json.dumps(data, ensure_ascii=False, indent=2) + "\n"), repo, problems, usable
    context = {**data, "as_of_date": day, "language": repo.config.language}
    return Printed(render(f"open-items.{format}.j2", context, repo.root, repo.config.language)), repo, problems, usable


def print_open_items(
    repo_arg: str | None, series: str | None, owner: str | None, as_of: str | None, format: str
) -> int:
    """``idmeet report open-items`` on stdout."""
    check_format(format, ("md", "html", "json"))
    day = date_option(as_of, "--as-of") or today()

    def compute(root: Path, found: Survey) -> Computed:
        return open_items_text(repo_arg, series, owner, day, format, found)

    args = ["open-items", series, owner, day.isoformat(), format]
    return answer(repo_arg, args, compute, warnings="loaded", templates=True)


def meeting_document_text(
    repo_arg: str | None, meeting: str, document: str, format: str, surveyed: Survey | None = None
) -> Computed:
    """``document`` ("agenda", "minutes", "actions") of one meeting as Markdown or HTML: the
    same as ``idmeet export`` makes (``export.documents.meeting_source``), the HTML without its
    print stylesheet."""
    from idmeet.ops.export.documents import meeting_source

    check_format(format, ("md", "html"))
    repo, problems, usable, found = meeting_for(repo_arg, meeting, document, surveyed)
    source = meeting_source(repo, found, document)
    return Printed(source.markdown if format == "md" else source.html), repo, problems, usable


def meeting_for(
    repo_arg: str | None, text: str, document: str, surveyed: Survey | None = None
) -> tuple[Repository, list[Any], bool, Meeting]:
    """Load the repository for a document about one meeting (agenda, minutes, actions) and find
    the meeting named by ``text``: from the snapshot, only the actions the document reads
    (``reports.meeting_document_reads``). Returns (repo, problems, config_usable, meeting)."""
    from idmeet.ops.meetings import find_meeting
    from idmeet.ops.reports import meeting_document_reads
    from idmeet.store.load import with_actions_of

    repo, problems, usable = load_repo(repo_arg, with_actions=False, surveyed=surveyed)
    found = find_meeting(repo, text, problems)
    reads = meeting_document_reads(document, found)
    if reads is not None:
        repo = with_actions_of(repo, reads)
    return repo, problems, usable, found


def print_meeting_document(repo_arg: str | None, document: str, meeting: str, format: str) -> int:
    """``document`` of one meeting on stdout (``render``, ``report minutes``, ``report
    actions``), with the problems of ``check`` as warnings."""
    check_format(format, ("md", "html"))

    def compute(root: Path, found: Survey) -> Computed:
        return meeting_document_text(repo_arg, meeting, document, format, found)

    return answer(repo_arg, [f"{document}-document", meeting, format], compute, templates=True)


@dataclass(frozen=True)
class Export:
    """What ``idmeet export`` is asked for: a document of a meeting (or the open-item report,
    ``meeting`` "open-items", with its ``series``, ``owner`` and ``as_of``) in a format."""

    meeting: str
    document: str = "agenda"
    format: str = "md"
    series: str | None = None
    owner: str | None = None
    as_of: str | None = None
    watermark: str | None = None

    def check(self) -> None:
        """A usage error (exit 2) for an unknown document or format."""
        from idmeet.core.diagnostics import IdmeetError
        from idmeet.ops.export.documents import DOCUMENTS, FORMATS

        check_format(self.format, FORMATS)
        if self.document not in DOCUMENTS:
            raise IdmeetError(f"unknown document '{self.document}' (use agenda, minutes or actions)", exit_code=2)


def export_text(
    repo_arg: str | None, asked: Export, surveyed: Survey | None = None
) -> tuple[Any, Repository, list[Any], bool]:
    """``idmeet export``: (the exported document, repo, problems, config usable)."""
    from idmeet.core.diagnostics import IdmeetError
    from idmeet.ops.export import documents

    asked.check()
    if asked.meeting == "open-items":
        from idmeet.ops.reports import open_items_reads

        day = date_option(asked.as_of, "--as-of") or today()
        repo, problems, usable = load_repo(
            repo_arg, with_meetings=False, pick_actions=open_items_reads(day, asked.series), surveyed=surveyed
        )
        result = documents.export_open_items(
            repo, day, asked.format, series=asked.series, owner=asked.owner, watermark=asked.watermark
        )
        return result, repo, problems, usable
    if asked.series or asked.owner or asked.as_of:
        raise IdmeetError("--series, --owner and --as-of are for 'idmeet export open-items'", exit_code=2)
    repo, problems, usable, found = meeting_for(repo_arg, asked.meeting, asked.document, surveyed)
    result = documents.export_meeting(repo, found, asked.document, asked.format, watermark=asked.watermark)
    return result, repo, problems, usable


def print_export(repo_arg: str | None, asked: Export) -> int:
    """``idmeet export`` as Markdown or HTML on stdout."""
    asked.check()
    day = date_option(asked.as_of, "--as-of") if asked.meeting == "open-items" else None

    def compute(root: Path, found: Survey) -> Computed:
        result, repo, problems, usable = export_text(repo_arg, asked, found)
        text = result.data.decode()
        return Printed(text if text.endswith("\n") else text + "\n"), repo, problems, usable

    when = day.isoformat() if day else asked.as_of
    args = ["export", asked.meeting, asked.document, asked.format, asked.series, asked.owner, when, asked.watermark]
    return answer(repo_arg, args, compute, warnings="loaded", templates=True)


def print_search(repo_arg: str | None, words: list[str], series: str | None, since: str | None, format: str) -> int:
    """``idmeet search WORDS``: the hits, ranked; exit code 1 when there is none (as grep),
    2 on an error."""
    from idmeet.core.diagnostics import IdmeetError

    try:
        from idmeet.cli.hits import FORMATS

        check_format(format, FORMATS)
        start = date_option(since, "--since")

        def compute(root: Path, found: Survey) -> Computed:
            return _search(repo_arg, words, series, start, format, found)

        args = ["search", tuple(words), series, start.isoformat() if start else None, format]
        return answer(repo_arg, args, compute)
    except IdmeetError as error:  # grep's convention: 1 is "nothing found", errors are 2
        raise IdmeetError(error.message, exit_code=max(2, error.exit_code)) from None


def _search(
    repo_arg: str | None, words: list[str], series: str | None, start: dt.date | None, format: str, found: Survey
) -> Computed:
    from idmeet.cli.hits import markdown, table
    from idmeet.ops.search import search
    from idmeet.store.load import searchable_actions

    repo, problems, usable = load_repo(repo_arg, with_actions=False, surveyed=found)  # the actions: those searched
    hits = search(repo, words, series, start, actions=searchable_actions(repo))
    if format == "json":
        from idmeet.store.summary import json_text

        out: str | None = json_text([h.as_dict() for h in hits]) + "\n"
    else:
        out = (markdown(hits) if format == "md" else table(hits)) if hits else None
    after = None if hits else f"idmeet: no matches for '{' '.join(words)}'\n"
    return Printed(out, after=after, code=0 if hits else 1), repo, problems, usable
