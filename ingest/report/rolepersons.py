"""Persons a report names only by a role phrase, never by a name or label.

Anonymised DHR reports often leave the people around the victim and the
perpetrator unnamed: "a friend", "the ex-partner", "the unborn baby", "an
extended family member of the perpetrator", "two siblings", "the complainant",
"the alleged supplier of the weapon". Each is a person of the case.

- An indefinite phrase ("a friend", "an extended family member of X") brings in
  a new person; the same phrase with the same anchor later is the same person.
- A definite phrase ("the ex-partner", "the complainant") is a person when the
  report uses it at least twice in its account of the facts, or once beside an
  indefinite introduction ("a previous partner ... the ex-partner").
- "two siblings", "three brothers": that many people, relatives of the one
  person the sentence names.
- "the unborn child/baby", "an unborn sibling": the pregnancy the report
  speaks of, when the key table has no unborn child.

Only paragraphs about the case are read (not the terms of reference, panel,
glossary, recommendations ...), and only those that name a person already
known or use "he"/"she".
"""

from __future__ import annotations

import re
from collections import Counter

from .context import Context, Fact, PersonRec, slug
from .kinfacts import kin_of
from .prefilter import exotic
from .score import norm
from .sentences import sentences
from .vocab import abuse_kinds_in

#: role nouns: (regex, relation to the anchor, default role, label)
_NOUNS: list[tuple[str, str, str, str]] = [
    (r"(?:extended |wider )?family member", "relative", "family", ""),
    (r"relative", "relative", "family", "relative"),
    (r"(?:close |old |family )?friend", "friend", "friend", "friend"),
    (r"(?:known |local |suspected )?(?:drugs? dealer|dealer)", "associate", "other", "drug dealer"),
    (r"acquaintance", "associate", "other", "acquaintance"),
    (r"work colleague", "associate", "other", "colleague"),
    (r"lodger|flatmate|housemate", "associate", "other", ""),
]
_NOUN_RE = "|".join(f"(?:{n[0]})" for n in _NOUNS)
_ANCHOR_RE = r"(?:the\s+)?[A-Za-z][\w-]*(?:'s)?"
_INDEF = re.compile(rf"\b(?<!such as )(an?)\s+((?:{_NOUN_RE}))(?:\s+of\s+({_ANCHOR_RE}))?\b(?![\w-])", re.I)
_DEF_PARTNER = re.compile(r"\b(the|a|his|her)\s+(ex-partner|ex partner|previous partner|former partner)\b(?!\s+(?:of|who|and father)\b)", re.I)
_COMPLAINANT = re.compile(r"\bthe\s+complainant\b", re.I)
_SUPPLIER = re.compile(r"\b(?:the\s+)?(?:alleged\s+|suspected\s+)?supplier\s+of\s+the\s+(?:weapon|gun|shotgun|firearm|knife|drugs)\b", re.I)
_UNBORN = re.compile(r"\b(?:the|an|her)\s+unborn\s+(?:child|baby|sibling)\b", re.I)
_NUMBERED = re.compile(r"\b(his|her|their)?\s*(two|three|four)\s+(?:(?:older|younger|elder)\s+)?(siblings|brothers|sisters)\b", re.I)
_ABUSE = re.compile(r"\b(assault\w*|attack\w*|injur\w*|threat\w*|harass\w*|hit|punch\w*|stabb\w*|violen\w*)\b", re.I)
_NUMBERS = {"two": 2, "three": 3, "four": 4}
_GENERIC = re.compile(r"\b(should|could|would|may|might|must|any|every)\b", re.I)


def _blocks(ctx: Context):
    for b in ctx.doc.blocks:
        if b.kind in ("table_row", "heading") or ctx.in_process_section(b):
            continue
        yield b


def _sentences(text: str) -> list[str]:
    return sentences(text)


