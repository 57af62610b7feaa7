"""idmeet export: the documents as Markdown, HTML, Word and PDF (ops/export), read back."""

from __future__ import annotations

import builtins
import getpass
import io
import re
import socket
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.core.model import Meeting, Repository
from idmeet.ops.export import documents
from idmeet.ops.export.docx import markdown_to_docx, reference_docx
from idmeet.ops.render import package_templates
from idmeet.store.load import load
from tests.conftest import EXAMPLE

docx = pytest.importorskip("docx")  # a dependency of idmeet: always there
pypdf = pytest.importorskip("pypdf")  # a test dependency: always there


@pytest.fixture(scope="module")
def repo() -> Repository:
    loaded, problems = load(EXAMPLE)
    assert not [p for p in problems if p.severity == "error"]
    return loaded


def meeting(repo: Repository, key: str) -> Meeting:
    found = repo.get_meeting(key)
    assert found is not None
    return found


@pytest.fixture(scope="module")
def agenda_docx(repo: Repository) -> bytes:
    return documents.render_document(repo, meeting(repo, "voortgangsoverleg/2024-03-06"), "agenda", "docx")


@pytest.fixture(scope="module")
def agenda_pdf(repo: Repository) -> bytes:
    return documents.render_document(repo, meeting(repo, "stuurgroep/2024-06-17"), "agenda", "pdf")


def word(data: bytes) -> Any:
    return docx.Document(io.BytesIO(data))


def entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# -- Markdown and HTML ------------------------------------------------------------------


def test_markdown_is_what_render_prints(runner: CliRunner, repo: Repository) -> None:
    rendered = runner.invoke(app, ["--repo", str(EXAMPLE), "render", "stuurgroep/2024-06-17"])
    assert rendered.exit_code == 0, rendered.stderr
    exported = documents.render_document(repo, meeting(repo, "stuurgroep/2024-06-17"), "agenda", "md")
    assert exported.decode() == rendered.stdout


def test_html_has_the_print_stylesheet_and_the_watermark(repo: Repository) -> None:
    page = documents.render_document(
        repo, meeting(repo, "voortgangsoverleg/2024-02-05"), "actions", "html", watermark="CONCEPT"
    ).decode()
    assert "size: A4" in page and 'counter(page) " van " counter(pages)' in page
    assert '"Bureau Inclusie en Diversiteit"' in page  # the header of every printed page
    assert re.search(r"<body>\n<div class=\"idmeet-watermark\"[^>]*>CONCEPT</div>", page)
    assert page.index('<style media="print">') < page.index("</head>")


def test_markdown_watermark_leads(repo: Repository) -> None:
    text = documents.render_document(repo, meeting(repo, "stuurgroep/2024-06-17"), "agenda", "md", watermark="CONCEPT")
    assert text.decode().startswith("**CONCEPT**\n\n# Stuurgroep")


def test_unknown_document_and_format(repo: Repository) -> None:
    from idmeet.core.diagnostics import IdmeetError

    with pytest.raises(IdmeetError, match="unknown document 'notulen'"):
        documents.render_document(repo, meeting(repo, "stuurgroep/2024-06-17"), "notulen", "md")
    with pytest.raises(IdmeetError, match="unknown format 'odt'"):
        documents.render_document(repo, meeting(repo, "stuurgroep/2024-06-17"), "agenda", "odt")


def test_titles_and_file_names(repo: Repository) -> None:
    m = meeting(repo, "voortgangsoverleg/2024-02-05")
    assert documents.document_title(repo, m, "actions") == (
        "Acties en afspraken Voortgangsoverleg inclusie en diversiteit 5 februari 2024"
    )
    assert documents.file_name('Agenda a/b: "c"', "pdf") == "Agenda a b c.pdf"


# -- Word -------------------------------------------------------------------------------


def test_docx_has_word_structure(agenda_docx: bytes) -> None:
    doc = word(agenda_docx)
    styled = [(p.style.name, p.text) for p in doc.paragraphs if p.text.strip()]
    assert styled[0] == ("Heading 1", "Voortgangsoverleg inclusie en diversiteit")
    headings = [text for style, text in styled if style.startswith("Heading")]
    assert "Agenda" in headings
    assert any(re.match(r"\d+\. Actielijst", h) for h in headings)
    assert any(re.match(r"\d+\. Bureauplan \(concept\)", h) for h in headings)
    # A paragraph, not a line of Markdown: no markers left anywhere.
    assert not any(text.startswith(("#", "- ", "* ")) or "**" in text for _, text in styled)
    bullets = [text for style, text in styled if style.startswith("List Bullet")]
    assert bullets, "the bullet lists became Word lists"


