"""The documents people receive, compared line by line with the bureau's own (the seeds).

Rendering the example meetings must give the structure and wording of seed 000 (steering
group agenda, 17 June 2024) and seed 001 (progress meeting agenda, 6 March 2024). Both are
compared after the same normalisation: blank lines, heading marks and bold markers dropped
(the seeds are plain-text exports of Word files whose headings are bold paragraphs). Every
remaining difference must be one of the differences listed here, each with its reason.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.ops.render import markdown_to_html
from idmeet.ops.reports import agenda_document
from idmeet.store.load import load

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
STEERING_SEED = SEEDS / "000_b00e579dd8648eb1.txt"
PROGRESS_SEED = SEEDS / "001_aab583dc2ac8e325.txt"


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDMEET_TODAY", "2024-03-10")
    monkeypatch.delenv("IDMEET_REPO", raising=False)


def ok(runner: CliRunner, repo: Path, *args: str) -> str:
    result = runner.invoke(app, ["--repo", str(repo), *args])
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


def normalized(text: str) -> list[str]:
    """Non-blank lines without heading marks and bold markers, stripped."""
    out = []
    for line in text.splitlines():
        line = re.sub(r"^#+\s*", "", line.strip()).replace("**", "")
        if line:
            out.append(line)
    return out


def differences(seed: list[str], ours: list[str]) -> list[tuple[list[str], list[str]]]:
    matcher = difflib.SequenceMatcher(a=seed, b=ours, autojunk=False)
    return [(seed[i1:i2], ours[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


# -- the explained differences --------------------------------------------------------------


def wrapped(seed: list[str], ours: list[str]) -> bool:
    """The Word export broke one paragraph over several lines (at a page or line end), once
    with the rest of the sentence in italics; idmeet writes the paragraph as one line."""
    return len(ours) == 1 and len(seed) > 1 and " ".join(s.strip("*") for s in seed) == ours[0]


def word_bullet(seed: list[str], ours: list[str]) -> bool:
    """Word's second-level bullet glyph "o" was exported as text ("- o ..."); idmeet writes a
    nested Markdown list, whose normalised lines lose the glyph."""
    return (
        len(seed) == len(ours)
        and all(s == o or s.replace("- o ", "- ", 1) == o for s, o in zip(seed, ours))
        and any(s.startswith("- o ") for s in seed)
    )


def invitees_over_lines(seed: list[str], ours: list[str]) -> bool:
    """The seed's "Uitgenodigd:" runs over three lines (one per row of names in Word) and ends
    with a full stop; idmeet writes the invitees as one comma-separated line."""
    return (
        len(ours) == 1
        and ours[0].startswith("Uitgenodigd: ")
        and seed[0].startswith("Uitgenodigd: ")
        and seed[-1].endswith("(verslag).")
        and ours[0].endswith("(verslag)")
        and all(part in ours[0] for part in seed[1:-1])
    )


def heading_colon(seed: list[str], ours: list[str]) -> bool:
    """The seed writes the questions heading once with a colon, once without; idmeet writes
    the series' questions_heading the same way for every item."""
    return seed == ["Vragen aan de stuurgroep:"] and ours == ["Vragen aan de stuurgroep"]


def agenda_rule(seed: list[str], ours: list[str]) -> bool:
    """The horizontal line Word draws under "Agenda" in the progress meeting's agendas;
    idmeet's headings already set the agenda apart."""
    return seed == ["---"] and ours == []


Explanation = Callable[[list[str], list[str]], bool]

EXPECTED: dict[Path, list[tuple[Explanation, int]]] = {
    STEERING_SEED: [(invitees_over_lines, 1), (word_bullet, 2), (heading_colon, 1), (wrapped, 1)],
    PROGRESS_SEED: [(agenda_rule, 1), (wrapped, 4)],
}


@pytest.mark.parametrize(
    ("seed", "meeting"), [(STEERING_SEED, "stuurgroep/2024-06-17"), (PROGRESS_SEED, "voortgangsoverleg/2024-03-06")]
)
def test_rendered_agenda_is_the_seed_line_by_line(runner: CliRunner, example: Path, seed: Path, meeting: str) -> None:
    ours = ok(runner, example, "render", meeting)
    found = differences(normalized(seed.read_text(encoding="utf-8")), normalized(ours))
    counts: dict[str, int] = {}
    for before, after in found:
        reason = next((f for f, _ in EXPECTED[seed] if f(before, after)), None)
        assert reason is not None, f"unexplained difference:\n  seed: {before}\n  ours: {after}"
        counts[reason.__name__] = counts.get(reason.__name__, 0) + 1
    assert counts == {f.__name__: n for f, n in EXPECTED[seed]}


