"""dhrkg.visualisation: genograms, contact networks and chronology timelines.

Every drawing is a function from a :class:`~dhrkg.model.model.CaseFile`
to an SVG document (a string); identical input gives byte-identical SVG::

    from dhrkg.visualisation import genogram_svg, GenogramOptions, write_drawing, load_review
    case = load_review("examples/001_24bc3f827734f2c4.yaml")   # or a review id in the graph store
    svg = genogram_svg(case, GenogramOptions(person="Victim", up=2, down=1, publication=True))
    write_drawing(svg, Path("genogram.pdf"))                    # .svg, .pdf (A4 landscape) or .png

See docs/genograms.md for the conventions and options.
"""

if __name__ != "dhrkg.visualisation":  # pragma: no cover - import guard
    raise ImportError(
        "this folder is the dhrkg.visualisation package; import it as 'dhrkg.visualisation', not 'visualisation'"
    )

from .convert import ConversionFailed, ConverterMissing, a4_landscape, svg_to_pdf, svg_to_png, write_drawing
from .dot import GraphvizFailed, GraphvizMissing
from .family import FamilyError
from .genogram import GenogramOptions, genogram_svg
from .network import NetworkOptions, contact_network, network_svg
from .source import ReviewNotFound, case_from_store, load_review
from .timeline import TimelineError, TimelineOptions, timeline_svg

__all__ = [
    "ConversionFailed", "ConverterMissing", "FamilyError", "GenogramOptions", "GraphvizFailed",
    "GraphvizMissing", "NetworkOptions", "ReviewNotFound", "TimelineError", "TimelineOptions",
    "a4_landscape", "case_from_store", "contact_network", "genogram_svg", "load_review", "network_svg",
    "svg_to_pdf", "svg_to_png", "timeline_svg", "write_drawing",
]
