"""RDF export of reviews under the DHR ontology.

:class:`ReviewEmitter` turns the records of one review into triples, one
record at a time, as N-Triples terms (see :mod:`.ntriples`). The writers put
them out in the chosen format (:mod:`.writers`):

- ``nt`` / ``nq``: line by line as they are made (bounded memory); N-Quads
  puts each review in its own named graph.
- ``ttl`` / ``trig`` / ``jsonld``: each review is collected and written
  through rdflib, one review at a time.

Every record carries ``prov:wasDerivedFrom`` its report passage (the case
file's ``source``); the triples of a review form one ``prov:Bundle``.

With :class:`ExportOptions` ``pseudonymise`` the export holds no names,
aliases, identifiers, free text, exact ages or dates of birth; record IRIs
are keyed hashes (:mod:`.pseudonymise`).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterable, Iterator, Sequence, TextIO

from dhrkg import __version__
from dhrkg.model.dates import PartialDate
from dhrkg.model.model import (
    Agency, CaseFile, Event, Household, Person, Place, Recommendation, Review,
)

from . import vocab as V
from .ntriples import Triple, checked_iri, iri, literal, typed
from . import disclosure
from .disclosure import ResearchView
from .pseudonymise import ExportKey, QuasiIdentifiers, person_age_band, skeleton
from .schemes import AGENCY_TYPE, theme_for_tag
from .writers import FORMATS, QUAD_FORMATS, RDFWriter

def _t(term) -> str:
    return f"<{term}>"


# Predicates and classes, pre-formatted once.
A = _t(V.RDF.type)
RDF_FIRST, RDF_REST, RDF_NIL = _t(V.RDF.first), _t(V.RDF.rest), _t(V.RDF.nil)
LABEL = _t(V.RDFS.label)
D = V.DHR


class _P:
    """N-Triples forms of every term the export writes."""

    def __init__(self) -> None:
        for name in [
            "inReview", "position", "subjectOf", "report", "fileName", "paragraphs",
            "commissionedBy", "chair", "viceChair", "overviewAuthor", "reportReference", "reviewPeriod",
            "homicideDate", "reportDate", "town", "localAuthority", "policeForceArea", "country",
            "location", "place", "serves", "sex", "born", "died", "age", "ageMonths", "ageBand",
            "unborn", "ethnicity", "role", "fromPerson", "toPerson", "relationshipType", "during",
            "certainty", "parentKind", "siblingKind", "partnerKind", "partnerStatus", "separated",
            "abusive", "relationLabel", "abuseKind", "partnerOf", "currentPartnerOf",
            "formerPartnerOf", "relativeOf", "caresFor", "associateOf", "abused", "abbreviation",
            "date", "until", "dateApproximate", "timeOfDay", "eventType", "involves", "recordedBy",
            "referredTo", "sharedWith", "tookPart", "abuse", "perpetrator", "victim", "risk",
            "riskTool", "riskLevel", "riskScore", "riskGrade", "addressedTo", "scope",
            "aliasOrder", "roleOrder", "abuseKindOrder", "involvesOrder", "sharedWithOrder",
            "tookPartOrder", "victimOrder", "addressedToOrder",
            # classes
            "Review", "ReviewReport", "ReportPassage", "Person", "Household", "HouseholdMembership",
            "Agency", "Event", "EventAbuse", "RiskAssessmentResult", "Recommendation", "Location",
            "PoliceForceArea", "LocalAuthorityArea", "Town", "Country", "CommunitySafetyPartnershipArea",
            "Region", "Source", "commissioningPartnership", "region", "theme", "vulnerability",
        ]:
            setattr(self, name, _t(D[name]))
        self.identifier = _t(V.DCTERMS.identifier)
        self.title = _t(V.DCTERMS.title)
        self.isPartOf = _t(V.DCTERMS.isPartOf)
        self.conformsTo = _t(V.DCTERMS.conformsTo)
        self.name = _t(V.FOAF.name)
        self.primaryTopic = _t(V.FOAF.primaryTopic)
        self.alternateName = _t(V.SCHEMA.alternateName)
        self.description = _t(V.SCHEMA.description)
        self.text = _t(V.SCHEMA.text)
        self.note = _t(V.SKOS.note)
        self.prefLabel = _t(V.SKOS.prefLabel)
        self.altLabel = _t(V.SKOS.altLabel)
        self.classification = _t(V.ORG.classification)
        self.member = _t(V.ORG.member)
        self.organization = _t(V.ORG.organization)
        self.memberOf = _t(V.ORG.memberOf)
        self.memberDuring = _t(V.ORG.memberDuring)
        self.derivedFrom = _t(V.PROV.wasDerivedFrom)
        self.generatedBy = _t(V.PROV.wasGeneratedBy)
        self.attributedTo = _t(V.PROV.wasAttributedTo)
        self.Bundle = _t(V.PROV.Bundle)
        self.Entity = _t(V.PROV.Entity)
        self.SoftwareAgent = _t(V.PROV.SoftwareAgent)
        self.Interval = _t(V.TIME.Interval)
        self.Instant = _t(V.TIME.Instant)
        self.hasBeginning = _t(V.TIME.hasBeginning)
        self.hasEnd = _t(V.TIME.hasEnd)
        self.inXSD = {
            "day": _t(V.TIME.inXSDDate),
            "month": _t(V.TIME.inXSDgYearMonth),
            "year": _t(V.TIME.inXSDgYear),
        }
        self.parentOf = _t(V.REL.parentOf)
        self.siblingOf = _t(V.REL.siblingOf)
        self.friendOf = _t(V.REL.friendOf)


P = _P()

_DATATYPE = {"day": str(V.XSD.date), "month": str(V.XSD.gYearMonth), "year": str(V.XSD.gYear)}
_XSD_BOOLEAN = str(V.XSD.boolean)
_XSD_NNI = str(V.XSD.nonNegativeInteger)
_XSD_POSITIVE = str(V.XSD.positiveInteger)
_XSD_TIME = str(V.XSD.time)
_TRUE, _FALSE = typed("true", _XSD_BOOLEAN), typed("false", _XSD_BOOLEAN)

_RELATIONSHIP_CLASS = {
    "parent": _t(D.ParentRelationship), "sibling": _t(D.SiblingRelationship),
    "partner": _t(D.PartnerRelationship), "relative": _t(D.RelativeRelationship),
    "friend": _t(D.FriendRelationship), "carer": _t(D.CarerRelationship),
    "associate": _t(D.AssociateRelationship), "abuse": _t(D.AbuseRelationship),
}
_RELATIONSHIP_SHORTCUT = {
    "parent": P.parentOf, "sibling": P.siblingOf, "relative": P.relativeOf, "friend": P.friendOf,
    "carer": P.caresFor, "associate": P.associateOf, "abuse": P.abused,
}
_PARTNER_SHORTCUT = {"current": P.currentPartnerOf, "former": P.formerPartnerOf, None: P.partnerOf}
_KIND_PROPERTY = {"parent": P.parentKind, "sibling": P.siblingKind, "partner": P.partnerKind}
_KIND_SCHEME = {"parent": V.PARENT_KIND, "sibling": V.SIBLING_KIND, "partner": V.PARTNER_KIND}


def _concepts(ns) -> Callable[[str], str]:
    cache: dict[str, str] = {}

    def get(value: str) -> str:
        t = cache.get(value)
        if t is None:
            t = cache[value] = f"<{ns}{value}>"
        return t

    return get


SEX, ROLE, CERTAINTY = _concepts(V.SEX), _concepts(V.ROLE), _concepts(V.CERTAINTY)
PARTNER_STATUS, ABUSE_KIND = _concepts(V.PARTNER_STATUS), _concepts(V.ABUSE_KIND)
AGENCY_TYPE_C, EVENT_TYPE = _concepts(V.AGENCY_TYPE), _concepts(V.EVENT_TYPE)
RISK_LEVEL, SCOPE_C = _concepts(V.RISK_LEVEL), _concepts(V.SCOPE)
RELATIONSHIP_TYPE, AGE_BAND = _concepts(V.RELATIONSHIP_TYPE), _concepts(V.AGE_BAND)
KIND_CONCEPT = {k: _concepts(ns) for k, ns in _KIND_SCHEME.items()}


@dataclass
class ExportOptions:
    base: str = V.DATA_BASE
    pseudonymise: bool = False
    key: ExportKey | None = None
    generalise_dates: str | None = None  # None, "month" or "year"
    exact_dates: bool = False  # pseudonymised: keep the calendar (no date shift)

    def __post_init__(self) -> None:
        if self.exact_dates and not self.pseudonymise:
            raise ValueError("exact_dates is an option of the pseudonymised export")
        if self.generalise_dates not in (None, "month", "year"):
            raise ValueError(f"generalise_dates must be 'month' or 'year', not {self.generalise_dates!r}")
        if not self.base.endswith(("/", "#")):
            raise ValueError(f"the base IRI must end with '/' or '#': {self.base!r}")
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", self.base):
            raise ValueError(f"the base IRI must be absolute (start with a scheme such as https:): {self.base!r}")
        checked_iri(self.base)
        if self.pseudonymise and self.key is None:
            self.key = ExportKey.random()


@dataclass(frozen=True)
class SourceDocument:
    """A dataset a review's records come from, instead of a review report (e.g. the DHRD)."""

    iri: str
    title: str
    identifier: str | None = None
    csp_area: Callable[[str], str] = field(default=lambda name: " ".join(name.split()))


