"""Dates as Dutch people write them (issue 16 point 3): one reader for arguments and files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.core.dates import parse_cli_date, parse_date_text
from idmeet.core.diagnostics import IdmeetError
from idmeet.ops.meetings import find_meeting
from idmeet.store.load import load

TODAY = dt.date(2024, 3, 6)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-06", dt.date(2024, 3, 6)),
        ("6-3-2024", dt.date(2024, 3, 6)),
        ("06-03-2024", dt.date(2024, 3, 6)),
        ("6-3-24", dt.date(2024, 3, 6)),
        ("6/3/2024", dt.date(2024, 3, 6)),
        ("6.3.2024", dt.date(2024, 3, 6)),
        ("6 maart 2024", dt.date(2024, 3, 6)),
        ("1 april 2024", dt.date(2024, 4, 1)),
        ("6 mei 2024", dt.date(2024, 5, 6)),
        ("6 mrt. 2024", dt.date(2024, 3, 6)),
        ("woensdag 6 maart 2024", dt.date(2024, 3, 6)),
        ("6 March 2024", dt.date(2024, 3, 6)),
        ("vandaag", TODAY),
        ("today", TODAY),
        ("morgen", dt.date(2024, 3, 7)),
        ("Tomorrow", dt.date(2024, 3, 7)),
        ("gisteren", dt.date(2024, 3, 5)),
        ("+3", dt.date(2024, 3, 9)),
        ("+10d", dt.date(2024, 3, 16)),
        ("+2w", dt.date(2024, 3, 20)),
        ("+2 weken", dt.date(2024, 3, 20)),
        ("1 maart", dt.date(2024, 3, 1)),  # no year on the command line: the nearest to today
        ("1 december", dt.date(2023, 12, 1)),
    ],
)
def test_command_line_dates(text: str, expected: dt.date) -> None:
    assert parse_cli_date(text, "--due", on=TODAY) == expected


@pytest.mark.parametrize(
    "text", ["30-2-2024", "2024-13-01", "31/13/2024", "maart", "volgende week", "6.3", "vrijdag 6 maart 2024x"]
)
def test_bad_command_line_dates(text: str) -> None:
    with pytest.raises(IdmeetError) as error:
        parse_cli_date(text, "--due", on=TODAY)
    assert error.value.message.startswith(f"invalid --due '{text}': write YYYY-MM-DD")


def test_a_wrong_weekday_word_is_no_date() -> None:
    assert parse_date_text("blauwdag 6 maart 2024") is None


def test_relative_words_only_with_a_today() -> None:
    """In a file, "morgen" means nothing: there is no today to count from."""
    assert parse_date_text("morgen") is None
    assert parse_date_text("+2w") is None


@pytest.mark.parametrize(
    ("text", "meeting", "expected"),
    [
        ("1 april", dt.date(2024, 3, 6), dt.date(2024, 4, 1)),
        ("6 maart", dt.date(2024, 3, 6), dt.date(2024, 3, 6)),
        ("1 maart", dt.date(2024, 3, 6), dt.date(2025, 3, 1)),  # on or after the meeting
        ("5 jan", dt.date(2024, 12, 20), dt.date(2025, 1, 5)),
        ("1-4", dt.date(2024, 3, 6), dt.date(2024, 4, 1)),
    ],
)
def test_a_date_without_year_in_minutes_follows_the_meeting(text: str, meeting: dt.date, expected: dt.date) -> None:
    assert parse_date_text(text, after=meeting) == expected


def test_minutes_line_without_year(runner: CliRunner, example: Path) -> None:
    """``(voor 1 april)`` in the minutes of 6 March 2024 is 1 April 2024."""
    path = example / "voortgangsoverleg" / "2024-03-06.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n\n- [ ] @Peter belt de wethouder (voor 1 april)\n", encoding="utf-8")
    repo, problems = load(example)
    meeting = repo.get_meeting("voortgangsoverleg/2024-03-06")
    assert meeting is not None
    lines = [a for item in meeting.items for a in item.actions if a.text == "belt de wethouder"]
    assert [a.due for a in lines] == [dt.date(2024, 4, 1)], problems
    checked = runner.invoke(app, ["--repo", str(example), "check"])
    assert "unreadable due date" not in checked.output


@pytest.mark.parametrize("written", ["1 april 2024", "1-4-2024", "1/4/2024", "1-4-24"])
def test_every_date_argument_reads_dutch_dates(runner: CliRunner, example: Path, written: str) -> None:
    iso = runner.invoke(app, ["--repo", str(example), "actions", "--all", "--due-before", "2024-04-01", "-f", "json"])
    dutch = runner.invoke(app, ["--repo", str(example), "actions", "--all", "--due-before", written, "-f", "json"])
    assert dutch.exit_code == 0, dutch.output
    assert dutch.stdout == iso.stdout


def test_due_takes_relative_dates(runner: CliRunner, example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDMEET_TODAY", "2024-03-06")
    listed = runner.invoke(app, ["--repo", str(example), "actions", "-f", "json"])
    action_id = json.loads(listed.stdout)[0]["id"]
    result = runner.invoke(app, ["--repo", str(example), "action", "due", action_id, "+2w"])
    assert result.exit_code == 0, result.output
    assert "due: 2024-03-20" in (example / "actions" / f"{action_id}.md").read_text(encoding="utf-8")


# -- meeting references (point 4) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("2024-03-06", "voortgangsoverleg/2024-03-06"),
        ("voortgangsoverleg/6-3-2024", "voortgangsoverleg/2024-03-06"),
        ("6 maart 2024", "voortgangsoverleg/2024-03-06"),
        ("stuurgroep/17 juni 2024", "stuurgroep/2024-06-17"),
        ("voortgangsoverleg/latest", "voortgangsoverleg/2024-03-06"),
        ("voortgangsoverleg/laatste", "voortgangsoverleg/2024-03-06"),
        ("voortgangsoverleg/next", None),  # no file after 1 April 2024
        ("stuurgroep/next", "stuurgroep/2024-06-17"),
        ("stuurgroep/latest", None),  # none on or before 1 April 2024
    ],
)
def test_meeting_references(runner: CliRunner, example: Path, reference: str, expected: str | None) -> None:
    repo, problems = load(example)
    if expected is None:
        with pytest.raises(IdmeetError) as error:
            find_meeting(repo, reference, problems, today=dt.date(2024, 4, 1))
        assert "no meeting" in error.value.message
        return
    assert find_meeting(repo, reference, problems, today=dt.date(2024, 4, 1)).key == expected


def test_meeting_references_through_the_cli(runner: CliRunner, example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDMEET_TODAY", "2024-04-01")
    by_key = runner.invoke(app, ["--repo", str(example), "show", "voortgangsoverleg/2024-03-06"])
    for reference in ("2024-03-06", "voortgangsoverleg/6-3-2024", "voortgangsoverleg/latest"):
        result = runner.invoke(app, ["--repo", str(example), "show", reference])
        assert result.exit_code == 0, result.output
        assert result.stdout == by_key.stdout
    missing = runner.invoke(app, ["--repo", str(example), "show", "voortgangsoverleg/7-3-2024"])
    assert missing.exit_code == 1
    assert missing.stderr.startswith("idmeet: unknown meeting 'voortgangsoverleg/7-3-2024'")
    bare = runner.invoke(app, ["--repo", str(example), "show", "next"])
    assert bare.exit_code == 1 and "needs its series" in bare.stderr
