"""``idmeet check``: every problem of the repository, answered from a memo while no file changed.

Light on purpose: while the memo holds (``store.snapshot``), the answer needs only a listing
and a ``stat`` of every file, not the model, the parser or the checks, which are imported
only when the repository has to be loaded and validated.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from idmeet.core.diagnostics import Diagnostic
from idmeet.store import snapshot


@dataclass(frozen=True)
class CheckReport:
    """What ``idmeet check`` reports: how many meetings and actions, and every problem of
    loading and of validation, idmeet.yaml's first, then by path and line."""

    meetings: int
    actions: int
    problems: tuple[Diagnostic, ...]

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)


def check_repository(root: Path) -> CheckReport:
    """Load and validate the whole repository at ``root``. The report is kept as a memo: while
    no file changed (nor any file it looked at), the next check answers without loading."""
    found = snapshot.survey(root)
    kept = snapshot.recall(root, found, "check")
    if isinstance(kept, tuple) and len(kept) == 3 and all(isinstance(n, int) for n in kept[:2]):
        problems = snapshot.as_problems(kept[2])
        if problems is not None:
            return CheckReport(kept[0], kept[1], tuple(problems))
    from idmeet.ops.validate import checked
    from idmeet.store.cache import ParseCache, save_aside
    from idmeet.store.load import config_is_usable, load

    caches: list[ParseCache] = []
    repo, loaded = load(root, surveyed=found, aside=caches)
    saved = save_aside(caches)  # a first run: written by another process while the checks run
    try:
        problems, seen = checked(repo, config_is_usable(loaded))
    finally:
        saved()
    every = set(loaded + problems)
    ordered = sorted(every, key=lambda p: (p.path != "idmeet.yaml", p.path, p.line, p.message))
    report = CheckReport(len(repo.meetings), len(repo.actions), tuple(ordered))
    kept = (report.meetings, report.actions, snapshot.kept_problems(ordered))
    snapshot.remember(root, found, "check", kept, seen)
    return report
