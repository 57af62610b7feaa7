"""A snapshot of the whole loaded repository, and of answers computed from it, valid while
every file is exactly as it was.

Loading from the per-file cache (``cache.py``) still reads four indexes and unpickles each
record on its own: about half a second for 10,000 actions. A command that reads the whole
repository unchanged since the last one loads ``repo.snap`` instead: the model in two
pickles (idmeet.yaml, meetings and proposals; the actions), read with the garbage collector
paused (unpickling builds hundreds of thousands of objects, and a collection every few
hundred of them triples the time).

The rule is the warm action answer's (``warm.py``): a snapshot holds while the same files
are there with the same stamps (size, modification time, change time, inode), none changed
within two seconds before it was written, and idmeet's code is the same (``warm.schema``).
The *survey* that decides this lists the folders and stats every file once; the loader
reuses its listing when it has to parse.

Answers that are a function of the files alone (the validation problems of ``check``) are
kept beside it as *memos* under the survey's digest (``recall``, ``remember``), with the
state of any path outside the surveyed files that the answer looked at (an attachment's
file): a memo holds only while those are as they were too. A damaged or foreign snapshot or
memo is ignored, so these files can make idmeet faster, never wrong.
"""

from __future__ import annotations

import gc
import io
import marshal
import operator
import os
import pickle
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from idmeet.core.diagnostics import Diagnostic
from idmeet.store.paths import CACHE_DIR
from idmeet.store.warm import RACY_NS, checksum, code_stamps, read_sealed, schema, seal, unseal

try:  # the digest without hashlib's OpenSSL (5 ms to import)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

if TYPE_CHECKING:
    from idmeet.core.model import Action, Repository

SNAPSHOT = "repo.snap"
MAGIC = b"idmeet snapshot 2\n"
KINDS = ("config", "meeting", "proposal", "action")
# Where ``load`` keeps its problems, in its order: the listing's, idmeet.yaml's, the
# meetings' (with their action lines' owners), the proposals', the actions'.
SEGMENTS = ("odd", "config", "meeting", "proposal", "action")


@dataclass(frozen=True)
class Survey:
    """The repository's files as they are now: by kind, the listing's problems, and a digest
    of every file's name and stamp (with idmeet's code). ``newest``: the latest modification
    time among them, for the racy rule."""

    kinds: dict[str, list[str]]
    odd: list[Diagnostic]
    digest: str
    newest: int
    stamps: dict[str, tuple[int, int, int, int]]  # per file that could be stat'ed (warm.stamp)

    def trusted_after(self, written: int) -> bool:
        """May something written at ``written`` (ns) speak for these files? Not when one of
        them changed within ``RACY_NS`` before it: a second change in the same clock tick
        could keep its stamp."""
        return self.newest < written - RACY_NS


Stamp = tuple[int, int, int, int]
_STAMP = operator.attrgetter("st_size", "st_mtime_ns", "st_ctime_ns", "st_ino")  # warm.stamp, in C
_MTIME = operator.itemgetter(1)
_MISSING: Stamp = (-1, 0, 0, 0)


def survey(root: Path) -> Survey:
    """List and stat the repository's files (a few µs a file, most of it the stat itself)."""
    from idmeet.store.listing import disk_files

    odd: list[Diagnostic] = []
    kinds = disk_files(root, odd)
    parts: list[Any] = [schema(), kept_problems(odd)]
    by_file: dict[str, Stamp] = {}
    newest = 0
    for kind in KINDS:
        rels = kinds[kind]
        found = _stamps(str(root), rels)
        if None in found:  # gone since it was listed, or not ours to stat
            flat = [_MISSING if st is None else st for st in found]
            by_file.update((rel, st) for rel, st in zip(rels, found) if st is not None)
        else:
            flat = cast(list[Stamp], found)
            by_file.update(zip(rels, flat))
        newest = max(newest, max(map(_MTIME, flat), default=0))
        parts += [kind, rels, flat]
    # marshal's version 2 keeps no table of objects seen: twice as fast for 10,000 stamps
    digest = blake2b(marshal.dumps(parts, 2), digest_size=16).hexdigest()
    return Survey(kinds, odd, digest, newest, by_file)


