"""Analyst queries: ``dhrkg queries`` (list), ``dhrkg run NAME`` (a canned query) and
``dhrkg cypher`` (your own read-only Cypher)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, List, Optional

import typer

from dhrkg.renderers import Format, person_console, render

from ._common import BackendOption, DataDirOption, fail, failing, file_error, open_graph

PANEL = "Queries"


_QDIR_HELP = "Another folder of NAME.cypher query files (repeatable; also DHRKG_QUERIES_DIR)."
_PARAM_HELP = "A parameter as name=value (repeatable)."
_TIMEOUT_HELP = "Give up after this many milliseconds."
FORMAT_HELP = ("Output: table (for a person: as wide as the terminal, or in a file COLUMNS, else 80; one "
                "block per row when the columns do not fit), records (always one block per row), csv or json "
                "(for programs: never laid out).")


# --------------------------------------------------------------------------- parameters


def parse_params(items: List[str]) -> dict[str, Any]:
    """``name=value`` pairs for ``dhrkg cypher``. The value is read as JSON when it is JSON
    (numbers, true/false/null, lists, "quoted strings"), else taken as a string; write
    ``name:TYPE=value`` (TYPE string, integer, float, boolean, date, list) to say the type."""
    from dhrkg.graph.canned import Parameter, ParameterError, TYPES, coerce

    params: dict[str, Any] = {}
    for item in items or []:
        name, sep, raw = item.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"--param {item!r}: expected name=value")
        name = name.strip()
        ptype = None
        if ":" in name:
            name, _, ptype = name.partition(":")
            if ptype not in TYPES:
                raise ParameterError(f"--param {item!r}: type {ptype!r} is not one of {', '.join(TYPES)}")
        if ptype:
            value = coerce(Parameter(name, ptype, of="string" if ptype == "list" else None), raw)
        else:
            try:
                value = json.loads(raw)
            except ValueError:
                value = raw
        _check_int64(name, value)
        params[name] = value
    return params


def _check_int64(name: str, value: Any) -> None:
    """The engines hold 64-bit integers; a larger one would be silently clamped."""
    from dhrkg.graph.canned import INT64, ParameterError

    values = value if isinstance(value, list) else [value]
    for v in values:
        if isinstance(v, int) and not isinstance(v, bool) and not INT64[0] <= v <= INT64[1]:
            raise ParameterError(f"--param {name[:30]}: a whole number beyond the engines' 64-bit range")


def _named_params(items: List[str]) -> dict[str, list[str]]:
    """``name=value`` pairs for ``dhrkg run``: strings, typed later by the query's header.
    A repeated name collects a list."""
    out: dict[str, list[str]] = {}
    for item in items or []:
        name, sep, raw = item.partition("=")
        if not sep or not name.strip():
            fail(f"--param {item!r}: expected name=value")
        out.setdefault(name.strip(), []).append(raw)
    return out


# --------------------------------------------------------------------------- store


def _engine_error(exc: Exception, backend: str, timeout_ms: Optional[int], query: str = "") -> str:
    """A message for an error from the engine, with a hint where the cause is known."""
    from dhrkg.graph import engines
    from dhrkg.graph.syntax_errors import explain_syntax_error

    text = str(exc).strip()
    syntax = explain_syntax_error(text, query)
    if syntax:
        return syntax
    low = text.lower()
    hint = ""
    if "timed out" in low or "timeout" in low or "transactiontimedout" in low.replace(" ", ""):
        hint = (f" The query ran longer than the timeout ({timeout_ms} ms)." if timeout_ms else "") + \
               " Narrow it (a review, a person, a date range) or raise --timeout."
    elif engines.error_hint(backend, low):
        hint = engines.error_hint(backend, low)
    elif "parameter" in low and "missing" in low:
        hint = " Give each $name with --param name=value."
    return f"the {backend} engine refused the query: {text}.{hint}"


# --------------------------------------------------------------------------- commands


def queries(
    name: Optional[str] = typer.Argument(None, help="Show one query in full (question, parameters, columns, Cypher).", show_default=False),
    queries_dir: List[Path] = typer.Option([], "--queries-dir", help=_QDIR_HELP, show_default=False),
    check: bool = typer.Option(False, "--check", help="Check every query file (header, parameters, Cypher lint) and report problems; exit 1 if any."),
    as_json: bool = typer.Option(False, "--json", help="Print the list as JSON (for programs; the table is for a "
                                 "person: as wide as the terminal, or in a file COLUMNS, else 80)."),
) -> None:
    """List the canned analyst queries and the question each answers.

    Queries come from the package, your folder (~/.config/dhrkg/queries or the platform's equivalent), DHRKG_QUERIES_DIR and --queries-dir: drop a NAME.cypher file with a header there to add your own (see docs/queries.md).
    """
    from dhrkg.graph.canned import UnknownQuery, describe_text, load_library
    from dhrkg.graph.lint import engines_for_path, lint_cypher

    lib = load_library(queries_dir)
    if name:
        with failing(UnknownQuery):
            q = lib.get(name)
        if as_json:
            typer.echo(json.dumps(_describe(q), indent=2, default=str))
            return
        typer.echo(describe_text(q))
        return

    problems = [str(p) for p in lib.problems]
    if check:
        for q in lib:
            texts = ([("", q.cypher)] if q.cypher else []) + sorted(q.variants.items())
            for backend, text in texts:
                engines = (backend,) if backend else engines_for_path(q.path)
                shown = str(q.path if not backend else q.path.with_name(f"{q.name}.{backend}.cypher"))
                first = q.variant_lines.get(backend, 1) if backend else q.cypher_line
                problems.extend(str(f) for f in lint_cypher(text, shown, engines=engines, first_line=first))
    if as_json:
        typer.echo(json.dumps({"queries": [_describe(q) for q in lib], "problems": problems}, indent=2, default=str))
    else:
        from rich.table import Table
        from rich import box

        table = Table(box=box.SIMPLE_HEAD)
        table.add_column("query", no_wrap=True)
        table.add_column("question", overflow="fold")
        table.add_column("from", no_wrap=True)
        for q in lib:
            table.add_row(q.name + (" *" if q.scope == "national" else ""), q.question, q.origin)
        with person_console(sys.stdout) as console:
            console.print(table)
            console.print(_national_note(lib), style="dim")
            console.print(f"{len(lib)} queries. 'dhrkg queries NAME' shows one in full; 'dhrkg run NAME ...' "
                          "runs it.", style="dim")
    for p in problems:
        typer.echo(file_error(f"problem: {p}"), err=True)
    if check and problems:
        raise typer.Exit(1)


def _national_note(lib) -> str:
    """The footnote of the list: which national scans a review narrows (those that take one)."""
    narrowed = [q.name for q in lib if q.scope == "national" and any(p.name == "review" for p in q.parameters)]
    note = "* national scan: reads every loaded review."
    if narrowed:
        note += " --param review=ID narrows " + ", ".join(narrowed) + "."
    return note


def _describe(q) -> dict:
    from dhrkg.graph.canned import describe

    return describe(q)


def run(
    name: str = typer.Argument(..., help="The query (see 'dhrkg queries').", show_default=False),
    args: Optional[List[str]] = typer.Argument(None, help="Positional parameters, e.g. a person key <review>/<id>.", show_default=False),
    param: List[str] = typer.Option([], "--param", "-p", help=_PARAM_HELP, show_default=False),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help=FORMAT_HELP),
    timeout: Optional[int] = typer.Option(None, "--timeout", min=1, help=_TIMEOUT_HELP, show_default=False),
    backend: Optional[str] = BackendOption,
    data_dir: Optional[Path] = DataDirOption,
    queries_dir: List[Path] = typer.Option([], "--queries-dir", help=_QDIR_HELP, show_default=False),
    show_cypher: bool = typer.Option(False, "--show-cypher", help="Print the Cypher and bound parameters to stderr first."),
) -> None:
    """Run a canned query, read-only.

    For example: dhrkg run prior-partners north-worcs-dhr-7/Perpetrator

    Parameters are typed by the query's header (integer, date, person key ...) and checked before anything reaches the graph; a person or review that is not loaded is reported.
    """
    from dhrkg.graph import canned
    from dhrkg.graph.readonly import WriteNotAllowed

    lib = canned.load_library(queries_dir)
    with failing(canned.QueryError):
        q = lib.get(name)
        named = {k: (v if len(v) > 1 else v[0]) for k, v in _named_params(param).items()}
        bound = canned.bind(q, named, args or [])
    store = open_graph(backend, data_dir)
    with store:
        if show_cypher:
            typer.echo(q.text_for(store.backend), err=True)
            typer.echo(f"parameters: {json.dumps(bound, default=str)}", err=True)
        try:
            result = canned.run(store, q, bound, timeout_ms=timeout, check_exists=True)
        except canned.QueryError as exc:
            fail(str(exc))
        except WriteNotAllowed as exc:
            fail(f"{q.path}: {exc}")
        except Exception as exc:
            fail(_engine_error(exc, store.backend, timeout, q.text_for(store.backend)))
        if q.origin != "package":  # the packaged queries are checked against the schema by tests
            _warn_unknown_names(store, q.text_for(store.backend))
    render(list(result.columns), result.rows, fmt)
    if result.more:
        typer.echo(cut_note(name, result.limit), err=True)


def cut_note(name: str, limit: int) -> str:
    """What a user is told when a query's row limit left rows out (stderr: stdout is the rows)."""
    return (f"{name}: the first {limit} rows only; more match.\n"
            f"Narrow it, or --param limit=0 for all of them.")


def cypher(
    query: Optional[str] = typer.Argument(None, help="The Cypher text (or use --file).", show_default=False),
    file: Optional[Path] = typer.Option(None, "--file", help="Read the Cypher from this file (a canned-query header is skipped).", show_default=False),
    param: List[str] = typer.Option([], "--param", "-p", help=_PARAM_HELP + " JSON values are typed (5, true, [\"a\"]); name:TYPE=value forces a type.", show_default=False),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help=FORMAT_HELP),
    timeout: Optional[int] = typer.Option(None, "--timeout", min=1, help=_TIMEOUT_HELP, show_default=False),
    backend: Optional[str] = BackendOption,
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Run your own Cypher, read-only, on either engine.

    Writes (CREATE, MERGE, SET, DELETE, REMOVE, DROP, LOAD CSV, write procedures ...) are refused before the query is sent, and the engine runs it in read-only mode as well.

    On FalkorDB, constructs it does not support or runs differently (EXISTS {} subqueries, =~, datetime(), ...) are explained before the query is sent. Parameters are bound ($name), never pasted into the text.
    """
    from dhrkg.graph.canned import ParameterError, split_front_matter
    from dhrkg.graph.lint import lint_cypher
    from dhrkg.graph.readonly import WriteNotAllowed, check_read_only

    if (query is None) == (file is None):
        fail("give the Cypher as an argument or with --file (one of the two)", 2)
    if file is not None:
        text = _read_cypher_file(file)
        header, body, _ = split_front_matter(text)
        text = body if header is not None else text
        origin = str(file)
    else:
        text = query
        origin = "<query>"
    if not text.strip():
        fail(f"{origin}: no Cypher to run")
    with failing(ParameterError):
        params = parse_params(param)
    with failing(WriteNotAllowed, context=origin):
        check_read_only(text)
    store = open_graph(backend, data_dir)
    with store:
        if store.capabilities.cypher_subset:
            findings = [f for f in lint_cypher(text, origin, engines=(store.backend,)) if f.rule.kind != "portability"]
            if findings:
                for f in findings:
                    typer.echo(file_error(f"{f.origin}:{f.line}:{f.column}: {f.rule.message}"), err=True)
                fail("not sent: FalkorDB cannot run this query as written (see above)")
        try:
            result = store.query(text, params, timeout_ms=timeout)
        except WriteNotAllowed as exc:
            fail(f"{origin}: {exc}")
        except Exception as exc:
            fail(_engine_error(exc, store.backend, timeout, text))
        _warn_unknown_names(store, text)
    render(list(result.columns), result.rows, fmt)


def _warn_unknown_names(store, text: str) -> None:
    """Say which labels, relationship types and properties the graph does not know (a typo
    otherwise just gives no rows)."""
    from dhrkg.graph.names import check

    from dhrkg.terminal import wrapped

    try:
        unknown = check(store, text)
    except Exception:  # a catalogue the engine cannot give is no reason to fail the query
        return
    for u in unknown:
        typer.echo(wrapped(str(u)), err=True)


MAX_CYPHER_FILE = 1024 * 1024


def _read_cypher_file(file: Path) -> str:
    """The file's text, refusing one over 1 MB (or endless, like /dev/zero) without reading it all."""
    try:
        with file.open("rb") as f:
            raw = f.read(MAX_CYPHER_FILE + 1)
        if len(raw) > MAX_CYPHER_FILE:
            fail(f"{file}: longer than {MAX_CYPHER_FILE // 1024} KB; not a query", 2, files=True)
        return raw.decode("utf-8")
    except OSError as exc:
        fail(f"{file}: cannot read: {exc.strerror}", 2, files=True)
    except UnicodeDecodeError as exc:
        fail(f"{file}: not UTF-8 text (byte {exc.start})", 2, files=True)


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel=PANEL)(queries)
    app.command(rich_help_panel=PANEL)(run)
    app.command(rich_help_panel=PANEL)(cypher)
