"""Markdown to Word (DOCX) through python-docx, into a Word template.

The template is ``templates/reference.docx`` of the repository when it has one, else the one
that ships with idmeet (built by ``reference_docx``). Its styles do the layout: "Heading 1"..
"Heading 4", "List Bullet" (2, 3), "List Number" (2, 3), "Quote", "Table Grid"; its header and
footer are kept, with ``{organisation}`` and ``{title}`` in them filled in.

The document gets real Word structure from the Markdown's tokens (markdown-it-py): headings,
paragraphs with bold and italic runs, bullet and numbered lists (every numbered list starts
at its own first number), tables, rules. The file is made deterministic afterwards: fixed
zip timestamps and order, core properties with only the title, the author (the
organisation) and the language, nothing of the machine, the user or python-docx.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from idmeet.core.diagnostics import IdmeetError
from idmeet.core.words import PAGE

TEMPLATE_NAME = "reference.docx"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FONT = "Arial"


def markdown_to_docx(
    markdown: str,
    *,
    title: str,
    organisation: str,
    language: str = "nl",
    template: Path | None = None,
    watermark: str | None = None,
) -> bytes:
    """A Word document of ``markdown``, in ``template`` (idmeet's own when None)."""
    from docx import Document
    from markdown_it import MarkdownIt

    source: Any = str(template) if template else io.BytesIO(reference_docx())
    try:
        doc = Document(source)
    except Exception as exc:  # a broken or non-Word template file
        raise IdmeetError(f"{template}: not a usable Word template ({type(exc).__name__})") from None
    body = doc.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    tokens = MarkdownIt("commonmark", {"html": False}).enable("table").parse(markdown)
    _Writer(doc).write(tokens)
    _fill_header_footer(doc, {"{organisation}": organisation, "{title}": title}, watermark)
    out = io.BytesIO()
    doc.save(out)
    return normalise(out.getvalue(), title=title, author=organisation, language=language)


class _Writer:
    """Walks markdown-it's block tokens and adds paragraphs, lists and tables to ``doc``."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.lists: list[dict[str, Any]] = []  # open lists, innermost last
        self.item_paragraphs: list[int] = []  # paragraphs so far in each open list item
        self.quote = 0

    def write(self, tokens: list[Any]) -> None:
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            kind = tok.type
            if kind == "heading_open":
                level = int(tok.tag[1])
                self.inline(self.doc.add_paragraph(style=f"Heading {min(level, 4)}"), tokens[i + 1])
                i += 2
            elif kind == "paragraph_open":
                self.inline(self.paragraph(), tokens[i + 1])
                i += 2
            elif kind in ("bullet_list_open", "ordered_list_open"):
                self.open_list(kind == "ordered_list_open", int(tok.attrs.get("start", 1) or 1))
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
            elif kind == "list_item_open":
                self.item_paragraphs.append(0)
            elif kind == "list_item_close":
                self.item_paragraphs.pop()
            elif kind == "blockquote_open":
                self.quote += 1
            elif kind == "blockquote_close":
                self.quote -= 1
            elif kind == "hr":
                self.rule()
            elif kind in ("fence", "code_block"):
                for line in tok.content.rstrip("\n").split("\n"):
                    run = self.paragraph().add_run(line)
                    run.font.name = "Courier New"
            elif kind == "table_open":
                i = self.table(tokens, i)
            i += 1

    def paragraph(self) -> Any:
        """A new paragraph styled for where it stands: in a list item, a quote, or the body."""
        if self.lists and self.item_paragraphs:
            current = self.lists[-1]
            depth = min(len(self.lists), 3)
            suffix = "" if depth == 1 else f" {depth}"
            first = self.item_paragraphs[-1] == 0
            self.item_paragraphs[-1] += 1
            if not first:
                return self.doc.add_paragraph(style=f"List Continue{suffix}")
            if current["ordered"]:
                paragraph = self.doc.add_paragraph(style=f"List Number{suffix}")
                _set_numbering(paragraph, current["num_id"])
                return paragraph
            return self.doc.add_paragraph(style=f"List Bullet{suffix}")
        return self.doc.add_paragraph(style="Quote" if self.quote else None)

    def open_list(self, ordered: bool, start: int) -> None:
        num_id = None
        if ordered:
            depth = min(len(self.lists) + 1, 3)
            num_id = _restarted_numbering(self.doc, "List Number" + ("" if depth == 1 else f" {depth}"), start)
        self.lists.append({"ordered": ordered, "num_id": num_id})

    def inline(self, paragraph: Any, token: Any) -> None:
        """The runs of one inline token: text with bold, italic and code as run properties."""
        bold = italic = 0
        for child in token.children or []:
            kind = child.type
            if kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind == "em_open":
                italic += 1
            elif kind == "em_close":
                italic -= 1
            elif kind in ("text", "code_inline", "html_inline", "image"):
                text = child.content
                if not text:
                    continue
                run = paragraph.add_run(text)
                run.bold = bool(bold) or None
                run.italic = bool(italic) or None
                if kind == "code_inline":
                    run.font.name = "Courier New"
            elif kind == "softbreak":
                paragraph.add_run(" ")
            elif kind == "hardbreak":
                paragraph.add_run().add_break()

    def rule(self) -> None:
        """A horizontal rule (``---``): an empty paragraph with a bottom border."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        paragraph = self.doc.add_paragraph()
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "808080")):
            bottom.set(qn(key), value)
        borders.append(bottom)
        paragraph._p.get_or_add_pPr().append(borders)

    def table(self, tokens: list[Any], i: int) -> int:
        """A Markdown table as a Word table (header row bold); returns the index of table_close."""
        rows: list[list[Any]] = []
        header_rows = 0
        in_head = False
        while tokens[i].type != "table_close":
            kind = tokens[i].type
            if kind == "thead_open":
                in_head = True
            elif kind == "thead_close":
                in_head = False
            elif kind == "tr_open":
                rows.append([])
                header_rows += in_head
            elif kind == "inline":
                rows[-1].append(tokens[i])
            i += 1
        columns = max((len(r) for r in rows), default=0)
        if not rows or not columns:
            return i
        table = self.doc.add_table(rows=len(rows), cols=columns)
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, cell_token in enumerate(row):
                paragraph = table.cell(r, c).paragraphs[0]
                self.inline(paragraph, cell_token)
                if r < header_rows:
                    for run in paragraph.runs:
                        run.bold = True
        self.doc.add_paragraph()
        return i


