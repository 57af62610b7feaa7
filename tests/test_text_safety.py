"""Issue 13 (rest): control characters in a file are an error at their line, and a command
that needs idmeet.yaml's people and series names idmeet.yaml's own problem when it cannot be
read (instead of "unknown person"). The corpus (tests/test_corpus.py, rows ``cfg-broken-*``
and ``ctl-*``) runs the same through the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from idmeet.cli.common import load_repo
from idmeet.core.diagnostics import IdmeetError
from idmeet.parser.records import parse_action, parse_meeting
from idmeet.store.load import config_is_usable, load, unusable_config
from idmeet.store.lock import release_all

from .test_broken import BASE

MEETING = "---\nseries: stuurgroep\ndate: 2024-06-17\n---\n\n## 1. Iets\n\nTekst{c} hier.\n"


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f"])
def test_a_control_character_is_an_error_at_its_line(char: str) -> None:
    meeting, problems = parse_meeting(MEETING.format(c=char).encode(), "stuurgroep/2024-06-17.md")
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1, problems
    assert (errors[0].line, errors[0].path) == (8, "stuurgroep/2024-06-17.md")
    assert f"U+{ord(char):04X}" in errors[0].message and "column 6" in errors[0].message
    assert meeting is not None  # the rest of the file is still read (and shown with a warning)


@pytest.mark.parametrize("char", ["\t", "\r", "\u00a0", "\u200b", "é"])
def test_tab_carriage_return_and_other_characters_are_fine(char: str) -> None:
    _, problems = parse_meeting(MEETING.format(c=char).encode(), "stuurgroep/2024-06-17.md")
    assert [p for p in problems if p.severity == "error"] == []


def test_a_control_character_in_an_action_names_its_line_in_crlf_too() -> None:
    data = (BASE / "actions" / "k3f9x2ab.md").read_bytes().replace(b"\n", b"\r\n").replace(b"laat bila", b"laat\0bila")
    _, problems = parse_action(data, "actions/k3f9x2ab.md")
    assert [(p.line, p.severity) for p in problems] == [(13, "error")], problems


def test_an_unreadable_config_refuses_commands_that_need_it(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    (repo / "idmeet.yaml").write_text("people: [\n", encoding="utf-8")
    _, problems = load(repo)
    broken = unusable_config(problems)
    assert broken is not None and broken.path == "idmeet.yaml" and broken.line == 2
    assert not config_is_usable(problems)
    with pytest.raises(IdmeetError, match=r"idmeet\.yaml:2: invalid YAML: .*fix idmeet\.yaml first"):
        load_repo(str(repo), needs_config=True)
    try:
        with pytest.raises(IdmeetError, match=r"fix idmeet\.yaml first"):
            load_repo(str(repo), lock=True)
    finally:
        release_all()
    _, _, usable = load_repo(str(repo))  # a reader still answers, with a warning
    assert usable is False


def test_a_config_with_an_error_it_can_still_read_is_usable(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    config = repo / "idmeet.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("chair: Peter Teesink", "chair: Piet"))
    _, problems, usable = load_repo(str(repo), needs_config=True)
    assert usable and unusable_config(problems) is None
