"""公文 layout per GB/T 9704-2012 in a Word document (python-docx): the page, the named paragraph
styles and their fonts, page numbers and the edition mark. What the document says is the caller's
(workbench.report.qingshi: the 请示); this module only lays it out.

A4 portrait, margins 37 / 35 / 28 / 26 mm (top, bottom, left, right), 22 lines to the page (fixed
line spacing of 28.95 pt over the 225 mm 版心) of 3号 (16 pt) 仿宋, 28 characters to the line;
the title in 2号 (22 pt) 小标宋, centred; 主送机关 flush left; paragraphs indented two characters;
headings 一、 in 黑体 and （一） in 楷体; page numbers in 4号 宋体 as "— 1 —", right on odd pages
and left on even pages, one character in from the edge of the text block (7.5).

Every paragraph uses one of the document's own named paragraph styles (公文标题, 主送机关,
公文正文, 一级标题, 二级标题, 附件说明, 发文机关署名, 成文日期, 附注, 页码, 版本标记: their names
are in QINGSHI_LABELS), so a WPS or Word user restyles the whole document by editing a style, the
way 公文 templates are kept. Fonts are East Asian fonts (``w:eastAsia``), with Times New Roman for
digits and Latin; a font a machine lacks falls back to the alternative named in the font table
(``w:altName``: 仿宋_GB2312 → 仿宋, 方正小标宋简体 → 宋体, 楷体_GB2312 → 楷体).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Length, Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from workbench import __version__
from workbench.labels import PRODUCT_TITLE, QINGSHI_LABELS, REPORT_LABELS

Q = QINGSHI_LABELS

# GB/T 9704-2012 5.2: A4; 5.2.1 margins (天头 37 mm, 订口 28 mm; 版心 156 × 225 mm).
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
# 字号: 2号 22 pt (title), 3号 16 pt (text), 4号 14 pt (page numbers).
SIZE_2, SIZE_3, SIZE_4 = Pt(22), Pt(16), Pt(14)
# 5.2.2: 22 lines in the 225 mm 版心 (≈ 28.95 pt, the "固定值28.95磅" of 公文 templates).
LINE = Pt(28.95)
# 7.5: the page number's 一字线 sits 7 mm under the 版心: the footer's baseline ≈ 35 − 7 − 5 mm.
FOOTER_DISTANCE = Mm(23)
HEADER_DISTANCE = Mm(15)
PAGE_DASH = "—"  # 一字线 either side of the page number (7.5)
LATIN_FONT = "Times New Roman"
GB2312_CHARSET = "86"


@dataclass(frozen=True)
class Line:
    """One paragraph of the draft: the role (which named style) and its text ("\\n" breaks a
    line inside the paragraph, as the title does)."""

    role: str
    text: str = ""


@dataclass(frozen=True)
class StyleSpec:
    """A named paragraph style: indents in characters of its own size (GB/T 9704 counts in
    characters: 空二字, 右空四字), written both as characters (``w:firstLineChars``, what Word
    and WPS keep when the user changes the size) and as lengths (for readers without them)."""

    style_id: str
    font: str  # the key of its fonts in QINGSHI_LABELS: font_<font>, font_<font>_alt
    size: Length
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY
    first_line: int = 0  # characters; negative: hanging
    left: int = 0
    right: int = 0
    outline: int | None = None  # 0: level 1 in the navigation pane
    keep_with_next: bool = False
    space_after: Length = field(default_factory=lambda: Pt(0))
    base: str | None = "body"


STYLES: dict[str, StyleSpec] = {
    "body": StyleSpec("GwBody", "body", SIZE_3, first_line=2, base=None),
    "title": StyleSpec(
        "GwTitle", "title", SIZE_2, WD_ALIGN_PARAGRAPH.CENTER, space_after=LINE, base=None
    ),
    "addressee": StyleSpec("GwAddressee", "body", SIZE_3, WD_ALIGN_PARAGRAPH.LEFT),
    "heading1": StyleSpec(
        "GwHeading1", "heading1", SIZE_3, first_line=2, outline=0, keep_with_next=True
    ),
    "heading2": StyleSpec(
        "GwHeading2", "heading2", SIZE_3, first_line=2, outline=1, keep_with_next=True
    ),
    # 附件：1.…, with 2.… under 1.: indented five characters, the first line hanging three.
    "attachment": StyleSpec(
        "GwAttachment", "body", SIZE_3, WD_ALIGN_PARAGRAPH.LEFT, first_line=-3, left=5
    ),
    "signer": StyleSpec("GwSigner", "body", SIZE_3, WD_ALIGN_PARAGRAPH.RIGHT, right=2),
    "date": StyleSpec("GwDate", "body", SIZE_3, WD_ALIGN_PARAGRAPH.RIGHT, right=4),
    "note": StyleSpec("GwNote", "body", SIZE_3, WD_ALIGN_PARAGRAPH.LEFT, first_line=2),
    "page_number": StyleSpec(
        "GwPageNumber", "page_number", SIZE_4, WD_ALIGN_PARAGRAPH.RIGHT, right=1, base=None
    ),
    "mark": StyleSpec("GwMark", "heading1", SIZE_3, WD_ALIGN_PARAGRAPH.LEFT, base=None),
}
NEXT_STYLE = {"title": "addressee", "heading1": "body", "heading2": "body"}


def _set_fonts(rpr: object, font: str) -> None:
    """East Asian font from the labels, Times New Roman for digits and Latin (no theme fonts:
    a theme's East Asian font would be the template's, not the 公文's)."""
    rfonts = rpr.get_or_add_rFonts()  # type: ignore[attr-defined]
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "cs"):
        rfonts.set(qn(f"w:{attr}"), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), Q[f"font_{font}"])


