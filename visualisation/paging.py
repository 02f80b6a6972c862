"""A drawing at print size (in points) that is taller than its page, as several pages.

A paged drawing marks three parts with comments, ``<!--part:head-->...<!--/part:head-->`` (drawn
on every page: the title, the axis), ``<!--part:body-->`` (cut into bands) and
``<!--part:foot-->`` (the key, on the last page), and names its bands on the root element:
``data-bands="top bottom;top bottom..."`` (in its own units, cut between rows so nothing is
split) and ``data-head="height"`` (where the body starts). Each page shows the head, one band
of the body moved up under it, and, on the last page, the foot. Nothing is scaled: the text
prints at its stated size.
"""

from __future__ import annotations

import re

from .svg import num


def bands_of(svg: str) -> list[tuple[float, float]]:
    head = svg[: svg.index(">", svg.index("<svg"))]
    m = re.search(r'\sdata-bands="([^"]*)"', head)
    if not m or not m.group(1):
        return []
    return [tuple(float(v) for v in band.split()) for band in m.group(1).split(";")]


def _part(svg: str, name: str) -> str:
    start = svg.index(f"<!--part:{name}-->")
    end = svg.index(f"<!--/part:{name}-->")
    return svg[start:end]


def pages(svg: str) -> list[str]:
    """The drawing as one SVG per page (itself when it has no bands)."""
    bands = bands_of(svg)
    if len(bands) < 2:
        return [svg]
    head_end = svg.index(">", svg.index("<svg"))
    root = svg[:head_end]
    width = float(re.search(r'\swidth="([0-9.]+)pt"', root).group(1))
    height = float(re.search(r'\sheight="([0-9.]+)pt"', root).group(1))
    body_top = float(re.search(r'\sdata-head="([0-9.]+)"', root).group(1))
    body_bottom = bands[-1][1]
    foot_h = height - body_bottom
    head, body, foot = _part(svg, "head"), _part(svg, "body"), _part(svg, "foot")
    out = []
    for n, (top, bottom) in enumerate(bands):
        last = n == len(bands) - 1
        page_h = body_top + (bottom - top) + (foot_h if last else 12.0)
        shift = body_top - top
        page_root = re.sub(r'\sheight="[0-9.]+pt"', f' height="{num(page_h)}pt"', root, count=1)
        page_root = re.sub(r'\sviewBox="[^"]*"', f' viewBox="0 0 {num(width)} {num(page_h)}"', page_root, count=1)
        page_root = re.sub(r'\sdata-bands="[^"]*"', "", page_root, count=1)
        parts = [
            page_root + ">",
            f'<defs><clipPath id="page-head"><rect x="0" y="0" width="{num(width)}" height="{num(body_top)}"/></clipPath>'
            f'<clipPath id="page-band"><rect x="0" y="{num(top)}" width="{num(width)}" height="{num(bottom - top)}"/>'
            f"</clipPath></defs>",
            f'<rect x="0" y="0" width="{num(width)}" height="{num(page_h)}" fill="#fff"/>',
            f'<g clip-path="url(#page-head)">{head}{body}</g>',
            f'<g transform="translate(0 {num(shift)})"><g clip-path="url(#page-band)">{body}</g></g>',
            f'<text x="{num(width - 24)}" y="{num(page_h - 4)}" font-size="8" text-anchor="end" fill="#616161">'
            f"page {n + 1} of {len(bands)}</text>",
        ]
        if last:
            parts.append(f'<g transform="translate(0 {num(bottom - body_bottom + shift)})">{foot}</g>')
        parts.append("</svg>\n")
        out.append("\n".join(parts))
    return out
