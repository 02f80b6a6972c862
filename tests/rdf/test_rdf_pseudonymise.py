"""The pseudonymised research export: no names, aliases, summaries, notes or dates of birth;
keyed, stable person IRIs; age bands; generalised dates; the smallest group size (k)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from dhrkg.model.model import Person
from dhrkg.model.dates import PartialDate
from dhrkg.ontology.pseudonymise import ExportKey, KeyFileError, NameScrubber, person_age_band
from dhrkg.ontology.schemes import age_band
from dhrkg.ontology.vocab import AGE_BAND, DATA_BASE, DHR
from dhrkg.ontology.disclosure import local_authority
from dhrkg.places import canonical_force_area

from support.rdf_cases import KEY, every_field_casefile, gold_cases, pseudonymised_export

OTHER_KEY = ExportKey(bytes(range(1, 33)), "other test key")


def pseudonymised(cases, key=KEY, generalise="month") -> tuple[str, object]:
    return pseudonymised_export(cases, key, generalise_dates=generalise)


@pytest.fixture(scope="module")
def golds():
    return gold_cases()


@pytest.fixture(scope="module")
def gold_export(golds):
    return pseudonymised(golds)


def _literals(text: str) -> list[str]:
    g = Graph().parse(data=text, format="nt")
    return [str(o) for o in g.objects() if isinstance(o, Literal)]


def _contains_word(haystack: str, term: str) -> bool:
    flags = 0 if len(term) <= 2 else re.IGNORECASE
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", haystack, flags) is not None


def test_no_name_or_alias_of_any_person_appears(golds, gold_export):
    text, _ = gold_export
    literals = _literals(text)
    checked = 0
    for case in golds:
        for p in case.persons:
            for term in ([p.name] if p.name else []) + p.aliases:
                checked += 1
                # every literal, as a whole word (one- and two-letter names in their case)
                hits = [lit for lit in literals if _contains_word(lit, term)]
                assert not hits, f"{term!r} of {case.review.id}/{p.id} appears in {hits[:3]}"
                # and anywhere in the file, for names long enough to grep for
                if len(term) >= 4:
                    assert term.lower() not in text.lower(), term
    assert checked > 50


def test_no_summary_note_recommendation_text_or_title_appears(golds, gold_export):
    text, _ = gold_export
    free_text = []
    for case in golds:
        free_text += [case.review.title or "", case.review.chair or "", case.review.author or "",
                      case.review.source or "", case.review.reference or ""]
        free_text += [e.summary for e in case.events if e.summary]
        free_text += [x.notes for group in (case.persons, case.events, case.households, case.agencies,
                                            case.relationships) for x in group if x.notes]
        free_text += [r.text for r in case.recommendations]
    free_text = [t for t in free_text if len(t) >= 4]
    assert len(free_text) > 200
    for t in free_text:
        assert t not in text, t[:80]


def test_no_exact_date_of_birth_appears(golds, gold_export):
    text, _ = gold_export
    births = [p.born for case in golds for p in case.persons if p.born is not None and p.born.precision == "day"]
    births += [PartialDate.parse(str(e.date)) for case in golds for e in case.events
               if e.type == "life_event" and e.date.precision == "day" and "born" in (e.summary or "")]
    assert births
    for d in births:
        for form in (str(d), f"{d.day:02d}/{d.month:02d}/{d.year}", f"{d.year}{d.month:02d}{d.day:02d}"):
            assert form not in text


def test_no_local_ids_appear_in_iris(golds, gold_export):
    text, _ = gold_export
    iris = {iri for iri in re.findall(r"<([^>]+)>", text) if iri.startswith(DATA_BASE)}
    assert iris
    for case in golds:
        for p in case.persons:
            assert not any(iri.endswith("/" + p.id) for iri in iris), p.id
        assert not any(case.review.id in iri for iri in iris)


def test_the_every_field_case_leaks_nothing_either():
    case = every_field_casefile()
    text, report = pseudonymised([case], generalise="year")
    literals = _literals(text)
    for p in case.persons:
        for term in ([p.name] if p.name else []) + p.aliases:
            assert not any(_contains_word(lit, term) for lit in literals), term
    assert "1960-02-29" not in text and "23:15" not in text
    # an agency named after a person keeps its type but not its name
    assert "GP practice of Victoria" not in text
    assert any(lit.startswith("general practice") for lit in literals)
    assert report.withheld["agency names (not a vetted public body)"] >= 1


def test_person_iris_are_stable_under_one_key_and_differ_under_another(golds):
    a, _ = pseudonymised(golds, KEY)
    b, _ = pseudonymised(golds, KEY)
    c, _ = pseudonymised(golds, OTHER_KEY)
    persons = lambda t: {s for s in Graph().parse(data=t, format="nt").subjects(RDF.type, DHR.Person)}  # noqa: E731
    pa, pb, pc = persons(a), persons(b), persons(c)
    assert a == b
    assert pa == pb and len(pa) == sum(len(x.persons) for x in golds)
    assert not pa & pc


def test_person_iris_are_keyed_hmacs_not_plain_hashes(golds):
    import hashlib

    text, _ = pseudonymised(golds[:1])
    case = golds[0]
    for p in case.persons:
        for plain in (hashlib.sha256(p.id.encode()).hexdigest()[:32],
                      hashlib.sha256(f"{case.review.id}/{p.id}".encode()).hexdigest()[:32]):
            assert plain not in text
    assert KEY.token(case.review.id, "person", case.persons[0].id) in text


def test_key_file_is_created_private_and_reused(tmp_path):
    path = tmp_path / "export.key"
    k1 = ExportKey.from_file(path)
    assert path.stat().st_mode & 0o777 == 0o600
    k2 = ExportKey.from_file(path)
    assert k1.secret == k2.secret and len(k1.secret) == 32
    (tmp_path / "bad.key").write_text("not hex\n")
    with pytest.raises(KeyFileError, match="bad.key"):
        ExportKey.from_file(tmp_path / "bad.key")


def test_ages_are_given_only_as_bands(golds, gold_export):
    text, _ = gold_export
    g = Graph().parse(data=text, format="nt")
    assert not list(g.triples((None, DHR.age, None)))
    assert not list(g.triples((None, DHR.born, None)))
    assert not list(g.triples((None, DHR.ageMonths, None)))
    bands = Counter(str(o)[len(str(AGE_BAND)):] for o in g.objects(None, DHR.ageBand))
    expected = Counter()
    for case in golds:
        for p in case.persons:
            b = person_age_band(p, case.review.homicide_date)
            if b:
                expected[b] += 1
    assert bands == expected and sum(bands.values()) > 10


def test_age_band_from_age_months_and_dates():
    hd = PartialDate.parse("2011-10")
    assert person_age_band(Person(id="a", age=49), hd) == "45-54"
    assert person_age_band(Person(id="b", age_months=7), hd) == "under-16"
    assert person_age_band(Person(id="c", born=PartialDate.parse("1988-12-28")), hd) == "20-24"
    assert person_age_band(Person(id="d", born=PartialDate.parse("1962")), hd) == "45-54"  # 48 or 49
    assert person_age_band(Person(id="e", born=PartialDate.parse("1991")), hd) is None  # 19 or 20: two bands
    assert person_age_band(Person(id="f", unborn=True), hd) is None
    assert age_band(19) == "16-19" and age_band(20) == "20-24"


@pytest.mark.parametrize("precision,allowed", [("month", {4, 7}), ("year", {4})])
def test_dates_are_generalised(golds, precision, allowed):
    text, _ = pseudonymised(golds, generalise=precision)
    g = Graph().parse(data=text, format="nt")
    lengths = {len(str(o)) for o in g.objects() if isinstance(o, Literal) and o.datatype is not None
               and str(o.datatype).endswith(("#date", "#gYear", "#gYearMonth"))}
    assert lengths and lengths <= allowed


def test_agencies_areas_event_types_and_relationships_are_kept(golds, gold_export):
    text, report = gold_export
    g = Graph().parse(data=text, format="nt")
    n_events = sum(len(c.events) for c in golds) - report.withheld["birth events"]
    assert len(list(g.subjects(RDF.type, DHR.Event))) == n_events
    assert len(list(g.triples((None, DHR.eventType, None)))) == n_events
    assert len(list(g.subjects(RDF.type, DHR.Agency))) == sum(len(c.agencies) for c in golds)
    assert len(list(g.triples((None, DHR.relationshipType, None)))) == sum(len(c.relationships) for c in golds)
    labels = {str(o) for o in g.objects(None, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"))}
    assert "West Midlands Police" in labels
    areas = {str(o) for o in g.objects(None, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
    assert {"Staffordshire", "West Mercia", "West Midlands"} <= areas


def test_smallest_group_size_matches_a_brute_force_count(golds, gold_export):
    _, report = gold_export
    rows = []
    for case in golds:
        hd = case.review.homicide_date
        area = local_authority(case.review.local_authority) if case.review.local_authority else None
        if area is None and case.review.police_force_area:
            area = canonical_force_area(case.review.police_force_area)
        for p in case.persons:
            eth = " ".join(p.ethnicity.split()).lower() if p.ethnicity else None
            rows.append((person_age_band(p, hd), p.sex, eth, area, hd.year if hd else None, p.roles))
    groups = Counter(r[:5] for r in rows)
    assert report.quasi.persons == len(rows)
    assert report.quasi.k == min(groups.values())
    assert len(report.quasi.groups) == len(groups)
    subjects = Counter(r[:5] for r in rows if {"victim", "perpetrator"} & set(r[5]))
    assert report.quasi_subjects.k == min(subjects.values())
    assert report.quasi_subjects.persons == sum(subjects.values())


def test_name_scrubber_matches_whole_words_and_name_parts():
    s = NameScrubber([Person(id="a", name="Victoria Smith", aliases=["the Woman"]), Person(id="b", name="S")])
    assert s.mentions_person("GP of Victoria")
    assert s.mentions_person("smith family")
    assert s.mentions_person("told THE WOMAN")
    assert s.mentions_person("S's school")
    assert not s.mentions_person("Staffordshire Police")
    assert not s.mentions_person("Women's Aid")  # 's' is not 'S'
    assert not s.mentions_person("Victorian housing")
