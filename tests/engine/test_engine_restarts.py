"""13.6 (the server part): dhrkg restarts the FalkorDB server only when it is really dead or stuck,
never because one query failed; another user's running query is not disturbed."""

from __future__ import annotations

import threading

import pytest

from dhrkg.graph import StoreError
from dhrkg.graph.falkordb import FalkorDBStore, server
from dhrkg.model.model import CaseFile


def case(notes: str) -> CaseFile:
    return CaseFile.model_validate({
        "format": "dhr-case/1", "review": {"id": "r"},
        "persons": [{"id": "p", "name": "Test Person", "notes": notes, "roles": ["victim"]}],
    })


@pytest.fixture
def busy_reader(store_falkordb):
    """Another client running a read of a few hundred milliseconds, in a thread."""
    other = FalkorDBStore(store_falkordb.data_dir, graph=store_falkordb.graph_name)
    outcome = {}

    def read():
        try:
            outcome["rows"] = other.query("UNWIND range(1, 3000000) AS x RETURN sum(x) AS s", timeout_ms=60_000).rows
        except Exception as exc:  # reported by the test
            outcome["error"] = exc

    thread = threading.Thread(target=read)
    thread.start()
    yield outcome, thread
    thread.join()
    other.close()


def test_a_nul_in_a_load_is_refused_without_a_restart(store_falkordb, busy_reader):
    store = store_falkordb
    store.load_case(case("first version"))
    pid = server.status(store.data_dir).pid
    with pytest.raises(StoreError, match=r"NUL character.*'r/p'.*notes.*nothing was changed"):
        store.load_case(case("bad \x00 notes"))
    assert server.status(store.data_dir).pid == pid
    assert store.query("MATCH (p:Person) RETURN p.notes").rows == [["first version"]]
    outcome, thread = busy_reader
    thread.join()
    assert outcome.get("rows") == [[4500001500000]], outcome


def test_a_nul_in_an_import_write_is_refused_without_a_restart(store_falkordb):
    pid = server.status(store_falkordb.data_dir).pid
    with pytest.raises(StoreError, match="NUL character"):
        store_falkordb._write("UNWIND $rows AS row CREATE (:Record {key: row.key})", {"rows": [{"key": "a\x00"}]})
    assert server.status(store_falkordb.data_dir).pid == pid


def test_a_write_the_engine_cannot_parse_does_not_restart_the_server(store_falkordb, busy_reader):
    pid = server.status(store_falkordb.data_dir).pid
    with pytest.raises(StoreError, match="nothing was changed"):
        store_falkordb._write("CREATE (n:X {a: })")
    assert server.status(store_falkordb.data_dir).pid == pid
    outcome, thread = busy_reader
    thread.join()
    assert outcome.get("rows") == [[4500001500000]], outcome