def test_progress_meeting_header_and_sections(runner: CliRunner, example: Path) -> None:
    lines = ok(runner, example, "render", "voortgangsoverleg/2024-03-06").splitlines()
    assert lines[:8] == [
        "# Voortgangsoverleg inclusie en diversiteit",
        "",
        "Datum: 6 maart, 10.30 - 11.45 uur",
        "",
        "Aanwezig: Peter, 5.1, 2, e (5.1, 2, e verslag)",
        "",
        "Locatie: Kamer 2C4/MS teams",
        "",
    ]
    headings = [line for line in lines if line.startswith("#")]
    assert headings[:5] == [
        "# Voortgangsoverleg inclusie en diversiteit",
        "## Agenda",
        "### Voortgangsoverleg (ca. 45 minuten)",
        "#### 1. Mededelingen/actualiteiten",
        "### Ter bespreking",
    ]
    # questions to the director as italic lines, attachments as italic lines
    assert "*Ter bespreking:*" in lines and "*Wij vragen je om:*" in lines
    assert any(line.startswith("*We gaan graag met je in gesprek") and line.endswith("*") for line in lines)
    assert "*Bijlage 1: openstaande acties 05-02*" in lines


def test_steering_group_questions_as_a_list_under_their_heading(runner: CliRunner, example: Path) -> None:
    lines = ok(runner, example, "render", "stuurgroep/2024-06-17").splitlines()
    at = lines.index("#### Vragen aan de stuurgroep")
    assert lines[at + 2].startswith("- Sluit het voorstel voor de invulling")
    assert "Bijlage 2: GEHEIM_Gebundelde reflecties stuurgroep Verwey Jonker" in lines  # as written
    assert "#### Bespreekpunt" in lines
    assert lines[lines.index("#### Bespreekpunt") + 2].startswith("De vraag is hoe")  # a paragraph, as written


def _set_style(repo: Path, series_line: str, style: str) -> None:
    config = repo / "idmeet.yaml"
    text = config.read_text(encoding="utf-8")
    assert series_line in text
    config.write_text(text.replace(series_line, series_line + style, 1), encoding="utf-8")


def test_style_is_read_from_idmeet_yaml(runner: CliRunner, example: Path) -> None:
    _set_style(
        example,
        "    questions_heading: Vragen aan de stuurgroep   # heading of the questions on its agendas\n",
        "    style:\n      header: [location, date, present]\n      names: alias\n"
        "      wording:\n        present: Deelnemers\n",
    )
    lines = [line for line in ok(runner, example, "render", "stuurgroep/2024-06-17").splitlines() if line][:4]
    assert lines[1:] == [
        "Locatie: 2.C.4",
        "Datum: 17 juni, 16.00 - 17.00 uur",
        "Deelnemers: Peter, 5.1, 2, e 5.1, 2, e, 5.1, 2, e 5.1, 2, e, 5.1, 2, e (verslag)",
    ]


def test_bad_style_is_reported_with_its_line(runner: CliRunner, example: Path) -> None:
    _set_style(
        example,
        "    questions_heading: Vragen aan de stuurgroep   # heading of the questions on its agendas\n",
        "    style:\n      header: [datum, location]\n      questions: schuin\n",
    )
    result = runner.invoke(app, ["--repo", str(example), "check"])
    assert result.exit_code == 1
    text = result.stdout + result.stderr
    assert "idmeet.yaml:" in text and "unknown header line 'datum'" in text
    assert "'questions' must be one of list, italic, not 'schuin'" in text


def test_category_headings_in_meeting_order(example: Path) -> None:
    meeting = example / "stuurgroep" / "2024-06-17.md"
    text = meeting.read_text(encoding="utf-8")
    text = text.replace("## 1. Leersessie stuurgroep\n", "## 1. Leersessie stuurgroep\n\nCategorie: ter kennisname\n")
    text = text.replace("## 2. Verwey Jonker\n", "## 2. Verwey Jonker\n\nCategorie: ter bespreking\n")
    text = text.replace("## 3. Verandersessie 29 mei\n", "## 3. Verandersessie 29 mei\n\nCategorie: ter bespreking\n")
    meeting.write_text(text, encoding="utf-8")
    repo, _ = load(example)
    doc = agenda_document(repo, repo.get_meeting("stuurgroep/2024-06-17"))  # type: ignore[arg-type]
    assert [(i["number"], i["heading"]) for i in doc["items"]] == [
        ("1", "Ter kennisname"),
        ("2", "Ter bespreking"),
        ("3", None),
        ("4", None),
    ]
    assert doc["level"] == "####"