def _stamps(root: str, rels: list[str]) -> list[Stamp | None]:
    """``warm.stamp`` of each repository file; None for one that cannot be stat'ed. Files of
    one folder are stat'ed relative to it (no path walked each time). One loop, no call of
    ours per file: this runs for every file on every command."""
    if os.stat not in os.supports_dir_fd:  # pragma: no cover - Windows
        return [_stamp_or_none(os.path.join(root, rel)) for rel in rels]
    found: list[Stamp | None] = []
    add, stat, as_stamp = found.append, os.stat, _STAMP
    fd, folder = -1, None
    try:
        for rel in rels:
            head, _, name = rel.rpartition("/")
            if head != folder:
                if fd >= 0:
                    os.close(fd)
                    fd = -1
                folder = head
                with suppress(OSError):
                    fd = os.open(os.path.join(root, head), os.O_RDONLY)
            try:
                add(as_stamp(stat(name, dir_fd=fd)))
            except OSError:
                add(None)
    finally:
        if fd >= 0:
            os.close(fd)
    return found


def _stamp_or_none(path: str) -> Stamp | None:  # pragma: no cover - Windows
    try:
        return cast(Stamp, _STAMP(os.stat(path)))
    except OSError:
        return None


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many objects are built, then move them out of
    its sight (records hold no cycles; reference counting frees them as usual): otherwise a
    collection every few hundred new objects walks all of them again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # what was built stays: no later collection walks it again
        if enabled:
            gc.enable()


def _cache_folder(root: Path) -> str | None:
    """The cache folder, or None when it is a link (it may lead anywhere: not ours)."""
    folder = os.path.join(root, CACHE_DIR)
    return None if os.path.islink(folder) else folder


# What a command may choose actions by without unpickling them: (id, series, meeting, status,
# the ordinal of its latest log line or 0). Kept per action in the snapshot.
ActionKey = tuple[str, str | None, str | None, str, int]


def action_key(action: Action) -> ActionKey:
    """The fields ``read_snapshot``'s ``pick`` sees of ``action``."""
    last = max((e.date for e in action.log), default=None)
    return (action.id, action.series, action.meeting, action.status, last.toordinal() if last else 0)


def action_text(action: Action) -> str:
    """An action's searchable text (title, description, log lines), kept in the snapshot so
    that ``idmeet search`` unpickles only the actions whose text holds its words."""
    return "\n".join([action.title, action.description, *(e.text for e in action.log)])


class _Sections:
    """The sections of the snapshot made for exactly these files (``open`` checks that)."""

    def __init__(self, handle: Any, header: dict[str, Any], start: int, path: str) -> None:
        self.handle, self.header, self.start, self.path = handle, header, start, path

    @classmethod
    def open(cls, root: Path, found: Survey) -> tuple[Any, _Sections] | None:
        folder = _cache_folder(root)
        if folder is None:
            return None
        path = os.path.join(folder, SNAPSHOT)
        handle = open(path, "rb")  # noqa: SIM115 - closed by the caller
        try:
            if handle.read(len(MAGIC)) != MAGIC:
                handle.close()
                return None
            size = int.from_bytes(handle.read(8), "little")
            header = marshal.loads(unseal(handle.read(size)))
            if header["digest"] != found.digest or not found.trusted_after(header["written"]):
                handle.close()
                return None
        except BaseException:
            handle.close()
            raise
        return handle, cls(handle, header, len(MAGIC) + 8 + size, path)

    def raw(self, name: str) -> bytes:
        """A section's bytes, checked against its checksum. A damaged snapshot is removed, so
        the next whole load writes it anew (a section only some commands read, such as the
        actions' texts, would otherwise stay damaged while the others serve)."""
        offset, length, crc = self.header["sections"][name]
        self.handle.seek(self.start + offset)
        data = self.handle.read(length)
        if len(data) != length or checksum(data) != crc:
            with suppress(OSError):
                os.unlink(self.path)
            raise ValueError("damaged snapshot")
        return bytes(data)

    def section(self, name: str) -> Any:
        return pickle.loads(self.raw(name))

    def actions(
        self, pick: Callable[[ActionKey], bool] | None, positions: set[int] | None = None
    ) -> tuple[Action, ...]:
        """The actions (those ``pick`` takes, or those at ``positions``, when given), in the
        repository's order: each is its own pickle, so one not taken is not unpickled."""
        data = memoryview(self.raw("actions"))
        keys = marshal.loads(self.raw("action-keys"))
        out = []
        offset = 0
        for at, (length, *key) in enumerate(keys):
            if (positions is None or at in positions) and (pick is None or pick(tuple(key))):
                out.append(pickle.loads(data[offset : offset + length]))
            offset += length
        if offset != len(data):
            raise ValueError("damaged snapshot")
        return tuple(out)


@contextmanager
def _sections_of(root: Path, found: Survey) -> Iterator[_Sections | None]:
    """The snapshot made for exactly these files, open while the block runs; None when there
    is none (raises when it is damaged or foreign)."""
    opened = _Sections.open(root, found)
    if opened is None:
        yield None
        return
    handle, sections = opened
    with handle:
        yield sections


