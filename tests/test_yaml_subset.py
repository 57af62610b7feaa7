"""The hand-read simple subset of YAML gives exactly what PyYAML's path gives, or steps aside."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from idmeet.parser import yamlio
from idmeet.parser.yamlio import LDict, LList, LStr

from .conftest import ROOT


def slow(text: str, first_line: int) -> tuple[Any, list[yamlio.YamlProblem]]:
    """``yamlio.load`` with the simple subset switched off."""
    original = yamlio.load_simple
    yamlio.load_simple = lambda *_: None
    try:
        return yamlio.load(text, first_line)
    finally:
        yamlio.load_simple = original


def same(a: Any, b: Any, where: str) -> None:
    assert type(a) is type(b), (where, a, b)
    assert a == b, where
    if isinstance(a, (LStr, LList, LDict)):
        assert a.line == b.line, (where, a.line, b.line)
    if isinstance(a, LDict):
        assert a.key_lines == b.key_lines, where
        for key in a:
            same(a[key], b[key], f"{where}.{key}")
    if isinstance(a, LList):
        assert a.item_lines == b.item_lines, where
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{where}[{i}]")


def frontmatters(folder: Path) -> list[tuple[str, str]]:
    out = []
    for path in sorted(folder.rglob("*.md")):
        text = path.read_text(encoding="utf-8", errors="replace")
        lines = text.split("\n")
        if lines and lines[0].strip() == "---":
            end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
            if end:
                out.append((str(path), "\n".join(lines[1:end]) + "\n"))
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("gen") / "repo"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "generate.py"),
            str(target),
            "--actions",
            "400",
            "--meetings",
            "40",
            "-q",
        ],
        check=True,
    )
    return target


def test_subset_agrees_with_pyyaml_everywhere(generated: Path) -> None:
    cases = [*frontmatters(ROOT / "meetings"), *frontmatters(ROOT / "tests"), *frontmatters(generated)]
    assert len(cases) > 500
    taken = 0
    for where, text in cases:
        fast = yamlio.load_simple(text, 2)
        if fast is None:
            continue
        taken += 1
        value, problems = slow(text, 2)
        assert problems == [], where
        same(fast, value, where)
    assert taken > 0.9 * len(cases)  # the subset covers nearly every real file


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # duplicate key: PyYAML's path reports it
        "a: [x, [y]]\n",  # nested flow
        "a:\n  b: c\n",  # nested mapping
        "a: |\n  text\n",  # block scalar
        "a: &x y\nb: *x\n",  # anchors
        'a: "x\\ty"\n',  # escapes
        "a: b: c\n",  # a YAML error
        "a: 'open\n",  # unclosed quote
        "- a\n- b\n",  # not a mapping
        "a: x#b\n",  # a hash inside a plain scalar
        "a:\n  - x\n   - y\n",  # uneven list
        "a: text\n  continued\n",  # a scalar over two lines
    ],
)
def test_subset_steps_aside(text: str) -> None:
    assert yamlio.load_simple(text, 1) is None


def test_subset_values() -> None:
    value = yamlio.load_simple(
        "start: 16:00\nowner: no\nid: 007\nok: true\nnone:\ntags: [a, 'b c']\n"
        'who:\n  - Peter  # comment\n  - "5.1, 2, e"\n',
        2,
    )
    assert value == {
        "start": "16:00",
        "owner": "no",
        "id": "007",
        "ok": True,
        "none": None,
        "tags": ["a", "b c"],
        "who": ["Peter", "5.1, 2, e"],
    }
    assert value is not None
    assert value.key_lines == {"start": 2, "owner": 3, "id": 4, "ok": 5, "none": 6, "tags": 7, "who": 8}
    assert value["who"].line == 9 and value["who"].item_lines == [9, 10]
