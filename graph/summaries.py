"""Pre-computed summaries for the national scans, where an index cannot help.

Three national scans ask, for every incident, risk assessment or abuser in the country, a
question about its neighbours ("was there a risk assessment of these people soon after?"). An
index finds incidents by type, but not "incidents with no assessment after them": that needs
the neighbours of each one, which costs seconds to minutes at a million people. So each review
carries, on its own nodes, the one fact each scan filters on first:

- ``Person.abused_partners``: how many partners the person is recorded as abusing (an ABUSED
  relationship, or an incident naming them as perpetrator and the partner as victim); unset
  for none. ``serial-perpetrators`` starts from ``abused_partners >= $min_partners`` (indexed).
- ``Event.first_assessment_from`` (incidents): the earliest ``date_from`` of a risk assessment
  about the incident's people whose date range ends on or after the incident's start.
- ``Event.shares`` (every event): true when it records sharing with, or a referral to, an agency
  (a SHARED_WITH or REFERRED_TO relationship), else false. ``risk-not-shared`` tests it for
  every assessment and every event that might follow one; reading a property costs a fraction
  of looking for a relationship.
- ``Event.first_sharing_from`` (risk assessments): the earliest ``date_from`` of a referral or
  sharing about the assessed people, as ``risk-not-shared`` counts them, that is not a step
  that follows a homicide (arrest, charge, court ...).
- ``Person.find_text``: what the text index of ``find-person`` holds (the name, id and aliases,
  lower-cased, in the engine's form: dhrkg.graph.schema ``SubstringIndex``); derived for every
  SubstringIndex, so it is the only rule that depends on the engine (its dialect).

The two dates are **prefilters**, not answers: a scan drops an incident or assessment only when
that earliest follow-up lies both before the homicide bound and within the window (then it is
certainly followed up), and runs its full, unchanged logic on the rest. So the rows are exactly
those of the full logic, whatever ``before`` and ``days`` are.

Every summary depends only on nodes and relationships of the same review, so it is computed
inside the replacement of that review (the same transaction, or the same FalkorDB query:
:meth:`dhrkg.graph.store.Store.load_rows`) and can never be stale. ``Review.summary_version``
says which version of these rules made them; a store brings older reviews up to date when it
opens (:meth:`dhrkg.graph.store.Store.ensure_summaries`).

Summarising a review on its own (a graph loaded in bulk or by an older dhrkg:
:meth:`dhrkg.graph.store.Store.summarise`) writes only derived data, so it needs neither an undo
snapshot nor one transaction over the whole review (at a million people: gigabytes): it runs
:func:`summary_steps`, each rule on its own, the first step marking the review stale
(``summary_version`` 0: begun, not finished) and the last setting the version. One that fails
part-way leaves the review stale, and the next store to open computes it again. A review that
was never summarised (its Review node has no ``summary_version``: first loaded in bulk or
offline) carries no summary, so its summarise skips the steps that only clear old ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .load import Statement
from .schema import SUBSTRING_INDEXES

#: Bump when a rule below changes: reviews summarised by an older version are summarised again.
SUMMARY_VERSION = 5

#: Event types that follow a homicide (as the canned queries' bound treats them).
POST_HOMICIDE = "['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process']"
SHARING = "['referral', 'marac', 'mappa', 'child_protection', 'information_sharing', 'disclosure']"
EARLIEST = "reduce(m = NULL, d IN {list} | CASE WHEN m IS NULL OR d < m THEN d ELSE m END)"

@dataclass(frozen=True)
class Rule:
    """One step of the summaries: ``sets`` names what it computes, ``cypher`` does it (with
    $review). ``clears``: it only takes away what an earlier summary of the review left, so a
    review never summarised before (first loaded in bulk or offline) does without it."""

    sets: str
    cypher: str
    clears: bool = False
    #: SET items it adds on a review summarised before, to clear in the same scan
    and_clears: str = ""

    def text(self, summarised_before: bool) -> str:
        return self.cypher + (self.and_clears if summarised_before else "")


#: The rules in order. A rerun is exact: a clear step takes away what a set step then sets
#: only where it finds something, and the others give every node they start from its value.
#: A FalkorDB write costs about 10 us a node it changes, whatever it sets (even a property to
#: NULL that was not there; bench/summaries.py), so each event is changed by as few rules as
#: can be: every event once by the first event rule or the assessments' own, then only where a
#: follow-up is found; and the clear steps ride on those changes or find their nodes first.
SUMMARY_RULES: tuple[Rule, ...] = (
    Rule("Person.abused_partners",
         "MATCH (a:Person {review: $review}) WHERE a.abused_partners IS NOT NULL SET a.abused_partners = NULL",
         clears=True),
    Rule("Person.abused_partners",
         "MATCH (a:Person {review: $review})-[:PARTNER_OF]-(v:Person) WHERE a <> v "
         "WITH DISTINCT a, v "
         "WITH a, v, size([(a)-[ab:ABUSED]->(v) | ab]) + "
         "size([(a)-[:INVOLVED {role: 'perpetrator'}]->(e:Event)<-[:INVOLVED {role: 'victim'}]-(v) | e]) AS n "
         "WHERE n > 0 "
         "WITH a, count(v) AS partners "
         "SET a.abused_partners = partners"),
    # every event but the assessments false (the next rule sets those), true below where found
    Rule("Event.shares",
         "MATCH (e:Event {review: $review}) WHERE e.type IS NULL OR e.type <> 'risk_assessment' "
         "SET e.shares = false",
         and_clears=", e.first_assessment_from = NULL"),
    # everything an assessment carries of its own in one change of it: false until found
    # (shares, any_sharing_after), the columns risk-not-shared prints (its people, its agency,
    # and the force area: its own place first, else the area its agency serves)
    Rule("Event.shares, any_sharing_after, summary_persons, summary_agency, summary_force_area",
         "MATCH (ra:Event {review: $review}) WHERE ra.type = 'risk_assessment' "
         "OPTIONAL MATCH (ra)<-[:INVOLVED]-(p:Person) "
         "WITH ra, collect(p.key) AS keys "
         "OPTIONAL MATCH (ra)-[:RECORDED_BY]->(ag:Agency) "
         "OPTIONAL MATCH (ag)-[:SERVES]->(a:Area) "
         "WITH ra, keys, collect(ag.name) AS agencies, "
         "collect(CASE WHEN a.kind = 'police_force_area' THEN a.name END) AS served "
         "OPTIONAL MATCH (ra)-[:LOCATED_IN]->(l:Area) "
         "WITH ra, keys, agencies, served, collect(CASE WHEN l.kind = 'police_force_area' THEN l.name END) AS places "
         "SET ra.shares = false, ra.any_sharing_after = false, "
         "ra.summary_persons = CASE WHEN size(keys) = 0 THEN NULL ELSE "
         "reduce(acc = [], k IN keys | [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y >= k]) END, "
         "ra.summary_agency = head(agencies), ra.summary_force_area = coalesce(head(places), head(served))",
         and_clears=", ra.first_sharing_from = NULL"),
    # whole-review MATCH pipelines, not a pattern comprehension per node: FalkorDB runs a
    # comprehension once per row, a MATCH over all rows at once (4x faster at 100k people)
    Rule("Event.shares",
         "MATCH (e:Event {review: $review})-[:SHARED_WITH|REFERRED_TO]->() WITH DISTINCT e SET e.shares = true"),
    Rule("Event.first_assessment_from",
         "MATCH (inc:Event {review: $review})<-[:INVOLVED]-(p:Person)-[:INVOLVED]->(ra:Event) "
         "WHERE inc.type = 'incident' AND ra.type = 'risk_assessment' AND ra <> inc AND ra.date_to >= inc.date_from "
         "WITH inc, p, ra "
         "WITH inc, collect(ra.date_from) AS ds "
         "SET inc.first_assessment_from = " + EARLIEST.format(list="ds")),
    # risk-not-shared: which assessments can have a follow-up at all (the rest skip the walk to
    # their people's events), and the columns it prints, found once per load instead of once per
    # row of every run (FalkorDB: 50-150 us a pattern comprehension a row). One walk for both
    # sharing summaries: the follow-ups that count for first_sharing_from are those of
    # any_sharing_after that do not follow a homicide (collect leaves out the NULL of the rest).
    Rule("Event.any_sharing_after, first_sharing_from",
         "MATCH (ra:Event {review: $review})<-[:INVOLVED]-(p:Person)-[:INVOLVED]->(f:Event) "
         "WHERE ra.type = 'risk_assessment' AND f <> ra AND f.review = ra.review AND f.date_to >= ra.date_from "
         f"AND (f.type IN {SHARING} OR f.shares) "
         "WITH ra, p, f "
         f"WITH ra, collect(CASE WHEN NOT f.type IN {POST_HOMICIDE} THEN f.date_from END) AS ds "
         "SET ra.any_sharing_after = true, ra.first_sharing_from = " + EARLIEST.format(list="ds")),
    Rule("Review.summary_version",
         "MATCH (r:Review {key: $review}) SET r.summary_version = $summary_version"),
)


def substring_rules(dialect: Any, missing_only: bool = False) -> tuple[Rule, ...]:
    """The rule of each SubstringIndex's property, as ``dialect`` (its engine) keeps it
    (``missing_only``: for the nodes whose rows did not bring it, see :func:`with_substrings`)."""
    return tuple(
        Rule(f"{s.label}.{s.prop}",
         f"MATCH (n:{s.label} {{review: $review}}){f' WHERE n.{s.prop} IS NULL' if missing_only else ''} "
         f"WITH n, {s.texts('n')} AS texts "
         f"WITH n, {dialect.substring_value('texts')} AS v "
         f"SET n.{s.prop} = CASE WHEN size(v) = 0 THEN NULL ELSE v END")
        for s in SUBSTRING_INDEXES)


def summary_statements(review: str, dialect: Any = None, substrings_in_rows: bool = False,
                       summarised_before: bool = True) -> list[Statement]:
    """The statements that (re)compute every summary of ``review``, in order (those of the
    SubstringIndexes only with the store's ``dialect``; ``substrings_in_rows``: the review's
    rows came through :func:`with_substrings`, so only the nodes they left without are done;
    ``summarised_before`` False: the review has no summary yet, so no clear step)."""
    params = {"review": review, "summary_version": SUMMARY_VERSION}
    rules = (SUMMARY_RULES[:-1] + (substring_rules(dialect, substrings_in_rows) if dialect else ())
             + SUMMARY_RULES[-1:])
    texts = [r.text(summarised_before) for r in rules if summarised_before or not r.clears]
    return [Statement(t, {k: v for k, v in params.items() if f"${k}" in t}, "summary") for t in texts]


def _lowers_alike(text: str) -> bool:
    """Whether every engine lower-cases ``text`` as Python does (tested: tests/graph/
    test_find_text_in_python.py). Other texts are left to the engine's rule."""
    return text.isascii() or all(map(_lowered_alike, text))


