"""Word and PDF files of a :class:`~chainmap.briefs.document.Brief`.

* **Word** with python-docx: headings, tables in the ``Table Grid`` style,
  the picture scaled to the page. East-Asian text is set in 宋体 / 黑体 (on
  every Windows and WPS machine); Word does not embed fonts, the reader's
  own are used.
* **PDF** with fpdf2, Chinese font **embedded** (subset): Noto Sans CJK SC
  from Debian's ``fonts-noto-cjk`` (``tools/start`` and ``tools/test``
  install it), so the file reads the same on a machine without Chinese fonts
  and its text stays searchable and copyable (``pdftotext``).
"""
from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

from .document import Brief, Bullets, Heading, Para, Picture, Sources, Table

__all__ = ["to_docx", "to_pdf", "cjk_font", "FontMissing", "FORMATS"]

#: Output formats and their MIME types.
FORMATS = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "pdf": "application/pdf"}


class FontMissing(RuntimeError):
    """No Chinese font to embed in a PDF (install Debian's fonts-noto-cjk)."""


#: Where distributions put Noto Sans CJK (a TTC: index 2 is the Simplified Chinese face).
_FONT_PATHS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-{w}.ttc",       # Debian, Ubuntu
               "/usr/share/fonts/noto-cjk/NotoSansCJK-{w}.ttc",             # Arch, Fedora
               "/usr/share/fonts/google-noto-cjk/NotoSansCJK-{w}.ttc",
               "/System/Library/Fonts/Supplemental/NotoSansCJK-{w}.ttc")
_SC = 2   # Noto Sans CJK TTC order: JP, KR, SC, TC, HK


def cjk_font(weight: str = "Regular") -> tuple[Path, int]:
    """``(path, index in the collection)`` of a Simplified-Chinese font to embed.

    Looks in the usual places, then asks fontconfig (``fc-match``).

    Raises
    ------
    FontMissing
        When no CJK font is installed.
    """
    for pattern in _FONT_PATHS:
        p = Path(pattern.format(w=weight))
        if p.exists():
            return p, _SC
    if shutil.which("fc-match"):
        style = "Bold" if weight == "Bold" else "Regular"
        out = subprocess.run(["fc-match", "-f", "%{file}\n%{index}", f"Noto Sans CJK SC:style={style}"],
                             capture_output=True, text=True, timeout=20).stdout.split("\n")
        if out and out[0] and "CJK" in out[0] and Path(out[0]).exists():
            return Path(out[0]), int(out[1] or 0)
    raise FontMissing("no Chinese font to embed in the PDF: install Debian's fonts-noto-cjk "
                      "(apt-get install fonts-noto-cjk; tools/start does it)")


# ---------------------------------------------------------------------------- Word
_ZH_BODY, _ZH_HEAD = "宋体", "黑体"


def _east_asian(run_or_style, name: str) -> None:
    from docx.oxml.ns import qn

    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)
    fonts.attrib.pop(qn("w:eastAsiaTheme"), None)   # a theme font would win over the named one


def to_docx(brief: Brief) -> bytes:
    """The brief as a Word file (bytes).

    >>> from chainmap.briefs.document import Para
    >>> import docx, io
    >>> data = to_docx(Brief("一企一策：建滔集团").add(Para("强链：壮大【覆铜板】")))
    >>> [p.text for p in docx.Document(io.BytesIO(data)).paragraphs][:1]
    ['一企一策：建滔集团']
    """
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    d = docx.Document()
    sec = d.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2)
    sec.top_margin = sec.bottom_margin = Cm(2)
    normal = d.styles["Normal"]
    normal.font.size = Pt(10.5)
    _east_asian(normal, _ZH_BODY)
    for name in ("Title", "Heading 1", "Heading 2"):
        _east_asian(d.styles[name], _ZH_HEAD)
    d.core_properties.title = brief.title
    d.core_properties.language = "zh-CN" if brief.lang == "zh" else "en"

    d.add_heading(brief.title, level=0)
    if brief.subtitle:
        p = d.add_paragraph(brief.subtitle)
        p.runs[0].font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    width = sec.page_width - sec.left_margin - sec.right_margin
    for b in brief.blocks:
        if isinstance(b, Heading):
            d.add_heading(b.text, level=min(b.level, 3))
        elif isinstance(b, Para):
            run = d.add_paragraph().add_run(b.text)
            run.bold = b.bold
            if b.small:
                run.font.size = Pt(9)
        elif isinstance(b, Bullets):
            for item in b.items:
                d.add_paragraph(item, style="List Bullet")
        elif isinstance(b, Table):
            t = d.add_table(rows=1, cols=len(b.headers))
            t.style = "Table Grid"
            for cell, h in zip(t.rows[0].cells, b.headers):
                cell.text = ""
                cell.paragraphs[0].add_run(h).bold = True
            for r in b.rows:
                for cell, v in zip(t.add_row().cells, r):
                    cell.text = v
            if b.widths:
                total = sum(b.widths)
                for col, w in zip(t.columns, b.widths):
                    for cell in col.cells:
                        cell.width = int(width * w / total)
            d.add_paragraph()
        elif isinstance(b, Picture):
            d.add_picture(io.BytesIO(b.png), width=width)
            if b.caption:
                cap = d.add_paragraph(b.caption)
                cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
                cap.runs[0].font.size = Pt(9)
        elif isinstance(b, Sources):
            d.add_heading(b.title, level=1)
            for i, s in enumerate(b.items, 1):
                p = d.add_paragraph(f"[{i}] {s}")
                p.runs[0].font.size = Pt(9)
    if brief.footer:
        fp = sec.footer.paragraphs[0]
        fp.text = brief.footer
        fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# ----------------------------------------------------------------------------- PDF