@dataclass
class ExportReport:
    """What an export wrote."""

    format: str
    reviews: int = 0
    triples: int = 0
    withheld: Counter = field(default_factory=Counter)  # what the research export left out, by kind
    quasi: QuasiIdentifiers = field(default_factory=QuasiIdentifiers)
    quasi_subjects: QuasiIdentifiers = field(default_factory=QuasiIdentifiers)  # victims and perpetrators
    pseudonymised: bool = False


class ReviewEmitter:
    """The triples of one review, record by record.

    ``persons`` must be all persons of the review (their names are needed
    to scrub other text in a pseudonymised export, and their ages for the
    quasi-identifiers); the other records can come one at a time.
    """

    def __init__(self, review: Review, persons: Sequence[Person], opts: ExportOptions,
                 report: ExportReport | None = None, source: "SourceDocument | None" = None):
        self.r = review
        self.opts = opts
        self.report = report or ExportReport("nt")
        self.pseudo = opts.pseudonymise
        self.key = opts.key
        self.base = opts.base
        self._areas: set[str] = set()
        self._passages: set[str] = set()
        self._bnode = 0
        if self.pseudo:
            self.R = f"{self.base}pseudo/review/{self.key.token('review', review.id)}"
            area = review.police_force_area
            self.view = ResearchView(review, persons, self.key, opts.generalise_dates or "month",
                                     opts.exact_dates, _canonical_force_area(area) if area else None)
        else:
            self.R = f"{self.base}review/{V.iri_segment(review.id)}"
            self.view = None
        self.review_term = iri(self.R)
        self._bnode_prefix = "r" + hashlib.sha1(self.R.encode("utf-8")).hexdigest()[:12]
        self.graph = iri(f"{self.R}/graph")
        self.source_document = source
        self.report_term = iri(source.iri) if source is not None else iri(f"{self.R}/report")
        self._generalise = opts.generalise_dates
        self._person_term: dict[str, str] = {}
        self._agency_term: dict[str, str] = {}
        self._force_area_terms: dict[str, str] = {}

    # ----- IRIs -------------------------------------------------------------

    def record(self, kind: str, local_id: str) -> str:
        if self.pseudo:
            return f"<{self.base}pseudo/{kind}/{self.key.token(self.r.id, kind, local_id)}>"
        return f"<{self.R}/{kind}/{V.iri_segment(local_id)}>"

    def person(self, pid: str) -> str:
        t = self._person_term.get(pid)
        if t is None:
            t = self._person_term[pid] = self.record("person", pid)
        return t

    def agency(self, aid: str) -> str:
        t = self._agency_term.get(aid)
        if t is None:
            t = self._agency_term[aid] = self.record("agency", aid)
        return t

    def checked(self, triples: Iterable[Triple]) -> Iterator[Triple]:
        """``triples``, through the allow-list of :func:`research_checked` in a research export."""
        if not self.pseudo:
            return iter(triples)
        doc = self.report_term if self.source_document is not None else None
        return research_checked(triples, doc)

    @staticmethod
    def sub(term: str, suffix: str) -> str:
        """The IRI of a node that belongs to a record (``<x>`` -> ``<x/suffix>``)."""
        return f"{term[:-1]}/{suffix}>"

    def bnode(self) -> str:
        self._bnode += 1
        return f"_:{self._bnode_prefix}n{self._bnode}"

    # ----- values -----------------------------------------------------------

    def exported_date(self, d: PartialDate, precision: str | None = None) -> PartialDate:
        """``d`` as the export gives it: shifted and generalised in a research export."""
        if self.view is not None:
            return self.view.date(d, precision)
        return d.truncate(self._generalise) if self._generalise else d

    def date(self, d: PartialDate, precision: str | None = None) -> str:
        d = self.exported_date(d, precision)
        return f'"{d}"^^<{_DATATYPE[d.precision]}>'

    def instant(self, node: str, d: PartialDate) -> Iterator[Triple]:
        d = self.exported_date(d)
        yield node, A, P.Instant
        yield node, P.inXSD[d.precision], f'"{d}"^^<{_DATATYPE[d.precision]}>'

    def period(self, node: str, start: PartialDate | None, end: PartialDate | None) -> Iterator[Triple]:
        if self.view is not None:  # a period from or to someone's birth gives the birth
            start, end = (self._not_a_birth(d) for d in (start, end))
        yield node, A, P.Interval
        if start is not None:
            s = self.sub(node, "start")
            yield node, P.hasBeginning, s
            yield from self.instant(s, start)
        if end is not None:
            e = self.sub(node, "end")
            yield node, P.hasEnd, e
            yield from self.instant(e, end)

    def _not_a_birth(self, d: PartialDate | None) -> PartialDate | None:
        if d is not None and self.view.is_birth_date(d):
            self.report.withheld["births (period starts and ends)"] += 1
            return None
        return d

    def kept(self, text: str | None, research_value: Callable[[str], str | None], what: str) -> str | None:
        """A literal for ``text``; in a research export only the value the policy gives
        (from a vocabulary or list), None (counted as withheld) when it gives none."""
        if text is None:
            return None
        if self.view is None:
            return literal(text)
        value = research_value(text)
        if value is None:
            self.report.withheld[what] += 1
            return None
        return literal(value)

    def ordered(self, subject: str, prop: str, items: list[str]) -> Iterator[Triple]:
        """An rdf:List of ``items`` under ``prop``, keeping the case file's order."""
        if not items:
            yield subject, prop, RDF_NIL
            return
        node = self.bnode()
        yield subject, prop, node
        for i, item in enumerate(items):
            yield node, RDF_FIRST, item
            nxt = RDF_NIL if i == len(items) - 1 else self.bnode()
            yield node, RDF_REST, nxt
            node = nxt

    _AREA_KINDS = {
        "local_authority": ("local-authority", "LocalAuthorityArea"),
        "town": ("town", "Town"),
        "country": ("country", "Country"),
        "csp": ("csp", "CommunitySafetyPartnershipArea"),
        "region": ("region", "Region"),
    }

    def area(self, kind: str, name: str) -> tuple[str | None, list[Triple]]:
        """The area's term, and its type and label the first time it comes up in the review
        (None in a research export when the name is not a known area of its kind)."""
        if self.view is not None:
            name = self._research_area(kind, name)
            if name is None:
                self.report.withheld[f"area names ({kind.replace('_', ' ')})"] += 1
                return None, []
        if kind == "police_force_area":
            term = self._force_area_term(name)
            cls = P.PoliceForceArea
        else:
            segment, cls_name = self._AREA_KINDS[kind]
            term = f"<{self.base}area/{segment}/{V.iri_segment(name)}>"
            cls = getattr(P, cls_name)
        if term in self._areas:
            return term, []
        self._areas.add(term)
        return term, [(term, A, cls), (term, LABEL, literal(name))]

    @staticmethod
    def _research_area(kind: str, name: str) -> str | None:
        """Areas a research export names: canonical force areas, local authorities, regions."""
        if kind == "police_force_area":
            return _canonical_force_area(name)
        if kind == "local_authority":
            return disclosure.local_authority(name)
        if kind == "region":
            return disclosure.region(name)
        return None  # towns, countries, partnerships: free text

    def _force_area_term(self, name: str) -> str:
        term = self._force_area_terms.get(name)
        if term is None:
            if _canonical_force_area(name) == name:
                term = f"<{V.FORCE_AREA}{V.slug(name)}>"
            else:
                term = f"<{self.base}area/police-force-area/{V.iri_segment(name)}>"
            self._force_area_terms[name] = term
        return term

    def place(self, node: str, place: Place) -> Iterator[Triple]:
        yield node, A, P.Location
        for kind, prop in (("town", P.town), ("local_authority", P.localAuthority),
                           ("police_force_area", P.policeForceArea), ("country", P.country)):
            name = getattr(place, kind)
            if name is not None:
                term, new = self.area(kind, name)
                yield from new
                if term is not None:
                    yield node, prop, term

    def source(self, subject: str, refs: str | None) -> Iterator[Triple]:
        if refs is not None and self.view is not None:
            refs = self._research_refs(refs)
        if refs is None:
            return
        node = self.record("source", refs) if self.pseudo else f"<{self.R}/source/{V.iri_segment(refs)}>"
        if node not in self._passages:
            self._passages.add(node)
            yield node, A, P.ReportPassage
            yield node, P.paragraphs, literal(refs)
            yield node, P.isPartOf, self.report_term
        yield subject, P.derivedFrom, node

    def _research_refs(self, refs: str) -> str | None:
        """Research export: only the paragraph numbers of a report; a dataset's references are
        its row ids (``incidents.csv INC-0001``), which join the record back to the dataset."""
        if self.source_document is not None:
            self.report.withheld["dataset row references"] += 1
            return None
        kept = disclosure.paragraph_refs(refs)
        if kept is None:
            self.report.withheld["sources without paragraph numbers"] += 1
        return kept

    def common(self, subject: str, cls: str, position: int, local_id: str | None) -> Iterator[Triple]:
        yield subject, A, cls
        yield subject, P.inReview, self.review_term
        if not self.pseudo:
            yield subject, P.position, f'"{position}"^^<{_XSD_POSITIVE}>'
            if local_id is not None:
                yield subject, P.identifier, literal(local_id)

    # ----- records ----------------------------------------------------------

    def header(self) -> Iterator[Triple]:
        g = self.graph
        agent = f"<{self.base}software/dhrkg/{V.iri_segment(__version__)}>"
        yield g, A, P.Bundle
        yield g, P.primaryTopic, self.review_term
        yield g, P.conformsTo, f"<{V.ONTOLOGY_IRI}>"
        yield g, P.derivedFrom, self.report_term
        yield g, P.attributedTo, agent
        yield agent, A, P.SoftwareAgent
        yield agent, LABEL, literal(f"dhrkg {__version__}")
        if self.source_document is not None:
            doc = self.report_term
            yield doc, A, P.Source
            yield doc, P.title, literal(self.source_document.title)
            if self.source_document.identifier:
                yield doc, P.identifier, literal(self.source_document.identifier)

    def review(self, themes: Iterable[str] = (), region: str | None = None) -> Iterator[Triple]:
        """The review; ``themes``: Home Office DHR tags (DHRD flags); ``region``: a region name."""
        r, R = self.r, self.review_term
        yield R, A, P.Review
        if self.source_document is None:
            yield R, P.report, self.report_term
            yield self.report_term, A, P.ReviewReport
            yield self.report_term, P.generatedBy, R
        for tag in themes:
            concept = theme_for_tag(tag)
            if concept is not None:
                yield R, P.theme, f"<{V.DHR_THEME}{concept.value}>"
        if region is not None:
            term, new = self.area("region", region)
            yield from new
            if term is not None:
                yield R, P.region, term
        if not self.pseudo:
            yield R, P.identifier, literal(r.id)
            if r.title is not None:
                yield R, P.title, literal(r.title)
            for value, prop in ((r.chair, P.chair), (r.author, P.overviewAuthor),
                                (r.vice_chair, P.viceChair), (r.reference, P.reportReference)):
                if value is not None:
                    yield R, prop, literal(value)
            if r.source is not None and self.source_document is None:
                yield self.report_term, P.fileName, literal(r.source)
        if r.commissioned_by is not None and not self.pseudo:  # a partnership's name: free text
            lit = literal(r.commissioned_by)
            if lit:
                yield R, P.commissionedBy, lit
                term, new = self.area("csp", self.source_document.csp_area(r.commissioned_by)
                                      if self.source_document else " ".join(r.commissioned_by.split()))
                yield from new
                yield R, P.commissioningPartnership, term
        for kind, prop in (("local_authority", P.localAuthority), ("police_force_area", P.policeForceArea)):
            name = getattr(r, kind)
            if name is not None:
                term, new = self.area(kind, name)
                yield from new
                if term is not None:
                    yield R, prop, term
        if r.review_period is not None:
            node = self.sub(R, "period")
            yield R, P.reviewPeriod, node
            yield from self.period(node, r.review_period.start, r.review_period.end)
        if r.homicide_date is not None:
            yield R, P.homicideDate, self.date(r.homicide_date)
        if r.report_date is not None:
            yield R, P.reportDate, self.date(r.report_date)

    def person_record(self, i: int, p: Person, band: str | None = None,
                      vulnerabilities: Iterable[tuple[str, str]] = ()) -> Iterator[Triple]:
        """A person; ``band``: an age band recorded as such (the DHRD's), used where the age is not
        known; ``vulnerabilities``: (group, tag) pairs of Home Office vulnerability tags."""
        s = self.person(p.id)
        yield from self.common(s, P.Person, i, p.id)
        pseudo = self.pseudo
        if not pseudo:
            if p.name is not None:
                yield s, P.name, literal(p.name)
            if p.aliases:
                terms = [literal(a) for a in p.aliases]
                for t in terms:
                    yield s, P.alternateName, t
                if len(terms) > 1:
                    yield from self.ordered(s, P.aliasOrder, terms)
        if p.sex is not None:
            yield s, P.sex, SEX(p.sex)
        computed = person_age_band(p, self.r.homicide_date) if pseudo else None
        band = computed or band
        if band is not None:
            yield s, P.ageBand, AGE_BAND(band)
        for group, tag in vulnerabilities:
            concept = theme_for_tag(tag, group)
            if concept is not None:
                yield s, P.vulnerability, f"<{V.DHR_THEME}{concept.value}>"
        ethnicity = self.kept(p.ethnicity, disclosure.ethnicity, "ethnicities not in the vocabulary")
        if pseudo:
            hd = self.r.homicide_date
            qi = (band, p.sex, disclosure.ethnicity(p.ethnicity) if p.ethnicity else None, self._quasi_area,
                  hd.year if hd is not None else None)
            self.report.quasi.add(*qi)
            if "victim" in p.roles or "perpetrator" in p.roles:
                self.report.quasi_subjects.add(*qi)
        else:
            if p.born is not None:
                yield s, P.born, self.date(p.born)
            if p.age is not None:
                yield s, P.age, f'"{p.age}"^^<{_XSD_NNI}>'
            if p.age_months is not None:
                yield s, P.ageMonths, f'"{p.age_months}"^^<{_XSD_NNI}>'
        if p.died is not None:
            yield s, P.died, self.date(p.died, self._death_precision(p))
        if p.unborn is not None:
            yield s, P.unborn, _TRUE if p.unborn else _FALSE
        if ethnicity is not None:
            yield s, P.ethnicity, ethnicity
        if p.roles:
            terms = [ROLE(x) for x in p.roles]
            for t in terms:
                yield s, P.role, t
            if len(terms) > 1 and not pseudo:
                yield from self.ordered(s, P.roleOrder, terms)
            if "victim" in p.roles or "perpetrator" in p.roles:
                yield s, P.subjectOf, self.review_term
        if p.notes is not None and not pseudo:
            yield s, P.note, literal(p.notes)
        yield from self.source(s, p.source)

    @cached_property
    def _quasi_area(self) -> str | None:
        """The review's area among the quasi-identifiers: the finest the export gives, its local
        authority when that is exported, else its force area."""
        la = self.r.local_authority and disclosure.local_authority(self.r.local_authority)
        if la:
            return la
        area = self.r.police_force_area
        return (_canonical_force_area(area) or area) if area else None

    def _death_precision(self, p: Person) -> str | None:
        """Research export: deaths of persons other than the victims only to the year."""
        return "year" if self.view is not None and "victim" not in p.roles else None

    def relationship_record(self, i: int, rel) -> Iterator[Triple]:
        s = self.record("relationship", str(i))
        rtype = rel.type
        yield from self.common(s, _RELATIONSHIP_CLASS[rtype], i, None)
        yield s, P.relationshipType, RELATIONSHIP_TYPE(rtype)
        a, b = self.person(rel.from_), self.person(rel.to)
        yield s, P.fromPerson, a
        yield s, P.toPerson, b
        if rtype == "partner":
            yield a, _PARTNER_SHORTCUT[rel.status], b
        else:
            yield a, _RELATIONSHIP_SHORTCUT[rtype], b
        start = rel.start
        if start is not None and self.pseudo and rtype in ("parent", "sibling"):
            start = None  # the start of a parent or sibling relationship is a birth
            self.report.withheld["births (relationship starts)"] += 1
        if start is not None or rel.end is not None:
            node = self.sub(s, "period")
            yield s, P.during, node
            yield from self.period(node, start, rel.end)
        if rel.certainty is not None:
            yield s, P.certainty, CERTAINTY(rel.certainty)
        kind = getattr(rel, "kind", None)
        if kind is not None:
            yield s, _KIND_PROPERTY[rtype], KIND_CONCEPT[rtype](kind)
        if rtype == "partner":
            if rel.status is not None:
                yield s, P.partnerStatus, PARTNER_STATUS(rel.status)
            if rel.separated is not None:
                yield s, P.separated, self.date(rel.separated)
            if rel.abusive is not None:
                yield s, P.abusive, _TRUE if rel.abusive else _FALSE
        lit = self.kept(getattr(rel, "label", None), self.view and self.view.relation_label,
                        "relation labels not in the vocabulary")
        if lit:
            yield s, P.relationLabel, lit
        if rtype == "abuse" and rel.kinds:
            yield from self._abuse_kinds(s, rel.kinds)
        if rel.notes is not None and not self.pseudo:
            yield s, P.note, literal(rel.notes)
        yield from self.source(s, rel.source)

    def _abuse_kinds(self, s: str, kinds: list[str]) -> Iterator[Triple]:
        terms = [ABUSE_KIND(k) for k in kinds]
        for t in terms:
            yield s, P.abuseKind, t
        if len(terms) > 1 and not self.pseudo:
            yield from self.ordered(s, P.abuseKindOrder, terms)

    def household_record(self, i: int, h: Household) -> Iterator[Triple]:
        s = self.record("household", h.id)
        yield from self.common(s, P.Household, i, h.id)
        if h.location is not None:
            node = self.sub(s, "location")
            yield s, P.location, node
            yield from self.place(node, h.location)
        for j, m in enumerate(h.members, start=1):
            node = self.sub(s, f"member/{j}")
            person = self.person(m.person)
            yield node, A, P.HouseholdMembership
            yield node, P.member, person
            yield node, P.organization, s
            if not self.pseudo:
                yield node, P.position, f'"{j}"^^<{_XSD_POSITIVE}>'
            yield person, P.memberOf, s
            if m.start is not None or m.end is not None:
                period = self.sub(node, "period")
                yield node, P.memberDuring, period
                yield from self.period(period, m.start, m.end)
        if h.start is not None or h.end is not None:
            node = self.sub(s, "period")
            yield s, P.during, node
            yield from self.period(node, h.start, h.end)
        if h.notes is not None and not self.pseudo:
            yield s, P.note, literal(h.notes)
        yield from self.source(s, h.source)

    def agency_record(self, i: int, a: Agency) -> Iterator[Triple]:
        s = self.agency(a.id)
        yield from self.common(s, P.Agency, i, a.id)
        if self.view is None:
            yield s, P.prefLabel, literal(a.name)
            if a.abbreviation is not None:
                yield s, P.abbreviation, literal(a.abbreviation)
            terms = [literal(x) for x in a.aliases]
            for t in terms:
                yield s, P.altLabel, t
            if len(terms) > 1:
                yield from self.ordered(s, P.aliasOrder, terms)
        else:
            yield s, P.prefLabel, literal(self._research_agency_label(a))
        yield s, P.classification, AGENCY_TYPE_C(a.type)
        if a.police_force_area is not None:
            term, new = self.area("police_force_area", a.police_force_area)
            yield from new
            if term is not None:
                yield s, P.serves, term
        if a.notes is not None and not self.pseudo:
            yield s, P.note, literal(a.notes)

    def _research_agency_label(self, a: Agency) -> str:
        area = _canonical_force_area(a.police_force_area) if a.police_force_area else None
        kind = "other agency" if a.type == "other" else AGENCY_TYPE.concept(a.type).label
        label = self.view.agency_label(a, kind, area)
        if label != disclosure.vetted_public_body(a.name):
            self.report.withheld["agency names (not a vetted public body)"] += 1
        if a.abbreviation is not None or a.aliases:
            self.report.withheld["agency abbreviations and aliases"] += 1
        return label

    def _agency_list(self, s: str, prop: str, order_prop: str, ids: list[str], always: bool = False) -> Iterator[Triple]:
        terms = [self.agency(x) for x in ids]
        for t in terms:
            yield s, prop, t
        if not self.pseudo and (always or len(terms) > 1):
            yield from self.ordered(s, order_prop, terms)

    def event_record(self, i: int, e: Event) -> Iterator[Triple]:
        s = self.record("event", e.id)
        pseudo = self.pseudo
        if self.view is not None and self.view.is_birth(e):
            self.report.withheld["birth events"] += 1
            return
        precision = "year" if self.view is not None and self.view.is_other_death(e) else None
        yield from self.common(s, P.Event, i, e.id)
        yield s, P.date, self.date(e.date, precision)
        yield s, P.eventType, EVENT_TYPE(e.type)
        if e.until is not None:
            yield s, P.until, self.date(e.until, precision)
        if e.date_approx is not None:
            yield s, P.dateApproximate, _TRUE if e.date_approx else _FALSE
        if e.time is not None and not pseudo:
            yield s, P.timeOfDay, f'"{e.time}:00"^^<{_XSD_TIME}>'
        if e.agency is not None:
            yield s, P.recordedBy, self.agency(e.agency)
        if e.persons:
            terms = [self.person(x) for x in e.persons]
            for t in terms:
                yield s, P.involves, t
            if len(terms) > 1 and not pseudo:
                yield from self.ordered(s, P.involvesOrder, terms)
        if e.summary is not None and not pseudo:
            yield s, P.description, literal(e.summary)
        if e.abuse is not None:
            ab = e.abuse
            node = self.sub(s, "abuse")
            yield s, P.abuse, node
            yield node, A, P.EventAbuse
            if ab.perpetrator is not None:
                yield node, P.perpetrator, self.person(ab.perpetrator)
            if ab.victim is not None:
                yield node, P.victim, self.person(ab.victim)
            if ab.victims is not None:
                terms = [self.person(x) for x in ab.victims]
                for t in terms:
                    yield node, P.victim, t
                if not pseudo:
                    yield from self.ordered(node, P.victimOrder, terms)
            if ab.kinds:
                yield from self._abuse_kinds(node, ab.kinds)
            if ab.certainty is not None:
                yield node, P.certainty, CERTAINTY(ab.certainty)
        if e.risk is not None:
            rk = e.risk
            node = self.sub(s, "risk")
            yield s, P.risk, node
            yield node, A, P.RiskAssessmentResult
            lit = self.kept(rk.tool, disclosure.risk_tool, "risk tools not in the vocabulary")
            if lit:
                yield node, P.riskTool, lit
            if rk.level is not None:
                yield node, P.riskLevel, RISK_LEVEL(rk.level)
            if rk.score is not None:
                yield node, P.riskScore, f'"{rk.score}"^^<{_XSD_NNI}>'
            if rk.grade is not None and not pseudo:  # free wording
                yield node, P.riskGrade, literal(rk.grade)
        if e.referral_to is not None:
            yield s, P.referredTo, self.agency(e.referral_to)
        if e.shared_with:
            yield from self._agency_list(s, P.sharedWith, P.sharedWithOrder, e.shared_with)
        if e.other_agencies:
            yield from self._agency_list(s, P.tookPart, P.tookPartOrder, e.other_agencies)
        if e.place is not None:
            node = self.sub(s, "place")
            yield s, P.place, node
            yield from self.place(node, e.place)
        if e.notes is not None and not pseudo:
            yield s, P.note, literal(e.notes)
        yield from self.source(s, e.source)

    def recommendation_record(self, i: int, c: Recommendation) -> Iterator[Triple]:
        s = self.record("recommendation", c.id)
        yield from self.common(s, P.Recommendation, i, c.id)
        if c.agency is not None:
            yield s, P.addressedTo, self.agency(c.agency)
        if c.agencies:
            yield from self._agency_list(s, P.addressedTo, P.addressedToOrder, c.agencies, always=True)
        if not self.pseudo:
            yield s, P.text, literal(c.text)
        if c.scope is not None:
            yield s, P.scope, SCOPE_C(c.scope)
        yield from self.source(s, c.source)


