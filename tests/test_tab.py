"""TAB without typer (cli/tab.py): for every kind of value and every shell, the fast answer
is byte for byte what typer's completion prints, it steps aside for everything else, and
its table of which parameter completes which kind is the one typer's commands define."""

from __future__ import annotations

import os
import pprint
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from idmeet.cli import app, tab
from idmeet.store import complete
from idmeet.store.load import load

from .conftest import ROOT, age

SHELLS = ("bash", "zsh", "fish", "fish is-args")


def environment(shell: str, line: str) -> dict[str, str]:
    """What the shell sets when TAB is pressed at the end of ``idmeet <line>``."""
    full = f"idmeet {line}"
    if shell == "bash":
        words = tab._split(full)
        cword = len(words) - (0 if full.endswith(" ") else 1)
        return {"_IDMEET_COMPLETE": "complete_bash", "COMP_WORDS": full, "COMP_CWORD": str(cword)}
    env = {"_IDMEET_COMPLETE": f"complete_{shell.split()[0]}", "_TYPER_COMPLETE_ARGS": full}
    if shell.startswith("fish"):
        env["_TYPER_COMPLETE_FISH_ACTION"] = "is-args" if "is-args" in shell else "get-args"
    return env


def by_typer(runner: CliRunner, env: dict[str, str]) -> tuple[bytes, int]:
    """What typer's completion prints (the fast path is not involved: CliRunner runs the app)."""
    result = runner.invoke(app, [], env=env, prog_name="idmeet")
    assert result.stderr == "", result.stderr
    return result.stdout_bytes, result.exit_code


def by_tab(env: dict[str, str]) -> tuple[bytes, int] | None:
    """What the fast path prints, or None where it leaves the TAB to typer."""
    found = tab.answer(env)
    if found is None:
        return None
    text, code = found
    return (b"" if text is None else (text + "\n").encode()), code


def same(runner: CliRunner, shell: str, line: str) -> bytes:
    """Assert that the fast path answers ``line`` exactly as typer does; typer's bytes."""
    env = environment(shell, line)
    fast = by_tab(env)
    assert fast is not None, (shell, line)
    assert fast == by_typer(runner, env), (shell, line)
    return fast[0]


@pytest.fixture
def warm(example: Path, runner: CliRunner) -> Path:
    """The example repository with awkward titles added (zsh's quoting), its cache warm."""
    for title in ('Offerte "A": $10 `nu` [x]', "Peter's lijst\\n"):
        added = runner.invoke(app, ["--repo", str(example), "action", "add", title, "-o", "Peter", "-t", "Zorg"])
        assert added.exit_code == 0, added.stderr
    age(example)
    load(example)
    assert (example / ".idmeet-cache" / complete.COMPLETE_FILE).is_file()
    return example


def value_lines(repo: Path) -> list[str]:
    """A command line for every kind of value, with and without a prefix, ``--repo`` before
    and after the command."""
    loaded = load(repo)[0]
    ident = loaded.actions[0].id
    meeting = loaded.meetings[0].key
    r = f"--repo {repo}"
    return [
        f"{r} action show ",
        f"{r} action show {ident[:2]}",
        f"action show {r} {ident[:1]}",
        f"{r} action note ",
        f"{r} action due ",
        f"{r} action done ",
        f"{r} action drop ",
        f"{r} action wait ",
        f"{r} action reopen ",
        f"{r} action reassign ",
        f"{r} action reassign {ident} ",
        f"{r} action reassign {ident} Peter P",
        f"{r} action reassign {ident} -o ",
        f"{r} action add Bellen --owner ",
        f"{r} action add Bellen -o Peter -t ",
        f"{r} action add Bellen -m ",
        f"{r} action add -s ",
        f"{r} show ",
        f"{r} show {meeting[:4]}",
        f"show {r} ",
        f"{r} render ",
        f"{r} export ",
        f"{r} export o",
        f"{r} export open-items --series ",
        f"{r} export open-items -o ",
        f"{r} pack --confidential ",
        f"{r} minutes ",
        f"{r} minutes sync ",
        f"{r} minutes {meeting} ",
        f"{r} report actions ",
        f"{r} report minutes -f md ",
        f"{r} report open-items -s ",
        f"{r} report open-items --owner ",
        f"{r} publish ",
        f"{r} publish {meeting} ",
        f"{r} new-agenda ",
        f"{r} new-agenda --dry-run v",
        f"{r} propose ",
        f"{r} propose --by ",
        f"{r} actions --owner ",
        f"{r} actions --open --owner P",
        f"{r} actions -o 'Peter T",
        f"{r} actions -o Peter\\ T",
        f"{r} actions --tag ",
        f"{r} actions -t Z",
        f"{r} actions --series ",
        f"{r} actions -m ",
        f"{r} meetings -s ",
        f"{r} decisions --series ",
        f"{r} calendar -s ",
        f"{r} search inkoop -s ",
        f"{r} import -s ",
        f"{r} actions --owner zzz",
    ]


