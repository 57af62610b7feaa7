"""``idmeet actions``: the action list, its filters, sort orders and output formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from unittest.mock import ANY

import pytest
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.core.diagnostics import IdmeetError
from idmeet.ops.actions import ActionQuery, resolve_owner
from idmeet.store.load import load

from .conftest import assert_one_line_error

CSV_KEYS = ["id", "title", "owner", "status", "opened", "due", "meeting", "series", "tags", "last_update"]
CSV_KEYS += ["item", "description"]
JSON_KEYS = [*CSV_KEYS, "log"]

# The example repository (meetings/actions), by status.
OPEN = {
    "10m8t1n7",
    "42m5tadr",
    "d43sfra2",
    "dqryrndx",
    "erf1n8nz",
    "hrn78gdt",
    "j1ecktg3",
    "jt3dy6zk",
    "n0gh5v6g",
    "nm8qxrv2",
    "p2zzrzn2",
    "xmf1m4ny",
}
WAITING = {"m3dfkxn9"}
DONE = {"hd1cx4db", "jekzn5ba"}
ALL = OPEN | WAITING | DONE
PETER = {"10m8t1n7", "42m5tadr", "dqryrndx", "hrn78gdt", "j1ecktg3", "jt3dy6zk", "n0gh5v6g", "nm8qxrv2"}
REDACTED = ALL - PETER


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDMEET_TODAY", "2024-03-10")
    monkeypatch.delenv("IDMEET_REPO", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("IDMEET_DEBUG", raising=False)


def run(runner: CliRunner, repo: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--repo", str(repo), *args])


def listed(runner: CliRunner, repo: Path, *args: str) -> list[dict[str, object]]:
    result = run(runner, repo, "actions", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def ids(runner: CliRunner, repo: Path, *args: str) -> list[str]:
    return [str(a["id"]) for a in listed(runner, repo, *args)]


def set_field(repo: Path, action_id: str, old: str, new: str) -> None:
    path = repo / "actions" / f"{action_id}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- statuses -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ([], OPEN | WAITING),
        (["--open"], OPEN | WAITING),
        (["--done"], DONE),
        (["--dropped"], set()),
        (["--all"], ALL),
        (["--open", "--done"], ALL),
        (["--done", "--dropped"], DONE),
        (["--all", "--done"], ALL),
    ],
    ids=["default", "open", "done", "dropped", "all", "open+done", "done+dropped", "all+done"],
)
def test_status_flags(runner: CliRunner, example: Path, flags: list[str], expected: set[str]) -> None:
    assert set(ids(runner, example, *flags)) == expected
    assert len(ids(runner, example, *flags)) == len(expected)


def test_dropped_lists_dropped_actions(runner: CliRunner, example: Path) -> None:
    set_field(example, "42m5tadr", "status: open", "status: dropped")
    assert ids(runner, example, "--dropped") == ["42m5tadr"]
    assert "42m5tadr" not in ids(runner, example)
    assert set(ids(runner, example, "--done", "--dropped")) == DONE | {"42m5tadr"}


# -- owner --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["peter", "Peter", "Péter", "PETER", "Peter Teesink", "peter  teesink", "Péter Teesink"]
)
def test_owner_by_name_or_alias(runner: CliRunner, example: Path, name: str) -> None:
    assert set(ids(runner, example, "--all", "--owner", name)) == PETER


def test_owner_redacted_mark(runner: CliRunner, example: Path) -> None:
    assert set(ids(runner, example, "--all", "--owner", "5.1, 2, e")) == REDACTED


def test_owner_combines_with_status(runner: CliRunner, example: Path) -> None:
    assert set(ids(runner, example, "--owner", "peter", "--done")) == set()
    assert set(ids(runner, example, "--owner", "5.1, 2, e", "--done")) == DONE


def test_owner_matches_any_of_several_owners(runner: CliRunner, example: Path) -> None:
    set_field(example, "d43sfra2", 'owner: "5.1, 2, e"', 'owner: ["5.1, 2, e", Peter]')
    assert "d43sfra2" in ids(runner, example, "--owner", "peter")
    assert "d43sfra2" in ids(runner, example, "--owner", "5.1, 2, e")
    row = next(a for a in listed(runner, example) if a["id"] == "d43sfra2")
    assert row["owner"] == ["5.1, 2, e", "Peter Teesink"]


@pytest.mark.parametrize(
    ("name", "hint"), [("Pieter", "Peter"), ("Teesinck", "Peter Teesink"), ("Jan Jansen", "Peter Teesink")]
)
def test_unknown_owner_is_an_error_with_suggestions(runner: CliRunner, example: Path, name: str, hint: str) -> None:
    result = run(runner, example, "actions", "--owner", name)
    assert_one_line_error(result, f"unknown person '{name}'", hint)


def test_unknown_owner_in_the_library(example: Path) -> None:
    repo, _ = load(example)
    with pytest.raises(IdmeetError, match="did you mean 'Peter'"):
        resolve_owner(repo, "pieter")


# -- series, meeting, tag, text -----------------------------------------------------------


def test_series(runner: CliRunner, example: Path) -> None:
    assert set(ids(runner, example, "--series", "voortgangsoverleg")) == OPEN | WAITING
    assert ids(runner, example, "--series", "stuurgroep") == []
    set_field(example, "42m5tadr", "series: voortgangsoverleg", "series: stuurgroep")
    assert ids(runner, example, "--series", "stuurgroep") == ["42m5tadr"]


def test_unknown_series_is_an_error(runner: CliRunner, example: Path) -> None:
    assert_one_line_error(
        run(runner, example, "actions", "--series", "stuurgroeb"), "unknown series 'stuurgroeb'", "stuurgroep"
    )


def test_meeting_full_key_and_prefix(runner: CliRunner, example: Path) -> None:
    assert set(ids(runner, example, "--all", "--meeting", "voortgangsoverleg/2024-02-05")) == ALL
    assert set(ids(runner, example, "--meeting", "voortgangsoverleg/2024-02")) == OPEN | WAITING
    assert ids(runner, example, "--meeting", "voortgangsoverleg/2024-03-06") == []
    assert ids(runner, example, "--meeting", "stuurgroep/2024-06-17") == []


def test_meeting_unknown_or_ambiguous_is_an_error(runner: CliRunner, example: Path) -> None:
    assert_one_line_error(
        run(runner, example, "actions", "--meeting", "voortgangsoverleg/2023-01-01"), "unknown meeting"
    )
    assert_one_line_error(
        run(runner, example, "actions", "--meeting", "voortgangsoverleg"),
        "voortgangsoverleg/2024-02-05",
        "voortgangsoverleg/2024-03-06",
    )


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("gmt", {"42m5tadr", "jt3dy6zk", "nm8qxrv2"}),
        ("GMT", {"42m5tadr", "jt3dy6zk", "nm8qxrv2"}),
        ("p&o", {"10m8t1n7", "erf1n8nz", "hrn78gdt", "n0gh5v6g", "nm8qxrv2"}),
        ("leiderschap", {"j1ecktg3", "xmf1m4ny"}),
        ("lei", set()),
    ],
)
def test_tag(runner: CliRunner, example: Path, tag: str, expected: set[str]) -> None:
    assert set(ids(runner, example, "--tag", tag)) == expected


@pytest.mark.parametrize(
    ("text", "flags", "expected"),
    [
        ("prestatieafspraken", [], {"nm8qxrv2"}),  # title
        ("PATSTELLING doorbreken", [], {"10m8t1n7"}),  # description, all words, any case
        ("verkenning safe(r)", [], {"m3dfkxn9"}),  # log
        ("staf GS", ["--all"], {"hd1cx4db"}),  # log of a done action
        ("staf GS", [], set()),  # ... which is not open
        ("coordinator brandbrief", [], {"p2zzrzn2"}),  # accents folded: "Coördinator"
        ("trainers", [], {"j1ecktg3", "xmf1m4ny"}),
        ("trainers patstelling", [], set()),  # every word must appear
    ],
)
def test_text(runner: CliRunner, example: Path, text: str, flags: list[str], expected: set[str]) -> None:
    assert set(ids(runner, example, "--text", text, *flags)) == expected


def test_filters_combine(runner: CliRunner, example: Path) -> None:
    assert set(ids(runner, example, "--owner", "peter", "--tag", "p&o")) == {
        "10m8t1n7",
        "hrn78gdt",
        "n0gh5v6g",
        "nm8qxrv2",
    }
    assert set(ids(runner, example, "--owner", "5.1, 2, e", "--tag", "p&o")) == {"erf1n8nz"}
    assert ids(runner, example, "--owner", "peter", "--tag", "p&o", "--text", "bila") == ["nm8qxrv2"]
    assert ids(runner, example, "--owner", "peter", "--overdue", "--text", "boek") == ["j1ecktg3"]


# -- dates --------------------------------------------------------------------------------


def test_overdue(runner: CliRunner, example: Path) -> None:
    # Today 2024-03-10: nm8qxrv2 (due 02-07) and j1ecktg3 (02-29) are late; hrn78gdt (03-31) is not.
    assert ids(runner, example, "--overdue") == ["nm8qxrv2", "j1ecktg3"]


def test_overdue_ignores_closed_actions(runner: CliRunner, example: Path) -> None:
    set_field(example, "nm8qxrv2", "status: open", "status: done")
    assert ids(runner, example, "--overdue") == ["j1ecktg3"]
    assert ids(runner, example, "--overdue", "--all") == ["j1ecktg3"]


def test_overdue_counts_waiting_actions(runner: CliRunner, example: Path) -> None:
    set_field(example, "m3dfkxn9", "opened: 2024-02-05", "opened: 2024-02-05\ndue: 2024-03-01")
    assert "m3dfkxn9" in ids(runner, example, "--overdue")


@pytest.mark.parametrize("date", ["2024-03-01", "1-3-2024", "01-03-2024"])
def test_due_before_accepts_iso_and_dutch_dates(runner: CliRunner, example: Path, date: str) -> None:
    assert ids(runner, example, "--due-before", date) == ["nm8qxrv2", "j1ecktg3"]


@pytest.mark.parametrize("date", ["2024-02-10", "10-2-2024", "10-02-2024"])
def test_due_after(runner: CliRunner, example: Path, date: str) -> None:
    assert ids(runner, example, "--due-after", date) == ["j1ecktg3", "hrn78gdt"]


def test_due_window(runner: CliRunner, example: Path) -> None:
    assert ids(runner, example, "--due-after", "2024-02-10", "--due-before", "2024-03-15") == ["j1ecktg3"]
    assert ids(runner, example, "--due-before", "2024-02-01") == []


def test_actions_without_due_date_are_not_due_before_or_after(runner: CliRunner, example: Path) -> None:
    due = {"nm8qxrv2", "j1ecktg3", "hrn78gdt"}
    assert set(ids(runner, example, "--due-before", "2099-01-01")) == due
    assert set(ids(runner, example, "--due-after", "2000-01-01")) == due


def test_as_of_shows_what_was_open_then(runner: CliRunner, example: Path) -> None:
    # hd1cx4db and jekzn5ba were closed on 2024-03-06 (their last log line).
    assert set(ids(runner, example, "--as-of", "2024-03-01")) == OPEN | WAITING | DONE
    assert set(ids(runner, example, "--as-of", "1-3-2024")) == OPEN | WAITING | DONE
    assert set(ids(runner, example, "--as-of", "2024-03-08")) == OPEN | WAITING
    assert ids(runner, example, "--as-of", "2024-03-01", "--done") == []
    assert set(ids(runner, example, "--as-of", "2024-03-08", "--done")) == DONE
    # Before anything was opened, nothing was open.
    assert ids(runner, example, "--as-of", "2024-02-04", "--all") == []


def test_as_of_excludes_actions_opened_later(runner: CliRunner, example: Path) -> None:
    set_field(example, "42m5tadr", "opened: 2024-02-05", "opened: 2024-03-08")
    assert "42m5tadr" not in ids(runner, example, "--as-of", "2024-03-01")
    assert "42m5tadr" in ids(runner, example, "--as-of", "2024-03-08")


def test_as_of_overdue_is_judged_on_that_day(runner: CliRunner, example: Path) -> None:
    assert ids(runner, example, "--as-of", "2024-02-20", "--overdue") == ["nm8qxrv2"]
    assert ids(runner, example, "--as-of", "2024-04-01", "--overdue") == ["nm8qxrv2", "j1ecktg3", "hrn78gdt"]


@pytest.mark.parametrize("option", ["--due-before", "--due-after", "--as-of"])
@pytest.mark.parametrize("value", ["31/13/2024", "2024-13-01", "30-2-2024", "maart", "2024-3-1", "1-3-2x"])
def test_invalid_dates_are_a_clear_error(runner: CliRunner, example: Path, option: str, value: str) -> None:
    result = run(runner, example, "actions", option, value)
    assert_one_line_error(result, f"invalid {option} '{value}'", "YYYY-MM-DD")


# -- sort and limit -----------------------------------------------------------------------


def test_default_sort_is_by_due_date_then_undated(runner: CliRunner, example: Path) -> None:
    found = ids(runner, example)
    assert found[:3] == ["nm8qxrv2", "j1ecktg3", "hrn78gdt"]
    assert found[3:] == sorted(found[3:])  # same opened date: by id


def test_sort_by_id(runner: CliRunner, example: Path) -> None:
    found = ids(runner, example, "--all", "--sort", "id")
    assert found == sorted(ALL)


def test_sort_by_opened(runner: CliRunner, example: Path) -> None:
    set_field(example, "xmf1m4ny", "opened: 2024-02-05", "opened: 2024-01-15")
    set_field(example, "10m8t1n7", "opened: 2024-02-05", "opened: 2024-03-01")
    found = ids(runner, example, "--sort", "opened")
    assert found[0] == "xmf1m4ny"
    assert found[-1] == "10m8t1n7"


def test_sort_by_owner_groups_owners(runner: CliRunner, example: Path) -> None:
    rows = listed(runner, example, "--all", "--sort", "owner")
    owners = [r["owner"][0] for r in rows]  # type: ignore[index]
    # Each owner's actions are together (one run per owner).
    runs = [o for i, o in enumerate(owners) if i == 0 or owners[i - 1] != o]
    assert sorted(runs) == sorted(set(owners)) == ["5.1, 2, e", "Peter Teesink"]
    peter = [r["id"] for r in rows if r["owner"] == ["Peter Teesink"]]
    assert peter[:3] == ["nm8qxrv2", "j1ecktg3", "hrn78gdt"]  # within an owner: by due date


def test_limit(runner: CliRunner, example: Path) -> None:
    assert ids(runner, example, "--limit", "2") == ["nm8qxrv2", "j1ecktg3"]
    assert ids(runner, example, "-n", "1", "--sort", "id", "--all") == ["10m8t1n7"]
    assert ids(runner, example, "--limit", "0") == []
    assert len(ids(runner, example, "--limit", "100")) == len(OPEN | WAITING)


def test_unknown_sort_or_format_is_an_error(runner: CliRunner, example: Path) -> None:
    for args in (["--sort", "title"], ["--format", "xml"]):
        result = run(runner, example, "actions", *args)
        assert result.exit_code != 0
        assert "Traceback" not in result.stderr
        assert args[1] in result.stderr


# -- formats ------------------------------------------------------------------------------


def test_json_shape(runner: CliRunner, example: Path) -> None:
    rows = listed(runner, example, "--all", "--sort", "id")
    assert all(list(r) == JSON_KEYS for r in rows)
    by_id = {r["id"]: r for r in rows}
    assert by_id["j1ecktg3"] == {
        "id": "j1ecktg3",
        "title": "Boek 'De Nieuwe Minderheid' - Maurice Crul",
        "owner": ["Peter Teesink"],
        "status": "open",
        "opened": "2024-02-05",
        "due": "2024-02-29",
        "meeting": "voortgangsoverleg/2024-02-05",
        "series": "voortgangsoverleg",
        "tags": ["leiderschap"],
        "last_update": "2024-03-06",
        "item": "5",
        "description": (
            "oppert zijn idee om 5.1, 2, e laten spreken als onderdeel van het leiderschapsprogramma bij"
            " 5.1, 2, e als zij de trainers eind februari ontmoeten. Vraagt ook na hoe het programma eruit ziet."
        ),
        "log": [
            {
                "date": "2024-03-06",
                "text": "Op de actielijst. Vraag aan Peter: zullen wij het idee zelf opperen bij"
                " 5.1, 2, e en 5.1, 2, e?",
            }
        ],
    }
    assert by_id["d43sfra2"] == {
        "id": "d43sfra2",
        "title": "Totaaloverzicht voortgangsrapportage",
        "owner": ["5.1, 2, e"],
        "status": "open",
        "opened": "2024-02-05",
        "due": None,
        "meeting": "voortgangsoverleg/2024-02-05",
        "series": "voortgangsoverleg",
        "tags": ["voortgangsrapportage", "actieplannen"],
        "last_update": None,
        "item": "6",
        "description": "laat de terugkoppeling meenemen in de overleggen met de trekkers actieplannen.",
        "log": [],
    }
    assert by_id["m3dfkxn9"]["status"] == "waiting"
    assert by_id["hd1cx4db"]["status"] == "done"


def test_json_meeting_and_series_null_without_meeting(runner: CliRunner, example: Path) -> None:
    path = example / "actions" / "k3f9x2ab.md"
    path.write_text(
        "---\nid: k3f9x2ab\ntitle: Los\nowner: peter\nstatus: open\nopened: 2024-03-01\n---\n", encoding="utf-8"
    )
    row = next(r for r in listed(runner, example) if r["id"] == "k3f9x2ab")
    assert row == {
        "id": "k3f9x2ab",
        "title": "Los",
        "owner": ["Peter Teesink"],
        "status": "open",
        "opened": "2024-03-01",
        "due": None,
        "meeting": None,
        "series": None,
        "tags": [],
        "last_update": None,
        "item": None,
        "description": "",
        "log": [],
    }


def test_json_empty_is_an_empty_list(runner: CliRunner, example: Path) -> None:
    assert listed(runner, example, "--dropped") == []


def test_csv(runner: CliRunner, example: Path) -> None:
    result = run(runner, example, "actions", "--all", "--format", "csv", "--sort", "id")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == CSV_KEYS
    assert len(rows) == 1 + len(ALL)
    by_id = {r[0]: dict(zip(CSV_KEYS, r)) for r in rows[1:]}
    assert by_id["nm8qxrv2"] == {
        "id": "nm8qxrv2",
        "title": "Prestatieafspraken GMT",
        "owner": "Peter Teesink",
        "status": "open",
        "opened": "2024-02-05",
        "due": "2024-02-07",
        "meeting": "voortgangsoverleg/2024-02-05",
        "series": "voortgangsoverleg",
        "tags": "gmt; p&o",
        "last_update": "",
        "item": "1",
        "description": "laat bila voor (over)morgen plannen voor 5.1, 2, e en hem om hier verder over te praten.",
    }
    assert by_id["erf1n8nz"]["title"] == "Gesprekken Midden-Oosten, racisme en discriminatie"
    assert by_id["erf1n8nz"]["owner"] == "5.1, 2, e"
    assert by_id["hd1cx4db"]["last_update"] == "2024-03-06"


def test_json_log_as_of_holds_the_lines_written_by_then(runner: CliRunner, example: Path) -> None:
    before = listed(runner, example, "--all", "--as-of", "2024-03-01")
    after = listed(runner, example, "--all", "--as-of", "2024-03-06")
    assert next(r for r in before if r["id"] == "j1ecktg3")["log"] == []
    assert next(r for r in after if r["id"] == "j1ecktg3")["log"] == [
        {"date": "2024-03-06", "text": ANY},
    ]


def test_csv_joins_several_owners_with_semicolons(runner: CliRunner, example: Path) -> None:
    set_field(example, "d43sfra2", 'owner: "5.1, 2, e"', 'owner: [Peter, "5.1, 2, e"]')
    result = run(runner, example, "actions", "--format", "csv", "--text", "trekkers")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["owner"] for r in rows] == ["Peter Teesink; 5.1, 2, e"]
    assert rows[0]["tags"] == "voortgangsrapportage; actieplannen"


def test_csv_empty_has_the_header(runner: CliRunner, example: Path) -> None:
    result = run(runner, example, "actions", "--dropped", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [",".join(CSV_KEYS)]


def test_markdown(runner: CliRunner, example: Path) -> None:
    result = run(runner, example, "actions", "--format", "md", "--owner", "peter", "--limit", "2")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("| id |")
    assert set(lines[1]) <= set("|-: ")
    assert lines[2].startswith("| nm8qxrv2 | Peter Teesink | Prestatieafspraken GMT |")
    assert lines[3].startswith("| j1ecktg3 |")
    assert len(lines) == 4


def test_table_fits_columns_and_is_plain_when_piped(runner: CliRunner, example: Path) -> None:
    # A long id, a long title and two owners must still fit.
    (example / "actions" / "lang-handgeschreven-id-2024.md").write_text(
        "---\nid: lang-handgeschreven-id-2024\ntitle: Een heel lange titel die nooit in tachtig kolommen "
        'past als je hem helemaal uitschrijft\nowner: [Peter, "5.1, 2, e"]\nstatus: open\n'
        "opened: 2024-02-05\ndue: 2024-02-07\n---\n",
        encoding="utf-8",
    )
    for args in ([], ["--all"], ["--owner", "peter"]):
        result = runner.invoke(app, ["--repo", str(example), "actions", *args], env={"COLUMNS": "80"})
        assert result.exit_code == 0, result.stderr
        out = result.stdout
        assert "\x1b" not in out
        lines = out.splitlines()
        assert lines, out
        assert max(len(line) for line in lines) <= 80, out
        assert "nm8qxrv2" in out and "Peter Teesink" in out


def test_table_lists_every_matching_action(runner: CliRunner, example: Path) -> None:
    result = run(runner, example, "actions", "--all")
    assert result.exit_code == 0
    body = result.stdout
    assert all(i in body for i in ALL)
    header = body.splitlines()[0].split()
    assert header[:3] == ["id", "owner", "title"]


def test_no_match_is_not_an_error(runner: CliRunner, example: Path) -> None:
    for fmt in ("table", "md"):
        result = run(runner, example, "actions", "--dropped", "--format", fmt)
        assert result.exit_code == 0
        assert result.stderr == ""
        assert "No actions match" in result.stdout


# -- the library --------------------------------------------------------------------------


def test_action_query_library(example: Path) -> None:
    import datetime as dt

    repo, _ = load(example)
    query = ActionQuery(owner=resolve_owner(repo, "Péter"), overdue=True, today=dt.date(2024, 3, 10))
    assert [a.id for a in query.run(repo)] == ["nm8qxrv2", "j1ecktg3"]
    query = ActionQuery(statuses=("done",), as_of=dt.date(2024, 3, 7), sort="id", today=dt.date(2024, 3, 10))
    assert [a.id for a in query.run(repo)] == ["hd1cx4db", "jekzn5ba"]


def test_table_cells_are_measured_in_terminal_columns() -> None:
    from idmeet.cli.output import fit, width

    assert width("Aïcha") == 5 and width("会議") == 4 and width("e\u0301") == 1
    for text in ("Prestatieafspraken GMT", "会議の議事録と行動", "Aïcha El Amrani"):
        for columns in range(2, 20):
            cell = fit(text, columns)
            assert width(cell) == columns, (text, columns, cell)
            assert cell.rstrip().endswith("…") == (width(text) > columns)


def test_table_is_one_line_per_action_with_a_count(runner: CliRunner, example: Path) -> None:
    result = run(runner, example, "actions", "--owner", "Peter")
    lines = result.stdout.splitlines()
    assert lines[-1] == "8 actions" and len(lines) == 10
    assert all(line == line.rstrip() for line in lines)


# -- the table (issue 16, point 6) ----------------------------------------------------------


def table(runner: CliRunner, repo: Path, columns: str | None, *args: str) -> list[str]:
    env = {"COLUMNS": columns} if columns is not None else {}
    result = runner.invoke(app, ["--repo", str(repo), "actions", *args], env=env)
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout
    lines: list[str] = result.stdout.splitlines()
    return lines


def test_table_piped_without_columns_prints_whole_values(
    runner: CliRunner, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    title = "Een heel lange titel die nooit in tachtig kolommen past als je hem helemaal uitschrijft"
    set_field(example, "nm8qxrv2", "title: Prestatieafspraken GMT", f"title: {title}")
    lines = table(runner, example, None, "--owner", "peter")
    assert any(title in line for line in lines)
    assert any(
        "laat bila voor (over)morgen plannen voor 5.1, 2, e en hem om hier verder over te praten." in line
        for line in lines
    )


def test_table_honours_columns(runner: CliRunner, example: Path) -> None:
    for columns in ("40", "60", "80", "120", "200"):
        lines = table(runner, example, columns, "--all")
        assert max(len(line) for line in lines) <= int(columns), (columns, lines)
        assert all(i in "\n".join(lines) for i in ALL), columns
    wide = table(runner, example, "200", "--all")
    assert "description" in wide[0].split()
    assert "description" not in table(runner, example, "40", "--all")[0]


def test_table_has_a_status_column(runner: CliRunner, example: Path) -> None:
    for columns in ("40", "80", "200", None):
        lines = table(runner, example, columns, "--all")
        assert "status" in lines[0].split(), columns
        at = lines[0].index("status")
        by_id = {line.split()[0]: line[at:].split()[0] for line in lines[1:-1]}
        assert by_id["m3dfkxn9"] == "waiting", columns
        assert by_id["hd1cx4db"] == "done", columns
        assert by_id["nm8qxrv2"] == "open", columns
