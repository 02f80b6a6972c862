"""A query naming a label, relationship type or property the graph does not have (`Persn`,
`nmae`) gets a warning naming the closest known names, instead of 0 rows and no word. On
both engines, through the CLI (dhrkg cypher, and dhrkg run with a query of the user's)."""

from __future__ import annotations

from pathlib import Path

from dhrkg.graph.names import names_used
from dhrkg.model import load_case

from support.cli_env import dhrkg

CASE = Path(__file__).resolve().parents[1] / "fixtures" / "queries" / "syn-partners.yaml"
TYPOS = "MATCH (p:Persn)-[:PARTNR_OF]-(q:Person) WHERE p.nmae = 'Pat' RETURN q.key AS partner"


def test_names_read_from_the_cypher():
    used = names_used("MATCH (p:Persn {nmae: 'x'})-[r:PARTNER_OF|ABUSD]-(q) "
                      "WITH p, q, {id: q.id, gap: 1} AS m RETURN p.born_from, m.gap, duration({days: 3}), 'a.b', q.`odd`")
    assert used == {"label": {"Persn"}, "relationship type": {"PARTNER_OF", "ABUSD"},
                    "property": {"nmae", "id", "born_from"}}  # not a map's key, a string or a function's


def test_cypher_with_typos_warns_with_the_closest_names(store, env):
    store.load_case(load_case(CASE))
    r = dhrkg(["cypher", TYPOS], env)
    assert r.exit_code == 0, r.output
    assert "0 rows" in r.stdout
    warnings = r.stderr.splitlines()
    # the closest name first (a Neo4j shared by other tests also knows their names, e.g. 'marker')
    assert any(w.startswith("warning: the graph has no label 'Persn'; did you mean Person") for w in warnings)
    assert any(w.startswith("warning: the graph has no property 'nmae'; did you mean name") for w in warnings)
    assert any("'PARTNR_OF'; did you mean PARTNER_OF" in w for w in warnings)
    assert all(len(w) <= 80 for w in warnings)
    fixed = TYPOS.replace("Persn", "Person").replace("PARTNR_OF", "PARTNER_OF").replace("nmae", "name")
    r = dhrkg(["cypher", fixed], env)
    assert r.exit_code == 0 and r.stderr == "" and "syn-partners/V" in r.stdout


def test_a_users_canned_query_with_a_typo_warns(store, env, tmp_path):
    store.load_case(load_case(CASE))
    (tmp_path / "partners-of.cypher").write_text(
        "// name: partners-of\n// title: Partners\n// question: Who?\n// columns:\n//   partner: key\n" + TYPOS + "\n")
    r = dhrkg(["run", "partners-of", "--queries-dir", tmp_path], env)
    assert r.exit_code == 0, r.output
    assert any(w.startswith("warning: the graph has no label 'Persn'; did you mean Person")
               for w in r.stderr.splitlines())
