"""Entity resolution with Splink (`dhrkg link`): accuracy against the truth, the pairs file,
explanations, reviewers' decisions and bad input. No graph here (see test_linkage_graph.py).

The national test links 200,000+ records in 10 force areas (about a minute on 2 cores)."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dhrkg.cli import app
from dhrkg.ingest import linkage_model
from dhrkg.ingest.synth import SynthConfig, generate

runner = CliRunner()


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def link(data_dir: Path, *args: str) -> str:
    result = runner.invoke(app, ["link", "--data-dir", str(data_dir), *args])
    assert result.exit_code == 0, result.output
    return result.output


def pairwise(pairs_csv: Path, truth_csv: Path) -> tuple[float, float, int]:
    """Precision and recall of the pairs file against truth.csv, counted here from the files."""
    truth = {r["record_id"]: r["person_id"] for r in read(truth_csv)}
    true_pairs = sum(n * (n - 1) // 2 for n in Counter(truth.values()).values())
    predicted = {tuple(sorted((r["record_id_l"], r["record_id_r"]))) for r in read(pairs_csv)}
    correct = sum(truth[a] == truth[b] for a, b in predicted)
    return correct / len(predicted), correct / true_pairs, len(predicted)


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    root = tmp_path_factory.mktemp("national")
    data = root / "synth"
    manifest = generate(SynthConfig(forces=10, people=130_000, years=10, seed=7), data)
    state = root / "state"
    pairs = root / "pairs.csv"
    output = link(state, "--records", str(data / "people_records.csv"), "--pairs-out", str(pairs), "--no-graph")
    return {"data": data, "state": state / "linkage", "pairs": pairs, "manifest": manifest, "output": output}


def test_national_precision_and_recall(national):
    records = read(national["data"] / "people_records.csv")
    assert len(records) >= 200_000
    assert len({r["force_area"] for r in records}) == 10
    precision, recall, n = pairwise(national["pairs"], national["data"] / "truth.csv")
    print(f"200k national: precision {precision:.4f} recall {recall:.4f} ({n} pairs)")
    assert precision >= 0.98
    assert recall >= 0.95


def test_pairs_file_format(national):
    with national["pairs"].open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["record_id_l", "record_id_r", "match_probability"]
    ids = {r["record_id"] for r in read(national["data"] / "people_records.csv")}
    for a, b, p in rows[1:]:
        assert a < b and a in ids and b in ids
        assert p == "" or 0.0 <= float(p) <= 1.0
    # most linked pairs were scored directly, and those at or above the match threshold
    scored = [float(p) for _, _, p in rows[1:] if p]
    assert len(scored) > 0.9 * (len(rows) - 1)
    summary = json.loads((national["state"] / "last-link.json").read_text())
    assert summary["pairs_out"] == len(rows) - 1
    assert summary["identities"] > 0 and summary["review"] > 0


def test_review_list_explains_each_field(national):
    """Every explanation in the review list matches the two records' values."""
    records = {r["record_id"]: r for r in read(national["data"] / "people_records.csv")}
    review = read(national["state"] / "review.csv")
    assert review
    probs = [float(r["match_probability"]) for r in review]
    assert probs == sorted(probs, reverse=True) and all(0.5 <= p < 0.85 for p in probs)
    labels = {c: {label for label, _ in levels} for c, levels in linkage_model.LEVELS.items()}

    def clean(v: str) -> str:
        return re.sub(r"[^A-Za-z]", "", v).upper()

    for row in review[:2000]:
        parts = dict(part.split(": ", 1) for part in row["explanation"].split("; "))
        assert set(parts) == set(linkage_model.COMPARISONS)
        for comp, label in parts.items():
            assert label in labels[comp]
        a, b = records[row["record_id_l"]], records[row["record_id_r"]]
        for field in ("forename", "surname"):
            va, vb = clean(a[field]), clean(b[field])
            expected = "missing" if not va or not vb else "exact" if va == vb else None
            if expected:
                assert parts[field] == expected, (field, row)
            else:
                assert parts[field] not in ("exact", "missing"), (field, row)
        da, db = a["date_of_birth"], b["date_of_birth"]
        if not da or not db:
            assert parts["date_of_birth"] == "missing"
        elif len(da) == len(db) == 10:
            assert (parts["date_of_birth"] == "exact") == (da == db)
            if da != db and da[:4] == db[:4] and da[5:7] == db[8:10] and da[8:10] == db[5:7]:
                assert parts["date_of_birth"] == "day and month transposed"
        if a["sex"] and b["sex"]:
            assert parts["sex"] == ("same" if a["sex"] == b["sex"] else "different")
        if a["postcode_district"] and b["postcode_district"] and a["postcode_district"] == b["postcode_district"]:
            assert parts["postcode_district"] == "same district"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    root = tmp_path_factory.mktemp("small")
    data = root / "synth"
    generate(SynthConfig(forces=3, people=5000, years=8, seed=4, planted=5), data)
    return root, data


