"""``dhrkg bulk-load DIR --offline``: a first load with the engine's own import tool
(dhrkg.graph.offline). Called by dhrkg/cli/bulk.py; registers no command of its own."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Optional

import typer

from dhrkg.terminal import fitted

from ._common import fail, open_graph, plural


def offline_load(spool: Any, backend: Optional[str], data_dir: Optional[Path], csv_dir: Path, quiet: bool,
                 directory: Path) -> None:
    from dhrkg import config
    from dhrkg.graph import engines

    how = engines.capabilities(config.backend(backend)).offline_load
    if how == "admin-import":
        return _neo4j_files(spool, csv_dir)
    if how != "graph-bulk":
        fail(f"the {config.backend(backend)} engine has no offline load; use bulk-load without --offline", 2)
    from dhrkg.graph import StoreError
    from dhrkg.graph.offline import falkordb_load, is_restart
    from dhrkg.graph.unfinished import UnfinishedLoad

    store = open_graph(backend, data_dir, warn=False)  # an unfinished load: refused, or this one again
    mark = UnfinishedLoad.starting(directory, None, spool.reviews)
    with store:
        try:
            if is_restart(store, mark):
                typer.echo(fitted(f"starting again the offline load begun {store.unfinished_load().when()}: "
                                  "the graph it left is dropped first"), err=True)
            report = falkordb_load(store, spool.streams(), progress=None if quiet else _ticker(), mark=mark)
        except StoreError as exc:
            fail(f"offline load stopped: {exc}")
        except KeyboardInterrupt:
            fail("offline load interrupted: nothing loaded, the graph is empty again\n"
                 "run the same command again to load", 130)
    rows = report.nodes + report.relationships
    rate = rows / report.seconds if report.seconds else 0.0
    typer.echo(f"loaded {plural(len(spool.reviews), 'review')} into the empty falkordb graph with GRAPH.BULK:")
    typer.echo(f"  {report.nodes:,} nodes, {report.relationships:,} relationships in {report.seconds:.1f} s "
               f"({rate:,.0f} rows/s)")
    if report.skipped_relationships:
        typer.echo(f"  {report.skipped_relationships:,} relationships left out: an end is not in the data")
    typer.echo("  then made its indexes and the summaries of the national scans")


def _ticker():
    def tick(rows: int) -> None:
        typer.echo(f"  {rows:,} rows sent", err=True)
    return tick


def _neo4j_files(spool: Any, csv_dir: Path) -> None:
    from dhrkg.graph.offline import OfflineError, write_neo4j_import

    if csv_dir.exists() and any(csv_dir.iterdir()):
        fail(f"{csv_dir}: not empty; give --csv-dir a new or empty directory")
    new = not csv_dir.exists()
    try:
        imp = write_neo4j_import(spool.streams(), csv_dir)
    except (OfflineError, OSError) as exc:
        _take_back(csv_dir, new)
        fail(f"offline load stopped: {exc}\nno CSV file written")
    except KeyboardInterrupt:
        _take_back(csv_dir, new)
        fail("offline load interrupted: no CSV file written\nrun the same command again to write them", 130)
    typer.echo(f"wrote {imp.node_rows:,} nodes and {imp.relationship_rows:,} relationships of "
               f"{plural(len(spool.reviews), 'review')}")
    typer.echo(f"as CSV files in {csv_dir}")
    if imp.skipped_relationships:
        typer.echo(f"{imp.skipped_relationships:,} relationships left out: an end is not in the data")
    typer.echo("Next: stop Neo4j, then import them into the empty database (neo4j-admin")
    typer.echo("refuses a database that holds data) with:\n")
    typer.echo(imp.command())
    typer.echo("\nthen start Neo4j: the first dhrkg command on the graph creates its indexes and")
    typer.echo("constraints and computes the summaries of the national scans.")


def _take_back(csv_dir: Path, new: bool) -> None:
    """Remove the CSV files of a load that stopped half-way (``csv_dir`` was new or empty before
    it): half a set must not be imported, nor block the next run (a directory not empty)."""
    if new:
        shutil.rmtree(csv_dir, ignore_errors=True)
        return
    for path in csv_dir.iterdir() if csv_dir.is_dir() else ():
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
