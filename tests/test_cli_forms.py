"""Command forms people type (issue 16): ``--repo`` after the command, and the natural
positional forms of ``action drop``, ``wait``, ``reassign``, ``done`` and ``reopen``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.cli.fast import hoist_repo, parse

MEETING = "voortgangsoverleg/2024-03-06"


def first_open_id(runner: CliRunner, repo: Path) -> str:
    result = runner.invoke(app, ["--repo", str(repo), "actions", "-f", "json"])
    assert result.exit_code == 0, result.output
    return str(json.loads(result.stdout)[0]["id"])


def action_text(repo: Path, action_id: str) -> str:
    return (repo / "actions" / f"{action_id}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["show", "X", "--repo", "D"], ["--repo", "D", "show", "X"]),
        (["show", "X", "--repo=D"], ["--repo=D", "show", "X"]),
        (["action", "note", "k3", "tekst", "--repo", "D"], ["--repo", "D", "action", "note", "k3", "tekst"]),
        (["--repo", "D", "check"], ["--repo", "D", "check"]),
        (["action", "note", "k3", "--", "--repo", "D"], ["action", "note", "k3", "--", "--repo", "D"]),
        (["check", "--repo"], ["check", "--repo"]),  # no value: left for the usual error
    ],
)
def test_hoist_repo(argv: list[str], expected: list[str]) -> None:
    assert hoist_repo(argv) == expected


def test_repo_after_the_command_in_typer_path(runner: CliRunner, example: Path) -> None:
    before = runner.invoke(app, ["--repo", str(example), "show", MEETING])
    after = runner.invoke(app, ["show", MEETING, "--repo", str(example)])
    assert after.exit_code == 0, after.output
    assert after.stdout == before.stdout
    nested = runner.invoke(app, ["action", "show", first_open_id(runner, example), "--repo", str(example)])
    assert nested.exit_code == 0, nested.output


def test_repo_after_the_command_in_fast_path(example: Path) -> None:
    assert parse(["actions", "--owner", "Peter", "--repo", str(example)]) == (str(example), {"owner": "Peter"})
    assert parse(["actions", f"--repo={example}", "--open"]) == (str(example), {"open_": True})


def test_repo_after_actions_in_typer_path(runner: CliRunner, example: Path) -> None:
    before = runner.invoke(app, ["--repo", str(example), "actions", "--owner", "Peter"])
    after = runner.invoke(app, ["actions", "--owner", "Peter", "--repo", str(example)])
    assert after.exit_code == 0, after.output
    assert after.stdout == before.stdout != ""


def test_drop_and_wait_take_the_reason_as_argument(runner: CliRunner, example: Path) -> None:
    action_id = first_open_id(runner, example)
    waited = runner.invoke(app, ["--repo", str(example), "action", "wait", action_id, "wacht op P&O"])
    assert waited.exit_code == 0, waited.output
    assert "wacht op P&O" in action_text(example, action_id)
    assert "status: waiting" in action_text(example, action_id)
    dropped = runner.invoke(app, ["--repo", str(example), "action", "drop", action_id, "vervalt door reorganisatie"])
    assert dropped.exit_code == 0, dropped.output
    assert "vervalt door reorganisatie" in action_text(example, action_id)
    assert "status: dropped" in action_text(example, action_id)


def test_option_forms_still_work(runner: CliRunner, example: Path) -> None:
    action_id = first_open_id(runner, example)
    result = runner.invoke(app, ["--repo", str(example), "action", "wait", action_id, "--note", "wacht op BSR"])
    assert result.exit_code == 0, result.output
    assert "wacht op BSR" in action_text(example, action_id)


@pytest.mark.parametrize("verb", ["drop", "wait"])
def test_reason_missing_or_twice_is_a_usage_error(runner: CliRunner, example: Path, verb: str) -> None:
    action_id = first_open_id(runner, example)
    before = action_text(example, action_id)
    missing = runner.invoke(app, ["--repo", str(example), "action", verb, action_id])
    assert missing.exit_code == 2
    assert missing.stderr.startswith("idmeet: say ") and missing.stderr.count("\n") == 1
    twice = runner.invoke(app, ["--repo", str(example), "action", verb, action_id, "a", "--note", "b"])
    assert twice.exit_code == 2
    assert "not both" in twice.stderr
    assert action_text(example, action_id) == before


def test_reassign_takes_owners_as_arguments(runner: CliRunner, example: Path) -> None:
    action_id = first_open_id(runner, example)
    result = runner.invoke(app, ["--repo", str(example), "action", "reassign", action_id, "5.1, 2, e"])
    assert result.exit_code == 0, result.output
    shown = runner.invoke(app, ["--repo", str(example), "actions", "--all", "-f", "json"])
    row = next(r for r in json.loads(shown.stdout) if r["id"] == action_id)
    assert row["owner"] == ["5.1, 2, e"]
    missing = runner.invoke(app, ["--repo", str(example), "action", "reassign", action_id])
    assert missing.exit_code == 2 and "say who takes it over" in missing.stderr


def test_done_and_reopen_take_an_optional_note(runner: CliRunner, example: Path) -> None:
    action_id = first_open_id(runner, example)
    done = runner.invoke(app, ["--repo", str(example), "action", "done", action_id, "bila gepland"])
    assert done.exit_code == 0, done.output
    assert "bila gepland" in action_text(example, action_id)
    reopened = runner.invoke(app, ["--repo", str(example), "action", "reopen", action_id])
    assert reopened.exit_code == 0, reopened.output
    assert "status: open" in action_text(example, action_id)
