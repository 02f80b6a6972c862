"""RDF export and import: lossless round trip, every format parses (rapper, rdflib, pyoxigraph),
exports conform to the SHACL shapes, provenance and partial dates are kept."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF


from dhrkg.model import load_case
from dhrkg.ontology.export import FORMATS, ExportOptions, export_cases
from dhrkg.ontology.ntriples import literal
from dhrkg.ontology.rdf_import import RDFImportError, case_data_from_rdf, cases_from_rdf, read_rdf, union_graph
from dhrkg.ontology.validate import validate_export
from dhrkg.ontology import vocab as V
from dhrkg.ontology.vocab import DHR

XSD_DATE, XSD_GYEAR, XSD_GYEARMONTH = (URIRef(str(V.XSD) + n) for n in ("date", "gYear", "gYearMonth"))

from support.rdf_cases import GOLD_FILES, every_field_casefile, gold_cases

SUFFIX = {"nt": "nt", "nq": "nq", "ttl": "ttl", "trig": "trig", "jsonld": "jsonld"}
RAPPER_SYNTAX = {"nt": "ntriples", "nq": "nquads", "ttl": "turtle", "trig": "trig"}


def export_file(tmp_path: Path, cases, fmt: str, **opts) -> Path:
    path = tmp_path / f"export.{SUFFIX[fmt]}"
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        export_cases(cases, out, fmt, ExportOptions(**opts))
    return path


@pytest.fixture(scope="module")
def golds():
    return gold_cases()


@pytest.fixture(scope="module")
def exports(golds, tmp_path_factory):
    """Exports of the gold files plus the every-field case, one per format, made once."""
    made: dict[str, Path] = {}
    folder = tmp_path_factory.mktemp("exports")

    def get(fmt: str) -> Path:
        if fmt not in made:
            made[fmt] = export_file(folder, golds + [every_field_casefile()], fmt)
        return made[fmt]

    return get


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_gold_files_and_every_field_case_round_trip_losslessly(exports, golds, fmt):
    back = {c.review.id: c for c in cases_from_rdf(read_rdf(exports(fmt)))}
    originals = golds + [every_field_casefile()]
    assert len(back) == len(originals)
    for case in originals:
        assert back[case.review.id].to_data() == case.to_data(), case.review.id


OX_FORMAT = {"nt": "N_TRIPLES", "nq": "N_QUADS", "ttl": "TURTLE", "trig": "TRIG", "jsonld": "JSON_LD"}


def canonical_triples(path: Path | None = None, fmt: str = "nt", data: str | None = None) -> set:
    """The triples of an RDF file (graph names dropped), blank nodes canonicalised (pyoxigraph)."""
    import pyoxigraph as ox

    rdf_format = getattr(ox.RdfFormat, OX_FORMAT[fmt])
    quads = ox.parse(path=str(path), format=rdf_format) if data is None else ox.parse(data, format=rdf_format)
    ds = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    ds.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(ds)


def test_every_format_holds_the_same_triples(exports):
    reference = canonical_triples(exports("nt"), "nt")
    assert len(reference) > 10000
    for fmt in FORMATS:
        assert canonical_triples(exports(fmt), fmt) == reference, fmt


def review_graphs(path: Path, fmt: str) -> dict[str, set[str]]:
    """Review IRI -> the names of the graphs its dhr:Review triple and its bundle triple are in."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(path), format=getattr(ox.RdfFormat, OX_FORMAT[fmt]))
    rdf_type, review_cls = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(DHR.Review))
    out = {}
    for q in store.quads_for_pattern(None, rdf_type, review_cls, None):
        bundle = ox.NamedNode(f"{q.subject.value}/graph")
        bundle_graphs = {b.graph_name for b in store.quads_for_pattern(bundle, rdf_type, ox.NamedNode(str(PROV.Bundle)), None)}
        out[q.subject.value] = {str(getattr(q.graph_name, "value", ""))} | {str(getattr(g, "value", "")) for g in bundle_graphs}
    return out


