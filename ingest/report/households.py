"""Households: who lived with whom, drafted from the cues of rules/households.yaml.

Precision first. A cue ("lived with", "moved in with", "the household comprised") sits
between the people who live together: the subject, named before the cue in its clause,
and the members named after it up to the end of the clause. People are those the persons
pass drafted, found by their names and labels or by kin phrases ("her mother", "Adult A's
son") through the kin facts. A household is drafted only when everyone the clause names
is known: a kin phrase with no single person behind it, or a group ("her family", "two
brothers"), counts as people not known, and a household needs at least half of its
people known (the scoring rule of a household). Never a household of one unless the text
says the person lived alone.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from .context import Context, PersonRec
from .dates import find_dates
from .kinfacts import kin_of
from .rules import Rule, load_rules, note_hit
from .sections import COMMENT_PARTS
from .sentences import split_sentences
from .vocab import KIN, KIN_MODIFIERS

#: Parts of the report that do not tell the case (its own process, lists, references) or comment on it.
_SKIP_PARTS = frozenset({"review_process", "terms_of_reference", "panel", "contributors", "glossary",
                         "references", "recommendations", "appendices"}) | COMMENT_PARTS
#: Where a clause ends after the cue, and where the clause of the cue starts before it.
_CLAUSE_END = re.compile(r"[.;:()]|,?\s+\b(?:but|although|though|because|while|whereas|when|which|who|until|after|before)\b"
                         r"|,?\s+and\s+(?:was|is|were|are|had|has|he|she|they|then)\b|,\s+(?=in\s|at\s|from\s|since\s)")
_CLAUSE_START = re.compile(r"[;:(]|\b(?:but|although|though|because|while|whereas|when|until|that)\b"
                           r"|\band\s+(?=(?:he|she|they|it)\b)")
_BY_AGENT = re.compile(r"\bby\s+(?:the\s+)?[\w-]+(?:\s+[A-Z0-9][\w-]*)?")
_OBJECT_PRONOUN = re.compile(r"^\s*(?:him|them|her(?=\s*(?:[.,;]|$)))", re.I)
_DATE_WORDS = r"((?:the\s+)?(?:\w+\s+){0,2}?\d{4})\b"
_SINCE = re.compile(r"\b(?:from|since|between)\s+" + _DATE_WORDS)
_UNTIL = re.compile(r"\b(?:until|till|to|and)\s+" + _DATE_WORDS)
_UNTIL_ONLY = re.compile(r"\b(?:until|till)\s+" + _DATE_WORDS)
_WHO = re.compile(r"\bwho\b")
_PRONOUN = re.compile(r"\b(she|he|they)\b", re.I)
_KIN_WORDS = sorted(KIN, key=len, reverse=True)
_KIN_WORD = "|".join(re.escape(w) for w in _KIN_WORDS)
_KIN_PLURAL = {"children": "child", "sons": "son", "daughters": "daughter", "parents": "parent",
               "brothers": "brother", "sisters": "sister", "siblings": "sibling", "grandparents": "grandparent"}
_MODS = "|".join(re.escape(w) for w in KIN_MODIFIERS)
_KIN_PHRASE = re.compile(
    rf"\b(?P<anchor>her|his|their|[A-Z][\w-]*(?:\s[A-Z0-9][\w-]*)?['’]s)\s+"
    rf"(?:(?:{_MODS}|\d+\s+year\s+old|\w+-year-old)\s+)*"
    rf"(?P<kin>{'|'.join(_KIN_PLURAL)}|{_KIN_WORD})\b", re.I)
#: People told as a group: not known one by one.
_GROUP = re.compile(r"\b(?:(?P<n>two|three|four|five|\d)\s+(?:\w+\s+){0,2}?(?:children|sons|daughters|brothers|sisters|siblings|"
                    r"step\s*brothers|step\s*sisters|half\s*brothers|half\s*sisters)|(?:her|his|their|the)\s+family|the\s+children|"
                    r"(?P<both>both\s+(?P<kind>boys|girls|children)|all\s+(?:two|three|four|five)\s+(?P<kind2>boys|girls|children)))\b", re.I)
#: the sex "both boys" / "all three girls" says
_GROUP_SEX = {"boys": "male", "girls": "female"}
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5}


@dataclass
class _Household:
    members: list[PersonRec]
    sources: list[str] = field(default_factory=list)
    start: str | None = None
    end: str | None = None
    rule: str = ""
    joined: dict[str, str] = field(default_factory=dict)   # person id -> when they moved in
    location: dict | None = None


def extract_households(ctx: Context) -> list[dict]:
    """The households the report's cue sentences state, as case-file records."""
    rules = load_rules("households").active()
    cues = [r for r in rules if not r.assigns.get("veto")]
    found: list[_Household] = []
    for b in ctx.doc.blocks:
        if b.part in _SKIP_PARTS or not b.text or not any(r.search(b.text) for r in cues):
            continue
        sents = [b.text[s:e] for s, e in split_sentences(b.text)]
        for i, sent in enumerate(sents):
            if not any(r.search(sent) for r in cues):
                continue
            hh = _from_sentence(ctx, rules, sent, _last_named(ctx, sents[:i]))
            if hh is not None:
                hh.sources += [b.ref] if b.ref else []
                found.append(hh)
    return [_record(h, k) for k, h in enumerate(_merged(found), 1)]