MARKDOWN = """# Titel

Een *schuine* en **vette** tekst,
over twee regels.

1. eerste
2. tweede
   - daaronder
     - nog dieper

   met een tweede alinea

Tussendoor.

3. derde, een nieuwe lijst die bij 3 begint

> een citaat

---

| Wie | Wat |
| --- | --- |
| Peter | **bila** plannen |
"""


def test_markdown_to_docx_structure() -> None:
    doc = word(markdown_to_docx(MARKDOWN, title="T", organisation="O"))
    styled = [(p.style.name, p.text) for p in doc.paragraphs if p.text]
    assert styled == [
        ("Heading 1", "Titel"),
        ("Normal", "Een schuine en vette tekst, over twee regels."),
        ("List Number", "eerste"),
        ("List Number", "tweede"),
        ("List Bullet 2", "daaronder"),
        ("List Bullet 3", "nog dieper"),
        ("List Continue", "met een tweede alinea"),
        ("Normal", "Tussendoor."),
        ("List Number", "derde, een nieuwe lijst die bij 3 begint"),
        ("Quote", "een citaat"),
    ]
    runs = {r.text: (r.bold, r.italic) for r in doc.paragraphs[1].runs}
    assert runs["schuine"] == (None, True) and runs["vette"] == (True, None) and runs["Een "] == (None, None)
    table = doc.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [["Wie", "Wat"], ["Peter", "bila plannen"]]
    assert all(r.bold for r in table.rows[0].cells[0].paragraphs[0].runs)
    assert [r.bold for r in table.rows[1].cells[1].paragraphs[0].runs] == [True, None]


def test_docx_numbered_lists_restart() -> None:
    """Each numbered list of the Markdown is its own Word list, starting at its own number."""
    doc = word(markdown_to_docx(MARKDOWN, title="T", organisation="O"))
    numbering = doc.part.numbering_part.element
    starts = []
    for p in doc.paragraphs:
        if p.style.name == "List Number":
            num = numbering.num_having_numId(p._p.pPr.numPr.numId.val)
            starts.append((p.text.split()[0], num.numId, num.xpath("./w:lvlOverride/w:startOverride/@w:val")))
    assert [(text, start) for text, _, start in starts] == [("eerste", ["1"]), ("tweede", ["1"]), ("derde,", ["3"])]
    assert starts[0][1] == starts[1][1] != starts[2][1]


