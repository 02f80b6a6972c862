"""Review metadata: title, commissioning partnership, chair, author, reference, period and dates."""

from __future__ import annotations

import re

from dhrkg.model import PartialDate

from .agencies import force_area_of
from .context import Context, slug
from .dates import DateContext, find_dates
from .prefilter import exotic
from .sections import is_body_text
from .sentences import sentences
from .vocab import COMMISSIONING_PARTNERSHIP

_NAME = r"((?:Mr|Mrs|Ms|Dr|Miss)\.?\s+)?([A-Z][a-z'\-]+(?:\s+[A-Z][a-z'\-]+){1,2})"
_CHAIR = [
    re.compile(r"\bchaired by\s+" + _NAME),
    re.compile(r"\b(?:independent\s+)?chair(?:person)?\s*(?:of the (?:dhr |review )?panel)?\s*(?:was|is|:|,)\s*" + _NAME, re.I),
    re.compile(_NAME + r",?\s+(?:was\s+appointed\s+(?:as\s+)?|is\s+|an?\s+)?(?:the\s+)?independent chair", re.I),
]
_AUTHOR = [
    re.compile(r"\b(?:report|overview|independent)\s+author\s*(?:was|is|:|,)?\s*" + _NAME, re.I),
    re.compile(r"\breport (?:produced|written|prepared) by\s+" + _NAME, re.I),
    re.compile(r"\bauthor(?:ed)? by\s+" + _NAME, re.I),
    re.compile(_NAME + r",?\s+(?:was\s+appointed\s+(?:as\s+)?|is\s+)?(?:the\s+)?(?:independent\s+)?(?:chair and )?(?:overview\s+)?author", re.I),
]
#: a word each pattern for the author cannot match without (lowercase)
_AUTHOR_NEEDS = ("author", " by", "author", "author")
_NOT_NAME = re.compile(r"^(The|This|An|A|Report|Independent|Chair|Author|Panel|Overview|Domestic|Homicide|Review|Community|Safety|Partnership)\b")
_PERIOD = re.compile(r"\b(period|time ?frame|timescale|time period|from\b.*\bto\b|between\b.*\band\b)", re.I)
_DEATH = re.compile(r"\b(death|died|killed|murder|homicide|fatal)\b", re.I)
_REFERENCE = re.compile(r"\b([A-Z]{2,8}\s?\d{2,4}(?:/\d{2,4})?-\d{1,3})\b")


def _person_name(m: re.Match) -> str | None:
    name = m.group(m.lastindex).strip()
    words = name.split()
    while words and _NOT_NAME.match(words[-1]):
        words.pop()
    if len(words) < 2 or _NOT_NAME.match(words[0]):
        return None
    return " ".join(words)


