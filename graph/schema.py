"""The graph schema: where every field of a ``dhr-case/1`` case file lands in the property graph.

The mapping below is data, not prose: :func:`case_rows` builds the loader's rows from it, and
:func:`markdown_tables` writes the field tables of ``docs/graph-schema.md`` from it (``python -m
dhrkg.graph.schema`` prints them). A test walks the case-file model and checks every field has an
entry here, so the model, the loader and the documentation cannot drift apart.

Conventions (see docs/graph-schema.md for the full reference):

- A record node (Person, Household, Agency, Event, Recommendation, Source) has ``review`` (the
  review id), ``id`` (its local id in the case file) and ``key`` = ``"<review>/<id>"``, unique per
  label. The Review node has ``key`` = ``id`` = ``review`` = the review id.
- A partial date ``d`` becomes four properties: ``d`` (the partial ISO string as written,
  ``"2011-10"``), ``d_from`` and ``d_to`` (first and last day it can mean, ``"2011-10-01"``,
  ``"2011-10-31"``) and ``d_precision`` (``year``, ``month`` or ``day``). ISO strings compare
  correctly as strings, so ranges need no date type (FalkorDB has no date arithmetic).
- Unset fields and empty lists are not stored (absent, not null or ``[]``).
- Every relationship carries ``review``; Area nodes are shared by all reviews and never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Optional, Union

from dhrkg.model.dates import PartialDate
from dhrkg.model.model import KEY_SEPARATOR

# --------------------------------------------------------------------------- vocabulary

RECORD_LABELS = ("Person", "Household", "Agency", "Event", "Recommendation", "Source")
LABELS = ("Review",) + RECORD_LABELS + ("Area",)
#: Labels whose nodes belong to one review (deleted and replaced with it).
REVIEW_LABELS = ("Review",) + RECORD_LABELS

#: Case-file relationship ``type`` -> relationship type in the graph.
RELATIONSHIP_TYPES = {
    "parent": "PARENT_OF",
    "sibling": "SIBLING_OF",
    "partner": "PARTNER_OF",
    "relative": "RELATIVE_OF",
    "friend": "FRIEND_OF",
    "carer": "CARES_FOR",
    "associate": "ASSOCIATE_OF",
    "abuse": "ABUSED",
}

AREA_KINDS = {
    "police_force_area": "pfa",
    "local_authority": "la",
    "town": "town",
    "csp": "csp",
    "country": "country",
    "region": "region",
}

#: Precedence of INVOLVED roles when a person is linked to an event more than once.
INVOLVED_ROLES = ("perpetrator", "victim", "subject")

#: Local id of a review's Source node (the report the case file was annotated from).
REPORT_SOURCE_ID = "report"


# --------------------------------------------------------------------------- indexes


@dataclass(frozen=True)
class Index:
    """An index the store keeps on ``label.prop`` (each engine writes it its own way:
    dhrkg.graph.dialect). ``unique``: a unique constraint where the engine has one dhrkg uses."""

    label: str
    prop: str
    unique: bool = False
    #: "range", or "text": an index that finds a part of a text (Neo4j: a TEXT index, whose
    #: trigrams serve ``CONTAINS``; FalkorDB: a range index, on the list of 2-6 letter pieces
    #: FalkorDB keeps in the property, see SubstringIndex)
    kind: str = "range"
    #: further properties of one composite index on (prop, *more): only in an engine's own
    #: indexes (Neo4j: graph/neo4j/store.py), as FalkorDB has no composite index
    more: tuple[str, ...] = ()
    #: the property holds text (or a list of texts), not a number or a boolean: FalkorDB's
    #: index answers a range comparison on it wrong (dhrkg.graph.falkordb.text_ranges)
    holds_text: bool = True


@dataclass(frozen=True)
class SubstringIndex:
    """Find ``label`` nodes whose ``fields`` (strings) or ``list_fields`` (lists of strings)
    contain a text, in any case, from an index instead of a scan (``find-person``).

    The store keeps ``prop`` on every such node, derived from the lower-cased fields with each
    load of its review (a summary: dhrkg.graph.summaries), and a text index on it. What ``prop``
    holds is the engine's (dhrkg.graph.dialect ``substring_value``): Neo4j, the lower-cased
    fields on one line each (its TEXT index answers ``CONTAINS`` from trigrams); FalkorDB, the
    list of every piece of 2 to 6 letters of their words (its range index answers ``piece IN
    n.prop``: a text is in a field only if its longest word, cut to 6 letters, is a piece of
    it, and a word of 2 to 6 letters exactly when it is). A query narrows with the index and
    tests the fields where the piece does not prove it, so its rows are the rows of the scan."""

    label: str
    prop: str
    fields: tuple[str, ...]
    list_fields: tuple[str, ...] = ()

    @property
    def index(self) -> Index:
        return Index(self.label, self.prop, kind="text")

    def texts(self, var: str = "n") -> str:
        """Cypher: the list of the node's lower-cased field values (unset ones left out)."""
        scalars = "[" + ", ".join(f"{var}.{f}" for f in self.fields) + "]"
        lists = "".join(f" + coalesce({var}.{f}, [])" for f in self.list_fields)
        return f"[s IN {scalars}{lists} WHERE s IS NOT NULL | toLower(s)]"


