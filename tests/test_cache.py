"""The parse cache is never trusted over the files, and the fast path answers like typer does."""

from __future__ import annotations

import io
import json
import os
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.cli.fast import parse, run
from idmeet.store.cache import CACHE_DIR
from idmeet.store.load import _parse_chunk, load

from .conftest import OLD, age, drop_snapshots, edit_behind


def titles(repo: Path) -> dict[str, str]:
    loaded, problems = load(repo)
    assert not [p for p in problems if p.severity == "error"]
    return {a.id: a.title for a in loaded.actions}


def test_cache_is_written_and_used(example: Path) -> None:
    age(example)
    first = titles(example)
    cache = example / CACHE_DIR
    assert (cache / "action.index").is_file() and (cache / "action.data").is_file()
    assert (cache / ".gitignore").read_text() == "*\n"
    # A second load gives the same model (from the cache this time).
    assert titles(example) == first
    stamp = (cache / "action.index").stat().st_mtime_ns
    titles(example)
    assert (cache / "action.index").stat().st_mtime_ns == stamp  # nothing new: not rewritten


def test_same_size_new_mtime_is_seen(example: Path) -> None:
    age(example)
    titles(example)
    path = example / "actions/nm8qxrv2.md"
    edit_behind(path, "Prestatieafspraken GMT", "Prestatieafspraken XYZ", OLD + 10**9)  # same size
    assert titles(example)["nm8qxrv2"] == "Prestatieafspraken XYZ"


def test_same_mtime_new_size_is_seen(example: Path) -> None:
    age(example)
    titles(example)
    path = example / "actions/nm8qxrv2.md"
    edit_behind(path, "Prestatieafspraken GMT", "Prestatieafspraken van het GMT", OLD)  # same mtime
    assert titles(example)["nm8qxrv2"] == "Prestatieafspraken van het GMT"


def test_racy_file_is_not_trusted(example: Path) -> None:
    """A file changed in the same clock tick as the cache was written keeps size and mtime."""
    path = example / "actions/nm8qxrv2.md"
    os.utime(path)  # just written: its entry is racy
    titles(example)
    stat = path.stat()
    edit_behind(path, "Prestatieafspraken GMT", "Prestatieafspraken XYZ", stat.st_mtime_ns)
    assert path.stat().st_size == stat.st_size
    assert titles(example)["nm8qxrv2"] == "Prestatieafspraken XYZ"


@pytest.mark.parametrize("damage", [b"", b"garbage", b"\x00" * 100])
def test_corrupt_or_foreign_cache_is_rebuilt(example: Path, damage: bytes) -> None:
    age(example)
    good = titles(example)
    for name in ("action.index", "action.data"):
        (example / CACHE_DIR / name).write_bytes(damage)
        drop_snapshots(example)
        assert titles(example) == good
        assert (example / CACHE_DIR / "action.index").read_bytes() != damage  # rebuilt


def test_removed_and_added_files(example: Path) -> None:
    age(example)
    titles(example)
    (example / "actions/nm8qxrv2.md").unlink()
    (example / "actions/zz000000.md").write_text(
        "---\nid: zz000000\ntitle: Nieuw\nowner: Peter\nstatus: open\nopened: 2024-03-01\n---\n"
    )
    found = titles(example)
    assert "nm8qxrv2" not in found and found["zz000000"] == "Nieuw"


def test_problems_come_back_from_the_cache(example: Path, runner: CliRunner) -> None:
    path = example / "actions/nm8qxrv2.md"
    path.write_text(path.read_text().replace("due: 2024-02-07", "due: 2024-02-31"))
    age(example)
    for _ in range(2):  # once parsed, once cached
        result = runner.invoke(app, ["--repo", str(example), "check"])
        assert result.exit_code == 1
        assert "actions/nm8qxrv2.md:7: 'due' is not a valid date: '2024-02-31' (no such day)" in result.stderr


def test_read_only_repository_works_without_cache(example: Path, runner: CliRunner) -> None:
    (example / CACHE_DIR).write_text("not a folder")  # the cache cannot be made
    result = runner.invoke(app, ["--repo", str(example), "actions", "--owner", "Peter", "-f", "json"])
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 8


# -- the fast path ------------------------------------------------------------------------


