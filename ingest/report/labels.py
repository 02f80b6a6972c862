"""Persons the report names by an anonymising label or an introduced pseudonym.

- Labels: "Adult A", "Child 1", "Mr X", "Ms Y", "Person B", "Male 1" -- a
  title or role word and a letter or number, used at least twice.
- Introductions: "the victim, referred to in this report as Sarah", "her
  husband, known as Mark for the purposes of this review", "her brother
  (referred to as Tom)", "the victim (Sarah)", "given the pseudonym 'Jo'".
  The name is a person; the phrase before it is an alias, and says who they
  are (the victim, the perpetrator, a relative of someone already known).
"""

from __future__ import annotations

import re
from collections import Counter

from .context import Context, Fact, PersonRec
from .forenames import forenames
from .kinfacts import add_kin_fact, kin_of
from .rules import load_rules, note_hit
from .sections import in_reference_list
from .vocab import KIN, PRONOUN_SEX

_TITLE_SEX = {"mr": "male", "mrs": "female", "ms": "female", "miss": "female", "male": "male", "female": "female"}

_KIN_WORDS = sorted(KIN, key=len, reverse=True)
_KIN_RE = "|".join(re.escape(k) for k in _KIN_WORDS)
_LABEL_WORDS = ("Adult|Child|Baby|Person|Mr|Mrs|Ms|Miss|Male|Female|Subject|Sibling|Relative|Friend|Neighbour|Witness|"
                "Family [Mm]ember|Colleague|Son|Daughter|Brother|Sister|Partner|Ex-partner|Former Partner|Associate")
_NAME = rf"(?:(?:{_LABEL_WORDS}) (?:[A-Z]{{1,2}}\d?|\d{{1,2}})\b|[A-Z][a-z]+(?:-[A-Z][a-z]+)?|[A-Z]{{1,3}}\d?)"
_WHO = (rf"(?P<who>\b(?:[Tt]he|[Hh]er|[Hh]is|[Tt]heir|[A-Z][\w]*'s)\s+(?:[\w'’-]+\s+){{0,2}}?"
        rf"(?:victim|perpetrator|deceased|alleged perpetrator|{_KIN_RE}))")
_AS = r"(?:referred to|known|called|named|identified|described)\s+(?:in this (?:report|review|document)\s+|throughout(?: this| the)? (?:report|review)\s+|hereafter\s+|here\s+)?as"
_INTROS = [re.compile(p) for p in (
    rf"{_WHO}\s*,?\s*[(]?\s*(?:who\s+)?(?:(?:is|are|will be|has been|was)\s+)?(?:{_AS}|(?:given\s+)?(?:the\s+)?pseudonym(?:\s+of)?)\s+['‘\"“]?(?P<name>{_NAME})\b",
    rf"{_WHO}\s*[(]['‘\"“]?(?P<name>{_NAME})['’\"”]?[)]",
    rf"{_WHO}\s+will\s+be\s+(?:referred to|known)\s+as\s+['‘\"“]?(?P<name>{_NAME})\b",
    rf"(?<![\w'])(?P<name>{_NAME})\s*\((?P<who>(?:[Tt]he\s+)?(?:victim|perpetrator|deceased)|(?:[Hh]er|[Hh]is|[A-Z]\w*'s)\s+(?:[\w'-]+\s+)?(?:{_KIN_RE}))\)",
)]
_LABEL = re.compile(rf"\b({_LABEL_WORDS})\s+([A-Z]{{1,2}}\d?|\d{{1,2}})(?![\w-])(?!\s+[A-Z][a-z])")
_KILLED_BY = re.compile(r"\b(?:killed|murdered|stabbed|strangled|attacked|died at the hands of)\s+by\s*$", re.I)
_NOT_A_NAME = {"The", "This", "In", "On", "At", "A", "An", "It", "He", "She", "They", "We", "I", "His", "Her", "Their",
               "Victim", "Perpetrator", "Police", "Panel", "Chair", "Review", "Report", "Council", "Court"}


def _blocks(ctx: Context):
    for b in ctx.doc.blocks:
        if b.kind in ("heading", "table_row"):
            continue
        if in_reference_list(b):
            continue
        yield b


_NOT_REAL = re.compile(rf"(?<![\w'])(?P<name>{_NAME})\s*\((?:not (?:her|his|their) real name|(?:a )?pseudonym(?: used in this (?:report|review))?)\)")


def _not_real_names(ctx: Context, book) -> None:
    """"Jane (not her real name)", "John (pseudonym)": names the report says it made up."""

    for b in _blocks(ctx):
        for m in _NOT_REAL.finditer(b.text):
            name = m.group("name")
            if name in _NOT_A_NAME:
                continue
            p = book.find(name) or book.add(name, name if re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,5}", name) else None, b.ref)
            p.add_source(b.ref)
            p.mentions += 1
            p.sex = p.sex or forenames().get(name.lower())


def extract_labelled(ctx: Context, book) -> None:
    _not_real_names(ctx, book)
    _labels(ctx, book)
    killed_names(ctx, book)
    homicide_roles(ctx, book)
    _intros(ctx, book)
    homicide_roles(ctx, book)
    children_of(ctx, book)   # before the appositions: "her former husband Adult C" makes him a man
    known = _known_names(ctx)
    _appositions(ctx, book)
    _childrens_parents(ctx, book)
    _their_children(ctx, book)
    if _known_names(ctx) != known:
        # again, with the people just found: "Their daughter, Sioned ... Sioned's son, Tomos"; "had a daughter,
        # Lily, aged 4, whose father is Keith"
        before = _known_names(ctx)
        _appositions(ctx, book)
        if _known_names(ctx) != before:
            _their_children(ctx, book)   # "... with his partner, Chloe. Chloe gave birth to their son, Archie"
    _union_children(ctx, book)
    _couple_paragraphs(ctx, book)
    couples(ctx, book)
    kin_sentences(ctx, book)