#: find-person's index: a part of a person's name, id or one of their aliases.
PERSON_NAMES = SubstringIndex("Person", "find_text", ("name", "id"), ("aliases",))
#: Every SubstringIndex the store keeps (their properties: dhrkg.graph.summaries).
SUBSTRING_INDEXES: tuple[SubstringIndex, ...] = (PERSON_NAMES,)


#: What every store has (ensured when it opens): ``key`` on every label (unique), ``review`` on
#: review-owned labels, and what the national scans filter on first (docs/graph-schema.md,
#: "Indexes"): ``Event.type`` (incidents, risk assessments, referrals found by type),
#: ``Person.abused_partners`` (the
#: pre-computed summary serial-perpetrators starts from, dhrkg.graph.summaries), ``Event.shares``
#: (the summary referrals-not-actioned starts from: the few events that refer),
#: ``Event.risk_level`` (risk-not-shared starts from the assessments at the levels asked for);
#: and the text index of each SubstringIndex (``find-person``).
CASE_INDEXES: tuple[Index, ...] = (
    tuple(Index(label, "key", unique=True) for label in LABELS)
    + tuple(Index(label, "review") for label in REVIEW_LABELS)
    + (Index("Event", "type"), Index("Person", "abused_partners", holds_text=False),
       Index("Event", "shares", holds_text=False), Index("Event", "risk_level"))
    + tuple(s.index for s in SUBSTRING_INDEXES)
)
#: Labels of imported agency records (dhrkg.ingest.records) and the index each has.
RECORD_LABELS_INDEXED = ("Record", "Incident", "Contact", "Identity")
RECORD_INDEXES: tuple[Index, ...] = tuple(Index(label, "key") for label in RECORD_LABELS_INDEXED)


# --------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Prop:
    """The value is stored as a property (``name``, default the field name with any prefix)."""

    name: Optional[str] = None

    def describe(self, prop: str) -> str:
        return f"`{prop}`"


@dataclass(frozen=True)
class DateProp:
    """A partial date: ``x``, ``x_from``, ``x_to``, ``x_precision``."""

    name: Optional[str] = None

    def describe(self, prop: str) -> str:
        return f"`{prop}`, `{prop}_from`, `{prop}_to`, `{prop}_precision`"


@dataclass(frozen=True)
class Key:
    """The record's local id: ``id`` and ``key`` (``"<review>/<id>"``)."""

    def describe(self, prop: str) -> str:
        return "`id`; `key` = `\"<review>/<id>\"`"


@dataclass(frozen=True)
class Link:
    """An id (or list of ids) naming another record of the review: one relationship each.

    ``inward`` reverses the direction (the named record points at this one). ``role`` is set on
    the relationship as its ``role`` property."""

    type: str
    target: str
    inward: bool = False
    role: Optional[str] = None

    def describe(self, prop: str, source_label: str = "") -> str:
        role = f" {{role: \"{self.role}\"}}" if self.role else ""
        if self.inward:
            return f"`({self.target})-[:{self.type}{role}]->({source_label})`"
        return f"`({source_label})-[:{self.type}{role}]->({self.target})`"


@dataclass(frozen=True)
class AreaLink:
    """A place name: a shared ``Area`` node (MERGEd by ``key`` = ``"<prefix>:<name>"``) and a
    relationship to it."""

    type: str
    kind: str

    def describe(self, prop: str, source_label: str = "") -> str:
        return f"`({source_label})-[:{self.type}]->(Area {{kind: \"{self.kind}\"}})`"