def read_snapshot(
    root: Path,
    found: Survey,
    with_meetings: bool,
    with_actions: bool = True,
    pick: Callable[[ActionKey], bool] | None = None,
) -> tuple[Repository, list[Diagnostic]] | None:
    """The repository (without meetings and proposals unless ``with_meetings``, without its
    actions unless ``with_actions``: a command about meetings need not unpickle thousands of
    actions; with only the actions ``pick`` takes, when given) and load's problems (all of
    them), from the snapshot made for exactly these files; None when there is none.

    Only the small header is read until it says the snapshot is this one; then only the
    sections wanted, each checked against its checksum and unpickled from the one copy read."""
    from idmeet.core.model import Repository

    try:
        with _sections_of(root, found) as sections, collector_paused():
            if sections is None:
                return None
            config, meetings, proposals = (
                sections.section("head") if with_meetings else (sections.section("config"), (), ())
            )
            actions = sections.actions(pick) if with_actions else ()
        segments = sections.header["problems"]
        wanted = SEGMENTS if with_meetings else ("odd", "config", "action")
        problems = as_problems([p for name in wanted for p in segments[name]])
        if problems is None or not isinstance(actions, tuple) or not isinstance(meetings, tuple):
            return None
    except Exception:  # missing, damaged or foreign: load from the files
        return None
    return Repository(root, config, meetings, actions, proposals), problems


def has_snapshot(root: Path, found: Survey) -> bool:
    """Is there a snapshot made for exactly these files? Only its header is read."""
    try:
        with _sections_of(root, found) as sections:
            return sections is not None
    except Exception:  # missing, damaged or foreign
        return False


def read_actions(
    root: Path, found: Survey, pick: Callable[[ActionKey], bool] | None, positions: set[int] | None = None
) -> tuple[Action, ...] | None:
    """The actions ``pick`` takes (or those at ``positions`` in the repository's order), from
    the snapshot made for exactly these files (for a command that learns which actions it
    needs after loading the meetings); None when there is none."""
    try:
        with _sections_of(root, found) as sections, collector_paused():
            return None if sections is None else sections.actions(pick, positions)
    except Exception:  # missing, damaged or foreign
        return None


def read_action_texts(root: Path, found: Survey) -> list[str] | None:
    """Every action's ``action_text``, in the repository's order, from the snapshot made for
    exactly these files; None when there is none."""
    try:
        with _sections_of(root, found) as sections:
            if sections is None:
                return None
            texts = marshal.loads(sections.raw("action-texts"))
        return texts if isinstance(texts, list) and all(isinstance(t, str) for t in texts) else None
    except Exception:  # missing, damaged or foreign
        return None


def write_snapshot(
    root: Path,
    found: Survey,
    repo: Repository,
    segments: dict[str, list[Diagnostic]],
    pickled: list[bytes] | None = None,
) -> None:
    """Keep the whole repository (loaded with its meetings) for the next command; never fails
    a command, and writes nothing while a file is too new to be trusted. The file: ``MAGIC``,
    the header's length, the header (sealed marshal: digest, time, problems, and where each
    section is with its checksum), then the sections one after another: pickles, but the
    actions one pickle each with their lengths and ``ActionKey``s in a marshal section.
    ``pickled``: each action's pickle as the loader has it (the per-file cache's), when it
    has them all: pickling 10,000 actions again costs a quarter of a second."""
    folder = _cache_folder(root)
    written = time.time_ns()
    if folder is None or not os.path.isdir(folder) or not found.trusted_after(written):
        return
    if pickled is not None and len(pickled) == len(repo.actions):
        pieces = pickled
    else:
        pieces = [_flat_pickle(action) for action in repo.actions]
    sections = {
        # The meetings with pickle's memo (each class and field name written once: unpickled in
        # half the time); the actions, thousands more, flat (``_flat_pickle``).
        "head": pickle.dumps((repo.config, repo.meetings, repo.proposals), pickle.HIGHEST_PROTOCOL),
        "config": pickle.dumps(repo.config, pickle.HIGHEST_PROTOCOL),
        "actions": b"".join(pieces),
        "action-keys": marshal.dumps([(len(p), *action_key(a)) for p, a in zip(pieces, repo.actions)]),
        "action-texts": marshal.dumps([action_text(a) for a in repo.actions]),
    }
    where: dict[str, tuple[int, int, int]] = {}
    offset = 0
    for name, data in sections.items():
        where[name] = (offset, len(data), checksum(data))
        offset += len(data)
    header = seal(
        marshal.dumps(
            {
                "digest": found.digest,
                "written": written,
                "problems": {name: kept_problems(segments[name]) for name in SEGMENTS},
                "sections": where,
            }
        )
    )
    _replace(os.path.join(folder, SNAPSHOT), MAGIC, len(header).to_bytes(8, "little"), header, *sections.values())