def _set_numbering(paragraph: Any, num_id: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


def _restarted_numbering(doc: Any, style_name: str, start: int) -> int | None:
    """A new Word list (w:num) on the numbering of ``style_name`` that starts at ``start``, so
    each numbered list of the Markdown counts from its own first number."""
    try:
        style = doc.styles[style_name]
        num_id = style.element.pPr.numPr.numId.val
        numbering = doc.part.numbering_part.element
        abstract = numbering.num_having_numId(num_id).abstractNumId.val
    except (KeyError, AttributeError):  # a template without numbered list styles: plain paragraphs
        return None
    num = numbering.add_num(abstract)
    num.add_lvlOverride(0).add_startOverride(start)
    return int(num.numId)


def _fill_header_footer(doc: Any, values: dict[str, str], watermark: str | None) -> None:
    """Replace the placeholders in the headers and footers; the watermark goes into every header."""
    for section in doc.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            if part.is_linked_to_previous and part is not section.header and part is not section.footer:
                continue
            for paragraph in part.paragraphs:
                for run in paragraph.runs:
                    text = run.text
                    for key, value in values.items():
                        text = text.replace(key, value)
                    if text != run.text:
                        run.text = text
        if watermark:
            _add_watermark(section.header, watermark)


def _add_watermark(header: Any, text: str) -> None:
    """Word's own kind of watermark: large pale text, diagonal behind the page (a VML text
    shape in the header, as Word writes "Ontwerp"/"Concept"), on every page of the section."""
    from docx.oxml import parse_xml

    paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    string = escape(text, {'"': "&quot;"})
    xml = (
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:w10="urn:schemas-microsoft-com:office:word"><w:rPr><w:noProof/></w:rPr><w:pict>'
        '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
        'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/>'
        '<v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>'
        '<v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/>'
        '<v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>'
        '<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" '
        'o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" '
        'shapetype="t"/></v:shapetype><v:shape id="idmeetWatermark" o:spid="_x0000_s2049" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:110pt;rotation:315;'
        "z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
        'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f" '
        'fillcolor="#d0d0d0" stroked="f"><v:fill opacity=".5"/>'
        f'<v:textpath style="font-family:&quot;{FONT}&quot;;font-size:1pt" string="{string}"/>'
        '<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>'
    )
    paragraph._p.append(parse_xml(xml))


def reference_docx() -> bytes:
    """idmeet's Word template: A4, Arial, the bureau's heading sizes, the organisation in the
    header, "Pagina X van Y" (PAGE and NUMPAGES fields) in the footer. Built from
    python-docx's default document, deterministically; ``templates/reference.docx`` is this
    file (``python3 -m idmeet.ops.export.docx templates/reference.docx`` writes it again)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.2)
    dark = RGBColor(0x1F, 0x1F, 0x1F)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(10.5)
    _east_asian_font(normal, FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    sizes = {"Title": 18, "Heading 1": 16, "Heading 2": 13, "Heading 3": 11.5, "Heading 4": 10.5}
    for name, size in sizes.items():
        style = doc.styles[name]
        style.font.name, style.font.size, style.font.bold = FONT, Pt(size), True
        style.font.italic = False
        style.font.color.rgb = dark
        _east_asian_font(style, FONT)
        style.paragraph_format.space_before = Pt(12 if size >= 13 else 9)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True
    for name in ("List Bullet", "List Bullet 2", "List Bullet 3", "List Number", "List Number 2", "List Number 3"):
        doc.styles[name].paragraph_format.space_after = Pt(3)
    for name in ("Header", "Footer"):
        doc.styles[name].font.name, doc.styles[name].font.size = FONT, Pt(8)
        doc.styles[name].font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    header = section.header.paragraphs[0]
    header.text = "{organisation}"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run(f"{PAGE['nl'][0]} ")
    _add_field(footer, "PAGE")
    footer.add_run(f" {PAGE['nl'][1]} ")
    _add_field(footer, "NUMPAGES")
    for child in list(doc.element.body):
        if not child.tag.endswith("}sectPr"):
            doc.element.body.remove(child)
    out = io.BytesIO()
    doc.save(out)
    return normalise(out.getvalue(), title="", author="", language="nl")


def _east_asian_font(style: Any, name: str) -> None:
    from docx.oxml.ns import qn

    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for key in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(key), name)
    for key in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):  # a theme font would win
        fonts.attrib.pop(qn(key), None)


def _add_field(paragraph: Any, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) as begin / instruction / separate / shown value / end."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    paragraph.add_run()._r.append(char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {code} "
    paragraph.add_run()._r.append(instr)
    paragraph.add_run()._r.append(char("separate"))
    paragraph.add_run("1")
    paragraph.add_run()._r.append(char("end"))


CORE_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator><dc:language>{language}</dc:language>"
    "</cp:coreProperties>"
)
APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Company>{author}</Company></Properties>"
)
_DROPPED = ("docProps/thumbnail.jpeg",)


def normalise(data: bytes, *, title: str, author: str, language: str) -> bytes:
    """The same DOCX, deterministic and free of the machine: core properties with only
    ``title``, ``author`` and ``language``; an app.xml with only the organisation; no
    thumbnail; every entry with a fixed time, fixed attributes and in a fixed order."""
    values = {"title": escape(title), "author": escape(author), "language": escape(language)}
    source = zipfile.ZipFile(io.BytesIO(data))
    names = sorted((n for n in source.namelist() if n not in _DROPPED), key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            content = source.read(name)
            if name == "docProps/core.xml":
                content = CORE_XML.format(**values).encode()
            elif name == "docProps/app.xml":
                content = APP_XML.format(**values).encode()
            elif name in ("_rels/.rels", "[Content_Types].xml"):
                content = re.sub(rb"<(Relationship|Override)[^>]*thumbnail[^>]*/>", b"", content)
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, content, compresslevel=9)
    return out.getvalue()


if __name__ == "__main__":  # pragma: no cover - writes the shipped template again
    import sys

    Path(sys.argv[1]).write_bytes(reference_docx())
