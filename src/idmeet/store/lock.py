"""One writer at a time per repository: an advisory lock (``flock``) on ``.idmeet-cache/lock``.

An edit reads a file, decides on what it read, and writes it back. Two idmeet processes doing
that at once would each write their own version and one update would be lost while both
report success. So every command that writes holds this lock from loading the repository
until its last write, and the library's edits take it around their read-compare-write too
(re-entrant: a process that holds it already just goes on). Concurrent idmeet commands
therefore edit one after the other; a command that cannot get the lock within a short wait
(``WAIT_SECONDS``, or ``$IDMEET_LOCK_WAIT``) is refused with one line and writes nothing.

Other programs (an editor, git) do not take the lock: for them the edit's own check stays
(``FileEdit.write`` refuses when the file changed on disk since it was read).
The lock file lives in the cache folder, which ignores itself in git (``.gitignore``: ``*``).
"""

from __future__ import annotations

import contextlib
import os
import random
import time
from collections.abc import Iterator
from pathlib import Path

from idmeet.core.diagnostics import IdmeetError
from idmeet.store.paths import CACHE_DIR

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX: no advisory locks, edits still check
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "lock"
WAIT_SECONDS = 10.0

_held: dict[str, list[int]] = {}  # repository (real path) -> [file descriptor, depth]
_kept: list[str] = []  # repositories held by ``hold`` until ``release_all``


def wait_seconds() -> float:
    """How long to wait for another idmeet command: ``$IDMEET_LOCK_WAIT`` or ``WAIT_SECONDS``."""
    try:
        return max(0.0, float(os.environ.get("IDMEET_LOCK_WAIT", WAIT_SECONDS)))
    except ValueError:
        return WAIT_SECONDS


def cache_folder(root: Path) -> Path:
    """The repository's cache folder, refused when it is a link (it could lead anywhere)."""
    folder = root / CACHE_DIR
    if folder.is_symlink():
        raise IdmeetError(
            f"{CACHE_DIR} is a symbolic link (to {os.readlink(folder)}): idmeet keeps its cache and lock "
            "only in a real folder inside the repository (remove the link; idmeet makes the folder again)"
        )
    return folder


def ensure_cache_folder(root: Path) -> Path:
    """Make the cache folder (not a link) with a ``.gitignore`` that keeps it out of git.

    A ``.gitignore`` that exists, even as a dangling link, is left alone: writing through a
    link would create a file wherever it points."""
    folder = cache_folder(root)
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not os.path.lexists(ignore):
        with contextlib.suppress(FileExistsError):
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            handle = os.open(ignore, flags, 0o644)
            try:
                os.write(handle, b"*\n")
            finally:
                os.close(handle)
    return folder


def acquire(root: Path, wait: float | None = None) -> None:
    """Take the repository's lock (or go one level deeper when this process holds it),
    waiting up to ``wait`` seconds (default ``wait_seconds()``) for another process."""
    key = os.path.realpath(root)
    if key in _held:
        _held[key][1] += 1
        return
    if fcntl is None:  # pragma: no cover
        _held[key] = [-1, 1]
        return
    path = Path(key) / CACHE_DIR / LOCK_NAME
    try:
        ensure_cache_folder(Path(key))
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        handle = os.open(path, flags, 0o644)
    except OSError as exc:
        raise IdmeetError(
            f"cannot lock the repository for writing ({path}: {exc.strerror or exc}); nothing was written"
        ) from None
    wait = wait_seconds() if wait is None else wait
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except OSError:
            if time.monotonic() >= deadline:
                os.close(handle)
                raise IdmeetError(
                    f"another idmeet command is changing this repository (it holds {path}); "
                    f"waited {wait:g} s, nothing was written: run the command again"
                ) from None
            time.sleep(0.005 + random.random() * 0.02)  # spread the retries
    _held[key] = [handle, 1]


def release(root: Path | str) -> None:
    """Give back one level of the lock; the last one unlocks."""
    key = os.path.realpath(root)
    entry = _held.get(key)
    if entry is None:
        return
    entry[1] -= 1
    if entry[1] > 0:
        return
    del _held[key]
    if entry[0] >= 0:
        os.close(entry[0])  # closing the descriptor releases the flock


@contextlib.contextmanager
def repository_lock(root: Path) -> Iterator[None]:
    """Hold the repository's lock for the ``with`` block."""
    acquire(root)
    try:
        yield
    finally:
        release(root)


def hold(root: Path) -> None:
    """Take the lock for the rest of a command (the CLI's guard calls ``release_all`` at its end)."""
    acquire(root)
    _kept.append(os.path.realpath(root))


def release_all() -> None:
    """Release what ``hold`` took."""
    while _kept:
        release(_kept.pop())


def try_acquire(root: Path) -> bool:
    """Take the lock if no other process holds it, without waiting; False otherwise."""
    try:
        acquire(root, wait=0)
    except IdmeetError:
        return False
    return True
