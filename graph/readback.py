"""Reading a review back from the graph as case-file records: the inverse of :mod:`dhrkg.graph.schema`.

Nothing here names a field, a label or a relationship type: each section's query and each
record are derived from the mapping ``SECTIONS`` (the same table the loader builds rows from).
Node properties become fields (a partial date from its ``x`` property), flattened sub-records
(``location_``, ``place_``, ``abuse_``, ``risk_``, ``review_period_``) are rebuilt, links become
ids, and a relationship record (``relationships``) becomes one record per relationship between
two persons.

What the graph does not keep comes back one way (docs/graph-schema.md): records in key order
(that is, by id; relationships by their ``ordinal``), lists of ids sorted, household members
by person and dates; where the model has a single and a list field for one link
(``victim``/``victims``, ``agency``/``agencies``), one id goes to the single field and several to
the list. Properties the mapping does not cover (the DHRD's ``dataset``, ``flags``, ``age_band``
...) are left out of the record and handed over beside it (:class:`ReadRecord`).
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator, Mapping, Optional, Union, get_args, get_origin

from dhrkg.model.model import CaseFile

from .schema import (
    RELATIONSHIP_TYPES, SECTIONS, AreaLink, Constant, DateProp, EdgeRecords, EdgeType, Endpoint,
    Flatten, Key, Link, Prop, ReportFile, RoleLinks, Section, SourceLink, Targets, _as_tuple,
)

#: Records per read (a review is read page by page, so memory holds one page).
PAGE_SIZE = 1000
FORMAT = "dhr-case/1"


class ReviewNotFound(LookupError):
    """No review with that id in the store."""


@dataclass(frozen=True)
class ReadRecord:
    """One record read back: the case-file record and every property of its node or relationship."""

    record: Any
    props: dict[str, Any]


# --------------------------------------------------------------------------- queries


@dataclass(frozen=True)
class _LinkRead:
    """One list read beside each node: the ends of its ``type`` relationships to ``other``."""

    type: str
    other: str
    inward: bool
    fields: tuple[tuple[str, str], ...]  # (name in the result map, expression)

    def column(self, i: int) -> str:
        # one variable name per comprehension: FalkorDB gives wrong lists when they share one
        m, x = f"m{i}", f"x{i}"
        pattern = f"({m}:{self.other})-[{x}:{self.type}]->(n)" if self.inward else f"(n)-[{x}:{self.type}]->({m}:{self.other})"
        values = ", ".join(f"{name}: {expr.format(m=m, x=x)}" for name, expr in self.fields)
        return f"[{pattern} | {{{values}}}] AS l{i}"


def _link_read(t: Union[Link, EdgeRecords]) -> _LinkRead:
    if isinstance(t, EdgeRecords):  # the other end's id under its field's name, then properties
        fields = [(name, "{m}.id" if isinstance(ft, Endpoint) else "{x}." + name) for name, ft in t.fields.items()]
        return _LinkRead(t.type, t.source_label, True, tuple(fields))
    fields = [("id", "{m}.id"), ("role", "{x}.role")] + ([("listed", "{x}.listed")] if t.type == "INVOLVED" else [])
    return _LinkRead(t.type, t.target, t.inward, tuple(fields))


def _link_targets(fields: Mapping[str, Targets]) -> Iterator[Union[Link, EdgeRecords]]:
    for targets in fields.values():
        for t in _as_tuple(targets):
            if isinstance(t, (Link, EdgeRecords)):
                yield t
            elif isinstance(t, Flatten):
                yield from _link_targets(t.fields)


@lru_cache(maxsize=None)
def _section_reads(name: str) -> tuple[_LinkRead, ...]:
    reads: list[_LinkRead] = []
    for t in _link_targets(_section(name).fields):
        read = _link_read(t)
        if not any((r.type, r.other, r.inward) == (read.type, read.other, read.inward) for r in reads):
            reads.append(read)
    return tuple(reads)


def _section(name: str) -> Section:
    return next(s for s in SECTIONS if s.name == name)


def _node_query(section: Section) -> str:
    columns = "".join(", " + r.column(i) for i, r in enumerate(_section_reads(section.name)))
    return (f"MATCH (n:{section.label} {{review: $r}}) WITH n ORDER BY n.key SKIP $skip LIMIT $limit "
            f"RETURN n AS node{columns}")


def _edge_query() -> str:
    return ("MATCH (a:Person {review: $r})-[x]->(b:Person {review: $r}) WHERE type(x) IN $types "
            "RETURN type(x) AS type, a.id AS from, b.id AS to, x AS node "
            "ORDER BY x.ordinal, type(x), a.key, b.key SKIP $skip LIMIT $limit")


# --------------------------------------------------------------------------- records


def _props(value: Any) -> dict[str, Any]:
    """Node or relationship properties from a store result value."""
    if isinstance(value, dict) and "properties" in value:
        return dict(value["properties"])
    return dict(value or {})


def _is_list(model: Any, name: str) -> bool:
    """Whether field ``name`` of the pydantic ``model`` holds a list."""
    field = model.model_fields.get(name) or next(
        (f for f in model.model_fields.values() if f.alias == name), None)
    annotation = field.annotation if field is not None else None
    options = get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else (annotation,)
    return any(get_origin(o) is list or o is list for o in options)


def _sub_model(model: Any, name: str) -> Any:
    """The record class of sub-record field ``name`` (``Place`` of ``location``)."""
    annotation = model.model_fields[name].annotation
    options = get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else (annotation,)
    return next(o for o in options if isinstance(o, type) and hasattr(o, "model_fields"))


def _link_ids(link: Link, found: list[dict[str, Any]]) -> list[str]:
    """The ids a link field names, from the relationships read beside its node."""
    if link.type == "INVOLVED":  # one INVOLVED per person, its role the strongest (schema)
        if link.role == "subject":
            return sorted(f["id"] for f in found if f.get("listed") or f.get("role") == "subject")
        return sorted(f["id"] for f in found if f.get("role") == link.role)
    return sorted({f["id"] for f in found if f.get("role") == link.role})


class _Inverse:
    """Builds one record's fields from its properties and the links read beside it."""

    def __init__(self, props: dict[str, Any], links: dict[tuple[str, str, bool], list[dict[str, Any]]]):
        self.props = props
        self.links = links

    def record(self, fields: Mapping[str, Targets], model: Any, prefix: str = "") -> dict[str, Any]:
        out: dict[str, Any] = {}
        claimed: set[tuple[str, str, bool, Optional[str]]] = set()
        for name, targets in fields.items():
            for t in _as_tuple(targets):
                self._field(out, name, prefix + name, t, model, claimed)
        return out

    def _field(self, out: dict[str, Any], name: str, pname: str, t: Any, model: Any, claimed: set) -> None:
        if isinstance(t, (Prop, DateProp)):
            value = self.props.get(t.name or pname)
            if value is not None:
                out[name] = value
        elif isinstance(t, Key):
            out[name] = self.props.get("id")
        elif isinstance(t, (SourceLink, ReportFile)):
            if self.props.get("source") is not None:
                out[name] = self.props["source"]
        elif isinstance(t, Flatten):
            sub = self.record(t.fields, _sub_model(model, name), t.prefix)
            if sub:
                out[name] = sub
        elif isinstance(t, Link):
            self._link(out, name, t, model, claimed)
        elif isinstance(t, EdgeRecords):
            found = self.links.get((t.type, t.source_label, True), [])
            entries = [{k: v for k, v in f.items() if v is not None} for f in found]
            out[name] = sorted(entries, key=lambda e: tuple(str(e.get(k) or "") for k in t.fields))
        elif not isinstance(t, (AreaLink, RoleLinks, Constant)):  # pragma: no cover - a new mapping entry
            raise TypeError(f"no rule to read {pname} back with {t!r}")

    def _link(self, out: dict[str, Any], name: str, t: Link, model: Any, claimed: set) -> None:
        """A single field takes one id; a list field takes the rest (victim/victims, agency/agencies)."""
        ident = (t.type, t.target, t.inward, t.role)
        if ident in claimed:
            return
        ids = _link_ids(t, self.links.get((t.type, t.target, t.inward), []))
        if not ids:
            return
        if _is_list(model, name):
            out[name] = ids
            claimed.add(ident)
        elif len(ids) == 1 or not self._list_sibling(t, model):
            out[name] = ids[0]
            claimed.add(ident)

    def _list_sibling(self, t: Link, model: Any) -> bool:
        return any(_is_list(model, n) for n, targets in self._fields_of(model).items()
                   for other in _as_tuple(targets) if isinstance(other, Link) and other == t)

    def _fields_of(self, model: Any) -> Mapping[str, Targets]:
        return _MODEL_FIELDS.get(model, {})


