"""``idmeet pack``: the agenda of a meeting as PDF and Word with every linked attachment, in one zip.

The attachments are named as the agenda names them, ``Bijlage 2a - <title>.<ext>``, in label
order. Confidential ones (GEHEIM, vertrouwelijk) stay out unless asked for; ``manifest.txt``
lists what is in the zip and what was left out, and why. The zip is deterministic: the same
repository gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from idmeet.core.diagnostics import IdmeetError
from idmeet.core.model import Attachment, Meeting, Repository
from idmeet.core.words import ATTACHMENT, CONFIDENTIAL

ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Packed:
    """The zip's bytes, its default file name, and the manifest's lines (what is in, what not)."""

    data: bytes
    file_name: str
    included: tuple[str, ...]
    left_out: tuple[str, ...]


def label_order(label: str) -> tuple[int, str]:
    """ "2a" -> (2, "a"): attachments in the order 1, 2, 2a, 2b, 3, 10."""
    match = re.match(r"(\d+)(.*)", label)
    return (int(match.group(1)), match.group(2)) if match else (10**6, label)


def attachment_name(attachment: Attachment, suffix: str) -> str:
    """``Bijlage 2a - Voorstel leersessies.pdf``: the title as the agenda shows it, without
    characters that file systems refuse."""
    from idmeet.ops.export.documents import file_name

    return file_name(f"{ATTACHMENT} {attachment.label} - {attachment.shown}", suffix.lstrip(".").lower() or "bin")


def pack_meeting(repo: Repository, meeting: Meeting, *, confidential: bool = False) -> Packed:
    """The zip for ``meeting``: agenda PDF and DOCX, the linked attachments, manifest.txt.
    A linked file that is missing is an error (``path:line``), so no pack is sent incomplete."""
    from idmeet.ops.export.documents import export, file_name, meeting_source
    from idmeet.ops.validate import attachment_file

    source = meeting_source(repo, meeting, "agenda")
    files: list[tuple[str, bytes]] = [
        (file_name(source.title, "pdf"), export(source, "pdf")),
        (file_name(source.title, "docx"), export(source, "docx")),
    ]
    left_out: list[str] = []
    attachments = sorted((a for item in meeting.items for a in item.attachments), key=lambda a: label_order(a.label))
    for attachment in attachments:
        line = f"{ATTACHMENT} {attachment.label}: {attachment.shown}"
        if attachment.confidential and not confidential:
            left_out.append(f"{line} ({CONFIDENTIAL})")
            continue
        if attachment.link is None:
            left_out.append(f"{line} (geen bestand)")
            continue
        path, problem = attachment_file(repo, meeting.source.path, attachment.link)
        if path is None:
            where = f"{attachment.source.path or meeting.source.path}:{attachment.source.line}"
            raise IdmeetError(f"{where}: {ATTACHMENT} {attachment.label} {problem}; no pack written")
        files.append((attachment_name(attachment, PurePosixPath(attachment.link).suffix), path.read_bytes()))
    included = tuple(name for name, _ in files)
    manifest = _manifest(source.title, included, left_out)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in [("manifest.txt", manifest.encode()), *files]:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, data, compresslevel=9)
    return Packed(out.getvalue(), file_name(source.title, "zip"), included, tuple(left_out))


def _manifest(title: str, included: tuple[str, ...], left_out: list[str]) -> str:
    lines = [title, "", "In dit pakket:", *(f"- {name}" for name in included)]
    if left_out:
        lines += ["", "Niet in dit pakket:", *(f"- {entry}" for entry in left_out)]
    return "\n".join(lines) + "\n"
