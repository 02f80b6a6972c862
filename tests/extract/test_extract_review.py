"""The review record: which date is the homicide date.

Small synthetic text only (the conventions, not the seed reports).
"""

from __future__ import annotations

from dhrkg.ingest.report.document import build_document
from dhrkg.ingest.report.readers import text_blocks
from dhrkg.ingest.report.review import homicide_date


def _date(text: str) -> str | None:
    doc = build_document(text_blocks(text), "synthetic.txt")
    d = homicide_date([b for b in doc.blocks if b.kind != "table_row"])
    return None if d is None else str(d)


def test_a_sentence_about_the_review_period_gives_no_homicide_date():
    assert _date("""\
1. Introduction

1.1 The review considered the period that commenced from 01/01/2003 up to and including the day that Adult A died.

1.2 Adult A was found dead in her home on a morning in October 2011.
""") == "2011-10"


def test_a_sentence_that_tells_the_death_wins_over_one_that_mentions_it():
    assert _date("""\
1. Introduction

1.1 A scoping meeting about the homicide took place on 3rd March 2015.

1.2 Adult A died in hospital on 14th January 2015 from her injuries.
""") == "2015-01-14"


def test_the_trial_is_not_the_death():
    assert _date("""\
1. Introduction

1.1 Adult B was convicted of the murder of Adult A in January 2013.

1.2 The tragic death of Adult A in August 2012 was notified to the partnership the following day.
""") == "2012-08"


def test_no_dated_death_gives_no_date():
    assert _date("""\
1. Introduction

1.1 Adult A died at home. The review began in 2014.
""") is None


def test_a_birth_year_on_the_title_page_is_not_the_report_date(tmp_path):
    from dhrkg.ingest.report import extract_report

    path = tmp_path / "report.txt"
    path.write_text("""OVERVIEW REPORT

DOMESTIC HOMICIDE REVIEW

in respect of Adult A

Female Born 1962

1. Introduction

1.1 Adult A was found dead at her home in October 2011.
""")
    review = extract_report(path).review
    assert str(review.homicide_date) == "2011-10"
    assert review.report_date is None or str(review.report_date) != "1962"
