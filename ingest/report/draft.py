"""Putting the draft together: run the extractors, build the case file, make sure it validates.

The draft is always a valid ``dhr-case/1`` file: anything a check would
refuse (a dangling id, a date out of order, an out-of-range age) is dropped
or cleared, and ``validate_text`` is run on the YAML before it is returned.
People and agencies the extractor is unsure of are kept with a
``notes: "uncertain: ..."`` line, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dhrkg.model import CaseFile, PartialDate, PartialDateError
from dhrkg.model.source import SourceText
from dhrkg.model.validate import validate_source
from dhrkg.model.writer import case_yaml

from .confidence import Confidence, annotate_yaml, drop_below, record_key, score_records
from .document import Document
from .pipeline import run_passes
from .readers import read_document


class DraftInvalid(Exception):
    """The extractor produced a draft that does not validate (a bug: please report it)."""


def extract_report(path: str | Path, skip: frozenset[str] = frozenset()) -> CaseFile:
    """Draft a case file from a report file (text, PDF or DOCX)."""
    return extract_document(read_document(path), skip)


def draft_report(path: str | Path, skip: frozenset[str] = frozenset(), min_confidence: float = 0.0) -> "Draft":
    """Draft a case file from a report file, with the confidence of every record."""
    return draft_document(read_document(path), skip, min_confidence)


def extract_document(doc: Document, skip: frozenset[str] = frozenset()) -> CaseFile:
    """Draft a case file from a document model; ``skip``: passes to switch off (pipeline.PASS_NAMES)."""
    return draft_document(doc, skip=skip).case


def draft_document(doc: Document, skip: frozenset[str] = frozenset(), min_confidence: float = 0.0) -> "Draft":
    """The draft with the confidence of every record and the passes' hits."""
    st = run_passes(doc, skip)
    ctx = st.ctx
    data = {
        "format": "dhr-case/1",
        "review": st.review or {"id": "review"},   # the review pass switched off: a placeholder id
        "persons": [_person(p) for p in ctx.persons],
        "relationships": st.relationships,
        "households": st.households,
        "agencies": [_agency(a) for a in ctx.agencies],
        "events": st.events,
        "recommendations": st.recommendations,
    }
    confidence = score_records(data)
    if min_confidence > 0:
        data = drop_below(data, confidence, min_confidence)
    data = _make_valid(data)
    # the validator's full checks (model and references), on the data the YAML will hold
    result = validate_source(SourceText(file=doc.source or "<draft>", data=data))
    if not result.ok:  # pragma: no cover - _make_valid should prevent this
        raise DraftInvalid("\n".join(str(p) for p in result.errors[:20]))
    return Draft(result.case, confidence, st.hits, st.rule_hits)


@dataclass
class Draft:
    """A drafted case file, the confidence of each record (by section and id) and what each pass found."""

    case: CaseFile
    confidence: dict[tuple[str, str], Confidence]
    hits: dict[str, int]
    rule_hits: dict[str, int]

    def yaml(self, header: str | None = None, check_first: bool = False) -> str:
        return draft_yaml(self.case, header, self.confidence, check_first)


def _person(p) -> dict[str, Any]:
    rec: dict[str, Any] = {"id": p.id, "name": p.name}
    if p.aliases:
        rec["aliases"] = list(dict.fromkeys(p.aliases))
    for key in ("sex", "born", "age", "age_months", "died", "unborn", "ethnicity"):
        value = getattr(p, key)
        if value is not None:
            rec[key] = value
    if p.roles:
        rec["roles"] = list(dict.fromkeys(p.roles))
    notes = p.notes
    if p.uncertain:
        notes = f"uncertain: {p.uncertain}"
    if notes:
        rec["notes"] = notes
    if p.sources:
        rec["source"] = ", ".join(p.sources)
    return rec


def _agency(a) -> dict[str, Any]:
    rec: dict[str, Any] = {"id": a.id, "name": a.name}
    if a.abbreviation:
        rec["abbreviation"] = a.abbreviation
    aliases = [x for x in dict.fromkeys(a.aliases) if x != a.name]
    if aliases:
        rec["aliases"] = aliases
    rec["type"] = a.type
    if a.police_force_area:
        rec["police_force_area"] = a.police_force_area
    notes = a.notes
    if not notes and a.origin == "text" and a.mentions <= 1:
        notes = "uncertain: named once in the text; check it is a body that took part"
    if notes:
        rec["notes"] = notes
    return rec


def _date(value: Any) -> PartialDate | None:
    try:
        return PartialDate.parse(value) if value is not None else None
    except PartialDateError:
        return None


