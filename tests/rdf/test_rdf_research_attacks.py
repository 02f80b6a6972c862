"""A researcher attacks the pseudonymised research export of a review whose people, births,
ages and events are all known: hunting for names (NFD, Cyrillic look-alikes, lower case inside
agency names and relation labels, source paragraph text and IRIs, a person known only by id)
and for a date of birth or an exact date (birth events, ages with dated events, partial dates,
the public homicide date as an anchor). From case files and from the graph (both engines)."""

from __future__ import annotations

import datetime as dt
import io
import re
import urllib.parse

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from dhrkg.model.dates import PartialDate
from dhrkg.model.model import CaseFile
from dhrkg.ontology.disclosure import SHIFT_MAX_DAYS, SHIFT_MIN_DAYS, DateShift
from dhrkg.ontology.export import DisclosureError, ExportOptions, P, export_cases, research_checked
from dhrkg.ontology.graph_export import export_graph
from dhrkg.ontology.pseudonymise import ExportKey, match_form
from dhrkg.ontology.validate import validate_export
from dhrkg.ontology.vocab import DHR

from support.rdf_cases import KEY, pseudonymised_export

_XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_DATE, XSD_MONTH, XSD_YEAR = URIRef(_XSD + "date"), URIRef(_XSD + "gYearMonth"), URIRef(_XSD + "gYear")
REVIEW = "attack-review-1"
HOMICIDE = "2019-06-14"  # public: the press reported it

# Every name a researcher could hunt for, as the case file writes it.
NAMES = ["Quimby", "Farnsworth", "Zoë", "Abernathy", "Zed", "thaddeus", "Ignatius", "Pemberton", "Smythe"]
BIRTHS = {"victim": "1988-12-03", "perp": "1985-04-21", "thaddeus": "2016-03-09", "ignatius": "1950-07-30"}

EVENTS = [  # id, date, type, persons, summary, source
    ("e-victim-born", "1988-12", "life_event", ["victim"], "Born in Stafford.", "1.2"),
    ("e-child-arrives", "2016-03-09", "life_event", ["thaddeus"], "A new arrival.", "2.3"),
    ("e-child-month", "2016-03", "life_event", ["thaddeus"], None, "2.3"),
    ("e-birthday", "2018-04-21", "appointment", ["perp"], "Seen on his birthday.", "2.4"),
    ("e-uncle-died", "2017-09-02", "life_event", ["ignatius"], "Ignatius died.", "2.5"),
    ("e-call", "2017-11-20", "call", ["victim"], "Quimby called 999.", "2.1 (statement of Quimby Farnsworth)"),
    ("e-incident", "2018-01-07", "incident", ["victim", "perp"], "Assault.", "2.7-2.9, 3.1"),
    ("e-dash", "2018-01-08", "risk_assessment", ["victim"], "DASH completed.", "2.10"),
    ("e-moved", "2018-08", "life_event", ["victim", "thaddeus"], "Moved house.", "2.11"),
    ("e-homicide", HOMICIDE, "homicide", ["victim", "perp"], "Quimby was killed.", "1.1"),
]
NOT_BIRTHS = {"e-uncle-died", "e-call", "e-incident", "e-dash", "e-moved", "e-homicide"}


