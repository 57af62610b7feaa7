"""The action table's cells are fitted in linear time (issue 13, point 12): an action with a
title of megabytes used to make ``actions --all`` take minutes, one character cut at a time.
Timing is for benchmarks/; here the work is counted."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from idmeet.cli import app, output


def counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    """Count the calls of ``module.name`` (and the characters passed to it)."""
    calls = [0, 0]
    original = getattr(module, name)

    def counted(text: str, *args: Any) -> Any:
        calls[0] += 1
        calls[1] += len(text)
        return original(text, *args)

    monkeypatch.setattr(module, name, counted)
    return calls


@pytest.mark.parametrize("unit", ["a", "é", "会"])
def test_fit_measures_each_character_a_few_times_at_most(monkeypatch: pytest.MonkeyPatch, unit: str) -> None:
    text = unit * 20_000
    measured = counting(monkeypatch, output, "width")
    looked_up = counting(monkeypatch, unicodedata, "east_asian_width")
    cell = output.fit(text, 40)
    assert output.width(cell) == 40 and cell.endswith("…" + " " * (40 - output.width(cell.rstrip())))
    assert measured[1] <= 3 * len(text) + 100, measured
    assert looked_up[0] <= 3 * len(text), looked_up


@pytest.mark.parametrize(
    "text", ["Prestatieafspraken GMT", "会議の議事録と行動", "Aïcha El Amrani", "e\u0301" * 12, ""]
)
def test_fit_cuts_as_before(text: str) -> None:
    """The longest start of the text that fits in one column less, then "…", padded."""
    for columns in range(1, 24):
        cell = output.fit(text, columns)
        if output.width(text) <= columns:
            assert cell == text + " " * (columns - output.width(text))
            continue
        kept = cell.rstrip(" ").removesuffix("…")
        assert text.startswith(kept)
        assert output.width(kept) <= columns - 1
        longer = text[: len(kept) + 1]
        assert output.width(longer) > columns - 1
        assert output.width(cell) == max(columns, output.width(kept) + 1)


def test_a_huge_title_in_the_table(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = example / "actions" / "nm8qxrv2.md"
    title = "Prestatieafspraken " + "GMT en P&O " * 50_000
    path.write_text(path.read_text().replace("title: Prestatieafspraken GMT", f"title: {title}"))
    looked = counting(monkeypatch, output, "width")
    result = CliRunner().invoke(app, ["--repo", str(example), "actions", "--all"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr
    assert looked[1] <= 4 * len(title) + 100_000, looked
    line = next(line for line in result.stdout.splitlines() if line.startswith("nm8qxrv2"))
    assert len(line) <= 80 and "Prestatieafspra" in line and "…" in line
    shown = CliRunner().invoke(app, ["--repo", str(example), "actions", "--all", "-f", "json"])
    assert title.strip() in [a["title"] for a in json.loads(shown.stdout)]
