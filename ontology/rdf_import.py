"""Read an RDF export back into case files.

``read_rdf(path)`` parses any format the export writes (N-Triples, N-Quads,
Turtle, TriG, JSON-LD); ``cases_from_rdf(graph)`` rebuilds one
:class:`CaseFile` per ``dhr:Review`` in it. For an export that was not
pseudonymised, case file -> RDF -> case file gives back the same data
(``CaseFile.to_data()``), order of lists included. A pseudonymised export
reads back too, but without what it withheld: ids become the hashed IRI
tails, and a recommendation's text reads "(withheld)".
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from dhrkg.formats import RDF_FORMATS, by_extension
from dhrkg.model.dates import PartialDate, PartialDateError
from dhrkg.model.model import CaseFile

from . import vocab as V
from .vocab import DCTERMS, DHR, FOAF, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, TIME

WITHHELD = "(withheld)"


class RDFImportError(ValueError):
    """The RDF does not describe a valid review; the message names the resource and property."""


def read_rdf(path: str | Path, fmt: str | None = None) -> Dataset:
    """Parse an RDF file into a dataset whose default graph is the union of its graphs."""
    path = Path(path)
    syntax = RDF_FORMATS.get(fmt) if fmt is not None else by_extension(path, RDF_FORMATS)
    if syntax is None and fmt is None:
        raise RDFImportError(f"{path}: cannot tell the RDF format from the file name; give --format")
    fmt = syntax.rdflib if syntax is not None else fmt  # else an rdflib name, given as it is
    ds = Dataset(default_union=True)
    try:
        with warnings.catch_warnings():
            # rdflib's own N-Quads/TriG parsers use its deprecated Dataset.default_context
            warnings.simplefilter("ignore", DeprecationWarning)
            ds.parse(str(path), format=fmt)
    except Exception as exc:  # rdflib raises many kinds of parse errors
        raise RDFImportError(f"{path}: not readable as {fmt}: {exc}") from exc
    return ds


class _Reader:
    def __init__(self, g: Graph):
        self.g = g
        self._ids: dict[Node, str] = {}

    # ----- plain values -----

    def values(self, s: Node, p: URIRef) -> list[Node]:
        return list(self.g.objects(s, p))

    def one(self, s: Node, p: URIRef) -> Node | None:
        vals = set(self.g.objects(s, p))
        if len(vals) > 1:
            raise RDFImportError(f"<{s}> has {len(vals)} values for <{p}>, expected at most one")
        return next(iter(vals), None)

    def text(self, s: Node, p: URIRef) -> str | None:
        v = self.one(s, p)
        return None if v is None else str(v)

    def date(self, s: Node, p: URIRef) -> str | None:
        v = self.one(s, p)
        return None if v is None else self.date_text(v, s, p)

    @staticmethod
    def date_text(v: Node, s: Node, p: URIRef) -> str:
        """A date literal's text, checked as the model reads dates (xsd:date, gYearMonth, gYear)."""
        if not isinstance(v, Literal):
            raise RDFImportError(f"<{s}> <{p}>: expected a date literal, got <{v}>")
        try:
            PartialDate.parse(str(v))
        except PartialDateError as exc:
            raise RDFImportError(f"<{s}> <{p}>: {exc}") from None
        return str(v)

    def integer(self, s: Node, p: URIRef) -> int | None:
        v = self.one(s, p)
        return None if v is None else int(str(v))

    def boolean(self, s: Node, p: URIRef) -> bool | None:
        v = self.one(s, p)
        if v is None:
            return None
        text = str(v).strip().lower()
        if text not in ("true", "false", "1", "0"):
            raise RDFImportError(f"<{s}> <{p}>: {text!r} is not a boolean")
        return text in ("true", "1")

    def concept(self, s: Node, p: URIRef, ns) -> str | None:
        v = self.one(s, p)
        return None if v is None else self.concept_value(v, ns, s, p)

    @staticmethod
    def concept_value(v: Node, ns, s: Node, p: URIRef) -> str:
        text = str(v)
        if not text.startswith(str(ns)):
            raise RDFImportError(f"<{s}> <{p}>: <{v}> is not a concept of <{ns}>")
        return text[len(str(ns)):]

    def ordered(self, s: Node, p: URIRef, order: URIRef) -> list[Node]:
        """The values of ``p``, in the order the ``order`` list gives (else sorted)."""
        head = self.one(s, order)
        if head is not None:
            return list(Collection(self.g, head))
        return sorted(self.values(s, p), key=str)

    # ----- resources -----

    def ident(self, node: Node) -> str:
        """The case-file id of a record: its dcterms:identifier, else the last segment of its IRI."""
        cached = self._ids.get(node)
        if cached is not None:
            return cached
        v = self.one(node, DCTERMS.identifier)
        if v is not None:
            ident = str(v)
        elif isinstance(node, URIRef):
            ident = V.unquote_segment(str(node).rstrip("/").rsplit("/", 1)[-1])
        else:
            raise RDFImportError(f"a record without dcterms:identifier is a blank node: {node}")
        self._ids[node] = ident
        return ident

    def area_name(self, area: Node) -> str:
        label = self.one(area, RDFS.label) or self.one(area, SKOS.prefLabel)
        if label is None:
            raise RDFImportError(f"area <{area}> has no rdfs:label")
        return str(label)

    def place(self, node: Node | None) -> dict[str, Any] | None:
        if node is None:
            return None
        out: dict[str, Any] = {}
        for key, prop in (("town", DHR.town), ("local_authority", DHR.localAuthority),
                          ("police_force_area", DHR.policeForceArea), ("country", DHR.country)):
            area = self.one(node, prop)
            if area is not None:
                out[key] = self.area_name(area)
        return out

    def instant(self, node: Node | None) -> str | None:
        if node is None:
            return None
        found = [(p, self.one(node, p)) for p in (TIME.inXSDDate, TIME.inXSDgYearMonth, TIME.inXSDgYear)]
        found = [(p, v) for p, v in found if v is not None]
        if len(found) != 1:
            raise RDFImportError(f"instant <{node}> needs exactly one of time:inXSDDate, inXSDgYearMonth, inXSDgYear")
        p, v = found[0]
        return self.date_text(v, node, p)

    def interval(self, node: Node | None) -> tuple[str | None, str | None]:
        if node is None:
            return None, None
        return self.instant(self.one(node, TIME.hasBeginning)), self.instant(self.one(node, TIME.hasEnd))

    def source(self, s: Node) -> str | None:
        passage = self.one(s, PROV.wasDerivedFrom)
        return None if passage is None else self.text(passage, DHR.paragraphs)

    def by_position(self, nodes) -> list[Node]:
        """``nodes`` in their ``dhr:position`` order (those without one last, by IRI)."""
        def order(s: Node) -> tuple[int, str]:
            pos = self.one(s, DHR.position)
            return (int(str(pos)) if pos is not None else 1 << 30, str(s))

        return sorted(set(nodes), key=order)

    def records(self, review: Node, cls: URIRef) -> list[Node]:
        return self.by_position(s for s in self.g.subjects(DHR.inReview, review) if (s, RDF.type, cls) in self.g)

    def listed_and_rest(self, s: Node, p: URIRef, order: URIRef) -> tuple[list[Node] | None, list[Node]]:
        """The values of ``p`` that the ``order`` list holds, in its order (None without the
        list), and the values it does not hold."""
        head = self.one(s, order)
        values = self.values(s, p)
        if head is None:
            return None, values
        listed = list(Collection(self.g, head))
        return listed, [v for v in values if v not in listed]