def attack_case() -> CaseFile:
    events = []
    for eid, date, etype, persons, summary, source in EVENTS:
        e = {"id": eid, "date": date, "type": etype, "persons": persons, "source": source}
        if summary:
            e["summary"] = summary
        events.append(e)
    events[5].update(agency="farnsworth-support", time="23:15")
    events[6].update(agency="police", abuse={"perpetrator": "perp", "victim": "victim", "kinds": ["physical"]})
    events[7].update(agency="police", risk={"tool": "DASH", "level": "high", "grade": "Quimby says high"})
    return CaseFile.model_validate({
        "format": "dhr-case/1",
        "review": {"id": REVIEW, "title": "Review into the death of Quimby Farnsworth",
                   "commissioned_by": "Quimby Farnsworth Memorial Partnership", "local_authority": "Stafford",
                   "police_force_area": "Staffordshire", "homicide_date": HOMICIDE,
                   "review_period": {"start": BIRTHS["thaddeus"], "end": HOMICIDE}},
        "persons": [
            {"id": "victim", "name": "Quimby Farnsworth", "sex": "female", "born": BIRTHS["victim"], "age": 30,
             "died": HOMICIDE, "roles": ["victim"], "ethnicity": "White British", "source": "1.1 (Quimby's mother)"},
            {"id": "perp", "name": "Zoe\u0308 Abernathy", "aliases": ["Zed"], "sex": "male",
             "born": BIRTHS["perp"], "age": 34, "roles": ["perpetrator"], "ethnicity": "White (Abernathy family)"},
            {"id": "thaddeus", "sex": "male", "born": BIRTHS["thaddeus"], "age": 3, "roles": ["child"]},
            {"id": "ignatius", "name": "Ignatius Pemberton-Smythe", "born": BIRTHS["ignatius"],
             "died": "2017-09-02", "roles": ["family"]},
        ],
        "relationships": [
            {"type": "partner", "from": "victim", "to": "perp", "status": "current", "start": "2014-02-10"},
            {"type": "parent", "from": "victim", "to": "thaddeus", "start": BIRTHS["thaddeus"]},
            {"type": "relative", "from": "ignatius", "to": "victim", "label": "quimby's uncle"},
            {"type": "associate", "from": "perp", "to": "ignatius", "label": "farnsworth family friend"},
            {"type": "relative", "from": "victim", "to": "ignatius", "label": "maternal uncle"},
        ],
        "households": [{"id": "h1", "members": [{"person": "victim", "start": "2014-02"},
                                                 {"person": "thaddeus", "start": BIRTHS["thaddeus"]}],
                        "location": {"town": "Quimby's Green", "local_authority": "Stafford"}}],
        "agencies": [
            {"id": "police", "name": "Staffordshire Police", "type": "police", "abbreviation": "SP"},
            {"id": "farnsworth-support", "name": "farnsworth family support", "type": "domestic_abuse_service",
             "police_force_area": "Staffordshire"},
            {"id": "nfd", "name": "Zoe\u0308 Abernathy Foundation", "type": "other"},
            {"id": "cyrillic", "name": "Qu\u0456mby House", "type": "housing", "aliases": ["QH"]},
            {"id": "by-id", "name": "Thaddeus Nursery", "type": "education"},
        ],
        "events": events,
        "recommendations": [{"id": "r1", "agency": "police", "text": "Train officers (Quimby's case)."}],
    })


def research_export(case: CaseFile, **opts) -> str:
    return pseudonymised_export([case], **opts)[0]


def graph_research_export(store, **opts) -> str:
    buf = io.StringIO()
    export_graph(store, buf, "nt", ExportOptions(pseudonymise=True, key=KEY, **opts), review=REVIEW)
    return buf.getvalue()


@pytest.fixture(scope="module")
def case():
    return attack_case()


@pytest.fixture(scope="module")
def exported(case):
    return research_export(case)


@pytest.fixture
def graph_exported(store, case):
    store.load_case(case)
    return graph_research_export(store)


def event_iri(eid: str) -> URIRef:
    return URIRef(f"https://w3id.org/dhrkg/id/pseudo/event/{KEY.token(REVIEW, 'event', eid)}")


def dates_of(g: Graph) -> list[Literal]:
    return [o for o in g.objects() if isinstance(o, Literal) and o.datatype in (XSD_DATE, XSD_MONTH, XSD_YEAR)]


# ----- the attacks, as checks on one export text ------------------------------------------


def hunt_names(text: str) -> list[str]:
    """Names found anywhere (literals and IRIs, percent-decoded), compared as the scrubber does."""
    haystack = match_form(urllib.parse.unquote(text))
    return [n for n in NAMES if re.search(rf"(?<!\w){re.escape(match_form(n))}(?!\w)", haystack)]


