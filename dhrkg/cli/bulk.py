"""``dhrkg bulk-load DIR``: many case files into the graph at once (the online bulk loader)."""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import sys
import tempfile
import threading
from pathlib import Path
from typing import Optional

import typer

from dhrkg.terminal import fitted

from ._common import (BackendOption, DataDirOption, fail, file_error, open_graph, phase, plural, progress_console,
                      shown_path)
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
        "duplicates, with the same files, --batch-size and graph (default: .dhrkg-bulk-load.json in DIR).",
        show_default=False),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    offline: bool = typer.Option(
        False, "--offline", help="First load into an empty graph with the engine's own import tool "
        "(FalkorDB: GRAPH.BULK; Neo4j: writes the CSV files of neo4j-admin import and prints the command)."),
    csv_dir: Optional[Path] = typer.Option(
        None, "--csv-dir", help="With --offline on Neo4j: where to write the CSV files "
        "(default: neo4j-import in DIR).", show_default=False),
) -> None:
    """Load every case file in DIR, in large batches: for first loads of many reviews.

    All files are validated first (nothing is written if one has errors); hidden files (a name
    that starts with a dot) are not read. Reviews already in
    the graph are deleted, then all nodes are written, then all relationships, in batches of
    --batch-size rows with --in-flight batches sent at once; then each review's summaries for
    the national scans. Unlike `dhrkg load`, the load is not one transaction per review:
    readers see the graph grow. If it stops half-way (Ctrl-C, a lost server), run the same
    command again: it resumes from the checkpoint and writes every row once.

    --offline is for a first load of very large data: only into an empty graph, and
    faster. FalkorDB: written with GRAPH.BULK, then indexes and summaries. Neo4j: CSV files and
    the neo4j-admin command to import them into the stopped database; dhrkg creates the indexes
    and summaries the first time it opens the imported graph.
    """
    from dhrkg.graph.bulk import Spool
    from dhrkg.graph.schema import case_rows
    from dhrkg.graph.unfinished import DEFAULT_CHECKPOINT

    checkpoint = checkpoint or directory / DEFAULT_CHECKPOINT
    paths = [p for p in case_paths(directory) if p.absolute() != checkpoint.absolute()]  # --checkpoint in DIR
    with ctrl_c_never_lost(), Spool() as spool:  # nameless files: nothing left behind, even by kill -9
        for case in _valid_cases(paths, quiet):
            spool.add(case_rows(case))
        if offline:
            from .offline import offline_load

            return offline_load(spool, backend, data_dir, csv_dir or directory / "neo4j-import", quiet, directory)
        store = open_graph(backend, data_dir, warn=False)  # an unfinished load: _online says what it does
        with store:
            report = _online(store, spool, directory, batch_size, in_flight, checkpoint, quiet)
    _said(store.backend, spool, report)


