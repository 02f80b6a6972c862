"""The human-readable page of the ontology (docs/ontology.md), generated from dhr.ttl."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from .terms import FIELD_TERMS, GRAPH_AREA_KINDS, GRAPH_LABELS, GRAPH_RELATIONSHIPS
from .vocab import DHR, ONTOLOGY_IRI, PREFIXES


USING = """## Exporting and importing

```
dhrkg export [CASE_FILES...] -o FILE [--format ttl|nt|nq|trig|jsonld] [--review ID]
             [--pseudonymise [--key-file KEY] [--exact-dates]] [--generalise-dates month|year]
             [--from-graph]
dhrkg import-rdf FILE [-o case.yaml | -o DIR/] [--review ID] [--to-graph]
```

- **Where from.** Case files, or the graph store when none are given (`--from-graph`): read page
  by page and written by the same code, so both give the same IRIs. The graph does not keep the
  order of records and lists, so an export from the graph comes out sorted.
- **Formats.** N-Triples and N-Quads are written line by line as records are read (memory stays
  flat however large the export: see BENCHMARKS.md); Turtle, TriG and JSON-LD go through rdflib
  one review at a time. N-Quads, TriG and JSON-LD put each review in its own named graph
  `<review>/graph`, a `prov:Bundle` that says which review it is about, that it conforms to this
  ontology, and which dhrkg wrote it.
- **IRIs.** `https://w3id.org/dhrkg/id/review/{review}/{person|event|household|agency|recommendation}/{id}`
  (ids percent-encoded), relationships by position (`.../relationship/3`); shared areas under
  `.../id/area/{kind}/{name}`; a canonical police force area is its concept in
  `dhr:PoliceForceAreaScheme`. `--base-iri` changes the base.
- **Provenance.** Every record with paragraph refs has `prov:wasDerivedFrom` a `dhr:ReportPassage`
  (`dhr:paragraphs "2.17-2.20, 3.4"`) that is `dcterms:isPartOf` the review's report.
- **Dates.** Partial dates stay partial: `xsd:gYear`, `xsd:gYearMonth` or `xsd:date`. Periods
  (review period, relationships, households, memberships) are OWL-Time intervals whose instants
  carry the partial date (`time:inXSDgYear` ...).
- **Round trip.** `dhrkg import-rdf` reads any of the formats back; for an export of case files
  that was not pseudonymised the case file comes back unchanged (`CaseFile.to_data()` equal),
  list order included (kept by `dhr:*Order` rdf:Lists). One exception: a recommendation that
  names the same agency both as `agency` and in `agencies` comes back with it only in `agencies`.
- **Pseudonymised research export** (`--pseudonymise`). Built by construction, not by
  search-and-replace: it writes only predicates on an allow-list (`RESEARCH_PREDICATES` in
  `ontology/export.py`; anything else stops the export), and every value it writes comes from a
  vocabulary, a list or a computation (`ontology/disclosure.py`), never from free text. Record IRIs
  (persons, events, agencies, source passages, ...) are HMAC-SHA256 of review id, kind and id under
  a secret key (`--key-file`: the same key gives the same IRIs, so exports can be joined; without
  it they cannot be linked to the case files or to another key's export; no key file means a new
  random key each time). Only the IRIs are unlinkable: two exports of one review under different
  keys still match by what they say (its people, their age bands, the intervals between its
  events), and together narrow its dates (see date shifting below).
  `shapes-pseudonymised.ttl` checks what such an export must not hold.
  See the disclosure-control policy below.

- **Checks.** `ontology/shapes.ttl` (pyshacl) for every export; SPARQL versions of three canned
  queries in `ontology/queries/*.rq` (`dhrkg.ontology.sparql`, on pyoxigraph) give the same
  answers as the Cypher ones.
- **Regenerating.** `python -m dhrkg.ontology.build` rewrites the concept schemes of `dhr.ttl`,
  the allowed-value lists of `shapes.ttl` and this page (`--check` to test).

### Disclosure-control policy of the research export

