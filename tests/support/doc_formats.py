"""Make a DOCX or a PDF (with ruled tables) from a plain-text report, for the extractor's test documents.

The text is paragraphs separated by blank lines; a paragraph whose lines hold tabs is a table
(one row a line, cells split at tabs). The DOCX has Word paragraphs and tables (python-docx); the
PDF has wrapped paragraphs and drawn tables (fpdf2, DejaVu font), so both readers meet the tables
as a published report gives them. ``python tests/support/doc_formats.py`` remakes the documents of
tests/fixtures/extract/unseen from their sources.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: tests/ holds the support package
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.documents import a4_pdf  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"
UNSEEN = FIXTURES / "unseen"
#: source (under FIXTURES) -> the document made from it (beside the source's sources/ folder)
MADE = {"unseen/sources/action-rows-docx.txt": "dev/action-rows-docx.docx",
        "unseen/sources/action-tables-pdf.txt": "test/action-tables-pdf.pdf",
        "unseen/sources/chronology-table-docx.txt": "dev/chronology-table-docx.docx",
        "unseen2/sources/chronology-pages-docx.txt": "dev/chronology-pages-docx.docx",
        "unseen2/sources/chronology-pages-pdf.txt": "test/chronology-pages-pdf.pdf",
        "unseen3/sources/chronology-merged-pdf.txt": "test/chronology-merged-pdf.pdf"}
#: sources whose PDF tables of three or more columns have their first row as a header repeated on every page
REPEATED_HEADERS = {"unseen2/sources/chronology-pages-pdf.txt", "unseen3/sources/chronology-merged-pdf.txt"}
#: in a source table, a cell ``^`` is merged with the cell above it; a row of one cell spans every column
MERGED_ABOVE = "^"


def blocks(text: str) -> list[str | list[list[str]]]:
    """Paragraphs (str) and tables (rows of cells), in order."""
    out: list[str | list[list[str]]] = []
    for chunk in text.split("\n\n"):
        lines = [ln for ln in chunk.strip("\n").split("\n") if ln.strip()]
        if not lines:
            continue
        if any("\t" in ln for ln in lines):
            out.append([ln.split("\t") for ln in lines])
        else:
            out.append(" ".join(lines))
    return out


def make_docx(text: str, path: Path) -> Path:
    import docx

    document = docx.Document()
    for block in blocks(text):
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        width = max(len(r) for r in block)
        table = document.add_table(rows=len(block), cols=width)
        table.style = "Table Grid"
        for row, cells in zip(table.rows, block):
            for cell, value in zip(row.cells, cells):
                cell.text = value
    document.save(str(path))
    return path


def make_pdf(text: str, path: Path, repeat_headers: bool = False) -> Path:
    """A PDF with ruled tables; with ``repeat_headers`` a table of three or more columns has its first row as a
    header that fpdf2 repeats on every page the table runs onto."""
    from fpdf.fonts import FontFace

    pdf, width = a4_pdf()
    for block in blocks(text):
        if isinstance(block, str):
            pdf.multi_cell(width, 5, block, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
            continue
        cols = max(len(r) for r in block)
        widths = (45, width - 45) if cols == 2 else tuple(width / cols for _ in range(cols))
        header = repeat_headers and cols >= 3
        with pdf.table(col_widths=widths, headings_style=FontFace(emphasis=None), first_row_as_headings=header,
                       repeat_headings=1 if header else 0, line_height=5) as table:
            for i, r in enumerate(block):
                _merged_row(table.row(), block, i, cols)
        pdf.ln(4)
    pdf.output(str(path))
    return path


def _merged_row(row, block: list[list[str]], i: int, cols: int) -> None:
    """Fill one fpdf2 row: a one-cell row spans every column, a cell over ``^`` cells spans those rows."""
    cells = block[i]
    if len(cells) == 1 and cols > 1:
        row.cell(cells[0], colspan=cols)
        return
    cells = cells + [""] * (cols - len(cells))
    for c, value in enumerate(cells):
        if value == MERGED_ABOVE:
            continue
        span = 1
        while i + span < len(block) and c < len(block[i + span]) and block[i + span][c] == MERGED_ABOVE:
            span += 1
        row.cell(value, rowspan=span)


def main() -> int:
    for source, made in MADE.items():
        text = (FIXTURES / source).read_text(encoding="utf-8")
        target = (FIXTURES / source).parents[1] / made
        if target.suffix == ".docx":
            make_docx(text, target)
        else:
            make_pdf(text, target, repeat_headers=source in REPEATED_HEADERS)
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
