"""idmeet import: the seed documents, variants of our own, Word files, and bad input."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import docx
import pytest
from typer.testing import CliRunner, Result

from idmeet.cli import app
from idmeet.core.diagnostics import IdmeetError
from idmeet.core.model import AgendaItem, Meeting
from idmeet.core.names import REDACTION_RE, is_redacted
from idmeet.importer.core import import_document
from idmeet.importer.header import NameBook, find_date, parse_names, resolve_date
from idmeet.importer.read import read_source
from idmeet.parser.records import parse_action, parse_meeting
from idmeet.store.load import load

from .conftest import EXAMPLE

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"  # copies of ../shared/seeds
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
TODAY = "2024-12-15"

# seed -> (file, series, --year, meeting file, the first line of its body, (items, attachments, questions, actions))
SEED_CASES = {
    "000": (
        "000_b00e579dd8648eb1.txt",
        "stuurgroep",
        None,
        "stuurgroep/2024-06-17.md",
        "1. Leersessie stuurgroep",
        (4, 5, 7, 0),
    ),
    "001": (
        "001_aab583dc2ac8e325.txt",
        "voortgangsoverleg",
        2024,
        "voortgangsoverleg/2024-03-06.md",
        "#### **Voortgangsoverleg (ca. 45 minuten)**",
        (9, 7, 9, 0),  # 7 questions under headings, 2 in italics in item 2
    ),
    "004": (
        "004_a68409932629671f.txt",
        "voortgangsoverleg",
        None,
        "voortgangsoverleg/2024-02-05.md",
        "- **Prestatieafspraken GMT @Peter**",
        (14, 0, 0, 15),
    ),
}
# fixture -> (series, meeting file, (items, attachments, questions, actions))
VARIANTS = {
    "stuurgroep-2024-09-09.txt": ("stuurgroep", "stuurgroep/2024-09-09.md", "Agenda", (4, 4, 2, 0)),
    "voortgangsoverleg-2024-04-08.md": (
        "voortgangsoverleg",
        "voortgangsoverleg/2024-04-08.md",
        "## Agenda",
        (6, 3, 2, 0),
    ),
    "acties-2024-04-08.txt": ("voortgangsoverleg", "voortgangsoverleg/2024-04-08.md", "1. **Jaarplan", (4, 0, 0, 3)),
    "acties-2024-10-07.txt": ("voortgangsoverleg", "voortgangsoverleg/2024-10-07.md", "- **Jaarplan", (5, 0, 0, 5)),
    "stuurgroep-2024-12-02.txt": ("stuurgroep", "stuurgroep/2024-12-02.md", "1. Opening", (3, 1, 0, 0)),
    "voortgangsoverleg-2024-09-02.txt": (
        "voortgangsoverleg",
        "voortgangsoverleg/2024-09-02.md",
        "Mededelingen / actualiteiten",
        (4, 2, 2, 0),
    ),
}


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDMEET_TODAY", TODAY)


def seed(name: str) -> Path:
    path = SEEDS / SEED_CASES[name][0]
    return path


def without(repo: Path, meeting: str) -> Path:
    """The repository without ``meeting`` and the actions that arose in it."""
    (repo / meeting).unlink()
    key = meeting.removesuffix(".md")
    for action in (repo / "actions").glob("*.md"):
        if f"meeting: {key}\n" in action.read_text(encoding="utf-8"):
            action.unlink()
    return repo


def run(runner: CliRunner, repo: Path, *args: str | Path) -> Result:
    return runner.invoke(app, ["--repo", str(repo), *(str(a) for a in args)])


def import_seed(runner: CliRunner, repo: Path, name: str, *extra: str) -> Result:
    _, series, year, _, _, _ = SEED_CASES[name]
    args = ["import", str(seed(name)), "--series", series, *(["--year", str(year)] if year else []), *extra]
    return run(runner, repo, *args)


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of the repository (not idmeet's cache) with its bytes and modification time."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".idmeet-cache" not in p.parts
    }


def check_passes(runner: CliRunner, repo: Path) -> None:
    result = run(runner, repo, "check")
    assert result.exit_code == 0, result.output


def new_files(before: dict[str, tuple[bytes, int]], root: Path) -> dict[str, str]:
    return {rel: data.decode("utf-8") for rel, (data, _) in snapshot(root).items() if rel not in before}


# -- the faithfulness check (the test's own normalisation, not the importer's) ----------


def clean_line(line: str) -> str:
    """A line without heading marks, list bullets (and the "o " glyph), emphasis, a final colon.

    Item numbers and attachment labels are compared in the format's own spelling, as the
    import must write them: "1) Title" and "Agendapunt 1: Title" as "1. Title", "Bijlage 2a -
    Title" as "Bijlage 2a: Title".
    """
    line = re.sub(r"^\s*#+\s+", "", line.strip())
    line = re.sub(r"^(?:[-*•]\s+)?(?:o\s+)?", "", line)
    line = re.sub(r"\*+", "", line)
    line = re.sub(r"(?<!\w)_+|_+(?!\w)", "", line)
    line = re.sub(r"^(?:agendapunt\s+)?(\d+[a-z]?)[.):]\s+", r"\1. ", line, flags=re.IGNORECASE)
    line = re.sub(r"^(bijlage \d+[a-z]?)\s*[-–—.]\s+", r"\1: ", line, flags=re.IGNORECASE)
    return " ".join(line.split()).rstrip(":").strip()


def words(text: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", text).casefold().split())


def body_lines(source: Path, first: str) -> list[str]:
    lines = source.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(first))
    return [
        line
        for line in lines[start:]
        if line.strip()
        and not re.fullmatch(r"\s*-{3,}\s*", line)
        and not re.fullmatch(r"(?i)\s*pagina \d+ van \d+\s*", line)
    ]


def missing_agenda_lines(lines: list[str], output: list[str]) -> list[str]:
    haystack = " " + " ".join(clean_line(line) for text in output for line in text.split("\n")) + " "
    return [line for line in lines if clean_line(line) not in haystack]


PEOPLE = ("Peter Teesink", "Peter")  # the names of idmeet.yaml of the example, longest first


def action_list_fragments(line: str) -> list[str]:
    """A line of "Acties & afspraken" taken apart where an import must take it apart:
    at the bold topic, at each "@owner" (a name of idmeet.yaml or a redaction mark), at
    sentence ends."""
    text = re.sub(r"^\s*(?:[-*]|\d+[.)])\s+", "", line)
    out = []
    for part in re.split(r"\*\*|@", text):
        owner = next((name for name in PEOPLE if part.startswith(name)), "")
        if owner:
            out.append(words(owner))
            part = part[len(owner) :]
            if words(part) == "en":  # "@Peter en @5.1, 2, e doen X": one task each
                continue
        for piece in re.split(f"({REDACTION_RE.pattern})", part):
            if piece is None:
                continue
            out += [words(s) for s in re.split(r"(?<=[.?!])\s+(?=[A-Z0-9])", piece)]
    return [f for f in out if f]


def missing_action_list_lines(lines: list[str], output: list[str]) -> list[str]:
    haystack = " " + words("\n".join(output)) + " "
    return [line for line in lines if not all(f" {f} " in haystack for f in action_list_fragments(line))]


def invented_lines(meeting_text: str, source: Path, by_sentence: bool = False) -> list[str]:
    """Body lines of the meeting that are not in the source (apart from idmeet's own markup).

    ``by_sentence`` for an action list, whose minutes join the sentences around an action.
    """
    haystack = " " + words(source.read_text(encoding="utf-8")) + " "
    body = meeting_text.split("\n---\n", 1)[1]
    out = []
    for line in body.split("\n"):
        line = re.sub(r"<!--.*?-->", "", line)
        line = re.sub(r"^\s*[-*]\s+\[[ xX]\]\s*", "", line)
        line = re.sub(r"^## \d+[a-z]?\. ", "", line)  # item numbers of an action list are the import's
        if not line.strip() or re.match(r"^(Categorie: |### (Verslag|Acties)$)", line):
            continue
        pieces = re.split(r"(?<=[.?!])\s+(?=[A-Z0-9])", line) if by_sentence else [line]
        if any(f" {words(piece)} " not in haystack for piece in pieces):
            out.append(line)
    return out


# -- the seeds ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SEED_CASES))
def test_seed_imports_into_the_example_and_passes_check(name: str, example: Path, runner: CliRunner) -> None:
    meeting, (items, attachments, questions, actions) = SEED_CASES[name][3], SEED_CASES[name][5]
    repo = without(example, meeting)
    before = snapshot(repo)
    result = import_seed(runner, repo, name)
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"{items} items" in out and f"{questions} question" in out and f"{actions} action" in out
    assert f"{attachments} attachment" in out
    check_passes(runner, repo)
    written = new_files(before, repo)
    assert meeting in written
    assert len([p for p in written if p.startswith("actions/")]) == actions
    loaded, problems = load(repo)
    assert not [p for p in problems if p.severity == "error"]
    found = loaded.get_meeting(meeting.removesuffix(".md"))
    assert found is not None
    assert (
        len(found.items),
        sum(len(i.attachments) for i in found.items),
        sum(len(i.questions) for i in found.items),
        sum(len(i.actions) for i in found.items),
    ) == (items, attachments, questions, actions)


@pytest.mark.parametrize("name", sorted(SEED_CASES))
def test_seed_import_is_faithful(name: str, example: Path, runner: CliRunner) -> None:
    """Every line of the seed's body is in the imported meeting (or its action files)."""
    _, _, _, meeting, first, _ = SEED_CASES[name]
    repo = without(example, meeting)
    before = snapshot(repo)
    result = import_seed(runner, repo, name)
    assert result.exit_code == 0, result.output
    output = list(new_files(before, repo).values())
    lines = body_lines(seed(name), first)
    assert len(lines) > 10
    if name == "004":
        assert missing_action_list_lines(lines, output) == []
    else:
        assert missing_agenda_lines(lines, output) == []
    assert invented_lines((repo / meeting).read_text(encoding="utf-8"), seed(name), by_sentence=name == "004") == []


def test_steering_group_seed_gives_the_hand_made_meeting_file(example: Path, runner: CliRunner) -> None:
    repo = without(example, "stuurgroep/2024-06-17.md")
    assert import_seed(runner, repo, "000").exit_code == 0
    expected = (EXAMPLE / "stuurgroep/2024-06-17.md").read_bytes()
    # The example links Bijlage 1's file ("[title](bijlagen/...)", for idmeet pack); the seed has the title only.
    expected = re.sub(rb"(?m)^(Bijlage \w+: )\[([^\]\n]+)\]\([^)\n]*\)$", rb"\1\2", expected)
    assert b"](bijlagen/" not in expected
    assert (repo / "stuurgroep/2024-06-17.md").read_bytes() == expected


def _shape(path: Path) -> list[tuple[object, ...]]:
    meeting, problems = parse_meeting(path.read_bytes(), "x/2024-01-01.md")
    assert meeting is not None and not problems
    return [
        (
            i.number,
            i.title,
            i.category,
            i.section,
            i.duration,
            [(a.label, a.title, a.confidential) for a in i.attachments],
            i.questions_heading,
            len(i.questions),
            [(a.owner, a.text) for a in i.actions],
        )
        for i in meeting.items
    ]


def test_progress_meeting_seed_has_the_structure_of_the_hand_made_file(example: Path, runner: CliRunner) -> None:
    repo = without(example, "voortgangsoverleg/2024-03-06.md")
    assert import_seed(runner, repo, "001").exit_code == 0
    assert _shape(repo / "voortgangsoverleg/2024-03-06.md") == _shape(EXAMPLE / "voortgangsoverleg/2024-03-06.md")
    text = (repo / "voortgangsoverleg/2024-03-06.md").read_text(encoding="utf-8")
    assert 'attendees:\n  - Peter\n  - "5.1, 2, e"\nminute_taker: "5.1, 2, e"' in text
    assert "start: 10:30\nend: 11:45\nlocation: Kamer 2C4/MS teams\n" in text


def test_action_list_seed_gives_the_hand_made_actions(example: Path, runner: CliRunner) -> None:
    repo = without(example, "voortgangsoverleg/2024-02-05.md")
    before = snapshot(repo)
    assert import_seed(runner, repo, "004").exit_code == 0
    imported = [(i[0], i[1], i[-1]) for i in _shape(repo / "voortgangsoverleg/2024-02-05.md")]
    by_hand = [(i[0], i[1], i[-1]) for i in _shape(EXAMPLE / "voortgangsoverleg/2024-02-05.md")]
    assert imported == by_hand
    mine = set()
    for rel, text in new_files(before, repo).items():
        if rel.startswith("actions/"):
            action, problems = parse_action(text.encode(), rel)
            assert action is not None and not problems
            mine.add((action.title, action.owners, action.item, action.description))
    theirs = set()
    for path in (EXAMPLE / "actions").glob("*.md"):
        action, _ = parse_action(path.read_bytes(), f"actions/{path.name}")
        assert action is not None
        theirs.add((action.title, action.owners, action.item, action.description.split("\n\n")[0]))
    assert mine == theirs


def test_redacted_owners_stay_redacted(example: Path, runner: CliRunner) -> None:
    repo = without(example, "voortgangsoverleg/2024-02-05.md")
    before = snapshot(repo)
    result = import_seed(runner, repo, "004")
    assert result.exit_code == 0
    assert "'@Pete 5.1, 2, e' is garbled by a redaction" in result.output
    owners: list[str] = []
    for rel, text in new_files(before, repo).items():
        if rel.startswith("actions/"):
            action, _ = parse_action(text.encode(), rel)
            assert action is not None
            owners += action.owners
    assert sorted(set(owners)) == ["5.1, 2, e", "Peter"]
    assert owners.count("5.1, 2, e") == 7 and all(o == "Peter" or is_redacted(o) for o in owners)
    meeting = (repo / "voortgangsoverleg/2024-02-05.md").read_text(encoding="utf-8")
    assert "@Pete " not in meeting.split("\n---\n", 1)[1]  # the task lines name the redacted owner
    assert "# idmeet import (line 20): the owner '@Pete 5.1, 2, e' is garbled" in meeting
    assert '  - "5.1, 2, e e"\n  - Peter Teesink\nminute_taker: "5.1, 2, e"' in meeting


def test_tasks_are_tied_to_actions_made_before(example: Path, runner: CliRunner) -> None:
    """The example has the actions of 5 February already: the import ties its tasks to them."""
    (example / "voortgangsoverleg/2024-02-05.md").unlink()
    before = snapshot(example)
    result = import_seed(runner, example, "004")
    assert result.exit_code == 0, result.output
    assert list(new_files(before, example)) == ["voortgangsoverleg/2024-02-05.md"]
    assert result.output.count("tied to the existing") == 15
    text = (example / "voortgangsoverleg/2024-02-05.md").read_text(encoding="utf-8")
    assert (
        "@Peter laat bila voor (over)morgen plannen voor 5.1, 2, e en hem om hier verder over te praten. "
        "<!-- nm8qxrv2 -->" in text
    )
    check_passes(runner, example)


@pytest.mark.parametrize("name", sorted(SEED_CASES))
def test_reimport_changes_no_byte(name: str, example: Path, runner: CliRunner) -> None:
    repo = without(example, SEED_CASES[name][3])
    assert import_seed(runner, repo, name).exit_code == 0
    first = snapshot(repo)
    again = import_seed(runner, repo, name)
    assert again.exit_code == 0, again.output
    assert snapshot(repo) == first
    assert "wrote" not in again.output and "unchanged" in again.output


def test_an_existing_meeting_is_refused_without_force(example: Path, runner: CliRunner) -> None:
    before = snapshot(example)
    result = import_seed(runner, example, "001")  # the hand-made file differs (tight lists, quoting)
    assert result.exit_code == 1
    assert "exists already" in result.stderr and "--force" in result.stderr
    assert snapshot(example) == before
    forced = import_seed(runner, example, "001", "--force")
    assert forced.exit_code == 0, forced.output
    assert "overwrote" in forced.output
    check_passes(runner, example)


def test_an_action_file_edited_since_is_never_overwritten(example: Path, runner: CliRunner) -> None:
    repo = without(example, "voortgangsoverleg/2024-02-05.md")
    before = snapshot(repo)
    assert import_seed(runner, repo, "004").exit_code == 0
    action = next(p for p in new_files(before, repo) if p.startswith("actions/"))
    edited = (repo / action).read_text(encoding="utf-8").replace(
        "status: open", "status: done"
    ) + "\n## Log\n\n- 2024-03-01: afgerond\n"
    (repo / action).write_text(edited, encoding="utf-8")
    again = import_seed(runner, repo, "004")
    assert again.exit_code == 0, again.output
    assert (repo / action).read_text(encoding="utf-8") == edited
    assert "kept" in again.output


def test_dry_run_writes_nothing(example: Path, runner: CliRunner) -> None:
    repo = without(example, "voortgangsoverleg/2024-02-05.md")
    before = snapshot(repo)
    result = import_seed(runner, repo, "004", "--dry-run")
    assert result.exit_code == 0, result.output
    assert snapshot(repo) == before
    out = result.output
    assert "==> " in out and "voortgangsoverleg/2024-02-05.md (new) <==" in out
    assert "## 1. Prestatieafspraken GMT" in out and out.count("would write") == 16


def test_imported_files_are_formatted(example: Path, runner: CliRunner) -> None:
    for name in SEED_CASES:
        without(example, SEED_CASES[name][3])
    before = snapshot(example)
    for name in SEED_CASES:
        assert import_seed(runner, example, name).exit_code == 0
    paths = [example / rel for rel in new_files(before, example)]
    result = run(runner, example, "fmt", "--check", *paths)
    assert result.exit_code == 0, result.output


def test_seeds_import_into_a_new_repository(tmp_path: Path, runner: CliRunner) -> None:
    repo = tmp_path / "new"
    assert runner.invoke(app, ["init", str(repo)]).exit_code == 0
    shutil.copy(EXAMPLE / "idmeet.yaml", repo / "idmeet.yaml")  # the people and series
    for name in sorted(SEED_CASES):
        result = import_seed(runner, repo, name)
        assert result.exit_code == 0, result.output
    check_passes(runner, repo)
    assert len(list((repo / "actions").glob("*.md"))) == 15


# -- the year -----------------------------------------------------------------------------


def test_year_from_the_weekday_is_the_nearest_to_today(
    example: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = without(example, "stuurgroep/2024-06-17.md")
    monkeypatch.setenv("IDMEET_TODAY", "2031-01-01")  # 17 June is a Monday in 2019, 2024 and 2030
    result = import_seed(runner, repo, "000")
    assert result.exit_code == 0, result.output
    assert "year 2030 inferred from 'Maandag 17 juni'" in result.output
    assert (repo / "stuurgroep/2030-06-17.md").is_file()
    assert "status: held" in (repo / "stuurgroep/2030-06-17.md").read_text(encoding="utf-8")


def test_year_option_chooses_among_the_weekday_years() -> None:
    found = find_date("Datum en tijd: Maandag 17 juni 16.00-17.00 uur")
    assert found is not None and (found.day, found.month, found.year, found.weekday) == (17, 6, None, 0)
    today = dt.date(2024, 12, 15)
    assert resolve_date(found, None, today)[0] == dt.date(2024, 6, 17)
    assert resolve_date(found, None, dt.date(2031, 1, 1))[0] == dt.date(2030, 6, 17)
    assert resolve_date(found, 2019, today) == (dt.date(2019, 6, 17), [])
    with pytest.raises(ValueError, match="17 juni 2023 is a zaterdag, not a maandag"):
        resolve_date(found, 2023, today)
    dated = find_date("Vergadering 5 februari 2024")
    assert dated is not None and resolve_date(dated, 2023, today)[0] == dt.date(2024, 2, 5)


def test_a_date_without_year_or_weekday_needs_year(example: Path, runner: CliRunner) -> None:
    repo = without(example, "voortgangsoverleg/2024-03-06.md")
    before = snapshot(repo)
    result = run(runner, repo, "import", seed("001"), "--series", "voortgangsoverleg")
    assert result.exit_code == 1
    stderr = result.stderr
    assert stderr.count("\n") == 1 and "'6 maart' has no year" in stderr and "--year YYYY" in stderr
    assert snapshot(repo) == before


# -- Word ---------------------------------------------------------------------------------

_RUN_RE = re.compile(r"(\*\*[^*]+\*\*|\*[^*]+\*)")


def _runs(paragraph: Any, text: str) -> None:
    for part in _RUN_RE.split(text):
        if part.startswith("**") and part.endswith("**") and len(part) > 4:
            paragraph.add_run(part[2:-2]).bold = True
        elif part.startswith("*") and part.endswith("*") and len(part) > 2:
            paragraph.add_run(part[1:-1]).italic = True
        elif part:
            paragraph.add_run(part)


def seed_as_docx(source: Path, target: Path) -> Path:
    """The seed as its authors' Word file: headings, a table of header fields, bold, italic, bullets."""
    document = docx.Document()
    table = None
    for line in source.read_text(encoding="utf-8").split("\n"):
        if not line.strip() or re.fullmatch(r"\s*-{3,}\s*", line):
            continue
        heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        field = re.match(r"^(Datum|Aanwezig|Locatie|Uitgenodigd)[^:]*:\s*(.*)$", line)
        if field:
            table = table or document.add_table(rows=0, cols=2)
            cells = table.add_row().cells
            cells[0].text, cells[1].text = line.split(":", 1)[0], field.group(2)
            continue
        table = None
        if heading:
            document.add_heading(heading.group(2).replace("**", ""), level=len(heading.group(1)))
        elif re.match(r"^\s+-\s+o\s+", line):
            _runs(document.add_paragraph(style="List Bullet 2"), re.sub(r"^\s+-\s+o\s+", "", line))
        elif re.match(r"^\s+-\s+", line):
            _runs(document.add_paragraph(style="List Bullet 3"), re.sub(r"^\s+-\s+", "", line))
        elif line.startswith("- "):
            _runs(document.add_paragraph(style="List Bullet"), line[2:])
        else:
            _runs(document.add_paragraph(), line)
    document.sections[0].footer.paragraphs[0].text = "Pagina 1 van 2"
    document.save(str(target))
    return target


@pytest.mark.parametrize("name", sorted(SEED_CASES))
def test_a_word_file_made_from_a_seed_imports_like_the_seed(name: str, tmp_path: Path) -> None:
    _, series, year, _, first, counts = SEED_CASES[name]
    path = seed_as_docx(seed(name), tmp_path / f"{name}.docx")
    config = load(EXAMPLE)[0].config
    today = dt.date(2024, 12, 15)
    from_word = import_document(read_source(path), series, config, year=year, today=today, source=path.name)
    from_text = import_document(read_source(seed(name)), series, config, year=year, today=today)
    assert (from_word.items, from_word.attachments, from_word.questions, from_word.tasks) == counts
    assert from_word.problems == [] and from_word.unplaced == []
    assert "Pagina" not in from_word.meeting_text  # the footer is page furniture
    word_model = parse_meeting(from_word.meeting_text.encode(), "x/2024-01-01.md")[0]
    text_model = parse_meeting(from_text.meeting_text.encode(), "x/2024-01-01.md")[0]
    assert word_model is not None and text_model is not None

    def shape(items: tuple[AgendaItem, ...]) -> list[object]:
        return [
            (
                i.number,
                i.title,
                [(a.label, a.title, a.confidential) for a in i.attachments],
                i.questions_heading,
                [q.text for q in i.questions],
            )
            for i in items
        ]

    assert shape(word_model.items) == shape(text_model.items)
    output = [from_word.meeting_text, *(a.text or "" for a in from_word.actions)]
    lines = body_lines(seed(name), first)
    missing = missing_action_list_lines(lines, output) if name == "004" else missing_agenda_lines(lines, output)
    assert missing == []


def test_word_numbering_gives_the_item_numbers(tmp_path: Path, example: Path, runner: CliRunner) -> None:
    document = docx.Document()
    document.add_paragraph("Stuurgroep Inclusie en Diversiteit", style="Title")
    paragraph = document.add_paragraph()
    paragraph.add_run("Datum en tijd:").bold = True
    paragraph.add_run(" maandag 16 september 2024 16.00-17.00 uur")
    document.add_heading("Agenda", level=1)
    document.add_paragraph("Opening", style="List Number")
    document.add_paragraph("Jaarplan 2025", style="List Number")
    document.add_paragraph().add_run("Bijlage 1: Jaarplan 2025 (vertrouwelijk)").italic = True
    document.add_paragraph("Toelichting op het jaarplan.")
    document.add_heading("Vragen aan de stuurgroep", level=3)
    document.add_paragraph("Kunnen jullie instemmen?", style="List Bullet")
    document.add_paragraph("Rondvraag", style="List Number")
    path = tmp_path / "agenda.docx"
    document.save(str(path))
    result = run(runner, example, "import", path, "--series", "stuurgroep")
    assert result.exit_code == 0, result.output
    text = (example / "stuurgroep/2024-09-16.md").read_text(encoding="utf-8")
    assert "## 1. Opening\n\n## 2. Jaarplan 2025\n\n*Bijlage 1: Jaarplan 2025 (vertrouwelijk)*" in text
    assert "### Vragen aan de stuurgroep\n\n- Kunnen jullie instemmen?\n\n## 3. Rondvraag" in text
    check_passes(runner, example)


# -- variants of our own ------------------------------------------------------------------


@pytest.mark.parametrize("fixture", sorted(VARIANTS))
def test_variant_imports_faithfully_and_passes_check(fixture: str, example: Path, runner: CliRunner) -> None:
    series, meeting, first, (items, attachments, questions, actions) = VARIANTS[fixture]
    before = snapshot(example)
    result = run(runner, example, "import", FIXTURES / fixture, "--series", series)
    assert result.exit_code == 0, result.output
    check_passes(runner, example)
    written = new_files(before, example)
    model = load(example)[0].get_meeting(meeting.removesuffix(".md"))
    assert model is not None
    assert (
        len(model.items),
        sum(len(i.attachments) for i in model.items),
        sum(len(i.questions) for i in model.items),
        sum(len(i.actions) for i in model.items),
    ) == (items, attachments, questions, actions)
    body = body_lines(FIXTURES / fixture, first)
    output = list(written.values())
    if fixture.startswith("acties"):
        assert missing_action_list_lines(body, output) == []
    else:
        assert missing_agenda_lines(body, output) == []
    again = run(runner, example, "import", FIXTURES / fixture, "--series", series)
    assert again.exit_code == 0 and "wrote" not in again.output


def _meeting(example: Path, runner: CliRunner, fixture: str) -> tuple[str, Meeting]:
    series, meeting, _, _ = VARIANTS[fixture]
    result = run(runner, example, "import", FIXTURES / fixture, "--series", series)
    assert result.exit_code == 0, result.output
    model = load(example)[0].get_meeting(meeting.removesuffix(".md"))
    assert model is not None
    return result.output, model


def test_other_numbering_letters_and_a_section_ter_kennisname(example: Path, runner: CliRunner) -> None:
    """Items "1)", attachments 1a/1b (one "Bijlage 1b - ..."), numbered questions, no Locatie/Uitgenodigd."""
    _, meeting = _meeting(example, runner, "stuurgroep-2024-09-09.txt")
    items = meeting.items
    assert [i.number for i in items] == ["1", "2", "3", "4"]
    assert items[0].duration == 10 and items[0].attachments == ()
    assert [(a.label, a.title, a.confidential) for a in items[1].attachments] == [
        ("1", "Concept jaarplan 2025", False),
        ("1a", "Begroting jaarplan 2025", True),
        ("1b", "Planning per kwartaal", False),
    ]
    assert items[1].category == "ter besluitvorming" and items[1].questions_heading == "Wij vragen jullie om"
    assert [q.text for q in items[1].questions] == [
        "in te stemmen met het jaarplan 2025;",
        "de begroting vast te stellen.",
    ]
    assert "- Thema 1: inclusief leiderschap\n  - verdieping met de directeuren" in items[1].text
    assert items[2].section == "Ter kennisname" and items[2].category == "ter kennisname"
    assert items[2].attachments[0].confidential
    assert (meeting.location, meeting.invitees, meeting.start, meeting.end) == (None, (), "16:00", "17:00")


def test_markdown_headings_chair_and_attachments_with_a_dash(example: Path, runner: CliRunner) -> None:
    out, meeting = _meeting(example, runner, "voortgangsoverleg-2024-04-08.md")
    assert "year 2024 inferred from 'maandag 8 april'" in out
    assert meeting.chair == "Peter Teesink" and meeting.minute_taker == "5.1.2e"
    assert meeting.attendees == ("Peter Teesink", "5.1, 2, e", "5.1.2e")
    items = meeting.items
    assert [(i.number, i.title) for i in items] == [
        ("1", "Mededelingen"),
        ("2", "Actielijst"),
        ("3", "Jaarplan 2025"),
        ("3a", "Planning jaarplan"),
        ("4", "Bila Peter"),
        ("5", "Rondvraag"),
    ]
    assert items[0].category == "mededeling" and items[2].attachments == ()
    assert items[2].questions_heading == "Ter besluitvorming" and len(items[2].questions) == 2
    assert [(a.label, a.title) for a in items[3].attachments] == [("2a", "Tijdlijn"), ("2b", "Overzicht betrokkenen")]
    assert items[4].duration == 30


def test_action_list_variant_owners_due_dates_and_topics(example: Path, runner: CliRunner) -> None:
    before = snapshot(example)
    _, meeting = _meeting(example, runner, "acties-2024-04-08.txt")
    items = meeting.items
    assert [i.title for i in items] == ["Jaarplan 2025", "Toegankelijkheid", "Planning", "Rondvraag"]
    assert [(a.owner, a.due) for i in items for a in i.actions] == [
        ("Peter", None),
        ("5.1.2e", dt.date(2024, 4, 22)),
        ("i.1, 2, e", None),
    ]
    assert items[3].actions == () and items[3].notes == "geen punten."
    actions = {}
    for rel, text in new_files(before, example).items():
        if rel.startswith("actions/"):
            action, problems = parse_action(text.encode(), rel)
            assert action is not None and not problems
            actions[action.item] = action
    assert actions["1"].owners == ("Peter Teesink",) and actions["1"].title == "Jaarplan 2025"
    assert actions["2"].due == dt.date(2024, 4, 22) and actions["2"].description == "past de notitie aan"
    assert is_redacted(actions["3"].owners[0])
    assert all(a.opened == dt.date(2024, 4, 8) and a.status == "open" for a in actions.values())


def test_action_list_owners_in_brackets_two_owners_and_no_bold_topic(example: Path, runner: CliRunner) -> None:
    out, meeting = _meeting(example, runner, "acties-2024-10-07.txt")
    assert "line 8: no topic in bold; the item is titled 'Toegankelijkheid'" in out
    assert [(i.title, [(a.owner, a.text) for a in i.actions]) for i in meeting.items] == [
        ("Jaarplan", [("Peter", "Concept rondsturen")]),
        ("Bila", [("Peter", "plannen een bila."), ("5.1, 2, e", "plannen een bila.")]),
        ("Inzet", [("Peter", "bespreekt de inzet.")]),
        ("Toegankelijkheid", [("5.1, 2, e", "regelt de tolk voor de bijeenkomst.")]),
        ("Terugblik", []),
    ]
    assert meeting.items[2].notes == "Het team is positief." and meeting.items[4].notes == "niet besproken."
    assert meeting.attendees == ("Peter Teesink", "5.1, 2, e") and meeting.minute_taker is None


def test_a_word_export_with_tabs_bullets_and_page_breaks(tmp_path: Path, example: Path, runner: CliRunner) -> None:
    """Windows line ends, tab bullets, a form feed, "1 - Title", a short date, free text for the invitees."""
    path = tmp_path / "agenda.txt"
    path.write_bytes(
        "AGENDA STUURGROEP INCLUSIE EN DIVERSITEIT\r\nUitgenodigd: alle leden van de stuurgroep\r\n"
        "Afwezig: 5.1, 2, e\r\nDatum: ma 14-10\r\nTijd: 16:00 - 17:00\r\n\r\n1 - Opening\r\n\r\n"
        "2 - Jaarplan\r\n\tBijlage 4 a: Notitie\r\n\u2022\tEerste punt\r\no\tSubpunt\r\n\f\r\n"
        "3 - Rondvraag\r\n".encode()
    )
    result = run(runner, example, "import", path, "--series", "stuurgroep", "--year", "2024")
    assert result.exit_code == 0, result.output
    text = (example / "stuurgroep/2024-10-14.md").read_text(encoding="utf-8")
    assert text.startswith(
        "---\nseries: stuurgroep\ndate: 2024-10-14\nstart: 16:00\nend: 17:00\nstatus: held\n"
        "# Uitgenodigd: alle leden van de stuurgroep\n# Afwezig: 5.1, 2, e\n---\n"
    )
    assert "## 2. Jaarplan\n\nBijlage 4a: Notitie\n\n- Eerste punt\n  - Subpunt\n\n## 3. Rondvraag\n" in text
    wrong_year = run(runner, example, "import", path, "--series", "stuurgroep", "--year", "2023", "--force")
    assert wrong_year.exit_code == 1 and "14 oktober 2023 is a zaterdag, not a maandag" in wrong_year.stderr
    check_passes(runner, example)


def test_an_agenda_as_a_word_table(tmp_path: Path, example: Path, runner: CliRunner) -> None:
    document = docx.Document()
    document.add_heading("Voortgangsoverleg inclusie en diversiteit", level=1)
    document.add_paragraph("Datum: 7 oktober 2024")
    table = document.add_table(rows=0, cols=3)
    for row in (
        ("Nr", "Onderwerp", "Wie"),
        ("1", "Opening", "Peter"),
        ("2.", "Jaarplan 2025", "5.1, 2, e"),
        ("3", "Rondvraag", ""),
    ):
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = text
    path = tmp_path / "tabel.docx"
    document.save(str(path))
    result = run(runner, example, "import", path, "--series", "voortgangsoverleg")
    assert result.exit_code == 0, result.output
    meeting = load(example)[0].get_meeting("voortgangsoverleg/2024-10-07")
    assert meeting is not None
    assert [(i.number, i.title, i.text) for i in meeting.items] == [
        ("1", "Opening", "Peter"),
        ("2", "Jaarplan 2025", "5.1, 2, e"),
        ("3", "Rondvraag", ""),
    ]
    assert "not placed (kept as a comment in the frontmatter): paragraph 3: Nr" in result.output


def test_lines_that_cannot_be_placed_are_kept_and_listed(example: Path, runner: CliRunner) -> None:
    out, _ = _meeting(example, runner, "stuurgroep-2024-12-02.txt")
    assert "not placed (kept as a comment in the frontmatter): line 2: Kenmerk: SG-2024-12" in out
    assert "left out (page layout): line 10: Pagina 1 van 2" in out
    text = (example / "stuurgroep/2024-12-02.md").read_text(encoding="utf-8")
    assert "# not placed by idmeet import (line 2): Kenmerk: SG-2024-12\n---\n" in text
    assert "Pagina" not in text


def test_sections_give_their_category(example: Path, runner: CliRunner) -> None:
    _, meeting = _meeting(example, runner, "voortgangsoverleg-2024-09-02.txt")
    items = meeting.items
    assert [(i.section, i.category) for i in items] == [("Mededelingen / actualiteiten", "mededeling")] + [
        ("Ter bespreking", "ter bespreking")
    ] * 3
    assert meeting.invitees == ("Peter", "5.1, 2, e", "5.1, 2, e")
    assert meeting.minute_taker == "5.1, 2, e" and meeting.location == "Kamer 2C4/MS teams"
    assert items[2].questions_heading == "Vragen aan Peter" and items[2].duration == 30


def test_several_files_in_one_run(example: Path, runner: CliRunner) -> None:
    repo = without(example, "stuurgroep/2024-06-17.md")
    result = run(runner, repo, "import", seed("000"), FIXTURES / "stuurgroep-2024-12-02.txt", "--series", "stuurgroep")
    assert result.exit_code == 0, result.output
    assert (repo / "stuurgroep/2024-06-17.md").is_file() and (repo / "stuurgroep/2024-12-02.md").is_file()
    check_passes(runner, repo)


def test_two_files_of_one_meeting_are_refused(example: Path, runner: CliRunner, tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    shutil.copy(FIXTURES / "stuurgroep-2024-12-02.txt", copy)
    before = snapshot(example)
    result = run(runner, example, "import", FIXTURES / "stuurgroep-2024-12-02.txt", copy, "--series", "stuurgroep")
    assert result.exit_code == 1 and "import them one at a time" in result.stderr
    assert snapshot(example) == before


# -- bad input ----------------------------------------------------------------------------


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str, str]]:
    binary = tmp_path / "scan.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    png = tmp_path / "logo.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(200, 256)) * 4)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.md"
    blank.write_text("\n   \n\n", encoding="utf-8")
    nodate = tmp_path / "nodate.txt"
    nodate.write_text("Stuurgroep Inclusie en Diversiteit\n\nAgenda\n\n1. Opening\n\n2. Rondvraag\n", encoding="utf-8")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Stuurgroep\nDatum: 17 juni 2024\n1. Ideeën\n".encode("latin-1"))
    pdf = tmp_path / "agenda.pdf"
    pdf.write_bytes(b"%PDF-1.7\n...")
    doc = tmp_path / "agenda.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    return {
        "binary": (binary, "stuurgroep", "is not a text file or a .docx"),
        "image": (png, "stuurgroep", "is not a text file or a .docx"),
        "empty": (empty, "stuurgroep", "is empty"),
        "blank": (blank, "stuurgroep", "is empty"),
        "no date": (nodate, "stuurgroep", "no date found"),
        "not utf-8": (latin, "stuurgroep", "is not UTF-8 text (byte 0xeb on line 3)"),
        "pdf": (pdf, "stuurgroep", "is a PDF file"),
        "old word": (doc, "stuurgroep", "old Word file (.doc)"),
        "broken docx": (broken, "stuurgroep", "is not a Word (.docx) file"),
        "missing": (tmp_path / "nothing.txt", "stuurgroep", "no such file"),
        "unknown series": (
            FIXTURES / "stuurgroep-2024-12-02.txt",
            "stuurgroup",
            "unknown series 'stuurgroup' (did you mean 'stuurgroep'?)",
        ),
        "series of another title": (
            FIXTURES / "stuurgroep-2024-12-02.txt",
            "voortgangsoverleg",
            "run again with --series stuurgroep",
        ),
        "no items": (FIXTURES / "../import/acties-2024-04-08.txt", "stuurgroep", "run again with --series"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "binary",
        "image",
        "empty",
        "blank",
        "no date",
        "not utf-8",
        "pdf",
        "old word",
        "broken docx",
        "missing",
        "unknown series",
        "series of another title",
    ],
)
def test_bad_input_is_one_line_exit_1_and_nothing_written(
    case: str, tmp_path: Path, example: Path, runner: CliRunner
) -> None:
    path, series, message = _bad_files(tmp_path)[case]
    before = snapshot(example)
    result = run(runner, example, "import", path, "--series", series)
    assert result.exit_code == 1, result.output
    stderr = result.stderr
    assert stderr.startswith("idmeet: ") and stderr.count("\n") == 1, stderr
    assert message in stderr and "Traceback" not in result.output
    assert snapshot(example) == before


