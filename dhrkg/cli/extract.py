"""Report extraction commands: extract (draft a case file from a report), score-extract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from dhrkg.terminal import fitted, wrapped

from ._common import case_file_errors, failing


def extract(
    report: Path = typer.Argument(..., help="The DHR report: .txt, .pdf (with a text layer) or .docx.", show_default=False),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the draft case file here (YAML); default: standard output."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file if it exists."),
    min_confidence: float = typer.Option(
        0.0, "--min-confidence", min=0.0, max=1.0,
        help="Leave out records whose confidence (0-1, shown above each record) is below this."),
    check_first: bool = typer.Option(
        False, "--check-first", help="List each section's records least sure first."),
) -> None:
    """Draft a case file from a published DHR report, every record pointing at its paragraphs.

    The draft holds the people, relationships, agencies, dated chronology
    and recommendations the rules could find. A comment above every record
    gives its confidence and the rules that lowered it; people and agencies
    the extractor is unsure of say "uncertain: ..." in their notes. Check it
    against the report, correct it, then run `dhrkg validate` and load it.
    Runs offline; no trained model is needed. A document that does not look
    like a DHR report (no review headings, no dated chronology, no victim) is
    refused unless --force is given.
    Exit status: 0 written; 1 nothing written (the output exists, or the
    document does not look like a DHR report); 2 the report cannot be read.
    """
    from dhrkg.ingest.report import UnreadableReport, draft_document, read_document
    from dhrkg.ingest.report.looks_like import dhr_doubts, looks_like_a_review
    from dhrkg.outputs import OutputRefused, check_output, write_atomic

    if output is not None:
        with failing(OutputRefused, plain=True):
            check_output(output, force)
    with failing(UnreadableReport, status=2, plain=True, files=True):
        doc = read_document(report)
    draft = draft_document(doc, min_confidence=min_confidence)
    case = draft.case
    doubts = dhr_doubts(doc, case)
    refused = not (force or looks_like_a_review(doubts))
    if doubts:
        _say_doubts(report, doubts, refused)
    if refused:
        raise typer.Exit(1)
    text = draft.yaml(header=report.name, check_first=check_first)
    if output is None:
        typer.echo(text, nl=False)
        return
    write_atomic(output, text)
    counts = ", ".join(f"{len(getattr(case, s))} {s}" for s in ("persons", "relationships", "agencies", "events", "recommendations"))
    typer.echo(f"wrote {output}: {counts}", err=True)


def _say_doubts(report: Path, doubts: list[str], refused: bool) -> None:
    verdict = "does not look like a DHR report" if refused else "may not be a DHR report"
    typer.echo(fitted(f"{report} {verdict}:"), err=True)
    for doubt in doubts:
        typer.echo(wrapped(f"  - {doubt}", indent="    "), err=True)
    if refused:
        typer.echo("Nothing written; use --force to draft it anyway.", err=True)


def score_extract(
    draft: Path = typer.Argument(..., help="The drafted case file.", show_default=False),
    gold: Path = typer.Argument(..., help="The gold (hand-annotated) case file of the same report.", show_default=False),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
) -> None:
    """Score a drafted case file against a gold one: precision, recall and F1 per section.

    Records are matched one to one, greedily in document order (docs/extract.md gives
    the rules); the overall score is the mean F1 of persons, agencies, relationships
    and events. Exit status: 0 scored, 1 a file is not a valid case file, 2 unreadable.
    """
    from dhrkg.ingest.report import score_files

    with case_file_errors():
        score = score_files(draft, gold)
    if as_json:
        typer.echo(json.dumps(score.as_dict(), indent=2))
    else:
        typer.echo(score.table())


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel="Reports")(extract)
    app.command("score-extract", rich_help_panel="Reports")(score_extract)
