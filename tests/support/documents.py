"""A report's text as the DOCX and PDF documents the extractor reads (python-docx, fpdf2): each
line a paragraph, and a line of tab-separated cells a table row (a DOCX table; a PDF row of
cells on one baseline, far apart)."""

from __future__ import annotations

from pathlib import Path

import pytest

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def draft_text(tmp_path: Path, text: str):
    """The extractor's draft of ``text`` written as a plain-text report in ``tmp_path``."""
    from dhrkg.ingest.report import extract_report

    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return extract_report(path)


def make_docx(text: str, path: Path) -> Path:
    import docx

    document = docx.Document()
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            width = max(len(r) for r in rows)
            table = document.add_table(rows=len(rows), cols=width)
            for i, r in enumerate(rows):
                for j in range(width):
                    table.cell(i, j).text = r[j] if j < len(r) else ""
            rows.clear()

    for line in text.splitlines():
        if not line.strip():
            continue
        if "\t" in line.strip("\t") and len([c for c in line.split("\t") if c.strip()]) >= 2:
            rows.append(line.split("\t"))
            continue
        flush()
        document.add_paragraph(line)
    flush()
    document.save(str(path))
    return path


def a4_pdf() -> tuple[object, float]:
    """An fpdf2 A4 document with its first page, in DejaVu 10 pt, and the width of its text."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    if not FONT.is_file():  # pragma: no cover - the set-up script installs fonts-dejavu-core
        pytest.skip("DejaVuSans.ttf is not installed")
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=10)
    return pdf, pdf.w - pdf.l_margin - pdf.r_margin


def make_pdf(text: str, path: Path) -> Path:
    pdf, width = a4_pdf()
    for line in text.splitlines():
        if not line.strip():
            continue
        cells = line.split("\t")
        if len([c for c in cells if c.strip()]) >= 2:
            # a table row: cells on one baseline, far apart
            pdf.set_x(pdf.l_margin)
            for cell in cells:
                w = pdf.get_string_width(cell) + 14
                pdf.cell(w, 6, cell)
            pdf.ln(9)
            continue
        pdf.multi_cell(width, 5, line.replace("\t", " "))
        pdf.ln(4)
    pdf.output(str(path))
    return path


def unnumbered(text: str) -> str:
    """The report as an executive summary or a converter might give it: no paragraph numbers."""
    import re

    return re.sub(r"(?m)^[ \t]*\d{1,3}(?:\.\d{1,3})*\.?[ \t]+(?=[A-Z])", "", text)
