"""Find a repository, read its files, and assemble the model: returns ``(repo, problems)``.

Loading never raises on bad user data: every problem becomes a ``Diagnostic``. Only a
missing repository (nothing to load at all) is an ``IdmeetError``.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from idmeet.core.diagnostics import Diagnostic
from idmeet.core.model import Action, Config, Meeting, Proposal, Repository
from idmeet.store import snapshot
from idmeet.store.cache import ActionSummary, ParseCache, interned, summary_of
from idmeet.store.listing import classify, disk_files
from idmeet.store.paths import ACTIONS_DIR, CONFIG_FILE, read_file
from idmeet.store.warm import stamp

T = TypeVar("T")


def _by_kind(paths: list[str]) -> dict[str, list[str]]:
    kinds: dict[str, list[str]] = {}
    for rel in paths:
        kind = classify(rel)
        if kind:
            kinds.setdefault(kind, []).append(rel)
    return kinds


Reader = Callable[[str], bytes]


PARALLEL_MIN = 2000  # action files to parse before two processes pay for themselves
# What parsing one file of a kind costs, in action files: a meeting's Markdown body goes
# through markdown-it (about 2.6 ms against 0.15 ms for an action, measured on the benchmark's
# repository), so 500 meetings are worth parsing in a process per core as 10,000 actions are.
PARSE_WEIGHT = {"meeting": 17}
RECORD_TYPES: dict[str, type] = {"config": Config, "meeting": Meeting, "action": Action, "proposal": Proposal}


def _parse_one(
    rel: str,
    data: bytes,
    parse: Callable[[bytes, str], tuple[Any, list[Diagnostic]]],
) -> tuple[bytes, tuple[tuple[str, int, str, str], ...], Any]:
    """(pickled record, encoded problems, summary) of one file: what the cache keeps."""
    record, found = parse(data, rel)
    return (
        pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL),
        tuple((p.path, p.line, p.message, p.severity) for p in found),
        summary_of(record),
    )


def _parse_chunk(job: tuple[str, str, list[str]]) -> bytes:
    """A worker's piece of the files (run in a forked process), as marshal data: much faster
    to hand back to the parent than pickled tuples. Summaries come interned (marshal keeps
    that), so the parent does not intern them again (``ParseCache.store``)."""
    import marshal

    root, kind, rels = job
    parse = _parser(kind)
    out: list[tuple[str, Any]] = []
    for rel in rels:
        try:
            data = read_file(root, rel)
        except OSError as exc:
            out.append((rel, exc.strerror or str(exc)))
            continue
        blob, found, summary = _parse_one(rel, data, parse)
        out.append((rel, (blob, found, interned(summary))))
    return marshal.dumps((kind, out))


PIECES = 12  # pieces per worker: the parent takes each as it comes, and no core idles long at the end


class _Parsing:
    """Files of every kind being parsed in worker processes at once (meetings first, the
    heaviest per file); ``take`` hands back one kind's results as soon as all its pieces are in,
    while the workers go on with the others."""

    def __init__(self, pool: Any, pieces: Any, expected: dict[str, int]) -> None:
        self.pool, self.pieces, self.expected = pool, pieces, expected
        self.done: dict[str, dict[str, Any]] = {kind: {} for kind in expected}
        self.left = dict(expected)
        self.broken = False  # a piece failed: which kind it was of is unknown, the caller parses the rest

    def take(self, kind: str, eager: bool = False) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(rel -> (blob, problems, summary) or an error text, for every file of ``kind`` sent
        out; rel -> record for those already unpickled). ``eager``: the caller keeps every
        record, so each piece's records are unpickled as soon as it comes in, while the workers
        still parse (not all at the end, with one core idle). None when the workers failed
        (then the caller parses the files itself)."""
        import marshal

        if self.broken or kind not in self.left:
            return None
        records: dict[str, Any] = {}
        try:
            while self.left[kind]:
                got, items = marshal.loads(next(self.pieces))
                self.done[got].update(items)
                self.left[got] -= 1
                if eager and got == kind:
                    loads = pickle.loads
                    records.update((rel, loads(entry[0])) for rel, entry in items if type(entry) is not str)
        except (OSError, RuntimeError, StopIteration):
            self.broken = True
            return None
        del self.left[kind]
        return self.done.pop(kind), records

    def close(self) -> None:
        self.pool.terminate()


