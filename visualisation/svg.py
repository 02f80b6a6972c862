"""A small deterministic SVG writer: fixed number formatting, escaped text, stable attribute order."""

from __future__ import annotations

from typing import Iterable, Optional
from xml.sax.saxutils import escape, quoteattr

from .fontmetrics import FONT_FAMILY

SVG_NS = "http://www.w3.org/2000/svg"


def num(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros ("-0" becomes "0")."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def attrs(items: dict) -> str:
    parts = []
    for key, value in items.items():
        if value is None:
            continue
        if value is True or value is False:
            value = "true" if value else "false"
        if isinstance(value, float):
            value = num(value)
        parts.append(f" {key}={quoteattr(str(value))}")
    return "".join(parts)


def path_d(points: Iterable[tuple[float, float]]) -> str:
    pts = list(points)
    if not pts:
        return ""
    out = [f"M{num(pts[0][0])} {num(pts[0][1])}"]
    out.extend(f"L{num(x)} {num(y)}" for x, y in pts[1:])
    return " ".join(out)


class SvgWriter:
    """Collects SVG elements as text; ``open``/``close`` for groups, ``el`` for leaves."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.depth = 0

    def open(self, tag: str, **items) -> None:
        self.parts.append("  " * self.depth + f"<{tag}{attrs(_names(items))}>")
        self.depth += 1

    def close(self, tag: str) -> None:
        self.depth -= 1
        self.parts.append("  " * self.depth + f"</{tag}>")

    def el(self, tag: str, text: Optional[str] = None, **items) -> None:
        a = attrs(_names(items))
        if text is None:
            self.parts.append("  " * self.depth + f"<{tag}{a}/>")
        else:
            self.parts.append("  " * self.depth + f"<{tag}{a}>{escape(text)}</{tag}>")

    def text(self, x: float, y: float, content: str, size: float, anchor: str = "middle",
             bold: bool = False, italic: bool = False, fill: str = "#000", **items) -> None:
        self.el(
            "text", content, x=x, y=y, font_size=num(size), text_anchor=anchor,
            font_weight="bold" if bold else None, font_style="italic" if italic else None,
            fill=fill, **items,
        )

    def document(self, width: float, height: float, title: str, **items) -> str:
        head = (
            f'<svg xmlns="{SVG_NS}" version="1.1" width="{num(width)}" height="{num(height)}" '
            f'viewBox="0 0 {num(width)} {num(height)}" font-family="{FONT_FAMILY}"{attrs(_names(items))}>'
        )
        body = "\n".join("  " + p for p in self.parts)
        return f"{head}\n  <title>{escape(title)}</title>\n{body}\n</svg>\n"


def _names(items: dict) -> dict:
    """Python keyword names to SVG attribute names: font_size -> font-size, data_x -> data-x."""
    return {key.rstrip("_").replace("_", "-"): value for key, value in items.items()}