def _indent(ind: object, *, size: Length, left: int = 0, right: int = 0, first: int = 0) -> None:
    """Every indent written, zeros too, so that a style based on 公文正文 does not inherit its
    first-line indent (主送机关 stands flush left)."""
    twips = int(size.pt * 20)
    for attr in list(ind.attrib):  # type: ignore[attr-defined]
        del ind.attrib[attr]  # type: ignore[attr-defined]
    values = {"left": left, "right": right}
    values["firstLine" if first >= 0 else "hanging"] = abs(first)
    for attr, chars in values.items():
        ind.set(qn(f"w:{attr}Chars"), str(chars * 100))  # type: ignore[attr-defined]
        ind.set(qn(f"w:{attr}"), str(chars * twips))  # type: ignore[attr-defined]


def _add_styles(doc: DocxDocument) -> dict[str, ParagraphStyle]:
    styles: dict[str, ParagraphStyle] = {}
    for role, spec in STYLES.items():
        style = doc.styles.add_style(Q[f"style_{role}"], WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = spec.style_id
        style.quick_style = True
        if spec.base:
            style.base_style = styles[spec.base]
        style.font.size = spec.size
        style.font.bold = False
        _set_fonts(style.element.get_or_add_rPr(), spec.font)
        fmt = style.paragraph_format
        fmt.alignment = spec.align
        fmt.line_spacing = LINE  # a length: exact spacing (固定值)
        fmt.space_before, fmt.space_after = Pt(0), spec.space_after
        fmt.keep_with_next = spec.keep_with_next
        fmt.widow_control = False  # 公文 fill every line of the 版心
        ppr = style.element.get_or_add_pPr()
        _indent(
            ppr.get_or_add_ind(),
            size=spec.size,
            left=spec.left,
            right=spec.right,
            first=spec.first_line,
        )
        if spec.outline is not None:
            ppr.get_or_add_outlineLvl().set(qn("w:val"), str(spec.outline))
        styles[role] = style
    for role, following in NEXT_STYLE.items():
        styles[role].next_paragraph_style = styles[following]
    return styles


def _document_defaults(doc: DocxDocument) -> None:
    """Defaults for anything without a style of its own: 仿宋 3号, Chinese as the East Asian
    language (line breaking, punctuation compression), no template spacing."""
    root = doc.styles.element
    rpr = root.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, "body")
    rpr.get_or_add_sz().set(qn("w:val"), str(int(SIZE_3.pt * 2)))
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    ppr = root.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    if spacing is not None:
        ppr.remove(spacing)
    settings = doc.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
    control = settings.find(qn("w:characterSpacingControl"))
    if control is not None:
        control.set(qn("w:val"), "compressPunctuation")
    # The template's preview picture is a blank page: no preview rather than a wrong one.
    preview = settings.find(qn("w:savePreviewPicture"))
    if preview is not None:
        settings.remove(preview)
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rid)


