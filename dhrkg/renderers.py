"""Output formats with the code that writes them, registered once and used by the command
line and the HTTP API alike.

Each format (:mod:`dhrkg.formats`: name, media type, extension) is paired here with the
function that makes its bytes. Query results: ``table``, ``records``, ``csv`` and ``json``
written whole by ``dhrkg run/cypher --format`` (:func:`render`), and ``json``, ``csv`` and
``ndjson`` streamed by the API in chunks of rows, so that a large result streams. Drawings
(an SVG string): ``svg``, ``pdf`` (A4 landscape) or ``png``. RDF: the syntaxes of
:data:`dhrkg.formats.RDF_FORMATS`, written by :mod:`dhrkg.ontology`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable, Iterable, Iterator, Optional, TextIO

from dhrkg.formats import DRAWING_FORMATS as _DRAWINGS, RDF_FORMATS, RESULT_FORMATS as _RESULTS
from dhrkg.formats import DrawingFormat, FileFormat, RDFFormat, RDFSyntax, choices
from dhrkg.terminal import between_words, file_width

CHUNK_ROWS = 500


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


# --------------------------------------------------------------------------- query results


def _plain(value: Any) -> Any:
    """A JSON-ready copy of a result value."""
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return value
    return value


def cell_text(value: Any, column: Optional[str] = None) -> str:
    """A short text form of a value for the table view. Paragraph refs are marked ¶ alike in a
    ``source`` column and inside evidence items; a number inside an item is named by its key."""
    if value is None:
        return ""
    if column == "source" and isinstance(value, (str, list, tuple)):
        refs = [value] if isinstance(value, str) else [str(v) for v in value if v not in (None, "")]
        return "; ".join(f"¶{r}" for r in refs if r)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        if "nodes" in value and "relationships" in value:  # a path
            names = [_node_label(n) for n in value["nodes"]]
            rels = [r.get("type", "?") for r in value["relationships"]]
            out = names[0] if names else ""
            for r, n in zip(rels, names[1:]):
                out += f" -[{r}]- {n}"
            return out
        if "labels" in value and "properties" in value:  # a node
            return _node_label(value)
        if "type" in value and "properties" in value and len(value) == 2:  # a relationship
            return value["type"]
        if "id" in value:  # an event or household as evidence: "id date type (agency, area) ¶refs"
            rest = [f"{k.replace('_', ' ')}: {cell_text(v)}" if _is_number(v) else cell_text(v)
                    for k, v in value.items() if k not in ("id", "source") and v not in (None, [], "")]
            text = str(value["id"]) + (" " + ", ".join(rest) if rest else "")
            return text + (f" ¶{value['source']}" if value.get("source") else "")
        return ", ".join(f"{k}: {cell_text(v)}" for k, v in value.items() if v not in (None, [], ""))
    if isinstance(value, (list, tuple)):
        parts = [cell_text(v) for v in value]
        sep = "\n" if any(isinstance(v, dict) for v in value) else "; "
        return sep.join(p for p in parts if p != "")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _node_label(node: dict) -> str:
    props = node.get("properties", {})
    return str(props.get("key") or props.get("name") or props.get("id") or "/".join(node.get("labels", [])))


def _natural_width(columns: list[str], cells: list[list[str]]) -> int:
    """The width of a table whose every column is as wide as its longest line and its name."""
    widths = [max([len(c)] + [len(ln) for row in cells for ln in row[i].split("\n")]) for i, c in enumerate(columns)]
    return sum(w + 2 for w in widths) + len(widths) + 1  # padding, separators and edges


def _fits(columns: list[str], cells: list[list[str]], width: int) -> bool:
    """Whether a table of these cells is readable in ``width`` characters: each column
    needs its longest line (at least 12 characters of its header), a long text column
    60 characters, so that evidence lists are not folded into slivers."""
    need = 0
    for i, c in enumerate(columns):
        longest = max((len(ln) for row in cells for ln in row[i].split("\n")), default=0)
        need += min(max(longest, min(len(c), 12)), 60) + 2
    return need <= width


def _render_records(columns: list[str], cells: list[list[str]], console) -> None:
    """One block per row, a line per column (psql's expanded display): readable however
    many columns and however long the evidence lists (:func:`_value_lines`)."""
    from rich.markup import escape

    name_width = max((len(c) for c in columns), default=0)
    indent = " " * (name_width + 3)
    room = max(console.width - len(indent), 20)
    for n, row in enumerate(cells, 1):
        console.print(f"[bold]-- row {n} --[/bold]")
        for c, text in zip(columns, row):
            lines = _value_lines(text, room, console.is_terminal)
            first = f" {escape(lines[0])}" if lines[0] else ""  # no space at the end of an empty value's line
            console.print(f"{escape(c.ljust(name_width))} :{first}", soft_wrap=True)
            for ln in lines[1:]:
                console.print(indent + escape(ln), soft_wrap=True)
    console.print(f"{len(cells)} row{'s' if len(cells) != 1 else ''}", style="dim")


def _value_lines(text: str, room: int, on_terminal: bool) -> list[str]:
    """The lines a value is shown on: one per line of the value (an evidence item each, whole,
    so that grep finds it in a file or a pipe); on a terminal, a line longer than ``room`` goes
    on under itself two columns deeper, broken between words (a longer word is kept whole)."""
    lines = text.split("\n") if text else [""]
    if not on_terminal:
        return lines
    wrapper = between_words(room, rest="  ")
    return [part for ln in lines for part in ((wrapper.wrap(ln) or [ln]) if len(ln) > room else [ln])]


def _write_json(columns: list[str], rows: list[list[Any]], out: TextIO) -> None:
    out.write(json.dumps([dict(zip(columns, _plain(r))) for r in rows], indent=2, ensure_ascii=False, default=str))
    out.write("\n")


def _write_csv(columns: list[str], rows: list[list[Any]], out: TextIO) -> None:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow(
            ["" if v is None else json.dumps(_plain(v), ensure_ascii=False, default=str)
             if isinstance(v, (dict, list, tuple)) else cell_text(v) for v in r]
        )


def _write_records(columns: list[str], rows: list[list[Any]], out: TextIO) -> None:
    _write_table(columns, rows, out, records=True)


def _write_table(columns: list[str], rows: list[list[Any]], out: TextIO, records: bool = False) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    cells = [[cell_text(v, c) for v, c in zip(r, columns)] for r in rows]
    terminal = out.isatty()
    # on a terminal the table fits its width; in a file or pipe it fits file_width() (COLUMNS,
    # else 80) with nothing cut or padded: each column as wide as its longest line, or one
    # block per row when that is too wide
    width = None if terminal else _natural_width(columns, cells)
    console = Console(file=out, width=width, soft_wrap=False)
    too_wide = not _fits(columns, cells, console.width) if terminal else width > file_width()
    if records or (rows and too_wide):
        if not terminal:
            console = Console(file=out, width=file_width(), soft_wrap=True)
        _render_records(columns, cells, console)
        return
    table = Table(box=box.SIMPLE_HEAD, show_lines=False, expand=bool(rows) and terminal)
    for i, c in enumerate(columns):
        lines = [ln for row in cells for ln in row[i].split("\n")] or [""]
        longest = max(len(ln) for ln in lines)
        mean = sum(len(ln) for ln in lines) / len(lines)
        if not terminal:
            table.add_column(Text(c), no_wrap=True, min_width=max(longest, len(c)))
            continue
        # short values keep their width; long ones (summaries, evidence) share the rest
        table.add_column(Text(c), overflow="fold", min_width=min(max(longest, len(c) if longest < 12 else 8), 28),
                         ratio=max(1, min(8, round(mean / 12))))
    for row in cells:
        table.add_row(*(Text(c) for c in row))  # values as written, never read as markup
    if not terminal:  # in a file: no trailing blanks either
        console = Console(file=io.StringIO(), width=width, soft_wrap=False)
    console.print(table)
    console.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}", style="dim")
    if not terminal:
        out.write("\n".join(line.rstrip() for line in console.file.getvalue().split("\n")))


@contextmanager
def person_console(out: TextIO) -> Iterator[Any]:
    """A rich console that writes to ``out`` for a person to read: on a terminal as wide as the
    terminal; in a file or a pipe :func:`dhrkg.terminal.file_width` columns (COLUMNS, else 80)
    with no blanks at the ends of lines."""
    from rich.console import Console

    if out.isatty():
        yield Console(file=out)
        return
    console = Console(file=io.StringIO(), width=file_width())
    yield console
    out.write("\n".join(line.rstrip() for line in console.file.getvalue().split("\n")))


def render(columns: list[str], rows: list[list[Any]], fmt: "Format", out=None) -> None:
    """Write a query result in a format of ``dhrkg run/cypher --format`` (standard output by default)."""
    RESULT_RENDERERS[Format(fmt).value].write(columns, rows, out or sys.stdout)


@dataclass(frozen=True)
class _Rendered:
    """A format (name, media type, extension) with the code that writes it."""

    format: FileFormat

    @property
    def name(self) -> str:
        return self.format.name

    @property
    def media_type(self) -> str:
        return self.format.media_type

    @property
    def extension(self) -> str:
        return self.format.extension


@dataclass(frozen=True)
class ResultRenderer(_Rendered):
    """A query-result format, written whole (``write``, the CLI) and in chunks (``render``,
    the API streams it)."""

    write: Optional[Callable[[list[str], list[list[Any]], TextIO], None]] = None
    render: Optional[Callable[[list[str], list[list[Any]]], Iterator[str]]] = None


@dataclass(frozen=True)
class DrawingRenderer(_Rendered):
    """A drawing format: the SVG in, the file's bytes out."""

    render: Callable[[str], bytes]


def plain_records(columns: list[str], rows: Iterable[list[Any]]) -> list[dict[str, Any]]:
    """Rows as JSON-ready records (dates as ISO text), as ``dhrkg run --format json`` prints them."""
    return [dict(zip(columns, _plain(list(r)))) for r in rows]


def _csv_chunks(columns: list[str], rows: list[list[Any]]) -> Iterator[str]:
    for start in range(0, max(len(rows), 1), CHUNK_ROWS):
        out = io.StringIO()
        _write_csv(columns, rows[start:start + CHUNK_ROWS], out)
        text = out.getvalue()
        yield text if start == 0 else text.split("\n", 1)[1]


def _json_chunks(columns: list[str], rows: list[list[Any]]) -> Iterator[str]:
    yield "["
    for start in range(0, len(rows), CHUNK_ROWS):
        records = plain_records(columns, rows[start:start + CHUNK_ROWS])
        text = ",\n".join(json.dumps(r, ensure_ascii=False, default=str) for r in records)
        yield ("," if start else "") + "\n" + text
    yield "\n]\n"


def _ndjson_chunks(columns: list[str], rows: list[list[Any]]) -> Iterator[str]:
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


RESULT_RENDERERS: dict[str, ResultRenderer] = {r.name: r for r in (
    ResultRenderer(_RESULTS["table"], write=_write_table),
    ResultRenderer(_RESULTS["records"], write=_write_records),
    ResultRenderer(_RESULTS["csv"], write=_write_csv, render=_csv_chunks),
    ResultRenderer(_RESULTS["json"], write=_write_json, render=_json_chunks),
    ResultRenderer(_RESULTS["ndjson"], render=_ndjson_chunks),
)}
#: the formats the API streams (``?format=``)
RESULT_FORMATS: dict[str, ResultRenderer] = {n: r for n, r in RESULT_RENDERERS.items() if r.render}

#: ``dhrkg run/cypher --format``
Format = choices("Format", _RESULTS, {n for n, r in RESULT_RENDERERS.items() if r.write})
#: the API's ``?format=`` of query results
ResultFormat = choices("ResultFormat", _RESULTS, set(RESULT_FORMATS))

DRAWING_FORMATS: dict[str, DrawingRenderer] = {r.name: r for r in (
    DrawingRenderer(_DRAWINGS["svg"], _svg),
    DrawingRenderer(_DRAWINGS["pdf"], _pdf),
    DrawingRenderer(_DRAWINGS["png"], _png),
)}

__all__ = [
    "DRAWING_FORMATS", "RDF_FORMATS", "RESULT_FORMATS", "RESULT_RENDERERS", "DrawingFormat", "Format",
    "Households", "Page", "RDFFormat", "RDFSyntax", "ResultFormat", "cell_text", "person_console", "plain_records",
    "render",
]
