"""The life of an action on the command line: add, show, note, done, drop, wait, reopen,
reassign, due.

Every edit is compared byte for byte with a golden file under ``tests/golden/actions/``
(written by hand: the original file plus the one intended change), and the diff is checked
to touch only the intended lines.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.core.diagnostics import IdmeetError
from idmeet.edits.lines import FileEdit
from idmeet.store.load import load

from .conftest import assert_one_line_error, snapshot

GOLDEN = Path(__file__).resolve().parent / "golden" / "actions"
ID_RE = re.compile(r"^[0-9a-hjkmnp-tv-z]{8}$")
TODAY = "2024-03-10"


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDMEET_TODAY", TODAY)
    monkeypatch.delenv("IDMEET_REPO", raising=False)
    monkeypatch.delenv("IDMEET_DEBUG", raising=False)


@pytest.fixture
def example(example: Path) -> Path:
    """The example repository (conftest), with the action files the goldens were written
    from (``golden/actions/input/``), so a reformatted example does not move the goldens."""
    for source in sorted((GOLDEN / "input").glob("*.md")):
        (example / "actions" / source.name).write_bytes(source.read_bytes())
    return example


def run(runner: CliRunner, repo: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--repo", str(repo), *args])


def golden(name: str) -> str:
    return (GOLDEN / name).read_text(encoding="utf-8")


def action_file(repo: Path, action_id: str) -> Path:
    return repo / "actions" / f"{action_id}.md"


def changes(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines removed and the lines added between two versions of a file."""
    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


# -- edits compared with golden files -----------------------------------------------------


EDITS = [
    # (case, action id, command, golden, removed lines, added lines)
    (
        "done-with-note",
        "j1ecktg3",
        ["action", "done", "j1e", "--note", "bila gepland op 12 maart"],
        "done_j1ecktg3.md",
        ["status: open"],
        ["status: done", "- 2024-03-10: afgerond: bila gepland op 12 maart"],
    ),
    (
        "done-makes-log",
        "nm8qxrv2",
        ["action", "done", "nm8"],
        "done_nm8qxrv2.md",
        ["status: open"],
        ["status: done", "", "## Log", "", "- 2024-03-10: afgerond"],
    ),
    (
        "note",
        "10m8t1n7",
        ["action", "note", "10m", "belt P&O op maandag"],
        "note_10m8t1n7.md",
        [],
        ["- 2024-03-10: belt P&O op maandag"],
    ),
    (
        "drop",
        "42m5tadr",
        ["action", "drop", "42m5", "--note", "vervalt door reorganisatie"],
        "drop_42m5tadr.md",
        ["status: open"],
        ["status: dropped", "", "## Log", "", "- 2024-03-10: vervallen: vervalt door reorganisatie"],
    ),
    (
        "wait",
        "d43sfra2",
        ["action", "wait", "d43", "--note", "wacht op P&O"],
        "wait_d43sfra2.md",
        ["status: open"],
        ["status: waiting", "", "## Log", "", "- 2024-03-10: wacht: wacht op P&O"],
    ),
    (
        "reopen",
        "hd1cx4db",
        ["action", "reopen", "hd1"],
        "reopen_hd1cx4db.md",
        ["status: done"],
        ["status: open", "- 2024-03-10: heropend"],
    ),
    (
        "reassign-to-redacted",
        "jt3dy6zk",
        ["action", "reassign", "jt3", "--owner", "5.1, 2, e"],
        "reassign_jt3dy6zk.md",
        ["owner: Peter"],
        ['owner: "5.1, 2, e"', "", "## Log", "", "- 2024-03-10: overgedragen aan 5.1, 2, e (was Peter Teesink)"],
    ),
    (
        "reassign-keeps-quotes",
        "d43sfra2",
        ["action", "reassign", "d43s", "--owner", "péter"],
        "reassign_d43sfra2.md",
        ['owner: "5.1, 2, e"'],
        ['owner: "Peter Teesink"', "", "## Log", "", "- 2024-03-10: overgedragen aan Peter Teesink (was 5.1, 2, e)"],
    ),
    (
        "due-change-dutch-date",
        "hrn78gdt",
        ["action", "due", "hrn", "15-4-2024"],
        "due_hrn78gdt.md",
        ["due: 2024-03-31"],
        ["due: 2024-04-15", "", "## Log", "", "- 2024-03-10: deadline 2024-04-15 (was 2024-03-31)"],
    ),
    (
        "due-insert",
        "dqryrndx",
        ["action", "due", "dqr", "06-04-2024"],
        "due_dqryrndx.md",
        [],
        ["due: 2024-04-06", "", "## Log", "", "- 2024-03-10: deadline 2024-04-06 (was geen deadline)"],
    ),
]


