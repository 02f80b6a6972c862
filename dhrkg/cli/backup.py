"""``dhrkg backup DIR`` and ``dhrkg restore DIR``: the whole graph, on either engine."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer

from .graph import PANEL, BackendOption, DataDirOption, _fail, _open


def backup(
    directory: Path = typer.Argument(..., help="A new (or empty) directory for the backup.", show_default=False),
    backend: Optional[str] = BackendOption,
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Back up the whole graph into DIR (FalkorDB: a consistent snapshot; Neo4j: every node and
    relationship, read in one transaction). DIR is private (0700): it holds the case data."""
    from dhrkg.graph import StoreError
    from dhrkg.graph.backup import backup as write_backup

    with _open(backend, data_dir) as store:
        t0 = time.perf_counter()
        try:
            manifest = write_backup(store, directory)
        except StoreError as exc:
            _fail(str(exc))
    nodes = sum(manifest.stats["nodes"].values())
    rels = sum(manifest.stats["relationships"].values())
    typer.echo(f"backed up {nodes:,} nodes, {rels:,} relationships "
               f"({len(manifest.stats['reviews'])} reviews) to {directory} "
               f"in {time.perf_counter() - t0:.1f} s")


def restore(
    directory: Path = typer.Argument(..., help="A directory written by 'dhrkg backup'.", show_default=False),
    backend: Optional[str] = BackendOption,
    data_dir: Optional[Path] = DataDirOption,
    yes: bool = typer.Option(False, "--yes", help="Replace the graph without asking."),
) -> None:
    """Replace the WHOLE graph by the backup in DIR (all or nothing), then check the counts."""
    from dhrkg.graph import StoreError
    from dhrkg.graph.backup import read_manifest, restore as read_backup

    try:
        manifest = read_manifest(directory)
    except StoreError as exc:
        _fail(str(exc))
    if not yes and not typer.confirm(f"replace the whole graph by the backup of {manifest.created}?"):
        _fail("nothing restored")
    with _open(backend, data_dir) as store:
        t0 = time.perf_counter()
        try:
            read_backup(store, directory)
        except StoreError as exc:
            _fail(str(exc))
    typer.echo(f"restored {len(manifest.stats['reviews'])} reviews from {directory} "
               f"in {time.perf_counter() - t0:.1f} s")


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel=PANEL)(backup)
    app.command(rich_help_panel=PANEL)(restore)
