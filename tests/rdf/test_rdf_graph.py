"""RDF export from the graph store (FalkorDB; Neo4j when available): paged, same records as the
case files (up to the list order the graph does not keep), shapes, DHRD, CLI --from-graph."""

from __future__ import annotations

import io
import shutil
import subprocess
from typing import Any

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from typer.testing import CliRunner

from dhrkg.ontology.export import ExportOptions, export_cases
from dhrkg.ontology.graph_export import export_graph
from dhrkg.ontology.rdf_import import cases_from_rdf, read_rdf
from dhrkg.ontology.validate import validate_export
from dhrkg.ontology.vocab import DHR, DHR_THEME

from support.rdf_cases import every_field_casefile, gold_cases


@pytest.fixture(scope="module")
def golds():
    return gold_cases()


@pytest.fixture
def loaded(store, golds):
    for case in golds + [every_field_casefile()]:
        store.load_case(case)
    return store


def graph_export_text(store, fmt="nt", page_size=1000, **opts) -> tuple[str, Any]:
    buf = io.StringIO()
    report = export_graph(store, buf, fmt, ExportOptions(**opts), page_size=page_size,
                          reviews=[r for r in store.reviews() if not r.startswith("dhrd-")])
    return buf.getvalue(), report


def normalised(data: dict[str, Any]) -> dict[str, Any]:
    """Case data with the order the graph does not keep taken out (records sorted by id, lists
    sorted, victim/victims and agency/agencies merged)."""
    out = dict(data)
    for section in ("persons", "households", "agencies", "events", "recommendations"):
        records = []
        for rec in data.get(section, []):
            rec = dict(rec)
            for key in ("persons", "shared_with", "other_agencies"):
                if key in rec:
                    rec[key] = sorted(rec[key])
            for key in ("place", "location"):  # an empty place has nothing to store in the graph
                if rec.get(key) == {}:
                    del rec[key]
            if "members" in rec:
                rec["members"] = sorted(rec["members"], key=repr)
            if "abuse" in rec:
                ab = dict(rec["abuse"])
                victims = sorted(([ab.pop("victim")] if "victim" in ab else []) + ab.pop("victims", []))
                ab["victims"] = victims
                rec["abuse"] = ab
            if section == "recommendations":
                rec["agencies"] = sorted(set(([rec.pop("agency")] if "agency" in rec else []) + rec.pop("agencies", [])))
            records.append(rec)
        out[section] = sorted(records, key=lambda r: r["id"])
    out["relationships"] = data.get("relationships", [])
    return out


def test_graph_export_reads_back_to_the_case_files(loaded, golds):
    text, report = graph_export_text(loaded, "nq", page_size=7)  # small pages: many round trips
    assert report.reviews == len(golds) + 1
    path_cases = {c.review.id: c for c in cases_from_rdf(_parse(text, "nquads"))}
    for case in golds + [every_field_casefile()]:
        back = path_cases[case.review.id]
        original = case.to_data()
        # an event's persons in the graph include the abuse perpetrator/victims it names
        for e in original.get("events", []):
            if "abuse" in e:
                ab = e["abuse"]
                e["persons"] = sorted(set(e.get("persons", [])) | {x for x in [ab.get("perpetrator"), ab.get("victim"), *ab.get("victims", [])] if x})
        assert normalised(back.to_data()) == normalised(original), case.review.id


def _parse(text: str, fmt: str) -> Graph:
    from rdflib import Dataset

    ds = Dataset(default_union=True)
    ds.parse(data=text, format=fmt)
    return ds


def test_page_size_does_not_change_the_export(loaded):
    small, _ = graph_export_text(loaded, page_size=3)
    large, _ = graph_export_text(loaded, page_size=10000)
    assert small == large


def test_graph_export_conforms_to_the_shapes(loaded):
    text, _ = graph_export_text(loaded)
    report = validate_export(Graph().parse(data=text, format="nt"))
    assert report.conforms, report.text[:3000]


