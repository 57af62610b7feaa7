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


def test_find_action_for_reading_returns_an_action_with_problems(example: Path) -> None:
    from idmeet.core.diagnostics import IdmeetError
    from idmeet.ops.actions import find_action

    path = example / "actions" / "nm8qxrv2.md"
    path.write_text(path.read_text().replace("due: 2024-02-07", "due: 2024-02-30"))
    repo, problems = load(example)
    assert find_action(repo, "nm8q", problems, reading=True).id == "nm8qxrv2"
    with pytest.raises(IdmeetError, match="so idmeet will not edit it"):
        find_action(repo, "nm8q", problems)


def test_show_warns_about_the_meeting_and_the_rest(example: Path) -> None:
    """The invalid start is left out of what is shown, and said on stderr; exit 0."""
    path = example / "stuurgroep" / "2024-06-17.md"
    path.write_text(path.read_text().replace("start: 16:00", 'start: "25:00"'), encoding="utf-8")
    other = example / "actions" / "nm8qxrv2.md"
    other.write_text(other.read_text().replace("owner: Peter", "owner: Piet"), encoding="utf-8")
    result = CliRunner().invoke(app, ["--repo", str(example), "show", "stuurgroep/2024-06-17"])
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert len(lines) == 2, lines
    assert lines[0].endswith(
        "stuurgroep/2024-06-17.md:4: warning: 'start' is not a valid time: '25:00' (write HH:MM, e.g. 16:00)"
    )
    assert lines[1].startswith("idmeet: warning: 1 problem(s) in the repository, starting with ")
    assert "unknown owner 'Piet'" in lines[1]
