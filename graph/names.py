"""Names a query uses that the graph does not know: a label, relationship type or property
spelled wrong (``Persn``, ``nmae``) makes a query return no rows and say nothing. This checks
the query's names against the graph's own catalogue (``db.labels()``,
``db.relationshipTypes()``, ``db.propertyKeys()``: the same procedures on FalkorDB and Neo4j)
and names the closest known ones.

The names are read from the Cypher with the lint's masking (strings, comments and backticked
names are not looked at): labels after ``(var:``, relationship types after ``[var:`` (and
``|``), properties after ``var.`` (for a variable a pattern binds, not a map) and as keys of a
pattern's property map.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Iterable

from .lint import mask

_LABEL = re.compile(r"\(\s*[A-Za-z_]\w*\s*((?::\s*[A-Za-z_]\w*\s*)+)|\(\s*((?::\s*[A-Za-z_]\w*\s*)+)")
_REL = re.compile(r"\[\s*[A-Za-z_]?\w*\s*:\s*([A-Za-z_]\w*(?:\s*\|\s*:?\s*[A-Za-z_]\w*)*)")
_PROP = re.compile(r"(?<![\w$.])([A-Za-z_]\w*)\s*\.\s*([A-Za-z_]\w*)(?!\s*\()")
_PATTERN_VAR = re.compile(r"[(\[]\s*([A-Za-z_]\w*)\s*[:{)\]]")
_PATTERN_MAP = re.compile(r"[(\[]\s*(?:[A-Za-z_]\w*\s*(?::[\w|: ]+)?|:[\w|: ]+)\{([^{}]*)\}")
_MAP_KEY = re.compile(r"(?:^|,)\s*([A-Za-z_]\w*)\s*:")

#: (kind, catalogue procedure, the column it yields)
CATALOGUE = (
    ("label", "CALL db.labels() YIELD label RETURN label"),
    ("relationship type", "CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType"),
    ("property", "CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey"),
)


@dataclass(frozen=True)
class UnknownName:
    kind: str  # "label", "relationship type" or "property"
    name: str
    closest: tuple[str, ...]

    def __str__(self) -> str:
        hint = f"; did you mean {' or '.join(self.closest)}?" if self.closest else ""
        return f"warning: the graph has no {self.kind} {self.name!r}{hint}"


def names_used(cypher: str) -> dict[str, set[str]]:
    """{kind: names} the query refers to."""
    text = mask(cypher)
    labels: set[str] = set()
    for m in _LABEL.finditer(text):
        labels.update(re.findall(r":\s*([A-Za-z_]\w*)", m.group(1) or m.group(2)))
    types: set[str] = set()
    for m in _REL.finditer(text):
        types.update(re.findall(r"[A-Za-z_]\w*", m.group(1)))
    variables = {m.group(1) for m in _PATTERN_VAR.finditer(text)}  # nodes and relationships, not maps
    props = {m.group(2) for m in _PROP.finditer(text) if m.group(1) in variables}
    for m in _PATTERN_MAP.finditer(text):
        props.update(k.group(1) for k in _MAP_KEY.finditer(m.group(1)))
    return {"label": labels, "relationship type": types, "property": props}


def catalogue(store: Any) -> dict[str, set[str]]:
    """The names the graph holds, per kind."""
    return {kind: {str(r[0]) for r in store.query(cypher).rows} for kind, cypher in CATALOGUE}


def unknown_names(used: dict[str, set[str]], known: dict[str, set[str]]) -> list[UnknownName]:
    out = []
    for kind, names in used.items():
        for name in sorted(names - known.get(kind, set())):
            out.append(UnknownName(kind, name, tuple(_closest(name, known.get(kind, ())))))
    return out


def check(store: Any, cypher: str) -> list[UnknownName]:
    """The names ``cypher`` uses that ``store``'s graph does not know."""
    return unknown_names(names_used(cypher), catalogue(store))


def _closest(name: str, known: Iterable[str]) -> list[str]:
    by_lower = {k.lower(): k for k in known}
    hits = difflib.get_close_matches(name.lower(), list(by_lower), n=3, cutoff=0.6)
    return [by_lower[h] for h in hits]
