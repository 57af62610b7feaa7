"""Reliability of writes (issue 13): no lost update between concurrent idmeet commands,
no runaway YAML, no record silently dropped, no write outside the repository, nothing
half-written after a crash, no stale temporary files.

Processes here are real ones (``subprocess``): the lock under test is between processes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from idmeet.cli import app
from tests.conftest import ROOT, assert_one_line_error, snapshot

ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "IDMEET_LOCK_WAIT": "120"}

CONFIG = """\
organisation: Bureau
people:
  - name: Peter Teesink
    aliases: [Peter]
series:
  overleg:
    title: Overleg
"""

ACTION = """\
---
id: a1
title: Bila plannen
owner: Peter Teesink
status: open
opened: 2024-03-01
---
"""


def tiny_repo(base: Path) -> Path:
    """A repository with one person, one series and the action ``a1``."""
    repo = base / "repo"
    (repo / "actions").mkdir(parents=True)
    (repo / "idmeet.yaml").write_text(CONFIG)
    (repo / "actions" / "a1.md").write_text(ACTION)
    return repo


def idmeet(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "idmeet", "--repo", str(repo), *args],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
    )


# A worker process: runs its share of edits one after another, each a whole CLI command
# (load, compare, write) in this process, and prints one line per edit that reported success.
WORKER = textwrap.dedent(
    """
    import sys
    from typer.testing import CliRunner
    from idmeet.cli import app

    repo, worker, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    runner = CliRunner()
    for n in range(count):
        if n % 5 == 3:
            args = ["action", "done" if n % 10 == 3 else "reopen", "a1"]
        else:
            args = ["action", "note", "a1", f"note-{worker}-{n}"]
        result = runner.invoke(app, ["--repo", repo, *args])
        if result.exit_code == 0 and "nothing changed" not in result.stdout:
            print("OK", *args[1:], flush=True)
        elif result.exit_code not in (0, 1) or "Traceback" in result.output:
            print("BAD", result.exit_code, result.output.replace(chr(10), " "), flush=True)
    """
)


@pytest.mark.parametrize("workers", [2, 8])
def test_concurrent_edits_keep_every_reported_success(tmp_path: Path, workers: int) -> None:
    """2 or 8 processes edit one action 100 times in all (notes, done, reopen): every edit
    that reported success is in the file, and none is refused (they wait for each other)."""
    repo = tiny_repo(tmp_path)
    per_worker = 100 // workers
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(repo), str(w), str(per_worker)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=ENV,
        )
        for w in range(workers)
    ]
    lines: list[str] = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        lines += out.splitlines()
    assert not [line for line in lines if line.startswith("BAD")], lines
    text = (repo / "actions" / "a1.md").read_text()
    notes = [line.split()[-1] for line in lines if line.startswith("OK note")]
    for note in notes:
        assert text.count(f": {note}\n") == 1, note
    assert len(notes) == workers * sum(1 for n in range(per_worker) if n % 5 != 3)
    for word, log in (("done", "afgerond"), ("reopen", "heropend")):
        reported = sum(1 for line in lines if line.startswith(f"OK {word}"))
        assert text.count(f": {log}\n") == reported, (word, reported)
    # the file is still a valid action and the repository passes check
    assert idmeet(repo, "check").returncode == 0


def test_concurrent_python_m_idmeet_processes(tmp_path: Path) -> None:
    """The real entry point, ``python -m idmeet``: 8 processes at once, two notes each."""
    repo = tiny_repo(tmp_path)
    procs = [
        subprocess.Popen(
            [
                "sh",
                "-c",
                f'for n in 0 1; do "{sys.executable}" -m idmeet --repo "{repo}" action note a1 p{w}-$n >/dev/null'
                f" && echo p{w}-$n; done",
            ],
            stdout=subprocess.PIPE,
            text=True,
            env=ENV,
        )
        for w in range(8)
    ]
    reported = []
    for proc in procs:
        out, _ = proc.communicate(timeout=600)
        reported += out.split()
    assert len(reported) == 16
    text = (repo / "actions" / "a1.md").read_text()
    assert all(text.count(f": {note}\n") == 1 for note in reported)


def test_lock_held_by_another_process_refuses_after_the_wait(tmp_path: Path, runner: CliRunner) -> None:
    """A command that cannot get the lock says so in one line and writes nothing."""
    repo = tiny_repo(tmp_path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from idmeet.store.lock import acquire;"
            "acquire(Path(sys.argv[1])); print('held', flush=True); time.sleep(60)",
            str(repo),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        before = snapshot(repo)
        result = runner.invoke(app, ["--repo", str(repo), "action", "note", "a1", "x"], env={"IDMEET_LOCK_WAIT": "0.2"})
        assert_one_line_error(result, "another idmeet command is changing this repository", "nothing was written")
        assert snapshot(repo) == before
    finally:
        holder.kill()
        holder.wait()
    result = runner.invoke(app, ["--repo", str(repo), "action", "note", "a1", "x"])
    assert result.exit_code == 0, result.output


def test_change_by_another_program_is_still_refused(tmp_path: Path) -> None:
    """The lock is for idmeet processes; a change by an editor between read and write is
    refused as before (FileEdit.write compares the bytes under the lock)."""
    from idmeet.edits.lines import FileEdit

    repo = tiny_repo(tmp_path)
    path = repo / "actions" / "a1.md"
    edit = FileEdit(path, repo)
    edit.set_scalar("status", "done")
    path.write_text(ACTION.replace("Bila", "Bila (door editor)"))
    with pytest.raises(Exception, match="changed on disk"):
        edit.write()
    assert "door editor" in path.read_text()


LAUGHS = "".join(
    f"{a}: &{a} [" + ", ".join([f"*{b}"] * 9 if b else ["lol"] * 9) + "]\n"
    for a, b in zip("abcdefghi", ["", *"abcdefgh"])
)


def test_billion_laughs_is_refused_by_the_reader() -> None:
    """Nine levels of nine aliases: one problem at the first anchor, nothing expanded."""
    from idmeet.parser import yamlio

    value, problems = yamlio.load("organisation: x\n" + LAUGHS)
    assert value is None
    assert [(p.line, p.message) for p in problems] == [(2, "YAML anchors and aliases are not allowed")]


def test_billion_laughs_check_returns_with_one_problem(tmp_path: Path) -> None:
    """The real command on the file (the issue measured 79 s and 10.5 GB for 7 levels)."""
    repo = tiny_repo(tmp_path)
    (repo / "idmeet.yaml").write_text(CONFIG + LAUGHS)
    result = idmeet(repo, "check")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].endswith("idmeet.yaml:8: YAML anchors and aliases are not allowed")
    assert not [line for line in lines[1:] if "idmeet.yaml" in line]


def test_every_file_that_is_no_record_is_an_error(tmp_path: Path) -> None:
    """An action the parser cannot make a record of always carries an error (never dropped)."""
    from idmeet.parser.records import parse_action

    for owner in ("[]", '""', '" "', "[' ']", "[null]", "~"):
        record, problems = parse_action(ACTION.replace("Peter Teesink", owner).encode(), "actions/a1.md")
        assert record is None, owner
        assert [p for p in problems if p.severity == "error"], owner


# -- 5: nothing is written (or read as a template) outside the repository ----------------------


def _outside(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    return outside


def run(runner: CliRunner, repo: Path, *args: str) -> Any:
    return runner.invoke(app, ["--repo", str(repo), *args])


@pytest.mark.parametrize(
    "args",
    [
        ["action", "add", "Iets", "--owner", "Peter"],
        ["action", "note", "a1", "hallo"],
        ["action", "done", "a1"],
    ],
    ids=["add", "note", "done"],
)
def test_symlinked_actions_folder_outside_is_refused(tmp_path: Path, runner: CliRunner, args: list[str]) -> None:
    repo = tiny_repo(tmp_path)
    outside = _outside(tmp_path)
    (repo / "actions" / "a1.md").rename(outside / "a1.md")
    (repo / "actions").rmdir()
    (repo / "actions").symlink_to(outside)
    before = snapshot(outside)
    result = run(runner, repo, *args)
    assert_one_line_error(result, "actions is a symbolic link to", "outside the repository", "nothing was written")
    assert snapshot(outside) == before


def test_symlinked_series_folder_outside_is_refused(tmp_path: Path, runner: CliRunner) -> None:
    repo = tiny_repo(tmp_path)
    outside = _outside(tmp_path)
    (repo / "overleg").symlink_to(outside)
    result = run(runner, repo, "new-agenda", "overleg", "--date", "2099-05-01")
    assert_one_line_error(result, "overleg is a symbolic link to", "outside the repository")
    assert list(outside.iterdir()) == []


def test_symlinked_proposals_folder_outside_is_refused(tmp_path: Path, runner: CliRunner) -> None:
    repo = tiny_repo(tmp_path)
    outside = _outside(tmp_path)
    (repo / "proposals").symlink_to(outside)
    result = run(runner, repo, "propose", "overleg", "Jaarplan")
    assert_one_line_error(result, "proposals is a symbolic link to", "outside the repository")
    assert list(outside.iterdir()) == []


def test_symlinked_cache_folder_is_neither_read_nor_written(tmp_path: Path, runner: CliRunner) -> None:
    repo = tiny_repo(tmp_path)
    outside = _outside(tmp_path)
    (repo / ".idmeet-cache").symlink_to(outside)
    for args in (["check"], ["actions"], ["meetings"]):
        assert run(runner, repo, *args).exit_code == 0
    assert list(outside.iterdir()) == []
    result = run(runner, repo, "action", "note", "a1", "hallo")
    assert_one_line_error(result, ".idmeet-cache is a symbolic link")
    assert list(outside.iterdir()) == []


def test_dangling_cache_gitignore_link_creates_nothing(tmp_path: Path, runner: CliRunner) -> None:
    repo = tiny_repo(tmp_path)
    (repo / ".idmeet-cache").mkdir()
    target = tmp_path / "outside" / "created-by-idmeet"
    (repo / ".idmeet-cache" / ".gitignore").symlink_to(target)
    (tmp_path / "outside").mkdir()
    for args in (["check"], ["actions"], ["action", "note", "a1", "hallo"]):
        result = run(runner, repo, *args)
        assert result.exit_code == 0, result.output
    assert not target.exists()


def test_templates_folder_linked_outside_is_refused(tmp_path: Path, runner: CliRunner) -> None:
    repo = tiny_repo(tmp_path)
    outside = _outside(tmp_path)
    (outside / "agenda-document.md.j2").write_text("geheim buiten de repository\n")
    (repo / "templates").symlink_to(outside)
    (repo / "overleg").mkdir()
    (repo / "overleg" / "2024-05-01.md").write_text("---\nseries: overleg\ndate: 2024-05-01\n---\n")
    result = run(runner, repo, "render", "overleg/2024-05-01")
    assert_one_line_error(result, "templates/agenda-document.md.j2 leads outside the repository")
    assert "geheim" not in result.output


def test_action_file_linked_outside_is_refused_and_inside_is_followed(tmp_path: Path, runner: CliRunner) -> None:
    """A linked action file: followed when it points inside the repository (the link stays a
    link), refused when it points out of it (docs/format.md says so)."""
    repo = tiny_repo(tmp_path)
    outside = _outside(tmp_path)
    (repo / "actions" / "a1.md").rename(outside / "a1.md")
    (repo / "actions" / "a1.md").symlink_to(outside / "a1.md")
    result = run(runner, repo, "action", "note", "a1", "hallo")
    assert_one_line_error(result, "actions/a1.md is a symbolic link to", "outside the repository")
    assert "hallo" not in (outside / "a1.md").read_text()

    (repo / "actions" / "a1.md").unlink()
    (repo / ".store").mkdir()
    (outside / "a1.md").rename(repo / ".store" / "a1.md")
    (repo / "actions" / "a1.md").symlink_to("../.store/a1.md")
    result = run(runner, repo, "action", "note", "a1", "hallo")
    assert result.exit_code == 0, result.output
    assert (repo / "actions" / "a1.md").is_symlink()
    assert ": hallo\n" in (repo / ".store" / "a1.md").read_text()


# -- 6: --output ------------------------------------------------------------------------------


def test_output_refuses_repository_files_and_names_new_folders(tmp_path: Path, runner: CliRunner) -> None:
    repo = tiny_repo(tmp_path)
    (repo / "overleg").mkdir()
    (repo / "overleg" / "2024-05-01.md").write_text("---\nseries: overleg\ndate: 2024-05-01\n---\n")
    before = snapshot(repo)
    for target in ("idmeet.yaml", "overleg/2024-05-01.md", "actions/a1.md", "actions/nieuw.md"):
        result = run(runner, repo, "render", "overleg/2024-05-01", "--output", str(repo / target))
        assert_one_line_error(result, "is the repository's own file", target)
    assert snapshot(repo) == before
    result = run(runner, repo, "render", "overleg/2024-05-01", "--output", str(tmp_path / "a" / "b" / "agenda.md"))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[:2] == [
        f"created folder {tmp_path / 'a'}",
        f"created folder {tmp_path / 'a' / 'b'}",
    ]
    assert (tmp_path / "a" / "b" / "agenda.md").is_file()


# -- 10 and the kill test: a write killed at any point leaves the old file whole --------------

# Runs one idmeet command in a process that dies (os._exit, as kill -9 would leave it) at the
# chosen point of writing a repository file: before the temporary file is synced, or instead of
# renaming it over the file.
KILLER = textwrap.dedent(
    """
    import os, sys
    from typer.testing import CliRunner

    mode, repo, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    real_replace, real_fsync = os.replace, os.fsync

    def replace(src, dst):
        if str(src).endswith(".idmeet-tmp") and mode == "replace":
            os._exit(9)
        return real_replace(src, dst)

    def fsync(fd):
        if mode == "fsync":
            os._exit(9)
        return real_fsync(fd)

    os.replace, os.fsync = replace, fsync
    from idmeet.cli import app

    CliRunner().invoke(app, ["--repo", repo, *args])
    os._exit(0)
    """
)


@pytest.mark.parametrize("mode", ["fsync", "replace"])
@pytest.mark.parametrize(
    "args",
    [["action", "note", "a1", "hallo"], ["action", "done", "a1"], ["fmt"], ["minutes", "sync", "overleg/2024-05-01"]],
    ids=["note", "done", "fmt", "minutes-sync"],
)
def test_killed_write_leaves_files_whole_and_temp_files_are_cleaned(
    tmp_path: Path, runner: CliRunner, mode: str, args: list[str]
) -> None:
    repo = tiny_repo(tmp_path)
    (repo / ".gitignore").write_text(__import__("idmeet.edits.write", fromlist=["GITIGNORE"]).GITIGNORE)
    (repo / "overleg").mkdir()
    meeting = "---\nseries: overleg\ndate: 2024-05-01\nstatus:   held\n---\n\n## 1. Bila\n\n### Acties\n\n"
    meeting += "- [ ] @Peter plant bila\n"
    (repo / "overleg" / "2024-05-01.md").write_text(meeting)
    before = snapshot(repo)
    proc = subprocess.run(
        [sys.executable, "-c", KILLER, mode, str(repo), *args], capture_output=True, text=True, env=ENV, timeout=120
    )
    assert proc.returncode == 9, proc.stderr
    temps = [p for p in repo.rglob("*.idmeet-tmp")]
    assert temps, "the killed write left its temporary file (as a real kill would)"
    after = snapshot(repo)
    whole = {k: v for k, v in after.items() if not k.endswith(".idmeet-tmp") and k != ".gitignore"}
    for rel, data in whole.items():  # every file is the old one or did not exist: nothing half-written
        assert before.get(rel, data) == data, rel
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
        status = subprocess.run(["git", "-C", str(repo), "status", "--porcelain"], capture_output=True, text=True)
        assert ".idmeet-tmp" not in status.stdout  # ignored by the .gitignore that init writes
    result = run(runner, repo, "check")
    assert not list(repo.rglob("*.idmeet-tmp")), "check removes them"
    assert "temporary file" in result.stderr
    assert run(runner, repo, *args).exit_code in (0, 1)


def test_next_write_removes_stale_temp_files_of_its_folder(tmp_path: Path, runner: CliRunner) -> None:
    repo = tiny_repo(tmp_path)
    stale = [repo / "actions" / ".a1.md.k2j3h4g5.idmeet-tmp", repo / "actions" / ".a1.md.abcd_123.tmp"]
    for path in stale:
        path.write_text("half")
    keep = repo / "actions" / "notes.tmp"  # not idmeet's naming: left alone
    keep.write_text("mine")
    assert run(runner, repo, "action", "note", "a1", "hallo").exit_code == 0
    assert not [p for p in stale if p.exists()]
    assert keep.read_text() == "mine"


def test_init_gitignore_ignores_temp_files(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "nieuw")])
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "nieuw" / ".gitignore").read_text().splitlines()
    assert "*.idmeet-tmp" in lines and ".idmeet-cache/" in lines
    assert "*.idmeet-tmp" in (ROOT / "meetings" / ".gitignore").read_text().splitlines()
