"""Find a repository, read its files, and assemble the model: returns ``(repo, problems)``.

Loading never raises on bad user data: every problem becomes a ``Diagnostic``. Only a
missing repository (nothing to load at all) is an ``IdmeetError``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TypeVar

from idmeet.diagnostics import Diagnostic, IdmeetError
from idmeet.model import Action, Config, Meeting, Proposal, Repository

CONFIG_FILE = "idmeet.yaml"
ACTIONS_DIR = "actions"
PROPOSALS_DIR = "proposals"
# Top-level folders that never hold meetings.
RESERVED_DIRS = frozenset({ACTIONS_DIR, PROPOSALS_DIR, "templates", "docs", "attachments", "bijlagen"})

T = TypeVar("T")


def find_repository(explicit: str | None = None, cwd: Path | None = None,
                    environ: Mapping[str, str] | None = None) -> Path:
    """The repository root: ``--repo``, then ``$IDMEET_REPO``, then the nearest folder at or
    above ``cwd`` holding ``idmeet.yaml``, then ``./meetings`` (the bundled example)."""
    cwd = cwd or Path.cwd()
    environ = os.environ if environ is None else environ
    for given, origin in ((explicit, "--repo"), (environ.get("IDMEET_REPO"), "IDMEET_REPO")):
        if given:
            root = (cwd / given).resolve()
            if not (root / CONFIG_FILE).is_file():
                raise IdmeetError(f"{given}: not an idmeet repository (no {CONFIG_FILE} there; "
                                  f"given by {origin}); create one with 'idmeet init {given}'")
            return root
    for folder in (cwd, *cwd.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    if (cwd / "meetings" / CONFIG_FILE).is_file():
        return cwd / "meetings"
    raise IdmeetError(f"no idmeet repository found: no {CONFIG_FILE} in {cwd} or above it; "
                      "pass --repo DIR, set IDMEET_REPO, or create one with 'idmeet init'")


def meeting_files(root: Path) -> Iterator[str]:
    """Repository-relative paths of the meeting files: ``<folder>/<name>.md`` one level down."""
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or folder.name.startswith((".", "_")) or folder.name in RESERVED_DIRS:
            continue
        for file in sorted(folder.iterdir()):
            if file.suffix == ".md" and file.is_file() and file.name.lower() != "readme.md":
                yield f"{folder.name}/{file.name}"


def folder_files(root: Path, name: str) -> Iterator[str]:
    """Repository-relative paths of the ``.md`` files in the folder ``name``."""
    folder = root / name
    if folder.is_dir():
        for file in sorted(folder.iterdir()):
            if file.suffix == ".md" and file.is_file():
                yield f"{name}/{file.name}"


def classify(rel: str) -> str | None:
    """What a repository path holds: "config", "action", "proposal", "meeting", or None."""
    parts = rel.split("/")
    if parts == [CONFIG_FILE]:
        return "config"
    if len(parts) != 2 or not parts[1].endswith(".md") or parts[1].lower() == "readme.md":
        return None
    folder = parts[0]
    if folder == ACTIONS_DIR:
        return "action"
    if folder == PROPOSALS_DIR:
        return "proposal"
    if folder.startswith((".", "_")) or folder in RESERVED_DIRS:
        return None
    return "meeting"


def disk_paths(root: Path) -> list[str]:
    """The repository's paths on disk that ``classify`` knows."""
    paths = [CONFIG_FILE] if (root / CONFIG_FILE).is_file() else []
    paths += [*meeting_files(root), *folder_files(root, ACTIONS_DIR), *folder_files(root, PROPOSALS_DIR)]
    return paths


Reader = Callable[[str], bytes]


def _parse_all(paths: list[str], read: Reader,
               parse: Callable[[bytes, str], tuple[T | None, list[Diagnostic]]],
               problems: list[Diagnostic]) -> list[T]:
    records = []
    for rel in paths:
        try:
            data = read(rel)
        except OSError as exc:
            problems.append(Diagnostic(rel, 0, f"cannot read the file: {exc.strerror}"))
            continue
        record, found = parse(data, rel)
        problems.extend(found)
        if record is not None:
            records.append(record)
    return records


def load(root: Path, with_meetings: bool = True, paths: list[str] | None = None,
         read: Reader | None = None) -> tuple[Repository, list[Diagnostic]]:
    """Read every file of the repository at ``root`` into a ``Repository``.

    ``paths`` and ``read`` default to the files on disk; ``idmeet diff`` passes a git revision's.
    Files that cannot be used are left out of the model and reported in the problems.
    """
    paths = disk_paths(root) if paths is None else paths
    read = read or (lambda rel: (root / rel).read_bytes())
    kinds: dict[str | None, list[str]] = {}
    for rel in paths:
        kinds.setdefault(classify(rel), []).append(rel)
    from idmeet.parse import parse_action, parse_config, parse_meeting, parse_proposal  # not when cached

    problems: list[Diagnostic] = []
    configs = _parse_all(kinds.get("config", []), read, parse_config, problems)
    if not kinds.get("config"):
        problems.append(Diagnostic(CONFIG_FILE, 0, "cannot read the file: it does not exist"))
    meetings: list[Meeting] = []
    proposals: list[Proposal] = []
    if with_meetings:
        meetings = _parse_all(kinds.get("meeting", []), read, parse_meeting, problems)
        proposals = _parse_all(kinds.get("proposal", []), read, parse_proposal, problems)
    actions: list[Action] = _parse_all(kinds.get("action", []), read, parse_action, problems)
    meetings.sort(key=lambda m: (m.series, m.date))
    config = configs[0] if configs else Config(organisation="")
    return Repository(root, config, tuple(meetings), tuple(actions), tuple(proposals)), problems


def config_is_usable(problems: list[Diagnostic]) -> bool:
    """False when idmeet.yaml itself could not be read, so cross-checks would only add noise."""
    return not any(p.path == CONFIG_FILE and p.severity == "error" and
                   (p.message.startswith(("invalid YAML", "empty file", "not UTF-8", "cannot read",
                                          "idmeet.yaml must be")))
                   for p in problems)