def _union_children(ctx: Context, book) -> None:
    """"Kirsty had two sons from her marriage to Darren: Connor, aged 16, and Josh, aged 13": each named child
    is the child of both (a rule of kind ``union_children``, rules/person_intros.yaml)."""
    for b in _blocks(ctx):
        for rule in _intro_rules("union_children"):
            for m in rule.pattern.finditer(b.text):
                owner = book.find(m.group("owner"))
                if owner is None:
                    continue
                note_hit(rule.id)
                kin = {"sons": "son", "daughters": "daughter", "children": "child"}.get(m.group("kin"), m.group("kin"))
                for raw in re.findall(_NAME, m.group("names")):
                    if raw in _NOT_A_NAME or raw.lower() in KIN or raw == m.group("other"):
                        continue
                    p = book.find(raw) or book.add(raw, raw if re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,5}", raw) else None, b.ref)
                    p.add_source(b.ref)
                    p.mentions += 1
                    p.sex = p.sex or forenames().get(raw.lower())
                    if p is not owner and p not in kin_of(ctx, owner, kin):
                        add_kin_fact(ctx, person=p, kin=kin, anchor=owner, ref=b.ref)
                    _other_parent(ctx, book, b.ref, p, owner, m.group("other"))


def _couple_paragraphs(ctx: Context, book) -> None:
    """"Jane and Tom married in 2011. They had three children. Her eldest son ... is called Sam. The younger two
    are twins, Ellie and Grace": after a rule of kind ``couple_count``, the children the paragraph names (a child
    of one of the two, or named after a rule of kind ``twins``) are children of both."""
    counts, twins = _intro_rules("couple_count"), _intro_rules("twins")
    known = _known_names(ctx)
    if not known:
        return
    names_re = "|".join(re.escape(n) for n in known)
    for b in _blocks(ctx):
        hit = next(((r, m) for r in counts for m in [r.pattern.search(b.text)] if m), None)
        if hit is None:
            continue
        rule_id, m = hit[0].id, hit[1]
        couple = _last_two_named(book, b.text[:m.start()], names_re)
        if len(couple) != 2:
            continue
        ids = {q.id for q in couple}
        after = b.text[m.end():]
        kids = [p for p in ctx.persons if p.id not in ids and re.search(r"(?<![\w'])" + re.escape(p.name) + r"(?![\w'])", after)
                and _parents(ctx, p) & ids]
        for rule in twins:
            for t in rule.pattern.finditer(after):
                for raw in re.findall(_NAME, t.group("names")):
                    if raw in _NOT_A_NAME or raw.lower() in KIN:
                        continue
                    p = book.find(raw) or book.add(raw, raw if re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,5}", raw) else None, b.ref)
                    p.add_source(b.ref)
                    p.sex = p.sex or forenames().get(raw.lower())
                    kids.append(p)
        for kid in dict.fromkeys(kids):
            note_hit(rule_id)
            if kid.age is None or kid.age < 18:
                kid.add_role("child")
            for parent in couple:
                if parent.id not in _parents(ctx, kid) and len(_parents(ctx, kid)) < 2:
                    add_kin_fact(ctx, person=kid, kin="child", anchor=parent, ref=b.ref)


def _labels(ctx: Context, book) -> None:
    counts: Counter = Counter()
    first_ref: dict[str, str | None] = {}
    for b in _blocks(ctx):
        for m in _LABEL.finditer(b.text):
            label = f"{m.group(1)} {m.group(2)}"
            counts[label] += 1
            first_ref.setdefault(label, b.ref)
    for label, n in counts.items():
        if n < 2 or book.find(label) is not None:
            continue
        p = book.add(label, None, first_ref[label])
        p.mentions = n
        title = label.split()[0].lower()
        if title in _TITLE_SEX:
            p.sex = p.sex or _TITLE_SEX[title]
        elif title in KIN and KIN[title][1]:
            p.sex = p.sex or KIN[title][1]
        if title in ("friend", "neighbour", "witness", "colleague", "associate"):
            p.add_role("friend" if title == "friend" else "witness" if title == "witness" else "other")
        if title in ("child", "baby"):
            p.add_role("child")


