"""Import commands: combined chronologies (spreadsheets) and the DHRD national dataset."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ._common import BackendOption, DataDirOption, failing, open_graph, read_case
from ._style import FORCE_HELP

PANEL = "Import"


def import_chronology(
    file: Path = typer.Argument(..., help="The chronology: .csv, .tsv or .xlsx.", show_default=False),
    review: Path = typer.Option(..., "--review", "-r", help="The case file the events are added to.", show_default=False),
    output: Optional[Path] = typer.Option(
        None, "--output", "-o",
        help="Where to write the case file with the events added "
             "[default: CASE.with-chronology.yaml beside the case file].", show_default=False),
    maps: List[str] = typer.Option(
        [], "--map", "-m",
        help="A local heading and the field it holds, 'Local heading=field' (repeatable); "
             "field 'ignore' skips a column. Fields: see docs/chronology.md.", show_default=False),
    sheet: Optional[str] = typer.Option(None, "--sheet", help="The xlsx sheet to read [default: the first with a header]."),
    skip_bad_rows: bool = typer.Option(
        False, "--skip-bad-rows", help="Import the readable rows and list the others (default: import nothing when a row fails)."),
    strict: bool = typer.Option(
        False, "--strict", help="Treat an agency or person that matches nothing in the case file as an unreadable cell."),
    replace_events: bool = typer.Option(
        False, "--replace-events", help="Drop the case file's own events first (the chronology is the whole timeline)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Read and check everything, write nothing."),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
    graph: bool = typer.Option(False, "--graph", help="Also load the updated case into the graph store."),
    backend: Optional[str] = BackendOption,
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Add the rows of a combined chronology to a case file as events.

    Columns are found by their headings (Date, Time, Agency, Person(s), Summary / What happened,
    Type, Source IMR, Risk level, Outcome, ...; see docs/chronology.md), title rows above the
    header, blank rows and merged cells are handled, and dates are read day first in the forms
    agencies write (08/10/2010, 8 Oct 2010, October 2010, Oct-10, 2010, Excel dates), partial
    when partial. Agencies and people are matched to the case file by id, name, abbreviation or
    alias; names that match nothing are kept in the event's notes and listed. An unreadable cell
    is reported with its sheet, row and column, and nothing is written unless --skip-bad-rows.

    Exit status: 0 written (or checked), 1 rows could not be read, 2 a file could not be read.
    """
    from dhrkg.ingest.chronology import ChronologyError, import_chronology as run_import, without_events, write_case

    out = output or review.with_name(f"{review.stem}.with-chronology.yaml")
    if not dry_run:
        _check_output(out, force)
    case = read_case(review, invalid=2)
    if replace_events and case.events:
        typer.echo(f"{review}: dropping its {len(case.events)} events (--replace-events)")
        case = without_events(case)
    with failing(ChronologyError, files=True):
        result = run_import(file, case, mapping=maps, sheet=sheet, skip_bad_rows=skip_bad_rows, strict=strict)

    where = f"sheet '{result.sheet}', " if result.sheet else ""
    typer.echo(f"{result.file}: {where}header on row {result.header_row}; "
               f"columns: {', '.join(f'{h} -> {f}' for f, h in result.columns.items())}")
    if result.ignored_columns:
        typer.echo(f"  ignored columns (no field; use --map): {', '.join(result.ignored_columns)}")
    skipped = []
    if result.blank_rows:
        skipped.append(f"{result.blank_rows} blank")
    if result.section_rows:
        skipped.append(f"{len(result.section_rows)} section-heading ({_rows(result.section_rows)})")
    if result.repeated_header_rows:
        skipped.append(f"{len(result.repeated_header_rows)} repeated-header ({_rows(result.repeated_header_rows)})")
    if skipped:
        typer.echo(f"  skipped rows: {', '.join(skipped)}")
    if result.bad_rows:
        rows = sorted({p.where.row for p in result.bad_rows})
        typer.echo(f"  {len(rows)} bad row{'s' if len(rows) != 1 else ''} skipped (--skip-bad-rows):")
        for p in result.bad_rows:
            typer.echo(f"    {p}")
    if result.unresolved:
        rows = result.rows_with_unresolved
        typer.echo(f"  {len(rows)} row{'s' if len(rows) != 1 else ''} with names not matched to the case file "
                   f"(kept in the event's notes; add the agency/person or an alias to the case file):")
        for u in result.unresolved:
            typer.echo(f"    {u}")
    typer.echo(f"{len(result.events)} event{'s' if len(result.events) != 1 else ''} read for review '{case.review.id}'")
    if dry_run:
        typer.echo("dry run: nothing written")
        return
    write_case(result.case, out)
    typer.echo(f"wrote {out}")
    if graph:
        _load_into_graph(result.case, backend, data_dir)