def _set(d: dict, key: str, value: Any) -> None:
    if value is not None and value != []:
        d[key] = value


def _relationship(rd: _Reader, s: Node) -> dict[str, Any]:
    rtype = rd.concept(s, DHR.relationshipType, V.RELATIONSHIP_TYPE)
    if rtype is None:
        raise RDFImportError(f"relationship <{s}> has no dhr:relationshipType")
    d: dict[str, Any] = {"type": rtype}
    a, b = rd.one(s, DHR.fromPerson), rd.one(s, DHR.toPerson)
    if a is None or b is None:
        raise RDFImportError(f"relationship <{s}> needs dhr:fromPerson and dhr:toPerson")
    d["from"], d["to"] = rd.ident(a), rd.ident(b)
    start, end = rd.interval(rd.one(s, DHR.during))
    _set(d, "start", start)
    _set(d, "end", end)
    _set(d, "notes", rd.text(s, SKOS.note))
    _set(d, "source", rd.source(s))
    _set(d, "certainty", rd.concept(s, DHR.certainty, V.CERTAINTY))
    kind_prop = {"parent": (DHR.parentKind, V.PARENT_KIND), "sibling": (DHR.siblingKind, V.SIBLING_KIND),
                 "partner": (DHR.partnerKind, V.PARTNER_KIND)}.get(rtype)
    if kind_prop:
        _set(d, "kind", rd.concept(s, *kind_prop))
    if rtype == "partner":
        _set(d, "status", rd.concept(s, DHR.partnerStatus, V.PARTNER_STATUS))
        _set(d, "separated", rd.date(s, DHR.separated))
        _set(d, "abusive", rd.boolean(s, DHR.abusive))
    if rtype in ("relative", "associate"):
        _set(d, "label", rd.text(s, DHR.relationLabel))
    if rtype == "abuse":
        kinds = rd.ordered(s, DHR.abuseKind, DHR.abuseKindOrder)
        _set(d, "kinds", [rd.concept_value(k, V.ABUSE_KIND, s, DHR.abuseKind) for k in kinds])
    return d


