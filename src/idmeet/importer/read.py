"""Reading a source document into lines: plain text and Markdown (.txt, .md) and Word (.docx).

Word documents are read with python-docx, paragraph by paragraph in document order (tables
row by row): a heading style becomes a Markdown heading, a list paragraph a list item at
its level (numbered lists get their numbers, as Word shows them), bold and italic runs
become ``**`` and ``*``. Headers and footers (page numbers) are left out.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from idmeet.core.diagnostics import IdmeetError
from idmeet.importer.text import SourceLine

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text", ""})
OTHER_FORMATS = {
    ".doc": "an old Word file (.doc): save it as .docx (Word: Save as > Word Document)",
    ".pdf": "a PDF file: export the document as .docx or .txt instead",
    ".odt": "an OpenDocument file: save it as .docx",
    ".rtf": "an RTF file: save it as .docx or .txt",
    ".pages": "a Pages file: export it as .docx",
}


def read_source(path: Path) -> list[SourceLine]:
    """The lines of a .txt, .md or .docx file; an ``IdmeetError`` for anything else."""
    if not path.exists():
        raise IdmeetError(f"{path}: no such file")
    if path.is_dir():
        raise IdmeetError(f"{path} is a folder, not a document")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IdmeetError(f"cannot read {path}: {exc.strerror}") from None
    suffix = path.suffix.lower()
    if not data.strip():
        raise IdmeetError(f"{path} is empty")
    if suffix == ".docx" or data.startswith(b"PK\x03\x04"):
        return read_docx(path, data)
    if suffix in OTHER_FORMATS:
        raise IdmeetError(f"{path} is {OTHER_FORMATS[suffix]}")
    if data.startswith(b"{\\rtf"):
        raise IdmeetError(f"{path} is {OTHER_FORMATS['.rtf']}")
    if data.startswith(b"%PDF"):
        raise IdmeetError(f"{path} is {OTHER_FORMATS['.pdf']}")
    if suffix not in TEXT_SUFFIXES:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise IdmeetError(
                f"{path} is not a text file or a .docx ('{suffix}'): import .txt, .md or .docx files"
            ) from None
    text = decode_text(data, path)
    if not text.strip():
        raise IdmeetError(f"{path} is empty")
    return [SourceLine(f"line {n}", line) for n, line in enumerate(text.split("\n"), start=1)]


def decode_text(data: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; anything else is a clear error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise IdmeetError(f"{path} is not readable UTF-16 text: save it as UTF-8") from None
    else:
        if b"\x00" in data[:8192]:
            raise IdmeetError(
                f"{path} is not a text file or a .docx (it holds binary data): import .txt, .md or .docx files"
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise IdmeetError(
                f"{path} is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}): "
                "save it as UTF-8 (Word: Save as > Plain text > Unicode (UTF-8))"
            ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if any(ord(c) < 32 and c not in "\n\t\f\v" for c in text[:8192]):
        raise IdmeetError(f"{path} is not a text file or a .docx (it holds control characters)")
    return text


# -- Word ---------------------------------------------------------------------------------

_HEADING_STYLE_RE = re.compile(r"^(?:heading|kop)\s*(\d)$", re.IGNORECASE)
_LIST_STYLE_RE = re.compile(
    r"^(?:list (?:bullet|number|continue)|lijstopsommingsteken|lijstnummering)\s*(\d)?$", re.IGNORECASE
)


def read_docx(path: Path, data: bytes) -> list[SourceLine]:
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:  # pragma: no cover - python-docx is a dependency
        raise IdmeetError("reading .docx needs python-docx: pip install python-docx") from None
    if not zipfile.is_zipfile(path):
        raise IdmeetError(f"{path} is not a Word (.docx) file: it cannot be opened")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IdmeetError(f"{path} is not a readable Word (.docx) file ({type(exc).__name__})") from None
    lines = _DocxReader(document).run()
    if not any(line.text.strip() for line in lines):
        raise IdmeetError(f"{path} is empty (no text in the Word document)")
    return lines


class _DocxReader:
    """Paragraphs (and table cells) in order -> Markdown-ish lines."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.lines: list[SourceLine] = []
        self.paragraph = 0
        self.counters: dict[tuple[str, int], int] = {}
        self.formats: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.last_was_list = False
        try:
            self.numbering = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            self.numbering = None

    def run(self) -> list[SourceLine]:
        from docx.table import Table

        for block in self.document.iter_inner_content():
            if isinstance(block, Table):
                self.table(block)
            else:
                self.paragraph_block(block)
        return self.lines

    def emit(self, text: str, is_list: bool) -> None:
        if self.lines and not (is_list and self.last_was_list) and self.lines[-1].text:
            self.lines.append(SourceLine(f"paragraph {self.paragraph}", ""))
        for part in text.split("\n"):
            self.lines.append(SourceLine(f"paragraph {self.paragraph}", part))
        self.last_was_list = is_list

    def table(self, table: Any) -> None:
        for row in table.rows:
            cells: list[str] = []
            for cell in row.cells:
                text = "\n".join(_runs_text(p) for p in cell.paragraphs).strip()
                if text and text not in cells:  # merged cells repeat their text
                    cells.append(text)
            self.paragraph += 1
            number = re.fullmatch(r"(\d{1,2}[a-z]?)[.)]?", cells[0].strip()) if len(cells) >= 2 else None
            if number:  # an agenda as a table: number | subject | who | time
                self.emit(f"{number.group(1)}. {cells[1]}", False)
                for text in cells[2:]:
                    self.emit(text, False)
            elif len(cells) == 2 and "\n" not in cells[0] and len(cells[0]) <= 40:
                label = cells[0].rstrip(": ")
                self.emit(f"{label}: {cells[1]}", False)
            else:
                for text in cells:
                    self.emit(text, False)

    def paragraph_block(self, paragraph: Any) -> None:
        self.paragraph += 1
        style = paragraph.style.name if paragraph.style is not None else ""
        heading = _HEADING_STYLE_RE.match(style or "")
        is_heading = bool(heading) or style in ("Title", "Titel")
        text = _runs_text(paragraph, style_emphasis=not is_heading)
        if not text.strip():
            self.last_was_list = False
            return
        if is_heading:
            level = int(heading.group(1)) if heading else 1
            self.emit(f"{'#' * min(level, 6)} {_unbold(text.strip())}", False)
            return
        marker, level = self.list_marker(paragraph, style or "")
        if marker:
            self.emit(f"{'   ' * level}{marker} {text.strip()}", True)
            return
        self.emit(text.strip(), False)

    def list_marker(self, paragraph: Any, style: str) -> tuple[str, int]:
        """("-", level) for a bullet, ("3.", level) for a numbered item, ("", 0) otherwise."""
        num_id, level, from_style = _num_pr(paragraph)
        styled = _LIST_STYLE_RE.match(style)
        if num_id is None and styled is None:
            return "", 0
        if from_style and styled and styled.group(1):
            level = max(level, int(styled.group(1)) - 1)  # "List Bullet 2": the style's own level
        if num_id is None:
            level = int(styled.group(1)) - 1 if styled and styled.group(1) else 0
            numbered = "number" in style.lower() or "nummer" in style.lower()
            key = (style, level)
            fmt = ("decimal", "%1.", 1) if numbered else ("bullet", "", 1)
        else:
            key = (num_id, level)
            fmt = self.level_format(num_id, level)
        kind, pattern, start = fmt
        if kind in ("bullet", "none", ""):
            return "-", level
        for other in [k for k in self.counters if k[0] == key[0] and k[1] > level]:
            del self.counters[other]
        self.counters[key] = self.counters.get(key, start - 1) + 1
        value = self.counters[key]
        shown = _number_text(kind, value)
        text = re.sub(r"%\d", shown, pattern or "%1.") if pattern else f"{shown}."
        return text.strip() or "-", level

    def level_format(self, num_id: str, level: int) -> tuple[str, str, int]:
        """(numFmt, lvlText, start) of a numbering level, from the document's numbering part."""
        if (num_id, level) in self.formats:
            return self.formats[(num_id, level)]
        found = ("bullet", "", 1)
        if self.numbering is not None:
            nums = self.numbering.xpath(f'./w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')
            if nums:
                lvl = f'./w:abstractNum[@w:abstractNumId="{nums[0]}"]/w:lvl[@w:ilvl="{level}"]'
                fmt = self.numbering.xpath(f"{lvl}/w:numFmt/@w:val")
                text = self.numbering.xpath(f"{lvl}/w:lvlText/@w:val")
                start = self.numbering.xpath(f"{lvl}/w:start/@w:val")
                if fmt or text:
                    found = (
                        str(fmt[0]) if fmt else "decimal",
                        str(text[0]) if text else "%1.",
                        int(start[0]) if start and str(start[0]).isdigit() else 1,
                    )
        self.formats[(num_id, level)] = found
        return found


