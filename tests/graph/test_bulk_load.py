"""The online bulk loader (dhrkg.graph.bulk, ``dhrkg bulk-load``) on both engines: the same graph
as ``dhrkg load`` of the same files (counts and canned answers), a resumed load without
duplicates, bad input refused before anything is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dhrkg.cli import app
from dhrkg.graph.bulk import Spool, bulk_load
from dhrkg.graph.schema import case_rows
from dhrkg.model import load_case
from support.batches import Interrupt, watch_batches
from support.national import answers

REPO = Path(__file__).resolve().parents[2]
FILES = sorted((REPO / "examples").glob("*.yaml")) + sorted((REPO / "tests" / "fixtures" / "queries").glob("*.yaml"))
runner = CliRunner()


@pytest.fixture
def case_dir(tmp_path):
    d = tmp_path / "cases"
    d.mkdir()
    for f in FILES:
        shutil.copy(f, d / f.name)
    return d


def loaded_one_by_one(store) -> dict:
    for f in FILES:
        store.load_case(load_case(f))
    expected = answers(store)
    store.clear()
    return expected


def test_bulk_load_gives_the_same_graph_as_load(store, env, case_dir):
    expected = loaded_one_by_one(store)
    r = runner.invoke(app, ["bulk-load", str(case_dir), "--batch-size", "50", "--quiet"], env=env)
    assert r.exit_code == 0, r.output
    assert f"loaded {len(FILES)} reviews" in r.stdout and "rows/s" in r.stdout
    assert answers(store) == expected
    assert not (case_dir / ".dhrkg-bulk-load.json").exists()
    # again: the reviews are replaced, nothing doubles
    r = runner.invoke(app, ["bulk-load", str(case_dir), "--quiet"], env=env)
    assert r.exit_code == 0, r.output
    assert answers(store) == expected


def test_the_summary_counts_every_node_and_fits_80_columns(store, env, case_dir):
    r = runner.invoke(app, ["bulk-load", str(case_dir), "--quiet"], env=env)
    assert r.exit_code == 0, r.output
    assert max(len(line) for line in r.stdout.splitlines()) <= 80, r.stdout
    stats = store.stats()
    said = r.stdout.split(" nodes, ")[0].split()[-1]
    assert int(said.replace(",", "")) == sum(stats["nodes"].values())  # the Area nodes too
    assert "Area" in stats["nodes"]


def spool(tmp_path: Path) -> Spool:
    """The rows of FILES, spooled into a new directory under ``tmp_path``."""
    s = Spool(Path(tmp_path / f"spool-{len(list(tmp_path.iterdir()))}"))
    s.directory.mkdir()
    for f in FILES:
        s.add(case_rows(load_case(f)))
    return s


@pytest.mark.parametrize("cut_at", [12, 40, 70])  # among the nodes; Person-MEMBER_OF (multi-edges); later
def test_interrupted_load_resumes_without_duplicates(store, tmp_path, cut_at):
    expected = loaded_one_by_one(store)
    checkpoint = tmp_path / "progress.json"

    watch_batches(store, fail_at=cut_at)
    with pytest.raises(Interrupt):  # batches in flight at the cut may or may not be written
        bulk_load(store, spool(tmp_path).streams(), batch_size=40, in_flight=3, checkpoint=checkpoint)
    assert checkpoint.exists()
    del store.write_batch
    first = spool(tmp_path)
    report = bulk_load(store, first.streams(), batch_size=40, in_flight=3, checkpoint=checkpoint)
    assert sum(s.skipped_batches for s in report.streams) > 0
    for review in first.reviews:
        store.summarise(review)
    assert answers(store) == expected
    assert not checkpoint.exists()


def test_a_load_resumed_with_fewer_in_flight_merges_every_batch_that_may_be_written(store, tmp_path):
    """Cut with 3 in flight while the two batches after the cut one are written (so the
    checkpoint is behind them), then resumed with 1 in flight (e.g. Neo4j's default)."""
    expected = loaded_one_by_one(store)
    checkpoint = tmp_path / "progress.json"

    watch_batches(store, fail_at=12, pause_s=1.0)  # the batches after it are written meanwhile
    with pytest.raises(Interrupt):
        bulk_load(store, spool(tmp_path).streams(), batch_size=40, in_flight=3, checkpoint=checkpoint)
    del store.write_batch
    first = spool(tmp_path)
    bulk_load(store, first.streams(), batch_size=40, in_flight=1, checkpoint=checkpoint)
    for review in first.reviews:
        store.summarise(review)
    assert answers(store) == expected


def test_bad_case_file_writes_nothing(store, env, case_dir):
    (case_dir / "broken.yaml").write_text("review: {id: x\n", encoding="utf-8")
    r = runner.invoke(app, ["bulk-load", str(case_dir), "--quiet"], env=env)
    assert r.exit_code == 2
    assert "broken.yaml" in r.stderr and "nothing loaded" in r.stderr
    assert store.reviews() == []
    r = runner.invoke(app, ["bulk-load", str(case_dir / "nope")], env=env)
    assert r.exit_code == 1 and "no such directory" in r.stderr


def test_the_neo4j_import_files_message_fits_80_columns(case_dir, tmp_path):
    out = tmp_path / "csv"
    r = runner.invoke(app, ["bulk-load", str(case_dir), "--offline", "--backend", "neo4j",
                            "--csv-dir", str(out)], env={"NEO4J_URI": "bolt://127.0.0.1:9"})
    assert r.exit_code == 0, r.output
    prose = [line for line in r.stdout.splitlines() if str(out) not in line and "--" not in line]
    assert prose and max(len(line) for line in prose) <= 80, r.stdout


def test_a_first_load_into_a_graph_holding_only_its_mark_still_builds_its_indexes_after(store_falkordb):
    """The mark of the load (dhrkg.graph.unfinished) is written before its first batch: the graph
    is still empty for the load's choice of building the secondary indexes after its rows."""
    from dhrkg.graph import unfinished

    secondary = {(i.label, i.prop) for i in store_falkordb.schema_indexes() if not i.unique}
    unfinished.write(store_falkordb, unfinished.UnfinishedLoad("2026-12-07T13:54:07Z", "/cases", "/cases/.c", ("r",)))
    with store_falkordb.bulk_session():
        during = store_falkordb._existing_indexes()
    assert not secondary & during
    assert secondary <= store_falkordb._existing_indexes()
