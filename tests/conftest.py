"""Shared fixtures: the bundled example repository and a CLI runner."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "meetings"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of the bundled example repository, safe to edit."""
    target = tmp_path / "repo"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(".idmeet-cache"))
    return target


def snapshot(repo: Path) -> dict[str, bytes]:
    """Every file of a repository and its bytes; the git-ignored cache is not content."""
    return {
        p.relative_to(repo).as_posix(): p.read_bytes()
        for p in sorted(repo.rglob("*"))
        if p.is_file() and ".idmeet-cache" not in p.parts
    }


def assert_one_line_error(result: Any, *fragments: str) -> None:
    """A user error: exit 1, one line 'idmeet: ...' on stderr naming ``fragments``, nothing
    on stdout, no traceback and no internal error."""
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    err = result.stderr
    assert err.startswith("idmeet: "), err
    assert err.strip().count("\n") == 0, f"not one line: {err!r}"
    assert "Traceback" not in err and "Traceback" not in result.stdout
    assert "internal error" not in err
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    for fragment in fragments:
        assert fragment in err, (fragment, err)


OLD = time.time_ns() - 3600 * 10**9  # an hour ago: older than a cache written now, so not "racy"


def age(repo: Path) -> None:
    """Give every file and folder of a repository an old time, so a cache written now trusts them."""
    for path in [repo, *repo.rglob("*")]:
        if ".idmeet-cache" not in path.parts:
            os.utime(path, ns=(OLD, OLD))


def drop_snapshots(repo: Path) -> None:
    """Remove the whole-repository snapshot and its memos (``store/snapshot.py``), so that the
    next command loads from the per-file cache: while every file is unchanged the snapshot
    answers and a damaged per-file cache is not even read."""
    folder = repo / ".idmeet-cache"
    for path in folder.glob("*.snap") if folder.is_dir() else ():
        path.unlink()


def edit_behind(path: Path, old: str, new: str, mtime_ns: int) -> None:
    """Change a file behind the cache's back, and give it the modification time ``mtime_ns``."""
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    os.utime(path, ns=(mtime_ns, mtime_ns))


HELD = "stuurgroep/2024-06-17"  # the example's held meeting, with minutes and an attachment


def break_files(repo: Path) -> None:
    """Two broken files: an action with a wrong status, the held meeting without its status key."""
    action = repo / "actions" / "nm8qxrv2.md"
    action.write_text(action.read_text(encoding="utf-8").replace("status: open", "status: opex"), encoding="utf-8")
    meeting = repo / f"{HELD}.md"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("status:", "stat:", 1), encoding="utf-8")


def attachment_file(repo: Path) -> Path:
    """The file of the held meeting's first linked attachment, made (the example has none)."""
    meeting = (repo / f"{HELD}.md").read_text(encoding="utf-8")
    link = meeting.split("](", 1)[1].split(")", 1)[0]
    target = repo / "stuurgroep" / link
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"%PDF-1.4\n")
    return target


def fast_answer(repo: Path, *args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``idmeet --repo REPO ARGS`` through the fast path."""
    import io
    from contextlib import redirect_stderr, redirect_stdout

    from idmeet.cli.fast import run

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = run(["--repo", str(repo), *args])
    assert code is not None, "the fast path did not answer"
    return code, out.getvalue(), err.getvalue()