@dataclass(frozen=True)
class RoleLinks:
    """A list of roles; those in ``roles`` also become ``(Person)-[:SUBJECT_OF {role}]->(Review)``."""

    roles: tuple[str, ...] = ("victim", "perpetrator")

    def describe(self, prop: str, source_label: str = "") -> str:
        return f"`({source_label})-[:SUBJECT_OF {{role}}]->(Review)` for role {' / '.join(self.roles)}"


@dataclass(frozen=True)
class SourceLink:
    """Paragraph refs: the ``source`` property, and ``SUPPORTED_BY {refs, paragraphs}`` to the
    review's report Source node."""

    def describe(self, prop: str, source_label: str = "") -> str:
        return f"`source`; `({source_label})-[:SUPPORTED_BY {{refs, paragraphs}}]->(Source)`"


@dataclass(frozen=True)
class ReportFile:
    """The report's file name: on the Review and as ``file`` of the review's Source node."""

    def describe(self, prop: str, source_label: str = "") -> str:
        return "`source` on Review; `file` on `(Source {id: \"report\"})`"


@dataclass(frozen=True)
class Endpoint:
    """For a record that becomes a relationship: which end (``from``/``to``) this id names."""

    end: str

    def describe(self, prop: str, source_label: str = "") -> str:
        return f"the `{self.end}` end of the relationship"


@dataclass(frozen=True)
class EdgeType:
    """The case-file relationship ``type`` chooses the relationship type (RELATIONSHIP_TYPES)."""

    def describe(self, prop: str, source_label: str = "") -> str:
        return "relationship type: " + ", ".join(f"{k} → `{v}`" for k, v in RELATIONSHIP_TYPES.items())


@dataclass(frozen=True)
class Constant:
    """A field whose value is fixed by the format (only ``format``): stored on the Review."""

    name: str

    def describe(self, prop: str, source_label: str = "") -> str:
        return f"`{self.name}` on Review"


@dataclass(frozen=True)
class Flatten:
    """A sub-record whose fields land on the same node or relationship, names prefixed."""

    prefix: str
    fields: dict[str, "Targets"]


@dataclass(frozen=True)
class EdgeRecords:
    """A list of sub-records, each one relationship ``(from)-[type]->(to)``; ``fields`` says
    which field names the other end (an Endpoint) and which become relationship properties."""

    type: str
    source_label: str
    target_label: str
    fields: dict[str, "Targets"]


Target = Union[Prop, DateProp, Key, Link, AreaLink, RoleLinks, SourceLink, ReportFile, Endpoint, EdgeType, Constant]
Targets = Union[Target, tuple, Flatten, EdgeRecords]


def _place(prefix: str) -> Flatten:
    return Flatten(prefix, {
        "town": (Prop(), AreaLink("LOCATED_IN", "town")),
        "local_authority": (Prop(), AreaLink("LOCATED_IN", "local_authority")),
        "police_force_area": (Prop(), AreaLink("LOCATED_IN", "police_force_area")),
        "country": (Prop(), AreaLink("LOCATED_IN", "country")),
    })


@dataclass(frozen=True)
class Section:
    """One section of the case file and the label (or relationship types) it becomes."""

    name: str  # attribute of CaseFile ("review", "persons" ...)
    label: Optional[str]  # node label; None for sections that become relationships
    fields: dict[str, Targets]
    many: bool = True
    note: str = ""


