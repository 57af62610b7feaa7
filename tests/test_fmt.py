"""`idmeet fmt`: canonical, idempotent, and never a change of meaning."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.core.model import meaning
from idmeet.edits.fmt import format_file
from idmeet.store.listing import classify, disk_paths
from idmeet.store.load import load

from .conftest import EXAMPLE

MESSY_ACTION = """---
title: 'Bila plannen'   # the topic
id: ab12cd34
status: open
owner: [Peter]
tags:
  - gmt
  - p&o
opened: 2024-02-05
custom: kept
---



laat bila plannen.<SPACES>

## Log
- 2024-03-06: komt hierop terug\t
""".replace("<SPACES>", "   ")

CANONICAL_ACTION = """---
id: ab12cd34
title: Bila plannen  # the topic
owner: [Peter]
status: open
opened: 2024-02-05
tags: [gmt, p&o]
custom: kept
---

laat bila plannen.

## Log

- 2024-03-06: komt hierop terug
"""


def test_every_example_file_keeps_its_meaning_and_is_stable() -> None:
    for rel in disk_paths(EXAMPLE):
        kind = classify(rel)
        assert kind is not None
        data = (EXAMPLE / rel).read_bytes()
        once, why = format_file(data, rel, kind)
        assert once is not None, f"{rel}: {why}"
        twice, _ = format_file(once.encode(), rel, kind)
        assert twice == once, f"{rel}: a second fmt changed it"


def test_fmt_on_a_copy_preserves_the_model(example: Path, runner: CliRunner) -> None:
    # Make every file untidy first, so fmt has work to do.
    for rel in disk_paths(example):
        path = example / rel
        path.write_text(path.read_text().replace("\n\n", "\n\n\n").rstrip("\n") + "   \n\n\n")
    before, _ = load(example)
    result = runner.invoke(app, ["--repo", str(example), "fmt"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("formatted") == len(disk_paths(example))
    after, problems = load(example)
    assert [p for p in problems if p.severity == "error"] == []
    assert meaning(after.meetings) == meaning(before.meetings)
    assert meaning(after.actions) == meaning(before.actions)
    assert meaning(after.config) == meaning(before.config)
    again = runner.invoke(app, ["--repo", str(example), "fmt", "--check"])
    assert again.exit_code == 0, again.output


def test_canonical_form(tmp_path: Path, example: Path, runner: CliRunner) -> None:
    path = example / "actions" / "ab12cd34.md"
    path.write_text(MESSY_ACTION)
    result = runner.invoke(app, ["--repo", str(example), "fmt", str(path)])
    assert result.exit_code == 0, result.output
    assert path.read_text() == CANONICAL_ACTION


def test_check_lists_and_changes_nothing(example: Path, runner: CliRunner) -> None:
    path = example / "actions" / "ab12cd34.md"
    path.write_text(MESSY_ACTION)
    result = runner.invoke(app, ["--repo", str(example), "fmt", "--check"])
    assert result.exit_code == 1
    assert result.stdout.strip().splitlines() == [f"would reformat {path}"] or result.stdout.strip().endswith(
        "actions/ab12cd34.md"
    )
    assert path.read_text() == MESSY_ACTION


def test_broken_file_is_left_alone(example: Path, runner: CliRunner) -> None:
    path = example / "actions" / "nm8qxrv2.md"
    broken = path.read_text().replace("opened: 2024-02-05", "opened: 2024-02-30")
    path.write_text(broken + "   \n")
    result = runner.invoke(app, ["--repo", str(example), "fmt"])
    assert result.exit_code == 1
    assert "nm8qxrv2.md: has problems (run 'idmeet check'); not formatted" in result.stderr
    assert path.read_text() == broken + "   \n"


@pytest.mark.parametrize("arg", ["nowhere.md"])
def test_unknown_path(example: Path, runner: CliRunner, arg: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(example)
    result = runner.invoke(app, ["--repo", ".", "fmt", arg])
    assert result.exit_code == 1
    assert result.stderr == "idmeet: nowhere.md: no such file or folder\n"


def test_example_repository_is_formatted() -> None:
    """The bundled example is kept in canonical form (so the pre-commit hook passes on it)."""
    result = CliRunner().invoke(app, ["--repo", str(EXAMPLE), "fmt", "--check"])
    assert result.exit_code == 0, result.output


def test_comment_inside_a_list_is_kept(example: Path) -> None:
    shutil.copy(example / "actions" / "nm8qxrv2.md", example / "actions" / "x.md")
    text = MESSY_ACTION.replace("  - gmt\n", "  - gmt  # for the GMT\n")
    new, why = format_file(text.encode(), "actions/ab12cd34.md", "action")
    assert new is not None, why
    assert "  - gmt  # for the GMT\n" in new
