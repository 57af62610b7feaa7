"""Files that are seen (issue 13, points 9 and 13): an entry that is not what its name says
is a problem in ``check`` and a warning of every other command, on the warm path too; a
reader command says what is wrong with the meeting it shows."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.cli.fast import run
from idmeet.store.load import load

from .conftest import age


def fast(repo: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = run(["--repo", str(repo), *args])
    return code or 0, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("kind", ["folder", "dangling link"])
def test_an_odd_entry_in_actions_is_seen_by_the_warm_path(example: Path, kind: str) -> None:
    """Made after the cache was warm: the warm path does not answer as if nothing happened."""
    age(example)
    load(example)
    assert fast(example, "actions", "-f", "json")[2] == ""
    odd = example / "actions" / "zz.md"
    if kind == "folder":
        odd.mkdir()
    else:
        odd.symlink_to("nergens.md")
    for _ in range(2):  # and again, once the cache was written with it
        code, _, err = fast(example, "actions", "-f", "json")
        assert code == 0
        assert err.startswith("idmeet: warning: 1 problem(s) in the repository, starting with "), err
        assert "actions/zz.md: is a " in err
    typed = CliRunner().invoke(app, ["--repo", str(example), "actions", "-f", "json"])
    assert fast(example, "actions", "-f", "json") == (typed.exit_code, typed.stdout, typed.stderr)


def test_odd_entries_are_problems_of_load(example: Path) -> None:
    (example / "actions" / "a.md").mkdir()
    (example / "voortgangsoverleg" / "b.md").symlink_to("c.md")
    (example / "stuurgroep" / "README.md").mkdir()  # a readme is never a meeting, whatever it is
    _, problems = load(example)
    assert [(p.path, p.line, p.message) for p in problems] == [
        ("voortgangsoverleg/b.md", 0, "is a symbolic link to 'c.md', which does not exist: fix or remove it"),
        ("actions/a.md", 0, "is a folder, not a file: rename or remove it"),
    ]
