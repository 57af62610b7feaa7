"""The README stays true: its tour runs as written, and its set-up commands are what CI runs."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idmeet.cli import app

from .conftest import EXAMPLE, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def tour_commands() -> list[str]:
    blocks = re.findall(r"```console\n(.*?)```", README, flags=re.S)
    return [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ idmeet ")]


def test_tour_is_there() -> None:
    assert len(tour_commands()) >= 10


def test_tour_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every tour command succeeds in a folder holding a copy of the example as ./meetings."""
    shutil.copytree(EXAMPLE, tmp_path / "meetings")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("IDMEET_REPO", raising=False)
    runner = CliRunner()
    for line in tour_commands():
        result = runner.invoke(app, shlex.split(line)[1:])
        assert result.exit_code == 0, f"{line}\n{result.output}"
        assert "Traceback" not in result.output and "internal error" not in result.output, line
        assert result.stdout.strip(), f"{line} printed nothing"


def test_setup_commands_match_ci() -> None:
    assert "python3 -m pip install -e '.[test]' && idmeet actions --open --owner Peter" in README
    assert "\npython3 -m pytest\n" in README
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.strip().splitlines()[-1] == "python3 -m pytest"
