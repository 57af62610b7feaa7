"""Answer ``idmeet actions`` from the cache alone, before idmeet's model is even imported.

The regular path (``cli/listing.py``) loads the repository, which on a warm cache still
costs the model's imports (dataclasses, pathlib, typing, re: tens of milliseconds) and the
unpickling of every kept record. Here, when idmeet.yaml and every file in ``actions/`` are
exactly as they were when the cache was written (same names, sizes and modification times,
none "racy") and none of them has a problem, the cached summaries (``store/summary.py``) hold the
whole answer. Anything else returns None and the regular path answers (and refreshes the
cache): a changed, new or broken file, an option this path leaves to it (``--meeting``,
``--text``, ``--as-of``, the csv format, a date not written YYYY-MM-DD, an owner not in
idmeet.yaml). Tests check that both paths print the same.

A file is unchanged while its size, modification time, change time and inode are as they
were (what git compares: a user can set a modification time back, never a change time).
Every cache file carries a checksum (``seal``), checked when it is read: a damaged one is
ignored, so a cache can make idmeet slower, never wrong.

Listing ``actions/`` is skipped when the folder's modification time is the one recorded
when it was last listed (adding, removing or renaming a file changes it; git's untracked
cache relies on the same rule); each file is still checked with its own ``stat``.
"""

from __future__ import annotations

import marshal
import os
import zlib
from itertools import chain
from operator import attrgetter

from idmeet import __version__
from idmeet.core import rules
from idmeet.store.paths import ACTIONS_DIR, CACHE_DIR, CONFIG_FILE, find_root
from idmeet.store.summary import ID, OWNERS, SORT_KEYS, STATUS, ActionFilter, order_key, statuses_from_flags

TYPE_CHECKING = False  # typing itself costs milliseconds at start; mypy reads this as True
if TYPE_CHECKING:
    from collections.abc import Collection, Mapping
    from typing import Any

STAMP_FIELDS = attrgetter("st_size", "st_mtime_ns", "st_ctime_ns", "st_ino")  # a file's stamp, as ``stamp``
RACY_NS = 2_000_000_000  # a file changed this close before the cache was written is not trusted
# The stages whose code decides what a cached entry holds: a change to any of their modules
# (an edit, an upgrade of idmeet) makes a new cache. Every module of these folders and their
# sub-folders counts, so a module added later cannot be forgotten; a test checks that the
# code that fills the cache imports nothing outside them (tests/test_cache_key.py).
STAGES = ("core", "parser", "store")
_schema: list[str] = []


def schema() -> str:
    """Changes whenever idmeet's version, the Python version (its ``unicodedata`` folds the
    names kept in summaries) or the code that makes the cached records changes."""
    if not _schema:
        import sys

        _schema.append("|".join([__version__, str(sys.hexversion), *code_stamps(STAGES)]))
    return _schema[0]


def code_stamps(stages: tuple[str, ...]) -> list[str]:
    """Every module of these folders of idmeet (sub-folders included) as ``path:size:mtime``:
    what changes when that code is edited or upgraded."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parts = []
    for stage in stages:
        for folder, subfolders, names in os.walk(os.path.join(package, stage)):
            subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
            rel = folder[len(package) + 1 :].replace(os.sep, "/")
            for name in sorted(names):
                if name.endswith(".py"):
                    st = os.stat(os.path.join(folder, name))
                    parts.append(f"{rel}/{name}:{st.st_size}:{st.st_mtime_ns}")
    return parts


def index_paths(root: str, kind: str) -> tuple[str, str]:
    """The cache's index and data files for one kind of file (action, meeting, ...)."""
    folder = os.path.join(root, CACHE_DIR)
    return os.path.join(folder, f"{kind}.index"), os.path.join(folder, f"{kind}.data")


def checksum(data: bytes | memoryview) -> int:
    """The checksum of a cache file's content (CRC-32: a few milliseconds for 10 MB)."""
    return zlib.crc32(data)


def seal(payload: bytes) -> bytes:
    """A cache file's bytes: the payload and its checksum (4 bytes, little-endian) after it."""
    return payload + checksum(payload).to_bytes(4, "little")


def unseal(blob: bytes | memoryview) -> bytes | memoryview:
    """The payload of ``seal``'s bytes; ValueError when they are damaged."""
    payload = blob[:-4]
    if len(blob) < 4 or checksum(payload) != int.from_bytes(blob[-4:], "little"):
        raise ValueError("damaged cache file")
    return payload


