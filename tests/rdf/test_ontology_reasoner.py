"""An OWL reasoner (HermiT through owlready2, on the Java here) finds the ontology consistent,
also with the export of a gold file loaded into it, and classifies by its definitions.

HermiT accepts only the OWL 2 datatype map, so the data given to it leaves out literals of
xsd:date, xsd:gYear, xsd:gYearMonth and xsd:time (the SHACL tests check those), strings with
C0 control characters (outside the xsd:string value space; the export keeps them, escaped, so
that a case file survives the round trip) and the rdf:List annotations that keep list order.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
import rdflib.namespace as rdfns

from dhrkg.ontology.export import ExportOptions, case_triples
from dhrkg.ontology.vocab import DHR

from support.rdf_cases import GOLD_FILES, every_field_casefile

owlready2 = pytest.importorskip("owlready2")
pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")

ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology" / "dhr.ttl"
NOT_OWL2 = {rdfns.XSD.date, rdfns.XSD.gYear, rdfns.XSD.gYearMonth, rdfns.XSD.time}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _owl_data(case) -> Graph:
    text = "".join(f"{s} {p} {o} .\n" for s, p, o in case_triples(case, ExportOptions()))
    data = Graph().parse(data=text, format="nt")
    out = Graph()
    for s, p, o in data:
        if isinstance(o, Literal) and (o.datatype in NOT_OWL2 or CONTROL.search(str(o))):
            continue
        if p in (RDF.first, RDF.rest) or str(p).endswith("Order"):
            continue
        out.add((s, p, o))
    return out


def _reason(tmp_path: Path, *graphs: Graph):
    """Run HermiT on the union; returns the owlready2 world (raises OwlReadyInconsistentOntologyError)."""
    union = Graph()
    for g in graphs:
        union += g
    path = tmp_path / "input.nt"
    path.write_text(union.serialize(format="nt"), encoding="utf-8")
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load()
    with onto:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    return world


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def test_hermit_finds_the_ontology_consistent(ontology, tmp_path):
    world = _reason(tmp_path, ontology)
    assert list(world.inconsistent_classes()) == []


def test_hermit_finds_a_gold_export_consistent_and_classifies_former_partnerships(ontology, tmp_path):
    from dhrkg.model import load_case

    case = load_case(GOLD_FILES[0])
    world = _reason(tmp_path, ontology, _owl_data(case))
    former = world.search_one(iri=str(DHR.FormerPartnership))
    expected = sum(1 for r in case.relationships if r.type == "partner" and r.status == "former")
    assert expected > 0
    assert len(list(former.instances())) == expected
    victims = world.search_one(iri=str(DHR.Victim))
    assert len(list(victims.instances())) == sum(1 for p in case.persons if "victim" in p.roles)


def test_hermit_finds_the_every_field_case_consistent(ontology, tmp_path):
    _reason(tmp_path, ontology, _owl_data(every_field_casefile()))


def test_hermit_rejects_data_that_breaks_the_ontology(ontology, tmp_path):
    """A control: the same check fails when a person is also said to be an agency."""
    data = _owl_data(every_field_casefile())
    person = next(data.subjects(RDF.type, DHR.Person))
    data.add((person, RDF.type, DHR.Agency))
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _reason(tmp_path, ontology, data)


def test_hermit_rejects_two_reviews_for_one_record(ontology, tmp_path):
    """dhr:inReview is functional and reviews are distinct individuals only when said so;
    two reviews declared different make a record in both inconsistent."""
    data = _owl_data(every_field_casefile())
    person = next(data.subjects(RDF.type, DHR.Person))
    other = URIRef("https://example.org/another-review")
    review = next(data.subjects(RDF.type, DHR.Review))
    data.add((other, RDF.type, DHR.Review))
    data.add((person, DHR.inReview, other))
    data.add((other, URIRef("http://www.w3.org/2002/07/owl#differentFrom"), review))
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _reason(tmp_path, ontology, data)