@pytest.mark.parametrize("shell", SHELLS)
def test_every_kind_of_value_is_answered_as_typer_answers(runner: CliRunner, warm: Path, shell: str) -> None:
    kinds = set()
    for line in value_lines(warm):
        printed = same(runner, shell, line)
        found = tab.resolve(tab._split(line), "")
        if found is not None and line.endswith(" "):
            kinds.add(found[1])
        if line.endswith(f"{warm} action show ") and shell in ("zsh", "fish"):
            assert "Offerte" in printed.decode() and "lijst" in printed.decode()  # the titles
    assert kinds == {*tab.VALUES, "meeting_after_sync"}


def test_bash_separates_an_equals_sign(runner: CliRunner, warm: Path) -> None:
    """bash splits ``--owner=`` into ``--owner`` and ``=``; click completes the value."""
    env = {
        "_IDMEET_COMPLETE": "complete_bash",
        "COMP_WORDS": f"idmeet --repo {warm} actions --owner =",
        "COMP_CWORD": "5",
    }
    fast = by_tab(env)
    assert fast is not None and b"Peter" in fast[0]
    assert fast == by_typer(runner, env)


@pytest.mark.parametrize(
    "line",
    [
        "action ",  # a group's commands
        "actions --ow",  # an option's name
        "actions --owner Peter ",  # no argument to complete
        "action note ID ",  # a text
        "action show -f ",  # a value nothing is offered for
        "show MEETING ",  # every argument given
        "actions --bogus --owner ",  # an option the table does not know
        "actions --text --owner ",  # an option's value that looks like an option
        "actions --owner=P",  # click splits this itself
        "actions -- ",
        "--help show ",
        "frobnicate ",  # not a command
        "import ",  # files
        "show --repo ",  # the repository being typed
    ],
)
def test_everything_else_is_left_to_typer(warm: Path, line: str) -> None:
    for shell in SHELLS:
        assert by_tab(environment(shell, f"--repo {warm} {line}")) is None, (shell, line)


@pytest.mark.parametrize(
    "line",
    [
        "",
        "a",
        "act",
        "re",
        "s",
        "se",
        "zz",
        "actions",
        "--repo {warm} ",
        "--repo={warm} c",
        "--repo {warm} --repo {warm} p",
    ],
)
def test_bash_completes_command_names_as_typer_does(runner: CliRunner, warm: Path, line: str) -> None:
    """A command's name at bash's TAB (the names only) is answered without typer, in typer's
    order; zsh and fish show each command's help beside it: typer answers those."""
    line = line.format(warm=warm)
    answered = same(runner, "bash", line).decode().split()  # answered, and what typer prints
    typed = line.split()[-1] if line and not line.endswith(" ") else ""
    assert answered == [name for name in tab.command_names() if name.startswith(typed)]
    for shell in SHELLS[1:]:
        assert by_tab(environment(shell, line)) is None


def test_every_command_is_offered_by_name(runner: CliRunner, warm: Path) -> None:
    names = same(runner, "bash", "").decode().split()
    assert names == tab.command_names() and {"actions", "report", "action", "search", "new-agenda"} <= set(names)
    for line in ("--", "-", "--repo", "--repo=", "actions ", "frobnicate a"):  # not a command's name
        assert by_tab(environment("bash", line)) is None, line