def to_pdf(brief: Brief) -> bytes:
    """The brief as a PDF (bytes) with the Chinese font embedded.

    Raises
    ------
    FontMissing
        When no CJK font is installed (see :func:`cjk_font`).

    Examples
    --------
    >>> from chainmap.briefs.document import Para
    >>> pdf = to_pdf(Brief("一企一策：建滔集团").add(Para("强链：壮大【覆铜板】")))
    >>> pdf[:5], b"/FontFile3" in pdf      # the font program is inside the file
    (b'%PDF-', True)
    """
    from fpdf import FPDF
    from fpdf.enums import TextMode
    from fpdf.fonts import FontFace

    regular = cjk_font("Regular")
    footer = brief.footer
    page_word = "第 {n} 页" if brief.lang == "zh" else "page {n}"

    class _Pdf(FPDF):
        def footer(self):
            self.set_y(-12)
            self.set_font("cjk", size=8)
            self.set_text_color(120)
            self.cell(0, 6, f"{footer}　{page_word.format(n=self.page_no())}".strip(), align="C")

    pdf = _Pdf(format="A4", unit="mm")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=18)
    # One embedded face only: subsetting a CJK font is most of the time spent, so bold is drawn
    # (fill and stroke of the same glyphs) rather than taken from a second 16 MB font.
    pdf.add_font("cjk", "", str(regular[0]), collection_font_number=regular[1])

    def bold(on: bool) -> None:
        pdf.text_mode = TextMode.FILL_STROKE if on else TextMode.FILL
        pdf.set_line_width(0.22 if on else 0.2)
    pdf.set_title(brief.title)
    pdf.set_lang("zh-CN" if brief.lang == "zh" else "en")
    pdf.set_creator("chainmap")
    pdf.add_page()
    w = pdf.epw

    pdf.set_font("cjk", "", 18)
    bold(True)
    pdf.multi_cell(w, 10, brief.title, new_x="LMARGIN", new_y="NEXT")
    bold(False)
    if brief.subtitle:
        pdf.set_font("cjk", "", 9.5)
        pdf.set_text_color(90)
        pdf.multi_cell(w, 5.5, brief.subtitle, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
    pdf.ln(3)
    for b in brief.blocks:
        if isinstance(b, Heading):
            if pdf.get_y() > pdf.h - 45:
                pdf.add_page()
            pdf.ln(2)
            pdf.set_font("cjk", "", 13 if b.level == 1 else 11)
            bold(True)
            pdf.multi_cell(w, 7, b.text, new_x="LMARGIN", new_y="NEXT")
            bold(False)
            pdf.ln(1)
        elif isinstance(b, Para):
            pdf.set_font("cjk", "", 8.5 if b.small else 10)
            bold(b.bold)
            pdf.multi_cell(w, 5 if b.small else 5.8, b.text, new_x="LMARGIN", new_y="NEXT")
            bold(False)
            pdf.ln(1)
        elif isinstance(b, Bullets):
            pdf.set_font("cjk", "", 10)
            for item in b.items:
                pdf.multi_cell(w, 5.8, f"• {item}", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif isinstance(b, Table):
            pdf.set_font("cjk", "", 8.5)
            widths = tuple(b.widths) if b.widths else None
            with pdf.table(col_widths=widths, line_height=4.6, text_align="LEFT", padding=1,
                           headings_style=FontFace(color=(20, 50, 90), fill_color=(232, 236, 241))) as t:
                t.row(b.headers)
                for r in b.rows:
                    t.row([v if v else "—" for v in r])
            pdf.ln(2)
        elif isinstance(b, Picture):
            from PIL import Image

            img = Image.open(io.BytesIO(b.png))
            h = w * img.height / img.width
            room = pdf.h - pdf.b_margin - pdf.get_y() - 8
            if h > room:            # fit to the page left; a tall map gets a page of its own
                if room < 60:
                    pdf.add_page()
                    room = pdf.h - pdf.b_margin - pdf.get_y() - 8
                h = min(h, room)
            iw = h * img.width / img.height
            pdf.image(io.BytesIO(b.png), x=pdf.l_margin + (w - iw) / 2, w=iw, h=h)
            if b.caption:
                pdf.set_font("cjk", "", 8.5)
                pdf.multi_cell(w, 4.6, b.caption, align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif isinstance(b, Sources):
            pdf.ln(2)
            pdf.set_font("cjk", "", 13)
            bold(True)
            pdf.multi_cell(w, 7, b.title, new_x="LMARGIN", new_y="NEXT")
            bold(False)
            pdf.set_font("cjk", "", 8.5)
            for i, s in enumerate(b.items, 1):
                link = s if s.startswith(("http://", "https://")) else ""
                pdf.multi_cell(w, 4.6, f"[{i}] {s}", link=link, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