def hunt_birth_dates(text: str, days: int) -> list[str]:
    """Dates of birth read back from the export by someone who knows the review's date offset
    ``days`` (the worst case: the key holder's offset leaked, or was worked out from public
    dates): any date given to the day or month whose window, moved back, holds a birth."""
    g = Graph().parse(data=text, format="nt")
    found = [f"{p} on {s}" for p in (DHR.born, DHR.age, DHR.ageMonths) for s in g.subjects(p)]
    for lit in dates_of(g):
        d = PartialDate.parse(str(lit))
        if d.precision == "year":
            continue
        lo, hi = d.earliest - dt.timedelta(days=days), d.latest - dt.timedelta(days=days)
        found += [f"{pid} born {born}: {lit}" for pid, born in BIRTHS.items()
                  if lo <= dt.date.fromisoformat(born) <= hi]
    return found


OFFSET = DateShift.for_review(KEY, REVIEW).days


def hunt_exact_dates(text: str) -> list[str]:
    """Dates known to the day, times of day, and event dates that kept their true calendar month."""
    g = Graph().parse(data=text, format="nt")
    found = [str(o) for o in dates_of(g) if o.datatype == XSD_DATE]
    found += [str(o) for o in g.objects(None, DHR.timeOfDay)]
    for eid, date, *_ in EVENTS:
        for o in g.objects(event_iri(eid), DHR.date):
            if PartialDate.parse(date).precision != "year" and str(o) == str(PartialDate.parse(date).truncate("month")):
                found.append(f"{eid} on its true month {o}")
    return found


# ----- from case files -------------------------------------------------------------------


def test_no_name_anywhere_in_the_export(exported):
    assert hunt_names(exported) == []


def test_the_hunt_finds_the_names_in_a_full_export(case):
    """The name hunt works: it finds every name in an export that is not pseudonymised."""
    buf = io.StringIO()
    export_cases([case], buf, "nt", ExportOptions())
    assert set(hunt_names(buf.getvalue())) == set(NAMES)
    assert "/person/thaddeus>" in buf.getvalue()


def test_names_in_nfd_cyrillic_and_lower_case_are_matched():
    from dhrkg.model.model import Person
    from dhrkg.ontology.pseudonymise import NameScrubber

    s = NameScrubber([Person(id="a", name="Zoë Abernathy"), Person(id="thaddeus"), Person(id="child_2")])
    assert s.mentions_person("Zoe\u0308 Abernathy Foundation")  # NFD
    assert s.mentions_person("ZOË'S HOUSE")
    assert s.mentions_person("\u0410bernathy Ltd")  # Cyrillic capital A
    assert s.mentions_person("the abernathy trust")  # lower case
    assert s.mentions_person("Thaddeus Nursery")  # a person known only by id
    assert not s.mentions_person("Child 2 services")  # an id that only says a role


def test_source_paragraphs_keep_only_their_numbers(exported):
    g = Graph().parse(data=exported, format="nt")
    paragraphs = {str(o) for o in g.objects(None, DHR.paragraphs)}
    assert "2.1" in paragraphs and "2.7-2.9, 3.1" in paragraphs and "1.1" in paragraphs
    assert all(re.fullmatch(r"[\d.,\- ]+", p) for p in paragraphs), paragraphs
    # the passage IRIs are keyed hashes, not built from the text
    passages = {str(s) for s in g.subjects(RDF.type, DHR.ReportPassage)}
    assert passages and all(re.fullmatch(r"https://w3id.org/dhrkg/id/pseudo/source/[0-9a-f]{32}", p) for p in passages)