def test_docx_bold_runs_are_the_bold_topics(repo: Repository) -> None:
    """Every bullet of "Acties & afspraken" is a Word bullet whose bold runs are exactly the
    Markdown's **topic**, the rest of the line plain."""
    m = meeting(repo, "voortgangsoverleg/2024-02-05")
    markdown = documents.render_document(repo, m, "actions", "md").decode()
    topics = re.findall(r"^- \*\*(.+?)\*\*", markdown, flags=re.M)
    assert len(topics) >= 5
    doc = word(documents.render_document(repo, m, "actions", "docx"))
    bullets = [p for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert ["".join(r.text for r in p.runs if r.bold) for p in bullets] == topics
    assert all(any(r.bold is None and r.text.strip() for r in p.runs) for p in bullets)


def test_docx_core_properties_are_the_organisation_and_title(agenda_docx: bytes) -> None:
    props = word(agenda_docx).core_properties
    assert props.author == "Bureau Inclusie en Diversiteit"
    assert props.title == "Agenda Voortgangsoverleg inclusie en diversiteit 6 maart 2024"
    assert props.created is None and props.modified is None and props.last_printed is None
    assert props.last_modified_by == "" and props.comments == "" and props.revision == 0


def machine_words() -> list[str]:
    words = ["python-docx", "WeasyPrint", "Macintosh", "Microsoft"]
    for who in (getpass.getuser(), socket.gethostname()):
        if who and len(who) > 2:
            words.append(who)
    return words


def test_docx_holds_nothing_of_the_machine(agenda_docx: bytes) -> None:
    files = entries(agenda_docx)
    assert "docProps/thumbnail.jpeg" not in files
    assert sorted(n for n in files if n.startswith("docProps/")) == ["docProps/app.xml", "docProps/core.xml"]
    for name in ("docProps/app.xml", "docProps/core.xml"):
        for word_ in machine_words():
            assert word_.encode().lower() not in files[name].lower(), (name, word_)
    assert b"Bureau Inclusie en Diversiteit" in files["docProps/app.xml"]
    assert not [name for name, content in files.items() if b"python-docx" in content]
    with zipfile.ZipFile(io.BytesIO(agenda_docx)) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_docx_header_and_footer(agenda_docx: bytes) -> None:
    section = word(agenda_docx).sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    assert section.header.paragraphs[0].text == "Bureau Inclusie en Diversiteit"
    footer = section.footer.paragraphs[0]._p.xml
    assert "Pagina " in footer and " PAGE " in footer and " NUMPAGES " in footer and " van " in footer


def test_docx_watermark_in_every_header(repo: Repository) -> None:
    data = documents.render_document(
        repo, meeting(repo, "stuurgroep/2024-06-17"), "agenda", "docx", watermark="CONCEPT"
    )
    header = word(data).sections[0].header._element.xml
    assert 'string="CONCEPT"' in header and "rotation:315" in header


def test_docx_and_pdf_are_byte_identical_again(repo: Repository, agenda_docx: bytes, agenda_pdf: bytes) -> None:
    again = documents.render_document(repo, meeting(repo, "voortgangsoverleg/2024-03-06"), "agenda", "docx")
    assert again == agenda_docx
    assert documents.render_document(repo, meeting(repo, "stuurgroep/2024-06-17"), "agenda", "pdf") == agenda_pdf


def test_shipped_word_template_is_the_built_one() -> None:
    """templates/reference.docx is what reference_docx() builds (so it can be made again);
    if this fails: python3 -m idmeet.ops.export.docx templates/reference.docx"""
    assert (package_templates() / "reference.docx").read_bytes() == reference_docx()


def test_repository_word_template_wins(repo: Repository, tmp_path: Path) -> None:
    own = word(reference_docx())
    own.sections[0].header.paragraphs[0].text = "{organisation} | {title} | eigen sjabloon"
    (tmp_path / "templates").mkdir()
    own.save(str(tmp_path / "templates" / "reference.docx"))
    moved = Repository(config=repo.config, meetings=repo.meetings, actions=repo.actions, root=tmp_path)
    data = documents.render_document(moved, meeting(repo, "stuurgroep/2024-06-17"), "agenda", "docx")
    header = word(data).sections[0].header.paragraphs[0].text
    title = "Agenda Stuurgroep Inclusie en Diversiteit 17 juni 2024"
    assert header == f"Bureau Inclusie en Diversiteit | {title} | eigen sjabloon"


def test_broken_word_template_is_one_error(repo: Repository, tmp_path: Path) -> None:
    from idmeet.core.diagnostics import IdmeetError

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "reference.docx").write_text("not a zip")
    moved = Repository(config=repo.config, meetings=repo.meetings, actions=repo.actions, root=tmp_path)
    with pytest.raises(IdmeetError, match=r"reference\.docx: not a usable Word template"):
        documents.render_document(moved, meeting(repo, "stuurgroep/2024-06-17"), "agenda", "docx")


