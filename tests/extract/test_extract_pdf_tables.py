"""PDF tables with drawn cells: empty cells, cells over several lines, merged header cells and a
header repeated after a page break read into the same rows as the text of the same report."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from support.pdf_tables import CHRONOLOGY, FONT, PLAN, PLAN_GROUPS, TEXT, make_tables_pdf

from dhrkg.ingest.report import extract_report, read_document  # noqa: E402
from dhrkg.ingest.report.readers import read_pdf_blocks  # noqa: E402
from dhrkg.ingest.report.tables import read_tables  # noqa: E402

pytestmark = pytest.mark.skipif(not FONT.is_file(), reason="DejaVuSans.ttf is not installed (scripts/setup.sh)")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdf-tables")
    text = folder / "report.txt"
    text.write_text(TEXT, encoding="utf-8")
    return text, make_tables_pdf(folder / "report.pdf")


def _items(path: Path) -> list[tuple[str, dict[str, str]]]:
    return [(t.kind, item.values) for t in read_tables(read_document(path)) for item in t.items]


def test_the_fixture_has_what_makes_pdf_tables_hard(files):
    from pypdf import PdfReader

    pages = [p.extract_text() for p in PdfReader(str(files[1])).pages]
    assert len(pages) == 2 and pages[1].lstrip().startswith("Date")    # the header again after the break
    assert any(not r[1] for r in CHRONOLOGY) and any("" in r for r in PLAN)


def test_drawn_cells_keep_their_columns(files):
    rows = [b.cells for b in read_pdf_blocks(files[1]) if b.cells]
    assert CHRONOLOGY[1] in rows                        # an empty agency cell
    assert PLAN[1] in rows and PLAN[3] in rows          # empty cells at the start and in the middle
    assert CHRONOLOGY[0] in rows                        # a cell written over two lines is one cell
    assert PLAN_GROUPS in rows                          # merged cells: one cell each, as DOCX gives them


def test_pdf_tables_give_the_rows_the_text_gives(files):
    text, pdf = files
    from_text, from_pdf = _items(text), _items(pdf)
    assert len([k for k, _ in from_text if k == "chronology"]) == len(CHRONOLOGY)
    assert len([k for k, _ in from_text if k == "action_plan"]) == 3
    assert from_pdf == from_text


def test_the_drafts_from_pdf_and_text_agree(files):
    text, pdf = files
    a, b = extract_report(text), extract_report(pdf)
    events = lambda case: sorted((str(e.date), e.agency or "", e.type) for e in case.events)  # noqa: E731
    assert events(a) == events(b) and len(events(a)) >= len(CHRONOLOGY)
    assert [(r.id, r.text, r.agency) for r in a.recommendations] == [(r.id, r.text, r.agency) for r in b.recommendations]
