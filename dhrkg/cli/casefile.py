"""Case-file commands: validate, summary, schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List

import typer

from ._common import failing, file_error, read_case
from ._style import FORCE_HELP


def validate(
    files: List[Path] = typer.Argument(..., help="Case files (.yaml, .yml or .json).", show_default=False),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only problems, not the per-file verdict."),
    no_warnings: bool = typer.Option(False, "--no-warnings", help="Do not print warnings."),
) -> None:
    """Check case files against the dhr-case/1 format and report every problem.

    Each problem names the file, the line and column, and the field path.
    Exit status: 0 all valid (warnings allowed), 1 a file has errors, 2 a file could not be read.
    """
    from dhrkg.model import UnreadableCaseFile, validate_file

    status = 0
    for path in files:
        try:
            result = validate_file(path)
        except UnreadableCaseFile as exc:
            typer.echo(file_error(str(exc)), err=True)
            status = 2
            continue
        for problem in result.problems:
            if problem.severity == "warning" and no_warnings:
                continue
            typer.echo(file_error(str(problem)))
        if result.ok:
            if not quiet:
                warn = f" ({len(result.warnings)} warning{'s' if len(result.warnings) != 1 else ''})" if result.warnings else ""
                typer.echo(file_error(f"{path}: valid{warn}"))
        else:
            n = len(result.errors)
            if not quiet:
                typer.echo(file_error(f"{path}: {n} problem{'s' if n != 1 else ''}"))
            status = max(status, 1)
    raise typer.Exit(status)


def summary(
    file: Path = typer.Argument(..., help="A case file.", show_default=False),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Summarise a case file: the review, people with roles and ages, agencies by type,
    the span of the chronology and the counts per section."""
    from dhrkg.model.summary import as_dict, render_text, summarise

    s = summarise(read_case(file))
    if as_json:
        typer.echo(json.dumps(as_dict(s), indent=2))
    else:
        typer.echo(render_text(s))


def schema(
    output: Path = typer.Option(None, "--output", "-o", help="Write to this file instead of standard output."),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """Print the JSON Schema of the dhr-case/1 format (for editors such as VS Code YAML)."""
    from dhrkg.model.schema import schema_text
    from dhrkg.outputs import OutputRefused, check_output, write_atomic

    if output:
        with failing(OutputRefused, plain=True):
            check_output(output, force)
    text = schema_text()
    if output:
        write_atomic(output, text)
        typer.echo(f"wrote {output}", err=True)
    else:
        typer.echo(text, nl=False)


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel="Case files")(validate)
    app.command(rich_help_panel="Case files")(summary)
    app.command(rich_help_panel="Case files")(schema)
