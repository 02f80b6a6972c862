"""Events: every sentence that dates something becomes an event of the integrated chronology.

For each dated sentence (a date of any precision, or "the following day"
resolved from the last date), and each distinct date in it (the most precise of
dates that agree: "in 2010 ... in July 2010" is one entry):

- ``agency``: the agency the sentence names (by name, abbreviation or alias) as
  actor: a body named after "to"/"with" receives the referral or call and comes
  after one named as actor; courts, boards and partnerships only for their own
  steps. Else the kind of service it describes ("the GP", "officers", "probation
  staff", "the borough council") resolved to the body of that kind the story named
  in the same section or the last paragraphs, else the contributor of that kind;
  else a service named earlier in the paragraph, else the previous paragraph's
  (same section). A conviction or sentence is a court's; a birth, move or death
  no agency's unless named;
- ``type``: from the words of the clause around the date (arrest, DASH risk
  assessment with its level, referral to MARAC, admission, ...), cue words used in
  another sense or denied ("admitted using", "no chance of a conviction") set aside;
  "arrested and cautioned" is two entries; sentences about the review itself (its
  panel, IMRs, terms of reference, sections on its process) are ``review_process``;
- ``persons``: the people the sentence names; ``summary``: the sentence;
- ``abuse`` for an incident that names the perpetrator and someone else,
  ``risk`` for a risk assessment, ``referral_to`` for a referral to a named agency.

Not every date is an event: a year of policy or guidance ("Working Together
2013"), a gap ("no further contacts until ..."), year-only dates and lists of
dates in the analysis are left out. In the story chapter ("The facts",
"Chronology", "Summary of key events") an undated sentence with a strong cue
(arrest, referral, killing, ...) or a relative time ("two days later", "four days
before the death") takes the story's running date (``date_approx``); what the
introduction or the analysis restate of a story entry (same date and agency) is
left to the story's entry.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dhrkg.model import PartialDate

from .agencies import generic_agency, services_in
from .context import AgencyRec, Context, PersonRec, slug
from .dates import DateContext, DateMention, find_dates, find_time
from .prefilter import Prefilter, exotic
from .relationships import _mention_at
from .sentences import split_sentences
from .sections import COMMENT_PARTS, NO_EVENT_PARTS, PROCESS_PARTS, STORY_PARTS, is_body_text
from .frames import Frame, reporting_frame
from .score import dates_agree
from .vocab import EVENT_TYPE_CUES, RELATED_TYPES, REVIEW_PROCESS, RISK_LEVEL, SERVICE_PRIORITY, abuse_kinds_in

#: a sub-heading numbered with a Roman numeral ("IV. The third key episode: May to August 2012")
_ROMAN_HEAD = re.compile(r"^[IVX]{1,5}\.\s+[A-Z]")
_SKIP_SECTIONS = re.compile(r"bibliograph|references|glossary|abbreviation|contents|action plan|genogram", re.I)
_SKIP_CHAPTERS = re.compile(r"recommendation|lessons|learning|conclusion|action plan|bibliograph|references|glossary", re.I)
#: an event type that says which kind of service recorded it when the sentence names none
_TYPE_SERVICE = {"arrest": "police", "charge": "police", "caution": "police", "intelligence": "police"}
#: "999" calls and police custody are police events; a call to an office, or custody served
#: after sentence ("custody from ... until ...", "released on licence"), is not
_POLICE_CALL = re.compile(r"\b(999|101|police|officers?)\b", re.I)
_PRISON_CUSTODY = re.compile(r"\b(custody from|custodial sentence|released from (?:custody|prison)|"
                             r"released on licence|in prison|prison|young offenders?'? institution|"
                             r"remand(?:ed)? (?:in|to) custody)\b", re.I)
#: the review's own steps, in words REVIEW_PROCESS (vocab) does not cover
_PROCESS_EXTRA = re.compile(
    r"\b(panel meetings?|(?:time )?period (?:to be |under )?review(?:ed)?|review period|period of (?:the )?review|"
    r"to be reviewed|chair/author|author/chair|"
    r"the (?:independent )?chair (?:and author )?(?:met|wrote|spoke|visited)|"
    r"serious case review|scr (?:sub-?group|panel)|commissioned)\b", re.I)
#: sections about the review itself: what they date are its own steps
_PROCESS_SECTION = re.compile(
    r"review process|process of the review|terms of reference|methodology|\b(?:review|dhr) panel\b|"
    r"^panel\b|\bpanel (?:members|membership|meetings?)\b|contributors|\bscope\b|"
    r"involvement of (?:the )?family|family involvement|family engagement|"
    r"independent (?:chair|author|reviewer|overview)|\bauthors?\b|dissemination|confidentiality|"
    r"\bequality\b|timescales?", re.I)
#: sentences about national or local policy, guidance and services in general: a date there
#: is when a rule was made, not something that happened to the people of the review
_POLICY = re.compile(
    r"\b(working together|guidance|legislation|statutory|protocols?|procedures|policy|policies|strateg(?:y|ies)|"
    r"definition|introduced (?:a |the )?new|came into (?:force|effect)|published|government|nationally|"
    r"commissioners?|were (?:established|introduced|in place)|have (?:been|undergone)|has been updated|"
    r"(?:were|was|have been) updated|framework|standards?)\b", re.I)
_PERSONAL = re.compile(r"\b(?:he|she|him|her|his|hers)\b", re.I)
_MENTAL_HEALTH = re.compile(r"mental health act|\bsection [23]\b|\bs[23]\b|psychiatr|sectioned|detained patient", re.I)
_END_WORD = re.compile(r"\b(until|till|to|and)\s*(?:about\s+|around\s+)?$", re.I)
#: services a chronology sentence implies that the general list reads otherwise
#: ("court liaison" workers are mental health staff; community orders are supervised by probation)
_EVENT_SERVICES: list[tuple[re.Pattern, str, str]] = [(re.compile(p, re.I), t, n) for p, t, n in [
    (r"\b(?:court liaison|liaison and diversion)\b", "mental_health", "Mental Health Services"),
    (r"\b(?:community (?:order|sentence)s?|supervision order|unpaid work|community payback)\b", "probation",
     "Probation Service"),
    # a drug rehabilitation requirement is delivered, and its drug tests taken, by a drug treatment service
    (r"\b(?:drug rehabilitation requirement|DRR|drug tests?|drug testing|drug treatment)\b", "substance_misuse",
     "Substance Misuse Service"),
]]

#: a body the report writes with a service in brackets ("X Trust (Drug treatment provider)") is a
#: body of that kind too
_BRACKET_KIND = {"substance_misuse": re.compile(r"\b(?:drug|alcohol|substance)", re.I)}


_COUNCIL = re.compile(r"\b[Tt]he\s+((?:metropolitan\s+)?(?:borough|county|city|district|town|parish)\s+council)\b")


#: a described health service is not a body whose name says it provides another one
#: ("the health visitor" is not the walk-in centre's, "the hospital" not the health visiting service's)
_NOT_THIS_SERVICE = {display: re.compile(p, re.I) for display, p in [
    ("Health Visiting Service", r"walk.?in|hospital|acute|ambulance|mental|clinic|maternity|women's|gp\b"),
    ("Hospital", r"health visit|walk.?in|mental|ambulance|clinic|\bgp\b|commissioning|ccg|cluster"),
    ("Maternity Services", r"health visit|walk.?in|mental|ambulance|\bgp\b|commissioning|ccg|cluster"),
]}


def _provides(a: AgencyRec, service: re.Pattern) -> bool:
    """Whether a body's name, or a form of it with the service in brackets ("X NHS Foundation Trust
    (Health Visitors)"), says it provides that service."""
    if service.search(a.name):
        return True
    return any(service.search(n[n.index("("):]) for n in a.aliases if n.endswith(")") and "(" in n)