def test_agency_names_are_vetted_public_bodies_or_generic(exported):
    g = Graph().parse(data=exported, format="nt")
    labels = sorted(str(o) for o in g.objects(None, SKOS.prefLabel))
    assert labels == ["Staffordshire Police", "domestic abuse service in Staffordshire", "education in Staffordshire",
                      "housing in Staffordshire", "other agency in Staffordshire"]
    assert not list(g.triples((None, DHR.abbreviation, None))) and not list(g.triples((None, SKOS.altLabel, None)))


def test_relation_labels_come_from_the_vocabulary(exported):
    g = Graph().parse(data=exported, format="nt")
    assert sorted(str(o) for o in g.objects(None, DHR.relationLabel)) == ["maternal uncle"]


def test_no_free_text_is_exported(case, exported):
    texts = [e.summary for e in case.events if e.summary] + [r.text for r in case.recommendations]
    texts += [case.review.title, case.review.commissioned_by, "Quimby says high", "Quimby's Green", "White (Abernathy"]
    for t in texts:
        assert t not in exported, t
    g = Graph().parse(data=exported, format="nt")
    assert sorted(str(o) for o in g.objects(None, DHR.ethnicity)) == ["White British"]  # the other is not vocabulary


def test_no_date_of_birth_can_be_read_back(case, exported):
    assert hunt_birth_dates(exported, OFFSET) == []
    g = Graph().parse(data=exported, format="nt")
    for eid, *_ in EVENTS:  # birth events are withheld whole, whatever their summary says
        assert ((event_iri(eid), RDF.type, DHR.Event) in g) == (eid in NOT_BIRTHS), eid
    bands = {str(o).rsplit("/", 1)[1] for o in g.objects(None, DHR.ageBand)}
    assert bands == {"25-34", "under-16", "65-plus"}


def test_the_birth_hunt_finds_births_in_an_export_that_only_generalises(case):
    """Without the policy (dates to the month, not shifted, births kept: the old export) the
    hunt finds the victim's and the child's births."""
    buf = io.StringIO()
    export_cases([case], buf, "nt", ExportOptions(generalise_dates="month"))
    found = hunt_birth_dates(buf.getvalue(), 0)
    assert any(f.startswith("victim born") for f in found) and any(f.startswith("thaddeus born") for f in found)


def test_no_exact_date_and_the_calendar_is_shifted(exported):
    assert hunt_exact_dates(exported) == []


def test_other_deaths_are_given_to_the_year_and_the_victims_death_to_the_month(exported):
    g = Graph().parse(data=exported, format="nt")
    died = sorted(o.datatype for o in g.objects(None, DHR.died))
    assert died == sorted([XSD_YEAR, XSD_MONTH])
    assert [o.datatype for o in g.objects(event_iri("e-uncle-died"), DHR.date)] == [XSD_YEAR]


def test_a_known_homicide_date_does_not_give_back_exact_dates(exported):
    """The anchor attack: the true homicide date is public, so the offset is known to within the
    homicide's exported month; every other date is then still only known to a window of weeks."""
    g = Graph().parse(data=exported, format="nt")
    hd = dt.date.fromisoformat(HOMICIDE)
    shown = PartialDate.parse(str(next(g.objects(event_iri("e-homicide"), DHR.date))))
    d_lo, d_hi = (shown.earliest - hd).days, (shown.latest - hd).days
    for eid, date, *_ in EVENTS:
        for o in g.objects(event_iri(eid), DHR.date):
            d = PartialDate.parse(str(o))
            window = (d.latest - dt.timedelta(days=d_lo)) - (d.earliest - dt.timedelta(days=d_hi))
            assert window.days >= 27, (eid, o, window)


def test_intervals_between_events_are_kept_to_the_month(exported):
    g = Graph().parse(data=exported, format="nt")

    def months(d: PartialDate) -> int:
        return d.year * 12 + (d.month or 1)

    dated = [(eid, PartialDate.parse(date)) for eid, date, *_ in EVENTS if eid in NOT_BIRTHS and len(date) == 10]
    for (a, da), (b, db) in zip(dated, dated[1:]):
        ea = PartialDate.parse(str(next(g.objects(event_iri(a), DHR.date))))
        eb = PartialDate.parse(str(next(g.objects(event_iri(b), DHR.date))))
        if a == "e-uncle-died" or b == "e-uncle-died":
            continue  # given to the year
        assert abs((months(eb) - months(ea)) - (months(db) - months(da))) <= 1, (a, b)


