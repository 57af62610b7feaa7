"""The repository's files on disk: where it is, and which of its files hold what.

Kept light (no model, no parser), so that a command answered from a memo (``check``) can
list and stat the files without importing what loading them needs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from idmeet.core.diagnostics import Diagnostic, IdmeetError
from idmeet.store.paths import ACTIONS_DIR, CONFIG_FILE, PROPOSALS_DIR, find_root, md_names

# Top-level folders that never hold meetings.
RESERVED_DIRS = frozenset({ACTIONS_DIR, PROPOSALS_DIR, "templates", "docs", "attachments", "bijlagen"})


def find_repository(
    explicit: str | None = None, cwd: Path | None = None, environ: Mapping[str, str] | None = None
) -> Path:
    """The repository root: ``--repo``, then ``$IDMEET_REPO``, then the nearest folder at or
    above ``cwd`` holding ``idmeet.yaml``, then ``./meetings`` (the bundled example)."""
    root, error = find_root(explicit, str(cwd or Path.cwd()), os.environ if environ is None else environ)
    if root is None:
        raise IdmeetError(error)
    return Path(root)


def meeting_files(root: Path, odd: list[Diagnostic] | None = None) -> Iterator[str]:
    """Repository-relative paths of the meeting files: ``<folder>/<name>.md`` one level down.
    ``odd`` collects a problem for each ``.md`` name there that is not a file."""
    with os.scandir(root) as entries:
        folders = sorted(
            e.name for e in entries if e.is_dir() and not e.name.startswith((".", "_")) and e.name not in RESERVED_DIRS
        )
    for folder in folders:
        for name in _md_names(root, folder, odd):
            if name.lower() != "readme.md":
                yield f"{folder}/{name}"


def folder_files(root: Path, name: str, odd: list[Diagnostic] | None = None) -> Iterator[str]:
    """Repository-relative paths of the ``.md`` files in the folder ``name``; ``odd`` collects
    a problem when ``name`` is not a folder, or for an ``.md`` name in it that is not a file."""
    if odd is not None and os.path.lexists(root / name) and not os.path.isdir(root / name):
        odd.append(Diagnostic(name, 0, f"'{name}' must be a folder of .md files, not a file: move it away"))
    return (f"{name}/{file}" for file in _md_names(root, name, odd))


def _md_names(root: Path, folder: str, odd: list[Diagnostic] | None) -> list[str]:
    """``paths.md_names`` of a repository folder, with a problem in ``odd`` for each ``.md``
    name that is not a file (a folder, a link to nothing): never silently skipped."""
    if odd is None:
        return md_names(os.path.join(root, folder))
    found: list[tuple[str, str]] = []
    names = md_names(os.path.join(root, folder), found)
    odd.extend(Diagnostic(f"{folder}/{name}", 0, what) for name, what in found if name.lower() != "readme.md")
    return names


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


def disk_files(root: Path, odd: list[Diagnostic] | None = None) -> dict[str, list[str]]:
    """The repository's files on disk, by kind (as ``classify`` names them); ``odd`` collects
    a problem for each entry that looks like one of them but is not a file."""
    return {
        "config": [CONFIG_FILE] if (root / CONFIG_FILE).is_file() else [],
        "meeting": list(meeting_files(root, odd)),
        "action": list(folder_files(root, ACTIONS_DIR, odd)),
        "proposal": list(folder_files(root, PROPOSALS_DIR, odd)),
    }


def disk_paths(root: Path) -> list[str]:
    """The repository's paths on disk that ``classify`` knows."""
    return [rel for paths in disk_files(root).values() for rel in paths]
