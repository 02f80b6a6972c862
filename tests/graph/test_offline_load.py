"""The offline path (issue 17, point 3): a small synthetic national set loaded with the engine's
own import tool answers exactly as the online bulk loader's load of the same data: the same
nodes and relationships with the same properties, and the same rows from the national scans."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from dhrkg.graph.bulk import bulk_load, node_stream, edge_stream
from dhrkg.graph.offline import OfflineError, falkordb_load

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

import queries as qbench  # noqa: E402
import scale  # noqa: E402
from support.national import answers  # noqa: E402


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    return qbench.synth_graph(3000, 7, tmp_path_factory.mktemp("synth"))


def contents(store) -> tuple[list, list]:
    """Every node (labels, properties) and relationship (end keys, type, properties), sorted."""
    nodes = store.query("MATCH (n) RETURN labels(n), properties(n)").rows
    rels = store.query("MATCH (a)-[e]->(b) RETURN a.key, type(e), b.key, properties(e)").rows
    key = lambda r: json.dumps(r, sort_keys=True)  # noqa: E731
    return sorted(nodes, key=key), sorted(rels, key=key)


def test_falkordb_offline_load_answers_as_the_online_load(store_falkordb, national):
    store = store_falkordb
    bulk_load(store, scale.streams(national), batch_size=700)
    store.ensure_summaries()
    online, online_answers = contents(store), answers(store)
    assert online_answers["serial-perpetrators"], "the set has planted serial perpetrators"
    for max_bytes in (None, 50_000):  # one command for all nodes; many (a command ends mid-label)
        store.clear()
        report = falkordb_load(store, scale.streams(national), max_bytes=max_bytes)
        assert report.commands > (2 if max_bytes else 1)
        assert report.nodes == len(online[0]) and report.relationships == len(online[1])
        assert report.skipped_relationships == 0
        assert contents(store) == online
        assert answers(store) == online_answers
    indexed = {(row[0], p) for row in store.query("CALL db.indexes()").rows for p in row[1]}
    assert {("Person", "key"), ("Event", "type")} <= indexed


def test_values_keep_their_types(store_falkordb):
    """The reason for writing GRAPH.BULK payloads: "5.1" stays text, lists stay lists of text,
    quotes, backslashes and non-ASCII text arrive as given, unset properties stay unset."""
    store = store_falkordb
    rows = [{"key": "p1", "name": 'O"Brien \\ Zoë', "aliases": ["5.1", "true"], "n": 3, "f": 5.0, "b": False,
             "code": "007", "empty": ""},
            {"key": "p2", "name": "B", "nickname": None, "aliases": []}]
    falkordb_load(store, [node_stream("Person", rows),
                          edge_stream("PARTNER_OF", "Person", "Person", [{"from": "p1", "to": "p2",
                                                                           "props": {"since": "2019", "x": None}}])])
    got = dict(store.query("MATCH (n:Person) RETURN n.key, properties(n)").rows)
    assert got == {"p1": rows[0], "p2": {"key": "p2", "name": "B", "aliases": []}}
    assert store.query("MATCH (:Person {key: 'p1'})-[e:PARTNER_OF]->(:Person {key: 'p2'}) "
                       "RETURN properties(e)").rows == [[{"since": "2019"}]]


def test_refuses_a_non_empty_graph(store_falkordb):
    store = store_falkordb
    store._write("CREATE (:Person {key: 'x'})")
    with pytest.raises(OfflineError, match="not empty"):
        falkordb_load(store, [node_stream("Person", [{"key": "y"}])])
    assert store.query("MATCH (n) RETURN n.key").rows == [["x"]]


@pytest.mark.parametrize("rows, message", [
    ([{"key": "a", "m": {"x": 1}}], "Person, row 1, m: a dict cannot be a property value"),
    ([{"key": "a"}, {"key": "a"}], "Person, row 2: key 'a' appears twice"),
    ([{"key": "a", "t": "a\0b"}], "row 1, t: a text value holds a NUL"),
])
def test_bad_rows_are_named_and_leave_the_graph_empty(store_falkordb, rows, message):
    store = store_falkordb
    with pytest.raises(OfflineError, match=message):
        falkordb_load(store, [node_stream("Person", rows)])
    assert store.query("MATCH (n) RETURN count(n)").rows == [[0]]


def test_a_relationship_to_a_missing_node_is_left_out_and_counted(store_falkordb):
    """As the online loader's MATCH ... MATCH ... CREATE leaves it out."""
    report = falkordb_load(store_falkordb, [node_stream("Person", [{"key": "a"}, {"key": "b"}]),
                                            edge_stream("KNOWS", "Person", "Person",
                                                        [{"from": "a", "to": "zz"}, {"from": "a", "to": "b"}])])
    assert (report.relationships, report.skipped_relationships) == (1, 1)
    assert store_falkordb.query("MATCH (a)-[:KNOWS]->(b) RETURN a.key, b.key").rows == [["a", "b"]]


