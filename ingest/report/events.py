"""Events: every sentence that dates something becomes an event of the integrated chronology.

For each dated sentence (a date of any precision, or "the following day"
resolved from the last date), and each distinct date in it:

- ``agency``: the agency the sentence names (by name, abbreviation or alias),
  else the kind of service it describes ("the GP", "officers", "the CPN") resolved to
  the agency of that kind the report named last, else the agency named earlier
  in the same paragraph; none when no service is involved;
- ``type``: from the words of the clause around the date (arrest, DASH risk
  assessment with its level, referral to MARAC, admission, ...); sentences about
  the review itself (its panel, IMRs, terms of reference) are ``review_process``;
- ``persons``: the people the sentence names; ``summary``: the sentence;
- ``abuse`` for an incident that names the perpetrator and someone else,
  ``risk`` for a risk assessment, ``referral_to`` for a referral to a named agency.
"""

from __future__ import annotations

import re

from dhrkg.ingest.casefile import PartialDate

from .agencies import generic_agency, services_in
from .context import AgencyRec, Context, PersonRec, slug
from .dates import DateContext, find_dates, find_time
from .relationships import _mention_at
from .vocab import ABUSE_KINDS, EVENT_TYPE_CUES, REVIEW_PROCESS, RISK_LEVEL, SERVICE_PRIORITY

_SKIP_SECTIONS = re.compile(r"bibliograph|references|glossary|abbreviation|contents|action plan|genogram", re.I)
_SENT = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[A-Z0-9\"'(])")
_ABBREV_END = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|No|St|Snr|Jnr|Co|Ltd|e\.g|i\.e|etc|approx|para|ref|vs|Sept|Nov|Dec|Jan|Feb|Aug|Oct)\.$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENT.finditer(text):
        if _ABBREV_END.search(text[:m.start()]) or re.search(r"\b[A-Z]\.$", text[:m.start()]):
            continue
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


