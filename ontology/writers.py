"""Writers: one review's triples out in N-Triples, N-Quads (line by line), Turtle, TriG or JSON-LD (rdflib)."""

from __future__ import annotations

import io
import json
import warnings
from typing import Iterable, TextIO

from dhrkg.formats import RDF_FORMATS

from . import vocab as V
from .ntriples import LineWriter, Triple

#: name -> title of every RDF syntax written (dhrkg.formats declares them)
FORMATS = {f.name: f.title for f in RDF_FORMATS.values()}
#: Formats that keep one named graph per review.
QUAD_FORMATS = frozenset(f.name for f in RDF_FORMATS.values() if f.quads)


class RDFWriter:
    """Writes reviews' triples to ``out`` in one format."""

    def __init__(self, out: TextIO, fmt: str):
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        self.out = out
        self.fmt = fmt
        self.triples = 0
        self._lines = LineWriter(out)
        self._first_json = True

    def write_review(self, triples: Iterable[Triple], graph: str) -> int:
        if self.fmt == "nt":
            n = self._lines.write(triples)
        elif self.fmt == "nq":
            n = self._lines.write(triples, graph)
        else:
            n = self._write_rdflib(triples, graph)
        self.triples += n
        return n

    def _write_rdflib(self, triples: Iterable[Triple], graph: str) -> int:
        from rdflib import Dataset, Graph, URIRef

        buf = io.StringIO()
        n = LineWriter(buf).write(triples)
        if self.fmt == "ttl":
            g = Graph()
        else:
            g = Dataset().graph(URIRef(graph[1:-1]))
        g.parse(data=buf.getvalue(), format="nt")
        for prefix, ns in V.PREFIXES.items():
            g.bind(prefix, ns, override=True, replace=True)
        if self.fmt == "ttl":
            self.out.write(g.serialize(format="turtle"))
            self.out.write("\n")
        elif self.fmt == "trig":
            with warnings.catch_warnings():  # rdflib's TriG serializer uses its own deprecated API
                warnings.simplefilter("ignore", DeprecationWarning)
                ds = Dataset()
                for prefix, ns in V.PREFIXES.items():
                    ds.bind(prefix, ns, override=True, replace=True)
                named = ds.graph(URIRef(graph[1:-1]))
                for t in g:
                    named.add(t)
                self.out.write(ds.serialize(format="trig"))
            self.out.write("\n")
        else:
            context = {k: v for k, v in V.PREFIXES.items()}
            doc = json.loads(g.serialize(format="json-ld", context=context, auto_compact=True))
            if isinstance(doc, list):
                doc = {"@context": context, "@graph": doc}
            body = doc.get("@graph")
            if body is None:
                body = [{k: v for k, v in doc.items() if k != "@context"}]
            named = {"@context": context, "@id": graph[1:-1], "@graph": body}
            self.out.write("[\n" if self._first_json else ",\n")
            self._first_json = False
            self.out.write(json.dumps(named, ensure_ascii=False, indent=1))
        return n

    def close(self) -> None:
        if self.fmt == "jsonld":
            self.out.write("[]\n" if self._first_json else "\n]\n")