# --------------------------------------------------------------------------- Neo4j: neo4j-admin import

THING = {"key": "t1", "name": 'O"Brien, \\ Zoë\nsecond line', "aliases": ["5.1", "a;b", "true"], "n": 3, "f": 5.0,
         "b": False, "empty": "", "codes": [1, 2]}


def neo4j_admin_import(streams, data_dir: Path, csv_dir: Path) -> None:
    """What a user does with the printed command, with the launcher's copy of the import tool."""
    from dhrkg.graph.offline import write_neo4j_import
    from support.neo4j_server import admin_import

    admin_import(write_neo4j_import(streams, csv_dir).arguments(), data_dir)


@pytest.mark.neo4j
def test_neo4j_offline_import_answers_as_the_online_load(store_neo4j, national, tmp_path):
    from dhrkg.config import Neo4jSettings
    from dhrkg.graph.neo4j import Neo4jStore
    from support.neo4j_server import Neo4jUnavailable, launched_neo4j

    bulk_load(store_neo4j, [*scale.streams(national), node_stream("Thing", [THING])], batch_size=700)
    store_neo4j.ensure_summaries()
    online, online_answers = contents(store_neo4j), answers(store_neo4j)
    streams = [*scale.streams(national), node_stream("Thing", [THING])]
    try:
        server = launched_neo4j(lambda data: neo4j_admin_import(streams, data, tmp_path / "csv"))
        conn = server.__enter__()
    except Neo4jUnavailable as exc:
        pytest.fail(f"the launcher did not start on the imported database: {exc}")
    try:
        with Neo4jStore(Neo4jSettings(conn.uri, conn.user, conn.password, conn.database)) as store:
            # opening it created the constraints and indexes and computed the summaries
            assert contents(store) == online
            assert answers(store) == online_answers
            assert store.query("MATCH (t:Thing) RETURN properties(t)").rows == [[THING]]
    finally:
        server.__exit__(None, None, None)


# --------------------------------------------------------------------------- dhrkg bulk-load --offline

def _case_dir(tmp_path: Path) -> Path:
    import shutil

    from test_bulk_load import FILES

    d = tmp_path / "cases"
    d.mkdir()
    for f in FILES:
        shutil.copy(f, d / f.name)
    return d


def test_cli_offline_load_gives_the_graph_of_the_online_bulk_load(store_falkordb, tmp_path):
    from typer.testing import CliRunner

    from dhrkg.cli import app
    from support.cli_env import cli_env

    runner, env, cases = CliRunner(), cli_env(store_falkordb), _case_dir(tmp_path)
    r = runner.invoke(app, ["bulk-load", str(cases), "--quiet"], env=env)
    assert r.exit_code == 0, r.output
    online, online_answers = contents(store_falkordb), answers(store_falkordb)
    r = runner.invoke(app, ["bulk-load", str(cases), "--offline", "--quiet"], env=env)
    assert r.exit_code == 1 and "graph is not empty" in r.output
    assert max(len(line) for line in r.output.splitlines()) <= 80
    store_falkordb.clear()
    r = runner.invoke(app, ["bulk-load", str(cases), "--offline", "--quiet"], env=env)
    assert r.exit_code == 0, r.output
    assert "GRAPH.BULK" in r.output
    assert contents(store_falkordb) == online
    assert answers(store_falkordb) == online_answers


def test_cli_offline_on_neo4j_writes_the_import_files_and_prints_the_command(tmp_path):
    from typer.testing import CliRunner

    from dhrkg.cli import app

    cases, out = _case_dir(tmp_path), tmp_path / "csv"
    r = CliRunner().invoke(app, ["bulk-load", str(cases), "--offline", "--backend", "neo4j",
                                 "--csv-dir", str(out)], env={"NEO4J_URI": "bolt://127.0.0.1:9"})
    assert r.exit_code == 0, r.output
    assert "neo4j-admin database import full neo4j" in r.output
    assert max(len(line) for line in r.output.splitlines()) <= 80 + len(str(out))
    files = sorted(p.name for p in out.iterdir())
    assert any(f.startswith("nodes-Person-") for f in files) and any(f.startswith("relationships-") for f in files)
    for name in files:
        assert str(out / name) in r.output
    r = CliRunner().invoke(app, ["bulk-load", str(cases), "--offline", "--backend", "neo4j",
                                 "--csv-dir", str(out)], env={"NEO4J_URI": "bolt://127.0.0.1:9"})
    assert r.exit_code == 1 and "not empty" in " ".join(r.output.split())  # in 80 columns


