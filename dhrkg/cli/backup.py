"""``dhrkg backup DIR`` and ``dhrkg restore DIR``: the whole graph, on either engine."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer

from ._common import BackendOption, DataDirOption, fail, failing, open_graph
from .graph import PANEL


def backup(
    directory: Path = typer.Argument(..., help="A new (or empty) directory for the backup.", show_default=False),
    backend: Optional[str] = BackendOption,
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Back up the whole graph into DIR (FalkorDB: a consistent snapshot; Neo4j: every node and
    relationship, read in one transaction). DIR is private (0700): it holds the case data."""
    from dhrkg.graph import StoreError
    from dhrkg.graph.backup import backup as write_backup

    with open_graph(backend, data_dir) as store:
        t0 = time.perf_counter()
        with failing(StoreError):
            manifest = write_backup(store, directory)
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

    with failing(StoreError):
        manifest = read_manifest(directory)
    if not yes and not typer.confirm(f"replace the whole graph by the backup of {manifest.created}?"):
        fail("nothing restored")
    with open_graph(backend, data_dir) as store:
        t0 = time.perf_counter()
        with failing(StoreError):
            read_backup(store, directory)
    typer.echo(f"restored {len(manifest.stats['reviews'])} reviews from {directory} "
               f"in {time.perf_counter() - t0:.1f} s")


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel=PANEL)(backup)
    app.command(rich_help_panel=PANEL)(restore)