def extract_review(ctx: Context, source: str) -> dict:
    blocks = ctx.doc.blocks
    front = []
    for b in blocks:
        if b.ref is not None or is_body_text(b):  # the title page ends at the first body text
            break
        front.append(b)
    review: dict = {}
    title_lines = [b.text for b in front if b.kind != "table_row"]
    for i, line in enumerate(title_lines):
        if re.search(r"domestic homicide review", line, re.I):
            title = line
            for extra in title_lines[i + 1:i + 4]:
                if re.match(r"^(in respect of|into|concerning|regarding|under|of the|of)\b", extra, re.I) or (
                        len(extra) < 40 and not re.search(r"author|chair|date|glossary|contents", extra, re.I)):
                    title += " " + extra
                else:
                    break
            review["title"] = re.sub(r"\s+", " ", title).strip()
            break
    # commissioning partnership
    csp = next((a for a in ctx.agencies if re.search(COMMISSIONING_PARTNERSHIP, a.name, re.I)
                and not re.search(r"board", a.name, re.I)), None)
    if csp is None:
        for b in front:
            m = re.search(r"\b((?:[A-Za-z][A-Za-z ]{2,60}?\s)?" + COMMISSIONING_PARTNERSHIP + r")\b", b.text, re.I)
            if m:
                class _Named:  # the partnership named on the title page only
                    name = " ".join(w.capitalize() if w.isupper() or w.islower() else w for w in m.group(1).split())
                csp = _Named()
                break
    if csp is not None:
        review["commissioned_by"] = csp.name
        area = force_area_of(csp.name)
        if area:
            review["police_force_area"] = area
        la = _local_authority(csp.name)
        if la:
            review["local_authority"] = la
    if "police_force_area" not in review:
        police = [a for a in ctx.agencies if a.type == "police" and a.police_force_area]
        if police:
            review["police_force_area"] = max(police, key=lambda a: a.mentions).police_force_area
    text_blocks = [b for b in blocks if b.kind != "table_row"]
    for b in text_blocks:
        lowered = b.text.lower() if not exotic(b.text) else None   # None: search every pattern
        if "chair" not in review:
            for pat in _CHAIR:
                if lowered is not None and "chair" not in lowered:
                    break  # every pattern for the chair needs the word
                m = pat.search(b.text)
                if m and _person_name(m):
                    review["chair"] = _person_name(m)
                    break
        if "author" not in review:
            for pat, needs in zip(_AUTHOR, _AUTHOR_NEEDS):
                if lowered is not None and needs not in lowered:
                    continue
                m = pat.search(b.text)
                if m and _person_name(m):
                    review["author"] = _person_name(m)
                    break
    if "author" in review and "chair" not in review and re.search(r"chair and (?:overview )?author|author and chair", " ".join(b.text for b in text_blocks[:200]), re.I):
        review["chair"] = review["author"]
    for b in front:
        m = _REFERENCE.search(b.text)
        if m:
            review["reference"] = m.group(1)
            break
    homicide = homicide_date(text_blocks[:400])
    if homicide:
        review["homicide_date"] = str(homicide)
        ctx.homicide_date = homicide
    # review period: a sentence about the period with two dates (or one and the death)
    for b in text_blocks:
        if not _PERIOD.search(b.text) or not re.search(r"\b(review|period|scope|time)\b", b.text, re.I):
            continue
        for sent in sentences(b.text):
            if not re.search(r"\bperiod\b|time ?frame|from\b", sent, re.I) or not re.search(r"review|period|scope|consider", sent, re.I):
                continue
            ds = [d.date for d in find_dates(sent, DateContext(), update=False) if not d.approx]
            if len(ds) >= 2:
                review["review_period"] = {"start": str(min(ds[:2])), "end": str(max(ds[:2]))}
            elif len(ds) == 1 and homicide and ds[0] < homicide and re.search(r"death|homicide|died", sent, re.I):
                review["review_period"] = {"start": str(ds[0]), "end": str(homicide)}
            if "review_period" in review:
                break
        if "review_period" in review:
            break
    # report date: the last date on the title page, else the last date after the text
    for b in reversed(front):
        ds = [d for d in find_dates(b.text, DateContext(), update=False) if not d.approx]
        if ds and not re.search(r"death|died|homicide|\bborn\b|\bd\.?o\.?b\b|date of birth|\baged?\b", b.text, re.I):
            review["report_date"] = str(ds[-1].date)
            break
    review["source"] = source
    stem = slug(review.get("local_authority") or review.get("commissioned_by", "").replace("Community Safety Partnership", "") or "review", 30)
    review["id"] = f"{stem}-dhr" + (f"-{slug(review['reference'], 20)}" if "reference" in review else "")
    order = ["id", "title", "commissioned_by", "local_authority", "police_force_area", "chair", "author",
             "review_period", "homicide_date", "report_date", "reference", "source"]
    return {k: review[k] for k in order if k in review}


#: a sentence that tells the death itself ("was found dead", "died", "was killed", "stabbed")
_DEATH_TOLD = re.compile(r"\b(found dead|body was (?:found|discovered)|died|was killed|killed (?:her|him)|was murdered|murdered (?:her|him)|"
                         r"(?:was|were) (?:fatally )?(?:stabbed|shot|strangled)|fatally|death of|(?:her|his) death|was found (?:unresponsive|deceased))\b", re.I)
#: a sentence about the review itself, its period or its rules, not the death
_NOT_DEATH = re.compile(r"\b(act|guidance|review was|panel|period|commenced|considered|time ?frame|scope|terms of reference|"
                        r"up to and including|inquest|since|convicted|sentenced|trial|court|pleaded)\b", re.I)


def homicide_date(blocks: list) -> PartialDate | None:
    """The homicide date: the most precise date of the first sentence that tells the death.

    A sentence that tells the death itself ("S was found dead ... in October 2011",
    "she died on 5th May 2014") is preferred to one that only mentions the death; a
    sentence about the review's period, rules or process ("the period from 01/01/2003 up to
    ... the day she died") or about the trial ("convicted of her murder in January 2013")
    gives no homicide date."""
    told, mentioned = [], []
    for b in blocks:
        if not _DEATH.search(b.text) and not _DEATH_TOLD.search(b.text):
            continue
        for sent in sentences(b.text):
            if _NOT_DEATH.search(sent):
                continue
            is_told = bool(_DEATH_TOLD.search(sent))
            if not is_told and not _DEATH.search(sent):
                continue
            ds = [d for d in find_dates(sent, DateContext(), update=False) if not d.approx]
            if not ds:
                continue
            best = max(ds, key=lambda d: ("year", "month", "day").index(d.date.precision)).date
            (told if is_told else mentioned).append(best)
    if told:
        return told[0]
    return mentioned[0] if mentioned else None


def _local_authority(csp_name: str) -> str | None:
    try:
        from dhrkg.places import force_area_for_place
    except ImportError:  # pragma: no cover
        return None
    place = re.sub(r"\s*(borough|city|district|county)?\s*community safety partnership.*$", "", csp_name, flags=re.I).strip()
    words = place.split()
    while words:
        cand = " ".join(words)
        if force_area_for_place(cand):
            return cand
        words = words[1:]
    return None
