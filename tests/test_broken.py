"""Golden-file corpus of broken repositories for ``idmeet check``.

``tests/broken/base/`` is a small valid repository. Each folder under
``tests/broken/cases/`` holds only the files that differ from it (a file replaces the base
file at the same path; ``<name>.delete`` deletes ``<name>``) and ``expected.txt``:

    exit: 1
    actions/k3f9x2ab.md:8: invalid YAML: mapping values are not allowed in this context

that is the exit code, then every problem line ``idmeet check`` must print on stderr, in
order, with paths relative to the repository root (the summary line is left out).
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from idmeet.cli import app

BROKEN = Path(__file__).resolve().parent / "broken"
BASE = BROKEN / "base"
CASES_DIR = BROKEN / "cases"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir())
EXPECTED = "expected.txt"
DELETE = ".delete"

SUMMARY_RE = re.compile(r"^\d+ meetings?, \d+ actions?: \d+ errors?, \d+ warnings?$")
PROBLEM_RE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<warning>warning: )?(?P<message>.+)$")


@dataclass(frozen=True)
class Expected:
    exit_code: int
    lines: list[str]

    def as_records(self) -> list[tuple[str, int, str, str]]:
        """(path, line, severity, message) for each expected line, as ``--format json`` gives."""
        records = []
        for text in self.lines:
            match = PROBLEM_RE.match(text)
            assert match, f"malformed line in {EXPECTED}: {text!r}"
            severity = "warning" if match["warning"] else "error"
            records.append((match["path"], int(match["line"]), severity, match["message"]))
        return records


def read_expected(case: str) -> Expected:
    lines = (CASES_DIR / case / EXPECTED).read_text(encoding="utf-8").splitlines()
    assert lines and lines[0].startswith("exit: "), f"{case}/{EXPECTED} must start with 'exit: N'"
    return Expected(int(lines[0].removeprefix("exit: ")), [line for line in lines[1:] if line])


def build_repo(case: str | None, tmp_path: Path) -> Path:
    """A copy of the base repository with the case's files laid over it."""
    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    if case is None:
        return repo
    case_dir = CASES_DIR / case
    for source in sorted(case_dir.rglob("*")):
        rel = source.relative_to(case_dir)
        if source.is_dir() or rel == Path(EXPECTED):
            continue
        if source.name.endswith(DELETE):
            target = repo / rel.with_name(source.name.removesuffix(DELETE))
            assert target.is_file(), f"{case}: {rel} deletes a file that base does not have"
            target.unlink()
            continue
        target = repo / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
    return repo


def make_runner() -> CliRunner:
    try:  # click < 8.2 mixes stderr into stdout unless told otherwise
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:  # click >= 8.2 always keeps result.stderr apart
        return CliRunner()


def run_check(repo: Path, monkeypatch: pytest.MonkeyPatch, *extra: str):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(repo)
    return make_runner().invoke(app, ["--repo", ".", "check", *extra])


def assert_no_crash(result) -> None:  # type: ignore[no-untyped-def]
    everything = result.stdout + result.stderr
    assert "Traceback" not in everything, everything
    assert "internal error" not in everything, everything
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


def skip_without_libyaml(expected: Expected) -> None:
    """PyYAML's pure-Python parser words some syntax errors differently from libyaml's."""
    if not hasattr(yaml, "CSafeLoader") and any("invalid YAML" in line for line in expected.lines):
        pytest.skip("the expected YAML syntax messages are libyaml's; PyYAML has no libyaml here")


def test_corpus_is_big_enough() -> None:
    assert len(CASES) >= 24
    for case in CASES:
        assert (CASES_DIR / case / EXPECTED).is_file(), f"{case} has no {EXPECTED}"
        assert any(p.name != EXPECTED for p in (CASES_DIR / case).rglob("*") if p.is_file()), f"{case} changes nothing"


def test_base_is_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_check(build_repo(None, tmp_path), monkeypatch)
    assert_no_crash(result)
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == "", result.stderr
    assert "2 meetings, 2 actions: 0 errors, 0 warnings" in result.stdout


@pytest.mark.parametrize("case", CASES)
def test_check_text(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = read_expected(case)
    skip_without_libyaml(expected)
    result = run_check(build_repo(case, tmp_path), monkeypatch)
    assert_no_crash(result)
    problems = [line for line in result.stderr.splitlines() if not SUMMARY_RE.match(line)]
    assert problems == expected.lines
    assert result.exit_code == expected.exit_code, result.output
    # The summary closes the report exactly once (on stderr when there are errors).
    summaries = [line for line in (result.stdout + result.stderr).splitlines() if SUMMARY_RE.match(line)]
    assert len(summaries) == 1, result.output
    assert (" 0 errors," in summaries[0]) == (expected.exit_code == 0)


@pytest.mark.parametrize("case", CASES)
def test_check_json(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = read_expected(case)
    skip_without_libyaml(expected)
    result = run_check(build_repo(case, tmp_path), monkeypatch, "--format", "json")
    assert_no_crash(result)
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    found = [(p["path"], p["line"], p["severity"], p["message"]) for p in data]
    assert found == expected.as_records()
    assert result.exit_code == expected.exit_code, result.output