def _last_named(ctx: Context, earlier: list[str]) -> list[PersonRec]:
    """The people named in the last of the earlier sentences of the paragraph that names anyone."""
    for sent in reversed(earlier):
        named = _named(ctx, sent)
        if named:
            return named
    return []


def _from_sentence(ctx: Context, rules: tuple[Rule, ...], sent: str, previous: list[PersonRec]) -> _Household | None:
    if any(r.assigns.get("veto") and r.search(sent) for r in rules):
        return None
    for rule in rules:
        m = rule.search(sent)
        if m is None or rule.assigns.get("veto"):
            continue
        hh = _household(ctx, rule, sent, m, previous)
        if hh is not None:
            note_hit(rule.id)
            return hh
    return None


def _household(ctx: Context, rule: Rule, sent: str, m: re.Match, previous: list[PersonRec]) -> _Household | None:
    subject = [] if rule.assigns.get("list") else _subject(ctx, sent[:m.start()], previous)
    if subject is None:
        return None
    if rule.assigns.get("alone"):
        return _Household(subject, rule=rule.id) if len(subject) == 1 else None
    tail = sent[m.end():]
    clause_end = _CLAUSE_END.search(tail)
    clause = tail[:clause_end.start()] if clause_end else tail
    members, unknown = _people(ctx, clause, subject[:1], rule.assigns.get("possessive"))
    people = list(dict.fromkeys([*subject, *members]))
    if len(people) < 2 or 2 * len(people) < len(people) + unknown:
        return None
    start, end = _period(re.split(r"[.;]", tail, maxsplit=1)[0])
    moved = _start(sent) if rule.assigns.get("starts") else None   # who moved in joined then
    joined = {p.id: moved for p in subject} if moved and subject else {}
    return _Household(people, start=start, end=end, rule=rule.id, joined=joined, location=_place(tail))


def _period(clause: str) -> tuple[str | None, str | None]:
    """"from 2016", "between 2010 and 2012", "from May 2010 until June 2011", "until 2015" after the cue."""
    since = _SINCE.search(clause)
    until = _UNTIL.search(clause, since.end()) if since else _UNTIL_ONLY.search(clause)
    return (_start(since.group(1)) if since else None), (_start(until.group(1)) if until else None)


def _subject(ctx: Context, before: str, previous: list[PersonRec]) -> list[PersonRec] | None:
    """The people the clause of the cue is about, or None when they cannot be told."""
    starts = [x.end() for x in _CLAUSE_START.finditer(before)]
    clause = before[starts[-1]:] if starts else before
    who = list(_WHO.finditer(clause))
    if who:   # "Niamh, who was 12 when her mother died and who now lives with": the one named before "who"
        cut = len(before) - len(clause) + who[-1].start()
        named = _named(ctx, before[:cut], possessive=False)
        return named[-1:] or None
    clause = _BY_AGENT.sub(" ", clause)   # "reported by the victim to be living with": not the victim
    said: list[PersonRec] = []
    pronoun = _PRONOUN.search(clause)
    if pronoun:
        earlier = _named(ctx, before[:starts[-1]] if starts else "", possessive=False)
        said = _pronoun(ctx, pronoun.group(1).lower(), earlier, previous) or []
        if not said:
            return None
    anchors = said or _possessor(ctx, clause, before[:starts[-1]] if starts else "", previous)
    named, unknown = _people(ctx, clause, anchors, False)
    named = list(dict.fromkeys([*said, *named]))
    if unknown or not named:
        return None
    return named