COMMANDS = [
    ["actions"],
    ["actions", "--open", "--owner", "Peter", "--format", "json"],
    ["actions", "--owner=peter", "-f", "csv"],
    ["actions", "--all", "--sort", "owner", "-f", "json"],
    ["actions", "--done", "--dropped", "-f", "md"],
    ["actions", "--overdue", "-f", "json"],
    ["actions", "--as-of", "2024-03-01", "-f", "json"],
    ["actions", "--text", "P&O", "-f", "json"],
    ["actions", "--tag", "gmt", "--series", "voortgangsoverleg", "-n", "2", "-f", "json"],
    ["actions", "--meeting", "voortgangsoverleg/2024-02", "--due-before", "1-3-2024", "-f", "json"],
    ["actions", "--due-after", "2024-02-10", "-f", "json"],
    ["actions", "--owner", "Petr"],
    ["actions", "--owner", "5.1, 2, e", "-f", "json"],
    ["actions", "--series", "nope"],
    ["actions", "--as-of", "gisteren"],
    ["actions", "-f", "xml"],
    ["actions", "--sort", "size"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_fast_path_answers_like_typer(example: Path, args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDMEET_TODAY", "2024-03-10")
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = run(["--repo", str(example), *args])
    assert code is not None, "the fast path should handle this"
    typed = CliRunner().invoke(app, ["--repo", str(example), *args])
    assert (code, out.getvalue(), err.getvalue()) == (typed.exit_code, typed.stdout, typed.stderr)


@pytest.mark.parametrize(
    "argv",
    [
        ["actions", "--help"],
        ["actions", "--limit", "x"],
        ["actions", "--owner"],
        ["action", "show", "x"],
        ["--verbose", "actions"],
        ["actions", "extra"],
        ["check"],
    ],
)
def test_fast_path_leaves_the_rest_to_typer(argv: list[str]) -> None:
    assert parse(argv) is None


def test_parallel_parse_gives_the_same_repository(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many files are parsed in two processes; the result is the same as parsing them here."""
    from idmeet.core.model import meaning
    from idmeet.store import load as loader

    (example / "actions/nm8qxrv2.md").write_text("---\nid: nm8qxrv2\n---\n")  # a broken one too
    age(example)
    serial, serial_problems = load(example)
    shutil.rmtree(example / CACHE_DIR)
    monkeypatch.setattr(loader, "PARALLEL_MIN", 1)
    called: list[int] = []
    original = loader._parse_many

    def counted(*args: Any) -> Any:
        called.append(1)
        return original(*args)

    monkeypatch.setattr(loader, "_parse_many", counted)
    parallel, parallel_problems = load(example)
    assert called == [1], "the meetings and the actions were not parsed in one pool of processes"
    assert meaning(parallel) == meaning(serial)
    assert parallel_problems == serial_problems
    assert any("missing required key 'title'" in p.message for p in parallel_problems)
    # What the workers handed back went into the cache as the parent's own parse would have.
    drop_snapshots(example)
    called.clear()
    cached, cached_problems = load(example)
    assert not called, "the second load parsed again instead of using the cache"
    assert meaning(cached) == meaning(serial)
    assert cached_problems == serial_problems


def test_parallel_summaries_are_cached_as_the_serial_ones(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers intern the summaries themselves; the cache holds the same summaries and the
    warm answer of ``idmeet actions`` is the same as after a parse in this process."""
    from idmeet.store import load as loader
    from idmeet.store.cache import ParseCache

    age(example)
    load(example)
    serial = ParseCache(example, "action").entries
    answer = CliRunner().invoke(app, ["--repo", str(example), "actions", "--format", "json"]).stdout
    shutil.rmtree(example / CACHE_DIR)
    monkeypatch.setattr(loader, "PARALLEL_MIN", 1)
    load(example)
    parallel = ParseCache(example, "action").entries
    assert {rel: entry[5] for rel, entry in parallel.items()} == {rel: entry[5] for rel, entry in serial.items()}
    assert all(type(entry[5]) is tuple for entry in parallel.values())
    with redirect_stdout(io.StringIO()) as out:
        assert run(["--repo", str(example), "actions", "--format", "json"]) == 0
    assert out.getvalue() == answer


def test_fast_path_turns_errors_into_exit_codes_like_typer(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both paths hand errors to the same function: a bug is one line and exit 70, no traceback."""
    from idmeet.cli import listing

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(listing, "list_actions", broken)
    err = io.StringIO()
    with redirect_stderr(err):
        code = run(["--repo", str(example), "actions", "-f", "json"])
    typed = CliRunner().invoke(app, ["--repo", str(example), "actions", "-f", "json"])
    assert code == typed.exit_code == 70
    assert (
        err.getvalue()
        == typed.stderr
        == ("idmeet: internal error: RuntimeError: boom (this is a bug; run with IDMEET_DEBUG=1 for details)\n")
    )


def test_a_first_check_writes_the_cache_beside_its_checks(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many new entries are written by a forked child while ``check`` validates; when check
    returns the cache is whole (the next load parses nothing) and its answer is kept."""
    from idmeet.ops.check import check_repository
    from idmeet.store import cache as cache_module
    from idmeet.store import load as loader
    from idmeet.store import snapshot

    (example / "actions/nm8qxrv2.md").write_text("---\nid: nm8qxrv2\n---\n")  # a problem to report
    age(example)
    expected = check_repository(example)  # a few files: written here
    shutil.rmtree(example / CACHE_DIR)
    monkeypatch.setattr(cache_module, "ASIDE_MIN", 1)
    forks: list[int] = []
    fork = os.fork

    def counted() -> int:
        forks.append(1)
        return fork()

    monkeypatch.setattr(os, "fork", counted)
    report = check_repository(example)
    assert forks == [1], "the cache was not written by a child process"
    assert report == expected and report.errors
    assert snapshot.recall(example, snapshot.survey(example), "check") is not None
    parsed: list[str] = []
    parse = loader._parse_one

    def counted_parse(rel: str, *args: Any) -> Any:
        parsed.append(rel)
        return parse(rel, *args)

    monkeypatch.setattr(loader, "_parse_one", counted_parse)
    drop_snapshots(example)
    repo, _ = load(example)
    assert parsed == [] and len(repo.actions) == expected.actions


def test_a_child_that_fails_to_write_the_cache_leaves_it_to_the_parent(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should the child die, the wait writes the caches itself: the cache is still whole."""
    from idmeet.store import cache as cache_module

    age(example)
    caches: list[cache_module.ParseCache] = []
    load(example, aside=caches)
    assert caches and not (example / CACHE_DIR / "action.index").exists()
    monkeypatch.setattr(cache_module, "ASIDE_MIN", 1)
    waitpid = os.waitpid
    monkeypatch.setattr(os, "waitpid", lambda pid, flags: (waitpid(pid, flags)[0], 256))  # as if it failed
    shutil.rmtree(example / CACHE_DIR, ignore_errors=True)
    cache_module.save_aside(caches)()
    assert len(cache_module.ParseCache(example, "action").entries) == len(list((example / "actions").glob("*.md")))


def test_a_small_repository_starts_no_process(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first ``check`` of a few files parses and writes its cache in this process: no worker
    pool, no child to write the cache (each would cost more than it saves)."""
    from idmeet.ops.check import check_repository

    def refused() -> int:
        raise AssertionError("a process was started for a small repository")

    monkeypatch.setattr(os, "fork", refused)
    report = check_repository(example)
    assert report.actions > 0 and not report.errors
    assert (example / CACHE_DIR / "action.index").is_file()


def test_a_failing_worker_leaves_the_parse_to_this_process(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A piece that fails in a worker (here: every meeting piece) is parsed here instead, and
    so is every kind still to come: the same repository, the same problems."""
    from idmeet.core.model import meaning
    from idmeet.store import load as loader

    (example / "actions/nm8qxrv2.md").write_text("---\nid: nm8qxrv2\n---\n")
    serial, serial_problems = load(example)
    shutil.rmtree(example / CACHE_DIR)
    monkeypatch.setattr(loader, "PARALLEL_MIN", 1)
    monkeypatch.setattr(loader, "_parse_chunk", _failing_for_meetings)
    parallel, parallel_problems = load(example)
    assert meaning(parallel) == meaning(serial)
    assert parallel_problems == serial_problems


def _failing_for_meetings(job: tuple[str, str, list[str]]) -> bytes:
    """``load._parse_chunk``, failing for a piece of meetings (at module level: the pool sends it by name)."""
    if job[1] == "meeting":
        raise OSError("a worker failed")
    return _parse_chunk(job)


def test_a_snapshot_after_a_parallel_parse_keeps_each_records_own_pickle(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Actions parsed by the workers (unpickled as their pieces come in) go into the snapshot
    with their own pickles: the next command, answered from it, sees the same actions."""
    from idmeet.core.model import meaning
    from idmeet.store import load as loader

    age(example)
    load(example)  # the per-file cache
    for path in sorted((example / "actions").glob("*.md"))[:3]:  # few: the next load writes a snapshot
        edit_behind(path, "title: ", "title: Nieuw ", OLD)
    drop_snapshots(example)
    monkeypatch.setattr(loader, "PARALLEL_MIN", 1)
    fresh, _ = load(example)
    assert (example / CACHE_DIR / "repo.snap").is_file()
    assert sum(a.title.startswith("Nieuw ") for a in fresh.actions) == 3
    again, _ = load(example)  # from the snapshot
    assert meaning(again) == meaning(fresh)