def test_a_bad_file_among_good_ones_writes_nothing(tmp_path: Path, example: Path, runner: CliRunner) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    before = snapshot(example)
    result = run(runner, example, "import", FIXTURES / "stuurgroep-2024-12-02.txt", empty, "--series", "stuurgroep")
    assert result.exit_code == 1 and snapshot(example) == before


def test_unknown_names_are_listed_and_nothing_is_written(tmp_path: Path, example: Path, runner: CliRunner) -> None:
    agenda = tmp_path / "agenda.txt"
    agenda.write_text(
        "Stuurgroep Inclusie en Diversiteit\nUitgenodigd: Jan de Vries, Peter, Pieter, 5.1, 2, e\n"
        "Datum: 30 september 2024\n\n1. Opening\n2. Rondvraag\n",
        encoding="utf-8",
    )
    before = snapshot(example)
    result = run(runner, example, "import", agenda, "--series", "stuurgroep")
    assert result.exit_code == 1
    stderr = result.stderr
    assert stderr.count("\n") == 1 and "'Jan de Vries'" in stderr and "'Pieter' (did you mean 'Peter'?)" in stderr
    assert "add them to 'people' in idmeet.yaml" in stderr
    assert snapshot(example) == before


def test_year_option_must_be_a_year(example: Path, runner: CliRunner) -> None:
    result = run(
        runner, example, "import", FIXTURES / "stuurgroep-2024-12-02.txt", "--series", "stuurgroep", "--year", "24"
    )
    assert result.exit_code == 1 and "is not a year" in result.stderr