| what | in the research export |
| --- | --- |
| names, aliases, ids, notes, summaries, recommendation texts, the report's title, chair, author, reference, file name, the partnership's name, risk grades, times of day | never |
| persons | a keyed IRI; sex, roles, age band at the homicide (`dhr:AgeBandScheme`: under 16, 16-19, 20-24, 25-34, 35-44, 45-54, 55-64, 65+), Home Office vulnerability themes; never an age, age in months or date of birth |
| births | never: a birth event (one whose summary or notes speak of a birth, a birthday or someone turning an age ("turned 30") or labour, a life event whose date agrees with the birth of a person in it, or an event other than the homicide on the day of any person's birth, whoever it is about), the start of a parent or sibling relationship, and a bound of any period (a household membership, the review period) that agrees with a person's birth, are withheld; the age band stands for them |
| deaths | the victim's like any date; anyone else's (`dhr:died`, life events that give it, and any other event known to the day on the day of such a death, whoever it is about, unless that is the homicide's day) only to the year |
| every other date | shifted by the review's offset, then given to the month (`--generalise-dates year`: to the year) |
| agency names | a vetted public body (territorial police forces and British Transport Police, councils of local authorities and counties, national bodies such as the Crown Prosecution Service), else "*kind* in *force area*" ("general practice in West Mercia"); no abbreviations or aliases |
| relation labels | kinship words of the extractor's vocabulary with their modifiers ("maternal grandmother") and a few others ("family member", "neighbour"), else none |
| ethnicity | only when made of the words of ONS categories ("Asian Pakistani"), else none |
| areas | canonical police force areas, local authorities, regions; no towns, countries or partnerships |
| risk | level, score and a tool from a list (DASH, SARA, ...) |
| source passages | only the paragraph numbers ("2.1 (statement of ...)" gives "2.1"; parts of up to three digits), under a keyed IRI; a number that is part of something else is no paragraph and is left out ("police log 20/123456", "NHS 943 476 5919", "INC-0001", "20/11/2017"); the row references of a dataset (the DHRD's "incidents.csv INC-0001") never |

- **Date shifting.** As clinical data sets do it: every date of a review is moved by the same
  number of days, 183 to 730 either way, drawn from a keyed hash of the review id (the same key
  gives the same offset; each review its own). Intervals between the events of a review are kept;
  the calendar (season, day of the week, year) is not. A date known to the month or year is moved
  by its middle day. Dates are then given to the month, so intervals are kept to within a month.
  Why not to the day: a review's homicide date is public (the press reports it), so an exact
  interval to it would give every date back exactly; to the month, a known homicide date still
  leaves every other date within a window of weeks (see `tests/rdf/test_rdf_research_attacks.py`).
  `--exact-dates` keeps the calendar (no shift; still to the month): only with the consent of the
  key holder, and only with `--key-file`. Give one researcher exports made with one key: exports
  of a review under different keys (or with no key file, a new key each time) have different
  offsets, and several of them together narrow the windows.
- **Matching.** Names, vocabularies and vetted names are compared in one form: NFKC, case-folded,
  accents removed and look-alike letters of other scripts (Cyrillic U+0430 for "a", Greek U+03BF
  for "o", ...) made Latin with the Unicode confusables data (TR39), so "Zoe" + combining
  diaeresis, "Quimby" with a Cyrillic U+0456 for its "i", and "quimby" all match "Quimby". A vetted agency name or a relation label that
  still names a person of the review (name, alias, a capitalised word of a name, or an id) is not
  used.
- **k-anonymity.** The command prints, for all persons and for victims and perpetrators, the size
  of the smallest group of persons sharing age band, sex, ethnicity, area (the review's local
  authority when the export gives it, else its force area: the finest a researcher can group by)
  and year of the homicide, the number of groups and of persons ("smallest group: 1 person; 1,144 groups among
  1,319 persons"), and the groups smaller than 5; these use the true year (an attacker may know
  it). A smallest group under 5 means someone can probably be re-identified: share with care.
  It also lists what was withheld, by kind."""


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


class _Names:
    def __init__(self, g: Graph):
        self.g = g
        self.prefixes = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))

    def short(self, term) -> str:
        text = str(term)
        for prefix, ns in self.prefixes:
            if text.startswith(ns) and len(text) > len(ns):
                return f"{prefix}:{text[len(ns):]}"
        return f"<{text}>"

    def label(self, term) -> str:
        for p in (RDFS.label, SKOS.prefLabel):
            v = self.g.value(term, p)
            if v is not None:
                return str(v)
        return ""

    def definition(self, term) -> str:
        v = self.g.value(term, SKOS.definition)
        return "" if v is None else str(v)

    def link(self, term) -> str:
        s = self.short(term)
        if isinstance(term, URIRef) and str(term).startswith(str(DHR)):
            return f"[`{s}`](#{s.replace(':', '').lower()})"
        return f"`{s}`"

    def list(self, terms) -> str:
        terms = [t for t in terms if isinstance(t, URIRef)]
        return ", ".join(self.link(t) for t in sorted(terms, key=str))


def ontology_markdown(ttl_text: str) -> str:
    g = Graph()
    g.parse(data=ttl_text, format="turtle")
    n = _Names(g)
    onto = URIRef(ONTOLOGY_IRI)
    out: list[str] = []
    w = out.append

    w(f"# {g.value(onto, DCTERMS.title)}")
    w("")
    w("<!-- generated by `python -m dhrkg.ontology.build` from ontology/dhr.ttl; do not edit by hand -->")
    w("")
    w("| | |")
    w("| --- | --- |")
    w(f"| IRI | `{onto}` |")
    w(f"| version | {g.value(onto, OWL.versionInfo)} (`{g.value(onto, OWL.versionIRI)}`) |")
    w(f"| licence | <{g.value(onto, DCTERMS.license)}> |")
    w("| files | `ontology/dhr.ttl` (OWL 2), `ontology/shapes.ttl` and `ontology/shapes-pseudonymised.ttl` (SHACL) |")
    w("")
    w(_cell(g.value(onto, DCTERMS.description)))
    w("")
    w(USING)
    w("")
    w("## Prefixes")
    w("")
    w("| prefix | namespace |")
    w("| --- | --- |")
    for prefix, ns in PREFIXES.items():
        w(f"| `{prefix}:` | `{ns}` |")
    w("")

    def own(kind) -> list[URIRef]:
        return sorted((s for s in g.subjects(RDF.type, kind)
                       if isinstance(s, URIRef) and str(s).startswith(str(DHR))), key=str)

    w("## Classes")
    w("")
    for c in own(OWL.Class):
        s = n.short(c)
        w(f"### {s}")
        w("")
        w(f"**{n.label(c)}**. {_cell(n.definition(c))}")
        w("")
        sup = [x for x in g.objects(c, RDFS.subClassOf) if isinstance(x, URIRef)]
        if sup:
            w(f"- subclass of: {n.list(sup)}")
        eq = list(g.objects(c, OWL.equivalentClass))
        if eq:
            w("- defined as an equivalent class (see dhr.ttl)")
        subs = [x for x in g.subjects(RDFS.subClassOf, c) if isinstance(x, URIRef)]
        if subs:
            w(f"- subclasses: {n.list(subs)}")
        w("")

    for title, kind in (("Object properties", OWL.ObjectProperty), ("Datatype properties", OWL.DatatypeProperty),
                        ("Annotation properties", OWL.AnnotationProperty)):
        w(f"## {title}")
        w("")
        for p in own(kind):
            s = n.short(p)
            w(f"### {s}")
            w("")
            w(f"**{n.label(p)}**. {_cell(n.definition(p))}")
            w("")
            facts = []
            for name, pred in (("domain", RDFS.domain), ("range", RDFS.range), ("subproperty of", RDFS.subPropertyOf),
                               ("inverse of", OWL.inverseOf)):
                vals = list(g.objects(p, pred))
                if vals:
                    facts.append(f"- {name}: {n.list(vals)}")
            chars = [n.short(t) for t in g.objects(p, RDF.type) if t in (OWL.FunctionalProperty, OWL.SymmetricProperty)]
            if chars:
                facts.append("- " + ", ".join(f"`{c}`" for c in sorted(chars)))
            out.extend(facts)
            if facts:
                w("")

    w("## Datatypes")
    w("")
    for d in own(RDFS.Datatype):
        w(f"### {n.short(d)}")
        w("")
        w(f"**{n.label(d)}**. {_cell(n.definition(d))}")
        w("")

    w("## Terms reused from other vocabularies")
    w("")
    w("| term | label | as used here |")
    w("| --- | --- | --- |")
    reused = sorted({s for s in g.subjects(RDFS.isDefinedBy, None) if isinstance(s, URIRef)}, key=n.short)
    for t in reused:
        w(f"| `{n.short(t)}` | {_cell(n.label(t))} | {_cell(n.definition(t))} |")
    w("")

    w("## Concept schemes")
    w("")
    for scheme in sorted(g.subjects(RDF.type, SKOS.ConceptScheme), key=str):
        s = n.short(scheme)
        concepts = sorted(g.subjects(SKOS.inScheme, scheme), key=lambda c: (
            str(g.value(c, SKOS.broader) or c), g.value(c, SKOS.broader) is not None, str(g.value(c, SKOS.notation) or ""), str(c)))
        w(f"### {s}")
        w("")
        w(f"**{n.label(scheme)}**. {_cell(n.definition(scheme))}")
        src = g.value(scheme, DCTERMS.source)
        if src:
            w("")
            w(f"Source: {_cell(src)}")
        w("")
        w("| concept | label | notation | broader | definition |")
        w("| --- | --- | --- | --- | --- |")
        for c in concepts:
            broader = g.value(c, SKOS.broader)
            w(f"| `{n.short(c)}` | {_cell(n.label(c))} | {_cell(g.value(c, SKOS.notation) or '')} | "
              f"{('`' + n.short(broader) + '`') if broader else ''} | {_cell(n.definition(c))} |")
        w("")

    w("## Case-file fields and the terms that carry them")
    w("")
    w("| field (dhr-case/1) | term |")
    w("| --- | --- |")
    for key, term in FIELD_TERMS.items():
        w(f"| `{key}` | {n.link(term)} |")
    w("")
    w("## Graph schema and the terms that carry it")
    w("")
    w("| graph | term |")
    w("| --- | --- |")
    for label, term in GRAPH_LABELS.items():
        w(f"| `(:{label})` | {n.link(term)} |")
    for kind, term in GRAPH_AREA_KINDS.items():
        w(f"| `(:Area {{kind: \"{kind}\"}})` | {n.link(term)} |")
    for rel, term in GRAPH_RELATIONSHIPS.items():
        w(f"| `[:{rel}]` | {n.link(term)} |")
    w("")
    return "\n".join(out)