def _make_valid(data: dict[str, Any]) -> dict[str, Any]:
    persons = {p["id"] for p in data["persons"]}
    agencies = {a["id"] for a in data["agencies"]}
    for p in data["persons"]:
        if "age" in p and "age_months" in p:
            del p["age_months"]
        if "age" in p and not 0 <= p["age"] <= 130:
            del p["age"]
        if "age_months" in p and not 0 <= p["age_months"] <= 36:
            del p["age_months"]
        born, died = _date(p.get("born")), _date(p.get("died"))
        if born and died and died.latest < born.earliest:
            del p["died"]
    born = {p["id"]: _date(p.get("born")) for p in data["persons"]}
    rels = []
    for r in data["relationships"]:
        if r["from"] not in persons or r["to"] not in persons or r["from"] == r["to"]:
            continue
        if r["type"] == "parent" and r.get("kind") != "step":
            pb, cb = born.get(r["from"]), born.get(r["to"])
            if pb and cb and cb.latest < pb.earliest:
                continue
        rels.append(r)
    data["relationships"] = _no_parent_cycles(rels)
    data["households"] = _valid_households(data.get("households", []), persons)
    for ev in data["events"]:
        if ev.get("agency") not in agencies:
            ev.pop("agency", None)
        if ev.get("referral_to") not in agencies:
            ev.pop("referral_to", None)
        ev["persons"] = [x for x in ev.get("persons", []) if x in persons]
        if not ev["persons"]:
            del ev["persons"]
        abuse = ev.get("abuse")
        if abuse and (abuse.get("perpetrator") not in persons or abuse.get("victim") not in persons
                      or abuse.get("perpetrator") == abuse.get("victim")):
            del ev["abuse"]
        if ev.get("risk") and ev["type"] not in ("risk_assessment", "marac", "referral"):
            del ev["risk"]
    for rec in data["recommendations"]:
        if rec.get("agency") not in agencies:
            rec.pop("agency", None)
        if "agencies" in rec:
            rec["agencies"] = [a for a in rec["agencies"] if a in agencies]
            if not rec["agencies"]:
                del rec["agencies"]
    period = data["review"].get("review_period")
    if period:
        s, e = _date(period.get("start")), _date(period.get("end"))
        if s and e and e.latest < s.earliest:
            del data["review"]["review_period"]
    return data


def _valid_households(households: list[dict], persons: set[str]) -> list[dict]:
    """Households with their left-out members dropped; none left with fewer people than it was told with."""
    out = []
    for h in households:
        members = [m for m in h["members"] if (m["person"] if isinstance(m, dict) else m) in persons]
        if len(members) == len(h["members"]):
            out.append(h)
    return out


def _no_parent_cycles(rels: list[dict]) -> list[dict]:
    out, parents = [], {}
    for r in rels:
        if r["type"] == "parent":
            # would r make a cycle? walk up from r.from
            seen, stack = set(), [r["from"]]
            cycle = False
            while stack:
                x = stack.pop()
                if x == r["to"]:
                    cycle = True
                    break
                if x in seen:
                    continue
                seen.add(x)
                stack.extend(parents.get(x, []))
            if cycle:
                continue
            parents.setdefault(r["to"], []).append(r["from"])
        out.append(r)
    return out


def draft_yaml(case: CaseFile, header: str | None = None,
               confidence: dict[tuple[str, str], Confidence] | None = None, check_first: bool = False) -> str:
    """The draft as YAML text, with a comment saying what it is; with ``confidence``, a comment above every
    record giving its confidence and the rules that made it (``check_first``: least sure first)."""
    data = case.to_data()
    if confidence and check_first:
        for section in ("persons", "relationships", "agencies", "events", "recommendations"):
            if section in data:
                data[section] = sorted(data[section], key=lambda r: confidence_of(confidence, section, r))
    text = case_yaml(data, "draft")
    lines = [
        f"# Draft case file (dhr-case/1) extracted by dhrkg from {header or case.review.source or 'a report'}.",
        "# Check every record against the report (each 'source' names its paragraphs), correct it,",
        "# delete what is wrong, then: dhrkg validate FILE",
    ]
    if confidence:
        lines.append("# '# confidence N': how sure the rules that made the record are (0-1); check the lowest first.")
        text = annotate_yaml(text, data, confidence)
    return "\n".join(lines) + "\n" + text


def confidence_of(confidence: dict[tuple[str, str], Confidence], section: str, rec: dict) -> float:
    c = confidence.get((section, record_key(section, rec)))
    return c.score if c else 1.0
