"""Items proposed for a coming meeting (``idmeet propose``), kept as files until an agenda takes them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from idmeet.core.diagnostics import IdmeetError
from idmeet.core.model import CATEGORY_WORDS, Proposal, Repository
from idmeet.core.names import is_redacted, normalize
from idmeet.core.words import CONFIDENTIAL
from idmeet.edits.lines import FileEdit, new_file_text, new_id
from idmeet.edits.write import atomic_write
from idmeet.ops.meetings import require_series
from idmeet.parser.yamlio import yaml_scalar
from idmeet.store.lock import repository_lock


def propose(
    repo: Repository,
    series_key: str,
    title: str,
    today: dt.date,
    for_date: dt.date | None = None,
    category: str | None = None,
    attachments: Sequence[str] = (),
    confidential: bool = False,
    questions: Sequence[str] = (),
    by: str | None = None,
) -> str:
    """Write ``proposals/<id>.md``; returns the path relative to the repository."""
    from idmeet.ops.actions import resolve_owner

    series = require_series(repo, series_key)
    title = " ".join(title.split())
    if not title:
        raise IdmeetError("the title is empty: say what the item is about")
    if category is not None:
        found = CATEGORY_WORDS.get(normalize(category))
        if found is None:
            raise IdmeetError(
                f"unknown category '{category}' (use mededeling, ter bespreking, ter besluitvorming or ter kennisname)"
            )
        category = found
    by_name = None
    if by:
        by_name = by.strip() if is_redacted(by) else resolve_owner(repo, by).person.name  # type: ignore[union-attr]
    fields = [
        ("series", series.key),
        ("title", yaml_scalar(title)),
        ("proposed", today.isoformat()),
    ]
    if by_name:
        fields.append(("by", yaml_scalar(by_name)))
    if for_date:
        fields.append(("for", for_date.isoformat()))
    if category:
        fields.append(("category", category))
    marker = f" ({CONFIDENTIAL})" if confidential else ""
    if attachments:
        fields.append(
            (
                "attachments",
                "\n" + "\n".join(f"  - {yaml_scalar(a.strip() + marker)}" for a in attachments if a.strip()),
            )
        )
    if questions:
        fields.append(("questions", "\n" + "\n".join(f"  - {yaml_scalar(q.strip())}" for q in questions if q.strip())))
    with repository_lock(repo.root):  # the new id is checked against the files and written at once
        taken = {p.id for p in repo.proposals} | {p.stem for p in (repo.root / "proposals").glob("*.md")}
        proposal_id = new_id(taken)
        rel = f"proposals/{proposal_id}.md"
        atomic_write(repo.root / rel, new_file_text([("id", proposal_id), *fields], ""), repo.root)
    return rel


def mark_taken(repo: Repository, proposal: Proposal, meeting_key: str) -> None:
    """Record that the agenda of ``meeting_key`` took the proposal (one added line)."""
    edit = FileEdit(repo.root / proposal.source.path, repo.root)
    edit.set_scalar("taken", meeting_key)
    edit.write()