def test_the_offset_is_keyed_per_review_and_never_small():
    offsets = {DateShift.for_review(KEY, f"review-{i}").days for i in range(200)}
    assert all(SHIFT_MIN_DAYS <= abs(d) <= SHIFT_MAX_DAYS for d in offsets)
    assert len(offsets) > 150 and min(offsets) < 0 < max(offsets)
    assert DateShift.for_review(KEY, "r").days == DateShift.for_review(KEY, "r").days
    assert DateShift.for_review(KEY, "r").days != DateShift.for_review(ExportKey(bytes(32), "k"), "r").days


def test_exact_dates_keep_the_calendar_when_asked(case):
    text = research_export(case, exact_dates=True)
    g = Graph().parse(data=text, format="nt")
    assert [str(o) for o in g.objects(event_iri("e-incident"), DHR.date)] == ["2018-01"]
    assert hunt_birth_dates(text, 0) == []  # births stay withheld
    assert (event_iri("e-victim-born"), RDF.type, DHR.Event) not in g


def test_the_export_conforms_to_the_pseudonymised_shapes(exported):
    report = validate_export(Graph().parse(data=exported, format="nt"), pseudonymised=True)
    assert report.conforms, report.text[:2000]


def test_a_predicate_off_the_allow_list_stops_the_export():
    name = (f"<{DHR}x>", "<http://xmlns.com/foaf/0.1/name>", '"Quimby"')
    with pytest.raises(DisclosureError, match="may not hold"):
        list(research_checked([name]))
    with pytest.raises(DisclosureError, match="text on"):
        list(research_checked([(f"<{DHR}x>", P.date, '"Quimby"')]))


# ----- from the graph, on both engines ---------------------------------------------------


def test_graph_research_export_leaks_no_name_birth_or_exact_date(graph_exported, case):
    assert hunt_names(graph_exported) == []
    assert hunt_birth_dates(graph_exported, OFFSET) == []
    assert hunt_exact_dates(graph_exported) == []
    g = Graph().parse(data=graph_exported, format="nt")
    assert {str(o) for o in g.objects(None, DHR.paragraphs)} >= {"2.1", "2.7-2.9, 3.1"}
    assert sorted(str(o) for o in g.objects(None, DHR.relationLabel)) == ["maternal uncle"]
    assert "Staffordshire Police" in {str(o) for o in g.objects(None, SKOS.prefLabel)}
    assert validate_export(g, pseudonymised=True).conforms


def test_graph_and_case_file_research_exports_give_the_same_dates(graph_exported, exported):
    def dated(text):
        g = Graph().parse(data=text, format="nt")
        return sorted((str(s), str(o)) for s, o in g.subject_objects(DHR.date))

    assert dated(graph_exported) == dated(exported)


def test_the_pseudonymised_shapes_reject_days_passage_text_and_free_wording(case):
    buf = io.StringIO()
    export_cases([case], buf, "nt", ExportOptions())
    report = validate_export(Graph().parse(data=buf.getvalue(), format="nt"), pseudonymised=True)
    assert not report.conforms
    for message in ("date to the day", "source passage with more than paragraph numbers",
                    "agency abbreviation", "agency alias", "risk grade wording", "partnership name", "town in"):
        assert message in report.text, message


