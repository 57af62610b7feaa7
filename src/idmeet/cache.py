"""A cache of parsed files in ``.idmeet-cache/`` (git-ignored), so large repositories load fast.

An entry is used only while its file has the same size and modification time as when it was
parsed; otherwise the file is parsed again. As git does for its index, an entry whose file
was modified within two seconds before the cache was written is not trusted ("racy": a
second change in the same clock tick could keep size and time). A cache written by another
version of idmeet, or one that cannot be read, is ignored and rebuilt. The files always win.

Each entry holds the parse result (record and problems, pickled) and, for actions, a small
summary that a query can test without unpickling the record (see ``ActionSummary``).
"""

from __future__ import annotations

import functools
import marshal
import os
import pickle
import sys
import time
from pathlib import Path
from typing import Any, NamedTuple

from idmeet import __version__

CACHE_DIR = ".idmeet-cache"
RACY_NS = 2_000_000_000
_SOURCES = ("model.py", "parse.py", "agenda_body.py", "fields.py", "yamlio.py", "names.py",
            "diagnostics.py")


class ActionSummary(NamedTuple):
    """What a query filters on, kept beside each cached action."""

    status: str
    owners: tuple[str, ...]  # normalised (names.normalize)
    series: str | None
    meeting: str | None
    tags: tuple[str, ...]  # normalised
    due: int  # date ordinal, 0 for none
    opened: int
    closed: int  # ordinal of the closing log line, 0 for none


@functools.cache
def _schema() -> str:
    """Changes whenever idmeet's version or the code that makes the records changes."""
    here = Path(__file__).parent
    parts = [__version__]
    for name in _SOURCES:
        try:
            st = os.stat(here / name)
            parts.append(f"{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append("?")
    return "|".join(parts)


class ParseCache:
    """The cache of one kind of file (``kind``: action, meeting, ...) of one repository.

    Two files: ``<kind>.index`` (marshal: path -> size, mtime, offset, length, problems,
    summary) and ``<kind>.data`` (the pickled records, one after another), so that a query
    reads the small index and unpickles only the records it keeps.
    """

    def __init__(self, root: Path, kind: str) -> None:
        folder = root / CACHE_DIR
        self.index_file, self.data_file = folder / f"{kind}.index", folder / f"{kind}.data"
        self.schema = _schema()
        self.entries: dict[str, tuple[int, int, int, int, Any, Any]] = {}
        self.written = 0
        self.data = b""
        self.new: dict[str, tuple[int, int, bytes, Any, Any]] = {}
        self.used: set[str] = set()
        try:
            index = marshal.loads(self.index_file.read_bytes())
            if isinstance(index, dict) and index.get("schema") == self.schema:
                self.data = self.data_file.read_bytes()
                if len(self.data) == index["size"]:
                    self.entries, self.written = index["entries"], index["written"]
        except (OSError, ValueError, EOFError, TypeError, KeyError):
            self.entries = {}  # missing, foreign or corrupt: start afresh

    def lookup(self, rel: str, size: int, mtime_ns: int) -> tuple[Any, Any, Any] | None:
        """(a way to the record, problems, summary) for an unchanged file, else None."""
        entry = self.entries.get(rel)
        if entry is None or entry[0] != size or entry[1] != mtime_ns or mtime_ns >= self.written - RACY_NS:
            return None
        self.used.add(rel)
        return (entry[2], entry[3]), entry[4], entry[5]

    def record(self, where: tuple[int, int]) -> Any:
        offset, length = where
        return pickle.loads(self.data[offset : offset + length])

    def store(self, rel: str, size: int, mtime_ns: int, blob: bytes, problems: tuple[Any, ...],
              summary: ActionSummary | None) -> None:
        """Keep a parse result: the pickled record, its problems as tuples, its summary."""
        self.new[rel] = (size, mtime_ns, blob, problems, _interned(summary) if summary else None)
        self.used.add(rel)

    def save(self) -> None:
        """Write the cache (without entries of files that are gone); never fails a command."""
        if not self.new and self.used >= self.entries.keys():
            return
        chunks: list[bytes] = []
        entries: dict[str, tuple[int, int, int, int, Any, Any]] = {}
        offset = 0
        for rel in sorted(self.used):
            if rel in self.new:
                size, mtime, blob, problems, summary = self.new[rel]
            elif rel in self.entries:
                size, mtime, start, length, problems, summary = self.entries[rel]
                blob = self.data[start : start + length]
            else:
                continue
            chunks.append(blob)
            entries[rel] = (size, mtime, offset, len(blob), problems, summary)
            offset += len(blob)
        index = {"schema": self.schema, "written": time.time_ns(), "size": offset, "entries": entries}
        try:
            folder = self.index_file.parent
            folder.mkdir(exist_ok=True)
            if not (folder / ".gitignore").exists():
                (folder / ".gitignore").write_text("*\n", encoding="utf-8")  # never into git
            for target, content in ((self.data_file, b"".join(chunks)), (self.index_file, marshal.dumps(index))):
                tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
                tmp.write_bytes(content)
                os.replace(tmp, target)
        except OSError:
            pass  # a read-only repository works, just without a cache


def _interned(summary: ActionSummary) -> tuple[Any, ...]:
    """The summary with its repeated texts interned: marshal then stores each text once."""
    status, owners, series, meeting, tags, due, opened, closed = summary
    intern = sys.intern
    return (intern(status), tuple(intern(o) for o in owners), series and intern(series),
            meeting and intern(meeting), tuple(intern(t) for t in tags), due, opened, closed)


def summarize(action: Any) -> ActionSummary:
    """The summary of a parsed action (an ``idmeet.model.Action``)."""
    from idmeet.names import normalize

    closed = action.closed_on
    return ActionSummary(action.status, tuple(normalize(o) for o in action.owners), action.series,
                         action.meeting, tuple(normalize(t) for t in action.tags),
                         action.due.toordinal() if action.due else 0, action.opened.toordinal(),
                         closed.toordinal() if closed else 0)