def _model_fields_index() -> dict[Any, Mapping[str, Targets]]:
    """Record class -> the mapping of its fields (sections and flattened sub-records)."""
    index: dict[Any, Mapping[str, Targets]] = {}

    def walk(model: Any, fields: Mapping[str, Targets]) -> None:
        index[model] = fields
        for name, targets in fields.items():
            for t in _as_tuple(targets):
                if isinstance(t, Flatten):
                    walk(_sub_model(model, name), t.fields)

    for s in SECTIONS:
        if s.label is not None:
            walk(_record_model(s), s.fields)
    return index


def _record_model(section: Section) -> Any:
    annotation = CaseFile.model_fields[section.name].annotation
    return get_args(annotation)[0] if get_origin(annotation) is list else annotation


_MODEL_FIELDS = _model_fields_index()
_TYPE_NAMES = {graph_type: name for name, graph_type in RELATIONSHIP_TYPES.items()}


def _edge_record(row: dict[str, Any], fields: Mapping[str, Targets]) -> dict[str, Any]:
    props = _props(row["node"])
    out: dict[str, Any] = {}
    for name, targets in fields.items():
        for t in _as_tuple(targets):
            if isinstance(t, Endpoint):
                out[name] = row[t.end]
            elif isinstance(t, EdgeType):
                out[name] = _TYPE_NAMES[row["type"]]
            elif isinstance(t, (Prop, DateProp)) and props.get(t.name or name) is not None:
                out[name] = props[t.name or name]
    return out


