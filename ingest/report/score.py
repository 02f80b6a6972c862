"""Scoring a drafted case file against a gold case file (docs/extraction-eval.md).

Each section is scored by one-to-one matching of drafted records to gold
records, greedy in document order: every drafted record, in the order of the
draft, takes the first gold record (in the order of the gold file) that it
matches and that no earlier drafted record took. Precision is matched /
drafted, recall matched / gold. Events of type ``review_process`` are left out
of both sides. The review record is scored as the share of gold fields the
draft gives equally (dates at the gold's precision). The overall score is the
mean F1 of persons, agencies, relationships and events.

Where the text of the rules leaves a choice, this module takes the following
reading (documented in docs/extract.md):

- relationship ends and event agencies are compared with the person/agency
  *matching rule* applied to the records the ids point at (not with the
  one-to-one assignment of the persons/agencies sections);
- ``source`` refs overlap when one paragraph number lies in the other's span:
  ``2.17-2.20`` overlaps ``2.18``, and ``4.4`` overlaps ``4.4.1`` (a paragraph
  holds its sub-paragraphs); refs with a prefix (``Appendix A 2.1``) only meet
  refs with the same prefix; a source with no paragraph number in it at all is
  compared as a whole, normalised;
- "punctuation" is every Unicode punctuation character except the ASCII hyphen.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from dhrkg.model import CaseFile, PartialDate, PartialDateError, load_case
from dhrkg.model.model import DIRECTED_RELATIONSHIPS

SECTIONS = ("persons", "agencies", "relationships", "events", "recommendations", "households")
OVERALL_SECTIONS = ("persons", "agencies", "relationships", "events")


# -- normalising -----------------------------------------------------------------

_SPACE = re.compile(r"\s+")


def norm(text: Any) -> str:
    """Lower-case; strip a leading "the "; drop punctuation except hyphens; "&" -> "and"; squeeze spaces.

    >>> norm("The Victim's Mother")
    'victims mother'
    """
    if text is None:
        return ""
    return _norm(str(text))


_ASCII_PUNCT = re.compile(r"[!\"#%'()*,./:;?@\[\\\]_{}]")


@functools.lru_cache(maxsize=65536)
def _norm(text: str) -> str:
    s = text.lower().replace("&", " and ")
    s = _ASCII_PUNCT.sub("", s)
    if not s.isascii():
        s = "".join(ch for ch in s if ch == "-" or not unicodedata.category(ch).startswith("P"))
    s = _SPACE.sub(" ", s).strip()
    if s.startswith("the "):
        s = s[4:].strip()
    return s


def _date(value: Any) -> PartialDate | None:
    if value is None or value == "":
        return None
    try:
        return PartialDate.parse(value)
    except PartialDateError:
        return None


def dates_agree(a: Any, b: Any) -> bool:
    """Equal at the precision of the less precise of the two."""
    da, db = _date(a), _date(b)
    return da is not None and db is not None and da.agrees_with(db)


def date_equal_at(gold: Any, drafted: Any) -> bool:
    """The drafted date gives the gold date at the gold's precision (and is at least as precise)."""
    dg, dd = _date(gold), _date(drafted)
    if dg is None or dd is None:
        return False
    order = {"year": 0, "month": 1, "day": 2}
    if order[dd.precision] < order[dg.precision]:
        return False
    return dd.truncate(dg.precision) == dg


# -- source refs -----------------------------------------------------------------

_INF = 10**9
_REF = re.compile(r"^(?P<prefix>.*?)\s*(?P<a>\d+(?:\.\d+)*)\.?(?:\s*[-\u2013\u2014]\s*(?P<b>\d+(?:\.\d+)*)\.?)?$")


@dataclass(frozen=True)
class _Span:
    prefix: str
    lo: tuple[int, ...]
    hi: tuple[int, ...]


def parse_refs(source: Any) -> tuple[list[_Span], list[str]]:
    """Paragraph spans in a ``source`` string, and the whole string as a label when it has none."""
    if source is None:
        return [], []
    text = str(source).strip()
    if not text:
        return [], []
    spans: list[_Span] = []
    for part in re.split(r"[,;]", text):
        part = part.strip()
        m = _REF.match(part)
        if not m:
            continue
        prefix = norm(m.group("prefix"))
        a = tuple(int(x) for x in m.group("a").split("."))
        b = tuple(int(x) for x in m.group("b").split(".")) if m.group("b") else a
        if b < a:
            a, b = b, a
        spans.append(_Span(prefix, a, b + (_INF,)))
    if spans:
        return spans, []
    return [], [norm(text)]


