"""The agency records' part of the graph: its writes and reads (dhrkg.ingest.records reads the files).

Every write here is a scoped replacement through :meth:`Store.replace` (dhrkg.graph.load):

- a records import is a run of batches (:func:`import_batches`), each ONE replacement of a set
  of keys (:func:`dhrkg.graph.load.key_scope`): the Record, Incident or Contact nodes with
  those keys are MERGEd and set whole, and their relationships of the kinds the import writes
  are replaced; other relationships (SAME_AS from linkage) stay. Records come first (their
  nodes only), then their relationships to each other (each batch replaces those starting at
  its records), then incidents and contacts (each with every relationship it has of the kinds
  the import writes), so every end exists when a relationship is written, and each batch takes
  away only what it writes again. A cut import leaves whole batches; running it again
  replaces the same keys, doubling nothing.
- the identities linkage found (:func:`identity_graph_rows`) replace every Identity node and its
  SAME_AS relationships in one replacement (:func:`dhrkg.graph.load.label_scope`).

Indexes: dhrkg.graph.schema.RECORD_INDEXES. The node and relationship properties are listed in
dhrkg.ingest.records.
"""

from __future__ import annotations

from typing import Any, Iterator, Optional

from dhrkg.model.model import KEY_SEPARATOR

from .load import Scope, chunks, key_scope, label_scope
from .schema import GraphRows

#: Rows per batch (one replacement).
BATCH = 5000
#: Key prefixes of the linked records' nodes that belong to no review: ``incident/<id>``,
#: ``contact/<id>``, ``ID-<record id>`` (a Record's key is ``<source>/<record id>``). The makers
#: below are the one place these keys are made; dhrkg.api.scope reads the prefixes to keep
#: them from a chair.
INCIDENT, CONTACT, IDENTITY = "incident", "contact", "ID-"
OUTSIDE_REVIEWS = (INCIDENT, CONTACT)


def linked_record_key(source: str, record_id: str) -> str:
    return f"{source}{KEY_SEPARATOR}{record_id}"


def incident_key(incident_id: str) -> str:
    return f"{INCIDENT}{KEY_SEPARATOR}{incident_id}"


def contact_key(contact_id: str) -> str:
    return f"{CONTACT}{KEY_SEPARATOR}{contact_id}"


def identity_key(root_record_id: str) -> str:
    """An Identity's key: named after the record at the root of its group."""
    return f"{IDENTITY}{root_record_id}"


#: Relationship types of the records' ``relationships.csv`` kinds.
KINDS = (("partner", "PARTNER_OF"), ("parent", "PARENT_OF"))

_RECORD_PROPS = ("key", "record_id", "source", "force_area", "forename", "surname", "name", "date_of_birth",
                 "born_from", "born_to", "born_precision", "sex", "postcode_district")
_INCIDENT_PROPS = ("key", "id", "force_area", "date", "date_from", "date_to", "date_precision", "type",
                   "dash_level", "outcome")
_CONTACT_PROPS = ("key", "id", "source", "force_area", "date", "date_from", "date_to", "type")
#: What each batch kind replaces: its label and the relationship types of its nodes it writes.
RECORD_RELATIONSHIPS = tuple(rel for _, rel in KINDS)
INCIDENT_RELATIONSHIPS = ("INVOLVED", "LOCATED_IN")
CONTACT_RELATIONSHIPS = ("HAD_CONTACT",)
#: The review name of the rows (records belong to no review).
ROWS_NAME = "(agency records)"


def batches(rows: list, size: Optional[int] = None) -> Iterator[list]:
    return chunks(rows, size or BATCH)


def _props(row: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: row[name] for name in names if row.get(name) is not None}


def import_batches(data: dict[str, list[dict[str, Any]]], contacts: bool) -> Iterator[tuple[GraphRows, Scope]]:
    """(rows, scope) of each replacement of a records import, in order; ``data`` as
    dhrkg.ingest.records.read_folder gives it."""
    yield from _record_batches(data)
    yield from _relationship_batches(data)
    yield from _incident_batches(data)
    if contacts:
        yield from _contact_batches(data)