def _intros(ctx: Context, book) -> None:

    for b in _blocks(ctx):
        found = data_intros(b.text)
        if re.search(r"referred to|known as|called|named|identified as|described as|pseudonym|\(", b.text):
            found += [(m, None) for pat in _INTROS for m in pat.finditer(b.text)]
        for m, kin_word in sorted(found, key=lambda x: x[0].start()):
            name = m.group("name")
            if not name or name in _NOT_A_NAME or name.lower() in KIN:
                continue
            who = m.group("who")
            who_l = who.lower() if kin_word is None else f"{who.lower()} {kin_word}"
            p = book.find(name)
            if p is None:
                p = book.add(name, name if re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,5}", name) else None, b.ref)
                p.uncertain = None
            p.add_source(b.ref)
            p.mentions += 1
            if not p.sex:
                p.sex = forenames().get(name.lower()) or _TITLE_SEX.get(name.split()[0].lower())
            role = "victim" if re.search(r"\b(victim|deceased)\b", who_l) else \
                "perpetrator" if "perpetrator" in who_l else None
            if role is None and _KILLED_BY.search(b.text[:m.start()]):
                role = "perpetrator"
            if role:
                holder = book.role(role)
                if holder is None or holder is p:
                    p.add_role(role)
                    p.add_alias(f"the {role}")
                elif holder.name.lower().startswith("the ") and not any(holder.id in (f.a, f.b) for f in ctx.facts):
                    # the generic "the victim" record found earlier is this person
                    p.add_role(role)
                    for a in [holder.name, *holder.aliases]:
                        p.add_alias(a)
                    ctx.persons.remove(holder)
            if not re.match(r"(?i)the\s+(victim|perpetrator|deceased|alleged perpetrator)$", who):
                p.add_alias(who)
            kin = re.search(rf"\b({_KIN_RE})$", who_l)
            if kin is None:
                continue
            kin_word = kin.group(1)
            if KIN[kin_word][1] and not p.sex:
                p.sex = KIN[kin_word][1]
            rel = "parent" if KIN[kin_word][0] in ("child", "parent", "step_parent") else KIN[kin_word][0]
            if who.split()[0].lower() in ("her", "his") and any(f.type == rel and p.id in (f.a, f.b) for f in ctx.facts):
                continue  # "her first child (S3)": placed already; the pronoun may be someone else's
            anchor = _anchor(ctx, book, b.text, m.start(), who)
            if anchor is not None and anchor is not p and p not in kin_of(ctx, anchor, kin_word):
                add_kin_fact(ctx, person=p, kin=kin_word, anchor=anchor, ref=b.ref)


def _childrens_parents(ctx: Context, book) -> None:
    """"The children's father, Jordan, lives in Dereham": a relative of each child of the victim (after the
    children are known), named by a rule of kind ``childrens_parent`` (rules/person_intros.yaml)."""
    victim = book.role("victim")
    if victim is None:
        return
    kids = [p for p in dict.fromkeys(ctx.person(f.b) for f in ctx.facts if f.type == "parent" and f.a == victim.id)
            if p is not None]
    for b in _blocks(ctx):
        for rule in _intro_rules("childrens_parent"):
            for m in rule.pattern.finditer(b.text):
                kin_word = m.group("who").split()[-1].lower()
                name = m.group("name")
                if not kids or kin_word not in KIN or name in _NOT_A_NAME or name.lower() in KIN:
                    continue
                note_hit(rule.id)
                p = book.find(name) or book.add(name, name if re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,5}", name) else None, b.ref)
                p.add_source(b.ref)
                p.sex = p.sex or KIN[kin_word][1] or forenames().get(name.lower())
                for kid in kids:
                    if kid is not p and p not in kin_of(ctx, kid, kin_word):
                        add_kin_fact(ctx, person=p, kin=kin_word, anchor=kid, ref=b.ref)


def _intro_rules(kind: str):
    return [r for r in load_rules("person_intros").active() if r.assigns.get("kind") == kind]


def data_intros(text: str) -> list[tuple[re.Match, str | None]]:
    """The pseudonym introductions of rules/person_intros.yaml in the text: (match, the kin word a rule assigns).
    A match whose kin phrase names no kin word or role ("The officer is called Smith") is not one."""
    out = []
    for rule in _intro_rules("pseudonym"):
        for m in rule.pattern.finditer(text):
            kin_word = rule.assigns.get("kin")
            if kin_word is None and not re.search(rf"\b(?:{_KIN_RE}|victim|perpetrator|deceased)$", m.group("who").lower()):
                continue
            note_hit(rule.id)
            out.append((m, kin_word))
    return out


def _anchor(ctx: Context, book, text: str, at: int, who: str) -> PersonRec | None:
    """Whose relative the phrase names: "Sarah's mother", or "her"/"his" as the last person of that sex named."""
    first = who.split()[0]
    owner = re.search(r"([\w]+)'s\b", who)
    if owner:
        word = owner.group(1)
        if word.lower() in ("victim", "deceased", "perpetrator"):
            return book.role("perpetrator" if word.lower() == "perpetrator" else "victim")
        return book.find(word) or book.find("the " + word)
    sex = PRONOUN_SEX.get(first.lower())
    if sex is None:
        return None
    best = None
    for p in ctx.persons:
        if p.sex != sex:
            continue
        for n in [p.name, *p.aliases]:
            if not n or n.lower().startswith(("her ", "his ", "their ")):
                continue
            flags = 0 if len(n) <= 4 else re.I
            hits = [m.start() for m in re.finditer(r"(?<![\w'])" + re.escape(n) + r"(?![\w])", text[:at], flags)]
            if hits and (best is None or hits[-1] > best[0]):
                best = (hits[-1], p)
    if best is not None:
        return best[1]
    victim = book.role("victim")
    named = _named_unsexed(ctx, text, at)
    if named and (victim is None or victim not in named):
        return named[0]
    return victim if victim is not None and victim.sex in (sex, None) else None


def _named_unsexed(ctx: Context, text: str, at: int) -> list[PersonRec]:
    """The people of unknown sex named before ``at`` in the sentence, last named first. When none of the
    pronoun's sex is named and the victim is not among them, the pronoun is the last of them ("Adult 3 lives
    with his new partner, Adult 4, and her son": "her" is Adult 4, not the victim)."""
    start = max(text.rfind(". ", 0, at), 0)
    found = []
    for p in ctx.persons:
        if p.sex is not None or not p.name or p.name.lower().startswith(("the ", "a ", "an ", "her ", "his ")):
            continue
        hits = [m.start() for m in re.finditer(r"(?<![\w'])" + re.escape(p.name) + r"(?![\w])", text[start:at])]
        if hits:
            found.append((hits[-1], p))
    return [p for _, p in sorted(found, key=lambda x: -x[0])]