#: The only predicates a research export writes (an allow-list: a field added to the model or the
#: emitter later stays out of research exports until it is added here, with its policy).
RESEARCH_PREDICATES = frozenset([A, LABEL] + [getattr(P, n) for n in (
    "inReview", "subjectOf", "report", "generatedBy", "primaryTopic", "conformsTo", "derivedFrom",
    "attributedTo", "theme", "region", "localAuthority", "policeForceArea", "reviewPeriod", "homicideDate",
    "reportDate", "hasBeginning", "hasEnd", "sex", "ageBand", "vulnerability", "died", "unborn", "ethnicity",
    "role", "relationshipType", "fromPerson", "toPerson", "partnerOf", "currentPartnerOf", "formerPartnerOf",
    "parentOf", "siblingOf", "relativeOf", "friendOf", "caresFor", "associateOf", "abused", "during",
    "certainty", "parentKind", "siblingKind", "partnerKind", "partnerStatus", "separated", "abusive",
    "relationLabel", "abuseKind", "location", "member", "organization", "memberOf", "memberDuring",
    "prefLabel", "classification", "serves", "date", "until", "dateApproximate", "eventType", "recordedBy",
    "involves", "abuse", "perpetrator", "victim", "risk", "riskTool", "riskLevel", "riskScore", "referredTo",
    "sharedWith", "tookPart", "place", "addressedTo", "scope", "paragraphs", "isPartOf")] + list(P.inXSD.values()))