@pytest.mark.parametrize(
    ("action_id", "args", "expected", "removed", "added"), [case[1:] for case in EDITS], ids=[case[0] for case in EDITS]
)
def test_edit_matches_golden(
    runner: CliRunner,
    example: Path,
    action_id: str,
    args: list[str],
    expected: str,
    removed: list[str],
    added: list[str],
) -> None:
    path = action_file(example, action_id)
    before = path.read_text(encoding="utf-8")
    others = {k: v for k, v in snapshot(example).items() if k != f"actions/{action_id}.md"}

    result = run(runner, example, *args)

    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(action_id), result.stdout
    after = path.read_text(encoding="utf-8")
    assert after == golden(expected)
    assert changes(before, after) == (removed, added)
    # Nothing else in the repository moved, and no temporary file is left behind.
    assert {k: v for k, v in snapshot(example).items() if k != f"actions/{action_id}.md"} == others


LIVE_IDS = sorted(p.stem for p in (Path(__file__).resolve().parents[1] / "meetings" / "actions").glob("*.md"))


@pytest.mark.parametrize("action_id", LIVE_IDS)
def test_status_edit_of_each_live_example_file_is_minimal(runner: CliRunner, tmp_path: Path, action_id: str) -> None:
    """On the example repository as it is now (not the golden inputs): ``done`` (or ``reopen``)
    changes the status line and adds the log line, and nothing else."""
    import shutil

    repo = tmp_path / "live"
    shutil.copytree(
        Path(__file__).resolve().parents[1] / "meetings", repo, ignore=shutil.ignore_patterns(".idmeet-cache")
    )
    path = action_file(repo, action_id)
    before = path.read_text(encoding="utf-8")
    status = re.search(r"^status: *(\S+)", before, re.MULTILINE).group(1)  # type: ignore[union-attr]
    verb, new, word = ("reopen", "open", "heropend") if status == "done" else ("done", "done", "afgerond")

    result = run(runner, repo, "action", verb, action_id[:4])

    assert result.exit_code == 0, result.stderr
    after = path.read_text(encoding="utf-8")
    removed, added = changes(before, after)
    assert removed == [f"status: {status}"]
    entry = f"- {TODAY}: {word}"
    assert added in ([f"status: {new}", entry], [f"status: {new}", "", "## Log", "", entry])
    assert after.startswith(before.split("\n## Log")[0].replace(f"status: {status}", f"status: {new}", 1))


def test_edited_files_still_check_clean(runner: CliRunner, example: Path) -> None:
    for case, _, args, *_ in EDITS:
        if case == "reassign-keeps-quotes":
            continue  # d43sfra2 is edited by "wait" already
        result = run(runner, example, *args)
        assert result.exit_code == 0, (case, result.stderr)
    result = run(runner, example, "check")
    assert result.exit_code == 0, result.stdout + result.stderr
    repo, _ = load(example)
    by_id = {a.id: a for a in repo.actions}
    assert by_id["j1ecktg3"].status == "done"
    assert by_id["nm8qxrv2"].status == "done"
    assert by_id["42m5tadr"].status == "dropped"
    assert by_id["d43sfra2"].status == "waiting"
    assert by_id["hd1cx4db"].status == "open"
    assert by_id["jt3dy6zk"].owners == ("5.1, 2, e",)
    assert by_id["hrn78gdt"].due == dt.date(2024, 4, 15)
    assert by_id["dqryrndx"].due == dt.date(2024, 4, 6)
    assert by_id["nm8qxrv2"].log[-1].text == "afgerond"
    assert by_id["10m8t1n7"].log[-1].text == "belt P&O op maandag"


