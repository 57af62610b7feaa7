"""What every command pays before it does its work (issue 18): the modules it imports and
the survey of the repository's files. These tests keep the cheap parts cheap without
timing anything: a warm reader command imports no YAML library, the survey's stamps are
``warm.stamp``'s, and a file that vanishes between listing and stat is seen as gone."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from frontmatter.default_handlers import YAMLHandler

from idmeet.parser import records
from idmeet.store import snapshot
from idmeet.store.load import load
from idmeet.store.warm import stamp

from .conftest import ROOT, age, attachment_file, break_files, fast_answer

MEETING = "stuurgroep/2024-06-17"


def test_the_frontmatter_boundary_is_python_frontmatters() -> None:
    """records spells out python-frontmatter's boundary rule instead of importing it (and
    PyYAML with it) at start."""
    assert records._BOUNDARY_RE.pattern == YAMLHandler.FM_BOUNDARY.pattern
    assert records._BOUNDARY_RE.flags == YAMLHandler.FM_BOUNDARY.flags


def loaded_modules(repo: Path, *args: str, fast: bool = True) -> tuple[int, str, str, list[str]]:
    """Run ``idmeet --repo REPO ARGS`` through the console script's entry point in a fresh
    interpreter (through typer only unless ``fast``): (exit code, stdout, stderr, the modules
    it imported)."""
    child = (
        "import os, sys\n"
        "os._exit = sys.exit  # the fast path ends the process at once: report first\n"
        "from idmeet.cli import main\n"
        f"sys.argv = ['idmeet', '--repo', {str(repo)!r}, *{list(args)!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    code = exit.code\n"
        "else:\n"
        "    code = 0\n"
        "sys.stdout.flush()\n"
        "sys.stderr.write(repr((code, sorted(sys.modules))))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **({} if fast else {"IDMEET_NO_FAST_PATH": "1"})}
    result = subprocess.run([sys.executable, "-c", child], env=env, capture_output=True, text=True)
    *err, last = result.stderr.split("\n")
    code, modules = ast.literal_eval(last)
    return code, result.stdout, "".join(line + "\n" for line in err), modules


@pytest.mark.parametrize("args", [["meetings"], ["show", MEETING], ["decisions"], ["check"]])
def test_a_warm_reader_command_imports_no_yaml(example: Path, args: list[str]) -> None:
    """Answered from the snapshot and the memos, a reader command parses nothing: PyYAML and
    python-frontmatter (15-20 ms to import) stay out."""
    age(example)
    load(example)
    loaded_modules(example, *args)  # writes the snapshot and the memos
    code, out, _, modules = loaded_modules(example, *args)
    assert code == 0 and out
    assert [name for name in ("yaml", "frontmatter") if name in modules] == []


def test_a_cold_command_still_parses(example: Path) -> None:
    """The same command without a cache does import PyYAML where a file needs it (the test
    above would pass for a command that read nothing)."""
    (example / "idmeet.yaml").write_text(
        (example / "idmeet.yaml").read_text(encoding="utf-8") + "\nextra: {a: [1, 2]}\n", encoding="utf-8"
    )
    code, _, _, modules = loaded_modules(example, "meetings")
    assert code == 0 and "yaml" in modules


def test_the_survey_stamps_are_warm_stamps(example: Path) -> None:
    found = snapshot.survey(example)
    rels = [rel for kind in snapshot.KINDS for rel in found.kinds[kind]]
    assert rels and sorted(found.stamps) == sorted(rels)
    for rel in rels:
        assert found.stamps[rel] == stamp(os.stat(example / rel))
    assert found.newest == max(os.stat(example / rel).st_mtime_ns for rel in rels)


def test_a_file_gone_between_listing_and_stat_changes_the_digest(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The survey lists, then stats: a file removed in between has no stamp and another
    digest than the same file present (so no snapshot made with it is trusted)."""
    before = snapshot.survey(example)
    gone = before.kinds["action"][0]
    stamps = snapshot._stamps

    def vanishing(root: str, rels: list[str]) -> list[snapshot.Stamp | None]:
        if gone in rels:
            os.replace(example / gone, example / "elsewhere")
            try:
                return stamps(root, rels)
            finally:
                os.replace(example / "elsewhere", example / gone)
        return stamps(root, rels)

    monkeypatch.setattr(snapshot, "_stamps", vanishing)
    during = snapshot.survey(example)
    assert gone in during.kinds["action"] and gone not in during.stamps
    assert during.digest != before.digest
    monkeypatch.undo()
    assert gone in snapshot.survey(example).stamps


def registered() -> dict[str, set[str]]:
    """Each top-level command of the full application -> the modules that register it (for a
    group, its subcommands')."""
    from idmeet import cli

    app = cli._app()
    found: dict[str, set[str]] = {}
    for info in app.registered_commands:
        assert info.name, info
        found.setdefault(info.name, set()).add(info.callback.__module__.rpartition(".")[2])
    for group in app.registered_groups:
        assert group.name, group
        modules = found.setdefault(group.name, set())
        modules.update(sub.callback.__module__.rpartition(".")[2] for sub in group.typer_instance.registered_commands)
    return found


