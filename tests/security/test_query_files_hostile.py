"""A query file with a hostile header (nested 5,000 deep, or huge) is reported and skipped;
every other query still loads and runs."""

from __future__ import annotations

import uuid

import pytest
from typer.testing import CliRunner

from dhrkg.graph import canned
from support.hostile import DEEP_HEADER, GOOD_QUERY


@pytest.fixture
def folder(tmp_path):
    q = tmp_path / "q"
    q.mkdir()
    (q / "hostile-good.cypher").write_text(GOOD_QUERY, encoding="utf-8")
    (q / "deep.cypher").write_text(DEEP_HEADER, encoding="utf-8")
    (q / "huge.cypher").write_text("// name: huge\n// title: " + "x" * 70_000 + "\nRETURN 1\n", encoding="utf-8")
    return q


def test_bad_headers_are_problems_and_the_rest_of_the_library_loads(folder):
    lib = canned.load_library([folder], include_user=False)
    assert "hostile-good" in lib.queries
    assert len(lib.queries) > 10  # the package's queries are all there too
    problems = {p.path.rsplit("/", 1)[-1]: str(p) for p in lib.problems}
    assert "header is nested too deeply" in problems["deep.cypher"]
    assert "header is longer than 65,536 characters" in problems["huge.cypher"]
    with pytest.raises(canned.UnknownQuery, match="nested too deeply"):
        lib.get("deep")


def test_dhrkg_run_still_runs_the_other_queries(folder, falkordb_data_dir, monkeypatch):
    from dhrkg.cli import app
    from dhrkg.graph.falkordb import FalkorDBStore

    graph = f"test-hostile-run-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("DHRKG_GRAPH", graph)
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("DHRKG_BACKEND", raising=False)
    store = FalkorDBStore(falkordb_data_dir, graph=graph)
    try:
        store.ensure_schema()
        out = CliRunner().invoke(app, ["run", "hostile-good", "--queries-dir", str(folder), "--format", "csv",
                                       "--data-dir", str(falkordb_data_dir)])
        assert out.exit_code == 0, out.output
        assert out.output.splitlines()[:2] == ["n", "0"]
    finally:
        store._graph.delete()
        store.close()