_PLURAL = {"children": "child", "sons": "son", "daughters": "daughter", "brothers": "brother", "sisters": "sister",
           "siblings": "sibling"}
_PLURAL_RE = "|".join(_PLURAL)
_COUNT = r"(?:a|an|one|two|three|four|five|six)"


def _known_names(ctx: Context) -> list[str]:
    names = {n for p in ctx.persons for n in [p.name, p.id] if n and len(n) > 1 and not n.lower().startswith(("the ", "a ", "an "))}
    return sorted(names, key=len, reverse=True)


def _appositions(ctx: Context, book) -> None:
    """"Ms Y, Adult A's sister"; "Mark had a previous partner, Helen"; "had two children, Lily (8) and Sam (5)"."""

    known = _known_names(ctx)
    if not known:
        return
    names_re = "|".join(re.escape(n) for n in known)
    person_first = re.compile(
        rf"(?<![\w'])(?P<p>{names_re}),\s+(?:(?P<det>a|an|the|her|his|their)|(?P<owner>{names_re})'s)\s+"
        rf"(?:(?:older|younger|elder|maternal|paternal|close|former|new|step)\s+)?(?P<kin>{_KIN_RE})\b(?!\s+of\b)")
    one = rf"{_NAME}\b(?!'s)(?!\s+[A-Z0-9]{{1,2}}\b)(?:\s*\((?:aged\s+)?\d{{1,2}}\))?"
    name_list = rf"{one}(?:\s*(?:,|and|,\s*and)\s*{one})*"
    kin_first = re.compile(
        rf"(?:(?:(?P<o1>{names_re}|[Ss]he|[Hh]e|[Tt]hey)(?:\s+and\s+(?P<o2>{names_re}))?\s+(?:had|has|have)\s+){_COUNT}"
        rf"|(?P<pron>[Hh]er|[Hh]is)(?:\s+{_COUNT})?|(?<![\w'])(?P<o3>{names_re})'s(?:\s+{_COUNT})?)\s+(?:(?:[\w-]+)\s+)?(?P<kin>{_PLURAL_RE}|{_KIN_RE})(?:\s*[,(:]\s*|\s+(?=(?:{names_re})\b(?!'s)))(?:{_AS}\s+['‘\"“]?)?(?P<names>{name_list})")
    # "Layla, aged 4, whose father is Daniel": the one named after "whose KIN is" is that person's KIN
    whose = re.compile(rf"(?<![\w'])(?P<p>{names_re})(?:,?\s+\(?aged\s+\d{{1,3}}\)?)?,?\s+whose\s+"
                       rf"(?P<kin>{_KIN_RE})\s+(?:is|was)\s+(?P<k>{names_re})\b")
    for b in _blocks(ctx):
        for m in person_first.finditer(b.text):
            p = book.find(m.group("p"))
            kin = m.group("kin").lower()
            if p is None or kin not in KIN:
                continue
            anchor = book.find(m.group("owner")) if m.group("owner") else None
            det = (m.group("det") or "").lower()
            if det in ("her", "his"):
                anchor = _anchor(ctx, book, b.text, m.start(), det + " " + kin)
            elif det in ("a", "an", "the") and KIN[kin][0] in ("associate", "friend"):
                anchor = book.role("victim")
            if anchor is None or anchor is p:
                continue
            p.add_alias(b.text[m.end("p") + 1:m.end()].strip())
            p.add_source(b.ref)
            if p not in kin_of(ctx, anchor, kin):
                add_kin_fact(ctx, person=p, kin=kin, anchor=anchor, ref=b.ref)
        for m in whose.finditer(b.text):
            p, k, kin = book.find(m.group("p")), book.find(m.group("k")), m.group("kin").lower()
            if p is not None and k is not None and p is not k and kin in KIN and k not in kin_of(ctx, p, kin):
                add_kin_fact(ctx, person=k, kin=kin, anchor=p, ref=b.ref)
        for m in kin_first.finditer(b.text):
            owners = []
            for g in ("o1", "o2", "o3", "pron"):
                t = m.group(g)
                if g == "pron" and t:
                    t = "she" if t.lower() == "her" else "he"
                if not t:
                    continue
                if t.lower() == "they":   # "Hannah married Stuart in 2005. They had one son, Ben": the couple
                    owners.extend(_last_two_named(book, b.text[:m.start()], names_re))
                    continue
                if t.lower() in ("she", "he"):
                    q = _anchor(ctx, book, b.text, m.start(), ("her " if t.lower() == "she" else "his ") + "x")
                else:
                    q = book.find(t)
                if q is not None:
                    owners.append(q)
            kin = m.group("kin").lower()
            kin = _PLURAL.get(kin, kin)
            if not owners or kin not in KIN:
                continue
            found = [raw for raw in re.findall(_NAME, m.group("names")) if raw not in _NOT_A_NAME and raw.lower() not in KIN]
            for raw in found:
                if raw in _NOT_A_NAME or raw.lower() in KIN:
                    continue  # after "had two children," a capitalised word is a name
                p = book.find(raw) or book.add(raw, raw if re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,5}", raw) else None, b.ref)
                p.add_source(b.ref)
                p.mentions += 1
                if not p.sex:
                        p.sex = forenames().get(raw.lower())
                if KIN[kin][0] == "child":
                    p.add_role("child")
                if len(found) == 1 and (m.group("o3") or m.group("pron")):
                    p.add_alias(b.text[m.start():m.end("kin")])  # "Adult A's mother"
                rel = "parent" if KIN[kin][0] in ("child", "parent", "step_parent") else KIN[kin][0]
                if len(owners) == 1 and m.group("pron") and any(
                        f.type == rel and p.id in (f.a, f.b) for f in ctx.facts):
                    continue  # "her own son, S4": placed already; the pronoun may be someone else's
                for o in owners:
                    if o is not p and p not in kin_of(ctx, o, kin):
                        add_kin_fact(ctx, person=p, kin=kin, anchor=o, ref=b.ref)
            union = _FROM_UNION.match(b.text, m.end())
            if union and len(owners) == 1 and KIN[kin][0] == "child":
                for raw in found:   # "had two daughters, M and N, from her relationship with Mr P"
                    kid = book.find(raw)
                    if kid is not None:
                        _other_parent(ctx, book, b.ref, kid, owners[0], union.group("other"))