SECTIONS: tuple[Section, ...] = (
    Section("review", "Review", many=False, note="One node per review; `key` = `id` = `review` = the review id.", fields={
        "id": Key(),
        "title": Prop(),
        "commissioned_by": (Prop(), AreaLink("COMMISSIONED_BY", "csp")),
        "local_authority": (Prop(), AreaLink("LOCATED_IN", "local_authority")),
        "police_force_area": (Prop(), AreaLink("LOCATED_IN", "police_force_area")),
        "chair": Prop(),
        "author": Prop(),
        "vice_chair": Prop(),
        "review_period": Flatten("review_period_", {"start": DateProp(), "end": DateProp()}),
        "homicide_date": DateProp(),
        "report_date": DateProp(),
        "reference": Prop(),
        "source": ReportFile(),
    }),
    Section("persons", "Person", fields={
        "id": Key(),
        "name": Prop(),
        "aliases": Prop(),
        "sex": Prop(),
        "born": DateProp(),
        "age": Prop(),
        "age_months": Prop(),
        "died": DateProp(),
        "unborn": Prop(),
        "ethnicity": Prop(),
        "roles": (Prop(), RoleLinks()),
        "notes": Prop(),
        "source": SourceLink(),
    }),
    Section("relationships", None, note=(
        "Each relationship record is one relationship between two Person nodes, `from` → `to` "
        "as written. For sibling, partner, friend and associate the direction carries no "
        "meaning: match them undirected, `(a)-[:PARTNER_OF]-(b)`. Each keeps `review` and "
        "`ordinal` (its position in the file)."), fields={
        "from": Endpoint("from"),
        "to": Endpoint("to"),
        "type": EdgeType(),
        "start": DateProp(),
        "end": DateProp(),
        "notes": Prop(),
        "source": Prop(),
        "certainty": Prop(),
        "kind": Prop(),
        "status": Prop(),
        "separated": DateProp(),
        "abusive": Prop(),
        "label": Prop(),
        "kinds": Prop(),
    }),
    Section("households", "Household", fields={
        "id": Key(),
        "location": _place("location_"),
        "members": EdgeRecords("MEMBER_OF", "Person", "Household", {
            "person": Endpoint("from"),
            "start": DateProp(),
            "end": DateProp(),
        }),
        "start": DateProp(),
        "end": DateProp(),
        "notes": Prop(),
        "source": SourceLink(),
    }),
    Section("agencies", "Agency", fields={
        "id": Key(),
        "name": Prop(),
        "abbreviation": Prop(),
        "aliases": Prop(),
        "type": Prop(),
        "police_force_area": (Prop(), AreaLink("SERVES", "police_force_area")),
        "notes": Prop(),
    }),
    Section("events", "Event", note=(
        "A person named in `persons`, `abuse.perpetrator` or `abuse.victim(s)` of an event has ONE "
        "`INVOLVED` relationship to it: `role` is `perpetrator`, else `victim`, else `subject`; "
        "`listed` is true when the person is in the event's `persons` list."), fields={
        "id": Key(),
        "date": DateProp(),
        "until": DateProp(),
        "date_approx": Prop(),
        "time": Prop(),
        "agency": Link("RECORDED_BY", "Agency"),
        "type": Prop(),
        "persons": Link("INVOLVED", "Person", inward=True, role="subject"),
        "summary": Prop(),
        "abuse": Flatten("abuse_", {
            "perpetrator": Link("INVOLVED", "Person", inward=True, role="perpetrator"),
            "victim": Link("INVOLVED", "Person", inward=True, role="victim"),
            "victims": Link("INVOLVED", "Person", inward=True, role="victim"),
            "kinds": Prop(),
            "certainty": Prop(),
        }),
        "risk": Flatten("risk_", {"tool": Prop(), "level": Prop(), "score": Prop(), "grade": Prop()}),
        "referral_to": Link("REFERRED_TO", "Agency"),
        "shared_with": Link("SHARED_WITH", "Agency"),
        "other_agencies": Link("TOOK_PART", "Agency"),
        "place": _place("place_"),
        "notes": Prop(),
        "source": SourceLink(),
    }),
    Section("recommendations", "Recommendation", note=(
        "`agency` and `agencies` together give one `ADDRESSED_TO` per distinct agency."), fields={
        "id": Key(),
        "agency": Link("ADDRESSED_TO", "Agency"),
        "agencies": Link("ADDRESSED_TO", "Agency"),
        "text": Prop(),
        "scope": Prop(),
        "source": SourceLink(),
    }),
)

#: Top-level CaseFile fields that are not sections.
TOP_LEVEL = {"format": Constant("format")}

#: Relationship types not driven by a single field (always present).
STRUCTURAL_RELATIONSHIPS = {
    "PART_OF": "(record)-[:PART_OF]->(Review): every Person, Household, Agency, Event, Recommendation and Source of the review",
    "SUPPORTED_BY": "(record)-[:SUPPORTED_BY {refs, paragraphs}]->(Source): the record's paragraph refs in the report",
}


def _as_tuple(t: Targets) -> tuple:
    return t if isinstance(t, tuple) else (t,)


