"""Linked-data commands: export reviews as RDF under the DHR ontology, and import RDF back."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from dhrkg.formats import RDF_FORMATS, RDFFormat, by_extension, extension_aliases

from ._common import BackendOption, DataDirOption, exit_with, failing, open_graph, read_case
from ._style import FORCE_HELP

PANEL = "Linked data (RDF)"


class Generalise(str, Enum):
    month = "month"
    year = "year"


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
    lines.append("quasi-identifiers: age band, sex, ethnicity, area, year")
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
    key_file: Optional[Path] = typer.Option(None, "--key-file", help="Secret key for --pseudonymise (64 hex digits); created with a new random key if it does not exist. The same key gives the same person IRIs. Without it each export gets a new key: its IRIs cannot be joined to another export's.", show_default=False),
    generalise_dates: Optional[Generalise] = typer.Option(None, "--generalise-dates", help="Give dates only to the month or the year. --pseudonymise implies month unless set.", show_default=False),
    exact_dates: bool = typer.Option(False, "--exact-dates", help="Do not shift dates: only with the key holder's consent; needs --key-file."),
    base_iri: Optional[str] = typer.Option(None, "--base-iri", help="Base IRI for the exported records (default https://w3id.org/dhrkg/id/).", show_default=False),
    from_graph: bool = typer.Option(False, "--from-graph", help="Export from the graph store (the default when no case files are given).", show_default=False),
    backend: Optional[str] = BackendOption,
    data_dir: Optional[Path] = DataDirOption,
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
    from dhrkg.outputs import OutputRefused, atomic_text, check_folder, check_format, check_output

    with failing(OutputRefused, plain=True):
        check_output(output, force)
        check_format(output, fmt.value if fmt else None, RDF_FORMATS, extension_aliases(RDF_FORMATS))
        if key_file is not None and not key_file.exists():
            check_folder(key_file, "--key-file")
    if fmt is None:
        known = by_extension(output, RDF_FORMATS)
        if known is None:
            exit_with(f"{output}: cannot tell the format from the file name; give --format {'|'.join(RDF_FORMATS)}", 2)
        fmt = RDFFormat(known.name)
    if key_file is not None and not pseudonymise:
        exit_with("--key-file is only used with --pseudonymise", 2)
    if exact_dates and (not pseudonymise or key_file is None):
        exit_with("--exact-dates needs --pseudonymise and the key holder's --key-file", 2)
    key = None
    if pseudonymise:
        with failing(KeyFileError, OSError, status=2, plain=True):
            key = ExportKey.from_file(key_file) if key_file is not None else ExportKey.random()
    generalise = generalise_dates.value if generalise_dates else ("month" if pseudonymise else None)
    with failing(ValueError, status=2, plain=True):
        opts = ExportOptions(pseudonymise=pseudonymise, key=key, generalise_dates=generalise, exact_dates=exact_dates,
                             **({"base": base_iri} if base_iri else {}))

    use_graph = from_graph or not case_files
    if use_graph and case_files:
        exit_with("give case files or --from-graph, not both", 2)
    cases = None if use_graph else [read_case(path) for path in case_files]
    if cases is not None and review is not None and not any(c.review.id == review for c in cases):
        exit_with(f"no review with id {review!r} in the case files given", 1)

    with atomic_text(output, newline="\n") as out:
        if use_graph:
            report = _export_graph(out, fmt.value, opts, review, backend, data_dir)
        else:
            report = export_cases(cases, out, fmt.value, opts, review=review)
    typer.echo(f"wrote {report.triples} triples of {report.reviews} review{'s' if report.reviews != 1 else ''} "
               f"to {output} ({fmt.value})", err=True)
    if pseudonymise:
        for line in _research_summary(report, key, generalise, exact_dates):
            typer.echo(line, err=True)


def _export_graph(out, fmt: str, opts, review: Optional[str], backend: Optional[str], data_dir: Optional[Path]):
    from dhrkg.ontology.graph_export import export_graph

    with open_graph(backend, data_dir) as store:
        if review is not None and review not in store.reviews():
            exit_with(f"no review with id {review!r} in the graph ({store.backend})", 1)
        return export_graph(store, out, fmt, opts, review=review)


def import_rdf(
    file: Path = typer.Argument(..., help="An RDF export (.nt, .nq, .ttl, .trig, .jsonld).", show_default=False),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="Case file to write (YAML); a directory (existing, or ending in /) to write one <review id>.yaml per review. Default: print YAML.", show_default=False),
    fmt: Optional[RDFFormat] = typer.Option(None, "--format", "-f", help="RDF format; default from the file name.", show_default=False),
    review: Optional[str] = typer.Option(None, "--review", help="Import only the review with this id.", show_default=False),
    to_graph: bool = typer.Option(False, "--to-graph", help="Load the reviews into the graph store (replacing each review atomically)."),
    backend: Optional[str] = BackendOption,
    data_dir: Optional[Path] = DataDirOption,
    force: bool = typer.Option(False, "--force", help="Overwrite output files that exist."),
) -> None:
    """Read an RDF export back into case files (and optionally into the graph store).

    An export that was not pseudonymised reads back to the same case file it was
    made from. A pseudonymised one reads back without what it withheld (ids are
    the hashed IRIs). Exit status: 0 done, 1 the RDF does not make a valid case
    file, 2 the file cannot be read.
    """
    from dhrkg.model.writer import case_yaml, write_case_file
    from dhrkg.ontology.rdf_import import RDFImportError, cases_from_rdf, read_rdf

    if not file.exists():
        exit_with(f"{file}: no such file", 2)
    with failing(RDFImportError, status=2, plain=True, files=True):
        g = read_rdf(file, fmt.value if fmt else None)
    with failing(RDFImportError, plain=True, context=str(file), files=True):
        cases = cases_from_rdf(g)
    if review is not None:
        cases = [c for c in cases if c.review.id == review]
        if not cases:
            exit_with(f"{file}: no review with id {review!r}", 1)
    if not cases:
        exit_with(f"{file}: no dhr:Review in this RDF", 1)

    if output is not None:
        out_path = Path(output)
        if out_path.is_dir() or output.endswith(("/", os.sep)):
            out_path.mkdir(parents=True, exist_ok=True)
            targets = [(c, out_path / f"{_file_safe(c.review.id)}.yaml") for c in cases]
        elif len(cases) > 1:
            exit_with(f"{file} holds {len(cases)} reviews; give --review ID or a directory as --output", 2)
        else:
            targets = [(cases[0], out_path)]
        from dhrkg.outputs import OutputRefused, check_output

        with failing(OutputRefused, plain=True):
            for _, path in targets:
                check_output(path, force)
        for case, path in targets:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_case_file(case, path)
            typer.echo(f"wrote {path}", err=True)
    elif not to_graph:
        sys.stdout.write("---\n".join(case_yaml(c) for c in cases))

    if to_graph:
        with open_graph(backend, data_dir) as store:
            for case in cases:
                store.load_case(case)
                typer.echo(f"loaded review {case.review.id} into the graph ({store.backend})", err=True)


def _file_safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel=PANEL)(export)
    app.command("import-rdf", rich_help_panel=PANEL)(import_rdf)
