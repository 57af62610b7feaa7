"""Issue 12: the meeting cycle gives right answers (dates, owners, decisions, questions, history).

Each test reproduces one defect found by running the bureau's whole cycle on a copy of the
example repository, through the library and through the command line.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.edits import lifecycle, minutes
from idmeet.ops.actions import ActionQuery, actions_as_of
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
    entry = agenda.stdout.split("**Bureauplan delen met de trekkers**", 1)[1].split("\n- **")[0]
    assert "Deadline 20 maart (te laat)." in entry
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


# 5. --as-of counts only what was known on that day --------------------------------------------


def test_as_of_leaves_out_later_log_lines(example: Path, runner: CliRunner) -> None:
    repo, _ = load(example)
    found = ActionQuery(as_of=dt.date(2024, 3, 1), text="P&O", today=dt.date(2024, 3, 7)).run(repo)
    assert found.actions and all(e.date <= dt.date(2024, 3, 1) for a in found for e in a.log)
    assert "10m8t1n7" not in [a.id for a in found]  # "P&O" only in its log line of 6 March
    table = run(runner, example, "actions", "--as-of", "2024-03-01", "--text", "P&O")
    assert table.exit_code == 0 and "2024-03-06" not in table.stdout
    data = json.loads(run(runner, example, "actions", "--as-of", "2024-03-01", "--all", "-f", "json").stdout)
    assert all(d["last_update"] is None or d["last_update"] <= "2024-03-01" for d in data)
    on_day = json.loads(run(runner, example, "actions", "--as-of", "2024-03-06", "--all", "-f", "json").stdout)
    assert any(d["last_update"] == "2024-03-06" for d in on_day)  # a log line of that very day counts


def test_as_of_undoes_later_status_owner_and_due_changes(
    example: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IDMEET_TODAY", "2024-05-02")
    for args in (
        ["action", "wait", "nm8q", "--note", "wacht op P&O"],
        ["action", "reassign", "10m8", "--owner", "5.1, 2, e"],
        ["action", "due", "42m5", "2024-06-01"],
        ["action", "due", "hrn7", "2024-06-30"],
        ["action", "done", "n0gh"],
    ):
        assert run(runner, example, *args).exit_code == 0
    repo, _ = load(example)
    by_id = {a.id: a for a in repo.actions}
    april = dt.date(2024, 4, 1)
    then = {a.id: a for a in actions_as_of(repo.actions, april)}
    assert then["nm8qxrv2"].status == "open" and by_id["nm8qxrv2"].status == "waiting"
    assert then["10m8t1n7"].owners == ("Peter Teesink",)
    assert then["42m5tadr"].due is None and then["hrn78gdt"].due == dt.date(2024, 3, 31)
    assert then["n0gh5v6g"].status == "open"
    assert then["nm8qxrv2"].log == ()
    report = open_items(repo, list(repo.actions), april)
    entries = {e["id"]: e for g in report["owners"] for e in g["actions"]}
    assert entries["nm8qxrv2"]["status"] == "open" and entries["nm8qxrv2"]["latest"] is None
    assert entries["hrn78gdt"]["due"] == "2024-03-31" and entries["hrn78gdt"]["overdue"]
    data = json.loads(run(runner, example, "report", "open-items", "--as-of", "2024-04-01", "-f", "json").stdout)
    shown = {e["id"]: (g["owner"], e) for g in data["owners"] for e in g["actions"]}
    assert shown["nm8qxrv2"][1]["status"] == "open"
    assert shown["10m8t1n7"][0] == "Peter Teesink"
    assert shown["42m5tadr"][1]["due"] is None
    md = run(runner, example, "report", "open-items", "--as-of", "2024-04-01").stdout
    line = next(x for x in md.splitlines() if "**Prestatieafspraken GMT**" in x)
    assert "wacht" not in line
    peter = run(runner, example, "actions", "--as-of", "2024-04-01", "--owner", "Peter", "-f", "json")
    assert "10m8t1n7" in [d["id"] for d in json.loads(peter.stdout)]
    # Today, the changes count.
    now = json.loads(run(runner, example, "report", "open-items", "-f", "json").stdout)
    now_shown = {e["id"]: (g["owner"], e) for g in now["owners"] for e in g["actions"]}
    assert now_shown["nm8qxrv2"][1]["status"] == "waiting" and now_shown["10m8t1n7"][0] == "5.1, 2, e"


def test_history_reads_the_log_words_the_commands_write() -> None:
    from idmeet.core.history import split_names, status_change
    from idmeet.core.words import LOG as LOG_WORDS

    for words in LOG_WORDS.values():
        for status in ("done", "dropped", "waiting", "open"):
            assert status_change(words[status]) == status
            assert status_change(f"{words[status]}: met een reden") == status
    assert status_change("komt hierop terug") is None
    assert split_names("Peter Teesink, 5.1, 2, e") == ("Peter Teesink", "5.1, 2, e")
    assert split_names("5.1, 2, e, Peter") == ("5.1, 2, e", "Peter")


# 6. questions in the progress meeting's own style --------------------------------------------


@pytest.mark.parametrize(
    "text,question",
    [
        ("*Klopt het dat we nog niks hebben gezien?*", True),
        ("*Heb je feedback op de rapportages die je ons wil meegeven?*", True),
        ("_Kan je een terugkoppeling geven? Hoe pakken we dit aan?_", True),
        ("*We bespreken graag met je hoe hiermee om te gaan.*", True),
        ("*Wij horen graag hoe jij erop terugkijkt.*", True),
        ("➤ *We stellen voor dat wij dit zelf even met P&O oppakken.*", False),
        ("Klopt het dat we nog niks hebben gezien?", False),
        ("**Klopt het?**", False),
        ("*Bijlage 1: openstaande acties*", False),
        ("*Eerste zin?* En dan gewone tekst.", False),
    ],
)
def test_what_counts_as_a_question_in_the_text(text: str, question: bool) -> None:
    from idmeet.parser.body import in_text_question

    assert in_text_question(text) is question


def test_italic_questions_of_the_progress_meeting_are_questions(
    example: Path, runner: CliRunner, tmp_path: Path
) -> None:
    repo, _ = load(example)
    item = find_meeting(repo, MEETING).items[1]
    assert [(q.text[:14], q.form, q.in_text) for q in item.questions] == [
        ("*Zullen wij he", "bullet", True),
        ("*Kan je een te", "bullet", True),
    ]
    for q in item.questions:
        assert q.text in item.text  # kept as written, in its place
    shown = json.loads(run(runner, example, "show", MEETING, "--format", "json").stdout)
    questions = shown["items"][1]["questions"]
    assert len(questions) == 2 and all(q.startswith("*") and q.endswith("?*") for q in questions)
    md = run(runner, example, "show", MEETING).stdout
    assert "*Kan je een terugkoppeling" in md
    rendered = run(runner, example, "render", MEETING).stdout
    assert rendered.count("Kan je een terugkoppeling geven") == 1  # not again under a questions heading
    # import counts them: the seed agenda of 6 March holds 9 questions (7 under headings, 2 in italics)
    target = tmp_path / "new"
    assert run(runner, target, "init", str(target)).exit_code == 0
    (target / "idmeet.yaml").write_text((example / "idmeet.yaml").read_text())
    seed = Path(__file__).parent / "fixtures" / "seeds" / "001_aab583dc2ac8e325.txt"
    imported = run(runner, target, "import", str(seed), "--series", "voortgangsoverleg", "--year", "2024")
    assert imported.exit_code == 0, imported.output
    assert "9 questions" in imported.output
    again, _ = load(target)
    assert len(find_meeting(again, MEETING).items[1].questions) == 2


# 9. idmeet diff names every change of meaning ------------------------------------------------


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture
def gitrepo(example: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("IDMEET_TODAY", "2024-03-07")
    for key in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        monkeypatch.setenv(key, "t@x")
    _git(example, "init", "-q")
    _git(example, "add", "-A")
    _git(example, "commit", "-q", "-m", "start")
    return example


def test_diff_names_deferral_proposals_minutes_and_attendees(gitrepo: Path, runner: CliRunner) -> None:
    path = gitrepo / f"{MEETING}.md"
    text = path.read_text()
    text = text.replace(
        "## 7. Opdrachtnemer inclusief leiderschap directeuren geselecteerd\n",
        "## 7. Opdrachtnemer inclusief leiderschap directeuren geselecteerd\n\nStatus: uitgesteld\n",
    )
    text = text.replace('  - "5.1, 2, e"\nminute_taker', '  - "5.1, 2, e"\n  - Peter Teesink\nminute_taker', 1)
    text = text.replace("attendees:\n  - Peter\n", "attendees:\n", 1)
    path.write_text(text)
    add_before(path, "## 4. Handelingskader", ["### Verslag", "", "Peter deelt het plan met de trekkers."])
    assert run(runner, gitrepo, "action", "due", "nm8q", "2024-04-01").exit_code == 0
    assert run(runner, gitrepo, "propose", "voortgangsoverleg", "Jaarplan 2025").exit_code == 0
    result = run(runner, gitrepo, "diff", "-f", "json")
    assert result.exit_code == 0, result.output
    kinds = {c["type"]: c for c in json.loads(result.stdout)["changes"]}
    assert "deferred" in kinds["item_status"]["text"] and kinds["item_status"]["item"] == "7"
    assert kinds["item_minutes_added"]["item"] == "3"
    assert kinds["meeting_attendee_removed"]["name"] == "Peter"
    assert kinds["meeting_attendee_added"]["name"] == "Peter Teesink"
    assert "Jaarplan 2025" in kinds["proposal_added"]["text"]
    assert "action_due" in kinds
    md = run(runner, gitrepo, "diff").stdout
    assert "item 7. Opdrachtnemer inclusief leiderschap directeuren geselecteerd: deferred" in md
    assert "minutes added: Peter deelt het plan met de trekkers." in md
    assert "## Proposals" in md
    # The proposal taken by the next agenda, committed, is named too.
    _git(gitrepo, "add", "-A")
    _git(gitrepo, "commit", "-q", "-m", "minutes")
    assert run(runner, gitrepo, "new-agenda", "voortgangsoverleg").exit_code == 0
    taken = json.loads(run(runner, gitrepo, "diff", "-f", "json").stdout)["changes"]
    assert any(c["type"] == "proposal_taken" and "taken by voortgangsoverleg/2024-04-08" in c["text"] for c in taken)


def test_diff_names_what_has_no_words_of_its_own(example: Path) -> None:
    from idmeet.ops.gitdiff import compare

    old, _ = load(example)
    path = example / f"{MEETING}.md"
    path.write_text(path.read_text().replace("Categorie: mededeling", "Categorie: ter kennisname"))
    (example / "actions/nm8qxrv2.md").write_text(
        (example / "actions/nm8qxrv2.md").read_text().replace("tags: [gmt, p&o]", "tags: [gmt]")
    )
    new, _ = load(example)
    texts = [c["text"] for c in compare(old, new, "a", "b").items]
    assert any("item 1. Mededelingen/actualiteiten: category 'mededeling' -> 'ter kennisname'" in t for t in texts)
    assert "action nm8qxrv2: tags changed" in texts


# 7. the year of a date without one -----------------------------------------------------------

FIXTURES = Path(__file__).parent / "fixtures"


def _agenda_without_year(tmp_path: Path, date_text: str) -> Path:
    source = (FIXTURES / "import" / "stuurgroep-2024-09-09.txt").read_text()
    path = tmp_path / "agenda.txt"
    path.write_text(source.replace("maandag 9 september 2024", date_text))
    return path


# (today is after the meeting each time: a meeting imported before its date is "planned", after it "held")
@pytest.mark.parametrize("today", ["2024-04-01", "2027-06-15", "2031-01-10"])
def test_import_year_prefers_the_series_meetings_and_is_idempotent(
    example: Path, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, today: str
) -> None:
    monkeypatch.setenv("IDMEET_TODAY", today)
    doc = _agenda_without_year(tmp_path, "Maandag 25 maart")
    first = run(runner, example, "import", str(doc), "--series", "stuurgroep")
    assert first.exit_code == 0, first.output
    assert (example / "stuurgroep/2024-03-25.md").is_file()  # near the series' meeting of 17 June 2024
    assert sorted(p.name for p in (example / "stuurgroep").glob("*-03-25.md")) == ["2024-03-25.md"]
    before = {p: p.read_bytes() for p in example.rglob("*.md")}
    for later in ("2027-06-15", "2035-01-01"):
        monkeypatch.setenv("IDMEET_TODAY", later)
        again = run(runner, example, "import", str(doc), "--series", "stuurgroep")
        assert again.exit_code == 0, again.output
        assert {p: p.read_bytes() for p in example.rglob("*.md")} == before


def test_import_year_without_meetings_is_the_most_recent_past_year(tmp_path: Path) -> None:
    from idmeet.importer.header import DateText, resolve_date

    found = DateText("Maandag 25 maart", 25, 3, None, 0, "line 3")
    day, notes = resolve_date(found, None, dt.date(2027, 6, 15))
    assert day == dt.date(2024, 3, 25) and "most recent past year" in notes[0]
    near, _ = resolve_date(found, None, dt.date(2027, 6, 15), [dt.date(2030, 1, 6)])
    assert near == dt.date(2030, 3, 25)  # the series meets in 2030: that year
    coming, _ = resolve_date(found, None, dt.date(2018, 6, 1))
    assert coming == dt.date(2013, 3, 25)  # not 2019, nearer to that today but still to come


# 8. a minute-taker written across lines ------------------------------------------------------


@pytest.mark.parametrize(
    "names",
    [
        "Uitgenodigd: Peter Teesink, 5.1, 2, e 5.1, 2, e,\n5.1, 2, e 5.1, 2, e, 5.1, 2, e (\n5.1, 2, e verslag).",
        "Uitgenodigd:\nPeter Teesink, 5.1, 2, e (\n5.1, 2, e verslag).",
        "Uitgenodigd: Peter Teesink, 5.1, 2, e,\n5.1, 2, e (5.1, 2, e\nverslag).",
    ],
)
def test_import_places_a_minute_taker_written_across_lines(names: str) -> None:
    from idmeet.importer.core import import_document

    repo_config = load(Path(__file__).resolve().parents[1] / "meetings")[0].config
    text = (
        "Stuurgroep Inclusie en Diversiteit\n\nDatum en tijd: maandag 2 december 2024, 16.00 - 17.00 uur\n\n"
        f"{names}\n\nLocatie: 2.C.4\n\nAgenda\n\n1) Opening\n\nKorte ronde.\n"
    )
    result = import_document(text.splitlines(), "stuurgroep", repo_config, today=dt.date(2024, 12, 3))
    written = result.meeting_text
    assert 'minute_taker: "5.1, 2, e"' in written
    assert "not placed" not in written and "verslag" not in written.split("---")[1]
    assert not result.unplaced
    assert '"5.1, 2, e ("' not in written


def test_import_minute_taker_across_lines_cli(example: Path, runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "agenda.txt"
    doc.write_text(
        "Stuurgroep Inclusie en Diversiteit\n\nDatum en tijd: maandag 2 december 2024, 16.00 - 17.00 uur\n\n"
        "Uitgenodigd: Peter Teesink, 5.1, 2, e 5.1, 2, e,\n5.1, 2, e (\n5.1, 2, e verslag).\n\n"
        "Agenda\n\n1) Opening\n\nKorte ronde.\n"
    )
    result = run(runner, example, "import", str(doc), "--series", "stuurgroep")
    assert result.exit_code == 0, result.output
    assert "not placed" not in result.output
    repo, _ = load(example)
    assert find_meeting(repo, "stuurgroep/2024-12-02").minute_taker == "5.1, 2, e"


# 4. an edited synced line is carried into its action ------------------------------------------


def _synced_line(example: Path, runner: CliRunner) -> tuple[Path, str, str]:
    """A task line that `minutes sync` made an action of: (meeting file, the line, action id)."""
    path = example / f"{MEETING}.md"
    add_lines(path, "## 3. Bureauplan", ["- [ ] @Peter deelt het plan (voor 2024-03-20)"])
    result = run(runner, example, "minutes", "sync", MEETING)
    assert result.exit_code == 0, result.output
    line = next(x for x in path.read_text().splitlines() if "deelt het plan" in x)
    return path, line, line.split("<!-- ")[1].split(" -->")[0]


def _edit_line(path: Path, old: str, new: str) -> int:
    text = path.read_text()
    assert text.count(old) == 1
    path.write_text(text.replace(old, new))
    return path.read_text().splitlines().index(new) + 1


@pytest.mark.parametrize(
    ("new", "field", "value", "logged"),
    [
        (
            "- [ ] @Peter deelt het plan (voor 2024-03-25)",
            "due",
            dt.date(2024, 3, 25),
            "deadline 2024-03-25 (was 2024-03-20)",
        ),
        (
            "- [ ] @5.1, 2, e deelt het plan (voor 2024-03-20)",
            "owners",
            ("5.1, 2, e",),
            "overgedragen aan 5.1, 2, e (was Peter Teesink)",
        ),
        (
            "- [ ] @Peter deelt het herziene plan (voor 2024-03-20)",
            "description",
            "deelt het herziene plan",
            "deelt het herziene plan",
        ),
    ],
)
def test_sync_carries_an_edited_line_into_its_action(
    example: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, new: str, field: str, value: object, logged: str
) -> None:
    monkeypatch.setenv("IDMEET_TODAY", "2024-03-12")
    path, line, action_id = _synced_line(example, runner)
    _edit_line(path, line, f"{new} <!-- {action_id} -->")
    result = run(runner, example, "minutes", "sync", MEETING)
    assert result.exit_code == 0, result.output
    assert action_id in result.output and "nothing to sync" not in result.output
    repo, problems = load(example)
    action = next(a for a in repo.actions if a.id == action_id)
    assert getattr(action, field) == value
    assert action.log[-1].date == dt.date(2024, 3, 12) and logged in action.log[-1].text
    assert [p for p in problems + validate(repo) if p.path == action.source.path] == []
    assert run(runner, example, "minutes", "sync", MEETING).stdout.startswith("nothing to sync")
    assert run(runner, example, "fmt", "--check").exit_code == 0


def test_sync_library_carries_a_new_due_date(example: Path, runner: CliRunner) -> None:
    path, line, action_id = _synced_line(example, runner)
    _edit_line(path, line, line.replace("2024-03-20", "2024-03-25"))
    repo, _ = load(example)
    report = minutes.sync(repo, find_meeting(repo, MEETING), dt.date(2024, 3, 12))
    assert any(action_id in c and "2024-03-25" in c for c in report.changed)
    repo, _ = load(example)
    assert next(a for a in repo.actions if a.id == action_id).due == dt.date(2024, 3, 25)


def test_sync_leaves_an_action_changed_by_a_command(example: Path, runner: CliRunner) -> None:
    _, _, action_id = _synced_line(example, runner)
    assert run(runner, example, "action", "due", action_id, "2024-04-01").exit_code == 0
    before = (example / "actions" / f"{action_id}.md").read_bytes()
    assert run(runner, example, "minutes", "sync", MEETING).stdout.startswith("nothing to sync")
    assert (example / "actions" / f"{action_id}.md").read_bytes() == before


def test_sync_reports_a_line_and_action_that_both_changed(example: Path, runner: CliRunner) -> None:
    path, line, action_id = _synced_line(example, runner)
    assert run(runner, example, "action", "due", action_id, "2024-04-01").exit_code == 0
    number = _edit_line(path, line, line.replace("2024-03-20", "2024-03-25"))
    files = sorted(p for p in example.rglob("*.md"))
    before = {p: p.read_bytes() for p in files}
    result = run(runner, example, "minutes", "sync", MEETING)
    assert result.exit_code != 0
    assert f"{MEETING}.md:{number}:" in result.output and action_id in result.output
    assert "Traceback" not in result.output
    assert {p: p.read_bytes() for p in sorted(example.rglob("*.md"))} == before