@contextlib.contextmanager
def ctrl_c_never_lost():
    """Ctrl-C stops the load wherever it comes. Python raises KeyboardInterrupt in whatever code
    runs when the signal is handled, and one raised where nothing can catch it (a finaliser
    ``__del__`` or a weakref callback, which garbage collection runs at any moment: the neo4j
    driver has them) is handed to ``sys.unraisablehook``, printed and dropped, so the load went
    on to its end. Here every KeyboardInterrupt Python drops that way is sent again 50 ms later,
    after the finaliser has returned. SIGINT ignored when the command starts (a nohup-style job)
    stays ignored; other dropped exceptions go to the hook as before."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous_hook = sys.unraisablehook
    resends: list[threading.Timer] = []

    def on_unraisable(unraisable) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            timer = threading.Timer(0.05, os.kill, (os.getpid(), signal.SIGINT))
            timer.daemon = True
            resends.append(timer)
            timer.start()
            return
        previous_hook(unraisable)

    sys.unraisablehook = on_unraisable
    try:
        yield
    finally:
        sys.unraisablehook = previous_hook
        for timer in resends:
            timer.cancel()


def _said(backend: str, spool, report) -> None:
    """The summary: the reviews, their nodes and relationships (those of a resumed load's
    interrupted runs too), the time and speed of this run."""
    rate = report.rows() / report.seconds if report.seconds else 0.0
    nodes = spool.rows("node") + spool.rows("area")  # areas: nodes shared by reviews
    typer.echo(f"loaded {plural(len(spool.reviews), 'review')} into the {backend} graph:")
    typer.echo(f"  {nodes:,} nodes, {spool.rows('edge'):,} relationships "
               f"in {report.seconds:.1f} s ({rate:,.0f} rows/s)")
    if any(s.skipped_batches for s in report.streams):
        typer.echo(f"  resumed: {report.rows():,} rows written in this run, the others before")


def case_paths(directory: Path) -> list[Path]:
    """The case files of ``directory``: every name with a case file's suffix, but hidden ones
    (the checkpoint ``.dhrkg-bulk-load.json``, editors' and systems' files), sorted. Links that
    lead nowhere and directories are kept, for the validation to say what is wrong with them."""
    if not directory.is_dir():
        what = "not a directory of case files" if directory.exists() else "no such directory"
        fail(f"{directory}: {what}", files=True)
    try:
        names = [p for p in directory.iterdir() if p.suffix.lower() in CASE_SUFFIXES and not p.name.startswith(".")]
    except OSError as exc:
        fail(f"{directory}: cannot list its files: {exc.strerror or exc}", 2, files=True)
    if not names:
        fail(f"{directory}: no case files (.yaml, .yml, .json) in it", files=True)
    return sorted(names)


def _online(store, spool, directory: Path, batch_size: int, in_flight: Optional[int], checkpoint: Path,
            quiet: bool):
    """The online load of ``spool`` into ``store``, resumed from ``checkpoint`` when it is of this
    load; then the reviews' summaries. The graph holds the load's mark (dhrkg.graph.unfinished)
    from before its first change until its end, summaries included; the checkpoint goes last.
    Its report."""
    from dhrkg.graph import StoreError
    from dhrkg.graph.bulk import Checkpoint, CheckpointError

    load = {"rows": spool.fingerprint(), "batch_size": batch_size, "graph": store.location()}
    again = f"run the same command again to resume (checkpoint: {shown_path(str(checkpoint))})"
    _can_write(checkpoint)
    try:
        resuming = Checkpoint(checkpoint, load=load).resuming
        kept_mark = _begin(store, spool, directory, checkpoint, resuming)
        report = _run(store, spool, batch_size, in_flight, checkpoint, quiet, load)
    except CheckpointError as exc:
        fail(str(exc), files=True)
    except StoreError as exc:
        fail(f"bulk load stopped: {exc}\n{again}")
    except KeyboardInterrupt:
        fail(f"bulk load interrupted\n{again}", 130)
    except OSError as exc:  # the checkpoint cannot be written any more (a full disk)
        fail(f"bulk load stopped: {exc}\n{again}", 2)
    # resumed under its own mark, no other command summarised a review of it: those done are done
    todo = store.stale_reviews(among=set(spool.reviews)) if kept_mark else spool.reviews
    _summarise(store, todo, quiet, checkpoint)
    return report


def _begin(store, spool, directory: Path, checkpoint: Path, resuming: bool) -> bool:
    """Before the load's first change, the graph's mark (dhrkg.graph.unfinished): refused when it
    is another load's; kept when this load resumes under it; else written, and then the reviews
    to load that the graph holds are deleted (with those of this load's mark: a run of it whose
    checkpoint is gone). Whether a mark of this load was kept."""
    from dhrkg.graph import unfinished

    mark = store.unfinished_load()
    if mark is not None and not mark.is_of(checkpoint):
        fail(f"{mark.what()}: finish it first (run `{mark.command()}` again); nothing was written")
    if resuming:
        typer.echo(f"resuming the interrupted load from its checkpoint {shown_path(str(checkpoint))}", err=True)
        if mark is None:  # a load of an older dhrkg, or cut between the mark's end and the checkpoint's
            unfinished.write(store, unfinished.UnfinishedLoad.starting(directory, checkpoint, spool.reviews))
        return mark is not None
    if mark is not None:
        typer.echo(fitted(f"starting again the load begun {mark.when()}: it left no checkpoint to "
                          "resume from; its reviews loaded so far are deleted first"), err=True)
    unfinished.write(store, unfinished.UnfinishedLoad.starting(directory, checkpoint, spool.reviews))
    _delete_loaded(store, set(spool.reviews) | set(mark.reviews if mark else ()), every_label=mark is not None)
    return False


def _delete_loaded(store, reviews: set[str], every_label: bool) -> None:
    """Delete those of ``reviews`` the graph holds: those with a Review node, or (``every_label``:
    the rows of a cut load, where a review's other nodes may be in without it) with any node."""
    from dhrkg.graph.schema import REVIEW_LABELS

    found = set(store.reviews())
    if every_label:
        for label in REVIEW_LABELS:
            found.update(r[0] for r in store.query(
                f"MATCH (n:{label}) WHERE n.review IN $reviews RETURN DISTINCT n.review AS review",
                {"reviews": sorted(reviews)}).rows)
    for review in sorted(reviews & found):
        store.delete_review(review)


def _can_write(checkpoint: Path) -> None:
    """Exit before anything is written when the checkpoint could not be written (a read-only
    folder of case files): a load must be able to say how far it got."""
    try:
        with tempfile.NamedTemporaryFile(dir=checkpoint.parent, prefix=".dhrkg-bulk-load-"):
            pass
    except OSError as exc:
        fail(f"{checkpoint}: the load's checkpoint cannot be written there ({exc.strerror or exc}); "
             "give --checkpoint a file in a folder you can write", 2, files=True)


def _valid_cases(paths: list[Path], quiet: bool):
    """The cases of ``paths``, all validated; else every problem and an exit (nothing loaded)."""
    from .graph import valid_cases

    devices = [p for p in paths if _is_device(p)]
    for path in devices:  # reading one could wait for ever (a named pipe)
        typer.echo(file_error(f"{path}: a named pipe or device, not a case file"), err=True)
    with phase("checking files", len(paths), "files", quiet, transient=True) as tick:  # problems stay alone
        try:
            cases = [case for _, case in valid_cases(_ticking([p for p in paths if p not in devices], tick))]
        except typer.Exit as exc:
            raise typer.Exit(max(exc.exit_code, 2 if devices else 0)) from None
        except KeyboardInterrupt:
            fail("bulk load interrupted while checking the files: nothing loaded", 130)
    if devices:
        fail("nothing loaded: fix the problems above and load again", 2)
    return cases


def _is_device(path: Path) -> bool:
    """Whether ``path`` is (or links to) a named pipe, a socket or a device."""
    try:
        mode = path.stat().st_mode
    except OSError:  # gone, a loop: the validation says so
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISSOCK(mode)


def _ticking(items, tick):
    for item in items:
        yield item
        tick(1)


def _summarise(store, reviews: list[str], quiet: bool, checkpoint: Path) -> None:
    """Each review's summaries for the national scans; then the load has finished: its mark
    leaves the graph, then its checkpoint. Stopped before (Ctrl-C, a lost server), every row is
    in, and the same command run again summarises those left (a store that opens the graph
    meanwhile leaves them: the mark is still there)."""
    from dhrkg.graph import StoreError, unfinished

    later = f"run the same command again to finish it (checkpoint: {shown_path(str(checkpoint))})"
    try:
        with phase("summaries", len(reviews), "reviews", quiet) as tick:
            for review in reviews:
                store.summarise(review, substrings_in_rows=True)  # bulk_load made them
                tick(1)
        unfinished.remove(store)
    except KeyboardInterrupt:
        fail(f"bulk load interrupted while summarising: every row is loaded\n{later}", 130)
    except StoreError as exc:
        fail(f"bulk load stopped while summarising: {exc}\nevery row is loaded; {later}")
    checkpoint.unlink(missing_ok=True)


def _run(store, spool, batch_size: int, in_flight: Optional[int], checkpoint: Path, quiet: bool, load: dict):
    from dhrkg.graph.bulk import bulk_load as run_bulk

    streams = spool.streams()
    if quiet:
        return run_bulk(store, streams, batch_size=batch_size, in_flight=in_flight, checkpoint=checkpoint, load=load,
                        keep_checkpoint=True)
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn(f"{'bulk load':<14}"), BarColumn(), TextColumn("{task.completed:,} rows"),
                  TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), console=progress_console()) as progress:
        task = progress.add_task("", total=None, rate="")

        def tick(rows: int) -> None:
            progress.advance(task, rows)
            t = progress.tasks[0]
            if t.elapsed:
                progress.update(task, rate=f"{t.completed / t.elapsed:,.0f} rows/s")

        return run_bulk(store, streams, batch_size=batch_size, in_flight=in_flight, checkpoint=checkpoint,
                        progress=tick, load=load, keep_checkpoint=True)


def register(app: typer.Typer) -> None:
    app.command(name="bulk-load", rich_help_panel=PANEL)(bulk_load)
