"""Drawing commands: genogram, contact network, chronology timeline (SVG, PDF or PNG)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from dhrkg.renderers import DrawingFormat as OutFormat, Households, Page  # shared with the HTTP API

from ._style import BACKEND_HELP, DATA_DIR_HELP, FORCE_HELP

PANEL = "Drawings"


SOURCE_HELP = ("A case file (.yaml, .yml, .json), or the id of a review in the graph store.")
OUTPUT_HELP = ("File to write: .svg, .pdf (A4 landscape) or .png. Written to a temporary file first "
               "and moved into place only when complete.")



def _fail(message: str, status: int = 1) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(status)


def _load(source: str, backend: Optional[str], data_dir: Optional[Path]):
    from dhrkg.model import CaseFileInvalid, UnreadableCaseFile
    from dhrkg.visualisation.source import ReviewNotFound, load_review

    try:
        return load_review(source, backend=backend, data_dir=data_dir)
    except UnreadableCaseFile as exc:
        _fail(str(exc), 2)
    except CaseFileInvalid as exc:
        _fail(str(exc), 1)
    except ReviewNotFound as exc:
        _fail(str(exc), 1)


def _write(svg: str, output: Path, fmt: Optional[OutFormat], zoom: float) -> None:
    from dhrkg.visualisation.convert import ConversionFailed, ConverterMissing, write_drawing

    try:
        written = write_drawing(svg, output, fmt.value if fmt else None, zoom)
    except (ValueError, ConverterMissing, ConversionFailed, OSError) as exc:
        _fail(f"{output}: {exc}", 1)
    typer.echo(f"wrote {output} ({written})")


def _check_output(output: Path, fmt: Optional[OutFormat], zoom: float, force: bool) -> None:
    """Before any work: the output may be written, its format is clear, the zoom is usable."""
    from dhrkg.outputs import OutputRefused, check_format, check_output

    try:
        check_output(output, force)
        check_format(output, fmt.value if fmt else None, [f.value for f in OutFormat])
    except OutputRefused as exc:
        _fail(str(exc), 1)
    if not zoom > 0:
        _fail(f"--zoom {zoom:g}: must be more than 0 (pixels per SVG unit)", 1)


def _draw(fn, *args):
    from dhrkg.visualisation import FamilyError, GraphvizFailed, GraphvizMissing, TimelineError

    try:
        return fn(*args)
    except (FamilyError, TimelineError) as exc:
        _fail(str(exc), 1)
    except (GraphvizMissing, GraphvizFailed) as exc:
        _fail(str(exc), 1)


_backend = typer.Option(None, "--backend", help=BACKEND_HELP, show_default=False)
_data_dir = typer.Option(None, "--data-dir", help=DATA_DIR_HELP, show_default=False)
_format = typer.Option(None, "--format", "-f", help="svg, pdf or png. Default: from the output file name.", show_default=False)
_zoom = typer.Option(2.0, "--zoom", help="PNG only: pixels per SVG unit.")
_force = typer.Option(False, "--force", help=FORCE_HELP)
_publication = typer.Option(False, "--publication", help="For the published report: only pseudonyms/labels; no dates of birth or death, no relationship dates, no aliases or case-file ids.")
_hide_children = typer.Option(False, "--hide-children", help="Do not show children's ages or sex (as the Home Office quality assurance panel asks).")


def genogram(
    source: str = typer.Argument(..., help=SOURCE_HELP, show_default=False),
    output: Path = typer.Option(..., "--output", "-o", help=OUTPUT_HELP, show_default=False),
    person: Optional[str] = typer.Option(None, "--person", help="Centre on this person (case-file id): their ancestors --up generations, descendants --down, everyone's partners. Default: the whole review.", show_default=False),
    up: int = typer.Option(2, "--up", min=0, help="With --person: generations above them."),
    down: int = typer.Option(2, "--down", min=0, help="With --person: generations below them."),
    perpetrator_partners: bool = typer.Option(True, "--perpetrator-partners/--no-perpetrator-partners", help="With --person: also draw every perpetrator's partners and their children (where missed links are)."),
    households: Households = typer.Option(Households.current, "--households", help="Household outlines: current (at the reference date), all, or none."),
    reference_date: Optional[str] = typer.Option(None, "--reference-date", help="Ages and households at this date (YYYY, YYYY-MM or YYYY-MM-DD). Default: the homicide date.", show_default=False),
    page: Page = typer.Option(Page.a4, "--page", help="Lay out for this page (landscape or portrait, whichever prints larger; the PDF's page): a4, a3, or fit (the drawing's own size)."),
    publication: bool = _publication,
    hide_children: bool = _hide_children,
    fmt: Optional[OutFormat] = _format,
    zoom: float = _zoom,
    force: bool = _force,
    backend: Optional[str] = _backend,
    data_dir: Optional[Path] = _data_dir,
) -> None:
    """Draw a review's genogram (McGoldrick/GenoPro conventions).

    Squares, circles and diamonds for male, female and unknown; an X for the dead; a
    double outline for the victim; the perpetrator labelled; couple lines by kind and
    status; children in birth order; zig-zag abuse lines with the arrowhead at the
    person abused; dashed outlines around households. Identical input gives an
    identical SVG.
    """
    from dhrkg.model.dates import PartialDate, PartialDateError
    from dhrkg.visualisation import GenogramOptions, genogram_svg

    if reference_date is not None:
        try:
            PartialDate.parse(reference_date)
        except PartialDateError as exc:
            _fail(f"--reference-date: {exc}", 1)
    _check_output(output, fmt, zoom, force)
    case = _load(source, backend, data_dir)
    opts = GenogramOptions(person=person, up=up, down=down, perpetrator_partners=perpetrator_partners,
                           publication=publication, hide_children=hide_children,
                           reference_date=reference_date, households=households.value, page=page.value)
    svg = _draw(genogram_svg, case, opts)
    _write(svg, output, fmt, zoom)


def network(
    source: str = typer.Argument(..., help=SOURCE_HELP, show_default=False),
    output: Path = typer.Option(..., "--output", "-o", help=OUTPUT_HELP, show_default=False),
    all_agencies: bool = typer.Option(False, "--all-agencies", help="Also draw agencies with no recorded contact with anyone."),
    flows: bool = typer.Option(True, "--flows/--no-flows", help="Draw information shared and referrals between agencies."),
    publication: bool = _publication,
    hide_children: bool = _hide_children,
    fmt: Optional[OutFormat] = _format,
    zoom: float = _zoom,
    force: bool = _force,
    backend: Optional[str] = _backend,
    data_dir: Optional[Path] = _data_dir,
) -> None:
    """Draw the contact network ("who knew what"): people and the agencies in contact.

    Line width by number of contacts, agencies coloured by type and grouped by police
    force area, agencies that saw both victim and perpetrator highlighted."""
    from dhrkg.visualisation import NetworkOptions, network_svg

    _check_output(output, fmt, zoom, force)
    case = _load(source, backend, data_dir)
    svg = _draw(network_svg, case, NetworkOptions(publication=publication, hide_children=hide_children,
                                                  all_agencies=all_agencies, information_flows=flows))
    _write(svg, output, fmt, zoom)


def timeline(
    source: str = typer.Argument(..., help=SOURCE_HELP, show_default=False),
    output: Path = typer.Option(..., "--output", "-o", help=OUTPUT_HELP, show_default=False),
    person: List[str] = typer.Option([], "--person", help="Only events involving this person (case-file id); repeatable.", show_default=False),
    date_from: Optional[str] = typer.Option(None, "--from", help="Only events from this date (YYYY, YYYY-MM or YYYY-MM-DD).", show_default=False),
    date_to: Optional[str] = typer.Option(None, "--to", help="Only events up to this date.", show_default=False),
    publication: bool = typer.Option(False, "--publication", help="No event ids, summaries or exact dates in the file; life events (births, moves) left out."),
    labels: bool = typer.Option(False, "--labels", help="Label incidents, risk assessments, MARAC/MAPPA and referrals."),
    page: Page = typer.Option(Page.a3, "--page", help="Draw at print size for this page, landscape: a3, a4, or fit (a wider plot)."),
    fmt: Optional[OutFormat] = _format,
    zoom: float = _zoom,
    force: bool = _force,
    backend: Optional[str] = _backend,
    data_dir: Optional[Path] = _data_dir,
) -> None:
    """Draw the chronology as a timeline, one lane per agency.

    A glyph per event by type, risk levels coloured, the homicide marked; filter by
    person and period."""
    from dhrkg.model.dates import PartialDate, PartialDateError
    from dhrkg.visualisation import TimelineOptions, timeline_svg

    for name, value in (("--from", date_from), ("--to", date_to)):
        if value is not None:
            try:
                PartialDate.parse(value)
            except PartialDateError as exc:
                _fail(f"{name}: {exc}", 1)
    _check_output(output, fmt, zoom, force)
    case = _load(source, backend, data_dir)
    svg = _draw(timeline_svg, case, TimelineOptions(persons=list(person), date_from=date_from, date_to=date_to,
                                                    publication=publication, labels=labels, page=page.value))
    _write(svg, output, fmt, zoom)


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel=PANEL)(genogram)
    app.command(rich_help_panel=PANEL)(network)
    app.command(rich_help_panel=PANEL)(timeline)