def test_no_repository_is_left_to_typer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("IDMEET_REPO", raising=False)
    assert by_tab(environment("bash", "show ")) is None
    assert by_tab(environment("zsh", f"--repo {tmp_path / 'none'} new-agenda ")) is None


def test_the_repository_found_from_the_folder_counts(
    runner: CliRunner, warm: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(warm / "actions")
    monkeypatch.delenv("IDMEET_REPO", raising=False)
    assert b"stuurgroep" in same(runner, "bash", "new-agenda ")
    monkeypatch.chdir(warm.parent)
    monkeypatch.setenv("IDMEET_REPO", str(warm))
    assert b"Peter" in same(runner, "zsh", "actions -o ")


def test_a_cold_cache_leaves_actions_to_typer(runner: CliRunner, example: Path) -> None:
    """Without an action cache the ids come from the file names (typer's path); people,
    series and meetings need no cache and are answered here."""
    assert not (example / ".idmeet-cache").exists()
    for shell in SHELLS:
        assert by_tab(environment(shell, f"--repo {example} action show ")) is None
        assert by_tab(environment(shell, f"--repo {example} actions --tag ")) is None
        for line in ("actions --owner ", "new-agenda ", "show "):
            same(runner, shell, f"--repo {example} {line}")


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign", "stale"])
def test_a_broken_cache_is_answered_as_typer_answers(runner: CliRunner, warm: Path, damage: str) -> None:
    cache = warm / ".idmeet-cache"
    if damage == "stale":  # an action added behind the cache's back
        source = next((warm / "actions").iterdir())
        (warm / "actions" / "zz99new1.md").write_bytes(source.read_bytes())
    for name in (complete.COMPLETE_FILE, "config.index", "action.warm"):
        path = cache / name
        if damage == "garbage":
            path.write_bytes(b"\x00not a cache")
        elif damage == "truncated":
            path.write_bytes(path.read_bytes()[:-7])
        elif damage == "foreign":
            path.write_bytes(b"")
    for shell in SHELLS:
        for line in (
            "action show ",
            "action done ",
            "actions --tag ",
            "actions -o ",
            "new-agenda ",
            "show ",
            "action show z",
        ):
            same(runner, shell, f"--repo {warm} {line}")


def test_the_console_script_answers_without_typer_and_prints_the_same(warm: Path) -> None:
    """Through ``main`` as the shell runs it: the same bytes and exit code with the fast path
    and without it (IDMEET_NO_FAST_PATH), and no typer imported for the fast one."""
    child = (
        "import os, sys\n"
        "def leave(code):\n    raise SystemExit(code)\n"
        "os._exit = leave  # the fast path leaves this way\n"
        "from idmeet.cli import main\n"
        "try:\n    main()\nexcept SystemExit as stop:\n    code = stop.code\n"
        "sys.stderr.write(repr(('typer' in sys.modules, code)))\n"
    )
    base = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    lines = (("zsh", "action show "), ("bash", "actions -o P"), ("fish is-args", "show "))
    for shell, line in lines:
        env = {**base, **environment(shell, f"--repo {warm} {line}")}
        fast = subprocess.run([sys.executable, "-c", child], env=env, capture_output=True, text=True)
        slow = subprocess.run(
            [sys.executable, "-c", child], env={**env, "IDMEET_NO_FAST_PATH": "1"}, capture_output=True, text=True
        )
        assert fast.stdout == slow.stdout, line
        assert fast.stdout.strip() or shell == "fish is-args"
        assert (fast.stderr, slow.stderr) == ("(False, 0)", "(True, 0)"), line


def test_fish_spaces_in_a_description_as_typer_does(runner: CliRunner, warm: Path) -> None:
    config = warm / "idmeet.yaml"
    text = config.read_text(encoding="utf-8")
    assert "role:" in text
    config.write_text(text.replace("role: ", "role: x\u2003y\u00a0z ", 1), encoding="utf-8")
    printed = same(runner, "fish", f"--repo {warm} actions --owner ")
    assert "\tx y z " in printed.decode()  # re's \\s, as typer's fish completion replaces it


# -- the table agrees with typer's commands ---------------------------------------------


def _kind(param: Any) -> str:
    """The kind of value a parameter's completion offers (cli/complete.py's callbacks carry
    it), or "" for none."""
    custom = getattr(param, "_custom_shell_complete", None)
    for cell in getattr(custom, "__closure__", None) or ():
        callback = getattr(cell.cell_contents, "__wrapped__", None)
        if callback is not None:
            return str(getattr(callback, "kind", "?"))
    return ""


def spec_of(command: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    """``tab.COMMANDS`` as typer's commands define it: every command with a completed value."""
    found: dict[tuple[str, ...], Any] = {}
    if hasattr(command, "commands"):  # a group (typer carries its own copy of click)
        for name, sub in command.commands.items():
            found.update(spec_of(sub, (*path, name)))
        return found
    options: dict[str, str | None] = {}
    arguments = []
    for param in command.params:
        if param.param_type_name == "option":
            flag = param.is_flag or param.count
            assert flag or param.nargs == 1, (path, param.opts)
            for name in (*param.opts, *param.secondary_opts):
                options[name] = tab.FLAG if flag else _kind(param)
        else:
            arguments.append((param.nargs, _kind(param)))
    if any(options.values()) or any(kind for _, kind in arguments):
        found[path] = (dict(sorted(options.items())), tuple(arguments))
    return found


def test_the_table_is_what_typer_commands_say() -> None:
    """When this fails, a command's options or arguments changed: print ``spec_of(...)`` and
    copy it into ``tab.COMMANDS``."""
    expected = spec_of(get_command(app))
    table = {path: (dict(sorted(o.items())), a) for path, (o, a) in tab.COMMANDS.items()}
    assert table == expected, f"tab.COMMANDS should be:\n{pprint.pformat(expected, width=110)}"
    assert {path[:1] for path in expected if len(path) > 1} == tab.GROUPS
    kinds = {
        kind for options, arguments in tab.COMMANDS.values() for kind in [*options.values(), *(k for _, k in arguments)]
    }
    assert kinds - {tab.FLAG, tab.TEXT} == {*tab.VALUES, "meeting_after_sync"}
    for _, arguments in tab.COMMANDS.values():  # only a last argument may take many values
        assert all(nargs == 1 for nargs, _ in arguments[:-1])


def test_random_lines_are_answered_as_typer_answers_or_left_to_it(runner: CliRunner, warm: Path) -> None:
    """Odd command lines built from commands, options, values, ``=``, ``--`` and quotes: where
    the fast path answers, typer prints the same."""
    ids = sorted(a.id for a in load(warm)[0].actions)
    vocabulary = [
        *("action", "show", "done", "reassign", "actions", "report", "minutes", "sync", "export", "open-items"),
        *("publish", "new-agenda", "propose", "add", "note", "st", "P", "0", "x", "-", "Peter", "'Peter T"),
        *("--owner", "-o", "--series", "-s", "--tag", "-t", "--meeting", "-m", "--by", "--open", "--dry-run"),
        *("-f", "--", "=", "--help", "--owner=P", "--text", "--no-such", "--repo", str(warm), f"--repo={warm}"),
        *("Peter\\ T", ids[0], ids[1][:3]),
    ]
    rnd = random.Random(7)
    answered = 0
    for _ in range(100):
        start = rnd.choice(["action show", "action reassign", "action add", "actions", "report actions", "minutes"])
        words = [f"--repo {warm}"] * (rnd.random() < 0.8) + [start] + rnd.choices(vocabulary, k=rnd.randint(0, 3))
        line = " ".join(words) + " " * (rnd.random() < 0.6)
        shell = rnd.choice(SHELLS)
        env = environment(shell, line)
        fast = by_tab(env)
        if fast is not None:
            answered += 1
            assert fast == by_typer(runner, env), (shell, line)
    assert answered > 10
