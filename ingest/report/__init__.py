"""Drafting a case file from a DHR report, and scoring a draft against a gold case file.

``extract_report(path)`` reads a report (plain text, PDF with a text layer, or
DOCX) into one document model, runs the extractors (review metadata,
agencies, persons, relationships, events, recommendations) and returns a
draft :class:`~dhrkg.model.CaseFile` whose records point at the
report paragraphs they came from (``source``). Everything is rule-based and
runs offline; no rule names a particular report.

``score_case(draft, gold)`` implements the extraction evaluation (docs/extract.md).
"""

from __future__ import annotations

from .document import Block, Document
from .draft import Draft, draft_document, draft_report, draft_yaml, extract_document, extract_report
from .readers import UnreadableReport, read_document
from .score import CaseScore, SectionScore, score_case, score_files

__all__ = [
    "Block", "CaseScore", "Document", "Draft", "draft_document", "draft_report", "SectionScore", "UnreadableReport", "draft_yaml", "extract_document",
    "extract_report", "read_document", "score_case", "score_files",
]