def _parents(ctx: Context, p: PersonRec) -> set[str]:
    """The ids of the people the facts say are ``p``'s (not step) parents."""
    return {f.a for f in ctx.facts if f.type == "parent" and f.b == p.id and f.kind != "step"}


def _last_two_named(book, text: str, names_re: str) -> list[PersonRec]:
    """The two people the text names last (the couple a following "their"/"They" stands for)."""
    named = [book.find(x.group(0)) for x in re.finditer(rf"(?<![\w'])(?:{names_re})(?![\w'])", text)]
    return list(dict.fromkeys(p for p in named if p is not None))[-2:]


def _their_children(ctx: Context, book) -> None:
    """"Helen lived with Gary and their son Liam"; "Mrs J and Mr K married in 1976. Their daughter, Ms L, ...":
    a child of the two people the paragraph named last before "their"."""

    known = _known_names(ctx)
    if not known:
        return
    names_re = "|".join(re.escape(n) for n in known)
    one = rf"{_NAME}\b(?!'s)(?!\s+[A-Z0-9]{{1,2}}\b)(?:\s*\((?:aged\s+)?\d{{1,2}}\))?"
    their = re.compile(rf"\b[Tt]heir\s+(?:(?:older|younger|elder|eldest|youngest|adult|infant|teenage|baby)\s+)?"
                       rf"(?P<kin>sons?|daughters?|child(?:ren)?)\s*,?\s+(?P<names>{one}(?:\s*(?:,|and|,\s*and)\s*{one})*)")
    patterns = [their, *(r.pattern for r in _intro_rules("couple_children"))]
    for b in _blocks(ctx):
        for m in (m for pattern in patterns for m in pattern.finditer(b.text)):
            parents = _last_two_named(book, b.text[:m.start()], names_re)
            if len(parents) != 2:
                continue
            kin = {"sons": "son", "daughters": "daughter", "children": "child"}.get(m.group("kin"), m.group("kin"))
            for raw in re.findall(_NAME, m.group("names")):
                if raw in _NOT_A_NAME or raw.lower() in KIN or raw in _NOT_PERSON_WORD:
                    continue
                p = book.find(raw) or book.add(raw, raw if re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,5}", raw) else None, b.ref)
                p.add_source(b.ref)
                p.sex = p.sex or forenames().get(raw.lower())
                if len(_parents(ctx, p)) >= 2:
                    continue  # two parents known already (a second look, with more people known)
                for parent in parents:
                    if parent is not p and p not in kin_of(ctx, parent, kin):
                        add_kin_fact(ctx, person=p, kin=kin, anchor=parent, ref=b.ref)


_HOMICIDE_VICTIM = re.compile(r"\b(?:death|murder|killing|homicide|manslaughter)\s+of\s+(?P<v>[A-Z][\w]*(?:\s+[A-Z0-9]{1,2}\b)?)")
_HOMICIDE_PERP = re.compile(r"\b(?:killed|murdered|stabbed to death|strangled)\s+by\s+(?:(?:her|his|their)\s+(?:[\w-]+\s+)?(?:[\w-]+),?\s+)?(?P<p>[A-Z][\w]*(?:\s+[A-Z0-9]{1,2}\b)?)(?!'s)"
                            r"|(?P<p2>[A-Z][\w]*(?:\s+[A-Z0-9]{1,2}\b)?)(?:\s*\([^)]{1,40}\))?(?:,\s+(?:her|his|their|the)\s+[\w\s'-]{1,30}?)?,?\s+(?:was|has been)\s+"
                            r"(?:convicted|found guilty)\s+of\s+(?:the\s+|her\s+|his\s+)?(?:murder|manslaughter|killing)\b")


