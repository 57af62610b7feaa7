"""A cache of parsed files in ``.idmeet-cache/`` (git-ignored), so large repositories load fast.

An entry is used only while its file has the same size, modification time, change time and
inode as when it was parsed (what git compares); otherwise the file is parsed again. As git
does for its index, an entry whose file was modified within two seconds before the cache was
written is not trusted ("racy": a second change in the same clock tick could keep size and
time). A cache written by another
version of idmeet, or one that cannot be read, is ignored and rebuilt. Each cache file is
checked when it is read: the index ends in its checksum, ``action.warm`` has one for its header and one
for each summary (checked when that summary is used), the index holds
the data file's, and a record must unpickle to the kind it stands for (``load._parse_all``
parses the file again otherwise). A cache can make idmeet slower, never wrong: the files
always win.

Each entry holds the parse result (record and problems, pickled) and, for actions, a
summary that a query can test, sort and print without unpickling the record (see
``ActionSummary`` and ``store/summary.py``); for idmeet.yaml, what a query needs of the people and
series. ``warm.py`` answers ``idmeet actions`` from these alone.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import pickle
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from idmeet.store import complete
from idmeet.store.paths import CACHE_DIR
from idmeet.store.warm import build, checksum, frame, index_paths, patch, read_index, schema, seal, trusted

__all__ = ["CACHE_DIR", "ActionSummary", "ParseCache", "interned", "save_aside", "summarize", "summary_of"]

JOURNAL_CHANGES = 64  # files changed since the last save that a save appends (more: written whole)
JOURNAL_BYTES = 1 << 20  # a journal longer than this is folded into a new index and data file


class ActionSummary(NamedTuple):
    """What a query filters on, sorts by and prints, kept beside each cached action; the
    fields in ``summary``'s order (``summary.STATUS`` ...)."""

    status: str
    owners: tuple[str, ...]  # normalised (names.normalize)
    series: str | None
    meeting: str | None
    tags: tuple[str, ...]  # normalised
    due: int  # date ordinal, 0 for none
    opened: int
    closed: int  # ordinal of the closing log line, 0 for none
    id: str
    title: str
    written: tuple[str, ...]  # the owners as written
    redacted: tuple[bool, ...]  # per owner: a redaction mark?
    tags_written: tuple[str, ...]
    opened_iso: str
    due_iso: str | None
    last_iso: str | None  # the date of the latest log line
    item: str | None  # the agenda item of the meeting, "3"
    description: str
    log: tuple[tuple[str, str], ...]  # (ISO date, text) per log line


