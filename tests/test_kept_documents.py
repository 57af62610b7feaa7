"""The documents and answers printed without typer and kept for the files as they are
(``cli/documents.py``, ``cli/kept.py``): ``new-agenda --dry-run``, ``report open-items``,
``report actions``/``minutes``, ``render``, ``export`` as Markdown or HTML, ``search``.

They must print what typer's commands print, warnings, errors and exit codes included; a kept
answer must be what a fresh one prints, and must not outlive an edit of a file, a template,
the day or the terminal's width."""

from __future__ import annotations

import io
import os
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.cli.fast import parse_reader, run
from idmeet.ops import render

from .conftest import HELD, OLD, age, break_files, drop_snapshots, edit_behind, fast_answer
from .test_startup import loaded_modules

MEETING = "voortgangsoverleg/2024-02-05"

COMMANDS = [
    ["new-agenda", "voortgangsoverleg", "--dry-run"],
    ["new-agenda", "stuurgroep", "--dry-run", "--date", "2024-09-16"],
    ["new-agenda", "stuurgroep", "--dry-run", "--date", "2024-09-17"],  # not the cadence's day: a warning
    ["new-agenda", "nergens", "--dry-run"],
    ["report", "open-items"],
    ["report", "open-items", "--format", "html", "--owner", "Peter"],
    ["report", "open-items", "-f", "json", "--series", "stuurgroep", "--as-of", "2024-03-01"],
    ["report", "open-items", "--owner", "Niemand"],
    ["report", "open-items", "--format", "xml"],
    ["report", "actions", MEETING],
    ["report", "actions", HELD, "--format", "html"],
    ["report", "minutes", HELD],
    ["report", "actions", "nergens/2020-01-01"],
    ["render", HELD],
    ["render", HELD, "-f", "html"],
    ["export", HELD],
    ["export", HELD, "--format", "html", "--document", "minutes"],
    ["export", HELD, "-d", "actions", "--watermark", "CONCEPT"],
    ["export", "open-items", "--owner", "Peter", "--as-of", "2024-03-01"],
    ["export", HELD, "--owner", "Peter"],
    ["export", HELD, "-d", "notulen"],
    ["search", "inkoop"],
    ["search", "inclusie", "plan", "--format", "md"],
    ["search", "inclusie", "-f", "json", "--series", "stuurgroep", "--since", "2024-01-01"],
    ["search", "nergensvoorkomend"],
    ["search", "inkoop", "--series", "nergens"],
    ["search", "inkoop", "--since", "morgen-niet"],
]


