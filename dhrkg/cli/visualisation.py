"""Drawing commands: genogram, contact network, chronology timeline (SVG, PDF or PNG)."""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

import typer

from dhrkg.renderers import DrawingFormat as OutFormat, Households, Page  # shared with the HTTP API

from ._common import BackendOption, DataDirOption, case_file_errors, exit_with, failing
from ._style import FORCE_HELP

PANEL = "Drawings"


SOURCE_HELP = ("A case file (.yaml, .yml, .json), or the id of a review in the graph store.")
OUTPUT_HELP = ("File to write: .svg, .pdf (A4 landscape) or .png. Written to a temporary file first "
               "and moved into place only when complete.")



@dataclass(frozen=True)
class Drawing:
    """What every drawing command is told besides what to draw: where the review is
    (``--backend``, ``--data-dir``) and how the file is written (``--format``, ``--zoom``,
    ``--force``)."""

    fmt: Optional[OutFormat]
    zoom: float
    force: bool
    backend: Optional[str]
    data_dir: Optional[Path]


_format = typer.Option(None, "--format", "-f", help="svg, pdf or png. Default: from the output file name.", show_default=False)
_zoom = typer.Option(2.0, "--zoom", help="PNG only: pixels per SVG unit.")
_force = typer.Option(False, "--force", help=FORCE_HELP)
#: the options of :class:`Drawing`, in its order: (name, type, option)
_DRAWING_OPTIONS = (("fmt", Optional[OutFormat], _format), ("zoom", float, _zoom), ("force", bool, _force),
                    ("backend", Optional[str], BackendOption), ("data_dir", Optional[Path], DataDirOption))
_publication = typer.Option(False, "--publication", help="For the published report: only pseudonyms/labels; no dates of birth or death, no relationship dates, no aliases or case-file ids.")
_hide_children = typer.Option(False, "--hide-children", help="Do not show children's ages or sex (as the Home Office quality assurance panel asks).")


def drawing_command(fn):
    """``fn(..., drawing: Drawing)`` as a command whose last options are those of
    :class:`Drawing` (declared once here for every drawing)."""
    own = [p for name, p in inspect.signature(fn, eval_str=True).parameters.items() if name != "drawing"]
    shared = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=option, annotation=kind)
              for name, kind, option in _DRAWING_OPTIONS]

    @functools.wraps(fn)
    def command(**kwargs):
        drawing = Drawing(**{name: kwargs.pop(name) for name, _, _ in _DRAWING_OPTIONS})
        return fn(**kwargs, drawing=drawing)

    command.__signature__ = inspect.Signature([*own, *shared])
    command.__annotations__ = {p.name: p.annotation for p in (*own, *shared)}
    return command


def _check_output(output: Path, drawing: Drawing) -> None:
    """Before any work: the output may be written, its format is clear, the zoom is usable."""
    from dhrkg.outputs import OutputRefused, check_format, check_output

    fmt = drawing.fmt.value if drawing.fmt else None
    with failing(OutputRefused, plain=True):
        check_output(output, drawing.force)
        check_format(output, fmt, [f.value for f in OutFormat])
    if not drawing.zoom > 0:
        exit_with(f"--zoom {drawing.zoom:g}: must be more than 0 (pixels per SVG unit)", 1)


def _check_dates(options: dict[str, Optional[str]]) -> None:
    """Each date option given (``--reference-date``, ``--from`` ...) is a (partial) date."""
    from dhrkg.model.dates import PartialDate, PartialDateError

    for name, value in options.items():
        if value is not None:
            with failing(PartialDateError, plain=True, context=name):
                PartialDate.parse(value)


def _load(source: str, drawing: Drawing):
    from dhrkg.visualisation.source import ReviewNotFound, load_review

    with case_file_errors(), failing(ReviewNotFound, plain=True):
        return load_review(source, backend=drawing.backend, data_dir=drawing.data_dir)


