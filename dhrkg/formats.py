"""The output formats dhrkg writes, declared once: name, media type, file extension.

Plain records, importing nothing of dhrkg, so every layer may read them: the RDF writers and
reader (``dhrkg.ontology``), the drawing converter (``dhrkg.visualisation``), and
:mod:`dhrkg.renderers`, which pairs each format with the code that makes its bytes for the
command line and the HTTP API.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Optional


@dataclass(frozen=True)
class FileFormat:
    """A format: its name (``--format``, ``?format=``), media type and file extension."""

    name: str
    media_type: str
    extension: str
    title: str = ""
    #: other file-name endings read as this format (without the dot)
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class RDFSyntax(FileFormat):
    """An RDF syntax, with rdflib's name for it and whether it keeps named graphs."""

    rdflib: str = ""
    quads: bool = False


#: query results: ``dhrkg run/cypher --format`` (table, records, csv, json), the API (json, csv, ndjson)
RESULT_FORMATS: dict[str, FileFormat] = {f.name: f for f in (
    FileFormat("table", "text/plain; charset=utf-8", "txt", "a table (one block per row when too wide)"),
    FileFormat("records", "text/plain; charset=utf-8", "txt", "one block per row"),
    FileFormat("csv", "text/csv; charset=utf-8", "csv", "CSV"),
    FileFormat("json", "application/json", "json", "JSON"),
    FileFormat("ndjson", "application/x-ndjson", "ndjson", "one JSON record a line"),
)}

#: drawings (genogram, network, timeline)
DRAWING_FORMATS: dict[str, FileFormat] = {f.name: f for f in (
    FileFormat("svg", "image/svg+xml", "svg", "SVG"),
    FileFormat("pdf", "application/pdf", "pdf", "PDF"),
    FileFormat("png", "image/png", "png", "PNG"),
)}

#: RDF exports and imports
RDF_FORMATS: dict[str, RDFSyntax] = {f.name: f for f in (
    RDFSyntax("ttl", "text/turtle", "ttl", "Turtle", ("turtle",), rdflib="turtle"),
    RDFSyntax("nt", "application/n-triples", "nt", "N-Triples", ("ntriples",), rdflib="nt"),
    RDFSyntax("nq", "application/n-quads", "nq", "N-Quads", ("nquads",), rdflib="nquads", quads=True),
    RDFSyntax("trig", "application/trig", "trig", "TriG", rdflib="trig", quads=True),
    RDFSyntax("jsonld", "application/ld+json", "jsonld", "JSON-LD", ("json",), rdflib="json-ld", quads=True),
)}


def choices(name: str, formats: dict[str, FileFormat], only: Optional[set[str]] = None) -> type[Enum]:
    """An enumeration of the formats' names (the choices of a CLI option or an API parameter)."""
    return Enum(name, [(n, n) for n in formats if only is None or n in only], type=str, module=__name__)


def by_extension(path: str | Path, formats: dict[str, FileFormat]) -> Optional[FileFormat]:
    """The format a file name's extension says (``.ttl``, ``.turtle`` ...), or None."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return next((f for f in formats.values() if suffix == f.extension or suffix in f.also), None)


def extension_aliases(formats: dict[str, FileFormat]) -> dict[str, str]:
    """Other endings -> the format name they mean (``json`` -> ``jsonld``)."""
    return {alias: f.name for f in formats.values() for alias in f.also}


#: choices for the command line and the API
DrawingFormat = choices("DrawingFormat", DRAWING_FORMATS)
RDFFormat = choices("RDFFormat", RDF_FORMATS)
