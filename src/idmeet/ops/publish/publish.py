"""``idmeet publish``: a folder that a municipality can put online under the Woo.

For each meeting: its agenda, and when it has minutes its minutes ("Verslag") and its
"Acties & afspraken", rendered from the *redacted* model (``redact.py``) in each format asked;
its public attachments copied (files in ``<series>/<YYYY-MM-DD>/`` named ``bijlage-<label>...``),
its confidential ones withheld. Then ``inventarislijst.csv`` and ``.html`` and
``manifest.json``. Everything is written to a temporary folder, searched for every
non-public name (``verify.py``), and only then renamed into place; a hit removes it all.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import html
import io
import json
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from idmeet.core.diagnostics import Diagnostic, IdmeetError, option
from idmeet.core.model import Attachment, Meeting, Repository
from idmeet.core.names import is_redacted
from idmeet.core.words import ATTACHMENT, DOCUMENT_TITLES
from idmeet.ops.publish.grounds import ATTACHMENT_GROUND, GROUNDS, MARK_RE, canonical_ground
from idmeet.ops.publish.names import AllowList, possible_names
from idmeet.ops.publish.redact import non_public_names, redact_repository
from idmeet.ops.publish.verify import Hit, verify_folder

FORMATS = ("md", "html", "pdf", "docx")
DOCUMENT_WORDS = {kind: DOCUMENT_TITLES["nl"][kind] for kind in ("agenda", "minutes", "actions")}
FILE_WORDS = {"agenda": "agenda", "minutes": "verslag", "actions": "acties"}
OPEN, PARTLY, CLOSED = "openbaar", "deels openbaar", "niet openbaar"
WITHHELD = "niet openbaar"


class PublishRefused(IdmeetError):
    """Publication refused; ``lines`` say why, one ``path:line: ...`` each."""

    def __init__(self, message: str, lines: list[str]) -> None:
        super().__init__(message)
        self.lines = lines


@dataclass(frozen=True)
class Options:
    output: Path
    formats: tuple[str, ...] = ("html",)
    allow_unreviewed: bool = False
    draft: bool = False


@dataclass
class Document:
    """One row of the inventory: a document, what was withheld from it, its files."""

    title: str
    date: dt.date
    assessment: str = OPEN
    grounds: Counter[str] = field(default_factory=Counter)
    files: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Result:
    output: Path
    documents: tuple[Document, ...]
    files: tuple[str, ...]
    redactions: dict[str, int]
    warnings: tuple[str, ...] = ()
    unreviewed: tuple[Diagnostic, ...] = ()


# -- choosing meetings and refusing what may not be published ---------------------------


def select_meetings(
    repo: Repository,
    keys: list[str],
    series: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    problems: list[Diagnostic] | None = None,
) -> list[Meeting]:
    """The meetings named (keys or unique prefixes), or of a series and/or date range."""
    from idmeet.ops.meetings import find_meeting, require_series

    if not keys and series is None and since is None and until is None:
        raise IdmeetError(
            f"name the meetings to publish (MEETING..., {option('series')}, {option('since')}/{option('until')})",
            exit_code=2,
        )
    chosen = {find_meeting(repo, key, problems).key: find_meeting(repo, key, problems) for key in keys}
    if series is not None or ((since or until) and not keys):
        if series is not None:
            require_series(repo, series)
        for meeting in repo.meetings:
            if series is None or meeting.series == series:
                chosen.setdefault(meeting.key, meeting)
    picked = [m for m in chosen.values() if (since is None or m.date >= since) and (until is None or m.date <= until)]
    if not picked:
        raise IdmeetError("no meeting matches: nothing to publish")
    return sorted(picked, key=lambda m: (m.date, m.series))


def has_minutes(meeting: Meeting) -> bool:
    return any(item.notes.strip() or item.decisions or item.actions for item in meeting.items)


def refusals(repo: Repository, problems: list[Diagnostic], meetings: list[Meeting], draft: bool) -> list[str]:
    """Why these meetings may not be published now: errors of ``idmeet check``, and minutes
    that are not approved (unless ``draft``)."""
    from idmeet.ops.validate import validate

    lines = [p.format() for p in (*problems, *validate(repo)) if p.severity == "error"]
    if not draft:
        lines.extend(
            f"{m.source.path}:{m.line_of('status')}: the minutes are not approved (status: {m.status}); "
            f"publish them when 'status: approved', or as a concept with {option('draft')}"
            for m in meetings
            if has_minutes(m) and m.status != "approved"
        )
    return lines


def scope_paths(repo: Repository, meetings: list[Meeting]) -> list[str]:
    """The files whose text is published: the meetings and the actions that arose in them."""
    keys = {m.key for m in meetings}
    paths = [m.source.path for m in meetings]
    paths.extend(a.source.path for a in repo.actions if a.meeting in keys)
    return sorted(set(paths))


# -- rendering ---------------------------------------------------------------------------


def export_renderers() -> ModuleType | None:
    """``idmeet.ops.export.documents`` (the renderers of ``idmeet export``), if present."""
    import importlib

    try:
        return importlib.import_module("idmeet.ops.export.documents")
    except ModuleNotFoundError:
        return None


def render_document(repo: Repository, meeting: Meeting, document: str, fmt: str, watermark: str | None) -> bytes:
    """One document of a meeting in one format. The one place that picks the renderer:
    ``idmeet export``'s when it is installed, else the Markdown/HTML of ``idmeet render``."""
    documents = export_renderers()
    if documents is not None:
        data: bytes = documents.render_document(repo, meeting, document, fmt, watermark=watermark)
        return data
    if fmt not in ("md", "html"):
        raise IdmeetError(f"format '{fmt}' needs the document renderers of 'idmeet export'; use md or html")
    return _render_text(repo, meeting, document, fmt, watermark).encode("utf-8")


