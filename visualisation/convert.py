"""SVG to PDF (A4 landscape) and PNG with ``rsvg-convert`` (Debian ``librsvg2-bin``).

The PDF page is A4 landscape with the drawing scaled to fit inside 10 mm margins.
Output is written to a temporary file next to the target and moved into place
when complete. The PDF carries no creation date (cairo's is removed), so the same
drawing gives the same bytes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import secrets
from pathlib import Path
from typing import Optional

from .svg import num

FORMATS = ("svg", "pdf", "png")
A4_W_MM, A4_H_MM, MARGIN_MM = 297.0, 210.0, 10.0


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
    found = shutil.which("rsvg-convert")
    if found is None:
        raise ConverterMissing(
            "rsvg-convert is not installed (Debian/Ubuntu: apt-get install librsvg2-bin fonts-dejavu-core; "
            "scripts/setup.sh installs it); write .svg instead"
        )
    return found


def _size(svg: str) -> tuple[float, float]:
    head = svg[: svg.index(">", svg.index("<svg"))]
    w = re.search(r'\swidth="([0-9.]+)"', head)
    h = re.search(r'\sheight="([0-9.]+)"', head)
    if not w or not h:
        raise ValueError("SVG without a width and height in px")
    return float(w.group(1)), float(h.group(1))


def a4_landscape(svg: str) -> str:
    """The same drawing on an A4 landscape page (scaled to fit inside the margins, centred)."""
    w, h = _size(svg)
    inner_w, inner_h = A4_W_MM - 2 * MARGIN_MM, A4_H_MM - 2 * MARGIN_MM
    scale = min(inner_w / w, inner_h / h)  # mm per px
    view_w, view_h = A4_W_MM / scale, A4_H_MM / scale
    x0, y0 = -(view_w - w) / 2, -(view_h - h) / 2
    head_end = svg.index(">", svg.index("<svg"))
    head = svg[:head_end]
    head = re.sub(r'\swidth="[0-9.]+"', f' width="{num(A4_W_MM)}mm"', head, count=1)
    head = re.sub(r'\sheight="[0-9.]+"', f' height="{num(A4_H_MM)}mm"', head, count=1)
    head = re.sub(r'\sviewBox="[^"]*"', f' viewBox="{num(x0)} {num(y0)} {num(view_w)} {num(view_h)}"', head, count=1)
    return head + svg[head_end:]


def _run(args: list[str], svg: str) -> bytes:
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = "0"
    proc = subprocess.run(args, input=svg.encode("utf-8"), capture_output=True, env=env, timeout=300)
    if proc.returncode != 0:
        raise ConversionFailed(f"rsvg-convert failed: {proc.stderr.decode('utf-8', 'replace').strip()}")
    return proc.stdout


def svg_to_pdf(svg: str) -> bytes:
    """A one-page A4 landscape PDF of the drawing, with no creation date."""
    data = _run([_rsvg(), "-f", "pdf"], a4_landscape(svg))
    # blank out cairo's creation date (same length, so the cross-reference offsets hold)
    return re.sub(rb"/(?:CreationDate|ModDate) \((?:D:)?[0-9Z+\-']*\)", lambda m: b" " * len(m.group(0)), data)


def svg_to_png(svg: str, zoom: float = 2.0) -> bytes:
    return _run([_rsvg(), "-f", "png", "-z", f"{zoom:g}", "-b", "white"], svg)


def write_drawing(svg: str, path: Path, fmt: Optional[str] = None, zoom: float = 2.0) -> str:
    """Write ``svg`` to ``path`` as SVG, PDF or PNG; returns the format written."""
    chosen = output_format(path, fmt)
    if chosen == "svg":
        data = svg.encode("utf-8")
    elif chosen == "pdf":
        data = svg_to_pdf(svg)
    else:
        data = svg_to_png(svg, zoom)
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    tmp = directory / f".{path.name}.{secrets.token_hex(6)}.part"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # permissions from the umask
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return chosen
