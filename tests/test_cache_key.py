"""The cache cannot outlive the code that filled it: its key covers every module whose code
decides a cached result, in an installed copy of idmeet as well as in the source tree."""

from __future__ import annotations

import ast
import json
import marshal
import os
import shutil
import subprocess
import sys
from pathlib import Path

from idmeet.store import warm

from .conftest import ROOT, age

PACKAGE = ROOT / "src" / "idmeet"
# The modules that fill the cache: what they import (at any depth) decides what it holds.
WRITERS = ("idmeet.store.load", "idmeet.store.cache", "idmeet.store.warm")


def module_file(name: str) -> Path | None:
    parts = name.split(".")[1:]
    for candidate in (PACKAGE.joinpath(*parts).with_suffix(".py"), PACKAGE.joinpath(*parts, "__init__.py")):
        if parts and candidate.exists():
            return candidate
    return None


def idmeet_imports(path: Path) -> set[str]:
    """Every idmeet module a file imports, in functions too."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name.startswith("idmeet.") and module_file(name) is not None}


def test_the_key_covers_all_the_code_that_fills_the_cache() -> None:
    seen: set[str] = set()
    todo = list(WRITERS)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            path = module_file(name)
            assert path is not None, name
            todo += idmeet_imports(path)
    outside = sorted(name for name in seen if name.split(".")[1] not in warm.STAGES)
    assert outside == []
    assert {"idmeet.core.dates", "idmeet.core.model", "idmeet.parser.records"} <= seen


def run(site: Path, repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "IDMEET_TODAY": "2024-03-10"}
    return subprocess.run(
        [sys.executable, "-m", "idmeet", "--repo", str(repo), *args], env=env, capture_output=True, text=True
    )


def cached_schema(repo: Path) -> str:
    index = marshal.loads((repo / ".idmeet-cache" / "action.index").read_bytes())
    assert isinstance(index, dict)
    return str(index["schema"])


def test_an_edited_module_of_a_copied_install_rebuilds_the_cache(example: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(PACKAGE, site / "idmeet", ignore=shutil.ignore_patterns("__pycache__"))
    dates = site / "idmeet" / "core" / "dates.py"
    age(example)
    fresh = run(site, example, "check")
    assert fresh.returncode == 0, fresh.stderr
    first = cached_schema(example)
    assert run(site, example, "check").stdout == fresh.stdout
    assert cached_schema(example) == first  # the cache was used, not rewritten under a new key

    with dates.open("a", encoding="utf-8") as handle:  # a comment: size and time change
        handle.write("# a comment\n")
    assert run(site, example, "check").stdout == fresh.stdout
    second = cached_schema(example)
    assert second != first and "core/dates.py" in second

    # Now dates are read differently: no ISO date is valid any more. A cache keyed on the
    # old code would still answer "0 errors"; a new parse reports every date.
    with dates.open("a", encoding="utf-8") as handle:
        handle.write("\n\ndef parse_iso_date(text: str) -> None:\n    return None\n")
    changed = run(site, example, "check")
    assert changed.returncode != 0 and changed.stdout != fresh.stdout
    assert "date" in changed.stdout + changed.stderr
    assert cached_schema(example) not in (first, second)
    # nor does the warm answer of `idmeet actions` come from the old cache: every action
    # file is broken now, so none is listed, and the warning says so
    listed = run(site, example, "actions", "--all", "-f", "json")
    assert json.loads(listed.stdout) == [] and "problem(s)" in listed.stderr
