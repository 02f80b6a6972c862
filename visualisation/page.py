"""The page a drawing is printed on: A4 or A3 (landscape or portrait, whichever prints the
drawing larger), or ``fit`` (a page the size of the drawing, 1 px = 0.75 pt, as a browser
prints SVG at 96 dpi). One owner for paper sizes, margins and the print scale, so the layout,
the PDF and the tests agree on what "the size it will be printed" means.
"""

from __future__ import annotations

from dataclasses import dataclass

PAGES = ("a4", "a3", "fit")
PAPER_MM = {"a4": (297.0, 210.0), "a3": (420.0, 297.0)}  # landscape
MARGIN_MM = 10.0
PT_PER_MM = 72.0 / 25.4
PT_PER_PX_FIT = 0.75
MIN_FONT_PT = 8.0  # smallest text a chair can paste unchanged (issue 16)
ASPECT_BOUNDS = (0.5, 2.0)  # width / height of a drawing laid out for a page (A-series: 1.41 or 0.71)


class PageError(ValueError):
    """An unknown page name."""


@dataclass(frozen=True)
class Page:
    name: str  # a4 | a3 | fit
    width_mm: float
    height_mm: float
    scale: float  # mm per drawing px, the drawing scaled to fit inside the margins

    @property
    def pt_per_px(self) -> float:
        return self.scale * PT_PER_MM


def check_page(name: str) -> str:
    chosen = (name or "a4").lower()
    if chosen not in PAGES:
        raise PageError(f"unknown page '{name}': use one of {', '.join(PAGES)}")
    return chosen


def page_for(name: str, width: float, height: float, pt_per_unit: float = PT_PER_PX_FIT) -> Page:
    """The page for a drawing of ``width`` x ``height`` units (px: 0.75 pt each; a drawing made at
    print size is in pt): the orientation that prints it larger. ``fit``: a page the drawing's
    size. A drawing in pt is never enlarged beyond its print size."""
    chosen = check_page(name)
    natural = pt_per_unit / PT_PER_MM  # mm per unit at the drawing's own size
    if chosen == "fit":
        return Page("fit", width * natural + 2 * MARGIN_MM, height * natural + 2 * MARGIN_MM, natural)
    long_side, short_side = PAPER_MM[chosen]
    best = None
    for w_mm, h_mm in ((long_side, short_side), (short_side, long_side)):
        scale = min((w_mm - 2 * MARGIN_MM) / width, (h_mm - 2 * MARGIN_MM) / height)
        if best is None or scale > best.scale + 1e-12:
            best = Page(chosen, w_mm, h_mm, scale)
    if pt_per_unit == 1.0 and best.scale > natural:
        best = Page(best.name, best.width_mm, best.height_mm, natural)
    return best


def width_fill_pt_per_px(name: str, width: float, height: float) -> float:
    """Points per px when the drawing is pasted at the page's width: the long side for a drawing
    wider than tall, the short side (portrait) otherwise (``fit``: its own size, 0.75 pt per px)."""
    chosen = check_page(name)
    if chosen == "fit":
        return PT_PER_PX_FIT
    long_side, short_side = PAPER_MM[chosen]
    side = long_side if width >= height else short_side
    return (side - 2 * MARGIN_MM) * PT_PER_MM / width