def _possessor(ctx: Context, clause: str, before: str, previous: list[PersonRec]) -> list[PersonRec]:
    """Whose kin a subject with no name of its own is ("his children lived with ..."): the person "his"/"her" stands for."""
    m = re.match(r"\s*(his|her)\s", clause, re.I)
    if not m or _named(ctx, clause):
        return []
    return _pronoun(ctx, "he" if m.group(1).lower() == "his" else "she", _named(ctx, before), previous) or []


def _pronoun(ctx: Context, word: str, earlier: list[PersonRec], previous: list[PersonRec]) -> list[PersonRec] | None:
    if word == "they":
        for group in (earlier, previous):
            if len(group) >= 2:
                return group[-2:]
        return None
    sex = "female" if word == "she" else "male"
    for group in (earlier, previous):
        same = [p for p in group if p.sex == sex]
        if same:
            return same[-1:]
    return None


def _people(ctx: Context, text: str, anchors: list[PersonRec], possessive: bool | None) -> tuple[list[PersonRec], int]:
    """The people a piece of a clause names (names, labels, kin phrases), and how many it names that are not known."""
    found: list[tuple[int, PersonRec]] = []
    unknown = 0
    spans: list[tuple[int, int]] = []
    anchors = anchors or _named(ctx, text)[:1]
    if _OBJECT_PRONOUN.search(text):
        return [], 99   # "stayed with her": who she is is not told here
    for km in _KIN_PHRASE.finditer(text):
        after = _name_at(ctx, text[km.end():])
        if after:   # "her partner Huw", "his grandmother, Mrs R": the name says who
            continue
        people = _kin_people(ctx, km, anchors, [p for _, p in found])
        spans.append(km.span())
        if people is None:
            unknown += 2 if km.group("kin").lower() in _KIN_PLURAL else 1
            continue
        found += [(km.start(), p) for p in people]
    for gm in _GROUP.finditer(text):
        children = [p for p in kin_of(ctx, anchors[0], "child") if _may_live(p)] if anchors else []
        if gm.group().lower() == "the children" and children:
            found += [(gm.start(), p) for p in children]   # "the victim and the children"
        elif gm.group("both") and _victims_children(ctx, gm.group("kind") or gm.group("kind2")):
            # "Both boys lived with Kirsty and Lee": the victim's children of that sex, when there are two or more
            found += [(gm.start(), p) for p in _victims_children(ctx, gm.group("kind") or gm.group("kind2"))]
        elif not any(a <= gm.start() < b for a, b in spans):
            unknown += _NUMBERS.get((gm.group("n") or "").lower(), int(gm.group("n")) if (gm.group("n") or "").isdigit() else 3)
    for at, p in _mentions(ctx, text, possessive):
        if not any(a <= at < b for a, b in spans) or possessive:
            found.append((at, p))
    found.sort(key=lambda x: x[0])
    return list(dict.fromkeys(p for _, p in found)), unknown


def _victims_children(ctx: Context, kind: str) -> list[PersonRec]:
    victim = next((p for p in ctx.persons if "victim" in p.roles), None)
    if victim is None:
        return []
    sex = _GROUP_SEX.get(kind.lower())
    kids = [p for p in kin_of(ctx, victim, "child") if _may_live(p) and (sex is None or p.sex == sex)]
    return kids if len(kids) >= 2 else []


def _kin_people(ctx: Context, km: re.Match, anchors: list[PersonRec], so_far: list[PersonRec]) -> list[PersonRec] | None:
    word = km.group("kin").lower()
    kin = _KIN_PLURAL.get(word, word)
    anchor_text = km.group("anchor")
    if anchor_text.lower() in ("her", "his", "their"):
        sex = {"her": "female", "his": "male"}.get(anchor_text.lower())
        if sex and any(p.sex == sex for p in so_far):
            return None   # "her mother and her partner": whose partner?
        anchor = anchors[0] if anchors and (sex is None or anchors[0].sex in (None, sex)) else None
    else:
        anchor = _name_at(ctx, re.sub(r"['’]s$", "", anchor_text))
    if anchor is None or kin not in KIN:
        return None
    people = [p for p in kin_of(ctx, anchor, kin) if _may_live(p)]
    if word in _KIN_PLURAL:
        return people or None
    return people if len(people) == 1 else None


def _name_at(ctx: Context, text: str) -> PersonRec | None:
    """The person named at the start of the text (after a comma or a space)."""
    m = re.match(r"[\s,]*((?:[Tt]he\s+)?[A-Za-z][\w-]*(?:\s+[A-Z0-9][\w-]*)?)", text)
    if not m:
        return None
    hits = _mentions(ctx, m.group(1), True)
    return hits[0][1] if hits and hits[0][0] == 0 else None


