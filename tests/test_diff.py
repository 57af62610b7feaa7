"""`idmeet diff`: what changed between git revisions, read through git, in real repositories."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idmeet.cli import app


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture
def repo(example: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("IDMEET_TODAY", "2024-03-07")
    for key, value in (
        ("GIT_AUTHOR_NAME", "t"),
        ("GIT_AUTHOR_EMAIL", "t@x"),
        ("GIT_COMMITTER_NAME", "t"),
        ("GIT_COMMITTER_EMAIL", "t@x"),
    ):
        monkeypatch.setenv(key, value)
    git(example, "init", "-q")
    git(example, "add", "-A")
    git(example, "commit", "-q", "-m", "start")
    return example


def changes(runner: CliRunner, repo: Path, *args: str) -> list[dict[str, str]]:
    result = runner.invoke(app, ["--repo", str(repo), "diff", *args, "-f", "json"])
    assert result.exit_code == 0, result.output
    changes: list[dict[str, str]] = json.loads(result.stdout)["changes"]
    return changes


def test_nothing_changed(repo: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["--repo", str(repo), "diff"])
    assert result.stdout == "# Changes from HEAD to the working tree\n\nNo changes to meetings or actions.\n"


def test_action_lifecycle_in_words(repo: Path, runner: CliRunner) -> None:
    for args in (
        ["action", "done", "nm8q", "--note", "bila gehouden"],
        ["action", "reassign", "10m8", "--owner", "5.1, 2, e"],
        ["action", "due", "42m5", "2024-04-01"],
        ["action", "drop", "dqry", "--note", "vervalt"],
    ):
        assert runner.invoke(app, ["--repo", str(repo), *args]).exit_code == 0
    found = {(c["type"], c.get("id")) for c in changes(runner, repo)}
    assert found == {
        ("action_closed", "nm8qxrv2"),
        ("log_added", "nm8qxrv2"),
        ("action_reassigned", "10m8t1n7"),
        ("log_added", "10m8t1n7"),
        ("action_due", "42m5tadr"),
        ("log_added", "42m5tadr"),
        ("action_dropped", "dqryrndx"),
        ("log_added", "dqryrndx"),
    }
    md = runner.invoke(app, ["--repo", str(repo), "diff"]).stdout
    assert "- action nm8qxrv2 closed: Prestatieafspraken GMT" in md
    assert "- action 10m8t1n7 reassigned: Peter Teesink -> 5.1, 2, e" in md
    assert "- action 42m5tadr due date none -> 2024-04-01" in md


def test_meetings_items_and_decisions_between_commits(repo: Path, runner: CliRunner) -> None:
    path = repo / "voortgangsoverleg/2024-03-06.md"
    text = path.read_text()
    text = text.replace(
        "## 7. Opdrachtnemer inclusief leiderschap directeuren geselecteerd",
        "## 7. Opdrachtnemer inclusief leiderschap geselecteerd",
    )
    heading = "## 3. Bureauplan (concept)\n"
    text = text.replace(heading, heading + "\nBesluit: delen met de trekkers.\n")
    path.write_text(text + "\n## 10. Rondvraag\n")
    assert runner.invoke(app, ["--repo", str(repo), "new-agenda", "voortgangsoverleg"]).exit_code == 0
    assert runner.invoke(app, ["--repo", str(repo), "action", "add", "Nieuw", "--owner", "Peter"]).exit_code == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "edit")
    found = changes(runner, repo, "HEAD~1", "HEAD")
    kinds = [c["type"] for c in found]
    assert kinds.count("meeting_added") == 1
    assert {"item_renamed", "item_added", "decision_added", "action_opened"} <= set(kinds)
    renamed = next(c for c in found if c["type"] == "item_renamed")
    assert (renamed["item"], renamed["new"]) == ("7", "Opdrachtnemer inclusief leiderschap geselecteerd")
    # One argument: that revision against the working tree (clean now).
    assert changes(runner, repo, "HEAD") == []
    # Removing the file shows as a removed meeting.
    (repo / "stuurgroep/2024-06-17.md").unlink()
    assert [c["type"] for c in changes(runner, repo)] == ["meeting_removed"]


def test_diff_does_not_touch_the_working_tree(repo: Path, runner: CliRunner) -> None:
    (repo / "actions/nm8qxrv2.md").write_text(
        (repo / "actions/nm8qxrv2.md").read_text().replace("status: open", "status: done")
    )

    def files() -> dict[Path, bytes]:  # what git tracks: not .git, not the git-ignored cache
        return {
            p: p.read_bytes()
            for p in repo.rglob("*")
            if p.is_file() and ".git" not in p.parts and ".idmeet-cache" not in p.parts
        }

    before = files()
    runner.invoke(app, ["--repo", str(repo), "diff", "HEAD"])
    assert files() == before


def test_repository_in_a_subfolder(repo: Path, runner: CliRunner, tmp_path: Path) -> None:
    """The meeting repository may be a folder of a larger git repository (like meetings/ here)."""
    outer = tmp_path / "outer"
    outer.mkdir()
    git(outer, "init", "-q")
    import shutil

    shutil.copytree(repo, outer / "meetings", ignore=shutil.ignore_patterns(".git"))
    git(outer, "add", "-A")
    git(outer, "commit", "-q", "-m", "x")
    assert runner.invoke(app, ["--repo", str(outer / "meetings"), "action", "done", "nm8q"]).exit_code == 0
    found = changes(runner, outer / "meetings")
    assert ("action_closed", "nm8qxrv2") in {(c["type"], c.get("id")) for c in found}


def test_bad_revision_and_no_git(repo: Path, example: Path, runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["--repo", str(repo), "diff", "nosuchrev"])
    assert result.exit_code == 1
    assert result.stderr == ("idmeet: unknown revision 'nosuchrev' (try HEAD, HEAD~1, a branch or a commit)\n")
    plain = tmp_path / "plain"
    import shutil

    shutil.copytree(repo, plain, ignore=shutil.ignore_patterns(".git"))
    result = runner.invoke(app, ["--repo", str(plain), "diff"])
    assert result.exit_code == 1
    assert "is not in a git repository" in result.stderr
    assert "Traceback" not in result.output
