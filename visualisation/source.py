"""Where a drawing's review comes from: a case file, or a review in the graph store.

Drawing code only ever sees a :class:`~dhrkg.model.model.CaseFile`. A
review in the store is read back into one (:func:`case_from_store`) by reversing
the mapping of ``docs/graph-schema.md``: node properties become fields (partial
dates from their ``x`` property; ``x_from``/``x_to``/``x_precision`` dropped),
flattened sub-records (``location_``, ``place_``, ``abuse_``, ``risk_``,
``review_period_``) are rebuilt, and relationships become ids. Records come back
ordered by their case-file position where the store keeps it (relationships have
``ordinal``) and by id otherwise, so the same review always draws the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from dhrkg.model import CaseFile, load_case
from dhrkg.graph.summaries import SUMMARY_PROPERTIES

CASE_SUFFIXES = (".yaml", ".yml", ".json")
_DERIVED_SUFFIXES = ("_from", "_to", "_precision")
_REL_TYPES = {
    "PARENT_OF": "parent", "SIBLING_OF": "sibling", "PARTNER_OF": "partner", "RELATIVE_OF": "relative",
    "FRIEND_OF": "friend", "CARES_FOR": "carer", "ASSOCIATE_OF": "associate", "ABUSED": "abuse",
}
_DATE_FIELDS = {"born", "died", "date", "until", "start", "end", "separated", "homicide_date", "report_date"}


class ReviewNotFound(LookupError):
    """No review with that id in the store."""


def looks_like_file(arg: str) -> bool:
    path = Path(arg)
    return path.exists() or path.suffix.lower() in CASE_SUFFIXES or "/" in arg or "\\" in arg


def load_review(arg: str, backend: Optional[str] = None, data_dir: Optional[Path] = None) -> CaseFile:
    """A case file (path) or a review read from the graph store (review id)."""
    if looks_like_file(arg):
        return load_case(Path(arg))
    from dhrkg.graph import open_store

    with open_store(backend=backend, data_dir=data_dir) as store:
        return case_from_store(store, arg)


def _props(value: Any) -> dict[str, Any]:
    if isinstance(value, dict) and "properties" in value:
        return dict(value["properties"])
    return dict(value or {})


def _fields(props: dict[str, Any], drop: tuple[str, ...] = ()) -> dict[str, Any]:
    """Node or relationship properties as case-file fields (derived date properties dropped)."""
    out: dict[str, Any] = {}
    for key, value in props.items():
        if key in ("key", "review", "ordinal", "format") or key in drop or key in SUMMARY_PROPERTIES:
            continue
        base = next((key[: -len(s)] for s in _DERIVED_SUFFIXES if key.endswith(s)), None)
        if base is not None and base in props:
            continue  # x_from / x_to / x_precision of a date x
        out[key] = value
    return out


def _unflatten(fields: dict[str, Any], prefix: str, name: str) -> None:
    sub = {k[len(prefix):]: fields.pop(k) for k in sorted(fields) if k.startswith(prefix)}
    if sub:
        fields[name] = sub


def case_from_store(store: Any, review_id: str) -> CaseFile:
    """Read one review back from the graph store as a CaseFile."""
    params = {"r": review_id}
    rows = store.query("MATCH (r:Review {id: $r}) RETURN r", params).rows
    if not rows:
        known = ", ".join(store.reviews()[:10]) if hasattr(store, "reviews") else ""
        raise ReviewNotFound(f"no review '{review_id}' in the graph store" + (f" (reviews: {known})" if known else ""))
    review = _fields(_props(rows[0][0]))
    review.pop("source", None)
    _unflatten(review, "review_period_", "review_period")
    report = store.query("MATCH (s:Source {review: $r, id: 'report'}) RETURN s.file", params).rows
    if report and report[0][0]:
        review["source"] = report[0][0]

    persons = [
        _fields(_props(row[0]))
        for row in store.query("MATCH (p:Person {review: $r}) RETURN p ORDER BY p.id", params).rows
    ]

    rels = []
    q = ("MATCH (a:Person {review: $r})-[x]->(b:Person {review: $r}) "
         "RETURN a.id, b.id, type(x), x ORDER BY x.ordinal")
    for a, b, rtype, x in store.query(q, params).rows:
        if rtype not in _REL_TYPES:
            continue
        rec = {"type": _REL_TYPES[rtype], "from": a, "to": b}
        rec.update(_fields(_props(x)))
        rels.append((_props(x).get("ordinal", 0), rec))
    rels.sort(key=lambda t: t[0])

    households = {}
    for (h,) in store.query("MATCH (h:Household {review: $r}) RETURN h ORDER BY h.id", params).rows:
        rec = _fields(_props(h))
        _unflatten(rec, "location_", "location")
        rec["members"] = []
        households[rec["id"]] = rec
    q = ("MATCH (p:Person {review: $r})-[m:MEMBER_OF]->(h:Household {review: $r}) "
         "RETURN h.id, p.id, m ORDER BY h.id, coalesce(m.ordinal, 0), p.id")
    for hid, pid, m in store.query(q, params).rows:
        member = {"person": pid}
        member.update({k: v for k, v in _fields(_props(m)).items() if k in ("start", "end")})
        households[hid]["members"].append(member if len(member) > 1 else pid)

    agencies = [
        _fields(_props(row[0]))
        for row in store.query("MATCH (a:Agency {review: $r}) RETURN a ORDER BY a.id", params).rows
    ]

    events = {}
    for (e,) in store.query("MATCH (e:Event {review: $r}) RETURN e", params).rows:
        rec = _fields(_props(e))
        _unflatten(rec, "place_", "place")
        _unflatten(rec, "risk_", "risk")
        _unflatten(rec, "abuse_", "abuse")
        events[rec["id"]] = rec
    for eid, aid, rtype in store.query(
        "MATCH (e:Event {review: $r})-[x]->(a:Agency) RETURN e.id, a.id, type(x) ORDER BY e.id, a.id", params
    ).rows:
        rec = events[eid]
        if rtype == "RECORDED_BY":
            rec["agency"] = aid
        elif rtype == "REFERRED_TO":
            rec["referral_to"] = aid
        elif rtype == "SHARED_WITH":
            rec.setdefault("shared_with", []).append(aid)
        elif rtype == "TOOK_PART":
            rec.setdefault("other_agencies", []).append(aid)
    for eid, pid, x in store.query(
        "MATCH (p:Person {review: $r})-[x:INVOLVED]->(e:Event {review: $r}) RETURN e.id, p.id, x ORDER BY e.id, p.id",
        params,
    ).rows:
        rec = events[eid]
        props = _props(x)
        role = props.get("role", "subject")
        if props.get("listed", role == "subject"):
            rec.setdefault("persons", []).append(pid)
        if role in ("perpetrator", "victim"):
            abuse = rec.setdefault("abuse", {})
            if role == "perpetrator":
                abuse["perpetrator"] = pid
            else:
                abuse.setdefault("victims", []).append(pid)
    for rec in events.values():
        abuse = rec.get("abuse")
        if abuse and len(abuse.get("victims", [])) == 1:
            abuse["victim"] = abuse.pop("victims")[0]
    ordered_events = sorted(events.values(), key=lambda r: (str(r.get("date", "")), r["id"]))

    recommendations = {}
    for (x,) in store.query("MATCH (x:Recommendation {review: $r}) RETURN x ORDER BY x.id", params).rows:
        rec = _fields(_props(x))
        recommendations[rec["id"]] = rec
    for xid, aid in store.query("MATCH (x:Recommendation {review: $r})-[:ADDRESSED_TO]->(a:Agency) "
                                "RETURN x.id, a.id ORDER BY x.id, a.id", params).rows:
        recommendations[xid].setdefault("agencies", []).append(aid)

    data = {
        "format": "dhr-case/1",
        "review": review,
        "persons": persons,
        "relationships": [rec for _, rec in rels],
        "households": list(households.values()),
        "agencies": agencies,
        "events": ordered_events,
        "recommendations": list(recommendations.values()),
    }
    return CaseFile.model_validate(data)
