"""A cache can make idmeet slower, never wrong or broken (issue 13, points 7 and 8).

Every cache file is checked when it is read (a checksum in the index for the data files, a
checksum at the end of the index and warm files); a damaged one is ignored and written anew.
An entry is the file's only while size, modification time, change time and inode agree, as
git compares them, so an edit that keeps the size and sets the time back is still seen.
"""

from __future__ import annotations

import io
import marshal
import os
import pickle
import random
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.cli.fast import run
from idmeet.store.cache import CACHE_DIR
from idmeet.store.load import load, searchable_actions

from .conftest import age, drop_snapshots

KINDS = ("config", "meeting", "action")
COMMANDS = (["check"], ["meetings"], ["show", "stuurgroep/2024-06-17"], ["actions", "--all", "-f", "json"])


def outputs(repo: Path) -> list[tuple[int, str, str]]:
    """What the reader commands print, through typer and through the fast path."""
    found = []
    for args in COMMANDS:
        result = CliRunner().invoke(app, ["--repo", str(repo), *args])
        found.append((result.exit_code, result.stdout, result.stderr))
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = run(["--repo", str(repo), "actions", "--all", "-f", "json"])
    found.append((code or 0, out.getvalue(), err.getvalue()))
    return found


@pytest.fixture
def warm_repo(example: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("IDMEET_TODAY", "2024-03-10")
    age(example)
    outputs(example)  # writes every cache file, action.warm included
    return example


def flip(path: Path, at: int) -> None:
    data = bytearray(path.read_bytes())
    data[at % len(data)] ^= 0x41
    path.write_bytes(bytes(data))


def cache_files(repo: Path) -> list[Path]:
    return sorted(p for p in (repo / CACHE_DIR).iterdir() if p.name != ".gitignore")


def is_snapshot(path: Path) -> bool:
    """The whole-repository snapshot and the memos beside it (``store/snapshot.py``)."""
    return path.suffix == ".snap"


def test_every_kind_of_cache_file_is_there(warm_repo: Path) -> None:
    names = {p.name for p in cache_files(warm_repo)}
    assert {f"{kind}.{ext}" for kind in KINDS for ext in ("index", "data")} | {"action.warm"} <= names


@pytest.mark.parametrize("seed", range(6))
def test_flipped_bytes_in_any_cache_file_change_nothing(warm_repo: Path, seed: int) -> None:
    """One flipped byte (same size) anywhere in any cache file: the same answers, every time,
    and the cache is healed."""
    good = outputs(warm_repo)
    whole, partial = load(warm_repo), load(warm_repo, with_meetings=False)
    rng = random.Random(seed)
    for path in cache_files(warm_repo):
        damaged = bytearray(path.read_bytes())
        for _ in range(rng.randint(1, 3)):
            damaged[rng.randrange(len(damaged))] ^= rng.randrange(1, 256)
        path.write_bytes(bytes(damaged))
        if not is_snapshot(path):
            drop_snapshots(warm_repo)
        assert outputs(warm_repo) == good, path.name
        assert outputs(warm_repo) == good, path.name  # and again, from the rebuilt cache
        if path.name == "repo.snap":  # a section no command above read is checked when read
            searchable_actions(load(warm_repo, with_actions=False)[0])  # the actions' texts
            assert load(warm_repo) == whole and load(warm_repo, with_meetings=False) == partial
            # A partial reader (here: without the meetings, reading the "config" section) that
            # finds its section damaged removes the snapshot; the next whole load writes it anew.
            assert load(warm_repo) == whole
        assert path.read_bytes() != bytes(damaged), f"{path.name} was not written anew"


@pytest.mark.parametrize("name", [f"{kind}.data" for kind in KINDS] + ["action.index", "action.warm"])
def test_random_bytes_of_the_same_size(warm_repo: Path, name: str) -> None:
    good = outputs(warm_repo)
    path = warm_repo / CACHE_DIR / name
    path.write_bytes(random.Random(name).randbytes(path.stat().st_size))
    drop_snapshots(warm_repo)
    assert outputs(warm_repo) == good


def test_data_of_another_shape_under_a_valid_index(warm_repo: Path) -> None:
    """A data file that passes every check of the index but holds other records (written by
    a foreign tool, or a bug): the records are checked too, and the files parsed again."""
    good = outputs(warm_repo)
    for kind in KINDS:
        index_file = warm_repo / CACHE_DIR / f"{kind}.index"
        data_file = warm_repo / CACHE_DIR / f"{kind}.data"
        from idmeet.store import warm

        index = warm.read_index(str(warm_repo), kind)
        assert index is not None
        entries = {}
        blobs = []
        offset = 0
        for rel, entry in index["entries"].items():
            blob = pickle.dumps({"not": "a record"})
            blobs.append(blob)
            entries[rel] = (*entry[:2], offset, len(blob), *entry[4:])
            offset += len(blob)
        data = b"".join(blobs)
        data_file.write_bytes(data)
        index.update(entries=entries, size=len(data), crc=warm.checksum(data))
        index_file.write_bytes(warm.seal(marshal.dumps(index)))
        assert warm.read_index(str(warm_repo), kind) is not None  # the index is valid
        drop_snapshots(warm_repo)
        assert outputs(warm_repo) == good, kind


def test_records_that_cannot_be_unpickled(warm_repo: Path) -> None:
    """Same as above, with bytes that are no pickle at all."""
    from idmeet.store import warm

    good = outputs(warm_repo)
    data_file = warm_repo / CACHE_DIR / "meeting.data"
    data = bytes(len(data_file.read_bytes()))
    data_file.write_bytes(data)
    index = warm.read_index(str(warm_repo), "meeting")
    assert index is not None
    index["crc"] = warm.checksum(data)
    (warm_repo / CACHE_DIR / "meeting.index").write_bytes(warm.seal(marshal.dumps(index)))
    drop_snapshots(warm_repo)
    assert outputs(warm_repo) == good


def test_a_snapshot_of_another_shape_changes_nothing(warm_repo: Path) -> None:
    """A snapshot whose header passes its checksum but says something else (sections out of
    place, a pickle that is no repository, a foreign file): ignored, the files loaded again."""
    from idmeet.store import snapshot, warm

    good = outputs(warm_repo)
    path = warm_repo / CACHE_DIR / snapshot.SNAPSHOT
    blob = path.read_bytes()
    assert blob.startswith(snapshot.MAGIC)
    size = int.from_bytes(blob[len(snapshot.MAGIC) : len(snapshot.MAGIC) + 8], "little")
    start = len(snapshot.MAGIC) + 8
    header = marshal.loads(warm.unseal(blob[start : start + size]))
    body = blob[start + size :]
    junk = pickle.dumps({"not": "a repository"})
    sections = header["sections"]
    shapes = [
        {**header, "sections": {**sections, "actions": (len(body) + 10, 99, 0)}},  # past the end
        {**header, "sections": {k: (0, len(junk), warm.checksum(junk)) for k in sections}},  # another pickle
        {**header, "problems": {"odd": [("x.md", "one", 2, 3)]}},
    ]
    for shape in shapes:
        new_header = warm.seal(marshal.dumps(shape))
        tail = junk if shape["sections"]["head"][1] == len(junk) else body
        path.write_bytes(snapshot.MAGIC + len(new_header).to_bytes(8, "little") + new_header + tail)
        assert outputs(warm_repo) == good
        assert outputs(warm_repo) == good
    for damaged in (b"", blob[: len(blob) // 2], b"other tool\n" + blob, blob[:-1]):
        path.write_bytes(damaged)
        assert outputs(warm_repo) == good


@pytest.mark.parametrize("name", ["memo-check.snap", "memo-validate-1-1.snap"])
def test_a_memo_of_another_shape_changes_nothing(warm_repo: Path, name: str) -> None:
    """A memo that passes its checksum but holds something else (another tool, a bug):
    ignored, the answer computed again, and the file written anew."""
    from idmeet.store import warm

    good = outputs(warm_repo)
    path = warm_repo / CACHE_DIR / name
    assert path.exists()
    held = marshal.loads(warm.unseal(path.read_bytes()))
    for shape in ({"not": "a snapshot"}, {**held, "value": [("x.md", 1)]}, {**held, "actions": b"junk"}):
        path.write_bytes(warm.seal(marshal.dumps(shape)))
        assert outputs(warm_repo) == good, shape.keys()
        assert outputs(warm_repo) == good, shape.keys()


def test_the_snapshot_answers_without_parsing_or_reading_the_file_cache(
    warm_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While nothing changed, a whole load is the snapshot: no file parsed, no per-file cache read."""
    from idmeet.parser import records
    from idmeet.store import cache

    load(warm_repo)

    def refuse(*args: object) -> None:
        raise AssertionError("parsed or read the per-file cache although the snapshot is whole")

    for kind in ("config", "meeting", "action", "proposal"):
        monkeypatch.setattr(records, f"parse_{kind}", refuse)
    monkeypatch.setattr(cache.ParseCache, "__init__", refuse)
    loaded, _ = load(warm_repo)
    assert len(loaded.actions) > 0 and len(loaded.meetings) > 0
    actions_only, _ = load(warm_repo, with_meetings=False)
    assert actions_only.actions == loaded.actions and actions_only.meetings == ()


def test_a_healthy_cache_is_used(warm_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks do not make the cache useless: nothing is parsed on a second load."""
    from idmeet.parser import records

    load(warm_repo)

    def refuse(*args: object) -> None:
        raise AssertionError("parsed although the cache is whole")

    for kind in ("config", "meeting", "action", "proposal"):
        monkeypatch.setattr(records, f"parse_{kind}", refuse)
    load(warm_repo)


# -- point 8: size and modification time are not enough ----------------------------------------


def edit_keeping_size_and_mtime(path: Path, old: str, new: str) -> None:
    """What a careful attacker (or an editor that restores times) does: same size, same mtime."""
    assert len(old) == len(new)
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns


def test_edit_keeping_size_and_mtime_is_seen_by_check(warm_repo: Path) -> None:
    edit_keeping_size_and_mtime(warm_repo / "actions/nm8qxrv2.md", "status: open", "status: opex")
    result = CliRunner().invoke(app, ["--repo", str(warm_repo), "check"])
    assert result.exit_code == 1, result.output
    assert "actions/nm8qxrv2.md:5: 'status' must be one of open, waiting, done, dropped, not 'opex'" in result.stderr


def test_edit_keeping_size_and_mtime_is_seen_by_the_warm_path(warm_repo: Path) -> None:
    path = warm_repo / "actions/nm8qxrv2.md"
    edit_keeping_size_and_mtime(path, "Prestatieafspraken GMT", "Prestatieafspraken XYZ")
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        run(["--repo", str(warm_repo), "actions", "--all", "-f", "json"])
    assert "Prestatieafspraken XYZ" in out.getvalue()


def test_edit_keeping_size_and_mtime_of_the_configuration_is_seen(warm_repo: Path) -> None:
    path = warm_repo / "idmeet.yaml"
    text = path.read_text(encoding="utf-8")
    assert "aliases: [Peter]" in text
    edit_keeping_size_and_mtime(path, "aliases: [Peter]", "aliases: [Pieter")
    result = CliRunner().invoke(app, ["--repo", str(warm_repo), "check"])
    assert result.exit_code == 1
    assert "idmeet.yaml:" in result.stderr and "invalid YAML" in result.stderr


def test_a_file_replaced_by_another_with_the_same_stamps_is_seen(warm_repo: Path) -> None:
    """A new file (new inode) put in place with the old size and times, as a restore could."""
    path = warm_repo / "actions/nm8qxrv2.md"
    st = path.stat()
    text = path.read_text(encoding="utf-8").replace("Prestatieafspraken GMT", "Prestatieafspraken XYZ")
    other = path.with_name("tmp-other")
    other.write_text(text, encoding="utf-8")
    os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(other, path)
    assert path.stat().st_ino != st.st_ino
    loaded, _ = load(warm_repo)
    assert {a.id: a.title for a in loaded.actions}["nm8qxrv2"] == "Prestatieafspraken XYZ"


# -- compiled templates kept between runs (issue 18) ---------------------------------------


def test_compiled_templates_are_kept_and_a_damaged_one_is_compiled_anew(warm_repo: Path) -> None:
    """``export`` keeps its compiled templates in the cache; flipped bytes, a truncated file
    or random bytes in them change nothing in what it writes."""
    args = ["--repo", str(warm_repo), "export", "stuurgroep/2024-06-17", "--format", "md"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    kept = sorted((warm_repo / CACHE_DIR / "templates").glob("*.cache"))
    assert kept, "no compiled template was kept"
    assert CliRunner().invoke(app, args).stdout == first.stdout
    for damage in ("flip", "truncate", "random"):
        for path in kept:
            data = path.read_bytes()
            if damage == "flip":
                path.write_bytes(bytes(b ^ 0x41 if i % 7 == 3 else b for i, b in enumerate(data)))
            elif damage == "truncate":
                path.write_bytes(data[: len(data) // 3])
            else:
                path.write_bytes(random.Random(path.name).randbytes(len(data)))
        again = CliRunner().invoke(app, args)
        assert (again.exit_code, again.stdout) == (0, first.stdout), damage