class _AgencyFinder:
    """Agency mentions in a sentence: names, abbreviations, aliases, then generic services."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self._heading_cache: dict[str, AgencyRec | None] = {}
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
        self.case_sensitive_lower = {n.lower() for n in self.case_sensitive}

    def named(self, text: str) -> list[tuple[int, AgencyRec]]:
        if self.pattern is None:
            return []
        out = []
        for m in self.pattern.finditer(text):
            word = m.group(1)
            a = self.lookup.get(word.lower())
            if a is None:
                continue
            if word.lower() in self.case_sensitive_lower and word not in self.case_sensitive:
                continue  # "Ofsted" yes, "dat" (for DAT) no
            out.append((m.start(), a))
        return out

    def heading_agency(self, heading: str) -> AgencyRec | None:
        """The agency a section's heading is the name of ("Kent Police", "2.3 GP Practice"): the actor of what
        the section tells when a sentence names none."""
        if not heading:
            return None
        if heading not in self._heading_cache:
            found = self.named(heading)
            words = re.sub(r"^[\d.\s]+|\(.*?\)", "", heading).strip()
            names = [n for n in found[0][1].names() if n.lower() in heading.lower()] if len(found) == 1 else []
            self._heading_cache[heading] = found[0][1] if names and len(max(names, key=len)) >= 0.7 * len(words) \
                else None
        return self._heading_cache[heading]

    def count_names(self) -> None:
        """How often each agency is named in the whole report (for choosing among bodies of a kind)."""
        self.named_count: dict[str, int] = {}
        for b in self.ctx.doc.blocks:
            for _, a in self.named(b.text):
                self.named_count[a.id] = self.named_count.get(a.id, 0) + 1

    def generic(self, text: str, block_index: int) -> list[tuple[int, AgencyRec]]:
        out = []
        found = []
        covered: list[tuple[int, int]] = []
        for pattern, kind, display in _EVENT_SERVICES:
            for m in pattern.finditer(text):
                found.append((m.start(), kind, display))
                covered.append(m.span())
        for m in _COUNCIL.finditer(text):
            # "the borough council": the one body the report names "... Borough Council"
            phrase = m.group(1).lower()
            cands = [a for a in self.ctx.agencies if a.name.lower().endswith(phrase)]
            if len(cands) == 1:
                out.append((m.start(), cands[0]))
                covered.append(m.span())
        for pos, kind, display in services_in(text):
            if not any(a <= pos < b for a, b in covered):
                found.append((pos, kind, display))
        found.sort(key=lambda x: x[0])
        for pos, kind, display in found:
            a = self.of_type(kind, block_index, _NOT_THIS_SERVICE.get(display))
            if a is not None and kind == "court" and re.search(r"coroner", a.name, re.I) \
                    and not re.match(r"coroner|inquest", text[pos:pos + 20], re.I):
                continue  # "the Crown Court" is not the coroner's court
            for related in RELATED_TYPES.get(kind, ()):
                if a is None:
                    a = self.of_type(related, block_index, _NOT_THIS_SERVICE.get(display))
            if a is None:
                a = generic_agency(self.ctx, kind, display, block_index)
                a.last_seen = block_index
                self._build()
            out.append((pos, a))
        return out

    def of_type(self, kind: str, block_index: int, unlike: re.Pattern | None = None) -> AgencyRec | None:
        """The body of that kind named in the last few paragraphs, else the contributor (or body) the report
        names most; ``unlike``: names of bodies that provide another service of that kind."""
        bracket = _BRACKET_KIND.get(kind)
        cands = [a for a in self.ctx.agencies if (a.type == kind or (bracket is not None and _provides(a, bracket)))
                 and not (unlike and _provides(a, unlike))]
        if not cands:
            return None
        # a body of that kind the story named in the last few paragraphs ("West Midlands Probation
        # Trust referred him ..." then "probation staff"); else, as the chronology is merged from the
        # agencies' own reviews (IMRs), a contributor
        section = self.ctx.doc.blocks[block_index].section if 0 <= block_index < len(self.ctx.doc.blocks) else None
        recent = [a for a in cands if 0 <= block_index - a.last_seen <= 12
                  or (section and a.last_section == section)]
        if recent:
            return max(recent, key=lambda a: a.last_seen)
        contributors = [a for a in cands if a.origin == "contributors"]
        if contributors:
            cands = contributors
        counts = getattr(self, "named_count", {})
        return max(cands, key=lambda a: (counts.get(a.id, 0), a.mentions))


#: where a clause of a sentence with several dates ends: "arrested on 27th July, for which he was
#: sentenced in December" tells two steps, each told next to its own date
_CLAUSE_BREAK = re.compile(r"[,;]\s+|\s+(?:for which|after which|following which|when|where|whereupon|but|and then)\s+", re.I)


def _clause(text: str, prev_end: int | None, next_start: int | None, start: int | None = None,
            end: int | None = None) -> str:
    """The words of a sentence that go with one of its dates: from the previous date (or the last
    clause break after it) to the next date (or the last clause break before it)."""
    lo = prev_end if prev_end is not None else 0
    hi = next_start if next_start is not None else len(text)
    if prev_end is not None and start is not None:
        breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, prev_end, start)]
        if breaks:
            lo = breaks[-1]
    if next_start is not None and end is not None:
        breaks = [m.start() for m in _CLAUSE_BREAK.finditer(text, end, next_start)]
        if breaks and text[end:breaks[-1]].strip(" ,"):
            hi = breaks[-1]
    return text[lo:hi]


_STRONG = {"risk_assessment", "arrest", "charge", "caution", "conviction", "sentence", "referral", "marac",
           "admission", "discharge", "child_protection", "custody", "release"}
_END_TYPE = {"admission": "discharge", "custody": "release", "release": "release", "discharge": "discharge"}


#: a cue word used in another sense: "admitted using cannabis" is no hospital admission
_CUE_VETO = {
    "admission": re.compile(r"\s+(?:to\s+)?(?:using|taking|drinking|smoking|having|that|the\s+offence|the\s+assault|"
                            r"(?:the|his|her|it|this|responsibility|guilt|to\s+(?:him|her|them)))\b", re.I),
}


#: a step of the criminal process that is denied or hypothetical: "no chance of a conviction", "was not charged"
_DENIED = re.compile(r"\b(?:no|not|without|never|nor)\s+(?:(?:\w+|a|an|the|any)\s+){0,3}$", re.I)
_DENIABLE = {"arrest", "charge", "caution", "conviction", "sentence"}


def _cue(pattern: re.Pattern, kind: str, text: str) -> bool:
    veto = _CUE_VETO.get(kind)
    if veto is None and kind not in _DENIABLE:
        return pattern.search(text) is not None
    for m in pattern.finditer(text):
        if veto is not None and veto.match(text, m.end()):
            continue
        if kind in _DENIABLE and _DENIED.search(text, max(0, m.start() - 40), m.start()):
            continue
        return True
    return False


#: the cues with the literals one of which each match starts with (a cheap test before the search)
_TYPE_CUES = [(Prefilter(pattern), kind) for pattern, kind in EVENT_TYPE_CUES]


def _type_of(text: str) -> str | None:
    """The first kind of EVENT_TYPE_CUES whose cue the text holds (None: none)."""
    lowered, odd = text.lower(), exotic(text)
    for pre, kind in _TYPE_CUES:
        if pre.may_match(lowered, odd) and _cue(pre.pattern, kind, text):
            return kind
    return None


def _event_type(clause: str, sentence: str) -> str:
    kind = _type_of(clause)
    if kind is None and sentence != clause:
        kind = _type_of(sentence)
    return kind or "other"


#: the chapter that tells the story (where an undated sentence still belongs to the running date)
_CHRONOLOGY_CHAPTER = re.compile(
    r"fact|chronolog|key events|summary of (?:the )?events|narrative|background|history|what happened|"
    r"agency (?:involvement|contact)", re.I)
_ANALYSIS_CHAPTER = re.compile(r"analys|findings|issues|conclusion|lessons|learning|good practice", re.I)
#: a section of the story chapter that sums up ("Summary and Findings"); not "Mental health issues"
_ANALYSIS_SECTION = re.compile(r"analys|findings|conclusion|lessons|learning|good practice|key issues|"
                               r"issues (?:arising|identified)", re.I)
_DEATH_AFTER = re.compile(r"\s*(?:the\s+|her\s+|his\s+|\w+'s\s+)?(?:death|homicide|killing|murder)\b", re.I)
#: an undated sentence that says what did not happen, or should have, is comment, not an entry
_NOT_HAPPENED = re.compile(
    r"^\W*no\s+(?:[\w-]+\s+){0,2}(?:was|were)\s+(?:made|completed|held|done|recorded|shared|offered|taken|given)\b|"
    r"\b(no evidence|no records?|there (?:was|were|is|are) no|should have|would have|could have|might have|"
    r"ought to have|had not been|was not (?:recorded|known|invited)|were not (?:recorded|known|invited))\b", re.I)
#: "There were no further contacts until February 2012": a gap, not an entry
_NONE_SINCE = re.compile(r"\s*(?:there\s+(?:was|were|had\s+been)\s+no\b|no\s+(?:further\s+)?"
                         r"(?:contacts?|records?|evidence|incidents?)\b)", re.I)
_GAP_WORD = re.compile(r"\b(until|since|before|between|after|prior to|following)\b", re.I)
_NUM = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "twenty": 20}
#: time words that date a sentence from the one before it: "two days later", "the following day"
_LATER = re.compile(
    r"\b(?:(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|twenty|\d{1,2}|"
    r"a\s+few|a\s+couple\s+of|several|some)\s+(?P<unit>minute|hour|day|week|month)s?\s+(?P<dir>later|after(?:wards)?|"
    r"before|prior|previously|earlier|on)"
    r"|(?:the\s+)?(?P<next>following|next)\s+(?:day|morning|afternoon|evening)"
    r"|(?:the\s+)?(?:following|next)\s+(?P<nunit>week|month)|later\s+that\s+(?P<same_unit>week|month)"
    r"|the\s+day\s+(?P<dayrel>after|before)"
    r"|(?P<same>later\s+(?:that|the\s+same)\s+(?:day|evening|night|morning)|the\s+same\s+day|that\s+same\s+day)"
    r"|(?P<soon>shortly\s+(?:after(?:wards)?|afterwards)|soon\s+after(?:wards)?|subsequently|then))\b", re.I)


_HEAD_DATE = re.compile(r"\s*(?:(?:on|in|during|by|from|at|early|late|mid|the|of|end|beginning|start|"
                        r"(?:at|by|towards|during)\s+the\s+(?:end|beginning|start)\s+of|mid-?)\s*[,-]?\s*)*$", re.I)


_HEAD_LATER = re.compile(r"\s*(?:" + _LATER.pattern + r")", re.I)


def _not_looking_back(sentence: str, dates: list, run_date: str) -> list:
    """Dates of the story's sentence that are events: none when the sentence opens with "Two days after
    the incident" and its dates are earlier than the running date (they look back)."""
    run = PartialDate.parse(run_date)
    earlier = [d.date.latest < run.earliest for d in dates]
    if all(earlier) and _HEAD_LATER.match(sentence):
        return []
    return dates