def test_html_keeps_inline_formatting_and_escapes_the_rest(runner: CliRunner, example: Path) -> None:
    meeting = example / "stuurgroep" / "2024-06-17.md"
    text = meeting.read_text(encoding="utf-8").replace(
        "Er zijn drie sessies",
        "Op de 2<sup>e</sup> verdieping <script>x()</script> <!-- notitie --> Er zijn drie sessies",
    )
    meeting.write_text(text, encoding="utf-8")
    html = ok(runner, example, "render", "stuurgroep/2024-06-17", "--format", "html")
    assert "2<sup>e</sup> verdieping" in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html and "<script" not in html
    assert "notitie" not in html and "notitie" not in ok(runner, example, "render", "stuurgroep/2024-06-17")
    assert "<h4>Vragen aan de stuurgroep</h4>" in html


def test_markdown_to_html_drops_comments_and_escapes_blocks() -> None:
    html = markdown_to_html("- **Actie** <!-- nm8qxrv2 -->\n\n<div onclick=x>blok</div>\n\nH<sub>2</sub>O\n")
    assert "nm8qxrv2" not in html
    assert "&lt;div onclick=x&gt;blok&lt;/div&gt;" in html
    assert "H<sub>2</sub>O" in html


# -- "Acties & afspraken" of 5 February 2024 (seed 004) ---------------------------------------

ACTIONS_SEED = SEEDS / "004_a68409932629671f.txt"


def _memo_header(lines: list[str]) -> list[str]:
    """The seed's header is a Word memo table: "Aan" and "Van" are cells beside their names,
    and "Pagina 1 van 2" is the page footer; idmeet writes "Aan: ..." and "Van: ..." lines
    (the page number belongs to Word and PDF: idmeet export)."""
    at = lines.index("Aan")
    assert lines[at + 3] == "Pagina 1 van 2"
    to = lines[at + 1].replace("e Peter", "e, Peter")
    sender = lines[at + 2].replace("Van 5.1, 2, e Bureau", "Van: 5.1, 2, e, Bureau")
    return [*lines[:at], f"Aan: {to}", sender, *lines[at + 4 :]]


def _memo_title(lines: list[str]) -> list[str]:
    """The memo calls the meeting "Voortgangsoverleg Inclusie & Diversiteit"; idmeet uses the
    series' title, which is how the agendas of the series (seed 001) write it."""
    return [
        line.replace("Voortgangsoverleg Inclusie & Diversiteit", "Voortgangsoverleg inclusie en diversiteit")
        for line in lines
    ]


def _page_break(lines: list[str]) -> list[str]:
    """The export broke one bullet at the page end ("... door te minimale" / "organisatie.")."""
    at = next(n for n, line in enumerate(lines) if line.endswith("met name door te minimale"))
    return [*lines[:at], lines[at] + " " + lines[at + 1], *lines[at + 2 :]]


def _topic_full_stop(lines: list[str]) -> list[str]:
    """The seed's bold topic "Positionering Bureau in samenwerking P&O." ends with a full stop;
    idmeet's topic is the item's title, without it."""
    return [line.replace("samenwerking P&O. Bij", "samenwerking P&O Bij") for line in lines]


def _garbled_owner(lines: list[str]) -> list[str]:
    """Twice the redaction swallowed part of the owners: "@Pete 5.1, 2, e enken" was "@Peter en
    <name> denken"; the example repository records the redacted owner, "@5.1, 2, e"."""
    return [line.replace("@Pete 5.1, 2, e ", "@5.1, 2, e ") for line in lines]


ACTIONS_DIFFERENCES = [_memo_header, _memo_title, _page_break, _topic_full_stop, _garbled_owner]


def test_acties_en_afspraken_is_seed_004(runner: CliRunner, example: Path) -> None:
    ours = normalized(ok(runner, example, "report", "actions", "voortgangsoverleg/2024-02-05"))
    seed = normalized(ACTIONS_SEED.read_text(encoding="utf-8"))
    assert seed != ours
    for explained in ACTIONS_DIFFERENCES:
        changed = explained(seed)
        assert changed != seed, f"{explained.__name__} no longer applies: drop it"
        seed = changed
    assert ours == seed, "\n".join(f"{a!r}\n{b!r}" for a, b in differences(seed, ours))


