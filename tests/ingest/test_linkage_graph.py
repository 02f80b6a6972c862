"""Records and identities in the graph: import, SAME_AS with explanations, and the linked-*
canned queries finding the planted missed links after linkage and not before (on FalkorDB and,
when a Neo4j is available, on Neo4j)."""

from __future__ import annotations

import csv
import shutil
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dhrkg.graph import canned
from dhrkg.ingest import linkage as L
from dhrkg.ingest import records as R
from dhrkg.ingest.synth import SynthConfig, generate

ANSWER_COLUMN = {
    "linked-prior-partners": "partner_records",
    "linked-children-across-households": "child_records",
    "linked-serial-perpetrators": "suspect_records",
}


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    """A small national dataset with 40 planted serial perpetrators, scored and resolved once."""
    data = tmp_path_factory.mktemp("graphlink") / "synth"
    generate(SynthConfig(forces=6, people=5000, years=10, seed=12, planted=30), data)
    settings = L.LinkSettings()
    pairs = L.score_pairs(data / "people_records.csv", settings)
    return data, pairs, L.resolve(pairs, settings)


def planted_recall(store, data: Path) -> tuple[int, int, dict[str, int]]:
    """(answers found, answers expected, found per query) for planted.csv through the canned queries."""
    library = canned.load_library(include_user=False)
    found = total = 0
    per_query: dict[str, int] = {}
    serial_cache = None
    for row in read(data / "planted.csv"):
        q = library.get(row["query"])
        if row["query"] == "linked-serial-perpetrators":
            if serial_cache is None:
                serial_cache = canned.run(store, q, canned.bind(q, {}, [])).records()
            rows = serial_cache
        else:
            rows = canned.run(store, q, canned.bind(q, {}, [row["record_id"]])).records()
        hit = any(row["expected_record_id"] in r[ANSWER_COLUMN[row["query"]]] for r in rows)
        found += hit
        total += 1
        per_query[row["query"]] = per_query.get(row["query"], 0) + hit
    return found, total, per_query


def test_planted_missed_links_found_after_linkage_not_before(store, linked):
    data, pairs, res = linked
    report = R.import_records(store, data, contacts=False)
    assert report.nodes["Record"] == len(read(data / "people_records.csv"))
    found, total, _ = planted_recall(store, data)
    assert total >= 100
    assert found == 0, f"{found} planted links found before linkage"
    counts = R.write_identities(store, pairs, res)
    assert counts["identities"] > 0 and counts["records_not_in_graph"] == 0
    found, total, per_query = planted_recall(store, data)
    print(f"{store.backend}: planted recall after linkage {found}/{total} = {found / total:.3f} {per_query}")
    assert found / total >= 0.95
    assert all(n > 0 for n in per_query.values())


def test_same_as_edges_carry_probability_and_explanation(store, linked):
    data, pairs, res = linked
    R.import_records(store, data, contacts=False)
    R.write_identities(store, pairs, res)
    rows = store.query(
        "MATCH (r:Record)-[s:SAME_AS]->(i:Identity) RETURN i.key AS identity, i.size AS size, r.record_id AS record, "
        "s.match_probability AS p, s.matched_with AS other, s.agreed AS agreed, s.disagreed AS disagreed, "
        "s.missing AS missing, s.explanation AS explanation").records()
    assert len(rows) == len(res.identity_of)
    sizes: dict[str, int] = {}
    for row in rows:
        sizes[row["identity"]] = sizes.get(row["identity"], 0) + 1
        assert res.identity_of[row["record"]] == row["identity"]
        assert row["p"] >= 0.85
        assert row["other"] and res.identity_of[row["other"]] == row["identity"]
        assert row["explanation"].count(": ") == 5
        assert set(row["agreed"]) <= {"forename", "surname", "date_of_birth", "sex", "postcode_district"}
    assert all(size == sizes[row["identity"]] for row in rows for size in [row["size"]])
    # linking again replaces the identities instead of adding to them
    again = R.write_identities(store, pairs, res)
    assert again["deleted"] == again["identities"] == len(sizes)
    assert store.stats()["relationships"]["SAME_AS"] == len(rows)


def test_bad_records_folder_changes_nothing(store, linked, tmp_path):
    data, _, _ = linked
    R.import_records(store, data, contacts=False)
    before = store.stats()
    bad = tmp_path / "bad"
    bad.mkdir()
    shutil.copy(data / "people_records.csv", bad / "people_records.csv")
    lines = (data / "incidents.csv").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(lines[3].split(",")[3], '"NO-SUCH-RECORD"')
    (bad / "incidents.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(R.RecordsError, match=r"incidents\.csv:4: victim_record_id 'NO-SUCH-RECORD'"):
        R.import_records(store, bad)
    assert store.stats() == before


def test_cli_import_link_and_run_on_falkordb(falkordb_data_dir, tmp_path, monkeypatch):
    from dhrkg.cli import app
    from dhrkg.graph.falkordb import FalkorDBStore

    data = tmp_path / "synth"
    generate(SynthConfig(forces=3, people=2500, years=6, seed=3, planted=4), data)
    graph = f"test-cli-link-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("DHRKG_GRAPH", graph)
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("DHRKG_BACKEND", raising=False)
    runner = CliRunner()
    try:
        out = runner.invoke(app, ["import-records", str(data), "--data-dir", str(falkordb_data_dir)])
        assert out.exit_code == 0, out.output
        assert "Record" in out.output and "HAD_CONTACT" in out.output
        out = runner.invoke(app, ["link", "--data-dir", str(falkordb_data_dir)])
        assert out.exit_code == 0, out.output
        assert "identities" in out.output
        row = next(r for r in read(data / "planted.csv") if r["query"] == "linked-prior-partners")
        out = runner.invoke(app, ["run", "linked-prior-partners", row["record_id"], "--format", "csv",
                                  "--data-dir", str(falkordb_data_dir)])
        assert out.exit_code == 0, out.output
        assert out.output.splitlines()[0].startswith("partner,partner_records")
    finally:
        store = FalkorDBStore(falkordb_data_dir, graph=graph)
        try:
            store._graph.delete()
        except Exception:
            pass
        store.close()