def _most_precise(dates: list) -> list:
    """"Attendance tailed off in 2010 and the last appointment was in July 2010": one entry, July 2010."""
    keys = [str(d.date) for d in dates]
    return [d for d, k in zip(dates, keys)
            if not any(o != k and len(o) > len(k) and o.startswith(k) for o in keys)]


def _advance(run: str | None, new: str) -> str:
    """The story's running date moves forward only: a look back ("the incident in 2008") does not move it,
    nor does a vaguer date of the same period ("in 2010" after "August 2010")."""
    if run is None:
        return new
    a, b = PartialDate.parse(run), PartialDate.parse(new)
    if b.latest < a.earliest:
        return run
    if len(new) < len(run) and run.startswith(new):
        return run
    return new


def _the_killing(ctx: Context, date: str, clause: str) -> bool:
    """A violent act told on the day of the homicide is the homicide ("On 2 March 2021 Gary struck Joan
    repeatedly at her home"), though its verb is not one of the killing cues."""
    return ctx.homicide_date is not None and len(date) == 10 and date == str(ctx.homicide_date) \
        and "physical" in abuse_kinds_in(clause)


def _plausible_homicide(ctx: Context, run_date: str | None) -> bool:
    """A homicide date to count from: known, and not before the story told so far."""
    if ctx.homicide_date is None:
        return False
    try:
        h = PartialDate.parse(str(ctx.homicide_date))
    except Exception:  # noqa: BLE001 - a malformed date is no anchor
        return False
    return run_date is None or h.latest >= PartialDate.parse(run_date).earliest


