"""``dhrkg doctor``: check that this machine has what dhrkg needs."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ._common import BackendOption, DataDirOption
from dhrkg.terminal import wrapped


def doctor(
    backend: Optional[str] = BackendOption,
    data_dir: Optional[Path] = DataDirOption,
    no_start: bool = typer.Option(False, "--no-start", help="Do not try to start the embedded engine."),
) -> None:
    """Check Python, Graphviz, librsvg, raptor, Java, the data directory and the graph engine.

    Prints one line per check, and what to install or change on this platform when a check
    fails. Exit status: 0 everything dhrkg needs is there (optional tools may be missing),
    1 something needed is missing.
    """
    from dhrkg.doctor import Context, healthy, run_checks

    results = run_checks(Context(data_dir=data_dir, backend=backend, start_engine=not no_start))
    width = max(len(check.name) for check, _ in results)
    indent = " " * (width + 8)
    for check, finding in results:
        mark = "ok  " if finding.ok else ("FAIL" if check.needed else "skip")
        typer.echo(wrapped(f"{mark}  {check.name.ljust(width)}  {finding.detail}", indent=indent))
        if not finding.ok and finding.fix:
            typer.echo(wrapped(f"{indent}-> {finding.fix}", indent=indent + "   "))
    if healthy(results):
        typer.echo("dhrkg is ready.")
        return
    typer.echo("dhrkg is not ready: install or change what the FAIL lines say.", err=True)
    raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel="Setup")(doctor)
