"""Markdown hard line breaks (issue 13 point 15): two spaces (or a backslash) at the end of
a line break the line there. The parser, ``fmt`` and the line edits keep them, and every
document that shows a meeting's or an action's text breaks the line there: Markdown as
written, ``<br>`` in HTML, a break run in Word."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.core.breaks import html_lines, one_line, strip_line_ends
from idmeet.core.model import meaning
from idmeet.edits.fmt import format_file
from idmeet.ops.render import markdown_to_html
from idmeet.parser.records import parse_action, parse_meeting

from .conftest import snapshot

GOLDEN = Path(__file__).parent / "golden" / "hard-breaks"

# Hard breaks in an item's text (two spaces, three spaces, a backslash), in a question, in
# the minutes, in a decision; and trailing spaces that are no break (before a blank line,
# at a heading, after a code line), which go.
MEETING = (
    "---\nseries: stuurgroep\ndate: 2024-06-17\nstatus: held\n---\n\n"
    "## 1. Leersessie  \n\n"
    "Gemeente Amsterdam  \nBureau Inclusie   \nAmstel 1\\\nAmsterdam  \n\n"
    "Gewone tekst.   \n\n"
    "### Vragen\n\n"
    "- Hoe was het om  \n  het rapport te lezen?\n\n"
    "### Verslag\n\n"
    "Peter hoorde  \ndat veel deelnemers teleurgesteld zijn.\n\n"
    "### Besluiten\n\n"
    "- Besluit: eerste regel  \n  tweede regel\n"
)
ACTION = (
    "---\nid: k3f9x2ab\ntitle: Bila plannen\nowner: Peter\nstatus: open\nopened: 2024-06-17\n"
    "meeting: stuurgroep/2024-06-17\nitem: 1\nseries: stuurgroep\n---\n\n"
    "laat een bila plannen  \nmet Sanne en Peter.\n\n## Log\n\n- 2024-06-18: gevraagd.\n"
)


def _meeting(text: str = MEETING) -> object:
    meeting, problems = parse_meeting(text.encode("utf-8"), "stuurgroep/2024-06-17.md")
    assert meeting is not None and not [p for p in problems if p.severity == "error"], problems
    return meeting


def test_the_parser_keeps_hard_breaks_and_drops_other_line_end_spaces() -> None:
    meeting = _meeting()
    item = meeting.items[0]  # type: ignore[attr-defined]
    assert item.title == "Leersessie"
    assert item.text == "Gemeente Amsterdam  \nBureau Inclusie  \nAmstel 1\\\nAmsterdam\n\nGewone tekst."
    assert [q.text for q in item.questions] == ["Hoe was het om  \nhet rapport te lezen?"]
    assert item.notes == "Peter hoorde  \ndat veel deelnemers teleurgesteld zijn."
    assert [d.text for d in item.decisions] == ["eerste regel  \ntweede regel"]


def test_the_parser_keeps_hard_breaks_in_an_action_description() -> None:
    action, problems = parse_action(ACTION.encode("utf-8"), "actions/k3f9x2ab.md")
    assert action is not None, problems
    assert action.description == "laat een bila plannen  \nmet Sanne en Peter."


def test_a_break_before_a_blank_line_or_at_a_heading_is_no_break() -> None:
    assert strip_line_ends(["a  ", "", "b  ", "c   ", "## d  ", "e", "f  "]) == [
        "a",
        "",
        "b  ",
        "c  ",
        "## d",
        "e",
        "f",
    ]


def test_fmt_keeps_hard_breaks_and_formats_the_rest() -> None:
    """Golden: the formatted meeting keeps each hard break as two spaces, drops the other
    line-end spaces, and means what the original meant; a second run changes nothing."""
    new, why = format_file(MEETING.encode("utf-8"), "stuurgroep/2024-06-17.md", "meeting")
    assert new is not None, why
    assert new == (GOLDEN / "meeting-formatted.md").read_text(encoding="utf-8")
    assert "Gemeente Amsterdam  \nBureau Inclusie  \nAmstel 1\\\n" in new
    assert "Gewone tekst.\n" in new and "## 1. Leersessie\n" in new
    assert meaning(_meeting(new)) == meaning(_meeting())
    again, _ = format_file(new.encode("utf-8"), "stuurgroep/2024-06-17.md", "meeting")
    assert again == new
    crlf = ("\ufeff" + MEETING.replace("\n", "\r\n")).encode("utf-8")
    assert format_file(crlf, "stuurgroep/2024-06-17.md", "meeting")[0] == new


def test_fmt_keeps_hard_breaks_of_an_action_description() -> None:
    new, why = format_file(ACTION.encode("utf-8"), "actions/k3f9x2ab.md", "action")
    assert new is not None, why
    assert "laat een bila plannen  \nmet Sanne en Peter.\n" in new


def test_html_of_markdown_breaks_the_line() -> None:
    html = markdown_to_html(_meeting().items[0].text)  # type: ignore[attr-defined]
    assert "Gemeente Amsterdam<br />\nBureau Inclusie<br />\nAmstel 1<br />\nAmsterdam</p>" in html


def test_one_line_summaries_keep_the_breaks() -> None:
    assert one_line("a  b\nc  \nd\\\ne\n\nf") == "a b c  \nd\\\ne f"
    assert one_line("ends  ") == "ends"
    assert html_lines("<b>  \nc\\\nd\\\\\ne") == "&lt;b&gt;<br>\nc<br>\nd\\\\\ne"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    import shutil

    from .test_broken import BASE

    target = tmp_path / "repo"
    shutil.copytree(BASE, target)
    (target / "stuurgroep" / "2024-06-17.md").write_text(MEETING, encoding="utf-8")
    for old in (target / "actions").glob("*.md"):
        old.unlink()
    (target / "actions" / "k3f9x2ab.md").write_text(ACTION, encoding="utf-8")
    return target


def _run(runner: CliRunner, repo: Path, *args: str) -> str:
    result = runner.invoke(app, ["--repo", str(repo), *args])
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


def test_check_passes_and_fmt_keeps_the_file_through_the_cli(runner: CliRunner, repo: Path) -> None:
    _run(runner, repo, "check")
    _run(runner, repo, "fmt")
    text = (repo / "stuurgroep" / "2024-06-17.md").read_text(encoding="utf-8")
    assert text == (GOLDEN / "meeting-formatted.md").read_text(encoding="utf-8")
    assert "laat een bila plannen  \nmet Sanne" in (repo / "actions" / "k3f9x2ab.md").read_text(encoding="utf-8")


def test_line_edits_keep_hard_breaks(runner: CliRunner, repo: Path) -> None:
    """``action note``/``done`` and ``minutes sync`` change only their own lines."""
    meeting_file = repo / "stuurgroep" / "2024-06-17.md"
    meeting_file.write_text(MEETING + "\n### Acties\n\n- [ ] @Sanne schrijft een voorstel  \n", encoding="utf-8")
    before = snapshot(repo)
    _run(runner, repo, "action", "note", "k3f9", "--", "nog  een  notitie")
    _run(runner, repo, "action", "done", "k3f9")
    _run(runner, repo, "minutes", "sync", "stuurgroep/2024-06-17")
    after = snapshot(repo)
    action = after["actions/k3f9x2ab.md"].decode()
    assert "laat een bila plannen  \nmet Sanne en Peter.\n" in action
    old_lines = before["stuurgroep/2024-06-17.md"].decode().split("\n")
    new_lines = after["stuurgroep/2024-06-17.md"].decode().split("\n")
    changed = [line for line in new_lines if line not in old_lines]
    assert len(changed) == 1 and changed[0].startswith("- [ ] @Sanne schrijft een voorstel <!-- "), changed
    assert [line for line in old_lines if line not in new_lines] == ["- [ ] @Sanne schrijft een voorstel  "]
    assert len(new_lines) == len(old_lines)


def test_documents_break_the_line(runner: CliRunner, repo: Path) -> None:
    """Golden Markdown of the agenda and the minutes; their HTML has ``<br>``; the Word file
    has a break in the paragraph."""
    agenda = _run(runner, repo, "render", "stuurgroep/2024-06-17")
    assert agenda == (GOLDEN / "agenda.md").read_text(encoding="utf-8")
    minutes = _run(runner, repo, "report", "minutes", "stuurgroep/2024-06-17")
    assert minutes == (GOLDEN / "minutes.md").read_text(encoding="utf-8")
    html = _run(runner, repo, "export", "stuurgroep/2024-06-17", "--format", "html")
    assert "Gemeente Amsterdam<br />" in html and "Hoe was het om<br />" in html
    minutes_html = _run(runner, repo, "export", "stuurgroep/2024-06-17", "-d", "minutes", "--format", "html")
    assert "Peter hoorde<br />" in minutes_html and "eerste regel<br />" in minutes_html
    actions_html = _run(runner, repo, "export", "stuurgroep/2024-06-17", "-d", "actions", "--format", "html")
    assert "Peter hoorde<br" in actions_html
    out = repo.parent / "agenda.docx"
    _run(runner, repo, "export", "stuurgroep/2024-06-17", "--format", "docx", "--output", str(out))
    document = zipfile.ZipFile(io.BytesIO(out.read_bytes())).read("word/document.xml").decode()
    assert "Gemeente Amsterdam</w:t></w:r><w:r><w:br/>" in document, document[:2000]


def test_the_site_breaks_decisions_and_descriptions(runner: CliRunner, repo: Path) -> None:
    out = repo.parent / "site"
    _run(runner, repo, "site", "--output", str(out))
    pages = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*.html")}
    assert "eerste regel<br>\ntweede regel" in pages["besluiten.html"]
    assert "eerste regel<br>\ntweede regel" in pages["index.html"]
    assert not [name for name, page in pages.items() if "eerste regel  \n" in page]
    assert "laat een bila plannen<br />" in pages["actie/k3f9x2ab.html"]


def test_the_actielijst_of_a_new_agenda_keeps_the_break_of_a_description(runner: CliRunner, repo: Path) -> None:
    """The Actielijst's paragraph of an action keeps its description's hard break, its next
    line indented under the entry; written, the new agenda is valid and renders a ``<br>``."""
    draft = _run(runner, repo, "new-agenda", "stuurgroep", "--dry-run")
    assert "  Peter Teesink laat een bila plannen  \n  met Sanne en Peter." in draft, draft
    _run(runner, repo, "new-agenda", "stuurgroep")
    _run(runner, repo, "check")
    new = next(p for p in (repo / "stuurgroep").glob("*.md") if p.name != "2024-06-17.md")
    html = _run(runner, repo, "export", f"stuurgroep/{new.stem}", "--format", "html")
    assert "Peter Teesink laat een bila plannen<br />\nmet Sanne en Peter." in html