def _lowered_alike(c: str) -> bool:
    """One character for one, with no rule of context (Greek final sigma) or language (Turkish
    dotted I), in the scripts whose case mappings every Unicode version agrees on (Latin, Greek,
    Cyrillic, Latin Extended Additional); or a character without case (punctuation, CJK)."""
    import unicodedata

    if c in "\u03a3\u0130":
        return False
    if ord(c) < 0x0530 or 0x1E00 <= ord(c) <= 0x1EFF:
        return len(c.lower()) == 1
    return c.lower() == c == c.upper() and unicodedata.category(c) in _CASELESS


#: Unicode categories whose characters have no case: other letters (CJK ...), marks, numbers,
#: punctuation, symbols, spaces.
_CASELESS = frozenset({"Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po",
                       "Sm", "Sc", "Sk", "So", "Zs"})


def substring_props(label: str, row: dict[str, Any], dialect: Any) -> dict[str, Any]:
    """The SubstringIndex properties of one ``label`` row, as the engine's rule would set them;
    {} for a property left to the rule (a text not lowered alike, or not a string) and for a
    row of no review (the rules summarise reviews)."""
    out: dict[str, Any] = {}
    if row.get("review") is None:
        return out
    for s in SUBSTRING_INDEXES:
        if s.label != label:
            continue
        texts = [row.get(f) for f in s.fields] + [t for f in s.list_fields for t in (row.get(f) or [])]
        texts = [t for t in texts if t is not None]
        if all(isinstance(t, str) and _lowers_alike(t) for t in texts):
            value = dialect.substring_python([t.lower() for t in texts])
            if value is not None:
                out[s.prop] = value
    return out