# --------------------------------------------------------------------------- reading


class ReviewReader:
    """Reads one store's reviews section by section, in pages (``store.query``, read-only)."""

    def __init__(self, store: Any, page_size: int = PAGE_SIZE):
        self.store = store
        self.page_size = page_size

    def _pages(self, cypher: str, params: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
        """Pages of a query that takes ``$skip`` and ``$limit`` (and orders its rows totally).

        Not keyset pagination (``WHERE n.key > $after``): on FalkorDB 4.16 a range condition
        on the indexed ``key`` skips keys that ORDER BY puts after ``$after`` (tried:
        ``key > "r/PFP"`` leaves out ``"r/Perpetrator"``), which loses records or loops.
        """
        skip = 0
        while True:
            rows = self.store.query(cypher, {**params, "skip": skip, "limit": self.page_size}).records()
            if rows:
                yield rows
            if len(rows) < self.page_size:
                return
            skip += len(rows)

    def rows(self, review_id: str, section: str) -> Iterator[ReadRecord]:
        """The records of one section (``"persons"``, ``"relationships"`` ...) as plain data."""
        sec = _section(section)
        if sec.label is None:
            params = {"r": review_id, "types": list(RELATIONSHIP_TYPES.values())}
            for page in self._pages(_edge_query(), params):
                for row in page:
                    yield ReadRecord(_edge_record(row, sec.fields), _props(row["node"]))
            return
        model = _record_model(sec)
        reads = _section_reads(section)
        for page in self._pages(_node_query(sec), {"r": review_id}):
            for row in page:
                props = _props(row["node"])
                links = {(r.type, r.other, r.inward): [f for f in row[f"l{i}"] if f] for i, r in enumerate(reads)}
                yield ReadRecord(_Inverse(props, links).record(sec.fields, model), props)

    def records(self, review_id: str, section: str) -> Iterator[ReadRecord]:
        """The records of one section as case-file model objects."""
        from pydantic import TypeAdapter

        adapter = TypeAdapter(CaseFile.model_fields[section].annotation)
        many = _section(section).many
        for read in self.rows(review_id, section):
            record = adapter.validate_python([read.record] if many else read.record)
            yield ReadRecord(record[0] if many else record, read.props)

    def review(self, review_id: str) -> ReadRecord:
        """The Review record; ReviewNotFound when the store has no such review."""
        found = next(self.records(review_id, "review"), None)
        if found is None:
            known = ", ".join(self.store.reviews()[:10])
            raise ReviewNotFound(f"no review '{review_id}' in the graph store" + (f" (reviews: {known})" if known else ""))
        return found

    def case(self, review_id: str) -> CaseFile:
        """The whole review as a CaseFile."""
        data: dict[str, Any] = {"format": FORMAT, "review": self.review(review_id).record}
        for section in SECTIONS:
            if section.many:
                data[section.name] = [read.record for read in self.rows(review_id, section.name)]
        return CaseFile.model_validate(data)


__all__ = ["PAGE_SIZE", "ReadRecord", "ReviewNotFound", "ReviewReader"]
