"""A save that changes a few cache entries appends them (``<kind>.journal``, records at the
end of the data file, ``action.warm`` patched) instead of writing the cache whole; what is
read back is always what a load from the files alone gives, whatever happened to the journal."""

from __future__ import annotations

import marshal
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from idmeet.store import cache, warm
from idmeet.store.load import load

from .conftest import OLD, age, drop_snapshots, edit_behind

ACTION = "actions/10m8t1n7.md"


def cached(repo: Path) -> Path:
    age(repo)
    load(repo)
    drop_snapshots(repo)  # each load below goes through the per-file cache
    return repo


def files(repo: Path) -> dict[str, bytes]:
    folder = repo / ".idmeet-cache"
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.name.endswith(".snap")}


def fresh(repo: Path) -> Any:
    """The repository and problems as a load without any cache gives them (the cache left as it was)."""
    kept = repo.parent / "kept-cache"
    shutil.rmtree(kept, ignore_errors=True)
    shutil.copytree(repo / ".idmeet-cache", kept)
    shutil.rmtree(repo / ".idmeet-cache")
    try:
        return load(repo, with_meetings=False)
    finally:
        shutil.rmtree(repo / ".idmeet-cache")
        shutil.copytree(kept, repo / ".idmeet-cache")


def change(repo: Path, rel: str = ACTION, text: str = "Nieuw") -> None:
    """A file changed behind the cache's back, with an old modification time (so trusted at once)."""
    edit_behind(repo / rel, "\ntitle: ", f"\ntitle: {text} ", OLD)


def test_a_changed_file_is_appended_and_reads_back_as_the_files_say(example: Path) -> None:
    repo = cached(example)
    before = files(repo)
    change(repo)
    loaded = load(repo, with_meetings=False)
    after = files(repo)
    assert after["action.index"] == before["action.index"]  # not written whole
    assert after["action.data"].startswith(before["action.data"]) and len(after["action.data"]) > len(
        before["action.data"]
    )
    assert "action.journal" in after
    assert loaded == fresh(repo)
    assert load(repo, with_meetings=False) == loaded  # from the index and its journal
    assert files(repo) == after  # nothing changed: nothing written


def header_and_summaries(repo: Path) -> tuple[dict[str, Any], list[Any]]:
    header, body = warm.read_warm(str(repo / ".idmeet-cache" / "action.warm"))
    summaries = [warm.summary_at(header, body, at) for at in range(len(header["names"]))]
    plain = {
        key: (value.tolist() if isinstance(value, memoryview) else value)
        for key, value in header.items()
        if key not in ("spans", "written", "by_status", "by_owner")
    }
    for key in ("by_status", "by_owner"):
        plain[key] = {name: ats.tolist() for name, ats in header[key].items()}
    return plain, summaries