#: Labels that have a SubstringIndex property.
SUBSTRING_LABELS = frozenset(s.label for s in SUBSTRING_INDEXES)


def with_substrings(label: str, rows: Any, dialect: Any) -> Any:
    """``rows`` of ``label`` with their SubstringIndex properties computed here (where rows are
    built: cheaper than the engine's rule, which then does only the rows left without);
    ``rows`` itself for other labels. Lazily for an iterator."""
    if label not in SUBSTRING_LABELS:
        return rows
    made = ({**row, **substring_props(label, row, dialect)} for row in rows)
    return list(made) if isinstance(rows, list) else made


#: The first step of summarising a review on its own: it is stale (version 0: begun, not
#: finished) until the last step sets the version.
MARK_STALE = "MATCH (r:Review {key: $review}) SET r.summary_version = 0"

#: Whether a review was never summarised, so its nodes carry no summary: its Review node has no
#: ``summary_version`` at all (:data:`MARK_STALE` sets 0, a finished summary its version). No
#: row (a review without a Review node): not known, so summarised as one that was.
NEVER_SUMMARISED = "MATCH (r:Review {key: $review}) RETURN r.summary_version IS NULL AS never"


def summary_steps(review: str, dialect: Any, substrings_in_rows: bool = False,
                  summarised_before: bool = True) -> list[Statement]:
    """The steps that summarise ``review`` outside a replacement, one write each, in order:
    mark it stale, every rule (the clear steps only if ``summarised_before``), set the version."""
    return ([Statement(MARK_STALE, {"review": review}, "summary")]
            + summary_statements(review, dialect, substrings_in_rows, summarised_before))


