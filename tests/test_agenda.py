"""Agenda generation: ``idmeet new-agenda``, ``idmeet propose`` and ``idmeet render``.

All tests run on a private copy of the example repository (the ``example`` fixture) with
"today" pinned to 2024-03-10. The expected agendas in tests/golden/agenda/ were written by
hand from meetings/idmeet.yaml, the meeting files and the action files (reasoning below),
then checked against the program; they are not regenerated from its output.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from idmeet.cli import app

from .conftest import assert_one_line_error, snapshot

GOLDEN = Path(__file__).parent / "golden" / "agenda"
TODAY = "2024-03-10"

# The open actions of the example repository: every action file is of the series
# voortgangsoverleg (meeting voortgangsoverleg/2024-02-05). Status open or waiting (13):
OPEN_VOORTGANG = {
    "10m8t1n7",
    "42m5tadr",
    "d43sfra2",
    "dqryrndx",
    "erf1n8nz",
    "hrn78gdt",
    "j1ecktg3",
    "jt3dy6zk",
    "m3dfkxn9",  # m3dfkxn9 is "waiting": still open, listed with "wacht"
    "n0gh5v6g",
    "nm8qxrv2",
    "p2zzrzn2",
    "xmf1m4ny",
}
CLOSED_VOORTGANG = {"hd1cx4db", "jekzn5ba"}  # status done: never on an agenda


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDMEET_TODAY", TODAY)
    monkeypatch.delenv("IDMEET_REPO", raising=False)
    monkeypatch.delenv("IDMEET_DEBUG", raising=False)


# -- helpers ----------------------------------------------------------------------------------


def idmeet(runner: CliRunner, repo: Path, *args: str) -> Result:
    return runner.invoke(app, ["--repo", str(repo), *args])


def ok(result: Result) -> Result:
    assert result.exit_code == 0, f"exit {result.exit_code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    return result


def listed_ids(text: str) -> list[str]:
    """The action ids an Actielijst keeps in its comments: ``- **Topic** <!-- id id -->``."""
    return [i for ids in re.findall(r"<!-- ([0-9a-z ]+) -->", text) for i in ids.split()]


def golden(name: str) -> str:
    return (GOLDEN / name).read_text(encoding="utf-8")


def propose(runner: CliRunner, repo: Path, *args: str) -> Path:
    result = ok(idmeet(runner, repo, "propose", *args))
    rel = result.stdout.strip()
    assert re.fullmatch(r"proposals/[0-9a-z]+\.md", rel), rel
    assert (repo / rel).is_file()
    return repo / rel


def taken_lines(proposal: Path) -> list[str]:
    return [line for line in proposal.read_text(encoding="utf-8").splitlines() if line.startswith("taken:")]


def show(runner: CliRunner, repo: Path, meeting: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(idmeet(runner, repo, "show", meeting, "--format", "json")).stdout)
    return data


def titles(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [(item["number"], item["title"]) for item in data["items"]]


def labels(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(item["number"], a["label"], a["title"]) for item in data["items"] for a in item["attachments"]]


def set_status(meeting_file: Path, heading: str, status: str) -> None:
    """Put ``Status: ...`` as a meta line directly under an item heading (as the minutes do)."""
    text = meeting_file.read_text(encoding="utf-8")
    assert text.count(heading + "\n") == 1, heading
    meeting_file.write_text(text.replace(heading + "\n", f"{heading}\n\nStatus: {status}\n"), encoding="utf-8")


def assert_check_passes(runner: CliRunner, repo: Path) -> None:
    result = ok(idmeet(runner, repo, "check"))
    assert "0 errors, 0 warnings" in result.output, result.output


def propose_voortgang_set(runner: CliRunner, repo: Path) -> dict[str, Path]:
    """Four proposals: two for the agenda of 8 April (2 attachments each), one meant for a
    later meeting, one for the other series."""
    return {
        "jaarplan": propose(
            runner,
            repo,
            "voortgangsoverleg",
            "Jaarplan 2025",
            "--category",
            "ter besluitvorming",
            "--attachment",
            "Jaarplan 2025",
            "--attachment",
            "Begroting 2025",
            "--question",
            "Stem je in met het jaarplan 2025?",
            "--by",
            "Peter",
        ),
        "werkbezoek": propose(
            runner,
            repo,
            "voortgangsoverleg",
            "Werkbezoek stadsdelen",
            "--for",
            "2024-04-01",
            "--attachment",
            "Programma werkbezoek",
            "--attachment",
            "Deelnemerslijst",
            "--confidential",
        ),
        # --for after the agenda date (8 April): not taken yet.
        "later": propose(
            runner,
            repo,
            "voortgangsoverleg",
            "Evaluatie actieplannen",
            "--for",
            "2024-05-06",
            "--attachment",
            "Evaluatie",
        ),
        # another series: never on the agenda of voortgangsoverleg.
        "stuurgroep": propose(runner, repo, "stuurgroep", "Jaarverslag stuurgroep", "--attachment", "Jaarverslag 2023"),
    }


# -- the date of the next agenda; golden agendas ------------------------------------------------

# voortgangsoverleg: its cadence is an explicit list of dates (2024-02-05, 2024-03-06,
# 2024-04-08, ...). Its latest meeting is 2024-03-06, so the next agenda is for the next
# listed date, 2024-04-08 (after today, 2024-03-10: no warning).
# stuurgroep: every 6 weeks on Monday; its only (so latest) meeting is 2024-06-17, which
# also fixes the phase. 2024-06-17 + 6 weeks = 2024-07-29, but that is in `skip` (summer
# recess), so the next is 2024-07-29 + 6 weeks = 2024-09-09.


# voortgangsoverleg: standing items first (Mededelingen, then Actielijst, which holds the open
# actions), then Rondvraag (position: end); the previous meeting deferred nothing; no
# proposals. stuurgroep: no standing items, so an "Actielijst" item is added; the series has
# no actions.
@pytest.mark.parametrize(("series", "date"), [("voortgangsoverleg", "2024-04-08"), ("stuurgroep", "2024-09-09")])
def test_dry_run_is_the_golden_agenda(runner: CliRunner, example: Path, series: str, date: str) -> None:
    before = snapshot(example)
    result = ok(idmeet(runner, example, "new-agenda", series, "--dry-run"))
    assert f"date: {date}\n" in result.stdout
    assert result.stdout == golden(f"{series}-{date}-plain.md")
    assert "warning" not in result.stderr
    assert snapshot(example) == before  # --dry-run writes nothing


def test_write_voortgangsoverleg_with_proposals(runner: CliRunner, example: Path) -> None:
    made = propose_voortgang_set(runner, example)
    before = snapshot(example)

    dry = ok(idmeet(runner, example, "new-agenda", "voortgangsoverleg", "--dry-run"))
    assert dry.stdout == golden("voortgangsoverleg-2024-04-08-proposals.md")
    assert snapshot(example) == before  # nothing written, no proposal marked taken

    result = ok(idmeet(runner, example, "new-agenda", "voortgangsoverleg"))
    target = example / "voortgangsoverleg" / "2024-04-08.md"
    assert Path(result.stdout.strip()).resolve() == target.resolve()  # prints the path
    assert target.read_text(encoding="utf-8") == golden("voortgangsoverleg-2024-04-08-proposals.md")

    assert taken_lines(made["jaarplan"]) == ["taken: voortgangsoverleg/2024-04-08"]
    assert taken_lines(made["werkbezoek"]) == ["taken: voortgangsoverleg/2024-04-08"]
    assert taken_lines(made["later"]) == []
    assert taken_lines(made["stuurgroep"]) == []
    # Only the meeting file and the two taken proposals changed.
    after = snapshot(example)
    changed = {k for k in after if after[k] != before.get(k)}
    assert changed == {
        "voortgangsoverleg/2024-04-08.md",
        *(p.relative_to(example).as_posix() for p in (made["jaarplan"], made["werkbezoek"])),
    }

    assert_check_passes(runner, example)
    data = show(runner, example, "voortgangsoverleg/2024-04-08")
    assert data["status"] == "planned"
    assert (data["start"], data["end"], data["location"]) == ("10:30", "11:45", "Kamer 2C4 / MS Teams")
    assert data["invitees"] == ["Peter Teesink", "5.1, 2, e"]
    assert titles(data) == [
        ("1", "Mededelingen / actualiteiten"),
        ("2", "Actielijst"),
        ("3", "Jaarplan 2025"),
        ("4", "Werkbezoek stadsdelen"),
        ("5", "Rondvraag"),
    ]
    assert [i["category"] for i in data["items"]] == ["mededeling", "ter bespreking", "ter besluitvorming", None, None]
    # the action list goes along as Bijlage 1 (style: action_list: attached, as seed 001),
    # then two proposals with two attachments each: Bijlage 2, 2a, 3, 3a
    assert labels(data) == [
        ("2", "1", "openstaande acties 06-03"),
        ("3", "2", "Jaarplan 2025"),
        ("3", "2a", "Begroting 2025"),
        ("4", "3", "Programma werkbezoek"),
        ("4", "3a", "Deelnemerslijst"),
    ]
    assert [a["confidential"] for i in data["items"] for a in i["attachments"]] == [False, False, False, True, True]
    assert data["items"][2]["questions"] == ["Stem je in met het jaarplan 2025?"]


def _stuurgroep_scenario(runner: CliRunner, repo: Path) -> dict[str, Path]:
    """The steering group after 17 June: two items carried over, its own actions, proposals."""
    meeting = repo / "stuurgroep" / "2024-06-17.md"
    set_status(meeting, "## 2. Verwey Jonker", "uitgesteld")
    set_status(meeting, "## 4. Handelingskader inclusief inkopen", "niet besproken")
    actions = repo / "actions"
    (actions / "sg4w8k2m.md").write_text(
        "---\nid: sg4w8k2m\ntitle: Communicatieplan Verwey Jonker\nowner: Peter\nstatus: open\n"
        "opened: 2024-06-17\ndue: 2024-09-01\nmeeting: stuurgroep/2024-06-17\nitem: 2\n---\n\n"
        "deelt het communicatieplan met de directeuren.\n\n## Log\n\n"
        "- 2024-06-24: online moment met de directeuren gepland.\n",
        encoding="utf-8",
    )
    (actions / "sg2w5p8r.md").write_text(
        '---\nid: sg2w5p8r\ntitle: Leadbuyers handelingskader\nowner: "5.1, 2, e"\nstatus: waiting\n'
        "opened: 2024-06-17\nmeeting: stuurgroep/2024-06-17\nitem: 4\n---\n\n"
        "plant een gesprek met de leadbuyers.\n\n## Log\n\n"
        "- 2024-07-01: wacht op de planning van de kennissessies.\n",
        encoding="utf-8",
    )
    (actions / "sg7d9n3x.md").write_text(
        "---\nid: sg7d9n3x\ntitle: Leersessies plannen\nowner: Peter\nstatus: done\n"
        "opened: 2024-06-17\nmeeting: stuurgroep/2024-06-17\nitem: 1\n---\n\n"
        "plant de drie leersessies.\n\n## Log\n\n- 2024-06-20: afgerond\n",
        encoding="utf-8",
    )
    (actions / "sg9k3m4q.md").write_text(
        "---\nid: sg9k3m4q\ntitle: Lezing Ketu Ketu\nowner: Peter\nstatus: dropped\n"
        "opened: 2024-06-17\nmeeting: stuurgroep/2024-06-17\nitem: 1\n---\n\n"
        "nodigt de stuurgroep uit voor de lezing.\n\n## Log\n\n- 2024-07-05: vervallen: te laat\n",
        encoding="utf-8",
    )
    assert_check_passes(runner, repo)
    return {
        "jaarplan": propose(
            runner,
            repo,
            "stuurgroep",
            "Jaarplan 2025",
            "--category",
            "ter besluitvorming",
            "--attachment",
            "Jaarplan 2025",
            "--question",
            "Kunnen jullie instemmen met het jaarplan 2025?",
            "--by",
            "Peter",
        ),
        # for 21 Oct, after the agenda of 9 Sep: not yet
        "later": propose(runner, repo, "stuurgroep", "Evaluatie leersessies", "--for", "2024-10-21"),
        "other": propose(runner, repo, "voortgangsoverleg", "Ander overleg", "--attachment", "Stuk"),
    }


def test_write_stuurgroep_with_carried_items_actions_and_proposals(runner: CliRunner, example: Path) -> None:
    made = _stuurgroep_scenario(runner, example)
    expected = golden("stuurgroep-2024-09-09-carried.md")
    # Items: 1 Actielijst (the two open/waiting stuurgroep actions; the done and the dropped
    # one are not listed; due 1 Sep is overdue at the meeting of 9 Sep), 2 and 3 the items
    # of 17 June marked deferred / not discussed, with their attachments renumbered
    # (2, 2a -> 1, 1a; 3, 3a -> 2, 2a), 4 the proposal (Bijlage 3). Questions of a proposal
    # get the series' questions_heading "Vragen aan de stuurgroep".
    assert ok(idmeet(runner, example, "new-agenda", "stuurgroep", "--dry-run")).stdout == expected
    ok(idmeet(runner, example, "new-agenda", "stuurgroep"))
    target = example / "stuurgroep" / "2024-09-09.md"
    assert target.read_text(encoding="utf-8") == expected
    assert taken_lines(made["jaarplan"]) == ["taken: stuurgroep/2024-09-09"]
    assert taken_lines(made["later"]) == []
    assert taken_lines(made["other"]) == []

    assert_check_passes(runner, example)
    data = show(runner, example, "stuurgroep/2024-09-09")
    assert titles(data) == [
        ("1", "Actielijst"),
        ("2", "Verwey Jonker"),
        ("3", "Handelingskader inclusief inkopen"),
        ("4", "Jaarplan 2025"),
    ]
    assert labels(data) == [
        ("2", "1", "Gebundelde reflecties stuurgroep Verwey Jonker"),
        ("2", "1a", "Voorstel besluitvorming informatie en communicatie Verwey-Jonker onderzoek"),
        ("3", "2", "Handelingskader inclusief inkopen"),
        ("3", "2a", "Oplegger handelingskader inclusief inkopen stuurgroep"),
        ("4", "3", "Jaarplan 2025"),
    ]
    assert [a["confidential"] for i in data["items"] for a in i["attachments"]] == [True, True, False, False, False]
    # the new agenda is not itself deferred: the carried items start without a status
    assert [i["status"] for i in data["items"]] == [None, None, None, None]
    assert data["items"][1]["questions_heading"] == "Vragen aan de stuurgroep"
    assert len(data["items"][1]["questions"]) == 3
    assert data["items"][2]["questions_heading"] == "Bespreekpunt"
    assert set(listed_ids(data["items"][0]["text"])) == {"sg4w8k2m", "sg2w5p8r"}


def test_carried_items_of_voortgangsoverleg_are_renumbered(runner: CliRunner, example: Path) -> None:
    previous = example / "voortgangsoverleg" / "2024-03-06.md"
    set_status(previous, "## 3. Bureauplan (concept)", "uitgesteld")  # Bijlage 2
    set_status(previous, "## 8. Update Verwey-Jonker Onderzoek", "niet besproken")  # Bijlagen 5, 6, 7
    set_status(previous, "## 5. Safe space gesprekken", "besproken")  # discussed: stays behind
    propose(
        runner,
        example,
        "voortgangsoverleg",
        "Jaarplan 2025",
        "--attachment",
        "Jaarplan 2025",
        "--attachment",
        "Begroting 2025",
    )
    result = ok(idmeet(runner, example, "new-agenda", "voortgangsoverleg"))
    assert "2 carried over" in result.stderr
    data = show(runner, example, "voortgangsoverleg/2024-04-08")
    assert titles(data) == [
        ("1", "Mededelingen / actualiteiten"),
        ("2", "Actielijst"),
        ("3", "Bureauplan (concept)"),
        ("4", "Update Verwey-Jonker Onderzoek"),
        ("5", "Jaarplan 2025"),
        ("6", "Rondvraag"),
    ]
    assert labels(data) == [
        ("2", "1", "openstaande acties 06-03"),
        ("3", "2", "Concept Bureauplan."),
        ("4", "3", "Formulier aanvraag afwijking inkoop"),
        ("4", "3a", "Aanvulling offerte Verwey-Jonker"),
        ("4", "3b", "Aangepaste offerte Verwey-Jonker"),
        ("5", "4", "Jaarplan 2025"),
        ("5", "4a", "Begroting 2025"),
    ]
    bureauplan = data["items"][2]
    assert bureauplan["category"] == "ter bespreking"  # from the section "# Ter bespreking"
    assert bureauplan["questions_heading"] == "Punten ter kennisname/bespreking"
    assert len(bureauplan["questions"]) == 3
    assert "Aangehouden uit het overleg van 6 maart 2024." in bureauplan["text"]
    assert "Er zijn meerdere documenten" in bureauplan["text"]
    assert_check_passes(runner, example)


def test_open_actions_of_the_series_are_listed(runner: CliRunner, example: Path) -> None:
    # Close one more (dropped) and put one on waiting: dropped leaves, waiting stays.
    dropped = example / "actions" / "42m5tadr.md"
    dropped.write_text(
        dropped.read_text(encoding="utf-8").replace("status: open", "status: dropped")
        + "\n## Log\n\n- 2024-03-08: vervallen: niet meer nodig\n",
        encoding="utf-8",
    )
    waiting = example / "actions" / "d43sfra2.md"
    waiting.write_text(waiting.read_text(encoding="utf-8").replace("status: open", "status: waiting"), encoding="utf-8")
    assert_check_passes(runner, example)
    text = ok(idmeet(runner, example, "new-agenda", "voortgangsoverleg", "--dry-run")).stdout
    action_list = text.split("## 2. Actielijst\n")[1].split("\n## 3.")[0]
    listed = listed_ids(action_list)
    assert set(listed) == OPEN_VOORTGANG - {"42m5tadr"}
    assert len(listed) == len(set(listed))
    assert not set(listed) & (CLOSED_VOORTGANG | {"42m5tadr"})
    entries = {
        ids.split()[0]: entry
        for ids, entry in re.findall(r"<!-- ([0-9a-z ]+) -->\n\n(.*?)(?=\n- \*\*|\Z)", action_list, re.S)
    }
    # two actions of one topic are one entry, in the order of the minutes
    assert "<!-- jt3dy6zk d43sfra2 -->" in action_list
    assert entries["jt3dy6zk"].rstrip() == (
        "  Peter spreekt het GMT aan op de clusters waarin (te) weinig voortgang is, met name door te minimale "
        "organisatie. Uit het overleg van 5 februari.\n\n"
        "  5.1, 2, e laat de terugkoppeling meenemen in de overleggen met de trekkers actieplannen. "
        "Uit het overleg van 5 februari. Staat in de wacht."
    )
    # owner as the series shows names, origin and due date in words; overdue at the meeting of 8 April
    assert (
        entries["hrn78gdt"]
        .rstrip()
        .endswith("zodat P&O daarmee aan de slag kan. Uit het overleg van 5 februari. Deadline 31 maart (te laat).")
    )
    assert entries["hrn78gdt"].startswith("  Peter laat overleg plannen")
    # the latest log line follows its action, in words
    assert "  Laatste stand (6 maart): Komt hierop terug. Voorstel: het Bureau pakt dit zelf op met P&O." in action_list
    # no ISO dates, no meeting keys, no ids outside the comments
    visible = re.sub(r"<!--.*?-->", "", action_list)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", visible) and "voortgangsoverleg/" not in visible
    assert not any(i in visible for i in OPEN_VOORTGANG)
    assert "Bijlage 1: openstaande acties 06-03" in action_list
    # none in the other series' agenda
    stuurgroep = ok(idmeet(runner, example, "new-agenda", "stuurgroep", "--dry-run")).stdout
    assert not listed_ids(stuurgroep)
    assert "Geen openstaande acties." in stuurgroep


def test_running_twice_does_not_take_proposals_twice(runner: CliRunner, example: Path) -> None:
    made = propose_voortgang_set(runner, example)
    ok(idmeet(runner, example, "new-agenda", "voortgangsoverleg"))
    # The latest meeting is now 8 April, so the next listed date is 6 May, and the proposal
    # meant for 6 May is due now; the two taken by 8 April are not taken again.
    second = ok(idmeet(runner, example, "new-agenda", "voortgangsoverleg"))
    target = example / "voortgangsoverleg" / "2024-05-06.md"
    assert Path(second.stdout.strip()).resolve() == target.resolve()
    data = show(runner, example, "voortgangsoverleg/2024-05-06")
    assert titles(data) == [
        ("1", "Mededelingen / actualiteiten"),
        ("2", "Actielijst"),
        ("3", "Evaluatie actieplannen"),
        ("4", "Rondvraag"),
    ]
    assert labels(data) == [("2", "1", "openstaande acties 08-04"), ("3", "2", "Evaluatie")]
    assert taken_lines(made["jaarplan"]) == ["taken: voortgangsoverleg/2024-04-08"]
    assert taken_lines(made["werkbezoek"]) == ["taken: voortgangsoverleg/2024-04-08"]
    assert taken_lines(made["later"]) == ["taken: voortgangsoverleg/2024-05-06"]
    assert taken_lines(made["stuurgroep"]) == []
    assert_check_passes(runner, example)


def test_existing_meeting_refused_without_force_overwritten_with_it(runner: CliRunner, example: Path) -> None:
    ok(idmeet(runner, example, "new-agenda", "voortgangsoverleg"))
    target = example / "voortgangsoverleg" / "2024-04-08.md"
    target.write_text(target.read_text(encoding="utf-8") + "\nHANDWERK\n", encoding="utf-8")
    before = snapshot(example)

    refused = idmeet(runner, example, "new-agenda", "voortgangsoverleg", "--date", "2024-04-08")
    assert_one_line_error(refused, "voortgangsoverleg/2024-04-08.md", "--force")
    assert snapshot(example) == before

    ok(idmeet(runner, example, "new-agenda", "voortgangsoverleg", "--date", "2024-04-08", "--force"))
    assert target.read_text(encoding="utf-8") == golden("voortgangsoverleg-2024-04-08-plain.md")


def test_force_keeps_the_proposals_this_meeting_took(runner: CliRunner, example: Path) -> None:
    # Regenerating the same meeting with --force must not lose the proposals its first
    # version took: they say "taken: voortgangsoverleg/2024-04-08", so they belong on it.
    made = propose_voortgang_set(runner, example)
    ok(idmeet(runner, example, "new-agenda", "voortgangsoverleg"))
    ok(idmeet(runner, example, "new-agenda", "voortgangsoverleg", "--date", "2024-04-08", "--force"))
    target = example / "voortgangsoverleg" / "2024-04-08.md"
    assert target.read_text(encoding="utf-8") == golden("voortgangsoverleg-2024-04-08-proposals.md")
    assert taken_lines(made["jaarplan"]) == ["taken: voortgangsoverleg/2024-04-08"]
    assert taken_lines(made["werkbezoek"]) == ["taken: voortgangsoverleg/2024-04-08"]


@pytest.mark.parametrize(
    "series,date,warning",
    [
        ("voortgangsoverleg", "2024-04-09", "2024-04-09 is not a date of the cadence of 'voortgangsoverleg'"),
        ("voortgangsoverleg", "2024-03-01", "2024-03-01 is in the past"),
        ("stuurgroep", "2024-09-10", "2024-09-10 is not a date of the cadence of 'stuurgroep'"),
        ("stuurgroep", "2024-07-29", "2024-07-29 is not a date of the cadence of 'stuurgroep'"),  # skipped
    ],
)
def test_date_option_off_the_cadence_or_past_warns(
    runner: CliRunner, example: Path, series: str, date: str, warning: str
) -> None:
    result = ok(idmeet(runner, example, "new-agenda", series, "--date", date, "--dry-run"))
    assert f"date: {date}\n" in result.stdout
    assert f"idmeet: warning: {warning}" in result.stderr
    assert "warning" not in result.stdout


@pytest.mark.parametrize(
    "series,date",
    [
        ("voortgangsoverleg", "2024-05-06"),  # a listed date
        ("stuurgroep", "2024-10-21"),  # 9 Sep + 6 weeks
        ("stuurgroep", "21-10-2024"),  # the same, written the Dutch way
        # 6 May is 6 weeks before 17 June: on the cadence ("12 Feb, 25 Mar, 6 May, 17 Jun"
        # in meetings/idmeet.yaml), although before the series' first recorded meeting.
        ("stuurgroep", "2024-05-06"),
    ],
)
def test_date_option_on_the_cadence_does_not_warn(runner: CliRunner, example: Path, series: str, date: str) -> None:
    result = ok(idmeet(runner, example, "new-agenda", series, "--date", date, "--dry-run"))
    assert "date: 20" in result.stdout
    assert "warning" not in result.stderr, result.stderr


def test_series_without_cadence_needs_a_date(runner: CliRunner, example: Path) -> None:
    config = example / "idmeet.yaml"
    text, removed = re.subn(
        r"    cadence:\n(?:      .*\n)*?      weekday: monday\n", "", config.read_text(encoding="utf-8"), count=1
    )
    assert removed == 1  # the stuurgroep's "every 6 weeks on monday" is gone
    config.write_text(text, encoding="utf-8")
    assert_check_passes(runner, example)
    before = snapshot(example)
    assert_one_line_error(idmeet(runner, example, "new-agenda", "stuurgroep"), "--date")
    assert snapshot(example) == before
    result = ok(idmeet(runner, example, "new-agenda", "stuurgroep", "--date", "2024-09-16", "--dry-run"))
    assert "date: 2024-09-16\n" in result.stdout
    assert "warning" not in result.stderr


def test_written_agenda_renders_with_its_date(runner: CliRunner, example: Path) -> None:
    ok(idmeet(runner, example, "new-agenda", "stuurgroep"))
    written = (example / "stuurgroep" / "2024-09-09.md").read_text(encoding="utf-8")
    assert written == golden("stuurgroep-2024-09-09-plain.md")
    assert_check_passes(runner, example)
    text = ok(idmeet(runner, example, "render", "stuurgroep/2024-09-09")).stdout
    assert "Datum en tijd: Maandag 9 september 16.00-17.00 uur\n" in text
    assert "### 1. Actielijst\n" in text
    assert "---" not in text.splitlines()[:2]


def test_new_agenda_in_english(runner: CliRunner, example: Path) -> None:
    config = example / "idmeet.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: nl", "language: en", 1), encoding="utf-8")
    previous = example / "stuurgroep" / "2024-06-17.md"
    set_status(previous, "## 3. Verandersessie 29 mei", "uitgesteld")
    propose(runner, example, "stuurgroep", "Annual plan", "--attachment", "Plan", "--by", "Peter")
    ok(idmeet(runner, example, "new-agenda", "stuurgroep"))
    text = (example / "stuurgroep" / "2024-09-09.md").read_text(encoding="utf-8")
    assert "## 1. Action list\n\nCategory: ter bespreking\n\nNo open actions.\n" in text
    assert "## 2. Verandersessie 29 mei\n" in text
    assert "*Carried over from the meeting of 17 June 2024.*" in text
    assert "## 3. Annual plan\n\nAttachment 1: Plan\n\n*Proposed by Peter Teesink.*\n" in text
    assert "Bijlage" not in text and "Categorie" not in text
    assert_check_passes(runner, example)


# -- templates ----------------------------------------------------------------------------------


def test_repository_template_per_series_with_fallback(runner: CliRunner, example: Path) -> None:
    templates = example / "templates"
    templates.mkdir()
    (templates / "agenda-stuurgroep.md.j2").write_text(
        "EIGEN {{ series.title }} {{ date | date_full }}\n{% for item in items %}"
        "{{ item.number }} {{ item.title }}\n{% endfor %}",
        encoding="utf-8",
    )
    result = ok(idmeet(runner, example, "new-agenda", "stuurgroep", "--dry-run"))
    assert result.stdout == "EIGEN Stuurgroep Inclusie en Diversiteit maandag 9 september 2024\n1 Actielijst\n"
    # the other series falls back to idmeet's own agenda.md.j2
    other = ok(idmeet(runner, example, "new-agenda", "voortgangsoverleg", "--dry-run"))
    assert other.stdout == golden("voortgangsoverleg-2024-04-08-plain.md")
    # a repository agenda.md.j2 is the fallback for every series without its own
    (templates / "agenda.md.j2").write_text("ALGEMEEN {{ series.key }}\n", encoding="utf-8")
    other = ok(idmeet(runner, example, "new-agenda", "voortgangsoverleg", "--dry-run"))
    assert other.stdout == "ALGEMEEN voortgangsoverleg\n"


def test_repository_template_for_render(runner: CliRunner, example: Path) -> None:
    templates = example / "templates"
    templates.mkdir()
    (templates / "agenda-document.md.j2").write_text(
        "{{ t.agenda }} {{ title }}: {{ items | length }} punten\n", encoding="utf-8"
    )
    result = ok(idmeet(runner, example, "render", "stuurgroep/2024-06-17"))
    assert result.stdout == "Agenda Stuurgroep Inclusie en Diversiteit: 4 punten\n"


BROKEN_TEMPLATES = {
    "sandbox-mro": ("line 1\n{{ ''.__class__.__mro__ }}\n", 2),
    "sandbox-call": ("line 1\nline 2\n{{ date.__class__.__subclasses__() }}\n", 3),
    "sandbox-globals": ("{{ series.line_of.__globals__ }}\n", 1),
    # the classic escape through a call: str.format reaching an unsafe attribute
    "sandbox-format": ("x\n{{ '{0.__class__.__mro__}'.format(date) }}\n", 2),
    "syntax": ("line 1\n{% if %}\n{% endif %}\n", 2),
    "unclosed": ("line 1\nline 2\n{% for item in items %}\n", None),
    "undefined": ("line 1\n\n\n{{ nosuchvariable }}\n", 4),
    "undefined-attribute": ("{% for item in items %}\n{{ item.no_such_field }}\n{% endfor %}\n", 2),
}


@pytest.mark.parametrize("case", sorted(BROKEN_TEMPLATES))
def test_broken_repository_template_is_a_one_line_error(runner: CliRunner, example: Path, case: str) -> None:
    source, line = BROKEN_TEMPLATES[case]
    (example / "templates").mkdir()
    (example / "templates" / "agenda.md.j2").write_text(source, encoding="utf-8")
    propose(runner, example, "voortgangsoverleg", "Jaarplan 2025")
    before = snapshot(example)
    result = idmeet(runner, example, "new-agenda", "voortgangsoverleg")  # a real write
    assert_one_line_error(result, "agenda.md.j2")
    if line is not None:
        assert f"agenda.md.j2:{line}:" in result.stderr
    assert snapshot(example) == before  # no meeting written, no proposal marked taken


def test_broken_render_template_is_a_one_line_error(runner: CliRunner, example: Path) -> None:
    (example / "templates").mkdir()
    (example / "templates" / "agenda-document.md.j2").write_text(
        "# {{ title }}\n{{ ''.__class__.__mro__ }}\n", encoding="utf-8"
    )
    output = example.parent / "out.md"
    before = snapshot(example)
    result = idmeet(runner, example, "render", "stuurgroep/2024-06-17", "--output", str(output))
    assert_one_line_error(result, "agenda-document.md.j2:2:")
    assert not output.exists()
    assert snapshot(example) == before


# -- render: the layout of the seed agendas -----------------------------------------------------

# From the seed agenda of the steering group of 17 June 2024 (seed 000): the items and the
# attachments in order. The seed writes a confidential attachment "GEHEIM_<title>"; idmeet
# keeps the title without the marker and renders "(vertrouwelijk)" after it (docs/format.md).
SEED_STUURGROEP_ITEMS = [
    "1. Leersessie stuurgroep",
    "2. Verwey Jonker",
    "3. Verandersessie 29 mei",
    "4. Handelingskader inclusief inkopen",
]
SEED_STUURGROEP_ATTACHMENTS = [
    "Bijlage 1: 20240611 voorstel leersessie stuurgroep",
    "Bijlage 2: GEHEIM_Gebundelde reflecties stuurgroep Verwey Jonker",
    "Bijlage 2a: GEHEIM_Voorstel besluitvorming informatie en communicatie Verwey-Jonker onderzoek",
    "Bijlage 3: Handelingskader inclusief inkopen",
    "Bijlage 3a: Oplegger handelingskader inclusief inkopen stuurgroep",
]


def _as_rendered(seed_attachment: str) -> str:
    return seed_attachment  # as written, GEHEIM_ included: the title matches the attachment's file


def assert_in_order(lines: list[str], wanted: list[str]) -> None:
    position = -1
    for text in wanted:
        found = next((i for i in range(position + 1, len(lines)) if text in lines[i]), None)
        assert found is not None, f"{text!r} not found after line {position}"
        position = found


def test_render_stuurgroep_in_the_seed_layout(runner: CliRunner, example: Path) -> None:
    before = snapshot(example)
    text = ok(idmeet(runner, example, "render", "stuurgroep/2024-06-17")).stdout
    lines = text.splitlines()
    assert lines[0] == "# Stuurgroep Inclusie en Diversiteit"
    assert not text.startswith("---") and "status: held" not in text  # no frontmatter
    header = [line for line in lines[:10] if line]
    assert header[1:4] == [
        "Uitgenodigd: Peter Teesink, 5.1, 2, e 5.1, 2, e, 5.1, 2, e 5.1, 2, e, 5.1, 2, e (verslag)",
        "Datum en tijd: Maandag 17 juni 16.00-17.00 uur",
        "Locatie: 2.C.4",
    ]
    assert header[4].lstrip("# ") == "Agenda"
    assert "Aanwezig" not in text
    items = [line for line in lines if re.match(r"^#+ \d+[a-z]?\. ", line)]
    assert [line.lstrip("# ") for line in items] == SEED_STUURGROEP_ITEMS
    bijlagen = [line.strip("*") for line in lines if line.strip("*").startswith("Bijlage ")]
    assert bijlagen == [_as_rendered(a) for a in SEED_STUURGROEP_ATTACHMENTS]
    items_, att = SEED_STUURGROEP_ITEMS, [_as_rendered(a) for a in SEED_STUURGROEP_ATTACHMENTS]
    # each attachment under its own item, as in the seed
    assert_in_order(lines, [items_[0], att[0], items_[1], att[1], att[2], items_[2], items_[3], att[3], att[4]])
    assert_in_order(
        lines,
        [
            "1. Leersessie",
            "Vragen aan de stuurgroep",
            "2. Verwey Jonker",
            "Vragen aan de stuurgroep",
            "4. Handelingskader",
            "Bespreekpunt",
        ],
    )
    assert "- Hoe was het om het rapport te lezen?" in lines
    assert snapshot(example) == before


def test_render_meeting_with_attendees_says_aanwezig(runner: CliRunner, example: Path) -> None:
    # Seed 001: the progress meeting of 6 March 2024 ("Aanwezig: Peter, 5.1, 2, e ...").
    text = ok(idmeet(runner, example, "render", "voortgangsoverleg/2024-03-06")).stdout
    lines = text.splitlines()
    assert lines[0] == "# Voortgangsoverleg inclusie en diversiteit"
    # its house style (idmeet.yaml): Datum, Aanwezig with first names, Locatie
    assert lines[2:7] == [
        "Datum: 6 maart, 10.30 - 11.45 uur",
        "",
        "Aanwezig: Peter, 5.1, 2, e (5.1, 2, e verslag)",
        "",
        "Locatie: Kamer 2C4/MS teams",
    ]
    assert "Uitgenodigd" not in text and "Peter Teesink" not in text
    assert_in_order(
        lines,
        [
            "Voortgangsoverleg (ca. 45 minuten)",
            "1. Mededelingen/actualiteiten",
            "Ter bespreking",
            "2. Actielijst",
            "Bijlage 1: openstaande acties 05-02",
            "3. Bureauplan (concept)",
            "Bijlage 2: Concept Bureauplan.",
            "4. Handelingskader inclusieve inkoop (concept)",
            "Bijlage 3:",
            "5. Safe space gesprekken",
            "Bijlage 4:",
            "6. Diversiteitskalender",
            "7. Opdrachtnemer",
            "8. Update Verwey-Jonker Onderzoek",
            "Bijlage 5:",
            "Bijlage 6:",
            "Bijlage 7:",
            "9. Bila Peter 5.1, 2, e (30 min.)",
        ],
    )


def test_render_html_escapes_user_text(runner: CliRunner, example: Path) -> None:
    meeting = example / "stuurgroep" / "2024-06-17.md"
    text = meeting.read_text(encoding="utf-8")
    text = text.replace("status: held\n", 'status: held\ntitle: "Stuurgroep <script>evil()</script>"\n', 1)
    text = text.replace(
        "Bijlage 2a: GEHEIM_Voorstel besluitvorming informatie en communicatie Verwey-Jonker onderzoek\n",
        "Bijlage 2a: GEHEIM_Voorstel besluitvorming informatie en communicatie Verwey-Jonker onderzoek\n\n"
        "Let op <script>alert('x')</script> & <b>vet</b>\n",
        1,
    )
    meeting.write_text(text, encoding="utf-8")
    html = ok(idmeet(runner, example, "render", "stuurgroep/2024-06-17", "--format", "html")).stdout
    assert "<script" not in html
    # simple inline formatting tags of the source are kept; anything else shows as text
    assert "&lt;script&gt;alert('x')&lt;/script&gt; &amp; <b>vet</b>" in html
    assert "<title>Stuurgroep &lt;script&gt;evil()&lt;/script&gt; 17 juni 2024</title>" in html
    assert "<h1>Stuurgroep &lt;script&gt;evil()&lt;/script&gt;</h1>" in html
    assert '<html lang="nl">' in html
    assert "Datum en tijd: Maandag 17 juni 16.00-17.00 uur" in html


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_render_output_file(runner: CliRunner, example: Path, tmp_path: Path, fmt: str) -> None:
    printed = ok(idmeet(runner, example, "render", "stuurgroep/2024-06-17", "--format", fmt)).stdout
    output = tmp_path / f"agenda.{fmt}"
    result = ok(idmeet(runner, example, "render", "stuurgroep/2024-06-17", "--format", fmt, "--output", str(output)))
    assert result.stdout == ""
    assert str(output) in result.stderr
    assert output.read_text(encoding="utf-8") == printed


def test_render_in_english(runner: CliRunner, example: Path) -> None:
    config = example / "idmeet.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: nl", "language: en", 1), encoding="utf-8")
    text = ok(idmeet(runner, example, "render", "stuurgroep/2024-06-17")).stdout
    lines = text.splitlines()
    assert lines[0] == "# Stuurgroep Inclusie en Diversiteit"
    assert any(line.startswith("Invited: Peter Teesink, ") and line.endswith("5.1, 2, e (minutes)") for line in lines)
    assert "Date and time: Monday 17 June 16:00-17:00" in lines
    assert "Location: 2.C.4" in lines
    assert "## Agenda" in lines
    assert "Attachment 1: 20240611 voorstel leersessie stuurgroep" in lines
    assert "Attachment 2: GEHEIM_Gebundelde reflecties stuurgroep Verwey Jonker" in lines
    for dutch in ("Uitgenodigd", "Datum en tijd", "Locatie", "Bijlage", "(verslag)"):
        assert dutch not in text, dutch  # (the items' own text stays Dutch, as written)
    html = ok(idmeet(runner, example, "render", "stuurgroep/2024-06-17", "--format", "html")).stdout
    assert '<html lang="en">' in html and "17 June" in html


# -- bad input: a one-line error, exit 1, nothing written ---------------------------------------


def test_unknown_series_lists_the_known_ones(runner: CliRunner, example: Path) -> None:
    before = snapshot(example)
    result = idmeet(runner, example, "new-agenda", "stuurgrop")
    assert_one_line_error(result, "unknown series 'stuurgrop'", "stuurgroep, voortgangsoverleg")
    assert snapshot(example) == before


@pytest.mark.parametrize("date", ["2024-02-30", "2024-13-01", "volgende week", "32-06"])
def test_invalid_date(runner: CliRunner, example: Path, date: str) -> None:
    before = snapshot(example)
    result = idmeet(runner, example, "new-agenda", "stuurgroep", "--date", date)
    assert_one_line_error(result, "--date", date)
    assert snapshot(example) == before


def test_existing_meeting_file_is_refused(runner: CliRunner, example: Path) -> None:
    propose(runner, example, "stuurgroep", "Jaarplan 2025", "--attachment", "Jaarplan")
    before = snapshot(example)
    result = idmeet(runner, example, "new-agenda", "stuurgroep", "--date", "2024-06-17")
    assert_one_line_error(result, "stuurgroep/2024-06-17.md", "--force")
    assert snapshot(example) == before  # the held meeting untouched, the proposal not taken


def test_proposal_for_an_unknown_series(runner: CliRunner, example: Path) -> None:
    before = snapshot(example)
    result = idmeet(runner, example, "propose", "bestuur", "Jaarplan 2025", "--attachment", "Jaarplan")
    assert_one_line_error(result, "unknown series 'bestuur'", "stuurgroep, voortgangsoverleg")
    assert snapshot(example) == before
    assert not (example / "proposals").exists()


def test_proposal_with_an_invalid_for_date(runner: CliRunner, example: Path) -> None:
    before = snapshot(example)
    result = idmeet(runner, example, "propose", "stuurgroep", "Jaarplan 2025", "--for", "2024-09-31")
    assert_one_line_error(result, "--for", "2024-09-31")
    assert snapshot(example) == before
