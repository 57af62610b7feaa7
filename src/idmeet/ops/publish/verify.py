"""The proof: extract all text from a publication folder and search it for non-public names.

Every file is read the way a reader (or a search engine) could read it: HTML as its text and
every attribute value and the raw source; PDF as the text of each page and its metadata;
DOCX as every XML part of the zip, with and without the tags; CSV, JSON, Markdown and any
other file as text. File names are searched too. Text is normalised before searching:
accents and case folded, soft hyphens and zero-width characters dropped, a hyphen at the
end of a line joined to the next line, white space collapsed.
"""

from __future__ import annotations

import html
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from idmeet.ops.publish.redact import AFTER, BEFORE, EMAIL_RE, fold

_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_HYPHEN_BREAK_RE = re.compile(r"[-\u2010\u2011]\s*\n\s*")
_TAG_RE = re.compile(r"<[^>]*>")


def normalise(text: str) -> str:
    """Text as searched: invisible characters out, line-end hyphenation joined, accents and
    case folded, white space (and hyphens between words) as one space."""
    text = _INVISIBLE_RE.sub("", text)
    text = _HYPHEN_BREAK_RE.sub("", text)
    return " ".join(fold(text).split())


@dataclass(frozen=True)
class Hit:
    """A name found where it must not be: the file (relative to the folder), where in it, and
    which name."""

    file: str
    where: str  # "text", "page 2", "word/document.xml", "file name", "metadata"
    name: str

    def format(self) -> str:
        return f'{self.file}: {self.where}: non-public name "{self.name}"'


class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.extend(f" {value} " for _, value in attrs if value)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_comment(self, data: str) -> None:
        self.parts.append(f" {data} ")


def html_texts(raw: str) -> Iterator[tuple[str, str]]:
    parser = _HTMLText()
    parser.feed(raw)
    parser.close()
    yield "text and attributes", "".join(parser.parts)
    yield "source", html.unescape(raw)


def pdf_texts(path: Path) -> Iterator[tuple[str, str]]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    for number, page in enumerate(reader.pages, start=1):
        yield f"page {number}", page.extract_text() or ""
    meta = reader.metadata
    yield "metadata", "\n".join(str(v) for v in meta.values()) if meta else ""
    try:
        xmp = reader.xmp_metadata
    except Exception:  # pragma: no cover - a damaged XMP packet: the raw bytes are searched below
        xmp = None
    if xmp is not None:
        yield "XMP metadata", _TAG_RE.sub(" ", xmp.stream.get_data().decode("utf-8", "replace"))


def docx_texts(path: Path) -> Iterator[tuple[str, str]]:
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            data = archive.read(name).decode("utf-8", "replace")
            if name.endswith((".xml", ".rels")):
                # A name split over runs ("Jan" "sen") joins without tags; words stay apart with them.
                yield name, html.unescape(_TAG_RE.sub("", data))
                yield name, html.unescape(_TAG_RE.sub(" ", data))
            else:
                yield name, data


def file_texts(path: Path) -> Iterator[tuple[str, str]]:
    """(where, text) for every readable part of one file."""
    suffix = path.suffix.casefold()
    if suffix in (".html", ".htm", ".xhtml"):
        yield from html_texts(path.read_text("utf-8", "replace"))
    elif suffix == ".pdf":
        yield from pdf_texts(path)
    elif suffix in (".docx", ".xlsx", ".pptx", ".odt"):
        yield from docx_texts(path)
    elif suffix == ".json":
        raw = path.read_text("utf-8", "replace")
        yield "text", raw
        try:
            values = json.dumps(json.loads(raw), ensure_ascii=False)
        except ValueError:
            values = ""
        yield "values", values
    else:
        yield "text", path.read_bytes().decode("utf-8", "replace")


def _needles(names: Iterable[str]) -> list[tuple[str, re.Pattern[str]]]:
    found = []
    for name in sorted(set(names)):
        key = normalise(name)
        if key:
            words = r"[\s-]*".join(re.escape(w) for w in key.split())
            found.append((name, re.compile(rf"{BEFORE}{words}{AFTER}")))
    return found


def search(
    text: str,
    names: Iterable[str],
    public: Iterable[str] = (),
    allowed_emails: Iterable[str] = (),
) -> list[str]:
    """The non-public ``names`` found in ``text`` (normalised), after taking out the public
    names (so "Peter" in a public "Peter Teesink" is no hit), and e-mail addresses."""
    flat = normalise(text)
    for name in sorted({normalise(p) for p in public if p.strip()}, key=len, reverse=True):
        flat = re.sub(rf"{BEFORE}{re.escape(name)}(?:s|'s|\u2019s|'|\u2019)?{AFTER}", " ", flat)
    hits = [name for name, pattern in _needles(names) if pattern.search(flat)]
    allowed = {a.casefold() for a in allowed_emails}
    hits.extend(f"e-mail {m}" for m in sorted(set(EMAIL_RE.findall(flat))) if m.casefold() not in allowed)
    return hits


def verify_folder(
    folder: Path,
    names: Iterable[str],
    public: Iterable[str] = (),
    allowed_emails: Iterable[str] = (),
) -> list[Hit]:
    """Every non-public name (or e-mail address) in any file, or file name, under ``folder``."""
    names = list(names)
    public = list(public)
    allowed = list(allowed_emails)
    hits: list[Hit] = []
    for path in sorted(p for p in folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        hits.extend(Hit(rel, "file name", n) for n in search(rel, names, public, allowed))
        if not path.is_file():
            continue
        seen: set[tuple[str, str]] = set()
        for where, text in file_texts(path):
            for name in search(text, names, public, allowed):
                if (where, name) not in seen:
                    seen.add((where, name))
                    hits.append(Hit(rel, where, name))
    return hits