def read_sealed(path: str) -> Any:
    """The marshalled value in a sealed cache file; ValueError when damaged, OSError when missing."""
    with open(path, "rb") as handle:
        return marshal.loads(unseal(memoryview(handle.read())))  # (marshal.load on a file: ten times slower)


def read_index(root: str, kind: str) -> dict[str, Any] | None:
    """The index of one kind with its journal applied (``journaled``), when it is whole and
    this version's and its data file has the size it names (its checksum is checked when it
    is read); else None."""
    index_file, data_file = index_paths(root, kind)
    if os.path.islink(os.path.dirname(index_file)):  # a cache outside the repository is not ours
        return None
    try:
        index = read_sealed(index_file)
        if isinstance(index, dict) and index.get("schema") == schema():
            index = journaled(index, index_file[: -len(".index")] + ".journal")
            if os.stat(data_file).st_size >= index["size"]:  # more: a save failed after adding records
                return index
    except (OSError, ValueError, EOFError, TypeError, KeyError, AttributeError):
        pass  # missing, foreign or corrupt
    return None


def journaled(index: dict[str, Any], path: str) -> dict[str, Any]:
    """``index`` with the changes its journal holds applied, in order.

    A save that changes a few entries appends them to ``<kind>.journal`` (``frame``) instead of
    writing the index and the data file whole: the records it adds go to the end of the data
    file, and each frame names the data file's size and checksum after them. A frame counts only
    after the index it was written for (its ``base``: the index's ``written``) and the frames
    before it; a damaged or foreign one ends the journal there. Adds ``base`` (the index's own
    ``written``) and ``journal`` (the bytes of the journal that count)."""
    index["base"], index["journal"] = index["written"], 0
    try:
        with open(path, "rb") as handle:
            blob = handle.read()
    except OSError:
        return index  # none: the index alone
    view, at = memoryview(blob), 0
    entries = index["entries"]
    while at + 4 <= len(view):
        end = at + 4 + int.from_bytes(view[at : at + 4], "little")
        try:
            change = marshal.loads(unseal(view[at + 4 : end])) if end <= len(view) else None
        except (ValueError, EOFError, TypeError):
            change = None
        if not isinstance(change, dict) or change.get("base") != index["base"]:
            break
        for rel, entry in change["entries"].items():
            if entry is None:
                entries.pop(rel, None)
            else:
                entries[rel] = entry
        for key in ("written", "size", "crc", "listing", "warm", "complete"):
            index[key] = change[key]
        at = index["journal"] = end
    return index


def frame(change: Mapping[str, Any]) -> bytes:
    """One change of an index as its journal keeps it (``journaled`` reads it): its length, then
    the sealed marshal of ``change`` (base, written, size, crc, listing, warm, complete and
    entries: path -> entry, None for a file that is gone)."""
    payload = seal(marshal.dumps(dict(change)))
    return len(payload).to_bytes(4, "little") + payload


def stamp(st: os.stat_result) -> tuple[int, int, int, int]:
    """What says a file is unchanged: size, modification time, change time, inode."""
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def trusted(entry: tuple[Any, ...], current: tuple[int, int, int, int], written: int) -> bool:
    """Is a cache entry (size, mtime, offset, length, problems, summary, ctime, inode) still
    the file's ``current`` stamp? Not when the file was modified within ``RACY_NS`` before the cache
    was written: a second change in the same clock tick could keep both size and time (git's
    "racy" rule)."""
    size, mtime_ns, ctime_ns, inode = current
    return (
        entry[0] == size
        and entry[1] == mtime_ns
        and entry[6] == ctime_ns
        and entry[7] == inode
        and mtime_ns < written - RACY_NS
    )


WARM_MAGIC = b"idmeet-warm-2\n"