# -- PDF ----------------------------------------------------------------------------------


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def test_pdf_text_pages_and_header(agenda_pdf: bytes) -> None:
    pages = pdf_pages(agenda_pdf)
    assert len(pages) >= 2
    text = " ".join(" ".join(pages).split())
    markdown = (EXAMPLE / "stuurgroep" / "2024-06-17.md").read_text(encoding="utf-8")
    titles = re.findall(r"^## (\d+\. .+)$", markdown, flags=re.M)
    assert len(titles) == 4
    for expected in ["Stuurgroep Inclusie en Diversiteit", "Vragen aan de stuurgroep", "17 juni", *titles]:
        assert expected in text, expected
    for number, page in enumerate(pages, 1):
        assert "Bureau Inclusie en Diversiteit" in page
        assert f"Pagina {number} van {len(pages)}" in page
    reader = pypdf.PdfReader(io.BytesIO(agenda_pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points


def test_pdf_fonts_are_embedded(agenda_pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(agenda_pdf))
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"].get_object()
            fonts.append(any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")))
    assert fonts and all(fonts)


def test_pdf_metadata_is_title_and_organisation_only(agenda_pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(agenda_pdf))
    info = dict(reader.metadata or {})
    assert info == {
        "/Title": "Agenda Stuurgroep Inclusie en Diversiteit 17 juni 2024",
        "/Author": "Bureau Inclusie en Diversiteit",
    }
    assert "/ID" not in reader.trailer
    for word_ in machine_words():
        assert word_.encode() not in agenda_pdf, word_


def test_pdf_watermark_on_every_page(repo: Repository) -> None:
    data = documents.render_document(repo, meeting(repo, "stuurgroep/2024-06-17"), "agenda", "pdf", watermark="CONCEPT")
    pages = pdf_pages(data)
    assert len(pages) >= 2 and all("CONCEPT" in page for page in pages)


def test_open_items_pdf(repo: Repository) -> None:
    import datetime as dt

    day = dt.date(2024, 3, 6)
    scope = [a for a in repo.actions if a.series == "voortgangsoverleg"]
    data = documents.render_open_items(repo, scope, day, "pdf", series="voortgangsoverleg")
    text = "\n".join(pdf_pages(data))
    assert "Openstaande acties" in text and "Peter Teesink" in text
    assert pypdf.PdfReader(io.BytesIO(data)).metadata["/Title"] == (
        "Openstaande acties Voortgangsoverleg inclusie en diversiteit 6 maart 2024"
    )


def test_without_pango_pdf_is_one_line(runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    real_import = builtins.__import__

    def no_pango(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pango)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["--repo", str(EXAMPLE), "export", "stuurgroep/2024-06-17", "--format", "pdf"])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing half-written


# -- the command -------------------------------------------------------------------------


def test_cli_markdown_to_stdout(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--repo", str(EXAMPLE), "export", "voortgangsoverleg/2024-02-05", "-d", "actions"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("## Acties & afspraken overleg 5 februari 2024")


def test_cli_docx_goes_to_a_file_named_after_the_document(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, agenda_docx: bytes
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["--repo", str(EXAMPLE), "export", "voortgangsoverleg/2024-03", "--format", "docx"])
    assert result.exit_code == 0, result.stderr
    name = "Agenda Voortgangsoverleg inclusie en diversiteit 6 maart 2024.docx"
    assert result.stderr.strip() == f"wrote {name}"
    assert result.stdout == ""
    assert (tmp_path / name).read_bytes() == agenda_docx


def test_cli_output_and_open_items(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "open.docx"
    args = ["--repo", str(EXAMPLE), "export", "open-items", "--owner", "Peter", "--as-of", "2024-03-06"]
    result = runner.invoke(app, [*args, "--format", "docx", "--output", str(target)])
    assert result.exit_code == 0, result.stderr
    doc = word(target.read_bytes())
    assert doc.core_properties.title == "Openstaande acties Peter Teesink 6 maart 2024"
    assert doc.paragraphs[0].style.name == "Heading 1"


def test_cli_usage_errors(runner: CliRunner) -> None:
    base = ["--repo", str(EXAMPLE), "export"]
    wrong_option = runner.invoke(app, [*base, "stuurgroep/2024-06-17", "--owner", "Peter"])
    assert wrong_option.exit_code == 2 and "export open-items" in wrong_option.stderr
    wrong_document = runner.invoke(app, [*base, "stuurgroep/2024-06-17", "--document", "notulen"])
    assert wrong_document.exit_code == 2 and "unknown document 'notulen'" in wrong_document.stderr
    wrong_format = runner.invoke(app, [*base, "stuurgroep/2024-06-17", "--format", "odt"])
    assert wrong_format.exit_code == 2 and "unknown format 'odt'" in wrong_format.stderr


def test_open_items_of_an_owner_as_of_a_day_counts_the_owners_of_that_day(example: Path) -> None:
    """An action reassigned after the report's day was that owner's on it: the exported report
    lists it as ``report open-items`` does (both choose through ``reports.open_items_scope``,
    which leaves the owner to ``open_items``, as each action was on the day)."""
    config = example / "idmeet.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "    public_official: true",
            "    public_official: true\n  - name: Marieke Jansen\n    aliases: [Marieke]",
            1,
        ),
        encoding="utf-8",
    )
    runner = CliRunner()
    moved = runner.invoke(
        app, ["--repo", str(example), "action", "reassign", "nm8q", "Marieke"], env={"IDMEET_TODAY": "2024-03-20"}
    )
    assert moved.exit_code == 0, moved.stderr
    args = ["--owner", "Peter", "--as-of", "2024-03-10"]
    report = runner.invoke(app, ["--repo", str(example), "report", "open-items", *args])
    exported = runner.invoke(app, ["--repo", str(example), "export", "open-items", *args, "--format", "md"])
    assert report.exit_code == exported.exit_code == 0
    assert "Prestatieafspraken GMT" in report.stdout
    assert exported.stdout == report.stdout
    later = runner.invoke(
        app, ["--repo", str(example), "export", "open-items", "--owner", "Peter", "--as-of", "2024-03-25"]
    )
    assert "Prestatieafspraken GMT" not in later.stdout