def _review(rd: _Reader, review: Node) -> dict[str, Any]:
    r: dict[str, Any] = {"id": rd.ident(review)}
    _set(r, "title", rd.text(review, DCTERMS.title))
    _set(r, "commissioned_by", rd.text(review, DHR.commissionedBy))
    for key, prop in (("local_authority", DHR.localAuthority), ("police_force_area", DHR.policeForceArea)):
        area = rd.one(review, prop)
        if area is not None:
            r[key] = rd.area_name(area)
    _set(r, "chair", rd.text(review, DHR.chair))
    _set(r, "author", rd.text(review, DHR.overviewAuthor))
    _set(r, "vice_chair", rd.text(review, DHR.viceChair))
    period = rd.one(review, DHR.reviewPeriod)
    if period is not None:
        start, end = rd.interval(period)
        r["review_period"] = {k: v for k, v in (("start", start), ("end", end)) if v is not None}
    _set(r, "homicide_date", rd.date(review, DHR.homicideDate))
    _set(r, "report_date", rd.date(review, DHR.reportDate))
    _set(r, "reference", rd.text(review, DHR.reportReference))
    report = rd.one(review, DHR.report)
    if report is not None:
        _set(r, "source", rd.text(report, DHR.fileName))
    return r


def _person(rd: _Reader, s: Node) -> dict[str, Any]:
    p: dict[str, Any] = {"id": rd.ident(s)}
    _set(p, "name", rd.text(s, FOAF.name))
    _set(p, "aliases", [str(x) for x in rd.ordered(s, SCHEMA.alternateName, DHR.aliasOrder)])
    _set(p, "sex", rd.concept(s, DHR.sex, V.SEX))
    _set(p, "born", rd.date(s, DHR.born))
    _set(p, "age", rd.integer(s, DHR.age))
    _set(p, "age_months", rd.integer(s, DHR.ageMonths))
    _set(p, "died", rd.date(s, DHR.died))
    _set(p, "unborn", rd.boolean(s, DHR.unborn))
    _set(p, "ethnicity", rd.text(s, DHR.ethnicity))
    _set(p, "roles", [rd.concept_value(x, V.ROLE, s, DHR.role) for x in rd.ordered(s, DHR.role, DHR.roleOrder)])
    _set(p, "notes", rd.text(s, SKOS.note))
    _set(p, "source", rd.source(s))
    return p


def _member(rd: _Reader, m: Node) -> dict[str, Any] | str:
    """A household member: the person's id, with the dates of the membership when it has any."""
    person = rd.one(m, ORG.member)
    if person is None:
        raise RDFImportError(f"membership <{m}> has no org:member")
    start, end = rd.interval(rd.one(m, ORG.memberDuring))
    entry: dict[str, Any] = {"person": rd.ident(person)}
    _set(entry, "start", start)
    _set(entry, "end", end)
    return entry if len(entry) > 1 else entry["person"]