def refs_overlap(a: Any, b: Any) -> bool:
    sa, la = parse_refs(a)
    sb, lb = parse_refs(b)
    if la and lb and set(la) & set(lb):
        return True
    for x in sa:
        for y in sb:
            if x.prefix == y.prefix and x.lo <= y.hi and y.lo <= x.hi:
                return True
    return False


# -- matching rules --------------------------------------------------------------

def person_keys(person: dict[str, Any]) -> set[str]:
    keys = {norm(person.get("id")), norm(person.get("name"))}
    keys.update(norm(a) for a in person.get("aliases") or [])
    keys.discard("")
    return keys


def persons_match(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return bool(person_keys(a) & person_keys(b))


def agencies_match(a: dict[str, Any], b: dict[str, Any]) -> bool:
    na, nb = norm(a.get("name")), norm(b.get("name"))
    if na and na == nb:
        return True
    aa, ab = a.get("abbreviation"), b.get("abbreviation")
    if aa and ab and str(aa).strip() == str(ab).strip():
        return True
    if na and na in {norm(x) for x in b.get("aliases") or []}:
        return True
    if nb and nb in {norm(x) for x in a.get("aliases") or []}:
        return True
    return False


class _Side:
    """One case file as plain data, with look-ups by id."""

    def __init__(self, case: CaseFile | dict[str, Any]):
        data = case.to_data() if isinstance(case, CaseFile) else case
        self.data = data
        self.persons = {p.get("id"): p for p in data.get("persons") or []}
        self.agencies = {a.get("id"): a for a in data.get("agencies") or []}

    def person(self, pid: Any) -> dict[str, Any]:
        return self.persons.get(pid) or {"id": pid}

    def agency(self, aid: Any) -> dict[str, Any] | None:
        if aid is None:
            return None
        return self.agencies.get(aid) or {"id": aid, "name": aid}


def _rel_match(d: _Side, g: _Side) -> Callable[[dict, dict], bool]:
    def match(x: dict[str, Any], y: dict[str, Any]) -> bool:
        if x.get("type") != y.get("type"):
            return False
        xf, xt = d.person(x.get("from")), d.person(x.get("to"))
        yf, yt = g.person(y.get("from")), g.person(y.get("to"))
        if persons_match(xf, yf) and persons_match(xt, yt):
            return True
        if x.get("type") not in DIRECTED_RELATIONSHIPS:
            return persons_match(xf, yt) and persons_match(xt, yf)
        return False
    return match


def _event_match(d: _Side, g: _Side) -> Callable[[dict, dict], bool]:
    def match(x: dict[str, Any], y: dict[str, Any]) -> bool:
        if not dates_agree(x.get("date"), y.get("date")):
            return False
        xa, ya = d.agency(x.get("agency")), g.agency(y.get("agency"))
        if xa is None and ya is None:
            return True
        if xa is None or ya is None:
            return False
        return agencies_match(xa, ya)
    return match


def _recommendation_match(x: dict[str, Any], y: dict[str, Any]) -> bool:
    ix, iy = norm(x.get("id")), norm(y.get("id"))
    if ix and ix == iy:
        return True
    return refs_overlap(x.get("source"), y.get("source"))


def _members(household: dict[str, Any]) -> list[Any]:
    out = []
    for m in household.get("members") or []:
        out.append(m.get("person") if isinstance(m, dict) else m)
    return out


def _household_match(d: _Side, g: _Side) -> Callable[[dict, dict], bool]:
    def match(x: dict[str, Any], y: dict[str, Any]) -> bool:
        dm = [d.person(p) for p in _members(x)]
        gm = [g.person(p) for p in _members(y)]
        if not gm or not dm:
            return False
        if not all(any(persons_match(a, b) for b in gm) for a in dm):
            return False
        drafted = sum(1 for b in gm if any(persons_match(a, b) for a in dm))
        return 2 * drafted >= len(gm)
    return match


# -- results ---------------------------------------------------------------------

@dataclass
class SectionScore:
    drafted: int = 0
    gold: int = 0
    matched: int = 0
    pairs: list[tuple[int, int]] = field(default_factory=list, repr=False)

    @property
    def precision(self) -> float:
        if self.drafted:
            return self.matched / self.drafted
        return 1.0 if not self.gold else 0.0

    @property
    def recall(self) -> float:
        if self.gold:
            return self.matched / self.gold
        return 1.0 if not self.drafted else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: "SectionScore") -> "SectionScore":
        return SectionScore(self.drafted + other.drafted, self.gold + other.gold, self.matched + other.matched)

    def as_dict(self) -> dict[str, Any]:
        return {
            "drafted": self.drafted, "gold": self.gold, "matched": self.matched,
            "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
        }