#: a name in a homicide sentence: "the deaths of Grace, aged 31, and her son Noah, who were killed by
#: Grace's partner Simon"; "Marta, who was killed by her husband Tomasz"; "Simon killed Grace"
_KILLED_NAME = r"[A-Z][a-z]{2,}"
#: who a homicide sentence names as the one who killed: a first name or a label ("Mr L", "Adult B")
_KILLER = rf"(?:(?:{_LABEL_WORDS}) (?:[A-Z]{{1,2}}\d?|\d{{1,2}})\b|{_KILLED_NAME})"
_KILLED_NAMES = [re.compile(p) for p in (
    rf"\b(?:death|deaths|murder|murders|killing|homicide|manslaughter)\s+of\s+(?P<v>{_KILLED_NAME})\b(?!\s+[A-Z])",
    rf"\b(?:death|murder|killing|homicide|manslaughter)\s+of\s+(?:a|an)\s+(?:[a-z-]+\s+)?(?:woman|man|mother|father|"
    rf"person|lady|girl|boy)\s*,?\s*(?:who\s+(?:is|will be)\s+)?{_AS}\s+['‘\"“]?(?P<v>{_KILLED_NAME})\b",
    rf"\b(?P<v>{_KILLED_NAME}),?\s+(?:\([^)]{{1,30}}\)\s+|aged\s+\d{{1,3}},\s+|(?:a|an)\s+(?:[a-z-]+\s+){{0,3}}?(?:woman|man|mother|father|person|lady|girl|boy)(?:\s+(?:aged\s+)?\d{{1,3}})?,\s+)?(?:who\s+)?(?:was|were)\s+(?:fatally\s+\w+\s+and\s+)?"
    rf"(?:killed|murdered|stabbed|strangled)\s+by\s+(?:(?:her|his|their|{_KILLED_NAME}'s)\s+(?:[a-z-]+,?\s+){{0,2}})?(?P<p>{_KILLER})\b",
    rf"\bkilled\s+by\s+(?:her|his|their|{_KILLED_NAME}'s)\s+(?:[a-z-]+,?\s+){{0,2}}(?P<p>{_KILLER})\b(?!\s+[A-Z])",
    rf"\b(?P<v>{_KILLED_NAME})\s+was\s+(?:aged\s+)?\d{{1,3}}(?:\s+years\s+old)?\s+when\s+(?:she|he)\s+was\s+"
    rf"(?:killed|murdered|stabbed|strangled)\s+by\s+(?:(?:her|his|their)\s+(?:[a-z-]+\s+){{0,2}})?(?P<p>{_KILLED_NAME})\b",
    rf"\b(?P<p>{_KILLED_NAME})\s+(?:killed|murdered|stabbed|strangled)\s+(?P<v>{_KILLED_NAME})\b(?!\s+[A-Z])",
    # "Hannah, aged 41, died at her home on 2 April 2022. Her husband, Stuart, was convicted of her manslaughter."
    rf"\b(?P<v>{_KILLED_NAME})\s*,?\s+(?:aged\s+\d{{1,3}},\s+)?died\b[^.]{{0,160}}\.\s+(?:Her|His|Their)\s+"
    rf"(?:[a-z-]+\s+){{0,2}}?[a-z-]+,\s+(?P<p>{_KILLER})\b[^.]{{0,40}}?\s(?:was|has\s+been)\s+(?:convicted|found\s+guilty)"
    rf"\s+of\s+(?:her|his)\s+(?:murder|manslaughter|killing)\b",
)]
_NOT_PERSON_WORD = {"The", "This", "That", "Her", "His", "Their", "Mrs", "Miss", "Adult", "Child", "Baby", "Victim",
                    "Perpetrator", "Police", "Officers", "Who", "When", "Which", "She", "They", "Review", "Court"}


#: a first name and a surname: "Joan Marsh", "Lorraine Pike-Evans" (the first name must be a known forename)
_FULL_NAME = re.compile(rf"\b(?P<first>{_KILLED_NAME})\s+(?P<sur>[A-Z][a-z]{{2,}}(?:-[A-Z][a-z]{{2,}})?)\b(?!\s+[A-Z])")


def full_names(text: str, agencies_words: set[str]) -> tuple[str, dict[str, str]]:
    """The text with each "First Surname" written as the first name alone (padded to the same length, so
    offsets hold), and first name -> full name. A surname that is a forename, a body's word or a label word is
    not one ("Joan Police", "Grace Ann")."""
    names = forenames()
    found: dict[str, str] = {}

    def one(m: re.Match) -> str:
        first, sur = m.group("first"), m.group("sur")
        if (first.lower() not in names or sur.lower() in names or sur in agencies_words or sur in _NOT_PERSON_WORD
                or first in _NOT_PERSON_WORD or sur.lower() in KIN):
            return m.group(0)
        found.setdefault(first, f"{first} {sur}")
        return first + " " * (len(m.group(0)) - len(first))

    return _FULL_NAME.sub(one, text), found


