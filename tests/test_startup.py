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

from .conftest import ROOT, age

MEETING = "stuurgroep/2024-06-17"


def test_the_frontmatter_boundary_is_python_frontmatters() -> None:
    """records spells out python-frontmatter's boundary rule instead of importing it (and
    PyYAML with it) at start."""
    assert records._BOUNDARY_RE.pattern == YAMLHandler.FM_BOUNDARY.pattern
    assert records._BOUNDARY_RE.flags == YAMLHandler.FM_BOUNDARY.flags


def loaded_modules(repo: Path, *args: str) -> tuple[int, str, list[str]]:
    """Run ``idmeet --repo REPO ARGS`` through the console script's entry point in a fresh
    interpreter: (exit code, stdout, the modules it imported)."""
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
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run([sys.executable, "-c", child], env=env, capture_output=True, text=True)
    code, modules = ast.literal_eval(result.stderr.splitlines()[-1])
    return code, result.stdout, modules


@pytest.mark.parametrize("args", [["meetings"], ["show", MEETING], ["decisions"], ["check"]])
def test_a_warm_reader_command_imports_no_yaml(example: Path, args: list[str]) -> None:
    """Answered from the snapshot and the memos, a reader command parses nothing: PyYAML and
    python-frontmatter (15-20 ms to import) stay out."""
    age(example)
    load(example)
    loaded_modules(example, *args)  # writes the snapshot and the memos
    code, out, modules = loaded_modules(example, *args)
    assert code == 0 and out
    assert [name for name in ("yaml", "frontmatter") if name in modules] == []


def test_a_cold_command_still_parses(example: Path) -> None:
    """The same command without a cache does import PyYAML where a file needs it (the test
    above would pass for a command that read nothing)."""
    (example / "idmeet.yaml").write_text(
        (example / "idmeet.yaml").read_text(encoding="utf-8") + "\nextra: {a: [1, 2]}\n", encoding="utf-8"
    )
    code, _, modules = loaded_modules(example, "meetings")
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
