"""One writer of case files (dhrkg.model.writer) and one atomic write (dhrkg.outputs), used by
the extractor's drafts, the chronology importer and the RDF importer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dhrkg.cli import app
from dhrkg.model import load_case
from dhrkg.model.writer import case_json, case_yaml, write_case_file
from dhrkg.outputs import atomic_path, write_atomic

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "001_24bc3f827734f2c4.yaml"
runner = CliRunner()


def test_block_layout_is_the_plain_yaml_of_the_model_order():
    case = load_case(EXAMPLE)
    text = case_yaml(case)
    assert yaml.safe_load(text) == case.to_data()
    assert text == yaml.safe_dump(case.to_data(), sort_keys=False, allow_unicode=True, width=100)


def test_draft_layout_keeps_short_lists_inline_and_quotes_yaml_punctuation():
    data = {"format": "dhr-case/1", "review": {"id": "r"},
            "persons": [{"id": "a", "name": "- dash first", "roles": ["victim"], "notes": "a: b"}]}
    text = case_yaml(data, "draft")
    assert "roles: [victim]" in text
    assert "name: '- dash first'" in text and "notes: 'a: b'" in text
    assert yaml.safe_load(text) == data
    assert "roles:\n" in case_yaml(data)  # the block layout: one item a line


def test_text_in_other_alphabets_is_written_as_it_is():
    data = {"format": "dhr-case/1", "review": {"id": "r", "title": "Zoë Łukasz Ахмед"}}
    assert "Zoë Łukasz Ахмед" in case_yaml(data) and "Zoë Łukasz Ахмед" in case_yaml(data, "draft")
    assert "Zoë Łukasz Ахмед" in case_json(data)


@pytest.mark.parametrize("name", ["case.yaml", "case.json"])
def test_a_case_file_written_reads_back_the_same(tmp_path, name):
    case = load_case(EXAMPLE)
    path = tmp_path / name
    write_case_file(case, path)
    assert load_case(path).to_data() == case.to_data()
    if name.endswith(".json"):
        assert json.loads(path.read_text(encoding="utf-8")) == case.to_data()


def test_import_chronology_to_a_json_name_writes_json(tmp_path):
    sheet = tmp_path / "chronology.csv"
    assert runner.invoke(app, ["export-chronology", str(EXAMPLE), "-o", str(sheet)]).exit_code == 0
    out = tmp_path / "with.json"
    res = runner.invoke(app, ["import-chronology", str(sheet), "--review", str(EXAMPLE), "--replace-events",
                              "-o", str(out)])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["events"]) == len(load_case(EXAMPLE).events)


def test_import_rdf_to_a_json_name_writes_json(tmp_path):
    rdf = tmp_path / "case.ttl"
    assert runner.invoke(app, ["export", str(EXAMPLE), "-o", str(rdf)]).exit_code == 0
    out = tmp_path / "back.json"
    res = runner.invoke(app, ["import-rdf", str(rdf), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert json.loads(out.read_text(encoding="utf-8")) == load_case(EXAMPLE).to_data()


def test_an_atomic_write_that_fails_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_path(path) as tmp:
            tmp.write_text("half", encoding="utf-8")
            raise RuntimeError("stopped half-way")
    assert path.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml"]
    write_atomic(path, "new")
    assert path.read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml"]