def killed_names(ctx: Context, book) -> None:
    """People the homicide sentences name, victims and perpetrator, made persons when not known yet
    (a full name "Joan Marsh" gives the person "Joan Marsh", also known as "Joan")."""

    names = forenames()
    agencies_words = {w for a in ctx.agencies for w in a.name.split()}
    votes: dict[str, Counter] = {"victim": Counter(), "perpetrator": Counter()}
    co_victims: set[str] = set()
    for b in _blocks(ctx):
        if not re.search(r"kill|death|murder|homicide|manslaughter|stabb|strangl", b.text):
            continue
        text, full = full_names(b.text, agencies_words)
        for pattern in [*_KILLED_NAMES, *(r.pattern for r in _intro_rules("victim"))]:
            for m in pattern.finditer(text):
                for group, role in (("v", "victim"), ("p", "perpetrator")):
                    name = m.groupdict().get(group)
                    if not name or name in _NOT_PERSON_WORD or name in agencies_words or name.lower() in KIN:
                        continue
                    if book.find(name) is None:
                        p = book.add(full.get(name, name), name, b.ref)
                        p.uncertain = None
                        if name.lower() in names:
                            p.sex = names[name.lower()]
                        if name in full:
                            p.add_alias(name)
                    p = book.find(name)
                    p.add_source(b.ref)
                    p.mentions += 1
                    votes[role][p.id] += 1
                if m.groupdict().get("v"):
                    for name in _co_victims(text, m.end("v")):
                        if name in _NOT_PERSON_WORD or name in agencies_words or name.lower() in KIN:
                            continue
                        p = book.find(name)
                        if p is None:
                            p = book.add(name, name, b.ref)
                            p.uncertain = None
                            p.sex = names.get(name.lower())
                        p.add_source(b.ref)
                        co_victims.add(p.id)
    for role, other in (("victim", "perpetrator"), ("perpetrator", "victim")):
        if book.role(role) is not None or not votes[role]:
            continue
        for pid, _ in votes[role].most_common():
            p = ctx.person(pid)
            if p is not None and other not in p.roles and votes[other][pid] < votes[role][pid]:
                p.add_role(role)
                p.add_alias(f"the {role}")
                break
    # "the deaths of Grace, aged 31, and her son Noah": both were killed
    victim = book.role("victim")
    for pid in co_victims:
        p = ctx.person(pid)
        if p is not None and victim is not None and p is not victim and "perpetrator" not in p.roles \
                and votes["perpetrator"][pid] == 0:
            p.add_role("victim")


#: a second victim named with the first: "Grace, aged 31, and her son Noah", "Grace and Noah"
_CO_VICTIM = re.compile(rf"^(?:,?\s*aged\s+\d{{1,3}},?)?\s+and\s+(?:(?:her|his|their)\s+(?:[a-z-]+\s+){{0,2}})?"
                        rf"(?P<name>{_KILLED_NAME})\b(?!'s)")


def _co_victims(text: str, end: int) -> list[str]:
    m = _CO_VICTIM.match(text[end:end + 80])
    return [m.group("name")] if m else []


def homicide_roles(ctx: Context, book) -> None:
    """"the death of Adult A, who was killed by Adult B"; "Adult B was convicted of the murder of Adult A"."""
    if book.role("victim") is not None and book.role("perpetrator") is not None:
        return
    votes = {"victim": Counter(), "perpetrator": Counter()}
    for b in _blocks(ctx):
        for m in _HOMICIDE_VICTIM.finditer(b.text):
            p = book.find(m.group("v"))
            if p is not None:
                votes["victim"][p.id] += 1
        for m in _HOMICIDE_PERP.finditer(b.text):
            p = book.find(m.group("p") or m.group("p2"))
            if p is not None:
                votes["perpetrator"][p.id] += 1
    for role in ("victim", "perpetrator"):
        if book.role(role) is not None or not votes[role]:
            continue
        pid, _ = votes[role].most_common(1)[0]
        p = ctx.person(pid)
        other = "perpetrator" if role == "victim" else "victim"
        if p is None or other in p.roles:
            continue
        p.add_role(role)
        p.add_alias(f"the {role}")


#: "Ava, Leo and Mia are the children of Grace and her former husband Craig"; "Noah was the son of Grace and Simon"
#: a person in these sentences: a first name, or a label ("Adult A", "Child 1", "Mrs J")
_PERSON = rf"(?:(?:{_LABEL_WORDS}) (?:[A-Z]{{1,2}}\d?|\d{{1,2}})\b|{_KILLED_NAME})"
#: an age after a name: "Child 1 (aged 16)", "Lily (8)", "Sam, aged 5,"
_AGE_AFTER = r"(?:\s*\((?:aged\s+)?\d{1,2}(?:\s+years)?\)|,\s*aged\s+\d{1,2},?)?"
_CHILDREN_OF = re.compile(
    rf"(?P<kids>{_PERSON}{_AGE_AFTER}(?:(?:,\s*|\s+and\s+){_PERSON}{_AGE_AFTER})*)\s+(?:are|were|is|was)\s+(?:the\s+)?"
    rf"(?:(?:biological|birth|natural)\s+)?(?:children|sons|daughters|son|daughter|child)\s+of\s+"
    rf"(?P<a>{_PERSON})\s+and\s+(?:(?:her|his)\s+(?P<former>former\s+|ex-?\s?|previous\s+)?(?P<kin>[a-z-]+)\s+)?"
    rf"(?P<b>{_PERSON})(?![\w-])")


def children_of(ctx: Context, book) -> None:
    """The parents a sentence gives a list of children; the second parent is a person of the case too."""

    for b in _blocks(ctx):
        if " of " not in b.text:
            continue
        for m in _CHILDREN_OF.finditer(b.text):
            parents = []
            for g in ("a", "b"):
                name = m.group(g)
                if name in _NOT_PERSON_WORD:
                    break
                p = book.find(name)
                if p is None:
                    p = book.add(name, name, b.ref)
                    p.uncertain = None
                    p.sex = forenames().get(name.lower())
                p.add_source(b.ref)
                parents.append(p)
            if len(parents) != 2:
                continue
            if m.group("kin") and m.group("kin") in KIN and not parents[1].sex:
                parents[1].sex = KIN[m.group("kin")][1]   # "her former husband Adult C": a man
            kids = [book.find(k) or book.add(k, k, b.ref) for k in re.findall(_PERSON, m.group("kids"))
                    if k not in _NOT_PERSON_WORD]
            for kid in kids:
                kid.add_source(b.ref)
                kid.add_role("child")
                for parent in parents:
                    if kid is not parent and not any(f.type == "parent" and f.a == parent.id and f.b == kid.id
                                                     for f in ctx.facts):
                        ctx.facts.append(Fact("parent", parent.id, kid.id, b.ref))
            a, other = parents
            if not any(f.type == "partner" and {f.a, f.b} == {a.id, other.id} for f in ctx.facts):
                ctx.facts.append(Fact("partner", a.id, other.id, b.ref, status="former" if m.group("former") else None))


