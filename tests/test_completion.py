"""Shell completion of values (issue 16 point 7): meetings, action ids with their titles,
series, people and tags, through click's completion protocol as the shells call it
(``_IDMEET_COMPLETE=complete_bash`` with ``COMP_WORDS``/``COMP_CWORD``; zsh and fish with
``_TYPER_COMPLETE_ARGS``), read from the cache or the file names."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.store import complete
from idmeet.store.load import load

from .conftest import EXAMPLE, ROOT, age


def bash(runner: CliRunner, line: str, cwd: Path | None = None) -> list[str]:
    """The values bash is offered for ``line`` (the word after its last space is the one completed)."""
    words = shlex.split(line) + ([""] if line.endswith(" ") else [])
    env = {"_IDMEET_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    old = os.getcwd()
    os.chdir(cwd or old)
    try:
        result = runner.invoke(app, [], env=env, prog_name="idmeet")
    finally:
        os.chdir(old)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert result.stderr == "" and "Traceback" not in result.stdout
    return [value for value in result.stdout.split("\n") if value]


def shell(runner: CliRunner, which: str, line: str) -> str:
    """What zsh or fish is sent for ``line``."""
    env = {"_IDMEET_COMPLETE": f"complete_{which}", "_TYPER_COMPLETE_ARGS": line}
    if which == "fish":
        env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    result = runner.invoke(app, [], env=env, prog_name="idmeet")
    assert result.exit_code == 0 and result.stderr == "", (result.stdout, result.stderr)
    return result.stdout


@pytest.fixture
def warm(example: Path) -> Path:
    """The example repository with its cache written and trusted."""
    age(example)
    load(example)
    assert (example / ".idmeet-cache" / complete.COMPLETE_FILE).is_file()
    return example


def test_action_ids_complete_by_prefix(runner: CliRunner, warm: Path) -> None:
    ids = sorted(a.id for a in load(warm)[0].actions)
    assert bash(runner, f"idmeet --repo {warm} action show ") == ids
    start = ids[0][0]
    assert bash(runner, f"idmeet --repo {warm} action show {start}") == [i for i in ids if i.startswith(start)]
    assert bash(runner, f"idmeet --repo {warm} action note zzzz") == []


def test_zsh_and_fish_show_the_action_titles(runner: CliRunner, warm: Path) -> None:
    actions = load(warm)[0].actions
    zsh = shell(runner, "zsh", f"idmeet --repo {warm} action show ")
    fish = shell(runner, "fish", f"idmeet --repo {warm} action show ")
    for action in actions:
        title = action.title.replace("'", "''")  # zsh's quoting, as typer writes it
        assert f'"{action.id}":"{title}"' in zsh
        assert f"{action.id}\t{action.title}" in fish.split("\n")


def test_closing_commands_offer_the_actions_they_can_change(runner: CliRunner, warm: Path) -> None:
    actions = load(warm)[0].actions
    by_status = {status: sorted(a.id for a in actions if a.status in status) for status in ("open", "waiting")}
    open_or_waiting = sorted(a.id for a in actions if a.status in ("open", "waiting"))
    closed = sorted(a.id for a in actions if a.status != "open")
    assert open_or_waiting and closed and set(open_or_waiting) != {a.id for a in actions}
    assert bash(runner, f"idmeet --repo {warm} action done ") == open_or_waiting
    assert bash(runner, f"idmeet --repo {warm} action drop ") == open_or_waiting
    assert bash(runner, f"idmeet --repo {warm} action wait ") == by_status["open"]
    assert bash(runner, f"idmeet --repo {warm} action reopen ") == closed
    assert bash(runner, f"idmeet --repo {warm} action reassign ") == sorted(a.id for a in actions)


def test_repo_after_the_command_and_the_found_repository_count(runner: CliRunner, warm: Path) -> None:
    ids = sorted(a.id for a in load(warm)[0].actions)
    assert bash(runner, f"idmeet action show --repo {warm} ") == ids
    assert bash(runner, "idmeet action show ", cwd=warm / "actions") == ids  # found above the folder
    other = warm.parent / "other"
    other.mkdir()
    assert bash(runner, "idmeet action show ", cwd=other) == []  # no repository: nothing, no error
    assert bash(runner, f"idmeet --repo {other} action show ") == []


def test_meeting_references(runner: CliRunner, warm: Path) -> None:
    repo = load(warm)[0]
    keys = sorted(m.key for m in repo.meetings)
    series = [s.key for s in repo.config.series]
    special = [f"{s}/{word}" for s in series for word in ("latest", "next")]
    for command in ("show", "render", "pack", "report minutes", "report actions", "publish", "minutes sync"):
        offered = bash(runner, f"idmeet --repo {warm} {command} ")
        assert sorted(v for v in offered if v not in special) == keys, command
    first = keys[-1]
    assert bash(runner, f"idmeet --repo {warm} show {first}") == [first]
    assert bash(runner, f"idmeet --repo {warm} actions --meeting {first[:5]}") == [
        v for v in [*keys, *special] if v.startswith(first[:5])
    ]
    assert "open-items" in bash(runner, f"idmeet --repo {warm} export ")
    assert "sync" in bash(runner, f"idmeet --repo {warm} minutes ")
    assert bash(runner, f"idmeet --repo {warm} minutes {first} ") == []


def test_series_keys_with_their_titles(runner: CliRunner, warm: Path) -> None:
    config = load(warm)[0].config
    keys = [s.key for s in config.series]
    lines = ("new-agenda ", "propose ", "actions --series ", "meetings -s ", "decisions --series ", "calendar -s ")
    for line in (*lines, "search inkoop -s ", "report open-items --series ", "export open-items -s "):
        assert sorted(bash(runner, f"idmeet --repo {warm} {line}")) == sorted(keys), line
    zsh = shell(runner, "zsh", f"idmeet --repo {warm} new-agenda ")
    for s in config.series:
        assert f'"{s.key}":"{s.title}"' in zsh


def test_owners_by_alias_and_full_name(runner: CliRunner, warm: Path) -> None:
    people = load(warm)[0].config.people
    names = sorted({n for p in people for n in (p.name, *p.aliases)})
    escaped = sorted(n.replace(" ", "\\ ") for n in names)  # bash inserts a value as it is
    for line in ("actions --owner ", "action add x --owner ", "report open-items -o ", "propose --by "):
        assert sorted(bash(runner, f"idmeet --repo {warm} {line}")) == escaped, line
    ident = load(warm)[0].actions[0].id
    assert sorted(bash(runner, f"idmeet --repo {warm} action reassign {ident} ")) == escaped
    zsh = shell(runner, "zsh", f"idmeet --repo {warm} actions --owner ")
    for person in people:
        for alias in person.aliases:
            assert f'"{alias}":"{person.name}"' in zsh
        assert f'"{person.name}"' in zsh


def test_tags_in_use(runner: CliRunner, warm: Path) -> None:
    ident = load(warm)[0].actions[0].id
    added = runner.invoke(app, ["--repo", str(warm), "action", "add", "Iets", "-o", "Peter", "-t", "Werving"])
    assert added.exit_code == 0, added.stderr
    assert ident
    load(warm)  # the cache is written again
    assert "Werving" in bash(runner, f"idmeet --repo {warm} actions --tag ")
    assert bash(runner, f"idmeet --repo {warm} actions --tag Wer") == ["Werving"]


def test_after_an_edit_every_action_is_still_offered(runner: CliRunner, warm: Path) -> None:
    """An edit replaces its file (the folder changes) and loads only the actions it needs:
    TAB still offers every id, with the titles it knows."""
    ids = sorted(a.id for a in load(warm)[0].actions)
    noted = runner.invoke(app, ["--repo", str(warm), "action", "note", ids[0], "gebeld"])
    done = runner.invoke(app, ["--repo", str(warm), "action", "done", ids[1]])
    assert noted.exit_code == 0 and done.exit_code in (0, 1), (noted.stderr, done.stderr)
    assert bash(runner, f"idmeet --repo {warm} action show ") == ids
    titles = {a.id: a.title for a in load(warm)[0].actions}
    zsh = shell(runner, "zsh", f"idmeet --repo {warm} action show {ids[0]}")
    title = titles[ids[0]].replace("'", "''")  # zsh's quoting, as typer writes it
    assert f'"{ids[0]}":"{title}"' in zsh


def test_a_new_action_file_is_offered_before_the_cache_knows_it(runner: CliRunner, warm: Path) -> None:
    source = next((warm / "actions").iterdir())
    (warm / "actions" / "zz99new1.md").write_bytes(source.read_bytes())
    assert bash(runner, f"idmeet --repo {warm} action show zz") == ["zz99new1"]


@pytest.mark.parametrize("damage", ["garbage", "missing", "truncated"])
def test_a_broken_or_missing_cache_still_completes(runner: CliRunner, warm: Path, damage: str) -> None:
    ids = sorted(a.id for a in load(warm)[0].actions)
    cache = warm / ".idmeet-cache"
    for name in (complete.COMPLETE_FILE, "config.index", "action.warm"):
        path = cache / name
        if damage == "garbage":
            path.write_bytes(b"\x00not a cache")
        elif damage == "missing":
            path.unlink()
        else:
            path.write_bytes(path.read_bytes()[:-7])
    assert bash(runner, f"idmeet --repo {warm} action show ") == ids  # from the file names
    assert "Peter" in bash(runner, f"idmeet --repo {warm} actions --owner ")  # from idmeet.yaml itself
    assert "stuurgroep" in bash(runner, f"idmeet --repo {warm} new-agenda ")
    assert bash(runner, f"idmeet --repo {warm} actions --tag ") == []  # only the cache knows the tags


def test_a_cache_folder_that_is_a_file_gives_no_error(runner: CliRunner, example: Path) -> None:
    (example / ".idmeet-cache").write_text("not a folder")
    assert len(bash(runner, f"idmeet --repo {example} action show ")) == len(list((example / "actions").iterdir()))


def test_the_scan_of_idmeet_yaml_reads_what_the_parser_reads(tmp_path: Path) -> None:
    config = load(EXAMPLE)[0].config
    people, series = complete.scan_config((EXAMPLE / "idmeet.yaml").read_text(encoding="utf-8"))
    assert people == [(p.name, p.aliases, p.role) for p in config.people]
    assert series == [(s.key, s.title) for s in config.series]
    text = (
        "organisation: X  # a comment\npeople:\n- name: 'Aïcha El Amrani'\n  aliases:\n  - Aïcha\n  - A. El Amrani\n"
        '  role: "beleidsadviseur # geen commentaar"\n- name: Jan\nseries:\n    raad:\n        title: De raad\n'
        "    team: {title: Het team}\nlanguage: nl\n"
    )
    people, series = complete.scan_config(text)
    assert people == [
        ("Aïcha El Amrani", ("Aïcha", "A. El Amrani"), "beleidsadviseur # geen commentaar"),
        ("Jan", (), ""),
    ]
    assert series == [("raad", "De raad")]  # a flow-style entry is left out, never misread


def test_the_real_command_completes_in_a_subprocess(warm: Path) -> None:
    """As the shell runs it: the console script's ``main`` with the protocol's variables, and
    no rich imported to describe the values for zsh. Typer's path (the fast one, cli/tab.py,
    imports no typer at all: tests/test_tab.py)."""
    child = (
        "import sys\nfrom idmeet.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(repr(sorted(m for m in ('rich', 'yaml', 'idmeet.core.model') if m in sys.modules)))\n"
    )
    line = f"idmeet action show --repo {warm} "
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "_IDMEET_COMPLETE": "complete_zsh",
        "IDMEET_NO_FAST_PATH": "1",
    }
    done = subprocess.run(
        [sys.executable, "-c", child], env={**env, "_TYPER_COMPLETE_ARGS": line}, capture_output=True, text=True
    )
    assert done.returncode == 0
    assert done.stderr == "[]", done.stderr
    assert all(f'"{a.id}":' in done.stdout for a in load(warm)[0].actions)


def test_bash_itself_completes_through_the_installed_script(warm: Path, tmp_path: Path) -> None:
    """End to end: the script ``idmeet --install-completion`` puts in bash's start-up file,
    sourced into bash, fills COMPREPLY for a TAB after ``--owner P`` and after an id's start."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "idmeet"
    wrapper.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m idmeet "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT / "src")}
    env.pop("_IDMEET_COMPLETE", None)
    first = sorted(a.id for a in load(warm)[0].actions)[0]
    script = (
        "source <(idmeet --show-completion bash)\n"
        f"COMP_WORDS=(idmeet --repo {shlex.quote(str(warm))} actions --owner P); COMP_CWORD=5\n"
        '_idmeet_completion idmeet; printf "[%s]\\n" "${COMPREPLY[@]}"\n'
        f"COMP_WORDS=(idmeet action show --repo {shlex.quote(str(warm))} {first[:6]}); COMP_CWORD=5\n"
        '_idmeet_completion idmeet; printf "[%s]\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert done.stdout.split("\n")[:3] == ["[Peter]", "[Peter\\ Teesink]", f"[{first}]"], done.stdout
