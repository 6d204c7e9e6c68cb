"""The report as a PDF (fpdf2, pure Python), in DejaVu Sans so that Cyrillic and Albanian text renders."""

from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from services.progress.reports.layout import ReportDocument
from services.progress.reports.tables import Table

FONTS = Path(__file__).parent / "fonts"
FAMILY = "DejaVu"
ACCENT = (31, 78, 121)
BAR_WIDTH_MM = 150.0


def render_pdf(document: ReportDocument) -> bytes:
    pdf = _new_pdf(document)
    _heading(pdf, document)
    _figures(pdf, document)
    _funnel_chart(pdf, document)
    for table in document.tables:
        _table(pdf, table, document.nothing)
    return bytes(pdf.output())


def _new_pdf(document: ReportDocument) -> FPDF:
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.add_font(FAMILY, "", FONTS / "DejaVuSans.ttf")
    pdf.add_font(FAMILY, "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_title(f"{document.title} — {document.period}")
    pdf.set_lang(document.language)
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    return pdf


def _heading(pdf: FPDF, document: ReportDocument) -> None:
    pdf.set_font(FAMILY, "B", 16)
    pdf.cell(text=document.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 10)
    pdf.cell(text=document.period, new_x="LMARGIN", new_y="NEXT")
    pdf.cell(text=document.generated, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _figures(pdf: FPDF, document: ReportDocument) -> None:
    with pdf.table(col_widths=(90, 180), first_row_as_headings=False, line_height=6) as table:
        for label, value in document.figures:
            table.row((label, value))
    pdf.ln(3)


def _section_title(pdf: FPDF, title: str) -> None:
    pdf.set_font(FAMILY, "B", 12)
    pdf.set_text_color(*ACCENT)
    pdf.cell(text=title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FAMILY, "", 9)


def _funnel_chart(pdf: FPDF, document: ReportDocument) -> None:
    _section_title(pdf, document.funnel_title)
    widest = max((count for _, count in document.funnel), default=0)
    for label, count in document.funnel:
        pdf.cell(w=45, h=6, text=label, align="R")
        width = BAR_WIDTH_MM * count / widest if widest else 0
        pdf.set_fill_color(*ACCENT)
        pdf.rect(pdf.get_x() + 2, pdf.get_y() + 1, width, 4, style="F")
        pdf.set_x(pdf.get_x() + width + 4)
        pdf.cell(h=6, text=str(count), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _table(pdf: FPDF, table: Table, nothing: str) -> None:
    _section_title(pdf, table.title)
    if not table.rows:
        pdf.cell(text=nothing, new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.set_font(FAMILY, "", 7 if len(table.headers) > 6 else 9)
        with pdf.table(headings_style=FontFace(emphasis="BOLD"), line_height=5) as drawn:
            for row in (table.headers, *table.rows):
                drawn.row(row)
    pdf.ln(3)