class _Finder:
    """Who a piece of text names, by any name or alias of the persons known so far."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        # each pattern with what it cannot match without: (names as written, None) for the case-sensitive
        # labels, (None, names lowercased) for the phrases, (None, None) to search always (non-ASCII names)
        self.patterns: list[tuple[re.Pattern, PersonRec, tuple | None, tuple | None]] = []
        for p in ctx.persons:
            names = [x for x in [p.name, p.id, *p.aliases] if x and not x.lower().startswith(("her ", "his ", "their "))]
            exact_names = [n for n in names if re.fullmatch(r"[A-Z0-9]{1,4}", n)]
            loose_names = [n for n in names if not re.fullmatch(r"[A-Z0-9]{1,4}", n) and len(n) > 1]
            exact = [re.escape(n) for n in exact_names]
            loose = [re.escape(n) for n in loose_names]
            if exact:
                self.patterns.append((re.compile(r"(?<![\w'])(?:" + "|".join(exact) + r")(?![\w])"), p,
                                      tuple(exact_names), None))
            if loose:
                lowered = tuple(n.lower() for n in loose_names) if all(n.isascii() for n in loose_names) else None
                self.patterns.append((re.compile(r"(?<![\w'])(?:" + "|".join(loose) + r")(?![\w])", re.I), p,
                                      None, lowered))

    def named(self, text: str) -> list[tuple[int, PersonRec]]:
        out = {}
        lowered = text.lower() if not exotic(text) else None
        for pat, p, as_written, in_lower in self.patterns:
            if as_written is not None and not any(n in text for n in as_written):
                continue  # none of the labels: no match
            if in_lower is not None and lowered is not None and not any(n in lowered for n in in_lower):
                continue  # none of the names in any case: no match
            m = pat.search(text)
            if m and (p.id not in out or m.start() < out[p.id][0]):
                out[p.id] = (m.start(), p)
        return sorted(out.values(), key=lambda x: x[0])


def _role(ctx: Context, role: str) -> PersonRec | None:
    return next((p for p in ctx.persons if role in p.roles), None)


def _anchor(ctx: Context, finder: _Finder, text: str) -> PersonRec | None:
    if not text:
        return None
    t = re.sub(r"'s$", "", text.strip())
    bare = re.sub(r"^the\s+", "", t, flags=re.I).lower()
    if bare in ("victim", "deceased"):
        return _role(ctx, "victim")
    if bare in ("perpetrator", "offender"):
        return _role(ctx, "perpetrator")
    for p in ctx.persons:
        if norm(t) in {norm(x) for x in [p.id, p.name, *p.aliases]}:
            return p
    return None


def _subject(ctx: Context, finder: _Finder, sentence: str, before: int) -> PersonRec | None:
    """The person a sentence is about: the first named before ``before``, else "she"/"he" as the victim/perpetrator."""
    named = [p for at, p in finder.named(sentence) if at < before]
    if named:
        return named[0]
    m = re.search(r"\b(she|he|her|his)\b", sentence[:before], re.I)
    if m:
        sex = "female" if m.group(1).lower() in ("she", "her") else "male"
        for role in ("victim", "perpetrator"):
            p = _role(ctx, role)
            if p is not None and p.sex == sex:
                return p
    return None


def _new(ctx: Context, name: str, pid: str, role: str, ref: str | None) -> PersonRec:

    taken = {p.id for p in ctx.persons}
    p = PersonRec(id=ctx.new_id(slug(pid), taken), name=name)
    p.uncertain = f"named only as '{name}'; check who this is and that it is one person"
    p.add_source(ref)
    p.add_role(role)
    p.mentions = 1
    ctx.persons.append(p)
    return p


def extract_role_persons(ctx: Context) -> None:
    finder = _Finder(ctx)
    blocks = [b for b in _blocks(ctx) if finder.named(b.text) or re.search(r"\b(she|he)\b", b.text, re.I)]
    _partners(ctx, finder, blocks)
    finder = _Finder(ctx)
    _indefinite(ctx, finder, blocks)
    _definite_others(ctx, finder, blocks)
    _unborn(ctx, finder, blocks)
    _numbered(ctx, finder, blocks)


def _partners(ctx: Context, finder: _Finder, blocks) -> None:
    """"the ex-partner" of the perpetrator (or victim), when the report also names that person in the same sentence."""
    perp, victim = _role(ctx, "perpetrator"), _role(ctx, "victim")
    if perp is None:
        return
    known = {norm(x) for p in ctx.persons for x in [p.name, *p.aliases]}
    phrases: Counter = Counter()
    beside: Counter = Counter()
    beside_victim: Counter = Counter()
    refs: list[str] = []
    for b in blocks:
        for sent in _sentences(b.text):
            found = list(_DEF_PARTNER.finditer(sent))
            if not found:
                continue
            named = {p.id for _, p in finder.named(sent)}
            for m in found:
                det = m.group(1).lower()
                phrase = m.group(0)
                after = sent[m.end():m.end() + 4]
                if after.strip().startswith("("):
                    continue  # "the former partner (PFP)": a label, read elsewhere
                if det in ("his", "her"):
                    sex = "male" if det == "his" else "female"
                    if perp.sex != sex:
                        continue
                phrases[phrase.lower()] += 1
                if det == "the" and perp.id in named:
                    beside[phrase.lower()] += 1
                if det == "the" and victim is not None and victim.id in named:
                    beside_victim[phrase.lower()] += 1
                if b.ref and b.ref not in refs:
                    refs.append(b.ref)
    definite = [ph for ph in phrases if ph.startswith("the ") and phrases[ph] >= 2 and beside[ph] >= 1
                and norm(ph) not in known]
    if not definite:
        return
    # a former partner the facts already give the perpetrator (other than the victim) is that person
    others = [f for f in ctx.facts if f.type == "partner" and f.status == "former" and perp.id in (f.a, f.b)
              and (victim is None or victim.id not in (f.a, f.b))]
    if others:
        return
    main = max(definite, key=lambda ph: phrases[ph])
    victim_is_former = victim is not None and any(
        f.type == "partner" and f.status == "former" and {f.a, f.b} == {victim.id, perp.id} for f in ctx.facts)
    if victim_is_former and not beside_victim[main]:
        return  # "the ex-partner" may be the victim herself
    p = _new(ctx, main, main.removeprefix("the "), "other", refs[0] if refs else None)
    for r in refs[1:]:
        p.add_source(r)
    for ph in phrases:
        p.add_alias(ph)
    if perp.sex in ("male", "female") and victim is not None and victim.sex:
        p.sex = victim.sex  # the perpetrator's earlier partner, of the victim's sex
    ctx.facts.append(Fact("partner", p.id, perp.id, p.sources[0] if p.sources else None, status="former"))
    _partner_child(ctx, p, perp, blocks)


def _partner_child(ctx: Context, partner: PersonRec, perp: PersonRec, blocks) -> None:
    """"the ex-partner and child were terrified": a child of that couple."""
    names = "|".join(re.escape(x) for x in sorted({partner.name, *partner.aliases}, key=len, reverse=True))
    pattern = re.compile(rf"\b(?:{names})\s+and\s+(?:the\s+|her\s+|their\s+)?(child|baby)\b(?!ren)", re.I)
    child = None
    for b in blocks:
        for sent in _sentences(b.text):
            for m in pattern.finditer(sent):
                if child is None:
                    child = _new(ctx, f"the child of {perp.name} and {partner.name}", f"{partner.id}-child", "child", b.ref)
                    ctx.facts.append(Fact("parent", perp.id, child.id, b.ref))
                    ctx.facts.append(Fact("parent", partner.id, child.id, b.ref))
                else:
                    child.add_source(b.ref)
                    child.mentions += 1
                if re.search(r"\b(terrif\w*|frighten\w*|scared)\b", sent, re.I) or _ABUSE.search(sent):
                    _abused(ctx, child, sent, b.ref)


def _indefinite(ctx: Context, finder: _Finder, blocks) -> None:
    """"a friend", "an extended family member of the perpetrator", "a known drug dealer"."""
    made: dict[tuple[str, str], PersonRec] = {}
    for b in blocks:
        for sent in _sentences(b.text):
            for m in _INDEF.finditer(sent):
                noun = m.group(2).lower()
                spec = next(n for n in _NOUNS if re.fullmatch(n[0], noun, re.I))
                rel, role, label = spec[1], spec[2], spec[3] or re.sub(r"^(extended|wider) ", r"\1 ", noun)
                anchor_text = m.group(3)
                anchor = _anchor(ctx, finder, anchor_text) if anchor_text else None
                if anchor_text and anchor is None:
                    continue  # "a friend of the family", "a relative of hers": not someone we can place
                if _GENERIC.search(sent[:m.start()][-40:]):
                    continue  # "victims may disclose to a friend"
                if re.search(r"(?<!who )\b(?:as|was|is|were|been|being|become|became)\s+$", sent[:m.start()], re.I):
                    continue  # "J was well established as a dealer": what a known person was
                key_noun = re.sub(r"^(?:close |old |known |local |suspected |work |family (?=friend))", "", noun)
                key = (key_noun, anchor.id if anchor else "")
                p = made.get(key)
                phrase = sent[m.start():m.end()]
                name = re.sub(r"'s$", "", phrase)
                name = name[0].lower() + name[1:]
                if p is None:
                    pid = key_noun + (f"-of-{anchor.id}" if anchor else "")
                    p = _new(ctx, name, pid, role, b.ref)
                    made[key] = p
                    other = anchor
                    if other is None and rel in ("friend", "associate"):
                        other = _subject(ctx, finder, sent, m.start()) or _subject(ctx, finder, b.text, len(b.text))
                    if other is not None and other is not p:
                        if rel == "relative":
                            ctx.facts.append(Fact("relative", p.id, other.id, b.ref, label=label))
                        elif rel == "friend":
                            ctx.facts.append(Fact("friend", other.id, p.id, b.ref))
                        else:
                            ctx.facts.append(Fact("associate", other.id, p.id, b.ref, label=label))
                else:
                    p.add_source(b.ref)
                    p.mentions += 1
                    p.add_alias(name)
                _abused(ctx, p, sent, b.ref)


def _abused(ctx: Context, p: PersonRec, sent: str, ref: str | None) -> None:
    """A person introduced in a sentence about an assault or threat is someone the perpetrator abused."""
    perp = _role(ctx, "perpetrator")
    if perp is None or p is perp or not _ABUSE.search(sent) or p.roles == ["friend"]:
        return
    if not any(f.type == "abuse" and f.a == perp.id and f.b == p.id for f in ctx.facts):
        ctx.facts.append(Fact("abuse", perp.id, p.id, ref, kinds=sorted(_kinds(sent))))


def _kinds(sent: str) -> set[str]:
    return abuse_kinds_in(sent) or {"physical"}


def _definite_others(ctx: Context, finder: _Finder, blocks) -> None:
    """"the complainant" (used twice or more), "the alleged supplier of the weapon"."""
    perp = _role(ctx, "perpetrator")
    hits: dict[str, list] = {}
    for b in blocks:
        for pattern in (_COMPLAINANT, _SUPPLIER):
            for m in pattern.finditer(b.text):
                hits.setdefault(pattern.pattern, []).append((b, m.group(0)))
    victim = _role(ctx, "victim")
    for pattern, found in hits.items():
        if pattern == _COMPLAINANT.pattern and len(found) < 2:
            continue
        if pattern == _COMPLAINANT.pattern and victim is not None and any(
                re.search(r"\b(?:was|as|is)\s+the\s+complainant\b|\bthe\s+complainant\s*[,(]", b.text, re.I)
                and finder.named(b.text) and victim in [p for _, p in finder.named(b.text)] for b, _ in found):
            continue  # police wording for the victim herself: "the victim was the complainant"
        phrase = found[0][1]
        phrase = phrase[0].lower() + phrase[1:]
        if any(norm(phrase) in {norm(x) for x in [q.name, *q.aliases]} for q in ctx.persons):
            continue
        p = _new(ctx, phrase if phrase.lower().startswith("the ") else "the " + phrase,
                 "complainant" if pattern == _COMPLAINANT.pattern else "supplier", "other", found[0][0].ref)
        for b, text in found[1:]:
            p.add_source(b.ref)
            p.add_alias(text[0].lower() + text[1:])
        if pattern == _SUPPLIER.pattern and perp is not None:
            ctx.facts.append(Fact("associate", perp.id, p.id, found[0][0].ref, label="supplier"))


def _pregnant(ctx: Context, finder: _Finder, text: str, at: int) -> PersonRec | None:
    """Who "was pregnant" in the sentence that ends at ``at``: the last woman named before it in the paragraph."""
    sent_start = max(text.rfind(". ", 0, at), 0)
    if not re.search(r"\bpregnan", text[sent_start:at + 40], re.I):
        return None
    perp = _role(ctx, "perpetrator")
    women = [p for pos, p in _all_named(finder, text[:at]) if p.sex == "female" and p is not perp]
    return women[-1] if women else None


def _all_named(finder: _Finder, text: str) -> list[tuple[int, PersonRec]]:
    out = []
    for pat, p, _, _ in finder.patterns:
        out += [(m.start(), p) for m in pat.finditer(text)]
    return sorted(out, key=lambda x: x[0])


def _unborn(ctx: Context, finder: _Finder, blocks) -> None:
    """The unborn child the report speaks of: of the woman said to be pregnant, when she has none yet."""
    victim = _role(ctx, "victim")
    for b in blocks:
        for m in _UNBORN.finditer(b.text):
            mother = _pregnant(ctx, finder, b.text, m.start())
            if mother is None or mother is victim:
                continue
            if any(f.type == "parent" and f.a == mother.id and (ctx.person(f.b) or PersonRec("", "")).unborn
                   for f in ctx.facts):
                continue
            p = _new(ctx, f"{mother.name}'s unborn child", f"{mother.id}-unborn", "child", b.ref)
            p.unborn = True
            p.add_alias(m.group(0)[0].lower() + m.group(0)[1:])
            ctx.facts.append(Fact("parent", mother.id, p.id, b.ref))
    if any(p.unborn for p in ctx.persons):
        return
    found = [(b, m.group(0)) for b in blocks for m in _UNBORN.finditer(b.text)]
    if not found:
        return
    victim = _role(ctx, "victim")
    p = _new(ctx, "the unborn child", "unborn-child", "child", found[0][0].ref)
    p.unborn = True
    for b, text in found:
        p.add_source(b.ref)
        p.add_alias(text[0].lower() + text[1:])
    if victim is None or victim.sex == "male":
        return
    ctx.facts.append(Fact("parent", victim.id, p.id, found[0][0].ref))
    # the father: the other parent of all the victim's children, where there is just one
    children = {f.b for f in ctx.facts if f.type == "parent" and f.a == victim.id and f.b != p.id}
    others = {f.a for f in ctx.facts if f.type == "parent" and f.b in children and f.a != victim.id}
    if children and len(others) == 1:
        father = others.pop()
        if all(any(f.type == "parent" and f.a == father and f.b == c for f in ctx.facts) for c in children):
            ctx.facts.append(Fact("parent", father, p.id, found[0][0].ref))


def _numbered(ctx: Context, finder: _Finder, blocks) -> None:
    """"two siblings being injured by the perpetrator": that many relatives of the one person named."""

    for b in blocks:
        for sent in _sentences(b.text):
            for m in _NUMBERED.finditer(sent):
                n = _NUMBERS[m.group(2).lower()]
                named = finder.named(sent)
                people = list(dict.fromkeys(p.id for _, p in named))
                if m.group(1):
                    sex = "female" if m.group(1).lower() == "her" else "male" if m.group(1).lower() == "his" else None
                    anchor = _subject(ctx, finder, sent, m.start()) if sex else None
                    if anchor is not None and anchor.sex != sex:
                        anchor = None
                elif len(people) == 1:
                    anchor = ctx.person(people[0])
                else:
                    anchor = None
                if anchor is None:
                    continue
                plural = m.group(3).lower()
                kin = {"siblings": "sibling", "brothers": "brother", "sisters": "sister"}[plural]
                if len(kin_of(ctx, anchor, kin)) >= n:
                    continue
                phrase = m.group(0).strip()
                made = []
                for i in range(n):
                    q = _new(ctx, f"{anchor.name}'s {kin}", f"{anchor.id}-{kin}-{i + 1}", "family", b.ref)
                    q.add_alias(phrase.lower() if not m.group(1) else phrase)
                    if kin != "sibling":
                        q.sex = "male" if kin == "brother" else "female"
                    ctx.facts.append(Fact("sibling", anchor.id, q.id, b.ref))
                    made.append(q)
                for i, x in enumerate(made):
                    for y in made[i + 1:]:
                        ctx.facts.append(Fact("sibling", x.id, y.id, b.ref))
                for q in made:
                    _abused(ctx, q, sent, b.ref)
