"""Reading commands that load only part of the model, and render with less work (issue 18).

An agenda document leaves the actions out of its load, a meeting's documents load only that
meeting's actions, ``new-agenda`` only the open actions of its series; dates are written
without babel's per-call machinery. Each must print exactly what a whole load prints: these
tests run every such command from the files (no cache), from the per-file cache and from
the snapshot, and compare.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from babel.dates import format_date as babel_format_date
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.ops import render
from idmeet.store import snapshot
from idmeet.store.load import load

from .conftest import OLD, age, drop_snapshots, edit_behind

MEETING = "stuurgroep/2024-06-17"
OTHER = "voortgangsoverleg/2024-03-06"


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    "pattern", ["d MMMM y", "d MMMM", "EEEE d MMMM y", "EEEE d MMMM", "dd-MM", "y-MM-dd", "d '%' MMMM", "d MMM y"]
)
def test_dates_are_worded_as_babel_words_them(language: str, pattern: str) -> None:
    day = dt.date(1999, 12, 25)
    while day < dt.date(2031, 3, 1):
        assert render.format_date.__wrapped__(day, language, pattern) == babel_format_date(
            day, pattern, locale=language
        ), (day, pattern)
        day += dt.timedelta(days=17)


def test_a_pattern_with_other_fields_goes_through_babel() -> None:
    assert render._pattern_of("nl", "d MMM y") is None  # abbreviated month: babel's
    assert render._pattern_of("nl", "long") is None
    assert render._pattern_of("nl", "EEEE d MMMM y") is not None
    moment = dt.datetime(2024, 6, 17, 16, 30)
    assert render.format_date.__wrapped__(moment, "nl") == "17 juni 2024"


COMMANDS = [
    ["render", MEETING],
    ["render", OTHER, "--format", "html"],
    ["export", MEETING],
    ["export", OTHER, "--format", "html"],
    ["export", MEETING, "-d", "minutes"],
    ["export", OTHER, "-d", "actions", "--format", "html"],
    ["report", "actions", MEETING],
    ["report", "actions", OTHER, "--format", "html"],
    ["report", "minutes", OTHER],
    ["new-agenda", "voortgangsoverleg", "--dry-run"],
    ["new-agenda", "stuurgroep", "--dry-run"],
    ["report", "open-items"],
    ["report", "open-items", "--format", "html"],
    ["search", "inclusie"],
]


def run(repo: Path, args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--repo", str(repo), *args], env={"IDMEET_TODAY": "2024-06-20"})
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_the_same_from_the_files_the_cache_and_the_snapshot(example: Path, args: list[str]) -> None:
    age(example)
    first = run(example, args)  # from the files
    assert first[0] == 0, first
    load(example)
    load(example)  # the per-file cache is full: now the snapshot is written
    assert (example / ".idmeet-cache" / snapshot.SNAPSHOT).is_file()
    assert run(example, args) == first
    assert run(example, args) == first
    drop_snapshots(example)
    assert run(example, args) == first  # from the per-file cache


@pytest.mark.parametrize(
    "args", [["export", MEETING], ["report", "actions", OTHER], ["new-agenda", "voortgangsoverleg", "--dry-run"]]
)
def test_an_action_changed_behind_the_snapshot_is_seen(example: Path, args: list[str]) -> None:
    """A partial load from the snapshot still reports a broken action file (its problems are
    the whole load's), and a change to an action is read again."""
    age(example)
    load(example)
    load(example)
    run(example, args)
    assert (example / ".idmeet-cache" / snapshot.SNAPSHOT).is_file()
    edit_behind(example / "actions/nm8qxrv2.md", "status: open", "status: opex", OLD)
    changed = run(example, args)
    shutil.rmtree(example / ".idmeet-cache")
    assert run(example, args) == changed
    if args[0] != "new-agenda":  # a dry run warns about nothing but its date
        assert "actions/nm8qxrv2.md" in changed[2], changed