def field_paths() -> set[str]:
    """Every case-file field path the mapping covers, e.g. ``persons[].born``, ``events[].abuse.kinds``."""
    out = {k for k in TOP_LEVEL}

    def walk(prefix: str, fields: dict[str, Targets]) -> None:
        for name, targets in fields.items():
            path = f"{prefix}.{name}"
            out.add(path)
            for t in _as_tuple(targets):
                if isinstance(t, Flatten):
                    walk(path, t.fields)
                elif isinstance(t, EdgeRecords):
                    walk(path + "[]", t.fields)

    for s in SECTIONS:
        out.add(s.name)
        walk(s.name + ("[]" if s.many else ""), s.fields)
    return out


# --------------------------------------------------------------------------- rows


@dataclass
class GraphRows:
    """A review as rows for the loader: node property maps per label, relationships per type."""

    review: str
    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    areas: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> {key, kind, name}
    #: nodes MERGEd by ``key`` and set whole, shared with what is outside the replacement
    #: (the DHRD's dataset Source node), per label
    shared: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # (type, from label, to label) -> [{"from": key, "to": key, "props": {...}}]
    edges: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=dict)

    def node_counts(self) -> dict[str, int]:
        out = {label: len(rows) for label, rows in self.nodes.items() if rows}
        if self.areas:
            out["Area"] = len(self.areas)
        return out

    def edge_counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for (rtype, _, _), rows in self.edges.items():
            out[rtype] = out.get(rtype, 0) + len(rows)
        return {k: v for k, v in out.items() if v}

    def row_count(self) -> int:
        return sum(self.node_counts().values()) + sum(self.edge_counts().values())


class AmbiguousKey(ValueError):
    """A review or record id holding the key separator (its key could be another review's)."""


def record_key(review: str, local_id: str) -> str:
    """``"<review>/<id>"``; refuses ids holding the separator, so a key names one record."""
    for what, value in (("review id", review), ("id", local_id)):
        if KEY_SEPARATOR in str(value):
            raise AmbiguousKey(f"{what} {value!r} contains {KEY_SEPARATOR!r}, which ids may not hold")
    return f"{review}{KEY_SEPARATOR}{local_id}"


def area_key(kind: str, name: str) -> tuple[str, str]:
    """(key, canonical name) of an Area; police force areas use their canonical name."""
    name = " ".join(str(name).split())
    if kind == "police_force_area":
        from dhrkg.places import canonical_force_area

        name = canonical_force_area(name) or name
    return f"{AREA_KINDS[kind]}:{name}", name


def paragraphs(refs: str) -> list[str]:
    """``"1.1, 2.3-2.5, Appendix A 2.1"`` -> ``["1.1", "2.3-2.5", "Appendix A 2.1"]``."""
    return [p.strip() for p in str(refs).replace(";", ",").split(",") if p.strip()]


def _plain(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (int, float, str)):
        return value
    return str(value)


def _set(props: dict[str, Any], name: str, value: Any) -> None:
    if value is None or (isinstance(value, (list, tuple)) and not value):
        return
    props[name] = _plain(value)


def _set_date(props: dict[str, Any], name: str, value: Any) -> None:
    if value is None:
        return
    d = PartialDate.parse(value)
    props[name] = str(d)
    props[f"{name}_from"] = d.earliest.isoformat()
    props[f"{name}_to"] = d.latest.isoformat()
    props[f"{name}_precision"] = d.precision


