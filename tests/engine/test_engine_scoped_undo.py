"""Every write is a scoped replacement, and a failed one is undone in place (13.6, 14.1).

A failure is injected at the end of each kind of write (after every part before it ran, as in
tests/engine/test_engine_undo.py); the graph is then exactly as before, on both engines. On
FalkorDB the server keeps its pid (it was not reloaded from its log) and another client's
read, running meanwhile, completes."""

from __future__ import annotations

from pathlib import Path

import pytest

from dhrkg.graph.backup import backup, restore
from dhrkg.ingest.dhrd import import_dhrd
from dhrkg.model import load_case

from support.undo import assert_undone_in_place, fail_writes

pytestmark = pytest.mark.processes  # processes, signals, engines killed: on one Python in CI (.ci/run)

REPO = Path(__file__).resolve().parents[2]
GOLD = sorted((REPO / "examples").glob("*.yaml"))


def test_a_failed_dhrd_import_is_undone_in_place(store, monkeypatch):
    store.load_case(load_case(GOLD[0]))
    import_dhrd(store)  # a DHRD already there: the failed import replaces it
    store.load_case(load_case(GOLD[1]))
    fail_writes(monkeypatch, store)
    assert_undone_in_place(store, lambda: import_dhrd(store))


def test_a_failed_first_dhrd_import_leaves_no_trace(store, monkeypatch):
    store.load_case(load_case(GOLD[0]))
    fail_writes(monkeypatch, store)
    assert_undone_in_place(store, lambda: import_dhrd(store))


def test_a_failed_restore_is_undone_in_place(store, monkeypatch, tmp_path):
    for path in GOLD[:2]:
        store.load_case(load_case(path))
    backup(store, tmp_path / "bk")
    store.load_case(load_case(GOLD[2]))
    store.delete_review(load_case(GOLD[0]).review.id)
    fail_writes(monkeypatch, store)
    assert_undone_in_place(store, lambda: restore(store, tmp_path / "bk"))


# ---- no write between a failed write and its undo (FalkorDB: the data directory's write lock)

WRITER = """
import sys, time
from pathlib import Path
from dhrkg.graph.falkordb import FalkorDBStore
from dhrkg.model import load_case

data_dir, case, trigger = sys.argv[1:4]
store = FalkorDBStore(data_dir)
while not Path(trigger).exists():
    time.sleep(0.02)
store.load_case(load_case(case))
print("written")
"""


def waits_for_lock(process, lock_file: Path, seconds: float = 60) -> bool:
    """True once ``process`` is waiting for the flock on ``lock_file`` (a "->" line of
    /proc/locks with its pid and the file's inode); False if it ends first or ``seconds`` pass."""
    import time

    inode, deadline = lock_file.stat().st_ino, time.monotonic() + seconds
    while process.poll() is None and time.monotonic() < deadline:
        for line in Path("/proc/locks").read_text().splitlines():
            words = line.split()
            if "->" in words and words[-4] == str(process.pid) and words[-3].endswith(f":{inode}"):
                return True
        time.sleep(0.01)
    return False


def review_content(store, review: str) -> list:
    return sorted(str(row) for row in store.query(
        "MATCH (n {review: $r}) OPTIONAL MATCH (n)-[e]->(m) RETURN properties(n), type(e), m.key",
        {"r": review}).rows)


def test_a_write_from_another_process_waits_for_a_failed_write_to_be_undone(own_server, monkeypatch, tmp_path):
    """Another dhrkg process writes while a failed write waits to be undone: without the lock
    it would come in between, the snapshot could not be put back (the log grew) and the server
    would be reloaded. With it, the other write waits, and both end as they should. The undo
    waits until the other process is seen waiting for the lock (fails if it never is)."""
    import subprocess
    import sys

    from dhrkg.graph.falkordb import FalkorDBStore, server, undo
    from dhrkg.graph.load import review_scope
    from support.undo import failing_statement

    store = FalkorDBStore(own_server)
    failed, other = load_case(GOLD[0]), load_case(GOLD[1])
    store.load_case(failed)
    before = review_content(store, failed.review.id)
    if not Path("/proc/locks").is_file():
        pytest.skip("no /proc/locks to see the other process wait for the lock (not Linux)")
    pid = server.status(own_server).pid
    trigger, waited = tmp_path / "go", []
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(own_server), str(GOLD[1]), str(trigger)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    real_restore = undo.restore

    def restore_later(store_, snap):
        trigger.touch()  # the other process writes now, between the failure and the undo
        waited.append(waits_for_lock(writer, server.ServerPaths(own_server).write_lock_file))
        real_restore(store_, snap)

    monkeypatch.setattr(undo, "restore", restore_later)
    from dhrkg.graph.load import replace_statements
    from dhrkg.graph.schema import case_rows
    from support.reviews import with_extra_events

    statements = replace_statements(case_rows(with_extra_events(failed, 20, "revised"))) + [failing_statement()]
    try:
        with pytest.raises(Exception) as error:
            store._replace(statements, review_scope(failed.review.id))
        out, err = writer.communicate(timeout=120)
    finally:
        writer.kill()
    assert "reloaded" not in str(error.value), error.value
    assert waited == [True], "the other process's write never waited for the write lock"
    assert writer.returncode == 0 and "written" in out, err[-2000:]
    assert server.status(own_server).pid == pid
    assert review_content(store, failed.review.id) == before
    assert other.review.id in store.reviews() and review_content(store, other.review.id)
    store.close()


