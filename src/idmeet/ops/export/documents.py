"""The documents people receive, in the four formats: Markdown, HTML, DOCX and PDF.

Everything renders from the model (a ``Repository`` and a ``Meeting``), never from files,
so a caller can hand in a changed model (the Woo publication passes a redacted one). The
Markdown comes from the same templates as ``idmeet render`` and ``idmeet report``; HTML is
that Markdown as a web page (or the document's own HTML template) with the print
stylesheet; DOCX is built from the Markdown, PDF from the HTML. Same model, same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from idmeet.core.diagnostics import IdmeetError
from idmeet.core.model import Action, Meeting, Repository
from idmeet.core.words import DOCUMENT_TITLES, PAGE, pick
from idmeet.ops.actions import OwnerFilter

DOCUMENTS = ("agenda", "minutes", "actions")
FORMATS = ("md", "html", "docx", "pdf")


@dataclass(frozen=True)
class Source:
    """A document before it becomes a file: its Markdown, its HTML page, its title. The page
    is made when first asked for (``page``): Markdown and Word need none."""

    markdown: str
    page: Callable[[], str]
    title: str
    organisation: str
    language: str
    repo_root: Path | None

    @functools.cached_property
    def html(self) -> str:
        return self.page()


def _builders() -> dict[str, tuple[Callable[[Repository, Meeting], dict[str, Any]], list[str]]]:
    from idmeet.ops.reports import agenda_document, meeting_actions, minutes_document

    return {
        "agenda": (agenda_document, ["agenda-document-{series}.md.j2", "agenda-document.md.j2"]),
        "minutes": (minutes_document, ["minutes-{series}.md.j2", "minutes.md.j2"]),
        "actions": (meeting_actions, ["actions-{series}.md.j2", "actions.md.j2"]),
    }


def document_title(repo: Repository, meeting: Meeting, document: str) -> str:
    """The title a sent document carries (file name, Word/PDF title): "Agenda Stuurgroep
    Inclusie en Diversiteit 17 juni 2024"."""
    from idmeet.ops.meetings import meeting_title
    from idmeet.ops.render import format_date

    language = repo.config.language
    name = pick(DOCUMENT_TITLES, language)[document]
    return f"{name} {meeting_title(repo, meeting)} {format_date(meeting.date, language)}"


def open_items_title(
    repo: Repository, as_of: dt.date, series: str | None = None, only: OwnerFilter | None = None
) -> str:
    """ "Openstaande acties Voortgangsoverleg inclusie en diversiteit Peter Teesink 6 maart 2024"."""
    from idmeet.ops.render import format_date

    language = repo.config.language
    series_obj = repo.config.get_series(series) if series else None
    parts = [pick(DOCUMENT_TITLES, language)["open-items"], *([series_obj.title] if series_obj else [])]
    if only is not None and only.person is not None:
        parts.append(only.person.name)
    return " ".join([*parts, format_date(as_of, language)])


