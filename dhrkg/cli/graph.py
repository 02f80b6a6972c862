"""Graph commands: ``dhrkg load``, ``delete``, ``stats``, ``query`` and ``dhrkg db start|stop|status``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

PANEL = "Graph"

from dhrkg.terminal import fitted

from ._common import BackendOption, DataDirOption, fail, failing, file_error, open_graph, plural, shown_path
from ._style import TYPER_STYLE, Commands
from .queries import FORMAT_HELP


# --------------------------------------------------------------------------- load / delete



def valid_cases(files: List[Path]) -> list:
    """(path, case) of every file, once each review, after validating them all; when any has a
    problem, every problem is printed and the command exits (1 invalid, 2 unreadable)."""
    from dhrkg.model import UnreadableCaseFile, validate_file

    cases, status, seen = [], 0, {}
    for path in files:
        try:
            result = validate_file(path)
        except UnreadableCaseFile as exc:
            typer.echo(file_error(str(exc)), err=True)
            status = 2
            continue
        for problem in result.problems:
            typer.echo(file_error(str(problem)), err=True)
        if not result.ok:
            status = max(status, 1)
            continue
        rid = result.case.review.id
        if rid in seen:
            typer.echo(file_error(f"{path}: review {rid!r} is also in {shown_path(str(seen[rid]))}: give each review once"), err=True)
            status = max(status, 1)
            continue
        seen[rid] = path
        cases.append((path, result.case))
    if status:
        typer.echo("nothing loaded: fix the problems above and load again", err=True)
        raise typer.Exit(status)
    return cases


def load(
    files: List[Path] = typer.Argument(..., help="Case files (.yaml, .yml or .json) to load.", show_default=False),
    backend: Optional[str] = BackendOption,
    data_dir: Optional[Path] = DataDirOption,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or per-review lines."),
) -> None:
    """Load case files into the graph, each replacing its review completely and atomically.

    Every file is validated first; if any has errors, each problem is printed (file, line,
    column, field) and nothing is written. Loading the same file twice changes nothing; a
    revised file replaces the old version of its review (no stale people, events or links);
    other reviews are not touched. Exit status: 0 loaded, 1 invalid input, 2 unreadable file.
    """
    cases = valid_cases(files)

    store = open_graph(backend, data_dir)
    reports = []
    with store:
        if quiet or len(cases) < 2:
            for path, case in cases:
                reports.append(_load_one(store, path, case))
        else:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            with Progress(TextColumn("loading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          TextColumn("{task.description}"), console=Console(stderr=True)) as progress:
                task = progress.add_task("", total=len(cases))
                for path, case in cases:
                    progress.update(task, description=str(path.name))
                    reports.append(_load_one(store, path, case))
                    progress.advance(task)
    if not quiet:
        for path, r in reports:
            verb = "replaced" if r.replaced else "loaded"
            typer.echo(f"{verb} {r.review} from {path}: {r.summary()} ({r.seconds:.2f}s)")
        typer.echo(f"{plural(len(reports), 'review')} in the {store.backend} graph")


def _load_one(store, path: Path, case):
    try:
        return path, store.load_case(case)
    except Exception as exc:
        fail(f"{path}: loading review {case.review.id!r} failed, the graph still holds its previous "
              f"version (if any): {exc}")


def delete(
    reviews: List[str] = typer.Argument(..., help="Review ids (as in the case file's review.id).", show_default=False),
    backend: Optional[str] = BackendOption,
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Delete reviews from the graph: their nodes and relationships. Shared areas stay.

    Exit status 1 if a review was not in the graph.
    """
    status = 0
    with open_graph(backend, data_dir) as store:
        for rid in reviews:
            n = store.delete_review(rid)
            if n:
                typer.echo(f"deleted {rid}: {plural(n, 'node')} with their relationships")
            else:
                typer.echo(fitted(f"error: no review {rid!r} in the graph"), err=True)
                status = 1
    raise typer.Exit(status)


# --------------------------------------------------------------------------- stats / query


