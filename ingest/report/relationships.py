"""Relationships: the facts the person extractor collected, completed and de-duplicated.

- parent, sibling, partner, relative, friend and associate facts from key
  tables and kin phrases, one record per pair (sources merged);
- siblings inferred from a shared parent (``full`` when they share two parents,
  ``half`` when one is shared and the other parents differ);
- the victim and the perpetrator: abuse from the perpetrator to the victim
  (a domestic homicide), with the kinds the text describes;
- abuse of others: a sentence that names the perpetrator and another person
  together with an assault or threat word ("J was arrested for an assault on
  his uncle").
"""

from __future__ import annotations

import re
from collections import defaultdict

from .prefilter import exotic
from .context import Context, Fact, PersonRec
from .sentences import sentences
from .vocab import abuse_kinds_in

_DIRECTED = {"parent", "relative", "carer", "abuse"}
_ABUSE_WORDS = re.compile(
    r"\b(assault\w*|attack\w*|hit|punch\w*|kick\w*|strangl\w*|stabb\w*|threat\w*|harass\w*|abus\w*|violen\w*|"
    r"intimidat\w*|injur\w*|shot|killed|murder\w*)\b", re.I)


def _key(f: Fact) -> tuple:
    if f.type in _DIRECTED:
        return (f.type, f.a, f.b)
    return (f.type, *sorted((f.a, f.b)))


def _merge_source(a: str | None, b: str | None) -> str | None:
    refs = []
    for s in (a, b):
        for r in (s or "").split(", "):
            if r and r not in refs:
                refs.append(r)
    return ", ".join(refs) or None


def extract_relationships(ctx: Context) -> list[dict]:
    facts = list(ctx.facts)
    facts += _infer_siblings(ctx, facts)
    facts += _infer_coparents(ctx, facts)
    facts += _abuse(ctx)
    facts += _friends(ctx)
    merged: dict[tuple, Fact] = {}
    for f in facts:
        if f.a == f.b or ctx.person(f.a) is None or ctx.person(f.b) is None:
            continue
        k = _key(f)
        if k in merged:
            m = merged[k]
            m.source = _merge_source(m.source, f.source)
            m.kind = m.kind or f.kind
            m.status = m.status or f.status
            m.label = m.label or f.label
            m.kinds = sorted(set(m.kinds) | set(f.kinds))
        else:
            merged[k] = Fact(f.type, f.a, f.b, f.source, f.kind, f.status, f.label, list(f.kinds))
    # a parent fact in both directions is a contradiction: keep the first
    out = []
    seen_parent = set()
    for f in merged.values():
        if f.type == "parent":
            if (f.b, f.a) in seen_parent:
                continue
            seen_parent.add((f.a, f.b))
        out.append(_record(f))
    return out


def _record(f: Fact) -> dict:
    rec: dict = {"type": f.type, "from": f.a, "to": f.b}
    if f.type == "parent" and f.kind in ("step", "adoptive", "foster"):
        rec["kind"] = f.kind
    if f.type == "sibling" and f.kind in ("full", "half", "step"):
        rec["kind"] = f.kind
    if f.type == "partner":
        if f.status:
            rec["status"] = f.status
        if f.kind in ("married", "dating", "cohabiting", "civil_partnership"):
            rec["kind"] = f.kind
    if f.type in ("relative", "associate") and f.label:
        rec["label"] = f.label
    if f.type == "abuse" and f.kinds:
        rec["kinds"] = f.kinds
    if f.source:
        rec["source"] = f.source
    return rec


def _infer_siblings(ctx: Context, facts: list[Fact]) -> list[Fact]:
    parents: dict[str, set[str]] = defaultdict(set)
    src: dict[str, str | None] = {}
    for f in facts:
        if f.type == "parent" and f.kind != "step":
            parents[f.b].add(f.a)
            src.setdefault(f.b, f.source)
    out = []
    children = sorted(parents)
    for i, x in enumerate(children):
        for y in children[i + 1:]:
            shared = parents[x] & parents[y]
            if not shared:
                continue
            if parents[x] == parents[y] and len(shared) >= 2:
                kind = "full"
            elif parents[x] - shared and parents[y] - shared:
                # half siblings through their mother (who usually grow up together); not through a
                # father's other relationships, nor an unborn child: reports rarely count those
                px, py = ctx.person(x), ctx.person(y)
                mothers = [ctx.person(a) for a in shared]
                if not any(m is not None and m.sex == "female" for m in mothers) or (px and px.unborn) or (py and py.unborn):
                    continue
                kind = "half"
            else:
                px, py = ctx.person(x), ctx.person(y)
                if (px and px.unborn) or (py and py.unborn):
                    continue  # the father of an unborn child unknown: maybe not a sibling at all
                kind = None
            out.append(Fact("sibling", x, y, _merge_source(src.get(x), src.get(y)), kind=kind))
    return out