def build(entries: Mapping[str, tuple[Any, ...]], written: int, listing: tuple[int, int] | None) -> bytes:
    """The file ``query`` reads (``action.warm``), made from the action cache's entries (path ->
    size, mtime, offset, length, problems, summary, ctime, inode).

    A small sealed header comes first: the files' names and stamps (size, mtime, ctime, inode),
    which summaries have a status or an owner, and where each summary lies with its own
    checksum. The summaries follow, each its own small marshal blob. The numbers are kept as
    machine arrays and the names as one text: decoding 100,000 small objects would cost more
    than the query itself. A query reads the header
    whole and then checks and decodes only the summaries that can match, so its cost does not
    grow with the descriptions and logs of the actions it does not print."""
    names = [rel.split("/", 1)[1] for rel in entries]
    tables = _Tables([], [], {}, {}, 0, True, True)
    blobs = [tables.put(at, entry, names[at]) for at, entry in enumerate(entries.values())]
    return _warm_bytes(written, listing, tables, names, blobs)


class _Tables:
    """The warm file's tables of the files, filled one file at a time by ``build`` (all of
    them) and ``patch`` (the changed ones, over the tables read back)."""

    def __init__(
        self,
        stamps: list[int],
        spans: list[int],
        by_status: dict[str, list[int]],
        by_owner: dict[str, list[int]],
        offset: int,
        clean: bool,
        named: bool,
    ) -> None:
        self.stamps, self.spans, self.by_status, self.by_owner = stamps, spans, by_status, by_owner
        self.offset, self.clean, self.named = offset, clean, named

    def put(self, at: int, entry: tuple[Any, ...], name: str) -> bytes:
        """Enter the ``at``-th file (a cache entry: size, mtime, offset, length, problems,
        summary, ctime, inode; its summary to go at ``offset``); its summary's bytes."""
        problems, summary = entry[4], entry[5]
        self.clean = self.clean and not problems and summary is not None
        self.named = self.named and summary is not None and f"{summary[ID]}.md" == name
        self.stamps[4 * at : 4 * at + 4] = (entry[0], entry[1], entry[6], entry[7])
        blob = marshal.dumps(summary)
        self.spans[3 * at : 3 * at + 3] = (self.offset, len(blob), checksum(blob))
        self.offset += len(blob)
        if summary is not None:
            self.by_status.setdefault(summary[STATUS], []).append(at)
            for owner in set(summary[OWNERS]):
                self.by_owner.setdefault(owner, []).append(at)
        return blob


def _warm_bytes(
    written: int, listing: tuple[int, int] | None, tables: _Tables, names: list[str], body: list[bytes]
) -> bytes:
    from array import array

    header = seal(
        marshal.dumps(
            {
                "schema": schema(),
                "written": written,
                "listing": listing,
                "clean": tables.clean,
                "named": tables.named,  # every action's id is its file's name: an edit finds an id by the names
                "names": "\n".join(names),
                "stamps": array("q", tables.stamps).tobytes(),
                "spans": array("q", tables.spans).tobytes(),
                "by_status": {key: array("q", ats).tobytes() for key, ats in tables.by_status.items() if ats},
                "by_owner": {key: array("q", ats).tobytes() for key, ats in tables.by_owner.items() if ats},
            }
        )
    )
    return WARM_MAGIC + len(header).to_bytes(4, "little") + header + b"".join(body)


def patch(
    path: str,
    entries: Mapping[str, tuple[Any, ...]],
    changed: Collection[str],
    written: int,
    listing: tuple[int, int] | None,
) -> bytes | None:
    """``build``'s file for ``entries`` made from the one at ``path``, which holds the same files:
    only the summaries of the ``changed`` paths are encoded (added after the others; the old
    ones stay unused in the file until it is built whole again), the header is written anew.
    None when the file cannot be used so (missing, damaged, another version, other files, or
    another stamp for a file not in ``changed``), or when a file has a problem or an id that
    is not its name (``build`` counts those): then ``build`` it."""
    try:
        header, body = read_warm(path)
        names = header["names"]
        if header.get("schema") != schema() or len(names) != len(entries):
            return None
        where = {rel: at for at, rel in enumerate(entries)}
        touched = sorted(where[rel] for rel in changed if rel in where)
        if any(f"{ACTIONS_DIR}/{names[at]}" != rel for at, rel in enumerate(entries)):
            return None
        stamps, spans = header["stamps"].tolist(), header["spans"].tolist()
        by_status = {key: ats.tolist() for key, ats in header["by_status"].items()}
        by_owner = {key: ats.tolist() for key, ats in header["by_owner"].items()}
        for at in touched:  # the changed files' places come out of the status and owner sets
            old = summary_at(header, body, at)
            if old is not None:
                by_status[old[STATUS]].remove(at)
                for owner in set(old[OWNERS]):
                    by_owner[owner].remove(at)
    except (OSError, ValueError, EOFError, TypeError, KeyError, AttributeError, IndexError):
        return None
    values = list(entries.values())
    tables = _Tables(stamps, spans, by_status, by_owner, len(body), bool(header["clean"]), bool(header.get("named")))
    blobs = [bytes(body), *(tables.put(at, values[at], names[at]) for at in touched)]
    if not (tables.clean and tables.named):  # a file with a problem may be one that did not change: count them all
        return None
    if stamps != [n for entry in values for n in (entry[0], entry[1], entry[6], entry[7])]:
        return None  # the file is not the one these entries were saved with
    for table in (by_status, by_owner):
        for ats in table.values():
            ats.sort()
    return _warm_bytes(written, listing, tables, names, blobs)