def test_the_k_anonymity_line_reads_right():
    from collections import Counter

    from dhrkg.cli.rdf import _quasi_lines
    from dhrkg.ontology.pseudonymise import QuasiIdentifiers

    q = QuasiIdentifiers(Counter({("g", i): 1 for i in range(1143)} | {("big", 0): 176}))
    assert q.persons == 1319
    assert _quasi_lines(q) == ["smallest group: 1 person; 1,144 groups among 1,319 persons",
                               "groups smaller than 5: 1,143 (holding 1,143 persons)"]
    one = QuasiIdentifiers(Counter({("a",): 2}))
    assert _quasi_lines(one)[0] == "smallest group: 2 persons; 1 group among 2 persons"


def test_exact_dates_need_the_key_holders_key_file(tmp_path, case):
    from typer.testing import CliRunner

    from dhrkg.cli import app

    import yaml

    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case.to_data(), allow_unicode=True), encoding="utf-8")
    out = tmp_path / "x.nt"
    res = CliRunner().invoke(app, ["export", str(path), "--pseudonymise", "--exact-dates", "-o", str(out)])
    assert res.exit_code == 2 and "--key-file" in res.output and not out.exists()
    res = CliRunner().invoke(app, ["export", str(path), "--pseudonymise", "--exact-dates",
                                   "--key-file", str(tmp_path / "k"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "dates NOT shifted (--exact-dates)" in res.output
    assert hunt_names(out.read_text()) == []
    assert max(len(line) for line in res.output.splitlines() if str(tmp_path) not in line) <= 80


def test_vocabularies_take_official_wordings_and_refuse_anything_else():
    from dhrkg.ontology import disclosure as d

    assert d.region("Greater London") == "London" and d.region("Yorkshire and Humber") == "Yorkshire and the Humber"
    assert d.region("Quimby Vale") is None
    assert d.ethnicity("Mixed - White and Black African") == "Mixed White And Black African"
    assert d.ethnicity("White (Abernathy family)") is None
    assert d.relation_label("Emotional rival") == "emotional rival" and d.relation_label("maternal uncle") == "maternal uncle"
    assert d.relation_label("uncle Ignatius") is None
    assert d.vetted_public_body("  west  MERCIA police ") == "West Mercia Police"
    assert d.vetted_public_body("Birmingham City Council") == "Birmingham City Council"
    assert d.vetted_public_body("Quimby City Council") is None
    assert d.risk_tool("dash") == "DASH" and d.risk_tool("Quimby's checklist") is None


def test_areas_with_look_alike_letters_are_still_recognised(case):
    data = case.to_data()
    data["review"]["police_force_area"] = "Staff\u043erdshire"  # Cyrillic o
    text = research_export(CaseFile.model_validate(data))
    g = Graph().parse(data=text, format="nt")
    assert URIRef("https://w3id.org/dhrkg/ontology/police-force-area/staffordshire") in set(g.objects(None, DHR.policeForceArea))


# ----- identifiers in source references -------------------------------------------------

#: Sources as case files and importers write them: paragraph numbers beside a record's numbers
#: (an NHS number, a police log, a call or crime reference, a dated entry, a dataset row).
SOURCES = {"victim": "1.1 (Quimby's sister), NHS 943 476 5919", "perp": "police log 20/123456, 2.3",
           "thaddeus": "CAD 4471 20/11/2017", "ignatius": "Crime ref CRN-0012345"}
RECORD_NUMBERS = ["943", "476", "5919", "20", "123456", "4471", "11", "2017", "0012345"]


def test_record_numbers_in_a_source_are_not_taken_for_paragraph_numbers(case):
    data = case.to_data()
    for p in data["persons"]:
        p["source"] = SOURCES[p["id"]]
    text, report = pseudonymised_export([CaseFile.model_validate(data)])
    g = Graph().parse(data=text, format="nt")
    persons = {str(s) for s in g.subjects(RDF.type, DHR.Person)}
    cited = {str(g.value(g.value(URIRef(p), URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")), DHR.paragraphs))
             for p in persons if g.value(URIRef(p), URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))}
    assert cited == {"1.1", "2.3"}
    paragraph_numbers = {n for o in g.objects(None, DHR.paragraphs) for n in re.split(r"[-, ]+", str(o))}
    assert not paragraph_numbers & set(RECORD_NUMBERS), paragraph_numbers & set(RECORD_NUMBERS)
    assert report.withheld["sources without paragraph numbers"] == 2


def test_the_pseudonymised_shapes_reject_a_record_number_as_a_paragraph():
    passage = URIRef("https://w3id.org/dhrkg/id/pseudo/source/x")
    for paragraphs, conforms in (("2.7-2.9, 3.1", True), ("1.15.1-1.15.3", True), ("20, 123456, 2.3", False),
                                 ("0012345", False), ("4471, 20, 11, 2017", False)):
        g = Graph()
        g.add((passage, RDF.type, DHR.ReportPassage))
        g.add((passage, DHR.paragraphs, Literal(paragraphs)))
        text = validate_export(g, pseudonymised=True).text
        assert ("source passage with more than paragraph numbers" not in text) == conforms, paragraphs


def test_a_dhrd_research_export_holds_no_row_id_of_the_dataset(store):
    """The DHRD's references are its row ids (incidents.csv INC-0001, victims.csv VIC-0001): a
    number of one would join the pseudonymised review back to its public row (its partnership,
    its true date of death, so the review's date offset, and so the report)."""
    from dhrkg.ingest.dhrd import import_dhrd, read_dataset

    dataset = read_dataset()
    import_dhrd(store)
    sample = sorted(r for r in store.reviews() if r.startswith("dhrd-"))[::20]
    buf = io.StringIO()
    report = export_graph(store, buf, "nt", ExportOptions(pseudonymise=True, key=KEY), reviews=sample)
    g = Graph().parse(data=buf.getvalue(), format="nt")
    assert report.reviews == len(sample) == len(set(g.subjects(RDF.type, DHR.Review)))
    assert not list(g.subjects(RDF.type, DHR.ReportPassage))
    numbers = {n for inc in dataset.incidents for n in re.findall(r"\d+", inc.id)}
    literals = {str(o) for o in g.objects() if isinstance(o, Literal)}
    assert not literals & numbers, sorted(literals & numbers)[:5]
    assert report.withheld["dataset row references"] > len(sample)
    assert validate_export(g, pseudonymised=True).conforms


def test_an_event_whose_summary_or_notes_give_a_birthday_is_withheld(case):
    """A birth the case file does not record, given by an event: someone turning an age on a
    day ("Quimby turned 29": the victim's birthday to the month, her age band and the year), or
    a birthday said only in the event's notes."""
    data = case.to_data()
    data["events"] += [
        {"id": "e-turned", "date": "2017-12-03", "type": "other", "persons": ["victim"], "summary": "Quimby turned 29."},
        {"id": "e-turns", "date": "2018-04", "type": "appointment", "persons": ["perp"], "summary": "Zed turns thirty-three."},
        {"id": "e-noted", "date": "2017-07-30", "type": "appointment", "persons": ["ignatius"],
         "summary": "GP review.", "notes": "Seen on his 67th birthday."},
        {"id": "e-turned-away", "date": "2018-02-01", "type": "call", "persons": ["victim"],
         "summary": "Quimby was turned away by the refuge."},
    ]
    text, report = pseudonymised_export([CaseFile.model_validate(data)])
    g = Graph().parse(data=text, format="nt")
    for eid in ("e-turned", "e-turns", "e-noted"):
        assert (event_iri(eid), RDF.type, DHR.Event) not in g, eid
    assert (event_iri("e-turned-away"), RDF.type, DHR.Event) in g
    assert hunt_birth_dates(text, OFFSET) == []


def test_the_pseudonymised_shapes_reject_every_date_to_the_day(case):
    """Report dates, separations and the bounds of periods too, not only event dates."""
    data = case.to_data()
    data["review"]["report_date"] = "2020-03-02"
    data["relationships"][0].update(end="2018-12-24", separated="2018-12-24")
    buf = io.StringIO()
    export_cases([CaseFile.model_validate(data)], buf, "nt", ExportOptions())
    text = validate_export(Graph().parse(data=buf.getvalue(), format="nt"), pseudonymised=True).text
    for path in ("dhr:reportDate", "dhr:separated", "time:inXSDDate"):
        assert re.search(rf"Result Path: {path}\n\tMessage: (date|period bound) to the day", text), path


def test_an_event_on_the_day_of_a_birth_is_withheld_whoever_it_is_about(case):
    """The mother's admission on the day her child was born gives the child's birth, though the
    child is not among the event's persons; so does a summary that speaks of labour."""
    data = case.to_data()
    data["agencies"].append({"id": "maternity", "name": "Stafford maternity unit", "type": "maternity"})
    data["events"] += [
        {"id": "e-admitted", "date": BIRTHS["thaddeus"], "type": "admission", "agency": "maternity",
         "persons": ["victim"], "summary": "Admitted to hospital."},
        {"id": "e-labour", "date": "2016-03", "type": "admission", "persons": ["victim"], "summary": "Quimby in labour."},
        {"id": "e-next-day", "date": "2016-03-10", "type": "home_visit", "persons": ["victim"], "summary": "Seen at home."},
    ]
    text, report = pseudonymised_export([CaseFile.model_validate(data)])
    g = Graph().parse(data=text, format="nt")
    assert (event_iri("e-admitted"), RDF.type, DHR.Event) not in g
    assert (event_iri("e-labour"), RDF.type, DHR.Event) not in g
    assert (event_iri("e-next-day"), RDF.type, DHR.Event) in g
    assert (event_iri("e-homicide"), RDF.type, DHR.Event) in g


def test_the_smallest_group_counts_the_local_authority_the_export_gives():
    """Two victims alike in age band, sex, ethnicity, force area and year, in reviews of two
    local authorities: the export names each review's local authority, so each victim is alone
    in her group (k = 1), not one of two."""
    def review(rid: str, la: str) -> CaseFile:
        return CaseFile.model_validate({
            "format": "dhr-case/1",
            "review": {"id": rid, "local_authority": la, "police_force_area": "Staffordshire",
                       "homicide_date": "2019-06"},
            "persons": [{"id": "v", "sex": "female", "age": 30, "ethnicity": "White British", "roles": ["victim"]}]})

    text, report = pseudonymised_export([review("a", "Stafford"), review("b", "Tamworth")])
    g = Graph().parse(data=text, format="nt")
    assert {str(o) for o in g.objects(None, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))} >= {"Stafford", "Tamworth"}
    assert report.quasi_subjects.k == 1 and len(report.quasi_subjects.groups) == 2
    _, same = pseudonymised_export([review("a", "Stafford"), review("b", "Stafford")])
    assert same.quasi_subjects.k == 2


def test_an_event_on_the_day_of_another_death_gives_it_only_to_the_year(case):
    """The uncle's death is given to the year; so is the call that reported it on the day, though
    it names only the victim. An event on the day of a death that is the homicide's day is not
    made coarser (the homicide gives that date)."""
    data = case.to_data()
    data["persons"][1]["died"] = HOMICIDE  # the perpetrator killed himself the same day
    data["events"] += [
        {"id": "e-reported", "date": "2017-09-02", "type": "call", "persons": ["victim"], "summary": "Call to the GP."},
        {"id": "e-999", "date": HOMICIDE, "type": "call", "persons": ["victim"], "summary": "999 call."},
    ]
    text, _ = pseudonymised_export([CaseFile.model_validate(data)])
    g = Graph().parse(data=text, format="nt")
    assert [o.datatype for o in g.objects(event_iri("e-reported"), DHR.date)] == [XSD_YEAR]
    assert [o.datatype for o in g.objects(event_iri("e-999"), DHR.date)] == [XSD_MONTH]
    assert [o.datatype for o in g.objects(event_iri("e-homicide"), DHR.date)] == [XSD_MONTH]