def stats(
    review: Optional[str] = typer.Option(None, "--review", "-r", help="Only this review.", show_default=False),
    as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON."),
    backend: Optional[str] = BackendOption,
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Count the graph's nodes per label and relationships per type, and each review's share."""
    with open_graph(backend, data_dir) as store:
        s = store.stats(review)
        backend_name = store.backend
    if review and review not in s["reviews"]:
        fail(f"no review {review!r} in the graph")
    if as_json:
        typer.echo(json.dumps({"backend": backend_name, **s}, indent=2))
        return
    from dhrkg.renderers import person_console

    with person_console(sys.stdout) as console:
        _print_stats(console, backend_name, review, s)


def _print_stats(console, backend_name: str, review: Optional[str], s: dict) -> None:
    """The counts of ``dhrkg stats`` as tables (a review's, or each review's share)."""
    from rich import box
    from rich.table import Table

    where = f"review {review}" if review else f"{plural(len(s['reviews']), 'review')}"
    console.print(f"{backend_name} graph, {where}")
    for title, counts in (("label", s["nodes"]), ("relationship type", s["relationships"])):
        table = Table(box=box.SIMPLE_HEAD)
        table.add_column(title)
        table.add_column("count", justify="right")
        shared = review and title == "label" and "Area" in counts
        for k, v in counts.items():
            table.add_row(f"{k} (shared, not in total)" if shared and k == "Area" else k, str(v))
        total = sum(v for k, v in counts.items() if not (shared and k == "Area"))
        table.add_row("total of its own" if shared else "total", str(total), style="bold")
        console.print(table)
    if not review and s["reviews"]:
        table = Table(box=box.SIMPLE_HEAD)
        table.add_column("review")
        table.add_column("nodes of its own", justify="right")
        table.add_column("relationships", justify="right")
        for rid, c in s["reviews"].items():
            table.add_row(rid, str(c["nodes"]), str(c["relationships"]))
        console.print(table)


def query(
    cypher_text: str = typer.Argument(..., metavar="CYPHER", help="Read-only Cypher; $name for parameters.", show_default=False),
    param: List[str] = typer.Option([], "--param", "-p", help="A parameter as name=value (repeatable); the value is read as JSON when it is JSON (5, true, [\"a\"]), else as a string.", show_default=False),
    fmt: str = typer.Option("table", "--format", "-f", help=FORMAT_HELP),
    timeout: Optional[int] = typer.Option(None, "--timeout", help="Give up after this many milliseconds (default DHRKG_QUERY_TIMEOUT_MS, else 60000).", show_default=False),
    backend: Optional[str] = BackendOption,
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Run read-only Cypher against the graph (the same as 'dhrkg cypher').

    Writes (CREATE, MERGE, SET, DELETE, REMOVE, DROP, LOAD CSV, write procedures ...) are refused
    before anything is sent, and the engine runs the query read-only as well. Parameters are
    bound, never pasted into the text.
    """
    from dhrkg.cli.queries import Format, cypher

    try:
        form = Format(fmt)
    except ValueError:
        fail(f"--format {fmt!r}: use table, records, csv or json", 2)
    cypher(query=cypher_text, file=None, param=param, fmt=form, timeout=timeout, backend=backend, data_dir=data_dir)


# --------------------------------------------------------------------------- db


db_app = typer.Typer(help="The embedded FalkorDB server: start, stop, status.", no_args_is_help=True,
                     cls=Commands, **TYPER_STYLE)


def _server_dir(backend: Optional[str], data_dir: Optional[Path]) -> Path:
    from dhrkg import config

    try:
        name = config.backend(backend)
    except config.ConfigError as exc:
        fail(str(exc), 2)
    if not _embedded(name):
        fail(f"dhrkg manages only its embedded FalkorDB server, not {name.capitalize()}:\n"
             f"your {name.capitalize()} server is yours to start and stop (NEO4J_URI says where it is)", 2)
    return config.data_dir(data_dir)


def _embedded(name: str) -> bool:
    from dhrkg.graph import engines

    try:
        return engines.capabilities(name).embedded
    except engines.UnknownEngine as exc:
        fail(str(exc), 2)


def _on_server(backend: Optional[str], data_dir: Optional[Path], action):
    """``action(server, directory)`` on the embedded server of the data directory; a server
    error ends the command (exit 1)."""
    from dhrkg.graph.falkordb import server

    directory = _server_dir(backend, data_dir)
    with failing(server.ServerError):
        return action(server, directory)


def _print_status(st) -> None:
    if st.running:
        typer.echo(f"running: pid {st.pid}, {st.version or 'FalkorDB'}" + (f" ({st.detail})" if st.detail else ""))
    else:
        typer.echo("not running" + (f": {st.detail}" if st.detail else ""))
    typer.echo(f"data directory: {shown_path(str(st.data_dir))}")
    typer.echo(f"socket: {shown_path(str(st.socket))}")


@db_app.command("start")
def db_start(
    data_dir: Optional[Path] = DataDirOption,
    backend: Optional[str] = BackendOption,
) -> None:
    """Start the embedded FalkorDB server (other commands also start it on first use)."""
    was, st = _on_server(backend, data_dir, lambda server, d: (server.status(d), server.ensure_running(d)))
    typer.echo("already running" if was.running else "started")
    _print_status(st)


@db_app.command("stop")
def db_stop(
    data_dir: Optional[Path] = DataDirOption,
    backend: Optional[str] = BackendOption,
) -> None:
    """Stop the embedded FalkorDB server cleanly (everything written is already on disk)."""
    before = _on_server(backend, data_dir, lambda server, d: server.stop(d))
    typer.echo(f"stopped (pid {before.pid})" if before.pid else "not running")


@db_app.command("status")
def db_status(
    data_dir: Optional[Path] = DataDirOption,
    backend: Optional[str] = BackendOption,
    as_json: bool = typer.Option(False, "--json", help="Print the status as JSON."),
) -> None:
    """Say whether the embedded FalkorDB server is running, where, and its pid.

    Exit status: 0 running, 3 not running.
    """
    st = _on_server(backend, data_dir, lambda server, d: server.status(d))
    if as_json:
        typer.echo(json.dumps({"running": st.running, "pid": st.pid, "version": st.version,
                               "data_dir": str(st.data_dir), "socket": str(st.socket), "detail": st.detail}))
    else:
        _print_status(st)
    raise typer.Exit(0 if st.running else 3)


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel=PANEL)(load)
    app.command(rich_help_panel=PANEL)(delete)
    app.command(rich_help_panel=PANEL)(stats)
    app.command(rich_help_panel=PANEL, hidden=True)(query)  # the same as 'dhrkg cypher' (listed under Queries)
    app.add_typer(db_app, name="db", rich_help_panel=PANEL)