# -- edits keep comments, key order, unknown keys, quoting and the body -------------------


def _with_preserve_file(example: Path) -> Path:
    path = action_file(example, "k3f9x2ab")
    path.write_text(golden("preserve_input.md"), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("args", "expected", "removed", "added"),
    [
        (
            ["action", "done", "k3f", "--note", "bila gehouden"],
            "preserve_done.md",
            ['status: "open"          # wordt bijgewerkt door idmeet'],
            ['status: "done"          # wordt bijgewerkt door idmeet', "- 2024-03-10: afgerond: bila gehouden"],
        ),
        (
            ["action", "due", "k3f9", "2024-03-15"],
            "preserve_due.md",
            ["due: '2024-03-01'       # afgesproken in de bila"],
            ["due: '2024-03-15'       # afgesproken in de bila", "- 2024-03-10: deadline 2024-03-15 (was 2024-03-01)"],
        ),
        (
            ["action", "reassign", "k3", "--owner", "5.1, 2, e", "--owner", "Peter"],
            "preserve_reassign.md",
            ["owner: Peter            # de directeur"],
            [
                'owner: ["5.1, 2, e", Peter Teesink]            # de directeur',
                "- 2024-03-10: overgedragen aan 5.1, 2, e, Peter Teesink (was Peter Teesink)",
            ],
        ),
    ],
    ids=["done", "due", "reassign-two-owners"],
)
def test_edit_keeps_comments_quoting_unknown_keys_and_body(
    runner: CliRunner, example: Path, args: list[str], expected: str, removed: list[str], added: list[str]
) -> None:
    path = _with_preserve_file(example)
    before = path.read_text(encoding="utf-8")

    result = run(runner, example, *args)

    assert result.exit_code == 0, result.stderr
    after = path.read_text(encoding="utf-8")
    assert after == golden(expected)
    assert changes(before, after) == (removed, added)


def test_reassign_keeps_the_comment_on_a_block_list_key(runner: CliRunner, example: Path) -> None:
    path = action_file(example, "k3f9x2ab")
    path.write_text(golden("block_input.md"), encoding="utf-8")

    result = run(runner, example, "action", "reassign", "k3f", "--owner", "5.1, 2, e", "--owner", "Peter")

    assert result.exit_code == 0, result.stderr
    after = path.read_text(encoding="utf-8")
    assert "owner:                  # twee eigenaren" in after.splitlines()
    assert after == golden("block_reassign.md")


def test_setting_an_empty_value_keeps_its_comment(runner: CliRunner, example: Path) -> None:
    """``due:   # nog niet bekend`` (no due date yet, with a comment): the date goes in,
    the comment stays."""
    path = action_file(example, "k3f9x2ab")
    path.write_text(golden("block_input.md"), encoding="utf-8")
    before = path.read_text(encoding="utf-8")

    result = run(runner, example, "action", "due", "k3f", "2024-04-01")

    assert result.exit_code == 0, result.stderr
    after = path.read_text(encoding="utf-8")
    removed, added = changes(before, after)
    assert removed == ["due:                    # nog niet bekend"]
    assert len(added) == 2, added
    assert re.fullmatch(r"due: +2024-04-01 +# nog niet bekend", added[0]), added[0]
    assert added[1] == "- 2024-03-10: deadline 2024-04-01 (was geen deadline)"
    repo, _ = load(example)
    assert next(a for a in repo.actions if a.id == "k3f9x2ab").due == dt.date(2024, 4, 1)


