"""The linked-* queries (records resolved into identities by dhrkg link) answer the same rows,
lists included, however the graph was written: their lists are sorted (records by record id,
incidents by date then id, areas and record ids by name), not in the order the engine meets
them, which follows internal ids on FalkorDB and the planner on Neo4j. And every incident
between two people is listed, also those with no DASH level (FalkorDB compares two maps that
hold a null as null, which used to drop all but the first)."""

from __future__ import annotations

from support.queries import run

#: (record id, name, force area)
RECORDS = [("A1", "Ann", "West"), ("A2", "Anne", "East"), ("B1", "Bob", "West"), ("B2", "Rob", "East"),
           ("B3", "Bobby", "North"), ("C1", "Cy", "West"), ("P1", "Pat", "East"),
           ("K1", "Kid", "West"), ("K2", "Kiddo", "East")]
SAME_AS = [("A1", "id/a"), ("A2", "id/a"), ("B1", "id/b"), ("B2", "id/b"), ("B3", "id/b"), ("K1", "id/k"), ("K2", "id/k")]
PARTNER_OF = [("A1", "B1"), ("A2", "B2"), ("A1", "C1")]
PARENT_OF = [("A1", "K1"), ("A2", "K2"), ("P1", "K2"), ("C1", "K1")]
#: (incident id, date, force area, victim, suspect); no DASH level
INCIDENTS = [("I1", "2019-01-01", "West", "A1", "B1"), ("I2", "2018-05-01", "East", "A2", "B2"),
             ("I3", "2020-02-02", "North", "A2", "B3"), ("I4", "2017-01-01", "West", "A1", "C1")]

CALLS = [("linked-prior-partners", ["A1"], {}), ("linked-prior-partners", ["B2"], {}),
         ("linked-children-across-households", ["A2"], {}),
         ("linked-serial-perpetrators", [], {"min_victims": "1", "min_force_areas": "1"})]


def write(store, backwards: bool) -> None:
    """The records, identities, links and incidents, in the order given or backwards."""
    order = (lambda xs: list(reversed(xs))) if backwards else list
    for rid, name, area in order(RECORDS):
        store._write("CREATE (:Record {key: $k, record_id: $k, name: $n, force_area: $a})", {"k": rid, "n": name, "a": area})
    for key in order(sorted({i for _, i in SAME_AS})):
        store._write("CREATE (:Identity {key: $k})", {"k": key})
    for rid, key in order(SAME_AS):
        store._write("MATCH (r:Record {key: $r}), (i:Identity {key: $i}) CREATE (r)-[:SAME_AS]->(i)", {"r": rid, "i": key})
    for kind, pairs in (("PARTNER_OF", PARTNER_OF), ("PARENT_OF", PARENT_OF)):
        for a, b in order(pairs):
            store._write(f"MATCH (a:Record {{key: $a}}), (b:Record {{key: $b}}) CREATE (a)-[:{kind}]->(b)", {"a": a, "b": b})
    for iid, date, area, victim, suspect in order(INCIDENTS):
        store._write("MATCH (v:Record {key: $v}), (s:Record {key: $s}) "
                     "CREATE (v)-[:INVOLVED {role: 'victim'}]->(:Incident {key: $k, id: $k, date: $d, force_area: $a, "
                     "type: 'domestic'})<-[:INVOLVED {role: 'suspect'}]-(s)",
                     {"k": iid, "d": date, "a": area, "v": victim, "s": suspect})


def answers(store) -> list:
    return [run(store, name, *args, **named).rows for name, args, named in CALLS]


def test_the_same_rows_whatever_order_the_graph_was_written_in(store):
    write(store, backwards=False)
    forwards = answers(store)
    store.clear()  # FalkorDB then reuses the internal ids, in the other order
    write(store, backwards=True)
    assert answers(store) == forwards


def test_lists_are_sorted_and_every_incident_is_listed(store):
    write(store, backwards=True)
    [a1_c1, a1_b] = run(store, "linked-prior-partners", "A1").records()
    assert (a1_b["partner"], a1_b["partner_records"], a1_b["force_areas"]) == ("id/b", ["B1", "B2", "B3"],
                                                                                ["West", "East", "North"])
    assert a1_b["via_records"] == ["A1", "A2"]
    [b2_a] = run(store, "linked-prior-partners", "B2").records()
    assert b2_a["via_records"] == ["B1", "B2", "B3"]
    assert [i["id"] for i in b2_a["incidents"]] == ["I2", "I1", "I3"]  # by date; none has a DASH level
    [child] = run(store, "linked-children-across-households", "A2").records()
    assert (child["child_records"], child["other_parent"], child["other_parent_records"], child["via_records"]) == \
        (["K1", "K2"], "C1", ["C1", "P1"], ["A1", "A2"])
    serial = {r["suspect"]: r for r in run(store, "linked-serial-perpetrators", min_victims="1", min_force_areas="1").records()}
    assert (serial["id/b"]["suspect_records"], serial["id/b"]["force_areas"]) == (["B1", "B2", "B3"], ["East", "North", "West"])
