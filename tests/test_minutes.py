"""Minutes: skeleton, sync of action lines to action files, decisions, the minutes document."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.store.load import load

MEETING = "voortgangsoverleg/2024-03-06"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDMEET_TODAY", "2024-03-07")


def run(runner: CliRunner, repo: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--repo", str(repo), *args])


def test_skeleton_adds_headings_once(example: Path, runner: CliRunner) -> None:
    path = example / f"{MEETING}.md"
    before = path.read_text()
    first = run(runner, example, "minutes", MEETING)
    assert first.exit_code == 0, first.output
    assert "added 27 minutes headings" in first.stdout  # 9 items x (Verslag, Besluiten, Acties)
    after = path.read_text()
    # Only lines were added: every old line is still there, in order.
    old_lines, new_lines = before.splitlines(), after.splitlines()
    it = iter(new_lines)
    assert all(line in it for line in old_lines)
    assert after.count("### Verslag") == 9 and after.count("### Acties") == 9
    second = run(runner, example, "minutes", MEETING)
    assert "already" in second.stdout
    assert path.read_text() == after
    assert run(runner, example, "check").exit_code == 0


def test_skeleton_adds_only_missing_parts(example: Path, runner: CliRunner) -> None:
    path = example / "voortgangsoverleg/2024-02-05.md"
    before = path.read_text()
    result = run(runner, example, "minutes", "voortgangsoverleg/2024-02-05")
    assert result.exit_code == 0
    after = path.read_text()
    assert after.count("### Besluiten") == 14
    assert after.count("### Verslag") == before.count("### Verslag") + (14 - before.count("### Verslag"))


def add_lines(path: Path, after_heading: str, lines: list[str]) -> None:
    text = path.read_text()
    heading = next(line for line in text.splitlines() if line.startswith(after_heading))
    path.write_text(text.replace(heading + "\n", heading + "\n\n" + "\n".join(lines) + "\n", 1))


def test_sync_creates_ties_and_is_idempotent(example: Path, runner: CliRunner) -> None:
    path = example / f"{MEETING}.md"
    add_lines(
        path,
        "## 3. Bureauplan",
        [
            "### Acties",
            "",
            "- [ ] @Peter deelt het Bureauplan met de trekkers (voor 2024-03-20)",
            "- [ ] @5.1, 2, e plant een sessie met het GMT",
        ],
    )
    result = run(runner, example, "minutes", "sync", MEETING)
    assert result.exit_code == 0, result.output
    created = re.findall(r"^created ([0-9a-z]{8}): ", result.stdout, flags=re.M)
    assert len(created) == 2
    repo, _ = load(example)
    made = {a.id: a for a in repo.actions if a.id in created}
    peter = next(a for a in made.values() if a.owners == ("Peter Teesink",))
    assert peter.due is not None and peter.due.isoformat() == "2024-03-20"
    assert (peter.meeting, peter.item, peter.title) == (MEETING, "3", "Bureauplan (concept)")
    assert peter.description == "deelt het Bureauplan met de trekkers"
    redacted = next(a for a in made.values() if a is not peter)
    assert redacted.owners == ("5.1, 2, e",)
    text = path.read_text()
    assert f"(voor 2024-03-20) <!-- {peter.id} -->" in text
    # Again: nothing new, no file changes.
    snapshot = {p: p.read_bytes() for p in example.rglob("*.md")}
    again = run(runner, example, "minutes", "sync", MEETING)
    assert again.exit_code == 0
    assert "nothing to sync" in again.stdout
    assert {p: p.read_bytes() for p in example.rglob("*.md")} == snapshot
    assert run(runner, example, "check").exit_code == 0


def test_ticked_line_closes_its_action_and_done_action_ticks_its_line(example: Path, runner: CliRunner) -> None:
    path = example / "voortgangsoverleg/2024-02-05.md"
    text = path.read_text()
    # nm8qxrv2 is open: tick its line in the minutes.
    line = next(x for x in text.splitlines() if "<!-- nm8qxrv2 -->" in x)
    path.write_text(text.replace(line, line.replace("- [ ]", "- [x]")))
    # hrn78gdt is closed elsewhere.
    assert run(runner, example, "action", "done", "hrn78gdt").exit_code == 0
    result = run(runner, example, "minutes", "sync", "voortgangsoverleg/2024-02-05")
    assert result.exit_code == 0, result.output
    assert "nm8qxrv2: open -> done" in result.stdout
    assert "ticked, as hrn78gdt is done" in result.stdout
    action = (example / "actions/nm8qxrv2.md").read_text()
    assert "status: done" in action
    assert "- 2024-03-07: afgerond: afgevinkt in het verslag van voortgangsoverleg/2024-02-05" in action
    assert "- [x] @Peter laat overleg plannen" in path.read_text()


@pytest.mark.parametrize(
    "line,message",
    [
        ("- [ ] geen eigenaar", "action line has no owner: write '- [ ] @Name what to do'"),
        ("- [ ] @Petr doet iets", "unknown owner 'Petr' (did you mean 'Peter'?)"),
        ("- [ ] @Peter doet iets (voor 31-02-2024)", "unreadable due date '31-02-2024': write (voor YYYY-MM-DD)"),
    ],
)
def test_malformed_action_lines(example: Path, runner: CliRunner, line: str, message: str) -> None:
    path = example / f"{MEETING}.md"
    add_lines(path, "## 5. Safe space", ["- [ ] @Peter maakt een voorstel", line])
    number = path.read_text().splitlines().index(line) + 1
    before = {p.name for p in (example / "actions").iterdir()}
    result = run(runner, example, "minutes", "sync", MEETING)
    assert result.exit_code == 1
    assert f"{MEETING}.md:{number}: {message}" in result.stderr
    assert "Traceback" not in result.output
    new = {p.name for p in (example / "actions").iterdir()} - before
    assert len(new) == 1  # the good line still became an action; the bad one did not


def test_minutes_on_unknown_meeting(example: Path, runner: CliRunner) -> None:
    for args in (["minutes", "stuurgroep/2030-01-01"], ["minutes", "sync", "stuurgroep/2030-01-01"]):
        result = run(runner, example, *args)
        assert result.exit_code == 1
        assert "unknown meeting 'stuurgroep/2030-01-01'" in result.stderr


def test_decisions(example: Path, runner: CliRunner) -> None:
    add_lines(example / f"{MEETING}.md", "## 3. Bureauplan", ["Besluit: het Bureauplan gaat naar de trekkers."])
    stuurgroep = example / "stuurgroep/2024-06-17.md"  # minutes parts go at the end of their item
    stuurgroep.write_text(stuurgroep.read_text() + "\n### Besluiten\n\n- Peter gaat in gesprek met de leadbuyers.\n")
    data = json.loads(run(runner, example, "decisions", "-f", "json").stdout)
    assert [(d["meeting"], d["item"], d["text"]) for d in data] == [
        ("stuurgroep/2024-06-17", "4", "Peter gaat in gesprek met de leadbuyers."),
        (MEETING, "3", "het Bureauplan gaat naar de trekkers."),
    ]
    only = json.loads(run(runner, example, "decisions", "--series", "stuurgroep", "-f", "json").stdout)
    assert len(only) == 1
    since = json.loads(run(runner, example, "decisions", "--since", "2024-04-01", "-f", "json").stdout)
    assert [d["meeting"] for d in since] == ["stuurgroep/2024-06-17"]
    table = run(runner, example, "decisions")
    assert f"{MEETING}  3. Bureauplan (concept): het Bureauplan gaat naar de trekkers." in table.stdout
    bad = run(runner, example, "decisions", "--since", "eergisteren")
    assert bad.exit_code == 1 and "invalid --since 'eergisteren'" in bad.stderr


def test_minutes_report(example: Path, runner: CliRunner) -> None:
    add_lines(
        example / "voortgangsoverleg/2024-02-05.md",
        "## 2. Sociale veiligheid",
        ["Besluit: P&O krijgt richting <b>snel</b>."],
    )
    md = run(runner, example, "report", "minutes", "voortgangsoverleg/2024-02-05")
    assert md.exit_code == 0, md.output
    lines = md.stdout.splitlines()
    assert lines[0] == "# Verslag: Voortgangsoverleg inclusie en diversiteit"
    assert "Datum: 5 februari 2024, 10.30 - 11.45 uur" in lines  # the series' house style, with the year
    assert "## 9. Evenementen directeuren" in lines
    assert "**Besluit:** P&O krijgt richting <b>snel</b>." in lines
    # actions in words, not checkbox syntax; dates in Dutch, no ISO dates or ids
    assert not any(x.startswith("- [") for x in lines)
    done = next(x for x in lines if x.startswith("- @5.1, 2, e zorgt er met 5.1, 2, e voor"))
    assert done.endswith("(afgerond)")
    assert (
        "- @Peter laat bila voor (over)morgen plannen voor 5.1, 2, e en hem om hier verder over te praten. "
        "(deadline 7 februari 2024)"
    ) in lines
    assert not re.search(r"\d{4}-\d{2}-\d{2}", md.stdout) and "nm8qxrv2" not in md.stdout
    html = run(runner, example, "report", "minutes", "voortgangsoverleg/2024-02-05", "-f", "html")
    assert "<b>snel</b>" in html.stdout  # simple inline formatting of the source is kept