def _household(rd: _Reader, s: Node) -> dict[str, Any]:
    h: dict[str, Any] = {"id": rd.ident(s)}
    loc = rd.one(s, DHR.location)
    if loc is not None:
        h["location"] = rd.place(loc)
    _set(h, "members", [_member(rd, m) for m in rd.by_position(rd.g.subjects(ORG.organization, s))])
    start, end = rd.interval(rd.one(s, DHR.during))
    _set(h, "start", start)
    _set(h, "end", end)
    _set(h, "notes", rd.text(s, SKOS.note))
    _set(h, "source", rd.source(s))
    return h


def _agency(rd: _Reader, s: Node) -> dict[str, Any]:
    a: dict[str, Any] = {"id": rd.ident(s)}
    a["name"] = rd.text(s, SKOS.prefLabel) or WITHHELD
    _set(a, "abbreviation", rd.text(s, DHR.abbreviation))
    _set(a, "aliases", [str(x) for x in rd.ordered(s, SKOS.altLabel, DHR.aliasOrder)])
    a["type"] = rd.concept(s, ORG.classification, V.AGENCY_TYPE)
    served = rd.one(s, DHR.serves)
    if served is not None:
        a["police_force_area"] = rd.area_name(served)
    _set(a, "notes", rd.text(s, SKOS.note))
    return a


def _abuse(rd: _Reader, ab: Node) -> dict[str, Any]:
    abuse: dict[str, Any] = {}
    perp = rd.one(ab, DHR.perpetrator)
    if perp is not None:
        abuse["perpetrator"] = rd.ident(perp)
    listed, single = rd.listed_and_rest(ab, DHR.victim, DHR.victimOrder)
    if listed is not None:
        abuse["victims"] = [rd.ident(x) for x in listed]
    elif len(single) > 1:  # several victims without their order (e.g. a pseudonymised export)
        abuse["victims"] = sorted(rd.ident(x) for x in single)
        single = []
    if single:
        abuse["victim"] = rd.ident(single[0])
    kinds = rd.ordered(ab, DHR.abuseKind, DHR.abuseKindOrder)
    _set(abuse, "kinds", [rd.concept_value(k, V.ABUSE_KIND, ab, DHR.abuseKind) for k in kinds])
    _set(abuse, "certainty", rd.concept(ab, DHR.certainty, V.CERTAINTY))
    return abuse


def _risk(rd: _Reader, rk: Node) -> dict[str, Any]:
    risk: dict[str, Any] = {}
    _set(risk, "tool", rd.text(rk, DHR.riskTool))
    _set(risk, "level", rd.concept(rk, DHR.riskLevel, V.RISK_LEVEL))
    _set(risk, "score", rd.integer(rk, DHR.riskScore))
    _set(risk, "grade", rd.text(rk, DHR.riskGrade))
    return risk


def _event(rd: _Reader, s: Node) -> dict[str, Any]:
    e: dict[str, Any] = {"id": rd.ident(s), "date": rd.date(s, DHR.date)}
    _set(e, "until", rd.date(s, DHR.until))
    _set(e, "date_approx", rd.boolean(s, DHR.dateApproximate))
    t = rd.text(s, DHR.timeOfDay)
    if t is not None:
        e["time"] = t[:5]
    agency = rd.one(s, DHR.recordedBy)
    if agency is not None:
        e["agency"] = rd.ident(agency)
    e["type"] = rd.concept(s, DHR.eventType, V.EVENT_TYPE)
    _set(e, "persons", [rd.ident(x) for x in rd.ordered(s, DHR.involves, DHR.involvesOrder)])
    _set(e, "summary", rd.text(s, SCHEMA.description))
    for key, prop, read in (("abuse", DHR.abuse, _abuse), ("risk", DHR.risk, _risk)):
        node = rd.one(s, prop)
        if node is not None:
            e[key] = read(rd, node)
    ref = rd.one(s, DHR.referredTo)
    if ref is not None:
        e["referral_to"] = rd.ident(ref)
    _set(e, "shared_with", [rd.ident(x) for x in rd.ordered(s, DHR.sharedWith, DHR.sharedWithOrder)])
    _set(e, "other_agencies", [rd.ident(x) for x in rd.ordered(s, DHR.tookPart, DHR.tookPartOrder)])
    place = rd.one(s, DHR.place)
    if place is not None:
        e["place"] = rd.place(place)
    _set(e, "notes", rd.text(s, SKOS.note))
    _set(e, "source", rd.source(s))
    return e


