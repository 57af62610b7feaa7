"""The layout's rules, checked: each stage imports only lower stages, only cli/ knows typer
and rich, package ``__init__`` files import nothing, and the warm answer of ``idmeet
actions`` loads only the few modules it needs."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from idmeet.store.load import load

from .conftest import ROOT, age

PACKAGE = ROOT / "src" / "idmeet"
STAGES = ("core", "parser", "store", "ops", "edits", "importer", "cli")
UI_LIBRARIES = ("typer", "rich", "click")


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def stage_of(path: Path) -> str | None:
    """The stage a module of idmeet belongs to (None for ``idmeet/__init__`` and ``__main__``)."""
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else None


def imported(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in a file, wherever it is (in functions and
    ``TYPE_CHECKING`` blocks too); ``from a import b`` counts as ``a`` and ``a.b``."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0 and node.module, f"{path}:{node.lineno}: relative import"
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def test_the_stages_are_the_packages() -> None:
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert packages == set(STAGES)


def test_no_stage_imports_a_higher_one() -> None:
    upward = []
    for path in modules():
        stage = stage_of(path)
        if stage is None:
            continue
        for line, name in imported(path):
            parts = name.split(".")
            higher = len(parts) > 1 and parts[1] in STAGES and STAGES.index(parts[1]) > STAGES.index(stage)
            if parts[0] == "idmeet" and higher:
                upward.append(f"{path.relative_to(PACKAGE)}:{line}: {stage} imports {name}")
    assert upward == []


def test_only_the_cli_knows_typer_and_rich() -> None:
    outside = [
        f"{path.relative_to(PACKAGE)}:{line}: {name}"
        for path in modules()
        if stage_of(path) != "cli"
        for line, name in imported(path)
        if name.split(".")[0] in UI_LIBRARIES
    ]
    assert outside == []


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    """The import reader finds imports inside functions and type-checking blocks too."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "if TYPE_CHECKING:\n    from idmeet.ops.actions import Found\n"
        "def f():\n    import typer\n    from idmeet import cli\n",
        encoding="utf-8",
    )
    names = [name for _, name in imported(sample)]
    assert {"idmeet.ops.actions", "typer", "idmeet.cli"} <= set(names)


def top_level_imports(path: Path) -> list[str]:
    """Imports that run when the module is imported: outside functions and ``if
    TYPE_CHECKING:`` blocks (``from __future__`` is a compiler directive, not an import)."""
    found: list[str] = []

    def visit(statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, ast.Import):
                found.extend(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.module != "__future__":
                    found.append(str(node.module))
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            elif isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
                visit(node.orelse)
            else:
                for field in ("body", "orelse", "finalbody"):
                    visit(getattr(node, field, []))
                for handler in getattr(node, "handlers", []):
                    visit(handler.body)

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return found


def test_package_init_files_import_nothing() -> None:
    inits = [PACKAGE / "__init__.py", *(PACKAGE / stage / "__init__.py" for stage in STAGES)]
    assert {str(p.relative_to(PACKAGE)): top_level_imports(p) for p in inits} == {
        str(p.relative_to(PACKAGE)): [] for p in inits
    }


def test_top_level_imports_are_found(tmp_path: Path) -> None:
    sample = tmp_path / "__init__.py"
    sample.write_text(
        "from __future__ import annotations\nimport os\nif TYPE_CHECKING:\n    import typing\n"
        "def f():\n    import sys\ntry:\n    import json\nexcept ImportError:\n    pass\n",
        encoding="utf-8",
    )
    assert top_level_imports(sample) == ["os", "json"]


# What the warm answer needs today. A module added to this list should be as cheap as these.
WARM_MODULES = {
    "idmeet",
    "idmeet.cli",
    "idmeet.cli.fast",
    "idmeet.cli.output",
    "idmeet.core",
    "idmeet.core.rules",
    "idmeet.store",
    "idmeet.store.paths",
    "idmeet.store.summary",
    "idmeet.store.warm",
}
NEVER_WARM = ("idmeet.core.model", "typer", "rich", "click", "yaml", "pathlib", "typing", "dataclasses", "re")


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_the_warm_answer_imports_only_what_it_needs(example: Path, fmt: str) -> None:
    age(example)
    load(example)  # a warm cache
    child = (
        "import sys\n"
        "from idmeet.cli.fast import run\n"
        f"code = run(['--repo', {str(example)!r}, 'actions', '--owner', 'Peter', '-f', {fmt!r}])\n"
        "sys.stdout.flush()\n"
        "sys.stderr.write(repr((code, sorted(sys.modules))))\n"
    )
    # -S: no site-packages hooks, which on some machines import pathlib, re and typing at start
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "IDMEET_TODAY": "2024-03-10"}
    result = subprocess.run([sys.executable, "-S", "-c", child], env=env, capture_output=True, text=True)
    code, loaded = ast.literal_eval(result.stderr)
    assert code == 0 and result.stdout
    if fmt == "json":
        assert len(json.loads(result.stdout)) == 8
    ours = {name for name in loaded if name.split(".")[0] == "idmeet"}
    assert ours <= WARM_MODULES, sorted(ours - WARM_MODULES)
    assert [name for name in NEVER_WARM if name in loaded] == []