class _AgencyFinder:
    """Agency mentions in a sentence: names, abbreviations, aliases, then generic services."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self._build()

    def _build(self) -> None:
        names: list[tuple[str, AgencyRec]] = []
        for a in self.ctx.agencies:
            for n in a.names():
                if n and len(n) >= 2:
                    names.append((n, a))
        names.sort(key=lambda x: -len(x[0]))
        self.names = names
        parts = []
        for n, _ in names:
            flags = "" if re.fullmatch(r"[A-Z0-9&]{2,}s?", n) else "(?i)"
            parts.append(f"(?:{flags}{re.escape(n)})" if not flags else re.escape(n))
        self.pattern = re.compile(r"(?<![\w])(" + "|".join(parts) + r")(?![\w])", re.I) if parts else None
        self.lookup = {n.lower(): a for n, a in names}
        self.case_sensitive = {n for n, _ in names if re.fullmatch(r"[A-Z0-9&]{2,}s?", n)}

    def named(self, text: str) -> list[tuple[int, AgencyRec]]:
        if self.pattern is None:
            return []
        out = []
        for m in self.pattern.finditer(text):
            word = m.group(1)
            a = self.lookup.get(word.lower())
            if a is None:
                continue
            if any(word.lower() == n.lower() for n in self.case_sensitive) and word not in self.case_sensitive:
                continue  # "Ofsted" yes, "dat" (for DAT) no
            out.append((m.start(), a))
        return out

    def generic(self, text: str, block_index: int) -> list[tuple[int, AgencyRec]]:
        out = []
        for pos, kind, display in services_in(text):
            a = self.of_type(kind, block_index)
            if a is None:
                a = generic_agency(self.ctx, kind, display, block_index)
                self._build()
            out.append((pos, a))
        return out

    def of_type(self, kind: str, block_index: int) -> AgencyRec | None:
        cands = [a for a in self.ctx.agencies if a.type == kind]
        if not cands:
            return None
        before = [a for a in cands if a.last_seen <= block_index] if hasattr(cands[0], "last_seen") else []
        if before:
            return max(before, key=lambda a: a.last_seen)
        return max(cands, key=lambda a: (a.origin in ("contributors", "panel"), a.mentions))


def _clause(text: str, start: int, next_start: int | None) -> str:
    lo = max(0, start - 80)
    hi = next_start if next_start is not None else len(text)
    return text[lo:hi]


def _event_type(clause: str, sentence: str) -> str:
    for pattern, kind in EVENT_TYPE_CUES:
        if pattern.search(clause):
            return kind
    for pattern, kind in EVENT_TYPE_CUES:
        if pattern.search(sentence):
            return kind
    return "other"


def _shorten(text: str, limit: int = 300) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " ..."


def extract_events(ctx: Context) -> list[dict]:
    finder = _AgencyFinder(ctx)
    for a in ctx.agencies:
        a.last_seen = -1  # type: ignore[attr-defined]
    perp = next((p for p in ctx.persons if "perpetrator" in p.roles), None)
    victim = next((p for p in ctx.persons if "victim" in p.roles), None)
    dctx = DateContext()
    events: list[dict] = []
    started = False
    for b in ctx.doc.blocks:
        if b.ref is None and not started:
            continue  # the title page and front matter
        started = True
        if b.kind == "heading" or (b.section and _SKIP_SECTIONS.search(b.section)):
            for m in find_dates(b.text, dctx):
                pass
            continue
        if b.kind == "table_row":
            continue
        block_agencies: list[AgencyRec] = []
        for s, e in split_sentences(b.text):
            sentence = b.text[s:e]
            named = finder.named(sentence)
            for _, a in named:
                a.last_seen = b.index  # type: ignore[attr-defined]
            generic = finder.generic(_strip_named(sentence, named), b.index) if not named else []
            mentions = sorted(named + generic, key=lambda x: x[0])
            dates = find_dates(sentence, dctx)
            if not dates:
                block_agencies.extend(a for _, a in mentions)
                continue
            process = bool(REVIEW_PROCESS.search(sentence))
            seen_dates: set[str] = set()
            for k, dm in enumerate(dates):
                key = str(dm.date)
                if key in seen_dates:
                    continue
                seen_dates.add(key)
                nxt = dates[k + 1].start if k + 1 < len(dates) else None
                clause = _clause(sentence, dm.start, nxt)
                kind = "review_process" if process else _event_type(clause, sentence)
                agency = _choose_agency(mentions, dm.start, block_agencies)
                ev: dict = {"date": key, "type": kind}
                if dm.approx:
                    ev["date_approx"] = True
                t = find_time(clause)
                if t:
                    ev["time"] = t
                if agency is not None:
                    ev["agency"] = agency.id
                    agency.mentions += 1
                persons = _persons_in(ctx, sentence)
                if persons:
                    ev["persons"] = [p.id for p in persons]
                ev["summary"] = _shorten(sentence)
                _details(ctx, ev, kind, sentence, clause, persons, perp, victim, finder, agency)
                if b.ref:
                    ev["source"] = b.ref
                events.append(ev)
            block_agencies.extend(a for _, a in mentions)
    _dedupe(events)
    taken: set[str] = set()
    out = []
    for ev in events:
        base = f"ev-{ev['date']}-{ev['type'].replace('_', '-')}"
        ev = {"id": ctx.new_id(base, taken), **ev}
        taken.add(ev["id"])
        out.append(ev)
    return out


def _strip_named(sentence: str, named) -> str:
    return sentence


def _choose_agency(mentions, pos: int, block_agencies: list[AgencyRec]) -> AgencyRec | None:
    if mentions:
        ranked = sorted(mentions, key=lambda x: (SERVICE_PRIORITY.index(x[1].type) if x[1].type in SERVICE_PRIORITY else 99, x[0]))
        # the service named nearest before the date, else the highest ranked
        before = [m for m in mentions if m[0] <= pos]
        if before and len({a.id for _, a in mentions}) > 1:
            return ranked[0][1]
        return ranked[0][1]
    if block_agencies:
        return block_agencies[-1]
    return None


def _persons_in(ctx: Context, sentence: str) -> list[PersonRec]:
    found = []
    for p in ctx.persons:
        at = _mention_at(sentence, p)
        if at is not None:
            found.append((at, p))
    found.sort(key=lambda x: x[0])
    out = []
    for _, p in found:
        if p not in out:
            out.append(p)
    return out[:8]


def _details(ctx: Context, ev: dict, kind: str, sentence: str, clause: str, persons: list[PersonRec],
             perp: PersonRec | None, victim: PersonRec | None, finder: _AgencyFinder, agency: AgencyRec | None) -> None:
    if kind in ("incident", "homicide") and perp is not None and perp in persons:
        others = [p for p in persons if p is not perp]
        if others:
            kinds = sorted({k for pat, k in ABUSE_KINDS if pat.search(sentence)}) or ["physical"]
            ev["abuse"] = {"perpetrator": perp.id, "victim": others[0].id, "kinds": kinds}
    if kind == "risk_assessment":
        m = RISK_LEVEL.search(clause) or RISK_LEVEL.search(sentence)
        risk: dict = {}
        if re.search(r"\bdash\b", sentence, re.I):
            risk["tool"] = "DASH"
        if m:
            risk["level"] = (m.group(1) or m.group(2)).lower()
        if risk:
            ev["risk"] = risk
    if kind in ("referral", "marac"):
        m = re.search(r"\breferr\w*\b.{0,60}?\bto\s+(?:the\s+)?(.{3,80})", sentence, re.I)
        if m:
            for pos, a in finder.named(m.group(1)):
                if agency is None or a.id != agency.id:
                    ev["referral_to"] = a.id
                    break
            if "referral_to" not in ev and kind == "marac":
                target = next((a for a in ctx.agencies if a.type == "marac"), None)
                if target is not None and (agency is None or target.id != agency.id):
                    ev["referral_to"] = target.id


def _dedupe(events: list[dict]) -> None:
    """One event per (paragraph, date, agency, type)."""
    seen: dict[tuple, dict] = {}
    keep = []
    for ev in events:
        key = (ev.get("source"), ev["date"], ev.get("agency"), ev["type"])
        if key in seen:
            first = seen[key]
            for p in ev.get("persons", []):
                if p not in first.setdefault("persons", []):
                    first["persons"].append(p)
            continue
        seen[key] = ev
        keep.append(ev)
    events[:] = keep