def _font_table(doc: DocxDocument) -> None:
    """The fonts the document uses, each CJK one with the font Word substitutes when it is not
    installed (``w:altName``); replaces the template's table (Calibri, ＭＳ 明朝 …)."""
    part = doc.part.part_related_by(RT.FONT_TABLE)
    entries = [
        f'<w:font w:name="{LATIN_FONT}"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>'
    ]
    seen = set()
    for spec in STYLES.values():
        name, alt = Q[f"font_{spec.font}"], Q[f"font_{spec.font}_alt"]
        if name in seen:
            continue
        seen.add(name)
        alt_xml = f'<w:altName w:val="{alt}"/>' if alt != name else ""
        entries.append(
            f'<w:font w:name="{name}">{alt_xml}<w:charset w:val="{GB2312_CHARSET}"/>'
            '<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
        )
    xml = f"<w:fonts {nsdecls('w')}>{''.join(entries)}</w:fonts>"
    # python-docx keeps the font table as an opaque part: its bytes are replaced, not edited.
    part._blob = etree.tostring(
        parse_xml(xml), xml_declaration=True, encoding="UTF-8", standalone=True
    )


def _page_setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance, section.footer_distance = HEADER_DISTANCE, FOOTER_DISTANCE
    # 22 lines come from the styles' fixed spacing, not from a line grid: a grid would snap the
    # 2号 title onto two grid lines a line (LibreOffice does); the pitch is kept for WPS's page
    # setup dialog (每页行数).
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.attrib.pop(qn("w:type"), None)
    grid.set(qn("w:linePitch"), str(round(LINE.pt * 20)))


def _field(paragraph: DocxParagraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE): begin, instruction, separate, the value shown until updated, end."""

    def fld(kind: str) -> None:
        run = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run._r.append(el)

    fld("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    fld("separate")
    paragraph.add_run(shown)
    fld("end")


def _page_numbers(doc: DocxDocument, styles: dict[str, ParagraphStyle]) -> None:
    """— 1 — in 4号 宋体: odd pages right, even pages left, one character in (7.5)."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, even in ((section.footer, False), (section.even_page_footer, True)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = styles["page_number"]
        if even:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            _indent(paragraph._p.get_or_add_pPr().get_or_add_ind(), size=SIZE_4, left=1)
        paragraph.add_run(f"{PAGE_DASH} ")
        _field(paragraph, "PAGE", "1")
        paragraph.add_run(f" {PAGE_DASH}")


def _mark(doc: DocxDocument, styles: dict[str, ParagraphStyle], mark: str) -> None:
    """The edition mark where GB/T 9704 puts the 密级 (top left, 3号黑体), on every page."""
    section = doc.sections[0]
    for header in (section.header, section.even_page_header):
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0]
        paragraph.style = styles["mark"]
        paragraph.add_run(mark)


def _properties(doc: DocxDocument, title: str) -> None:
    """Chinese document properties instead of the template's (python-docx, 2013)."""
    now = dt.datetime.now().replace(microsecond=0)
    props = doc.core_properties
    props.title = title
    props.author = ""
    props.last_modified_by = ""
    props.comments = REPORT_LABELS["generated_by"].format(
        product=PRODUCT_TITLE, version=__version__
    )
    props.language = "zh-CN"
    props.created = props.modified = now
    props.revision = 1


def write_gongwen(lines: Sequence[Line], path: str | Path, *, title: str, mark: str = "") -> Path:
    """Lay ``lines`` out as a 公文 and save it to ``path`` (.docx); ``title`` is the document's
    title property, ``mark`` (when given) stands at the top left of every page."""
    doc = Document()
    _page_setup(doc)
    _document_defaults(doc)
    styles = _add_styles(doc)
    previous = ""
    for line in lines:
        paragraph = doc.add_paragraph(style=styles[line.role])
        if line.text:
            paragraph.add_run(line.text)
        if line.role == previous == "attachment":
            # 2.… stands under 1.… (7.3.4): without the style's hanging 附件：.
            spec = STYLES["attachment"]
            ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
            _indent(ind, size=spec.size, left=spec.left, right=spec.right)
        previous = line.role
    _page_numbers(doc, styles)
    if mark:
        _mark(doc, styles, mark)
    _font_table(doc)
    _properties(doc, title)
    path = Path(path)
    doc.save(str(path))
    return path


__all__ = ["STYLES", "Line", "StyleSpec", "write_gongwen"]
