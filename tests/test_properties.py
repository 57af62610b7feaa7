"""Property tests (issue 13, "a corpus that stays"): generated actions and meetings with
unicode, CRLF, a byte-order mark, tabs, long lines, comments and hard line breaks. ``fmt``
never changes a file's meaning (hard breaks included) and a second run changes nothing;
``action note`` adds exactly one log line and changes nothing else; ``minutes sync`` makes
one action per task line, ties the line to it and changes nothing else. Example counts stay
modest so CI stays fast."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.core.model import meaning
from idmeet.edits.fmt import format_file
from idmeet.parser.records import parse_action, parse_meeting

from .test_broken import BASE

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text a person could type in a title, a description or a log line: letters of many scripts,
# punctuation, emoji; no control characters and no line breaks.
words = (
    st.text(
        st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\u2028\u2029\ufeff"),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
long_words = st.lists(words, min_size=1, max_size=30).map(" ".join)


@st.composite
def action_files(draw: st.DrawFn) -> tuple[bytes, str]:
    """An action file as a person might have saved it, and its title."""
    title = draw(long_words)
    description = draw(st.lists(long_words, max_size=4))
    log = draw(st.lists(long_words, max_size=3))
    comment = draw(st.sampled_from(["", "  # een opmerking", "\t# tab"]))
    tags = draw(st.lists(st.sampled_from(["gmt", "p&o", "jaarplan", "woo"]), max_size=3, unique=True))
    lines = [
        "---",
        "id: k3f9x2ab",
        f"title: {_quoted(title)}{comment}",
        "owner: Peter",
        "status: open",
        "opened: 2024-02-05",
        *([f"tags: [{', '.join(tags)}]"] if tags else []),
        "---",
        "",
        *[line for d in description for line in (d, "")],
    ]
    if log:
        lines += ["## Log", "", *(f"- 2024-03-0{i + 1}: {text}" for i, text in enumerate(log))]
    text = "\n".join(lines) + "\n"
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    return data, title


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'


@SETTINGS
@given(action_files())
def test_fmt_keeps_the_meaning_and_is_idempotent(generated: tuple[bytes, str]) -> None:
    data, title = generated
    before, problems = parse_action(data, "actions/k3f9x2ab.md")
    assert before is not None, problems
    assert before.title == title
    new, why = format_file(data, "actions/k3f9x2ab.md", "action")
    assert new is not None, why
    after, _ = parse_action(new.encode("utf-8"), "actions/k3f9x2ab.md")
    assert after is not None and meaning(after) == meaning(before)
    again, _ = format_file(new.encode("utf-8"), "actions/k3f9x2ab.md", "action")
    assert again == new


@SETTINGS
@given(action_files(), long_words)
def test_action_note_adds_one_log_line_and_nothing_else(generated: tuple[bytes, str], note: str) -> None:
    import tempfile

    data, _ = generated
    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder) / "repo"
        shutil.copytree(BASE, repo)
        path = repo / "actions" / "k3f9x2ab.md"
        path.write_bytes(data)
        before, _ = parse_action(data, "actions/k3f9x2ab.md")
        assert before is not None
        result = CliRunner().invoke(app, ["--repo", str(repo), "action", "note", "k3f9", "--", note])
        assert result.exit_code == 0, result.stderr
        after, problems = parse_action(path.read_bytes(), "actions/k3f9x2ab.md")
        assert after is not None and not [p for p in problems if p.severity == "error"], problems
        assert after.log[:-1] == before.log
        assert after.log[-1].text == " ".join(note.split())
        assert (after.title, after.description, after.owners, after.tags) == (
            before.title,
            before.description,
            before.owners,
            before.tags,
        )
        old_lines = data.decode("utf-8-sig").splitlines()
        new_lines = path.read_bytes().decode("utf-8-sig").splitlines()
        assert [line for line in new_lines if line not in old_lines] != []
        assert all(line in new_lines for line in old_lines)  # nothing of the old file is lost


UNKNOWN = ["extra: 1", "flag: yes", "nums: [1, 2]", "when: 2024-01-01", "note:   'a  b'  ", "empty:"]


@SETTINGS
@given(st.lists(st.sampled_from(UNKNOWN), min_size=1, max_size=4, unique=True))
def test_fmt_keeps_values_of_unknown_keys_byte_for_byte(extra: list[str]) -> None:
    """Issue 13 point 14: other YAML readers see the same types after fmt."""
    data = (
        "---\nid: k3f9x2ab\ntitle: Iets\nowner: Peter\nstatus: open\nopened: 2024-02-05\n"
        + "\n".join(extra)
        + "\n---\n"
    ).encode("utf-8")
    new, why = format_file(data, "actions/k3f9x2ab.md", "action")
    assert new is not None, why
    for line in extra:
        assert line in new.splitlines(), (line, new)


# -- generated meetings: fmt and minutes sync -------------------------------------------------

# Text of an agenda: letters of many scripts, digits, symbols and emoji, and the punctuation of
# sentences; no Markdown markup (that would only make other structures, tested elsewhere).
meeting_words = (
    st.text(
        st.characters(whitelist_categories=("L", "N", "So"), whitelist_characters=",.;!?'"),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)
sentences = st.lists(meeting_words, min_size=1, max_size=25).map(" ".join)
# How a line of a paragraph ends: joined to the next, a hard break (two or three spaces, a
# backslash), or spaces and tabs that mean nothing.
LINE_ENDS = ["\n", "  \n", "   \n", "\\\n", " \n", "\t\n"]


@st.composite
def paragraphs(draw: st.DrawFn, prefix: str = "Tekst") -> tuple[str, list[tuple[str, str]]]:
    """A paragraph of one to four lines, and the (line, next line) pairs a hard break joins."""
    lines = [f"{prefix} {draw(sentences)}"] + [f"en {draw(sentences)}" for _ in range(draw(st.integers(0, 3)))]
    lines = [line.replace(" ", draw(st.sampled_from([" ", " ", "\t"])), 1) for line in lines]
    text, breaks = "", []
    for n, line in enumerate(lines):
        end = draw(st.sampled_from(LINE_ENDS)) if n + 1 < len(lines) else draw(st.sampled_from(["\n", " \n", "\t\n"]))
        text += line + end
        if end in ("  \n", "   \n", "\\\n"):
            breaks.append((line, lines[n + 1]))
    return text, breaks


@st.composite
def meeting_files(draw: st.DrawFn) -> tuple[bytes, list[tuple[str, str]], list[tuple[str, str, str]]]:
    """A held meeting of the series stuurgroep as a person might have typed it: (its bytes,
    the hard breaks in it, and its task lines as (item number, owner, task text))."""
    fields = [
        "series: stuurgroep",
        "date: 2024-06-17",
        "status: held",
        draw(st.sampled_from(["invitees: [Peter Teesink, Sanne de Vries]", "invitees:\n  - Peter\n  - Sanne"])),
    ]
    if draw(st.booleans()):
        comment = draw(st.sampled_from(["", "  # zaal", "\t# tab"]))
        fields.append(f"location: {_quoted(draw(sentences))}{comment}")
    fields = draw(st.permutations(fields))
    head = ["---", *(["# opmerking bovenaan"] if draw(st.booleans()) else []), *fields, "---", ""]
    body: list[str] = []
    breaks: list[tuple[str, str]] = []
    tasks: list[tuple[str, str, str]] = []
    blank = st.sampled_from(["\n", "\n", "\n\n", "  \n"])
    for number in range(1, draw(st.integers(1, 4)) + 1):
        body.append(f"## {number}. {draw(sentences)}{draw(st.sampled_from(['', ' ', '  ']))}\n" + draw(blank))
        for _ in range(draw(st.integers(0, 2))):
            text, found = draw(paragraphs())
            body.append(text + draw(blank))
            breaks += found
        if draw(st.booleans()):
            body.append("<!-- een opmerking voor de schrijver -->\n" + draw(blank))
        if draw(st.booleans()):
            body.append("### Vragen\n\n")
            body += [f"- Vraag {draw(sentences)}?\n" for _ in range(draw(st.integers(1, 2)))]
            body.append(draw(blank))
        if draw(st.booleans()):
            text, found = draw(paragraphs("Verslag"))
            body.append("### Verslag\n\n" + text + draw(blank))
            breaks += found
        if draw(st.booleans()):
            body.append("### Besluiten\n\n")
            body += [f"- Besluit: {draw(sentences)}\n" for _ in range(draw(st.integers(1, 2)))]
            body.append(draw(blank))
        if draw(st.booleans()):
            body.append("### Acties\n\n")
            for _ in range(draw(st.integers(1, 2))):
                owner, task = draw(st.sampled_from(["Peter", "Sanne"])), f"regelt {draw(sentences)}"
                due = draw(st.sampled_from(["", " (voor 2024-07-01)"]))
                body.append(f"- [ ] @{owner} {task}{due}{draw(st.sampled_from(['', ' ', '  ']))}\n")
                tasks.append((str(number), owner, task))
            body.append(draw(blank))
    text = "\n".join(head) + "\n" + "".join(body)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    return data, breaks, tasks


MEETING_PATH = "stuurgroep/2024-06-17.md"
PEOPLE = {"Peter": "Peter Teesink", "Sanne": "Sanne de Vries"}


def _parsed_meeting(data: bytes) -> Any:
    meeting, problems = parse_meeting(data, MEETING_PATH)
    assert meeting is not None and not [p for p in problems if p.severity == "error"], problems
    return meeting


@SETTINGS
@given(meeting_files())
def test_fmt_keeps_a_meetings_meaning_and_its_hard_breaks(generated: tuple[bytes, Any, Any]) -> None:
    data, breaks, _ = generated
    before = _parsed_meeting(data)
    new, why = format_file(data, MEETING_PATH, "meeting")
    assert new is not None, why
    assert meaning(_parsed_meeting(new.encode("utf-8"))) == meaning(before)
    for line, following in breaks:  # each hard break stays a break: two spaces, or the backslash
        assert f"{line}  \n{following}" in new or f"{line}\\\n{following}" in new, (line, new)
    assert not [n for n in new.split("\n") if n.endswith(" ") and not n.endswith("  ")]  # no stray spaces
    assert "\r" not in new and not new.startswith("\ufeff")
    again, _ = format_file(new.encode("utf-8"), MEETING_PATH, "meeting")
    assert again == new


def _lines(data: bytes) -> list[str]:
    return data.decode("utf-8-sig").replace("\r\n", "\n").split("\n")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(meeting_files())
def test_minutes_sync_makes_the_actions_and_changes_nothing_else(generated: tuple[bytes, Any, Any]) -> None:
    """Each task line becomes one action file (owner, item, text) and gets its id as a
    comment; every other line and every other file keeps its bytes; the decisions and the
    rest of the meeting mean what they meant; a second sync changes nothing."""
    import tempfile

    from .conftest import snapshot

    data, _, tasks = generated
    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder) / "repo"
        shutil.copytree(BASE, repo)
        (repo / MEETING_PATH).write_bytes(data)
        before = snapshot(repo)
        result = CliRunner().invoke(app, ["--repo", str(repo), "minutes", "sync", MEETING_PATH[:-3]])
        assert result.exit_code == 0, (result.stdout, result.stderr)
        after = snapshot(repo)
        new_files = sorted(set(after) - set(before))
        assert [k for k in before if before[k] != after[k]] == ([MEETING_PATH] if tasks else [])
        assert len(new_files) == len(tasks) and all(f.startswith("actions/") for f in new_files)
        new = after[MEETING_PATH]
        assert new.startswith(b"\xef\xbb\xbf") == data.startswith(b"\xef\xbb\xbf")
        assert (b"\r\n" in new) == (b"\r\n" in data)
        old_lines, new_lines = _lines(data), _lines(new)
        assert len(new_lines) == len(old_lines)
        ids = []
        for old, line in zip(old_lines, new_lines, strict=True):
            if line != old:
                assert old.startswith("- [ ] @") and line.startswith(old.rstrip() + " <!-- "), (old, line)
                ids.append(line.rsplit("<!-- ", 1)[1].removesuffix(" -->"))
        assert sorted(f"actions/{i}.md" for i in ids) == new_files
        for action_id, (item, owner, task) in zip(ids, tasks, strict=True):
            action, problems = parse_action(after[f"actions/{action_id}.md"], f"actions/{action_id}.md")
            assert action is not None and not problems, problems
            assert (action.owners, action.item, action.meeting, action.status) == (
                (PEOPLE[owner],),
                item,
                MEETING_PATH[:-3],
                "open",
            )
            assert action.description.split() == task.split()
        was, now = _parsed_meeting(data), _parsed_meeting(new)
        assert [meaning(i.decisions) for i in now.items] == [meaning(i.decisions) for i in was.items]
        assert meaning(replace(now, items=())) == meaning(replace(was, items=()))
        for old_item, new_item in zip(was.items, now.items, strict=True):
            assert (new_item.text, new_item.notes, meaning(new_item.questions)) == (
                old_item.text,
                old_item.notes,
                meaning(old_item.questions),
            )
            assert [(a.owners, a.text, a.due, a.done) for a in new_item.actions] == [
                (a.owners, a.text, a.due, a.done) for a in old_item.actions
            ]
        again = CliRunner().invoke(app, ["--repo", str(repo), "minutes", "sync", MEETING_PATH[:-3]])
        assert again.exit_code == 0, again.stderr
        assert snapshot(repo) == after