def typed(repo: Path, args: list[str]) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) through typer's command."""
    result = CliRunner().invoke(app, ["--repo", str(repo), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
@pytest.mark.parametrize("broken", [False, True])
def test_the_fast_path_prints_what_typer_prints(
    example: Path, args: list[str], broken: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IDMEET_TODAY", "2024-03-10")
    if broken:
        break_files(example)
    age(example)
    for _ in range(3):  # parsed; from the snapshot (the answer kept); the kept answer
        want = typed(example, args)
        assert fast_answer(example, *args) == want
    if broken and want[0] == 0:
        assert want[2], "a broken repository is warned about"


@pytest.mark.parametrize("args", COMMANDS[:1] + COMMANDS[4:7] + COMMANDS[9:12] + COMMANDS[15:18] + COMMANDS[21:24])
def test_a_kept_document_is_what_a_fresh_one_prints(
    example: Path, args: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import shutil

    monkeypatch.setenv("IDMEET_TODAY", "2024-03-10")
    age(example)

    def fresh() -> tuple[int, str, str]:
        """The answer from the files alone: a copy without any cache."""
        shutil.rmtree(tmp_path / "fresh", ignore_errors=True)
        shutil.copytree(example, tmp_path / "fresh", ignore=shutil.ignore_patterns(".idmeet-cache"))
        code, out, err = fast_answer(tmp_path / "fresh", *args)
        return (
            code,
            out.replace(str(tmp_path / "fresh"), str(example)),
            err.replace(str(tmp_path / "fresh"), str(example)),
        )

    want = fresh()
    assert want[0] == 0 and want[1]
    assert fast_answer(example, *args) == want  # parsed: nothing kept on a first run
    assert list((example / ".idmeet-cache").glob("memo-answers-*.snap")) == []
    assert fast_answer(example, "meetings")[0] == 0  # the snapshot (report open-items reads no meetings)
    assert fast_answer(example, *args) == want  # computed, and kept
    assert len(list((example / ".idmeet-cache").glob("memo-answers-*.snap"))) == 2  # meetings' and this one's
    assert fast_answer(example, *args) == want  # the kept answer
    drop_snapshots(example)
    assert fast_answer(example, *args) == want
    assert fast_answer(example, *args) == want


@pytest.mark.parametrize(
    "args", [["new-agenda", "voortgangsoverleg", "--dry-run"], ["report", "open-items"], ["search", "inkoop"]]
)
def test_a_kept_document_is_printed_without_the_model_nor_jinja(example: Path, args: list[str]) -> None:
    age(example)
    for _ in range(2):  # the per-file cache, then the snapshot (report open-items reads no meetings)
        fast_answer(example, "meetings")
    first = loaded_modules(example, *args)
    loaded_modules(example, *args)  # keeps the snapshot and the answer
    kept = loaded_modules(example, *args)
    assert first[:3] == kept[:3] and kept[0] == 0 and kept[1]
    for module in ("idmeet.core.model", "jinja2", "typer"):
        assert module not in kept[3], module
    assert "idmeet.core.model" in first[3]


def kept_three_times(repo: Path, *args: str) -> tuple[int, str, str]:
    first = fast_answer(repo, *args)
    for _ in range(2):
        assert fast_answer(repo, *args) == first
    return first


def test_a_template_added_or_edited_behind_a_kept_document_is_seen(example: Path) -> None:
    age(example)
    before = kept_three_times(example, "report", "actions", HELD)
    templates = example / "templates"
    templates.mkdir()
    (templates / "actions.md.j2").write_text("Eigen sjabloon: {{ language }}\n", encoding="utf-8")
    os.utime(templates / "actions.md.j2", ns=(OLD, OLD))
    mine = fast_answer(example, "report", "actions", HELD)
    assert mine != before and mine[1].startswith("Eigen sjabloon")
    assert kept_three_times(example, "report", "actions", HELD) == mine
    # same size and modification time: only its change time tells
    edit_behind(templates / "actions.md.j2", "Eigen", "Ander", OLD)
    render._environment.cache_clear()  # as in a new process: Jinja's own cache goes by modification time
    other = fast_answer(example, "report", "actions", HELD)
    assert other[1].startswith("Ander sjabloon")
    (templates / "actions.md.j2").unlink()
    assert fast_answer(example, "report", "actions", HELD) == before


def test_a_template_a_template_includes_is_part_of_the_key(example: Path) -> None:
    """A repository's template may include another from a sub-folder: editing that one is
    seen too."""
    age(example)
    (example / "templates" / "delen").mkdir(parents=True)
    (example / "templates" / "actions.md.j2").write_text('{% include "delen/kop.j2" %}\n', encoding="utf-8")
    (example / "templates" / "delen" / "kop.j2").write_text("Kop een", encoding="utf-8")
    first = kept_three_times(example, "report", "actions", HELD)
    assert first[1] == "Kop een"
    edit_behind(example / "templates" / "delen" / "kop.j2", "een", "twee", OLD)
    render._environment.cache_clear()  # as in a new process
    assert fast_answer(example, "report", "actions", HELD)[1] == "Kop twee"


def test_an_edit_behind_a_kept_agenda_is_seen(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDMEET_TODAY", "2024-03-10")
    age(example)
    before = kept_three_times(example, "new-agenda", "voortgangsoverleg", "--dry-run")
    action = next(p for p in (example / "actions").glob("*.md") if "series: voortgangsoverleg" in p.read_text())
    title = next(line for line in action.read_text().splitlines() if line.startswith("title: "))
    edit_behind(action, title, title + " en meer", OLD)
    after = fast_answer(example, "new-agenda", "voortgangsoverleg", "--dry-run")
    assert after != before and title[len("title: ") :].strip('"') + " en meer" in after[1]


def test_the_day_and_the_terminal_are_part_of_a_kept_answer(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    age(example)
    monkeypatch.setenv("IDMEET_TODAY", "2024-03-10")
    march = kept_three_times(example, "new-agenda", "voortgangsoverleg", "--dry-run")
    monkeypatch.setenv("IDMEET_TODAY", "2024-05-10")
    may = fast_answer(example, "new-agenda", "voortgangsoverleg", "--dry-run")
    assert may != march and may == typed(example, ["new-agenda", "voortgangsoverleg", "--dry-run"])
    monkeypatch.delenv("COLUMNS", raising=False)
    wide = kept_three_times(example, "search", "inkoop")
    monkeypatch.setenv("COLUMNS", "50")
    narrow = fast_answer(example, "search", "inkoop")
    assert narrow != wide and max(len(line) for line in narrow[1].splitlines()) <= 50
    assert narrow == typed(example, ["search", "inkoop"])


def test_only_lines_that_print_on_stdout_take_the_fast_path() -> None:
    assert parse_reader(["new-agenda", "stuurgroep", "--dry-run", "-d", "2024-09-16"]) == (
        "new-agenda",
        None,
        {"series": "stuurgroep", "dry_run": True, "date": "2024-09-16"},
    )
    assert parse_reader(["--repo", "r", "report", "open-items", "--owner=Peter"]) == (
        "report open-items",
        "r",
        {"owner": "Peter"},
    )
    assert parse_reader(["search", "twee", "woorden", "-s", "stuurgroep"]) == (
        "search",
        None,
        {"words": ["twee", "woorden"], "series": "stuurgroep"},
    )
    assert parse_reader(["export", HELD, "--format", "html"]) == ("export", None, {"meeting": HELD, "format": "html"})
    for other in (
        ["new-agenda", "stuurgroep"],  # writes the file
        ["new-agenda", "stuurgroep", "--dry-run", "--force"],
        ["new-agenda", "stuurgroep", "--dry-run", "--dry-run"],
        ["export", HELD, "--format", "pdf"],
        ["export", HELD, "-f", "docx"],
        ["export", HELD, "--output", "a.md"],
        ["report", "open-items", "-O", "open.md"],
        ["report", "actions"],
        ["report", "nergens", HELD],
        ["report"],
        ["search"],
        ["search", "--", "-x"],
        ["search", "inkoop", "--format"],
        ["render", HELD, "--output", "x.html"],
    ):
        assert parse_reader(other) is None, other


def test_an_unparsed_line_goes_to_typer(example: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        assert run(["--repo", str(example), "export", HELD, "--format", "pdf", "--output", "x.pdf"]) is None
    assert out.getvalue() == err.getvalue() == ""


def test_a_terminal_of_another_width_is_another_key(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At a terminal a table fits its width (without ``COLUMNS`` set, as most shells leave it):
    an answer kept at one width is not printed at another."""
    import sys

    from idmeet.cli import kept

    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    keys = []
    for columns in (120, 80, 120):
        monkeypatch.setattr(os, "get_terminal_size", lambda fd=0, columns=columns: os.terminal_size((columns, 40)))
        keys.append(kept._key(example, ["search", ("inkoop",)], False))
    assert keys[0] == keys[2] != keys[1] and None not in keys
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    assert kept._key(example, ["search", ("inkoop",)], False) not in keys


def test_large_answers_are_kept_fewer(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The answers of a command are one file, read whole on each run: the oldest go when they
    hold more than ``KEPT_CHARACTERS`` together (the newest always stays)."""
    from idmeet.cli import kept
    from idmeet.store import snapshot

    age(example)
    for _ in range(2):  # the per-file cache, then the snapshot
        fast_answer(example, "meetings")
    monkeypatch.setattr(kept, "KEPT_CHARACTERS", 1)
    for args in (["search", "inclusie"], ["search", "plan"]):
        fast_answer(example, *args)
    found = snapshot.survey(example)
    answers = snapshot.recall(example, found, "answers-search")
    assert isinstance(answers, dict) and len(answers) == 1 and "plan" in next(iter(answers))[1]
    monkeypatch.setattr(kept, "KEPT_CHARACTERS", 10**9)
    fast_answer(example, "search", "inclusie")
    assert len(snapshot.recall(example, found, "answers-search")) == 2