def read_warm(path: str, summaries: bool = True) -> tuple[dict[str, Any], memoryview]:
    """``action.warm``'s header and its summaries' bytes (each checked when it is decoded,
    ``summary_at``; none read when ``summaries`` is false, for an edit that needs only the
    names and stamps); ValueError when the file is not whole or not this format."""
    start = len(WARM_MAGIC) + 4
    with open(path, "rb") as handle:
        blob = handle.read() if summaries else handle.read(start)
        if not summaries and len(blob) == start:
            blob += handle.read(int.from_bytes(blob[start - 4 : start], "little"))
    if not blob.startswith(WARM_MAGIC) or len(blob) < start:
        raise ValueError("not a warm file of this version")
    end = start + int.from_bytes(blob[start - 4 : start], "little")
    view = memoryview(blob)
    header = marshal.loads(unseal(view[start:end]))
    if not isinstance(header, dict):
        raise ValueError("not a warm file of this version")
    header["names"] = header["names"].split("\n") if header["names"] else []
    for key in ("stamps", "spans"):
        header[key] = _ints(header[key])
    for key in ("by_status", "by_owner"):
        header[key] = {name: _ints(ats) for name, ats in header[key].items()}
    return header, view[end:]


def _ints(blob: bytes) -> memoryview:
    """The numbers ``array("q", ...).tobytes()`` wrote (a view: no copy, no import)."""
    return memoryview(blob).cast("q")


def summary_at(header: Mapping[str, Any], body: memoryview, at: int) -> Any:
    """The summary of the ``at``-th file; ValueError when its bytes are damaged."""
    offset, length, crc = header["spans"][3 * at : 3 * at + 3]
    blob = body[offset : offset + length]
    if len(blob) != length or checksum(blob) != crc:
        raise ValueError("damaged cache file")
    return marshal.loads(blob)


def query(repo_arg: str | None, options: Mapping[str, Any]) -> tuple[list[Any], dict[str, str], int] | None:
    """What ``idmeet actions`` with ``options`` (``listing.list_actions``'s) prints: the found
    summaries in order, full names (folded name -> full name) and the day overdue is judged
    on (an ordinal, 0 when not needed); None when the regular path has to answer."""
    fmt, by = options.get("format", "table"), options.get("sort", "due")
    if (
        fmt not in ("json", "md", "table")
        or by not in SORT_KEYS
        or any(options.get(name) is not None for name in ("meeting", "text", "as_of"))
    ):
        return None
    root, _ = find_root(repo_arg, os.getcwd(), os.environ)
    config = config_view(root) if root else None
    warm = _warm_index(root) if root and config else None
    if config is None or warm is None:
        return None
    person_keys, names, series_keys = config[:3]
    full_names = {key: names[at] for key, at in person_keys.items()}
    statuses = statuses_from_flags(*(bool(options.get(flag)) for flag in ("open_", "done", "dropped", "all_")))
    candidates = {at for status in statuses for at in warm[0]["by_status"].get(status, ())}
    owned = None
    if options.get("owner") is not None:
        name = options["owner"]
        if any(c.isdigit() for c in name) or rules.fold(name) not in person_keys:
            return None  # a redaction mark ("5.1, 2, e") or a name idmeet.yaml does not know
        person = person_keys[rules.fold(name)]
        owned = frozenset(key for key, at in person_keys.items() if at == person)
        candidates.intersection_update(at for key in owned for at in warm[0]["by_owner"].get(key, ()))
    series = options.get("series")
    if series is not None and series not in series_keys:
        return None
    dates = [options.get(name) for name in ("due_before", "due_after")]
    ordinals = [rules.iso_ordinal(text) if text is not None else None for text in dates]
    day = rules.today_ordinal() if options.get("overdue") or fmt != "json" else 0
    if day is None or any(text is not None and at is None for text, at in zip(dates, ordinals)):
        return None
    spec = ActionFilter(
        statuses=statuses,
        owners=owned,
        series=series,
        tag=options.get("tag"),
        overdue=bool(options.get("overdue")),
        day=day,
        due_before=ordinals[0],
        due_after=ordinals[1],
    )
    header, body = warm
    try:
        found = [s for s in (summary_at(header, body, at) for at in sorted(candidates)) if spec.matches(s)]
    except (ValueError, EOFError, TypeError, IndexError):
        return None  # a damaged summary: the regular path answers and writes the cache anew
    found.sort(key=lambda s: order_key(s, by, full_names))
    if options.get("limit") is not None:
        found = found[: options["limit"]]
    return found, full_names, day