def _later_date(m: re.Match, base: str) -> str | None:
    """The date a relative time phrase points at, from the running date (None: just the running month)."""
    pd = PartialDate.parse(base)
    if m.group("same"):
        return base
    if m.group("same_unit"):   # "later that month": the month of the running date
        return f"{pd.year:04d}-{pd.month:02d}" if pd.month is not None else base
    if m.group("nunit") == "month" and pd.month is not None:   # "the following month"
        year, month = (pd.year + 1, 1) if pd.month == 12 else (pd.year, pd.month + 1)
        return f"{year:04d}-{month:02d}"
    if m.group("nunit") == "week" and pd.day is None:
        return f"{pd.year:04d}-{pd.month:02d}" if pd.month is not None else base
    days = 7 if m.group("nunit") == "week" else None
    if m.group("next") or m.group("dayrel") == "after":
        days = 1
    elif m.group("dayrel") == "before":
        days = -1
    elif m.group("n") and m.group("unit").lower() in ("minute", "hour") and (
            m.group("n").isdigit() or m.group("n").lower() in _NUM):
        return base  # "Six hours after", "Ten minutes later": the same day ("a few ...": vague, the month)
    elif m.group("n"):
        word = m.group("n").lower()
        n = int(word) if word.isdigit() else _NUM.get(word)
        if n is not None:
            unit = m.group("unit").lower()
            if unit == "month":
                days = None
            else:
                days = n * (7 if unit == "week" else 1)
                if m.group("dir").lower() in ("before", "prior", "previously", "earlier"):
                    days = -days
    if days is not None and pd.day is not None:
        d = dt.date(pd.year, pd.month, pd.day) + dt.timedelta(days=days)
        return d.isoformat()
    if pd.month is not None:
        return f"{pd.year:04d}-{pd.month:02d}"
    return base


