"""The synthetic national dataset (`dhrkg synth`): files, determinism, noise, planted answers."""

from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dhrkg.cli import app
from dhrkg.ingest import synth_names
from dhrkg.ingest.synth import PLANTED_COLUMNS, SynthConfig, generate

FILES = ("people_records.csv", "incidents.csv", "relationships.csv", "contacts.csv", "truth.csv", "planted.csv",
         "manifest.json")
HEADERS = {
    "people_records.csv": ["record_id", "source", "force_area", "forename", "surname", "date_of_birth", "sex",
                           "postcode_district"],
    "incidents.csv": ["incident_id", "force_area", "date", "victim_record_id", "suspect_record_id", "type",
                      "dash_level", "outcome"],
    "relationships.csv": ["source", "record_id", "relationship", "related_record_id"],
    "contacts.csv": ["contact_id", "source", "force_area", "date", "record_id", "type"],
    "truth.csv": ["record_id", "person_id"],
    "planted.csv": list(PLANTED_COLUMNS),
}


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def digest(folder: Path) -> dict[str, str]:
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in FILES}


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "data"
    generate(SynthConfig(forces=4, people=12_000, years=8, seed=11, planted=12), out)
    return out


def test_same_seed_same_bytes_other_seed_differs(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    cfg = dict(forces=3, people=4000, years=5, planted=5)
    generate(SynthConfig(seed=5, **cfg), a)
    generate(SynthConfig(seed=5, **cfg), b)
    generate(SynthConfig(seed=6, **cfg), c)
    assert digest(a) == digest(b)
    assert digest(a)["people_records.csv"] != digest(c)["people_records.csv"]


def test_files_columns_and_references(dataset):
    for name, header in HEADERS.items():
        with (dataset / name).open(encoding="utf-8", newline="") as f:
            assert next(csv.reader(f)) == header, name
    records = read(dataset / "people_records.csv")
    ids = [r["record_id"] for r in records]
    assert len(ids) == len(set(ids))
    truth = {r["record_id"]: r["person_id"] for r in read(dataset / "truth.csv")}
    assert set(truth) == set(ids)
    forces = {r["force_area"] for r in records}
    assert len(forces) == 4
    for inc in read(dataset / "incidents.csv"):
        assert inc["victim_record_id"] in truth and inc["suspect_record_id"] in truth
        assert truth[inc["victim_record_id"]] != truth[inc["suspect_record_id"]]
        assert inc["force_area"] in forces
    for rel in read(dataset / "relationships.csv"):
        assert rel["relationship"] in ("partner", "parent")
        assert rel["record_id"] in truth and rel["related_record_id"] in truth
    for con in read(dataset / "contacts.csv"):
        assert con["record_id"] in truth


def test_incident_volume_follows_the_rate(dataset):
    import json

    manifest = json.loads((dataset / "manifest.json").read_text())
    people, years = manifest["counts"]["people"], manifest["parameters"]["years"]
    expected = manifest["parameters"]["incident_rate"] * people * years
    assert 0.8 * expected <= manifest["counts"]["incidents"] <= 1.3 * expected


def test_noise_is_there(dataset):
    """Records of one person differ the way real records do."""
    records = {r["record_id"]: r for r in read(dataset / "people_records.csv")}
    by_person: dict[str, list[dict]] = defaultdict(list)
    for t in read(dataset / "truth.csv"):
        by_person[t["person_id"]].append(records[t["record_id"]])
    nick = {(f, n) for f, n, _ in synth_names.nickname_rows()}
    seen = defaultdict(int)
    for recs in by_person.values():
        for i, a in enumerate(recs):
            for b in recs[i + 1:]:
                fa, fb = a["forename"], b["forename"]
                if (fa, fb) in nick or (fb, fa) in nick:
                    seen["nickname"] += 1
                da, db = a["date_of_birth"], b["date_of_birth"]
                if len(da) == len(db) == 10 and da != db and da[:4] == db[:4] and da[5:7] == db[8:10] and da[8:10] == db[5:7]:
                    seen["transposed"] += 1
                if a["surname"] != b["surname"] and a["forename"] == b["forename"] and da == db and da:
                    seen["surname changed"] += 1
        for r in recs:
            dob = r["date_of_birth"]
            seen["missing dob" if not dob else "partial dob" if len(dob) < 10 else "full dob"] += 1
    for kind in ("nickname", "transposed", "surname changed", "missing dob", "partial dob"):
        assert seen[kind] > 0, kind
    assert seen["full dob"] > 10 * (seen["missing dob"] + seen["partial dob"])
    # shared names in one family: different people with the same forename and surname at one address
    names = defaultdict(set)
    for pid, recs in by_person.items():
        for r in recs:
            if r["postcode_district"]:
                names[(r["forename"], r["surname"], r["postcode_district"])].add(pid)
    assert any(len(p) > 1 for p in names.values())


def test_planted_answers_are_missed_links(dataset):
    """Each planted perpetrator's earlier partners and children are recorded in other force areas
    than the record the query starts from, and every answer is a real record."""
    records = {r["record_id"]: r for r in read(dataset / "people_records.csv")}
    truth = {r["record_id"]: r["person_id"] for r in read(dataset / "truth.csv")}
    planted = read(dataset / "planted.csv")
    perps = {row["planted_id"] for row in planted}
    assert len(perps) == 12
    by_query = defaultdict(list)
    for row in planted:
        by_query[row["query"]].append(row)
        assert row["expected_record_id"] in records
        assert truth[row["expected_record_id"]] == row["expected_person_id"]
    assert {r["planted_id"] for r in by_query["linked-serial-perpetrators"]} == perps
    assert by_query["linked-prior-partners"] and by_query["linked-children-across-households"]
    for row in by_query["linked-prior-partners"] + by_query["linked-children-across-households"]:
        start = records[row["record_id"]]
        assert records[row["expected_record_id"]]["force_area"] == row["force_area"] != start["force_area"]
    perp_forces = defaultdict(set)
    serial = {r["planted_id"]: r["expected_person_id"] for r in by_query["linked-serial-perpetrators"]}
    for rid, pid in truth.items():
        if pid in serial.values():
            perp_forces[pid].add(records[rid]["force_area"])
    assert all(len(f) >= 2 for f in perp_forces.values())


def test_bad_parameters_are_refused(tmp_path):
    with pytest.raises(ValueError, match="--forces"):
        generate(SynthConfig(forces=0, people=10), tmp_path / "x")
    with pytest.raises(ValueError, match="at least 2 force areas"):
        generate(SynthConfig(forces=1, people=1000, planted=3), tmp_path / "y")
    with pytest.raises(ValueError, match="noise"):
        generate(SynthConfig(forces=2, people=100, noise={"typos": 1}), tmp_path / "z")


@pytest.mark.parametrize("forces,people", [(1, 1000), (1, 10), (2, 1), (2, 30), (43, 100)])
def test_small_settings_give_a_dataset_of_about_the_people_asked(tmp_path, forces, people):
    """Small settings work (an empty group of verified birth dates once crashed numpy) and the
    planted perpetrators never outnumber what the people asked for can hold."""
    manifest = generate(SynthConfig(forces=forces, people=people), tmp_path / "x")
    counts = manifest["counts"]
    assert counts["planted_perpetrators"] * 6 <= people
    assert counts["people"] <= people * 1.2 + 5
    assert (tmp_path / "x" / "people_records.csv").exists()


def test_too_many_planted_for_the_people_is_refused(tmp_path):
    with pytest.raises(ValueError, match="need at least 30 people"):
        generate(SynthConfig(forces=2, people=20, planted=5), tmp_path / "x")


def test_cli_writes_the_dataset_and_per_force_extracts(tmp_path):
    out = tmp_path / "national"
    result = CliRunner().invoke(app, ["synth", "--forces", "3", "--people", "3000", "--years", "4", "--seed", "2",
                                      "--per-force", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 force areas" in result.output
    for name in FILES:
        assert (out / name).is_file()
    total = len(read(out / "people_records.csv"))
    split = sum(len(read(p)) for p in (out / "forces").glob("*/people_records.csv"))
    assert split == total and len(list((out / "forces").iterdir())) == 3
    bad = CliRunner().invoke(app, ["synth", "--forces", "99", "-o", str(tmp_path / "bad")])
    assert bad.exit_code == 2 and "--forces" in bad.output