#: Relationship types the rules above traverse. FalkorDB (4.16) plans a query before it runs, and
#: a pattern naming a relationship type the graph has never had matches nothing, even when an
#: earlier part of the same query creates such relationships; the rules run in the same query as
#: a review's first load, so the FalkorDB store makes these types exist beforehand
#: (dhrkg.graph.dialect.falkordb_relationship_type_statement).
SUMMARY_RELATIONSHIP_TYPES = ("PARTNER_OF", "ABUSED", "INVOLVED", "SHARED_WITH", "REFERRED_TO", "RECORDED_BY",
                              "LOCATED_IN", "SERVES")

#: The properties the rules set: derived, not case-file fields (readers that turn nodes back
#: into case-file records leave them out).
SUMMARY_PROPERTIES = frozenset({s.prop for s in SUBSTRING_INDEXES}) | frozenset({
    "abused_partners", "shares", "first_assessment_from", "first_sharing_from", "summary_version",
    "any_sharing_after", "summary_agency", "summary_persons", "summary_force_area"})

#: The properties the national scans filter on that only summarising a review sets: a bulk load
#: writes them at its end, so a query that reads one answers wrongly for the reviews of an
#: unfinished load (dhrkg.graph.canned refuses it). Not the SubstringIndex ones: the bulk loader
#: writes those with the rows (:func:`with_substrings`).
SCAN_PROPERTIES = SUMMARY_PROPERTIES - {s.prop for s in SUBSTRING_INDEXES} - {"summary_version"}
#: one named after a dot (``e.shares``) or as a key of a pattern's map (``{shares: true}``)
_READS_SCAN_PROPERTY = re.compile(r"(?:\.|[{,])\s*(?:" + "|".join(sorted(SCAN_PROPERTIES)) + r")\b")


def summarising_note(reviews: int) -> str:
    """What a user is told when a store that opens the graph summarises ``reviews`` stale reviews."""
    return (f"summarising {reviews} review{'' if reviews == 1 else 's'} loaded by an older dhrkg or in bulk "
            "(the national scans read their summaries) ...")


def reads_summaries(cypher: str) -> bool:
    """Whether ``cypher`` reads a property of :data:`SCAN_PROPERTIES`."""
    return _READS_SCAN_PROPERTY.search(cypher) is not None


#: Reviews whose summaries are missing or were made by an older version.
STALE_REVIEWS = ("MATCH (r:Review) WHERE r.summary_version IS NULL OR r.summary_version < $summary_version "
                 "RETURN r.key AS review ORDER BY review")