def _frame_agency(finder: "_AgencyFinder", frame: Frame | None, sentence: str, section: str | None,
                  carry: AgencyRec | None, kind: str) -> AgencyRec | None:
    """The body whose record a framed sentence reports (rules/frames.yaml): the one the frame names, else the
    one the section's heading names, else the agency of the paragraph before; None without a frame."""
    if frame is None or kind in ("life_event", "homicide", "review_process"):
        return None
    if frame.owner:
        named = [a for pos, a in finder.named(sentence[:frame.end])]
        if named:
            return named[-1]
    return finder.heading_agency(section) or carry


def _still_framed(para_frame: tuple[Frame, AgencyRec | None] | None, frame: Frame | None,
                  agency: AgencyRec | None, kind: str, named: list[tuple[int, AgencyRec]]) -> AgencyRec | None:
    """After "The Trust's IMR said that ..." the paragraph's later sentences still report the Trust's record
    ("He was discharged in December 2021"): the Trust is their actor, unless they name a body of their own."""
    if frame is not None or para_frame is None or para_frame[1] is None or kind in _NO_ACTOR_KINDS:
        return agency
    return agency if agency is not None and any(a is agency for _, a in named) else para_frame[1]


#: entries no agency is the actor of unless one is named
_NO_ACTOR_KINDS = ("life_event", "homicide", "review_process")


def _shorten(text: str, limit: int = 300) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " ..."