def test_decisions_are_kept_and_respected_on_relink(small, tmp_path):
    root, data = small
    state = tmp_path / "state"
    records = str(data / "people_records.csv")
    pairs1 = tmp_path / "p1.csv"
    link(state, "--records", records, "--pairs-out", str(pairs1), "--no-graph")
    review = read(state / "linkage" / "review.csv")
    assert review, "expected some pairs in the uncertain band"
    linked1 = {(r["record_id_l"], r["record_id_r"]) for r in read(pairs1)}
    to_accept = next((r["record_id_l"], r["record_id_r"]) for r in review
                     if (r["record_id_l"], r["record_id_r"]) not in linked1)
    direct = [(r["record_id_l"], r["record_id_r"]) for r in read(pairs1) if r["match_probability"]]
    to_reject = direct[len(direct) // 2]

    listing = link(state, "review", "--limit", "0", "--format", "csv")
    assert f"{to_accept[0]},{to_accept[1]}," in listing
    out = link(state, "accept", f"{to_accept[0]},{to_accept[1]}", "--note", "same GP record")
    assert "accepted" in out
    link(state, "reject", to_reject[0], to_reject[1])
    decisions = read(state / "linkage" / "decisions.csv")
    assert [(d["record_id_l"], d["record_id_r"], d["decision"]) for d in decisions] == [
        (*to_accept, "accept"), (*sorted(to_reject), "reject")]

    pairs2 = tmp_path / "p2.csv"
    link(state, "--records", records, "--pairs-out", str(pairs2), "--no-graph")
    linked2 = {(r["record_id_l"], r["record_id_r"]): r["match_probability"] for r in read(pairs2)}
    assert linked2.get(to_accept) == "1.000000"
    assert tuple(sorted(to_reject)) not in linked2
    listing = link(state, "review", "--limit", "0", "--format", "csv")
    assert f"{to_accept[0]},{to_accept[1]}," not in listing
    # the text view shows both records side by side
    text = link(state, "review", "--limit", "1")
    assert "forename" in text and "match probability" in text


def test_bad_input_is_named(tmp_path):
    bad = tmp_path / "records.csv"
    bad.write_text("record_id,source,force_area,forename,date_of_birth,sex,postcode_district\nA,s,f,Bob,,M,B1\n")
    result = runner.invoke(app, ["link", "--data-dir", str(tmp_path / "s"), "--records", str(bad), "--no-graph"])
    assert result.exit_code == 1
    assert str(bad) in result.output and "surname" in result.output
    dup = tmp_path / "dup.csv"
    dup.write_text("record_id,source,force_area,forename,surname,date_of_birth,sex,postcode_district\n"
                   "A,s,f,Bob,Smith,,M,B1\nA,s,f,Rob,Smith,,M,B1\n")
    result = runner.invoke(app, ["link", "--data-dir", str(tmp_path / "s"), "--records", str(dup), "--no-graph"])
    assert result.exit_code == 1 and "'A' appears 2 times" in result.output
    result = runner.invoke(app, ["link", "--data-dir", str(tmp_path / "s"), "--match-threshold", "0.4",
                                 "--records", str(dup), "--no-graph"])
    assert result.exit_code == 1 and "thresholds" in result.output
    result = runner.invoke(app, ["link", "--data-dir", str(tmp_path / "s"), "accept", "A"])
    assert result.exit_code == 2 and "two record ids" in result.output
    result = runner.invoke(app, ["link", "--data-dir", str(tmp_path / "empty"), "--no-graph"])
    assert result.exit_code == 1 and "import-records" in result.output


def scored(ids: list[str], years: list[int], pairs: list[tuple[str, str, float]]):
    """A hand-made ScoredPairs (ids sorted, -1 = no year of birth)."""
    import numpy as np

    from dhrkg.ingest.linkage import ScoredPairs

    pos = {r: i for i, r in enumerate(ids)}
    rows = sorted((min(pos[a], pos[b]), max(pos[a], pos[b]), p) for a, b, p in pairs)
    n = len(rows)
    return ScoredPairs(
        ids=np.array(ids, dtype=object), years=np.array(years, dtype=np.int32),
        left=np.array([r[0] for r in rows], dtype=np.int64), right=np.array([r[1] for r in rows], dtype=np.int64),
        probability=np.array([r[2] for r in rows]),
        gammas={c: np.full(n, -1, dtype=np.int8) for c in linkage_model.COMPARISONS})


def test_clustering_keeps_father_and_son_apart_and_obeys_reviewers():
    from dhrkg.ingest.linkage import Decision, LinkSettings, linked_pairs, resolve

    # A: John Smith 1960, B: John Smith with no date of birth, C: John Smith 1985, D: C's other record
    pairs = scored(["A", "B", "C", "D"], [1960, -1, 1985, 1985],
                   [("A", "B", 0.97), ("B", "C", 0.95), ("C", "D", 0.99), ("A", "D", 0.6)])
    settings = LinkSettings()
    res = resolve(pairs, settings)
    assert res.identity_of == {"A": "ID-A", "B": "ID-A", "C": "ID-C", "D": "ID-C"}
    assert res.refused == 1
    assert [pairs.pair_ids(i) for i in res.review] == [("A", "D")]
    assert list(linked_pairs(pairs, res)) == [("A", "B", 0.97), ("C", "D", 0.99)]
    # a reviewer rejects A-B and accepts A-D: B is alone, A joins C and D (the acceptance overrides the years)
    decisions = {("A", "B"): Decision("A", "B", "reject", ""), ("A", "D"): Decision("A", "D", "accept", "")}
    res = resolve(pairs, settings, decisions)
    assert res.identity_of == {"A": "ID-A", "C": "ID-A", "D": "ID-A"}
    assert list(res.review) == []
    assert ("A", "D", 1.0) in list(linked_pairs(pairs, res))
    assert ("A", "C", None) in list(linked_pairs(pairs, res))
