"""``idmeet publish``: redaction in the model, withheld spans and attachments, inventory, proof."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.core.model import Repository
from idmeet.ops.publish import redact as redact_module
from idmeet.ops.publish.grounds import MARK_RE, canonical_ground, span_problems, withhold_spans
from idmeet.ops.publish.names import possible_names
from idmeet.ops.publish.publish import (
    Options,
    PublishRefused,
    _render_text,
    document_meeting,
    export_renderers,
    publish,
    select_meetings,
    verify_publication,
)
from idmeet.ops.publish.redact import EMAIL_RE, SOURCE_MARK_RE, fold, redact_repository
from idmeet.ops.publish.verify import file_texts, normalise, search
from idmeet.ops.validate import validate
from idmeet.store.load import load
from tests.woo_fixture import HIDDEN, PUBLIC, hidden_words, make_repository

MEETING = "overleg/2024-03-04"


def available_formats() -> tuple[str, ...]:
    """md and html always; pdf and docx once the renderers of ``idmeet export`` are there."""
    return ("md", "html") if export_renderers() is None else ("md", "html", "pdf", "docx")


@pytest.fixture
def woo(tmp_path: Path) -> Path:
    return make_repository(tmp_path / "repo")


def loaded(root: Path) -> tuple[Repository, list]:  # type: ignore[type-arg]
    return load(root)


def run_publish(root: Path, output: Path, formats: tuple[str, ...] = ("md", "html"), **kwargs: object) -> object:
    """Publish the test meeting; md and html unless ``formats`` (PDF costs a second a page)."""
    repo, problems = loaded(root)
    meetings = select_meetings(repo, [MEETING])
    return publish(repo, problems, meetings, Options(output, formats, **kwargs))  # type: ignore[arg-type]


def all_text(folder: Path) -> str:
    return "\n".join(text for p in sorted(folder.rglob("*")) if p.is_file() for _, text in file_texts(p))


def planted(text: str) -> int:
    """How many names, aliases, e-mail addresses and source marks stand in ``text`` (the test's
    own count, independent of the redactor: e-mail addresses first, then names)."""
    count = len(EMAIL_RE.findall(text)) + len(SOURCE_MARK_RE.findall(text))
    rest = SOURCE_MARK_RE.sub(" ", EMAIL_RE.sub(" ", text))
    names = sorted({fold(n) for name, (aliases, _) in HIDDEN.items() for n in (name, *aliases)}, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?:'s|s)?(?!\w)")
    return count + len(pattern.findall(fold(rest)))


# -- the whole publication -----------------------------------------------------------------


def test_publication_has_no_planted_name_and_keeps_the_public_official(woo: Path, tmp_path: Path) -> None:
    out = tmp_path / "pub"
    run_publish(woo, out, available_formats())
    assert {p.suffix for p in out.iterdir()} >= {f".{f}" for f in available_formats()}
    text = normalise(all_text(out))
    for word in hidden_words():
        assert normalise(word) not in text, word
    assert "wilhelmina oosterbeek" in text
    assert "wethouder wilhelmina oosterbeek" in text
    assert verify_publication(loaded(woo)[0], out) == []


def test_planted_names_in_yaml_comments_and_proposals_never_reach_the_output(woo: Path, tmp_path: Path) -> None:
    out = tmp_path / "pub"
    run_publish(woo, out)
    assert "voorstel van" not in normalise(all_text(out))  # the proposal is not a published document


@pytest.mark.parametrize("document", ["agenda", "minutes", "actions"])
def test_marks_equal_planted_occurrences(woo: Path, document: str) -> None:
    repo, _ = loaded(woo)
    redacted, _ = redact_repository(repo)
    meeting = repo.meetings[0]
    before = _render_text(repo, meeting, document, "md", None)
    after = _render_text(redacted, document_meeting(repo, redacted, meeting, document), document, "md", None)
    expected = planted(before)
    assert expected >= 3
    assert MARK_RE.findall(after).count("5.1.2e") == expected
    assert planted(after) == 0 or set(SOURCE_MARK_RE.findall(after)) <= {"5.1.2e"}


def test_every_field_kind_is_redacted_in_the_model(woo: Path) -> None:
    repo, _ = loaded(woo)
    redacted, counts = redact_repository(repo)
    meeting = redacted.meetings[0]
    item = meeting.items[0]
    action = redacted.actions[0]
    proposal = redacted.proposals[0]
    fields = [
        meeting.title,
        meeting.location,
        *meeting.invitees[:2],
        *meeting.attendees[:2],
        meeting.minute_taker,
        item.title,
        item.text,
        *(q.text for q in item.questions),
        *(a.title for a in item.attachments[:2]),
        item.notes,
        *(d.text for d in item.decisions),
        *(a.owner + a.text for a in item.actions),
        action.title,
        action.description,
        action.owners[0],
        *(e.text for e in action.log),
        proposal.title,
        proposal.by,
        proposal.text,
        *(s.minute_taker for s in redacted.config.series),
        *(n for s in redacted.config.series for n in s.invitees),
    ]
    for value in fields:
        assert value is not None
        assert "5.1.2e" in value, value
        for word in hidden_words():
            assert fold(word) not in fold(value), (word, value)
    assert meeting.invitees[2] == PUBLIC
    assert action.owners[1] == PUBLIC
    assert [p.name for p in redacted.config.people] == [PUBLIC]
    assert counts["5.2.1"] == 1


def test_confidential_attachments_are_withheld_and_the_inventory_says_so(woo: Path, tmp_path: Path) -> None:
    out = tmp_path / "pub"
    run_publish(woo, out)
    names = sorted(p.name for p in out.iterdir())
    assert "overleg-2024-03-04-bijlage-1.txt" in names
    assert not [n for n in names if "bijlage-2" in n or "bijlage-3" in n]
    agenda = (out / "overleg-2024-03-04-agenda.md").read_text("utf-8")
    assert "Bijlage 2: Brief aan 5.1.2e (niet openbaar, 5.1.2i)" in agenda
    assert "Bijlage 3: Advies grondexploitatie (niet openbaar, 5.1.2b)" in agenda
    rows = list(csv.DictReader(io.StringIO((out / "inventarislijst.csv").read_text("utf-8"))))
    assert list(rows[0]) == ["ID", "Document", "Datum", "Beoordeling", "Beoordelingsgrond", "Bestand"]
    by_doc = {r["Document"].split(" (bij")[0].split(" Overleg")[0]: r for r in rows}
    assert by_doc["Agenda"]["Beoordeling"] == "deels openbaar"
    assert by_doc["Agenda"]["Beoordelingsgrond"] == "5.1.2e; 5.2.1"
    assert by_doc["Verslag"]["Beoordelingsgrond"] == "5.1.2e"
    assert by_doc["Bijlage 1: Notitie van 5.1.2e"]["Beoordeling"] == "openbaar"
    assert by_doc["Bijlage 2: Brief aan 5.1.2e"]["Beoordeling"] == "niet openbaar"
    assert by_doc["Bijlage 2: Brief aan 5.1.2e"]["Beoordelingsgrond"] == "5.1.2i"
    assert by_doc["Bijlage 3: Advies grondexploitatie"]["Beoordelingsgrond"] == "5.1.2b"
    assert [r["ID"] for r in rows] == [str(n) for n in range(1, len(rows) + 1)]
    assert all(r["Datum"] == "2024-03-04" for r in rows)
    html = (out / "inventarislijst.html").read_text("utf-8")
    assert html.count("<tr>") == len(rows) + 1


def test_manifest_hashes_every_file_and_counts_per_ground(woo: Path, tmp_path: Path) -> None:
    import hashlib

    out = tmp_path / "pub"
    run_publish(woo, out)
    data = json.loads((out / "manifest.json").read_text("utf-8"))
    files = {p.name for p in out.iterdir()} - {"manifest.json"}
    assert set(data["sha256"]) == files
    for name, digest in data["sha256"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    total: Counter[str] = Counter()
    for doc in data["documents"]:
        total.update(doc["grounds"])
    assert data["redactions"] == dict(total)
    assert data["organisation"] == "Gemeente Voorbeeld"


def test_same_input_gives_byte_identical_output(woo: Path, tmp_path: Path) -> None:
    run_publish(woo, tmp_path / "a")
    run_publish(woo, tmp_path / "b")
    a = {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()}
    b = {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()}
    assert a == b


# -- the leak test fails when the redactor is weakened --------------------------------------


WEAKENED = [(field, "html") for field in ("notes", "title", "text", "owners", "attendees", "questions")] + [
    ("notes", fmt) for fmt in available_formats() if fmt != "html"
]


@pytest.mark.parametrize(("skipped", "fmt"), WEAKENED)
def test_a_weakened_redactor_is_caught_and_nothing_is_left(
    woo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, skipped: str, fmt: str
) -> None:
    real = redact_module.record_fields
    monkeypatch.setattr(redact_module, "record_fields", lambda r: tuple(f for f in real(r) if f.name != skipped))
    out = tmp_path / "pub"
    with pytest.raises(PublishRefused) as refused:
        run_publish(woo, out, (fmt,))
    assert refused.value.lines and all("non-public name" in line for line in refused.value.lines)
    assert not out.exists()
    assert not list(tmp_path.glob(".pub*"))


# -- refusals -------------------------------------------------------------------------------


def test_minutes_not_approved_are_refused_unless_draft(woo: Path, tmp_path: Path) -> None:
    path = woo / "overleg/2024-03-04.md"
    path.write_text(path.read_text("utf-8").replace("status: approved", "status: held"), "utf-8")
    with pytest.raises(PublishRefused) as refused:
        run_publish(woo, tmp_path / "pub")
    assert "overleg/2024-03-04.md:" in refused.value.lines[0] and "not approved" in refused.value.lines[0]
    run_publish(woo, tmp_path / "pub", draft=True)
    verslag = (tmp_path / "pub/overleg-2024-03-04-verslag-concept.md").read_text("utf-8")
    assert verslag.startswith("**CONCEPT**")
    assert "CONCEPT" not in (tmp_path / "pub/overleg-2024-03-04-agenda.md").read_text("utf-8")
    inventory = (tmp_path / "pub/inventarislijst.csv").read_text("utf-8")
    assert "Verslag Overleg Voorbeeld met 5.1.2e 4 maart 2024 (concept)" in inventory


def test_errors_of_check_refuse(woo: Path, tmp_path: Path) -> None:
    path = woo / "overleg/2024-03-04.md"
    path.write_text(path.read_text("utf-8").replace("{/lak}", ""), "utf-8")
    with pytest.raises(PublishRefused) as refused:
        run_publish(woo, tmp_path / "pub")
    assert any("'{lak ...}' not closed" in line for line in refused.value.lines)
    assert not (tmp_path / "pub").exists()


def test_unknown_names_are_flagged_with_path_and_line(woo: Path, tmp_path: Path) -> None:
    path = woo / "overleg/2024-03-04.md"
    text = path.read_text("utf-8").replace("Geen.", "Geen. Er is gesproken met Kees Vlinderman van de wijkraad.")
    path.write_text(text, "utf-8")
    repo, _ = loaded(woo)
    line = text.splitlines().index(next(x for x in text.splitlines() if "Vlinderman" in x)) + 1
    found = [d.format() for d in possible_names(repo, ["overleg/2024-03-04.md"])]
    assert found == [f'overleg/2024-03-04.md:{line}: possible name "Kees Vlinderman"']
    with pytest.raises(PublishRefused):
        run_publish(woo, tmp_path / "pub")
    result = run_publish(woo, tmp_path / "pub", allow_unreviewed=True)
    assert [d.format() for d in result.unreviewed] == found  # type: ignore[attr-defined]


def test_public_office_months_and_sentence_starts_are_not_flagged(woo: Path) -> None:
    path = woo / "overleg/2024-03-04.md"
    extra = "Geen. Op 3 Maart sprak wethouder Van Buren met burgemeester Jan de Wit. Daarna niets."
    path.write_text(path.read_text("utf-8").replace("Geen.", extra), "utf-8")
    repo, _ = loaded(woo)
    assert possible_names(repo, ["overleg/2024-03-04.md"]) == []


def test_the_example_repository_has_no_unreviewed_name() -> None:
    from tests.conftest import EXAMPLE

    repo, _ = load(EXAMPLE)
    paths = [m.source.path for m in repo.meetings] + [a.source.path for a in repo.actions]
    assert possible_names(repo, paths) == []


# -- grounds and spans ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("5.1.2e", "5.1.2e"),
        ("5.1, 2, e", "5.1.2e"),
        ("5.1 lid 2 sub i", "5.1.2i"),
        ("5.2", "5.2.1"),
        ("5.1.5", "5.1.5"),
    ],
)
def test_grounds_are_read_in_their_usual_forms(written: str, canonical: str) -> None:
    assert canonical_ground(written) == canonical


@pytest.mark.parametrize("written", ["5.1.2z", "5.3", "6.1.2e", "privacy", ""])
def test_unknown_grounds_are_not_grounds(written: str) -> None:
    assert canonical_ground(written) is None


def test_spans_are_withheld_with_their_ground() -> None:
    counts: Counter[str] = Counter()
    text = "A {lak 5.2}geheim plan{/lak} en {LAK 5.1.2b}bedrag{/lak}."
    assert withhold_spans(text, counts) == "A 5.2.1 en 5.1.2b."
    assert counts == Counter({"5.2.1": 1, "5.1.2b": 1})


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a {lak 5.2}b", "not closed"),
        ("a {/lak} b", "without a '{lak GROUND}'"),
        ("a {lak 9.9}b{/lak}", "unknown Woo ground '9.9'"),
        ("a {lak}b{/lak}", "without a ground"),
        ("{lak 5.2}a {lak 5.2}b{/lak}", "not closed before the next"),
    ],
)
def test_broken_spans_are_problems(text: str, fragment: str) -> None:
    assert any(fragment in p.message for p in span_problems(text))


def test_check_reports_broken_spans_and_unknown_attachment_grounds(woo: Path, runner: CliRunner) -> None:
    path = woo / "overleg/2024-03-04.md"
    text = path.read_text("utf-8").replace("{/lak}", "").replace("(vertrouwelijk, 5.1.2b)", "(vertrouwelijk, 5.9)")
    path.write_text(text, "utf-8")
    repo, _ = loaded(woo)
    messages = [p.format() for p in validate(repo)]
    assert any("not closed" in m and m.startswith("overleg/2024-03-04.md:") for m in messages), messages
    assert any("unknown Woo ground '5.9'" in m for m in messages), messages
    result = runner.invoke(app, ["--repo", str(woo), "check"])
    assert result.exit_code == 1
    assert "not closed" in result.stdout + result.stderr


# -- the proof (verify) on every kind of file ------------------------------------------------


def _pdf(text: str, author: str) -> bytes:
    """A minimal one-page PDF with ``text`` on the page and ``author`` in its metadata."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Author ({author}) >>".encode(),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_verify_reads_pdf_text_and_metadata(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(_pdf("Gesprek met de wethouder", "Zorba Quintelier"))
    texts = dict(file_texts(tmp_path / "a.pdf"))
    assert search(texts["metadata"], ["Zorba Quintelier"]) == ["Zorba Quintelier"]
    assert search(texts["page 1"], ["Zorba Quintelier"]) == []
    (tmp_path / "b.pdf").write_bytes(_pdf("Gesprek met Zorba", "Gemeente Voorbeeld"))
    texts = dict(file_texts(tmp_path / "b.pdf"))
    assert "Zorba" in texts["page 1"] and "Zorba" not in texts["metadata"]


def test_verify_reads_every_xml_part_of_a_docx_even_split_runs(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph("Met ")
    paragraph.add_run("Quinte")
    paragraph.add_run("lier")
    document.core_properties.author = "Gemeente Voorbeeld"
    document.save(str(tmp_path / "a.docx"))
    texts = list(file_texts(tmp_path / "a.docx"))
    assert search("\n".join(t for _, t in texts), ["Quintelier"]) == ["Quintelier"]
    with zipfile.ZipFile(tmp_path / "a.docx") as archive:
        assert {w for w, _ in texts} >= {n for n in archive.namelist() if n.endswith(".xml")}
    document.core_properties.author = "Élodie Vranckx"
    document.save(str(tmp_path / "b.docx"))
    assert search("\n".join(t for _, t in file_texts(tmp_path / "b.docx")), ["Elodie Vranckx"]) == ["Elodie Vranckx"]


def test_verify_reads_html_attributes_titles_and_entities(tmp_path: Path) -> None:
    page = '<html><head><title>X</title></head><body><img alt="Z&#246;rba"><a title="ZORBA">x</a></body></html>'
    (tmp_path / "a.html").write_text(page, "utf-8")
    assert search("\n".join(t for _, t in file_texts(tmp_path / "a.html")), ["Zorba"]) == ["Zorba"]


@pytest.mark.parametrize(
    "text",
    ["Zor-\nba Quintelier", "ZORBA  QUINTELIER", "zórba\u00adquintelier", "Zorba\nQuintelier", "e.VRANCKX@example.org"],
)
def test_normalised_search_finds_hyphenated_accented_and_spaced_names(text: str) -> None:
    assert search(text, ["Zorba Quintelier"], allowed_emails=["none@example.org"])


def test_public_name_containing_a_hidden_alias_is_no_hit() -> None:
    assert search("Peter Teesink", ["Peter"], public=["Peter Teesink"]) == []
    assert search("Peter Teesink en Peter", ["Peter"], public=["Peter Teesink"]) == ["Peter"]


# -- the command line -----------------------------------------------------------------------


def test_cli_publish_and_verify(woo: Path, tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "pub"
    result = runner.invoke(app, ["--repo", str(woo), "publish", MEETING, "--output", str(out), "--format", "md,html"])
    assert result.exit_code == 0, result.stderr
    assert "no non-public name found" in result.stdout
    result = runner.invoke(app, ["--repo", str(woo), "publish", "--verify", str(out)])
    assert result.exit_code == 0, result.stderr
    (out / "extra.txt").write_text("Groeten van Barto", "utf-8")
    result = runner.invoke(app, ["--repo", str(woo), "publish", "--verify", str(out)])
    assert result.exit_code == 1
    assert f'{out}/extra.txt: text: non-public name "Barto"' in result.stderr


def test_cli_refuses_an_existing_folder_and_unknown_format(woo: Path, tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "pub"
    out.mkdir()
    (out / "x").write_text("x", "utf-8")
    result = runner.invoke(app, ["--repo", str(woo), "publish", MEETING, "--output", str(out)])
    assert result.exit_code == 1 and "exists and is not empty" in result.stderr
    result = runner.invoke(app, ["--repo", str(woo), "publish", MEETING, "-O", str(tmp_path / "n"), "-f", "rtf"])
    assert result.exit_code == 2 and "unknown format" in result.stderr
    result = runner.invoke(app, ["--repo", str(woo), "publish"])
    assert result.exit_code == 2 and "name the meetings" in result.stderr


def test_cli_series_and_dates_select_meetings(woo: Path, tmp_path: Path, runner: CliRunner) -> None:
    args = ["--repo", str(woo), "publish", "--series", "overleg", "--since", "2024-03-05", "-O", str(tmp_path / "p")]
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and "no meeting matches" in result.stderr
    args[-4:-2] = ["--until", "2024-03-04"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "p/overleg-2024-03-04-agenda.html").is_file()


def test_publish_the_example_repository(tmp_path: Path, runner: CliRunner) -> None:
    from tests.conftest import EXAMPLE

    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo, ignore=shutil.ignore_patterns(".idmeet-cache"))
    out = tmp_path / "pub"
    result = runner.invoke(app, ["--repo", str(repo), "publish", "--since", "2024-01-01", "--draft", "-O", str(out)])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO((out / "inventarislijst.csv").read_text("utf-8"))))
    confidential = [r for r in rows if r["Beoordeling"] == "niet openbaar"]
    assert [r["Beoordelingsgrond"] for r in confidential] == ["5.1.2i", "5.1.2i"]
    agenda = (out / "stuurgroep-2024-06-17-agenda.html").read_text("utf-8")
    assert "Peter Teesink" in agenda and "5, 2" not in agenda and "5.1, 2" not in agenda


@pytest.mark.parametrize("document", ["agenda", "minutes", "actions"])
def test_example_documents_keep_every_redacted_person_and_add_none(document: str) -> None:
    """Every mark of the example's source stands once in its publication: nobody is merged
    away (the minute-taker) and nobody is added."""
    from tests.conftest import EXAMPLE

    repo, _ = load(EXAMPLE)
    redacted, _ = redact_repository(repo)
    for meeting in repo.meetings:
        before = _render_text(repo, meeting, document, "md", None)
        after = _render_text(redacted, document_meeting(repo, redacted, meeting, document), document, "md", None)
        assert MARK_RE.findall(after).count("5.1.2e") == len(SOURCE_MARK_RE.findall(before)), meeting.key


def test_a_name_in_a_series_key_does_not_reach_a_file_name(tmp_path: Path) -> None:
    root = make_repository(tmp_path / "repo")
    config = (root / "idmeet.yaml").read_text("utf-8").replace("  overleg:", "  bila-zorba:")
    (root / "idmeet.yaml").write_text(config, "utf-8")
    (root / "overleg").rename(root / "bila-zorba")
    meeting = (root / "bila-zorba/2024-03-04.md").read_text("utf-8").replace("series: overleg", "series: bila-zorba")
    (root / "bila-zorba/2024-03-04.md").write_text(meeting, "utf-8")
    action = (root / "actions/a1b2c3d4.md").read_text("utf-8").replace("overleg", "bila-zorba")
    (root / "actions/a1b2c3d4.md").write_text(action, "utf-8")
    (root / "proposals/p9q8r7s6.md").unlink()
    repo, problems = load(root)
    assert [p for p in problems if p.severity == "error"] == []
    out = tmp_path / "pub"
    publish(repo, problems, select_meetings(repo, ["bila-zorba/2024-03-04"]), Options(out, ("md",)))
    names = sorted(p.name for p in out.iterdir())
    assert "bila-5.1.2e-2024-03-04-agenda.md" in names
    assert not [n for n in names if "zorba" in n.casefold()]