class ParseCache:
    """The cache of one kind of file (``kind``: action, meeting, ...) of one repository.

    Two files: ``<kind>.index`` (marshal: path -> size, mtime, offset, length, problems,
    summary, ctime, inode; sealed with its checksum) and ``<kind>.data`` (the pickled records,
    one after another), so that a query reads the small index and unpickles only the records it keeps.
    A save that changes a few entries appends them instead (``_append``): the records to the
    data file and the entries to ``<kind>.journal``, which ``warm.read_index`` applies.
    """

    def __init__(self, root: Path, kind: str) -> None:
        self.kind = kind
        self.index_file, self.data_file = map(Path, index_paths(str(root), kind))
        self.schema = schema()
        self.entries: dict[str, tuple[int, int, int, int, Any, Any, int, int]] = {}
        self.written = 0
        self.data = b""
        self.new: dict[str, tuple[tuple[int, int, int, int], bytes, Any, Any]] = {}
        self.used: set[str] = set()
        self.listing: tuple[int, int] | None = None  # (folder mtime before listing, files listed)
        self.old_listing: Any = None
        self.old_warm: Any = None
        self.old_complete: Any = None
        self.base: int | None = None  # the index's own ``written``: what a journal frame builds on
        self.journal = 0  # bytes of the journal that count (``warm.journaled``)
        self.crc = 0
        index = read_index(str(root), kind)  # None when missing, foreign or corrupt: start afresh
        if index is not None:
            try:
                self.data = self.data_file.read_bytes()
            except OSError:
                return
            if len(self.data) > index["size"]:  # a save that failed after adding records: not ours
                self.data = self.data[: index["size"]]
            if len(self.data) == index["size"] and checksum(self.data) == index.get("crc"):
                self.entries, self.written = index["entries"], index["written"]
                self.old_listing, self.old_warm = index.get("listing"), index.get("warm")
                self.old_complete = index.get("complete")
                self.base, self.journal, self.crc = index["base"], index["journal"], index["crc"]

    def lookup(self, rel: str, stamp: tuple[int, int, int, int]) -> tuple[Any, Any, Any] | None:
        """(a way to the record, problems, summary) for an unchanged file, else None."""
        entry = self.entries.get(rel)
        if entry is None or not trusted(entry, stamp, self.written):
            return None
        self.used.add(rel)
        return (entry[2], entry[3]), entry[4], entry[5]

    def record(self, where: tuple[int, int]) -> Any:
        """The record kept at ``where``; any exception when it cannot be unpickled."""
        offset, length = where
        return pickle.loads(self.data[offset : offset + length])

    def store(
        self,
        rel: str,
        stamp: tuple[int, int, int, int],
        blob: bytes,
        problems: tuple[Any, ...],
        summary: Any,
        is_interned: bool = False,
    ) -> None:
        """Keep a parse result: the pickled record, its problems as tuples, its summary
        (``is_interned``: already passed through ``interned``, by a worker process)."""
        self.new[rel] = (stamp, blob, problems, summary if is_interned else interned(summary))
        self.used.add(rel)

    def save(self) -> None:
        """Write the cache (without entries of files that are gone); never fails a command."""
        warm_file = self.index_file.with_name("action.warm") if self.kind == "action" else None
        complete_file = self.index_file.with_name(complete.COMPLETE_FILE)
        if (
            not self.new
            and self.used >= self.entries.keys()
            and self.listing == self.old_listing
            and (warm_file is None or (_stamp(warm_file), _stamp(complete_file)) == (self.old_warm, self.old_complete))
        ):
            return
        if self._append(warm_file, complete_file):
            return
        chunks: list[bytes] = []
        entries: dict[str, tuple[int, int, int, int, Any, Any, int, int]] = {}
        offset = 0
        for rel in sorted(self.used):
            if rel in self.new:
                (size, mtime, ctime, inode), blob, problems, summary = self.new[rel]
            elif rel in self.entries:
                size, mtime, start, length, problems, summary, ctime, inode = self.entries[rel]
                blob = self.data[start : start + length]
            else:
                continue
            chunks.append(blob)
            entries[rel] = (size, mtime, offset, len(blob), problems, summary, ctime, inode)
            offset += len(blob)
        written = time.time_ns()
        data = b"".join(chunks)
        index = {
            "schema": self.schema,
            "written": written,
            "size": offset,
            "crc": checksum(data),
            "entries": entries,
            "listing": self.listing,
            "warm": None,
            "complete": None,
        }
        try:
            folder = self.index_file.parent
            if folder.is_symlink():  # it may lead anywhere: write nothing through it
                return
            folder.mkdir(exist_ok=True)
            if not os.path.lexists(folder / ".gitignore"):  # a dangling link is left alone
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
                handle = os.open(folder / ".gitignore", flags, 0o644)
                with os.fdopen(handle, "w", encoding="utf-8") as ignore:
                    ignore.write("*\n")  # never into git
            _replace(self.data_file, data)
            if warm_file is not None:  # what `idmeet actions` reads when nothing changed (warm.py)
                _replace(warm_file, build(entries, written, self.listing))
                index["warm"] = _stamp(warm_file)  # so a damaged warm file is written anew
                _replace(complete_file, complete.build(entries, self.listing))  # what TAB offers (complete.py)
                index["complete"] = _stamp(complete_file)
            with contextlib.suppress(FileNotFoundError):  # its frames name the old index: of no use
                os.unlink(self.journal_file)
            _replace(self.index_file, seal(marshal.dumps(index)))  # last: it makes the others valid
        except OSError:
            pass  # a read-only repository works, just without a cache

    @property
    def journal_file(self) -> Path:
        return self.index_file.with_suffix(".journal")

    def _append(self, warm_file: Path | None, complete_file: Path) -> bool:
        """Save a few changed entries by appending (``warm.journaled``): their records to the
        data file, a frame to the journal, and ``action.warm`` patched rather than rebuilt.
        False (nothing written) when the whole cache is to be written instead: no index to
        build on, many changes, a long journal, or the data file not as it was read."""
        gone = self.entries.keys() - self.used
        if (
            self.base is None
            or len(self.new) + len(gone) > JOURNAL_CHANGES
            or self.journal > JOURNAL_BYTES
            or self.index_file.parent.is_symlink()
        ):
            return False
        written = time.time_ns()
        entries = {rel: self.entries[rel] for rel in sorted(self.used) if rel in self.entries}
        changes: dict[str, Any] = dict.fromkeys(sorted(gone))
        blobs: list[bytes] = []
        offset = len(self.data)
        for rel in sorted(self.new):
            (size, mtime, ctime, inode), blob, problems, summary = self.new[rel]
            entries[rel] = changes[rel] = (size, mtime, offset, len(blob), problems, summary, ctime, inode)
            blobs.append(blob)
            offset += len(blob)
        if self.new:
            entries = dict(sorted(entries.items()))
        added = b"".join(blobs)
        change = {
            "base": self.base,
            "written": written,
            "size": offset,
            "crc": zlib.crc32(added, self.crc),
            "listing": self.listing,
            "warm": self.old_warm,
            "complete": self.old_complete,
            "entries": changes,
        }
        try:
            _write_at(self.data_file, len(self.data), added)  # (a longer file, of a save that failed, is cut)
            if warm_file is not None:
                fresh = None
                if _stamp(warm_file) == self.old_warm:  # as this cache wrote it (not damaged since, not another's)
                    fresh = patch(str(warm_file), entries, self.new.keys(), written, self.listing)
                _replace(warm_file, fresh if fresh is not None else build(entries, written, self.listing))
                change["warm"] = _stamp(warm_file)
                if (
                    gone
                    or _stamp(complete_file) != self.old_complete  # damaged, or another's
                    or any(_offered(self.entries.get(rel)) != _offered(entries[rel]) for rel in self.new)
                ):
                    _replace(complete_file, complete.build(entries, self.listing))
                change["complete"] = _stamp(complete_file)
            _write_at(self.journal_file, self.journal, frame(change))  # last: it makes the others valid
        except OSError:
            pass  # a read-only repository works, just without a cache
        return True