def test_neo4j_files_leave_out_relationships_to_missing_nodes_and_refuse_twice_a_key(tmp_path):
    from dhrkg.graph.offline import write_neo4j_import

    imp = write_neo4j_import([node_stream("Person", [{"key": "a"}, {"key": "b"}]),
                              edge_stream("KNOWS", "Person", "Person", [{"from": "a", "to": "zz"}, {"from": "a", "to": "b"}])],
                             tmp_path / "one")
    assert (imp.node_rows, imp.relationship_rows, imp.skipped_relationships) == (2, 1, 1)
    (_, path), = imp.relationships
    assert path.read_text().splitlines()[1:] == ['"a","b"']
    with pytest.raises(OfflineError, match="row 2: key 'a' appears twice"):
        write_neo4j_import([node_stream("Person", [{"key": "a"}, {"key": "a"}])], tmp_path / "two")


def test_neo4j_files_refuse_an_empty_list(tmp_path):
    """neo4j-admin reads an empty field as no value (tried: the property is left unset), while
    an online load stores []: refused, so that the offline graph is never silently different."""
    from dhrkg.graph.offline import write_neo4j_import

    with pytest.raises(OfflineError, match="Person, row 1, aliases: an empty list"):
        write_neo4j_import([node_stream("Person", [{"key": "a", "aliases": []}])], tmp_path / "csv")


def test_neo4j_files_type_each_row_by_its_own_values(tmp_path):
    """Rows with the same keys and other types of value go to other files (a row's shape is looked
    up by its keys AND their types); a list's elements and an unset value are read row by row."""
    from dhrkg.graph.offline import write_neo4j_import

    rows = [{"key": "a", "v": "1"}, {"key": "b", "v": 1}, {"key": "c", "v": True}, {"key": "d", "v": 1.5},
            {"key": "e", "v": ["x"]}, {"key": "f", "v": [1]}, {"key": "g", "v": None}, {"key": "h", "v": "2"},
            {"key": "i", "v": False}, {"key": "j", "v": ["y", "z"]}]
    imp = write_neo4j_import([node_stream("Thing", rows)], tmp_path / "csv")
    files = {path.read_text().splitlines()[0]: path.read_text().splitlines()[1:] for _, path in imp.nodes}
    assert files == {
        '"key:ID(Thing)","v:string"': ['"a","1"', '"h","2"'], '"key:ID(Thing)","v:long"': ['"b","1"'],
        '"key:ID(Thing)","v:boolean"': ['"c","true"', '"i","false"'], '"key:ID(Thing)","v:double"': ['"d","1.5"'],
        '"key:ID(Thing)","v:string[]"': ['"e","x"', '"j","y\x1fz"'], '"key:ID(Thing)","v:long[]"': ['"f","1"'],
        '"key:ID(Thing)"': ['"g"']}


def test_no_log_rewrite_while_graph_bulk_runs(store_falkordb, national):
    """The server rewrites no append-only file during the GRAPH.BULK commands (it hung after
    one at 3M people), and its setting is back afterwards, also when the load fails."""
    store = store_falkordb
    setting = "auto-aof-rewrite-percentage"
    before = store._redis.config_get(setting)[setting]
    seen = []
    falkordb_load(store, scale.streams(national), max_bytes=50_000,
                  progress=lambda n: seen.append(store._redis.config_get(setting)[setting]))
    assert seen and set(seen) == {"0"}
    assert store._redis.config_get(setting)[setting] == before != "0"
    store.clear()
    with pytest.raises(OfflineError):
        falkordb_load(store, [node_stream("Person", [{"key": "p1", "name": "a\0b"}])])
    assert store._redis.config_get(setting)[setting] == before


class ProcessDied(Exception):
    """Stands for kill -9 or a lost server: nothing after it runs (no clean-up: not Ctrl-C)."""


def test_an_offline_load_cut_short_is_marked_and_the_same_load_replaces_it_whole(store_falkordb, national):
    from dhrkg.graph import unfinished

    store = store_falkordb
    mark = unfinished.UnfinishedLoad.starting(Path("/cases"), None, ["synth"])
    falkordb_load(store, scale.streams(national), max_bytes=50_000, mark=mark)
    whole, whole_answers = contents(store), answers(store)
    assert store.unfinished_load() is None
    store.clear()

    def die_after_the_first_command(rows: int) -> None:
        raise ProcessDied

    with pytest.raises(ProcessDied):
        falkordb_load(store, scale.streams(national), max_bytes=50_000, mark=mark,
                      progress=die_after_the_first_command)
    assert store.unfinished_load() == mark  # written by the first GRAPH.BULK command
    assert store.unfinished_load().command() == "dhrkg bulk-load /cases --offline"
    with type(store)(store.data_dir, store.graph_name) as opened:  # opening leaves its reviews alone
        assert opened.stale_reviews()
    other = unfinished.UnfinishedLoad.starting(Path("/other"), None, ["synth"])
    with pytest.raises(OfflineError, match="not empty"):
        falkordb_load(store, scale.streams(national), mark=other)
    falkordb_load(store, scale.streams(national), max_bytes=50_000, mark=mark)
    assert store.unfinished_load() is None
    assert contents(store) == whole and answers(store) == whole_answers