def _check_output(output: Path, force: bool) -> None:
    from dhrkg.outputs import OutputRefused, check_output

    with failing(OutputRefused):
        check_output(output, force)


def _rows(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:10])
    return f"rows {shown}{', ...' if len(rows) > 10 else ''}"


def _load_into_graph(case, backend: Optional[str], data_dir: Optional[Path]) -> None:
    with open_graph(backend, data_dir) as store:
        report = store.load_case(case)
        typer.echo(f"loaded review '{case.review.id}' into {store.backend}: {report.summary()}"
                   f"{' (replacing the version in the graph)' if report.replaced else ''}")


def export_chronology(
    case_file: Path = typer.Argument(..., help="A case file.", show_default=False),
    output: Path = typer.Option(..., "--output", "-o", help="The chronology to write: .csv or .xlsx.", show_default=False),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """Write a case file's events as a combined chronology spreadsheet (.csv or .xlsx).

    One row per event with its id, date (day first; partial dates as 'Oct 2010' or '2010'),
    agency and people by name, type, summary, risk, referrals, abuse, place, and the report's
    paragraph refs; `dhrkg import-chronology` reads it back.
    """
    from dhrkg.ingest.chronology import ChronologyError, export_chronology as run_export

    _check_output(output, force)
    case = read_case(case_file, invalid=2)
    with failing(ChronologyError, files=True):
        n = run_export(case, output)
    typer.echo(f"wrote {n} event{'s' if n != 1 else ''} to {output}")


def import_dhrd(
    directory: Optional[Path] = typer.Argument(
        None, help="Folder with incidents.csv, victims.csv, perpetrators.csv and CITATION.cff "
                   "[default: the copy shipped with dhrkg].", show_default=False),
    backend: Optional[str] = BackendOption,
    data_dir: Optional[Path] = DataDirOption,
    check: bool = typer.Option(False, "--check", help="Read and check the files, print what would be loaded, write nothing."),
) -> None:
    """Load the Domestic Homicide Review Dataset (DHRD, Cook and Cook 2026, CC BY 4.0) into the graph.

    One Review per incident (its CSP and region as Areas), the victim (single-victim incidents)
    and the perpetrator as Persons with their characteristics, the relationship between them,
    and the case flags; the citation is kept on a Source node. Replaces any DHRD already in the
    graph in one atomic write; case-file reviews are not touched. See docs/dhrd.md.
    """
    from dhrkg.ingest.dhrd import DHRDError, graph_data, import_dhrd as run_import, read_dataset

    with failing(DHRDError, files=True):
        dataset = read_dataset(directory)
    single = sum(1 for i in dataset.incidents if not i.multiple_victims)
    typer.echo(f"{dataset.directory}: {len(dataset.incidents)} incidents ({single} single-victim), "
               f"{len(dataset.victims)} victims, {len(dataset.perpetrators)} perpetrators")
    if check:
        counts = graph_data(dataset).counts()
        typer.echo("would load: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    else:
        from dhrkg.graph import StoreError

        with failing(StoreError, status=2), open_graph(backend, data_dir) as store:
            report = run_import(store, directory)
        typer.echo(f"loaded into {report.backend} in {report.seconds:.1f}s ({report.statements} batched statements"
                   f"{', replacing the DHRD already loaded' if report.replaced_nodes else ''}): "
                   + ", ".join(f"{k} {v}" for k, v in report.counts.items()))
    typer.echo(f"Data: {dataset.citation['citation']} Licence: {dataset.citation['licence']}.")


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel=PANEL)(import_chronology)
    app.command(rich_help_panel="Case files")(export_chronology)  # writes a case file's events
    app.command(rich_help_panel=PANEL)(import_dhrd)
