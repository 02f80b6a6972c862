"""SVG to PDF and PNG with ``rsvg-convert`` (Debian ``librsvg2-bin``).

The PDF page is the one the drawing was laid out for (its ``data-page``: A4 or A3 in
the orientation that prints it larger, or ``fit``; A4 when it does not say), with the
drawing scaled to fit inside 10 mm margins.
Output is written to a temporary file next to the target and moved into place
when complete. The PDF carries no creation date (cairo's is removed), so the same
drawing gives the same bytes.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Optional

from dhrkg.formats import DRAWING_FORMATS
from dhrkg.outputs import replace_durably

from .page import PT_PER_PX_FIT, page_for
from .paging import pages
from .programs import find_program
from .svg import num

FORMATS = tuple(DRAWING_FORMATS)


class ConverterMissing(RuntimeError):
    """``rsvg-convert`` is not installed."""


class ConversionFailed(RuntimeError):
    """``rsvg-convert`` failed."""


def output_format(path: Path, fmt: Optional[str] = None) -> str:
    """``svg``, ``pdf`` or ``png``: given, else from the file name."""
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise ValueError(f"cannot tell the output format of '{path}': use .svg, .pdf or .png (or --format)")
    return chosen


def _rsvg() -> str:
    return find_program("rsvg-convert", ConverterMissing, "rsvg-convert", "librsvg2-bin fonts-dejavu-core",
                        "; write .svg instead")


def _size(svg: str) -> tuple[float, float]:
    """The drawing's width and height in its own units (px, or pt for drawings made at print size)."""
    head = svg[: svg.index(">", svg.index("<svg"))]
    w = re.search(r'\swidth="([0-9.]+)(?:px|pt)?"', head)
    h = re.search(r'\sheight="([0-9.]+)(?:px|pt)?"', head)
    if not w or not h:
        raise ValueError("SVG without a width and height in px or pt")
    return float(w.group(1)), float(h.group(1))


def _in_points(svg: str) -> bool:
    head = svg[: svg.index(">", svg.index("<svg"))]
    return re.search(r'\swidth="[0-9.]+pt"', head) is not None


def _page_name(svg: str) -> str:
    """The page the drawing was laid out for (its data-page), A4 when it does not say."""
    head = svg[: svg.index(">", svg.index("<svg"))]
    m = re.search(r'\sdata-page="([a-z0-9]+)"', head)
    return m.group(1) if m else "a4"


def on_page(svg: str) -> str:
    """The same drawing on its page (``page.page_for``), scaled to fit inside 10 mm margins and centred."""
    w, h = _size(svg)
    page = page_for(_page_name(svg), w, h, 1.0 if _in_points(svg) else PT_PER_PX_FIT)
    view_w, view_h = page.width_mm / page.scale, page.height_mm / page.scale
    x0, y0 = -(view_w - w) / 2, -(view_h - h) / 2
    head_end = svg.index(">", svg.index("<svg"))
    head = svg[:head_end]
    head = re.sub(r'\swidth="[0-9.]+(?:px|pt)?"', f' width="{num(page.width_mm)}mm"', head, count=1)
    head = re.sub(r'\sheight="[0-9.]+(?:px|pt)?"', f' height="{num(page.height_mm)}mm"', head, count=1)
    head = re.sub(r'\sviewBox="[^"]*"', f' viewBox="{num(x0)} {num(y0)} {num(view_w)} {num(view_h)}"', head, count=1)
    return head + svg[head_end:]


def a4_landscape(svg: str) -> str:
    """Kept for callers of the first version: the drawing on its page (see ``on_page``)."""
    return on_page(svg)


def _run(args: list[str], svg: str) -> bytes:
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = "0"
    proc = subprocess.run(args, input=svg.encode("utf-8"), capture_output=True, env=env, timeout=300)
    if proc.returncode != 0:
        raise ConversionFailed(f"rsvg-convert failed: {proc.stderr.decode('utf-8', 'replace').strip()}")
    return proc.stdout


def svg_to_pdf(svg: str) -> bytes:
    """A PDF of the drawing on its page (``on_page``), with no creation date: one page, or for a
    drawing at print size taller than its page, one page per band (``paging.pages``)."""
    sheets = pages(svg)
    if len(sheets) == 1:
        data = _run([_rsvg(), "-f", "pdf"], on_page(svg))
    else:
        data = _run_files([_rsvg(), "-f", "pdf"], [on_page(sheet) for sheet in sheets])
    # blank out cairo's creation date (same length, so the cross-reference offsets hold)
    return re.sub(rb"/(?:CreationDate|ModDate) \((?:D:)?[0-9Z+\-']*\)", lambda m: b" " * len(m.group(0)), data)


def _run_files(args: list[str], svgs: list[str]) -> bytes:
    """``rsvg-convert`` on several SVGs at once (one page each), from a private temporary folder."""
    from dhrkg.scratch import scratch_folder

    with scratch_folder("drawing") as folder:
        names = []
        for n, svg in enumerate(svgs):
            name = folder / f"page-{n + 1:03d}.svg"
            name.write_text(svg, encoding="utf-8")
            names.append(str(name))
        env = dict(os.environ)
        env["SOURCE_DATE_EPOCH"] = "0"
        proc = subprocess.run(args + names, capture_output=True, env=env, timeout=300)
    if proc.returncode != 0:
        raise ConversionFailed(f"rsvg-convert failed: {proc.stderr.decode('utf-8', 'replace').strip()}")
    return proc.stdout


PRINT_DPI = 300


def svg_to_png(svg: str, zoom: float = 2.0) -> bytes:
    """PNG: a drawing in px at ``zoom`` pixels per px; a drawing at print size (in pt) at 300 dpi,
    with its resolution recorded in the file (so it pastes at its print size)."""
    if _in_points(svg):
        data = _run([_rsvg(), "-f", "png", "-d", str(PRINT_DPI), "-p", str(PRINT_DPI), "-b", "white"], svg)
        return _with_dpi(data, PRINT_DPI)
    return _run([_rsvg(), "-f", "png", "-z", f"{zoom:g}", "-b", "white"], svg)


def _with_dpi(png: bytes, dpi: int) -> bytes:
    """The PNG with a pHYs chunk (pixels per metre) after its header."""
    import struct
    import zlib

    ppm = round(dpi / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", ppm, ppm, 1)
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    end_of_ihdr = 8 + 8 + 13 + 4
    return png[:end_of_ihdr] + chunk + png[end_of_ihdr:]


def write_drawing(svg: str, path: Path, fmt: Optional[str] = None, zoom: float = 2.0) -> str:
    """Write ``svg`` to ``path`` as SVG, PDF or PNG; returns the format written."""
    chosen = output_format(path, fmt)
    if chosen == "svg":
        data = svg.encode("utf-8")
    elif chosen == "pdf":
        data = svg_to_pdf(svg)
    else:
        data = svg_to_png(svg, zoom)
    replace_durably(path, data, mode=None)  # permissions from the umask
    return chosen