def test_the_command_table_names_every_command_and_its_modules() -> None:
    """``cli.COMMANDS`` (which modules a command line needs) is the application's own."""
    from idmeet import cli

    assert {name: set(modules) for name, modules in cli.COMMANDS.items()} == registered()
    assert set(cli.MODULES) == {module for modules in registered().values() for module in modules}


@pytest.mark.parametrize(
    ("argv", "modules"),
    [
        (["meetings"], ("meetings",)),
        (["--repo", "r", "show", "x"], ("meetings",)),
        (["show", "x", "--repo=r"], ("meetings",)),
        (["report", "open-items"], ("reports", "minutes")),
        (["action", "note", "x", "--repo", "r"], ("actions",)),
        (["--help"], None),
        (["--repo", "r"], None),
        (["--repo"], None),
        ([], None),
        (["meetngs"], None),
        (["--install-completion"], None),
    ],
)
def test_a_command_line_imports_the_modules_of_its_command(argv: list[str], modules: tuple[str, ...] | None) -> None:
    from idmeet import cli

    assert cli._modules_for(argv) == (modules or cli.MODULES)
    assert cli._modules_for(None) == cli.MODULES


@pytest.mark.parametrize(
    "args",
    [
        ["meetings"],
        ["meetings", "--format", "json"],
        ["show", MEETING],
        ["decisions"],
        ["report", "open-items"],
        ["meetngs"],
        ["show", "--help"],
    ],
)
def test_a_command_through_its_own_modules_prints_what_the_whole_app_prints(example: Path, args: list[str]) -> None:
    """The console script with only the command's modules imported prints what the whole
    application (typer's CliRunner) prints, and leaves the other command modules out."""
    from typer.testing import CliRunner

    from idmeet.cli import app

    age(example)
    load(example)
    whole = CliRunner().invoke(app, ["--repo", str(example), *args])
    code, out, err, modules = loaded_modules(example, *args, fast=False)
    assert (code, out, err) == (whole.exit_code, whole.stdout, whole.stderr)
    if args[0] in ("meetings", "show"):
        assert "idmeet.cli.meetings" in modules and "idmeet.cli.actions" not in modules


@pytest.mark.parametrize("args", [["meetings"], ["show", MEETING], ["decisions", "-f", "md"]])
def test_a_warm_reader_command_imports_no_typer(example: Path, args: list[str]) -> None:
    age(example)
    load(example)
    code, out, _, modules = loaded_modules(example, *args)
    assert code == 0 and out
    assert [name for name in ("typer", "click", "idmeet.cli.base") if name in modules] == []


def test_the_fast_path_takes_only_plain_reader_lines() -> None:
    from idmeet.cli.fast import parse_reader

    assert parse_reader(["meetings"]) == ("meetings", None, {})
    assert parse_reader(["--repo", "r", "meetings", "-s", "stuurgroep", "--format=json"]) == (
        "meetings",
        "r",
        {"series": "stuurgroep", "format": "json"},
    )
    assert parse_reader(["show", "--format", "json", MEETING, "--repo", "r"]) == (
        "show",
        "r",
        {"meeting": MEETING, "format": "json"},
    )
    assert parse_reader(["decisions", "--since", "2024-01-01", "--text", "twee woorden"]) == (
        "decisions",
        None,
        {"since": "2024-01-01", "text": "twee woorden"},
    )
    for other in (
        ["show"],
        ["show", "a", "b"],
        ["show", "--", "a"],
        ["meetings", "--help"],
        ["meetings", "-h"],
        ["meetings", "extra"],
        ["meetings", "-s"],
        ["meetings", "-sstuurgroep"],
        ["meetings", "-f=json"],
        ["meetings", "--series="],
        ["meetings", "--series", "-f"],
        ["meetings", "--since", "2024-01-01"],
        ["decisions", "-s", "a", "-s", "b"],
        ["actions"],
        ["check"],
        ["meetngs"],
        ["--verbose", "meetings"],
        [],
    ):
        assert parse_reader(other) is None, other


