"""Where a repository is and which files it has, with ``os`` alone.

Kept free of pathlib and of idmeet's model, so the warm query (``warm.py``) can use it
before anything heavy is imported; ``load.py`` builds on the same functions.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing itself costs milliseconds at start; mypy reads this as True
if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

CONFIG_FILE = "idmeet.yaml"
ACTIONS_DIR = "actions"
PROPOSALS_DIR = "proposals"
CACHE_DIR = ".idmeet-cache"
REPO_OPTION = "\u27e8repo\u27e9"  # diagnostics.option("repo"), without importing dataclasses here


def find_root(explicit: str | None, cwd: str, environ: Mapping[str, str]) -> tuple[str | None, str]:
    """(root, "") or (None, the error's one line). ``--repo``, then ``$IDMEET_REPO``, then
    the nearest folder at or above ``cwd`` holding ``idmeet.yaml``, then ``./meetings``."""
    for given, origin in ((explicit, REPO_OPTION), (environ.get("IDMEET_REPO"), "IDMEET_REPO")):
        if given:
            root = os.path.realpath(os.path.join(cwd, given))
            if not os.path.isfile(os.path.join(root, CONFIG_FILE)):
                return None, (
                    f"{given}: not an idmeet repository (no {CONFIG_FILE} there; "
                    f"given by {origin}); create one with 'idmeet init {given}'"
                )
            return root, ""
    folder = cwd
    while True:
        if os.path.isfile(os.path.join(folder, CONFIG_FILE)):
            return folder, ""
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    bundled = os.path.join(cwd, "meetings")
    if os.path.isfile(os.path.join(bundled, CONFIG_FILE)):
        return bundled, ""
    return None, (
        f"no idmeet repository found: no {CONFIG_FILE} in {cwd} or above it; "
        f"pass {REPO_OPTION} DIR, set IDMEET_REPO, or create one with 'idmeet init'"
    )


def md_names(folder: str, odd: list[tuple[str, str]] | None = None) -> list[str]:
    """The ``.md`` files of a folder, sorted (os.scandir: no stat per file). ``odd`` collects
    (name, what is wrong) for each ``.md`` name that is not a file: a folder, a link to nothing."""
    try:
        with os.scandir(folder) as entries:
            names = []
            for entry in entries:
                if entry.name.endswith(".md"):
                    if entry.is_file():
                        names.append(entry.name)
                    elif odd is not None:
                        odd.append((entry.name, _what(entry)))
    except OSError:
        return []
    names.sort()
    return names


def _what(entry: os.DirEntry[str]) -> str:
    if entry.is_dir():
        return "is a folder, not a file: rename or remove it"
    if entry.is_symlink():
        return f"is a symbolic link to '{os.readlink(entry.path)}', which does not exist: fix or remove it"
    return "is not a regular file: remove it"


def within(root: str, path: str) -> str | None:
    """The real path of ``path`` (every symbolic link followed) when it stays inside the
    repository ``root``; None when a link leads out of it."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return real if real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep) else None


def read_file(root: str | Path, rel: str) -> bytes:
    """The bytes of a repository file (os.open and os.read: a third of ``Path.read_bytes``'s cost).

    Reading stops a byte past ``MAX_FILE_BYTES``: the parser refuses a file that large, and a
    huge file must not fill the memory first."""
    from idmeet.core.limits import MAX_FILE_BYTES  # (here: the warm query never reads a file)

    handle = os.open(os.path.join(root, rel), os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        chunks = [os.read(handle, 1 << 16)]
        total = len(chunks[0])
        while len(chunks[-1]) == 1 << 16 and total <= MAX_FILE_BYTES:
            chunks.append(os.read(handle, 1 << 16))
            total += len(chunks[-1])
        return b"".join(chunks)
    finally:
        os.close(handle)