def extract_events(ctx: Context) -> list[dict]:
    finder = _AgencyFinder(ctx)
    finder.count_names()
    for a in ctx.agencies:
        a.last_seen = -99
    carry: AgencyRec | None = None  # the agency of the previous paragraph, same section
    perp = next((p for p in ctx.persons if "perpetrator" in p.roles), None)
    victim = next((p for p in ctx.persons if "victim" in p.roles), None)
    dctx = DateContext()
    labels = frozenset(x for p in ctx.persons for x in (p.id, p.name, *p.aliases) if len(x) == 1 and x.isupper())
    run_section, run_date = None, None   # the running date of the story, within one section
    events: list[EventDraft] = []
    started = False
    in_section = 0
    for b in ctx.doc.blocks:
        if not started and b.ref is None and not (b.part and is_body_text(b)):
            continue  # the title page and front matter: until a numbered paragraph, or a paragraph of a part
        started = True
        dctx.new_paragraph()
        in_section = 0 if b.kind == "heading" else in_section + 1
        place = f"{b.section} (paragraph {in_section})"  # where an unnumbered paragraph is
        if b.kind == "heading" or (b.section and _SKIP_SECTIONS.search(b.section)) or (
                b.chapter and _SKIP_CHAPTERS.search(b.chapter)) or b.part in NO_EVENT_PARTS:
            for m in find_dates(b.text, dctx):
                pass
            continue
        if b.kind == "table_row":
            continue
        if _ROMAN_HEAD.match(b.text) and len(b.text) <= 120 and not b.text.rstrip().endswith((".", ";", ",", ":")):
            # "II. Key information from police records prior to 2010": a sub-heading that starts a new
            # part of the story; its dates are not entries and do not date what follows
            for m in find_dates(b.text, dctx):
                pass
            run_date, carry = None, None
            continue
        block_agencies: list[AgencyRec] = []
        block_date: str | None = None
        # the story chapter, less its own summing-up sections ("Summary and Findings")
        analysis = bool(_ANALYSIS_CHAPTER.search(b.chapter or "") or _ANALYSIS_SECTION.search(b.section or "")
                        or b.part in COMMENT_PARTS)
        story = bool((b.chapter and _CHRONOLOGY_CHAPTER.search(b.chapter)) or b.part in STORY_PARTS) and not analysis
        if b.section != run_section:
            run_section, run_date = b.section, None
            carry = None   # a new section tells of another agency or time
        para_frame: tuple[Frame, AgencyRec | None] | None = None   # the paragraph's reporting frame, once met
        for s, e in split_sentences(b.text, labels):
            sentence = b.text[s:e]
            frame = reporting_frame(sentence)
            told = sentence[frame.end:] if frame else sentence   # "X's IMR said that ...": what it said
            if frame is not None:
                para_frame = frame, _frame_agency(finder, frame, sentence, b.section, carry, "other")
            named = finder.named(sentence)
            for _, a in named:
                a.last_seen = b.index
                a.last_section = b.section
            # a described service may be the actor when every body the sentence names receives something
            # ("The health visitor referred the family to X Children's Services")
            only_targets = bool(named) and all(_is_target(sentence, pos) for pos, _ in named)
            generic = finder.generic(_strip_named(sentence, named), b.index) if not named or only_targets else []
            mentions = sorted(named + generic, key=lambda x: x[0])
            dates = find_dates(sentence, dctx)
            if dates and story and run_date:
                dates = _not_looking_back(sentence, dates, run_date)
            if not dates:
                kind = _event_type(sentence, sentence)
                date = block_date if kind in _STRONG else None
                later = _LATER.search(sentence) if story and (run_date or ctx.homicide_date) else None
                if later is not None and run_date is None and not (
                        _DEATH_AFTER.match(sentence, later.end()) and _plausible_homicide(ctx, None)):
                    later = None
                # "Three days after the meeting, the case was transferred to another team": a step of the
                # story told from the one before, even when no cue word says what kind of step
                opens = later is not None and _HEAD_LATER.match(sentence) is not None and bool(mentions)
                if later is not None and (kind != "other" or opens):
                    base = run_date
                    if _DEATH_AFTER.match(sentence, later.end()):
                        # "four days before the death of S": from the homicide date, when it is known
                        base = str(ctx.homicide_date) if _plausible_homicide(ctx, run_date) else None
                    # "Two days later, the social worker visited"
                    date = _later_date(later, base) if base else None
                elif date is None and story and run_date and (kind in _STRONG or kind == "homicide"):
                    date = run_date
                if date is not None and not REVIEW_PROCESS.search(told) \
                        and not _PROCESS_EXTRA.search(told) and not _NOT_HAPPENED.search(sentence):
                    # "Officers attended and completed a DASH risk assessment": the paragraph's date
                    if later is not None:
                        run_date = date
                    agency = _choose_agency(mentions, 0, block_agencies, kind, sentence)
                    wanted = _service_for(kind, sentence)
                    if wanted and (agency is None or agency.type != wanted):
                        agency = finder.of_type(wanted, b.index) or agency
                    ev = {"date": date, "type": kind, "date_approx": True}
                    if agency is None and kind not in ("life_event", "homicide"):
                        agency = finder.heading_agency(b.section) or carry
                    agency = _own_agency(kind, agency, named, mentions)
                    agency = _frame_agency(finder, frame, sentence, b.section, carry, kind) or agency
                    agency = _still_framed(para_frame, frame, agency, kind, named)
                    if agency is not None:
                        ev["agency"] = agency.id
                    persons = _persons_in(ctx, sentence)
                    if persons:
                        ev["persons"] = [p.id for p in persons]
                    ev["summary"] = _shorten(sentence)
                    _details(ctx, ev, kind, sentence, sentence, persons, perp, victim, finder, agency)
                    if b.ref or b.section:
                        ev["source"] = b.ref or place
                    events.append(EventDraft(ev, b.chapter + ("/analysis" if analysis else ""), story,
                                             inferred=later is None))
                block_agencies.extend(a for _, a in mentions)
                continue
            block_date = str(dates[-1].date)
            if story:
                # "On 5th June 2012, ..." opens a new entry of the story; a date later in a sentence may look back
                head = _HEAD_DATE.match(sentence[:dates[0].start])
                run_date = str(dates[0].date) if head and len(dates) == 1 else _advance(run_date, block_date)
            if analysis and len({str(d.date) for d in dates}) >= 3:
                # "the referrals in August 2010, in January 2012 and March 2012": the analysis summing up
                block_agencies.extend(a for _, a in mentions)
                continue
            if _NONE_SINCE.match(sentence) and _GAP_WORD.search(sentence):
                block_agencies.extend(a for _, a in mentions)
                continue
            process = bool(REVIEW_PROCESS.search(told) or _PROCESS_EXTRA.search(told)
                           or (b.section and _PROCESS_SECTION.search(b.section)) or b.part in PROCESS_PARTS)
            if not process and _POLICY.search(sentence) and not _PERSONAL.search(sentence) \
                    and not _persons_in(ctx, sentence):
                block_agencies.extend(a for _, a in mentions)
                continue
            dates = _most_precise(dates)
            seen_dates: set[str] = set()
            prev_kind = None
            for k, dm in enumerate(dates):
                key = str(dm.date)
                if key in seen_dates or (analysis and dm.date.month is None):
                    continue  # the analysis looks back over years; its year-only dates restate the story
                seen_dates.add(key)
                nxt = dates[k + 1].start if k + 1 < len(dates) else None
                prev_end = dates[k - 1].end if k else None
                clause = _clause(sentence, prev_end, nxt, dm.start, dm.end)
                kind = _event_type(clause, sentence)
                if kind == "other" and _the_killing(ctx, key, clause):
                    kind = "homicide"
                if process and kind == "homicide" and ctx.homicide_date is not None \
                        and not dates_agree(key, str(ctx.homicide_date)):
                    kind = "other"   # "The review covers the period from January 2018 to the date of the homicide"
                if process and kind != "homicide":
                    # "This review concerns Ruth, who was killed by her husband in June 2021": the death is
                    # an entry even in a sentence about the review
                    kind = "review_process"
                if prev_kind in _END_TYPE and _END_WORD.search(sentence[prev_end or 0:dm.start]):
                    kind = _END_TYPE[prev_kind]  # "from 30/01/2011 until 15/02/2011"
                prev_kind = kind
                agency = _choose_agency(mentions, dm.start, block_agencies, kind, sentence)
                wanted = _service_for(kind, sentence)
                if wanted and (agency is None or agency.type != wanted):
                    agency = finder.of_type(wanted, b.index) or agency
                if agency is None and kind not in ("life_event", "homicide", "review_process"):
                    agency = finder.heading_agency(b.section) or carry
                if kind in ("admission", "discharge") and _MENTAL_HEALTH.search(b.text):
                    mh = finder.of_type("mental_health", b.index)
                    if mh is not None and (agency is None or agency.type in ("health", "mental_health")):
                        agency = mh
                agency = _own_agency(kind, agency, named, mentions)
                agency = _frame_agency(finder, frame, sentence, b.section, carry, kind) or agency
                agency = _still_framed(para_frame, frame, agency, kind, named)
                ev = _event_record(ctx, finder, (key, dm.approx, kind, agency), clause, sentence, clause, (perp, victim))
                if b.ref or b.section:
                    ev["source"] = b.ref or place
                told = EventDraft(ev, b.chapter + ("/analysis" if analysis else ""), story)
                events.append(told)
                for extra in _follow_on_types(kind, clause, dm.date.day is not None):
                    events.append(EventDraft(_follow_on(ev, extra, agency, mentions), told.chapter, told.story))
            block_agencies.extend(a for _, a in mentions)
        active = [a for a in block_agencies if a.type not in _PASSIVE_TYPES]
        if active:
            carry = active[-1]
        if b.kind == "heading":
            carry = None
    for table in ctx.tables("chronology"):
        events.extend(_table_events(ctx, finder, table, perp, victim))
    _dedupe(events)
    _one_homicide(events)
    taken: set[str] = set()
    out = []
    for draft in events:
        ev = draft.record
        base = f"ev-{ev['date']}-{ev['type'].replace('_', '-')}"
        ev = {"id": ctx.new_id(base, taken), **ev}
        taken.add(ev["id"])
        out.append(ev)
    return out