@pytest.mark.parametrize("fmt", ["nq", "trig", "jsonld"])
def test_quad_formats_put_each_review_in_its_own_named_graph(exports, golds, fmt):
    found = review_graphs(exports(fmt), fmt)
    assert len(found) == len(golds) + 1
    for review, graphs in found.items():
        assert graphs == {f"{review}/graph"}, fmt


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper (Debian raptor2-utils) not installed")
@pytest.mark.parametrize("fmt", sorted(RAPPER_SYNTAX))
def test_rapper_parses_every_format_and_reads_the_same_triples(exports, fmt):
    path = exports(fmt)
    run = subprocess.run(["rapper", "-q", "-i", RAPPER_SYNTAX[fmt], "-o", "nquads", str(path)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[:2000]
    assert canonical_triples(data=run.stdout, fmt="nq") == canonical_triples(path, fmt)


def test_json_ld_parses_in_pyoxigraph_and_rdflib(exports, golds):
    """rapper has no JSON-LD parser; pyoxigraph and rdflib read it to the same triples."""
    assert canonical_triples(exports("jsonld"), "jsonld") == canonical_triples(exports("nq"), "nq")
    g = union_graph(read_rdf(exports("jsonld")))
    assert len(set(g.subjects(RDF.type, DHR.Review))) == len(golds) + 1


@pytest.mark.parametrize("pseudonymise", [False, True])
def test_gold_exports_conform_to_the_shapes(exports, golds, pseudonymise):
    if pseudonymise:
        buf = io.StringIO()
        export_cases(golds + [every_field_casefile()], buf, "nt", ExportOptions(pseudonymise=True))
        data = Graph().parse(data=buf.getvalue(), format="nt")
    else:
        data = Graph().parse(exports("nt"), format="nt")
    report = validate_export(data, pseudonymised=pseudonymise)
    assert report.conforms, report.text[:3000]


def test_the_shapes_catch_an_event_without_a_date_and_abuse_without_a_perpetrator(golds):
    buf = io.StringIO()
    export_cases(golds[:1], buf, "nt", ExportOptions())
    g = Graph().parse(data=buf.getvalue(), format="nt")
    event = next(g.subjects(RDF.type, DHR.Event))
    g.remove((event, DHR.date, None))
    abuse = next(g.subjects(RDF.type, DHR.EventAbuse))
    g.remove((abuse, DHR.perpetrator, None))
    person = next(g.subjects(RDF.type, DHR.Person))
    g.remove((person, DHR.inReview, None))
    other_review = URIRef("https://example.org/review/other")
    g.add((other_review, RDF.type, DHR.Review))
    g.add((other_review, DHR.report, URIRef("https://example.org/review/other/report")))
    g.add((URIRef("https://example.org/review/other/report"), RDF.type, DHR.ReviewReport))
    g.add((URIRef("https://example.org/review/other/report"), PROV.wasGeneratedBy, other_review))
    stranger = URIRef("https://example.org/review/other/person/x")
    g.add((stranger, RDF.type, DHR.Person))
    g.add((stranger, DHR.inReview, other_review))
    g.add((event, DHR.involves, stranger))
    report = validate_export(g)
    assert not report.conforms
    assert "every event has one date" in report.text
    assert "abuse has a perpetrator" in report.text
    assert "every record belongs to exactly one review" in report.text
    assert "points to a person or agency of another review" in report.text


def test_a_full_export_fails_the_pseudonymised_shapes(golds):
    buf = io.StringIO()
    export_cases(golds[:1], buf, "nt", ExportOptions())
    report = validate_export(Graph().parse(data=buf.getvalue(), format="nt"), pseudonymised=True)
    assert not report.conforms
    assert "name in a pseudonymised export" in report.text


def test_partial_dates_keep_their_precision(tmp_path):
    case = every_field_casefile()
    g = union_graph(read_rdf(export_file(tmp_path, [case], "nt")))
    by_id = {str(g.value(s, URIRef("http://purl.org/dc/terms/identifier"))): s for s in g.subjects(RDF.type, DHR.Event)}
    for e in case.events:
        value = g.value(by_id[e.id], DHR.date)
        expected = {"year": XSD_GYEAR, "month": XSD_GYEARMONTH, "day": XSD_DATE}[e.date.precision]
        assert value.datatype == expected and str(value) == str(e.date)
    review = next(g.subjects(RDF.type, DHR.Review))
    period = g.value(review, DHR.reviewPeriod)
    start = g.value(period, V.TIME.hasBeginning)
    end = g.value(period, V.TIME.hasEnd)
    assert g.value(start, V.TIME.inXSDDate) == Literal(str(case.review.review_period.start), datatype=XSD_DATE)
    assert g.value(end, V.TIME.inXSDgYearMonth) == Literal(str(case.review.review_period.end), datatype=XSD_GYEARMONTH)


@pytest.mark.parametrize("precision", ["month", "year"])
def test_generalised_dates_are_never_more_precise_than_asked(tmp_path, golds, precision):
    g = union_graph(read_rdf(export_file(tmp_path, golds, "nt", generalise_dates=precision)))
    allowed = {"month": {XSD_GYEAR, XSD_GYEARMONTH}, "year": {XSD_GYEAR}}[precision]
    dated = [o for o in g.objects() if isinstance(o, Literal) and o.datatype in (XSD_DATE, XSD_GYEAR, XSD_GYEARMONTH)]
    assert dated
    assert {o.datatype for o in dated} <= allowed


def test_every_record_with_a_source_keeps_its_paragraphs(tmp_path, golds):
    g = union_graph(read_rdf(export_file(tmp_path, golds, "nq")))
    ident = URIRef("http://purl.org/dc/terms/identifier")
    for case in golds:
        for kind, records in (("person", case.persons), ("event", case.events), ("household", case.households),
                              ("recommendation", case.recommendations)):
            for rec in records:
                subject = next(s for s in g.subjects(ident, Literal(rec.id))
                               if (s, DHR.inReview, None) in g and f"/{kind}/" in str(s)
                               and f"/review/{case.review.id}/" in str(s).replace("%2F", "/"))
                passage = g.value(subject, PROV.wasDerivedFrom)
                if rec.source is None:
                    assert passage is None
                else:
                    assert str(g.value(passage, DHR.paragraphs)) == rec.source
                    assert g.value(passage, URIRef("http://purl.org/dc/terms/isPartOf")) is not None


def test_export_selects_one_review(golds):
    buf = io.StringIO()
    report = export_cases(golds, buf, "nt", ExportOptions(), review=golds[1].review.id)
    assert report.reviews == 1
    g = Graph().parse(data=buf.getvalue(), format="nt")
    assert len(set(g.subjects(RDF.type, DHR.Review))) == 1


def test_literal_escaping_round_trips_through_a_parser():
    for text in ['plain', 'a "quote"', "back\\slash", "line\nbreak\r\n", "tab\tand bell\x07", "é ŵ 😀", "\ud800 lone"]:
        g = Graph().parse(data=f"<urn:a> <urn:b> {literal(text)} .\n", format="nt")
        expected = text.replace("\ud800", "\ufffd")
        assert str(g.value(URIRef("urn:a"), URIRef("urn:b"))) == expected


def test_import_names_the_resource_when_the_rdf_is_not_a_valid_case(tmp_path, golds):
    path = export_file(tmp_path, golds[:1], "nt")
    g = union_graph(read_rdf(path))
    event = next(g.subjects(RDF.type, DHR.Event))
    g.add((event, DHR.date, Literal("1999", datatype=XSD_GYEAR)))
    with pytest.raises(RDFImportError, match=str(event).replace("?", r"\?")):
        case_data_from_rdf(g)


def test_import_refuses_a_file_it_cannot_parse(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle <", encoding="utf-8")
    with pytest.raises(RDFImportError, match="bad.ttl"):
        read_rdf(bad)


def test_gold_files_load(golds):
    assert [load_case(p).review.id for p in GOLD_FILES] == [c.review.id for c in golds]


@pytest.mark.parametrize("base", ["relative/", "https://example.org/no-slash", "https://example.org/a b/"])
def test_a_bad_base_iri_is_refused(base):
    with pytest.raises(ValueError, match="base IRI|IRI"):
        ExportOptions(base=base)


def test_another_base_iri_is_used_for_every_record(tmp_path, golds):
    path = export_file(tmp_path, golds[:1], "nt", base="https://example.org/dhr/")
    text = path.read_text(encoding="utf-8")
    assert "https://example.org/dhr/review/" in text and "https://w3id.org/dhrkg/id/" not in text
    [back] = cases_from_rdf(read_rdf(path))
    assert back.to_data() == golds[0].to_data()
