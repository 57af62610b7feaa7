"""The foundation commands: init, repository discovery, meetings, show, and help texts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.core.diagnostics import IdmeetError
from idmeet.store.listing import find_repository

from .conftest import EXAMPLE


def all_commands() -> list[tuple[str, Any]]:
    """Every command and sub-command (typer may vendor click, so no isinstance checks)."""
    root = get_command(app)
    out: list[tuple[str, Any]] = []
    for name, cmd in root.commands.items():  # type: ignore[attr-defined]
        if hasattr(cmd, "commands"):
            out += [(f"{name} {sub}", subcmd) for sub, subcmd in cmd.commands.items()]
        else:
            out.append((name, cmd))
    return out


@pytest.mark.parametrize("name,cmd", all_commands(), ids=[n for n, _ in all_commands()])
def test_every_command_has_help_with_an_example(name: str, cmd: Any) -> None:
    assert cmd.help and cmd.help.strip(), f"'{name}' has no help"
    assert "Example: idmeet " in cmd.help, f"'{name}' help has no example"
    result = CliRunner().invoke(app, [*name.split(), "--help"])
    assert result.exit_code == 0
    assert "Example: idmeet" in result.output


def test_init_creates_a_valid_repository(tmp_path: Path, runner: CliRunner) -> None:
    target = tmp_path / "new"
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / "idmeet.yaml").is_file()
    assert (target / "actions").is_dir()
    assert ".idmeet-cache/" in (target / ".gitignore").read_text()
    assert "#   - name: Peter Teesink" in (target / "idmeet.yaml").read_text()
    check = runner.invoke(app, ["--repo", str(target), "check"])
    assert check.exit_code == 0, check.output


def test_init_refuses_an_existing_repository(tmp_path: Path, runner: CliRunner) -> None:
    (tmp_path / "idmeet.yaml").write_text("organisation: x\nseries: {}\n")
    before = (tmp_path / "idmeet.yaml").read_bytes()
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert (tmp_path / "idmeet.yaml").read_bytes() == before
    assert not (tmp_path / ".gitignore").exists()


def test_discovery_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for folder in (a, b, a / "sub" / "deeper"):
        folder.mkdir(parents=True, exist_ok=True)
    for folder in (a, b):
        (folder / "idmeet.yaml").write_text("organisation: x\nseries: {}\n")
    # --repo wins over IDMEET_REPO, which wins over the ancestors.
    assert find_repository(str(b), cwd=a / "sub", environ={"IDMEET_REPO": str(a)}) == b.resolve()
    assert find_repository(None, cwd=a / "sub", environ={"IDMEET_REPO": str(b)}) == b.resolve()
    assert find_repository(None, cwd=a / "sub" / "deeper", environ={}) == a
    # From a folder holding meetings/ (the project root), the bundled example.
    project = tmp_path / "project"
    (project / "meetings").mkdir(parents=True)
    (project / "meetings" / "idmeet.yaml").write_text("organisation: x\nseries: {}\n")
    assert find_repository(None, cwd=project, environ={}) == project / "meetings"
    with pytest.raises(IdmeetError, match="no idmeet repository found"):
        find_repository(None, cwd=tmp_path, environ={})
    with pytest.raises(IdmeetError, match="not an idmeet repository"):
        find_repository(str(tmp_path), cwd=tmp_path, environ={})


def test_no_repository_is_one_clear_line(tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("IDMEET_REPO", raising=False)
    result = runner.invoke(app, ["meetings"])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("idmeet: no idmeet repository found")


def test_meetings_lists_and_filters(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--repo", str(EXAMPLE), "meetings", "--series", "stuurgroep"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("stuurgroep/2024-06-17  held")
    assert len(result.stdout.splitlines()) == 1
    data = json.loads(runner.invoke(app, ["--repo", str(EXAMPLE), "meetings", "-f", "json"]).stdout)
    assert [m["meeting"] for m in data] == [
        "stuurgroep/2024-06-17",
        "voortgangsoverleg/2024-02-05",
        "voortgangsoverleg/2024-03-06",
    ]
    bad = runner.invoke(app, ["--repo", str(EXAMPLE), "meetings", "--series", "stuurgroop"])
    assert bad.exit_code == 1
    assert "unknown series 'stuurgroop' (did you mean 'stuurgroep'?)" in bad.stderr


def test_show_markdown(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--repo", str(EXAMPLE), "show", "stuurgroep/2024-06-17"])
    assert result.exit_code == 0
    assert result.stdout.startswith("# Stuurgroep Inclusie en Diversiteit\n")
    assert "- Bijlage 2: Gebundelde reflecties stuurgroep Verwey Jonker (vertrouwelijk)" in result.stdout
    assert "### 4. Handelingskader inclusief inkopen" in result.stdout


@pytest.mark.parametrize(
    "arg,message",
    [
        (
            "voortgangsoverleg",
            "'voortgangsoverleg' matches 2 meetings: voortgangsoverleg/2024-02-05, "
            "voortgangsoverleg/2024-03-06; give more of it",
        ),
        ("stuurgroep/2025-01-01", "unknown meeting 'stuurgroep/2025-01-01'"),
    ],
)
def test_show_bad_meeting(runner: CliRunner, arg: str, message: str) -> None:
    result = runner.invoke(app, ["--repo", str(EXAMPLE), "show", arg])
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_show_accepts_the_file_path(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--repo", str(EXAMPLE), "show", "stuurgroep/2024-06-17.md", "-f", "json"])
    assert json.loads(result.stdout)["date"] == "2024-06-17"


def test_show_refuses_a_broken_meeting(example: Path, runner: CliRunner) -> None:
    path = example / "stuurgroep" / "2024-06-17.md"
    path.write_text(path.read_text().replace("date: 2024-06-17", "date: 2024-06-31"))
    result = runner.invoke(app, ["--repo", str(example), "show", "stuurgroep/2024-06-17"])
    assert result.exit_code == 1
    assert "'date' is not a valid date: '2024-06-31' (no such day)" in result.stderr


def test_unknown_format_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--repo", str(EXAMPLE), "check", "--format", "xml"])
    assert result.exit_code == 2
    assert "unknown format 'xml'" in result.stderr