def _table_events(ctx: Context, finder: _AgencyFinder, table, perp: PersonRec | None,
                  victim: PersonRec | None) -> list["EventDraft"]:
    """One entry per row of a chronology table: the date from its date cell (else its text), the agency
    from its agency cell (else the text), the type from the text."""
    dctx = DateContext()
    out = []
    last: str | None = None
    for n, item in enumerate(table.items, 1):
        text = item.values.get("event", "").strip()
        when = item.values.get("date", "")
        dates = find_dates(when, dctx) or find_dates(text, dctx)
        if not text:
            continue
        if not dates:
            # a date cell relative to the row above: "The following month", "Two days later"
            later = _LATER.match(when.strip()) if last else None
            date = _later_date(later, last) if later else None
            if date is None:
                continue
            dates = [DateMention(0, len(when), PartialDate.parse(date), when, approx=True, relative=True)]
        last = str(dates[0].date)
        kind = _event_type(text, text)
        if kind != "homicide" and _the_killing(ctx, last, text):
            kind = "homicide"   # "Daniel attacked Amira outside her flat. She died in hospital": the killing
        agency = _table_agency(finder, item.values.get("agency", ""), item.first.index)
        if agency is None:
            named = finder.named(text)
            mentions = sorted(named + finder.generic(_strip_named(text, named), item.first.index),
                              key=lambda x: x[0])
            agency = _own_agency(kind, _choose_agency(mentions, 0, [], kind, text), named, mentions)
        what = (str(dates[0].date), dates[0].approx, kind, agency)
        ev = _event_record(ctx, finder, what, f"{when} {text}", text, text, (perp, victim))
        b = item.first
        ev["source"] = b.ref or f"{b.section or 'Chronology table'} (row {n})"
        if kind == "homicide":
            ev.pop("agency", None)   # the killing is no agency's act; the cell says who recorded it
        out.append(EventDraft(ev, "chronology table", True))
        for extra in _follow_on_types(kind, text, dates[0].date.day is not None):
            # "He was arrested and cautioned": two entries, as in the prose
            out.append(EventDraft(_follow_on(ev, extra, agency, []), "chronology table", True))
    return out


def _event_record(ctx: Context, finder: _AgencyFinder, what: tuple, time_text: str, sentence: str, clause: str,
                  pair: tuple[PersonRec | None, PersonRec | None]) -> dict:
    """An event record: ``what`` is (date key, approximate?, type, agency); the time from ``time_text``,
    the people and the summary from the sentence, the details from the clause; ``pair`` is
    (perpetrator, victim)."""
    key, approx, kind, agency = what
    ev: dict = {"date": key, "type": kind}
    if approx:
        ev["date_approx"] = True
    t = find_time(time_text)
    if t:
        ev["time"] = t
    if agency is not None:
        ev["agency"] = agency.id
        agency.mentions += 1
    persons = _persons_in(ctx, sentence)
    if persons:
        ev["persons"] = [p.id for p in persons]
    ev["summary"] = _shorten(sentence)
    _details(ctx, ev, kind, sentence, clause, persons, pair[0], pair[1], finder, agency)
    return ev


def _table_agency(finder: _AgencyFinder, cell: str, block_index: int) -> AgencyRec | None:
    """The agency an agency cell names, or the kind of service it describes."""
    if not cell:
        return None
    named = finder.named(cell)
    if named:
        return named[0][1]
    generic = finder.generic(cell, block_index)
    return generic[0][1] if generic else None


@dataclass
class EventDraft:
    """A drafted entry of the chronology (the case-file record) and where it was told: the chapter, whether
    in the story, whether its date came from context rather than the sentence."""

    record: dict
    chapter: str = ""
    story: bool = False
    inferred: bool = False


def _strip_named(sentence: str, named) -> str:
    """The sentence with the named bodies blanked out, so that "Children's Social Care" inside
    "Birmingham Children's Social Care" is not found again as a described service."""
    out = sentence
    for pos, a in named:
        lengths = [len(n) for n in a.names() if n and sentence[pos:pos + len(n)].lower() == n.lower()]
        if lengths:
            n = max(lengths)
            out = out[:pos] + " " * n + out[pos + n:]
    return out


#: a body named after these words receives the referral, call or information: it is not the actor
_TARGET_BEFORE = re.compile(r"\b(?:to|with|towards|into|informed|told|notified|alerted|advised|emailed|"
                            r"copied|updated)\s+(?:the\s+|a\s+|an\s+|his\s+|her\s+|their\s+|its\s+)?"
                            r"(?:local\s+|relevant\s+|area\s+)?$", re.I)
#: kinds of body that seldom record a chronology entry themselves unless the event is theirs
_PASSIVE_TYPES = {"court": ("court", "sentence", "conviction"), "marac": ("marac",), "mappa": ("mappa",),
                  "other": ()}


#: steps of the criminal process a single sentence often tells together ("arrested and cautioned",
#: "pleaded guilty and was sentenced to ..."): each is an entry of the chronology
_CHAIN = ("arrest", "charge", "caution", "conviction", "sentence")
_FOLLOWS = ("caution", "conviction", "sentence")   # "arrested and charged" is told as one entry
_CHAIN_CUES = {kind: pattern for pattern, kind in EVENT_TYPE_CUES if kind in _CHAIN}
_COURT_STEPS = ("conviction", "sentence")
_LATER_STEP = re.compile(r"\b(later|subsequently|eventually|afterwards|in due course)\b", re.I)


