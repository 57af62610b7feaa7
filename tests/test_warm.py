"""The warm path (``warm.py``) answers ``idmeet actions`` from the cache only when that is
exactly what the regular path would print, and never from a cache the files have outrun."""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from idmeet.cli import listing
from idmeet.cli.fast import parse, run
from idmeet.store import warm
from idmeet.store.load import load
from idmeet.store.summary import json_text

from .conftest import OLD, ROOT, age, edit_behind

TODAY = "2024-03-10"


def warmed(repo: Path) -> Path:
    age(repo)
    load(repo)  # writes the cache
    return repo


def output(repo: Path, args: list[str], monkeypatch: pytest.MonkeyPatch, *, warm_only: bool) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``idmeet --repo REPO args`` through the fast path; with
    ``warm_only`` the regular path must not be needed, else the warm path is switched off."""
    monkeypatch.setenv("IDMEET_TODAY", TODAY)
    with monkeypatch.context() as patch:
        if warm_only:
            patch.setattr(listing, "list_actions", lambda *a, **k: pytest.fail("the warm path did not answer"))
        else:
            patch.setattr(warm, "query", lambda *a: None)
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = run(["--repo", str(repo), *args])
    assert code is not None
    return code, out.getvalue(), err.getvalue()


def answered(repo: Path, args: list[str]) -> bool:
    parsed = parse(["--repo", str(repo), *args])
    assert parsed is not None
    return warm.query(*parsed) is not None


ANSWERED = [
    ["--open", "--owner", "Peter", "--format", "json"],
    [],
    ["--all", "--owner", "Peter"],
    ["--tag", "no-such-tag"],
    ["--owner", "peter teesink", "-f", "json"],
    ["--all", "-f", "json"],
    ["--all", "--sort", "owner", "-f", "md"],
    ["--done", "--dropped", "--sort", "opened", "-f", "json"],
    ["--all", "--sort", "id", "-n", "3", "-f", "md"],
    ["--overdue", "-f", "json"],
    ["--overdue", "-f", "md"],
    ["--tag", "gmt", "--series", "voortgangsoverleg", "-f", "json"],
    ["--all", "--due-before", "2024-03-01", "--due-after", "2024-02-06", "-f", "json"],
]


@pytest.mark.parametrize("args", ANSWERED, ids=[" ".join(a) for a in ANSWERED])
def test_warm_path_prints_what_the_regular_path_prints(
    example: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = warmed(example)
    fast = output(repo, ["actions", *args], monkeypatch, warm_only=True)
    regular = output(repo, ["actions", *args], monkeypatch, warm_only=False)
    assert fast == regular
    assert fast[0] == 0


def test_warm_json_carries_description_item_and_log(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = output(warmed(example), ["actions", "--all", "-f", "json"], monkeypatch, warm_only=True)
    assert code == 0
    row = next(r for r in json.loads(out) if r["id"] == "j1ecktg3")
    assert row["item"] == "5"
    assert row["description"].startswith("oppert zijn idee")
    assert [e["date"] for e in row["log"]] == ["2024-03-06"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated repository of 600 actions: redacted, lower-case and shared owners, tags."""
    target = tmp_path_factory.mktemp("generated") / "repo"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "generate.py"),
            str(target),
            "--actions",
            "600",
            "--meetings",
            "30",
            "-q",
        ],
        check=True,
    )
    return warmed(target)


GENERATED = [
    ["--all", "-f", "json"],
    ["--owner", "Peter"],
    ["--owner", "Peter", "-f", "json"],
    ["--owner", "aicha el amrani", "--sort", "owner", "-f", "md"],
    ["--all", "--sort", "owner", "-f", "json"],
    ["--overdue", "--series", "stuurgroep", "-f", "md"],
    ["--dropped", "--sort", "opened", "-n", "25", "-f", "json"],
]


