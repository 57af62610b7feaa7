"""The bundled example repository is valid and faithful to the seed documents."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.ops.validate import validate
from idmeet.store.load import load

from .conftest import EXAMPLE


def test_check_passes_on_example(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--repo", str(EXAMPLE), "check"])
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output


def test_loader_reports_nothing_on_example() -> None:
    repo, problems = load(EXAMPLE)
    assert [p for p in problems + validate(repo) if p.severity == "error"] == []
    assert len(repo.meetings) == 3
    assert {m.key for m in repo.meetings} == {
        "stuurgroep/2024-06-17",
        "voortgangsoverleg/2024-02-05",
        "voortgangsoverleg/2024-03-06",
    }


def test_show_json_stuurgroep(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--repo", str(EXAMPLE), "show", "stuurgroep/2024-06-17", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("series", "date", "start", "end", "location", "attendees", "items"):
        assert key in data
    assert (data["series"], data["date"], data["start"], data["end"]) == ("stuurgroep", "2024-06-17", "16:00", "17:00")
    assert [i["title"] for i in data["items"]] == [
        "Leersessie stuurgroep",
        "Verwey Jonker",
        "Verandersessie 29 mei",
        "Handelingskader inclusief inkopen",
    ]
    labels = [(a["label"], a["confidential"]) for i in data["items"] for a in i["attachments"]]
    assert labels == [("1", False), ("2", True), ("2a", True), ("3", False), ("3a", False)]
    assert len(data["items"][0]["questions"]) == 3
    assert len(data["items"][1]["questions"]) == 3
    assert data["items"][1]["attachments"][0]["title"] == "Gebundelde reflecties stuurgroep Verwey Jonker"


def test_show_progress_meeting_structure(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--repo", str(EXAMPLE), "show", "voortgangsoverleg/2024-03", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    items = data["items"]
    assert [i["number"] for i in items] == [str(n) for n in range(1, 10)]
    assert items[0]["category"] == "mededeling"
    assert items[1]["title"] == "Actielijst"
    assert items[8]["duration"] == 30
    assert [a["label"] for i in items for a in i["attachments"]] == [str(n) for n in range(1, 8)]


def test_every_seed_attachment_line_is_in_the_example() -> None:
    """Each "Bijlage N: title" of the seed agendas is an attachment of the example meeting."""
    import re

    seeds = Path(__file__).resolve().parent / "fixtures" / "seeds"  # copies of ../shared/seeds
    repo, _ = load(EXAMPLE)
    for seed, key in (
        ("000_b00e579dd8648eb1.txt", "stuurgroep/2024-06-17"),
        ("001_aab583dc2ac8e325.txt", "voortgangsoverleg/2024-03-06"),
    ):
        meeting = repo.get_meeting(key)
        assert meeting is not None
        labels = {a.label for i in meeting.items for a in i.attachments}
        found = set(re.findall(r"Bijlage (\d+[a-z]?):", (seeds / seed).read_text(encoding="utf-8")))
        assert found and found == labels