class _Builder:
    def __init__(self, review: str):
        self.rows = GraphRows(review)
        self.review = review
        # INVOLVED: (event key, person key) -> set of roles
        self._involved: dict[tuple[str, str], set[str]] = {}
        self._seen_edges: set[tuple[str, str, str]] = set()

    def key(self, local_id: str) -> str:
        return record_key(self.review, local_id)

    def edge(self, rtype: str, from_label: str, from_key: str, to_label: str, to_key: str,
             props: Optional[dict[str, Any]] = None, dedupe: bool = False) -> None:
        if dedupe:
            ident = (rtype, from_key, to_key)
            if ident in self._seen_edges:
                return
            self._seen_edges.add(ident)
        p = {"review": self.review}
        p.update(props or {})
        self.rows.edges.setdefault((rtype, from_label, to_label), []).append(
            {"from": from_key, "to": to_key, "props": p})

    def area(self, kind: str, name: str) -> str:
        key, canonical = area_key(kind, name)
        self.rows.areas.setdefault(key, {"key": key, "kind": kind, "name": canonical})
        return key

    def apply(self, label: str, node_key: str, props: dict[str, Any], fields: dict[str, Targets],
              record: Any, prefix: str = "") -> None:
        """Apply a field mapping to ``record``, adding properties to ``props`` and relationships."""
        for name, targets in fields.items():
            attr = "from_" if name == "from" else name
            value = getattr(record, attr, None)
            if value is None or (isinstance(value, list) and not value):
                continue
            pname = prefix + name
            for t in _as_tuple(targets):
                if isinstance(t, Prop):
                    _set(props, t.name or pname, value)
                elif isinstance(t, DateProp):
                    _set_date(props, t.name or pname, value)
                elif isinstance(t, Key):
                    props["id"] = value
                elif isinstance(t, Link):
                    for target_id in (value if isinstance(value, list) else [value]):
                        other = self.key(target_id)
                        if t.type == "INVOLVED":
                            self._involved.setdefault((node_key, other), set()).add(t.role or "subject")
                        elif t.inward:
                            self.edge(t.type, t.target, other, label, node_key,
                                      {"role": t.role} if t.role else None, dedupe=True)
                        else:
                            self.edge(t.type, label, node_key, t.target, other,
                                      {"role": t.role} if t.role else None, dedupe=True)
                elif isinstance(t, AreaLink):
                    self.edge(t.type, label, node_key, "Area", self.area(t.kind, value), dedupe=True)
                elif isinstance(t, RoleLinks):
                    for role in value:
                        if role in t.roles:
                            self.edge("SUBJECT_OF", label, node_key, "Review", self.review, {"role": role})
                elif isinstance(t, SourceLink):
                    _set(props, "source", value)
                    self.edge("SUPPORTED_BY", label, node_key, "Source", self.key(REPORT_SOURCE_ID),
                              {"refs": value, "paragraphs": paragraphs(value)})
                elif isinstance(t, ReportFile):
                    _set(props, "source", value)
                    self.rows.nodes["Source"][0]["file"] = value
                elif isinstance(t, Flatten):
                    self.apply(label, node_key, props, t.fields, value, prefix=pname + "_" if not t.prefix else t.prefix)
                elif isinstance(t, EdgeRecords):
                    for sub in value:
                        eprops: dict[str, Any] = {}
                        other = None
                        for fname, ftargets in t.fields.items():
                            fval = getattr(sub, fname, None)
                            for ft in _as_tuple(ftargets):
                                if isinstance(ft, Endpoint):
                                    other = self.key(fval)
                                elif isinstance(ft, DateProp):
                                    _set_date(eprops, ft.name or fname, fval)
                                elif isinstance(ft, Prop):
                                    _set(eprops, ft.name or fname, fval)
                        self.edge(t.type, t.source_label, other, t.target_label, node_key, eprops)
                else:  # pragma: no cover - a mapping entry this builder does not know
                    raise TypeError(f"no rule to load {label}.{pname} with {t!r}")

    def finish_involved(self) -> None:
        for (event_key, person_key), roles in sorted(self._involved.items()):
            role = next(r for r in INVOLVED_ROLES if r in roles)
            self.edge("INVOLVED", "Person", person_key, "Event", event_key,
                      {"role": role, "listed": "subject" in roles})


def case_rows(case: Any) -> GraphRows:
    """The rows that represent ``case`` (a :class:`CaseFile`) in the graph."""
    review_id = case.review.id
    record_key(review_id, REPORT_SOURCE_ID)  # refuses a review id with the separator
    b = _Builder(review_id)
    b.rows.nodes = {label: [] for label in REVIEW_LABELS}
    source = {"review": review_id, "id": REPORT_SOURCE_ID, "key": b.key(REPORT_SOURCE_ID), "kind": "report"}
    b.rows.nodes["Source"].append(source)
    for section in SECTIONS:
        records = getattr(case, section.name)
        if not section.many:
            records = [records]
        for ordinal, record in enumerate(records):
            if section.label is None:  # relationships
                _relationship(b, record, ordinal, section.fields)
                continue
            if section.label == "Review":
                key = review_id
                props: dict[str, Any] = {"review": review_id, "key": key}
                _set(props, "format", case.format)
            else:
                key = b.key(record.id)
                props = {"review": review_id, "key": key}
                b.edge("PART_OF", section.label, key, "Review", review_id)
            b.apply(section.label, key, props, section.fields, record)
            b.rows.nodes[section.label].append(props)
    b.edge("PART_OF", "Source", source["key"], "Review", review_id)
    b.finish_involved()
    return b.rows