#: Predicates of a research export whose values may be plain strings (each from a list or vocabulary).
RESEARCH_TEXT_PREDICATES = frozenset([LABEL] + [getattr(P, n) for n in (
    "prefLabel", "ethnicity", "relationLabel", "riskTool", "paragraphs")])


class DisclosureError(RuntimeError):
    """A research export was about to write something its policy does not allow (a bug)."""


def research_checked(triples: Iterable[Triple], source_document: str | None = None) -> Iterator[Triple]:
    """``triples`` of a research export, stopping at any predicate off the allow-list and any
    plain string on a predicate not meant for one (the source document's title and identifier
    excepted)."""
    for t in triples:
        subject, predicate, obj = t
        if subject == source_document and predicate in (P.title, P.identifier):
            yield t
            continue
        if predicate not in RESEARCH_PREDICATES:
            raise DisclosureError(f"a research export may not hold {predicate}")
        if obj.startswith('"') and not obj.endswith(">") and predicate not in RESEARCH_TEXT_PREDICATES:
            raise DisclosureError(f"a research export may not hold text on {predicate}")
        yield t


def _canonical_force_area(name: str) -> str | None:
    try:
        from dhrkg.places import canonical_force_area
    except ImportError:  # places reference data not installed
        return None
    return canonical_force_area(skeleton(name))  # look-alike letters of other scripts made Latin