def _record_batches(data: dict[str, list[dict[str, Any]]]) -> Iterator[tuple[GraphRows, Scope]]:
    for batch in batches(data["records"]):
        rows = GraphRows(ROWS_NAME, nodes={"Record": [_props(r, _RECORD_PROPS) for r in batch]})
        yield rows, key_scope("Record", [r["key"] for r in batch])


def _relationship_batches(data: dict[str, list[dict[str, Any]]]) -> Iterator[tuple[GraphRows, Scope]]:
    """Relationships between records, with the batch of the record they start at."""
    starting: dict[str, list[dict[str, Any]]] = {}
    for rel in data["relationships"]:
        starting.setdefault(rel["a"], []).append(rel)
    for keys in batches(list(starting)):
        rows = GraphRows(ROWS_NAME)
        for kind, rtype in KINDS:
            rows.edges[(rtype, "Record", "Record")] = [
                {"from": rel["a"], "to": rel["b"], "props": _props(rel, ("source",))}
                for key in keys for rel in starting[key] if rel["kind"] == kind]
        yield rows, key_scope("Record", keys, RECORD_RELATIONSHIPS, outgoing=True)


def _incident_batches(data: dict[str, list[dict[str, Any]]]) -> Iterator[tuple[GraphRows, Scope]]:
    involved: dict[str, list[dict[str, Any]]] = {}
    for row in data["involved"]:
        involved.setdefault(row["incident"], []).append(row)
    for batch in batches(data["incidents"]):
        rows = GraphRows(ROWS_NAME, nodes={"Incident": [_props(r, _INCIDENT_PROPS) for r in batch]})
        rows.areas = {r["area"]: {"key": r["area"], "kind": "police_force_area", "name": r["area"][4:]}
                      for r in batch if r["area"]}
        rows.edges[("LOCATED_IN", "Incident", "Area")] = [
            {"from": r["key"], "to": r["area"], "props": {}} for r in batch if r["area"]]
        pairs = dict.fromkeys((i["record"], i["incident"], i["role"]) for r in batch for i in involved.get(r["key"], []))
        rows.edges[("INVOLVED", "Record", "Incident")] = [
            {"from": record, "to": incident, "props": {"role": role}} for record, incident, role in pairs]
        yield rows, key_scope("Incident", [r["key"] for r in batch], INCIDENT_RELATIONSHIPS)


def _contact_batches(data: dict[str, list[dict[str, Any]]]) -> Iterator[tuple[GraphRows, Scope]]:
    for batch in batches(data["contacts"]):
        rows = GraphRows(ROWS_NAME, nodes={"Contact": [_props(r, _CONTACT_PROPS) for r in batch]})
        rows.edges[("HAD_CONTACT", "Record", "Contact")] = [
            {"from": r["record"], "to": r["key"], "props": {}} for r in batch]
        yield rows, key_scope("Contact", [r["key"] for r in batch], CONTACT_RELATIONSHIPS)


def record_facts(store: Any) -> list[list[Any]]:
    """``[record_id, key, force_area, source]`` of every record in the graph."""
    return store.query("MATCH (r:Record) RETURN r.record_id AS id, r.key AS key, r.force_area AS f, r.source AS s").rows


#: What linkage replaces: every Identity node, and so every SAME_AS.
IDENTITY_SCOPE = label_scope("Identity")


def identity_graph_rows(idents: list[dict], same_as: list[dict]) -> GraphRows:
    """Identity nodes and their SAME_AS relationships (``identity``/``record`` name the ends) as
    rows for :meth:`Store.replace` within :data:`IDENTITY_SCOPE`."""
    rows = GraphRows(ROWS_NAME, nodes={"Identity": [_props(i, ("key", "size", "force_areas", "sources"))
                                                    for i in idents]})
    rows.edges[("SAME_AS", "Record", "Identity")] = [
        {"from": s["record"], "to": s["identity"],
         "props": {k: v for k, v in s.items() if k not in ("record", "identity") and v is not None}}
        for s in same_as]
    return rows