def test_set_status_keeps_an_indented_comment_line(runner: CliRunner, example: Path) -> None:
    path = action_file(example, "k3f9x2ab")
    path.write_text(golden("indented_comment_input.md"), encoding="utf-8")
    assert run(runner, example, "check").exit_code == 0
    before = path.read_text(encoding="utf-8")

    result = run(runner, example, "action", "done", "k3f")

    assert result.exit_code == 0, result.stderr
    after = path.read_text(encoding="utf-8")
    assert changes(before, after) == (["status: open"], ["status: done", "- 2024-03-10: afgerond"])
    assert after == golden("indented_comment_done.md")


def test_edit_keeps_crlf_line_endings(runner: CliRunner, example: Path) -> None:
    """A file saved with Windows line endings (which idmeet reads) keeps them: every line,
    including the new log line, ends in CRLF; no mixed line endings."""
    path = action_file(example, "k3f9x2ab")
    path.write_bytes(golden("preserve_input.md").encode("utf-8").replace(b"\n", b"\r\n"))
    assert run(runner, example, "check").exit_code == 0

    result = run(runner, example, "action", "done", "k3f", "--note", "bila gehouden")

    assert result.exit_code == 0, result.stderr
    assert path.read_bytes() == golden("preserve_done.md").encode("utf-8").replace(b"\n", b"\r\n")


def test_edit_accepts_a_file_with_a_byte_order_mark(runner: CliRunner, example: Path) -> None:
    """idmeet reads a UTF-8 file that starts with a BOM (Notepad writes one); it must be
    editable too, and the BOM kept."""
    path = action_file(example, "nm8qxrv2")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    check = run(runner, example, "check")
    assert check.exit_code == 0, check.stdout + check.stderr

    result = run(runner, example, "action", "done", "nm8")

    assert result.exit_code == 0, result.stderr
    assert path.read_bytes() == b"\xef\xbb\xbf" + golden("done_nm8qxrv2.md").encode("utf-8")


# -- add ----------------------------------------------------------------------------------


def test_add_full(runner: CliRunner, example: Path) -> None:
    before = snapshot(example)
    result = run(
        runner,
        example,
        "action",
        "add",
        "Bila plannen met  P&O: vervolg",
        "--owner",
        "péter",
        "--due",
        "1-4-2024",
        "--meeting",
        "voortgangsoverleg/2024-03",
        "--tag",
        "gmt",
        "--tag",
        "p&o",
        "--note",
        "Peter plant een bila met P&O.",
    )

    assert result.exit_code == 0, result.stderr
    new_id = result.stdout.strip()
    assert ID_RE.match(new_id), result.stdout
    assert new_id not in {p.stem for p in (example / "actions").glob("*.md")} - {new_id}
    path = action_file(example, new_id)
    assert path.is_file()
    assert path.read_text(encoding="utf-8") == golden("add_full.md").replace("@ID@", new_id)
    # Only the new file appeared.
    after = snapshot(example)
    assert set(after) - set(before) == {f"actions/{new_id}.md"}
    assert {k: after[k] for k in before} == before


def test_add_minimal_and_the_new_action_is_usable(runner: CliRunner, example: Path) -> None:
    result = run(runner, example, "action", "add", "  Simpele   actie ", "--owner", "5.1, 2, e")

    assert result.exit_code == 0, result.stderr
    new_id = result.stdout.strip()
    assert ID_RE.match(new_id)
    assert action_file(example, new_id).read_text(encoding="utf-8") == golden("add_minimal.md").replace("@ID@", new_id)
    assert run(runner, example, "check").exit_code == 0
    listed = json.loads(run(runner, example, "actions", "--format", "json", "--sort", "opened").stdout)
    assert listed[-1] == {
        "id": new_id,
        "title": "Simpele actie",
        "owner": ["5.1, 2, e"],
        "status": "open",
        "opened": TODAY,
        "due": None,
        "meeting": None,
        "series": None,
        "tags": [],
        "last_update": None,
        "item": None,
        "description": "",
        "log": [],
    }
    shown = run(runner, example, "action", "show", new_id[:6])
    assert shown.exit_code == 0
    assert "# Simpele actie" in shown.stdout