def test_readers_do_not_wait_for_the_write_lock(store_falkordb):
    from dhrkg.graph.falkordb import server

    store_falkordb.load_case(load_case(GOLD[0]))
    with server.writing(store_falkordb.data_dir):
        assert store_falkordb.reviews() == [load_case(GOLD[0]).review.id]


def test_the_write_lock_is_a_private_file_in_the_data_directory(store_falkordb):
    import os
    import stat

    store_falkordb.load_case(load_case(GOLD[0]))
    lock = store_falkordb.data_dir / "falkordb-write.lock"
    assert stat.S_IMODE(os.stat(lock).st_mode) == 0o600


# ---- the records importer and linkage's identities: scoped replacements too


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    """A small records folder, one with a record changed, and linkage's resolution of it."""
    from dhrkg.ingest import linkage as L
    from dhrkg.ingest.synth import SynthConfig, generate

    data = tmp_path_factory.mktemp("scoped") / "synth"
    generate(SynthConfig(forces=3, people=1200, years=5, seed=5, planted=10), data)
    changed = data.parent / "changed"
    changed.mkdir()
    for f in data.glob("*.csv"):
        changed.joinpath(f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    people = changed / "people_records.csv"
    lines = people.read_text(encoding="utf-8").splitlines()
    lines[-1] = lines[-1].replace(lines[-1].split(",")[4], "Changedname")
    people.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = L.LinkSettings()
    pairs = L.score_pairs(data / "people_records.csv", settings)
    return data, changed, pairs, L.resolve(pairs, settings)


@pytest.fixture
def small_batches(monkeypatch):
    from dhrkg.graph import records as graph_records

    monkeypatch.setattr(graph_records, "BATCH", 400)


@pytest.mark.parametrize("after", [2, 7])  # fails in a batch of records; of incidents (it deletes)
def test_a_failed_records_batch_is_undone_in_place(store, monkeypatch, records, small_batches, after):
    from dhrkg.ingest.records import RecordsError, import_records

    data, changed, _, _ = records
    import_records(store, data)
    fail_writes(monkeypatch, store, after=after)  # the batches before it write what is there
    error = assert_undone_in_place(store, lambda: import_records(store, data))
    assert isinstance(error, RecordsError) and f"stopped after {after} of" in str(error)
    assert str(error).startswith(f"{data}:\n")
    assert all(len(line) <= 80 for line in str(error).splitlines()[1:])


def test_a_cut_records_import_run_again_is_whole_and_doubles_nothing(store, monkeypatch, records, small_batches):
    from support.undo import graph_content

    from dhrkg.ingest.records import RecordsError, import_records

    data, changed, _, _ = records
    import_records(store, changed)
    once = graph_content(store)
    store.clear()
    import_records(store, data)
    real = store._replace
    fail_writes(monkeypatch, store, after=3)
    with pytest.raises(RecordsError, match="stopped after 3 of"):
        import_records(store, changed)
    monkeypatch.setattr(store, "_replace", real)
    import_records(store, changed)
    assert graph_content(store) == once
    assert store.query("MATCH (r:Record) WHERE r.surname = 'Changedname' RETURN count(r)").rows == [[1]]


def test_a_records_import_run_again_keeps_the_identities(store, records, small_batches):
    from dhrkg.ingest.records import import_records, write_identities

    data, _, pairs, resolution = records
    import_records(store, data)
    write_identities(store, pairs, resolution)
    same_as = store.query("MATCH (:Record)-[s:SAME_AS]->(:Identity) RETURN count(s)").rows
    assert same_as[0][0] > 0
    import_records(store, data)
    assert store.query("MATCH (:Record)-[s:SAME_AS]->(:Identity) RETURN count(s)").rows == same_as


def test_a_failed_identity_write_leaves_the_previous_identities(store, monkeypatch, records):
    from dhrkg.ingest.records import import_records, write_identities

    data, _, pairs, resolution = records
    import_records(store, data)
    write_identities(store, pairs, resolution)
    assert store.query("MATCH (i:Identity) RETURN count(i)").rows[0][0] > 0
    fail_writes(monkeypatch, store)
    assert_undone_in_place(store, lambda: write_identities(store, pairs, resolution))
