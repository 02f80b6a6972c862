"""One date type: every reader of dates (case files, chronology cells, report prose, RDF)
makes its dates with PartialDate.of, so none of them can hold an impossible date."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from dhrkg.ingest.chronology import parse_date_text
from dhrkg.ingest.report.dates import DateContext, find_dates
from dhrkg.model import PartialDate, PartialDateError
from dhrkg.ontology import vocab as V
from dhrkg.ontology.rdf_import import RDFImportError, case_data_from_rdf


@pytest.mark.parametrize("numbers, part", [
    ((999,), "year"), ((10000,), "year"), ((2011, 13), "month"), ((2011, 0), "month"),
    ((2011, 2, 29), "day"), ((2011, 4, 31), "day"), ((2011, None, 5), "day"),
])
def test_impossible_numbers_are_refused_naming_the_part(numbers, part):
    with pytest.raises(PartialDateError) as err:
        PartialDate.of(*numbers)
    assert err.value.part == part


def test_parse_and_of_agree():
    assert PartialDate.parse("2012-02-29") == PartialDate.of(2012, 2, 29)
    assert PartialDate.parse(2011) == PartialDate.of(2011)
    with pytest.raises(PartialDateError, match="'0999' is not a date: year 999 is out of range"):
        PartialDate.parse("0999")
    with pytest.raises(PartialDateError, match="February 2011 has 28 days"):
        PartialDate.parse("2011-02-29")


def test_chronology_cells_keep_their_own_words():
    with pytest.raises(Exception, match=r"there is no month 13 \(dates are read day first\)"):
        parse_date_text("01/13/2010")
    with pytest.raises(Exception, match="February 2010 has 28 days"):
        parse_date_text("31/02/2010")
    assert parse_date_text("8 Oct 2010").date == PartialDate.of(2010, 10, 8)


def test_report_prose_with_the_year_from_context_never_makes_an_impossible_date():
    found = find_dates("On 29th February she called, and on 3rd March she called again.", DateContext(year=2011))
    assert [m.date for m in found] == [PartialDate.of(2011, 3, 3)]
    found = find_dates("On 29th February she called.", DateContext(year=2012))
    assert [m.date for m in found] == [PartialDate.of(2012, 2, 29)]


def test_an_rdf_date_that_is_not_a_date_names_the_resource_and_property():
    g = Graph()
    review, person = URIRef("https://example.org/r"), URIRef("https://example.org/r/p")
    g.add((review, V.RDF.type, V.DHR.Review))
    g.add((person, V.RDF.type, V.DHR.Person))
    g.add((person, V.DHR.inReview, review))
    g.add((person, V.DHR.born, Literal("2011-02-30")))
    with pytest.raises(RDFImportError, match=r"<https://example.org/r/p> <.*born>: .*February 2011 has 28 days"):
        case_data_from_rdf(g)
