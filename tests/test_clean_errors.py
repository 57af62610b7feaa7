"""One line where an internal error was (issue 13, point 11): a file idmeet may not read.

Running as root, a file cannot be made unreadable with chmod; the read is made to fail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from idmeet.cli import app

from .conftest import snapshot


def unreadable(monkeypatch: pytest.MonkeyPatch, victim: Path) -> None:
    """Every read of ``victim`` fails as it does for a user without read permission."""
    original_bytes = Path.read_bytes
    original_text = Path.read_text

    def read_bytes(self: Path) -> bytes:
        if self.resolve() == victim.resolve():
            raise PermissionError(13, "Permission denied", str(self))
        return original_bytes(self)

    def read_text(self: Path, *args: Any, **kwargs: Any) -> str:
        if self.resolve() == victim.resolve():
            raise PermissionError(13, "Permission denied", str(self))
        return original_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(Path, "read_text", read_text)


@pytest.mark.parametrize("check", [False, True])
def test_fmt_on_a_file_it_cannot_read(example: Path, monkeypatch: pytest.MonkeyPatch, check: bool) -> None:
    victim = example / "actions" / "nm8qxrv2.md"
    other = example / "actions" / "j1ecktg3.md"
    other.write_text(other.read_text(encoding="utf-8").replace("\n---\n", "\n\n---\n", 1), encoding="utf-8")
    before = snapshot(example)
    with monkeypatch.context() as patch:
        unreadable(patch, victim)
        result = CliRunner().invoke(app, ["--repo", str(example), "fmt", *(["--check"] if check else [])])
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"{example}/actions/nm8qxrv2.md: cannot read the file: Permission denied; not formatted"
    ]
    after = snapshot(example)
    assert after["actions/nm8qxrv2.md"] == before["actions/nm8qxrv2.md"]
    changed = sorted(k for k in before if before[k] != after[k])
    assert changed == ([] if check else ["actions/j1ecktg3.md"])  # the rest is formatted as usual