@dataclass
class ReviewScore:
    fields: int = 0
    equal: int = 0
    detail: dict[str, bool] = field(default_factory=dict)

    @property
    def share(self) -> float:
        return self.equal / self.fields if self.fields else 1.0

    def __add__(self, other: "ReviewScore") -> "ReviewScore":
        return ReviewScore(self.fields + other.fields, self.equal + other.equal)


@dataclass
class CaseScore:
    sections: dict[str, SectionScore]
    review: ReviewScore

    @property
    def overall(self) -> float:
        return sum(self.sections[s].f1 for s in OVERALL_SECTIONS) / len(OVERALL_SECTIONS)

    def __add__(self, other: "CaseScore") -> "CaseScore":
        return CaseScore(
            {s: self.sections[s] + other.sections[s] for s in SECTIONS},
            self.review + other.review,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "sections": {s: v.as_dict() for s, v in self.sections.items()},
            "review": {"fields": self.review.fields, "equal": self.review.equal,
                       "share": round(self.review.share, 4), "detail": self.review.detail},
            "overall": round(self.overall, 4),
        }

    def table(self) -> str:
        lines = [f"{'section':<16}{'drafted':>8}{'gold':>6}{'matched':>8}{'P':>7}{'R':>7}{'F1':>7}"]
        for s in SECTIONS:
            v = self.sections[s]
            lines.append(f"{s:<16}{v.drafted:>8}{v.gold:>6}{v.matched:>8}"
                         f"{v.precision:>7.2f}{v.recall:>7.2f}{v.f1:>7.2f}")
        lines.append(f"{'review fields':<16}{self.review.fields:>14}{self.review.equal:>8}"
                     f"{'':>14}{self.review.share:>7.2f}")
        lines.append(f"overall (mean F1 of persons, agencies, relationships, events): {self.overall:.3f}")
        return "\n".join(lines)


def greedy_match(drafted: Sequence[dict], gold: Sequence[dict], match: Callable[[dict, dict], bool]) -> SectionScore:
    """One-to-one, greedy in document order."""
    taken = [False] * len(gold)
    pairs = []
    for i, d in enumerate(drafted):
        for j, g in enumerate(gold):
            if not taken[j] and match(d, g):
                taken[j] = True
                pairs.append((i, j))
                break
    return SectionScore(len(drafted), len(gold), len(pairs), pairs)


_REVIEW_DATES = {"homicide_date", "report_date", "review_period.start", "review_period.end"}


def _review_fields(review: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in (review or {}).items():
        if isinstance(v, dict):
            for k2, v2 in v.items():
                if v2 is not None:
                    out[f"{k}.{k2}"] = v2
        elif v is not None:
            out[k] = v
    return out


def score_review(drafted: dict[str, Any], gold: dict[str, Any]) -> ReviewScore:
    g, d = _review_fields(gold), _review_fields(drafted)
    detail = {}
    for k, gv in g.items():
        dv = d.get(k)
        if k in _REVIEW_DATES:
            detail[k] = date_equal_at(gv, dv)
        else:
            detail[k] = dv is not None and norm(dv) == norm(gv)
    return ReviewScore(len(detail), sum(detail.values()), detail)


def score_case(draft: CaseFile | dict[str, Any], gold: CaseFile | dict[str, Any]) -> CaseScore:
    """Score a drafted case file against a gold one, section by section."""
    d, g = _Side(draft), _Side(gold)

    def records(side: _Side, section: str) -> list[dict[str, Any]]:
        items = list(side.data.get(section) or [])
        if section == "events":
            items = [e for e in items if e.get("type") != "review_process"]
        return items

    sections = {
        "persons": greedy_match(records(d, "persons"), records(g, "persons"), persons_match),
        "agencies": greedy_match(records(d, "agencies"), records(g, "agencies"), agencies_match),
        "relationships": greedy_match(records(d, "relationships"), records(g, "relationships"), _rel_match(d, g)),
        "events": greedy_match(records(d, "events"), records(g, "events"), _event_match(d, g)),
        "recommendations": greedy_match(records(d, "recommendations"), records(g, "recommendations"), _recommendation_match),
        "households": greedy_match(records(d, "households"), records(g, "households"), _household_match(d, g)),
    }
    return CaseScore(sections, score_review(d.data.get("review") or {}, g.data.get("review") or {}))


def score_files(draft: str | Path, gold: str | Path) -> CaseScore:
    """Load and validate both case files, then score (raises CaseFileInvalid / UnreadableCaseFile)."""
    return score_case(load_case(draft), load_case(gold))


def total(scores: Iterable[CaseScore]) -> CaseScore:
    """Pooled counts over several reports (micro-averaged precision/recall/F1)."""
    it = iter(scores)
    out = next(it)
    for s in it:
        out = out + s
    return out
