"""Output formats, registered once and used by the CLI and the HTTP API alike.

Query results (columns and rows from the graph) render as ``json``, ``csv`` or ``ndjson``;
drawings (an SVG string) as ``svg``, ``pdf`` (A4 landscape) or ``png``. Each renderer is a
record: its media type, file extension and the function that makes the bytes. Query results
are rendered by the same code as ``dhrkg run --format`` (:func:`dhrkg.cli.queries.render`),
in chunks of rows so that a large result streams.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable, Iterable, Iterator

CHUNK_ROWS = 500


class DrawingFormat(str, Enum):
    """The formats a drawing is written in (CLI ``--format``, API ``.svg``/``.pdf``/``.png``)."""

    svg = "svg"
    pdf = "pdf"
    png = "png"


class Page(str, Enum):
    """The page a drawing is laid out for."""

    a4 = "a4"
    a3 = "a3"
    fit = "fit"


class Households(str, Enum):
    """Which household outlines a genogram draws."""

    current = "current"
    all = "all"
    none = "none"


@dataclass(frozen=True)
class ResultRenderer:
    name: str
    media_type: str
    extension: str
    render: Callable[[list[str], list[list[Any]]], Iterator[str]]


@dataclass(frozen=True)
class DrawingRenderer:
    name: str
    media_type: str
    extension: str
    render: Callable[[str], bytes]


def plain_records(columns: list[str], rows: Iterable[list[Any]]) -> list[dict[str, Any]]:
    """Rows as JSON-ready records (dates as ISO text), as ``dhrkg run --format json`` prints them."""
    from dhrkg.cli.queries import _plain

    return [dict(zip(columns, _plain(list(r)))) for r in rows]


def _csv(columns: list[str], rows: list[list[Any]]) -> Iterator[str]:
    from dhrkg.cli.queries import Format, render

    for start in range(0, max(len(rows), 1), CHUNK_ROWS):
        out = io.StringIO()
        render(columns, rows[start:start + CHUNK_ROWS], Format.csv, out)
        text = out.getvalue()
        yield text if start == 0 else text.split("\n", 1)[1]


def _json(columns: list[str], rows: list[list[Any]]) -> Iterator[str]:
    yield "["
    for start in range(0, len(rows), CHUNK_ROWS):
        records = plain_records(columns, rows[start:start + CHUNK_ROWS])
        text = ",\n".join(json.dumps(r, ensure_ascii=False, default=str) for r in records)
        yield ("," if start else "") + "\n" + text
    yield "\n]\n"


def _ndjson(columns: list[str], rows: list[list[Any]]) -> Iterator[str]:
    for start in range(0, len(rows), CHUNK_ROWS):
        records = plain_records(columns, rows[start:start + CHUNK_ROWS])
        yield "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in records)


def _svg(svg: str) -> bytes:
    return svg.encode("utf-8")


def _pdf(svg: str) -> bytes:
    from dhrkg.visualisation import svg_to_pdf

    return svg_to_pdf(svg)


def _png(svg: str) -> bytes:
    from dhrkg.visualisation import svg_to_png

    return svg_to_png(svg)


RESULT_FORMATS: dict[str, ResultRenderer] = {r.name: r for r in (
    ResultRenderer("json", "application/json", "json", _json),
    ResultRenderer("csv", "text/csv; charset=utf-8", "csv", _csv),
    ResultRenderer("ndjson", "application/x-ndjson", "ndjson", _ndjson),
)}

DRAWING_FORMATS: dict[str, DrawingRenderer] = {r.name: r for r in (
    DrawingRenderer("svg", "image/svg+xml", "svg", _svg),
    DrawingRenderer("pdf", "application/pdf", "pdf", _pdf),
    DrawingRenderer("png", "image/png", "png", _png),
)}