def test_add_ids_are_random_and_distinct(runner: CliRunner, example: Path) -> None:
    ids = set()
    for n in range(5):
        result = run(runner, example, "action", "add", f"Actie {n}", "--owner", "Peter")
        assert result.exit_code == 0, result.stderr
        ids.add(result.stdout.strip())
    assert len(ids) == 5
    assert all(ID_RE.match(i) for i in ids)
    assert all(action_file(example, i).is_file() for i in ids)


# -- show ---------------------------------------------------------------------------------


def test_show_by_prefix(runner: CliRunner, example: Path) -> None:
    result = run(runner, example, "action", "show", "nm")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("# Prestatieafspraken GMT\n")
    for line in (
        "- id: nm8qxrv2",
        "- owner: Peter Teesink",
        "- status: open",
        "- opened: 2024-02-05",
        "- due: 2024-02-07 (overdue)",
        "- meeting: voortgangsoverleg/2024-02-05",
        "- tags: gmt, p&o",
    ):
        assert line in out.splitlines() or any(ln.startswith(line) for ln in out.splitlines()), line
    assert "laat bila voor (over)morgen plannen" in out


def test_show_json_includes_description_and_log(runner: CliRunner, example: Path) -> None:
    result = run(runner, example, "action", "show", "10m8", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["id"] == "10m8t1n7"
    assert data["owner"] == ["Peter Teesink"]
    assert data["log"] == [
        {"date": "2024-03-06", "text": "Komt hierop terug. Voorstel: het Bureau pakt dit zelf op met P&O."}
    ]
    assert data["description"].startswith("bespreekt urgentie")


# -- id prefixes --------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["nm", "nm8", "NM8", "nm8qxrv2", "actions/nm8qxrv2.md"])
def test_unique_prefix_resolves(runner: CliRunner, example: Path, prefix: str) -> None:
    result = run(runner, example, "action", "show", prefix, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "nm8qxrv2"


@pytest.mark.parametrize(
    ("prefix", "candidates"),
    [
        ("j", ["j1ecktg3", "jekzn5ba", "jt3dy6zk"]),
        ("n", ["n0gh5v6g", "nm8qxrv2"]),
        ("d", ["d43sfra2", "dqryrndx"]),
        ("h", ["hd1cx4db", "hrn78gdt"]),
    ],
)
def test_ambiguous_prefix_lists_candidates(
    runner: CliRunner, example: Path, prefix: str, candidates: list[str]
) -> None:
    before = snapshot(example)
    result = run(runner, example, "action", "done", prefix)
    assert_one_line_error(result, "ambiguous", *candidates)
    assert snapshot(example) == before


def test_unknown_id_is_an_error_with_a_suggestion(runner: CliRunner, example: Path) -> None:
    before = snapshot(example)
    result = run(runner, example, "action", "done", "nm8qxrv3")
    assert_one_line_error(result, "unknown action id 'nm8qxrv3'", "nm8qxrv2")
    assert snapshot(example) == before
    result = run(runner, example, "action", "note", "zzzz", "iets")
    assert_one_line_error(result, "unknown action id 'zzzz'")
    assert snapshot(example) == before


# -- no-ops -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["action", "done", "hd1c"], "already done"),
        (["action", "reopen", "nm8"], "already open"),
        (["action", "wait", "m3d", "--note", "nog steeds"], "already waiting"),
        (["action", "reassign", "nm8", "--owner", "Peter Teesink"], "already owned by Peter Teesink"),
        (["action", "due", "hrn", "31-03-2024"], "already due 2024-03-31"),
    ],
)
def test_repeated_change_says_so_and_changes_nothing(
    runner: CliRunner, example: Path, args: list[str], says: str
) -> None:
    before = snapshot(example)
    result = run(runner, example, *args)
    assert result.exit_code == 0, result.stderr
    assert says in result.stdout
    assert "nothing changed" in result.stdout
    assert snapshot(example) == before