def _follow_on_types(kind: str, clause: str, day: bool = False) -> list[str]:
    """The further steps of the criminal process the clause tells after the first one; with a date
    to the day, not a step told as coming "later" (another day)."""
    if kind not in _CHAIN:
        return []
    out = []
    first = _CHAIN_CUES[kind].search(clause)
    for other in _CHAIN[_CHAIN.index(kind) + 1:]:
        if other not in _FOLLOWS:
            continue
        m = _CHAIN_CUES[other].search(clause)
        if not m or re.search(r"\b(no|not|without|never)\b[^.,;]{0,25}$", clause[:m.start()], re.I):
            continue
        if day and first and _LATER_STEP.search(clause, first.end(), m.start()):
            continue
        out.append(other)
    return out


def _follow_on(ev: dict, kind: str, agency: AgencyRec | None, mentions) -> dict:
    new = {k: v for k, v in ev.items() if k not in ("type", "abuse", "risk", "referral_to", "time")}
    new["type"] = kind
    new.pop("agency", None)
    court = next((a for _, a in mentions if a.type == "court"), None)
    if kind in _COURT_STEPS:
        if court is not None:
            new["agency"] = court.id
    elif agency is not None:
        new["agency"] = agency.id
    # keep the key order of a drafted event
    return {k: new[k] for k in ("date", "type", *[k for k in new if k not in ("date", "type")])}


def _own_agency(kind: str, agency: AgencyRec | None, named, mentions) -> AgencyRec | None:
    """Whose entry it is, for kinds that are not the paragraph's service's."""
    if kind in ("life_event", "homicide") and agency is not None and not any(a is agency for _, a in named):
        return None   # "she died in hospital": a life event no agency recorded
    if kind in _COURT_STEPS and agency is not None and agency.type != "court" \
            and not any(a is agency for _, a in mentions):
        # a conviction or sentence is the court's, not the service the paragraph was about
        return next((a for _, a in mentions if a.type == "court"), None)
    return agency


def _service_for(kind: str, sentence: str) -> str | None:
    """The kind of service an event of this type implies, whatever the sentence names."""
    if kind == "call":
        return "police" if _POLICE_CALL.search(sentence) else None
    if kind in ("custody", "release"):
        if _PRISON_CUSTODY.search(sentence):
            return "prison"
        return "police" if kind == "custody" else None
    return _TYPE_SERVICE.get(kind)


def _is_target(sentence: str, pos: int) -> bool:
    return bool(_TARGET_BEFORE.search(sentence[max(0, pos - 40):pos]))


def _choose_agency(mentions, pos: int, block_agencies: list[AgencyRec], kind: str = "",
                   sentence: str = "") -> AgencyRec | None:
    wanted = _service_for(kind, sentence)
    if wanted:
        typed = [a for _, a in mentions if a.type == wanted]
        if typed:
            return typed[0]
    if mentions:
        def rank(m):
            at, a = m
            passive = a.type in _PASSIVE_TYPES and kind not in _PASSIVE_TYPES[a.type]
            target = bool(sentence) and _is_target(sentence, at)
            prio = SERVICE_PRIORITY.index(a.type) if a.type in SERVICE_PRIORITY else 99
            return (passive, target, at, prio)
        best = min(mentions, key=rank)
        passive, target = rank(best)[:2]
        if passive and target:
            return None   # "the death was notified to the Community Safety Partnership"
        return best[1]
    active = [a for a in block_agencies if a.type not in _PASSIVE_TYPES]
    if active:
        return active[-1]
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
            kinds = sorted(abuse_kinds_in(sentence) or {"physical"})
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


def _one_homicide(events: list["EventDraft"]) -> None:
    """The introduction's "killed ... in March 2021" is the story's "On 14 March 2021 ... killed her": the
    homicide told outside the story to a coarser date than a homicide the story tells is left out."""
    told = [d.record["date"] for d in events if d.story and d.record["type"] == "homicide"]
    events[:] = [d for d in events if d.story or d.record["type"] != "homicide"
                 or not any(len(t) > len(d.record["date"]) and t.startswith(d.record["date"]) for t in told)]


def _dedupe(events: list["EventDraft"]) -> None:
    """One event per (paragraph, date, agency, type); a later chapter restating a date and agency adds nothing."""
    seen: dict[tuple, dict] = {}
    told_before: dict[tuple, dict] = {}
    first_chapter: dict[tuple, str] = {}
    keep = []
    # what the story chapter tells: a date and agency the introduction or the analysis also mention
    # is the story's entry, whichever comes first in the report
    story = {(d.record["date"], d.record.get("agency")) for d in events
             if d.record["type"] != "review_process" and d.story}
    for d in events:
        ev = d.record
        if ev["type"] != "review_process":
            dk = (ev["date"], ev.get("agency"))
            if not d.story and dk in story:
                continue
            if dk in first_chapter and first_chapter[dk] != d.chapter and not d.story:
                continue
            first_chapter.setdefault(dk, d.chapter)
        key = (ev.get("source"), ev["date"], ev.get("agency"), ev["type"])
        # an entry whose date comes from context, telling again what an entry of the same date,
        # agency and kind in the same chapter told ("The DASH form ..." after "a DASH risk assessment was
        # completed on ..."), is the same event
        told = (d.chapter, ev["date"], ev.get("agency"), ev["type"])
        if d.inferred and len(ev["date"]) == 10 and told in told_before and key not in seen:
            first = told_before[told]
            ref = ev.get("source")
            if ref and ref not in str(first.get("source", "")).split(", "):
                first["source"] = f"{first['source']}, {ref}" if first.get("source") else ref
            continue
        told_before.setdefault(told, ev)
        if key in seen:
            first = seen[key]
            for p in ev.get("persons", []):
                if p not in first.setdefault("persons", []):
                    first["persons"].append(p)
            continue
        seen[key] = ev
        keep.append(d)
    events[:] = keep