def _draw(output: Path, drawing: Drawing, fn, *args) -> None:
    """Draw (``fn(*args)`` gives the SVG) and write the file; a drawing or conversion error
    ends the command."""
    from dhrkg.visualisation import FamilyError, GraphvizFailed, GraphvizMissing, TimelineError
    from dhrkg.visualisation.convert import ConversionFailed, ConverterMissing, write_drawing

    with failing(FamilyError, TimelineError, GraphvizMissing, GraphvizFailed, plain=True):
        svg = fn(*args)
    with failing(ValueError, ConverterMissing, ConversionFailed, OSError, plain=True, context=str(output)):
        written = write_drawing(svg, output, drawing.fmt.value if drawing.fmt else None, drawing.zoom)
    typer.echo(f"wrote {output} ({written})")


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
    *,
    drawing: Drawing,
) -> None:
    """Draw a review's genogram (McGoldrick/GenoPro conventions).

    Squares, circles and diamonds for male, female and unknown; an X for the dead; a
    double outline for the victim; the perpetrator labelled; couple lines by kind and
    status; children in birth order; zig-zag abuse lines with the arrowhead at the
    person abused; dashed outlines around households. Identical input gives an
    identical SVG.
    """
    from dhrkg.visualisation import GenogramOptions, genogram_svg
    from dhrkg.visualisation.genogram import page_warning

    _check_dates({"--reference-date": reference_date})
    _check_output(output, drawing)
    case = _load(source, drawing)
    opts = GenogramOptions(person=person, up=up, down=down, perpetrator_partners=perpetrator_partners,
                           publication=publication, hide_children=hide_children,
                           reference_date=reference_date, households=households.value, page=page.value)
    _draw(output, drawing, _warn_if_small(genogram_svg, page_warning), case, opts)


def _warn_if_small(draw, warning):
    """``draw``, then ``warning(svg, options)`` (a too-small page) printed to stderr."""
    def drawn(case, opts):
        svg = draw(case, opts)
        said = warning(svg, opts)
        if said:
            typer.echo(said, err=True)
        return svg
    return drawn


def network(
    source: str = typer.Argument(..., help=SOURCE_HELP, show_default=False),
    output: Path = typer.Option(..., "--output", "-o", help=OUTPUT_HELP, show_default=False),
    all_agencies: bool = typer.Option(False, "--all-agencies", help="Also draw agencies with no recorded contact with anyone."),
    flows: bool = typer.Option(True, "--flows/--no-flows", help="Draw information shared and referrals between agencies."),
    publication: bool = _publication,
    hide_children: bool = _hide_children,
    *,
    drawing: Drawing,
) -> None:
    """Draw the contact network ("who knew what"): people and the agencies in contact.

    Line width by number of contacts, agencies coloured by type and grouped by police
    force area, agencies that saw both victim and perpetrator highlighted."""
    from dhrkg.visualisation import NetworkOptions, network_svg

    _check_output(output, drawing)
    case = _load(source, drawing)
    _draw(output, drawing, network_svg, case, NetworkOptions(publication=publication, hide_children=hide_children,
                                                             all_agencies=all_agencies, information_flows=flows))


def timeline(
    source: str = typer.Argument(..., help=SOURCE_HELP, show_default=False),
    output: Path = typer.Option(..., "--output", "-o", help=OUTPUT_HELP, show_default=False),
    person: List[str] = typer.Option([], "--person", help="Only events involving this person (case-file id); repeatable.", show_default=False),
    date_from: Optional[str] = typer.Option(None, "--from", help="Only events from this date (YYYY, YYYY-MM or YYYY-MM-DD).", show_default=False),
    date_to: Optional[str] = typer.Option(None, "--to", help="Only events up to this date.", show_default=False),
    publication: bool = typer.Option(False, "--publication", help="No event ids, summaries or exact dates in the file; life events (births, moves) left out."),
    labels: bool = typer.Option(False, "--labels", help="Label incidents, risk assessments, MARAC/MAPPA and referrals."),
    page: Page = typer.Option(Page.a3, "--page", help="Draw at print size for this page, landscape: a3, a4, or fit (a wider plot)."),
    *,
    drawing: Drawing,
) -> None:
    """Draw the chronology as a timeline, one lane per agency.

    A glyph per event by type, risk levels coloured, the homicide marked; filter by
    person and period."""
    from dhrkg.visualisation import TimelineOptions, timeline_svg

    _check_dates({"--from": date_from, "--to": date_to})
    _check_output(output, drawing)
    case = _load(source, drawing)
    _draw(output, drawing, timeline_svg, case, TimelineOptions(persons=list(person), date_from=date_from, date_to=date_to,
                                                               publication=publication, labels=labels, page=page.value))


def register(app: typer.Typer) -> None:
    for draw in (genogram, network, timeline):
        app.command(rich_help_panel=PANEL)(drawing_command(draw))