def _relationship(b: _Builder, record: Any, ordinal: int, fields: dict[str, Targets]) -> None:
    props: dict[str, Any] = {"ordinal": ordinal}
    ends: dict[str, str] = {}
    rtype = None
    for name, targets in fields.items():
        attr = "from_" if name == "from" else name
        value = getattr(record, attr, None)
        if value is None or (isinstance(value, list) and not value):
            continue
        for t in _as_tuple(targets):
            if isinstance(t, Endpoint):
                ends[t.end] = b.key(value)
            elif isinstance(t, EdgeType):
                rtype = RELATIONSHIP_TYPES[value]
            elif isinstance(t, DateProp):
                _set_date(props, t.name or name, value)
            elif isinstance(t, Prop):
                _set(props, t.name or name, value)
            else:  # pragma: no cover
                raise TypeError(f"no rule to load relationships[].{name} with {t!r}")
    b.edge(rtype, "Person", ends["from"], "Person", ends["to"], props)


# --------------------------------------------------------------------------- documentation


def _describe(targets: Targets, prop: str, label: str) -> str:
    parts = []
    for t in _as_tuple(targets):
        if isinstance(t, (Flatten, EdgeRecords)):
            continue
        if isinstance(t, (Prop, DateProp)):
            parts.append(t.describe(t.name or prop))
        elif isinstance(t, Key):
            parts.append(t.describe(prop))
        else:
            parts.append(t.describe(prop, label))
    return "; ".join(parts)


def _table_rows(prefix: str, fields: dict[str, Targets], label: str, prop_prefix: str = "") -> Iterator[tuple[str, str]]:
    for name, targets in fields.items():
        path = f"{prefix}.{name}"
        prop = prop_prefix + name
        text = _describe(targets, prop, label)
        for t in _as_tuple(targets):
            if isinstance(t, Flatten):
                yield path, "(sub-record: its fields below land on the same node)"
                yield from _table_rows(path, t.fields, label, t.prefix)
            elif isinstance(t, EdgeRecords):
                yield path, f"one `({t.source_label})-[:{t.type}]->({t.target_label})` per entry:"
                for sub, (sub_text) in _table_rows(path + "[]", t.fields, t.type, ""):
                    yield sub, sub_text + " (on the relationship)" if "end of" not in sub_text else sub_text
        if text:
            yield path, text


def markdown_tables() -> str:
    """The field tables of docs/graph-schema.md (between the GENERATED markers)."""
    out = []
    out.append("### Top level\n\n| case-file field | in the graph |\n|---|---|")
    for name, t in TOP_LEVEL.items():
        out.append(f"| `{name}` | {t.describe(name)} |")
    for s in SECTIONS:
        title = f"`{s.name}` → `{s.label}`" if s.label else f"`{s.name}` → relationships between Person nodes"
        out.append(f"\n### {title}\n")
        if s.note:
            out.append(s.note + "\n")
        out.append("| case-file field | in the graph |\n|---|---|")
        prefix = s.name + ("[]" if s.many else "")
        for path, text in _table_rows(prefix, s.fields, s.label or "Person"):
            out.append(f"| `{path}` | {text} |")
    out.append("\n### Relationships not tied to one field\n\n| relationship | meaning |\n|---|---|")
    for name, text in STRUCTURAL_RELATIONSHIPS.items():
        out.append(f"| `{name}` | `{text.split(':')[0]}`:{text.split(':', 1)[1]} |")
    return "\n".join(out) + "\n"


BEGIN_MARK = "<!-- BEGIN GENERATED FIELD TABLES (python -m dhrkg.graph.schema --write) -->"
END_MARK = "<!-- END GENERATED FIELD TABLES -->"


def update_doc(path: Any) -> bool:
    """Rewrite the generated part of ``path``; True if it changed."""
    from .docgen import update_generated

    return update_generated(path, BEGIN_MARK, END_MARK, markdown_tables())


def _main(argv: Optional[Iterable[str]] = None) -> int:
    from .docgen import main

    return main(argv, what="the graph field tables", default="docs/graph-schema.md", generate=markdown_tables,
                update=update_doc)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main())