def _infer_coparents(ctx: Context, facts: list[Fact]) -> list[Fact]:
    """The two parents of a child are (or were) partners, when nothing else relates them."""
    parents: dict[str, set[str]] = defaultdict(set)
    src: dict[str, str | None] = {}
    for f in facts:
        if f.type == "parent" and f.kind not in ("step", "adoptive", "foster"):
            parents[f.b].add(f.a)
            src.setdefault(f.b, f.source)
    related = {frozenset((f.a, f.b)) for f in facts if f.type in ("partner", "parent", "sibling", "relative")}
    out, seen = [], set()
    for child, ps in parents.items():
        if len(ps) != 2:
            continue
        pair = frozenset(ps)
        if pair in related or pair in seen:
            continue
        seen.add(pair)
        a, b = sorted(ps)
        if all("'s " in (ctx.person(x).name if ctx.person(x) else "'s ") for x in (a, b)):
            continue  # "his father", "his mother": the report says no more of them than that
        out.append(Fact("partner", a, b, src.get(child)))
    return out


def _abuse(ctx: Context) -> list[Fact]:
    perp = next((p for p in ctx.persons if "perpetrator" in p.roles), None)
    victim = next((p for p in ctx.persons if "victim" in p.roles), None)
    if perp is None:
        return []
    out = []
    if victim is not None and victim is not perp:
        kinds = {"physical"}
        refs: list[str] = []
        for b in ctx.doc.blocks:
            if b.kind == "table_row":
                continue
            if _mentions(b.text, perp) and _mentions(b.text, victim):
                kinds |= abuse_kinds_in(b.text)
        out.append(Fact("abuse", perp.id, victim.id, None, kinds=sorted(kinds)))
    # others the perpetrator assaulted or threatened
    others = [p for p in ctx.persons if p is not perp and p is not victim]
    for b in ctx.doc.blocks:
        if b.kind == "table_row" or not _ABUSE_WORDS.search(b.text):
            continue
        for sent in sentences(b.text):
            words = list(_ABUSE_WORDS.finditer(sent))
            if not words or not _mentions(sent, perp):
                continue
            kinds = sorted(abuse_kinds_in(sent) or {"physical"})
            hits: dict[tuple[int, int], list[PersonRec]] = defaultdict(list)
            for p in others:
                for at, end in _mention_spans(sent, p):
                    if any(at > m.start() and at - m.end() < 40 and not _CLAUSE.search(sent[m.end():at]) for m in words) \
                            or _passive_by(sent, end, perp):
                        hits[(at, end)].append(p)
            for (at, end), people in hits.items():
                if len(people) > 1:
                    # "her mother": the relative of the person the sentence names
                    people = [p for p in people if _anchored_in(ctx, p, sent)]
                if len(people) == 1:
                    out.append(Fact("abuse", perp.id, people[0].id, b.ref, kinds=kinds))
            out += _children_abused(ctx, perp, victim, sent, b.ref)
    return out


#: a new clause between an assault word and a name: "assaulted Sarah at home while Jack was present"
_CLAUSE = re.compile(r"\b(?:while|whilst|when|as|because|after|before|who|which|where|but)\b", re.I)
_CHILDREN_TOO = re.compile(r"\b(?:and|including)\s+(?:the|her|their|his)\s+(?:\w+\s+)?children\b", re.I)
_CP_EMOTIONAL = re.compile(r"\bchild protection plans?\b.{0,120}\bemotional abuse\b|\bemotional abuse\b.{0,80}\bchild protection plans?\b", re.I)


def _children_abused(ctx: Context, perp: PersonRec, victim: PersonRec | None, sent: str, ref: str | None) -> list[Fact]:
    """Children the perpetrator harmed: "abusive towards her and the children"; children on a child
    protection plan for emotional abuse because of the domestic abuse of their mother."""
    mother = None
    kinds = ["emotional"]
    if _CP_EMOTIONAL.search(sent) and re.search(r"\bchildren\b", sent, re.I) and victim is not None:
        mother = victim
    elif _CHILDREN_TOO.search(sent):
        words = [m.start() for m in _ABUSE_WORDS.finditer(sent)]
        c = _CHILDREN_TOO.search(sent).start()
        if not any(w < c for w in words):
            return []
        named = sorted((at, p) for p in ctx.persons if p is not perp
                       for at in [_mention_at(sent, p)] if at is not None and at < c)
        mothers = [p for _, p in named if any(f.type == "parent" and f.a == p.id for f in ctx.facts)]
        mother = mothers[-1] if mothers else None
    if mother is None:
        return []
    children = [ctx.person(f.b) for f in ctx.facts if f.type == "parent" and f.a == mother.id]
    return [Fact("abuse", perp.id, c.id, ref, kinds=kinds) for c in children
            if c is not None and c is not perp and not c.unborn and (c.age is None or c.age < 18)]


_FRIENDS = re.compile(r"\b(?:known each other\b[^.;]{0,40}?\bas|were|became|been)\s+(?:(?:casual|close|good|old|long-standing)\s+)?friends\b", re.I)


