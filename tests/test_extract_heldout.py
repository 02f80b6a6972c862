"""Layouts the seed reports lack: made-up sentences of each shape, and the held-out synthetic reports
(tests/fixtures/extract/heldout) scored against their gold files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from dhrkg.ingest.report import extract_report

ROOT = Path(__file__).resolve().parents[1]
HELDOUT = ROOT / "tests" / "fixtures" / "extract" / "heldout"


def _draft(tmp_path: Path, text: str):
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return extract_report(path)


STORY = """Domestic Homicide Review into the death of Rose

1. Introduction

1.1 Rose, aged 60, was killed by her husband Leonard in Devon in May 2020.

2. Chronology

2.1 On 3 March 2019 Devon and Cornwall Police attended the home after Rose reported that Leonard had hit her.

2.2 In June 2019 Rose saw her GP at the Exeter Medical Practice and said she was tired.

"""


def test_numbered_paragraphs_under_a_recommendations_heading(tmp_path):
    case = _draft(tmp_path, STORY + """3. Recommendations

3.1 Devon and Cornwall Police should ask about earlier incidents when an older woman reports an assault.

3.2 The Exeter Medical Practice should ask patients who are always tired whether they feel safe.
""")
    assert [(r.id, r.source) for r in case.recommendations] == [("3.1", "3.1"), ("3.2", "3.2")]


def test_unnumbered_paragraphs_of_a_recommendations_part(tmp_path):
    case = _draft(tmp_path, STORY + """Recommendations

The panel makes the following recommendations.

Devon and Cornwall Police should ask about earlier incidents when an older woman reports an assault.

The Exeter Medical Practice should ask patients who are always tired whether they feel safe.
""")
    assert [r.id for r in case.recommendations] == ["R1", "R2"]
    assert case.recommendations[0].text.startswith("Devon and Cornwall Police should")
