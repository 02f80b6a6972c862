"""A report whose action plan and chronology are drawn PDF tables (fpdf2), and the same report as text.

The tables hold what makes reading a PDF table hard: empty cells, a cell written over several
lines, a header row of merged cells above the column headers, and a table running over a page
break with its header row repeated on the next page. ``TEXT`` is the same report with the tables
as tab-separated rows (how text and DOCX readers give them), so a test can ask whether the PDF's
tables are read into the same rows.
"""

from __future__ import annotations

from pathlib import Path

from .documents import FONT, a4_pdf  # noqa: F401 (FONT: the tests ask whether it is there)

INTRO = [
    "1. Introduction",
    "1.1 This review concerns Adult A, who was killed by her partner Adult B in 2019.",
    "1.2 Adult A and Adult B had lived together in Eastbrook since 2015. Adult A worked at a local shop "
    "and had friends nearby; Adult B was out of work for most of the period under review.",
    "1.3 The review panel met five times. Agencies that had contact with either of them wrote an "
    "individual management review, and Adult A's sister spoke to the chair twice.",
    "1.4 The terms of reference asked how agencies recognised the abuse, whether they shared what they "
    "knew, and whether Adult A was asked about her safety when she sought help.",
    "1.5 The review covers the period from January 2017 to the death of Adult A in June 2019, and "
    "looks briefly at what was known of Adult B before then.",
    "2. Chronology",
    "2.1 The agencies' contacts with Adult A and Adult B are set out in the table below.",
]

CHRONOLOGY_HEADER = ["Date", "Agency", "Event"]
CHRONOLOGY = [
    ["03/02/2017", "Northshire Police", "Officers attended a report of shouting at the flat. Adult A said "
     "there had been an argument and declined to make a statement."],
    ["15/03/2017", "", "Adult A saw her GP about low mood and was prescribed medication."],
    ["22/06/2017", "Eastbrook Borough Council", "Adult A asked the housing team for a move, saying she "
     "felt unsafe at home; the request was placed on the waiting list."],
] + [
    [f"{day:02d}/{month:02d}/2018", "Northshire Police" if day % 2 else "", f"Adult B was stopped by officers "
     f"in the town centre on the {day}th and given words of advice about his behaviour towards Adult A."]
    for month, day in ((m, m + 9) for m in range(1, 13))
] + [
    [f"0{month}/0{month}/2019", "Eastbrook Borough Council" if month % 2 else "", f"Adult A rang the housing "
     f"team in month {month} of 2019 to ask about her move; she was told there was no property yet and "
     f"that her case would stay on the list."]
    for month in range(1, 6)
] + [
    ["30/12/2018", "Riverside NHS Foundation Trust", "Adult A attended the emergency department with a "
     "wrist injury that she said came from a fall."],
]

PLAN_GROUPS = ["Who", "When"]       # merged cells, each over two columns
PLAN_HEADER = ["Recommendation", "Lead agency", "Target date", "Completion date and outcome"]
PLAN = [
    ["1. Northshire Police should review how officers record arguments reported by neighbours.",
     "Northshire Police", "March 2020", ""],
    ["", "", "June 2020", "Guidance issued to response officers."],
    ["2. The surgery should ask about domestic abuse when a patient presents with low mood.",
     "", "April 2020", ""],
    ["3. Eastbrook Borough Council should treat a request to move for safety as urgent.",
     "Eastbrook Borough Council", "", "Completed May 2020"],
]

OUTRO = ["4. Conclusions", "4.1 The review found missed chances to ask Adult A about abuse."]


def _rows(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["\t".join(header)] + ["\t".join(r) for r in rows]


TEXT = "\n".join(INTRO + _rows(CHRONOLOGY_HEADER, CHRONOLOGY)
                 + ["3. Recommendations", "3.1 The action plan follows."]
                 + ["\t".join(PLAN_GROUPS)] + _rows(PLAN_HEADER, PLAN) + OUTRO) + "\n"


def make_tables_pdf(path: Path) -> Path:
    """The report as a PDF with drawn tables (needs fpdf2 and the DejaVu font)."""
    from fpdf.fonts import FontFace

    pdf, width = a4_pdf()

    def para(line: str) -> None:
        pdf.multi_cell(width, 5, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)

    for line in INTRO:
        para(line)
    bold = FontFace(emphasis=None)
    with pdf.table(col_widths=(22, 40, 110), headings_style=bold, repeat_headings=1, line_height=5) as table:
        table.row(CHRONOLOGY_HEADER)
        for r in CHRONOLOGY:
            table.row(r)
    pdf.ln(4)
    para("3. Recommendations")
    para("3.1 The action plan follows.")
    with pdf.table(col_widths=(70, 35, 30, 40), headings_style=bold, num_heading_rows=2, line_height=5) as table:
        groups = table.row()
        groups.cell(PLAN_GROUPS[0], colspan=2)
        groups.cell(PLAN_GROUPS[1], colspan=2)
        table.row(PLAN_HEADER)
        for r in PLAN:
            table.row(r)
    pdf.ln(4)
    for line in OUTRO:
        para(line)
    pdf.output(str(path))
    return path