def _friends(ctx: Context) -> list[Fact]:
    """"The Victim and the Perpetrator had known each other for some time as casual friends"."""
    out = []
    for b in ctx.doc.blocks:
        if b.kind == "table_row" or "friends" not in b.text.lower():
            continue
        for sent in sentences(b.text):
            m = _FRIENDS.search(sent)
            if not m:
                continue
            spans = sorted((at, end, p) for p in ctx.persons for at, end in _mention_spans(sent[:m.start()], p))
            for (a0, a1, x), (b0, b1, y) in zip(spans, spans[1:]):
                if x is not y and re.fullmatch(r"\s+and\s+", sent[a1:b0]):
                    out.append(Fact("friend", x.id, y.id, b.ref))
                    break
    return out


def _passive_by(sent: str, end: int, perp: PersonRec) -> bool:
    """"two siblings being injured by the perpetrator"."""
    m = re.match(r"\s+(?:\w+\s+){0,2}?(?:were|was|being|been)\s+(?:\w+\s+)?(\w+)\s+by\s+", sent[end:])
    if not m or not _ABUSE_WORDS.fullmatch(m.group(1)):
        return False
    return _mention_at(sent[end + m.end():][:40], perp) == 0


def _anchored_in(ctx: Context, p: PersonRec, sent: str) -> bool:
    """Whether someone the facts relate ``p`` to is named in the sentence by a name of their own."""
    for f in ctx.facts:
        if f.type in ("parent", "sibling", "partner", "relative") and p.id in (f.a, f.b):
            q = ctx.person(f.b if f.a == p.id else f.a)
            if q is not None and any(re.search(r"(?<![\w'])" + re.escape(n) + r"(?![\w])", sent)
                                     for n in [q.id, q.name] if n and not n.lower().startswith("the ")):
                return True
    return False


def _mention_spans(text: str, p: PersonRec) -> list[tuple[int, int]]:
    out = []
    for k, pattern in enumerate(_person_patterns(p)):
        if pattern is not None and _may_name(text, p, k):
            out += [(m.start(), m.end()) for m in pattern.finditer(text)]
    return out


def _names(p: PersonRec) -> list[str]:
    return [x for x in [p.name, p.id, *p.aliases] if x and len(x) > 0]


def _mentions(text: str, p: PersonRec) -> bool:
    return _mention_at(text, p) is not None


_PATTERNS: dict[tuple, tuple[re.Pattern | None, re.Pattern | None]] = {}


def _person_patterns(p: PersonRec) -> tuple[re.Pattern | None, re.Pattern | None]:
    """Two regexes per person (case-sensitive short labels, case-insensitive phrases), cached by names."""
    names = tuple(_names(p))
    cached = _PATTERNS.get(names)
    if cached is not None:
        return cached
    exact, loose = [], []
    for n in names:
        if n.lower().startswith(("her ", "his ", "their ", "the ")):
            pattern = re.escape(n)
        else:
            pattern = r"(?<![\w'])" + re.escape(n) + r"(?![\w])"
        (exact if re.fullmatch(r"[A-Z0-9]{1,4}", n) else loose).append(pattern)
    out = (re.compile("|".join(exact)) if exact else None, re.compile("|".join(loose), re.I) if loose else None)
    _PATTERNS[names] = out
    return out


_NEEDLES: dict[tuple, tuple[tuple[str, ...], tuple[str, ...] | None]] = {}


def _person_needles(p: PersonRec) -> tuple[tuple[str, ...], tuple[str, ...] | None]:
    """What the two patterns of _person_patterns cannot match without: one of the short labels as
    written, one of the phrases lowercased (None: a non-ASCII phrase, always searched)."""
    names = tuple(_names(p))
    cached = _NEEDLES.get(names)
    if cached is None:
        exact = tuple(n for n in names if re.fullmatch(r"[A-Z0-9]{1,4}", n))
        loose = [n for n in names if not re.fullmatch(r"[A-Z0-9]{1,4}", n)]
        cached = _NEEDLES[names] = (exact, tuple(n.lower() for n in loose) if all(n.isascii() for n in loose) else None)
    return cached


_LOWERED: list[str] = ["", "", ""]   # the last text, its .lower(), and "x" if it holds characters that fold to ASCII


def _lowered(text: str) -> tuple[str, bool]:
    if _LOWERED[0] is not text:
        _LOWERED[:] = [text, text.lower(), "x" if exotic(text) else ""]
    return _LOWERED[1], bool(_LOWERED[2])


def _may_name(text: str, p: PersonRec, k: int) -> bool:
    """False when pattern k of _person_patterns(p) cannot match the text (none of its names is in it)."""
    exact_needles, loose_needles = _person_needles(p)
    if k == 0:
        return any(n in text for n in exact_needles)  # the case-sensitive labels, as written
    lowered, odd = _lowered(text)
    return loose_needles is None or odd or any(n in lowered for n in loose_needles)


def _mention_at(text: str, p: PersonRec) -> int | None:
    best = None
    for k, pattern in enumerate(_person_patterns(p)):
        if pattern is None or not _may_name(text, p, k):
            continue
        m = pattern.search(text)
        if m and (best is None or m.start() < best):
            best = m.start()
    return best