# -- bad input: one line on stderr, exit 1, nothing written -------------------------------


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["action", "add", "Bila", "--owner", "Pieter"], ["unknown person 'Pieter'", "Peter"]),
        (["action", "add", "Bila", "--owner", "Jan Jansen"], ["unknown person 'Jan Jansen'"]),
        (["action", "reassign", "nm8", "--owner", "Pieter"], ["unknown person 'Pieter'", "Peter"]),
        (["action", "add", "", "--owner", "Peter"], ["title is empty"]),
        (["action", "add", "   ", "--owner", "Peter"], ["title is empty"]),
        (["action", "add", "Bila", "--owner", "Peter", "--due", "31/13/2024"], ["invalid --due '31/13/2024'"]),
        (["action", "add", "Bila", "--owner", "Peter", "--due", "2024-02-30"], ["invalid --due '2024-02-30'"]),
        (
            ["action", "add", "Bila", "--owner", "Peter", "--meeting", "voortgangsoverleg/2099-01-01"],
            ["unknown meeting"],
        ),
        (["action", "add", "Bila", "--owner", "Peter", "--series", "bestaatniet"], ["unknown series"]),
        (
            ["action", "add", "Bila", "--owner", "Peter", "--meeting", "voortgangsoverleg"],
            ["voortgangsoverleg/2024-02-05", "voortgangsoverleg/2024-03-06"],
        ),
        (
            [
                "action",
                "add",
                "Bila",
                "--owner",
                "Peter",
                "--meeting",
                "voortgangsoverleg/2024-03-06",
                "--series",
                "stuurgroep",
            ],
            ["stuurgroep", "voortgangsoverleg/2024-03-06"],
        ),
        (["action", "due", "nm8", "volgende week"], ["invalid", "'volgende week'"]),
        (["action", "due", "nm8", "30-2-2024"], ["invalid", "'30-2-2024'"]),
        (["action", "drop", "nm8", "--note", "   "], ["--note"]),
        (["action", "note", "nm8", "  "], ["note is empty"]),
    ],
    ids=[
        "add-unknown-owner",
        "add-unknown-owner-no-hint",
        "reassign-unknown-owner",
        "add-empty-title",
        "add-blank-title",
        "add-bad-date",
        "add-impossible-date",
        "add-unknown-meeting",
        "add-unknown-series",
        "add-ambiguous-meeting",
        "add-series-disagrees",
        "due-bad-date",
        "due-impossible-date",
        "drop-blank-reason",
        "note-empty",
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    runner: CliRunner, example: Path, args: list[str], fragments: list[str]
) -> None:
    before = snapshot(example)
    result = run(runner, example, *args)
    assert_one_line_error(result, *fragments)
    assert snapshot(example) == before


@pytest.mark.parametrize(
    ("broken", "needle"),
    [
        ("status: finished", "status"),
        ("title: [niet gesloten", "YAML"),
        ("status: open\nstatus: done", "duplicate key 'status'"),
    ],
    ids=["bad-status", "bad-yaml", "duplicate-key"],
)
def test_edit_refuses_a_broken_action_file(runner: CliRunner, example: Path, broken: str, needle: str) -> None:
    path = action_file(example, "nm8qxrv2")
    text = path.read_text(encoding="utf-8")
    text = (
        text.replace("status: open", broken)
        if broken.startswith("status")
        else text.replace("title: Prestatieafspraken GMT", broken)
    )
    path.write_text(text, encoding="utf-8")
    before = snapshot(example)

    for args in (
        ["action", "done", "nm8"],
        ["action", "done", "nm8qxrv2"],
        ["action", "note", "nm8q", "iets"],
        ["action", "due", "nm8", "2024-04-01"],
    ):
        result = run(runner, example, *args)
        assert_one_line_error(result, "nm8qxrv2.md", needle)
    assert snapshot(example) == before