@pytest.mark.parametrize("args", GENERATED, ids=[" ".join(a) for a in GENERATED])
def test_warm_path_agrees_on_a_generated_repository(
    generated: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = output(generated, ["actions", *args], monkeypatch, warm_only=True)
    assert fast == output(generated, ["actions", *args], monkeypatch, warm_only=False)
    assert fast[1].count("\n") > 3  # something was found


@pytest.mark.parametrize(
    "args",
    [
        ["-f", "csv"],
        ["--text", "GMT", "-f", "json"],
        ["--meeting", "voortgangsoverleg/2024-02-05", "-f", "json"],
        ["--as-of", "2024-03-01", "-f", "json"],
        ["--due-before", "1-3-2024", "-f", "json"],
        ["--owner", "5.1, 2, e", "-f", "json"],
        ["--owner", "Nobody", "-f", "md"],
        ["--series", "nope", "-f", "json"],
        ["--sort", "size", "-f", "json"],
    ],
)
def test_what_the_warm_path_leaves_to_the_regular_one(example: Path, args: list[str]) -> None:
    assert not answered(warmed(example), ["actions", *args])


ARGS = ["actions", "--all", "-f", "json"]


def titles(repo: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    code, out, err = output(repo, ARGS, monkeypatch, warm_only=False)
    assert code == 0, err
    return {a["id"]: a["title"] for a in json.loads(out)}


@pytest.mark.parametrize("change", ["same size, new mtime", "same mtime, new size", "racy"])
def test_an_edit_behind_the_cache_is_never_answered_from_it(
    example: Path, change: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = warmed(example)
    assert answered(repo, ARGS)
    path = repo / "actions/nm8qxrv2.md"
    if change == "same size, new mtime":
        edit_behind(path, "Prestatieafspraken GMT", "Prestatieafspraken XYZ", OLD + 10**9)
        expected = "Prestatieafspraken XYZ"
    elif change == "same mtime, new size":
        edit_behind(path, "Prestatieafspraken GMT", "Prestatieafspraken van het GMT", OLD)
        expected = "Prestatieafspraken van het GMT"
    else:  # changed in the same clock tick as the cache was written: size and mtime kept
        os.utime(path)
        load(repo)
        stat = path.stat()
        edit_behind(path, "Prestatieafspraken GMT", "Prestatieafspraken XYZ", stat.st_mtime_ns)
        expected = "Prestatieafspraken XYZ"
    assert not answered(repo, ARGS)
    assert titles(repo, monkeypatch)["nm8qxrv2"] == expected


def test_added_removed_and_broken_files_are_seen(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = warmed(example)
    (repo / "actions/zz000000.md").write_text(
        "---\nid: zz000000\ntitle: Nieuw\nowner: Peter\nstatus: open\nopened: 2024-03-01\n---\n"
    )
    assert not answered(repo, ARGS)
    assert titles(repo, monkeypatch)["zz000000"] == "Nieuw"
    age(repo)
    load(repo)
    assert answered(repo, ARGS)  # the cache caught up
    (repo / "actions/nm8qxrv2.md").unlink()
    assert not answered(repo, ARGS)
    assert "nm8qxrv2" not in titles(repo, monkeypatch)
    edit_behind(repo / "actions/zz000000.md", "opened: 2024-03-01", "opened: 2024-03-32", OLD + 10**9)
    load(repo)
    assert not answered(repo, ARGS)  # a broken file: the regular path warns about it
    code, _, err = output(repo, ARGS, monkeypatch, warm_only=False)
    assert code == 0 and "problem(s) in the repository" in err


def test_a_changed_idmeet_yaml_is_seen(example: Path) -> None:
    repo = warmed(example)
    config = repo / "idmeet.yaml"
    config.write_text(config.read_text().replace("Peter Teesink", "Peter Teesink-Jansen"))
    os.utime(config, ns=(OLD, OLD))
    assert not answered(repo, ["actions", "--owner", "Peter", "-f", "json"])


def test_a_moved_folder_time_means_listing_it_again(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The listing is skipped only while the folder's time is the one recorded; otherwise the
    folder is listed and compared (same files: still answered)."""
    repo = warmed(example)
    os.utime(repo / "actions", ns=(OLD + 10**9, OLD + 10**9))
    assert answered(repo, ARGS)
    (repo / "actions/notes.txt").write_text("not an action")  # not a .md file: no difference
    assert answered(repo, ARGS)


@pytest.mark.parametrize("damage", [b"", b"garbage", b"\x00" * 100, None])
def test_a_corrupt_or_missing_warm_file_is_not_used(
    example: Path, damage: bytes | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = warmed(example)
    good = titles(repo, monkeypatch)
    target = repo / ".idmeet-cache" / "action.warm"
    if damage is None:
        target.unlink()
    else:
        target.write_bytes(damage)
    assert not answered(repo, ARGS)
    assert titles(repo, monkeypatch) == good  # and the regular path wrote it anew
    assert answered(repo, ARGS)


def test_the_console_script_answers_from_the_cache(example: Path) -> None:
    """End to end, as a user types it: the same bytes with the warm path on and off."""
    repo = warmed(example)
    shutil.rmtree(repo / ".idmeet-cache")
    env = {**os.environ, "IDMEET_TODAY": TODAY, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "idmeet", "--repo", str(repo), "actions", "--owner", "Peter", "-f", "json"]
    first = subprocess.run(command, env=env, capture_output=True, text=True)
    age(repo)
    load(repo)
    again = subprocess.run(command, env=env, capture_output=True, text=True)
    regular = subprocess.run(command, env={**env, "IDMEET_NO_FAST_PATH": "1"}, capture_output=True, text=True)
    assert first.returncode == again.returncode == regular.returncode == 0
    assert first.stdout == again.stdout == regular.stdout and len(json.loads(again.stdout)) == 8


def random_value(rng: random.Random, depth: int = 0) -> Any:
    texts = ["", "a", 'Ä"é\\', "tab\tnew\nline", "\x00\x1f\x7f", "💡 emoji", "\u2028", "'quote'"]
    kind = rng.randrange(7 if depth < 3 else 4)
    if kind == 0:
        return rng.choice(texts) + rng.choice(texts)
    if kind == 1:
        return rng.choice([None, True, False])
    if kind == 2:
        return rng.randrange(-(10**12), 10**12)
    if kind == 3:
        return rng.choice(texts)
    if kind in (4, 5):
        return [random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {rng.choice(texts) + str(i): random_value(rng, depth + 1) for i in range(rng.randrange(4))}


def test_json_text_is_json_dumps() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        value = random_value(rng)
        assert json_text(value) == json.dumps(value, ensure_ascii=False, indent=2), value
    with pytest.raises(TypeError):
        json_text(1.5)


def test_summary_fields_are_where_rows_looks_for_them() -> None:
    from idmeet.store import summary
    from idmeet.store.cache import ActionSummary

    for position, name in enumerate(ActionSummary._fields):
        assert getattr(summary, name.upper()) == position, name


def test_a_damaged_summary_is_not_used(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each summary in ``action.warm`` carries its own checksum, checked when it is decoded:
    a flipped byte in the summaries of the actions a query prints sends it to the regular path,
    which prints the right answer and writes the file anew."""
    repo = warmed(example)
    good = titles(repo, monkeypatch)
    target = repo / ".idmeet-cache" / "action.warm"
    header, body = warm.read_warm(str(target))
    start = target.stat().st_size - len(body)
    spans = header["spans"]
    data = bytearray(target.read_bytes())
    for at in range(len(header["names"])):  # one byte in every summary: whatever matches is hit
        offset, length = spans[3 * at], spans[3 * at + 1]
        data[start + offset + length // 2] ^= 0x20
    target.write_bytes(bytes(data))
    with pytest.raises(ValueError):
        warm.summary_at(*warm.read_warm(str(target)), 0)
    assert not answered(repo, ARGS)
    assert titles(repo, monkeypatch) == good
    assert answered(repo, ARGS)  # written anew