def _num_pr(paragraph: Any) -> tuple[str | None, int, bool]:
    """The numbering id and level of a paragraph, and whether they come from its style."""
    for element, from_style in ((paragraph._p, False), (getattr(paragraph.style, "element", None), True)):
        if element is None:
            continue
        ppr = element.pPr
        numpr = ppr.numPr if ppr is not None else None
        if numpr is not None and numpr.numId is not None:
            num_id = str(numpr.numId.val)
            if num_id == "0":
                return None, 0, False
            level = int(numpr.ilvl.val) if numpr.ilvl is not None else 0
            return num_id, level, from_style
    return None, 0, False


def _number_text(kind: str, value: int) -> str:
    if kind in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26)
        return letter.upper() if kind == "upperLetter" else letter
    if kind in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman if kind == "upperRoman" else roman.lower()
    return str(value)


def _roman(value: int) -> str:
    out = ""
    for number, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while value >= number:
            out, value = out + letters, value - number
    return out


def _unbold(text: str) -> str:
    return text[2:-2] if text.startswith("**") and text.endswith("**") and len(text) > 4 else text


def _runs_text(paragraph: Any, style_emphasis: bool = True) -> str:
    """The paragraph's text with bold as ``**`` and italic as ``*``; links as Markdown links.

    A run's own bold or italic counts, and else its character style's and (unless
    ``style_emphasis`` is off, as for headings) its paragraph style's.
    """
    from docx.text.hyperlink import Hyperlink

    style_font = getattr(getattr(paragraph, "style", None), "font", None) if style_emphasis else None
    base_bold = bool(getattr(style_font, "bold", None))
    base_italic = bool(getattr(style_font, "italic", None))
    pieces: list[tuple[str, bool, bool]] = []
    for content in paragraph.iter_inner_content():
        if isinstance(content, Hyperlink):
            label = "".join(run.text for run in content.runs)
            address = content.url if hasattr(content, "url") else content.address
            text = f"[{label}]({address})" if address else label
            pieces.append((text, False, False))
            continue
        char_style = (content.style.name if content.style is not None else "") or ""
        bold = content.bold if content.bold is not None else (char_style in ("Strong", "Zwaar") or base_bold)
        italic = content.italic if content.italic is not None else (char_style in ("Emphasis", "Nadruk") or base_italic)
        pieces.append((content.text, bool(bold), bool(italic)))
    merged: list[list[Any]] = []
    for text, bold, italic in pieces:
        if merged and merged[-1][1:] == [bold, italic]:
            merged[-1][0] += text
        else:
            merged.append([text, bold, italic])
    out = []
    for text, bold, italic in merged:
        lines = []
        for part in str(text).split("\n"):
            marker = ("**" if bold else "") + ("*" if italic else "")
            core = part.strip()
            if marker and core:
                lead = part[: len(part) - len(part.lstrip())]
                trail = part[len(part.rstrip()) :]
                part = f"{lead}{marker}{core}{marker[::-1]}{trail}"
            lines.append(part)
        out.append("\n".join(lines))
    return "".join(out)
