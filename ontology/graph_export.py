"""RDF export straight from the graph store, streaming, with paged reads.

Each review is read label by label in pages of ``page_size`` records (ordered by
the unique ``key``; relationships by their ``ordinal``), turned
back into case-file records and written by the same :class:`ReviewEmitter` as
an export from case files, so memory holds one page (and the review's persons,
whose names the pseudonymised export needs) whatever the size of the graph.

What the graph does not keep cannot be exported: the order of records in the
file (records come out in key order) and of lists such as an event's persons
(sorted), and the difference between ``victim``/``victims`` and
``agency``/``agencies``. Reviews imported from the DHRD (``dataset: dhrd``)
come with their dataset as the source, their flags as Home Office themes,
their region, and their persons' age bands and vulnerabilities.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, Optional, TextIO

from dhrkg.model.model import (
    Agency, Event, EventAbuse, Household, Member, Person, Place, Recommendation, Review, Risk,
)

from .export import ExportOptions, ExportReport, RDFWriter, ReviewEmitter, SourceDocument
from .ntriples import Triple

PAGE_SIZE = 1000
_REL_TYPES = {"PARENT_OF": "parent", "SIBLING_OF": "sibling", "PARTNER_OF": "partner", "RELATIVE_OF": "relative",
              "FRIEND_OF": "friend", "CARES_FOR": "carer", "ASSOCIATE_OF": "associate", "ABUSED": "abuse"}
_REL_FIELDS = {"start", "end", "notes", "source", "certainty", "kind", "status", "separated", "abusive", "label", "kinds"}
DHRD_SOURCE = SourceDocument(
    iri="https://doi.org/10.5281/zenodo.21108268",
    title="The Domestic Homicide Review Dataset (DHRD) for England and Wales (Cook and Cook 2026)",
    identifier="doi:10.5281/zenodo.21108268",
    csp_area=lambda name: _dhrd_csp(name),
)


def _dhrd_csp(name: str) -> str:
    from dhrkg.ingest.dhrd import csp_area_name

    return csp_area_name(name)


def _props(value: Any) -> dict[str, Any]:
    """Node or relationship properties from a store result value."""
    if isinstance(value, dict) and "properties" in value:
        return dict(value["properties"])
    return dict(value or {})


def _pick(props: dict[str, Any], *names: str, prefix: str = "") -> dict[str, Any]:
    return {n: props[prefix + n] for n in names if props.get(prefix + n) not in (None, [])}


def _place(props: dict[str, Any], prefix: str) -> Optional[Place]:
    fields = _pick(props, "town", "local_authority", "police_force_area", "country", prefix=prefix)
    return Place(**fields) if fields else None


class GraphReader:
    """Paged reads of one review's records from a store."""

    def __init__(self, store: Any, page_size: int = PAGE_SIZE):
        self.store = store
        self.page_size = page_size

    def pages(self, cypher: str, params: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
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

    def records(self, cypher: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        for page in self.pages(cypher, params):
            yield from page

    # ----- one query per label ----------------------------------------------------

    def review(self, review_id: str) -> dict[str, Any]:
        rows = self.store.query("MATCH (r:Review {id: $r}) RETURN r", {"r": review_id}).rows
        if not rows:
            raise KeyError(f"no review {review_id!r} in the graph")
        return _props(rows[0][0])

    def persons(self, review_id: str) -> Iterator[dict[str, Any]]:
        yield from self.records(
            "MATCH (p:Person {review: $r}) "
            "RETURN p.key AS key, p AS node ORDER BY p.key SKIP $skip LIMIT $limit", {"r": review_id})

    def relationships(self, review_id: str) -> Iterator[dict[str, Any]]:
        yield from self.records(
            "MATCH (a:Person {review: $r})-[x]->(b:Person {review: $r}) WHERE type(x) IN $types "
            "RETURN type(x) AS type, a.id AS from, b.id AS to, x AS rel "
            "ORDER BY x.ordinal, type(x), a.key, b.key SKIP $skip LIMIT $limit",
            {"r": review_id, "types": list(_REL_TYPES)})

    def households(self, review_id: str) -> Iterator[dict[str, Any]]:
        yield from self.records(
            "MATCH (h:Household {review: $r}) WITH h ORDER BY h.key SKIP $skip LIMIT $limit "
            "RETURN h.key AS key, h AS node, "
            "[(p:Person)-[m:MEMBER_OF]->(h) | {person: p.id, start: m.start, end: m.end}] AS members",
            {"r": review_id})

    def agencies(self, review_id: str) -> Iterator[dict[str, Any]]:
        yield from self.records(
            "MATCH (a:Agency {review: $r}) "
            "RETURN a.key AS key, a AS node ORDER BY a.key SKIP $skip LIMIT $limit", {"r": review_id})

    def events(self, review_id: str) -> Iterator[dict[str, Any]]:
        yield from self.records(
            "MATCH (e:Event {review: $r}) WITH e ORDER BY e.key SKIP $skip LIMIT $limit "
            "RETURN e.key AS key, e AS node, "
            # one variable name per comprehension: FalkorDB gives wrong lists when they share one
            "[(p:Person)-[i:INVOLVED]->(e) | {person: p.id, role: i.role, listed: i.listed}] AS involved, "
            "[(e)-[:RECORDED_BY]->(a1:Agency) | a1.id] AS agency, "
            "[(e)-[:REFERRED_TO]->(a2:Agency) | a2.id] AS referral, "
            "[(e)-[:SHARED_WITH]->(a3:Agency) | a3.id] AS shared, "
            "[(e)-[:TOOK_PART]->(a4:Agency) | a4.id] AS took_part",
            {"r": review_id})

    def recommendations(self, review_id: str) -> Iterator[dict[str, Any]]:
        yield from self.records(
            "MATCH (c:Recommendation {review: $r}) WITH c ORDER BY c.key SKIP $skip LIMIT $limit "
            "RETURN c.key AS key, c AS node, [(c)-[:ADDRESSED_TO]->(a:Agency) | a.id] AS agencies",
            {"r": review_id})


# ----- graph records -> case-file records -------------------------------------------


def review_model(props: dict[str, Any]) -> Review:
    data = _pick(props, "id", "title", "commissioned_by", "local_authority", "police_force_area", "chair",
                 "author", "vice_chair", "homicide_date", "report_date", "reference", "source")
    period = _pick(props, "start", "end", prefix="review_period_")
    if period:
        data["review_period"] = period
    return Review(**data)


def person_model(props: dict[str, Any]) -> Person:
    return Person(**_pick(props, "id", "name", "aliases", "sex", "born", "age", "age_months", "died", "unborn",
                          "ethnicity", "roles", "notes", "source"))


def relationship_model(row: dict[str, Any]) -> Any:
    from pydantic import TypeAdapter

    from dhrkg.model.model import Relationship

    props = _props(row["rel"])
    data = {"type": _REL_TYPES[row["type"]], "from": row["from"], "to": row["to"],
            **{k: v for k, v in props.items() if k in _REL_FIELDS and v not in (None, [])}}
    return TypeAdapter(Relationship).validate_python(data)


def household_model(row: dict[str, Any]) -> Household:
    props = _props(row["node"])
    members = sorted((m for m in row["members"] if m), key=lambda m: (m["person"], m.get("start") or "", m.get("end") or ""))
    data = _pick(props, "id", "start", "end", "notes", "source")
    data["members"] = [Member(**{k: v for k, v in m.items() if v is not None}) for m in members]
    place = _place(props, "location_")
    if place is not None:
        data["location"] = place
    return Household(**data)


def agency_model(props: dict[str, Any]) -> Agency:
    return Agency(**_pick(props, "id", "name", "abbreviation", "aliases", "type", "police_force_area", "notes"))


def event_model(row: dict[str, Any]) -> Event:
    props = _props(row["node"])
    data = _pick(props, "id", "date", "until", "date_approx", "time", "type", "summary", "notes", "source")
    involved = [i for i in row["involved"] if i]
    data["persons"] = sorted(i["person"] for i in involved if i.get("listed") or i.get("role") == "subject")
    perpetrators = sorted(i["person"] for i in involved if i.get("role") == "perpetrator")
    victims = sorted(i["person"] for i in involved if i.get("role") == "victim")
    abuse = _pick(props, "kinds", "certainty", prefix="abuse_")
    if perpetrators or victims or abuse:
        ab: dict[str, Any] = dict(abuse)
        if perpetrators:
            ab["perpetrator"] = perpetrators[0]
        if len(victims) == 1:
            ab["victim"] = victims[0]
        elif victims:
            ab["victims"] = victims
        data["abuse"] = EventAbuse(**ab)
    risk = _pick(props, "tool", "level", "score", "grade", prefix="risk_")
    if risk:
        data["risk"] = Risk(**risk)
    if row["agency"]:
        data["agency"] = row["agency"][0]
    if row["referral"]:
        data["referral_to"] = row["referral"][0]
    data["shared_with"] = sorted(row["shared"])
    data["other_agencies"] = sorted(row["took_part"])
    place = _place(props, "place_")
    if place is not None:
        data["place"] = place
    return Event(**data)


def recommendation_model(row: dict[str, Any]) -> Recommendation:
    props = _props(row["node"])
    data = _pick(props, "id", "text", "scope", "source")
    agencies = sorted(set(row["agencies"]))
    if len(agencies) == 1:
        data["agency"] = agencies[0]
    elif agencies:
        data["agencies"] = agencies
    return Recommendation(**data)


# ----- export ----------------------------------------------------------------------


def review_triples(reader: GraphReader, review_id: str, opts: ExportOptions,
                   report: ExportReport) -> tuple[str, Iterator[Triple]]:
    """(graph term, triples) of one review read from the store page by page."""
    rprops = reader.review(review_id)
    review = review_model(rprops)
    person_props = [_props(row["node"]) for row in reader.persons(review_id)]
    persons = [person_model(p) for p in person_props]
    dhrd = rprops.get("dataset") == "dhrd"
    em = ReviewEmitter(review, persons, opts, report, source=DHRD_SOURCE if dhrd else None)

    def triples() -> Iterator[Triple]:
        yield from em.header()
        yield from em.review(themes=rprops.get("flags") or [], region=rprops.get("region"))
        for i, (p, props) in enumerate(zip(persons, person_props), start=1):
            vulns = [("vulnerability", v) for v in props.get("vulnerabilities") or []] + \
                    [("mental-health", v) for v in props.get("mental_health") or []]
            band = props.get("age_band")
            band = "65-plus" if band == "65+" else band
            yield from em.person_record(i, p, band=band, vulnerabilities=vulns)
        for i, row in enumerate(reader.relationships(review_id), start=1):
            yield from em.relationship_record(i, relationship_model(row))
        for i, row in enumerate(reader.households(review_id), start=1):
            yield from em.household_record(i, household_model(row))
        for i, row in enumerate(reader.agencies(review_id), start=1):
            yield from em.agency_record(i, agency_model(_props(row["node"])))
        for i, row in enumerate(reader.events(review_id), start=1):
            yield from em.event_record(i, event_model(row))
        for i, row in enumerate(reader.recommendations(review_id), start=1):
            yield from em.recommendation_record(i, recommendation_model(row))

    return em.graph, em.checked(triples())


def export_graph(store: Any, out: TextIO, fmt: str, opts: ExportOptions, review: str | None = None,
                 reviews: Iterable[str] | None = None, page_size: int = PAGE_SIZE) -> ExportReport:
    """Write every review in the store (or ``review``, or the ids in ``reviews``) as RDF."""
    report = ExportReport(fmt, pseudonymised=opts.pseudonymise)
    writer = RDFWriter(out, fmt)
    reader = GraphReader(store, page_size)
    ids = [review] if review is not None else (list(reviews) if reviews is not None else store.reviews())
    for rid in ids:
        graph, triples = review_triples(reader, rid, opts, report)
        writer.write_review(triples, graph)
        report.reviews += 1
    writer.close()
    report.triples = writer.triples
    return report