#: a label that names a person of the case: "Adult 6", "Child B", "Mrs J"
_LABEL_NAME = re.compile(rf"(?:{_LABEL_WORDS}) (?:[A-Z]{{1,2}}\d?|\d{{1,2}})")
#: ", from her relationship with Mr P" after a list of children: their other parent
_FROM_UNION = re.compile(rf",?\s*from\s+(?:her|his|their)\s+(?:previous\s+|first\s+|former\s+|earlier\s+)?"
                         rf"(?:marriage|relationship)\s+(?:to|with)\s+(?P<other>{_PERSON})\b")
#: "Adult D is Adult A's mother", "Tom was Grace's brother": a kin fact between two people the text names
_IS_KIN_OF = re.compile(rf"(?<![\w'])(?P<x>{_PERSON})\s+(?:is|was)\s+(?P<y>{_PERSON})'s\s+"
                        rf"(?:(?:older|younger|elder|maternal|paternal|adult)\s+)?(?P<kin>{_KIN_RE})\b"
                        rf"(?:\s+from\s+(?:her|his)\s+(?:previous\s+|first\s+|former\s+|earlier\s+)?"
                        rf"(?P<union>marriage|relationship)\s+(?:to|with)\s+(?P<other>{_PERSON})\b)?")


def kin_sentences(ctx: Context, book) -> None:
    """Kin facts told with a copula between two people (so a later "Adult A's mother" is that person). The first
    may be named here for the first time when it is a label ("Adult 6 is Adult 1's mother"): a label names a person."""

    for b in _blocks(ctx):
        if "'s " not in b.text:
            continue
        for m in _IS_KIN_OF.finditer(b.text):
            x, y = book.find(m.group("x")), book.find(m.group("y"))
            if x is None and y is not None and _LABEL_NAME.fullmatch(m.group("x")):
                x = book.add(m.group("x"), None, b.ref)
                x.uncertain = None
            if x is None or y is None or x is y:
                continue
            if x not in kin_of(ctx, y, m.group("kin").lower()):
                add_kin_fact(ctx, person=x, kin=m.group("kin").lower(), anchor=y, ref=b.ref)
                x.add_source(b.ref)
            if m.group("other") and KIN.get(m.group("kin").lower(), ("",))[0] == "child":
                _other_parent(ctx, book, b.ref, x, y, m.group("other"))


def _other_parent(ctx: Context, book, ref, child: PersonRec, parent: PersonRec, name: str) -> None:
    """"Jason is Tanya's son from her marriage to Derek": Derek is Jason's parent (made a person when the
    name is a label or a known first name)."""
    other = book.find(name)
    if other is None and (_LABEL_NAME.fullmatch(name) or name.lower() in forenames()):
        other = book.add(name, None, ref)
        other.uncertain = None
        other.sex = other.sex or forenames().get(name.lower())
    if other is None or other in (child, parent):
        return
    other.add_source(ref)
    if not any(f.type == "parent" and f.a == other.id and f.b == child.id for f in ctx.facts):
        ctx.facts.append(Fact("parent", other.id, child.id, ref))
    # the two parents as former partners: the relationships pass makes them (a fact here would be taken
    # for the one "her former partner" the text names later)


#: two people of the case as a couple: "Jane and Mark began a relationship", "Jane married Mark",
#: "Mark moved in with Jane", "Jane and Mark married in 2010"
_COUPLE = [re.compile(p) for p in (
    rf"\b(?P<a>{_PERSON})\s+and\s+(?P<b>{_PERSON})\s+(?:(?:had\s+)?(?:began|started|formed|commenced|"
    rf"entered into|had been in|were in|had)\s+(?:a|an)\s+(?:[a-z-]+\s+)?(?P<rel>relationship)|(?:were|got|had)?\s*"
    rf"(?P<married>married)\b|moved\s+in\s+together|(?:were|began)\s+(?:living|cohabiting)\s+together)",
    rf"\b(?P<a>{_PERSON})\s+(?:began|started|formed|entered into)\s+(?:a|an)\s+(?:[a-z-]+\s+)?relationship\s+"
    rf"with\s+(?P<b>{_PERSON})\b",
    rf"\b(?P<a>{_PERSON})\s+(?P<married>married)\s+(?P<b>{_PERSON})\b",
    rf"\b(?P<a>{_PERSON})\s+moved\s+in\s+with\s+(?P<b>{_PERSON})\b",
)]


def couples(ctx: Context, book) -> None:
    """A partner fact for two known people the text tells of as a couple (not for people it names first here)."""

    for b in _blocks(ctx):
        for pattern in _COUPLE:
            for m in pattern.finditer(b.text):
                a, other = book.find(m.group("a")), book.find(m.group("b"))
                if a is None or other is None or a is other:
                    continue
                if any(f.type == "partner" and {f.a, f.b} == {a.id, other.id} for f in ctx.facts):
                    continue
                married = bool(m.groupdict().get("married"))
                ctx.facts.append(Fact("partner", a.id, other.id, b.ref, kind="married" if married else None))