def test_acties_en_afspraken_bullets(runner: CliRunner, example: Path) -> None:
    out = ok(runner, example, "report", "actions", "voortgangsoverleg/2024-02-05")
    bullets = [line for line in out.splitlines() if line.startswith("- ")]
    assert len(bullets) == 14  # one per item with minutes
    # an agreement without an action is there; the title the minutes repeat is not doubled
    assert "- **Terugblik GMT-special** niet besproken, over doorpraten in aparte afspraak." in bullets
    assert bullets[1].startswith("- **Sociale veiligheid** staat al een tijdje in de wachtstand")
    # action first where the minutes write it first; minutes and actions interleaved
    assert bullets[0].startswith("- **Prestatieafspraken GMT** @Peter laat bila")
    eleven = bullets[10]
    assert eleven.index("cold turkey") < eleven.index("@5.1, 2, e zorgt") < eleven.index("Wat betreft")
    assert eleven.index("Wat betreft") < eleven.index("@5.1, 2, e we komen")
    assert all(re.match(r"^- \*\*[^*]+\*\* \S", b) for b in bullets)
    assert "<!--" not in out and "nm8qxrv2" not in out


def test_acties_en_afspraken_never_an_empty_bullet(runner: CliRunner, example: Path) -> None:
    # an action of the meeting with no line in the minutes and no description
    (example / "actions" / "t1tl0nly.md").write_text(
        "---\nid: t1tl0nly\ntitle: Jaarplan agenderen\nowner: Peter\nstatus: open\nopened: 2024-02-05\n"
        "meeting: voortgangsoverleg/2024-02-05\nseries: voortgangsoverleg\n---\n",
        encoding="utf-8",
    )
    (example / "actions" / "d3scr1pt.md").write_text(
        "---\nid: d3scr1pt\ntitle: Inzet\nowner: Peter\nstatus: open\nopened: 2024-02-05\n"
        "meeting: voortgangsoverleg/2024-02-05\nitem: 13\nseries: voortgangsoverleg\n---\n\nbelt P&O.\n",
        encoding="utf-8",
    )
    out = ok(runner, example, "report", "actions", "voortgangsoverleg/2024-02-05")
    bullets = [line for line in out.splitlines() if line.startswith("- ")]
    assert bullets[-1] == "- **Jaarplan agenderen** @Peter"
    inzet = next(b for b in bullets if b.startswith("- **Inzet**"))
    assert inzet.endswith("om verhoudingen te bespreken. @Peter belt P&O.")
    assert all(not b.rstrip().endswith("**") for b in bullets)


# -- the Actielijst of a new agenda, as sent -----------------------------------------------------


def test_actielijst_of_a_new_agenda_as_sent(runner: CliRunner, example: Path) -> None:
    ok(runner, example, "new-agenda", "voortgangsoverleg")
    written = (example / "voortgangsoverleg" / "2024-04-08.md").read_text(encoding="utf-8")
    assert "- **Prestatieafspraken GMT** <!-- nm8qxrv2 -->" in written  # ids stay for idmeet
    sent = ok(runner, example, "render", "voortgangsoverleg/2024-04-08")
    action_list = sent.split("#### 2. Actielijst\n")[1].split("\n#### 3.")[0]
    assert action_list.startswith("\n*Bijlage 1: openstaande acties 06-03*\n")
    assert "- **Prestatieafspraken GMT**\n\n  Peter laat bila voor (over)morgen plannen" in action_list
    assert "Deadline 7 februari (te laat)." in action_list
    assert "Laatste stand (6 maart): Komt hierop terug." in action_list
    assert "<!--" not in sent and "nm8qxrv2" not in sent
    assert not re.search(r"\d{4}-\d{2}-\d{2}", sent) and "voortgangsoverleg/" not in sent
    assert "@" not in action_list  # owners as the series shows names, not as @handles


def test_actielijst_inline_without_attachment_line(runner: CliRunner, example: Path) -> None:
    # the steering group's style keeps the action list in the agenda: no Bijlage line
    (example / "actions" / "sgact001.md").write_text(
        "---\nid: sgact001\ntitle: Leersessies plannen\nowner: Peter\nstatus: open\nopened: 2024-06-17\n"
        "due: 2024-07-01\nmeeting: stuurgroep/2024-06-17\nitem: 1\nseries: stuurgroep\n---\n\n"
        "plant de drie leersessies in.\n",
        encoding="utf-8",
    )
    text = ok(runner, example, "new-agenda", "stuurgroep", "--dry-run")
    assert "openstaande acties" not in text
    assert "  Peter Teesink plant de drie leersessies in. Deadline 1 juli (te laat).\n" in text