def config_view(root: str) -> Any:
    """What a query needs of idmeet.yaml, when its cache entry is trusted and has no problem."""
    index = read_index(root, "config")
    entry = index["entries"].get(CONFIG_FILE) if index else None
    if index is None or entry is None or entry[4] or len(index["entries"]) != 1:
        return None
    try:
        st = os.stat(os.path.join(root, CONFIG_FILE))
    except OSError:
        return None
    return entry[5] if trusted(entry, stamp(st), index["written"]) else None


def _warm_index(root: str) -> tuple[dict[str, Any], memoryview] | None:
    """``action.warm``'s header and summaries (``read_warm``), when it is whole and this
    version's, no action file has a problem, and every action file is unchanged since it was
    written (same names and stamps, none racy)."""
    found = changed_files(root)
    if found is None or found[2]:
        return None
    return found[0], found[1]


def changed_files(root: str, summaries: bool = True) -> tuple[dict[str, Any], memoryview, list[int]] | None:
    """``action.warm``'s header and summaries (``read_warm``; without them when ``summaries``
    is false) and the positions of the action
    files that are not as it says (another stamp, or modified too close before it was written
    to trust the stamp), when it is whole and this version's, no action file had a problem when it
    was written, and ``actions/`` holds the files it names (no more, no fewer); else None."""
    if os.path.islink(os.path.join(root, CACHE_DIR)):  # a cache outside the repository is not ours
        return None
    try:
        warm, body = read_warm(os.path.join(root, CACHE_DIR, "action.warm"), summaries)
        if warm.get("schema") != schema() or not warm["clean"]:
            return None
        names, stamps, written, listing = warm["names"], warm["stamps"], warm["written"], warm["listing"]
        folder = os.path.join(root, ACTIONS_DIR)
        folder_mtime = os.stat(folder).st_mtime_ns
        if (
            not (
                listing and listing[0] == folder_mtime and folder_mtime < written - RACY_NS and listing[1] == len(names)
            )
            and sorted(name for name in os.listdir(folder) if name.endswith(".md")) != names
        ):
            # (os.listdir: a third of md_names' cost. An .md entry that is not a file, a problem
            # the regular path reports, is either not among the names or has another stamp below.)
            return None
        limit = written - RACY_NS
        if os.stat in os.supports_dir_fd:  # stat relative to the folder: no path to walk each time
            fd = os.open(folder, os.O_RDONLY)
            try:
                stats = [os.stat(name, dir_fd=fd) for name in names]
            finally:
                os.close(fd)
        else:  # pragma: no cover - Windows
            stats = [os.stat(os.path.join(folder, name)) for name in names]
        flat = stamps.tolist()
        now = list(chain.from_iterable(map(STAMP_FIELDS, stats)))  # (in C: no Python per file)
        if now == flat and max(flat[1::4], default=0) < limit:
            changed = []
        else:
            changed = [
                at
                for at in range(len(names))
                if now[4 * at : 4 * at + 4] != flat[4 * at : 4 * at + 4] or flat[4 * at + 1] >= limit
            ]
    except (OSError, ValueError, EOFError, TypeError, KeyError, IndexError):
        return None  # missing, foreign, corrupt or out of date
    return warm, body, changed