def _named(ctx: Context, text: str, possessive: bool = False) -> list[PersonRec]:
    return list(dict.fromkeys(p for _, p in _mentions(ctx, text, possessive)))


def _mentions(ctx: Context, text: str, possessive: bool | None) -> list[tuple[int, PersonRec]]:
    """Where the drafted persons are named in the text by a name, label or role phrase (not "X's")."""
    out = []
    for p in ctx.persons:
        if not _may_live(p):
            continue
        for m in _person_pattern(tuple(_names(p))).finditer(text):
            if possessive or not re.match(r"['’]s\b", text[m.end():]):
                out.append((m.start(), p))
    out.sort(key=lambda x: x[0])
    return out


def _may_live(p: PersonRec) -> bool:
    """Not someone named only by a role phrase ("a friend"), nor a child not yet born."""
    return not p.unborn and not (p.uncertain and re.match(r"(?:a|an|two|three|some)\s", p.name, re.I))


def _names(p: PersonRec) -> list[str]:
    return [n for n in dict.fromkeys([p.id, p.name, *p.aliases])
            if n and not n.lower().startswith(("her ", "his ", "their ", "a ", "an "))]


@functools.lru_cache(maxsize=1024)
def _person_pattern(names: tuple[str, ...]) -> re.Pattern:
    """One pattern for all of a person's names: short labels (*R*, *PFP*) as written, the others in any case."""
    parts = [(r"" if re.fullmatch(r"[A-Z0-9]{1,4}", n) else r"(?i:") + re.escape(n)
             + ("" if re.fullmatch(r"[A-Z0-9]{1,4}", n) else ")") for n in sorted(names, key=len, reverse=True)]
    return re.compile(r"(?<![\w'])(?:" + "|".join(parts) + r")(?![\w])")


_IN_PLACE = re.compile(r"\b(?:in|at)\s+(?:(?:a|an|the|her|his|their)\s+(?:[a-z-]+\s+){0,3}?(?:in|at)\s+)?"
                       r"([A-Z][\w'-]+(?:[ -][A-Z][\w'-]+)?)")


def _place(tail: str) -> dict | None:
    """Where the household lived, when the clause says it ("... in a rented house in Swindon") and it is a known town."""
    from dhrkg.places import force_area_for_place, local_authority_for_town

    m = _IN_PLACE.search(re.split(r"[.;]", tail, maxsplit=1)[0])
    if not m:
        return None
    town = m.group(1)
    authority = local_authority_for_town(town)
    if authority is None:
        return None
    place = {"town": town, "local_authority": authority}
    force = force_area_for_place(town)
    return place | ({"police_force_area": force} if force else {})


def _start(sent: str) -> str | None:
    dates = find_dates(sent, update=False)
    return str(dates[0].date) if dates and not dates[0].approx else None


def _merged(found: list[_Household]) -> list[_Household]:
    """One household per set of people: the same people, or some of them, told again, are one."""
    out: list[_Household] = []
    for h in sorted(found, key=lambda h: -len(h.members)):
        same = next((o for o in out if set(h.members) <= set(o.members) and _same_period(h, o)), None)
        if same is None:
            out.append(_Household(list(h.members), list(h.sources), h.start, h.end, h.rule, dict(h.joined), h.location))
            continue
        same.location = same.location or h.location
        same.sources += [s for s in h.sources if s not in same.sources]
        same.start, same.end = same.start or h.start, same.end or h.end
        for pid, when in h.joined.items():
            same.joined.setdefault(pid, when)
    order = {id(h): min((found.index(f) for f in found if set(f.members) <= set(h.members)), default=0) for h in out}
    return sorted(out, key=lambda h: order[id(h)])


def _same_period(h: _Household, o: _Household) -> bool:
    return all(a is None or b in (None, a) for a, b in ((h.start, o.start), (h.end, o.end)))


def _record(h: _Household, k: int) -> dict:
    members = [{"person": p.id, "start": h.joined[p.id]} if p.id in h.joined else p.id for p in h.members]
    rec: dict = {"id": f"hh-{k}", "members": members}
    if h.location:
        rec["location"] = h.location
    if h.start:
        rec["start"] = h.start
    if h.end:
        rec["end"] = h.end
    rec["notes"] = f"drafted from the words of the report ({h.rule})"
    if h.sources:
        rec["source"] = ", ".join(h.sources)
    return rec