def test_pseudonymised_graph_export_has_no_names(loaded, golds):
    text, report = graph_export_text(loaded, pseudonymise=True)
    assert report.quasi.k is not None
    for case in golds:
        for p in case.persons:
            for term in [p.name, *p.aliases]:
                if term and len(term) >= 4:
                    assert term.lower() not in text.lower(), term
    g = Graph().parse(data=text, format="nt")
    assert validate_export(g, pseudonymised=True).conforms


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper not installed")
def test_rapper_reads_a_graph_export(loaded, tmp_path):
    text, _ = graph_export_text(loaded, "trig")
    path = tmp_path / "g.trig"
    path.write_text(text, encoding="utf-8")
    run = subprocess.run(["rapper", "-q", "-i", "trig", "-c", str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_the_dhrd_exports_and_conforms_to_the_shapes(store):
    """A tenth of the DHRD's reviews (every tenth; all 647 take a minute and a half on Neo4j)."""
    from dhrkg.ingest.dhrd import import_dhrd, read_dataset, review_id

    dataset = read_dataset()
    import_dhrd(store)
    ids = sorted(r for r in store.reviews() if r.startswith("dhrd-"))
    assert len(ids) == len(dataset.incidents)
    sample = ids[::10]
    buf = io.StringIO()
    report = export_graph(store, buf, "nt", ExportOptions(), reviews=sample)
    g = Graph().parse(data=buf.getvalue(), format="nt")
    assert report.reviews == len(sample) == len(set(g.subjects(RDF.type, DHR.Review)))
    # every incident flag is a Home Office theme of its review
    chosen = set(sample)
    flagged = sum(len([f for f, v in inc.flags.items() if v]) for inc in dataset.incidents if review_id(inc.id) in chosen)
    assert flagged and len(list(g.triples((None, DHR.theme, None)))) == flagged
    assert all(str(o).startswith(str(DHR_THEME)) for o in g.objects(None, DHR.theme))
    assert len(list(g.triples((None, DHR.ageBand, None)))) > len(sample)
    report = validate_export(g)
    assert report.conforms, report.text[:3000]


def test_cli_exports_from_the_graph(falkordb_data_dir, golds, tmp_path, monkeypatch):
    from dhrkg.cli import app
    from dhrkg.graph.falkordb import FalkorDBStore

    graph = f"rdf-cli-{tmp_path.name}"
    store = FalkorDBStore(falkordb_data_dir, graph=graph)
    try:
        for case in golds:
            store.load_case(case)
        monkeypatch.setenv("DHRKG_GRAPH", graph)
        out = tmp_path / "from-graph.nq"
        res = CliRunner().invoke(app, ["export", "--from-graph", "--backend", "falkordb",
                                       "--data-dir", str(falkordb_data_dir), "-o", str(out)])
        assert res.exit_code == 0, res.output
        back = {c.review.id for c in cases_from_rdf(read_rdf(out))}
        assert back == {c.review.id for c in golds}
        one = tmp_path / "one.ttl"
        res = CliRunner().invoke(app, ["export", "--backend", "falkordb", "--data-dir", str(falkordb_data_dir),
                                       "--review", golds[0].review.id, "-o", str(one)])
        assert res.exit_code == 0, res.output
        assert "of 1 review" in res.output
        res = CliRunner().invoke(app, ["export", "--backend", "falkordb", "--data-dir", str(falkordb_data_dir),
                                       "--review", "no-such-review", "-o", str(tmp_path / "none.nt")])
        assert res.exit_code == 1 and "no-such-review" in res.output
        assert not (tmp_path / "none.nt").exists()
    finally:
        store._graph.delete()
        store.close()


def test_import_rdf_into_the_graph(falkordb_data_dir, golds, tmp_path, monkeypatch):
    from dhrkg.cli import app
    from dhrkg.graph.falkordb import FalkorDBStore

    path = tmp_path / "gold.nt"
    with open(path, "w", encoding="utf-8") as f:
        export_cases(golds, f, "nt", ExportOptions())
    graph = f"rdf-import-{tmp_path.name}"
    monkeypatch.setenv("DHRKG_GRAPH", graph)
    res = CliRunner().invoke(app, ["import-rdf", str(path), "--to-graph", "--backend", "falkordb",
                                   "--data-dir", str(falkordb_data_dir)])
    assert res.exit_code == 0, res.output
    store = FalkorDBStore(falkordb_data_dir, graph=graph)
    try:
        assert sorted(store.reviews()) == sorted(c.review.id for c in golds)
        for case in golds:
            stats = store.stats(case.review.id)
            assert stats["nodes"]["Event"] == len(case.events)
            assert stats["nodes"]["Person"] == len(case.persons)
    finally:
        store._graph.delete()
        store.close()


def test_the_same_review_from_file_and_from_graph_gives_the_same_person_iris(loaded, golds):
    text, _ = graph_export_text(loaded)
    from_graph = Graph().parse(data=text, format="nt")
    buf = io.StringIO()
    export_cases(golds, buf, "nt", ExportOptions())
    from_file = Graph().parse(data=buf.getvalue(), format="nt")
    persons = lambda g: {s for s in g.subjects(RDF.type, DHR.Person) if isinstance(s, URIRef)}  # noqa: E731
    assert persons(from_file) <= persons(from_graph)

