"""``idmeet new-agenda`` as one call: the next agenda of a series, rendered from its
template, written (unless only shown), and the proposals it took marked as taken."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from idmeet.core.diagnostics import IdmeetError
from idmeet.core.model import Repository, Series
from idmeet.edits.proposals import mark_taken
from idmeet.edits.write import atomic_write
from idmeet.ops import agenda
from idmeet.ops.meetings import require_series
from idmeet.ops.render import pick, render


class AgendaExists(IdmeetError):
    """The meeting file of the new agenda is there already; ``path`` is repository-relative."""

    def __init__(self, path: str) -> None:
        super().__init__(f"{path} exists already: edit it, or have it overwritten")
        self.path = path


@dataclass(frozen=True)
class NewAgenda:
    """What ``write_next`` made: the draft (items, actions, proposals taken), the file's text,
    where it goes (``target``), whether it was written, and warnings about the date."""

    draft: agenda.Draft
    text: str
    target: Path
    written: bool

    @property
    def warnings(self) -> list[str]:
        return self.draft.warnings

    @property
    def carried(self) -> int:
        """How many items the previous meeting deferred or did not discuss."""
        return sum(item.origin == "carried" for item in self.draft.items)


def template_names(series: Series) -> list[str]:
    """The templates an agenda of ``series`` may use, the first that exists wins."""
    return [*([series.template] if series.template else []), f"agenda-{series.key}.md.j2", "agenda.md.j2"]


def write_next(
    repo: Repository,
    series: str,
    today: dt.date,
    date: dt.date | None = None,
    *,
    force: bool = False,
    write: bool = True,
) -> NewAgenda:
    """The next agenda of ``series`` on ``date`` (default: the cadence's next date): built,
    rendered and, with ``write``, written and its proposals marked as taken. An existing
    meeting file is refused (``AgendaExists``) unless ``force``; without ``write`` nothing
    is checked against the disk or changed."""
    chosen = require_series(repo, series)
    day, warnings = agenda.choose_date(repo, chosen, date, today)
    draft = agenda.build(repo, chosen, day, warnings)
    target = repo.root / draft.path
    if write and not force and target.exists():
        raise AgendaExists(draft.path)
    text = render(pick(template_names(chosen), repo.root), agenda.context(repo, draft), repo.root, repo.config.language)
    if write:
        atomic_write(target, text, repo.root)
        for proposal in draft.proposals:
            if proposal.taken != draft.key:
                mark_taken(repo, proposal, draft.key)
    return NewAgenda(draft, text, target, write)
