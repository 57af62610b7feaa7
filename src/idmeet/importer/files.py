"""``idmeet import`` as one call: read the documents, turn each into files, check the lot
against the repository and write it, all or nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from idmeet.core.diagnostics import Diagnostic, IdmeetError
from idmeet.core.model import Repository
from idmeet.importer.core import ImportResult, import_document
from idmeet.importer.plan import Change, check_import, plan_import, write_import
from idmeet.importer.read import read_source
from idmeet.ops.meetings import require_series
from idmeet.store.load import config_is_usable


@dataclass(frozen=True)
class ImportOutcome:
    """What an import made (per document its result, per file the change) and, when nothing
    was written although asked, why (``error``: unknown names, a check that fails, a write
    that fails). ``written``: the files are on disk."""

    results: tuple[ImportResult, ...]
    changes: tuple[Change, ...]
    unknown: tuple[str, ...]  # "name in document"
    error: IdmeetError | None
    written: bool


def import_files(
    repo: Repository,
    problems: list[Diagnostic],
    files: Sequence[Path],
    series: str,
    today: dt.date,
    *,
    year: int | None = None,
    force: bool = False,
    write: bool = True,
) -> ImportOutcome:
    """Import ``files`` (agendas or action lists of ``series``) into the repository that was
    loaded with ``problems``. A date without a year takes ``year``; a meeting file that exists
    and differs is overwritten only with ``force``; without ``write`` nothing is written.
    Errors in the documents or the arguments are raised before anything is written."""
    if not config_is_usable(problems):
        raise IdmeetError("idmeet.yaml cannot be read, so names and series cannot be checked: run 'idmeet check'")
    require_series(repo, series)
    dates = [m.date for m in repo.meetings if m.series == series]
    results = [
        import_document(
            read_source(path),
            series,
            repo.config,
            year=year,
            today=today,
            existing=repo.actions,
            source=str(path),
            series_dates=dates,
        )
        for path in files
    ]
    unknown = tuple(f"{name} in {r.source}" for r in results for name in r.unknown_names)
    changes = plan_import(repo, results, force)
    error = None
    if unknown:
        error = IdmeetError(
            f"unknown name(s): {'; '.join(unknown)}: add them to 'people' in idmeet.yaml "
            "(or as an alias), then import again; nothing was written"
        )
    else:
        try:
            check_import(repo, problems, changes)
            if write:
                write_import(repo.root, changes)
        except IdmeetError as exc:
            error = exc
    return ImportOutcome(tuple(results), tuple(changes), unknown, error, write and error is None)
