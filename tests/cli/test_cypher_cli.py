"""`dhrkg queries`, `dhrkg run` and `dhrkg cypher` on a real FalkorDB and a real Neo4j: output
formats, parameter errors, FalkorDB's limits explained before sending, and every way to write
refused on both engines with the graph shown unchanged."""

from __future__ import annotations

import csv
import io
import json
import textwrap

import pytest
from support.cli_env import point_cli_at
from typer.testing import CliRunner

from dhrkg.cli import app
from support.queries import SYNTHETIC

runner = CliRunner()
R = "syn-partners"


@pytest.fixture
def loaded(store, monkeypatch, tmp_path):
    """The store holding the synthetic reviews, and the environment that points the CLI at it."""
    from dhrkg.model import load_case

    for f in SYNTHETIC:
        store.load_case(load_case(f))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # no personal query folders
    monkeypatch.delenv("DHRKG_QUERIES_DIR", raising=False)
    point_cli_at(store, monkeypatch)
    return store


def cli(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


# --------------------------------------------------------------------------- dhrkg queries


def test_queries_lists_every_query_with_its_question(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    res = cli("queries", "--json")
    assert res.exit_code == 0
    listed = {q["name"]: q for q in json.loads(res.stdout)["queries"]}
    assert {"prior-partners", "cross-area-history", "find-path", "review-summary"} <= set(listed)
    assert listed["prior-partners"]["usage"] == ("dhrkg run prior-partners PERSON [--param include_current=false] "
                                                 "[--param before=...]")
    assert listed["prior-partners"]["period"].startswith("Before the homicide")
    table = cli("queries")
    assert table.exit_code == 0 and "prior-partners" in table.stdout and "previous partners" in table.stdout


def test_queries_shows_one_in_full(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    res = cli("queries", "escalation")
    assert res.exit_code == 0
    for text in ("Question:", "Period: Before the homicide", "Usage: dhrkg run escalation REVIEW", "types (list of string)",
                 "mean_gap_days", "MATCH (r:Review"):
        assert text in res.stdout
    assert cli("queries", "nonesuch").exit_code == 1


def test_queries_check_reports_broken_user_files(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    ok = cli("queries", "--check")
    assert ok.exit_code == 0, ok.stderr
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "bad-regex.cypher").write_text(textwrap.dedent("""\
        // name: bad-regex
        // title: Names like
        // question: Who has a name like this?
        // parameters:
        //   pattern: {type: string, positional: true}
        // columns: [person]
        MATCH (p:Person) WHERE p.name =~ $pattern RETURN p.key AS person
    """))
    (folder / "no-header.cypher").write_text("MATCH (n) RETURN n\n")
    res = cli("queries", "--check", "--queries-dir", str(folder))
    assert res.exit_code == 1
    problems = " ".join(res.stderr.split())  # a problem wider than 80 columns: on two lines
    assert "bad-regex.cypher:7:" in problems and "regex-match" in problems
    assert "no-header.cypher:1: no header" in problems


# --------------------------------------------------------------------------- dhrkg run


def test_run_formats(loaded):
    as_json = cli("run", "prior-partners", f"{R}/P", "--format", "json")
    assert as_json.exit_code == 0, as_json.stderr
    rows = json.loads(as_json.stdout)
    assert [r["partner"] for r in rows] == [f"{R}/X", f"{R}/Y"]
    assert rows[0]["events"][0]["source"] == "5.1"
    as_csv = cli("run", "prior-partners", f"{R}/P", "-f", "csv")
    table = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r["partner"] for r in table] == [f"{R}/X", f"{R}/Y"]
    assert json.loads(table[0]["events"])[0]["id"] == "e1"  # lists and maps are JSON in a cell
    as_table = cli("run", "prior-partners", f"{R}/P")
    assert as_table.exit_code == 0 and "Xena" in as_table.stdout and "2 rows" in as_table.stdout


def test_run_named_and_positional_parameters(loaded):
    res = cli("run", "risk-not-shared", "--param", "days=5", "-p", f"review={R}", "-f", "json")
    assert [r["event"] for r in json.loads(res.stdout)] == ["e2", "e6"]
    res = cli("run", "connecting-network", f"{R}/V", f"{R}/X", f"{R}/C2", "-f", "json")
    assert res.exit_code == 0 and json.loads(res.stdout)
    res = cli("run", "escalation", R, "--param", "types=incident", "--param", "types=homicide", "-f", "json")
    assert res.exit_code == 0  # a repeated list parameter


def test_run_says_when_the_row_limit_left_rows_out(loaded):
    """find-person's limit: the first rows in every format, and a note on stderr (80 columns)
    only when more match."""
    everyone = json.loads(cli("run", "find-person", "a", "--param", "limit=0", "-f", "json").stdout)
    assert len(everyone) > 3
    for fmt in ("json", "csv", "table"):
        res = cli("run", "find-person", "a", "--param", "limit=3", "-f", fmt)
        assert res.exit_code == 0, res.stderr
        assert "find-person: the first 3 rows only; more match." in res.stderr
        assert "--param limit=0" in res.stderr
        assert all(len(line) <= 80 for line in res.stderr.splitlines())
    shown = json.loads(cli("run", "find-person", "a", "--param", "limit=3", "-f", "json").stdout)
    assert shown == everyone[:3]
    whole = cli("run", "find-person", "a", "--param", f"limit={len(everyone)}", "-f", "json")
    assert json.loads(whole.stdout) == everyone and "more match" not in whole.stderr


@pytest.mark.parametrize("args,message", [
    (["prior-partners"], "needs parameter person"),
    (["prior-partners", "P"], "expected a person key '<review>/<id>'"),
    (["prior-partners", f"{R}/Nobody"], "no person 'syn-partners/Nobody' in the graph. Person ids in review syn-partners: C1, C2, P, V, X, Y, Z"),
    (["risk-not-shared", "-p", "days=soon"], "parameter days: expected a whole number, got 'soon'"),
    (["risk-not-shared", "-p", "min_level=severe"], "'severe' is not one of low, standard, medium, high"),
    (["nonesuch"], "no query named 'nonesuch'"),
    (["review-summary", "no-such-review"], "no review 'no-such-review' in the graph. Loaded reviews: syn-other, syn-partners"),
])
def test_run_reports_bad_parameters(loaded, args, message):
    res = cli("run", *args)
    assert res.exit_code == 1
    assert message in " ".join(res.stderr.split())  # wrapped at 80 columns


def test_run_a_user_query(loaded, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "partners-of.cypher").write_text(textwrap.dedent("""\
        // name: partners-of
        // title: Partners
        // question: Who were this person's partners?
        // parameters:
        //   person: {type: person, positional: true}
        // columns: [partner]
        MATCH (:Person {key: $person})-[:PARTNER_OF]-(x:Person) RETURN x.key AS partner ORDER BY partner
    """))
    res = cli("run", "partners-of", f"{R}/P", "--queries-dir", str(folder), "-f", "json")
    assert res.exit_code == 0, res.stderr
    assert [r["partner"] for r in json.loads(res.stdout)] == [f"{R}/V", f"{R}/X"]


# --------------------------------------------------------------------------- dhrkg cypher


def test_cypher_reads_with_bound_parameters(loaded, tmp_path):
    q = "MATCH (p:Person {review: $r}) WHERE p.name STARTS WITH $start RETURN p.key AS key ORDER BY key"
    res = cli("cypher", q, "--param", f"r={R}", "--param", "start=X", "-f", "json")
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout) == [{"key": f"{R}/X"}]
    # a value that looks like a number stays text when asked
    res = cli("cypher", "RETURN $v AS v, $n AS n", "--param", "v:string=007", "--param", "n=7", "-f", "json")
    assert json.loads(res.stdout) == [{"v": "007", "n": 7}]
    # a query file; a canned-query header is skipped
    f = tmp_path / "q.cypher"
    f.write_text("// name: x\n// title: t\n// question: q?\n// columns: [n]\nMATCH (e:Event {review: $r}) RETURN count(e) AS n\n")
    res = cli("cypher", "--file", str(f), "-p", f"r={R}", "-f", "csv")
    assert res.stdout.splitlines() == ["n", "14"]
    # injection through a parameter is just a value
    res = cli("cypher", "MATCH (p:Person {key: $k}) RETURN p.key", "-p", "k=x'}) DETACH DELETE p //", "-f", "json")
    assert res.exit_code == 0 and json.loads(res.stdout) == []


def test_cypher_usage_errors(loaded):
    assert cli("cypher").exit_code == 2
    res = cli("cypher", "RETURN 1", "--param", "novalue")
    assert res.exit_code == 1 and "expected name=value" in res.stderr
    res = cli("cypher", "MATCH (n) RETURN n LIMIT 1", "--timeout", "nope")
    assert res.exit_code == 2


FALKORDB_LIMITS = [
    ("MATCH (p:Person) WHERE p.name =~ 'X.*' RETURN p.key", "FalkorDB does not support =~"),
    ("MATCH (p:Person) WHERE EXISTS { (p)-[:PARTNER_OF]-() } RETURN p.key", "FalkorDB does not support EXISTS { } subqueries: use a pattern predicate"),
    ("MATCH (p:Person) RETURN p.key, COUNT { (p)-[:INVOLVED]->() } AS n", "COUNT { } subqueries"),
    ("MATCH (a:Person {key: 'x'}), (b:Person {key: 'y'}) MATCH p = shortestPath((a)-[*]-(b)) RETURN p", "only supports shortestPath() in WITH or RETURN"),
    ("MATCH (n:Person|Agency) RETURN count(n)", "label expressions"),
    ("RETURN datetime() AS now", "no datetime() function"),
    ("MATCH (p:Person) WHERE exists((p)-[:PARTNER_OF]->()) RETURN p.key", "returns true from exists((a)-[:R]->())"),
    ("MATCH (p:Person) OPTIONAL MATCH (p)-[:MEMBER_OF]->(h) MATCH (h)-[:LOCATED_IN]->(a) RETURN a", "needs a WITH between an OPTIONAL MATCH"),
]


@pytest.mark.parametrize("query,message", FALKORDB_LIMITS, ids=[m.split(":")[0][:30] for _, m in FALKORDB_LIMITS])
def test_cypher_explains_falkordb_limits_before_sending(loaded, query, message):
    res = cli("cypher", query)
    if loaded.backend == "falkordb":
        assert res.exit_code == 1
        assert message in " ".join(res.stderr.split()) and "not sent" in res.stderr  # 80 columns
    else:
        # Neo4j runs these (or fails for its own reasons, never with FalkorDB's explanation)
        assert "not sent" not in res.stderr


def test_cypher_engine_errors_are_explained(loaded):
    res = cli("cypher", "RETURN apoc.text.join(['a', 'b'], ',') AS s")
    assert res.exit_code == 1 and f"the {loaded.backend} engine refused the query" in res.stderr
    if loaded.backend == "falkordb":
        assert "APOC is a Neo4j plug-in" in res.stderr


# --------------------------------------------------------------------------- writes are refused


WRITES = [
    "CREATE (n)",
    "create (n:Leak {x: 1})",
    "MERGE (n:Person {key: 'syn-partners/P'}) SET n.name = 'changed'",
    "MATCH (p:Person {key: 'syn-partners/P'}) SET p.name = 'changed'",
    "MATCH (p:Person {key: 'syn-partners/P'}) SET p:Leak",
    "MATCH (p:Person {key: 'syn-partners/Z'}) DELETE p",
    "MATCH (p:Person {key: 'syn-partners/P'}) DETACH DELETE p",
    "MATCH (p:Person {key: 'syn-partners/P'}) REMOVE p.name",
    "MATCH (p:Person) CALL { WITH p SET p.flag = true } RETURN count(*)",
    "MATCH (p:Person) FOREACH (x IN [1] | SET p.flag = true)",
    "LOAD CSV FROM 'file:///etc/hostname' AS row CREATE (:Leak {line: row[0]})",
    "LOAD CSV WITH HEADERS FROM 'https://example.org/x.csv' AS row RETURN row",
    "UNWIND range(1, 3) AS i CALL { WITH i CREATE (:Leak {i: i}) } IN TRANSACTIONS OF 1 ROWS",
    "CALL db.createLabel('Leak')",
    "CALL apoc.create.node(['Leak'], {x: 1}) YIELD node RETURN node",
    "CALL db.idx.fulltext.createNodeIndex('Person', 'name')",
    "CREATE INDEX FOR (n:Leak) ON (n.x)",
    "DROP INDEX ON :Person(key)",
    "MATCH (a:Person {key: 'syn-partners/P'}), (b:Person {key: 'syn-partners/Z'}) CREATE (a)-[:LEAK]->(b)",
    "/* hidden */ MATCH (p:Person) // comment\n SET p.name = 'x'",
]


def snapshot(store) -> tuple:
    """Everything a write could change, read straight from the engine."""
    nodes = store.query("MATCH (n) RETURN count(n) AS n").rows
    rels = store.query("MATCH ()-[r]->() RETURN count(r) AS n").rows
    labels = sorted(r[0] for r in store.query("CALL db.labels()").rows)
    people = store.query("MATCH (p:Person) RETURN p.key, p.name, p.flag, labels(p) ORDER BY p.key").rows
    indexes = len(store.query("CALL db.indexes()").rows) if store.backend == "falkordb" else \
        len(store.query("SHOW INDEXES YIELD name RETURN name").rows)
    return nodes, rels, labels, people, indexes


def test_every_way_to_write_is_refused_and_nothing_is_written(loaded):
    from dhrkg.graph import WriteNotAllowed

    before = snapshot(loaded)
    assert before[0][0][0] > 0
    for q in WRITES:
        res = cli("cypher", q)
        assert res.exit_code == 1, q
        assert "not allowed" in " ".join(res.stderr.split()), (q, res.stderr)
        with pytest.raises(WriteNotAllowed):
            loaded.query(q)
    assert snapshot(loaded) == before
    # reading words that look like writes is fine
    ok = cli("cypher", "MATCH (p:Person {key: 'syn-partners/P'}) RETURN 'CREATE (n)' AS s, p.key AS `set`", "-f", "json")
    assert ok.exit_code == 0 and json.loads(ok.stdout) == [{"s": "CREATE (n)", "set": "syn-partners/P"}]


def test_the_engine_itself_refuses_writes(loaded):
    """The second lock: sent past the check (the store's private read path), each write is
    refused by the engine's read-only mode (or fails) and nothing changes."""
    before = snapshot(loaded)
    refused = 0
    for q in WRITES:
        try:
            loaded._read(q, {}, None)
        except Exception:
            refused += 1
    assert snapshot(loaded) == before
    assert refused >= len(WRITES) - 1  # (Neo4j may parse "LOAD CSV ... RETURN row" and fail to fetch instead)
