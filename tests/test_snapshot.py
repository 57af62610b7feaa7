"""The snapshot of the whole repository and the memos kept beside it (issue 18).

A whole load, ``check`` and the validation a reader command runs are answered from
``.idmeet-cache/`` while every file is as it was. These tests change what the answer depends
on behind the cache's back (a file's content with its size and time kept, a new file, a
removed attachment outside the surveyed files) and see the new answer; and they check that
``check`` answers the same through typer and through the fast path.
"""

from __future__ import annotations

import io
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.cli.fast import parse_check, run
from idmeet.ops.check import check_repository
from idmeet.store import snapshot
from idmeet.store.load import load

from .conftest import OLD, age, attachment_file, edit_behind

MEETING = "stuurgroep/2024-06-17"


def typer_check(repo: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--repo", str(repo), "check", *args])
    return result.exit_code, result.stdout, result.stderr


def fast_check(repo: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = run(["--repo", str(repo), "check", *args])
    assert code is not None, "the fast path did not answer"
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def aged(example: Path) -> Path:
    age(example)
    return example


def test_the_fast_path_takes_only_well_formed_check_lines() -> None:
    assert parse_check(["check"]) == (None, "text")
    assert parse_check(["--repo", "x", "check", "-f", "json"]) == ("x", "json")
    assert parse_check(["check", "--repo", "x", "--format=json"]) == ("x", "json")
    for other in (["check", "--help"], ["check", "-f"], ["check", "extra"], ["show", "check"], []):
        assert parse_check(other) is None, other


@pytest.mark.parametrize("args", [(), ("--format", "json"), ("-f", "json"), ("--format", "xml")])
def test_check_prints_the_same_through_typer_and_the_fast_path(aged: Path, args: tuple[str, ...]) -> None:
    for _ in range(2):  # the first run fills the memo, the second answers from it
        assert fast_check(aged, *args) == typer_check(aged, *args)


def test_check_of_a_broken_repository_through_both_paths(aged: Path) -> None:
    path = aged / "actions/nm8qxrv2.md"
    edit_behind(path, "status: open", "status: opex", OLD)
    expected = typer_check(aged)
    assert expected[0] == 1 and "'status' must be one of" in expected[2]
    assert fast_check(aged) == expected
    assert fast_check(aged) == expected  # from the memo


def test_an_edit_keeping_size_and_time_is_seen_by_the_memo(aged: Path) -> None:
    assert fast_check(aged)[0] == 0
    assert fast_check(aged)[0] == 0  # answered from the memo
    edit_behind(aged / "actions/nm8qxrv2.md", "status: open", "status: opex", OLD)
    code, _, err = fast_check(aged)
    assert code == 1 and "actions/nm8qxrv2.md:5:" in err


def test_a_new_and_a_removed_file_are_seen(aged: Path) -> None:
    first = check_repository(aged)
    copy = aged / "actions/zz-copy.md"
    shutil.copy(aged / "actions/nm8qxrv2.md", copy)
    age(aged)
    second = check_repository(aged)
    assert second.actions == first.actions + 1  # a second file with the same id
    assert any("nm8qxrv2" in p.message and p.severity == "error" for p in second.problems)
    copy.unlink()
    assert check_repository(aged) == first


def test_a_removed_attachment_is_seen_although_it_is_outside_the_surveyed_files(aged: Path) -> None:
    """The attachment's file is not a repository record, but the check looked at it: the memo
    keeps what it saw of it, and a change there makes the memo void."""
    target = attachment_file(aged)
    age(aged)
    assert not [p for p in check_repository(aged).problems if "Bijlage" in p.message]
    assert not [p for p in check_repository(aged).problems if "Bijlage" in p.message]  # memo
    target.unlink()
    problems = [p for p in check_repository(aged).problems if "Bijlage" in p.message]
    assert problems and "does not exist" in problems[0].message
    # and the validation a reader command runs (cli.common.cross_checked) sees it too
    result = CliRunner().invoke(app, ["--repo", str(aged), "show", MEETING])
    assert "does not exist" in result.stderr


def test_a_whole_load_is_the_snapshot_and_equals_a_load_from_the_files(aged: Path) -> None:
    first, first_problems = load(aged)
    snap = aged / ".idmeet-cache" / snapshot.SNAPSHOT
    assert not snap.exists()  # a first run parses everything: it does not pay for a snapshot
    second, second_problems = load(aged)  # from the per-file cache: now the snapshot is written
    assert snap.is_file()
    again, again_problems = load(aged)
    assert again == second == first and again_problems == second_problems == first_problems
    shutil.rmtree(aged / ".idmeet-cache")
    fresh, fresh_problems = load(aged)
    assert fresh == first and fresh_problems == first_problems


def test_files_changed_within_two_seconds_are_not_trusted(example: Path) -> None:
    """The racy rule: with a file just written, no snapshot or memo is written at all."""
    (example / "actions/nm8qxrv2.md").touch()
    load(example)
    check_repository(example)
    folder = example / ".idmeet-cache"
    assert not list(folder.glob("*.snap"))


def test_a_snapshot_through_a_linked_cache_folder_is_not_used(aged: Path, tmp_path: Path) -> None:
    load(aged)
    elsewhere = tmp_path / "elsewhere"
    shutil.move(str(aged / ".idmeet-cache"), elsewhere)
    (aged / ".idmeet-cache").symlink_to(elsewhere)
    found = snapshot.survey(aged)
    assert snapshot.read_snapshot(aged, found, True) is None


@pytest.mark.parametrize("args", [["meetings"], ["show", MEETING], ["decisions"]])
def test_commands_about_meetings_still_warn_about_actions(aged: Path, args: list[str]) -> None:
    """``meetings``, ``show`` and ``decisions`` leave the actions out of a snapshot load; the
    problems of an action file, and the cross-checks over the actions, are still reported."""
    edit_behind(aged / "actions/nm8qxrv2.md", "status: open", "status: opex", OLD)
    (aged / "actions/nm8qxrv2.md").write_text(
        (aged / "actions/nm8qxrv2.md").read_text(encoding="utf-8").replace("series: ", "series: nergens-"),
        encoding="utf-8",
    )
    age(aged)
    runs = [CliRunner().invoke(app, ["--repo", str(aged), *args]) for _ in range(3)]
    assert (aged / ".idmeet-cache" / snapshot.SNAPSHOT).is_file()
    for result in runs:
        assert (result.exit_code, result.stdout, result.stderr) == (
            runs[0].exit_code,
            runs[0].stdout,
            runs[0].stderr,
        )
    assert "actions/nm8qxrv2.md" in runs[-1].stderr


def test_the_snapshot_keeps_the_pickles_the_per_file_cache_has(aged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After an edit, the first whole load writes the snapshot from the per-file cache's
    pickles (and the new file's) instead of pickling every action again; the snapshot then
    gives exactly what the files give."""
    load(aged)  # the per-file cache
    edit_behind(aged / "actions" / "nm8qxrv2.md", "title: ", "title: Nieuw ", OLD)
    pickled_again: list[object] = []

    def pickle_again(action: object) -> bytes:
        pickled_again.append(action)
        return b""

    monkeypatch.setattr(snapshot, "_flat_pickle", pickle_again)
    written, _ = load(aged)  # the edited file parsed, the others from the cache: the snapshot written
    monkeypatch.undo()
    assert pickled_again == [] and (aged / ".idmeet-cache" / snapshot.SNAPSHOT).is_file()
    found = snapshot.survey(aged)
    kept = snapshot.read_snapshot(aged, found, True)
    assert kept is not None
    copy = aged.parent / "fresh"
    shutil.copytree(aged, copy, ignore=shutil.ignore_patterns(".idmeet-cache"))
    fresh, _ = load(copy)
    assert kept[0].actions == written.actions == fresh.actions
    assert any(a.title.startswith("Nieuw ") for a in kept[0].actions)
