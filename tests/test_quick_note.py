"""``idmeet action note ID TEXT`` without loading the repository (``edits/quick.py``): it
answers only when its answer is the regular command's, writes the same bytes, keeps the lock
and the changed-on-disk refusal, and leaves every reading command's answer as a fresh load
from the files gives it."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idmeet.cli import _app
from idmeet.cli.fast import parse_note, run
from idmeet.edits import quick
from idmeet.store.load import load

from .conftest import age, edit_behind, snapshot

TODAY = "2024-03-10"
ID = "10m8t1n7"  # an open action of the example repository


def warmed(repo: Path) -> Path:
    """Every file old, and the cache (with ``action.warm``) written."""
    age(repo)
    load(repo)
    return repo


def fast(repo: Path, *args: str) -> tuple[int | None, str, str]:
    """(exit code or None when the regular command must answer, stdout, stderr) of the fast path."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = run(["--repo", str(repo), *args])
    return code, out.getvalue(), err.getvalue()


def regular(repo: Path, *args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of typer's command."""
    result = CliRunner().invoke(_app(), ["--repo", str(repo), *args])
    return result.exit_code, result.stdout, result.stderr


def twins(example: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Two warmed copies of the example repository."""
    other = tmp_path / "twin"
    shutil.copytree(example, other)
    return warmed(example), warmed(other)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDMEET_TODAY", TODAY)
    monkeypatch.delenv("IDMEET_NO_FAST_PATH", raising=False)


@pytest.mark.parametrize("given", [ID, "10m", "10M8", "actions/10m8t1n7.md"])
def test_the_fast_note_writes_and_says_what_the_regular_one_does(example: Path, tmp_path: Path, given: str) -> None:
    one, two = twins(example, tmp_path)
    code, out, err = fast(one, "action", "note", given, "belt P&O  op maandag")
    assert code == 0, err
    assert (code, out, err) == regular(two, "action", "note", given, "belt P&O  op maandag")
    assert snapshot(one) == snapshot(two)
    assert f"- {TODAY}: belt P&O op maandag" in (one / "actions" / f"{ID}.md").read_text()


def test_notes_one_after_another_each_answered_fast(example: Path, tmp_path: Path) -> None:
    """The benchmark's case: the file noted a moment ago is parsed again (its stamp is new, or
    too recent to trust), and the next note goes on it."""
    one, two = twins(example, tmp_path)
    for text in ("eerste", "tweede", "derde"):
        assert fast(one, "action", "note", ID, text)[0] == 0
        assert regular(two, "action", "note", ID, text)[0] == 0
    edit_behind(one / "actions" / "42m5tadr.md", "title: ", "title: Nu ", os.stat(one / "idmeet.yaml").st_mtime_ns)
    edit_behind(two / "actions" / "42m5tadr.md", "title: ", "title: Nu ", os.stat(two / "idmeet.yaml").st_mtime_ns)
    assert fast(one, "action", "note", "42m5", "vierde")[0] == 0  # another file changed behind: parsed too
    assert regular(two, "action", "note", "42m5", "vierde")[0] == 0
    assert snapshot(one) == snapshot(two)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def duplicate(repo: Path) -> None:
    replace(repo / "actions" / "42m5tadr.md", "id: 42m5tadr", f"id: {ID}")


def add_file(repo: Path) -> None:
    shutil.copy(repo / "actions" / "42m5tadr.md", repo / "actions" / "zz000000.md")
    replace(repo / "actions" / "zz000000.md", "id: 42m5tadr", "id: zz000000")


def broken(repo: Path) -> None:
    replace(repo / "actions" / "42m5tadr.md", "status: ", "status: bezig # ")


def config_changed(repo: Path) -> None:
    replace(repo / "idmeet.yaml", "organisation:", "# een opmerking\norganisation:")


def no_cache(repo: Path) -> None:
    shutil.rmtree(repo / ".idmeet-cache")


def target_broken(repo: Path) -> None:
    replace(repo / "actions" / f"{ID}.md", "status: open", "status: klaar")


def misnamed(repo: Path) -> None:
    """An id that is not its file's name, written into the cache (then not named)."""
    replace(repo / "actions" / "42m5tadr.md", "id: 42m5tadr", "id: 42m5tadx")
    warmed(repo)


HANDED_ON = {
    "unknown id": ("zzzz", "iets", None),
    "ambiguous start": ("j", "iets", None),
    "empty text": (ID, "   ", None),
    "a duplicate id": (ID, "iets", duplicate),
    "a file added": (ID, "iets", add_file),
    "another file broken": (ID, "iets", broken),
    "the file itself broken": (ID, "iets", target_broken),
    "idmeet.yaml changed": (ID, "iets", config_changed),
    "no cache": (ID, "iets", no_cache),
    "an id that is not its file's name": (ID, "iets", misnamed),
}


@pytest.mark.parametrize("case", HANDED_ON, ids=list(HANDED_ON))
def test_what_the_fast_note_cannot_be_sure_of_goes_to_the_regular_command(
    example: Path, tmp_path: Path, case: str
) -> None:
    """Nothing is written and None is returned; the regular command then answers (with its
    error, suggestion or refusal, or the note)."""
    given, text, change = HANDED_ON[case]
    one, two = twins(example, tmp_path)
    if change is not None:
        change(one)
        change(two)
    before = snapshot(one)
    assert fast(one, "action", "note", given, text) == (None, "", "")
    assert snapshot(one) == before
    assert quick.note(str(one), given, text, __import__("datetime").date(2024, 3, 10)) is None
    assert regular(one, "action", "note", given, text) == regular(two, "action", "note", given, text)
    assert snapshot(one) == snapshot(two)


@contextmanager
def held_by_another(repo: Path) -> Iterator[None]:
    """The repository's lock as another process holds it (a flock on its own open file)."""
    import fcntl

    handle = os.open(repo / ".idmeet-cache" / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(handle, fcntl.LOCK_EX)
    try:
        yield
    finally:
        os.close(handle)


def test_the_fast_note_waits_for_the_lock_and_refuses_in_one_line(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = warmed(example)
    before = snapshot(repo)
    monkeypatch.setenv("IDMEET_LOCK_WAIT", "0.05")
    with held_by_another(repo):
        code, out, err = fast(repo, "action", "note", ID, "iets")
    assert code == 1 and out == ""
    assert err.startswith("idmeet: another idmeet command is changing this repository") and err.count("\n") == 1
    assert snapshot(repo) == before


def test_a_change_while_the_note_is_written_is_refused(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``FileEdit``'s check stays: a file that changes between reading and writing is not
    overwritten (another program does not take idmeet's lock)."""
    from idmeet.edits import lines

    repo = warmed(example)
    target = repo / "actions" / f"{ID}.md"
    real = lines.FileEdit.append_log

    def meanwhile(self: lines.FileEdit, day: object, text: str) -> None:
        real(self, day, text)  # type: ignore[arg-type]
        target.write_text(target.read_text() + "\nIemand anders schreef dit.\n")

    monkeypatch.setattr(lines.FileEdit, "append_log", meanwhile)
    code, out, err = fast(repo, "action", "note", ID, "iets")
    assert code == 1 and out == "" and "changed on disk while idmeet was editing it" in err
    assert "Iemand anders" in target.read_text() and "iets" not in target.read_text()


@pytest.mark.parametrize(
    "argv",
    [
        ["action", "note", ID],
        ["action", "note", ID, "a", "b"],
        ["action", "note", "--help"],
        ["action", "note", ID, "--", "-x"],
        ["action", "done", ID, "x"],
        ["actions", "note", ID, "x"],
    ],
)
def test_only_a_plain_note_line_is_read_by_the_fast_path(argv: list[str]) -> None:
    assert parse_note(argv) is None


def test_a_bad_today_is_left_to_the_regular_command(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The regular command reports it (after the repository's own errors, as always)."""
    repo = warmed(example)
    monkeypatch.setenv("IDMEET_TODAY", "gisteren")
    assert fast(repo, "action", "note", ID, "iets") == (None, "", "")
    code, out, err = regular(repo, "action", "note", ID, "iets")
    assert code != 0 and out == "" and "IDMEET_TODAY" in err


def test_the_repo_option_may_stand_anywhere() -> None:
    assert parse_note(["action", "note", ID, "x", "--repo", "r"]) == ("r", ID, "x")
    assert parse_note(["--repo=r", "action", "note", ID, "x"]) == ("r", ID, "x")


READING = [
    ["actions", "--all", "-f", "json"],
    ["actions"],
    ["actions", "--owner", "Peter", "-f", "md"],
    ["check"],
    ["check", "--format", "json"],
    ["action", "show", ID],
    ["meetings"],
    ["report", "open-items"],
    ["report", "actions", "voortgangsoverleg/2024-02-05"],
    ["new-agenda", "voortgangsoverleg", "--dry-run"],
    ["export", "stuurgroep/2024-06-17", "--format", "html"],
    ["search", "inclusie"],
]


def answers(repo: Path) -> list[tuple[int | None, str, str]]:
    """What each reading command prints, through the fast path where it answers, else typer."""
    out = []
    for args in READING:
        got = fast(repo, *args)
        out.append(got if got[0] is not None else regular(repo, *args))
    return out


def remove_one(repo: Path) -> None:
    (repo / "actions" / "jt3dy6zk.md").unlink()


def retitle(repo: Path) -> None:
    """An edit behind idmeet's back, with an old modification time (trusted at once)."""
    edit_behind(repo / "actions" / f"{ID}.md", "title: ", "title: Nu ", os.stat(repo / "idmeet.yaml").st_mtime_ns)


EDITS: list[Callable[[Path], object]] = [
    lambda repo: fast(repo, "action", "note", ID, "eerste"),
    lambda repo: fast(repo, "action", "note", "42m5", "tweede"),
    lambda repo: regular(repo, "action", "done", "j1e", "--note", "klaar"),
    retitle,
    remove_one,
    lambda repo: fast(repo, "action", "note", ID, "derde"),
]


def test_after_edits_every_reading_command_answers_as_a_fresh_load(example: Path, tmp_path: Path) -> None:
    """The correctness guard for caches that an edit changes a piece at a time (the journal,
    the patched warm file): after each edit, the answers with the cache as the commands left
    it equal the answers from the files alone (no cache at all). Some edits are followed at
    once (their files too recent to trust), some after the files aged."""
    repo = warmed(example)
    answers(repo)  # every cache and snapshot written
    for at, edit in enumerate(EDITS):
        edit(repo)
        if at % 2:
            age(repo)
        kept = answers(repo)
        fresh = tmp_path / f"fresh{at}"
        shutil.copytree(repo, fresh, ignore=shutil.ignore_patterns(".idmeet-cache"))
        here = [
            (code, out.replace(str(fresh), str(repo)), err.replace(str(fresh), str(repo)))
            for code, out, err in answers(fresh)
        ]
        assert kept == here, at
    assert (repo / ".idmeet-cache" / "action.journal").exists()


# A worker process: its notes one after another through the fast path (the regular command
# when that hands on), printing which path wrote each note that reported success.
WORKER = """
import io, sys
from contextlib import redirect_stdout
from typer.testing import CliRunner
from idmeet.cli import _app
from idmeet.cli.fast import run

repo, worker, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
for n in range(count):
    args = ["--repo", repo, "action", "note", "10m8", f"note-{worker}-{n}"]
    out = io.StringIO()
    with redirect_stdout(out):
        code = run(args)
    if code is None:
        result = CliRunner().invoke(_app(), args)
        code, path = result.exit_code, "regular"
    else:
        path = "fast"
    print(path if code == 0 else f"BAD {code} {out.getvalue()!r}", f"note-{worker}-{n}", flush=True)
"""


def test_concurrent_fast_notes_keep_every_reported_success(example: Path) -> None:
    """Four processes note one action at once: each note that reported success is in the file
    once (the lock orders them; each decides on the file as the one before left it)."""
    import subprocess
    import sys

    repo = warmed(example)
    env = {**os.environ, "PYTHONPATH": str(Path(quick.__file__).parents[2]), "IDMEET_LOCK_WAIT": "120"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(repo), str(w), "4"], stdout=subprocess.PIPE, text=True, env=env
        )
        for w in range(4)
    ]
    lines = []
    for proc in procs:
        out, _ = proc.communicate(timeout=600)
        assert proc.returncode == 0
        lines += out.splitlines()
    assert len(lines) == 16 and not [line for line in lines if line.startswith("BAD")], lines
    assert any(line.startswith("fast") for line in lines), lines
    text = (repo / "actions" / f"{ID}.md").read_text()
    assert all(text.count(f": {line.split()[-1]}\n") == 1 for line in lines)


def test_the_warm_header_read_alone_is_the_whole_files(example: Path) -> None:
    """An edit reads only ``action.warm``'s header (``summaries=False``): the same header, no
    summaries, and a file cut inside its header is refused as a damaged one is."""
    from idmeet.store import warm

    path = warmed(example) / ".idmeet-cache" / "action.warm"
    whole, body = warm.read_warm(str(path))
    alone, none = warm.read_warm(str(path), summaries=False)
    assert len(body) > 0 and len(none) == 0
    assert alone["names"] == whole["names"] and alone["stamps"].tolist() == whole["stamps"].tolist()
    assert {k: v for k, v in alone.items() if k not in ("stamps", "spans", "by_status", "by_owner")} == {
        k: v for k, v in whole.items() if k not in ("stamps", "spans", "by_status", "by_owner")
    }
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) - len(body) - 10])
    with pytest.raises(ValueError):
        warm.read_warm(str(path), summaries=False)