def _recommendation(rd: _Reader, s: Node) -> dict[str, Any]:
    c: dict[str, Any] = {"id": rd.ident(s)}
    listed, addressed = rd.listed_and_rest(s, DHR.addressedTo, DHR.addressedToOrder)
    if listed is not None:
        c["agencies"] = [rd.ident(x) for x in listed]
    if len(addressed) == 1:
        c["agency"] = rd.ident(addressed[0])
    elif addressed:
        c["agencies"] = c.get("agencies", []) + sorted(rd.ident(x) for x in addressed)
    c["text"] = rd.text(s, SCHEMA.text) or WITHHELD
    _set(c, "scope", rd.concept(s, DHR.scope, V.SCOPE))
    _set(c, "source", rd.source(s))
    return c


def _relationships(rd: _Reader, review: Node) -> list[dict[str, Any]]:
    nodes = (s for s in rd.g.subjects(DHR.inReview, review) if rd.one(s, DHR.relationshipType) is not None)
    return [_relationship(rd, s) for s in rd.by_position(nodes)]


#: the case file's sections after the review, each with the records' class and their reader
_SECTIONS = (
    ("persons", DHR.Person, _person),
    ("relationships", None, None),
    ("households", DHR.Household, _household),
    ("agencies", DHR.Agency, _agency),
    ("events", DHR.Event, _event),
    ("recommendations", DHR.Recommendation, _recommendation),
)


def _case(rd: _Reader, review: Node) -> dict[str, Any]:
    """The case-file data of one review: its record, then each section in the model's order."""
    data: dict[str, Any] = {"format": "dhr-case/1", "review": _review(rd, review)}
    for key, cls, read in _SECTIONS:
        records = _relationships(rd, review) if cls is None else [read(rd, s) for s in rd.records(review, cls)]
        if records:
            data[key] = records
    return data


def union_graph(g: Graph) -> Graph:
    """The triples of all graphs of a dataset as one plain graph (a plain graph is returned as is)."""
    if not isinstance(g, Dataset):
        return g
    out = Graph()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for s, p, o, _ in g.quads((None, None, None, None)):
            out.add((s, p, o))
    return out


def case_data_from_rdf(g: Graph) -> list[dict[str, Any]]:
    """Plain case-file data (as ``CaseFile.to_data()`` gives) for every review in ``g``."""
    g = union_graph(g)
    rd = _Reader(g)
    reviews = sorted(set(g.subjects(RDF.type, DHR.Review)), key=str)
    return [_case(rd, r) for r in reviews]


def cases_from_rdf(g: Graph) -> list[CaseFile]:
    """One validated :class:`CaseFile` per review in ``g``."""
    from pydantic import ValidationError

    from dhrkg.model.source import SourceText
    from dhrkg.model.validate import character_problems
    from dhrkg.model.textcheck import visible

    out = []
    for data in case_data_from_rdf(g):
        bad = character_problems(SourceText(file="", data=data))
        if bad:
            raise RDFImportError(f"review {visible(str(data['review'].get('id')), 40)}: {bad[0].path}: {bad[0].message}")
        try:
            out.append(CaseFile.model_validate(data))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(x) for x in first["loc"])
            raise RDFImportError(
                f"review {visible(str(data['review']['id']), 40)}: the RDF does not make a valid case file: {where}: {first['msg']}"
                + (f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else "")
            ) from exc
    return out


__all__ = ["RDFImportError", "case_data_from_rdf", "cases_from_rdf", "read_rdf", "union_graph"]