# -- parts --------------------------------------------------------------------------------


def test_names_as_the_documents_write_them() -> None:
    book = NameBook(load(EXAMPLE)[0].config)
    names = parse_names("Peter Teesink, 5.1, 2, e 5.1, 2, e", book)
    assert [n.text for n in names.names] == ["Peter Teesink", "5.1, 2, e 5.1, 2, e"]
    names = parse_names("Peter, 5.1, 2, e (5.1, 2, e verslag)", book)
    assert [n.text for n in names.names] == ["Peter", "5.1, 2, e"] and names.minute_taker == "5.1, 2, e"
    names = parse_names("5.1, 2, e e Peter Teesink", book)
    assert [n.text for n in names.names] == ["5.1, 2, e e", "Peter Teesink"]
    names = parse_names("Peter Teesink (voorzitter), 5.1.2e en i.1, 2, e (BIA)", book)
    assert [(n.text, n.comment) for n in names.names] == [("Peter Teesink", ""), ("5.1.2e", ""), ("i.1, 2, e", "(BIA)")]
    assert names.chair == "Peter Teesink"
    assert all(is_redacted(n) for n in ("5.1, 2, e e", "i.1, 2, e", "5.1, 2, 5.1, 2, e"))


def test_import_document_is_a_pure_function_of_its_lines() -> None:
    config = load(EXAMPLE)[0].config
    lines = [
        "Voortgangsoverleg inclusie en diversiteit",
        "Datum: dinsdag 5 november",
        "",
        "1. Opening",
        "2. Actielijst",
        "",
        "- **Bila** @Peter plant een bila in.",
    ]
    result = import_document(lines, "voortgangsoverleg", config, today=dt.date(2024, 12, 15))
    assert result.meeting_path == "voortgangsoverleg/2024-11-05.md" and result.kind == "agenda"
    assert result.items == 2 and result.actions == [] and result.problems == []
    assert "- **Bila** @Peter plant een bila in." in result.meeting_text  # an agenda's @ stays text
    with pytest.raises(IdmeetError, match="has no year and no weekday"):
        import_document(["Datum: 5 november", "1. Opening"], "voortgangsoverleg", config, today=dt.date(2024, 1, 1))
    with pytest.raises(IdmeetError, match="is empty"):
        import_document(["", "  "], "voortgangsoverleg", config)
