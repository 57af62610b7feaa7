"""Issue 16, point 9: the CLI's small things — a warning for an action on no agenda,
singular and plural counts, and ``idmeet init --git``."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.cli.common import counted


def run(runner: CliRunner, repo: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--repo", str(repo), *args])


def test_counted_uses_the_singular_for_one() -> None:
    assert counted(1, "warning") == "1 warning"
    assert counted(0, "warning") == "0 warnings"
    assert counted(2, "error") == "2 errors"
    assert counted(1, "proposal taken", "proposals taken") == "1 proposal taken"
    assert counted(3, "proposal taken", "proposals taken") == "3 proposals taken"


def test_action_without_meeting_or_series_warns_after_success(runner: CliRunner, example: Path) -> None:
    result = run(runner, example, "action", "add", "Los eindje", "--owner", "Peter")
    assert result.exit_code == 0, result.stderr
    new_id = result.stdout.strip()
    assert re.fullmatch(r"[0-9a-z]{8}", new_id)
    warnings = result.stderr.splitlines()
    assert len(warnings) == 1
    assert new_id in warnings[0] and "no agenda" in warnings[0] and "--series" in warnings[0]


def test_action_with_series_or_meeting_does_not_warn(runner: CliRunner, example: Path) -> None:
    for extra in (["--series", "voortgangsoverleg"], ["--meeting", "voortgangsoverleg/2024-02-05"]):
        result = run(runner, example, "action", "add", "Vast eindje", "--owner", "Peter", *extra)
        assert result.exit_code == 0, result.stderr
        assert result.stderr == "", extra


def test_check_counts_in_the_singular(runner: CliRunner, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    assert runner.invoke(app, ["init", str(repo)]).exit_code == 0
    (repo / "actions" / "k3f9x2ab.md").write_text(
        "---\nid: k3f9x2ab\ntitle: Los\nowner: Iemand Onbekend\nstatus: open\nopened: 2024-03-01\n---\n",
        encoding="utf-8",
    )
    result = run(runner, repo, "check")
    summary = (result.stdout + result.stderr).splitlines()[-1]
    assert re.fullmatch(r"0 meetings, 1 action: \d+ errors?, \d+ warnings?", summary), summary
    for number, word in re.findall(r"(\d+) (error|warning)s?", summary):
        assert summary.count(f"{number} {word}{'' if number == '1' else 's'}") == 1, summary


def test_new_agenda_counts_in_the_singular(runner: CliRunner, example: Path) -> None:
    result = run(runner, example, "new-agenda", "stuurgroep", "--date", "2031-01-06")
    assert result.exit_code == 0, result.stderr
    found = re.findall(r"(\d+) (items?|open actions?|proposals? taken)", result.stderr)
    assert len(found) == 3, result.stderr
    for number, noun in found:
        assert (noun in ("item", "open action", "proposal taken")) == (number == "1"), (number, noun)


def test_init_says_the_folder_is_not_in_git(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = runner.invoke(app, ["init", str(tmp_path / "nieuw")])
    assert result.exit_code == 0, result.output
    last = result.stdout.splitlines()[-2:]
    assert any("not in a git repository" in line and "--git" in line for line in last), result.stdout
    assert not (tmp_path / "nieuw" / ".git").exists()


def test_init_git_makes_a_git_repository(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    target = tmp_path / "nieuw"
    result = runner.invoke(app, ["init", str(target), "--git"])
    assert result.exit_code == 0, result.output
    assert (target / ".git").is_dir()
    assert "created a git repository" in result.stdout
    inside = subprocess.run(
        ["git", "-C", str(target), "rev-parse", "--is-inside-work-tree"], capture_output=True, text=True, check=False
    )
    assert inside.stdout.strip() == "true"
    assert runner.invoke(app, ["--repo", str(target), "check"]).exit_code == 0