ASIDE_MIN = 2000  # new entries before a save is worth a process of its own (``save_aside``)


def save_aside(caches: list[ParseCache]) -> Callable[[], None]:
    """Start writing ``caches`` and return what waits until they are written. Many new entries
    (a first run: every file parsed) are written by a forked child process, so that the caller
    can go on meanwhile (``idmeet check`` validates) on another core; a few, or where there is
    no ``fork``, are written here and now. Should the child fail, the wait writes them here."""
    if sum(len(cache.new) for cache in caches) < ASIDE_MIN or not hasattr(os, "fork"):
        for cache in caches:
            cache.save()
        return lambda: None
    try:
        pid = os.fork()
    except OSError:
        pid = -1
    if pid == 0:  # the child: write, and leave without running anything of the parent's
        code = 1
        try:
            for cache in caches:
                cache.save()
            code = 0
        finally:
            os._exit(code)
    if pid < 0:
        for cache in caches:
            cache.save()
        return lambda: None

    def wait() -> None:
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            status = 1
        if status != 0:
            for cache in caches:
                cache.save()

    return wait


def _write_at(target: Path, offset: int, content: bytes) -> None:
    """Write ``content`` at ``offset`` of ``target`` (made when missing) and end the file there;
    a link is not followed (OSError)."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    handle = os.open(target, flags, 0o644)
    try:
        os.lseek(handle, offset, os.SEEK_SET)
        view = memoryview(content)
        while view:
            view = view[os.write(handle, view) :]
        os.ftruncate(handle, offset + len(content))
    finally:
        os.close(handle)


def _replace(target: Path, content: bytes) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(content)
    os.replace(tmp, target)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _offered(entry: Any) -> Any:
    """What completion shows of a cached action (``complete.build``): status, title, tags."""
    summary = entry[5] if entry is not None else None
    if not isinstance(summary, tuple) or len(summary) != len(ActionSummary._fields):
        return summary
    return summary[0], summary[9], summary[12]


def interned(summary: Any) -> Any:
    """An action's summary with its texts interned, so marshal stores each repeated text
    (statuses, names, series, dates) once; other summaries as they are."""
    if not isinstance(summary, tuple) or len(summary) != len(ActionSummary._fields):
        return summary
    intern = sys.intern
    return tuple(
        intern(v) if type(v) is str else tuple(map(intern, v)) if type(v) is tuple and v and type(v[0]) is str else v
        for v in summary
    )


def summarize(action: Any) -> ActionSummary:
    """The summary of a parsed action (an ``idmeet.core.model.Action``)."""
    from idmeet.core.names import is_redacted, normalize

    closed, last = action.closed_on, action.last_update
    return ActionSummary(
        action.status,
        tuple(normalize(o) for o in action.owners),
        action.series,
        action.meeting,
        tuple(normalize(t) for t in action.tags),
        action.due.toordinal() if action.due else 0,
        action.opened.toordinal(),
        closed.toordinal() if closed else 0,
        action.id,
        action.title,
        tuple(action.owners),
        tuple(is_redacted(o) for o in action.owners),
        tuple(action.tags),
        action.opened.isoformat(),
        action.due.isoformat() if action.due else None,
        last.date.isoformat() if last else None,
        action.item,
        action.description,
        tuple((e.date.isoformat(), e.text) for e in action.log),
    )


def summary_of(record: Any) -> Any:
    """What the cache keeps beside a record for ``warm.py``: an action's summary; for
    idmeet.yaml, the people (folded name or alias -> position, full names) and series keys,
    then for shell completion (``complete.py``) each person's name, aliases and role and
    each series' title."""
    from idmeet.core.model import Action, Config

    if isinstance(record, Action):
        return summarize(record)
    if isinstance(record, Config):
        return (
            record.person_keys(),
            tuple(p.name for p in record.people),
            tuple(s.key for s in record.series),
            tuple((p.name, tuple(p.aliases), p.role) for p in record.people),
            tuple(s.title for s in record.series),
        )
    return None