def _render_text(repo: Repository, meeting: Meeting, document: str, fmt: str, watermark: str | None) -> str:
    from idmeet.ops.render import find_template, pick, render, render_html
    from idmeet.ops.reports import agenda_document, meeting_actions, minutes_document

    builders = {"agenda": agenda_document, "minutes": minutes_document, "actions": meeting_actions}
    templates = {
        "agenda": [f"agenda-document-{meeting.series}.md.j2", "agenda-document.md.j2"],
        "minutes": ["minutes.md.j2"],
        "actions": ["actions.md.j2"],
    }
    language = repo.config.language
    context = {"language": language, **builders[document](repo, meeting)}
    name = pick(templates[document], repo.root)
    text = render(name, context, repo.root, language)
    if watermark:
        text = f"**{watermark}**\n\n{text}"
    if fmt == "html":
        page = find_template([name.replace(".md.j2", ".html.j2")], repo.root)
        if page is not None and not watermark:
            return render(page, context, repo.root, language)
        return render_html(text, context, repo.root, language)
    return text


def _count_marks(text: str) -> Counter[str]:
    return Counter(MARK_RE.findall(text))


# -- attachments -------------------------------------------------------------------------


def attachment_ground(attachment: Attachment) -> str:
    """The ground a confidential attachment is withheld on: its own, else 5.1.2i."""
    return (canonical_ground(attachment.ground) if attachment.ground else None) or ATTACHMENT_GROUND


def attachment_file(repo: Repository, meeting: Meeting, label: str) -> Path | None:
    """The file of attachment ``label``: ``<series>/<date>/bijlage-<label>...`` (or
    ``attachment-<label>...``), if there is one."""
    folder = repo.root / meeting.series / meeting.date.isoformat()
    if not folder.is_dir():
        return None
    pattern = re.compile(rf"(?:bijlage|attachment)[\s_-]*{re.escape(label)}(?![0-9a-z])", re.IGNORECASE)
    matches = sorted(p for p in folder.iterdir() if p.is_file() and pattern.match(p.name))
    return matches[0] if matches else None


