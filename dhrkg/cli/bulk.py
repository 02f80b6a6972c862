"""``dhrkg bulk-load DIR``: many case files into the graph at once (the online bulk loader)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Optional

import typer

from ._common import BackendOption, DataDirOption, fail, open_graph, plural
from .graph import PANEL

CASE_SUFFIXES = (".yaml", ".yml", ".json")


def bulk_load(
    directory: Path = typer.Argument(..., help="A directory of case files (.yaml, .yml, .json).", show_default=False),
    backend: Optional[str] = BackendOption,
    data_dir: Optional[Path] = DataDirOption,
    batch_size: int = typer.Option(5000, "--batch-size", min=1, help="Rows per statement."),
    in_flight: Optional[int] = typer.Option(None, "--in-flight", min=1, max=16, show_default=False,
                                            help="Batches sent at once [default: 2]."),
    checkpoint: Optional[Path] = typer.Option(
        None, "--checkpoint", help="Progress file: an interrupted load run again with it resumes without "
        "duplicates (default: .dhrkg-bulk-load.json in DIR).", show_default=False),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    offline: bool = typer.Option(
        False, "--offline", help="First load into an empty graph with the engine's own import tool "
        "(FalkorDB: GRAPH.BULK; Neo4j: writes the CSV files of neo4j-admin import and prints the command)."),
    csv_dir: Optional[Path] = typer.Option(
        None, "--csv-dir", help="With --offline on Neo4j: where to write the CSV files "
        "(default: neo4j-import in DIR).", show_default=False),
) -> None:
    """Load every case file in DIR, in large batches: for first loads of many reviews.

    All files are validated first (nothing is written if one has errors). Reviews already in
    the graph are deleted, then all nodes are written, then all relationships, in batches of
    --batch-size rows with --in-flight batches sent at once; then each review's summaries for
    the national scans. Unlike `dhrkg load`, the load is not one transaction per review:
    readers see the graph grow. If it stops half-way, run the same command again: it resumes
    from the checkpoint and writes every row once.

    --offline is for a first load of very large data: only into an empty graph, and
    faster. FalkorDB: written with GRAPH.BULK, then indexes and summaries. Neo4j: CSV files and
    the neo4j-admin command to import them into the stopped database; dhrkg creates the indexes
    and summaries the first time it opens the imported graph.
    """
    from dhrkg.graph import StoreError
    from dhrkg.graph.bulk import Spool, bulk_load as run_bulk
    from dhrkg.graph.schema import case_rows

    if not directory.is_dir():
        fail(f"{directory}: not a directory of case files", files=True)
    paths = sorted(p for p in directory.iterdir() if p.suffix.lower() in CASE_SUFFIXES and p.is_file())
    if not paths:
        fail(f"{directory}: no case files (.yaml, .yml, .json) in it", files=True)
    checkpoint = checkpoint or directory / ".dhrkg-bulk-load.json"
    with tempfile.TemporaryDirectory(prefix="dhrkg-bulk-") as tmp:
        spool = Spool(Path(tmp))
        for case in _valid_cases(paths):
            spool.add(case_rows(case))
        if offline:
            from .offline import offline_load

            return offline_load(spool, backend, data_dir, csv_dir or directory / "neo4j-import", quiet)
        store = open_graph(backend, data_dir)
        with store:
            try:
                if not checkpoint.exists():
                    for review in set(spool.reviews) & set(store.reviews()):
                        store.delete_review(review)
                report = _run(store, spool, run_bulk, batch_size, in_flight, checkpoint, quiet)
                for review in spool.reviews:
                    store.summarise(review, substrings_in_rows=True)  # bulk_load made them
            except StoreError as exc:
                fail(f"bulk load stopped: {exc}\nrun the same command again to resume")
    rate = report.rows() / report.seconds if report.seconds else 0.0
    nodes = report.rows("node") + report.rows("area")  # areas: nodes shared by reviews
    typer.echo(f"loaded {plural(len(spool.reviews), 'review')} into the {store.backend} graph:")
    typer.echo(f"  {nodes:,} nodes, {report.rows('edge'):,} relationships "
               f"in {report.seconds:.1f} s ({rate:,.0f} rows/s)")


def _valid_cases(paths: list[Path]):
    from .graph import valid_cases

    return [case for _, case in valid_cases(paths)]


def _run(store, spool, run_bulk, batch_size: int, in_flight: Optional[int], checkpoint: Path, quiet: bool):
    streams = spool.streams()
    if quiet:
        return run_bulk(store, streams, batch_size=batch_size, in_flight=in_flight, checkpoint=checkpoint)
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("bulk load"), BarColumn(), TextColumn("{task.completed:,} rows"),
                  TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                  console=Console(stderr=True)) as progress:
        task = progress.add_task("", total=None, rate="")

        def tick(rows: int) -> None:
            progress.advance(task, rows)
            t = progress.tasks[0]
            if t.elapsed:
                progress.update(task, rate=f"{t.completed / t.elapsed:,.0f} rows/s")

        return run_bulk(store, streams, batch_size=batch_size, in_flight=in_flight, checkpoint=checkpoint,
                        progress=tick)


def register(app: typer.Typer) -> None:
    app.command(name="bulk-load", rich_help_panel=PANEL)(bulk_load)
