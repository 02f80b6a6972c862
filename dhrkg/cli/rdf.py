"""Linked-data commands: export reviews as RDF under the DHR ontology, and import RDF back."""

from __future__ import annotations

import os
import sys
import tempfile
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from ._style import BACKEND_HELP, DATA_DIR_HELP, FORCE_HELP

PANEL = "Linked data (RDF)"


class RDFFormat(str, Enum):
    ttl = "ttl"
    nt = "nt"
    nq = "nq"
    trig = "trig"
    jsonld = "jsonld"


class Generalise(str, Enum):
    month = "month"
    year = "year"


def _fail(message: str, status: int = 1) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(status)


def _load_cases(files: List[Path]):
    from dhrkg.model import CaseFileInvalid, UnreadableCaseFile, load_case

    cases = []
    for path in files:
        try:
            cases.append(load_case(path))
        except UnreadableCaseFile as exc:
            _fail(str(exc), 2)
        except CaseFileInvalid as exc:
            _fail(str(exc), 1)
    return cases


def _count(n: int, noun: str) -> str:
    """``1 person``, ``1,319 persons``."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _quasi_lines(q) -> list[str]:
    """The k-anonymity of one set of persons, in lines that fit 80 columns."""
    if q.k is None:
        return ["no persons"]
    return [f"smallest group: {_count(q.k, 'person')}; {_count(len(q.groups), 'group')} "
            f"among {_count(q.persons, 'person')}",
            f"groups smaller than 5: {q.groups_smaller_than(5):,} "
            f"(holding {_count(q.persons_in_groups_smaller_than(5), 'person')})"]


def _research_summary(report, key, generalise: str, exact_dates: bool) -> list[str]:
    """What a pseudonymised export did, for the terminal."""
    dates = ("dates NOT shifted (--exact-dates)" if exact_dates
             else "dates shifted by one keyed offset per review")
    lines = [f"pseudonymised with {key.source}", f"{dates}, then given to the {generalise}"]
    if report.withheld:
        lines.append("withheld:")
        lines += [f"  {n:,} {what}" for what, n in sorted(report.withheld.items())]
    lines.append("quasi-identifiers: age band, sex, ethnicity, force area, year")
    for title, q in (("all persons", report.quasi), ("victims and perpetrators", report.quasi_subjects)):
        lines += [f"  {title}:"] + [f"    {line}" for line in _quasi_lines(q)]
    if report.quasi.k is not None and report.quasi.k < 5:
        lines.append("  warning: groups smaller than 5 can allow re-identification;")
        lines.append("  share with care")
    return lines


def export(
    case_files: List[Path] = typer.Argument(None, help="Case files to export (.yaml, .yml, .json). Without any, the graph store is exported.", show_default=False),
    output: Path = typer.Option(..., "--output", "-o", help="File to write. Written to a temporary file first and moved into place only when complete.", show_default=False),
    fmt: Optional[RDFFormat] = typer.Option(None, "--format", "-f", help="ttl (Turtle), nt (N-Triples), nq (N-Quads, one named graph per review), trig, or jsonld. Default: from the output file name.", show_default=False),
    review: Optional[str] = typer.Option(None, "--review", help="Export only the review with this id.", show_default=False),
    pseudonymise: bool = typer.Option(False, "--pseudonymise", help="Research export (policy: docs/ontology.md): no names, ids, free text or births; dates shifted per review; ages as bands. Prints the smallest group size."),
    key_file: Optional[Path] = typer.Option(None, "--key-file", help="Secret key for --pseudonymise (64 hex digits); created with a new random key if it does not exist. The same key gives the same person IRIs. Without it each export gets a new key and cannot be linked to another.", show_default=False),
    generalise_dates: Optional[Generalise] = typer.Option(None, "--generalise-dates", help="Give dates only to the month or the year. --pseudonymise implies month unless set.", show_default=False),
    exact_dates: bool = typer.Option(False, "--exact-dates", help="Do not shift dates: only with the key holder's consent; needs --key-file."),
    base_iri: Optional[str] = typer.Option(None, "--base-iri", help="Base IRI for the exported records (default https://w3id.org/dhrkg/id/).", show_default=False),
    from_graph: bool = typer.Option(False, "--from-graph", help="Export from the graph store (the default when no case files are given).", show_default=False),
    backend: Optional[str] = typer.Option(None, "--backend", help=BACKEND_HELP, show_default=False),
    data_dir: Optional[Path] = typer.Option(None, "--data-dir", help=DATA_DIR_HELP, show_default=False),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """Export reviews as RDF under the DHR ontology (ontology/dhr.ttl).

    From case files, or from the graph store when none are given. N-Triples and
    N-Quads are written as the records are read (bounded memory); Turtle, TriG
    and JSON-LD one review at a time. Every record keeps its source paragraph
    (prov:wasDerivedFrom); each review is a prov:Bundle (its own named graph in
    N-Quads, TriG and JSON-LD).
    """
    from dhrkg.ontology.export import ExportOptions, export_cases
    from dhrkg.ontology.pseudonymise import ExportKey, KeyFileError
    from dhrkg.outputs import OutputRefused, check_folder, check_format, check_output

    try:
        check_output(output, force)
        check_format(output, fmt.value if fmt else None, [f.value for f in RDFFormat], {"json": "jsonld"})
        if key_file is not None and not key_file.exists():
            check_folder(key_file, "--key-file")
    except OutputRefused as exc:
        _fail(str(exc), 1)
    if fmt is None:
        suffix = output.suffix.lower().lstrip(".")
        fmt = {"ttl": RDFFormat.ttl, "nt": RDFFormat.nt, "nq": RDFFormat.nq, "trig": RDFFormat.trig,
               "jsonld": RDFFormat.jsonld, "json": RDFFormat.jsonld}.get(suffix)
        if fmt is None:
            _fail(f"{output}: cannot tell the format from the file name; give --format ttl|nt|nq|trig|jsonld", 2)
    if key_file is not None and not pseudonymise:
        _fail("--key-file is only used with --pseudonymise", 2)
    if exact_dates and (not pseudonymise or key_file is None):
        _fail("--exact-dates needs --pseudonymise and the key holder's --key-file", 2)
    key = None
    if pseudonymise:
        try:
            key = ExportKey.from_file(key_file) if key_file is not None else ExportKey.random()
        except (KeyFileError, OSError) as exc:
            _fail(str(exc), 2)
    generalise = generalise_dates.value if generalise_dates else ("month" if pseudonymise else None)
    try:
        opts = ExportOptions(pseudonymise=pseudonymise, key=key, generalise_dates=generalise, exact_dates=exact_dates,
                             **({"base": base_iri} if base_iri else {}))
    except ValueError as exc:
        _fail(str(exc), 2)

    use_graph = from_graph or not case_files
    if use_graph and case_files:
        _fail("give case files or --from-graph, not both", 2)
    cases = None if use_graph else _load_cases(case_files)
    if cases is not None and review is not None and not any(c.review.id == review for c in cases):
        _fail(f"no review with id {review!r} in the case files given", 1)

    target = output.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            if use_graph:
                report = _export_graph(out, fmt.value, opts, review, backend, data_dir)
            else:
                report = export_cases(cases, out, fmt.value, opts, review=review)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    typer.echo(f"wrote {report.triples} triples of {report.reviews} review{'s' if report.reviews != 1 else ''} "
               f"to {output} ({fmt.value})", err=True)
    if pseudonymise:
        for line in _research_summary(report, key, generalise, exact_dates):
            typer.echo(line, err=True)


def _export_graph(out, fmt: str, opts, review: Optional[str], backend: Optional[str], data_dir: Optional[Path]):
    try:
        from dhrkg.graph import open_store  # noqa: F401
        from dhrkg.ontology.graph_export import export_graph
    except ImportError as exc:
        _fail(f"exporting from the graph store is not available here ({exc}); give case files instead", 2)
    from dhrkg.graph import open_store

    with open_store(backend=backend, data_dir=data_dir) as store:
        if review is not None and review not in store.reviews():
            _fail(f"no review with id {review!r} in the graph ({store.backend})", 1)
        return export_graph(store, out, fmt, opts, review=review)


def import_rdf(
    file: Path = typer.Argument(..., help="An RDF export (.nt, .nq, .ttl, .trig, .jsonld).", show_default=False),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="Case file to write (YAML); a directory (existing, or ending in /) to write one <review id>.yaml per review. Default: print YAML.", show_default=False),
    fmt: Optional[RDFFormat] = typer.Option(None, "--format", "-f", help="RDF format; default from the file name.", show_default=False),
    review: Optional[str] = typer.Option(None, "--review", help="Import only the review with this id.", show_default=False),
    to_graph: bool = typer.Option(False, "--to-graph", help="Load the reviews into the graph store (replacing each review atomically)."),
    backend: Optional[str] = typer.Option(None, "--backend", help=BACKEND_HELP, show_default=False),
    data_dir: Optional[Path] = typer.Option(None, "--data-dir", help=DATA_DIR_HELP, show_default=False),
    force: bool = typer.Option(False, "--force", help="Overwrite output files that exist."),
) -> None:
    """Read an RDF export back into case files (and optionally into the graph store).

    An export that was not pseudonymised reads back to the same case file it was
    made from. A pseudonymised one reads back without what it withheld (ids are
    the hashed IRIs). Exit status: 0 done, 1 the RDF does not make a valid case
    file, 2 the file cannot be read.
    """
    from dhrkg.ontology.rdf_import import RDFImportError, case_yaml, cases_from_rdf, read_rdf

    if not file.exists():
        _fail(f"{file}: no such file", 2)
    try:
        g = read_rdf(file, fmt.value if fmt else None)
    except RDFImportError as exc:
        _fail(str(exc), 2)
    try:
        cases = cases_from_rdf(g)
    except RDFImportError as exc:
        _fail(f"{file}: {exc}", 1)
    if review is not None:
        cases = [c for c in cases if c.review.id == review]
        if not cases:
            _fail(f"{file}: no review with id {review!r}", 1)
    if not cases:
        _fail(f"{file}: no dhr:Review in this RDF", 1)

    if output is not None:
        out_path = Path(output)
        if out_path.is_dir() or output.endswith(("/", os.sep)):
            out_path.mkdir(parents=True, exist_ok=True)
            targets = [(c, out_path / f"{_file_safe(c.review.id)}.yaml") for c in cases]
        elif len(cases) > 1:
            _fail(f"{file} holds {len(cases)} reviews; give --review ID or a directory as --output", 2)
        else:
            targets = [(cases[0], out_path)]
        from dhrkg.outputs import OutputRefused, check_output

        try:
            for _, path in targets:
                check_output(path, force)
        except OutputRefused as exc:
            _fail(str(exc), 1)
        for case, path in targets:
            _write_atomic(path, case_yaml(case))
            typer.echo(f"wrote {path}", err=True)
    elif not to_graph:
        sys.stdout.write("---\n".join(case_yaml(c) for c in cases))

    if to_graph:
        try:
            from dhrkg.graph import open_store
        except ImportError as exc:
            _fail(f"the graph store is not available here ({exc})", 2)
        with open_store(backend=backend, data_dir=data_dir) as store:
            for case in cases:
                store.load_case(case)
                typer.echo(f"loaded review {case.review.id} into the graph ({store.backend})", err=True)


def _file_safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)


def _write_atomic(path: Path, text: str) -> None:
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel=PANEL)(export)
    app.command("import-rdf", rich_help_panel=PANEL)(import_rdf)
