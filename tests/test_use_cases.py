"""Each command's work as one library call, tested without the CLI: the next agenda
(``edits.agenda.write_next``), formatting (``edits.fmt.format_repository``), importing
(``importer.files.import_files``) and the decision list (``ops.decisions.rows``); and
library messages that name an argument, never a command-line flag."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest

from idmeet.cli.common import worded
from idmeet.core.diagnostics import IdmeetError, option
from idmeet.edits.agenda import AgendaExists, write_next
from idmeet.edits.fmt import format_repository
from idmeet.edits.proposals import propose
from idmeet.importer.files import import_files
from idmeet.ops import decisions
from idmeet.store.load import load

from .conftest import ROOT, snapshot

TODAY = dt.date(2024, 3, 7)
IMPORTS = Path(__file__).resolve().parent / "fixtures" / "import"


# -- new agenda ---------------------------------------------------------------------------


def test_write_next_without_writing_changes_nothing(example: Path) -> None:
    before = snapshot(example)
    repo, _ = load(example)
    made = write_next(repo, "voortgangsoverleg", TODAY, write=False)
    assert not made.written and snapshot(example) == before
    assert made.target == example / made.draft.path
    assert made.text.startswith("---\n") and "Actielijst" in made.text
    assert made.draft.date > dt.date(2024, 3, 6)


def test_write_next_writes_marks_proposals_and_refuses_to_overwrite(example: Path) -> None:
    repo, _ = load(example)
    rel = propose(repo, "voortgangsoverleg", "Jaarplan", TODAY, None, None, (), False, (), None)
    repo, _ = load(example)
    made = write_next(repo, "voortgangsoverleg", TODAY, dt.date(2024, 3, 20))
    assert made.written and made.target.read_text(encoding="utf-8") == made.text
    assert [p.title for p in made.draft.proposals] == ["Jaarplan"]
    assert "taken: voortgangsoverleg/2024-03-20" in (example / rel).read_text(encoding="utf-8")
    repo, _ = load(example)
    with pytest.raises(AgendaExists) as refused:
        write_next(repo, "voortgangsoverleg", TODAY, dt.date(2024, 3, 20))
    assert refused.value.path == "voortgangsoverleg/2024-03-20.md"
    made.target.write_text("changed by hand\n", encoding="utf-8")
    again = write_next(repo, "voortgangsoverleg", TODAY, dt.date(2024, 3, 20), force=True)
    assert made.target.read_text(encoding="utf-8") == again.text


def test_write_next_names_the_date_argument(example: Path) -> None:
    config = example / "idmeet.yaml"
    text = config.read_text(encoding="utf-8")
    cadence = re.search(r"\n    cadence:[^\n]*\n(?:      [^\n]*\n)*", text)
    assert cadence is not None
    config.write_text(text.replace(cadence.group(0), "\n", 1), encoding="utf-8")
    repo, _ = load(example)
    with pytest.raises(IdmeetError) as missing:
        write_next(repo, repo.config.series[0].key, TODAY)
    assert option("date") in missing.value.message and "--" not in missing.value.message
    assert "give the date with --date YYYY-MM-DD" in worded(missing.value.message)


# -- fmt ----------------------------------------------------------------------------------


def test_format_repository_checks_then_writes(example: Path) -> None:
    action = next((example / "actions").glob("*.md"))
    lines = action.read_text(encoding="utf-8").split("\n")
    close = lines.index("---", 1)
    lines[1:close] = [lines[close - 1], *lines[1 : close - 1]]  # the last key first
    action.write_text("\n".join(lines), encoding="utf-8")
    (example / "actions" / "broken.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    before = snapshot(example)
    report = format_repository(example, write=False)
    rel = f"actions/{action.name}"
    assert report.changed == (rel,) and snapshot(example) == before
    assert [path for path, _ in report.refused] == ["actions/broken.md"]
    assert "idmeet check" in report.refused[0][1]
    assert report.checked == len([p for p in before if p.endswith((".md", ".yaml"))])
    written = format_repository(example)
    assert written.changed == (rel,) and snapshot(example)[rel] != before[rel]
    assert format_repository(example, [example / "actions"]).changed == ()
    with pytest.raises(IdmeetError, match="no such file"):
        format_repository(example, [example / "nope"])


# -- import -------------------------------------------------------------------------------


def test_import_files_writes_all_or_nothing(example: Path) -> None:
    document = IMPORTS / "stuurgroep-2024-09-09.txt"
    before = snapshot(example)
    repo, problems = load(example)
    shown = import_files(repo, problems, [document], "stuurgroep", dt.date(2024, 12, 15), write=False)
    assert shown.error is None and not shown.written and snapshot(example) == before
    assert shown.changes[0].rel == "stuurgroep/2024-09-09.md"
    assert [r.meeting_key for r in shown.results] == ["stuurgroep/2024-09-09"]
    done = import_files(repo, problems, [document], "stuurgroep", dt.date(2024, 12, 15))
    assert done.written and (example / "stuurgroep/2024-09-09.md").read_text(encoding="utf-8") == done.changes[0].text
    repo, problems = load(example)
    again = import_files(repo, problems, [document], "stuurgroep", dt.date(2024, 12, 15))
    assert {c.state for c in again.changes} == {"unchanged"}


def test_import_files_refuses_a_changed_meeting_naming_force(example: Path) -> None:
    document = IMPORTS / "stuurgroep-2024-09-09.txt"
    repo, problems = load(example)
    import_files(repo, problems, [document], "stuurgroep", dt.date(2024, 12, 15))
    meeting = example / "stuurgroep/2024-09-09.md"
    meeting.write_text(meeting.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    repo, problems = load(example)
    with pytest.raises(IdmeetError) as refused:
        import_files(repo, problems, [document], "stuurgroep", dt.date(2024, 12, 15))
    assert option("force") in refused.value.message and "--" not in refused.value.message
    forced = import_files(repo, problems, [document], "stuurgroep", dt.date(2024, 12, 15), force=True)
    assert forced.written and forced.changes[0].state == "overwrite"


# -- decisions ----------------------------------------------------------------------------


def test_decision_rows(example: Path) -> None:
    path = example / "stuurgroep/2024-06-17.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n### Besluiten\n\n- Het plan gaat door.\n", encoding="utf-8")
    repo, _ = load(example)
    rows = decisions.rows(repo)
    assert [(r["meeting"], r["text"]) for r in rows] == [("stuurgroep/2024-06-17", "Het plan gaat door.")]
    assert decisions.rows(repo, "voortgangsoverleg") == []
    assert decisions.rows(repo, since=dt.date(2024, 7, 1)) == []
    assert rows[0]["date"] == "2024-06-17" and rows[0]["line"] > 1
    with pytest.raises(IdmeetError, match="stuurgroep"):
        decisions.rows(repo, "stuurgroe")


# -- messages -----------------------------------------------------------------------------


def test_worded_turns_argument_marks_into_flags() -> None:
    assert worded(f"give {option('date')} or {option('due_before')}") == "give --date or --due-before"
    assert worded("nothing to word, <series>/<date>") == "nothing to word, <series>/<date>"


FLAG = re.compile(r"(?:^|[\s(\"'])--[a-z]")


def test_no_library_message_spells_a_flag() -> None:
    """Texts outside cli/ that people read (messages: strings with a space) name arguments
    with ``diagnostics.option``; command-line flags are the CLI's to word."""
    found = []
    for path in sorted((ROOT / "src" / "idmeet").rglob("*.py")):
        if "cli" in path.relative_to(ROOT / "src" / "idmeet").parts[:1]:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Constant) or id(node) in docstrings:
                continue
            if isinstance(node.value, str) and " " in node.value and FLAG.search(node.value):
                found.append(f"{path.name}:{node.lineno}: {node.value!r}")
    assert found == []