def test_the_patched_warm_file_says_what_a_whole_one_says(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``warm.patch`` against ``warm.build``: the same names, stamps, sets, flags and summaries,
    after changes that move an action between statuses and owners."""
    repo = cached(example)
    edit_behind(repo / ACTION, "status: open", "status: done", OLD)
    edit_behind(repo / "actions" / "42m5tadr.md", "owner: Peter", "owner: '5.1, 2, e'", OLD)
    patched_files: list[bytes | None] = []

    def spy(*args: Any) -> bytes | None:
        patched_files.append(warm.patch(*args))
        return patched_files[-1]

    monkeypatch.setattr(cache, "patch", spy)
    load(repo, with_meetings=False)
    assert len(patched_files) == 1 and patched_files[0] is not None  # patched, not built whole
    assert (repo / ".idmeet-cache" / "action.journal").exists()
    patched = header_and_summaries(repo)
    shutil.rmtree(repo / ".idmeet-cache")
    load(repo, with_meetings=False)
    assert not (repo / ".idmeet-cache" / "action.journal").exists()
    assert patched == header_and_summaries(repo)
    assert patched[0]["clean"] and patched[0]["named"]


def test_many_changes_write_the_cache_whole(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "JOURNAL_CHANGES", 1)
    repo = cached(example)
    before = files(repo)
    change(repo)
    change(repo, "actions/42m5tadr.md")
    loaded = load(repo, with_meetings=False)
    assert "action.journal" not in files(repo)
    assert files(repo)["action.index"] != before["action.index"]
    assert loaded == fresh(repo)


def test_a_long_journal_is_folded_into_a_new_index(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "JOURNAL_BYTES", 1)
    repo = cached(example)
    change(repo)
    load(repo, with_meetings=False)
    assert "action.journal" in files(repo)  # the first frame
    change(repo, text="Nog")
    loaded = load(repo, with_meetings=False)
    assert "action.journal" not in files(repo)  # the second save wrote the cache whole
    assert loaded == fresh(repo)


def test_removed_and_added_files_are_journaled_too(example: Path) -> None:
    repo = cached(example)
    (repo / "actions" / "42m5tadr.md").unlink()
    shutil.copy(repo / ACTION, repo / "actions" / "zz000000.md")
    edit_behind(repo / "actions" / "zz000000.md", "id: 10m8t1n7", "id: zz000000", OLD)
    age(repo)
    loaded = load(repo, with_meetings=False)
    journal = (repo / ".idmeet-cache" / "action.journal").read_bytes()
    frame = marshal.loads(warm.unseal(journal[4:]))
    assert frame["entries"]["actions/42m5tadr.md"] is None and "actions/zz000000.md" in frame["entries"]
    assert loaded == fresh(repo)
    assert load(repo, with_meetings=False) == loaded


def damage_journal(repo: Path, how: str) -> None:
    path = repo / ".idmeet-cache" / "action.journal"
    data = bytearray(path.read_bytes())
    if how == "flipped":
        data[len(data) // 2] ^= 0x41
    elif how == "cut":
        del data[-3:]
    elif how == "length":
        data[0:4] = (len(data) * 7).to_bytes(4, "little")
    elif how == "garbage after":
        data += b"\x05\x00\x00\x00abcde"
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["flipped", "cut", "length", "garbage after"])
def test_a_damaged_journal_changes_no_answer(example: Path, how: str) -> None:
    repo = cached(example)
    change(repo)
    load(repo, with_meetings=False)
    change(repo, "actions/42m5tadr.md")
    load(repo, with_meetings=False)  # two frames
    damage_journal(repo, how)
    expected = fresh(repo)
    assert load(repo, with_meetings=False) == expected
    assert load(repo, with_meetings=False) == expected  # and from what that load saved


def test_a_journal_of_another_index_is_not_applied(example: Path) -> None:
    """Frames name the index they were written for: after the cache is written whole, an old
    journal put back (a copy, a backup) is ignored."""
    repo = cached(example)
    change(repo)
    load(repo, with_meetings=False)
    old = (repo / ".idmeet-cache" / "action.journal").read_bytes()
    shutil.rmtree(repo / ".idmeet-cache")
    edit_behind(repo / ACTION, "title: Nieuw", "title: Anders", OLD)
    load(repo, with_meetings=False)
    (repo / ".idmeet-cache" / "action.journal").write_bytes(old)
    index = warm.read_index(str(repo), "action")
    assert index is not None and index["journal"] == 0
    assert load(repo, with_meetings=False) == fresh(repo)


def test_records_after_the_last_frame_are_not_used(example: Path) -> None:
    """A save that added records to the data file and then failed: they are cut off by the next
    save and never read."""
    repo = cached(example)
    change(repo)
    load(repo, with_meetings=False)
    data = repo / ".idmeet-cache" / "action.data"
    with data.open("ab") as handle:
        handle.write(b"\x80\x05not a record")
    expected = fresh(repo)
    assert load(repo, with_meetings=False) == expected
    change(repo, text="Nog")
    assert load(repo, with_meetings=False) == fresh(repo)
    assert b"not a record" not in data.read_bytes()


def test_a_journal_written_through_a_link_is_refused(example: Path, tmp_path: Path) -> None:
    """The journal is never written through a link (it could lead anywhere): the save writes
    nothing there and the answers stay right."""
    repo = cached(example)
    outside = tmp_path / "outside"
    outside.write_bytes(b"")
    os.symlink(outside, repo / ".idmeet-cache" / "action.journal")
    change(repo)
    assert load(repo, with_meetings=False) == fresh(repo)
    assert outside.read_bytes() == b""
