"""Formats declared once (dhrkg.formats) and rendered once (dhrkg.renderers): the command line,
the RDF reader and writers, the drawing converter and the HTTP API all take their names, media
types and extensions from the same records."""

from __future__ import annotations

import io
import json

from dhrkg.api.exports import RDF_MEDIA
from dhrkg.formats import DRAWING_FORMATS, RDF_FORMATS, by_extension, extension_aliases
from dhrkg.ontology import writers
from dhrkg.renderers import RESULT_FORMATS, Format, ResultFormat, cell_text, render
from dhrkg.visualisation import convert


def test_every_rdf_consumer_reads_the_one_registry():
    assert set(writers.FORMATS) == set(RDF_FORMATS) == set(RDF_MEDIA)
    assert writers.QUAD_FORMATS == {"nq", "trig", "jsonld"}
    assert RDF_MEDIA["ttl"] == "text/turtle"
    assert convert.FORMATS == tuple(DRAWING_FORMATS) == ("svg", "pdf", "png")


def test_a_file_name_says_its_format_by_extension_or_alias():
    assert by_extension("x.TTL", RDF_FORMATS).name == "ttl"
    assert by_extension("x.turtle", RDF_FORMATS).name == "ttl"
    assert by_extension("x.json", RDF_FORMATS).name == "jsonld"
    assert by_extension("x.yaml", RDF_FORMATS) is None
    assert extension_aliases(RDF_FORMATS)["json"] == "jsonld"


def test_cli_and_api_result_formats_come_from_one_registry():
    assert [f.value for f in Format] == ["table", "records", "csv", "json"]
    assert sorted(f.value for f in ResultFormat) == ["csv", "json", "ndjson"] == sorted(RESULT_FORMATS)
    columns, rows = ["a", "when"], [[1, None], [{"id": "e1", "source": "3.2"}, "x"]]
    out = io.StringIO()
    render(columns, rows, Format.csv, out)
    assert out.getvalue() == "".join(RESULT_FORMATS["csv"].render(columns, rows))
    out = io.StringIO()
    render(columns, rows, Format.json, out)
    assert json.loads(out.getvalue()) == json.loads("".join(RESULT_FORMATS["json"].render(columns, rows)))
    assert cell_text({"id": "e1", "source": "3.2"}) == "e1 ¶3.2"


def test_export_reads_its_format_from_an_alias_extension(tmp_path):
    from pathlib import Path

    from typer.testing import CliRunner

    from dhrkg.cli import app

    example = Path(__file__).resolve().parents[2] / "examples" / "001_24bc3f827734f2c4.yaml"
    out = tmp_path / "case.turtle"
    res = CliRunner().invoke(app, ["export", str(example), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "(ttl)" in res.output
    res = CliRunner().invoke(app, ["import-rdf", str(out), "-o", str(tmp_path / "back.yaml")])
    assert res.exit_code == 0, res.output
