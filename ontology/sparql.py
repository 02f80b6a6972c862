"""SPARQL versions of canned graph queries, run on an export loaded into pyoxigraph.

The queries live in ``ontology/queries/*.rq`` and return flat rows; the
functions here group them into the columns the Cypher queries of
``graph/queries`` return (lists in the same order), so the two can be
compared answer for answer.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from dhrkg.model.dates import PartialDate
from dhrkg.model.homicide import first_day_after, is_dated_before

from .vocab import DATA_BASE, iri_segment


def load_store(path: str, fmt: str | None = None):
    """A pyoxigraph store holding an export file (any format the export writes)."""
    import pyoxigraph as ox

    formats = {"nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS, "ttl": ox.RdfFormat.TURTLE,
               "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}
    fmt = fmt or str(path).rsplit(".", 1)[-1]
    store = ox.Store()
    store.bulk_load(path=str(path), format=formats[fmt])
    return store


def query_text(name: str) -> str:
    return (resources.files("dhrkg.ontology") / "queries" / f"{name}.rq").read_text(encoding="utf-8")


def person_iri(key: str, base: str = DATA_BASE) -> str:
    """The IRI of a person of a (not pseudonymised) export from its key ``<review>/<id>``."""
    review, _, local = key.partition("/")
    return f"{base}review/{iri_segment(review)}/person/{iri_segment(local)}"


def review_iri(review_id: str, base: str = DATA_BASE) -> str:
    return f"{base}review/{iri_segment(review_id)}"


def bind(text: str, **params: Any) -> str:
    """The query with each ``$name`` replaced by the SPARQL term for ``params[name]``.

    Values are IRIs (``IRI`` strings), booleans, integers or strings; IRIs are checked and
    strings escaped, so a parameter cannot change the query.
    """
    import re

    from .ntriples import checked_iri, literal

    def term(name: str) -> str:
        value = params[name]
        if isinstance(value, IRI):
            return checked_iri(str(value))
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value)
        return literal(str(value))

    missing = sorted(set(re.findall(r"\$([A-Za-z_]\w*)", text)) - set(params))
    if missing:
        raise KeyError(f"query parameters not given: {', '.join(missing)}")
    return re.sub(r"\$([A-Za-z_]\w*)", lambda m: term(m.group(1)), text)


class IRI(str):
    """A query parameter that is an IRI."""


def _rows(store, name: str, **params: Any) -> list[dict[str, Any]]:
    result = store.query(bind(query_text(name), **params), use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    out = []
    for sol in result:
        out.append({n: (None if sol[n] is None else sol[n].value) for n in names})
    return out


_HOMICIDE_DAYS = """
PREFIX dhr: <https://w3id.org/dhrkg/ontology#>
SELECT ?date ?event WHERE {
  { $review dhr:homicideDate ?date }
  UNION { ?event dhr:inReview $review ; dhr:eventType <https://w3id.org/dhrkg/ontology/event-type/homicide> ;
                 dhr:date ?date }
  UNION { ?event dhr:inReview $review ; dhr:role <https://w3id.org/dhrkg/ontology/role/victim> ;
                 dhr:died ?date }
}"""


def homicide_bound(store, person_key: str, before: str | None = None, base: str = DATA_BASE):
    """The first day no longer "before the homicide" of the person's review, read from the export
    (the rule of dhrkg.model.homicide, as the Cypher queries apply it: the review's homicide date,
    its homicide events and its victims' deaths); ``before`` moves it."""
    review = IRI(review_iri(person_key.partition("/")[0], base))
    result = store.query(bind(_HOMICIDE_DAYS, review=review), use_default_graph_as_union=True)
    review_date, event_dates = None, []
    for sol in result:
        date = PartialDate.parse(sol["date"].value)
        if sol["event"] is None:
            review_date = date
        else:
            event_dates.append(date)  # a homicide event's date, or a victim's death
    return first_day_after(review_date, event_dates, before)


def _before(event: dict[str, Any], bound) -> bool:
    return is_dated_before(PartialDate.parse(event["date"]), event["type"], bound)


def _event(row: dict[str, Any], area_column: str) -> dict[str, Any]:
    """An event column entry of the Cypher queries, from a flat SPARQL row."""
    return {"id": row["event_id"], "date": row["date"], "type": row["type"], "agency": row["agency"],
            "force_area": row[area_column], "source": row["event_source"]}


def _in_date_order(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(_dedupe(events), key=lambda e: (_date_key(e["date"]), e["id"]))


def _date_key(text: str | None) -> Any:
    return PartialDate.parse(text).earliest if text else None


def _dedupe(items: list) -> list:
    seen, out = set(), []
    for x in items:
        k = repr(x)
        if k not in seen:
            seen.add(k)
            out.append(x)
    return out


def prior_partners(store, person_key: str, include_current: bool = False, before: str | None = None,
                   base: str = DATA_BASE) -> list[dict[str, Any]]:
    """Rows as the Cypher query's; events before the homicide of the person's review (``before``
    moves the bound, as ``--param before=`` does)."""
    rows = _rows(store, "prior-partners", person=IRI(person_iri(person_key, base)),
                 include_current=include_current)
    bound = homicide_bound(store, person_key, before, base)
    review = person_key.partition("/")[0]
    by_partner: dict[str, dict[str, Any]] = {}
    for r in rows:
        key = f"{r['review_id']}/{r['partner_id']}"
        p = by_partner.setdefault(key, {
            "partner": key, "name": r["name"], "basis": r["basis"], "shared_children": set(),
            "events": [], "review_force_area": r["review_area"],
        })
        if r["shared_child_id"]:
            p["shared_children"].add(f"{review}/{r['shared_child_id']}")
        if r["event_id"] and _before(r, bound):
            p["events"].append(_event(r, "force_area"))
    out = []
    for key in sorted(by_partner):
        p = by_partner[key]
        events = p["events"] = _in_date_order(p["events"])
        p["shared_children"] = sorted(p["shared_children"])
        p["agencies"] = _dedupe([e["agency"] for e in events if e["agency"] is not None])
        p["force_areas"] = _dedupe([e["force_area"] for e in events if e["force_area"] is not None])
        p["nothing_in_review_area"] = bool(events) and p["review_force_area"] not in p["force_areas"]
        out.append(p)
    return out


def children_across_households(store, person_key: str, before: str | None = None,
                               base: str = DATA_BASE) -> list[dict[str, Any]]:
    """Rows as the Cypher query's; events before the homicide of the parent's review."""
    rows = _rows(store, "children-across-households", person=IRI(person_iri(person_key, base)))
    bound = homicide_bound(store, person_key, before, base)
    review = person_key.partition("/")[0]
    by_child: dict[str, dict[str, Any]] = {}
    for r in rows:
        key = f"{review}/{r['child_id']}"
        c = by_child.setdefault(key, {"child": key, "name": r["name"], "born": r["born"],
                                      "other_parents": set(), "households": [], "events": []})
        if r["other_parent_id"]:
            c["other_parents"].add(f"{review}/{r['other_parent_id']}")
        if r["household_id"]:
            c["households"].append({"id": r["household_id"], "force_area": r["household_area"]})
        if r["event_id"] and _before(r, bound):
            c["events"].append(_event(r, "event_area"))
    out = []
    for key in sorted(by_child):
        c = by_child[key]
        c["other_parents"] = sorted(c["other_parents"])
        events = c["events"] = _in_date_order(c["events"])
        c["agencies"] = _dedupe([e["agency"] for e in events])
        c["force_areas"] = _dedupe([h["force_area"] for h in c["households"] if h["force_area"]]
                                   + [e["force_area"] for e in events if e["force_area"]])
        out.append(c)
    return out


def review_chronology(store, review_id: str, base: str = DATA_BASE) -> list[dict[str, Any]]:
    rows = _rows(store, "review-chronology", review=IRI(review_iri(review_id, base)))
    by_event: dict[str, dict[str, Any]] = {}
    for r in rows:
        e = by_event.setdefault(r["event"], {
            "date": r["date"], "event": r["event"], "type": r["type"], "agency": r["agency"],
            "persons": set(), "summary": r["summary"], "source": r["source"]})
        if r["person"]:
            e["persons"].add(r["person"])
    out = sorted(by_event.values(), key=lambda e: (_date_key(e["date"]), e["event"]))
    for e in out:
        e["persons"] = sorted(e["persons"])
    return out