def file_name(title: str, fmt: str) -> str:
    """A file name for ``title``: the title itself, without characters file systems refuse."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", title)
    return " ".join(cleaned.split()) + f".{fmt}"


def meeting_source(repo: Repository, meeting: Meeting, document: str) -> Source:
    """The Markdown and HTML of one document about ``meeting``, from the templates."""
    from idmeet.ops.render import find_template, pick, render, render_html

    if document not in DOCUMENTS:
        raise IdmeetError(f"unknown document '{document}' (use {', '.join(DOCUMENTS[:-1])} or {DOCUMENTS[-1]})", 2)
    build, templates = _builders()[document]
    language = repo.config.language
    context = {"language": language, **build(repo, meeting)}
    name = pick([t.format(series=meeting.series) for t in templates], repo.root)
    markdown = render(name, context, repo.root, language)
    page = find_template([name.replace(".md.j2", ".html.j2")], repo.root)

    def page_html() -> str:
        return (
            render(page, context, repo.root, language) if page else render_html(markdown, context, repo.root, language)
        )

    title = document_title(repo, meeting, document)
    return Source(markdown, page_html, title, repo.config.organisation, language, repo.root)


def open_items_source(
    repo: Repository,
    actions: list[Action],
    as_of: dt.date,
    *,
    series: str | None = None,
    only: OwnerFilter | None = None,
) -> Source:
    """The Markdown and HTML of the open-item report over ``actions`` on ``as_of``."""
    from idmeet.ops.render import render
    from idmeet.ops.reports import open_items

    language = repo.config.language
    context = {**open_items(repo, actions, as_of, series, only), "as_of_date": as_of, "language": language}
    markdown = render("open-items.md.j2", context, repo.root, language)
    title = open_items_title(repo, as_of, series, only)
    return Source(
        markdown,
        lambda: render("open-items.html.j2", context, repo.root, language),
        title,
        repo.config.organisation,
        language,
        repo.root,
    )


def render_document(
    repo: Repository, meeting: Meeting, document: str, fmt: str, *, watermark: str | None = None
) -> bytes:
    """``document`` ("agenda", "minutes", "actions") of ``meeting`` as ``fmt`` ("md", "html",
    "docx", "pdf"); ``watermark`` (e.g. "CONCEPT") is set on every page."""
    return export(meeting_source(repo, meeting, document), fmt, watermark=watermark)


def render_open_items(
    repo: Repository,
    actions: list[Action],
    as_of: dt.date,
    fmt: str,
    *,
    series: str | None = None,
    only: OwnerFilter | None = None,
    watermark: str | None = None,
) -> bytes:
    """The open-item report over ``actions`` (already filtered by series/owner) on ``as_of``
    as ``fmt``; ``series`` names the series in the title, ``only`` limits it to one owner."""
    return export(open_items_source(repo, actions, as_of, series=series, only=only), fmt, watermark=watermark)


def export(source: Source, fmt: str, *, watermark: str | None = None) -> bytes:
    """One document in one format."""
    if fmt not in FORMATS:
        raise IdmeetError(f"unknown format '{fmt}' (use md, html, docx or pdf)", exit_code=2)
    if fmt == "md":
        text = source.markdown if not watermark else f"**{watermark}**\n\n{source.markdown}"
        return text.encode()
    if fmt == "docx":
        from idmeet.ops.export.docx import markdown_to_docx

        return markdown_to_docx(
            source.markdown,
            title=source.title,
            organisation=source.organisation,
            language=source.language,
            template=word_template(source.repo_root),
            watermark=watermark,
        )
    page = print_page(source, watermark)
    if fmt == "html":
        return page.encode()
    from idmeet.ops.export.pdf import html_to_pdf

    return html_to_pdf(page, title=source.title, author=source.organisation, language=source.language)


def word_template(repo_root: Path | None) -> Path | None:
    """The Word template: the repository's ``templates/reference.docx``, else idmeet's own."""
    from idmeet.ops.export.docx import TEMPLATE_NAME
    from idmeet.ops.render import package_templates

    for folder in ([repo_root / "templates"] if repo_root else []) + [package_templates()]:
        if (folder / TEMPLATE_NAME).is_file():
            return folder / TEMPLATE_NAME
    return None


def print_css(source: Source) -> str:
    """The print stylesheet: A4, the organisation at the top of every page, "Pagina X van Y"
    at the bottom, the bureau's fonts and heading sizes. Screens ignore the @page rules."""
    word, of = pick(PAGE, source.language)
    organisation = _css_string(source.organisation)
    return f"""
@page {{
  size: A4; margin: 2.5cm 2.5cm 2.2cm 2.5cm;
  @top-right {{ content: {organisation}; font: 8pt "Liberation Sans", Arial, "DejaVu Sans", sans-serif; color: #555; }}
  @bottom-right {{ content: "{word} " counter(page) " {of} " counter(pages);
    font: 8pt "Liberation Sans", Arial, "DejaVu Sans", sans-serif; color: #555; }}
}}
body {{ font-family: "Liberation Sans", Arial, "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.35;
  color: #1f1f1f; }}
h1, h2, h3, h4, h5, h6 {{ line-height: 1.2; margin: 1.1em 0 .35em; break-after: avoid; page-break-after: avoid; }}
h1 {{ font-size: 16pt; }} h2 {{ font-size: 13pt; }} h3 {{ font-size: 11.5pt; }} h4, h5, h6 {{ font-size: 10.5pt; }}
p, li {{ orphans: 2; widows: 2; }}
p {{ margin: 0 0 .5em; }}
ul, ol {{ margin: 0 0 .6em; padding-left: 1.4em; }}
li {{ margin-bottom: .2em; }}
hr {{ border: 0; border-top: 1px solid #888; margin: .8em 0; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; vertical-align: top; padding: .2em .4em; border-bottom: 1px solid #ccc; }}
tr {{ break-inside: avoid; }}
.idmeet-watermark {{ position: fixed; top: 38%; left: 0; right: 0; text-align: center; font-size: 80pt;
  font-weight: bold; color: rgba(0, 0, 0, .09); transform: rotate(-40deg); pointer-events: none; }}
@media print {{ body {{ max-width: none; margin: 0; }} }}
"""


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def print_page(source: Source, watermark: str | None = None) -> str:
    """The document's HTML page with the print stylesheet (and the watermark) added."""
    page = source.html
    style = f'<style media="print">{print_css(source)}</style>\n'
    head_end = page.lower().find("</head>")
    page = page[:head_end] + style + page[head_end:] if head_end >= 0 else style + page
    if watermark:
        mark = f'<div class="idmeet-watermark" aria-hidden="true">{html.escape(watermark)}</div>\n'
        match = re.search(r"<body[^>]*>\n?", page, re.IGNORECASE)
        at = match.end() if match else 0
        page = page[:at] + mark + page[at:]
    return page


@dataclass(frozen=True)
class Exported:
    """One exported document: its bytes, and the file name it gets when none is given."""

    data: bytes
    title: str
    fmt: str

    @property
    def file_name(self) -> str:
        return file_name(self.title, self.fmt)


def export_meeting(
    repo: Repository, meeting: Meeting, document: str, fmt: str, *, watermark: str | None = None
) -> Exported:
    """``idmeet export MEETING``: the document with the title its file is named after."""
    source = meeting_source(repo, meeting, document)
    return Exported(export(source, fmt, watermark=watermark), source.title, fmt)


def export_open_items(
    repo: Repository,
    as_of: dt.date,
    fmt: str,
    *,
    series: str | None = None,
    owner: str | None = None,
    watermark: str | None = None,
) -> Exported:
    """``idmeet export open-items``: the report over the actions of ``series`` and ``owner``."""
    from idmeet.ops.reports import open_items_scope

    scope, who = open_items_scope(repo, series, owner)
    source = open_items_source(repo, scope, as_of, series=series, only=who)
    return Exported(export(source, fmt, watermark=watermark), source.title, fmt)