def mark_withheld(meeting: Meeting, grounds: bool = True) -> Meeting:
    """The meeting with each confidential attachment's line saying "niet openbaar" and its
    ground (``grounds``), in place of "vertrouwelijk" or "GEHEIM"."""

    def note(a: Attachment) -> str:
        return f"{a.title} ({WITHHELD}, {attachment_ground(a)})" if grounds else f"{a.title} ({WITHHELD})"

    items = []
    for item in meeting.items:
        attachments = tuple(
            dataclasses.replace(a, title=note(a), written=note(a), confidential=False) if a.confidential else a
            for a in item.attachments
        )
        items.append(dataclasses.replace(item, attachments=attachments))
    return dataclasses.replace(meeting, items=tuple(items))


# -- the inventory and the manifest ------------------------------------------------------

HEADER = ("ID", "Document", "Datum", "Beoordeling", "Beoordelingsgrond", "Bestand")


def _grounds(counts: Counter[str]) -> str:
    return "; ".join(g for g in GROUNDS if counts.get(g))


def inventory_csv(documents: list[Document]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for number, doc in enumerate(documents, start=1):
        writer.writerow(
            (number, doc.title, doc.date.isoformat(), doc.assessment, _grounds(doc.grounds), "; ".join(doc.files))
        )
    return out.getvalue()


def inventory_html(documents: list[Document], organisation: str, language: str) -> str:
    from idmeet.ops.render import format_date

    e = html.escape

    def links(files: list[str]) -> str:
        return ", ".join(f'<a href="{e(f)}">{e(f)}</a>' for f in files)

    rows = "\n".join(
        "<tr>"
        f"<td>{n}</td><td>{e(d.title)}</td><td>{e(format_date(d.date, language))}</td><td>{e(d.assessment)}</td>"
        f"<td>{e(_grounds(d.grounds))}</td>"
        f"<td>{links(d.files)}</td>"
        "</tr>"
        for n, d in enumerate(documents, start=1)
    )
    legend = "\n".join(
        f"<li><strong>{e(g)}</strong>: {e(text)}</li>"
        for g, text in GROUNDS.items()
        if any(d.grounds.get(g) for d in documents)
    )
    head = "".join(f"<th>{e(h)}</th>" for h in HEADER)
    return f"""<!DOCTYPE html>
<html lang="{e(language)}">
<head>
<meta charset="utf-8">
<title>Inventarislijst {e(organisation)}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; line-height: 1.4; }}
table {{ border-collapse: collapse; }} th, td {{ border: 1px solid #999; padding: .3rem .5rem; text-align: left; }}
</style>
</head>
<body>
<h1>Inventarislijst</h1>
<p>{e(organisation)}</p>
<table>
<thead><tr>{head}</tr></thead>
<tbody>
{rows}
</tbody>
</table>
<h2>Beoordelingsgronden (Wet open overheid)</h2>
<ul>
{legend}
</ul>
</body>
</html>
"""


def manifest(documents: list[Document], folder: Path, organisation: str) -> str:
    files = {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
    total: Counter[str] = Counter()
    for doc in documents:
        total.update(doc.grounds)
    data: dict[str, Any] = {
        "organisation": organisation,
        "documents": [
            {
                "id": n,
                "document": d.title,
                "date": d.date.isoformat(),
                "assessment": d.assessment,
                "grounds": {g: d.grounds[g] for g in GROUNDS if d.grounds.get(g)},
                "files": d.files,
            }
            for n, d in enumerate(documents, start=1)
        ],
        "redactions": {g: total[g] for g in GROUNDS if total.get(g)},
        "sha256": files,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# -- publishing --------------------------------------------------------------------------


def document_meeting(repo: Repository, redacted_repo: Repository, meeting: Meeting, document: str) -> Meeting:
    """The redacted meeting as ``document`` is rendered from it (confidential attachments not
    yet marked withheld)."""
    if document == "actions":  # "Aan:" lists the present as they are
        return redacted_repo.meetings[repo.meetings.index(meeting)]
    return _minute_taker_apart(repo, redacted_repo, meeting)


def _minute_taker_apart(repo: Repository, redacted_repo: Repository, meeting: Meeting) -> Meeting:
    """The redacted meeting, with its minute-taker added to the invited and present when the
    source does not list them there.

    Documents mark the minute-taker "(verslag)" on the matching name in such a list, or add
    them. Once redacted every name is "5.1.2e" and would match: a person would disappear.
    """
    at = repo.meetings.index(meeting)  # redaction keeps the order (a key may change)
    redacted = redacted_repo.meetings[at]
    series = repo.config.get_series(meeting.series)
    shown_series = redacted_repo.config.get_series(redacted.series)
    taker = meeting.minute_taker or (series.minute_taker if series else None)
    separate = series is not None and series.style.minute_taker == "separate"  # shown apart anyway
    if not taker or separate or is_redacted(taker):  # a mark in the source: who it is, is unknown
        return redacted
    person = repo.find_person(taker)

    def listed(names: tuple[str, ...]) -> bool:
        return any(n == taker or (person is not None and repo.find_person(n) is person) for n in names)

    mark = redacted.minute_taker or (shown_series.minute_taker if shown_series else None) or "5.1.2e"
    changes: dict[str, Any] = {}
    invitees = meeting.invitees or (series.invitees if series else ())
    if invitees and not listed(invitees):
        changes["invitees"] = (*(redacted.invitees or (shown_series.invitees if shown_series else ())), mark)
    if meeting.attendees and not listed(meeting.attendees):
        changes["attendees"] = (*redacted.attendees, mark)
    return dataclasses.replace(redacted, **changes) if changes else redacted


def _write(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def _meeting_documents(
    repo: Repository, redacted: Repository, meeting: Meeting, options: Options, folder: Path
) -> tuple[list[Document], list[str]]:
    from idmeet.ops.meetings import meeting_title
    from idmeet.ops.render import format_date

    found = redacted.meetings[repo.meetings.index(meeting)]
    title = meeting_title(redacted, found)
    when = format_date(meeting.date, repo.config.language)
    stem = f"{found.series}-{meeting.date.isoformat()}"  # redacted: a file name is published too
    kinds = ["agenda"]
    if has_minutes(meeting):
        kinds.append("minutes")
        if any(a.meeting == meeting.key for a in repo.actions) or any(i.decisions for i in meeting.items):
            kinds.append("actions")
    concept = options.draft and has_minutes(meeting) and meeting.status != "approved"
    documents: list[Document] = []
    warnings: list[str] = []
    for kind in kinds:
        watermark = "CONCEPT" if concept and kind != "agenda" else None
        doc = Document(f"{DOCUMENT_WORDS[kind]} {title} {when}{' (concept)' if watermark else ''}", meeting.date)
        shown = document_meeting(repo, redacted, meeting, kind)
        # What was withheld from this document itself (not the grounds of its withheld attachments).
        counted = render_document(redacted, mark_withheld(shown, grounds=False), kind, "md", None)
        doc.grounds = _count_marks(counted.decode("utf-8"))
        public = mark_withheld(shown)
        for fmt in options.formats:
            name = f"{stem}-{FILE_WORDS[kind]}{'-concept' if watermark else ''}.{fmt}"
            _write(folder / name, render_document(redacted, public, kind, fmt, watermark))
            doc.files.append(name)
        doc.assessment = PARTLY if doc.grounds else OPEN
        documents.append(doc)
    for item in found.items:
        for attachment in item.attachments:
            label = f"{ATTACHMENT} {attachment.label}: {attachment.title} (bij agenda {title} {when})"
            doc = Document(label, meeting.date)
            if attachment.confidential:
                doc.assessment = CLOSED
                doc.grounds[attachment_ground(attachment)] += 1
            else:
                source = attachment_file(repo, meeting, attachment.label)
                if source is None:
                    warnings.append(
                        f"{meeting.source.path}:{attachment.source.line}: no file for {ATTACHMENT} {attachment.label} "
                        f"(put it in {meeting.series}/{meeting.date.isoformat()}/ as bijlage-{attachment.label}...); "
                        "listed without a file"
                    )
                else:
                    name = f"{stem}-bijlage-{attachment.label}{source.suffix.lower()}"
                    shutil.copyfile(source, folder / name)
                    doc.files.append(name)
            documents.append(doc)
    return documents, warnings


def publish(repo: Repository, problems: list[Diagnostic], meetings: list[Meeting], options: Options) -> Result:
    """Write the publication of ``meetings`` to ``options.output``, verified, or nothing."""
    unknown_formats = [f for f in options.formats if f not in FORMATS]
    if unknown_formats or not options.formats:
        raise IdmeetError(f"unknown format '{','.join(unknown_formats)}' (use {', '.join(FORMATS)})", exit_code=2)
    refused = refusals(repo, problems, meetings, options.draft)
    if refused:
        raise PublishRefused(f"not published: {len(refused)} problem(s) (see above)", refused)
    unreviewed = possible_names(repo, scope_paths(repo, meetings))
    if unreviewed and not options.allow_unreviewed:
        raise PublishRefused(
            f"not published: {len(unreviewed)} possible name(s) idmeet does not know; redact them "
            f"({{lak 5.1.2e}}...{{/lak}}), add the person to idmeet.yaml, or allow the word in "
            f"publish-allow.txt; then publish again (or give {option('allow_unreviewed')})",
            [d.format() for d in unreviewed],
        )
    output = options.output
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        raise IdmeetError(f"{output} exists and is not empty: remove it or choose another {option('output')}")
    allow = AllowList.read(repo.root)
    keys = {m.key for m in meetings}
    # Only what is published is redacted and rendered: these meetings and their actions.
    repo = dataclasses.replace(
        repo, meetings=tuple(meetings), actions=tuple(a for a in repo.actions if a.meeting in keys), proposals=()
    )
    redacted, _ = redact_repository(repo, allow.emails)
    partial = output.parent / f".{output.name}.partial"
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(parents=True)
    try:
        documents: list[Document] = []
        warnings: list[str] = []
        for meeting in meetings:
            docs, notes = _meeting_documents(repo, redacted, meeting, options, partial)
            documents.extend(docs)
            warnings.extend(notes)
        organisation = repo.config.organisation
        (partial / "inventarislijst.csv").write_text(inventory_csv(documents), "utf-8", newline="")
        (partial / "inventarislijst.html").write_text(
            inventory_html(documents, organisation, repo.config.language), "utf-8"
        )
        text = manifest(documents, partial, organisation)
        (partial / "manifest.json").write_text(text, "utf-8")
        hits = verify_publication(repo, partial)
        if hits:
            raise PublishRefused(
                f"not published: {len(hits)} non-public name(s) found in what was written; the folder was removed",
                [f"{output}/{h.format()}" for h in hits],
            )
        if output.exists():
            output.rmdir()
        partial.rename(output)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    totals: Counter[str] = Counter()
    for doc in documents:
        totals.update(doc.grounds)
    return Result(
        output,
        tuple(documents),
        tuple(sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file())),
        {g: totals[g] for g in GROUNDS if totals.get(g)},
        tuple(warnings),
        tuple(unreviewed),
    )


def verify_publication(repo: Repository, folder: Path) -> list[Hit]:
    """Every non-public name or alias (or e-mail address not allowed) in ``folder``."""
    if not folder.is_dir():
        raise IdmeetError(f"{folder}: no such folder")
    public = [n for p in repo.config.people if p.public_official for n in (p.name, *p.aliases)]
    return verify_folder(folder, non_public_names(repo.config), public, AllowList.read(repo.root).emails)
