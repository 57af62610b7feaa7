"""Property tests (issue 13, "a corpus that stays"): generated actions with unicode, CRLF, a
byte-order mark, tabs, long lines and comments. ``fmt`` never changes a file's meaning and a
second run changes nothing; ``action note`` adds exactly one log line and changes nothing
else. Example counts stay modest so CI stays fast."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.core.model import meaning
from idmeet.edits.fmt import format_file
from idmeet.parser.records import parse_action

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