COMPLETION_MODULES = {
    "idmeet",
    "idmeet.core",
    "idmeet.core.rules",
    "idmeet.store",
    "idmeet.store.complete",
    "idmeet.store.paths",
    "idmeet.store.summary",
    "idmeet.store.warm",
}


@pytest.mark.parametrize("cache", ["warm", "none"])
def test_the_completion_reader_imports_no_model_nor_yaml(example: Path, cache: str) -> None:
    """What TAB offers (store/complete.py) is read without idmeet's model, PyYAML, pathlib or
    typing, from the cache or, without one, from the file names and a scan of idmeet.yaml."""
    if cache == "warm":
        age(example)
        load(example)
    child = (
        "import sys\n"
        "from idmeet.store import complete\n"
        f"root = {str(example)!r}\n"
        "found = [complete.actions(root, ('open',)), complete.owners(root), complete.series(root),"
        " complete.meetings(root), complete.tags(root)]\n"
        "sys.stderr.write(repr(([len(f) for f in found], sorted(sys.modules))))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run([sys.executable, "-S", "-c", child], env=env, capture_output=True, text=True)
    counts, loaded = ast.literal_eval(result.stderr)
    assert all(counts[:4]) and (counts[4] > 0) == (cache == "warm"), counts
    ours = {name for name in loaded if name.split(".")[0] == "idmeet"}
    assert ours <= COMPLETION_MODULES, sorted(ours - COMPLETION_MODULES)
    assert [name for name in NEVER_WARM if name in loaded] == []


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_tab_is_answered_without_typer_nor_the_model(example: Path, shell: str) -> None:
    """A TAB that completes a value (cli/tab.py) loads only the completion reader and the CLI's
    small modules: no typer, click, rich, model, PyYAML, pathlib, typing or re."""
    age(example)
    load(example)
    line = f"idmeet --repo {example} action show "
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "_IDMEET_COMPLETE": f"complete_{shell}"}
    env.update({"COMP_WORDS": line, "COMP_CWORD": "5"} if shell == "bash" else {"_TYPER_COMPLETE_ARGS": line})
    child = (
        "import sys\nfrom idmeet.cli.fast import run\ncode = run([])\nsys.stdout.flush()\n"
        "sys.stderr.write(repr((code, sorted(sys.modules))))\n"
    )
    result = subprocess.run([sys.executable, "-S", "-c", child], env=env, capture_output=True, text=True)
    code, loaded = ast.literal_eval(result.stderr)
    assert code == 0 and result.stdout.count("\n") >= len(list((example / "actions").iterdir()))
    ours = {name for name in loaded if name.split(".")[0] == "idmeet"}
    assert ours <= COMPLETION_MODULES | {"idmeet.cli", "idmeet.cli.fast", "idmeet.cli.tab"}, ours
    assert [name for name in NEVER_WARM if name in loaded] == []