def _flat_pickle(value: Any) -> bytes:
    """A pickle without a memo (``Pickler.fast``): records hold no cycles, and without it the
    unpickler keeps every object's state until the end, 40 % more memory at its peak (an
    object shared by several records is stored once for each, a few bytes more)."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(value)
    return out.getvalue()


# -- memos: answers computed from the files -----------------------------------------------


@dataclass(frozen=True)
class Loaded:
    """How a repository was loaded from disk: under which survey, whether with its meetings,
    and whether with its actions (``complete``)."""

    survey: Survey
    with_meetings: bool
    complete: bool


_LOADED: dict[int, tuple[Repository, Loaded]] = {}


def register(repo: Repository, found: Survey, with_meetings: bool, complete: bool = True) -> None:
    """Remember how ``repo`` was loaded (the last few repositories only)."""
    if len(_LOADED) >= 4:
        _LOADED.pop(next(iter(_LOADED)))
    _LOADED[id(repo)] = (repo, Loaded(found, with_meetings, complete))


def survey_of(repo: Repository) -> Loaded | None:
    """How ``repo`` was loaded; None for a repository that was not loaded from the files on
    disk (built in a test, a git revision)."""
    entry = _LOADED.get(id(repo))
    return entry[1] if entry is not None and entry[0] is repo else None


_memo_key: list[str] = []


def memo_key() -> str:
    """What decides a memo besides the files: the cache's schema and the code of ``ops``
    (where the answers are computed). Worked out once per process."""
    if _memo_key:
        return _memo_key[0]
    _memo_key.append("|".join([schema(), *code_stamps(("ops",))]))
    return _memo_key[0]


def as_problems(value: Any) -> list[Diagnostic] | None:
    """Problems kept as (path, line, message, severity) tuples, checked: None when ``value``
    is anything else (a memo of another shape is not trusted)."""
    if not isinstance(value, (list, tuple)):
        return None
    problems = []
    for item in value:
        if not (
            isinstance(item, (list, tuple))
            and len(item) == 4
            and isinstance(item[0], str)
            and isinstance(item[1], int)
            and isinstance(item[2], str)
            and item[3] in ("error", "warning")
        ):
            return None
        problems.append(Diagnostic(item[0], item[1], item[2], item[3]))
    return problems


def kept_problems(problems: list[Diagnostic]) -> list[tuple[str, int, str, str]]:
    """Problems as ``as_problems`` reads them back."""
    return [(p.path, p.line, p.message, p.severity) for p in problems]


def _probe(path: str) -> tuple[bool, str]:
    """What an answer may have seen of a path outside the surveyed files."""
    return os.path.isfile(path), os.path.realpath(path)


def recall(root: Path, found: Survey, name: str) -> Any:
    """The value remembered under ``name`` for exactly these files; None when there is none."""
    folder = _cache_folder(root)
    if folder is None:
        return None
    try:
        memo = read_sealed(os.path.join(folder, f"memo-{name}.snap"))
        if (
            memo["digest"] != found.digest
            or memo["key"] != memo_key()
            or not found.trusted_after(memo["written"])
            or any(_probe(path) != tuple(seen) for path, seen in memo["probes"])
        ):
            return None
        return memo["value"]
    except Exception:  # missing, damaged or foreign
        return None


def remember(root: Path, found: Survey, name: str, value: Any, probes: list[str]) -> None:
    """Keep ``value`` (marshal-able) for these files; ``probes``: paths outside them whose
    existence the value depends on. Never fails a command."""
    folder = _cache_folder(root)
    written = time.time_ns()
    if folder is None or not os.path.isdir(folder) or not found.trusted_after(written):
        return
    memo = {
        "digest": found.digest,
        "key": memo_key(),
        "written": written,
        "probes": [(path, _probe(path)) for path in sorted(set(probes))],
        "value": value,
    }
    try:
        data = seal(marshal.dumps(memo))
    except ValueError:  # not marshal-able: nothing to keep
        return
    _replace(os.path.join(folder, f"memo-{name}.snap"), data)


def _replace(target: str, *chunks: bytes) -> None:
    """Write a cache file whole (a temporary file renamed over it); never fails a command."""
    tmp = f"{os.path.dirname(target)}/.{os.path.basename(target)}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
        os.replace(tmp, target)
    except OSError:
        with suppress(OSError):
            os.unlink(tmp)
