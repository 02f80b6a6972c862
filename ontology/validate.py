"""Check an export against the SHACL shapes (shapes.ttl, and shapes-pseudonymised.ttl)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from rdflib import Graph


def shapes_graph(pseudonymised: bool = False) -> Graph:
    g = Graph()
    base = resources.files("dhrkg.ontology")
    g.parse(data=(base / "shapes.ttl").read_text(encoding="utf-8"), format="turtle")
    if pseudonymised:
        g.parse(data=(base / "shapes-pseudonymised.ttl").read_text(encoding="utf-8"), format="turtle")
    return g


@dataclass
class ShapesReport:
    conforms: bool
    text: str
    results: int


def validate_export(data: Graph, pseudonymised: bool = False) -> ShapesReport:
    """Validate an export (an rdflib graph; for quads, its union) with pyshacl."""
    from pyshacl import validate
    from rdflib.namespace import SH

    conforms, report_graph, text = validate(
        data, shacl_graph=shapes_graph(pseudonymised), inference="none",
        advanced=True, allow_warnings=False,
    )
    results = len(set(report_graph.subjects(predicate=SH.resultSeverity)))
    return ShapesReport(bool(conforms), str(text), results)