def _parse_many(root: Path, misses: dict[str, list[str]]) -> _Parsing | None:
    """Start parsing the ``misses`` (kind -> files) in as many processes as the machine has
    cores (at most one per ``PARALLEL_MIN // 2`` action files' worth of work, so each pays for
    its start); None where that is not possible."""
    import multiprocessing

    total = sum(_work(kind, len(rels)) for kind, rels in misses.items())
    workers = min(
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1,
        max(1, total // max(1, PARALLEL_MIN // 2)),
    )
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    piece = max(1, total // (workers * PIECES))  # in action files' worth
    jobs: list[tuple[str, str, list[str]]] = []
    expected: dict[str, int] = {}
    for kind in sorted(misses, key=lambda k: -PARSE_WEIGHT.get(k, 1)):
        rels = misses[kind]
        size = max(1, piece // PARSE_WEIGHT.get(kind, 1))
        for at in range(0, len(rels), size):
            jobs.append((str(root), kind, rels[at : at + size]))
            expected[kind] = expected.get(kind, 0) + 1
    try:
        pool = multiprocessing.get_context("fork").Pool(workers)
    except (OSError, RuntimeError):
        return None
    return _Parsing(pool, pool.imap_unordered(_parse_chunk, jobs), expected)


def _work(kind: str, files: int) -> int:
    """Parsing ``files`` files of ``kind``, in action files' worth of work (``PARSE_WEIGHT``)."""
    return files * PARSE_WEIGHT.get(kind, 1)


def _parser(kind: str) -> Callable[[bytes, str], tuple[Any, list[Diagnostic]]]:
    """``parse.parse_<kind>``, imported only when a file has to be parsed (not from the cache)."""
    from idmeet.parser import records as parsers

    return getattr(parsers, f"parse_{kind}")  # type: ignore[no-any-return]


Looked = tuple[dict[str, Any], dict[str, tuple[int, int, int, int]], list[str]]


def _look_up(
    paths: list[str],
    root: Path | None,
    cache: ParseCache | None,
    known: Mapping[str, tuple[int, int, int, int]] | None = None,
) -> Looked:
    """(what the cache has, rel -> entry; the files' stamps; the files still to parse).
    ``known``: the files' stamps as the caller has just taken them (not stat'ed again)."""
    prefix, stat = f"{root}/", os.stat  # (this loop is hot)
    found: dict[str, Any] = {}  # rel -> (where-or-blob, encoded problems, summary) or an error text
    stamps: dict[str, tuple[int, int, int, int]] = {}
    misses: list[str] = []
    for rel in paths:
        if cache is not None:
            if known is not None and rel in known:
                stamps[rel] = known[rel]
            else:
                try:  # noqa: SIM105 - a hot loop: contextlib.suppress costs more
                    stamps[rel] = stamp(stat(prefix + rel))
                except OSError:
                    pass
            hit = cache.lookup(rel, stamps[rel]) if rel in stamps else None
            if hit is not None:
                found[rel] = hit
                continue
        misses.append(rel)
    return found, stamps, misses


def _parse_all(
    paths: list[str],
    read: Reader,
    kind: str,
    problems: list[Diagnostic],
    root: Path | None = None,
    cache: ParseCache | None = None,
    keep: Callable[[ActionSummary], bool] | None = None,
    known: Mapping[str, tuple[int, int, int, int]] | None = None,
    looked: Looked | None = None,
    parsing: _Parsing | None = None,
    blobs: list[bytes] | None = None,
) -> list[T]:
    """Parse each file (or take it from the cache), in path order. ``keep`` may leave out
    actions early: a query's necessary condition, tested on the summary before unpickling.
    ``looked``: ``_look_up``'s answer when the caller has it; ``parsing``: the worker
    processes already parsing its misses. Else many files to parse from disk are parsed in a
    process per core. ``blobs``: gets each record's pickle, in the order of the records (the
    snapshot keeps them as they are, instead of pickling every record again)."""
    make_summary = ActionSummary._make
    found, stamps, misses = looked if looked is not None else _look_up(paths, root, cache, known)
    taken = None
    if parsing is None and cache is not None and root is not None and _work(kind, len(misses)) >= PARALLEL_MIN:
        parsing = _parse_many(root, {kind: misses})
        if parsing is not None:
            try:
                taken = parsing.take(kind, keep is None)
            finally:
                parsing.close()
    elif parsing is not None:
        taken = parsing.take(kind, keep is None)
    parsed, unpickled = taken if taken is not None else (None, {})
    for rel in misses:
        if parsed is not None:
            found[rel] = parsed[rel]
        else:
            try:
                found[rel] = _parse_one(rel, read(rel), _parser(kind))
            except OSError as exc:
                found[rel] = exc.strerror or str(exc)
        if cache is not None and rel in stamps and not isinstance(found[rel], str):
            blob, encoded, summary = found[rel]
            cache.store(rel, stamps[rel], blob, encoded, summary, is_interned=parsed is not None)
    records: list[T] = []
    for rel in paths:
        entry = found[rel]
        if isinstance(entry, str):
            problems.append(Diagnostic(rel, 0, f"cannot read the file: {entry}"))
            continue
        where, encoded, summary = entry
        if encoded:
            problems.extend(Diagnostic(*p) for p in encoded)
        if keep is not None and summary is not None and not keep(make_summary(summary)):
            continue
        if rel in unpickled:  # (``where`` is its pickle: parsed by a worker just now)
            blob, record = where, unpickled[rel]
        elif isinstance(where, tuple) and cache is not None:
            record = _cached_record(cache, where, kind)
            blob = cache.data[where[0] : where[0] + where[1]] if blobs is not None else b""
            if record is _DAMAGED:  # the cache lied: parse the file again and keep that instead
                try:
                    blob, encoded, summary = _parse_one(rel, read(rel), _parser(kind))
                except OSError as exc:
                    problems.append(Diagnostic(rel, 0, f"cannot read the file: {exc.strerror or exc}"))
                    continue
                if rel in stamps:
                    cache.store(rel, stamps[rel], blob, encoded, summary)
                record = pickle.loads(blob)
        else:
            blob, record = where, pickle.loads(where)
        if record is not None:
            records.append(record)
            if blobs is not None:
                blobs.append(blob)
    return records


_DAMAGED = object()


def _cached_record(cache: ParseCache, where: tuple[int, int], kind: str) -> Any:
    """The record the cache keeps at ``where``, or ``_DAMAGED`` when it does not unpickle to
    a record of ``kind`` (or None, a file that gave no record)."""
    try:
        record = cache.record(where)
    except Exception:  # any damage: pickle raises many kinds of error
        return _DAMAGED
    return record if record is None or isinstance(record, RECORD_TYPES[kind]) else _DAMAGED


def load(
    root: Path,
    with_meetings: bool = True,
    paths: list[str] | None = None,
    read: Reader | None = None,
    keep_action: Callable[[Repository], Callable[[ActionSummary], bool]] | None = None,
    surveyed: snapshot.Survey | None = None,
    with_actions: bool = True,
    pick_actions: Callable[[snapshot.ActionKey], bool] | None = None,
    aside: list[ParseCache] | None = None,
) -> tuple[Repository, list[Diagnostic]]:
    """Read every file of the repository at ``root`` into a ``Repository``.

    ``paths`` and ``read`` default to the files on disk (then the cache in .idmeet-cache/ is
    used); ``idmeet diff`` passes a git revision's. ``keep_action`` lets a query skip actions
    it cannot match: given the repository with its configuration only, it returns the test.
    ``surveyed``: the files on disk as the caller has just listed them (``snapshot.survey``).
    ``with_actions=False``: the caller does not use the actions; from a snapshot they are then
    left out (their problems are still reported), otherwise they are loaded as usual.
    ``pick_actions``: likewise, from a snapshot only the actions it takes are loaded (the
    caller must still choose among ``repo.actions`` itself: without a snapshot all are there).
    ``aside``: the action cache (the largest, parsed last) is not written but added to it, for
    the caller to write (``cache.save_aside``) while it goes on with the model.
    Files that cannot be used are left out of the model and reported in the problems.
    """
    on_disk = paths is None and read is None
    listed = None
    if on_disk:  # the folder's time *before* listing it: a file added meanwhile changes it again
        with contextlib.suppress(OSError):
            listed = os.stat(root / ACTIONS_DIR).st_mtime_ns
    odd: list[Diagnostic] = []
    found = None
    if on_disk and keep_action is None:  # the whole repository: from its snapshot when unchanged
        found = surveyed or snapshot.survey(root)
        whole = snapshot.read_snapshot(root, found, with_meetings, with_actions, pick_actions)
        if whole is not None:
            snapshot.register(whole[0], found, with_meetings, complete=with_actions and pick_actions is None)
            return whole
        kinds, odd = found.kinds, list(found.odd)
    else:
        kinds = disk_files(root, odd) if paths is None else _by_kind(paths)
    read = read or (lambda rel: read_file(root, rel))

    wanted = ["config", "meeting", "proposal", "action"] if with_meetings else ["config", "action"]
    caches = {kind: ParseCache(root, kind) for kind in wanted} if on_disk else {}
    known = found.stamps if found is not None else None
    looked = {kind: _look_up(kinds.get(kind, []), root, cache, known) for kind, cache in caches.items()}
    parsing: _Parsing | None = None

    def parse_kind(
        kind: str, keep: Callable[[ActionSummary], bool] | None = None, blobs: list[bytes] | None = None
    ) -> list[Any]:
        cache = caches.get(kind)
        if cache is not None and kind == "action" and listed is not None and not _under(odd, ACTIONS_DIR):
            cache.listing = (listed, len(kinds.get(kind, [])))
        records: list[Any] = _parse_all(
            kinds.get(kind, []), read, kind, problems, root, cache, keep, known, looked.get(kind), parsing, blobs
        )
        if cache is not None:
            parsed.append(len(cache.new))
            if aside is not None and kind == "action":  # (the others: while the workers parse the actions)
                aside.append(cache)
            else:
                cache.save()
        return records

    parsed: list[int] = []  # files parsed (not found in the cache), per kind

    problems: list[Diagnostic] = list(odd)
    bounds = [len(problems)]  # where each of snapshot.SEGMENTS ends
    with snapshot.collector_paused(), contextlib.ExitStack() as stack:
        misses = {kind: rels for kind, (_, _, rels) in looked.items() if rels and kind != "config"}
        if on_disk and sum(_work(kind, len(rels)) for kind, rels in misses.items()) >= PARALLEL_MIN:
            parsing = _parse_many(root, misses)  # every kind at once: the parent takes each in turn
            if parsing is not None:
                stack.callback(parsing.close)
        configs = parse_kind("config")
        if not kinds.get("config"):
            problems.append(Diagnostic(CONFIG_FILE, 0, "cannot read the file: it does not exist"))
        bounds.append(len(problems))
        config = configs[0] if configs else Config(organisation="")
        keep = keep_action(Repository(root, config)) if keep_action else None
        meetings: list[Meeting] = []
        proposals: list[Proposal] = []
        if with_meetings:
            meetings = _with_owners(parse_kind("meeting"), config, problems)
            bounds.append(len(problems))
            proposals = parse_kind("proposal")
            bounds.append(len(problems))
        # The actions' pickles, for the snapshot this load may write (``write_snapshot``).
        blobs: list[bytes] | None = [] if found is not None and with_meetings and keep is None else None
        actions: list[Action] = parse_kind("action", keep, blobs)
        meetings.sort(key=lambda m: (m.series, m.date))
        repo = Repository(root, config, tuple(meetings), tuple(actions), tuple(proposals))
    if found is not None:
        # The snapshot is written once the files are mostly in the per-file cache: a first run
        # (a fresh clone, CI) parses everything and would only pay for a snapshot it may never use.
        settled = 2 * sum(parsed) <= sum(len(rels) for rels in kinds.values())
        if with_meetings and settled:
            while aside:  # the snapshot is written into the cache's folder: the caches first
                aside.pop(0).save()
            starts = [0, *bounds]
            ends = [*bounds, len(problems)]
            segments = {name: problems[a:b] for name, a, b in zip(snapshot.SEGMENTS, starts, ends)}
            snapshot.write_snapshot(root, found, repo, segments, blobs)
        snapshot.register(repo, found, with_meetings)
    return repo, problems


def with_actions_of(repo: Repository, pick: Callable[[snapshot.ActionKey], bool]) -> Repository:
    """``repo``, loaded without (all of) its actions, with the actions ``pick`` takes among
    them: for a command that learns which actions it needs from a meeting it has found. A
    repository that has all its actions is returned as it is (the caller still chooses)."""
    import dataclasses

    loaded = snapshot.survey_of(repo)
    if loaded is None or loaded.complete:
        return repo
    actions = snapshot.read_actions(repo.root, loaded.survey, pick)
    if actions is None:  # the snapshot is gone or another one: all actions, from the files
        actions = load(repo.root, with_meetings=loaded.with_meetings, surveyed=loaded.survey)[0].actions
    chosen = dataclasses.replace(repo, actions=actions)
    snapshot.register(chosen, loaded.survey, loaded.with_meetings, complete=False)
    return chosen


@dataclass(frozen=True)
class SearchableActions:
    """The actions as ``search`` reads them: every action's ``snapshot.action_text`` in the
    repository's order, and ``fetch`` for the actions at some of those positions (in order)."""

    texts: list[str]
    fetch: Callable[[list[int]], list[Action]]


def searchable_actions(repo: Repository) -> SearchableActions:
    """The actions of ``repo`` for a search: its own when it has them all; else, from the
    snapshot, their texts, and only the actions a search asks for are unpickled."""
    loaded = snapshot.survey_of(repo)
    texts = None
    if loaded is not None and not loaded.complete:
        texts = snapshot.read_action_texts(repo.root, loaded.survey)
    if loaded is None or texts is None:
        actions = repo.actions if loaded is None or loaded.complete else _all_actions(repo, loaded)
        return SearchableActions([snapshot.action_text(a) for a in actions], lambda ats: [actions[i] for i in ats])
    found = loaded.survey
    known = texts

    def fetch(ats: list[int]) -> list[Action]:
        chosen = snapshot.read_actions(repo.root, found, None, set(ats))
        if chosen is not None and len(chosen) == len(ats):
            return list(chosen)
        # The snapshot went meanwhile: the actions with those texts, from a whole load.
        wanted = {known[i] for i in ats}
        return [a for a in _all_actions(repo, loaded) if snapshot.action_text(a) in wanted]

    return SearchableActions(texts, fetch)


def _all_actions(repo: Repository, loaded: snapshot.Loaded) -> tuple[Action, ...]:
    return load(repo.root, with_meetings=loaded.with_meetings, surveyed=loaded.survey)[0].actions


def _under(problems: list[Diagnostic], folder: str) -> bool:
    """Is one of ``problems`` about ``folder`` or an entry in it? (Then the warm path, which
    does not see such entries, must not skip listing it.)"""
    return any(p.path == folder or p.path.startswith(f"{folder}/") for p in problems)


def _with_owners(meetings: list[Meeting], config: Config, problems: list[Diagnostic]) -> list[Meeting]:
    """The meetings with the owners of their action lines read with the people of
    ``idmeet.yaml`` (a file's parse, and so the cache, does not depend on idmeet.yaml)."""
    if not any(item.actions for m in meetings for item in m.items):
        return meetings
    import dataclasses

    from idmeet.parser.body import resolve_owners

    spellings = config.spellings()
    return [
        dataclasses.replace(m, items=resolve_owners(m.items, spellings, problems))
        if any(item.actions for item in m.items)
        else m
        for m in meetings
    ]


def config_is_usable(problems: list[Diagnostic]) -> bool:
    """False when idmeet.yaml itself could not be read, so cross-checks would only add noise."""
    return unusable_config(problems) is None


def unusable_config(problems: list[Diagnostic]) -> Diagnostic | None:
    """The problem that made idmeet.yaml unreadable (invalid YAML, not UTF-8, ...), if any:
    a command that needs the people and series must say this, not that a name is unknown."""
    return next(
        (
            p
            for p in problems
            if p.path == CONFIG_FILE
            and p.severity == "error"
            and p.message.startswith(
                (
                    "invalid YAML",
                    "empty file",
                    "not UTF-8",
                    "cannot read",
                    "idmeet.yaml must be",
                    "YAML anchors",
                    "YAML nested",
                    "the file is larger",
                )
            )
        ),
        None,
    )
