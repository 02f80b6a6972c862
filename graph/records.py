"""The agency records' part of the graph: its writes and reads (dhrkg.ingest.records reads the files).

``import_statements`` MERGEs on keys, so running an import again completes a cut one and doubles
nothing; ``identity_statements`` write what linkage found (``Identity`` nodes and ``SAME_AS``).
Indexes: dhrkg.graph.schema.RECORD_INDEXES. The node and relationship properties are listed in
dhrkg.ingest.records.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from dhrkg.model.model import KEY_SEPARATOR

#: Rows per statement.
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

_RECORD_PROPS = ("record_id", "source", "force_area", "forename", "surname", "name", "date_of_birth", "born_from",
                 "born_to", "born_precision", "sex", "postcode_district")
_INCIDENT_PROPS = ("id", "force_area", "date", "date_from", "date_to", "date_precision", "type", "dash_level", "outcome")
_CONTACT_PROPS = ("id", "source", "force_area", "date", "date_from", "date_to", "type")
_SAME_AS_PROPS = ("match_probability", "matched_with", "agreed", "partly", "disagreed", "missing", "explanation",
                  "decided_by")


def _set(var: str, props: Iterable[str]) -> str:
    return ", ".join(f"{var}.{p} = row.{p}" for p in props)


def batches(rows: list, size: int = BATCH) -> Iterator[list]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def import_statements(data: dict[str, list[dict[str, Any]]], contacts: bool) -> Iterator[tuple[str, dict]]:
    """(Cypher, parameters) of a records import, in order; ``data`` as dhrkg.ingest.records.read_folder gives it."""
    for batch in batches(data["records"]):
        yield f"UNWIND $rows AS row MERGE (n:Record {{key: row.key}}) SET {_set('n', _RECORD_PROPS)}", {"rows": batch}
    areas = sorted({r["area"] for r in data["incidents"] if r["area"]})
    if areas:
        yield ("UNWIND $rows AS row MERGE (a:Area {key: row.key}) "
               "ON CREATE SET a.kind = 'police_force_area', a.name = row.name",
               {"rows": [{"key": a, "name": a[4:]} for a in areas]})
    for batch in batches(data["incidents"]):
        yield (f"UNWIND $rows AS row MERGE (e:Incident {{key: row.key}}) SET {_set('e', _INCIDENT_PROPS)} "
               "WITH e, row WHERE row.area IS NOT NULL MATCH (a:Area {key: row.area}) MERGE (e)-[:LOCATED_IN]->(a)",
               {"rows": batch})
    for batch in batches(data["involved"]):
        yield ("UNWIND $rows AS row MATCH (r:Record {key: row.record}) MATCH (e:Incident {key: row.incident}) "
               "MERGE (r)-[i:INVOLVED {role: row.role}]->(e)", {"rows": batch})
    for kind, rel in KINDS:
        for batch in batches([r for r in data["relationships"] if r["kind"] == kind]):
            yield (f"UNWIND $rows AS row MATCH (a:Record {{key: row.a}}) MATCH (b:Record {{key: row.b}}) "
                   f"MERGE (a)-[x:{rel}]->(b) SET x.source = row.source", {"rows": batch})
    if contacts:
        for batch in batches(data["contacts"]):
            yield (f"UNWIND $rows AS row MERGE (c:Contact {{key: row.key}}) SET {_set('c', _CONTACT_PROPS)} "
                   "WITH c, row MATCH (r:Record {key: row.record}) MERGE (r)-[:HAD_CONTACT]->(c)",
                   {"rows": batch})


def record_facts(store: Any) -> list[list[Any]]:
    """``[record_id, key, force_area, source]`` of every record in the graph."""
    return store.query("MATCH (r:Record) RETURN r.record_id AS id, r.key AS key, r.force_area AS f, r.source AS s").rows


def clear_identities(store: Any) -> int:
    """Delete every Identity node (and so every SAME_AS), 10,000 at a time; returns how many."""
    total = 0
    while True:
        res = store.write("MATCH (i:Identity) WITH i LIMIT 10000 DETACH DELETE i RETURN count(*) AS n")
        n = int(res.rows[0][0]) if res.rows else 0
        total += n
        if n == 0:
            return total


def identity_statements(idents: list[dict], same_as: list[dict]) -> Iterator[tuple[str, dict]]:
    """(Cypher, parameters) creating Identity nodes and their SAME_AS relationships."""
    for batch in batches(idents):
        yield ("UNWIND $rows AS row CREATE (i:Identity {key: row.key}) "
               "SET i.size = row.size, i.force_areas = row.force_areas, i.sources = row.sources", {"rows": batch})
    for batch in batches(same_as):
        yield ("UNWIND $rows AS row MATCH (r:Record {key: row.record}) MATCH (i:Identity {key: row.identity}) "
               f"CREATE (r)-[s:SAME_AS]->(i) SET {_set('s', _SAME_AS_PROPS)}", {"rows": batch})