@pytest.mark.parametrize(
    "args",
    [
        ["meetings"],
        ["meetings", "-f", "json"],
        ["meetings", "--series", "stuurgroep"],
        ["meetings", "--series", "nergens"],
        ["meetings", "--format", "xml"],
        ["show", MEETING],
        ["show", MEETING, "--format", "json"],
        ["show", "stuurgroep"],
        ["show", "nergens/2020-01-01"],
        ["decisions"],
        ["decisions", "--format", "md"],
        ["decisions", "-f", "json", "--since", "2024-01-01"],
        ["decisions", "--text", "nergens-een-woord"],
        ["decisions", "--since", "gisteren-niet"],
    ],
)
@pytest.mark.parametrize("broken", [False, True])
def test_readers_print_the_same_through_typer_and_the_fast_path(example: Path, args: list[str], broken: bool) -> None:
    """meetings, show and decisions answered without typer print what typer's commands print
    (the same functions, ``cli/reading.py``), warnings and errors included."""
    from typer.testing import CliRunner

    from idmeet.cli import app

    if broken:
        break_files(example)
    age(example)
    for _ in range(2):  # the second from the snapshot and the memos
        whole = CliRunner().invoke(app, ["--repo", str(example), *args])
        code, out, err = fast_answer(example, *args)
        assert (code, out, err) == (whole.exit_code, whole.stdout, whole.stderr)
    if broken:  # every one of them warns, or fails with its own error
        assert err


@pytest.mark.parametrize(
    "args",
    [
        ["meetings"],
        ["meetings", "--format", "json", "--series", "voortgangsoverleg"],
        ["show", MEETING],
        ["show", "voortgangsoverleg/latest", "-f", "json"],
        ["decisions", "--format", "md"],
        ["decisions", "--since", "2024-03-01", "--text", "nergens"],
    ],
)
@pytest.mark.parametrize("broken", [False, True])
def test_a_kept_answer_is_what_a_fresh_one_prints(example: Path, args: list[str], broken: bool) -> None:
    """The answer kept for these files (``cli/reading.py``) prints what loading them prints,
    warnings included; a command answered from it loads no model (below)."""
    from .conftest import drop_snapshots

    if broken:
        break_files(example)
    age(example)
    fresh = fast_answer(example, *args)  # parses the files (no snapshot, no answer kept)
    kept = example / ".idmeet-cache" / f"memo-answers-{args[0]}.snap"
    assert not kept.exists()
    assert fast_answer(example, *args) == fresh  # from the per-file cache: snapshot and answer kept
    assert kept.is_file()
    assert fast_answer(example, *args) == fresh  # the kept answer
    drop_snapshots(example)
    assert fast_answer(example, *args) == fresh
    assert fast_answer(example, *args) == fresh
    assert bool(fresh[2]) == broken


@pytest.mark.parametrize("args", [["meetings"], ["show", MEETING], ["decisions"]])
def test_a_kept_answer_is_printed_without_loading_the_model(example: Path, args: list[str]) -> None:
    age(example)
    first = loaded_modules(example, *args)
    loaded_modules(example, *args)  # keeps the snapshot and the answer
    kept = loaded_modules(example, *args)
    assert first[:3] == kept[:3] and kept[0] == 0 and kept[1]
    assert "idmeet.core.model" in first[3] and "idmeet.core.model" not in kept[3]


def test_an_edit_behind_a_kept_answer_is_seen(example: Path) -> None:
    from .conftest import OLD, edit_behind

    age(example)
    before = fast_answer(example, "meetings")
    assert fast_answer(example, "meetings") == before
    assert fast_answer(example, "meetings") == before  # the kept answer
    assert [line.split()[1] for line in before[1].splitlines() if line.startswith(MEETING)] == ["held"]
    edit_behind(example / f"{MEETING}.md", "status: held", "status: planned", OLD)
    code, out, _ = fast_answer(example, "meetings")
    assert code == 0 and [line.split()[1] for line in out.splitlines() if line.startswith(MEETING)] == ["planned"]


def test_a_removed_attachment_is_seen_by_a_kept_show(example: Path) -> None:
    """The answer of ``show`` is kept; its warnings come from the validation's memo, which
    holds only while the attachment files it looked at are as they were."""
    target = attachment_file(example)
    age(example)
    code, out, err = fast_answer(example, "show", MEETING)
    for _ in range(2):  # the second run keeps the answer, the third prints it
        assert fast_answer(example, "show", MEETING) == (code, out, err) and "does not exist" not in err
    assert (example / ".idmeet-cache" / "memo-answers-show.snap").is_file()
    target.unlink()
    assert fast_answer(example, "show", MEETING)[:2] == (code, out)
    assert "does not exist" in fast_answer(example, "show", MEETING)[2]


def test_today_is_part_of_a_kept_answer(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``show SERIES/latest`` depends on the day: an answer kept yesterday is not today's."""
    age(example)
    monkeypatch.setenv("IDMEET_TODAY", "2024-02-20")
    first = fast_answer(example, "show", "voortgangsoverleg/latest")
    for _ in range(2):
        assert fast_answer(example, "show", "voortgangsoverleg/latest") == first
    monkeypatch.setenv("IDMEET_TODAY", "2024-03-20")
    later = fast_answer(example, "show", "voortgangsoverleg/latest")
    assert "2024-02-05" in first[1] or "5 februari" in first[1]
    assert later != first
