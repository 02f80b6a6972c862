"""The Cypher lint: every shipped Cypher string passes; every bad construct is caught by the
right rule; the constructs it calls broken really are broken on FalkorDB."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from dhrkg.graph import lint

REPO = Path(__file__).resolve().parents[2]

# (rule, snippet). Each snippet must be flagged by its rule.
BAD = [
    ("exists-pattern", "MATCH (a:Person) WHERE exists((a)-[:PARTNER_OF]->()) RETURN a.key"),
    ("exists-pattern", "MATCH (a:Person) RETURN a.key, EXISTS ( (a)<-[:PARENT_OF]-(:Person) ) AS has_parent"),
    ("exists-property", "MATCH (a:Person) WHERE exists(a.born) RETURN a.key"),
    ("shortestpath-in-match", "MATCH (a:Person {key: $a}), (b:Person {key: $b}) MATCH p = shortestPath((a)-[*..6]->(b)) RETURN p"),
    ("shortestpath-undirected", "MATCH (a:Person {key: $a}), (b:Person {key: $b}) RETURN shortestPath((a)-[*..6]-(b)) AS p"),
    ("allshortestpaths-outside-match", "MATCH (a:Person {key: $a}), (b:Person {key: $b}) RETURN allShortestPaths((a)-[*..6]->(b)) AS p"),
    ("exists-subquery", "MATCH (a:Person) WHERE EXISTS { MATCH (a)-[:INVOLVED]->(:Event) } RETURN a.key"),
    ("exists-subquery", "MATCH (a:Person) WHERE NOT exists {(a)-[:INVOLVED]->()} RETURN a.key"),
    ("count-subquery", "MATCH (a:Person) RETURN a.key, COUNT { (a)-[:INVOLVED]->() } AS n"),
    ("collect-subquery", "MATCH (a:Person) RETURN a.key, COLLECT { MATCH (a)-[:INVOLVED]->(e) RETURN e.id } AS ids"),
    ("call-in-transactions", "UNWIND range(1, 10) AS i CALL { WITH i CREATE (:N {i: i}) } IN TRANSACTIONS OF 5 ROWS"),
    ("call-in-transactions", "MATCH (n:Tmp) CALL { WITH n DETACH DELETE n } IN 2 CONCURRENT TRANSACTIONS"),
    ("call-scope", "MATCH (a:Person) CALL (a) { MATCH (a)-[:INVOLVED]->(e) RETURN count(e) AS n } RETURN a.key, n"),
    ("label-expression", "MATCH (n:Person|Agency) RETURN n.key"),
    ("label-expression", "MATCH (n:Person&Review) RETURN n.key"),
    ("label-expression", "MATCH (n:!Person) RETURN n.key"),
    ("label-expression", "MATCH (n) WHERE n:Person|Agency RETURN n.key"),
    ("regex-match", "MATCH (a:Person) WHERE a.name =~ '(?i)the perp.*' RETURN a.key"),
    ("datetime-function", "RETURN datetime() AS now"),
    ("datetime-function", "MATCH (e:Event) WHERE e.date_from < datetime('2014-03-16T00:00:00') RETURN e.id"),
    ("duration-between", "MATCH (e:Event) RETURN duration.between(date(e.date_from), date('2014-03-16')) AS gap"),
    ("duration-between", "MATCH (e:Event) RETURN duration.inDays(date(e.date_from), date('2014-03-16')).days AS gap"),
    ("temporal-truncate", "MATCH (e:Event) RETURN date.truncate('quarter', date(e.date_from)) AS q"),
    ("date-subtraction", "MATCH (e:Event) RETURN date('2014-03-16') - date(e.date_from) AS gap"),
    ("month-arithmetic", "MATCH (r:Review) RETURN date(r.homicide_date_from) - duration({months: 12}) AS since"),
    ("month-arithmetic", "RETURN date('2011-01-31') + duration({years: 1, days: 2}) AS d"),
    ("limit-after-write", "UNWIND [1, 2, 3] AS v CREATE (a:Tmp {v: v}) RETURN a LIMIT 1"),
    ("limit-after-write", "MATCH (a:Tmp) SET a.seen = true WITH a LIMIT 2 RETURN a"),
    ("match-after-optional-match", "MATCH (a:Person {key: $a}) OPTIONAL MATCH (a)-[:MEMBER_OF]->(h) MATCH (a)-[:INVOLVED]->(e) RETURN h, e"),
    ("match-after-optional-match", "MATCH (a:Person) OPTIONAL MATCH (a)-[:MEMBER_OF]->(h) WHERE h.id = 'x' MATCH (h)-[:LOCATED_IN]->(ar) RETURN ar"),
    ("create-index-if-not-exists", "CREATE INDEX person_key IF NOT EXISTS FOR (n:Person) ON (n.key)"),
    ("create-index-if-not-exists", "CREATE RANGE INDEX IF NOT EXISTS FOR (n:Event) ON (n.date_from)"),
    ("create-index-if-not-exists", "CREATE CONSTRAINT person_key FOR (n:Person) REQUIRE n.key IS UNIQUE"),
    ("quantified-path", "MATCH (a:Person {key: $a}) ((x)-[:PARENT_OF]->(y)){1,3} (b) RETURN b.key"),
    ("quantified-path", "MATCH p = ANY SHORTEST (a:Person {key: $a})-[:PARTNER_OF]-+(b:Person) RETURN p"),
    ("quantified-path", "MATCH (a:Person {key: $a})-[:PARENT_OF]->{2}(b) RETURN b.key"),
    ("unreferenced-intermediate", "MATCH (c:Person {key: $a})-[:INVOLVED]->(:Event)-[:RECORDED_BY]->(ag:Agency) RETURN ag.name, count(*) AS n"),
    ("unreferenced-intermediate", "MATCH (c:Person {key: $a})-[:INVOLVED]->(e:Event)-[:RECORDED_BY]->(ag:Agency) RETURN ag.name AS agency"),
    ("optional-match-chain", "MATCH (c:Person {key: $a}) OPTIONAL MATCH (c)-[:INVOLVED]->(e:Event)-[:RECORDED_BY]->(ag:Agency) RETURN e.id, ag.name"),
    ("relationship-reuse", "MATCH (p:Person {key: $a})-[:INVOLVED]->(e:Event)<-[:INVOLVED]-(x:Person) RETURN x.key, e.id"),
    ("relationship-reuse", "MATCH (s:Person {key: $a}) RETURN [(s)<-[:PARENT_OF]-(:Person)-[:PARENT_OF]->(sib:Person) | sib.key] AS siblings"),
    ("relationship-reuse", "MATCH (a:Person {key: $a})-->(m)<--(b) RETURN b.key, m.key"),
    ("comprehension-variable-clash", "MATCH (h:Household {key: $a}) RETURN [(h)-[:LOCATED_IN]->(a:Area) WHERE a.kind = 'town' | a.name] AS towns, [(h)-[:LOCATED_IN]->(a:Area) WHERE a.kind = 'police_force_area' | a.name] AS areas"),
    ("comprehension-variable-clash", "MATCH (e:Event {key: $a}) RETURN coalesce(head([(e)-[:LOCATED_IN]->(a:Area) | a.name]), head([(e)-[:RECORDED_BY]->(:Agency)-[:SERVES]->(a:Area) | a.name])) AS area"),
    ("pattern-in-list-comprehension", "MATCH (p:Person {key: $a}) WITH [(p)-[:INVOLVED]->(e:Event) | e] AS evs RETURN [x IN evs | head([(x)-[:RECORDED_BY]->(ag:Agency) | ag.name])] AS agencies"),
    ("pattern-in-list-comprehension", "MATCH (p:Person {key: $a}) WITH [(p)-[:INVOLVED]->(e:Event) | e] AS evs RETURN any(x IN evs WHERE (x)-[:RECORDED_BY]->(:Agency)) AS recorded"),
    ("pattern-in-list-comprehension", "MATCH (p:Person {key: $a}) WITH [(p)-[:INVOLVED]->(e:Event) | e] AS evs RETURN reduce(n = 0, x IN evs | n + size([(x)<-[:INVOLVED]-(o:Person) | o])) AS n"),
    ("sum-is-float", "MATCH (e:Event) RETURN sum(CASE WHEN e.type = 'incident' THEN 1 ELSE 0 END) AS incidents"),
    ("internal-id", "MATCH (a:Person) WHERE id(a) = 12 RETURN a.key"),
    ("internal-id", "MATCH (a:Person) RETURN elementId(a)"),
]

# Snippets that look close to a rule but are fine on both engines.
GOOD = [
    "MATCH (a:Person) WHERE (a)-[:PARTNER_OF]->() RETURN a.key",
    "MATCH (a:Person) WHERE NOT (a)-[:PARTNER_OF]-() RETURN a.key",
    "MATCH (a:Person) WHERE a.born IS NOT NULL RETURN a.key",
    "MATCH (a:Person {key: $a}), (b:Person {key: $b}) RETURN shortestPath((a)-[*..6]->(b)) AS p",
    "MATCH (a:Person {key: $a}), (b:Person {key: $b}) WITH a, b MATCH p = allShortestPaths((a)-[:PARTNER_OF|PARENT_OF*..6]-(b)) RETURN p",
    "MATCH (a:Person) CALL { WITH a MATCH (a)-[r:INVOLVED]->() RETURN count(r) AS n } RETURN a.key, n",
    "MATCH (a)-[:PARTNER_OF|PARENT_OF]->(b) RETURN a.key, b.key",
    "MATCH (a)-[:PARTNER_OF|:PARENT_OF]->(b) RETURN a.key, b.key",
    "MATCH (a:Person) WHERE a:Person OR a:Agency RETURN a.key",
    "MATCH (a:Person) WHERE a.name = '=~ datetime() EXISTS {' RETURN a.key",
    "MATCH (a:Person) // EXISTS { } in a comment\nRETURN a.key",
    "MATCH (a:Person) /* a =~ b */ RETURN a.key",
    "MATCH (a:Person) WHERE toLower(a.name) CONTAINS toLower($text) RETURN a.key",
    "MATCH (e:Event) WHERE e.date_from >= $from RETURN left(e.date_from, 7) AS month, count(e) AS n",
    "RETURN date('2011-10-01') + duration({days: 30}) AS later",
    "MATCH (a:Person {key: $a}) OPTIONAL MATCH (a)-[:MEMBER_OF]->(h) WITH a, h MATCH (a)-[:INVOLVED]->(e) RETURN h, e",
    "MATCH (a:Person {key: $a}) OPTIONAL MATCH (a)-[:MEMBER_OF]->(h) OPTIONAL MATCH (a)-[:INVOLVED]->(e) RETURN h, e",
    "MATCH (a:Person) WHERE a.name STARTS WITH 'S' MATCH (a)-[:INVOLVED]->(e) RETURN e.id",
    "MATCH (a:Person) RETURN [n IN collect(a) WHERE n:Person | n.key] AS keys",
    "MATCH (a:Person) RETURN a {.key, .name, roles: a.roles} AS person ORDER BY a.key LIMIT 10",
    "UNWIND $rows AS row MERGE (p:Person {key: row.key}) SET p += row.props",
    "MATCH (a:Person) WITH a LIMIT 10 SET a.flag = true",
    "CREATE INDEX FOR (n:Person) ON (n.key)",
    "MATCH (a:Person) WHERE a.id IN $ids RETURN a.key, a.review",
    "MATCH (a:Person {key: $a}) RETURN [(a)-[:PARENT_OF]->(c) | c.key] AS children",
    "MATCH (a:Person) RETURN size([(a)-[r:INVOLVED]->() | r]) AS n",
    "MATCH (n) WHERE n.review = $r RETURN {labels: labels(n), id: n.id} AS node",
    "MATCH (c:Person {key: $a})-[:INVOLVED]->(e:Event)-[:RECORDED_BY]->(ag:Agency) RETURN ag.name, count(e) AS n",
    "MATCH pa = (c:Person {key: $a})-[:INVOLVED]->(:Event)-[:RECORDED_BY]->(ag:Agency) RETURN ag.name, count(pa) AS n",
    "MATCH (c:Person {key: $a}), (ag:Agency {key: $b}) OPTIONAL MATCH (c)-[:INVOLVED]->(e:Event)-[:RECORDED_BY]->(ag) RETURN count(e) AS n",
    "MATCH (c:Person {key: $a}) OPTIONAL MATCH (c)-[:INVOLVED]->(e:Event) OPTIONAL MATCH (e)-[:RECORDED_BY]->(ag:Agency) RETURN e.id, ag.name",
    "MATCH (p:Person {key: $a})-[:INVOLVED]->(e:Event)<-[:INVOLVED]-(x:Person) WHERE x <> p RETURN x.key, e.id",
    "MATCH (p:Person {key: $a})-[r1:INVOLVED]->(e:Event)<-[r2:INVOLVED]-(x:Person) WHERE r1 <> r2 RETURN x.key, e.id",
    "MATCH (s:Person {key: $a}) RETURN [(s)<-[:PARENT_OF]-(:Person)-[:PARENT_OF]->(sib:Person) WHERE sib <> s | sib.key] AS siblings",
    "MATCH (p:Person {key: $a})-[:PARENT_OF]->(c:Person)-[:PARENT_OF]->(g:Person) RETURN c.key, g.key",
    "MATCH (p:Person {key: $a})-[:PARTNER_OF]-(x:Person)-[:PARENT_OF]->(c:Person) RETURN x.key, c.key",
    "MATCH (c:Person {key: $a})-[:INVOLVED]->(:Event)-[:RECORDED_BY]->(ag:Agency) WITH DISTINCT c, ag RETURN ag.name",
    "MATCH (h:Household {key: $a}) RETURN [(h)-[:LOCATED_IN]->(a:Area) WHERE a.kind = 'town' | a.name] AS towns, [(h)-[:LOCATED_IN]->(b:Area) WHERE b.kind = 'police_force_area' | b.name] AS areas",
    "MATCH (h:Household {key: $a}) WITH h, [(h)-[:LOCATED_IN]->(a:Area) | a.name] AS x RETURN x, [(h)-[:LOCATED_IN]->(a:Area) | a.kind] AS y",
    "MATCH (h:Household {key: $a}) RETURN [(h)-[:LOCATED_IN]->(a:Area) | a.name] AS names, [a IN [1, 2] WHERE a > 1 | a] AS nums",
    "MATCH (p:Person {key: $a}) WITH [(p)-[:INVOLVED]->(e:Event) | e] AS evs UNWIND evs AS x RETURN x.id, [(x)-[:RECORDED_BY]->(ag:Agency) | ag.name] AS agencies",
    "MATCH (p:Person {key: $a}) RETURN reduce(acc = [], e IN [(p)-[:INVOLVED]->(x:Event) | x] | acc + e.id) AS ids",
]


@pytest.mark.parametrize("rule,snippet", BAD, ids=[f"{r}-{i}" for i, (r, _) in enumerate(BAD)])
def test_bad_snippet_is_flagged_by_its_rule(rule, snippet):
    codes = {f.rule.code for f in lint.lint_cypher(snippet)}
    assert rule in codes, f"{snippet!r} gave {sorted(codes)}"


@pytest.mark.parametrize("snippet", GOOD)
def test_good_snippet_passes(snippet):
    assert lint.lint_cypher(snippet) == []


def test_every_rule_has_a_bad_example():
    assert {r for r, _ in BAD} == set(lint.RULES)


def test_finding_points_at_line_and_column():
    text = "MATCH (a:Person)\nWHERE a.name =~ 'x'\nRETURN a"
    (f,) = lint.lint_cypher(text, "q.cypher")
    assert (f.origin, f.line, f.column, f.rule.code) == ("q.cypher", 2, 14, "regex-match")
    assert "q.cypher:2:14" in str(f) and "CONTAINS" in str(f)


def test_allow_pragma_on_the_line_or_above():
    assert lint.lint_cypher("MATCH (a) WHERE a.n =~ 'x' RETURN a // lint: allow regex-match") == []
    assert lint.lint_cypher("// lint: allow regex-match\nMATCH (a) WHERE a.n =~ 'x' RETURN a") == []
    assert lint.lint_cypher("// lint: allow exists-pattern\nMATCH (a) WHERE a.n =~ 'x' RETURN a") != []


def test_engine_specific_rules():
    neo_only = "MATCH (a:Person) WHERE EXISTS { (a)-->() } RETURN a"
    assert lint.lint_cypher(neo_only, engines=("neo4j",)) == []
    assert lint.lint_cypher(neo_only, engines=("falkordb",)) != []
    prop = "MATCH (a) WHERE exists(a.x) RETURN a"
    assert lint.lint_cypher(prop, engines=("falkordb",)) == []
    assert [f.rule.code for f in lint.lint_cypher(prop, engines=("neo4j",))] == ["exists-property"]


def test_files_by_engine(tmp_path):
    q = "MATCH (a:Person) WHERE EXISTS { (a)-->() } RETURN a\n"
    (tmp_path / "x.neo4j.cypher").write_text(q)
    (tmp_path / "x.falkordb.cypher").write_text(q)
    (tmp_path / "x.cypher").write_text(q)
    found = {Path(f.origin).name for f in lint.lint_paths([tmp_path])}
    assert found == {"x.falkordb.cypher", "x.cypher"}


def test_python_string_literals(tmp_path):
    src = textwrap.dedent('''
        """Module docstring mentioning MATCH (a) WHERE a =~ 'x' RETURN a is prose."""
        GOOD = "MATCH (a:Person {key: $k}) RETURN a"
        BAD = (
            "MATCH (a:Person) "
            "WHERE a.name =~ $pattern RETURN a"
        )
        def f(label):
            return f"MATCH (n:{label}) WHERE exists((n)-[:R]->()) RETURN n"
        ALLOWED = "MATCH (a) WHERE a.n =~ 'x' RETURN a"  # cypher-lint: allow regex-match
        PROSE = "Match the person and return them"
    ''')
    p = tmp_path / "mod.py"
    p.write_text(src)
    findings = lint.lint_file(p)
    got = sorted((f.line, f.rule.code) for f in findings)
    assert got == [(5, "regex-match"), (9, "exists-pattern")]


def test_python_engine_named_functions(tmp_path):
    p = tmp_path / "mod.py"
    p.write_text(textwrap.dedent('''
        def neo4j_schema(label):
            return f"CREATE INDEX i IF NOT EXISTS FOR (n:{label}) ON (n.key)"
        class FalkorDBThing:
            def q(self):
                return "MATCH (a) WHERE exists(a.x) RETURN a"
        def portable(label):
            return f"CREATE INDEX i IF NOT EXISTS FOR (n:{label}) ON (n.key)"
    '''))
    assert [(f.line, f.rule.code) for f in lint.lint_file(p)] == [(8, "create-index-if-not-exists")]


def test_python_skip_file(tmp_path):
    p = tmp_path / "mod.py"
    p.write_text("# cypher-lint: skip-file\nX = \"MATCH (a) WHERE a =~ 'x' RETURN a\"\n")
    assert lint.lint_file(p) == []


def test_shipped_cypher_passes_the_lint():
    files = lint.shipped_files(REPO)
    cypher_files = [f for f in files if f.suffix == ".cypher"]
    assert len(cypher_files) >= 25, "the canned queries should be among the shipped files"
    assert any(f.name == "canned.py" for f in files)
    findings = lint.lint_paths(files, root=REPO)
    assert findings == [], "\n".join(map(str, findings))


def test_command_line_entry(tmp_path, capsys):
    bad = tmp_path / "bad.cypher"
    bad.write_text("MATCH (a) WHERE a.n =~ 'x' RETURN a\n")
    assert lint.main([str(bad)]) == 1
    assert "regex-match" in capsys.readouterr().out
    good = tmp_path / "good.cypher"
    good.write_text("MATCH (a) RETURN a\n")
    assert lint.main([str(good)]) == 0


# Rules whose snippets are reads that FalkorDB rejects outright: the lint is not guessing.
FAILS_ON_FALKORDB = {
    "shortestpath-in-match", "shortestpath-undirected", "allshortestpaths-outside-match",
    "exists-subquery", "count-subquery", "collect-subquery", "call-scope", "label-expression",
    "regex-match", "datetime-function", "duration-between", "temporal-truncate",
    "date-subtraction", "match-after-optional-match", "quantified-path",
}


def test_flagged_reads_really_fail_on_falkordb(store_falkordb):
    from dhrkg.model import load_case

    # (an empty FalkorDB graph answers without running the query: give it something)
    store_falkordb.load_case(load_case(REPO / "examples" / "001_24bc3f827734f2c4.yaml"))
    params = {"a": "x/1", "b": "x/2", "text": "x", "from": "2000", "ids": ["P"], "r": "x", "k": "x"}
    for rule, snippet in BAD:
        if rule not in FAILS_ON_FALKORDB:
            continue
        with pytest.raises(Exception):
            store_falkordb.query(snippet, params)
    for snippet in GOOD:
        if any(w in snippet for w in ("MERGE", "SET ", "CREATE")):
            continue
        store_falkordb.query(snippet, params)  # must not raise


GOLD_001 = REPO / "examples" / "001_24bc3f827734f2c4.yaml"
S1 = "north-worcs-dhr-7/S1"


@pytest.fixture
def gold_store(store):
    from dhrkg.model import load_case

    store.load_case(load_case(GOLD_001))
    return store


def _rows(store, q, **params):
    return sorted(map(tuple, store.query(q, params).rows), key=repr)


def test_the_wrong_answer_rules_show_on_falkordb_and_the_fixes_agree(gold_store):
    """For each 'wrong' rule: the flagged form gives FalkorDB's wrong answer (on FalkorDB only),
    and the fix the message suggests gives the same answer on both engines."""
    s = gold_store
    # unreferenced-intermediate: per-agency event counts for S1
    bad = "MATCH (c:Person {key: $a})-[:INVOLVED]->(:Event)-[:RECORDED_BY]->(ag:Agency) RETURN ag.name AS agency, count(*) AS n"
    fixed = "MATCH (c:Person {key: $a})-[:INVOLVED]->(e:Event)-[:RECORDED_BY]->(ag:Agency) RETURN ag.name AS agency, count(e) AS n"
    assert [f.rule.code for f in lint.lint_cypher(bad)] == ["unreferenced-intermediate"]
    assert lint.lint_cypher(fixed) == []
    right = _rows(s, fixed, a=S1)
    assert sum(n for _, n in right) > len(right)  # several events per agency: the case that breaks
    if s.backend == "falkordb":
        assert _rows(s, bad, a=S1) != right
    # optional-match-chain: events of S1 recorded by an agency
    bad = "MATCH (c:Person {key: $a}) OPTIONAL MATCH (c)-[:INVOLVED]->(e:Event)-[:RECORDED_BY]->(ag:Agency) RETURN count(e) AS n"
    fixed = "MATCH (c:Person {key: $a}) RETURN size([(c)-[:INVOLVED]->(e:Event)-[:RECORDED_BY]->(ag:Agency) | e]) AS n"
    assert [f.rule.code for f in lint.lint_cypher(bad)] == ["optional-match-chain"]
    right = _rows(s, fixed, a=S1)
    if s.backend == "falkordb":
        assert _rows(s, bad, a=S1) != right
    # comprehension-variable-clash: town and force area of a household
    bad = ("MATCH (h:Household {key: 'north-worcs-dhr-7/hh-pfp-birmingham'}) RETURN "
           "[(h)-[:LOCATED_IN]->(a:Area) WHERE a.kind = 'police_force_area' | a.name] AS pfa, "
           "[(h)-[:LOCATED_IN]->(a:Area) WHERE a.kind = 'town' | a.name] AS town")
    fixed = bad.replace("(a:Area) WHERE a.kind = 'town' | a.name", "(t:Area) WHERE t.kind = 'town' | t.name")
    assert [f.rule.code for f in lint.lint_cypher(bad)] == ["comprehension-variable-clash"]
    right = _rows(s, fixed)
    assert right[0][1]  # the household has a town
    if s.backend == "falkordb":
        assert _rows(s, bad) != right
    # relationship-reuse: S1's siblings through a shared parent
    bad = "MATCH (c:Person {key: $a})<-[:PARENT_OF]-(par:Person)-[:PARENT_OF]->(sib:Person) RETURN DISTINCT sib.key AS sib"
    fixed = bad.replace("RETURN", "WHERE sib <> c RETURN")
    assert [f.rule.code for f in lint.lint_cypher(bad)] == ["relationship-reuse"]
    right = _rows(s, fixed, a=S1)
    assert (S1,) not in right
    if s.backend == "falkordb":
        assert (S1,) in _rows(s, bad, a=S1)


def test_exists_pattern_gives_a_wrong_answer_on_falkordb(store_falkordb):
    """The reason for the exists-pattern rule, shown on the engine: a person without any
    PARTNER_OF edge still 'exists((a)-[:PARTNER_OF]->())'."""
    from dhrkg.model import load_case

    store_falkordb.load_case(load_case(REPO / "examples" / "001_24bc3f827734f2c4.yaml"))
    q_fn = ("MATCH (a:Person {review: 'north-worcs-dhr-7'}) "
            "RETURN count(CASE WHEN exists((a)-[:PARTNER_OF]->()) THEN 1 END) AS n")
    q_pat = "MATCH (a:Person {review: 'north-worcs-dhr-7'}) WHERE (a)-[:PARTNER_OF]->() RETURN count(a) AS n"
    q_all = "MATCH (a:Person {review: 'north-worcs-dhr-7'}) RETURN count(a) AS n"
    n_fn = store_falkordb.query(q_fn).rows[0][0]
    n_pat = store_falkordb.query(q_pat).rows[0][0]
    n_all = store_falkordb.query(q_all).rows[0][0]
    assert n_pat < n_all
    assert n_fn == n_all  # the wrong answer the rule guards against
