"""Linked attachments (``Bijlage 1: [title](bijlagen/...)``): the parser, ``check``, ``idmeet pack``."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.core.model import Source
from idmeet.ops.export.pack import label_order, pack_meeting
from idmeet.ops.validate import validate
from idmeet.parser.body import parse_attachment
from idmeet.store.load import load

LINKED = "bijlagen/2024-06-17/20240611-voorstel-leersessie-stuurgroep.pdf"
AGENDA = "Agenda Stuurgroep Inclusie en Diversiteit 17 juni 2024"


def test_parse_linked_attachment() -> None:
    plain = parse_attachment("1", "Voorstel", Source("m.md", 3))
    assert plain.link is None and plain.shown == "Voorstel"
    linked = parse_attachment("2A", "[GEHEIM_Voorstel besluitvorming](bijlagen/x/voorstel.pdf)", Source("m.md", 4))
    assert (linked.label, linked.title, linked.shown, linked.confidential, linked.link) == (
        "2a",
        "Voorstel besluitvorming",
        "GEHEIM_Voorstel besluitvorming",
        True,
        "bijlagen/x/voorstel.pdf",
    )
    spaced = parse_attachment("3", "[Plan](<bijlagen/x/plan 2024.docx>) (vertrouwelijk)", Source("m.md", 5))
    assert (spaced.title, spaced.link, spaced.confidential) == ("Plan", "bijlagen/x/plan 2024.docx", True)


def test_example_links_an_existing_file(example: Path) -> None:
    repo, problems = load(example)
    assert not problems and not validate(repo)
    meeting = repo.get_meeting("stuurgroep/2024-06-17")
    assert meeting is not None
    first = meeting.items[0].attachments[0]
    assert first.link == LINKED and (example / "stuurgroep" / LINKED).is_file()


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("bijlagen/2024-06-17/weg.pdf", "links 'bijlagen/2024-06-17/weg.pdf', which does not exist"),
        ("../../buiten.pdf", "outside the repository"),
        ("/etc/passwd", "write the path relative to the meeting file"),
        ("https://example.org/a.pdf", "not a file of the repository"),
    ],
)
def test_check_reports_a_bad_link(runner: CliRunner, example: Path, link: str, message: str) -> None:
    path = example / "stuurgroep" / "2024-06-17.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(LINKED, link), encoding="utf-8")
    line = next(n for n, row in enumerate(path.read_text().splitlines(), 1) if row.startswith("Bijlage 1:"))
    result = runner.invoke(app, ["--repo", str(example), "check"])
    assert result.exit_code == 1
    problem = next(row for row in result.output.splitlines() if "Bijlage 1" in row)
    assert problem.startswith(f"stuurgroep/2024-06-17.md:{line}: ") or f"2024-06-17.md:{line}: " in problem
    assert message in problem


def test_label_order() -> None:
    assert sorted(["10", "2a", "3", "2", "1", "2b"], key=label_order) == ["1", "2", "2a", "2b", "3", "10"]


def names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()


def test_pack_holds_agenda_attachments_and_manifest(example: Path) -> None:
    repo, _ = load(example)
    meeting = repo.get_meeting("stuurgroep/2024-06-17")
    assert meeting is not None
    packed = pack_meeting(repo, meeting)
    assert names(packed.data) == [
        "manifest.txt",
        f"{AGENDA}.pdf",
        f"{AGENDA}.docx",
        "Bijlage 1 - 20240611 voorstel leersessie stuurgroep.pdf",
    ]
    with zipfile.ZipFile(io.BytesIO(packed.data)) as archive:
        manifest = archive.read("manifest.txt").decode()
        assert archive.read(names(packed.data)[3]) == (example / "stuurgroep" / LINKED).read_bytes()
        assert archive.read(f"{AGENDA}.pdf").startswith(b"%PDF-")
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert manifest.startswith(f"{AGENDA}\n\nIn dit pakket:\n- {AGENDA}.pdf\n")
    assert (
        "Niet in dit pakket:\n- Bijlage 2: GEHEIM_Gebundelde reflecties stuurgroep Verwey Jonker (vertrouwelijk)\n"
        in manifest
    )
    assert "- Bijlage 3: Handelingskader inclusief inkopen (geen bestand)\n" in manifest
    assert packed.file_name == f"{AGENDA}.zip"
    assert pack_meeting(repo, meeting).data == packed.data  # byte-identical again


def test_pack_confidential_only_when_asked(example: Path) -> None:
    path = example / "stuurgroep" / "2024-06-17.md"
    folder = example / "stuurgroep" / "bijlagen" / "2024-06-17"
    (folder / "reflecties.docx").write_bytes(b"geheim")
    (folder / "oplegger.pdf").write_bytes(b"%PDF-oplegger")
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "Bijlage 2: GEHEIM_Gebundelde reflecties stuurgroep Verwey Jonker",
        "Bijlage 2: [GEHEIM_Gebundelde reflecties stuurgroep Verwey Jonker](bijlagen/2024-06-17/reflecties.docx)",
    ).replace(
        "Bijlage 3a: Oplegger handelingskader inclusief inkopen stuurgroep",
        "Bijlage 3a: [Oplegger handelingskader: inclusief inkopen](bijlagen/2024-06-17/oplegger.pdf)",
    )
    path.write_text(text, encoding="utf-8")
    repo, _ = load(example)
    meeting = repo.get_meeting("stuurgroep/2024-06-17")
    assert meeting is not None
    attachments = names(pack_meeting(repo, meeting).data)[3:]
    assert attachments == [
        "Bijlage 1 - 20240611 voorstel leersessie stuurgroep.pdf",
        "Bijlage 3a - Oplegger handelingskader inclusief inkopen.pdf",
    ]
    with_secret = names(pack_meeting(repo, meeting, confidential=True).data)[3:]
    assert with_secret == [
        "Bijlage 1 - 20240611 voorstel leersessie stuurgroep.pdf",
        "Bijlage 2 - GEHEIM_Gebundelde reflecties stuurgroep Verwey Jonker.docx",
        "Bijlage 3a - Oplegger handelingskader inclusief inkopen.pdf",
    ]


def test_pack_refuses_a_missing_file(runner: CliRunner, example: Path, tmp_path: Path) -> None:
    (example / "stuurgroep" / LINKED).unlink()
    target = tmp_path / "uit.zip"
    result = runner.invoke(app, ["--repo", str(example), "pack", "stuurgroep/2024-06-17", "-O", str(target)])
    assert result.exit_code == 1
    assert "stuurgroep/2024-06-17.md:" in result.stderr and "does not exist; no pack written" in result.stderr
    assert result.stderr.count("\n") == 1
    assert not target.exists()


def test_pack_cli(runner: CliRunner, example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["--repo", str(example), "pack", "stuurgroep/2024-06"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == f"wrote {AGENDA}.zip"
    assert "left out: Bijlage 2: GEHEIM_Gebundelde reflecties stuurgroep Verwey Jonker (vertrouwelijk)" in result.stderr
    assert "--confidential" in result.stderr
    assert len(names((tmp_path / f"{AGENDA}.zip").read_bytes())) == 4
