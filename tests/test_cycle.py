"""Issue 12: the meeting cycle gives right answers (dates, owners, decisions, questions, history).

Each test reproduces one defect found by running the bureau's whole cycle on a copy of the
example repository, through the library and through the command line.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.edits import lifecycle, minutes
from idmeet.ops.meetings import find_meeting
from idmeet.ops.reports import meeting_actions, minutes_document, open_items
from idmeet.ops.validate import validate
from idmeet.store.load import load

MEETING = "voortgangsoverleg/2024-03-06"


def run(runner: CliRunner, repo: Path, *args: str) -> Any:
    return runner.invoke(app, ["--repo", str(repo), *args])


def add_lines(path: Path, after_heading: str, lines: list[str]) -> list[int]:
    """Put ``lines`` below the first line starting with ``after_heading``; their line numbers."""
    text = path.read_text()
    heading = next(line for line in text.splitlines() if line.startswith(after_heading))
    path.write_text(text.replace(heading + "\n", heading + "\n\n" + "\n".join(lines) + "\n", 1))
    numbered = path.read_text().splitlines()
    return [numbered.index(line) + 1 for line in lines]


def add_before(path: Path, heading: str, lines: list[str]) -> list[int]:
    """Put ``lines`` at the end of the item before the line starting with ``heading``."""
    text = path.read_text()
    found = next(line for line in text.splitlines() if line.startswith(heading))
    path.write_text(text.replace(found + "\n", "\n".join(lines) + "\n\n" + found + "\n", 1))
    numbered = path.read_text().splitlines()
    return [numbered.index(line) + 1 for line in lines]


# 1. opened = the meeting's date -------------------------------------------------------------


def test_action_from_a_meeting_is_opened_on_the_meeting_date(
    example: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IDMEET_TODAY", "2024-03-25")
    # The README tour's command, some weeks after the meeting.
    added = run(
        runner,
        example,
        "action",
        "add",
        "Bureauplan delen met de trekkers",
        "--owner",
        "Peter",
        "--due",
        "2024-03-20",
        "--meeting",
        MEETING,
    )
    assert added.exit_code == 0, added.output
    repo, _ = load(example)
    action = next(a for a in repo.actions if a.title == "Bureauplan delen met de trekkers")
    assert action.opened == dt.date(2024, 3, 6)
    assert [p for p in validate(repo) if "opened" in p.message] == []
    checked = run(runner, example, "check")
    assert checked.exit_code == 0 and "before the opened date" not in checked.output
    report = open_items(repo, list(repo.actions), dt.date(2024, 3, 25))
    entry = next(e for g in report["owners"] for e in g["actions"] if e["id"] == action.id)
    assert (entry["age_days"], entry["overdue"]) == (19, True)
    md = run(runner, example, "report", "open-items", "--series", "voortgangsoverleg")
    line = next(x for x in md.stdout.splitlines() if "Bureauplan delen" in x)
    assert "19 dagen open" in line and "te laat" in line
    agenda = run(runner, example, "new-agenda", "voortgangsoverleg", "--dry-run")
    line = next(x for x in agenda.stdout.splitlines() if "Bureauplan delen" in x)
    assert "2024-03-20 (te laat)" in line
    # Without a meeting: today.
    plain = lifecycle.add(repo, "Los", ["Peter"], dt.date(2024, 3, 25))
    assert plain.opened == dt.date(2024, 3, 25)


def test_minutes_sync_opens_actions_on_the_meeting_date(example: Path) -> None:
    add_lines(example / f"{MEETING}.md", "## 3. Bureauplan", ["- [ ] @Peter deelt het plan (voor 2024-03-20)"])
    repo, _ = load(example)
    report = minutes.sync(repo, find_meeting(repo, MEETING), dt.date(2027, 6, 15))
    assert len(report.created) == 1
    repo, problems = load(example)
    made = next(a for a in repo.actions if a.description == "deelt het plan")
    assert made.opened == dt.date(2024, 3, 6)
    assert [p for p in problems + validate(repo) if "opened" in p.message] == []


# 2. a decision is one decision ---------------------------------------------------------------


def test_besluit_line_under_besluiten_is_one_decision(
    example: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IDMEET_TODAY", "2024-03-07")
    add_before(
        example / f"{MEETING}.md",
        "## 4. Handelingskader",
        ["### Besluiten", "", "Besluit: het Bureauplan gaat naar de trekkers.", "", "- Het GMT krijgt het plan."],
    )
    repo, _ = load(example)
    item = find_meeting(repo, MEETING).items[2]
    assert [d.text for d in item.decisions] == ["het Bureauplan gaat naar de trekkers.", "Het GMT krijgt het plan."]
    meeting = find_meeting(repo, MEETING)
    assert len(meeting_actions(repo, meeting)["agreements"]) == 2
    assert sum(len(i["decisions"]) for i in minutes_document(repo, meeting)["items"]) == 2
    data = json.loads(run(runner, example, "decisions", "-f", "json").stdout)
    assert [d["text"] for d in data].count("het Bureauplan gaat naar de trekkers.") == 1
    for args in (["report", "minutes", MEETING], ["report", "actions", MEETING]):
        out = run(runner, example, *args).stdout
        assert out.count("het Bureauplan gaat naar de trekkers.") == 1, args


# 3. several owners, full names, no silent misread ---------------------------------------------


@pytest.mark.parametrize(
    "line,owners,text",
    [
        ("- [ ] @Peter @5.1, 2, e bespreken de planning", ("Peter", "5.1, 2, e"), "bespreken de planning"),
        ("- [ ] @Peter, @5.1, 2, e overleggen samen", ("Peter", "5.1, 2, e"), "overleggen samen"),
        ("- [ ] @Peter en @5.1, 2, e bellen P&O", ("Peter", "5.1, 2, e"), "bellen P&O"),
        ("- [ ] @5.1, 2, e and @Peter bellen P&O", ("5.1, 2, e", "Peter"), "bellen P&O"),
        ("- [ ] @Peter Teesink belt de wethouder", ("Peter Teesink",), "belt de wethouder"),
        ("- [ ] @peter teesink: belt de wethouder (voor 2024-03-20)", ("Peter Teesink",), "belt de wethouder"),
        ("- [ ] @Peter mailt naar info@example.org", ("Peter",), "mailt naar info@example.org"),
    ],
)
def test_action_line_owners(example: Path, line: str, owners: tuple[str, ...], text: str) -> None:
    add_before(example / f"{MEETING}.md", "## 4. Handelingskader", ["### Acties", "", line])
    repo, problems = load(example)
    assert [p for p in problems if p.severity == "error"] == []
    (found,) = find_meeting(repo, MEETING).items[2].actions
    assert (found.owners, found.text) == (owners, text)


@pytest.mark.parametrize(
    "line,message",
    [
        ("- [ ] @Peter en 5.1, 2, e bespreken het plan", "write '@' before every owner"),
        ("- [ ] @Peter 5.1, 2, e belt de wethouder", "write '@' before every owner"),
        ("- [ ] @Peter belt met @5.1, 2, e over het plan", "an '@' inside the text of an action line"),
    ],
)
def test_ambiguous_action_line_is_reported(example: Path, runner: CliRunner, line: str, message: str) -> None:
    number = add_before(example / f"{MEETING}.md", "## 4. Handelingskader", ["### Acties", "", line])[2]
    repo, problems = load(example)
    assert [p.format() for p in problems if message in p.message] == [
        p.format() for p in problems if p.line == number and p.path == f"{MEETING}.md"
    ]
    assert any(p.line == number for p in problems)
    assert find_meeting(repo, MEETING).items[2].actions == ()  # never a guess
    checked = run(runner, example, "check")
    assert checked.exit_code == 1
    assert f"{MEETING}.md:{number}: " in checked.output and message in checked.output
    before = sorted(p.name for p in (example / "actions").iterdir())
    synced = run(runner, example, "minutes", "sync", MEETING)
    assert synced.exit_code == 1 and f"{MEETING}.md:{number}" in synced.stderr
    assert sorted(p.name for p in (example / "actions").iterdir()) == before


def test_sync_gives_an_action_every_owner_of_its_line(
    example: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IDMEET_TODAY", "2024-03-07")
    add_before(
        example / f"{MEETING}.md",
        "## 4. Handelingskader",
        ["### Acties", "", "- [ ] @Peter, @5.1, 2, e overleggen samen", "- [ ] @Peter Teesink belt de wethouder"],
    )
    result = run(runner, example, "minutes", "sync", MEETING)
    assert result.exit_code == 0, result.output
    repo, _ = load(example)
    made = {a.description: a for a in repo.actions if a.meeting == MEETING}
    assert made["overleggen samen"].owners == ("Peter Teesink", "5.1, 2, e")
    assert made["belt de wethouder"].owners == ("Peter Teesink",)
    shown = json.loads(run(runner, example, "show", MEETING, "--format", "json").stdout)
    lines = shown["items"][2]["actions"]
    assert [a["owners"] for a in lines] == [["Peter Teesink", "5.1, 2, e"], ["Peter Teesink"]]
    report = run(runner, example, "report", "minutes", MEETING).stdout
    assert "@Peter @5.1, 2, e overleggen samen" in report
    assert run(runner, example, "minutes", "sync", MEETING).stdout.startswith("nothing to sync")
