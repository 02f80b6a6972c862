"""N-Triples / N-Quads terms and a line-by-line writer.

Terms are kept as the exact text N-Triples writes (``<iri>``, ``"text"``,
``"2011"^^<...#gYear>``, ``_:b1``), so writing a triple is one string format
and the export never holds a graph in memory. Escaping follows the
N-Triples grammar (RDF 1.1): in literals ``\\``, ``"``, line feed and carriage
return must be escaped; tab and the other control characters are escaped too
so that every parser reads them back, and lone surrogates (which cannot be
written as UTF-8) become U+FFFD.
"""

from __future__ import annotations

import re
from itertools import islice
from typing import Iterable, TextIO

from rdflib import URIRef

Triple = tuple[str, str, str]

_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t",
            ord("\b"): "\\b", ord("\f"): "\\f"}
for _c in list(range(0x00, 0x20)) + [0x7F]:
    _ESCAPES.setdefault(_c, f"\\u{_c:04X}")
for _c in range(0xD800, 0xE000):
    _ESCAPES[_c] = "\ufffd"
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f\ud800-\udfff]')

# Characters an IRIREF may not contain (N-Triples / Turtle grammar).
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def iri(value: str | URIRef) -> str:
    """``<value>``; the IRI must already be valid (minted IRIs are percent-encoded)."""
    return f"<{value}>"


def checked_iri(value: str) -> str:
    """``<value>`` after checking it holds no character an IRI may not contain."""
    m = _BAD_IRI.search(value)
    if m:
        raise ValueError(f"not a valid IRI (contains {m.group()!r}): {value!r}")
    return f"<{value}>"


def escape(text: str) -> str:
    if _NEEDS_ESCAPE.search(text):
        return text.translate(_ESCAPES)
    return text


def literal(text: str) -> str:
    """A plain (xsd:string) literal."""
    if _NEEDS_ESCAPE.search(text):
        text = text.translate(_ESCAPES)
    return f'"{text}"'


def typed(lexical: str, datatype: str | URIRef) -> str:
    """A typed literal whose lexical form needs no escaping (numbers, dates, booleans)."""
    return f'"{lexical}"^^<{datatype}>'


def typed_escaped(lexical: str, datatype: str | URIRef) -> str:
    return f'"{escape(lexical)}"^^<{datatype}>'


class LineWriter:
    """Writes triples (or quads, when ``graph`` is given) as N-Triples / N-Quads lines.

    Lines are joined in batches and written with one call per batch, so the
    memory held is one batch whatever the size of the export.
    """

    def __init__(self, out: TextIO, batch: int = 8192):
        self.out = out
        self.batch = batch
        self.count = 0

    def write(self, triples: Iterable[Triple], graph: str | None = None) -> int:
        line = "%s %s %s .\n" if graph is None else "%s %s %s " + graph.replace("%", "%%") + " .\n"
        out_write = self.out.write
        it = iter(triples)
        batch = self.batch
        n = 0
        while True:
            chunk = [line % t for t in islice(it, batch)]
            if not chunk:
                break
            out_write("".join(chunk))
            n += len(chunk)
        self.count += n
        return n