def case_triples(case: CaseFile, opts: ExportOptions, report: ExportReport | None = None,
                 emitter: ReviewEmitter | None = None) -> Iterator[Triple]:
    """All triples of one case file, record by record."""
    em = emitter or ReviewEmitter(case.review, case.persons, opts, report)
    yield from em.checked(_case_records(case, em))


def _case_records(case: CaseFile, em: "ReviewEmitter") -> Iterator[Triple]:
    yield from em.header()
    yield from em.review()
    for i, p in enumerate(case.persons, start=1):
        yield from em.person_record(i, p)
    for i, r in enumerate(case.relationships, start=1):
        yield from em.relationship_record(i, r)
    for i, h in enumerate(case.households, start=1):
        yield from em.household_record(i, h)
    for i, a in enumerate(case.agencies, start=1):
        yield from em.agency_record(i, a)
    for i, e in enumerate(case.events, start=1):
        yield from em.event_record(i, e)
    for i, c in enumerate(case.recommendations, start=1):
        yield from em.recommendation_record(i, c)


def export_cases(cases: Iterable[CaseFile], out: TextIO, fmt: str, opts: ExportOptions,
                 review: str | None = None) -> ExportReport:
    """Write the reviews of ``cases`` (only the one with id ``review`` if given)."""
    report = ExportReport(fmt, pseudonymised=opts.pseudonymise)
    writer = RDFWriter(out, fmt)
    for case in cases:
        if review is not None and case.review.id != review:
            continue
        em = ReviewEmitter(case.review, case.persons, opts, report)
        writer.write_review(case_triples(case, opts, report, em), em.graph)
        report.reviews += 1
    writer.close()
    report.triples = writer.triples
    return report