def test_edit_refuses_a_file_with_a_broken_log_line(runner: CliRunner, example: Path) -> None:
    path = action_file(example, "10m8t1n7")
    path.write_text(path.read_text(encoding="utf-8") + "- gisteren: gebeld\n", encoding="utf-8")
    before = snapshot(example)
    result = run(runner, example, "action", "note", "10m", "nog een")
    assert_one_line_error(result, "10m8t1n7.md")
    assert snapshot(example) == before


def test_a_broken_file_does_not_block_edits_of_others(runner: CliRunner, example: Path) -> None:
    broken = action_file(example, "nm8qxrv2")
    broken.write_text(broken.read_text(encoding="utf-8").replace("status: open", "status: ?"), encoding="utf-8")
    result = run(runner, example, "action", "done", "j1e", "--note", "bila gepland op 12 maart")
    assert result.exit_code == 0, result.stderr
    assert action_file(example, "j1ecktg3").read_text(encoding="utf-8") == golden("done_j1ecktg3.md")


# -- concurrent changes and atomic writes -------------------------------------------------


def test_library_refuses_when_the_file_changed_between_read_and_write(example: Path) -> None:
    path = action_file(example, "j1ecktg3")
    edit = FileEdit(path)
    edit.set_scalar("status", "done")
    edit.append_log(dt.date(2024, 3, 10), "afgerond")
    theirs = path.read_text(encoding="utf-8").replace("status: open", "status: waiting")
    path.write_text(theirs, encoding="utf-8")

    with pytest.raises(IdmeetError, match="changed on disk"):
        edit.write()
    assert path.read_text(encoding="utf-8") == theirs


def test_library_edit_without_interference_writes(example: Path) -> None:
    path = action_file(example, "j1ecktg3")
    edit = FileEdit(path)
    edit.set_scalar("status", "done")
    edit.append_log(dt.date(2024, 3, 10), "afgerond: bila gepland op 12 maart")
    edit.write()
    assert path.read_text(encoding="utf-8") == golden("done_j1ecktg3.md")


@pytest.mark.parametrize(
    "args",
    [
        ["action", "done", "j1e"],
        ["action", "note", "j1e", "iets"],
        ["action", "reassign", "j1e", "--owner", "5.1, 2, e"],
        ["action", "due", "j1e", "2024-04-01"],
    ],
    ids=["done", "note", "reassign", "due"],
)
def test_cli_refuses_when_the_file_changed_after_it_was_read(
    runner: CliRunner, example: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    path = action_file(example, "j1ecktg3")
    theirs = path.read_text(encoding="utf-8") + "- 2024-03-09: gelijktijdig bijgewerkt\n"
    real_init = FileEdit.__init__

    def init_then_someone_else_writes(self: FileEdit, target: Path, root: Path | None = None) -> None:
        real_init(self, target, root)
        target.write_text(theirs, encoding="utf-8")

    monkeypatch.setattr(FileEdit, "__init__", init_then_someone_else_writes)
    result = run(runner, example, *args)

    assert_one_line_error(result, "changed on disk", "j1ecktg3.md")
    assert path.read_text(encoding="utf-8") == theirs
    assert not [p for p in (example / "actions").iterdir() if p.name.startswith(".")]


def _failing_replace(src: str, dst: str) -> None:
    raise OSError(28, "No space left on device")


def test_failed_write_leaves_the_file_intact(runner: CliRunner, example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = action_file(example, "j1ecktg3")
    before = snapshot(example)
    monkeypatch.setattr(os, "replace", _failing_replace)
    result = run(runner, example, "action", "done", "j1e")
    monkeypatch.undo()
    assert result.exit_code != 0
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before["actions/j1ecktg3.md"]
    assert snapshot(example) == before  # no temporary file left behind


def test_failed_write_is_a_clean_error(runner: CliRunner, example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A disk that is full or read-only is the user's situation, not an idmeet bug: one line,
    exit 1, naming the file (as `--output` does with "cannot write FILE")."""
    monkeypatch.setattr(os, "replace", _failing_replace)
    result = run(runner, example, "action", "done", "j1e")
    monkeypatch.undo()
    assert_one_line_error(result, "j1ecktg3.md")
