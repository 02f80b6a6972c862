"""The DHR ontology (ontology/dhr.ttl): parses, covers the model and the graph schema, is consistent."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from dhrkg.model import model as m
from dhrkg.ontology import build, schemes, terms
from dhrkg.ontology.vocab import DHR, LICENSE_IRI, ONTOLOGY_IRI, SCHEMES, VERSION_IRI
from dhrkg.places import force_areas

from support.rdf_cases import model_fields

ONTOLOGY_DIR = Path(build.__file__).resolve().parent


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "dhr.ttl", format="turtle")


def declared(g: Graph, term: URIRef) -> bool:
    return any((term, RDF.type, t) in g for t in (
        OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDFS.Datatype))


def test_ontology_and_shapes_parse():
    for name in ("dhr.ttl", "shapes.ttl", "shapes-pseudonymised.ttl"):
        g = Graph().parse(ONTOLOGY_DIR / name, format="turtle")
        assert len(g) > 40, name


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper (Debian raptor2-utils) not installed")
def test_rapper_parses_the_ontology_files():
    for name in ("dhr.ttl", "shapes.ttl", "shapes-pseudonymised.ttl"):
        run = subprocess.run(["rapper", "-q", "-i", "turtle", "-c", str(ONTOLOGY_DIR / name)],
                             capture_output=True, text=True)
        assert run.returncode == 0, run.stderr


def test_header_has_version_iri_licence_and_title(onto):
    o = URIRef(ONTOLOGY_IRI)
    assert (o, RDF.type, OWL.Ontology) in onto
    assert (o, OWL.versionIRI, URIRef(VERSION_IRI)) in onto
    assert (o, DCTERMS.license, URIRef(LICENSE_IRI)) in onto
    assert onto.value(o, DCTERMS.title) is not None
    assert onto.value(o, OWL.versionInfo) == Literal(VERSION_IRI.rsplit("/", 1)[-1])


def test_every_dhr_term_has_a_label_and_a_definition(onto):
    own = {s for s in onto.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(str(DHR))}
    assert len(own) > 100
    missing = [s for s in own if onto.value(s, RDFS.label) is None or onto.value(s, SKOS.definition) is None]
    assert not missing, missing


def test_every_concept_has_a_label_a_definition_and_a_scheme(onto):
    concepts = set(onto.subjects(RDF.type, SKOS.Concept))
    assert concepts
    for c in concepts:
        assert onto.value(c, SKOS.prefLabel) is not None, c
        assert onto.value(c, SKOS.definition) is not None, c
        assert (c, SKOS.inScheme, None) in onto, c


def test_every_field_of_the_model_maps_to_a_declared_term(onto):
    fields = model_fields()
    assert len(fields) > 100
    unmapped, undeclared = [], []
    for cls, name in fields:
        term = terms.term_for(cls, name)
        if term is None:
            unmapped.append(f"{cls.__name__}.{name}")
        elif not declared(onto, term):
            undeclared.append(f"{cls.__name__}.{name} -> {term}")
        elif onto.value(term, RDFS.label) is None or onto.value(term, SKOS.definition) is None:
            undeclared.append(f"{cls.__name__}.{name} -> {term} (no label or definition)")
    assert not unmapped, f"fields without an ontology term: {unmapped}"
    assert not undeclared, f"terms not declared in dhr.ttl: {undeclared}"


def test_the_field_map_names_no_field_the_model_lacks():
    real = {(c.__name__, f) for c, f in model_fields()} | {("_RelationshipBase", f) for f in m._RelationshipBase.model_fields}
    stale = [k for k in terms.FIELD_TERMS if tuple(k.split(".", 1)) not in real]
    assert not stale


def test_graph_schema_labels_and_relationships_map_to_declared_terms(onto):
    for mapping in (terms.GRAPH_LABELS, terms.GRAPH_AREA_KINDS, terms.GRAPH_RELATIONSHIPS):
        for name, term in mapping.items():
            assert declared(onto, term), f"{name} -> {term}"


def _scheme_values(onto: Graph, scheme_name: str) -> set[str]:
    scheme = DHR[scheme_name]
    ns = None
    out = set()
    for c in onto.subjects(SKOS.inScheme, scheme):
        text = str(c)
        ns = text.rsplit("/", 1)[0] + "/"
        out.add(text[len(ns):])
    return out


def test_concept_schemes_equal_the_enumerations_of_the_model(onto):
    enums = schemes.model_enumerations()
    assert len(enums) >= 13
    by_literal = {id(s.literal): s for s in schemes.MODEL_SCHEMES}
    for name, values in enums.items():
        literal = getattr(m, name)
        scheme = by_literal.get(id(literal))
        assert scheme is not None, f"no concept scheme for the model's {name}"
        assert set(scheme.values()) == set(values), name
        # ...and the generated Turtle holds exactly those concepts
        assert _scheme_values(onto, scheme.name) == set(values), name
        assert all(str(c).startswith(str(SCHEMES[scheme.slug])) for c in onto.subjects(SKOS.inScheme, DHR[scheme.name]))


def test_force_area_scheme_holds_the_43_force_areas(onto):
    names = {fa.name for fa in force_areas()}
    assert len(names) == 43
    scheme = DHR.PoliceForceAreaScheme
    labels = {str(onto.value(c, SKOS.prefLabel)) for c in onto.subjects(SKOS.inScheme, scheme)}
    assert labels == names
    for c in onto.subjects(SKOS.inScheme, scheme):
        assert (c, RDF.type, DHR.PoliceForceArea) in onto


def test_timeline_has_monckton_smiths_eight_stages_in_order(onto):
    stages = list(onto.subjects(SKOS.inScheme, DHR.HomicideTimelineScheme))
    assert len(stages) == 8
    notations = sorted(int(str(onto.value(s, SKOS.notation))) for s in stages)
    assert notations == list(range(1, 9))
    by_n = {int(str(onto.value(s, SKOS.notation))): str(onto.value(s, SKOS.prefLabel)) for s in stages}
    assert by_n[1] == "pre-relationship" and by_n[4] == "trigger" and by_n[8] == "homicide"


def test_dhr_themes_are_grouped_under_top_concepts(onto):
    scheme = DHR.DHRThemeScheme
    tops = set(onto.objects(scheme, SKOS.hasTopConcept))
    members = set(onto.subjects(SKOS.inScheme, scheme))
    assert len(tops) == 5 and len(members) > 30
    for c in members - tops:
        assert onto.value(c, SKOS.broader) in tops


def test_age_bands_cover_every_age_without_gaps():
    assert schemes.age_band(0) == "under-16"
    assert schemes.age_band(15) == "under-16"
    assert schemes.age_band(16) == "16-19"
    assert schemes.age_band(24) == "20-24"
    assert schemes.age_band(25) == "25-34"
    assert schemes.age_band(64) == "55-64"
    assert schemes.age_band(65) == "65-plus"
    assert schemes.age_band(120) == "65-plus"
    assert {v for _, v in schemes.AGE_BAND_LIMITS} == set(schemes.AGE_BAND.values()) - {"20-34"}


def test_generated_files_are_up_to_date():
    stale = [str(p) for p, text in build.outputs().items()
             if not p.exists() or p.read_text(encoding="utf-8") != text]
    assert not stale, f"run `python -m dhrkg.ontology.build`: {stale}"


def test_docs_page_lists_every_class_and_scheme(onto):
    page = build.DOCS_FILE.read_text(encoding="utf-8")
    for c in onto.subjects(RDF.type, OWL.Class):
        if str(c).startswith(str(DHR)):
            assert f"### dhr:{str(c)[len(str(DHR)):]}" in page
    for s in onto.subjects(RDF.type, SKOS.ConceptScheme):
        assert f"### dhr:{str(s)[len(str(DHR)):]}" in page
    assert "Case-file fields and the terms that carry them" in page


def test_the_mapping_covers_every_label_area_kind_and_relationship_type_of_the_graph_schema():
    import re

    from dhrkg.graph import schema as gs

    assert set(terms.GRAPH_LABELS) == set(gs.LABELS)
    assert set(terms.GRAPH_AREA_KINDS) == set(gs.AREA_KINDS)
    doc = (ONTOLOGY_DIR.parent / "docs" / "graph-schema.md").read_text(encoding="utf-8")
    table = doc.split("## Relationship types", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", table, re.M))
    assert len(documented) > 15
    expected = documented | set(gs.RELATIONSHIP_TYPES.values()) | set(gs.STRUCTURAL_RELATIONSHIPS)
    assert expected <= set(terms.GRAPH_RELATIONSHIPS), expected - set(terms.GRAPH_RELATIONSHIPS)
